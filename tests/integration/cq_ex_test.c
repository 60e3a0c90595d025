// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Extended CQs and CQ resizing through plain libibverbs, for what pyverbs 44
 * cannot reach (it has no req_notify for an extended CQ) and what needs a
 * tight loop: runs inside the test VM (tests/integration/t_cq_ex.sh).
 *
 *   events   an extended CQ on a completion channel: ibv_req_notify_cq,
 *            ibv_get_cq_event (the CQ and its cq_context), then the
 *            completion through ibv_start_poll; many rounds.
 *   race     one QP sending to itself keeps the device writing CQEs while
 *            the CQ is resized again and again (sizes chosen at random,
 *            some refused); every completion must come out once, in
 *            order, through the extended and the classic poller in turn.
 *
 *   cq_ex_test [-d DEV] [-n ROUNDS]
 * Prints one line per failed check and ends with "N passed, N failed".
 */
#include <errno.h>
#include <infiniband/verbs.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned int passed, failed;

static bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return true;
	}
	failed++;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return false;
}

#define WC_FLAGS (IBV_WC_EX_WITH_BYTE_LEN | IBV_WC_EX_WITH_IMM |	\
		  IBV_WC_EX_WITH_QP_NUM)
#define TIMEOUT_S 30
/* Buffer layout: receive buffers from 0, send data from here. */
#define SEND_DATA 98304

struct env {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	int gid_index;
	union ibv_gid gid;
	struct ibv_mr *mr;
	uint8_t *buf;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int find_gid(struct env *e)
{
	struct ibv_port_attr pa;
	struct ibv_gid_entry ent;
	int i;

	if (ibv_query_port(e->ctx, 1, &pa))
		return -1;
	for (i = 0; i < pa.gid_tbl_len; i++) {
		if (ibv_query_gid_ex(e->ctx, 1, i, &ent, 0))
			continue;
		if (ent.gid_type == IBV_GID_TYPE_ROCE_V2 &&
		    ent.gid.raw[10] == 0xff && ent.gid.raw[11] == 0xff) {
			e->gid = ent.gid;
			return i;
		}
	}
	return -1;
}

/* An RC QP connected to itself, in RTS. */
static struct ibv_qp *self_qp(struct env *e, struct ibv_cq *scq,
			      struct ibv_cq *rcq, uint32_t depth)
{
	struct ibv_qp_init_attr ia = {
		.send_cq = scq, .recv_cq = rcq, .qp_type = IBV_QPT_RC,
		.sq_sig_all = 1,
		.cap = { .max_send_wr = depth, .max_recv_wr = depth,
			 .max_send_sge = 1, .max_recv_sge = 1 },
	};
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT, .port_num = 1,
		.qp_access_flags = IBV_ACCESS_REMOTE_WRITE,
	};
	struct ibv_qp *qp = ibv_create_qp(e->pd, &ia);

	if (!qp)
		return NULL;
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			  IBV_QP_PORT | IBV_QP_ACCESS_FLAGS))
		goto err;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTR;
	a.path_mtu = IBV_MTU_1024;
	a.dest_qp_num = qp->qp_num;
	a.max_dest_rd_atomic = 1;
	a.min_rnr_timer = 1;
	a.ah_attr.is_global = 1;
	a.ah_attr.grh.dgid = e->gid;
	a.ah_attr.grh.sgid_index = e->gid_index;
	a.ah_attr.grh.hop_limit = 64;
	a.ah_attr.port_num = 1;
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
			  IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
			  IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER))
		goto err;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 14;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	a.max_rd_atomic = 1;
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT |
			  IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
			  IBV_QP_MAX_QP_RD_ATOMIC))
		goto err;
	return qp;
err:
	ibv_destroy_qp(qp);
	return NULL;
}

static int post_recv(struct env *e, struct ibv_qp *qp, uint64_t wr_id,
		     uint32_t off)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)e->buf + off, .length = 64,
		.lkey = e->mr->lkey,
	};
	struct ibv_recv_wr wr = { .wr_id = wr_id, .sg_list = &sge,
				  .num_sge = 1 }, *bad;

	return ibv_post_recv(qp, &wr, &bad);
}

static int post_send(struct env *e, struct ibv_qp *qp, uint64_t wr_id,
		     enum ibv_wr_opcode op, uint32_t off, uint32_t imm)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)e->buf + off, .length = 8,
		.lkey = e->mr->lkey,
	};
	struct ibv_send_wr wr = {
		.wr_id = wr_id, .sg_list = &sge, .num_sge = 1, .opcode = op,
		.send_flags = IBV_SEND_SIGNALED, .imm_data = htobe32(imm),
	}, *bad;

	return ibv_post_send(qp, &wr, &bad);
}

/* Wait for the next event of @channel; false after TIMEOUT_S. */
static bool wait_event(struct ibv_comp_channel *ch, struct ibv_cq **cq,
		       void **cq_ctx)
{
	struct pollfd pfd = { .fd = ch->fd, .events = POLLIN };

	if (poll(&pfd, 1, TIMEOUT_S * 1000) != 1)
		return false;
	return !ibv_get_cq_event(ch, cq, cq_ctx);
}

/* A completion of round @i of test_events: the SEND or its receive. */
static void check_event_wc(struct ibv_cq_ex *cq, struct ibv_qp *qp, int i)
{
	bool recv = ibv_wc_read_opcode(cq) == IBV_WC_RECV;
	uint64_t want = recv ? 1000 + i : i;

	check(cq->status == IBV_WC_SUCCESS, "round %d: status %d", i,
	      cq->status);
	check(cq->wr_id == want, "round %d: wr_id %llu, expected %llu", i,
	      (unsigned long long)cq->wr_id, (unsigned long long)want);
	if (recv)
		check(ibv_wc_read_byte_len(cq) == 8 &&
		      be32toh(ibv_wc_read_imm_data(cq)) == (uint32_t)i &&
		      ibv_wc_read_qp_num(cq) == qp->qp_num,
		      "round %d: receive fields", i);
}

static void test_events(struct env *e, int rounds)
{
	struct ibv_comp_channel *ch = ibv_create_comp_channel(e->ctx);
	static int marker;
	struct ibv_cq_init_attr_ex ca = {
		.cqe = 16, .channel = ch, .cq_context = &marker,
		.wc_flags = WC_FLAGS,
	};
	struct ibv_poll_cq_attr pa = {};
	struct ibv_cq_ex *cq;
	struct ibv_qp *qp;
	struct ibv_cq *ev_cq;
	void *ev_ctx;
	unsigned int acked = 0;
	int i, got, rc;

	if (!check(ch != NULL, "create_comp_channel: %m"))
		return;
	cq = ibv_create_cq_ex(e->ctx, &ca);
	if (!check(cq != NULL, "create_cq_ex with a channel: %m"))
		goto out_ch;
	qp = self_qp(e, ibv_cq_ex_to_cq(cq), ibv_cq_ex_to_cq(cq), 8);
	if (!check(qp != NULL, "self-connected QP: %m"))
		goto out_cq;

	for (i = 0; i < rounds; i++) {
		check(!ibv_req_notify_cq(ibv_cq_ex_to_cq(cq), 0),
		      "req_notify_cq: %m");
		check(!post_recv(e, qp, 1000 + i, 0), "post_recv: %m");
		check(!post_send(e, qp, i, IBV_WR_SEND_WITH_IMM, SEND_DATA, i),
		      "post_send: %m");
		if (!check(wait_event(ch, &ev_cq, &ev_ctx),
			   "round %d: no completion event", i))
			break;
		check(ev_cq == ibv_cq_ex_to_cq(cq) && ev_ctx == &marker,
		      "event of CQ %p context %p, expected %p %p", ev_cq,
		      ev_ctx, ibv_cq_ex_to_cq(cq), &marker);
		acked++;

		/* Both the send and the receive completion, in some order. */
		got = 0;
		for (double end = now() + TIMEOUT_S; got < 2 && now() < end;) {
			rc = ibv_start_poll(cq, &pa);
			if (rc == ENOENT)
				continue;
			if (!check(rc == 0, "start_poll: %d", rc))
				break;
			do
				check_event_wc(cq, qp, i);
			while (++got < 2 && !ibv_next_poll(cq));
			ibv_end_poll(cq);
		}
		check(got == 2, "round %d: %d of 2 completions", i, got);
	}
	ibv_ack_cq_events(ibv_cq_ex_to_cq(cq), acked);
	check(!ibv_destroy_qp(qp), "destroy_qp: %m");
out_cq:
	check(!ibv_destroy_cq(ibv_cq_ex_to_cq(cq)), "destroy_cq: %m");
out_ch:
	check(!ibv_destroy_comp_channel(ch), "destroy_comp_channel: %m");
}

/*
 * Poll up to @max completions of @cq, the extended or the classic way;
 * check each is the next expected wr_id. Returns how many, or -1.
 */
static bool recv_ok(struct env *e, uint64_t id, uint32_t byte_len)
{
	uint64_t got;

	memcpy(&got, e->buf + (id % 512) * 64, sizeof(got));
	return byte_len == 8 && got == id;
}

static int drain(struct env *e, struct ibv_cq_ex *cq, bool ex,
		 uint64_t *next, int max)
{
	struct ibv_poll_cq_attr pa = {};
	struct ibv_wc wc[16];
	int n = 0, i, rc;

	if (!ex) {
		rc = ibv_poll_cq(ibv_cq_ex_to_cq(cq), max < 16 ? max : 16, wc);
		for (i = 0; i < rc; i++, n++) {
			uint64_t want = (*next)++;

			if (!check(wc[i].status == IBV_WC_SUCCESS &&
				   wc[i].wr_id == want &&
				   be32toh(wc[i].imm_data) == (uint32_t)want &&
				   recv_ok(e, want, wc[i].byte_len),
				   "poll_cq: wr_id %llu status %d, expected %llu",
				   (unsigned long long)wc[i].wr_id,
				   wc[i].status, (unsigned long long)want))
				return -1;
		}
		return rc < 0 ? -1 : n;
	}
	if (ibv_start_poll(cq, &pa))
		return 0;
	do {
		if (!check(cq->status == IBV_WC_SUCCESS && cq->wr_id == *next &&
			   be32toh(ibv_wc_read_imm_data(cq)) ==
			   (uint32_t)*next &&
			   recv_ok(e, *next, ibv_wc_read_byte_len(cq)),
			   "start_poll: wr_id %llu status %d, expected %llu",
			   (unsigned long long)cq->wr_id, cq->status,
			   (unsigned long long)*next)) {
			ibv_end_poll(cq);
			return -1;
		}
		(*next)++;
		n++;
	} while (n < max && !ibv_next_poll(cq));
	ibv_end_poll(cq);
	return n;
}

/* The largest size of @sizes below @n, or 0. */
static int size_below(const int *sizes, int cnt, uint64_t n)
{
	int i, best = 0;

	for (i = 0; i < cnt; i++)
		if ((uint64_t)sizes[i] < n)
			best = sizes[i];
	return best;
}

/*
 * The receive CQ (extended) is resized while the device writes receive
 * CQEs into it. A send completion (classic CQ) tells that the receive CQE
 * of the same message is written: once every send has completed, a size
 * below the unpolled receive CQEs must be refused.
 */
static void test_resize_race(struct env *e, int total)
{
	static const int sizes[] = { 2, 4, 8, 16, 32, 64, 256, 1024 };
	const int nsizes = sizeof(sizes) / sizeof(sizes[0]);
	struct ibv_cq_init_attr_ex ca = { .cqe = 64, .wc_flags = WC_FLAGS };
	uint64_t posted = 0, sdone = 0, next = 0;
	unsigned int resized = 0, refused = 0, polls = 0;
	double end = now() + 10 * TIMEOUT_S;
	int cqe = 64, want, rc, n, i;
	struct ibv_wc wc[16];
	struct ibv_cq_ex *cq;
	struct ibv_cq *scq;
	struct ibv_qp *qp;

	cq = ibv_create_cq_ex(e->ctx, &ca);
	scq = ibv_create_cq(e->ctx, 128, NULL, NULL, 0);
	if (!check(cq && scq, "CQs for the resize race: %m"))
		goto out;
	qp = self_qp(e, scq, ibv_cq_ex_to_cq(cq), 64);
	if (!check(qp != NULL, "self-connected QP: %m"))
		goto out;

	srand(7);
	while (next < (uint64_t)total && now() < end) {
		/* Keep the device busy, never beyond what the CQ holds. */
		while (posted < (uint64_t)total && posted - next < 64 &&
		       posted - next < (uint64_t)cqe) {
			uint32_t src = SEND_DATA + (posted % 512) * 8;
			uint32_t dst = (posted % 512) * 64;

			memcpy(e->buf + src, &posted, sizeof(posted));
			if (!check(!post_recv(e, qp, posted, dst) &&
				   !post_send(e, qp, posted,
					      IBV_WR_SEND_WITH_IMM, src,
					      (uint32_t)posted),
				   "post %llu: %m", (unsigned long long)posted))
				goto out_qp;
			posted++;
		}
		rc = ibv_poll_cq(scq, 16, wc);
		for (i = 0; i < rc; i++)
			if (!check(wc[i].status == IBV_WC_SUCCESS &&
				   wc[i].wr_id == sdone++,
				   "send %llu: status %d",
				   (unsigned long long)wc[i].wr_id, wc[i].status))
				goto out_qp;

		want = size_below(sizes, nsizes, posted - next);
		if (sdone == posted && want && rand() % 3 == 0) {
			/* All written: too small must be refused. */
			rc = ibv_resize_cq(ibv_cq_ex_to_cq(cq), want);
			if (!check(rc == EINVAL,
				   "resize to %d with %llu unpolled: %d", want,
				   (unsigned long long)(posted - next), rc))
				goto out_qp;
			refused++;
		} else {
			do
				want = sizes[rand() % nsizes];
			while ((uint64_t)want < posted - next);
			rc = ibv_resize_cq(ibv_cq_ex_to_cq(cq), want);
			if (!check(rc == 0,
				   "resize to %d with %llu in flight: %d", want,
				   (unsigned long long)(posted - next), rc))
				goto out_qp;
			resized++;
			cqe = ibv_cq_ex_to_cq(cq)->cqe;
			check(cqe == want, "resize to %d gave %d", want, cqe);
		}
		n = drain(e, cq, polls++ & 1, &next, 1 + rand() % 8);
		if (n < 0)
			goto out_qp;
	}
	check(next == (uint64_t)total, "%llu of %d completions",
	      (unsigned long long)next, total);
	check(resized > 0 && refused > 0, "resized %u times, refused %u",
	      resized, refused);
	printf("resize race: %llu completions, %u resizes, %u refused\n",
	       (unsigned long long)next, resized, refused);
out_qp:
	check(!ibv_destroy_qp(qp), "destroy_qp: %m");
out:
	if (cq)
		check(!ibv_destroy_cq(ibv_cq_ex_to_cq(cq)), "destroy_cq: %m");
	if (scq)
		check(!ibv_destroy_cq(scq), "destroy_cq: %m");
}

int main(int argc, char **argv)
{
	const char *name = "mlx5x_0";
	struct ibv_device **list;
	struct env e = {};
	int i, n, rounds = 2000;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			rounds = atoi(argv[++i]);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	list = ibv_get_device_list(&n);
	for (i = 0; list && i < n; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			e.ctx = ibv_open_device(list[i]);
	if (list)
		ibv_free_device_list(list);
	if (!e.ctx) {
		printf("FAIL: cannot open %s\n0 passed, 1 failed\n", name);
		return 1;
	}
	e.gid_index = find_gid(&e);
	e.pd = ibv_alloc_pd(e.ctx);
	e.buf = calloc(1, 131072);
	e.mr = e.pd && e.buf ? ibv_reg_mr(e.pd, e.buf, 131072,
					  IBV_ACCESS_LOCAL_WRITE |
					  IBV_ACCESS_REMOTE_WRITE) : NULL;
	if (check(e.gid_index >= 0 && e.mr, "GID, PD and MR: %m")) {
		test_events(&e, 50);
		test_resize_race(&e, rounds);
		ibv_dereg_mr(e.mr);
	}
	if (e.pd)
		ibv_dealloc_pd(e.pd);
	free(e.buf);
	ibv_close_device(e.ctx);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Control-path test of an mlx5x device through plain libibverbs: device and
 * port attributes, GIDs, PDs, MRs, CQs, RC QPs and the QP state machine,
 * and the errors bad requests must get. Runs inside the test VM (see
 * tests/integration/t_*.sh). Prints one line per failed check and ends with
 * "N passed, N failed".
 *
 *   ctrl_test [-d DEV] [--hold]
 *     --hold: create one of each object, print "READY", and sleep until
 *             killed (for rdma resource / unload tests).
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
#include <sys/mman.h>
#include <unistd.h>

static unsigned int passed, failed;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define CHECK(cond, ...) check((cond), __VA_ARGS__)
/* An expression that must fail with errno @err (returned as int or NULL). */
#define CHECK_ERRNO(failed_cond, err, what)                                   \
	do {                                                                  \
		errno = 0;                                                    \
		bool f_ = (failed_cond);                                      \
		int e_ = errno;                                               \
		check(f_ && e_ == (err), "%s: expected errno %d (%s), got %s " \
		      "errno %d (%s)", what, err, strerror(err),              \
		      f_ ? "failure" : "success", e_, strerror(e_));          \
	} while (0)

struct env {
	struct ibv_context *ctx;
	struct ibv_device_attr dattr;
	struct ibv_port_attr pattr;
	int gid_index;
	union ibv_gid gid;
};

static struct ibv_context *open_dev(const char *name)
{
	struct ibv_device **list;
	struct ibv_context *ctx = NULL;
	int i, n;

	list = ibv_get_device_list(&n);
	if (!list)
		return NULL;
	for (i = 0; i < n; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			ctx = ibv_open_device(list[i]);
	ibv_free_device_list(list);
	return ctx;
}

static void test_device(struct env *e)
{
	struct ibv_device_attr *a = &e->dattr;

	CHECK(!ibv_query_device(e->ctx, a), "ibv_query_device: %m");
	CHECK(a->vendor_id != 0x02c9 && a->vendor_id != 0x15b3,
	      "vendor id 0x%x must not be Mellanox's", a->vendor_id);
	CHECK(a->max_qp >= 1024, "max_qp %d", a->max_qp);
	CHECK(a->max_qp_wr >= 1024, "max_qp_wr %d", a->max_qp_wr);
	CHECK(a->max_cqe >= 4096, "max_cqe %d", a->max_cqe);
	CHECK(a->max_sge > 1, "max_sge %d", a->max_sge);
	CHECK(a->max_mr_size >= (1ULL << 32), "max_mr_size %llu",
	      (unsigned long long)a->max_mr_size);
	CHECK(a->phys_port_cnt == 1, "phys_port_cnt %d", a->phys_port_cnt);
	CHECK(a->atomic_cap == IBV_ATOMIC_GLOB,
	      "atomic_cap %d: the engine's atomics are CPU atomics (GLOB)",
	      a->atomic_cap);
	CHECK(a->max_srq >= 1024 && a->max_srq_wr >= 1023 &&
	      a->max_srq_sge >= 1 && a->max_srq_sge < a->max_sge,
	      "max_srq %d max_srq_wr %d max_srq_sge %d", a->max_srq,
	      a->max_srq_wr, a->max_srq_sge);
	CHECK(a->node_guid != 0, "node_guid is zero");
	CHECK(!strcmp(a->fw_ver, "1.0.0"), "fw_ver '%s'", a->fw_ver);
}

static void test_port(struct env *e)
{
	struct ibv_gid_entry ent;
	unsigned int i;

	CHECK(!ibv_query_port(e->ctx, 1, &e->pattr), "ibv_query_port: %m");
	CHECK(e->pattr.state == IBV_PORT_ACTIVE, "port state %d",
	      e->pattr.state);
	CHECK(e->pattr.link_layer == IBV_LINK_LAYER_ETHERNET,
	      "link layer %d", e->pattr.link_layer);
	CHECK(e->pattr.active_mtu == IBV_MTU_1024,
	      "active_mtu %d for a 1500-byte netdev", e->pattr.active_mtu);
	CHECK(e->pattr.gid_tbl_len > 0, "gid_tbl_len %d", e->pattr.gid_tbl_len);
	CHECK(ibv_query_port(e->ctx, 2, &e->pattr) != 0,
	      "port 2 must not exist");
	ibv_query_port(e->ctx, 1, &e->pattr);

	/* 192.0.2.1 on the netdev must show up as a RoCE v2 GID. */
	e->gid_index = -1;
	for (i = 0; i < (unsigned int)e->pattr.gid_tbl_len; i++) {
		if (ibv_query_gid_ex(e->ctx, 1, i, &ent, 0))
			continue;
		if (ent.gid_type == IBV_GID_TYPE_ROCE_V2 &&
		    ent.gid.raw[10] == 0xff && ent.gid.raw[11] == 0xff &&
		    ent.gid.raw[12] == 192 && ent.gid.raw[13] == 0 &&
		    ent.gid.raw[14] == 2 && ent.gid.raw[15] == 1) {
			e->gid_index = i;
			e->gid = ent.gid;
		}
		CHECK(ent.gid_type == IBV_GID_TYPE_ROCE_V2,
		      "GID %u has type %u, device is RoCE v2 only", i,
		      ent.gid_type);
	}
	CHECK(e->gid_index >= 0, "no RoCE v2 GID for 192.0.2.1");
}

static void test_pd(struct env *e)
{
	struct ibv_pd *pd[16];
	int i;

	for (i = 0; i < 16; i++) {
		pd[i] = ibv_alloc_pd(e->ctx);
		CHECK(pd[i], "ibv_alloc_pd %d: %m", i);
	}
	for (i = 0; i < 16; i++)
		if (pd[i])
			CHECK(!ibv_dealloc_pd(pd[i]), "ibv_dealloc_pd: %m");
}

static void test_mr(struct env *e)
{
	static const int access[] = {
		0,
		IBV_ACCESS_LOCAL_WRITE,
		IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ,
		IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE,
		IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ |
			IBV_ACCESS_REMOTE_WRITE,
		IBV_ACCESS_REMOTE_READ,
		IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_RELAXED_ORDERING,
	};
	static const size_t lens[] = { 1, 4096, 5000, 1 << 20 };
	struct ibv_pd *pd = ibv_alloc_pd(e->ctx);
	struct ibv_mr *mr, *prev = NULL;
	size_t big = 4 << 20;
	char *buf, *hole;
	unsigned int i, j;

	buf = aligned_alloc(4096, big);
	memset(buf, 0xab, big);
	for (i = 0; i < sizeof(access) / sizeof(access[0]); i++) {
		for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			/* An unaligned start exercises the page offset. */
			mr = ibv_reg_mr(pd, buf + 123, lens[j], access[i]);
			CHECK(mr, "reg_mr access 0x%x len %zu: %m", access[i],
			      lens[j]);
			if (!mr)
				continue;
			CHECK(mr->lkey == mr->rkey, "lkey 0x%x != rkey 0x%x",
			      mr->lkey, mr->rkey);
			CHECK(mr->addr == buf + 123 && mr->length == lens[j],
			      "mr addr/length not what was registered");
			if (prev) {
				CHECK(prev->lkey != mr->lkey,
				      "two live MRs share key 0x%x", mr->lkey);
				ibv_dereg_mr(prev);
			}
			prev = mr;
		}
	}
	if (prev)
		CHECK(!ibv_dereg_mr(prev), "dereg_mr: %m");

	CHECK_ERRNO(!ibv_reg_mr(pd, buf, 4096, IBV_ACCESS_REMOTE_WRITE),
		    EINVAL, "remote write without local write");
	mr = ibv_reg_mr(pd, buf, 4096, IBV_ACCESS_LOCAL_WRITE |
			IBV_ACCESS_REMOTE_ATOMIC);
	CHECK(mr, "remote atomic MR: %m");
	if (mr)
		ibv_dereg_mr(mr);
	CHECK_ERRNO(!ibv_reg_mr(pd, buf, 0, IBV_ACCESS_LOCAL_WRITE), EINVAL,
		    "zero-length MR");

	/* Memory that is not mapped cannot be pinned. */
	hole = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, 1 << 20);
	CHECK_ERRNO(!ibv_reg_mr(pd, hole, 1 << 20, IBV_ACCESS_LOCAL_WRITE),
		    EFAULT, "MR over unmapped memory");
	CHECK(!ibv_reg_mr(pd, buf, e->dattr.max_mr_size + 4096,
			  IBV_ACCESS_LOCAL_WRITE),
	      "MR larger than max_mr_size accepted");

	/* A PD with an MR on it cannot go away. */
	mr = ibv_reg_mr(pd, buf, 4096, IBV_ACCESS_LOCAL_WRITE);
	CHECK_ERRNO(ibv_dealloc_pd(pd) != 0, EBUSY, "dealloc PD with an MR");
	ibv_dereg_mr(mr);
	CHECK(!ibv_dealloc_pd(pd), "dealloc_pd: %m");
	free(buf);
}

static void test_cq(struct env *e)
{
	static const int sizes[] = { 1, 2, 100, 4096 };
	struct ibv_comp_channel *ch = ibv_create_comp_channel(e->ctx);
	struct ibv_cq *cq;
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		cq = ibv_create_cq(e->ctx, sizes[i], NULL, ch, 0);
		CHECK(cq, "create_cq %d: %m", sizes[i]);
		if (!cq)
			continue;
		CHECK(cq->cqe >= sizes[i], "cq of %d has %d cqes", sizes[i],
		      cq->cqe);
		CHECK(!ibv_destroy_cq(cq), "destroy_cq: %m");
	}
	cq = ibv_create_cq(e->ctx, e->dattr.max_cqe, NULL, NULL, 0);
	CHECK(cq, "create_cq of max_cqe %d: %m", e->dattr.max_cqe);
	if (cq)
		ibv_destroy_cq(cq);
	CHECK_ERRNO(!ibv_create_cq(e->ctx, 0, NULL, NULL, 0), EINVAL,
		    "zero-length CQ");
	CHECK_ERRNO(!ibv_create_cq(e->ctx, e->dattr.max_cqe + 1, NULL, NULL,
				   0), EINVAL, "CQ over max_cqe");
	CHECK_ERRNO(!ibv_create_cq(e->ctx, 16, NULL, NULL, 1000), EINVAL,
		    "CQ on a completion vector that does not exist");
	ibv_destroy_comp_channel(ch);
}

static struct ibv_qp *make_qp(struct ibv_pd *pd, struct ibv_cq *cq,
			      enum ibv_qp_type type, uint32_t swr,
			      uint32_t rwr, uint32_t ssge, uint32_t inl)
{
	struct ibv_qp_init_attr ia = {
		.send_cq = cq,
		.recv_cq = cq,
		.qp_type = type,
		.cap = {
			.max_send_wr = swr,
			.max_recv_wr = rwr,
			.max_send_sge = ssge,
			.max_recv_sge = 1,
			.max_inline_data = inl,
		},
	};

	return ibv_create_qp(pd, &ia);
}

static enum ibv_qp_state qp_state(struct ibv_qp *qp)
{
	struct ibv_qp_init_attr ia;
	struct ibv_qp_attr a;

	if (ibv_query_qp(qp, &a, IBV_QP_STATE, &ia))
		return (enum ibv_qp_state)-1;
	return a.qp_state;
}

static int to_init(struct ibv_qp *qp)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT,
		.pkey_index = 0,
		.port_num = 1,
		.qp_access_flags = IBV_ACCESS_REMOTE_WRITE |
				   IBV_ACCESS_REMOTE_READ,
	};

	return ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			     IBV_QP_PORT | IBV_QP_ACCESS_FLAGS);
}

static void rtr_attr(struct env *e, struct ibv_qp *qp, struct ibv_qp_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->qp_state = IBV_QPS_RTR;
	a->path_mtu = IBV_MTU_1024;
	a->dest_qp_num = qp->qp_num;
	a->rq_psn = 0x123456;
	a->max_dest_rd_atomic = 4;
	a->min_rnr_timer = 12;
	a->ah_attr.is_global = 1;
	a->ah_attr.grh.dgid = e->gid;
	a->ah_attr.grh.sgid_index = e->gid_index;
	a->ah_attr.grh.hop_limit = 64;
	a->ah_attr.grh.traffic_class = 0x20;
	a->ah_attr.grh.flow_label = 0x1234;
	a->ah_attr.sl = 3;
	a->ah_attr.port_num = 1;
}

#define RTR_MASK (IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |		\
		  IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |				\
		  IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER)
#define RTS_MASK (IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |	\
		  IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC)

static void rts_attr(struct ibv_qp_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->qp_state = IBV_QPS_RTS;
	a->timeout = 14;
	a->retry_cnt = 7;
	a->rnr_retry = 7;
	a->sq_psn = 0x654321;
	a->max_rd_atomic = 4;
}

static void move(struct ibv_qp *qp, enum ibv_qp_state s)
{
	struct ibv_qp_attr a = { .qp_state = s };

	CHECK(!ibv_modify_qp(qp, &a, IBV_QP_STATE), "modify to %d: %m", s);
	CHECK(qp_state(qp) == s, "state %d after modify to %d", qp_state(qp),
	      s);
}

/* A refused modify leaves the QP where it was. */
static void refused(struct ibv_qp *qp, struct ibv_qp_attr *a, int mask,
		    const char *what)
{
	enum ibv_qp_state before = qp_state(qp);

	CHECK_ERRNO(ibv_modify_qp(qp, a, mask) != 0, EINVAL, what);
	CHECK(qp_state(qp) == before, "%s: state moved %d -> %d", what,
	      before, qp_state(qp));
}

static bool wait_async(struct ibv_context *ctx, enum ibv_event_type type,
		       int timeout_ms)
{
	struct pollfd pfd = { .fd = ctx->async_fd, .events = POLLIN };
	struct ibv_async_event ev;
	bool found = false;

	while (!found && poll(&pfd, 1, timeout_ms) == 1) {
		if (ibv_get_async_event(ctx, &ev))
			break;
		found = ev.event_type == type;
		ibv_ack_async_event(&ev);
	}
	return found;
}

static void test_qp_states(struct env *e, struct ibv_pd *pd, struct ibv_cq *cq)
{
	struct ibv_qp_init_attr ia;
	struct ibv_qp_attr a, q;
	struct ibv_qp *qp;

	qp = make_qp(pd, cq, IBV_QPT_RC, 64, 64, 2, 64);
	CHECK(qp, "create RC QP: %m");
	if (!qp)
		return;
	CHECK(qp->qp_num > 1 && qp->qp_num <= 0xffffff, "qp_num 0x%x",
	      qp->qp_num);
	CHECK(qp_state(qp) == IBV_QPS_RESET, "new QP not in RESET");

	/* RESET: only INIT, RESET and ERR are reachable. */
	rtr_attr(e, qp, &a);
	refused(qp, &a, RTR_MASK, "RESET -> RTR");
	rts_attr(&a);
	refused(qp, &a, RTS_MASK, "RESET -> RTS");
	a.qp_state = IBV_QPS_INIT;
	a.port_num = 2;
	refused(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
		IBV_QP_ACCESS_FLAGS, "RESET -> INIT on port 2");
	a.port_num = 1;
	refused(qp, &a, IBV_QP_STATE | IBV_QP_PORT,
		"RESET -> INIT without required attributes");

	CHECK(!to_init(qp), "RESET -> INIT: %m");
	CHECK(qp_state(qp) == IBV_QPS_INIT, "not INIT");
	CHECK(!ibv_query_qp(qp, &q, IBV_QP_ACCESS_FLAGS | IBV_QP_PORT, &ia),
	      "query_qp: %m");
	CHECK(q.qp_access_flags == (IBV_ACCESS_REMOTE_WRITE |
				    IBV_ACCESS_REMOTE_READ),
	      "access flags 0x%x", q.qp_access_flags);
	CHECK(q.port_num == 1, "port %d", q.port_num);
	CHECK(ia.qp_type == IBV_QPT_RC, "qp_type %d", ia.qp_type);
	CHECK(ia.cap.max_send_wr >= 64 && ia.cap.max_recv_wr >= 64,
	      "caps %u/%u", ia.cap.max_send_wr, ia.cap.max_recv_wr);

	/* INIT -> INIT changes access flags. */
	a.qp_state = IBV_QPS_INIT;
	a.qp_access_flags = IBV_ACCESS_REMOTE_READ;
	CHECK(!ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_ACCESS_FLAGS),
	      "INIT -> INIT: %m");
	ibv_query_qp(qp, &q, IBV_QP_ACCESS_FLAGS, &ia);
	CHECK(q.qp_access_flags == IBV_ACCESS_REMOTE_READ,
	      "access after INIT->INIT 0x%x", q.qp_access_flags);

	rts_attr(&a);
	refused(qp, &a, RTS_MASK, "INIT -> RTS");
	rtr_attr(e, qp, &a);
	refused(qp, &a, RTR_MASK & ~IBV_QP_AV, "INIT -> RTR without AV");
	a.path_mtu = 6;
	refused(qp, &a, RTR_MASK, "INIT -> RTR with MTU 8192");
	rtr_attr(e, qp, &a);
	a.max_dest_rd_atomic = e->dattr.max_qp_rd_atom + 1;
	refused(qp, &a, RTR_MASK, "INIT -> RTR over max_qp_rd_atom");
	rtr_attr(e, qp, &a);
	a.ah_attr.grh.sgid_index = e->pattr.gid_tbl_len + 1;
	CHECK(ibv_modify_qp(qp, &a, RTR_MASK) != 0,
	      "INIT -> RTR with a GID index past the table");
	CHECK(qp_state(qp) == IBV_QPS_INIT, "bad GID index moved the QP");

	rtr_attr(e, qp, &a);
	CHECK(!ibv_modify_qp(qp, &a, RTR_MASK), "INIT -> RTR: %m");
	CHECK(!ibv_query_qp(qp, &q, RTR_MASK, &ia), "query_qp: %m");
	CHECK(q.qp_state == IBV_QPS_RTR, "state %d", q.qp_state);
	CHECK(q.path_mtu == IBV_MTU_1024, "path_mtu %d", q.path_mtu);
	CHECK(q.dest_qp_num == qp->qp_num, "dest_qp_num 0x%x", q.dest_qp_num);
	CHECK(q.rq_psn == 0x123456, "rq_psn 0x%x", q.rq_psn);
	CHECK(q.max_dest_rd_atomic == 4, "max_dest_rd_atomic %d",
	      q.max_dest_rd_atomic);
	CHECK(q.min_rnr_timer == 12, "min_rnr_timer %d", q.min_rnr_timer);
	CHECK(q.ah_attr.is_global && q.ah_attr.grh.sgid_index == e->gid_index,
	      "AV: is_global %d sgid_index %d", q.ah_attr.is_global,
	      q.ah_attr.grh.sgid_index);
	CHECK(!memcmp(&q.ah_attr.grh.dgid, &e->gid, sizeof(e->gid)),
	      "AV: dgid differs");
	CHECK(q.ah_attr.grh.hop_limit == 64 &&
	      q.ah_attr.grh.traffic_class == 0x20 &&
	      q.ah_attr.grh.flow_label == 0x1234 && q.ah_attr.sl == 3,
	      "AV: hop %d tclass 0x%x flow 0x%x sl %d",
	      q.ah_attr.grh.hop_limit, q.ah_attr.grh.traffic_class,
	      q.ah_attr.grh.flow_label, q.ah_attr.sl);

	a.qp_state = IBV_QPS_INIT;
	refused(qp, &a, IBV_QP_STATE, "RTR -> INIT");
	rts_attr(&a);
	a.retry_cnt = 8;
	refused(qp, &a, RTS_MASK, "RTR -> RTS with retry_cnt 8");
	rts_attr(&a);
	a.timeout = 32;
	refused(qp, &a, RTS_MASK, "RTR -> RTS with timeout 32");
	rts_attr(&a);
	a.max_rd_atomic = e->dattr.max_qp_init_rd_atom + 1;
	refused(qp, &a, RTS_MASK, "RTR -> RTS over max_qp_init_rd_atom");
	rts_attr(&a);
	refused(qp, &a, RTS_MASK & ~IBV_QP_SQ_PSN, "RTR -> RTS without SQ PSN");

	rts_attr(&a);
	CHECK(!ibv_modify_qp(qp, &a, RTS_MASK), "RTR -> RTS: %m");
	CHECK(!ibv_query_qp(qp, &q, RTS_MASK, &ia), "query_qp: %m");
	CHECK(q.qp_state == IBV_QPS_RTS, "state %d", q.qp_state);
	CHECK(q.sq_psn == 0x654321 && q.timeout == 14 && q.retry_cnt == 7 &&
	      q.rnr_retry == 7 && q.max_rd_atomic == 4,
	      "RTS attributes: psn 0x%x timeout %d retry %d rnr %d rd %d",
	      q.sq_psn, q.timeout, q.retry_cnt, q.rnr_retry, q.max_rd_atomic);

	/* RTS -> RTS with a new min_rnr_timer. */
	a.qp_state = IBV_QPS_RTS;
	a.min_rnr_timer = 20;
	CHECK(!ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_MIN_RNR_TIMER),
	      "RTS -> RTS: %m");
	ibv_query_qp(qp, &q, IBV_QP_MIN_RNR_TIMER, &ia);
	CHECK(q.min_rnr_timer == 20, "min_rnr_timer %d after RTS->RTS",
	      q.min_rnr_timer);

	/* The current state, when given, must be the real one. */
	a.qp_state = IBV_QPS_RTS;
	a.cur_qp_state = IBV_QPS_SQD;
	refused(qp, &a, IBV_QP_STATE | IBV_QP_CUR_STATE,
		"RTS -> RTS claiming the QP is in SQD");

	/* SQ drain: SQD with the drained event, then back to RTS. */
	a.qp_state = IBV_QPS_SQD;
	a.en_sqd_async_notify = 1;
	CHECK(!ibv_modify_qp(qp, &a, IBV_QP_STATE |
			     IBV_QP_EN_SQD_ASYNC_NOTIFY), "RTS -> SQD: %m");
	CHECK(qp_state(qp) == IBV_QPS_SQD, "not SQD");
	CHECK(wait_async(e->ctx, IBV_EVENT_SQ_DRAINED, 5000),
	      "no IBV_EVENT_SQ_DRAINED after RTS -> SQD");
	ibv_query_qp(qp, &q, IBV_QP_STATE, &ia);
	CHECK(!q.sq_draining, "SQ still draining with nothing posted");
	move(qp, IBV_QPS_RTS);

	move(qp, IBV_QPS_ERR);
	rts_attr(&a);
	refused(qp, &a, RTS_MASK, "ERR -> RTS");
	move(qp, IBV_QPS_RESET);
	ibv_query_qp(qp, &q, IBV_QP_RQ_PSN | IBV_QP_DEST_QPN, &ia);
	CHECK(!ibv_query_qp(qp, &q, IBV_QP_STATE, &ia), "query after reset");
	CHECK(!to_init(qp), "RESET -> INIT again: %m");
	move(qp, IBV_QPS_ERR);
	CHECK(!ibv_destroy_qp(qp), "destroy_qp: %m");
}

static void test_qp_create(struct env *e, struct ibv_pd *pd,
			   struct ibv_cq *cq)
{
	struct ibv_context *ctx2 = ibv_open_device(e->ctx->device);
	struct ibv_pd *pd2 = ctx2 ? ibv_alloc_pd(ctx2) : NULL;
	struct ibv_qp *qp[32];
	struct ibv_qp_init_attr ia;
	struct ibv_qp_attr q;
	unsigned int i;

	CHECK(pd2, "second context and PD: %m");
	for (i = 0; i < 32; i++) {
		qp[i] = make_qp(pd, cq, IBV_QPT_RC, 1 + i * 7, i * 3, 1 + i % 4,
				i * 8);
		CHECK(qp[i], "create QP %u: %m", i);
	}
	for (i = 0; i < 32; i++) {
		if (!qp[i])
			continue;
		ibv_query_qp(qp[i], &q, IBV_QP_CAP, &ia);
		CHECK(ia.cap.max_send_wr >= 1 + i * 7 &&
		      ia.cap.max_recv_wr >= i * 3 &&
		      ia.cap.max_send_sge >= 1 + i % 4 &&
		      ia.cap.max_inline_data >= i * 8,
		      "QP %u caps smaller than asked", i);
		CHECK(!ibv_destroy_qp(qp[i]), "destroy QP %u: %m", i);
	}

	CHECK_ERRNO(!make_qp(pd, cq, IBV_QPT_RC, e->dattr.max_qp_wr + 1, 1, 1,
			     0), EINVAL, "QP over max_qp_wr");
	CHECK_ERRNO(!make_qp(pd, cq, IBV_QPT_RC, 1, 1, e->dattr.max_sge + 1,
			     0), EINVAL, "QP over max_sge");
	CHECK_ERRNO(!make_qp(pd, cq, IBV_QPT_RC, 1, 1, 1, 1 << 20), EINVAL,
		    "QP with 1 MiB of inline data");
	{
		enum ibv_qp_type types[] = { IBV_QPT_UD, IBV_QPT_UC };
		struct ibv_qp *q;

		for (i = 0; i < 2; i++) {
			q = make_qp(pd, cq, types[i], 4, 4, 1, 16);
			CHECK(q, "QP of type %d: %m", types[i]);
			if (q)
				CHECK(!ibv_destroy_qp(q), "destroy QP: %m");
		}
	}
	CHECK(!make_qp(pd, cq, IBV_QPT_XRC_SEND, 1, 1, 1, 0),
	      "XRC QP created though XRC is not implemented");
	/* A PD of another context is not this context's to use. */
	if (pd2) {
		struct ibv_qp_init_attr wrong = {
			.send_cq = cq, .recv_cq = cq, .qp_type = IBV_QPT_RC,
			.cap = { .max_send_wr = 1, .max_recv_wr = 1,
				 .max_send_sge = 1, .max_recv_sge = 1 },
		};
		struct ibv_qp *bad = ibv_create_qp(pd2, &wrong);

		CHECK(!bad, "QP created with the PD of another context");
		if (bad)
			ibv_destroy_qp(bad);
		ibv_dealloc_pd(pd2);
	}
	if (ctx2)
		ibv_close_device(ctx2);

	/* A CQ with a QP on it cannot go away. */
	qp[0] = make_qp(pd, cq, IBV_QPT_RC, 4, 4, 1, 0);
	CHECK_ERRNO(ibv_destroy_cq(cq) != 0, EBUSY, "destroy CQ with a QP");
	CHECK_ERRNO(ibv_dealloc_pd(pd) != 0, EBUSY, "dealloc PD with a QP");
	if (qp[0])
		ibv_destroy_qp(qp[0]);
}

static void srq_query(struct ibv_srq *srq, struct ibv_srq_attr *a)
{
	memset(a, 0xff, sizeof(*a));
	CHECK(!ibv_query_srq(srq, a), "query_srq: %m");
}

/* Create, query, arm, refuse what mlx5 refuses, and the EBUSY rule. */
static void test_srq(struct env *e, struct ibv_pd *pd, struct ibv_cq *cq)
{
	struct ibv_srq_init_attr sia = {
		.attr = { .max_wr = 100, .max_sge = 3 },
	};
	struct ibv_srq_init_attr_ex sx = {};
	struct ibv_qp_init_attr qia = {
		.send_cq = cq, .recv_cq = cq, .qp_type = IBV_QPT_RC,
		.cap = { .max_send_wr = 4, .max_send_sge = 1 },
	};
	struct ibv_srq_attr a;
	struct ibv_qp *qp;
	struct ibv_srq *srq, *srq2;

	srq = ibv_create_srq(pd, &sia);
	CHECK(srq, "create_srq: %m");
	if (!srq)
		return;
	CHECK(sia.attr.max_wr >= 100 && sia.attr.max_sge >= 3,
	      "create_srq reports max_wr %u max_sge %u", sia.attr.max_wr,
	      sia.attr.max_sge);
	srq_query(srq, &a);
	CHECK(a.max_wr == sia.attr.max_wr && a.max_sge == sia.attr.max_sge &&
	      a.srq_limit == 0, "query_srq: max_wr %u max_sge %u limit %u",
	      a.max_wr, a.max_sge, a.srq_limit);
	a.srq_limit = 10;
	CHECK(!ibv_modify_srq(srq, &a, IBV_SRQ_LIMIT), "arm limit 10: %m");
	srq_query(srq, &a);
	CHECK(a.srq_limit == 10, "query_srq after arming: limit %u",
	      a.srq_limit);
	a.srq_limit = sia.attr.max_wr + 1;
	CHECK_ERRNO(ibv_modify_srq(srq, &a, IBV_SRQ_LIMIT) != 0, EINVAL,
		    "srq_limit above max_wr");
	a.max_wr = sia.attr.max_wr * 2;
	CHECK_ERRNO(ibv_modify_srq(srq, &a, IBV_SRQ_MAX_WR) != 0, EINVAL,
		    "SRQ resize (not supported, EINVAL as on mlx5)");
	srq_query(srq, &a);
	CHECK(a.srq_limit == 10 && a.max_wr == sia.attr.max_wr,
	      "refused modifies changed the SRQ: limit %u max_wr %u",
	      a.srq_limit, a.max_wr);

	sia.attr.max_wr = e->dattr.max_srq_wr + 1;
	CHECK_ERRNO(!ibv_create_srq(pd, &sia), EINVAL, "SRQ over max_srq_wr");
	sia.attr.max_wr = 4;
	sia.attr.max_sge = e->dattr.max_srq_sge + 1;
	CHECK_ERRNO(!ibv_create_srq(pd, &sia), EINVAL, "SRQ over max_srq_sge");

	/* The basic type through ibv_create_srq_ex; no XRC. */
	sx.comp_mask = IBV_SRQ_INIT_ATTR_PD | IBV_SRQ_INIT_ATTR_TYPE;
	sx.srq_type = IBV_SRQT_BASIC;
	sx.pd = pd;
	sx.attr.max_wr = 8;
	sx.attr.max_sge = 1;
	srq2 = ibv_create_srq_ex(e->ctx, &sx);
	CHECK(srq2, "create_srq_ex (basic): %m");
	if (srq2)
		CHECK(!ibv_destroy_srq(srq2), "destroy_srq: %m");
	sx.srq_type = IBV_SRQT_XRC;
	sx.comp_mask |= IBV_SRQ_INIT_ATTR_CQ;
	sx.cq = cq;
	srq2 = ibv_create_srq_ex(e->ctx, &sx);
	CHECK(!srq2, "XRC SRQ created though XRC is not implemented");
	if (srq2)
		ibv_destroy_srq(srq2);

	/* A QP on the SRQ: no receive queue of its own; the SRQ stays. */
	qia.srq = srq;
	qp = ibv_create_qp(pd, &qia);
	CHECK(qp, "create QP on an SRQ: %m");
	if (qp) {
		struct ibv_recv_wr wr = { .wr_id = 1 }, *bad;

		CHECK(qia.cap.max_recv_wr == 0, "QP on an SRQ: max_recv_wr %u",
		      qia.cap.max_recv_wr);
		CHECK(ibv_post_recv(qp, &wr, &bad) != 0,
		      "post_recv to a QP on an SRQ accepted");
		CHECK_ERRNO(ibv_destroy_srq(srq) != 0, EBUSY,
			    "destroy SRQ with a QP on it");
		CHECK(!ibv_destroy_qp(qp), "destroy QP on an SRQ: %m");
	}
	CHECK(!ibv_destroy_srq(srq), "destroy_srq: %m");
}

static int hold(struct env *e)
{
	struct ibv_pd *pd = ibv_alloc_pd(e->ctx);
	struct ibv_cq *cq = ibv_create_cq(e->ctx, 64, NULL, NULL, 0);
	struct ibv_cq *cq2 = ibv_create_cq(e->ctx, 16, NULL, NULL, 0);
	static char buf[1 << 16];
	struct ibv_mr *mr = pd ? ibv_reg_mr(pd, buf, sizeof(buf),
					    IBV_ACCESS_LOCAL_WRITE) : NULL;
	struct ibv_qp *qp = pd && cq ? make_qp(pd, cq, IBV_QPT_RC, 16, 16, 1,
					      0) : NULL;
	struct ibv_srq_init_attr sia = { .attr = { .max_wr = 8, .max_sge = 1 } };
	struct ibv_srq *srq = pd ? ibv_create_srq(pd, &sia) : NULL;
	struct ibv_qp_init_attr qia = {
		.send_cq = cq2, .recv_cq = cq2, .srq = srq,
		.qp_type = IBV_QPT_RC,
		.cap = { .max_send_wr = 4, .max_send_sge = 1 },
	};
	struct ibv_qp *sqp = srq && cq2 ? ibv_create_qp(pd, &qia) : NULL;
	struct ibv_sge sge = { .addr = (uintptr_t)buf, .length = 64 };
	struct ibv_recv_wr rwr = { .sg_list = &sge, .num_sge = 1 }, *bad;
	struct ibv_async_event ev;

	if (!pd || !cq || !cq2 || !mr || !qp || !srq || !sqp || to_init(qp) ||
	    to_init(sqp)) {
		printf("hold: setup failed: %m\n");
		return 1;
	}
	/* A live SRQ with posted WQEs and a QP on it go down with the rest. */
	sge.lkey = mr->lkey;
	if (ibv_post_srq_recv(srq, &rwr, &bad)) {
		printf("hold: post_srq_recv failed\n");
		return 1;
	}
	printf("READY qpn=%u\n", qp->qp_num);
	fflush(stdout);
	/* Blocks until the device goes away (disassociate) or we're killed. */
	if (!ibv_get_async_event(e->ctx, &ev)) {
		printf("EVENT %s%s\n", ibv_event_type_str(ev.event_type),
		       ev.event_type == IBV_EVENT_DEVICE_FATAL ?
		       " DEVICE_FATAL" : "");
		ibv_ack_async_event(&ev);
	}
	fflush(stdout);
	ibv_destroy_qp(sqp);
	ibv_destroy_srq(srq);
	ibv_destroy_qp(qp);
	ibv_dereg_mr(mr);
	ibv_destroy_cq(cq2);
	ibv_destroy_cq(cq);
	ibv_dealloc_pd(pd);
	ibv_close_device(e->ctx);
	printf("CLOSED\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = "mlx5x_0";
	struct env e = {};
	bool do_hold = false;
	struct ibv_pd *pd;
	struct ibv_cq *cq;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--hold"))
			do_hold = true;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	e.ctx = open_dev(name);
	if (!e.ctx) {
		printf("FAIL: cannot open %s\n0 passed, 1 failed\n", name);
		return 1;
	}
	if (do_hold)
		return hold(&e);

	test_device(&e);
	test_port(&e);
	test_pd(&e);
	test_mr(&e);
	test_cq(&e);
	pd = ibv_alloc_pd(e.ctx);
	cq = ibv_create_cq(e.ctx, 256, NULL, NULL, 0);
	CHECK(pd && cq, "PD and CQ for QP tests: %m");
	if (pd && cq && e.gid_index >= 0) {
		test_qp_states(&e, pd, cq);
		test_qp_create(&e, pd, cq);
		test_srq(&e, pd, cq);
	}
	if (cq)
		CHECK(!ibv_destroy_cq(cq), "destroy_cq: %m");
	if (pd)
		CHECK(!ibv_dealloc_pd(pd), "dealloc_pd: %m");
	CHECK(!ibv_close_device(e.ctx), "close_device: %m");

	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * rc_stress: random RC traffic on many QPs, every byte verified, for a
 * bounded time; then everything is destroyed. libibverbs only.
 *
 * NQP QPs (default 64) on one device, connected in loopback pairs (2k <->
 * 2k+1), spread over NCQ CQs (default 8; a QP's send and receive CQs
 * differ). Every QP is a requester towards its partner and posts random
 * SEND, SEND_WITH_IMM, RDMA_WRITE, RDMA_WRITE_WITH_IMM and RDMA_READ of
 * random sizes (0..MAXSIZE), inline when small enough and chosen so,
 * signaled at random (sq_sig_all=0; at least every SQ_DEPTH/2 WRs).
 *
 * Verification:
 *   - every payload is a pattern of (QP, sequence number); SENDs are
 *     checked in the receiver's buffer, in order (RC delivers in order);
 *   - RDMA WRITE (with or without immediate) is checked in the partner's
 *     memory and RDMA READ in the local buffer when the requester retires
 *     the WR (its own signaled completion or a later one: completions of
 *     one SQ are in order);
 *   - immediates, byte_len, opcodes and wr_ids are checked;
 *   - any error completion ends the run with status 1.
 * Receives are credited: a requester only posts a message that consumes a
 * receive when one is posted at its partner, so no RNR happens.
 *
 * usage: rc_stress [-d DEV] [-g GIDIDX] [-t SECONDS] [-q NQP] [-c NCQ]
 *                  [-m MAXSIZE] [-s SEED] [-v]
 * Exit: 0 all verified and destroyed; 1 verification/completion error;
 * 2 setup error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <infiniband/verbs.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stress_dev.h"

#define SQ_DEPTH 8
#define RQ_DEPTH 8
#define MAX_INLINE 128

enum { OP_SEND, OP_SEND_IMM, OP_WRITE, OP_WRITE_IMM, OP_READ, OP_N };
static const char *op_name[OP_N] = { "send", "send_imm", "write", "write_imm", "read" };

struct op {
	uint64_t seq;
	int kind;
	uint32_t size;
	int signaled;
};

/* A message that consumes a receive at the partner, in posting order. */
struct inbound {
	uint64_t seq;
	int kind;
	uint32_t size;
};

struct q {
	int idx;
	struct q *peer;
	struct ibv_qp *qp;
	struct ibv_mr *mr;
	unsigned char *buf;	/* src slots | remote-target slots | recv slots */
	uint32_t max_inline;
	uint64_t seq;		/* next sequence number to post */
	struct op fifo[SQ_DEPTH];	/* posted, not yet retired */
	unsigned head, tail;	/* fifo[head % SQ_DEPTH] is the oldest */
	int unsignaled_run;
	/* As a receiver: */
	int recv_posted;	/* receives posted and not consumed */
	int recv_credit;	/* of those, not yet claimed by the partner */
	unsigned recv_next;	/* slot of the next receive to complete */
	unsigned recv_post_slot;
	struct inbound in[RQ_DEPTH];	/* messages the partner sent us */
	unsigned in_head, in_tail;
};

static size_t maxsize = 65536;
static int verbose;
static unsigned long long stats_ops[OP_N], stats_bytes, stats_cqe;

static void die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "rc_stress: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(code);
}

/* xorshift64*: reproducible from -s */
static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static unsigned char pat(int qidx, uint64_t seq, size_t i)
{
	return (unsigned char)(seq * 131 + i * 7 + (i >> 8) + qidx * 29 + 1);
}

static void fill(unsigned char *p, int qidx, uint64_t seq, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pat(qidx, seq, i);
}

static int check(const unsigned char *p, int qidx, uint64_t seq, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != pat(qidx, seq, i))
			return (int)i;
	return -1;
}

static unsigned char *src_slot(struct q *q, uint64_t seq)
{
	return q->buf + (seq % SQ_DEPTH) * maxsize;
}

/* Where q's RDMA WRITE/READ with SEQ lands/comes from in q->peer's MR. */
static unsigned char *tgt_slot(struct q *q, uint64_t seq)
{
	return q->peer->buf + (SQ_DEPTH + seq % SQ_DEPTH) * maxsize;
}

static unsigned char *recv_slot(struct q *q, unsigned slot)
{
	return q->buf + (2 * SQ_DEPTH + slot % RQ_DEPTH) * maxsize;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void post_recv(struct q *q)
{
	unsigned slot = q->recv_post_slot++ % RQ_DEPTH;
	struct ibv_sge sge = {
		.addr = (uintptr_t)recv_slot(q, slot),
		.length = (uint32_t)maxsize,
		.lkey = q->mr->lkey,
	};
	struct ibv_recv_wr wr = { .wr_id = slot, .sg_list = &sge, .num_sge = 1 }, *bad;
	int err = ibv_post_recv(q->qp, &wr, &bad);

	if (err)
		die(1, "qp %d: ibv_post_recv: %s", q->idx, strerror(err));
	q->recv_posted++;
	q->recv_credit++;
}

/* Retire q's WRs up to and including SEQ (a completion for SEQ came). */
static void retire(struct q *q, uint64_t seq)
{
	while (q->head != q->tail) {
		struct op *op = &q->fifo[q->head % SQ_DEPTH];
		int bad = -1;

		if (op->seq > seq)
			break;
		switch (op->kind) {
		case OP_WRITE:
		case OP_WRITE_IMM:
			bad = check(tgt_slot(q, op->seq), q->idx, op->seq, op->size);
			break;
		case OP_READ:
			/* READ pattern was written by the peer-side slot owner */
			bad = check(src_slot(q, op->seq), q->peer->idx, op->seq, op->size);
			break;
		}
		if (bad >= 0)
			die(1, "qp %d seq %llu %s size %u: byte %d differs", q->idx,
			    (unsigned long long)op->seq, op_name[op->kind], op->size, bad);
		if (op->seq == seq && !op->signaled)
			die(1, "qp %d: completion for unsignaled seq %llu", q->idx,
			    (unsigned long long)seq);
		q->head++;
		if (op->seq == seq)
			return;
	}
	die(1, "qp %d: completion for seq %llu which is not outstanding", q->idx,
	    (unsigned long long)seq);
}

static void post_one(struct q *q, int draining)
{
	struct q *p = q->peer;
	uint64_t seq = q->seq;
	int kind = (int)(rnd() % OP_N);
	uint32_t size;
	struct ibv_sge sge;
	struct ibv_send_wr wr = { 0 }, *bad;
	int err, use_inline;

	if (q->tail - q->head >= SQ_DEPTH)
		return;
	/* A message that consumes a receive needs one posted at the peer. */
	if ((kind == OP_SEND || kind == OP_SEND_IMM || kind == OP_WRITE_IMM) &&
	    p->recv_credit == 0)
		kind = rnd() & 1 ? OP_WRITE : OP_READ;
	/* Sizes: mostly small, some large, some zero. */
	switch (rnd() % 4) {
	case 0: size = rnd() % 65; break;
	case 1: size = rnd() % 4097; break;
	default: size = (uint32_t)(rnd() % (maxsize + 1)); break;
	}
	if (kind == OP_READ) {
		/* The data the READ fetches: in the target slot at the peer. */
		fill(tgt_slot(q, seq), p->idx, seq, size);
		memset(src_slot(q, seq), 0, size);
	} else {
		fill(src_slot(q, seq), q->idx, seq, size);
	}
	use_inline = kind != OP_READ && size <= q->max_inline && (rnd() & 1);
	sge.addr = (uintptr_t)src_slot(q, seq);
	sge.length = size;
	sge.lkey = use_inline && (rnd() & 1) ? 0xdeadbeef : q->mr->lkey;
	wr.wr_id = seq;
	wr.sg_list = &sge;
	wr.num_sge = 1;
	switch (kind) {
	case OP_SEND: wr.opcode = IBV_WR_SEND; break;
	case OP_SEND_IMM: wr.opcode = IBV_WR_SEND_WITH_IMM; break;
	case OP_WRITE: wr.opcode = IBV_WR_RDMA_WRITE; break;
	case OP_WRITE_IMM: wr.opcode = IBV_WR_RDMA_WRITE_WITH_IMM; break;
	case OP_READ: wr.opcode = IBV_WR_RDMA_READ; break;
	}
	if (kind == OP_SEND_IMM || kind == OP_WRITE_IMM)
		wr.imm_data = htonl((uint32_t)seq ^ (uint32_t)(q->idx << 24));
	if (kind == OP_WRITE || kind == OP_WRITE_IMM || kind == OP_READ) {
		wr.wr.rdma.remote_addr = (uintptr_t)tgt_slot(q, seq);
		wr.wr.rdma.rkey = p->mr->rkey;
	}
	if (use_inline)
		wr.send_flags |= IBV_SEND_INLINE;
	/* Signal at random, at the latest every SQ_DEPTH/2, and when draining. */
	if (draining || (rnd() % 4) == 0 || q->unsignaled_run >= SQ_DEPTH / 2 - 1) {
		wr.send_flags |= IBV_SEND_SIGNALED;
		q->unsignaled_run = 0;
	} else {
		q->unsignaled_run++;
	}
	err = ibv_post_send(q->qp, &wr, &bad);
	if (err)
		die(1, "qp %d: ibv_post_send(%s, %u%s): %s", q->idx, op_name[kind], size,
		    use_inline ? ", inline" : "", strerror(err));
	q->fifo[q->tail % SQ_DEPTH] = (struct op){ seq, kind, size,
						   !!(wr.send_flags & IBV_SEND_SIGNALED) };
	q->tail++;
	q->seq++;
	if (kind == OP_SEND || kind == OP_SEND_IMM || kind == OP_WRITE_IMM) {
		p->recv_credit--;
		p->in[p->in_tail++ % RQ_DEPTH] = (struct inbound){ seq, kind, size };
	}
	stats_ops[kind]++;
	stats_bytes += size;
}

static void on_recv(struct q *q, struct ibv_wc *wc)
{
	struct inbound *m;
	int bad;

	if (q->in_head == q->in_tail)
		die(1, "qp %d: receive completion with nothing sent", q->idx);
	m = &q->in[q->in_head++ % RQ_DEPTH];
	if (wc->wr_id != q->recv_next % RQ_DEPTH)
		die(1, "qp %d: receive wr_id %llu, expected %u (out of order)", q->idx,
		    (unsigned long long)wc->wr_id, q->recv_next % RQ_DEPTH);
	q->recv_next++;
	switch (m->kind) {
	case OP_SEND:
	case OP_SEND_IMM:
		if (wc->opcode != IBV_WC_RECV)
			die(1, "qp %d: opcode %d for a SEND", q->idx, wc->opcode);
		if (wc->byte_len != m->size)
			die(1, "qp %d seq %llu: byte_len %u, sent %u", q->idx,
			    (unsigned long long)m->seq, wc->byte_len, m->size);
		bad = check(recv_slot(q, (unsigned)wc->wr_id), q->peer->idx, m->seq, m->size);
		if (bad >= 0)
			die(1, "qp %d seq %llu: received byte %d differs", q->idx,
			    (unsigned long long)m->seq, bad);
		break;
	case OP_WRITE_IMM:
		if (wc->opcode != IBV_WC_RECV_RDMA_WITH_IMM)
			die(1, "qp %d: opcode %d for a WRITE_WITH_IMM", q->idx, wc->opcode);
		break;
	}
	if (m->kind != OP_SEND) {
		uint32_t want = htonl((uint32_t)m->seq ^ (uint32_t)(q->peer->idx << 24));

		if (!(wc->wc_flags & IBV_WC_WITH_IMM) || wc->imm_data != want)
			die(1, "qp %d seq %llu: imm %#x (flags %#x), expected %#x", q->idx,
			    (unsigned long long)m->seq, wc->imm_data, wc->wc_flags, want);
	} else if (wc->wc_flags & IBV_WC_WITH_IMM) {
		die(1, "qp %d: SEND completed WITH_IMM", q->idx);
	}
	q->recv_posted--;
}

int main(int argc, char **argv)
{
	const char *devname = "mlx5x_0";
	int gid_index = -1, nqp = 64, ncq = 8, opt, i, n;
	double secs = 20, t_end, t0;
	unsigned long long seed = 1;
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_cq **cqs;
	struct q *qs;
	struct q **by_qpn;	/* small lookup: qp_num -> q (linear) */
	union ibv_gid gid;
	struct ibv_port_attr port;
	struct ibv_device_attr dattr;

	while ((opt = getopt(argc, argv, "d:g:t:q:c:m:s:v")) != -1) {
		switch (opt) {
		case 'd': devname = optarg; break;
		case 'g': gid_index = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'q': nqp = atoi(optarg); break;
		case 'c': ncq = atoi(optarg); break;
		case 'm': maxsize = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: rc_stress [-d DEV] [-g GIDIDX] [-t SECONDS] "
				"[-q NQP] [-c NCQ] [-m MAXSIZE] [-s SEED] [-v]\n");
			return 2;
		}
	}
	if (nqp < 2 || nqp % 2 || ncq < 2 || maxsize < 64)
		die(2, "need an even NQP >= 2, NCQ >= 2, MAXSIZE >= 64");
	rng_state ^= seed * 0x9e3779b97f4a7c15ull;

	ctx = stress_open(devname, &gid_index, &gid, &port);
	if (!ctx)
		die(2, "no device");
	if (ibv_query_device(ctx, &dattr))
		die(2, "query failed");

	pd = ibv_alloc_pd(ctx);
	if (!pd)
		die(2, "ibv_alloc_pd: %s", strerror(errno));
	cqs = calloc(ncq, sizeof(*cqs));
	qs = calloc(nqp, sizeof(*qs));
	by_qpn = calloc(nqp, sizeof(*by_qpn));
	for (i = 0; i < ncq; i++) {
		int per = (nqp + ncq - 1) / ncq;

		cqs[i] = ibv_create_cq(ctx, 2 * per * (SQ_DEPTH + RQ_DEPTH) + 64, NULL, NULL, 0);
		if (!cqs[i])
			die(2, "ibv_create_cq %d: %s", i, strerror(errno));
	}
	for (i = 0; i < nqp; i++) {
		struct q *q = &qs[i];
		size_t len = (2 * SQ_DEPTH + RQ_DEPTH) * maxsize;
		struct ibv_qp_init_attr ia = {
			.send_cq = cqs[i % ncq],
			/* never the send CQ; spread over the others */
			.recv_cq = cqs[(i + 1 + (i / ncq) % (ncq - 1)) % ncq],
			.cap = { .max_send_wr = SQ_DEPTH, .max_recv_wr = RQ_DEPTH,
				 .max_send_sge = 1, .max_recv_sge = 1,
				 .max_inline_data = MAX_INLINE },
			.qp_type = IBV_QPT_RC,
			.sq_sig_all = 0,
		};

		q->idx = i;
		q->qp = ibv_create_qp(pd, &ia);
		if (!q->qp) {	/* less inline, then none */
			ia.cap.max_inline_data = 0;
			q->qp = ibv_create_qp(pd, &ia);
		}
		if (!q->qp)
			die(2, "ibv_create_qp %d: %s", i, strerror(errno));
		q->max_inline = ia.cap.max_inline_data;
		q->buf = aligned_alloc(4096, len);
		if (!q->buf)
			die(2, "out of memory");
		memset(q->buf, 0, len);
		q->mr = ibv_reg_mr(pd, q->buf, len, IBV_ACCESS_LOCAL_WRITE |
				   IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ);
		if (!q->mr)
			die(2, "ibv_reg_mr %d: %s", i, strerror(errno));
		by_qpn[i] = q;
	}
	for (i = 0; i < nqp; i++) {
		struct q *q = &qs[i];
		struct ibv_qp_attr a = {
			.qp_state = IBV_QPS_INIT, .port_num = 1,
			.qp_access_flags = IBV_ACCESS_LOCAL_WRITE |
				IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ,
		};

		q->peer = &qs[i ^ 1];
		if (ibv_modify_qp(q->qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
				  IBV_QP_PORT | IBV_QP_ACCESS_FLAGS))
			die(2, "qp %d to INIT: %s", i, strerror(errno));
	}
	for (i = 0; i < nqp; i++) {
		struct q *q = &qs[i];
		struct ibv_qp_attr a = {
			.qp_state = IBV_QPS_RTR,
			.path_mtu = port.active_mtu,
			.dest_qp_num = q->peer->qp->qp_num,
			.rq_psn = 0,
			.max_dest_rd_atomic = dattr.max_qp_rd_atom < 4 ? dattr.max_qp_rd_atom : 4,
			.min_rnr_timer = 1,
			.ah_attr = { .is_global = 1, .port_num = 1,
				     .grh = { .dgid = gid, .sgid_index = gid_index,
					      .hop_limit = 64 } },
		};

		if (ibv_modify_qp(q->qp, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
				  IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
				  IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER))
			die(2, "qp %d to RTR: %s", i, strerror(errno));
		a.qp_state = IBV_QPS_RTS;
		a.timeout = 14;
		a.retry_cnt = 7;
		a.rnr_retry = 7;
		a.sq_psn = 0;
		a.max_rd_atomic = a.max_dest_rd_atomic;
		if (ibv_modify_qp(q->qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
				  IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC))
			die(2, "qp %d to RTS: %s", i, strerror(errno));
		for (n = 0; n < RQ_DEPTH; n++)
			post_recv(q);
	}

	t0 = now();
	t_end = t0 + secs;
	for (;;) {
		int draining = now() >= t_end, busy = 0;

		for (i = 0; i < nqp; i++) {
			struct q *q = &qs[i];

			if (!draining) {
				post_one(q, 0);
			} else if (q->head != q->tail) {
				struct op *last = &q->fifo[(q->tail - 1) % SQ_DEPTH];

				/* The last WR must be signaled to retire the rest. */
				if (!last->signaled)
					post_one(q, 1);
				busy = 1;
			}
			if (q->in_head != q->in_tail)
				busy = 1;
		}
		for (i = 0; i < ncq; i++) {
			struct ibv_wc wc[32];
			int got = ibv_poll_cq(cqs[i], 32, wc);

			if (got < 0)
				die(1, "ibv_poll_cq: %d", got);
			for (n = 0; n < got; n++) {
				struct q *q = NULL;

				for (int k = 0; k < nqp; k++)
					if (by_qpn[k]->qp->qp_num == wc[n].qp_num)
						q = by_qpn[k];
				if (!q)
					die(1, "completion for unknown qp_num %#x", wc[n].qp_num);
				if (wc[n].status != IBV_WC_SUCCESS)
					die(1, "qp %d: wr_id %llu: %s (vendor_err %#x)", q->idx,
					    (unsigned long long)wc[n].wr_id,
					    ibv_wc_status_str(wc[n].status), wc[n].vendor_err);
				stats_cqe++;
				if (wc[n].opcode & IBV_WC_RECV) {
					on_recv(q, &wc[n]);
					if (!draining)
						post_recv(q);
				} else {
					retire(q, wc[n].wr_id);
				}
			}
		}
		if (draining && !busy)
			break;
		if (!stats_cqe && now() > t0 + 15)
			die(1, "no completion at all after 15 s");
		if (draining && now() > t_end + 30 + secs)
			die(1, "completions missing 30 s after the end");
	}

	printf("rc_stress: %s, %d QPs, %d CQs, %.1f s: ", devname, nqp, ncq, now() - t0);
	for (i = 0; i < OP_N; i++)
		printf("%s %llu, ", op_name[i], stats_ops[i]);
	printf("%llu CQEs, %.1f MB verified\n", stats_cqe, stats_bytes / 1e6);

	for (i = 0; i < nqp; i++) {
		if (ibv_destroy_qp(qs[i].qp))
			die(1, "ibv_destroy_qp %d", i);
		if (ibv_dereg_mr(qs[i].mr))
			die(1, "ibv_dereg_mr %d", i);
		free(qs[i].buf);
	}
	for (i = 0; i < ncq; i++)
		if (ibv_destroy_cq(cqs[i]))
			die(1, "ibv_destroy_cq %d", i);
	if (ibv_dealloc_pd(pd) || ibv_close_device(ctx))
		die(1, "teardown failed");
	free(qs);
	free(cqs);
	free(by_qpn);
	return 0;
}

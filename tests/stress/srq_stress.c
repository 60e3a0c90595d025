// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * srq_stress: many RC QPs receiving into one shared receive queue, driven
 * by several threads at once, every byte verified. libibverbs only.
 *
 * NTHR sender threads (default 4) each own NQP requester QPs (default 4)
 * and one send CQ; each requester is connected to its own responder QP,
 * and every responder QP takes its receives from one SRQ of SRQ_WR WQEs
 * (default 16: far fewer than the messages in flight, so the SRQ runs dry
 * and the requesters see RNR NAKs, rnr_retry 7). The responders report to
 * two receive CQs, each polled by its own thread, which verifies the
 * message and posts the WQE back to the SRQ: posting and freeing SRQ slots
 * happen in two threads while the device hands WQEs to QPs that the
 * senders' kicks and the device's poller run concurrently.
 *
 * Verification: every SEND carries (QP, sequence, length) and a pattern of
 * them; the receive completion must name the responder QP of that QP,
 * sequences arrive in order per QP, byte_len and every byte match, and the
 * wr_id names an SRQ buffer that was posted and not yet completed.
 *
 * usage: srq_stress [-d DEV] [-g GIDIDX] [-t SECONDS] [-T NTHR] [-q NQP]
 *                   [-w SRQ_WR] [-m MAXSIZE] [-s SEED]
 * Exit: 0 all verified and destroyed; 1 verification/completion error;
 * 2 setup error.
 */
#include <errno.h>
#include <getopt.h>
#include <infiniband/verbs.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stress_dev.h"

#define SQ_DEPTH	8
#define NRCQ		2

struct hdr {
	uint32_t qp;
	uint32_t seq;
	uint32_t len;
};

struct pair {
	int idx;
	struct ibv_qp *req;	/* the sender's QP */
	struct ibv_qp *resp;	/* on the SRQ */
	uint8_t *buf;		/* SQ_DEPTH message buffers */
	struct ibv_mr *mr;
	uint32_t seq_sent;
	uint32_t seq_next;	/* receiver side: next expected */
	unsigned int outstanding;
};

struct sender {
	pthread_t thr;
	struct ibv_cq *cq;
	struct pair *pairs;
	uint64_t rng;
};

static const char *devname = "mlx5x_0";
static int nthr = 4, nqp = 4, srq_wr = 16;
static size_t maxsize = 4096;
static double secs = 10;
static struct ibv_srq *srq;
static uint8_t *rbuf;
static struct ibv_mr *rmr;
static atomic_uchar *busy;		/* per SRQ buffer: posted, not completed */
static struct pair *pairs;
static struct ibv_cq *rcq[NRCQ];
static atomic_ulong sent, received, bytes;
static atomic_int senders_left;
static double t_end;

static void die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "srq_stress: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(code);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint8_t pat(uint32_t qp, uint32_t seq, size_t k)
{
	return (uint8_t)(qp * 131 + seq * 7 + k * 13 + (k >> 8));
}

static void post_srq(uint64_t id)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)(rbuf + id * maxsize),
		.length = maxsize,
		.lkey = rmr->lkey,
	};
	struct ibv_recv_wr wr = { .wr_id = id, .sg_list = &sge, .num_sge = 1 };
	struct ibv_recv_wr *bad;
	int err;

	if (atomic_exchange(&busy[id], 1))
		die(1, "SRQ buffer %llu posted twice", (unsigned long long)id);
	err = ibv_post_srq_recv(srq, &wr, &bad);
	if (err)
		die(1, "ibv_post_srq_recv %llu: %s", (unsigned long long)id,
		    strerror(err));
}

static void send_one(struct pair *p, uint64_t *rng)
{
	size_t len = sizeof(struct hdr) +
		     rnd(rng) % (maxsize - sizeof(struct hdr) + 1);
	uint8_t *b = p->buf + (p->seq_sent % SQ_DEPTH) * maxsize;
	struct hdr h = { .qp = p->idx, .seq = p->seq_sent, .len = len };
	struct ibv_sge sge = {
		.addr = (uintptr_t)b, .length = len, .lkey = p->mr->lkey,
	};
	struct ibv_send_wr wr = {
		.wr_id = (uint64_t)p->idx << 32 | p->seq_sent,
		.sg_list = &sge, .num_sge = 1,
		.opcode = IBV_WR_SEND, .send_flags = IBV_SEND_SIGNALED,
	};
	struct ibv_send_wr *bad;
	size_t k;
	int err;

	memcpy(b, &h, sizeof(h));
	for (k = sizeof(h); k < len; k++)
		b[k] = pat(h.qp, h.seq, k);
	err = ibv_post_send(p->req, &wr, &bad);
	if (err)
		die(1, "qp %d: ibv_post_send: %s", p->idx, strerror(err));
	p->seq_sent++;
	p->outstanding++;
	atomic_fetch_add(&sent, 1);
}

static void *sender(void *arg)
{
	struct sender *s = arg;
	struct ibv_wc wc[16];
	unsigned int pending = 0;
	int i, n;

	for (;;) {
		int stop = now() >= t_end;

		for (i = 0; i < nqp && !stop; i++)
			if (s->pairs[i].outstanding < SQ_DEPTH)
				send_one(&s->pairs[i], &s->rng);
		pending = 0;
		for (i = 0; i < nqp; i++)
			pending += s->pairs[i].outstanding;
		if (stop && !pending)
			break;
		n = ibv_poll_cq(s->cq, 16, wc);
		if (n < 0)
			die(1, "ibv_poll_cq (send)");
		for (i = 0; i < n; i++) {
			struct pair *p = &pairs[wc[i].wr_id >> 32];

			if (wc[i].status != IBV_WC_SUCCESS)
				die(1, "qp %d send seq %u: %s", p->idx,
				    (uint32_t)wc[i].wr_id,
				    ibv_wc_status_str(wc[i].status));
			p->outstanding--;
		}
	}
	atomic_fetch_sub(&senders_left, 1);
	return NULL;
}

static struct pair *by_resp_qpn(uint32_t qpn)
{
	int i;

	for (i = 0; i < nthr * nqp; i++)
		if (pairs[i].resp->qp_num == qpn)
			return &pairs[i];
	return NULL;
}

static void check_recv(const struct ibv_wc *wc)
{
	struct pair *p = by_resp_qpn(wc->qp_num);
	uint8_t *b = rbuf + wc->wr_id * maxsize;
	struct hdr h;
	size_t k;

	if (wc->status != IBV_WC_SUCCESS)
		die(1, "receive wr_id %llu: %s", (unsigned long long)wc->wr_id,
		    ibv_wc_status_str(wc->status));
	if (wc->wr_id >= (uint64_t)srq_wr || !atomic_exchange(&busy[wc->wr_id], 0))
		die(1, "receive completed wr_id %llu, not posted",
		    (unsigned long long)wc->wr_id);
	if (!p)
		die(1, "receive for unknown QP %#x", wc->qp_num);
	memcpy(&h, b, sizeof(h));
	if (h.qp != (uint32_t)p->idx || h.seq != p->seq_next ||
	    h.len != wc->byte_len || wc->opcode != IBV_WC_RECV)
		die(1, "QP %#x (pair %d): got qp %u seq %u len %u (byte_len %u, opcode %d), expected seq %u",
		    wc->qp_num, p->idx, h.qp, h.seq, h.len, wc->byte_len,
		    wc->opcode, p->seq_next);
	for (k = sizeof(h); k < h.len; k++)
		if (b[k] != pat(h.qp, h.seq, k))
			die(1, "pair %d seq %u: byte %zu is %#x, expected %#x",
			    p->idx, h.seq, k, b[k], pat(h.qp, h.seq, k));
	p->seq_next++;
	atomic_fetch_add(&bytes, h.len);
}

static void *receiver(void *arg)
{
	struct ibv_cq *cq = arg;
	struct ibv_wc wc[16];
	int i, n;

	while (atomic_load(&senders_left) ||
	       atomic_load(&received) < atomic_load(&sent)) {
		n = ibv_poll_cq(cq, 16, wc);
		if (n < 0)
			die(1, "ibv_poll_cq (receive)");
		for (i = 0; i < n; i++) {
			check_recv(&wc[i]);
			atomic_fetch_add(&received, 1);
			post_srq(wc[i].wr_id);
		}
	}
	return NULL;
}

static void connect_qp(struct ibv_qp *qp, uint32_t dest, union ibv_gid *gid,
		       int gid_index, enum ibv_mtu mtu)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT, .port_num = 1,
		.qp_access_flags = IBV_ACCESS_LOCAL_WRITE,
	};

	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			  IBV_QP_PORT | IBV_QP_ACCESS_FLAGS))
		die(2, "to INIT: %s", strerror(errno));
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTR;
	a.path_mtu = mtu;
	a.dest_qp_num = dest;
	a.max_dest_rd_atomic = 1;
	a.min_rnr_timer = 1;
	a.ah_attr.is_global = 1;
	a.ah_attr.port_num = 1;
	a.ah_attr.grh.dgid = *gid;
	a.ah_attr.grh.sgid_index = gid_index;
	a.ah_attr.grh.hop_limit = 64;
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
			  IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
			  IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER))
		die(2, "to RTR: %s", strerror(errno));
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 14;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	a.max_rd_atomic = 1;
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT |
			  IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
			  IBV_QP_MAX_QP_RD_ATOMIC))
		die(2, "to RTS: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	struct ibv_srq_init_attr sia = {};
	struct ibv_context *ctx;
	struct ibv_port_attr port;
	struct sender *snd;
	pthread_t rthr[NRCQ];
	struct ibv_cq *dummy;
	unsigned long long seed = 1;
	int gid_index = -1, opt, i, t;
	union ibv_gid gid;
	struct ibv_pd *pd;
	double t0;

	while ((opt = getopt(argc, argv, "d:g:t:T:q:w:m:s:")) != -1) {
		switch (opt) {
		case 'd': devname = optarg; break;
		case 'g': gid_index = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'T': nthr = atoi(optarg); break;
		case 'q': nqp = atoi(optarg); break;
		case 'w': srq_wr = atoi(optarg); break;
		case 'm': maxsize = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: srq_stress [-d DEV] [-g GIDIDX] [-t SECONDS] [-T NTHR] [-q NQP] [-w SRQ_WR] [-m MAXSIZE] [-s SEED]\n");
			return 2;
		}
	}
	if (nthr < 1 || nqp < 1 || srq_wr < 1 || maxsize < 64)
		die(2, "need NTHR, NQP, SRQ_WR >= 1 and MAXSIZE >= 64");

	ctx = stress_open(devname, &gid_index, &gid, &port);
	if (!ctx)
		die(2, "no device");

	pd = ibv_alloc_pd(ctx);
	sia.attr.max_wr = srq_wr;
	sia.attr.max_sge = 1;
	srq = pd ? ibv_create_srq(pd, &sia) : NULL;
	if (!srq)
		die(2, "ibv_create_srq %d: %s", srq_wr, strerror(errno));
	rbuf = aligned_alloc(4096, srq_wr * maxsize);
	busy = calloc(srq_wr, sizeof(*busy));
	rmr = rbuf ? ibv_reg_mr(pd, rbuf, srq_wr * maxsize,
				IBV_ACCESS_LOCAL_WRITE) : NULL;
	dummy = ibv_create_cq(ctx, 16, NULL, NULL, 0);
	for (i = 0; i < NRCQ; i++)
		rcq[i] = ibv_create_cq(ctx, nthr * nqp * SQ_DEPTH + srq_wr, NULL,
				       NULL, 0);
	snd = calloc(nthr, sizeof(*snd));
	pairs = calloc(nthr * nqp, sizeof(*pairs));
	if (!busy || !rmr || !dummy || !rcq[0] || !rcq[1] || !snd || !pairs)
		die(2, "setup: %s", strerror(errno));

	for (t = 0; t < nthr; t++) {
		snd[t].cq = ibv_create_cq(ctx, nqp * SQ_DEPTH, NULL, NULL, 0);
		snd[t].pairs = &pairs[t * nqp];
		snd[t].rng = (seed + 1) * 0x9e3779b97f4a7c15ull + t;
		if (!snd[t].cq)
			die(2, "ibv_create_cq: %s", strerror(errno));
	}
	for (i = 0; i < nthr * nqp; i++) {
		struct pair *p = &pairs[i];
		struct ibv_qp_init_attr req = {
			.send_cq = snd[i / nqp].cq, .recv_cq = snd[i / nqp].cq,
			.cap = { .max_send_wr = SQ_DEPTH, .max_send_sge = 1 },
			.qp_type = IBV_QPT_RC,
		};
		struct ibv_qp_init_attr resp = {
			.send_cq = dummy, .recv_cq = rcq[i % NRCQ], .srq = srq,
			.cap = { .max_send_wr = 1, .max_send_sge = 1 },
			.qp_type = IBV_QPT_RC,
		};

		p->idx = i;
		p->req = ibv_create_qp(pd, &req);
		p->resp = ibv_create_qp(pd, &resp);
		p->buf = aligned_alloc(4096, SQ_DEPTH * maxsize);
		p->mr = p->buf ? ibv_reg_mr(pd, p->buf, SQ_DEPTH * maxsize, 0) :
			NULL;
		if (!p->req || !p->resp || !p->mr)
			die(2, "pair %d: %s", i, strerror(errno));
	}
	for (i = 0; i < nthr * nqp; i++) {
		connect_qp(pairs[i].req, pairs[i].resp->qp_num, &gid, gid_index,
			   port.active_mtu);
		connect_qp(pairs[i].resp, pairs[i].req->qp_num, &gid, gid_index,
			   port.active_mtu);
	}
	for (i = 0; i < srq_wr; i++)
		post_srq(i);

	t0 = now();
	t_end = t0 + secs;
	atomic_store(&senders_left, nthr);
	for (i = 0; i < NRCQ; i++)
		if (pthread_create(&rthr[i], NULL, receiver, rcq[i]))
			die(2, "pthread_create");
	for (t = 0; t < nthr; t++)
		if (pthread_create(&snd[t].thr, NULL, sender, &snd[t]))
			die(2, "pthread_create");
	for (t = 0; t < nthr; t++)
		pthread_join(snd[t].thr, NULL);
	for (i = 0; i < NRCQ; i++)
		pthread_join(rthr[i], NULL);
	for (i = 0; i < nthr * nqp; i++)
		if (pairs[i].seq_next != pairs[i].seq_sent)
			die(1, "pair %d: %u sent, %u received", i,
			    pairs[i].seq_sent, pairs[i].seq_next);

	for (i = 0; i < nthr * nqp; i++) {
		if (ibv_destroy_qp(pairs[i].req) || ibv_destroy_qp(pairs[i].resp) ||
		    ibv_dereg_mr(pairs[i].mr))
			die(1, "pair %d: destroy: %s", i, strerror(errno));
		free(pairs[i].buf);
	}
	if (ibv_destroy_srq(srq) || ibv_dereg_mr(rmr) ||
	    ibv_destroy_cq(dummy) || ibv_destroy_cq(rcq[0]) ||
	    ibv_destroy_cq(rcq[1]))
		die(1, "destroy: %s", strerror(errno));
	for (t = 0; t < nthr; t++)
		if (ibv_destroy_cq(snd[t].cq))
			die(1, "destroy send CQ: %s", strerror(errno));
	if (ibv_dealloc_pd(pd) || ibv_close_device(ctx))
		die(1, "dealloc/close: %s", strerror(errno));
	printf("srq_stress: %lu messages, %lu bytes, %d threads x %d QPs on one SRQ of %d in %.1f s: all verified\n",
	       (unsigned long)atomic_load(&received),
	       (unsigned long)atomic_load(&bytes), nthr, nqp, srq_wr,
	       now() - t0);
	return 0;
}

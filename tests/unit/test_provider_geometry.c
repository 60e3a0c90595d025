// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Ring sizing of the provider (providers/mlx5x/geometry.c) and the CQE
 * owner convention (cqe.h): worked examples, limit checks, and invariants
 * over a sweep of requests.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geometry.h"
#include "cqe.h"

static int failures;

#define CHECK_EQ(what, seen, expected)					\
	do {								\
		unsigned long long _s = (seen), _e = (expected);	\
		if (_s != _e) {						\
			printf("FAIL %s:%d %s: expected %llu, saw %llu\n", \
			       __FILE__, __LINE__, what, _e, _s);	\
			failures++;					\
		}							\
	} while (0)

#define CHECK(what, cond)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d %s\n", __FILE__, __LINE__,	\
			       what);					\
			failures++;					\
		}							\
	} while (0)

static const struct mlx5x_qp_limits big_limits = {
	.max_send_wqebb = 1U << 16,
	.max_recv_wr = 1U << 16,
	.max_send_sge = 32,
	.max_recv_sge = 32,
	.max_inline_data = 512,
};

static void test_helpers(void)
{
	CHECK_EQ("roundup_pow2(0)", mlx5x_roundup_pow2(0), 1);
	CHECK_EQ("roundup_pow2(1)", mlx5x_roundup_pow2(1), 1);
	CHECK_EQ("roundup_pow2(2)", mlx5x_roundup_pow2(2), 2);
	CHECK_EQ("roundup_pow2(3)", mlx5x_roundup_pow2(3), 4);
	CHECK_EQ("roundup_pow2(1000)", mlx5x_roundup_pow2(1000), 1024);
	CHECK_EQ("roundup_pow2(2^32 + 1)",
		 mlx5x_roundup_pow2((UINT64_C(1) << 32) + 1),
		 UINT64_C(1) << 33);
	CHECK_EQ("roundup_pow2(2^63)", mlx5x_roundup_pow2(UINT64_C(1) << 63),
		 UINT64_C(1) << 63);
	CHECK_EQ("roundup_pow2(2^63 + 1)",
		 mlx5x_roundup_pow2((UINT64_C(1) << 63) + 1), 0);
	CHECK_EQ("ilog2(1)", mlx5x_ilog2(1), 0);
	CHECK_EQ("ilog2(64)", mlx5x_ilog2(64), 6);
	CHECK_EQ("ilog2(65)", mlx5x_ilog2(65), 6);
	CHECK_EQ("align(17, 16)", mlx5x_align(17, 16), 32);
	CHECK_EQ("align(4096, 4096)", mlx5x_align(4096, 4096), 4096);
}

static void test_send_wqe_size(void)
{
	/* ctrl + raddr + atomic = 48 B, then descriptors. */
	CHECK_EQ("wqe(0 sge, 0 inline)", mlx5x_send_wqe_size(0, 0), 48);
	CHECK_EQ("wqe(1 sge, 0 inline)", mlx5x_send_wqe_size(1, 0), 64);
	CHECK_EQ("wqe(2 sge, 0 inline)", mlx5x_send_wqe_size(2, 0), 80);
	CHECK_EQ("wqe(1 sge, 12 inline)", mlx5x_send_wqe_size(1, 12), 64);
	CHECK_EQ("wqe(1 sge, 13 inline)", mlx5x_send_wqe_size(1, 13), 80);
	CHECK_EQ("wqe(0 sge, 60 inline)", mlx5x_send_wqe_size(0, 60), 112);
	CHECK_EQ("wqe(4 sge, 60 inline)", mlx5x_send_wqe_size(4, 60), 112);
	CHECK_EQ("wqe(30 sge, 0 inline)", mlx5x_send_wqe_size(30, 0), 528);
}

static struct mlx5x_qp_cap cap(uint32_t send_wr, uint32_t recv_wr,
			       uint32_t send_sge, uint32_t recv_sge,
			       uint32_t inline_data)
{
	return (struct mlx5x_qp_cap){
		.max_send_wr = send_wr,
		.max_recv_wr = recv_wr,
		.max_send_sge = send_sge,
		.max_recv_sge = recv_sge,
		.max_inline_data = inline_data,
	};
}

static void test_qp_examples(void)
{
	struct mlx5x_qp_limits lim = big_limits;
	struct mlx5x_qp_geom g;
	struct mlx5x_qp_cap req;

	/* The common small QP: one WQEBB per WQE. */
	req = cap(16, 16, 1, 1, 0);
	CHECK_EQ("small: ret", mlx5x_qp_geometry(&req, &lim, &g), 0);
	CHECK_EQ("small: wqebb/wqe", g.sq_wqebb_per_wqe, 1);
	CHECK_EQ("small: sq_wqe_cnt", g.sq_wqe_cnt, 16);
	CHECK_EQ("small: rq_wqe_cnt", g.rq_wqe_cnt, 16);
	CHECK_EQ("small: rq_wqe_shift", g.rq_wqe_shift, 4);
	CHECK_EQ("small: rq_offset", g.rq_offset, 0);
	CHECK_EQ("small: sq_offset", g.sq_offset, 16 * 16);
	CHECK_EQ("small: buf_size", g.buf_size, 16 * 16 + 16 * 64);
	CHECK_EQ("small: max_send_wr", g.cap.max_send_wr, 16);
	CHECK_EQ("small: max_send_sge", g.cap.max_send_sge, 1);
	CHECK_EQ("small: max_inline", g.cap.max_inline_data, 12);
	CHECK_EQ("small: max_recv_wr", g.cap.max_recv_wr, 16);
	CHECK_EQ("small: max_recv_sge", g.cap.max_recv_sge, 1);

	/* 4 SGEs: 48 + 64 = 112 B, two WQEBBs; 10 WRs need 20 -> 32. */
	req = cap(10, 100, 4, 3, 0);
	CHECK_EQ("4sge: ret", mlx5x_qp_geometry(&req, &lim, &g), 0);
	CHECK_EQ("4sge: wqebb/wqe", g.sq_wqebb_per_wqe, 2);
	CHECK_EQ("4sge: sq_wqe_cnt", g.sq_wqe_cnt, 32);
	CHECK_EQ("4sge: max_send_wr", g.cap.max_send_wr, 16);
	CHECK_EQ("4sge: max_send_sge", g.cap.max_send_sge, 5);
	CHECK_EQ("4sge: max_inline", g.cap.max_inline_data, 76);
	CHECK_EQ("4sge: rq_wqe_cnt", g.rq_wqe_cnt, 128);
	CHECK_EQ("4sge: rq_wqe_shift", g.rq_wqe_shift, 6);
	CHECK_EQ("4sge: max_recv_sge", g.cap.max_recv_sge, 4);
	CHECK_EQ("4sge: sq_offset", g.sq_offset, 128 * 64);
	CHECK_EQ("4sge: buf_size", g.buf_size, 128 * 64 + 32 * 64);

	/* Reported caps never exceed the device's limits. */
	lim.max_send_sge = 4;
	lim.max_inline_data = 64;
	req = cap(1, 1, 4, 1, 64);
	CHECK_EQ("capped: ret", mlx5x_qp_geometry(&req, &lim, &g), 0);
	CHECK_EQ("capped: wqebb/wqe", g.sq_wqebb_per_wqe, 2);
	CHECK_EQ("capped: max_send_sge", g.cap.max_send_sge, 4);
	CHECK_EQ("capped: max_inline", g.cap.max_inline_data, 64);
	CHECK_EQ("capped: sq_wqe_cnt", g.sq_wqe_cnt, 2);
	lim = big_limits;

	/* A receive queue under 64 B grows to 64 B: the SQ stays aligned. */
	req = cap(1, 1, 1, 0, 0);
	CHECK_EQ("tiny rq: ret", mlx5x_qp_geometry(&req, &lim, &g), 0);
	CHECK_EQ("tiny rq: rq_wqe_shift", g.rq_wqe_shift, 4);
	CHECK_EQ("tiny rq: rq_wqe_cnt", g.rq_wqe_cnt, 4);
	CHECK_EQ("tiny rq: max_recv_wr", g.cap.max_recv_wr, 4);
	CHECK_EQ("tiny rq: sq_offset", g.sq_offset, 64);

	/* No queues asked: no RQ, but an SQ of one WQE all the same. */
	req = cap(0, 0, 1, 1, 0);
	CHECK_EQ("empty: ret", mlx5x_qp_geometry(&req, &lim, &g), 0);
	CHECK_EQ("empty: sq_wqe_cnt", g.sq_wqe_cnt, 1);
	CHECK_EQ("empty: rq_wqe_cnt", g.rq_wqe_cnt, 0);
	CHECK_EQ("empty: max_send_wr", g.cap.max_send_wr, 1);
	CHECK_EQ("empty: max_recv_wr", g.cap.max_recv_wr, 0);
	CHECK_EQ("empty: sq_offset", g.sq_offset, 0);
	CHECK_EQ("empty: buf_size", g.buf_size, 64);
	req = cap(0, 1, 4, 1, 0);
	CHECK_EQ("no send: ret", mlx5x_qp_geometry(&req, &lim, &g), 0);
	CHECK_EQ("no send: sq_wqe_cnt", g.sq_wqe_cnt, 2);
	CHECK_EQ("no send: max_send_wr", g.cap.max_send_wr, 1);

	/* Send-only QP: the SQ starts the buffer. */
	req = cap(8, 0, 1, 1, 0);
	CHECK_EQ("send only: ret", mlx5x_qp_geometry(&req, &lim, &g), 0);
	CHECK_EQ("send only: sq_offset", g.sq_offset, 0);
	CHECK_EQ("send only: buf_size", g.buf_size, 8 * 64);
}

static void test_qp_limits(void)
{
	struct mlx5x_qp_limits lim = {
		.max_send_wqebb = 1024,
		.max_recv_wr = 1024,
		.max_send_sge = 4,
		.max_recv_sge = 4,
		.max_inline_data = 64,
	};
	struct mlx5x_qp_geom g;
	struct mlx5x_qp_cap req;

	req = cap(1, 1, 5, 1, 0);
	CHECK_EQ("send_sge > max", mlx5x_qp_geometry(&req, &lim, &g), EINVAL);
	req = cap(1, 1, 1, 5, 0);
	CHECK_EQ("recv_sge > max", mlx5x_qp_geometry(&req, &lim, &g), EINVAL);
	req = cap(1, 1, 1, 1, 65);
	CHECK_EQ("inline > max", mlx5x_qp_geometry(&req, &lim, &g), EINVAL);
	req = cap(1, 1025, 1, 1, 0);
	CHECK_EQ("recv_wr > max", mlx5x_qp_geometry(&req, &lim, &g), EINVAL);
	req = cap(1, 1024, 1, 1, 0);
	CHECK_EQ("recv_wr = max", mlx5x_qp_geometry(&req, &lim, &g), 0);
	req = cap(1025, 1, 1, 1, 0);
	CHECK_EQ("send_wr > max", mlx5x_qp_geometry(&req, &lim, &g), EINVAL);
	req = cap(1024, 1, 1, 1, 0);
	CHECK_EQ("send_wr = max", mlx5x_qp_geometry(&req, &lim, &g), 0);
	/* Two WQEBBs per WQE: 513 WRs need 1026 -> 2048 > 1024. */
	req = cap(513, 1, 4, 1, 0);
	CHECK_EQ("wqebbs > max", mlx5x_qp_geometry(&req, &lim, &g), EINVAL);
	req = cap(512, 1, 4, 1, 0);
	CHECK_EQ("wqebbs = max", mlx5x_qp_geometry(&req, &lim, &g), 0);
	CHECK_EQ("wqebbs = max: sq_wqe_cnt", g.sq_wqe_cnt, 1024);
	req = cap(UINT32_MAX, 1, 4, 1, 0);
	CHECK_EQ("send_wr 2^32-1", mlx5x_qp_geometry(&req, &lim, &g), EINVAL);
	req = cap(1, UINT32_MAX, 1, 1, 0);
	CHECK_EQ("recv_wr 2^32-1", mlx5x_qp_geometry(&req, &lim, &g), EINVAL);
}

/* Whatever is asked within the limits, the answer must be consistent. */
static void test_qp_invariants(void)
{
	static const uint32_t wrs[] = { 0, 1, 2, 3, 7, 63, 64, 65, 1000 };
	static const uint32_t sges[] = { 0, 1, 2, 3, 4, 5, 16, 32 };
	static const uint32_t inl[] = { 0, 1, 12, 13, 28, 60, 64, 200, 512 };
	const struct mlx5x_qp_limits *lim = &big_limits;
	unsigned int a, b, c, d, e;
	struct mlx5x_qp_geom g;
	struct mlx5x_qp_cap r;
	int bad = 0;

#define N(x) (sizeof(x) / sizeof((x)[0]))
	for (a = 0; a < N(wrs); a++)
	for (b = 0; b < N(wrs); b++)
	for (c = 0; c < N(sges); c++)
	for (d = 0; d < N(sges); d++)
	for (e = 0; e < N(inl); e++) {
		uint64_t room;

		r = cap(wrs[a], wrs[b], sges[c], sges[d], inl[e]);
		if (mlx5x_qp_geometry(&r, lim, &g)) {
			bad++;
			continue;
		}
		room = (uint64_t)g.sq_wqebb_per_wqe * MLX5X_SEND_WQE_BB;
		if ((g.sq_wqe_cnt & (g.sq_wqe_cnt - 1)) ||
		    (g.rq_wqe_cnt & (g.rq_wqe_cnt - 1)) ||
		    g.cap.max_send_wr < r.max_send_wr ||
		    g.cap.max_recv_wr < r.max_recv_wr ||
		    g.cap.max_send_sge < r.max_send_sge ||
		    g.cap.max_recv_sge < r.max_recv_sge ||
		    g.cap.max_inline_data < r.max_inline_data ||
		    g.cap.max_send_sge > lim->max_send_sge ||
		    g.cap.max_recv_sge > lim->max_recv_sge ||
		    g.cap.max_inline_data > lim->max_inline_data ||
		    (uint64_t)g.cap.max_send_wr * g.sq_wqebb_per_wqe >
			    g.sq_wqe_cnt ||
		    mlx5x_send_wqe_size(g.cap.max_send_sge, 0) > room ||
		    mlx5x_send_wqe_size(0, g.cap.max_inline_data) > room ||
		    (g.cap.max_recv_sge * 16U > (1U << g.rq_wqe_shift)) ||
		    g.rq_wqe_shift < 4 ||
		    g.sq_offset % MLX5X_SEND_WQE_BB ||
		    g.sq_offset != (uint64_t)g.rq_wqe_cnt << g.rq_wqe_shift ||
		    g.buf_size != g.sq_offset +
				  (uint64_t)g.sq_wqe_cnt * MLX5X_SEND_WQE_BB ||
		    g.sq_wqe_cnt == 0 || g.cap.max_send_wr == 0 ||
		    (r.max_recv_wr == 0) != (g.rq_wqe_cnt == 0)) {
			printf("FAIL invariant: asked wr %u/%u sge %u/%u inline %u\n",
			       r.max_send_wr, r.max_recv_wr, r.max_send_sge,
			       r.max_recv_sge, r.max_inline_data);
			failures++;
			return;
		}
	}
	CHECK_EQ("requests within limits refused", bad, 0);
#undef N
}

static void test_cq(void)
{
	struct mlx5x_cq_geom g;

	CHECK_EQ("cqe 0", mlx5x_cq_geometry(0, 1024, &g), EINVAL);
	CHECK_EQ("cqe -1", mlx5x_cq_geometry(-1, 1024, &g), EINVAL);
	CHECK_EQ("cqe 1: ret", mlx5x_cq_geometry(1, 1024, &g), 0);
	CHECK_EQ("cqe 1: cnt", g.cqe_cnt, 2);
	CHECK_EQ("cqe 1: log", g.log_cqe_cnt, 1);
	CHECK_EQ("cqe 1: bytes", g.buf_size, 2 * 64);
	CHECK_EQ("cqe 2: ret", mlx5x_cq_geometry(2, 1024, &g), 0);
	CHECK_EQ("cqe 2: cnt", g.cqe_cnt, 2);
	CHECK_EQ("cqe 3: ret", mlx5x_cq_geometry(3, 1024, &g), 0);
	CHECK_EQ("cqe 3: cnt", g.cqe_cnt, 4);
	CHECK_EQ("cqe 1000: ret", mlx5x_cq_geometry(1000, 1024, &g), 0);
	CHECK_EQ("cqe 1000: cnt", g.cqe_cnt, 1024);
	CHECK_EQ("cqe 1000: log", g.log_cqe_cnt, 10);
	CHECK_EQ("cqe 1000: bytes", g.buf_size, 1024 * 64);
	CHECK_EQ("cqe 1024 = max", mlx5x_cq_geometry(1024, 1024, &g), 0);
	CHECK_EQ("cqe 1025 > max", mlx5x_cq_geometry(1025, 1024, &g), EINVAL);
	CHECK_EQ("cqe 600, max 1000", mlx5x_cq_geometry(600, 1000, &g), EINVAL);
	CHECK_EQ("cqe INT_MAX: ret", mlx5x_cq_geometry(INT_MAX, UINT32_MAX, &g),
		 0);
	CHECK_EQ("cqe INT_MAX: cnt", g.cqe_cnt, UINT32_C(1) << 31);
}

/* The owner-bit convention of cqe.h, with the device simulated. */
static void test_cqe_owner(void)
{
	enum { LOG = 3, CNT = 1 << LOG };
	uint8_t *ring;
	uint32_t i;

	if (posix_memalign((void **)&ring, 64, CNT * MLX5X_CQE_SIZE)) {
		printf("FAIL out of memory\n");
		failures++;
		return;
	}
	memset(ring, 0xee, CNT * MLX5X_CQE_SIZE);	/* as malloc might */
	memset(ring, 0, CNT * MLX5X_CQE_SIZE);		/* as mlx5x_alloc_buf */
	mlx5x_cq_ring_init(ring, LOG, 0);

	for (i = 0; i < CNT; i++) {
		CHECK_EQ("new CQE owner byte",
			 ring[i * MLX5X_CQE_SIZE + MLX5X_CQE_SIZE - 1], 1);
		CHECK("new ring has no software-owned CQE",
		      !mlx5x_cqe_sw_owned(ring, LOG, i));
	}

	/* The device completes pass 0 (owner 0); software sees each. */
	for (i = 0; i < CNT; i++) {
		mlx5x_get_cqe(ring, CNT, i)[MLX5X_CQE_OWNER_BYTE] = 0;
		CHECK("CQE written on pass 0 is software's",
		      mlx5x_cqe_sw_owned(ring, LOG, i));
	}
	/* Consumed them all; on pass 1 the old entries are the device's. */
	for (i = CNT; i < 2 * CNT; i++)
		CHECK("stale pass-0 CQE is not software's on pass 1",
		      !mlx5x_cqe_sw_owned(ring, LOG, i));
	/* Pass 1 writes owner 1. */
	mlx5x_get_cqe(ring, CNT, CNT)[MLX5X_CQE_OWNER_BYTE] = 1;
	CHECK("CQE written on pass 1 is software's",
	      mlx5x_cqe_sw_owned(ring, LOG, CNT));
	CHECK("...and only that one", !mlx5x_cqe_sw_owned(ring, LOG, CNT + 1));
	free(ring);
}

int main(void)
{
	test_helpers();
	test_send_wqe_size();
	test_qp_examples();
	test_qp_limits();
	test_qp_invariants();
	test_cq();
	test_cqe_owner();

	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all geometry checks passed\n");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Context and PAS validation (hw_validate.c), the generic command checks
 * (hw_cmdtab.c) and the EQ ring math, at their edges: overflow, PAS too
 * short or too long, misalignment, limits.
 */
#include "hw_test.h"

static struct mlx5x_hca_cap cap;
static u64 pas[1024];
static u32 syn;

/* Distinct, aligned, non-zero pages of 1 << log_page_size bytes. */
static void fill_pas(u8 log_page_size)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(pas); i++)
		pas[i] = (0x100ULL + i) << log_page_size;
}

#define EXPECT_STATUS(call, st, sy) do {				\
	syn = 0;							\
	EXPECT_EQ(call, st);						\
	if ((st) != MLX5X_CMD_STAT_OK)					\
		EXPECT_EQ(syn, sy);					\
} while (0)

#define OK	MLX5X_CMD_STAT_OK
#define PARAM	MLX5X_CMD_STAT_BAD_PARAM

static void test_buf(void)
{
	hw_test_ctx = "buf";
	fill_pas(12);
	/* 3 pages exactly, with and without an offset */
	EXPECT_STATUS(mlx5x_hw_check_buf(3, 3, 12, 0, 3 * 4096, true, pas, &syn),
		      OK, 0);
	EXPECT_STATUS(mlx5x_hw_check_buf(3, 3, 12, 100, 2 * 4096, true, pas, &syn),
		      OK, 0);
	EXPECT_STATUS(mlx5x_hw_check_buf(2, 2, 12, 100, 2 * 4096, true, pas, &syn),
		      PARAM, MLX5X_SYN_NPAGES);
	EXPECT_STATUS(mlx5x_hw_check_buf(4, 4, 12, 0, 3 * 4096, true, pas, &syn),
		      PARAM, MLX5X_SYN_NPAGES);
	EXPECT_STATUS(mlx5x_hw_check_buf(1, 1, 12, 4095, 1, true, pas, &syn),
		      OK, 0);
	EXPECT_STATUS(mlx5x_hw_check_buf(1, 1, 12, 4095, 2, true, pas, &syn),
		      PARAM, MLX5X_SYN_NPAGES);
	/* PAS in the command vs npages */
	EXPECT_STATUS(mlx5x_hw_check_buf(3, 2, 12, 0, 3 * 4096, true, pas, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_PAS_LEN);
	EXPECT_STATUS(mlx5x_hw_check_buf(3, 4, 12, 0, 3 * 4096, true, pas, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_PAS_LEN);
	/* page size and offset */
	EXPECT_STATUS(mlx5x_hw_check_buf(1, 1, 11, 0, 2048, true, pas, &syn),
		      PARAM, MLX5X_SYN_PAGE_SIZE);
	EXPECT_STATUS(mlx5x_hw_check_buf(1, 1, 31, 0, 2048, true, pas, &syn),
		      PARAM, MLX5X_SYN_PAGE_SIZE);
	EXPECT_STATUS(mlx5x_hw_check_buf(1, 1, 12, 4096, 1, true, pas, &syn),
		      PARAM, MLX5X_SYN_PAGE_OFFSET);
	fill_pas(30);
	EXPECT_STATUS(mlx5x_hw_check_buf(1, 1, 30, 0, 1 << 30, true, pas, &syn),
		      OK, 0);
	/* rings: more pages than needed are fine, fewer are not */
	EXPECT_STATUS(mlx5x_hw_check_buf(4, 4, 12, 0, 3 * 4096, false, pas,
					 &syn), OK, 0);
	EXPECT_STATUS(mlx5x_hw_check_buf(2, 2, 12, 1, 2 * 4096, false, pas,
					 &syn), PARAM, MLX5X_SYN_NPAGES);
	/* offset + len wraps */
	EXPECT_STATUS(mlx5x_hw_check_buf(1, 1, 12, 1, ~0ULL, true, pas, &syn),
		      PARAM, MLX5X_SYN_NPAGES);
	/* bad entries */
	fill_pas(12);
	pas[1] = 0;
	EXPECT_STATUS(mlx5x_hw_check_buf(3, 3, 12, 0, 3 * 4096, true, pas, &syn),
		      PARAM, MLX5X_SYN_PAS_ZERO);
	fill_pas(12);
	pas[2] += 8;
	EXPECT_STATUS(mlx5x_hw_check_buf(3, 3, 12, 0, 3 * 4096, true, pas, &syn),
		      PARAM, MLX5X_SYN_PAS_ALIGN);
	fill_pas(12);
	pas[0] = 0xfffffffffffff000ULL;
	EXPECT_STATUS(mlx5x_hw_check_buf(3, 3, 12, 0, 3 * 4096, true, pas, &syn),
		      OK, 0);	/* last page ends exactly at 2^64 - 1 */
	fill_pas(13);
	pas[0] = 0xffffffffffffe000ULL;
	EXPECT_STATUS(mlx5x_hw_check_buf(2, 2, 13, 0, 2 * 8192, true, pas, &syn),
		      OK, 0);
}

static struct mlx5x_mkc good_mkc(void)
{
	struct mlx5x_mkc m = {
		.pdn = 1, .access = MLX5X_MKEY_ACCESS_MASK,
		.start_addr = 0x7f0000001234ULL, .len = 3 * 4096,
		.npages = 4, .page_offset = 0x234, .log_page_size = 12,
	};
	return m;
}

static void test_mkc(void)
{
	struct mlx5x_mkc m;

	hw_test_ctx = "mkc";
	fill_pas(12);
	m = good_mkc();
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), OK, 0);
	m.access = 0x20;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_MKEY_ACCESS);
	m.access = MLX5X_MKEY_REMOTE_WRITE;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_MKEY_NEED_LWRITE);
	m.access = MLX5X_MKEY_REMOTE_ATOMIC | MLX5X_MKEY_REMOTE_READ;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_MKEY_NEED_LWRITE);
	m.access = MLX5X_MKEY_REMOTE_READ;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), OK, 0);
	m.access = 0;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), OK, 0);

	m = good_mkc();
	m.len = 0;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_MKEY_LEN_ZERO);
	m.len = (1ULL << 40) + 1;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_MKEY_LEN_MAX);
	m = good_mkc();
	m.start_addr = ~0ULL - 100;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_MKEY_ADDR_WRAP);
	m = good_mkc();
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 3, pas, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_PAS_LEN);
	m.npages = 3;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 3, pas, &syn), PARAM,
		      MLX5X_SYN_NPAGES);
	m.npages = 5;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 5, pas, &syn), PARAM,
		      MLX5X_SYN_NPAGES);
	m = good_mkc();
	m.page_offset = 4096;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_PAGE_OFFSET);
	m = good_mkc();
	m.log_page_size = 31;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_PAGE_SIZE);
	m = good_mkc();
	pas[3] |= 0x800;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 4, pas, &syn), PARAM,
		      MLX5X_SYN_PAS_ALIGN);
}

static struct mlx5x_mkc pa_mkc(void)
{
	struct mlx5x_mkc m = {
		.pdn = 7, .access = MLX5X_MKEY_LOCAL_WRITE, .len = ~0ULL,
		.key_variant = 0x5a, .mw_type = MLX5X_MKEY_PA,
	};
	return m;
}

/* Physical-address MKeys: exactly one shape is accepted. */
static void test_pa_mkc(void)
{
	struct mlx5x_mkc m;
	u32 bit, i;

	hw_test_ctx = "pa mkc";
	fill_pas(12);
	m = pa_mkc();
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), OK, 0);
	m.access = 0;		/* read-only */
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), OK, 0);
	m.pdn = 0xffffffff;	/* the PD's existence is the firmware's */
	m.key_variant = 0xff;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), OK, 0);

	hw_test_ctx = "pa mkc: rights";
	for (bit = 1; bit; bit <<= 1) {
		m = pa_mkc();
		m.access |= bit;
		if (bit == MLX5X_MKEY_LOCAL_WRITE)
			continue;
		EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn),
			      PARAM, MLX5X_SYN_MKEY_PA_ACCESS);
	}
	m = pa_mkc();
	m.access = MLX5X_MKEY_ACCESS_MASK;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_ACCESS);

	hw_test_ctx = "pa mkc: range";
	m = pa_mkc();
	m.start_addr = 0x1000;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_RANGE);
	m.start_addr = 1ULL << 63;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_RANGE);
	m = pa_mkc();
	m.len = ~0ULL - 1;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_RANGE);
	m.len = 0;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_RANGE);
	m.len = 1ULL << 40;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_RANGE);

	hw_test_ctx = "pa mkc: pages";
	m = pa_mkc();
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 1, pas, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_PAGES);
	m.npages = 1;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 1, pas, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_PAGES);
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_PAGES);
	m = pa_mkc();
	m.page_offset = 1;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_PAGES);
	m = pa_mkc();
	m.log_page_size = 12;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_PAGES);

	hw_test_ctx = "pa mkc: reserved";
	for (i = 0; i < sizeof(m.rsvd); i++) {
		m = pa_mkc();
		m.rsvd[i] = 0x80;
		EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn),
			      PARAM, MLX5X_SYN_MKEY_PA_RSVD);
	}

	hw_test_ctx = "pa mkc: no GSI capability";
	cap.flags &= ~MLX5X_CAP_FLAG_GSI;
	m = pa_mkc();
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_PA_CAP);
	mlx5x_hw_default_cap(&cap);

	/* An MR that looks like a PA MKey is still an MR: len too big. */
	hw_test_ctx = "pa mkc: as an MR";
	m = pa_mkc();
	m.mw_type = MLX5X_MKEY_MR;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_LEN_MAX);
	m.mw_type = MLX5X_MKEY_PA + 1;
	EXPECT_STATUS(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn), PARAM,
		      MLX5X_SYN_MKEY_MW);
}

static void test_eqc(void)
{
	struct mlx5x_eqc e = {
		.log_eq_size = 6, .intr = 0, .event_mask = MLX5X_EQ_EVENTS_CMD,
		.npages = 1, .log_page_size = 12,
	};

	hw_test_ctx = "eqc";
	fill_pas(12);
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1, pas, 2, &syn), OK, 0);
	e.intr = 2;
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1, pas, 2, &syn), PARAM,
		      MLX5X_SYN_EQ_INTR);
	e.intr = 1;
	e.event_mask = 0;
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1, pas, 2, &syn), PARAM,
		      MLX5X_SYN_EQ_EVENT_MASK);
	e.event_mask = 8;
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1, pas, 2, &syn), PARAM,
		      MLX5X_SYN_EQ_EVENT_MASK);
	e.event_mask = 7;
	e.log_eq_size = 17;
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1, pas, 2, &syn), PARAM,
		      MLX5X_SYN_EQ_LOG_SIZE);
	e.log_eq_size = 0xffffffff;
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1, pas, 2, &syn), PARAM,
		      MLX5X_SYN_EQ_LOG_SIZE);
	e.log_eq_size = 7;	/* 8 KiB: two pages */
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1, pas, 2, &syn), PARAM,
		      MLX5X_SYN_NPAGES);
	e.npages = 2;
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1, pas, 2, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_PAS_LEN);
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 2, pas, 2, &syn), OK, 0);
	/* largest: 2^16 EQEs = 4 MiB */
	e.log_eq_size = 16;
	e.npages = 1023;
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1023, pas, 2, &syn), PARAM,
		      MLX5X_SYN_NPAGES);
	e.npages = 1024;
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 1024, pas, 2, &syn), OK, 0);
	e.log_page_size = 14;
	e.npages = 256;
	fill_pas(14);
	EXPECT_STATUS(mlx5x_hw_check_eqc(&cap, &e, 256, pas, 2, &syn), OK, 0);
}

static void test_cqc(void)
{
	struct mlx5x_cqc c = {
		.log_cq_size = 7, .cqe_size = 64, .eqn = 1, .uar_index = 1,
		.dbr_addr = 0x12345008, .npages = 3, .page_offset = 64,
		.log_page_size = 12,
	};

	hw_test_ctx = "cqc";
	fill_pas(12);
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 3, pas, &syn), OK, 0);
	c.page_offset = 0;	/* ring needs 2 pages; 3 are fine */
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 3, pas, &syn), OK, 0);
	c.npages = 2;
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 2, pas, &syn), OK, 0);
	c.page_offset = 64;
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 2, pas, &syn), PARAM,
		      MLX5X_SYN_NPAGES);
	c.npages = 3;
	c.page_offset = 64;
	c.dbr_addr = 0x12345004;
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 3, pas, &syn), PARAM,
		      MLX5X_SYN_DBR_ALIGN);
	c.dbr_addr = 0;
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 3, pas, &syn), PARAM,
		      MLX5X_SYN_DBR_ALIGN);
	c.dbr_addr = 8;
	c.cqe_size = 128;
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 3, pas, &syn), PARAM,
		      MLX5X_SYN_CQ_CQE_SIZE);
	c.cqe_size = 64;
	c.log_cq_size = 23;
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 3, pas, &syn), PARAM,
		      MLX5X_SYN_CQ_LOG_SIZE);
	c.log_cq_size = 0;	/* one CQE, 64 bytes */
	c.npages = 1;
	EXPECT_STATUS(mlx5x_hw_check_cqc(&cap, &c, 1, pas, &syn), OK, 0);
}

static struct mlx5x_qpc good_qpc(void)
{
	/* RQ 64 x 64 B = 4 KiB, SQ 128 x 64 B = 8 KiB, offset 128 B. */
	struct mlx5x_qpc q = {
		.st = MLX5X_QP_ST_RC, .log_sq_size = 7, .log_rq_size = 6,
		.log_rq_stride = 6, .log_page_size = 12, .pdn = 1,
		.cqn_snd = 1, .cqn_rcv = 2, .uar_index = 1, .npages = 4,
		.page_offset = 128, .dbr_addr = 0x2000,
	};
	return q;
}

static void test_qpc(void)
{
	struct mlx5x_qpc q;

	hw_test_ctx = "qpc";
	fill_pas(12);
	q = good_qpc();
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), OK, 0);
	EXPECT_EQ(mlx5x_hw_qp_rq_bytes(&q), 4096);
	EXPECT_EQ(mlx5x_hw_qp_sq_bytes(&q), 8192);
	q.npages = 3;		/* offset 128: 3 pages are too few */
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 3, pas, &syn), PARAM,
		      MLX5X_SYN_NPAGES);
	q.page_offset = 0;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 3, pas, &syn), OK, 0);
	q.npages = 4;		/* and more than needed is fine */
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), OK, 0);

	q = good_qpc();
	q.st = MLX5X_QP_ST_UD;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), OK, 0);
	q.st = MLX5X_QP_ST_UC;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), OK, 0);
	q.st = 3;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_ST);
	/* A firmware without UD/UC refuses them. */
	cap.flags &= ~(MLX5X_CAP_FLAG_UD | MLX5X_CAP_FLAG_UC);
	q.st = MLX5X_QP_ST_UD;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_ST);
	q.st = MLX5X_QP_ST_UC;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_ST);
	mlx5x_hw_default_cap(&cap);
	q = good_qpc();
	q.log_sq_size = 16;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_LOG_SQ);
	q = good_qpc();
	q.log_rq_size = 16;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_LOG_RQ);
	q = good_qpc();
	q.log_rq_stride = 3;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_RQ_STRIDE);
	q.log_rq_stride = 9;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_RQ_STRIDE);
	q = good_qpc();
	q.dbr_addr = 0x2001;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_DBR_ALIGN);

	/* no_rq: stride and RQ size are ignored, buffer is the SQ only */
	q = good_qpc();
	q.no_rq = 1;
	q.log_rq_stride = 0;
	q.log_rq_size = 200;
	q.page_offset = 0;
	q.npages = 2;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), OK, 0);
	EXPECT_EQ(mlx5x_hw_qp_rq_bytes(&q), 0);
	q.no_sq = 1;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_QP_NO_QUEUES);
	q.no_sq = 2;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_QP_FLAG);
	/* no_sq: RQ only */
	q = good_qpc();
	q.no_sq = 1;
	q.log_sq_size = 255;
	q.page_offset = 0;
	q.npages = 1;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 1, pas, &syn), OK, 0);
	/* largest: RQ 2^15 x 256 B + SQ 2^15 x 64 B = 10 MiB */
	q = good_qpc();
	q.log_rq_size = 15;
	q.log_rq_stride = 8;
	q.log_sq_size = 15;
	q.page_offset = 0;
	q.log_page_size = 21;
	q.npages = 5;
	fill_pas(21);
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 5, pas, &syn), OK, 0);

	/* use_srq: no receive ring, buffer is the SQ only; RQ fields 0 */
	fill_pas(12);
	q = good_qpc();
	q.use_srq = 1;
	q.srqn = 3;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_SRQ);
	q.log_rq_size = 0;
	q.log_rq_stride = 0;
	q.page_offset = 0;
	q.npages = 2;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), OK, 0);
	EXPECT_EQ(mlx5x_hw_qp_rq_bytes(&q), 0);
	q.no_rq = 1;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_QP_SRQ);
	q.no_rq = 0;
	q.use_srq = 2;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_QP_SRQ);
	/* UD may use an SRQ, UC not (hw_validate.c, kernel/qp.c). */
	q.use_srq = 1;
	q.st = MLX5X_QP_ST_UD;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), OK, 0);
	q.st = MLX5X_QP_ST_UC;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_QP_SRQ);
	q = good_qpc();
	q.srqn = 3;		/* an SRQ number without use_srq */
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_SRQ);
}

/* The GSI QP: UD only, with the capability; reserved bytes stay 0. */
static void test_qpc_gsi(void)
{
	struct mlx5x_qpc q;
	u32 i;

	hw_test_ctx = "qpc gsi";
	fill_pas(12);
	q = good_qpc();
	q.st = MLX5X_QP_ST_UD;
	q.gsi = 1;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), OK, 0);
	q.use_srq = 1;		/* an ordinary UD QP in every other way */
	q.srqn = 2;
	q.log_rq_size = 0;
	q.log_rq_stride = 0;
	q.page_offset = 0;
	q.npages = 2;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 2, pas, &syn), OK, 0);
	q = good_qpc();
	q.st = MLX5X_QP_ST_UD;
	q.gsi = 1;
	q.log_rq_stride = 3;	/* and checked as one */
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_RQ_STRIDE);

	hw_test_ctx = "qpc gsi: not UD";
	q = good_qpc();
	q.gsi = 1;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_GSI);
	q.st = MLX5X_QP_ST_UC;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_GSI);

	hw_test_ctx = "qpc gsi: not 0/1";
	for (i = 2; i < 256; i++) {
		q = good_qpc();
		q.st = MLX5X_QP_ST_UD;
		q.gsi = i;
		EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn),
			      PARAM, MLX5X_SYN_QP_GSI);
	}

	hw_test_ctx = "qpc gsi: no GSI capability";
	cap.flags &= ~MLX5X_CAP_FLAG_GSI;
	q = good_qpc();
	q.st = MLX5X_QP_ST_UD;
	q.gsi = 1;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), PARAM,
		      MLX5X_SYN_QP_GSI);
	q.gsi = 0;
	EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn), OK, 0);
	mlx5x_hw_default_cap(&cap);

	hw_test_ctx = "qpc: reserved";
	for (i = 0; i < sizeof(q.rsvd3); i++) {
		q = good_qpc();
		q.rsvd3[i] = 1;
		EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn),
			      PARAM, MLX5X_SYN_QP_RSVD);
	}
	for (i = 0; i < ARRAY_SIZE(q.rsvd2); i++) {
		q = good_qpc();
		q.rsvd2[i] = 0x80000000;
		EXPECT_STATUS(mlx5x_hw_check_qpc(&cap, &q, 4, pas, &syn),
			      PARAM, MLX5X_SYN_QP_RSVD);
	}
}

static void test_srqc(void)
{
	/* 64 slots of 64 B = 4 KiB at offset 64: two pages. */
	const struct mlx5x_srqc good = {
		.log_srq_size = 6, .log_wqe_stride = 6, .log_page_size = 12,
		.pdn = 1, .npages = 2, .page_offset = 64, .dbr_addr = 0x2000,
	};
	struct mlx5x_srqc q;

	hw_test_ctx = "srqc";
	fill_pas(12);
	EXPECT_TRUE(cap.flags & MLX5X_CAP_FLAG_SRQ);
	q = good;
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), OK, 0);
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 1, pas, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN,
		      MLX5X_SYN_PAS_LEN);
	q.npages = 1;
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 1, pas, &syn), PARAM,
		      MLX5X_SYN_NPAGES);
	q = good;
	q.log_srq_size = 0;
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_SRQ_LOG_SIZE);
	q.log_srq_size = cap.log_max_srq_sz + 1;
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_SRQ_LOG_SIZE);
	q = good;
	q.log_wqe_stride = 4;	/* no room for a data segment */
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_SRQ_STRIDE);
	q.log_wqe_stride = 9;	/* beyond the engine's 256-byte copy */
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_SRQ_STRIDE);
	q = good;
	q.lwm = 64;
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_SRQ_LWM);
	q.lwm = 63;
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), OK, 0);
	q = good;
	q.state = MLX5X_SRQ_STATE_ERR;
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_SRQ_STATE);
	q = good;
	q.dbr_addr = 0x2004;
	EXPECT_STATUS(mlx5x_hw_check_srqc(&cap, &q, 2, pas, &syn), PARAM,
		      MLX5X_SYN_DBR_ALIGN);
}

static void test_cmd_check(void)
{
	struct mlx5x_cmd_in_hdr h = { 0 };
	u32 npas;

	hw_test_ctx = "cmd_check";
	h.opcode = 0x999;
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 8, 16, true, &npas, &syn),
		      MLX5X_CMD_STAT_BAD_OP, MLX5X_SYN_BAD_OPCODE);
	h.opcode = MLX5X_CMD_NOP;
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 8, 8, false, &npas, &syn), OK, 0);
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 16, 8, false, &npas, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_IN_LEN);
	h.opcode = MLX5X_CMD_QUERY_HCA_CAP;
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 8, 8 + 144, false, &npas, &syn),
		      OK, 0);
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 8, 8 + 143, false, &npas, &syn),
		      MLX5X_CMD_STAT_BAD_OUTP_LEN, MLX5X_SYN_OUT_LEN);
	h.opcode = MLX5X_CMD_ALLOC_PD;
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 8, 16, false, &npas, &syn),
		      MLX5X_CMD_STAT_BAD_SYS_STATE, MLX5X_SYN_NOT_INIT);
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 8, 16, true, &npas, &syn), OK, 0);
	h.opcode = MLX5X_CMD_INIT_HCA;
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 8, 8, false, &npas, &syn), OK, 0);
	h.opcode = MLX5X_CMD_TEARDOWN_HCA;
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 8, 8, false, &npas, &syn),
		      MLX5X_CMD_STAT_BAD_SYS_STATE, MLX5X_SYN_NOT_INIT);
	h.opcode = MLX5X_CMD_CREATE_MKEY;
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 48 + 24, 16, true, &npas, &syn),
		      OK, 0);
	EXPECT_EQ(npas, 3);
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 48, 16, true, &npas, &syn), OK, 0);
	EXPECT_EQ(npas, 0);
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 48 + 4, 16, true, &npas, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_IN_LEN);
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 40, 16, true, &npas, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_IN_LEN);
	h.opcode = MLX5X_CMD_2RST_QP;
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 136, 8, true, &npas, &syn),
		      OK, 0);
	EXPECT_STATUS(mlx5x_hw_cmd_check(&h, 16, 8, true, &npas, &syn),
		      MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_IN_LEN);
}

static void test_ring(void)
{
	u32 pc;

	hw_test_ctx = "eq ring";
	/* owner: 0 on pass 0, 1 on pass 1, across the 2^23 wrap */
	EXPECT_EQ(mlx5x_hw_eqe_owner(0, 6), 0);
	EXPECT_EQ(mlx5x_hw_eqe_owner(63, 6), 0);
	EXPECT_EQ(mlx5x_hw_eqe_owner(64, 6), 1);
	EXPECT_EQ(mlx5x_hw_eqe_owner(128, 6), 0);
	EXPECT_EQ(mlx5x_hw_eqe_owner(MLX5X_EQ_DB_CI_MASK, 16), 1);
	EXPECT_EQ(mlx5x_hw_eqe_owner((MLX5X_EQ_DB_CI_MASK + 1) &
				     MLX5X_EQ_DB_CI_MASK, 16), 0);
	EXPECT_EQ(mlx5x_hw_eq_used(10, 4), 6);
	EXPECT_EQ(mlx5x_hw_eq_used(2, MLX5X_EQ_DB_CI_MASK - 1), 4);
	/* ci may move forward up to pc, never back nor past it */
	pc = 3;
	EXPECT_TRUE(mlx5x_hw_eq_ci_ok(pc, MLX5X_EQ_DB_CI_MASK, 3));
	EXPECT_TRUE(mlx5x_hw_eq_ci_ok(pc, MLX5X_EQ_DB_CI_MASK,
				      MLX5X_EQ_DB_CI_MASK));
	EXPECT_TRUE(!mlx5x_hw_eq_ci_ok(pc, MLX5X_EQ_DB_CI_MASK, 4));
	EXPECT_TRUE(!mlx5x_hw_eq_ci_ok(10, 5, 4));

	hw_test_ctx = "buf_pa";
	pas[0] = 0x10000;
	pas[1] = 0x50000;
	EXPECT_EQ(mlx5x_hw_buf_pa(pas, 12, 0, 64), 0x10040);
	EXPECT_EQ(mlx5x_hw_buf_pa(pas, 12, 0x100, 4096 - 0x100), 0x50000);
	EXPECT_EQ(mlx5x_hw_buf_pa(pas, 12, 0x100, 4096), 0x50100);
}

int main(void)
{
	mlx5x_hw_default_cap(&cap);
	hw_test_ctx = "cap";
	EXPECT_TRUE(cap.vendor_id != 0x02c9);
	EXPECT_EQ(cap.num_ports, 1);
	EXPECT_EQ(cap.board_id[sizeof(cap.board_id) - 1], 0);
	EXPECT_TRUE(cap.flags & MLX5X_CAP_FLAG_GSI);
	test_buf();
	test_mkc();
	test_pa_mkc();
	test_eqc();
	test_cqc();
	test_qpc();
	test_qpc_gsi();
	test_srqc();
	test_cmd_check();
	test_ring();
	return hw_test_result("test_validate");
}

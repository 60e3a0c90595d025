// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Memory windows: the BIND_MW, LOCAL_INV and SEND_INVAL WQEs as hw_wqe.c
 * decodes them, and every rule of hw_mw_rules.c (bind, invalidation).
 */
#include "hw_test.h"
#include "hw_eng.h"

#define QPN	0x77
#define PDN	5

static u8 buf[MLX5X_MAX_WQE_BBS * MLX5X_WQEBB_SIZE];

static int parse(u8 opcode, u32 ds, bool mw, struct mlx5x_hw_wqe *w)
{
	struct mlx5x_hw_wqe_limits l = {
		.qpn = QPN, .expect_index = 3, .max_sge = 16,
		.max_inline = 256, .log_max_msg = 31, .sq_wqebbs = 64,
		.atomics = true, .mw = mw,
	};
	struct mlx5x_wqe_ctrl_seg c = {
		.opcode = opcode, .wqe_index = 3, .qpn_ds = QPN << 8 | ds,
		.imm = 0x4201,
	};

	memcpy(buf, &c, sizeof(c));
	return mlx5x_hw_wqe_parse(buf, sizeof(buf), &l, w);
}

static void test_parse(void)
{
	struct mlx5x_wqe_bind_seg b = {
		.mw_key = 0x4201, .new_key = 0x4202, .mr_key = 0x1105,
		.access = MLX5X_BIND_REMOTE_WRITE, .addr = 0x1000,
		.length = 0x200,
	};
	struct mlx5x_wqe_data_seg d = { 64, 0x1105, 0x1000 };
	struct mlx5x_hw_wqe w;

	memset(buf, 0, sizeof(buf));
	memcpy(buf + 16, &b, sizeof(b));
	hw_test_ctx = "bind";
	EXPECT_EQ(parse(MLX5X_OPCODE_BIND_MW, 3, true, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.bind.mw_key, 0x4201);
	EXPECT_EQ(w.bind.new_key, 0x4202);
	EXPECT_EQ(w.bind.mr_key, 0x1105);
	EXPECT_EQ(w.bind.access, MLX5X_BIND_REMOTE_WRITE);
	EXPECT_EQ(w.bind.addr, 0x1000);
	EXPECT_EQ(w.bind.length, 0x200);
	EXPECT_EQ(w.length, 0);
	EXPECT_EQ(mlx5x_hw_wqe_byte_cnt(&w), 0);
	hw_test_ctx = "bind: ds must be 3";
	EXPECT_EQ(parse(MLX5X_OPCODE_BIND_MW, 2, true, &w),
		  MLX5X_WQE_DS_MISMATCH);
	EXPECT_EQ(parse(MLX5X_OPCODE_BIND_MW, 4, true, &w),
		  MLX5X_WQE_DS_MISMATCH);
	hw_test_ctx = "bind: windows off";
	EXPECT_EQ(parse(MLX5X_OPCODE_BIND_MW, 3, false, &w),
		  MLX5X_WQE_BAD_OPCODE);

	hw_test_ctx = "local inv";
	EXPECT_EQ(parse(MLX5X_OPCODE_LOCAL_INV, 1, true, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.imm, 0x4201);
	EXPECT_EQ(parse(MLX5X_OPCODE_LOCAL_INV, 2, true, &w),
		  MLX5X_WQE_DS_MISMATCH);
	EXPECT_EQ(parse(MLX5X_OPCODE_LOCAL_INV, 1, false, &w),
		  MLX5X_WQE_BAD_OPCODE);

	hw_test_ctx = "send inval";
	memcpy(buf + 16, &d, sizeof(d));
	EXPECT_EQ(parse(MLX5X_OPCODE_SEND_INVAL, 2, true, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.imm, 0x4201);
	EXPECT_EQ(w.nsge, 1);
	EXPECT_EQ(w.length, 64);
	EXPECT_EQ(parse(MLX5X_OPCODE_SEND_INVAL, 2, false, &w),
		  MLX5X_WQE_BAD_OPCODE);
}

static struct mlx5x_mkc mw_mkc(u8 type)
{
	struct mlx5x_mkc m = { .pdn = PDN, .mw_type = type };

	return m;
}

static struct mlx5x_mkc mr_mkc(u32 access)
{
	struct mlx5x_mkc m = {
		.pdn = PDN, .access = access, .start_addr = 0x10000,
		.len = 0x4000,
	};

	return m;
}

static void test_bind(void)
{
	const u32 all = MLX5X_MKEY_LOCAL_WRITE | MLX5X_MKEY_MW_BIND;
	struct mlx5x_mkc w1 = mw_mkc(MLX5X_MKEY_MW_TYPE1);
	struct mlx5x_mkc w2 = mw_mkc(MLX5X_MKEY_MW_TYPE2);
	struct mlx5x_mkc mr = mr_mkc(all), other;
	struct mlx5x_wqe_bind_seg b = {
		.mw_key = 0x300, .new_key = 0x301, .mr_key = 0x200,
		.access = MLX5X_BIND_REMOTE_READ | MLX5X_BIND_REMOTE_WRITE,
		.addr = 0x11000, .length = 0x1000,
	}, t;

	hw_test_ctx = "bind ok";
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &mr, &b), MLX5X_MW_OK);
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, false, PDN, &mr, &b),
		  MLX5X_MW_OK);	/* type 1: rebind */
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w2, true, PDN, &mr, &b), MLX5X_MW_OK);
	t = b;
	t.addr = 0x10000;
	t.length = 0x4000;	/* the whole MR */
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w2, true, PDN, &mr, &t), MLX5X_MW_OK);

	hw_test_ctx = "type 2 busy";
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w2, false, PDN, &mr, &b),
		  MLX5X_MW_BUSY);

	hw_test_ctx = "zero length";
	t = b;
	t.length = 0;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, false, PDN, NULL, &t),
		  MLX5X_MW_OK);	/* type 1: unbind, no MR needed */
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w2, true, PDN, &mr, &t),
		  MLX5X_MW_ZERO_LEN);

	hw_test_ctx = "new key of another index";
	t = b;
	t.new_key = 0x401;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &mr, &t),
		  MLX5X_MW_NEW_KEY);

	hw_test_ctx = "not a window";
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&mr, true, PDN, &mr, &b),
		  MLX5X_MW_BAD_TYPE);

	hw_test_ctx = "access bits";
	t = b;
	t.access |= MLX5X_MKEY_LOCAL_WRITE;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &mr, &t),
		  MLX5X_MW_ACCESS);
	t.access = 1U << 5;	/* e.g. zero-based: not offered */
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &mr, &t),
		  MLX5X_MW_ACCESS);

	hw_test_ctx = "PDs";
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN + 1, &mr, &b),
		  MLX5X_MW_BAD_PD);
	other = mr;
	other.pdn = PDN + 1;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w2, true, PDN, &other, &b),
		  MLX5X_MW_BAD_PD);

	hw_test_ctx = "MR";
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, NULL, &b),
		  MLX5X_MW_BAD_MR);
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &w2, &b),
		  MLX5X_MW_BAD_MR);	/* a window is not an MR */
	other = mr_mkc(MLX5X_MKEY_LOCAL_WRITE | MLX5X_MKEY_REMOTE_WRITE);
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &other, &b),
		  MLX5X_MW_NO_BIND);
	other = mr_mkc(MLX5X_MKEY_MW_BIND);
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &other, &b),
		  MLX5X_MW_NEED_LWRITE);
	t = b;
	t.access = MLX5X_BIND_REMOTE_ATOMIC;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &other, &t),
		  MLX5X_MW_NEED_LWRITE);
	t.access = MLX5X_BIND_REMOTE_READ;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &other, &t),
		  MLX5X_MW_OK);

	hw_test_ctx = "range";
	t = b;
	t.addr = 0xffff;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &mr, &t),
		  MLX5X_MW_RANGE);
	t.addr = 0x13001;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &mr, &t),
		  MLX5X_MW_RANGE);	/* one byte past the end */
	t.addr = ~0ULL - 10;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &mr, &t),
		  MLX5X_MW_RANGE);	/* wraps */
}

static void test_inval(void)
{
	struct mlx5x_mkc w1 = mw_mkc(MLX5X_MKEY_MW_TYPE1);
	struct mlx5x_mkc w2 = mw_mkc(MLX5X_MKEY_MW_TYPE2);
	struct mlx5x_mkc mr = mr_mkc(MLX5X_MKEY_LOCAL_WRITE);

	hw_test_ctx = "local inv";
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&w2, PDN, false, false),
		  MLX5X_MW_OK);
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&w2, PDN + 1, false, true),
		  MLX5X_MW_BAD_PD);
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&w1, PDN, false, true),
		  MLX5X_MW_BAD_TYPE);
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&mr, PDN, false, true),
		  MLX5X_MW_BAD_TYPE);

	hw_test_ctx = "send inval";
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&w2, PDN, true, true), MLX5X_MW_OK);
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&w2, PDN, true, false),
		  MLX5X_MW_NOT_BOUND_HERE);
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&w1, PDN, true, true),
		  MLX5X_MW_BAD_TYPE);
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&mr, PDN, true, true),
		  MLX5X_MW_BAD_TYPE);
}

static void test_window_mkc(void)
{
	struct mlx5x_hca_cap cap;
	struct mlx5x_mkc m = mw_mkc(MLX5X_MKEY_MW_TYPE2);
	u32 syn = 0;

	mlx5x_hw_default_cap(&cap);
	hw_test_ctx = "window MKC";
	m.key_variant = 9;
	EXPECT_EQ(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn),
		  MLX5X_CMD_STAT_OK);
	m.len = 4096;
	EXPECT_EQ(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
	EXPECT_EQ(syn, MLX5X_SYN_MKEY_MW);
	m = mw_mkc(3);
	EXPECT_EQ(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
	m = mw_mkc(MLX5X_MKEY_MW_TYPE1);
	cap.flags &= ~MLX5X_CAP_FLAG_MW;
	EXPECT_EQ(mlx5x_hw_check_mkc(&cap, &m, 0, NULL, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
}

/* A PA MKey is neither a window to bind nor an MR to bind to. */
static void test_pa_mkey(void)
{
	const u32 all = MLX5X_MKEY_LOCAL_WRITE | MLX5X_MKEY_MW_BIND;
	struct mlx5x_mkc pa = {
		.pdn = PDN, .access = MLX5X_MKEY_LOCAL_WRITE, .len = ~0ULL,
		.mw_type = MLX5X_MKEY_PA,
	};
	struct mlx5x_mkc w1 = mw_mkc(MLX5X_MKEY_MW_TYPE1);
	struct mlx5x_mkc w2 = mw_mkc(MLX5X_MKEY_MW_TYPE2);
	struct mlx5x_mkc pa_all = pa;
	struct mlx5x_wqe_bind_seg b = {
		.mw_key = 0x300, .new_key = 0x301, .mr_key = 0x400,
		.access = MLX5X_BIND_REMOTE_READ, .addr = 0x10000,
		.length = 0x100,
	};

	hw_test_ctx = "PA MKey: bind";
	/* even with every right a forged MKC could claim */
	pa_all.access = all;
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w1, true, PDN, &pa, &b),
		  MLX5X_MW_BAD_MR);
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&w2, true, PDN, &pa_all, &b),
		  MLX5X_MW_BAD_MR);
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&pa, true, PDN, &pa_all, &b),
		  MLX5X_MW_BAD_TYPE);
	b.length = 0;		/* an unbind names no MR */
	EXPECT_EQ(mlx5x_hw_mw_bind_check(&pa, true, PDN, NULL, &b),
		  MLX5X_MW_BAD_TYPE);

	hw_test_ctx = "PA MKey: invalidation";
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&pa, PDN, false, false),
		  MLX5X_MW_BAD_TYPE);
	EXPECT_EQ(mlx5x_hw_mw_inval_check(&pa, PDN, true, true),
		  MLX5X_MW_BAD_TYPE);
}

int main(void)
{
	test_parse();
	test_bind();
	test_inval();
	test_window_mkc();
	test_pa_mkey();
	return hw_test_result("test_mw");
}

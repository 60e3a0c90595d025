// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * MKey checks and the page walk (hw_range.c): PD, access, bounds at their
 * edges and near 2^64, IOVA -> PAS page, pieces that stop at PAS and host
 * page boundaries, kernel buffers, empty segments; physical segments of
 * PA MKeys, cut at host pages only.
 */
#include "hw_test.h"
#include "hw_eng.h"

static u64 pas[8] = {
	0x10000, 0x50000, 0x20000, 0x90000, 0x30000, 0x70000, 0x40000, 0x80000,
};

static struct mlx5x_mkc mkc(u64 start, u64 len, u32 offset)
{
	struct mlx5x_mkc m = {
		.pdn = 3, .access = MLX5X_MKEY_LOCAL_WRITE |
				    MLX5X_MKEY_REMOTE_READ,
		.start_addr = start, .len = len, .npages = 8,
		.page_offset = offset, .log_page_size = 12,
	};
	return m;
}

static void test_check(void)
{
	struct mlx5x_mkc m = mkc(0x7000100, 0x3000, 0x100);

	hw_test_ctx = "check";
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, 0x7000100, 0x3000),
		  MLX5X_HW_MKEY_OK);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, MLX5X_MKEY_LOCAL_WRITE,
				      0x7003000, 0x100), MLX5X_HW_MKEY_OK);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 4, 0, 0x7000100, 1),
		  MLX5X_HW_MKEY_BAD_PD);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, MLX5X_MKEY_REMOTE_WRITE,
				      0x7000100, 1), MLX5X_HW_MKEY_BAD_ACCESS);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, MLX5X_MKEY_REMOTE_READ |
				      MLX5X_MKEY_REMOTE_ATOMIC, 0x7000100, 1),
		  MLX5X_HW_MKEY_BAD_ACCESS);
	/* one byte before, one byte past, length past */
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, 0x70000ff, 1),
		  MLX5X_HW_MKEY_BAD_RANGE);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, 0x7003100, 1),
		  MLX5X_HW_MKEY_BAD_RANGE);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, 0x7003000, 0x101),
		  MLX5X_HW_MKEY_BAD_RANGE);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, 0x70030ff, 1),
		  MLX5X_HW_MKEY_OK);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, 0x7000100, 0x3001),
		  MLX5X_HW_MKEY_BAD_RANGE);
	/* addr + len wrapping 2^64 must not pass */
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, 0x7000200, ~0ULL - 0x100),
		  MLX5X_HW_MKEY_BAD_RANGE);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, ~0ULL, 2),
		  MLX5X_HW_MKEY_BAD_RANGE);
	/* an MKey ending at 2^64 - 1 */
	m = mkc(~0ULL - 0xfff, 0x1000, 0);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, ~0ULL, 1), MLX5X_HW_MKEY_OK);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, ~0ULL, 2),
		  MLX5X_HW_MKEY_BAD_RANGE);
	/* zero-length at the end is inside */
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, ~0ULL, 0), MLX5X_HW_MKEY_OK);
}

static void test_walk(void)
{
	struct mlx5x_mkc m = mkc(0x7000100, 0x3000, 0x100);
	struct mlx5x_hw_seg seg[3];
	struct mlx5x_hw_cursor c;
	u8 kbuf[100];
	u64 pa = 0, n;
	u8 *kp = NULL;

	hw_test_ctx = "walk";
	/* IOVA 0x7000ff0: 0xef0 + 0x100 = 0xff0 into PAS page 0 */
	mlx5x_hw_mkey_seg(&m, pas, 0x7000ff0, 0x2020, &seg[0]);
	EXPECT_EQ(seg[0].off, 0xff0);
	seg[1] = (struct mlx5x_hw_seg){ .len = 0 };	/* empty: skipped */
	seg[2] = (struct mlx5x_hw_seg){ .kbuf = kbuf, .len = sizeof(kbuf) };
	mlx5x_hw_cursor_init(&c, seg, 3);

	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x10);
	EXPECT_EQ(pa, 0x10ff0);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x1000);
	EXPECT_EQ(pa, 0x50000);
	/* a limit splits a piece */
	n = mlx5x_hw_cursor_peek(&c, 12, 0x30, &pa, &kp);
	EXPECT_EQ(n, 0x30);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0xfd0);
	EXPECT_EQ(pa, 0x50030);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x1000);
	EXPECT_EQ(pa, 0x20000);
	mlx5x_hw_cursor_advance(&c, n);
	/* last 0x10 bytes in PAS page 3, then the kernel buffer */
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x10);
	EXPECT_EQ(pa, 0x90000);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, sizeof(kbuf));
	EXPECT_TRUE(kp == kbuf);
	mlx5x_hw_cursor_advance(&c, 40);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 60);
	EXPECT_TRUE(kp == kbuf + 40);
	mlx5x_hw_cursor_advance(&c, n);
	EXPECT_EQ(mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp), 0);

	hw_test_ctx = "walk: big PAS pages, small host pages";
	{
		u64 big[2] = { 0x200000, 0x600000 };
		struct mlx5x_hw_seg s = {
			.pas = big, .log_page_size = 21, .off = 0x1fff00,
			.len = 0x2000,
		};

		mlx5x_hw_cursor_init(&c, &s, 1);
		n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
		EXPECT_EQ(n, 0x100);
		EXPECT_EQ(pa, 0x3fff00);
		mlx5x_hw_cursor_advance(&c, n);
		n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
		EXPECT_EQ(n, 0x1000);
		EXPECT_EQ(pa, 0x600000);
		mlx5x_hw_cursor_advance(&c, n);
		n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
		EXPECT_EQ(n, 0xf00);
		EXPECT_EQ(pa, 0x601000);
	}
	hw_test_ctx = "walk: all empty";
	seg[0].len = 0;
	mlx5x_hw_cursor_init(&c, seg, 2);
	EXPECT_EQ(mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp), 0);
}

/* A PA MKey: IOVA = physical address, pieces cut at host pages only. */
static void test_phys(void)
{
	const struct mlx5x_mkc m = {
		.pdn = 3, .access = MLX5X_MKEY_LOCAL_WRITE, .len = ~0ULL,
		.mw_type = MLX5X_MKEY_PA,
	};
	struct mlx5x_hw_seg seg[2];
	struct mlx5x_hw_cursor c;
	u8 kbuf[16];
	u64 pa = 0, n;
	u8 *kp = NULL;

	hw_test_ctx = "phys: check";
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, MLX5X_MKEY_LOCAL_WRITE,
				      0x123456789, 0x10000), MLX5X_HW_MKEY_OK);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, 0, 1), MLX5X_HW_MKEY_OK);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, ~0ULL - 1, 1),
		  MLX5X_HW_MKEY_OK);
	/* another PD's QP, remote rights, a range wrapping 2^64 */
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 4, 0, 0x1000, 1),
		  MLX5X_HW_MKEY_BAD_PD);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, MLX5X_MKEY_REMOTE_READ, 0x1000,
				      1), MLX5X_HW_MKEY_BAD_ACCESS);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, MLX5X_MKEY_REMOTE_WRITE, 0x1000,
				      1), MLX5X_HW_MKEY_BAD_ACCESS);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, MLX5X_MKEY_REMOTE_ATOMIC, 0x1000,
				      1), MLX5X_HW_MKEY_BAD_ACCESS);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, ~0ULL - 0xf, 0x11),
		  MLX5X_HW_MKEY_BAD_RANGE);
	EXPECT_EQ(mlx5x_hw_mkey_check(&m, 3, 0, ~0ULL, 2),
		  MLX5X_HW_MKEY_BAD_RANGE);

	hw_test_ctx = "phys: seg";
	/* a pas pointer is ignored: the segment has none */
	mlx5x_hw_mkey_seg(&m, pas, 0x12345ff0, 0x2030, &seg[0]);
	EXPECT_TRUE(seg[0].phys);
	EXPECT_TRUE(seg[0].pas == NULL);
	EXPECT_EQ(seg[0].off, 0x12345ff0);
	EXPECT_EQ(seg[0].len, 0x2030);
	seg[1] = (struct mlx5x_hw_seg){ .kbuf = kbuf, .len = sizeof(kbuf) };

	hw_test_ctx = "phys: walk, 4 KiB host pages";
	mlx5x_hw_cursor_init(&c, seg, 2);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x10);
	EXPECT_EQ(pa, 0x12345ff0);
	EXPECT_TRUE(kp == NULL);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x1000);
	EXPECT_EQ(pa, 0x12346000);
	/* a limit cuts inside a page; the rest of it comes next */
	n = mlx5x_hw_cursor_peek(&c, 12, 0x800, &pa, &kp);
	EXPECT_EQ(n, 0x800);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x800);
	EXPECT_EQ(pa, 0x12346800);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x1000);
	EXPECT_EQ(pa, 0x12347000);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x20);
	EXPECT_EQ(pa, 0x12348000);
	mlx5x_hw_cursor_advance(&c, n);
	/* then the next segment, a kernel buffer */
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, sizeof(kbuf));
	EXPECT_TRUE(kp == kbuf);
	mlx5x_hw_cursor_advance(&c, n);
	EXPECT_EQ(mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp), 0);

	hw_test_ctx = "phys: walk, 64 KiB host pages";
	mlx5x_hw_cursor_init(&c, seg, 1);
	n = mlx5x_hw_cursor_peek(&c, 16, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x2030);	/* all inside 0x12340000..0x1234ffff */
	EXPECT_EQ(pa, 0x12345ff0);

	hw_test_ctx = "phys: the last page of the address space";
	mlx5x_hw_mkey_seg(&m, NULL, ~0ULL - 0x1ffe, 0x1fff, &seg[0]);
	mlx5x_hw_cursor_init(&c, seg, 1);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0xfff);
	EXPECT_EQ(pa, ~0ULL - 0x1ffe);
	mlx5x_hw_cursor_advance(&c, n);
	n = mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp);
	EXPECT_EQ(n, 0x1000);
	EXPECT_EQ(pa, ~0ULL - 0xfff);
	mlx5x_hw_cursor_advance(&c, n);
	EXPECT_EQ(mlx5x_hw_cursor_peek(&c, 12, ~0ULL, &pa, &kp), 0);

	hw_test_ctx = "phys: an MR segment is not physical";
	{
		struct mlx5x_mkc mr = mkc(0x7000100, 0x3000, 0x100);

		mlx5x_hw_mkey_seg(&mr, pas, 0x7000100, 0x10, &seg[0]);
		EXPECT_TRUE(!seg[0].phys);
		EXPECT_TRUE(seg[0].pas == pas);
	}
}

int main(void)
{
	test_check();
	test_walk();
	test_phys();
	return hw_test_result("hw_test_range");
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The input mailbox chain walker (hw_mbox.c) against a fake physical
 * memory: good chains, broken ones (block_num, token, alignment, early end,
 * unreachable block), cyclic ones, length limits, and the proof that it
 * reads no more blocks than in_len needs.
 */
#include "hw_test.h"

#define MEM_BASE	0x40000000ULL
#define MEM_PAGES	16

static u8 mem[MEM_PAGES * MLX5X_MBOX_SIZE] __attribute__((aligned(4096)));
static unsigned int reads;

static int fake_read(void *ctx, u64 pa, void *buf, u32 len)
{
	reads++;
	if (pa < MEM_BASE || pa - MEM_BASE > sizeof(mem) ||
	    len > sizeof(mem) - (pa - MEM_BASE))
		return -1;
	memcpy(buf, mem + (pa - MEM_BASE), len);
	return 0;
}

static struct mlx5x_cmd_mailbox *blk(unsigned int page)
{
	return (struct mlx5x_cmd_mailbox *)(mem + page * MLX5X_MBOX_SIZE);
}

static u64 pa_of(unsigned int page)
{
	return MEM_BASE + (u64)page * MLX5X_MBOX_SIZE;
}

/* Chain of @n blocks on pages 1, 2, ... n; data byte i = pattern(i). */
static void build_chain(unsigned int n, u8 token)
{
	unsigned int i, j;

	memset(mem, 0xee, sizeof(mem));
	for (i = 0; i < n; i++) {
		struct mlx5x_cmd_mailbox *b = blk(i + 1);

		for (j = 0; j < MLX5X_MBOX_DATA_SIZE; j++)
			b->data[j] = (u8)((i * MLX5X_MBOX_DATA_SIZE + j) * 7);
		b->next = i + 1 < n ? pa_of(i + 2) : 0;
		b->block_num = i;
		b->token = token;
	}
}

static struct mlx5x_cmdq_entry entry(u32 in_len, u8 token)
{
	struct mlx5x_cmdq_entry e = {
		.in_addr = pa_of(1), .out_addr = pa_of(0),
		.in_len = in_len, .out_len = 16, .token = token,
	};
	return e;
}

static u8 gather(const struct mlx5x_cmdq_entry *e, u8 *buf)
{
	u8 st = mlx5x_hw_cmd_entry_check(e);

	if (st != MLX5X_CMDQ_DELIVERY_OK)
		return st;
	reads = 0;
	return mlx5x_hw_mbox_gather(fake_read, NULL, e, buf);
}

static void test_good(void)
{
	static u8 buf[5 * MLX5X_MBOX_DATA_SIZE];
	const u32 lens[] = {
		8, 16, MLX5X_MBOX_DATA_SIZE - 1, MLX5X_MBOX_DATA_SIZE,
		MLX5X_MBOX_DATA_SIZE + 1, 2 * MLX5X_MBOX_DATA_SIZE,
		3 * MLX5X_MBOX_DATA_SIZE + 100,
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		struct mlx5x_cmdq_entry e = entry(lens[i], 0x5a);
		u32 nb = mlx5x_hw_mbox_blocks(lens[i]);
		unsigned int bad = 0;

		hw_test_ctx = "good chain";
		build_chain(nb, 0x5a);
		/* a trailing link beyond what in_len needs is not followed */
		blk(nb)->next = pa_of(nb + 1);
		memset(buf, 0, sizeof(buf));
		EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_OK);
		for (j = 0; j < lens[i]; j++)
			bad += buf[j] != (u8)(j * 7);
		EXPECT_EQ(bad, 0);
		EXPECT_EQ(buf[lens[i]], 0);	/* nothing past in_len */
		EXPECT_EQ(reads, 2 * nb);	/* tail + data per block */
	}
	EXPECT_EQ(mlx5x_hw_mbox_blocks(1), 1);
	EXPECT_EQ(mlx5x_hw_mbox_blocks(MLX5X_MBOX_DATA_SIZE), 1);
	EXPECT_EQ(mlx5x_hw_mbox_blocks(MLX5X_MBOX_DATA_SIZE + 1), 2);
	EXPECT_EQ(mlx5x_hw_mbox_blocks(MLX5X_CMD_MAX_IN_LEN), 4113);
}

static void test_broken(void)
{
	static u8 buf[5 * MLX5X_MBOX_DATA_SIZE];
	u32 len = 3 * MLX5X_MBOX_DATA_SIZE;
	struct mlx5x_cmdq_entry e = entry(len, 7);

	hw_test_ctx = "wrong block_num";
	build_chain(3, 7);
	blk(2)->block_num = 2;
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_MBOX);

	hw_test_ctx = "first block_num not 0";
	build_chain(3, 7);
	blk(1)->block_num = 1;
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_MBOX);

	hw_test_ctx = "wrong token, first block";
	build_chain(3, 7);
	blk(1)->token = 8;
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_TOKEN);

	hw_test_ctx = "wrong token, last block";
	build_chain(3, 7);
	blk(3)->token = 0;
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_TOKEN);

	hw_test_ctx = "chain ends early";
	build_chain(3, 7);
	blk(2)->next = 0;
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_MBOX);

	hw_test_ctx = "misaligned link";
	build_chain(3, 7);
	blk(2)->next = pa_of(3) + 8;
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_MBOX);

	hw_test_ctx = "link out of memory";
	build_chain(3, 7);
	blk(2)->next = MEM_BASE + sizeof(mem);
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	blk(2)->next = 0xfffffffffffff000ULL;
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_MBOX);

	hw_test_ctx = "cycle to itself";
	build_chain(3, 7);
	blk(1)->next = pa_of(1);
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	EXPECT_TRUE(reads <= 2 * 3);

	hw_test_ctx = "cycle with forged block numbers is bounded";
	/* A 2-cycle whose blocks claim 0 and 1: caught at block 2. */
	build_chain(2, 7);
	blk(2)->next = pa_of(1);
	e.in_len = 5 * MLX5X_MBOX_DATA_SIZE;
	EXPECT_EQ(gather(&e, buf), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	EXPECT_TRUE(reads <= 2 * 5);
}

static void test_lengths(void)
{
	struct mlx5x_cmdq_entry e;

	hw_test_ctx = "in_len";
	e = entry(0, 1);
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	e = entry(7, 1);
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	e = entry(8, 1);
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_OK);
	e = entry(MLX5X_CMD_MAX_IN_LEN, 1);
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_OK);
	e = entry(MLX5X_CMD_MAX_IN_LEN + 1, 1);
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	e = entry(0xffffffff, 1);
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);

	hw_test_ctx = "in_addr";
	e = entry(16, 1);
	e.in_addr = 0;
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	e.in_addr = pa_of(1) + 64;
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);

	hw_test_ctx = "out_len/out_addr";
	e = entry(16, 1);
	e.out_len = 7;
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	e.out_len = MLX5X_CMD_MAX_OUT_LEN;
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_OK);
	e.out_len = MLX5X_CMD_MAX_OUT_LEN + 1;
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	e.out_len = 16;
	e.out_addr = 0;
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
	e.out_addr = pa_of(0) + 2048;
	EXPECT_EQ(mlx5x_hw_cmd_entry_check(&e), MLX5X_CMDQ_DELIVERY_BAD_MBOX);
}

int main(void)
{
	test_good();
	test_broken();
	test_lengths();
	return hw_test_result("test_mbox");
}

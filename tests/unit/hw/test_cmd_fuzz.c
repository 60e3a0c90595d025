// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A plain random fuzz of the command decoder: random and mutated command
 * queue entries and mailbox chains go through the same pure steps the
 * firmware takes (entry check, chain gather into a buffer of exactly
 * in_len bytes, generic check, the opcode's context validation or the QP
 * state machine). Under ASan/UBSan any read past the input or undefined
 * arithmetic aborts. Deterministic: the seed is fixed unless given.
 */
#include <stdlib.h>
#include "hw_test.h"

#define MEM_BASE	0x80000000ULL
#define MEM_PAGES	8

static u8 mem[MEM_PAGES * MLX5X_MBOX_SIZE];
static struct mlx5x_hca_cap cap;
static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int fake_read(void *ctx, u64 pa, void *buf, u32 len)
{
	if (pa < MEM_BASE || pa - MEM_BASE > sizeof(mem) ||
	    len > sizeof(mem) - (pa - MEM_BASE))
		return -1;
	memcpy(buf, mem + (pa - MEM_BASE), len);
	return 0;
}

static const u16 opcodes[] = {
	MLX5X_CMD_QUERY_HCA_CAP, MLX5X_CMD_INIT_HCA, MLX5X_CMD_NOP,
	MLX5X_CMD_CREATE_MKEY, MLX5X_CMD_CREATE_EQ, MLX5X_CMD_CREATE_CQ,
	MLX5X_CMD_CREATE_QP, MLX5X_CMD_RST2INIT_QP, MLX5X_CMD_INIT2RTR_QP,
	MLX5X_CMD_RTR2RTS_QP, MLX5X_CMD_RTS2SQD_QP, MLX5X_CMD_SQD2SQD_QP,
	MLX5X_CMD_2ERR_QP, MLX5X_CMD_2RST_QP, MLX5X_CMD_QUERY_QP, 0x7777,
};

/* Lay out a chain for @len bytes of random (or plausible) input. */
static void build(struct mlx5x_cmdq_entry *e)
{
	u32 nb, i, j;
	u8 token = rnd();

	for (i = 0; i < sizeof(mem); i++)
		mem[i] = rnd() % 4 ? 0 : rnd();
	e->in_len = rnd() % 2 ? 8 + rnd() % 400 : rnd() % (MEM_PAGES * 4200);
	if (rnd() % 50 == 0)
		e->in_len = rnd();
	e->out_len = rnd() % 300;
	e->in_addr = MEM_BASE + MLX5X_MBOX_SIZE;
	e->out_addr = MEM_BASE;
	e->token = token;
	nb = mlx5x_hw_mbox_blocks(e->in_len);
	for (i = 0; i < nb && i + 1 < MEM_PAGES; i++) {
		struct mlx5x_cmd_mailbox *b =
			(void *)(mem + (i + 1) * MLX5X_MBOX_SIZE);

		b->next = MEM_BASE + (u64)(i + 2) * MLX5X_MBOX_SIZE;
		b->block_num = i;
		b->token = token;
		if (i == 0) {
			struct mlx5x_cmd_in_hdr *h = (void *)b->data;

			h->opcode = opcodes[rnd() % ARRAY_SIZE(opcodes)];
		}
		/* plausible small values make the validators go deeper */
		for (j = 8; j < 160; j += 4)
			if (rnd() % 3 == 0)
				b->data[j] = rnd() % 16;
		if (rnd() % 40 == 0)
			b->next = rnd() % 2 ? rnd() : MEM_BASE + (rnd() % 8) *
				  MLX5X_MBOX_SIZE;
		if (rnd() % 60 == 0)
			b->block_num ^= 1;
		if (rnd() % 60 == 0)
			b->token ^= 1;
	}
}

static void decode(const struct mlx5x_cmdq_entry *e, u64 *ops)
{
	const struct mlx5x_cmd_in_hdr *h;
	u32 npas = 0, syn = 0;
	u8 *in;
	u8 st;

	if (mlx5x_hw_cmd_entry_check(e) != MLX5X_CMDQ_DELIVERY_OK)
		return;
	in = malloc(e->in_len);		/* exact size: ASan sees overreads */
	if (!in)
		abort();
	if (mlx5x_hw_mbox_gather(fake_read, NULL, e, in) !=
	    MLX5X_CMDQ_DELIVERY_OK)
		goto out;
	ops[0]++;
	h = (const void *)in;
	st = mlx5x_hw_cmd_check(in, e->in_len, MLX5X_CMD_MAX_OUT_LEN,
				rnd() % 2, &npas, &syn);
	if (st)
		goto out;
	ops[1]++;
	switch (h->opcode) {
	case MLX5X_CMD_CREATE_MKEY: {
		const struct mlx5x_create_mkey_in *m = (const void *)in;

		st = mlx5x_hw_check_mkc(&cap, &m->mkc, npas, m->pas, &syn);
		break;
	}
	case MLX5X_CMD_CREATE_EQ: {
		const struct mlx5x_create_eq_in *q = (const void *)in;

		st = mlx5x_hw_check_eqc(&cap, &q->eqc, npas, q->pas, 4, &syn);
		break;
	}
	case MLX5X_CMD_CREATE_CQ: {
		const struct mlx5x_create_cq_in *q = (const void *)in;

		st = mlx5x_hw_check_cqc(&cap, &q->cqc, npas, q->pas, &syn);
		break;
	}
	case MLX5X_CMD_CREATE_QP: {
		const struct mlx5x_create_qp_in *q = (const void *)in;

		st = mlx5x_hw_check_qpc(&cap, &q->qpc, npas, q->pas, &syn);
		break;
	}
	default:
		if (mlx5x_hw_qp_trans(h->opcode)) {
			const struct mlx5x_modify_qp_in *q = (const void *)in;
			struct mlx5x_qpc qpc = { .state = rnd() % 7 };

			st = mlx5x_hw_qp_modify_check(&cap, h->opcode,
						      qpc.state, q->opt_mask,
						      &q->qpc, &syn);
			if (!st)
				mlx5x_hw_qp_modify_apply(&qpc, h->opcode,
							 q->opt_mask, &q->qpc);
		}
		break;
	}
	if (st == MLX5X_CMD_STAT_OK)
		ops[2]++;
out:
	free(in);
}

int main(int argc, char **argv)
{
	unsigned long iters = 20000, i;
	u64 ops[3] = { 0 };

	rng_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x6d6c7835ULL;
	if (argc > 2)
		iters = strtoul(argv[2], NULL, 0);
	mlx5x_hw_default_cap(&cap);
	for (i = 0; i < iters; i++) {
		struct mlx5x_cmdq_entry e = { 0 };

		build(&e);
		decode(&e, ops);
	}
	printf("fuzz: %lu entries, %llu gathered, %llu passed generic checks, %llu accepted\n",
	       iters, (unsigned long long)ops[0], (unsigned long long)ops[1],
	       (unsigned long long)ops[2]);
	hw_test_ctx = "fuzz reached the validators";
	EXPECT_TRUE(ops[1] > 0);
	return hw_test_result("test_cmd_fuzz");
}

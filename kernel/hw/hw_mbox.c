// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The input mailbox chain, walked without trusting it.
 *
 * A command's input is in_len bytes spread over the data[] of a chain of
 * mailbox blocks. The walk never follows more links than in_len needs, so a
 * cyclic or endless chain costs at most MLX5X_CMD_MAX_IN_LEN /
 * MLX5X_MBOX_DATA_SIZE reads; each block must carry the next block_num and
 * the entry's token. Every byte is copied out before anything looks at it:
 * the driver may rewrite its mailboxes while the device works.
 */
#include "hw_check.h"

struct mlx5x_hw_mbox_tail {
	__u64 next;
	__u16 block_num;
	__u8 token;
	__u8 rsvd[5];
};

_Static_assert(sizeof(struct mlx5x_hw_mbox_tail) ==
	       MLX5X_MBOX_SIZE - MLX5X_MBOX_DATA_SIZE, "mailbox tail");

u32 mlx5x_hw_mbox_blocks(u32 in_len)
{
	return (u32)DIV_ROUND_UP_ULL((u64)in_len, MLX5X_MBOX_DATA_SIZE);
}

static bool mlx5x_hw_mbox_addr_ok(u64 pa)
{
	return pa && !(pa & (MLX5X_MBOX_SIZE - 1));
}

u8 mlx5x_hw_cmd_entry_check(const struct mlx5x_cmdq_entry *e)
{
	if (e->in_len < sizeof(struct mlx5x_cmd_in_hdr) ||
	    e->in_len > MLX5X_CMD_MAX_IN_LEN ||
	    !mlx5x_hw_mbox_addr_ok(e->in_addr))
		return MLX5X_CMDQ_DELIVERY_BAD_MBOX;
	if (e->out_len < sizeof(struct mlx5x_cmd_out_hdr) ||
	    e->out_len > MLX5X_CMD_MAX_OUT_LEN ||
	    !mlx5x_hw_mbox_addr_ok(e->out_addr))
		return MLX5X_CMDQ_DELIVERY_BAD_MBOX;
	return MLX5X_CMDQ_DELIVERY_OK;
}

u8 mlx5x_hw_mbox_gather(mlx5x_hw_dma_read_fn rd, void *ctx,
			const struct mlx5x_cmdq_entry *e, void *buf)
{
	u32 nblocks = mlx5x_hw_mbox_blocks(e->in_len);
	u32 left = e->in_len;
	u8 *dst = buf;
	u64 pa = e->in_addr;
	u32 i;

	for (i = 0; i < nblocks; i++) {
		struct mlx5x_hw_mbox_tail tail;
		u32 n = left < MLX5X_MBOX_DATA_SIZE ? left : MLX5X_MBOX_DATA_SIZE;

		if (!mlx5x_hw_mbox_addr_ok(pa))
			return MLX5X_CMDQ_DELIVERY_BAD_MBOX;
		if (rd(ctx, pa + MLX5X_MBOX_DATA_SIZE, &tail, sizeof(tail)))
			return MLX5X_CMDQ_DELIVERY_BAD_MBOX;
		if (tail.token != e->token)
			return MLX5X_CMDQ_DELIVERY_BAD_TOKEN;
		if (tail.block_num != i)
			return MLX5X_CMDQ_DELIVERY_BAD_MBOX;
		if (rd(ctx, pa, dst, n))
			return MLX5X_CMDQ_DELIVERY_BAD_MBOX;
		dst += n;
		left -= n;
		pa = tail.next;
	}
	return MLX5X_CMDQ_DELIVERY_OK;
}

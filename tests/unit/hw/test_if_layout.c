// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The layouts of <rdma/mlx5x_if.h> as the device half relies on them. A
 * change here is an interface change for the driver half as well.
 */
#include <stddef.h>
#include "hw_test.h"

#define SIZE(t, n)	_Static_assert(sizeof(struct t) == (n), #t " size")
#define OFF(t, f, n)	_Static_assert(offsetof(struct t, f) == (n), \
				       #t "." #f " offset")

SIZE(mlx5x_cmdq_entry, MLX5X_CMDQ_ENTRY_SIZE);
OFF(mlx5x_cmdq_entry, in_addr, 0);
OFF(mlx5x_cmdq_entry, out_addr, 8);
OFF(mlx5x_cmdq_entry, in_len, 16);
OFF(mlx5x_cmdq_entry, out_len, 20);
OFF(mlx5x_cmdq_entry, token, 24);
OFF(mlx5x_cmdq_entry, delivery_status, 25);
OFF(mlx5x_cmdq_entry, ownership, 27);
_Static_assert(MLX5X_CMDQ_ENTRIES * MLX5X_CMDQ_ENTRY_SIZE <= 4096,
	       "command queue fits a page");

SIZE(mlx5x_cmd_mailbox, MLX5X_MBOX_SIZE);
OFF(mlx5x_cmd_mailbox, next, MLX5X_MBOX_DATA_SIZE);
OFF(mlx5x_cmd_mailbox, block_num, MLX5X_MBOX_DATA_SIZE + 8);
OFF(mlx5x_cmd_mailbox, token, MLX5X_MBOX_DATA_SIZE + 10);
_Static_assert(MLX5X_CMD_MAX_IN_LEN / MLX5X_MBOX_DATA_SIZE < 65536,
	       "block_num covers the longest chain");

SIZE(mlx5x_cmd_in_hdr, 8);
SIZE(mlx5x_cmd_out_hdr, 8);
SIZE(mlx5x_hca_cap, 144);
SIZE(mlx5x_alloc_out, 16);
SIZE(mlx5x_obj_in, 16);

SIZE(mlx5x_eqe, MLX5X_EQE_SIZE);
OFF(mlx5x_eqe, cqn, 4);
OFF(mlx5x_eqe, data, 8);
OFF(mlx5x_eqe, owner, MLX5X_EQE_SIZE - 1);

SIZE(mlx5x_mkc, 40);
SIZE(mlx5x_eqc, 24);
SIZE(mlx5x_cqc, 40);
SIZE(mlx5x_av, 32);
SIZE(mlx5x_qpc, 120);
OFF(mlx5x_qpc, pdn, 8);
OFF(mlx5x_qpc, dbr_addr, 32);
OFF(mlx5x_qpc, pkey_index, 40);
OFF(mlx5x_qpc, port, 60);
OFF(mlx5x_qpc, av, 72);
SIZE(mlx5x_modify_qp_in, 136);
OFF(mlx5x_create_mkey_in, pas, 48);
OFF(mlx5x_create_eq_in, pas, 32);
OFF(mlx5x_create_cq_in, pas, 48);
OFF(mlx5x_resize_cq_in, pas, 32);
SIZE(mlx5x_resize_cq_out, 16);
OFF(mlx5x_create_qp_in, pas, 128);
SIZE(mlx5x_counters, 128);
OFF(mlx5x_query_counters_out, counters, 8);
_Static_assert(sizeof(struct mlx5x_query_counters_out) <=
	       MLX5X_CMD_MAX_OUT_LEN, "counters fit one mailbox");
_Static_assert(sizeof(struct mlx5x_query_qp_out) <= MLX5X_CMD_MAX_OUT_LEN,
	       "largest output fits one mailbox");

int main(void)
{
	const u16 ops[] = {
		MLX5X_CMD_QUERY_HCA_CAP, MLX5X_CMD_INIT_HCA,
		MLX5X_CMD_TEARDOWN_HCA, MLX5X_CMD_NOP,
		MLX5X_CMD_CREATE_MKEY, MLX5X_CMD_QUERY_MKEY,
		MLX5X_CMD_DESTROY_MKEY, MLX5X_CMD_CREATE_EQ,
		MLX5X_CMD_DESTROY_EQ, MLX5X_CMD_CREATE_CQ,
		MLX5X_CMD_DESTROY_CQ, MLX5X_CMD_QUERY_CQ,
		MLX5X_CMD_RESIZE_CQ,
		MLX5X_CMD_CREATE_QP, MLX5X_CMD_DESTROY_QP,
		MLX5X_CMD_RST2INIT_QP, MLX5X_CMD_INIT2RTR_QP,
		MLX5X_CMD_RTR2RTS_QP, MLX5X_CMD_RTS2RTS_QP,
		MLX5X_CMD_SQERR2RTS_QP, MLX5X_CMD_2ERR_QP,
		MLX5X_CMD_2RST_QP, MLX5X_CMD_QUERY_QP,
		MLX5X_CMD_SQD2RTS_QP, MLX5X_CMD_RTS2SQD_QP,
		MLX5X_CMD_INIT2INIT_QP, MLX5X_CMD_SQD2SQD_QP,
		MLX5X_CMD_ALLOC_PD, MLX5X_CMD_DEALLOC_PD,
		MLX5X_CMD_ALLOC_UAR, MLX5X_CMD_DEALLOC_UAR,
	};
	unsigned int i;

	/* Every opcode of the interface has a table row whose sizes fit. */
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		const struct mlx5x_hw_cmd_desc *d = mlx5x_hw_cmd_desc(ops[i]);

		hw_test_ctx = mlx5x_hw_cmd_name(ops[i]);
		EXPECT_TRUE(d != NULL);
		if (!d)
			continue;
		EXPECT_EQ(d->opcode, ops[i]);
		EXPECT_TRUE(d->in_size >= sizeof(struct mlx5x_cmd_in_hdr));
		EXPECT_TRUE(d->out_size >= sizeof(struct mlx5x_cmd_out_hdr));
		EXPECT_TRUE(d->out_size <= MLX5X_CMD_MAX_OUT_LEN);
	}
	return hw_test_result("test_if_layout");
}

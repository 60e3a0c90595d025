// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The opcode table: what each command's input and output look like, and
 * whether it may run before INIT_HCA. mlx5x_hw_cmd_check() applies the rules
 * every command shares; the per-object handlers check the rest.
 */
#include "hw_check.h"

#define CMD(op, fl, in, out) {					\
	.opcode = MLX5X_CMD_##op, .flags = (fl),			\
	.in_size = sizeof(struct in), .out_size = sizeof(struct out),	\
	.name = #op,							\
}

#define PRE	MLX5X_HW_CMD_PRE_INIT
#define PAS	MLX5X_HW_CMD_PAS
#define SIMPLE	mlx5x_cmd_simple_out

static const struct mlx5x_hw_cmd_desc mlx5x_hw_cmds[] = {
	CMD(QUERY_HCA_CAP, PRE, mlx5x_cmd_simple_in, mlx5x_query_hca_cap_out),
	CMD(INIT_HCA, PRE, mlx5x_cmd_simple_in, SIMPLE),
	CMD(TEARDOWN_HCA, 0, mlx5x_cmd_simple_in, SIMPLE),
	CMD(NOP, PRE, mlx5x_cmd_simple_in, SIMPLE),
	CMD(CREATE_MKEY, PAS, mlx5x_create_mkey_in, mlx5x_create_mkey_out),
	CMD(QUERY_MKEY, 0, mlx5x_obj_in, mlx5x_query_mkey_out),
	CMD(DESTROY_MKEY, 0, mlx5x_obj_in, SIMPLE),
	CMD(CREATE_EQ, PAS, mlx5x_create_eq_in, mlx5x_alloc_out),
	CMD(DESTROY_EQ, 0, mlx5x_obj_in, SIMPLE),
	CMD(CREATE_CQ, PAS, mlx5x_create_cq_in, mlx5x_alloc_out),
	CMD(DESTROY_CQ, 0, mlx5x_obj_in, SIMPLE),
	CMD(QUERY_CQ, 0, mlx5x_obj_in, mlx5x_query_cq_out),
	CMD(RESIZE_CQ, PAS, mlx5x_resize_cq_in, mlx5x_resize_cq_out),
	CMD(CREATE_QP, PAS, mlx5x_create_qp_in, mlx5x_alloc_out),
	CMD(DESTROY_QP, 0, mlx5x_obj_in, SIMPLE),
	CMD(RST2INIT_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(INIT2INIT_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(INIT2RTR_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(RTR2RTS_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(RTS2RTS_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(SQERR2RTS_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(RTS2SQD_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(SQD2SQD_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(SQD2RTS_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(2ERR_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(2RST_QP, 0, mlx5x_modify_qp_in, SIMPLE),
	CMD(QUERY_QP, 0, mlx5x_obj_in, mlx5x_query_qp_out),
	CMD(CREATE_SRQ, PAS, mlx5x_create_srq_in, mlx5x_alloc_out),
	CMD(DESTROY_SRQ, 0, mlx5x_obj_in, SIMPLE),
	CMD(QUERY_SRQ, 0, mlx5x_obj_in, mlx5x_query_srq_out),
	CMD(MODIFY_SRQ, 0, mlx5x_modify_srq_in, SIMPLE),
	CMD(ALLOC_PD, 0, mlx5x_cmd_simple_in, mlx5x_alloc_out),
	CMD(DEALLOC_PD, 0, mlx5x_obj_in, SIMPLE),
	CMD(ALLOC_UAR, 0, mlx5x_cmd_simple_in, mlx5x_alloc_out),
	CMD(DEALLOC_UAR, 0, mlx5x_obj_in, SIMPLE),
	CMD(SET_ROCE_ADDRESS, 0, mlx5x_set_roce_address_in, SIMPLE),
	CMD(QUERY_COUNTERS, 0, mlx5x_cmd_simple_in, mlx5x_query_counters_out),
};

#undef CMD
#undef PRE
#undef PAS
#undef SIMPLE

const struct mlx5x_hw_cmd_desc *mlx5x_hw_cmd_desc(u16 opcode)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(mlx5x_hw_cmds); i++)
		if (mlx5x_hw_cmds[i].opcode == opcode)
			return &mlx5x_hw_cmds[i];
	return NULL;
}

const char *mlx5x_hw_cmd_name(u16 opcode)
{
	const struct mlx5x_hw_cmd_desc *d = mlx5x_hw_cmd_desc(opcode);

	return d ? d->name : "UNKNOWN";
}

u8 mlx5x_hw_cmd_check(const void *in, u32 in_len, u32 out_len,
		      bool hca_up, u32 *npas, u32 *syn)
{
	const struct mlx5x_cmd_in_hdr *hdr = in;
	const struct mlx5x_hw_cmd_desc *d = mlx5x_hw_cmd_desc(hdr->opcode);

	*npas = 0;
	if (!d) {
		*syn = MLX5X_SYN_BAD_OPCODE;
		return MLX5X_CMD_STAT_BAD_OP;
	}
	if (d->flags & MLX5X_HW_CMD_PAS) {
		if (in_len < d->in_size ||
		    (in_len - d->in_size) % sizeof(u64)) {
			*syn = MLX5X_SYN_IN_LEN;
			return MLX5X_CMD_STAT_BAD_INP_LEN;
		}
		*npas = (in_len - d->in_size) / sizeof(u64);
	} else if (in_len != d->in_size) {
		*syn = MLX5X_SYN_IN_LEN;
		return MLX5X_CMD_STAT_BAD_INP_LEN;
	}
	if (out_len < d->out_size) {
		*syn = MLX5X_SYN_OUT_LEN;
		return MLX5X_CMD_STAT_BAD_OUTP_LEN;
	}
	if (!hca_up && !(d->flags & MLX5X_HW_CMD_PRE_INIT)) {
		*syn = MLX5X_SYN_NOT_INIT;
		return MLX5X_CMD_STAT_BAD_SYS_STATE;
	}
	return MLX5X_CMD_STAT_OK;
}

void mlx5x_hw_default_cap(struct mlx5x_hca_cap *cap)
{
	static const char board_id[] = "MLX5X0000001";

	memset(cap, 0, sizeof(*cap));
	cap->vendor_id = 0xfffffe;	/* not Mellanox (0x02c9) */
	cap->vendor_part_id = 0x5a5a;	/* not a ConnectX part */
	cap->hw_rev = 1;
	cap->log_max_qp = 16;
	cap->log_max_qp_sz = 15;
	cap->log_max_cq = 16;
	cap->log_max_cq_sz = 22;
	cap->log_max_eq = 5;
	cap->log_max_eq_sz = 16;
	cap->log_max_mkey = 20;
	cap->log_max_pd = 18;
	cap->log_max_uar = 12;
	cap->log_max_msg = 31;
	cap->log_max_mr_size = 40;
	cap->max_sge_sq = 16;
	cap->max_sge_rq = 16;
	cap->max_inline_data = 256;
	cap->max_qp_rd_atom = 16;
	cap->max_qp_dest_rd_atom = 16;
	cap->gid_table_size = 128;
	cap->pkey_table_size = 1;
	cap->num_ports = 1;
	cap->log_max_srq = 16;
	cap->log_max_srq_sz = 15;
	cap->flags = MLX5X_CAP_FLAG_RC | MLX5X_CAP_FLAG_SQD |
		     MLX5X_CAP_FLAG_ATOMIC | MLX5X_CAP_FLAG_MW |
		     MLX5X_CAP_FLAG_SRQ | MLX5X_CAP_FLAG_UD | MLX5X_CAP_FLAG_UC |
		     MLX5X_CAP_FLAG_GSI;
	memcpy(cap->board_id, board_id, sizeof(board_id));
}

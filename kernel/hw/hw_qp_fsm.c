// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The QP state machine, as the firmware enforces it.
 *
 * One row per modify opcode: the state it starts from, the state it leaves
 * the QP in, the opt_mask bits it requires and the ones it allows (IB spec
 * vol. 1, "QP state transitions", for RC; the required sets are those
 * ib_modify_qp_is_ok() also demands). Checks come in a fixed order, so
 * each failure has one answer:
 *   1. current state != row's source	BAD_RES_STATE, QP_BAD_STATE + state
 *   2. a bit outside "allowed"		BAD_PARAM, QP_OPT_NOT_ALLOWED
 *   3. a "required" bit missing		BAD_PARAM, QP_OPT_MISSING
 *   4. a value out of range		BAD_PARAM, the field's syndrome
 * Only the fields named by opt_mask are read from the command's qpc.
 *
 * The table is RC's. UC and UD use the same rows with the fields they do
 * not have taken out of both sets (mlx5x_hw_qp_st_masks()): UC has no
 * acknowledgements, so no timeout, retries, RNR or RDMA READ/atomic
 * resources; UD has no connection either (no AV, MTU, dest QPN, RQ PSN,
 * access flags) but a Q_Key, required at RST2INIT, and the path MTU the
 * driver gives it at RST2INIT (the port's active MTU: the largest message).
 */
#include "hw_check.h"

#define O(x)	MLX5X_QP_OPT_##x
#define ANY	MLX5X_HW_QP_FROM_ANY
#define S(x)	MLX5X_QP_STATE_##x

#define RTS_OPT		(O(ACCESS) | O(MIN_RNR_TIMER))
#define INIT2RTR_REQ	(O(AV) | O(MTU) | O(DEST_QPN) | O(RQ_PSN) | \
			 O(MAX_DEST_RD_ATOMIC) | O(MIN_RNR_TIMER))
#define RTR2RTS_REQ	(O(SQ_PSN) | O(TIMEOUT) | O(RETRY_CNT) | \
			 O(RNR_RETRY) | O(MAX_RD_ATOMIC))
#define SQD_PATH	(O(AV) | O(TIMEOUT) | O(RETRY_CNT) | O(RNR_RETRY) | \
			 O(MAX_RD_ATOMIC) | O(MAX_DEST_RD_ATOMIC) | \
			 O(PKEY_INDEX) | O(PORT))

static const struct mlx5x_hw_qp_trans mlx5x_hw_qp_fsm[] = {
	{ MLX5X_CMD_RST2INIT_QP, S(RST), S(INIT),
	  O(PKEY_INDEX) | O(PORT) | O(ACCESS),
	  O(PKEY_INDEX) | O(PORT) | O(ACCESS), "RST2INIT" },
	{ MLX5X_CMD_INIT2INIT_QP, S(INIT), S(INIT),
	  0, O(PKEY_INDEX) | O(PORT) | O(ACCESS), "INIT2INIT" },
	{ MLX5X_CMD_INIT2RTR_QP, S(INIT), S(RTR),
	  INIT2RTR_REQ, INIT2RTR_REQ | O(ACCESS) | O(PKEY_INDEX),
	  "INIT2RTR" },
	{ MLX5X_CMD_RTR2RTS_QP, S(RTR), S(RTS),
	  RTR2RTS_REQ, RTR2RTS_REQ | RTS_OPT, "RTR2RTS" },
	{ MLX5X_CMD_RTS2RTS_QP, S(RTS), S(RTS), 0, RTS_OPT, "RTS2RTS" },
	{ MLX5X_CMD_SQERR2RTS_QP, S(SQER), S(RTS),
	  0, RTS_OPT | O(SQ_PSN), "SQERR2RTS" },
	{ MLX5X_CMD_RTS2SQD_QP, S(RTS), S(SQD), 0, O(SQD_EVENT), "RTS2SQD" },
	{ MLX5X_CMD_SQD2SQD_QP, S(SQD), S(SQD),
	  0, RTS_OPT | SQD_PATH, "SQD2SQD" },
	{ MLX5X_CMD_SQD2RTS_QP, S(SQD), S(RTS), 0, RTS_OPT, "SQD2RTS" },
	{ MLX5X_CMD_2ERR_QP, ANY, S(ERR), 0, 0, "2ERR" },
	{ MLX5X_CMD_2RST_QP, ANY, S(RST), 0, 0, "2RST" },
};

const struct mlx5x_hw_qp_trans *mlx5x_hw_qp_trans(u16 opcode)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(mlx5x_hw_qp_fsm); i++)
		if (mlx5x_hw_qp_fsm[i].opcode == opcode)
			return &mlx5x_hw_qp_fsm[i];
	return NULL;
}

static u8 fail(u32 *syn, u8 status, u32 syndrome)
{
	*syn = syndrome;
	return status;
}

#define MAX_PSN		0xffffffU
#define MAX_QPN		0xffffffU

/* One row per value check: opt bit, whether the value is bad, syndrome. */
static u32 mlx5x_hw_qp_bad_value(const struct mlx5x_hca_cap *cap,
				 u32 opt_mask, const struct mlx5x_qpc *in)
{
	const u32 access = MLX5X_QP_ACCESS_REMOTE_WRITE |
			   MLX5X_QP_ACCESS_REMOTE_READ |
			   MLX5X_QP_ACCESS_REMOTE_ATOMIC;
	const struct {
		u32 opt;
		bool bad;
		u32 syn;
	} rule[] = {
		{ O(PKEY_INDEX), in->pkey_index >= cap->pkey_table_size,
		  MLX5X_SYN_QP_PKEY_INDEX },
		{ O(PORT), in->port != MLX5X_HW_PORT, MLX5X_SYN_QP_PORT },
		{ O(ACCESS), in->access & ~access, MLX5X_SYN_QP_ACCESS },
		{ O(MTU), in->mtu < 1 || in->mtu > 5, MLX5X_SYN_QP_MTU },
		{ O(DEST_QPN), in->remote_qpn > MAX_QPN,
		  MLX5X_SYN_QP_DEST_QPN },
		{ O(RQ_PSN), in->next_rcv_psn > MAX_PSN, MLX5X_SYN_QP_RQ_PSN },
		{ O(SQ_PSN), in->next_send_psn > MAX_PSN,
		  MLX5X_SYN_QP_SQ_PSN },
		{ O(MIN_RNR_TIMER), in->min_rnr_nak > 31,
		  MLX5X_SYN_QP_MIN_RNR },
		{ O(TIMEOUT), in->ack_timeout > 31, MLX5X_SYN_QP_TIMEOUT },
		{ O(RETRY_CNT), in->retry_count > 7, MLX5X_SYN_QP_RETRY },
		{ O(RNR_RETRY), in->rnr_retry > 7, MLX5X_SYN_QP_RNR_RETRY },
		{ O(MAX_RD_ATOMIC), in->max_rd_atomic > cap->max_qp_rd_atom,
		  MLX5X_SYN_QP_MAX_RD_ATOMIC },
		{ O(MAX_DEST_RD_ATOMIC),
		  in->max_dest_rd_atomic > cap->max_qp_dest_rd_atom,
		  MLX5X_SYN_QP_MAX_DEST_RD_ATOMIC },
		{ O(AV), in->av.sgid_index >= cap->gid_table_size,
		  MLX5X_SYN_QP_SGID_INDEX },
		{ O(AV), in->av.grh > 1 || in->av.sl > 15 ||
		  in->av.flow_label > 0xfffff, MLX5X_SYN_QP_AV },
		{ O(SQD_EVENT), in->sqd_event > 1, MLX5X_SYN_QP_SQD_EVENT },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(rule); i++)
		if ((opt_mask & rule[i].opt) && rule[i].bad)
			return rule[i].syn;
	return MLX5X_SYN_NONE;
}

#define UC_STRIP	(O(MAX_DEST_RD_ATOMIC) | O(MIN_RNR_TIMER) | O(TIMEOUT) | \
			 O(RETRY_CNT) | O(RNR_RETRY) | O(MAX_RD_ATOMIC))
#define UD_STRIP	(UC_STRIP | O(AV) | O(MTU) | O(DEST_QPN) | O(RQ_PSN) | \
			 O(ACCESS))

void mlx5x_hw_qp_st_masks(const struct mlx5x_hw_qp_trans *t, u8 st,
			  u32 *required, u32 *allowed)
{
	*required = t->required;
	*allowed = t->allowed;
	switch (st) {
	case MLX5X_QP_ST_UC:
		*required &= ~UC_STRIP;
		*allowed &= ~UC_STRIP;
		break;
	case MLX5X_QP_ST_UD:
		*required &= ~UD_STRIP;
		*allowed &= ~UD_STRIP;
		if (t->opcode == MLX5X_CMD_RST2INIT_QP) {
			*required |= O(QKEY);
			*allowed |= O(QKEY) | O(MTU);
		} else if (t->to != S(ERR) && t->to != S(RST) &&
			   t->opcode != MLX5X_CMD_RTS2SQD_QP) {
			*allowed |= O(QKEY);
		}
		break;
	default:
		break;
	}
}

u8 mlx5x_hw_qp_modify_check(const struct mlx5x_hca_cap *cap, u16 opcode,
			    u8 cur_state, u32 opt_mask,
			    const struct mlx5x_qpc *in, u32 *syn)
{
	return mlx5x_hw_qp_modify_check_st(cap, MLX5X_QP_ST_RC, opcode,
					   cur_state, opt_mask, in, syn);
}

u8 mlx5x_hw_qp_modify_check_st(const struct mlx5x_hca_cap *cap, u8 st,
			       u16 opcode, u8 cur_state, u32 opt_mask,
			       const struct mlx5x_qpc *in, u32 *syn)
{
	const struct mlx5x_hw_qp_trans *t = mlx5x_hw_qp_trans(opcode);
	u32 bad, required, allowed;

	if (!t)
		return fail(syn, MLX5X_CMD_STAT_BAD_OP, MLX5X_SYN_BAD_OPCODE);
	if (t->from != ANY && t->from != cur_state)
		return fail(syn, MLX5X_CMD_STAT_BAD_RES_STATE,
			    MLX5X_SYN_QP_BAD_STATE + cur_state);
	mlx5x_hw_qp_st_masks(t, st, &required, &allowed);
	if (opt_mask & ~allowed)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_QP_OPT_NOT_ALLOWED);
	if ((opt_mask & required) != required)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_QP_OPT_MISSING);
	bad = mlx5x_hw_qp_bad_value(cap, opt_mask, in);
	if (bad)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, bad);
	return MLX5X_CMD_STAT_OK;
}

/* The part of struct mlx5x_qpc a modify command sets (2RST clears it). */
static void mlx5x_hw_qp_clear_path(struct mlx5x_qpc *q)
{
	q->pkey_index = 0;
	q->qkey = 0;
	q->remote_qpn = 0;
	q->next_rcv_psn = 0;
	q->next_send_psn = 0;
	q->port = 0;
	q->mtu = 0;
	q->access = 0;
	q->min_rnr_nak = 0;
	q->ack_timeout = 0;
	q->retry_count = 0;
	q->rnr_retry = 0;
	q->max_rd_atomic = 0;
	q->max_dest_rd_atomic = 0;
	q->sqd_event = 0;
	q->sq_draining = 0;
	memset(&q->av, 0, sizeof(q->av));
}

void mlx5x_hw_qp_modify_apply(struct mlx5x_qpc *q, u16 opcode,
			      u32 opt_mask, const struct mlx5x_qpc *in)
{
	const struct mlx5x_hw_qp_trans *t = mlx5x_hw_qp_trans(opcode);

	if (!t)
		return;
	if (opcode == MLX5X_CMD_2RST_QP)
		mlx5x_hw_qp_clear_path(q);
	if (opt_mask & O(PKEY_INDEX))
		q->pkey_index = in->pkey_index;
	if (opt_mask & O(PORT))
		q->port = in->port;
	if (opt_mask & O(ACCESS))
		q->access = in->access;
	if (opt_mask & O(QKEY))
		q->qkey = in->qkey;
	if (opt_mask & O(AV))
		q->av = in->av;
	if (opt_mask & O(MTU))
		q->mtu = in->mtu;
	if (opt_mask & O(DEST_QPN))
		q->remote_qpn = in->remote_qpn;
	if (opt_mask & O(RQ_PSN))
		q->next_rcv_psn = in->next_rcv_psn;
	if (opt_mask & O(MAX_DEST_RD_ATOMIC))
		q->max_dest_rd_atomic = in->max_dest_rd_atomic;
	if (opt_mask & O(MIN_RNR_TIMER))
		q->min_rnr_nak = in->min_rnr_nak;
	if (opt_mask & O(SQ_PSN))
		q->next_send_psn = in->next_send_psn;
	if (opt_mask & O(TIMEOUT))
		q->ack_timeout = in->ack_timeout;
	if (opt_mask & O(RETRY_CNT))
		q->retry_count = in->retry_count;
	if (opt_mask & O(RNR_RETRY))
		q->rnr_retry = in->rnr_retry;
	if (opt_mask & O(MAX_RD_ATOMIC))
		q->max_rd_atomic = in->max_rd_atomic;
	if (opcode == MLX5X_CMD_RTS2SQD_QP)
		q->sqd_event = !!(opt_mask & O(SQD_EVENT)) && in->sqd_event;
	/*
	 * The engine runs no WQE during a modify (hw_qp.c): the SQ is
	 * drained the moment SQD is entered.
	 */
	q->sq_draining = 0;
	q->state = t->to;
}

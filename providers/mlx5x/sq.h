/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * What the two ways of posting sends share (sq.c: ibv_post_send, wr.c: the
 * ibv_wr_* API): the opcode table, the WQE start and end bookkeeping, the
 * fullness test. All are called with the SQ lock held.
 */
#ifndef MLX5X_SQ_H
#define MLX5X_SQ_H

#include "mlx5x.h"
#include "wqe.h"

struct mlx5x_send_op {
	uint8_t opcode;			/* MLX5X_OPCODE_* */
	uint8_t wc_opcode;		/* enum ibv_wc_opcode to report */
	bool valid;
	bool inl;			/* may carry inline data */
	bool imm;			/* ctrl.imm carries imm_data */
	bool raddr;			/* remote address segment */
	bool atomic;			/* atomic segment, one 8-byte SGE */
	bool inv;			/* ctrl.imm carries an rkey to invalidate */
	bool bind;			/* a bind segment and no data */
	bool no_data;			/* no data segments at all */
};

/* The op of an ibv_wr_opcode, NULL if the SQ does not do it. */
const struct mlx5x_send_op *mlx5x_send_op(int ibv_opcode);
/* Whether a QP of qp's type may post op (UD: sends; UC: no READ/atomics). */
bool mlx5x_qp_op_ok(const struct mlx5x_qp *qp, const struct mlx5x_send_op *op);

/* The datagram segment of a UD WQE: the AH's address vector, QPN, Q_Key. */
static inline void mlx5x_set_datagram_seg(struct mlx5x_wqe_datagram_seg *seg,
					  const struct mlx5x_ah *ah,
					  uint32_t remote_qpn,
					  uint32_t remote_qkey)
{
	*seg = ah->av;
	seg->dqpn = remote_qpn & 0xffffff;
	seg->qkey = remote_qkey;
}

/* Control segment flags for ibv_send_flags (and the QP's sq_sig_all). */
uint8_t mlx5x_ctrl_flags(const struct mlx5x_sq *sq, unsigned int send_flags);

/*
 * Start the WQE at cur_post, as work request nreq of this batch: control
 * segment and per-slot bookkeeping. Returns its control segment.
 */
struct mlx5x_wqe_ctrl_seg *mlx5x_sq_begin_wqe(struct mlx5x_sq *sq,
					      const struct mlx5x_send_op *op,
					      uint8_t flags, uint32_t imm,
					      uint64_t wr_id, uint32_t nreq);
/* Seal it at ds 16-byte units and move cur_post past it. */
void mlx5x_sq_end_wqe(struct mlx5x_sq *sq, struct mlx5x_wqe_ctrl_seg *ctrl,
		      uint32_t qpn, uint32_t ds);

static inline struct mlx5x_ring mlx5x_sq_ring_of(const struct mlx5x_sq *sq)
{
	return (struct mlx5x_ring){
		.buf = sq->buf,
		.size = (size_t)sq->wqe_cnt * MLX5X_WQEBB_SIZE,
	};
}

/* Whether nreq more WRs (this batch's so far) leave no room for one more. */
static inline bool mlx5x_sq_full(const struct mlx5x_sq *sq, uint32_t nreq)
{
	/* Acquire: the device read a WQE before poll_cq moved tail past it. */
	uint32_t tail = __atomic_load_n(&sq->tail, __ATOMIC_ACQUIRE);

	return sq->head + nreq - tail >= sq->max_post;
}

#endif /* MLX5X_SQ_H */

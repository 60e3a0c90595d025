// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Executing one UD send WQE: the datagram segment names the destination
 * (dgid -> device on the fabric, dqpn -> a UD QP there) and the Q_Key; the
 * sending QP's GID table entry sgid_index is the source. The message lands
 * in the destination's next receive WQE after the GRH area (hw_grh.c,
 * hw_rq.c).
 *
 * As on a wire, the sender learns nothing of the responder: an unknown
 * GID or QPN, a QP that is not UD or not in RTR/RTS, a wrong Q_Key, no
 * receive WQE, all drop the message and the send completes with success.
 * Only local errors fail the WQE: its SGEs (hw_exec.c), an invalid source
 * GID index, and (hw_wqe.c) a message longer than the path MTU.
 *
 * Same context as hw_exec.c: the sender's sq_mutex held, inside
 * srcu_read_lock(&mlx5x_hw_srcu). A QP may send to itself: its rq_mutex
 * nests inside its own sq_mutex as for any other responder.
 */
#include "hw_priv.h"

#define MLX5X_HW_QPN_MASK	0xffffff

int mlx5x_hw_ud_send(struct mlx5x_hw_qp *qp, const struct mlx5x_hw_wqe *w,
		     u8 *status)
{
	const struct mlx5x_wqe_datagram_seg *d = &w->dgram;
	struct mlx5x_hw_grh_args ga = {
		.dgid = d->dgid,
		.tclass = d->tclass_flow >> MLX5X_AV_TCLASS_SHIFT,
		.hop_limit = d->hop_limit,
		.flow_label = d->tclass_flow & MLX5X_AV_FLOW_LABEL_MASK,
		.payload_len = (u32)w->length,
		.imm = w->opcode == MLX5X_OPCODE_SEND_IMM,
	};
	struct mlx5x_hw_rx rx = {
		.qkey = (d->qkey & MLX5X_WQE_QKEY_FROM_QP) ? qp->qpc.qkey :
							     d->qkey,
		.sl = d->sl,
	};
	u8 grh[MLX5X_UD_GRH_SIZE], sgid[16], rnr_timer;
	struct mlx5x_hw_qp *dqp;
	struct mlx5x_hw *dhw;

	*status = MLX5X_WC_SUCCESS;
	if (!mlx5x_hw_gid_get(qp->hw, d->sgid_index, sgid)) {
		*status = MLX5X_WC_LOC_QP_OP_ERR;
		return MLX5X_HW_EXEC_DONE;
	}
	dhw = mlx5x_hw_fabric_find(d->dgid);
	if (!dhw)
		return MLX5X_HW_EXEC_DONE;
	dqp = mlx5x_hw_qp_get(dhw, d->dqpn & MLX5X_HW_QPN_MASK);
	if (!dqp)
		return MLX5X_HW_EXEC_DONE;
	if (dqp->qpc.st == MLX5X_QP_ST_UD && !READ_ONCE(dqp->dead)) {
		ga.sgid = sgid;
		rx.l3_type = mlx5x_hw_grh_build(grh, &ga);
		rx.grh = grh;
		mlx5x_hw_rq_deliver(qp, dqp, w, &rx, status, &rnr_timer);
		/* Whatever the responder made of it, the datagram was sent. */
		*status = MLX5X_WC_SUCCESS;
	}
	mlx5x_hw_qp_put(dqp);
	return MLX5X_HW_EXEC_DONE;
}

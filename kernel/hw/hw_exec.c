// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Executing one send WQE on this host: resolve the requester's memory,
 * find the responder (the AV's dgid -> device, remote_qpn -> QP), check
 * the responder's rights, move the bytes, and answer with the status the
 * requester's CQE reports. The responder's side of SEND and WRITE_IMM (a
 * receive WQE consumed, a receive CQE) is in hw_rq.c.
 *
 * Runs with the requester's sq_mutex held (the QP's AV and remote_qpn
 * cannot change: modify commands take it too) and inside
 * srcu_read_lock(&mlx5x_hw_srcu) (the responder's device and every MKey's
 * pages stay). The message is moved synchronously: when this returns the
 * responder has seen it all, which is what RC ordering and FENCE ask of a
 * local model (an RDMA READ or atomic has completed before the next WQE
 * starts, so every WQE is fenced).
 *
 * A request nobody answers (no device with the dgid, no RC QP with the
 * remote QPN, or one not in RTR/RTS/SQD/SQER, which drops it as IB says)
 * has touched nothing: the responder paths report MLX5X_WC_RETRY_EXC_ERR
 * and mlx5x_hw_exec() turns it into MLX5X_HW_EXEC_NO_ACK. The send queue
 * then waits for the local ACK timeout and retransmits (hw_sq.c).
 *
 * UC has no ACKs: the peer QP must be UC too, and whatever the responder
 * reports (nobody there, no receive WQE, a bad rkey: dropped, or an error
 * it completes its own receive WQE with) the requester completes with
 * success; only its local errors fail the WQE. A bad rkey drops the
 * message without moving the UC responder to ERR (IB class E, as rxe).
 * UD WQEs go to hw_ud.c.
 */
#include <linux/mm.h>
#include "hw_priv.h"
#include "hw_trace.h"

void mlx5x_hw_sgl_put(struct mlx5x_hw_sgl *sgl)
{
	u32 i;

	for (i = 0; i < sgl->n; i++)
		if (sgl->mkey[i])
			mlx5x_hw_mkey_put(sgl->mkey[i]);
	sgl->n = 0;
}

/*
 * Resolve data segments @sge (up to @len bytes in all, in order) through
 * @hw's MKeys for a QP on @pdn needing @access into @sgl. Zero-length
 * segments are skipped unchecked. Returns MLX5X_HW_MKEY_*.
 */
int mlx5x_hw_sgl_resolve(struct mlx5x_hw *hw, u32 pdn, u32 access,
			 const struct mlx5x_wqe_data_seg *sge, u32 nsge,
			 u64 len, struct mlx5x_hw_sgl *sgl)
{
	u32 i;
	int err;

	sgl->n = 0;
	for (i = 0; i < nsge && len; i++) {
		u64 n = min_t(u64, sge[i].byte_count, len);

		if (!n)
			continue;
		sgl->mkey[sgl->n] = mlx5x_hw_mkey_resolve(hw, sge[i].lkey, pdn,
							  access, sge[i].addr,
							  n, &sgl->seg[sgl->n],
							  &err);
		if (!sgl->mkey[sgl->n]) {
			mlx5x_hw_sgl_put(sgl);
			return err;
		}
		sgl->n++;
		len -= n;
	}
	return MLX5X_HW_MKEY_OK;
}

/* The requester's memory of @w: SGEs (local read, or local write) or inline. */
static u8 mlx5x_hw_local_resolve(struct mlx5x_hw_qp *qp,
				 struct mlx5x_hw_wqe *w, u32 access)
{
	struct mlx5x_hw_sgl *sgl = &qp->lsgl;

	if (w->is_inline) {
		sgl->n = w->inline_len ? 1 : 0;
		sgl->mkey[0] = NULL;
		sgl->seg[0] = (struct mlx5x_hw_seg) {
			.kbuf = (u8 *)w->inline_data, .len = w->inline_len,
		};
		return MLX5X_WC_SUCCESS;
	}
	if (mlx5x_hw_sgl_resolve(qp->hw, qp->pd->pdn, access, w->sge, w->nsge,
				 w->length, sgl))
		return MLX5X_WC_LOC_PROT_ERR;
	return MLX5X_WC_SUCCESS;
}

/*
 * Move @qp to ERR because of an error the engine found (a CQE with an
 * error status was or will be written), post @event (0: none) for it,
 * and let its poller flush what is left. Any context that may sleep.
 */
void mlx5x_hw_qp_error(struct mlx5x_hw_qp *qp, u8 event, const char *why)
{
	struct mlx5x_eqe eqe = {};

	mlx5x_hw_qp_set_state(qp, MLX5X_QP_STATE_ERR, why);
	if (event) {
		eqe.type = event;
		eqe.qpn = qp->qpn;
		mlx5x_hw_eq_post_event(qp->hw, MLX5X_EQ_EVENTS_ASYNC, &eqe);
	}
	mlx5x_hw_poll_activate(qp);
}

/* Whether @dqp accepts requests; *access gets its rights. */
bool mlx5x_hw_responder_ready(struct mlx5x_hw_qp *dqp, u8 *access)
{
	u8 state;

	spin_lock_bh(&dqp->lock);
	state = dqp->qpc.state;
	*access = dqp->qpc.access;
	spin_unlock_bh(&dqp->lock);
	return state == MLX5X_QP_STATE_RTR || state == MLX5X_QP_STATE_RTS ||
	       state == MLX5X_QP_STATE_SQD || state == MLX5X_QP_STATE_SQER;
}

/*
 * The responder's memory [raddr, raddr + len) of @qp's WQE through rkey
 * (an MR or a window), needing @qp_acc on the QP and @mkey_acc on the
 * MKey; a refusal puts the responder in ERR with an access error event
 * (IB: NAK remote access error).
 */
u8 mlx5x_hw_remote_resolve(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			   u8 qp_acc, u32 mkey_acc, u64 len)
{
	const struct mlx5x_hw_wqe *w = &qp->wqe;
	struct mlx5x_hw_sgl *r = &qp->rsgl;
	u8 access;
	int err;

	r->n = 0;
	if (!mlx5x_hw_responder_ready(dqp, &access))
		return MLX5X_WC_RETRY_EXC_ERR;
	if (!len)
		return MLX5X_WC_SUCCESS;	/* nothing is accessed */
	r->mkey[0] = NULL;
	if (access & qp_acc)
		r->mkey[0] = mlx5x_hw_rkey_resolve(dqp, w->rkey, mkey_acc,
						   w->raddr, len, &r->seg[0],
						   &err);
	if (!r->mkey[0]) {
		if (dqp->qpc.st == MLX5X_QP_ST_RC)
			mlx5x_hw_qp_error(dqp, MLX5X_EQE_QP_ACCESS_ERR,
					  "remote access error");
		return MLX5X_WC_REM_ACCESS_ERR;
	}
	r->n = 1;
	return MLX5X_WC_SUCCESS;
}

/*
 * RDMA WRITE (local SGEs to the rkey range) or READ (the other way), after
 * the responder's checks. Also the data phase of WRITE_IMM (hw_rq.c).
 */
u8 mlx5x_hw_exec_rdma(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
		      const struct mlx5x_hw_wqe *w, bool read)
{
	struct mlx5x_hw_cursor l, r;
	u8 st;

	st = mlx5x_hw_remote_resolve(qp, dqp,
				     read ? MLX5X_QP_ACCESS_REMOTE_READ :
					    MLX5X_QP_ACCESS_REMOTE_WRITE,
				     read ? MLX5X_MKEY_REMOTE_READ :
					    MLX5X_MKEY_REMOTE_WRITE,
				     w->length);
	if (st)
		return st;
	mlx5x_hw_cursor_init(&l, qp->lsgl.seg, qp->lsgl.n);
	mlx5x_hw_cursor_init(&r, qp->rsgl.seg, qp->rsgl.n);
	if (read ? mlx5x_hw_copy(&l, &r, w->length) :
		   mlx5x_hw_copy(&r, &l, w->length))
		st = MLX5X_WC_LOC_PROT_ERR;
	mlx5x_hw_sgl_put(&qp->rsgl);
	return st;
}

static u8 mlx5x_hw_exec_atomic(struct mlx5x_hw_qp *qp,
			       struct mlx5x_hw_qp *dqp,
			       const struct mlx5x_hw_wqe *w)
{
	struct mlx5x_hw_seg orig_seg;
	struct mlx5x_hw_cursor c, d, s;
	u64 orig, pa = 0;
	u8 *kp = NULL;
	u8 st, access;

	if (w->raddr & 7) {
		if (!mlx5x_hw_responder_ready(dqp, &access))
			return MLX5X_WC_RETRY_EXC_ERR;	/* dropped */
		mlx5x_hw_qp_error(dqp, MLX5X_EQE_QP_INVAL_REQ_ERR,
				  "misaligned atomic");
		return MLX5X_WC_REM_INV_REQ_ERR;
	}
	st = mlx5x_hw_remote_resolve(qp, dqp, MLX5X_QP_ACCESS_REMOTE_ATOMIC,
				     MLX5X_MKEY_REMOTE_ATOMIC, sizeof(u64));
	if (st)
		return st;
	/* 8 aligned bytes never cross a page: one piece. */
	mlx5x_hw_cursor_init(&c, qp->rsgl.seg, qp->rsgl.n);
	if (mlx5x_hw_cursor_peek(&c, PAGE_SHIFT, sizeof(u64), &pa, &kp) !=
	    sizeof(u64) ||
	    mlx5x_hw_atomic(pa, w->opcode, w->swap_add, w->compare, &orig)) {
		st = MLX5X_WC_REM_OP_ERR;
		goto out;
	}
	orig_seg = (struct mlx5x_hw_seg) { .kbuf = (u8 *)&orig,
					   .len = sizeof(orig) };
	mlx5x_hw_cursor_init(&s, &orig_seg, 1);
	mlx5x_hw_cursor_init(&d, qp->lsgl.seg, qp->lsgl.n);
	if (mlx5x_hw_copy(&d, &s, sizeof(orig)))
		st = MLX5X_WC_LOC_PROT_ERR;
out:
	mlx5x_hw_sgl_put(&qp->rsgl);
	return st;
}

/* The QP at the other end of @qp's path, with a reference, or NULL. */
static struct mlx5x_hw_qp *mlx5x_hw_find_responder(struct mlx5x_hw_qp *qp)
{
	struct mlx5x_hw *dhw = mlx5x_hw_fabric_find(qp->qpc.av.dgid);
	struct mlx5x_hw_qp *dqp;

	if (!dhw)
		return NULL;
	dqp = mlx5x_hw_qp_get(dhw, qp->qpc.remote_qpn);
	if (dqp && (dqp->qpc.st != qp->qpc.st || READ_ONCE(dqp->dead))) {
		mlx5x_hw_qp_put(dqp);
		dqp = NULL;
	}
	return dqp;
}

int mlx5x_hw_exec(struct mlx5x_hw_qp *qp, struct mlx5x_hw_wqe *w,
		  u8 *status, u8 *rnr_timer)
{
	bool writes_local = w->opcode == MLX5X_OPCODE_RDMA_READ ||
			    w->opcode == MLX5X_OPCODE_ATOMIC_CS ||
			    w->opcode == MLX5X_OPCODE_ATOMIC_FA;
	struct mlx5x_hw_qp *dqp;
	int ret = MLX5X_HW_EXEC_DONE;
	u8 st;

	*status = MLX5X_WC_SUCCESS;
	qp->vendor_err = 0;
	switch (w->opcode) {
	case MLX5X_OPCODE_NOP:
		return ret;
	case MLX5X_OPCODE_BIND_MW:
		qp->vendor_err = mlx5x_hw_mw_bind(qp, &w->bind);
		if (qp->vendor_err)
			*status = MLX5X_WC_MW_BIND_ERR;
		return ret;
	case MLX5X_OPCODE_LOCAL_INV:
		qp->vendor_err = mlx5x_hw_mw_invalidate(qp, w->imm, false);
		if (qp->vendor_err)
			*status = MLX5X_WC_LOC_QP_OP_ERR;
		return ret;
	}
	st = mlx5x_hw_local_resolve(qp, w,
				    writes_local ? MLX5X_MKEY_LOCAL_WRITE : 0);
	if (st) {
		*status = st;
		return ret;
	}
	if (qp->qpc.st == MLX5X_QP_ST_UD) {
		ret = mlx5x_hw_ud_send(qp, w, status);
		goto out;
	}
	dqp = mlx5x_hw_find_responder(qp);
	if (!dqp) {
		ret = MLX5X_HW_EXEC_NO_ACK;
		goto unreliable;
	}
	switch (w->opcode) {
	case MLX5X_OPCODE_RDMA_WRITE:
		*status = mlx5x_hw_exec_rdma(qp, dqp, w, false);
		break;
	case MLX5X_OPCODE_RDMA_READ:
		*status = mlx5x_hw_exec_rdma(qp, dqp, w, true);
		break;
	case MLX5X_OPCODE_ATOMIC_CS:
	case MLX5X_OPCODE_ATOMIC_FA:
		*status = mlx5x_hw_exec_atomic(qp, dqp, w);
		break;
	default:	/* SEND(_IMM, _INVAL), RDMA_WRITE_IMM: a receive WQE */
		ret = mlx5x_hw_rq_deliver(qp, dqp, w, NULL, status, rnr_timer);
		break;
	}
	mlx5x_hw_qp_put(dqp);
	if (*status == MLX5X_WC_RETRY_EXC_ERR) {
		*status = MLX5X_WC_SUCCESS;
		ret = MLX5X_HW_EXEC_NO_ACK;
	}
unreliable:
	if (qp->qpc.st == MLX5X_QP_ST_UC) {
		/* No ACK comes back: the requester only knows its own errors. */
		if (*status != MLX5X_WC_LOC_PROT_ERR)
			*status = MLX5X_WC_SUCCESS;
		ret = MLX5X_HW_EXEC_DONE;
	}
out:
	mlx5x_hw_sgl_put(&qp->lsgl);
	return ret;
}

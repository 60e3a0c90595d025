// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Queue pairs: CREATE/QUERY/DESTROY_QP and the modify commands. The state
 * machine itself is pure (hw_qp_fsm.c); this file binds it to the QP table
 * and the objects a QP uses (PD, send and receive CQ, UAR).
 *
 * The WQE engine (hw_sq.c) shares the QP: a modify command takes the
 * QP's sq_mutex and rq_mutex, so it never changes a QP under a running
 * WQE, then qp->lock for the qpc; the engine itself moves a QP to ERR
 * under qp->lock only (mlx5x_hw_qp_set_state()). Lock order:
 *   sq_mutex > rq_mutex (of any QP) > srq->mutex > qp->lock > cq->lock
 *   > eq->lock.
 * DESTROY_QP marks the QP dead under both mutexes: the engine never
 * touches its rings afterwards.
 *
 * The GSI QP (qpc.gsi, UD) is QPN 1, outside the range others are
 * numbered from: one per device, and free again once destroyed. It is a
 * UD QP in every other way; datagrams to QPN 1 find it like any other
 * (hw_ud.c), and what it sends carries its QPN as the source.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "hw_priv.h"
#include "hw_trace.h"

u8 mlx5x_hw_qp_state(struct mlx5x_hw_qp *qp)
{
	u8 state;

	spin_lock_bh(&qp->lock);
	state = qp->qpc.state;
	spin_unlock_bh(&qp->lock);
	return state;
}

/* The engine's own transitions (to ERR); RST and ERR stay as they are. */
void mlx5x_hw_qp_set_state(struct mlx5x_hw_qp *qp, u8 state,
			   const char *why)
{
	u8 old;

	spin_lock_bh(&qp->lock);
	old = qp->qpc.state;
	if (old != MLX5X_QP_STATE_RST && old != MLX5X_QP_STATE_ERR)
		qp->qpc.state = state;
	spin_unlock_bh(&qp->lock);
	if (old != MLX5X_QP_STATE_RST && old != state)
		trace_qp_state(qp->hw->name, qp->qpn, old, state, why);
}

static void mlx5x_hw_qp_release(struct kref *ref)
{
	struct mlx5x_hw_qp *qp = container_of(ref, struct mlx5x_hw_qp, ref);

	mlx5x_hw_pd_put(qp->pd);
	if (qp->scq)
		mlx5x_hw_cq_put(qp->scq);
	if (qp->rcq)
		mlx5x_hw_cq_put(qp->rcq);
	if (qp->srq)
		mlx5x_hw_srq_put(qp->srq);
	mlx5x_hw_uar_put(qp->uar);
	kvfree_rcu(qp, rcu);
}

void mlx5x_hw_qp_put(struct mlx5x_hw_qp *qp)
{
	kref_put(&qp->ref, mlx5x_hw_qp_release);
}

struct mlx5x_hw_qp *mlx5x_hw_qp_get(struct mlx5x_hw *hw, u32 qpn)
{
	struct mlx5x_hw_qp *qp;

	rcu_read_lock();
	qp = xa_load(&hw->qps, qpn);
	if (qp && !kref_get_unless_zero(&qp->ref))
		qp = NULL;
	rcu_read_unlock();
	return qp;
}

static u8 mlx5x_hw_qp_check_refs(struct mlx5x_hw *hw,
				 const struct mlx5x_qpc *qpc,
				 struct mlx5x_hw_cmd *c)
{
	if (!xa_load(&hw->pds, qpc->pdn))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_PD_NOT_FOUND);
	if ((!qpc->no_sq && !xa_load(&hw->cqs, qpc->cqn_snd)) ||
	    (!qpc->no_rq && !xa_load(&hw->cqs, qpc->cqn_rcv)))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_CQ_NOT_FOUND);
	if (!xa_load(&hw->uars, qpc->uar_index))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_UAR_NOT_FOUND);
	if (qpc->use_srq && !xa_load(&hw->srqs, qpc->srqn))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_SRQ_NOT_FOUND);
	return MLX5X_CMD_STAT_OK;
}

/* The create-time part of a qpc; the QP starts in RST, modify part 0. */
static void mlx5x_hw_qp_init_qpc(struct mlx5x_qpc *q,
				 const struct mlx5x_qpc *in)
{
	q->st = in->st;
	q->state = MLX5X_QP_STATE_RST;
	q->log_sq_size = in->no_sq ? 0 : in->log_sq_size;
	q->log_rq_size = in->no_rq ? 0 : in->log_rq_size;
	q->log_rq_stride = in->no_rq ? 0 : in->log_rq_stride;
	q->log_page_size = in->log_page_size;
	q->no_sq = in->no_sq;
	q->no_rq = in->no_rq;
	q->pdn = in->pdn;
	q->cqn_snd = in->no_sq ? 0 : in->cqn_snd;
	q->cqn_rcv = in->no_rq ? 0 : in->cqn_rcv;
	q->uar_index = in->uar_index;
	q->npages = in->npages;
	q->page_offset = in->page_offset;
	q->dbr_addr = in->dbr_addr;
	q->use_srq = in->use_srq;
	q->srqn = in->use_srq ? in->srqn : 0;
	q->gsi = in->gsi;
}

/*
 * A number for @qp: QPN 1 for the GSI QP (one per device), else one from
 * MLX5X_HW_QPN_BASE up. Returns a status.
 */
static u8 mlx5x_hw_qp_alloc_qpn(struct mlx5x_hw *hw, struct mlx5x_hw_qp *qp,
				struct mlx5x_hw_cmd *c)
{
	int err;

	if (qp->qpc.gsi) {
		qp->qpn = MLX5X_HW_QPN_GSI;
		err = xa_insert(&hw->qps, qp->qpn, qp, GFP_KERNEL);
		if (err == -EBUSY)
			return mlx5x_hw_fail(c, MLX5X_CMD_STAT_RESOURCE_BUSY,
					     MLX5X_SYN_QP_GSI_BUSY);
	} else {
		err = mlx5x_hw_id_alloc(hw, &hw->qps, qp, &qp->qpn,
					MLX5X_HW_QPN_BASE,
					MLX5X_HW_QPN_BASE +
					(1U << hw->cap.log_max_qp) - 1,
					&hw->qp_next);
	}
	if (err == -ENOMEM)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	if (err)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_EXCEED_LIM,
				     MLX5X_SYN_NO_IDS);
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_cmd_create_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_create_qp_in *in = c->in;
	const struct mlx5x_qpc *qpc = &in->qpc;
	struct mlx5x_alloc_out *out = c->out;
	struct mlx5x_hw_qp *qp;
	u8 status;

	status = mlx5x_hw_check_qpc(&hw->cap, qpc, c->npas, in->pas, &c->syn);
	if (!status)
		status = mlx5x_hw_qp_check_refs(hw, qpc, c);
	if (!status && !mlx5x_hw_dma_ok(qpc->dbr_addr, 2 * sizeof(u32)))
		status = mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				       MLX5X_SYN_DBR_NOT_RAM);
	if (!status)
		status = mlx5x_hw_dma_check_pas(in->pas, c->npas,
						qpc->log_page_size, &c->syn);
	if (status)
		return status;

	qp = kvzalloc(struct_size(qp, pas, c->npas), GFP_KERNEL);
	if (!qp)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	kref_init(&qp->ref);
	spin_lock_init(&qp->lock);
	mlx5x_hw_eng_qp_init(hw, qp);
	mlx5x_hw_qp_init_qpc(&qp->qpc, qpc);
	memcpy(qp->pas, in->pas, c->npas * sizeof(u64));
	qp->pd = mlx5x_hw_pd_use(hw, qpc->pdn);
	qp->scq = qpc->no_sq ? NULL : mlx5x_hw_cq_use(hw, qpc->cqn_snd);
	qp->rcq = qpc->no_rq ? NULL : mlx5x_hw_cq_use(hw, qpc->cqn_rcv);
	qp->srq = qpc->use_srq ? mlx5x_hw_srq_use(hw, qpc->srqn) : NULL;
	qp->uar = mlx5x_hw_uar_use(hw, qpc->uar_index);

	status = mlx5x_hw_qp_alloc_qpn(hw, qp, c);
	if (status) {
		mlx5x_hw_pd_unuse(qp->pd);
		if (qp->scq)
			mlx5x_hw_cq_unuse(qp->scq);
		if (qp->rcq)
			mlx5x_hw_cq_unuse(qp->rcq);
		if (qp->srq)
			mlx5x_hw_srq_unuse(qp->srq);
		mlx5x_hw_uar_unuse(qp->uar);
		mlx5x_hw_qp_put(qp);
		return status;
	}
	out->id = qp->qpn;
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_cmd_modify_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_modify_qp_in *in = c->in;
	u16 opcode = in->hdr.opcode;
	struct mlx5x_hw_qp *qp = xa_load(&hw->qps, in->qpn);
	struct mlx5x_eqe eqe = {};
	bool drained_event;
	u8 status, old;

	if (!qp)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_QP_NOT_FOUND);

	/* No WQE of this QP runs, and no message lands in it, meanwhile. */
	mutex_lock(&qp->sq_mutex);
	mutex_lock(&qp->rq_mutex);
	spin_lock_bh(&qp->lock);
	old = qp->qpc.state;
	status = mlx5x_hw_qp_modify_check_st(&hw->cap, qp->qpc.st, opcode,
					     qp->qpc.state, in->opt_mask,
					     &in->qpc, &c->syn);
	if (!status)
		mlx5x_hw_qp_modify_apply(&qp->qpc, opcode, in->opt_mask,
					 &in->qpc);
	drained_event = !status && opcode == MLX5X_CMD_RTS2SQD_QP &&
			qp->qpc.sqd_event;
	spin_unlock_bh(&qp->lock);
	if (!status) {
		trace_qp_state(hw->name, qp->qpn, old, qp->qpc.state,
			       mlx5x_hw_qp_trans(opcode)->name);
		mlx5x_hw_eng_qp_modified(qp, old, qp->qpc.state);
	}
	mutex_unlock(&qp->rq_mutex);
	mutex_unlock(&qp->sq_mutex);

	if (drained_event) {
		/*
		 * Drained at once: the engine starts no WQE in SQD and none
		 * was running (sq_mutex), RDMA READs and atomics included.
		 */
		eqe.type = MLX5X_EQE_QP_SQ_DRAINED;
		eqe.qpn = qp->qpn;
		mlx5x_hw_eq_post_event(hw, MLX5X_EQ_EVENTS_ASYNC, &eqe);
	}
	return status;
}

u8 mlx5x_hw_cmd_query_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_qp *qp = xa_load(&hw->qps, mlx5x_hw_cmd_id(c));
	struct mlx5x_query_qp_out *out = c->out;

	if (!qp)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_QP_NOT_FOUND);
	spin_lock_bh(&qp->lock);
	out->qpc = qp->qpc;
	spin_unlock_bh(&qp->lock);
	return MLX5X_CMD_STAT_OK;
}

static void mlx5x_hw_qp_remove(struct mlx5x_hw *hw, struct mlx5x_hw_qp *qp)
{
	xa_erase(&hw->qps, qp->qpn);
	mlx5x_hw_eng_qp_remove(qp);
	mlx5x_hw_pd_unuse(qp->pd);
	if (qp->scq)
		mlx5x_hw_cq_unuse(qp->scq);
	if (qp->rcq)
		mlx5x_hw_cq_unuse(qp->rcq);
	if (qp->srq)
		mlx5x_hw_srq_unuse(qp->srq);
	mlx5x_hw_uar_unuse(qp->uar);
	mlx5x_hw_qp_put(qp);
}

u8 mlx5x_hw_cmd_destroy_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_qp *qp = xa_load(&hw->qps, mlx5x_hw_cmd_id(c));

	if (!qp)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_QP_NOT_FOUND);
	mlx5x_hw_qp_remove(hw, qp);
	return MLX5X_CMD_STAT_OK;
}

unsigned int mlx5x_hw_qp_destroy_all(struct mlx5x_hw *hw)
{
	struct mlx5x_hw_qp *qp;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&hw->qps, index, qp) {
		mlx5x_hw_qp_remove(hw, qp);
		n++;
	}
	return n;
}

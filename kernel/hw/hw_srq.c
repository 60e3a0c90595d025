// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Shared receive queues: CREATE/MODIFY/QUERY/DESTROY_SRQ and the one
 * thing the engine asks of an SRQ, mlx5x_hw_srq_take().
 *
 * An SRQ is a ring of WQE slots in process memory with its own doorbell
 * record (WQEs posted, 16 bits) and its own PD, which every lkey of its
 * WQEs must be on. Any number of QPs created with use_srq take their
 * receive WQEs from it, in the order the process posted them: the slots
 * form a list linked by next_wqe_index (<rdma/mlx5x_wqe.h>), and the
 * device walks it (cur) while counting what it took (ci).
 *
 *   process                        device (a message for QP q, q->rq_mutex)
 *   fill slot at head,             mlx5x_hw_rq_deliver()
 *   head = slot.next                 mlx5x_hw_srq_take()  srq->mutex
 *   store dbrec = posted ────────►     posted - ci == 0: RNR NAK
 *                                      copy slot cur, cur = copy.next
 *                                      ci++; below lwm: SRQ_LIMIT EQE
 *                                    scatter/WRITE_IMM with the copy,
 *   poll CQE(qpn, wqe_counter ◄────    CQE on q's receive CQ
 *   = slot): wr_id, slot to tail
 *
 * Locking: srq->mutex is taken under the destination QP's rq_mutex (lock
 * order: rq_mutex > srq->mutex > eq->lock) and held only for the take, so
 * QPs run by different threads (poller, kicks) land their data in
 * parallel; each WQE is handed to exactly one of them. A counter further
 * ahead than the ring puts the SRQ in error (MLX5X_EQE_SRQ_CATAS_ERR): it
 * hands out nothing more. A bad WQE only hurts the QP that took it.
 *
 * Lifetime: QPs hold a user count and a reference; DESTROY_SRQ with users
 * is refused (the driver destroys the QPs first), so the engine, which
 * reaches an SRQ only through a live QP, never sees one destroyed.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "hw_priv.h"

static void mlx5x_hw_srq_release(struct kref *ref)
{
	struct mlx5x_hw_srq *srq = container_of(ref, struct mlx5x_hw_srq, ref);

	mlx5x_hw_pd_put(srq->pd);
	kvfree_rcu(srq, rcu);
}

void mlx5x_hw_srq_put(struct mlx5x_hw_srq *srq)
{
	kref_put(&srq->ref, mlx5x_hw_srq_release);
}

struct mlx5x_hw_srq *mlx5x_hw_srq_use(struct mlx5x_hw *hw, u32 srqn)
{
	struct mlx5x_hw_srq *srq = xa_load(&hw->srqs, srqn);

	if (srq) {
		srq->users++;
		kref_get(&srq->ref);
	}
	return srq;
}

void mlx5x_hw_srq_unuse(struct mlx5x_hw_srq *srq)
{
	srq->users--;
}

static void mlx5x_hw_srq_event(struct mlx5x_hw_srq *srq, u8 type)
{
	struct mlx5x_eqe eqe = {
		.type = type,
		.srqn = srq->srqn,
	};

	mlx5x_hw_eq_post_event(srq->hw, MLX5X_EQ_EVENTS_ASYNC, &eqe);
}

/*
 * Take the next posted WQE of @srq for a message: copy its slot into @buf
 * and describe it in @r. -EAGAIN: none posted (the requester gets an RNR
 * NAK); -EIO: the SRQ is in error.
 */
int mlx5x_hw_srq_take(struct mlx5x_hw_srq *srq, u8 *buf,
		      struct mlx5x_hw_recv *r)
{
	const struct mlx5x_srqc *q = &srq->srqc;
	u32 size = 1U << q->log_srq_size, stride = 1U << q->log_wqe_stride;
	struct mlx5x_wqe_srq_next_seg next;
	u8 event = 0;
	int ret = 0;
	u32 *dbr, n;
	u16 pi;

	mutex_lock(&srq->mutex);
	if (srq->dead || q->state != MLX5X_SRQ_STATE_OK) {
		ret = -EIO;
		goto out;
	}
	dbr = mlx5x_hw_dma_ptr(q->dbr_addr, MLX5X_DBREC_SIZE);
	if (!dbr)
		goto broken;
	/* Acquire: the WQEs are read after the counter. */
	pi = smp_load_acquire(&dbr[MLX5X_SRQ_DBREC_CNT]) & 0xffff;
	n = (u16)(pi - srq->ci);
	if (n > size)
		goto broken;
	if (!n) {
		ret = -EAGAIN;
		goto out;
	}
	r->srq = true;
	r->pdn = srq->pd->pdn;
	r->wqe_counter = srq->cur;
	r->segs = buf + sizeof(next);
	r->len = stride - sizeof(next);
	r->fetched = !mlx5x_hw_buf_read(srq->pas, q->log_page_size,
					(u64)q->page_offset +
					(u64)srq->cur * stride, buf, stride);
	/* An unreadable slot: its link is lost too, the list with it. */
	if (!r->fetched)
		goto broken;
	memcpy(&next, buf, sizeof(next));
	srq->cur = next.next_wqe_index & (size - 1);
	srq->ci++;
	if (q->lwm && n - 1 < q->lwm) {
		srq->srqc.lwm = 0;
		event = MLX5X_EQE_SRQ_LIMIT;
	}
	goto out;

broken:
	srq->srqc.state = MLX5X_SRQ_STATE_ERR;
	event = MLX5X_EQE_SRQ_CATAS_ERR;
	ret = -EIO;
out:
	mutex_unlock(&srq->mutex);
	if (event)
		mlx5x_hw_srq_event(srq, event);
	return ret;
}

u8 mlx5x_hw_cmd_create_srq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_create_srq_in *in = c->in;
	const struct mlx5x_srqc *srqc = &in->srqc;
	struct mlx5x_alloc_out *out = c->out;
	struct mlx5x_hw_srq *srq;
	u8 status;
	int err;

	status = mlx5x_hw_check_srqc(&hw->cap, srqc, c->npas, in->pas,
				     &c->syn);
	if (!status && !xa_load(&hw->pds, srqc->pdn))
		status = mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				       MLX5X_SYN_PD_NOT_FOUND);
	if (!status && !mlx5x_hw_dma_ok(srqc->dbr_addr, MLX5X_DBREC_SIZE))
		status = mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				       MLX5X_SYN_DBR_NOT_RAM);
	if (!status)
		status = mlx5x_hw_dma_check_pas(in->pas, c->npas,
						srqc->log_page_size, &c->syn);
	if (status)
		return status;

	srq = kvzalloc(struct_size(srq, pas, c->npas), GFP_KERNEL);
	if (!srq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	kref_init(&srq->ref);
	mutex_init(&srq->mutex);
	srq->hw = hw;
	srq->srqc = *srqc;
	memcpy(srq->pas, in->pas, c->npas * sizeof(u64));
	srq->pd = mlx5x_hw_pd_use(hw, srqc->pdn);
	err = mlx5x_hw_id_alloc(hw, &hw->srqs, srq, &srq->srqn, 1,
				(1U << hw->cap.log_max_srq) - 1, &hw->srq_next);
	if (err) {
		mlx5x_hw_pd_unuse(srq->pd);
		mlx5x_hw_srq_put(srq);
		if (err == -ENOMEM)
			return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
					     MLX5X_SYN_NO_MEM);
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_EXCEED_LIM,
				     MLX5X_SYN_NO_IDS);
	}
	out->id = srq->srqn;
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_cmd_modify_srq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_modify_srq_in *in = c->in;
	struct mlx5x_hw_srq *srq = xa_load(&hw->srqs, in->srqn);

	if (!srq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_SRQ_NOT_FOUND);
	if (in->lwm >= (1U << srq->srqc.log_srq_size))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				     MLX5X_SYN_SRQ_LWM);
	mutex_lock(&srq->mutex);
	srq->srqc.lwm = in->lwm;
	mutex_unlock(&srq->mutex);
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_cmd_query_srq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_srq *srq = xa_load(&hw->srqs, mlx5x_hw_cmd_id(c));
	struct mlx5x_query_srq_out *out = c->out;

	if (!srq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_SRQ_NOT_FOUND);
	mutex_lock(&srq->mutex);
	out->srqc = srq->srqc;
	mutex_unlock(&srq->mutex);
	return MLX5X_CMD_STAT_OK;
}

static void mlx5x_hw_srq_remove(struct mlx5x_hw *hw, struct mlx5x_hw_srq *srq)
{
	xa_erase(&hw->srqs, srq->srqn);
	/* After this the ring and dbrec are never read: unpin at will. */
	mutex_lock(&srq->mutex);
	srq->dead = true;
	mutex_unlock(&srq->mutex);
	mlx5x_hw_pd_unuse(srq->pd);
	mlx5x_hw_srq_put(srq);
}

u8 mlx5x_hw_cmd_destroy_srq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_srq *srq = xa_load(&hw->srqs, mlx5x_hw_cmd_id(c));

	if (!srq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_SRQ_NOT_FOUND);
	if (srq->users)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_RESOURCE_BUSY,
				     MLX5X_SYN_SRQ_BUSY);
	mlx5x_hw_srq_remove(hw, srq);
	return MLX5X_CMD_STAT_OK;
}

/* TEARDOWN_HCA and device removal, after every QP is gone. */
unsigned int mlx5x_hw_srq_destroy_all(struct mlx5x_hw *hw)
{
	struct mlx5x_hw_srq *srq;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&hw->srqs, index, srq) {
		mlx5x_hw_srq_remove(hw, srq);
		n++;
	}
	return n;
}

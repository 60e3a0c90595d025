// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Completion queues: the context the engine writes CQEs through
 * (hw_cqe.c). A CQ reports completions to an EQ taking COMP events, has its
 * doorbell record (consumer index, arm) in host memory and its arm
 * doorbell in a UAR page.
 *
 * RESIZE_CQ swaps the ring (size, page fields, PAS) under cq->lock, the
 * lock every CQE write holds: a CQE is either written into the old ring
 * before the swap or into the new one after it, never torn between them.
 * The producer index goes on counting, so the CQE at index pc lands in the
 * new ring's slot pc & (new size - 1) with the new size's owner parity;
 * the command answers the pc of the swap (switch_pc), from which software
 * knows which of its unconsumed CQEs to move over. The swap is refused when
 * those would not fit in the new ring.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "hw_priv.h"

static void mlx5x_hw_cq_release(struct kref *ref)
{
	struct mlx5x_hw_cq *cq = container_of(ref, struct mlx5x_hw_cq, ref);

	mlx5x_hw_eq_put(cq->eq);
	mlx5x_hw_uar_put(cq->uar);
	kvfree(cq->pas);
	kvfree_rcu(cq, rcu);
}

void mlx5x_hw_cq_put(struct mlx5x_hw_cq *cq)
{
	kref_put(&cq->ref, mlx5x_hw_cq_release);
}

struct mlx5x_hw_cq *mlx5x_hw_cq_use(struct mlx5x_hw *hw, u32 cqn)
{
	struct mlx5x_hw_cq *cq = xa_load(&hw->cqs, cqn);

	if (cq) {
		cq->users++;
		kref_get(&cq->ref);
	}
	return cq;
}

void mlx5x_hw_cq_unuse(struct mlx5x_hw_cq *cq)
{
	cq->users--;
}

static u8 mlx5x_hw_cq_check_refs(struct mlx5x_hw *hw,
				 const struct mlx5x_cqc *cqc,
				 struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_eq *eq = xa_load(&hw->eqs, cqc->eqn);

	if (!eq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_EQ_NOT_FOUND);
	if (!(eq->eqc.event_mask & MLX5X_EQ_EVENTS_COMP))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				     MLX5X_SYN_CQ_EQ_NOT_COMP);
	if (!xa_load(&hw->uars, cqc->uar_index))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_UAR_NOT_FOUND);
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_cmd_create_cq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_create_cq_in *in = c->in;
	struct mlx5x_alloc_out *out = c->out;
	struct mlx5x_hw_cq *cq;
	u8 status;
	int err;

	status = mlx5x_hw_cq_check_refs(hw, &in->cqc, c);
	if (!status)
		status = mlx5x_hw_check_cqc(&hw->cap, &in->cqc, c->npas,
					    in->pas, &c->syn);
	if (!status && !mlx5x_hw_dma_ok(in->cqc.dbr_addr, sizeof(u64)))
		status = mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				       MLX5X_SYN_DBR_NOT_RAM);
	if (!status)
		status = mlx5x_hw_dma_check_pas(in->pas, c->npas,
						in->cqc.log_page_size, &c->syn);
	if (status)
		return status;

	cq = kvzalloc(sizeof(*cq), GFP_KERNEL);
	if (!cq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	cq->pas = kvmalloc_array(c->npas, sizeof(u64), GFP_KERNEL);
	if (!cq->pas) {
		kvfree(cq);
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	}
	kref_init(&cq->ref);
	spin_lock_init(&cq->lock);
	cq->last_sn = MLX5X_HW_ARM_SN_NONE;
	cq->cqc = in->cqc;
	memcpy(cq->pas, in->pas, c->npas * sizeof(u64));
	cq->eq = mlx5x_hw_eq_use(hw, in->cqc.eqn);
	cq->uar = mlx5x_hw_uar_use(hw, in->cqc.uar_index);
	err = mlx5x_hw_id_alloc(hw, &hw->cqs, cq, &cq->cqn, 1,
				(1U << hw->cap.log_max_cq) - 1, &hw->cq_next);
	if (err) {
		mlx5x_hw_eq_unuse(cq->eq);
		mlx5x_hw_uar_unuse(cq->uar);
		mlx5x_hw_cq_put(cq);
		if (err == -ENOMEM)
			return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
					     MLX5X_SYN_NO_MEM);
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_EXCEED_LIM,
				     MLX5X_SYN_NO_IDS);
	}
	out->id = cq->cqn;
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_cmd_query_cq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_cq *cq = xa_load(&hw->cqs, mlx5x_hw_cmd_id(c));
	struct mlx5x_query_cq_out *out = c->out;

	if (!cq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_CQ_NOT_FOUND);
	out->cqc = cq->cqc;
	return MLX5X_CMD_STAT_OK;
}

/* cq->lock held: swap in the new ring if the unconsumed CQEs fit in it. */
static u8 mlx5x_hw_cq_swap_ring(struct mlx5x_hw_cq *cq,
				const struct mlx5x_cqc *cqc, u64 **pas,
				struct mlx5x_hw_cmd *c)
{
	struct mlx5x_resize_cq_out *out = c->out;
	u64 *old = cq->pas;
	u32 *dbr, ci;

	if (cq->err || cq->dead)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RES_STATE,
				     MLX5X_SYN_CQ_IN_ERROR);
	dbr = mlx5x_hw_dma_ptr(cq->cqc.dbr_addr, 2 * sizeof(u32));
	if (!dbr)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				     MLX5X_SYN_DBR_NOT_RAM);
	ci = READ_ONCE(dbr[MLX5X_CQ_DBREC_CI]) & MLX5X_CQ_CI_MASK;
	if (!mlx5x_hw_cq_resize_fits(cq->pc, ci, cqc->log_cq_size))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				     MLX5X_SYN_CQ_RESIZE_TOO_SMALL);
	cq->cqc = *cqc;
	cq->pas = *pas;
	*pas = old;
	out->switch_pc = cq->pc;
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_cmd_resize_cq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_resize_cq_in *in = c->in;
	struct mlx5x_hw_cq *cq = xa_load(&hw->cqs, in->cqn);
	struct mlx5x_cqc cqc;
	u64 *pas;
	u8 status;

	if (!cq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_CQ_NOT_FOUND);
	/* Only commands change cqc, and they run one at a time. */
	cqc = cq->cqc;
	cqc.log_cq_size = in->log_cq_size;
	cqc.npages = in->npages;
	cqc.page_offset = in->page_offset;
	cqc.log_page_size = in->log_page_size;
	status = mlx5x_hw_check_cqc(&hw->cap, &cqc, c->npas, in->pas, &c->syn);
	if (!status)
		status = mlx5x_hw_dma_check_pas(in->pas, c->npas,
						cqc.log_page_size, &c->syn);
	if (status)
		return status;

	pas = kvmalloc_array(c->npas, sizeof(u64), GFP_KERNEL);
	if (!pas)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	memcpy(pas, in->pas, c->npas * sizeof(u64));

	spin_lock(&cq->lock);
	status = mlx5x_hw_cq_swap_ring(cq, &cqc, &pas, c);
	spin_unlock(&cq->lock);
	/* The old PAS on success, the unused new one on failure. */
	kvfree(pas);
	return status;
}

static void mlx5x_hw_cq_remove(struct mlx5x_hw *hw, struct mlx5x_hw_cq *cq)
{
	xa_erase(&hw->cqs, cq->cqn);
	/* After this no CQE is written: the driver may unpin the ring. */
	spin_lock(&cq->lock);
	cq->dead = true;
	spin_unlock(&cq->lock);
	mlx5x_hw_eq_unuse(cq->eq);
	mlx5x_hw_uar_unuse(cq->uar);
	mlx5x_hw_cq_put(cq);
}

u8 mlx5x_hw_cmd_destroy_cq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_cq *cq = xa_load(&hw->cqs, mlx5x_hw_cmd_id(c));

	if (!cq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_CQ_NOT_FOUND);
	if (cq->users)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_RESOURCE_BUSY,
				     MLX5X_SYN_CQ_BUSY);
	mlx5x_hw_cq_remove(hw, cq);
	return MLX5X_CMD_STAT_OK;
}

unsigned int mlx5x_hw_cq_destroy_all(struct mlx5x_hw *hw)
{
	struct mlx5x_hw_cq *cq;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&hw->cqs, index, cq) {
		mlx5x_hw_cq_remove(hw, cq);
		n++;
	}
	return n;
}

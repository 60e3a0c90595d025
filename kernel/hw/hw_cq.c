// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Completion queues: the context the engine writes CQEs through
 * (hw_cqe.c). A CQ reports completions to an EQ taking COMP events, has its
 * doorbell record (consumer index, arm) in host memory and its arm
 * doorbell in a UAR page.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "hw_priv.h"

static void mlx5x_hw_cq_release(struct kref *ref)
{
	struct mlx5x_hw_cq *cq = container_of(ref, struct mlx5x_hw_cq, ref);

	mlx5x_hw_eq_put(cq->eq);
	mlx5x_hw_uar_put(cq->uar);
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

	cq = kvzalloc(struct_size(cq, pas, c->npas), GFP_KERNEL);
	if (!cq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
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

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Event queues: CREATE/DESTROY_EQ, the EQ_DB register, and the producer
 * side (posting an EQE, raising the EQ's vector).
 *
 * Producer rule (mlx5x_if.h has the owner-bit convention): an EQE is written
 * at pc & (nent - 1), owner byte last with release ordering; an EQE the
 * driver has not consumed (ci from EQ_DB) is never overwritten: on a full
 * ring the event is dropped, counted, and logged once. An armed EQ that
 * holds unconsumed EQEs raises its vector once and disarms; arming an EQ
 * that already holds unconsumed EQEs raises at once.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "hw_priv.h"

static void mlx5x_hw_eq_release(struct kref *ref)
{
	struct mlx5x_hw_eq *eq = container_of(ref, struct mlx5x_hw_eq, ref);

	kvfree_rcu(eq, rcu);
}

void mlx5x_hw_eq_put(struct mlx5x_hw_eq *eq)
{
	kref_put(&eq->ref, mlx5x_hw_eq_release);
}

/* Firmware context: a CQ starts reporting to EQ @eqn. */
struct mlx5x_hw_eq *mlx5x_hw_eq_use(struct mlx5x_hw *hw, u32 eqn)
{
	struct mlx5x_hw_eq *eq = xa_load(&hw->eqs, eqn);

	if (eq) {
		eq->users++;
		kref_get(&eq->ref);
	}
	return eq;
}

void mlx5x_hw_eq_unuse(struct mlx5x_hw_eq *eq)
{
	eq->users--;
}

u8 mlx5x_hw_cmd_create_eq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_create_eq_in *in = c->in;
	struct mlx5x_alloc_out *out = c->out;
	struct mlx5x_hw_eq *eq;
	u8 status;
	int err;

	status = mlx5x_hw_check_eqc(&hw->cap, &in->eqc, c->npas, in->pas,
				    hw->params.num_vectors, &c->syn);
	if (!status)
		status = mlx5x_hw_dma_check_pas(in->pas, c->npas,
						in->eqc.log_page_size, &c->syn);
	if (status)
		return status;

	eq = kvzalloc(struct_size(eq, pas, c->npas), GFP_KERNEL);
	if (!eq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	kref_init(&eq->ref);
	spin_lock_init(&eq->lock);
	eq->hw = hw;
	eq->eqc = in->eqc;
	memcpy(eq->pas, in->pas, c->npas * sizeof(u64));

	err = mlx5x_hw_id_alloc(hw, &hw->eqs, eq, &eq->eqn, 1,
				1U << hw->cap.log_max_eq, &hw->eq_next);
	if (err) {
		kvfree(eq);
		if (err == -ENOMEM)
			return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
					     MLX5X_SYN_NO_MEM);
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_EXCEED_LIM,
				     MLX5X_SYN_NO_IDS);
	}
	out->id = eq->eqn;
	return MLX5X_CMD_STAT_OK;
}

static void mlx5x_hw_eq_remove(struct mlx5x_hw *hw, struct mlx5x_hw_eq *eq)
{
	unsigned long flags;

	xa_erase(&hw->eqs, eq->eqn);
	/* After this no EQE is written: the driver may free the ring. */
	spin_lock_irqsave(&eq->lock, flags);
	eq->dead = true;
	spin_unlock_irqrestore(&eq->lock, flags);
	if (eq->lost)
		pr_info("%s: EQ %u lost %llu events\n", hw->name, eq->eqn,
			eq->lost);
	mlx5x_hw_eq_put(eq);
}

u8 mlx5x_hw_cmd_destroy_eq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_eq *eq = xa_load(&hw->eqs, mlx5x_hw_cmd_id(c));

	if (!eq)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_EQ_NOT_FOUND);
	if (eq->users)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_RESOURCE_BUSY,
				     MLX5X_SYN_EQ_BUSY);
	mlx5x_hw_eq_remove(hw, eq);
	return MLX5X_CMD_STAT_OK;
}

unsigned int mlx5x_hw_eq_destroy_all(struct mlx5x_hw *hw)
{
	struct mlx5x_hw_eq *eq;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&hw->eqs, index, eq) {
		mlx5x_hw_eq_remove(hw, eq);
		n++;
	}
	return n;
}

/* With eq->lock held: an armed EQ with unconsumed EQEs interrupts once. */
static void mlx5x_hw_eq_maybe_raise(struct mlx5x_hw_eq *eq)
{
	if (eq->armed && mlx5x_hw_eq_used(eq->pc, eq->ci)) {
		eq->armed = false;
		mlx5x_hw_raise_irq(eq->hw, eq->eqc.intr);
	}
}

/* Any context: the driver consumed EQEs up to ci and maybe re-arms. */
void mlx5x_hw_eq_doorbell(struct mlx5x_hw *hw, u32 value)
{
	u32 eqn = value >> MLX5X_EQ_DB_EQN_SHIFT;
	u32 ci = value & MLX5X_EQ_DB_CI_MASK;
	struct mlx5x_hw_eq *eq;
	unsigned long flags;

	rcu_read_lock();
	eq = xa_load(&hw->eqs, eqn);
	if (!eq) {
		pr_err_ratelimited("%s: EQ_DB for unknown EQ %u\n",
				   hw->name, eqn);
		goto out;
	}
	spin_lock_irqsave(&eq->lock, flags);
	if (eq->dead)
		goto unlock;
	if (!mlx5x_hw_eq_ci_ok(eq->pc, eq->ci, ci)) {
		pr_err_ratelimited("%s: EQ %u: ci %#x outside [%#x, %#x]\n",
				   hw->name, eqn, ci, eq->ci, eq->pc);
		goto unlock;
	}
	eq->ci = ci;
	if (value & MLX5X_EQ_DB_ARM) {
		eq->armed = true;
		mlx5x_hw_eq_maybe_raise(eq);
	}
unlock:
	spin_unlock_irqrestore(&eq->lock, flags);
out:
	rcu_read_unlock();
}

/*
 * Any context, with a reference on @eq or under RCU: write one EQE (type,
 * union and data from @eqe; owner is set here) and interrupt if armed.
 */
void mlx5x_hw_eq_post(struct mlx5x_hw_eq *eq, struct mlx5x_eqe *eqe)
{
	u32 nent = 1U << eq->eqc.log_eq_size;
	unsigned long flags;
	u8 *slot;
	u64 pa;

	spin_lock_irqsave(&eq->lock, flags);
	if (eq->dead)
		goto unlock;
	if (mlx5x_hw_eq_used(eq->pc, eq->ci) >= nent) {
		if (!eq->lost++)
			pr_err("%s: EQ %u overflow: events are being lost (internal error)\n",
			       eq->hw->name, eq->eqn);
		goto unlock;
	}
	pa = mlx5x_hw_buf_pa(eq->pas, eq->eqc.log_page_size, 0,
			     (u64)(eq->pc & (nent - 1)) * MLX5X_EQE_SIZE);
	slot = mlx5x_hw_dma_ptr(pa, MLX5X_EQE_SIZE);
	if (!slot) {
		if (!eq->lost++)
			pr_err("%s: EQ %u: ring page %#llx unreachable\n",
			       eq->hw->name, eq->eqn, pa);
		goto unlock;
	}
	eqe->owner = mlx5x_hw_eqe_owner(eq->pc, eq->eqc.log_eq_size);
	memcpy(slot, eqe, MLX5X_EQE_SIZE - 1);
	/* Release: the EQE body is visible before its owner byte. */
	smp_store_release(&slot[MLX5X_EQE_SIZE - 1], eqe->owner);
	eq->pc = (eq->pc + 1) & MLX5X_EQ_DB_CI_MASK;
	mlx5x_hw_eq_maybe_raise(eq);
unlock:
	spin_unlock_irqrestore(&eq->lock, flags);
}

/* Post to the lowest-numbered EQ taking @events, if there is one. */
void mlx5x_hw_eq_post_event(struct mlx5x_hw *hw, u32 events,
			    struct mlx5x_eqe *eqe)
{
	struct mlx5x_hw_eq *eq;
	unsigned long index;

	rcu_read_lock();
	xa_for_each(&hw->eqs, index, eq) {
		if (eq->eqc.event_mask & events) {
			mlx5x_hw_eq_post(eq, eqe);
			break;
		}
	}
	rcu_read_unlock();
}

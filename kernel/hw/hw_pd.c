// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Protection domains: a number the MKeys and QPs carry. The engine (next
 * issue) will refuse an access whose MKey and QP are on different PDs.
 */
#include <linux/slab.h>
#include "hw_priv.h"

static void mlx5x_hw_pd_release(struct kref *ref)
{
	struct mlx5x_hw_pd *pd = container_of(ref, struct mlx5x_hw_pd, ref);

	kfree_rcu(pd, rcu);
}

void mlx5x_hw_pd_put(struct mlx5x_hw_pd *pd)
{
	kref_put(&pd->ref, mlx5x_hw_pd_release);
}

struct mlx5x_hw_pd *mlx5x_hw_pd_use(struct mlx5x_hw *hw, u32 pdn)
{
	struct mlx5x_hw_pd *pd = xa_load(&hw->pds, pdn);

	if (pd) {
		pd->users++;
		kref_get(&pd->ref);
	}
	return pd;
}

void mlx5x_hw_pd_unuse(struct mlx5x_hw_pd *pd)
{
	pd->users--;
}

u8 mlx5x_hw_cmd_alloc_pd(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_alloc_out *out = c->out;
	struct mlx5x_hw_pd *pd;
	int err;

	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	kref_init(&pd->ref);
	err = mlx5x_hw_id_alloc(hw, &hw->pds, pd, &pd->pdn, 1,
				(1U << hw->cap.log_max_pd) - 1, &hw->pd_next);
	if (err) {
		kfree(pd);
		if (err == -ENOMEM)
			return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
					     MLX5X_SYN_NO_MEM);
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_EXCEED_LIM,
				     MLX5X_SYN_NO_IDS);
	}
	out->id = pd->pdn;
	return MLX5X_CMD_STAT_OK;
}

static void mlx5x_hw_pd_remove(struct mlx5x_hw *hw, struct mlx5x_hw_pd *pd)
{
	xa_erase(&hw->pds, pd->pdn);
	mlx5x_hw_pd_put(pd);
}

u8 mlx5x_hw_cmd_dealloc_pd(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_pd *pd = xa_load(&hw->pds, mlx5x_hw_cmd_id(c));

	if (!pd)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_PD_NOT_FOUND);
	if (pd->users)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_RESOURCE_BUSY,
				     MLX5X_SYN_PD_BUSY);
	mlx5x_hw_pd_remove(hw, pd);
	return MLX5X_CMD_STAT_OK;
}

unsigned int mlx5x_hw_pd_destroy_all(struct mlx5x_hw *hw)
{
	struct mlx5x_hw_pd *pd;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&hw->pds, index, pd) {
		mlx5x_hw_pd_remove(hw, pd);
		n++;
	}
	return n;
}

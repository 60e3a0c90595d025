// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * UARs: one zeroed host page per UAR stands for its BAR page. The driver
 * maps it into a process (mlx5x_hw_uar_phys()) and deallocates it only
 * once that mapping is gone. The engine's poller writes need_wakeup there
 * (hw_poll.c); a new UAR starts with it set, so that a process kicks
 * until the poller's next sleep/wake cycle sets the flag for real.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "hw_priv.h"

static void mlx5x_hw_uar_release(struct kref *ref)
{
	struct mlx5x_hw_uar *uar = container_of(ref, struct mlx5x_hw_uar, ref);

	__free_page(uar->page);
	kfree_rcu(uar, rcu);
}

void mlx5x_hw_uar_put(struct mlx5x_hw_uar *uar)
{
	kref_put(&uar->ref, mlx5x_hw_uar_release);
}

struct mlx5x_hw_uar *mlx5x_hw_uar_use(struct mlx5x_hw *hw, u32 index)
{
	struct mlx5x_hw_uar *uar = xa_load(&hw->uars, index);

	if (uar) {
		uar->users++;
		kref_get(&uar->ref);
	}
	return uar;
}

void mlx5x_hw_uar_unuse(struct mlx5x_hw_uar *uar)
{
	uar->users--;
}

u8 mlx5x_hw_cmd_alloc_uar(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_alloc_out *out = c->out;
	struct mlx5x_hw_uar *uar;
	int err;

	uar = kzalloc(sizeof(*uar), GFP_KERNEL);
	if (!uar)
		goto nomem;
	uar->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!uar->page) {
		kfree(uar);
		goto nomem;
	}
	kref_init(&uar->ref);
	uar->hw = hw;
	((struct mlx5x_uar *)page_address(uar->page))->need_wakeup =
		MLX5X_UAR_NEED_WAKEUP;
	err = mlx5x_hw_id_alloc(hw, &hw->uars, uar, &uar->index, 1,
				(1U << hw->cap.log_max_uar) - 1, &hw->uar_next);
	if (err) {
		__free_page(uar->page);
		kfree(uar);
		if (err == -ENOMEM)
			goto nomem;
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_EXCEED_LIM,
				     MLX5X_SYN_NO_IDS);
	}
	out->id = uar->index;
	return MLX5X_CMD_STAT_OK;

nomem:
	return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES, MLX5X_SYN_NO_MEM);
}

static void mlx5x_hw_uar_remove(struct mlx5x_hw *hw, struct mlx5x_hw_uar *uar)
{
	xa_erase(&hw->uars, uar->index);
	mlx5x_hw_uar_put(uar);
}

u8 mlx5x_hw_cmd_dealloc_uar(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_uar *uar = xa_load(&hw->uars, mlx5x_hw_cmd_id(c));

	if (!uar)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_UAR_NOT_FOUND);
	if (uar->users)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_RESOURCE_BUSY,
				     MLX5X_SYN_UAR_BUSY);
	mlx5x_hw_uar_remove(hw, uar);
	return MLX5X_CMD_STAT_OK;
}

unsigned int mlx5x_hw_uar_destroy_all(struct mlx5x_hw *hw)
{
	struct mlx5x_hw_uar *uar;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&hw->uars, index, uar) {
		mlx5x_hw_uar_remove(hw, uar);
		n++;
	}
	return n;
}

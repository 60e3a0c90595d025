// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The GID table (SET_ROCE_ADDRESS) and the fabric: every live mlx5x device
 * on this host, found by one of its valid GIDs. A QP's address vector
 * names the destination by dgid; the engine finds the device that has that
 * GID and the QP by number on it (hw_exec.c). Between hosts this would be
 * the RoCEv2 wire; on one host it is this list.
 *
 * The list and every pointer taken from it are covered by mlx5x_hw_srcu:
 * a device leaves the list, then waits for the engine's readers, before it
 * frees anything (mlx5x_hw_destroy()).
 */
#include <linux/slab.h>
#include "hw_priv.h"

DEFINE_SRCU(mlx5x_hw_srcu);

static LIST_HEAD(mlx5x_hw_fabric);
static DEFINE_MUTEX(mlx5x_hw_fabric_lock);

u8 mlx5x_hw_cmd_set_roce_address(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_set_roce_address_in *in = c->in;
	struct mlx5x_hw_gid *e;

	if (in->index >= hw->cap.gid_table_size)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				     MLX5X_SYN_GID_INDEX);
	if (in->valid > 1)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_PARAM,
				     MLX5X_SYN_GID_VALID);
	e = &hw->gids[in->index];
	spin_lock(&hw->gid_lock);
	e->valid = in->valid;
	if (in->valid) {
		memcpy(e->gid, in->gid, sizeof(e->gid));
		memcpy(e->mac, in->mac, sizeof(e->mac));
	} else {
		memset(e, 0, sizeof(*e));
	}
	spin_unlock(&hw->gid_lock);
	return MLX5X_CMD_STAT_OK;
}

int mlx5x_hw_fabric_add(struct mlx5x_hw *hw)
{
	hw->gids = kcalloc(hw->cap.gid_table_size, sizeof(*hw->gids),
			   GFP_KERNEL);
	if (!hw->gids)
		return -ENOMEM;
	spin_lock_init(&hw->gid_lock);
	mutex_lock(&mlx5x_hw_fabric_lock);
	list_add_tail_rcu(&hw->fabric, &mlx5x_hw_fabric);
	mutex_unlock(&mlx5x_hw_fabric_lock);
	return 0;
}

/* The caller waits for mlx5x_hw_srcu before freeing @hw. */
void mlx5x_hw_fabric_del(struct mlx5x_hw *hw)
{
	if (!hw->gids)
		return;
	mutex_lock(&mlx5x_hw_fabric_lock);
	list_del_rcu(&hw->fabric);
	mutex_unlock(&mlx5x_hw_fabric_lock);
}

/* Free the table once the device is off the fabric and readers are gone. */
void mlx5x_hw_fabric_free(struct mlx5x_hw *hw)
{
	kfree(hw->gids);
	hw->gids = NULL;
}

static bool mlx5x_hw_has_gid(struct mlx5x_hw *hw, const u8 *gid)
{
	bool found = false;
	u32 i;

	spin_lock(&hw->gid_lock);
	for (i = 0; i < hw->cap.gid_table_size && !found; i++)
		found = hw->gids[i].valid &&
			!memcmp(hw->gids[i].gid, gid, sizeof(hw->gids[i].gid));
	spin_unlock(&hw->gid_lock);
	return found;
}

/*
 * Under srcu_read_lock(&mlx5x_hw_srcu): the device that has @gid valid,
 * valid until srcu_read_unlock(); NULL if none.
 */
struct mlx5x_hw *mlx5x_hw_fabric_find(const u8 *gid)
{
	struct mlx5x_hw *hw;

	list_for_each_entry_srcu(hw, &mlx5x_hw_fabric, fabric,
				 srcu_read_lock_held(&mlx5x_hw_srcu)) {
		if (!READ_ONCE(hw->stopping) && mlx5x_hw_has_gid(hw, gid))
			return hw;
	}
	return NULL;
}

/* Entry @index of @hw's GID table into @gid; false if it is not valid. */
bool mlx5x_hw_gid_get(struct mlx5x_hw *hw, u32 index, u8 *gid)
{
	bool valid = false;

	if (index >= hw->cap.gid_table_size)
		return false;
	spin_lock(&hw->gid_lock);
	if (hw->gids[index].valid) {
		memcpy(gid, hw->gids[index].gid, sizeof(hw->gids[index].gid));
		valid = true;
	}
	spin_unlock(&hw->gid_lock);
	return valid;
}

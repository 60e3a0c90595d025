// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Memory keys. An MKey is (index << 8 | key_variant): the index selects the
 * context, the variant lets a reused index be told apart. The context keeps
 * the MKC and the PAS as the driver gave them; the engine resolves an
 * lkey/rkey with mlx5x_hw_mkey_get() and checks PD, access and
 * [start_addr, start_addr + len) against the MKC (hw_mem.c, hw_range.c).
 * The engine uses an MKey's pages only inside mlx5x_hw_srcu: DESTROY_MKEY
 * waits for it, so the driver may unpin the pages once it has completed.
 * Memory windows are MKeys too, with no pages (hw_mw.c).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "hw_priv.h"

#define MLX5X_HW_MKEY_INDEX(key)	((key) >> 8)

static void mlx5x_hw_mkey_release(struct kref *ref)
{
	struct mlx5x_hw_mkey *mkey =
		container_of(ref, struct mlx5x_hw_mkey, ref);

	mlx5x_hw_mw_release(mkey);
	mlx5x_hw_pd_put(mkey->pd);
	kvfree_rcu(mkey, rcu);
}

void mlx5x_hw_mkey_put(struct mlx5x_hw_mkey *mkey)
{
	kref_put(&mkey->ref, mlx5x_hw_mkey_release);
}

/*
 * The engine's lookup (any context): the MKey named by the full @key
 * (an lkey or rkey, variant included), with a reference, or NULL.
 */
struct mlx5x_hw_mkey *mlx5x_hw_mkey_get(struct mlx5x_hw *hw, u32 key)
{
	struct mlx5x_hw_mkey *mkey;

	rcu_read_lock();
	mkey = xa_load(&hw->mkeys, MLX5X_HW_MKEY_INDEX(key));
	/* Acquire: pairs with the release that publishes the key. */
	if (mkey && (smp_load_acquire(&mkey->key) != key ||
		     !kref_get_unless_zero(&mkey->ref)))
		mkey = NULL;
	rcu_read_unlock();
	return mkey;
}

/*
 * The engine's lookup of the MKey at @index whatever its variant (BIND_MW
 * names its window so: a type 2 window's key is the application's to
 * track), with a reference, or NULL.
 */
struct mlx5x_hw_mkey *mlx5x_hw_mkey_get_index(struct mlx5x_hw *hw, u32 index)
{
	struct mlx5x_hw_mkey *mkey;

	rcu_read_lock();
	mkey = xa_load(&hw->mkeys, index);
	/* Acquire: a published key means a fully set up MKey. */
	if (mkey && (smp_load_acquire(&mkey->key) == ~0U ||
		     !kref_get_unless_zero(&mkey->ref)))
		mkey = NULL;
	rcu_read_unlock();
	return mkey;
}

/*
 * Whether @mkey (held) is still in @hw's table: not destroyed. Inside
 * mlx5x_hw_srcu a true answer keeps its pages until the reader leaves
 * (DESTROY_MKEY erases, then waits for the readers).
 */
bool mlx5x_hw_mkey_live(struct mlx5x_hw *hw, struct mlx5x_hw_mkey *mkey)
{
	bool live;

	rcu_read_lock();
	live = xa_load(&hw->mkeys, MLX5X_HW_MKEY_INDEX(mkey->key)) == mkey;
	rcu_read_unlock();
	return live;
}

/* Firmware context: QUERY/DESTROY_MKEY name the MKey by its index. */
static struct mlx5x_hw_mkey *mlx5x_hw_mkey_find(struct mlx5x_hw *hw,
						u32 index)
{
	struct mlx5x_hw_mkey *mkey = xa_load(&hw->mkeys, index);

	return mkey && mkey->key != ~0U ? mkey : NULL;
}

u8 mlx5x_hw_cmd_create_mkey(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	const struct mlx5x_create_mkey_in *in = c->in;
	struct mlx5x_create_mkey_out *out = c->out;
	struct mlx5x_hw_mkey *mkey;
	u32 index;
	u8 status;
	int err;

	if (!xa_load(&hw->pds, in->mkc.pdn))
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_PD_NOT_FOUND);
	status = mlx5x_hw_check_mkc(&hw->cap, &in->mkc, c->npas, in->pas,
				    &c->syn);
	if (!status)
		status = mlx5x_hw_dma_check_pas(in->pas, c->npas,
						in->mkc.log_page_size, &c->syn);
	if (status)
		return status;

	mkey = kvzalloc(struct_size(mkey, pas, c->npas), GFP_KERNEL);
	if (!mkey)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
				     MLX5X_SYN_NO_MEM);
	kref_init(&mkey->ref);
	spin_lock_init(&mkey->bind_lock);
	mkey->mkc = in->mkc;
	memcpy(mkey->pas, in->pas, c->npas * sizeof(u64));
	mkey->pd = mlx5x_hw_pd_use(hw, in->mkc.pdn);
	/* No lookup matches until the key is known (set last, released). */
	mkey->key = ~0U;
	err = mlx5x_hw_id_alloc(hw, &hw->mkeys, mkey, &index, 1,
				(1U << hw->cap.log_max_mkey) - 1,
				&hw->mkey_next);
	if (err) {
		mlx5x_hw_pd_unuse(mkey->pd);
		mlx5x_hw_pd_put(mkey->pd);
		kvfree(mkey);
		if (err == -ENOMEM)
			return mlx5x_hw_fail(c, MLX5X_CMD_STAT_NO_RESOURCES,
					     MLX5X_SYN_NO_MEM);
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_EXCEED_LIM,
				     MLX5X_SYN_NO_IDS);
	}
	/* Release: lookups match only a fully set up MKey. */
	smp_store_release(&mkey->key, index << 8 | in->mkc.key_variant);
	out->mkey = mkey->key;
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_cmd_query_mkey(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_mkey *mkey = mlx5x_hw_mkey_find(hw, mlx5x_hw_cmd_id(c));
	struct mlx5x_query_mkey_out *out = c->out;

	if (!mkey)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_MKEY_NOT_FOUND);
	out->mkc = mkey->mkc;
	return MLX5X_CMD_STAT_OK;
}

static void mlx5x_hw_mkey_remove(struct mlx5x_hw *hw,
				 struct mlx5x_hw_mkey *mkey)
{
	xa_erase(&hw->mkeys, MLX5X_HW_MKEY_INDEX(mkey->key));
	mlx5x_hw_pd_unuse(mkey->pd);
	mlx5x_hw_mkey_put(mkey);
}

u8 mlx5x_hw_cmd_destroy_mkey(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	struct mlx5x_hw_mkey *mkey = mlx5x_hw_mkey_find(hw, mlx5x_hw_cmd_id(c));

	if (!mkey)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_RESOURCE,
				     MLX5X_SYN_MKEY_NOT_FOUND);
	mlx5x_hw_mkey_remove(hw, mkey);
	/* No WQE is still copying through it (hw_mem.c). */
	synchronize_srcu_expedited(&mlx5x_hw_srcu);
	return MLX5X_CMD_STAT_OK;
}

unsigned int mlx5x_hw_mkey_destroy_all(struct mlx5x_hw *hw)
{
	struct mlx5x_hw_mkey *mkey;
	unsigned long index;
	unsigned int n = 0;

	xa_for_each(&hw->mkeys, index, mkey) {
		mlx5x_hw_mkey_remove(hw, mkey);
		n++;
	}
	if (n)
		synchronize_srcu(&mlx5x_hw_srcu);
	return n;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Memory windows in the engine. A window is an MKey (hw_mkey.c, CREATE_MKEY
 * with mw_type 1 or 2) with no pages of its own: a BIND_MW WQE points it
 * at a range of an MR (struct mlx5x_hw_mw_binding) and gives it a new key,
 * LOCAL_INV and SEND_INVAL free a type 2 window. The rules are in
 * hw_mw_rules.c; this file applies them to the live objects.
 *
 * Lifetime and races:
 *   - the binding and the key change under the window's bind_lock; a
 *     remote access copies the binding under it, so an access sees a whole
 *     binding, old or new. An access that resolved before an invalidation
 *     or an unbind may finish (as one in flight on a wire would); every
 *     later one fails.
 *   - the MR is named by key and looked up at each access, with a
 *     reference, inside mlx5x_hw_srcu like any MKey: DESTROY_MKEY of the MR
 *     removes it from the table and waits for the SRCU readers, so the
 *     driver never unpins pages a window access still copies to.
 *   - DESTROY_MKEY of a window (bound or not) removes it from the table;
 *     its binding (the type 2 QP reference) goes with its last reference
 *     (mlx5x_hw_mw_release()).
 * Callers hold srcu_read_lock(&mlx5x_hw_srcu) and the QP's sq_mutex
 * (bind, LOCAL_INV) or the responder's rq_mutex (SEND_INVAL).
 */
#include "hw_priv.h"

/* The window @key names, exactly, with a reference; NULL if none. */
static struct mlx5x_hw_mkey *mlx5x_hw_mw_get(struct mlx5x_hw *hw, u32 key)
{
	struct mlx5x_hw_mkey *mw = mlx5x_hw_mkey_get(hw, key);

	if (mw && mw->mkc.mw_type == MLX5X_MKEY_MR) {
		mlx5x_hw_mkey_put(mw);
		return NULL;
	}
	return mw;
}

int mlx5x_hw_mw_bind(struct mlx5x_hw_qp *qp,
		     const struct mlx5x_wqe_bind_seg *b)
{
	struct mlx5x_hw_mkey *mw, *mr = NULL;
	struct mlx5x_hw_qp *old_qp = NULL;
	int err;

	/* By index, as mlx5 does: the variant is the one the bind sets. */
	mw = mlx5x_hw_mkey_get_index(qp->hw, b->mw_key >> 8);
	if (!mw)
		return MLX5X_MW_BAD_KEY;
	if (b->length)
		mr = mlx5x_hw_mkey_get(qp->hw, b->mr_key);

	spin_lock_bh(&mw->bind_lock);
	err = mlx5x_hw_mw_bind_check(&mw->mkc, !mw->mw.bound, qp->pd->pdn,
				     mr ? &mr->mkc : NULL, b);
	if (err)
		goto unlock;
	old_qp = mw->mw.qp;
	mw->mw.qp = NULL;
	mw->mw.bound = b->length != 0;
	mw->mw.win = (struct mlx5x_mkc) {
		.pdn = mw->mkc.pdn,
		.access = b->access,
		.start_addr = b->addr,
		.len = b->length,
	};
	mw->mw.mr_key = b->mr_key;
	if (mw->mkc.mw_type == MLX5X_MKEY_MW_TYPE2) {
		kref_get(&qp->ref);
		mw->mw.qp = qp;
	}
	/* Release: pairs with the acquire of mlx5x_hw_mkey_get(). */
	smp_store_release(&mw->key, (mw->key & ~0xffU) | (b->new_key & 0xff));
unlock:
	spin_unlock_bh(&mw->bind_lock);
	if (old_qp)
		mlx5x_hw_qp_put(old_qp);
	if (mr)
		mlx5x_hw_mkey_put(mr);
	mlx5x_hw_mkey_put(mw);
	return err;
}

/*
 * LOCAL_INV posted on @qp (@remote false), or SEND_INVAL arriving at @qp
 * (@remote): free the type 2 window @key.
 */
int mlx5x_hw_mw_invalidate(struct mlx5x_hw_qp *qp, u32 key, bool remote)
{
	struct mlx5x_hw_mkey *mkey = mlx5x_hw_mkey_get(qp->hw, key);
	struct mlx5x_hw_qp *old_qp = NULL;
	int err;

	if (!mkey)
		return MLX5X_MW_BAD_KEY;
	spin_lock_bh(&mkey->bind_lock);
	if (mkey->key != key) {
		err = MLX5X_MW_BAD_KEY;
		goto unlock;
	}
	err = mlx5x_hw_mw_inval_check(&mkey->mkc, qp->pd->pdn, remote,
				      mkey->mw.bound && mkey->mw.qp == qp);
	if (err)
		goto unlock;
	old_qp = mkey->mw.qp;
	mkey->mw.qp = NULL;
	mkey->mw.bound = false;
unlock:
	spin_unlock_bh(&mkey->bind_lock);
	if (old_qp)
		mlx5x_hw_qp_put(old_qp);
	mlx5x_hw_mkey_put(mkey);
	return err;
}

/*
 * Remote access through the window @mw by a request arriving at @dqp:
 * the MR it lies in, with a reference, and *seg; or NULL and *err.
 */
static struct mlx5x_hw_mkey *mlx5x_hw_mw_resolve(struct mlx5x_hw_mkey *mw,
						 u32 key,
						 struct mlx5x_hw_qp *dqp,
						 u32 access, u64 addr,
						 u64 len,
						 struct mlx5x_hw_seg *seg,
						 int *err)
{
	struct mlx5x_hw_mw_binding b;
	struct mlx5x_hw_mkey *mr;
	bool here, same_key;

	spin_lock_bh(&mw->bind_lock);
	b = mw->mw;
	here = mw->mw.qp == dqp;
	same_key = mw->key == key;	/* not rebound since the lookup */
	spin_unlock_bh(&mw->bind_lock);
	b.qp = NULL;	/* a copy holds no reference */

	*err = MLX5X_HW_MKEY_BAD_ACCESS;
	if (!same_key || !b.bound ||
	    (mw->mkc.mw_type == MLX5X_MKEY_MW_TYPE2 && !here))
		return NULL;
	*err = mlx5x_hw_mkey_check(&b.win, dqp->pd->pdn, access, addr, len);
	if (*err)
		return NULL;
	/* The MR, if still there; the window lies inside it. */
	mr = mlx5x_hw_mkey_resolve(dqp->hw, b.mr_key, b.win.pdn, 0, addr, len,
				   seg, err);
	if (!mr)
		*err = MLX5X_HW_MKEY_BAD_ACCESS;
	return mr;
}

struct mlx5x_hw_mkey *mlx5x_hw_rkey_resolve(struct mlx5x_hw_qp *dqp, u32 key,
					    u32 access, u64 addr, u64 len,
					    struct mlx5x_hw_seg *seg,
					    int *err)
{
	struct mlx5x_hw_mkey *mw, *mr;

	mw = mlx5x_hw_mw_get(dqp->hw, key);
	if (!mw)
		return mlx5x_hw_mkey_resolve(dqp->hw, key, dqp->pd->pdn,
					     access, addr, len, seg, err);
	mr = mlx5x_hw_mw_resolve(mw, key, dqp, access, addr, len, seg, err);
	mlx5x_hw_mkey_put(mw);
	return mr;
}

/* The window's last reference is gone: drop what its binding holds. */
void mlx5x_hw_mw_release(struct mlx5x_hw_mkey *mkey)
{
	if (mkey->mw.qp)
		mlx5x_hw_qp_put(mkey->mw.qp);
	mkey->mw.qp = NULL;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Memory windows in the engine. A window is an MKey (hw_mkey.c, CREATE_MKEY
 * with mw_type 1 or 2) with no pages of its own: a BIND_MW WQE points it
 * at a range of an MR (struct mlx5x_hw_mw_binding) and gives it a new key,
 * LOCAL_INV and SEND_INVAL free a type 2 window. The rules are in
 * hw_mw_rules.c; this file applies them to the live objects. A PA MKey
 * is neither a window nor an MR here: no bind, no invalidation, and no
 * remote access names it (mlx5x_hw_mkey_resolve_remote()).
 *
 * Lifetime and races:
 *   - the binding and the key change under the window's bind_lock; a
 *     remote access copies the binding under it, so an access sees a whole
 *     binding, old or new. An access that resolved before an invalidation
 *     or an unbind may finish (as one in flight on a wire would); every
 *     later one fails.
 *   - the binding holds a reference on the MR's MKey (its memory, not its
 *     pages); each access checks, inside mlx5x_hw_srcu, that the MR is
 *     still in the table: DESTROY_MKEY of the MR removes it and waits for
 *     the SRCU readers, so the driver never unpins pages a window access
 *     still copies to, and no later access passes (a new MR that reuses
 *     the index and even the key is another MKey).
 *   - DESTROY_MKEY of a window (bound or not) removes it from the table;
 *     its binding (the MR and type 2 QP references) goes with its last
 *     reference (mlx5x_hw_mw_release()).
 * Callers hold srcu_read_lock(&mlx5x_hw_srcu) and the QP's sq_mutex
 * (bind, LOCAL_INV) or the responder's rq_mutex (SEND_INVAL).
 */
#include "hw_priv.h"

/* The window @key names, exactly, with a reference; NULL if none. */
static struct mlx5x_hw_mkey *mlx5x_hw_mw_get(struct mlx5x_hw *hw, u32 key)
{
	struct mlx5x_hw_mkey *mw = mlx5x_hw_mkey_get(hw, key);

	if (mw && mw->mkc.mw_type != MLX5X_MKEY_MW_TYPE1 &&
	    mw->mkc.mw_type != MLX5X_MKEY_MW_TYPE2) {
		mlx5x_hw_mkey_put(mw);
		return NULL;
	}
	return mw;
}

/* bind_lock held: forget the binding; the caller puts what it held. */
static struct mlx5x_hw_mw_binding mlx5x_hw_mw_unbind(struct mlx5x_hw_mkey *mw)
{
	struct mlx5x_hw_mw_binding old = mw->mw;

	memset(&mw->mw, 0, sizeof(mw->mw));
	return old;
}

static void mlx5x_hw_mw_binding_put(struct mlx5x_hw_mw_binding *b)
{
	if (b->qp)
		mlx5x_hw_qp_put(b->qp);
	if (b->mr)
		mlx5x_hw_mkey_put(b->mr);
}

int mlx5x_hw_mw_bind(struct mlx5x_hw_qp *qp,
		     const struct mlx5x_wqe_bind_seg *b)
{
	struct mlx5x_hw_mw_binding old = {};
	struct mlx5x_hw_mkey *mw, *mr = NULL;
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
	old = mlx5x_hw_mw_unbind(mw);
	if (b->length) {
		mw->mw.bound = true;
		mw->mw.win = (struct mlx5x_mkc) {
			.pdn = mw->mkc.pdn,
			.access = b->access,
			.start_addr = b->addr,
			.len = b->length,
		};
		mw->mw.mr = mr;		/* our lookup's reference */
		mr = NULL;
		if (mw->mkc.mw_type == MLX5X_MKEY_MW_TYPE2) {
			kref_get(&qp->ref);
			mw->mw.qp = qp;
		}
	}
	/* Release: pairs with the acquire of mlx5x_hw_mkey_get(). */
	smp_store_release(&mw->key, (mw->key & ~0xffU) | (b->new_key & 0xff));
unlock:
	spin_unlock_bh(&mw->bind_lock);
	mlx5x_hw_mw_binding_put(&old);
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
	struct mlx5x_hw_mw_binding old = {};
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
	old = mlx5x_hw_mw_unbind(mkey);
unlock:
	spin_unlock_bh(&mkey->bind_lock);
	mlx5x_hw_mw_binding_put(&old);
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
	struct mlx5x_hw_mkey *mr = NULL;
	struct mlx5x_mkc win;
	bool ok;

	spin_lock_bh(&mw->bind_lock);
	/* Not rebound or unbound since the lookup, and ours to use. */
	ok = mw->key == key && mw->mw.bound &&
	     (mw->mkc.mw_type != MLX5X_MKEY_MW_TYPE2 || mw->mw.qp == dqp);
	if (ok) {
		win = mw->mw.win;
		mr = mw->mw.mr;
		kref_get(&mr->ref);
	}
	spin_unlock_bh(&mw->bind_lock);

	*err = MLX5X_HW_MKEY_BAD_ACCESS;
	if (!ok)
		return NULL;
	*err = mlx5x_hw_mkey_check(&win, dqp->pd->pdn, access, addr, len);
	/* The MR still registered; the window lies inside it. */
	if (!*err && !mlx5x_hw_mkey_live(dqp->hw, mr))
		*err = MLX5X_HW_MKEY_BAD_ACCESS;
	if (!*err)
		*err = mlx5x_hw_mkey_check(&mr->mkc, win.pdn, 0, addr, len);
	if (*err) {
		mlx5x_hw_mkey_put(mr);
		return NULL;
	}
	mlx5x_hw_mkey_seg(&mr->mkc, mr->pas, addr, len, seg);
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
		return mlx5x_hw_mkey_resolve_remote(dqp->hw, key,
						    dqp->pd->pdn, access,
						    addr, len, seg, err);
	mr = mlx5x_hw_mw_resolve(mw, key, dqp, access, addr, len, seg, err);
	mlx5x_hw_mkey_put(mw);
	return mr;
}

/* The window's last reference is gone: drop what its binding holds. */
void mlx5x_hw_mw_release(struct mlx5x_hw_mkey *mkey)
{
	struct mlx5x_hw_mw_binding old = mlx5x_hw_mw_unbind(mkey);

	mlx5x_hw_mw_binding_put(&old);
}

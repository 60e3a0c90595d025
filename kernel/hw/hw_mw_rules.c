// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The rules of memory windows (IB spec vol. 1, 10.6.7), as pure checks
 * the engine (hw_mw.c) applies to a private copy of a BIND_MW WQE, a
 * LOCAL_INV or a SEND_INVAL, with the window's binding lock held.
 *
 *   type 1: bound by a BIND_MW on any QP of its PD (ibv_bind_mw); a
 *           rebind replaces the binding, a 0-byte bind unbinds; cannot be
 *           invalidated.
 *   type 2B: bound by a BIND_MW only when free, to that QP: only requests
 *           arriving at that QP may use it; LOCAL_INV on a QP of its PD or
 *           a SEND_INVAL arriving at its QP frees it.
 * Both: window, MR and QP share a PD; the MR allows MW_BIND; the window
 * lies inside the MR; remote write or atomic rights need the MR's local
 * write. Zero-based windows are not offered. Remote access through a
 * bound window is checked like an MR (hw_range.c) against the window,
 * then inside the MR.
 */
#include "hw_eng.h"

/* A window's rights are MKey rights: the bind segment uses the same bits. */
_Static_assert((u32)MLX5X_BIND_REMOTE_READ == (u32)MLX5X_MKEY_REMOTE_READ &&
	       (u32)MLX5X_BIND_REMOTE_WRITE == (u32)MLX5X_MKEY_REMOTE_WRITE &&
	       (u32)MLX5X_BIND_REMOTE_ATOMIC == (u32)MLX5X_MKEY_REMOTE_ATOMIC,
	       "bind rights are MKey rights");

int mlx5x_hw_mw_bind_check(const struct mlx5x_mkc *mw, bool type2_free,
			   u32 qp_pdn, const struct mlx5x_mkc *mr,
			   const struct mlx5x_wqe_bind_seg *b)
{
	u64 end, mr_end;

	if ((b->new_key >> 8) != (b->mw_key >> 8))
		return MLX5X_MW_NEW_KEY;
	if (mw->mw_type != MLX5X_MKEY_MW_TYPE1 &&
	    mw->mw_type != MLX5X_MKEY_MW_TYPE2)
		return MLX5X_MW_BAD_TYPE;
	if (b->access & ~(u32)MLX5X_BIND_ACCESS_MASK)
		return MLX5X_MW_ACCESS;
	if (mw->pdn != qp_pdn)
		return MLX5X_MW_BAD_PD;
	if (mw->mw_type == MLX5X_MKEY_MW_TYPE2) {
		if (!type2_free)
			return MLX5X_MW_BUSY;
		if (!b->length)
			return MLX5X_MW_ZERO_LEN;
	}
	if (!b->length)
		return MLX5X_MW_OK;	/* type 1: unbind */
	if (!mr || mr->mw_type != MLX5X_MKEY_MR)
		return MLX5X_MW_BAD_MR;
	if (mr->pdn != qp_pdn)
		return MLX5X_MW_BAD_PD;
	if (!(mr->access & MLX5X_MKEY_MW_BIND))
		return MLX5X_MW_NO_BIND;
	if ((b->access & (MLX5X_BIND_REMOTE_WRITE | MLX5X_BIND_REMOTE_ATOMIC)) &&
	    !(mr->access & MLX5X_MKEY_LOCAL_WRITE))
		return MLX5X_MW_NEED_LWRITE;
	mr_end = mr->start_addr + mr->len;	/* checked at CREATE_MKEY */
	if (check_add_overflow(b->addr, b->length, &end) ||
	    b->addr < mr->start_addr || end > mr_end)
		return MLX5X_MW_RANGE;
	return MLX5X_MW_OK;
}

int mlx5x_hw_mw_inval_check(const struct mlx5x_mkc *mkc, u32 qp_pdn,
			    bool remote, bool bound_here)
{
	if (mkc->mw_type != MLX5X_MKEY_MW_TYPE2)
		return MLX5X_MW_BAD_TYPE;
	if (mkc->pdn != qp_pdn)
		return MLX5X_MW_BAD_PD;
	if (remote && !bound_here)
		return MLX5X_MW_NOT_BOUND_HERE;
	return MLX5X_MW_OK;
}

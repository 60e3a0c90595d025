// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Memory windows. The kernel has the device create the window (an MKey
 * with no pages) and returns its first rkey; binding and invalidating are
 * data-path work the device does from the send queue:
 *
 *	ibv_alloc_mw ─► ALLOC_MW ─► window MKey, unbound, in the PD
 *	ibv_bind_mw (type 1) ─► a BIND_MW WQE posted like ibv_post_send's,
 *	                        new rkey = ibv_inc_rkey(mw->rkey), stored in
 *	                        mw->rkey once posted (as libmlx5 does)
 *	IBV_WR_BIND_MW, ibv_wr_bind_mw (type 2) ─► the same WQE, the rkey the
 *	                        application chose (it tracks it: mw->rkey is
 *	                        left alone)
 *	IBV_WR_LOCAL_INV, IBV_WR_SEND_WITH_INV ─► sq.c, wr.c
 *	ibv_dealloc_mw ─► DEALLOC_MW (safe while bound)
 *
 * The device checks every rule (kernel/hw/hw_mw_rules.c) and reports a
 * refused bind as IBV_WC_MW_BIND_ERR; the provider refuses at post time
 * only what the WQE cannot express (zero-based windows, unknown rights).
 */
#include <errno.h>
#include <stdlib.h>

#include "mlx5x.h"

struct ibv_mw *mlx5x_alloc_mw(struct ibv_pd *pd, enum ibv_mw_type type)
{
	struct ib_uverbs_alloc_mw_resp resp;
	struct ibv_alloc_mw cmd;
	struct ibv_mw *mw;
	int ret;

	if (type != IBV_MW_TYPE_1 && type != IBV_MW_TYPE_2) {
		errno = EINVAL;
		return NULL;
	}
	mw = calloc(1, sizeof(*mw));
	if (!mw)
		return NULL;
	ret = ibv_cmd_alloc_mw(pd, type, mw, &cmd, sizeof(cmd), &resp,
			       sizeof(resp));
	if (ret) {
		free(mw);
		errno = ret;
		return NULL;
	}
	return mw;
}

int mlx5x_dealloc_mw(struct ibv_mw *mw)
{
	int ret;

	ret = ibv_cmd_dealloc_mw(mw);
	if (ret)
		return ret;
	free(mw);
	return 0;
}

int mlx5x_bind_mw(struct ibv_qp *qp, struct ibv_mw *mw,
		  struct ibv_mw_bind *mw_bind)
{
	struct ibv_send_wr wr = {
		.wr_id = mw_bind->wr_id,
		.opcode = IBV_WR_BIND_MW,
		.send_flags = mw_bind->send_flags,
	};
	struct ibv_send_wr *bad_wr;
	int ret;

	wr.bind_mw.mw = mw;
	wr.bind_mw.rkey = ibv_inc_rkey(mw->rkey);
	wr.bind_mw.bind_info = mw_bind->bind_info;
	ret = mlx5x_post_send(qp, &wr, &bad_wr);
	if (ret)
		return ret;
	/* The key the window has once the device executed the WQE. */
	mw->rkey = wr.bind_mw.rkey;
	return 0;
}

/* ibv_access_flags of a window -> MLX5X_BIND_*; -1 if it cannot be. */
int mlx5x_bind_access(unsigned int mw_access_flags)
{
	const unsigned int ok = IBV_ACCESS_REMOTE_READ |
				IBV_ACCESS_REMOTE_WRITE |
				IBV_ACCESS_REMOTE_ATOMIC;
	int a = 0;

	if (mw_access_flags & ~ok)
		return -1;
	if (mw_access_flags & IBV_ACCESS_REMOTE_READ)
		a |= MLX5X_BIND_REMOTE_READ;
	if (mw_access_flags & IBV_ACCESS_REMOTE_WRITE)
		a |= MLX5X_BIND_REMOTE_WRITE;
	if (mw_access_flags & IBV_ACCESS_REMOTE_ATOMIC)
		a |= MLX5X_BIND_REMOTE_ATOMIC;
	return a;
}

int mlx5x_set_bind_seg(struct mlx5x_wqe_bind_seg *seg, const struct ibv_mw *mw,
		       uint32_t rkey, const struct ibv_mw_bind_info *info)
{
	int access;

	if (!mw || (rkey >> 8) != (mw->rkey >> 8))
		return EINVAL;
	if (info->length && !info->mr)
		return EINVAL;
	access = mlx5x_bind_access(info->mw_access_flags);
	if (access < 0)
		return EINVAL;
	seg->mw_key = mw->rkey;
	seg->new_key = rkey;
	seg->mr_key = info->mr ? info->mr->lkey : 0;
	seg->access = access;
	seg->addr = info->addr;
	seg->length = info->length;
	return 0;
}

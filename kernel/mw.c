// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Memory windows. A window is an MKey the device creates unbound, in the
 * window's PD, with no pages: the data path binds it (a BIND_MW WQE on a
 * QP's send queue, posted by the provider for ibv_bind_mw and
 * IBV_WR_BIND_MW) and invalidates it (LOCAL_INV, SEND_WITH_INV), all in the
 * device (kernel/hw/hw_mw.c). The driver only allocates and destroys it;
 * DESTROY_MKEY of a bound window is safe (the device drops the binding).
 */
#include "mlx5x.h"

int mlx5x_alloc_mw(struct ib_mw *ibmw, struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibmw->device);
	struct mlx5x_create_mkey_out out = {};
	struct mlx5x_create_mkey_in in = {};
	int err;

	if (!(dev->cap.flags & MLX5X_CAP_FLAG_MW))
		return -EOPNOTSUPP;
	if (udata && udata->inlen && !ib_is_udata_cleared(udata, 0, udata->inlen))
		return -EINVAL;

	in.hdr.opcode = MLX5X_CMD_CREATE_MKEY;
	in.mkc.pdn = to_mpd(ibmw->pd)->pdn;
	in.mkc.mw_type = ibmw->type == IB_MW_TYPE_1 ? MLX5X_MKEY_MW_TYPE1 :
						     MLX5X_MKEY_MW_TYPE2;
	in.mkc.key_variant = atomic_inc_return(&dev->mkey_variant) & 0xff;
	err = mlx5x_cmd_exec(dev, &in, sizeof(in), &out, sizeof(out));
	if (err)
		return err;
	ibmw->rkey = out.mkey;
	return 0;
}

int mlx5x_dealloc_mw(struct ib_mw *ibmw)
{
	struct mlx5x_dev *dev = to_mdev(ibmw->device);
	int err;

	err = mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_MKEY, ibmw->rkey >> 8);
	/* No pages to keep: report, the core frees the window anyway. */
	if (err && err != -ENODEV)
		dev_err(&dev->pdev->dev, "DESTROY_MKEY of window 0x%x: %d\n",
			ibmw->rkey, err);
	return 0;
}

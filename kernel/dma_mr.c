// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The DMA MR of a kernel PD (ib_alloc_pd() asks for it; its lkey becomes
 * pd->local_dma_lkey): a physical-address MKey, so that the DMA addresses
 * kernel consumers put in their work requests (physical: the ib_device's
 * DMA device is the platform device, direct-mapped) need no registration.
 *
 * Only local access is granted. A global rkey (IB_PD_UNSAFE_GLOBAL_RKEY)
 * would expose all of RAM to the network and is refused. Processes never
 * get such an MKey: their PDs are not kernel PDs, and the device checks
 * the PD of every key a QP uses.
 */
#include "mlx5x.h"

struct ib_mr *mlx5x_get_dma_mr(struct ib_pd *ibpd, int access)
{
	struct mlx5x_dev *dev = to_mdev(ibpd->device);
	struct mlx5x_create_mkey_out out = {};
	struct mlx5x_create_mkey_in in = {};
	struct mlx5x_mr *mr;
	int err;

	if (access & ~IB_ACCESS_LOCAL_WRITE)
		return ERR_PTR(-EOPNOTSUPP);
	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	if (!mr)
		return ERR_PTR(-ENOMEM);

	in.hdr.opcode = MLX5X_CMD_CREATE_MKEY;
	in.mkc.pdn = to_mpd(ibpd)->pdn;
	in.mkc.access = (access & IB_ACCESS_LOCAL_WRITE) ?
			MLX5X_MKEY_LOCAL_WRITE : 0;
	in.mkc.start_addr = 0;
	in.mkc.len = ~0ULL;
	in.mkc.mw_type = MLX5X_MKEY_PA;
	in.mkc.key_variant = atomic_inc_return(&dev->mkey_variant) & 0xff;
	err = mlx5x_cmd_exec(dev, &in, sizeof(in), &out, sizeof(out));
	if (err) {
		kfree(mr);
		return ERR_PTR(err);
	}
	mr->access = access;
	mr->ibmr.lkey = out.mkey;
	mr->ibmr.rkey = out.mkey;
	mr->ibmr.length = ~0ULL;
	return &mr->ibmr;
}

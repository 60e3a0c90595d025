// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Memory regions. A user MR is an MKey: the device's record of a pinned
 * page list, the user's virtual range it stands for, its PD and its access
 * rights. lkey and rkey are the same key: index << 8 | a variant byte that
 * changes with every registration, so a stale key does not silently hit a
 * newer MR that reused the index.
 *
 * Reregistration (ibv_rereg_mr: translation, PD, access) registers a new
 * MKey with what changes and what stays, and hands the core the new MR,
 * which then deregisters the old one: new keys, as the verbs allow. On a
 * failure the old MR is left as it was. Windows bound to the old MR
 * become unusable with it (they name their MR by key).
 */
#include "mlx5x.h"

static u32 mr_access_to_mkey(int access)
{
	u32 a = 0;

	if (access & IB_ACCESS_LOCAL_WRITE)
		a |= MLX5X_MKEY_LOCAL_WRITE;
	if (access & IB_ACCESS_REMOTE_READ)
		a |= MLX5X_MKEY_REMOTE_READ;
	if (access & IB_ACCESS_REMOTE_WRITE)
		a |= MLX5X_MKEY_REMOTE_WRITE;
	if (access & IB_ACCESS_REMOTE_ATOMIC)
		a |= MLX5X_MKEY_REMOTE_ATOMIC;
	if (access & IB_ACCESS_MW_BIND)
		a |= MLX5X_MKEY_MW_BIND;
	return a;
}

#define MLX5X_MR_ACCESS_SUPPORTED					\
	(IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_READ |		\
	 IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_ATOMIC |		\
	 IB_ACCESS_MW_BIND)

struct ib_mr *mlx5x_reg_user_mr(struct ib_pd *ibpd, u64 start, u64 length,
				u64 virt_addr, int access,
				struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibpd->device);
	struct mlx5x_create_mkey_out out = {};
	struct mlx5x_create_mkey_in *in;
	struct mlx5x_mr *mr;
	size_t npages, in_len;
	int err;

	/* Optional flags may be ignored; anything else must work or fail. */
	if (access & ~(MLX5X_MR_ACCESS_SUPPORTED | IB_ACCESS_OPTIONAL))
		return ERR_PTR(-EOPNOTSUPP);
	if (!length || length > (1ULL << dev->cap.log_max_mr_size))
		return ERR_PTR(-EINVAL);
	if ((access & IB_ACCESS_REMOTE_ATOMIC) &&
	    dev->ib_dev.attrs.atomic_cap == IB_ATOMIC_NONE)
		return ERR_PTR(-EOPNOTSUPP);
	if ((access & IB_ACCESS_MW_BIND) &&
	    !(dev->cap.flags & MLX5X_CAP_FLAG_MW))
		return ERR_PTR(-EOPNOTSUPP);

	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	if (!mr)
		return ERR_PTR(-ENOMEM);

	mr->umem = ib_umem_get(ibpd->device, start, length, access);
	if (IS_ERR(mr->umem)) {
		err = PTR_ERR(mr->umem);
		goto err_mr;
	}

	npages = ib_umem_num_pages(mr->umem);
	in_len = struct_size(in, pas, npages);
	if (in_len > MLX5X_CMD_MAX_IN_LEN) {
		err = -EINVAL;
		goto err_umem;
	}
	in = kvzalloc(in_len, GFP_KERNEL);
	if (!in) {
		err = -ENOMEM;
		goto err_umem;
	}
	in->hdr.opcode = MLX5X_CMD_CREATE_MKEY;
	in->mkc.pdn = to_mpd(ibpd)->pdn;
	in->mkc.access = mr_access_to_mkey(access);
	in->mkc.start_addr = virt_addr;
	in->mkc.len = length;
	in->mkc.npages = npages;
	in->mkc.page_offset = ib_umem_offset(mr->umem);
	in->mkc.log_page_size = PAGE_SHIFT;
	in->mkc.key_variant = atomic_inc_return(&dev->mkey_variant) & 0xff;
	mlx5x_pas_from_umem(mr->umem, in->pas);

	err = mlx5x_cmd_exec(dev, in, in_len, &out, sizeof(out));
	kvfree(in);
	if (err)
		goto err_umem;

	mr->access = access;
	mr->ibmr.lkey = out.mkey;
	mr->ibmr.rkey = out.mkey;
	mr->ibmr.length = length;
	mr->ibmr.iova = virt_addr;
	mr->ibmr.page_size = PAGE_SIZE;
	return &mr->ibmr;

err_umem:
	ib_umem_release(mr->umem);
err_mr:
	kfree(mr);
	return ERR_PTR(err);
}

int mlx5x_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibmr->device);
	struct mlx5x_mr *mr = to_mmr(ibmr);
	int err;

	err = mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_MKEY, ibmr->lkey >> 8);
	if (err && err != -ENODEV) {
		/* The device may still use the pages: keep them pinned. */
		dev_err(&dev->pdev->dev, "DESTROY_MKEY 0x%x failed: %d\n",
			ibmr->lkey, err);
		kfree(mr);
		return 0;
	}
	ib_umem_release(mr->umem);
	kfree(mr);
	return 0;
}

struct ib_mr *mlx5x_rereg_user_mr(struct ib_mr *ibmr, int flags, u64 start,
				  u64 length, u64 virt_addr, int access,
				  struct ib_pd *pd, struct ib_udata *udata)
{
	struct mlx5x_mr *mr = to_mmr(ibmr);

	if (flags & ~(IB_MR_REREG_TRANS | IB_MR_REREG_PD | IB_MR_REREG_ACCESS))
		return ERR_PTR(-EOPNOTSUPP);
	if (!(flags & IB_MR_REREG_TRANS)) {
		start = mr->umem->address;
		length = mr->umem->length;
		virt_addr = ibmr->iova;
	}
	if (!(flags & IB_MR_REREG_ACCESS))
		access = mr->access;
	/* The core passes the MR's own PD when IB_MR_REREG_PD is not set. */
	return mlx5x_reg_user_mr(pd, start, length, virt_addr, access, udata);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * User contexts. Each ucontext gets one UAR: a page of the device's BAR the
 * process maps (mlx5x_mmap) to ring doorbells without a system call. The
 * UAR is given back to the device only when the last mapping is gone
 * (mlx5x_mmap_free), never while a process can still write to it.
 */
#include <rdma/uverbs_ioctl.h>
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

int mlx5x_alloc_ucontext(struct ib_ucontext *ibuctx, struct ib_udata *udata)
{
	struct mlx5x_ucontext *uctx = to_mucontext(ibuctx);
	struct mlx5x_dev *dev = to_mdev(ibuctx->device);
	struct mlx5x_alloc_ucontext_resp resp = {};
	struct mlx5x_user_mmap_entry *entry;
	const struct mlx5x_hca_cap *cap = &dev->cap;
	int err;

	mutex_init(&uctx->dbrec_lock);
	INIT_LIST_HEAD(&uctx->dbrec_pages);

	err = mlx5x_cmd_alloc(dev, MLX5X_CMD_ALLOC_UAR, &uctx->uar_index);
	if (err)
		return err;

	entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry) {
		err = -ENOMEM;
		goto err_uar;
	}
	entry->dev = dev;
	entry->uar_index = uctx->uar_index;
	entry->address = mlx5x_hw_uar_phys(dev->hw, uctx->uar_index);
	err = rdma_user_mmap_entry_insert(ibuctx, &entry->rdma_entry,
					  PAGE_SIZE);
	if (err) {
		kfree(entry);
		goto err_uar;
	}
	uctx->uar_entry = &entry->rdma_entry;

	resp.uar_mmap_offset = rdma_user_mmap_get_offset(uctx->uar_entry);
	resp.uar_index = uctx->uar_index;
	resp.uar_size = PAGE_SIZE;
	resp.cqe_size = MLX5X_CQE_SIZE;
	resp.send_wqe_bb = MLX5X_SEND_WQE_BB;
	resp.max_send_wqebb = 1U << cap->log_max_qp_sz;
	resp.max_recv_wr = 1U << cap->log_max_qp_sz;
	resp.max_cqe = 1U << cap->log_max_cq_sz;
	resp.max_send_sge = cap->max_sge_sq;
	resp.max_recv_sge = cap->max_sge_rq;
	resp.max_inline_data = cap->max_inline_data;

	err = ib_copy_to_udata(udata, &resp,
			       min_t(size_t, udata->outlen, sizeof(resp)));
	if (err)
		goto err_entry;
	return 0;

err_entry:
	/* mmap_free gives the UAR back. */
	rdma_user_mmap_entry_remove(uctx->uar_entry);
	return err;
err_uar:
	mlx5x_cmd_simple(dev, MLX5X_CMD_DEALLOC_UAR, uctx->uar_index);
	return err;
}

void mlx5x_dealloc_ucontext(struct ib_ucontext *ibuctx)
{
	struct mlx5x_ucontext *uctx = to_mucontext(ibuctx);

	rdma_user_mmap_entry_remove(uctx->uar_entry);
}

int mlx5x_mmap(struct ib_ucontext *ibuctx, struct vm_area_struct *vma)
{
	struct rdma_user_mmap_entry *rdma_entry;
	struct mlx5x_user_mmap_entry *entry;
	int err;

	if (vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	rdma_entry = rdma_user_mmap_entry_get(ibuctx, vma);
	if (!rdma_entry)
		return -EINVAL;
	entry = container_of(rdma_entry, struct mlx5x_user_mmap_entry,
			     rdma_entry);
	/*
	 * The UAR page is ordinary RAM the device polls, so it is mapped
	 * cacheable: an uncached alias of RAM would conflict with the kernel's
	 * own mapping of it.
	 */
	err = rdma_user_mmap_io(ibuctx, vma, PHYS_PFN(entry->address),
				PAGE_SIZE, vma->vm_page_prot, rdma_entry);
	rdma_user_mmap_entry_put(rdma_entry);
	return err;
}

void mlx5x_mmap_free(struct rdma_user_mmap_entry *rdma_entry)
{
	struct mlx5x_user_mmap_entry *entry =
		container_of(rdma_entry, struct mlx5x_user_mmap_entry,
			     rdma_entry);

	mlx5x_cmd_simple(entry->dev, MLX5X_CMD_DEALLOC_UAR, entry->uar_index);
	kfree(entry);
}

/*
 * The core zaps every user mapping and destroys every object of a context
 * being disassociated; the device keeps nothing of the process after that,
 * so there is nothing left to do here. Providing the op is what lets the
 * device go away while processes still hold it open.
 */
void mlx5x_disassociate_ucontext(struct ib_ucontext *ibuctx)
{
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Doorbell records live in user memory, 8 bytes each, many to a page (the
 * provider packs them). The driver pins each user page once per ucontext,
 * however many CQs and QPs have a record on it, and hands the device the
 * physical address of each record.
 */
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

int mlx5x_dbrec_map(struct mlx5x_ucontext *uctx, u64 user_addr,
		    struct mlx5x_dbrec *db)
{
	unsigned long user_page = user_addr & PAGE_MASK;
	struct mlx5x_dbrec_page *page;
	struct sg_page_iter iter;
	int err = 0;

	if (!user_addr || !IS_ALIGNED(user_addr, MLX5X_DBREC_SIZE))
		return -EINVAL;

	mutex_lock(&uctx->dbrec_lock);
	list_for_each_entry(page, &uctx->dbrec_pages, list)
		if (page->user_page == user_page)
			goto found;

	page = kzalloc(sizeof(*page), GFP_KERNEL);
	if (!page) {
		err = -ENOMEM;
		goto out;
	}
	page->user_page = user_page;
	page->umem = ib_umem_get(uctx->ibucontext.device, user_page,
				 PAGE_SIZE, IB_ACCESS_LOCAL_WRITE);
	if (IS_ERR(page->umem)) {
		err = PTR_ERR(page->umem);
		kfree(page);
		goto out;
	}
	list_add(&page->list, &uctx->dbrec_pages);
found:
	page->refcount++;
	db->page = page;
	__sg_page_iter_start(&iter, page->umem->sgt_append.sgt.sgl,
			     page->umem->sgt_append.sgt.orig_nents, 0);
	__sg_page_iter_next(&iter);
	db->phys = page_to_phys(sg_page_iter_page(&iter)) +
		   (user_addr & ~PAGE_MASK);
out:
	mutex_unlock(&uctx->dbrec_lock);
	return err;
}

void mlx5x_dbrec_unmap(struct mlx5x_ucontext *uctx, struct mlx5x_dbrec *db)
{
	struct mlx5x_dbrec_page *page = db->page;

	if (!page)
		return;
	mutex_lock(&uctx->dbrec_lock);
	if (!--page->refcount) {
		list_del(&page->list);
		ib_umem_release(page->umem);
		kfree(page);
	}
	mutex_unlock(&uctx->dbrec_lock);
	db->page = NULL;
}

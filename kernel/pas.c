// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Page address lists: what the device gets instead of pointers. Each entry
 * is the physical address of one PAGE_SIZE page the driver keeps pinned for
 * as long as the device object that uses it exists.
 */
#include "mlx5x.h"

/* @pas has room for ib_umem_num_pages(umem) entries. */
void mlx5x_pas_from_umem(struct ib_umem *umem, u64 *pas)
{
	struct sg_page_iter iter;
	size_t i = 0;

	for_each_sgtable_page(&umem->sgt_append.sgt, &iter, 0)
		pas[i++] = page_to_phys(sg_page_iter_page(&iter));
}

/* @buf is page aligned, physically contiguous kernel memory. */
void mlx5x_pas_from_buf(void *buf, size_t size, u64 *pas)
{
	size_t i;

	for (i = 0; i < size >> PAGE_SHIFT; i++)
		pas[i] = virt_to_phys(buf + (i << PAGE_SHIFT));
}

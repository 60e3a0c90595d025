// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The device's "DMA": how it reaches the host memory the driver points it
 * at (command queue, mailboxes, EQ/CQ/QP rings, doorbell records, and later
 * MKey pages). The device lives in the host, so a physical address is read
 * through the kernel direct map, after checking that it is RAM with a
 * struct page. Every access of the device half goes through this file, so
 * a move to a real DMA API (an IOMMU, a QEMU device model) changes only it.
 * An access never crosses a PAGE_SIZE boundary without re-checking.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include "hw_priv.h"

/* A kernel pointer to [pa, pa + len), which must lie in one page. */
void *mlx5x_hw_dma_ptr(u64 pa, u32 len)
{
	unsigned long pfn = PHYS_PFN(pa);

	if (!len || offset_in_page(pa) + (u64)len > PAGE_SIZE)
		return NULL;
	if ((phys_addr_t)pa != pa || !pfn_valid(pfn) ||
	    PageHighMem(pfn_to_page(pfn)))
		return NULL;
	return phys_to_virt((phys_addr_t)pa);
}

/* Whether every page of [pa, pa + len) is memory the device may touch. */
bool mlx5x_hw_dma_ok(u64 pa, u64 len)
{
	u64 end, p;

	if (!len || check_add_overflow(pa, len - 1, &end))
		return false;
	for (p = pa & PAGE_MASK; p <= end; p += PAGE_SIZE) {
		if (!mlx5x_hw_dma_ptr(p, 1))
			return false;
		if (p + PAGE_SIZE < p)
			break;
	}
	return true;
}

/* mlx5x_hw_dma_read_fn: @ctx is unused (the host has one address space). */
int mlx5x_hw_dma_read(void *ctx, u64 pa, void *buf, u32 len)
{
	u8 *dst = buf;

	while (len) {
		u32 n = min_t(u64, len, PAGE_SIZE - offset_in_page(pa));
		void *src = mlx5x_hw_dma_ptr(pa, n);

		if (!src)
			return -EFAULT;
		memcpy(dst, src, n);
		dst += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int mlx5x_hw_dma_write(u64 pa, const void *buf, u32 len)
{
	const u8 *src = buf;

	while (len) {
		u32 n = min_t(u64, len, PAGE_SIZE - offset_in_page(pa));
		void *dst = mlx5x_hw_dma_ptr(pa, n);

		if (!dst)
			return -EFAULT;
		memcpy(dst, src, n);
		src += n;
		pa += n;
		len -= n;
	}
	return 0;
}

/*
 * The first and last PAGE_SIZE page of every PAS page must be RAM. Not a
 * guarantee (the driver owns those pages), a diagnosis: an access is
 * checked again when made.
 */
u8 mlx5x_hw_dma_check_pas(const u64 *pas, u32 npages, u8 log_page_size,
			  u32 *syn)
{
	u64 psize = 1ULL << log_page_size;
	u32 i;

	for (i = 0; i < npages; i++) {
		if (!mlx5x_hw_dma_ptr(pas[i], 1) ||
		    !mlx5x_hw_dma_ptr(pas[i] + psize - 1, 1)) {
			*syn = MLX5X_SYN_PAS_NOT_RAM;
			return MLX5X_CMD_STAT_BAD_PARAM;
		}
	}
	return MLX5X_CMD_STAT_OK;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Rings of kernel CQs and QPs: what the provider's buffer and doorbell
 * record are to a process's queues, allocated by the driver itself. The
 * ring is vmalloc'ed (a large queue needs no high-order page) and the
 * device gets the physical address of each of its pages; the doorbell
 * record is a small kmalloc'ed block, physically contiguous.
 */
#include <linux/vmalloc.h>
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

int mlx5x_kring_alloc(struct mlx5x_kring *ring, size_t size)
{
	ring->size = PAGE_ALIGN(size);
	ring->buf = vzalloc(ring->size);
	if (!ring->buf)
		return -ENOMEM;
	/* A cache line of its own: the device polls it. */
	ring->db = kzalloc(max_t(size_t, MLX5X_DBREC_SIZE, L1_CACHE_BYTES),
			   GFP_KERNEL);
	if (!ring->db) {
		vfree(ring->buf);
		ring->buf = NULL;
		return -ENOMEM;
	}
	return 0;
}

void mlx5x_kring_free(struct mlx5x_kring *ring)
{
	kfree(ring->db);
	vfree(ring->buf);
	ring->db = NULL;
	ring->buf = NULL;
}

u32 mlx5x_kring_npages(const struct mlx5x_kring *ring)
{
	return ring->size >> PAGE_SHIFT;
}

void mlx5x_pas_from_kring(const struct mlx5x_kring *ring, u64 *pas)
{
	u32 i;

	for (i = 0; i < mlx5x_kring_npages(ring); i++)
		pas[i] = page_to_phys(vmalloc_to_page(ring->buf +
						      (i << PAGE_SHIFT)));
}

/* Pages of a queue's ring: the process's pinned buffer or the driver's. */
size_t mlx5x_ring_npages(struct ib_umem *umem,
			 const struct mlx5x_kring *kring)
{
	return umem ? ib_umem_num_pages(umem) : mlx5x_kring_npages(kring);
}

/* Fill @pas for a ring; returns the ring's offset into its first page. */
u32 mlx5x_ring_pas(struct ib_umem *umem, const struct mlx5x_kring *kring,
		   u64 *pas)
{
	if (!umem) {
		mlx5x_pas_from_kring(kring, pas);
		return 0;
	}
	mlx5x_pas_from_umem(umem, pas);
	return ib_umem_offset(umem);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A queue's memory in the process: the ring buffer the provider allocated
 * and its doorbell record, both pinned for as long as the device object
 * that uses them exists.
 */
#include "mlx5x.h"

int mlx5x_user_ring_get(struct mlx5x_ucontext *uctx, u64 buf_addr,
			size_t len, u64 db_addr, struct mlx5x_user_ring *ring)
{
	int err;

	ring->umem = ib_umem_get(uctx->ibucontext.device, buf_addr, len,
				 IB_ACCESS_LOCAL_WRITE);
	if (IS_ERR(ring->umem))
		return PTR_ERR(ring->umem);
	err = mlx5x_dbrec_map(uctx, db_addr, &ring->db);
	if (err) {
		ib_umem_release(ring->umem);
		return err;
	}
	return 0;
}

void mlx5x_user_ring_put(struct mlx5x_ucontext *uctx,
			 struct mlx5x_user_ring *ring)
{
	mlx5x_dbrec_unmap(uctx, &ring->db);
	ib_umem_release(ring->umem);
}

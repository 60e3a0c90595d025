// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * RDMA atomics: 8 bytes at an 8-aligned address, compare-and-swap or
 * fetch-and-add, host-endian. The device and the CPUs share the memory, so
 * the operation is a CPU atomic on the direct-map address: atomic against
 * other mlx5x atomics on the same bytes from any QP or device, and against
 * the CPUs' own atomics too (IBV_ATOMIC_GLOB).
 */
#include <linux/atomic.h>
#include "hw_priv.h"

/* @pa is 8-aligned (checked by the caller); *orig gets the old value. */
int mlx5x_hw_atomic(u64 pa, u8 opcode, u64 swap_add, u64 compare, u64 *orig)
{
	atomic64_t *v = mlx5x_hw_dma_ptr(pa, sizeof(u64));
	s64 old;

	if (!v || (pa & 7))
		return -EFAULT;
	if (opcode == MLX5X_OPCODE_ATOMIC_CS)
		old = atomic64_cmpxchg(v, (s64)compare, (s64)swap_add);
	else
		old = atomic64_fetch_add((s64)swap_add, v);
	*orig = (u64)old;
	return 0;
}

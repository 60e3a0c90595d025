/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Memory ordering between the provider and the device, in one place.
 *
 * The "device" is a kernel thread on another CPU of the same host that
 * reads the rings and doorbell records from ordinary cacheable memory (the
 * UAR page too), so these are plain SMP barriers: no MMIO, no write
 * combining. rdma-core's util/udma_barrier.h is not installed by Debian's
 * libibverbs-dev; the names below follow it so that mlx5 reads alike.
 *
 *   mlx5x_udma_to_device_barrier()	WQE stores before the dbrec store
 *   mlx5x_udma_from_device_barrier()	owner-bit load before the CQE loads
 *   mlx5x_mb()				the dbrec/doorbell stores before the
 *					NEED_WAKEUP load (store-load order)
 *
 * On x86_64 (TSO) stores are not reordered with stores nor loads with
 * loads, so the first two only stop the compiler; store-load needs mfence.
 * Elsewhere the C11 fences give the same guarantees.
 */
#ifndef MLX5X_BARRIER_H
#define MLX5X_BARRIER_H

#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#define mlx5x_udma_to_device_barrier()	__asm__ volatile("" ::: "memory")
#define mlx5x_udma_from_device_barrier() __asm__ volatile("" ::: "memory")
#define mlx5x_mb()			__asm__ volatile("mfence" ::: "memory")
#else
#define mlx5x_udma_to_device_barrier()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define mlx5x_udma_from_device_barrier() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define mlx5x_mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/* A doorbell record word the device reads: one store, release ordered. */
static inline void mlx5x_dbrec_store(uint32_t *word, uint32_t val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
}

/* A word the device writes (owner byte, NEED_WAKEUP): one fresh load. */
static inline uint32_t mlx5x_load_u32(const uint32_t *word)
{
	return __atomic_load_n(word, __ATOMIC_RELAXED);
}

static inline uint8_t mlx5x_load_u8(const uint8_t *byte)
{
	return __atomic_load_n(byte, __ATOMIC_RELAXED);
}

#endif /* MLX5X_BARRIER_H */

/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Doorbell record pool.
 *
 * A doorbell record (dbrec) is MLX5X_DBREC_SIZE bytes of user memory that
 * software writes and the device reads: a CQ's consumer index and arm
 * sequence, a QP's receive and send counters (MLX5X_QP_DBREC_*). The device
 * reaches it through the page the driver pins at create time, so a record
 * must never cross a page. Records are carved out of whole pages, one slot
 * per MLX5X_DBREC_STRIDE bytes (a cache line, so that records of different
 * queues, written by different threads, never share a line). Pages are
 * allocated when all are full and freed when their last record is.
 * Each context has one pool; it is thread safe.
 */
#ifndef MLX5X_DBREC_H
#define MLX5X_DBREC_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <rdma/mlx5x-abi.h>

#define MLX5X_DBREC_STRIDE	64

struct mlx5x_dbrec_page;

struct mlx5x_dbrec_pool {
	pthread_mutex_t lock;
	size_t page_size;
	struct mlx5x_dbrec_page *pages;
};

int mlx5x_dbrec_pool_init(struct mlx5x_dbrec_pool *pool, size_t page_size);
/* Frees every page, whether its records were freed or not. */
void mlx5x_dbrec_pool_destroy(struct mlx5x_dbrec_pool *pool);

/* A zeroed record, MLX5X_DBREC_STRIDE aligned; NULL with errno set. */
uint32_t *mlx5x_alloc_dbrec(struct mlx5x_dbrec_pool *pool);
void mlx5x_free_dbrec(struct mlx5x_dbrec_pool *pool, uint32_t *db);

#endif /* MLX5X_DBREC_H */

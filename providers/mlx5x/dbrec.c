// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Doorbell record pool (see dbrec.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbrec.h"
#include "verbs_private.h"

_Static_assert(MLX5X_DBREC_STRIDE >= MLX5X_DBREC_SIZE &&
	       MLX5X_DBREC_STRIDE % MLX5X_DBREC_SIZE == 0,
	       "a doorbell record must fit its slot");

struct mlx5x_dbrec_page {
	struct mlx5x_dbrec_page *next;
	uint8_t *buf;			/* one page, page aligned */
	unsigned int nslots;
	unsigned int nused;
	uint64_t free_map[];		/* bit set: slot free */
};

int mlx5x_dbrec_pool_init(struct mlx5x_dbrec_pool *pool, size_t page_size)
{
	if (page_size < MLX5X_DBREC_STRIDE ||
	    page_size % MLX5X_DBREC_STRIDE)
		return EINVAL;

	pool->page_size = page_size;
	pool->pages = NULL;
	return pthread_mutex_init(&pool->lock, NULL);
}

static void free_page(struct mlx5x_dbrec_pool *pool,
		      struct mlx5x_dbrec_page *page)
{
	ibv_dofork_range(page->buf, pool->page_size);
	free(page->buf);
	free(page);
}

void mlx5x_dbrec_pool_destroy(struct mlx5x_dbrec_pool *pool)
{
	struct mlx5x_dbrec_page *page, *next;

	for (page = pool->pages; page; page = next) {
		next = page->next;
		free_page(pool, page);
	}
	pool->pages = NULL;
	pthread_mutex_destroy(&pool->lock);
}

static struct mlx5x_dbrec_page *add_page(struct mlx5x_dbrec_pool *pool)
{
	unsigned int nslots = pool->page_size / MLX5X_DBREC_STRIDE;
	unsigned int nwords = (nslots + 63) / 64;
	struct mlx5x_dbrec_page *page;
	unsigned int i;
	int ret;

	page = calloc(1, sizeof(*page) + nwords * sizeof(uint64_t));
	if (!page)
		return NULL;

	ret = posix_memalign((void **)&page->buf, pool->page_size,
			     pool->page_size);
	if (ret) {
		free(page);
		errno = ret;
		return NULL;
	}
	if (ibv_dontfork_range(page->buf, pool->page_size)) {
		free(page->buf);
		free(page);
		errno = ENOMEM;
		return NULL;
	}

	page->nslots = nslots;
	for (i = 0; i < nslots; i++)
		page->free_map[i / 64] |= UINT64_C(1) << (i % 64);

	page->next = pool->pages;
	pool->pages = page;
	return page;
}

uint32_t *mlx5x_alloc_dbrec(struct mlx5x_dbrec_pool *pool)
{
	struct mlx5x_dbrec_page *page;
	uint32_t *db = NULL;
	unsigned int w, slot;

	pthread_mutex_lock(&pool->lock);

	for (page = pool->pages; page; page = page->next)
		if (page->nused < page->nslots)
			break;
	if (!page) {
		page = add_page(pool);
		if (!page)
			goto out;
	}

	for (w = 0; !page->free_map[w]; w++)
		;
	slot = w * 64 + __builtin_ctzll(page->free_map[w]);
	page->free_map[w] &= ~(UINT64_C(1) << (slot % 64));
	page->nused++;

	db = (uint32_t *)(page->buf + (size_t)slot * MLX5X_DBREC_STRIDE);
	memset(db, 0, MLX5X_DBREC_SIZE);
out:
	pthread_mutex_unlock(&pool->lock);
	return db;
}

void mlx5x_free_dbrec(struct mlx5x_dbrec_pool *pool, uint32_t *db)
{
	struct mlx5x_dbrec_page *page, **prev;
	uint8_t *p = (uint8_t *)db;
	unsigned int slot;

	pthread_mutex_lock(&pool->lock);

	for (prev = &pool->pages; (page = *prev); prev = &page->next)
		if (p >= page->buf && p < page->buf + pool->page_size)
			break;
	if (!page)
		goto out;

	slot = (p - page->buf) / MLX5X_DBREC_STRIDE;
	page->free_map[slot / 64] |= UINT64_C(1) << (slot % 64);
	if (--page->nused == 0) {
		*prev = page->next;
		free_page(pool, page);
	}
out:
	pthread_mutex_unlock(&pool->lock);
}

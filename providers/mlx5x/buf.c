// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Queue buffers: whole pages, page aligned and zeroed, excluded from fork()
 * copies when the application asked for fork safety (ibv_fork_init), since
 * the device keeps using the pages the driver pinned.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mlx5x.h"

int mlx5x_alloc_buf(struct mlx5x_buf *buf, size_t size, size_t page_size)
{
	size_t length = mlx5x_align(size ? size : 1, page_size);
	void *p;
	int ret;

	ret = posix_memalign(&p, page_size, length);
	if (ret)
		return ret;

	if (ibv_dontfork_range(p, length)) {
		free(p);
		return ENOMEM;
	}

	memset(p, 0, length);
	buf->buf = p;
	buf->length = length;
	return 0;
}

void mlx5x_free_buf(struct mlx5x_buf *buf)
{
	if (!buf->buf)
		return;

	ibv_dofork_range(buf->buf, buf->length);
	free(buf->buf);
	buf->buf = NULL;
	buf->length = 0;
}

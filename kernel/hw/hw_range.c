// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * MKey ranges and page walks: the arithmetic behind every byte the engine
 * moves. An MKey maps IOVA [start_addr, start_addr + len) onto its PAS,
 * starting page_offset bytes into the first page; a ring maps its offsets
 * the same way. The engine copies through a cursor over a list of such
 * segments, one piece at a time, each piece inside one PAS page and one
 * host page, so the kernel side needs only "this physical range, which is
 * inside one page". A PA MKey (mw_type MLX5X_MKEY_PA) has no PAS: its
 * IOVA is the physical address, cut at host pages only, and hw_dma.c
 * checks each piece is RAM. Pure code: every sum is overflow-checked.
 */
#include "hw_eng.h"

int mlx5x_hw_mkey_check(const struct mlx5x_mkc *mkc, u32 pdn, u32 access,
			u64 addr, u64 len)
{
	u64 off;

	if (mkc->pdn != pdn)
		return MLX5X_HW_MKEY_BAD_PD;
	if ((mkc->access & access) != access)
		return MLX5X_HW_MKEY_BAD_ACCESS;
	/* addr >= start, len <= mkc len, addr - start <= mkc len - len */
	if (addr < mkc->start_addr || len > mkc->len)
		return MLX5X_HW_MKEY_BAD_RANGE;
	off = addr - mkc->start_addr;
	if (off > mkc->len - len)
		return MLX5X_HW_MKEY_BAD_RANGE;
	return MLX5X_HW_MKEY_OK;
}

void mlx5x_hw_mkey_seg(const struct mlx5x_mkc *mkc, const u64 *pas,
		       u64 addr, u64 len, struct mlx5x_hw_seg *seg)
{
	seg->kbuf = NULL;
	if (mkc->mw_type == MLX5X_MKEY_PA) {
		/* checked: start_addr 0, [addr, addr + len) does not wrap */
		seg->pas = NULL;
		seg->phys = true;
		seg->log_page_size = 0;
		seg->off = addr;
		seg->len = len;
		return;
	}
	seg->pas = pas;
	seg->phys = false;
	seg->log_page_size = mkc->log_page_size;
	/* checked: addr - start < len <= 2^40, page_offset < page size */
	seg->off = (addr - mkc->start_addr) + mkc->page_offset;
	seg->len = len;
}

void mlx5x_hw_cursor_init(struct mlx5x_hw_cursor *c,
			  const struct mlx5x_hw_seg *seg, u32 nseg)
{
	c->seg = seg;
	c->nseg = nseg;
	c->i = 0;
	c->pos = 0;
	/* skip empty segments so that peek sees a piece or the end */
	while (c->i < c->nseg && !c->seg[c->i].len)
		c->i++;
}

/* Bytes from @pa to the end of its host page of 1 << @log bytes. */
static u64 mlx5x_hw_host_room(u64 pa, u32 log)
{
	return (1ULL << log) - (pa & ((1ULL << log) - 1));
}

u64 mlx5x_hw_cursor_peek(struct mlx5x_hw_cursor *c, u32 log_host_page,
			 u64 max, u64 *pa, u8 **kp)
{
	const struct mlx5x_hw_seg *s;
	u64 n, o, psize, in_page, room;

	if (c->i >= c->nseg)
		return 0;
	s = &c->seg[c->i];
	n = s->len - c->pos;
	if (n > max)
		n = max;
	if (s->phys) {
		/* off + pos < off + len, which does not wrap (MKey check) */
		*pa = s->off + c->pos;
		room = mlx5x_hw_host_room(*pa, log_host_page);
		return n < room ? n : room;
	}
	if (!s->pas) {
		*kp = s->kbuf + c->pos;
		return n;
	}
	o = s->off + c->pos;
	psize = 1ULL << s->log_page_size;
	in_page = o & (psize - 1);
	*pa = s->pas[o >> s->log_page_size] + in_page;
	room = psize - in_page;
	if (room > mlx5x_hw_host_room(*pa, log_host_page))
		room = mlx5x_hw_host_room(*pa, log_host_page);
	return n < room ? n : room;
}

void mlx5x_hw_cursor_advance(struct mlx5x_hw_cursor *c, u64 n)
{
	c->pos += n;
	while (c->i < c->nseg && c->pos >= c->seg[c->i].len) {
		c->pos = 0;
		c->i++;
	}
}

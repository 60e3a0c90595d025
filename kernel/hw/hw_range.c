// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * MKey ranges and page walks: the arithmetic behind every byte the engine
 * moves. An MKey maps IOVA [start_addr, start_addr + len) onto its PAS,
 * starting page_offset bytes into the first page; a ring maps its offsets
 * the same way. The engine copies through a cursor over a list of such
 * segments, one piece at a time, each piece inside one PAS page and one
 * host page, so the kernel side needs only "this physical range, which is
 * inside one page". Pure code: every sum is overflow-checked.
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
	seg->pas = pas;
	seg->kbuf = NULL;
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

u64 mlx5x_hw_cursor_peek(struct mlx5x_hw_cursor *c, u32 log_host_page,
			 u64 max, u64 *pa, u8 **kp)
{
	const struct mlx5x_hw_seg *s;
	u64 n, o, psize, in_page, host, room;

	if (c->i >= c->nseg)
		return 0;
	s = &c->seg[c->i];
	n = s->len - c->pos;
	if (n > max)
		n = max;
	if (!s->pas) {
		*kp = s->kbuf + c->pos;
		return n;
	}
	o = s->off + c->pos;
	psize = 1ULL << s->log_page_size;
	in_page = o & (psize - 1);
	*pa = s->pas[o >> s->log_page_size] + in_page;
	room = psize - in_page;
	host = (1ULL << log_host_page) - (*pa & ((1ULL << log_host_page) - 1));
	if (room > host)
		room = host;
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

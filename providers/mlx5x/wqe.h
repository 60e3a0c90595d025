/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Send and receive WQE segment builders, one per segment of
 * <rdma/mlx5x_wqe.h>, so that the posting code reads like the layout:
 *
 *	ctrl | [raddr] | [atomic] | data... or inline
 *
 * A send WQE starts at a WQEBB and continues in ring order: its segments
 * are 16 bytes and the ring is whole WQEBBs, so a segment never straddles
 * the end of the ring, but the segments after the first WQEBB, and inline
 * data, may wrap to WQEBB 0. mlx5x_ring_seg() and the inline cursor do
 * the wrapping; everything else writes one 16-byte segment in place.
 *
 * No libibverbs dependency: the unit tests use these as they are.
 */
#ifndef MLX5X_WQE_BUILD_H
#define MLX5X_WQE_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <infiniband/verbs.h>
#include <rdma/mlx5x_wqe.h>

_Static_assert(sizeof(struct mlx5x_wqe_ctrl_seg) == MLX5X_WQE_SEG_SIZE, "ctrl");
_Static_assert(sizeof(struct mlx5x_wqe_raddr_seg) == MLX5X_WQE_SEG_SIZE, "raddr");
_Static_assert(sizeof(struct mlx5x_wqe_atomic_seg) == MLX5X_WQE_SEG_SIZE, "atomic");
_Static_assert(sizeof(struct mlx5x_wqe_data_seg) == MLX5X_WQE_SEG_SIZE, "data");
_Static_assert(sizeof(struct mlx5x_wqe_inline_seg) == 4, "inline header");

/* A ring of WQEBBs: [buf, buf + size), size a power of two. */
struct mlx5x_ring {
	uint8_t *buf;
	size_t size;			/* bytes */
};

/* The address bytes after p in ring order (bytes < size). */
static inline void *mlx5x_ring_seg(const struct mlx5x_ring *r, void *p,
				   size_t bytes)
{
	size_t off = ((uint8_t *)p - r->buf + bytes) & (r->size - 1);

	return r->buf + off;
}

/*
 * The control segment of WQE number wqe_index (its first WQEBB's producer
 * counter). Its size field is set once the WQE is complete.
 */
static inline void mlx5x_set_ctrl_seg(struct mlx5x_wqe_ctrl_seg *ctrl,
				      uint8_t opcode, uint8_t flags,
				      uint16_t wqe_index, uint32_t imm)
{
	ctrl->opcode = opcode;
	ctrl->flags = flags;
	ctrl->wqe_index = wqe_index;
	ctrl->qpn_ds = 0;
	ctrl->imm = imm;
	ctrl->rsvd = 0;
}

/* Seal the WQE: qpn and its size in 16-byte units, control included. */
static inline void mlx5x_set_ctrl_size(struct mlx5x_wqe_ctrl_seg *ctrl,
				       uint32_t qpn, uint32_t ds)
{
	ctrl->qpn_ds = qpn << 8 | (ds & 0xff);
}

static inline void mlx5x_set_raddr_seg(struct mlx5x_wqe_raddr_seg *seg,
				       uint64_t raddr, uint32_t rkey)
{
	seg->raddr = raddr;
	seg->rkey = rkey;
	seg->rsvd = 0;
}

static inline void mlx5x_set_atomic_seg(struct mlx5x_wqe_atomic_seg *seg,
					uint64_t swap_add, uint64_t compare)
{
	seg->swap_add = swap_add;
	seg->compare = compare;
}

static inline void mlx5x_set_data_seg(struct mlx5x_wqe_data_seg *seg,
				      uint32_t byte_count, uint32_t lkey,
				      uint64_t addr)
{
	seg->byte_count = byte_count;
	seg->lkey = lkey;
	seg->addr = addr;
}

/*
 * The data segments of a receive WQE (RQ or SRQ): the WR's non-empty
 * SGEs, then, if the WQE holds more than that (nsegs), an invalid-lkey
 * segment that ends the list.
 */
static inline void mlx5x_set_recv_segs(struct mlx5x_wqe_data_seg *seg,
				       uint32_t nsegs,
				       const struct ibv_sge *sg, int num_sge)
{
	uint32_t n = 0;
	int i;

	for (i = 0; i < num_sge; i++) {
		if (!sg[i].length)
			continue;
		mlx5x_set_data_seg(&seg[n++], sg[i].length, sg[i].lkey,
				   sg[i].addr);
	}
	if (n < nsegs)
		mlx5x_set_data_seg(&seg[n], 0, MLX5X_INVALID_LKEY, 0);
}

/*
 * An inline segment, written through a cursor: begin at seg (16-byte
 * aligned, inside the ring), copy any number of buffers, end. The header
 * comes first, then the bytes back to back, wrapping at the ring's end. The
 * caller checked that the total fits the WQE.
 */
struct mlx5x_inline_cursor {
	const struct mlx5x_ring *ring;
	struct mlx5x_wqe_inline_seg *hdr;
	uint8_t *p;			/* where the next byte goes */
	uint32_t total;
};

static inline void mlx5x_inline_begin(struct mlx5x_inline_cursor *c,
				      const struct mlx5x_ring *r, void *seg)
{
	c->ring = r;
	c->hdr = seg;
	c->p = (uint8_t *)seg + sizeof(*c->hdr);
	c->total = 0;
}

static inline void mlx5x_inline_copy(struct mlx5x_inline_cursor *c,
				     const void *addr, size_t length)
{
	uint8_t *end = c->ring->buf + c->ring->size;
	const uint8_t *src = addr;

	c->total += length;
	while (length) {
		size_t room = end - c->p;
		size_t chunk = room < length ? room : length;

		memcpy(c->p, src, chunk);
		src += chunk;
		length -= chunk;
		c->p += chunk;
		if (c->p == end)
			c->p = c->ring->buf;
	}
}

/*
 * Write the header; the segment's size in 16-byte units, 0 when there were
 * no bytes at all (then there is no segment: nothing was written).
 */
static inline uint32_t mlx5x_inline_end(struct mlx5x_inline_cursor *c)
{
	if (!c->total)
		return 0;
	c->hdr->byte_count = MLX5X_INLINE_SEG | c->total;
	return (sizeof(*c->hdr) + c->total + MLX5X_WQE_SEG_SIZE - 1) /
	       MLX5X_WQE_SEG_SIZE;
}

/* WQEBBs of a send WQE of ds 16-byte units. */
static inline uint32_t mlx5x_wqe_bbs(uint32_t ds)
{
	return (ds * MLX5X_WQE_SEG_SIZE + MLX5X_WQEBB_SIZE - 1) /
	       MLX5X_WQEBB_SIZE;
}

#endif /* MLX5X_WQE_BUILD_H */

/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * CQE ownership, mlx5 style.
 *
 * A CQ is a ring of cqe_cnt (a power of two) CQEs of MLX5X_CQE_SIZE bytes.
 * Bit 0 of the last byte of each CQE is its owner bit. The device writes
 * a CQE with its owner bit last, set to the parity of the device's pass over
 * the ring: 0 while its producer index runs 0 .. cqe_cnt - 1, 1 on the next
 * pass, and so on. Software owns the CQE at consumer index ci when
 *
 *	owner bit == (ci >> log2(cqe_cnt)) & 1
 *
 * and must issue a read barrier after seeing that before reading the rest of
 * the CQE. A new ring has every owner bit set, so that on the first pass
 * (where software looks for 0) every CQE is hardware owned: the ring is empty.
 *
 * The layout (struct mlx5x_cqe) and this convention are the device's
 * contract, <rdma/mlx5x_wqe.h>.
 */
#ifndef MLX5X_CQE_H
#define MLX5X_CQE_H

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>
#include <string.h>

#include <rdma/mlx5x-abi.h>
#include <rdma/mlx5x_wqe.h>

#include "barrier.h"

#define MLX5X_CQE_OWNER_BYTE	(MLX5X_CQE_SIZE - 1)
#define MLX5X_CQE_OWNER_MASK	0x1
/* Owner bit of a CQE the device has not written yet. */
#define MLX5X_CQE_OWNER_INIT	0x1

_Static_assert(sizeof(struct mlx5x_cqe) == MLX5X_CQE_SIZE, "CQE size");
_Static_assert(offsetof(struct mlx5x_cqe, owner) == MLX5X_CQE_OWNER_BYTE,
	       "the owner byte ends the CQE");

static inline uint8_t *mlx5x_get_cqe(void *ring, uint32_t cqe_cnt,
				     uint32_t index)
{
	return (uint8_t *)ring + (size_t)(index & (cqe_cnt - 1)) *
				 MLX5X_CQE_SIZE;
}

/*
 * Make a ring empty for a consumer at index ci: every slot hardware owned
 * for the index in [ci, ci + cqe_cnt) that maps to it. A new ring starts at
 * ci 0 (every owner bit MLX5X_CQE_OWNER_INIT); a resized one at the CQ's
 * consumer index.
 */
static inline void mlx5x_cq_ring_init(void *ring, uint32_t log_cqe_cnt,
				      uint32_t ci)
{
	uint32_t cnt = UINT32_C(1) << log_cqe_cnt, i;

	for (i = ci; i != ci + cnt; i++)
		mlx5x_get_cqe(ring, cnt, i)[MLX5X_CQE_OWNER_BYTE] =
			((i >> log_cqe_cnt) & 1) ^ MLX5X_CQE_OWNER_MASK;
}

/* Whether the CQE at consumer index ci belongs to software. */
static inline bool mlx5x_cqe_sw_owned(void *ring, uint32_t log_cqe_cnt,
				      uint32_t ci)
{
	const uint8_t *cqe =
		mlx5x_get_cqe(ring, UINT32_C(1) << log_cqe_cnt, ci);
	uint8_t owner = mlx5x_load_u8(&cqe[MLX5X_CQE_OWNER_BYTE]) &
			MLX5X_CQE_OWNER_MASK;

	return owner == ((ci >> log_cqe_cnt) & 1);
}

/*
 * Copy the CQEs [from, to) of ring src into ring dst at the same indices,
 * each with the owner bit that makes it software owned in dst. The caller
 * made dst empty at `from` (mlx5x_cq_ring_init) and checked that
 * to - from fits in dst. Body first, owner byte last.
 */
static inline void mlx5x_cq_ring_move(void *dst, uint32_t dst_log,
				      void *src, uint32_t src_log,
				      uint32_t from, uint32_t to)
{
	uint32_t dst_cnt = UINT32_C(1) << dst_log;
	uint32_t src_cnt = UINT32_C(1) << src_log;
	uint32_t i;

	for (i = from; i != to; i++) {
		uint8_t *d = mlx5x_get_cqe(dst, dst_cnt, i);
		const uint8_t *s = mlx5x_get_cqe(src, src_cnt, i);

		memcpy(d, s, MLX5X_CQE_OWNER_BYTE);
		d[MLX5X_CQE_OWNER_BYTE] =
			(s[MLX5X_CQE_OWNER_BYTE] & ~MLX5X_CQE_OWNER_MASK) |
			((i >> dst_log) & 1);
	}
}


/*
 * The ARM word of the CQ dbrec: arm_sn << 28 | cmd << 24 | ci, cmd NEXT or
 * SOLICITED. The device fires one event per arm_sn it sees armed.
 */
static inline uint32_t mlx5x_cq_arm_word(uint32_t arm_sn, bool solicited,
					 uint32_t ci)
{
	uint32_t cmd = solicited ? MLX5X_CQ_ARM_SOLICITED : MLX5X_CQ_ARM_NEXT;

	return (arm_sn & MLX5X_CQ_ARM_SN_MASK) << MLX5X_CQ_ARM_SN_SHIFT |
	       cmd << MLX5X_CQ_ARM_CMD_SHIFT | (ci & MLX5X_CQ_CI_MASK);
}

#endif /* MLX5X_CQE_H */

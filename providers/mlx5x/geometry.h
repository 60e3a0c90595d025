/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * Queue geometry: how many CQEs and WQE basic blocks a CQ or QP gets for
 * what the application asked, and what the QP then really holds.
 *
 * Plain C with no libibverbs dependency, so that tests/unit links it
 * directly. Functions return 0 or a positive errno value.
 *
 * Send queue. The SQ is a ring of 64-byte basic blocks (WQEBBs). Every send
 * WQE is sized for the largest one the QP may be asked to post:
 *
 *	control segment        16 B
 *	remote address segment 16 B   (RDMA read/write, atomics)
 *	atomic segment         16 B   (compare-and-swap / fetch-and-add)
 *	descriptors            max(16 B * max_send_sge,
 *	                           ALIGN(4 B header + max_inline_data, 16))
 *	                       (no inline header when max_inline_data is 0)
 *
 * rounded up to whole WQEBBs. sq_wqe_cnt, the number of WQEBBs in the ring,
 * is roundup_pow_of_two(max(max_send_wr, 1) * WQEBBs per WQE): the SQ is
 * never empty (the driver takes sq_wqe_cnt as a power of two, 0 is not one,
 * and an RC QP without a send queue is of no use). What the QP reports
 * back is what fits: max_send_wr = sq_wqe_cnt / WQEBBs per WQE, and as many
 * SGEs and inline bytes as the descriptor space holds, capped at the
 * device's limits.
 *
 * Receive queue. rq_wqe_cnt = roundup_pow_of_two(max_recv_wr) WQEs of
 * 1 << rq_wqe_shift bytes, the stride being roundup_pow_of_two of
 * 16 B * max_recv_sge, at least 16 B. It holds stride / 16 SGEs.
 *
 * An RQ smaller than one WQEBB (64 B) gets more WQEs until it is 64 B, so
 * that the SQ, which starts right after the RQ, has its WQEBBs 64-byte
 * aligned: in a page-aligned buffer no WQEBB then crosses a page.
 *
 * Buffer. One buffer holds the RQ at offset 0 and the SQ right after it.
 * An RQ asked for no entries (max_recv_wr == 0) gets rq_wqe_cnt 0.
 *
 * Completion queue. cqe_cnt = roundup_pow_of_two(cqe), at least 2, CQEs of
 * MLX5X_CQE_SIZE bytes.
 */
#ifndef MLX5X_GEOMETRY_H
#define MLX5X_GEOMETRY_H

#include <stdint.h>

#include <rdma/mlx5x-abi.h>

/* Send WQE segment sizes the geometry reserves room for. */
#define MLX5X_WQE_CTRL_SEG_SIZE		16
#define MLX5X_WQE_RADDR_SEG_SIZE	16
#define MLX5X_WQE_ATOMIC_SEG_SIZE	16
#define MLX5X_WQE_DATA_SEG_SIZE		16
#define MLX5X_WQE_INLINE_HDR_SIZE	4
/* WQEs are built of 16-byte units ("DS"). */
#define MLX5X_WQE_DS_SIZE		16
#define MLX5X_SEND_WQE_FIXED_SIZE	(MLX5X_WQE_CTRL_SEG_SIZE +	\
					 MLX5X_WQE_RADDR_SEG_SIZE +	\
					 MLX5X_WQE_ATOMIC_SEG_SIZE)
#define MLX5X_RECV_WQE_SEG_SIZE		MLX5X_WQE_DATA_SEG_SIZE

/* What a QP is asked to hold, or holds (the ibv_qp_cap fields). */
struct mlx5x_qp_cap {
	uint32_t max_send_wr;
	uint32_t max_recv_wr;
	uint32_t max_send_sge;
	uint32_t max_recv_sge;
	uint32_t max_inline_data;
};

/* The device's limits, from struct mlx5x_alloc_ucontext_resp. */
struct mlx5x_qp_limits {
	uint32_t max_send_wqebb;	/* WQEBBs per SQ */
	uint32_t max_recv_wr;		/* WQEs per RQ */
	uint32_t max_send_sge;
	uint32_t max_recv_sge;
	uint32_t max_inline_data;
};

struct mlx5x_qp_geom {
	uint32_t sq_wqe_cnt;		/* WQEBBs in the SQ: a power of 2 */
	uint32_t sq_wqebb_per_wqe;	/* WQEBBs of the largest send WQE */
	uint32_t rq_wqe_cnt;		/* WQEs in the RQ: 0 or a power of 2 */
	uint32_t rq_wqe_shift;		/* log2 of the receive WQE stride */
	uint64_t rq_offset;		/* always 0 */
	uint64_t sq_offset;		/* = RQ bytes */
	uint64_t buf_size;		/* RQ bytes + SQ bytes */
	struct mlx5x_qp_cap cap;	/* what the QP really holds */
};

struct mlx5x_cq_geom {
	uint32_t cqe_cnt;		/* power of 2, >= 2 */
	uint32_t log_cqe_cnt;
	uint64_t buf_size;		/* cqe_cnt * MLX5X_CQE_SIZE */
};

/* Smallest power of two >= v (1 for v == 0; 0 for v > 2^63). */
uint64_t mlx5x_roundup_pow2(uint64_t v);
/* floor(log2(v)) for v > 0. */
unsigned int mlx5x_ilog2(uint64_t v);
/* v rounded up to a multiple of align, a power of two. */
uint64_t mlx5x_align(uint64_t v, uint64_t align);

/* Bytes of the largest send WQE for these SGE / inline needs (unrounded). */
uint64_t mlx5x_send_wqe_size(uint32_t max_send_sge, uint32_t max_inline_data);

/*
 * Fill geom for the capabilities asked in req. EINVAL when req exceeds lim,
 * or the rings it needs would exceed lim.
 */
int mlx5x_qp_geometry(const struct mlx5x_qp_cap *req,
		      const struct mlx5x_qp_limits *lim,
		      struct mlx5x_qp_geom *geom);

/* Fill geom for a CQ of at least cqe entries. EINVAL for cqe < 1 or too big. */
int mlx5x_cq_geometry(int cqe, uint32_t max_cqe, struct mlx5x_cq_geom *geom);

#endif /* MLX5X_GEOMETRY_H */

// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Queue geometry; the rules are described in geometry.h.
 */
#include <errno.h>

#include "geometry.h"

uint64_t mlx5x_roundup_pow2(uint64_t v)
{
	uint64_t p = 1;

	if (v > (UINT64_C(1) << 63))
		return 0;	/* no such power of two */
	while (p < v)
		p <<= 1;
	return p;
}

unsigned int mlx5x_ilog2(uint64_t v)
{
	unsigned int l = 0;

	while (v >>= 1)
		l++;
	return l;
}

uint64_t mlx5x_align(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

uint64_t mlx5x_send_wqe_size(uint32_t max_send_sge, uint32_t max_inline_data)
{
	uint64_t sge_bytes = (uint64_t)max_send_sge * MLX5X_WQE_DATA_SEG_SIZE;
	uint64_t inline_bytes = 0;

	if (max_inline_data)
		inline_bytes = mlx5x_align((uint64_t)MLX5X_WQE_INLINE_HDR_SIZE +
					   max_inline_data, MLX5X_WQE_DS_SIZE);

	return MLX5X_SEND_WQE_FIXED_SIZE + max_u64(sge_bytes, inline_bytes);
}

static int sq_geometry(const struct mlx5x_qp_cap *req,
		       const struct mlx5x_qp_limits *lim,
		       struct mlx5x_qp_geom *geom)
{
	uint64_t wqe_size, desc_size, wqebbs;

	wqe_size = mlx5x_send_wqe_size(req->max_send_sge, req->max_inline_data);
	geom->sq_wqebb_per_wqe = (wqe_size + MLX5X_SEND_WQE_BB - 1) /
				 MLX5X_SEND_WQE_BB;

	/* An RC QP always has a send queue: at least one WQE. */
	wqebbs = mlx5x_roundup_pow2((uint64_t)max_u64(req->max_send_wr, 1) *
				    geom->sq_wqebb_per_wqe);
	if (wqebbs > lim->max_send_wqebb)
		return EINVAL;
	geom->sq_wqe_cnt = wqebbs;

	/* Report what the WQE size really holds, within the device's limits. */
	desc_size = (uint64_t)geom->sq_wqebb_per_wqe * MLX5X_SEND_WQE_BB -
		    MLX5X_SEND_WQE_FIXED_SIZE;
	geom->cap.max_send_wr = geom->sq_wqe_cnt / geom->sq_wqebb_per_wqe;
	geom->cap.max_send_sge = min_u64(desc_size / MLX5X_WQE_DATA_SEG_SIZE,
					 lim->max_send_sge);
	geom->cap.max_inline_data =
		min_u64(desc_size - MLX5X_WQE_INLINE_HDR_SIZE,
			lim->max_inline_data);
	return 0;
}

static int rq_geometry(const struct mlx5x_qp_cap *req,
		       const struct mlx5x_qp_limits *lim,
		       struct mlx5x_qp_geom *geom)
{
	uint64_t stride, cnt;

	stride = mlx5x_roundup_pow2(
		max_u64((uint64_t)req->max_recv_sge * MLX5X_RECV_WQE_SEG_SIZE,
			MLX5X_RECV_WQE_MIN_STRIDE));
	geom->rq_wqe_shift = mlx5x_ilog2(stride);

	geom->rq_wqe_cnt = 0;
	if (req->max_recv_wr) {
		cnt = mlx5x_roundup_pow2(req->max_recv_wr);
		/* Keep the SQ that follows 64-byte aligned. */
		if (cnt * stride < MLX5X_SEND_WQE_BB)
			cnt = MLX5X_SEND_WQE_BB / stride;
		if (cnt > lim->max_recv_wr)
			return EINVAL;
		geom->rq_wqe_cnt = cnt;
	}

	geom->cap.max_recv_wr = geom->rq_wqe_cnt;
	geom->cap.max_recv_sge = min_u64(stride / MLX5X_RECV_WQE_SEG_SIZE,
					 lim->max_recv_sge);
	return 0;
}

int mlx5x_qp_geometry(const struct mlx5x_qp_cap *req,
		      const struct mlx5x_qp_limits *lim,
		      struct mlx5x_qp_geom *geom)
{
	uint64_t rq_bytes, sq_bytes;
	int ret;

	if (req->max_send_sge > lim->max_send_sge ||
	    req->max_recv_sge > lim->max_recv_sge ||
	    req->max_inline_data > lim->max_inline_data ||
	    req->max_recv_wr > lim->max_recv_wr)
		return EINVAL;

	ret = sq_geometry(req, lim, geom);
	if (ret)
		return ret;
	ret = rq_geometry(req, lim, geom);
	if (ret)
		return ret;

	rq_bytes = (uint64_t)geom->rq_wqe_cnt << geom->rq_wqe_shift;
	sq_bytes = (uint64_t)geom->sq_wqe_cnt * MLX5X_SEND_WQE_BB;
	geom->rq_offset = 0;
	geom->sq_offset = rq_bytes;
	geom->buf_size = rq_bytes + sq_bytes;
	return 0;
}

int mlx5x_cq_geometry(int cqe, uint32_t max_cqe, struct mlx5x_cq_geom *geom)
{
	uint64_t cnt;

	if (cqe < 1)
		return EINVAL;

	cnt = mlx5x_roundup_pow2(max_u64(cqe, 2));
	if (cnt > max_cqe)
		return EINVAL;

	geom->cqe_cnt = cnt;
	geom->log_cqe_cnt = mlx5x_ilog2(cnt);
	geom->buf_size = cnt * MLX5X_CQE_SIZE;
	return 0;
}

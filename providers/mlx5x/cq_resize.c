// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * ibv_resize_cq: a CQ moves to a new ring with its unpolled completions.
 *
 * The device may be writing CQEs while the CQ is resized. The protocol:
 *
 *   1. Under the CQ lock (no poll, arm or clean runs meanwhile, so the CI
 *      dbrec equals cons_index), allocate the new ring and make it empty
 *      for a consumer at cons_index (cqe.h: each slot hardware owned for
 *      the index in [ci, ci + new count) that maps to it).
 *   2. RESIZE_CQ (kernel cq.c, device hw_cq.c). The device swaps rings
 *      under the lock it writes every CQE with and answers switch_pc, its
 *      producer index at the swap: CQEs [ci, switch_pc) are in the old
 *      ring, later ones go to the new ring at their own index. It refuses
 *      (EINVAL) when switch_pc - ci exceeds the new count.
 *   3. Move [ci, switch_pc) to the same indices of the new ring with the
 *      new ring's owner parity. The device writes only at switch_pc and
 *      beyond, never over them: its room check reads the same CI dbrec.
 *   4. Swap the rings in the CQ, free the old one (the kernel unpinned it).
 *
 * Unlike mlx5 there is no resize CQE in the old ring: the switch point
 * comes back in the command's response, so a full old ring can be resized
 * too. A failed command leaves the CQ as it was.
 */
#include <errno.h>

#include "mlx5x.h"
#include "cqe.h"

int mlx5x_resize_cq(struct ibv_cq *ibcq, int cqe)
{
	struct mlx5x_context *ctx = to_mctx(ibcq->context);
	struct mlx5x_resize_cq_cmd_resp resp = {};
	struct mlx5x_resize_cq_cmd cmd = {};
	struct mlx5x_cq *cq = to_mcq(ibcq);
	struct mlx5x_cq_geom geom;
	struct mlx5x_buf buf;
	uint32_t pc, n;
	int ret;

	ret = mlx5x_cq_geometry(cqe, ctx->max_cqe, &geom);
	if (ret)
		return ret;

	pthread_spin_lock(&cq->lock);
	if (geom.cqe_cnt == cq->cqe_cnt) {
		ret = 0;
		goto out;
	}
	ret = mlx5x_alloc_buf(&buf, geom.buf_size, ctx->page_size);
	if (ret)
		goto out;
	mlx5x_cq_ring_init(buf.buf, geom.log_cqe_cnt, cq->cons_index);

	cmd.drv.buf_addr = (uintptr_t)buf.buf;
	cmd.drv.cqe_size = MLX5X_CQE_SIZE;
	ret = ibv_cmd_resize_cq(ibcq, geom.cqe_cnt, &cmd.ibv_cmd, sizeof(cmd),
				&resp.ibv_resp, sizeof(resp));
	if (ret) {
		mlx5x_dbg(&ctx->ibv_ctx, "RESIZE_CQ 0x%x to %u CQEs: %d\n",
			  cq->cqn, geom.cqe_cnt, ret);
		mlx5x_free_buf(&buf);
		goto out;
	}

	/* switch_pc is 24 bits, like the CI dbrec; cons_index runs on. */
	n = (resp.drv.switch_pc - cq->cons_index) & MLX5X_CQ_CI_MASK;
	pc = cq->cons_index + n;
	if (n > cq->cqe_cnt || n > geom.cqe_cnt)
		/* The device broke its promise; report what fits. */
		mlx5x_err(&ctx->ibv_ctx, "CQ 0x%x: switch at %u, ci %u\n",
			  cq->cqn, resp.drv.switch_pc, cq->cons_index);
	else
		mlx5x_cq_ring_move(buf.buf, geom.log_cqe_cnt, cq->buf.buf,
				   cq->log_cqe_cnt, cq->cons_index, pc);

	mlx5x_free_buf(&cq->buf);
	cq->buf = buf;
	cq->cqe_cnt = geom.cqe_cnt;
	cq->log_cqe_cnt = geom.log_cqe_cnt;
	ibcq->cqe = geom.cqe_cnt;
out:
	pthread_spin_unlock(&cq->lock);
	return ret;
}

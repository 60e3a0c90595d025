// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Completion queues.
 *
 * The provider owns the CQ's memory: a ring of cqe_cnt CQEs (a power of two,
 * geometry.h) in a page-aligned buffer, every CQE hardware owned (cqe.h), and
 * an 8-byte doorbell record from the context's pool (dbrec.h), word 0 the
 * consumer index and word 1 the arm sequence. CREATE_CQ hands both addresses
 * to the kernel, which pins them and gives them to the device; the response
 * names the CQ (cqn). Polling and arming come with the data path; until then
 * poll_cq fails with EOPNOTSUPP (libibverbs' default would return the
 * positive EOPNOTSUPP, which callers read as a count of completions) and
 * libibverbs' default answers req_notify_cq.
 *
 *	ibv_create_cq ──► mlx5x_create_cq: geometry, ring, dbrec, CREATE_CQ
 *	ibv_destroy_cq ─► mlx5x_destroy_cq: DESTROY_CQ, then free ring, dbrec
 */
#include <errno.h>
#include <stdlib.h>

#include "mlx5x.h"
#include "cqe.h"

struct ibv_cq *mlx5x_create_cq(struct ibv_context *context, int cqe,
			       struct ibv_comp_channel *channel,
			       int comp_vector)
{
	struct mlx5x_context *ctx = to_mctx(context);
	struct mlx5x_create_cq_cmd_resp resp = {};
	struct mlx5x_create_cq_cmd cmd = {};
	struct mlx5x_cq_geom geom;
	struct mlx5x_cq *cq;
	int ret;

	ret = mlx5x_cq_geometry(cqe, ctx->max_cqe, &geom);
	if (ret) {
		mlx5x_dbg(&ctx->ibv_ctx, "cqe %d (device max %u)\n", cqe,
			  ctx->max_cqe);
		errno = ret;
		return NULL;
	}

	cq = calloc(1, sizeof(*cq));
	if (!cq)
		return NULL;

	ret = mlx5x_alloc_buf(&cq->buf, geom.buf_size, ctx->page_size);
	if (ret)
		goto err_free_cq;
	mlx5x_cq_ring_init(cq->buf.buf, geom.cqe_cnt);
	cq->cqe_cnt = geom.cqe_cnt;
	cq->log_cqe_cnt = geom.log_cqe_cnt;

	cq->dbrec = mlx5x_alloc_dbrec(&ctx->dbrec_pool);
	if (!cq->dbrec) {
		ret = errno;
		goto err_free_buf;
	}

	cmd.drv.buf_addr = (uintptr_t)cq->buf.buf;
	cmd.drv.db_addr = (uintptr_t)cq->dbrec;
	cmd.drv.cqe_size = MLX5X_CQE_SIZE;

	ret = ibv_cmd_create_cq(context, geom.cqe_cnt, channel, comp_vector,
				&cq->verbs_cq.cq, &cmd.ibv_cmd, sizeof(cmd),
				&resp.ibv_resp, sizeof(resp));
	if (ret) {
		mlx5x_dbg(&ctx->ibv_ctx, "CREATE_CQ of %u CQEs: %d\n",
			  geom.cqe_cnt, ret);
		goto err_free_dbrec;
	}

	cq->cqn = resp.drv.cqn;
	/* The ring size is the provider's, whatever the kernel echoed. */
	if (cq->verbs_cq.cq.cqe != (int)geom.cqe_cnt)
		mlx5x_dbg(&ctx->ibv_ctx, "kernel says %d CQEs, ring has %u\n",
			  cq->verbs_cq.cq.cqe, geom.cqe_cnt);
	cq->verbs_cq.cq.cqe = geom.cqe_cnt;
	return &cq->verbs_cq.cq;

err_free_dbrec:
	mlx5x_free_dbrec(&ctx->dbrec_pool, cq->dbrec);
err_free_buf:
	mlx5x_free_buf(&cq->buf);
err_free_cq:
	free(cq);
	errno = ret;
	return NULL;
}

int mlx5x_destroy_cq(struct ibv_cq *ibcq)
{
	struct mlx5x_context *ctx = to_mctx(ibcq->context);
	struct mlx5x_cq *cq = to_mcq(ibcq);
	int ret;

	ret = ibv_cmd_destroy_cq(ibcq);
	if (ret)
		return ret;

	mlx5x_free_dbrec(&ctx->dbrec_pool, cq->dbrec);
	mlx5x_free_buf(&cq->buf);
	free(cq);
	return 0;
}

/* Until the data path lands: a negative return, as ibv_poll_cq() specifies. */
int mlx5x_poll_cq_unsupported(struct ibv_cq *cq, int num_entries,
			      struct ibv_wc *wc)
{
	errno = EOPNOTSUPP;
	return -EOPNOTSUPP;
}

// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Queue pairs (RC only for now; no SRQ).
 *
 * The provider owns the QP's memory, as mlx5 does: one page-aligned buffer
 * holding the receive queue at offset 0 and the send queue right after it,
 * sized by mlx5x_qp_geometry() (geometry.h has the rules), and an 8-byte
 * doorbell record from the context's pool whose words are the receive and
 * send counters (MLX5X_QP_DBREC_RCV / _SND). CREATE_QP passes the buffer,
 * the record and the ring geometry in struct mlx5x_create_qp; the kernel
 * pins them and answers with the QPN.
 *
 * The capabilities sent in the core command, and reported back to the
 * application, are what the rings really hold (never less than asked):
 * libmlx5 reports the same way. Requests beyond the device's limits from
 * ALLOC_UCONTEXT fail with EINVAL.
 *
 *	ibv_create_qp(_ex) ──► mlx5x_create_qp(_ex): geometry, buffer, dbrec,
 *	                       CREATE_QP
 *	ibv_modify_qp ───────► mlx5x_modify_qp: MODIFY_QP; on RESET, rewind the
 *	                       doorbell record
 *	ibv_query_qp ────────► mlx5x_query_qp: QUERY_QP, caps from the geometry
 *	ibv_destroy_qp ──────► mlx5x_destroy_qp: DESTROY_QP, free buffer, dbrec
 *
 * The QP state machine itself lives in the kernel; post_send/post_recv come
 * with the data path.
 */
#include <errno.h>
#include <stdlib.h>

#include "mlx5x.h"

static void to_mlx5x_cap(struct mlx5x_qp_cap *cap,
			 const struct ibv_qp_cap *icap)
{
	cap->max_send_wr = icap->max_send_wr;
	cap->max_recv_wr = icap->max_recv_wr;
	cap->max_send_sge = icap->max_send_sge;
	cap->max_recv_sge = icap->max_recv_sge;
	cap->max_inline_data = icap->max_inline_data;
}

static void to_ibv_cap(struct ibv_qp_cap *icap,
		       const struct mlx5x_qp_cap *cap)
{
	icap->max_send_wr = cap->max_send_wr;
	icap->max_recv_wr = cap->max_recv_wr;
	icap->max_send_sge = cap->max_send_sge;
	icap->max_recv_sge = cap->max_recv_sge;
	icap->max_inline_data = cap->max_inline_data;
}

static int check_qp_attr(struct mlx5x_context *ctx,
			 const struct ibv_qp_init_attr_ex *attr)
{
	if (attr->comp_mask & ~IBV_QP_INIT_ATTR_PD) {
		mlx5x_dbg(&ctx->ibv_ctx, "comp_mask 0x%x not supported\n",
			  attr->comp_mask);
		return EOPNOTSUPP;
	}
	if (!(attr->comp_mask & IBV_QP_INIT_ATTR_PD) || !attr->pd)
		return EINVAL;
	if (attr->qp_type != IBV_QPT_RC) {
		mlx5x_dbg(&ctx->ibv_ctx, "QP type %d not supported\n",
			  attr->qp_type);
		return EOPNOTSUPP;
	}
	if (attr->srq) {
		mlx5x_dbg(&ctx->ibv_ctx, "SRQ not supported\n");
		return EOPNOTSUPP;
	}
	if (!attr->send_cq || !attr->recv_cq)
		return EINVAL;
	return 0;
}

static struct ibv_qp *create_qp(struct ibv_context *context,
				struct ibv_qp_init_attr_ex *attr)
{
	struct mlx5x_context *ctx = to_mctx(context);
	struct mlx5x_create_qp_cmd_resp resp = {};
	struct mlx5x_create_qp_cmd cmd = {};
	struct ibv_qp_cap asked = attr->cap;
	struct mlx5x_qp_cap req;
	struct mlx5x_qp *qp;
	int ret;

	ret = check_qp_attr(ctx, attr);
	if (ret) {
		errno = ret;
		return NULL;
	}

	qp = calloc(1, sizeof(*qp));
	if (!qp)
		return NULL;

	to_mlx5x_cap(&req, &attr->cap);
	ret = mlx5x_qp_geometry(&req, &ctx->qp_limits, &qp->geom);
	if (ret) {
		mlx5x_dbg(&ctx->ibv_ctx,
			  "caps beyond the device: send_wr %u recv_wr %u send_sge %u recv_sge %u inline %u\n",
			  req.max_send_wr, req.max_recv_wr, req.max_send_sge,
			  req.max_recv_sge, req.max_inline_data);
		goto err_free_qp;
	}

	ret = mlx5x_alloc_buf(&qp->buf, qp->geom.buf_size, ctx->page_size);
	if (ret)
		goto err_free_qp;

	qp->dbrec = mlx5x_alloc_dbrec(&ctx->dbrec_pool);
	if (!qp->dbrec) {
		ret = errno;
		goto err_free_buf;
	}

	cmd.drv.buf_addr = (uintptr_t)qp->buf.buf;
	cmd.drv.db_addr = (uintptr_t)qp->dbrec;
	cmd.drv.sq_wqe_cnt = qp->geom.sq_wqe_cnt;
	cmd.drv.rq_wqe_cnt = qp->geom.rq_wqe_cnt;
	cmd.drv.rq_wqe_shift = qp->geom.rq_wqe_shift;

	to_ibv_cap(&attr->cap, &qp->geom.cap);
	ret = ibv_cmd_create_qp_ex(context, &qp->verbs_qp, attr, &cmd.ibv_cmd,
				   sizeof(cmd), &resp.ibv_resp, sizeof(resp));
	if (ret) {
		mlx5x_dbg(&ctx->ibv_ctx, "CREATE_QP: %d\n", ret);
		attr->cap = asked;
		goto err_free_dbrec;
	}

	qp->qpn = resp.drv.qpn;
	/* Whatever the kernel echoed, the rings hold what geometry says. */
	to_ibv_cap(&attr->cap, &qp->geom.cap);
	return &qp->verbs_qp.qp;

err_free_dbrec:
	mlx5x_free_dbrec(&ctx->dbrec_pool, qp->dbrec);
err_free_buf:
	mlx5x_free_buf(&qp->buf);
err_free_qp:
	free(qp);
	errno = ret;
	return NULL;
}

struct ibv_qp *mlx5x_create_qp_ex(struct ibv_context *context,
				  struct ibv_qp_init_attr_ex *attr)
{
	return create_qp(context, attr);
}

struct ibv_qp *mlx5x_create_qp(struct ibv_pd *pd,
			       struct ibv_qp_init_attr *attr)
{
	struct ibv_qp_init_attr_ex attr_ex = {
		.qp_context = attr->qp_context,
		.send_cq = attr->send_cq,
		.recv_cq = attr->recv_cq,
		.srq = attr->srq,
		.cap = attr->cap,
		.qp_type = attr->qp_type,
		.sq_sig_all = attr->sq_sig_all,
		.comp_mask = IBV_QP_INIT_ATTR_PD,
		.pd = pd,
	};
	struct ibv_qp *qp;

	qp = create_qp(pd->context, &attr_ex);
	if (qp)
		attr->cap = attr_ex.cap;
	return qp;
}

int mlx5x_modify_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr,
		    int attr_mask)
{
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct ibv_modify_qp cmd = {};
	int ret;

	ret = ibv_cmd_modify_qp(ibqp, attr, attr_mask, &cmd, sizeof(cmd));
	if (ret)
		return ret;

	/*
	 * A QP back in RESET starts its rings over; the device no longer
	 * reads the record. (The data path adds its producer indices here.)
	 */
	if ((attr_mask & IBV_QP_STATE) && attr->qp_state == IBV_QPS_RESET) {
		qp->dbrec[MLX5X_QP_DBREC_RCV] = 0;
		qp->dbrec[MLX5X_QP_DBREC_SND] = 0;
	}
	return 0;
}

int mlx5x_query_qp(struct ibv_qp *ibqp, struct ibv_qp_attr *attr,
		   int attr_mask, struct ibv_qp_init_attr *init_attr)
{
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct ibv_query_qp cmd = {};
	int ret;

	ret = ibv_cmd_query_qp(ibqp, attr, attr_mask, init_attr, &cmd,
			       sizeof(cmd));
	if (ret)
		return ret;

	to_ibv_cap(&init_attr->cap, &qp->geom.cap);
	attr->cap = init_attr->cap;
	return 0;
}

int mlx5x_destroy_qp(struct ibv_qp *ibqp)
{
	struct mlx5x_context *ctx = to_mctx(ibqp->context);
	struct mlx5x_qp *qp = to_mqp(ibqp);
	int ret;

	ret = ibv_cmd_destroy_qp(ibqp);
	if (ret)
		return ret;

	mlx5x_free_dbrec(&ctx->dbrec_pool, qp->dbrec);
	mlx5x_free_buf(&qp->buf);
	free(qp);
	return 0;
}

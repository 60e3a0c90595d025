// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Queue pairs (RC, UC, UD). The three share one layout: a UD send WQE
 * has a 32-byte datagram segment where an RC one may have its remote
 * address and atomic segments, so the geometry is the same. A QP created
 * with an SRQ (RC or UD; UC on an SRQ is refused) has no receive ring: its
 * receive CQEs name SRQ slots (srq.c).
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
 * The QP state machine itself lives in the kernel (and in the device, which
 * moves a QP to ERR and flushes). The data path is sq.c, rq.c and wr.c; here
 * the rings' bookkeeping is set up, and the QPN table that poll_cq uses to
 * find a CQE's QP is kept. A QP back in RESET, or destroyed, has its CQEs
 * not yet polled removed from its CQs (mlx5x_cq_clean), as libmlx5 does, so
 * that no CQE points at a rewound or freed ring.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mlx5x.h"

/*
 * The ibv_wr_* opcodes an RC QP does (atomics and window work only if the
 * device does).
 */
#define MLX5X_SEND_OPS_FLAGS	(IBV_QP_EX_WITH_SEND |			\
				 IBV_QP_EX_WITH_SEND_WITH_IMM |		\
				 IBV_QP_EX_WITH_RDMA_WRITE |		\
				 IBV_QP_EX_WITH_RDMA_WRITE_WITH_IMM |	\
				 IBV_QP_EX_WITH_RDMA_READ)
#define MLX5X_SEND_OPS_ATOMIC	(IBV_QP_EX_WITH_ATOMIC_CMP_AND_SWP |	\
				 IBV_QP_EX_WITH_ATOMIC_FETCH_AND_ADD)
#define MLX5X_SEND_OPS_MW	(IBV_QP_EX_WITH_BIND_MW |		\
				 IBV_QP_EX_WITH_LOCAL_INV |		\
				 IBV_QP_EX_WITH_SEND_WITH_INV)
/* UC: no READ, no atomics; UD: sends only (IB spec). */
#define MLX5X_SEND_OPS_UC	(IBV_QP_EX_WITH_SEND |			\
				 IBV_QP_EX_WITH_SEND_WITH_IMM |		\
				 IBV_QP_EX_WITH_RDMA_WRITE |		\
				 IBV_QP_EX_WITH_RDMA_WRITE_WITH_IMM)
#define MLX5X_SEND_OPS_UD	(IBV_QP_EX_WITH_SEND |			\
				 IBV_QP_EX_WITH_SEND_WITH_IMM)

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
	uint64_t ops = MLX5X_SEND_OPS_FLAGS;

	if (attr->comp_mask & ~(IBV_QP_INIT_ATTR_PD |
				IBV_QP_INIT_ATTR_SEND_OPS_FLAGS)) {
		mlx5x_dbg(&ctx->ibv_ctx, "comp_mask 0x%x not supported\n",
			  attr->comp_mask);
		return EOPNOTSUPP;
	}
	if (!(attr->comp_mask & IBV_QP_INIT_ATTR_PD) || !attr->pd)
		return EINVAL;
	switch (attr->qp_type) {
	case IBV_QPT_RC:
		if (ctx->atomics)
			ops |= MLX5X_SEND_OPS_ATOMIC;
		if (ctx->mw)
			ops |= MLX5X_SEND_OPS_MW;
		break;
	case IBV_QPT_UC:
		ops = MLX5X_SEND_OPS_UC;
		break;
	case IBV_QPT_UD:
		ops = MLX5X_SEND_OPS_UD;
		break;
	default:
		mlx5x_dbg(&ctx->ibv_ctx, "QP type %d not supported\n",
			  attr->qp_type);
		return EOPNOTSUPP;
	}
	if (attr->srq && attr->qp_type == IBV_QPT_UC) {
		/* The kernel refuses it too (kernel/qp.c says why). */
		mlx5x_dbg(&ctx->ibv_ctx, "UC QP on an SRQ not supported\n");
		return EOPNOTSUPP;
	}
	if (!attr->send_cq || !attr->recv_cq)
		return EINVAL;
	if ((attr->comp_mask & IBV_QP_INIT_ATTR_SEND_OPS_FLAGS) &&
	    (attr->send_ops_flags & ~ops)) {
		mlx5x_dbg(&ctx->ibv_ctx, "send_ops_flags 0x%llx not supported\n",
			  (unsigned long long)attr->send_ops_flags);
		return EOPNOTSUPP;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * QPN table
 */

struct mlx5x_qp *mlx5x_find_qp(struct mlx5x_context *ctx, uint32_t qpn)
{
	struct mlx5x_qp **table;

	table = __atomic_load_n(&ctx->qp_table[(qpn >> MLX5X_QP_TABLE_SHIFT) &
					       MLX5X_QP_TABLE_MASK].table,
				__ATOMIC_ACQUIRE);
	if (!table)
		return NULL;
	return __atomic_load_n(&table[qpn & MLX5X_QP_TABLE_MASK],
			       __ATOMIC_ACQUIRE);
}

static int store_qp(struct mlx5x_context *ctx, struct mlx5x_qp *qp)
{
	struct mlx5x_qp_table_ent *ent =
		&ctx->qp_table[(qp->qpn >> MLX5X_QP_TABLE_SHIFT) &
			       MLX5X_QP_TABLE_MASK];
	int ret = 0;

	pthread_mutex_lock(&ctx->qp_table_mutex);
	if (!ent->table) {
		struct mlx5x_qp **table = calloc(MLX5X_QP_TABLE_SIZE,
						 sizeof(*table));

		if (!table) {
			ret = ENOMEM;
			goto out;
		}
		__atomic_store_n(&ent->table, table, __ATOMIC_RELEASE);
	}
	ent->refcnt++;
	__atomic_store_n(&ent->table[qp->qpn & MLX5X_QP_TABLE_MASK], qp,
			 __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&ctx->qp_table_mutex);
	return ret;
}

static void clear_qp(struct mlx5x_context *ctx, struct mlx5x_qp *qp)
{
	struct mlx5x_qp_table_ent *ent =
		&ctx->qp_table[(qp->qpn >> MLX5X_QP_TABLE_SHIFT) &
			       MLX5X_QP_TABLE_MASK];

	pthread_mutex_lock(&ctx->qp_table_mutex);
	__atomic_store_n(&ent->table[qp->qpn & MLX5X_QP_TABLE_MASK], NULL,
			 __ATOMIC_RELEASE);
	/*
	 * The second level stays: a poll_cq of another thread may be reading
	 * it. It is freed with the context.
	 */
	ent->refcnt--;
	pthread_mutex_unlock(&ctx->qp_table_mutex);
}

void mlx5x_qp_table_destroy(struct mlx5x_context *ctx)
{
	int i;

	for (i = 0; i < MLX5X_QP_TABLE_SIZE; i++)
		free(ctx->qp_table[i].table);
	pthread_mutex_destroy(&ctx->qp_table_mutex);
}

/* ---------------------------------------------------------------------
 * Ring bookkeeping
 */

static int init_wqs(struct mlx5x_context *ctx, struct mlx5x_qp *qp,
		    const struct ibv_qp_init_attr_ex *attr)
{
	struct mlx5x_sq *sq = &qp->sq;
	struct mlx5x_rq *rq = &qp->rq;
	uint32_t sq_cnt = qp->geom.sq_wqe_cnt, rq_cnt = qp->geom.rq_wqe_cnt;

	sq->buf = (uint8_t *)qp->buf.buf + qp->geom.sq_offset;
	sq->qend = sq->buf + (size_t)sq_cnt * MLX5X_WQEBB_SIZE;
	sq->wqe_cnt = sq_cnt;
	sq->max_post = qp->geom.cap.max_send_wr;
	sq->max_gs = qp->geom.cap.max_send_sge;
	sq->max_inline = qp->geom.cap.max_inline_data;
	sq->sig_all = attr->sq_sig_all;
	sq->wrid = calloc(sq_cnt, sizeof(*sq->wrid));
	sq->wqe_head = calloc(sq_cnt, sizeof(*sq->wqe_head));
	sq->wc_opcode = calloc(sq_cnt, sizeof(*sq->wc_opcode));

	rq->buf = (uint8_t *)qp->buf.buf + qp->geom.rq_offset;
	rq->wqe_cnt = rq_cnt;
	rq->wqe_shift = qp->geom.rq_wqe_shift;
	rq->max_gs = qp->geom.cap.max_recv_sge;
	rq->stride_segs = (1U << rq->wqe_shift) / MLX5X_RECV_WQE_SEG_SIZE;
	rq->wrid = calloc(rq_cnt ? rq_cnt : 1, sizeof(*rq->wrid));

	if (!sq->wrid || !sq->wqe_head || !sq->wc_opcode || !rq->wrid)
		return ENOMEM;
	if (pthread_spin_init(&sq->lock, PTHREAD_PROCESS_PRIVATE))
		return ENOMEM;
	if (pthread_spin_init(&rq->lock, PTHREAD_PROCESS_PRIVATE)) {
		pthread_spin_destroy(&sq->lock);
		return ENOMEM;
	}
	qp->qp_type = attr->qp_type;
	qp->atomics = ctx->atomics && attr->qp_type == IBV_QPT_RC;
	/* Windows, LOCAL_INV and SEND_WITH_INV: RC only (sq.c). */
	qp->mw = ctx->mw && attr->qp_type == IBV_QPT_RC;
	qp->uar = ctx->uar;
	return 0;
}

static void free_wqs(struct mlx5x_qp *qp)
{
	free(qp->sq.wrid);
	free(qp->sq.wqe_head);
	free(qp->sq.wc_opcode);
	free(qp->rq.wrid);
}

static void destroy_wq_locks(struct mlx5x_qp *qp)
{
	pthread_spin_destroy(&qp->sq.lock);
	pthread_spin_destroy(&qp->rq.lock);
}

/* Back to empty rings: the kernel rewound the device's counters. */
static void reset_wqs(struct mlx5x_qp *qp)
{
	pthread_spin_lock(&qp->sq.lock);
	qp->sq.cur_post = 0;
	qp->sq.head = 0;
	__atomic_store_n(&qp->sq.tail, 0, __ATOMIC_RELAXED);
	qp->dbrec[MLX5X_QP_DBREC_SND] = 0;
	pthread_spin_unlock(&qp->sq.lock);

	pthread_spin_lock(&qp->rq.lock);
	qp->rq.head = 0;
	__atomic_store_n(&qp->rq.tail, 0, __ATOMIC_RELAXED);
	qp->dbrec[MLX5X_QP_DBREC_RCV] = 0;
	__atomic_store_n(&qp->dev_error, false, __ATOMIC_RELAXED);
	pthread_spin_unlock(&qp->rq.lock);
}

static void clean_cqs(struct mlx5x_qp *qp)
{
	struct ibv_qp *ibqp = &qp->verbs_qp.qp;
	struct mlx5x_srq *srq = ibqp->srq ? to_msrq(ibqp->srq) : NULL;

	mlx5x_cq_clean(to_mcq(ibqp->send_cq), qp->qpn, srq);
	if (ibqp->recv_cq != ibqp->send_cq)
		mlx5x_cq_clean(to_mcq(ibqp->recv_cq), qp->qpn, srq);
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
	/* Receives come from the SRQ: no receive ring. */
	if (attr->srq) {
		req.max_recv_wr = 0;
		req.max_recv_sge = 0;
	}
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

	ret = init_wqs(ctx, qp, attr);
	if (ret)
		goto err_free_wqs;

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

	ret = store_qp(ctx, qp);
	if (ret) {
		ibv_cmd_destroy_qp(&qp->verbs_qp.qp);
		goto err_free_dbrec;
	}

	if (attr->comp_mask & IBV_QP_INIT_ATTR_SEND_OPS_FLAGS) {
		mlx5x_qp_init_wr_ops(qp);
		/* ibv_cmd_create_qp_ex() cleared comp_mask. */
		qp->verbs_qp.comp_mask |= VERBS_QP_EX;
	}
	return &qp->verbs_qp.qp;

err_free_dbrec:
	mlx5x_free_dbrec(&ctx->dbrec_pool, qp->dbrec);
err_free_buf:
	destroy_wq_locks(qp);
err_free_wqs:
	free_wqs(qp);
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
	 * reads the record, and its CQEs not yet polled go.
	 */
	if ((attr_mask & IBV_QP_STATE) && attr->qp_state == IBV_QPS_RESET) {
		clean_cqs(qp);
		reset_wqs(qp);
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

	clear_qp(ctx, qp);
	clean_cqs(qp);
	mlx5x_free_dbrec(&ctx->dbrec_pool, qp->dbrec);
	destroy_wq_locks(qp);
	free_wqs(qp);
	mlx5x_free_buf(&qp->buf);
	free(qp);
	return 0;
}

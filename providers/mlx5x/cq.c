// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Completion queues.
 *
 * The provider owns the CQ's memory: a ring of cqe_cnt CQEs (a power of two,
 * geometry.h) in a page-aligned buffer, every CQE hardware owned (cqe.h), and
 * an 8-byte doorbell record from the context's pool (dbrec.h), word 0 the
 * consumer index and word 1 the arm word. CREATE_CQ hands both addresses
 * to the kernel, which pins them and gives them to the device; the response
 * names the CQ (cqn).
 *
 *	ibv_create_cq ──► mlx5x_create_cq: geometry, ring, dbrec, CREATE_CQ
 *	ibv_create_cq_ex ► cq_ex.c, on the same mlx5x_cq_create()
 *	ibv_poll_cq ────► mlx5x_poll_cq: owner bit, read barrier, parse,
 *	                  free SQ/RQ room, CI dbrec (release)   no syscall
 *	ibv_start_poll .. ibv_end_poll: cq_ex.c, on the same mlx5x_cq_poll_one()
 *	ibv_resize_cq ──► cq_resize.c
 *	ibv_req_notify_cq ► mlx5x_req_notify_cq: ARM dbrec word  no syscall
 *	ibv_get_cq_event ─► (libibverbs reads the event) mlx5x_cq_event: arm_sn++
 *	ibv_destroy_cq ─► mlx5x_destroy_cq: DESTROY_CQ, then free ring, dbrec
 *
 * Polling (<rdma/mlx5x_wqe.h>): software owns the CQE at consumer index ci
 * when its owner bit is (ci >> log_cqe_cnt) & 1; only then, after a read
 * barrier, is the rest of the CQE read. The CQE names its QP by number
 * (the QPN table, qp.c) and its WQE by counter: a send CQE completes the
 * WQE whose first WQEBB is wqe_counter and every unsignaled one before it
 * (sq.tail moves past them), a receive CQE the receive WQE wqe_counter.
 * The CI dbrec is written once per poll_cq call, after the CQEs are read:
 * until then the device cannot reuse their slots.
 *
 * Locking: one spinlock per CQ, around polling, cleaning and arming.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mlx5x.h"
#include "barrier.h"
#include "cqe.h"

/* The CQ both ibv_create_cq and ibv_create_cq_ex return; NULL + errno. */
struct mlx5x_cq *mlx5x_cq_create(struct ibv_context *context, int cqe,
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
	ret = pthread_spin_init(&cq->lock, PTHREAD_PROCESS_PRIVATE);
	if (ret) {
		free(cq);
		errno = ret;
		return NULL;
	}

	ret = mlx5x_alloc_buf(&cq->buf, geom.buf_size, ctx->page_size);
	if (ret)
		goto err_free_cq;
	mlx5x_cq_ring_init(cq->buf.buf, geom.log_cqe_cnt, 0);
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
	return cq;

err_free_dbrec:
	mlx5x_free_dbrec(&ctx->dbrec_pool, cq->dbrec);
err_free_buf:
	mlx5x_free_buf(&cq->buf);
err_free_cq:
	pthread_spin_destroy(&cq->lock);
	free(cq);
	errno = ret;
	return NULL;
}

struct ibv_cq *mlx5x_create_cq(struct ibv_context *context, int cqe,
			       struct ibv_comp_channel *channel,
			       int comp_vector)
{
	struct mlx5x_cq *cq = mlx5x_cq_create(context, cqe, channel,
					      comp_vector);

	return cq ? &cq->verbs_cq.cq : NULL;
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
	pthread_spin_destroy(&cq->lock);
	free(cq);
	return 0;
}

/* ---------------------------------------------------------------------
 * Polling
 */

/* The CQE at the consumer index if software owns it, else NULL. */
static struct mlx5x_cqe *next_cqe(struct mlx5x_cq *cq)
{
	if (!mlx5x_cqe_sw_owned(cq->buf.buf, cq->log_cqe_cnt, cq->cons_index))
		return NULL;
	/* The owner bit before the body: the device wrote it last. */
	mlx5x_udma_from_device_barrier();
	return (struct mlx5x_cqe *)mlx5x_get_cqe(cq->buf.buf, cq->cqe_cnt,
						  cq->cons_index);
}

/* Publish the consumer index: the device may reuse the slots before it. */
void mlx5x_cq_update_ci(struct mlx5x_cq *cq)
{
	mlx5x_dbrec_store(&cq->dbrec[MLX5X_CQ_DBREC_CI],
			  cq->cons_index & MLX5X_CQ_CI_MASK);
}

static struct mlx5x_qp *cqe_qp(struct mlx5x_cq *cq, uint32_t qpn)
{
	struct mlx5x_qp *qp = cq->last_qp;

	if (qp && qp->qpn == qpn)
		return qp;
	qp = mlx5x_find_qp(to_mctx(cq->verbs_cq.cq.context), qpn);
	cq->last_qp = qp;
	return qp;
}

/* A send CQE: its WQE's wr_id and opcode; every WR up to it is done. */
static void parse_req(struct mlx5x_qp *qp, const struct mlx5x_cqe *cqe,
		      struct mlx5x_cqe_info *ci)
{
	struct mlx5x_sq *sq = &qp->sq;
	uint32_t idx = cqe->wqe_counter & (sq->wqe_cnt - 1);

	ci->wr_id = sq->wrid[idx];
	ci->opcode = sq->wc_opcode[idx];
	switch (ci->opcode) {
	case IBV_WC_RDMA_READ:
		ci->byte_len = cqe->byte_cnt;
		break;
	case IBV_WC_COMP_SWAP:
	case IBV_WC_FETCH_ADD:
		ci->byte_len = 8;
		break;
	default:
		ci->byte_len = 0;
	}
	/* Release: we are done with the slots before post_send reuses them. */
	__atomic_store_n(&sq->tail, sq->wqe_head[idx] + 1, __ATOMIC_RELEASE);
}

/*
 * A receive CQE: the receive WQE wqe_counter (16 bits of rq.tail), or on
 * an SRQ its slot wqe_counter.
 */
static void parse_resp(struct mlx5x_qp *qp, const struct mlx5x_cqe *cqe,
		       struct mlx5x_cqe_info *ci)
{
	struct ibv_srq *srq = qp->verbs_qp.qp.srq;
	struct mlx5x_rq *rq = &qp->rq;
	uint32_t tail = rq->tail;

	if (srq)
		ci->wr_id = mlx5x_srq_free_wqe(to_msrq(srq), cqe->wqe_counter);
	else
		ci->wr_id = rq->wrid[cqe->wqe_counter & (rq->wqe_cnt - 1)];
	ci->byte_len = cqe->byte_cnt;
	ci->opcode = IBV_WC_RECV;
	switch (cqe->opcode) {
	case MLX5X_CQE_RESP_WR_IMM:
		ci->opcode = IBV_WC_RECV_RDMA_WITH_IMM;
		ci->wc_flags |= IBV_WC_WITH_IMM;
		break;
	case MLX5X_CQE_RESP_SEND_IMM:
		ci->wc_flags |= IBV_WC_WITH_IMM;
		break;
	case MLX5X_CQE_RESP_SEND_INV:
		ci->wc_flags |= IBV_WC_WITH_INV;
		break;
	}
	/* UD: the buffer starts with the 40-byte GRH area. */
	if (cqe->flags & MLX5X_CQE_GRH)
		ci->wc_flags |= IBV_WC_GRH;
	if (srq)
		return;
	tail += (uint16_t)(cqe->wqe_counter - (uint16_t)tail) + 1;
	__atomic_store_n(&rq->tail, tail, __ATOMIC_RELEASE);
}

/*
 * Parse the CQE of qp. False for a CQE that cannot be reported (an opcode
 * the provider does not know, a receive on a QP without an RQ): it is
 * consumed and dropped.
 */
static bool parse_cqe(struct mlx5x_cq *cq, struct mlx5x_qp *qp,
		      const struct mlx5x_cqe *cqe, struct mlx5x_cqe_info *ci)
{
	ci->wc_flags = 0;
	ci->status = IBV_WC_SUCCESS;

	switch (cqe->opcode) {
	case MLX5X_CQE_REQ:
	case MLX5X_CQE_REQ_ERR:
		parse_req(qp, cqe, ci);
		break;
	case MLX5X_CQE_RESP_WR_IMM:
	case MLX5X_CQE_RESP_SEND:
	case MLX5X_CQE_RESP_SEND_IMM:
	case MLX5X_CQE_RESP_SEND_INV:
	case MLX5X_CQE_RESP_ERR:
		if (!qp->rq.wqe_cnt && !qp->verbs_qp.qp.srq)
			goto drop;
		parse_resp(qp, cqe, ci);
		break;
	default:
		goto drop;
	}

	if (cqe->opcode == MLX5X_CQE_REQ_ERR ||
	    cqe->opcode == MLX5X_CQE_RESP_ERR) {
		ci->status = cqe->status ? cqe->status : IBV_WC_GENERAL_ERR;
		ci->wc_flags = 0;
		ci->byte_len = 0;
		/* The device put the QP in ERR: later receives need a kick. */
		__atomic_store_n(&qp->dev_error, true, __ATOMIC_RELAXED);
	}
	return true;

drop:
	mlx5x_dbg(&to_mctx(cq->verbs_cq.cq.context)->ibv_ctx,
		  "CQ 0x%x: dropped CQE opcode 0x%x of QP 0x%x\n", cq->cqn,
		  cqe->opcode, cqe->qpn);
	return false;
}

/*
 * The next CQE that can be reported, consumed (cons_index past it); NULL
 * when the ring holds none. CQEs of unknown QPs (destroyed while their CQEs
 * were in flight) are skipped.
 */
const struct mlx5x_cqe *mlx5x_cq_poll_one(struct mlx5x_cq *cq,
					  struct mlx5x_qp **qpp,
					  struct mlx5x_cqe_info *ci,
					  bool *consumed)
{
	struct mlx5x_cqe *cqe;
	struct mlx5x_qp *qp;

	while ((cqe = next_cqe(cq))) {
		cq->cons_index++;
		*consumed = true;
		qp = cqe_qp(cq, cqe->qpn);
		if (qp && parse_cqe(cq, qp, cqe, ci)) {
			*qpp = qp;
			return cqe;
		}
	}
	return NULL;
}

int mlx5x_poll_cq(struct ibv_cq *ibcq, int num_entries, struct ibv_wc *wc)
{
	struct mlx5x_cq *cq = to_mcq(ibcq);
	const struct mlx5x_cqe *cqe;
	struct mlx5x_cqe_info ci;
	struct mlx5x_qp *qp;
	bool consumed = false;
	int n;

	pthread_spin_lock(&cq->lock);

	for (n = 0; n < num_entries; n++) {
		cqe = mlx5x_cq_poll_one(cq, &qp, &ci, &consumed);
		if (!cqe)
			break;
		wc[n] = (struct ibv_wc){
			.wr_id = ci.wr_id,
			.status = ci.status,
			.opcode = ci.opcode,
			.vendor_err = cqe->vendor_err,
			.byte_len = ci.byte_len,
			.qp_num = qp->qpn,
			.src_qp = cqe->src_qp,
			.wc_flags = ci.wc_flags,
			.pkey_index = cqe->pkey_index,
			.sl = cqe->sl,
		};
		/* imm_data: the sender's __be32, carried as is. */
		if (ci.wc_flags & (IBV_WC_WITH_IMM | IBV_WC_WITH_INV))
			wc[n].imm_data = cqe->imm_inval;
	}

	if (consumed)
		mlx5x_cq_update_ci(cq);

	pthread_spin_unlock(&cq->lock);
	return n;
}

/* ---------------------------------------------------------------------
 * Arming and events
 */

int mlx5x_req_notify_cq(struct ibv_cq *ibcq, int solicited_only)
{
	struct mlx5x_cq *cq = to_mcq(ibcq);

	pthread_spin_lock(&cq->lock);
	mlx5x_dbrec_store(&cq->dbrec[MLX5X_CQ_DBREC_ARM],
			  mlx5x_cq_arm_word(cq->arm_sn, solicited_only,
					    cq->cons_index));
	pthread_spin_unlock(&cq->lock);
	return 0;
}

/* libibverbs read a completion event of this CQ: the next arm is new. */
void mlx5x_cq_event(struct ibv_cq *ibcq)
{
	struct mlx5x_cq *cq = to_mcq(ibcq);

	pthread_spin_lock(&cq->lock);
	cq->arm_sn++;
	pthread_spin_unlock(&cq->lock);
}

/* ---------------------------------------------------------------------
 * Cleaning
 *
 * Remove the software-owned CQEs of QP qpn, keeping the others in order
 * (the SRQ slots its receive CQEs name go back to srq's free list):
 * walk back from the newest, moving each kept CQE up by the number removed
 * after it, then advance the consumer index by that number. A moved CQE
 * keeps the owner bit of its new slot, which is software owned for that
 * slot's pass already. CQEs the device writes meanwhile land past the
 * newest one seen and are not touched.
 */
void mlx5x_cq_clean(struct mlx5x_cq *cq, uint32_t qpn, struct mlx5x_srq *srq)
{
	uint32_t prod, nfreed = 0;
	struct mlx5x_cqe *cqe, *dest;
	uint8_t owner;

	pthread_spin_lock(&cq->lock);

	for (prod = cq->cons_index;
	     prod - cq->cons_index < cq->cqe_cnt &&
	     mlx5x_cqe_sw_owned(cq->buf.buf, cq->log_cqe_cnt, prod);
	     prod++)
		;
	mlx5x_udma_from_device_barrier();

	while (prod-- != cq->cons_index) {
		cqe = (void *)mlx5x_get_cqe(cq->buf.buf, cq->cqe_cnt, prod);
		if (cqe->qpn == qpn) {
			if (srq && cqe->opcode != MLX5X_CQE_REQ &&
			    cqe->opcode != MLX5X_CQE_REQ_ERR)
				mlx5x_srq_free_wqe(srq, cqe->wqe_counter);
			nfreed++;
		} else if (nfreed) {
			dest = (void *)mlx5x_get_cqe(cq->buf.buf, cq->cqe_cnt,
						     prod + nfreed);
			owner = dest->owner & MLX5X_CQE_OWNER_MASK;
			memcpy(dest, cqe, sizeof(*dest));
			dest->owner = (dest->owner & ~MLX5X_CQE_OWNER_MASK) |
				      owner;
		}
	}

	if (nfreed) {
		cq->cons_index += nfreed;
		mlx5x_cq_update_ci(cq);
	}
	if (cq->last_qp && cq->last_qp->qpn == qpn)
		cq->last_qp = NULL;

	pthread_spin_unlock(&cq->lock);
}

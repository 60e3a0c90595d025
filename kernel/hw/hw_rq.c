// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The responder's receive queue: a SEND, SEND_IMM or RDMA_WRITE_IMM
 * consumes the next receive WQE of the destination QP, and the flush of a
 * QP in ERR completes every receive WQE still posted.
 *
 * The RQ has no doorbell: the device reads the RQ dbrec (receive producer
 * counter, 16 bits) when a message arrives. Everything here runs with the
 * destination's rq_mutex held, so a message lands in one receive WQE at a
 * time and never after the QP was destroyed (dead). A QP on an SRQ takes
 * its WQE from there instead (mlx5x_hw_srq_take(), hw_srq.c): consumed at
 * once, checked against the SRQ's PD, its CQE naming the SRQ slot; such a
 * QP in ERR flushes no receives and raises LAST_WQE_REACHED once.
 *
 * Responder errors (IB, RC):
 *   receive buffers too short       LOC_LEN_ERR here, REM_INV_REQ_ERR there
 *   bad receive lkey/PD/bounds      LOC_PROT_ERR here, REM_OP_ERR there
 *   malformed receive WQE           LOC_QP_OP_ERR here, REM_OP_ERR there
 *   no receive WQE posted           RNR NAK: the requester retries
 *   SEND_INVAL of a key that is not REM_INV_REQ_ERR here and there
 *     a type 2 window bound here    (as rxe: class J, after the data)
 * each but the RNR consumes the receive WQE with an error CQE and moves
 * the responder to ERR.
 *
 * UC and UD (IB, and as rxe does): nothing goes back to the requester, who
 * completes with success whatever happened here. No receive WQE posted
 * (UD: also a wrong Q_Key, or no RQ): the message is dropped, counted in
 * out_of_buffer (no receive WQE); receive buffers too short or a bad
 * receive WQE: its error CQE and ERR as above. A UD message lands after
 * the 40-byte GRH area (hw_grh.c) and its CQE says so. UC and UD QPs may
 * use an SRQ like RC ones: the WQE comes from there, the rest is the same.
 */
#include "hw_priv.h"

u32 *mlx5x_hw_qp_dbrec(struct mlx5x_hw_qp *qp)
{
	return mlx5x_hw_dma_ptr(qp->qpc.dbr_addr, MLX5X_DBREC_SIZE);
}

/* Receive WQEs posted and not consumed; -1 if the counter is not sane. */
static int mlx5x_hw_rq_pending(struct mlx5x_hw_qp *qp)
{
	u32 *dbr = mlx5x_hw_qp_dbrec(qp);
	u16 pi;
	u32 n;

	if (!dbr)
		return -1;
	/* Acquire: the receive WQEs are read after the counter. */
	pi = smp_load_acquire(&dbr[MLX5X_QP_DBREC_RCV]) & 0xffff;
	n = (u16)(pi - qp->rq_ci);
	return n > (1U << qp->qpc.log_rq_size) ? -1 : (int)n;
}

static void mlx5x_hw_rq_cqe_rx(struct mlx5x_hw_qp *dqp,
			       const struct mlx5x_hw_recv *r, u32 src_qp,
			       u8 opcode, u8 status, u32 byte_cnt, u32 imm,
			       bool solicited, const struct mlx5x_hw_rx *rx)
{
	struct mlx5x_hw_cqe_args a = {
		.opcode = status ? MLX5X_CQE_RESP_ERR : opcode,
		.status = status,
		.solicited = solicited,
		.wqe_counter = r->wqe_counter,
		.qpn = dqp->qpn,
		.src_qp = src_qp,
		.byte_cnt = byte_cnt,
		.imm = imm,
	};

	if (rx && !status) {
		a.grh = true;
		a.sl = rx->sl;
		a.l3_type = rx->l3_type;
		a.pkey_index = dqp->qpc.pkey_index;
	}
	mlx5x_hw_cq_write(dqp->hw, dqp->rcq, &a);
	if (!r->srq)
		dqp->rq_ci++;
}

static void mlx5x_hw_rq_cqe(struct mlx5x_hw_qp *dqp,
			    const struct mlx5x_hw_recv *r, u32 src_qp,
			    u8 opcode, u8 status, u32 byte_cnt, u32 imm,
			    bool solicited)
{
	mlx5x_hw_rq_cqe_rx(dqp, r, src_qp, opcode, status, byte_cnt, imm,
			   solicited, NULL);
}

/*
 * The receive WQE at rq_ci for a message; copied into @buf (for a SEND:
 * @fetch) but consumed only by its CQE. -EAGAIN: none posted.
 */
static int mlx5x_hw_rq_take(struct mlx5x_hw_qp *dqp, u8 *buf, bool fetch,
			    struct mlx5x_hw_recv *r)
{
	u32 stride = 1U << dqp->qpc.log_rq_stride;
	int pending = mlx5x_hw_rq_pending(dqp);

	if (pending < 0)
		return -EIO;
	if (!pending)
		return -EAGAIN;
	r->srq = false;
	r->pdn = dqp->pd->pdn;
	r->wqe_counter = dqp->rq_ci;
	r->segs = buf;
	r->len = stride;
	r->fetched = fetch &&
		     !mlx5x_hw_buf_read(dqp->pas, dqp->qpc.log_page_size,
					dqp->qpc.page_offset +
					(u64)(dqp->rq_ci &
					      ((1U << dqp->qpc.log_rq_size) - 1)) *
					stride, buf, stride);
	return 0;
}

/* The responder's answer to a failed receive: its CQE, ERR, ours. */
static u8 mlx5x_hw_rq_fail(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			   const struct mlx5x_hw_recv *r, u8 resp_status,
			   u8 req_status, const char *why)
{
	mlx5x_hw_rq_cqe(dqp, r, qp->qpn, 0, resp_status, 0, 0, false);
	mlx5x_hw_qp_error(dqp, 0, why);
	return req_status;
}

/*
 * SEND(_IMM): scatter the requester's message (after @rx's GRH, if any)
 * into @dqp's receive WQE.
 */
static u8 mlx5x_hw_rq_scatter(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			      const struct mlx5x_hw_recv *r,
			      const struct mlx5x_hw_wqe *w,
			      const struct mlx5x_hw_rx *rx)
{
	u64 hlen = rx ? MLX5X_UD_GRH_SIZE : 0;
	struct mlx5x_hw_cursor d, s;
	struct mlx5x_hw_seg hseg;
	u64 total;
	int n;

	if (!r->fetched)
		return mlx5x_hw_rq_fail(qp, dqp, r, MLX5X_WC_LOC_QP_OP_ERR,
					MLX5X_WC_REM_OP_ERR, "receive ring");
	n = mlx5x_hw_recv_parse(r->segs, r->len, dqp->hw->cap.max_sge_rq,
				qp->rsge, &total);
	if (n < 0)
		return mlx5x_hw_rq_fail(qp, dqp, r, MLX5X_WC_LOC_QP_OP_ERR,
					MLX5X_WC_REM_OP_ERR, "receive WQE");
	if (w->length + hlen > total)
		return mlx5x_hw_rq_fail(qp, dqp, r, MLX5X_WC_LOC_LEN_ERR,
					MLX5X_WC_REM_INV_REQ_ERR,
					"receive too short");
	if (mlx5x_hw_sgl_resolve(dqp->hw, r->pdn, MLX5X_MKEY_LOCAL_WRITE,
				 qp->rsge, n, w->length + hlen, &qp->rsgl))
		return mlx5x_hw_rq_fail(qp, dqp, r, MLX5X_WC_LOC_PROT_ERR,
					MLX5X_WC_REM_OP_ERR, "receive lkey");
	mlx5x_hw_cursor_init(&d, qp->rsgl.seg, qp->rsgl.n);
	n = 0;
	if (rx) {
		hseg = (struct mlx5x_hw_seg) { .kbuf = (u8 *)rx->grh,
					       .len = hlen };
		mlx5x_hw_cursor_init(&s, &hseg, 1);
		n = mlx5x_hw_copy(&d, &s, hlen);
	}
	mlx5x_hw_cursor_init(&s, qp->lsgl.seg, qp->lsgl.n);
	if (!n)
		n = mlx5x_hw_copy(&d, &s, w->length);
	mlx5x_hw_sgl_put(&qp->rsgl);
	if (n)
		return mlx5x_hw_rq_fail(qp, dqp, r, MLX5X_WC_LOC_PROT_ERR,
					MLX5X_WC_REM_OP_ERR, "receive copy");
	return MLX5X_WC_SUCCESS;
}

int mlx5x_hw_rq_deliver(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			const struct mlx5x_hw_wqe *w,
			const struct mlx5x_hw_rx *rx, u8 *status,
			u8 *rnr_timer)
{
	bool imm = w->opcode == MLX5X_OPCODE_SEND_IMM ||
		   w->opcode == MLX5X_OPCODE_RDMA_WRITE_IMM;
	bool inval = w->opcode == MLX5X_OPCODE_SEND_INVAL;
	bool write = w->opcode == MLX5X_OPCODE_RDMA_WRITE_IMM;
	bool reliable = dqp->qpc.st == MLX5X_QP_ST_RC;
	int ret = MLX5X_HW_EXEC_DONE;
	struct mlx5x_hw_recv r;
	u8 access, opcode;
	int taken;

	mutex_lock(&dqp->rq_mutex);
	if (dqp->dead || !mlx5x_hw_responder_ready(dqp, &access)) {
		*status = MLX5X_WC_RETRY_EXC_ERR;
		goto unlock;
	}
	/* A UD message with the wrong Q_Key is dropped: nobody is told. */
	if (rx && rx->qkey != dqp->qpc.qkey)
		goto unlock;
	if (dqp->qpc.no_rq && !reliable)
		goto drop;
	if (dqp->qpc.no_rq) {
		mlx5x_hw_qp_error(dqp, MLX5X_EQE_QP_INVAL_REQ_ERR,
				  "no receive queue");
		*status = MLX5X_WC_REM_INV_REQ_ERR;
		goto unlock;
	}
	if (dqp->srq)
		taken = mlx5x_hw_srq_take(dqp->srq, qp->rq_buf, &r);
	else
		taken = mlx5x_hw_rq_take(dqp, qp->rq_buf, !write, &r);
	if (taken == -EAGAIN) {
		if (!reliable)
			goto drop;
		atomic64_inc(&dqp->hw->cnt_out_of_buffer);
		*rnr_timer = dqp->qpc.min_rnr_nak;
		ret = MLX5X_HW_EXEC_RNR;
		goto unlock;
	}
	if (taken) {
		mlx5x_hw_qp_error(dqp, MLX5X_EQE_QP_CATAS_ERR,
				  "receive counter");
		*status = MLX5X_WC_REM_OP_ERR;
		goto unlock;
	}
	if (write) {
		/* WRITE_IMM: the data goes to the rkey, then a receive is used. */
		*status = mlx5x_hw_exec_rdma(qp, dqp, w, false);
		opcode = MLX5X_CQE_RESP_WR_IMM;
		/* The QP went to ERR: an SRQ WQE it took is flushed. */
		if (*status != MLX5X_WC_SUCCESS && r.srq)
			mlx5x_hw_rq_cqe(dqp, &r, qp->qpn, 0,
					MLX5X_WC_WR_FLUSH_ERR, 0, 0, false);
	} else {
		*status = mlx5x_hw_rq_scatter(qp, dqp, &r, w, rx);
		opcode = imm ? MLX5X_CQE_RESP_SEND_IMM : MLX5X_CQE_RESP_SEND;
		if (inval)
			opcode = MLX5X_CQE_RESP_SEND_INV;
		/* The message landed: now the invalidation it carries. */
		if (inval && *status == MLX5X_WC_SUCCESS &&
		    mlx5x_hw_mw_invalidate(dqp, w->imm, true))
			*status = mlx5x_hw_rq_fail(qp, dqp, &r,
						   MLX5X_WC_REM_INV_REQ_ERR,
						   MLX5X_WC_REM_INV_REQ_ERR,
						   "invalidate rkey");
	}
	/* A failed scatter consumed the WQE already (mlx5x_hw_rq_fail). */
	if (*status == MLX5X_WC_SUCCESS)
		mlx5x_hw_rq_cqe_rx(dqp, &r, qp->qpn, opcode, 0,
				   (u32)w->length +
				   (rx ? MLX5X_UD_GRH_SIZE : 0),
				   imm || inval ? w->imm : 0,
				   w->flags & MLX5X_WQE_CTRL_SOLICITED, rx);
	goto unlock;
drop:
	atomic64_inc(&dqp->hw->cnt_out_of_buffer);
unlock:
	mutex_unlock(&dqp->rq_mutex);
	return ret;
}

/* rq_mutex held, QP in ERR: complete every posted receive WQE as flushed. */
unsigned int mlx5x_hw_rq_flush(struct mlx5x_hw_qp *qp)
{
	struct mlx5x_hw_recv r = {};
	unsigned int n = 0;
	int pending;

	if (qp->dead || qp->qpc.no_rq)
		return 0;
	if (qp->srq) {
		/*
		 * The SRQ's WQEs stay for the other QPs; this one takes no
		 * more, which IB tells the consumer once per entry to ERR.
		 */
		if (!qp->last_wqe) {
			struct mlx5x_eqe eqe = {
				.type = MLX5X_EQE_QP_LAST_WQE,
				.qpn = qp->qpn,
			};

			qp->last_wqe = true;
			mlx5x_hw_eq_post_event(qp->hw, MLX5X_EQ_EVENTS_ASYNC,
					       &eqe);
		}
		return 0;
	}
	/* An insane counter: nothing can be told apart, flush nothing. */
	pending = mlx5x_hw_rq_pending(qp);
	while (pending-- > 0) {
		r.wqe_counter = qp->rq_ci;
		mlx5x_hw_rq_cqe(qp, &r, 0, 0, MLX5X_WC_WR_FLUSH_ERR, 0, 0,
				false);
		n++;
	}
	return n;
}

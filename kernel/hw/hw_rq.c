// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The responder's receive queue: a SEND, SEND_IMM or RDMA_WRITE_IMM
 * consumes the next receive WQE of the destination QP, and the flush of a
 * QP in ERR completes every receive WQE still posted.
 *
 * The RQ has no doorbell: the device reads the RQ dbrec (receive producer
 * counter, 16 bits) when a message arrives. Everything here runs with the
 * destination's rq_mutex held, so a message lands in one receive WQE at a
 * time and never after the QP was destroyed (dead).
 *
 * Responder errors (IB, RC):
 *   receive buffers too short       LOC_LEN_ERR here, REM_INV_REQ_ERR there
 *   bad receive lkey/PD/bounds      LOC_PROT_ERR here, REM_OP_ERR there
 *   malformed receive WQE           LOC_QP_OP_ERR here, REM_OP_ERR there
 *   no receive WQE posted           RNR NAK: the requester retries
 * each of the first three consumes the receive WQE with an error CQE and
 * moves the responder to ERR.
 *
 * UC and UD (IB, and as rxe does): nothing goes back to the requester, who
 * completes with success whatever happened here. No receive WQE posted
 * (UD: also a wrong Q_Key, or no RQ): the message is dropped, counted in
 * out_of_buffer (no receive WQE); receive buffers too short or a bad
 * receive WQE: its error CQE and ERR as above. A UD message lands after
 * the 40-byte GRH area (hw_grh.c) and its CQE says so.
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

static void mlx5x_hw_rq_cqe_rx(struct mlx5x_hw_qp *dqp, u32 src_qp,
			       u8 opcode, u8 status, u32 byte_cnt, u32 imm,
			       bool solicited, const struct mlx5x_hw_rx *rx)
{
	struct mlx5x_hw_cqe_args a = {
		.opcode = status ? MLX5X_CQE_RESP_ERR : opcode,
		.status = status,
		.solicited = solicited,
		.wqe_counter = dqp->rq_ci,
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
	dqp->rq_ci++;
}

static void mlx5x_hw_rq_cqe(struct mlx5x_hw_qp *dqp, u32 src_qp, u8 opcode,
			    u8 status, u32 byte_cnt, u32 imm, bool solicited)
{
	mlx5x_hw_rq_cqe_rx(dqp, src_qp, opcode, status, byte_cnt, imm,
			   solicited, NULL);
}

/* Copy the receive WQE at rq_ci out of the ring into @buf. */
static int mlx5x_hw_rq_fetch(struct mlx5x_hw_qp *dqp, u8 *buf)
{
	u32 stride = 1U << dqp->qpc.log_rq_stride;
	u64 off = dqp->qpc.page_offset +
		  (u64)(dqp->rq_ci & ((1U << dqp->qpc.log_rq_size) - 1)) *
		  stride;

	return mlx5x_hw_buf_read(dqp->pas, dqp->qpc.log_page_size, off, buf,
				 stride);
}

/* The responder's answer to a failed receive: its CQE, ERR, ours. */
static u8 mlx5x_hw_rq_fail(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			   u8 resp_status, u8 req_status, const char *why)
{
	mlx5x_hw_rq_cqe(dqp, qp->qpn, 0, resp_status, 0, 0, false);
	mlx5x_hw_qp_error(dqp, 0, why);
	return req_status;
}

/*
 * SEND(_IMM): scatter the requester's message (after @rx's GRH, if any)
 * into @dqp's receive WQE.
 */
static u8 mlx5x_hw_rq_scatter(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			      const struct mlx5x_hw_wqe *w,
			      const struct mlx5x_hw_rx *rx)
{
	u64 hlen = rx ? MLX5X_UD_GRH_SIZE : 0;
	struct mlx5x_hw_cursor d, s;
	struct mlx5x_hw_seg hseg;
	u64 total;
	int n;

	if (mlx5x_hw_rq_fetch(dqp, qp->rq_buf))
		return mlx5x_hw_rq_fail(qp, dqp, MLX5X_WC_LOC_QP_OP_ERR,
					MLX5X_WC_REM_OP_ERR, "receive ring");
	n = mlx5x_hw_recv_parse(qp->rq_buf, 1U << dqp->qpc.log_rq_stride,
				dqp->hw->cap.max_sge_rq, qp->rsge, &total);
	if (n < 0)
		return mlx5x_hw_rq_fail(qp, dqp, MLX5X_WC_LOC_QP_OP_ERR,
					MLX5X_WC_REM_OP_ERR, "receive WQE");
	if (w->length + hlen > total)
		return mlx5x_hw_rq_fail(qp, dqp, MLX5X_WC_LOC_LEN_ERR,
					MLX5X_WC_REM_INV_REQ_ERR,
					"receive too short");
	if (mlx5x_hw_sgl_resolve(dqp->hw, dqp->pd->pdn, MLX5X_MKEY_LOCAL_WRITE,
				 qp->rsge, n, w->length + hlen, &qp->rsgl))
		return mlx5x_hw_rq_fail(qp, dqp, MLX5X_WC_LOC_PROT_ERR,
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
		return mlx5x_hw_rq_fail(qp, dqp, MLX5X_WC_LOC_PROT_ERR,
					MLX5X_WC_REM_OP_ERR, "receive copy");
	return MLX5X_WC_SUCCESS;
}

int mlx5x_hw_rq_deliver(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			const struct mlx5x_hw_wqe *w,
			const struct mlx5x_hw_rx *rx, u8 *status,
			u8 *rnr_timer)
{
	bool imm = w->opcode != MLX5X_OPCODE_SEND;
	bool reliable = dqp->qpc.st == MLX5X_QP_ST_RC;
	int ret = MLX5X_HW_EXEC_DONE;
	u8 access, opcode;
	int pending;

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
	pending = mlx5x_hw_rq_pending(dqp);
	if (pending < 0) {
		mlx5x_hw_qp_error(dqp, MLX5X_EQE_QP_CATAS_ERR,
				  "receive counter");
		*status = MLX5X_WC_REM_OP_ERR;
		goto unlock;
	}
	if (!pending) {
		if (!reliable)
			goto drop;
		atomic64_inc(&dqp->hw->cnt_out_of_buffer);
		*rnr_timer = dqp->qpc.min_rnr_nak;
		ret = MLX5X_HW_EXEC_RNR;
		goto unlock;
	}
	if (w->opcode == MLX5X_OPCODE_RDMA_WRITE_IMM) {
		/* WRITE_IMM: the data goes to the rkey, then a receive is used. */
		*status = mlx5x_hw_exec_rdma(qp, dqp, w, false);
		opcode = MLX5X_CQE_RESP_WR_IMM;
	} else {
		*status = mlx5x_hw_rq_scatter(qp, dqp, w, rx);
		opcode = imm ? MLX5X_CQE_RESP_SEND_IMM : MLX5X_CQE_RESP_SEND;
	}
	/* A failed scatter consumed the WQE already (mlx5x_hw_rq_fail). */
	if (*status == MLX5X_WC_SUCCESS)
		mlx5x_hw_rq_cqe_rx(dqp, qp->qpn, opcode, 0,
				   (u32)w->length +
				   (rx ? MLX5X_UD_GRH_SIZE : 0),
				   imm ? w->imm : 0,
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
	unsigned int n = 0;
	int pending;

	if (qp->dead || qp->qpc.no_rq)
		return 0;
	/* An insane counter: nothing can be told apart, flush nothing. */
	pending = mlx5x_hw_rq_pending(qp);
	while (pending-- > 0) {
		mlx5x_hw_rq_cqe(qp, 0, 0, MLX5X_WC_WR_FLUSH_ERR, 0, 0, false);
		n++;
	}
	return n;
}

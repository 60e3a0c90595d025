// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The send queue engine: the path of a WQE from the doorbell record to
 * its CQE, one QP at a time, strictly in order.
 *
 *   process                      device (poller or kick, sq_mutex held)
 *   write WQE(s) in the SQ ring
 *   store SQ dbrec = pi ───────► mlx5x_hw_sq_run(): pi = dbrec (acquire)
 *   (read need_wakeup; kick)       for each WQE at sq_pi != pi:
 *                                    mlx5x_hw_sq_fetch(): ctrl, then the
 *                                      whole WQE into qp->wqe_buf
 *                                    mlx5x_hw_wqe_parse() (hw_wqe.c)
 *                                    mlx5x_hw_exec() (hw_exec.c, hw_rq.c)
 *                                      local SGEs -> MKeys (hw_mem.c)
 *                                      dgid -> device, remote_qpn -> QP
 *                                      copy / atomic / receive WQE
 *                                      responder CQE (its rcq)
 *                                    requester CQE (scq) if SIGNALED or
 *                                      an error (hw_cqe.c)
 *   poll CQE (owner bit) ◄───────    sq_pi += nbbs
 *
 * Errors: an error CQE, then the QP goes to ERR; in ERR the queue is
 * flushed: one WR_FLUSH_ERR CQE per WQE still posted on the SQ (and, with
 * rq_mutex, the RQ), now and whenever more are posted.
 *
 * Retries: the WQE stays at sq_pi and the QP is skipped (sq_wait) until
 * wait_until; the poller sleeps until the earliest deadline (no timer
 * object, so nothing to cancel when the QP is modified or destroyed):
 *   RNR NAK      wait the responder's RNR timer, execute again; after
 *                rnr_retry NAKs (7: forever) RNR_RETRY_EXC_ERR.
 *   no ACK       (mlx5x_hw_exec() says nobody answered) wait the local ACK
 *   (ack_wait)   timeout, 4.096 us << qpc.ack_timeout, then count a timeout
 *                and retransmit, at most retry_count times (7 is 7, not
 *                infinite); the timeout after the last try completes the
 *                WQE with RETRY_EXC_ERR. ack_timeout 0 means no timeout
 *                (IB): the WQE waits until the QP is modified to ERR (then
 *                flushed) or RST, or destroyed.
 * Both budgets are loaded once per WQE (retry_armed) and are independent.
 *
 * The QP's state can only be changed by a command while no WQE of it
 * runs (modify takes sq_mutex), or by a responder error found by another
 * QP's WQE (qp->lock); the state is therefore checked before each WQE.
 */
#include <linux/ktime.h>
#include "hw_priv.h"

enum { MLX5X_HW_SQ_NEXT, MLX5X_HW_SQ_STOP };

static u32 mlx5x_hw_sq_wqebbs(struct mlx5x_hw_qp *qp)
{
	return 1U << qp->qpc.log_sq_size;
}

/* Byte offset (in the QP buffer's PAS) of WQEBB @idx of the SQ. */
static u64 mlx5x_hw_sq_off(struct mlx5x_hw_qp *qp, u16 idx)
{
	return qp->qpc.page_offset + mlx5x_hw_qp_rq_bytes(&qp->qpc) +
	       (u64)(idx & (mlx5x_hw_sq_wqebbs(qp) - 1)) * MLX5X_WQEBB_SIZE;
}

static int mlx5x_hw_sq_read(struct mlx5x_hw_qp *qp, u16 idx, u32 from,
			    void *buf, u32 len)
{
	return mlx5x_hw_buf_read(qp->pas, qp->qpc.log_page_size,
				 mlx5x_hw_sq_off(qp, idx) + from, buf, len);
}

/*
 * Copy the WQE at sq_pi into qp->wqe_buf: its ctrl segment first, which
 * says how long it is, then the rest, WQEBB by WQEBB (the ring wraps).
 * The ctrl segment is not read again, so what is checked is what runs.
 * Returns the WQEBBs copied, 0 if the ctrl segment is not a WQE's.
 */
static u32 mlx5x_hw_sq_fetch(struct mlx5x_hw_qp *qp, int *err)
{
	struct mlx5x_wqe_ctrl_seg *ctrl = (void *)qp->wqe_buf;
	u32 i, nbbs;

	*err = mlx5x_hw_sq_read(qp, qp->sq_pi, 0, ctrl, sizeof(*ctrl));
	if (*err)
		return 0;
	nbbs = mlx5x_hw_wqe_nbbs(ctrl->qpn_ds, mlx5x_hw_sq_wqebbs(qp));
	if (!nbbs)
		return 0;
	*err = mlx5x_hw_sq_read(qp, qp->sq_pi, sizeof(*ctrl),
				qp->wqe_buf + sizeof(*ctrl),
				MLX5X_WQEBB_SIZE - sizeof(*ctrl));
	for (i = 1; i < nbbs && !*err; i++)
		*err = mlx5x_hw_sq_read(qp, qp->sq_pi + i, 0,
					qp->wqe_buf + i * MLX5X_WQEBB_SIZE,
					MLX5X_WQEBB_SIZE);
	return *err ? 0 : nbbs;
}

static void mlx5x_hw_sq_cqe(struct mlx5x_hw_qp *qp, u8 send_opcode,
			    u16 wqe_counter, u8 status, u8 vendor_err,
			    u32 byte_cnt)
{
	struct mlx5x_hw_cqe_args a = {
		.opcode = status ? MLX5X_CQE_REQ_ERR : MLX5X_CQE_REQ,
		.send_opcode = send_opcode,
		.status = status,
		.vendor_err = vendor_err,
		.wqe_counter = wqe_counter,
		.qpn = qp->qpn,
		.byte_cnt = byte_cnt,
	};

	mlx5x_hw_cq_write(qp->hw, qp->scq, &a);
}

/* The WQE at sq_pi, @nbbs WQEBBs, is done with: on to the next one. */
static void mlx5x_hw_sq_advance(struct mlx5x_hw_qp *qp, u32 nbbs)
{
	qp->sq_pi += nbbs;
	qp->retry_armed = false;
	qp->ack_wait = false;
}

/* An error CQE for the WQE at sq_pi, taking @nbbs WQEBBs; QP to ERR. */
static void mlx5x_hw_sq_fail(struct mlx5x_hw_qp *qp, u8 opcode, u32 nbbs,
			     u8 status, u8 vendor_err, const char *why)
{
	mlx5x_hw_sq_cqe(qp, opcode, qp->sq_pi, status, vendor_err, 0);
	atomic64_inc(&qp->hw->cnt_errors);
	mlx5x_hw_sq_advance(qp, nbbs);
	mlx5x_hw_qp_error(qp, 0, why);
}

/* Stall the WQE at sq_pi for @ns (0: until the QP is modified). */
static int mlx5x_hw_sq_stall(struct mlx5x_hw_qp *qp, u64 ns, bool ack)
{
	qp->wait_until = ns ? ktime_add_ns(ktime_get(), ns) : KTIME_MAX;
	qp->ack_wait = ack;
	qp->sq_wait = true;
	return MLX5X_HW_SQ_STOP;
}

static u8 mlx5x_hw_wqe_err_status(int err)
{
	return err == MLX5X_WQE_MSG_TOO_LONG ? MLX5X_WC_LOC_LEN_ERR :
					       MLX5X_WC_LOC_QP_OP_ERR;
}

/* Execute the WQE at sq_pi; @pending WQEBBs are posted. */
static int mlx5x_hw_sq_one(struct mlx5x_hw_qp *qp, u32 pending)
{
	struct mlx5x_hw *hw = qp->hw;
	struct mlx5x_hw_wqe *w = &qp->wqe;
	struct mlx5x_hw_wqe_limits lim = {
		.qpn = qp->qpn,
		.expect_index = qp->sq_pi,
		.max_sge = hw->cap.max_sge_sq,
		.max_inline = hw->cap.max_inline_data,
		.log_max_msg = hw->cap.log_max_msg,
		.sq_wqebbs = mlx5x_hw_sq_wqebbs(qp),
		.atomics = !!(hw->cap.flags & MLX5X_CAP_FLAG_ATOMIC),
		.mw = !!(hw->cap.flags & MLX5X_CAP_FLAG_MW),
		.st = qp->qpc.st,
		.ud_max_msg = qp->qpc.mtu ? 128U << qp->qpc.mtu : 0,
	};
	u8 status, rnr_timer = 0;
	u32 nbbs;
	int err;

	nbbs = mlx5x_hw_sq_fetch(qp, &err);
	if (!nbbs) {
		mlx5x_hw_sq_fail(qp, ((u8 *)qp->wqe_buf)[0], 1,
				 MLX5X_WC_LOC_QP_OP_ERR,
				 err ? MLX5X_WQE_RING_OVERRUN :
				       MLX5X_WQE_BAD_DS, "bad WQE size");
		return MLX5X_HW_SQ_STOP;
	}
	if (nbbs > pending)
		return MLX5X_HW_SQ_STOP;	/* not all of it posted yet */
	err = mlx5x_hw_wqe_parse(qp->wqe_buf, nbbs * MLX5X_WQEBB_SIZE, &lim, w);
	if (err) {
		mlx5x_hw_sq_fail(qp, w->opcode, nbbs,
				 mlx5x_hw_wqe_err_status(err), err,
				 "malformed WQE");
		return MLX5X_HW_SQ_STOP;
	}
	if (!qp->retry_armed) {
		qp->rnr_left = qp->qpc.rnr_retry;
		qp->retry_left = qp->qpc.retry_count;
		qp->retry_armed = true;
	}
	if (qp->ack_wait) {
		/* The local ACK timer of the last try expired. */
		qp->ack_wait = false;
		atomic64_inc(&hw->cnt_ack_timeouts);
		if (!qp->retry_left) {
			mlx5x_hw_sq_fail(qp, w->opcode, nbbs,
					 MLX5X_WC_RETRY_EXC_ERR, 0,
					 "transport retries exceeded");
			return MLX5X_HW_SQ_STOP;
		}
		qp->retry_left--;
	}
	switch (mlx5x_hw_exec(qp, w, &status, &rnr_timer)) {
	case MLX5X_HW_EXEC_RNR:
		atomic64_inc(&hw->cnt_rnr);
		if (qp->rnr_left) {
			qp->rnr_left = mlx5x_hw_rnr_next(qp->rnr_left);
			return mlx5x_hw_sq_stall(qp, (u64)NSEC_PER_USEC *
					mlx5x_hw_rnr_timer_us(rnr_timer),
					false);
		}
		status = MLX5X_WC_RNR_RETRY_EXC_ERR;
		break;
	case MLX5X_HW_EXEC_NO_ACK:
		return mlx5x_hw_sq_stall(qp,
				mlx5x_hw_ack_timeout_ns(qp->qpc.ack_timeout),
				true);
	default:
		break;
	}
	if (status) {
		mlx5x_hw_sq_fail(qp, w->opcode, nbbs, status, qp->vendor_err,
				 "send error");
		return MLX5X_HW_SQ_STOP;
	}
	atomic64_inc(&hw->cnt_wqes);
	atomic64_add(w->length, &hw->cnt_bytes);
	if (w->flags & MLX5X_WQE_CTRL_SIGNALED)
		mlx5x_hw_sq_cqe(qp, w->opcode, w->wqe_index, 0, 0,
				mlx5x_hw_wqe_byte_cnt(w));
	mlx5x_hw_sq_advance(qp, nbbs);
	return MLX5X_HW_SQ_NEXT;
}

/* WQEBBs posted and not executed; -1 if the counter is not sane. */
static int mlx5x_hw_sq_pending(struct mlx5x_hw_qp *qp)
{
	u32 *dbr = mlx5x_hw_qp_dbrec(qp);
	u32 n;
	u16 pi;

	if (!dbr)
		return -1;
	/* Acquire: the WQEs are read after the counter. */
	pi = smp_load_acquire(&dbr[MLX5X_QP_DBREC_SND]) & 0xffff;
	n = (u16)(pi - qp->sq_pi);
	return n > mlx5x_hw_sq_wqebbs(qp) ? -1 : (int)n;
}

/* QP in ERR: one WR_FLUSH_ERR per WQE posted, on both queues. */
static unsigned int mlx5x_hw_qp_flush(struct mlx5x_hw_qp *qp)
{
	struct mlx5x_wqe_ctrl_seg ctrl;
	unsigned int n = 0;
	int pending = 0;

	if (!qp->qpc.no_sq)
		pending = mlx5x_hw_sq_pending(qp);
	while (pending > 0) {
		u32 nbbs = 1;

		memset(&ctrl, 0, sizeof(ctrl));
		if (!mlx5x_hw_sq_read(qp, qp->sq_pi, 0, &ctrl, sizeof(ctrl)))
			nbbs = mlx5x_hw_wqe_nbbs(ctrl.qpn_ds,
						 mlx5x_hw_sq_wqebbs(qp)) ?: 1;
		nbbs = min_t(u32, nbbs, pending);
		mlx5x_hw_sq_cqe(qp, ctrl.opcode, qp->sq_pi,
				MLX5X_WC_WR_FLUSH_ERR, 0, 0);
		atomic64_inc(&qp->hw->cnt_flushes);
		qp->sq_pi += nbbs;
		pending -= nbbs;
		n++;
	}
	qp->sq_wait = false;
	qp->ack_wait = false;
	qp->retry_armed = false;
	mutex_lock(&qp->rq_mutex);
	n += mlx5x_hw_rq_flush(qp);
	mutex_unlock(&qp->rq_mutex);
	return n;
}

/*
 * Run @qp's send queue: up to @budget WQEs, or flush it in ERR. Called
 * with sq_mutex held, inside srcu_read_lock(&mlx5x_hw_srcu). Returns the
 * WQEs handled; if the QP waits for a timer (RNR, ACK), *wake_at is
 * lowered to its deadline.
 */
int mlx5x_hw_sq_run(struct mlx5x_hw_qp *qp, int budget, ktime_t *wake_at)
{
	int n = 0, pending;
	u8 state;

	lockdep_assert_held(&qp->sq_mutex);
	if (qp->dead)
		return 0;
	state = mlx5x_hw_qp_state(qp);
	if (state == MLX5X_QP_STATE_ERR)
		return mlx5x_hw_qp_flush(qp);
	if (state != MLX5X_QP_STATE_RTS || qp->qpc.no_sq)
		return 0;
	if (qp->sq_wait) {
		if (ktime_before(ktime_get(), qp->wait_until)) {
			if (ktime_before(qp->wait_until, *wake_at))
				*wake_at = qp->wait_until;
			return 0;
		}
		qp->sq_wait = false;
	}
	pending = mlx5x_hw_sq_pending(qp);
	if (pending < 0) {
		mlx5x_hw_sq_fail(qp, 0, 1, MLX5X_WC_LOC_QP_OP_ERR,
				 MLX5X_WQE_RING_OVERRUN, "send counter");
		return 1 + mlx5x_hw_qp_flush(qp);
	}
	while (pending > 0 && n < budget) {
		u16 before = qp->sq_pi;
		int r;

		if (mlx5x_hw_qp_state(qp) != MLX5X_QP_STATE_RTS)
			break;
		r = mlx5x_hw_sq_one(qp, pending);
		pending -= (u16)(qp->sq_pi - before);
		if (r == MLX5X_HW_SQ_STOP) {
			if (qp->sq_wait &&
			    ktime_before(qp->wait_until, *wake_at))
				*wake_at = qp->wait_until;
			n += qp->sq_pi != before;
			break;
		}
		n++;
	}
	if (mlx5x_hw_qp_state(qp) == MLX5X_QP_STATE_ERR)
		n += mlx5x_hw_qp_flush(qp);
	return n;
}

void mlx5x_hw_eng_qp_init(struct mlx5x_hw *hw, struct mlx5x_hw_qp *qp)
{
	qp->hw = hw;
	mutex_init(&qp->sq_mutex);
	mutex_init(&qp->rq_mutex);
	INIT_LIST_HEAD(&qp->active);
}

/*
 * Firmware context, sq_mutex and rq_mutex held: a modify command moved
 * @qp from @old to @state. RST forgets the engine's counters (the provider
 * zeroes its dbrec too); states in which the QP has work for the poller
 * (RTS, SQD, ERR to flush) put it on the poller's list.
 */
void mlx5x_hw_eng_qp_modified(struct mlx5x_hw_qp *qp, u8 old, u8 state)
{
	switch (state) {
	case MLX5X_QP_STATE_RST:
		qp->sq_pi = 0;
		qp->rq_ci = 0;
		qp->last_wqe = false;
		qp->sq_wait = false;
		qp->ack_wait = false;
		qp->retry_armed = false;
		mlx5x_hw_poll_deactivate(qp, false);
		break;
	case MLX5X_QP_STATE_RTS:
	case MLX5X_QP_STATE_SQD:
	case MLX5X_QP_STATE_ERR:
		mlx5x_hw_poll_activate(qp);
		break;
	default:
		break;
	}
}

/*
 * Firmware context, the QP already out of the table: after this the
 * engine never touches its rings, dbrec or CQs again, so the driver may
 * unpin them once DESTROY_QP has completed.
 */
void mlx5x_hw_eng_qp_remove(struct mlx5x_hw_qp *qp)
{
	mutex_lock(&qp->sq_mutex);
	mutex_lock(&qp->rq_mutex);
	WRITE_ONCE(qp->dead, true);
	mutex_unlock(&qp->rq_mutex);
	mutex_unlock(&qp->sq_mutex);
	mlx5x_hw_poll_deactivate(qp, true);
}

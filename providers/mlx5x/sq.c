// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The send queue: ibv_post_send and the send doorbell.
 *
 * Posting writes WQEs into the SQ ring (wqe.h builds the segments of
 * <rdma/mlx5x_wqe.h>), then rings once for the whole list:
 *
 *	build WQEs ──► udma_to_device barrier ──► SQ dbrec = cur_post (release)
 *	  ──► uar->sq_doorbell = qpn (a hint) ──► mfence ──► uar->need_wakeup?
 *	        set: kick (POST_SEND write() with no WRs)     clear: done
 *
 * The device's poller, while awake, notices the dbrec by itself. Before it
 * sleeps it sets NEED_WAKEUP and then looks at the dbrecs once more, so
 * with the full barrier between our dbrec store and our NEED_WAKEUP load
 * one of the two sides always sees the other (Dekker): no lost doorbell.
 *
 * As in mlx5: no QP state check (a WQE posted before RTS waits in the ring;
 * one posted in RESET is forgotten by the reset), up to max_send_wr WRs
 * outstanding, zero-length SGEs skipped, the WRs before a bad one posted.
 * Bad WRs: EINVAL (opcode, SGE count, inline size, atomic SGE, a bind the
 * WQE cannot express: mw.c; on UD anything but SEND(_IMM) or no AH, on UC
 * READ, atomics, windows, LOCAL_INV and SEND_WITH_INV), EOPNOTSUPP
 * (atomics or windows on a device without them), ENOMEM (SQ full).
 *
 * A UD WQE is ctrl, the datagram segment (the AH's address vector with the
 * WR's remote QPN and Q_Key), then the data: see <rdma/mlx5x_wqe.h>.
 */
#include <errno.h>
#include <unistd.h>

#include "mlx5x.h"
#include "barrier.h"
#include "sq.h"

static const struct mlx5x_send_op send_ops[] = {
	[IBV_WR_SEND] = {
		.opcode = MLX5X_OPCODE_SEND, .wc_opcode = IBV_WC_SEND,
		.valid = true, .inl = true,
	},
	[IBV_WR_SEND_WITH_IMM] = {
		.opcode = MLX5X_OPCODE_SEND_IMM, .wc_opcode = IBV_WC_SEND,
		.valid = true, .inl = true, .imm = true,
	},
	[IBV_WR_RDMA_WRITE] = {
		.opcode = MLX5X_OPCODE_RDMA_WRITE,
		.wc_opcode = IBV_WC_RDMA_WRITE,
		.valid = true, .inl = true, .raddr = true,
	},
	[IBV_WR_RDMA_WRITE_WITH_IMM] = {
		.opcode = MLX5X_OPCODE_RDMA_WRITE_IMM,
		.wc_opcode = IBV_WC_RDMA_WRITE,
		.valid = true, .inl = true, .raddr = true, .imm = true,
	},
	[IBV_WR_RDMA_READ] = {
		.opcode = MLX5X_OPCODE_RDMA_READ,
		.wc_opcode = IBV_WC_RDMA_READ,
		.valid = true, .raddr = true,
	},
	[IBV_WR_ATOMIC_CMP_AND_SWP] = {
		.opcode = MLX5X_OPCODE_ATOMIC_CS,
		.wc_opcode = IBV_WC_COMP_SWAP,
		.valid = true, .raddr = true, .atomic = true,
	},
	[IBV_WR_ATOMIC_FETCH_AND_ADD] = {
		.opcode = MLX5X_OPCODE_ATOMIC_FA,
		.wc_opcode = IBV_WC_FETCH_ADD,
		.valid = true, .raddr = true, .atomic = true,
	},
	[IBV_WR_SEND_WITH_INV] = {
		.opcode = MLX5X_OPCODE_SEND_INVAL, .wc_opcode = IBV_WC_SEND,
		.valid = true, .inl = true, .inv = true,
	},
	[IBV_WR_LOCAL_INV] = {
		.opcode = MLX5X_OPCODE_LOCAL_INV,
		.wc_opcode = IBV_WC_LOCAL_INV,
		.valid = true, .inv = true, .no_data = true,
	},
	[IBV_WR_BIND_MW] = {
		.opcode = MLX5X_OPCODE_BIND_MW, .wc_opcode = IBV_WC_BIND_MW,
		.valid = true, .bind = true, .no_data = true,
	},
};

const struct mlx5x_send_op *mlx5x_send_op(int ibv_opcode)
{
	if (ibv_opcode < 0 ||
	    (size_t)ibv_opcode >= sizeof(send_ops) / sizeof(send_ops[0]) ||
	    !send_ops[ibv_opcode].valid)
		return NULL;
	return &send_ops[ibv_opcode];
}

bool mlx5x_qp_op_ok(const struct mlx5x_qp *qp, const struct mlx5x_send_op *op)
{
	switch (qp->qp_type) {
	case IBV_QPT_UD:
		return op->opcode == MLX5X_OPCODE_SEND ||
		       op->opcode == MLX5X_OPCODE_SEND_IMM;
	case IBV_QPT_UC:
		/* No UC opcode for SEND with Invalidate; windows: RC only. */
		return op->opcode != MLX5X_OPCODE_RDMA_READ && !op->atomic &&
		       !op->inv && !op->bind;
	default:
		return true;
	}
}

uint8_t mlx5x_ctrl_flags(const struct mlx5x_sq *sq, unsigned int send_flags)
{
	uint8_t flags = 0;

	if (sq->sig_all || (send_flags & IBV_SEND_SIGNALED))
		flags |= MLX5X_WQE_CTRL_SIGNALED;
	if (send_flags & IBV_SEND_SOLICITED)
		flags |= MLX5X_WQE_CTRL_SOLICITED;
	if (send_flags & IBV_SEND_FENCE)
		flags |= MLX5X_WQE_CTRL_FENCE;
	return flags;
}

struct mlx5x_wqe_ctrl_seg *mlx5x_sq_begin_wqe(struct mlx5x_sq *sq,
					      const struct mlx5x_send_op *op,
					      uint8_t flags, uint32_t imm,
					      uint64_t wr_id, uint32_t nreq)
{
	uint32_t idx = sq->cur_post & (sq->wqe_cnt - 1);
	struct mlx5x_wqe_ctrl_seg *ctrl =
		(void *)(sq->buf + (size_t)idx * MLX5X_WQEBB_SIZE);

	mlx5x_set_ctrl_seg(ctrl, op->opcode, flags, sq->cur_post & 0xffff, imm);
	sq->wrid[idx] = wr_id;
	sq->wqe_head[idx] = sq->head + nreq;
	sq->wc_opcode[idx] = op->wc_opcode;
	return ctrl;
}

void mlx5x_sq_end_wqe(struct mlx5x_sq *sq, struct mlx5x_wqe_ctrl_seg *ctrl,
		      uint32_t qpn, uint32_t ds)
{
	mlx5x_set_ctrl_size(ctrl, qpn, ds);
	sq->cur_post += mlx5x_wqe_bbs(ds);
}

static int check_send_wr(struct mlx5x_qp *qp, const struct ibv_send_wr *wr,
			 const struct mlx5x_send_op *op, uint32_t nreq)
{
	struct mlx5x_sq *sq = &qp->sq;
	uint64_t len = 0;
	int i;

	if (!op || !mlx5x_qp_op_ok(qp, op))
		return EINVAL;
	if (qp->qp_type == IBV_QPT_UD && !wr->wr.ud.ah)
		return EINVAL;
	if (op->atomic && !qp->atomics)
		return EOPNOTSUPP;
	if ((op->inv || op->bind) && !qp->mw)
		return EOPNOTSUPP;
	if (mlx5x_sq_full(sq, nreq))
		return ENOMEM;
	if (op->bind) {
		struct mlx5x_wqe_bind_seg seg;

		return mlx5x_set_bind_seg(&seg, wr->bind_mw.mw, wr->bind_mw.rkey,
					  &wr->bind_mw.bind_info);
	}
	if (op->no_data)
		return 0;
	if (wr->num_sge < 0 || (uint32_t)wr->num_sge > sq->max_gs)
		return EINVAL;
	if (op->atomic) {
		/* One 8-byte buffer for the original remote value. */
		if (wr->num_sge != 1 || wr->sg_list[0].length < 8)
			return EINVAL;
	} else if (op->inl && (wr->send_flags & IBV_SEND_INLINE)) {
		for (i = 0; i < wr->num_sge; i++)
			len += wr->sg_list[i].length;
		if (len > sq->max_inline)
			return EINVAL;
	}
	return 0;
}

static void build_send_wqe(struct mlx5x_qp *qp, const struct ibv_send_wr *wr,
			   const struct mlx5x_send_op *op, uint32_t nreq)
{
	struct mlx5x_sq *sq = &qp->sq;
	struct mlx5x_ring ring = mlx5x_sq_ring_of(sq);
	struct mlx5x_wqe_ctrl_seg *ctrl;
	uint32_t ds = 1;
	void *seg;
	int i;

	/* wr->imm_data is __be32 already: it travels as is. */
	ctrl = mlx5x_sq_begin_wqe(sq, op, mlx5x_ctrl_flags(sq, wr->send_flags),
				  op->imm ? wr->imm_data :
				  op->inv ? wr->invalidate_rkey : 0,
				  wr->wr_id, nreq);
	seg = mlx5x_ring_seg(&ring, ctrl, sizeof(*ctrl));

	if (op->bind) {
		/* Checked by check_send_wr(); in the ctrl's WQEBB. */
		mlx5x_set_bind_seg(seg, wr->bind_mw.mw, wr->bind_mw.rkey,
				   &wr->bind_mw.bind_info);
		ds += sizeof(struct mlx5x_wqe_bind_seg) / MLX5X_WQE_SEG_SIZE;
		goto done;
	}
	if (op->no_data)
		goto done;

	if (op->atomic) {
		mlx5x_set_raddr_seg(seg, wr->wr.atomic.remote_addr,
				    wr->wr.atomic.rkey);
		seg = mlx5x_ring_seg(&ring, seg, MLX5X_WQE_SEG_SIZE);
		if (op->opcode == MLX5X_OPCODE_ATOMIC_CS)
			mlx5x_set_atomic_seg(seg, wr->wr.atomic.swap,
					     wr->wr.atomic.compare_add);
		else
			mlx5x_set_atomic_seg(seg, wr->wr.atomic.compare_add, 0);
		seg = mlx5x_ring_seg(&ring, seg, MLX5X_WQE_SEG_SIZE);
		mlx5x_set_data_seg(seg, 8, wr->sg_list[0].lkey,
				   wr->sg_list[0].addr);
		ds += 3;
		goto done;
	}

	if (qp->qp_type == IBV_QPT_UD) {
		/* Within the ctrl's WQEBB: no ring wrap inside it. */
		mlx5x_set_datagram_seg(seg, to_mah(wr->wr.ud.ah),
				       wr->wr.ud.remote_qpn,
				       wr->wr.ud.remote_qkey);
		seg = mlx5x_ring_seg(&ring, seg,
				     sizeof(struct mlx5x_wqe_datagram_seg));
		ds += sizeof(struct mlx5x_wqe_datagram_seg) /
		      MLX5X_WQE_SEG_SIZE;
	} else if (op->raddr) {
		mlx5x_set_raddr_seg(seg, wr->wr.rdma.remote_addr,
				    wr->wr.rdma.rkey);
		seg = mlx5x_ring_seg(&ring, seg, MLX5X_WQE_SEG_SIZE);
		ds++;
	}

	if (op->inl && (wr->send_flags & IBV_SEND_INLINE)) {
		struct mlx5x_inline_cursor c;

		mlx5x_inline_begin(&c, &ring, seg);
		for (i = 0; i < wr->num_sge; i++)
			mlx5x_inline_copy(&c, (void *)(uintptr_t)wr->sg_list[i].addr,
					  wr->sg_list[i].length);
		ds += mlx5x_inline_end(&c);
		goto done;
	}

	for (i = 0; i < wr->num_sge; i++) {
		const struct ibv_sge *sge = &wr->sg_list[i];

		if (!sge->length)
			continue;
		mlx5x_set_data_seg(seg, sge->length, sge->lkey, sge->addr);
		seg = mlx5x_ring_seg(&ring, seg, MLX5X_WQE_SEG_SIZE);
		ds++;
	}
done:
	mlx5x_sq_end_wqe(sq, ctrl, qp->qpn, ds);
}

/*
 * The kick: a POST_SEND write() with no work requests, which the kernel
 * passes to the driver's post_send with a NULL list (as rxe's provider does
 * for its doorbell). The response (bad_wr) is 0.
 */
int mlx5x_qp_kick(struct mlx5x_qp *qp)
{
	struct ib_uverbs_post_send_resp resp;
	struct {
		struct ib_uverbs_cmd_hdr hdr;
		struct ib_uverbs_post_send core;
	} cmd = {
		.hdr = {
			.command = IB_USER_VERBS_CMD_POST_SEND,
			.in_words = sizeof(cmd) / 4,
			.out_words = sizeof(resp) / 4,
		},
		.core = {
			.response = (uintptr_t)&resp,
			.qp_handle = qp->verbs_qp.qp.handle,
			.wr_count = 0,
			.sge_count = 0,
			.wqe_size = sizeof(struct ib_uverbs_send_wr),
		},
	};
	_Static_assert(sizeof(cmd) == 8 + 24, "POST_SEND command layout");

	if (write(qp->verbs_qp.qp.context->cmd_fd, &cmd, sizeof(cmd)) !=
	    sizeof(cmd))
		return errno;
	return 0;
}

void mlx5x_sq_ring(struct mlx5x_qp *qp)
{
	struct mlx5x_uar *uar = qp->uar;
	int ret;

	/* The WQEs are in memory before the device can see the counter. */
	mlx5x_udma_to_device_barrier();
	mlx5x_dbrec_store(&qp->dbrec[MLX5X_QP_DBREC_SND],
			  qp->sq.cur_post & 0xffff);
	__atomic_store_n(&uar->sq_doorbell, qp->qpn, __ATOMIC_RELAXED);

	/* Our stores before our look at the poller's flag (store-load). */
	mlx5x_mb();
	if (!(mlx5x_load_u32(&uar->need_wakeup) & MLX5X_UAR_NEED_WAKEUP))
		return;

	ret = mlx5x_qp_kick(qp);
	if (ret)
		/* The WRs are posted: report, don't fail (no re-posting). */
		mlx5x_err(&to_mctx(qp->verbs_qp.qp.context)->ibv_ctx,
			  "QP 0x%x: doorbell kick failed: %d\n", qp->qpn, ret);
}

int mlx5x_post_send(struct ibv_qp *ibqp, struct ibv_send_wr *wr,
		    struct ibv_send_wr **bad_wr)
{
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct mlx5x_sq *sq = &qp->sq;
	const struct mlx5x_send_op *op;
	uint32_t nreq;
	int err = 0;

	pthread_spin_lock(&sq->lock);

	for (nreq = 0; wr; nreq++, wr = wr->next) {
		op = mlx5x_send_op(wr->opcode);
		err = check_send_wr(qp, wr, op, nreq);
		if (err) {
			*bad_wr = wr;
			break;
		}
		build_send_wqe(qp, wr, op, nreq);
	}

	if (nreq) {
		sq->head += nreq;
		mlx5x_sq_ring(qp);
	}

	pthread_spin_unlock(&sq->lock);
	return err;
}

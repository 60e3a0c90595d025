// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The ibv_wr_* send API (ibv_qp_ex), for QPs created with
 * IBV_QP_INIT_ATTR_SEND_OPS_FLAGS. Same WQEs as ibv_post_send (sq.h, wqe.h),
 * built piecewise:
 *
 *	ibv_wr_start ─► lock the SQ, remember cur_post
 *	ibv_wr_send/rdma_write/... ─► close the previous WQE, open a new one:
 *	                   control [+ raddr] [+ atomic] [+ bind] segments
 *	ibv_wr_set_sge/sge_list/inline_data[_list] ─► its data segments
 *	ibv_wr_complete ─► close the last WQE; on any error so far, drop the
 *	                   whole batch and return it; else ring once, unlock
 *	ibv_wr_abort ─► drop the batch, unlock
 *
 * A WQE is closed (sized, cur_post advanced) when the next one opens or at
 * wr_complete, so an op with no data setter is a zero-byte one. The errors
 * are those of ibv_post_send, returned by wr_complete.
 */
#include <errno.h>

#include "mlx5x.h"
#include "sq.h"

static struct mlx5x_qp *qp_of(struct ibv_qp_ex *ibqp)
{
	return mlx5x_container_of(ibqp, struct mlx5x_qp, verbs_qp.qp_ex);
}

static void batch_fail(struct mlx5x_sq *sq, int err)
{
	if (!sq->batch_err)
		sq->batch_err = err;
}

static void close_wqe(struct mlx5x_qp *qp)
{
	struct mlx5x_sq *sq = &qp->sq;

	if (!sq->cur_ctrl)
		return;
	if (sq->cur_op->atomic && !sq->cur_has_data)
		batch_fail(sq, EINVAL);
	if (sq->cur_dgram && !sq->cur_dgram_set)
		batch_fail(sq, EINVAL);	/* UD WQE without wr_set_ud_addr */
	mlx5x_sq_end_wqe(sq, sq->cur_ctrl, qp->qpn, sq->cur_ds);
	sq->cur_ctrl = NULL;
	sq->batch_nreq++;
}

static void *next_seg(struct mlx5x_sq *sq);

/* Open a WQE for ibv_opcode; NULL if the batch has failed. */
static struct mlx5x_sq *open_wqe(struct ibv_qp_ex *ibqp, int ibv_opcode,
				 uint32_t imm)
{
	struct mlx5x_qp *qp = qp_of(ibqp);
	struct mlx5x_sq *sq = &qp->sq;
	const struct mlx5x_send_op *op = mlx5x_send_op(ibv_opcode);
	struct mlx5x_ring ring = mlx5x_sq_ring_of(sq);

	close_wqe(qp);
	if (sq->batch_err)
		return NULL;
	if (!mlx5x_qp_op_ok(qp, op)) {
		batch_fail(sq, EINVAL);
		return NULL;
	}
	if ((op->atomic && !qp->atomics) ||
	    ((op->inv || op->bind) && !qp->mw)) {
		batch_fail(sq, EOPNOTSUPP);
		return NULL;
	}
	if (mlx5x_sq_full(sq, sq->batch_nreq)) {
		batch_fail(sq, ENOMEM);
		return NULL;
	}

	sq->cur_ctrl = mlx5x_sq_begin_wqe(sq, op,
					  mlx5x_ctrl_flags(sq, ibqp->wr_flags),
					  imm, ibqp->wr_id, sq->batch_nreq);
	sq->cur_seg = mlx5x_ring_seg(&ring, sq->cur_ctrl,
				     sizeof(*sq->cur_ctrl));
	sq->cur_ds = 1;
	sq->cur_op = op;
	sq->cur_has_data = false;
	sq->cur_dgram = NULL;
	sq->cur_dgram_set = false;
	if (qp->qp_type == IBV_QPT_UD) {
		/* Room for the datagram segment wr_set_ud_addr fills. */
		sq->cur_dgram = next_seg(sq);
		next_seg(sq);
	}
	return sq;
}

/* Claim the next 16-byte segment of the open WQE. */
static void *next_seg(struct mlx5x_sq *sq)
{
	struct mlx5x_ring ring = mlx5x_sq_ring_of(sq);
	void *seg = sq->cur_seg;

	sq->cur_seg = mlx5x_ring_seg(&ring, seg, MLX5X_WQE_SEG_SIZE);
	sq->cur_ds++;
	return seg;
}

static void add_raddr(struct mlx5x_sq *sq, uint32_t rkey, uint64_t raddr)
{
	mlx5x_set_raddr_seg(next_seg(sq), raddr, rkey);
}

static void wr_send(struct ibv_qp_ex *ibqp)
{
	open_wqe(ibqp, IBV_WR_SEND, 0);
}

static void wr_send_imm(struct ibv_qp_ex *ibqp, __be32 imm_data)
{
	open_wqe(ibqp, IBV_WR_SEND_WITH_IMM, imm_data);
}

static void wr_rdma_write(struct ibv_qp_ex *ibqp, uint32_t rkey,
			  uint64_t remote_addr)
{
	struct mlx5x_sq *sq = open_wqe(ibqp, IBV_WR_RDMA_WRITE, 0);

	if (sq)
		add_raddr(sq, rkey, remote_addr);
}

static void wr_rdma_write_imm(struct ibv_qp_ex *ibqp, uint32_t rkey,
			      uint64_t remote_addr, __be32 imm_data)
{
	struct mlx5x_sq *sq = open_wqe(ibqp, IBV_WR_RDMA_WRITE_WITH_IMM,
				       imm_data);

	if (sq)
		add_raddr(sq, rkey, remote_addr);
}

static void wr_rdma_read(struct ibv_qp_ex *ibqp, uint32_t rkey,
			 uint64_t remote_addr)
{
	struct mlx5x_sq *sq = open_wqe(ibqp, IBV_WR_RDMA_READ, 0);

	if (sq)
		add_raddr(sq, rkey, remote_addr);
}

static void wr_atomic_cmp_swp(struct ibv_qp_ex *ibqp, uint32_t rkey,
			      uint64_t remote_addr, uint64_t compare,
			      uint64_t swap)
{
	struct mlx5x_sq *sq = open_wqe(ibqp, IBV_WR_ATOMIC_CMP_AND_SWP, 0);

	if (!sq)
		return;
	add_raddr(sq, rkey, remote_addr);
	mlx5x_set_atomic_seg(next_seg(sq), swap, compare);
}

static void wr_atomic_fetch_add(struct ibv_qp_ex *ibqp, uint32_t rkey,
				uint64_t remote_addr, uint64_t add)
{
	struct mlx5x_sq *sq = open_wqe(ibqp, IBV_WR_ATOMIC_FETCH_AND_ADD, 0);

	if (!sq)
		return;
	add_raddr(sq, rkey, remote_addr);
	mlx5x_set_atomic_seg(next_seg(sq), add, 0);
}

static void wr_send_inv(struct ibv_qp_ex *ibqp, uint32_t invalidate_rkey)
{
	open_wqe(ibqp, IBV_WR_SEND_WITH_INV, invalidate_rkey);
}

static void wr_local_inv(struct ibv_qp_ex *ibqp, uint32_t invalidate_rkey)
{
	open_wqe(ibqp, IBV_WR_LOCAL_INV, invalidate_rkey);
}

static void wr_bind_mw(struct ibv_qp_ex *ibqp, struct ibv_mw *mw,
		       uint32_t rkey, const struct ibv_mw_bind_info *info)
{
	struct mlx5x_sq *sq = open_wqe(ibqp, IBV_WR_BIND_MW, 0);
	struct mlx5x_wqe_bind_seg *seg;
	int err;

	if (!sq)
		return;
	/* Two segments in the ctrl's WQEBB: contiguous. */
	seg = next_seg(sq);
	next_seg(sq);
	err = mlx5x_set_bind_seg(seg, mw, rkey, info);
	if (err)
		batch_fail(sq, err);
}

/* The open WQE, ready for its data, or NULL (batch failed). */
static struct mlx5x_sq *data_wqe(struct ibv_qp_ex *ibqp)
{
	struct mlx5x_sq *sq = &qp_of(ibqp)->sq;

	if (sq->batch_err)
		return NULL;
	if (!sq->cur_ctrl || sq->cur_has_data || sq->cur_op->no_data) {
		/* No op before the setter, or a second setter. */
		batch_fail(sq, EINVAL);
		return NULL;
	}
	sq->cur_has_data = true;
	return sq;
}

static void add_sges(struct mlx5x_sq *sq, size_t num_sge,
		     const struct ibv_sge *sg_list)
{
	size_t i;

	if (sq->cur_op->atomic) {
		if (num_sge != 1 || sg_list[0].length < 8) {
			batch_fail(sq, EINVAL);
			return;
		}
		mlx5x_set_data_seg(next_seg(sq), 8, sg_list[0].lkey,
				   sg_list[0].addr);
		return;
	}
	if (num_sge > sq->max_gs) {
		batch_fail(sq, EINVAL);
		return;
	}
	for (i = 0; i < num_sge; i++)
		if (sg_list[i].length)
			mlx5x_set_data_seg(next_seg(sq), sg_list[i].length,
					   sg_list[i].lkey, sg_list[i].addr);
}

static void wr_set_sge(struct ibv_qp_ex *ibqp, uint32_t lkey, uint64_t addr,
		       uint32_t length)
{
	struct mlx5x_sq *sq = data_wqe(ibqp);
	struct ibv_sge sge = { .addr = addr, .length = length, .lkey = lkey };

	if (sq)
		add_sges(sq, 1, &sge);
}

static void wr_set_sge_list(struct ibv_qp_ex *ibqp, size_t num_sge,
			    const struct ibv_sge *sg_list)
{
	struct mlx5x_sq *sq = data_wqe(ibqp);

	if (sq)
		add_sges(sq, num_sge, sg_list);
}

static void add_inline(struct mlx5x_sq *sq, size_t num_buf,
		       const struct ibv_data_buf *buf_list)
{
	struct mlx5x_ring ring = mlx5x_sq_ring_of(sq);
	struct mlx5x_inline_cursor c;
	uint64_t len = 0;
	uint32_t ds;
	size_t i;

	if (!sq->cur_op->inl) {
		batch_fail(sq, EINVAL);
		return;
	}
	for (i = 0; i < num_buf; i++)
		len += buf_list[i].length;
	if (len > sq->max_inline) {
		batch_fail(sq, EINVAL);
		return;
	}

	mlx5x_inline_begin(&c, &ring, sq->cur_seg);
	for (i = 0; i < num_buf; i++)
		mlx5x_inline_copy(&c, buf_list[i].addr, buf_list[i].length);
	ds = mlx5x_inline_end(&c);
	sq->cur_seg = mlx5x_ring_seg(&ring, sq->cur_seg,
				     (size_t)ds * MLX5X_WQE_SEG_SIZE);
	sq->cur_ds += ds;
}

static void wr_set_inline_data(struct ibv_qp_ex *ibqp, void *addr,
			       size_t length)
{
	struct mlx5x_sq *sq = data_wqe(ibqp);
	struct ibv_data_buf buf = { .addr = addr, .length = length };

	if (sq)
		add_inline(sq, 1, &buf);
}

static void wr_set_inline_data_list(struct ibv_qp_ex *ibqp, size_t num_buf,
				    const struct ibv_data_buf *buf_list)
{
	struct mlx5x_sq *sq = data_wqe(ibqp);

	if (sq)
		add_inline(sq, num_buf, buf_list);
}

static void wr_start(struct ibv_qp_ex *ibqp)
{
	struct mlx5x_sq *sq = &qp_of(ibqp)->sq;

	pthread_spin_lock(&sq->lock);
	sq->batch_nreq = 0;
	sq->batch_start_post = sq->cur_post;
	sq->batch_err = 0;
	sq->cur_ctrl = NULL;
}

static void drop_batch(struct mlx5x_sq *sq)
{
	/* Nothing was rung: the slots past head are free again. */
	sq->cur_post = sq->batch_start_post;
	sq->cur_ctrl = NULL;
	sq->batch_nreq = 0;
}

static int wr_complete(struct ibv_qp_ex *ibqp)
{
	struct mlx5x_qp *qp = qp_of(ibqp);
	struct mlx5x_sq *sq = &qp->sq;
	int err;

	close_wqe(qp);
	err = sq->batch_err;
	if (err) {
		drop_batch(sq);
	} else if (sq->batch_nreq) {
		sq->head += sq->batch_nreq;
		mlx5x_sq_ring(qp);
	}
	pthread_spin_unlock(&sq->lock);
	return err;
}

static void wr_abort(struct ibv_qp_ex *ibqp)
{
	struct mlx5x_sq *sq = &qp_of(ibqp)->sq;

	drop_batch(sq);
	pthread_spin_unlock(&sq->lock);
}

/* Ops an RC QP of mlx5x does not offer: they fail the batch. */
static void wr_unsupported(struct ibv_qp_ex *ibqp)
{
	batch_fail(&qp_of(ibqp)->sq, EOPNOTSUPP);
}

static void wr_send_tso(struct ibv_qp_ex *ibqp, void *hdr, uint16_t hdr_sz,
			uint16_t mss)
{
	wr_unsupported(ibqp);
}

static void wr_set_ud_addr(struct ibv_qp_ex *ibqp, struct ibv_ah *ah,
			   uint32_t remote_qpn, uint32_t remote_qkey)
{
	struct mlx5x_sq *sq = &qp_of(ibqp)->sq;

	if (sq->batch_err)
		return;
	if (!sq->cur_dgram || !ah) {
		batch_fail(sq, EINVAL);
		return;
	}
	mlx5x_set_datagram_seg(sq->cur_dgram, to_mah(ah), remote_qpn,
			       remote_qkey);
	sq->cur_dgram_set = true;
}

static void wr_set_xrc_srqn(struct ibv_qp_ex *ibqp, uint32_t remote_srqn)
{
	wr_unsupported(ibqp);
}

static void wr_atomic_write(struct ibv_qp_ex *ibqp, uint32_t rkey,
			    uint64_t remote_addr, const void *atomic_wr)
{
	wr_unsupported(ibqp);
}

void mlx5x_qp_init_wr_ops(struct mlx5x_qp *qp)
{
	struct ibv_qp_ex *q = &qp->verbs_qp.qp_ex;

	q->wr_send = wr_send;
	q->wr_send_imm = wr_send_imm;
	q->wr_rdma_write = wr_rdma_write;
	q->wr_rdma_write_imm = wr_rdma_write_imm;
	q->wr_rdma_read = wr_rdma_read;
	q->wr_atomic_cmp_swp = wr_atomic_cmp_swp;
	q->wr_atomic_fetch_add = wr_atomic_fetch_add;
	q->wr_set_sge = wr_set_sge;
	q->wr_set_sge_list = wr_set_sge_list;
	q->wr_set_inline_data = wr_set_inline_data;
	q->wr_set_inline_data_list = wr_set_inline_data_list;
	q->wr_bind_mw = wr_bind_mw;
	q->wr_local_inv = wr_local_inv;
	q->wr_send_inv = wr_send_inv;
	q->wr_start = wr_start;
	q->wr_complete = wr_complete;
	q->wr_abort = wr_abort;

	q->wr_send_tso = wr_send_tso;
	q->wr_set_ud_addr = wr_set_ud_addr;
	q->wr_set_xrc_srqn = wr_set_xrc_srqn;
	q->wr_atomic_write = wr_atomic_write;
}

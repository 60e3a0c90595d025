// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kernel queue pairs: UD QPs of in-kernel consumers, above all the GSI QP
 * (QPN 1) through which ib_mad, and so ib_cm and rdma_cm, send and receive
 * MADs. The driver plays the provider's part: it builds send WQEs (ctrl,
 * datagram, data segments) and receive WQEs in a ring of its own memory,
 * stores the doorbell record and, for the send queue, writes the QPN to
 * the device's SQ doorbell register. Posting never sleeps (ib_mad posts
 * under a spinlock) and never waits for the device.
 *
 * Addresses in kernel work requests are DMA addresses of the ib_device's
 * DMA device, i.e. physical, and their lkey is the PD's local_dma_lkey:
 * a physical-address MKey (dma_mr.c), which the device checks like any
 * other (PD, access, every page RAM).
 *
 * Completions: poll_cq (kcq.c) hands each CQE back with the wr_id kept
 * here, by WQE index, and moves the consumer counters that make room for
 * new posts. A send CQE completes its WQE and every unsignaled one before
 * it.
 *
 * Only UD and GSI: connected kernel QPs (for ULPs such as NVMe-oF or
 * NFS/RDMA) would need the rest of the send opcodes and fast registration,
 * which the device does not offer to the kernel yet.
 */
#include <linux/vmalloc.h>
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

#define MLX5X_UD_WQE_FIXED	(sizeof(struct mlx5x_wqe_ctrl_seg) + \
				 sizeof(struct mlx5x_wqe_datagram_seg))

static u32 kqp_ud_wqe_bbs(u32 nsge)
{
	return DIV_ROUND_UP(MLX5X_UD_WQE_FIXED +
			    nsge * sizeof(struct mlx5x_wqe_data_seg),
			    MLX5X_SEND_WQE_BB);
}

/* Ring sizes from the requested capabilities; fills in what was granted. */
static int kqp_geometry(struct mlx5x_dev *dev, struct mlx5x_kqp *kqp,
			struct ib_qp_init_attr *init)
{
	u32 max_wqes = 1U << dev->cap.log_max_qp_sz;
	struct ib_qp_cap *cap = &init->cap;
	u32 rsge = max_t(u32, cap->max_recv_sge, 1);

	if (!cap->max_send_wr || !cap->max_recv_wr ||
	    cap->max_send_sge > dev->cap.max_sge_sq ||
	    rsge > dev->cap.max_sge_rq || cap->max_inline_data ||
	    kqp_ud_wqe_bbs(cap->max_send_sge) > MLX5X_MAX_WQE_BBS ||
	    cap->max_send_wr > max_wqes || cap->max_recv_wr > max_wqes)
		return -EINVAL;
	kqp->sq_max_bbs = kqp_ud_wqe_bbs(cap->max_send_sge);
	kqp->sq_wqebbs = roundup_pow_of_two(cap->max_send_wr *
					    kqp->sq_max_bbs);
	kqp->rq_wqes = roundup_pow_of_two(cap->max_recv_wr);
	kqp->rq_shift = ilog2(roundup_pow_of_two(rsge *
				sizeof(struct mlx5x_wqe_data_seg)));
	if (kqp->sq_wqebbs > max_wqes || kqp->rq_shift > 8)
		return -EINVAL;

	cap->max_send_wr = kqp->sq_wqebbs / kqp->sq_max_bbs;
	cap->max_recv_wr = kqp->rq_wqes;
	cap->max_recv_sge = (1U << kqp->rq_shift) /
			    sizeof(struct mlx5x_wqe_data_seg);
	return 0;
}

/* Data segments of a work request; a zero-length one moves nothing. */
static u32 kqp_set_dsegs(struct mlx5x_wqe_data_seg *dseg,
			 const struct ib_sge *sg, int num_sge)
{
	u32 n = 0;
	int i;

	for (i = 0; i < num_sge; i++) {
		if (!sg[i].length)
			continue;
		dseg[n].byte_count = sg[i].length;
		dseg[n].lkey = sg[i].lkey;
		dseg[n].addr = sg[i].addr;
		n++;
	}
	return n;
}

static void kqp_free(struct mlx5x_kqp *kqp)
{
	kvfree(kqp->sq_wrid);
	kvfree(kqp->sq_nbbs);
	kvfree(kqp->rq_wrid);
	mlx5x_kring_free(&kqp->ring);
	kfree(kqp);
}

int mlx5x_kqp_create(struct mlx5x_dev *dev, struct mlx5x_qp *qp,
		     struct ib_qp_init_attr *init)
{
	struct mlx5x_qpc qpc = {};
	struct mlx5x_kqp *kqp;
	size_t rq_bytes;
	int err;

	if (!dev->kuar_valid)
		return -EOPNOTSUPP;
	if (init->qp_type != IB_QPT_UD && init->qp_type != IB_QPT_GSI)
		return -EOPNOTSUPP;
	if (init->qp_type == IB_QPT_GSI && init->port_num != 1)
		return -EINVAL;
	if (init->srq || !to_mcq(init->send_cq)->kcq ||
	    !to_mcq(init->recv_cq)->kcq)
		return -EOPNOTSUPP;

	kqp = kzalloc(sizeof(*kqp), GFP_KERNEL);
	if (!kqp)
		return -ENOMEM;
	spin_lock_init(&kqp->sq_lock);
	spin_lock_init(&kqp->rq_lock);
	err = kqp_geometry(dev, kqp, init);
	if (err)
		goto err_free;
	kqp->sq_wrid = kvcalloc(kqp->sq_wqebbs, sizeof(u64), GFP_KERNEL);
	kqp->sq_nbbs = kvcalloc(kqp->sq_wqebbs, sizeof(u8), GFP_KERNEL);
	kqp->rq_wrid = kvcalloc(kqp->rq_wqes, sizeof(u64), GFP_KERNEL);
	if (!kqp->sq_wrid || !kqp->sq_nbbs || !kqp->rq_wrid) {
		err = -ENOMEM;
		goto err_free;
	}
	rq_bytes = (size_t)kqp->rq_wqes << kqp->rq_shift;
	err = mlx5x_kring_alloc(&kqp->ring, rq_bytes + (size_t)kqp->sq_wqebbs *
				MLX5X_SEND_WQE_BB);
	if (err)
		goto err_free;

	qpc.st = MLX5X_QP_ST_UD;
	qpc.gsi = init->qp_type == IB_QPT_GSI;
	qpc.log_sq_size = ilog2(kqp->sq_wqebbs);
	qpc.log_rq_size = ilog2(kqp->rq_wqes);
	qpc.log_rq_stride = kqp->rq_shift;
	qpc.uar_index = dev->kuar_index;
	qpc.dbr_addr = virt_to_phys(kqp->ring.db);
	qp->kqp = kqp;
	err = mlx5x_qp_create_hw(dev, qp, init, &qpc, NULL, &kqp->ring);
	if (err) {
		qp->kqp = NULL;
		goto err_free;
	}
	return 0;

err_free:
	kqp_free(kqp);
	return err;
}

/* After DESTROY_QP: no CQE of this QP comes any more. */
void mlx5x_kqp_destroy(struct mlx5x_qp *qp)
{
	struct mlx5x_cq *scq = to_mcq(qp->ibqp.send_cq);
	struct mlx5x_cq *rcq = to_mcq(qp->ibqp.recv_cq);

	mlx5x_kcq_clean(scq, qp->qpn);
	if (rcq != scq)
		mlx5x_kcq_clean(rcq, qp->qpn);
	kqp_free(qp->kqp);
	qp->kqp = NULL;
}

static void *kqp_sq_bb(struct mlx5x_kqp *kqp, u32 n)
{
	size_t rq_bytes = (size_t)kqp->rq_wqes << kqp->rq_shift;

	return kqp->ring.buf + rq_bytes +
	       (size_t)(n & (kqp->sq_wqebbs - 1)) * MLX5X_SEND_WQE_BB;
}

/* Build one UD send WQE at the producer index; returns its WQEBBs. */
static int kqp_build_ud_send(struct mlx5x_qp *qp, const struct ib_send_wr *wr)
{
	struct mlx5x_kqp *kqp = qp->kqp;
	const struct ib_ud_wr *ud = ud_wr(wr);
	u8 wqe[MLX5X_MAX_WQE_BBS * MLX5X_WQEBB_SIZE];
	struct mlx5x_wqe_ctrl_seg *ctrl = (void *)wqe;
	struct mlx5x_wqe_datagram_seg *dg = (void *)(ctrl + 1);
	struct mlx5x_wqe_data_seg *dseg = (void *)(dg + 1);
	u32 nsge, ds, nbbs, i;
	bool signaled;

	if (wr->opcode != IB_WR_SEND && wr->opcode != IB_WR_SEND_WITH_IMM)
		return -EINVAL;
	if (wr->send_flags & IB_SEND_INLINE || !ud->ah ||
	    wr->num_sge > qp->cap.max_send_sge)
		return -EINVAL;

	/* Only what this QP's largest WQE can use (its padding included). */
	memset(wqe, 0, kqp->sq_max_bbs * MLX5X_SEND_WQE_BB);

	*dg = to_mah(ud->ah)->av;
	dg->dqpn = ud->remote_qpn;
	dg->qkey = ud->remote_qkey;
	nsge = kqp_set_dsegs(dseg, wr->sg_list, wr->num_sge);
	ds = (MLX5X_UD_WQE_FIXED + nsge * sizeof(*dseg)) / MLX5X_WQE_SEG_SIZE;
	nbbs = DIV_ROUND_UP(ds * MLX5X_WQE_SEG_SIZE, MLX5X_SEND_WQE_BB);
	if (kqp->sq_pi - READ_ONCE(kqp->sq_ci) + nbbs > kqp->sq_wqebbs)
		return -ENOMEM;

	signaled = qp->sq_sig_type == IB_SIGNAL_ALL_WR ||
		   (wr->send_flags & IB_SEND_SIGNALED);
	ctrl->opcode = wr->opcode == IB_WR_SEND ? MLX5X_OPCODE_SEND :
						  MLX5X_OPCODE_SEND_IMM;
	ctrl->flags = (signaled ? MLX5X_WQE_CTRL_SIGNALED : 0) |
		      ((wr->send_flags & IB_SEND_SOLICITED) ?
		       MLX5X_WQE_CTRL_SOLICITED : 0);
	ctrl->wqe_index = kqp->sq_pi & 0xffff;
	ctrl->qpn_ds = qp->qpn << 8 | ds;
	/* The consumer's __be32, carried as is. */
	if (wr->opcode == IB_WR_SEND_WITH_IMM)
		ctrl->imm = (__force u32)wr->ex.imm_data;

	for (i = 0; i < nbbs; i++)
		memcpy(kqp_sq_bb(kqp, kqp->sq_pi + i),
		       wqe + i * MLX5X_SEND_WQE_BB, MLX5X_SEND_WQE_BB);
	kqp->sq_wrid[kqp->sq_pi & (kqp->sq_wqebbs - 1)] = wr->wr_id;
	kqp->sq_nbbs[kqp->sq_pi & (kqp->sq_wqebbs - 1)] = nbbs;
	return nbbs;
}

int mlx5x_kqp_post_send(struct mlx5x_qp *qp, const struct ib_send_wr *wr,
			const struct ib_send_wr **bad_wr)
{
	struct mlx5x_dev *dev = to_mdev(qp->ibqp.device);
	struct mlx5x_kqp *kqp = qp->kqp;
	unsigned long flags;
	int n, err = 0;
	u32 start;

	spin_lock_irqsave(&kqp->sq_lock, flags);
	start = kqp->sq_pi;
	for (; wr; wr = wr->next) {
		n = kqp_build_ud_send(qp, wr);
		if (n < 0) {
			err = n;
			*bad_wr = wr;
			break;
		}
		kqp->sq_pi += n;
	}
	if (kqp->sq_pi != start) {
		/* Release: the WQEs are written before the device sees them. */
		smp_store_release(&kqp->ring.db[MLX5X_QP_DBREC_SND],
				  kqp->sq_pi & 0xffff);
		mlx5x_hw_write_reg(dev->hw, MLX5X_REG_SQ_DB, qp->qpn);
	}
	spin_unlock_irqrestore(&kqp->sq_lock, flags);
	return err;
}

int mlx5x_post_recv(struct ib_qp *ibqp, const struct ib_recv_wr *wr,
		    const struct ib_recv_wr **bad_wr)
{
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct mlx5x_kqp *kqp = qp->kqp;
	struct mlx5x_wqe_data_seg *dseg;
	u32 start, slots, nsge;
	unsigned long flags;
	int err = 0;

	if (!kqp) {
		*bad_wr = wr;
		return -EOPNOTSUPP;
	}
	slots = (1U << kqp->rq_shift) / sizeof(*dseg);
	spin_lock_irqsave(&kqp->rq_lock, flags);
	start = kqp->rq_pi;
	for (; wr; wr = wr->next) {
		if (wr->num_sge > slots ||
		    kqp->rq_pi - READ_ONCE(kqp->rq_ci) >= kqp->rq_wqes) {
			err = wr->num_sge > slots ? -EINVAL : -ENOMEM;
			*bad_wr = wr;
			break;
		}
		dseg = kqp->ring.buf + ((size_t)(kqp->rq_pi &
					(kqp->rq_wqes - 1)) << kqp->rq_shift);
		nsge = kqp_set_dsegs(dseg, wr->sg_list, wr->num_sge);
		if (nsge < slots) {
			dseg[nsge].byte_count = 0;
			dseg[nsge].lkey = MLX5X_INVALID_LKEY;
			dseg[nsge].addr = 0;
		}
		kqp->rq_wrid[kqp->rq_pi & (kqp->rq_wqes - 1)] = wr->wr_id;
		kqp->rq_pi++;
	}
	if (kqp->rq_pi != start)
		/* Release: the WQEs are written before the device sees them. */
		smp_store_release(&kqp->ring.db[MLX5X_QP_DBREC_RCV],
				  kqp->rq_pi & 0xffff);
	spin_unlock_irqrestore(&kqp->rq_lock, flags);
	return err;
}

/*
 * A send CQE for the WQE at WQEBB index @wqe_counter: it and every WQE
 * before it are done. Called under the CQ's lock: one CQ per queue.
 */
u64 mlx5x_kqp_sq_done(struct mlx5x_qp *qp, u16 wqe_counter)
{
	struct mlx5x_kqp *kqp = qp->kqp;
	u32 idx = wqe_counter & (kqp->sq_wqebbs - 1);
	u32 ci = READ_ONCE(kqp->sq_ci);

	/* The 16-bit counter names the WQE at or after the consumer index. */
	ci += (u16)(wqe_counter - (u16)ci) + kqp->sq_nbbs[idx];
	WRITE_ONCE(kqp->sq_ci, ci);
	return kqp->sq_wrid[idx];
}

u64 mlx5x_kqp_rq_done(struct mlx5x_qp *qp, u16 wqe_counter)
{
	struct mlx5x_kqp *kqp = qp->kqp;
	u32 ci = READ_ONCE(kqp->rq_ci);

	ci += (u16)(wqe_counter - (u16)ci) + 1;
	WRITE_ONCE(kqp->rq_ci, ci);
	return kqp->rq_wrid[wqe_counter & (kqp->rq_wqes - 1)];
}

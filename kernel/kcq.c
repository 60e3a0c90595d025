// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kernel completion queues: the CQs of in-kernel consumers (ib_mad's for
 * the GSI QP, any ULP's through ib_alloc_cq()). The driver does here what
 * the provider does for a process: it owns the CQE ring and the doorbell
 * record, polls CQEs by their owner bit, reports its consumer index
 * through the CI word and arms with the ARM word (<rdma/mlx5x_wqe.h>).
 *
 * Arming: each completion event the device fires remembers the arm_sn it
 * fired for; mlx5x_kcq_event() moves to the next one before the consumer's
 * handler runs, so the consumer's next arm is a new one. A CQE written
 * before the arm raises no event: IB_CQ_REPORT_MISSED_EVENTS looks for one
 * after the ARM word is stored (the device reads that word only after its
 * CQE is visible, hw_cqe.c, so one side always sees the other).
 *
 * A CQE names its QP by number; a kernel QP being destroyed marks its
 * CQEs not yet polled (mlx5x_kcq_clean()) so a later QP with the same
 * number never receives them.
 */
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

#define MLX5X_KCQE_QPN_GONE	U32_MAX	/* a QPN the device never uses */

static struct mlx5x_cqe *kcq_cqe(struct mlx5x_kcq *kcq, u32 n)
{
	return kcq->ring.buf + (size_t)(n & ((1U << kcq->log_size) - 1)) *
			       MLX5X_CQE_SIZE;
}

/* The CQE at consumer count @n if software owns it. */
static struct mlx5x_cqe *kcq_sw_cqe(struct mlx5x_kcq *kcq, u32 n)
{
	struct mlx5x_cqe *cqe = kcq_cqe(kcq, n);
	u8 owner;

	/* Acquire: the CQE body is read only after its owner byte. */
	owner = smp_load_acquire(&cqe->owner) & 1;
	return owner == ((n >> kcq->log_size) & 1) ? cqe : NULL;
}

int mlx5x_kcq_create(struct mlx5x_dev *dev, struct mlx5x_cq *cq,
		     const struct ib_cq_init_attr *attr)
{
	u32 entries = roundup_pow_of_two(attr->cqe), i;
	struct mlx5x_kcq *kcq;
	int err;

	if (!dev->kuar_valid)
		return -EOPNOTSUPP;
	kcq = kzalloc(sizeof(*kcq), GFP_KERNEL);
	if (!kcq)
		return -ENOMEM;
	spin_lock_init(&kcq->lock);
	kcq->log_size = ilog2(entries);
	err = mlx5x_kring_alloc(&kcq->ring, (size_t)entries * MLX5X_CQE_SIZE);
	if (err)
		goto err_free;
	/* Nothing is new on the first pass until the device writes it. */
	for (i = 0; i < entries; i++)
		kcq_cqe(kcq, i)->owner = 1;

	cq->kcq = kcq;
	err = mlx5x_cq_create_hw(dev, cq, entries, dev->kuar_index,
				 virt_to_phys(kcq->ring.db), NULL, &kcq->ring);
	if (err)
		goto err_ring;
	cq->ibcq.cqe = entries;
	return 0;

err_ring:
	cq->kcq = NULL;
	mlx5x_kring_free(&kcq->ring);
err_free:
	kfree(kcq);
	return err;
}

/* After DESTROY_CQ: the device no longer writes the ring. */
void mlx5x_kcq_destroy(struct mlx5x_cq *cq)
{
	mlx5x_kring_free(&cq->kcq->ring);
	kfree(cq->kcq);
	cq->kcq = NULL;
}

static enum ib_wc_opcode kcq_send_opcode(u8 send_opcode)
{
	switch (send_opcode) {
	case MLX5X_OPCODE_RDMA_WRITE:
	case MLX5X_OPCODE_RDMA_WRITE_IMM:
		return IB_WC_RDMA_WRITE;
	case MLX5X_OPCODE_RDMA_READ:
		return IB_WC_RDMA_READ;
	case MLX5X_OPCODE_ATOMIC_CS:
		return IB_WC_COMP_SWAP;
	case MLX5X_OPCODE_ATOMIC_FA:
		return IB_WC_FETCH_ADD;
	case MLX5X_OPCODE_LOCAL_INV:
		return IB_WC_LOCAL_INV;
	case MLX5X_OPCODE_BIND_MW:
		return IB_WC_REG_MR;
	default:
		return IB_WC_SEND;
	}
}

/* The receive side of a CQE into @wc. */
static void kcq_recv_wc(const struct mlx5x_cqe *cqe, struct ib_wc *wc)
{
	wc->opcode = cqe->opcode == MLX5X_CQE_RESP_WR_IMM ?
		     IB_WC_RECV_RDMA_WITH_IMM : IB_WC_RECV;
	wc->byte_len = cqe->byte_cnt;
	wc->src_qp = cqe->src_qp;
	wc->sl = cqe->sl;
	wc->pkey_index = cqe->pkey_index;
	if (cqe->opcode == MLX5X_CQE_RESP_SEND_IMM ||
	    cqe->opcode == MLX5X_CQE_RESP_WR_IMM) {
		wc->wc_flags |= IB_WC_WITH_IMM;
		/* The sender's __be32, carried as is. */
		wc->ex.imm_data = (__force __be32)cqe->imm_inval;
	} else if (cqe->opcode == MLX5X_CQE_RESP_SEND_INV) {
		wc->wc_flags |= IB_WC_WITH_INVALIDATE;
		wc->ex.invalidate_rkey = cqe->imm_inval;
	}
	if (!(cqe->flags & MLX5X_CQE_GRH))
		return;
	wc->wc_flags |= IB_WC_GRH;
	if (cqe->l3_type == MLX5X_CQE_L3_IPV4 ||
	    cqe->l3_type == MLX5X_CQE_L3_IPV6) {
		wc->wc_flags |= IB_WC_WITH_NETWORK_HDR_TYPE;
		wc->network_hdr_type = cqe->l3_type == MLX5X_CQE_L3_IPV4 ?
				       RDMA_NETWORK_IPV4 : RDMA_NETWORK_IPV6;
	}
}

/* One CQE into @wc; false if its QP is gone (the CQE is dropped). */
static bool kcq_cqe_to_wc(struct mlx5x_dev *dev, const struct mlx5x_cqe *cqe,
			  struct ib_wc *wc)
{
	struct mlx5x_res *res;
	struct mlx5x_qp *qp;
	bool send;

	if (cqe->qpn == MLX5X_KCQE_QPN_GONE)
		return false;
	res = mlx5x_res_get(&dev->qps, cqe->qpn);
	if (!res)
		return false;
	qp = container_of(res, struct mlx5x_qp, res);
	if (!qp->kqp) {
		mlx5x_res_put(res);
		return false;
	}

	memset(wc, 0, sizeof(*wc));
	wc->qp = &qp->ibqp;
	wc->status = cqe->status;
	wc->vendor_err = cqe->vendor_err;
	wc->port_num = 1;
	send = cqe->opcode == MLX5X_CQE_REQ || cqe->opcode == MLX5X_CQE_REQ_ERR;
	if (send) {
		wc->wr_id = mlx5x_kqp_sq_done(qp, cqe->wqe_counter);
		wc->opcode = kcq_send_opcode(cqe->send_opcode);
		wc->byte_len = cqe->byte_cnt;
	} else {
		wc->wr_id = mlx5x_kqp_rq_done(qp, cqe->wqe_counter);
		kcq_recv_wc(cqe, wc);
	}
	mlx5x_res_put(res);
	return true;
}

int mlx5x_poll_cq(struct ib_cq *ibcq, int num_entries, struct ib_wc *wc)
{
	struct mlx5x_dev *dev = to_mdev(ibcq->device);
	struct mlx5x_kcq *kcq = to_mcq(ibcq)->kcq;
	struct mlx5x_cqe *cqe;
	unsigned long flags;
	u32 start;
	int n = 0;

	if (!kcq)
		return -EINVAL;
	spin_lock_irqsave(&kcq->lock, flags);
	start = kcq->ci;
	while (n < num_entries) {
		cqe = kcq_sw_cqe(kcq, kcq->ci);
		if (!cqe)
			break;
		kcq->ci++;
		if (kcq_cqe_to_wc(dev, cqe, &wc[n]))
			n++;
	}
	if (kcq->ci != start)
		/* Release: the CQEs are read before the device reuses them. */
		smp_store_release(&kcq->ring.db[MLX5X_CQ_DBREC_CI],
				  kcq->ci & MLX5X_CQ_CI_MASK);
	spin_unlock_irqrestore(&kcq->lock, flags);
	return n;
}

int mlx5x_req_notify_cq(struct ib_cq *ibcq, enum ib_cq_notify_flags flags)
{
	struct mlx5x_kcq *kcq = to_mcq(ibcq)->kcq;
	unsigned long irqflags;
	u32 cmd;
	int ret = 0;

	if (!kcq)
		return -EINVAL;
	cmd = (flags & IB_CQ_SOLICITED_MASK) == IB_CQ_SOLICITED ?
	      MLX5X_CQ_ARM_SOLICITED : MLX5X_CQ_ARM_NEXT;
	spin_lock_irqsave(&kcq->lock, irqflags);
	WRITE_ONCE(kcq->ring.db[MLX5X_CQ_DBREC_ARM],
		   (kcq->arm_sn & MLX5X_CQ_ARM_SN_MASK) <<
		   MLX5X_CQ_ARM_SN_SHIFT | cmd << MLX5X_CQ_ARM_CMD_SHIFT |
		   (kcq->ci & MLX5X_CQ_CI_MASK));
	/* The ARM word is visible before we look for a CQE (hw_cqe.c). */
	smp_mb();
	if ((flags & IB_CQ_REPORT_MISSED_EVENTS) && kcq_sw_cqe(kcq, kcq->ci))
		ret = 1;
	spin_unlock_irqrestore(&kcq->lock, irqflags);
	return ret;
}

/* A completion event fired: the next arm is a new one. */
void mlx5x_kcq_event(struct mlx5x_cq *cq)
{
	unsigned long flags;

	spin_lock_irqsave(&cq->kcq->lock, flags);
	cq->kcq->arm_sn++;
	spin_unlock_irqrestore(&cq->kcq->lock, flags);
}

/* QP @qpn is destroyed: drop its CQEs not yet polled. */
void mlx5x_kcq_clean(struct mlx5x_cq *cq, u32 qpn)
{
	struct mlx5x_kcq *kcq = cq->kcq;
	struct mlx5x_cqe *cqe;
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&kcq->lock, flags);
	for (n = kcq->ci; (cqe = kcq_sw_cqe(kcq, n)); n++) {
		if (n - kcq->ci >= (1U << kcq->log_size))
			break;
		if (cqe->qpn == qpn)
			cqe->qpn = MLX5X_KCQE_QPN_GONE;
	}
	spin_unlock_irqrestore(&kcq->lock, flags);
}

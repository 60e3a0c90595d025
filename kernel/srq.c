// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Shared receive queues (basic type). The provider allocates the ring of
 * WQE slots and the doorbell record, links the slots into its free list
 * and posts receives without a system call; the driver pins both and
 * creates the device's SRQ on them (CREATE_SRQ). Capacity is what the
 * ring holds: wqe_cnt - 1 WQEs (one slot always ends the free list), each
 * with (stride - 16) / 16 SGEs.
 *
 *	ib_create_srq  ─► mlx5x_create_srq: pin ring + dbrec, CREATE_SRQ
 *	ib_modify_srq  ─► mlx5x_modify_srq: MODIFY_SRQ (the limit only; a
 *	                  resize is refused with EINVAL, as mlx5 does)
 *	ib_query_srq   ─► mlx5x_query_srq: QUERY_SRQ (the limit left armed)
 *	ib_destroy_srq ─► mlx5x_destroy_srq: DESTROY_SRQ, unpin (the core
 *	                  refuses it with EBUSY while QPs use the SRQ)
 *
 * The device reports the limit event and SRQ errors through the async EQ;
 * mlx5x_srq_event() hands them to the ib_srq's event handler, holding a
 * reference that destroy waits for.
 */
#include <rdma/uverbs_ioctl.h>
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

/* Bytes of an SRQ slot before its data segments. */
#define MLX5X_SRQ_NEXT_SEG	16
#define MLX5X_SRQ_MIN_SHIFT	5
#define MLX5X_SRQ_MAX_SHIFT	8

/* Data segments a slot of 1 << shift bytes holds. */
static u32 srq_slot_sges(u32 shift)
{
	return ((1U << shift) - MLX5X_SRQ_NEXT_SEG) / MLX5X_RECV_WQE_MIN_STRIDE;
}

u32 mlx5x_srq_max_sge(struct mlx5x_dev *dev)
{
	return min_t(u32, dev->cap.max_sge_rq,
		     srq_slot_sges(MLX5X_SRQ_MAX_SHIFT));
}

static int srq_check_geometry(struct mlx5x_dev *dev,
			      const struct ib_srq_attr *attr,
			      const struct mlx5x_create_srq *ucmd)
{
	u32 max_slots = 1U << dev->cap.log_max_srq_sz;

	if (ucmd->flags || ucmd->reserved)
		return -EINVAL;
	if (attr->max_wr < 1 || attr->max_wr >= max_slots ||
	    attr->max_sge > mlx5x_srq_max_sge(dev))
		return -EINVAL;
	if (!is_power_of_2(ucmd->wqe_cnt) || ucmd->wqe_cnt > max_slots ||
	    ucmd->wqe_cnt < attr->max_wr + 1)
		return -EINVAL;
	if (ucmd->wqe_shift < MLX5X_SRQ_MIN_SHIFT ||
	    ucmd->wqe_shift > MLX5X_SRQ_MAX_SHIFT ||
	    attr->max_sge > srq_slot_sges(ucmd->wqe_shift))
		return -EINVAL;
	if (!IS_ALIGNED(ucmd->buf_addr, MLX5X_SEND_WQE_BB))
		return -EINVAL;
	return 0;
}

int mlx5x_create_srq(struct ib_srq *ibsrq, struct ib_srq_init_attr *init,
		     struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibsrq->device);
	struct mlx5x_srq *srq = to_msrq(ibsrq);
	struct mlx5x_ucontext *uctx = rdma_udata_to_drv_context(udata,
					struct mlx5x_ucontext, ibucontext);
	struct mlx5x_create_srq_resp resp = {};
	struct mlx5x_alloc_out out = {};
	struct mlx5x_create_srq_in *in;
	struct mlx5x_create_srq ucmd;
	size_t npages, in_len;
	int err;

	/* The data path is the provider's; there are no kernel SRQs. */
	if (!udata || !uctx)
		return -EOPNOTSUPP;
	if (init->srq_type != IB_SRQT_BASIC)
		return -EOPNOTSUPP;
	if (udata->inlen < sizeof(ucmd))
		return -EINVAL;
	err = ib_copy_from_udata(&ucmd, udata, sizeof(ucmd));
	if (err)
		return err;
	err = srq_check_geometry(dev, &init->attr, &ucmd);
	if (err)
		return err;

	err = mlx5x_user_ring_get(uctx, ucmd.buf_addr,
				  (size_t)ucmd.wqe_cnt << ucmd.wqe_shift,
				  ucmd.db_addr, &srq->ring);
	if (err)
		return err;

	npages = ib_umem_num_pages(srq->ring.umem);
	in_len = struct_size(in, pas, npages);
	in = kvzalloc(in_len, GFP_KERNEL);
	if (!in) {
		err = -ENOMEM;
		goto err_ring;
	}
	in->hdr.opcode = MLX5X_CMD_CREATE_SRQ;
	in->srqc.log_srq_size = ilog2(ucmd.wqe_cnt);
	in->srqc.log_wqe_stride = ucmd.wqe_shift;
	in->srqc.log_page_size = PAGE_SHIFT;
	in->srqc.pdn = to_mpd(ibsrq->pd)->pdn;
	in->srqc.npages = npages;
	in->srqc.page_offset = ib_umem_offset(srq->ring.umem);
	in->srqc.dbr_addr = srq->ring.db.phys;
	mlx5x_pas_from_umem(srq->ring.umem, in->pas);
	err = mlx5x_cmd_exec(dev, in, in_len, &out, sizeof(out));
	kvfree(in);
	if (err)
		goto err_ring;
	srq->srqn = out.id;
	srq->max_wr = ucmd.wqe_cnt - 1;
	srq->max_sge = min_t(u32, srq_slot_sges(ucmd.wqe_shift),
			     mlx5x_srq_max_sge(dev));

	err = mlx5x_res_add(&dev->srqs, srq->srqn, &srq->res);
	if (err)
		goto err_cmd;

	resp.srqn = srq->srqn;
	err = ib_copy_to_udata(udata, &resp,
			       min_t(size_t, udata->outlen, sizeof(resp)));
	if (err)
		goto err_xa;
	/* What the ring really holds, reported back as mlx5 does. */
	init->attr.max_wr = srq->max_wr;
	init->attr.max_sge = srq->max_sge;
	return 0;

err_xa:
	mlx5x_res_del(&dev->srqs, srq->srqn, &srq->res);
err_cmd:
	mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_SRQ, srq->srqn);
err_ring:
	mlx5x_user_ring_put(uctx, &srq->ring);
	return err;
}

int mlx5x_modify_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr,
		     enum ib_srq_attr_mask mask, struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibsrq->device);
	struct mlx5x_srq *srq = to_msrq(ibsrq);
	struct mlx5x_cmd_simple_out out = {};
	struct mlx5x_modify_srq_in in = {};

	/* No resize, as on mlx5. */
	if (mask & IB_SRQ_MAX_WR)
		return -EINVAL;
	if (!(mask & IB_SRQ_LIMIT))
		return 0;
	if (attr->srq_limit > srq->max_wr)
		return -EINVAL;
	in.hdr.opcode = MLX5X_CMD_MODIFY_SRQ;
	in.srqn = srq->srqn;
	in.lwm = attr->srq_limit;
	return mlx5x_cmd_exec(dev, &in, sizeof(in), &out, sizeof(out));
}

int mlx5x_query_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr)
{
	struct mlx5x_dev *dev = to_mdev(ibsrq->device);
	struct mlx5x_srq *srq = to_msrq(ibsrq);
	struct mlx5x_query_srq_out *out;
	struct mlx5x_obj_in in = {};
	int err;

	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	in.hdr.opcode = MLX5X_CMD_QUERY_SRQ;
	in.id = srq->srqn;
	err = mlx5x_cmd_exec(dev, &in, sizeof(in), out, sizeof(*out));
	if (!err) {
		attr->srq_limit = out->srqc.lwm;
		attr->max_wr = srq->max_wr;
		attr->max_sge = srq->max_sge;
	}
	kfree(out);
	return err;
}

int mlx5x_destroy_srq(struct ib_srq *ibsrq, struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibsrq->device);
	struct mlx5x_srq *srq = to_msrq(ibsrq);
	struct mlx5x_ucontext *uctx = rdma_udata_to_drv_context(udata,
					struct mlx5x_ucontext, ibucontext);
	int err;

	err = mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_SRQ, srq->srqn);
	if (err == -EBUSY)
		return err;
	mlx5x_res_del(&dev->srqs, srq->srqn, &srq->res);
	if (err && err != -ENODEV) {
		/* The device may still read the ring: keep it pinned. */
		dev_err(&dev->pdev->dev, "DESTROY_SRQ %u failed: %d\n",
			srq->srqn, err);
		return 0;
	}
	mlx5x_user_ring_put(uctx, &srq->ring);
	return 0;
}

/* From the EQ handler: an affiliated asynchronous event on SRQ @srqn. */
void mlx5x_srq_event(struct mlx5x_dev *dev, u32 srqn, u8 eqe_type)
{
	struct mlx5x_res *res = mlx5x_res_get(&dev->srqs, srqn);
	struct ib_event ev = {};
	struct mlx5x_srq *srq;

	if (!res)
		return;
	srq = container_of(res, struct mlx5x_srq, res);

	if (srq->ibsrq.event_handler) {
		ev.device = &dev->ib_dev;
		ev.element.srq = &srq->ibsrq;
		ev.event = eqe_type == MLX5X_EQE_SRQ_LIMIT ?
			   IB_EVENT_SRQ_LIMIT_REACHED : IB_EVENT_SRQ_ERR;
		srq->ibsrq.event_handler(&ev, srq->ibsrq.srq_context);
	}
	mlx5x_res_put(res);
}

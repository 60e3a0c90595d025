// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Completion queues. The provider allocates the CQE ring and the doorbell
 * record in its own memory; the driver pins both and creates the device's
 * CQ on them, bound to the completion EQ of the requested vector. The
 * device's completion and error events reach the ib_cq through
 * mlx5x_cq_event(), which holds a reference so destroy can wait for it.
 *
 * A kernel CQ (ib_mad's, for the GSI QP) has its ring in the driver's
 * memory and is polled by the driver (kcq.c); the device cannot tell the
 * difference.
 *
 * Resizing pins the provider's new ring and sends RESIZE_CQ; once the device
 * has switched (atomically with its CQE writes, hw_cq.c) it never touches
 * the old ring, which is unpinned. The provider learns the switch point
 * (switch_pc) and moves the CQEs it has not polled into the new ring.
 */
#include <rdma/uverbs_ioctl.h>
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

/* A CQE ring as the provider describes it: 64-byte CQEs, aligned. */
static bool cq_ring_ok(u32 cqe_size, u32 reserved, u64 buf_addr)
{
	return cqe_size == MLX5X_CQE_SIZE && !reserved &&
	       IS_ALIGNED(buf_addr, MLX5X_CQE_SIZE);
}

/*
 * CREATE_CQ on a ring of @entries CQEs: the process's pinned pages (@umem)
 * or the driver's own (@kring); then publish the CQ for its events.
 */
int mlx5x_cq_create_hw(struct mlx5x_dev *dev, struct mlx5x_cq *cq,
		       u32 entries, u32 uar_index, phys_addr_t dbr,
		       struct ib_umem *umem, const struct mlx5x_kring *kring)
{
	struct mlx5x_alloc_out out = {};
	struct mlx5x_create_cq_in *in;
	size_t npages, in_len;
	int err;

	npages = mlx5x_ring_npages(umem, kring);
	in_len = struct_size(in, pas, npages);
	in = kvzalloc(in_len, GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	in->hdr.opcode = MLX5X_CMD_CREATE_CQ;
	in->cqc.log_cq_size = ilog2(entries);
	in->cqc.cqe_size = MLX5X_CQE_SIZE;
	in->cqc.eqn = dev->comp_eq.eqn;
	in->cqc.uar_index = uar_index;
	in->cqc.dbr_addr = dbr;
	in->cqc.npages = npages;
	in->cqc.log_page_size = PAGE_SHIFT;
	in->cqc.page_offset = mlx5x_ring_pas(umem, kring, in->pas);
	err = mlx5x_cmd_exec(dev, in, in_len, &out, sizeof(out));
	kvfree(in);
	if (err)
		return err;
	cq->cqn = out.id;

	err = mlx5x_res_add(&dev->cqs, cq->cqn, &cq->res);
	if (err)
		mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_CQ, cq->cqn);
	return err;
}

int mlx5x_create_cq(struct ib_cq *ibcq, const struct ib_cq_init_attr *attr,
		    struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibcq->device);
	struct mlx5x_cq *cq = to_mcq(ibcq);
	struct mlx5x_ucontext *uctx = rdma_udata_to_drv_context(udata,
					struct mlx5x_ucontext, ibucontext);
	struct mlx5x_create_cq_resp resp = {};
	struct mlx5x_create_cq ucmd;
	u32 entries;
	int err;

	if (attr->flags)
		return -EOPNOTSUPP;
	if (attr->comp_vector >= dev->ib_dev.num_comp_vectors)
		return -EINVAL;
	if (attr->cqe < 1 || attr->cqe > (1U << dev->cap.log_max_cq_sz))
		return -EINVAL;
	if (!udata)
		return mlx5x_kcq_create(dev, cq, attr);
	if (!uctx)
		return -EOPNOTSUPP;
	if (udata->inlen < sizeof(ucmd))
		return -EINVAL;
	err = ib_copy_from_udata(&ucmd, udata, sizeof(ucmd));
	if (err)
		return err;
	if (!cq_ring_ok(ucmd.cqe_size, ucmd.reserved, ucmd.buf_addr))
		return -EINVAL;

	entries = roundup_pow_of_two(attr->cqe);
	mutex_init(&cq->resize_mutex);
	err = mlx5x_user_ring_get(uctx, ucmd.buf_addr,
				  (size_t)entries * MLX5X_CQE_SIZE,
				  ucmd.db_addr, &cq->ring);
	if (err)
		return err;
	err = mlx5x_cq_create_hw(dev, cq, entries, uctx->uar_index,
				 cq->ring.db.phys, cq->ring.umem, NULL);
	if (err)
		goto err_ring;

	resp.cqn = cq->cqn;
	err = ib_copy_to_udata(udata, &resp,
			       min_t(size_t, udata->outlen, sizeof(resp)));
	if (err)
		goto err_xa;
	ibcq->cqe = entries;
	return 0;

err_xa:
	mlx5x_res_del(&dev->cqs, cq->cqn, &cq->res);
	mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_CQ, cq->cqn);
err_ring:
	mlx5x_user_ring_put(uctx, &cq->ring);
	return err;
}

int mlx5x_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibcq->device);
	struct mlx5x_cq *cq = to_mcq(ibcq);
	struct mlx5x_ucontext *uctx = rdma_udata_to_drv_context(udata,
					struct mlx5x_ucontext, ibucontext);
	int err;

	err = mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_CQ, cq->cqn);
	mlx5x_res_del(&dev->cqs, cq->cqn, &cq->res);
	if (err && err != -ENODEV) {
		/* The device may still write the ring: keep it pinned. */
		dev_err(&dev->pdev->dev, "DESTROY_CQ %u failed: %d\n",
			cq->cqn, err);
		return 0;
	}
	if (cq->kcq) {
		mlx5x_kcq_destroy(cq);
		return 0;
	}
	mlx5x_user_ring_put(uctx, &cq->ring);
	mutex_destroy(&cq->resize_mutex);
	return 0;
}

static int mlx5x_resize_cq_cmd(struct mlx5x_dev *dev, struct mlx5x_cq *cq,
			       struct ib_umem *umem, u32 entries,
			       u32 *switch_pc)
{
	struct mlx5x_resize_cq_out out = {};
	struct mlx5x_resize_cq_in *in;
	size_t npages, in_len;
	int err;

	npages = ib_umem_num_pages(umem);
	in_len = struct_size(in, pas, npages);
	in = kvzalloc(in_len, GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	in->hdr.opcode = MLX5X_CMD_RESIZE_CQ;
	in->cqn = cq->cqn;
	in->log_cq_size = ilog2(entries);
	in->npages = npages;
	in->page_offset = ib_umem_offset(umem);
	in->log_page_size = PAGE_SHIFT;
	mlx5x_pas_from_umem(umem, in->pas);
	err = mlx5x_cmd_exec(dev, in, in_len, &out, sizeof(out));
	kvfree(in);
	if (!err)
		*switch_pc = out.switch_pc;
	return err;
}

int mlx5x_resize_cq(struct ib_cq *ibcq, int cqe, struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibcq->device);
	struct mlx5x_cq *cq = to_mcq(ibcq);
	struct mlx5x_resize_cq_resp resp = {};
	struct mlx5x_resize_cq ucmd;
	struct ib_umem *umem;
	u32 entries;
	int err;

	if (!udata)
		return -EOPNOTSUPP;
	if (cqe < 1 || cqe > (1 << dev->cap.log_max_cq_sz))
		return -EINVAL;
	if (udata->inlen < sizeof(ucmd) ||
	    udata->outlen < sizeof(resp))
		return -EINVAL;
	err = ib_copy_from_udata(&ucmd, udata, sizeof(ucmd));
	if (err)
		return err;
	if (!cq_ring_ok(ucmd.cqe_size, ucmd.reserved, ucmd.buf_addr))
		return -EINVAL;
	entries = roundup_pow_of_two(cqe);

	mutex_lock(&cq->resize_mutex);
	umem = ib_umem_get(ibcq->device, ucmd.buf_addr,
			   (size_t)entries * MLX5X_CQE_SIZE,
			   IB_ACCESS_LOCAL_WRITE);
	if (IS_ERR(umem)) {
		err = PTR_ERR(umem);
		goto out;
	}
	err = mlx5x_resize_cq_cmd(dev, cq, umem, entries, &resp.switch_pc);
	if (err) {
		ib_umem_release(umem);
		goto out;
	}
	/* The device writes only the new ring from now on. */
	ib_umem_release(cq->ring.umem);
	cq->ring.umem = umem;
	ibcq->cqe = entries;
	err = ib_copy_to_udata(udata, &resp, sizeof(resp));
out:
	mutex_unlock(&cq->resize_mutex);
	return err;
}

/* From the EQ handler: a completion event or an error on CQ @cqn. */
void mlx5x_cq_event(struct mlx5x_dev *dev, u32 cqn, bool error)
{
	struct mlx5x_res *res = mlx5x_res_get(&dev->cqs, cqn);
	struct ib_event ev = {};
	struct mlx5x_cq *cq;

	if (!res)
		return;
	cq = container_of(res, struct mlx5x_cq, res);

	if (!error) {
		if (cq->kcq)
			mlx5x_kcq_event(cq);
		if (cq->ibcq.comp_handler)
			cq->ibcq.comp_handler(&cq->ibcq, cq->ibcq.cq_context);
	} else if (cq->ibcq.event_handler) {
		ev.device = &dev->ib_dev;
		ev.element.cq = &cq->ibcq;
		ev.event = IB_EVENT_CQ_ERR;
		cq->ibcq.event_handler(&ev, cq->ibcq.cq_context);
	}

	mlx5x_res_put(res);
}

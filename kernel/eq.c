// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Event queues, the driver's side.
 *
 * The driver owns two EQs per device:
 *   async EQ (vector MLX5X_VEC_ASYNC): command completions, QP/SRQ/CQ
 *                                      events and errors,
 *                                      device fatal errors;
 *   comp EQ  (vector MLX5X_VEC_COMP):  CQ completion events.
 *
 * The device writes EQEs into the ring and, when the EQ is armed, raises
 * the EQ's vector once (mlx5x_irq()). The handler consumes every EQE that
 * software owns, then writes the consumer index with the arm bit so the
 * next EQE raises the vector again. An EQE belongs to software when its
 * owner bit equals the parity of the pass over the ring the consumer index
 * is on (the device writes pass parity; the ring starts all-ones, i.e.
 * owned by the device on pass 0).
 */
#include "mlx5x.h"

static struct mlx5x_eqe *eq_next_sw(struct mlx5x_eq *eq)
{
	struct mlx5x_eqe *eqe = eq->buf + (eq->ci & (eq->nent - 1)) *
				MLX5X_EQE_SIZE;
	u8 pass = !!(eq->ci & eq->nent);

	if ((READ_ONCE(eqe->owner) & MLX5X_EQE_OWNER) != pass)
		return NULL;
	/* Read the EQE body only after its owner bit. */
	dma_rmb();
	return eqe;
}

static void eq_update_ci(struct mlx5x_dev *dev, struct mlx5x_eq *eq,
			 bool arm)
{
	u32 val = eq->eqn << MLX5X_EQ_DB_EQN_SHIFT |
		  (eq->ci & MLX5X_EQ_DB_CI_MASK);

	if (arm)
		val |= MLX5X_EQ_DB_ARM;

	mlx5x_hw_write_reg(dev->hw, MLX5X_REG_EQ_DB, val);
}

static void eq_dispatch(struct mlx5x_dev *dev, const struct mlx5x_eqe *eqe)
{
	switch (eqe->type) {
	case MLX5X_EQE_CMD:
		mlx5x_cmd_complete(dev, eqe->cmd_vector);
		break;
	case MLX5X_EQE_COMP:
		mlx5x_cq_event(dev, eqe->cqn, false);
		break;
	case MLX5X_EQE_CQ_ERROR:
		mlx5x_cq_event(dev, eqe->cqn, true);
		break;
	case MLX5X_EQE_QP_PATH_MIG:
	case MLX5X_EQE_QP_COMM_EST:
	case MLX5X_EQE_QP_SQ_DRAINED:
	case MLX5X_EQE_QP_LAST_WQE:
	case MLX5X_EQE_QP_CATAS_ERR:
	case MLX5X_EQE_QP_INVAL_REQ_ERR:
	case MLX5X_EQE_QP_ACCESS_ERR:
		mlx5x_qp_event(dev, eqe->qpn, eqe->type);
		break;
	case MLX5X_EQE_SRQ_LIMIT:
	case MLX5X_EQE_SRQ_CATAS_ERR:
		mlx5x_srq_event(dev, eqe->srqn, eqe->type);
		break;
	case MLX5X_EQE_INTERNAL_ERROR:
		dev_err(&dev->pdev->dev, "device internal error, syndrome 0x%x\n",
			eqe->syndrome);
		mlx5x_port_event(dev, IB_EVENT_DEVICE_FATAL);
		break;
	default:
		dev_dbg(&dev->pdev->dev, "unknown EQE type 0x%x\n", eqe->type);
		break;
	}
}

static void eq_poll(struct mlx5x_dev *dev, struct mlx5x_eq *eq)
{
	struct mlx5x_eqe eqe_copy;
	struct mlx5x_eqe *eqe;
	unsigned long flags;

	/* eq->lock keeps mlx5x_eq_destroy() from freeing the ring under us. */
	spin_lock_irqsave(&eq->lock, flags);
	if (!eq->created)
		goto out;
	while ((eqe = eq_next_sw(eq))) {
		memcpy(&eqe_copy, eqe, sizeof(eqe_copy));
		eq->ci++;
		eq_dispatch(dev, &eqe_copy);
	}
	eq_update_ci(dev, eq, true);
out:
	spin_unlock_irqrestore(&eq->lock, flags);
}

/* The interrupt handler registered with the device. */
void mlx5x_irq(void *ctx, unsigned int vector)
{
	struct mlx5x_dev *dev = ctx;

	switch (vector) {
	case MLX5X_VEC_ASYNC:
		eq_poll(dev, &dev->async_eq);
		break;
	case MLX5X_VEC_COMP:
		eq_poll(dev, &dev->comp_eq);
		break;
	default:
		break;
	}
}

int mlx5x_eq_create(struct mlx5x_dev *dev, struct mlx5x_eq *eq, u32 nent,
		    unsigned int vector, u32 event_mask)
{
	struct mlx5x_create_eq_in *in;
	struct mlx5x_alloc_out out = {};
	size_t npages, in_len;
	u32 i;
	int err;

	spin_lock_init(&eq->lock);
	eq->dev = dev;
	eq->nent = nent;
	eq->ci = 0;
	eq->vector = vector;
	eq->buf_size = PAGE_ALIGN(nent * MLX5X_EQE_SIZE);
	eq->buf = alloc_pages_exact(eq->buf_size, GFP_KERNEL | __GFP_ZERO);
	if (!eq->buf)
		return -ENOMEM;
	for (i = 0; i < nent; i++) {
		struct mlx5x_eqe *eqe = eq->buf + i * MLX5X_EQE_SIZE;

		eqe->owner = MLX5X_EQE_OWNER;
	}

	npages = eq->buf_size >> PAGE_SHIFT;
	in_len = struct_size(in, pas, npages);
	in = kzalloc(in_len, GFP_KERNEL);
	if (!in) {
		err = -ENOMEM;
		goto err_buf;
	}
	in->hdr.opcode = MLX5X_CMD_CREATE_EQ;
	in->eqc.log_eq_size = ilog2(nent);
	in->eqc.intr = vector;
	in->eqc.event_mask = event_mask;
	in->eqc.npages = npages;
	in->eqc.log_page_size = PAGE_SHIFT;
	mlx5x_pas_from_buf(eq->buf, eq->buf_size, in->pas);

	err = mlx5x_cmd_exec(dev, in, in_len, &out, sizeof(out));
	kfree(in);
	if (err)
		goto err_buf;
	eq->eqn = out.id;
	spin_lock_irq(&eq->lock);
	eq->created = true;
	eq_update_ci(dev, eq, true);
	spin_unlock_irq(&eq->lock);
	return 0;

err_buf:
	free_pages_exact(eq->buf, eq->buf_size);
	eq->buf = NULL;
	return err;
}

void mlx5x_eq_destroy(struct mlx5x_dev *dev, struct mlx5x_eq *eq)
{
	int err;

	if (!eq->created)
		return;
	err = mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_EQ, eq->eqn);
	spin_lock_irq(&eq->lock);
	eq->created = false;
	spin_unlock_irq(&eq->lock);
	if (err) {
		/* The device may still write it: leak rather than corrupt. */
		dev_err(&dev->pdev->dev, "DESTROY_EQ %u failed: %d\n",
			eq->eqn, err);
		return;
	}
	free_pages_exact(eq->buf, eq->buf_size);
	eq->buf = NULL;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mlx5x: a ConnectX-style RDMA HCA in software. This file is the driver
 * half's entry point: module load, the "mlx5x" rdma link type, and the life
 * of one device.
 *
 * Theory of operation
 * -------------------
 * The module holds two halves with one narrow boundary between them:
 *
 *   user app -- libibverbs -- libmlx5x --(uverbs)--> driver half (kernel/)
 *                                |                      |  commands, doorbells
 *                                |                      v  EQs, pinned memory
 *                                +---(rings, dbrecs)--> device half (hw/)
 *
 * The driver half is what mlx5_ib + mlx5_core are to a ConnectX: it pins
 * memory, maps UAR pages, and creates every hardware object by a firmware
 * command (cmd.c). The device half is the card: it owns the context tables
 * and executes commands and, later, WQEs. The driver reaches it only through
 * hw/mlx5x_hw.h and the formats in <rdma/mlx5x_if.h>.
 *
 * Glossary
 *   UAR     user access region: a BAR page a process maps to ring doorbells
 *   PD      protection domain number; MKeys and QPs carry one
 *   MKey    memory key: a pinned page list, its IOVA range, PD and rights;
 *           lkey == rkey == index << 8 | variant
 *   MW      memory window: an MKey with no pages, bound to part of an MR
 *           by the data path (mw.c; the device does the rest)
 *   CQ/CQE  completion queue and its 64-byte entries, in user memory
 *   QP/WQE  queue pair and its work queue entries, in user memory
 *   SRQ     shared receive queue: receive WQEs many QPs take from
 *   dbrec   doorbell record: 8 bytes of user memory with ring counters
 *   EQ/EQE  event queue (host memory) the device writes events to
 *   PAS     page address list: physical addresses of pinned pages
 *   GSI     the General Services QP (QPN 1) ib_mad runs: a kernel QP
 *           (kqp.c) on kernel CQs (kcq.c), rings in driver memory
 *   PA MKey the local_dma_lkey of kernel PDs: physical addresses (dma_mr.c)
 *
 * Life of a device
 *   rdma link add NAME type mlx5x netdev IF
 *     mlx5x_newlink()
 *       platform device "mlx5x"      the parent, matched by modalias,
 *                                    and the DMA device (64-bit, direct)
 *       mlx5x_hw_create()            power on the card
 *       mlx5x_cmd_init()             hand it the command queue (polling)
 *       QUERY_HCA_CAP, INIT_HCA
 *       async EQ -> command events    comp EQ    the kernel UAR
 *       mlx5x_register_device()      ib_register_device(); ib_mad opens
 *                                    the port: PD, CQ, GSI QP
 *   rdma link delete / netdev gone / rmmod
 *     ib_unregister_device*()        uverbs disassociates live processes,
 *                                    destroying their objects
 *       mlx5x_dealloc_driver() -> mlx5x_dev_teardown()
 *         destroy EQs, TEARDOWN_HCA, mlx5x_hw_destroy(), free the parent
 *
 * Context and locking
 *   Verbs run in process context and may sleep (commands sleep), except
 *   the kernel data path (post_send/post_recv/poll_cq/req_notify_cq and
 *   kernel create_ah), which any context may call and never sleeps. The
 *   device's interrupts (mlx5x_irq) run in a device worker and must not
 *   sleep; they touch QPs/CQs only through the qps/cqs xarrays with a
 *   reference that destroy waits for. Lock order: qp->mutex, then the
 *   command interface (cmd->sem, then cmd->lock); eq->lock, then cmd->lock
 *   or the xarray locks.
 */
#include <linux/module.h>
#include <rdma/rdma_netlink.h>
#include <linux/dma-mapping.h>
#include "mlx5x.h"

static LIST_HEAD(mlx5x_dev_list);
static DEFINE_MUTEX(mlx5x_dev_list_lock);

static struct mlx5x_dev *mlx5x_find_by_ndev(struct net_device *ndev)
{
	struct mlx5x_dev *dev;

	lockdep_assert_held(&mlx5x_dev_list_lock);
	list_for_each_entry(dev, &mlx5x_dev_list, list)
		if (dev->ndev == ndev)
			return dev;
	return NULL;
}

static int mlx5x_query_caps(struct mlx5x_dev *dev)
{
	struct mlx5x_query_hca_cap_out *out;
	struct mlx5x_cmd_simple_in in = {};
	int err;

	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	in.hdr.opcode = MLX5X_CMD_QUERY_HCA_CAP;
	err = mlx5x_cmd_exec(dev, &in, sizeof(in), out, sizeof(*out));
	if (!err)
		dev->cap = out->cap;
	kfree(out);
	if (err)
		return err;
	if (!(dev->cap.flags & MLX5X_CAP_FLAG_RC) || dev->cap.num_ports != 1)
		return -EOPNOTSUPP;
	return 0;
}

static int mlx5x_wait_fw_ready(struct mlx5x_dev *dev)
{
	unsigned long end = jiffies + msecs_to_jiffies(5000);

	while (mlx5x_hw_read_reg(dev->hw, MLX5X_REG_INITIALIZING) & BIT(31)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		usleep_range(100, 200);
	}
	return 0;
}

/* Bring the device half up to the point the ib_device can register. */
static int mlx5x_hca_init(struct mlx5x_dev *dev)
{
	int err;

	err = mlx5x_wait_fw_ready(dev);
	if (err)
		return err;
	err = mlx5x_cmd_init(dev);
	if (err)
		return err;
	err = mlx5x_query_caps(dev);
	if (err)
		return err;
	err = mlx5x_cmd_hdr_only(dev, MLX5X_CMD_INIT_HCA);
	if (err)
		return err;
	dev->hca_initialized = true;

	err = mlx5x_eq_create(dev, &dev->async_eq, MLX5X_ASYNC_EQ_SIZE,
			      MLX5X_VEC_ASYNC,
			      MLX5X_EQ_EVENTS_CMD | MLX5X_EQ_EVENTS_ASYNC);
	if (err)
		return err;
	mlx5x_cmd_use_events(dev, true);
	err = mlx5x_eq_create(dev, &dev->comp_eq, MLX5X_COMP_EQ_SIZE,
			      MLX5X_VEC_COMP, MLX5X_EQ_EVENTS_COMP);
	if (err)
		return err;

	/* Kernel verbs (ib_mad's GSI QP): one UAR for kernel CQs and QPs. */
	if (dev->cap.flags & MLX5X_CAP_FLAG_GSI) {
		err = mlx5x_cmd_alloc(dev, MLX5X_CMD_ALLOC_UAR,
				      &dev->kuar_index);
		if (err)
			return err;
		dev->kuar_valid = true;
	}
	return 0;
}

/* The DMA device of the ib_device: 64-bit, direct-mapped, no bounce. */
static int mlx5x_dma_setup(struct mlx5x_dev *dev)
{
	struct device *d = &dev->pdev->dev;
	int err;

	if (!d->dma_parms)
		d->dma_parms = &dev->dma_parms;
	err = dma_coerce_mask_and_coherent(d, DMA_BIT_MASK(64));
	if (err)
		return err;
	return dma_set_max_seg_size(d, UINT_MAX);
}

/*
 * Undo everything mlx5x_newlink() did; safe on a partly set-up device.
 * The ib_device memory itself belongs to the core.
 */
void mlx5x_dev_teardown(struct mlx5x_dev *dev)
{
	mutex_lock(&mlx5x_dev_list_lock);
	list_del_init(&dev->list);
	mutex_unlock(&mlx5x_dev_list_lock);

	if (dev->hw) {
		if (dev->kuar_valid)
			mlx5x_cmd_simple(dev, MLX5X_CMD_DEALLOC_UAR,
					 dev->kuar_index);
		dev->kuar_valid = false;
		mlx5x_eq_destroy(dev, &dev->comp_eq);
		/* The async EQ carries command completions: poll from here. */
		mlx5x_cmd_use_events(dev, false);
		mlx5x_eq_destroy(dev, &dev->async_eq);
		if (dev->hca_initialized)
			mlx5x_cmd_hdr_only(dev, MLX5X_CMD_TEARDOWN_HCA);
		dev->hca_initialized = false;
		mlx5x_hw_destroy(dev->hw);
		dev->hw = NULL;
	}
	mlx5x_cmd_cleanup(dev);
	/* Rings of EQs the device never released are safe to free now. */
	if (dev->comp_eq.buf)
		free_pages_exact(dev->comp_eq.buf, dev->comp_eq.buf_size);
	if (dev->async_eq.buf)
		free_pages_exact(dev->async_eq.buf, dev->async_eq.buf_size);
	dev->comp_eq.buf = NULL;
	dev->async_eq.buf = NULL;
	xa_destroy(&dev->cqs);
	xa_destroy(&dev->qps);
	xa_destroy(&dev->srqs);
	if (dev->pdev)
		platform_device_unregister(dev->pdev);
	dev->pdev = NULL;
	if (dev->ndev)
		netdev_put(dev->ndev, &dev->ndev_tracker);
	dev->ndev = NULL;
}

static int mlx5x_newlink(const char *ibdev_name, struct net_device *ndev)
{
	struct mlx5x_hw_params params = {};
	struct mlx5x_dev *dev;
	int err;

	mutex_lock(&mlx5x_dev_list_lock);
	if (mlx5x_find_by_ndev(ndev)) {
		mutex_unlock(&mlx5x_dev_list_lock);
		return -EEXIST;
	}

	dev = ib_alloc_device(mlx5x_dev, ib_dev);
	if (!dev) {
		mutex_unlock(&mlx5x_dev_list_lock);
		return -ENOMEM;
	}
	xa_init_flags(&dev->cqs, XA_FLAGS_LOCK_IRQ);
	xa_init_flags(&dev->qps, XA_FLAGS_LOCK_IRQ);
	xa_init_flags(&dev->srqs, XA_FLAGS_LOCK_IRQ);
	dev->ndev = ndev;
	netdev_hold(ndev, &dev->ndev_tracker, GFP_KERNEL);
	list_add_tail(&dev->list, &mlx5x_dev_list);
	mutex_unlock(&mlx5x_dev_list_lock);

	dev->pdev = platform_device_register_simple(DRV_NAME,
						    PLATFORM_DEVID_AUTO,
						    NULL, 0);
	if (IS_ERR(dev->pdev)) {
		err = PTR_ERR(dev->pdev);
		dev->pdev = NULL;
		goto err;
	}
	err = mlx5x_dma_setup(dev);
	if (err)
		goto err;

	params.name = ibdev_name;
	params.ndev = ndev;
	params.num_vectors = MLX5X_NUM_VECTORS;
	params.irq = mlx5x_irq;
	params.irq_ctx = dev;
	dev->hw = mlx5x_hw_create(&params);
	if (IS_ERR(dev->hw)) {
		err = PTR_ERR(dev->hw);
		dev->hw = NULL;
		goto err;
	}

	err = mlx5x_hca_init(dev);
	if (err)
		goto err;
	err = mlx5x_register_device(dev, ibdev_name);
	if (err)
		goto err;
	return 0;

err:
	pr_err("%s: cannot create %s on %s: %d\n", DRV_NAME, ibdev_name,
	       ndev->name, err);
	mlx5x_dev_teardown(dev);
	ib_dealloc_device(&dev->ib_dev);
	return err;
}

static struct rdma_link_ops mlx5x_link_ops = {
	.type = DRV_NAME,
	.newlink = mlx5x_newlink,
};

static int mlx5x_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *ndev = netdev_notifier_info_to_dev(ptr);
	struct mlx5x_dev *dev;

	mutex_lock(&mlx5x_dev_list_lock);
	dev = mlx5x_find_by_ndev(ndev);
	if (!dev || !ib_device_try_get(&dev->ib_dev)) {
		mutex_unlock(&mlx5x_dev_list_lock);
		return NOTIFY_DONE;
	}
	mutex_unlock(&mlx5x_dev_list_lock);

	switch (event) {
	case NETDEV_UNREGISTER:
		ib_unregister_device_queued(&dev->ib_dev);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		/* Not ib_query_port(): it takes RTNL, which we hold here. */
		mlx5x_port_event(dev, mlx5x_port_active(dev) ?
				 IB_EVENT_PORT_ACTIVE : IB_EVENT_PORT_ERR);
		break;
	default:
		break;
	}
	ib_device_put(&dev->ib_dev);
	return NOTIFY_OK;
}

static struct notifier_block mlx5x_netdev_notifier = {
	.notifier_call = mlx5x_netdev_event,
};

static int __init mlx5x_init(void)
{
	int err;

	err = register_netdevice_notifier(&mlx5x_netdev_notifier);
	if (err)
		return err;
	rdma_link_register(&mlx5x_link_ops);
	return 0;
}

static void __exit mlx5x_exit(void)
{
	struct mlx5x_dev *dev;

	rdma_link_unregister(&mlx5x_link_ops);
	for (;;) {
		mutex_lock(&mlx5x_dev_list_lock);
		dev = list_first_entry_or_null(&mlx5x_dev_list,
					       struct mlx5x_dev, list);
		if (dev)
			get_device(&dev->ib_dev.dev);
		mutex_unlock(&mlx5x_dev_list_lock);
		if (!dev)
			break;
		/* Disassociates users; mlx5x_dealloc_driver() unlists it. */
		ib_unregister_device(&dev->ib_dev);
		put_device(&dev->ib_dev.dev);
	}
	unregister_netdevice_notifier(&mlx5x_netdev_notifier);
}

module_init(mlx5x_init);
module_exit(mlx5x_exit);

MODULE_DESCRIPTION("mlx5x: a ConnectX-style RDMA HCA in software");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_ALIAS_RDMA_LINK(DRV_NAME);

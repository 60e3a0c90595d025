// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The ib_device: its verbs table, the attributes it reports (derived from
 * the firmware's QUERY_HCA_CAP answer and limited to what works), its one
 * RoCE v2 port backed by the netdev, and sysfs.
 */
#include <linux/ethtool.h>
#include <net/addrconf.h>
#include <rdma/ib_addr.h>
#include <rdma/ib_mad.h>
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

int mlx5x_query_device(struct ib_device *ibdev, struct ib_device_attr *attr,
		       struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibdev);
	const struct mlx5x_hca_cap *cap = &dev->cap;

	if (udata && (udata->inlen || udata->outlen) &&
	    !ib_is_udata_cleared(udata, 0, udata->inlen))
		return -EINVAL;

	memset(attr, 0, sizeof(*attr));
	attr->fw_ver = (u64)MLX5X_FW_VER_MAJOR << 32 |
		       (u64)MLX5X_FW_VER_MINOR << 16 | MLX5X_FW_VER_SUBMINOR;
	attr->sys_image_guid = ibdev->node_guid;
	attr->max_mr_size = 1ULL << cap->log_max_mr_size;
	attr->page_size_cap = PAGE_SIZE;
	attr->vendor_id = cap->vendor_id;
	attr->vendor_part_id = cap->vendor_part_id;
	attr->hw_ver = cap->hw_rev;
	attr->max_qp = 1U << cap->log_max_qp;
	attr->max_qp_wr = 1U << cap->log_max_qp_sz;
	/* The responder NAKs a SEND with no receive posted (RNR). */
	attr->device_cap_flags = IB_DEVICE_PORT_ACTIVE_EVENT |
				 IB_DEVICE_CURR_QP_STATE_MOD |
				 IB_DEVICE_RC_RNR_NAK_GEN;
	/*
	 * Windows: type 1 and type 2B (bound to the QP object, as rxe and
	 * mlx5 do: a window follows the QP it was bound through, not a QPN
	 * that could be reused). Both share the MKey table with MRs.
	 */
	if (cap->flags & MLX5X_CAP_FLAG_MW) {
		attr->device_cap_flags |= IB_DEVICE_MEM_WINDOW |
					  IB_DEVICE_MEM_WINDOW_TYPE_2B;
		attr->max_mw = 1U << cap->log_max_mkey;
	}
	attr->kernel_cap_flags = IBK_ALLOW_USER_UNREG;
	attr->max_send_sge = cap->max_sge_sq;
	attr->max_recv_sge = cap->max_sge_rq;
	attr->max_sge_rd = cap->max_sge_sq;
	attr->max_cq = 1U << cap->log_max_cq;
	attr->max_cqe = 1U << cap->log_max_cq_sz;
	attr->max_mr = 1U << cap->log_max_mkey;
	attr->max_pd = 1U << cap->log_max_pd;
	attr->max_qp_rd_atom = cap->max_qp_dest_rd_atom;
	attr->max_qp_init_rd_atom = cap->max_qp_rd_atom;
	attr->max_res_rd_atom = attr->max_qp * attr->max_qp_rd_atom;
	if (cap->flags & MLX5X_CAP_FLAG_SRQ) {
		attr->max_srq = 1U << cap->log_max_srq;
		/* One slot always ends the free list (srq.c). */
		attr->max_srq_wr = (1U << cap->log_max_srq_sz) - 1;
		attr->max_srq_sge = mlx5x_srq_max_sge(dev);
	}
	/*
	 * The engine's atomics are CPU atomics on the target memory, so they
	 * are atomic against the CPUs too. AHs live in user memory (ah.c):
	 * no limit but memory.
	 */
	attr->atomic_cap = (cap->flags & MLX5X_CAP_FLAG_ATOMIC) ?
			   IB_ATOMIC_GLOB : IB_ATOMIC_NONE;
	attr->masked_atomic_cap = IB_ATOMIC_NONE;
	attr->max_pkeys = cap->pkey_table_size;
	if (cap->flags & MLX5X_CAP_FLAG_UD)
		attr->max_ah = INT_MAX;
	attr->local_ca_ack_delay = 15;
	return 0;
}

/* The IB MTU of the port: what fits the netdev's MTU (also UD's limit). */
enum ib_mtu mlx5x_port_active_mtu(struct mlx5x_dev *dev)
{
	enum ib_mtu mtu = min(iboe_get_mtu(READ_ONCE(dev->ndev->mtu)),
			      IB_MTU_4096);

	return mtu ? mtu : IB_MTU_256;
}

static int mlx5x_query_port(struct ib_device *ibdev, u32 port,
			    struct ib_port_attr *attr)
{
	struct mlx5x_dev *dev = to_mdev(ibdev);
	struct net_device *ndev = dev->ndev;

	/* The caller zeroed *attr. */
	attr->gid_tbl_len = dev->cap.gid_table_size;
	attr->pkey_tbl_len = dev->cap.pkey_table_size;
	attr->max_msg_sz = 1U << min(dev->cap.log_max_msg, 31U);
	attr->max_mtu = IB_MTU_4096;
	attr->active_mtu = mlx5x_port_active_mtu(dev);
	/* ib_cm runs on the GSI QP (kernel verbs, kqp.c). */
	attr->port_cap_flags = dev->kuar_valid ? IB_PORT_CM_SUP : 0;
	attr->ip_gids = true;
	attr->max_vl_num = 1;
	attr->lid = 0;
	attr->sm_lid = 0;

	if (mlx5x_port_active(dev)) {
		attr->state = IB_PORT_ACTIVE;
		attr->phys_state = IB_PORT_PHYS_STATE_LINK_UP;
	} else {
		attr->state = IB_PORT_DOWN;
		attr->phys_state = (dev_get_flags(ndev) & IFF_UP) ?
				   IB_PORT_PHYS_STATE_POLLING :
				   IB_PORT_PHYS_STATE_DISABLED;
	}

	/* A netdev on its way out has no speed; the port is down then. */
	if (ib_get_eth_speed(ibdev, port, &attr->active_speed,
			     &attr->active_width)) {
		attr->active_speed = IB_SPEED_SDR;
		attr->active_width = IB_WIDTH_1X;
	}
	return 0;
}

static int mlx5x_get_port_immutable(struct ib_device *ibdev, u32 port,
				    struct ib_port_immutable *immutable)
{
	struct ib_port_attr attr = {};
	int err;

	err = ib_query_port(ibdev, port, &attr);
	if (err)
		return err;
	immutable->pkey_tbl_len = attr.pkey_tbl_len;
	immutable->gid_tbl_len = attr.gid_tbl_len;
	/* MAD and CM need the GSI QP; without it, RoCE v2 alone. */
	immutable->core_cap_flags = to_mdev(ibdev)->kuar_valid ?
				    RDMA_CORE_PORT_IBA_ROCE_UDP_ENCAP :
				    RDMA_CORE_CAP_PROT_ROCE_UDP_ENCAP |
				    RDMA_CORE_CAP_ETH_AH;
	immutable->max_mad_size = IB_MGMT_MAD_SIZE;
	return 0;
}

static enum rdma_link_layer mlx5x_get_link_layer(struct ib_device *ibdev,
						 u32 port)
{
	return IB_LINK_LAYER_ETHERNET;
}

static int mlx5x_query_pkey(struct ib_device *ibdev, u32 port, u16 index,
			    u16 *pkey)
{
	if (index >= to_mdev(ibdev)->cap.pkey_table_size)
		return -EINVAL;
	*pkey = IB_DEFAULT_PKEY_FULL;
	return 0;
}

static void mlx5x_get_dev_fw_str(struct ib_device *ibdev, char *str)
{
	snprintf(str, IB_FW_VERSION_NAME_MAX, "%d.%d.%d", MLX5X_FW_VER_MAJOR,
		 MLX5X_FW_VER_MINOR, MLX5X_FW_VER_SUBMINOR);
}

static ssize_t hca_type_show(struct device *device,
			     struct device_attribute *attr, char *buf)
{
	struct mlx5x_dev *dev = rdma_device_to_drv_device(device,
					struct mlx5x_dev, ib_dev);

	return sysfs_emit(buf, "MLX5X%04x\n", dev->cap.vendor_part_id);
}
static DEVICE_ATTR_RO(hca_type);

static ssize_t hw_rev_show(struct device *device,
			   struct device_attribute *attr, char *buf)
{
	struct mlx5x_dev *dev = rdma_device_to_drv_device(device,
					struct mlx5x_dev, ib_dev);

	return sysfs_emit(buf, "%x\n", dev->cap.hw_rev);
}
static DEVICE_ATTR_RO(hw_rev);

static ssize_t board_id_show(struct device *device,
			     struct device_attribute *attr, char *buf)
{
	struct mlx5x_dev *dev = rdma_device_to_drv_device(device,
					struct mlx5x_dev, ib_dev);

	return sysfs_emit(buf, "%.*s\n", (int)sizeof(dev->cap.board_id),
			  dev->cap.board_id);
}
static DEVICE_ATTR_RO(board_id);

static struct attribute *mlx5x_dev_attributes[] = {
	&dev_attr_hca_type.attr,
	&dev_attr_hw_rev.attr,
	&dev_attr_board_id.attr,
	NULL
};

static const struct attribute_group mlx5x_dev_attr_group = {
	.attrs = mlx5x_dev_attributes,
};

static void mlx5x_dealloc_driver(struct ib_device *ibdev)
{
	mlx5x_dev_teardown(to_mdev(ibdev));
}

static const struct ib_device_ops mlx5x_dev_ops = {
	.owner = THIS_MODULE,
	.driver_id = RDMA_DRIVER_UNKNOWN,
	.uverbs_abi_ver = MLX5X_UVERBS_ABI_VERSION,

	.add_gid = mlx5x_add_gid,
	.alloc_hw_port_stats = mlx5x_alloc_hw_port_stats,
	.alloc_mw = mlx5x_alloc_mw,
	.alloc_pd = mlx5x_alloc_pd,
	.alloc_ucontext = mlx5x_alloc_ucontext,
	.create_ah = mlx5x_create_ah,
	.create_cq = mlx5x_create_cq,
	.create_qp = mlx5x_create_qp,
	.create_srq = mlx5x_create_srq,
	.create_user_ah = mlx5x_create_ah,
	.dealloc_driver = mlx5x_dealloc_driver,
	.dealloc_mw = mlx5x_dealloc_mw,
	.dealloc_pd = mlx5x_dealloc_pd,
	.dealloc_ucontext = mlx5x_dealloc_ucontext,
	.del_gid = mlx5x_del_gid,
	.dereg_mr = mlx5x_dereg_mr,
	.destroy_ah = mlx5x_destroy_ah,
	.destroy_cq = mlx5x_destroy_cq,
	.destroy_qp = mlx5x_destroy_qp,
	.destroy_srq = mlx5x_destroy_srq,
	.device_group = &mlx5x_dev_attr_group,
	.disassociate_ucontext = mlx5x_disassociate_ucontext,
	.get_dev_fw_str = mlx5x_get_dev_fw_str,
	.get_hw_stats = mlx5x_get_hw_stats,
	.get_link_layer = mlx5x_get_link_layer,
	.get_port_immutable = mlx5x_get_port_immutable,
	.mmap = mlx5x_mmap,
	.mmap_free = mlx5x_mmap_free,
	.modify_qp = mlx5x_modify_qp,
	.modify_srq = mlx5x_modify_srq,
	.post_send = mlx5x_post_send,
	.query_device = mlx5x_query_device,
	.query_pkey = mlx5x_query_pkey,
	.query_port = mlx5x_query_port,
	.query_qp = mlx5x_query_qp,
	.query_srq = mlx5x_query_srq,
	.reg_user_mr = mlx5x_reg_user_mr,
	.rereg_user_mr = mlx5x_rereg_user_mr,
	.resize_cq = mlx5x_resize_cq,

	INIT_RDMA_OBJ_SIZE(ib_ah, mlx5x_ah, ibah),
	INIT_RDMA_OBJ_SIZE(ib_cq, mlx5x_cq, ibcq),
	INIT_RDMA_OBJ_SIZE(ib_mw, mlx5x_mw, ibmw),
	INIT_RDMA_OBJ_SIZE(ib_pd, mlx5x_pd, ibpd),
	INIT_RDMA_OBJ_SIZE(ib_qp, mlx5x_qp, ibqp),
	INIT_RDMA_OBJ_SIZE(ib_srq, mlx5x_srq, ibsrq),
	INIT_RDMA_OBJ_SIZE(ib_ucontext, mlx5x_ucontext, ibucontext),
};

/*
 * Kernel verbs: what ib_core requires of a device its kernel clients may
 * use (ib_mad, ib_cm, rdma_cm). Set only when the device has the GSI QP.
 */
static const struct ib_device_ops mlx5x_kverbs_ops = {
	.get_dma_mr = mlx5x_get_dma_mr,
	.poll_cq = mlx5x_poll_cq,
	.post_recv = mlx5x_post_recv,
	.req_notify_cq = mlx5x_req_notify_cq,
};

bool mlx5x_port_active(struct mlx5x_dev *dev)
{
	return netif_running(dev->ndev) && netif_carrier_ok(dev->ndev);
}

void mlx5x_port_event(struct mlx5x_dev *dev, enum ib_event_type type)
{
	struct ib_event ev = {
		.device = &dev->ib_dev,
		.element.port_num = 1,
		.event = type,
	};

	ib_dispatch_event(&ev);
}

/* Register the ib_device; the device half is initialized already. */
int mlx5x_register_device(struct mlx5x_dev *dev, const char *name)
{
	struct ib_device *ibdev = &dev->ib_dev;
	int err;

	addrconf_addr_eui48((u8 *)&ibdev->node_guid, dev->ndev->dev_addr);
	ibdev->node_type = RDMA_NODE_IB_CA;
	ibdev->phys_port_cnt = dev->cap.num_ports;
	ibdev->num_comp_vectors = MLX5X_NUM_COMP_VECTORS;
	ibdev->local_dma_lkey = 0;
	ibdev->dev.parent = &dev->pdev->dev;
	strscpy(ibdev->node_desc, "mlx5x", sizeof(ibdev->node_desc));
	/* The provider's kick is an empty POST_SEND write (qp.c). */
	ibdev->uverbs_cmd_mask |= BIT_ULL(IB_USER_VERBS_CMD_POST_SEND);
	ib_set_device_ops(ibdev, &mlx5x_dev_ops);
	if (dev->kuar_valid)
		ib_set_device_ops(ibdev, &mlx5x_kverbs_ops);

	err = ib_device_set_netdev(ibdev, dev->ndev, 1);
	if (err)
		return err;
	/*
	 * DMA addresses are physical (the platform device, direct-mapped):
	 * what kernel work requests carry through the local_dma_lkey.
	 */
	return ib_register_device(ibdev, name, &dev->pdev->dev);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Address handles (UD). As on a ConnectX, an AH is no device object: the
 * provider keeps the address vector in user memory and copies it into each
 * UD send WQE (struct mlx5x_wqe_datagram_seg). The kernel verb exists for
 * what only the kernel can do: the uverbs object, the core's resolution of
 * the source GID index against the port's GID table (an unknown or empty
 * index fails here), and the destination MAC, which the reply carries to
 * the provider (mlx5 does the same for RoCE). A kernel AH (ib_mad's, the
 * CM's) keeps its address vector in the driver's object instead; creating
 * one never sleeps (RDMA_CREATE_AH_SLEEPABLE may be clear).
 */
#include <linux/etherdevice.h>
#include <rdma/ib_cache.h>
#include <rdma/mlx5x-abi.h>
#include <rdma/mlx5x_wqe.h>
#include "mlx5x.h"

int mlx5x_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
		    struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibah->device);
	const struct rdma_ah_attr *attr = init->ah_attr;
	struct mlx5x_create_ah_resp resp = {};
	const struct ib_global_route *grh;

	if (!(dev->cap.flags & MLX5X_CAP_FLAG_UD))
		return -EOPNOTSUPP;
	if (attr->type != RDMA_AH_ATTR_TYPE_ROCE ||
	    !(rdma_ah_get_ah_flags(attr) & IB_AH_GRH))
		return -EINVAL;
	grh = rdma_ah_read_grh(attr);
	if (!grh->sgid_attr ||
	    grh->sgid_attr->gid_type != IB_GID_TYPE_ROCE_UDP_ENCAP)
		return -EINVAL;
	/* Flow label bits above 20 are ignored (see qp_set_av()). */
	if (rdma_ah_get_port_num(attr) != 1)
		return -EINVAL;

	if (!udata) {
		/* A kernel AH: post_send copies this into each WQE (kqp.c). */
		struct mlx5x_wqe_datagram_seg *av = &to_mah(ibah)->av;

		memcpy(av->dgid, grh->dgid.raw, sizeof(av->dgid));
		av->tclass_flow = (u32)grh->traffic_class <<
				  MLX5X_AV_TCLASS_SHIFT |
				  (grh->flow_label & MLX5X_AV_FLOW_LABEL_MASK);
		av->sgid_index = grh->sgid_index;
		av->hop_limit = grh->hop_limit;
		av->sl = rdma_ah_get_sl(attr);
		return 0;
	}
	if (udata->outlen) {
		ether_addr_copy(resp.dmac, attr->roce.dmac);
		return ib_copy_to_udata(udata, &resp,
					min_t(size_t, udata->outlen,
					      sizeof(resp)));
	}
	return 0;
}

int mlx5x_destroy_ah(struct ib_ah *ibah, u32 flags)
{
	return 0;
}

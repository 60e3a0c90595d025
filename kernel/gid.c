// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The port's GID table lives in the device (SET_ROCE_ADDRESS), which needs
 * it to know which packets and local deliveries are addressed to it. The
 * core keeps its own copy from the netdev's addresses and tells us about
 * every change through add_gid/del_gid.
 */
#include "mlx5x.h"

static int gid_set(const struct ib_gid_attr *attr, bool valid)
{
	struct mlx5x_dev *dev = to_mdev(attr->device);
	struct mlx5x_set_roce_address_in in = {};
	struct mlx5x_cmd_simple_out out = {};

	if (valid && attr->gid_type != IB_GID_TYPE_ROCE_UDP_ENCAP)
		return -EINVAL;
	in.hdr.opcode = MLX5X_CMD_SET_ROCE_ADDRESS;
	in.index = attr->index;
	in.valid = valid;
	if (valid) {
		memcpy(in.gid, attr->gid.raw, sizeof(in.gid));
		memcpy(in.mac, dev->ndev->dev_addr, sizeof(in.mac));
	}
	return mlx5x_cmd_exec(dev, &in, sizeof(in), &out, sizeof(out));
}

int mlx5x_add_gid(const struct ib_gid_attr *attr, void **context)
{
	return gid_set(attr, true);
}

int mlx5x_del_gid(const struct ib_gid_attr *attr, void **context)
{
	return gid_set(attr, false);
}

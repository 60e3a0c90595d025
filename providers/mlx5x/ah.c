// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Address handles, mlx5-style: the address vector lives in user memory,
 * already in the device's datagram segment layout, and each UD send WQE
 * gets a copy of it (sq.c, wr.c). The CREATE_AH command still goes to the
 * kernel, for the uverbs object, the check of the source GID index against
 * the port's GID table (an unknown or empty index fails there) and the
 * destination MAC it resolves (RoCE needs a GRH: is_global must be set).
 *
 *	ibv_create_ah ──► mlx5x_create_ah: CREATE_AH, then av from the attr
 *	ibv_destroy_ah ─► mlx5x_destroy_ah: DESTROY_AH, free
 *
 * ibv_create_ah_from_wc() is libibverbs' own: it reads the GRH area the
 * device wrote (kernel/hw/hw_grh.c) and comes here with the attr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mlx5x.h"

MLX5X_DECLARE_DRV_RESP(mlx5x_create_ah_cmd_resp, ib_uverbs_create_ah_resp,
		       mlx5x_create_ah_resp);

struct ibv_ah *mlx5x_create_ah(struct ibv_pd *pd, struct ibv_ah_attr *attr)
{
	struct mlx5x_create_ah_cmd_resp resp = {};
	struct mlx5x_wqe_datagram_seg *av;
	struct mlx5x_ah *ah;
	int ret;

	if (!attr->is_global) {
		errno = EINVAL;
		return NULL;
	}
	ah = calloc(1, sizeof(*ah));
	if (!ah)
		return NULL;

	ret = ibv_cmd_create_ah(pd, &ah->ibv_ah, attr, &resp.ibv_resp,
				sizeof(resp));
	if (ret) {
		free(ah);
		errno = ret;
		return NULL;
	}

	av = &ah->av;
	memcpy(av->dgid, attr->grh.dgid.raw, sizeof(av->dgid));
	/* Flow label bits above 20 are ignored, as on ConnectX. */
	av->tclass_flow = (uint32_t)attr->grh.traffic_class <<
			  MLX5X_AV_TCLASS_SHIFT |
			  (attr->grh.flow_label & MLX5X_AV_FLOW_LABEL_MASK);
	av->sgid_index = attr->grh.sgid_index;
	av->hop_limit = attr->grh.hop_limit;
	av->sl = attr->sl;
	memcpy(ah->dmac, resp.drv.dmac, sizeof(ah->dmac));
	return &ah->ibv_ah;
}

int mlx5x_destroy_ah(struct ibv_ah *ibah)
{
	int ret;

	ret = ibv_cmd_destroy_ah(ibah);
	if (ret)
		return ret;
	free(to_mah(ibah));
	return 0;
}

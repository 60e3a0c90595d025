// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Protection domains: a number the device checks on every MKey and QP. */
#include "mlx5x.h"

int mlx5x_alloc_pd(struct ib_pd *ibpd, struct ib_udata *udata)
{
	struct mlx5x_pd *pd = to_mpd(ibpd);

	return mlx5x_cmd_alloc(to_mdev(ibpd->device), MLX5X_CMD_ALLOC_PD,
			       &pd->pdn);
}

int mlx5x_dealloc_pd(struct ib_pd *ibpd, struct ib_udata *udata)
{
	struct mlx5x_pd *pd = to_mpd(ibpd);

	/* A failure here leaves nothing the host must free. */
	mlx5x_cmd_simple(to_mdev(ibpd->device), MLX5X_CMD_DEALLOC_PD,
			 pd->pdn);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Objects the device's events name by number (CQs, QPs). The EQ handler
 * finds them in an xarray and holds a reference while it calls into the
 * core; destroy unpublishes the object and waits for such a reference to
 * go before the memory behind it is freed.
 */
#include "mlx5x.h"

int mlx5x_res_add(struct xarray *xa, u32 id, struct mlx5x_res *res)
{
	refcount_set(&res->refcount, 1);
	init_completion(&res->free);
	return xa_err(xa_store_irq(xa, id, res, GFP_KERNEL));
}

void mlx5x_res_del(struct xarray *xa, u32 id, struct mlx5x_res *res)
{
	xa_erase_irq(xa, id);
	mlx5x_res_put(res);
	wait_for_completion(&res->free);
}

/* Any context. */
struct mlx5x_res *mlx5x_res_get(struct xarray *xa, u32 id)
{
	struct mlx5x_res *res;
	unsigned long flags;

	xa_lock_irqsave(xa, flags);
	res = xa_load(xa, id);
	if (res && !refcount_inc_not_zero(&res->refcount))
		res = NULL;
	xa_unlock_irqrestore(xa, flags);
	return res;
}

void mlx5x_res_put(struct mlx5x_res *res)
{
	if (refcount_dec_and_test(&res->refcount))
		complete(&res->free);
}

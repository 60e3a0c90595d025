/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The mlx5x device half as the driver half sees it: a card that is plugged
 * in (mlx5x_hw_create), a register window, a set of interrupt vectors and a
 * BAR of UAR pages. Everything else goes through the command queue and the
 * event queues described in <rdma/mlx5x_if.h>. The driver half includes no
 * other device-half header.
 */
#ifndef MLX5X_HW_H
#define MLX5X_HW_H

#include <linux/types.h>

struct mlx5x_hw;
struct net_device;

/*
 * An interrupt: called by the device for an armed EQ bound to @vector after
 * it wrote EQEs. Runs in the device's context (a kernel worker): it must not
 * sleep and must not call back into the device other than through
 * mlx5x_hw_read_reg()/mlx5x_hw_write_reg().
 */
typedef void (*mlx5x_hw_irq_fn)(void *ctx, unsigned int vector);

struct mlx5x_hw_params {
	const char *name;		/* for log messages */
	struct net_device *ndev;	/* the port's netdev (held by the driver) */
	unsigned int num_vectors;
	mlx5x_hw_irq_fn irq;
	void *irq_ctx;
};

/* Power on a new device; ERR_PTR on failure. */
struct mlx5x_hw *mlx5x_hw_create(const struct mlx5x_hw_params *params);
/* Power off: stop executing, free every object the device still holds. */
void mlx5x_hw_destroy(struct mlx5x_hw *hw);

u32 mlx5x_hw_read_reg(struct mlx5x_hw *hw, u32 offset);
void mlx5x_hw_write_reg(struct mlx5x_hw *hw, u32 offset, u32 value);

/* Physical address of the BAR page of UAR @index (valid while allocated). */
phys_addr_t mlx5x_hw_uar_phys(struct mlx5x_hw *hw, u32 index);

/*
 * The kick: user space rang the send doorbell of QP @qpn while the device's
 * poller slept (the UAR said NEED_WAKEUP). Process context; may execute
 * part of the send queue in the caller's context (bounded), and wakes the
 * poller. Unknown QPNs are ignored.
 */
void mlx5x_hw_qp_kick(struct mlx5x_hw *hw, u32 qpn);

#endif /* MLX5X_HW_H */

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The port's hw_counters (sysfs ports/1/hw_counters/, `rdma statistic`):
 * read from the device with the QUERY_COUNTERS firmware command whenever
 * ib_core asks (it caches them for the default lifespan, 10 ms). Names are
 * mlx5's where the meaning is the same, else say what they count.
 */
#include <rdma/ib_verbs.h>
#include "mlx5x.h"

static const struct rdma_stat_desc mlx5x_stat_descs[] = {
	{ .name = "req_wqes" },
	{ .name = "req_msg_bytes" },
	{ .name = "req_cqe_error" },
	{ .name = "req_cqe_flush_error" },
	{ .name = "rnr_nak_retry_err" },
	{ .name = "local_ack_timeout_err" },
	{ .name = "out_of_buffer" },
};

/* Where each of them is in the device's answer. */
static const size_t mlx5x_stat_offsets[] = {
	offsetof(struct mlx5x_counters, req_wqes),
	offsetof(struct mlx5x_counters, req_msg_bytes),
	offsetof(struct mlx5x_counters, req_cqe_error),
	offsetof(struct mlx5x_counters, req_cqe_flush),
	offsetof(struct mlx5x_counters, rnr_naks),
	offsetof(struct mlx5x_counters, ack_timeouts),
	offsetof(struct mlx5x_counters, out_of_buffer),
};

static_assert(ARRAY_SIZE(mlx5x_stat_descs) == ARRAY_SIZE(mlx5x_stat_offsets));

struct rdma_hw_stats *mlx5x_alloc_hw_port_stats(struct ib_device *ibdev,
						u32 port_num)
{
	return rdma_alloc_hw_stats_struct(mlx5x_stat_descs,
					  ARRAY_SIZE(mlx5x_stat_descs),
					  RDMA_HW_STATS_DEFAULT_LIFESPAN);
}

int mlx5x_get_hw_stats(struct ib_device *ibdev, struct rdma_hw_stats *stats,
		       u32 port_num, int index)
{
	struct mlx5x_query_counters_out out = {};
	struct mlx5x_cmd_simple_in in = {};
	int err, i;

	in.hdr.opcode = MLX5X_CMD_QUERY_COUNTERS;
	err = mlx5x_cmd_exec(to_mdev(ibdev), &in, sizeof(in), &out,
			     sizeof(out));
	if (err)
		return err;
	for (i = 0; i < stats->num_counters; i++)
		stats->value[i] = *(const u64 *)((const u8 *)&out.counters +
						 mlx5x_stat_offsets[i]);
	return stats->num_counters;
}

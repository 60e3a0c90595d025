/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the stress programs share: opening the device by name and finding
 * the GID their loopback QPs address each other with.
 */
#ifndef MLX5X_STRESS_DEV_H
#define MLX5X_STRESS_DEV_H

#include <infiniband/verbs.h>
#include <stdio.h>
#include <string.h>

/*
 * Open @name and query port 1 into @port and the GID at *gid_index into
 * @gid; a negative *gid_index picks the RoCE v2 IPv4-mapped GID
 * (::ffff:a.b.c.d). NULL (with a message on stderr) on failure.
 */
static inline struct ibv_context *stress_open(const char *name,
					      int *gid_index,
					      union ibv_gid *gid,
					      struct ibv_port_attr *port)
{
	static const unsigned char v4[12] = { [10] = 0xff, [11] = 0xff };
	struct ibv_context *ctx = NULL;
	struct ibv_device **list;
	int i, n;

	list = ibv_get_device_list(&n);
	for (i = 0; list && i < n; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			ctx = ibv_open_device(list[i]);
	if (list)
		ibv_free_device_list(list);
	if (!ctx) {
		fprintf(stderr, "cannot open %s\n", name);
		return NULL;
	}
	if (ibv_query_port(ctx, 1, port)) {
		fprintf(stderr, "%s: ibv_query_port failed\n", name);
		goto err;
	}
	for (i = 0; *gid_index < 0 && i < port->gid_tbl_len; i++)
		if (!ibv_query_gid(ctx, 1, i, gid) && !memcmp(gid->raw, v4, 12))
			*gid_index = i;
	if (*gid_index < 0 || ibv_query_gid(ctx, 1, *gid_index, gid)) {
		fprintf(stderr, "%s: no IPv4-mapped GID (use -g)\n", name);
		goto err;
	}
	return ctx;
err:
	ibv_close_device(ctx);
	return NULL;
}

#endif /* MLX5X_STRESS_DEV_H */

/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * A mock of the kernel's uverbs write() interface and of sysfs, for
 * running the built provider without a kernel or a device
 * (provider_mock.c has the details). Shared by test_provider_mock (the
 * control path) and test_provider_datapath (posting and polling, against
 * a fake device in the test).
 */
#ifndef PROVIDER_MOCK_H
#define PROVIDER_MOCK_H

#define _GNU_SOURCE
#include <stdio.h>
#include <sys/types.h>

#include "mlx5x.h"

extern int failures;

#define CHECK_EQ(what, seen, expected)					\
	do {								\
		unsigned long long _s = (seen), _e = (expected);	\
		if (_s != _e) {						\
			printf("FAIL %s:%d %s: expected %llu (0x%llx), saw %llu (0x%llx)\n", \
			       __FILE__, __LINE__, what, _e, _e, _s, _s); \
			failures++;					\
		}							\
	} while (0)

#define CHECK(what, cond)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d %s\n", __FILE__, __LINE__,	\
			       what);					\
			failures++;					\
		}							\
	} while (0)

#define MOCK_UAR_OFFSET		0x7000
#define MOCK_FW_VER		((UINT64_C(1) << 32) | (2 << 16) | 3)

struct mock_kernel {	int fd;				/* the mock uverbs command fd */
	bool fd_closed;
	struct mlx5x_alloc_ucontext_resp uctx;	/* GET_CONTEXT's answer */
	uint32_t next_handle;
	unsigned int ncmds[64];		/* commands seen, by number */
	size_t in_bytes[64];		/* last write() length, by command */
	size_t out_bytes[64];		/* last response length, by command */

	struct ib_uverbs_create_cq cq_core;
	struct mlx5x_create_cq cq_drv;
	struct ib_uverbs_create_qp qp_core;
	struct mlx5x_create_qp qp_drv;
	struct ib_uverbs_reg_mr mr_core;

	void *uar;
	size_t uar_len;
	int uar_prot, uar_flags;
	off_t uar_off;
	bool uar_unmapped;

	/* The data path. */
	uint32_t atomic_cap;		/* QUERY_DEVICE's answer */
	uint64_t device_cap_flags;	/* QUERY_DEVICE's answer */
	unsigned int kicks;		/* POST_SEND writes */
	struct ib_uverbs_post_send last_kick;
	int comp_pipe[2];		/* CREATE_COMP_CHANNEL: [0] is its fd */
	uint32_t comp_events;		/* DESTROY_CQ reports (then zeroed) */

	/*
	 * RESIZE_CQ: the command as sent, and the device's part, which
	 * switches the ring and returns 0 and switch_pc, or an errno.
	 */
	struct ib_uverbs_resize_cq resize_core;
	struct mlx5x_resize_cq resize_drv;
	int (*resize)(uint32_t *switch_pc);
};

extern struct mock_kernel mock;
extern const struct verbs_device_ops *provider;
extern const struct mlx5x_alloc_ucontext_resp good_uctx;

/* The sysfs tree libibverbs scans; removed once the device is found. */
bool make_sysfs(void);
void sysfs_remove(void);
/* The mlx5x device, through the real libibverbs and its matching. */
struct verbs_device *find_device(const char *provider_path,
				 struct ibv_device ***list);
/* alloc_context on a fresh mock command fd, answering with mock.uctx. */
struct ibv_context *open_context(struct verbs_device *vdev);

#endif /* PROVIDER_MOCK_H */

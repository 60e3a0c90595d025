// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The provider's view of two ABIs, checked at compile time (the headers'
 * _Static_asserts, and more here) and again at run time with messages that
 * say what was expected and seen:
 *
 *  - the libibverbs private ABI of rdma-core 44 (verbs_private.h): struct
 *    sizes, and that the libibverbs on this host exports every private
 *    symbol the provider uses at version IBVERBS_PRIVATE_34;
 *  - the uverbs commands the provider sends: the mlx5x udata structs of
 *    <rdma/mlx5x-abi.h> sit right after the core struct, at the offsets the
 *    kernel reads them from, with no padding.
 */
#define _GNU_SOURCE	/* dlvsym */
#include <dlfcn.h>
#include <stdio.h>

#include "mlx5x.h"

static int failures;

#define CHECK_EQ(what, seen, expected)					\
	do {								\
		unsigned long long _s = (seen), _e = (expected);	\
		if (_s != _e) {						\
			printf("FAIL %s: expected %llu, saw %llu\n",	\
			       what, _e, _s);				\
			failures++;					\
		}							\
	} while (0)

#define CHECK_SIZE(type, expected)					\
	CHECK_EQ("sizeof(" #type ")", sizeof(type), expected)

#define CHECK_OFFSET(type, member, expected)				\
	CHECK_EQ("offsetof(" #type ", " #member ")",			\
		 offsetof(type, member), expected)

/* Where the mlx5x udata starts: right after the core command/response. */
#define CHECK_UDATA(wrapper, core)					\
	do {								\
		_Static_assert(offsetof(wrapper, drv) == sizeof(core),	\
			       #wrapper " udata offset");		\
		CHECK_EQ(#wrapper " udata offset",			\
			 offsetof(wrapper, drv), sizeof(core));		\
		CHECK_EQ(#wrapper " size",				\
			 sizeof(wrapper),				\
			 sizeof(core) + sizeof(((wrapper *)0)->drv));	\
	} while (0)

static void check_private_abi(void)
{
#if defined(__x86_64__)
	CHECK_SIZE(struct verbs_match_ent, 24);
	CHECK_SIZE(struct verbs_device_ops, 72);
	CHECK_SIZE(struct verbs_device, 712);
	CHECK_SIZE(struct verbs_sysfs_dev, 992);
	CHECK_SIZE(struct verbs_context_ops, 608);
	CHECK_SIZE(struct verbs_mr, 56);
	CHECK_SIZE(struct verbs_qp, 368);
	CHECK_SIZE(struct verbs_cq, 288);
	CHECK_SIZE(struct verbs_context, 648);
	CHECK_OFFSET(struct verbs_context, context, 320);
	CHECK_OFFSET(struct verbs_device, ops, 664);
	CHECK_OFFSET(struct verbs_device, sysfs, 696);
	CHECK_OFFSET(struct verbs_sysfs_dev, modalias, 432);
	CHECK_OFFSET(struct verbs_sysfs_dev, abi_ver, 968);
	CHECK_OFFSET(struct verbs_device_ops, match_table, 16);
	CHECK_OFFSET(struct verbs_device_ops, alloc_context, 40);
	CHECK_OFFSET(struct verbs_device_ops, alloc_device, 56);
	CHECK_OFFSET(struct verbs_device_ops, uninit_device, 64);
	CHECK_OFFSET(struct verbs_mr, mr_type, 48);
	CHECK_OFFSET(struct verbs_qp, comp_mask, 352);
#endif
	CHECK_EQ("verbs_context_ops entries",
		 sizeof(struct verbs_context_ops) / sizeof(void (*)(void)), 76);
	CHECK_EQ("index of alloc_pd", MLX5X_OPS_INDEX(alloc_pd), 5);
	CHECK_EQ("index of create_cq", MLX5X_OPS_INDEX(create_cq), 15);
	CHECK_EQ("index of create_cq_ex", MLX5X_OPS_INDEX(create_cq_ex), 16);
	CHECK_EQ("index of create_qp", MLX5X_OPS_INDEX(create_qp), 19);
	CHECK_EQ("index of free_context", MLX5X_OPS_INDEX(free_context), 39);
	CHECK_EQ("index of poll_cq", MLX5X_OPS_INDEX(poll_cq), 53);
	CHECK_EQ("index of query_device_ex", MLX5X_OPS_INDEX(query_device_ex),
		 58);
	CHECK_EQ("index of reg_mr", MLX5X_OPS_INDEX(reg_mr), 68);
	CHECK_EQ("index of resize_cq", MLX5X_OPS_INDEX(resize_cq), 71);
	CHECK_EQ("index of unimport_pd", MLX5X_OPS_INDEX(unimport_pd), 75);
}

static void check_core_commands(void)
{
	CHECK_SIZE(struct ib_uverbs_cmd_hdr, 8);
	CHECK_SIZE(struct ib_uverbs_ex_cmd_hdr, 16);
	CHECK_SIZE(struct ibv_get_context, 8 + 8);
	CHECK_SIZE(struct ibv_query_port, 8 + 16);
	CHECK_SIZE(struct ibv_alloc_pd, 8 + 8);
	CHECK_SIZE(struct ibv_reg_mr, 8 + 40);
	CHECK_SIZE(struct ibv_create_cq, 8 + 32);
	CHECK_SIZE(struct ibv_resize_cq, 8 + 16);
	CHECK_SIZE(struct ibv_create_qp, 8 + 56);
	CHECK_SIZE(struct ibv_modify_qp, 8 + 112);
	CHECK_SIZE(struct ibv_query_qp, 8 + 16);
	CHECK_SIZE(struct ib_uverbs_get_context_resp, 8);
	CHECK_SIZE(struct ib_uverbs_alloc_pd_resp, 4);
	CHECK_SIZE(struct ib_uverbs_reg_mr_resp, 12);
	CHECK_SIZE(struct ib_uverbs_create_cq_resp, 8);
	CHECK_SIZE(struct ib_uverbs_resize_cq_resp, 8);
	CHECK_SIZE(struct ib_uverbs_create_qp_resp, 32);
	CHECK_SIZE(struct ib_uverbs_ex_query_device_resp, 304);
}

static void check_mlx5x_udata(void)
{
	CHECK_SIZE(struct mlx5x_alloc_ucontext_resp, 56);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, uar_mmap_offset, 0);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, uar_index, 8);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, uar_size, 12);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, cqe_size, 16);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, send_wqe_bb, 20);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, max_send_wqebb, 24);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, max_recv_wr, 28);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, max_cqe, 32);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, max_send_sge, 36);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, max_recv_sge, 40);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, max_inline_data, 44);
	CHECK_OFFSET(struct mlx5x_alloc_ucontext_resp, flags, 48);

	CHECK_SIZE(struct mlx5x_create_cq, 24);
	CHECK_OFFSET(struct mlx5x_create_cq, buf_addr, 0);
	CHECK_OFFSET(struct mlx5x_create_cq, db_addr, 8);
	CHECK_OFFSET(struct mlx5x_create_cq, cqe_size, 16);
	CHECK_SIZE(struct mlx5x_create_cq_resp, 8);

	CHECK_SIZE(struct mlx5x_resize_cq, 16);
	CHECK_OFFSET(struct mlx5x_resize_cq, buf_addr, 0);
	CHECK_OFFSET(struct mlx5x_resize_cq, cqe_size, 8);
	CHECK_SIZE(struct mlx5x_resize_cq_resp, 8);
	CHECK_OFFSET(struct mlx5x_resize_cq_resp, switch_pc, 0);

	CHECK_SIZE(struct mlx5x_create_qp, 32);
	CHECK_OFFSET(struct mlx5x_create_qp, buf_addr, 0);
	CHECK_OFFSET(struct mlx5x_create_qp, db_addr, 8);
	CHECK_OFFSET(struct mlx5x_create_qp, sq_wqe_cnt, 16);
	CHECK_OFFSET(struct mlx5x_create_qp, rq_wqe_cnt, 20);
	CHECK_OFFSET(struct mlx5x_create_qp, rq_wqe_shift, 24);
	CHECK_OFFSET(struct mlx5x_create_qp, flags, 28);
	CHECK_SIZE(struct mlx5x_create_qp_resp, 8);

	/* Whole buffers handed to libibverbs: header, core, then udata. */
	CHECK_UDATA(struct mlx5x_get_context_resp,
		    struct ib_uverbs_get_context_resp);
	CHECK_UDATA(struct mlx5x_create_cq_cmd, struct ibv_create_cq);
	CHECK_UDATA(struct mlx5x_create_cq_cmd_resp,
		    struct ib_uverbs_create_cq_resp);
	CHECK_UDATA(struct mlx5x_resize_cq_cmd, struct ibv_resize_cq);
	CHECK_UDATA(struct mlx5x_resize_cq_cmd_resp,
		    struct ib_uverbs_resize_cq_resp);
	CHECK_UDATA(struct mlx5x_create_qp_cmd, struct ibv_create_qp);
	CHECK_UDATA(struct mlx5x_create_qp_cmd_resp,
		    struct ib_uverbs_create_qp_resp);
	CHECK_OFFSET(struct mlx5x_create_cq_cmd, drv, 40);
	CHECK_OFFSET(struct mlx5x_create_qp_cmd, drv, 64);
	CHECK_OFFSET(struct mlx5x_get_context_resp, drv, 8);
	CHECK_OFFSET(struct mlx5x_create_cq_cmd_resp, drv, 8);
	CHECK_OFFSET(struct mlx5x_create_qp_cmd_resp, drv, 32);

	/* The write() length words count 4-byte (core) / 8-byte (ex) units. */
	CHECK_EQ("mlx5x_create_cq_cmd % 8",
		 sizeof(struct mlx5x_create_cq_cmd) % 8, 0);
	CHECK_EQ("mlx5x_create_qp_cmd % 8",
		 sizeof(struct mlx5x_create_qp_cmd) % 8, 0);
	CHECK_EQ("mlx5x_resize_cq_cmd % 8",
		 sizeof(struct mlx5x_resize_cq_cmd) % 8, 0);
}

/* Every libibverbs symbol the provider binds to, with its version. */
static const struct {
	const char *name;
	const char *version;
} used_symbols[] = {
	{ "verbs_register_driver_34", "IBVERBS_PRIVATE_34" },
	{ "_verbs_init_and_alloc_context", "IBVERBS_PRIVATE_34" },
	{ "verbs_uninit_context", "IBVERBS_PRIVATE_34" },
	{ "verbs_set_ops", "IBVERBS_PRIVATE_34" },
	{ "__verbs_log", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_get_context", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_query_device_any", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_query_port", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_alloc_pd", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_dealloc_pd", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_reg_mr", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_dereg_mr", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_create_cq", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_resize_cq", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_destroy_cq", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_create_qp_ex", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_modify_qp", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_query_qp", "IBVERBS_PRIVATE_34" },
	{ "ibv_cmd_destroy_qp", "IBVERBS_PRIVATE_34" },
	{ "ibv_dontfork_range", "IBVERBS_1.1" },
	{ "ibv_dofork_range", "IBVERBS_1.1" },
};

static void check_exported_symbols(void)
{
	void *lib;
	size_t i;

	lib = dlopen("libibverbs.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		printf("FAIL dlopen(libibverbs.so.1): %s\n", dlerror());
		failures++;
		return;
	}

	for (i = 0; i < sizeof(used_symbols) / sizeof(used_symbols[0]); i++) {
		if (dlvsym(lib, used_symbols[i].name, used_symbols[i].version))
			continue;
		printf("FAIL libibverbs.so.1 does not export %s@%s\n",
		       used_symbols[i].name, used_symbols[i].version);
		failures++;
	}
	dlclose(lib);
}

int main(void)
{
	check_private_abi();
	check_core_commands();
	check_mlx5x_udata();
	check_exported_symbols();

	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all ABI checks passed\n");
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * The libibverbs provider ABI that libmlx5x uses, declared here because
 * Debian's libibverbs-dev installs no driver.h, kern-abi.h or cmd_*.h.
 *
 * This is the private interface between libibverbs and its providers. It is
 * versioned as a whole: rdma-core 44 calls it IBVERBS_PRIVATE_34, and every
 * symbol below is bound to that version at link time. Any change in
 * rdma-core's layout of these structs comes with a new private ABI version,
 * so a provider built here refuses to load into another libibverbs instead
 * of corrupting memory. The top-level CMakeLists.txt insists on
 * libibverbs 1.14.44.x; the _Static_asserts below pin the layouts this file
 * claims for that release (x86_64), and tests/unit/test_abi_sizes.c checks
 * them again at run time together with the symbol versions.
 *
 * Only what libmlx5x uses is declared. Struct layouts must stay exactly as
 * rdma-core 44 has them; member names follow rdma-core so that its sources
 * can be read side by side with this file.
 */
#ifndef MLX5X_VERBS_PRIVATE_H
#define MLX5X_VERBS_PRIVATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <infiniband/verbs.h>
#include <rdma/ib_user_verbs.h>

/* The private ABI version of rdma-core 44. */
#define MLX5X_IBVERBS_PABI_VERSION	34

/* ---------------------------------------------------------------------
 * Provider registration and device matching
 */

/* A doubly linked list node as libibverbs (ccan/list) embeds it. */
struct verbs_list_node {
	struct verbs_list_node *next;
	struct verbs_list_node *prev;
};

enum {
	VERBS_MATCH_SENTINEL	= 0,
	VERBS_MATCH_PCI		= 1,
	VERBS_MATCH_MODALIAS	= 2,
	VERBS_MATCH_DRIVER_ID	= 3,
};

/*
 * One entry of a provider's match table. A MODALIAS entry is an fnmatch()
 * pattern tried against the sysfs "device/modalias" of the rdma device's
 * parent. The table ends with an all-zero entry (kind SENTINEL).
 */
struct verbs_match_ent {
	void *driver_data;
	union {
		const char *modalias;
		uint64_t driver_id;
	} u;
	uint16_t vendor;
	uint16_t device;
	uint8_t kind;
};

/* An rdma device as libibverbs found it in sysfs/netlink. */
struct verbs_sysfs_dev {
	struct verbs_list_node entry;
	void *provider_data;
	const struct verbs_match_ent *match;
	unsigned int flags;
	char sysfs_name[IBV_SYSFS_NAME_MAX];
	dev_t sysfs_cdev;
	char ibdev_name[IBV_SYSFS_NAME_MAX];
	char ibdev_path[IBV_SYSFS_PATH_MAX];
	char modalias[512];
	uint64_t node_guid;
	uint32_t driver_id;
	enum ibv_node_type node_type;
	int ibdev_idx;
	uint32_t num_ports;
	uint32_t abi_ver;		/* the uverbs char device's ABI */
	struct timespec time_created;
};

struct verbs_device;

/*
 * What a provider registers. libibverbs matches a device when a match_table
 * entry matches (or match_device says so) and the device's abi_ver lies in
 * [match_min_abi_version, match_max_abi_version].
 */
struct verbs_device_ops {
	const char *name;

	uint32_t match_min_abi_version;
	uint32_t match_max_abi_version;
	const struct verbs_match_ent *match_table;
	const struct verbs_device_ops **static_providers;

	bool (*match_device)(struct verbs_sysfs_dev *sysfs_dev);

	struct verbs_context *(*alloc_context)(struct ibv_device *device,
					       int cmd_fd, void *private_data);
	struct verbs_context *(*import_context)(struct ibv_device *device,
						int cmd_fd);

	struct verbs_device *(*alloc_device)(struct verbs_sysfs_dev *sysfs_dev);
	void (*uninit_device)(struct verbs_device *device);
};

/* The provider's device wraps this; ibv_device must come first. */
struct verbs_device {
	struct ibv_device device;
	const struct verbs_device_ops *ops;
	atomic_int refcount;
	struct verbs_list_node entry;
	struct verbs_sysfs_dev *sysfs;
	uint64_t core_support;
};

void verbs_register_driver_34(const struct verbs_device_ops *ops);

/* ---------------------------------------------------------------------
 * Objects libibverbs shares with providers
 */

enum ibv_mr_type {
	IBV_MR_TYPE_MR,
	IBV_MR_TYPE_NULL_MR,
	IBV_MR_TYPE_IMPORTED_MR,
	IBV_MR_TYPE_DMABUF_MR,
};

struct verbs_mr {
	struct ibv_mr ibv_mr;
	enum ibv_mr_type mr_type;
	int access;
};

struct verbs_xrcd;

/* verbs_qp.comp_mask */
enum {
	VERBS_QP_XRCD		= 1 << 0,
	VERBS_QP_EX		= 1 << 1,	/* qp_ex ops are set */
};

struct verbs_qp {
	union {
		struct ibv_qp qp;
		struct ibv_qp_ex qp_ex;
	};
	uint32_t comp_mask;
	struct verbs_xrcd *xrcd;
};

struct verbs_cq {
	union {
		struct ibv_cq cq;
		struct ibv_cq_ex cq_ex;
	};
};

/*
 * Every operation a provider may implement, sorted by name; libibverbs
 * replaces each NULL with a stub failing with EOPNOTSUPP (verbs_set_ops).
 */
struct verbs_context_ops {
	int (*advise_mr)(struct ibv_pd *pd, enum ibv_advise_mr_advice advice,
			 uint32_t flags, struct ibv_sge *sg_list,
			 uint32_t num_sges);
	struct ibv_dm *(*alloc_dm)(struct ibv_context *context,
				   struct ibv_alloc_dm_attr *attr);
	struct ibv_mw *(*alloc_mw)(struct ibv_pd *pd, enum ibv_mw_type type);
	struct ibv_mr *(*alloc_null_mr)(struct ibv_pd *pd);
	struct ibv_pd *(*alloc_parent_domain)(
		struct ibv_context *context,
		struct ibv_parent_domain_init_attr *attr);
	struct ibv_pd *(*alloc_pd)(struct ibv_context *context);
	struct ibv_td *(*alloc_td)(struct ibv_context *context,
				   struct ibv_td_init_attr *init_attr);
	void (*async_event)(struct ibv_context *context,
			    struct ibv_async_event *event);
	int (*attach_counters_point_flow)(struct ibv_counters *counters,
					  struct ibv_counter_attach_attr *attr,
					  struct ibv_flow *flow);
	int (*attach_mcast)(struct ibv_qp *qp, const union ibv_gid *gid,
			    uint16_t lid);
	int (*bind_mw)(struct ibv_qp *qp, struct ibv_mw *mw,
		       struct ibv_mw_bind *mw_bind);
	int (*close_xrcd)(struct ibv_xrcd *xrcd);
	void (*cq_event)(struct ibv_cq *cq);
	struct ibv_ah *(*create_ah)(struct ibv_pd *pd,
				    struct ibv_ah_attr *attr);
	struct ibv_counters *(*create_counters)(
		struct ibv_context *context,
		struct ibv_counters_init_attr *init_attr);
	struct ibv_cq *(*create_cq)(struct ibv_context *context, int cqe,
				    struct ibv_comp_channel *channel,
				    int comp_vector);
	struct ibv_cq_ex *(*create_cq_ex)(
		struct ibv_context *context,
		struct ibv_cq_init_attr_ex *init_attr);
	struct ibv_flow *(*create_flow)(struct ibv_qp *qp,
					struct ibv_flow_attr *flow_attr);
	struct ibv_flow_action *(*create_flow_action_esp)(
		struct ibv_context *context,
		struct ibv_flow_action_esp_attr *attr);
	struct ibv_qp *(*create_qp)(struct ibv_pd *pd,
				    struct ibv_qp_init_attr *attr);
	struct ibv_qp *(*create_qp_ex)(struct ibv_context *context,
				       struct ibv_qp_init_attr_ex *attr);
	struct ibv_rwq_ind_table *(*create_rwq_ind_table)(
		struct ibv_context *context,
		struct ibv_rwq_ind_table_init_attr *init_attr);
	struct ibv_srq *(*create_srq)(struct ibv_pd *pd,
				      struct ibv_srq_init_attr *attr);
	struct ibv_srq *(*create_srq_ex)(struct ibv_context *context,
					 struct ibv_srq_init_attr_ex *attr);
	struct ibv_wq *(*create_wq)(struct ibv_context *context,
				    struct ibv_wq_init_attr *wq_init_attr);
	int (*dealloc_mw)(struct ibv_mw *mw);
	int (*dealloc_pd)(struct ibv_pd *pd);
	int (*dealloc_td)(struct ibv_td *td);
	int (*dereg_mr)(struct verbs_mr *vmr);
	int (*destroy_ah)(struct ibv_ah *ah);
	int (*destroy_counters)(struct ibv_counters *counters);
	int (*destroy_cq)(struct ibv_cq *cq);
	int (*destroy_flow)(struct ibv_flow *flow);
	int (*destroy_flow_action)(struct ibv_flow_action *action);
	int (*destroy_qp)(struct ibv_qp *qp);
	int (*destroy_rwq_ind_table)(struct ibv_rwq_ind_table *rwq_ind_table);
	int (*destroy_srq)(struct ibv_srq *srq);
	int (*destroy_wq)(struct ibv_wq *wq);
	int (*detach_mcast)(struct ibv_qp *qp, const union ibv_gid *gid,
			    uint16_t lid);
	void (*free_context)(struct ibv_context *context);
	int (*free_dm)(struct ibv_dm *dm);
	int (*get_srq_num)(struct ibv_srq *srq, uint32_t *srq_num);
	struct ibv_dm *(*import_dm)(struct ibv_context *context,
				    uint32_t dm_handle);
	struct ibv_mr *(*import_mr)(struct ibv_pd *pd, uint32_t mr_handle);
	struct ibv_pd *(*import_pd)(struct ibv_context *context,
				    uint32_t pd_handle);
	int (*modify_cq)(struct ibv_cq *cq, struct ibv_modify_cq_attr *attr);
	int (*modify_flow_action_esp)(struct ibv_flow_action *action,
				      struct ibv_flow_action_esp_attr *attr);
	int (*modify_qp)(struct ibv_qp *qp, struct ibv_qp_attr *attr,
			 int attr_mask);
	int (*modify_qp_rate_limit)(struct ibv_qp *qp,
				    struct ibv_qp_rate_limit_attr *attr);
	int (*modify_srq)(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
			  int srq_attr_mask);
	int (*modify_wq)(struct ibv_wq *wq, struct ibv_wq_attr *wq_attr);
	struct ibv_qp *(*open_qp)(struct ibv_context *context,
				  struct ibv_qp_open_attr *attr);
	struct ibv_xrcd *(*open_xrcd)(struct ibv_context *context,
				      struct ibv_xrcd_init_attr *attr);
	int (*poll_cq)(struct ibv_cq *cq, int num_entries, struct ibv_wc *wc);
	int (*post_recv)(struct ibv_qp *qp, struct ibv_recv_wr *wr,
			 struct ibv_recv_wr **bad_wr);
	int (*post_send)(struct ibv_qp *qp, struct ibv_send_wr *wr,
			 struct ibv_send_wr **bad_wr);
	int (*post_srq_ops)(struct ibv_srq *srq, struct ibv_ops_wr *op,
			    struct ibv_ops_wr **bad_op);
	int (*post_srq_recv)(struct ibv_srq *srq, struct ibv_recv_wr *recv_wr,
			     struct ibv_recv_wr **bad_recv_wr);
	int (*query_device_ex)(struct ibv_context *context,
			       const struct ibv_query_device_ex_input *input,
			       struct ibv_device_attr_ex *attr,
			       size_t attr_size);
	int (*query_ece)(struct ibv_qp *qp, struct ibv_ece *ece);
	int (*query_port)(struct ibv_context *context, uint8_t port_num,
			  struct ibv_port_attr *port_attr);
	int (*query_qp)(struct ibv_qp *qp, struct ibv_qp_attr *attr,
			int attr_mask, struct ibv_qp_init_attr *init_attr);
	int (*query_qp_data_in_order)(struct ibv_qp *qp, enum ibv_wr_opcode op,
				      uint32_t flags);
	int (*query_rt_values)(struct ibv_context *context,
			       struct ibv_values_ex *values);
	int (*query_srq)(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr);
	int (*read_counters)(struct ibv_counters *counters,
			     uint64_t *counters_value, uint32_t ncounters,
			     uint32_t flags);
	struct ibv_mr *(*reg_dm_mr)(struct ibv_pd *pd, struct ibv_dm *dm,
				    uint64_t dm_offset, size_t length,
				    unsigned int access);
	struct ibv_mr *(*reg_dmabuf_mr)(struct ibv_pd *pd, uint64_t offset,
					size_t length, uint64_t iova, int fd,
					int access);
	struct ibv_mr *(*reg_mr)(struct ibv_pd *pd, void *addr, size_t length,
				 uint64_t hca_va, int access);
	int (*req_notify_cq)(struct ibv_cq *cq, int solicited_only);
	int (*rereg_mr)(struct verbs_mr *vmr, int flags, struct ibv_pd *pd,
			void *addr, size_t length, int access);
	int (*resize_cq)(struct ibv_cq *cq, int cqe);
	int (*set_ece)(struct ibv_qp *qp, struct ibv_ece *ece);
	void (*unimport_dm)(struct ibv_dm *dm);
	void (*unimport_mr)(struct ibv_mr *mr);
	void (*unimport_pd)(struct ibv_pd *pd);
};

/* ---------------------------------------------------------------------
 * Context setup and logging
 */

void *_verbs_init_and_alloc_context(struct ibv_device *device, int cmd_fd,
				    size_t alloc_size,
				    struct verbs_context *context_offset,
				    uint32_t driver_id);

/*
 * Allocate the provider's context struct (zeroed) with its verbs_context
 * member "memb" initialised. On failure cmd_fd is closed and NULL returned.
 */
#define verbs_init_and_alloc_context(ibdev, cmd_fd, drv_ctx, memb, driver_id) \
	((__typeof__(drv_ctx))_verbs_init_and_alloc_context(                  \
		ibdev, cmd_fd, sizeof(*(drv_ctx)),                             \
		&((__typeof__(drv_ctx))NULL)->memb, driver_id))

void verbs_uninit_context(struct verbs_context *context);
void verbs_set_ops(struct verbs_context *vctx,
		   const struct verbs_context_ops *ops);

enum {
	VERBS_LOG_LEVEL_NONE,
	VERBS_LOG_ERR,
	VERBS_LOG_WARN,
	VERBS_LOG_INFO,
	VERBS_LOG_DEBUG,
};

/* Printed when VERBS_LOG_LEVEL in the environment is >= level. */
void __verbs_log(struct verbs_context *ctx, uint32_t level,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Public libibverbs symbols (IBVERBS_1.1) that only driver.h declares. */
int ibv_dontfork_range(void *base, size_t size);
int ibv_dofork_range(void *base, size_t size);

/* ---------------------------------------------------------------------
 * uverbs write() command buffers
 *
 * A provider hands libibverbs a buffer holding the command header, the
 * core command struct and then the driver's struct (likewise core response,
 * then the driver's response). libibverbs fills the header and the core
 * part itself and sends the driver part as the command's udata, over
 * write() or as UVERBS_ATTR_UHW_IN/OUT of an ioctl(). These are those
 * wrappers; the driver part is appended by the users (mlx5x.h).
 */

#define MLX5X_DECLARE_CMD(_name, _core)					\
	struct _name {							\
		struct ib_uverbs_cmd_hdr hdr;				\
		struct _core core;					\
	};								\
	_Static_assert(sizeof(struct _name) ==				\
		       sizeof(struct ib_uverbs_cmd_hdr) +		\
		       sizeof(struct _core),				\
		       "padding between " #_name " header and core")

MLX5X_DECLARE_CMD(ibv_get_context, ib_uverbs_get_context);
MLX5X_DECLARE_CMD(ibv_query_port, ib_uverbs_query_port);
MLX5X_DECLARE_CMD(ibv_alloc_pd, ib_uverbs_alloc_pd);
MLX5X_DECLARE_CMD(ibv_reg_mr, ib_uverbs_reg_mr);
MLX5X_DECLARE_CMD(ibv_rereg_mr, ib_uverbs_rereg_mr);
MLX5X_DECLARE_CMD(ibv_alloc_mw, ib_uverbs_alloc_mw);
MLX5X_DECLARE_CMD(ibv_create_cq, ib_uverbs_create_cq);
MLX5X_DECLARE_CMD(ibv_resize_cq, ib_uverbs_resize_cq);
MLX5X_DECLARE_CMD(ibv_create_qp, ib_uverbs_create_qp);
MLX5X_DECLARE_CMD(ibv_modify_qp, ib_uverbs_modify_qp);
MLX5X_DECLARE_CMD(ibv_query_qp, ib_uverbs_query_qp);
MLX5X_DECLARE_CMD(ibv_create_srq, ib_uverbs_create_srq);
MLX5X_DECLARE_CMD(ibv_modify_srq, ib_uverbs_modify_srq);
MLX5X_DECLARE_CMD(ibv_query_srq, ib_uverbs_query_srq);

/* ---------------------------------------------------------------------
 * Command helpers (IBVERBS_PRIVATE_34). They return 0 or an errno value.
 */

int ibv_cmd_get_context(struct verbs_context *context,
			struct ibv_get_context *cmd, size_t cmd_size,
			struct ib_uverbs_get_context_resp *resp,
			size_t resp_size);
int ibv_cmd_query_device_any(struct ibv_context *context,
			     const struct ibv_query_device_ex_input *input,
			     struct ibv_device_attr_ex *attr, size_t attr_size,
			     struct ib_uverbs_ex_query_device_resp *resp,
			     size_t *resp_size);
int ibv_cmd_query_port(struct ibv_context *context, uint8_t port_num,
		       struct ibv_port_attr *port_attr,
		       struct ibv_query_port *cmd, size_t cmd_size);
int ibv_cmd_alloc_pd(struct ibv_context *context, struct ibv_pd *pd,
		     struct ibv_alloc_pd *cmd, size_t cmd_size,
		     struct ib_uverbs_alloc_pd_resp *resp, size_t resp_size);
int ibv_cmd_dealloc_pd(struct ibv_pd *pd);
int ibv_cmd_reg_mr(struct ibv_pd *pd, void *addr, size_t length,
		   uint64_t hca_va, int access, struct verbs_mr *vmr,
		   struct ibv_reg_mr *cmd, size_t cmd_size,
		   struct ib_uverbs_reg_mr_resp *resp, size_t resp_size);
int ibv_cmd_rereg_mr(struct verbs_mr *vmr, uint32_t flags, void *addr,
		     size_t length, uint64_t hca_va, int access,
		     struct ibv_pd *pd, struct ibv_rereg_mr *cmd,
		     size_t cmd_sz, struct ib_uverbs_rereg_mr_resp *resp,
		     size_t resp_sz);
int ibv_cmd_dereg_mr(struct verbs_mr *vmr);
int ibv_cmd_alloc_mw(struct ibv_pd *pd, enum ibv_mw_type type,
		     struct ibv_mw *mw, struct ibv_alloc_mw *cmd,
		     size_t cmd_size,
		     struct ib_uverbs_alloc_mw_resp *resp, size_t resp_size);
int ibv_cmd_dealloc_mw(struct ibv_mw *mw);
int ibv_cmd_create_cq(struct ibv_context *context, int cqe,
		      struct ibv_comp_channel *channel, int comp_vector,
		      struct ibv_cq *cq, struct ibv_create_cq *cmd,
		      size_t cmd_size, struct ib_uverbs_create_cq_resp *resp,
		      size_t resp_size);
int ibv_cmd_resize_cq(struct ibv_cq *cq, int cqe,
		      struct ibv_resize_cq *cmd, size_t cmd_size,
		      struct ib_uverbs_resize_cq_resp *resp, size_t resp_size);
int ibv_cmd_destroy_cq(struct ibv_cq *cq);
int ibv_cmd_create_qp_ex(struct ibv_context *context, struct verbs_qp *qp,
			 struct ibv_qp_init_attr_ex *attr_ex,
			 struct ibv_create_qp *cmd, size_t cmd_size,
			 struct ib_uverbs_create_qp_resp *resp,
			 size_t resp_size);
int ibv_cmd_modify_qp(struct ibv_qp *qp, struct ibv_qp_attr *attr,
		      int attr_mask, struct ibv_modify_qp *cmd,
		      size_t cmd_size);
int ibv_cmd_query_qp(struct ibv_qp *qp, struct ibv_qp_attr *qp_attr,
		     int attr_mask, struct ibv_qp_init_attr *qp_init_attr,
		     struct ibv_query_qp *cmd, size_t cmd_size);
int ibv_cmd_destroy_qp(struct ibv_qp *qp);
int ibv_cmd_create_srq(struct ibv_pd *pd, struct ibv_srq *srq,
		       struct ibv_srq_init_attr *attr,
		       struct ibv_create_srq *cmd, size_t cmd_size,
		       struct ib_uverbs_create_srq_resp *resp,
		       size_t resp_size);
int ibv_cmd_modify_srq(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
		       int srq_attr_mask, struct ibv_modify_srq *cmd,
		       size_t cmd_size);
int ibv_cmd_query_srq(struct ibv_srq *srq, struct ibv_srq_attr *srq_attr,
		      struct ibv_query_srq *cmd, size_t cmd_size);
int ibv_cmd_destroy_srq(struct ibv_srq *srq);
int ibv_cmd_create_ah(struct ibv_pd *pd, struct ibv_ah *ah,
		      struct ibv_ah_attr *attr,
		      struct ib_uverbs_create_ah_resp *resp,
		      size_t resp_size);
int ibv_cmd_destroy_ah(struct ibv_ah *ah);

/* ---------------------------------------------------------------------
 * Layout checks: rdma-core 44.0 on x86_64.
 */

#define MLX5X_OPS_INDEX(op)						\
	(offsetof(struct verbs_context_ops, op) / sizeof(void (*)(void)))

_Static_assert(sizeof(struct verbs_context_ops) ==
	       76 * sizeof(void (*)(void)),
	       "verbs_context_ops must hold the 76 ops of rdma-core 44");
/* Spot checks of the alphabetical order, at the ops libmlx5x sets. */
_Static_assert(MLX5X_OPS_INDEX(advise_mr) == 0, "ops order");
_Static_assert(MLX5X_OPS_INDEX(alloc_pd) == 5, "ops order");
_Static_assert(MLX5X_OPS_INDEX(create_ah) == 13, "ops order");
_Static_assert(MLX5X_OPS_INDEX(create_cq) == 15, "ops order");
_Static_assert(MLX5X_OPS_INDEX(create_cq_ex) == 16, "ops order");
_Static_assert(MLX5X_OPS_INDEX(create_qp) == 19, "ops order");
_Static_assert(MLX5X_OPS_INDEX(create_qp_ex) == 20, "ops order");
_Static_assert(MLX5X_OPS_INDEX(create_srq) == 22, "ops order");
_Static_assert(MLX5X_OPS_INDEX(destroy_srq) == 36, "ops order");
_Static_assert(MLX5X_OPS_INDEX(modify_srq) == 49, "ops order");
_Static_assert(MLX5X_OPS_INDEX(post_srq_recv) == 57, "ops order");
_Static_assert(MLX5X_OPS_INDEX(query_srq) == 64, "ops order");
_Static_assert(MLX5X_OPS_INDEX(dealloc_pd) == 26, "ops order");
_Static_assert(MLX5X_OPS_INDEX(dereg_mr) == 28, "ops order");
_Static_assert(MLX5X_OPS_INDEX(destroy_ah) == 29, "ops order");
_Static_assert(MLX5X_OPS_INDEX(destroy_cq) == 31, "ops order");
_Static_assert(MLX5X_OPS_INDEX(destroy_qp) == 34, "ops order");
_Static_assert(MLX5X_OPS_INDEX(free_context) == 39, "ops order");
_Static_assert(MLX5X_OPS_INDEX(modify_qp) == 47, "ops order");
_Static_assert(MLX5X_OPS_INDEX(poll_cq) == 53, "ops order");
_Static_assert(MLX5X_OPS_INDEX(query_device_ex) == 58, "ops order");
_Static_assert(MLX5X_OPS_INDEX(query_port) == 60, "ops order");
_Static_assert(MLX5X_OPS_INDEX(query_qp) == 61, "ops order");
_Static_assert(MLX5X_OPS_INDEX(reg_mr) == 68, "ops order");
_Static_assert(MLX5X_OPS_INDEX(resize_cq) == 71, "ops order");
_Static_assert(MLX5X_OPS_INDEX(unimport_pd) == 75, "ops order");

_Static_assert(offsetof(struct verbs_device, device) == 0,
	       "ibv_device must start verbs_device");
_Static_assert(offsetof(struct verbs_qp, qp) == 0 &&
	       offsetof(struct ibv_qp_ex, qp_base) == 0,
	       "ibv_qp must start verbs_qp");
_Static_assert(offsetof(struct verbs_cq, cq) == 0,
	       "ibv_cq must start verbs_cq");
_Static_assert(offsetof(struct verbs_mr, ibv_mr) == 0,
	       "ibv_mr must start verbs_mr");

_Static_assert(sizeof(struct ib_uverbs_cmd_hdr) == 8, "uverbs cmd hdr");
_Static_assert(sizeof(struct ib_uverbs_ex_cmd_hdr) == 16, "uverbs ex hdr");

#if defined(__x86_64__)
_Static_assert(sizeof(struct verbs_match_ent) == 24, "verbs_match_ent");
_Static_assert(sizeof(struct verbs_device_ops) == 72, "verbs_device_ops");
_Static_assert(sizeof(struct verbs_device) == 712, "verbs_device");
_Static_assert(offsetof(struct verbs_device, ops) == 664, "verbs_device");
_Static_assert(offsetof(struct verbs_device, sysfs) == 696, "verbs_device");
_Static_assert(sizeof(struct verbs_sysfs_dev) == 992, "verbs_sysfs_dev");
_Static_assert(offsetof(struct verbs_sysfs_dev, modalias) == 432,
	       "verbs_sysfs_dev");
_Static_assert(offsetof(struct verbs_sysfs_dev, abi_ver) == 968,
	       "verbs_sysfs_dev");
_Static_assert(sizeof(struct verbs_context_ops) == 608, "verbs_context_ops");
_Static_assert(sizeof(struct verbs_mr) == 56, "verbs_mr");
_Static_assert(sizeof(struct verbs_qp) == 368, "verbs_qp");
_Static_assert(offsetof(struct verbs_qp, comp_mask) == 352, "verbs_qp");
_Static_assert(sizeof(struct verbs_cq) == 288, "verbs_cq");
/* From the public verbs.h, but its layout is what the provider relies on. */
_Static_assert(sizeof(struct verbs_context) == 648, "verbs_context");
_Static_assert(offsetof(struct verbs_context, context) == 320,
	       "verbs_context");

_Static_assert(sizeof(struct ibv_get_context) == 16, "ibv_get_context");
_Static_assert(sizeof(struct ibv_query_port) == 24, "ibv_query_port");
_Static_assert(sizeof(struct ibv_alloc_pd) == 16, "ibv_alloc_pd");
_Static_assert(sizeof(struct ibv_reg_mr) == 48, "ibv_reg_mr");
_Static_assert(sizeof(struct ibv_create_cq) == 40, "ibv_create_cq");
_Static_assert(sizeof(struct ibv_resize_cq) == 24, "ibv_resize_cq");
_Static_assert(sizeof(struct ibv_create_qp) == 64, "ibv_create_qp");
_Static_assert(sizeof(struct ibv_modify_qp) == 120, "ibv_modify_qp");
_Static_assert(sizeof(struct ibv_query_qp) == 24, "ibv_query_qp");
_Static_assert(sizeof(struct ibv_create_srq) == 40, "ibv_create_srq");
_Static_assert(sizeof(struct ibv_modify_srq) == 24, "ibv_modify_srq");
_Static_assert(sizeof(struct ibv_query_srq) == 24, "ibv_query_srq");
_Static_assert(sizeof(struct ib_uverbs_get_context_resp) == 8, "resp");
_Static_assert(sizeof(struct ib_uverbs_alloc_pd_resp) == 4, "resp");
_Static_assert(sizeof(struct ib_uverbs_reg_mr_resp) == 12, "resp");
_Static_assert(sizeof(struct ib_uverbs_create_cq_resp) == 8, "resp");
_Static_assert(sizeof(struct ib_uverbs_resize_cq_resp) == 8, "resp");
_Static_assert(sizeof(struct ib_uverbs_create_qp_resp) == 32, "resp");
_Static_assert(sizeof(struct ib_uverbs_ex_query_device_resp) == 304, "resp");
#endif

#endif /* MLX5X_VERBS_PRIVATE_H */

/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * libmlx5x internals: the provider's objects, the uverbs command buffers it
 * sends, and the functions each file offers the others.
 */
#ifndef MLX5X_H
#define MLX5X_H

#include <stddef.h>
#include <stdint.h>

#include <infiniband/verbs.h>
#include <rdma/ib_user_verbs.h>
#include <rdma/mlx5x-abi.h>

#include "verbs_private.h"
#include "geometry.h"
#include "dbrec.h"

#define mlx5x_container_of(ptr, type, member)				\
	((type *)((uint8_t *)(ptr) - offsetof(type, member)))

#define mlx5x_err(vctx, fmt, ...)					\
	__verbs_log(vctx, VERBS_LOG_ERR, "mlx5x: %s: " fmt, __func__,	\
		    ##__VA_ARGS__)
#define mlx5x_dbg(vctx, fmt, ...)					\
	__verbs_log(vctx, VERBS_LOG_DEBUG, "mlx5x: %s: " fmt, __func__,	\
		    ##__VA_ARGS__)

/* ---------------------------------------------------------------------
 * Objects
 */

struct mlx5x_device {
	struct verbs_device verbs_dev;
	size_t page_size;
};

struct mlx5x_context {
	struct verbs_context ibv_ctx;
	void *uar;			/* the mmap()ed UAR page(s) */
	size_t uar_size;
	uint32_t uar_index;
	uint32_t max_cqe;
	uint32_t flags;			/* mlx5x_alloc_ucontext_resp.flags */
	struct mlx5x_qp_limits qp_limits;
	size_t page_size;
	struct mlx5x_dbrec_pool dbrec_pool;
};

/* A page-aligned, zeroed queue buffer the device reaches once pinned. */
struct mlx5x_buf {
	void *buf;
	size_t length;			/* whole pages */
};

struct mlx5x_cq {
	struct verbs_cq verbs_cq;
	struct mlx5x_buf buf;		/* the CQE ring */
	uint32_t cqe_cnt;
	uint32_t log_cqe_cnt;
	uint32_t *dbrec;		/* consumer index, arm sequence */
	uint32_t cqn;
};

struct mlx5x_qp {
	struct verbs_qp verbs_qp;
	struct mlx5x_buf buf;		/* RQ at rq_offset, SQ at sq_offset */
	struct mlx5x_qp_geom geom;
	uint32_t *dbrec;		/* [MLX5X_QP_DBREC_RCV], [.._SND] */
	uint32_t qpn;
};

static inline struct mlx5x_device *to_mdev(struct ibv_device *ibdev)
{
	return mlx5x_container_of(ibdev, struct mlx5x_device, verbs_dev.device);
}

static inline struct mlx5x_context *to_mctx(struct ibv_context *ibctx)
{
	return mlx5x_container_of(ibctx, struct mlx5x_context, ibv_ctx.context);
}

static inline struct mlx5x_cq *to_mcq(struct ibv_cq *ibcq)
{
	return mlx5x_container_of(ibcq, struct mlx5x_cq, verbs_cq.cq);
}

static inline struct mlx5x_qp *to_mqp(struct ibv_qp *ibqp)
{
	return mlx5x_container_of(ibqp, struct mlx5x_qp, verbs_qp.qp);
}

/* ---------------------------------------------------------------------
 * Command buffers: the core command (with its header), then the mlx5x
 * part from <rdma/mlx5x-abi.h>; the core response, then the mlx5x part.
 * The kernel sees the mlx5x parts as the command's udata.
 */

#define MLX5X_DECLARE_DRV_CMD(_name, _core_cmd, _drv_cmd)		\
	struct _name {							\
		struct _core_cmd ibv_cmd;				\
		struct _drv_cmd drv;					\
	};								\
	_Static_assert(offsetof(struct _name, drv) ==			\
		       sizeof(struct _core_cmd),			\
		       "padding before the " #_drv_cmd " udata");	\
	_Static_assert(sizeof(struct _name) ==				\
		       sizeof(struct _core_cmd) + sizeof(struct _drv_cmd), \
		       "padding after the " #_drv_cmd " udata")

#define MLX5X_DECLARE_DRV_RESP(_name, _core_resp, _drv_resp)		\
	struct _name {							\
		struct _core_resp ibv_resp;				\
		struct _drv_resp drv;					\
	};								\
	_Static_assert(offsetof(struct _name, drv) ==			\
		       sizeof(struct _core_resp),			\
		       "padding before the " #_drv_resp " udata");	\
	_Static_assert(sizeof(struct _name) ==				\
		       sizeof(struct _core_resp) + sizeof(struct _drv_resp), \
		       "padding after the " #_drv_resp " udata")

MLX5X_DECLARE_DRV_RESP(mlx5x_get_context_resp, ib_uverbs_get_context_resp,
		       mlx5x_alloc_ucontext_resp);
MLX5X_DECLARE_DRV_CMD(mlx5x_create_cq_cmd, ibv_create_cq, mlx5x_create_cq);
MLX5X_DECLARE_DRV_RESP(mlx5x_create_cq_cmd_resp, ib_uverbs_create_cq_resp,
		       mlx5x_create_cq_resp);
MLX5X_DECLARE_DRV_CMD(mlx5x_create_qp_cmd, ibv_create_qp, mlx5x_create_qp);
MLX5X_DECLARE_DRV_RESP(mlx5x_create_qp_cmd_resp, ib_uverbs_create_qp_resp,
		       mlx5x_create_qp_resp);

#if defined(__x86_64__)
_Static_assert(sizeof(struct mlx5x_get_context_resp) == 8 + 56, "resp");
_Static_assert(sizeof(struct mlx5x_create_cq_cmd) == 40 + 24, "cmd");
_Static_assert(sizeof(struct mlx5x_create_cq_cmd_resp) == 8 + 8, "resp");
_Static_assert(sizeof(struct mlx5x_create_qp_cmd) == 64 + 32, "cmd");
_Static_assert(sizeof(struct mlx5x_create_qp_cmd_resp) == 32 + 8, "resp");
#endif

/* ---------------------------------------------------------------------
 * Entry points, by file
 */

/* buf.c */
int mlx5x_alloc_buf(struct mlx5x_buf *buf, size_t size, size_t page_size);
void mlx5x_free_buf(struct mlx5x_buf *buf);

/* pd.c */
struct ibv_pd *mlx5x_alloc_pd(struct ibv_context *context);
int mlx5x_dealloc_pd(struct ibv_pd *pd);

/* mr.c */
struct ibv_mr *mlx5x_reg_mr(struct ibv_pd *pd, void *addr, size_t length,
			    uint64_t hca_va, int access);
int mlx5x_dereg_mr(struct verbs_mr *vmr);

/* cq.c */
struct ibv_cq *mlx5x_create_cq(struct ibv_context *context, int cqe,
			       struct ibv_comp_channel *channel,
			       int comp_vector);
int mlx5x_destroy_cq(struct ibv_cq *cq);
int mlx5x_poll_cq_unsupported(struct ibv_cq *cq, int num_entries,
			      struct ibv_wc *wc);

/* qp.c */
struct ibv_qp *mlx5x_create_qp(struct ibv_pd *pd,
			       struct ibv_qp_init_attr *attr);
struct ibv_qp *mlx5x_create_qp_ex(struct ibv_context *context,
				  struct ibv_qp_init_attr_ex *attr);
int mlx5x_modify_qp(struct ibv_qp *qp, struct ibv_qp_attr *attr,
		    int attr_mask);
int mlx5x_query_qp(struct ibv_qp *qp, struct ibv_qp_attr *attr,
		   int attr_mask, struct ibv_qp_init_attr *init_attr);
int mlx5x_destroy_qp(struct ibv_qp *qp);

#endif /* MLX5X_H */

/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * libmlx5x internals: the provider's objects, the uverbs command buffers it
 * sends, and the functions each file offers the others.
 */
#ifndef MLX5X_H
#define MLX5X_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <infiniband/verbs.h>
#include <rdma/ib_user_verbs.h>
#include <rdma/mlx5x-abi.h>
#include <rdma/mlx5x_wqe.h>

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

/*
 * QPN -> QP, for poll_cq: a CQ may serve many QPs and its CQEs name them by
 * number. Two levels of 4096 (QPNs are 24 bits), second levels allocated on
 * demand. Writers hold the mutex; poll_cq reads without it (a QP leaves the
 * table before it is freed, and its CQEs are cleaned out of its CQs).
 */
#define MLX5X_QP_TABLE_SHIFT	12
#define MLX5X_QP_TABLE_SIZE	(1 << MLX5X_QP_TABLE_SHIFT)
#define MLX5X_QP_TABLE_MASK	(MLX5X_QP_TABLE_SIZE - 1)

struct mlx5x_qp;
struct mlx5x_send_op;

struct mlx5x_qp_table_ent {
	struct mlx5x_qp **table;
	unsigned int refcnt;
};

struct mlx5x_context {
	struct verbs_context ibv_ctx;
	struct mlx5x_uar *uar;		/* the mmap()ed UAR page */
	size_t uar_size;
	uint32_t uar_index;
	uint32_t max_cqe;
	uint32_t flags;			/* mlx5x_alloc_ucontext_resp.flags */
	struct mlx5x_qp_limits qp_limits;
	bool atomics;			/* device atomic_cap != NONE */
	bool mw;			/* windows, LOCAL_INV, SEND_WITH_INV */
	uint32_t max_srq_wr;		/* device limits, 0: no SRQs */
	uint32_t max_srq_sge;
	size_t page_size;
	struct mlx5x_dbrec_pool dbrec_pool;
	pthread_mutex_t qp_table_mutex;
	struct mlx5x_qp_table_ent qp_table[MLX5X_QP_TABLE_SIZE];
};

/* A page-aligned, zeroed queue buffer the device reaches once pinned. */
struct mlx5x_buf {
	void *buf;
	size_t length;			/* whole pages */
};

/* What one CQE says, in ibv_wc terms (cq.c parses; poll_cq, cq_ex.c read). */
struct mlx5x_cqe_info {
	uint64_t wr_id;
	enum ibv_wc_status status;
	enum ibv_wc_opcode opcode;
	uint32_t byte_len;
	unsigned int wc_flags;
};

struct mlx5x_cq {
	struct verbs_cq verbs_cq;
	uint32_t *dbrec;		/* consumer index, arm sequence */
	uint32_t cqn;

	pthread_spinlock_t lock;	/* the fields below */
	struct mlx5x_buf buf;		/* the CQE ring (swapped by resize) */
	uint32_t cqe_cnt;
	uint32_t log_cqe_cnt;
	uint32_t cons_index;		/* free running; the ring's ci */
	uint32_t arm_sn;		/* bumped per completion event */
	struct mlx5x_qp *last_qp;	/* lookup cache of poll_cq */

	/* ibv_start_poll .. ibv_end_poll (cq_ex.c), lock held throughout */
	const struct mlx5x_cqe *ex_cqe;	/* the current CQE */
	struct mlx5x_qp *ex_qp;
	struct mlx5x_cqe_info ex_info;
	bool ex_consumed;		/* CI dbrec to update at end_poll */
};

/*
 * Send queue. cur_post counts WQEBBs (the SQ dbrec holds its low 16 bits);
 * head and tail count work requests, posted and completed: at most
 * max_post may be outstanding, and as each WQE is at most the QP's
 * sq_wqebb_per_wqe WQEBBs, they always fit in the ring. Per WQEBB slot
 * where a WQE starts: its wr_id, the head value it was posted with (a CQE
 * for it completes every WR up to it: unsignaled ones included) and the
 * ibv_wc_opcode to report.
 */
struct mlx5x_sq {
	pthread_spinlock_t lock;	/* posting */
	uint8_t *buf;			/* WQEBB 0 */
	uint8_t *qend;			/* just past the last WQEBB */
	uint32_t wqe_cnt;		/* WQEBBs, a power of two */
	uint32_t max_post;
	uint32_t max_gs;
	uint32_t max_inline;
	bool sig_all;
	uint32_t cur_post;
	uint32_t head;
	uint32_t tail;			/* written by poll_cq (atomic) */
	uint64_t *wrid;
	uint32_t *wqe_head;
	uint8_t *wc_opcode;

	/* ibv_wr_* batch state, between wr_start and wr_complete/abort. */
	struct mlx5x_wqe_ctrl_seg *cur_ctrl;	/* the WQE being built */
	void *cur_seg;			/* where its next segment goes */
	uint32_t cur_ds;		/* its size so far, 16-byte units */
	const struct mlx5x_send_op *cur_op;
	bool cur_has_data;
	struct mlx5x_wqe_datagram_seg *cur_dgram;	/* UD: its datagram seg */
	bool cur_dgram_set;
	uint32_t batch_nreq;
	uint32_t batch_start_post;
	int batch_err;
};

/* Receive queue: head/tail count WQEs, the RQ dbrec holds head's low 16. */
struct mlx5x_rq {
	pthread_spinlock_t lock;
	uint8_t *buf;
	uint32_t wqe_cnt;		/* 0 or a power of two */
	uint32_t wqe_shift;
	uint32_t max_gs;		/* what the QP reports */
	uint32_t stride_segs;		/* data segments a WQE holds */
	uint32_t head;
	uint32_t tail;			/* written by poll_cq (atomic) */
	uint64_t *wrid;
};

/*
 * Shared receive queue (srq.c): slots on a free list linked through their
 * next segments, from head (next to post) to tail (never posted).
 */
struct mlx5x_srq {
	struct ibv_srq ibv_srq;
	struct mlx5x_buf buf;
	uint32_t *dbrec;		/* [MLX5X_SRQ_DBREC_CNT] */
	uint32_t srqn;
	uint32_t wqe_cnt;		/* slots, a power of two */
	uint32_t wqe_shift;
	uint32_t max_gs;
	pthread_spinlock_t lock;	/* the fields below */
	uint32_t head;
	uint32_t tail;
	uint32_t counter;		/* WQEs posted */
	uint64_t *wrid;
};

struct mlx5x_qp {
	struct verbs_qp verbs_qp;
	struct mlx5x_buf buf;		/* RQ at rq_offset, SQ at sq_offset */
	struct mlx5x_qp_geom geom;
	uint32_t *dbrec;		/* [MLX5X_QP_DBREC_RCV], [.._SND] */
	uint32_t qpn;
	enum ibv_qp_type qp_type;	/* RC, UC or UD */
	bool atomics;
	bool mw;			/* the context's mw */
	bool dev_error;			/* an error CQE seen since RESET */
	struct mlx5x_uar *uar;
	struct mlx5x_sq sq;
	struct mlx5x_rq rq;
};

/*
 * An address handle: the datagram segment of its UD WQEs, minus the
 * destination QPN and Q_Key that each work request gives (ah.c).
 */
struct mlx5x_ah {
	struct ibv_ah ibv_ah;
	struct mlx5x_wqe_datagram_seg av;
	uint8_t dmac[6];		/* for the wire; unused on the host */
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

static inline struct mlx5x_srq *to_msrq(struct ibv_srq *ibsrq)
{
	return mlx5x_container_of(ibsrq, struct mlx5x_srq, ibv_srq);
}

static inline struct mlx5x_ah *to_mah(struct ibv_ah *ibah)
{
	return mlx5x_container_of(ibah, struct mlx5x_ah, ibv_ah);
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
MLX5X_DECLARE_DRV_CMD(mlx5x_resize_cq_cmd, ibv_resize_cq, mlx5x_resize_cq);
MLX5X_DECLARE_DRV_RESP(mlx5x_resize_cq_cmd_resp, ib_uverbs_resize_cq_resp,
		       mlx5x_resize_cq_resp);
MLX5X_DECLARE_DRV_CMD(mlx5x_create_qp_cmd, ibv_create_qp, mlx5x_create_qp);
MLX5X_DECLARE_DRV_RESP(mlx5x_create_qp_cmd_resp, ib_uverbs_create_qp_resp,
		       mlx5x_create_qp_resp);
MLX5X_DECLARE_DRV_CMD(mlx5x_create_srq_cmd, ibv_create_srq, mlx5x_create_srq);
MLX5X_DECLARE_DRV_RESP(mlx5x_create_srq_cmd_resp, ib_uverbs_create_srq_resp,
		       mlx5x_create_srq_resp);

#if defined(__x86_64__)
_Static_assert(sizeof(struct mlx5x_create_srq_cmd) == 40 + 32, "cmd");
_Static_assert(sizeof(struct mlx5x_create_srq_cmd_resp) == 16 + 8, "resp");
_Static_assert(sizeof(struct mlx5x_get_context_resp) == 8 + 56, "resp");
_Static_assert(sizeof(struct mlx5x_create_cq_cmd) == 40 + 24, "cmd");
_Static_assert(sizeof(struct mlx5x_create_cq_cmd_resp) == 8 + 8, "resp");
_Static_assert(sizeof(struct mlx5x_resize_cq_cmd) == 24 + 16, "cmd");
_Static_assert(sizeof(struct mlx5x_resize_cq_cmd_resp) == 8 + 8, "resp");
_Static_assert(sizeof(struct mlx5x_create_qp_cmd) == 64 + 32, "cmd");
_Static_assert(sizeof(struct mlx5x_create_qp_cmd_resp) == 32 + 8, "resp");
#endif

/* ---------------------------------------------------------------------
 * Entry points, by file
 */

/* buf.c */
int mlx5x_alloc_buf(struct mlx5x_buf *buf, size_t size, size_t page_size);
void mlx5x_free_buf(struct mlx5x_buf *buf);

/* ah.c */
struct ibv_ah *mlx5x_create_ah(struct ibv_pd *pd, struct ibv_ah_attr *attr);
int mlx5x_destroy_ah(struct ibv_ah *ah);

/* pd.c */
struct ibv_pd *mlx5x_alloc_pd(struct ibv_context *context);
int mlx5x_dealloc_pd(struct ibv_pd *pd);

/* mr.c */
struct ibv_mr *mlx5x_reg_mr(struct ibv_pd *pd, void *addr, size_t length,
			    uint64_t hca_va, int access);
int mlx5x_rereg_mr(struct verbs_mr *vmr, int flags, struct ibv_pd *pd,
		   void *addr, size_t length, int access);
int mlx5x_dereg_mr(struct verbs_mr *vmr);

/* mw.c */
struct ibv_mw *mlx5x_alloc_mw(struct ibv_pd *pd, enum ibv_mw_type type);
int mlx5x_dealloc_mw(struct ibv_mw *mw);
int mlx5x_bind_mw(struct ibv_qp *qp, struct ibv_mw *mw,
		  struct ibv_mw_bind *mw_bind);
int mlx5x_bind_access(unsigned int mw_access_flags);
/* The bind segment of a BIND_MW WQE; EINVAL if it cannot say that. */
int mlx5x_set_bind_seg(struct mlx5x_wqe_bind_seg *seg, const struct ibv_mw *mw,
		       uint32_t rkey, const struct ibv_mw_bind_info *info);

/* cq.c */
struct mlx5x_cq *mlx5x_cq_create(struct ibv_context *context, int cqe,
				 struct ibv_comp_channel *channel,
				 int comp_vector);
struct ibv_cq *mlx5x_create_cq(struct ibv_context *context, int cqe,
			       struct ibv_comp_channel *channel,
			       int comp_vector);
int mlx5x_destroy_cq(struct ibv_cq *cq);
/* Lock held: the next reportable CQE, consumed; NULL if none. */
const struct mlx5x_cqe *mlx5x_cq_poll_one(struct mlx5x_cq *cq,
					  struct mlx5x_qp **qpp,
					  struct mlx5x_cqe_info *ci,
					  bool *consumed);
/* Lock held: publish cons_index in the CI dbrec. */
void mlx5x_cq_update_ci(struct mlx5x_cq *cq);
int mlx5x_poll_cq(struct ibv_cq *cq, int num_entries, struct ibv_wc *wc);
int mlx5x_req_notify_cq(struct ibv_cq *cq, int solicited_only);
void mlx5x_cq_event(struct ibv_cq *cq);
/* Drop the CQEs of QP qpn not yet polled (QP destroyed or reset). */
void mlx5x_cq_clean(struct mlx5x_cq *cq, uint32_t qpn, struct mlx5x_srq *srq);

/* cq_ex.c */
struct ibv_cq_ex *mlx5x_create_cq_ex(struct ibv_context *context,
				     struct ibv_cq_init_attr_ex *attr);

/* cq_resize.c */
int mlx5x_resize_cq(struct ibv_cq *cq, int cqe);

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
struct mlx5x_qp *mlx5x_find_qp(struct mlx5x_context *ctx, uint32_t qpn);
void mlx5x_qp_table_destroy(struct mlx5x_context *ctx);

/* sq.c */
int mlx5x_post_send(struct ibv_qp *qp, struct ibv_send_wr *wr,
		    struct ibv_send_wr **bad_wr);
void mlx5x_sq_ring(struct mlx5x_qp *qp);
int mlx5x_qp_kick(struct mlx5x_qp *qp);

/* wr.c */
void mlx5x_qp_init_wr_ops(struct mlx5x_qp *qp);

/* rq.c */
int mlx5x_post_recv(struct ibv_qp *qp, struct ibv_recv_wr *wr,
		    struct ibv_recv_wr **bad_wr);

/* srq.c */
struct ibv_srq *mlx5x_create_srq(struct ibv_pd *pd,
				 struct ibv_srq_init_attr *attr);
int mlx5x_modify_srq(struct ibv_srq *srq, struct ibv_srq_attr *attr,
		     int attr_mask);
int mlx5x_query_srq(struct ibv_srq *srq, struct ibv_srq_attr *attr);
int mlx5x_destroy_srq(struct ibv_srq *srq);
int mlx5x_post_srq_recv(struct ibv_srq *srq, struct ibv_recv_wr *wr,
			struct ibv_recv_wr **bad_wr);
uint64_t mlx5x_srq_free_wqe(struct mlx5x_srq *srq, uint16_t wqe_counter);

#endif /* MLX5X_H */

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mlx5x driver half: private declarations shared by the files of the IB
 * driver (everything in kernel/ outside hw/). See main.c for the theory of
 * operation.
 */
#ifndef MLX5X_H
#define MLX5X_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/refcount.h>
#include <linux/semaphore.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <rdma/ib_umem.h>
#include <rdma/ib_verbs.h>
#include <rdma/mlx5x_if.h>
#include <rdma/mlx5x_wqe.h>

#include "hw/mlx5x_hw.h"

#define DRV_NAME		"mlx5x"

/* Interrupt vectors: one for the async/command EQ, one per completion EQ. */
enum {
	MLX5X_VEC_ASYNC		= 0,
	MLX5X_VEC_COMP		= 1,
	MLX5X_NUM_VECTORS	= 2,
};

#define MLX5X_NUM_COMP_VECTORS	1
#define MLX5X_ASYNC_EQ_SIZE	256
#define MLX5X_COMP_EQ_SIZE	1024

struct mlx5x_dev;

/* One command slot of the command queue. */
struct mlx5x_cmd_slot {
	struct completion done;
	struct page **in_pages;		/* input mailbox chain */
	unsigned int in_npages;
	struct page *out_page;		/* output mailbox */
	bool busy;
	bool orphaned;			/* timed out: the device still owns it */
};

struct mlx5x_cmd {
	struct mlx5x_cmdq_entry *q;	/* the command queue page */
	struct page *q_page;
	struct semaphore sem;		/* counts free slots */
	spinlock_t lock;		/* slot allocation, orphan handling */
	struct mlx5x_cmd_slot slot[MLX5X_CMDQ_ENTRIES];
	u8 token;
	bool use_events;
	bool dead;			/* teardown done: refuse commands */
};

/* An event queue in host memory, written by the device. */
struct mlx5x_eq {
	struct mlx5x_dev *dev;
	spinlock_t lock;		/* polling vs destroy */
	void *buf;
	size_t buf_size;
	u32 nent;			/* power of two */
	u32 ci;				/* consumer index */
	u32 eqn;
	unsigned int vector;
	bool created;
};

struct mlx5x_dev {
	struct ib_device ib_dev;
	struct platform_device *pdev;
	struct net_device *ndev;	/* held (dev_hold) until dealloc */
	netdevice_tracker ndev_tracker;
	struct mlx5x_hw *hw;
	struct mlx5x_cmd cmd;
	struct mlx5x_hca_cap cap;
	struct mlx5x_eq async_eq;
	struct mlx5x_eq comp_eq;
	struct xarray cqs;		/* cqn -> struct mlx5x_cq (events) */
	struct xarray qps;		/* qpn -> struct mlx5x_qp (events) */
	struct xarray srqs;		/* srqn -> struct mlx5x_srq (events) */
	atomic_t mkey_variant;
	struct list_head list;		/* on mlx5x_dev_list */
	bool hca_initialized;
	/* kernel verbs (MLX5X_CAP_FLAG_GSI): the UAR of kernel CQs and QPs */
	u32 kuar_index;
	bool kuar_valid;
	struct device_dma_parameters dma_parms;
};

struct mlx5x_user_mmap_entry {
	struct rdma_user_mmap_entry rdma_entry;
	struct mlx5x_dev *dev;
	u32 uar_index;
	phys_addr_t address;
};

struct mlx5x_ucontext {
	struct ib_ucontext ibucontext;
	u32 uar_index;
	struct rdma_user_mmap_entry *uar_entry;
	struct mutex dbrec_lock;	/* protects dbrec_pages */
	struct list_head dbrec_pages;
};

struct mlx5x_pd {
	struct ib_pd ibpd;
	u32 pdn;
};

struct mlx5x_mr {
	struct ib_mr ibmr;
	struct ib_umem *umem;
	int access;			/* IB_ACCESS_* it was registered with */
};

struct mlx5x_mw {
	struct ib_mw ibmw;
};

/* A pinned user page holding doorbell records, shared by its users. */
struct mlx5x_dbrec_page {
	struct list_head list;
	struct ib_umem *umem;
	unsigned long user_page;
	unsigned int refcount;
};

struct mlx5x_dbrec {
	struct mlx5x_dbrec_page *page;
	phys_addr_t phys;
};

/* A device object that events find by number (res.c). */
struct mlx5x_res {
	refcount_t refcount;		/* event dispatch vs destroy */
	struct completion free;
};

/* A queue's ring buffer and doorbell record in user memory, pinned. */
struct mlx5x_user_ring {
	struct ib_umem *umem;
	struct mlx5x_dbrec db;
};

/*
 * A queue's ring buffer and doorbell record in kernel memory (kbuf.c):
 * virtually contiguous, handed to the device page by page.
 */
struct mlx5x_kring {
	void *buf;			/* vmalloc'ed, page aligned */
	size_t size;			/* PAGE_SIZE multiple */
	u32 *db;			/* MLX5X_DBREC_SIZE bytes, kmalloc'ed */
};

/* The driver's side of a kernel CQ (kcq.c). */
struct mlx5x_kcq {
	spinlock_t lock;		/* ci, arm_sn; polling and arming */
	struct mlx5x_kring ring;
	u32 log_size;
	u32 ci;				/* CQEs consumed */
	u32 arm_sn;
};

struct mlx5x_cq {
	struct ib_cq ibcq;
	u32 cqn;
	struct mutex resize_mutex;	/* ring.umem */
	struct mlx5x_user_ring ring;
	struct mlx5x_kcq *kcq;		/* kernel CQ: NULL for a process's */
	struct mlx5x_res res;
};

/* The driver's side of a kernel QP (kqp.c): UD and GSI only. */
struct mlx5x_kqp {
	struct mlx5x_kring ring;
	spinlock_t sq_lock;		/* sq_pi, posting */
	spinlock_t rq_lock;		/* rq_pi, posting */
	u32 sq_wqebbs;			/* power of two */
	u32 sq_max_bbs;			/* WQEBBs of the largest WQE */
	u32 sq_pi;			/* WQEBBs posted */
	u32 sq_ci;			/* WQEBBs completed (poll_cq) */
	u32 rq_wqes;			/* power of two */
	u32 rq_shift;			/* log2 of the receive WQE stride */
	u32 rq_pi;
	u32 rq_ci;			/* (poll_cq) */
	u64 *sq_wrid;			/* by WQEBB index of a WQE's start */
	u8 *sq_nbbs;			/* WQEBBs of the WQE starting there */
	u64 *rq_wrid;
};

struct mlx5x_qp {
	struct ib_qp ibqp;
	u32 qpn;
	struct mutex mutex;		/* serializes modify */
	enum ib_qp_state state;
	struct ib_qp_cap cap;
	enum ib_sig_type sq_sig_type;
	struct mlx5x_user_ring ring;
	struct mlx5x_kqp *kqp;		/* kernel QP: NULL for a process's */
	struct mlx5x_res res;
};

struct mlx5x_srq {
	struct ib_srq ibsrq;
	u32 srqn;
	u32 max_wr;			/* what the ring holds */
	u32 max_sge;
	struct mlx5x_user_ring ring;
	struct mlx5x_res res;
};

struct mlx5x_ah {
	struct ib_ah ibah;
	/* kernel AHs: the datagram segment, less dqpn and qkey */
	struct mlx5x_wqe_datagram_seg av;
};

static inline struct mlx5x_dev *to_mdev(struct ib_device *ibdev)
{
	return container_of(ibdev, struct mlx5x_dev, ib_dev);
}

static inline struct mlx5x_ucontext *to_mucontext(struct ib_ucontext *uctx)
{
	return container_of(uctx, struct mlx5x_ucontext, ibucontext);
}

static inline struct mlx5x_pd *to_mpd(struct ib_pd *ibpd)
{
	return container_of(ibpd, struct mlx5x_pd, ibpd);
}

static inline struct mlx5x_mr *to_mmr(struct ib_mr *ibmr)
{
	return container_of(ibmr, struct mlx5x_mr, ibmr);
}

static inline struct mlx5x_cq *to_mcq(struct ib_cq *ibcq)
{
	return container_of(ibcq, struct mlx5x_cq, ibcq);
}

static inline struct mlx5x_qp *to_mqp(struct ib_qp *ibqp)
{
	return container_of(ibqp, struct mlx5x_qp, ibqp);
}

static inline struct mlx5x_ah *to_mah(struct ib_ah *ibah)
{
	return container_of(ibah, struct mlx5x_ah, ibah);
}

static inline struct mlx5x_srq *to_msrq(struct ib_srq *ibsrq)
{
	return container_of(ibsrq, struct mlx5x_srq, ibsrq);
}

/* cmd.c: the firmware command interface */
int mlx5x_cmd_init(struct mlx5x_dev *dev);
void mlx5x_cmd_cleanup(struct mlx5x_dev *dev);
void mlx5x_cmd_use_events(struct mlx5x_dev *dev, bool on);
void mlx5x_cmd_complete(struct mlx5x_dev *dev, u32 vector);
int mlx5x_cmd_exec(struct mlx5x_dev *dev, const void *in, size_t in_len,
		   void *out, size_t out_len);
int mlx5x_cmd_simple(struct mlx5x_dev *dev, u16 opcode, u32 id);
int mlx5x_cmd_hdr_only(struct mlx5x_dev *dev, u16 opcode);
int mlx5x_cmd_alloc(struct mlx5x_dev *dev, u16 opcode, u32 *id);
int mlx5x_cmd_status_to_errno(u8 status);

/* eq.c: event queues and the interrupt handler */
int mlx5x_eq_create(struct mlx5x_dev *dev, struct mlx5x_eq *eq, u32 nent,
		    unsigned int vector, u32 event_mask);
void mlx5x_eq_destroy(struct mlx5x_dev *dev, struct mlx5x_eq *eq);
void mlx5x_irq(void *ctx, unsigned int vector);

/* pas.c: page address lists for the device */
void mlx5x_pas_from_umem(struct ib_umem *umem, u64 *pas);
void mlx5x_pas_from_buf(void *buf, size_t size, u64 *pas);

/* dbrec.c: doorbell records in user memory */
int mlx5x_dbrec_map(struct mlx5x_ucontext *uctx, u64 user_addr,
		    struct mlx5x_dbrec *db);
void mlx5x_dbrec_unmap(struct mlx5x_ucontext *uctx, struct mlx5x_dbrec *db);

/* res.c: objects the EQ handler looks up */
int mlx5x_res_add(struct xarray *xa, u32 id, struct mlx5x_res *res);
void mlx5x_res_del(struct xarray *xa, u32 id, struct mlx5x_res *res);
struct mlx5x_res *mlx5x_res_get(struct xarray *xa, u32 id);
void mlx5x_res_put(struct mlx5x_res *res);

/* user_ring.c: ring buffer + doorbell record in user memory */
int mlx5x_user_ring_get(struct mlx5x_ucontext *uctx, u64 buf_addr,
			size_t len, u64 db_addr, struct mlx5x_user_ring *ring);
void mlx5x_user_ring_put(struct mlx5x_ucontext *uctx,
			 struct mlx5x_user_ring *ring);

/* kbuf.c: rings in kernel memory */
int mlx5x_kring_alloc(struct mlx5x_kring *ring, size_t size);
void mlx5x_kring_free(struct mlx5x_kring *ring);
u32 mlx5x_kring_npages(const struct mlx5x_kring *ring);
void mlx5x_pas_from_kring(const struct mlx5x_kring *ring, u64 *pas);
size_t mlx5x_ring_npages(struct ib_umem *umem,
			 const struct mlx5x_kring *kring);
u32 mlx5x_ring_pas(struct ib_umem *umem, const struct mlx5x_kring *kring,
		   u64 *pas);

/* dma_mr.c: the local_dma_lkey of kernel PDs */
struct ib_mr *mlx5x_get_dma_mr(struct ib_pd *ibpd, int access);

/* kcq.c: kernel CQs */
int mlx5x_kcq_create(struct mlx5x_dev *dev, struct mlx5x_cq *cq,
		     const struct ib_cq_init_attr *attr);
void mlx5x_kcq_destroy(struct mlx5x_cq *cq);
int mlx5x_poll_cq(struct ib_cq *ibcq, int num_entries, struct ib_wc *wc);
int mlx5x_req_notify_cq(struct ib_cq *ibcq, enum ib_cq_notify_flags flags);
void mlx5x_kcq_event(struct mlx5x_cq *cq);
void mlx5x_kcq_clean(struct mlx5x_cq *cq, u32 qpn);

/* kqp.c: kernel QPs (UD, GSI) */
int mlx5x_kqp_create(struct mlx5x_dev *dev, struct mlx5x_qp *qp,
		     struct ib_qp_init_attr *init);
void mlx5x_kqp_destroy(struct mlx5x_qp *qp);
int mlx5x_kqp_post_send(struct mlx5x_qp *qp, const struct ib_send_wr *wr,
			const struct ib_send_wr **bad_wr);
int mlx5x_post_recv(struct ib_qp *ibqp, const struct ib_recv_wr *wr,
		    const struct ib_recv_wr **bad_wr);
/* From poll_cq: the CQE of @qp at index @wqe_counter; the wr_id. */
u64 mlx5x_kqp_sq_done(struct mlx5x_qp *qp, u16 wqe_counter);
u64 mlx5x_kqp_rq_done(struct mlx5x_qp *qp, u16 wqe_counter);

/* device.c: the ib_device */
int mlx5x_register_device(struct mlx5x_dev *dev, const char *name);
int mlx5x_query_device(struct ib_device *ibdev, struct ib_device_attr *attr,
		       struct ib_udata *udata);
void mlx5x_port_event(struct mlx5x_dev *dev, enum ib_event_type type);
bool mlx5x_port_active(struct mlx5x_dev *dev);
enum ib_mtu mlx5x_port_active_mtu(struct mlx5x_dev *dev);

/* ah.c: address handles */
int mlx5x_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
		    struct ib_udata *udata);
int mlx5x_destroy_ah(struct ib_ah *ibah, u32 flags);

/* counters.c: hw_counters of the port */
struct rdma_hw_stats *mlx5x_alloc_hw_port_stats(struct ib_device *ibdev,
						u32 port_num);
int mlx5x_get_hw_stats(struct ib_device *ibdev, struct rdma_hw_stats *stats,
		       u32 port_num, int index);

/* gid.c */
int mlx5x_add_gid(const struct ib_gid_attr *attr, void **context);
int mlx5x_del_gid(const struct ib_gid_attr *attr, void **context);

/* ucontext.c */
int mlx5x_alloc_ucontext(struct ib_ucontext *uctx, struct ib_udata *udata);
void mlx5x_dealloc_ucontext(struct ib_ucontext *uctx);
int mlx5x_mmap(struct ib_ucontext *uctx, struct vm_area_struct *vma);
void mlx5x_mmap_free(struct rdma_user_mmap_entry *rdma_entry);
void mlx5x_disassociate_ucontext(struct ib_ucontext *uctx);

/* pd.c */
int mlx5x_alloc_pd(struct ib_pd *ibpd, struct ib_udata *udata);
int mlx5x_dealloc_pd(struct ib_pd *ibpd, struct ib_udata *udata);

/* mr.c */
struct ib_mr *mlx5x_reg_user_mr(struct ib_pd *ibpd, u64 start, u64 length,
				u64 virt_addr, int access,
				struct ib_udata *udata);
int mlx5x_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata);
struct ib_mr *mlx5x_rereg_user_mr(struct ib_mr *ibmr, int flags, u64 start,
				  u64 length, u64 virt_addr, int access,
				  struct ib_pd *pd, struct ib_udata *udata);

/* mw.c */
int mlx5x_alloc_mw(struct ib_mw *ibmw, struct ib_udata *udata);
int mlx5x_dealloc_mw(struct ib_mw *ibmw);

/* cq.c */
int mlx5x_create_cq(struct ib_cq *ibcq, const struct ib_cq_init_attr *attr,
		    struct ib_udata *udata);
int mlx5x_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata);
int mlx5x_cq_create_hw(struct mlx5x_dev *dev, struct mlx5x_cq *cq,
		       u32 entries, u32 uar_index, phys_addr_t dbr,
		       struct ib_umem *umem, const struct mlx5x_kring *kring);
int mlx5x_resize_cq(struct ib_cq *ibcq, int cqe, struct ib_udata *udata);
void mlx5x_cq_event(struct mlx5x_dev *dev, u32 cqn, bool error);

/* qp.c */
int mlx5x_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
		    struct ib_udata *udata);
int mlx5x_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
		    int mask, struct ib_udata *udata);
int mlx5x_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
		   int mask, struct ib_qp_init_attr *init);
int mlx5x_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata);
int mlx5x_qp_create_hw(struct mlx5x_dev *dev, struct mlx5x_qp *qp,
		       const struct ib_qp_init_attr *init,
		       const struct mlx5x_qpc *qpc, struct ib_umem *umem,
		       const struct mlx5x_kring *kring);
int mlx5x_post_send(struct ib_qp *ibqp, const struct ib_send_wr *wr,
		    const struct ib_send_wr **bad_wr);
void mlx5x_qp_event(struct mlx5x_dev *dev, u32 qpn, u8 eqe_type);

/* srq.c */
int mlx5x_create_srq(struct ib_srq *ibsrq, struct ib_srq_init_attr *init,
		     struct ib_udata *udata);
int mlx5x_modify_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr,
		     enum ib_srq_attr_mask mask, struct ib_udata *udata);
int mlx5x_query_srq(struct ib_srq *ibsrq, struct ib_srq_attr *attr);
int mlx5x_destroy_srq(struct ib_srq *ibsrq, struct ib_udata *udata);
void mlx5x_srq_event(struct mlx5x_dev *dev, u32 srqn, u8 eqe_type);
u32 mlx5x_srq_max_sge(struct mlx5x_dev *dev);

/* main.c */
void mlx5x_dev_teardown(struct mlx5x_dev *dev);

#endif /* MLX5X_H */

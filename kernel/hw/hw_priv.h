/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The device half's private view of itself: the device, its object tables
 * and the services the object files share. See hw_main.c for the theory of
 * operation.
 */
#ifndef MLX5X_HW_PRIV_H
#define MLX5X_HW_PRIV_H

#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/srcu.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "mlx5x_hw.h"
#include "hw_check.h"
#include "hw_eng.h"
#include <rdma/mlx5x-abi.h>	/* dbrec words */

#define MLX5X_HW_MAX_VECTORS	256

/*
 * Objects. Each is reachable from its table (xarray) and holds a kref;
 * objects another one depends on also count "users" (firmware context
 * only): a destroy with users is refused. A dependent object holds a kref
 * on what it uses, dropped by its release. Releases only free memory
 * (kfree_rcu/kvfree_rcu, __free_page), so the last put may come from any
 * context. Objects with a PAS carry it in the same allocation.
 */
struct mlx5x_hw_uar {
	u32 index;
	struct kref ref;
	struct rcu_head rcu;
	struct mlx5x_hw *hw;
	struct page *page;		/* the BAR page, zeroed */
	unsigned int users;		/* CQs and QPs (firmware context) */
};

struct mlx5x_hw_pd {
	u32 pdn;
	struct kref ref;
	struct rcu_head rcu;
	unsigned int users;		/* MKeys and QPs (firmware context) */
};

struct mlx5x_hw_qp;

/*
 * A window's binding (hw_mw.c), under bind_lock: the window as an MKC
 * (pdn, access, start_addr, len), the MR it lies in (a reference; used
 * only while that MR is still in the table), and for type 2 the QP it
 * was bound through (a reference; compared, never used).
 */
struct mlx5x_hw_mkey;

struct mlx5x_hw_mw_binding {
	bool bound;
	struct mlx5x_mkc win;
	struct mlx5x_hw_mkey *mr;
	struct mlx5x_hw_qp *qp;
};

struct mlx5x_hw_mkey {
	u32 key;			/* index << 8 | variant */
	struct kref ref;
	struct rcu_head rcu;
	struct mlx5x_mkc mkc;
	struct mlx5x_hw_pd *pd;		/* holds a user and a reference */
	spinlock_t bind_lock;		/* windows: binding and key */
	struct mlx5x_hw_mw_binding mw;
	u64 pas[];
};

struct mlx5x_hw_eq {
	u32 eqn;
	struct kref ref;
	struct rcu_head rcu;
	struct mlx5x_hw *hw;
	struct mlx5x_eqc eqc;
	unsigned int users;		/* CQs (firmware context) */
	/* producer side, shared by firmware and engine */
	spinlock_t lock;
	u32 pc;				/* producer count, mod 2^23 */
	u32 ci;				/* from EQ_DB, mod 2^23 */
	bool armed;
	bool dead;			/* destroyed: write nothing more */
	u64 lost;			/* events dropped: ring full */
	u64 pas[];
};

struct mlx5x_hw_cq {
	u32 cqn;
	struct kref ref;
	struct rcu_head rcu;
	struct mlx5x_cqc cqc;
	struct mlx5x_hw_eq *eq;
	struct mlx5x_hw_uar *uar;
	unsigned int users;		/* QPs (firmware context) */
	/* producer side (hw_cqe.c) */
	spinlock_t lock;
	u32 pc;				/* CQEs written, mod 2^24 */
	u8 last_sn;			/* arm_sn fired last */
	bool err;			/* overrun: writes nothing more */
	bool dead;			/* destroyed */
	u64 *pas;			/* swapped by RESIZE_CQ, under lock */
};

/*
 * A shared receive queue (hw_srq.c). mutex: the consumer side (ci, cur,
 * srqc.lwm and state), held while a message takes a WQE; QPs taking
 * receives from it count as users.
 */
struct mlx5x_hw_srq {
	u32 srqn;
	struct kref ref;
	struct rcu_head rcu;
	struct mlx5x_hw *hw;
	struct mlx5x_hw_pd *pd;		/* its WQEs' lkeys are on this PD */
	unsigned int users;		/* QPs (firmware context) */
	struct mutex mutex;
	struct mlx5x_srqc srqc;
	u16 ci;				/* WQEs taken */
	u16 cur;			/* slot of the next WQE */
	bool dead;
	u64 pas[];
};

/* A receive WQE taken for a message (hw_rq.c, hw_srq.c). */
struct mlx5x_hw_recv {
	const u8 *segs;			/* its data segments, copied */
	u32 len;			/* their bytes */
	u32 pdn;			/* the PD its lkeys must be on */
	u16 wqe_counter;		/* for the CQE */
	bool fetched;			/* segs valid (else: ring unreadable) */
	bool srq;			/* taken from an SRQ: consumed already */
};

/* Resolved memory of one side of a WQE: segments, and their MKeys held. */
struct mlx5x_hw_sgl {
	u32 n;
	struct mlx5x_hw_seg seg[MLX5X_HW_MAX_SGE];
	struct mlx5x_hw_mkey *mkey[MLX5X_HW_MAX_SGE];
};

struct mlx5x_hw_qp {
	u32 qpn;
	struct kref ref;
	struct rcu_head rcu;
	spinlock_t lock;		/* qpc, against the engine */
	struct mlx5x_qpc qpc;
	struct mlx5x_hw_pd *pd;
	struct mlx5x_hw_cq *scq;	/* NULL with no_sq */
	struct mlx5x_hw_cq *rcq;	/* NULL with no_rq */
	struct mlx5x_hw_srq *srq;	/* with use_srq */
	struct mlx5x_hw_uar *uar;
	struct mlx5x_hw *hw;

	/*
	 * Engine state (hw_sq.c, hw_rq.c). sq_mutex: the send queue (sq_pi,
	 * wqe_buf, the retry fields), held while a WQE of this QP executes;
	 * rq_mutex: the receive queue (rq_ci), held while a message lands.
	 * dead is set under both: the rings are never touched again.
	 */
	struct mutex sq_mutex;
	struct mutex rq_mutex;
	u16 sq_pi;			/* WQEBB index of the next WQE */
	u16 rq_ci;			/* next receive WQE */
	bool dead;
	bool last_wqe;			/* SRQ QP: LAST_WQE_REACHED raised */
	bool retry_armed;		/* rnr_left, retry_left loaded for sq_pi */
	u8 rnr_left;
	u8 retry_left;			/* retransmissions left after a timeout */
	bool sq_wait;			/* sq_pi's WQE waits until wait_until */
	bool ack_wait;			/* ... for an ACK (else an RNR timer) */
	ktime_t wait_until;		/* KTIME_MAX: until modified */
	struct list_head active;	/* on hw->active (hw->active_lock) */
	bool on_active;
	bool gone;			/* destroyed: never on the list again */
	/* scratch of the WQE being executed (sq_mutex) */
	struct mlx5x_hw_wqe wqe;
	u8 vendor_err;			/* detail of its error CQE */
	struct mlx5x_hw_sgl lsgl;	/* requester's memory */
	struct mlx5x_hw_sgl rsgl;	/* responder's memory */
	struct mlx5x_wqe_data_seg rsge[MLX5X_HW_MAX_SGE];
	u8 rq_buf[256];			/* 1 << log_rq_stride, <= 256 */
	u8 wqe_buf[MLX5X_MAX_WQE_BBS * MLX5X_WQEBB_SIZE];
	u64 pas[];
};

/* A GID table entry (SET_ROCE_ADDRESS). */
struct mlx5x_hw_gid {
	bool valid;
	u8 gid[16];
	u8 mac[6];
};

struct mlx5x_hw {
	struct mlx5x_hw_params params;
	char name[32];
	struct mlx5x_hca_cap cap;

	/* registers */
	spinlock_t reg_lock;		/* cmdq_addr; stopping vs doorbell */
	u32 cmdq_hi;
	u32 cmdq_lo;
	u64 cmdq_addr;			/* 0 until CMDQ_ADDR_LO is written */
	u32 initializing;		/* MLX5X_REG_INITIALIZING */
	u32 health;
	bool stopping;			/* mlx5x_hw_destroy() started */

	/* firmware */
	struct workqueue_struct *fw_wq;	/* ordered: one command at a time */
	struct work_struct boot_work;
	struct work_struct cmd_work;
	atomic_t cmd_pending;		/* slots rung, not yet taken */
	void *out_buf;			/* MLX5X_CMD_MAX_OUT_LEN bytes */
	bool hca_up;			/* between INIT_HCA and TEARDOWN_HCA */

	/* interrupts */
	struct workqueue_struct *irq_wq;
	struct work_struct irq_work;
	unsigned long *irq_pending;	/* bitmap of num_vectors */

	/* object tables: insert/erase in firmware context, lookup anywhere */
	struct xarray uars, pds, mkeys, eqs, cqs, qps, srqs;
	u32 uar_next, pd_next, mkey_next, eq_next, cq_next, qp_next, srq_next;

	/* the fabric (hw_gid.c): other devices find this one by GID */
	struct list_head fabric;	/* mlx5x_hw_fabric, SRCU */
	spinlock_t gid_lock;
	struct mlx5x_hw_gid *gids;	/* cap.gid_table_size entries */

	/* the engine (hw_poll.c) */
	struct task_struct *poller;
	atomic_t kicked;
	bool need_wakeup;		/* set in the UARs (poller only) */
	spinlock_t active_lock;		/* leaf */
	struct list_head active;	/* QPs the poller scans */
	u32 nactive;
	/* counters (QUERY_COUNTERS, struct mlx5x_counters) */
	atomic64_t cnt_wqes, cnt_bytes, cnt_errors, cnt_flushes, cnt_rnr;
	atomic64_t cnt_ack_timeouts, cnt_out_of_buffer;
};

/*
 * A command handler: @in is the whole input (checked lengths), @out the
 * zeroed output of the opcode's out_size; returns the status.
 */
struct mlx5x_hw_cmd {
	const void *in;
	u32 in_len;
	u32 npas;			/* PAS entries after the fixed part */
	void *out;
	u32 syn;
};

static inline u8 mlx5x_hw_fail(struct mlx5x_hw_cmd *c, u8 status, u32 syn)
{
	c->syn = syn;
	return status;
}

static inline u32 mlx5x_hw_cmd_id(const struct mlx5x_hw_cmd *c)
{
	return ((const struct mlx5x_obj_in *)c->in)->id;
}

/*
 * Lookups with a reference, for any context (the engine, next issue):
 * NULL if absent or being freed; release with the kind's _put().
 */
struct mlx5x_hw_qp *mlx5x_hw_qp_get(struct mlx5x_hw *hw, u32 qpn);
void mlx5x_hw_qp_put(struct mlx5x_hw_qp *qp);
struct mlx5x_hw_mkey *mlx5x_hw_mkey_get(struct mlx5x_hw *hw, u32 key);
struct mlx5x_hw_mkey *mlx5x_hw_mkey_get_index(struct mlx5x_hw *hw, u32 index);
bool mlx5x_hw_mkey_live(struct mlx5x_hw *hw, struct mlx5x_hw_mkey *mkey);
void mlx5x_hw_mkey_put(struct mlx5x_hw_mkey *mkey);

/* hw_dma.c: the device's only way to host memory. */
void *mlx5x_hw_dma_ptr(u64 pa, u32 len);
bool mlx5x_hw_dma_ok(u64 pa, u64 len);
int mlx5x_hw_dma_read(void *ctx, u64 pa, void *buf, u32 len);
int mlx5x_hw_dma_write(u64 pa, const void *buf, u32 len);
u8 mlx5x_hw_dma_check_pas(const u64 *pas, u32 npages, u8 log_page_size,
			  u32 *syn);

/* hw_main.c */
void mlx5x_hw_raise_irq(struct mlx5x_hw *hw, u32 vector);
int mlx5x_hw_id_alloc(struct mlx5x_hw *hw, struct xarray *xa, void *obj,
		      u32 *id, u32 min, u32 max, u32 *next);

/* hw_cmdq.c */
void mlx5x_hw_cmd_work(struct work_struct *work);

/* hw_eq.c */
u8 mlx5x_hw_cmd_create_eq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_destroy_eq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
void mlx5x_hw_eq_doorbell(struct mlx5x_hw *hw, u32 value);
void mlx5x_hw_eq_post(struct mlx5x_hw_eq *eq, struct mlx5x_eqe *eqe);
void mlx5x_hw_eq_post_event(struct mlx5x_hw *hw, u32 events,
			    struct mlx5x_eqe *eqe);
unsigned int mlx5x_hw_eq_destroy_all(struct mlx5x_hw *hw);
struct mlx5x_hw_eq *mlx5x_hw_eq_use(struct mlx5x_hw *hw, u32 eqn);
void mlx5x_hw_eq_unuse(struct mlx5x_hw_eq *eq);
void mlx5x_hw_eq_put(struct mlx5x_hw_eq *eq);

/* hw_uar.c */
u8 mlx5x_hw_cmd_alloc_uar(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_dealloc_uar(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
struct mlx5x_hw_uar *mlx5x_hw_uar_use(struct mlx5x_hw *hw, u32 index);
void mlx5x_hw_uar_unuse(struct mlx5x_hw_uar *uar);
void mlx5x_hw_uar_put(struct mlx5x_hw_uar *uar);
unsigned int mlx5x_hw_uar_destroy_all(struct mlx5x_hw *hw);

/* hw_pd.c */
u8 mlx5x_hw_cmd_alloc_pd(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_dealloc_pd(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
struct mlx5x_hw_pd *mlx5x_hw_pd_use(struct mlx5x_hw *hw, u32 pdn);
void mlx5x_hw_pd_unuse(struct mlx5x_hw_pd *pd);
void mlx5x_hw_pd_put(struct mlx5x_hw_pd *pd);
unsigned int mlx5x_hw_pd_destroy_all(struct mlx5x_hw *hw);

/* hw_mkey.c */
u8 mlx5x_hw_cmd_create_mkey(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_query_mkey(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_destroy_mkey(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
unsigned int mlx5x_hw_mkey_destroy_all(struct mlx5x_hw *hw);

/* hw_cq.c */
u8 mlx5x_hw_cmd_create_cq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_query_cq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_destroy_cq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_resize_cq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
struct mlx5x_hw_cq *mlx5x_hw_cq_use(struct mlx5x_hw *hw, u32 cqn);
void mlx5x_hw_cq_unuse(struct mlx5x_hw_cq *cq);
void mlx5x_hw_cq_put(struct mlx5x_hw_cq *cq);
unsigned int mlx5x_hw_cq_destroy_all(struct mlx5x_hw *hw);

/* hw_qp.c */
void mlx5x_hw_qp_set_state(struct mlx5x_hw_qp *qp, u8 state,
			   const char *why);
u8 mlx5x_hw_qp_state(struct mlx5x_hw_qp *qp);
u8 mlx5x_hw_cmd_create_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_modify_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_query_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_destroy_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
unsigned int mlx5x_hw_qp_destroy_all(struct mlx5x_hw *hw);

/* hw_srq.c */
u8 mlx5x_hw_cmd_create_srq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_modify_srq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_query_srq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_destroy_srq(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
unsigned int mlx5x_hw_srq_destroy_all(struct mlx5x_hw *hw);
struct mlx5x_hw_srq *mlx5x_hw_srq_use(struct mlx5x_hw *hw, u32 srqn);
void mlx5x_hw_srq_unuse(struct mlx5x_hw_srq *srq);
void mlx5x_hw_srq_put(struct mlx5x_hw_srq *srq);
int mlx5x_hw_srq_take(struct mlx5x_hw_srq *srq, u8 *buf,
		      struct mlx5x_hw_recv *r);

/*
 * The engine. mlx5x_hw_srcu covers the fabric list and every use of an
 * MKey's pages: DESTROY_MKEY and device removal wait for it, so the
 * driver may unpin once the command has completed.
 */
extern struct srcu_struct mlx5x_hw_srcu;

/* hw_gid.c */
u8 mlx5x_hw_cmd_set_roce_address(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
int mlx5x_hw_fabric_add(struct mlx5x_hw *hw);
void mlx5x_hw_fabric_del(struct mlx5x_hw *hw);
void mlx5x_hw_fabric_free(struct mlx5x_hw *hw);
struct mlx5x_hw *mlx5x_hw_fabric_find(const u8 *gid);
bool mlx5x_hw_gid_get(struct mlx5x_hw *hw, u32 index, u8 *gid);

/* hw_mem.c */
int mlx5x_hw_copy(struct mlx5x_hw_cursor *dst, struct mlx5x_hw_cursor *src,
		  u64 len);
int mlx5x_hw_buf_read(const u64 *pas, u8 log_page_size, u64 off, void *buf,
		      u32 len);
struct mlx5x_hw_mkey *mlx5x_hw_mkey_resolve(struct mlx5x_hw *hw, u32 key,
					    u32 pdn, u32 access, u64 addr,
					    u64 len, struct mlx5x_hw_seg *seg,
					    int *err);
struct mlx5x_hw_mkey *mlx5x_hw_mkey_resolve_remote(struct mlx5x_hw *hw,
						   u32 key, u32 pdn,
						   u32 access, u64 addr,
						   u64 len,
						   struct mlx5x_hw_seg *seg,
						   int *err);

/* hw_mw.c: memory windows in the engine */
int mlx5x_hw_mw_bind(struct mlx5x_hw_qp *qp,
		     const struct mlx5x_wqe_bind_seg *b);
int mlx5x_hw_mw_invalidate(struct mlx5x_hw_qp *qp, u32 key, bool remote);
struct mlx5x_hw_mkey *mlx5x_hw_rkey_resolve(struct mlx5x_hw_qp *dqp, u32 key,
					    u32 access, u64 addr, u64 len,
					    struct mlx5x_hw_seg *seg,
					    int *err);
void mlx5x_hw_mw_release(struct mlx5x_hw_mkey *mkey);

/* hw_cqe.c */
struct mlx5x_hw_cqe_args {
	u8 opcode;
	u8 send_opcode;
	u8 status;
	u8 vendor_err;
	bool solicited;
	u16 wqe_counter;
	u32 qpn;
	u32 src_qp;
	u32 byte_cnt;
	u32 imm;
	bool grh;			/* UD receive: the fields below too */
	u8 sl;
	u8 l3_type;
	u16 pkey_index;
};

void mlx5x_hw_cq_write(struct mlx5x_hw *hw, struct mlx5x_hw_cq *cq,
		       const struct mlx5x_hw_cqe_args *a);

/* hw_atomic.c */
int mlx5x_hw_atomic(u64 pa, u8 opcode, u64 swap_add, u64 compare, u64 *orig);

/* hw_exec.c: outcome of one WQE */
enum {
	MLX5X_HW_EXEC_DONE,		/* completed, status in *status */
	MLX5X_HW_EXEC_RNR,		/* receiver not ready: retry later */
	MLX5X_HW_EXEC_NO_ACK,		/* nobody answered: local ACK timeout */
};

int mlx5x_hw_exec(struct mlx5x_hw_qp *qp, struct mlx5x_hw_wqe *w,
		  u8 *status, u8 *rnr_timer);
void mlx5x_hw_qp_error(struct mlx5x_hw_qp *qp, u8 event, const char *why);
bool mlx5x_hw_responder_ready(struct mlx5x_hw_qp *dqp, u8 *access);
u8 mlx5x_hw_remote_resolve(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			   u8 qp_acc, u32 mkey_acc, u64 len);
u8 mlx5x_hw_exec_rdma(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
		      const struct mlx5x_hw_wqe *w, bool read);
int mlx5x_hw_sgl_resolve(struct mlx5x_hw *hw, u32 pdn, u32 access,
			 const struct mlx5x_wqe_data_seg *sge, u32 nsge,
			 u64 len, struct mlx5x_hw_sgl *sgl);
void mlx5x_hw_sgl_put(struct mlx5x_hw_sgl *sgl);

/* hw_rq.c */
/* What a UD message brings to the responder besides its payload. */
struct mlx5x_hw_rx {
	const u8 *grh;			/* MLX5X_UD_GRH_SIZE bytes */
	u32 qkey;			/* the Q_Key it carries */
	u8 l3_type;			/* MLX5X_CQE_L3_* */
	u8 sl;
};

/* @rx: NULL for RC and UC. */
int mlx5x_hw_rq_deliver(struct mlx5x_hw_qp *qp, struct mlx5x_hw_qp *dqp,
			const struct mlx5x_hw_wqe *w,
			const struct mlx5x_hw_rx *rx, u8 *status,
			u8 *rnr_timer);

/* hw_ud.c */
int mlx5x_hw_ud_send(struct mlx5x_hw_qp *qp, const struct mlx5x_hw_wqe *w,
		     u8 *status);
unsigned int mlx5x_hw_rq_flush(struct mlx5x_hw_qp *qp);
u32 *mlx5x_hw_qp_dbrec(struct mlx5x_hw_qp *qp);

/* hw_sq.c */
int mlx5x_hw_sq_run(struct mlx5x_hw_qp *qp, int budget, ktime_t *wake_at);
void mlx5x_hw_eng_qp_init(struct mlx5x_hw *hw, struct mlx5x_hw_qp *qp);
void mlx5x_hw_eng_qp_modified(struct mlx5x_hw_qp *qp, u8 old, u8 state);
void mlx5x_hw_eng_qp_remove(struct mlx5x_hw_qp *qp);

/* hw_poll.c */
int mlx5x_hw_poll_start(struct mlx5x_hw *hw);
void mlx5x_hw_poll_stop(struct mlx5x_hw *hw);
void mlx5x_hw_poll_activate(struct mlx5x_hw_qp *qp);
void mlx5x_hw_poll_deactivate(struct mlx5x_hw_qp *qp, bool gone);
void mlx5x_hw_poll_wake(struct mlx5x_hw *hw);
void mlx5x_hw_poll_sq_doorbell(struct mlx5x_hw *hw, u32 qpn);

#endif /* MLX5X_HW_PRIV_H */

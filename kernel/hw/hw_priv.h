/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The device half's private view of itself: the device, its object tables
 * and the services the object files share. See hw_main.c for the theory of
 * operation.
 */
#ifndef MLX5X_HW_PRIV_H
#define MLX5X_HW_PRIV_H

#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "mlx5x_hw.h"
#include "hw_check.h"

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

struct mlx5x_hw_mkey {
	u32 key;			/* index << 8 | variant */
	struct kref ref;
	struct rcu_head rcu;
	struct mlx5x_mkc mkc;
	struct mlx5x_hw_pd *pd;		/* holds a user and a reference */
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
	u64 pas[];
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
	struct mlx5x_hw_uar *uar;
	u64 pas[];
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
	struct xarray uars, pds, mkeys, eqs, cqs, qps;
	u32 uar_next, pd_next, mkey_next, eq_next, cq_next, qp_next;
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
struct mlx5x_hw_cq *mlx5x_hw_cq_use(struct mlx5x_hw *hw, u32 cqn);
void mlx5x_hw_cq_unuse(struct mlx5x_hw_cq *cq);
void mlx5x_hw_cq_put(struct mlx5x_hw_cq *cq);
unsigned int mlx5x_hw_cq_destroy_all(struct mlx5x_hw *hw);

/* hw_qp.c */
u8 mlx5x_hw_cmd_create_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_modify_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_query_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
u8 mlx5x_hw_cmd_destroy_qp(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c);
unsigned int mlx5x_hw_qp_destroy_all(struct mlx5x_hw *hw);

#endif /* MLX5X_HW_PRIV_H */

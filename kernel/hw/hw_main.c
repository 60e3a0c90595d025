// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mlx5x device half: what a ConnectX card and its firmware are to mlx5.
 *
 * GLOSSARY
 *   register window  32-bit registers the driver reads and writes with
 *		  mlx5x_hw_{read,write}_reg() (FW_REV, CMDQ_ADDR, CMD_DBELL,
 *		  EQ_DB, SQ_DB, INITIALIZING, HEALTH), the "initialization
 *		  segment".
 *   firmware	  an ordered workqueue (fw_wq): it executes commands one at a
 *		  time and owns the context tables.
 *   command queue  one host page of 32 entries (struct mlx5x_cmdq_entry)
 *		  the driver hands over through CMDQ_ADDR_HI/LO; each entry
 *		  points to an input mailbox chain and one output mailbox.
 *   mailbox	  a 4 KiB block: 4080 bytes of data, next, block_num, token.
 *   status/syndrome  a command's result: the class of failure and the
 *		  exact rule broken (hw_syndrome.h).
 *   PAS		  page address list: physical addresses of pinned pages,
 *		  1 << log_page_size bytes each, describing a buffer.
 *   UAR		  user access region: one zeroed BAR page per UAR, mapped
 *		  by the driver into a process for doorbells.
 *   PD		  protection domain: MKeys and QPs on one PD may meet.
 *   MKey		  memory key: (index << 8 | variant), a PAS with bounds,
 *		  PD and access rights; lkey and rkey of IB.
 *   MW		  memory window: an MKey without pages that a BIND_MW WQE
 *		  points at part of an MR, with its own rights and a new
 *		  variant; type 2 windows serve one QP (hw_mw.c).
 *   PA MKey	  an MKey whose IOVA is the host physical address (no
 *		  PAS), local access only: a kernel PD's local_dma_lkey
 *		  (hw_mem.c; refused remotely and to windows).
 *   EQ / EQE	  event queue: a ring of 64-byte entries the device writes
 *		  (owner bit last); an armed EQ raises its vector once.
 *   CQ		  completion queue: ring of 64-byte CQEs, reports to an EQ;
 *		  RESIZE_CQ swaps its ring under cq->lock (hw_cq.c).
 *   QP		  queue pair: RQ then SQ in one buffer, a doorbell record,
 *		  a state (RST INIT RTR RTS SQD SQER ERR).
 *   SRQ		  shared receive queue: a ring of receive WQE slots linked
 *		  into a free list, its own dbrec and PD; QPs created
 *		  with use_srq (RC, UD; not UC) take their receive WQEs
 *		  from it (hw_srq.c).
 *   engine	  the WQE executor: reads SQ/RQ, moves bytes through
 *		  MKeys, writes CQEs (hw_sq.c has the path of a WQE,
 *		  hw_poll.c the doorbell poller and the kick).
 *   WQE / WQEBB	  work queue entry: a send WQE is 1..16 basic blocks of
 *		  64 bytes in the SQ ring; a receive WQE a list of data
 *		  segments (mlx5x_wqe.h).
 *   dbrec	  doorbell record: 8 bytes of process memory with the
 *		  queues' producer counters (QP) or consumer index and
 *		  arm word (CQ).
 *   GID / fabric	  SET_ROCE_ADDRESS fills the GID table; the fabric is
 *		  the list of devices on this host, where a QP's dgid
 *		  finds its peer (hw_gid.c).
 *   RC / UC / UD	  the QP service types (qpc.st): RC acknowledged and
 *		  retried (hw_exec.c, hw_sq.c); UC the same operations
 *		  without READ, atomics, windows or any answer; UD
 *		  datagrams whose WQE names the peer (datagram segment,
 *		  hw_ud.c) and land after a 40-byte GRH area (hw_grh.c).
 *   GSI QP	  qpc.gsi: the UD QP numbered 1 that MADs go to, one per
 *		  device (hw_qp.c); a kernel QP rings SQ_DB to wake the
 *		  poller (hw_poll.c).
 *
 * COMMAND FLOW
 *
 *  driver                        device (fw_wq)                 irq_wq
 *  fill mailboxes, entry
 *  entry.ownership = HW
 *  wmb; write CMD_DBELL=BIT(s) ─► pending |= BIT(s)
 *                                 mlx5x_hw_cmd_work():
 *                                   copy entry (ownership HW?)
 *                                   gather input (hw_mbox.c) into
 *                                     a kvmalloc'd copy
 *                                   check (hw_cmdtab.c), handler
 *                                     (hw_{uar,pd,mkey,eq,cq,qp,srq}.c)
 *                                   write output mailbox
 *                                   delivery_status; release
 *                                   ownership = SW
 *                                   EQE_CMD to the CMD EQ ─────► irq(ctx, vector)
 *  poll ownership, or take the                                    (if that EQ was
 *  EQE; read output  ◄─────────────────────────────────────────── armed)
 *  write EQ_DB(eqn, arm, ci) ──► mlx5x_hw_eq_doorbell(): ci, arm;
 *                                 raise again if EQEs are pending
 *
 * QP STATES (opcode on each arrow; 2ERR and 2RST from every state; UC
 * and UD use the same graph with fewer fields, hw_qp_fsm.c)
 *
 *   RST ──RST2INIT──► INIT ──INIT2RTR──► RTR ──RTR2RTS──► RTS ◄─RTS2RTS─┐
 *              INIT2INIT ↺                             │   ▲  └────────┘
 *                                                RTS2SQD   SQD2RTS
 *                                                      ▼   │
 *   SQER ──SQERR2RTS──► RTS                            SQD ─┘ SQD2SQD ↺
 *   any ──2ERR──► ERR          any ──2RST──► RST (modify fields cleared)
 *
 *   The table and its opt_mask rules are in hw_qp_fsm.c. The engine moves
 *   a QP to ERR itself after an error CQE (RC has no SQER), and flushes
 *   the queues of a QP in ERR. A modify waits for the WQE being executed
 *   (sq_mutex), so RTS2SQD drains at once and posts
 *   MLX5X_EQE_QP_SQ_DRAINED to the async EQ when asked to.
 *
 * OBJECTS AND REFERENCES
 *   Each kind has an xarray keyed by its number and a kref. Commands run
 *   only on fw_wq, so create/destroy and the "users" counts (how many
 *   objects depend on one: PD <- MKey, QP, SRQ; EQ <- CQ; CQ <- QP;
 *   SRQ <- QP; UAR <- CQ, QP) need no lock beyond that ordering; a destroy with users answers
 *   RESOURCE_BUSY. Other contexts (EQ_DB now, the engine later) look
 *   objects up under RCU and take a reference with kref_get_unless_zero();
 *   objects are freed with kfree_rcu() after the last reference. A bound
 *   window holds references (not users) on its MR and, type 2, its QP.
 *
 * LOCKS (outer to inner) AND CONTEXTS
 *   Engine (process context: the poller thread, kicks, fw_wq for modify
 *   and destroy): mlx5x_hw_srcu (read) > qp->sq_mutex > qp->rq_mutex (any
 *   QP: a WQE of one QP lands in another's RQ) > srq->mutex (held only
 *   while a message takes an SRQ WQE) > qp->lock > cq->lock > eq->lock;
 *   hw->active_lock, hw->gid_lock and a window's bind_lock are leaves.
 *   DESTROY_MKEY and mlx5x_hw_destroy() wait for mlx5x_hw_srcu; nothing
 *   waits for it while holding a QP mutex.
 *   fw_wq ordering  > eq->lock (spinlock, irqsave: producer side of an EQ,
 *   taken by the firmware, by EQ_DB writes from any context and later by
 *   the engine) ; hw->reg_lock (CMDQ_ADDR, doorbell vs destroy) is a leaf.
 *   mlx5x_hw_write_reg() may be called from any context, never sleeps and
 *   never calls back into the driver: interrupts are raised by setting a
 *   bit and queueing irq_work, which calls params->irq with no device lock
 *   held and bottom halves disabled (it must not sleep; it may write EQ_DB).
 *
 * TEARDOWN
 *   TEARDOWN_HCA and mlx5x_hw_destroy() free whatever the driver left, in
 *   dependency order (QP, SRQ, CQ, MKey, PD, EQ, UAR). destroy first leaves the
 *   fabric and waits for other devices' engines, then stops the poller,
 *   the firmware and the interrupt worker, so nothing runs afterwards.
 */
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "hw_priv.h"

#define MLX5X_HW_INITIALIZING	BIT(31)

static void mlx5x_hw_boot_work(struct work_struct *work)
{
	struct mlx5x_hw *hw = container_of(work, struct mlx5x_hw, boot_work);

	/* The firmware is up: commands queued behind this one may run. */
	WRITE_ONCE(hw->initializing, 0);
}

static void mlx5x_hw_irq_work(struct work_struct *work)
{
	struct mlx5x_hw *hw = container_of(work, struct mlx5x_hw, irq_work);
	unsigned int v;

	for (v = 0; v < hw->params.num_vectors; v++) {
		if (READ_ONCE(hw->stopping))
			return;
		if (!test_and_clear_bit(v, hw->irq_pending))
			continue;
		/* Like a hard interrupt: the handler must not sleep. */
		local_bh_disable();
		hw->params.irq(hw->params.irq_ctx, v);
		local_bh_enable();
	}
}

/* Called with or without eq->lock; never calls the driver directly. */
void mlx5x_hw_raise_irq(struct mlx5x_hw *hw, u32 vector)
{
	if (vector >= hw->params.num_vectors || READ_ONCE(hw->stopping))
		return;
	set_bit(vector, hw->irq_pending);
	queue_work(hw->irq_wq, &hw->irq_work);
}

/*
 * Allocate a number in [min, max] for @obj, cyclically (stale numbers are
 * not reused at once, which makes use-after-destroy bugs visible).
 */
int mlx5x_hw_id_alloc(struct mlx5x_hw *hw, struct xarray *xa, void *obj,
		      u32 *id, u32 min, u32 max, u32 *next)
{
	int err;

	if (*next < min || *next > max)
		*next = min;
	err = xa_alloc_cyclic(xa, id, obj, XA_LIMIT(min, max), next,
			      GFP_KERNEL);
	return err < 0 ? err : 0;
}

struct mlx5x_hw *mlx5x_hw_create(const struct mlx5x_hw_params *params)
{
	struct mlx5x_hw *hw;

	if (!params || !params->irq || !params->num_vectors ||
	    params->num_vectors > MLX5X_HW_MAX_VECTORS)
		return ERR_PTR(-EINVAL);

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return ERR_PTR(-ENOMEM);
	hw->params = *params;
	strscpy(hw->name, params->name ? params->name : "mlx5x",
		sizeof(hw->name));
	hw->params.name = hw->name;
	mlx5x_hw_default_cap(&hw->cap);
	spin_lock_init(&hw->reg_lock);
	hw->initializing = MLX5X_HW_INITIALIZING;
	INIT_WORK(&hw->boot_work, mlx5x_hw_boot_work);
	INIT_WORK(&hw->cmd_work, mlx5x_hw_cmd_work);
	INIT_WORK(&hw->irq_work, mlx5x_hw_irq_work);
	atomic_set(&hw->cmd_pending, 0);
	xa_init_flags(&hw->uars, XA_FLAGS_ALLOC);
	xa_init_flags(&hw->pds, XA_FLAGS_ALLOC);
	xa_init_flags(&hw->mkeys, XA_FLAGS_ALLOC);
	xa_init_flags(&hw->eqs, XA_FLAGS_ALLOC);
	xa_init_flags(&hw->cqs, XA_FLAGS_ALLOC);
	xa_init_flags(&hw->qps, XA_FLAGS_ALLOC);
	xa_init_flags(&hw->srqs, XA_FLAGS_ALLOC);
	spin_lock_init(&hw->active_lock);
	INIT_LIST_HEAD(&hw->active);

	hw->out_buf = kzalloc(MLX5X_CMD_MAX_OUT_LEN, GFP_KERNEL);
	hw->irq_pending = bitmap_zalloc(params->num_vectors, GFP_KERNEL);
	if (!hw->out_buf || !hw->irq_pending)
		goto err_free;
	hw->fw_wq = alloc_ordered_workqueue("mlx5x_fw/%s", 0, hw->name);
	if (!hw->fw_wq)
		goto err_free;
	hw->irq_wq = alloc_ordered_workqueue("mlx5x_irq/%s", WQ_HIGHPRI,
					     hw->name);
	if (!hw->irq_wq)
		goto err_fw_wq;
	if (mlx5x_hw_fabric_add(hw))
		goto err_irq_wq;
	if (mlx5x_hw_poll_start(hw))
		goto err_fabric;

	queue_work(hw->fw_wq, &hw->boot_work);
	return hw;

err_fabric:
	mlx5x_hw_fabric_del(hw);
	synchronize_srcu(&mlx5x_hw_srcu);
	mlx5x_hw_fabric_free(hw);
err_irq_wq:
	destroy_workqueue(hw->irq_wq);
err_fw_wq:
	destroy_workqueue(hw->fw_wq);
err_free:
	bitmap_free(hw->irq_pending);
	kfree(hw->out_buf);
	kfree(hw);
	return ERR_PTR(-ENOMEM);
}

void mlx5x_hw_destroy(struct mlx5x_hw *hw)
{
	if (IS_ERR_OR_NULL(hw))
		return;

	/* Stop: no new command, no new interrupt; let running ones end. */
	spin_lock_irq(&hw->reg_lock);
	WRITE_ONCE(hw->stopping, true);
	spin_unlock_irq(&hw->reg_lock);
	/*
	 * No other device's engine reaches this one any more, no kick runs:
	 * both look under mlx5x_hw_srcu and check stopping or the fabric.
	 */
	mlx5x_hw_fabric_del(hw);
	synchronize_srcu(&mlx5x_hw_srcu);
	mlx5x_hw_poll_stop(hw);
	destroy_workqueue(hw->fw_wq);
	destroy_workqueue(hw->irq_wq);

	/* A driver that crashed or forgot leaks nothing. */
	mlx5x_hw_qp_destroy_all(hw);
	mlx5x_hw_srq_destroy_all(hw);
	mlx5x_hw_cq_destroy_all(hw);
	mlx5x_hw_mkey_destroy_all(hw);
	mlx5x_hw_pd_destroy_all(hw);
	mlx5x_hw_eq_destroy_all(hw);
	mlx5x_hw_uar_destroy_all(hw);
	xa_destroy(&hw->qps);
	xa_destroy(&hw->srqs);
	xa_destroy(&hw->cqs);
	xa_destroy(&hw->mkeys);
	xa_destroy(&hw->pds);
	xa_destroy(&hw->eqs);
	xa_destroy(&hw->uars);
	mlx5x_hw_fabric_free(hw);

	bitmap_free(hw->irq_pending);
	kfree(hw->out_buf);
	kfree(hw);
}

u32 mlx5x_hw_read_reg(struct mlx5x_hw *hw, u32 offset)
{
	if (offset >= MLX5X_REG_WINDOW_SIZE || (offset & 3))
		return ~0U;	/* what a read past a BAR returns */

	switch (offset) {
	case MLX5X_REG_FW_REV:
		return MLX5X_FW_VER_MAJOR << 16 | MLX5X_FW_VER_MINOR;
	case MLX5X_REG_FW_SUBMINOR:
		return MLX5X_FW_VER_SUBMINOR;
	case MLX5X_REG_CMDQ_ADDR_HI:
		return READ_ONCE(hw->cmdq_hi);
	case MLX5X_REG_CMDQ_ADDR_LO:
		return READ_ONCE(hw->cmdq_lo);
	case MLX5X_REG_INITIALIZING:
		return READ_ONCE(hw->initializing);
	case MLX5X_REG_HEALTH:
		return READ_ONCE(hw->health);
	default:
		return 0;
	}
}

static void mlx5x_hw_set_cmdq(struct mlx5x_hw *hw, u32 lo)
{
	unsigned long flags;
	u64 addr;

	spin_lock_irqsave(&hw->reg_lock, flags);
	hw->cmdq_lo = lo;
	addr = (u64)hw->cmdq_hi << 32 | lo;
	if (addr & (PAGE_SIZE - 1) ||
	    !mlx5x_hw_dma_ok(addr, MLX5X_CMDQ_ENTRIES * MLX5X_CMDQ_ENTRY_SIZE)) {
		pr_err_ratelimited("%s: command queue at %#llx refused\n",
				   hw->name, addr);
		addr = 0;
	}
	WRITE_ONCE(hw->cmdq_addr, addr);
	spin_unlock_irqrestore(&hw->reg_lock, flags);
}

/* Under reg_lock, so that nothing is queued once destroy has begun. */
static void mlx5x_hw_cmd_doorbell(struct mlx5x_hw *hw, u32 slots)
{
	unsigned long flags;

	spin_lock_irqsave(&hw->reg_lock, flags);
	if (hw->stopping) {
		/* powered off: the doorbell goes nowhere */
	} else if (!hw->cmdq_addr) {
		pr_err_ratelimited("%s: doorbell with no command queue\n",
				   hw->name);
	} else {
		atomic_or(slots, &hw->cmd_pending);
		queue_work(hw->fw_wq, &hw->cmd_work);
	}
	spin_unlock_irqrestore(&hw->reg_lock, flags);
}

void mlx5x_hw_write_reg(struct mlx5x_hw *hw, u32 offset, u32 value)
{
	if (READ_ONCE(hw->stopping))
		return;

	switch (offset) {
	case MLX5X_REG_CMDQ_ADDR_HI:
		WRITE_ONCE(hw->cmdq_hi, value);
		break;
	case MLX5X_REG_CMDQ_ADDR_LO:
		mlx5x_hw_set_cmdq(hw, value);
		break;
	case MLX5X_REG_CMD_DBELL:
		mlx5x_hw_cmd_doorbell(hw, value);
		break;
	case MLX5X_REG_EQ_DB:
		mlx5x_hw_eq_doorbell(hw, value);
		break;
	case MLX5X_REG_SQ_DB:
		mlx5x_hw_poll_sq_doorbell(hw, value);
		break;
	default:
		/* read-only or unknown register: a write is dropped */
		break;
	}
}

phys_addr_t mlx5x_hw_uar_phys(struct mlx5x_hw *hw, u32 index)
{
	struct mlx5x_hw_uar *uar;
	phys_addr_t pa = 0;

	rcu_read_lock();
	uar = xa_load(&hw->uars, index);
	if (uar)
		pa = page_to_phys(uar->page);
	rcu_read_unlock();
	return pa;
}

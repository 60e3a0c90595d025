// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The doorbell poller and the kick (DESIGN.md section 3).
 *
 * The SQ doorbell is a counter in memory (the QP dbrec), so the device
 * notices it by polling. One kernel thread per device scans the QPs that
 * may have work (hw->active: RTS, SQD, ERR) and runs their send queues:
 *
 *        ┌──── work found ◄───────────────────────────────┐
 *        ▼                                                │
 *   scan all active QPs ── nothing for engine_idle_us ──► set NEED_WAKEUP
 *        ▲                                                in every UAR,
 *        │                                                smp_mb(), scan
 *        │                                                again (a dbrec
 *   clear NEED_WAKEUP ◄── kick (mlx5x_hw_qp_kick) or      stored meanwhile)
 *                         a retry deadline ◄─ sleep ◄──── nothing
 *
 * The provider stores the dbrec, then (full barrier) reads need_wakeup
 * and kicks if it is set: either the poller's second scan sees the dbrec
 * or the provider sees the flag. An idle device uses no CPU. A kernel QP
 * writes MLX5X_REG_SQ_DB after every dbrec store instead, which only
 * wakes the poller (mlx5x_hw_poll_sq_doorbell()).
 *
 * The kick (process context, the driver's post_send) wakes the poller and
 * also runs that QP's send queue in the caller, up to engine_kick_budget
 * WQEs, if nobody else is running it (mutex_trylock): with few CPUs and
 * busy-polling applications the WQE then runs at once.
 *
 * Locks: hw->active_lock is a leaf; the poller holds no lock while it
 * runs a QP except that QP's sq_mutex (trylock: a QP busy elsewhere is
 * skipped this time).
 */
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include "hw_priv.h"

static int engine_idle_us = -1;
module_param(engine_idle_us, int, 0644);
MODULE_PARM_DESC(engine_idle_us,
		 "Device poller: busy-poll this long after the last work, then sleep until kicked (-1, default: 200 with more than 2 CPUs, else 0)");

/*
 * With two CPUs and two busy-polling processes a spinning poller only gets
 * the CPU a scheduler tick at a time, and while it is awake nobody kicks:
 * there, kicks that run the WQEs in the caller do better than a poller.
 */
static u64 mlx5x_hw_poll_idle_ns(void)
{
	int us = READ_ONCE(engine_idle_us);

	if (us < 0)
		us = num_online_cpus() > 2 ? 200 : 0;
	return (u64)us * NSEC_PER_USEC;
}

static unsigned int engine_kick_budget = 64;
module_param(engine_kick_budget, uint, 0644);
MODULE_PARM_DESC(engine_kick_budget,
		 "WQEs a kick may run in the caller's context (0: only wake the poller; default 64)");

#define MLX5X_HW_POLL_BATCH	32	/* QPs taken from the list at once */
#define MLX5X_HW_POLL_BUDGET	16	/* WQEs per QP per visit */

void mlx5x_hw_poll_wake(struct mlx5x_hw *hw)
{
	atomic_set(&hw->kicked, 1);
	if (hw->poller)
		wake_up_process(hw->poller);
}

/*
 * MLX5X_REG_SQ_DB: a kernel QP stored its SQ dbrec, then wrote its QPN.
 * Any context (the driver holds spinlocks, IRQs off): no lock, no sleep,
 * so the QP is not run here; the poller scans every active QP, and waking
 * it is enough. The QPN is not even looked up (an unknown one costs one
 * idle pass). Never missed: the barrier orders the dbrec before kicked;
 * the poller clears kicked before a pass, whose srcu_read_lock() is a
 * full barrier before the dbrecs are read, and reads kicked again after
 * set_current_state() before it sleeps. So either that pass sees the
 * dbrec, or kicked is still set when it looks (no sleep, another pass),
 * or wake_up_process() finds it asleep.
 */
void mlx5x_hw_poll_sq_doorbell(struct mlx5x_hw *hw, u32 qpn)
{
	int idx;

	idx = srcu_read_lock(&mlx5x_hw_srcu);
	/* destroy stops the poller only after the readers that saw this */
	if (!READ_ONCE(hw->stopping)) {
		smp_mb();	/* the caller's dbrec store, then kicked */
		mlx5x_hw_poll_wake(hw);
	}
	srcu_read_unlock(&mlx5x_hw_srcu, idx);
}

void mlx5x_hw_poll_activate(struct mlx5x_hw_qp *qp)
{
	struct mlx5x_hw *hw = qp->hw;

	spin_lock(&hw->active_lock);
	if (!qp->on_active && !qp->gone) {
		kref_get(&qp->ref);
		list_add_tail(&qp->active, &hw->active);
		qp->on_active = true;
		hw->nactive++;
	}
	spin_unlock(&hw->active_lock);
	mlx5x_hw_poll_wake(hw);
}

/* @gone: the QP is being destroyed and never comes back. */
void mlx5x_hw_poll_deactivate(struct mlx5x_hw_qp *qp, bool gone)
{
	struct mlx5x_hw *hw = qp->hw;
	bool put = false;

	spin_lock(&hw->active_lock);
	if (gone)
		qp->gone = true;
	if (qp->on_active) {
		list_del_init(&qp->active);
		qp->on_active = false;
		hw->nactive--;
		put = true;
	}
	spin_unlock(&hw->active_lock);
	if (put)
		mlx5x_hw_qp_put(qp);
}

/*
 * Run @qp if nobody else does; the WQEs handled. A QP held by someone else
 * (a kick, or a modify command moving it to ERR) counts as work, so the
 * poller comes back to it instead of going to sleep past it.
 */
static int mlx5x_hw_poll_qp(struct mlx5x_hw_qp *qp, int budget,
			    ktime_t *wake_at)
{
	int n;

	if (!mutex_trylock(&qp->sq_mutex))
		return 1;
	n = mlx5x_hw_sq_run(qp, budget, wake_at);
	mutex_unlock(&qp->sq_mutex);
	return n;
}

/* One pass over every active QP, round robin, a batch at a time. */
static int mlx5x_hw_poll_pass(struct mlx5x_hw *hw, ktime_t *wake_at)
{
	struct mlx5x_hw_qp *batch[MLX5X_HW_POLL_BATCH];
	u32 total, seen = 0, n, i;
	int work = 0, idx;

	spin_lock(&hw->active_lock);
	total = hw->nactive;
	spin_unlock(&hw->active_lock);

	idx = srcu_read_lock(&mlx5x_hw_srcu);
	while (seen < total) {
		spin_lock(&hw->active_lock);
		for (n = 0; n < MLX5X_HW_POLL_BATCH && n < hw->nactive &&
		     seen + n < total; n++) {
			batch[n] = list_first_entry(&hw->active,
						    struct mlx5x_hw_qp, active);
			kref_get(&batch[n]->ref);
			list_move_tail(&batch[n]->active, &hw->active);
		}
		spin_unlock(&hw->active_lock);
		if (!n)
			break;
		for (i = 0; i < n; i++) {
			work += mlx5x_hw_poll_qp(batch[i], MLX5X_HW_POLL_BUDGET,
						 wake_at);
			mlx5x_hw_qp_put(batch[i]);
		}
		seen += n;
	}
	srcu_read_unlock(&mlx5x_hw_srcu, idx);
	return work;
}

/* Tell every process of this device whether to kick. */
static void mlx5x_hw_set_need_wakeup(struct mlx5x_hw *hw, bool on)
{
	struct mlx5x_hw_uar *uar;
	unsigned long index;

	if (hw->need_wakeup == on)
		return;
	hw->need_wakeup = on;
	rcu_read_lock();
	xa_for_each(&hw->uars, index, uar) {
		struct mlx5x_uar *page;

		if (!kref_get_unless_zero(&uar->ref))
			continue;
		page = page_address(uar->page);
		WRITE_ONCE(page->need_wakeup, on ? MLX5X_UAR_NEED_WAKEUP : 0);
		mlx5x_hw_uar_put(uar);
	}
	rcu_read_unlock();
}

static void mlx5x_hw_poll_sleep(struct mlx5x_hw *hw, ktime_t wake_at)
{
	set_current_state(TASK_INTERRUPTIBLE);
	if (atomic_read(&hw->kicked) || kthread_should_stop()) {
		__set_current_state(TASK_RUNNING);
		return;
	}
	if (wake_at != KTIME_MAX)
		schedule_hrtimeout(&wake_at, HRTIMER_MODE_ABS);
	else
		schedule();
	__set_current_state(TASK_RUNNING);
}

static int mlx5x_hw_poll_thread(void *arg)
{
	struct mlx5x_hw *hw = arg;
	u64 idle_ns = mlx5x_hw_poll_idle_ns();
	ktime_t last = ktime_get(), wake_at;

	while (!kthread_should_stop()) {
		wake_at = KTIME_MAX;
		atomic_set(&hw->kicked, 0);
		if (mlx5x_hw_poll_pass(hw, &wake_at)) {
			last = ktime_get();
			cond_resched();
			continue;
		}
		if (ktime_get() - last < idle_ns) {
			cond_resched();
			cpu_relax();
			continue;
		}
		mlx5x_hw_set_need_wakeup(hw, true);
		/* The flag is visible before the dbrecs are read again. */
		smp_mb();
		if (!mlx5x_hw_poll_pass(hw, &wake_at))
			mlx5x_hw_poll_sleep(hw, wake_at);
		mlx5x_hw_set_need_wakeup(hw, false);
		idle_ns = mlx5x_hw_poll_idle_ns();
		last = ktime_get();
	}
	return 0;
}

int mlx5x_hw_poll_start(struct mlx5x_hw *hw)
{
	struct task_struct *t;

	t = kthread_run(mlx5x_hw_poll_thread, hw, "mlx5x_eng/%s", hw->name);
	if (IS_ERR(t))
		return PTR_ERR(t);
	hw->poller = t;
	return 0;
}

void mlx5x_hw_poll_stop(struct mlx5x_hw *hw)
{
	if (hw->poller)
		kthread_stop(hw->poller);
	hw->poller = NULL;
}

void mlx5x_hw_qp_kick(struct mlx5x_hw *hw, u32 qpn)
{
	struct mlx5x_hw_qp *qp;
	ktime_t wake_at = KTIME_MAX;
	u32 budget = READ_ONCE(engine_kick_budget);

	bool done = false;
	int idx, n;

	idx = srcu_read_lock(&mlx5x_hw_srcu);
	if (READ_ONCE(hw->stopping))
		goto out;
	qp = budget ? mlx5x_hw_qp_get(hw, qpn) : NULL;
	if (qp) {
		if (mutex_trylock(&qp->sq_mutex)) {
			n = mlx5x_hw_sq_run(qp, budget, &wake_at);
			mutex_unlock(&qp->sq_mutex);
			done = n < budget && wake_at == KTIME_MAX;
		}
		mlx5x_hw_qp_put(qp);
	}
	/*
	 * The poller is needed only for what the kick left: more than the
	 * budget, a retry wait, or a queue someone else was running. Not
	 * waking it otherwise keeps NEED_WAKEUP set, so the next post runs
	 * at once in its own kick instead of waiting for a starved poller.
	 */
	if (!done)
		mlx5x_hw_poll_wake(hw);
out:
	srcu_read_unlock(&mlx5x_hw_srcu, idx);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The firmware command interface, the driver's side.
 *
 * A command is an input mailbox chain and an output mailbox handed to the
 * device through one of MLX5X_CMDQ_ENTRIES entries of the command queue:
 *
 *   mlx5x_cmd_exec()
 *     down(sem)                      a free slot
 *     build in/out mailboxes         pages, linked by physical address
 *     fill the entry, ownership=HW   ownership written last (release)
 *     write CMD_DBELL = BIT(slot)    the device's firmware picks it up
 *     wait:
 *       polling mode (before the async EQ exists): poll the ownership byte
 *       event mode: the async EQ's CMD event completes slot->done
 *     read the output, status -> errno, trace mlx5x:fw_cmd
 *
 * A command that times out stays owned by the device: its slot and pages are
 * "orphaned" and released only when its completion event finally arrives,
 * so a late device write never lands in freed memory.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/ktime.h>
#include "mlx5x.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static unsigned int cmd_timeout_ms = 10000;
module_param(cmd_timeout_ms, uint, 0644);
MODULE_PARM_DESC(cmd_timeout_ms, "Firmware command timeout (ms)");

int mlx5x_cmd_status_to_errno(u8 status)
{
	switch (status) {
	case MLX5X_CMD_STAT_OK:
		return 0;
	case MLX5X_CMD_STAT_BAD_OP:
		return -EOPNOTSUPP;
	case MLX5X_CMD_STAT_BAD_PARAM:
	case MLX5X_CMD_STAT_BAD_RESOURCE:
	case MLX5X_CMD_STAT_BAD_RES_STATE:
	case MLX5X_CMD_STAT_BAD_INDEX:
		return -EINVAL;
	case MLX5X_CMD_STAT_RESOURCE_BUSY:
		return -EBUSY;
	case MLX5X_CMD_STAT_EXCEED_LIM:
	case MLX5X_CMD_STAT_NO_RESOURCES:
		return -ENOMEM;
	case MLX5X_CMD_STAT_BAD_SYS_STATE:
	case MLX5X_CMD_STAT_INT_ERR:
	case MLX5X_CMD_STAT_BAD_INP_LEN:
	case MLX5X_CMD_STAT_BAD_OUTP_LEN:
	default:
		return -EIO;
	}
}

static void cmd_free_pages(struct mlx5x_cmd_slot *slot)
{
	unsigned int i;

	for (i = 0; i < slot->in_npages; i++)
		__free_page(slot->in_pages[i]);
	kfree(slot->in_pages);
	slot->in_pages = NULL;
	slot->in_npages = 0;
	if (slot->out_page)
		__free_page(slot->out_page);
	slot->out_page = NULL;
}

static int cmd_alloc_slot(struct mlx5x_cmd *cmd)
{
	unsigned long flags;
	int i;

	down(&cmd->sem);
	spin_lock_irqsave(&cmd->lock, flags);
	for (i = 0; i < MLX5X_CMDQ_ENTRIES; i++) {
		if (!cmd->slot[i].busy) {
			cmd->slot[i].busy = true;
			reinit_completion(&cmd->slot[i].done);
			break;
		}
	}
	spin_unlock_irqrestore(&cmd->lock, flags);
	/* The semaphore counts free slots, so one is always found. */
	return i;
}

static void cmd_release_slot(struct mlx5x_cmd *cmd, int idx)
{
	unsigned long flags;

	spin_lock_irqsave(&cmd->lock, flags);
	cmd->slot[idx].busy = false;
	cmd->slot[idx].orphaned = false;
	spin_unlock_irqrestore(&cmd->lock, flags);
	up(&cmd->sem);
}

/* Copy @in into a chain of mailbox pages linked by physical address. */
static int cmd_build_mailboxes(struct mlx5x_cmd_slot *slot, u8 token,
			       const void *in, size_t in_len)
{
	unsigned int n = max_t(size_t, 1,
			       DIV_ROUND_UP(in_len, MLX5X_MBOX_DATA_SIZE));
	struct mlx5x_cmd_mailbox *mb, *prev = NULL;
	unsigned int i;
	size_t chunk;

	slot->in_pages = kcalloc(n, sizeof(*slot->in_pages), GFP_KERNEL);
	if (!slot->in_pages)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		slot->in_pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!slot->in_pages[i])
			goto err;
		slot->in_npages++;
		mb = page_address(slot->in_pages[i]);
		chunk = min_t(size_t, in_len, MLX5X_MBOX_DATA_SIZE);
		memcpy(mb->data, in, chunk);
		in += chunk;
		in_len -= chunk;
		mb->block_num = i;
		mb->token = token;
		if (prev)
			prev->next = page_to_phys(slot->in_pages[i]);
		prev = mb;
	}
	slot->out_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!slot->out_page)
		goto err;
	mb = page_address(slot->out_page);
	mb->token = token;
	return 0;
err:
	cmd_free_pages(slot);
	return -ENOMEM;
}

static bool cmd_entry_done(struct mlx5x_cmdq_entry *e)
{
	/* Pairs with the device's release of ownership after the output. */
	return smp_load_acquire(&e->ownership) == MLX5X_CMDQ_OWNER_SW;
}

static int cmd_wait(struct mlx5x_dev *dev, int idx)
{
	struct mlx5x_cmd *cmd = &dev->cmd;
	struct mlx5x_cmdq_entry *e = &cmd->q[idx];
	unsigned long timeout = msecs_to_jiffies(cmd_timeout_ms);
	unsigned long end = jiffies + timeout;

	if (cmd->use_events) {
		/*
		 * The ownership byte is the truth; the event only wakes us. A
		 * late event of an earlier command on this slot must not end
		 * the wait, and a lost one must not fail a finished command.
		 */
		while (!cmd_entry_done(e)) {
			long left = (long)(end - jiffies);

			if (left <= 0)
				return -ETIMEDOUT;
			wait_for_completion_timeout(&cmd->slot[idx].done, left);
		}
		return 0;
	}

	while (!cmd_entry_done(e)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		usleep_range(10, 50);
	}
	return 0;
}

/*
 * Called from the async EQ for each CMD event. Completes waiters; cleans up
 * slots whose waiter gave up.
 */
void mlx5x_cmd_complete(struct mlx5x_dev *dev, u32 vector)
{
	struct mlx5x_cmd *cmd = &dev->cmd;
	unsigned long flags;
	bool orphaned;
	int i;

	for (i = 0; i < MLX5X_CMDQ_ENTRIES; i++) {
		if (!(vector & BIT(i)))
			continue;
		spin_lock_irqsave(&cmd->lock, flags);
		orphaned = cmd->slot[i].orphaned && cmd_entry_done(&cmd->q[i]);
		if (!orphaned && cmd->slot[i].busy)
			complete(&cmd->slot[i].done);
		spin_unlock_irqrestore(&cmd->lock, flags);
		if (orphaned) {
			cmd_free_pages(&cmd->slot[i]);
			cmd_release_slot(cmd, i);
		}
	}
}

/* Trace and, for failures the driver did not expect, log. */
static void cmd_report(struct mlx5x_dev *dev, const void *in, int err,
		       u8 status, u32 syndrome, u64 ns)
{
	const struct mlx5x_cmd_in_hdr *hdr = in;

	trace_fw_cmd(dev_name(&dev->pdev->dev), hdr->opcode, hdr->op_mod,
		     err, status, syndrome, ns);
	if (err == -ETIMEDOUT || err == -EIO)
		dev_err_ratelimited(&dev->pdev->dev,
				    "command 0x%x failed: err %d status 0x%x syndrome 0x%x\n",
				    hdr->opcode, err, status, syndrome);
}

int mlx5x_cmd_exec(struct mlx5x_dev *dev, const void *in, size_t in_len,
		   void *out, size_t out_len)
{
	struct mlx5x_cmd *cmd = &dev->cmd;
	struct mlx5x_cmd_out_hdr *ohdr;
	struct mlx5x_cmd_mailbox *ombox;
	struct mlx5x_cmdq_entry *e;
	struct mlx5x_cmd_slot *slot;
	unsigned long flags;
	u8 status = 0;
	u32 syndrome = 0;
	ktime_t start;
	int idx, err;
	u8 token;

	if (in_len < sizeof(struct mlx5x_cmd_in_hdr) ||
	    in_len > MLX5X_CMD_MAX_IN_LEN ||
	    out_len < sizeof(struct mlx5x_cmd_out_hdr) ||
	    out_len > MLX5X_CMD_MAX_OUT_LEN)
		return -EINVAL;
	if (READ_ONCE(cmd->dead))
		return -ENODEV;

	start = ktime_get();
	idx = cmd_alloc_slot(cmd);
	slot = &cmd->slot[idx];
	e = &cmd->q[idx];

	/* Each command has its own token, repeated in all its mailboxes. */
	spin_lock_irqsave(&cmd->lock, flags);
	token = ++cmd->token;
	spin_unlock_irqrestore(&cmd->lock, flags);

	err = cmd_build_mailboxes(slot, token, in, in_len);
	if (err) {
		cmd_release_slot(cmd, idx);
		goto out;
	}

	memset(e, 0, sizeof(*e));
	e->in_addr = page_to_phys(slot->in_pages[0]);
	e->out_addr = page_to_phys(slot->out_page);
	e->in_len = in_len;
	e->out_len = out_len;
	e->token = token;
	/* The device may look at the entry once it owns it. */
	smp_store_release(&e->ownership, MLX5X_CMDQ_OWNER_HW);
	mlx5x_hw_write_reg(dev->hw, MLX5X_REG_CMD_DBELL, BIT(idx));

	err = cmd_wait(dev, idx);
	if (err) {
		spin_lock_irqsave(&cmd->lock, flags);
		if (cmd_entry_done(e))
			err = 0;	/* completed while we gave up */
		else
			slot->orphaned = true;
		spin_unlock_irqrestore(&cmd->lock, flags);
		/* An orphan is released by mlx5x_cmd_complete(). */
		if (err)
			goto out;
	}

	if (e->delivery_status != MLX5X_CMDQ_DELIVERY_OK) {
		err = -EIO;
		syndrome = e->delivery_status;
	} else {
		ombox = page_address(slot->out_page);
		memcpy(out, ombox->data, out_len);
		ohdr = out;
		status = ohdr->status;
		syndrome = ohdr->syndrome;
		err = mlx5x_cmd_status_to_errno(status);
	}
	cmd_free_pages(slot);
	cmd_release_slot(cmd, idx);
out:
	cmd_report(dev, in, err, status, syndrome,
		   ktime_to_ns(ktime_sub(ktime_get(), start)));
	return err;
}

/* A command whose input is an object number and output a bare header. */
int mlx5x_cmd_simple(struct mlx5x_dev *dev, u16 opcode, u32 id)
{
	struct mlx5x_cmd_simple_out out = {};
	struct mlx5x_obj_in in = {};

	in.hdr.opcode = opcode;
	in.id = id;
	return mlx5x_cmd_exec(dev, &in, sizeof(in), &out, sizeof(out));
}

/* A command with a bare header in and out (INIT_HCA, TEARDOWN_HCA, NOP). */
int mlx5x_cmd_hdr_only(struct mlx5x_dev *dev, u16 opcode)
{
	struct mlx5x_cmd_simple_out out = {};
	struct mlx5x_cmd_simple_in in = {};

	in.hdr.opcode = opcode;
	return mlx5x_cmd_exec(dev, &in, sizeof(in), &out, sizeof(out));
}

/* A command with a bare header in and an object number out. */
int mlx5x_cmd_alloc(struct mlx5x_dev *dev, u16 opcode, u32 *id)
{
	struct mlx5x_cmd_simple_in in = {};
	struct mlx5x_alloc_out out = {};
	int err;

	in.hdr.opcode = opcode;
	err = mlx5x_cmd_exec(dev, &in, sizeof(in), &out, sizeof(out));
	if (!err)
		*id = out.id;
	return err;
}

void mlx5x_cmd_use_events(struct mlx5x_dev *dev, bool on)
{
	/* Only switched while no command is in flight (probe, teardown). */
	WRITE_ONCE(dev->cmd.use_events, on);
}

int mlx5x_cmd_init(struct mlx5x_dev *dev)
{
	struct mlx5x_cmd *cmd = &dev->cmd;
	phys_addr_t pa;
	int i;

	BUILD_BUG_ON(sizeof(struct mlx5x_cmdq_entry) != MLX5X_CMDQ_ENTRY_SIZE);
	BUILD_BUG_ON(sizeof(struct mlx5x_cmd_mailbox) != MLX5X_MBOX_SIZE);
	BUILD_BUG_ON(MLX5X_CMDQ_ENTRIES * MLX5X_CMDQ_ENTRY_SIZE > PAGE_SIZE);

	cmd->q_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!cmd->q_page)
		return -ENOMEM;
	cmd->q = page_address(cmd->q_page);
	spin_lock_init(&cmd->lock);
	sema_init(&cmd->sem, MLX5X_CMDQ_ENTRIES);
	for (i = 0; i < MLX5X_CMDQ_ENTRIES; i++)
		init_completion(&cmd->slot[i].done);

	pa = page_to_phys(cmd->q_page);
	mlx5x_hw_write_reg(dev->hw, MLX5X_REG_CMDQ_ADDR_HI, upper_32_bits(pa));
	mlx5x_hw_write_reg(dev->hw, MLX5X_REG_CMDQ_ADDR_LO, lower_32_bits(pa));
	return 0;
}

/*
 * After the device is powered off: nothing can complete any more, so
 * orphaned slots are freed here.
 */
void mlx5x_cmd_cleanup(struct mlx5x_dev *dev)
{
	struct mlx5x_cmd *cmd = &dev->cmd;
	int i;

	WRITE_ONCE(cmd->dead, true);
	for (i = 0; i < MLX5X_CMDQ_ENTRIES; i++)
		cmd_free_pages(&cmd->slot[i]);
	if (cmd->q_page)
		__free_page(cmd->q_page);
	cmd->q_page = NULL;
	cmd->q = NULL;
}

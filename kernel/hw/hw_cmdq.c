// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The command queue: the firmware side of CMD_DBELL.
 *
 * Runs only on the ordered firmware workqueue, one command at a time. For
 * each slot rung: copy the entry, gather the input into a private buffer,
 * check and execute it, write the output, then hand the entry back
 * (delivery_status, then ownership with release ordering) and report the
 * completion on the command EQ. Nothing the driver wrote is read twice.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include "hw_priv.h"

static u8 mlx5x_hw_cmd_query_hca_cap(struct mlx5x_hw *hw,
				     struct mlx5x_hw_cmd *c)
{
	struct mlx5x_query_hca_cap_out *out = c->out;

	out->cap = hw->cap;
	return MLX5X_CMD_STAT_OK;
}

static u8 mlx5x_hw_cmd_query_counters(struct mlx5x_hw *hw,
				      struct mlx5x_hw_cmd *c)
{
	struct mlx5x_counters *out =
		&((struct mlx5x_query_counters_out *)c->out)->counters;

	out->req_wqes = atomic64_read(&hw->cnt_wqes);
	out->req_msg_bytes = atomic64_read(&hw->cnt_bytes);
	out->req_cqe_error = atomic64_read(&hw->cnt_errors);
	out->req_cqe_flush = atomic64_read(&hw->cnt_flushes);
	out->rnr_naks = atomic64_read(&hw->cnt_rnr);
	out->ack_timeouts = atomic64_read(&hw->cnt_ack_timeouts);
	out->out_of_buffer = atomic64_read(&hw->cnt_out_of_buffer);
	return MLX5X_CMD_STAT_OK;
}

static u8 mlx5x_hw_cmd_init_hca(struct mlx5x_hw *hw, struct mlx5x_hw_cmd *c)
{
	if (hw->hca_up)
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_SYS_STATE,
				     MLX5X_SYN_ALREADY_INIT);
	hw->hca_up = true;
	return MLX5X_CMD_STAT_OK;
}

/* Everything the driver left is freed, as a reset would. */
static u8 mlx5x_hw_cmd_teardown_hca(struct mlx5x_hw *hw,
				    struct mlx5x_hw_cmd *c)
{
	unsigned int n = 0;

	n += mlx5x_hw_qp_destroy_all(hw);
	n += mlx5x_hw_srq_destroy_all(hw);
	n += mlx5x_hw_cq_destroy_all(hw);
	n += mlx5x_hw_mkey_destroy_all(hw);
	n += mlx5x_hw_pd_destroy_all(hw);
	n += mlx5x_hw_eq_destroy_all(hw);
	n += mlx5x_hw_uar_destroy_all(hw);
	if (n)
		pr_warn("%s: TEARDOWN_HCA freed %u objects the driver left\n",
			hw->name, n);
	hw->hca_up = false;
	return MLX5X_CMD_STAT_OK;
}

static u8 mlx5x_hw_cmd_exec(struct mlx5x_hw *hw, u16 opcode,
			    struct mlx5x_hw_cmd *c)
{
	switch (opcode) {
	case MLX5X_CMD_QUERY_HCA_CAP:
		return mlx5x_hw_cmd_query_hca_cap(hw, c);
	case MLX5X_CMD_INIT_HCA:
		return mlx5x_hw_cmd_init_hca(hw, c);
	case MLX5X_CMD_TEARDOWN_HCA:
		return mlx5x_hw_cmd_teardown_hca(hw, c);
	case MLX5X_CMD_NOP:
		return MLX5X_CMD_STAT_OK;
	case MLX5X_CMD_ALLOC_UAR:
		return mlx5x_hw_cmd_alloc_uar(hw, c);
	case MLX5X_CMD_DEALLOC_UAR:
		return mlx5x_hw_cmd_dealloc_uar(hw, c);
	case MLX5X_CMD_ALLOC_PD:
		return mlx5x_hw_cmd_alloc_pd(hw, c);
	case MLX5X_CMD_DEALLOC_PD:
		return mlx5x_hw_cmd_dealloc_pd(hw, c);
	case MLX5X_CMD_CREATE_MKEY:
		return mlx5x_hw_cmd_create_mkey(hw, c);
	case MLX5X_CMD_QUERY_MKEY:
		return mlx5x_hw_cmd_query_mkey(hw, c);
	case MLX5X_CMD_DESTROY_MKEY:
		return mlx5x_hw_cmd_destroy_mkey(hw, c);
	case MLX5X_CMD_CREATE_EQ:
		return mlx5x_hw_cmd_create_eq(hw, c);
	case MLX5X_CMD_DESTROY_EQ:
		return mlx5x_hw_cmd_destroy_eq(hw, c);
	case MLX5X_CMD_CREATE_CQ:
		return mlx5x_hw_cmd_create_cq(hw, c);
	case MLX5X_CMD_QUERY_CQ:
		return mlx5x_hw_cmd_query_cq(hw, c);
	case MLX5X_CMD_DESTROY_CQ:
		return mlx5x_hw_cmd_destroy_cq(hw, c);
	case MLX5X_CMD_RESIZE_CQ:
		return mlx5x_hw_cmd_resize_cq(hw, c);
	case MLX5X_CMD_CREATE_QP:
		return mlx5x_hw_cmd_create_qp(hw, c);
	case MLX5X_CMD_QUERY_QP:
		return mlx5x_hw_cmd_query_qp(hw, c);
	case MLX5X_CMD_DESTROY_QP:
		return mlx5x_hw_cmd_destroy_qp(hw, c);
	case MLX5X_CMD_CREATE_SRQ:
		return mlx5x_hw_cmd_create_srq(hw, c);
	case MLX5X_CMD_MODIFY_SRQ:
		return mlx5x_hw_cmd_modify_srq(hw, c);
	case MLX5X_CMD_QUERY_SRQ:
		return mlx5x_hw_cmd_query_srq(hw, c);
	case MLX5X_CMD_DESTROY_SRQ:
		return mlx5x_hw_cmd_destroy_srq(hw, c);
	case MLX5X_CMD_SET_ROCE_ADDRESS:
		return mlx5x_hw_cmd_set_roce_address(hw, c);
	case MLX5X_CMD_QUERY_COUNTERS:
		return mlx5x_hw_cmd_query_counters(hw, c);
	default:
		if (mlx5x_hw_qp_trans(opcode))
			return mlx5x_hw_cmd_modify_qp(hw, c);
		return mlx5x_hw_fail(c, MLX5X_CMD_STAT_BAD_OP,
				     MLX5X_SYN_BAD_OPCODE);
	}
}

/*
 * Execute one gathered command into hw->out_buf; returns how many bytes of
 * it to write: the opcode's whole output on success, the header otherwise.
 */
static u32 mlx5x_hw_cmd_run(struct mlx5x_hw *hw, const void *in, u32 in_len,
			    u32 out_len)
{
	const struct mlx5x_cmd_in_hdr *ih = in;
	struct mlx5x_cmd_out_hdr *oh = hw->out_buf;
	struct mlx5x_hw_cmd c = {
		.in = in, .in_len = in_len, .out = hw->out_buf,
	};
	u8 status;

	memset(hw->out_buf, 0, MLX5X_CMD_MAX_OUT_LEN);
	status = mlx5x_hw_cmd_check(in, in_len, out_len, hw->hca_up,
				    &c.npas, &c.syn);
	if (status == MLX5X_CMD_STAT_OK)
		status = mlx5x_hw_cmd_exec(hw, ih->opcode, &c);

	pr_debug("%s: cmd %s(%#x) op_mod %#x in_len %u: status %#x syndrome %#x\n",
		 hw->name, mlx5x_hw_cmd_name(ih->opcode), ih->opcode,
		 ih->op_mod, in_len, status, c.syn);
	if (status != MLX5X_CMD_STAT_OK) {
		memset(hw->out_buf, 0, MLX5X_CMD_MAX_OUT_LEN);
		oh->status = status;
		oh->syndrome = c.syn;
		return sizeof(*oh);
	}
	return mlx5x_hw_cmd_desc(ih->opcode)->out_size;
}

/*
 * Entries are 64 bytes inside one page: one pointer serves the whole
 * entry, so the ownership byte can be read and written atomically.
 */
static void mlx5x_hw_cmd_slot(struct mlx5x_hw *hw, u64 cmdq, u32 slot)
{
	struct mlx5x_cmdq_entry *live, e;
	struct mlx5x_eqe eqe = {};
	u8 delivery;
	void *in;

	live = mlx5x_hw_dma_ptr(cmdq + slot * MLX5X_CMDQ_ENTRY_SIZE,
				MLX5X_CMDQ_ENTRY_SIZE);
	if (!live)
		return;
	/* Acquire: the entry is read only after ownership said HW. */
	if (smp_load_acquire(&live->ownership) != MLX5X_CMDQ_OWNER_HW) {
		pr_debug("%s: slot %u rung but owned by software\n",
			 hw->name, slot);
		return;
	}
	memcpy(&e, live, sizeof(e));

	delivery = mlx5x_hw_cmd_entry_check(&e);
	if (delivery == MLX5X_CMDQ_DELIVERY_OK) {
		in = kvmalloc(e.in_len, GFP_KERNEL);
		if (in) {
			u32 n = 0;

			delivery = mlx5x_hw_mbox_gather(mlx5x_hw_dma_read,
							NULL, &e, in);
			if (delivery == MLX5X_CMDQ_DELIVERY_OK)
				n = mlx5x_hw_cmd_run(hw, in, e.in_len,
						     e.out_len);
			kvfree(in);
			if (n && mlx5x_hw_dma_write(e.out_addr, hw->out_buf, n))
				delivery = MLX5X_CMDQ_DELIVERY_BAD_MBOX;
		} else {
			struct mlx5x_cmd_out_hdr oh = {
				.status = MLX5X_CMD_STAT_NO_RESOURCES,
				.syndrome = MLX5X_SYN_NO_MEM,
			};

			if (mlx5x_hw_dma_write(e.out_addr, &oh, sizeof(oh)))
				delivery = MLX5X_CMDQ_DELIVERY_BAD_MBOX;
		}
	}
	if (delivery != MLX5X_CMDQ_DELIVERY_OK)
		pr_debug("%s: slot %u: delivery status %u\n",
			 hw->name, slot, delivery);

	/* Output, then delivery status, then ownership, last. */
	WRITE_ONCE(live->delivery_status, delivery);
	/* Release: output and status are visible before ownership. */
	smp_store_release(&live->ownership, MLX5X_CMDQ_OWNER_SW);

	eqe.type = MLX5X_EQE_CMD;
	eqe.cmd_vector = BIT(slot);
	mlx5x_hw_eq_post_event(hw, MLX5X_EQ_EVENTS_CMD, &eqe);
}

void mlx5x_hw_cmd_work(struct work_struct *work)
{
	struct mlx5x_hw *hw = container_of(work, struct mlx5x_hw, cmd_work);
	unsigned long pending;
	u32 slot;

	while ((pending = (u32)atomic_xchg(&hw->cmd_pending, 0))) {
		u64 cmdq = READ_ONCE(hw->cmdq_addr);

		if (READ_ONCE(hw->stopping) || !cmdq)
			return;
		for_each_set_bit(slot, &pending, MLX5X_CMDQ_ENTRIES) {
			mlx5x_hw_cmd_slot(hw, cmdq, slot);
			cond_resched();
		}
	}
}

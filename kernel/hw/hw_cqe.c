// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The CQ producer: writes CQEs into the CQ ring (the pages the driver
 * pinned, through the CQ's PAS) and fires completion events.
 *
 *   - CQE number pc goes to slot pc & (nent - 1), owner bit
 *     (pc >> log_cq_size) & 1, body first and the owner byte last with
 *     release ordering (mlx5x_wqe.h);
 *   - a CQE software has not consumed (CI word of the CQ dbrec) is never
 *     overwritten: on overrun the CQ goes to error, writes nothing more,
 *     and MLX5X_EQE_CQ_ERROR goes to the async EQ;
 *   - arming: after writing, the ARM word decides whether an MLX5X_EQE_COMP
 *     goes to the CQ's EQ (mlx5x_hw_cq_arm_fires());
 *   - the ring (size, PAS) is read under cq->lock: RESIZE_CQ swaps it.
 *
 * cq->lock serialises producers: a CQ is shared by QPs whose WQEs run on
 * different engine contexts (pollers of several devices, kicks). It is
 * taken in process context only, under the QP mutexes, and nests
 * eq->lock (mlx5x_hw_eq_post()).
 */
#include <linux/mm.h>
#include "hw_priv.h"

#define CREATE_TRACE_POINTS
#include "hw_trace.h"

/* cq->lock held: the CQ is broken; tell the driver once. */
static void mlx5x_hw_cq_overrun(struct mlx5x_hw *hw, struct mlx5x_hw_cq *cq)
{
	struct mlx5x_eqe eqe = {};

	cq->err = true;
	eqe.type = MLX5X_EQE_CQ_ERROR;
	eqe.cqn = cq->cqn;
	mlx5x_hw_eq_post_event(hw, MLX5X_EQ_EVENTS_ASYNC, &eqe);
}

void mlx5x_hw_cq_write(struct mlx5x_hw *hw, struct mlx5x_hw_cq *cq,
		       const struct mlx5x_hw_cqe_args *a)
{
	struct mlx5x_cqe cqe = {};
	u32 ci, arm, log, *dbr;
	bool sol, fire;
	u8 *slot;
	u64 pa;

	cqe.imm_inval = a->imm;
	cqe.byte_cnt = a->byte_cnt;
	cqe.qpn = a->qpn;
	cqe.src_qp = a->src_qp;
	cqe.wqe_counter = a->wqe_counter;
	cqe.opcode = a->opcode;
	cqe.send_opcode = a->send_opcode;
	cqe.status = a->status;
	cqe.vendor_err = a->vendor_err;
	cqe.flags = a->solicited ? MLX5X_CQE_SOLICITED : 0;
	if (a->grh) {
		cqe.flags |= MLX5X_CQE_GRH;
		cqe.sl = a->sl;
		cqe.l3_type = a->l3_type;
		cqe.pkey_index = a->pkey_index;
	}
	sol = a->solicited || a->status != MLX5X_WC_SUCCESS;
	if (a->status != MLX5X_WC_SUCCESS)
		trace_err_cqe(hw->name, cq->cqn, a->qpn, a->opcode,
			      a->send_opcode, a->wqe_counter, a->status,
			      a->vendor_err);

	spin_lock(&cq->lock);
	if (cq->err || cq->dead)
		goto unlock;
	/* Under the lock: RESIZE_CQ swaps the ring (hw_cq.c). */
	log = cq->cqc.log_cq_size;
	dbr = mlx5x_hw_dma_ptr(cq->cqc.dbr_addr, 2 * sizeof(u32));
	if (!dbr) {
		mlx5x_hw_cq_overrun(hw, cq);
		goto unlock;
	}
	ci = READ_ONCE(dbr[MLX5X_CQ_DBREC_CI]) & MLX5X_CQ_CI_MASK;
	if (!mlx5x_hw_cq_has_room(cq->pc, ci, log)) {
		mlx5x_hw_cq_overrun(hw, cq);
		goto unlock;
	}
	pa = mlx5x_hw_buf_pa(cq->pas, cq->cqc.log_page_size,
			     cq->cqc.page_offset,
			     (u64)(cq->pc & ((1U << log) - 1)) * MLX5X_HW_CQE_SIZE);
	slot = mlx5x_hw_dma_ptr(pa, MLX5X_HW_CQE_SIZE);
	if (!slot) {
		mlx5x_hw_cq_overrun(hw, cq);
		goto unlock;
	}
	cqe.owner = mlx5x_hw_cqe_owner(cq->pc, log);
	memcpy(slot, &cqe, MLX5X_HW_CQE_SIZE - 1);
	/* Release: the CQE body is visible before its owner byte. */
	smp_store_release(&slot[MLX5X_HW_CQE_SIZE - 1], cqe.owner);
	cq->pc = (cq->pc + 1) & MLX5X_CQ_CI_MASK;

	/* Full barrier: the CQE is visible before the ARM word is read. */
	smp_mb();
	arm = READ_ONCE(dbr[MLX5X_CQ_DBREC_ARM]);
	fire = mlx5x_hw_cq_arm_fires(arm, sol, &cq->last_sn);
	if (fire) {
		struct mlx5x_eqe eqe = {};

		eqe.type = MLX5X_EQE_COMP;
		eqe.cqn = cq->cqn;
		mlx5x_hw_eq_post(cq->eq, &eqe);
	}
unlock:
	spin_unlock(&cq->lock);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Validation of the object contexts the driver hands over (MKC, EQC, CQC,
 * QPC at create time) and of their page address lists, plus the ring math
 * the firmware and, later, the WQE engine share. Existence of referenced
 * objects (PD, EQ, CQ, UAR) is the kernel side's business; everything that
 * depends only on the bytes of the command is checked here.
 */
#include "hw_check.h"

static u8 fail(u32 *syn, u8 status, u32 syndrome)
{
	*syn = syndrome;
	return status;
}

/*
 * A buffer of @len bytes starting @page_offset bytes into the first of
 * @npages pages of 1 << @log_page_size bytes. The command carried @npas PAS
 * entries; npages must be that, and cover the buffer: exactly when @exact
 * (an MKey is its pages), at least otherwise (a ring may sit in a larger
 * buffer).
 */
u8 mlx5x_hw_check_buf(u32 npages, u32 npas, u8 log_page_size,
		      u64 page_offset, u64 len, bool exact, const u64 *pas,
		      u32 *syn)
{
	u64 psize, total, need;
	u32 i;

	if (npas != npages)
		return fail(syn, MLX5X_CMD_STAT_BAD_INP_LEN, MLX5X_SYN_PAS_LEN);
	if (log_page_size < MLX5X_HW_MIN_LOG_PAGE ||
	    log_page_size > MLX5X_HW_MAX_LOG_PAGE)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_PAGE_SIZE);
	psize = 1ULL << log_page_size;
	if (page_offset >= psize)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_PAGE_OFFSET);
	if (check_add_overflow(page_offset, len, &total))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_NPAGES);
	need = (total >> log_page_size) + !!(total & (psize - 1));
	if (exact ? need != npages : need > npages)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_NPAGES);
	for (i = 0; i < npages; i++) {
		u64 last;

		if (!pas[i])
			return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
				    MLX5X_SYN_PAS_ZERO);
		if (pas[i] & (psize - 1))
			return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
				    MLX5X_SYN_PAS_ALIGN);
		if (check_add_overflow(pas[i], psize - 1, &last))
			return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
				    MLX5X_SYN_PAS_OVERFLOW);
	}
	return MLX5X_CMD_STAT_OK;
}

/*
 * A physical-address MKey: IOVA = host physical address, the whole space,
 * local access only (mlx5x_if.h). The driver creates it for kernel PDs;
 * the engine refuses it remotely and to windows (hw_mem.c, hw_mw.c).
 */
static u8 mlx5x_hw_check_pa_mkc(const struct mlx5x_hca_cap *cap,
				const struct mlx5x_mkc *mkc, u32 npas,
				u32 *syn)
{
	static const u8 zero[sizeof(mkc->rsvd)];

	if (!(cap->flags & MLX5X_CAP_FLAG_GSI))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_PA_CAP);
	if (mkc->access & ~(u32)MLX5X_MKEY_LOCAL_WRITE)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_PA_ACCESS);
	if (mkc->start_addr || mkc->len != ~0ULL)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_PA_RANGE);
	if (npas || mkc->npages || mkc->page_offset || mkc->log_page_size)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_PA_PAGES);
	if (memcmp(mkc->rsvd, zero, sizeof(zero)))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_PA_RSVD);
	return MLX5X_CMD_STAT_OK;
}

u8 mlx5x_hw_check_mkc(const struct mlx5x_hca_cap *cap,
		      const struct mlx5x_mkc *mkc, u32 npas, const u64 *pas,
		      u32 *syn)
{
	static const struct mlx5x_mkc zero;
	struct mlx5x_mkc bare;
	u64 end;

	if (mkc->mw_type == MLX5X_MKEY_PA)
		return mlx5x_hw_check_pa_mkc(cap, mkc, npas, syn);
	if (mkc->mw_type == MLX5X_MKEY_MW_TYPE1 ||
	    mkc->mw_type == MLX5X_MKEY_MW_TYPE2) {
		/* A window: a PD and a key variant, nothing else (yet). */
		if (!(cap->flags & MLX5X_CAP_FLAG_MW))
			return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
				    MLX5X_SYN_MKEY_MW);
		bare = *mkc;
		bare.pdn = 0;
		bare.key_variant = 0;
		bare.mw_type = 0;
		if (npas || memcmp(&bare, &zero, sizeof(bare)))
			return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
				    MLX5X_SYN_MKEY_MW);
		return MLX5X_CMD_STAT_OK;
	}
	if (mkc->mw_type != MLX5X_MKEY_MR)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_MKEY_MW);
	if (mkc->access & ~(u32)MLX5X_MKEY_ACCESS_MASK)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_ACCESS);
	if ((mkc->access & (MLX5X_MKEY_REMOTE_WRITE |
			    MLX5X_MKEY_REMOTE_ATOMIC)) &&
	    !(mkc->access & MLX5X_MKEY_LOCAL_WRITE))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_NEED_LWRITE);
	if (!mkc->len)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_LEN_ZERO);
	if (mkc->len > (1ULL << cap->log_max_mr_size))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_LEN_MAX);
	if (check_add_overflow(mkc->start_addr, mkc->len, &end))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_MKEY_ADDR_WRAP);
	return mlx5x_hw_check_buf(mkc->npages, npas, mkc->log_page_size,
				  mkc->page_offset, mkc->len, true, pas, syn);
}

u8 mlx5x_hw_check_eqc(const struct mlx5x_hca_cap *cap,
		      const struct mlx5x_eqc *eqc, u32 npas, const u64 *pas,
		      u32 num_vectors, u32 *syn)
{
	const u32 events = MLX5X_EQ_EVENTS_COMP | MLX5X_EQ_EVENTS_CMD |
			   MLX5X_EQ_EVENTS_ASYNC;

	if (eqc->log_eq_size > cap->log_max_eq_sz ||
	    eqc->log_eq_size > MLX5X_HW_MAX_LOG_EQ)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_EQ_LOG_SIZE);
	if (eqc->intr >= num_vectors)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_EQ_INTR);
	if (!eqc->event_mask || (eqc->event_mask & ~events))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_EQ_EVENT_MASK);
	return mlx5x_hw_check_buf(eqc->npages, npas, eqc->log_page_size, 0,
				  (u64)MLX5X_EQE_SIZE << eqc->log_eq_size,
				  false, pas, syn);
}

static bool mlx5x_hw_dbr_ok(u64 dbr_addr)
{
	return dbr_addr && !(dbr_addr & 7);
}

u8 mlx5x_hw_check_cqc(const struct mlx5x_hca_cap *cap,
		      const struct mlx5x_cqc *cqc, u32 npas, const u64 *pas,
		      u32 *syn)
{
	if (cqc->log_cq_size > cap->log_max_cq_sz)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_CQ_LOG_SIZE);
	if (cqc->cqe_size != MLX5X_HW_CQE_SIZE)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_CQ_CQE_SIZE);
	if (!mlx5x_hw_dbr_ok(cqc->dbr_addr))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_DBR_ALIGN);
	return mlx5x_hw_check_buf(cqc->npages, npas, cqc->log_page_size,
				  cqc->page_offset,
				  (u64)MLX5X_HW_CQE_SIZE << cqc->log_cq_size,
				  false, pas, syn);
}

u64 mlx5x_hw_qp_rq_bytes(const struct mlx5x_qpc *qpc)
{
	if (qpc->no_rq || qpc->use_srq)
		return 0;
	return 1ULL << (qpc->log_rq_size + qpc->log_rq_stride);
}

u64 mlx5x_hw_qp_sq_bytes(const struct mlx5x_qpc *qpc)
{
	if (qpc->no_sq)
		return 0;
	return (u64)MLX5X_HW_WQEBB_SIZE << qpc->log_sq_size;
}

u8 mlx5x_hw_check_qpc(const struct mlx5x_hca_cap *cap,
		      const struct mlx5x_qpc *qpc, u32 npas, const u64 *pas,
		      u32 *syn)
{
	static const u8 zero3[sizeof(qpc->rsvd3)];
	static const u8 zero2[sizeof(qpc->rsvd2)];

	if (qpc->st != MLX5X_QP_ST_RC &&
	    !(qpc->st == MLX5X_QP_ST_UD && (cap->flags & MLX5X_CAP_FLAG_UD)) &&
	    !(qpc->st == MLX5X_QP_ST_UC && (cap->flags & MLX5X_CAP_FLAG_UC)))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_QP_ST);
	if (qpc->gsi > 1 ||
	    (qpc->gsi && (qpc->st != MLX5X_QP_ST_UD ||
			  !(cap->flags & MLX5X_CAP_FLAG_GSI))))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_QP_GSI);
	if (memcmp(qpc->rsvd3, zero3, sizeof(zero3)) ||
	    memcmp(qpc->rsvd2, zero2, sizeof(zero2)))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_QP_RSVD);
	if (qpc->no_sq > 1 || qpc->no_rq > 1)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_QP_FLAG);
	if (qpc->no_sq && qpc->no_rq)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_QP_NO_QUEUES);
	if (qpc->use_srq > 1 ||
	    (qpc->use_srq && (qpc->no_rq || qpc->log_rq_size ||
			      qpc->log_rq_stride)) ||
	    (!qpc->use_srq && qpc->srqn) ||
	    (qpc->use_srq && qpc->st == MLX5X_QP_ST_UC))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_QP_SRQ);
	if (!qpc->no_sq && qpc->log_sq_size > cap->log_max_qp_sz)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_QP_LOG_SQ);
	if (!qpc->no_rq && qpc->log_rq_size > cap->log_max_qp_sz)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_QP_LOG_RQ);
	if (!qpc->no_rq && !qpc->use_srq &&
	    (qpc->log_rq_stride < 4 || qpc->log_rq_stride > 8))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_QP_RQ_STRIDE);
	if (!mlx5x_hw_dbr_ok(qpc->dbr_addr))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_DBR_ALIGN);
	return mlx5x_hw_check_buf(qpc->npages, npas, qpc->log_page_size,
				  qpc->page_offset,
				  mlx5x_hw_qp_rq_bytes(qpc) +
				  mlx5x_hw_qp_sq_bytes(qpc), false, pas, syn);
}

u8 mlx5x_hw_check_srqc(const struct mlx5x_hca_cap *cap,
			const struct mlx5x_srqc *srqc, u32 npas, const u64 *pas,
			u32 *syn)
{
	if (!(cap->flags & MLX5X_CAP_FLAG_SRQ))
		return fail(syn, MLX5X_CMD_STAT_BAD_OP, MLX5X_SYN_BAD_OPCODE);
	if (!srqc->log_srq_size || srqc->log_srq_size > cap->log_max_srq_sz)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM,
			    MLX5X_SYN_SRQ_LOG_SIZE);
	if (srqc->log_wqe_stride < 5 || srqc->log_wqe_stride > 8)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_SRQ_STRIDE);
	if (srqc->lwm >= (1U << srqc->log_srq_size))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_SRQ_LWM);
	if (srqc->state != MLX5X_SRQ_STATE_OK)
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_SRQ_STATE);
	if (!mlx5x_hw_dbr_ok(srqc->dbr_addr))
		return fail(syn, MLX5X_CMD_STAT_BAD_PARAM, MLX5X_SYN_DBR_ALIGN);
	return mlx5x_hw_check_buf(srqc->npages, npas, srqc->log_page_size,
				  srqc->page_offset,
				  1ULL << (srqc->log_srq_size +
					   srqc->log_wqe_stride),
				  false, pas, syn);
}

u64 mlx5x_hw_buf_pa(const u64 *pas, u8 log_page_size, u32 page_offset,
		    u64 off)
{
	u64 o = off + page_offset;

	return pas[o >> log_page_size] + (o & ((1ULL << log_page_size) - 1));
}

u8 mlx5x_hw_eqe_owner(u32 pc, u32 log_eq_size)
{
	return (pc >> log_eq_size) & MLX5X_EQE_OWNER;
}

/* EQEs written and not yet consumed; counts are modulo 2^23. */
u32 mlx5x_hw_eq_used(u32 pc, u32 ci)
{
	return (pc - ci) & MLX5X_EQ_DB_CI_MASK;
}

/* A consumer index may only move forward, and not past the producer. */
bool mlx5x_hw_eq_ci_ok(u32 pc, u32 old_ci, u32 new_ci)
{
	return ((new_ci - old_ci) & MLX5X_EQ_DB_CI_MASK) <=
	       mlx5x_hw_eq_used(pc, old_ci);
}

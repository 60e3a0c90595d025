// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Extended CQs: ibv_create_cq_ex and the ibv_start_poll / ibv_next_poll /
 * ibv_end_poll iterator with its ibv_wc_read_* callbacks.
 *
 * An extended CQ is the same mlx5x_cq as a classic one (cq.c creates both,
 * and ibv_poll_cq works on either); only the way completions are read
 * differs. The iterator walks the ring with mlx5x_cq_poll_one(), the very
 * function behind ibv_poll_cq, so ownership, parsing and the SQ/RQ
 * bookkeeping are identical:
 *
 *	ibv_start_poll ─► lock; poll_one ─► ENOENT? CI dbrec if CQEs were
 *	                  dropped, unlock
 *	ibv_next_poll ──► poll_one (the previous CQE is consumed already)
 *	ibv_wc_read_* ──► fields of the current CQE (ex_cqe, ex_info)
 *	ibv_end_poll ───► CI dbrec (release) if anything was consumed; unlock
 *
 * No system call on any of these. The CQ lock is held from a successful
 * start_poll to end_poll, as libmlx5 does: the application must not call
 * other verbs on this CQ in between.
 *
 * Supported wc_flags: everything ibv_wc has (byte_len, imm, QP number,
 * source QP, SLID, SL, DLID path bits; IBV_WC_GRH of a UD receive in
 * read_wc_flags). ibv_cq_ex has no pkey_index reader. The device writes no completion
 * timestamp (hca_core_clock is 0), so IBV_WC_EX_WITH_COMPLETION_TIMESTAMP
 * and its wallclock form are refused with EOPNOTSUPP, like CVLAN, flow tag
 * and tag matching.
 */
#include <errno.h>

#include "mlx5x.h"

#define MLX5X_CQ_EX_WC_FLAGS	(IBV_WC_EX_WITH_BYTE_LEN |		\
				 IBV_WC_EX_WITH_IMM |			\
				 IBV_WC_EX_WITH_QP_NUM |		\
				 IBV_WC_EX_WITH_SRC_QP |		\
				 IBV_WC_EX_WITH_SLID |			\
				 IBV_WC_EX_WITH_SL |			\
				 IBV_WC_EX_WITH_DLID_PATH_BITS)
#define MLX5X_CQ_EX_COMP_MASK	(IBV_CQ_INIT_ATTR_MASK_FLAGS |		\
				 IBV_CQ_INIT_ATTR_MASK_PD)
/* Every CQ takes its lock: single-threaded needs nothing more. */
#define MLX5X_CQ_EX_FLAGS	IBV_CREATE_CQ_ATTR_SINGLE_THREADED

static inline struct mlx5x_cq *cqex_to_mcq(struct ibv_cq_ex *ibcq)
{
	return mlx5x_container_of(ibcq, struct mlx5x_cq, verbs_cq.cq_ex);
}

/* Lock held: make the next reportable CQE current; false if none. */
static bool cqex_advance(struct mlx5x_cq *cq)
{
	struct ibv_cq_ex *ibcq = &cq->verbs_cq.cq_ex;

	cq->ex_cqe = mlx5x_cq_poll_one(cq, &cq->ex_qp, &cq->ex_info,
				       &cq->ex_consumed);
	if (!cq->ex_cqe)
		return false;
	ibcq->wr_id = cq->ex_info.wr_id;
	ibcq->status = cq->ex_info.status;
	return true;
}

static int cqex_start_poll(struct ibv_cq_ex *ibcq,
			   struct ibv_poll_cq_attr *attr)
{
	struct mlx5x_cq *cq = cqex_to_mcq(ibcq);

	if (attr->comp_mask)
		return EINVAL;

	pthread_spin_lock(&cq->lock);
	cq->ex_consumed = false;
	if (cqex_advance(cq))
		return 0;
	/* Nothing to report; CQEs of destroyed QPs may have been skipped. */
	if (cq->ex_consumed)
		mlx5x_cq_update_ci(cq);
	pthread_spin_unlock(&cq->lock);
	return ENOENT;
}

static int cqex_next_poll(struct ibv_cq_ex *ibcq)
{
	return cqex_advance(cqex_to_mcq(ibcq)) ? 0 : ENOENT;
}

static void cqex_end_poll(struct ibv_cq_ex *ibcq)
{
	struct mlx5x_cq *cq = cqex_to_mcq(ibcq);

	if (cq->ex_consumed)
		mlx5x_cq_update_ci(cq);
	cq->ex_cqe = NULL;
	pthread_spin_unlock(&cq->lock);
}

static enum ibv_wc_opcode cqex_read_opcode(struct ibv_cq_ex *ibcq)
{
	return cqex_to_mcq(ibcq)->ex_info.opcode;
}

static uint32_t cqex_read_vendor_err(struct ibv_cq_ex *ibcq)
{
	return cqex_to_mcq(ibcq)->ex_cqe->vendor_err;
}

static uint32_t cqex_read_byte_len(struct ibv_cq_ex *ibcq)
{
	return cqex_to_mcq(ibcq)->ex_info.byte_len;
}

/* The sender's immediate (__be32, as in ibv_wc.imm_data) or the rkey. */
static __be32 cqex_read_imm_data(struct ibv_cq_ex *ibcq)
{
	struct mlx5x_cq *cq = cqex_to_mcq(ibcq);

	if (!(cq->ex_info.wc_flags & (IBV_WC_WITH_IMM | IBV_WC_WITH_INV)))
		return 0;
	return cq->ex_cqe->imm_inval;
}

static uint32_t cqex_read_qp_num(struct ibv_cq_ex *ibcq)
{
	return cqex_to_mcq(ibcq)->ex_qp->qpn;
}

static uint32_t cqex_read_src_qp(struct ibv_cq_ex *ibcq)
{
	return cqex_to_mcq(ibcq)->ex_cqe->src_qp;
}

static unsigned int cqex_read_wc_flags(struct ibv_cq_ex *ibcq)
{
	return cqex_to_mcq(ibcq)->ex_info.wc_flags;
}

/* RoCE has no LIDs: what ibv_poll_cq reports too. */
static uint32_t cqex_read_slid(struct ibv_cq_ex *ibcq)
{
	return 0;
}

/* A UD receive's SL (the sender's AH); 0 for everything else. */
static uint8_t cqex_read_sl(struct ibv_cq_ex *ibcq)
{
	return cqex_to_mcq(ibcq)->ex_cqe->sl;
}

static uint8_t cqex_read_dlid_path_bits(struct ibv_cq_ex *ibcq)
{
	return 0;
}

static int check_cq_ex_attr(struct mlx5x_context *ctx,
			    const struct ibv_cq_init_attr_ex *attr)
{
	if (attr->comp_mask & ~MLX5X_CQ_EX_COMP_MASK) {
		mlx5x_dbg(&ctx->ibv_ctx, "comp_mask 0x%x unknown\n",
			  attr->comp_mask);
		return EINVAL;
	}
	/* No parent domains. */
	if (attr->comp_mask & IBV_CQ_INIT_ATTR_MASK_PD)
		return EOPNOTSUPP;
	if (attr->comp_mask & IBV_CQ_INIT_ATTR_MASK_FLAGS &&
	    attr->flags & ~MLX5X_CQ_EX_FLAGS) {
		mlx5x_dbg(&ctx->ibv_ctx, "flags 0x%x not supported\n",
			  attr->flags);
		return attr->flags & ~(MLX5X_CQ_EX_FLAGS |
				       IBV_CREATE_CQ_ATTR_IGNORE_OVERRUN) ?
		       EINVAL : EOPNOTSUPP;
	}
	if (attr->wc_flags & ~(uint64_t)MLX5X_CQ_EX_WC_FLAGS) {
		mlx5x_dbg(&ctx->ibv_ctx, "wc_flags 0x%llx not supported\n",
			  (unsigned long long)attr->wc_flags);
		return EOPNOTSUPP;
	}
	return 0;
}

struct ibv_cq_ex *mlx5x_create_cq_ex(struct ibv_context *context,
				     struct ibv_cq_init_attr_ex *attr)
{
	struct ibv_cq_ex *ibcq;
	struct mlx5x_cq *cq;
	int ret;

	ret = check_cq_ex_attr(to_mctx(context), attr);
	if (ret) {
		errno = ret;
		return NULL;
	}
	if (attr->cqe > INT32_MAX) {
		errno = EINVAL;
		return NULL;
	}

	cq = mlx5x_cq_create(context, attr->cqe, attr->channel,
			     attr->comp_vector);
	if (!cq)
		return NULL;

	/* libibverbs sets cq_context and the channel's reference itself. */
	ibcq = &cq->verbs_cq.cq_ex;
	ibcq->start_poll = cqex_start_poll;
	ibcq->next_poll = cqex_next_poll;
	ibcq->end_poll = cqex_end_poll;
	ibcq->read_opcode = cqex_read_opcode;
	ibcq->read_vendor_err = cqex_read_vendor_err;
	ibcq->read_wc_flags = cqex_read_wc_flags;
	/*
	 * Reading a field not asked for in wc_flags is undefined; give it
	 * the right value rather than a NULL call.
	 */
	ibcq->read_byte_len = cqex_read_byte_len;
	ibcq->read_imm_data = cqex_read_imm_data;
	ibcq->read_qp_num = cqex_read_qp_num;
	ibcq->read_src_qp = cqex_read_src_qp;
	ibcq->read_slid = cqex_read_slid;
	ibcq->read_sl = cqex_read_sl;
	ibcq->read_dlid_path_bits = cqex_read_dlid_path_bits;
	return ibcq;
}

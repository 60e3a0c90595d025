/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The pure half of the device half: decoding and validation that needs no
 * kernel service (hw_mbox.c, hw_cmdtab.c, hw_validate.c, hw_qp_fsm.c).
 * Built into mlx5x.ko and into tests/unit/hw.
 *
 * Checks return a command status (MLX5X_CMD_STAT_*, 0 when OK) and, on a
 * failure, store the syndrome (enum mlx5x_hw_syndrome) in *syn.
 */
#ifndef MLX5X_HW_CHECK_H
#define MLX5X_HW_CHECK_H

#include "hw_compat.h"
#include <rdma/mlx5x_if.h>
#include "hw_syndrome.h"

#define MLX5X_HW_MIN_LOG_PAGE	12
#define MLX5X_HW_MAX_LOG_PAGE	30
#define MLX5X_HW_WQEBB_SIZE	64
#define MLX5X_HW_CQE_SIZE	64
#define MLX5X_HW_MAX_LOG_EQ	22	/* EQ_DB ci parity rule, mlx5x_if.h */
#define MLX5X_HW_QPN_BASE	0x100	/* QPN 0 and 1 are special in IB */
#define MLX5X_HW_QPN_GSI	1	/* qpc.gsi: the General Services QP */
#define MLX5X_HW_PORT		1

/* ---- hw_mbox.c: the input mailbox chain ---- */

/*
 * Copies @len bytes of device-visible memory at physical address @pa into
 * @buf; non-zero if @pa is not memory the device may read.
 */
typedef int (*mlx5x_hw_dma_read_fn)(void *ctx, u64 pa, void *buf, u32 len);

u32 mlx5x_hw_mbox_blocks(u32 in_len);
/* MLX5X_CMDQ_DELIVERY_OK if in_len/out_addr/out_len can be served. */
u8 mlx5x_hw_cmd_entry_check(const struct mlx5x_cmdq_entry *e);
/* Gathers the entry's whole input into @buf (e->in_len bytes). */
u8 mlx5x_hw_mbox_gather(mlx5x_hw_dma_read_fn rd, void *ctx,
			const struct mlx5x_cmdq_entry *e, void *buf);

/* ---- hw_cmdtab.c: opcodes, sizes, the capabilities ---- */

enum {
	MLX5X_HW_CMD_PRE_INIT	= 1U << 0,	/* allowed before INIT_HCA */
	MLX5X_HW_CMD_PAS	= 1U << 1,	/* in = in_size + 8 * npas */
};

struct mlx5x_hw_cmd_desc {
	u16 opcode;
	u16 flags;		/* MLX5X_HW_CMD_* */
	u32 in_size;		/* exact, or fixed part when PAS */
	u32 out_size;
	const char *name;
};

const struct mlx5x_hw_cmd_desc *mlx5x_hw_cmd_desc(u16 opcode);
const char *mlx5x_hw_cmd_name(u16 opcode);
/* Opcode, lengths and HCA state; *npas gets the PAS entry count. */
u8 mlx5x_hw_cmd_check(const void *in, u32 in_len, u32 out_len,
		      bool hca_up, u32 *npas, u32 *syn);
void mlx5x_hw_default_cap(struct mlx5x_hca_cap *cap);

/* ---- hw_validate.c: contexts, page lists, ring math ---- */

u8 mlx5x_hw_check_buf(u32 npages, u32 npas, u8 log_page_size,
		      u64 page_offset, u64 len, bool exact, const u64 *pas,
		      u32 *syn);
u8 mlx5x_hw_check_mkc(const struct mlx5x_hca_cap *cap,
		      const struct mlx5x_mkc *mkc, u32 npas, const u64 *pas,
		      u32 *syn);
u8 mlx5x_hw_check_eqc(const struct mlx5x_hca_cap *cap,
		      const struct mlx5x_eqc *eqc, u32 npas, const u64 *pas,
		      u32 num_vectors, u32 *syn);
u8 mlx5x_hw_check_cqc(const struct mlx5x_hca_cap *cap,
		      const struct mlx5x_cqc *cqc, u32 npas, const u64 *pas,
		      u32 *syn);
u8 mlx5x_hw_check_qpc(const struct mlx5x_hca_cap *cap,
		      const struct mlx5x_qpc *qpc, u32 npas, const u64 *pas,
		      u32 *syn);
u8 mlx5x_hw_check_srqc(const struct mlx5x_hca_cap *cap,
			const struct mlx5x_srqc *srqc, u32 npas, const u64 *pas,
			u32 *syn);
u64 mlx5x_hw_qp_rq_bytes(const struct mlx5x_qpc *qpc);
u64 mlx5x_hw_qp_sq_bytes(const struct mlx5x_qpc *qpc);

/* Physical address of byte @off of a buffer described by a PAS. */
u64 mlx5x_hw_buf_pa(const u64 *pas, u8 log_page_size, u32 page_offset,
		    u64 off);
/* EQ producer side: owner bit for producer count @pc; room left. */
u8 mlx5x_hw_eqe_owner(u32 pc, u32 log_eq_size);
u32 mlx5x_hw_eq_used(u32 pc, u32 ci);
bool mlx5x_hw_eq_ci_ok(u32 pc, u32 old_ci, u32 new_ci);

/* ---- hw_qp_fsm.c: the QP state machine ---- */

struct mlx5x_hw_qp_trans {
	u16 opcode;
	u8 from;		/* MLX5X_QP_STATE_*, or ANY */
	u8 to;
	u32 required;		/* MLX5X_QP_OPT_* that must be set */
	u32 allowed;		/* superset of required */
	const char *name;
};

#define MLX5X_HW_QP_FROM_ANY	0xff

const struct mlx5x_hw_qp_trans *mlx5x_hw_qp_trans(u16 opcode);
u8 mlx5x_hw_qp_modify_check(const struct mlx5x_hca_cap *cap, u16 opcode,
			    u8 cur_state, u32 opt_mask,
			    const struct mlx5x_qpc *in, u32 *syn);
/* The same for a QP of service type @st (MLX5X_QP_ST_*). */
u8 mlx5x_hw_qp_modify_check_st(const struct mlx5x_hca_cap *cap, u8 st,
			       u16 opcode, u8 cur_state, u32 opt_mask,
			       const struct mlx5x_qpc *in, u32 *syn);
/* The required and allowed opt_mask bits of row @t for service type @st. */
void mlx5x_hw_qp_st_masks(const struct mlx5x_hw_qp_trans *t, u8 st,
			  u32 *required, u32 *allowed);
/* Apply a checked modify: the fields opt_mask names, then the state. */
void mlx5x_hw_qp_modify_apply(struct mlx5x_qpc *qpc, u16 opcode,
			      u32 opt_mask, const struct mlx5x_qpc *in);

#endif /* MLX5X_HW_CHECK_H */

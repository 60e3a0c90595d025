/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Syndromes: the device's detail on a failed command, returned in
 * mlx5x_cmd_out_hdr.syndrome next to the status. Each check the firmware
 * makes has its own value, so a failure in the driver's log names the rule
 * that was broken. The high byte of the low 16 bits is the area (object
 * kind), the low byte the check. MLX5X_SYN_QP_BAD_STATE is a base: the
 * QP's current state (MLX5X_QP_STATE_*) is added to it.
 */
#ifndef MLX5X_HW_SYNDROME_H
#define MLX5X_HW_SYNDROME_H

enum mlx5x_hw_syndrome {
	MLX5X_SYN_NONE			= 0,

	/* command level */
	MLX5X_SYN_BAD_OPCODE		= 0x0101,
	MLX5X_SYN_IN_LEN		= 0x0102, /* in_len != opcode's */
	MLX5X_SYN_OUT_LEN		= 0x0103, /* out_len < opcode's */
	MLX5X_SYN_NOT_INIT		= 0x0104, /* before INIT_HCA */
	MLX5X_SYN_ALREADY_INIT		= 0x0105, /* INIT_HCA twice */
	MLX5X_SYN_NO_MEM		= 0x0106, /* device out of memory */
	MLX5X_SYN_PAS_LEN		= 0x0107, /* PAS in in_len != npages */
	MLX5X_SYN_NO_IDS		= 0x0108, /* object table full */

	/* page address lists and buffers */
	MLX5X_SYN_PAGE_SIZE		= 0x0201, /* log_page_size !in [12,30] */
	MLX5X_SYN_PAGE_OFFSET		= 0x0202, /* page_offset >= page size */
	MLX5X_SYN_NPAGES		= 0x0203, /* MKey: != pages; ring: < */
	MLX5X_SYN_PAS_ALIGN		= 0x0204, /* entry not page aligned */
	MLX5X_SYN_PAS_ZERO		= 0x0205, /* entry is 0 */
	MLX5X_SYN_PAS_OVERFLOW		= 0x0206, /* entry + page size wraps */
	MLX5X_SYN_PAS_NOT_RAM		= 0x0207, /* not host memory */
	MLX5X_SYN_DBR_ALIGN		= 0x0208, /* dbr_addr 0 or not 8-aligned */
	MLX5X_SYN_DBR_NOT_RAM		= 0x0209,

	MLX5X_SYN_UAR_NOT_FOUND		= 0x0301,
	MLX5X_SYN_UAR_BUSY		= 0x0302, /* CQs or QPs use it */

	MLX5X_SYN_PD_NOT_FOUND		= 0x0401,
	MLX5X_SYN_PD_BUSY		= 0x0402, /* MKeys or QPs use it */

	MLX5X_SYN_MKEY_NOT_FOUND	= 0x0501,
	MLX5X_SYN_MKEY_ACCESS		= 0x0502, /* unknown access bits */
	MLX5X_SYN_MKEY_NEED_LWRITE	= 0x0503, /* RWRITE/ATOMIC w/o LWRITE */
	MLX5X_SYN_MKEY_LEN_ZERO		= 0x0504,
	MLX5X_SYN_MKEY_LEN_MAX		= 0x0505, /* > 1 << log_max_mr_size */
	MLX5X_SYN_MKEY_ADDR_WRAP	= 0x0506, /* start_addr + len wraps */
	MLX5X_SYN_MKEY_MW		= 0x0507, /* bad window or mw_type */
	/* physical-address MKeys (mw_type MLX5X_MKEY_PA) */
	MLX5X_SYN_MKEY_PA_CAP		= 0x0508, /* no MLX5X_CAP_FLAG_GSI */
	MLX5X_SYN_MKEY_PA_RANGE		= 0x0509, /* start_addr 0, len ~0 */
	MLX5X_SYN_MKEY_PA_PAGES		= 0x050a, /* PAS or page fields set */
	MLX5X_SYN_MKEY_PA_ACCESS	= 0x050b, /* more than LOCAL_WRITE */
	MLX5X_SYN_MKEY_PA_RSVD		= 0x050c, /* reserved bytes not 0 */

	MLX5X_SYN_EQ_NOT_FOUND		= 0x0601,
	MLX5X_SYN_EQ_BUSY		= 0x0602, /* CQs report to it */
	MLX5X_SYN_EQ_LOG_SIZE		= 0x0603,
	MLX5X_SYN_EQ_INTR		= 0x0604, /* intr >= num_vectors */
	MLX5X_SYN_EQ_EVENT_MASK		= 0x0605, /* 0 or unknown bits */

	MLX5X_SYN_CQ_NOT_FOUND		= 0x0701,
	MLX5X_SYN_CQ_BUSY		= 0x0702, /* QPs report to it */
	MLX5X_SYN_CQ_LOG_SIZE		= 0x0703,
	MLX5X_SYN_CQ_CQE_SIZE		= 0x0704, /* cqe_size != 64 */
	MLX5X_SYN_CQ_EQ_NOT_COMP	= 0x0705, /* EQ takes no COMP events */
	MLX5X_SYN_CQ_RESIZE_TOO_SMALL	= 0x0706, /* unconsumed CQEs won't fit */
	MLX5X_SYN_CQ_IN_ERROR		= 0x0707, /* overrun: CQ is broken */

	MLX5X_SYN_QP_NOT_FOUND		= 0x0801,
	MLX5X_SYN_QP_ST			= 0x0802, /* a type the firmware lacks */
	MLX5X_SYN_QP_LOG_SQ		= 0x0803,
	MLX5X_SYN_QP_LOG_RQ		= 0x0804,
	MLX5X_SYN_QP_RQ_STRIDE		= 0x0805, /* log_rq_stride !in [4,8] */
	MLX5X_SYN_QP_NO_QUEUES		= 0x0806, /* no_sq && no_rq */
	MLX5X_SYN_QP_FLAG		= 0x0807, /* no_sq/no_rq not 0/1 */
	MLX5X_SYN_QP_SRQ		= 0x0808, /* use_srq: with an RQ, or UC */
	MLX5X_SYN_QP_GSI		= 0x0809, /* gsi: not 0/1, not UD, no cap */
	MLX5X_SYN_QP_GSI_BUSY		= 0x080a, /* the GSI QP exists already */
	MLX5X_SYN_QP_RSVD		= 0x080b, /* reserved bytes not 0 */

	/* modify QP */
	MLX5X_SYN_QP_OPT_NOT_ALLOWED	= 0x0901,
	MLX5X_SYN_QP_OPT_MISSING	= 0x0902, /* a required field */
	MLX5X_SYN_QP_PKEY_INDEX		= 0x0903,
	MLX5X_SYN_QP_PORT		= 0x0904,
	MLX5X_SYN_QP_ACCESS		= 0x0905,
	MLX5X_SYN_QP_MTU		= 0x0906,
	MLX5X_SYN_QP_DEST_QPN		= 0x0907,
	MLX5X_SYN_QP_RQ_PSN		= 0x0908,
	MLX5X_SYN_QP_SQ_PSN		= 0x0909,
	MLX5X_SYN_QP_MIN_RNR		= 0x090a,
	MLX5X_SYN_QP_TIMEOUT		= 0x090b,
	MLX5X_SYN_QP_RETRY		= 0x090c,
	MLX5X_SYN_QP_RNR_RETRY		= 0x090d,
	MLX5X_SYN_QP_MAX_RD_ATOMIC	= 0x090e,
	MLX5X_SYN_QP_MAX_DEST_RD_ATOMIC	= 0x090f,
	MLX5X_SYN_QP_SGID_INDEX		= 0x0910,
	MLX5X_SYN_QP_AV			= 0x0911, /* grh/sl/flow_label range */
	MLX5X_SYN_QP_SQD_EVENT		= 0x0912, /* sqd_event not 0/1 */
	MLX5X_SYN_QP_BAD_STATE		= 0x0920, /* + current state */

	MLX5X_SYN_SRQ_NOT_FOUND		= 0x0b00,
	MLX5X_SYN_SRQ_LOG_SIZE		= 0x0b01,
	MLX5X_SYN_SRQ_STRIDE		= 0x0b02, /* log_wqe_stride !in [5,8] */
	MLX5X_SYN_SRQ_BUSY		= 0x0b03, /* QPs take receives from it */
	MLX5X_SYN_SRQ_LWM		= 0x0b04, /* lwm >= slots */
	MLX5X_SYN_SRQ_STATE		= 0x0b05, /* state set at create */

	/* GID table */
	MLX5X_SYN_GID_INDEX		= 0x0a01, /* index >= gid_table_size */
	MLX5X_SYN_GID_VALID		= 0x0a02, /* valid not 0/1 */
};

#endif /* MLX5X_HW_SYNDROME_H */

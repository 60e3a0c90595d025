/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The pure half of the WQE engine: decoding and checking what the process
 * wrote (send and receive WQEs), the MKey range and page-walk arithmetic,
 * the CQE owner/arm rules and the RNR and ACK timer encodings. No kernel service is
 * used here (hw_compat.h only), so hw_wqe.c and hw_range.c build into
 * mlx5x.ko and into tests/unit/hw. See hw_sq.c for the engine itself.
 */
#ifndef MLX5X_HW_ENG_H
#define MLX5X_HW_ENG_H

#include "hw_check.h"
#include <rdma/mlx5x_wqe.h>

/*
 * Work completion status: the numeric values of enum ibv_wc_status
 * (rdma-core verbs.h; enum ib_wc_status in the kernel has the same ones).
 * mlx5x_cqe.status carries them as they are.
 */
enum mlx5x_hw_wc_status {
	MLX5X_WC_SUCCESS		= 0,
	MLX5X_WC_LOC_LEN_ERR		= 1,
	MLX5X_WC_LOC_QP_OP_ERR		= 2,
	MLX5X_WC_LOC_PROT_ERR		= 4,
	MLX5X_WC_WR_FLUSH_ERR		= 5,
	MLX5X_WC_MW_BIND_ERR		= 6,
	MLX5X_WC_BAD_RESP_ERR		= 7,
	MLX5X_WC_LOC_ACCESS_ERR		= 8,
	MLX5X_WC_REM_INV_REQ_ERR	= 9,
	MLX5X_WC_REM_ACCESS_ERR		= 10,
	MLX5X_WC_REM_OP_ERR		= 11,
	MLX5X_WC_RETRY_EXC_ERR		= 12,
	MLX5X_WC_RNR_RETRY_EXC_ERR	= 13,
	MLX5X_WC_GENERAL_ERR		= 21,
};

/*
 * Why a WQE was refused (mlx5x_cqe.vendor_err of its error CQE, and the
 * tracepoint): one value per rule, 0 = accepted.
 */
enum mlx5x_hw_wqe_err {
	MLX5X_WQE_OK = 0,
	MLX5X_WQE_BAD_OPCODE,		/* unknown or unsupported opcode */
	MLX5X_WQE_BAD_DS,		/* ds 0, > ring, > MAX_WQE_BBS */
	MLX5X_WQE_DS_MISMATCH,		/* segments don't fill ds exactly */
	MLX5X_WQE_BAD_QPN,		/* ctrl qpn != the QP */
	MLX5X_WQE_BAD_INDEX,		/* wqe_index != producer index */
	MLX5X_WQE_TOO_MANY_SGE,		/* > max_sge */
	MLX5X_WQE_INLINE_LEN,		/* > max_inline_data or past ds */
	MLX5X_WQE_INLINE_NOT_ALLOWED,	/* READ, atomics */
	MLX5X_WQE_MSG_TOO_LONG,		/* > 1 << log_max_msg, UD: > MTU */
	MLX5X_WQE_ATOMIC_LEN,		/* atomic local SGE != 8 bytes */
	MLX5X_WQE_RING_OVERRUN,		/* producer further than ring size */
	MLX5X_WQE_ERR_NUM,
};

#define MLX5X_HW_MAX_SGE	16	/* max_sge_sq, max_sge_rq (hw_cmdtab.c) */

/* What the engine executes: a WQE as decoded from a private copy. */
struct mlx5x_hw_wqe {
	u8 opcode;
	u8 flags;			/* MLX5X_WQE_CTRL_* */
	u16 wqe_index;
	u32 ds;				/* 16-byte units incl. ctrl */
	u32 nbbs;			/* WQEBBs taken in the ring */
	u32 imm;
	u64 raddr;			/* RDMA and atomics */
	u32 rkey;
	u64 swap_add;			/* atomics */
	u64 compare;
	struct mlx5x_wqe_datagram_seg dgram;	/* UD */
	u32 nsge;			/* data segments (0 with inline) */
	struct mlx5x_wqe_data_seg sge[MLX5X_HW_MAX_SGE];
	const u8 *inline_data;		/* into the copy the WQE came from */
	u32 inline_len;
	bool is_inline;
	u64 length;			/* message bytes */
	struct mlx5x_wqe_bind_seg bind;	/* BIND_MW */
};

struct mlx5x_hw_wqe_limits {
	u32 qpn;
	u16 expect_index;		/* the engine's producer index */
	u32 max_sge;
	u32 max_inline;
	u32 log_max_msg;
	u32 sq_wqebbs;			/* 1 << log_sq_size */
	bool atomics;			/* atomics implemented */
	bool mw;			/* windows, LOCAL_INV, SEND_INVAL */
	u8 st;				/* MLX5X_QP_ST_* of the QP */
	u32 ud_max_msg;			/* UD: path MTU bytes (0: no limit) */
};

/* hw_wqe.c */
/* WQEBBs a WQE whose ctrl says @qpn_ds takes, or 0 if it cannot be one. */
u32 mlx5x_hw_wqe_nbbs(u32 qpn_ds, u32 sq_wqebbs);
/*
 * Decode and check the send WQE in @buf (@len bytes = nbbs * 64, already
 * out of the process's reach). Returns enum mlx5x_hw_wqe_err; @w is
 * filled as far as decoding went (opcode and wqe_index always).
 */
int mlx5x_hw_wqe_parse(const void *buf, u32 len,
		       const struct mlx5x_hw_wqe_limits *lim,
		       struct mlx5x_hw_wqe *w);
/*
 * Decode a receive WQE (@stride bytes, a private copy): up to @max_sge
 * data segments, ended early by MLX5X_INVALID_LKEY. Returns the number of
 * segments, or -1 if more than @max_sge are live; *total gets the bytes.
 */
int mlx5x_hw_recv_parse(const void *buf, u32 stride, u32 max_sge,
			struct mlx5x_wqe_data_seg *sge, u64 *total);

/* The requester CQE's byte_cnt for a completed WQE. */
u32 mlx5x_hw_wqe_byte_cnt(const struct mlx5x_hw_wqe *w);
/* IB's 5-bit min RNR NAK timer field in microseconds (0 = 655.36 ms). */
u32 mlx5x_hw_rnr_timer_us(u8 field);
/* Retries left after one more RNR NAK; 7 means infinite (stays 7). */
u8 mlx5x_hw_rnr_next(u8 left);
/*
 * The 5-bit local ACK timeout field in nanoseconds (4.096 us * 2^field);
 * 0 for field 0: no timeout, the requester waits for ever.
 */
u64 mlx5x_hw_ack_timeout_ns(u8 field);

/* CQ producer side: owner bit of CQE number @pc; whether it may be written. */
u8 mlx5x_hw_cqe_owner(u32 pc, u32 log_cq_size);
bool mlx5x_hw_cq_has_room(u32 pc, u32 ci, u32 log_cq_size);
/* RESIZE_CQ: whether the CQEs [ci, pc) not consumed fit the new ring. */
bool mlx5x_hw_cq_resize_fits(u32 pc, u32 ci, u32 new_log_cq_size);
/*
 * Arming: @arm is the CQ dbrec ARM word; returns true if writing a CQE
 * (@solicited: a solicited or error CQE) fires an event. *last_sn is the
 * arm_sn fired last (MLX5X_HW_ARM_SN_NONE before the first) and is
 * updated when this returns true.
 */
bool mlx5x_hw_cq_arm_fires(u32 arm, bool solicited, u8 *last_sn);
#define MLX5X_HW_ARM_SN_NONE	0xff

/* hw_mw_rules.c: memory windows */

/* Why a bind or an invalidation was refused (vendor_err of its CQE). */
enum mlx5x_hw_mw_err {
	MLX5X_MW_OK = 0,
	MLX5X_MW_BAD_KEY = 0x20,	/* no window by that exact key */
	MLX5X_MW_NEW_KEY,		/* new key names another index */
	MLX5X_MW_BAD_TYPE,		/* not a window, or the wrong type */
	MLX5X_MW_BUSY,			/* type 2 window not free */
	MLX5X_MW_BAD_PD,		/* window, MR and QP PDs differ */
	MLX5X_MW_ZERO_LEN,		/* type 2 bind of 0 bytes */
	MLX5X_MW_BAD_MR,		/* no MR by that lkey */
	MLX5X_MW_NO_BIND,		/* MR lacks MLX5X_MKEY_MW_BIND */
	MLX5X_MW_NEED_LWRITE,		/* remote write/atomic, MR w/o LWRITE */
	MLX5X_MW_RANGE,			/* window outside the MR */
	MLX5X_MW_ACCESS,		/* unknown access bits */
	MLX5X_MW_NOT_BOUND_HERE,	/* remote invalidation: not this QP's */
};

/*
 * A bind of the window @mw (its MKC: type and PD; @type2_free: a type 2
 * window that is not bound) through a QP on @qp_pdn to the MR @mr (NULL:
 * none by that key) as @b asks. Returns enum mlx5x_hw_mw_err.
 */
int mlx5x_hw_mw_bind_check(const struct mlx5x_mkc *mw, bool type2_free,
			   u32 qp_pdn, const struct mlx5x_mkc *mr,
			   const struct mlx5x_wqe_bind_seg *b);
/*
 * An invalidation of the MKey @mkc by a QP on @qp_pdn: LOCAL_INV
 * (@remote false) or SEND_INVAL arriving at that QP (@remote, with
 * @bound_here: the window is bound through it). Returns enum mlx5x_hw_mw_err.
 */
int mlx5x_hw_mw_inval_check(const struct mlx5x_mkc *mkc, u32 qp_pdn,
			    bool remote, bool bound_here);

/* hw_grh.c: the GRH area of a UD receive (RoCE v2). */
struct mlx5x_hw_grh_args {
	const u8 *sgid;
	const u8 *dgid;
	u8 tclass;
	u8 hop_limit;
	u32 flow_label;
	u32 payload_len;		/* message bytes */
	bool imm;			/* an ImmDt header on the wire */
};

/* Whether @gid is IPv4-mapped (::ffff:a.b.c.d). */
bool mlx5x_hw_gid_is_v4(const u8 *gid);
u16 mlx5x_hw_ipv4_csum(const u8 *hdr, u32 len);
/* Fill the MLX5X_UD_GRH_SIZE bytes at @grh; returns MLX5X_CQE_L3_*. */
u8 mlx5x_hw_grh_build(u8 *grh, const struct mlx5x_hw_grh_args *a);

/* hw_range.c */

/* MKey access check results. */
enum {
	MLX5X_HW_MKEY_OK = 0,
	MLX5X_HW_MKEY_BAD_PD,
	MLX5X_HW_MKEY_BAD_ACCESS,
	MLX5X_HW_MKEY_BAD_RANGE,
};

/*
 * Whether [@addr, @addr + @len) may be used through the MKey described by
 * @mkc by a QP on PD @pdn needing @access (MLX5X_MKEY_* bits; 0 for a
 * local read). Overflow-safe.
 */
int mlx5x_hw_mkey_check(const struct mlx5x_mkc *mkc, u32 pdn, u32 access,
			u64 addr, u64 len);

/*
 * A segment of memory the engine copies from or to, @len bytes: a buffer
 * described by a PAS (@pas, @log_page_size; byte @off of the buffer
 * counted from the start of the first PAS page, i.e. page_offset
 * included), host physical memory from address @off (@phys: a PA MKey),
 * or a kernel buffer (@kbuf, neither of the others).
 */
struct mlx5x_hw_seg {
	const u64 *pas;
	u8 *kbuf;
	bool phys;
	u8 log_page_size;
	u64 off;
	u64 len;
};

/*
 * The segment of @len bytes at IOVA @addr of a checked MKey (PAS, or
 * physical for a PA MKey).
 */
void mlx5x_hw_mkey_seg(const struct mlx5x_mkc *mkc, const u64 *pas,
		       u64 addr, u64 len, struct mlx5x_hw_seg *seg);

/* A position in a list of segments. */
struct mlx5x_hw_cursor {
	const struct mlx5x_hw_seg *seg;
	u32 nseg;
	u32 i;				/* current segment */
	u64 pos;			/* bytes into it */
};

void mlx5x_hw_cursor_init(struct mlx5x_hw_cursor *c,
			  const struct mlx5x_hw_seg *seg, u32 nseg);
/*
 * The next contiguous piece at the cursor: at most @max bytes, never
 * crossing a PAS page or a host page of 1 << @log_host_page bytes. Sets
 * *pa (PAS or physical segment) or *kp (kernel buffer); 0 at the end.
 */
u64 mlx5x_hw_cursor_peek(struct mlx5x_hw_cursor *c, u32 log_host_page,
			 u64 max, u64 *pa, u8 **kp);
void mlx5x_hw_cursor_advance(struct mlx5x_hw_cursor *c, u64 n);

#endif /* MLX5X_HW_ENG_H */

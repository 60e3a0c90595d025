/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * mlx5x data-path formats: what the provider writes and the device reads
 * (WQEs, doorbell records, the UAR page) and what the device writes and the
 * provider reads (CQEs). One definition for both; host-endian, since the
 * device model and the process share one host.
 *
 * Send queue: a ring of 64-byte basic blocks (WQEBB). A send WQE is a
 * control segment followed by 16-byte segments, padded to whole WQEBBs:
 *
 *   ctrl | [raddr] | [atomic] | data... or inline
 *
 *   RDMA_WRITE(_IMM), RDMA_READ:  ctrl, raddr, data/inline
 *   ATOMIC_CS, ATOMIC_FA:          ctrl, raddr, atomic, one 8-byte data
 *   SEND(_IMM, _INVAL):            ctrl, data/inline
 *   LOCAL_INV:                     ctrl (imm = the key to invalidate)
 *   BIND_MW:                       ctrl, bind (two 16-byte units)
 *   UD SEND(_IMM):                 ctrl, datagram (2 segments), data/inline
 *
 * A WQE may wrap around the end of the ring: WQEBB i of a WQE that starts
 * at producer index pi is at ((pi + i) & (sq_wqe_cnt - 1)).
 *
 * Receive queue: a ring of WQEs of (1 << log_rq_stride) bytes, each an
 * array of data segments; a segment with lkey MLX5X_INVALID_LKEY ends the
 * list early.
 *
 * Shared receive queue: a ring of WQE slots of (1 << log_wqe_stride)
 * bytes, each a next segment then data segments as in an RQ WQE. The
 * free slots form a list linked by next_wqe_index, as on mlx5: the device
 * takes the slot it is at, then follows that slot's next_wqe_index (read
 * from its copy, masked to the ring). The provider posts at the head of
 * the list and appends a slot whose receive completed at the tail, one
 * slot always staying free at the tail so the list never runs dry. A
 * receive CQE of a QP on an SRQ carries the slot index in wqe_counter.
 *
 * Doorbell records (8 bytes, in user memory):
 *   QP: word MLX5X_QP_DBREC_RCV = receive producer counter (WQEs),
 *       word MLX5X_QP_DBREC_SND = send producer counter (WQEBBs);
 *       both 16-bit counters in the low 16 bits, written with release
 *       ordering after the WQEs.
 *   SRQ: word MLX5X_SRQ_DBREC_CNT = WQEs posted (low 16 bits), written
 *       with release ordering after the WQEs.
 *   CQ: word MLX5X_CQ_DBREC_CI  = consumer index (low 24 bits),
 *       word MLX5X_CQ_DBREC_ARM = arm_sn << 28 | arm_cmd << 24 | ci.
 *
 * Ringing the send doorbell: store the SQ dbrec, then (full barrier) read
 * uar->need_wakeup; if MLX5X_UAR_NEED_WAKEUP is set, the device's poller
 * sleeps: kick it (the uverbs POST_SEND write with no work requests on
 * the QP). Otherwise the poller will see the dbrec on its own.
 *
 * CQEs: 64 bytes, owner bit = bit 0 of the last byte. Every CQE starts
 * with owner 1; the device writes CQE number pc with owner
 * (pc >> log_cq_size) & 1, body first and the owner byte last (release);
 * software owns the CQE at ci when its owner bit == (ci >> log_cq_size) & 1.
 *
 * Arming: the provider writes the ARM word (arm_sn, cmd, ci). When the
 * device writes a CQE and the ARM word holds a command with an arm_sn it
 * has not fired yet (NEXT: any CQE; SOLICITED: a solicited or error CQE),
 * it fires one completion event and remembers arm_sn. The provider bumps
 * arm_sn for each event it receives (ibv_get_cq_event).
 */
#ifndef MLX5X_WQE_H
#define MLX5X_WQE_H

#include <linux/types.h>

#define MLX5X_WQEBB_SIZE	64
#define MLX5X_WQE_SEG_SIZE	16
#define MLX5X_MAX_WQE_BBS	16	/* largest send WQE: 1 KiB */
#define MLX5X_INVALID_LKEY	0x100

/* Send WQE opcodes (mlx5x_wqe_ctrl_seg.opcode). */
enum {
	MLX5X_OPCODE_NOP		= 0x00,
	MLX5X_OPCODE_SEND_INVAL		= 0x01,
	MLX5X_OPCODE_RDMA_WRITE		= 0x08,
	MLX5X_OPCODE_RDMA_WRITE_IMM	= 0x09,
	MLX5X_OPCODE_SEND		= 0x0a,
	MLX5X_OPCODE_SEND_IMM		= 0x0b,
	MLX5X_OPCODE_RDMA_READ		= 0x10,
	MLX5X_OPCODE_ATOMIC_CS		= 0x11,
	MLX5X_OPCODE_ATOMIC_FA		= 0x12,
	MLX5X_OPCODE_LOCAL_INV		= 0x1b,
	MLX5X_OPCODE_BIND_MW		= 0x1c,
};

/* mlx5x_wqe_ctrl_seg.flags */
enum {
	MLX5X_WQE_CTRL_SIGNALED		= 1 << 0,	/* write a CQE */
	MLX5X_WQE_CTRL_SOLICITED	= 1 << 1,
	MLX5X_WQE_CTRL_FENCE		= 1 << 2,	/* after prior READ/atomics */
};

struct mlx5x_wqe_ctrl_seg {
	__u8 opcode;
	__u8 flags;
	__u16 wqe_index;	/* producer index (WQEBBs) of this WQE */
	__u32 qpn_ds;		/* qpn << 8 | size in 16-byte units incl. ctrl */
	__u32 imm;		/* immediate data, or the rkey to invalidate */
	__u32 rsvd;
};

struct mlx5x_wqe_raddr_seg {
	__u64 raddr;
	__u32 rkey;
	__u32 rsvd;
};

struct mlx5x_wqe_atomic_seg {
	__u64 swap_add;		/* swap value (CS) or addend (FA) */
	__u64 compare;		/* CS only */
};

struct mlx5x_wqe_data_seg {
	__u32 byte_count;
	__u32 lkey;
	__u64 addr;
};

/* The first 16 bytes of an SRQ WQE slot. */
struct mlx5x_wqe_srq_next_seg {
	__u16 next_wqe_index;
	__u8 rsvd[14];
};

/* SRQ doorbell record word (index in __u32 units). */
enum {
	MLX5X_SRQ_DBREC_CNT	= 0,
};

/*
 * BIND_MW: bind the window whose current key is mw_key to
 * [addr, addr + length) of the MR lkey mr_key, with the remote rights
 * MLX5X_BIND_* (no other bit). The window's new key is
 * (mw_key & ~0xff) | (new_key & 0xff); new_key's index must be mw_key's.
 * length 0 unbinds a type 1 window (a type 2 window refuses it).
 */
enum {
	MLX5X_BIND_REMOTE_READ		= 1U << 1,
	MLX5X_BIND_REMOTE_WRITE		= 1U << 2,
	MLX5X_BIND_REMOTE_ATOMIC	= 1U << 3,
	MLX5X_BIND_ACCESS_MASK		= 0xe,
};

struct mlx5x_wqe_bind_seg {
	__u32 mw_key;
	__u32 new_key;
	__u32 mr_key;
	__u32 access;		/* MLX5X_BIND_* */
	__u64 addr;
	__u64 length;
};

/*
 * Datagram segment of a UD send WQE (32 bytes, right after ctrl): the
 * address vector of the AH, the destination QP and the Q_Key. The provider
 * copies it from its AH (built in user memory, as mlx5 does). A qkey with
 * bit 31 set means "use the sending QP's own Q_Key" (IB spec). The device
 * routes by dgid (its fabric); sgid_index names an entry of the sending
 * device's GID table, resolved when the WQE runs.
 */
#define MLX5X_WQE_QKEY_FROM_QP		0x80000000U
#define MLX5X_AV_FLOW_LABEL_MASK	0xfffffU
#define MLX5X_AV_TCLASS_SHIFT		20

struct mlx5x_wqe_datagram_seg {
	__u8 dgid[16];
	__u32 dqpn;		/* 24 bits */
	__u32 qkey;
	__u32 tclass_flow;	/* traffic_class << 20 | flow_label */
	__u8 sgid_index;
	__u8 hop_limit;
	__u8 sl;
	__u8 rsvd;
};

/* Inline data: this header, then byte_count bytes, padded to 16 bytes. */
#define MLX5X_INLINE_SEG	0x80000000U

struct mlx5x_wqe_inline_seg {
	__u32 byte_count;	/* MLX5X_INLINE_SEG | length */
};

/* CQE opcodes (mlx5x_cqe.opcode). */
enum {
	MLX5X_CQE_REQ			= 0x0,	/* a send WQE completed */
	MLX5X_CQE_RESP_WR_IMM		= 0x1,	/* RDMA WRITE with immediate */
	MLX5X_CQE_RESP_SEND		= 0x2,
	MLX5X_CQE_RESP_SEND_IMM		= 0x3,
	MLX5X_CQE_RESP_SEND_INV		= 0x4,	/* imm_inval: invalidated rkey */
	MLX5X_CQE_REQ_ERR		= 0xd,	/* send side error or flush */
	MLX5X_CQE_RESP_ERR		= 0xe,	/* receive side error or flush */
};

/* mlx5x_cqe.flags */
enum {
	MLX5X_CQE_SOLICITED		= 1 << 0,
	MLX5X_CQE_GRH			= 1 << 1,	/* UD: 40-byte GRH first */
};

/* mlx5x_cqe.l3_type of a UD receive: the network header in the GRH. */
enum {
	MLX5X_CQE_L3_IB			= 0,
	MLX5X_CQE_L3_IPV4		= 1,
	MLX5X_CQE_L3_IPV6		= 2,
};

/* Bytes of the GRH area a UD receive WQE gets before the payload. */
#define MLX5X_UD_GRH_SIZE	40

/*
 * A CQE. For REQ/REQ_ERR CQEs wqe_counter is the wqe_index of the WQE
 * (send queue, WQEBB units) and send_opcode its opcode; for RESP CQEs
 * wqe_counter is the receive WQE's index. status is an enum ibv_wc_status
 * value (0 = success); vendor_err a device-specific detail. A UD receive
 * also has src_qp, sl, pkey_index, l3_type and MLX5X_CQE_GRH in flags; its
 * byte_cnt counts the 40-byte GRH area.
 */
struct mlx5x_cqe {
	__u32 imm_inval;	/* immediate data, or the invalidated rkey */
	__u32 byte_cnt;
	__u32 qpn;
	__u32 src_qp;
	__u16 wqe_counter;
	__u8 opcode;		/* MLX5X_CQE_* */
	__u8 send_opcode;	/* MLX5X_OPCODE_* of a REQ CQE */
	__u8 status;		/* enum ibv_wc_status */
	__u8 vendor_err;
	__u8 flags;		/* MLX5X_CQE_* flags */
	__u8 sl;
	__u16 pkey_index;
	__u8 l3_type;		/* MLX5X_CQE_L3_* */
	__u8 rsvd1[33];
	__u8 rsvd2[3];
	__u8 owner;		/* bit 0: owner; written last */
};

/* CQ doorbell record words (index in __u32 units). */
enum {
	MLX5X_CQ_DBREC_CI	= 0,
	MLX5X_CQ_DBREC_ARM	= 1,
};

enum {
	MLX5X_CQ_ARM_NEXT	= 1,
	MLX5X_CQ_ARM_SOLICITED	= 2,
};

#define MLX5X_CQ_ARM_SN_SHIFT	28
#define MLX5X_CQ_ARM_SN_MASK	0xf	/* arm_sn: bits 28..31 */
#define MLX5X_CQ_ARM_CMD_SHIFT	24
#define MLX5X_CQ_CI_MASK	0xffffffU

/* The UAR page, as the process maps it. */
struct mlx5x_uar {
	__u32 need_wakeup;	/* written by the device */
	__u32 rsvd0[15];
	__u32 sq_doorbell;	/* written by the provider: qpn, a hint */
	__u32 rsvd1[15];
};

#define MLX5X_UAR_NEED_WAKEUP	(1U << 0)

#endif /* MLX5X_WQE_H */

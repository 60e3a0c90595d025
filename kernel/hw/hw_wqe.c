// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Send and receive WQEs as the engine sees them: decoded from a private
 * copy (the process can rewrite its ring at any time, so nothing is read
 * from the ring twice), and checked against the QP and the device limits
 * before anything is executed. Also the small rules of the CQ producer
 * (owner bit, room, arming) and the RNR timer encoding. Pure code.
 */
#include "hw_eng.h"

u32 mlx5x_hw_wqe_nbbs(u32 qpn_ds, u32 sq_wqebbs)
{
	u32 ds = qpn_ds & 0xff;
	u32 nbbs = (ds * MLX5X_WQE_SEG_SIZE + MLX5X_WQEBB_SIZE - 1) /
		   MLX5X_WQEBB_SIZE;

	if (!ds || nbbs > MLX5X_MAX_WQE_BBS || nbbs > sq_wqebbs)
		return 0;
	return nbbs;
}

#define MLX5X_HW_DGRAM_SEGS	(sizeof(struct mlx5x_wqe_datagram_seg) / \
				 MLX5X_WQE_SEG_SIZE)

/*
 * Segments before the data: ctrl, then raddr and atomic as the opcode has
 * (RC, UC; BIND_MW: its bind segment, and no data), or the datagram
 * segment (UD). UD does SEND(_IMM) only; UC no READ, no atomics and no
 * SEND_INVAL (IB spec: the operations each service has). Windows and
 * LOCAL_INV are RC's only here (mlx5x offers windows on RC QPs).
 */
static int mlx5x_hw_wqe_hdr_segs(u8 opcode,
				 const struct mlx5x_hw_wqe_limits *lim)
{
	if (lim->st == MLX5X_QP_ST_UD) {
		if (opcode == MLX5X_OPCODE_NOP)
			return 1;
		if (opcode == MLX5X_OPCODE_SEND ||
		    opcode == MLX5X_OPCODE_SEND_IMM)
			return 1 + MLX5X_HW_DGRAM_SEGS;
		return -1;
	}
	if (lim->st == MLX5X_QP_ST_UC &&
	    (opcode == MLX5X_OPCODE_RDMA_READ ||
	     opcode == MLX5X_OPCODE_ATOMIC_CS ||
	     opcode == MLX5X_OPCODE_ATOMIC_FA ||
	     opcode == MLX5X_OPCODE_SEND_INVAL ||
	     opcode == MLX5X_OPCODE_LOCAL_INV ||
	     opcode == MLX5X_OPCODE_BIND_MW))
		return -1;
	switch (opcode) {
	case MLX5X_OPCODE_NOP:
	case MLX5X_OPCODE_SEND:
	case MLX5X_OPCODE_SEND_IMM:
		return 1;
	case MLX5X_OPCODE_SEND_INVAL:
	case MLX5X_OPCODE_LOCAL_INV:
		return lim->mw ? 1 : -1;
	case MLX5X_OPCODE_BIND_MW:
		return lim->mw ? 1 + (int)(sizeof(struct mlx5x_wqe_bind_seg) /
					   MLX5X_WQE_SEG_SIZE) : -1;
	case MLX5X_OPCODE_RDMA_WRITE:
	case MLX5X_OPCODE_RDMA_WRITE_IMM:
	case MLX5X_OPCODE_RDMA_READ:
		return 2;
	case MLX5X_OPCODE_ATOMIC_CS:
	case MLX5X_OPCODE_ATOMIC_FA:
		return lim->atomics ? 3 : -1;
	default:
		return -1;
	}
}

static bool mlx5x_hw_is_atomic(u8 opcode)
{
	return opcode == MLX5X_OPCODE_ATOMIC_CS ||
	       opcode == MLX5X_OPCODE_ATOMIC_FA;
}

/* The data part: one inline segment, or data segments; @p at its start. */
static int mlx5x_hw_wqe_data(const u8 *p, u32 nseg,
			     const struct mlx5x_hw_wqe_limits *lim,
			     struct mlx5x_hw_wqe *w)
{
	struct mlx5x_wqe_inline_seg ih;
	u32 i;

	if (nseg) {
		memcpy(&ih, p, sizeof(ih));
		if (ih.byte_count & MLX5X_INLINE_SEG) {
			u32 len = ih.byte_count & ~MLX5X_INLINE_SEG;
			u32 segs = (sizeof(ih) + len + MLX5X_WQE_SEG_SIZE - 1) /
				   MLX5X_WQE_SEG_SIZE;

			if (w->opcode == MLX5X_OPCODE_RDMA_READ ||
			    mlx5x_hw_is_atomic(w->opcode))
				return MLX5X_WQE_INLINE_NOT_ALLOWED;
			if (len > lim->max_inline || segs != nseg)
				return MLX5X_WQE_INLINE_LEN;
			w->is_inline = true;
			w->inline_data = p + sizeof(ih);
			w->inline_len = len;
			w->length = len;
			return MLX5X_WQE_OK;
		}
	}
	if (nseg > lim->max_sge || nseg > MLX5X_HW_MAX_SGE)
		return MLX5X_WQE_TOO_MANY_SGE;
	w->nsge = nseg;
	for (i = 0; i < nseg; i++) {
		memcpy(&w->sge[i], p + i * MLX5X_WQE_SEG_SIZE,
		       sizeof(w->sge[i]));
		w->length += w->sge[i].byte_count;
	}
	return MLX5X_WQE_OK;
}

int mlx5x_hw_wqe_parse(const void *buf, u32 len,
		       const struct mlx5x_hw_wqe_limits *lim,
		       struct mlx5x_hw_wqe *w)
{
	const u8 *p = buf;
	struct mlx5x_wqe_ctrl_seg ctrl;
	struct mlx5x_wqe_raddr_seg raddr;
	struct mlx5x_wqe_atomic_seg atomic;
	int hdr, err;

	memset(w, 0, sizeof(*w));
	if (len < sizeof(ctrl))
		return MLX5X_WQE_BAD_DS;
	memcpy(&ctrl, p, sizeof(ctrl));
	w->opcode = ctrl.opcode;
	w->flags = ctrl.flags;
	w->wqe_index = ctrl.wqe_index;
	w->imm = ctrl.imm;
	w->ds = ctrl.qpn_ds & 0xff;
	w->nbbs = mlx5x_hw_wqe_nbbs(ctrl.qpn_ds, lim->sq_wqebbs);
	if (!w->nbbs || w->nbbs * MLX5X_WQEBB_SIZE > len)
		return MLX5X_WQE_BAD_DS;
	hdr = mlx5x_hw_wqe_hdr_segs(ctrl.opcode, lim);
	if (hdr < 0)
		return MLX5X_WQE_BAD_OPCODE;
	if ((ctrl.qpn_ds >> 8) != lim->qpn)
		return MLX5X_WQE_BAD_QPN;
	if (ctrl.wqe_index != lim->expect_index)
		return MLX5X_WQE_BAD_INDEX;
	if (w->ds < (u32)hdr)
		return MLX5X_WQE_DS_MISMATCH;
	/* Opcodes without data: exactly their header segments. */
	if (ctrl.opcode == MLX5X_OPCODE_NOP ||
	    ctrl.opcode == MLX5X_OPCODE_LOCAL_INV ||
	    ctrl.opcode == MLX5X_OPCODE_BIND_MW) {
		if (w->ds != (u32)hdr)
			return MLX5X_WQE_DS_MISMATCH;
		if (ctrl.opcode == MLX5X_OPCODE_BIND_MW)
			memcpy(&w->bind, p + MLX5X_WQE_SEG_SIZE,
			       sizeof(w->bind));
		return MLX5X_WQE_OK;
	}

	p += MLX5X_WQE_SEG_SIZE;
	if (lim->st == MLX5X_QP_ST_UD) {
		memcpy(&w->dgram, p, sizeof(w->dgram));
		p += sizeof(w->dgram);
	} else if (hdr >= 2) {
		memcpy(&raddr, p, sizeof(raddr));
		w->raddr = raddr.raddr;
		w->rkey = raddr.rkey;
		p += MLX5X_WQE_SEG_SIZE;
	}
	if (lim->st != MLX5X_QP_ST_UD && hdr >= 3) {
		memcpy(&atomic, p, sizeof(atomic));
		w->swap_add = atomic.swap_add;
		w->compare = atomic.compare;
		p += MLX5X_WQE_SEG_SIZE;
	}
	err = mlx5x_hw_wqe_data(p, w->ds - hdr, lim, w);
	if (err)
		return err;
	if (mlx5x_hw_is_atomic(w->opcode) &&
	    (w->nsge != 1 || w->sge[0].byte_count != sizeof(u64)))
		return MLX5X_WQE_ATOMIC_LEN;
	if (lim->log_max_msg < 64 && w->length > (1ULL << lim->log_max_msg))
		return MLX5X_WQE_MSG_TOO_LONG;
	if (lim->st == MLX5X_QP_ST_UD && lim->ud_max_msg &&
	    w->length > lim->ud_max_msg)
		return MLX5X_WQE_MSG_TOO_LONG;
	return MLX5X_WQE_OK;
}

int mlx5x_hw_recv_parse(const void *buf, u32 stride, u32 max_sge,
			struct mlx5x_wqe_data_seg *sge, u64 *total)
{
	const u8 *p = buf;
	u32 i, n = stride / MLX5X_WQE_SEG_SIZE;
	int count = 0;

	*total = 0;
	for (i = 0; i < n; i++) {
		struct mlx5x_wqe_data_seg d;

		memcpy(&d, p + i * MLX5X_WQE_SEG_SIZE, sizeof(d));
		if (d.lkey == MLX5X_INVALID_LKEY)
			break;
		if ((u32)count >= max_sge)
			return -1;
		sge[count++] = d;
		*total += d.byte_count;
	}
	return count;
}

u32 mlx5x_hw_wqe_byte_cnt(const struct mlx5x_hw_wqe *w)
{
	switch (w->opcode) {
	case MLX5X_OPCODE_RDMA_READ:
		return (u32)w->length;
	case MLX5X_OPCODE_ATOMIC_CS:
	case MLX5X_OPCODE_ATOMIC_FA:
		return sizeof(u64);
	default:
		return 0;
	}
}

/* IB spec vol. 1, table "Encoding for RNR NAK timer field" (0.01 ms units). */
static const u32 mlx5x_hw_rnr_us[32] = {
	655360, 10, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 640, 960,
	1280, 1920, 2560, 3840, 5120, 7680, 10240, 15360, 20480, 30720,
	40960, 61440, 81920, 122880, 163840, 245760, 327680, 491520,
};

u32 mlx5x_hw_rnr_timer_us(u8 field)
{
	return mlx5x_hw_rnr_us[field & 31];
}

u8 mlx5x_hw_rnr_next(u8 left)
{
	if (left >= 7)
		return 7;
	return left ? left - 1 : 0;
}

/* IB: the local ACK timeout is 4.096 us * 2^timeout; 0 disables it. */
u64 mlx5x_hw_ack_timeout_ns(u8 field)
{
	field &= 31;
	return field ? 4096ULL << field : 0;
}

u8 mlx5x_hw_cqe_owner(u32 pc, u32 log_cq_size)
{
	return (pc >> log_cq_size) & 1;
}

/* Counts are modulo 2^24 (MLX5X_CQ_CI_MASK); log_cq_size <= 22. */
bool mlx5x_hw_cq_has_room(u32 pc, u32 ci, u32 log_cq_size)
{
	return ((pc - ci) & MLX5X_CQ_CI_MASK) < (1U << log_cq_size);
}

bool mlx5x_hw_cq_resize_fits(u32 pc, u32 ci, u32 new_log_cq_size)
{
	return ((pc - ci) & MLX5X_CQ_CI_MASK) <= (1U << new_log_cq_size);
}

bool mlx5x_hw_cq_arm_fires(u32 arm, bool solicited, u8 *last_sn)
{
	u8 cmd = (arm >> MLX5X_CQ_ARM_CMD_SHIFT) & 0xf;
	u8 sn = (arm >> MLX5X_CQ_ARM_SN_SHIFT) & 0xf;

	if (cmd != MLX5X_CQ_ARM_NEXT &&
	    !(cmd == MLX5X_CQ_ARM_SOLICITED && solicited))
		return false;
	if (*last_sn == sn)
		return false;
	*last_sn = sn;
	return true;
}

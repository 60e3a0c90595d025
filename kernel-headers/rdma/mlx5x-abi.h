/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * mlx5x uverbs ABI: the driver-specific part of each uverbs command and
 * response, shared by the mlx5x kernel module and the libmlx5x provider.
 * Each struct follows the core uverbs struct of the same command, with no
 * padding in between.
 */
#ifndef MLX5X_ABI_USER_H
#define MLX5X_ABI_USER_H

#include <linux/types.h>

#define MLX5X_UVERBS_ABI_VERSION	1

/* The parent device's modalias; the provider matches on it. */
#define MLX5X_MODALIAS			"platform:mlx5x"

/* Fixed data-path geometry. */
#define MLX5X_CQE_SIZE			64
#define MLX5X_SEND_WQE_BB		64
#define MLX5X_RECV_WQE_MIN_STRIDE	16
#define MLX5X_DBREC_SIZE		8

/* Doorbell record slots of a QP (index in __be32 / __u32 units). */
enum {
	MLX5X_QP_DBREC_RCV	= 0,
	MLX5X_QP_DBREC_SND	= 1,
};

struct mlx5x_alloc_ucontext_resp {
	__aligned_u64 uar_mmap_offset;	/* mmap() offset of the UAR page */
	__u32 uar_index;
	__u32 uar_size;			/* bytes */
	__u32 cqe_size;
	__u32 send_wqe_bb;
	__u32 max_send_wqebb;		/* per SQ */
	__u32 max_recv_wr;		/* per RQ */
	__u32 max_cqe;
	__u32 max_send_sge;
	__u32 max_recv_sge;
	__u32 max_inline_data;
	__u32 flags;
	__u32 reserved;
};

/*
 * CREATE_CQ: buf_addr is a user buffer of cqe count * cqe_size bytes, 64-byte
 * aligned; db_addr an 8-byte aligned doorbell record. The provider asks for
 * a power-of-two count of CQEs (the core's cqe field).
 */
struct mlx5x_create_cq {
	__aligned_u64 buf_addr;
	__aligned_u64 db_addr;
	__u32 cqe_size;
	__u32 reserved;
};

struct mlx5x_create_cq_resp {
	__u32 cqn;
	__u32 reserved;
};

/*
 * RESIZE_CQ: buf_addr is the new ring (the core's cqe field, a power of two,
 * times cqe_size bytes, 64-byte aligned); the doorbell record stays. The
 * response says where the device switched: CQEs with an index (mod 2^24)
 * below switch_pc, from the consumer index on, are in the old ring and the
 * provider moves them; later ones the device writes into the new ring.
 */
struct mlx5x_resize_cq {
	__aligned_u64 buf_addr;
	__u32 cqe_size;
	__u32 reserved;
};

struct mlx5x_resize_cq_resp {
	__u32 switch_pc;
	__u32 reserved;
};

/*
 * CREATE_QP: one buffer holds the receive queue (rq_wqe_cnt WQEs of
 * 1 << rq_wqe_shift bytes) at offset 0 and the send queue (sq_wqe_cnt basic
 * blocks of 64 bytes) right after it. Counts are powers of two. db_addr is
 * the 8-byte doorbell record (MLX5X_QP_DBREC_*).
 */
struct mlx5x_create_qp {
	__aligned_u64 buf_addr;
	__aligned_u64 db_addr;
	__u32 sq_wqe_cnt;
	__u32 rq_wqe_cnt;
	__u32 rq_wqe_shift;
	__u32 flags;
};

struct mlx5x_create_qp_resp {
	__u32 qpn;
	__u32 reserved;
};

/*
 * CREATE_SRQ: buf_addr is the ring of wqe_cnt WQE slots (a power of two,
 * at least max_wr + 1) of 1 << wqe_shift bytes (5 to 8), 64-byte aligned,
 * linked as <rdma/mlx5x_wqe.h> says; db_addr the 8-byte doorbell record.
 */
struct mlx5x_create_srq {
	__aligned_u64 buf_addr;
	__aligned_u64 db_addr;
	__u32 wqe_cnt;
	__u32 wqe_shift;
	__u32 flags;
	__u32 reserved;
};

struct mlx5x_create_srq_resp {
	__u32 srqn;
	__u32 reserved;
};

/*
 * CREATE_AH (no driver command): the destination MAC the kernel resolved.
 * The provider builds the address vector itself (mlx5x_wqe.h).
 */
struct mlx5x_create_ah_resp {
	__u8 dmac[6];
	__u8 reserved[2];
};

#endif /* MLX5X_ABI_USER_H */

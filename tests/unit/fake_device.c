// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The fake device of test_provider_datapath.c (see fake_device.h): SEND
 * and WRITE_IMM consume a receive WQE of the QP itself; WRITE, READ and
 * atomics act on process memory at the remote address.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_device.h"
#include "cqe.h"
#include "wqe.h"

void fcq_init(struct fcq *f, struct ibv_cq *cq)
{
	memset(f, 0, sizeof(*f));
	f->cq = cq;
	f->buf = (uint8_t *)(uintptr_t)mock.cq_drv.buf_addr;
	f->cnt = mock.cq_core.cqe;
	f->log = __builtin_ctz(f->cnt);
	f->db = (uint32_t *)(uintptr_t)mock.cq_drv.db_addr;
}

void fqp_init(struct fqp *f, struct ibv_qp *qp, struct fcq *scq,
	      struct fcq *rcq)
{
	memset(f, 0, sizeof(*f));
	f->qp = qp;
	f->rq = (uint8_t *)(uintptr_t)mock.qp_drv.buf_addr;
	f->rq_cnt = mock.qp_drv.rq_wqe_cnt;
	f->rq_shift = mock.qp_drv.rq_wqe_shift;
	f->sq = f->rq + ((size_t)f->rq_cnt << f->rq_shift);
	f->sq_cnt = mock.qp_drv.sq_wqe_cnt;
	f->db = (uint32_t *)(uintptr_t)mock.qp_drv.db_addr;
	f->scq = scq;
	f->rcq = rcq;
}

static void write_cqe(struct fcq *f, struct mlx5x_cqe *cqe)
{
	uint32_t ci = __atomic_load_n(&f->db[MLX5X_CQ_DBREC_CI],
				      __ATOMIC_ACQUIRE);
	uint8_t *slot = f->buf + (size_t)(f->pc & (f->cnt - 1)) * 64;

	CHECK("device: CQ not overrun",
	      ((f->pc - ci) & MLX5X_CQ_CI_MASK) < f->cnt);
	memcpy(slot, cqe, MLX5X_CQE_SIZE - 1);
	__atomic_store_n(&slot[MLX5X_CQE_SIZE - 1], (f->pc >> f->log) & 1,
			 __ATOMIC_RELEASE);
	f->pc++;
}

/* Copy ds 16-byte units of the WQE at WQEBB counter pi out of the ring. */
static void copy_wqe(const struct fqp *f, uint32_t pi, uint8_t *dst,
		     uint32_t ds)
{
	size_t size = (size_t)f->sq_cnt * MLX5X_WQEBB_SIZE;
	size_t off = (size_t)(pi & (f->sq_cnt - 1)) * MLX5X_WQEBB_SIZE;
	uint32_t i;

	for (i = 0; i < ds * 16; i++)
		dst[i] = f->sq[(off + i) & (size - 1)];
}

/* Gather the payload of data/inline segments at off of a linear WQE. */
static size_t gather(const uint8_t *w, uint32_t off, uint32_t ds,
		     uint8_t *out)
{
	size_t len = 0;
	uint32_t bc;

	while (off < ds * 16) {
		memcpy(&bc, w + off, 4);
		if (bc & MLX5X_INLINE_SEG) {
			bc &= ~MLX5X_INLINE_SEG;
			memcpy(out + len, w + off + 4, bc);
			return len + bc;
		} else {
			struct mlx5x_wqe_data_seg d;

			memcpy(&d, w + off, sizeof(d));
			memcpy(out + len, (void *)(uintptr_t)d.addr,
			       d.byte_count);
			len += d.byte_count;
			off += 16;
		}
	}
	return len;
}

/* Scatter into data segments at off (up to ds units or INVALID_LKEY). */
static void scatter(const uint8_t *w, uint32_t off, uint32_t ds,
		    const uint8_t *in, size_t len)
{
	struct mlx5x_wqe_data_seg d;

	while (len && off < ds * 16) {
		size_t n;

		memcpy(&d, w + off, sizeof(d));
		if (d.lkey == MLX5X_INVALID_LKEY)
			break;
		n = len < d.byte_count ? len : d.byte_count;
		memcpy((void *)(uintptr_t)d.addr, in, n);
		in += n;
		len -= n;
		off += 16;
	}
	CHECK_EQ("device: receive buffers big enough", len, 0);
}

/* Consume a receive WQE: scatter the payload, write the RESP CQE. */
static void receive(struct fqp *f, uint8_t opcode, uint32_t imm,
		    const uint8_t *payload, size_t len, bool scatter_it)
{
	uint32_t pc = __atomic_load_n(&f->db[MLX5X_QP_DBREC_RCV],
				      __ATOMIC_ACQUIRE) & 0xffff;
	struct mlx5x_cqe cqe = {};
	uint32_t stride = 1U << f->rq_shift;

	CHECK("device: a receive WQE is posted", (uint16_t)f->rq_ci != pc);
	if ((uint16_t)f->rq_ci == pc)
		return;
	if (scatter_it)
		scatter(f->rq + (size_t)(f->rq_ci & (f->rq_cnt - 1)) * stride,
			0, stride / 16, payload, len);
	cqe.opcode = opcode;
	cqe.imm_inval = imm;
	cqe.byte_cnt = len;
	cqe.qpn = f->qp->qp_num;
	cqe.src_qp = f->qp->qp_num;
	cqe.wqe_counter = f->rq_ci;
	write_cqe(f->rcq, &cqe);
	f->rq_ci++;
}

/* Execute every WQE the SQ dbrec announces. Returns how many. */
unsigned int run_sq(struct fqp *f)
{
	static uint8_t payload[1 << 16];
	unsigned int n = 0;
	uint32_t pc;

	while ((pc = __atomic_load_n(&f->db[MLX5X_QP_DBREC_SND],
				     __ATOMIC_ACQUIRE) & 0xffff) !=
	       (uint16_t)f->sq_ci) {
		struct mlx5x_wqe_ctrl_seg c;
		struct mlx5x_wqe_raddr_seg r;
		struct mlx5x_wqe_atomic_seg a;
		struct mlx5x_cqe cqe = {};
		size_t len = 0;
		uint32_t ds;
		uint64_t orig;

		copy_wqe(f, f->sq_ci, (uint8_t *)&c, 1);
		ds = c.qpn_ds & 0xff;
		CHECK_EQ("device: wqe_index", c.wqe_index, f->sq_ci & 0xffff);
		CHECK_EQ("device: qpn", c.qpn_ds >> 8, f->qp->qp_num);
		CHECK("device: WQE size", ds >= 1 &&
		      ds <= MLX5X_MAX_WQE_BBS * 4);
		copy_wqe(f, f->sq_ci, f->last, ds);
		f->last_ds = ds;
		memcpy(&r, f->last + 16, sizeof(r));

		if (f->fail_status) {
			cqe.opcode = MLX5X_CQE_REQ_ERR;
			cqe.status = f->fail_status;
			cqe.vendor_err = 0x42;
			f->fail_status = 0;
			goto complete;
		}
		switch (c.opcode) {
		case MLX5X_OPCODE_SEND:
		case MLX5X_OPCODE_SEND_IMM:
			len = gather(f->last, 16, ds, payload);
			receive(f, c.opcode == MLX5X_OPCODE_SEND ?
				MLX5X_CQE_RESP_SEND : MLX5X_CQE_RESP_SEND_IMM,
				c.imm, payload, len, true);
			break;
		case MLX5X_OPCODE_RDMA_WRITE:
		case MLX5X_OPCODE_RDMA_WRITE_IMM:
			len = gather(f->last, 32, ds, payload);
			memcpy((void *)(uintptr_t)r.raddr, payload, len);
			if (c.opcode == MLX5X_OPCODE_RDMA_WRITE_IMM)
				receive(f, MLX5X_CQE_RESP_WR_IMM, c.imm,
					payload, len, false);
			break;
		case MLX5X_OPCODE_RDMA_READ: {
			struct mlx5x_wqe_data_seg d;
			uint32_t off;

			for (off = 32; off < ds * 16; off += 16)
				len += ((struct mlx5x_wqe_data_seg *)
					(f->last + off))->byte_count;
			scatter(f->last, 32, ds, (void *)(uintptr_t)r.raddr,
				len);
			(void)d;
			cqe.byte_cnt = len;
			break;
		}
		case MLX5X_OPCODE_ATOMIC_CS:
		case MLX5X_OPCODE_ATOMIC_FA: {
			struct mlx5x_wqe_data_seg d;
			uint64_t *target = (uint64_t *)(uintptr_t)r.raddr;

			memcpy(&a, f->last + 32, sizeof(a));
			memcpy(&d, f->last + 48, sizeof(d));
			CHECK_EQ("device: atomic WQE size", ds, 4);
			CHECK_EQ("device: atomic data 8 bytes", d.byte_count, 8);
			orig = *target;
			if (c.opcode == MLX5X_OPCODE_ATOMIC_FA)
				*target = orig + a.swap_add;
			else if (orig == a.compare)
				*target = a.swap_add;
			memcpy((void *)(uintptr_t)d.addr, &orig, 8);
			cqe.byte_cnt = 8;
			break;
		}
		default:
			CHECK_EQ("device: known opcode", c.opcode, 0);
		}
		cqe.opcode = MLX5X_CQE_REQ;
complete:
		if ((c.flags & MLX5X_WQE_CTRL_SIGNALED) ||
		    cqe.opcode == MLX5X_CQE_REQ_ERR) {
			cqe.qpn = f->qp->qp_num;
			cqe.wqe_counter = c.wqe_index;
			cqe.send_opcode = c.opcode;
			write_cqe(f->scq, &cqe);
		}
		f->sq_ci += (ds * 16 + 63) / 64;
		n++;
	}
	return n;
}


// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The provider's data path against the mock kernel (provider_mock.c) and a
 * fake device written from <rdma/mlx5x_wqe.h> alone (fake_device.c).
 *
 * Proven here without a VM: the bytes of each WQE kind, ring wrap-around
 * (WQEs and inline data straddling the end, many passes), bad work
 * requests, CQE parsing across owner-bit passes, reclaiming unsignaled
 * WQEs, error CQEs, CQs shared by QPs, RESET, the arm word and events, the
 * NEED_WAKEUP kick, and the ibv_wr_* API.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_device.h"
#include "cqe.h"
#include "wqe.h"

/* ---------------------------------------------------------------------
 * Helpers
 */

static struct ibv_context *ctx;
static struct ibv_pd *pd;
static struct fcq main_fc;	/* the device's view of main()'s CQ */

static struct ibv_qp *make_qp(struct ibv_cq *scq, struct ibv_cq *rcq,
			      uint32_t send_wr, uint32_t send_sge,
			      uint32_t inl, uint32_t recv_wr,
			      uint32_t recv_sge, bool ex, bool sig_all)
{
	struct ibv_qp_init_attr_ex a = {
		.send_cq = scq,
		.recv_cq = rcq,
		.cap = {
			.max_send_wr = send_wr,
			.max_recv_wr = recv_wr,
			.max_send_sge = send_sge,
			.max_recv_sge = recv_sge,
			.max_inline_data = inl,
		},
		.qp_type = IBV_QPT_RC,
		.sq_sig_all = sig_all,
		.comp_mask = IBV_QP_INIT_ATTR_PD,
		.pd = pd,
	};

	if (ex) {
		a.comp_mask |= IBV_QP_INIT_ATTR_SEND_OPS_FLAGS;
		a.send_ops_flags = IBV_QP_EX_WITH_SEND |
				   IBV_QP_EX_WITH_SEND_WITH_IMM |
				   IBV_QP_EX_WITH_RDMA_WRITE |
				   IBV_QP_EX_WITH_RDMA_WRITE_WITH_IMM |
				   IBV_QP_EX_WITH_RDMA_READ |
				   IBV_QP_EX_WITH_ATOMIC_CMP_AND_SWP |
				   IBV_QP_EX_WITH_ATOMIC_FETCH_AND_ADD |
				   IBV_QP_EX_WITH_BIND_MW |
				   IBV_QP_EX_WITH_LOCAL_INV |
				   IBV_QP_EX_WITH_SEND_WITH_INV;
	}
	return ibv_create_qp_ex(ctx, &a);
}

static void to_rts(struct ibv_qp *qp)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_INIT };

	ibv_modify_qp(qp, &a, IBV_QP_STATE);
	a.qp_state = IBV_QPS_RTR;
	ibv_modify_qp(qp, &a, IBV_QP_STATE);
	a.qp_state = IBV_QPS_RTS;
	ibv_modify_qp(qp, &a, IBV_QP_STATE);
}

static int post_recv1(struct ibv_qp *qp, uint64_t wr_id, void *buf,
		      uint32_t len)
{
	struct ibv_sge sge = { (uintptr_t)buf, len, 0x11 };
	struct ibv_recv_wr wr = { .wr_id = wr_id, .sg_list = &sge,
				  .num_sge = 1 }, *bad;

	return ibv_post_recv(qp, &wr, &bad);
}

static uint8_t *sq_wqe(struct fqp *f, uint32_t pi)
{
	return f->sq + (size_t)(pi & (f->sq_cnt - 1)) * 64;
}

static uint32_t dbrec_snd(struct fqp *f)
{
	return f->db[MLX5X_QP_DBREC_SND];
}

/* ---------------------------------------------------------------------
 * Tests
 */

/* Every WQE kind byte for byte, read from the ring before the device. */
static void test_wqe_layout(struct fcq *fcp)
{
	struct ibv_cq *cq = fcp->cq;
	static uint64_t target, result;
	static char data[64], inl[40], rsrc[24] = "remote bytes to read...";
	struct mlx5x_uar *uar = mock.uar;
	struct ibv_sge sge[3] = {
		{ (uintptr_t)data, 16, 0x1001 },
		{ (uintptr_t)data + 16, 0, 0x1002 },	/* skipped */
		{ (uintptr_t)data + 32, 8, 0x1003 },
	};
	struct ibv_sge asge = { (uintptr_t)&result, 8, 0x2001 };
	struct ibv_send_wr wr, *bad;
	struct mlx5x_wqe_ctrl_seg ctrl;
	struct mlx5x_wqe_raddr_seg raddr;
	struct mlx5x_wqe_atomic_seg atom;
	struct mlx5x_wqe_data_seg d;
	struct fqp f;
	struct ibv_qp *qp;
	uint8_t *w;
	uint32_t qpn, inl_hdr;

	qp = make_qp(cq, cq, 16, 3, 40, 16, 1, false, false);
	CHECK("layout QP", qp);
	if (!qp)
		return;
	fqp_init(&f, qp, fcp, fcp);
	qpn = qp->qp_num;
	to_rts(qp);
	uar->need_wakeup = 0;
	mock.kicks = 0;

	/* SEND, signaled + solicited, 3 SGEs of which one empty. */
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = 1;
	wr.opcode = IBV_WR_SEND;
	wr.send_flags = IBV_SEND_SIGNALED | IBV_SEND_SOLICITED;
	wr.sg_list = sge;
	wr.num_sge = 3;
	CHECK_EQ("post SEND", ibv_post_send(qp, &wr, &bad), 0);
	w = sq_wqe(&f, 0);
	memcpy(&ctrl, w, 16);
	CHECK_EQ("SEND opcode", ctrl.opcode, MLX5X_OPCODE_SEND);
	CHECK_EQ("SEND flags", ctrl.flags,
		 MLX5X_WQE_CTRL_SIGNALED | MLX5X_WQE_CTRL_SOLICITED);
	CHECK_EQ("SEND wqe_index", ctrl.wqe_index, 0);
	CHECK_EQ("SEND qpn_ds", ctrl.qpn_ds, qpn << 8 | 3);
	CHECK_EQ("SEND imm", ctrl.imm, 0);
	memcpy(&d, w + 16, 16);
	CHECK("SEND data 0", d.byte_count == 16 && d.lkey == 0x1001 &&
	      d.addr == (uintptr_t)data);
	memcpy(&d, w + 32, 16);
	CHECK("SEND data 1 (empty SGE skipped)", d.byte_count == 8 &&
	      d.lkey == 0x1003 && d.addr == (uintptr_t)data + 32);
	CHECK_EQ("SQ dbrec after SEND", dbrec_snd(&f), 1);
	CHECK_EQ("uar sq_doorbell hint", uar->sq_doorbell, qpn);
	CHECK_EQ("no kick while the poller is awake", mock.kicks, 0);

	/* SEND_WITH_IMM, unsignaled, fenced, no SGE: a bare ctrl. */
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = 2;
	wr.opcode = IBV_WR_SEND_WITH_IMM;
	wr.send_flags = IBV_SEND_FENCE;
	wr.imm_data = htobe32(0xa1b2c3d4);
	CHECK_EQ("post SEND_IMM", ibv_post_send(qp, &wr, &bad), 0);
	w = sq_wqe(&f, 1);
	memcpy(&ctrl, w, 16);
	CHECK_EQ("SEND_IMM opcode", ctrl.opcode, MLX5X_OPCODE_SEND_IMM);
	CHECK_EQ("SEND_IMM flags", ctrl.flags, MLX5X_WQE_CTRL_FENCE);
	CHECK_EQ("SEND_IMM qpn_ds", ctrl.qpn_ds, qpn << 8 | 1);
	CHECK_EQ("SEND_IMM imm as the WR's bytes", ctrl.imm,
		 htobe32(0xa1b2c3d4));
	CHECK_EQ("SEND_IMM wqe_index", ctrl.wqe_index, 1);

	/* RDMA_WRITE_WITH_IMM inline: ctrl, raddr, inline (4 + 40 -> 48). */
	memset(inl, 0x5a, sizeof(inl));
	sge[0] = (struct ibv_sge){ (uintptr_t)inl, 30, 0 };
	sge[1] = (struct ibv_sge){ (uintptr_t)inl + 30, 10, 0 };
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = 3;
	wr.opcode = IBV_WR_RDMA_WRITE_WITH_IMM;
	wr.send_flags = IBV_SEND_INLINE | IBV_SEND_SIGNALED;
	wr.imm_data = htobe32(7);
	wr.sg_list = sge;
	wr.num_sge = 2;
	wr.wr.rdma.remote_addr = (uintptr_t)data;
	wr.wr.rdma.rkey = 0x3003;
	CHECK_EQ("post WRITE_IMM inline", ibv_post_send(qp, &wr, &bad), 0);
	w = sq_wqe(&f, 2);
	memcpy(&ctrl, w, 16);
	CHECK_EQ("WRITE_IMM opcode", ctrl.opcode, MLX5X_OPCODE_RDMA_WRITE_IMM);
	CHECK_EQ("WRITE_IMM qpn_ds", ctrl.qpn_ds, qpn << 8 | (1 + 1 + 3));
	memcpy(&raddr, w + 16, 16);
	CHECK("WRITE_IMM raddr", raddr.raddr == (uintptr_t)data &&
	      raddr.rkey == 0x3003 && raddr.rsvd == 0);
	memcpy(&inl_hdr, w + 32, 4);
	CHECK_EQ("inline header", inl_hdr, MLX5X_INLINE_SEG | 40);
	CHECK("inline bytes", !memcmp(w + 36, inl, 40));
	CHECK_EQ("SQ dbrec: WRITE_IMM took 2 WQEBBs", dbrec_snd(&f), 4);

	/* RDMA_READ. */
	sge[0] = (struct ibv_sge){ (uintptr_t)data, 24, 0x1001 };
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = 4;
	wr.opcode = IBV_WR_RDMA_READ;
	wr.send_flags = IBV_SEND_SIGNALED | IBV_SEND_INLINE; /* ignored */
	wr.sg_list = sge;
	wr.num_sge = 1;
	wr.wr.rdma.remote_addr = (uintptr_t)rsrc;
	wr.wr.rdma.rkey = 0x4004;
	CHECK_EQ("post READ", ibv_post_send(qp, &wr, &bad), 0);
	w = sq_wqe(&f, 4);
	memcpy(&ctrl, w, 16);
	CHECK_EQ("READ opcode", ctrl.opcode, MLX5X_OPCODE_RDMA_READ);
	CHECK_EQ("READ qpn_ds", ctrl.qpn_ds, qpn << 8 | 3);
	memcpy(&raddr, w + 16, 16);
	CHECK("READ raddr", raddr.raddr == (uintptr_t)rsrc &&
	      raddr.rkey == 0x4004);
	memcpy(&d, w + 32, 16);
	CHECK("READ data (INLINE ignored)", d.byte_count == 24 &&
	      d.lkey == 0x1001);

	/* Atomics: ctrl, raddr, atomic, one 8-byte data segment. */
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = 5;
	wr.opcode = IBV_WR_ATOMIC_CMP_AND_SWP;
	wr.send_flags = IBV_SEND_SIGNALED;
	wr.sg_list = &asge;
	wr.num_sge = 1;
	wr.wr.atomic.remote_addr = (uintptr_t)&target;
	wr.wr.atomic.rkey = 0x5005;
	wr.wr.atomic.compare_add = 0;
	wr.wr.atomic.swap = 0x1111;
	CHECK_EQ("post CMP_SWP", ibv_post_send(qp, &wr, &bad), 0);
	w = sq_wqe(&f, 5);
	memcpy(&ctrl, w, 16);
	CHECK_EQ("CS opcode", ctrl.opcode, MLX5X_OPCODE_ATOMIC_CS);
	CHECK_EQ("CS qpn_ds", ctrl.qpn_ds, qpn << 8 | 4);
	memcpy(&atom, w + 32, 16);
	CHECK("CS atomic seg", atom.swap_add == 0x1111 && atom.compare == 0);
	memcpy(&d, w + 48, 16);
	CHECK("CS data", d.byte_count == 8 && d.lkey == 0x2001 &&
	      d.addr == (uintptr_t)&result);

	wr.wr_id = 6;
	wr.opcode = IBV_WR_ATOMIC_FETCH_AND_ADD;
	wr.wr.atomic.compare_add = 5;
	CHECK_EQ("post FETCH_ADD", ibv_post_send(qp, &wr, &bad), 0);
	w = sq_wqe(&f, 6);
	memcpy(&ctrl, w, 16);
	CHECK_EQ("FA opcode", ctrl.opcode, MLX5X_OPCODE_ATOMIC_FA);
	memcpy(&atom, w + 32, 16);
	CHECK("FA atomic seg", atom.swap_add == 5 && atom.compare == 0);

	/* RDMA_WRITE with no SGE: ctrl + raddr. Kick when NEED_WAKEUP. */
	uar->need_wakeup = MLX5X_UAR_NEED_WAKEUP;
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = 7;
	wr.opcode = IBV_WR_RDMA_WRITE;
	wr.send_flags = IBV_SEND_SIGNALED;
	wr.wr.rdma.remote_addr = (uintptr_t)data;
	wr.wr.rdma.rkey = 0x6006;
	CHECK_EQ("post zero-byte WRITE", ibv_post_send(qp, &wr, &bad), 0);
	memcpy(&ctrl, sq_wqe(&f, 7), 16);
	CHECK_EQ("WRITE qpn_ds", ctrl.qpn_ds, qpn << 8 | 2);
	CHECK_EQ("kicked once", mock.kicks, 1);
	CHECK_EQ("kick qp_handle", mock.last_kick.qp_handle, qp->handle);
	CHECK_EQ("kick wr_count", mock.last_kick.wr_count, 0);
	CHECK_EQ("kick sge_count", mock.last_kick.sge_count, 0);
	CHECK_EQ("kick wqe_size", mock.last_kick.wqe_size,
		 sizeof(struct ib_uverbs_send_wr));
	CHECK_EQ("kick: POST_SEND header", mock.in_bytes[IB_USER_VERBS_CMD_POST_SEND],
		 8 + 24);
	CHECK_EQ("kick: response words", mock.out_bytes[IB_USER_VERBS_CMD_POST_SEND],
		 4);
	uar->need_wakeup = 0;

	/* The device executes them; the completions say what was posted. */
	{
		struct ibv_wc wc[8];
		static char rbuf[64];
		int n;

		post_recv1(qp, 100, rbuf, sizeof(rbuf));
		post_recv1(qp, 101, rbuf, sizeof(rbuf));
		post_recv1(qp, 102, rbuf, sizeof(rbuf));
		target = 0;
		CHECK_EQ("device ran 7 WQEs", run_sq(&f), 7);
		n = ibv_poll_cq(cq, 8, wc);
		CHECK_EQ("completions", n, 8);
		if (n == 8) {
			/* recv 100 (SEND), SEND 1, recv 101 (SEND_IMM),
			 * recv 102 (WRITE_IMM), WRITE_IMM 3, READ 4, CS 5,
			 * FA 6, WRITE 7: 9 CQEs, 8 polled. */
			CHECK_EQ("wc0 wr_id", wc[0].wr_id, 100);
			CHECK_EQ("wc0 opcode", wc[0].opcode, IBV_WC_RECV);
			CHECK_EQ("wc0 byte_len", wc[0].byte_len, 24);
			CHECK_EQ("wc0 qp_num", wc[0].qp_num, qpn);
			CHECK_EQ("wc0 src_qp", wc[0].src_qp, qpn);
			CHECK_EQ("wc1 wr_id", wc[1].wr_id, 1);
			CHECK_EQ("wc1 opcode", wc[1].opcode, IBV_WC_SEND);
			CHECK_EQ("wc2 wr_id", wc[2].wr_id, 101);
			CHECK_EQ("wc2 flags", wc[2].wc_flags, IBV_WC_WITH_IMM);
			CHECK_EQ("wc2 imm (network order kept)", wc[2].imm_data,
				 htobe32(0xa1b2c3d4));
			CHECK_EQ("wc2 byte_len", wc[2].byte_len, 0);
			CHECK_EQ("wc3 wr_id", wc[3].wr_id, 102);
			CHECK_EQ("wc3 opcode", wc[3].opcode,
				 IBV_WC_RECV_RDMA_WITH_IMM);
			CHECK_EQ("wc3 imm", wc[3].imm_data, htobe32(7));
			CHECK_EQ("wc3 byte_len", wc[3].byte_len, 40);
			CHECK_EQ("wc4 wr_id", wc[4].wr_id, 3);
			CHECK_EQ("wc4 opcode", wc[4].opcode, IBV_WC_RDMA_WRITE);
			CHECK_EQ("wc5 wr_id", wc[5].wr_id, 4);
			CHECK_EQ("wc5 opcode", wc[5].opcode, IBV_WC_RDMA_READ);
			CHECK_EQ("wc5 byte_len", wc[5].byte_len, 24);
			CHECK_EQ("wc6 opcode", wc[6].opcode, IBV_WC_COMP_SWAP);
			CHECK_EQ("wc6 byte_len", wc[6].byte_len, 8);
			CHECK_EQ("wc7 opcode", wc[7].opcode, IBV_WC_FETCH_ADD);
		}
		n = ibv_poll_cq(cq, 8, wc);
		CHECK_EQ("the last completion", n, 1);
		if (n == 1) {
			CHECK_EQ("wc8 wr_id", wc[0].wr_id, 7);
			CHECK_EQ("wc8 opcode", wc[0].opcode, IBV_WC_RDMA_WRITE);
		}
		CHECK("READ landed", !memcmp(data, rsrc, 24));
		CHECK_EQ("atomics ran: 0 -> 0x1111 -> +5", target, 0x1116);
		CHECK_EQ("FA fetched 0x1111", result, 0x1111);
		CHECK_EQ("CQ CI dbrec", fcp->db[MLX5X_CQ_DBREC_CI], fcp->pc);
		CHECK_EQ("empty", ibv_poll_cq(cq, 8, wc), 0);
	}
	CHECK_EQ("destroy layout QP", ibv_destroy_qp(qp), 0);
}

/* Bad work requests: errno, bad_wr, and the WRs before it posted. */
static void test_bad_wr(struct fcq *fcp)
{
	struct ibv_cq *cq = fcp->cq;
	static char data[512];
	struct ibv_sge sge[8];
	struct ibv_send_wr wr[3], *bad;
	struct ibv_recv_wr rwr[3], *rbad;
	struct ibv_qp_cap cap;
	struct fqp f;
	struct ibv_qp *qp;
	struct ibv_qp_attr qa;
	struct ibv_qp_init_attr qi;
	int i;

	qp = make_qp(cq, cq, 4, 2, 16, 2, 1, false, false);
	CHECK("bad-WR QP", qp);
	if (!qp)
		return;
	fqp_init(&f, qp, fcp, fcp);
	ibv_query_qp(qp, &qa, IBV_QP_CAP, &qi);
	cap = qi.cap;
	to_rts(qp);

	for (i = 0; i < 8; i++)
		sge[i] = (struct ibv_sge){ (uintptr_t)data + 8 * i, 8, 1 };
	memset(wr, 0, sizeof(wr));
	for (i = 0; i < 3; i++) {
		wr[i].wr_id = i;
		wr[i].opcode = IBV_WR_RDMA_WRITE;
		wr[i].wr.rdma.remote_addr = (uintptr_t)data + 256;
		wr[i].sg_list = sge;
		wr[i].num_sge = 1;
		wr[i].next = i < 2 ? &wr[i + 1] : NULL;
	}

	wr[1].opcode = 0x55;
	bad = NULL;
	CHECK_EQ("bad opcode: EINVAL", ibv_post_send(qp, wr, &bad), EINVAL);
	CHECK("bad opcode: bad_wr", bad == &wr[1]);
	CHECK_EQ("bad opcode: the first WR posted", dbrec_snd(&f), 1);
	run_sq(&f);

	wr[1].opcode = IBV_WR_RDMA_WRITE;
	wr[1].num_sge = cap.max_send_sge + 1;
	bad = NULL;
	CHECK_EQ("too many SGEs: EINVAL", ibv_post_send(qp, wr, &bad), EINVAL);
	CHECK("too many SGEs: bad_wr", bad == &wr[1]);
	run_sq(&f);

	wr[1].num_sge = 3;
	wr[1].send_flags = IBV_SEND_INLINE;
	wr[1].sg_list = sge;
	sge[0].length = cap.max_inline_data;	/* + 8 + 8: too much */
	bad = NULL;
	CHECK_EQ("inline too big: EINVAL", ibv_post_send(qp, &wr[1], &bad),
		 EINVAL);
	CHECK("inline too big: bad_wr", bad == &wr[1]);
	sge[0].length = 8;
	wr[1].send_flags = 0;
	wr[1].num_sge = 1;

	wr[0].opcode = IBV_WR_ATOMIC_FETCH_AND_ADD;
	wr[0].num_sge = 0;
	bad = NULL;
	CHECK_EQ("atomic without its SGE: EINVAL",
		 ibv_post_send(qp, wr, &bad), EINVAL);
	CHECK("atomic without SGE: bad_wr", bad == &wr[0]);
	wr[0].opcode = IBV_WR_RDMA_WRITE;
	wr[0].num_sge = 1;

	/* SQ full: cap.max_send_wr WRs outstanding, none completed. */
	wr[2].next = NULL;
	{
		struct ibv_send_wr many[64];
		uint32_t n = cap.max_send_wr + 2;
		uint32_t before = dbrec_snd(&f);

		CHECK("room for the test", n <= 64);
		/* Complete what is outstanding first (all unsignaled). */
		memset(many, 0, sizeof(many));
		for (i = 0; i < (int)n; i++) {
			many[i].wr_id = 1000 + i;
			many[i].opcode = IBV_WR_RDMA_WRITE;
			many[i].next = i + 1 < (int)n ? &many[i + 1] : NULL;
		}
		/* Outstanding now: 2 unsignaled WRs never completed. */
		bad = NULL;
		CHECK_EQ("SQ full: ENOMEM", ibv_post_send(qp, many, &bad),
			 ENOMEM);
		CHECK("SQ full: bad_wr", bad == &many[cap.max_send_wr - 2]);
		CHECK_EQ("SQ full: the ones that fit posted",
			 (uint16_t)(dbrec_snd(&f) - before),
			 cap.max_send_wr - 2);
		/* A signaled one cannot go either; the device drains. */
		run_sq(&f);
		bad = NULL;
		many[0].send_flags = IBV_SEND_SIGNALED;
		many[0].next = NULL;
		CHECK_EQ("still full until a CQE is polled",
			 ibv_post_send(qp, many, &bad), ENOMEM);
	}
	CHECK_EQ("destroy bad-WR QP", ibv_destroy_qp(qp), 0);

	/* Receive side: too many SGEs, RQ full. */
	qp = make_qp(cq, cq, 4, 1, 0, 2, 1, false, false);
	CHECK("recv QP", qp);
	if (!qp)
		return;
	fqp_init(&f, qp, fcp, fcp);
	ibv_query_qp(qp, &qa, IBV_QP_CAP, &qi);
	memset(rwr, 0, sizeof(rwr));
	for (i = 0; i < 3; i++) {
		rwr[i].wr_id = i;
		rwr[i].sg_list = sge;
		rwr[i].num_sge = 1;
		rwr[i].next = i < 2 ? &rwr[i + 1] : NULL;
	}
	rwr[1].num_sge = qi.cap.max_recv_sge + 1;
	rbad = NULL;
	CHECK_EQ("recv too many SGEs: EINVAL", ibv_post_recv(qp, rwr, &rbad),
		 EINVAL);
	CHECK("recv bad_wr", rbad == &rwr[1]);
	CHECK_EQ("RQ dbrec: the first posted", f.db[MLX5X_QP_DBREC_RCV], 1);
	rwr[1].num_sge = 1;
	{
		struct ibv_recv_wr rmany[600];
		uint32_t n = qi.cap.max_recv_wr;

		memset(rmany, 0, sizeof(rmany));
		for (i = 0; i < (int)n; i++) {
			rmany[i].wr_id = i;
			rmany[i].sg_list = sge;
			rmany[i].num_sge = 1;
			rmany[i].next = &rmany[i + 1];
		}
		rmany[n - 1].next = NULL;
		rbad = NULL;
		CHECK_EQ("RQ full: ENOMEM", ibv_post_recv(qp, rmany, &rbad),
			 ENOMEM);
		CHECK("RQ full: bad_wr", rbad == &rmany[n - 1]);
		CHECK_EQ("RQ dbrec full", f.db[MLX5X_QP_DBREC_RCV], n);
	}
	/* A receive WQE with fewer SGEs than its slot ends with the sentinel. */
	{
		uint32_t stride = 1U << f.rq_shift;
		struct mlx5x_wqe_data_seg d;

		if (stride >= 32) {
			memcpy(&d, f.rq + 16, 16);
			CHECK_EQ("sentinel lkey", d.lkey, MLX5X_INVALID_LKEY);
			CHECK_EQ("sentinel length", d.byte_count, 0);
		}
	}
	CHECK_EQ("destroy recv QP", ibv_destroy_qp(qp), 0);
}

/*
 * Many passes over a small SQ, RQ and CQ: WQEs of 1 and 2 WQEBBs so that
 * they straddle the ring's end, inline data across the end, unsignaled WRs
 * reclaimed by the next signaled one, CQE owner bits over many passes.
 */
static void test_wrap(struct ibv_context *c)
{
	static uint8_t src[256], dst[256], rbuf[4][256];
	struct ibv_cq *cq = ibv_create_cq(c, 4, NULL, NULL, 0);
	struct ibv_qp_attr qa;
	struct ibv_qp_init_attr qi;
	unsigned int round, passes, sent = 0, recvd = 0, bad_data = 0;
	struct fcq fc;
	struct fqp f;
	struct ibv_qp *qp;
	struct ibv_wc wc[4];
	int n, i;

	CHECK("wrap CQ", cq);
	if (!cq)
		return;
	fcq_init(&fc, cq);
	CHECK_EQ("wrap CQ of 4", fc.cnt, 4);
	/* 2 SGEs, 40 inline bytes: 2 WQEBBs per WQE max; 4 WRs: 8 WQEBBs. */
	qp = make_qp(cq, cq, 4, 2, 40, 4, 1, false, false);
	CHECK("wrap QP", qp);
	if (!qp)
		return;
	fqp_init(&f, qp, &fc, &fc);
	ibv_query_qp(qp, &qa, IBV_QP_CAP, &qi);
	CHECK_EQ("wrap SQ WQEBBs", f.sq_cnt, 8);
	to_rts(qp);

	for (i = 0; i < 256; i++)
		src[i] = i;

	for (round = 0; round < 200; round++) {
		struct ibv_sge s[2];
		struct ibv_send_wr wr[3], *bad;
		uint32_t len = 1 + (round * 7) % 40;

		/* Two unsignaled WRITEs (1 WQEBB each), then a signaled
		 * inline SEND of len bytes (1 or 2 WQEBBs). */
		memset(wr, 0, sizeof(wr));
		s[0] = (struct ibv_sge){ (uintptr_t)src + round % 100, 16, 1 };
		s[1] = (struct ibv_sge){ (uintptr_t)src + 100, len, 1 };
		for (i = 0; i < 2; i++) {
			wr[i].wr_id = round * 10 + i;
			wr[i].opcode = IBV_WR_RDMA_WRITE;
			wr[i].sg_list = s;
			wr[i].num_sge = 1;
			wr[i].wr.rdma.remote_addr = (uintptr_t)dst;
			wr[i].next = &wr[i + 1];
		}
		wr[2].wr_id = round * 10 + 2;
		wr[2].opcode = IBV_WR_SEND;
		wr[2].send_flags = IBV_SEND_SIGNALED | IBV_SEND_INLINE;
		wr[2].sg_list = &s[1];
		wr[2].num_sge = 1;

		if (post_recv1(qp, round, rbuf[round % 4], 256))
			CHECK("post_recv in the loop", 0);
		bad = NULL;
		if (ibv_post_send(qp, wr, &bad)) {
			CHECK_EQ("post in the loop (round)", round, ~0U);
			break;
		}
		CHECK_EQ("device ran 3", run_sq(&f), 3);
		sent += 3;

		/* Poll one at a time to also cross CQ passes slowly. */
		for (i = 0; i < 2; i++) {
			n = ibv_poll_cq(cq, 1, wc);
			CHECK_EQ("one CQE", n, 1);
			if (n != 1)
				break;
			CHECK_EQ("status", wc[0].status, IBV_WC_SUCCESS);
			if (wc[0].opcode == IBV_WC_RECV) {
				CHECK_EQ("recv wr_id", wc[0].wr_id, round);
				CHECK_EQ("recv byte_len", wc[0].byte_len, len);
				if (memcmp(rbuf[round % 4], src + 100, len))
					bad_data++;
				recvd++;
			} else {
				CHECK_EQ("send wr_id", wc[0].wr_id,
					 round * 10 + 2);
				CHECK_EQ("send opcode", wc[0].opcode,
					 IBV_WC_SEND);
			}
		}
	}
	passes = f.sq_ci / f.sq_cnt;
	CHECK("more than 10 passes over the SQ", passes > 10);
	CHECK("more than 10 passes over the CQ", fc.pc / fc.cnt > 10);
	CHECK_EQ("received all", recvd, 200);
	CHECK_EQ("inline payloads intact across the wrap", bad_data, 0);
	CHECK_EQ("WQEs run", sent, 600);
	CHECK_EQ("CQ empty", ibv_poll_cq(cq, 4, wc), 0);
	CHECK_EQ("destroy wrap QP", ibv_destroy_qp(qp), 0);
	CHECK_EQ("destroy wrap CQ", ibv_destroy_cq(cq), 0);
}

/* Error CQEs, two QPs on one CQ, RESET cleaning, arming and events. */
static void test_cq_misc(struct ibv_context *c)
{
	static char buf[64];
	struct ibv_comp_channel *ch = ibv_create_comp_channel(c);
	struct ibv_cq *cq, *ev_cq;
	struct ibv_qp *qa, *qb;
	struct ibv_sge sge = { (uintptr_t)buf, 8, 1 };
	struct ibv_send_wr wr = { .opcode = IBV_WR_SEND, .sg_list = &sge,
				  .num_sge = 1 }, *bad;
	struct ibv_qp_attr attr = { .qp_state = IBV_QPS_RESET };
	struct fcq fc;
	struct fqp fa, fb;
	struct ibv_wc wc[8];
	void *ev_ctx;
	int n;

	CHECK("comp channel", ch);
	cq = ibv_create_cq(c, 16, (void *)0xc0ffee, ch, 0);
	CHECK("misc CQ", cq);
	if (!cq || !ch)
		return;
	fcq_init(&fc, cq);
	qa = make_qp(cq, cq, 8, 1, 0, 4, 1, false, true);	/* sig_all */
	CHECK("QP a", qa);
	fqp_init(&fa, qa, &fc, &fc);
	qb = make_qp(cq, cq, 8, 1, 0, 4, 1, false, false);
	CHECK("QP b", qb);
	fqp_init(&fb, qb, &fc, &fc);
	if (!qa || !qb)
		return;

	/* sq_sig_all: an unsignaled WR completes anyway; error CQE. */
	wr.wr_id = 0xa1;
	CHECK_EQ("post on a", ibv_post_send(qa, &wr, &bad), 0);
	fa.fail_status = IBV_WC_REM_ACCESS_ERR;
	run_sq(&fa);
	wr.wr_id = 0xb1;
	wr.send_flags = IBV_SEND_SIGNALED;
	post_recv1(qb, 0xb2, buf + 32, 32);
	CHECK_EQ("post on b", ibv_post_send(qb, &wr, &bad), 0);
	run_sq(&fb);
	/* From here on: WRITEs, no receive WQEs needed. */
	wr.opcode = IBV_WR_RDMA_WRITE;
	wr.wr.rdma.remote_addr = (uintptr_t)buf + 16;
	n = ibv_poll_cq(cq, 8, wc);
	CHECK_EQ("3 CQEs of 2 QPs", n, 3);
	if (n == 3) {
		CHECK_EQ("a: wr_id", wc[0].wr_id, 0xa1);
		CHECK_EQ("a: qp_num", wc[0].qp_num, qa->qp_num);
		CHECK_EQ("a: status", wc[0].status, IBV_WC_REM_ACCESS_ERR);
		CHECK_EQ("a: vendor_err", wc[0].vendor_err, 0x42);
		CHECK_EQ("b recv: qp_num", wc[1].qp_num, qb->qp_num);
		CHECK_EQ("b recv: wr_id", wc[1].wr_id, 0xb2);
		CHECK_EQ("b send: wr_id", wc[2].wr_id, 0xb1);
		CHECK_EQ("b send: qp_num", wc[2].qp_num, qb->qp_num);
	}

	/* CQEs of a and b pending; a goes to RESET: only b's remain. */
	wr.wr_id = 0xa2;
	ibv_post_send(qa, &wr, &bad);
	run_sq(&fa);
	wr.wr_id = 0xb3;
	ibv_post_send(qb, &wr, &bad);
	wr.wr_id = 0xb4;
	ibv_post_send(qb, &wr, &bad);
	fb.fail_status = IBV_WC_WR_FLUSH_ERR;	/* a flush CQE for b3 */
	run_sq(&fb);
	wr.wr_id = 0xa3;
	ibv_post_send(qa, &wr, &bad);
	run_sq(&fa);
	CHECK_EQ("reset a", ibv_modify_qp(qa, &attr, IBV_QP_STATE), 0);
	CHECK_EQ("a: SQ dbrec rewound", fa.db[MLX5X_QP_DBREC_SND], 0);
	n = ibv_poll_cq(cq, 8, wc);
	CHECK_EQ("only b's CQEs after a's reset", n, 2);
	if (n == 2) {
		CHECK_EQ("b3 flushed", wc[0].wr_id, 0xb3);
		CHECK_EQ("b3 status", wc[0].status, IBV_WC_WR_FLUSH_ERR);
		CHECK_EQ("b4", wc[1].wr_id, 0xb4);
		CHECK_EQ("b4 status", wc[1].status, IBV_WC_SUCCESS);
	}
	/* a starts over at WQEBB 0. */
	fa.sq_ci = 0;
	to_rts(qa);
	wr.wr_id = 0xa4;
	CHECK_EQ("post on a after reset", ibv_post_send(qa, &wr, &bad), 0);
	CHECK_EQ("a: SQ dbrec from 0", fa.db[MLX5X_QP_DBREC_SND], 1);
	run_sq(&fa);
	n = ibv_poll_cq(cq, 8, wc);
	CHECK("a4 after reset", n == 1 && wc[0].wr_id == 0xa4);

	/* Arming: arm_sn << 28 | cmd << 24 | ci. */
	CHECK_EQ("arm next", ibv_req_notify_cq(cq, 0), 0);
	CHECK_EQ("ARM word (sn 0, NEXT)", fc.db[MLX5X_CQ_DBREC_ARM],
		 0U << 28 | MLX5X_CQ_ARM_NEXT << 24 | fc.pc);
	CHECK_EQ("arm solicited", ibv_req_notify_cq(cq, 1), 0);
	CHECK_EQ("ARM word (sn 0, SOLICITED)", fc.db[MLX5X_CQ_DBREC_ARM],
		 0U << 28 | MLX5X_CQ_ARM_SOLICITED << 24 | fc.pc);
	/* The kernel's event: libibverbs reads it, then calls cq_event. */
	{
		struct ib_uverbs_comp_event_desc ev = {
			.cq_handle = (uintptr_t)cq,
		};

		mock.comp_events++;
		CHECK_EQ("event written",
			 write(mock.comp_pipe[1], &ev, sizeof(ev)), sizeof(ev));
		CHECK_EQ("get_cq_event", ibv_get_cq_event(ch, &ev_cq, &ev_ctx),
			 0);
		CHECK("event's CQ", ev_cq == cq && ev_ctx == (void *)0xc0ffee);
		ibv_ack_cq_events(cq, 1);
	}
	CHECK_EQ("re-arm", ibv_req_notify_cq(cq, 0), 0);
	CHECK_EQ("ARM word (sn 1 after the event)", fc.db[MLX5X_CQ_DBREC_ARM],
		 1U << 28 | MLX5X_CQ_ARM_NEXT << 24 | fc.pc);
	CHECK_EQ("arm word encoding", mlx5x_cq_arm_word(0x13, true, 0x1234567),
		 0x3U << 28 | 2U << 24 | 0x234567);

	CHECK_EQ("destroy a", ibv_destroy_qp(qa), 0);
	CHECK_EQ("destroy b", ibv_destroy_qp(qb), 0);
	CHECK_EQ("destroy misc CQ", ibv_destroy_cq(cq), 0);
	ibv_destroy_comp_channel(ch);
}

/* ibv_wr_*: the same WQEs as ibv_post_send, one doorbell per batch. */
static void test_wr_api(struct fcq *fcp)
{
	struct ibv_cq *cq = fcp->cq;
	static uint64_t target = 10, result;
	static char data[128], inl[256], rbuf[128];
	struct ibv_data_buf ib[2] = { { inl, 20 }, { inl + 20, 30 } };
	struct ibv_sge sl[2] = { { (uintptr_t)data, 8, 0x77 },
				 { (uintptr_t)data + 8, 8, 0x78 } };
	struct ibv_qp *qp, *classic;
	struct ibv_qp_ex *qx;
	struct fqp f, fcl;
	struct ibv_send_wr wr, *bad;
	struct ibv_wc wc[8];
	uint32_t before;
	int n, i;

	qp = make_qp(cq, cq, 16, 2, 64, 8, 1, true, false);
	CHECK("wr QP", qp);
	if (!qp)
		return;
	fqp_init(&f, qp, fcp, fcp);
	qx = ibv_qp_to_qp_ex(qp);
	CHECK("ibv_qp_to_qp_ex", qx);
	classic = make_qp(cq, cq, 16, 2, 64, 8, 1, false, false);
	CHECK("classic QP", classic);
	if (!qx || !classic)
		return;
	fqp_init(&fcl, classic, fcp, fcp);
	CHECK("classic QP has no qp_ex", !ibv_qp_to_qp_ex(classic));
	to_rts(qp);
	for (i = 0; i < 64; i++)
		inl[i] = 'a' + i % 26;

	/* One batch: WRITE (2 SGEs), inline SEND_IMM list, FA. */
	post_recv1(qp, 55, rbuf, sizeof(rbuf));
	((struct mlx5x_uar *)mock.uar)->sq_doorbell = 0;
	ibv_wr_start(qx);
	qx->wr_id = 1;
	qx->wr_flags = IBV_SEND_SIGNALED;
	ibv_wr_rdma_write(qx, 0x99, (uintptr_t)rbuf + 64);
	ibv_wr_set_sge_list(qx, 2, sl);
	qx->wr_id = 2;
	ibv_wr_send_imm(qx, htobe32(0x01020304));
	ibv_wr_set_inline_data_list(qx, 2, ib);
	qx->wr_id = 3;
	ibv_wr_atomic_fetch_add(qx, 0x98, (uintptr_t)&target, 5);
	ibv_wr_set_sge(qx, 0x97, (uintptr_t)&result, 8);
	before = dbrec_snd(&f);
	CHECK_EQ("no doorbell before wr_complete", before, 0);
	CHECK_EQ("wr_complete", ibv_wr_complete(qx), 0);
	/* WRITE 1 BB (16+16+32), SEND_IMM 2 BBs (16+4+50 -> 80), FA 1 BB. */
	CHECK_EQ("SQ dbrec after the batch", dbrec_snd(&f), 4);
	CHECK_EQ("doorbell hint", ((struct mlx5x_uar *)mock.uar)->sq_doorbell, qp->qp_num);

	/* The same WRITE through ibv_post_send: byte-identical WQE. */
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = 1;
	wr.opcode = IBV_WR_RDMA_WRITE;
	wr.send_flags = IBV_SEND_SIGNALED;
	wr.sg_list = sl;
	wr.num_sge = 2;
	wr.wr.rdma.remote_addr = (uintptr_t)rbuf + 64;
	wr.wr.rdma.rkey = 0x99;
	CHECK_EQ("classic WRITE", ibv_post_send(classic, &wr, &bad), 0);
	{
		uint8_t a[64], b[64];

		memcpy(a, sq_wqe(&f, 0), 64);
		memcpy(b, sq_wqe(&fcl, 0), 64);
		/* Only the QPN differs. */
		((struct mlx5x_wqe_ctrl_seg *)a)->qpn_ds &= 0xff;
		((struct mlx5x_wqe_ctrl_seg *)b)->qpn_ds &= 0xff;
		CHECK("wr_* WQE == post_send WQE", !memcmp(a, b, 48));
	}

	CHECK_EQ("device ran the batch", run_sq(&f), 3);
	n = ibv_poll_cq(cq, 8, wc);
	CHECK_EQ("batch completions", n, 4);
	if (n == 4) {
		CHECK_EQ("w1", wc[0].wr_id, 1);
		CHECK_EQ("recv", wc[1].wr_id, 55);
		CHECK_EQ("recv imm", wc[1].imm_data, htobe32(0x01020304));
		CHECK_EQ("recv len", wc[1].byte_len, 50);
		CHECK_EQ("w2", wc[2].wr_id, 2);
		CHECK_EQ("w3", wc[3].wr_id, 3);
		CHECK_EQ("w3 opcode", wc[3].opcode, IBV_WC_FETCH_ADD);
	}
	CHECK("inline list landed", !memcmp(rbuf, inl, 50));
	CHECK("WRITE landed", !memcmp(rbuf + 64, data, 16));
	CHECK_EQ("FA ran", target, 15);
	CHECK_EQ("FA fetched", result, 10);

	/* A failing batch posts nothing: a second setter, an atomic w/o SGE. */
	before = dbrec_snd(&f);
	ibv_wr_start(qx);
	ibv_wr_send(qx);
	ibv_wr_set_sge(qx, 1, (uintptr_t)data, 4);
	ibv_wr_send(qx);
	ibv_wr_set_sge(qx, 1, (uintptr_t)data, 4);
	ibv_wr_set_sge(qx, 1, (uintptr_t)data, 4);
	CHECK_EQ("second setter: EINVAL", ibv_wr_complete(qx), EINVAL);
	CHECK_EQ("nothing rung", dbrec_snd(&f), before);
	ibv_wr_start(qx);
	ibv_wr_send(qx);
	{
		struct ibv_qp_attr qa;
		struct ibv_qp_init_attr qi;

		ibv_query_qp(qp, &qa, IBV_QP_CAP, &qi);
		ibv_wr_set_inline_data(qx, inl, qi.cap.max_inline_data + 1);
	}
	CHECK_EQ("inline too big: EINVAL", ibv_wr_complete(qx), EINVAL);
	ibv_wr_start(qx);
	ibv_wr_atomic_cmp_swp(qx, 1, (uintptr_t)&target, 1, 2);
	CHECK_EQ("atomic without SGE: EINVAL", ibv_wr_complete(qx), EINVAL);
	ibv_wr_start(qx);
	ibv_wr_send_tso(qx, data, 4, 64);
	CHECK_EQ("unsupported op: EOPNOTSUPP", ibv_wr_complete(qx), EOPNOTSUPP);
	ibv_wr_start(qx);
	for (i = 0; i < 40; i++) {
		ibv_wr_send(qx);
		ibv_wr_set_sge(qx, 1, (uintptr_t)data, 4);
	}
	CHECK_EQ("batch beyond the SQ: ENOMEM", ibv_wr_complete(qx), ENOMEM);
	ibv_wr_start(qx);
	ibv_wr_send(qx);
	ibv_wr_abort(qx);
	CHECK_EQ("still nothing rung", dbrec_snd(&f), before);

	/* After failures, a good batch starts where the last good one ended. */
	post_recv1(qp, 56, rbuf, sizeof(rbuf));
	ibv_wr_start(qx);
	qx->wr_id = 9;
	qx->wr_flags = IBV_SEND_SIGNALED;
	ibv_wr_send(qx);		/* no setter: zero bytes */
	CHECK_EQ("good batch", ibv_wr_complete(qx), 0);
	CHECK_EQ("one WQEBB more", dbrec_snd(&f), before + 1);
	run_sq(&f);
	n = ibv_poll_cq(cq, 8, wc);
	CHECK("zero-byte send completes", n == 2 && wc[0].wr_id == 56 &&
	      wc[0].byte_len == 0 && wc[1].wr_id == 9);

	CHECK_EQ("destroy wr QP", ibv_destroy_qp(qp), 0);
	run_sq(&fcl);
	ibv_poll_cq(cq, 8, wc);
	CHECK_EQ("destroy classic QP", ibv_destroy_qp(classic), 0);
}

/* The bind segment of the WQE at @pi, checked against what was asked. */
static void check_bind_wqe(const char *what, struct fqp *f, uint32_t pi,
			   uint32_t mw_key, uint32_t new_key, uint32_t mr_key,
			   uint32_t access, uint64_t addr, uint64_t len)
{
	struct mlx5x_wqe_ctrl_seg ctrl;
	struct mlx5x_wqe_bind_seg b;
	uint8_t *w = sq_wqe(f, pi);

	memcpy(&ctrl, w, sizeof(ctrl));
	memcpy(&b, w + 16, sizeof(b));
	CHECK_EQ(what, ctrl.opcode, MLX5X_OPCODE_BIND_MW);
	CHECK_EQ(what, ctrl.qpn_ds & 0xff, 3);
	CHECK_EQ(what, ctrl.wqe_index, pi);
	CHECK_EQ(what, b.mw_key, mw_key);
	CHECK_EQ(what, b.new_key, new_key);
	CHECK_EQ(what, b.mr_key, mr_key);
	CHECK_EQ(what, b.access, access);
	CHECK_EQ(what, b.addr, addr);
	CHECK_EQ(what, b.length, len);
}

/* Windows: BIND_MW, LOCAL_INV and SEND_WITH_INV WQEs, both post APIs. */
static void test_mw_wqes(struct fcq *fcp)
{
	static char buf[8192];
	struct ibv_cq *cq = fcp->cq;
	struct ibv_mr *mr;
	struct ibv_mw *mw1, *mw2;
	struct ibv_sge sge = { (uintptr_t)buf, 100, 0x55 };
	struct ibv_send_wr wr, *bad;
	struct ibv_mw_bind bind = {};
	struct ibv_mw_bind_info info = {};
	struct mlx5x_wqe_ctrl_seg ctrl;
	struct mlx5x_wqe_data_seg d;
	struct ibv_qp_ex *qx;
	struct ibv_qp *qp;
	uint32_t rkey1;
	struct fqp f;

	mr = ibv_reg_mr(pd, buf, sizeof(buf), IBV_ACCESS_LOCAL_WRITE |
			IBV_ACCESS_MW_BIND);
	mw1 = ibv_alloc_mw(pd, IBV_MW_TYPE_1);
	mw2 = ibv_alloc_mw(pd, IBV_MW_TYPE_2);
	qp = make_qp(cq, cq, 16, 2, 64, 8, 1, true, false);
	CHECK("MR, windows, QP", mr && mw1 && mw2 && qp);
	if (!mr || !mw1 || !mw2 || !qp)
		return;
	CHECK_EQ("window type", mw2->type, IBV_MW_TYPE_2);
	fqp_init(&f, qp, fcp, fcp);
	qx = ibv_qp_to_qp_ex(qp);
	to_rts(qp);

	/* Type 1: ibv_bind_mw, the next tag, stored in mw->rkey. */
	rkey1 = mw1->rkey;
	info = (struct ibv_mw_bind_info){ mr, (uintptr_t)buf + 64, 512,
					  IBV_ACCESS_REMOTE_READ |
					  IBV_ACCESS_REMOTE_WRITE };
	bind.wr_id = 7;
	bind.send_flags = IBV_SEND_SIGNALED;
	bind.bind_info = info;
	CHECK_EQ("ibv_bind_mw", ibv_bind_mw(qp, mw1, &bind), 0);
	CHECK_EQ("type 1 rkey moved on", mw1->rkey, ibv_inc_rkey(rkey1));
	check_bind_wqe("bind type 1", &f, 0, rkey1, ibv_inc_rkey(rkey1),
		       mr->lkey, MLX5X_BIND_REMOTE_READ |
		       MLX5X_BIND_REMOTE_WRITE, (uintptr_t)buf + 64, 512);
	CHECK_EQ("bind: one WQEBB", dbrec_snd(&f), 1);

	/* Type 2 through ibv_post_send: mw->rkey is the application's. */
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = 8;
	wr.opcode = IBV_WR_BIND_MW;
	wr.bind_mw.mw = mw2;
	wr.bind_mw.rkey = ibv_inc_rkey(mw2->rkey);
	wr.bind_mw.bind_info = info;
	wr.bind_mw.bind_info.mw_access_flags = IBV_ACCESS_REMOTE_ATOMIC;
	CHECK_EQ("post BIND_MW", ibv_post_send(qp, &wr, &bad), 0);
	check_bind_wqe("bind type 2", &f, 1, mw2->rkey,
		       ibv_inc_rkey(mw2->rkey), mr->lkey,
		       MLX5X_BIND_REMOTE_ATOMIC, (uintptr_t)buf + 64, 512);

	/* The same through ibv_wr_bind_mw: byte-identical bind segment. */
	ibv_wr_start(qx);
	qx->wr_id = 9;
	qx->wr_flags = 0;
	ibv_wr_bind_mw(qx, mw2, ibv_inc_rkey(mw2->rkey), &wr.bind_mw.bind_info);
	CHECK_EQ("wr_bind_mw", ibv_wr_complete(qx), 0);
	CHECK("wr_bind_mw == post_send BIND_MW",
	      !memcmp(sq_wqe(&f, 1) + 16, sq_wqe(&f, 2) + 16, 32));

	/* LOCAL_INV: the key in ctrl.imm, nothing else. */
	memset(&wr, 0, sizeof(wr));
	wr.opcode = IBV_WR_LOCAL_INV;
	wr.invalidate_rkey = 0xabcdef01;
	wr.num_sge = 5;		/* ignored */
	CHECK_EQ("post LOCAL_INV", ibv_post_send(qp, &wr, &bad), 0);
	memcpy(&ctrl, sq_wqe(&f, 3), sizeof(ctrl));
	CHECK_EQ("LOCAL_INV opcode", ctrl.opcode, MLX5X_OPCODE_LOCAL_INV);
	CHECK_EQ("LOCAL_INV ds", ctrl.qpn_ds & 0xff, 1);
	CHECK_EQ("LOCAL_INV key", ctrl.imm, 0xabcdef01);

	/* SEND_WITH_INV: the key in ctrl.imm, then the data. */
	memset(&wr, 0, sizeof(wr));
	wr.opcode = IBV_WR_SEND_WITH_INV;
	wr.invalidate_rkey = 0x12345678;
	wr.sg_list = &sge;
	wr.num_sge = 1;
	CHECK_EQ("post SEND_WITH_INV", ibv_post_send(qp, &wr, &bad), 0);
	memcpy(&ctrl, sq_wqe(&f, 4), sizeof(ctrl));
	memcpy(&d, sq_wqe(&f, 4) + 16, sizeof(d));
	CHECK_EQ("SEND_INVAL opcode", ctrl.opcode, MLX5X_OPCODE_SEND_INVAL);
	CHECK_EQ("SEND_INVAL ds", ctrl.qpn_ds & 0xff, 2);
	CHECK_EQ("SEND_INVAL key", ctrl.imm, 0x12345678);
	CHECK_EQ("SEND_INVAL data", d.byte_count, 100);
	ibv_wr_start(qx);
	ibv_wr_send_inv(qx, 0x12345678);
	ibv_wr_set_sge(qx, 0x55, (uintptr_t)buf, 100);
	CHECK_EQ("wr_send_inv", ibv_wr_complete(qx), 0);
	CHECK("wr_send_inv == post_send SEND_WITH_INV",
	      !memcmp(sq_wqe(&f, 4) + 8, sq_wqe(&f, 5) + 8, 24));

	/* What a bind WQE cannot say: refused at post, nothing written. */
	memset(&wr, 0, sizeof(wr));
	wr.opcode = IBV_WR_BIND_MW;
	wr.bind_mw.mw = mw2;
	wr.bind_mw.rkey = ibv_inc_rkey(mw2->rkey);
	wr.bind_mw.bind_info = info;
	wr.bind_mw.bind_info.mw_access_flags |= IBV_ACCESS_ZERO_BASED;
	CHECK_EQ("zero-based: EINVAL", ibv_post_send(qp, &wr, &bad), EINVAL);
	wr.bind_mw.bind_info.mw_access_flags = IBV_ACCESS_REMOTE_READ;
	wr.bind_mw.rkey = mw1->rkey;
	CHECK_EQ("another window's rkey: EINVAL",
		 ibv_post_send(qp, &wr, &bad), EINVAL);
	wr.bind_mw.rkey = ibv_inc_rkey(mw2->rkey);
	wr.bind_mw.bind_info.mr = NULL;
	CHECK_EQ("no MR: EINVAL", ibv_post_send(qp, &wr, &bad), EINVAL);
	ibv_wr_start(qx);
	ibv_wr_local_inv(qx, 1);
	ibv_wr_set_sge(qx, 0x55, (uintptr_t)buf, 100);
	CHECK_EQ("data on LOCAL_INV: EINVAL", ibv_wr_complete(qx), EINVAL);
	CHECK_EQ("nothing more posted", dbrec_snd(&f), 6);

	CHECK_EQ("destroy QP", ibv_destroy_qp(qp), 0);
	CHECK_EQ("dealloc type 1", ibv_dealloc_mw(mw1), 0);
	CHECK_EQ("dealloc type 2", ibv_dealloc_mw(mw2), 0);
	CHECK_EQ("dereg", ibv_dereg_mr(mr), 0);
}

/*
 * A device without atomics (nor windows): refused at post and at QP
 * creation.
 */
static void test_no_atomics(struct verbs_device *vdev)
{
	struct ibv_context *c;
	struct ibv_pd *p;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	struct ibv_qp_init_attr_ex a = {};
	uint64_t v;
	struct ibv_sge sge = { (uintptr_t)&v, 8, 1 };
	struct ibv_send_wr wr = { .opcode = IBV_WR_ATOMIC_CMP_AND_SWP,
				  .sg_list = &sge, .num_sge = 1 }, *bad;

	mock.atomic_cap = IBV_ATOMIC_NONE;
	mock.device_cap_flags = 0;
	c = open_context(vdev);
	CHECK("no-atomics context", c);
	if (!c)
		return;
	p = ibv_alloc_pd(c);
	cq = ibv_create_cq(c, 4, NULL, NULL, 0);
	a.send_cq = a.recv_cq = cq;
	a.cap.max_send_wr = 2;
	a.cap.max_send_sge = 1;
	a.qp_type = IBV_QPT_RC;
	a.comp_mask = IBV_QP_INIT_ATTR_PD | IBV_QP_INIT_ATTR_SEND_OPS_FLAGS;
	a.pd = p;
	a.send_ops_flags = IBV_QP_EX_WITH_ATOMIC_FETCH_AND_ADD;
	errno = 0;
	CHECK("atomic send ops refused", !ibv_create_qp_ex(c, &a));
	CHECK_EQ("errno", errno, EOPNOTSUPP);
	a.comp_mask = IBV_QP_INIT_ATTR_PD;
	qp = ibv_create_qp_ex(c, &a);
	CHECK("plain QP", qp);
	if (qp) {
		bad = NULL;
		CHECK_EQ("atomic post: EOPNOTSUPP",
			 ibv_post_send(qp, &wr, &bad), EOPNOTSUPP);
		CHECK("bad_wr", bad == &wr);
		/* Nor windows: no IBV_DEVICE_MEM_WINDOW either. */
		wr.opcode = IBV_WR_LOCAL_INV;
		CHECK_EQ("LOCAL_INV post: EOPNOTSUPP",
			 ibv_post_send(qp, &wr, &bad), EOPNOTSUPP);
		ibv_destroy_qp(qp);
	}
	ibv_destroy_cq(cq);
	ibv_dealloc_pd(p);
	ibv_close_device(c);
}

int main(int argc, char **argv)
{
	struct verbs_device *vdev;
	struct ibv_device **list;
	struct ibv_cq *cq;

	if (argc != 2) {
		fprintf(stderr, "usage: %s libmlx5x-rdmav34.so\n", argv[0]);
		return 2;
	}
	if (!make_sysfs())
		return 1;
	vdev = find_device(argv[1], &list);
	sysfs_remove();
	if (!vdev)
		goto out;

	mock.uctx = good_uctx;
	mock.atomic_cap = IBV_ATOMIC_HCA;
	mock.device_cap_flags = IBV_DEVICE_MEM_WINDOW |
				IBV_DEVICE_MEM_WINDOW_TYPE_2B;
	ctx = open_context(vdev);
	CHECK("alloc_context", ctx);
	if (!ctx)
		goto out;
	pd = ibv_alloc_pd(ctx);
	cq = ibv_create_cq(ctx, 64, NULL, NULL, 0);
	CHECK("PD and CQ", pd && cq);
	if (!pd || !cq)
		goto close;

	fcq_init(&main_fc, cq);
	test_wqe_layout(&main_fc);
	test_bad_wr(&main_fc);
	test_wrap(ctx);
	test_cq_misc(ctx);
	test_wr_api(&main_fc);
	test_mw_wqes(&main_fc);

	CHECK_EQ("destroy CQ", ibv_destroy_cq(cq), 0);
	CHECK_EQ("dealloc PD", ibv_dealloc_pd(pd), 0);
close:
	CHECK_EQ("close", ibv_close_device(ctx), 0);
	test_no_atomics(vdev);
	ibv_free_device_list(list);
out:
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all data-path checks passed\n");
	return 0;
}

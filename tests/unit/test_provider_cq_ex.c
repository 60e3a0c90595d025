// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Extended CQs and CQ resizing in the provider, against the mock kernel
 * (provider_mock.c) and the fake device (fake_device.c); no VM.
 *
 * Proven here: the ibv_start_poll/next_poll/end_poll iterator and every
 * ibv_wc_read_* over many ring passes, error CQEs through it, the consumer
 * index published at end_poll (not before), refused wc_flags and
 * attributes (no command sent), and ibv_resize_cq: unpolled CQEs moved in
 * order at any consumer index and pass, CQEs the device writes into the
 * old ring while the resize is under way, new ones in the new ring, and a
 * refused resize leaving the CQ as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake_device.h"
#include "cqe.h"

static struct ibv_context *ctx;
static struct ibv_pd *pd;

static struct ibv_qp *make_qp(struct ibv_cq *cq, uint32_t depth)
{
	struct ibv_qp_init_attr_ex a = {
		.send_cq = cq,
		.recv_cq = cq,
		.cap = { .max_send_wr = depth, .max_recv_wr = depth,
			 .max_send_sge = 1, .max_recv_sge = 1 },
		.qp_type = IBV_QPT_RC,
		.sq_sig_all = 1,
		.comp_mask = IBV_QP_INIT_ATTR_PD,
		.pd = pd,
	};
	struct ibv_qp_attr attr = {};
	struct ibv_qp *qp = ibv_create_qp_ex(ctx, &a);
	enum ibv_qp_state s;

	for (s = IBV_QPS_INIT; qp && s <= IBV_QPS_RTS; s++) {
		attr.qp_state = s;
		ibv_modify_qp(qp, &attr, IBV_QP_STATE);
	}
	return qp;
}

/* A SEND_WITH_IMM of 8 bytes to the QP itself: two CQEs once run. */
static void post_pair(struct ibv_qp *qp, uint64_t id, uint8_t *rbuf)
{
	static uint64_t src[4096];
	struct ibv_sge rs = { (uintptr_t)rbuf, 8, 0x11 };
	struct ibv_recv_wr rwr = { .wr_id = 1000000 + id, .sg_list = &rs,
				   .num_sge = 1 }, *rbad;
	struct ibv_sge ss = { (uintptr_t)&src[id % 4096], 8, 0x12 };
	struct ibv_send_wr swr = { .wr_id = id, .sg_list = &ss, .num_sge = 1,
				   .opcode = IBV_WR_SEND_WITH_IMM,
				   .imm_data = (uint32_t)id }, *sbad;

	src[id % 4096] = id;
	CHECK_EQ("post_recv", ibv_post_recv(qp, &rwr, &rbad), 0);
	CHECK_EQ("post_send", ibv_post_send(qp, &swr, &sbad), 0);
}

static void test_cq_ex_poll(void)
{
	struct ibv_cq_init_attr_ex ca = {
		.cqe = 8,
		.wc_flags = IBV_WC_EX_WITH_BYTE_LEN | IBV_WC_EX_WITH_IMM |
			    IBV_WC_EX_WITH_QP_NUM | IBV_WC_EX_WITH_SRC_QP,
	};
	struct ibv_poll_cq_attr pa = {};
	static uint8_t rbuf[4][8];
	struct ibv_cq_ex *cq;
	struct ibv_qp *qp;
	struct fcq fc;
	struct fqp fq;
	uint32_t *dbrec;
	uint64_t id, v;
	int i, n;

	cq = ibv_create_cq_ex(ctx, &ca);
	CHECK("create_cq_ex", cq);
	if (!cq)
		printf("create_cq_ex: errno %d\n", errno);
	if (!cq)
		return;
	fcq_init(&fc, ibv_cq_ex_to_cq(cq));
	dbrec = fc.db;
	qp = make_qp(ibv_cq_ex_to_cq(cq), 4);
	CHECK("QP", qp);
	if (!qp)
		goto out;
	fqp_init(&fq, qp, &fc, &fc);

	CHECK_EQ("empty: ENOENT", ibv_start_poll(cq, &pa), ENOENT);
	CHECK_EQ("empty again (lock released)", ibv_start_poll(cq, &pa),
		 ENOENT);

	/* 25 rounds of 2 messages = 100 CQEs through an 8-entry ring. */
	for (id = 0; id < 50; id += 2) {
		post_pair(qp, id, rbuf[0]);
		post_pair(qp, id + 1, rbuf[1]);
		run_sq(&fq);
		n = 0;
		CHECK_EQ("start_poll", ibv_start_poll(cq, &pa), 0);
		do {
			bool recv = ibv_wc_read_opcode(cq) == IBV_WC_RECV;
			uint64_t m = id + (n >> 1);

			CHECK_EQ("status", cq->status, IBV_WC_SUCCESS);
			/* The receive CQE comes first (fake_device.c). */
			CHECK_EQ("order", recv, !(n & 1));
			CHECK_EQ("wr_id", cq->wr_id, recv ? 1000000 + m : m);
			CHECK_EQ("qp_num", ibv_wc_read_qp_num(cq), qp->qp_num);
			CHECK_EQ("vendor_err", ibv_wc_read_vendor_err(cq), 0);
			if (recv) {
				CHECK_EQ("byte_len",
					 ibv_wc_read_byte_len(cq), 8);
				CHECK_EQ("imm", ibv_wc_read_imm_data(cq),
					 (uint32_t)m);
				CHECK_EQ("wc_flags", ibv_wc_read_wc_flags(cq),
					 IBV_WC_WITH_IMM);
				CHECK_EQ("src_qp", ibv_wc_read_src_qp(cq),
					 qp->qp_num);
				memcpy(&v, rbuf[n >> 1], 8);
				CHECK_EQ("payload", v, m);
			} else {
				CHECK_EQ("send opcode", ibv_wc_read_opcode(cq),
					 IBV_WC_SEND);
				CHECK_EQ("send wc_flags",
					 ibv_wc_read_wc_flags(cq), 0);
			}
			n++;
			/* The CI dbrec moves at end_poll, not before. */
			CHECK_EQ("CI dbrec unchanged while polling",
				 dbrec[MLX5X_CQ_DBREC_CI], (id * 2) &
				 MLX5X_CQ_CI_MASK);
		} while (!ibv_next_poll(cq));
		ibv_end_poll(cq);
		CHECK_EQ("4 CQEs per round", n, 4);
		CHECK_EQ("CI dbrec at end_poll", dbrec[MLX5X_CQ_DBREC_CI],
			 id * 2 + 4);
	}

	/* An error CQE: status and vendor_err through the ex API. */
	post_pair(qp, 77, rbuf[2]);
	fq.fail_status = IBV_WC_REM_ACCESS_ERR;
	run_sq(&fq);
	for (i = 0, n = 0; i < 2 && !ibv_start_poll(cq, &pa); i++) {
		if (cq->wr_id == 77) {
			CHECK_EQ("error status", cq->status,
				 IBV_WC_REM_ACCESS_ERR);
			CHECK_EQ("vendor_err",
				 ibv_wc_read_vendor_err(cq), 0x42);
			CHECK_EQ("error qp_num", ibv_wc_read_qp_num(cq),
				 qp->qp_num);
			n++;
		}
		ibv_end_poll(cq);
	}
	CHECK_EQ("the error CQE seen", n, 1);
	CHECK_EQ("destroy QP", ibv_destroy_qp(qp), 0);
out:
	CHECK_EQ("destroy CQ ex", ibv_destroy_cq(ibv_cq_ex_to_cq(cq)), 0);
}

static void test_cq_ex_refused(void)
{
	static const struct {
		uint64_t wc_flags;
		uint32_t comp_mask, flags;
		int err;
	} bad[] = {
		{ IBV_WC_EX_WITH_COMPLETION_TIMESTAMP, 0, 0, EOPNOTSUPP },
		{ IBV_WC_EX_WITH_COMPLETION_TIMESTAMP_WALLCLOCK, 0, 0,
		  EOPNOTSUPP },
		{ IBV_WC_EX_WITH_CVLAN, 0, 0, EOPNOTSUPP },
		{ IBV_WC_EX_WITH_FLOW_TAG, 0, 0, EOPNOTSUPP },
		{ IBV_WC_EX_WITH_TM_INFO, 0, 0, EOPNOTSUPP },
		{ 0, IBV_CQ_INIT_ATTR_MASK_FLAGS,
		  IBV_CREATE_CQ_ATTR_IGNORE_OVERRUN, EOPNOTSUPP },
		{ 0, IBV_CQ_INIT_ATTR_MASK_FLAGS, 1U << 9, EINVAL },
		{ 0, IBV_CQ_INIT_ATTR_MASK_PD, 0, EOPNOTSUPP },
		{ 0, 1U << 9, 0, EINVAL },
	};
	unsigned int i, before = mock.ncmds[IB_USER_VERBS_CMD_CREATE_CQ];
	struct ibv_cq_init_attr_ex ca;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&ca, 0, sizeof(ca));
		ca.cqe = 4;
		ca.wc_flags = bad[i].wc_flags | IBV_WC_EX_WITH_BYTE_LEN;
		ca.comp_mask = bad[i].comp_mask;
		ca.flags = bad[i].flags;
		errno = 0;
		CHECK("refused", !ibv_create_cq_ex(ctx, &ca));
		CHECK_EQ("errno", errno, bad[i].err);
	}
	CHECK_EQ("no CREATE_CQ sent", mock.ncmds[IB_USER_VERBS_CMD_CREATE_CQ],
		 before);
}

/*
 * The fake device's RESIZE_CQ: first execute what is posted (the device
 * writing into the old ring while the provider resizes), then refuse, or
 * switch to the new ring at its producer index.
 */
static struct fcq *rs_fc;
static struct fqp *rs_fq;

static int fake_resize(uint32_t *switch_pc)
{
	uint32_t cnt = mock.resize_core.cqe;
	uint32_t ci = rs_fc->db[MLX5X_CQ_DBREC_CI];

	run_sq(rs_fq);
	CHECK_EQ("resize: cqe_size", mock.resize_drv.cqe_size, MLX5X_CQE_SIZE);
	if (((rs_fc->pc - ci) & MLX5X_CQ_CI_MASK) > cnt)
		return EINVAL;
	rs_fc->buf = (uint8_t *)(uintptr_t)mock.resize_drv.buf_addr;
	rs_fc->cnt = cnt;
	rs_fc->log = __builtin_ctz(cnt);
	*switch_pc = rs_fc->pc & MLX5X_CQ_CI_MASK;
	return 0;
}

static void test_resize(void)
{
	static const int sizes[] = { 2, 4, 8, 16, 32, 64 };
	static uint8_t rbuf[8];
	struct ibv_wc wc[64];
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	struct fcq fc;
	struct fqp fq;
	uint64_t posted = 0, next = 0, unpolled;
	int cqe = 16, want, rc, n, i, j, refused = 0, resized = 0;

	cq = ibv_create_cq(ctx, 16, NULL, NULL, 0);
	CHECK("CQ", cq);
	if (!cq)
		return;
	fcq_init(&fc, cq);
	qp = make_qp(cq, 8);
	CHECK("QP", qp);
	if (!qp)
		goto out;
	fqp_init(&fq, qp, &fc, &fc);
	rs_fc = &fc;
	rs_fq = &fq;
	mock.resize = fake_resize;

	CHECK_EQ("same size: no command", ibv_resize_cq(cq, 9), 0);
	CHECK_EQ("same size: no command",
		 mock.ncmds[IB_USER_VERBS_CMD_RESIZE_CQ], 0);

	srand(3);
	for (i = 0; i < 400; i++) {
		/* Post (run now, or left for the resize to run). */
		n = rand() % 5;
		while (n-- && posted - next / 2 < 8 &&
		       2 * (posted + 1) - next <= (uint64_t)cqe)
			post_pair(qp, posted++, rbuf);
		if (rand() & 1)
			run_sq(&fq);
		want = sizes[rand() % 6];
		rc = ibv_resize_cq(cq, want);
		unpolled = fc.pc - to_mcq(cq)->cons_index;
		if (rc) {
			CHECK_EQ("refused with EINVAL", rc, EINVAL);
			CHECK("refused only if too small",
			      (uint64_t)want < unpolled);
			CHECK_EQ("size kept", cq->cqe, cqe);
			refused++;
		} else {
			CHECK("switched only if it fits",
			      (uint64_t)want >= unpolled);
			CHECK_EQ("new size", cq->cqe, want);
			cqe = want;
			resized++;
		}
		run_sq(&fq);
		/* Poll some, in order: recv (1000000 + m) then send (m). */
		n = ibv_poll_cq(cq, rand() % 6, wc);
		for (j = 0; j < n; j++) {
			uint64_t m = next / 2;
			bool recv = !(next & 1);

			CHECK_EQ("status", wc[j].status, IBV_WC_SUCCESS);
			CHECK_EQ("wr_id in order", wc[j].wr_id,
				 recv ? 1000000 + m : m);
			if (recv)
				CHECK_EQ("imm", wc[j].imm_data, (uint32_t)m);
			next++;
		}
	}
	CHECK("some resizes", resized > 50);
	CHECK("some refusals", refused > 10);
	CHECK_EQ("destroy QP", ibv_destroy_qp(qp), 0);
out:
	mock.resize = NULL;
	CHECK_EQ("destroy CQ", ibv_destroy_cq(cq), 0);
}

int main(int argc, char **argv)
{
	struct verbs_device *vdev;
	struct ibv_device **list;

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
	ctx = open_context(vdev);
	CHECK("alloc_context", ctx);
	if (!ctx)
		goto out;
	pd = ibv_alloc_pd(ctx);
	CHECK("PD", pd);
	if (pd) {
		test_cq_ex_poll();
		test_cq_ex_refused();
		test_resize();
		CHECK_EQ("dealloc PD", ibv_dealloc_pd(pd), 0);
	}
	CHECK_EQ("close", ibv_close_device(ctx), 0);
	ibv_free_device_list(list);
out:
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all extended-CQ and resize checks passed\n");
	return 0;
}

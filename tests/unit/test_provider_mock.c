// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The provider's control path end to end against a mock of the kernel's
 * uverbs write() interface, without a kernel or a device (provider_mock.c).
 *
 * The test checks the exact bytes the provider puts on the wire and what
 * it does with replies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "provider_mock.h"

/* ---------------------------------------------------------------------
 * Tests
 */

static void test_registration(void)
{
	const struct verbs_match_ent *m;

	CHECK("provider matched the device", provider);
	if (!provider)
		return;
	CHECK("name", !strcmp(provider->name, "mlx5x"));
	CHECK_EQ("min abi", provider->match_min_abi_version,
		 MLX5X_UVERBS_ABI_VERSION);
	CHECK_EQ("max abi", provider->match_max_abi_version,
		 MLX5X_UVERBS_ABI_VERSION);
	m = provider->match_table;
	CHECK("match table", m);
	if (!m)
		return;
	CHECK_EQ("match kind", m[0].kind, VERBS_MATCH_MODALIAS);
	CHECK("match modalias", !strcmp(m[0].u.modalias, "platform:mlx5x"));
	CHECK_EQ("table ends", m[1].kind, VERBS_MATCH_SENTINEL);
}

static void test_context_refused(struct verbs_device *vdev)
{
	int refs = atomic_load(&vdev->refcount);
	struct ibv_context *ctx;

	mock.uctx = good_uctx;
	mock.uctx.cqe_size = 128;
	errno = 0;
	ctx = open_context(vdev);
	CHECK("context with foreign CQE size refused", !ctx);
	CHECK_EQ("errno", errno, EPROTO);
	CHECK("command fd closed on failure", mock.fd_closed);
	CHECK_EQ("device refcount back", atomic_load(&vdev->refcount), refs);
}

static void test_cq(struct ibv_context *ctx, struct ibv_cq **out)
{
	struct mlx5x_context *mctx = to_mctx(ctx);
	unsigned int before;
	struct ibv_cq *cq;
	uint8_t *ring;
	uint32_t *db;
	unsigned int i;

	before = mock.ncmds[IB_USER_VERBS_CMD_CREATE_CQ];
	errno = 0;
	CHECK("cqe 0 refused", !ibv_create_cq(ctx, 0, NULL, NULL, 0));
	CHECK_EQ("cqe 0: errno", errno, EINVAL);
	errno = 0;
	CHECK("cqe above max_cqe refused",
	      !ibv_create_cq(ctx, 4097, NULL, NULL, 0));
	CHECK_EQ("cqe 4097: errno", errno, EINVAL);
	CHECK_EQ("refused CQs never reach the kernel",
		 mock.ncmds[IB_USER_VERBS_CMD_CREATE_CQ], before);

	cq = ibv_create_cq(ctx, 5, NULL, NULL, 0);
	*out = cq;
	CHECK("create_cq", cq);
	if (!cq)
		return;
	CHECK_EQ("CREATE_CQ bytes in",
		 mock.in_bytes[IB_USER_VERBS_CMD_CREATE_CQ], 8 + 32 + 24);
	CHECK_EQ("CREATE_CQ bytes out",
		 mock.out_bytes[IB_USER_VERBS_CMD_CREATE_CQ], 8 + 8);
	CHECK_EQ("core cqe rounded", mock.cq_core.cqe, 8);
	CHECK_EQ("core comp_channel", (uint32_t)mock.cq_core.comp_channel,
		 (uint32_t)-1);
	CHECK_EQ("ibv_cq.cqe", cq->cqe, 8);
	CHECK_EQ("drv cqe_size", mock.cq_drv.cqe_size, MLX5X_CQE_SIZE);
	CHECK_EQ("drv reserved", mock.cq_drv.reserved, 0);
	CHECK_EQ("CQ buffer page aligned", mock.cq_drv.buf_addr % 4096, 0);
	CHECK_EQ("CQ dbrec aligned", mock.cq_drv.db_addr % MLX5X_DBREC_STRIDE,
		 0);
	CHECK_EQ("cqn kept", to_mcq(cq)->cqn, 0xc00 + mock.next_handle);

	ring = (uint8_t *)(uintptr_t)mock.cq_drv.buf_addr;
	for (i = 0; i < 8; i++)
		CHECK_EQ("CQE hardware owned",
			 ring[i * MLX5X_CQE_SIZE + MLX5X_CQE_SIZE - 1], 1);
	db = (uint32_t *)(uintptr_t)mock.cq_drv.db_addr;
	CHECK("CQ dbrec zeroed", db[0] == 0 && db[1] == 0);
	CHECK("CQ dbrec from the pool", mctx->dbrec_pool.pages);
}

static struct ibv_qp_init_attr rc_attr(struct ibv_cq *cq)
{
	return (struct ibv_qp_init_attr){
		.send_cq = cq,
		.recv_cq = cq,
		.cap = {
			.max_send_wr = 10,
			.max_recv_wr = 100,
			.max_send_sge = 4,
			.max_recv_sge = 3,
		},
		.qp_type = IBV_QPT_RC,
	};
}

static void test_qp_refused(struct ibv_pd *pd, struct ibv_cq *cq)
{
	unsigned int before = mock.ncmds[IB_USER_VERBS_CMD_CREATE_QP];
	struct ibv_qp_init_attr_ex ax;
	struct ibv_qp_init_attr a;

	a = rc_attr(cq);
	a.qp_type = IBV_QPT_XRC_SEND;
	errno = 0;
	CHECK("XRC refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("XRC: errno", errno, EOPNOTSUPP);

	a = rc_attr(cq);
	a.cap.max_send_sge = 9;
	errno = 0;
	CHECK("send_sge > device refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("send_sge: errno", errno, EINVAL);
	CHECK_EQ("caps untouched on failure", a.cap.max_send_sge, 9);

	a = rc_attr(cq);
	a.cap.max_inline_data = 129;
	errno = 0;
	CHECK("inline > device refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("inline: errno", errno, EINVAL);

	a = rc_attr(cq);
	a.cap.max_send_wr = 600;	/* 2 WQEBBs each: 2048 > 1024 */
	errno = 0;
	CHECK("SQ > device refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("SQ: errno", errno, EINVAL);

	a = rc_attr(cq);
	a.cap.max_recv_wr = 513;
	errno = 0;
	CHECK("RQ > device refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("RQ: errno", errno, EINVAL);

	memset(&ax, 0, sizeof(ax));
	memcpy(&ax, &a, sizeof(a));
	ax.cap = rc_attr(cq).cap;
	ax.comp_mask = IBV_QP_INIT_ATTR_PD | IBV_QP_INIT_ATTR_CREATE_FLAGS;
	ax.pd = pd;
	errno = 0;
	CHECK("create_qp_ex with create flags refused",
	      !ibv_create_qp_ex(pd->context, &ax));
	CHECK_EQ("create flags: errno", errno, EOPNOTSUPP);

	CHECK_EQ("refused QPs never reach the kernel",
		 mock.ncmds[IB_USER_VERBS_CMD_CREATE_QP], before);
}

static void test_qp(struct ibv_pd *pd, struct ibv_cq *cq)
{
	struct ibv_qp_init_attr a = rc_attr(cq), qinit;
	struct ibv_qp_init_attr_ex ax = {};
	struct ibv_qp_attr qattr = {};
	struct ibv_qp *qp, *qp2;
	uint32_t *db;

	qp = ibv_create_qp(pd, &a);
	CHECK("create_qp", qp);
	if (!qp)
		return;
	CHECK_EQ("CREATE_QP bytes in",
		 mock.in_bytes[IB_USER_VERBS_CMD_CREATE_QP], 8 + 56 + 32);
	CHECK_EQ("CREATE_QP bytes out",
		 mock.out_bytes[IB_USER_VERBS_CMD_CREATE_QP], 32 + 8);
	/* 4 SGEs: 112-byte WQEs, 2 WQEBBs; 10 WRs -> 20 -> 32 WQEBBs. */
	CHECK_EQ("drv sq_wqe_cnt", mock.qp_drv.sq_wqe_cnt, 32);
	CHECK_EQ("drv rq_wqe_cnt", mock.qp_drv.rq_wqe_cnt, 128);
	CHECK_EQ("drv rq_wqe_shift", mock.qp_drv.rq_wqe_shift, 6);
	CHECK_EQ("drv flags", mock.qp_drv.flags, 0);
	CHECK_EQ("QP buffer page aligned", mock.qp_drv.buf_addr % 4096, 0);
	CHECK_EQ("QP dbrec aligned", mock.qp_drv.db_addr % MLX5X_DBREC_STRIDE,
		 0);
	CHECK("QP and CQ dbrecs differ",
	      mock.qp_drv.db_addr != mock.cq_drv.db_addr);
	CHECK_EQ("core qp_type", mock.qp_core.qp_type, IBV_QPT_RC);
	CHECK_EQ("core is_srq", mock.qp_core.is_srq, 0);
	CHECK_EQ("core pd_handle", mock.qp_core.pd_handle, pd->handle);
	CHECK_EQ("core send_cq_handle", mock.qp_core.send_cq_handle,
		 cq->handle);
	CHECK_EQ("core max_send_wr (actual)", mock.qp_core.max_send_wr, 16);
	CHECK_EQ("core max_recv_wr (actual)", mock.qp_core.max_recv_wr, 128);
	CHECK_EQ("core max_send_sge (actual)", mock.qp_core.max_send_sge, 5);
	CHECK_EQ("core max_recv_sge (actual)", mock.qp_core.max_recv_sge, 4);
	CHECK_EQ("core max_inline (actual)", mock.qp_core.max_inline_data, 76);
	CHECK_EQ("reported max_send_wr", a.cap.max_send_wr, 16);
	CHECK_EQ("reported max_recv_wr", a.cap.max_recv_wr, 128);
	CHECK_EQ("reported max_send_sge", a.cap.max_send_sge, 5);
	CHECK_EQ("reported max_recv_sge", a.cap.max_recv_sge, 4);
	CHECK_EQ("reported max_inline", a.cap.max_inline_data, 76);
	CHECK_EQ("qp_num", qp->qp_num, 0x900 + mock.next_handle);
	CHECK_EQ("qpn kept", to_mqp(qp)->qpn, 0x900 + mock.next_handle);
	CHECK_EQ("QP state", qp->state, IBV_QPS_RESET);

	/* MODIFY to INIT leaves the dbrec alone; back to RESET rewinds it. */
	db = (uint32_t *)(uintptr_t)mock.qp_drv.db_addr;
	db[MLX5X_QP_DBREC_RCV] = 5;
	db[MLX5X_QP_DBREC_SND] = 7;
	qattr.qp_state = IBV_QPS_INIT;
	CHECK_EQ("modify to INIT", ibv_modify_qp(qp, &qattr, IBV_QP_STATE), 0);
	CHECK_EQ("dbrec kept", db[MLX5X_QP_DBREC_SND], 7);
	qattr.qp_state = IBV_QPS_RESET;
	CHECK_EQ("modify to RESET", ibv_modify_qp(qp, &qattr, IBV_QP_STATE), 0);
	CHECK("dbrec rewound", db[MLX5X_QP_DBREC_RCV] == 0 &&
	      db[MLX5X_QP_DBREC_SND] == 0);
	CHECK_EQ("MODIFY_QP sent", mock.ncmds[IB_USER_VERBS_CMD_MODIFY_QP], 2);

	memset(&qattr, 0, sizeof(qattr));
	memset(&qinit, 0, sizeof(qinit));
	CHECK_EQ("query_qp", ibv_query_qp(qp, &qattr, IBV_QP_STATE | IBV_QP_CAP,
					  &qinit), 0);
	CHECK_EQ("queried state", qattr.qp_state, IBV_QPS_INIT);
	CHECK_EQ("queried init max_send_wr", qinit.cap.max_send_wr, 16);
	CHECK_EQ("queried init max_recv_wr", qinit.cap.max_recv_wr, 128);
	CHECK_EQ("queried max_send_wr", qattr.cap.max_send_wr, 16);
	CHECK_EQ("queried max_inline", qattr.cap.max_inline_data, 76);

	/* The data path answers (test_provider_datapath tests it). */
	{
		struct ibv_send_wr wr = { .opcode = 0x7f }, *bad = NULL;

		CHECK_EQ("post_send of a bad opcode",
			 ibv_post_send(qp, &wr, &bad), EINVAL);
		CHECK("bad_wr", bad == &wr);
	}

	/* ibv_create_qp_ex with only a PD is the same QP. */
	memcpy(&ax, &a, sizeof(a));
	ax.cap = rc_attr(cq).cap;
	ax.cap.max_send_wr = 0;		/* still gets one send WQE */
	ax.cap.max_recv_wr = 0;
	ax.comp_mask = IBV_QP_INIT_ATTR_PD;
	ax.pd = pd;
	qp2 = ibv_create_qp_ex(pd->context, &ax);
	CHECK("create_qp_ex (PD only)", qp2);
	CHECK_EQ("no-WR QP: sq_wqe_cnt", mock.qp_drv.sq_wqe_cnt, 2);
	CHECK_EQ("no-WR QP: rq_wqe_cnt", mock.qp_drv.rq_wqe_cnt, 0);
	CHECK_EQ("no-WR QP: max_send_wr", ax.cap.max_send_wr, 1);
	CHECK_EQ("no-WR QP: max_recv_wr", ax.cap.max_recv_wr, 0);
	if (qp2)
		CHECK_EQ("destroy qp2", ibv_destroy_qp(qp2), 0);

	CHECK_EQ("destroy qp", ibv_destroy_qp(qp), 0);
}

int main(int argc, char **argv)
{
	struct ibv_device_attr dattr;
	struct verbs_device *vdev;
	struct ibv_context *ctx;
	struct ibv_device **list;
	struct ibv_cq *cq = NULL;
	struct ibv_pd *pd;
	struct ibv_mr *mr;
	static char mrbuf[4096];
	int wcn;
	struct ibv_wc wc;

	if (argc != 2) {
		fprintf(stderr, "usage: %s libmlx5x-rdmav34.so\n", argv[0]);
		return 2;
	}
	if (!make_sysfs())
		return 1;
	vdev = find_device(argv[1], &list);
	sysfs_remove();
	test_registration();
	if (!vdev)
		goto out;

	test_context_refused(vdev);

	mock.uctx = good_uctx;
	ctx = open_context(vdev);
	CHECK("alloc_context", ctx);
	if (!ctx)
		goto out;
	CHECK_EQ("GET_CONTEXT bytes in",
		 mock.in_bytes[IB_USER_VERBS_CMD_GET_CONTEXT], 8 + 8);
	CHECK_EQ("GET_CONTEXT bytes out",
		 mock.out_bytes[IB_USER_VERBS_CMD_GET_CONTEXT], 8 + 56);
	CHECK("UAR mapped", mock.uar);
	CHECK_EQ("UAR length", mock.uar_len, 4096);
	CHECK_EQ("UAR offset", mock.uar_off, MOCK_UAR_OFFSET);
	CHECK_EQ("UAR prot", mock.uar_prot, PROT_READ | PROT_WRITE);
	CHECK_EQ("UAR flags", mock.uar_flags, MAP_SHARED);
	CHECK_EQ("limits kept", to_mctx(ctx)->qp_limits.max_send_wqebb, 1024);

	CHECK_EQ("query_device", ibv_query_device(ctx, &dattr), 0);
	CHECK("fw_ver formatted", !strcmp(dattr.fw_ver, "1.2.3"));
	CHECK_EQ("vendor_id", dattr.vendor_id, 0x1234);

	pd = ibv_alloc_pd(ctx);
	CHECK("alloc_pd", pd);
	if (!pd)
		goto close;
	mr = ibv_reg_mr(pd, mrbuf, sizeof(mrbuf), IBV_ACCESS_LOCAL_WRITE);
	CHECK("reg_mr", mr);
	if (mr) {
		CHECK_EQ("lkey", mr->lkey, 0x100 + mock.next_handle);
		CHECK_EQ("rkey", mr->rkey, 0x200 + mock.next_handle);
		CHECK_EQ("MR start", mock.mr_core.start, (uintptr_t)mrbuf);
		CHECK_EQ("MR hca_va", mock.mr_core.hca_va, (uintptr_t)mrbuf);
		CHECK_EQ("MR access", mock.mr_core.access_flags,
			 IBV_ACCESS_LOCAL_WRITE);
		CHECK_EQ("dereg_mr", ibv_dereg_mr(mr), 0);
	}

	test_cq(ctx, &cq);
	if (cq) {
		/* An empty CQ. (The data path: test_provider_datapath.) */
		wcn = ibv_poll_cq(cq, 1, &wc);
		CHECK_EQ("poll_cq of an empty CQ", wcn, 0);
		test_qp_refused(pd, cq);
		test_qp(pd, cq);
		CHECK_EQ("destroy_cq", ibv_destroy_cq(cq), 0);
	}
	CHECK_EQ("dealloc_pd", ibv_dealloc_pd(pd), 0);
	CHECK("all dbrec pages released", !to_mctx(ctx)->dbrec_pool.pages);

close:
	CHECK_EQ("close_device", ibv_close_device(ctx), 0);
	CHECK("UAR unmapped", mock.uar_unmapped);
	CHECK("command fd closed", mock.fd_closed);
	ibv_free_device_list(list);
out:
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all mock-kernel checks passed\n");
	return 0;
}

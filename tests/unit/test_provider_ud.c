// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * UD and UC in the provider, against the mock kernel: the AH's address
 * vector, the UD send WQE byte for byte (ibv_post_send and ibv_wr_*), and
 * the opcodes each QP type refuses at post time.
 */
#include <errno.h>
#include <string.h>

#include "provider_mock.h"

static struct ibv_context *ctx;
static struct ibv_pd *pd;
static struct ibv_cq *cq;

static struct ibv_qp *make_qp(enum ibv_qp_type type, uint64_t ops)
{
	struct ibv_qp_init_attr_ex a = {
		.send_cq = cq, .recv_cq = cq, .qp_type = type,
		.cap = { .max_send_wr = 8, .max_recv_wr = 8,
			 .max_send_sge = 2, .max_recv_sge = 2,
			 .max_inline_data = 32 },
		.comp_mask = IBV_QP_INIT_ATTR_PD, .pd = pd,
	};

	if (ops) {
		a.comp_mask |= IBV_QP_INIT_ATTR_SEND_OPS_FLAGS;
		a.send_ops_flags = ops;
	}
	return ibv_create_qp_ex(ctx, &a);
}

/* WQEBB @pi of the SQ of the QP created last (the mock kept its layout). */
static uint8_t *sq_wqe(uint32_t pi)
{
	const struct mlx5x_create_qp *d = &mock.qp_drv;
	uint8_t *sq = (uint8_t *)(uintptr_t)d->buf_addr +
		      ((size_t)d->rq_wqe_cnt << d->rq_wqe_shift);

	return sq + (size_t)(pi & (d->sq_wqe_cnt - 1)) * MLX5X_WQEBB_SIZE;
}

static void check_ud_wqe(const char *what, uint32_t pi, uint8_t opcode,
			 const void *data)
{
	struct mlx5x_wqe_ctrl_seg c;
	struct mlx5x_wqe_datagram_seg d;
	struct mlx5x_wqe_data_seg s;
	uint8_t *w = sq_wqe(pi);

	printf("  %s\n", what);
	memcpy(&c, w, sizeof(c));
	memcpy(&d, w + 16, sizeof(d));
	memcpy(&s, w + 48, sizeof(s));
	CHECK_EQ("opcode", c.opcode, opcode);
	CHECK_EQ("ds: ctrl + datagram (2) + data", c.qpn_ds & 0xff, 4);
	CHECK_EQ("dqpn", d.dqpn, 0x123456);
	CHECK_EQ("qkey", d.qkey, 0x80000000);
	CHECK_EQ("dgid[15]", d.dgid[15], 9);
	CHECK_EQ("dgid[10]", d.dgid[10], 0xff);
	CHECK_EQ("sgid_index", d.sgid_index, 3);
	CHECK_EQ("hop_limit", d.hop_limit, 9);
	CHECK_EQ("tclass_flow", d.tclass_flow, 0x20U << 20 | 0x12345);
	CHECK_EQ("sl", d.sl, 2);
	CHECK_EQ("data length", s.byte_count, 16);
	CHECK_EQ("data lkey", s.lkey, 0x42);
	CHECK_EQ("data addr", s.addr, (uintptr_t)data);
}

static void test_ud(void)
{
	static char data[64];
	struct ibv_ah_attr aa = {
		.is_global = 1, .port_num = 1, .sl = 2,
		.grh = { .sgid_index = 3, .hop_limit = 9, .traffic_class = 0x20,
			 .flow_label = 0x12345 },
	};
	struct ibv_sge sge = { (uintptr_t)data, 16, 0x42 };
	struct ibv_send_wr wr = {
		.wr_id = 1, .sg_list = &sge, .num_sge = 1,
		.opcode = IBV_WR_SEND_WITH_IMM, .send_flags = IBV_SEND_SIGNALED,
	}, *bad;
	struct ibv_qp_ex *qx;
	struct ibv_qp *qp;
	struct ibv_ah *ah;

	CHECK("UD QP with WRITE in send_ops_flags refused",
	      !make_qp(IBV_QPT_UD, IBV_QP_EX_WITH_SEND |
		       IBV_QP_EX_WITH_RDMA_WRITE));
	qp = make_qp(IBV_QPT_UD, IBV_QP_EX_WITH_SEND |
		     IBV_QP_EX_WITH_SEND_WITH_IMM);
	CHECK("UD QP", qp);
	if (!qp)
		return;
	CHECK_EQ("UD: create_qp's qp_type", mock.qp_core.qp_type, IBV_QPT_UD);

	errno = 0;
	aa.is_global = 0;
	CHECK("AH without GRH refused", !ibv_create_ah(pd, &aa));
	CHECK_EQ("AH without GRH: EINVAL", errno, EINVAL);
	aa.is_global = 1;
	aa.grh.dgid.raw[10] = 0xff;
	aa.grh.dgid.raw[11] = 0xff;
	aa.grh.dgid.raw[15] = 9;
	ah = ibv_create_ah(pd, &aa);
	CHECK("AH", ah);
	if (!ah)
		return;
	CHECK_EQ("CREATE_AH sent once", mock.ncmds[IB_USER_VERBS_CMD_CREATE_AH],
		 1);

	wr.wr.ud.ah = ah;
	wr.wr.ud.remote_qpn = 0xff123456;	/* 24 bits are kept */
	wr.wr.ud.remote_qkey = 0x80000000;
	CHECK_EQ("UD post", ibv_post_send(qp, &wr, &bad), 0);
	check_ud_wqe("post_send SEND_IMM", 0, MLX5X_OPCODE_SEND_IMM, data);

	wr.opcode = IBV_WR_RDMA_WRITE;
	CHECK_EQ("UD RDMA_WRITE: EINVAL", ibv_post_send(qp, &wr, &bad),
		 EINVAL);
	wr.opcode = IBV_WR_SEND;
	wr.wr.ud.ah = NULL;
	CHECK_EQ("UD without AH: EINVAL", ibv_post_send(qp, &wr, &bad),
		 EINVAL);

	qx = ibv_qp_to_qp_ex(qp);
	ibv_wr_start(qx);
	qx->wr_id = 2;
	ibv_wr_send(qx);
	ibv_wr_set_ud_addr(qx, ah, 0x123456, 0x80000000);
	ibv_wr_set_sge(qx, 0x42, (uintptr_t)data, 16);
	CHECK_EQ("wr_send + set_ud_addr", ibv_wr_complete(qx), 0);
	check_ud_wqe("ibv_wr_send", 1, MLX5X_OPCODE_SEND, data);

	ibv_wr_start(qx);
	ibv_wr_send(qx);
	ibv_wr_set_sge(qx, 0x42, (uintptr_t)data, 16);
	CHECK_EQ("wr_send without set_ud_addr: EINVAL", ibv_wr_complete(qx),
		 EINVAL);
	ibv_wr_start(qx);
	ibv_wr_rdma_write(qx, 1, 2);
	CHECK_EQ("wr_rdma_write on UD: EINVAL", ibv_wr_complete(qx), EINVAL);

	CHECK_EQ("destroy AH", ibv_destroy_ah(ah), 0);
	CHECK_EQ("DESTROY_AH sent", mock.ncmds[IB_USER_VERBS_CMD_DESTROY_AH],
		 1);
	CHECK_EQ("destroy UD QP", ibv_destroy_qp(qp), 0);
}

static void test_uc(void)
{
	static char data[8];
	struct ibv_sge sge = { (uintptr_t)data, 8, 0x42 };
	struct ibv_send_wr wr = { .sg_list = &sge, .num_sge = 1 }, *bad;
	struct ibv_qp *qp;

	CHECK("UC QP with READ in send_ops_flags refused",
	      !make_qp(IBV_QPT_UC, IBV_QP_EX_WITH_RDMA_READ));
	qp = make_qp(IBV_QPT_UC, 0);
	CHECK("UC QP", qp);
	if (!qp)
		return;
	wr.opcode = IBV_WR_RDMA_READ;
	CHECK_EQ("UC READ: EINVAL", ibv_post_send(qp, &wr, &bad), EINVAL);
	wr.opcode = IBV_WR_ATOMIC_FETCH_AND_ADD;
	CHECK_EQ("UC atomic: EINVAL", ibv_post_send(qp, &wr, &bad), EINVAL);
	wr.opcode = IBV_WR_RDMA_WRITE_WITH_IMM;
	CHECK_EQ("UC WRITE_IMM", ibv_post_send(qp, &wr, &bad), 0);
	CHECK_EQ("UC WRITE_IMM opcode", sq_wqe(0)[0],
		 MLX5X_OPCODE_RDMA_WRITE_IMM);
	CHECK_EQ("destroy UC QP", ibv_destroy_qp(qp), 0);
}

int main(int argc, char **argv)
{
	struct verbs_device *vdev;
	struct ibv_device **list;

	if (argc != 2 || !make_sysfs())
		return 2;
	vdev = find_device(argv[1], &list);
	sysfs_remove();
	if (!vdev)
		return 1;
	mock.uctx = good_uctx;
	ctx = open_context(vdev);
	pd = ctx ? ibv_alloc_pd(ctx) : NULL;
	cq = pd ? ibv_create_cq(ctx, 16, NULL, NULL, 0) : NULL;
	CHECK("context, PD, CQ", cq);
	if (cq) {
		test_ud();
		test_uc();
		ibv_destroy_cq(cq);
		ibv_dealloc_pd(pd);
		ibv_close_device(ctx);
	}
	ibv_free_device_list(list);
	printf("%s (%d failed)\n", failures ? "FAILED" : "all UD/UC checks passed",
	       failures);
	return failures ? 1 : 0;
}

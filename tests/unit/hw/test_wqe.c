// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Send and receive WQE decoding (hw_wqe.c): a good WQE of every opcode,
 * a WQE built across the ring end, and each rule a WQE can break; UD and
 * UC WQEs, and the GRH area of a UD receive (hw_grh.c).
 */
#include "hw_test.h"
#include "hw_eng.h"

#define QPN	0x123
#define SQ_BBS	64

static u8 ring[SQ_BBS * MLX5X_WQEBB_SIZE];
static u8 buf[MLX5X_MAX_WQE_BBS * MLX5X_WQEBB_SIZE];

static struct mlx5x_hw_wqe_limits lim(u16 index)
{
	struct mlx5x_hw_wqe_limits l = {
		.qpn = QPN, .expect_index = index, .max_sge = 16,
		.max_inline = 256, .log_max_msg = 31, .sq_wqebbs = SQ_BBS,
		.atomics = true,
	};
	return l;
}

/* A WQE builder writing 16-byte segments at @p. */
struct builder {
	u8 *p;
	u32 ds;
};

static void b_ctrl(struct builder *b, u8 opcode, u16 index, u32 ds)
{
	struct mlx5x_wqe_ctrl_seg c = {
		.opcode = opcode, .flags = MLX5X_WQE_CTRL_SIGNALED,
		.wqe_index = index, .qpn_ds = QPN << 8 | ds, .imm = 0xabcd,
	};

	memset(b->p, 0, (size_t)MLX5X_MAX_WQE_BBS * MLX5X_WQEBB_SIZE);
	memcpy(b->p, &c, sizeof(c));
	b->ds = 1;
}

static void b_raddr(struct builder *b, u64 raddr, u32 rkey)
{
	struct mlx5x_wqe_raddr_seg r = { .raddr = raddr, .rkey = rkey };

	memcpy(b->p + b->ds++ * 16, &r, sizeof(r));
}

static void b_atomic(struct builder *b, u64 swap, u64 cmp)
{
	struct mlx5x_wqe_atomic_seg a = { .swap_add = swap, .compare = cmp };

	memcpy(b->p + b->ds++ * 16, &a, sizeof(a));
}

static void b_data(struct builder *b, u32 len, u32 lkey, u64 addr)
{
	struct mlx5x_wqe_data_seg d = {
		.byte_count = len, .lkey = lkey, .addr = addr,
	};

	memcpy(b->p + b->ds++ * 16, &d, sizeof(d));
}

static void b_inline(struct builder *b, u32 len)
{
	u32 hdr = MLX5X_INLINE_SEG | len, i;
	u8 *d = b->p + b->ds * 16;

	memcpy(d, &hdr, sizeof(hdr));
	for (i = 0; i < len; i++)
		d[4 + i] = (u8)i;
	b->ds += (4 + len + 15) / 16;
}

/* Patch ds into the ctrl segment after building. */
static void b_done(struct builder *b)
{
	u32 v = QPN << 8 | b->ds;

	memcpy(b->p + 4, &v, sizeof(v));
}

static int parse(u16 index, struct mlx5x_hw_wqe *w)
{
	struct mlx5x_hw_wqe_limits l = lim(index);

	return mlx5x_hw_wqe_parse(buf, sizeof(buf), &l, w);
}

static void test_good(void)
{
	struct builder b = { .p = buf };
	struct mlx5x_hw_wqe w;

	hw_test_ctx = "send";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 7, 0);
	b_data(&b, 100, 0x1234, 0x1000);
	b_data(&b, 28, 0x1234, 0x2000);
	b_done(&b);
	EXPECT_EQ(parse(7, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.nsge, 2);
	EXPECT_EQ(w.length, 128);
	EXPECT_EQ(w.nbbs, 1);
	EXPECT_EQ(w.wqe_index, 7);
	EXPECT_EQ(w.imm, 0xabcd);

	hw_test_ctx = "send 0 sge";
	b_ctrl(&b, MLX5X_OPCODE_SEND_IMM, 0, 0);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.length, 0);

	hw_test_ctx = "send inline";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 3, 0);
	b_inline(&b, 60);
	b_done(&b);
	EXPECT_EQ(parse(3, &w), MLX5X_WQE_OK);
	EXPECT_TRUE(w.is_inline);
	EXPECT_EQ(w.inline_len, 60);
	EXPECT_EQ(w.inline_data[59], 59);
	EXPECT_EQ(w.nbbs, 2);	/* 1 + 4 segments = 80 bytes */

	hw_test_ctx = "write";
	b_ctrl(&b, MLX5X_OPCODE_RDMA_WRITE, 9, 0);
	b_raddr(&b, 0xdead0000, 0x5501);
	b_data(&b, 4096, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse(9, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.raddr, 0xdead0000);
	EXPECT_EQ(w.rkey, 0x5501);
	EXPECT_EQ(w.length, 4096);

	hw_test_ctx = "write imm inline";
	b_ctrl(&b, MLX5X_OPCODE_RDMA_WRITE_IMM, 9, 0);
	b_raddr(&b, 0xdead0000, 0x5501);
	b_inline(&b, 12);	/* exactly one segment */
	b_done(&b);
	EXPECT_EQ(parse(9, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.ds, 3);

	hw_test_ctx = "read";
	b_ctrl(&b, MLX5X_OPCODE_RDMA_READ, 1, 0);
	b_raddr(&b, 0x10, 0x5501);
	b_data(&b, 64, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse(1, &w), MLX5X_WQE_OK);
	EXPECT_EQ(mlx5x_hw_wqe_byte_cnt(&w), 64);

	hw_test_ctx = "atomic cs";
	b_ctrl(&b, MLX5X_OPCODE_ATOMIC_CS, 2, 0);
	b_raddr(&b, 0x18, 0x5501);
	b_atomic(&b, 5, 4);
	b_data(&b, 8, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse(2, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.swap_add, 5);
	EXPECT_EQ(w.compare, 4);
	EXPECT_EQ(mlx5x_hw_wqe_byte_cnt(&w), 8);

	hw_test_ctx = "atomic fa";
	b_ctrl(&b, MLX5X_OPCODE_ATOMIC_FA, 2, 0);
	b_raddr(&b, 0x18, 0x5501);
	b_atomic(&b, 1, 0);
	b_data(&b, 8, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse(2, &w), MLX5X_WQE_OK);

	hw_test_ctx = "nop";
	b_ctrl(&b, MLX5X_OPCODE_NOP, 4, 0);
	b_done(&b);
	EXPECT_EQ(parse(4, &w), MLX5X_WQE_OK);

	hw_test_ctx = "16 sge, 4 WQEBBs";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 4, 0);
	for (int i = 0; i < 16; i++)
		b_data(&b, 1, 0x1234, 0x1000 + i);
	b_done(&b);
	EXPECT_EQ(parse(4, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.nbbs, 5);	/* 17 segments */
	EXPECT_EQ(w.length, 16);
}

static void test_bad(void)
{
	struct builder b = { .p = buf };
	struct mlx5x_hw_wqe w;
	struct mlx5x_hw_wqe_limits l;

	hw_test_ctx = "bad opcode";
	b_ctrl(&b, 0x33, 0, 0);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_BAD_OPCODE);
	b_ctrl(&b, MLX5X_OPCODE_SEND_INVAL, 0, 0);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_BAD_OPCODE);

	hw_test_ctx = "atomics off";
	b_ctrl(&b, MLX5X_OPCODE_ATOMIC_FA, 0, 0);
	b_raddr(&b, 0x18, 0x5501);
	b_atomic(&b, 1, 0);
	b_data(&b, 8, 0x1234, 0x1000);
	b_done(&b);
	l = lim(0);
	l.atomics = false;
	EXPECT_EQ(mlx5x_hw_wqe_parse(buf, sizeof(buf), &l, &w),
		  MLX5X_WQE_BAD_OPCODE);

	hw_test_ctx = "ds 0";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_BAD_DS);
	hw_test_ctx = "ds > MAX_WQE_BBS";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, MLX5X_MAX_WQE_BBS * 4 + 1);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_BAD_DS);
	EXPECT_EQ(mlx5x_hw_wqe_nbbs(MLX5X_MAX_WQE_BBS * 4, 64), 16);
	EXPECT_EQ(mlx5x_hw_wqe_nbbs(MLX5X_MAX_WQE_BBS * 4, 8), 0);
	EXPECT_EQ(mlx5x_hw_wqe_nbbs(5, 64), 2);
	hw_test_ctx = "ds past the buffer";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 8);
	l = lim(0);
	EXPECT_EQ(mlx5x_hw_wqe_parse(buf, 64, &l, &w), MLX5X_WQE_BAD_DS);

	hw_test_ctx = "write without raddr";
	b_ctrl(&b, MLX5X_OPCODE_RDMA_WRITE, 0, 1);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_DS_MISMATCH);
	hw_test_ctx = "nop with data";
	b_ctrl(&b, MLX5X_OPCODE_NOP, 0, 2);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_DS_MISMATCH);

	hw_test_ctx = "wrong qpn";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 1);
	{
		u32 v = (QPN + 1) << 8 | 1;

		memcpy(buf + 4, &v, 4);
	}
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_BAD_QPN);

	hw_test_ctx = "wrong index";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 5, 1);
	EXPECT_EQ(parse(6, &w), MLX5X_WQE_BAD_INDEX);
	EXPECT_EQ(parse(5, &w), MLX5X_WQE_OK);

	hw_test_ctx = "17 sge";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	for (int i = 0; i < 17; i++)
		b_data(&b, 1, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_TOO_MANY_SGE);
	hw_test_ctx = "3 sge, max 2";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	for (int i = 0; i < 3; i++)
		b_data(&b, 1, 0x1234, 0x1000);
	b_done(&b);
	l = lim(0);
	l.max_sge = 2;
	EXPECT_EQ(mlx5x_hw_wqe_parse(buf, sizeof(buf), &l, &w),
		  MLX5X_WQE_TOO_MANY_SGE);

	hw_test_ctx = "inline > max";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	b_inline(&b, 257);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_INLINE_LEN);
	hw_test_ctx = "inline past ds";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	b_inline(&b, 40);
	b.ds--;		/* one segment short */
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_INLINE_LEN);
	hw_test_ctx = "inline with slack";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	b_inline(&b, 12);
	b.ds++;
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_INLINE_LEN);
	hw_test_ctx = "inline read";
	b_ctrl(&b, MLX5X_OPCODE_RDMA_READ, 0, 0);
	b_raddr(&b, 0, 1);
	b_inline(&b, 8);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_INLINE_NOT_ALLOWED);

	hw_test_ctx = "atomic 16 bytes";
	b_ctrl(&b, MLX5X_OPCODE_ATOMIC_CS, 0, 0);
	b_raddr(&b, 0x18, 0x5501);
	b_atomic(&b, 5, 4);
	b_data(&b, 16, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_ATOMIC_LEN);
	hw_test_ctx = "atomic 2 sge";
	b_ctrl(&b, MLX5X_OPCODE_ATOMIC_CS, 0, 0);
	b_raddr(&b, 0x18, 0x5501);
	b_atomic(&b, 5, 4);
	b_data(&b, 4, 0x1234, 0x1000);
	b_data(&b, 4, 0x1234, 0x1004);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_ATOMIC_LEN);

	/*
	 * A first data segment with bit 31 set reads as an inline header
	 * (the contract's encoding): an SGE is at most 2^31 - 1 bytes.
	 */
	hw_test_ctx = "message too long";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	b_data(&b, 1, 0x1234, 0);
	b_data(&b, 0x7fffffff, 0x1234, 0);
	b_data(&b, 1, 0x1234, 0);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_MSG_TOO_LONG);
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	b_data(&b, 1, 0x1234, 0);
	b_data(&b, 0x7fffffff, 0x1234, 0);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_OK);	/* exactly 2^31 */
	hw_test_ctx = "sum of u32 overflows u32";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 0, 0);
	for (int i = 0; i < 3; i++)
		b_data(&b, 0x7fffffff, 0x1234, 0);
	b_done(&b);
	EXPECT_EQ(parse(0, &w), MLX5X_WQE_MSG_TOO_LONG);
}

/*
 * A WQE that starts 2 WQEBBs before the end of the ring: the engine
 * copies WQEBB i from (pi + i) & (n - 1), which this mimics.
 */
static void test_wrap(void)
{
	struct builder b = { .p = buf };
	struct mlx5x_hw_wqe w;
	u16 pi = 0xfffe;	/* 16-bit counter wraps too */
	u32 i, nbbs;

	hw_test_ctx = "wrap";
	b_ctrl(&b, MLX5X_OPCODE_SEND, pi, 0);
	for (i = 0; i < 10; i++)
		b_data(&b, 10, 0x1234, 0x1000 + i);
	b_done(&b);		/* 11 segments: 3 WQEBBs */
	for (i = 0; i < 3; i++)
		memcpy(ring + (((u16)(pi + i)) & (SQ_BBS - 1)) * 64,
		       buf + i * 64, 64);
	memset(buf, 0xee, sizeof(buf));
	memcpy(buf, ring + (pi & (SQ_BBS - 1)) * 64, 16);
	nbbs = mlx5x_hw_wqe_nbbs(((struct mlx5x_wqe_ctrl_seg *)buf)->qpn_ds,
				 SQ_BBS);
	EXPECT_EQ(nbbs, 3);
	memcpy(buf + 16, ring + (pi & (SQ_BBS - 1)) * 64 + 16, 48);
	for (i = 1; i < nbbs; i++)
		memcpy(buf + i * 64,
		       ring + (((u16)(pi + i)) & (SQ_BBS - 1)) * 64, 64);
	EXPECT_EQ(parse(pi, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.nsge, 10);
	EXPECT_EQ(w.sge[9].addr, 0x1009);
	EXPECT_EQ(w.length, 100);
}

static void test_recv(void)
{
	struct mlx5x_wqe_data_seg in[4] = {
		{ 100, 0x200, 0x1000 }, { 50, 0x200, 0x2000 },
		{ 0, MLX5X_INVALID_LKEY, 0 }, { 99, 0x200, 0x3000 },
	};
	struct mlx5x_wqe_data_seg sge[16];
	u64 total;

	hw_test_ctx = "recv";
	EXPECT_EQ(mlx5x_hw_recv_parse(in, sizeof(in), 16, sge, &total), 2);
	EXPECT_EQ(total, 150);
	in[2].lkey = 0x200;
	EXPECT_EQ(mlx5x_hw_recv_parse(in, sizeof(in), 16, sge, &total), 4);
	EXPECT_EQ(total, 249);
	EXPECT_EQ(mlx5x_hw_recv_parse(in, sizeof(in), 3, sge, &total), -1);
	EXPECT_EQ(mlx5x_hw_recv_parse(in, 16, 16, sge, &total), 1);
	in[0].lkey = MLX5X_INVALID_LKEY;
	EXPECT_EQ(mlx5x_hw_recv_parse(in, sizeof(in), 16, sge, &total), 0);
	EXPECT_EQ(total, 0);
}

static int parse_st(u16 index, u8 st, u32 ud_max_msg, struct mlx5x_hw_wqe *w)
{
	struct mlx5x_hw_wqe_limits l = lim(index);

	l.st = st;
	l.ud_max_msg = ud_max_msg;
	return mlx5x_hw_wqe_parse(buf, sizeof(buf), &l, w);
}

/* A device with windows, LOCAL_INV and SEND_INVAL, and a QP of type @st. */
static int parse_mw(u16 index, u8 st, struct mlx5x_hw_wqe *w)
{
	struct mlx5x_hw_wqe_limits l = lim(index);

	l.st = st;
	l.mw = true;
	return mlx5x_hw_wqe_parse(buf, sizeof(buf), &l, w);
}

static void b_dgram(struct builder *b, u32 dqpn, u32 qkey)
{
	struct mlx5x_wqe_datagram_seg d = {
		.dqpn = dqpn, .qkey = qkey, .sgid_index = 3, .hop_limit = 9,
		.tclass_flow = 0x20U << MLX5X_AV_TCLASS_SHIFT | 0x12345,
	};

	d.dgid[15] = 0x77;
	memcpy(b->p + b->ds * 16, &d, sizeof(d));
	b->ds += sizeof(d) / 16;
}

/* UD: ctrl, datagram, data; sends only, up to the path MTU. UC: no READ. */
static void test_ud_uc(void)
{
	struct builder b = { .p = buf };
	struct mlx5x_hw_wqe w;
	u8 op;

	EXPECT_EQ(sizeof(struct mlx5x_wqe_datagram_seg), 32);
	hw_test_ctx = "ud send";
	b_ctrl(&b, MLX5X_OPCODE_SEND_IMM, 4, 0);
	b_dgram(&b, 0xabcdef, 0x80000000);
	b_data(&b, 1024, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse_st(4, MLX5X_QP_ST_UD, 1024, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.dgram.dqpn, 0xabcdef);
	EXPECT_EQ(w.dgram.qkey, 0x80000000);
	EXPECT_EQ(w.dgram.dgid[15], 0x77);
	EXPECT_EQ(w.dgram.sgid_index, 3);
	EXPECT_EQ(w.nsge, 1);
	EXPECT_EQ(w.length, 1024);
	EXPECT_EQ(w.rkey, 0);
	hw_test_ctx = "ud send > MTU";
	EXPECT_EQ(parse_st(4, MLX5X_QP_ST_UD, 512, &w),
		  MLX5X_WQE_MSG_TOO_LONG);
	hw_test_ctx = "ud inline";
	b_ctrl(&b, MLX5X_OPCODE_SEND, 5, 0);
	b_dgram(&b, 1, 2);
	b_inline(&b, 100);
	b_done(&b);
	EXPECT_EQ(parse_st(5, MLX5X_QP_ST_UD, 256, &w), MLX5X_WQE_OK);
	EXPECT_TRUE(w.is_inline);
	EXPECT_EQ(w.inline_len, 100);
	EXPECT_EQ(w.inline_data[99], 99);

	for (op = 0; op < 0x20; op++) {
		hw_test_ctx = "ud opcodes";
		b_ctrl(&b, op, 1, 0);
		b_dgram(&b, 1, 2);
		b_data(&b, 8, 0x1234, 0x1000);
		b_done(&b);
		if (op != MLX5X_OPCODE_SEND && op != MLX5X_OPCODE_SEND_IMM &&
		    op != MLX5X_OPCODE_NOP)
			EXPECT_EQ(parse_st(1, MLX5X_QP_ST_UD, 0, &w),
				  MLX5X_WQE_BAD_OPCODE);
	}
	hw_test_ctx = "uc read, atomics";
	b_ctrl(&b, MLX5X_OPCODE_RDMA_READ, 2, 0);
	b_raddr(&b, 0x1000, 0x5501);
	b_data(&b, 8, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse_st(2, MLX5X_QP_ST_UC, 0, &w), MLX5X_WQE_BAD_OPCODE);
	EXPECT_EQ(parse_st(2, MLX5X_QP_ST_RC, 0, &w), MLX5X_WQE_OK);
	buf[0] = MLX5X_OPCODE_ATOMIC_FA;
	b_atomic(&b, 1, 0);
	b_done(&b);
	EXPECT_EQ(parse_st(2, MLX5X_QP_ST_UC, 0, &w), MLX5X_WQE_BAD_OPCODE);
	hw_test_ctx = "uc write imm";
	b_ctrl(&b, MLX5X_OPCODE_RDMA_WRITE_IMM, 2, 0);
	b_raddr(&b, 0x1000, 0x5501);
	b_data(&b, 8, 0x1234, 0x1000);
	b_done(&b);
	EXPECT_EQ(parse_st(2, MLX5X_QP_ST_UC, 0, &w), MLX5X_WQE_OK);
	EXPECT_EQ(w.rkey, 0x5501);

	/* Windows, LOCAL_INV, SEND_INVAL: RC only, even with windows on. */
	for (op = 0; op < 3; op++) {
		static const u8 ops[] = { MLX5X_OPCODE_SEND_INVAL,
					  MLX5X_OPCODE_LOCAL_INV,
					  MLX5X_OPCODE_BIND_MW };

		hw_test_ctx = "uc/ud: send inval, local inv, bind";
		b_ctrl(&b, ops[op], 1, 0);
		if (ops[op] == MLX5X_OPCODE_SEND_INVAL)
			b_data(&b, 8, 0x1234, 0x1000);
		if (ops[op] == MLX5X_OPCODE_BIND_MW)
			b.ds += sizeof(struct mlx5x_wqe_bind_seg) / 16;
		b_done(&b);
		EXPECT_EQ(parse_mw(1, MLX5X_QP_ST_RC, &w), MLX5X_WQE_OK);
		EXPECT_EQ(parse_mw(1, MLX5X_QP_ST_UC, &w),
			  MLX5X_WQE_BAD_OPCODE);
		EXPECT_EQ(parse_mw(1, MLX5X_QP_ST_UD, &w),
			  MLX5X_WQE_BAD_OPCODE);
	}
}

static u16 be16_at(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/* The GRH area (hw_grh.c): IPv4 header for ::ffff: GIDs, else IPv6. */
static void test_grh(void)
{
	u8 s4[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
	u8 d4[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 7 };
	u8 s6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	u8 d6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct mlx5x_hw_grh_args a = {
		.sgid = s4, .dgid = d4, .tclass = 0x48, .hop_limit = 64,
		.flow_label = 0xabcde, .payload_len = 100, .imm = true,
	};
	u8 g[MLX5X_UD_GRH_SIZE];
	u32 i;

	hw_test_ctx = "grh ipv4";
	memset(g, 0xee, sizeof(g));
	EXPECT_EQ(mlx5x_hw_grh_build(g, &a), MLX5X_CQE_L3_IPV4);
	for (i = 0; i < 20; i++)
		EXPECT_EQ(g[i], 0);
	EXPECT_EQ(g[20], 0x45);
	EXPECT_EQ(g[21], 0x48);
	/* IPv4 20 + UDP 8 + BTH 12 + DETH 8 + ImmDt 4 + 100 + ICRC 4 */
	EXPECT_EQ(be16_at(g + 22), 156);
	EXPECT_EQ(be16_at(g + 26), 0x4000);
	EXPECT_EQ(g[28], 64);
	EXPECT_EQ(g[29], 17);
	EXPECT_EQ(mlx5x_hw_ipv4_csum(g + 20, 20), 0);	/* checksum valid */
	EXPECT_EQ(memcmp(g + 32, s4 + 12, 4), 0);
	EXPECT_EQ(memcmp(g + 36, d4 + 12, 4), 0);
	EXPECT_TRUE(mlx5x_hw_gid_is_v4(s4));
	EXPECT_TRUE(!mlx5x_hw_gid_is_v4(s6));

	hw_test_ctx = "grh ipv6";
	a.sgid = s6;
	a.dgid = d6;
	a.imm = false;
	EXPECT_EQ(mlx5x_hw_grh_build(g, &a), MLX5X_CQE_L3_IPV6);
	EXPECT_EQ(g[0], 0x64);			/* version 6, tclass high */
	EXPECT_EQ(g[1], 0x8a);			/* tclass low, flow high */
	EXPECT_EQ(be16_at(g + 2), 0xbcde);
	EXPECT_EQ(be16_at(g + 4), 132);		/* 8 + 12 + 8 + 100 + 4 */
	EXPECT_EQ(g[6], 17);
	EXPECT_EQ(g[7], 64);
	EXPECT_EQ(memcmp(g + 8, s6, 16), 0);
	EXPECT_EQ(memcmp(g + 24, d6, 16), 0);
}

int main(void)
{
	test_good();
	test_bad();
	test_wrap();
	test_recv();
	test_ud_uc();
	test_grh();
	return hw_test_result("hw_test_wqe");
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The QP state machine (hw_qp_fsm.c): every (state, modify opcode) pair,
 * every opt_mask bit per transition (allowed, refused, required), every
 * value range at its boundary, and what apply changes.
 */
#include "hw_test.h"

static struct mlx5x_hca_cap cap;

struct row {
	u16 op;
	int from;		/* -1: any state */
	u8 to;
	u32 required;
	u32 allowed;
};

#define O(x)	MLX5X_QP_OPT_##x
#define S(x)	MLX5X_QP_STATE_##x

/* The expected machine, written independently of the implementation. */
static const struct row rows[] = {
	{ MLX5X_CMD_RST2INIT_QP, S(RST), S(INIT),
	  O(PKEY_INDEX) | O(PORT) | O(ACCESS),
	  O(PKEY_INDEX) | O(PORT) | O(ACCESS) },
	{ MLX5X_CMD_INIT2INIT_QP, S(INIT), S(INIT), 0,
	  O(PKEY_INDEX) | O(PORT) | O(ACCESS) },
	{ MLX5X_CMD_INIT2RTR_QP, S(INIT), S(RTR),
	  O(AV) | O(MTU) | O(DEST_QPN) | O(RQ_PSN) | O(MAX_DEST_RD_ATOMIC) |
	  O(MIN_RNR_TIMER),
	  O(AV) | O(MTU) | O(DEST_QPN) | O(RQ_PSN) | O(MAX_DEST_RD_ATOMIC) |
	  O(MIN_RNR_TIMER) | O(ACCESS) | O(PKEY_INDEX) },
	{ MLX5X_CMD_RTR2RTS_QP, S(RTR), S(RTS),
	  O(SQ_PSN) | O(TIMEOUT) | O(RETRY_CNT) | O(RNR_RETRY) |
	  O(MAX_RD_ATOMIC),
	  O(SQ_PSN) | O(TIMEOUT) | O(RETRY_CNT) | O(RNR_RETRY) |
	  O(MAX_RD_ATOMIC) | O(ACCESS) | O(MIN_RNR_TIMER) },
	{ MLX5X_CMD_RTS2RTS_QP, S(RTS), S(RTS), 0,
	  O(ACCESS) | O(MIN_RNR_TIMER) },
	{ MLX5X_CMD_SQERR2RTS_QP, S(SQER), S(RTS), 0,
	  O(ACCESS) | O(MIN_RNR_TIMER) | O(SQ_PSN) },
	{ MLX5X_CMD_RTS2SQD_QP, S(RTS), S(SQD), 0, O(SQD_EVENT) },
	{ MLX5X_CMD_SQD2SQD_QP, S(SQD), S(SQD), 0,
	  O(ACCESS) | O(MIN_RNR_TIMER) | O(AV) | O(TIMEOUT) | O(RETRY_CNT) |
	  O(RNR_RETRY) | O(MAX_RD_ATOMIC) | O(MAX_DEST_RD_ATOMIC) |
	  O(PKEY_INDEX) | O(PORT) },
	{ MLX5X_CMD_SQD2RTS_QP, S(SQD), S(RTS), 0,
	  O(ACCESS) | O(MIN_RNR_TIMER) },
	{ MLX5X_CMD_2ERR_QP, -1, S(ERR), 0, 0 },
	{ MLX5X_CMD_2RST_QP, -1, S(RST), 0, 0 },
};

/* Values that pass every range check. */
static struct mlx5x_qpc good_qpc(void)
{
	struct mlx5x_qpc q = {
		.pkey_index = 0, .port = 1, .access = 7, .mtu = 5,
		.remote_qpn = 0xffffff, .next_rcv_psn = 0xffffff,
		.next_send_psn = 0xabcdef, .min_rnr_nak = 31,
		.ack_timeout = 31, .retry_count = 7, .rnr_retry = 7,
		.max_rd_atomic = 16, .max_dest_rd_atomic = 16, .sqd_event = 1,
	};

	q.av.sgid_index = 127;
	q.av.grh = 1;
	q.av.sl = 15;
	q.av.flow_label = 0xfffff;
	q.av.hop_limit = 64;
	return q;
}

static u8 check(u16 op, u8 state, u32 mask, const struct mlx5x_qpc *in,
		u32 *syn)
{
	*syn = 0xdeadbeef;
	return mlx5x_hw_qp_modify_check(&cap, op, state, mask, in, syn);
}

static void test_every_pair(void)
{
	struct mlx5x_qpc in = good_qpc();
	unsigned int r;
	u8 s;
	u32 syn;

	for (r = 0; r < ARRAY_SIZE(rows); r++) {
		const struct mlx5x_hw_qp_trans *t = mlx5x_hw_qp_trans(rows[r].op);

		hw_test_ctx = t ? t->name : "missing row";
		EXPECT_TRUE(t != NULL);
		for (s = 0; s < MLX5X_QP_STATE_NUM; s++) {
			bool ok = rows[r].from < 0 || rows[r].from == s;
			u8 st = check(rows[r].op, s, rows[r].required, &in,
				      &syn);

			if (ok) {
				struct mlx5x_qpc q = { .state = s };

				EXPECT_EQ(st, MLX5X_CMD_STAT_OK);
				mlx5x_hw_qp_modify_apply(&q, rows[r].op,
							 rows[r].required, &in);
				EXPECT_EQ(q.state, rows[r].to);
			} else {
				EXPECT_EQ(st, MLX5X_CMD_STAT_BAD_RES_STATE);
				EXPECT_EQ(syn, MLX5X_SYN_QP_BAD_STATE + s);
			}
		}
	}
	hw_test_ctx = "not a modify opcode";
	EXPECT_TRUE(mlx5x_hw_qp_trans(MLX5X_CMD_QUERY_QP) == NULL);
	EXPECT_EQ(check(MLX5X_CMD_QUERY_QP, S(RST), 0, &in, &syn),
		  MLX5X_CMD_STAT_BAD_OP);
}

static void test_opt_mask(void)
{
	struct mlx5x_qpc in = good_qpc();
	unsigned int r, bit;
	u32 syn;

	for (r = 0; r < ARRAY_SIZE(rows); r++) {
		u8 from = rows[r].from < 0 ? S(RTS) : rows[r].from;
		u32 req = rows[r].required;

		hw_test_ctx = mlx5x_hw_qp_trans(rows[r].op)->name;
		for (bit = 0; bit < 32; bit++) {
			u32 m = req | (1U << bit);
			u8 st = check(rows[r].op, from, m, &in, &syn);

			if (rows[r].allowed & (1U << bit)) {
				EXPECT_EQ(st, MLX5X_CMD_STAT_OK);
			} else {
				EXPECT_EQ(st, MLX5X_CMD_STAT_BAD_PARAM);
				EXPECT_EQ(syn, MLX5X_SYN_QP_OPT_NOT_ALLOWED);
			}
			if (req & (1U << bit)) {
				st = check(rows[r].op, from, req & ~(1U << bit),
					   &in, &syn);
				EXPECT_EQ(st, MLX5X_CMD_STAT_BAD_PARAM);
				EXPECT_EQ(syn, MLX5X_SYN_QP_OPT_MISSING);
			}
		}
		EXPECT_EQ(check(rows[r].op, from, rows[r].allowed, &in, &syn),
			  MLX5X_CMD_STAT_OK);
		/* a wrong state wins over a wrong mask */
		if (rows[r].from >= 0) {
			u8 other = rows[r].from == S(ERR) ? S(RST) : S(ERR);

			EXPECT_EQ(check(rows[r].op, other, ~0U, &in, &syn),
				  MLX5X_CMD_STAT_BAD_RES_STATE);
		}
	}
}

struct range {
	const char *name;
	u16 op;
	u8 from;
	u32 opt;
	void (*set)(struct mlx5x_qpc *q, u32 v);
	u32 good;
	u32 bad;
	u32 syn;
};

#define SETTER(f) \
	static void set_##f(struct mlx5x_qpc *q, u32 v) { q->f = v; }
SETTER(pkey_index)
SETTER(port)
SETTER(access)
SETTER(mtu)
SETTER(remote_qpn)
SETTER(next_rcv_psn)
SETTER(next_send_psn)
SETTER(min_rnr_nak)
SETTER(ack_timeout)
SETTER(retry_count)
SETTER(rnr_retry)
SETTER(max_rd_atomic)
SETTER(max_dest_rd_atomic)
SETTER(sqd_event)
static void set_sgid(struct mlx5x_qpc *q, u32 v) { q->av.sgid_index = v; }
static void set_grh(struct mlx5x_qpc *q, u32 v) { q->av.grh = v; }
static void set_sl(struct mlx5x_qpc *q, u32 v) { q->av.sl = v; }
static void set_fl(struct mlx5x_qpc *q, u32 v) { q->av.flow_label = v; }

#define I2R	MLX5X_CMD_INIT2RTR_QP, S(INIT)
#define R2R	MLX5X_CMD_RTR2RTS_QP, S(RTR)
#define R2I	MLX5X_CMD_RST2INIT_QP, S(RST)

static const struct range ranges[] = {
	{ "pkey_index", R2I, O(PKEY_INDEX), set_pkey_index, 0, 1,
	  MLX5X_SYN_QP_PKEY_INDEX },
	{ "port 0", R2I, O(PORT), set_port, 1, 0, MLX5X_SYN_QP_PORT },
	{ "port 2", R2I, O(PORT), set_port, 1, 2, MLX5X_SYN_QP_PORT },
	{ "access", R2I, O(ACCESS), set_access, 7, 8, MLX5X_SYN_QP_ACCESS },
	{ "mtu 0", I2R, O(MTU), set_mtu, 1, 0, MLX5X_SYN_QP_MTU },
	{ "mtu 6", I2R, O(MTU), set_mtu, 5, 6, MLX5X_SYN_QP_MTU },
	{ "dest_qpn", I2R, O(DEST_QPN), set_remote_qpn, 0xffffff, 0x1000000,
	  MLX5X_SYN_QP_DEST_QPN },
	{ "rq_psn", I2R, O(RQ_PSN), set_next_rcv_psn, 0xffffff, 0x1000000,
	  MLX5X_SYN_QP_RQ_PSN },
	{ "sq_psn", R2R, O(SQ_PSN), set_next_send_psn, 0xffffff, 0x1000000,
	  MLX5X_SYN_QP_SQ_PSN },
	{ "min_rnr", I2R, O(MIN_RNR_TIMER), set_min_rnr_nak, 31, 32,
	  MLX5X_SYN_QP_MIN_RNR },
	{ "timeout", R2R, O(TIMEOUT), set_ack_timeout, 31, 32,
	  MLX5X_SYN_QP_TIMEOUT },
	{ "retry", R2R, O(RETRY_CNT), set_retry_count, 7, 8,
	  MLX5X_SYN_QP_RETRY },
	{ "rnr_retry", R2R, O(RNR_RETRY), set_rnr_retry, 7, 8,
	  MLX5X_SYN_QP_RNR_RETRY },
	{ "max_rd_atomic", R2R, O(MAX_RD_ATOMIC), set_max_rd_atomic, 16, 17,
	  MLX5X_SYN_QP_MAX_RD_ATOMIC },
	{ "max_dest_rd_atomic", I2R, O(MAX_DEST_RD_ATOMIC),
	  set_max_dest_rd_atomic, 16, 17, MLX5X_SYN_QP_MAX_DEST_RD_ATOMIC },
	{ "sgid_index", I2R, O(AV), set_sgid, 127, 128,
	  MLX5X_SYN_QP_SGID_INDEX },
	{ "grh", I2R, O(AV), set_grh, 0, 2, MLX5X_SYN_QP_AV },
	{ "sl", I2R, O(AV), set_sl, 0, 16, MLX5X_SYN_QP_AV },
	{ "flow_label", I2R, O(AV), set_fl, 0, 0x100000, MLX5X_SYN_QP_AV },
	{ "sqd_event", MLX5X_CMD_RTS2SQD_QP, S(RTS), O(SQD_EVENT),
	  set_sqd_event, 0, 2, MLX5X_SYN_QP_SQD_EVENT },
};

static void test_ranges(void)
{
	unsigned int i;
	u32 syn;

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		const struct range *r = &ranges[i];
		const struct mlx5x_hw_qp_trans *t = mlx5x_hw_qp_trans(r->op);
		struct mlx5x_qpc in = good_qpc();

		hw_test_ctx = r->name;
		r->set(&in, r->good);
		EXPECT_EQ(check(r->op, r->from, t->required | r->opt, &in, &syn),
			  MLX5X_CMD_STAT_OK);
		r->set(&in, r->bad);
		EXPECT_EQ(check(r->op, r->from, t->required | r->opt, &in, &syn),
			  MLX5X_CMD_STAT_BAD_PARAM);
		EXPECT_EQ(syn, r->syn);
		/* a bad value in a field the mask does not name is ignored */
		if (!(t->required & r->opt))
			EXPECT_EQ(check(r->op, r->from, t->required, &in, &syn),
				  MLX5X_CMD_STAT_OK);
	}
}

static void test_apply(void)
{
	struct mlx5x_qpc in = good_qpc(), q = { .state = S(RST) };
	u32 syn;

	hw_test_ctx = "apply RST2INIT";
	mlx5x_hw_qp_modify_apply(&q, MLX5X_CMD_RST2INIT_QP,
				 O(PKEY_INDEX) | O(PORT) | O(ACCESS), &in);
	EXPECT_EQ(q.state, S(INIT));
	EXPECT_EQ(q.port, 1);
	EXPECT_EQ(q.access, 7);
	EXPECT_EQ(q.mtu, 0);		/* not named: untouched */
	EXPECT_EQ(q.next_send_psn, 0);

	hw_test_ctx = "apply INIT2RTR";
	mlx5x_hw_qp_modify_apply(&q, MLX5X_CMD_INIT2RTR_QP,
				 rows[2].required, &in);
	EXPECT_EQ(q.state, S(RTR));
	EXPECT_EQ(q.mtu, 5);
	EXPECT_EQ(q.remote_qpn, 0xffffff);
	EXPECT_EQ(q.av.sgid_index, 127);
	EXPECT_EQ(q.av.flow_label, 0xfffff);
	EXPECT_EQ(q.next_send_psn, 0);

	hw_test_ctx = "apply RTR2RTS";
	mlx5x_hw_qp_modify_apply(&q, MLX5X_CMD_RTR2RTS_QP,
				 rows[3].required, &in);
	EXPECT_EQ(q.state, S(RTS));
	EXPECT_EQ(q.next_send_psn, 0xabcdef);
	EXPECT_EQ(q.retry_count, 7);

	hw_test_ctx = "apply RTS2SQD with event";
	EXPECT_EQ(check(MLX5X_CMD_RTS2SQD_QP, q.state, O(SQD_EVENT), &in,
			&syn), MLX5X_CMD_STAT_OK);
	mlx5x_hw_qp_modify_apply(&q, MLX5X_CMD_RTS2SQD_QP, O(SQD_EVENT), &in);
	EXPECT_EQ(q.state, S(SQD));
	EXPECT_EQ(q.sqd_event, 1);
	EXPECT_EQ(q.sq_draining, 0);
	mlx5x_hw_qp_modify_apply(&q, MLX5X_CMD_SQD2RTS_QP, 0, &in);
	mlx5x_hw_qp_modify_apply(&q, MLX5X_CMD_RTS2SQD_QP, 0, &in);
	EXPECT_EQ(q.sqd_event, 0);

	hw_test_ctx = "apply 2ERR keeps, 2RST clears";
	mlx5x_hw_qp_modify_apply(&q, MLX5X_CMD_2ERR_QP, 0, &in);
	EXPECT_EQ(q.state, S(ERR));
	EXPECT_EQ(q.mtu, 5);
	q.st = MLX5X_QP_ST_RC;
	q.log_sq_size = 6;
	q.pdn = 3;
	q.dbr_addr = 0x1000;
	mlx5x_hw_qp_modify_apply(&q, MLX5X_CMD_2RST_QP, 0, &in);
	EXPECT_EQ(q.state, S(RST));
	EXPECT_EQ(q.mtu, 0);
	EXPECT_EQ(q.port, 0);
	EXPECT_EQ(q.next_send_psn, 0);
	EXPECT_EQ(q.av.sgid_index, 0);
	EXPECT_EQ(q.log_sq_size, 6);	/* create-time fields stay */
	EXPECT_EQ(q.pdn, 3);
	EXPECT_EQ(q.dbr_addr, 0x1000);
}

/* UC and UD: the RC rows without the fields they lack; UD has a Q_Key. */
static void test_uc_ud(void)
{
	struct mlx5x_qpc in = good_qpc();
	u32 syn;

	hw_test_ctx = "uc";
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UC,
			MLX5X_CMD_RST2INIT_QP, S(RST),
			O(PKEY_INDEX) | O(PORT) | O(ACCESS), &in, &syn),
		  MLX5X_CMD_STAT_OK);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UC,
			MLX5X_CMD_INIT2RTR_QP, S(INIT),
			O(AV) | O(MTU) | O(DEST_QPN) | O(RQ_PSN), &in, &syn),
		  MLX5X_CMD_STAT_OK);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UC,
			MLX5X_CMD_INIT2RTR_QP, S(INIT),
			O(AV) | O(MTU) | O(DEST_QPN) | O(RQ_PSN) |
			O(MIN_RNR_TIMER), &in, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
	EXPECT_EQ(syn, MLX5X_SYN_QP_OPT_NOT_ALLOWED);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UC,
			MLX5X_CMD_RTR2RTS_QP, S(RTR), O(SQ_PSN), &in, &syn),
		  MLX5X_CMD_STAT_OK);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UC,
			MLX5X_CMD_RTR2RTS_QP, S(RTR), O(SQ_PSN) | O(TIMEOUT),
			&in, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);

	hw_test_ctx = "ud";
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UD,
			MLX5X_CMD_RST2INIT_QP, S(RST),
			O(PKEY_INDEX) | O(PORT) | O(MTU), &in, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
	EXPECT_EQ(syn, MLX5X_SYN_QP_OPT_MISSING);	/* no Q_Key */
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UD,
			MLX5X_CMD_RST2INIT_QP, S(RST),
			O(PKEY_INDEX) | O(PORT) | O(QKEY) | O(MTU), &in, &syn),
		  MLX5X_CMD_STAT_OK);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UD,
			MLX5X_CMD_RST2INIT_QP, S(RST),
			O(PKEY_INDEX) | O(PORT) | O(QKEY) | O(ACCESS), &in,
			&syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UD,
			MLX5X_CMD_INIT2RTR_QP, S(INIT), 0, &in, &syn),
		  MLX5X_CMD_STAT_OK);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UD,
			MLX5X_CMD_INIT2RTR_QP, S(INIT), O(AV), &in, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UD,
			MLX5X_CMD_RTR2RTS_QP, S(RTR), O(SQ_PSN) | O(QKEY),
			&in, &syn),
		  MLX5X_CMD_STAT_OK);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UD,
			MLX5X_CMD_RTS2RTS_QP, S(RTS), O(QKEY), &in, &syn),
		  MLX5X_CMD_STAT_OK);
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_UD,
			MLX5X_CMD_2ERR_QP, S(RTS), O(QKEY), &in, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
	/* RC itself is unchanged: Q_Key is no RC attribute. */
	EXPECT_EQ(mlx5x_hw_qp_modify_check_st(&cap, MLX5X_QP_ST_RC,
			MLX5X_CMD_RTS2RTS_QP, S(RTS), O(QKEY), &in, &syn),
		  MLX5X_CMD_STAT_BAD_PARAM);
}

int main(void)
{
	mlx5x_hw_default_cap(&cap);
	test_every_pair();
	test_opt_mask();
	test_ranges();
	test_apply();
	test_uc_ud();
	return hw_test_result("test_qp_fsm");
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The CQ producer's rules (hw_wqe.c): owner bit per pass, room against the
 * consumer index (24-bit counters), what a resize must keep, arming with arm_sn, RNR timer
 * encoding and retry counting.
 */
#include "hw_test.h"
#include "hw_eng.h"

static u32 arm_word(u8 sn, u8 cmd, u32 ci)
{
	return (u32)sn << MLX5X_CQ_ARM_SN_SHIFT |
	       (u32)cmd << MLX5X_CQ_ARM_CMD_SHIFT | (ci & MLX5X_CQ_CI_MASK);
}

static void test_owner(void)
{
	hw_test_ctx = "owner";
	EXPECT_EQ(mlx5x_hw_cqe_owner(0, 4), 0);
	EXPECT_EQ(mlx5x_hw_cqe_owner(15, 4), 0);
	EXPECT_EQ(mlx5x_hw_cqe_owner(16, 4), 1);
	EXPECT_EQ(mlx5x_hw_cqe_owner(32, 4), 0);
	EXPECT_EQ(mlx5x_hw_cqe_owner(MLX5X_CQ_CI_MASK, 22), 1);

	hw_test_ctx = "room";
	EXPECT_TRUE(mlx5x_hw_cq_has_room(0, 0, 4));
	EXPECT_TRUE(mlx5x_hw_cq_has_room(15, 0, 4));
	EXPECT_TRUE(!mlx5x_hw_cq_has_room(16, 0, 4));
	EXPECT_TRUE(mlx5x_hw_cq_has_room(16, 1, 4));
	/* across the 2^24 wrap */
	EXPECT_TRUE(mlx5x_hw_cq_has_room(3, MLX5X_CQ_CI_MASK - 5, 4));
	EXPECT_TRUE(!mlx5x_hw_cq_has_room(10, MLX5X_CQ_CI_MASK - 5, 4));
	/* a ci ahead of pc (garbage) is no room */
	EXPECT_TRUE(!mlx5x_hw_cq_has_room(5, 6, 4));

	hw_test_ctx = "resize fits";
	EXPECT_TRUE(mlx5x_hw_cq_resize_fits(0, 0, 1));		/* empty */
	EXPECT_TRUE(mlx5x_hw_cq_resize_fits(16, 0, 4));	/* exactly full */
	EXPECT_TRUE(!mlx5x_hw_cq_resize_fits(16, 0, 3));
	EXPECT_TRUE(mlx5x_hw_cq_resize_fits(20, 13, 3));	/* 7 into 8 */
	EXPECT_TRUE(!mlx5x_hw_cq_resize_fits(20, 11, 3));	/* 9 into 8 */
	/* across the 2^24 wrap */
	EXPECT_TRUE(mlx5x_hw_cq_resize_fits(2, MLX5X_CQ_CI_MASK - 1, 2));
	EXPECT_TRUE(!mlx5x_hw_cq_resize_fits(3, MLX5X_CQ_CI_MASK - 1, 2));
	/* a ci ahead of pc (garbage) never fits */
	EXPECT_TRUE(!mlx5x_hw_cq_resize_fits(5, 6, 22));
}

static void test_arm(void)
{
	u8 last = MLX5X_HW_ARM_SN_NONE;

	hw_test_ctx = "arm";
	EXPECT_TRUE(!mlx5x_hw_cq_arm_fires(0, false, &last));	/* never armed */
	EXPECT_TRUE(mlx5x_hw_cq_arm_fires(arm_word(0, MLX5X_CQ_ARM_NEXT, 0),
					  false, &last));
	EXPECT_EQ(last, 0);
	/* same arm_sn: fired already */
	EXPECT_TRUE(!mlx5x_hw_cq_arm_fires(arm_word(0, MLX5X_CQ_ARM_NEXT, 3),
					   true, &last));
	/* re-armed with the next sn */
	EXPECT_TRUE(mlx5x_hw_cq_arm_fires(arm_word(1, MLX5X_CQ_ARM_NEXT, 3),
					  false, &last));
	/* SOLICITED: only solicited or error CQEs */
	EXPECT_TRUE(!mlx5x_hw_cq_arm_fires(
		arm_word(2, MLX5X_CQ_ARM_SOLICITED, 3), false, &last));
	EXPECT_EQ(last, 1);
	EXPECT_TRUE(mlx5x_hw_cq_arm_fires(
		arm_word(2, MLX5X_CQ_ARM_SOLICITED, 3), true, &last));
	EXPECT_EQ(last, 2);
	/* sn wraps at 16 */
	last = 15;
	EXPECT_TRUE(mlx5x_hw_cq_arm_fires(arm_word(0, MLX5X_CQ_ARM_NEXT, 0),
					  false, &last));
	/* unknown command */
	EXPECT_TRUE(!mlx5x_hw_cq_arm_fires(arm_word(5, 7, 0), true, &last));
}

static void test_rnr(void)
{
	hw_test_ctx = "rnr timer";
	EXPECT_EQ(mlx5x_hw_rnr_timer_us(0), 655360);
	EXPECT_EQ(mlx5x_hw_rnr_timer_us(1), 10);
	EXPECT_EQ(mlx5x_hw_rnr_timer_us(12), 640);
	EXPECT_EQ(mlx5x_hw_rnr_timer_us(14), 1280);
	EXPECT_EQ(mlx5x_hw_rnr_timer_us(31), 491520);
	EXPECT_EQ(mlx5x_hw_rnr_timer_us(32), 655360);	/* 5 bits only */

	hw_test_ctx = "rnr retries";
	EXPECT_EQ(mlx5x_hw_rnr_next(7), 7);	/* infinite */
	EXPECT_EQ(mlx5x_hw_rnr_next(6), 5);
	EXPECT_EQ(mlx5x_hw_rnr_next(1), 0);
	EXPECT_EQ(mlx5x_hw_rnr_next(0), 0);

	hw_test_ctx = "ack timeout";
	EXPECT_EQ(mlx5x_hw_ack_timeout_ns(0), 0);	/* no timeout */
	EXPECT_EQ(mlx5x_hw_ack_timeout_ns(1), 8192);
	EXPECT_EQ(mlx5x_hw_ack_timeout_ns(14), 67108864);	/* 67 ms */
	EXPECT_EQ(mlx5x_hw_ack_timeout_ns(31), 4096ULL << 31);	/* 2.4 h */
	EXPECT_EQ(mlx5x_hw_ack_timeout_ns(32), 0);	/* 5 bits only */
}

int main(void)
{
	test_owner();
	test_arm();
	test_rnr();
	return hw_test_result("hw_test_cqe");
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Minimal test harness for the device half's pure code: EXPECT_EQ() prints
 * what was expected and what was seen, with the test's own context line,
 * and counts failures; main() returns hw_test_result().
 */
#ifndef MLX5X_HW_TEST_H
#define MLX5X_HW_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include "hw_check.h"

static int hw_test_failures;
static int hw_test_checks;
static const char *hw_test_ctx = "";

#define EXPECT_EQ(seen, expected) do {					\
	unsigned long long s_ = (unsigned long long)(seen);		\
	unsigned long long e_ = (unsigned long long)(expected);	\
	hw_test_checks++;						\
	if (s_ != e_) {							\
		hw_test_failures++;					\
		fprintf(stderr, "%s:%d: [%s] %s: expected %#llx (%s), "	\
			"seen %#llx\n", __FILE__, __LINE__,		\
			hw_test_ctx, #seen, e_, #expected, s_);		\
	}								\
} while (0)

#define EXPECT_TRUE(cond)	EXPECT_EQ(!!(cond), 1)

static inline int hw_test_result(const char *name)
{
	printf("%s: %d checks, %d failures\n", name, hw_test_checks,
	       hw_test_failures);
	return hw_test_failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* MLX5X_HW_TEST_H */

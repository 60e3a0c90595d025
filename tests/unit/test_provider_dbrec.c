// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The provider's doorbell record pool (providers/mlx5x/dbrec.c): records
 * are zeroed, aligned to their slot, never cross a page, are never handed
 * out twice, are reused once freed, and a page goes when its last record
 * does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "dbrec.h"

static int failures;

#define CHECK(what, cond)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d %s\n", __FILE__, __LINE__,	\
			       what);					\
			failures++;					\
		}							\
	} while (0)

int main(void)
{
	size_t page_size = sysconf(_SC_PAGESIZE);
	/* Exactly three full pages, so that a freed slot is the only one. */
	int nrec = 3 * (page_size / MLX5X_DBREC_STRIDE);
	struct mlx5x_dbrec_pool pool;
	uint32_t **db, *again;
	int i, j;

	db = calloc(nrec, sizeof(*db));
	if (!db)
		return 1;
	CHECK("pool init", mlx5x_dbrec_pool_init(&pool, page_size) == 0);

	for (i = 0; i < nrec; i++) {
		uintptr_t a;

		db[i] = mlx5x_alloc_dbrec(&pool);
		CHECK("allocation", db[i]);
		if (!db[i])
			return 1;
		a = (uintptr_t)db[i];
		CHECK("record aligned to its slot",
		      a % MLX5X_DBREC_STRIDE == 0);
		CHECK("record inside one page",
		      a / page_size == (a + MLX5X_DBREC_SIZE - 1) / page_size);
		CHECK("record zeroed", db[i][0] == 0 && db[i][1] == 0);
		/* Scribble so that a reused record shows up non-zero. */
		db[i][0] = 0xdeadbeef;
		db[i][1] = i;
	}
	for (i = 0; i < nrec; i++)
		for (j = i + 1; j < nrec; j++)
			if ((uintptr_t)db[i] / MLX5X_DBREC_STRIDE ==
			    (uintptr_t)db[j] / MLX5X_DBREC_STRIDE) {
				printf("FAIL records %d and %d share a slot\n",
				       i, j);
				failures++;
			}
	for (i = 0; i < nrec; i++)
		CHECK("records keep their contents", db[i][1] == (uint32_t)i);

	/* A freed slot comes back, zeroed. */
	mlx5x_free_dbrec(&pool, db[7]);
	again = mlx5x_alloc_dbrec(&pool);
	CHECK("freed slot reused", again == db[7]);
	CHECK("reused record zeroed", again && again[0] == 0 && again[1] == 0);
	db[7] = again;

	for (i = 0; i < nrec; i++)
		mlx5x_free_dbrec(&pool, db[i]);
	CHECK("empty pages are released", pool.pages == NULL);

	mlx5x_dbrec_pool_destroy(&pool);
	free(db);

	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all dbrec checks passed\n");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The built provider loads the way libibverbs loads it (dlopen, RTLD_NOW):
 * every symbol it needs resolves against this host's libibverbs, its
 * constructor registers it, and it exports none of its own functions.
 * Usage: test_provider_load /path/to/libmlx5x-rdmav34.so
 */
#include <dlfcn.h>
#include <stdio.h>

static const char *const internal[] = {
	"mlx5x_alloc_pd", "mlx5x_create_cq", "mlx5x_create_qp",
	"mlx5x_qp_geometry", "mlx5x_alloc_dbrec", "mlx5x_register_driver",
};

int main(int argc, char **argv)
{
	int failures = 0;
	unsigned int i;
	void *h;

	if (argc != 2) {
		fprintf(stderr, "usage: %s libmlx5x-rdmav34.so\n", argv[0]);
		return 2;
	}

	h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		printf("FAIL dlopen(%s): %s\n", argv[1], dlerror());
		return 1;
	}

	for (i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
		if (dlsym(h, internal[i])) {
			printf("FAIL the provider exports %s\n", internal[i]);
			failures++;
		}

	/*
	 * Not dlclose()d: libibverbs now lists the provider's ops, as it
	 * does for every provider it loads.
	 */
	if (failures)
		return 1;
	printf("provider loads and exports nothing\n");
	return 0;
}

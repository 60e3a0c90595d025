// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * memcpy_bw: the in-guest upper limit for scripts/bench. For each message
 * size given, copies SIZE bytes from one buffer to another for about
 * --time seconds and prints
 *
 *     SIZE  MB/s  Mops/s  usec-per-copy
 *
 * A software HCA moves every byte with (at best) one such copy, so no RDMA
 * figure taken in the same VM boot can beat this one. The buffers are
 * walked through a working set of at least 4 MiB so that small copies are
 * not all served from one hot cache line (perftest also cycles buffers).
 *
 * usage: memcpy_bw [-t SECONDS] SIZE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = 0.3;
	int opt, i;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't') {
			fprintf(stderr, "usage: memcpy_bw [-t SECONDS] SIZE...\n");
			return 2;
		}
		secs = atof(optarg);
	}
	for (i = optind; i < argc; i++) {
		size_t size = strtoull(argv[i], NULL, 0), set, slots, n = 0;
		unsigned char *src, *dst;
		double t0, t;

		if (!size)
			continue;
		set = size < (4u << 20) ? (4u << 20) : size;
		slots = set / size;
		src = aligned_alloc(4096, slots * size + 4096);
		dst = aligned_alloc(4096, slots * size + 4096);
		if (!src || !dst) {
			perror("aligned_alloc");
			return 1;
		}
		memset(src, 0x5a, slots * size);
		memset(dst, 0xa5, slots * size);
		t0 = now();
		do {
			/* Check the clock every 64 copies only. */
			for (int k = 0; k < 64; k++, n++) {
				size_t off = (n % slots) * size;

				memcpy(dst + off, src + off, size);
			}
			/* Keep the copies from being optimised away. */
			__asm__ volatile("" : : "r"(dst) : "memory");
			t = now() - t0;
		} while (t < secs);
		printf("%zu %.2f %.6f %.4f\n", size, n * (double)size / t / 1e6,
		       n / t / 1e6, t / n * 1e6);
		free(src);
		free(dst);
	}
	return 0;
}

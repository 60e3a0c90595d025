// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Two MPI ranks exchange and verify data: blocking and non-blocking
 * point-to-point at sizes from 1 byte to 4 MiB (eager and rendezvous
 * protocols), an allreduce and one-sided puts and gets through a window.
 * Every byte received is checked against a pattern that depends on the
 * sender, the size and the round. Exit status 0 only if all checks pass.
 *
 * t_mpi.sh runs it with UCX restricted to mlx5x_0, so every byte moves
 * through the device.
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const size_t sizes[] = { 1, 8, 64, 1000, 4096, 8193, 65536,
				1 << 20, 4 << 20 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define MAXSIZE (4 << 20)

static int rank;
static unsigned long checks, failures;

static uint8_t pattern(int sender, size_t size, int round, size_t i)
{
	return (uint8_t)(i * 131 + size * 7 + sender * 17 + round * 29 + 1);
}

static void fill(uint8_t *buf, int sender, size_t size, int round)
{
	for (size_t i = 0; i < size; i++)
		buf[i] = pattern(sender, size, round, i);
}

static void verify(const uint8_t *buf, int sender, size_t size, int round,
		   const char *what)
{
	checks++;
	for (size_t i = 0; i < size; i++) {
		if (buf[i] != pattern(sender, size, round, i)) {
			fprintf(stderr,
				"rank %d: %s size %zu round %d: byte %zu is %#x, want %#x\n",
				rank, what, size, round, i, buf[i],
				pattern(sender, size, round, i));
			failures++;
			return;
		}
	}
}

static void pingpong(uint8_t *sbuf, uint8_t *rbuf, int peer)
{
	for (size_t s = 0; s < NSIZES; s++) {
		size_t n = sizes[s];

		for (int round = 0; round < 3; round++) {
			fill(sbuf, rank, n, round);
			memset(rbuf, 0, n);
			if (rank == 0) {
				MPI_Send(sbuf, n, MPI_BYTE, peer, round,
					 MPI_COMM_WORLD);
				MPI_Recv(rbuf, n, MPI_BYTE, peer, round,
					 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			} else {
				MPI_Recv(rbuf, n, MPI_BYTE, peer, round,
					 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				MPI_Send(sbuf, n, MPI_BYTE, peer, round,
					 MPI_COMM_WORLD);
			}
			verify(rbuf, peer, n, round, "send/recv");
		}
	}
}

static void exchange(uint8_t *sbuf, uint8_t *rbuf, int peer)
{
	for (size_t s = 0; s < NSIZES; s++) {
		size_t n = sizes[s];
		MPI_Request req[2];

		fill(sbuf, rank, n, 7);
		memset(rbuf, 0, n);
		MPI_Irecv(rbuf, n, MPI_BYTE, peer, 100, MPI_COMM_WORLD, &req[0]);
		MPI_Isend(sbuf, n, MPI_BYTE, peer, 100, MPI_COMM_WORLD, &req[1]);
		MPI_Waitall(2, req, MPI_STATUSES_IGNORE);
		verify(rbuf, peer, n, 7, "isend/irecv");
	}
}

static void reduce(void)
{
	enum { N = 4096 };
	static int64_t in[N], out[N];
	int nranks;

	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	for (int i = 0; i < N; i++)
		in[i] = (int64_t)i * (rank + 1);
	MPI_Allreduce(in, out, N, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
	checks++;
	for (int i = 0; i < N; i++) {
		int64_t want = (int64_t)i * nranks * (nranks + 1) / 2;

		if (out[i] != want) {
			fprintf(stderr, "rank %d: allreduce [%d] = %lld, want %lld\n",
				rank, i, (long long)out[i], (long long)want);
			failures++;
			return;
		}
	}
}

static void one_sided(uint8_t *wbuf, uint8_t *lbuf, int peer)
{
	const size_t n = 1 << 20;
	MPI_Win win;

	memset(wbuf, 0, n);
	MPI_Win_create(wbuf, n, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &win);
	MPI_Win_fence(0, win);
	fill(lbuf, rank, n, 11);
	MPI_Put(lbuf, n, MPI_BYTE, peer, 0, n, MPI_BYTE, win);
	MPI_Win_fence(0, win);
	verify(wbuf, peer, n, 11, "put");
	/* Get back what this rank put into the peer's window. */
	memset(lbuf, 0, n);
	MPI_Get(lbuf, n, MPI_BYTE, peer, 0, n, MPI_BYTE, win);
	MPI_Win_fence(0, win);
	verify(lbuf, rank, n, 11, "get");
	MPI_Win_free(&win);
}

int main(int argc, char **argv)
{
	unsigned long all_failures = 0;
	uint8_t *sbuf, *rbuf;
	int nranks, peer;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	if (nranks != 2) {
		if (!rank)
			fprintf(stderr, "mpi_check needs exactly 2 ranks\n");
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	peer = 1 - rank;
	sbuf = malloc(MAXSIZE);
	rbuf = malloc(MAXSIZE);
	if (!sbuf || !rbuf)
		MPI_Abort(MPI_COMM_WORLD, 2);

	pingpong(sbuf, rbuf, peer);
	exchange(sbuf, rbuf, peer);
	reduce();
	one_sided(rbuf, sbuf, peer);

	MPI_Allreduce(&failures, &all_failures, 1, MPI_UNSIGNED_LONG, MPI_SUM,
		      MPI_COMM_WORLD);
	printf("mpi_check rank %d: %lu checks, %lu failed\n", rank, checks,
	       failures);
	free(sbuf);
	free(rbuf);
	MPI_Finalize();
	return all_failures ? 1 : 0;
}

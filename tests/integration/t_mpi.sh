#!/bin/bash
# Open MPI over UCX on mlx5x_0: two ranks exchange and verify data
# (mpi_check.c) with UCX restricted to mlx5x_0's verbs transports (no
# shared memory, no TCP), and the device's counters show that the bytes
# went through it.
. "$(dirname "$0")/lib.sh"

prog=$build/tests/integration/mpi_check
counter=/sys/class/infiniband/mlx5x_0/ports/1/hw_counters/req_msg_bytes

# As in t_ucx.sh: UCX's ud_verbs over the IPv6 GID.
gid6=$(grep -l '^2001:0db8:' /sys/class/infiniband/mlx5x_0/ports/1/gids/* |
	head -n 1)

run_mpi() { # UCX_TLS value
	timeout 600 mpirun --allow-run-as-root -np 2 \
		--mca pml ucx --mca osc ucx --mca btl ^vader,tcp,openib,uct \
		-x UCX_TLS="$1" -x UCX_NET_DEVICES=mlx5x_0:1 -x UCX_IB_GID_INDEX="${gid6##*/}" \
		-x UCX_WARN_UNUSED_ENV_VARS=n "$prog"
}

# Each rank sends 2 x 3 x ~5.3 MiB pingpong, ~5.3 MiB exchange and
# 2 MiB one-sided: at least 40 MiB cross the device in all.
min_bytes=$((40 << 20))
for tls in rc_verbs,ud_verbs ud_verbs; do
	before=$(cat $counter)
	check "mpi_check, UCX_TLS=$tls" run_mpi "$tls"
	out=$(cat /tmp/check.out)
	expect_match "both ranks verified ($tls)" \
		'rank 1: [0-9]+ checks, 0 failed' "$out"
	after=$(cat $counter)
	check "$((after - before)) bytes through mlx5x_0 ($tls)" \
		test $((after - before)) -ge $min_bytes
done
finish

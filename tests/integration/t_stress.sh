#!/bin/bash
# rc_stress (tests/stress): 64 QPs, 8 CQs of random verified RC traffic for
# $MLX5X_STRESS_SECS (default 20) s on $MLX5X_TEST_DEV (default mlx5x_0),
# twice, and srq_stress (threads into QPs on one SRQ) once; then checks that every object is gone (rdma resource) and that
# slab memory is back to its baseline (no leak per run).
. "$(dirname "$0")/lib.sh"
. "$MLX5X_REPO/tests/perf/devices.sh"

dev=${MLX5X_TEST_DEV:-mlx5x_0}
secs=${MLX5X_STRESS_SECS:-20}
check "device $dev" ensure_dev "$dev"
prog=$build/tests/stress/rc_stress
if [ ! -x "$prog" ]; then
	# Not built by CMake (yet): build it here.
	prog=/tmp/rc_stress
	check "build rc_stress" cc -O2 -std=gnu11 -Wall -o "$prog" \
		"$MLX5X_REPO/tests/stress/rc_stress.c" -libverbs
fi

# Objects of the device in rdma's resource tracking (kernel QPs of rxe
# etc. excluded: the user ones carry a pid).
res_count() { rdma resource show "$1" dev "$dev" 2>/dev/null | grep -c 'pid [0-9]'; }
slab_kb() {
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^Slab:/ { print $2 }' /proc/meminfo
}
# The kernel frees RCU-deferred objects a little later: settle first.
settle() { sleep 1; slab_kb >/dev/null; sleep 1; }

# A short warm-up run sizes the slab caches, so the baseline is fair.
check "rc_stress warm-up" timeout 120 "$prog" -d "$dev" -t 2 -q 8 -c 2
settle
base=$(slab_kb)
for run in 1 2; do
	check "rc_stress run $run ($secs s, 64 QPs, 8 CQs)" \
		timeout $((secs * 4 + 120)) "$prog" -d "$dev" -t "$secs" -s "$run"
	tail -n 1 /tmp/check.out
done
# Threads sending into 16 QPs on one small SRQ (RNR NAKs included).
sprog=$build/tests/stress/srq_stress
if [ ! -x "$sprog" ]; then
	sprog=/tmp/srq_stress
	check "build srq_stress" cc -O2 -std=gnu11 -Wall -o "$sprog" \
		"$MLX5X_REPO/tests/stress/srq_stress.c" -libverbs -lpthread
fi
check "srq_stress ($secs s, 4 threads x 4 QPs, SRQ of 16)" \
	timeout $((secs * 4 + 120)) "$sprog" -d "$dev" -t "$secs"
tail -n 1 /tmp/check.out
settle
after=$(slab_kb)
for r in qp cq mr pd srq; do
	n=$(res_count $r)
	if [ "$n" -eq 0 ]; then ok; else
		fail "$n user $r objects left on $dev"
		rdma resource show $r dev "$dev" | sed 's/^/    /' | head
	fi
done
# Two runs of 64 QPs with ~100 MB of MRs: a per-run leak of QPs/MRs/page
# lists shows in MBs. Allow 2 MiB of noise.
echo "slab: baseline $base kB, after $after kB"
if [ $((after - base)) -le 2048 ]; then ok; else
	fail "slab grew by $((after - base)) kB (baseline $base kB, after $after kB)"
	sort -k3 -n -r /proc/slabinfo 2>/dev/null | head -n 15 | sed 's/^/    /'
fi
finish

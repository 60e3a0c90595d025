#!/bin/bash
# QPs waiting for a local ACK timeout (one for ever, one on a 4.3 s timer)
# use no CPU, and deleting the device under them is clean: the process
# sees DEVICE_FATAL and cleans up, the device comes back with its
# counters at 0. The counters are in `rdma statistic`; an exhausted retry
# shows in the mlx5x_hw tracepoints.
. "$(dirname "$0")/lib.sh"

names="req_wqes req_msg_bytes req_cqe_error req_cqe_flush_error rnr_nak_retry_err local_ack_timeout_err out_of_buffer"
stats=$(rdma statistic show link mlx5x_0/1)
for n in $names; do
	expect_match "rdma statistic shows $n" " $n [0-9]+" "$stats"
done

# An exhausted retry is traced like any error completion, with its reason.
t=/sys/kernel/tracing
[ -e $t/trace ] || mount -t tracefs nodev $t
echo 1 > $t/events/mlx5x_hw/err_cqe/enable
echo 1 > $t/events/mlx5x_hw/qp_state/enable
echo > $t/trace
check "pyverbs: retries exhausted" "$MLX5X_REPO/pyverbs-tests/run" \
	test_counters.HwCounters.test_ack_timeout
echo 0 > $t/events/mlx5x_hw/err_cqe/enable
echo 0 > $t/events/mlx5x_hw/qp_state/enable
tr=$(cat $t/trace)
expect_match "RETRY_EXC_ERR CQE traced" 'err_cqe: mlx5x_0 .* status=12 ' "$tr"
expect_match "QP to ERR traced with the reason" \
	'qp_state: mlx5x_0 .*->6 \(transport retries exceeded\)' "$tr"

eng=$(pgrep -f 'mlx5x_eng/mlx5x_0' | head -n 1)
check "poller thread exists" test -n "$eng"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

start_holder() {
	/usr/bin/python3 "$MLX5X_REPO/tests/integration/retry_hold.py" \
		> /tmp/retry_hold.out 2>&1 &
	pid=$!
	wait_for 60 grep -q READY /tmp/retry_hold.out
}

check "holder ready" start_holder || cat /tmp/retry_hold.out
sleep 1
before=$(cpu_ticks "$eng")
sleep 2
after=$(cpu_ticks "$eng")
check "poller used no CPU while QPs wait for an ACK ($before -> $after ticks)" \
	test "$after" -le "$((before + 1))"

check "rdma link delete under waiting QPs" timeout 60 rdma link delete mlx5x_0
refuse "mlx5x_0 gone" has_ibdev mlx5x_0
check "holder saw the device die" wait_for 30 grep -q DEVICE_FATAL /tmp/retry_hold.out
check "holder cleaned up and exited" wait_for 30 grep -q CLOSED /tmp/retry_hold.out
kill "$pid" 2>/dev/null
wait "$pid"
sed 's/^/    holder: /' /tmp/retry_hold.out

check "add again" rdma link add mlx5x_0 type mlx5x netdev dummy0
check "usable again" ibv_devinfo -d mlx5x_0
expect_match "counters start at 0" " req_wqes 0 .* local_ack_timeout_err 0 " \
	"$(rdma statistic show link mlx5x_0/1)"
finish

#!/bin/bash
# Removing a device, or the module, under a process with live objects
# disassociates the process (it sees a fatal event and can still clean up);
# the kernel neither crashes nor waits forever.
. "$(dirname "$0")/lib.sh"

prog=$build/tests/integration/ctrl_test

start_holder() {
	"$prog" --hold > /tmp/hold.out 2>&1 &
	pid=$!
	wait_for 60 grep -q READY /tmp/hold.out
}

check "holder ready" start_holder || cat /tmp/hold.out
check "rdma link delete under a live process" timeout 60 rdma link delete mlx5x_0
refuse "mlx5x_0 gone" has_ibdev mlx5x_0
check "holder saw the device die" wait_for 30 grep -q 'EVENT.*DEVICE_FATAL' /tmp/hold.out
check "holder cleaned up and exited" wait_for 30 grep -q CLOSED /tmp/hold.out
wait $pid

check "add again" rdma link add mlx5x_0 type mlx5x netdev dummy0
check "holder ready again" start_holder
check "rmmod under a live process" timeout 60 rmmod mlx5x
refuse "module gone" grep -q '^mlx5x ' /proc/modules
check "holder saw the device die (rmmod)" wait_for 30 grep -q 'EVENT.*DEVICE_FATAL' /tmp/hold.out
check "holder exited (rmmod)" wait_for 30 grep -q CLOSED /tmp/hold.out
wait $pid

check "reload" insmod "$MLX5X_REPO/kernel/mlx5x.ko"
check "add after reload" rdma link add mlx5x_0 type mlx5x netdev dummy0
check "usable after reload" ibv_devinfo -d mlx5x_0
finish

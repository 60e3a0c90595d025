#!/bin/bash
# Device life cycle: rdma link add/delete (10 cycles), sysfs, duplicate and
# bad requests, netdev removal, provider matching, clean module unload.
# Run with: tests/vm/run --no-device -- tests/integration/t_devices.sh
. "$(dirname "$0")/lib.sh"

refuse "mlx5x_0 must not exist yet" has_ibdev mlx5x_0
for i in $(seq 1 10); do
	check "add #$i" rdma link add mlx5x_0 type mlx5x netdev dummy0
	check "mlx5x_0 in sysfs #$i" has_ibdev mlx5x_0
	devs=$(ibv_devices)
	expect_match "ibv_devices lists mlx5x_0 #$i" 'mlx5x_0' "$devs"
	if [ "$i" -eq 1 ]; then
		sys=/sys/class/infiniband/mlx5x_0
		expect_match "fw_ver" '^1\.0\.0$' "$(cat $sys/fw_ver)"
		expect_match "board_id" '^[A-Z0-9]+' "$(cat $sys/board_id)"
		expect_match "hca_type" '^MLX5X' "$(cat $sys/hca_type)"
		expect_match "hw_rev" '^[0-9a-f]+$' "$(cat $sys/hw_rev)"
		expect_no_match "node_guid non-zero" '^0000:0000:0000:0000$' \
			"$(cat $sys/node_guid)"
		expect_match "node_guid format" '^[0-9a-f]{4}(:[0-9a-f]{4}){3}$' \
			"$(cat $sys/node_guid)"
		expect_match "parent modalias" '^platform:mlx5x$' \
			"$(cat $sys/device/modalias)"
		expect_match "rdma link shows the netdev" \
			'mlx5x_0/1 state ACTIVE.*netdev dummy0' "$(rdma link show)"
		refuse "a second device on the same netdev" \
			rdma link add mlx5x_1 type mlx5x netdev dummy0
		refuse "a device on a missing netdev" \
			rdma link add mlx5x_2 type mlx5x netdev nosuchdev
	fi
	check "delete #$i" rdma link delete mlx5x_0
	refuse "mlx5x_0 gone after delete #$i" has_ibdev mlx5x_0
done

# Two devices on two netdevs, next to an rxe device on the first.
ip link add dummy1 type dummy && ip addr add 198.51.100.1/24 dev dummy1 &&
	ip link set dummy1 up
check "add mlx5x_0" rdma link add mlx5x_0 type mlx5x netdev dummy0
check "add mlx5x_1" rdma link add mlx5x_1 type mlx5x netdev dummy1
check "add rxe0" rdma link add rxe0 type rxe netdev dummy0
check "rxe0 still opens with its own provider" ibv_devinfo -d rxe0
check "mlx5x_1 opens" ibv_devinfo -d mlx5x_1
expect_no_match "rxe0 is not claimed by the mlx5x provider" \
	'hca_type|MLX5X' "$(ibv_devinfo -v -d rxe0 | grep -i -E 'fw_ver|hca')"

# Removing the netdev removes the device bound to it.
ip link del dummy1
wait_for 10 sh -c '! test -e /sys/class/infiniband/mlx5x_1'
refuse "mlx5x_1 gone with its netdev" has_ibdev mlx5x_1
check "delete rxe0" rdma link delete rxe0
check "delete mlx5x_0" rdma link delete mlx5x_0

check "rmmod with no users" rmmod mlx5x
refuse "module gone" grep -q '^mlx5x ' /proc/modules
check "reload" insmod "$MLX5X_REPO/kernel/mlx5x.ko"
check "add after reload" rdma link add mlx5x_0 type mlx5x netdev dummy0
check "delete after reload" rdma link delete mlx5x_0
finish

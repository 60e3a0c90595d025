#!/bin/bash
# ibv_devinfo -v on mlx5x_0: sane attributes, RoCE v2 GIDs from the netdev's
# addresses, port state following the netdev.
. "$(dirname "$0")/lib.sh"

out=$(ibv_devinfo -v -d mlx5x_0 2>&1)
echo "$out" > "${MLX5X_OUT:-/tmp}/ibv_devinfo.txt"
expect_match "device name" '^hca_id:[[:space:]]+mlx5x_0' "$out"
expect_match "transport" 'transport:[[:space:]]+InfiniBand' "$out"
expect_match "fw_ver" 'fw_ver:[[:space:]]+1\.0\.0' "$out"
expect_no_match "not a Mellanox vendor id" 'vendor_id:[[:space:]]+0x0?2c9' "$out"
expect_match "node_guid" 'node_guid:[[:space:]]+[0-9a-f]{4}:' "$out"
expect_match "max_qp" 'max_qp:[[:space:]]+[1-9][0-9]{3,}' "$out"
expect_match "max_cqe" 'max_cqe:[[:space:]]+[1-9][0-9]{3,}' "$out"
expect_match "max_mr_size" 'max_mr_size:[[:space:]]+0x[1-9a-f]' "$out"
expect_match "atomics advertised" 'atomic_cap:[[:space:]]+ATOMIC_GLOB' "$out"
expect_match "port active" 'state:[[:space:]]+PORT_ACTIVE' "$out"
expect_match "link layer" 'link_layer:[[:space:]]+Ethernet' "$out"
expect_match "active_mtu" 'active_mtu:[[:space:]]+1024' "$out"
expect_match "max_mtu" 'max_mtu:[[:space:]]+4096' "$out"
expect_match "IPv4 RoCE v2 GID" 'GID\[ *[0-9]+\]:[[:space:]]+::ffff:192\.0\.2\.1, RoCE v2' "$out"
expect_no_match "no RoCE v1 GIDs" 'RoCE v1' "$out"

# An IPv6 address becomes a GID too.
ip -6 addr add 2001:db8:5::1/64 dev dummy0 nodad
wait_for 10 sh -c 'ibv_devinfo -v -d mlx5x_0 | grep -q "2001:db8:5::1, RoCE v2"'
expect_match "IPv6 RoCE v2 GID" '2001:db8:5::1, RoCE v2' \
	"$(ibv_devinfo -v -d mlx5x_0)"

# The port follows the netdev.
ip link set dummy0 mtu 4200
expect_match "active_mtu after mtu 4200" 'active_mtu:[[:space:]]+4096' \
	"$(ibv_devinfo -d mlx5x_0)"
ip link set dummy0 mtu 1500
ip link set dummy0 down
expect_match "port down with the netdev" 'state:[[:space:]]+PORT_DOWN' \
	"$(ibv_devinfo -d mlx5x_0)"
expect_match "rdma link shows DOWN" 'mlx5x_0/1 state DOWN' "$(rdma link show)"
ip link set dummy0 up
wait_for 10 sh -c 'ibv_devinfo -d mlx5x_0 | grep -q PORT_ACTIVE'
expect_match "port active again" 'state:[[:space:]]+PORT_ACTIVE' \
	"$(ibv_devinfo -d mlx5x_0)"
finish

# shellcheck shell=bash
# In-VM helpers shared by scripts/bench and the perftest/stress/pyverbs
# integration tests (sourced): bring up the software RDMA devices next to
# mlx5x_0 and find the GID index to use.
#
#   ensure_dev NAME [NETDEV]  mlx5x_0 (already there), rxe0, siw0 (created
#                         on NETDEV, default dummy0; siw.ko is loaded first)
#   ensure_netdev NAME ADDR/LEN  a dummy netdev, up, with that IPv4 address
#   gid_index NAME        the RoCE v2 IPv4-mapped GID index (::ffff:a.b.c.d),
#                         or 0 for iWARP / no such GID
#   has_atomics NAME      ibv_devinfo's atomic_cap is not ATOMIC_NONE

repo=${MLX5X_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}

# siw.ko needs libcrc32c.ko. The harness loads .cache/siw/<kver>/siw.ko
# itself when scripts/build-siw put it there; else take the build copy.
load_siw() {
	[ -d /sys/module/siw ] && return 0
	local ko kver=${MLX5X_KVER:-$(uname -r)}
	for ko in "$repo/.cache/siw/$kver/siw.ko" "$repo"/.cache/siw/src/*/siw.ko; do
		[ -f "$ko" ] || continue
		[ "$(/sbin/modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)" = "$kver" ] || continue
		modprobe libcrc32c 2>/dev/null
		insmod "$ko" && return 0
	done
	echo "siw.ko for $kver not found: run scripts/build-siw" >&2
	return 1
}

ensure_netdev() {
	ip link show "$1" >/dev/null 2>&1 || ip link add "$1" type dummy || return 1
	ip addr show dev "$1" | grep -qF " ${2%/*}/" || ip addr add "$2" dev "$1" || return 1
	ip link set "$1" up
}

ensure_dev() {
	local dev=$1 netdev=${2:-dummy0}
	[ -e "/sys/class/infiniband/$dev" ] && return 0
	case $dev in
	rxe*) modprobe rdma_rxe 2>/dev/null
		rdma link add "$dev" type rxe netdev "$netdev" ;;
	siw*) load_siw || return 1
		rdma link add "$dev" type siw netdev "$netdev" ;;
	mlx5x*) rdma link add "$dev" type mlx5x netdev "$netdev" ;;
	*) echo "ensure_dev: don't know how to create $dev" >&2; return 1 ;;
	esac
	# The port turns ACTIVE asynchronously.
	local i
	for i in $(seq 50); do
		grep -q ACTIVE "/sys/class/infiniband/$dev/ports/1/state" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "ensure_dev: $dev port is not ACTIVE" >&2
	return 1
}

gid_index() {
	local dev=$1 f idx type
	for f in /sys/class/infiniband/"$dev"/ports/1/gids/*; do
		idx=${f##*/}
		case $(cat "$f" 2>/dev/null) in
		0000:0000:0000:0000:0000:ffff:*)
			type=$(cat "/sys/class/infiniband/$dev/ports/1/gid_attrs/types/$idx" 2>/dev/null)
			case $type in *v2* | '') echo "$idx"; return 0 ;; esac
			;;
		esac
	done
	echo 0
}

has_atomics() {
	! ibv_devinfo -v -d "$1" 2>/dev/null | grep -q 'atomic_cap:.*ATOMIC_NONE'
}

# wait_port PORT [SECONDS [PID]]: until a TCP listener is on PORT; gives
# up early when process PID (the server) is gone.
wait_port() {
	local end=$((SECONDS + ${2:-20}))
	until ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; do
		[ $SECONDS -ge $end ] && return 1
		[ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
		sleep 0.1
	done
}

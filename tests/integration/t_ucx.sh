#!/bin/bash
# UCX on mlx5x_0: ucx_info lists its rc_verbs and ud_verbs transports, and
# ucx_perftest runs UCT put/get/active messages over rc_verbs and UCP
# tag, put and get over each transport, between two processes.
. "$(dirname "$0")/lib.sh"

port=13337
counter=/sys/class/infiniband/mlx5x_0/ports/1/hw_counters/req_wqes
export UCX_NET_DEVICES=mlx5x_0:1 UCX_WARN_UNUSED_ENV_VARS=n
# UCX's ud_verbs (wireup of every UCP transport) times out over the
# IPv4-mapped GID UCX picks by default, on rxe as on mlx5x_0; over the
# IPv6 GID it works: use that one.
gid6=$(grep -l '^2001:0db8:' /sys/class/infiniband/mlx5x_0/ports/1/gids/* |
	head -n 1)
export UCX_IB_GID_INDEX=${gid6##*/}

info=$(ucx_info -d 2>&1)
for tl in rc_verbs ud_verbs; do
	expect_match "ucx_info -d lists $tl on mlx5x_0:1" \
		"Transport: $tl\$" "$(printf '%s\n' "$info" |
			grep -A1 "Transport: $tl\$" | grep -B1 'Device: mlx5x_0:1')"
done
expect_no_match "ucx_info -d reports no error" 'UCX +ERROR' "$info"

perftest() { # name, then ucx_perftest arguments for both sides
	local what=$1 srv rc
	shift
	timeout 300 ucx_perftest -p $port "$@" >/tmp/ucx-server.out 2>&1 &
	srv=$!
	if ! wait_for 60 sh -c "ss -Hltn 'sport = :$port' | grep -q ."; then
		kill $srv 2>/dev/null
		fail "$what: server did not listen"
		return
	fi
	local before
	before=$(cat $counter)
	check "$what" timeout 300 ucx_perftest -p $port "$@" 127.0.0.1
	wait $srv
	rc=$?
	check "$what: server exit status $rc" test $rc -eq 0
	check "$what: moved through mlx5x_0" test "$(cat $counter)" -gt "$before"
	port=$((port + 1))
}

# UCT level: the transport itself.
for t in "put_bw -s 8" "put_bw -D bcopy -s 4096" "put_bw -D zcopy -s 65536" "get -D bcopy -s 4096" \
	 "get -D zcopy -s 65536" "am_lat -s 8" "am_bw -D bcopy -s 4096"; do
	# shellcheck disable=SC2086 # $t is a test name and its options
	perftest "uct rc_verbs $t" -d mlx5x_0:1 -x rc_verbs -n 1000 -t $t
done
perftest "uct ud_verbs am_lat -s 8" -d mlx5x_0:1 -x ud_verbs -n 1000 \
	-t am_lat -s 8

# UCP level. UCX wires an rc_verbs connection up over ud_verbs, so the
# rc leg needs both: rc_verbs carries the data (rndv, put, get).
for tl in rc_verbs,ud_verbs ud_verbs; do
	for t in "tag_lat -s 8" "tag_bw -s 1048576" "ucp_put_bw -s 65536" \
		 "ucp_get -s 65536"; do
		# shellcheck disable=SC2086 # as above
		UCX_TLS=$tl perftest "ucp $tl $t" -n 500 -t $t
	done
done
finish

#!/bin/bash
# rdma_cm on the device under test ($1 or $MLX5X_TEST_DEV, default
# mlx5x_0), over dummy0's 192.0.2.1 and 2001:db8::1: rping (-V, several
# iterations of a few KiB), ib_write_bw/ib_send_bw/ib_read_bw -R, udaddy
# (UDP port space), ucmatose (several connections) and
# rdma_server/rdma_client, each on IPv4 and on IPv6, server and client in
# this VM under timeout. Each run must exit 0 on both sides, its server's
# listening cm_id must sit on the device (rdma resource show cm_id), and
# the device's hw_counters must have grown by at least what the run moved
# (mlx5x: req_wqes, req_msg_bytes; rxe: sent_pkts). rdma_cm picks the
# device by address, so every other RDMA device on dummy0 is deleted
# first. A client aimed at a port nobody listens on must fail. Then
# pyverbs-tests/test_rdmacm.py runs on the device (no test may skip).
#
#   tests/vm/run -- tests/integration/t_rdmacm.sh                 mlx5x_0
#   tests/vm/run -- tests/integration/t_rdmacm.sh rxe0            (created)
#   tests/vm/run --no-mlx5x -- tests/integration/t_rdmacm.sh rxe0
#   (ctest passes the build directory as $1: then the device comes from
#   $MLX5X_TEST_DEV.)
#
# Debian 12's perftest (4.5-0.17) resolves -R addresses as IPv4 only
# (AF_INET is hard-coded; --ipv6-addr came in 23.07): its IPv6 runs are
# skipped, with a note, unless `ib_write_bw -h` offers --ipv6-addr.
dev=${MLX5X_TEST_DEV:-mlx5x_0}
case ${1:-} in
'' | /* | ./* | ../*) . "$(dirname "$0")/lib.sh" ;;
*) dev=$1; . "$(dirname "$0")/lib.sh" "" ;;
esac
. "$MLX5X_REPO/tests/perf/devices.sh"

out=${MLX5X_OUT:-/tmp}/rdmacm-$dev
mkdir -p "$out"
cnt=/sys/class/infiniband/$dev/ports/1/hw_counters
iters=20
size=4000

# Only the device under test may sit on dummy0.
for other in $(rdma link show | awk '/netdev dummy0( |$)/ { sub("/.*", "", $2); print $2 }'); do
	[ "$other" = "$dev" ] && continue
	echo "deleting $other: rdma_cm must resolve dummy0's addresses to $dev"
	check "delete $other from dummy0" rdma link delete "$other"
done
check "device $dev" ensure_dev "$dev" dummy0
expect_match "$dev is the only RDMA device on dummy0" "^link $dev/1 .*netdev dummy0( |\$)" \
	"$(rdma link show | grep -E 'netdev dummy0( |$)')"
expect_no_match "no other RDMA device on dummy0" . \
	"$(rdma link show | grep -E 'netdev dummy0( |$)' | grep -v "^link $dev/1 ")"

# The counters that prove traffic went through the device: messages sent
# (WQEs, or packets) and, where the device has one, requester bytes.
wqe_cnt=
for c in req_wqes sent_pkts; do
	[ -r "$cnt/$c" ] && { wqe_cnt=$c; break; }
done
byte_cnt=
[ -r "$cnt/req_msg_bytes" ] && byte_cnt=req_msg_bytes
check "$dev has a hw_counter of sent messages (req_wqes or sent_pkts)" test -n "$wqe_cnt"
counter() {
	sleep 0.05 # past ib_core's 10 ms cache of the counters
	cat "$cnt/$1" 2>/dev/null || echo 0
}

# Listening cm_ids on port $1 (with DEV: on that device only).
listeners() {
	rdma resource show cm_id 2>/dev/null |
		grep -E "^link ${2:-[^ ]+}.* state LISTEN .*src-addr [^ ]*:$1( |\$)"
}

# wait_listening PORT PID: until the server PID listens on PORT on $dev
# (30 s). Gives up at once when the server is gone, and after 5 s of a
# listener on another device only (a wildcard address, as perftest's,
# listens on every device that does rdma_cm).
wait_listening() {
	local end=$((SECONDS + 30)) other=
	until listeners "$1" "$dev/" >/dev/null; do
		[ $SECONDS -ge $end ] && return 1
		kill -0 "$2" 2>/dev/null || return 1
		if [ -z "$other" ]; then
			listeners "$1" >/dev/null && other=$((SECONDS + 5))
		elif [ $SECONDS -ge $other ]; then
			return 1
		fi
		sleep 0.2
	done
}

perftest_v6=
ib_write_bw -h 2>&1 | grep -q -- '--ipv6-addr' && perftest_v6=--ipv6-addr

# run NAME PORT MIN_MSGS MIN_BYTES 'SERVER CMD' 'CLIENT CMD' [CLIENT_REGEX]:
# server and client; both must exit 0, the server must listen on PORT on
# $dev, the counters must grow by MIN_MSGS messages and MIN_BYTES bytes,
# the client's output must match CLIENT_REGEX. Returns 1 when the run
# itself failed (then nothing else is checked).
run() {
	local name=$1 port=$2 min_msgs=$3 min_bytes=$4 scmd=$5 ccmd=$6 want=${7:-}
	local srv rc=0 src=0 w0 b0 w1 b1
	w0=$(counter "$wqe_cnt")
	b0=$(counter "${byte_cnt:-none}")
	# shellcheck disable=SC2086 # the commands are word lists
	timeout 90 $scmd >"$out/$name.server" 2>&1 &
	srv=$!
	if ! wait_listening "$port" "$srv"; then
		fail "$name: the server did not listen on $dev (port $port)"
		rdma resource show cm_id | sed 's/^/    /'
		kill "$srv" 2>/dev/null
		wait "$srv"
		tail -n 5 "$out/$name.server" | sed 's/^/    /'
		return 1
	fi
	# shellcheck disable=SC2086
	timeout 60 $ccmd >"$out/$name.client" 2>&1 || rc=$?
	wait "$srv" || src=$?
	w1=$(counter "$wqe_cnt")
	b1=$(counter "${byte_cnt:-none}")
	if [ $rc -eq 0 ] && [ $src -eq 0 ]; then ok; else
		fail "$name: client exit $rc, server exit $src ($ccmd)"
		tail -n 5 "$out/$name.client" "$out/$name.server" | sed 's/^/    /'
		return 1
	fi
	[ -n "$want" ] && expect_match "$name: client output" "$want" "$(cat "$out/$name.client")"
	if [ $((w1 - w0)) -ge "$min_msgs" ]; then ok; else
		fail "$name: $dev $wqe_cnt grew by $((w1 - w0)), expected >= $min_msgs"
	fi
	if [ -n "$byte_cnt" ]; then
		if [ $((b1 - b0)) -ge "$min_bytes" ]; then ok; else
			fail "$name: $dev $byte_cnt grew by $((b1 - b0)), expected >= $min_bytes"
		fi
	fi
	echo "$name: ran ($wqe_cnt +$((w1 - w0))${byte_cnt:+, $byte_cnt +$((b1 - b0))})"
}

p=20000 # the next port
for fam in ipv4 ipv6; do
	if [ $fam = ipv4 ]; then addr=192.0.2.1 f=ip; else addr=2001:db8::1 f=ipv6; fi
	# rping: per iteration the client SENDs twice, the server READs and
	# WRITEs $size bytes and SENDs once; -V checks the data.
	p=$((p + 1))
	run "rping-$fam" $p $((iters * 2)) $((iters * size * 2)) \
		"rping -s -a $addr -p $p -C $iters -S $size -V" \
		"rping -c -a $addr -p $p -C $iters -S $size -V -v" \
		"ping data: rdma-ping-$((iters - 1)): " &&
		expect_match "rping-$fam: $iters pings" "^$iters\$" \
		"$(grep -c '^ping data: ' "$out/rping-$fam.client" 2>/dev/null)"
	# perftest with rdma_cm connecting its QPs: 50 messages of 64 KiB.
	pv6=
	if [ $fam = ipv6 ]; then
		pv6=${perftest_v6:-skip}
		[ "$pv6" = skip ] && echo "skipped: perftest -R over IPv6 (perftest" \
			"$(dpkg-query -W -f '${Version}' perftest 2>/dev/null) has no --ipv6-addr)"
	fi
	for t in ib_write_bw ib_send_bw ib_read_bw; do
		[ "$pv6" = skip ] && break
		p=$((p + 1))
		run "$t-R-$fam" $p 50 $((50 * 65536)) \
			"$t -R $pv6 -d $dev -F -n 50 -p $p" \
			"$t -R $pv6 -d $dev -F -n 50 -p $p $addr" '^ *65536 +50 ' &&
			expect_match "$t-R-$fam: perftest names $dev" "Device +: $dev\$" \
			"$(cat "$out/$t-R-$fam.client" "$out/$t-R-$fam.server" 2>/dev/null)"
	done
	# udaddy (UDP port space, UD QPs, always port 7174): 2 connections,
	# 10 messages of 200 bytes each way.
	run "udaddy-$fam" 7174 40 $((40 * 200)) \
		"udaddy -b $addr -f $f -c 2 -C 10 -S 200" \
		"udaddy -s $addr -f $f -c 2 -C 10 -S 200" 'test complete'
	# ucmatose (TCP port space, RC): 3 connections, 10 messages of 1000
	# bytes each way.
	p=$((p + 1))
	run "ucmatose-$fam" $p 60 $((60 * 1000)) \
		"ucmatose -b $addr -f $f -p $p -c 3 -C 10 -S 1000" \
		"ucmatose -s $addr -f $f -p $p -c 3 -C 10 -S 1000" 'test complete'
	# rdma_server/rdma_client: one 16-byte SEND each way.
	p=$((p + 1))
	run "rdma_client-$fam" $p 2 32 "rdma_server -s $addr -p $p" \
		"rdma_client -s $addr -p $p" 'rdma_client: end 0'
done

# pyverbs.cmid: RC and UD with data checked, rejects, resolution errors
# (pyverbs-tests/test_rdmacm.py), now that $dev is alone on dummy0.
MLX5X_TEST_DEV=$dev timeout 300 "$MLX5X_REPO/pyverbs-tests/run" test_rdmacm \
	>"$out/pyverbs.out" 2>&1
rc=$?
summary=$(tail -n 1 "$out/pyverbs.out")
echo "pyverbs-tests/test_rdmacm on $dev: $summary"
if [ $rc -eq 0 ] && ! grep -q '^skipped: ' "$out/pyverbs.out"; then ok; else
	fail "pyverbs-tests/test_rdmacm on $dev (exit $rc): $summary"
	grep -E '^(skipped:|FAIL:|ERROR:)' "$out/pyverbs.out" | sed 's/^/    /'
	sed -n '/^=\{20,\}$/,$p' "$out/pyverbs.out" | head -n 80 | sed 's/^/    /'
fi

# The client must be able to fail: nobody listens on this port.
refuse "rping to a port nobody listens on" timeout 60 rping -c -a 192.0.2.1 -p 19999 -C 1
refuse "rdma_client to a port nobody listens on" timeout 60 rdma_client -s 2001:db8::1 -p 19999

# Removing an mlx5x device under a live connection: ib_cm and rdma_cm let
# go of its GSI QP, both rping sides end (DEVICE_REMOVAL), and a new device
# on the same netdev serves rdma_cm again.
if [ "${dev#mlx5x}" != "$dev" ]; then
	timeout 120 rping -s -a 192.0.2.1 -p 19998 -C 100000 >"$out/rm.server" 2>&1 & spid=$!
	check "rping server listening" wait_listening 19998 $spid
	timeout 120 rping -c -a 192.0.2.1 -p 19998 -C 100000 -v >"$out/rm.client" 2>&1 & cpid=$!
	check "rping running before removal" wait_for 60 grep -q 'rdma-ping-3:' "$out/rm.client"
	check "rdma link delete $dev under rping" rdma link delete "$dev"
	wait $cpid; crc=$?
	wait $spid; src=$?
	[ $crc -ne 124 ] && [ $src -ne 124 ] && ok ||
		fail "rping did not end after the device went (client $crc, server $src)"
	check "rdma link add $dev again" rdma link add "$dev" type mlx5x netdev dummy0
	wait_for 30 sh -c "rdma link show $dev/1 | grep -q 'state ACTIVE'"
	run "rping-after-readd" 19997 5 0 "rping -s -a 192.0.2.1 -p 19997 -C 5" \
		"rping -c -a 192.0.2.1 -p 19997 -C 5 -v" 'rdma-ping-4:'
fi
finish

#!/bin/bash
# The in-VM half of scripts/bench (run by it through tests/vm/run): the same
# perftest set, with the same sizes, iterations and flags, on each device,
# then the memcpy probe. Writes $OUT/results.tsv, one line per figure:
#
#   TEST  SIZE  DEVICE  METRIC  VALUE|fail
#
# METRIC: bw (MB/s average), rate (Mpps), lat (t_typical, usec), and
# DEVICE "limit" for the memcpy probe. The raw perftest output goes to
# $OUT/logs/. A device or a test that fails gets "fail" and the run goes on.
#
# usage: bench-guest.sh OUTDIR MEMCPY_PROG QUICK(0|1) DEVICE...
#
# Connection setup (not measured; the data phase does not depend on it):
# RoCE devices (mlx5x, rxe) exchange QP numbers out of band over TCP on
# 127.0.0.1 with the RoCE v2 IPv4 GID (-x); siw (iWARP) can only connect
# through rdma_cm (-R). Every device gets its own dummy netdev and address,
# so that rdma_cm, which ignores -d, picks the intended device.
set -u
here=$(cd "$(dirname "$0")" && pwd -P)
. "$here/devices.sh"

out=$1 memcpy=$2 quick=$3
shift 3
devices=("$@")
mkdir -p "$out/logs"
res=$out/results.tsv
: >"$res"

if [ "$quick" = 1 ]; then
	bw_sizes="64 65536"
	lat_sizes="2"
	iters() { case $1 in 2 | 64) echo 1000 ;; 4096) echo 500 ;; 65536) echo 200 ;; *) echo 20 ;; esac; }
	lat_iters=300
else
	bw_sizes="2 64 4096 65536 1048576"
	lat_sizes="2 64 4096"
	iters() { case $1 in 2 | 64) echo 5000 ;; 4096) echo 2000 ;; 65536) echo 500 ;; *) echo 50 ;; esac; }
	lat_iters=1000
fi
# Per run: the client's and the server's time limit (a hung run costs
# this). The longest good run takes a few seconds under TCG. A device whose
# runs time out 3 times in a row is given up on (its remaining cells: fail).
tmo=20
declare -A timeouts

# Each device on its own netdev (mlx5x_0 stays on dummy0 where the harness
# created it; the harness's 2001:db8::1 stays too).
declare -A addr
n=0
for dev in "${devices[@]}"; do
	n=$((n + 1))
	case $dev in
	mlx5x_0) nd=dummy0 a=192.0.2.1 ;;
	*) nd=bench$n a=10.99.$n.1
		ensure_netdev "$nd" "$a/24" || { echo "bench: no netdev for $dev" >&2; continue; } ;;
	esac
	if ensure_dev "$dev" "$nd"; then
		addr[$dev]=$a
		ibv_devinfo -v -d "$dev" >"$out/logs/devinfo-$dev.txt" 2>&1
	else
		echo "bench: $dev is not available; its cells will say fail" >&2
	fi
done
rdma link >"$out/logs/rdma-link.txt" 2>&1

port=20000
# run TEST SIZE ITERS DEVICE: one client/server pair; sets $result to the
# client's result line (the numbers); fails if there is none. (Not run in a
# subshell: it keeps count of ports and timeouts.)
run() {
	local test=$1 size=$2 n=$3 dev=$4 log rc=0 line
	result=
	port=$((port + 1))
	log=$out/logs/$test-$size-$dev
	local args=(-F -s "$size" -n "$n" -p "$port") dst i
	[ -n "${addr[$dev]:-}" ] || return 1
	if [ "${timeouts[$dev]:-0}" -ge 3 ]; then
		echo "skipped: $dev timed out 3 times in a row" >"$log.client"
		return 1
	fi
	case $dev in
	siw*) args+=(-R); dst=${addr[$dev]} ;;
	*) args+=(-x "$(gid_index "$dev")"); dst=127.0.0.1 ;;
	esac
	timeout "$tmo" "$test" -d "$dev" "${args[@]}" >"$log.server" 2>&1 &
	local server=$!
	# The out-of-band server listens on TCP; rdma_cm's listener shows up
	# as a LISTEN cm_id (siw's also as a kernel TCP socket).
	for i in $(seq 100); do
		ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
		rdma res show cm_id 2>/dev/null | grep -q "LISTEN.*:$port " && break
		kill -0 $server 2>/dev/null || break
		sleep 0.1
	done
	timeout "$tmo" "$test" -d "$dev" "${args[@]}" "$dst" >"$log.client" 2>&1 || rc=$?
	wait $server || [ $rc -ne 0 ] || rc=$?
	if [ $rc -eq 124 ]; then
		timeouts[$dev]=$((${timeouts[$dev]:-0} + 1))
	else
		timeouts[$dev]=0
	fi
	[ $rc -eq 0 ] || { echo "rc $rc" >>"$log.client"; return 1; }
	line=$(awk -v s="$size" '$1 == s && $2 ~ /^[0-9]+$/ { print; exit }' "$log.client")
	[ -n "$line" ] || return 1
	# The right device, not another that owns the address.
	grep -q "Device *: $dev" "$log.client" || { echo "wrong device" >>"$log.client"; return 1; }
	result=$line
}

# record TEST SIZE DEVICE METRIC VALUE: a VALUE perftest could not compute
# (inf, nan, 0: a run that moved nothing) is recorded as fail.
record() {
	local v=$5
	awk -v v="$v" 'BEGIN { exit !(v == "fail" || (v ~ /^[0-9.e+-]+$/ && v + 0 > 0)) }' ||
		v=fail
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$v" >>"$res"
}

for test in ib_write_bw ib_read_bw ib_send_bw; do
	for size in $bw_sizes; do
		for dev in "${devices[@]}"; do
			if run "$test" "$size" "$(iters "$size")" "$dev"; then
				line=$result
				# bytes iterations peak avg(MB/s) rate(Mpps); perftest
				# prints MB/s with 2 decimals: small sizes take it from
				# the message rate (6 decimals) instead.
				set -- $line
				record "$test" "$size" "$dev" bw "$(awk -v bw="$4" -v r="$5" -v s="$size" \
					'BEGIN { print (bw < 10 ? r * s : bw) }')"
				[ "$size" = 64 ] && record "$test" "$size" "$dev" rate "$5"
			else
				record "$test" "$size" "$dev" bw fail
				[ "$size" = 64 ] && record "$test" "$size" "$dev" rate fail
			fi
			echo "bench: $test $size $dev: ${result:-fail}" >&2
		done
	done
done
for test in ib_write_lat ib_read_lat ib_send_lat; do
	for size in $lat_sizes; do
		for dev in "${devices[@]}"; do
			if run "$test" "$size" "$lat_iters" "$dev"; then
				line=$result
				# bytes iterations t_min t_max t_typical ...
				set -- $line
				record "$test" "$size" "$dev" lat "$5"
			else
				record "$test" "$size" "$dev" lat fail
			fi
			echo "bench: $test $size $dev: ${result:-fail}" >&2
		done
	done
done

# The upper limit: memcpy of the same sizes in this VM.
if "$memcpy" $bw_sizes $lat_sizes >"$out/logs/memcpy.txt" 2>&1; then
	while read -r size mbs mops usec; do
		for test in ib_write_bw ib_read_bw ib_send_bw; do
			case " $bw_sizes " in *" $size "*)
				record "$test" "$size" limit bw "$mbs"
				[ "$size" = 64 ] && record "$test" "$size" limit rate "$mops" ;;
			esac
		done
		for test in ib_write_lat ib_read_lat ib_send_lat; do
			case " $lat_sizes " in *" $size "*) record "$test" "$size" limit lat "$usec" ;; esac
		done
	done <"$out/logs/memcpy.txt"
fi
exit 0

#!/bin/bash
# perftest on the device under test ($1 or $MLX5X_TEST_DEV, default
# mlx5x_0): write/read/send/atomic, bandwidth and latency, RC, with the
# default (ibv_wr_* API) and --use_old_post_send, each with and without -e
# (completion events) at the default size, and -a (all sizes 2 B..8 MiB,
# few iterations) without -e. perftest itself refuses -e on the WRITE
# tests and -a on the atomic ones: those combinations are not run.
# UD (ib_send_bw, ib_send_lat) and UC (ib_send_*, ib_write_*), with both
# APIs, polling and events, and -a (UD: sizes up to the MTU).
# Client and server are two processes under timeout; a run fails on a
# non-zero exit or on perftest's error messages. Atomics are skipped when
# the device reports ATOMIC_NONE. ib_send_bw and ib_send_lat run once
# more on a shared receive queue (--use-srq, RC and UD;
# MLX5X_PERFTEST_SRQ=0 skips them, MLX5X_PERFTEST_ONLY_SRQ=1 runs only
# them).
#
#   tests/vm/run -- tests/integration/t_perftest.sh            mlx5x_0
#   tests/vm/run -- tests/integration/t_perftest.sh rxe0       (created)
#   (ctest passes the build directory as $1: then the device comes from
#   $MLX5X_TEST_DEV.) Iterations: MLX5X_PERFTEST_ITERS (default 100),
#   MLX5X_PERFTEST_ALL_ITERS for -a (default 10: -a goes up to 8 MiB).
#   MLX5X_PERFTEST_TRANSPORTS: which of "RC UD UC" (default all three).
dev=${MLX5X_TEST_DEV:-mlx5x_0}
case ${1:-} in
'' | /* | ./* | ../*) . "$(dirname "$0")/lib.sh" ;;
*) dev=$1; . "$(dirname "$0")/lib.sh" "" ;;
esac
. "$MLX5X_REPO/tests/perf/devices.sh"

iters=${MLX5X_PERFTEST_ITERS:-100}
iters_all=${MLX5X_PERFTEST_ALL_ITERS:-10}
check "device $dev" ensure_dev "$dev"
gid=$(gid_index "$dev")
tests="ib_write_bw ib_read_bw ib_send_bw ib_atomic_bw ib_write_lat ib_read_lat ib_send_lat ib_atomic_lat"
has_atomics "$dev" || {
	echo "$dev: atomic_cap is ATOMIC_NONE: atomic tests skipped"
	tests=${tests//ib_atomic_bw/}
	tests=${tests//ib_atomic_lat/}
}
out=${MLX5X_OUT:-/tmp}/perftest-$dev
mkdir -p "$out"
port=21000
dead=0

# run NAME ARGS...: one client/server pair.
run() {
	local name=$1 rc=0 server
	shift
	port=$((port + 1))
	if [ $dead -ge 3 ]; then
		fail "$name: not run ($dev timed out 3 times in a row)"
		return
	fi
	timeout 120 "$@" -p "$port" >"$out/$name.server" 2>&1 &
	server=$!
	if ! wait_port "$port" 30 "$server"; then
		kill "$server" 2>/dev/null
		wait "$server"
		fail "$name: the server did not listen"
		tail -n 5 "$out/$name.server" | sed 's/^/    /'
		return
	fi
	timeout 120 "$@" -p "$port" 127.0.0.1 >"$out/$name.client" 2>&1 || rc=$?
	wait "$server" || [ $rc -ne 0 ] || rc=$?
	[ $rc -eq 124 ] && dead=$((dead + 1)) || dead=0
	# perftest sometimes exits 0 after complaining.
	if [ $rc -eq 0 ] && ! grep -Eqi 'error|failed|unable|couldn.t|problems' \
		"$out/$name.client" "$out/$name.server" &&
		grep -Eq '^ *[0-9]+ +[0-9]+ ' "$out/$name.client"; then
		ok
	else
		fail "$name (exit $rc): $*"
		grep -Ehi 'error|failed|unable|couldn.t|problems' "$out/$name.client" \
			"$out/$name.server" | sort -u | head -n 5 | sed 's/^/    /'
	fi
}

transports=" ${MLX5X_PERFTEST_TRANSPORTS:-RC UD UC} "
[[ $transports == *" RC "* ]] || tests=
[ "${MLX5X_PERFTEST_ONLY_SRQ:-0}" = 1 ] && { tests=; transports=" "; }
for t in $tests; do
	for api in wr old; do
		for ev in poll event; do
			args=(-d "$dev" -x "$gid" -c RC -F)
			[ $api = old ] && args+=(--use_old_post_send)
			if [ $ev = event ]; then
				case $t in ib_write_*) continue ;; esac   # "not available on WRITE"
				args+=(-e)
			fi
			run "$t-$api-$ev" "$t" "${args[@]}" -n "$iters"
			case $ev-$t in
			poll-ib_atomic_*) ;;  # "Message size cannot be changed for Atomic tests"
			poll-*) run "$t-$api-$ev-all" "$t" "${args[@]}" -a -n "$iters_all" ;;
			esac
		done
	done
done
# SEND into a shared receive queue (--use-srq; both sides on one SRQ per
# process), both APIs, polling and events, and all sizes.
if [ "${MLX5X_PERFTEST_SRQ:-1}" = 1 ]; then
	for t in ib_send_bw ib_send_lat; do
		for api in wr old; do
			for ev in poll event; do
				args=(-d "$dev" -x "$gid" -c RC -F --use-srq)
				[ $api = old ] && args+=(--use_old_post_send)
				[ $ev = event ] && args+=(-e)
				run "$t-srq-$api-$ev" "$t" "${args[@]}" -n "$iters"
			done
		done
		run "$t-srq-all" "$t" -d "$dev" -x "$gid" -c RC -F --use-srq -a \
			-n "$iters_all"
		# UD QPs on an SRQ too (UC on an SRQ is not offered).
		run "$t-srq-UD" "$t" -d "$dev" -x "$gid" -c UD -F --use-srq \
			-n "$iters"
	done
fi
# UD: sends only; UC: no READ, no atomics (perftest refuses them too).
for c in UD UC; do
	[[ $transports == *" $c "* ]] || continue
	ct="ib_send_bw ib_send_lat"
	[ $c = UC ] && ct="$ct ib_write_bw ib_write_lat"
	for t in $ct; do
		for api in wr old; do
			args=(-d "$dev" -x "$gid" -c "$c" -F)
			[ $api = old ] && args+=(--use_old_post_send)
			run "$t-$c-$api" "$t" "${args[@]}" -n "$iters"
			run "$t-$c-$api-all" "$t" "${args[@]}" -a -n "$iters_all"
			case $t in ib_write_*) continue ;; esac
			run "$t-$c-$api-event" "$t" "${args[@]}" -e -n "$iters"
		done
	done
done
# A summary of what ran, from the clients.
grep -H -E '^ *(65536|8) +[0-9]+ ' "$out"/*-wr-poll.client 2>/dev/null | sed 's/^/    /' | head -n 10
finish

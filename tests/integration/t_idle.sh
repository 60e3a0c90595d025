#!/bin/bash
# The device's doorbell poller uses no CPU when the device is idle: after
# traffic stops it goes to sleep (NEED_WAKEUP) within a bounded time, and
# its CPU time stops growing. Traffic after that still works (the kick
# wakes it).
. "$(dirname "$0")/lib.sh"

eng=$(pgrep -f 'mlx5x_eng/mlx5x_0' | head -n 1)
check "poller thread exists" test -n "$eng"

# Ticks of CPU time (utime + stime) of a task.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
state() { awk '{ print $3 }' "/proc/$1/stat"; }

traffic() {
	timeout 60 ib_write_bw -d mlx5x_0 -x 1 -n 2000 -s 4096 >/dev/null 2>&1 &
	local srv=$!
	wait_for 20 sh -c 'ss -ltn | grep -q :18515'
	timeout 60 ib_write_bw -d mlx5x_0 -x 1 -n 2000 -s 4096 127.0.0.1 \
		>/tmp/idle-client.out 2>&1
	local rc=$?
	wait $srv
	return $rc
}

for engine_idle in -1 200 5000; do
	echo "$engine_idle" > /sys/module/mlx5x/parameters/engine_idle_us
	check "traffic (engine_idle_us=$engine_idle)" traffic
	# Bounded: the idle window plus scheduling slack.
	sleep 1
	check "poller asleep 1 s after traffic (engine_idle_us=$engine_idle)" \
		test "$(state "$eng")" = S
	before=$(cpu_ticks "$eng")
	sleep 2
	after=$(cpu_ticks "$eng")
	check "poller used no CPU while idle ($before -> $after ticks)" \
		test "$after" -le "$((before + 1))"
done
echo -1 > /sys/module/mlx5x/parameters/engine_idle_us
finish

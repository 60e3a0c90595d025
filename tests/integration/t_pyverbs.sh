#!/bin/bash
# The pyverbs RC data-path suite (pyverbs-tests/) on the device under test:
# $MLX5X_TEST_DEV (default mlx5x_0; rxe0/siw0 are created when named).
# With MLX5X_TEST_DEV2=rxe1 (say) the two-device tests run against a second
# device on its own dummy netdev.
. "$(dirname "$0")/lib.sh"
. "$MLX5X_REPO/tests/perf/devices.sh"

dev=${MLX5X_TEST_DEV:-mlx5x_0}
check "device $dev" ensure_dev "$dev"
if [ -n "${MLX5X_TEST_DEV2:-}" ]; then
	ensure_netdev dummy9 10.99.9.1/24
	check "second device $MLX5X_TEST_DEV2" ensure_dev "$MLX5X_TEST_DEV2" dummy9
fi
export MLX5X_TEST_DEV=$dev
timeout 900 "$MLX5X_REPO/pyverbs-tests/run" >/tmp/pyverbs.out 2>&1
rc=$?
# The suite's own verdict, then its failures in full.
grep -E '^(skipped:|FAIL:|ERROR:)' /tmp/pyverbs.out | sed 's/^/    /'
summary=$(tail -n 1 /tmp/pyverbs.out)
echo "pyverbs-tests on $dev: $summary"
if [ $rc -eq 0 ]; then ok; else
	fail "pyverbs-tests on $dev (exit $rc): $summary"
	sed -n '/^=\{20,\}$/,$p' /tmp/pyverbs.out | head -n 200 | sed 's/^/    /'
fi
[ -n "${MLX5X_OUT:-}" ] && cp /tmp/pyverbs.out "$MLX5X_OUT/pyverbs-$dev.txt"
finish

# shellcheck shell=bash
# Helpers for the in-VM integration tests (sourced). Each test script runs
# as root inside the test VM started by tests/vm/run, prints one line per
# failed check, and ends with "N passed, N failed".
set -u

passed=0
failed=0
build=${1:-${MLX5X_BUILD:-${MLX5X_REPO:-.}/build}}

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check DESCRIPTION CMD...: CMD must succeed.
check() {
	local what=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then ok; else
		fail "$what (command: $*)"
		sed 's/^/    /' /tmp/check.out | tail -n 20
	fi
}

# refuse DESCRIPTION CMD...: CMD must fail.
refuse() {
	local what=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		fail "$what: expected failure (command: $*)"
	else ok; fi
}

# expect_match DESCRIPTION REGEX TEXT
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok; else
		fail "$1: expected /$2/ in:"
		printf '%s\n' "$3" | sed 's/^/    /' | head -n 40
	fi
}

expect_no_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		fail "$1: unexpected /$2/ in:"
		printf '%s\n' "$3" | sed 's/^/    /' | head -n 40
	else ok; fi
}

# wait_for SECONDS CMD...: poll until CMD succeeds.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}

has_ibdev() { [ -e "/sys/class/infiniband/$1" ]; }

finish() {
	# The device reports what it dislikes at error level; none expected.
	expect_no_match "no mlx5x errors in the kernel log" '.' \
		"$(dmesg --level=emerg,alert,crit,err | grep -i mlx5x)"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

#!/bin/bash
# The C control-path test (tests/integration/ctrl_test.c), then two copies
# of it in parallel processes on the same device.
. "$(dirname "$0")/lib.sh"

prog=$build/tests/integration/ctrl_test
check "ctrl_test" "$prog"
cat /tmp/check.out
"$prog" > /tmp/a.out 2>&1 & a=$!
"$prog" > /tmp/b.out 2>&1 & b=$!
check "ctrl_test process A (parallel)" wait $a
check "ctrl_test process B (parallel)" wait $b
tail -n 1 /tmp/a.out /tmp/b.out
finish

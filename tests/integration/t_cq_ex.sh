#!/bin/bash
# Extended CQs with a completion channel, and CQ resizing while the device
# writes CQEs (tests/integration/cq_ex_test.c).
. "$(dirname "$0")/lib.sh"

check "cq_ex_test" "$build/tests/integration/cq_ex_test"
cat /tmp/check.out
finish

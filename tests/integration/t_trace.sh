#!/bin/bash
# The mlx5x:fw_cmd tracepoint records every firmware command with opcode,
# status, syndrome and latency; a refused command shows its status.
. "$(dirname "$0")/lib.sh"

t=/sys/kernel/tracing
[ -e $t/trace ] || mount -t tracefs nodev $t
check "tracepoint exists" test -d $t/events/mlx5x/fw_cmd
echo 1 > $t/events/mlx5x/fw_cmd/enable
echo > $t/trace
"$build/tests/integration/ctrl_test" > /tmp/ctrl.out 2>&1
echo 0 > $t/events/mlx5x/fw_cmd/enable
tr=$(cat $t/trace)
echo "$tr" > "${MLX5X_OUT:-/tmp}/fw_cmd_trace.txt"
expect_match "CREATE_CQ traced" 'fw_cmd: .* opcode=0x400 op_mod=0x0 err=0 status=0x0 syndrome=0x0 latency_ns=[0-9]+' "$tr"
expect_match "CREATE_QP traced" 'opcode=0x500 .*err=0 status=0x0' "$tr"
expect_match "CREATE_MKEY traced" 'opcode=0x200 .*err=0 status=0x0' "$tr"
expect_match "ALLOC_UAR traced" 'opcode=0x802 ' "$tr"
expect_match "refused SQD2RTS shows BAD_RES_STATE" \
	'opcode=0x50c .*err=-22 status=0x9 syndrome=0x[0-9a-f]*[1-9a-f]' "$tr"
finish

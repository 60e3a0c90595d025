#!/bin/bash
# Objects of a live process show up in `rdma resource show`, and are gone
# once it exits; what is left is the kernel's own: ib_mad's PD, CQ and GSI
# QP (QPN 1), and no MR (the PD's DMA MKey is not a tracked MR).
. "$(dirname "$0")/lib.sh"

prog=$build/tests/integration/ctrl_test
"$prog" --hold > /tmp/hold.out 2>&1 & pid=$!
check "holder ready" wait_for 60 grep -q READY /tmp/hold.out || cat /tmp/hold.out
qpn=$(sed -n 's/^READY qpn=//p' /tmp/hold.out)

summary=$(rdma resource show)
expect_match "summary lists mlx5x_0 objects" \
	'mlx5x_0: pd [1-9][0-9]* cq [1-9][0-9]* qp [1-9][0-9]* cm_id [0-9]+ mr [1-9]' \
	"$summary"
qps=$(rdma resource show qp link mlx5x_0)
expect_match "QP listed with type and state" \
	"lqpn $qpn .*type RC state INIT .*pid $pid comm ctrl_test" "$qps"
expect_match "CQ listed" "cqe 64 users 2 .*pid $pid comm ctrl_test" \
	"$(rdma resource show cq dev mlx5x_0)"
expect_match "MR listed" "mrlen 65536 .*pid $pid comm ctrl_test" \
	"$(rdma resource show mr dev mlx5x_0)"
expect_match "SRQ listed" "pid $pid comm ctrl_test" \
	"$(rdma resource show srq dev mlx5x_0 2>&1)"
expect_match "PD listed" "users [0-9]+ .*pid $pid comm ctrl_test" \
	"$(rdma resource show pd dev mlx5x_0)"

kill $pid
wait $pid 2>/dev/null
expect_match "only the kernel's objects left after exit" \
	'mlx5x_0: pd 1 cq 1 qp 1 cm_id 0 mr 0' "$(rdma resource show)"
expect_match "the kernel's QP is the GSI QP" 'lqpn 1 type GSI state RTS .*comm \[ib_core\]' \
	"$(rdma resource show qp link mlx5x_0)"
finish

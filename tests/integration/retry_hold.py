# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Helper of t_retry.sh (run with /usr/bin/python3 in the VM): two RC QPs
whose SEND waits for an ACK that never comes (their destination stays in
RESET), one with no timeout (0), one with a 4.3 s timeout (20) and
retry_cnt 7. Prints READY, then waits for the device to go away (async
event DEVICE_FATAL), prints EVENT lines, cleans up and prints CLOSED."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ['MLX5X_REPO'], 'pyverbs-tests'))

import pyverbs.enums as e  # noqa: E402

from base import Device, Side, connect_one, send_wr  # noqa: E402

dev = Device(sys.argv[1] if len(sys.argv) > 1 else 'mlx5x_0',
             'MLX5X_TEST_GID')
peer = Side(dev)
sides = [peer]
for timeout in (0, 20):
    a = Side(dev)
    connect_one(a, peer, timeout=timeout, retry_cnt=7)
    a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 64)]))
    sides.append(a)
print('READY', flush=True)
while True:
    ev = dev.ctx.get_async_event()
    print('EVENT', ev.event_type, 'DEVICE_FATAL'
          if ev.event_type == e.IBV_EVENT_DEVICE_FATAL else '', flush=True)
    ev.ack()
    if ev.event_type == e.IBV_EVENT_DEVICE_FATAL:
        break
for s in reversed(sides):
    s.close()
dev.close()
print('CLOSED', flush=True)

# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""fork() with live verbs objects.

On 6.1 the kernel copies DMA-pinned pages for the child at fork time, so
libibverbs reports IBV_FORK_UNNEEDED. What the provider must get right is
that its rings, doorbell records and the UAR stay the parent's: a parent
keeps posting, polling and receiving RDMA into its registered memory while
a child dirties the same virtual pages (which must land in the child's copy
only) and runs a verbs context of its own. With RDMAV_FORK_SAFE=1
libibverbs still marks registered memory MADV_DONTFORK, so there the child
leaves the parent's buffers alone, as on every provider.

The child never touches the parent's objects and leaves with os._exit():
it shares the parent's uverbs file, and destroying inherited objects would
destroy the parent's.
"""
import os
import subprocess
import sys

import pyverbs.enums as e
from pyverbs.fork import fork_init, is_fork_initialized

from base import (DEV, Device, PairTest, Side, connect, poll, recv_wr,
                  send_wr)

FORK_SAFE = os.environ.get('RDMAV_FORK_SAFE') == '1'
ROUNDS = 40
SIZE = 4096


def wait_child(pid):
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


class Fork(PairTest):

    def test_fork_status(self):
        self.assertEqual(is_fork_initialized(), e.IBV_FORK_UNNEEDED)
        if FORK_SAFE:
            fork_init()  # again: harmless

    def child_traffic(self, a, b):
        """In the child: dirty the parent's buffers, then a loopback pair
        of its own moves data."""
        if not FORK_SAFE:
            a.mr.write(b'C' * SIZE, SIZE, 0)
            b.mr.write(b'C' * SIZE, SIZE, 0)
        dev = Device(DEV, 'MLX5X_TEST_GID')
        c, d = Side(dev), Side(dev)
        connect(c, d)
        for i in range(ROUNDS // 4):
            data = os.urandom(SIZE)
            c.mr.write(data, SIZE, 0)
            d.qp.post_recv(recv_wr(i, [d.sge(0, SIZE)]))
            c.qp.post_send(send_wr(i, e.IBV_WR_SEND, [c.sge(0, SIZE)]))
            swc, = poll(c.scq)
            rwc, = poll(d.rcq)
            if (swc.status, rwc.status) != (0, 0) or \
               d.mr.read(SIZE, 0) != data:
                return 2
        return 0

    def test_parent_keeps_working(self):
        a, b = self.pair()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = self.child_traffic(a, b)
            finally:
                os._exit(code)
        # The parent, meanwhile: RDMA WRITE and SEND into its own memory.
        for i in range(ROUNDS):
            data = os.urandom(SIZE)
            a.mr.write(data, SIZE, 0)
            if i % 2:
                b.qp.post_recv(recv_wr(i, [b.sge(0, SIZE)]))
                a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, SIZE)]))
                self.assertOk(poll(a.scq) + poll(b.rcq), f'send {i}')
            else:
                wr = send_wr(i, e.IBV_WR_RDMA_WRITE, [a.sge(0, SIZE)])
                wr.set_wr_rdma(b.mr.rkey, b.mr.buf)
                a.qp.post_send(wr)
                self.assertOk(poll(a.scq), f'write {i}')
            self.assertEqual(b.mr.read(SIZE, 0), data, f'round {i}')
        self.assertEqual(wait_child(pid), 0, 'child traffic')
        # After the child is gone too: its exit closed nothing of ours.
        a.mr.write(b'P' * SIZE, SIZE, 0)
        b.qp.post_recv(recv_wr(99, [b.sge(0, SIZE)]))
        a.qp.post_send(send_wr(99, e.IBV_WR_SEND, [a.sge(0, SIZE)]))
        self.assertOk(poll(a.scq) + poll(b.rcq), 'after the child')
        self.assertEqual(b.mr.read(SIZE, 0), b'P' * SIZE)

    def test_fork_safe_env(self):
        """The same, in a process started with RDMAV_FORK_SAFE=1."""
        if FORK_SAFE:
            self.skipTest('already in it')
        env = dict(os.environ, RDMAV_FORK_SAFE='1')
        here = os.path.dirname(os.path.abspath(__file__))
        r = subprocess.run([sys.executable, '-m', 'unittest', '-q',
                            'test_fork.Fork.test_parent_keeps_working',
                            'test_fork.Fork.test_fork_status'],
                           cwd=here, env=env, capture_output=True,
                           text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])

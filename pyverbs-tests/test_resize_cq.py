# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""ibv_resize_cq with completions outstanding: they come out afterwards,
all of them, once each and in order; a size below what is outstanding is
refused and leaves the CQ as it was. (Resizing while the device writes
CQEs: tests/integration/cq_ex_test.c.)"""
import errno
import random
import struct

import pyverbs.enums as e
from pyverbs.pyverbs_error import PyverbsRDMAError

from base import PairTest, poll, recv_wr, send_wr


class ResizeCQ(PairTest):

    def setUp(self):
        super().setUp()
        self.a, self.b = self.pair(a_kw=dict(cqe=8, send_wr=32, recv_wr=32),
                                   b_kw=dict(cqe=8, send_wr=32, recv_wr=32))
        self.next = 0

    def send(self, k):
        """K SEND_WITH_IMMs whose receive CQEs are all written on return:
        the requester's completion comes after the responder's CQE."""
        a, b = self.a, self.b
        first = self.next
        for j in range(k):
            n = first + j
            b.qp.post_recv(recv_wr(n, [b.sge(64 * (n % 512), 64)]))
            a.mr.write(struct.pack('<Q', n) * 8, 64, 64 * (n % 512))
            a.qp.post_send(send_wr(n, e.IBV_WR_SEND_WITH_IMM,
                                   [a.sge(64 * (n % 512), 64)], imm=n))
            self.assertOk(poll(a.scq, 1))
        self.next += k
        return list(range(first, first + k))

    def check(self, wcs, ids):
        self.assertOk(wcs)
        self.assertEqual([(w.wr_id, w.imm_data, w.byte_len) for w in wcs],
                         [(n, n, 64) for n in ids])
        for n in ids:
            self.assertEqual(self.b.mr.read(64, 64 * (n % 512)),
                             struct.pack('<Q', n) * 8, 'message %d' % n)

    def resize_refused(self, cq, cqe):
        with self.assertRaises(PyverbsRDMAError) as cm:
            cq.resize(cqe)
        self.assertEqual(cm.exception.error_code, errno.EINVAL)

    def test_up_and_down_with_outstanding(self):
        rcq = self.b.rcq
        self.assertEqual(rcq.cqe, 8)
        ids = self.send(6)
        self.resize_refused(rcq, 4)
        self.assertEqual(rcq.cqe, 8)
        for size in (16, 64, 8):
            rcq.resize(size)
            self.assertEqual(rcq.cqe, size)
        # Full: 8 outstanding in an 8-entry ring, then up, then down again.
        ids += self.send(2)
        self.resize_refused(rcq, 7 - 3)
        rcq.resize(32)
        ids += self.send(8)
        self.resize_refused(rcq, 8)
        rcq.resize(16)
        self.assertEqual(rcq.cqe, 16)
        self.check(poll(rcq, 16), ids)
        # The new ring works on, and wraps.
        for _ in range(5):
            ids = self.send(7)
            self.check(poll(rcq, 7), ids)
        rcq.resize(2)
        self.assertEqual(rcq.cqe, 2)
        for _ in range(5):
            ids = self.send(2)
            self.check(poll(rcq, 2), ids)

    def test_random_with_partial_polls(self):
        """Resizes at every consumer index and ring pass, with some of the
        completions polled before and some after."""
        rng = random.Random(5)
        rcq = self.b.rcq
        pending = []
        size = 8
        for _ in range(60):
            k = rng.randint(0, size - len(pending))
            pending += self.send(k)
            npoll = rng.randint(0, len(pending))
            if npoll:
                self.check(poll(rcq, npoll, allow_more=True),
                           pending[:npoll])
                pending = pending[npoll:]
            new = rng.choice([2, 4, 8, 16, 32])
            if new < len(pending):
                self.resize_refused(rcq, new)
                self.assertEqual(rcq.cqe, size)
            else:
                rcq.resize(new)
                size = new
                self.assertEqual(rcq.cqe, size)
        self.check(poll(rcq, len(pending)), pending)

    def test_send_cq(self):
        """The requester's CQ resized between unpolled completions."""
        a, b = self.a, self.b
        scq = a.scq
        for i in range(6):
            b.qp.post_recv(recv_wr(i, [b.sge(0, 64)]))
            a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, 8)]))
        self.assertOk(poll(b.rcq, 6))
        scq.resize(64)
        scq.resize(8)
        wcs = poll(scq, 6)
        self.assertOk(wcs)
        self.assertEqual([(w.wr_id, w.opcode) for w in wcs],
                         [(i, e.IBV_WC_SEND) for i in range(6)])

# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The port's hw_counters (sysfs ports/1/hw_counters, `rdma statistic`)
move by exactly what a known workload does on this device.

mlx5x names (mlx5's where the meaning is the same): req_wqes and
req_msg_bytes (send WQEs completed successfully, their message bytes),
req_cqe_error, req_cqe_flush_error, rnr_nak_retry_err (RNR NAKs
received), local_ack_timeout_err (local ACK timer expiries), out_of_buffer
(requests that found no receive WQE). Loopback: both ends are on one
device, so requester and responder counts add up on it.
"""
import subprocess

import pyverbs.enums as e

from base import PairTest, connect_one, hw_counters, poll, recv_wr, send_wr

NAMES = ('req_wqes', 'req_msg_bytes', 'req_cqe_error', 'req_cqe_flush_error',
         'rnr_nak_retry_err', 'local_ack_timeout_err', 'out_of_buffer')


class HwCounters(PairTest):

    def setUp(self):
        super().setUp()
        self.before = hw_counters(self.dev.name)
        missing = [n for n in NAMES if n not in self.before]
        if missing:
            self.skipTest('%s has no hw_counters %s' % (self.dev.name,
                                                        ', '.join(missing)))

    def expect_moved(self, **delta):
        """Every counter in NAMES moved by DELTA (0 if not named)."""
        after = hw_counters(self.dev.name)
        seen = {n: after[n] - self.before[n] for n in NAMES}
        want = {n: delta.get(n, 0) for n in NAMES}
        self.assertEqual(seen, want, 'counter deltas')
        return after

    def rdma(self, a, b, wr_id, op, off, size):
        wr = send_wr(wr_id, op, [a.sge(off, size)])
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf + off)
        a.qp.post_send(wr)

    def test_data(self):
        """5 SENDs of 100 B, 2 WRITEs of 1000 B, 1 READ of 500 B."""
        a, b = self.pair()
        for i in range(5):
            b.qp.post_recv(recv_wr(i, [b.sge(i * 128, 128)]))
        for i in range(5):
            a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(i * 128, 100)]))
        self.rdma(a, b, 5, e.IBV_WR_RDMA_WRITE, 4096, 1000)
        self.rdma(a, b, 6, e.IBV_WR_RDMA_WRITE, 8192, 1000)
        self.rdma(a, b, 7, e.IBV_WR_RDMA_READ, 16384, 500)
        self.assertOk(poll(a.scq, 8) + poll(b.rcq, 5))
        self.expect_moved(req_wqes=8, req_msg_bytes=5 * 100 + 2000 + 500)

    def test_rnr(self):
        """rnr_retry 2 and no receive: 3 RNR NAKs (each an out_of_buffer at
        the responder), an error CQE and the flush of the WR behind."""
        a, b = self.pair(a_attrs={'rnr_retry': 2}, b_attrs={'min_rnr_timer': 1})
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 64)]))
        a.qp.post_send(send_wr(2, e.IBV_WR_SEND, [a.sge(0, 64)]))
        w1, w2 = poll(a.scq, 2)
        self.assertStatus(w1, e.IBV_WC_RNR_RETRY_EXC_ERR)
        self.assertStatus(w2, e.IBV_WC_WR_FLUSH_ERR)
        self.expect_moved(rnr_nak_retry_err=3, out_of_buffer=3,
                          req_cqe_error=1, req_cqe_flush_error=1)

    def test_ack_timeout(self):
        """retry_cnt 2 against a QP in RESET: 3 local ACK timeouts, then
        RETRY_EXC_ERR; rdma statistic shows what sysfs shows."""
        b = self.side()
        a = self.side()
        connect_one(a, b, timeout=8, retry_cnt=2)
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 64)]))
        w, = poll(a.scq)
        self.assertStatus(w, e.IBV_WC_RETRY_EXC_ERR)
        after = self.expect_moved(local_ack_timeout_err=3, req_cqe_error=1)
        out = subprocess.run(['rdma', 'statistic', 'show', 'link',
                              '%s/1' % self.dev.name], capture_output=True,
                             text=True, check=True).stdout
        words = out.split()
        for n in NAMES:
            self.assertIn(n, words, 'rdma statistic: %s' % out)
            self.assertEqual(int(words[words.index(n) + 1]), after[n],
                             'rdma statistic %s' % n)

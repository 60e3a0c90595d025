# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""RC transport retry: the local ACK timeout.

IB spec (vol. 1, 9.7.6.1): a request that gets no answer (the destination
QP does not exist, or is not in RTR/RTS and drops it) is retransmitted
after the local ACK timeout, 4.096 us * 2^timeout, at most retry_cnt times
(7 is 7, not infinite); then the WQE completes with RETRY_EXC_ERR and the
QP goes to ERR. timeout 0 means no timeout: the WQE waits until the QP is
modified or destroyed. A destination that becomes ready while the
requester still retries gets the message.

Timing is never asserted: the budgets are large against TCG's delays and
the checks are on what completes, in which order, with which data.
"""
import os

import pyverbs.enums as e
from pyverbs.qp import QPAttr

from base import PORT, ALL_ACCESS, PairTest, connect_one, hw_counters, \
    poll, poll_none, recv_wr, send_wr

TIMEOUTS = 'local_ack_timeout_err'


def to_init(side):
    attr = QPAttr(qp_state=e.IBV_QPS_INIT)
    attr.port_num = PORT
    attr.pkey_index = 0
    attr.qp_access_flags = ALL_ACCESS
    side.qp.to_init(attr)


class RCRetry(PairTest):

    def aimed_at(self, peer, **kw):
        """A requester in RTS whose destination is PEER's QP, which is left
        where it is (RESET unless the caller moves it)."""
        a = self.side()
        connect_one(a, peer, **kw)
        return a

    def post(self, a, b, op, wr_id, off, size):
        wr = send_wr(wr_id, op, [a.sge(off, size)])
        if op != e.IBV_WR_SEND:
            wr.set_wr_rdma(b.mr.rkey, b.mr.buf + off)
        a.qp.post_send(wr)

    def to_err(self, side):
        side.qp.modify(QPAttr(qp_state=e.IBV_QPS_ERR), e.IBV_QP_STATE)

    def test_retry_exhausted(self):
        """The peer never reaches RTR: retry_cnt retransmissions, then
        RETRY_EXC_ERR, the QP in ERR, the WR behind it and later ones
        flushed, the peer's memory untouched."""
        ops = (('SEND', e.IBV_WR_SEND), ('WRITE', e.IBV_WR_RDMA_WRITE),
               ('READ', e.IBV_WR_RDMA_READ))
        for name, op in ops:
            for retry_cnt, peer_init in ((0, False), (3, True), (7, False)):
                with self.subTest(op=name, retry_cnt=retry_cnt,
                                  peer='INIT' if peer_init else 'RESET'):
                    b = self.side()
                    if peer_init:
                        to_init(b)
                        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
                    a = self.aimed_at(b, timeout=8, retry_cnt=retry_cnt)
                    before = hw_counters(self.dev.name)
                    a.mr.write(b'\x5a' * 64, 64, 0)
                    self.post(a, b, op, 10, 0, 64)
                    self.post(a, b, e.IBV_WR_SEND, 11, 0, 64)
                    w1, w2 = poll(a.scq, 2)
                    self.assertEqual((w1.wr_id, w2.wr_id), (10, 11))
                    self.assertStatus(w1, e.IBV_WC_RETRY_EXC_ERR, name)
                    self.assertStatus(w2, e.IBV_WC_WR_FLUSH_ERR,
                                      'WR behind it')
                    self.assertEqual(a.state(), e.IBV_QPS_ERR)
                    if TIMEOUTS in before:
                        # the first try and each retransmission time out
                        self.assertEqual(hw_counters(self.dev.name)[TIMEOUTS]
                                         - before[TIMEOUTS], retry_cnt + 1,
                                         TIMEOUTS)
                    a.qp.post_send(send_wr(12, e.IBV_WR_SEND, [a.sge(0, 8)]))
                    w, = poll(a.scq)
                    self.assertEqual(w.wr_id, 12)
                    self.assertStatus(w, e.IBV_WC_WR_FLUSH_ERR, 'posted in ERR')
                    self.assertEqual(b.mr.read(64, 0), b'\0' * 64,
                                     'peer memory written')
                    poll_none(b.rcq, 0.05)

    def test_late_peer(self):
        """The peer reaches RTR after the first tries were lost but within
        the retry budget (timeout 17 = 537 ms, 8 tries: 4.3 s): the
        retransmission delivers, in order, with the data."""
        b = self.side()
        a = self.aimed_at(b, timeout=17, retry_cnt=7)
        to_init(b)
        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
        send_data, write_data = os.urandom(1000), os.urandom(3000)
        a.mr.write(send_data, len(send_data), 0)
        a.mr.write(write_data, len(write_data), 8192)
        self.post(a, b, e.IBV_WR_SEND, 10, 0, len(send_data))
        self.post(a, b, e.IBV_WR_RDMA_WRITE, 11, 8192, len(write_data))
        poll_none(a.scq, 0.3)
        connect_one(b, a)
        self.assertOk(poll(a.scq, 2), 'requester')
        rwc, = poll(b.rcq)
        self.assertOk([rwc], 'responder')
        self.assertEqual(rwc.byte_len, len(send_data))
        self.assertEqual(b.mr.read(len(send_data), 0), send_data)
        self.assertEqual(b.mr.read(len(write_data), 8192), write_data)
        self.assertEqual(a.state(), e.IBV_QPS_RTS)

    def test_no_timeout_modify_err_flushes(self):
        """timeout 0: no local ACK timeout; the WQE waits (retry_cnt does
        not end it, a peer ready later does not get it: nothing is
        retransmitted) until the QP is moved to ERR, which flushes it."""
        b = self.side()
        a = self.aimed_at(b, timeout=0, retry_cnt=0)
        for i in range(3):
            self.post(a, b, e.IBV_WR_SEND, i, 0, 64)
        poll_none(a.scq, 1.0)
        self.assertEqual(a.state(), e.IBV_QPS_RTS)
        connect_one(b, a)
        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
        poll_none(b.rcq, 0.5)
        poll_none(a.scq, 0.05)
        self.to_err(a)
        wcs = poll(a.scq, 3)
        self.assertEqual([w.wr_id for w in wcs], [0, 1, 2])
        for w in wcs:
            self.assertStatus(w, e.IBV_WC_WR_FLUSH_ERR, 'modify to ERR')

    def test_reset_during_wait(self):
        """A QP waiting for an ACK moved to RESET forgets the WQE; connected
        again, to a live peer, it works."""
        b = self.side()
        a = self.aimed_at(b, timeout=0)
        self.post(a, b, e.IBV_WR_SEND, 1, 0, 64)
        poll_none(a.scq, 0.2)
        a.qp.modify(QPAttr(qp_state=e.IBV_QPS_RESET), e.IBV_QP_STATE)
        poll_none(a.scq, 0.05)
        c = self.side()
        connect_one(a, c)
        connect_one(c, a)
        c.qp.post_recv(recv_wr(2, [c.sge(0, 4096)]))
        data = os.urandom(200)
        a.mr.write(data, len(data), 0)
        self.post(a, c, e.IBV_WR_SEND, 3, 0, len(data))
        w, = poll(a.scq)
        self.assertEqual(w.wr_id, 3)
        self.assertOk([w] + poll(c.rcq), 'after reset')
        self.assertEqual(c.mr.read(len(data), 0), data)

    def test_destroy_during_wait(self):
        """Destroying a QP (and its CQs) while its WQE waits for an ACK,
        forever or for a timer, is clean; the device works on."""
        for timeout in (0, 20):                   # none; 4.3 s
            with self.subTest(timeout=timeout):
                b = self.side()
                a = self.aimed_at(b, timeout=timeout, retry_cnt=7)
                self.post(a, b, e.IBV_WR_SEND, 1, 0, 64)
                poll_none(a.scq, 0.2)
                a.close()
                self.sides.remove(a)
        a, b = self.pair()
        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
        self.post(a, b, e.IBV_WR_SEND, 2, 0, 64)
        self.assertOk(poll(a.scq) + poll(b.rcq), 'after destroy')

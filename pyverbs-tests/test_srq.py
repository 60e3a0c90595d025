# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Shared receive queues: many RC QPs taking receive WQEs from one SRQ.

IB spec (vol. 1, 10.2.9, 11.5.2.4): an SRQ's WQEs go to whichever of its QPs
a message arrives at, in posting order; the receive completion names the QP
and the WR's wr_id. An empty SRQ makes the responder send RNR NAKs. The
limit event fires once per arming, when fewer than srq_limit WQEs are left.
A QP on an SRQ that goes to the Error state flushes no receive (the SRQ's
WQEs belong to the others) and raises Last WQE Reached.

The destroy-with-QPs rule (EBUSY) is in tests/integration/ctrl_test.c:
pyverbs closes an SRQ's QPs before the SRQ.
"""
import os
import struct

import pyverbs.enums as e
from pyverbs.cq import CQ
from pyverbs.mr import MR
from pyverbs.pyverbs_error import PyverbsRDMAError
from pyverbs.qp import QP, QPAttr, QPCap, QPInitAttr
from pyverbs.srq import SRQ, SrqAttr, SrqInitAttr
from pyverbs.wr import SGE

from base import (ALL_ACCESS, TIMEOUT, Deadline, PairTest, connect, deadline,
                  poll, poll_none, recv_wr, send_wr, status_name)

SLOT = 256          # receive buffer per SRQ wr_id in the responder's MR
WRITE_AREA = 1 << 16


class SrqQP:
    """A responder QP on an SRQ: what base.connect() needs of a side."""

    def __init__(self, dev, qp):
        self.dev = dev
        self.qp = qp

    @property
    def qpn(self):
        return self.qp.qp_num

    def state(self):
        attr, _ = self.qp.query(e.IBV_QP_STATE)
        return attr.qp_state


class SrqTest(PairTest):

    def make_srq(self, max_wr, max_sge=2, cqe=512):
        dev = self.dev
        self.srq = SRQ(dev.pd, SrqInitAttr(SrqAttr(max_wr=max_wr,
                                                   max_sge=max_sge)))
        self.scq = CQ(dev.ctx, 64, None, None, 0)
        self.rcq = CQ(dev.ctx, cqe, None, None, 0)
        self.bmr = MR(dev.pd, 1 << 17, ALL_ACCESS)
        self.rqps = []
        self.extra_cqs = []
        self.addCleanup(self.close_srq)
        return self.srq

    def close_srq(self):
        for r in self.rqps:
            r.qp.close()
        self.srq.close()
        for o in [self.scq, self.rcq, self.bmr] + self.extra_cqs:
            o.close()

    def srq_pair(self, rcq=None, a_kw=None, **conn):
        """A requester Side connected to a new QP on the SRQ."""
        if rcq is None:
            rcq = self.rcq
        cap = QPCap(max_send_wr=4, max_recv_wr=0, max_send_sge=1,
                    max_recv_sge=0)
        init = QPInitAttr(qp_type=e.IBV_QPT_RC, scq=self.scq, rcq=rcq,
                          srq=self.srq, cap=cap)
        r = SrqQP(self.dev, QP(self.dev.pd, init))
        self.rqps.append(r)
        a = self.side(**(a_kw or {'send_wr': 64, 'recv_wr': 1}))
        connect(a, r, **conn)
        return a, r

    def post_srq(self, wr_id, length=SLOT, lkey=None):
        sge = SGE(self.bmr.buf + wr_id * SLOT, length,
                  self.bmr.lkey if lkey is None else lkey)
        self.srq.post_recv(recv_wr(wr_id, [sge]))

    def wait_async(self, seconds=None):
        with deadline(seconds or TIMEOUT, 'async event'):
            ev = self.dev.ctx.get_async_event()
        t = ev.event_type
        ev.ack()
        return t

    def no_async(self, seconds=0.5):
        try:
            t = self.wait_async(seconds)
        except (Deadline, PyverbsRDMAError):
            return
        self.fail('unexpected async event %d' % t)

    def payload(self, qi, mi, size):
        head = struct.pack('<HH', qi, mi)
        body = bytes((qi * 31 + mi * 7 + k) & 0xff for k in range(size - 4))
        return head + body


class SRQ_(SrqTest):

    def test_many_qps_send_and_write_imm(self):
        """8 QPs on one SRQ; SEND, SEND_WITH_IMM and WRITE_WITH_IMM from
        each requester, posted on all of them before polling: every
        message lands once, its receive completion names its QP and a
        wr_id of the SRQ, and the data is where that wr_id's buffer is."""
        nqp, per_qp = 8, 6
        self.make_srq(max_wr=nqp * per_qp)
        pairs = [self.srq_pair() for _ in range(nqp)]
        for w in range(nqp * per_qp):
            self.post_srq(w)
        self.bmr.write(b'\0' * (1 << 17), 1 << 17, 0)
        sent = {}
        for qi, (a, r) in enumerate(pairs):
            for mi in range(per_qp):
                size = 16 + (qi * per_qp + mi) % 200
                data = self.payload(qi, mi, size)
                a.mr.write(data, size, mi * SLOT)
                imm = qi << 8 | mi
                kind = mi % 3
                if kind == 0:
                    wr = send_wr(mi, e.IBV_WR_SEND, [a.sge(mi * SLOT, size)])
                elif kind == 1:
                    wr = send_wr(mi, e.IBV_WR_SEND_WITH_IMM,
                                 [a.sge(mi * SLOT, size)], imm=imm)
                else:
                    wr = send_wr(mi, e.IBV_WR_RDMA_WRITE_WITH_IMM,
                                 [a.sge(mi * SLOT, size)], imm=imm)
                    wr.set_wr_rdma(self.bmr.rkey, self.bmr.buf + WRITE_AREA +
                                   (qi * per_qp + mi) * SLOT)
                a.qp.post_send(wr)
                sent[(r.qpn, mi)] = (qi, kind, data)
        for a, _ in pairs:
            self.assertOk(poll(a.scq, per_qp), 'requester')
        wcs = poll(self.rcq, nqp * per_qp)
        self.assertOk(wcs, 'SRQ receive')
        seen_wr, seen_msg, last = set(), set(), {}
        for wc in wcs:
            self.assertNotIn(wc.wr_id, seen_wr, 'wr_id completed twice')
            seen_wr.add(wc.wr_id)
            self.assertTrue(0 <= wc.wr_id < nqp * per_qp, wc.wr_id)
            if wc.opcode == e.IBV_WC_RECV and not \
                    (wc.wc_flags & e.IBV_WC_WITH_IMM):
                qi, mi = struct.unpack(
                    '<HH', self.bmr.read(4, wc.wr_id * SLOT))
            else:
                qi, mi = wc.imm_data >> 8, wc.imm_data & 0xff
            key = (wc.qp_num, mi)
            self.assertIn(key, sent, 'completion for QP %#x msg %d' % key)
            eqi, kind, data = sent[key]
            self.assertEqual(qi, eqi, 'message of QP %#x' % wc.qp_num)
            self.assertNotIn(key, seen_msg, 'message completed twice')
            seen_msg.add(key)
            # In order per QP.
            self.assertGreater(mi, last.get(wc.qp_num, -1), 'order')
            last[wc.qp_num] = mi
            self.assertEqual(wc.byte_len, len(data))
            if kind == 2:
                self.assertEqual(wc.opcode, e.IBV_WC_RECV_RDMA_WITH_IMM)
                got = self.bmr.read(len(data), WRITE_AREA +
                                    (qi * per_qp + mi) * SLOT)
                # WRITE_WITH_IMM consumes a WQE but leaves its buffer alone.
                self.assertEqual(self.bmr.read(4, wc.wr_id * SLOT),
                                 b'\0' * 4, 'WRITE_IMM touched the receive')
            else:
                self.assertEqual(wc.opcode, e.IBV_WC_RECV)
                got = self.bmr.read(len(data), wc.wr_id * SLOT)
            self.assertEqual(got, data, 'data of QP %d msg %d' % (qi, mi))
        self.assertEqual(len(seen_msg), nqp * per_qp)

    def test_ring_wrap_out_of_order_free(self):
        """A small SRQ (max_wr 4), two QPs on two receive CQs polled in
        the opposite order, so slots are freed out of posting order: more
        than 10 passes over the ring, data and wr_ids checked."""
        srq = self.make_srq(max_wr=4, max_sge=1)
        cap = srq.query().max_wr
        self.assertGreaterEqual(cap, 4)
        rcq2 = CQ(self.dev.ctx, 64, None, None, 0)
        self.extra_cqs.append(rcq2)
        a1, r1 = self.srq_pair()
        a2, r2 = self.srq_pair(rcq=rcq2)
        wr_id = 0
        rounds = 12 * (cap + 1) // 4 + 1
        for rnd in range(rounds):
            ids = [(wr_id + k) % 64 for k in range(4)]
            wr_id += 4
            for w in ids:
                self.post_srq(w, SLOT)
            datas = []
            for k in range(4):
                a = a1 if k % 2 == 0 else a2
                d = self.payload(k, rnd & 0xffff, 32 + k)
                a.mr.write(d, len(d), k * SLOT)
                a.qp.post_send(send_wr(k, e.IBV_WR_SEND,
                                       [a.sge(k * SLOT, len(d))]))
                datas.append(d)
            self.assertOk(poll(a1.scq, 2) + poll(a2.scq, 2), 'requesters')
            # Which QP got which WQE depends on the order the requesters
            # ran; poll QP2's CQ first so the slots come back out of order.
            w2 = poll(rcq2, 2)
            w1 = poll(self.rcq, 2)
            self.assertOk(w1 + w2, 'round %d' % rnd)
            self.assertEqual(sorted(w.wr_id for w in w1 + w2), sorted(ids))
            for wcs, qpn, ks in ((w1, r1.qpn, [0, 2]), (w2, r2.qpn, [1, 3])):
                got = []
                for w in wcs:
                    self.assertEqual(w.qp_num, qpn)
                    k, m = struct.unpack('<HH', self.bmr.read(4, w.wr_id *
                                                              SLOT))
                    self.assertEqual(m, rnd & 0xffff, 'round')
                    self.assertEqual(self.bmr.read(len(datas[k]),
                                                   w.wr_id * SLOT), datas[k],
                                     'round %d message %d' % (rnd, k))
                    got.append(k)
                self.assertEqual(got, ks, 'messages of QP %#x' % qpn)

    def test_full_srq_refuses_post(self):
        """Post-time refusals: more SGEs than max_sge (EINVAL), more WQEs
        than max_wr (ENOMEM); the WQEs posted before still work."""
        srq = self.make_srq(max_wr=7, max_sge=1)
        attr = srq.query()
        with self.assertRaises(PyverbsRDMAError) as cm:
            sges = [SGE(self.bmr.buf, 8, self.bmr.lkey)] * (attr.max_sge + 1)
            self.srq.post_recv(recv_wr(99, sges))
        self.assertEqual(cm.exception.error_code, 22, 'EINVAL: SGEs')
        for w in range(attr.max_wr):
            self.post_srq(w, 64)
        with self.assertRaises(PyverbsRDMAError) as cm:
            self.post_srq(attr.max_wr, 64)
        self.assertEqual(cm.exception.error_code, 12, 'ENOMEM when full')
        a, r = self.srq_pair()
        for i in range(attr.max_wr):
            a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, 8)]))
        self.assertOk(poll(a.scq, attr.max_wr))
        wcs = poll(self.rcq, attr.max_wr)
        self.assertOk(wcs)
        self.assertEqual([w.wr_id for w in wcs], list(range(attr.max_wr)))

    def test_rnr_retry_exhausted(self):
        """An empty SRQ: RNR NAKs until rnr_retry is used up."""
        self.make_srq(max_wr=8)
        for rnr_retry in (0, 1, 3):
            with self.subTest(rnr_retry=rnr_retry):
                a, r = self.srq_pair(a_attrs={'rnr_retry': rnr_retry},
                                     b_attrs={'min_rnr_timer': 1})
                a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 8)]))
                a.qp.post_send(send_wr(2, e.IBV_WR_SEND, [a.sge(0, 8)]))
                swcs = poll(a.scq, 2)
                self.assertStatus(swcs[0], e.IBV_WC_RNR_RETRY_EXC_ERR,
                                  'rnr_retry %d' % rnr_retry)
                self.assertStatus(swcs[1], e.IBV_WC_WR_FLUSH_ERR)
                poll_none(self.rcq, 0.05)

    def test_rnr_then_receive_posted(self):
        """rnr_retry 7: a receive posted to the SRQ late is used."""
        self.make_srq(max_wr=8)
        a, r = self.srq_pair(a_attrs={'rnr_retry': 7},
                             b_attrs={'min_rnr_timer': 14})
        data = os.urandom(100)
        a.mr.write(data, 100, 0)
        a.qp.post_send(send_wr(5, e.IBV_WR_SEND, [a.sge(0, 100)]))
        poll_none(a.scq, 0.3)
        self.post_srq(3)
        self.assertOk(poll(a.scq))
        wc, = poll(self.rcq)
        self.assertOk([wc])
        self.assertEqual((wc.wr_id, wc.qp_num, wc.byte_len), (3, r.qpn, 100))
        self.assertEqual(self.bmr.read(100, 3 * SLOT), data)

    def test_limit_event_once_per_arming(self):
        srq = self.make_srq(max_wr=16)
        a, r = self.srq_pair()
        for w in range(10):
            self.post_srq(w, 64)
        srq.modify(SrqAttr(srq_limit=5), e.IBV_SRQ_LIMIT)
        self.assertEqual(srq.query().srq_limit, 5, 'query after arming')

        def send(n):
            for i in range(n):
                a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, 8)]))
            self.assertOk(poll(a.scq, n))
            self.assertOk(poll(self.rcq, n))

        send(5)                 # 10 -> 5 posted: not below the limit
        self.no_async()
        send(1)                 # 4 < 5: the event
        self.assertEqual(self.wait_async(), e.IBV_EVENT_SRQ_LIMIT_REACHED)
        send(2)                 # 2 left: the arming was used
        self.no_async()
        self.assertEqual(srq.query().srq_limit, 0, 'disarmed by the event')
        for w in range(10, 14):
            self.post_srq(w, 64)     # 6 posted
        srq.modify(SrqAttr(srq_limit=4), e.IBV_SRQ_LIMIT)
        send(2)                 # 4 left: not below
        self.no_async()
        send(3)                 # 1 left: once more
        self.assertEqual(self.wait_async(), e.IBV_EVENT_SRQ_LIMIT_REACHED)
        self.no_async()

    def test_bad_wqe_moves_qp_to_err(self):
        """A receive WQE with a bad lkey: the QP that took it completes it
        with an error and goes to ERR (Last WQE Reached follows); the SRQ
        and its other QPs go on."""
        self.make_srq(max_wr=8)
        a1, r1 = self.srq_pair()
        a2, r2 = self.srq_pair()
        self.post_srq(1, lkey=self.bmr.lkey ^ 0x5a5a00)
        self.post_srq(2)
        a1.qp.post_send(send_wr(10, e.IBV_WR_SEND, [a1.sge(0, 64)]))
        swc, = poll(a1.scq)
        self.assertStatus(swc, e.IBV_WC_REM_OP_ERR, 'requester')
        rwc, = poll(self.rcq)
        # rxe (6.1) deviates: LOC_QP_OP_ERR, as for a bad lkey anywhere.
        self.assertStatus(rwc, e.IBV_WC_LOC_PROT_ERR, 'responder')
        self.assertEqual((rwc.wr_id, rwc.qp_num), (1, r1.qpn))
        self.assertEqual(r1.state(), e.IBV_QPS_ERR)
        self.assertEqual(self.wait_async(), e.IBV_EVENT_QP_LAST_WQE_REACHED)
        data = os.urandom(64)
        a2.mr.write(data, 64, 0)
        a2.qp.post_send(send_wr(20, e.IBV_WR_SEND, [a2.sge(0, 64)]))
        self.assertOk(poll(a2.scq))
        rwc, = poll(self.rcq)
        self.assertOk([rwc])
        self.assertEqual((rwc.wr_id, rwc.qp_num), (2, r2.qpn))
        self.assertEqual(self.bmr.read(64, 2 * SLOT), data)
        self.assertEqual(r2.state(), e.IBV_QPS_RTS)

    def test_modify_to_err_keeps_srq_wqes(self):
        """A QP on an SRQ moved to ERR: Last WQE Reached, once; the SRQ's
        WQEs are not flushed and serve the other QP."""
        self.make_srq(max_wr=8)
        a1, r1 = self.srq_pair()
        a2, r2 = self.srq_pair()
        for w in range(3):
            self.post_srq(w)
        r1.qp.modify(QPAttr(qp_state=e.IBV_QPS_ERR), e.IBV_QP_STATE)
        self.assertEqual(self.wait_async(), e.IBV_EVENT_QP_LAST_WQE_REACHED)
        self.no_async()
        poll_none(self.rcq, 0.2)
        for i in range(3):
            a2.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a2.sge(0, 8)]))
        self.assertOk(poll(a2.scq, 3))
        wcs = poll(self.rcq, 3)
        self.assertOk(wcs)
        self.assertEqual([(w.wr_id, w.qp_num) for w in wcs],
                         [(i, r2.qpn) for i in range(3)])

    def test_write_imm_bad_rkey_flushes_taken_wqe(self):
        """WRITE_WITH_IMM with a bad rkey: the QP goes to ERR and the SRQ
        WQE it took comes back with an error (its wr_id is not lost):
        flushed, as a QP's own receive WQE is flushed in that case; rxe
        (6.1) completes it with REM_ACCESS_ERR, accepted too."""
        self.make_srq(max_wr=8)
        a, r = self.srq_pair()
        self.post_srq(4)
        wr = send_wr(1, e.IBV_WR_RDMA_WRITE_WITH_IMM, [a.sge(0, 8)], imm=1)
        wr.set_wr_rdma(self.bmr.rkey ^ 0x5a5a00, self.bmr.buf)
        a.qp.post_send(wr)
        swc, = poll(a.scq)
        self.assertStatus(swc, e.IBV_WC_REM_ACCESS_ERR, 'requester')
        rwc, = poll(self.rcq)
        self.assertEqual((rwc.wr_id, rwc.qp_num), (4, r.qpn))
        self.assertIn(rwc.status, (e.IBV_WC_WR_FLUSH_ERR,
                                   e.IBV_WC_REM_ACCESS_ERR),
                      'taken WQE: %s' % status_name(rwc.status))
        self.assertEqual(r.state(), e.IBV_QPS_ERR)

    def test_reset_returns_unpolled_wqes(self):
        """Receive completions of a QP on an SRQ not yet polled when the QP
        is reset are dropped with the QP's other CQEs (as libmlx5 does):
        their SRQ slots go back to the free list, the other QP's CQE on
        the same CQ stays."""
        srq = self.make_srq(max_wr=7, max_sge=1)
        cap = srq.query().max_wr
        a1, r1 = self.srq_pair()
        a2, r2 = self.srq_pair()
        for w in range(cap):
            self.post_srq(w, 64)
        for i in range(3):
            a1.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a1.sge(0, 8)]))
        self.assertOk(poll(a1.scq, 3))
        a2.qp.post_send(send_wr(9, e.IBV_WR_SEND, [a2.sge(0, 8)]))
        self.assertOk(poll(a2.scq))
        r1.qp.modify(QPAttr(qp_state=e.IBV_QPS_RESET), e.IBV_QP_STATE)
        wc, = poll(self.rcq)
        self.assertOk([wc])
        self.assertEqual((wc.wr_id, wc.qp_num), (3, r2.qpn))
        # 3 slots came back with the reset, 1 with the poll: 4 more fit.
        for w in range(cap, cap + 4):
            self.post_srq(w, 64)
        with self.assertRaises(PyverbsRDMAError) as cm:
            self.post_srq(cap + 4, 64)
        self.assertEqual(cm.exception.error_code, 12, 'ENOMEM when full')
        data = os.urandom(48)
        a2.mr.write(data, 48, 0)
        n = cap
        for i in range(n):
            a2.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a2.sge(0, 48)]))
        self.assertOk(poll(a2.scq, n))
        wcs = poll(self.rcq, n)
        self.assertOk(wcs)
        self.assertEqual([w.wr_id for w in wcs],
                         list(range(4, cap)) + list(range(cap, cap + 4)))
        for w in wcs:
            self.assertEqual(self.bmr.read(48, w.wr_id * SLOT), data)

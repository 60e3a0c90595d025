# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Extended CQs (ibv_create_cq_ex): ibv_start_poll/next_poll/end_poll and
every ibv_wc_read_* field, checked against the data moved and against what
ibv_poll_cq reports for the same traffic; error CQEs; batches and ring
wrap; the wc_flags and attributes the device does not support.
(Completion events on an extended CQ: tests/integration/cq_ex_test.c, as
pyverbs 44 has no req_notify for CQEX.)"""
import collections
import errno
import os
import struct
import time

import pyverbs.enums as e
from pyverbs.cq import CQEX, CqInitAttrEx, PollCqAttr
from pyverbs.pyverbs_error import PyverbsRDMAError

from base import PairTest, TIMEOUT, poll, recv_wr, send_wr, status_name

EX_FLAGS = (e.IBV_WC_EX_WITH_BYTE_LEN | e.IBV_WC_EX_WITH_IMM |
            e.IBV_WC_EX_WITH_QP_NUM | e.IBV_WC_EX_WITH_SRC_QP |
            e.IBV_WC_EX_WITH_SLID | e.IBV_WC_EX_WITH_SL |
            e.IBV_WC_EX_WITH_DLID_PATH_BITS)

WC = collections.namedtuple('WC', 'wr_id status opcode vendor_err byte_len '
                            'imm_data qp_num src_qp wc_flags slid sl '
                            'dlid_path_bits')


def read_ex(cq):
    return WC(cq.wr_id, cq.status, cq.read_opcode(), cq.read_vendor_err(),
              cq.read_byte_len(), cq.read_imm_data(), cq.read_qp_num(),
              cq.read_src_qp(), cq.read_wc_flags(), cq.read_slid(),
              cq.read_sl(), cq.read_dlid_path_bits())


def from_wc(wc):
    return WC(wc.wr_id, wc.status, wc.opcode, wc.vendor_err, wc.byte_len,
              wc.imm_data, wc.qp_num, wc.src_qp, wc.wc_flags, wc.slid, wc.sl,
              wc.dlid_path_bits)


def poll_ex(cq, n, batch=None, allow_more=False):
    """N completions through start/next/end_poll, at most BATCH per
    start..end (default: all there are)."""
    wcs = []
    end = time.monotonic() + TIMEOUT
    while len(wcs) < n:
        rc = cq.start_poll(PollCqAttr())
        if rc == errno.ENOENT:
            if time.monotonic() > end:
                raise AssertionError('%d of %d completions after %.0f s' %
                                     (len(wcs), n, TIMEOUT))
            time.sleep(0.0005)
            continue
        assert rc == 0, 'start_poll: %d' % rc
        try:
            wcs.append(read_ex(cq))
            got = 1
            while len(wcs) < n and (batch is None or got < batch):
                rc = cq.poll_next()
                if rc == errno.ENOENT:
                    break
                assert rc == 0, 'next_poll: %d' % rc
                wcs.append(read_ex(cq))
                got += 1
        finally:
            cq.end_poll()
    if not allow_more:
        time.sleep(0.01)
        rc = cq.start_poll(PollCqAttr())
        if rc == 0:
            extra = read_ex(cq)
            cq.end_poll()
            raise AssertionError('unexpected extra completion %s' % (extra,))
        assert rc == errno.ENOENT, 'start_poll: %d' % rc
    return wcs


class CQEx(PairTest):

    def ex_pair(self, flags=EX_FLAGS, **kw):
        return self.pair(a_kw=dict(cq_ex_flags=flags, **kw),
                         b_kw=dict(cq_ex_flags=flags, **kw))

    def assertExOk(self, wcs, what=''):
        for wc in wcs:
            self.assertEqual(wc.status, e.IBV_WC_SUCCESS, '%s wr_id %d: %s '
                             '(vendor_err %#x)' % (what, wc.wr_id,
                                                   status_name(wc.status),
                                                   wc.vendor_err))

    def run_ops(self, a, b, pollf):
        """Every opcode once, data verified; returns (send WCs, recv WCs)."""
        atomics = self.dev.attr.atomic_caps != e.IBV_ATOMIC_NONE
        swcs, rwcs = [], []
        payload = os.urandom(8192)
        a.mr.write(payload, len(payload), 0)
        b.mr.write(b'\0' * 16384, 16384, 0)

        def go(wr, recv=None):
            if recv is not None:
                b.qp.post_recv(recv_wr(recv, [b.sge(0, 8192)]))
            a.qp.post_send(wr)
            swcs.extend(pollf(a.scq, 1))
            if recv is not None:
                rwcs.extend(pollf(b.rcq, 1))

        go(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 100)]), recv=101)
        self.assertEqual(b.mr.read(100, 0), payload[:100])
        go(send_wr(2, e.IBV_WR_SEND_WITH_IMM, [a.sge(0, 0)],
                   imm=0x12345678), recv=102)
        wr = send_wr(3, e.IBV_WR_RDMA_WRITE, [a.sge(0, 4097)])
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf + 8192)
        go(wr)
        self.assertEqual(b.mr.read(4097, 8192), payload[:4097])
        wr = send_wr(4, e.IBV_WR_RDMA_WRITE_WITH_IMM, [a.sge(64, 64)],
                     imm=0xdeadbeef)
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf + 12800)
        go(wr, recv=104)
        self.assertEqual(b.mr.read(64, 12800), payload[64:128])
        b.mr.write(payload[::-1][:5000], 5000, 0)
        wr = send_wr(5, e.IBV_WR_RDMA_READ, [a.sge(8192, 5000)])
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf)
        go(wr)
        self.assertEqual(a.mr.read(5000, 8192), payload[::-1][:5000])
        if atomics:
            b.mr.write(struct.pack('<Q', 40), 8, 16000)
            wr = send_wr(6, e.IBV_WR_ATOMIC_CMP_AND_SWP, [a.sge(16000, 8)])
            wr.set_wr_atomic(b.mr.rkey, b.mr.buf + 16000, 40, 50)
            go(wr)
            wr = send_wr(7, e.IBV_WR_ATOMIC_FETCH_AND_ADD, [a.sge(16008, 8)])
            wr.set_wr_atomic(b.mr.rkey, b.mr.buf + 16000, 5, 0)
            go(wr)
            self.assertEqual(struct.unpack('<QQ', a.mr.read(16, 16000)),
                             (40, 50))
            self.assertEqual(struct.unpack('<Q', b.mr.read(8, 16000))[0], 55)
        return swcs, rwcs

    def test_every_opcode(self):
        """Each field of each completion as the operation defines it, and
        the same as ibv_poll_cq says for the same traffic on a classic CQ."""
        xa, xb = self.ex_pair()
        xs, xr = self.run_ops(xa, xb, poll_ex)
        self.assertExOk(xs + xr)
        ca, cb = self.pair()
        cs, cr = self.run_ops(ca, cb,
                              lambda cq, n: [from_wc(w) for w in poll(cq, n)])

        ops = [e.IBV_WC_SEND, e.IBV_WC_SEND, e.IBV_WC_RDMA_WRITE,
               e.IBV_WC_RDMA_WRITE, e.IBV_WC_RDMA_READ]
        if len(xs) > 5:
            ops += [e.IBV_WC_COMP_SWAP, e.IBV_WC_FETCH_ADD]
        self.assertEqual([w.opcode for w in xs], ops)
        self.assertEqual([w.wr_id for w in xs], list(range(1, len(ops) + 1)))
        self.assertEqual(xs[4].byte_len, 5000)
        for w in xs[5:]:
            self.assertEqual(w.byte_len, 8)
        for w in xs:
            self.assertEqual(w.qp_num, xa.qpn)
        self.assertEqual([(w.wr_id, w.opcode, w.byte_len) for w in xr],
                         [(101, e.IBV_WC_RECV, 100), (102, e.IBV_WC_RECV, 0),
                          (104, e.IBV_WC_RECV_RDMA_WITH_IMM, 64)])
        self.assertFalse(xr[0].wc_flags & e.IBV_WC_WITH_IMM)
        self.assertTrue(xr[1].wc_flags & e.IBV_WC_WITH_IMM)
        self.assertTrue(xr[2].wc_flags & e.IBV_WC_WITH_IMM)
        self.assertEqual((xr[1].imm_data, xr[2].imm_data),
                         (0x12345678, 0xdeadbeef))
        for w in xr:
            self.assertEqual(w.qp_num, xb.qpn)

        # Field for field what the classic CQ says (QP numbers mapped).
        qpmap = {ca.qpn: xa.qpn, cb.qpn: xb.qpn, 0: 0}
        self.assertEqual(len(cs), len(xs))
        self.assertEqual(len(cr), len(xr))
        for c, x in zip(cs + cr, xs + xr):
            imm = c.imm_data if c.wc_flags & e.IBV_WC_WITH_IMM else 0
            self.assertEqual(c._replace(qp_num=qpmap[c.qp_num],
                                        src_qp=qpmap.get(c.src_qp, -1),
                                        imm_data=imm), x)

    def test_error_cqe(self):
        """A bad lkey: LOC_PROT_ERR with the vendor_err ibv_poll_cq gives,
        then the WR behind it and the peer's receives flushed."""
        xa, xb = self.ex_pair()
        ca, cb = self.pair()
        res = []
        for a, b, pollf in ((xa, xb, poll_ex),
                            (ca, cb, lambda cq, n:
                             [from_wc(w) for w in poll(cq, n)])):
            b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
            a.qp.post_send(send_wr(10, e.IBV_WR_SEND,
                                   [a.sge(0, 64, lkey=a.mr.lkey ^ 0x5a5a00)]))
            a.qp.post_send(send_wr(11, e.IBV_WR_SEND, [a.sge(0, 64)]))
            res.append(pollf(a.scq, 2))
        (x10, x11), (c10, c11) = res
        self.assertEqual((x10.wr_id, x10.status), (10, e.IBV_WC_LOC_PROT_ERR),
                         status_name(x10.status))
        self.assertEqual((x11.wr_id, x11.status), (11, e.IBV_WC_WR_FLUSH_ERR),
                         status_name(x11.status))
        self.assertEqual(x10.vendor_err, c10.vendor_err)
        self.assertEqual(x11.vendor_err, c11.vendor_err)
        self.assertEqual(x10.qp_num, xa.qpn)

        # The receive side: a QP moved to ERR flushes what is posted.
        for i in range(3):
            xb.qp.post_recv(recv_wr(20 + i, [xb.sge(0, 64)]))
        xb.qp.modify(self.err_attr(), e.IBV_QP_STATE)
        rw = poll_ex(xb.rcq, 4)
        self.assertEqual([(w.wr_id, w.status) for w in rw],
                         [(1, e.IBV_WC_WR_FLUSH_ERR)] +
                         [(20 + i, e.IBV_WC_WR_FLUSH_ERR) for i in range(3)])
        for w in rw:
            self.assertEqual(w.qp_num, xb.qpn)

    def err_attr(self):
        from pyverbs.qp import QPAttr
        return QPAttr(qp_state=e.IBV_QPS_ERR)

    def test_batches_and_wrap(self):
        """An 8-entry CQ wrapped many times; batches of 1..5 per
        start..end; every completion once, in order, data verified."""
        a, b = self.ex_pair(cqe=8, send_wr=8, recv_wr=8)
        n = 0
        for rnd in range(12):
            k = 1 + rnd % 6
            for j in range(k):
                b.qp.post_recv(recv_wr(1000 + n + j, [b.sge(64 * j, 64)]))
            for j in range(k):
                a.mr.write(struct.pack('<Q', n + j) * 8, 64, 64 * j)
                a.qp.post_send(send_wr(n + j, e.IBV_WR_SEND_WITH_IMM,
                                       [a.sge(64 * j, 64)], imm=n + j))
            sw = poll_ex(a.scq, k, batch=1 + rnd % 5)
            rw = poll_ex(b.rcq, k, batch=1 + (rnd + 2) % 5)
            self.assertExOk(sw + rw)
            self.assertEqual([w.wr_id for w in sw], list(range(n, n + k)))
            self.assertEqual([(w.wr_id, w.imm_data, w.byte_len) for w in rw],
                             [(1000 + n + j, n + j, 64) for j in range(k)])
            for j in range(k):
                self.assertEqual(b.mr.read(64, 64 * j),
                                 struct.pack('<Q', n + j) * 8)
            n += k

    def test_start_poll_empty(self):
        """ENOENT on an empty CQ leaves it usable (its lock released)."""
        a, b = self.ex_pair()
        for _ in range(3):
            self.assertEqual(a.scq.start_poll(PollCqAttr()), errno.ENOENT)
        b.qp.post_recv(recv_wr(1, [b.sge(0, 64)]))
        a.qp.post_send(send_wr(5, e.IBV_WR_SEND, [a.sge(0, 8)]))
        w, = poll_ex(a.scq, 1)
        self.assertEqual((w.wr_id, w.status), (5, e.IBV_WC_SUCCESS))
        self.assertEqual(poll_ex(b.rcq, 1)[0].wr_id, 1)

    def create(self, **kw):
        attr = CqInitAttrEx(cqe=16, **kw)
        return CQEX(self.dev.ctx, attr)

    def assertRefused(self, err, what, **kw):
        with self.assertRaises(PyverbsRDMAError, msg=what) as cm:
            self.create(**kw).close()
        self.assertEqual(cm.exception.error_code, err,
                         '%s: expected %s, got %s' % (
                             what, errno.errorcode[err],
                             errno.errorcode.get(cm.exception.error_code,
                                                 cm.exception.error_code)))

    def test_unsupported_attributes(self):
        """No completion timestamp (the device has no clock: query_device_ex
        says hca_core_clock 0), nor the other fields ibv_wc lacks."""
        ex = self.dev.ctx.query_device_ex()
        self.assertEqual(ex.hca_core_clock, 0)
        self.assertEqual(ex.completion_timestamp_mask, 0)
        for name in ('IBV_WC_EX_WITH_COMPLETION_TIMESTAMP',
                     'IBV_WC_EX_WITH_COMPLETION_TIMESTAMP_WALLCLOCK',
                     'IBV_WC_EX_WITH_CVLAN', 'IBV_WC_EX_WITH_FLOW_TAG',
                     'IBV_WC_EX_WITH_TM_INFO'):
            self.assertRefused(errno.EOPNOTSUPP, name,
                               wc_flags=EX_FLAGS | getattr(e, name))
        self.assertRefused(errno.EOPNOTSUPP, 'IGNORE_OVERRUN',
                           comp_mask=e.IBV_CQ_INIT_ATTR_MASK_FLAGS,
                           flags=e.IBV_CREATE_CQ_ATTR_IGNORE_OVERRUN)
        self.assertRefused(errno.EINVAL, 'unknown comp_mask bit',
                           comp_mask=1 << 7)
        # What is supported works, single-threaded included.
        self.create(wc_flags=EX_FLAGS).close()
        self.create(comp_mask=e.IBV_CQ_INIT_ATTR_MASK_FLAGS,
                    flags=e.IBV_CREATE_CQ_ATTR_SINGLE_THREADED).close()

# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Error completions and the flush that follows them.

IB spec (vol. 1, 10.3.1 / 11.6.2): an error completion moves the QP to the
Error state; every WR still queued, and every WR posted afterwards,
completes with IBV_WC_WR_FLUSH_ERR, in order. Bad WRs that the provider can
see at post time are refused with an errno and leave the QP usable.
"""
import errno
import os
import time

import pyverbs.enums as e
from pyverbs.qp import QPAttr

from base import PairTest, poll, poll_none, recv_wr, send_wr


class RCErrors(PairTest):

    def expect_flushed_after(self, side, first_id, more=2):
        """SIDE's QP is in ERR: later sends and receives flush, in order."""
        self.assertEqual(side.state(), e.IBV_QPS_ERR, 'QP state after error')
        ids = list(range(first_id, first_id + more))
        for i in ids:
            side.qp.post_send(send_wr(i, e.IBV_WR_SEND, [side.sge(0, 8)]))
        wcs = poll(side.scq, more)
        self.assertEqual([w.wr_id for w in wcs], ids)
        for w in wcs:
            self.assertStatus(w, e.IBV_WC_WR_FLUSH_ERR, 'send after error')

    def test_loc_len_err_and_rem_inv_req(self):
        """A SEND larger than the receive buffer: the responder completes the
        receive with LOC_LEN_ERR, the requester sees REM_INV_REQ_ERR."""
        a, b = self.pair()
        a.mr.write(os.urandom(512), 512, 0)
        b.qp.post_recv(recv_wr(1, [b.sge(0, 100)]))
        b.qp.post_recv(recv_wr(2, [b.sge(4096, 4096)]))   # flushed later
        a.qp.post_send(send_wr(10, e.IBV_WR_SEND, [a.sge(0, 512)]))
        a.qp.post_send(send_wr(11, e.IBV_WR_SEND, [a.sge(0, 8)]))
        swcs = poll(a.scq, 2)
        rwcs = poll(b.rcq, 2)
        self.assertEqual([w.wr_id for w in swcs], [10, 11])
        self.assertEqual([w.wr_id for w in rwcs], [1, 2])
        # rxe (6.1) deviates: the requester gets REM_OP_ERR (rxe NAKs a
        # too-long SEND as a Remote Operational Error, and the receive
        # completes with LOC_QP_OP_ERR). The IBA responder rules class a
        # message longer than the receive WQE as an Invalid Request
        # (requester REM_INV_REQ_ERR, receive LOC_LEN_ERR), as mlx5 reports.
        self.assertStatus(rwcs[0], e.IBV_WC_LOC_LEN_ERR, 'responder')
        self.assertStatus(swcs[0], e.IBV_WC_REM_INV_REQ_ERR, 'requester')
        self.assertStatus(swcs[1], e.IBV_WC_WR_FLUSH_ERR, 'requester next WR')
        self.assertStatus(rwcs[1], e.IBV_WC_WR_FLUSH_ERR, 'responder next recv')
        self.expect_flushed_after(a, 20)
        self.assertEqual(b.state(), e.IBV_QPS_ERR, 'responder QP state')

    def test_loc_prot_err_bad_lkey(self):
        a, b = self.pair()
        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
        a.qp.post_send(send_wr(10, e.IBV_WR_SEND,
                               [a.sge(0, 64, lkey=a.mr.lkey ^ 0x5a5a00)]))
        a.qp.post_send(send_wr(11, e.IBV_WR_SEND, [a.sge(0, 64)]))
        swcs = poll(a.scq, 2)
        # rxe (6.1) deviates: LOC_QP_OP_ERR. An invalid L_Key is a Local
        # Protection Error (ibv_poll_cq(3): IBV_WC_LOC_PROT_ERR).
        self.assertStatus(swcs[0], e.IBV_WC_LOC_PROT_ERR, 'bad lkey')
        self.assertStatus(swcs[1], e.IBV_WC_WR_FLUSH_ERR, 'WR behind it')
        self.expect_flushed_after(a, 20)

    def test_loc_prot_err_out_of_bounds(self):
        """An SGE reaching past the end of its MR is a protection error."""
        a, b = self.pair()
        b.qp.post_recv(recv_wr(1, [b.sge(0, 8192)]))
        a.qp.post_send(send_wr(10, e.IBV_WR_SEND,
                               [a.sge(a.mr.length - 100, 200)]))
        swc, = poll(a.scq)
        self.assertStatus(swc, e.IBV_WC_LOC_PROT_ERR, 'SGE past the MR')
        self.expect_flushed_after(a, 20)

    def rdma(self, a, b, op, rkey, raddr, wr_id=10, size=64):
        wr = send_wr(wr_id, op, [a.sge(0, size)])
        wr.set_wr_rdma(rkey, raddr)
        a.qp.post_send(wr)

    def test_rem_access_err_bad_rkey_write(self):
        a, b = self.pair()
        b.mr.write(b'\0' * 64, 64, 0)
        self.rdma(a, b, e.IBV_WR_RDMA_WRITE, b.mr.rkey ^ 0x3c3c00, b.mr.buf)
        a.qp.post_send(send_wr(11, e.IBV_WR_SEND, [a.sge(0, 8)]))
        swcs = poll(a.scq, 2)
        self.assertStatus(swcs[0], e.IBV_WC_REM_ACCESS_ERR, 'write, bad rkey')
        self.assertStatus(swcs[1], e.IBV_WC_WR_FLUSH_ERR, 'WR behind it')
        self.assertEqual(b.mr.read(64, 0), b'\0' * 64, 'memory written')
        self.expect_flushed_after(a, 20)

    def test_rem_access_err_bad_rkey_read(self):
        a, b = self.pair()
        self.rdma(a, b, e.IBV_WR_RDMA_READ, b.mr.rkey ^ 0x3c3c00, b.mr.buf)
        swc, = poll(a.scq)
        self.assertStatus(swc, e.IBV_WC_REM_ACCESS_ERR, 'read, bad rkey')
        self.expect_flushed_after(a, 20)

    def test_rem_access_err_out_of_bounds(self):
        a, b = self.pair()
        self.rdma(a, b, e.IBV_WR_RDMA_WRITE, b.mr.rkey,
                  b.mr.buf + b.mr.length - 32, size=64)
        swc, = poll(a.scq)
        self.assertStatus(swc, e.IBV_WC_REM_ACCESS_ERR, 'write past the MR')
        self.expect_flushed_after(a, 20)

    def test_rem_access_err_mr_not_writable(self):
        """The MR lacks IBV_ACCESS_REMOTE_WRITE (it allows remote read)."""
        a, b = self.pair(b_kw={'access': e.IBV_ACCESS_LOCAL_WRITE |
                               e.IBV_ACCESS_REMOTE_READ})
        b.mr.write(b'\0' * 64, 64, 0)
        self.rdma(a, b, e.IBV_WR_RDMA_WRITE, b.mr.rkey, b.mr.buf)
        swc, = poll(a.scq)
        self.assertStatus(swc, e.IBV_WC_REM_ACCESS_ERR, 'write to a read-only MR')
        self.assertEqual(b.mr.read(64, 0), b'\0' * 64, 'memory written')
        self.expect_flushed_after(a, 20)

    def test_rem_access_err_qp_not_writable(self):
        """The responder QP does not allow remote writes (qp_access_flags)."""
        a, b = self.pair(b_attrs={'qp_access_flags': e.IBV_ACCESS_REMOTE_READ})
        b.mr.write(b'\0' * 64, 64, 0)
        self.rdma(a, b, e.IBV_WR_RDMA_WRITE, b.mr.rkey, b.mr.buf)
        swc, = poll(a.scq)
        # The MR allowed the write, the QP did not. Implementations differ
        # on the NAK: Remote Access Error, or Invalid Request (rxe: its
        # check_op_valid treats it as an unsupported opcode). Both are
        # accepted; the memory must not change either way.
        self.assertIn(swc.status, (e.IBV_WC_REM_ACCESS_ERR,
                                   e.IBV_WC_REM_INV_REQ_ERR),
                      'write, QP read-only: got %s' % swc.status)
        self.assertEqual(b.mr.read(64, 0), b'\0' * 64, 'memory written')

    def test_rnr_retry_exceeded(self):
        """No receive posted: RNR NAKs until rnr_retry is used up."""
        for rnr_retry in (0, 1, 3):
            with self.subTest(rnr_retry=rnr_retry):
                a, b = self.pair(a_attrs={'rnr_retry': rnr_retry},
                                 b_attrs={'min_rnr_timer': 1})
                t0 = time.monotonic()
                a.qp.post_send(send_wr(10, e.IBV_WR_SEND, [a.sge(0, 64)]))
                a.qp.post_send(send_wr(11, e.IBV_WR_SEND, [a.sge(0, 64)]))
                swcs = poll(a.scq, 2)
                self.assertStatus(swcs[0], e.IBV_WC_RNR_RETRY_EXC_ERR,
                                  'rnr_retry %d' % rnr_retry)
                self.assertStatus(swcs[1], e.IBV_WC_WR_FLUSH_ERR, 'WR behind it')
                self.assertLess(time.monotonic() - t0, 10)
                self.expect_flushed_after(a, 20)
                # The responder is not in error: a receive posted now stays.
                self.assertEqual(b.state(), e.IBV_QPS_RTS)

    def test_rnr_retry_success(self):
        """Infinite RNR retry (7); the receive is posted late: success."""
        a, b = self.pair(a_attrs={'rnr_retry': 7},
                         b_attrs={'min_rnr_timer': 14})   # 1.28 ms
        data = os.urandom(300)
        a.mr.write(data, 300, 0)
        a.qp.post_send(send_wr(10, e.IBV_WR_SEND, [a.sge(0, 300)]))
        poll_none(a.scq, 0.3)
        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
        self.assertOk(poll(a.scq) + poll(b.rcq))
        self.assertEqual(b.mr.read(300, 0), data)

    def test_rnr_finite_retry_success(self):
        """rnr_retry 6 with a long RNR timer covers a receive posted late."""
        a, b = self.pair(a_attrs={'rnr_retry': 6},
                         b_attrs={'min_rnr_timer': 31})   # 491 ms
        a.qp.post_send(send_wr(10, e.IBV_WR_SEND, [a.sge(0, 64)]))
        time.sleep(0.2)
        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
        self.assertOk(poll(a.scq) + poll(b.rcq))

    def retry_exceeded(self, kill):
        a, b = self.pair(a_attrs={'timeout': 12, 'retry_cnt': 2})  # 16.8 ms
        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 64)]))
        self.assertOk(poll(a.scq) + poll(b.rcq), 'before')
        kill(b)
        t0 = time.monotonic()
        a.qp.post_send(send_wr(10, e.IBV_WR_SEND, [a.sge(0, 64)]))
        a.qp.post_send(send_wr(11, e.IBV_WR_SEND, [a.sge(0, 64)]))
        swcs = poll(a.scq, 2)
        self.assertStatus(swcs[0], e.IBV_WC_RETRY_EXC_ERR, 'peer gone')
        self.assertStatus(swcs[1], e.IBV_WC_WR_FLUSH_ERR, 'WR behind it')
        self.assertLess(time.monotonic() - t0, 15)
        self.expect_flushed_after(a, 20)

    def test_retry_exceeded_peer_destroyed(self):
        def destroy(b):
            b.qp.close()
        self.retry_exceeded(destroy)

    def test_retry_exceeded_peer_in_error(self):
        def to_err(b):
            b.qp.modify(QPAttr(qp_state=e.IBV_QPS_ERR), e.IBV_QP_STATE)
            poll(b.rcq, 0, allow_more=True)
        self.retry_exceeded(to_err)

    def test_flush_rq_on_modify_err(self):
        a, b = self.pair()
        for i in range(5):
            b.qp.post_recv(recv_wr(i, [b.sge(i * 64, 64)]))
        b.qp.modify(QPAttr(qp_state=e.IBV_QPS_ERR), e.IBV_QP_STATE)
        wcs = poll(b.rcq, 5)
        self.assertEqual([w.wr_id for w in wcs], list(range(5)))
        for w in wcs:
            self.assertStatus(w, e.IBV_WC_WR_FLUSH_ERR, 'recv after modify ERR')
        # Receives posted in ERR flush too (IBA: WRs posted to a QP in the
        # Error state complete with flush error; the kernel's ib_drain_rq()
        # relies on it). rxe (6.1) deviates: they sit in the RQ, no
        # completion (its user post_recv never tells the kernel).
        b.qp.post_recv(recv_wr(9, [b.sge(0, 64)]))
        w, = poll(b.rcq)
        self.assertEqual(w.wr_id, 9)
        self.assertStatus(w, e.IBV_WC_WR_FLUSH_ERR, 'recv posted in ERR')

    def test_flush_sq_on_modify_err(self):
        # Sends stuck on RNR (no receive, infinite retry) are flushed when
        # the QP is moved to ERR, and later ones too.
        a, b = self.pair(a_attrs={'rnr_retry': 7},
                         b_attrs={'min_rnr_timer': 20})
        for i in range(3):
            a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, 64)]))
        poll_none(a.scq, 0.2)
        a.qp.modify(QPAttr(qp_state=e.IBV_QPS_ERR), e.IBV_QP_STATE)
        wcs = poll(a.scq, 3)
        self.assertEqual([w.wr_id for w in wcs], [0, 1, 2])
        for w in wcs:
            self.assertStatus(w, e.IBV_WC_WR_FLUSH_ERR, 'send after modify ERR')
        self.expect_flushed_after(a, 20)


class PostRejects(PairTest):
    """WRs the provider must refuse at post time (errno, nothing executed,
    the QP stays usable)."""

    def still_works(self, a, b):
        self.assertEqual(a.state(), e.IBV_QPS_RTS)
        poll_none(a.scq, 0.05)
        b.qp.post_recv(recv_wr(99, [b.sge(0, 4096)]))
        a.mr.write(b'ok' * 8, 16, 0)
        a.qp.post_send(send_wr(99, e.IBV_WR_SEND, [a.sge(0, 16)]))
        swc, = poll(a.scq)
        rwc, = poll(b.rcq)
        self.assertOk([swc, rwc])
        self.assertEqual(swc.wr_id, 99)
        self.assertEqual(b.mr.read(16, 0), b'ok' * 8)

    def test_too_many_send_sges(self):
        a, b = self.pair(a_kw={'send_sge': 2})
        n = a.cap().max_send_sge + 1
        wr = send_wr(1, e.IBV_WR_SEND, [a.sge(i * 8, 8) for i in range(n)])
        self.assertPostFails(lambda: a.qp.post_send(wr), (errno.EINVAL,),
                             'post_send with %d SGEs' % n)
        self.still_works(a, b)

    def test_too_many_recv_sges(self):
        a, b = self.pair(b_kw={'recv_sge': 2})
        n = b.cap().max_recv_sge + 1
        wr = recv_wr(1, [b.sge(i * 8, 8) for i in range(n)])
        self.assertPostFails(lambda: b.qp.post_recv(wr), (errno.EINVAL,),
                             'post_recv with %d SGEs' % n)
        self.still_works(a, b)

    def test_inline_too_big(self):
        a, b = self.pair(a_kw={'inline': 32})
        n = a.cap().max_inline_data + 1
        wr = send_wr(1, e.IBV_WR_SEND, [a.sge(0, n)],
                     flags=e.IBV_SEND_SIGNALED | e.IBV_SEND_INLINE)
        # mlx5 returns ENOMEM, others EINVAL: both say "not postable".
        self.assertPostFails(lambda: a.qp.post_send(wr),
                             (errno.EINVAL, errno.ENOMEM),
                             'inline send of %d bytes' % n)
        self.still_works(a, b)

    def test_sq_overflow(self):
        a, b = self.pair(a_kw={'send_wr': 4, 'sq_sig_all': 1},
                         a_attrs={'rnr_retry': 7}, b_attrs={'min_rnr_timer': 20})
        depth = a.cap().max_send_wr
        # No receives: the sends stay queued on RNR.
        for i in range(depth):
            a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, 8)]))
        wr = send_wr(depth, e.IBV_WR_SEND, [a.sge(0, 8)])
        self.assertPostFails(lambda: a.qp.post_send(wr), (errno.ENOMEM,),
                             'post_send to a full SQ')
        for i in range(depth):
            b.qp.post_recv(recv_wr(i, [b.sge(0, 64)]))
        self.assertOk(poll(a.scq, depth))
        self.assertOk(poll(b.rcq, depth))

# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Memory windows, LOCAL_INV and SEND_WITH_INV, with data verification.

The responder B owns the windows (on B's data MR, registered with
IBV_ACCESS_MW_BIND); the requester A reaches B's memory through their
rkeys. A type 1 window is bound with ibv_bind_mw, a type 2 window with a
BIND_MW work request on B's QP (ibv_post_send or ibv_wr_bind_mw), and only
requests arriving at that QP may use it. Expected statuses follow the IB
spec as rxe and mlx5 implement it: a refused bind is MW_BIND_ERR, a
refused LOCAL_INV LOC_QP_OP_ERR (rxe), access through an unbound,
invalidated or foreign window REM_ACCESS_ERR, and a SEND_WITH_INV naming
something that is not a type 2 window bound to the receiving QP
REM_INV_REQ_ERR on both sides (rxe: class J on the receive WQE).
"""
import os
import struct

import pyverbs.enums as e
from pyverbs.mr import MR, MW, MWBind, MWBindInfo
from pyverbs.pd import PD
from pyverbs.wr import SendWR

from base import ALL_ACCESS, PairTest, connect, poll, recv_wr, send_wr

MW_ACCESS = ALL_ACCESS | e.IBV_ACCESS_MW_BIND
RW = e.IBV_ACCESS_REMOTE_READ | e.IBV_ACCESS_REMOTE_WRITE
SEND_OPS = (e.IBV_QP_EX_WITH_SEND | e.IBV_QP_EX_WITH_RDMA_WRITE |
            e.IBV_QP_EX_WITH_RDMA_READ | e.IBV_QP_EX_WITH_BIND_MW |
            e.IBV_QP_EX_WITH_LOCAL_INV | e.IBV_QP_EX_WITH_SEND_WITH_INV)
WIN_OFF = 4096          # the window starts 4 KiB into B's MR
WIN_LEN = 8192


def tag(rkey, n):
    """RKEY with its low 8 bits (the tag a bind sets) moved on by N."""
    return (rkey & ~0xff) | ((rkey + n) & 0xff)


class MWTest(PairTest):

    def setUp(self):
        super().setUp()
        flags = self.dev.attr.device_cap_flags
        if not flags & e.IBV_DEVICE_MEM_WINDOW or \
                not flags & e.IBV_DEVICE_MEM_WINDOW_TYPE_2B:
            self.skipTest('%s: no type 1/2B memory windows' % self.dev.name)
        self.mws = []

    def tearDown(self):
        for mw in self.mws:
            mw.close()
        super().tearDown()

    # ---- helpers

    def mw_pair(self, b_access=MW_ACCESS, **conn):
        return self.pair(a_kw={'send_ops': SEND_OPS},
                         b_kw={'access': b_access, 'send_ops': SEND_OPS},
                         **conn)

    def mw(self, mw_type, pd=None):
        mw = MW(pd or self.dev.pd, mw_type)
        self.mws.append(mw)
        return mw

    def info(self, mr, off=WIN_OFF, length=WIN_LEN, access=RW):
        return MWBindInfo(mr, mr.buf + off, length, access)

    def bind1(self, side, mw, info, wr_id=1):
        """Type 1: ibv_bind_mw; the new rkey from mw.rkey."""
        old = mw.rkey
        side.qp.bind_mw(mw, MWBind(info, e.IBV_SEND_SIGNALED, wr_id))
        self.assertEqual(mw.rkey >> 8, old >> 8, 'window index changed')
        self.assertEqual(mw.rkey & 0xff, (old + 1) & 0xff, 'rkey tag')
        return mw.rkey

    def post_bind2(self, side, mw, info, wr_id=2):
        """Type 2: a BIND_MW work request; returns the rkey it asks for."""
        wr = SendWR(wr_id=wr_id, opcode=e.IBV_WR_BIND_MW, num_sge=0)
        wr.set_bind_wr(mw, info)
        side.qp.post_send(wr)
        return wr.rkey

    def bind_ok(self, side, wr_id):
        wc, = poll(side.scq)
        self.assertStatus(wc, e.IBV_WC_SUCCESS, 'bind')
        self.assertEqual((wc.wr_id, wc.opcode), (wr_id, e.IBV_WC_BIND_MW))

    def bind2(self, side, mw, info, wr_id=2):
        rkey = self.post_bind2(side, mw, info, wr_id)
        self.bind_ok(side, wr_id)
        return rkey

    def bind2_ex(self, side, mw, rkey, info, wr_id=3):
        """Type 2 through ibv_wr_bind_mw, with the rkey given."""
        side.qp.wr_start()
        side.qp.wr_id = wr_id
        side.qp.wr_flags = e.IBV_SEND_SIGNALED
        side.qp.wr_bind_mw(mw, rkey, info)
        side.qp.wr_complete()
        self.bind_ok(side, wr_id)
        return rkey

    def rdma(self, a, opcode, rkey, raddr, size, off=0, wr_id=10):
        wr = send_wr(wr_id, opcode, [a.sge(off, size)])
        wr.set_wr_rdma(rkey, raddr)
        a.qp.post_send(wr)
        wc, = poll(a.scq)
        return wc

    def check_write_read(self, a, b, rkey, at=100, size=3000):
        """WRITE then READ through rkey at byte AT of the window."""
        data = os.urandom(size)
        a.mr.write(data, size, 0)
        b.mr.write(b'\0' * (WIN_OFF + WIN_LEN), WIN_OFF + WIN_LEN, 0)
        raddr = b.mr.buf + WIN_OFF + at
        self.assertOk([self.rdma(a, e.IBV_WR_RDMA_WRITE, rkey, raddr, size)],
                      'write through the window')
        self.assertEqual(b.mr.read(size, WIN_OFF + at), data)
        if at:
            self.assertEqual(b.mr.read(at, WIN_OFF), b'\0' * at)
        back = os.urandom(size)
        b.mr.write(back, size, WIN_OFF + at)
        self.assertOk([self.rdma(a, e.IBV_WR_RDMA_READ, rkey, raddr, size,
                                 off=8192)], 'read through the window')
        self.assertEqual(a.mr.read(size, 8192), back)

    def expect_access_err(self, a, b, opcode, rkey, raddr, size=64):
        b.mr.write(b'\0' * 64, 64, 0)
        wc = self.rdma(a, opcode, rkey, raddr, size, wr_id=66)
        self.assertStatus(wc, e.IBV_WC_REM_ACCESS_ERR, 'access')

    def expect_bind_err(self, side, wr_id):
        """The bind fails, the QP goes to ERR and flushes what follows."""
        side.qp.post_send(send_wr(wr_id + 1, e.IBV_WR_SEND,
                                  [side.sge(0, 8)]))
        wcs = poll(side.scq, 2)
        self.assertStatus(wcs[0], e.IBV_WC_MW_BIND_ERR, 'bind')
        self.assertEqual(wcs[0].wr_id, wr_id)
        self.assertStatus(wcs[1], e.IBV_WC_WR_FLUSH_ERR, 'WR behind it')
        self.assertEqual(side.state(), e.IBV_QPS_ERR)

    # ---- type 1

    def test_type1_bind_write_read(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_1)
        rkey = self.bind1(b, mw, self.info(b.mr))
        self.bind_ok(b, 1)
        self.check_write_read(a, b, rkey)
        # The whole window, to its last byte.
        self.check_write_read(a, b, rkey, at=0, size=WIN_LEN)

    def test_type1_rebind_old_rkey_fails(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_1)
        old = self.bind1(b, mw, self.info(b.mr))
        self.bind_ok(b, 1)
        new = self.bind1(b, mw, self.info(b.mr, off=0, length=4096), 3)
        self.bind_ok(b, 3)
        self.assertNotEqual(old, new)
        data = os.urandom(64)
        a.mr.write(data, 64, 0)
        self.assertOk([self.rdma(a, e.IBV_WR_RDMA_WRITE, new, b.mr.buf, 64)])
        self.assertEqual(b.mr.read(64, 0), data)
        self.expect_access_err(a, b, e.IBV_WR_RDMA_WRITE, old,
                               b.mr.buf + WIN_OFF)

    def test_type1_unbind(self):
        """A zero-length bind unbinds a type 1 window."""
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_1)
        rkey = self.bind1(b, mw, self.info(b.mr))
        self.bind_ok(b, 1)
        b.qp.bind_mw(mw, MWBind(MWBindInfo(b.mr, 0, 0, 0),
                                e.IBV_SEND_SIGNALED, 4))
        self.bind_ok(b, 4)
        self.expect_access_err(a, b, e.IBV_WR_RDMA_READ, rkey,
                               b.mr.buf + WIN_OFF)

    def test_unbound_window_rkey(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_1)
        self.expect_access_err(a, b, e.IBV_WR_RDMA_WRITE, mw.rkey,
                               b.mr.buf + WIN_OFF)

    # ---- type 2

    def test_type2_bind_write_read(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr))
        self.assertEqual(rkey >> 8, mw.rkey >> 8)
        self.check_write_read(a, b, rkey)

    def test_type2_wr_bind_mw(self):
        """The ibv_wr_* API: bind, write through, local invalidate."""
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2_ex(b, mw, tag(mw.rkey, 7), self.info(b.mr), 5)
        self.check_write_read(a, b, rkey)
        b.qp.wr_start()
        b.qp.wr_id = 6
        b.qp.wr_flags = e.IBV_SEND_SIGNALED
        b.qp.wr_local_inv(rkey)
        b.qp.wr_complete()
        wc, = poll(b.scq)
        self.assertStatus(wc, e.IBV_WC_SUCCESS, 'local inv')
        self.assertEqual((wc.wr_id, wc.opcode), (6, e.IBV_WC_LOCAL_INV))
        self.expect_access_err(a, b, e.IBV_WR_RDMA_WRITE, rkey,
                               b.mr.buf + WIN_OFF)

    def test_type2_other_qp_refused(self):
        """A type 2 window serves only the QP it was bound through."""
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr))
        # Another pair on the same PD: C (beside B) is not the window's QP.
        a2, c = self.pair()
        self.expect_access_err(a2, b, e.IBV_WR_RDMA_WRITE, rkey,
                               b.mr.buf + WIN_OFF)
        # B's own peer still may.
        self.check_write_read(a, b, rkey)

    # ---- access checks through a window
    def test_atomic_through_window(self):
        a, b = self.mw_pair()
        self.require_atomics()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(
            b.mr, access=RW | e.IBV_ACCESS_REMOTE_ATOMIC))
        b.mr.write(struct.pack('<Q', 40), 8, WIN_OFF + 64)
        wr = send_wr(12, e.IBV_WR_ATOMIC_FETCH_AND_ADD, [a.sge(0, 8)])
        wr.set_wr_atomic(rkey, b.mr.buf + WIN_OFF + 64, 2, 0)
        a.qp.post_send(wr)
        wc, = poll(a.scq)
        self.assertOk([wc], 'fetch and add through the window')
        self.assertEqual(struct.unpack('<Q', a.mr.read(8, 0))[0], 40)
        self.assertEqual(struct.unpack('<Q', b.mr.read(8, WIN_OFF + 64))[0],
                         42)

    def test_atomic_needs_window_right(self):
        a, b = self.mw_pair()
        self.require_atomics()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr))
        wr = send_wr(13, e.IBV_WR_ATOMIC_FETCH_AND_ADD, [a.sge(0, 8)])
        wr.set_wr_atomic(rkey, b.mr.buf + WIN_OFF, 1, 0)
        a.qp.post_send(wr)
        wc, = poll(a.scq)
        self.assertStatus(wc, e.IBV_WC_REM_ACCESS_ERR, 'atomic, RW window')


    def test_outside_window(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr))
        # Inside the MR, 32 bytes of 64 past the window's end.
        end = WIN_OFF + WIN_LEN - 32
        b.mr.write(b'\0' * 64, 64, end)
        a.mr.write(b'\xff' * 64, 64, 0)
        self.expect_access_err(a, b, e.IBV_WR_RDMA_WRITE, rkey,
                               b.mr.buf + end)
        self.assertEqual(b.mr.read(64, end), b'\0' * 64, 'memory written')

    def test_before_window(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_1)
        rkey = self.bind1(b, mw, self.info(b.mr))
        self.bind_ok(b, 1)
        self.expect_access_err(a, b, e.IBV_WR_RDMA_READ, rkey,
                               b.mr.buf + WIN_OFF - 1, size=8)

    def test_window_without_write(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr,
                                           access=e.IBV_ACCESS_REMOTE_READ))
        marker = os.urandom(64)
        b.mr.write(marker, 64, WIN_OFF)
        wc = self.rdma(a, e.IBV_WR_RDMA_READ, rkey, b.mr.buf + WIN_OFF, 64)
        self.assertOk([wc])
        self.assertEqual(a.mr.read(64, 0), marker)
        wc = self.rdma(a, e.IBV_WR_RDMA_WRITE, rkey, b.mr.buf + WIN_OFF, 64)
        self.assertStatus(wc, e.IBV_WC_REM_ACCESS_ERR, 'write, read-only window')
        self.assertEqual(b.mr.read(64, WIN_OFF), marker, 'memory written')

    def test_window_without_read(self):
        """Remote rights are the window's, not the MR's (which allows all)."""
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_1)
        rkey = self.bind1(b, mw, self.info(
            b.mr, access=e.IBV_ACCESS_REMOTE_WRITE))
        self.bind_ok(b, 1)
        self.expect_access_err(a, b, e.IBV_WR_RDMA_READ, rkey,
                               b.mr.buf + WIN_OFF)

    def test_window_key_as_lkey(self):
        """A window's key is no lkey."""
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr))
        wr = send_wr(7, e.IBV_WR_RDMA_WRITE,
                     [b.sge(WIN_OFF, 64, lkey=rkey)])
        wr.set_wr_rdma(a.mr.rkey, a.mr.buf)
        b.qp.post_send(wr)
        wc, = poll(b.scq)
        self.assertStatus(wc, e.IBV_WC_LOC_PROT_ERR, 'window key as lkey')

    # ---- bind errors

    def test_bind_err_mr_without_mw_bind(self):
        a, b = self.mw_pair(b_access=ALL_ACCESS)
        mw = self.mw(e.IBV_MW_TYPE_2)
        self.post_bind2(b, mw, self.info(b.mr), wr_id=20)
        self.expect_bind_err(b, 20)

    def test_bind_err_outside_mr(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_1)
        b.qp.bind_mw(mw, MWBind(self.info(b.mr, off=b.mr.length - 4096,
                                          length=8192),
                                e.IBV_SEND_SIGNALED, 21))
        self.expect_bind_err(b, 21)

    def test_bind_err_write_needs_local_write(self):
        a, b = self.mw_pair(b_access=e.IBV_ACCESS_REMOTE_READ |
                            e.IBV_ACCESS_MW_BIND)
        mw = self.mw(e.IBV_MW_TYPE_2)
        self.post_bind2(b, mw, self.info(b.mr), wr_id=22)
        self.expect_bind_err(b, 22)

    def test_bind_read_only_mr_read_window(self):
        """The same MR accepts a read-only window: data moves."""
        a, b = self.mw_pair(b_access=e.IBV_ACCESS_REMOTE_READ |
                            e.IBV_ACCESS_MW_BIND)
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr,
                                           access=e.IBV_ACCESS_REMOTE_READ))
        data = os.urandom(128)
        b.mr.write(data, 128, WIN_OFF)
        self.assertOk([self.rdma(a, e.IBV_WR_RDMA_READ, rkey,
                                 b.mr.buf + WIN_OFF, 128)])
        self.assertEqual(a.mr.read(128, 0), data)

    def test_bind_err_type2_not_free(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr))
        wr = SendWR(wr_id=23, opcode=e.IBV_WR_BIND_MW, num_sge=0)
        wr.set_bind_wr(mw, self.info(b.mr, off=0, length=64))
        b.qp.post_send(wr)
        self.expect_bind_err(b, 23)

    def test_bind_err_other_pd(self):
        """An MR of another PD (type 2: no libibverbs PD check first)."""
        a, b = self.mw_pair()
        pd2 = PD(self.dev.ctx)
        try:
            mr2 = MR(pd2, 1 << 16, MW_ACCESS)
            try:
                mw = self.mw(e.IBV_MW_TYPE_2)
                self.post_bind2(b, mw, self.info(mr2, off=0, length=4096),
                                wr_id=24)
                self.expect_bind_err(b, 24)
            finally:
                mr2.close()
        finally:
            for m in self.mws:
                m.close()
            self.mws = []
            pd2.close()

    def test_bind_err_window_of_other_pd(self):
        a, b = self.mw_pair()
        pd2 = PD(self.dev.ctx)
        mw = MW(pd2, e.IBV_MW_TYPE_2)
        try:
            self.post_bind2(b, mw, self.info(b.mr), wr_id=25)
            self.expect_bind_err(b, 25)
        finally:
            mw.close()
            pd2.close()

    def test_bind_zero_based_refused(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        self.assertPostFails(
            lambda: self.post_bind2(b, mw, self.info(
                b.mr, access=RW | e.IBV_ACCESS_ZERO_BASED)),
            (22,), 'zero-based window')

    # ---- LOCAL_INV

    def local_inv(self, side, rkey, wr_id):
        wr = SendWR(wr_id=wr_id, opcode=e.IBV_WR_LOCAL_INV, num_sge=0,
                    imm_data=rkey)
        side.qp.post_send(wr)

    def test_local_inv(self):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr))
        self.check_write_read(a, b, rkey, size=256)
        self.local_inv(b, rkey, 30)
        wc, = poll(b.scq)
        self.assertStatus(wc, e.IBV_WC_SUCCESS, 'local inv')
        self.assertEqual((wc.wr_id, wc.opcode), (30, e.IBV_WC_LOCAL_INV))
        # Free again: it binds anew (the application picks the new tag).
        rkey2 = self.bind2_ex(b, mw, tag(rkey, 1),
                              self.info(b.mr, off=0, length=4096), 31)
        self.assertOk([self.rdma(a, e.IBV_WR_RDMA_WRITE, rkey2, b.mr.buf,
                                 64)])
        self.expect_access_err(a, b, e.IBV_WR_RDMA_WRITE, rkey,
                               b.mr.buf + WIN_OFF)

    def test_local_inv_errors(self):
        cases = (('type 1 window', e.IBV_MW_TYPE_1),
                 ('user MR', None),
                 ('bad key', 'bad'))
        for what, kind in cases:
            with self.subTest(what=what):
                a, b = self.mw_pair()
                if kind == 'bad':
                    key = b.mr.rkey ^ 0x5a5a00
                elif kind is None:
                    key = b.mr.rkey
                else:
                    mw = self.mw(kind)
                    key = self.bind1(b, mw, self.info(b.mr))
                    self.bind_ok(b, 1)
                self.local_inv(b, key, 32)
                wc, = poll(b.scq)
                self.assertStatus(wc, e.IBV_WC_LOC_QP_OP_ERR, what)
                self.assertEqual(b.state(), e.IBV_QPS_ERR)

    # ---- SEND_WITH_INV

    def send_inv(self, a, b, rkey, size=200, ex=False):
        data = os.urandom(size)
        a.mr.write(data, size, 0)
        b.mr.write(b'\0' * size, size, 0)
        b.qp.post_recv(recv_wr(40, [b.sge(0, 1024)]))
        if ex:
            a.qp.wr_start()
            a.qp.wr_id = 41
            a.qp.wr_flags = e.IBV_SEND_SIGNALED
            a.qp.wr_send_inv(rkey)
            a.qp.wr_set_sge(a.sge(0, size))
            a.qp.wr_complete()
        else:
            wr = SendWR(wr_id=41, opcode=e.IBV_WR_SEND_WITH_INV, num_sge=1,
                        sg=[a.sge(0, size)], imm_data=rkey)
            a.qp.post_send(wr)
        swc, = poll(a.scq)
        rwc, = poll(b.rcq)
        return swc, rwc, data

    def check_send_inv(self, ex):
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, self.info(b.mr))
        self.check_write_read(a, b, rkey, size=128)
        swc, rwc, data = self.send_inv(a, b, rkey, ex=ex)
        self.assertOk([swc, rwc], 'send with invalidate')
        self.assertEqual((swc.wr_id, swc.opcode), (41, e.IBV_WC_SEND))
        self.assertEqual((rwc.wr_id, rwc.opcode), (40, e.IBV_WC_RECV))
        self.assertTrue(rwc.wc_flags & e.IBV_WC_WITH_INV, 'WITH_INV flag')
        self.assertFalse(rwc.wc_flags & e.IBV_WC_WITH_IMM)
        # ibv_wc.invalidated_rkey shares imm_data's place.
        self.assertEqual(rwc.imm_data, rkey, 'invalidated rkey')
        self.assertEqual(rwc.byte_len, 200)
        self.assertEqual(b.mr.read(200, 0), data)
        self.expect_access_err(a, b, e.IBV_WR_RDMA_READ, rkey,
                               b.mr.buf + WIN_OFF)

    def test_send_with_inv(self):
        self.check_send_inv(ex=False)

    def test_wr_send_inv(self):
        self.check_send_inv(ex=True)

    def test_send_with_inv_invalid(self):
        for what in ('user MR', 'type 1 window', 'other QP window',
                     'free window', 'bad key'):
            with self.subTest(what=what):
                a, b = self.mw_pair()
                if what == 'user MR':
                    key = b.mr.rkey
                elif what == 'bad key':
                    key = b.mr.rkey ^ 0x5a5a00
                elif what == 'type 1 window':
                    mw = self.mw(e.IBV_MW_TYPE_1)
                    key = self.bind1(b, mw, self.info(b.mr))
                    self.bind_ok(b, 1)
                elif what == 'free window':
                    key = self.mw(e.IBV_MW_TYPE_2).rkey
                else:
                    # Bound through C, a QP beside B on the same PD.
                    c = self.side(self.dev, access=MW_ACCESS)
                    d = self.side(self.dev)
                    connect(c, d)
                    mw = self.mw(e.IBV_MW_TYPE_2)
                    key = self.bind2(c, mw, self.info(b.mr))
                swc, rwc, _ = self.send_inv(a, b, key)
                self.assertStatus(swc, e.IBV_WC_REM_INV_REQ_ERR, what)
                self.assertStatus(rwc, e.IBV_WC_REM_INV_REQ_ERR,
                                  what + ' (receiver)')
                self.assertEqual(b.state(), e.IBV_QPS_ERR)
                if what == 'other QP window':
                    # Not invalidated: still C's, D reaches B's MR.
                    data = os.urandom(64)
                    d.mr.write(data, 64, 0)
                    self.assertOk([self.rdma(d, e.IBV_WR_RDMA_WRITE, key,
                                             b.mr.buf + WIN_OFF, 64)])
                    self.assertEqual(b.mr.read(64, WIN_OFF), data)

    # ---- races: invalidation, dealloc and dereg against accesses in flight

    def race(self, end_window, rounds=4, n=12, size=512):
        """Post N writes through a window from A, then END_WINDOW(b, mw,
        rkey) at once. Each write either landed whole or failed with
        REM_ACCESS_ERR (then the rest are flushed); none lands after."""
        for r in range(rounds):
            with self.subTest(round=r):
                a, b = self.mw_pair()
                mw = MW(self.dev.pd, e.IBV_MW_TYPE_2)
                rkey = self.bind2(b, mw, self.info(b.mr))
                data = os.urandom(n * size)
                a.mr.write(data, n * size, 0)
                b.mr.write(b'\0' * (n * size), n * size, WIN_OFF)
                for i in range(n):
                    wr = send_wr(i, e.IBV_WR_RDMA_WRITE,
                                 [a.sge(i * size, size)])
                    wr.set_wr_rdma(rkey, b.mr.buf + WIN_OFF + i * size)
                    a.qp.post_send(wr)
                end_window(b, mw, rkey)
                wcs = poll(a.scq, n, allow_more=True)
                ok = 0
                while ok < n and wcs[ok].status == e.IBV_WC_SUCCESS:
                    ok += 1
                if ok < n:
                    self.assertStatus(wcs[ok], e.IBV_WC_REM_ACCESS_ERR,
                                      'write %d after the end' % ok)
                    for wc in wcs[ok + 1:]:
                        self.assertStatus(wc, e.IBV_WC_WR_FLUSH_ERR,
                                          'behind the error')
                got = b.mr.read(n * size, WIN_OFF)
                self.assertEqual(got[:ok * size], data[:ok * size])
                self.assertEqual(got[ok * size:], b'\0' * ((n - ok) * size),
                                 'a write landed after the window ended')
                if ok == n:
                    # Too fast to race: the window is gone all the same.
                    self.expect_access_err(a, b, e.IBV_WR_RDMA_WRITE, rkey,
                                           b.mr.buf + WIN_OFF)
                mw.close()

    def test_race_local_inv(self):
        def end(b, mw, rkey):
            self.local_inv(b, rkey, 60)
            wc, = poll(b.scq)
            self.assertStatus(wc, e.IBV_WC_SUCCESS, 'local inv')
        self.race(end)

    def test_race_dealloc(self):
        self.race(lambda b, mw, rkey: mw.close())

    # ---- lifetime

    def test_dealloc_bound(self):
        """Deallocating bound windows; access through them fails after."""
        a, b = self.mw_pair()
        mw1 = MW(self.dev.pd, e.IBV_MW_TYPE_1)
        mw2 = MW(self.dev.pd, e.IBV_MW_TYPE_2)
        try:
            k1 = self.bind1(b, mw1, self.info(b.mr))
            self.bind_ok(b, 1)
            k2 = self.bind2(b, mw2, self.info(b.mr, off=0, length=4096))
            self.check_write_read(a, b, k1, size=64)
        finally:
            mw1.close()
            mw2.close()
        wc = self.rdma(a, e.IBV_WR_RDMA_READ, k2, b.mr.buf, 64)
        self.assertStatus(wc, e.IBV_WC_REM_ACCESS_ERR, 'deallocated type 2')
        a, b = self.mw_pair()
        wc = self.rdma(a, e.IBV_WR_RDMA_WRITE, k1, b.mr.buf + WIN_OFF, 64)
        self.assertStatus(wc, e.IBV_WC_REM_ACCESS_ERR, 'deallocated type 1')

    def test_dereg_mr_under_window(self):
        """Deregistering the MR a window is bound to ends the window."""
        a, b = self.mw_pair()
        mr = MR(self.dev.pd, 1 << 16, MW_ACCESS)
        mw = self.mw(e.IBV_MW_TYPE_2)
        rkey = self.bind2(b, mw, MWBindInfo(mr, mr.buf, 4096, RW))
        self.assertOk([self.rdma(a, e.IBV_WR_RDMA_WRITE, rkey, mr.buf, 64)])
        buf = mr.buf
        mr.close()
        wc = self.rdma(a, e.IBV_WR_RDMA_WRITE, rkey, buf, 64)
        self.assertStatus(wc, e.IBV_WC_REM_ACCESS_ERR, 'window of a gone MR')

    def test_destroy_qp_of_bound_window(self):
        """The QP a type 2 window was bound through goes away first."""
        a, b = self.mw_pair()
        mw = self.mw(e.IBV_MW_TYPE_2)
        self.bind2(b, mw, self.info(b.mr))
        b.qp.close()
        mw.close()
        self.mws = []

    def test_alloc_many(self):
        """Windows come and go; keys are distinct."""
        mws = [MW(self.dev.pd, t) for t in (e.IBV_MW_TYPE_1,
                                            e.IBV_MW_TYPE_2) * 16]
        try:
            self.assertEqual(len({m.rkey for m in mws}), len(mws))
            self.assertEqual({m.type for m in mws},
                             {e.IBV_MW_TYPE_1, e.IBV_MW_TYPE_2})
        finally:
            for m in mws:
                m.close()


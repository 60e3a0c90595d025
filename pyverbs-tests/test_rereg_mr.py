# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""ibv_rereg_mr: new access rights, a new translation (buffer), a new PD,
each proved by RDMA through the new keys with data checks, and the old
keys refused afterwards; a failed rereg leaves the MR as it was."""
import ctypes
import mmap
import os

import pyverbs.enums as e
from pyverbs.mr import MR
from pyverbs.pd import PD
from pyverbs.pyverbs_error import PyverbsError

from base import ALL_ACCESS, PairTest, poll, send_wr

SIZE = 1 << 16


def addr_of(buf):
    return ctypes.addressof(ctypes.c_char.from_buffer(buf))


class ReregMR(PairTest):

    def setUp(self):
        super().setUp()
        self.a, self.b = self.pair()
        self.keep = []          # buffers and PDs to release after the MRs

    def tearDown(self):
        super().tearDown()
        for o in reversed(self.keep):
            o.close()

    def write(self, rkey, raddr, size=256):
        data = os.urandom(size)
        self.a.mr.write(data, size, 0)
        wr = send_wr(1, e.IBV_WR_RDMA_WRITE, [self.a.sge(0, size)])
        wr.set_wr_rdma(rkey, raddr)
        self.a.qp.post_send(wr)
        wc, = poll(self.a.scq)
        return wc, data

    def write_ok(self, mr, off=128):
        wc, data = self.write(mr.rkey, mr.buf + off)
        self.assertStatus(wc, e.IBV_WC_SUCCESS, 'write to the MR')
        self.assertEqual(mr.read(len(data), off), data)

    def write_refused(self, rkey, raddr):
        wc, _ = self.write(rkey, raddr)
        self.assertStatus(wc, e.IBV_WC_REM_ACCESS_ERR, 'write')

    def test_change_access(self):
        mr = MR(self.dev.pd, SIZE, e.IBV_ACCESS_LOCAL_WRITE)
        try:
            old = mr.rkey
            mr.rereg(e.IBV_REREG_MR_CHANGE_ACCESS, self.dev.pd, 0, 0,
                     ALL_ACCESS)
            self.write_ok(mr)
            if mr.rkey != old:
                self.write_refused(old, mr.buf)
        finally:
            mr.close()

    def test_change_access_revokes(self):
        mr = MR(self.dev.pd, SIZE, ALL_ACCESS)
        try:
            mr.rereg(e.IBV_REREG_MR_CHANGE_ACCESS, self.dev.pd, 0, 0,
                     e.IBV_ACCESS_LOCAL_WRITE | e.IBV_ACCESS_REMOTE_READ)
            mr.write(b'\0' * 256, 256, 0)
            self.write_refused(mr.rkey, mr.buf)
            self.assertEqual(mr.read(256, 0), b'\0' * 256, 'memory written')
        finally:
            mr.close()

    def test_change_translation(self):
        mr = MR(self.dev.pd, SIZE, ALL_ACCESS)
        old_buf, old_rkey = mr.buf, mr.rkey
        mr.write(b'\0' * SIZE, SIZE, 0)
        new = mmap.mmap(-1, 2 * SIZE)
        self.keep.append(new)
        try:
            # Not page aligned: the offset into the first page matters.
            addr = addr_of(new) + 4096 + 24
            mr.rereg(e.IBV_REREG_MR_CHANGE_TRANSLATION, self.dev.pd, addr,
                     SIZE, 0)
            self.assertEqual(mr.buf, addr)
            self.write_ok(mr, off=SIZE - 256)
            wc, data = self.write(mr.rkey, addr)
            self.assertStatus(wc, e.IBV_WC_SUCCESS, 'write at the start')
            self.assertEqual(new[4096 + 24:4096 + 24 + 256], data)
            if mr.rkey != old_rkey:
                self.write_refused(old_rkey, old_buf)
        finally:
            mr.close()

    def test_change_translation_outside(self):
        """The new range is the MR now: the old one is outside it."""
        mr = MR(self.dev.pd, SIZE, ALL_ACCESS)
        new = mmap.mmap(-1, SIZE)
        self.keep.append(new)
        try:
            mr.rereg(e.IBV_REREG_MR_CHANGE_TRANSLATION, self.dev.pd,
                     addr_of(new), 4096, 0)
            self.write_ok(mr, off=0)
            self.write_refused(mr.rkey, addr_of(new) + 4096 - 16)
        finally:
            mr.close()

    def test_change_pd(self):
        pd2 = PD(self.dev.ctx)
        self.keep.append(pd2)
        mr = MR(pd2, SIZE, ALL_ACCESS)
        try:
            mr.rereg(e.IBV_REREG_MR_CHANGE_PD, self.dev.pd, 0, 0, 0)
            self.write_ok(mr)
            mr.rereg(e.IBV_REREG_MR_CHANGE_PD, pd2, 0, 0, 0)
            self.write_refused(mr.rkey, mr.buf)
        finally:
            mr.close()

    def test_failed_rereg_keeps_mr(self):
        mr = MR(self.dev.pd, SIZE, ALL_ACCESS)
        try:
            lkey, rkey = mr.lkey, mr.rkey
            with self.assertRaises(PyverbsError):
                # No memory there: pinning fails.
                mr.rereg(e.IBV_REREG_MR_CHANGE_TRANSLATION, self.dev.pd,
                         0x1000, SIZE, 0)
            self.assertEqual((mr.lkey, mr.rkey), (lkey, rkey))
            self.write_ok(mr)
        finally:
            mr.close()

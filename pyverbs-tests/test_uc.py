# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""UC QPs: SEND, SEND_WITH_IMM, RDMA_WRITE, RDMA_WRITE_WITH_IMM with the data
checked; what a UC responder drops without telling the requester (no
receive WQE, a bad rkey, a peer not ready), which completes with success;
a receive too short (the responder's own LOC_LEN_ERR); READ and atomics
refused at post, and so are windows, LOCAL_INV and SEND_WITH_INV (RC only
on mlx5x; IB has no UC Send with Invalidate); a UC QP on an SRQ refused.
"""
import unittest

import pyverbs.enums as e
from pyverbs.addr import AHAttr, GlobalRoute
from pyverbs.mr import MW, MWBind, MWBindInfo
from pyverbs.pyverbs_error import PyverbsRDMAError
from pyverbs.qp import QP, QPAttr, QPCap, QPInitAttr
from pyverbs.srq import SRQ, SrqAttr, SrqInitAttr
from pyverbs.wr import SendWR

from base import PORT, PairTest, hw_counters, poll, poll_none, recv_wr, \
    send_wr

UC_ACCESS = e.IBV_ACCESS_LOCAL_WRITE | e.IBV_ACCESS_REMOTE_WRITE


def uc_connect(me, peer):
    attr = QPAttr()
    attr.qp_access_flags = UC_ACCESS
    attr.pkey_index = 0
    attr.port_num = PORT
    gr = GlobalRoute(dgid=peer.dev.gid, sgid_index=me.dev.gid_index)
    gr.hop_limit = 64
    attr.ah_attr = AHAttr(gr=gr, is_global=1, port_num=PORT)
    attr.path_mtu = me.dev.port_attr.active_mtu
    attr.dest_qp_num = peer.qpn
    attr.rq_psn = 0x2000
    attr.sq_psn = 0x2000
    me.qp.to_rts(attr)


class UCTest(PairTest):

    def uc_pair(self, connect_b=True, **kw):
        a = self.side(qp_type=e.IBV_QPT_UC, access=UC_ACCESS, **kw)
        b = self.side(qp_type=e.IBV_QPT_UC, access=UC_ACCESS, **kw)
        uc_connect(a, b)
        if connect_b:
            uc_connect(b, a)
        self.assertEqual(a.state(), e.IBV_QPS_RTS)
        return a, b

    def write_wr(self, a, b, wr_id, off, length, roff, imm=None):
        op = e.IBV_WR_RDMA_WRITE if imm is None else \
            e.IBV_WR_RDMA_WRITE_WITH_IMM
        wr = send_wr(wr_id, op, [a.sge(off, length)], imm=imm)
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf + roff)
        return wr

    def test_send_and_send_imm(self):
        a, b = self.uc_pair()
        for i, (length, imm) in enumerate(((0, None), (3000, None),
                                           (100, 0xfeedf00d))):
            data = bytes((i + j * 3) & 0xff for j in range(length))
            if length:
                a.mr.write(data, length, 0)
            b.qp.post_recv(recv_wr(50 + i, [b.sge(8192, 4096)]))
            a.qp.post_send(send_wr(i, e.IBV_WR_SEND if imm is None else
                                   e.IBV_WR_SEND_WITH_IMM,
                                   [a.sge(0, length)], imm=imm))
            self.assertOk(poll(a.scq), 'send')
            wc = poll(b.rcq)[0]
            self.assertOk([wc], 'recv')
            self.assertEqual(wc.wr_id, 50 + i)
            self.assertEqual(wc.byte_len, length)
            if imm is not None:
                self.assertTrue(wc.wc_flags & e.IBV_WC_WITH_IMM)
                self.assertEqual(wc.imm_data, imm)
            self.assertEqual(b.mr.read(length, 8192), data)

    def test_write_and_write_imm(self):
        a, b = self.uc_pair()
        data = bytes(j * 11 & 0xff for j in range(5000))
        a.mr.write(data, len(data), 0)
        a.qp.post_send(self.write_wr(a, b, 1, 0, len(data), 100))
        self.assertOk(poll(a.scq), 'write')
        poll_none(b.rcq)
        self.assertEqual(b.mr.read(len(data), 100), data)
        b.qp.post_recv(recv_wr(9, [b.sge(60000, 16)]))
        a.qp.post_send(self.write_wr(a, b, 2, 10, 777, 20000, imm=0x42))
        self.assertOk(poll(a.scq), 'write imm')
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.assertEqual(wc.opcode, e.IBV_WC_RECV_RDMA_WITH_IMM)
        self.assertEqual(wc.imm_data, 0x42)
        self.assertEqual(wc.byte_len, 777)
        self.assertEqual(b.mr.read(777, 20000), data[10:787])

    def test_no_receive_dropped(self):
        a, b = self.uc_pair()
        before = hw_counters(self.dev.name).get('out_of_buffer')
        a.mr.write(b'\x11' * 64, 64, 0)
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 64)]))
        self.assertOk(poll(a.scq), 'send to no receive WQE')
        # WRITE_IMM with no receive: dropped whole, memory untouched.
        b.mr.write(b'\0' * 64, 64, 30000)
        a.qp.post_send(self.write_wr(a, b, 2, 0, 64, 30000, imm=1))
        self.assertOk(poll(a.scq), 'write imm to no receive WQE')
        poll_none(b.rcq)
        self.assertEqual(b.mr.read(64, 30000), b'\0' * 64)
        if before is not None:
            self.assertEqual(hw_counters(self.dev.name)['out_of_buffer'],
                             before + 2, 'out_of_buffer')
        # The QP still works; the next message takes the receive WQE.
        self.assertEqual(b.state(), e.IBV_QPS_RTS)
        a.mr.write(b'\x22' * 64, 64, 64)
        b.qp.post_recv(recv_wr(3, [b.sge(0, 128)]))
        a.qp.post_send(send_wr(4, e.IBV_WR_SEND, [a.sge(64, 64)]))
        self.assertOk(poll(a.scq))
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.assertEqual(b.mr.read(64, 0), b'\x22' * 64)

    def test_bad_rkey_dropped(self):
        a, b = self.uc_pair()
        b.mr.write(b'\0' * 32, 32, 0)
        a.mr.write(b'\x33' * 32, 32, 0)
        wr = send_wr(1, e.IBV_WR_RDMA_WRITE, [a.sge(0, 32)])
        wr.set_wr_rdma(b.mr.rkey ^ 0x80, b.mr.buf)
        a.qp.post_send(wr)
        self.assertOk(poll(a.scq), 'write with a bad rkey')
        wr = send_wr(2, e.IBV_WR_RDMA_WRITE, [a.sge(0, 32)])
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf + b.mr.length - 16)
        a.qp.post_send(wr)
        self.assertOk(poll(a.scq), 'write past the MR')
        self.assertEqual(b.mr.read(32, 0), b'\0' * 32)
        self.assertEqual(b.state(), e.IBV_QPS_RTS,
                         'a UC responder stays in RTS (class E)')
        a.qp.post_send(self.write_wr(a, b, 3, 0, 32, 0))
        self.assertOk(poll(a.scq))
        self.assertEqual(b.mr.read(32, 0), b'\x33' * 32)

    def test_receive_too_short(self):
        a, b = self.uc_pair()
        b.qp.post_recv(recv_wr(1, [b.sge(0, 16)]))
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 17)]))
        self.assertOk(poll(a.scq), 'the requester is not told')
        wc = poll(b.rcq)[0]
        self.assertStatus(wc, e.IBV_WC_LOC_LEN_ERR, 'receive too short')

    def test_peer_not_ready(self):
        a, b = self.uc_pair(connect_b=False)
        attr = QPAttr()
        attr.qp_access_flags = UC_ACCESS
        attr.pkey_index = 0
        attr.port_num = PORT
        b.qp.to_init(attr)
        b.qp.post_recv(recv_wr(1, [b.sge(0, 64)]))
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 64)]))
        self.assertOk(poll(a.scq), 'send to a UC QP in INIT')
        poll_none(b.rcq)

    def test_read_and_atomics_refused(self):
        a, b = self.uc_pair()
        for op in (e.IBV_WR_RDMA_READ, e.IBV_WR_ATOMIC_CMP_AND_SWP,
                   e.IBV_WR_ATOMIC_FETCH_AND_ADD):
            wr = send_wr(1, op, [a.sge(0, 8)])
            wr.set_wr_rdma(b.mr.rkey, b.mr.buf)
            self.assertPostFails(lambda: a.qp.post_send(wr), (22,),
                                 'UC opcode %d' % op)
        poll_none(a.scq, 0.05)

    def test_windows_and_invalidation_refused(self):
        """BIND_MW (both types), LOCAL_INV, SEND_WITH_INV: EINVAL at post
        on a UC QP, nothing completes, and the QP still works."""
        a, b = self.uc_pair()
        mws = []
        if self.dev.attr.device_cap_flags & e.IBV_DEVICE_MEM_WINDOW:
            mw1 = MW(self.dev.pd, e.IBV_MW_TYPE_1)
            mws.append(mw1)
            self.addCleanup(mw1.close)
            info = MWBindInfo(a.mr, a.mr.buf, 4096,
                              e.IBV_ACCESS_REMOTE_WRITE)
            self.assertPostFails(
                lambda: a.qp.bind_mw(mw1, MWBind(info,
                                                 e.IBV_SEND_SIGNALED, 1)),
                (22,), 'ibv_bind_mw on UC')
        for op in (e.IBV_WR_LOCAL_INV, e.IBV_WR_SEND_WITH_INV):
            sg = [a.sge(0, 8)]
            wr = SendWR(wr_id=2, opcode=op, num_sge=1, sg=sg,
                        imm_data=a.mr.rkey)
            self.assertPostFails(lambda: a.qp.post_send(wr), (22,),
                                 'UC opcode %d' % op)
        poll_none(a.scq, 0.05)
        b.qp.post_recv(recv_wr(3, [b.sge(0, 64)]))
        a.qp.post_send(send_wr(4, e.IBV_WR_SEND, [a.sge(0, 64)]))
        self.assertOk(poll(a.scq), 'send after the refused WRs')
        self.assertOk(poll(b.rcq), 'recv after the refused WRs')

    def test_srq_refused(self):
        srq = SRQ(self.dev.pd, SrqInitAttr(SrqAttr(max_wr=4, max_sge=1)))
        self.addCleanup(srq.close)
        s = self.side()     # its CQs
        cap = QPCap(max_send_wr=4, max_recv_wr=0, max_send_sge=1,
                    max_recv_sge=0)
        init = QPInitAttr(qp_type=e.IBV_QPT_UC, scq=s.scq, rcq=s.rcq,
                          srq=srq, cap=cap)
        with self.assertRaises(PyverbsRDMAError) as cm:
            qp = QP(self.dev.pd, init)
            qp.close()
        self.assertEqual(cm.exception.error_code, 95,
                         'UC QP on an SRQ: expected EOPNOTSUPP')


if __name__ == '__main__':
    unittest.main()

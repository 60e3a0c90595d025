# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""UD QPs and address handles (RoCE v2).

SEND and SEND_WITH_IMM between two UD QPs and from a QP to itself, with the
payload, the completion fields and the 40-byte GRH area checked (the IPv4
header for IPv4-mapped GIDs, the IPv6 header for IPv6 GIDs); the reply path
through ibv_create_ah_from_wc(); what a UD responder silently drops (wrong
Q_Key, no receive WQE, unknown QPN or GID) while the sender completes with
success; a message longer than the path MTU (LOC_LEN_ERR); AHs refused at
creation; opcodes refused at post. UD with the other features: a UD QP on an
SRQ, a UD receive read through an extended CQ, query_qp's Q_Key.
"""
import ipaddress
import os
import struct
import unittest

import pyverbs.enums as e
from pyverbs.addr import AH, AHAttr, GID, GlobalRoute
from pyverbs.pyverbs_error import PyverbsRDMAError
from pyverbs.qp import QPAttr
from pyverbs.srq import SRQ, SrqAttr, SrqInitAttr
from pyverbs.wr import SendWR

from base import PORT, PairTest, hw_counters, poll, poll_none, recv_wr, \
    send_wr

GRH_LEN = 40
QKEY = 0x11111111
MTU_BYTES = {1: 256, 2: 512, 3: 1024, 4: 2048, 5: 4096}
# What the wire adds to the message in the IP payload: UDP, BTH, DETH, ICRC.
L4_OVERHEAD = 8 + 12 + 8 + 4


def gid_bytes(gid):
    return ipaddress.IPv6Address(str(gid)).packed


def find_gid(ctx, v4):
    """Index of a RoCE v2 GID of the wanted family, or None."""
    name = ctx.name
    for idx in range(ctx.query_port(PORT).gid_tbl_len):
        try:
            raw = gid_bytes(ctx.query_gid(PORT, idx))
        except (PyverbsRDMAError, ValueError):
            continue
        if raw == bytes(16):
            continue
        is_v4 = raw[:12] == bytes(10) + b'\xff\xff'
        if is_v4 != v4 or (not v4 and raw[:2] == b'\xfe\x80'):
            continue
        path = '/sys/class/infiniband/%s/ports/%d/gid_attrs/types/%d' % (
            name, PORT, idx)
        try:
            with open(path) as f:
                if 'v2' not in f.read():
                    continue
        except OSError:
            pass
        return idx
    return None


def ipv4_csum(hdr):
    s = sum(struct.unpack('!10H', hdr))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class UDTest(PairTest):
    """Two UD QPs on the device (or one, sending to itself)."""

    def ud_side(self, qkey=QKEY, dev=None, **kw):
        kw.setdefault('recv_sge', 2)
        s = self.side(dev, qp_type=e.IBV_QPT_UD, **kw)
        attr = QPAttr()
        attr.qkey = qkey
        attr.pkey_index = 0
        attr.port_num = PORT
        attr.sq_psn = 0x100
        s.qp.to_rts(attr)
        self.assertEqual(s.state(), e.IBV_QPS_RTS)
        return s

    def ah(self, dgid, sgid_index=None, hop_limit=64, tclass=0, flow=0):
        gr = GlobalRoute(dgid=dgid, sgid_index=self.dev.gid_index
                         if sgid_index is None else sgid_index)
        gr.hop_limit = hop_limit
        gr.traffic_class = tclass
        gr.flow_label = flow
        ah = AH(self.dev.pd, attr=AHAttr(gr=gr, is_global=1, port_num=PORT))
        self.addCleanup(ah.close)
        return ah

    def ud_send(self, s, ah, dqpn, off, length, wr_id=1, qkey=QKEY,
                imm=None, flags=e.IBV_SEND_SIGNALED):
        op = e.IBV_WR_SEND if imm is None else e.IBV_WR_SEND_WITH_IMM
        wr = send_wr(wr_id, op, [s.sge(off, length)], flags=flags, imm=imm)
        wr.set_wr_ud(ah, dqpn, qkey)
        s.qp.post_send(wr)

    def post_recv(self, s, off, length, wr_id=100):
        s.qp.post_recv(recv_wr(wr_id, [s.sge(off, length)]))

    def check_recv(self, wc, src, length, imm=None):
        self.assertEqual(wc.src_qp, src.qpn, 'src_qp')
        self.assertTrue(wc.wc_flags & e.IBV_WC_GRH, 'IBV_WC_GRH not set')
        self.assertEqual(wc.byte_len, length + GRH_LEN, 'byte_len')
        self.assertEqual(wc.opcode, e.IBV_WC_RECV)
        if imm is None:
            self.assertFalse(wc.wc_flags & e.IBV_WC_WITH_IMM)
        else:
            self.assertTrue(wc.wc_flags & e.IBV_WC_WITH_IMM)
            self.assertEqual(wc.imm_data, imm)

    def check_ipv4_grh(self, grh, sgid, dgid, length, hop_limit, tclass,
                       imm=False):
        self.assertEqual(grh[:20], bytes(20), 'GRH bytes 0..19 not zero')
        ip = grh[20:]
        self.assertEqual(ip[0], 0x45, 'IPv4 version/IHL')
        self.assertEqual(ip[1], tclass, 'TOS')
        total = struct.unpack('!H', ip[2:4])[0]
        self.assertEqual(total, 20 + L4_OVERHEAD + length + (4 if imm else 0),
                         'IPv4 total length')
        self.assertEqual(ip[8], hop_limit, 'TTL')
        self.assertEqual(ip[9], 17, 'protocol UDP')
        self.assertEqual(ipv4_csum(ip[:10] + b'\0\0' + ip[12:20]),
                         struct.unpack('!H', ip[10:12])[0], 'checksum')
        self.assertEqual(ip[12:16], gid_bytes(sgid)[12:], 'source address')
        self.assertEqual(ip[16:20], gid_bytes(dgid)[12:], 'dest address')


class UDSend(UDTest):

    def test_send_and_imm_between_qps(self):
        a = self.ud_side()
        b = self.ud_side()
        ah = self.ah(self.dev.gid, hop_limit=33, tclass=0x20)
        for i, (length, imm) in enumerate(((0, None), (1, None), (700, None),
                                           (512, 0x12345678))):
            data = bytes((i * 7 + j) & 0xff for j in range(length))
            a.mr.write(data, length, 0) if length else None
            b.mr.write(b'\xee' * (GRH_LEN + length + 8), GRH_LEN + length + 8,
                       4096)
            self.post_recv(b, 4096, GRH_LEN + 1024, wr_id=10 + i)
            self.ud_send(a, ah, b.qpn, 0, length, wr_id=i, imm=imm)
            self.assertOk(poll(a.scq), 'send')
            wc = poll(b.rcq)[0]
            self.assertOk([wc], 'recv')
            self.assertEqual(wc.wr_id, 10 + i)
            self.check_recv(wc, a, length, imm)
            got = b.mr.read(GRH_LEN + length + 8, 4096)
            self.assertEqual(got[GRH_LEN:GRH_LEN + length], data, 'payload')
            self.assertEqual(got[GRH_LEN + length:], b'\xee' * 8,
                             'bytes past the message written')
            self.check_ipv4_grh(got[:GRH_LEN], self.dev.gid, self.dev.gid,
                                length, 33, 0x20, imm is not None)

    def test_send_to_itself(self):
        a = self.ud_side(recv_wr=4)
        ah = self.ah(self.dev.gid)
        data = b'loopback to the same QP' * 4
        a.mr.write(data, len(data), 0)
        self.post_recv(a, 8192, GRH_LEN + 256)
        self.ud_send(a, ah, a.qpn, 0, len(data), imm=0x0badcafe)
        self.assertOk(poll(a.scq), 'send')
        wc = poll(a.rcq)[0]
        self.assertOk([wc], 'recv')
        self.check_recv(wc, a, len(data), 0x0badcafe)
        self.assertEqual(a.mr.read(len(data), 8192 + GRH_LEN), data)

    def test_inline_and_sges(self):
        a = self.ud_side(inline=64)
        b = self.ud_side()
        ah = self.ah(self.dev.gid)
        data = b'inline datagram!' * 3
        a.mr.write(data, len(data), 0)
        self.post_recv(b, 0, GRH_LEN + 128)
        self.ud_send(a, ah, b.qpn, 0, len(data),
                     flags=e.IBV_SEND_SIGNALED | e.IBV_SEND_INLINE)
        a.mr.write(b'\0' * len(data), len(data), 0)   # inline: copied at post
        self.assertOk(poll(a.scq))
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.assertEqual(b.mr.read(len(data), GRH_LEN), data)
        # A receive scattered over two SGEs, the GRH alone in the first.
        a.mr.write(data, len(data), 0)
        b.qp.post_recv(recv_wr(7, [b.sge(1000, GRH_LEN),
                                   b.sge(2000, len(data))]))
        self.ud_send(a, ah, b.qpn, 0, len(data))
        self.assertOk(poll(a.scq))
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.assertEqual(b.mr.read(len(data), 2000), data)
        self.assertEqual(b.mr.read(20, 1000), bytes(20))

    def test_reply_with_ah_from_wc(self):
        a = self.ud_side()
        b = self.ud_side()
        ah = self.ah(self.dev.gid)
        req = b'ping' * 10
        a.mr.write(req, len(req), 0)
        self.post_recv(b, 0, GRH_LEN + 256)
        self.ud_send(a, ah, b.qpn, 0, len(req))
        self.assertOk(poll(a.scq))
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        reply_ah = AH(self.dev.pd, wc=wc, grh=b.mr.buf, port_num=PORT)
        self.addCleanup(reply_ah.close)
        rep = b'pong' * 12
        b.mr.write(rep, len(rep), 4096)
        self.post_recv(a, 4096, GRH_LEN + 256)
        self.ud_send(b, reply_ah, wc.src_qp, 4096, len(rep))
        self.assertOk(poll(b.scq), 'reply send')
        wc = poll(a.rcq)[0]
        self.assertOk([wc], 'reply recv')
        self.check_recv(wc, b, len(rep))
        self.assertEqual(a.mr.read(len(rep), 4096 + GRH_LEN), rep)

    def test_message_up_to_path_mtu(self):
        mtu = MTU_BYTES[self.dev.port_attr.active_mtu]
        a = self.ud_side()
        b = self.ud_side()
        ah = self.ah(self.dev.gid)
        data = bytes(j * 13 & 0xff for j in range(mtu))
        a.mr.write(data, mtu, 0)
        self.post_recv(b, 0, GRH_LEN + mtu + 64)
        self.ud_send(a, ah, b.qpn, 0, mtu)
        self.assertOk(poll(a.scq), 'MTU-sized send')
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.assertEqual(wc.byte_len, GRH_LEN + mtu)
        self.assertEqual(b.mr.read(mtu, GRH_LEN), data)
        # One byte more is a local length error; nothing arrives.
        self.post_recv(b, 0, GRH_LEN + mtu + 64)
        self.ud_send(a, ah, b.qpn, 0, mtu + 1, wr_id=2)
        wc = poll(a.scq)[0]
        self.assertStatus(wc, e.IBV_WC_LOC_LEN_ERR, 'send > path MTU')
        poll_none(b.rcq)

    def test_receive_too_short(self):
        a = self.ud_side()
        b = self.ud_side()
        ah = self.ah(self.dev.gid)
        self.post_recv(b, 0, GRH_LEN + 16)
        self.ud_send(a, ah, b.qpn, 0, 17)
        self.assertOk(poll(a.scq), 'the sender never knows')
        wc = poll(b.rcq)[0]
        self.assertStatus(wc, e.IBV_WC_LOC_LEN_ERR, 'receive too short')


class UDDrops(UDTest):
    """What a UD responder drops: the sender completes with success."""

    def expect_dropped_then_delivered(self, a, b, send_bad, recv=True):
        if recv:
            self.post_recv(b, 0, GRH_LEN + 256)
        if send_bad:
            send_bad()
            self.assertOk(poll(a.scq), 'dropped send')
            poll_none(b.rcq)
        if not recv:
            self.post_recv(b, 0, GRH_LEN + 256)
        good = b'delivered after the drop'
        a.mr.write(good, len(good), 512)
        self.ud_send(a, self.good_ah, b.qpn, 512, len(good), wr_id=9)
        self.assertOk(poll(a.scq), 'good send')
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.check_recv(wc, a, len(good))
        self.assertEqual(b.mr.read(len(good), GRH_LEN), good,
                         'the receive WQE went to the dropped message')

    def setUp(self):
        super().setUp()
        self.good_ah = None

    def pair_ud(self, a_qkey=QKEY):
        a = self.ud_side(qkey=a_qkey)
        b = self.ud_side()
        self.good_ah = self.ah(self.dev.gid)
        a.mr.write(b'\x5a' * 64, 64, 0)
        return a, b

    def test_wrong_qkey(self):
        a, b = self.pair_ud()
        self.expect_dropped_then_delivered(
            a, b, lambda: self.ud_send(a, self.good_ah, b.qpn, 0, 64,
                                       qkey=QKEY + 1))

    def test_qkey_from_the_sending_qp(self):
        # Bit 31 set: the QP's own Q_Key is used. Wrong, then right.
        a, b = self.pair_ud(a_qkey=0x2222)
        self.expect_dropped_then_delivered(
            a, b, lambda: self.ud_send(a, self.good_ah, b.qpn, 0, 64,
                                       qkey=0x80000000))
        attr = QPAttr()
        attr.qkey = QKEY
        a.qp.modify(attr, e.IBV_QP_QKEY)
        self.post_recv(b, 1024, GRH_LEN + 256)
        self.ud_send(a, self.good_ah, b.qpn, 0, 64, qkey=0x80000000)
        self.assertOk(poll(a.scq))
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.assertEqual(b.mr.read(64, 1024 + GRH_LEN), b'\x5a' * 64)

    def test_no_receive_wqe(self):
        a, b = self.pair_ud()
        before = hw_counters(self.dev.name).get('out_of_buffer')
        self.ud_send(a, self.good_ah, b.qpn, 0, 64)
        self.assertOk(poll(a.scq), 'send with no receive posted')
        poll_none(b.rcq)
        if before is not None:
            self.assertEqual(hw_counters(self.dev.name)['out_of_buffer'],
                             before + 1, 'out_of_buffer')
        # The dropped message is not waiting anywhere: a receive posted now
        # gets the next one.
        self.expect_dropped_then_delivered(a, b, None, recv=False)

    def test_unknown_qpn_and_rc_qpn(self):
        a, b = self.pair_ud()
        rc = self.side()
        self.post_recv(b, 0, GRH_LEN + 256)
        for wr_id, qpn in ((1, 0xfffff0), (2, rc.qpn)):
            self.ud_send(a, self.good_ah, qpn, 0, 64, wr_id=wr_id)
            self.assertOk(poll(a.scq), 'send to QPN %#x' % qpn)
        poll_none(b.rcq)

    def test_unknown_gid(self):
        a, b = self.pair_ud()
        try:
            ah = self.ah(GID('0000:0000:0000:0000:0000:ffff:c000:0263'))
        except PyverbsRDMAError as ex:
            self.skipTest('no AH to an unknown neighbour here: %s' % ex)
        self.expect_dropped_then_delivered(
            a, b, lambda: self.ud_send(a, ah, b.qpn, 0, 64))

    def test_responder_not_ready(self):
        a = self.ud_side()
        b = self.side(qp_type=e.IBV_QPT_UD)      # RESET
        ah = self.ah(self.dev.gid)
        self.ud_send(a, ah, b.qpn, 0, 64)
        self.assertOk(poll(a.scq), 'send to a UD QP in RESET')
        poll_none(b.rcq)


class UDAddressHandles(UDTest):

    def test_bad_gid_index_refused(self):
        tbl = self.dev.port_attr.gid_tbl_len
        empty = None
        for idx in range(tbl - 1, -1, -1):
            try:
                if gid_bytes(self.dev.ctx.query_gid(PORT, idx)) == bytes(16):
                    empty = idx
                    break
            except (PyverbsRDMAError, ValueError):
                empty = idx
                break
        # (pyverbs carries sgid_index in a byte.)
        for idx in [i for i in (empty, tbl, 255) if i is not None and
                    i < 256]:
            with self.assertRaises(PyverbsRDMAError,
                                   msg='AH with sgid_index %d' % idx):
                self.ah(self.dev.gid, sgid_index=idx)

    def test_no_grh_refused(self):
        with self.assertRaises(PyverbsRDMAError):
            AH(self.dev.pd, attr=AHAttr(port_num=PORT, is_global=0))

    def test_post_refuses_other_opcodes(self):
        a = self.ud_side()
        ah = self.ah(self.dev.gid)
        for op in (e.IBV_WR_RDMA_WRITE, e.IBV_WR_RDMA_READ,
                   e.IBV_WR_ATOMIC_FETCH_AND_ADD, e.IBV_WR_SEND_WITH_INV,
                   e.IBV_WR_LOCAL_INV, e.IBV_WR_BIND_MW):
            wr = SendWR(wr_id=1, opcode=op, num_sge=1, sg=[a.sge(0, 8)],
                        send_flags=e.IBV_SEND_SIGNALED, imm_data=a.mr.rkey)
            wr.set_wr_ud(ah, a.qpn, QKEY)
            wr.set_wr_rdma(a.mr.rkey, a.mr.buf)
            self.assertPostFails(lambda: a.qp.post_send(wr), (22,),
                                 'UD opcode %d' % op)
        poll_none(a.scq, 0.05)


class UDWithOthers(UDTest):
    """UD next to SRQs, extended CQs and query_qp."""

    def test_ud_on_srq(self):
        """Two UD QPs take their receives from one SRQ: wr_ids in posting
        order, the GRH area and the payload in the SRQ WQE's buffer; an
        empty SRQ drops the datagram (out_of_buffer)."""
        srq = SRQ(self.dev.pd, SrqInitAttr(SrqAttr(max_wr=8, max_sge=1)))
        self.addCleanup(srq.close)
        a = self.ud_side()
        b1 = self.ud_side(srq=srq, recv_wr=0, recv_sge=0, shared_cq=True)
        b2 = self.ud_side(srq=srq, recv_wr=0, recv_sge=0, shared_cq=True)
        ah = self.ah(self.dev.gid)
        slot = 1024
        for i in range(4):
            srq.post_recv(recv_wr(200 + i, [b1.sge(i * slot, slot)]))
        msgs = []
        for i, dst in enumerate((b1, b2, b2, b1)):
            data = bytes((i * 31 + j) & 0xff for j in range(100 + i))
            a.mr.write(data, len(data), 4096 * i)
            self.ud_send(a, ah, dst.qpn, 4096 * i, len(data), wr_id=i)
            self.assertOk(poll(a.scq), 'send %d' % i)
            wc, = poll(dst.rcq)
            self.assertOk([wc], 'recv %d' % i)
            self.assertEqual(wc.wr_id, 200 + i, 'SRQ WQEs in posting order')
            self.assertEqual(wc.qp_num, dst.qpn)
            self.check_recv(wc, a, len(data))
            msgs.append(data)
        for i, data in enumerate(msgs):
            self.assertEqual(b1.mr.read(len(data), i * slot + GRH_LEN), data,
                             'payload %d after the GRH area' % i)
        before = hw_counters(self.dev.name).get('out_of_buffer')
        self.ud_send(a, ah, b2.qpn, 0, 64, wr_id=9)
        self.assertOk(poll(a.scq), 'send to an empty SRQ')
        poll_none(b2.rcq)
        if before is not None:
            self.assertEqual(hw_counters(self.dev.name)['out_of_buffer'],
                             before + 1, 'out_of_buffer')
        self.assertEqual(b2.state(), e.IBV_QPS_RTS)
        srq.post_recv(recv_wr(300, [b1.sge(0, slot)]))
        self.ud_send(a, ah, b2.qpn, 0, 64, wr_id=10)
        self.assertOk(poll(a.scq))
        wc, = poll(b2.rcq)
        self.assertOk([wc])
        self.assertEqual(wc.wr_id, 300)

    def test_cq_ex_reads_ud_fields(self):
        """A UD receive read through ibv_wc_read_* gives what ibv_poll_cq
        gives for the same datagram: src_qp, IBV_WC_GRH, SL, byte_len,
        immediate."""
        from test_cq_ex import EX_FLAGS, from_wc, poll_ex
        a = self.ud_side()
        bc = self.ud_side()
        bx = self.ud_side(cq_ex_flags=EX_FLAGS)
        gr = GlobalRoute(dgid=self.dev.gid, sgid_index=self.dev.gid_index)
        gr.hop_limit = 64
        ah = AH(self.dev.pd, attr=AHAttr(gr=gr, is_global=1, port_num=PORT,
                                         sl=5))
        self.addCleanup(ah.close)
        a.mr.write(b'\x77' * 300, 300, 0)
        got = []
        for b in (bc, bx):
            self.post_recv(b, 0, 1024, wr_id=7)
            self.ud_send(a, ah, b.qpn, 0, 300, imm=0x01020304)
            self.assertOk(poll(a.scq))
            if b is bc:
                wc = from_wc(poll(b.rcq)[0])
            else:
                wc = poll_ex(b.rcq, 1)[0]
            self.assertOk([wc])
            self.assertEqual(wc.qp_num, b.qpn)
            self.assertEqual(b.mr.read(300, GRH_LEN), b'\x77' * 300)
            got.append(wc._replace(qp_num=0))
        classic, ex = got
        self.assertEqual(classic.sl, 5, 'classic poll: the AH\'s SL')
        self.assertEqual(classic.src_qp, a.qpn)
        self.assertTrue(classic.wc_flags & e.IBV_WC_GRH)
        self.assertEqual(ex, classic, 'ibv_wc_read_* against ibv_poll_cq')

    def test_query_qp_qkey(self):
        a = self.ud_side(qkey=0x1234567)
        attr, _ = a.qp.query(e.IBV_QP_QKEY | e.IBV_QP_STATE)
        self.assertEqual((attr.qkey, attr.qp_state),
                         (0x1234567, e.IBV_QPS_RTS))
        attr = QPAttr()
        attr.qkey = 0x7654321
        a.qp.modify(attr, e.IBV_QP_QKEY)
        attr, _ = a.qp.query(e.IBV_QP_QKEY)
        self.assertEqual(attr.qkey, 0x7654321)


class UDTwoDevices(UDTest):
    """A datagram from one device to another one (MLX5X_TEST_DEV2)."""

    two_devices = True

    def test_send_and_reply(self):
        a = self.ud_side()
        b = self.ud_side(dev=self.dev2)
        ah = self.ah(self.dev2.gid)
        data = b'to the other device' * 5
        a.mr.write(data, len(data), 0)
        self.post_recv(b, 0, GRH_LEN + 256)
        self.ud_send(a, ah, b.qpn, 0, len(data), imm=0x77)
        self.assertOk(poll(a.scq))
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.check_recv(wc, a, len(data), 0x77)
        raw = b.mr.read(GRH_LEN + len(data), 0)
        self.assertEqual(raw[GRH_LEN:], data)
        self.check_ipv4_grh(raw[:GRH_LEN], self.dev.gid, self.dev2.gid,
                            len(data), 64, 0, True)
        reply_ah = AH(self.dev2.pd, wc=wc, grh=b.mr.buf, port_num=PORT)
        self.addCleanup(reply_ah.close)
        b.mr.write(data[::-1], len(data), 4096)
        self.post_recv(a, 4096, GRH_LEN + 256)
        self.ud_send(b, reply_ah, wc.src_qp, 4096, len(data))
        self.assertOk(poll(b.scq))
        self.assertOk(poll(a.rcq))
        self.assertEqual(a.mr.read(len(data), 4096 + GRH_LEN), data[::-1])


class UDIPv6(UDTest):
    """The same with an IPv6 GID: an IPv6 header in the GRH area."""

    def setUp(self):
        super().setUp()
        idx = find_gid(self.dev.ctx, v4=False)
        if idx is None:
            self.skipTest('%s has no RoCE v2 IPv6 global GID' % self.dev.name)
        self.gid6_index = idx
        self.gid6 = self.dev.ctx.query_gid(PORT, idx)

    def test_ipv6_grh_and_reply(self):
        a = self.ud_side()
        b = self.ud_side()
        ah = self.ah(self.gid6, sgid_index=self.gid6_index, hop_limit=7,
                     tclass=0x48, flow=0xabcde)
        data = b'over IPv6' * 9
        a.mr.write(data, len(data), 0)
        self.post_recv(b, 0, GRH_LEN + 256)
        self.ud_send(a, ah, b.qpn, 0, len(data), imm=0x01020304)
        self.assertOk(poll(a.scq))
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.check_recv(wc, a, len(data), 0x01020304)
        raw = b.mr.read(GRH_LEN + len(data), 0)
        self.assertEqual(raw[GRH_LEN:], data)
        vtf = struct.unpack('!I', raw[0:4])[0]
        self.assertEqual(vtf >> 28, 6, 'IP version')
        self.assertEqual((vtf >> 20) & 0xff, 0x48, 'traffic class')
        self.assertEqual(vtf & 0xfffff, 0xabcde, 'flow label')
        self.assertEqual(struct.unpack('!H', raw[4:6])[0],
                         L4_OVERHEAD + 4 + len(data), 'payload length')
        self.assertEqual(raw[6], 17, 'next header UDP')
        self.assertEqual(raw[7], 7, 'hop limit')
        self.assertEqual(raw[8:24], gid_bytes(self.gid6), 'sgid')
        self.assertEqual(raw[24:40], gid_bytes(self.gid6), 'dgid')

        reply_ah = AH(self.dev.pd, wc=wc, grh=b.mr.buf, port_num=PORT)
        self.addCleanup(reply_ah.close)
        rep = b'v6 reply' * 5
        b.mr.write(rep, len(rep), 4096)
        self.post_recv(a, 4096, GRH_LEN + 256)
        self.ud_send(b, reply_ah, wc.src_qp, 4096, len(rep))
        self.assertOk(poll(b.scq))
        wc = poll(a.rcq)[0]
        self.assertOk([wc])
        raw = a.mr.read(GRH_LEN + len(rep), 4096)
        self.assertEqual(raw[GRH_LEN:], rep)
        self.assertEqual(struct.unpack('!I', raw[0:4])[0] >> 28, 6,
                         'the reply went over IPv6 too')


if __name__ == '__main__':
    unittest.main()

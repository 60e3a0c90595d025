# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""RC operations with data verification: every opcode, immediate data,
inline, multi-SGE scatter/gather, unsignaled WQEs and ring wrap-around."""
import os
import struct

import pyverbs.enums as e

from base import PairTest, poll, poll_none, recv_wr, send_wr

# Sizes that cross nothing, a cache line, a page, an MTU (1024..4096) and
# several MTUs.
SIZES = [0, 1, 63, 64, 1000, 4095, 4096, 4097, 65536]


class RCOps(PairTest):

    def setUp(self):
        super().setUp()
        self.a, self.b = self.pair()

    def fill(self, side, offset, length):
        data = os.urandom(length)
        side.mr.write(data, length, offset)
        return data

    def test_send(self):
        a, b = self.a, self.b
        for i, size in enumerate(SIZES):
            with self.subTest(size=size):
                data = self.fill(a, 0, size)
                b.mr.write(b'\0' * (size + 16), size + 16, 0)
                b.qp.post_recv(recv_wr(100 + i, [b.sge(0, size + 16)]))
                a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, size)]))
                swc, = poll(a.scq)
                rwc, = poll(b.rcq)
                self.assertOk([swc, rwc])
                self.assertEqual((swc.wr_id, swc.opcode), (i, e.IBV_WC_SEND))
                self.assertEqual(rwc.wr_id, 100 + i)
                self.assertEqual(rwc.opcode, e.IBV_WC_RECV)
                self.assertEqual(rwc.byte_len, size)
                self.assertEqual(rwc.qp_num, b.qpn)
                self.assertFalse(rwc.wc_flags & e.IBV_WC_WITH_IMM)
                self.assertEqual(b.mr.read(size, 0), data)
                # Nothing written past the message.
                self.assertEqual(b.mr.read(16, size), b'\0' * 16)

    def test_send_with_imm(self):
        a, b = self.a, self.b
        for i, (size, imm) in enumerate([(0, 0), (8, 0xffffffff),
                                         (4096, 0x12345678), (5000, 1)]):
            with self.subTest(size=size, imm=imm):
                data = self.fill(a, 0, size)
                b.qp.post_recv(recv_wr(i, [b.sge(0, 8192)]))
                a.qp.post_send(send_wr(i, e.IBV_WR_SEND_WITH_IMM,
                                       [a.sge(0, size)], imm=imm))
                swc, = poll(a.scq)
                rwc, = poll(b.rcq)
                self.assertOk([swc, rwc])
                self.assertEqual(swc.opcode, e.IBV_WC_SEND)
                self.assertEqual(rwc.opcode, e.IBV_WC_RECV)
                self.assertTrue(rwc.wc_flags & e.IBV_WC_WITH_IMM)
                self.assertEqual(rwc.imm_data, imm)
                self.assertEqual(rwc.byte_len, size)
                self.assertEqual(b.mr.read(size, 0), data)

    def test_rdma_write(self):
        a, b = self.a, self.b
        for i, size in enumerate(SIZES):
            with self.subTest(size=size):
                data = self.fill(a, 0, size)
                b.mr.write(b'\xee' * (size + 32), size + 32, 0)
                wr = send_wr(i, e.IBV_WR_RDMA_WRITE, [a.sge(0, size)])
                # An unaligned remote address too.
                wr.set_wr_rdma(b.mr.rkey, b.mr.buf + 16)
                a.qp.post_send(wr)
                swc, = poll(a.scq)
                self.assertOk([swc])
                self.assertEqual(swc.opcode, e.IBV_WC_RDMA_WRITE)
                self.assertEqual(b.mr.read(16, 0), b'\xee' * 16)
                self.assertEqual(b.mr.read(size, 16), data)
                self.assertEqual(b.mr.read(16, 16 + size), b'\xee' * 16)
                poll_none(b.rcq, 0.01)

    def test_rdma_write_with_imm(self):
        a, b = self.a, self.b
        for i, size in enumerate([0, 4, 4096, 20000]):
            with self.subTest(size=size):
                data = self.fill(a, 0, size)
                # The immediate consumes a receive; its buffer is not touched.
                b.mr.write(b'\x77' * 64, 64, 65536)
                b.qp.post_recv(recv_wr(50 + i, [b.sge(65536, 64)]))
                wr = send_wr(i, e.IBV_WR_RDMA_WRITE_WITH_IMM, [a.sge(0, size)],
                             imm=0xa5a50000 + i)
                wr.set_wr_rdma(b.mr.rkey, b.mr.buf + 8)
                a.qp.post_send(wr)
                swc, = poll(a.scq)
                rwc, = poll(b.rcq)
                self.assertOk([swc, rwc])
                self.assertEqual(swc.opcode, e.IBV_WC_RDMA_WRITE)
                self.assertEqual(rwc.wr_id, 50 + i)
                self.assertEqual(rwc.opcode, e.IBV_WC_RECV_RDMA_WITH_IMM)
                self.assertTrue(rwc.wc_flags & e.IBV_WC_WITH_IMM)
                self.assertEqual(rwc.imm_data, 0xa5a50000 + i)
                self.assertEqual(b.mr.read(size, 8), data)
                self.assertEqual(b.mr.read(64, 65536), b'\x77' * 64)

    def test_rdma_read(self):
        a, b = self.a, self.b
        for i, size in enumerate(SIZES):
            with self.subTest(size=size):
                data = self.fill(b, 24, size)
                a.mr.write(b'\x11' * (size + 16), size + 16, 0)
                wr = send_wr(i, e.IBV_WR_RDMA_READ, [a.sge(0, size)])
                wr.set_wr_rdma(b.mr.rkey, b.mr.buf + 24)
                a.qp.post_send(wr)
                swc, = poll(a.scq)
                self.assertOk([swc])
                self.assertEqual(swc.opcode, e.IBV_WC_RDMA_READ)
                self.assertEqual(a.mr.read(size, 0), data)
                self.assertEqual(a.mr.read(16, size), b'\x11' * 16)
                poll_none(b.rcq, 0.01)

    def test_atomic_cmp_swp(self):
        self.require_atomics()
        a, b = self.a, self.b
        b.mr.write(struct.pack('<Q', 0x1111222233334444), 8, 64)
        # Compare matches: swapped; the old value comes back.
        wr = send_wr(1, e.IBV_WR_ATOMIC_CMP_AND_SWP, [a.sge(0, 8)])
        wr.set_wr_atomic(b.mr.rkey, b.mr.buf + 64, 0x1111222233334444,
                         0x5555666677778888)
        a.qp.post_send(wr)
        swc, = poll(a.scq)
        self.assertOk([swc])
        self.assertEqual(swc.opcode, e.IBV_WC_COMP_SWAP)
        self.assertEqual(struct.unpack('<Q', a.mr.read(8, 0))[0],
                         0x1111222233334444)
        self.assertEqual(struct.unpack('<Q', b.mr.read(8, 64))[0],
                         0x5555666677778888)
        # Compare fails: memory unchanged, the current value comes back.
        wr = send_wr(2, e.IBV_WR_ATOMIC_CMP_AND_SWP, [a.sge(8, 8)])
        wr.set_wr_atomic(b.mr.rkey, b.mr.buf + 64, 1, 2)
        a.qp.post_send(wr)
        swc, = poll(a.scq)
        self.assertOk([swc])
        self.assertEqual(struct.unpack('<Q', a.mr.read(8, 8))[0],
                         0x5555666677778888)
        self.assertEqual(struct.unpack('<Q', b.mr.read(8, 64))[0],
                         0x5555666677778888)

    def test_atomic_fetch_add(self):
        self.require_atomics()
        a, b = self.a, self.b
        b.mr.write(struct.pack('<Q', 0xfffffffffffffff0), 8, 128)
        expect = 0xfffffffffffffff0
        for i, add in enumerate([1, 0x10, 0x100000000, 7]):
            wr = send_wr(i, e.IBV_WR_ATOMIC_FETCH_AND_ADD, [a.sge(8 * i, 8)])
            wr.set_wr_atomic(b.mr.rkey, b.mr.buf + 128, add, 0)
            a.qp.post_send(wr)
            swc, = poll(a.scq)
            self.assertOk([swc])
            self.assertEqual(swc.opcode, e.IBV_WC_FETCH_ADD)
            self.assertEqual(struct.unpack('<Q', a.mr.read(8, 8 * i))[0], expect)
            expect = (expect + add) & (2**64 - 1)   # wraps modulo 2^64
            self.assertEqual(struct.unpack('<Q', b.mr.read(8, 128))[0], expect)

    def test_multi_sge_send(self):
        """Gather from 3 SGEs, scatter into 4 SGEs split differently."""
        a, b = self.a, self.b
        segs = [(0, 100), (5000, 3000), (20000, 1)]
        data = b''.join(self.fill(a, off, ln) for off, ln in segs)
        total = len(data)
        rsegs = [(1000, 50), (3000, 1500), (9000, 1600), (40000, 1000)]
        for off, ln in rsegs:
            b.mr.write(b'\0' * ln, ln, off)
        b.qp.post_recv(recv_wr(7, [b.sge(o, n) for o, n in rsegs]))
        a.qp.post_send(send_wr(7, e.IBV_WR_SEND,
                               [a.sge(o, n) for o, n in segs]))
        self.assertOk(poll(a.scq) + poll(b.rcq))
        got = b''
        left = total
        for off, ln in rsegs:
            n = min(ln, left)
            got += b.mr.read(n, off)
            left -= n
        self.assertEqual(got, data)
        # The unused tail of the last receive SGE is untouched.
        used = total - (50 + 1500 + 1600)
        self.assertEqual(b.mr.read(1000 - used, 40000 + used), b'\0' * (1000 - used))

    def test_multi_sge_write_read(self):
        a, b = self.a, self.b
        segs = [(0, 10), (100, 4096), (9000, 777), (12000, 2000)]
        data = b''.join(self.fill(a, off, ln) for off, ln in segs)
        wr = send_wr(1, e.IBV_WR_RDMA_WRITE, [a.sge(o, n) for o, n in segs])
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf + 3)
        a.qp.post_send(wr)
        self.assertOk(poll(a.scq))
        self.assertEqual(b.mr.read(len(data), 3), data)
        # Read it back, scattered over other SGEs.
        rsegs = [(30000, 1000), (40000, 1), (50000, len(data) - 1001)]
        for off, ln in rsegs:
            a.mr.write(b'\0' * ln, ln, off)
        wr = send_wr(2, e.IBV_WR_RDMA_READ, [a.sge(o, n) for o, n in rsegs])
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf + 3)
        a.qp.post_send(wr)
        self.assertOk(poll(a.scq))
        self.assertEqual(b''.join(a.mr.read(n, o) for o, n in rsegs), data)


class RCInline(PairTest):

    def setUp(self):
        super().setUp()
        self.a = self.b = None
        for inline in (256, 128, 64, 32):
            try:
                self.a, self.b = self.pair(a_kw={'inline': inline})
                break
            except Exception:   # the device offers less inline data
                for s in self.sides:
                    s.close()
                self.sides = []
        if not self.a:
            self.skipTest('%s: no inline data' % self.dev.name)
        self.max_inline = self.a.cap().max_inline_data
        if self.max_inline == 0:
            self.skipTest('%s: max_inline_data is 0' % self.dev.name)

    def test_inline_send_and_write(self):
        a, b = self.a, self.b
        for i, size in enumerate(sorted({1, 16, self.max_inline // 2,
                                         self.max_inline})):
            for op in (e.IBV_WR_SEND, e.IBV_WR_RDMA_WRITE,
                       e.IBV_WR_SEND_WITH_IMM):
                with self.subTest(size=size, op=op):
                    data = os.urandom(size)
                    a.mr.write(data, size, 0)
                    b.mr.write(b'\0' * size, size, 0)
                    if op != e.IBV_WR_RDMA_WRITE:
                        b.qp.post_recv(recv_wr(i, [b.sge(0, 4096)]))
                    # Inline data is copied at post time: the lkey is not
                    # used (garbage is fine) and the buffer may be reused at
                    # once.
                    wr = send_wr(i, op, [a.sge(0, size, lkey=0xdeadbeef)],
                                 flags=e.IBV_SEND_SIGNALED | e.IBV_SEND_INLINE,
                                 imm=0x1234 if op == e.IBV_WR_SEND_WITH_IMM
                                 else None)
                    if op == e.IBV_WR_RDMA_WRITE:
                        wr.set_wr_rdma(b.mr.rkey, b.mr.buf)
                    a.qp.post_send(wr)
                    a.mr.write(b'\xff' * size, size, 0)
                    self.assertOk(poll(a.scq))
                    if op != e.IBV_WR_RDMA_WRITE:
                        rwc, = poll(b.rcq)
                        self.assertOk([rwc])
                        self.assertEqual(rwc.byte_len, size)
                    self.assertEqual(b.mr.read(size, 0), data)

    def test_inline_multi_sge(self):
        a, b = self.a, self.b
        if a.cap().max_send_sge < 3 or self.max_inline < 24:
            self.skipTest('needs 3 send SGEs and 24 B inline')
        segs = [(0, 8), (100, 8), (200, self.max_inline - 16)]
        data = b''
        for off, ln in segs:
            d = os.urandom(ln)
            a.mr.write(d, ln, off)
            data += d
        b.qp.post_recv(recv_wr(1, [b.sge(0, 4096)]))
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(o, n) for o, n in segs],
                               flags=e.IBV_SEND_SIGNALED | e.IBV_SEND_INLINE))
        self.assertOk(poll(a.scq))
        rwc, = poll(b.rcq)
        self.assertOk([rwc])
        self.assertEqual(rwc.byte_len, len(data))
        self.assertEqual(b.mr.read(len(data), 0), data)


class RCQueues(PairTest):
    """Unsignaled WQEs and wrap-around of small rings."""

    def test_unsignaled(self):
        # sq_sig_all=0: only WRs with IBV_SEND_SIGNALED complete; one in 4.
        a, b = self.pair(a_kw={'send_wr': 8, 'sq_sig_all': 0},
                         b_kw={'recv_wr': 64})
        total = 64
        for i in range(total):
            b.qp.post_recv(recv_wr(i, [b.sge(i * 256, 256)]))
        signaled = []
        posted = 0
        while posted < total:
            # At most 8 outstanding: 2 signaled groups of 4.
            for _ in range(4):
                i = posted
                a.mr.write(bytes([i]) * 200, 200, i * 256)
                flags = e.IBV_SEND_SIGNALED if i % 4 == 3 else 0
                if flags:
                    signaled.append(i)
                a.qp.post_send(send_wr(i, e.IBV_WR_SEND,
                                       [a.sge(i * 256, 200)], flags=flags))
                posted += 1
            wc, = poll(a.scq, allow_more=True)
            self.assertOk([wc])
            self.assertEqual(wc.wr_id, posted - 1)
        poll_none(a.scq, 0.05)
        rwcs = poll(b.rcq, total)
        self.assertOk(rwcs)
        self.assertEqual([w.wr_id for w in rwcs], list(range(total)))
        for i in range(total):
            self.assertEqual(b.mr.read(200, i * 256), bytes([i]) * 200)

    def test_ring_wrap(self):
        # SQ/RQ 4, CQs 8: more than 10 passes over every ring (48 rounds of
        # 4 WRs, 2 of them SENDs: SQ 48, RQ 24, send CQ 24, recv CQ 12), each
        # round filling the SQ.
        a, b = self.pair(a_kw={'send_wr': 4, 'recv_wr': 4, 'cqe': 8},
                         b_kw={'send_wr': 4, 'recv_wr': 4, 'cqe': 8})
        depth = 4
        n = 0
        ops = [e.IBV_WR_SEND, e.IBV_WR_RDMA_WRITE, e.IBV_WR_SEND_WITH_IMM,
               e.IBV_WR_RDMA_READ]
        for rnd in range(48):
            posted = []
            for k in range(depth):
                op = ops[(rnd + k) % 4]
                size = 1 + (n * 37) % 3000
                off = k * 4096
                data = os.urandom(size)
                if op == e.IBV_WR_RDMA_READ:
                    b.mr.write(data, size, 65536 + off)
                else:
                    a.mr.write(data, size, off)
                if op in (e.IBV_WR_SEND, e.IBV_WR_SEND_WITH_IMM):
                    b.qp.post_recv(recv_wr(n, [b.sge(off, 4096)]))
                wr = send_wr(n, op, [a.sge(off, size)],
                             imm=n if op == e.IBV_WR_SEND_WITH_IMM else None)
                if op == e.IBV_WR_RDMA_WRITE:
                    wr.set_wr_rdma(b.mr.rkey, b.mr.buf + off)
                elif op == e.IBV_WR_RDMA_READ:
                    wr.set_wr_rdma(b.mr.rkey, b.mr.buf + 65536 + off)
                a.qp.post_send(wr)
                posted.append((n, op, off, size, data))
                n += 1
            swcs = poll(a.scq, depth)
            self.assertOk(swcs, 'round %d' % rnd)
            self.assertEqual([w.wr_id for w in swcs], [p[0] for p in posted])
            nrecv = sum(1 for p in posted if p[1] in (e.IBV_WR_SEND,
                                                      e.IBV_WR_SEND_WITH_IMM))
            rwcs = poll(b.rcq, nrecv) if nrecv else []
            self.assertOk(rwcs, 'round %d' % rnd)
            for wid, op, off, size, data in posted:
                if op == e.IBV_WR_RDMA_READ:
                    self.assertEqual(a.mr.read(size, off), data, 'read %d' % wid)
                else:
                    self.assertEqual(b.mr.read(size, off), data, 'op %d' % wid)
        self.assertGreater(n, 10 * 8)

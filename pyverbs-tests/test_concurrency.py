# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Atomics racing from two QPs, two processes, two devices."""
import multiprocessing
import os
import struct
import traceback

import pyverbs.enums as e

from base import (DEV, PairTest, Side, Device, connect, connect_one, poll,
                  recv_wr, send_wr, TIMEOUT)


class AtomicRace(PairTest):
    """Two requester QPs hammer one 8-byte word of the same responder MR.
    Both QPs' WQEs are outstanding at the same time, so the device must
    serialise the read-modify-write of the target."""

    N = 200
    DEPTH = 8

    def race(self, op):
        """Returns (final value, values fetched per side, swaps that won)."""
        self.require_atomics()
        faa = op == e.IBV_WR_ATOMIC_FETCH_AND_ADD
        a1 = self.side(send_wr=self.DEPTH, cqe=64)
        a2 = self.side(send_wr=self.DEPTH, cqe=64)
        b1 = self.side()
        b2 = self.side()
        connect(a1, b1)
        connect(a2, b2)
        # Both responder QPs target b1's MR (same PD, so b2 may use it).
        target = b1.mr.buf + 256
        b1.mr.write(struct.pack('<Q', 0), 8, 256)
        sides = (a1, a2)
        fetched = {s: [] for s in sides}
        posted = {s: 0 for s in sides}
        done = {s: 0 for s in sides}
        # CMP_AND_SWP: each side keeps one guess outstanding: compare with
        # the value it last saw, swap in +1; a lost race returns the current
        # value, the next guess.
        guess = {s: 0 for s in sides}
        wins = {s: 0 for s in sides}
        depth = self.DEPTH if faa else 1

        def want_more(s):
            return posted[s] < self.N if faa else sum(wins.values()) < 2 * self.N

        while any(want_more(s) or posted[s] > done[s] for s in sides):
            for s in sides:
                while posted[s] - done[s] < depth and want_more(s):
                    slot = posted[s] % self.DEPTH
                    wr = send_wr(posted[s], op, [s.sge(slot * 8, 8)])
                    if faa:
                        wr.set_wr_atomic(b1.mr.rkey, target, 1, 0)
                    else:
                        wr.set_wr_atomic(b1.mr.rkey, target, guess[s],
                                         guess[s] + 1)
                    s.qp.post_send(wr)
                    posted[s] += 1
                got, wcs = s.scq.poll(self.DEPTH)
                for wc in wcs[:got]:
                    self.assertStatus(wc, e.IBV_WC_SUCCESS, 'atomic')
                    slot = wc.wr_id % self.DEPTH
                    old = struct.unpack('<Q', s.mr.read(8, slot * 8))[0]
                    fetched[s].append(old)
                    done[s] += 1
                    if not faa:
                        if old == guess[s]:
                            wins[s] += 1
                            guess[s] = old + 1
                        else:
                            guess[s] = old
            if sum(posted.values()) > 50 * self.N:
                self.fail('no progress: %s' % wins)
        final = struct.unpack('<Q', b1.mr.read(8, 256))[0]
        return final, fetched, wins

    def test_fetch_add_race(self):
        final, fetched, _ = self.race(e.IBV_WR_ATOMIC_FETCH_AND_ADD)
        self.assertEqual(final, 2 * self.N)
        allv = sorted(v for l in fetched.values() for v in l)
        # Every add saw a distinct previous value: 0 .. 2N-1.
        self.assertEqual(allv, list(range(2 * self.N)))

    def test_cmp_swp_race(self):
        final, fetched, wins = self.race(e.IBV_WR_ATOMIC_CMP_AND_SWP)
        # Every successful swap counted once, none lost.
        self.assertGreaterEqual(sum(wins.values()), 2 * self.N)
        self.assertEqual(final, sum(wins.values()))


def _peer(conn, dev_name):
    """The other process: a responder that receives, then answers."""
    try:
        dev = Device(dev_name, 'MLX5X_TEST_GID')
        s = Side(dev)
        conn.send({'qpn': s.qpn, 'gid': str(dev.gid), 'rkey': s.mr.rkey,
                   'addr': s.mr.buf})
        peer = conn.recv()

        class Remote:
            pass
        r = Remote()
        r.qpn = peer['qpn']
        r.dev = Remote()
        r.dev.gid = dev.ctx.query_gid(1, dev.gid_index)
        # Same device in both processes: the GID is the same one.
        r.dev.port_attr = dev.port_attr
        connect_one(s, r)
        for i in range(4):
            s.qp.post_recv(recv_wr(i, [s.sge(i * 4096, 4096)]))
        conn.send('ready')
        # 4 SENDs from the parent, echoed back with RDMA WRITEs.
        wcs = poll(s.rcq, 4, timeout=TIMEOUT)
        lens = []
        for w in wcs:
            assert w.status == e.IBV_WC_SUCCESS, w.status
            lens.append(w.byte_len)
        conn.send('received')
        target = conn.recv()
        for i, n in enumerate(lens):
            wr = send_wr(i, e.IBV_WR_RDMA_WRITE, [s.sge(i * 4096, n)])
            wr.set_wr_rdma(target['rkey'], target['addr'] + i * 4096)
            s.qp.post_send(wr)
        for w in poll(s.scq, 4, timeout=TIMEOUT):
            assert w.status == e.IBV_WC_SUCCESS, w.status
        conn.send('written')
        conn.recv()   # the parent is done with us
        s.close()
        dev.close()
        conn.send('ok')
    except BaseException:
        conn.send('error: ' + traceback.format_exc())


class TwoProcesses(PairTest):

    def test_two_processes(self):
        """Parent and child each own one QP of the pair (separate verbs
        contexts, separate address spaces)."""
        mp = multiprocessing.get_context('spawn')
        here, there = mp.Pipe()
        child = mp.Process(target=_peer, args=(there, DEV))
        child.start()
        try:
            self.assertTrue(here.poll(TIMEOUT * 3), 'child did not start')
            info = here.recv()
            self.assertIsInstance(info, dict, info)
            a = self.side()
            here.send({'qpn': a.qpn})

            class Remote:
                pass
            r = Remote()
            r.qpn = info['qpn']
            r.dev = Remote()
            r.dev.gid = self.dev.gid
            r.dev.port_attr = self.dev.port_attr
            connect_one(a, r)
            self.assertEqual(here.recv(), 'ready')
            sent = []
            for i in range(4):
                d = os.urandom(100 + 1000 * i)
                a.mr.write(d, len(d), i * 4096)
                a.qp.post_send(send_wr(i, e.IBV_WR_SEND,
                                       [a.sge(i * 4096, len(d))]))
                sent.append(d)
            self.assertOk(poll(a.scq, 4))
            self.assertEqual(here.recv(), 'received')
            # Echo into a different part of our MR.
            base = 65536
            here.send({'rkey': a.mr.rkey, 'addr': a.mr.buf + base})
            self.assertEqual(here.recv(), 'written')
            for i, d in enumerate(sent):
                self.assertEqual(a.mr.read(len(d), base + i * 4096), d)
            here.send('bye')
            self.assertEqual(here.recv(), 'ok')
        finally:
            child.join(TIMEOUT)
            if child.is_alive():
                child.kill()
        self.assertEqual(child.exitcode, 0)


class TwoDevices(PairTest):
    """One QP on MLX5X_TEST_DEV, the other on MLX5X_TEST_DEV2."""

    two_devices = True

    def test_send_write_read(self):
        a, b = self.pair()
        for size in (1, 4096, 100000):
            d = os.urandom(size)
            a.mr.write(d, size, 0)
            b.qp.post_recv(recv_wr(1, [b.sge(0, size)]))
            a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, size)]))
            self.assertOk(poll(a.scq) + poll(b.rcq))
            self.assertEqual(b.mr.read(size, 0), d)
            d = os.urandom(size)
            a.mr.write(d, size, 0)
            wr = send_wr(2, e.IBV_WR_RDMA_WRITE, [a.sge(0, size)])
            wr.set_wr_rdma(b.mr.rkey, b.mr.buf)
            a.qp.post_send(wr)
            self.assertOk(poll(a.scq))
            self.assertEqual(b.mr.read(size, 0), d)
            a.mr.write(b'\0' * size, size, 0)
            wr = send_wr(3, e.IBV_WR_RDMA_READ, [a.sge(0, size)])
            wr.set_wr_rdma(b.mr.rkey, b.mr.buf)
            a.qp.post_send(wr)
            self.assertOk(poll(a.scq))
            self.assertEqual(a.mr.read(size, 0), d)

    def test_atomics(self):
        self.require_atomics()
        self.require_atomics(self.dev2)
        a, b = self.pair()
        b.mr.write(struct.pack('<Q', 41), 8, 0)
        wr = send_wr(1, e.IBV_WR_ATOMIC_FETCH_AND_ADD, [a.sge(0, 8)])
        wr.set_wr_atomic(b.mr.rkey, b.mr.buf, 1, 0)
        a.qp.post_send(wr)
        self.assertOk(poll(a.scq))
        self.assertEqual(struct.unpack('<Q', b.mr.read(8, 0))[0], 42)

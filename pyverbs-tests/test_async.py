# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Affiliated and unaffiliated asynchronous events through the context's
async fd (ibv_get_async_event / ibv_ack_async_event).

  responder access violation (bad rkey)   IBV_EVENT_QP_ACCESS_ERR
  responder invalid request (misaligned   IBV_EVENT_QP_REQ_ERR
    atomic)
  CQ overrun                              IBV_EVENT_CQ_ERR
  netdev down / up                        IBV_EVENT_PORT_ERR / PORT_ACTIVE

Events come in order per context; a test waits for the one it provoked and
fails on a deadline.
"""
import subprocess
import time

import pyverbs.enums as e
from pyverbs.pyverbs_error import PyverbsRDMAError

from base import (DEV, PORT, TIMEOUT, Device, PairTest, deadline, poll,
                  send_wr)


def netdev_of(name):
    """The netdev under NAME's port, from `rdma link`."""
    out = subprocess.run(['rdma', 'link', 'show', '%s/%d' % (name, PORT)],
                         capture_output=True, text=True, check=True).stdout
    words = out.split()
    return words[words.index('netdev') + 1]


def set_link(netdev, up):
    subprocess.run(['ip', 'link', 'set', netdev, 'up' if up else 'down'],
                   check=True)


def global_v6(netdev):
    """The netdev's global IPv6 addresses (prefix form): a link down
    removes them, and with them their GIDs (test_ud's IPv6 case)."""
    out = subprocess.run(['ip', '-6', '-o', 'addr', 'show', 'dev', netdev,
                          'scope', 'global'], capture_output=True,
                         text=True, check=True).stdout
    return [line.split()[3] for line in out.splitlines()]


def restore_v6(netdev, addrs):
    for addr in addrs:
        subprocess.run(['ip', '-6', 'addr', 'replace', addr, 'dev', netdev,
                        'nodad'], check=True)


class AsyncEvents(PairTest):

    def next_event(self, ctx, what, seconds):
        with deadline(seconds, what):
            ev = ctx.get_async_event()
        etype = ev.event_type
        ev.ack()
        return etype

    def expect_event(self, ctx, etype, what):
        """Wait for ETYPE; events of other types seen meanwhile are listed
        in the failure message."""
        end = time.monotonic() + TIMEOUT
        seen = []
        while True:
            left = end - time.monotonic()
            if left <= 0:
                self.fail('%s: no event %d, saw %s' % (what, etype, seen))
            try:
                got = self.next_event(ctx, what, left)
            except PyverbsRDMAError as ex:
                # EINTR of the read when the deadline fires.
                self.fail('%s: no event %d, saw %s (%s)' %
                          (what, etype, seen, ex))
            if got == etype:
                return seen
            seen.append(got)

    def test_qp_access_err(self):
        a, b = self.pair()
        wr = send_wr(1, e.IBV_WR_RDMA_WRITE, [a.sge(0, 64)])
        wr.set_wr_rdma(b.mr.rkey ^ 0x5a5a00, b.mr.buf)
        a.qp.post_send(wr)
        swc, = poll(a.scq)
        self.assertStatus(swc, e.IBV_WC_REM_ACCESS_ERR, 'bad rkey')
        self.expect_event(self.dev.ctx, e.IBV_EVENT_QP_ACCESS_ERR,
                          'responder of a bad rkey')
        self.assertEqual(b.state(), e.IBV_QPS_ERR)

    def test_qp_req_err(self):
        if not self.dev.attr.atomic_caps:
            self.skipTest('no atomics')
        a, b = self.pair()
        wr = send_wr(1, e.IBV_WR_ATOMIC_FETCH_AND_ADD, [a.sge(0, 8)])
        wr.set_wr_atomic(b.mr.rkey, b.mr.buf + 4, 1, 0)
        a.qp.post_send(wr)
        swc, = poll(a.scq)
        self.assertStatus(swc, e.IBV_WC_REM_INV_REQ_ERR, 'misaligned atomic')
        self.expect_event(self.dev.ctx, e.IBV_EVENT_QP_REQ_ERR,
                          'responder of a misaligned atomic')

    def test_cq_overrun(self):
        a, b = self.pair(a_kw=dict(cqe=4, send_wr=64))
        n = a.scq.cqe + 4
        for i in range(n):
            wr = send_wr(i, e.IBV_WR_RDMA_WRITE, [a.sge(0, 8)])
            wr.set_wr_rdma(b.mr.rkey, b.mr.buf)
            a.qp.post_send(wr)
        # Nobody polls: the CQ overflows.
        self.expect_event(self.dev.ctx, e.IBV_EVENT_CQ_ERR, 'CQ overrun')

    def test_port_down_up(self):
        netdev = netdev_of(DEV)
        # A context of its own: only port events on it.
        dev = Device(DEV, 'MLX5X_TEST_GID')
        self.devs.append(dev)
        v6 = global_v6(netdev)
        try:
            set_link(netdev, False)
            self.expect_event(dev.ctx, e.IBV_EVENT_PORT_ERR, 'link down')
            self.assertEqual(dev.ctx.query_port(PORT).state,
                             e.IBV_PORT_DOWN)
        finally:
            set_link(netdev, True)
            restore_v6(netdev, v6)
        self.expect_event(dev.ctx, e.IBV_EVENT_PORT_ACTIVE, 'link up')
        self.assertEqual(dev.ctx.query_port(PORT).state, e.IBV_PORT_ACTIVE)
        # And the data path still works after the flap.
        a, b = self.pair()
        wr = send_wr(1, e.IBV_WR_RDMA_WRITE, [a.sge(0, 8)])
        wr.set_wr_rdma(b.mr.rkey, b.mr.buf)
        a.qp.post_send(wr)
        self.assertOk(poll(a.scq))

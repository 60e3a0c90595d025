# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Completion events: ibv_req_notify_cq + completion channel, solicited."""
import pyverbs.enums as e

from base import PairTest, TIMEOUT, deadline, poll, recv_wr, send_wr


class CQEvents(PairTest):

    def wait_event(self, side, cq):
        with deadline(TIMEOUT, 'completion event'):
            side.channel.get_cq_event(cq)
        cq.ack_events(1)

    def test_event_per_arm(self):
        a, b = self.pair(a_kw={'channel': True}, b_kw={'channel': True})
        for i in range(20):
            a.scq.req_notify()
            b.rcq.req_notify()
            b.qp.post_recv(recv_wr(i, [b.sge(0, 4096)]))
            a.mr.write(bytes([i]) * 100, 100, 0)
            a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, 100)]))
            self.wait_event(a, a.scq)
            self.wait_event(b, b.rcq)
            # The event comes after the CQE is visible.
            swc, = poll(a.scq)
            rwc, = poll(b.rcq)
            self.assertOk([swc, rwc])
            self.assertEqual((swc.wr_id, rwc.wr_id), (i, i))
            self.assertEqual(b.mr.read(100, 0), bytes([i]) * 100)

    def test_arm_with_cqe_already_there(self):
        """Arming after a CQE arrived does not lose the next one's event."""
        a, b = self.pair(a_kw={'channel': True})
        b.qp.post_recv(recv_wr(1, [b.sge(0, 64)]))
        b.qp.post_recv(recv_wr(2, [b.sge(0, 64)]))
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 8)]))
        self.assertOk(poll(a.scq))
        a.scq.req_notify()
        a.qp.post_send(send_wr(2, e.IBV_WR_SEND, [a.sge(0, 8)]))
        self.wait_event(a, a.scq)
        self.assertOk(poll(a.scq))
        self.assertOk(poll(b.rcq, 2))

    def test_solicited(self):
        """solicited_only: unsolicited SENDs complete without an event; the
        SEND with IBV_SEND_SOLICITED raises one."""
        a, b = self.pair(b_kw={'channel': True})
        for i in range(3):
            b.qp.post_recv(recv_wr(i, [b.sge(i * 64, 64)]))
        b.rcq.req_notify(solicited_only=1)
        a.qp.post_send(send_wr(0, e.IBV_WR_SEND, [a.sge(0, 8)]))
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 8)]))
        self.assertOk(poll(a.scq, 2))
        self.assertOk(poll(b.rcq, 2))
        a.qp.post_send(send_wr(2, e.IBV_WR_SEND_WITH_IMM, [a.sge(0, 8)],
                               flags=e.IBV_SEND_SIGNALED | e.IBV_SEND_SOLICITED,
                               imm=7))
        self.wait_event(b, b.rcq)
        rwc, = poll(b.rcq)
        self.assertOk([rwc])
        self.assertEqual((rwc.wr_id, rwc.imm_data), (2, 7))
        self.assertOk(poll(a.scq))

    def test_error_completion_raises_event(self):
        """An error CQE raises the event even when armed solicited-only
        (IBA Request Completion Notification: "the next solicited or
        unsuccessful completion"; mlx5 does). rxe (6.1) deviates: it only signals solicited CQEs, so
        this test fails there."""
        a, b = self.pair(a_kw={'channel': True}, a_attrs={'rnr_retry': 0})
        a.scq.req_notify(solicited_only=1)
        a.qp.post_send(send_wr(1, e.IBV_WR_SEND, [a.sge(0, 8)]))
        self.wait_event(a, a.scq)
        wc, = poll(a.scq)
        self.assertStatus(wc, e.IBV_WC_RNR_RETRY_EXC_ERR)

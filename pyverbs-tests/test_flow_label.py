# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Flow labels wider than the GRH's 20 bits (UCX passes ~0 for RoCE).

An AH and an RC path with flow_label 0xffffffff are accepted, as ConnectX and
rxe accept them: the bits above 20 are dropped, the GRH of a UD message over
an IPv6 GID carries 0xfffff and query_qp reports 0xfffff for the RC path.
"""
import struct

import pyverbs.enums as e
from pyverbs.addr import AHAttr, GlobalRoute
from pyverbs.qp import QPAttr

from base import PORT, connect_one, poll, recv_wr, send_wr
from test_ud import GRH_LEN, UDTest, find_gid

FLOW_ALL = 0xffffffff
FLOW_MAX = 0xfffff


class FlowLabel(UDTest):

    def test_ud_ah_flow_label_all_ones(self):
        idx = find_gid(self.dev.ctx, v4=False)
        if idx is None:
            self.skipTest('%s has no RoCE v2 IPv6 global GID' % self.dev.name)
        gid = self.dev.ctx.query_gid(PORT, idx)
        a = self.ud_side()
        b = self.ud_side()
        ah = self.ah(gid, sgid_index=idx, tclass=0x10, flow=FLOW_ALL)
        data = b'flow label' * 7
        a.mr.write(data, len(data), 0)
        self.post_recv(b, 0, GRH_LEN + 256)
        self.ud_send(a, ah, b.qpn, 0, len(data))
        self.assertOk(poll(a.scq))
        wc = poll(b.rcq)[0]
        self.assertOk([wc])
        self.check_recv(wc, a, len(data))
        raw = b.mr.read(GRH_LEN + len(data), 0)
        self.assertEqual(raw[GRH_LEN:], data)
        vtf = struct.unpack('!I', raw[0:4])[0]
        self.assertEqual(vtf >> 28, 6, 'IP version')
        self.assertEqual((vtf >> 20) & 0xff, 0x10, 'traffic class')
        self.assertEqual(vtf & 0xfffff, FLOW_MAX, 'flow label')

    def test_rc_path_flow_label_all_ones(self):
        a, b = self.side(), self.side()
        dev = self.dev
        attr = QPAttr(qp_state=e.IBV_QPS_INIT)
        attr.port_num = PORT
        attr.pkey_index = 0
        attr.qp_access_flags = e.IBV_ACCESS_LOCAL_WRITE
        a.qp.to_init(attr)
        gr = GlobalRoute(dgid=dev.gid, sgid_index=dev.gid_index)
        gr.hop_limit = 64
        gr.flow_label = FLOW_ALL
        attr = QPAttr(qp_state=e.IBV_QPS_RTR)
        attr.ah_attr = AHAttr(gr=gr, is_global=1, port_num=PORT)
        attr.path_mtu = dev.port_attr.active_mtu
        attr.dest_qp_num = b.qpn
        attr.rq_psn = 0x1000
        attr.max_dest_rd_atomic = 1
        attr.min_rnr_timer = 1
        a.qp.to_rtr(attr)
        attr = QPAttr(qp_state=e.IBV_QPS_RTS)
        attr.timeout = 14
        attr.retry_cnt = 7
        attr.rnr_retry = 7
        attr.sq_psn = 0x1000
        attr.max_rd_atomic = 1
        a.qp.to_rts(attr)
        connect_one(b, a)
        qattr, _ = a.qp.query(e.IBV_QP_AV)
        self.assertEqual(qattr.ah_attr.flow_label, FLOW_MAX)
        # The path works: a SEND over it arrives.
        data = b'rc with a wide flow label'
        a.mr.write(data, len(data), 0)
        b.qp.post_recv(recv_wr(7, [b.sge(4096, 256)]))
        a.qp.post_send(send_wr(8, e.IBV_WR_SEND, [a.sge(0, len(data))]))
        self.assertOk(poll(a.scq))
        self.assertOk(poll(b.rcq))
        self.assertEqual(b.mr.read(len(data), 4096), data)


# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""ibv_query_device_ex against ibv_query_device, and nothing claimed that
the device does not do; ibv_query_qp returns every attribute that
ibv_modify_qp set."""
import pyverbs.enums as e
from pyverbs.addr import AHAttr, GlobalRoute
from pyverbs.qp import QPAttr

from base import PORT, PairTest, poll, recv_wr, send_wr

RATE_10_GBPS = 3        # enum ibv_rate (pyverbs 44 does not export it)


def fields(obj):
    """The plain values a pyverbs attribute object shows."""
    out = {}
    for name in dir(obj):
        if name.startswith('_'):
            continue
        try:
            val = getattr(obj, name)
        except Exception:       # noqa: BLE001 (a getter pyverbs lacks)
            continue
        if isinstance(val, (int, str, bytes)):
            out[name] = val
    return out


class QueryDevice(PairTest):

    def test_ex_matches_base(self):
        ctx = self.dev.ctx
        base = fields(ctx.query_device())
        ex = ctx.query_device_ex()
        self.assertGreater(len(base), 20)
        self.assertEqual(fields(ex.orig_attr), base)
        self.assertEqual(ex.device_cap_flags_ex & 0xffffffff,
                         base['device_cap_flags'])
        self.assertEqual(ex.phys_port_cnt_ex, base['phys_port_cnt'])

    def test_ex_unsupported_is_zero(self):
        """No ODP, TSO, RSS, WQs, raw packet, tag matching, CQ moderation,
        device memory, PCI atomics, packet pacing, timestamps."""
        ex = self.dev.ctx.query_device_ex()
        for name in ('completion_timestamp_mask', 'hca_core_clock',
                     'max_wq_type_rq', 'raw_packet_caps', 'max_dm_size'):
            self.assertEqual(getattr(ex, name), 0, name)
        for name in ('odp_caps', 'tso_caps', 'rss_caps', 'tm_caps',
                     'cq_mod_caps', 'pci_atomic_caps', 'packet_pacing_caps'):
            for k, v in fields(getattr(ex, name)).items():
                if isinstance(v, int):
                    self.assertEqual(v, 0, '%s.%s' % (name, k))
        # Extended flags above bit 31 describe features mlx5x lacks.
        self.assertEqual(ex.device_cap_flags_ex >> 32, 0)

    def test_base_claims(self):
        """Objects the device does not implement are counted as zero, and
        a count is there only with what it counts."""
        a = self.dev.attr
        for name in ('max_mcast_grp', 'max_ee', 'max_rdd', 'max_fmr'):
            self.assertEqual(getattr(a, name), 0, name)
        for flag in ('IBV_DEVICE_UD_AV_PORT_ENFORCE',
                     'IBV_DEVICE_AUTO_PATH_MIG', 'IBV_DEVICE_XRC',
                     'IBV_DEVICE_MEM_MGT_EXTENSIONS'):
            self.assertFalse(a.device_cap_flags & getattr(e, flag), flag)
        self.assertEqual(bool(a.max_mw),
                         bool(a.device_cap_flags & e.IBV_DEVICE_MEM_WINDOW),
                         'max_mw without MEM_WINDOW (or the reverse)')
        self.assertEqual(bool(a.max_srq), bool(a.max_srq_wr), 'max_srq_wr')
        self.assertEqual(bool(a.max_srq), bool(a.max_srq_sge), 'max_srq_sge')
        if not a.max_srq:
            self.assertFalse(a.device_cap_flags & e.IBV_DEVICE_SRQ_RESIZE)
        self.assertEqual(a.phys_port_cnt, 1)
        # UD QPs with address handles in user memory: no limit but memory.
        self.assertGreater(a.max_ah, 0, 'max_ah (UD is offered)')
        # What it does do: RNR NAKs (test_errors.py), QP state checks.
        for flag in ('IBV_DEVICE_RC_RNR_NAK_GEN',
                     'IBV_DEVICE_CURR_QP_STATE_MOD',
                     'IBV_DEVICE_PORT_ACTIVE_EVENT'):
            self.assertTrue(a.device_cap_flags & getattr(e, flag), flag)


class QueryQP(PairTest):
    """Every attribute set through modify_qp comes back through query_qp."""

    def query(self, side):
        attr, init = side.qp.query(0x1fffff)
        return attr, init

    def test_round_trip(self):
        a = self.side(send_wr=10, recv_wr=5, send_sge=3, recv_sge=2,
                      inline=60)
        b = self.side()
        cap = a.cap()
        self.assertGreaterEqual((cap.max_send_wr, cap.max_recv_wr,
                                 cap.max_send_sge, cap.max_recv_sge,
                                 cap.max_inline_data), (10, 5, 3, 2, 60))
        dev = self.dev
        rd = min(3, dev.attr.max_qp_rd_atom, dev.attr.max_qp_init_rd_atom)

        attr, init = self.query(a)
        self.assertEqual(attr.qp_state, e.IBV_QPS_RESET)

        access = e.IBV_ACCESS_REMOTE_WRITE | e.IBV_ACCESS_REMOTE_READ
        if dev.attr.atomic_caps != e.IBV_ATOMIC_NONE:
            access |= e.IBV_ACCESS_REMOTE_ATOMIC
        attr = QPAttr(qp_state=e.IBV_QPS_INIT)
        attr.port_num = PORT
        attr.pkey_index = 0
        attr.qp_access_flags = access
        a.qp.to_init(attr)
        attr, init = self.query(a)
        self.assertEqual((attr.qp_state, attr.port_num, attr.pkey_index,
                          attr.qp_access_flags),
                         (e.IBV_QPS_INIT, PORT, 0, access))

        gr = GlobalRoute(dgid=dev.gid, sgid_index=dev.gid_index)
        gr.hop_limit = 17
        gr.traffic_class = 0x28
        gr.flow_label = 0x12345
        ah = AHAttr(gr=gr, is_global=1, port_num=PORT, sl=3,
                    static_rate=RATE_10_GBPS)
        mtu = min(e.IBV_MTU_1024, dev.port_attr.active_mtu)
        attr = QPAttr(qp_state=e.IBV_QPS_RTR)
        attr.ah_attr = ah
        attr.path_mtu = mtu
        attr.dest_qp_num = b.qpn
        attr.rq_psn = 0x123456
        attr.max_dest_rd_atomic = rd
        attr.min_rnr_timer = 12
        a.qp.to_rtr(attr)
        attr = QPAttr(qp_state=e.IBV_QPS_RTS)
        attr.timeout = 17
        attr.retry_cnt = 5
        attr.rnr_retry = 6
        attr.sq_psn = 0x654321
        attr.max_rd_atomic = rd
        a.qp.to_rts(attr)

        attr, init = self.query(a)
        got = dict(qp_state=attr.qp_state, cur_qp_state=attr.cur_qp_state,
                   path_mtu=attr.path_mtu, dest_qp_num=attr.dest_qp_num,
                   rq_psn=attr.rq_psn, sq_psn=attr.sq_psn,
                   max_dest_rd_atomic=attr.max_dest_rd_atomic,
                   max_rd_atomic=attr.max_rd_atomic,
                   min_rnr_timer=attr.min_rnr_timer, timeout=attr.timeout,
                   retry_cnt=attr.retry_cnt, rnr_retry=attr.rnr_retry,
                   qp_access_flags=attr.qp_access_flags,
                   port_num=attr.port_num, pkey_index=attr.pkey_index,
                   path_mig_state=attr.path_mig_state,
                   sq_draining=attr.sq_draining)
        self.assertEqual(got, dict(
            qp_state=e.IBV_QPS_RTS, cur_qp_state=e.IBV_QPS_RTS,
            path_mtu=mtu, dest_qp_num=b.qpn, rq_psn=0x123456,
            sq_psn=0x654321, max_dest_rd_atomic=rd, max_rd_atomic=rd,
            min_rnr_timer=12, timeout=17, retry_cnt=5, rnr_retry=6,
            qp_access_flags=access, port_num=PORT, pkey_index=0,
            path_mig_state=e.IBV_MIG_MIGRATED, sq_draining=0))
        ah = attr.ah_attr
        self.assertEqual((ah.is_global, ah.port_num, ah.sl, ah.dlid,
                          ah.src_path_bits, ah.static_rate),
                         (1, PORT, 3, 0, 0, RATE_10_GBPS))
        # ib_core (ib_resolve_unicast_gid_dmac) replaces a RoCE v2 hop
        # limit with the IP route's before the driver sees it: here the
        # default TTL of an IPv4 route.
        with open('/proc/sys/net/ipv4/ip_default_ttl') as f:
            ttl = int(f.read())
        self.assertEqual((str(ah.dgid), ah.sgid_index, ah.hop_limit,
                          ah.traffic_class, ah.flow_label),
                         (str(dev.gid), dev.gid_index, ttl, 0x28, 0x12345))
        for c in (attr.cap, init.cap):
            self.assertEqual((c.max_send_wr, c.max_recv_wr, c.max_send_sge,
                              c.max_recv_sge, c.max_inline_data),
                             (cap.max_send_wr, cap.max_recv_wr,
                              cap.max_send_sge, cap.max_recv_sge,
                              cap.max_inline_data))
        self.assertEqual(init.qp_type, e.IBV_QPT_RC)
        self.assertEqual(init.sq_sig_all, 1)

        # RTS -> RTS changes what it may.
        attr = QPAttr()
        attr.qp_access_flags = e.IBV_ACCESS_REMOTE_WRITE
        attr.min_rnr_timer = 3
        a.qp.modify(attr, e.IBV_QP_ACCESS_FLAGS | e.IBV_QP_MIN_RNR_TIMER)
        attr, _ = self.query(a)
        self.assertEqual((attr.qp_state, attr.qp_access_flags,
                          attr.min_rnr_timer, attr.timeout),
                         (e.IBV_QPS_RTS, e.IBV_ACCESS_REMOTE_WRITE, 3, 17))

    def test_psns_after_traffic(self):
        """sq_psn/rq_psn read back as set before traffic, and move on
        (never backwards) after it, as the device sends and receives."""
        a, b = self.pair()
        pa, _ = self.query(a)
        pb, _ = self.query(b)
        self.assertEqual((pa.sq_psn, pa.rq_psn, pb.sq_psn, pb.rq_psn),
                         (0x1000, 0x1000, 0x1000, 0x1000))
        for i in range(3):
            b.qp.post_recv(recv_wr(i, [b.sge(0, 64)]))
            a.qp.post_send(send_wr(i, e.IBV_WR_SEND, [a.sge(0, 64)]))
        self.assertOk(poll(a.scq, 3))
        self.assertOk(poll(b.rcq, 3))
        qa, _ = self.query(a)
        qb, _ = self.query(b)
        self.assertGreaterEqual(qa.sq_psn, 0x1000)
        self.assertGreaterEqual(qb.rq_psn, 0x1000)
        self.assertEqual(qa.sq_psn, qb.rq_psn)

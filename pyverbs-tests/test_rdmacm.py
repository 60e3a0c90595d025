# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""rdma_cm (pyverbs.cmid) on the device under test, IPv4 and IPv6.

Both sides live in this process, each on its own event channel, so that
every wait is for an event that is due. The addresses are the device's
own: the IPv4 of its first IPv4-mapped RoCE v2 GID, the IPv6 of its first
global IPv6 GID (192.0.2.1 and 2001:db8::1 on the VM's dummy0), or
MLX5X_TEST_ADDR4 / MLX5X_TEST_ADDR6. Each side's cm_id must be bound to
the device under test (rdma_cm picks the device by address: the tests
skip when another RDMA device sits on the same netdev, because that choice
is then not the test's).

RC (RDMA_PS_TCP): connect with private data carrying each side's MR
address and rkey, a SEND each way, an RDMA WRITE and an RDMA READ, data
checked; a disconnect and the peer's reply give DISCONNECTED on both
sides. UD (RDMA_PS_UDP):
SIDR resolution (the peer's QPN and Q_Key, an AH from the UD parameters),
a datagram each way (the reply through ibv_create_ah_from_wc). Errors: a
connect to a port nobody listens on (REJECTED or UNREACHABLE), a reject
with private data, an address no route leads to, a bind to an address
that is not local.
"""
import errno
import ipaddress
import itertools
import os
import struct
import unittest

import pyverbs.cm_enums as ce
import pyverbs.enums as e
from pyverbs.addr import AH
from pyverbs.cmid import AddrInfo, CMEvent, CMEventChannel, CMID, \
    ConnParam, UDParam
from pyverbs.mr import MR
from pyverbs.pyverbs_error import PyverbsRDMAError
from pyverbs.qp import QPCap, QPInitAttr

from base import DEV, PORT, TIMEOUT, deadline, status_name

GRH_LEN = 40
RDMA_UDP_QKEY = 0x01234567
MAGIC = b'mlx5xcm1'
# Private data: magic, MR address, rkey, length.
PRIV = struct.Struct('<8sQII')
_ports = itertools.count(7900)

EVENT = {getattr(ce, n): n for n in dir(ce) if n.startswith('RDMA_CM_EVENT_')}
SYS = '/sys/class/infiniband'


def netdev_of(dev):
    try:
        with open('%s/%s/ports/%d/gid_attrs/ndevs/0' % (SYS, dev, PORT)) as f:
            return f.read().strip()
    except OSError:
        return None


def dev_addrs(dev):
    """(IPv4, IPv6) of the device's RoCE v2 GIDs (None where it has none)."""
    v4 = os.environ.get('MLX5X_TEST_ADDR4')
    v6 = os.environ.get('MLX5X_TEST_ADDR6')
    gids = '%s/%s/ports/%d/gids' % (SYS, dev, PORT)
    for idx in sorted(os.listdir(gids), key=int):
        try:
            with open('%s/%s' % (gids, idx)) as f:
                addr = ipaddress.IPv6Address(f.read().strip())
            with open('%s/%s/ports/%d/gid_attrs/types/%s' % (
                    SYS, dev, PORT, idx)) as f:
                if 'v2' not in f.read():
                    continue
        except (OSError, ValueError):
            continue
        if addr.ipv4_mapped:
            v4 = v4 or str(addr.ipv4_mapped)
        elif not addr.is_link_local and not addr.is_unspecified:
            v6 = v6 or str(addr)
    return v4, v6


class CMTest(unittest.TestCase):
    """A passive and an active side, each on its own event channel."""

    def setUp(self):
        ndev = netdev_of(DEV)
        if ndev is None:
            self.fail('%s has no netdev on port %d' % (DEV, PORT))
        others = sorted(d for d in os.listdir(SYS)
                        if d != DEV and netdev_of(d) == ndev)
        if others:
            self.skipTest('%s: %s is on it too, rdma_cm would choose the '
                          'device, not the test' % (ndev, ', '.join(others)))
        self.addr4, self.addr6 = dev_addrs(DEV)
        self.objs = []
        self.srv_ch = self.keep(CMEventChannel())
        self.cli_ch = self.keep(CMEventChannel())

    def tearDown(self):
        # MRs and AHs first, then the cm_ids (their QPs and CQs), then
        # the channels.
        for o in reversed(self.objs):
            if isinstance(o, (MR, AH)):
                o.close()
        for o in reversed(self.objs):
            if isinstance(o, CMID):
                o.close()
        for o in reversed(self.objs):
            o.close()

    def keep(self, obj):
        self.objs.append(obj)
        return obj

    def addr(self, family):
        a = self.addr4 if family == 4 else self.addr6
        if a is None:
            self.skipTest('%s has no IPv%d RoCE v2 GID' % (DEV, family))
        return a

    def event(self, ch, want, what):
        """The next event on CH, which must be WANT (one or a tuple)."""
        want = want if isinstance(want, tuple) else (want,)
        with deadline(TIMEOUT, what):
            ev = CMEvent(ch)
        if ev.event_type not in want:
            got = EVENT.get(ev.event_type, ev.event_type)
            ev.close()
            self.fail('%s: expected %s, got %s' % (
                what, '/'.join(EVENT[w] for w in want), got))
        return ev

    def listen(self, addr, port, ps):
        lid = self.keep(CMID(self.srv_ch, port_space=ps))
        lid.bind_addr(AddrInfo(src=addr, src_service=str(port),
                               port_space=ps, flags=ce.RAI_PASSIVE))
        self.assertEqual(lid.dev_name, DEV, 'listener bound to %s' % addr)
        lid.listen()
        return lid

    def resolve(self, addr, port, ps):
        """An active cm_id with its address and route resolved."""
        cid = self.keep(CMID(self.cli_ch, port_space=ps))
        cid.resolve_addr(AddrInfo(dst=addr, dst_service=str(port),
                                  port_space=ps), int(TIMEOUT * 1000))
        self.event(self.cli_ch, ce.RDMA_CM_EVENT_ADDR_RESOLVED,
                   'resolve %s' % addr).close()
        cid.resolve_route(int(TIMEOUT * 1000))
        self.event(self.cli_ch, ce.RDMA_CM_EVENT_ROUTE_RESOLVED,
                   'route to %s' % addr).close()
        self.assertEqual(cid.dev_name, DEV, 'active side resolved %s' % addr)
        return cid

    def request(self, lid, what):
        """The passive cm_id of the next connection request on LID, and
        the request's private data."""
        ev = self.event(self.srv_ch, ce.RDMA_CM_EVENT_CONNECT_REQUEST, what)
        conn = self.keep(CMID(ev, listen_id=lid))
        data = ev.private_data
        ev.close()
        self.assertEqual(conn.dev_name, DEV, 'passive side')
        return conn, data

    def mr(self, cid, size, access=e.IBV_ACCESS_LOCAL_WRITE):
        return self.keep(MR(cid.pd, size, access))

    def comp(self, cid, recv, what):
        with deadline(TIMEOUT, what):
            wc = cid.get_recv_comp() if recv else cid.get_send_comp()
        self.assertIsNotNone(wc, what)
        self.assertEqual(wc.status, e.IBV_WC_SUCCESS, '%s: %s (vendor_err %#x)'
                         % (what, status_name(wc.status), wc.vendor_err))
        return wc


def qp_init(qp_type):
    """A fresh QPInitAttr for each QP: rdma_create_qp() writes the CQs it
    created back into the attributes, and a second QP created from them
    would share the first one's CQs (its own cm_id getting none)."""
    return QPInitAttr(qp_type=qp_type, cap=QPCap(
        max_send_wr=8, max_recv_wr=8, max_send_sge=1, max_recv_sge=1))


def pattern(seed, n):
    return bytes((seed + i * 7) & 0xff for i in range(n))


def conn_param(mr, n):
    p = ConnParam(data_len=PRIV.size)
    p.set_private_data(PRIV.pack(MAGIC, mr.buf, mr.rkey, n))
    return p


def peer_mr(data, what):
    magic, addr, rkey, n = PRIV.unpack_from(data)
    if magic != MAGIC:
        raise AssertionError('%s: private data %r' % (what, data[:PRIV.size]))
    return addr, rkey, n


class RCTest(CMTest):
    SIZE = 5000  # more than one 4 KiB MTU, not a multiple of it

    def rc(self, family):
        n = self.SIZE
        addr = self.addr(family)
        port = next(_ports)
        access = (e.IBV_ACCESS_LOCAL_WRITE | e.IBV_ACCESS_REMOTE_WRITE |
                  e.IBV_ACCESS_REMOTE_READ)
        lid = self.listen(addr, port, ce.RDMA_PS_TCP)
        cli = self.resolve(addr, port, ce.RDMA_PS_TCP)
        cli.create_qp(qp_init(e.IBV_QPT_RC))
        c_recv, c_send = self.mr(cli, n), self.mr(cli, n)
        c_rdma = self.mr(cli, n, access)
        c_rdma.write(pattern(0x40, n), n, 0)
        cli.post_recv(c_recv, n)
        cli.connect(conn_param(c_rdma, n))

        srv, data = self.request(lid, 'connection request to %s' % addr)
        c_addr, c_rkey, c_len = peer_mr(data, 'connect private data')
        self.assertEqual((c_addr, c_rkey, c_len), (c_rdma.buf, c_rdma.rkey, n))
        srv.create_qp(qp_init(e.IBV_QPT_RC))
        s_recv, s_send = self.mr(srv, n), self.mr(srv, n)
        s_rdma = self.mr(srv, n, access)
        s_rdma.write(b'\0' * n, n, 0)
        srv.post_recv(s_recv, n)
        srv.accept(conn_param(s_rdma, n))
        ev = self.event(self.cli_ch, ce.RDMA_CM_EVENT_ESTABLISHED,
                        'active side established')
        s_addr, s_rkey, _ = peer_mr(ev.private_data, 'accept private data')
        ev.close()
        self.assertEqual((s_addr, s_rkey), (s_rdma.buf, s_rdma.rkey))
        self.event(self.srv_ch, ce.RDMA_CM_EVENT_ESTABLISHED,
                   'passive side established').close()
        self.assertIsNotNone(srv.qpn)
        self.assertIsNotNone(cli.qpn)

        # A SEND each way.
        c_send.write(pattern(1, n), n, 0)
        cli.post_send(c_send, e.IBV_SEND_SIGNALED, n)
        self.comp(cli, False, 'client SEND')
        wc = self.comp(srv, True, 'server receive')
        self.assertEqual(wc.byte_len, n)
        self.assertEqual(s_recv.read(n, 0), pattern(1, n))
        s_send.write(pattern(2, n), n, 0)
        srv.post_send(s_send, e.IBV_SEND_SIGNALED, n)
        self.comp(srv, False, 'server SEND')
        wc = self.comp(cli, True, 'client receive')
        self.assertEqual(wc.byte_len, n)
        self.assertEqual(c_recv.read(n, 0), pattern(2, n))
        # An RDMA WRITE into the server's MR (acknowledged, so placed).
        c_send.write(pattern(3, n), n, 0)
        cli.post_write(c_send, n, s_addr, s_rkey, e.IBV_SEND_SIGNALED)
        wc = self.comp(cli, False, 'client RDMA WRITE')
        self.assertEqual(wc.opcode, e.IBV_WC_RDMA_WRITE)
        self.assertEqual(s_rdma.read(n, 0), pattern(3, n))
        # An RDMA READ of the client's MR by the server.
        s_recv.write(b'\0' * n, n, 0)
        srv.post_read(s_recv, n, c_addr, c_rkey, e.IBV_SEND_SIGNALED)
        wc = self.comp(srv, False, 'server RDMA READ')
        self.assertEqual(wc.opcode, e.IBV_WC_RDMA_READ)
        self.assertEqual(s_recv.read(n, 0), pattern(0x40, n))

        # DREQ, then the passive side's DREP (its own disconnect).
        cli.disconnect()
        self.event(self.srv_ch, ce.RDMA_CM_EVENT_DISCONNECTED,
                   'passive side disconnected').close()
        srv.disconnect()
        self.event(self.cli_ch, ce.RDMA_CM_EVENT_DISCONNECTED,
                   'active side disconnected').close()

    def test_rc_ipv4(self):
        self.rc(4)

    def test_rc_ipv6(self):
        self.rc(6)


class UDTest(CMTest):
    SIZE = 512

    def ud(self, family):
        n = self.SIZE
        addr = self.addr(family)
        port = next(_ports)
        lid = self.listen(addr, port, ce.RDMA_PS_UDP)
        cli = self.resolve(addr, port, ce.RDMA_PS_UDP)
        cli.create_qp(qp_init(e.IBV_QPT_UD))
        c_recv, c_send = self.mr(cli, GRH_LEN + n), self.mr(cli, n)
        cli.post_recv(c_recv, GRH_LEN + n)
        cli.connect(ConnParam())

        srv, _ = self.request(lid, 'SIDR request to %s' % addr)
        srv.create_qp(qp_init(e.IBV_QPT_UD))
        s_recv, s_send = self.mr(srv, GRH_LEN + n), self.mr(srv, n)
        srv.post_recv(s_recv, GRH_LEN + n)
        srv.accept(ConnParam())
        ev = self.event(self.cli_ch, ce.RDMA_CM_EVENT_ESTABLISHED,
                        'SIDR reply')
        ud = UDParam(ev)
        rqpn, qkey, ah_attr = ud.qp_num, ud.qkey, ud.ah_attr
        ev.close()
        self.assertEqual(rqpn, srv.qpn)
        self.assertEqual(qkey, RDMA_UDP_QKEY)
        ah = self.keep(AH(cli.pd, attr=ah_attr))

        c_send.write(pattern(5, n), n, 0)
        cli.post_ud_send(c_send, ah, rqpn, e.IBV_SEND_SIGNALED, n)
        self.comp(cli, False, 'client UD SEND')
        wc = self.comp(srv, True, 'server UD receive')
        self.assertEqual(wc.byte_len, GRH_LEN + n)
        self.assertEqual(wc.src_qp, cli.qpn)
        self.assertTrue(wc.wc_flags & e.IBV_WC_GRH)
        self.assertEqual(s_recv.read(n, GRH_LEN), pattern(5, n))
        # The reply, addressed from the received datagram.
        reply = self.keep(AH(srv.pd, wc=wc, grh=s_recv.buf, port_num=PORT))
        s_send.write(pattern(6, n), n, 0)
        srv.post_ud_send(s_send, reply, wc.src_qp, e.IBV_SEND_SIGNALED, n)
        self.comp(srv, False, 'server UD SEND')
        wc = self.comp(cli, True, 'client UD receive')
        self.assertEqual(wc.byte_len, GRH_LEN + n)
        self.assertEqual(wc.src_qp, srv.qpn)
        self.assertEqual(c_recv.read(n, GRH_LEN), pattern(6, n))

    def test_ud_ipv4(self):
        self.ud(4)

    def test_ud_ipv6(self):
        self.ud(6)


class CMErrors(CMTest):

    def test_connect_no_listener(self):
        """A REQ to a port nobody listens on is refused, not lost."""
        addr = self.addr(4)
        cli = self.resolve(addr, next(_ports), ce.RDMA_PS_TCP)
        cli.create_qp(qp_init(e.IBV_QPT_RC))
        cli.connect(ConnParam())
        self.event(self.cli_ch, (ce.RDMA_CM_EVENT_REJECTED,
                                 ce.RDMA_CM_EVENT_UNREACHABLE),
                   'connect to a port nobody listens on').close()

    def test_reject_private_data(self):
        addr = self.addr(6)
        port = next(_ports)
        lid = self.listen(addr, port, ce.RDMA_PS_TCP)
        cli = self.resolve(addr, port, ce.RDMA_PS_TCP)
        cli.create_qp(qp_init(e.IBV_QPT_RC))
        cli.connect(ConnParam())
        srv, _ = self.request(lid, 'connection request')
        srv.reject(b'go away')
        ev = self.event(self.cli_ch, ce.RDMA_CM_EVENT_REJECTED, 'reject')
        data = ev.private_data
        ev.close()
        self.assertEqual(data[:7], b'go away')

    def test_no_route(self):
        """198.51.100.1 (TEST-NET-2): no route, no device: ADDR_ERROR (or
        an error at once)."""
        self.addr(4)  # the device has an IPv4 address, the route is missing
        cid = self.keep(CMID(self.cli_ch))
        try:
            cid.resolve_addr(AddrInfo(dst='198.51.100.1', dst_service='1',
                                      port_space=ce.RDMA_PS_TCP), 2000)
        except PyverbsRDMAError as ex:
            self.assertIn(ex.error_code, (errno.ENETUNREACH,
                                          errno.EHOSTUNREACH, errno.ENODEV,
                                          errno.EADDRNOTAVAIL))
            return
        self.event(self.cli_ch, ce.RDMA_CM_EVENT_ADDR_ERROR,
                   'resolve an unroutable address').close()

    def test_bind_not_local(self):
        """An address of the device's subnet that is not the device's."""
        net = ipaddress.ip_network(self.addr(4) + '/24', strict=False)
        other = str(net.network_address + 77)
        cid = self.keep(CMID(self.srv_ch))
        with self.assertRaises(PyverbsRDMAError) as cm:
            cid.bind_addr(AddrInfo(src=other, src_service='1',
                                   port_space=ce.RDMA_PS_TCP,
                                   flags=ce.RAI_PASSIVE))
        self.assertEqual(cm.exception.error_code, errno.EADDRNOTAVAIL)

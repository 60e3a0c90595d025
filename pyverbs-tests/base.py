# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Shared helpers for the mlx5x RC data-path tests (python3-pyverbs 44).

The device under test comes from the environment, so that the same suite
runs against rxe0 before mlx5x has a data path:

  MLX5X_TEST_DEV     device name (default mlx5x_0)
  MLX5X_TEST_GID     GID index (default: the RoCE v2 IPv4-mapped GID)
  MLX5X_TEST_DEV2    a second device for the two-device tests (else skipped)
  MLX5X_TEST_GID2    its GID index (default as above)
  MLX5X_TEST_TIMEOUT seconds to wait for a completion (default 20; TCG is slow)

An RC "pair" is two connected QPs, on one device (loopback) or two. Every
test builds its own pair with the geometry it needs and verifies the data
that moved, not only the completion status.
"""
import contextlib
import errno
import os
import signal
import time
import unittest

import pyverbs.enums as e
from pyverbs.addr import AHAttr, GlobalRoute
from pyverbs.cq import CQ, CQEX, CompChannel, CqInitAttrEx
from pyverbs.device import Context
from pyverbs.mr import MR
from pyverbs.pd import PD
from pyverbs.pyverbs_error import PyverbsRDMAError
from pyverbs.qp import QP, QPAttr, QPCap, QPEx, QPInitAttr, QPInitAttrEx
from pyverbs.wr import SGE, RecvWR, SendWR

DEV = os.environ.get('MLX5X_TEST_DEV', 'mlx5x_0')
DEV2 = os.environ.get('MLX5X_TEST_DEV2', '')
TIMEOUT = float(os.environ.get('MLX5X_TEST_TIMEOUT', '20'))
PORT = 1

ALL_ACCESS = (e.IBV_ACCESS_LOCAL_WRITE | e.IBV_ACCESS_REMOTE_WRITE |
              e.IBV_ACCESS_REMOTE_READ | e.IBV_ACCESS_REMOTE_ATOMIC)

WC_STATUS = {getattr(e, n): n for n in dir(e) if n.startswith('IBV_WC_') and
             n.endswith(('_ERR', 'SUCCESS'))}


def status_name(s):
    return WC_STATUS.get(s, str(s))


def find_gid_index(ctx, env):
    """The GID index from env, else the first RoCE v2 ::ffff:a.b.c.d GID."""
    if os.environ.get(env):
        return int(os.environ[env])
    name = ctx.name
    tbl = ctx.query_port(PORT).gid_tbl_len
    for idx in range(tbl):
        try:
            gid = str(ctx.query_gid(PORT, idx))
        except PyverbsRDMAError:
            continue
        if not gid.startswith('0000:0000:0000:0000:0000:ffff:') and \
                not gid.startswith('::ffff:'):
            continue
        try:
            path = '/sys/class/infiniband/%s/ports/%d/gid_attrs/types/%d' % (
                name, PORT, idx)
            with open(path) as f:
                if 'v2' not in f.read():
                    continue
        except OSError:
            pass
        return idx
    raise unittest.SkipTest('%s has no RoCE v2 IPv4 GID' % name)


def hw_counters(name, port=PORT):
    """The port's hw_counters from sysfs ({} if it has none), read after
    ib_core's cache of them (lifespan, 10 ms by default) has expired."""
    d = '/sys/class/infiniband/%s/ports/%d/hw_counters' % (name, port)
    try:
        names = [n for n in os.listdir(d) if n != 'lifespan']
    except OSError:
        return {}
    time.sleep(0.05)
    vals = {}
    for n in names:
        with open(os.path.join(d, n)) as f:
            vals[n] = int(f.read())
    return vals


class Deadline(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds, what):
    """Interrupt a blocking verbs call (ibv_get_cq_event) after SECONDS."""
    def fire(signum, frame):
        raise Deadline('%s: nothing after %.0f s' % (what, seconds))
    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class Device:
    """An opened device with one PD: what every side of a pair needs."""

    def __init__(self, name, gid_env):
        self.ctx = Context(name=name)
        self.name = name
        self.attr = self.ctx.query_device()
        self.port_attr = self.ctx.query_port(PORT)
        self.gid_index = find_gid_index(self.ctx, gid_env)
        self.gid = self.ctx.query_gid(PORT, self.gid_index)
        self.pd = PD(self.ctx)

    def close(self):
        self.pd.close()
        self.ctx.close()


class Side:
    """One QP with its CQs and a data MR on a Device."""

    def __init__(self, dev, send_wr=16, recv_wr=16, send_sge=4, recv_sge=4,
                 inline=0, sq_sig_all=1, cqe=64, mr_size=1 << 17,
                 access=ALL_ACCESS, channel=False, shared_cq=False,
                 send_ops=0, cq_ex_flags=None, qp_type=e.IBV_QPT_RC,
                 srq=None):
        """cq_ex_flags: extended CQs (ibv_create_cq_ex) with these
        wc_flags instead of classic ones. srq: the QP takes its receive
        WQEs from this SRQ."""
        self.dev = dev
        self.channel = CompChannel(dev.ctx) if channel else None

        def make_cq():
            if cq_ex_flags is None:
                return CQ(dev.ctx, cqe, None, self.channel, 0)
            return CQEX(dev.ctx, CqInitAttrEx(cqe=cqe, channel=self.channel,
                                              wc_flags=cq_ex_flags))
        self.scq = make_cq()
        self.rcq = self.scq if shared_cq else make_cq()
        cap = QPCap(max_send_wr=send_wr, max_recv_wr=recv_wr,
                    max_send_sge=send_sge, max_recv_sge=recv_sge,
                    max_inline_data=inline)
        if send_ops:
            # An ibv_qp_ex for the ibv_wr_* API with these send_ops_flags.
            init = QPInitAttrEx(
                qp_type=qp_type, scq=self.scq, rcq=self.rcq, cap=cap,
                sq_sig_all=sq_sig_all, pd=dev.pd, send_ops_flags=send_ops,
                srq=srq,
                comp_mask=e.IBV_QP_INIT_ATTR_PD |
                e.IBV_QP_INIT_ATTR_SEND_OPS_FLAGS)
            self.qp = QPEx(dev.ctx, init)
        else:
            init = QPInitAttr(qp_type=qp_type, scq=self.scq,
                              rcq=self.rcq, cap=cap, sq_sig_all=sq_sig_all,
                              srq=srq)
            self.qp = QP(dev.pd, init)
        self.mr = MR(dev.pd, mr_size, access)

    @property
    def qpn(self):
        return self.qp.qp_num

    def cap(self):
        _, init = self.qp.query(e.IBV_QP_CAP)
        return init.cap

    def state(self):
        attr, _ = self.qp.query(e.IBV_QP_STATE)
        return attr.qp_state

    def sge(self, offset, length, mr=None, lkey=None):
        mr = mr or self.mr
        return SGE(mr.buf + offset, length, mr.lkey if lkey is None else lkey)

    def close(self):
        for o in (self.qp, self.mr, self.scq):
            o.close()
        if self.rcq is not self.scq:
            self.rcq.close()
        if self.channel:
            self.channel.close()


def connect_one(me, peer, *, timeout=14, retry_cnt=7, rnr_retry=7,
                min_rnr_timer=1, access=ALL_ACCESS, rd_atomic=None):
    """RESET -> INIT -> RTR -> RTS for ME, aimed at PEER (which needs only
    .qpn, .dev.gid and .dev.port_attr: it may live in another process)."""
    dev = me.dev
    rd = rd_atomic or max(1, min(4, dev.attr.max_qp_rd_atom,
                                 dev.attr.max_qp_init_rd_atom))
    attr = QPAttr(qp_state=e.IBV_QPS_INIT)
    attr.port_num = PORT
    attr.pkey_index = 0
    attr.qp_access_flags = access
    me.qp.to_init(attr)
    gr = GlobalRoute(dgid=peer.dev.gid, sgid_index=dev.gid_index)
    gr.hop_limit = 64
    ah = AHAttr(gr=gr, is_global=1, port_num=PORT)
    attr = QPAttr(qp_state=e.IBV_QPS_RTR)
    attr.ah_attr = ah
    attr.path_mtu = min(dev.port_attr.active_mtu, peer.dev.port_attr.active_mtu)
    attr.dest_qp_num = peer.qpn
    attr.rq_psn = 0x1000
    attr.max_dest_rd_atomic = rd
    attr.min_rnr_timer = min_rnr_timer
    me.qp.to_rtr(attr)
    attr = QPAttr(qp_state=e.IBV_QPS_RTS)
    attr.timeout = timeout
    attr.retry_cnt = retry_cnt
    attr.rnr_retry = rnr_retry
    attr.sq_psn = 0x1000
    attr.max_rd_atomic = rd
    me.qp.to_rts(attr)


def connect(a, b, a_attrs=None, b_attrs=None, **common):
    """Connect both QPs of an RC pair. COMMON applies to both sides,
    a_attrs/b_attrs override it for one (e.g. rnr_retry on the requester,
    min_rnr_timer on the responder, qp_access_flags -> access)."""
    for me, peer, extra in ((a, b, a_attrs or {}), (b, a, b_attrs or {})):
        kw = dict(common)
        kw.update(extra)
        if 'qp_access_flags' in kw:
            kw['access'] = kw.pop('qp_access_flags')
        connect_one(me, peer, **kw)


# A device that has never produced a completion (no data path yet) would
# make every test wait TIMEOUT per poll: after 3 such timeouts, wait 2 s.
_polled = {'any': False, 'timeouts': 0}


def poll(cq, n=1, timeout=None, allow_more=False):
    """Poll until N completions arrived; returns the WCs in order."""
    wcs = []
    wait = timeout or TIMEOUT
    if not _polled['any'] and _polled['timeouts'] >= 3:
        wait = min(wait, 2)
    end = time.monotonic() + wait
    while len(wcs) < n:
        got, batch = cq.poll(n - len(wcs))
        wcs.extend(batch[:got])
        if got == 0:
            if time.monotonic() > end:
                _polled['timeouts'] += 1
                raise AssertionError('%d of %d completions after %.0f s' %
                                     (len(wcs), n, wait))
            time.sleep(0.0005)
        else:
            _polled['any'] = True
    if not allow_more:
        # Nothing beyond the expected completions (give it a moment).
        time.sleep(0.01)
        got, extra = cq.poll(4)
        if got:
            raise AssertionError('unexpected extra completions: %s' % [
                (w.wr_id, status_name(w.status)) for w in extra[:got]])
    return wcs


def poll_none(cq, wait=0.2):
    """Assert that no completion arrives within WAIT seconds."""
    end = time.monotonic() + wait
    while time.monotonic() < end:
        got, wcs = cq.poll(1)
        if got:
            raise AssertionError('unexpected completion wr_id %d status %s' %
                                 (wcs[0].wr_id, status_name(wcs[0].status)))
        time.sleep(0.002)


def send_wr(wr_id, opcode, sges, flags=e.IBV_SEND_SIGNALED, imm=None):
    # pyverbs wants at least one SGE: a zero-length message is one SGE of
    # length 0.
    wr = SendWR(wr_id=wr_id, opcode=opcode, num_sge=len(sges), sg=sges,
                send_flags=flags)
    if imm is not None:
        wr.imm_data = imm
    return wr


def recv_wr(wr_id, sges):
    return RecvWR(wr_id=wr_id, num_sge=len(sges), sg=sges)


class PairTest(unittest.TestCase):
    """A test case with one device (two if DEV2) opened for each test."""

    two_devices = False

    def setUp(self):
        self.devs = []
        self.sides = []
        if self.two_devices and not DEV2:
            self.skipTest('MLX5X_TEST_DEV2 is not set')
        self.dev = self.open(DEV, 'MLX5X_TEST_GID')
        self.dev2 = self.open(DEV2, 'MLX5X_TEST_GID2') if self.two_devices \
            else self.dev

    def open(self, name, gid_env):
        try:
            d = Device(name, gid_env)
        except PyverbsRDMAError as ex:
            self.fail('cannot open %s: %s' % (name, ex))
        self.devs.append(d)
        return d

    def tearDown(self):
        for s in reversed(self.sides):
            s.close()
        for d in reversed(self.devs):
            d.close()

    def side(self, dev=None, **kw):
        s = Side(dev or self.dev, **kw)
        self.sides.append(s)
        return s

    def pair(self, a_kw=None, b_kw=None, **conn):
        a = self.side(self.dev, **(a_kw or {}))
        b = self.side(self.dev2, **(b_kw or {}))
        connect(a, b, **conn)
        return a, b

    def assertStatus(self, wc, status, what=''):
        self.assertEqual(wc.status, status, '%s: expected %s, got %s '
                         '(vendor_err %#x)' % (what or 'wc', status_name(status),
                                               status_name(wc.status),
                                               wc.vendor_err))

    def assertOk(self, wcs, what=''):
        for wc in wcs:
            self.assertStatus(wc, e.IBV_WC_SUCCESS, '%s wr_id %d' % (what, wc.wr_id))

    def assertPostFails(self, post, errnos, what):
        with self.assertRaises(PyverbsRDMAError, msg=what) as cm:
            post()
        self.assertIn(cm.exception.error_code, errnos,
                      '%s: expected errno %s, got %s' % (
                          what, '/'.join(errno.errorcode[x] for x in errnos),
                          cm.exception.error_code))

    def require_atomics(self, dev=None):
        if (dev or self.dev).attr.atomic_caps == e.IBV_ATOMIC_NONE:
            self.skipTest('%s: atomic_cap is ATOMIC_NONE' % (dev or self.dev).name)

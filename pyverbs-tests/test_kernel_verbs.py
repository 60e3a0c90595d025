# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Kernel verbs as a process sees them: ib_mad's GSI QP (QPN 1) on the
port, CM support in port_cap_flags, and the kernel PD's local_dma_lkey (a
physical-address MKey) unusable from a process's QP: as an lkey and as an
rkey, aimed at the physical address of the test's own buffer, so that a
device that wrongly honoured it would visibly move those bytes."""
import json
import struct
import subprocess

import pyverbs.enums as e
from pyverbs.wr import SGE

from base import DEV, PORT, PairTest, poll, recv_wr, send_wr

PAGE = 4096
IBV_PORT_CM_SUP = 1 << 16


def rdma_json(*args):
    out = subprocess.run(['rdma', '-j', '-d'] + list(args), check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


def phys_addr(vaddr):
    """Physical address of a resident page of this process (root only)."""
    with open('/proc/self/pagemap', 'rb') as f:
        f.seek((vaddr // PAGE) * 8)
        entry, = struct.unpack('<Q', f.read(8))
    if not entry >> 63 or not entry & ((1 << 55) - 1):
        return None
    return (entry & ((1 << 55) - 1)) * PAGE + vaddr % PAGE


class KernelVerbs(PairTest):

    def kernel_lkey(self):
        for pd in rdma_json('res', 'show', 'pd', 'dev', DEV):
            if 'local_dma_lkey' in pd and pd.get('comm') == 'ib_core':
                # rdma prints keys in hex (a string in JSON).
                return int(str(pd['local_dma_lkey']), 16)
        self.fail('%s: no kernel PD with a local_dma_lkey' % DEV)

    def test_gsi_qp(self):
        qps = rdma_json('res', 'show', 'qp', 'link', '%s/%d' % (DEV, PORT))
        gsi = [q for q in qps if q.get('lqpn') == 1]
        self.assertEqual(len(gsi), 1, qps)
        self.assertEqual(gsi[0]['type'], 'GSI')
        self.assertEqual(gsi[0]['state'], 'RTS')

    def test_port_cm_sup(self):
        self.assertTrue(self.dev.port_attr.port_cap_flags & IBV_PORT_CM_SUP,
                        hex(self.dev.port_attr.port_cap_flags))

    def own_page(self, side, fill):
        """Fill the MR's second page; its physical address."""
        side.mr.write(fill * PAGE, PAGE, PAGE)
        pa = phys_addr(side.mr.buf + PAGE)
        if pa is None:
            self.skipTest('no physical addresses in /proc/self/pagemap')
        return pa

    def test_kernel_lkey_refused(self):
        """A SEND gathering through the kernel's key: LOC_PROT_ERR."""
        key = self.kernel_lkey()
        a, b = self.pair()
        pa = self.own_page(a, b'K')
        b.mr.write(b'\0' * 256, 256, 0)
        b.qp.post_recv(recv_wr(1, [b.sge(0, 256)]))
        a.qp.post_send(send_wr(10, e.IBV_WR_SEND, [a.sge(0, 64, lkey=key)]))
        a.qp.post_send(send_wr(11, e.IBV_WR_SEND, [
            a.sge(0, 64, lkey=key)]))
        swcs = poll(a.scq, 2)
        self.assertStatus(swcs[0], e.IBV_WC_LOC_PROT_ERR, 'kernel lkey')
        self.assertStatus(swcs[1], e.IBV_WC_WR_FLUSH_ERR, 'WR behind it')
        # The same key with the buffer's physical address as the SGE's.
        a2, b2 = self.pair()
        b2.qp.post_recv(recv_wr(1, [b2.sge(0, 256)]))
        a2.qp.post_send(send_wr(12, e.IBV_WR_SEND, [SGE(pa, 64, key)]))
        swc, = poll(a2.scq)
        self.assertStatus(swc, e.IBV_WC_LOC_PROT_ERR, 'kernel lkey, PA')
        self.assertEqual(b2.mr.read(64, 0), b'\0' * 64)

    def test_kernel_key_as_rkey_refused(self):
        """WRITE and READ through the kernel's key: REM_ACCESS_ERR, and
        the physical page they aim at keeps its bytes."""
        key = self.kernel_lkey()
        for op in (e.IBV_WR_RDMA_WRITE, e.IBV_WR_RDMA_READ):
            a, b = self.pair()
            pa = self.own_page(b, b'P')
            a.mr.write(b'W' * 64, 64, 0)
            wr = send_wr(20, op, [a.sge(0, 64)])
            wr.set_wr_rdma(key, pa)
            a.qp.post_send(wr)
            swc, = poll(a.scq)
            self.assertStatus(swc, e.IBV_WC_REM_ACCESS_ERR,
                              'kernel key as rkey (opcode %d)' % op)
            self.assertEqual(b.mr.read(PAGE, PAGE), b'P' * PAGE)
            if op == e.IBV_WR_RDMA_READ:
                self.assertEqual(a.mr.read(64, 0), b'W' * 64)

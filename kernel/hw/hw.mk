# SPDX-License-Identifier: GPL-2.0
# The device half of mlx5x.ko: pure decoding/validation (also built into
# tests/unit/hw) and the kernel-side firmware, tables, DMA, interrupts and
# the WQE engine.
mlx5x-hw-y := \
	hw/hw_mbox.o \
	hw/hw_cmdtab.o \
	hw/hw_validate.o \
	hw/hw_qp_fsm.o \
	hw/hw_wqe.o \
	hw/hw_grh.o \
	hw/hw_range.o \
	hw/hw_mw_rules.o \
	hw/hw_dma.o \
	hw/hw_main.o \
	hw/hw_cmdq.o \
	hw/hw_eq.o \
	hw/hw_uar.o \
	hw/hw_pd.o \
	hw/hw_mkey.o \
	hw/hw_mw.o \
	hw/hw_cq.o \
	hw/hw_qp.o \
	hw/hw_srq.o \
	hw/hw_gid.o \
	hw/hw_mem.o \
	hw/hw_cqe.o \
	hw/hw_atomic.o \
	hw/hw_exec.o \
	hw/hw_rq.o \
	hw/hw_ud.o \
	hw/hw_sq.o \
	hw/hw_poll.o

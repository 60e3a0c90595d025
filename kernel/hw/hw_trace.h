/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Device-side tracepoints of mlx5x (the card's view). Enable with e.g.
 *   echo 1 > /sys/kernel/tracing/events/mlx5x_hw/enable
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mlx5x_hw

#if !defined(_MLX5X_HW_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MLX5X_HW_TRACE_H

#include <linux/tracepoint.h>

/* Every error CQE the engine writes (flushes included). */
TRACE_EVENT(err_cqe,
	TP_PROTO(const char *dev, u32 cqn, u32 qpn, u8 opcode, u8 send_opcode,
		 u16 wqe_counter, u8 status, u8 vendor_err),
	TP_ARGS(dev, cqn, qpn, opcode, send_opcode, wqe_counter, status,
		vendor_err),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(u32, cqn)
		__field(u32, qpn)
		__field(u8, opcode)
		__field(u8, send_opcode)
		__field(u16, wqe_counter)
		__field(u8, status)
		__field(u8, vendor_err)
	),

	TP_fast_assign(
		__assign_str(dev, dev);
		__entry->cqn = cqn;
		__entry->qpn = qpn;
		__entry->opcode = opcode;
		__entry->send_opcode = send_opcode;
		__entry->wqe_counter = wqe_counter;
		__entry->status = status;
		__entry->vendor_err = vendor_err;
	),

	TP_printk("%s cqn=%u qpn=0x%x cqe_opcode=0x%x send_opcode=0x%x wqe_counter=%u status=%u vendor_err=%u",
		  __get_str(dev), __entry->cqn, __entry->qpn, __entry->opcode,
		  __entry->send_opcode, __entry->wqe_counter, __entry->status,
		  __entry->vendor_err)
);

/* Every QP state change, by a command or by the engine. */
TRACE_EVENT(qp_state,
	TP_PROTO(const char *dev, u32 qpn, u8 from, u8 to, const char *why),
	TP_ARGS(dev, qpn, from, to, why),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(u32, qpn)
		__field(u8, from)
		__field(u8, to)
		__string(why, why)
	),

	TP_fast_assign(
		__assign_str(dev, dev);
		__entry->qpn = qpn;
		__entry->from = from;
		__entry->to = to;
		__assign_str(why, why);
	),

	TP_printk("%s qpn=0x%x %u->%u (%s)", __get_str(dev), __entry->qpn,
		  __entry->from, __entry->to, __get_str(why))
);

#endif /* _MLX5X_HW_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH hw
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE hw_trace
#include <trace/define_trace.h>

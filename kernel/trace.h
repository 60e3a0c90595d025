/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mlx5x tracepoints. Enable with e.g.
 *   echo 1 > /sys/kernel/tracing/events/mlx5x/fw_cmd/enable
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mlx5x

#if !defined(_MLX5X_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MLX5X_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(fw_cmd,
	TP_PROTO(const char *dev, u16 opcode, u16 op_mod, int err, u8 status,
		 u32 syndrome, u64 latency_ns),
	TP_ARGS(dev, opcode, op_mod, err, status, syndrome, latency_ns),

	TP_STRUCT__entry(
		__string(dev, dev)
		__field(u16, opcode)
		__field(u16, op_mod)
		__field(int, err)
		__field(u8, status)
		__field(u32, syndrome)
		__field(u64, latency_ns)
	),

	TP_fast_assign(
		__assign_str(dev, dev);
		__entry->opcode = opcode;
		__entry->op_mod = op_mod;
		__entry->err = err;
		__entry->status = status;
		__entry->syndrome = syndrome;
		__entry->latency_ns = latency_ns;
	),

	TP_printk("%s opcode=0x%x op_mod=0x%x err=%d status=0x%x syndrome=0x%x latency_ns=%llu",
		  __get_str(dev), __entry->opcode, __entry->op_mod,
		  __entry->err, __entry->status, __entry->syndrome,
		  __entry->latency_ns)
);

#endif /* _MLX5X_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>

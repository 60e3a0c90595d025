/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The few kernel types and helpers the pure parts of the device half
 * (hw_mbox.c, hw_cmdtab.c, hw_validate.c, hw_qp_fsm.c) use, so the same files
 * build into mlx5x.ko and into the userspace unit tests and fuzzers.
 * Nothing here may allocate, sleep or lock: pure code only decodes and
 * validates what it is handed.
 */
#ifndef MLX5X_HW_COMPAT_H
#define MLX5X_HW_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/bits.h>
#include <linux/string.h>
#include <linux/overflow.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

/* The kernel's own choice: u64 is __u64 (unsigned long long) there too. */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#ifndef BIT
#define BIT(n)			(1UL << (n))
#endif
#ifndef BIT_ULL
#define BIT_ULL(n)		(1ULL << (n))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#define DIV_ROUND_UP_ULL(n, d)	(((n) + (d) - 1) / (d))
#endif /* __KERNEL__ */

#endif /* MLX5X_HW_COMPAT_H */

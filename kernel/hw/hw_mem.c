// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The engine's memory: MKey lookup with its checks, and the one copy loop
 * (between two cursors, hw_range.c) through which every byte of a message
 * moves. A piece never crosses a host page, so each side is one direct-map
 * pointer from hw_dma.c (which, for a PA MKey's pieces, is what checks
 * that they are RAM). Callers hold srcu_read_lock(&mlx5x_hw_srcu) (the
 * MKey pages stay pinned) and may sleep.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include "hw_priv.h"

/* Copy in bursts; let the scheduler in between (messages reach 2 GiB). */
#define MLX5X_HW_COPY_BURST	(256 * 1024)

static void *mlx5x_hw_piece(u64 pa, u8 *kp, u64 n)
{
	return kp ? kp : mlx5x_hw_dma_ptr(pa, (u32)n);
}

int mlx5x_hw_copy(struct mlx5x_hw_cursor *dst, struct mlx5x_hw_cursor *src,
		  u64 len)
{
	u64 burst = 0;

	while (len) {
		u64 spa = 0, dpa = 0, n;
		u8 *skp = NULL, *dkp = NULL;
		void *s, *d;

		n = mlx5x_hw_cursor_peek(src, PAGE_SHIFT, len, &spa, &skp);
		n = mlx5x_hw_cursor_peek(dst, PAGE_SHIFT, n, &dpa, &dkp);
		if (!n)
			return -ERANGE;	/* a side shorter than len */
		s = mlx5x_hw_piece(spa, skp, n);
		d = mlx5x_hw_piece(dpa, dkp, n);
		if (!s || !d)
			return -EFAULT;
		memcpy(d, s, n);
		mlx5x_hw_cursor_advance(src, n);
		mlx5x_hw_cursor_advance(dst, n);
		len -= n;
		burst += n;
		if (burst >= MLX5X_HW_COPY_BURST) {
			burst = 0;
			cond_resched();
		}
	}
	return 0;
}

/* Read @len bytes at byte @off of a PAS buffer (off counts page_offset). */
int mlx5x_hw_buf_read(const u64 *pas, u8 log_page_size, u64 off, void *buf,
		      u32 len)
{
	struct mlx5x_hw_seg from = {
		.pas = pas, .log_page_size = log_page_size, .off = off,
		.len = len,
	};
	struct mlx5x_hw_seg to = { .kbuf = buf, .len = len };
	struct mlx5x_hw_cursor s, d;

	mlx5x_hw_cursor_init(&s, &from, 1);
	mlx5x_hw_cursor_init(&d, &to, 1);
	return mlx5x_hw_copy(&d, &s, len);
}

/*
 * The MKey @key of @hw, if a QP on PD @pdn may use [@addr, @addr + @len)
 * with @access through it: returned with a reference and *seg set.
 * Otherwise NULL and *err = MLX5X_HW_MKEY_* (BAD_ACCESS for a key that
 * does not exist or is a window's: see mlx5x_hw_rkey_resolve()). An MR
 * serves both sides; a PA MKey only local access (@remote false): it
 * reaches any RAM, so no peer may ever name it.
 */
static struct mlx5x_hw_mkey *mlx5x_hw_mkey_lookup(struct mlx5x_hw *hw,
						  u32 key, u32 pdn,
						  u32 access, u64 addr,
						  u64 len, bool remote,
						  struct mlx5x_hw_seg *seg,
						  int *err)
{
	struct mlx5x_hw_mkey *mkey = mlx5x_hw_mkey_get(hw, key);

	if (mkey && mkey->mkc.mw_type != MLX5X_MKEY_MR &&
	    (mkey->mkc.mw_type != MLX5X_MKEY_PA || remote)) {
		mlx5x_hw_mkey_put(mkey);
		mkey = NULL;
	}
	if (!mkey) {
		*err = MLX5X_HW_MKEY_BAD_ACCESS;
		return NULL;
	}
	*err = mlx5x_hw_mkey_check(&mkey->mkc, pdn, access, addr, len);
	if (*err) {
		mlx5x_hw_mkey_put(mkey);
		return NULL;
	}
	mlx5x_hw_mkey_seg(&mkey->mkc, mkey->pas, addr, len, seg);
	return mkey;
}

/* An lkey: a data segment of a WQE posted on a QP of PD @pdn. */
struct mlx5x_hw_mkey *mlx5x_hw_mkey_resolve(struct mlx5x_hw *hw, u32 key,
					    u32 pdn, u32 access, u64 addr,
					    u64 len, struct mlx5x_hw_seg *seg,
					    int *err)
{
	return mlx5x_hw_mkey_lookup(hw, key, pdn, access, addr, len, false,
				    seg, err);
}

/* An rkey naming an MR, for a request arriving at a QP of PD @pdn. */
struct mlx5x_hw_mkey *mlx5x_hw_mkey_resolve_remote(struct mlx5x_hw *hw,
						   u32 key, u32 pdn,
						   u32 access, u64 addr,
						   u64 len,
						   struct mlx5x_hw_seg *seg,
						   int *err)
{
	return mlx5x_hw_mkey_lookup(hw, key, pdn, access, addr, len, true,
				    seg, err);
}

// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * Shared receive queues (basic type).
 *
 * The provider owns the SRQ's memory, as mlx5 does: a page-aligned ring of
 * wqe_cnt slots of 1 << wqe_shift bytes, each a next segment (16 bytes)
 * then data segments, and an 8-byte doorbell record whose word
 * MLX5X_SRQ_DBREC_CNT counts the WQEs posted. The free slots form a list
 * linked by next_wqe_index, head to tail:
 *
 *	post:   fill slot head, head = head's next, counter++, dbrec (release)
 *	device: takes the slot it is at, then follows that slot's next
 *	poll:   the CQE's wqe_counter names the slot: its wr_id, then
 *	        tail's next = slot, tail = slot (mlx5x_srq_free_wqe)
 *
 * The tail slot is never posted (head == tail means full), so the slot the
 * device will read next always has its link written before it is posted.
 * Completions of different QPs, on different CQs, free slots in any order.
 * Posting is no system call: the device reads the record when a message
 * for one of the SRQ's QPs arrives.
 *
 *	ibv_create_srq ──► mlx5x_create_srq: ring, dbrec, links, CREATE_SRQ
 *	ibv_post_srq_recv ► mlx5x_post_srq_recv                 no syscall
 *	ibv_modify_srq ──► mlx5x_modify_srq: MODIFY_SRQ (arm the limit)
 *	ibv_query_srq ───► mlx5x_query_srq: QUERY_SRQ
 *	ibv_destroy_srq ─► mlx5x_destroy_srq: DESTROY_SRQ, free ring, dbrec
 *
 * Locking: one spinlock per SRQ, around posting and freeing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mlx5x.h"
#include "barrier.h"
#include "wqe.h"

#define MLX5X_SRQ_NEXT_SEG	sizeof(struct mlx5x_wqe_srq_next_seg)
#define MLX5X_SRQ_MIN_SHIFT	5

static struct mlx5x_wqe_srq_next_seg *srq_slot(struct mlx5x_srq *srq,
					       uint32_t idx)
{
	return (void *)((uint8_t *)srq->buf.buf +
			((size_t)idx << srq->wqe_shift));
}

static int srq_geometry(struct mlx5x_context *ctx, struct ibv_srq_attr *attr,
			struct mlx5x_srq *srq)
{
	uint32_t bytes, sge = attr->max_sge ? attr->max_sge : 1;

	if (!attr->max_wr || attr->max_wr > ctx->max_srq_wr ||
	    attr->max_sge > ctx->max_srq_sge)
		return EINVAL;
	srq->wqe_cnt = mlx5x_roundup_pow2(attr->max_wr + 1);
	bytes = MLX5X_SRQ_NEXT_SEG + sge * MLX5X_RECV_WQE_SEG_SIZE;
	srq->wqe_shift = MLX5X_SRQ_MIN_SHIFT;
	while ((1U << srq->wqe_shift) < bytes)
		srq->wqe_shift++;
	srq->max_gs = ((1U << srq->wqe_shift) - MLX5X_SRQ_NEXT_SEG) /
		      MLX5X_RECV_WQE_SEG_SIZE;
	if (srq->max_gs > ctx->max_srq_sge)
		srq->max_gs = ctx->max_srq_sge;
	return 0;
}

/* Every slot on the free list, in ring order; the last one is the tail. */
static void srq_init_links(struct mlx5x_srq *srq)
{
	uint32_t i;

	for (i = 0; i < srq->wqe_cnt; i++)
		srq_slot(srq, i)->next_wqe_index = (i + 1) & (srq->wqe_cnt - 1);
	srq->head = 0;
	srq->tail = srq->wqe_cnt - 1;
}

struct ibv_srq *mlx5x_create_srq(struct ibv_pd *pd,
				 struct ibv_srq_init_attr *attr)
{
	struct mlx5x_context *ctx = to_mctx(pd->context);
	struct mlx5x_create_srq_cmd_resp resp = {};
	struct mlx5x_create_srq_cmd cmd = {};
	struct ibv_srq_attr asked = attr->attr;
	struct mlx5x_srq *srq;
	int ret;

	srq = calloc(1, sizeof(*srq));
	if (!srq)
		return NULL;
	ret = srq_geometry(ctx, &attr->attr, srq);
	if (ret) {
		mlx5x_dbg(&ctx->ibv_ctx, "max_wr %u max_sge %u beyond %u/%u\n",
			  attr->attr.max_wr, attr->attr.max_sge,
			  ctx->max_srq_wr, ctx->max_srq_sge);
		goto err_free;
	}
	ret = pthread_spin_init(&srq->lock, PTHREAD_PROCESS_PRIVATE);
	if (ret)
		goto err_free;
	ret = mlx5x_alloc_buf(&srq->buf, (size_t)srq->wqe_cnt << srq->wqe_shift,
			      ctx->page_size);
	if (ret)
		goto err_lock;
	srq->wrid = calloc(srq->wqe_cnt, sizeof(*srq->wrid));
	if (!srq->wrid) {
		ret = ENOMEM;
		goto err_buf;
	}
	srq_init_links(srq);
	srq->dbrec = mlx5x_alloc_dbrec(&ctx->dbrec_pool);
	if (!srq->dbrec) {
		ret = errno;
		goto err_wrid;
	}

	cmd.drv.buf_addr = (uintptr_t)srq->buf.buf;
	cmd.drv.db_addr = (uintptr_t)srq->dbrec;
	cmd.drv.wqe_cnt = srq->wqe_cnt;
	cmd.drv.wqe_shift = srq->wqe_shift;
	attr->attr.max_wr = srq->wqe_cnt - 1;
	attr->attr.max_sge = srq->max_gs;
	ret = ibv_cmd_create_srq(pd, &srq->ibv_srq, attr, &cmd.ibv_cmd,
				 sizeof(cmd), &resp.ibv_resp, sizeof(resp));
	if (ret) {
		mlx5x_dbg(&ctx->ibv_ctx, "CREATE_SRQ: %d\n", ret);
		attr->attr = asked;
		goto err_dbrec;
	}
	srq->srqn = resp.drv.srqn;
	/* The ring holds what geometry says, whatever the kernel echoed. */
	attr->attr.max_wr = srq->wqe_cnt - 1;
	attr->attr.max_sge = srq->max_gs;
	return &srq->ibv_srq;

err_dbrec:
	mlx5x_free_dbrec(&ctx->dbrec_pool, srq->dbrec);
err_wrid:
	free(srq->wrid);
err_buf:
	mlx5x_free_buf(&srq->buf);
err_lock:
	pthread_spin_destroy(&srq->lock);
err_free:
	free(srq);
	errno = ret;
	return NULL;
}

int mlx5x_modify_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr,
		     int attr_mask)
{
	struct ibv_modify_srq cmd = {};

	return ibv_cmd_modify_srq(ibsrq, attr, attr_mask, &cmd, sizeof(cmd));
}

int mlx5x_query_srq(struct ibv_srq *ibsrq, struct ibv_srq_attr *attr)
{
	struct ibv_query_srq cmd = {};

	return ibv_cmd_query_srq(ibsrq, attr, &cmd, sizeof(cmd));
}

int mlx5x_destroy_srq(struct ibv_srq *ibsrq)
{
	struct mlx5x_context *ctx = to_mctx(ibsrq->context);
	struct mlx5x_srq *srq = to_msrq(ibsrq);
	int ret;

	ret = ibv_cmd_destroy_srq(ibsrq);
	if (ret)
		return ret;

	mlx5x_free_dbrec(&ctx->dbrec_pool, srq->dbrec);
	free(srq->wrid);
	mlx5x_free_buf(&srq->buf);
	pthread_spin_destroy(&srq->lock);
	free(srq);
	return 0;
}

/* ---------------------------------------------------------------------
 * Data path
 */

static void build_srq_wqe(struct mlx5x_srq *srq, uint32_t idx,
			  const struct ibv_recv_wr *wr)
{
	mlx5x_set_recv_segs((void *)(srq_slot(srq, idx) + 1),
			    ((1U << srq->wqe_shift) - MLX5X_SRQ_NEXT_SEG) /
			    MLX5X_RECV_WQE_SEG_SIZE, wr->sg_list, wr->num_sge);
	srq->wrid[idx] = wr->wr_id;
}

/* Errors as in mlx5: ENOMEM when full, EINVAL for too many SGEs. */
int mlx5x_post_srq_recv(struct ibv_srq *ibsrq, struct ibv_recv_wr *wr,
			struct ibv_recv_wr **bad_wr)
{
	struct mlx5x_srq *srq = to_msrq(ibsrq);
	uint32_t nreq, idx;
	int err = 0;

	pthread_spin_lock(&srq->lock);

	for (nreq = 0; wr; nreq++, wr = wr->next) {
		if (wr->num_sge < 0 || (uint32_t)wr->num_sge > srq->max_gs) {
			err = EINVAL;
			*bad_wr = wr;
			break;
		}
		if (srq->head == srq->tail) {
			err = ENOMEM;
			*bad_wr = wr;
			break;
		}
		idx = srq->head;
		build_srq_wqe(srq, idx, wr);
		srq->head = srq_slot(srq, idx)->next_wqe_index &
			    (srq->wqe_cnt - 1);
		srq->counter++;
	}

	if (nreq) {
		mlx5x_udma_to_device_barrier();
		mlx5x_dbrec_store(&srq->dbrec[MLX5X_SRQ_DBREC_CNT],
				  srq->counter & 0xffff);
	}

	pthread_spin_unlock(&srq->lock);
	return err;
}

/*
 * A receive CQE named slot idx (poll_cq, or a CQ being cleaned): its wr_id,
 * and the slot back on the free list.
 */
uint64_t mlx5x_srq_free_wqe(struct mlx5x_srq *srq, uint16_t wqe_counter)
{
	uint32_t idx = wqe_counter & (srq->wqe_cnt - 1);
	uint64_t wr_id;

	pthread_spin_lock(&srq->lock);
	wr_id = srq->wrid[idx];
	srq_slot(srq, srq->tail)->next_wqe_index = idx;
	srq->tail = idx;
	pthread_spin_unlock(&srq->lock);
	return wr_id;
}

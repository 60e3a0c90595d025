// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The receive queue: ibv_post_recv.
 *
 * A receive WQE is an array of data segments in a slot of
 * 1 << rq_wqe_shift bytes; when the WR has fewer (non-empty) SGEs than the
 * slot holds, a segment with lkey MLX5X_INVALID_LKEY ends the list. After
 * the WQEs, the RQ dbrec takes the new head (its low 16 bits) with release
 * ordering. The device reads that record when a message arrives: no
 * doorbell, no system call.
 *
 * Errors, as in mlx5: ENOMEM when the RQ is full, EINVAL for too many SGEs;
 * the WRs before the bad one are posted.
 */
#include <errno.h>

#include "mlx5x.h"
#include "barrier.h"
#include "wqe.h"

static void build_recv_wqe(struct mlx5x_rq *rq, const struct ibv_recv_wr *wr)
{
	uint32_t idx = rq->head & (rq->wqe_cnt - 1);

	mlx5x_set_recv_segs((void *)(rq->buf + ((size_t)idx << rq->wqe_shift)),
			    rq->stride_segs, wr->sg_list, wr->num_sge);
	rq->wrid[idx] = wr->wr_id;
}

int mlx5x_post_recv(struct ibv_qp *ibqp, struct ibv_recv_wr *wr,
		    struct ibv_recv_wr **bad_wr)
{
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct mlx5x_rq *rq = &qp->rq;
	uint32_t nreq, tail;
	int err = 0;

	pthread_spin_lock(&rq->lock);

	for (nreq = 0; wr; nreq++, wr = wr->next) {
		/* Acquire: the device is done with a WQE poll_cq freed. */
		tail = __atomic_load_n(&rq->tail, __ATOMIC_ACQUIRE);
		if (rq->head - tail >= rq->wqe_cnt) {
			err = ENOMEM;
			*bad_wr = wr;
			break;
		}
		if (wr->num_sge < 0 || (uint32_t)wr->num_sge > rq->max_gs) {
			err = EINVAL;
			*bad_wr = wr;
			break;
		}
		build_recv_wqe(rq, wr);
		rq->head++;
	}

	if (nreq) {
		mlx5x_udma_to_device_barrier();
		mlx5x_dbrec_store(&qp->dbrec[MLX5X_QP_DBREC_RCV],
				  rq->head & 0xffff);
	}

	pthread_spin_unlock(&rq->lock);

	/*
	 * Receives posted to a QP in ERR complete with a flush error, but the
	 * device reads the RQ record only when a message arrives: tell it.
	 */
	if (nreq && (ibqp->state == IBV_QPS_ERR ||
		     __atomic_load_n(&qp->dev_error, __ATOMIC_RELAXED)))
		mlx5x_qp_kick(qp);
	return err;
}

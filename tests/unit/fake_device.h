/* SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB */
/*
 * A fake mlx5x device for the provider's unit tests, written from
 * <rdma/mlx5x_wqe.h> alone: it reads the SQ and RQ doorbell records,
 * copies each WQE out of the ring (wrapping), executes it in loopback on
 * the same QP and writes CQEs with the owner bit last.
 */
#ifndef FAKE_DEVICE_H
#define FAKE_DEVICE_H

#include <stdint.h>
#include <rdma/mlx5x_wqe.h>

#include "provider_mock.h"

struct fcq {
	struct ibv_cq *cq;
	uint8_t *buf;
	uint32_t cnt, log;
	uint32_t *db;
	uint32_t pc;			/* CQEs written */
};

struct fqp {
	struct ibv_qp *qp;
	uint8_t *sq, *rq;
	uint32_t sq_cnt, rq_cnt, rq_shift;
	uint32_t *db;
	uint32_t sq_ci, rq_ci;		/* WQEBBs / WQEs consumed */
	struct fcq *scq, *rcq;
	/* The last WQE executed, linear. */
	uint8_t last[MLX5X_MAX_WQE_BBS * MLX5X_WQEBB_SIZE];
	uint32_t last_ds;
	uint8_t fail_status;		/* error-complete the next WQE */
};

void fcq_init(struct fcq *f, struct ibv_cq *cq);
void fqp_init(struct fqp *f, struct ibv_qp *qp, struct fcq *scq,
	      struct fcq *rcq);
unsigned int run_sq(struct fqp *f);

#endif /* FAKE_DEVICE_H */

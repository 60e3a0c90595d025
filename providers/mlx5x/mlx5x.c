// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * libmlx5x: the rdma-core provider of the mlx5x software HCA.
 *
 * Glossary
 *   UAR      user access region: a page of the device the kernel lets a
 *            context mmap(); the data path rings doorbells there and reads
 *            the device's NEED_WAKEUP flag.
 *   CQ, CQE  completion queue, a ring of 64-byte completion entries the
 *            device writes into user memory; owner bit rules in cqe.h.
 *   QP       queue pair: a send queue (SQ) and a receive queue (RQ) of work
 *            queue entries (WQEs) in one user buffer.
 *   WQEBB    WQE basic block, the 64-byte unit of the SQ ring.
 *   dbrec    doorbell record: 8 bytes of user memory holding a queue's
 *            counters for the device to read (dbrec.h).
 *   PD, MR   protection domain; memory region, which the device knows as
 *            an MKey (lkey/rkey).
 *
 * Theory of operation
 *   The provider allocates every ring and doorbell record itself and passes
 *   their addresses in the driver-specific part of the uverbs commands
 *   (<rdma/mlx5x-abi.h>); the kernel pins them and hands the pages to the
 *   device. Control operations are uverbs commands sent through libibverbs'
 *   ibv_cmd_* helpers; the data path (post, poll, arm) touches only
 *   memory and the UAR, without system calls, except for a kick when the
 *   device's doorbell poller sleeps (sq.c).
 *
 *	ibv_open_device ─► mlx5x_alloc_context
 *	                     GET_CONTEXT (ALLOC_UCONTEXT): limits, UAR offset
 *	                     mmap the UAR; create the dbrec pool
 *	ibv_alloc_pd / ibv_reg_mr ──────► pd.c / mr.c   (kernel objects only)
 *	ibv_create_cq ──► cq.c: CQE ring + dbrec ──► CREATE_CQ
 *	ibv_create_cq_ex ► cq_ex.c: the same CQ, read with ibv_start_poll..
 *	ibv_resize_cq ──► cq_resize.c: new ring ──► RESIZE_CQ, move CQEs
 *	ibv_create_qp ──► qp.c: RQ|SQ buffer + dbrec ──► CREATE_QP
 *
 *	The path of a send, from ibv_post_send to the CQE:
 *
 *	ibv_post_send ─► sq.c: WQE in the SQ ring (wqe.h segment builders)
 *	   │               SQ dbrec = cur_post (release); uar->sq_doorbell
 *	   │               mfence; uar->need_wakeup? ─► kick: POST_SEND write()
 *	   ▼                                            with no WRs (rare)
 *	 device poller (kernel thread) sees the dbrec, copies the WQE,
 *	   executes it, writes the CQE body, then its owner bit (release);
 *	   fires a completion event if the ARM dbrec word asks for one
 *	   ▼
 *	ibv_poll_cq ───► cq.c: owner bit == pass parity? read barrier, parse,
 *	                   sq.tail past the WQE (frees unsignaled ones too),
 *	                   CI dbrec (release)
 *	ibv_post_recv ─► rq.c: receive WQE, RQ dbrec (release)
 *	ibv_wr_* ──────► wr.c: the same WQEs, one doorbell at wr_complete
 *
 *	ibv_close_device ─► mlx5x_free_context: munmap UAR, close the fd
 *	                     (the kernel destroys what is left), free the pool
 *
 *   Files: mlx5x.c device matching and context; pd.c, mr.c, cq.c, qp.c one
 *   object each (cq_ex.c, cq_resize.c: the extended CQ reader, resizing); sq.c, wr.c, rq.c posting; wqe.h segment builders;
 *   barrier.h memory ordering; buf.c queue buffers; dbrec.c doorbell
 *   records; geometry.c ring sizing (no libibverbs dependency, unit
 *   tested); verbs_private.h the libibverbs provider ABI.
 *
 * Locking
 *   libibverbs serialises nothing for us. Spinlocks: one per SQ (posting,
 *   and a whole ibv_wr_start..complete batch), one per RQ, one per CQ
 *   (polling, arming, cleaning). poll_cq moves an SQ's or RQ's tail with a
 *   release store that posting reads with acquire: no lock is nested in
 *   another. Mutexes: the dbrec pool's, the QPN table's (writers only;
 *   poll_cq reads the table without it).
 *
 * Device matching
 *   The kernel driver registers with driver_id RDMA_DRIVER_UNKNOWN, so the
 *   provider matches the rdma device's parent by its modalias
 *   (MLX5X_MODALIAS, "platform:mlx5x") and only at the uverbs ABI version
 *   MLX5X_UVERBS_ABI_VERSION that the driver reports (ib_device_ops
 *   .uverbs_abi_ver, read by libibverbs from sysfs abi_version).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mlx5x.h"

static int mlx5x_query_device_ex(struct ibv_context *context,
				 const struct ibv_query_device_ex_input *input,
				 struct ibv_device_attr_ex *attr,
				 size_t attr_size)
{
	struct ib_uverbs_ex_query_device_resp resp;
	size_t resp_size = sizeof(resp);
	uint64_t fw_ver;
	int ret;

	ret = ibv_cmd_query_device_any(context, input, attr, attr_size, &resp,
				       &resp_size);
	if (ret)
		return ret;

	/* fw_ver is major << 32 | minor << 16 | subminor. */
	fw_ver = resp.base.fw_ver;
	snprintf(attr->orig_attr.fw_ver, sizeof(attr->orig_attr.fw_ver),
		 "%u.%u.%u", (unsigned int)(fw_ver >> 32) & 0xffff,
		 (unsigned int)(fw_ver >> 16) & 0xffff,
		 (unsigned int)fw_ver & 0xffff);
	return 0;
}

static int mlx5x_query_port(struct ibv_context *context, uint8_t port,
			    struct ibv_port_attr *attr)
{
	struct ibv_query_port cmd = {};

	return ibv_cmd_query_port(context, port, attr, &cmd, sizeof(cmd));
}

static void mlx5x_free_context(struct ibv_context *ibctx);

/* Unset ops (XRC, ...) keep libibverbs' EOPNOTSUPP stubs. */
static const struct verbs_context_ops mlx5x_ctx_ops = {
	.create_ah = mlx5x_create_ah,
	.destroy_ah = mlx5x_destroy_ah,
	.query_device_ex = mlx5x_query_device_ex,
	.query_port = mlx5x_query_port,
	.alloc_pd = mlx5x_alloc_pd,
	.dealloc_pd = mlx5x_dealloc_pd,
	.reg_mr = mlx5x_reg_mr,
	.rereg_mr = mlx5x_rereg_mr,
	.dereg_mr = mlx5x_dereg_mr,
	.alloc_mw = mlx5x_alloc_mw,
	.dealloc_mw = mlx5x_dealloc_mw,
	.bind_mw = mlx5x_bind_mw,
	.create_cq = mlx5x_create_cq,
	.create_cq_ex = mlx5x_create_cq_ex,
	.destroy_cq = mlx5x_destroy_cq,
	.poll_cq = mlx5x_poll_cq,
	.req_notify_cq = mlx5x_req_notify_cq,
	.resize_cq = mlx5x_resize_cq,
	.cq_event = mlx5x_cq_event,
	.create_qp = mlx5x_create_qp,
	.create_qp_ex = mlx5x_create_qp_ex,
	.modify_qp = mlx5x_modify_qp,
	.query_qp = mlx5x_query_qp,
	.destroy_qp = mlx5x_destroy_qp,
	.post_send = mlx5x_post_send,
	.post_recv = mlx5x_post_recv,
	.create_srq = mlx5x_create_srq,
	.modify_srq = mlx5x_modify_srq,
	.query_srq = mlx5x_query_srq,
	.destroy_srq = mlx5x_destroy_srq,
	.post_srq_recv = mlx5x_post_srq_recv,
	.free_context = mlx5x_free_context,
};

/* Refuse a kernel whose fixed data-path geometry is not ours. */
static int check_ucontext_resp(struct mlx5x_context *ctx,
			       const struct mlx5x_alloc_ucontext_resp *resp)
{
	if (resp->cqe_size != MLX5X_CQE_SIZE ||
	    resp->send_wqe_bb != MLX5X_SEND_WQE_BB) {
		mlx5x_err(&ctx->ibv_ctx,
			  "kernel uses %u-byte CQEs and %u-byte WQEBBs, provider %u and %u\n",
			  resp->cqe_size, resp->send_wqe_bb, MLX5X_CQE_SIZE,
			  MLX5X_SEND_WQE_BB);
		return EPROTO;
	}
	if (!resp->uar_size) {
		mlx5x_err(&ctx->ibv_ctx, "kernel gave no UAR\n");
		return EPROTO;
	}
	return 0;
}

/*
 * Whether posting atomics and window work is allowed, and the SRQ limits:
 * the device says so once, in atomic_cap, device_cap_flags and max_srq*.
 * A failed query means none of them.
 */
static void query_atomics(struct mlx5x_context *ctx)
{
	struct ibv_device_attr_ex attr = {};
	int ret;

	/* The base attributes are enough: the legacy QUERY_DEVICE. */
	ret = mlx5x_query_device_ex(&ctx->ibv_ctx.context, NULL, &attr,
				    sizeof(attr.orig_attr));
	if (ret) {
		mlx5x_dbg(&ctx->ibv_ctx, "QUERY_DEVICE: %d, no atomics\n", ret);
		return;
	}
	ctx->atomics = attr.orig_attr.atomic_cap != IBV_ATOMIC_NONE;
	ctx->mw = !!(attr.orig_attr.device_cap_flags & IBV_DEVICE_MEM_WINDOW);
	ctx->max_srq_wr = attr.orig_attr.max_srq ?
			  (uint32_t)attr.orig_attr.max_srq_wr : 0;
	ctx->max_srq_sge = attr.orig_attr.max_srq ?
			   (uint32_t)attr.orig_attr.max_srq_sge : 0;
}

static struct verbs_context *mlx5x_alloc_context(struct ibv_device *ibdev,
						 int cmd_fd,
						 void *private_data)
{
	struct mlx5x_device *dev = to_mdev(ibdev);
	struct mlx5x_get_context_resp resp = {};
	struct ibv_get_context cmd = {};
	struct mlx5x_context *ctx;
	int ret;

	ctx = verbs_init_and_alloc_context(ibdev, cmd_fd, ctx, ibv_ctx,
					   RDMA_DRIVER_UNKNOWN);
	if (!ctx)
		return NULL;

	ret = ibv_cmd_get_context(&ctx->ibv_ctx, &cmd, sizeof(cmd),
				  &resp.ibv_resp, sizeof(resp));
	if (ret)
		goto err_uninit;

	ret = check_ucontext_resp(ctx, &resp.drv);
	if (ret)
		goto err_uninit;

	ctx->page_size = dev->page_size;
	ctx->uar_index = resp.drv.uar_index;
	ctx->max_cqe = resp.drv.max_cqe;
	ctx->flags = resp.drv.flags;
	ctx->qp_limits = (struct mlx5x_qp_limits){
		.max_send_wqebb = resp.drv.max_send_wqebb,
		.max_recv_wr = resp.drv.max_recv_wr,
		.max_send_sge = resp.drv.max_send_sge,
		.max_recv_sge = resp.drv.max_recv_sge,
		.max_inline_data = resp.drv.max_inline_data,
	};

	ctx->uar_size = resp.drv.uar_size;
	/* Written (sq_doorbell) and read (need_wakeup). */
	ctx->uar = mmap(NULL, ctx->uar_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, cmd_fd, resp.drv.uar_mmap_offset);
	if (ctx->uar == MAP_FAILED) {
		ret = errno;
		mlx5x_err(&ctx->ibv_ctx, "mmap of the UAR (%zu bytes at 0x%llx): %d\n",
			  ctx->uar_size,
			  (unsigned long long)resp.drv.uar_mmap_offset, ret);
		goto err_uninit;
	}

	ret = mlx5x_dbrec_pool_init(&ctx->dbrec_pool, ctx->page_size);
	if (ret)
		goto err_unmap;
	ret = pthread_mutex_init(&ctx->qp_table_mutex, NULL);
	if (ret)
		goto err_pool;

	verbs_set_ops(&ctx->ibv_ctx, &mlx5x_ctx_ops);
	query_atomics(ctx);
	return &ctx->ibv_ctx;

err_pool:
	mlx5x_dbrec_pool_destroy(&ctx->dbrec_pool);
err_unmap:
	munmap(ctx->uar, ctx->uar_size);
err_uninit:
	verbs_uninit_context(&ctx->ibv_ctx);
	free(ctx);
	errno = ret;
	return NULL;
}

static void mlx5x_free_context(struct ibv_context *ibctx)
{
	struct mlx5x_context *ctx = to_mctx(ibctx);

	munmap(ctx->uar, ctx->uar_size);
	/* Closes the command fd: the kernel releases what the app left. */
	verbs_uninit_context(&ctx->ibv_ctx);
	mlx5x_qp_table_destroy(ctx);
	mlx5x_dbrec_pool_destroy(&ctx->dbrec_pool);
	free(ctx);
}

static struct verbs_device *mlx5x_alloc_device(struct verbs_sysfs_dev *sysfs)
{
	struct mlx5x_device *dev;
	long page_size;

	page_size = sysconf(_SC_PAGESIZE);
	if (page_size <= 0)
		return NULL;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;

	dev->page_size = page_size;
	return &dev->verbs_dev;
}

static void mlx5x_uninit_device(struct verbs_device *vdev)
{
	free(to_mdev(&vdev->device));
}

static const struct verbs_match_ent mlx5x_match_table[] = {
	{
		.u.modalias = MLX5X_MODALIAS,
		.kind = VERBS_MATCH_MODALIAS,
	},
	{}
};

static const struct verbs_device_ops mlx5x_dev_ops = {
	.name = "mlx5x",
	.match_min_abi_version = MLX5X_UVERBS_ABI_VERSION,
	.match_max_abi_version = MLX5X_UVERBS_ABI_VERSION,
	.match_table = mlx5x_match_table,
	.alloc_device = mlx5x_alloc_device,
	.uninit_device = mlx5x_uninit_device,
	.alloc_context = mlx5x_alloc_context,
};

/* libibverbs dlopen()s the provider; registering is all it needs of us. */
static void __attribute__((constructor)) mlx5x_register_driver(void)
{
	verbs_register_driver_34(&mlx5x_dev_ops);
}

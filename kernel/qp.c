// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Queue pairs (RC, UC, UD). The provider allocates one buffer for the
 * receive and send rings plus a doorbell record; the driver pins them and
 * creates the device QP. A QP on an SRQ (RC or UD) has no receive ring
 * (use_srq, srqn in the QPC). Every state change is one firmware command
 * named after its transition, as on a ConnectX:
 *
 *            RST2INIT        INIT2RTR        RTR2RTS
 *      RST ----------> INIT ----------> RTR ---------> RTS <--+ RTS2RTS
 *       ^             | ^ INIT2INIT                  |  ^  ^--+
 *       |             +-+                    RTS2SQD |  | SQD2RTS
 *       |                                            v  |
 *     2RST (any state)        2ERR (any state)      SQD --+ SQD2SQD
 *       |                       |                       ^-+
 *       +------------- ERR <----+     SQE --SQERR2RTS--> RTS
 *
 * ib_modify_qp_is_ok() checks the attribute mask against the IB tables
 * first (per QP type); the firmware checks the source state and every
 * value again, so the device never trusts the driver's view of a QP. A UD
 * QP has no path: RST2INIT gives it the port's active MTU, the largest
 * message it may send.
 */
#include <rdma/ib_cache.h>
#include <rdma/uverbs_ioctl.h>
#include <rdma/mlx5x-abi.h>
#include "mlx5x.h"

#define MLX5X_MAX_PSN		0xffffff
#define MLX5X_MAX_QPN		0xffffff

static enum ib_qp_state qp_hw_to_ib_state(u8 s)
{
	switch (s) {
	case MLX5X_QP_STATE_RST:	return IB_QPS_RESET;
	case MLX5X_QP_STATE_INIT:	return IB_QPS_INIT;
	case MLX5X_QP_STATE_RTR:	return IB_QPS_RTR;
	case MLX5X_QP_STATE_RTS:	return IB_QPS_RTS;
	case MLX5X_QP_STATE_SQD:	return IB_QPS_SQD;
	case MLX5X_QP_STATE_SQER:	return IB_QPS_SQE;
	case MLX5X_QP_STATE_ERR:
	default:			return IB_QPS_ERR;
	}
}

/* The firmware command for a transition, or 0 if there is none. */
static u16 qp_modify_opcode(enum ib_qp_state cur, enum ib_qp_state new)
{
	if (new == IB_QPS_RESET)
		return MLX5X_CMD_2RST_QP;
	if (new == IB_QPS_ERR)
		return MLX5X_CMD_2ERR_QP;

	switch (cur) {
	case IB_QPS_RESET:
		return new == IB_QPS_INIT ? MLX5X_CMD_RST2INIT_QP : 0;
	case IB_QPS_INIT:
		if (new == IB_QPS_INIT)
			return MLX5X_CMD_INIT2INIT_QP;
		return new == IB_QPS_RTR ? MLX5X_CMD_INIT2RTR_QP : 0;
	case IB_QPS_RTR:
		return new == IB_QPS_RTS ? MLX5X_CMD_RTR2RTS_QP : 0;
	case IB_QPS_RTS:
		if (new == IB_QPS_RTS)
			return MLX5X_CMD_RTS2RTS_QP;
		return new == IB_QPS_SQD ? MLX5X_CMD_RTS2SQD_QP : 0;
	case IB_QPS_SQD:
		if (new == IB_QPS_SQD)
			return MLX5X_CMD_SQD2SQD_QP;
		return new == IB_QPS_RTS ? MLX5X_CMD_SQD2RTS_QP : 0;
	case IB_QPS_SQE:
		return new == IB_QPS_RTS ? MLX5X_CMD_SQERR2RTS_QP : 0;
	default:
		return 0;
	}
}

static u8 qp_access_to_hw(int access)
{
	u8 a = 0;

	if (access & IB_ACCESS_REMOTE_WRITE)
		a |= MLX5X_QP_ACCESS_REMOTE_WRITE;
	if (access & IB_ACCESS_REMOTE_READ)
		a |= MLX5X_QP_ACCESS_REMOTE_READ;
	if (access & IB_ACCESS_REMOTE_ATOMIC)
		a |= MLX5X_QP_ACCESS_REMOTE_ATOMIC;
	return a;
}

static int qp_access_from_hw(u8 a)
{
	int access = 0;

	if (a & MLX5X_QP_ACCESS_REMOTE_WRITE)
		access |= IB_ACCESS_REMOTE_WRITE;
	if (a & MLX5X_QP_ACCESS_REMOTE_READ)
		access |= IB_ACCESS_REMOTE_READ;
	if (a & MLX5X_QP_ACCESS_REMOTE_ATOMIC)
		access |= IB_ACCESS_REMOTE_ATOMIC;
	return access;
}

/* Primary path of a RoCE v2 QP into the device's address vector. */
static int qp_set_av(struct mlx5x_dev *dev, const struct rdma_ah_attr *ah,
		     struct mlx5x_av *av)
{
	const struct ib_global_route *grh;

	if (!(rdma_ah_get_ah_flags(ah) & IB_AH_GRH))
		return -EINVAL;
	grh = rdma_ah_read_grh(ah);
	if (!grh->sgid_attr ||
	    grh->sgid_attr->gid_type != IB_GID_TYPE_ROCE_UDP_ENCAP)
		return -EINVAL;
	if (rdma_ah_get_port_num(ah) && rdma_ah_get_port_num(ah) != 1)
		return -EINVAL;

	memcpy(av->dgid, grh->dgid.raw, sizeof(av->dgid));
	memcpy(av->rmac, ah->roce.dmac, sizeof(av->rmac));
	av->sgid_index = grh->sgid_index;
	av->hop_limit = grh->hop_limit;
	/*
	 * 20 bits on the wire; bits above are ignored, as ConnectX does (UCX
	 * passes ~0 for "no flow label" on RoCE).
	 */
	av->flow_label = grh->flow_label & IB_GRH_FLOWLABEL_MASK;
	av->traffic_class = grh->traffic_class;
	av->sl = rdma_ah_get_sl(ah);
	/* The model has no link rate to pace to; query_qp gives it back. */
	av->static_rate = rdma_ah_get_static_rate(ah);
	av->grh = 1;
	return 0;
}

/* Attribute mask and values into the firmware's qpc and opt_mask. */
static int qp_attr_to_hw(struct mlx5x_dev *dev, const struct ib_qp_attr *attr,
			 int mask, struct mlx5x_modify_qp_in *in)
{
	const struct mlx5x_hca_cap *cap = &dev->cap;
	struct mlx5x_qpc *qpc = &in->qpc;
	u32 opt = 0;
	int err;

	if (mask & (IB_QP_ALT_PATH | IB_QP_CAP | IB_QP_RATE_LIMIT))
		return -EOPNOTSUPP;
	if ((mask & IB_QP_PATH_MIG_STATE) &&
	    attr->path_mig_state != IB_MIG_MIGRATED)
		return -EOPNOTSUPP;

	if (mask & IB_QP_PKEY_INDEX) {
		if (attr->pkey_index >= cap->pkey_table_size)
			return -EINVAL;
		qpc->pkey_index = attr->pkey_index;
		opt |= MLX5X_QP_OPT_PKEY_INDEX;
	}
	if (mask & IB_QP_PORT) {
		if (attr->port_num != 1)
			return -EINVAL;
		qpc->port = attr->port_num;
		opt |= MLX5X_QP_OPT_PORT;
	}
	if (mask & IB_QP_ACCESS_FLAGS) {
		qpc->access = qp_access_to_hw(attr->qp_access_flags);
		opt |= MLX5X_QP_OPT_ACCESS;
	}
	if (mask & IB_QP_QKEY) {
		qpc->qkey = attr->qkey;
		opt |= MLX5X_QP_OPT_QKEY;
	}
	if (mask & IB_QP_AV) {
		err = qp_set_av(dev, &attr->ah_attr, &qpc->av);
		if (err)
			return err;
		opt |= MLX5X_QP_OPT_AV;
	}
	if (mask & IB_QP_PATH_MTU) {
		if (attr->path_mtu < IB_MTU_256 || attr->path_mtu > IB_MTU_4096)
			return -EINVAL;
		qpc->mtu = attr->path_mtu;
		opt |= MLX5X_QP_OPT_MTU;
	}
	if (mask & IB_QP_DEST_QPN) {
		if (attr->dest_qp_num > MLX5X_MAX_QPN)
			return -EINVAL;
		qpc->remote_qpn = attr->dest_qp_num;
		opt |= MLX5X_QP_OPT_DEST_QPN;
	}
	if (mask & IB_QP_RQ_PSN) {
		if (attr->rq_psn > MLX5X_MAX_PSN)
			return -EINVAL;
		qpc->next_rcv_psn = attr->rq_psn;
		opt |= MLX5X_QP_OPT_RQ_PSN;
	}
	if (mask & IB_QP_SQ_PSN) {
		if (attr->sq_psn > MLX5X_MAX_PSN)
			return -EINVAL;
		qpc->next_send_psn = attr->sq_psn;
		opt |= MLX5X_QP_OPT_SQ_PSN;
	}
	if (mask & IB_QP_MAX_DEST_RD_ATOMIC) {
		if (attr->max_dest_rd_atomic > cap->max_qp_dest_rd_atom)
			return -EINVAL;
		qpc->max_dest_rd_atomic = attr->max_dest_rd_atomic;
		opt |= MLX5X_QP_OPT_MAX_DEST_RD_ATOMIC;
	}
	if (mask & IB_QP_MAX_QP_RD_ATOMIC) {
		if (attr->max_rd_atomic > cap->max_qp_rd_atom)
			return -EINVAL;
		qpc->max_rd_atomic = attr->max_rd_atomic;
		opt |= MLX5X_QP_OPT_MAX_RD_ATOMIC;
	}
	if (mask & IB_QP_MIN_RNR_TIMER) {
		if (attr->min_rnr_timer > 31)
			return -EINVAL;
		qpc->min_rnr_nak = attr->min_rnr_timer;
		opt |= MLX5X_QP_OPT_MIN_RNR_TIMER;
	}
	if (mask & IB_QP_TIMEOUT) {
		if (attr->timeout > 31)
			return -EINVAL;
		qpc->ack_timeout = attr->timeout;
		opt |= MLX5X_QP_OPT_TIMEOUT;
	}
	if (mask & IB_QP_RETRY_CNT) {
		if (attr->retry_cnt > 7)
			return -EINVAL;
		qpc->retry_count = attr->retry_cnt;
		opt |= MLX5X_QP_OPT_RETRY_CNT;
	}
	if (mask & IB_QP_RNR_RETRY) {
		if (attr->rnr_retry > 7)
			return -EINVAL;
		qpc->rnr_retry = attr->rnr_retry;
		opt |= MLX5X_QP_OPT_RNR_RETRY;
	}
	if (mask & IB_QP_EN_SQD_ASYNC_NOTIFY) {
		qpc->sqd_event = !!attr->en_sqd_async_notify;
		opt |= MLX5X_QP_OPT_SQD_EVENT;
	}
	in->opt_mask = opt;
	return 0;
}

/* The device's context of @qp (QUERY_QP); kfree() it. */
static struct mlx5x_query_qp_out *qp_query_hw(struct mlx5x_dev *dev,
					      struct mlx5x_qp *qp)
{
	struct mlx5x_query_qp_out *out;
	struct mlx5x_obj_in in = {};
	int err;

	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return ERR_PTR(-ENOMEM);
	in.hdr.opcode = MLX5X_CMD_QUERY_QP;
	in.id = qp->qpn;
	err = mlx5x_cmd_exec(dev, &in, sizeof(in), out, sizeof(*out));
	if (err) {
		kfree(out);
		return ERR_PTR(err);
	}
	return out;
}

/*
 * The device moves a QP to ERR (or SQE) by itself when a work request
 * fails; learn that before choosing the transition command.
 */
static int qp_sync_state(struct mlx5x_dev *dev, struct mlx5x_qp *qp)
{
	struct mlx5x_query_qp_out *out;

	if (qp->state != IB_QPS_RTR && qp->state != IB_QPS_RTS &&
	    qp->state != IB_QPS_SQD)
		return 0;
	out = qp_query_hw(dev, qp);
	if (IS_ERR(out))
		return PTR_ERR(out);
	qp->state = qp_hw_to_ib_state(out->qpc.state);
	kfree(out);
	return 0;
}

int mlx5x_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
		    int mask, struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibqp->device);
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct mlx5x_cmd_simple_out out = {};
	struct mlx5x_modify_qp_in *in;
	enum ib_qp_state cur, new;
	u16 opcode;
	int err;

	if (mask & ~IB_QP_ATTR_STANDARD_BITS)
		return -EOPNOTSUPP;

	mutex_lock(&qp->mutex);
	err = qp_sync_state(dev, qp);
	if (err)
		goto out;
	cur = (mask & IB_QP_CUR_STATE) ? attr->cur_qp_state : qp->state;
	new = (mask & IB_QP_STATE) ? attr->qp_state : cur;
	if (!ib_modify_qp_is_ok(cur, new, ibqp->qp_type, mask)) {
		err = -EINVAL;
		goto out;
	}
	opcode = qp_modify_opcode(cur, new);
	if (!opcode) {
		err = -EINVAL;
		goto out;
	}

	in = kzalloc(sizeof(*in), GFP_KERNEL);
	if (!in) {
		err = -ENOMEM;
		goto out;
	}
	in->hdr.opcode = opcode;
	in->qpn = qp->qpn;
	err = qp_attr_to_hw(dev, attr, mask, in);
	if (!err && (ibqp->qp_type == IB_QPT_UD ||
		     ibqp->qp_type == IB_QPT_GSI) &&
	    opcode == MLX5X_CMD_RST2INIT_QP) {
		in->qpc.mtu = mlx5x_port_active_mtu(dev);
		in->opt_mask |= MLX5X_QP_OPT_MTU;
		/* ib_mad's RST2INIT of QP1 names no port: it has one. */
		if (ibqp->qp_type == IB_QPT_GSI) {
			in->qpc.port = ibqp->port;
			in->opt_mask |= MLX5X_QP_OPT_PORT;
		}
	}
	if (!err)
		err = mlx5x_cmd_exec(dev, in, sizeof(*in), &out, sizeof(out));
	kfree(in);
	if (!err)
		qp->state = new;
out:
	mutex_unlock(&qp->mutex);
	return err;
}

static void qp_av_to_ah(const struct mlx5x_av *av, struct rdma_ah_attr *ah)
{
	union ib_gid dgid;

	memset(ah, 0, sizeof(*ah));
	ah->type = RDMA_AH_ATTR_TYPE_ROCE;
	rdma_ah_set_port_num(ah, 1);
	rdma_ah_set_sl(ah, av->sl);
	rdma_ah_set_static_rate(ah, av->static_rate);
	if (!av->grh)
		return;
	memcpy(dgid.raw, av->dgid, sizeof(dgid.raw));
	rdma_ah_set_grh(ah, &dgid, av->flow_label, av->sgid_index,
			av->hop_limit, av->traffic_class);
	memcpy(ah->roce.dmac, av->rmac, sizeof(ah->roce.dmac));
}

int mlx5x_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
		   int mask, struct ib_qp_init_attr *init)
{
	struct mlx5x_dev *dev = to_mdev(ibqp->device);
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct mlx5x_query_qp_out *out;
	const struct mlx5x_qpc *qpc;

	out = qp_query_hw(dev, qp);
	if (IS_ERR(out))
		return PTR_ERR(out);
	qpc = &out->qpc;

	memset(attr, 0, sizeof(*attr));
	attr->qp_state = qp_hw_to_ib_state(qpc->state);
	attr->cur_qp_state = attr->qp_state;
	attr->path_mtu = qpc->mtu ? qpc->mtu : IB_MTU_256;
	attr->path_mig_state = IB_MIG_MIGRATED;
	attr->qkey = qpc->qkey;
	attr->rq_psn = qpc->next_rcv_psn;
	attr->sq_psn = qpc->next_send_psn;
	attr->dest_qp_num = qpc->remote_qpn;
	attr->qp_access_flags = qp_access_from_hw(qpc->access);
	attr->cap = qp->cap;
	qp_av_to_ah(&qpc->av, &attr->ah_attr);
	attr->pkey_index = qpc->pkey_index;
	attr->port_num = qpc->port ? qpc->port : 1;
	attr->en_sqd_async_notify = qpc->sqd_event;
	attr->sq_draining = qpc->sq_draining;
	attr->max_rd_atomic = qpc->max_rd_atomic;
	attr->max_dest_rd_atomic = qpc->max_dest_rd_atomic;
	attr->min_rnr_timer = qpc->min_rnr_nak;
	attr->timeout = qpc->ack_timeout;
	attr->retry_cnt = qpc->retry_count;
	attr->rnr_retry = qpc->rnr_retry;

	memset(init, 0, sizeof(*init));
	init->qp_type = ibqp->qp_type;
	init->send_cq = ibqp->send_cq;
	init->recv_cq = ibqp->recv_cq;
	init->srq = ibqp->srq;
	init->cap = qp->cap;
	init->sq_sig_type = qp->sq_sig_type;
	kfree(out);
	return 0;
}

static int qp_check_geometry(struct mlx5x_dev *dev,
			     const struct ib_qp_init_attr *init,
			     const struct mlx5x_create_qp *ucmd)
{
	u32 max_wqes = 1U << dev->cap.log_max_qp_sz;
	const struct ib_qp_cap *cap = &init->cap;

	if (ucmd->flags || !ucmd->sq_wqe_cnt ||
	    !is_power_of_2(ucmd->sq_wqe_cnt) || ucmd->sq_wqe_cnt > max_wqes ||
	    ucmd->sq_wqe_cnt < cap->max_send_wr)
		return -EINVAL;
	if (ucmd->rq_wqe_cnt &&
	    (!is_power_of_2(ucmd->rq_wqe_cnt) || ucmd->rq_wqe_cnt > max_wqes ||
	     ucmd->rq_wqe_shift < 4 || ucmd->rq_wqe_shift > 8))
		return -EINVAL;
	if (ucmd->rq_wqe_cnt < cap->max_recv_wr)
		return -EINVAL;
	if (!IS_ALIGNED(ucmd->buf_addr, MLX5X_SEND_WQE_BB))
		return -EINVAL;
	if (cap->max_send_wr > max_wqes || cap->max_recv_wr > max_wqes ||
	    cap->max_send_sge > dev->cap.max_sge_sq ||
	    cap->max_recv_sge > dev->cap.max_sge_rq ||
	    cap->max_inline_data > dev->cap.max_inline_data)
		return -EINVAL;
	return 0;
}

/*
 * CREATE_QP with @qpc (service type, ring geometry, UAR, doorbell record)
 * on the process's pinned ring (@umem) or the driver's own (@kring); then
 * publish the QP for its events.
 */
int mlx5x_qp_create_hw(struct mlx5x_dev *dev, struct mlx5x_qp *qp,
		       const struct ib_qp_init_attr *init,
		       const struct mlx5x_qpc *qpc, struct ib_umem *umem,
		       const struct mlx5x_kring *kring)
{
	struct mlx5x_alloc_out out = {};
	struct mlx5x_create_qp_in *in;
	size_t npages, in_len;
	int err;

	npages = mlx5x_ring_npages(umem, kring);
	in_len = struct_size(in, pas, npages);
	in = kvzalloc(in_len, GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	in->hdr.opcode = MLX5X_CMD_CREATE_QP;
	in->qpc = *qpc;
	if (init->srq) {
		in->qpc.use_srq = 1;
		in->qpc.srqn = to_msrq(init->srq)->srqn;
	}
	in->qpc.log_page_size = PAGE_SHIFT;
	in->qpc.pdn = to_mpd(qp->ibqp.pd)->pdn;
	in->qpc.cqn_snd = to_mcq(init->send_cq)->cqn;
	in->qpc.cqn_rcv = to_mcq(init->recv_cq)->cqn;
	in->qpc.npages = npages;
	in->qpc.page_offset = mlx5x_ring_pas(umem, kring, in->pas);
	err = mlx5x_cmd_exec(dev, in, in_len, &out, sizeof(out));
	kvfree(in);
	if (err)
		return err;

	qp->qpn = out.id;
	qp->ibqp.qp_num = qp->qpn;
	qp->state = IB_QPS_RESET;
	qp->cap = init->cap;
	qp->sq_sig_type = init->sq_sig_type;
	mutex_init(&qp->mutex);
	err = mlx5x_res_add(&dev->qps, qp->qpn, &qp->res);
	if (err)
		mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_QP, qp->qpn);
	return err;
}

int mlx5x_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
		    struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibqp->device);
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct mlx5x_ucontext *uctx = rdma_udata_to_drv_context(udata,
					struct mlx5x_ucontext, ibucontext);
	struct mlx5x_create_qp_resp resp = {};
	struct mlx5x_create_qp ucmd;
	struct mlx5x_qpc qpc = {};
	size_t rq_bytes, buf_bytes;
	u8 st;
	int err;

	if (init->create_flags || init->xrcd || init->rwq_ind_tbl)
		return -EOPNOTSUPP;
	/* Kernel consumers: UD and the GSI QP (kqp.c). */
	if (!udata)
		return mlx5x_kqp_create(dev, qp, init);
	if (!uctx)
		return -EOPNOTSUPP;
	switch (init->qp_type) {
	case IB_QPT_RC:
		st = MLX5X_QP_ST_RC;
		break;
	case IB_QPT_UC:
		st = MLX5X_QP_ST_UC;
		break;
	case IB_QPT_UD:
		st = MLX5X_QP_ST_UD;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if ((st == MLX5X_QP_ST_UC && !(dev->cap.flags & MLX5X_CAP_FLAG_UC)) ||
	    (st == MLX5X_QP_ST_UD && !(dev->cap.flags & MLX5X_CAP_FLAG_UD)))
		return -EOPNOTSUPP;
	/*
	 * UC on an SRQ: a WRITE_IMM with a bad rkey would have taken an SRQ
	 * WQE that nothing can give back without moving the QP to ERR (UC
	 * drops such messages). Not offered; UD and RC may use an SRQ.
	 */
	if (init->srq && st == MLX5X_QP_ST_UC)
		return -EOPNOTSUPP;
	if (udata->inlen < sizeof(ucmd))
		return -EINVAL;
	err = ib_copy_from_udata(&ucmd, udata, sizeof(ucmd));
	if (err)
		return err;
	err = qp_check_geometry(dev, init, &ucmd);
	if (err)
		return err;
	/* Receives come from the SRQ: no receive ring of its own. */
	if (init->srq && ucmd.rq_wqe_cnt)
		return -EINVAL;

	rq_bytes = (size_t)ucmd.rq_wqe_cnt << ucmd.rq_wqe_shift;
	buf_bytes = rq_bytes + (size_t)ucmd.sq_wqe_cnt * MLX5X_SEND_WQE_BB;
	err = mlx5x_user_ring_get(uctx, ucmd.buf_addr, buf_bytes, ucmd.db_addr,
				  &qp->ring);
	if (err)
		return err;

	qpc.st = st;
	qpc.log_sq_size = ilog2(ucmd.sq_wqe_cnt);
	qpc.no_rq = !ucmd.rq_wqe_cnt && !init->srq;
	if (ucmd.rq_wqe_cnt) {
		qpc.log_rq_size = ilog2(ucmd.rq_wqe_cnt);
		qpc.log_rq_stride = ucmd.rq_wqe_shift;
	}
	qpc.uar_index = uctx->uar_index;
	qpc.dbr_addr = qp->ring.db.phys;
	err = mlx5x_qp_create_hw(dev, qp, init, &qpc, qp->ring.umem, NULL);
	if (err)
		goto err_ring;

	resp.qpn = qp->qpn;
	err = ib_copy_to_udata(udata, &resp,
			       min_t(size_t, udata->outlen, sizeof(resp)));
	if (err)
		goto err_xa;
	return 0;

err_xa:
	mlx5x_res_del(&dev->qps, qp->qpn, &qp->res);
	mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_QP, qp->qpn);
err_ring:
	mlx5x_user_ring_put(uctx, &qp->ring);
	return err;
}

int mlx5x_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata)
{
	struct mlx5x_dev *dev = to_mdev(ibqp->device);
	struct mlx5x_qp *qp = to_mqp(ibqp);
	struct mlx5x_ucontext *uctx = rdma_udata_to_drv_context(udata,
					struct mlx5x_ucontext, ibucontext);
	int err;

	err = mlx5x_cmd_simple(dev, MLX5X_CMD_DESTROY_QP, qp->qpn);
	mlx5x_res_del(&dev->qps, qp->qpn, &qp->res);
	if (err && err != -ENODEV) {
		/* The device may still use the rings: keep them pinned. */
		dev_err(&dev->pdev->dev, "DESTROY_QP 0x%x failed: %d\n",
			qp->qpn, err);
		return 0;
	}
	if (qp->kqp) {
		mlx5x_kqp_destroy(qp);
		return 0;
	}
	mlx5x_user_ring_put(uctx, &qp->ring);
	return 0;
}

/*
 * Kernel QPs post through kqp.c. For a process's QP this is the kick:
 * libmlx5x posts its WQEs in user memory and, only when the
 * device's doorbell poller sleeps (NEED_WAKEUP in the UAR), sends a POST_SEND
 * with no work requests so the device looks at this QP's send queue. Work
 * requests passed through the kernel are not supported: the data path is
 * the provider's.
 */
int mlx5x_post_send(struct ib_qp *ibqp, const struct ib_send_wr *wr,
		    const struct ib_send_wr **bad_wr)
{
	struct mlx5x_qp *qp = to_mqp(ibqp);

	if (qp->kqp)
		return mlx5x_kqp_post_send(qp, wr, bad_wr);
	if (wr) {
		*bad_wr = wr;
		return -EINVAL;
	}
	mlx5x_hw_qp_kick(to_mdev(ibqp->device)->hw, qp->qpn);
	return 0;
}

static enum ib_event_type qp_event_type(u8 eqe_type)
{
	switch (eqe_type) {
	case MLX5X_EQE_QP_PATH_MIG:	return IB_EVENT_PATH_MIG;
	case MLX5X_EQE_QP_COMM_EST:	return IB_EVENT_COMM_EST;
	case MLX5X_EQE_QP_SQ_DRAINED:	return IB_EVENT_SQ_DRAINED;
	case MLX5X_EQE_QP_LAST_WQE:	return IB_EVENT_QP_LAST_WQE_REACHED;
	case MLX5X_EQE_QP_INVAL_REQ_ERR: return IB_EVENT_QP_REQ_ERR;
	case MLX5X_EQE_QP_ACCESS_ERR:	return IB_EVENT_QP_ACCESS_ERR;
	case MLX5X_EQE_QP_CATAS_ERR:
	default:			return IB_EVENT_QP_FATAL;
	}
}

/* From the EQ handler: an affiliated asynchronous event on QP @qpn. */
void mlx5x_qp_event(struct mlx5x_dev *dev, u32 qpn, u8 eqe_type)
{
	struct mlx5x_res *res = mlx5x_res_get(&dev->qps, qpn);
	struct ib_event ev = {};
	struct mlx5x_qp *qp;

	if (!res)
		return;
	qp = container_of(res, struct mlx5x_qp, res);

	if (qp->ibqp.event_handler) {
		ev.device = &dev->ib_dev;
		ev.element.qp = &qp->ibqp;
		ev.event = qp_event_type(eqe_type);
		qp->ibqp.event_handler(&ev, qp->ibqp.qp_context);
	}
	mlx5x_res_put(res);
}

// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The provider end to end against a mock of the kernel's uverbs write()
 * interface, without a kernel or a device.
 *
 * This program stands in for the kernel around the built provider (argv[1]):
 *  - sysfs: a temporary tree (SYSFS_PATH) with one rdma device whose parent
 *    has the modalias "platform:mlx5x" and ABI version 1, and a decoy the
 *    provider must not claim; libibverbs loads the provider named in
 *    RDMAV_DRIVERS and matches it for real. stat() of files in
 *    /dev/infiniband succeeds, so libibverbs believes in the char devices;
 *  - the uverbs char device: the test opens /dev/null as the command fd and
 *    calls the provider's alloc_context with it. It defines write(),
 *    ioctl(), mmap(), munmap() and close(), which libibverbs and the
 *    provider call through the PLT. ioctl() on the command fd fails with
 *    ENOTTY, so libibverbs falls back to the legacy write() commands;
 *    write() decodes each command as the uverbs core and the mlx5x driver
 *    do (header, core struct, then the mlx5x udata of <rdma/mlx5x-abi.h>)
 *    and writes the response.
 * Everything else (matching, command marshalling, context setup and
 * teardown) is the real libibverbs of this host, so the test checks the
 * exact bytes the provider puts on the wire and what it does with replies.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mlx5x.h"

static int failures;

#define CHECK_EQ(what, seen, expected)					\
	do {								\
		unsigned long long _s = (seen), _e = (expected);	\
		if (_s != _e) {						\
			printf("FAIL %s:%d %s: expected %llu (0x%llx), saw %llu (0x%llx)\n", \
			       __FILE__, __LINE__, what, _e, _e, _s, _s); \
			failures++;					\
		}							\
	} while (0)

#define CHECK(what, cond)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d %s\n", __FILE__, __LINE__,	\
			       what);					\
			failures++;					\
		}							\
	} while (0)

/* ---------------------------------------------------------------------
 * The mock kernel
 */

#define MOCK_UAR_OFFSET		0x7000
#define MOCK_FW_VER		((UINT64_C(1) << 32) | (2 << 16) | 3)

static struct {
	int fd;				/* the mock uverbs command fd */
	bool fd_closed;
	struct mlx5x_alloc_ucontext_resp uctx;	/* GET_CONTEXT's answer */
	uint32_t next_handle;
	unsigned int ncmds[64];		/* commands seen, by number */
	size_t in_bytes[64];		/* last write() length, by command */
	size_t out_bytes[64];		/* last response length, by command */

	struct ib_uverbs_create_cq cq_core;
	struct mlx5x_create_cq cq_drv;
	struct ib_uverbs_create_qp qp_core;
	struct mlx5x_create_qp qp_drv;
	struct ib_uverbs_reg_mr mr_core;

	void *uar;
	size_t uar_len;
	int uar_prot, uar_flags;
	off_t uar_off;
	bool uar_unmapped;
} mock;

static void reply(uint64_t resp, size_t out, const void *r, size_t len)
{
	memcpy((void *)(uintptr_t)resp, r, out < len ? out : len);
}

static ssize_t mock_write(const void *buf, size_t count)
{
	const struct ib_uverbs_cmd_hdr *hdr = buf;
	const uint8_t *core = (const uint8_t *)buf + sizeof(*hdr);
	size_t in = hdr->in_words * 4, out = hdr->out_words * 4;
	uint64_t resp;
	uint32_t h = ++mock.next_handle;

	if (count != in || hdr->command >= 64) {
		errno = EINVAL;
		return -1;
	}
	mock.ncmds[hdr->command]++;
	mock.in_bytes[hdr->command] = in;
	mock.out_bytes[hdr->command] = out;
	memcpy(&resp, core, sizeof(resp));	/* every core cmd starts so */

	switch (hdr->command) {
	case IB_USER_VERBS_CMD_GET_CONTEXT: {
		struct {
			struct ib_uverbs_get_context_resp core;
			struct mlx5x_alloc_ucontext_resp drv;
		} r = {};

		r.core.async_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		r.core.num_comp_vectors = 1;
		r.drv = mock.uctx;
		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_QUERY_DEVICE: {
		struct ib_uverbs_query_device_resp r = {
			.fw_ver = MOCK_FW_VER,
			.vendor_id = 0x1234,
			.phys_port_cnt = 1,
		};

		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_ALLOC_PD: {
		struct ib_uverbs_alloc_pd_resp r = { .pd_handle = h };

		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_REG_MR: {
		struct ib_uverbs_reg_mr_resp r = {
			.mr_handle = h, .lkey = 0x100 + h, .rkey = 0x200 + h,
		};

		memcpy(&mock.mr_core, core, sizeof(mock.mr_core));
		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_CREATE_CQ: {
		struct {
			struct ib_uverbs_create_cq_resp core;
			struct mlx5x_create_cq_resp drv;
		} r = {};

		memcpy(&mock.cq_core, core, sizeof(mock.cq_core));
		memcpy(&mock.cq_drv, core + sizeof(mock.cq_core),
		       sizeof(mock.cq_drv));
		r.core.cq_handle = h;
		r.core.cqe = mock.cq_core.cqe;
		r.drv.cqn = 0xc00 + h;
		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_CREATE_QP: {
		struct {
			struct ib_uverbs_create_qp_resp core;
			struct mlx5x_create_qp_resp drv;
		} r = {};

		memcpy(&mock.qp_core, core, sizeof(mock.qp_core));
		memcpy(&mock.qp_drv, core + sizeof(mock.qp_core),
		       sizeof(mock.qp_drv));
		r.core.qp_handle = h;
		r.core.qpn = 0x900 + h;
		/* Deliberately not what the provider computed. */
		r.core.max_send_wr = 1;
		r.core.max_recv_wr = 1;
		r.drv.qpn = 0x900 + h;
		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_QUERY_QP: {
		struct ib_uverbs_query_qp_resp r = {
			.qp_state = IBV_QPS_INIT,
			.max_send_wr = 1,
			.max_recv_wr = 1,
		};

		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_DESTROY_CQ: {
		struct ib_uverbs_destroy_cq_resp r = {};

		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_DESTROY_QP: {
		struct ib_uverbs_destroy_qp_resp r = {};

		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_DEALLOC_PD:
	case IB_USER_VERBS_CMD_DEREG_MR:
	case IB_USER_VERBS_CMD_MODIFY_QP:
		break;
	default:
		errno = ENOSYS;
		return -1;
	}
	return count;
}

/* Interposed on libibverbs and the provider (they call these via PLT). */

ssize_t write(int fd, const void *buf, size_t count)
{
	if (fd == mock.fd)
		return mock_write(buf, count);
	return syscall(SYS_write, fd, buf, count);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (fd == mock.fd) {
		errno = ENOTTY;	/* no ioctl() uverbs: legacy write() only */
		return -1;
	}
	return syscall(SYS_ioctl, fd, request, arg);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fd == mock.fd) {
		mock.uar_len = len;
		mock.uar_prot = prot;
		mock.uar_flags = flags;
		mock.uar_off = off;
		mock.uar = (void *)syscall(SYS_mmap, NULL, len,
					   PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return mock.uar;
	}
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

int munmap(void *addr, size_t len)
{
	if (mock.uar && addr == mock.uar && len == mock.uar_len)
		mock.uar_unmapped = true;
	return syscall(SYS_munmap, addr, len);
}

int close(int fd)
{
	if (fd == mock.fd)
		mock.fd_closed = true;
	return syscall(SYS_close, fd);
}

int stat(const char *path, struct stat *st)
{
	if (!strncmp(path, "/dev/infiniband/", 16)) {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFCHR | 0666;
		return 0;
	}
	return fstatat(AT_FDCWD, path, st, 0);
}

/* ---------------------------------------------------------------------
 * sysfs
 */

static char sysfs_root[] = "/tmp/mlx5x-test-sysfs-XXXXXX";
static char sysfs_made[32][256];	/* to remove, in reverse */
static int nsysfs_made;

static void sysfs_add(const char *rel, const char *content, const char *link)
{
	char *path = sysfs_made[nsysfs_made++];
	FILE *f;

	snprintf(path, sizeof(sysfs_made[0]), "%s/%s", sysfs_root, rel);
	if (link) {
		if (symlink(link, path))
			perror(path);
	} else if (!content) {
		if (mkdir(path, 0755))
			perror(path);
	} else {
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return;
		}
		fputs(content, f);
		fclose(f);
	}
}

static void sysfs_remove(void)
{
	while (nsysfs_made--)
		remove(sysfs_made[nsysfs_made]);
	rmdir(sysfs_root);
}

static bool make_sysfs(void)
{
	if (!mkdtemp(sysfs_root)) {
		perror("mkdtemp");
		return false;
	}
	sysfs_add("class", NULL, NULL);
	sysfs_add("class/infiniband_verbs", NULL, NULL);
	sysfs_add("class/infiniband_verbs/abi_version", "6\n", NULL);
	sysfs_add("class/infiniband", NULL, NULL);
	sysfs_add("devices", NULL, NULL);

	/* The mlx5x device. */
	sysfs_add("devices/mlx5x", NULL, NULL);
	sysfs_add("devices/mlx5x/modalias", "platform:mlx5x\n", NULL);
	sysfs_add("class/infiniband_verbs/uverbs0", NULL, NULL);
	sysfs_add("class/infiniband_verbs/uverbs0/ibdev", "mlx5x_0\n", NULL);
	sysfs_add("class/infiniband_verbs/uverbs0/dev", "231:192\n", NULL);
	sysfs_add("class/infiniband_verbs/uverbs0/abi_version", "1\n", NULL);
	sysfs_add("class/infiniband/mlx5x_0", NULL, NULL);
	sysfs_add("class/infiniband/mlx5x_0/node_type", "1: CA\n", NULL);
	sysfs_add("class/infiniband/mlx5x_0/device", NULL,
		  "../../../devices/mlx5x");

	/* A decoy: a near miss of the modalias. */
	sysfs_add("devices/decoy", NULL, NULL);
	sysfs_add("devices/decoy/modalias", "platform:mlx5xx\n", NULL);
	sysfs_add("class/infiniband_verbs/uverbs1", NULL, NULL);
	sysfs_add("class/infiniband_verbs/uverbs1/ibdev", "decoy_0\n", NULL);
	sysfs_add("class/infiniband_verbs/uverbs1/dev", "231:193\n", NULL);
	sysfs_add("class/infiniband_verbs/uverbs1/abi_version", "1\n", NULL);
	sysfs_add("class/infiniband/decoy_0", NULL, NULL);
	sysfs_add("class/infiniband/decoy_0/node_type", "1: CA\n", NULL);
	sysfs_add("class/infiniband/decoy_0/device", NULL,
		  "../../../devices/decoy");
	return true;
}

static const struct verbs_device_ops *provider;

/* Discover the device through the real libibverbs and its matching. */
static struct verbs_device *find_device(const char *provider_path,
					struct ibv_device ***list)
{
	char drivers[4096];
	struct verbs_device *vdev = NULL;
	int i, n;

	/* libibverbs appends "-rdmav34.so" to the names in RDMAV_DRIVERS. */
	snprintf(drivers, sizeof(drivers), "%s", provider_path);
	if (strlen(drivers) > 11 &&
	    !strcmp(drivers + strlen(drivers) - 11, "-rdmav34.so"))
		drivers[strlen(drivers) - 11] = 0;
	setenv("RDMAV_DRIVERS", drivers, 1);
	setenv("SYSFS_PATH", sysfs_root, 1);

	*list = ibv_get_device_list(&n);
	CHECK("device list", *list);
	if (!*list)
		return NULL;
	CHECK_EQ("devices matched", n, 1);
	for (i = 0; i < n; i++) {
		if (strcmp((*list)[i]->name, "mlx5x_0"))
			printf("FAIL device %s matched\n", (*list)[i]->name);
		else
			vdev = mlx5x_container_of((*list)[i],
						   struct verbs_device, device);
	}
	if (vdev)
		provider = vdev->ops;
	return vdev;
}

static struct ibv_context *open_context(struct verbs_device *vdev)
{
	struct verbs_context *vctx;

	mock.fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	mock.fd_closed = false;
	vctx = provider->alloc_context(&vdev->device, mock.fd, NULL);
	return vctx ? &vctx->context : NULL;
}

static const struct mlx5x_alloc_ucontext_resp good_uctx = {
	.uar_mmap_offset = MOCK_UAR_OFFSET,
	.uar_index = 3,
	.uar_size = 4096,
	.cqe_size = MLX5X_CQE_SIZE,
	.send_wqe_bb = MLX5X_SEND_WQE_BB,
	.max_send_wqebb = 1024,
	.max_recv_wr = 512,
	.max_cqe = 4096,
	.max_send_sge = 8,
	.max_recv_sge = 8,
	.max_inline_data = 128,
};

/* ---------------------------------------------------------------------
 * Tests
 */

static void test_registration(void)
{
	const struct verbs_match_ent *m;

	CHECK("provider matched the device", provider);
	if (!provider)
		return;
	CHECK("name", !strcmp(provider->name, "mlx5x"));
	CHECK_EQ("min abi", provider->match_min_abi_version,
		 MLX5X_UVERBS_ABI_VERSION);
	CHECK_EQ("max abi", provider->match_max_abi_version,
		 MLX5X_UVERBS_ABI_VERSION);
	m = provider->match_table;
	CHECK("match table", m);
	if (!m)
		return;
	CHECK_EQ("match kind", m[0].kind, VERBS_MATCH_MODALIAS);
	CHECK("match modalias", !strcmp(m[0].u.modalias, "platform:mlx5x"));
	CHECK_EQ("table ends", m[1].kind, VERBS_MATCH_SENTINEL);
}

static void test_context_refused(struct verbs_device *vdev)
{
	int refs = atomic_load(&vdev->refcount);
	struct ibv_context *ctx;

	mock.uctx = good_uctx;
	mock.uctx.cqe_size = 128;
	errno = 0;
	ctx = open_context(vdev);
	CHECK("context with foreign CQE size refused", !ctx);
	CHECK_EQ("errno", errno, EPROTO);
	CHECK("command fd closed on failure", mock.fd_closed);
	CHECK_EQ("device refcount back", atomic_load(&vdev->refcount), refs);
}

static void test_cq(struct ibv_context *ctx, struct ibv_cq **out)
{
	struct mlx5x_context *mctx = to_mctx(ctx);
	unsigned int before;
	struct ibv_cq *cq;
	uint8_t *ring;
	uint32_t *db;
	unsigned int i;

	before = mock.ncmds[IB_USER_VERBS_CMD_CREATE_CQ];
	errno = 0;
	CHECK("cqe 0 refused", !ibv_create_cq(ctx, 0, NULL, NULL, 0));
	CHECK_EQ("cqe 0: errno", errno, EINVAL);
	errno = 0;
	CHECK("cqe above max_cqe refused",
	      !ibv_create_cq(ctx, 4097, NULL, NULL, 0));
	CHECK_EQ("cqe 4097: errno", errno, EINVAL);
	CHECK_EQ("refused CQs never reach the kernel",
		 mock.ncmds[IB_USER_VERBS_CMD_CREATE_CQ], before);

	cq = ibv_create_cq(ctx, 5, NULL, NULL, 0);
	*out = cq;
	CHECK("create_cq", cq);
	if (!cq)
		return;
	CHECK_EQ("CREATE_CQ bytes in",
		 mock.in_bytes[IB_USER_VERBS_CMD_CREATE_CQ], 8 + 32 + 24);
	CHECK_EQ("CREATE_CQ bytes out",
		 mock.out_bytes[IB_USER_VERBS_CMD_CREATE_CQ], 8 + 8);
	CHECK_EQ("core cqe rounded", mock.cq_core.cqe, 8);
	CHECK_EQ("core comp_channel", (uint32_t)mock.cq_core.comp_channel,
		 (uint32_t)-1);
	CHECK_EQ("ibv_cq.cqe", cq->cqe, 8);
	CHECK_EQ("drv cqe_size", mock.cq_drv.cqe_size, MLX5X_CQE_SIZE);
	CHECK_EQ("drv reserved", mock.cq_drv.reserved, 0);
	CHECK_EQ("CQ buffer page aligned", mock.cq_drv.buf_addr % 4096, 0);
	CHECK_EQ("CQ dbrec aligned", mock.cq_drv.db_addr % MLX5X_DBREC_STRIDE,
		 0);
	CHECK_EQ("cqn kept", to_mcq(cq)->cqn, 0xc00 + mock.next_handle);

	ring = (uint8_t *)(uintptr_t)mock.cq_drv.buf_addr;
	for (i = 0; i < 8; i++)
		CHECK_EQ("CQE hardware owned",
			 ring[i * MLX5X_CQE_SIZE + MLX5X_CQE_SIZE - 1], 1);
	db = (uint32_t *)(uintptr_t)mock.cq_drv.db_addr;
	CHECK("CQ dbrec zeroed", db[0] == 0 && db[1] == 0);
	CHECK("CQ dbrec from the pool", mctx->dbrec_pool.pages);
}

static struct ibv_qp_init_attr rc_attr(struct ibv_cq *cq)
{
	return (struct ibv_qp_init_attr){
		.send_cq = cq,
		.recv_cq = cq,
		.cap = {
			.max_send_wr = 10,
			.max_recv_wr = 100,
			.max_send_sge = 4,
			.max_recv_sge = 3,
		},
		.qp_type = IBV_QPT_RC,
	};
}

static void test_qp_refused(struct ibv_pd *pd, struct ibv_cq *cq)
{
	unsigned int before = mock.ncmds[IB_USER_VERBS_CMD_CREATE_QP];
	struct ibv_qp_init_attr_ex ax;
	struct ibv_qp_init_attr a;

	a = rc_attr(cq);
	a.qp_type = IBV_QPT_UD;
	errno = 0;
	CHECK("UD refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("UD: errno", errno, EOPNOTSUPP);

	a = rc_attr(cq);
	a.srq = (struct ibv_srq *)&a;	/* never dereferenced */
	errno = 0;
	CHECK("SRQ refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("SRQ: errno", errno, EOPNOTSUPP);

	a = rc_attr(cq);
	a.cap.max_send_sge = 9;
	errno = 0;
	CHECK("send_sge > device refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("send_sge: errno", errno, EINVAL);
	CHECK_EQ("caps untouched on failure", a.cap.max_send_sge, 9);

	a = rc_attr(cq);
	a.cap.max_inline_data = 129;
	errno = 0;
	CHECK("inline > device refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("inline: errno", errno, EINVAL);

	a = rc_attr(cq);
	a.cap.max_send_wr = 600;	/* 2 WQEBBs each: 2048 > 1024 */
	errno = 0;
	CHECK("SQ > device refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("SQ: errno", errno, EINVAL);

	a = rc_attr(cq);
	a.cap.max_recv_wr = 513;
	errno = 0;
	CHECK("RQ > device refused", !ibv_create_qp(pd, &a));
	CHECK_EQ("RQ: errno", errno, EINVAL);

	memset(&ax, 0, sizeof(ax));
	memcpy(&ax, &a, sizeof(a));
	ax.cap = rc_attr(cq).cap;
	ax.comp_mask = IBV_QP_INIT_ATTR_PD | IBV_QP_INIT_ATTR_CREATE_FLAGS;
	ax.pd = pd;
	errno = 0;
	CHECK("create_qp_ex with create flags refused",
	      !ibv_create_qp_ex(pd->context, &ax));
	CHECK_EQ("create flags: errno", errno, EOPNOTSUPP);

	CHECK_EQ("refused QPs never reach the kernel",
		 mock.ncmds[IB_USER_VERBS_CMD_CREATE_QP], before);
}

static void test_qp(struct ibv_pd *pd, struct ibv_cq *cq)
{
	struct ibv_qp_init_attr a = rc_attr(cq), qinit;
	struct ibv_qp_init_attr_ex ax = {};
	struct ibv_qp_attr qattr = {};
	struct ibv_qp *qp, *qp2;
	uint32_t *db;

	qp = ibv_create_qp(pd, &a);
	CHECK("create_qp", qp);
	if (!qp)
		return;
	CHECK_EQ("CREATE_QP bytes in",
		 mock.in_bytes[IB_USER_VERBS_CMD_CREATE_QP], 8 + 56 + 32);
	CHECK_EQ("CREATE_QP bytes out",
		 mock.out_bytes[IB_USER_VERBS_CMD_CREATE_QP], 32 + 8);
	/* 4 SGEs: 112-byte WQEs, 2 WQEBBs; 10 WRs -> 20 -> 32 WQEBBs. */
	CHECK_EQ("drv sq_wqe_cnt", mock.qp_drv.sq_wqe_cnt, 32);
	CHECK_EQ("drv rq_wqe_cnt", mock.qp_drv.rq_wqe_cnt, 128);
	CHECK_EQ("drv rq_wqe_shift", mock.qp_drv.rq_wqe_shift, 6);
	CHECK_EQ("drv flags", mock.qp_drv.flags, 0);
	CHECK_EQ("QP buffer page aligned", mock.qp_drv.buf_addr % 4096, 0);
	CHECK_EQ("QP dbrec aligned", mock.qp_drv.db_addr % MLX5X_DBREC_STRIDE,
		 0);
	CHECK("QP and CQ dbrecs differ",
	      mock.qp_drv.db_addr != mock.cq_drv.db_addr);
	CHECK_EQ("core qp_type", mock.qp_core.qp_type, IBV_QPT_RC);
	CHECK_EQ("core is_srq", mock.qp_core.is_srq, 0);
	CHECK_EQ("core pd_handle", mock.qp_core.pd_handle, pd->handle);
	CHECK_EQ("core send_cq_handle", mock.qp_core.send_cq_handle,
		 cq->handle);
	CHECK_EQ("core max_send_wr (actual)", mock.qp_core.max_send_wr, 16);
	CHECK_EQ("core max_recv_wr (actual)", mock.qp_core.max_recv_wr, 128);
	CHECK_EQ("core max_send_sge (actual)", mock.qp_core.max_send_sge, 5);
	CHECK_EQ("core max_recv_sge (actual)", mock.qp_core.max_recv_sge, 4);
	CHECK_EQ("core max_inline (actual)", mock.qp_core.max_inline_data, 76);
	CHECK_EQ("reported max_send_wr", a.cap.max_send_wr, 16);
	CHECK_EQ("reported max_recv_wr", a.cap.max_recv_wr, 128);
	CHECK_EQ("reported max_send_sge", a.cap.max_send_sge, 5);
	CHECK_EQ("reported max_recv_sge", a.cap.max_recv_sge, 4);
	CHECK_EQ("reported max_inline", a.cap.max_inline_data, 76);
	CHECK_EQ("qp_num", qp->qp_num, 0x900 + mock.next_handle);
	CHECK_EQ("qpn kept", to_mqp(qp)->qpn, 0x900 + mock.next_handle);
	CHECK_EQ("QP state", qp->state, IBV_QPS_RESET);

	/* MODIFY to INIT leaves the dbrec alone; back to RESET rewinds it. */
	db = (uint32_t *)(uintptr_t)mock.qp_drv.db_addr;
	db[MLX5X_QP_DBREC_RCV] = 5;
	db[MLX5X_QP_DBREC_SND] = 7;
	qattr.qp_state = IBV_QPS_INIT;
	CHECK_EQ("modify to INIT", ibv_modify_qp(qp, &qattr, IBV_QP_STATE), 0);
	CHECK_EQ("dbrec kept", db[MLX5X_QP_DBREC_SND], 7);
	qattr.qp_state = IBV_QPS_RESET;
	CHECK_EQ("modify to RESET", ibv_modify_qp(qp, &qattr, IBV_QP_STATE), 0);
	CHECK("dbrec rewound", db[MLX5X_QP_DBREC_RCV] == 0 &&
	      db[MLX5X_QP_DBREC_SND] == 0);
	CHECK_EQ("MODIFY_QP sent", mock.ncmds[IB_USER_VERBS_CMD_MODIFY_QP], 2);

	memset(&qattr, 0, sizeof(qattr));
	memset(&qinit, 0, sizeof(qinit));
	CHECK_EQ("query_qp", ibv_query_qp(qp, &qattr, IBV_QP_STATE | IBV_QP_CAP,
					  &qinit), 0);
	CHECK_EQ("queried state", qattr.qp_state, IBV_QPS_INIT);
	CHECK_EQ("queried init max_send_wr", qinit.cap.max_send_wr, 16);
	CHECK_EQ("queried init max_recv_wr", qinit.cap.max_recv_wr, 128);
	CHECK_EQ("queried max_send_wr", qattr.cap.max_send_wr, 16);
	CHECK_EQ("queried max_inline", qattr.cap.max_inline_data, 76);

	/* The data path is not there yet: libibverbs' stubs answer. */
	{
		struct ibv_send_wr wr = {}, *bad = NULL;
		struct ibv_recv_wr rwr = {}, *rbad = NULL;

		CHECK_EQ("post_send stub", ibv_post_send(qp, &wr, &bad),
			 EOPNOTSUPP);
		CHECK_EQ("post_recv stub", ibv_post_recv(qp, &rwr, &rbad),
			 EOPNOTSUPP);
	}

	/* ibv_create_qp_ex with only a PD is the same QP. */
	memcpy(&ax, &a, sizeof(a));
	ax.cap = rc_attr(cq).cap;
	ax.cap.max_send_wr = 0;		/* still gets one send WQE */
	ax.cap.max_recv_wr = 0;
	ax.comp_mask = IBV_QP_INIT_ATTR_PD;
	ax.pd = pd;
	qp2 = ibv_create_qp_ex(pd->context, &ax);
	CHECK("create_qp_ex (PD only)", qp2);
	CHECK_EQ("no-WR QP: sq_wqe_cnt", mock.qp_drv.sq_wqe_cnt, 2);
	CHECK_EQ("no-WR QP: rq_wqe_cnt", mock.qp_drv.rq_wqe_cnt, 0);
	CHECK_EQ("no-WR QP: max_send_wr", ax.cap.max_send_wr, 1);
	CHECK_EQ("no-WR QP: max_recv_wr", ax.cap.max_recv_wr, 0);
	if (qp2)
		CHECK_EQ("destroy qp2", ibv_destroy_qp(qp2), 0);

	CHECK_EQ("destroy qp", ibv_destroy_qp(qp), 0);
}

int main(int argc, char **argv)
{
	struct ibv_device_attr dattr;
	struct verbs_device *vdev;
	struct ibv_context *ctx;
	struct ibv_device **list;
	struct ibv_cq *cq = NULL;
	struct ibv_pd *pd;
	struct ibv_mr *mr;
	static char mrbuf[4096];
	int wcn;
	struct ibv_wc wc;

	if (argc != 2) {
		fprintf(stderr, "usage: %s libmlx5x-rdmav34.so\n", argv[0]);
		return 2;
	}
	if (!make_sysfs())
		return 1;
	vdev = find_device(argv[1], &list);
	sysfs_remove();
	test_registration();
	if (!vdev)
		goto out;

	test_context_refused(vdev);

	mock.uctx = good_uctx;
	ctx = open_context(vdev);
	CHECK("alloc_context", ctx);
	if (!ctx)
		goto out;
	CHECK_EQ("GET_CONTEXT bytes in",
		 mock.in_bytes[IB_USER_VERBS_CMD_GET_CONTEXT], 8 + 8);
	CHECK_EQ("GET_CONTEXT bytes out",
		 mock.out_bytes[IB_USER_VERBS_CMD_GET_CONTEXT], 8 + 56);
	CHECK("UAR mapped", mock.uar);
	CHECK_EQ("UAR length", mock.uar_len, 4096);
	CHECK_EQ("UAR offset", mock.uar_off, MOCK_UAR_OFFSET);
	CHECK_EQ("UAR prot", mock.uar_prot, PROT_WRITE);
	CHECK_EQ("UAR flags", mock.uar_flags, MAP_SHARED);
	CHECK_EQ("limits kept", to_mctx(ctx)->qp_limits.max_send_wqebb, 1024);

	CHECK_EQ("query_device", ibv_query_device(ctx, &dattr), 0);
	CHECK("fw_ver formatted", !strcmp(dattr.fw_ver, "1.2.3"));
	CHECK_EQ("vendor_id", dattr.vendor_id, 0x1234);

	pd = ibv_alloc_pd(ctx);
	CHECK("alloc_pd", pd);
	if (!pd)
		goto close;
	mr = ibv_reg_mr(pd, mrbuf, sizeof(mrbuf), IBV_ACCESS_LOCAL_WRITE);
	CHECK("reg_mr", mr);
	if (mr) {
		CHECK_EQ("lkey", mr->lkey, 0x100 + mock.next_handle);
		CHECK_EQ("rkey", mr->rkey, 0x200 + mock.next_handle);
		CHECK_EQ("MR start", mock.mr_core.start, (uintptr_t)mrbuf);
		CHECK_EQ("MR hca_va", mock.mr_core.hca_va, (uintptr_t)mrbuf);
		CHECK_EQ("MR access", mock.mr_core.access_flags,
			 IBV_ACCESS_LOCAL_WRITE);
		CHECK_EQ("dereg_mr", ibv_dereg_mr(mr), 0);
	}

	test_cq(ctx, &cq);
	if (cq) {
		/* No data path yet: poll_cq fails, never reports a count. */
		wcn = ibv_poll_cq(cq, 1, &wc);
		CHECK_EQ("poll_cq before the data path", wcn, -EOPNOTSUPP);
		test_qp_refused(pd, cq);
		test_qp(pd, cq);
		CHECK_EQ("destroy_cq", ibv_destroy_cq(cq), 0);
	}
	CHECK_EQ("dealloc_pd", ibv_dealloc_pd(pd), 0);
	CHECK("all dbrec pages released", !to_mctx(ctx)->dbrec_pool.pages);

close:
	CHECK_EQ("close_device", ibv_close_device(ctx), 0);
	CHECK("UAR unmapped", mock.uar_unmapped);
	CHECK("command fd closed", mock.fd_closed);
	ibv_free_device_list(list);
out:
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all mock-kernel checks passed\n");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
/*
 * The mock kernel of the provider tests (provider_mock.h).
 *
 * This stands in for the kernel around the built provider:
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
 * teardown) is the real libibverbs of this host, except the wrappers
 * verbs_open_device() would install after alloc_context (open_context()
 * installs the one of ibv_create_cq_ex itself).
 */
#define _GNU_SOURCE		/* dlvsym */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "provider_mock.h"

/* ---------------------------------------------------------------------
 * The mock kernel
 */


struct mock_kernel mock;
int failures;


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
			.atomic_cap = mock.atomic_cap,
			.device_cap_flags = mock.device_cap_flags,
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
	case IB_USER_VERBS_CMD_ALLOC_MW: {
		/* Index 0x300 + h, tag 0x11. */
		struct ib_uverbs_alloc_mw_resp r = {
			.mw_handle = h, .rkey = (0x300 + h) << 8 | 0x11,
		};

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
	case IB_USER_VERBS_CMD_RESIZE_CQ: {
		struct {
			struct ib_uverbs_resize_cq_resp core;
			struct mlx5x_resize_cq_resp drv;
		} r = {};
		int err;

		memcpy(&mock.resize_core, core, sizeof(mock.resize_core));
		memcpy(&mock.resize_drv, core + sizeof(mock.resize_core),
		       sizeof(mock.resize_drv));
		err = mock.resize ? mock.resize(&r.drv.switch_pc) : ENOSYS;
		if (err) {
			errno = err;
			return -1;
		}
		r.core.cqe = mock.resize_core.cqe;
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
		struct ib_uverbs_destroy_cq_resp r = {
			.comp_events_reported = mock.comp_events,
		};

		mock.comp_events = 0;
		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_DESTROY_QP: {
		struct ib_uverbs_destroy_qp_resp r = {};

		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_CREATE_COMP_CHANNEL: {
		/* The test writes completion events into the pipe. */
		struct ib_uverbs_create_comp_channel_resp r = {};

		if (pipe(mock.comp_pipe))
			return -1;
		r.fd = mock.comp_pipe[0];
		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_POST_SEND: {
		/* The doorbell kick: no work requests, bad_wr 0. */
		struct ib_uverbs_post_send_resp r = { .bad_wr = 0 };

		mock.kicks++;
		memcpy(&mock.last_kick, core, sizeof(mock.last_kick));
		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_CREATE_AH: {
		struct {
			struct ib_uverbs_create_ah_resp core;
			struct mlx5x_create_ah_resp drv;
		} r = { .drv.dmac = { 2, 0, 0, 0, 0, 9 } };

		r.core.ah_handle = h;
		reply(resp, out, &r, sizeof(r));
		break;
	}
	case IB_USER_VERBS_CMD_DESTROY_AH:
	case IB_USER_VERBS_CMD_DEALLOC_PD:
	case IB_USER_VERBS_CMD_DEALLOC_MW:
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

void sysfs_remove(void)
{
	while (nsysfs_made--)
		remove(sysfs_made[nsysfs_made]);
	rmdir(sysfs_root);
}

bool make_sysfs(void)
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

const struct verbs_device_ops *provider;

/* Discover the device through the real libibverbs and its matching. */
struct verbs_device *find_device(const char *provider_path,
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

/*
 * The provider's ops as it hands them to libibverbs: verbs_set_ops() is
 * interposed (the provider binds to it through the PLT) to note them.
 */
static const struct verbs_context_ops *provider_ops;

void verbs_set_ops(struct verbs_context *vctx,
		   const struct verbs_context_ops *ops)
{
	void (*real)(struct verbs_context *, const struct verbs_context_ops *) =
		dlvsym(RTLD_NEXT, "verbs_set_ops", "IBVERBS_PRIVATE_34");

	provider_ops = ops;
	real(vctx, ops);
}

void verbs_init_cq(struct ibv_cq *cq, struct ibv_context *context,
		   struct ibv_comp_channel *channel, void *cq_context);

/* What libibverbs 44 wraps the provider's create_cq_ex in (device.c). */
static struct ibv_cq_ex *lib_create_cq_ex(struct ibv_context *context,
					  struct ibv_cq_init_attr_ex *attr)
{
	struct ibv_cq_ex *cq;

	if (attr->wc_flags & ~(uint64_t)IBV_CREATE_CQ_SUP_WC_FLAGS) {
		errno = EOPNOTSUPP;
		return NULL;
	}
	cq = provider_ops->create_cq_ex(context, attr);
	if (cq)
		verbs_init_cq(ibv_cq_ex_to_cq(cq), context, attr->channel,
			      attr->cq_context);
	return cq;
}

struct ibv_context *open_context(struct verbs_device *vdev)
{
	struct verbs_context *vctx;

	mock.fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	mock.fd_closed = false;
	vctx = provider->alloc_context(&vdev->device, mock.fd, NULL);
	if (vctx && provider_ops->create_cq_ex)
		vctx->create_cq_ex = lib_create_cq_ex;
	return vctx ? &vctx->context : NULL;
}

const struct mlx5x_alloc_ucontext_resp good_uctx = {
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

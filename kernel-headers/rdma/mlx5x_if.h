/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * mlx5x device interface: what the driver half and the device half of the
 * mlx5x module exchange, and nothing else.
 *
 *  - a register window ("initialization segment", BAR0) read and written with
 *    mlx5x_hw_read_reg()/mlx5x_hw_write_reg();
 *  - a command queue: MLX5X_CMDQ_ENTRIES entries of struct mlx5x_cmdq_entry
 *    in one page the driver allocates and hands over through
 *    MLX5X_REG_CMDQ_ADDR_{HI,LO}. Each entry points to an input mailbox chain
 *    and an output mailbox (struct mlx5x_cmd_mailbox, one page each);
 *  - event queues: rings of struct mlx5x_eqe in pages the driver allocates,
 *    written by the device with an owner bit; an armed EQ raises its
 *    interrupt vector once and disarms;
 *  - page address lists (PAS): physical addresses of PAGE-sized pages the
 *    driver pinned, given in command mailboxes.
 *
 * The device model lives in the same host as the driver, so every field is
 * host-endian; nothing here ever crosses a wire. Commands carry physical
 * addresses, never kernel pointers.
 */
#ifndef MLX5X_IF_H
#define MLX5X_IF_H

#include <linux/types.h>

#define MLX5X_FW_VER_MAJOR	1
#define MLX5X_FW_VER_MINOR	0
#define MLX5X_FW_VER_SUBMINOR	0

/* Register window offsets (all 32-bit registers). */
enum {
	MLX5X_REG_FW_REV	= 0x00,	/* major << 16 | minor (read only) */
	MLX5X_REG_FW_SUBMINOR	= 0x04,	/* (read only) */
	MLX5X_REG_CMDQ_ADDR_HI	= 0x10,
	MLX5X_REG_CMDQ_ADDR_LO	= 0x14,	/* page aligned; writing LO enables */
	MLX5X_REG_CMD_DBELL	= 0x18,	/* write BIT(slot) to post entries */
	MLX5X_REG_EQ_DB		= 0x40,	/* eqn << 24 | arm << 23 | ci & 0x7fffff */
	MLX5X_REG_SQ_DB		= 0x44,	/* qpn: its SQ dbrec moved (kernel QPs) */
	MLX5X_REG_INITIALIZING	= 0x1fc,	/* bit 31 set until firmware is ready */
	MLX5X_REG_HEALTH	= 0x200,	/* non-zero: firmware assert syndrome */
	MLX5X_REG_WINDOW_SIZE	= 0x400,
};

#define MLX5X_EQ_DB_EQN_SHIFT	24
#define MLX5X_EQ_DB_ARM		(1U << 23)
#define MLX5X_EQ_DB_CI_MASK	0x7fffffU

#define MLX5X_CMDQ_ENTRIES	32
#define MLX5X_CMDQ_ENTRY_SIZE	64

/* Command queue entry ownership / delivery status. */
enum {
	MLX5X_CMDQ_OWNER_SW	= 0,
	MLX5X_CMDQ_OWNER_HW	= 1,
};

enum {
	MLX5X_CMDQ_DELIVERY_OK		= 0,
	MLX5X_CMDQ_DELIVERY_BAD_MBOX	= 1,	/* broken chain or length */
	MLX5X_CMDQ_DELIVERY_BAD_TOKEN	= 2,
};

/*
 * Posting a command: fill the mailboxes and the entry, set ownership to
 * MLX5X_CMDQ_OWNER_HW, wmb(), then write BIT(slot) to MLX5X_REG_CMD_DBELL.
 * The device copies the entry and the whole input before looking at it,
 * writes the output mailbox, then delivery_status, then (release) ownership
 * = MLX5X_CMDQ_OWNER_SW, and then posts an MLX5X_EQE_CMD EQE to the EQ with
 * MLX5X_EQ_EVENTS_CMD (lowest eqn) if there is one. A posted slot whose
 * ownership is not HW is ignored. Before INIT_HCA only QUERY_HCA_CAP, NOP
 * and INIT_HCA are accepted (others: BAD_SYS_STATE). in_len must be exactly
 * the opcode's in structure (plus 8 * npas for the PAS commands), e.g.
 * sizeof(struct mlx5x_cmd_simple_in) for INIT_HCA/TEARDOWN_HCA/NOP/ALLOC_*.
 * TEARDOWN_HCA frees every object left; no EQE reports its completion.
 */
struct mlx5x_cmdq_entry {
	__u64 in_addr;		/* first input mailbox (physical) */
	__u64 out_addr;		/* output mailbox (physical) */
	__u32 in_len;		/* bytes of command input */
	__u32 out_len;		/* bytes of output space the driver offers */
	__u8 token;		/* repeated in every mailbox of this command */
	__u8 delivery_status;	/* written by the device */
	__u8 rsvd0;
	__u8 ownership;		/* MLX5X_CMDQ_OWNER_*; written last */
	__u32 rsvd1[9];
};

/* One page of a mailbox chain: data, then the link to the next page. */
#define MLX5X_MBOX_SIZE		4096
#define MLX5X_MBOX_DATA_SIZE	(MLX5X_MBOX_SIZE - 16)
#define MLX5X_CMD_MAX_IN_LEN	(16U << 20)
#define MLX5X_CMD_MAX_OUT_LEN	MLX5X_MBOX_DATA_SIZE

struct mlx5x_cmd_mailbox {
	__u8 data[MLX5X_MBOX_DATA_SIZE];
	__u64 next;		/* physical address of the next block, or 0 */
	__u16 block_num;	/* 0, 1, 2 ... within the chain */
	__u8 token;
	__u8 rsvd[5];
};

/* Command opcodes. */
enum {
	MLX5X_CMD_QUERY_HCA_CAP		= 0x100,
	MLX5X_CMD_INIT_HCA		= 0x102,
	MLX5X_CMD_TEARDOWN_HCA		= 0x103,
	MLX5X_CMD_NOP			= 0x10d,
	MLX5X_CMD_CREATE_MKEY		= 0x200,
	MLX5X_CMD_QUERY_MKEY		= 0x201,
	MLX5X_CMD_DESTROY_MKEY		= 0x202,
	MLX5X_CMD_CREATE_EQ		= 0x301,
	MLX5X_CMD_DESTROY_EQ		= 0x302,
	MLX5X_CMD_CREATE_CQ		= 0x400,
	MLX5X_CMD_DESTROY_CQ		= 0x401,
	MLX5X_CMD_QUERY_CQ		= 0x402,
	MLX5X_CMD_RESIZE_CQ		= 0x403,
	MLX5X_CMD_CREATE_QP		= 0x500,
	MLX5X_CMD_DESTROY_QP		= 0x501,
	MLX5X_CMD_RST2INIT_QP		= 0x502,
	MLX5X_CMD_INIT2RTR_QP		= 0x503,
	MLX5X_CMD_RTR2RTS_QP		= 0x504,
	MLX5X_CMD_RTS2RTS_QP		= 0x505,
	MLX5X_CMD_SQERR2RTS_QP		= 0x506,
	MLX5X_CMD_2ERR_QP		= 0x507,
	MLX5X_CMD_2RST_QP		= 0x50a,
	MLX5X_CMD_QUERY_QP		= 0x50b,
	MLX5X_CMD_SQD2RTS_QP		= 0x50c,
	MLX5X_CMD_RTS2SQD_QP		= 0x50d,
	MLX5X_CMD_INIT2INIT_QP		= 0x50e,
	MLX5X_CMD_SQD2SQD_QP		= 0x50f,
	MLX5X_CMD_CREATE_SRQ		= 0x700,
	MLX5X_CMD_DESTROY_SRQ		= 0x701,
	MLX5X_CMD_QUERY_SRQ		= 0x702,
	MLX5X_CMD_MODIFY_SRQ		= 0x703,
	MLX5X_CMD_ALLOC_PD		= 0x800,
	MLX5X_CMD_DEALLOC_PD		= 0x801,
	MLX5X_CMD_ALLOC_UAR		= 0x802,
	MLX5X_CMD_DEALLOC_UAR		= 0x803,
	MLX5X_CMD_SET_ROCE_ADDRESS	= 0x760,
	MLX5X_CMD_QUERY_COUNTERS	= 0x773,
};

/* Command completion status (mlx5x_cmd_out_hdr.status). */
enum {
	MLX5X_CMD_STAT_OK		= 0x00,
	MLX5X_CMD_STAT_INT_ERR		= 0x01,
	MLX5X_CMD_STAT_BAD_OP		= 0x02,
	MLX5X_CMD_STAT_BAD_PARAM	= 0x03,
	MLX5X_CMD_STAT_BAD_SYS_STATE	= 0x04,
	MLX5X_CMD_STAT_BAD_RESOURCE	= 0x05,
	MLX5X_CMD_STAT_RESOURCE_BUSY	= 0x06,
	MLX5X_CMD_STAT_EXCEED_LIM	= 0x08,
	MLX5X_CMD_STAT_BAD_RES_STATE	= 0x09,
	MLX5X_CMD_STAT_BAD_INDEX	= 0x0a,
	MLX5X_CMD_STAT_NO_RESOURCES	= 0x0f,
	MLX5X_CMD_STAT_BAD_INP_LEN	= 0x50,
	MLX5X_CMD_STAT_BAD_OUTP_LEN	= 0x51,
};

struct mlx5x_cmd_in_hdr {
	__u16 opcode;
	__u16 op_mod;
	__u32 rsvd;
};

struct mlx5x_cmd_out_hdr {
	__u8 status;
	__u8 rsvd[3];
	__u32 syndrome;		/* firmware's detail on a failure */
};

/*
 * Command input and output. The input (in_len bytes, header first) fills the
 * data[] of consecutive input mailboxes (block_num 0, 1, ..., every block
 * carrying the entry's token); the output is written at the start of the
 * data[] of the single output mailbox, which must offer at least the size of
 * the command's out structure (out_len). Mailboxes are MLX5X_MBOX_SIZE
 * aligned. A chain the device cannot follow is reported in the entry's
 * delivery_status, with no output written; otherwise the output header
 * holds the status and a syndrome (device-private detail, listed in
 * kernel/hw/hw_syndrome.h) and delivery_status is OK.
 */

/* Commands with no payload beyond the header. */
struct mlx5x_cmd_simple_in {
	struct mlx5x_cmd_in_hdr hdr;
};

struct mlx5x_cmd_simple_out {
	struct mlx5x_cmd_out_hdr hdr;
};

/* QUERY_HCA_CAP: the device's limits. log_* are log2 of a count. */
struct mlx5x_hca_cap {
	__u32 vendor_id;
	__u32 vendor_part_id;
	__u32 hw_rev;
	__u32 log_max_qp;
	__u32 log_max_qp_sz;		/* WQEs per queue */
	__u32 log_max_cq;
	__u32 log_max_cq_sz;		/* CQEs per CQ */
	__u32 log_max_eq;
	__u32 log_max_eq_sz;
	__u32 log_max_mkey;
	__u32 log_max_pd;
	__u32 log_max_uar;
	__u32 log_max_msg;		/* largest message, bytes */
	__u32 log_max_mr_size;		/* largest MKey length, bytes */
	__u32 max_sge_sq;
	__u32 max_sge_rq;
	__u32 max_inline_data;
	__u32 max_qp_rd_atom;		/* initiator depth */
	__u32 max_qp_dest_rd_atom;	/* responder resources */
	__u32 gid_table_size;
	__u32 pkey_table_size;
	__u32 num_ports;
	__u32 flags;			/* MLX5X_CAP_FLAG_* */
	__u32 log_max_srq;
	__u32 log_max_srq_sz;		/* WQE slots per SRQ */
	__u32 rsvd[7];
	char board_id[16];
};

/* Features the firmware implements; the driver advertises only these. */
enum {
	MLX5X_CAP_FLAG_RC		= 1U << 0,
	MLX5X_CAP_FLAG_SQD		= 1U << 1,
	MLX5X_CAP_FLAG_ATOMIC		= 1U << 2,	/* ATOMIC_CS/FA, 8 bytes */
	MLX5X_CAP_FLAG_MW		= 1U << 3,	/* windows type 1, 2B */
	MLX5X_CAP_FLAG_SRQ		= 1U << 4,	/* shared receive queues */
	MLX5X_CAP_FLAG_UD		= 1U << 5,	/* UD QPs, datagram WQEs */
	MLX5X_CAP_FLAG_UC		= 1U << 6,	/* UC QPs */
	/* the GSI QP (QPN 1), PA MKeys and MLX5X_REG_SQ_DB: kernel verbs */
	MLX5X_CAP_FLAG_GSI		= 1U << 7,
};

struct mlx5x_query_hca_cap_out {
	struct mlx5x_cmd_out_hdr hdr;
	struct mlx5x_hca_cap cap;
};

/* ALLOC_PD / ALLOC_UAR / CREATE_EQ/CQ/QP: an object number out. */
struct mlx5x_alloc_out {
	struct mlx5x_cmd_out_hdr hdr;
	__u32 id;
	__u32 rsvd;
};

/* DEALLOC_PD / DEALLOC_UAR / DESTROY_* / QUERY_*: an object number in. */
struct mlx5x_obj_in {
	struct mlx5x_cmd_in_hdr hdr;
	__u32 id;
	__u32 rsvd;
};

/* MKey access rights (mlx5x_mkc.access). */
enum {
	MLX5X_MKEY_LOCAL_WRITE		= 1U << 0,
	MLX5X_MKEY_REMOTE_READ		= 1U << 1,
	MLX5X_MKEY_REMOTE_WRITE		= 1U << 2,
	MLX5X_MKEY_REMOTE_ATOMIC	= 1U << 3,
	MLX5X_MKEY_MW_BIND		= 1U << 4,	/* windows may bind to it */
	MLX5X_MKEY_ACCESS_MASK		= 0x1f,
};

/* What an MKey is (mlx5x_mkc.mw_type). */
enum {
	MLX5X_MKEY_MR			= 0,
	MLX5X_MKEY_MW_TYPE1		= 1,
	MLX5X_MKEY_MW_TYPE2		= 2,
	MLX5X_MKEY_PA			= 3,	/* physical addresses */
};

/*
 * MKey context. The region [start_addr, start_addr + len) of the user's
 * address space (IOVA) starts page_offset bytes into the first page of the
 * PAS; the PAS has npages entries of 1 << log_page_size bytes.
 * The key is (index << 8) | key_variant.
 *
 * A physical-address MKey (mw_type MLX5X_MKEY_PA) maps IOVA = host physical
 * address: start_addr 0, len ~0ULL, npages, page_offset and log_page_size
 * 0, no PAS, access MLX5X_MKEY_LOCAL_WRITE or 0 (never remote rights or
 * MW_BIND). The driver creates one per kernel PD (its local_dma_lkey); a
 * process's QP can never name it, being on another PD. Every access through
 * it is checked to be RAM, page by page.
 *
 * A memory window (mw_type 1 or 2) is created unbound, with only pdn,
 * key_variant and mw_type set (everything else 0, no PAS); BIND_MW WQEs
 * give it a range of an MR and rights, and a new key_variant each time.
 */
struct mlx5x_mkc {
	__u32 pdn;
	__u32 access;
	__u64 start_addr;
	__u64 len;
	__u32 npages;
	__u32 page_offset;
	__u8 log_page_size;
	__u8 key_variant;
	__u8 mw_type;		/* MLX5X_MKEY_MR, _MW_TYPE1, _MW_TYPE2 */
	__u8 rsvd[5];
};

struct mlx5x_create_mkey_in {
	struct mlx5x_cmd_in_hdr hdr;
	struct mlx5x_mkc mkc;
	__u64 pas[];
};

struct mlx5x_create_mkey_out {
	struct mlx5x_cmd_out_hdr hdr;
	__u32 mkey;		/* full key: index << 8 | variant */
	__u32 rsvd;
};

/* QUERY_MKEY / DESTROY_MKEY: mlx5x_obj_in with id = the MKey index (key >> 8). */
struct mlx5x_query_mkey_out {
	struct mlx5x_cmd_out_hdr hdr;
	struct mlx5x_mkc mkc;
};

/* Event queue entries. */
enum {
	MLX5X_EQE_COMP			= 0x00,
	MLX5X_EQE_CMD			= 0x0a,
	MLX5X_EQE_QP_PATH_MIG		= 0x01,
	MLX5X_EQE_QP_COMM_EST		= 0x02,
	MLX5X_EQE_QP_SQ_DRAINED		= 0x03,
	MLX5X_EQE_QP_LAST_WQE		= 0x13,
	MLX5X_EQE_QP_CATAS_ERR		= 0x05,
	MLX5X_EQE_QP_INVAL_REQ_ERR	= 0x10,
	MLX5X_EQE_QP_ACCESS_ERR		= 0x11,
	MLX5X_EQE_CQ_ERROR		= 0x04,
	MLX5X_EQE_SRQ_CATAS_ERR		= 0x12,
	MLX5X_EQE_SRQ_LIMIT		= 0x14,
	MLX5X_EQE_INTERNAL_ERROR	= 0x08,
};

/* Which events an EQ takes (mlx5x_eqc.event_mask). */
enum {
	MLX5X_EQ_EVENTS_COMP		= 1U << 0,
	MLX5X_EQ_EVENTS_CMD		= 1U << 1,
	MLX5X_EQ_EVENTS_ASYNC		= 1U << 2,	/* QP, SRQ, CQ, internal */
};

#define MLX5X_EQE_SIZE		64
#define MLX5X_EQE_OWNER		0x1

struct mlx5x_eqe {
	__u8 type;
	__u8 sub_type;
	__u8 rsvd0[2];
	union {
		__u32 cqn;		/* COMP, CQ_ERROR */
		__u32 qpn;		/* QP events */
		__u32 srqn;		/* SRQ events */
		__u32 cmd_vector;	/* CMD: completed slots */
		__u32 syndrome;		/* INTERNAL_ERROR */
	};
	__u32 data[13];			/* event specific detail */
	__u8 rsvd1[3];
	__u8 owner;			/* written last */
};

/*
 * EQE ownership. The device writes the EQE for producer count pc at ring
 * index pc & (nent - 1), nent = 1 << log_eq_size, with
 *	owner = (pc >> log_eq_size) & 1
 * i.e. 0 on the first pass over the ring, 1 on the second, and so on; the
 * rest of the EQE is written first, the owner byte last (release ordering).
 * Software therefore owns the EQE at consumer count ci when
 *	(eqe->owner & MLX5X_EQE_OWNER) == ((ci >> log_eq_size) & 1)
 * and must read the rest of it only after that test (dma_rmb()).
 * Before CREATE_EQ the driver sets every owner byte to 1 (MLX5X_EQE_OWNER)
 * so that nothing is seen as new on the first pass until written.
 * ci as reported in MLX5X_REG_EQ_DB is the consumer count modulo 2^23
 * (MLX5X_EQ_DB_CI_MASK); log_eq_size <= 22 keeps the parity rule valid.
 * The device never overwrites an EQE software has not consumed (reported
 * through EQ_DB): while the ring is full, events are dropped and counted.
 * Each MLX5X_EQE_CMD EQE carries a bitmask of completed command slots
 * (today exactly one bit per EQE).
 */

struct mlx5x_eqc {
	__u32 log_eq_size;
	__u32 intr;			/* interrupt vector */
	__u32 event_mask;		/* MLX5X_EQ_EVENTS_* */
	__u32 npages;
	__u8 log_page_size;
	__u8 rsvd[7];
};

/*
 * CREATE_EQ: the ring of 1 << log_eq_size EQEs starts at the beginning of the
 * first PAS page; npages >= ceil(ring bytes / page size). Out: mlx5x_alloc_out
 * (id = eqn, < 256). DESTROY_EQ: mlx5x_obj_in. (CQ and QP rings too may sit in
 * more pages than they need; an MKey's npages must match its pages exactly.)
 */
struct mlx5x_create_eq_in {
	struct mlx5x_cmd_in_hdr hdr;
	struct mlx5x_eqc eqc;
	__u64 pas[];
};

/*
 * Completion queue context. The ring holds 1 << log_cq_size CQEs of
 * cqe_size bytes, page_offset bytes into the first PAS page. dbr_addr is the
 * physical address of the 8-byte CQ doorbell record.
 */
struct mlx5x_cqc {
	__u32 log_cq_size;
	__u32 cqe_size;
	__u32 eqn;
	__u32 uar_index;
	__u64 dbr_addr;
	__u32 npages;
	__u32 page_offset;
	__u8 log_page_size;
	__u8 rsvd[7];
};

/* CREATE_CQ out: mlx5x_alloc_out (id = cqn). QUERY/DESTROY: mlx5x_obj_in. */
struct mlx5x_create_cq_in {
	struct mlx5x_cmd_in_hdr hdr;
	struct mlx5x_cqc cqc;
	__u64 pas[];
};

struct mlx5x_query_cq_out {
	struct mlx5x_cmd_out_hdr hdr;
	struct mlx5x_cqc cqc;
};

/*
 * RESIZE_CQ: move CQ cqn to a new ring of 1 << log_cq_size CQEs (PAS and
 * page fields as in mlx5x_cqc; cqe size, doorbell record, EQ and UAR stay).
 * The device switches atomically with respect to its CQE writes: every CQE
 * before producer index switch_pc is in the old ring, every later one goes
 * to the new ring at slot (index & (new size - 1)) with the owner bit of the
 * new size. The device never touches the old ring again; software moves the
 * CQEs it has not consumed, [ci, switch_pc), to the new ring. Refused
 * (BAD_PARAM, CQ_RESIZE_TOO_SMALL) when they would not fit, and for a CQ in
 * error (BAD_RES_STATE).
 */
struct mlx5x_resize_cq_in {
	struct mlx5x_cmd_in_hdr hdr;
	__u32 cqn;
	__u32 log_cq_size;
	__u32 npages;
	__u32 page_offset;
	__u8 log_page_size;
	__u8 rsvd[7];
	__u64 pas[];
};

struct mlx5x_resize_cq_out {
	struct mlx5x_cmd_out_hdr hdr;
	__u32 switch_pc;	/* mod 2^24, like the consumer index */
	__u32 rsvd;
};

/* QP service types and states as the firmware names them. */
enum {
	MLX5X_QP_ST_RC		= 0x0,
	MLX5X_QP_ST_UC		= 0x1,
	MLX5X_QP_ST_UD		= 0x2,
};

enum {
	MLX5X_QP_STATE_RST	= 0x0,
	MLX5X_QP_STATE_INIT	= 0x1,
	MLX5X_QP_STATE_RTR	= 0x2,
	MLX5X_QP_STATE_RTS	= 0x3,
	MLX5X_QP_STATE_SQER	= 0x4,
	MLX5X_QP_STATE_SQD	= 0x5,
	MLX5X_QP_STATE_ERR	= 0x6,
	MLX5X_QP_STATE_NUM,
};

/* QP access rights for the responder (mlx5x_qpc.rre/rwe/rae). */
enum {
	MLX5X_QP_ACCESS_REMOTE_WRITE	= 1U << 0,
	MLX5X_QP_ACCESS_REMOTE_READ	= 1U << 1,
	MLX5X_QP_ACCESS_REMOTE_ATOMIC	= 1U << 2,
};

/* The fields a modify command sets (mlx5x_modify_qp_in.opt_mask). */
enum {
	MLX5X_QP_OPT_PKEY_INDEX		= 1U << 0,
	MLX5X_QP_OPT_PORT		= 1U << 1,
	MLX5X_QP_OPT_ACCESS		= 1U << 2,
	MLX5X_QP_OPT_QKEY		= 1U << 3,
	MLX5X_QP_OPT_AV			= 1U << 4,	/* primary path */
	MLX5X_QP_OPT_MTU		= 1U << 5,
	MLX5X_QP_OPT_DEST_QPN		= 1U << 6,
	MLX5X_QP_OPT_RQ_PSN		= 1U << 7,
	MLX5X_QP_OPT_MAX_DEST_RD_ATOMIC	= 1U << 8,
	MLX5X_QP_OPT_MIN_RNR_TIMER	= 1U << 9,
	MLX5X_QP_OPT_SQ_PSN		= 1U << 10,
	MLX5X_QP_OPT_TIMEOUT		= 1U << 11,
	MLX5X_QP_OPT_RETRY_CNT		= 1U << 12,
	MLX5X_QP_OPT_RNR_RETRY		= 1U << 13,
	MLX5X_QP_OPT_MAX_RD_ATOMIC	= 1U << 14,
	MLX5X_QP_OPT_SQD_EVENT		= 1U << 15,
	MLX5X_QP_OPT_ALL		= (1U << 16) - 1,
};

/* Address vector: where an RC/UC QP's packets go (RoCE v2). */
struct mlx5x_av {
	__u8 dgid[16];
	__u8 rmac[6];
	__u8 sgid_index;
	__u8 hop_limit;
	__u32 flow_label;
	__u8 traffic_class;
	__u8 sl;
	__u8 grh;
	__u8 static_rate;		/* IB rate enum; kept, not enforced */
};

/*
 * QP context. Ring layout in the QP buffer (like mlx5): the receive queue at
 * offset 0 (1 << log_rq_size WQEs of 1 << log_rq_stride bytes), the send
 * queue right after it (1 << log_sq_size WQE basic blocks of 64 bytes); the
 * buffer starts page_offset bytes into the first PAS page. dbr_addr is the
 * physical address of the 8-byte doorbell record (receive, then send).
 */
struct mlx5x_qpc {
	/* set at create */
	__u8 st;
	__u8 state;			/* read only: QUERY_QP */
	__u8 log_sq_size;
	__u8 log_rq_size;
	__u8 log_rq_stride;
	__u8 log_page_size;
	__u8 no_sq;			/* no send queue: log_sq_size ignored */
	__u8 no_rq;			/* no receive queue: log_rq_* ignored */
	__u32 pdn;
	__u32 cqn_snd;
	__u32 cqn_rcv;
	__u32 uar_index;
	__u32 npages;
	__u32 page_offset;
	__u64 dbr_addr;
	/* set by modify (opt_mask) */
	__u32 pkey_index;
	__u32 qkey;
	__u32 remote_qpn;
	__u32 next_rcv_psn;
	__u32 next_send_psn;
	__u8 port;
	__u8 mtu;			/* IB MTU enum: 1 = 256 ... 5 = 4096 */
	__u8 access;			/* MLX5X_QP_ACCESS_* */
	__u8 min_rnr_nak;
	__u8 ack_timeout;
	__u8 retry_count;
	__u8 rnr_retry;
	__u8 max_rd_atomic;
	__u8 max_dest_rd_atomic;
	__u8 sqd_event;
	__u8 sq_draining;		/* read only */
	__u8 use_srq;			/* set at create: receives from srqn */
	struct mlx5x_av av;
	__u32 srqn;			/* set at create, with use_srq */
	__u8 gsi;			/* set at create: the GSI QP (below) */
	__u8 rsvd3[3];
	__u32 rsvd2[2];
};

/*
 * A QP with use_srq takes its receive WQEs from the SRQ srqn: it has no
 * receive ring of its own (log_rq_size and log_rq_stride must be 0, no_rq
 * 0) but reports receive completions to cqn_rcv.
 *
 * A QP created with gsi (st UD, the device has MLX5X_CAP_FLAG_GSI) is the
 * port's General Services QP: it gets QPN 1 (a second one: RESOURCE_BUSY)
 * and otherwise behaves as a UD QP; datagrams to QPN 1 of this device's
 * GIDs land on it, and what it sends carries source QPN 1.
 *
 * A kernel QP rings its send doorbell by storing its dbrec and then
 * writing its QPN to MLX5X_REG_SQ_DB (any context, never sleeps): the
 * device's poller then looks at that send queue (a process kicks instead,
 * mlx5x_wqe.h).
 *
 * CREATE_QP out: mlx5x_alloc_out (id = qpn, 24 bits). QUERY/DESTROY_QP:
 * mlx5x_obj_in. The modify commands take mlx5x_modify_qp_in and answer
 * mlx5x_cmd_simple_out; each reads only the qpc fields its opt_mask names
 * (see the table in kernel/hw/hw_qp_fsm.c for what each opcode requires and
 * allows).
 */
struct mlx5x_create_qp_in {
	struct mlx5x_cmd_in_hdr hdr;
	struct mlx5x_qpc qpc;
	__u64 pas[];
};

struct mlx5x_modify_qp_in {
	struct mlx5x_cmd_in_hdr hdr;
	__u32 qpn;
	__u32 opt_mask;		/* MLX5X_QP_OPT_* */
	struct mlx5x_qpc qpc;
};

struct mlx5x_query_qp_out {
	struct mlx5x_cmd_out_hdr hdr;
	struct mlx5x_qpc qpc;
};

/*
 * Shared receive queue context. The ring holds 1 << log_srq_size WQE slots
 * of 1 << log_wqe_stride bytes (32 to 256), page_offset bytes into the first
 * PAS page; each slot is a struct mlx5x_wqe_srq_next_seg then receive data
 * segments (<rdma/mlx5x_wqe.h>). dbr_addr: the 8-byte doorbell record
 * (word MLX5X_SRQ_DBREC_CNT). lwm is the SRQ limit: while non-zero, the
 * first message that leaves fewer than lwm WQEs posted raises one
 * MLX5X_EQE_SRQ_LIMIT and sets lwm back to 0 (disarmed). state: 0 ready,
 * 1 error (a broken doorbell record; read only).
 */
struct mlx5x_srqc {
	__u8 log_srq_size;
	__u8 log_wqe_stride;
	__u8 log_page_size;
	__u8 state;
	__u32 pdn;
	__u32 lwm;
	__u32 npages;
	__u32 page_offset;
	__u32 rsvd0;
	__u64 dbr_addr;
	__u32 rsvd1[4];
};

enum {
	MLX5X_SRQ_STATE_OK	= 0,
	MLX5X_SRQ_STATE_ERR	= 1,
};

/*
 * CREATE_SRQ out: mlx5x_alloc_out (id = srqn). QUERY_SRQ/DESTROY_SRQ:
 * mlx5x_obj_in; DESTROY_SRQ of an SRQ that QPs use: RESOURCE_BUSY.
 * MODIFY_SRQ sets lwm (arms the limit event, or disarms it with 0); lwm
 * must be below the slot count. Output: a bare header.
 */
struct mlx5x_create_srq_in {
	struct mlx5x_cmd_in_hdr hdr;
	struct mlx5x_srqc srqc;
	__u64 pas[];
};

struct mlx5x_modify_srq_in {
	struct mlx5x_cmd_in_hdr hdr;
	__u32 srqn;
	__u32 lwm;
};

struct mlx5x_query_srq_out {
	struct mlx5x_cmd_out_hdr hdr;
	struct mlx5x_srqc srqc;
};

/*
 * SET_ROCE_ADDRESS: write entry @index of the port's GID table (RoCE v2).
 * valid = 0 clears the entry. The device answers packets (and local
 * deliveries) addressed to its valid GIDs. Output: a bare header.
 */
struct mlx5x_set_roce_address_in {
	struct mlx5x_cmd_in_hdr hdr;
	__u32 index;		/* < gid_table_size */
	__u8 valid;
	__u8 rsvd0[3];
	__u8 gid[16];
	__u8 mac[6];		/* the netdev's MAC for this GID */
	__u8 rsvd1[2];
};

/*
 * QUERY_COUNTERS (input: a bare header): the device's counters since it
 * was created, never cleared. Requester side: what the QPs of this device
 * sent; responder side: what they received.
 */
struct mlx5x_counters {
	__u64 req_wqes;			/* send WQEs completed successfully */
	__u64 req_msg_bytes;		/* their message bytes */
	__u64 req_cqe_error;		/* send WQEs completed with an error */
	__u64 req_cqe_flush;		/* send WQEs flushed (QP in ERR) */
	__u64 rnr_naks;			/* RNR NAKs received */
	__u64 ack_timeouts;		/* local ACK timer expiries */
	/* requests with no receive WQE (RC: RNR NAK sent; UC, UD: dropped) */
	__u64 out_of_buffer;
	__u64 rsvd[9];
};

struct mlx5x_query_counters_out {
	struct mlx5x_cmd_out_hdr hdr;
	struct mlx5x_counters counters;
};

#endif /* MLX5X_IF_H */

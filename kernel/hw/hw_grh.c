// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The GRH area of a UD receive: the first 40 bytes of the receive buffer
 * hold the network header the message came with, as a RoCE v2 ConnectX
 * (and rxe) writes it:
 *
 *   IPv6 GIDs            the 40-byte IPv6 header (version 6, traffic
 *                        class, flow label, payload length, next header
 *                        UDP, hop limit, source and destination GIDs)
 *   IPv4-mapped GIDs     20 zero bytes, then the 20-byte IPv4 header
 *   (::ffff:a.b.c.d)     (version 4, IHL 5, TOS, total length, DF, TTL,
 *                        protocol UDP, a valid checksum, addresses)
 *
 * libibverbs' ibv_init_ah_from_wc() and the kernel's
 * ib_get_rdma_header_version() tell the two apart this way: version 6 in
 * the first nibble is IPv6, unless bytes 20..39 are an IPv4 header with a
 * valid checksum. The lengths are those of the packet on the wire: UDP,
 * BTH, DETH, the immediate data, the payload and the ICRC. Pure code.
 */
#include "hw_eng.h"

#define GRH_UDP_LEN		8
#define GRH_BTH_LEN		12
#define GRH_DETH_LEN		8
#define GRH_IMM_LEN		4
#define GRH_ICRC_LEN		4
#define GRH_IPV4_HDR_LEN	20
#define GRH_PROTO_UDP		17

static void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_be32(u8 *p, u32 v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v & 0xffff);
}

bool mlx5x_hw_gid_is_v4(const u8 *gid)
{
	static const u8 prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};

	return !memcmp(gid, prefix, sizeof(prefix));
}

/* The IPv4 header checksum: one's complement of the one's complement sum. */
u16 mlx5x_hw_ipv4_csum(const u8 *hdr, u32 len)
{
	u32 sum = 0, i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)hdr[i] << 8 | hdr[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

u8 mlx5x_hw_grh_build(u8 *grh, const struct mlx5x_hw_grh_args *a)
{
	u32 l4 = GRH_UDP_LEN + GRH_BTH_LEN + GRH_DETH_LEN + a->payload_len +
		 (a->imm ? GRH_IMM_LEN : 0) + GRH_ICRC_LEN;
	u8 *ip;

	memset(grh, 0, MLX5X_UD_GRH_SIZE);
	if (mlx5x_hw_gid_is_v4(a->sgid) && mlx5x_hw_gid_is_v4(a->dgid)) {
		ip = grh + MLX5X_UD_GRH_SIZE - GRH_IPV4_HDR_LEN;
		ip[0] = 0x45;
		ip[1] = a->tclass;
		put_be16(ip + 2, GRH_IPV4_HDR_LEN + l4);
		put_be16(ip + 6, 0x4000);	/* DF */
		ip[8] = a->hop_limit;
		ip[9] = GRH_PROTO_UDP;
		memcpy(ip + 12, a->sgid + 12, 4);
		memcpy(ip + 16, a->dgid + 12, 4);
		put_be16(ip + 10, mlx5x_hw_ipv4_csum(ip, GRH_IPV4_HDR_LEN));
		return MLX5X_CQE_L3_IPV4;
	}
	put_be32(grh, 6U << 28 | (u32)a->tclass << 20 |
		      (a->flow_label & MLX5X_AV_FLOW_LABEL_MASK));
	put_be16(grh + 4, l4);
	grh[6] = GRH_PROTO_UDP;
	grh[7] = a->hop_limit;
	memcpy(grh + 8, a->sgid, 16);
	memcpy(grh + 24, a->dgid, 16);
	return MLX5X_CQE_L3_IPV6;
}

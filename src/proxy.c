/*
 * PROXY protocol headers.  Input: raw network bytes from the front, which
 * --proxy-protocol declares trusted to name the client, but whose syntax is
 * checked like any request's: strictly, and within buf[0..len).
 */
#include <string.h>

#include "proxy.h"

static const char v2_sig[12] = "\r\n\r\n\0\r\nQUIT\n";

/* A decimal port of 0-65535 without leading zeros, s[0..len).  Returns it,
 * or -1. */
static long
port_parse(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 5 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535 ? v : -1;
}

/*
 * v1: "PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n", or "PROXY UNKNOWN" and
 * anything up to the CRLF; one space between fields, at most 107 bytes.
 */
static enum status
v1_parse(const char *buf, size_t len, struct proxy_info *pi, size_t *hlen)
{
	const char *f[5], *end;
	size_t flen[5], i, n = 0, line;
	unsigned char a[16];
	long port;
	int v6;

	/* Visible ASCII and spaces up to a CRLF within 107 bytes. */
	for (i = 0, end = NULL; i < len && i < PROXY_V1_MAX && end == NULL; i++) {
		unsigned char ch = (unsigned char)buf[i];

		if (ch == '\r' && i + 1 < len && buf[i + 1] == '\n')
			end = buf + i + 1;
		else if (ch < 0x20 || ch > 0x7e)
			if (ch != '\r' || i + 1 < len)
				return STATUS_BAD_REQUEST;
	}
	if (end == NULL)
		return len >= PROXY_V1_MAX ? STATUS_BAD_REQUEST : STATUS_NONE;
	line = (size_t)(end - buf) + 1;
	if (line > PROXY_V1_MAX || line < 8)
		return STATUS_BAD_REQUEST;
	*hlen = line;
	if (line >= 15 && memcmp(buf + 6, "UNKNOWN", 7) == 0 &&
	    (line == 15 || buf[13] == ' ')) {
		pi->local = 1;
		return STATUS_OK;
	}
	if (line < 11 || memcmp(buf + 6, "TCP", 3) != 0 ||
	    (buf[9] != '4' && buf[9] != '6') || buf[10] != ' ')
		return STATUS_BAD_REQUEST;
	v6 = buf[9] == '6';
	/* SRC DST SPORT DPORT, split on single spaces. */
	f[0] = buf + 11;
	for (i = 11; i < line - 2; i++) {
		if (buf[i] != ' ')
			continue;
		if (n == 4)
			return STATUS_BAD_REQUEST;
		flen[n] = (size_t)(buf + i - f[n]);
		f[++n] = buf + i + 1;
	}
	if (n != 3)
		return STATUS_BAD_REQUEST;
	flen[3] = (size_t)(buf + line - 2 - f[3]);
	if (v6 ? addr_parse_ipv6(f[1], flen[1], a) : addr_parse_ipv4(f[1], flen[1], a))
		return STATUS_BAD_REQUEST;
	if (port_parse(f[3], flen[3]) == -1)
		return STATUS_BAD_REQUEST;
	if (v6 ? addr_parse_ipv6(f[0], flen[0], a) : addr_parse_ipv4(f[0], flen[0], a))
		return STATUS_BAD_REQUEST;
	if ((port = port_parse(f[2], flen[2])) == -1)
		return STATUS_BAD_REQUEST;
	if (v6)
		memcpy(pi->ip, a, 16);
	else
		addr_map_ipv4(pi->ip, a);
	addr_format_ip(pi->addr, pi->ip);
	pi->port = (unsigned)port;
	return STATUS_OK;
}

/*
 * v2: the signature, version 2 and a command (LOCAL or PROXY), the family,
 * the length of what follows, the addresses, then TLVs, which are checked
 * to fill the length exactly and otherwise skipped.
 */
static enum status
v2_parse(const unsigned char *b, size_t len, struct proxy_info *pi, size_t *hlen)
{
	size_t total, need, i;

	if (len < 16)
		return STATUS_NONE;
	if ((b[12] >> 4) != 2 || (b[12] & 15) > 1)
		return STATUS_BAD_REQUEST;	/* version 2; LOCAL or PROXY */
	switch (b[13]) {
	case 0x00:			/* UNSPEC */
	case 0x12: case 0x22:		/* UDP over IPv4, IPv6 */
	case 0x31: case 0x32:		/* UNIX stream, datagram */
		need = b[13] == 0x00 ? 0 : b[13] >> 4 == 3 ? 216 : b[13] >> 4 == 1 ? 12 : 36;
		break;
	case 0x11:			/* TCP over IPv4 */
		need = 12;
		break;
	case 0x21:			/* TCP over IPv6 */
		need = 36;
		break;
	default:
		return STATUS_BAD_REQUEST;
	}
	total = 16 + ((size_t)b[14] << 8 | b[15]);
	if (total > PROXY_V2_MAX || total - 16 < need)
		return STATUS_BAD_REQUEST;
	if (len < total)
		return STATUS_NONE;
	/* Security: TLVs are walked, never trusted: each must fit. */
	for (i = 16 + need; i < total; ) {
		if (total - i < 3)
			return STATUS_BAD_REQUEST;
		i += 3 + ((size_t)b[i + 1] << 8 | b[i + 2]);
		if (i > total)
			return STATUS_BAD_REQUEST;
	}
	*hlen = total;
	if ((b[12] & 15) == 0 || (b[13] != 0x11 && b[13] != 0x21)) {
		pi->local = 1;	/* LOCAL, or no TCP client to name */
		return STATUS_OK;
	}
	if (b[13] == 0x11) {
		addr_map_ipv4(pi->ip, b + 16);
		pi->port = (unsigned)b[24] << 8 | b[25];
	} else {
		memcpy(pi->ip, b + 16, 16);
		pi->port = (unsigned)b[48] << 8 | b[49];
	}
	addr_format_ip(pi->addr, pi->ip);
	return STATUS_OK;
}

/*
 * Security: with --proxy-protocol the front is trusted to name the client,
 * and nothing else is: a connection must begin with a valid header, or it
 * gets 400 at its first wrong byte.  Without the option no header is read,
 * and one that is sent is an invalid request line (400).
 */
enum status
proxy_parse(const char *buf, size_t len, struct proxy_info *pi, size_t *hlen)
{
	size_t n;

	memset(pi, 0, sizeof(*pi));
	if (len == 0)
		return STATUS_NONE;
	if (buf[0] == '\r') {
		n = len < sizeof(v2_sig) ? len : sizeof(v2_sig);
		if (memcmp(buf, v2_sig, n) != 0)
			return STATUS_BAD_REQUEST;
		return v2_parse((const unsigned char *)buf, len, pi, hlen);
	}
	n = len < 6 ? len : 6;
	if (memcmp(buf, "PROXY ", n) != 0)
		return STATUS_BAD_REQUEST;
	return len < 6 ? STATUS_NONE : v1_parse(buf, len, pi, hlen);
}

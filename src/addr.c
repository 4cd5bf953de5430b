/*
 * Peer addresses as text, and text as addresses.  Input: socket addresses
 * the kernel filled in, and (for the parsers) untrusted text, of which
 * only s[0..len) is read.  Written here rather than with inet_ntop() and
 * inet_pton(), which would be more symbols for the loader to bind at every
 * start.
 */
#include <netinet/in.h>
#include <string.h>

#include "addr.h"
#include "fmt.h"

int
addr_parse_ipv4(const char *s, size_t len, unsigned char *a)
{
	size_t i = 0;
	int k;

	for (k = 0; k < 4; k++) {
		unsigned v = 0, digits = 0;

		if (k > 0 && (i == len || s[i++] != '.'))
			return -1;
		for (; i < len && s[i] >= '0' && s[i] <= '9' && digits < 4; i++, digits++)
			v = v * 10 + (unsigned)(s[i] - '0');
		/* Security: no leading zeros, which some parsers read as
		 * octal, so that one text is one address everywhere. */
		if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[i - digits] == '0'))
			return -1;
		a[k] = (unsigned char)v;
	}
	return i == len ? 0 : -1;
}

int
addr_parse_ipv6(const char *s, size_t len, unsigned char *a)
{
	unsigned char g[16];
	size_t i = 0;
	int n = 0, gap = -1;	/* bytes parsed; where "::" stands */

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (len >= 1 && s[0] == ':')
		return -1;
	while (i < len) {
		size_t start = i, j;
		unsigned v = 0;
		int d;

		for (j = i; j < len && j - i < 4 && (d = fmt_hex_value((unsigned char)s[j])) >= 0; j++)
			v = v << 4 | (unsigned)d;
		/* A dotted IPv4 tail takes the last 32 bits. */
		if (j < len && s[j] == '.') {
			if (n > 12 || addr_parse_ipv4(s + start, len - start, g + n) == -1)
				return -1;
			n += 4;
			i = len;
			break;
		}
		if (j == i || n == 16)
			return -1;
		g[n++] = (unsigned char)(v >> 8);
		g[n++] = (unsigned char)v;
		i = j;
		if (i == len)
			break;
		if (s[i] != ':' || ++i == len)
			return -1;	/* a group ends in ":" and another follows */
		if (s[i] == ':') {
			if (gap != -1)
				return -1;	/* "::" only once */
			gap = n;
			if (++i == len)
				break;
		}
	}
	if (gap == -1 ? n != 16 : n > 14)
		return -1;
	memset(a, 0, 16);
	if (gap == -1)
		memcpy(a, g, 16);
	else {
		memcpy(a, g, (size_t)gap);
		memcpy(a + 16 - (n - gap), g + gap, (size_t)(n - gap));
	}
	return 0;
}

size_t
addr_format_ipv4(char *p, const unsigned char *a)
{
	char *s = p;
	int i;

	for (i = 0; i < 4; i++) {
		p = fmt_u64(p, a[i]);
		*p++ = i < 3 ? '.' : '\0';
	}
	return (size_t)(p - s - 1);
}

size_t
addr_format_ipv6(char *p, const unsigned char *a)
{
	char *s = p;
	unsigned g[8];
	int i, j, best = -1, best_len = 1;

	for (i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i = j + 1) {
		for (j = i; j < 8 && g[j] == 0; j++)
			;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			if (i == 0)
				*p++ = ':';
			i += best_len - 1;
			continue;
		}
		p = fmt_hex(p, g[i]);
		if (i < 7)
			*p++ = ':';
	}
	*p = '\0';
	return (size_t)(p - s);
}

static const unsigned char v4mapped[12] = { [10] = 0xff, [11] = 0xff };

void
addr_map_ipv4(unsigned char *a16, const unsigned char *a)
{
	memcpy(a16, v4mapped, 12);
	memcpy(a16 + 12, a, 4);
}

size_t
addr_format_ip(char *buf, const unsigned char *a)
{
	/* An IPv4 client of a dual-stack socket, or one a PROXY header names
	 * in IPv6 form, is shown as IPv4. */
	if (memcmp(a, v4mapped, 12) == 0)
		return addr_format_ipv4(buf, a + 12);
	return addr_format_ipv6(buf, a);
}

void
addr_source_key(const unsigned char *a, unsigned char *key)
{
	if (memcmp(a, v4mapped, 12) == 0) {
		memcpy(key, a, 16);
		return;
	}
	memcpy(key, a, 8);
	memset(key + 8, 0, 8);
	key[15] = 1;	/* a /64 never ends like an IPv4-mapped address */
}

size_t
addr_format(const struct sockaddr_storage *sa, char *buf)
{
	unsigned char a[16];

	if (sa->ss_family == AF_INET) {
		addr_map_ipv4(a, (const unsigned char *)
		    &((const struct sockaddr_in *)sa)->sin_addr);
		return addr_format_ip(buf, a);
	}
	if (sa->ss_family == AF_INET6)
		return addr_format_ip(buf,
		    ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
	buf[0] = '\0';
	return 0;
}

int
addr_peer(int fd, char *buf)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == -1) {
		buf[0] = '\0';
		return -1;
	}
	return (int)addr_format(&ss, buf);
}

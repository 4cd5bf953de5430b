/*
 * Peer addresses as text.  Input: socket addresses the kernel filled in.
 * Written here rather than with inet_ntop(), which would be one more
 * symbol for the loader to bind at every start.
 */
#include <netinet/in.h>
#include <string.h>

#include "addr.h"
#include "fmt.h"

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

size_t
addr_format(const struct sockaddr_storage *sa, char *buf)
{
	const struct in6_addr *a6;

	if (sa->ss_family == AF_INET)
		return addr_format_ipv4(buf, (const unsigned char *)
		    &((const struct sockaddr_in *)sa)->sin_addr);
	if (sa->ss_family == AF_INET6) {
		a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		/* An IPv4 client of a dual-stack socket is shown as IPv4. */
		if (IN6_IS_ADDR_V4MAPPED(a6))
			return addr_format_ipv4(buf, &a6->s6_addr[12]);
		return addr_format_ipv6(buf, a6->s6_addr);
	}
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

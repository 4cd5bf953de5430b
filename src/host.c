/*
 * Host names to directory names.  Input: the Host field value or the
 * authority of the target, syntax-checked by the parser but otherwise
 * untrusted; only s[0..len) is read.
 */
#include <string.h>

#include "addr.h"
#include "host.h"

/*
 * Security: a directory name is made only of what a DNS name or an IP
 * address may hold, so no Host can name "..", a hidden or another host's
 * directory, or a path: no '/', '\\', '%', NUL or empty label gets through.
 * One name has one spelling (case, port, final dot, IP forms folded), so
 * no host is served under two directories.
 */
int
host_dir(const char *s, size_t len, char *dir)
{
	unsigned char a[16];
	size_t i, n, label = 0;
	int digits_only = 1;

	if (len > 0 && s[0] == '[') {
		const char *end = memchr(s, ']', len);

		if (end == NULL || (end + 1 != s + len && end[1] != ':') ||
		    addr_parse_ipv6(s + 1, (size_t)(end - s - 1), a) == -1)
			return -1;
		dir[0] = '[';
		n = 1 + addr_format_ipv6(dir + 1, a);
		dir[n++] = ']';
		dir[n] = '\0';
		return (int)n;
	}
	for (n = 0; n < len && s[n] != ':'; n++)
		;
	if (n > 0 && s[n - 1] == '.')
		n--;	/* one final dot: the same name */
	if (n == 0 || n > HOST_NAME_LEN)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + ('a' - 'A'));
		if (c == '.') {
			if (label == 0 || dir[i - 1] == '-')
				return -1;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || c == '-' ||
		    (c >= '0' && c <= '9')) {
			if (++label > 63 || (label == 1 && c == '-'))
				return -1;
		} else
			return -1;
		if (c != '.' && (c < '0' || c > '9'))
			digits_only = 0;
		dir[i] = (char)c;
	}
	if (dir[n - 1] == '-' || dir[n - 1] == '.')
		return -1;	/* a bad last label, or an empty one */
	dir[n] = '\0';
	/* Digits and dots only: an IPv4 address, written canonically. */
	if (digits_only) {
		if (addr_parse_ipv4(dir, n, a) == -1)
			return -1;
		return (int)addr_format_ipv4(dir, a);
	}
	return (int)n;
}

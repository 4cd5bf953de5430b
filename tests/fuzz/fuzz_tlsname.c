/*
 * libFuzzer target: the names TLS matches, a certificate's DNS name
 * against the SNI a client sends, and the SNI against the site a request
 * chose (421).  The input's first byte splits it in two.  A name matches
 * itself; a wildcard covers exactly one leftmost label and nothing with a
 * '*' of its own; a host name is never misdirected with its own name as
 * SNI, and every host always is with a name that is no host name (an SNI
 * never holds an IP address, nor a ':').
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/host.h"
#include "../../src/tlsname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
host_name(const char *s, size_t len)
{
	size_t i;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || s[0] == '.' || s[len - 1] == '.' ||
	    memmem(s, len, "..", 2) != NULL)
		return 0;
	for (i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_.", s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[HOST_DIR_MAX];
	const char *p, *n, *dot;
	size_t cut, plen, nlen;
	char *buf;
	int m, d;

	if (size == 0)
		return 0;
	cut = data[0] % size;
	buf = malloc(size);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	p = buf;
	plen = cut;
	n = buf + cut;
	nlen = size - 1 - cut;

	m = tls_name_match(p, plen, n, nlen);
	if (m) {
		/* What matches has no '*' and no empty label of its own. */
		if (memchr(n, '*', nlen) != NULL || nlen == 0 || n[0] == '.' ||
		    memmem(n, nlen, "..", 2) != NULL)
			abort();
		/* A wildcard stands for one label: the rest is the same. */
		if (plen > 1 && p[0] == '*') {
			dot = memchr(n, '.', nlen);
			if (dot == NULL || memchr(p + 1, '*', plen - 1) != NULL)
				abort();
		}
	}
	/* A host name (letters, digits, '-', '_', no empty label) matches
	 * itself. */
	if (host_name(n, nlen) && !tls_name_match(n, nlen, n, nlen))
		abort();

	/* The SNI against a host: its own spelling is never misdirected. */
	d = host_dir(p, plen, dir);
	if (d > 0 && memchr(p, ':', plen) == NULL && plen <= HOST_NAME_LEN &&
	    tls_misdirected(dir, p, plen))
		abort();
	if (d > 0 && memchr(dir, ':', (size_t)d) == NULL &&
	    tls_misdirected(dir, dir, (size_t)d))
		abort();
	/* An SNI that is no host name is misdirected for every host. */
	if (nlen > 0 && host_dir(n, nlen, dir) < 0 &&
	    !tls_misdirected("example.com", n, nlen))
		abort();
	free(buf);
	return 0;
}

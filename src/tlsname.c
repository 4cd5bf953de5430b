/*
 * TLS names.  Input: the SNI a client sent (untrusted bytes, any length)
 * and names from certificates the operator configured.
 */
#include <string.h>

#include "host.h"
#include "tlsname.h"

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* s[0..len) and t[0..len) are the same, ASCII case ignored. */
static int
same_caseless(const char *s, const char *t, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)t[i]))
			return 0;
	return 1;
}

/*
 * Security: a wildcard covers one whole label, the leftmost, and only
 * above two labels of its own ("*.example.com", never "*.com" or "*"), as
 * RFC 6125 and browsers have it; "w*.example.com" and "*.*.example.com"
 * match nothing.  An empty label in the name matches nothing either.
 */
int
tls_name_match(const char *pattern, size_t plen, const char *name, size_t nlen)
{
	const char *dot;
	size_t i, labels = 0;

	if (nlen > 0 && name[nlen - 1] == '.')
		nlen--;
	if (plen > 0 && pattern[plen - 1] == '.')
		plen--;
	if (nlen == 0 || plen == 0 || name[0] == '.' || name[nlen - 1] == '.')
		return 0;
	/* Security: a name of letters, digits, '-', '_' and dots only, with
	 * no empty label, so that no byte of it can stand for a wildcard or
	 * end a string early. */
	for (i = 0; i < nlen; i++) {
		unsigned char c = lower((unsigned char)name[i]);

		if (c == '.' ? name[i - 1] == '.' : !((c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	if (plen < 2 || pattern[0] != '*' || pattern[1] != '.')
		return plen == nlen && memchr(pattern, '*', plen) == NULL &&
		    same_caseless(pattern, name, nlen);
	/* "*." and at least two labels, none of them a wildcard. */
	for (i = 2; i < plen; i++) {
		if (pattern[i] == '*')
			return 0;
		if (pattern[i] == '.')
			labels++;
	}
	if (labels < 1 || pattern[2] == '.')
		return 0;
	/* The name's first label, not empty, stands for the "*". */
	dot = memchr(name, '.', nlen);
	if (dot == NULL || dot == name)
		return 0;
	return (size_t)(name + nlen - dot) == plen - 1 &&
	    same_caseless(dot, pattern + 1, plen - 1);
}

int
tls_misdirected(const char *host, const char *sni, size_t sni_len)
{
	char dir[HOST_DIR_MAX];
	int n;

	if (host == NULL || sni_len == 0)
		return 0;
	/* The SNI spelled as the host is (case, final dot): a name that
	 * is no host name at all names no site of ours. */
	if (sni_len > HOST_NAME_LEN || memchr(sni, ':', sni_len) != NULL ||
	    (n = host_dir(sni, sni_len, dir)) <= 0)
		return 1;
	return strlen(host) != (size_t)n || memcmp(host, dir, (size_t)n) != 0;
}

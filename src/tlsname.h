/*
 * TLS names: matching the name a client asked for in its handshake (SNI)
 * against a certificate's DNS names, and against the Host of a request.
 * Pure functions on bytes and lengths: no OpenSSL, no I/O.
 */
#ifndef TLSNAME_H
#define TLSNAME_H

#include <stddef.h>

/*
 * Whether the DNS name pattern[0..plen) from a certificate covers
 * name[0..nlen) (RFC 6125, section 6.4): the same labels, ASCII case
 * ignored, one final dot on name ignored; a pattern whose first label is
 * "*" alone stands for exactly one label, never the last two.  Returns 1
 * or 0.
 */
int	tls_name_match(const char *pattern, size_t plen, const char *name,
	    size_t nlen);

/*
 * With --vhosts over TLS: whether a request for host (the name the site
 * was chosen by, as host_dir() spells it) came on a connection whose
 * client named sni[0..sni_len) in its handshake, another host: then the
 * answer is 421 (RFC 9110, section 15.5.20).  No SNI (sni_len 0), or no
 * host, is never misdirected.  Returns 1 or 0.
 */
int	tls_misdirected(const char *host, const char *sni, size_t sni_len);

#endif

/*
 * Virtual hosts: the Host of a request (or its absolute-form authority) as
 * the name of the directory that serves it.  No I/O.
 */
#ifndef HOST_H
#define HOST_H

#include <stddef.h>

#define HOST_NAME_LEN	253	/* the longest DNS name, without a final dot */
#define HOST_DIR_MAX	(HOST_NAME_LEN + 1)	/* with its NUL; IP literals fit */
#define HOST_FALLBACK	"_default"	/* the directory for a name with none */

/*
 * The directory name for the host s[0..len) (uri-host [":" port], as the
 * parser let it through) into dir[HOST_DIR_MAX]: lower case, without the
 * port, one final dot dropped; an IPv4 address in its canonical form, an
 * IPv6 one as "[canonical]".  Returns the name's length, or -1 for a host
 * to refuse (400): anything but a reg-name of letters, digits, '-' and '.'
 * in labels of 1 to 63 bytes (none starting or ending with '-'), at most
 * 253 bytes in all, an IPv4 address or a bracketed IPv6 address.
 */
int	host_dir(const char *s, size_t len, char *dir);

#endif

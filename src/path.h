/*
 * From a request-target to an open file under the document root: strict
 * percent-decoding, no dot segments or hidden names, kernel-enforced root.
 */
#ifndef PATH_H
#define PATH_H

#include <sys/stat.h>

#include "request.h"
#include "setup.h"
#include "status.h"

struct target {
	int fd;			/* the open file (or directory, for a listing); -1 if none */
	struct stat st;		/* fstat() of fd */
	int listing;		/* fd is a directory to list */
	const char *type;	/* Content-Type of a file */
	const char *name;	/* the decoded, normalized path under the root ("" for
				   the root); set for a 301 too */
};

/*
 * Open the file req names under the document root.  Returns STATUS_OK and
 * fills *t, STATUS_MOVED_PERMANENTLY for a directory named without its
 * trailing slash, or the error status to send (400, 403, 404, 500).
 */
enum status	path_resolve(const struct config *cfg, const struct request *req,
		    struct target *t);

/*
 * Percent-decode src[0..len) into dst (room for len + 1 bytes), strictly:
 * '%' must be followed by two hex digits, and a decoded NUL or other control
 * byte is refused.  '+' stays '+'.  Returns the decoded length, or -1.
 */
long		path_decode(const char *src, size_t len, char *dst);

/*
 * Turn a decoded path into a relative one for openat2(): empty segments
 * dropped, a trailing slash kept, "" for the root.  Returns the length
 * written to dst (room for len + 1 bytes), or -1 when a segment starts
 * with '.' (dot segments and hidden files), /.well-known/ excepted.
 */
long		path_normalize(const char *src, size_t len, char *dst);

#endif

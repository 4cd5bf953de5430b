/*
 * From a request-target to an open file under the document root: strict
 * percent-decoding, no dot segments or hidden names, kernel-enforced root.
 */
#ifndef PATH_H
#define PATH_H

#include <stdint.h>
#include <sys/stat.h>

#include "request.h"
#include "setup.h"
#include "status.h"

struct target {
	int fd;			/* the open file (or directory, for a listing); -1 if none */
	struct stat st;		/* fstat() of fd */
	int root_fd;		/* the root it is under: the document root, or a
				   virtual host's directory */
	const char *host;	/* with --vhosts: the host asked for, as a name */
	const char *site;	/* with --vhosts: the directory serving it (the
				   host's, or _default) */
	const char *encoding;	/* "br" or "gzip" when fd is a precompressed
				   variant; else NULL */
	int vary;		/* variants exist: the choice depends on
				   Accept-Encoding */
	int listing;		/* fd is a directory to list */
	const char *type;	/* Content-Type of a file */
	const char *name;	/* the decoded, normalized path under the root ("" for
				   the root); set for a 301 too */
};

/*
 * With --vhosts, choose the root for req's host (its absolute-form
 * authority, else Host): DOCROOT/NAME, else DOCROOT/_default, into
 * t->root_fd and t->host; without, the document root.  Returns STATUS_OK,
 * 400 for a host name to refuse, or 404 when neither directory can be
 * opened beneath the root.
 */
enum status	path_site(const struct config *cfg, const struct request *req,
		    struct target *t);

/*
 * Open the file req names under t->root_fd.  Returns STATUS_OK and fills
 * *t, STATUS_MOVED_PERMANENTLY for a directory named without its trailing
 * slash, or the error status to send (400, 403, 404, 500).  With
 * --precompressed, a file's .br or .gz variant is opened instead when the
 * request accepts it.  A name that symlinks lead to a hidden name (see
 * path_hidden()) is 404, as a hidden name asked for is; so is a directory
 * whose index file does, and such a variant is ignored.
 */
enum status	path_resolve(const struct config *cfg, const struct request *req,
		    struct target *t);

/*
 * Open NAME ("404.html") under the --error-pages directory: HOST/NAME
 * first when host is not NULL.  Returns a descriptor of a regular file of
 * at most ERROR_PAGE_MAX bytes, with its size in *size, or -1.
 */
int		path_error_page(const struct config *cfg, const char *host,
		    const char *name, uint64_t *size);

/*
 * Percent-decode src[0..len) into dst (room for len + 1 bytes), strictly:
 * '%' must be followed by two hex digits, and a decoded NUL or other control
 * byte is refused.  '+' stays '+'.  Returns the decoded length, or -1.
 */
long		path_decode(const char *src, size_t len, char *dst);

/*
 * Turn a decoded path into a relative one for openat2(): empty segments
 * dropped, a trailing slash kept, "" for the root.  Returns the length
 * written to dst (room for len + 1 bytes; dst may be src), or -1 when a
 * segment starts with '.' (dot segments and hidden files), /.well-known/
 * excepted.
 */
long		path_normalize(const char *src, size_t len, char *dst);

/*
 * Whether the relative name rel (leading, trailing and repeated slashes
 * allowed) has a hidden segment: one that starts with '.', a first
 * ".well-known" excepted.  The rule path_normalize() applies to the
 * request, applied to the name of what was opened.  Returns 1 or 0.
 */
int		path_hidden(const char *rel);

#endif

/*
 * Path resolution.  Input: the request path, syntactically checked by the
 * parser but otherwise untrusted.  The kernel, through openat2() with
 * RESOLVE_BENEATH, is what keeps every open beneath the document root.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "encoding.h"
#include "fmt.h"
#include "host.h"
#include "mime.h"
#include "path.h"

/* The openat2() ABI, for C libraries (musl) that ship no Linux headers. */
#if defined(__has_include) && __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#else
struct open_how {
	uint64_t flags, mode, resolve;
};
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/*
 * Security: decoding is done once, strictly, before any check, so that
 * "%2e%2e" and ".." are the same thing to every check below; a decoded
 * "%252e" stays the three bytes "%2e", never a dot.
 */
long
path_decode(const char *src, size_t len, char *dst)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (ch == '%') {
			int hi, lo;

			if (len - i < 3)
				return -1;
			hi = fmt_hex_value((unsigned char)src[i + 1]);
			lo = fmt_hex_value((unsigned char)src[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			ch = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (ch < 0x20 || ch == 0x7f)
			return -1;
		dst[o++] = (char)ch;
	}
	dst[o] = '\0';
	return (long)o;
}

/*
 * Security: the one rule for hidden names, for the request path and for
 * the name of what was opened: a segment that starts with a dot is hidden
 * (".", "..", ".git", ".htpasswd"); only ".well-known" as the first segment
 * (RFC 8615) is not.
 */
static int
segment_hidden(const char *seg, size_t len, int first)
{
	return seg[0] == '.' && !(first && len == 11 &&
	    memcmp(seg, ".well-known", 11) == 0);
}

int
path_hidden(const char *rel)
{
	int first = 1;

	while (*rel != '\0') {
		size_t n = 0;

		if (*rel == '/') {
			rel++;
			continue;
		}
		/* By hand, not strcspn(): one symbol fewer for the loader to
		 * bind at every start. */
		while (rel[n] != '\0' && rel[n] != '/')
			n++;
		if (segment_hidden(rel, n, first))
			return 1;
		first = 0;
		rel += n;
	}
	return 0;
}

long
path_normalize(const char *src, size_t len, char *dst)
{
	size_t i = 0, o = 0;
	int first = 1;

	while (i < len) {
		size_t start, seg, k;

		while (i < len && src[i] == '/')
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && src[i] != '/')
			i++;
		seg = i - start;
		if (segment_hidden(src + start, seg, first))
			return -1;
		if (o > 0)
			dst[o++] = '/';
		/* Byte by byte from the front: in place, dst + o is never
		 * past src + start.  (Not memmove(), one more symbol for the
		 * loader to bind at every start.) */
		for (k = 0; k < seg; k++)
			dst[o + k] = src[start + k];
		o += seg;
		first = 0;
	}
	if (o > 0 && len > 0 && src[len - 1] == '/')
		dst[o++] = '/';
	dst[o] = '\0';
	return (long)o;
}

/* errno of a failed lookup to a status, in one place. */
static enum status
status_from_errno(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
	case ENAMETOOLONG:
	case EXDEV:		/* would leave the root */
	case ELOOP:		/* a symlink loop, a symlink the walk does
				   not follow, or one to a hidden name */
		return STATUS_NOT_FOUND;
	case EACCES:
	case EPERM:
		return STATUS_FORBIDDEN;
	default:
		return STATUS_INTERNAL_SERVER_ERROR;
	}
}

/*
 * Security: the fallback for kernels without openat2() walks the path one
 * component at a time with O_NOFOLLOW, so it follows no symlink at all:
 * stricter than RESOLVE_BENEATH, never weaker.  Dot segments never get
 * here (path_normalize refuses them).
 */
static int
open_walk(int dirfd, const char *rel, int flags)
{
	char comp[NAME_MAX_LEN + 1];
	int cur = dirfd, fd;

	for (;;) {
		const char *slash = strchr(rel, '/');
		size_t n = slash ? (size_t)(slash - rel) : strlen(rel);

		if (n > NAME_MAX_LEN) {
			fd = -1;
			errno = ENAMETOOLONG;
			break;
		}
		memcpy(comp, rel, n);
		comp[n] = '\0';
		if (slash == NULL || slash[1] == '\0') {
			fd = openat(cur, comp, flags | O_NOFOLLOW |
			    (slash ? O_DIRECTORY : 0), 0);
			break;
		}
		fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cur != dirfd)
			close(cur);
		if (fd == -1)
			return -1;
		cur = fd;
		rel = slash + 1;
	}
	if (cur != dirfd) {
		int e = errno;

		close(cur);
		errno = e;
	}
	return fd;
}

/* The kernel's name of what fd is open on (its d_path), read through
 * /proc, into buf[cap] with a NUL.  Returns 0, or -1.  The raw call, as
 * for openat2(): a readlinkat() symbol would be bound at every start. */
static int
fd_name(int fd, char *buf, size_t cap)
{
	char link[sizeof("/proc/self/fd/") + FMT_U64_MAX] = "/proc/self/fd/";
	long n;

	*fmt_u64(link + sizeof("/proc/self/fd/") - 1, (uint64_t)fd) = '\0';
	n = syscall(SYS_readlinkat, AT_FDCWD, link, buf, cap);
	if (n <= 0 || (size_t)n >= cap)
		return -1;
	buf[n] = '\0';
	return 0;
}

/*
 * Security: the hidden-name rule holds for what a symlink leads to, not
 * only for the name asked for: fd, opened beneath dirfd through at least
 * one symlink, is refused when the kernel's name of it, below the kernel's
 * name of dirfd, has a hidden segment (plain.txt -> .secret, or a
 * directory link into .git/).  RESOLVE_BENEATH already put fd beneath
 * dirfd; the prefix is checked all the same.  When /proc cannot be read
 * (not mounted), the answer is "hidden": a symlinked name is refused
 * rather than served unchecked.  Returns 1 for hidden, else 0.
 */
static int
opened_hidden(int dirfd, int fd)
{
	static char root[PATH_MAX], name[PATH_MAX];
	size_t n;

	if (fd_name(dirfd, root, sizeof(root)) == -1 ||
	    fd_name(fd, name, sizeof(name)) == -1)
		return 1;
	n = strlen(root);
	if (n == 1)
		n = 0;		/* the root is "/" */
	if (strncmp(name, root, n) != 0 || (name[n] != '/' && name[n] != '\0'))
		return 1;
	return path_hidden(name + n);
}

/* Open rel ("" for the root) beneath dirfd with flags (a file to read by
 * default: see open_beneath()). */
static int
open_beneath_as(int dirfd, const char *rel, int flags)
{
	/* Security: the kernel refuses ".." out of the root, absolute
	 * symlinks, symlinks that lead out, and /proc magic links; a symlink
	 * that stays inside works.  O_NONBLOCK keeps a FIFO from blocking
	 * the open.  The first open follows no symlink at all, so a name
	 * without one costs this one call and needs no further check; only
	 * when it meets a symlink (ELOOP) is the name opened again through
	 * it, and what was opened checked for hidden names (opened_hidden():
	 * two readlinkat() calls, four calls in all). */
	struct open_how how = {
		.flags = (uint64_t)flags,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS |
		    RESOLVE_NO_SYMLINKS,
	};
	long fd;

	if (*rel == '\0')
		rel = ".";
	fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	if (fd == -1 && errno == ELOOP) {
		how.resolve &= ~(uint64_t)RESOLVE_NO_SYMLINKS;
		fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
		if (fd >= 0 && opened_hidden(dirfd, (int)fd)) {
			close((int)fd);
			errno = ELOOP;	/* 404, as a hidden name asked for */
			return -1;
		}
	}
	if (fd >= 0 || errno != ENOSYS)
		return (int)fd;
	if (strcmp(rel, ".") == 0)
		return openat(dirfd, ".", flags | O_DIRECTORY, 0);
	return open_walk(dirfd, rel, flags);
}

static int
open_beneath(int dirfd, const char *rel)
{
	return open_beneath_as(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
}

/* Open the regular file rel beneath dirfd into *fd and *st.  Returns 0,
 * or -1 (nothing left open). */
static int
open_regular(int dirfd, const char *rel, int *fd, struct stat *st)
{
	*fd = open_beneath(dirfd, rel);
	if (*fd == -1)
		return -1;
	if (fstatat(*fd, "", st, AT_EMPTY_PATH) == 0 && S_ISREG(st->st_mode))
		return 0;
	close(*fd);
	*fd = -1;
	return -1;
}

enum status
path_site(const struct config *cfg, const struct request *req,
    struct target *t)
{
	static char dir[HOST_DIR_MAX];
	const char *h = req->authority != NULL ? req->authority : req->host;
	size_t hlen = req->authority != NULL ? req->authority_len : req->host_len;
	int flags = O_PATH | O_DIRECTORY | O_CLOEXEC, fd;

	t->root_fd = cfg->docroot_fd;
	t->host = t->site = NULL;
	if (!cfg->vhosts)
		return STATUS_OK;
	/* The absolute form's authority overrides Host (RFC 9112, section
	 * 3.2.2); HTTP/1.0 may send neither. */
	if (h != NULL) {
		if (host_dir(h, hlen, dir) < 0)
			return STATUS_BAD_REQUEST;
		t->host = dir;
		/* Security: beneath the root, as any file: a host directory
		 * that is a symlink out of the root is not served. */
		fd = open_beneath_as(cfg->docroot_fd, dir, flags);
		if (fd != -1) {
			t->root_fd = fd;
			t->site = dir;
			return STATUS_OK;
		}
		if (errno != ENOENT)
			return STATUS_NOT_FOUND;
	}
	fd = open_beneath_as(cfg->docroot_fd, HOST_FALLBACK, flags);
	if (fd == -1)
		return STATUS_NOT_FOUND;
	t->root_fd = fd;
	t->site = HOST_FALLBACK;
	return STATUS_OK;
}

/*
 * With --precompressed: rel[0..len) is a regular file open in t.  Look for
 * rel.br and rel.gz beside it, regular, readable and not older than it by
 * a second or more (a stale variant is ignored), and when the request's Accept-Encoding
 * prefers one, serve it instead: its own bytes, size and validators, the
 * Content-Type of rel.  A name that is itself .br or .gz is served as it
 * is.  Costs two failed opens for a file without variants.
 */
static void
choose_variant(const struct request *req, struct target *t, char *rel,
    size_t len)
{
	static const struct {
		const char *suffix, *coding;
		enum encoding e;
	} v[] = {
		{ ".br", "br", ENCODING_BR },
		{ ".gz", "gzip", ENCODING_GZIP },
	};
	int fd[2] = { -1, -1 };
	struct stat st[2];
	unsigned q[ENCODING_COUNT], available = 0, k;
	enum encoding e;

	if (len >= 3 && (strcmp(rel + len - 3, ".br") == 0 ||
	    strcmp(rel + len - 3, ".gz") == 0))
		return;
	for (k = 0; k < 2; k++) {
		memcpy(rel + len, v[k].suffix, 4);
		if (open_regular(t->root_fd, rel, &fd[k], &st[k]) == -1)
			continue;
		/* Stale: older than the file, by whole seconds (brotli
		 * keeps only the seconds of the time it copies). */
		if (st[k].st_mtim.tv_sec < t->st.st_mtim.tv_sec) {
			close(fd[k]);
			fd[k] = -1;
			continue;
		}
		available |= 1U << v[k].e;
	}
	rel[len] = '\0';
	t->vary = available != 0;
	encoding_accept(&req->accept_encoding, q);
	e = encoding_choose(q, available);
	for (k = 0; k < 2; k++) {
		if (fd[k] == -1)
			continue;
		if (v[k].e != e) {
			close(fd[k]);
			continue;
		}
		close(t->fd);
		t->fd = fd[k];
		t->st = st[k];
		t->encoding = v[k].coding;
	}
}

int
path_error_page(const struct config *cfg, const char *host, const char *name,
    uint64_t *size)
{
	char rel[HOST_DIR_MAX + 16];
	struct stat st;
	size_t n = 0;
	int fd = -1;

	if (cfg->error_dir_fd == -1)
		return -1;
	if (host != NULL) {
		n = strlen(host);
		memcpy(rel, host, n);
		rel[n++] = '/';
	}
	memcpy(rel + n, name, strlen(name) + 1);
	if (open_regular(cfg->error_dir_fd, rel, &fd, &st) == -1 &&
	    (host == NULL || open_regular(cfg->error_dir_fd, name, &fd, &st) == -1))
		return -1;
	if ((uint64_t)st.st_size > ERROR_PAGE_MAX) {
		close(fd);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

/* The path, decoded and normalized in place (plus room for "/", an index
 * name and ".br"). */
static char rel[LINE_MAX_LEN + NAME_MAX_LEN + 8];

enum status
path_resolve(const struct config *cfg, const struct request *req,
    struct target *t)
{
	long n;
	size_t len;
	int fd, ifd;
	struct stat ist;

	t->fd = -1;
	n = path_decode(req->path, req->path_len, rel);
	if (n < 0)
		return STATUS_BAD_REQUEST;
	n = path_normalize(rel, (size_t)n, rel);
	if (n < 0)
		return STATUS_NOT_FOUND;
	len = (size_t)n;
	t->name = rel;

	fd = open_beneath(t->root_fd, rel);
	if (fd == -1)
		return status_from_errno(errno);
	if (fstatat(fd, "", &t->st, AT_EMPTY_PATH) == -1) {
		close(fd);
		return STATUS_INTERNAL_SERVER_ERROR;
	}
	if (S_ISREG(t->st.st_mode)) {
		t->fd = fd;
		t->type = mime_type(rel, len);
		if (cfg->precompressed)
			choose_variant(req, t, rel, len);
		return STATUS_OK;
	}
	if (!S_ISDIR(t->st.st_mode)) {
		/* Security: only regular files are served: no FIFOs,
		 * sockets or devices. */
		close(fd);
		return STATUS_FORBIDDEN;
	}
	if (req->path[req->path_len - 1] != '/') {
		close(fd);
		return STATUS_MOVED_PERMANENTLY;
	}

	/* A directory: its index file, else a listing (--list), else 403. */
	memcpy(rel + len, cfg->index, cfg->index_len + 1);
	ifd = open_beneath(t->root_fd, rel);
	if (ifd != -1) {
		if (fstatat(ifd, "", &ist, AT_EMPTY_PATH) == 0 && S_ISREG(ist.st_mode)) {
			close(fd);
			t->fd = ifd;
			t->st = ist;
			t->type = mime_type(rel, len + cfg->index_len);
			if (cfg->precompressed)
				choose_variant(req, t, rel, len + cfg->index_len);
			/* The name of the directory, for a Location. */
			rel[len] = '\0';
			return STATUS_OK;
		}
		close(ifd);
	} else if (errno != ENOENT && errno != ENOTDIR) {
		close(fd);
		return status_from_errno(errno);
	}
	rel[len] = '\0';
	if (!cfg->list) {
		close(fd);
		return STATUS_FORBIDDEN;
	}
	t->fd = fd;
	t->listing = 1;
	t->type = "text/html; charset=utf-8";
	return STATUS_OK;
}

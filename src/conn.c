/*
 * Connection handling.  Trusts the command line and the environment the
 * service manager set; trusts nothing read from the connection.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef STATIC_BUILD
#include <systemd/sd-daemon.h>	/* types only: the library is dlopen()ed */
#endif

#include "conn.h"
#include "log.h"

#define RWF_NOWAIT_	0x00000008	/* preadv2(): fail with EAGAIN, never block */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A decimal number of digits only, at most max, into *v.  Returns 0 or -1. */
static int
parse_number(const char *s, unsigned long max, unsigned long *v)
{
	*v = 0;
	if (*s == '\0')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned long d = (unsigned long)(*s - '0');

		if (*v > (max - d) / 10)
			return -1;
		*v = *v * 10 + d;
	}
	return *s == '\0' ? 0 : -1;
}

static const char usage_text[] =
    "usage: webserver [--timeout SEC] [--index NAME] [--list] [--log SINK]\n"
    "                 [--user NAME] [--version] [--help] [DOCROOT]\n"
    "\n"
    "Serve one HTTP/1.1 request from stdin/stdout (inetd style) or from the\n"
    "socket passed as fd 3 (LISTEN_FDS), then exit.  DOCROOT defaults to the\n"
    "current directory.\n"
    "\n"
    "  --timeout SEC  seconds for the request head to arrive, and for each\n"
    "                 write to make progress (1-3600, default 10)\n"
    "  --index NAME   file served for a directory (default index.html)\n"
    "  --list         list directories that have no index file\n"
    "  --log SINK     stderr, syslog or none (default: stderr, or syslog when\n"
    "                 stderr is the connection, as under xinetd)\n"
    "  --user NAME    the user to serve as when started as root (default nobody)\n"
    "  --version      print the version and exit\n"
    "  --help         print this help and exit\n";

static int
usage(int fd)
{
	(void)!write(fd, usage_text, sizeof(usage_text) - 1);
	return 2;
}

/* Nonzero when err (fd 2) is the connection: the same socket as in or out. */
static int
is_conn(const struct stat *err, const struct stat *in, const struct stat *out)
{
	return S_ISSOCK(err->st_mode) &&
	    ((err->st_dev == in->st_dev && err->st_ino == in->st_ino) ||
	    (err->st_dev == out->st_dev && err->st_ino == out->st_ino));
}

/*
 * Take the connection passed as fd 3 by the sd_listen_fds protocol.
 * libsystemd is loaded here and only here: linked in, it would double the
 * start-up cost of every connection, including those on the inetd path.
 */
static int
take_listen_fd(struct conn *c)
{
#ifdef STATIC_BUILD
	(void)c;
	log_message("LISTEN_FDS is set, but this static build cannot load "
	    "libsystemd; use inetd-style activation (StandardInput=socket)");
	return -1;
#else
	void *h;
	__typeof__(&sd_listen_fds) listen_fds;
	__typeof__(&sd_is_socket) is_socket;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int n;

	h = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		log_message2("cannot take the socket from LISTEN_FDS: ", dlerror());
		return -1;
	}
	*(void **)&listen_fds = dlsym(h, "sd_listen_fds");
	*(void **)&is_socket = dlsym(h, "sd_is_socket");
	if (listen_fds == NULL || is_socket == NULL) {
		log_message("cannot take the socket from LISTEN_FDS: "
		    "libsystemd.so.0 lacks sd_listen_fds or sd_is_socket");
		return -1;
	}
	n = listen_fds(1);	/* also unsets LISTEN_FDS and LISTEN_PID */
	if (n != 1) {
		log_message("LISTEN_FDS must pass exactly one connection "
		    "(Accept=yes in the socket unit)");
		return -1;
	}
	if (is_socket(SD_LISTEN_FDS_START, AF_UNSPEC, SOCK_STREAM, 0) <= 0 ||
	    getpeername(3, (struct sockaddr *)&ss, &sl) == -1) {
		log_message("fd 3 from LISTEN_FDS is not a connected stream "
		    "socket (a listening socket means Accept=no; use Accept=yes)");
		return -1;
	}
	c->in = c->out = 3;
	return 0;
#endif
}

/* The options: all long, GNU style ("--name value", "--name=value", a
 * unique prefix of the name), in any order with the one operand. */
static const struct option_spec {
	const char *name;
	int has_arg;
	char ch;
} options_table[] = {
	{ "timeout", 1, 't' },
	{ "index", 1, 'i' },
	{ "list", 0, 'l' },
	{ "log", 1, 'L' },
	{ "user", 1, 'u' },
	{ "version", 0, 'V' },
	{ "help", 0, 'h' },
};

/* The entry that the name a[0..len) spells or uniquely begins, or NULL. */
static const struct option_spec *
option_find(const char *a, size_t len)
{
	const struct option_spec *o, *found = NULL;
	size_t k, matches = 0;

	for (k = 0; k < sizeof(options_table) / sizeof(options_table[0]); k++) {
		o = &options_table[k];
		if (strncmp(o->name, a, len) != 0)
			continue;
		if (o->name[len] == '\0')
			return o;
		found = o;
		matches++;
	}
	return matches == 1 ? found : NULL;
}

/* Parse the command line into c.  Returns 0, 2 for usage, -1 for done. */
static int
options(struct conn *c, int argc, char *argv[], const char **docroot,
    int err_fd)
{
	const struct option_spec *o;
	const char *a, *eq, *arg, *operand = NULL;
	int i, operands_only = 0;

	for (i = 1; i < argc; i++) {
		unsigned long v;

		a = argv[i];
		if (operands_only || a[0] != '-' || a[1] == '\0') {
			if (operand != NULL)
				return usage(err_fd);
			operand = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			operands_only = 1;
			continue;
		}
		if (a[1] != '-')
			return usage(err_fd);	/* there are no short options */
		a += 2;
		eq = strchr(a, '=');
		if ((o = option_find(a, eq ? (size_t)(eq - a) : strlen(a))) == NULL)
			return usage(err_fd);
		arg = NULL;
		if (o->has_arg && eq != NULL)
			arg = eq + 1;
		else if (o->has_arg && i + 1 < argc)
			arg = argv[++i];
		else if (o->has_arg || eq != NULL)
			return usage(err_fd);
		switch (o->ch) {
		case 't':
			if (parse_number(arg, 3600, &v) == -1 || v < 1)
				return usage(err_fd);
			c->timeout = (unsigned)v;
			break;
		case 'i':
			/* Security: the index name is one plain file name. */
			c->index_len = strlen(arg);
			if (c->index_len == 0 || c->index_len > NAME_MAX_LEN ||
			    arg[0] == '.' || strchr(arg, '/'))
				return usage(err_fd);
			c->index = arg;
			break;
		case 'l':
			c->list = 1;
			break;
		case 'L':
			if (strcmp(arg, "stderr") == 0)
				c->log_sink = LOG_SINK_STDERR;
			else if (strcmp(arg, "syslog") == 0)
				c->log_sink = LOG_SINK_SYSLOG;
			else if (strcmp(arg, "none") == 0)
				c->log_sink = LOG_SINK_NONE;
			else
				return usage(err_fd);
			break;
		case 'u':
			if (*arg == '\0')
				return usage(err_fd);
			c->user = arg;
			break;
		case 'V':
			(void)!write(1, "webserver " VERSION "\n",
			    sizeof("webserver " VERSION "\n") - 1);
			return -1;
		default:	/* 'h' */
			(void)!write(1, usage_text, sizeof(usage_text) - 1);
			return -1;
		}
	}
	if (operand != NULL)
		*docroot = operand;
	return 0;
}

/* The value of the environment variable name, or NULL. */
static const char *
env_get(char *const envp[], const char *name)
{
	size_t len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

int
conn_setup(struct conn *c, int argc, char *argv[], char *envp[])
{
	struct stat st[3];
	const char *docroot = ".", *lfds, *lpid;
	unsigned long pid;
	int fd, r, err_fd;

	/* Zero-filled by the loader and touched only as far as it is read. */
	static char head[HEAD_CAP];

	memset(c, 0, sizeof(*c));
	c->envp = envp;
	c->head = head;
	c->in = 0;
	c->out = 1;
	c->docroot_fd = -1;
	c->timeout = TIMEOUT_SEC;
	c->index = INDEX_NAME;
	c->index_len = sizeof(INDEX_NAME) - 1;

	/* fds 0 and 2 are looked at below; a closed one is opened on
	 * /dev/null.  A closed fd 1 is caught when the root is opened. */
	for (fd = 0; fd < 3; fd += 2)
		if (fstatat(fd, "", &st[fd], AT_EMPTY_PATH) == -1) {
			if (openat(AT_FDCWD, "/dev/null", O_RDWR) != fd)
				return 1;
			(void)fstatat(fd, "", &st[fd], AT_EMPTY_PATH);
		}
	st[1] = st[0];	/* inetd style: the same connection */

	/* Usage errors go to stderr unless it may be the client. */
	err_fd = is_conn(&st[2], &st[0], &st[1]) ? -1 : 2;
	r = options(c, argc, argv, &docroot, err_fd);
	if (r != 0)
		return r;

	lfds = env_get(envp, "LISTEN_FDS");
	lpid = env_get(envp, "LISTEN_PID");
	if (lfds != NULL && lpid != NULL && parse_number(lpid, LONG_MAX, &pid) == 0 &&
	    pid == (unsigned long)syscall(SYS_getpid)) {
		/* Where a hand-over failure is reported. */
		log_open(c->log_sink != LOG_SINK_AUTO ? c->log_sink :
		    err_fd == 2 ? LOG_SINK_STDERR : LOG_SINK_SYSLOG);
		if (take_listen_fd(c) == -1 ||
		    fstatat(c->in, "", &st[0], AT_EMPTY_PATH) == -1)
			return 1;
		st[1] = st[0];
	}
	/* Security: xinetd (and a unit without StandardError=journal) hands
	 * us the connection as stderr too.  Then nothing may be written to
	 * fd 2, or it would reach the client before the status line. */
	if (c->log_sink == LOG_SINK_AUTO)
		c->log_sink = is_conn(&st[2], &st[0], &st[1]) ?
		    LOG_SINK_SYSLOG : LOG_SINK_STDERR;
	log_open(c->log_sink);
	c->is_socket = S_ISSOCK(st[0].st_mode);

	c->docroot_fd = openat(AT_FDCWD, docroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->docroot_fd == -1) {
		log_message2("cannot open the document root: ", strerror(errno));
		return 1;
	}
	/*
	 * Security: the root took the lowest free descriptor.  If that is
	 * 0-2, one of them was closed: move the root up and put /dev/null
	 * there, so that no file opened later can become "stdout" and
	 * receive the response.
	 */
	while (c->docroot_fd <= 2) {
		int hole = c->docroot_fd;

		c->docroot_fd = fcntl(hole, F_DUPFD_CLOEXEC, 3);
		close(hole);
		if (c->docroot_fd == -1 || openat(AT_FDCWD, "/dev/null", O_RDWR) != hole)
			return 1;
	}

	/* Security: every phase has a time limit.  The head must arrive
	 * within the timeout in total (a slow drip does not extend it); a
	 * write that makes no progress for the timeout fails. */
	c->deadline_ms = now_ms() + (int64_t)c->timeout * 1000;
	if (c->is_socket) {
		struct timeval tv = { .tv_sec = (time_t)c->timeout };

		(void)setsockopt(c->out, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	/* A client that goes away mid-response is an error return, not a
	 * signal that kills us before the log line.  The kernel's own
	 * struct (handler, flags, restorer, mask): no handler runs, so no
	 * restorer is needed. */
	{
		struct { void *handler; unsigned long flags; void *restorer;
		    uint64_t mask; } ign = { .handler = (void *)SIG_IGN };

		(void)syscall(SYS_rt_sigaction, SIGPIPE, &ign, NULL, sizeof(ign.mask));
	}
	return 0;
}

enum status
conn_read_head(struct conn *c)
{
	size_t scan = 0, line_start = 0, line_end = 0;
	int have_line = 0;
	ssize_t n;

	for (;;) {
		struct pollfd pfd = { .fd = c->in, .events = POLLIN };
		struct iovec iov = { c->head + c->head_read, HEAD_CAP - c->head_read };
		int64_t left;

		/* Usually the head is there by the time we run: take it
		 * without waiting, and poll only when it is not. */
		n = syscall(SYS_preadv2, c->in, &iov, 1, -1L, -1L, RWF_NOWAIT_);
		if (n == -1 && (errno == EAGAIN || errno == EOPNOTSUPP ||
		    errno == ENOSYS || errno == EINVAL)) {
			left = c->deadline_ms - now_ms();
			if (left <= 0)
				return STATUS_REQUEST_TIMEOUT;
			n = poll(&pfd, 1, (int)left);
			if (n == 0)
				return STATUS_REQUEST_TIMEOUT;
			if (n > 0)
				n = read(c->in, iov.iov_base, iov.iov_len);
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			c->peer_done = 1;	/* it sends nothing more */
			/* Nothing sent, or the client reset: nobody to answer. */
			if (c->head_read == 0 || n == -1)
				return 0;
			return STATUS_BAD_REQUEST;
		}
		c->head_read += (size_t)n;

		/*
		 * Find the empty line that ends the head.  Empty lines before
		 * the request line are skipped (RFC 9112, section 2.2).
		 * Security: the request line and the header section are
		 * bounded separately, each refused as soon as it is too long,
		 * without waiting for more bytes.
		 */
		for (; scan < c->head_read; scan++) {
			char ch = c->head[scan];

			if (ch == '\r') {
				if (scan + 1 == c->head_read)
					break;	/* wait for the next byte */
				if (c->head[scan + 1] != '\n')
					goto bad;
				continue;
			}
			if (ch != '\n')
				continue;
			if (scan - line_start == 0 ||
			    (scan - line_start == 1 && c->head[line_start] == '\r')) {
				if (have_line) {
					c->head_len = scan + 1;
					return STATUS_OK;
				}
			} else if (!have_line) {
				if (scan - line_start > LINE_MAX_LEN + 1)
					goto too_long;
				have_line = 1;
				line_end = scan + 1;
			}
			line_start = scan + 1;
		}
		if (!have_line && c->head_read - line_start > LINE_MAX_LEN + 1)
			goto too_long;
		if (have_line && c->head_read - line_end > FIELDS_MAX_LEN + 2)
			return STATUS_HEADER_FIELDS_TOO_LARGE;
		if (c->head_read == HEAD_CAP)
			goto bad;	/* only empty lines: nothing to parse */
	}
too_long:
	return STATUS_URI_TOO_LONG;
bad:
	return STATUS_BAD_REQUEST;
}

int
conn_write(struct conn *c, const void *buf, size_t len, int more)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n;

		if (c->is_socket) {
			n = send(c->out, p, len, more ? MSG_MORE | MSG_NOSIGNAL :
			    MSG_NOSIGNAL);
			if (n == -1 && errno == ENOTSOCK) {
				/* fd 0 is a socket, fd 1 is not. */
				c->is_socket = 0;
				continue;
			}
		} else
			n = write(c->out, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The read/write path, for outputs sendfile() refuses. */
static int
copy_file(struct conn *c, int fd, uint64_t off, uint64_t count)
{
	char buf[65536];

	while (count > 0) {
		size_t want = count < sizeof(buf) ? (size_t)count : sizeof(buf);
		ssize_t n = pread(fd, buf, want, (off_t)off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (conn_write(c, buf, (size_t)n, 0) == -1)
			return -1;
		c->body_sent += (uint64_t)n;
		off += (uint64_t)n;
		count -= (uint64_t)n;
	}
	return 0;
}

int
conn_send_file(struct conn *c, int fd, uint64_t off, uint64_t count)
{
	off_t o = (off_t)off;
	int first = 1;

	while (count > 0) {
		size_t want = count > 0x7ffff000 ? 0x7ffff000 : (size_t)count;
		ssize_t n = sendfile(c->out, fd, &o, want);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && first && (errno == EINVAL || errno == ENOSYS))
			return copy_file(c, fd, off, count);
		/* Security: a file that shrank while being sent ends the
		 * connection short; it is never padded. */
		if (n <= 0)
			return -1;
		first = 0;
		c->body_sent += (uint64_t)n;
		count -= (uint64_t)n;
	}
	return 0;
}

/* Write the digits of v (0-255) at p; returns the end. */
static char *
put_dec8(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* The dotted form of the IPv4 address a[0..4) into p (16 bytes). */
static void
format_ipv4(char *p, const unsigned char *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		p = put_dec8(p, a[i]);
		*p++ = i < 3 ? '.' : '\0';
	}
}

/*
 * The text form of the IPv6 address a[0..16) into p (40 bytes), as RFC 5952
 * section 4 has it: lower-case hex without leading zeros, and the longest
 * run of two or more zero groups (the first, if runs tie) as "::".
 */
static void
format_ipv6(char *p, const unsigned char *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned g[8];
	int i, j, best = -1, best_len = 1, shift;

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
		for (shift = 12; shift > 0 && (g[i] >> shift) == 0; shift -= 4)
			;
		for (; shift >= 0; shift -= 4)
			*p++ = hex[(g[i] >> shift) & 15];
		if (i < 7)
			*p++ = ':';
	}
	*p = '\0';
}

const char *
conn_client(const struct conn *c)
{
	static char buf[INET6_ADDRSTRLEN];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	const char *env;

	if (c->is_socket &&
	    getpeername(c->in, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET) {
			format_ipv4(buf, (const unsigned char *)
			    &((struct sockaddr_in *)&ss)->sin_addr);
			return buf;
		}
		if (ss.ss_family == AF_INET6) {
			struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;

			/* An IPv4 client of a dual-stack socket logs as IPv4. */
			if (IN6_IS_ADDR_V4MAPPED(a))
				format_ipv4(buf, &a->s6_addr[12]);
			else
				format_ipv6(buf, a->s6_addr);
			return buf;
		}
	}
	if ((env = env_get(c->envp, "REMOTE_ADDR")) != NULL && *env)
		return env;
	if ((env = env_get(c->envp, "REMOTE_HOST")) != NULL && *env)
		return env;
	if ((env = env_get(c->envp, "TCPREMOTEIP")) != NULL && *env)
		return env;
	return "-";
}

void
conn_finish(struct conn *c)
{
	char buf[4096];
	int64_t deadline;
	size_t drained = 0;

	/* Linger only on a socket whose client may still be sending. */
	if (!c->is_socket || c->peer_done)
		goto out;
	/*
	 * Linger only when the client may still be sending: it sent more
	 * than the head, announced a body, or has bytes waiting.  Otherwise
	 * the close is a plain FIN, as nginx does it.
	 */
	if (c->head_len > 0 && c->head_read == c->head_len && !c->body_expected) {
		ssize_t n = recv(c->in, buf, 1, MSG_PEEK | MSG_DONTWAIT);

		/* Nothing waiting, or the client has already closed. */
		if (n == 0 || (n == -1 && errno == EAGAIN))
			goto out;
	}
	/*
	 * Security and correctness: closing a socket with unread request
	 * bytes sends a reset, which can destroy the response still in
	 * flight.  Half-close, then read until the client closes, for a
	 * bounded time and byte count (a lingering close).
	 */
	if (shutdown(c->out, SHUT_WR) == -1)
		goto out;
	deadline = now_ms() + LINGER_MS;
	while (drained < LINGER_BYTES) {
		struct pollfd pfd = { .fd = c->in, .events = POLLIN };
		int64_t left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		n = read(c->in, buf, sizeof(buf));
		if (n <= 0)
			break;
		drained += (size_t)n;
	}
out:
	conn_close_all();
}

void
conn_close_all(void)
{
	int fd;

	/* One call closes them all (Linux 5.9); before that, one by one, as
	 * far as any handler gets (the root, the file, an index, the syslog
	 * and LISTEN_FDS sockets, the Landlock ruleset). */
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == -1)
		for (fd = 3; fd < 64; fd++)
			(void)close(fd);
}

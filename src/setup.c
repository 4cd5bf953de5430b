/*
 * Set-up.  Trusts the command line and the environment the service manager
 * set; reads nothing from the connection.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "conn.h"
#include "request.h"
#include "setup.h"

#define SD_LISTEN_FDS_START	3	/* sd_listen_fds(3): the first fd passed */

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
    "                 [--user NAME] [--min-rate BYTES] [--max-time SEC]\n"
    "                 [--keep-alive N] [--keep-alive-timeout SEC]\n"
    "                 [--idle-exit SEC] [--max-children N] [--max-per-source N]\n"
    "                 [--proxy-protocol] [--vhosts] [--precompressed]\n"
    "                 [--error-pages DIR] [--header 'NAME: VALUE']...\n"
    "                 [--tls-cert FILE [--tls-key FILE]]... [--tls-ticket-keys FILE]\n"
    "                 [--version] [--help] [DOCROOT]\n"
    "\n"
    "Serve one HTTP/1.1 request from stdin/stdout (inetd style) or from the\n"
    "socket passed as fd 3 (LISTEN_FDS), then exit.  Handed a listening\n"
    "socket instead (Accept=no, or xinetd's wait = yes), serve as a pool: one\n"
    "child process per connection.  DOCROOT defaults to the current directory.\n"
    "\n"
    "  --timeout SEC  seconds for the request head to arrive, and that the\n"
    "                 client may take no byte of a response (1-3600, default 10)\n"
    "  --min-rate BYTES  after the first --timeout seconds of a response, the\n"
    "                 bytes per second the client must take on average, as its\n"
    "                 TCP stack acknowledges them (0-1073741824, default 8192;\n"
    "                 0: no minimum)\n"
    "  --max-time SEC the longest a response may take, and the age past which\n"
    "                 a connection takes no new request (1-86400, default 600)\n"
    "  --keep-alive N answer up to N requests on one connection (1-10000,\n"
    "                 default 1: one request, then the connection closes)\n"
    "  --keep-alive-timeout SEC  after a response, how long the next request's\n"
    "                 first byte may take to come (1-300, default 5)\n"
    "  --idle-exit SEC  a pool exits after SEC seconds with no connection\n"
    "                 (0-86400, default 60; 0: never)\n"
    "  --max-children N  a pool's connections at once (1-4096, default 128)\n"
    "  --max-per-source N  a pool's connections at once from one address, or\n"
    "                 one IPv6 /64 (1-4096, default 32)\n"
    "  --proxy-protocol  every connection starts with a PROXY protocol header\n"
    "                 (v1 or v2) from a trusted front, which names the client\n"
    "  --vhosts       serve each host from DOCROOT/HOST (DOCROOT/_default for\n"
    "                 a host without one)\n"
    "  --precompressed  serve FILE.br or FILE.gz for FILE when the client\n"
    "                 accepts it and it is not older than FILE\n"
    "  --error-pages DIR  DIR/404.html (and so on) as the body of an error\n"
    "  --header 'NAME: VALUE'  add a field to every response (repeatable)\n"
    "  --tls-cert FILE  speak HTTPS with the PEM certificate (and chain) in\n"
    "                 FILE; repeatable: the client's SNI chooses among them by\n"
    "                 their DNS names, the first serves the others\n"
    "  --tls-key FILE the private key of the --tls-cert before it (default:\n"
    "                 in the certificate file)\n"
    "  --tls-ticket-keys FILE  session ticket keys, 80 bytes each (1-4, the\n"
    "                 first encrypts); without it a pool makes and rotates its\n"
    "                 own, and a process per connection sends no ticket\n"
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

/*
 * Nonzero when err, what fd 2 is, is the socket fd: the connection, handed
 * over as stderr too.  Only a socket can be, so only then is fd looked at.
 */
static int
same_socket(const struct stat *err, int fd)
{
	struct stat st;

	return S_ISSOCK(err->st_mode) && fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 &&
	    err->st_dev == st.st_dev && err->st_ino == st.st_ino;
}

/* If fd is closed, open /dev/null on it, so that no file opened later
 * takes its number.  Returns 0, or -1 when that fails. */
static int
open_null(int fd)
{
	if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
		return 0;
	return openat(AT_FDCWD, "/dev/null", O_RDWR) == fd ? 0 : -1;
}

/*
 * Take the connection passed as fd 3 by the sd_listen_fds protocol.
 * libsystemd is loaded here and only here: linked in, it would double the
 * start-up cost of every connection, including those on the inetd path.
 */
static int
take_listen_fd(struct config *c)
{
#ifdef STATIC_BUILD
	(void)c;
	log_message("LISTEN_FDS is set, but this static build cannot load "
	    "libsystemd; use inetd-style activation (StandardInput=socket)");
	return -1;
#else
	/* sd_listen_fds(3) and sd_is_socket(3), as libsystemd declares them. */
	int (*listen_fds)(int);
	int (*is_socket)(int, int, int, int);
	void *h;
	int n;

	h = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		log_message2("cannot take the socket from LISTEN_FDS: ", dlerror());
		return -1;
	}
	c->libsystemd = h;
	*(void **)&listen_fds = dlsym(h, "sd_listen_fds");
	*(void **)&is_socket = dlsym(h, "sd_is_socket");
	if (listen_fds == NULL || is_socket == NULL) {
		log_message("cannot take the socket from LISTEN_FDS: "
		    "libsystemd.so.0 lacks sd_listen_fds or sd_is_socket");
		return -1;
	}
	n = listen_fds(1);	/* also unsets LISTEN_FDS and LISTEN_PID */
	if (n != 1) {
		log_message("LISTEN_FDS must pass exactly one socket: "
		    "a connection (Accept=yes) or a listening socket (Accept=no)");
		return -1;
	}
	/* A listening stream socket (the last 1): a pool. */
	if (is_socket(SD_LISTEN_FDS_START, AF_UNSPEC, SOCK_STREAM, 1) > 0) {
		c->listen_fd = SD_LISTEN_FDS_START;
		return 0;
	}
	/* Else a connected stream socket: not listening (0), with a peer. */
	if (is_socket(SD_LISTEN_FDS_START, AF_UNSPEC, SOCK_STREAM, 0) <= 0 ||
	    addr_peer(SD_LISTEN_FDS_START, c->peer) == -1) {
		log_message("fd 3 from LISTEN_FDS is neither a connected nor a "
		    "listening stream socket");
		return -1;
	}
	c->in = c->out = SD_LISTEN_FDS_START;
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
	{ "min-rate", 1, 'r' },
	{ "max-time", 1, 'T' },
	{ "keep-alive", 1, 'k' },
	{ "keep-alive-timeout", 1, 'K' },
	{ "idle-exit", 1, 'I' },
	{ "max-children", 1, 'C' },
	{ "max-per-source", 1, 'S' },
	{ "proxy-protocol", 0, 'P' },
	{ "vhosts", 0, 'H' },
	{ "precompressed", 0, 'z' },
	{ "error-pages", 1, 'E' },
	{ "header", 1, 'F' },
	{ "tls-cert", 1, 'c' },
	{ "tls-key", 1, 'y' },
	{ "tls-ticket-keys", 1, 'Y' },
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

/* The fields the handler sets itself: a --header may not name them. */
static const char *const owned_fields[] = {
	"content-length", "content-type", "content-encoding", "content-range",
	"date", "connection", "transfer-encoding", "etag", "last-modified",
	"location", "vary", "server", "allow", "accept-ranges",
	"x-content-type-options",
};

/* A refused --header, said on err_fd (when it is not the client). */
static int
header_refuse(int err_fd, const char *why, const char *arg)
{
	if (err_fd != -1) {
		(void)!write(err_fd, "webserver: --header '", 21);
		(void)!write(err_fd, arg, strlen(arg));
		(void)!write(err_fd, "': ", 3);
		(void)!write(err_fd, why, strlen(why));
		(void)!write(err_fd, "\n", 1);
	}
	return -1;
}

/*
 * Security: a --header is checked once, at start-up: the name a token
 * (RFC 9110, section 5.1), the value without CR, LF, NUL or any other
 * control byte but HTAB, so no field can split the head; and no field the
 * handler owns, so none is sent twice or contradicts the response.
 * "NAME: VALUE" is kept with one space after the colon and no trailing
 * whitespace.  Returns 0, or -1 after saying why.
 */
static int
header_add(struct config *c, const char *arg, int err_fd)
{
	static char block[HEADERS_MAX];
	const char *colon = strchr(arg, ':'), *v;
	size_t name_len, v_len, k;

	if (colon == NULL || colon == arg)
		return header_refuse(err_fd, "not NAME: VALUE", arg);
	name_len = (size_t)(colon - arg);
	for (k = 0; k < name_len; k++)
		if (!request_is_tchar((unsigned char)arg[k]))
			return header_refuse(err_fd, "the name is not a token", arg);
	for (k = 0; k < sizeof(owned_fields) / sizeof(owned_fields[0]); k++)
		if (request_name_is(arg, name_len, owned_fields[k]))
			return header_refuse(err_fd, "the handler sets this field", arg);
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	v_len = strlen(v);
	while (v_len > 0 && (v[v_len - 1] == ' ' || v[v_len - 1] == '\t'))
		v_len--;
	for (k = 0; k < v_len; k++) {
		unsigned char ch = (unsigned char)v[k];

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return header_refuse(err_fd, "the value holds a control byte", arg);
	}
	if (c->headers_len + name_len + v_len + 4 > sizeof(block))
		return header_refuse(err_fd, "the fields are over 4096 bytes", arg);
	memcpy(block + c->headers_len, arg, name_len);
	c->headers_len += name_len;
	memcpy(block + c->headers_len, ": ", 2);
	c->headers_len += 2;
	memcpy(block + c->headers_len, v, v_len);
	c->headers_len += v_len;
	memcpy(block + c->headers_len, "\r\n", 2);
	c->headers_len += 2;
	c->headers = block;
	return 0;
}

/* Parse the command line into c.  Returns 0, 2 for usage, -1 for done. */
static int
options(struct config *c, int argc, char *argv[], const char **docroot,
    const char **error_dir, int err_fd)
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
		case 'r':
			if (parse_number(arg, 1UL << 30, &v) == -1)
				return usage(err_fd);
			c->min_rate = v;
			break;
		case 'T':
			if (parse_number(arg, 86400, &v) == -1 || v < 1)
				return usage(err_fd);
			c->max_time = (unsigned)v;
			break;
		case 'k':
			if (parse_number(arg, KEEP_ALIVE_MAX, &v) == -1 || v < 1)
				return usage(err_fd);
			c->keep_alive = (unsigned)v;
			break;
		case 'K':
			if (parse_number(arg, 300, &v) == -1 || v < 1)
				return usage(err_fd);
			c->keep_alive_timeout = (unsigned)v;
			break;
		case 'I':
			if (parse_number(arg, 86400, &v) == -1)
				return usage(err_fd);
			c->idle_exit = (unsigned)v;
			break;
		case 'C':
			if (parse_number(arg, POOL_CHILDREN_MAX, &v) == -1 || v < 1)
				return usage(err_fd);
			c->max_children = (unsigned)v;
			break;
		case 'S':
			if (parse_number(arg, POOL_CHILDREN_MAX, &v) == -1 || v < 1)
				return usage(err_fd);
			c->max_per_source = (unsigned)v;
			break;
		case 'P':
			c->proxy_protocol = 1;
			break;
		case 'H':
			c->vhosts = 1;
			break;
		case 'z':
			c->precompressed = 1;
			break;
		case 'E':
			if (*arg == '\0')
				return usage(err_fd);
			*error_dir = arg;
			break;
		case 'F':
			if (header_add(c, arg, err_fd) == -1)
				return 2;
			break;
		case 'c':
			if (*arg == '\0' || c->tls_n == TLS_PAIRS_MAX)
				return usage(err_fd);
			c->tls_pairs[c->tls_n++].cert = arg;
			break;
		case 'y':
			/* The key of the certificate named last. */
			if (*arg == '\0' || c->tls_n == 0 ||
			    c->tls_pairs[c->tls_n - 1].key != NULL)
				return usage(err_fd);
			c->tls_pairs[c->tls_n - 1].key = arg;
			break;
		case 'Y':
			if (*arg == '\0')
				return usage(err_fd);
			c->tls_ticket_keys = arg;
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
	if (c->tls_ticket_keys != NULL && c->tls_n == 0)
		return usage(err_fd);
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

/*
 * Security: a directory opened at start-up took the lowest free
 * descriptor.  If that is 0-2, one of them was closed: move it up and put
 * /dev/null there, so that no file opened later can become "stdout" and
 * receive the response.  Returns 0, or -1.
 */
static int
move_up(int *fd)
{
	while (*fd <= 2) {
		int hole = *fd;

		*fd = fcntl(hole, F_DUPFD_CLOEXEC, 3);
		close(hole);
		if (*fd == -1 || openat(AT_FDCWD, "/dev/null", O_RDWR) != hole)
			return -1;
	}
	return 0;
}

int
setup_config(struct config *c, int argc, char *argv[], char *envp[])
{
	struct stat st2;
	const char *docroot = ".", *error_dir = NULL, *lfds, *lpid;
	unsigned long pid;
	int r, err_is_conn;

	memset(c, 0, sizeof(*c));
	c->in = 0;
	c->out = 1;
	c->docroot_fd = -1;
	c->listen_fd = -1;
	c->error_dir_fd = -1;
	c->headers = "";
	c->timeout = TIMEOUT_SEC;
	c->min_rate = MIN_RATE;
	c->max_time = MAX_TIME_SEC;
	c->keep_alive = 1;
	c->keep_alive_timeout = KEEP_ALIVE_TIMEOUT_SEC;
	c->idle_exit = IDLE_EXIT_SEC;
	c->max_children = POOL_CHILDREN;
	c->max_per_source = POOL_PER_SOURCE;
	c->index = INDEX_NAME;
	c->index_len = sizeof(INDEX_NAME) - 1;

	/* fd 2 is looked at here, fd 0 below; a closed one is opened on
	 * /dev/null.  A closed fd 1 is caught when the root is opened. */
	if (fstatat(2, "", &st2, AT_EMPTY_PATH) == -1) {
		if (openat(AT_FDCWD, "/dev/null", O_RDWR) != 2)
			return 1;
		(void)fstatat(2, "", &st2, AT_EMPTY_PATH);
	}
	/* Usage errors go to stderr unless it is the client (inetd style,
	 * the connection is fds 0 and 1). */
	err_is_conn = same_socket(&st2, 0);
	r = options(c, argc, argv, &docroot, &error_dir, err_is_conn ? -1 : 2);
	if (r != 0)
		return r;

	/* TLS: OpenSSL is mapped before libsystemd, which a pool keeps
	 * from its children with the libraries loaded after it. */
	if (c->tls_n > 0)
		tls_preload();
	lfds = env_get(envp, "LISTEN_FDS");
	lpid = env_get(envp, "LISTEN_PID");
	if (lfds != NULL && lpid != NULL && parse_number(lpid, LONG_MAX, &pid) == 0 &&
	    pid == (unsigned long)syscall(SYS_getpid)) {
		/* Where a hand-over failure is reported. */
		log_open(c->log_sink != LOG_SINK_AUTO ? c->log_sink :
		    err_is_conn ? LOG_SINK_SYSLOG : LOG_SINK_STDERR);
		if (open_null(0) == -1 || take_listen_fd(c) == -1)
			return 1;
		if (c->listen_fd == -1) {
			c->is_socket = CONN_SOCKET;
			err_is_conn = same_socket(&st2, c->in);
		}
	} else if (addr_peer(0, c->peer) != -1)
		c->is_socket = CONN_SOCKET;	/* inetd style, the usual case */
	else if (errno == ENOTCONN) {
		/* A socket without a peer: under xinetd with wait = yes,
		 * the listening socket of a pool, or a connection already
		 * reset.  (The address is wanted anyway, so an ordinary
		 * connection pays nothing for the question.) */
		int on = 0;
		socklen_t len = sizeof(on);

		/* The raw call: a pool's question, which every start would
		 * otherwise pay for with one more symbol to look up. */
		if (syscall(SYS_getsockopt, 0, SOL_SOCKET, SO_ACCEPTCONN, &on,
		    &len) == 0 && on)
			c->listen_fd = 0;
		else
			c->is_socket = CONN_SOCKET;
	} else if (errno == EBADF && open_null(0) == -1)
		return 1;
	if (c->max_per_source > c->max_children)
		c->max_per_source = c->max_children;
	/* Security: xinetd (and a unit without StandardError=journal) hands
	 * us the connection as stderr too.  Then nothing may be written to
	 * fd 2, or it would reach the client before the status line. */
	if (c->log_sink == LOG_SINK_AUTO)
		c->log_sink = err_is_conn ? LOG_SINK_SYSLOG : LOG_SINK_STDERR;
	log_open(c->log_sink);

	c->docroot_fd = openat(AT_FDCWD, docroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->docroot_fd == -1) {
		log_message2("cannot open the document root: ", strerror(errno));
		return 1;
	}
	if (move_up(&c->docroot_fd) == -1)
		return 1;
	if (error_dir != NULL) {
		c->error_dir_fd = openat(AT_FDCWD, error_dir,
		    O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (c->error_dir_fd == -1) {
			log_message2("cannot open the error pages directory: ",
			    strerror(errno));
			return 1;
		}
		if (move_up(&c->error_dir_fd) == -1)
			return 1;
	}

	/* Where xinetd, tcpserver or systemd name the client, for a
	 * connection that is no socket (or whose peer is gone). */
	c->env_client = env_get(envp, "REMOTE_ADDR");
	if (c->env_client == NULL || *c->env_client == '\0')
		c->env_client = env_get(envp, "REMOTE_HOST");
	if (c->env_client == NULL || *c->env_client == '\0')
		c->env_client = env_get(envp, "TCPREMOTEIP");
	c->notify_socket = env_get(envp, "NOTIFY_SOCKET");

	/* TLS: keys and certificates are read now, before root is dropped. */
	if (c->tls_n > 0 && tls_setup(c->tls_pairs, c->tls_n, c->tls_ticket_keys,
	    c->listen_fd != -1) == -1)
		return 1;

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


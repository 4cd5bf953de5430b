/*
 * Log lines.  Input: request fields straight from the network and
 * environment strings; all of it is escaped before it is written, and
 * every append is bounded by the room left.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "fmt.h"
#include "httpdate.h"
#include "log.h"

#define SYSLOG_PRI	"<30>"	/* facility daemon (3) * 8 + severity info (6) */
#define SYSLOG_TAG_MAX	32	/* "webserver[" PID "]: " */
#define CLIENT_ROOM	256	/* the most a client address may take, escaped */
#define REFERER_ROOM	512	/* room kept after the request line for the rest */
#define AGENT_ROOM	256	/* room kept after the referer for the agent */
#define PORT_ROOM	8	/* room kept after the agent for " 65535" */
#define TLS_ROOM	24	/* and for " TLSv1.3+ktls" */

static enum log_sink sink = LOG_SINK_STDERR;
static int syslog_fd = -1;
static char syslog_tag[SYSLOG_TAG_MAX];
static size_t syslog_tag_len;

/*
 * s[0..n) escaped, up to the length limit; an escape is never cut.
 * Security: a CR or LF in a request-target, Host or User-Agent must not
 * start a forged log line, and a '"' must not end a quoted field early.
 */
static void
put_escaped(struct text *o, size_t limit, const char *s, size_t n)
{
	/* Written through a local pointer: a store through o->p might
	 * otherwise change o itself, which would be read again each byte. */
	char *p = o->p + o->len, *end = p + text_room(o, limit);
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			if (end - p < 4)
				break;
			*p++ = '\\';
			*p++ = 'x';
			*p++ = fmt_hex_digits[ch >> 4];
			*p++ = fmt_hex_digits[ch & 15];
		} else {
			if (p == end)
				break;
			*p++ = (char)ch;
		}
	}
	o->len = (size_t)(p - o->p);
}

/* A quoted field, "-" when absent, escaped up to the limit; the closing
 * quote always fits when the limit leaves room for it. */
static void
put_quoted(struct text *o, size_t limit, const char *s, size_t n)
{
	text_str(o, "\"");
	if (s == NULL || n == 0)
		text_str(o, "-");
	else
		put_escaped(o, limit > 0 ? limit - 1 : 0, s, n);
	text_str(o, "\"");
}

size_t
log_format_access(char *buf, size_t cap, const struct log_access *a,
    int64_t now)
{
	struct text o = { buf, cap, 0 };
	char date[LOGDATE_LEN + 1];
	size_t room;

	if (a->vhost != NULL) {
		put_escaped(&o, o.len + CLIENT_ROOM, a->vhost, strlen(a->vhost));
		text_str(&o, " ");
	}
	if (a->client == NULL || a->client[0] == '\0')
		text_str(&o, "-");
	else
		put_escaped(&o, o.len + CLIENT_ROOM, a->client, strlen(a->client));
	text_str(&o, " - - [");
	httpdate_format_log(now, date);
	text_str(&o, date);
	text_str(&o, "] ");
	/* Room is kept for the fields after the request line. */
	put_quoted(&o, cap > REFERER_ROOM ? cap - REFERER_ROOM : 0, a->line,
	    a->line_len);
	text_str(&o, " ");
	text_u64(&o, a->status);
	text_str(&o, " ");
	text_u64(&o, a->bytes);
	text_str(&o, " ");
	put_quoted(&o, cap > AGENT_ROOM ? cap - AGENT_ROOM : 0, a->referer,
	    a->referer_len);
	text_str(&o, " ");
	room = (a->port != NULL ? PORT_ROOM : 0) + (a->tls != NULL ? TLS_ROOM : 0);
	put_quoted(&o, cap > room ? cap - room : 0, a->agent, a->agent_len);
	if (a->port != NULL) {
		text_str(&o, " ");
		put_escaped(&o, cap, a->port, strlen(a->port));
	}
	/* Over TLS, its version, and whether the kernel encrypted. */
	if (a->tls != NULL) {
		text_str(&o, " ");
		put_escaped(&o, cap, a->tls, strlen(a->tls));
		if (a->tls_kernel)
			text_str(&o, "+ktls");
	}
	return o.len;
}

/*
 * Connect to the local syslog socket, as the C library's openlog() with
 * LOG_NDELAY would, but now: this runs before the sandbox, which then
 * allows no socket() or connect() at all.  Without a syslog daemon the
 * lines are dropped, as syslog() drops them.
 */
static void
syslog_open(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	struct text tag = { syslog_tag, sizeof(syslog_tag), 0 };
	int fd;

	if (syslog_fd != -1)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return;
	/* Security: a closed fd 0-2 must not become the syslog socket (fd 1
	 * would get the response).  Move it up; the hole is filled later. */
	if (fd <= 2) {
		int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);

		close(fd);
		if ((fd = high) == -1)
			return;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return;
	}
	syslog_fd = fd;
	text_str(&tag, "webserver[");
	text_u64(&tag, (uint64_t)syscall(SYS_getpid));
	text_str(&tag, "]: ");
	syslog_tag_len = tag.len;
}

void
log_open(enum log_sink s)
{
	sink = s;
	if (s == LOG_SINK_SYSLOG)
		syslog_open();
}

/* Held access lines (log_hold()), whole lines, and since when. */
static char held[2 * (LOG_LINE_MAX + 1)];
static size_t held_len;
static int holding;
static int64_t held_ms;

void
log_hold(void)
{
	holding = sink == LOG_SINK_STDERR;
}

int64_t
log_held_since(void)
{
	return held_len > 0 ? held_ms : 0;
}

void
log_flush(void)
{
	if (held_len > 0)
		(void)!write(2, held, held_len);
	held_len = 0;
}

/* Write line[0..len) (len <= LOG_LINE_MAX, with room for one more byte). */
static void
emit(char *line, size_t len)
{
	log_flush();	/* in order */
	if (sink == LOG_SINK_STDERR) {
		line[len++] = '\n';
		(void)!write(2, line, len);
	} else if (sink == LOG_SINK_SYSLOG && syslog_fd != -1) {
		/* RFC 3164: <PRI>TIMESTAMP TAG: MSG.  The time is UTC (no
		 * time-zone file is read); journald and rsyslog stamp a
		 * message from /dev/log with their own clock anyway. */
		char msg[sizeof(SYSLOG_PRI) + SYSLOGDATE_LEN + 1 + SYSLOG_TAG_MAX +
		    LOG_LINE_MAX];
		size_t n = sizeof(SYSLOG_PRI) - 1;

		memcpy(msg, SYSLOG_PRI, n);
		httpdate_format_syslog(httpdate_now(), msg + n);
		n += SYSLOGDATE_LEN;
		msg[n++] = ' ';
		memcpy(msg + n, syslog_tag, syslog_tag_len);
		n += syslog_tag_len;
		memcpy(msg + n, line, len);
		(void)send(syslog_fd, msg, n + len, MSG_NOSIGNAL);
	}
}

void
log_access(const struct log_access *a)
{
	char line[LOG_LINE_MAX + 1];

	size_t len;

	if (sink == LOG_SINK_NONE)
		return;
	len = log_format_access(line, LOG_LINE_MAX, a, httpdate_now());
	if (!holding) {
		emit(line, len);
		return;
	}
	if (held_len + len + 1 > sizeof(held))
		log_flush();
	if (held_len == 0)
		held_ms = httpdate_mono_ms();
	memcpy(held + held_len, line, len);
	held[held_len + len] = '\n';
	held_len += len + 1;
}

void
log_message2(const char *msg, const char *detail)
{
	char line[LOG_LINE_MAX + 1];
	struct text o = { line, LOG_LINE_MAX, 0 };

	text_str(&o, "webserver: ");
	text_str(&o, msg);
	if (detail != NULL)
		put_escaped(&o, o.cap, detail, strlen(detail));
	emit(line, o.len);
}

void
log_message(const char *msg)
{
	log_message2(msg, NULL);
}

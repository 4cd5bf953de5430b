/*
 * Log lines.  Input: request fields straight from the network and
 * environment strings; all of it is escaped before it is written.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "httpdate.h"
#include "log.h"

#define SYSLOG_PRI	"<30>"	/* facility daemon (3) * 8 + severity info (6) */
#define SYSLOG_TAG_MAX	32	/* "webserver[" PID "]: " */

static enum log_sink sink = LOG_SINK_STDERR;
static int syslog_fd = -1;
static char syslog_tag[SYSLOG_TAG_MAX];
static size_t syslog_tag_len;

/*
 * Security: a CR or LF in a request-target, Host or User-Agent must not start
 * a forged log line, and a '"' must not end a quoted field early.
 */
static void
log_escape(char *buf, size_t cap, size_t *len_io, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = *len_io, i;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			if (cap - o < 4)
				break;
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[ch >> 4];
			buf[o++] = hex[ch & 15];
		} else {
			if (cap - o < 1)
				break;
			buf[o++] = (char)ch;
		}
	}
	*len_io = o;
}

static void
append(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (n > cap - *len)
		n = cap - *len;
	memcpy(buf + *len, s, n);
	*len += n;
}

static void
append_u64(char *buf, size_t cap, size_t *len, uint64_t v)
{
	char tmp[21];
	size_t i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	append(buf, cap, len, tmp + i);
}

/* A quoted field: "-" when absent. */
static void
append_quoted(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	append(buf, cap, len, "\"");
	if (s == NULL || n == 0)
		append(buf, cap, len, "-");
	else
		log_escape(buf, cap - 1, len, s, n);
	append(buf, cap, len, "\"");
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
	append(syslog_tag, sizeof(syslog_tag), &syslog_tag_len, "webserver[");
	append_u64(syslog_tag, sizeof(syslog_tag), &syslog_tag_len,
	    (uint64_t)syscall(SYS_getpid));
	append(syslog_tag, sizeof(syslog_tag), &syslog_tag_len, "]: ");
}

void
log_open(enum log_sink s)
{
	sink = s;
	if (s == LOG_SINK_SYSLOG)
		syslog_open();
}

static void
emit(char *line, size_t len)
{
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
log_request(const struct conn *c, const struct request *req, enum status st)
{
	char line[LOG_LINE_MAX + 1], date[LOGDATE_LEN + 1];
	const char *client;
	size_t len = 0, cap = LOG_LINE_MAX;

	if (sink == LOG_SINK_NONE)
		return;
	client = conn_client(c);
	log_escape(line, cap, &len, client, strlen(client));
	append(line, cap, &len, " - - [");
	httpdate_format_log(httpdate_now(), date);
	append(line, cap, &len, date);
	append(line, cap, &len, "] ");
	/* Room is kept for the fields after the request line. */
	append_quoted(line, cap - 512, &len, req->line, req->line_len);
	append(line, cap, &len, " ");
	append_u64(line, cap, &len, (uint64_t)st);
	append(line, cap, &len, " ");
	append_u64(line, cap, &len, c->body_sent);
	append(line, cap, &len, " ");
	append_quoted(line, cap - 256, &len, req->referer, req->referer_len);
	append(line, cap, &len, " ");
	append_quoted(line, cap, &len, req->user_agent, req->user_agent_len);
	emit(line, len);
}

void
log_message2(const char *msg, const char *detail)
{
	char line[LOG_LINE_MAX + 1];
	size_t len = 0;

	append(line, LOG_LINE_MAX, &len, "webserver: ");
	append(line, LOG_LINE_MAX, &len, msg);
	if (detail != NULL)
		log_escape(line, LOG_LINE_MAX, &len, detail, strlen(detail));
	emit(line, len);
}

void
log_message(const char *msg)
{
	log_message2(msg, NULL);
}

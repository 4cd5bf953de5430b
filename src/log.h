/*
 * Logging: one Combined Log Format line per request, in UTC, to the sink
 * chosen once at start-up.  Every byte from the client is escaped.  It
 * prints the values it is given and knows nothing of connections or
 * requests.
 */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_sink {
	LOG_SINK_AUTO = 0,	/* not chosen yet */
	LOG_SINK_STDERR,
	LOG_SINK_SYSLOG,
	LOG_SINK_NONE,
};

/* What one access line shows.  A NULL or empty value prints as "-". */
struct log_access {
	const char *client;		/* the client's address, NUL-terminated */
	const char *line;		/* the request line as received */
	size_t line_len;
	unsigned status;
	uint64_t bytes;			/* body bytes sent */
	const char *referer;
	size_t referer_len;
	const char *agent;		/* User-Agent */
	size_t agent_len;
	const char *port;		/* when not NULL, the client's port, printed
					   after the Combined fields */
	const char *vhost;		/* when not NULL, the virtual host, printed
					   first (Apache's vhost_combined) */
	const char *tls;		/* over TLS: its version ("TLSv1.3"),
					   printed last; else NULL */
	int tls_kernel;			/* and the kernel encrypts (printed
					   "+ktls" after it) */
};

/*
 * Format the access line for a (without a line end) into buf[0..cap), at
 * time now (seconds since the epoch).  Returns its length, at most cap;
 * a line that does not fit is cut, field by field, never past cap.
 */
size_t	log_format_access(char *buf, size_t cap, const struct log_access *a,
	    int64_t now);

/* Choose the sink (stderr, syslog or none). */
void	log_open(enum log_sink sink);

/* Write the access line for a to the sink. */
void	log_access(const struct log_access *a);

/*
 * From now on, hold access lines for stderr and write them in batches, at
 * log_flush() or when the batch is full (a process that answers many
 * requests: one write for many lines).  Messages still go at once, after
 * what is held.
 */
void	log_hold(void);

/* Access lines are held: the time (CLOCK_MONOTONIC ms) the oldest was, or
 * 0 when none is. */
int64_t	log_held_since(void);

/* Write what is held. */
void	log_flush(void);

/* Log a message about the server itself (not about a request); detail,
 * when not NULL, is escaped. */
void	log_message(const char *msg);
void	log_message2(const char *msg, const char *detail);

#endif

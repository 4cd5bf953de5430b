/*
 * HTTP dates (RFC 9110, section 5.6.7) and the log's date, in UTC, without
 * the C library's time-zone machinery: no file is read, no lock is taken.
 */
#ifndef HTTPDATE_H
#define HTTPDATE_H

#include <stddef.h>
#include <stdint.h>

#define HTTPDATE_LEN	29	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
#define LOGDATE_LEN	26	/* "06/Nov/1994:08:49:37 +0000" */
#define SYSLOGDATE_LEN	15	/* "Nov  6 08:49:37" */

/* The current time, in seconds since the epoch. */
int64_t	httpdate_now(void);

/* Milliseconds on the monotonic clock, for deadlines. */
int64_t	httpdate_mono_ms(void);

/* Write t as an IMF-fixdate into buf[HTTPDATE_LEN + 1], NUL-terminated. */
void	httpdate_format(int64_t t, char *buf);

/* Write t as a Common Log Format date into buf[LOGDATE_LEN + 1]. */
void	httpdate_format_log(int64_t t, char *buf);

/* Write t as a syslog (RFC 3164) date into buf[SYSLOGDATE_LEN + 1]. */
void	httpdate_format_syslog(int64_t t, char *buf);

/*
 * Parse an IMF-fixdate, an RFC 850 date or an asctime() date (all three are
 * required of recipients).  Returns 0 and sets *t, or -1 when s[0..len) is
 * not one of them.
 */
int	httpdate_parse(const char *s, size_t len, int64_t *t);

#endif

/*
 * Limits and defaults, in one place.  Every buffer that holds untrusted
 * bytes is sized from these numbers.
 */
#ifndef CONFIG_H
#define CONFIG_H

#ifndef VERSION
#define VERSION "1.0.0"
#endif

#define LINE_MAX_LEN	8192		/* request line, CRLF excluded: longer is 414 */
#define FIELDS_MAX_LEN	32768		/* header section after the request line: longer is 431 */
#define FIELDS_MAX	100		/* header fields: more is 431 */
/* The whole head buffer: empty lines before the request line (at most
 * LINE_MAX_LEN bytes), the request line and its CRLF, the field lines and
 * the empty line.  The framing limits decide before it is full. */
#define HEAD_CAP	(LINE_MAX_LEN + LINE_MAX_LEN + 2 + FIELDS_MAX_LEN + 2)
#define TIMEOUT_SEC	10		/* default --timeout: head arrival and each send */
#define MIN_RATE	8192		/* default --min-rate, bytes a second */
#define MAX_TIME_SEC	600		/* default --max-time: a response's, or a
					   connection's, whole life */
#define KEEP_ALIVE_MAX	10000		/* the most --keep-alive can be */
/*
 * A handler with --keep-alive of at least this many requests builds its
 * seccomp filter for the kernel's cache of always-allowed calls: working
 * that cache out costs about 100 us once, and saves about 0.03 us on each
 * of the some 7 calls a request makes, so it pays from about 500 requests
 * on.  A pool always builds it: its children inherit the one filter.
 */
#define SECCOMP_CACHE_MIN	500
/* Default --keep-alive-timeout: an idle connection holds a process, so it
 * is kept as long as a browser takes between the requests of one page, as
 * Apache httpd and lighttpd keep theirs, not nginx's 75 s. */
#define KEEP_ALIVE_TIMEOUT_SEC	5
#define LOG_HOLD_MS	1000		/* with --keep-alive, access lines wait at
					   most this long to be written */
#define IDLE_EXIT_SEC	60		/* default --idle-exit of a pool */
#define POOL_CHILDREN	128		/* default --max-children */
#define POOL_PER_SOURCE	32		/* default --max-per-source */
#define POOL_CHILDREN_MAX 4096		/* the most --max-children can be */
#define INLINE_BODY_MAX	8192		/* a body up to this size is sent with its head */
/*
 * A file body keeps at most this many bytes unsent in the kernel
 * (TCP_NOTSENT_LOWAT; see conn_send_file()).  The writer wakes when half
 * of it is left, and 64 KiB is what a client at the default --min-rate
 * takes within the default --timeout; a fast client is not slowed (a
 * sendfile() on loopback moves over a megabyte, the mark or not).
 */
#define NOTSENT_LOWAT	(128 << 10)
#define QUEUE_CHECK_MS	1000		/* a slow client's queue is looked at this often */
#define LINGER_MS	2000		/* drain after the response, at most this long */
#define LINGER_BYTES	(1 << 20)	/* and at most this many bytes */
#define INDEX_NAME	"index.html"	/* default --index */
#define NAME_MAX_LEN	255		/* longest --index name */
#define LIST_MAX	10000		/* entries shown in a --list page */
#define LOG_LINE_MAX	4096		/* a log line is cut to this, escapes included */
#define HEADERS_MAX	4096		/* all --header fields, CRLFs included */
#define ERROR_PAGE_MAX	(1 << 20)	/* a larger --error-pages page is not used */
#define TLS_PAIRS_MAX	16		/* --tls-cert files */
#define TLS_FILE_MAX	(1 << 20)	/* a larger certificate or key file is refused */
#define TLS_TICKET_KEYS_MAX 4		/* keys in a --tls-ticket-keys file */
/*
 * A pool makes a new session ticket key this often and keeps the one
 * before it to decrypt, so a key lives for two periods at most, and a
 * ticket, whose lifetime is one period, is always decryptable while it
 * is valid.  An hour is how often large TLS fronts rotate theirs; a
 * stolen key opens the tickets of two hours, not of the pool's life.
 */
#define TLS_TICKET_ROTATE_SEC 3600

#endif

/*
 * Connection input and output.  Trusts nothing read from the connection:
 * the head is framed by the parser's request_frame() as it arrives.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "fmt.h"
#include "httpdate.h"
#include "log.h"
#include "pool.h"
#include "proxy.h"
#include "tls.h"

#define RWF_NOWAIT_	0x00000008	/* preadv2(): fail with EAGAIN, never block */

void
conn_open(struct conn *c, int in, int out, int is_socket, const char *client,
    const struct conn_limits *lim)
{
	/* Zero-filled by the loader and touched only as far as it is read:
	 * a PROXY header, then the head. */
	static char head[PROXY_V2_MAX + HEAD_CAP];

	memset(c, 0, sizeof(*c));
	c->in = in;
	c->out = out;
	c->is_socket = is_socket;
	c->head = head;
	c->client = client;
	c->lim = *lim;
	/* Security: every phase has a time limit.  The head must arrive
	 * within the timeout in total (a slow drip does not extend it).
	 * Writes never block: each waits in poll(), where conn_pace()'s
	 * limits decide how long (see below).  A send() is told so by
	 * MSG_DONTWAIT; the socket itself is made non-blocking only when
	 * sendfile() is used (conn_send_file()). */
	c->open_ms = httpdate_mono_ms();
	c->waiting = 1;
	c->deadline_ms = c->open_ms + (int64_t)lim->timeout * 1000;
}

/* A pool has taken the connection back: see pool.h. */
static int
conn_shed(const struct conn *c)
{
	return c->slot_state != NULL &&
	    __atomic_load_n(c->slot_state, __ATOMIC_ACQUIRE) == POOL_SHED;
}

/*
 * Between requests: once a byte of a request line has come, the head has
 * begun, and --timeout bounds it.  Empty lines before it are no request
 * (RFC 9112, section 2.2): the connection stays idle, with the deadline it
 * had, and ends without an answer at it.
 */
static void
conn_head_begun(struct conn *c)
{
	if (!c->idle || !request_frame_begun(&c->frame))
		return;
	c->idle = 0;
	c->deadline_ms = httpdate_mono_ms() + (int64_t)c->lim.timeout * 1000;
}

/* The client a PROXY header named, unless it keeps the connection's own. */
static void
conn_proxy_client(struct conn *c, const struct proxy_info *pi)
{
	c->proxy = 0;
	if (pi->local)
		return;
	c->proxy_named = 1;
	memcpy(c->proxy_ip, pi->ip, sizeof(pi->ip));
	memcpy(c->proxy_client, pi->addr, sizeof(pi->addr));
	c->client = c->proxy_client;
	*fmt_u64(c->proxy_port, pi->port) = '\0';
	c->client_port = c->proxy_port;
}

/*
 * The PROXY header at the start of the head buffer: once whole, it names
 * the client and is removed, so that the request starts the buffer.
 * Returns STATUS_OK (c->proxy cleared once the header is taken), or 400.
 */
static enum status
conn_take_proxy(struct conn *c)
{
	struct proxy_info pi;
	size_t hlen = 0;
	enum status st;

	st = proxy_parse(c->head, c->head_read, &pi, &hlen);
	if (st == STATUS_NONE)
		return STATUS_OK;	/* read on */
	if (st != STATUS_OK)
		return st;
	/* The request starts the head after the header (the buffer has
	 * room for both). */
	c->head += hlen;
	c->head_read -= hlen;
	conn_proxy_client(c, &pi);
	return STATUS_OK;
}

/* Make a blocking socket connection non-blocking, once (both ends, when
 * it was handed over as two descriptors). */
static void
conn_nonblock(struct conn *c)
{
	if (c->is_socket != CONN_SOCKET)
		return;
	(void)fcntl(c->out, F_SETFL, O_NONBLOCK);
	if (c->in != c->out)
		(void)fcntl(c->in, F_SETFL, O_NONBLOCK);
	c->is_socket = CONN_SOCKET_NONBLOCK;
}

/*
 * Wait for events on fd until the head's deadline (or until a pool sheds
 * the connection).  Returns 1 when they came, else 0.
 */
static int
conn_wait_head(struct conn *c, int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		int64_t left = c->deadline_ms - httpdate_mono_ms();
		int n;

		if (left <= 0 || conn_shed(c))
			return 0;
		if (c->slot_state != NULL && left > POOL_SHED_CHECK_MS)
			left = POOL_SHED_CHECK_MS;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 1;
		if (n == -1 && errno != EINTR)
			return 0;
	}
}

/*
 * TLS starts the connection, after the PROXY header of a front, if one is
 * expected.  That header is peeked at and then read to its last byte, so
 * that the handshake begins where it ends.  Returns STATUS_OK with
 * c->ssl, STATUS_NONE (the client left, or the handshake failed or took
 * too long: no answer can be given), or 400 with c->tls cleared (a PROXY
 * header that is invalid, or a request in clear text: answered so).
 */
static enum status
conn_tls_accept(struct conn *c)
{
	size_t seen = 0, hlen = 0;
	unsigned char first;
	short ev = POLLIN;
	int r;

	/* Security: OpenSSL's reads and writes must not block, so that
	 * every wait is a poll() bounded by the deadline. */
	conn_nonblock(c);
	for (;;) {
		struct proxy_info pi;
		enum status st;
		ssize_t n = recv(c->in, c->head, PROXY_V2_MAX + 1,
		    MSG_PEEK | MSG_DONTWAIT);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			if (conn_wait_head(c, c->in, POLLIN))
				continue;
			if (seen == 0)
				return STATUS_NONE;
			c->tls = 0;
			return STATUS_BAD_REQUEST;
		}
		if (n <= 0) {
			c->peer_done = 1;
			return STATUS_NONE;
		}
		if (!c->proxy) {
			first = (unsigned char)c->head[0];
			seen = (size_t)n;
			break;
		}
		st = proxy_parse(c->head, (size_t)n, &pi, &hlen);
		if (st == STATUS_NONE) {
			/* A header in parts: poll() would say at once that
			 * what has come is there, so look again shortly. */
			if ((size_t)n == seen &&
			    (httpdate_mono_ms() >= c->deadline_ms || conn_shed(c))) {
				c->tls = 0;
				return STATUS_BAD_REQUEST;
			}
			if ((size_t)n == seen)
				(void)poll(NULL, 0, 10);
			seen = (size_t)n;
			continue;
		}
		if (st != STATUS_OK ||
		    recv(c->in, c->head, hlen, MSG_DONTWAIT) != (ssize_t)hlen) {
			c->tls = 0;
			return STATUS_BAD_REQUEST;
		}
		conn_proxy_client(c, &pi);
		seen = 0;
		if ((size_t)n > hlen) {
			first = (unsigned char)c->head[hlen];
			break;
		}
	}
	/*
	 * Security: a connection that does not open with a TLS handshake
	 * record (22) is answered 400 in clear text, as a request sent to
	 * the wrong port, and then closed; its bytes are never read as a
	 * request.
	 */
	if (first != 22) {
		c->tls = 0;
		c->head_read = seen;	/* for the log: what came, unread */
		return STATUS_BAD_REQUEST;
	}
	c->ssl = tls_new(c->in, c->out);
	r = c->ssl != NULL ? 0 : -1;
	while (r == 0 && (r = tls_handshake(c->ssl, &ev)) == 0)
		if (!conn_wait_head(c, ev == POLLOUT ? c->out : c->in, ev))
			r = -1;
	if (r != 1) {
		/* Nothing more can be said on it. */
		tls_free(c->ssl);
		c->ssl = NULL;
		c->peer_done = 1;
		return STATUS_NONE;
	}
	c->sni = tls_sni(c->ssl, &c->sni_len);
	return STATUS_OK;
}

/*
 * Read into buf: with TLS through the session (which may hold bytes read
 * already), else from c->in, without waiting when nowait.
 */
static ssize_t
conn_recv(struct conn *c, void *buf, size_t len, int nowait)
{
	struct iovec iov = { buf, len };

	if (c->ssl != NULL)
		return tls_read(c->ssl, buf, len, &c->want);
	if (nowait)
		return syscall(SYS_preadv2, c->in, &iov, 1, -1L, -1L, RWF_NOWAIT_);
	return read(c->in, buf, len);
}

enum status
conn_read_head(struct conn *c)
{
	enum status st;
	int64_t due;
	ssize_t n;

	if (c->tls && c->ssl == NULL && (st = conn_tls_accept(c)) != STATUS_OK)
		return st;
	/* A next request may have come whole with the last one. */
	if (c->head_read > 0 && !c->proxy) {
		st = request_frame(&c->frame, c->head, c->head_read, &c->head_len);
		if (st != STATUS_NONE)
			return st;
		conn_head_begun(c);
	}
	for (;;) {
		struct pollfd pfd = { .fd = c->in, .events = POLLIN };
		char *at = c->head + c->head_read;
		size_t room = HEAD_CAP - c->head_read;
		int64_t left;

		/* Usually the head is there by the time we run: take it
		 * without waiting, and poll only when it is not.  Right after
		 * a response it usually is not (the client is reading it):
		 * poll first, unless TLS holds bytes read already. */
		c->want = POLLIN;
		if (c->idle && (c->ssl == NULL || !tls_pending(c->ssl))) {
			n = -1;
			errno = EAGAIN;
		} else
			n = conn_recv(c, at, room, 1);
		if (n == -1 && (errno == EAGAIN || errno == EOPNOTSUPP ||
		    errno == ENOSYS || errno == EINVAL)) {
			left = c->deadline_ms - httpdate_mono_ms();
			/* Between requests, an end without an answer; and
			 * no waiting for a next one once the pool stops. */
			if ((left <= 0 || conn_shed(c) || pool_child_stopping()) && c->idle)
				return STATUS_NONE;
			if (left <= 0 || conn_shed(c))
				return c->proxy ? STATUS_BAD_REQUEST :
				    STATUS_REQUEST_TIMEOUT;
			/* A pool's child waits for a next head in a slot the
			 * pool may shed, and looks at it between waits. */
			if (c->slot_state != NULL && !c->waiting) {
				pool_child_idle();
				c->waiting = 1;
			}
			if (c->slot_state != NULL && left > POOL_SHED_CHECK_MS)
				left = POOL_SHED_CHECK_MS;
			/* Held access lines go out by LOG_HOLD_MS after the
			 * first, or now. */
			if ((due = log_held_since()) != 0) {
				due += LOG_HOLD_MS - httpdate_mono_ms();
				if (due <= 0)
					log_flush();
				else if (left > due)
					left = due;
			}
			if (c->want == POLLOUT) {	/* TLS may write first */
				pfd.fd = c->out;
				pfd.events = POLLOUT;
			}
			n = poll(&pfd, 1, (int)left);
			if (n == 0)
				continue;	/* the deadline, or the slot */
			if (n > 0)
				n = conn_recv(c, at, room, 0);
		}
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;	/* the deadline is checked again */
		if (n <= 0) {
			c->peer_done = 1;	/* it sends nothing more */
			/* Nothing sent, or the client reset: nobody to answer. */
			if (c->head_read == 0 || n == -1)
				return STATUS_NONE;
			return STATUS_BAD_REQUEST;
		}
		c->head_read += (size_t)n;
		if (c->proxy) {
			st = conn_take_proxy(c);
			if (st != STATUS_OK)
				return st;
			if (c->proxy || c->head_read == 0)
				continue;	/* more of the header, or the request */
		}
		st = request_frame(&c->frame, c->head, c->head_read, &c->head_len);
		if (st != STATUS_NONE)
			return st;
		conn_head_begun(c);
		/* The limits decide before the buffer is full; never wait
		 * on a full buffer. */
		if (c->head_read == HEAD_CAP)
			return STATUS_BAD_REQUEST;
	}
}

/*
 * The bytes written to out that the client has not acknowledged yet
 * (SIOCOUTQ, which Linux numbers as TIOCOUTQ), or -1 when out is no
 * socket or cannot say.
 */
static int
conn_queued(const struct conn *c)
{
	int queued;

	/* Raw calls, here and for TCP_NOTSENT_LOWAT: an imported ioctl() or
	 * setsockopt() would be bound at every start of every handler. */
	if (!c->is_socket || syscall(SYS_ioctl, c->out, TIOCOUTQ, &queued) == -1 ||
	    queued < 0)
		return -1;
	return queued;
}

/* The body bytes the client has taken, of which queued (from conn_queued())
 * are not acknowledged yet: those are always the last written, so the head
 * went before any of them.  Without a count, the bytes written. */
static uint64_t
conn_body_taken(const struct conn *c, int queued)
{
	if (queued == -1)
		return c->body_sent;
	return (uint64_t)queued < c->body_sent ? c->body_sent - (uint64_t)queued : 0;
}

/* The body bytes the client must have taken by now (ms on the monotonic
 * clock) to keep min_rate, or 0 while there is no such bound. */
static uint64_t
conn_rate_floor(const struct conn *c, int64_t now)
{
	int64_t t = now - c->send_start_ms - (int64_t)c->lim.timeout * 1000;

	if (c->lim.min_rate == 0 || t <= 0)
		return 0;
	return (uint64_t)c->lim.min_rate * (uint64_t)t / 1000;
}

/*
 * Pipelined requests get responses that the client acknowledges only when
 * it has all it asked for; with Nagle's algorithm each small response after
 * the first waits for that acknowledgement, which the client delays (40 ms
 * here): a burst of ten took as long as a hundred single requests.  A
 * response and its head still leave in one send (a small body), or joined
 * by MSG_MORE.  Raw call, as the others: no new symbol to bind.
 */
void
conn_nodelay(struct conn *c)
{
	int one = 1;

	if (c->is_socket)
		(void)syscall(SYS_setsockopt, c->out, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
}

void
conn_next(struct conn *c)
{
	size_t rest = request_next(c->head, c->head_read, c->head_len, &c->frame);

	c->head_read = rest;
	c->head_len = 0;
	c->body_sent = 0;
	c->send_start_ms = 0;
	c->acked_ms = 0;
	c->body_expected = 0;
	c->last_request = 0;
	c->keep = 0;
	c->waiting = 0;	/* the slot is busy until the wait begins */
	/*
	 * Security: between requests the client has lim.idle seconds to
	 * begin the next one (empty lines do not count), and then, as for
	 * the first, lim.timeout in all for its head; an idle connection is
	 * closed without an answer.
	 */
	c->idle = 1;
	c->deadline_ms = httpdate_mono_ms() + (int64_t)c->lim.idle * 1000;
}

/*
 * Security: a response must keep moving, so that a client that reads
 * slowly cannot hold a process for as long as it likes.  It fails when the
 * client takes no byte for the timeout (conn_wait_out()); after the first
 * timeout seconds the client must have taken min_rate bytes a second on
 * average; and the response ends after max_time seconds however steadily
 * it is read.  What counts is what the client acknowledged, not what was
 * written: the kernel queues megabytes on a fast path, which would let a
 * client that reads nothing look like one that keeps up.  The socket is
 * non-blocking and every wait is a poll() bounded by these limits, so the
 * times hold to the millisecond and the rate to the second: a blocking
 * sendfile() would wait a timeout for each page it sends.  Checked before
 * every write: returns 0 to go on, -1 to end the response.  The bytes
 * written are checked every time; they are never fewer than those taken,
 * so the kernel is asked (one call) only when they pass, and then at most
 * once a second: a client that reads fast is never asked about.
 */
static int
conn_pace(struct conn *c)
{
	int64_t now = httpdate_mono_ms();
	uint64_t need;

	if (c->send_start_ms == 0) {
		c->send_start_ms = now;
		return 0;
	}
	if (now - c->send_start_ms >= (int64_t)c->lim.max_time * 1000)
		return -1;
	need = conn_rate_floor(c, now);
	if (need == 0)
		return 0;
	if (c->body_sent < need)
		return -1;
	if (c->is_socket && now - c->acked_ms >= QUEUE_CHECK_MS) {
		c->acked_ms = now;
		if (conn_body_taken(c, conn_queued(c)) < need)
			return -1;
	}
	return 0;
}

/*
 * Wait until out takes more bytes, and never past the end of max_time.
 * Linux raises POLLOUT only when a third of the send buffer is free (and,
 * under TCP_NOTSENT_LOWAT, half of the mark), which on a buffer of
 * megabytes can be far more than a slow client takes in the timeout.  So
 * on a socket the wait looks at the queue every second: bytes acknowledged
 * since the last look are progress, which restarts the timeout, and the
 * rate is checked on them.  Returns 0, or -1 when the client took nothing
 * for the timeout, fell below min_rate, or the time is up.
 */
static int
conn_wait_out(struct conn *c)
{
	/* TLS may have to read before it writes (a key update). */
	struct pollfd pfd = { .fd = c->want == POLLIN ? c->in : c->out,
	    .events = c->want == POLLIN ? POLLIN : POLLOUT };
	int64_t now = httpdate_mono_ms(), idle_end, end;
	int queued = -1, q;

	log_flush();	/* held lines do not wait for a slow client */
	idle_end = now + (int64_t)c->lim.timeout * 1000;
	end = c->send_start_ms + (int64_t)c->lim.max_time * 1000;
	for (;;) {
		int64_t left = (idle_end < end ? idle_end : end) - now;
		int n;

		if (left <= 0)
			return -1;
		n = poll(&pfd, 1, left < QUEUE_CHECK_MS ? (int)left : QUEUE_CHECK_MS);
		if (n > 0)
			return 0;
		if (n == -1 && errno != EINTR)
			return -1;
		now = httpdate_mono_ms();
		if (n == -1 || (q = conn_queued(c)) == -1)
			continue;
		if (queued != -1 && q < queued)
			idle_end = now + (int64_t)c->lim.timeout * 1000;
		queued = q;
		c->acked_ms = now;
		if (conn_body_taken(c, q) < conn_rate_floor(c, now))
			return -1;
	}
}

/*
 * Write all of buf[0..len); the bytes from body on are response body and
 * are counted in c->body_sent as they go.  more: a body follows.
 */
static int
write_all(struct conn *c, const char *buf, size_t len, size_t body, int more)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n;

		if (conn_pace(c) == -1)
			goto fail;
		c->want = POLLOUT;
		if (c->ssl != NULL)
			n = tls_write(c->ssl, buf + done, len - done, &c->want);
		else if (c->is_socket) {
			n = send(c->out, buf + done, len - done, MSG_DONTWAIT |
			    MSG_NOSIGNAL | (more ? MSG_MORE : 0));
			if (n == -1 && errno == ENOTSOCK) {
				/* fd 0 is a socket, fd 1 is not. */
				c->is_socket = 0;
				continue;
			}
		} else
			n = write(c->out, buf + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			if (conn_wait_out(c) == -1)
				goto fail;
			continue;
		}
		if (n <= 0)
			goto fail;
		if (done + (size_t)n > body)
			c->body_sent += done + (size_t)n - (done > body ? done : body);
		done += (size_t)n;
	}
	return 0;
fail:
	c->failed = 1;	/* the response is cut short */
	return -1;
}

int
conn_write(struct conn *c, const void *buf, size_t len, int more)
{
	return write_all(c, buf, len, len, more);
}

int
conn_write_body(struct conn *c, const void *buf, size_t head_len, size_t len)
{
	return write_all(c, buf, len, head_len, 0);
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
		if (n <= 0) {
			c->failed = 1;	/* the file came up short */
			return -1;
		}
		if (conn_write_body(c, buf, 0, (size_t)n) == -1)
			return -1;
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

	/* sendfile() has no MSG_DONTWAIT: the socket itself must not block. */
	conn_nonblock(c);
	/*
	 * Security: a body larger than the mark keeps at most NOTSENT_LOWAT
	 * bytes unsent in the kernel, beyond those in flight, rather than a
	 * send buffer that grows to megabytes: a slow client holds no more
	 * kernel memory than that, and POLLOUT comes once it has taken half
	 * of it, not a third of the buffer.  A smaller body never reaches
	 * the mark, and pays no call.  (Set on a pool's listening socket,
	 * the mark would not reach a connection accepted by the kernel
	 * before, such as the one that started the pool.)  An output that is
	 * no TCP socket refuses it.
	 */
	if (c->is_socket && count > NOTSENT_LOWAT) {
		int lowat = NOTSENT_LOWAT;

		(void)syscall(SYS_setsockopt, c->out, IPPROTO_TCP,
		    TCP_NOTSENT_LOWAT, &lowat, sizeof(lowat));
	}
	/* TLS: the file goes through the kernel where it encrypts, else
	 * through OpenSSL from a buffer. */
	if (c->ssl != NULL && !tls_kernel_send(c->ssl))
		return copy_file(c, fd, off, count);
	while (count > 0) {
		size_t want = count > 0x7ffff000 ? 0x7ffff000 : (size_t)count;
		ssize_t n;

		if (conn_pace(c) == -1)
			goto fail;
		c->want = POLLOUT;
		if (c->ssl != NULL) {
			n = tls_sendfile(c->ssl, fd, o, want, &c->want);
			if (n > 0)
				o += n;
		} else
			n = sendfile(c->out, fd, &o, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			if (conn_wait_out(c) == -1)
				goto fail;
			continue;
		}
		if (n == -1 && first && (errno == EINVAL || errno == ENOSYS))
			return copy_file(c, fd, off, count);	/* marks a failure itself */
		/* Security: a file that shrank while being sent ends the
		 * connection short; it is never padded. */
		if (n <= 0)
			goto fail;
		first = 0;
		c->body_sent += (uint64_t)n;
		count -= (uint64_t)n;
	}
	return 0;
fail:
	c->failed = 1;
	return -1;
}

void
conn_finish(struct conn *c)
{
	char buf[4096];
	int64_t deadline;
	size_t drained = 0;

	log_flush();
	/* TLS ends with close_notify, unless the response was cut short. */
	if (c->ssl != NULL && !c->failed && !c->peer_done)
		tls_close_notify(c->ssl);
	/* Linger only on a socket whose client may still be sending, and
	 * not on one a pool has shed, whose slot is wanted now, nor on one
	 * that was idle between requests, from which nothing came. */
	if (!c->is_socket || c->peer_done || c->idle || conn_shed(c))
		goto out;
	/*
	 * Linger only when the client may still be sending: it sent more
	 * than the head, announced a body, or has bytes waiting, which it
	 * cannot have once it said this request is its last.  Otherwise the
	 * close is a plain FIN, as nginx does it.
	 */
	if (c->head_len > 0 && c->head_read == c->head_len && !c->body_expected) {
		if (c->last_request)
			goto out;
		ssize_t n = recv(c->in, buf, 1, MSG_PEEK | MSG_DONTWAIT);

		/* Nothing waiting, or the client has already closed or
		 * reset the connection. */
		if (n == 0 || (n == -1 && (errno == EAGAIN || errno == ECONNRESET)))
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
	deadline = httpdate_mono_ms() + LINGER_MS;
	while (drained < LINGER_BYTES) {
		struct pollfd pfd = { .fd = c->in, .events = POLLIN };
		int64_t left = deadline - httpdate_mono_ms();
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

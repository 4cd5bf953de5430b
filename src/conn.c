/*
 * Connection input and output.  Trusts nothing read from the connection:
 * the head is framed by the parser's request_frame() as it arrives.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"

#define RWF_NOWAIT_	0x00000008	/* preadv2(): fail with EAGAIN, never block */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
conn_open(struct conn *c, int in, int out, int is_socket, unsigned timeout,
    const char *env_client)
{
	/* Zero-filled by the loader and touched only as far as it is read. */
	static char head[HEAD_CAP];

	memset(c, 0, sizeof(*c));
	c->in = in;
	c->out = out;
	c->is_socket = is_socket;
	c->head = head;
	c->client = env_client;
	if (is_socket && addr_peer(in, c->peer) > 0)
		c->client = c->peer;
	/* Security: every phase has a time limit.  The head must arrive
	 * within the timeout in total (a slow drip does not extend it); a
	 * write that makes no progress for the timeout fails. */
	c->deadline_ms = now_ms() + (int64_t)timeout * 1000;
	if (is_socket) {
		struct timeval tv = { .tv_sec = (time_t)timeout };

		(void)setsockopt(out, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
}

enum status
conn_read_head(struct conn *c)
{
	enum status st;
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
				return STATUS_NONE;
			return STATUS_BAD_REQUEST;
		}
		c->head_read += (size_t)n;
		st = request_frame(&c->frame, c->head, c->head_read, &c->head_len);
		if (st != STATUS_NONE)
			return st;
		/* The limits decide before the buffer is full; never wait
		 * on a full buffer. */
		if (c->head_read == HEAD_CAP)
			return STATUS_BAD_REQUEST;
	}
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

/*
 * slow-reader PORT PATH RATE SECONDS RCVBUF: GET PATH from 127.0.0.1:PORT
 * with a receive buffer of RCVBUF bytes, set before the connection is made
 * so that the window stays that small, and read the response at a steady
 * RATE bytes a second for at most SECONDS seconds.  Prints one line,
 * "BYTES open|closed MS": the bytes read, whether the server ended the
 * connection (an end of file or a reset), and the milliseconds it took.
 * Exit 2: a usage or set-up error.  Input: the command line, then the
 * server's bytes, which are counted and never interpreted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The reader wakes this often and takes what the rate allows by then. */
#define TICK_MS		20

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A whole number in [min, max] from s, or -1. */
static long long
number(const char *s, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	return v;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	long long port, rate, seconds, rcvbuf, start, end, got = 0, t;
	char req[1024], buf[65536];
	int fd, n, closed = 0, size;
	long long rounds;

	if (argc != 6 || (port = number(argv[1], 1, 65535)) == -1 ||
	    (rate = number(argv[3], 1, 1LL << 30)) == -1 ||
	    (seconds = number(argv[4], 1, 3600)) == -1 ||
	    (rcvbuf = number(argv[5], 1024, 1 << 26)) == -1) {
		fprintf(stderr, "usage: slow-reader PORT PATH RATE SECONDS RCVBUF\n");
		return 2;
	}
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n\r\n", argv[2]);
	if (n < 0 || (size_t)n >= sizeof(req)) {
		fprintf(stderr, "slow-reader: path too long\n");
		return 2;
	}
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	size = (int)rcvbuf;
	/* The window is fixed when the connection is made: set the buffer
	 * first, or the kernel advertises its default. */
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    write(fd, req, (size_t)n) != n) {
		perror("slow-reader");
		return 2;
	}
	start = now_ms();
	end = start + seconds * 1000;
	/* A round is a sleep, a wait or a read: a tick holds a few, and
	 * more when the reads come short of what the rate allows. */
	for (rounds = seconds * (1000 / TICK_MS) * 64; rounds > 0; rounds--) {
		long long allowed, left;
		ssize_t r;

		t = now_ms();
		if (t >= end)
			break;
		/* What the rate allows by now, in whole bytes. */
		allowed = rate * (t - start) / 1000 - got;
		if (allowed <= 0) {
			struct timespec ts = { 0, TICK_MS * 1000000L };

			nanosleep(&ts, NULL);
			continue;
		}
		left = end - t;
		{
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			if (poll(&pfd, 1, left < TICK_MS ? (int)left : TICK_MS) <= 0)
				continue;
		}
		r = read(fd, buf, allowed < (long long)sizeof(buf) ?
		    (size_t)allowed : sizeof(buf));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			closed = 1;	/* an end of file, or a reset */
			break;
		}
		got += r;
	}
	printf("%lld %s %lld\n", got, closed ? "closed" : "open", now_ms() - start);
	close(fd);
	return 0;
}

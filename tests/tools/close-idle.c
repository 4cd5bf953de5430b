/*
 * close-idle fin|rst: a backend that keeps a connection after its first
 * answer, then closes it without answering the next request, as a
 * keep-alive backend does when its idle time ends just as a request is on
 * the way.  On the connection handed over as fds 0 and 1 (inetd style): a
 * PROXY v1 or v2 header, then one request head, answered 200 with a
 * 4-byte body "one\n" and no "Connection: close"; then it waits (10 s at
 * most) for the next request's first byte, and closes: "fin" once it has
 * read what came (a plain close), "rst" 100 ms later without reading it
 * (the kernel resets the connection).  Writes "answered" and then
 * "closed" or "ended" (the peer closed first) to stderr.  Input: bytes
 * from a test's HAProxy, bounded: at most 16 KiB in, 10 s per wait.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define IN_MAX	16384
#define WAIT_MS	10000

static const char v2sig[12] = "\r\n\r\n\0\r\nQUIT\n";

/* Read more into buf (len bytes held) within WAIT_MS.  Returns the new
 * length, or -1 at end of input, on an error or at the time limit. */
static int
read_more(char *buf, int len)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	ssize_t n;

	if (len >= IN_MAX || poll(&pfd, 1, WAIT_MS) != 1)
		return -1;
	n = read(0, buf + len, IN_MAX - len);
	return n <= 0 ? -1 : len + (int)n;
}

/* The length of a whole PROXY header at the start of buf, 0 if more is
 * needed, -1 if there is none. */
static int
proxy_len(const char *buf, int len)
{
	const char *nl;

	if (len >= 16 && memcmp(buf, v2sig, sizeof(v2sig)) == 0) {
		int total = 16 + ((unsigned char)buf[14] << 8 | (unsigned char)buf[15]);

		return len >= total ? total : 0;
	}
	if (len >= 6 && memcmp(buf, "PROXY ", 6) == 0) {
		nl = memchr(buf, '\n', (size_t)len);
		return nl != NULL ? (int)(nl - buf) + 1 : 0;
	}
	return len >= 16 ? -1 : 0;
}

int
main(int argc, char *argv[])
{
	static char buf[IN_MAX + 1];
	static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 4\r\n\r\none\n";
	int len = 0, skip, rst;

	if (argc != 2 || (strcmp(argv[1], "fin") != 0 && strcmp(argv[1], "rst") != 0)) {
		fprintf(stderr, "usage: close-idle fin|rst\n");
		return 2;
	}
	rst = strcmp(argv[1], "rst") == 0;
	while ((skip = proxy_len(buf, len)) == 0)
		if ((len = read_more(buf, len)) == -1)
			return 1;
	if (skip == -1)
		return 1;
	for (;;) {
		buf[len] = '\0';
		if (strstr(buf + skip, "\r\n\r\n") != NULL)
			break;
		if ((len = read_more(buf, len)) == -1)
			return 1;
	}
	if (write(1, answer, sizeof(answer) - 1) != (ssize_t)sizeof(answer) - 1)
		return 1;
	fprintf(stderr, "answered\n");

	/* The next request: let it come whole, then close under it. */
	struct pollfd pfd = { .fd = 0, .events = POLLIN };

	if (poll(&pfd, 1, WAIT_MS) != 1)
		return 1;
	if (rst)
		usleep(100000);
	else if (read(0, buf, IN_MAX) <= 0) {
		fprintf(stderr, "ended\n");
		return 0;
	}
	if (rst && recv(0, buf, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) {
		fprintf(stderr, "ended\n");
		return 0;
	}
	close(0);
	close(1);
	fprintf(stderr, "closed\n");
	return 0;
}

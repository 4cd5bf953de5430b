/*
 * hold-conns PORT SECONDS COUNT TEXT FROM...: open COUNT connections to
 * 127.0.0.1:PORT, from the source addresses FROM in turn, send TEXT on each
 * (every "%u" in it replaced by the connection's number, from 1; an empty
 * TEXT sends nothing), print "held COUNT" once all are open, then hold them
 * without reading for SECONDS and close them.  What a flood of idle or
 * slow clients does to a server, bounded in count (at most 5000) and time
 * (each connect waits at most 5 s).  Exit 0, or 1 when a connection could
 * not be made (what was made is held all the same, and the count printed
 * is what was made).  Input: the command line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define COUNT_MAX	5000
#define CONNECT_MS	5000

/* Connect to port from src within CONNECT_MS.  Returns the socket, or -1. */
static int
connect_from(const char *src, unsigned short port)
{
	struct sockaddr_in from = { .sin_family = AF_INET }, to = { .sin_family = AF_INET };
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int fd, err = 0;

	if (inet_pton(AF_INET, src, &from.sin_addr) != 1)
		return -1;
	to.sin_port = htons(port);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&from, sizeof(from)) == -1)
		goto fail;
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) == -1 && errno != EINPROGRESS)
		goto fail;
	pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
	if (poll(&pfd, 1, CONNECT_MS) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 || err != 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* TEXT with "%u" replaced by n into buf[cap].  Returns its length. */
static size_t
expand(const char *text, unsigned n, char *buf, size_t cap)
{
	size_t o = 0;

	for (; *text != '\0' && o + 12 < cap; text++) {
		if (text[0] == '%' && text[1] == 'u') {
			o += (size_t)snprintf(buf + o, cap - o, "%u", n);
			text++;
		} else
			buf[o++] = *text;
	}
	return o;
}

int
main(int argc, char *argv[])
{
	static int fds[COUNT_MAX];
	char buf[4096];
	unsigned long port, seconds, count, i, made = 0;
	int rc = 0;

	if (argc < 6) {
		fprintf(stderr, "usage: hold-conns PORT SECONDS COUNT TEXT FROM...\n");
		return 2;
	}
	port = strtoul(argv[1], NULL, 10);
	seconds = strtoul(argv[2], NULL, 10);
	count = strtoul(argv[3], NULL, 10);
	if (port == 0 || port > 65535 || seconds > 600 || count == 0 || count > COUNT_MAX) {
		fprintf(stderr, "hold-conns: PORT 1-65535, SECONDS up to 600, COUNT 1-%d\n",
		    COUNT_MAX);
		return 2;
	}
	for (i = 0; i < count; i++) {
		int fd = connect_from(argv[5 + i % (unsigned long)(argc - 5)],
		    (unsigned short)port);
		size_t n;

		if (fd == -1) {
			rc = 1;
			break;
		}
		n = expand(argv[4], (unsigned)(i + 1), buf, sizeof(buf));
		if (n > 0 && send(fd, buf, n, MSG_NOSIGNAL) != (ssize_t)n)
			rc = 1;
		fds[made++] = fd;
	}
	printf("held %lu\n", made);
	fflush(stdout);
	sleep((unsigned)seconds);
	for (i = 0; i < made; i++)
		close(fds[i]);
	return rc;
}

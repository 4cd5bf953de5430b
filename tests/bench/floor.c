/*
 * The floor: the least a per-connection handler can do.  Read the request
 * head from fd 0 until the empty line (or EOF), write one fixed response to
 * fd 1, exit.  Input: raw network bytes, of which only CR and LF are looked
 * at.  Built three ways to measure what process start-up alone costs:
 *
 *   cc -O2 -DNOLIBC -nostdlib -static -fno-stack-protector floor.c (raw syscalls)
 *   musl-gcc -O2 -static floor.c
 *   cc -O2 floor.c (dynamic glibc)
 */
#ifdef NOLIBC
typedef long ssize_t;
typedef unsigned long size_t;

static long
sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
	    : "rcx", "r11", "memory");
	return r;
}
#define read(fd, b, n)	sys3(0, (fd), (long)(b), (long)(n))
#define write(fd, b, n)	sys3(1, (fd), (long)(b), (long)(n))
#define _exit(s)	sys3(60, (s), 0, 0)
#else
#include <unistd.h>
#endif

#define BODY_300 \
	"<!DOCTYPE html>\n<html><head><title>floor</title></head>\n<body>\n" \
	"<p>A fixed body of exactly three hundred bytes, the same size as " \
	"the file the handlers serve, so that every server under test puts " \
	"the same document on the wire.</p>\n" \
	"<p>012345678901234567890123456789012345678901234567</p>\n" \
	"</body></html>\n"

static const char response[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Length: 300\r\n"
    "Connection: close\r\n"
    "\r\n"
    BODY_300;

/* Same length as the file the handlers serve. */
_Static_assert(sizeof(BODY_300) - 1 == 300, "the body is 300 bytes");

static int
serve(void)
{
	static char buf[8192];
	size_t have = 0, i, off;
	unsigned state = 0;	/* bytes of "\n\r\n" or "\n\n" matched */

	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));

		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n; i++) {
			char ch = buf[i];

			if (ch == '\n') {
				if (state == 1 || state == 2)
					goto answer;
				state = 1;
			} else if (ch == '\r' && state == 1)
				state = 2;
			else if (ch != '\r')
				state = 0;
		}
		have += (size_t)n;
		if (have > 65536)
			return 1;
	}
	if (have == 0)
		return 0;
answer:
	for (off = 0; off < sizeof(response) - 1;) {
		ssize_t n = write(1, response + off, sizeof(response) - 1 - off);

		if (n <= 0)
			return 1;
		off += (size_t)n;
	}
	return 0;
}

#ifdef NOLIBC
void	_start(void);

void
_start(void)
{
	_exit(serve());
	for (;;)
		;
}
#else
int
main(void)
{
	return serve();
}
#endif

/*
 * webserver: answer one HTTP/1.1 request on a connection handed over by a
 * service manager (systemd, xinetd, tcpserver), then exit.
 */
#include <string.h>
#ifdef WEBSERVER_TEST_SECCOMP
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "conn.h"
#include "log.h"
#include "path.h"
#include "request.h"
#include "response.h"
#include "sandbox.h"

#ifdef WEBSERVER_TEST_SECCOMP
static void
test_call(const char *name)
{
	if (name == NULL || strcmp(name, "getppid") == 0)
		(void)syscall(SYS_getppid);
	else if (strcmp(name, "mmap-exec") == 0)
		(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else if (strcmp(name, "mmap-read") == 0)
		(void)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else if (strcmp(name, "socket-inet") == 0)
		(void)socket(AF_INET, SOCK_STREAM, 0);
	else if (strcmp(name, "socket-unix") == 0)
		(void)socket(AF_UNIX, SOCK_DGRAM, 0);
#if defined(__x86_64__)
	else if (strcmp(name, "x32-write") == 0)	/* write, by the x32 ABI */
		(void)syscall(0x40000000L | SYS_write, 2, "", 0);
#endif
}
#endif

int
main(int argc, char *argv[], char *envp[])
{
	static struct conn c;
	struct request req;
	struct target t = { .fd = -1 };
	enum status st, parsed;
	int r;

	r = conn_setup(&c, argc, argv, envp);	/* Nothing read yet: safe to stop. */
	if (r != 0)
		return r == -1 ? 0 : r;
	if (sandbox_apply(c.docroot_fd, c.user) == -1) {
		conn_close_all();
		return 1;		/* Still nothing read. */
	}
#ifdef WEBSERVER_TEST_SECCOMP
	/* A test build: make the call named in WEBSERVER_TEST_CALL, which
	 * the filter allows (and serving goes on) or answers with a kill. */
	test_call(getenv("WEBSERVER_TEST_CALL"));
#endif
	st = conn_read_head(&c);
	if (st == 0) {
		conn_finish(&c);
		return 0;		/* The client sent nothing: no answer. */
	}
	/* Parsed even after a read error, so the log shows what came. */
	parsed = request_parse(c.head, st == STATUS_OK ? c.head_len : c.head_read,
	    &req);
	if (st == STATUS_OK)
		st = parsed;
	if (st == STATUS_OK && req.method != METHOD_OPTIONS)
		st = path_resolve(&c, &req, &t);
	st = response_send(&c, &req, &t, st);	/* Any error becomes a page here. */
	log_request(&c, &req, st);
	/* After a parse error the framing is unknown: assume a body. */
	c.body_expected = parsed != STATUS_OK || req.chunked ||
	    req.content_length > 0;
	conn_finish(&c);
	return 0;
}

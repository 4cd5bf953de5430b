/*
 * webserver: answer one HTTP/1.1 request on a connection handed over by a
 * service manager (systemd, xinetd, tcpserver), then exit.
 */
#include <string.h>
#ifdef WEBSERVER_TEST_SECCOMP
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "conn.h"
#include "log.h"
#include "path.h"
#include "request.h"
#include "response.h"
#include "sandbox.h"

int
main(int argc, char *argv[])
{
	static struct conn c;
	struct request req;
	struct target t = { .fd = -1 };
	enum status st, parsed;
	int r;

	r = conn_setup(&c, argc, argv);	/* Nothing read yet: safe to stop. */
	if (r != 0)
		return r == -1 ? 0 : r;
	if (sandbox_apply(c.docroot_fd, c.user) == -1)
		return 1;		/* Still nothing read. */
#ifdef WEBSERVER_TEST_SECCOMP
	/* A test build: a call the seccomp filter does not allow. */
	(void)syscall(SYS_getppid);
#endif
	st = conn_read_head(&c);
	if (st == 0)
		return 0;		/* The client sent nothing: no answer. */
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

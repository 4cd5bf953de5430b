/*
 * webserver: answer one HTTP/1.1 request on a connection handed over by a
 * service manager (systemd, xinetd, tcpserver), then exit.
 */
#include "conn.h"
#include "log.h"
#include "path.h"
#include "request.h"
#include "response.h"
#include "sandbox.h"
#include "setup.h"

/* The access line: who asked, what, and what was answered. */
static void
log_exchange(const struct conn *c, const struct request *req, enum status st)
{
	struct log_access a = {
		.client = c->client,
		.line = req->line,
		.line_len = req->line_len,
		.status = (unsigned)st,
		.bytes = c->body_sent,
		.referer = req->referer,
		.referer_len = req->referer_len,
		.agent = req->user_agent,
		.agent_len = req->user_agent_len,
	};

	log_access(&a);
}

int
main(int argc, char *argv[], char *envp[])
{
	static struct config cfg;
	static struct conn c;
	struct request req;
	struct target t = { .fd = -1 };
	enum status st, parsed;
	int r;

	r = setup_config(&cfg, argc, argv, envp);	/* Nothing read yet: safe to stop. */
	if (r != 0)
		return r == -1 ? 0 : r;
	conn_open(&c, cfg.in, cfg.out, cfg.is_socket, cfg.timeout, cfg.env_client);
	if (sandbox_apply(cfg.docroot_fd, cfg.user) == -1) {
		conn_close_all();
		return 1;		/* Still nothing read. */
	}

	st = conn_read_head(&c);
	if (st == STATUS_NONE) {
		conn_finish(&c);	/* The client sent nothing: no answer. */
		return 0;
	}
	/* Parsed even after a read error, so the log shows what came. */
	parsed = request_parse(c.head, st == STATUS_OK ? c.head_len : c.head_read,
	    &req);
	if (st == STATUS_OK)
		st = parsed;
	if (st == STATUS_OK && req.method != METHOD_OPTIONS)
		st = path_resolve(&cfg, &req, &t);
	st = response_send(&c, &req, &t, st);	/* Any error becomes a page here. */
	log_exchange(&c, &req, st);

	/* After a parse error the framing is unknown: assume a body. */
	c.body_expected = parsed != STATUS_OK || req.chunked ||
	    req.content_length > 0;
	conn_finish(&c);
	return 0;
}

/*
 * webserver: answer one HTTP/1.1 request (or with --keep-alive, the
 * requests of one connection) on a connection handed over by a service
 * manager (systemd, xinetd, tcpserver), then exit.  Handed a listening
 * socket, become a pool that forks one such process per connection.
 */
#include <sys/syscall.h>
#include <unistd.h>

#include "conn.h"
#include "httpdate.h"
#include "log.h"
#include "path.h"
#include "pool.h"
#include "request.h"
#include "response.h"
#include "sandbox.h"
#include "setup.h"
#include "tls.h"
#include "tlsname.h"

/* The access line: who asked, what, and what was answered. */
static void
log_exchange(const struct conn *c, const struct request *req, enum status st,
    const char *vhost)
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
		.port = c->client_port,
		.vhost = vhost,
		.tls = c->ssl != NULL ? tls_version(c->ssl) : NULL,
		.tls_kernel = c->ssl != NULL && tls_kernel_send(c->ssl),
	};

	log_access(&a);
}

/*
 * Get to the point of reading a request, in the sandbox: with the
 * connection handed over, or, handed a listening socket, in a child of the
 * pool with the connection it accepted.  Returns 0 to serve c, or the exit
 * status (the pool's, or 1 for a set-up failure).
 */
static int
connection_start(struct config *cfg, struct conn *c)
{
	static struct pool_conn pc;
	const struct conn_limits lim = { cfg->timeout, cfg->min_rate, cfg->max_time,
	    cfg->keep_alive_timeout };
	const int tls = cfg->tls_n > 0 ? SANDBOX_TLS : 0;
	int status;

	if (cfg->listen_fd == -1) {
		conn_open(c, cfg->in, cfg->out, cfg->is_socket,
		    cfg->peer[0] != '\0' ? cfg->peer : cfg->env_client, &lim);
		if (cfg->keep_alive > 1)
			conn_nodelay(c);
		return sandbox_apply(cfg->docroot_fd, cfg->error_dir_fd, cfg->user,
		    (cfg->keep_alive >= SECCOMP_CACHE_MIN ? SANDBOX_MANY_CALLS : 0) |
		    tls) == -1 ? 1 : 0;
	}
	/* A pool: the sandbox once, inherited by every child. */
	if (pool_prepare(cfg) == -1 ||
	    sandbox_apply(cfg->docroot_fd, cfg->error_dir_fd, cfg->user,
	    SANDBOX_POOL | SANDBOX_MANY_CALLS | tls) == -1)
		return 1;
	if (pool_run(cfg, &pc, &status) == 0)
		return status == 0 ? -1 : status;
	conn_open(c, pc.fd, pc.fd, CONN_SOCKET_NONBLOCK, pc.peer, &lim);
	c->slot_state = pc.state;
	if (cfg->keep_alive > 1)
		conn_nodelay(c);
	return 0;
}

/* What opens the connection: with --proxy-protocol, a header that names
 * the client; with --tls-cert, a TLS handshake (after that header). */
static void
connection_expect(const struct config *cfg, struct conn *c)
{
	c->tls = cfg->tls_n > 0;
	if (!cfg->proxy_protocol)
		return;
	c->proxy = 1;
	c->client_port = "-";
}

/*
 * Whether the connection stays open after the response to req, which is
 * the n-th of the connection, answered with st: only with --keep-alive,
 * and only when the next request's first byte is sure to be where this
 * one's head ended.  Security: a request whose framing the handler cannot
 * trust or that announced a body it does not read (every error but those
 * below, a body on any method) ends the connection after its answer, so
 * that no byte of a body is ever read as a request.
 */
static int
connection_keeps(const struct config *cfg, const struct conn *c,
    const struct request *req, enum status st, unsigned n)
{
	if (n >= cfg->keep_alive || req->last || c->body_expected || c->failed ||
	    pool_child_stopping())
		return 0;
	/* No new request once the connection is --max-time old. */
	if (httpdate_mono_ms() - c->open_ms >= (int64_t)cfg->max_time * 1000)
		return 0;
	switch (st) {
	case STATUS_OK:
	case STATUS_MOVED_PERMANENTLY:
	case STATUS_FORBIDDEN:
	case STATUS_NOT_FOUND:
	case STATUS_METHOD_NOT_ALLOWED:
		return 1;	/* 206, 304, 412 and 416 come from 200 */
	default:
		return 0;
	}
}

/*
 * One request of the connection, the n-th: read its head, find what it
 * names, answer and log it.  Returns 1 when the connection stays open for
 * another, else 0.
 */
static int
serve_request(const struct config *cfg, struct conn *c, unsigned n)
{
	struct request req;
	struct target t = { .fd = -1, .root_fd = -1 };
	enum status st, parsed;

	st = conn_read_head(c);
	if (cfg->listen_fd != -1)	/* a pool's child: see pool.h */
		st = pool_child_admit(st, n == 1 && c->proxy_named ? c->proxy_ip : NULL);
	if (st == STATUS_NONE)
		return 0;	/* the client sent nothing (more): no answer */
	/* Parsed even after a read error, so the log shows what came; the
	 * head alone once it is framed (a pool may refuse it whole). */
	parsed = request_parse(c->head, c->head_len > 0 ? c->head_len : c->head_read,
	    &req);
	if (st == STATUS_OK)
		st = parsed;
	if (st == STATUS_OK)
		st = path_site(cfg, &req, &t);
	/* Security: over TLS, a site is served only to a client that named
	 * it in its handshake, so that one certificate's connection does not
	 * reach another host's files. */
	if (st == STATUS_OK && cfg->vhosts && tls_misdirected(t.host, c->sni, c->sni_len))
		st = STATUS_MISDIRECTED_REQUEST;
	if (st == STATUS_OK && req.method != METHOD_OPTIONS)
		st = path_resolve(cfg, &req, &t);
	/* After a parse error the framing is unknown: assume a body. */
	c->body_expected = !request_is_head_only(&req, parsed);
	c->last_request = req.last;
	c->keep = connection_keeps(cfg, c, &req, st, n);
	st = response_send(cfg, c, &req, &t, st);	/* Any error becomes a page here. */
	log_exchange(c, &req, st, cfg->vhosts ? (t.host != NULL ? t.host : "-") : NULL);
	if (!c->keep || c->failed)
		return 0;
	/* The next request opens its own: no descriptor of this one stays. */
	if (t.fd != -1)
		close(t.fd);
	if (t.root_fd != -1 && t.root_fd != cfg->docroot_fd)
		close(t.root_fd);
	return 1;
}

int
main(int argc, char *argv[], char *envp[])
{
	static struct config cfg;
	static struct conn c;
	unsigned n;
	int r;

	r = setup_config(&cfg, argc, argv, envp);	/* Nothing read yet: safe to stop. */
	if (r != 0)
		return r == -1 ? 0 : r;
	r = connection_start(&cfg, &c);
	if (r != 0) {
		conn_close_all();	/* Still nothing read. */
		return r == -1 ? 0 : r;
	}
	connection_expect(&cfg, &c);
	/* Many requests: their access lines are written in batches. */
	if (cfg.keep_alive > 1)
		log_hold();

	/* One request, or with --keep-alive as many as the client makes. */
	for (n = 1; serve_request(&cfg, &c, n); n++)
		conn_next(&c);
	conn_finish(&c);
	/* A pool's child has not the libraries only the pool uses: end
	 * without running their destructors (see pool.h). */
	if (cfg.listen_fd != -1)
		syscall(SYS_exit_group, 0);
	return 0;
}

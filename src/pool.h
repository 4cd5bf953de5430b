/*
 * The pool: a listening socket handed over (systemd's Accept=no, or
 * xinetd's wait = yes) in, one short-lived child process per connection
 * out.  The parent accepts, caps, forks and reaps; it never reads a byte
 * from a client.
 */
#ifndef POOL_H
#define POOL_H

#include "addr.h"
#include "setup.h"
#include "status.h"

/*
 * The state of a child's slot, shared between the pool and its children:
 * set to POOL_WAITING by the pool before the fork; the child moves it to
 * POOL_BUSY once its head is in (pool_child_admit()), unless the pool,
 * full, has moved it to POOL_SHED first to take the connection back.  A
 * child waiting for its head looks at it every POOL_SHED_CHECK_MS.
 */
enum { POOL_FREE, POOL_WAITING, POOL_BUSY, POOL_SHED };
#define POOL_SHED_CHECK_MS	100

/* A connection handed to a child. */
struct pool_conn {
	int fd;				/* the accepted socket */
	char peer[ADDR_TEXT_MAX];	/* its peer's address as text */
	const int *state;		/* its slot's state (see above) */
};

/*
 * Before the sandbox: move the listening socket off fds 0-2 (xinetd hands
 * it over as all three) and put /dev/null there, so that no child can
 * write to it; keep (or load) libsystemd for sd_notify() when
 * NOTIFY_SOCKET is set, else unload it; unregister glibc's rseq area.
 * Returns 0, or -1 (logged).
 */
int	pool_prepare(struct config *cfg);

/*
 * Accept and fork until the pool is idle for --idle-exit seconds, is told
 * to stop (SIGTERM, SIGINT), or a child is killed by a signal.  With
 * sd_notify(), the accepting is done by a second process, forked without
 * libsystemd's mappings, while the calling one passes its notifications
 * on.  Returns 1 in a child, with its connection (non-blocking) in *pc and
 * the listening socket closed, which must end with _exit(), not exit(): it
 * does not have the libraries only the pool uses; 0 in the parent once no
 * child is left, which then exits with *status.
 */
int	pool_run(const struct config *cfg, struct pool_conn *pc, int *status);

/*
 * In a child, once conn_read_head() has returned st: take the slot (see
 * above), and count the request.  client_ip is the client a PROXY header
 * named (16 bytes, see addr_map_ipv4()), given with the first request, or
 * NULL.  Returns st; 408 when the pool has shed the connection (STATUS_NONE
 * stays: nothing of a request came); 503 when client_ip's source already
 * has --max-per-source connections in the other children that admitted a
 * head.
 */
enum status	pool_child_admit(enum status st, const unsigned char *client_ip);

/* In a child whose last response kept the connection, when the next head
 * is not all there: it waits, and may be shed as one waiting for its
 * first, from now on. */
void		pool_child_idle(void);

/* In a child: the pool is stopping, so the connection must not persist.
 * 0 outside a pool's child. */
int		pool_child_stopping(void);

#endif

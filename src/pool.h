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

/* A connection handed to a child. */
struct pool_conn {
	int fd;				/* the accepted socket */
	char peer[ADDR_TEXT_MAX];	/* its peer's address as text */
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

#endif

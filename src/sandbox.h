/*
 * Defence inside the process, applied after the document root is open and
 * before a byte of the request is read: no root, no new privileges,
 * Landlock (read-only, beneath the root) and a seccomp allow-list.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

/*
 * Drop root to user (NULL: "nobody") when running as root, then confine the
 * process to reading beneath docroot_fd (and pages_fd, the error pages'
 * directory, unless it is -1) and to the system calls it uses.  flags:
 * SANDBOX_POOL allows what a pool needs besides (accepting, forking,
 * reaping, sd_notify), which its children inherit; SANDBOX_MANY_CALLS
 * builds the filter so that the kernel caches its verdicts, which costs
 * more once and less at every call after (for a pool, or a handler that
 * answers many requests); SANDBOX_TLS allows what OpenSSL's handshake and
 * kernel TLS need besides (see sandbox.c).  A kernel without Landlock is logged once and
 * tolerated.  Returns 0, or -1 (logged) when a step that must not fail did.
 */
#define SANDBOX_POOL		1
#define SANDBOX_MANY_CALLS	2
#define SANDBOX_TLS		4
int	sandbox_apply(int docroot_fd, int pages_fd, const char *user, int flags);

#endif

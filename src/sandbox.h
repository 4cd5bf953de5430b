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
 * directory, unless it is -1) and to the system calls it uses;
 * pool nonzero allows what a pool needs besides (accepting, forking,
 * reaping, sd_notify), which its children inherit.  A kernel without
 * Landlock is logged once and tolerated.  Returns 0, or -1 (logged) when a
 * step that must not fail did.
 */
int	sandbox_apply(int docroot_fd, int pages_fd, const char *user, int pool);

#endif

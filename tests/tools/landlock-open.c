/*
 * landlock-open [--openat] ROOT NAME: open ROOT and apply the handler's
 * sandbox (src/sandbox.c) to it as the handler does, then open NAME
 * relative to ROOT without RESOLVE_BENEATH, so that Landlock alone keeps
 * the open beneath the root: openat2() with RESOLVE_NO_MAGICLINKS only, or
 * with --openat a plain openat().  The file is copied to stdout.  Exit 0:
 * it was read; 1: the open failed (its errno name on stderr); 2: usage or
 * set-up error.  Input: the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"

/* The name of an errno value, without strerror(): its message catalogue
 * would be opened beneath nothing the sandbox allows. */
static const char *
errno_name(int e, char *buf, size_t cap)
{
	switch (e) {
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case ELOOP: return "ELOOP";
	case EXDEV: return "EXDEV";
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	}
	snprintf(buf, cap, "errno %d", e);
	return buf;
}

int
main(int argc, char *argv[])
{
	/* The flags src/path.c opens a target with. */
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		.resolve = RESOLVE_NO_MAGICLINKS,
	};
	char buf[4096], msg[256];
	const char *call = "openat2";
	int root_fd, fd, plain = 0, n;
	ssize_t r;

	if (argc == 4 && strcmp(argv[1], "--openat") == 0) {
		plain = 1;
		call = "openat";
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: landlock-open [--openat] ROOT NAME\n");
		return 2;
	}
	/* The root as src/conn.c opens it, then the sandbox as main.c
	 * applies it (the default user). */
	root_fd = openat(AT_FDCWD, argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd == -1) {
		fprintf(stderr, "landlock-open: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (sandbox_apply(root_fd, -1, NULL, 0) == -1)
		return 2;
	if (plain)
		fd = openat(root_fd, argv[2], (int)how.flags);
	else
		fd = (int)syscall(SYS_openat2, root_fd, argv[2], &how, sizeof(how));
	if (fd == -1) {
		n = snprintf(msg, sizeof(msg), "landlock-open: %s %s: %s\n",
		    call, argv[2], errno_name(errno, buf, sizeof(buf)));
		if (n >= (int)sizeof(msg))
			n = (int)sizeof(msg) - 1;
		(void)!write(2, msg, (size_t)n);
		return 1;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)r) != r)
			return 2;
	return r == 0 ? 0 : 2;
}

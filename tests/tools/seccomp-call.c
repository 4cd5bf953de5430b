/*
 * seccomp-call [--pool] [--many-calls] ROOT CALL: open ROOT and apply the
 * handler's sandbox (src/sandbox.c) to it as the handler does (as a pool
 * does, with --pool; with the filter the kernel caches, as a pool or a
 * handler with --keep-alive has it, with --many-calls),
 * then make the one system call named by CALL.  A call the filter allows, and that works, prints
 * "CALL survived" and exits 0; a call the filter forbids kills the process
 * (SIGSYS) before anything is written.  Exit 1: the call was let through
 * but failed; 2: usage or set-up error.  Input: the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox.h"

enum call {
	CALL_GETPPID,		/* off the allow-list */
	CALL_MMAP_EXEC,		/* mmap with PROT_EXEC */
	CALL_MMAP_READ,		/* mmap without it: allowed */
	CALL_SOCKET_INET,
	CALL_SOCKET_UNIX,
	CALL_X32_WRITE,		/* write, by the x32 entry point */
	CALL_FORK,		/* allowed in a pool only */
	CALL_EXECVE,		/* never */
	CALL_IOCTL_OUTQ,	/* a socket's queued bytes: allowed */
	CALL_IOCTL_NREAD,	/* any other request */
	CALL_SOCKOPT_LOWAT,	/* TCP_NOTSENT_LOWAT: allowed */
	CALL_SOCKOPT_RCVBUF,	/* any other option: allowed in a pool only */
	CALL_SOCKOPT_NODELAY,	/* another at the level IPPROTO_TCP */
	CALL_SOCKOPT_BINDDEV,	/* the same number at another level */
};

static const char *const call_names[] = {
	[CALL_GETPPID] = "getppid",
	[CALL_MMAP_EXEC] = "mmap-exec",
	[CALL_MMAP_READ] = "mmap-read",
	[CALL_SOCKET_INET] = "socket-inet",
	[CALL_SOCKET_UNIX] = "socket-unix",
#if defined(__x86_64__)
	[CALL_X32_WRITE] = "x32-write",
#endif
	[CALL_FORK] = "fork",
	[CALL_EXECVE] = "execve",
	[CALL_IOCTL_OUTQ] = "ioctl-outq",
	[CALL_IOCTL_NREAD] = "ioctl-nread",
	[CALL_SOCKOPT_LOWAT] = "setsockopt-lowat",
	[CALL_SOCKOPT_RCVBUF] = "setsockopt-rcvbuf",
	[CALL_SOCKOPT_NODELAY] = "setsockopt-nodelay",
	[CALL_SOCKOPT_BINDDEV] = "setsockopt-binddev",
};

enum { N_CALLS = sizeof(call_names) / sizeof(call_names[0]) };

_Static_assert(SO_BINDTODEVICE == TCP_NOTSENT_LOWAT, "setsockopt-binddev "
    "must try the allowed option number at another level");

/* Make the call, on the TCP socket sock where it needs one; 0 if it
 * worked, -1 (errno set) if it failed. */
static int
make_call(enum call call, int sock)
{
	int v = 65536;
	void *p;

	switch (call) {
	case CALL_GETPPID:
		return syscall(SYS_getppid) == -1 ? -1 : 0;
	case CALL_MMAP_EXEC:
	case CALL_MMAP_READ:
		p = mmap(NULL, 4096, PROT_READ |
		    (call == CALL_MMAP_EXEC ? PROT_EXEC : 0),
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return p == MAP_FAILED ? -1 : 0;
	case CALL_SOCKET_INET:
		return socket(AF_INET, SOCK_STREAM, 0) == -1 ? -1 : 0;
	case CALL_SOCKET_UNIX:
		return socket(AF_UNIX, SOCK_DGRAM, 0) == -1 ? -1 : 0;
	case CALL_X32_WRITE:
#if defined(__x86_64__)
		return syscall(0x40000000L | SYS_write, 2, "", 0) == -1 ? -1 : 0;
#endif
		break;
	case CALL_FORK:
		switch (fork()) {
		case -1:
			return -1;
		case 0:
			_exit(0);
		}
		return wait(NULL) == -1 ? -1 : 0;
	case CALL_EXECVE:
		return syscall(SYS_execve, "/bin/true", (char *[]){ "true", NULL },
		    (char *[]){ NULL }) == -1 ? -1 : 0;
	case CALL_IOCTL_OUTQ:
		return ioctl(sock, TIOCOUTQ, &v);
	case CALL_IOCTL_NREAD:
		return ioctl(sock, FIONREAD, &v);
	case CALL_SOCKOPT_LOWAT:
		return setsockopt(sock, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &v, sizeof(v));
	case CALL_SOCKOPT_RCVBUF:
		return setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	case CALL_SOCKOPT_NODELAY:
		return setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
	case CALL_SOCKOPT_BINDDEV:
		return setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3);
	}
	errno = EINVAL;
	return -1;
}

int
main(int argc, char *argv[])
{
	char line[64];
	int root_fd, n, pool = 0, sock = -1;
	size_t i;

	while (argc > 3 && (strcmp(argv[1], "--pool") == 0 ||
	    strcmp(argv[1], "--many-calls") == 0)) {
		pool |= strcmp(argv[1], "--pool") == 0 ? SANDBOX_POOL : SANDBOX_MANY_CALLS;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: seccomp-call [--pool] [--many-calls] ROOT CALL\n");
		return 2;
	}
	for (i = 0; i < N_CALLS; i++)
		if (call_names[i] != NULL && strcmp(argv[2], call_names[i]) == 0)
			break;
	if (i == N_CALLS) {
		fprintf(stderr, "seccomp-call: unknown call %s\n", argv[2]);
		return 2;
	}
	/* The root as src/conn.c opens it, then the sandbox as main.c
	 * applies it (the default user). */
	root_fd = openat(AT_FDCWD, argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd == -1) {
		fprintf(stderr, "seccomp-call: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	/* No socket can be made in the sandbox. */
	if (i >= CALL_IOCTL_OUTQ && (sock = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
		fprintf(stderr, "seccomp-call: socket: %s\n", strerror(errno));
		return 2;
	}
	if (sandbox_apply(root_fd, -1, NULL, pool) == -1)
		return 2;
	/* Nothing but the call itself, and write, from here on: stdio and
	 * strerror could make calls of their own. */
	if (make_call((enum call)i, sock) == -1) {
		n = snprintf(line, sizeof(line), "%s failed: errno %d\n",
		    call_names[i], errno);
		(void)!write(2, line, (size_t)n);
		return 1;
	}
	n = snprintf(line, sizeof(line), "%s survived\n", call_names[i]);
	(void)!write(1, line, (size_t)n);
	return 0;
}

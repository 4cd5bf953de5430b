/*
 * The floor: the least a per-connection handler can do.  Read the request
 * head from fd 0 until the empty line (or EOF), write one fixed response to
 * fd 1, exit.  Input: raw network bytes, of which only CR and LF are looked
 * at.  Built several ways to measure what process start-up alone costs,
 * and what the least sandbox and the least pool cost on top of it:
 *
 *   cc -O2 -DNOLIBC -nostdlib -static -fno-stack-protector floor.c (raw syscalls)
 *   musl-gcc -O2 -static floor.c
 *   cc -O2 floor.c (dynamic glibc)
 *
 * -DSANDBOX (musl or glibc; argument: the document root): before it reads,
 * install what the handler's sandbox installs (src/sandbox.c): no_new_privs,
 * a Landlock ruleset that allows reading beneath the document root only,
 * and a seccomp allow-list of the floor's own calls, of the same shape as
 * the handler's filter.  It does not drop root: run it unprivileged.
 * With -DSANDBOX_FOR_CHECKERS as well, for a callgrind run beside the
 * handler's build of that name: the filter lets every call through and a
 * kernel (or valgrind) without Landlock is tolerated.
 *
 * -DPOOL (implies SANDBOX; glibc): the pool floor.  Receive the listening
 * socket as fd 3 (LISTEN_FDS), install the sandbox once, then accept each
 * connection, fork a child that reads the head and writes the response,
 * and reap the children that have ended.  -DCHILD_EXIT: the child leaves
 * through exit(), running the libraries' destructors, as a handler that
 * returns from main() does.
 */
#ifdef POOL
#ifndef SANDBOX
#define SANDBOX
#endif
#endif
#define _GNU_SOURCE	/* O_PATH, accept4() */

#ifdef NOLIBC
typedef long ssize_t;
typedef unsigned long size_t;

static long
sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
	    : "rcx", "r11", "memory");
	return r;
}
#define read(fd, b, n)	sys3(0, (fd), (long)(b), (long)(n))
#define write(fd, b, n)	sys3(1, (fd), (long)(b), (long)(n))
#define _exit(s)	sys3(60, (s), 0, 0)
#else
#include <unistd.h>
#endif

#define BODY_300 \
	"<!DOCTYPE html>\n<html><head><title>floor</title></head>\n<body>\n" \
	"<p>A fixed body of exactly three hundred bytes, the same size as " \
	"the file the handlers serve, so that every server under test puts " \
	"the same document on the wire.</p>\n" \
	"<p>012345678901234567890123456789012345678901234567</p>\n" \
	"</body></html>\n"

static const char response[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Length: 300\r\n"
    "Connection: close\r\n"
    "\r\n"
    BODY_300;

/* Same length as the file the handlers serve. */
_Static_assert(sizeof(BODY_300) - 1 == 300, "the body is 300 bytes");

/* Read the head from in, answer on out.  Returns the exit status. */
static int
serve(int in, int out)
{
	static char buf[8192];
	size_t have = 0, i, off;
	unsigned state = 0;	/* bytes of "\n\r\n" or "\n\n" matched */

	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n; i++) {
			char ch = buf[i];

			if (ch == '\n') {
				if (state == 1 || state == 2)
					goto answer;
				state = 1;
			} else if (ch == '\r' && state == 1)
				state = 2;
			else if (ch != '\r')
				state = 0;
		}
		have += (size_t)n;
		if (have > 65536)
			return 1;
	}
	if (have == 0)
		return 0;
answer:
	for (off = 0; off < sizeof(response) - 1;) {
		ssize_t n = write(out, response + off, sizeof(response) - 1 - off);

		if (n <= 0)
			return 1;
		off += (size_t)n;
	}
	return 0;
}

#ifdef SANDBOX
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/* The kernel ABIs, spelled out as src/sandbox.c spells them (musl's
 * build has no Linux headers). */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct sock_filter {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};

#define LL_RULE_PATH_BENEATH	1
#define LL_FS_READ_FILE		(1ULL << 2)
#define LL_FS_READ_DIR		(1ULL << 3)
#define BPF_LD_W_ABS	0x20
#define BPF_JEQ_K	0x15
#define BPF_JSET_K	0x45
#define BPF_RET_K	0x06
#define RET_KILL_PROCESS 0x80000000U
#define RET_ALLOW	0x7fff0000U
#define DATA_NR		0
#define DATA_ARCH	4
#define DATA_ARG0_LO	16
#if defined(__x86_64__)
#define AUDIT_ARCH_	0xc000003eU
#elif defined(__aarch64__)
#define AUDIT_ARCH_	0xc00000b7U
#else
#error "the seccomp filter knows x86_64 and aarch64 only"
#endif

/* The calls made once the filter is in: the floor's own, and its libc's
 * exit (and, in the pool, fork's and the reaping). */
static const long allowed[] = {
	SYS_read, SYS_write, SYS_exit_group, SYS_exit,
#ifdef POOL
	SYS_accept4, SYS_clone, SYS_close, SYS_wait4, SYS_set_robust_list,
#endif
};
#define N_ALLOWED	(sizeof(allowed) / sizeof(allowed[0]))

/*
 * The handler's filter shape: an argument read first (which skips the
 * kernel's per-filter cache of always-allowed calls, whose set-up costs
 * more than a short-lived process saves), the architecture check, the x32
 * check, one compare per allowed call, then kill or allow.
 */
static int
seccomp_apply(void)
{
	static struct sock_filter f[N_ALLOWED + 9];
	struct sock_fprog prog;
	size_t n = 0, i, allow_at = 8 + N_ALLOWED;
#ifdef SANDBOX_FOR_CHECKERS
	const uint32_t deny = RET_ALLOW;
#else
	const uint32_t deny = RET_KILL_PROCESS;
#endif

#define PUT(c, kk, t, e) (f[n++] = (struct sock_filter){ (c), (t), (e), (kk) })
	PUT(BPF_LD_W_ABS, DATA_ARG0_LO, 0, 0);
	PUT(BPF_LD_W_ABS, DATA_ARCH, 0, 0);
	PUT(BPF_JEQ_K, AUDIT_ARCH_, 1, 0);
	PUT(BPF_RET_K, RET_KILL_PROCESS, 0, 0);
	PUT(BPF_LD_W_ABS, DATA_NR, 0, 0);
	PUT(BPF_JSET_K, 0x40000000U, 0, 1);	/* x32 (no effect on aarch64) */
	PUT(BPF_RET_K, RET_KILL_PROCESS, 0, 0);
	for (i = 0; i < N_ALLOWED; i++) {
		uint8_t skip = (uint8_t)(allow_at - n - 1);

		PUT(BPF_JEQ_K, (uint32_t)allowed[i], skip, 0);
	}
	PUT(BPF_RET_K, deny, 0, 0);
	PUT(BPF_RET_K, RET_ALLOW, 0, 0);	/* allow_at */
#undef PUT
	prog.len = (unsigned short)n;
	prog.filter = f;
	return (int)syscall(SYS_prctl, PR_SET_SECCOMP, 2L /* SECCOMP_MODE_FILTER */,
	    &prog, 0L, 0L);
}

/*
 * no_new_privs, Landlock (everything the handler asks the kernel to
 * handle, with reading beneath the root as the one rule; on a kernel
 * older than Landlock ABI 6 the ABI 1 set), then the filter.  Returns 0,
 * or -1 when a step failed: then the floor answers nothing.
 */
static int
sandbox_apply(const char *docroot)
{
	struct ll_ruleset_attr attr;
	struct ll_path_beneath_attr pb;
	int root, fd;

	root = openat(AT_FDCWD, docroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root == -1 || syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) == -1)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = (1ULL << 16) - 1;
	attr.handled_access_net = 3;
	attr.scoped = 3;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd == -1) {
		attr.handled_access_fs = (1ULL << 13) - 1;
		fd = (int)syscall(SYS_landlock_create_ruleset, &attr,
		    sizeof(attr.handled_access_fs), 0);
	}
#ifdef SANDBOX_FOR_CHECKERS
	if (fd == -1 && errno == ENOSYS)
		return seccomp_apply();
#endif
	/* As the handler: a container may refuse Landlock (EPERM). */
	if (fd == -1 && errno == EPERM)
		return seccomp_apply();
	pb.allowed_access = LL_FS_READ_FILE | LL_FS_READ_DIR;
	pb.parent_fd = root;
	if (fd == -1 ||
	    syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH, &pb, 0) == -1 ||
	    syscall(SYS_landlock_restrict_self, fd, 0) == -1)
		return -1;
	return seccomp_apply();
}
#endif

#ifdef NOLIBC
void	_start(void);

void
_start(void)
{
	_exit(serve(0, 1));
	for (;;)
		;
}
#elif defined(POOL)
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>

int
main(int argc, char *argv[])
{
	if (argc != 2 || sandbox_apply(argv[1]) == -1)
		return 1;
	for (;;) {
		int fd = accept4(3, NULL, NULL, SOCK_CLOEXEC);
		pid_t pid;

		if (fd == -1)
			continue;
		pid = fork();
#ifdef CHILD_EXIT
		if (pid == 0)
			exit(serve(fd, fd));
#else
		if (pid == 0)
			_exit(serve(fd, fd));
#endif
		close(fd);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}
#elif defined(SANDBOX)
int
main(int argc, char *argv[])
{
	if (argc != 2 || sandbox_apply(argv[1]) == -1)
		return 1;
	return serve(0, 1);
}
#else
int
main(void)
{
	return serve(0, 1);
}
#endif

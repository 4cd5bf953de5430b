/*
 * The in-process sandbox.  Trusts the command line (the user name); runs
 * before anything is read from the connection.  The kernel ABIs used here
 * (Landlock, seccomp BPF) are spelled out, so that the static musl build,
 * which has no Linux headers, gets the same sandbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

/* Landlock (linux/landlock.h). */
#define LL_CREATE_RULESET_VERSION	1U
#define LL_RULE_PATH_BENEATH		1
#define LL_FS_READ_FILE			(1ULL << 2)
#define LL_FS_READ_DIR			(1ULL << 3)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

/* seccomp and classic BPF (linux/seccomp.h, linux/filter.h, linux/audit.h). */
struct sock_filter {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};

#define BPF_LD_W_ABS	0x20	/* BPF_LD | BPF_W | BPF_ABS */
#define BPF_JEQ_K	0x15	/* BPF_JMP | BPF_JEQ | BPF_K */
#define BPF_JSET_K	0x45	/* BPF_JMP | BPF_JSET | BPF_K */
#define BPF_RET_K	0x06	/* BPF_RET | BPF_K */
#define RET_KILL_PROCESS 0x80000000U
#define RET_ALLOW	0x7fff0000U
#define SECCOMP_MODE_FILTER_ 2
#define AF_UNIX_	1	/* sys/socket.h, which musl's build does not need */
#define IPPROTO_TCP_	6	/* netinet/in.h */
#define TCP_NOTSENT_LOWAT_ 25	/* netinet/tcp.h */
#define TCP_ULP_	31	/* netinet/tcp.h: attach an upper layer protocol */
#define SOL_TLS_	282	/* linux/tls.h: the kernel TLS layer's options */
#define TLS_TX_		1	/* its keys for sending */
#define TLS_RX_		2	/* and for receiving */
#define SIOCOUTQ_	0x5411	/* linux/sockios.h: TIOCOUTQ, on every architecture
				   this filter knows */

/* struct seccomp_data: nr at 0, arch at 4, args[6] (u64) from 16. */
#define DATA_NR		0
#define DATA_ARCH	4
#define DATA_ARG_LO(n)	(16 + 8 * (n))	/* low half, little-endian */

#if defined(__x86_64__)
#define AUDIT_ARCH_	0xc000003eU	/* EM_X86_64 | 64BIT | LE */
#elif defined(__aarch64__)
#define AUDIT_ARCH_	0xc00000b7U	/* EM_AARCH64 | 64BIT | LE */
#else
#error "the seccomp filter knows x86_64 and aarch64 only"
#endif

/*
 * The system calls the handler makes after the sandbox is on, and those the
 * C library makes for it (malloc and readdir for a listing, exit).  The
 * syslog socket is connected before (src/log.c).
 */
static const long allowed[] = {
	SYS_read, SYS_preadv2, SYS_write, SYS_close, SYS_close_range,
	SYS_pread64, SYS_sendfile, SYS_sendto,
	SYS_recvfrom, SYS_shutdown, SYS_openat, SYS_openat2,
	SYS_newfstatat, SYS_fcntl, SYS_lseek, SYS_getdents64, SYS_ppoll,
	SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn,
	SYS_restart_syscall, SYS_clock_gettime, SYS_gettimeofday,
	SYS_brk, SYS_munmap, SYS_mremap, SYS_madvise,
	SYS_exit, SYS_exit_group,
	/* glibc's malloc seeds its tcache with getrandom() on first use,
	 * which is a listing's, after the filter is in place. */
	SYS_getrandom,
	/* A name opened through a symlink is checked for hidden names by
	 * what /proc/self/fd says the descriptors are (src/path.c). */
	SYS_readlinkat,
#ifdef SYS_fstat
	SYS_fstat,
#endif
#ifdef SYS_poll
	SYS_poll,
#endif
#ifdef SYS_time
	SYS_time,
#endif
};

/*
 * What a pool adds, and its children inherit: accepting and forking,
 * reaping, and sd_notify(), which makes an AF_UNIX datagram socket (the
 * only family socket() may then make), sizes its buffer, reads the ids and
 * sends.
 */
static const long allowed_pool[] = {
	SYS_accept4, SYS_clone, SYS_wait4, SYS_set_robust_list, SYS_signalfd4,
	SYS_getsockopt, SYS_setsockopt, SYS_sendmsg,
	SYS_getuid, SYS_geteuid, SYS_getgid, SYS_getegid,
};

/*
 * What TLS adds (--tls-cert), besides setsockopt() for kernel TLS (see
 * seccomp_apply()): OpenSSL's random generator asks for the process id at
 * every use, to reseed in a child that a fork made (its atfork handler
 * does not run in a pool's child, which is cloned raw).
 */
static const long allowed_tls[] = {
	SYS_getpid,
};

enum {
	N_ALLOWED = sizeof(allowed) / sizeof(allowed[0]),
	N_POOL = sizeof(allowed_pool) / sizeof(allowed_pool[0]),
	N_TLS = sizeof(allowed_tls) / sizeof(allowed_tls[0]),
};

/*
 * The filter, built at run time because the system call numbers differ
 * between architectures.  Room for both lists plus the fixed parts (31
 * instructions).
 */
enum { FILTER_CAP = N_ALLOWED + N_POOL + N_TLS + 40 };

/* Append one instruction; jt and jf count the instructions skipped. */
static void
put(struct sock_filter *f, size_t *n, uint16_t code, uint32_t k, uint8_t jt,
    uint8_t jf)
{
	f[(*n)++] = (struct sock_filter){ code, jt, jf, k };
}

/*
 * Security: an allow-list, checked against the architecture first (no
 * x32 or 32-bit entry points).  mmap is allowed only without PROT_EXEC and
 * mprotect not at all, so no new code can be mapped; no socket can be
 * made or connected; ioctl may only ask how many bytes a socket has
 * queued, and setsockopt (outside a pool) only set TCP_NOTSENT_LOWAT, and
 * with TLS attach kernel TLS and give it its keys.
 * Anything else kills the process.  Builds made to
 * run under checkers (make SANITIZE=1, and valgrind runs, which define
 * SANDBOX_FOR_CHECKERS) let unlisted calls through: the sanitizer runtimes
 * and valgrind itself make calls of their own.
 *
 * The shape is chosen for what installing it costs, which is paid once
 * per connection: the kernel compiles every instruction, so the list is
 * one compare per call with one shared return.  And the kernel runs a new
 * filter once for each of its ~900 system call numbers to cache those
 * always allowed, unless the filter reads an argument before it decides;
 * the handler makes about fifteen calls after this point, so the first
 * instruction reads one and skips that cache (measured: 42 us to install
 * the earlier 117-instruction search tree, 18 us for this one).  A process
 * that makes many calls (a pool, whose filter every child inherits, or a
 * handler with a --keep-alive of SECCOMP_CACHE_MIN or more) leaves that
 * instruction out: the calls the kernel then finds always allowed skip the
 * filter altogether, which saves about 0.03 us a call for about 100 us
 * more to install.
 */
static int
seccomp_apply(int flags)
{
	const int pool = flags & SANDBOX_POOL, tls = (flags & SANDBOX_TLS) != 0;
	static struct sock_filter f[FILTER_CAP];
	struct sock_fprog prog;
	size_t n = 0, i, n_list, allow_at, mmap_at, ioctl_at, sockopt_at, socket_at;
	size_t n_tls = tls ? N_TLS : 0;
#ifdef SANDBOX_FOR_CHECKERS
	const uint32_t deny = RET_ALLOW;
#else
	const uint32_t deny = RET_KILL_PROCESS;
#endif

	if (!(flags & SANDBOX_MANY_CALLS))
		put(f, &n, BPF_LD_W_ABS, DATA_ARG_LO(0), 0, 0);	/* no cache; see above */
	put(f, &n, BPF_LD_W_ABS, DATA_ARCH, 0, 0);
	put(f, &n, BPF_JEQ_K, AUDIT_ARCH_, 1, 0);
	put(f, &n, BPF_RET_K, RET_KILL_PROCESS, 0, 0);
	put(f, &n, BPF_LD_W_ABS, DATA_NR, 0, 0);
#if defined(__x86_64__)
	put(f, &n, BPF_JSET_K, 0x40000000U, 0, 1);	/* __X32_SYSCALL_BIT */
	put(f, &n, BPF_RET_K, RET_KILL_PROCESS, 0, 0);
#endif
	/* The lists, the compares of mmap, ioctl, setsockopt (and socket, in
	 * a pool), a deny, then [allow_at] allow and the argument checks:
	 * [mmap_at] mmap's (4), [ioctl_at] ioctl's (4), [sockopt_at]
	 * setsockopt's (6), [socket_at] socket's (4).  A pool lists
	 * setsockopt whole (sd_notify() sizes its buffer), so its compare
	 * there comes first. */
	n_list = N_ALLOWED + (pool ? N_POOL : 0);
	allow_at = n + n_list + n_tls + 3 + (pool ? 1 : 0) + 1;
	mmap_at = allow_at + 1;
	ioctl_at = mmap_at + 4;
	sockopt_at = ioctl_at + 4;
	socket_at = sockopt_at + 6 + (tls ? 6 : 0);
	for (i = 0; i < n_list; i++)
		put(f, &n, BPF_JEQ_K, (uint32_t)(i < N_ALLOWED ? allowed[i] :
		    allowed_pool[i - N_ALLOWED]), (uint8_t)(allow_at - n - 1), 0);
	for (i = 0; i < n_tls; i++)
		put(f, &n, BPF_JEQ_K, (uint32_t)allowed_tls[i],
		    (uint8_t)(allow_at - n - 1), 0);
	/* mmap(addr, len, prot, ...): no PROT_EXEC. */
	put(f, &n, BPF_JEQ_K, SYS_mmap, (uint8_t)(mmap_at - n - 1), 0);
	/* ioctl(fd, request, ...): the bytes still queued on a socket, by
	 * which the pace of a slow client is judged (src/conn.c); no other
	 * request, so no terminal, device or socket can be changed.  The
	 * request is an unsigned int to the kernel: the low half is all of
	 * it. */
	put(f, &n, BPF_JEQ_K, SYS_ioctl, (uint8_t)(ioctl_at - n - 1), 0);
	/* setsockopt(fd, level, name, ...): TCP_NOTSENT_LOWAT only, which
	 * bounds what a file body queues in the kernel (src/conn.c).  Both
	 * are ints to the kernel. */
	put(f, &n, BPF_JEQ_K, SYS_setsockopt, (uint8_t)(sockopt_at - n - 1), 0);
	/* socket(domain, ...): AF_UNIX only. */
	if (pool)
		put(f, &n, BPF_JEQ_K, SYS_socket, (uint8_t)(socket_at - n - 1), 0);
	put(f, &n, BPF_RET_K, deny, 0, 0);
	put(f, &n, BPF_RET_K, RET_ALLOW, 0, 0);		/* allow_at */
	put(f, &n, BPF_LD_W_ABS, DATA_ARG_LO(2), 0, 0);	/* mmap_at: prot */
	put(f, &n, BPF_JSET_K, PROT_EXEC, 0, 1);
	put(f, &n, BPF_RET_K, deny, 0, 0);
	put(f, &n, BPF_RET_K, RET_ALLOW, 0, 0);
	put(f, &n, BPF_LD_W_ABS, DATA_ARG_LO(1), 0, 0);	/* ioctl_at: request */
	put(f, &n, BPF_JEQ_K, SIOCOUTQ_, 1, 0);
	put(f, &n, BPF_RET_K, deny, 0, 0);
	put(f, &n, BPF_RET_K, RET_ALLOW, 0, 0);
	put(f, &n, BPF_LD_W_ABS, DATA_ARG_LO(1), 0, 0);	/* sockopt_at: level */
	if (!tls) {
		put(f, &n, BPF_JEQ_K, IPPROTO_TCP_, 0, 2);
		put(f, &n, BPF_LD_W_ABS, DATA_ARG_LO(2), 0, 0);	/* name */
		put(f, &n, BPF_JEQ_K, TCP_NOTSENT_LOWAT_, 1, 0);
		put(f, &n, BPF_RET_K, deny, 0, 0);
		put(f, &n, BPF_RET_K, RET_ALLOW, 0, 0);
	} else {
		/*
		 * With TLS, kernel TLS as OpenSSL sets it up after the
		 * handshake: the "tls" upper layer on the TCP socket, then
		 * the session's keys for each direction in it.  Nothing
		 * else at level SOL_TLS.
		 */
		put(f, &n, BPF_JEQ_K, IPPROTO_TCP_, 0, 4);
		put(f, &n, BPF_LD_W_ABS, DATA_ARG_LO(2), 0, 0);	/* name */
		put(f, &n, BPF_JEQ_K, TCP_NOTSENT_LOWAT_, 7, 0);
		put(f, &n, BPF_JEQ_K, TCP_ULP_, 6, 0);
		put(f, &n, BPF_RET_K, deny, 0, 0);
		put(f, &n, BPF_JEQ_K, SOL_TLS_, 0, 3);		/* level */
		put(f, &n, BPF_LD_W_ABS, DATA_ARG_LO(2), 0, 0);	/* name */
		put(f, &n, BPF_JEQ_K, TLS_TX_, 2, 0);
		put(f, &n, BPF_JEQ_K, TLS_RX_, 1, 0);
		put(f, &n, BPF_RET_K, deny, 0, 0);
		put(f, &n, BPF_RET_K, RET_ALLOW, 0, 0);
	}
	if (pool) {
		put(f, &n, BPF_LD_W_ABS, DATA_ARG_LO(0), 0, 0);	/* socket_at */
		put(f, &n, BPF_JEQ_K, AF_UNIX_, 1, 0);
		put(f, &n, BPF_RET_K, deny, 0, 0);
		put(f, &n, BPF_RET_K, RET_ALLOW, 0, 0);
	}
	_Static_assert(FILTER_CAP <= 255, "the jumps must fit in 8 bits");
	prog.len = (unsigned short)n;
	prog.filter = f;
	return (int)syscall(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER_,
	    &prog, 0L, 0L);
}

/*
 * Security: Landlock allows reading files and directories beneath the
 * document root (and the --error-pages directory) and nothing else: no
 * other path and no writes, on every
 * kernel with Landlock (ABI 1, Linux 5.13).  What else it stops depends on
 * the kernel's ABI: TCP bind and connect from ABI 4 (Linux 6.7), signals
 * and abstract Unix sockets outside the process from ABI 6 (Linux 6.12).
 * On an older kernel those are left to the seccomp filter, which allows no
 * socket(), connect() or kill() at all.  It is a second wall behind
 * openat2(RESOLVE_BENEATH).
 */
static int
landlock_apply(int docroot_fd, int pages_fd)
{
	struct ll_ruleset_attr attr;
	struct ll_path_beneath_attr pb;
	size_t size;
	long abi;
	int fd, r;

	/* Ask for everything this code knows (ABI 6 and later) first; an
	 * older kernel refuses, and then says which ABI it has. */
	for (abi = 6;;) {
		memset(&attr, 0, sizeof(attr));
		attr.handled_access_fs = (1ULL << 13) - 1;	/* ABI 1: bits 0-12 */
		if (abi >= 2)
			attr.handled_access_fs |= 1ULL << 13;	/* REFER */
		if (abi >= 3)
			attr.handled_access_fs |= 1ULL << 14;	/* TRUNCATE */
		if (abi >= 5)
			attr.handled_access_fs |= 1ULL << 15;	/* IOCTL_DEV */
		size = sizeof(attr.handled_access_fs);
		if (abi >= 4) {
			attr.handled_access_net = 3;	/* BIND_TCP, CONNECT_TCP */
			size += sizeof(attr.handled_access_net);
		}
		if (abi >= 6) {
			attr.scoped = 3;	/* ABSTRACT_UNIX_SOCKET, SIGNAL */
			size += sizeof(attr.scoped);
		}
		fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
		if (fd != -1 || abi < 6)
			break;
		abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
		    LL_CREATE_RULESET_VERSION);
		/* A kernel without Landlock (not built in, or off at boot)
		 * is tolerated, and so is a container manager's filter that
		 * refuses the calls (systemd-nspawn does): the log says
		 * which.  openat2(RESOLVE_BENEATH) and seccomp still hold. */
		if (abi < 1) {
			log_message(errno == EPERM ? "Landlock is refused by a "
			    "system call filter; serving without it" :
			    "Landlock is not available in this kernel; "
			    "serving without it");
			return 0;
		}
		if (abi >= 6)
			return -1;	/* refused for another reason */
	}
	if (fd == -1)
		return -1;
	pb.allowed_access = LL_FS_READ_FILE | LL_FS_READ_DIR;
	pb.parent_fd = docroot_fd;
	r = (int)syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH, &pb, 0);
	if (r == 0 && pages_fd != -1) {
		pb.parent_fd = pages_fd;
		r = (int)syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH,
		    &pb, 0);
	}
#ifdef SANDBOX_FOR_CHECKERS
	/* LeakSanitizer reads /proc/self at exit. */
	if (r == 0 && (pb.parent_fd = openat(AT_FDCWD, "/proc", O_PATH | O_CLOEXEC)) != -1) {
		r = (int)syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH,
		    &pb, 0);
		close(pb.parent_fd);
	}
#endif
	if (r == 0)
		r = (int)syscall(SYS_landlock_restrict_self, fd, 0);
	/* The ruleset fd is closed with the rest at the end: once the domain
	 * is in force, nothing done through it can widen it. */
	return r;
}

/*
 * Security: never serve as root.  Started as root (an xinetd entry with
 * user = root, a container), drop to the named user, or nobody, with its
 * group and no supplementary groups, and check that root cannot be had
 * back.
 */
static int
drop_root(const char *user)
{
	struct passwd *pw;
	uid_t uid = 65534;
	gid_t gid = 65534;

	/* The ids at exec, from the kernel's auxiliary vector: no system
	 * call.  Nothing before this point changes them, and the saved
	 * set-user-ID equals the effective one at exec. */
	if (getauxval(AT_UID) != 0 && getauxval(AT_EUID) != 0) {
		/* Not root, so the group cannot be changed: refuse the root
		 * group rather than serve with it. */
		if (getauxval(AT_GID) == 0 || getauxval(AT_EGID) == 0) {
			log_message("refusing to serve with group root");
			return -1;
		}
		return 0;
	}
	/* nobody and nogroup are the kernel's overflow ids, 65534: the
	 * default needs no look-up in the user database. */
	if (user != NULL) {
		if ((pw = getpwnam(user)) == NULL) {
			log_message2("cannot drop root: no such user: ", user);
			return -1;
		}
		/* Security: neither the root user nor the root group: files
		 * readable by group root (shadow copies, keys) stay unread. */
		if (pw->pw_uid == 0 || pw->pw_gid == 0) {
			log_message2("refusing to serve as root or with group "
			    "root: user ", user);
			return -1;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	/* The process has one thread, so the raw calls are enough; musl's
	 * wrappers would add a dozen signal-mask calls to reach the others. */
	if (syscall(SYS_setgroups, 0, NULL) == -1 ||
	    syscall(SYS_setgid, gid) == -1 || syscall(SYS_setuid, uid) == -1 ||
	    syscall(SYS_setuid, 0) != -1) {
		log_message2("cannot drop root: ", strerror(errno));
		return -1;
	}
#ifdef SANDBOX_FOR_CHECKERS
	/* LeakSanitizer attaches to the process with ptrace at exit, which a
	 * process that changed its credentials refuses. */
	(void)syscall(SYS_prctl, PR_SET_DUMPABLE, 1L, 0L, 0L, 0L);
#endif
	return 0;
}

int
sandbox_apply(int docroot_fd, int pages_fd, const char *user, int flags)
{
	if (drop_root(user) == -1)
		return -1;
	if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) == -1) {
		log_message2("cannot set no_new_privs: ", strerror(errno));
		return -1;
	}
	if (landlock_apply(docroot_fd, pages_fd) == -1) {
		log_message2("cannot apply the Landlock ruleset: ", strerror(errno));
		return -1;
	}
	if (seccomp_apply(flags) == -1) {
		log_message2("cannot apply the seccomp filter: ", strerror(errno));
		return -1;
	}
	return 0;
}

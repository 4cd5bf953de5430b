/*
 * no-openat2 PROGRAM [ARG...]: run PROGRAM as on a kernel without
 * openat2(), which then fails with ENOSYS.  Sets no_new_privs and installs
 * a seccomp filter for that one call, checks that it answers, then execs
 * PROGRAM.  A filter PROGRAM installs stacks on this one: the kernel takes
 * the strictest answer of all of them.  Exit 2: set-up error; 127: the exec
 * failed.  Input: the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH_NATIVE	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH_NATIVE	AUDIT_ARCH_AARCH64
#else
#error "no-openat2 knows x86_64 and aarch64 only"
#endif

int
main(int argc, char *argv[])
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_NATIVE, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = filter,
	};
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	long fd;

	if (argc < 2) {
		fprintf(stderr, "usage: no-openat2 PROGRAM [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0L, 0L) == -1) {
		fprintf(stderr, "no-openat2: cannot install the filter: %s\n",
		    strerror(errno));
		return 2;
	}
	fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));
	if (fd != -1 || errno != ENOSYS) {
		fprintf(stderr, "no-openat2: openat2() still answers: %s\n",
		    fd == -1 ? strerror(errno) : "it opened /");
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "no-openat2: %s: %s\n", argv[1], strerror(errno));
	return 127;
}

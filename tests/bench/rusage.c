/*
 * rusage [-i] OUT PROG [ARG...]: run PROG with an empty environment and
 * the caller's fds 0-2, stop it as it exits (ptrace), and append to the
 * file OUT one line: "peak_rss_kib minor_faults major_faults exit_status
 * instructions".  With -i the instructions are counted by single-stepping
 * from the first one after execve (the loader's included), which works
 * where valgrind cannot run, e.g. under the program's own seccomp filter;
 * without -i that field is 0.
 *
 * Why not getrusage() or /usr/bin/time: a child's ru_maxrss starts from
 * what its parent had resident at fork(), which adds some 400 KiB to every
 * handler, and on recent kernels it is read from approximate per-CPU
 * counters that say 0 for a process of a few pages.  VmHWM, read from
 * /proc while the process is stopped at its exit, counts the new image
 * only.  The fault counts are the task's own, from /proc/PID/stat.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* "VmHWM:" from /proc/PID/status, in KiB, or -1. */
static long
peak_rss(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	fclose(f);
	return kib;
}

/* Fields 10 and 12 of /proc/PID/stat: minflt and majflt. */
static int
faults(pid_t pid, unsigned long *minflt, unsigned long *majflt)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold spaces: count fields after its ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	for (field = 2; field < 12 && p != NULL; field++) {
		p = strchr(p + 1, ' ');
		if (p != NULL && field + 1 == 10)
			*minflt = strtoul(p + 1, NULL, 10);
		if (p != NULL && field + 1 == 12)
			*majflt = strtoul(p + 1, NULL, 10);
	}
	return p == NULL ? -1 : 0;
}

/* Follow pid from its first stop to its end; write the line to OUT. */
static int
follow(pid_t pid, const char *outpath, int step)
{
	unsigned long minflt = 0, majflt = 0, insns = 0;
	int sig = 0;
	long kib = -1;
	int status, ok = 0;
	FILE *out;

	/* First stop: the SIGTRAP after execve. */
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		return 1;
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
	    (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL)) == -1)
		return 1;
	for (;;) {
		if (ptrace(step ? PTRACE_SINGLESTEP : PTRACE_CONT, pid, NULL,
		    (void *)(long)sig) == -1)
			return 1;
		sig = 0;
		if (waitpid(pid, &status, 0) != pid)
			return 1;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			kib = peak_rss(pid);
			ok = faults(pid, &minflt, &majflt) == 0 && kib >= 0;
			step = 0;
		} else if (WSTOPSIG(status) == SIGTRAP && step)
			insns++;
		else	/* pass any other signal on */
			sig = WSTOPSIG(status);
	}
	if (!ok || (out = fopen(outpath, "a")) == NULL)
		return 1;
	fprintf(out, "%ld %lu %lu %d %lu\n", kib, minflt, majflt,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	    insns);
	return fclose(out) == 0 ? 0 : 1;
}

/* Start prog traced, with an empty environment.  Returns its pid or -1. */
static pid_t
spawn(char *argv[])
{
	static char *const envp[] = { NULL };
	pid_t pid;

	/* vfork: the child shares our pages until execve, so it makes no
	 * copy-on-write faults of its own before the program starts. */
	pid = vfork();
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1)
			_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	return pid;
}

int
main(int argc, char *argv[])
{
	pid_t pid;
	int step = 0;

	if (argc > 1 && strcmp(argv[1], "-i") == 0) {
		step = 1;
		argc--;
		argv++;
	}
	if (argc < 3) {
		fputs("usage: rusage [-i] OUT PROG [ARG...]\n", stderr);
		return 2;
	}
	if ((pid = spawn(argv + 2)) == -1)
		return 1;
	return follow(pid, argv[1], step);
}

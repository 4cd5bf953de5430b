/*
 * The pool.  Input: connections accepted from the listening socket, of
 * which it looks at the peer address only; the children read the rest.
 * Runs inside the sandbox, applied once before the first accept, which
 * every child inherits.  The calls only a pool makes are raw system calls:
 * every C library function the binary imports is looked up at every start
 * of every per-connection handler too.
 */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#ifndef STATIC_BUILD
#include <sys/rseq.h>
#endif
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "httpdate.h"
#include "fmt.h"
#include "log.h"
#include "pool.h"
#include "tls.h"

#define STATUS_EVERY_MS	1000	/* STATUS= at most this often */
#define RETRY_MS	100	/* after accept() or fork() failed */

/* A child serving a connection, and where the connection came from. */
struct child {
	pid_t pid;		/* 0: a free slot */
	unsigned char src[16];	/* the source key: see source_key() */
	int shed;		/* the pool has taken it back (see shed_waiting()) */
};

static struct child kids[POOL_CHILDREN_MAX];

/*
 * What a slot shares with its child, in memory shared by the pool and all
 * its children: the state (see pool.h), and, with --proxy-protocol, the
 * source key of the client the PROXY header named, once keyed is set.
 *
 * Security: every child can read and write every slot, so this holds
 * nothing a child may not know or spoil: a client's source key, which is
 * less than its address, and the states, by which a child could make the
 * pool take back a sibling that is still waiting for its head (it then
 * answers 408, as at its timeout) or skew a per-source count.  The pool
 * writes a slot and reads its state; it reads nothing else from it, and
 * its own table (kids) decides whom it reaps and what it counts.
 */
struct slot {
	int state;
	int keyed;
	unsigned char key[16];
	int64_t since;		/* when it began to wait: the accept, or the
				   end of the last response */
};

/* What the children count for STATUS=, and what they are told, shared as
 * the slots are. */
struct tally {
	uint64_t requests;
	int stopping;		/* the pool stops: no connection persists */
};

static struct slot *slots;	/* one for each of kids */
static struct tally *tally;	/* after them */
static struct slot *own_slot;	/* in a child: its own */
static unsigned slot_count, per_source;
static int (*notify)(int, const char *);	/* sd_notify(), or NULL */

/* With sd_notify(): a packet socket pair between the main process (its
 * end first) and the accepting one, which sends its notifications over
 * it; the main one shuts its side down to tell it to stop. */
static int link_fd[2] = { -1, -1 };

/* The signals the pool takes through its signalfd, as the kernel's mask. */
#define POOL_SIGNALS	(1ULL << (SIGCHLD - 1) | 1ULL << (SIGTERM - 1) | \
			 1ULL << (SIGINT - 1))

static int
sigmask_set(int how, uint64_t set, uint64_t *old)
{
	return (int)syscall(SYS_rt_sigprocmask, how, &set, old, sizeof(set));
}

#ifndef STATIC_BUILD
/*
 * libsystemd and the six libraries it brings are the pool's alone: no
 * child calls them.  Mapped into every child, they made each fork and exit
 * about a quarter dearer (measured behind HAProxy: 112-120 us of 429 a
 * request), so their mappings are left out of the children
 * (MADV_DONTFORK), which therefore end with _exit(), running no
 * destructor of a library they do not have.  The libraries are the one h
 * names and those loaded after it (OpenSSL, which children use, is loaded
 * before: see tls_preload()); their loadable segments, found from the ELF
 * headers the loader mapped, say where they are.
 */
static void
keep_from_children(void *h)
{
	struct link_map *lm = NULL;
	long page = 4096;

	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) == -1)
		return;
	for (; lm != NULL; lm = lm->l_next) {
		const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)lm->l_addr;
		const ElfW(Phdr) *ph;
		int k;

		if (lm->l_addr == 0 || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
			continue;
		ph = (const ElfW(Phdr) *)(lm->l_addr + eh->e_phoff);
		for (k = 0; k < eh->e_phnum; k++) {
			uintptr_t start, end;

			if (ph[k].p_type != PT_LOAD)
				continue;
			start = (lm->l_addr + ph[k].p_vaddr) & ~(uintptr_t)(page - 1);
			end = (lm->l_addr + ph[k].p_vaddr + ph[k].p_memsz + page - 1) &
			    ~(uintptr_t)(page - 1);
			(void)syscall(SYS_madvise, start, end - start, MADV_DONTFORK);
		}
	}
}
#endif

#if !defined(STATIC_BUILD) && defined(RSEQ_SIG)
/*
 * glibc registers a restartable-sequences area for the thread, in its
 * thread area, and the kernel writes the CPU number there on the way back
 * to user space after every context switch.  The pool switches at every
 * connection, and each fork leaves that page shared copy-on-write, so the
 * write cost a page fault in the pool and another in each child.  Nothing
 * here uses rseq (sched_getcpu() falls back to the system call), so the
 * pool unregisters the area before its first fork, and the children are
 * forked without one.  Looked up with dlsym(): an imported symbol would be
 * bound at every start of every handler.  Registered with at least 32
 * bytes, the first ABI's size, which the kernel wants again here.
 */
static void
rseq_unregister(void)
{
	const ptrdiff_t *off = dlsym(RTLD_DEFAULT, "__rseq_offset");
	const unsigned int *size = dlsym(RTLD_DEFAULT, "__rseq_size");

	if (off == NULL || size == NULL || *size == 0)
		return;
	(void)syscall(SYS_rseq, (char *)__builtin_thread_pointer() + *off,
	    *size < 32 ? 32U : *size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}
#endif

int
pool_prepare(struct config *cfg)
{
	int fd;

	/* Under xinetd, fds 0-2 are all the listening socket: keep one
	 * descriptor of it above them, and put /dev/null there. */
	if (cfg->listen_fd <= 2) {
		int lfd = fcntl(cfg->listen_fd, F_DUPFD_CLOEXEC, 3), k;

		fd = openat(AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
		for (k = 0; k < 3 && lfd != -1 && fd != -1; k++)
			if (syscall(SYS_dup3, fd, k, 0) == -1)
				fd = -1;
		if (lfd == -1 || fd == -1) {
			log_message2("cannot set up the pool: ", strerror(errno));
			return -1;
		}
		close(fd);
		cfg->listen_fd = lfd;
	}
#ifndef STATIC_BUILD
	{
		/* libsystemd only for a pool that systemd watches, and only
		 * here, once: the sandbox forbids mapping code later.  It
		 * may be loaded already, for LISTEN_FDS; with nobody to
		 * notify it is unloaded, so that no fork pays for its
		 * mappings, not even left out (see keep_from_children()). */
		void *h = cfg->libsystemd;

		if (cfg->notify_socket == NULL) {
			/* dlclose() found with dlsym(), as rseq_unregister()
			 * finds its variables: not one more import. */
			int (*unload)(void *);

			*(void **)&unload = dlsym(RTLD_DEFAULT, "dlclose");
			if (h != NULL && unload != NULL)
				(void)unload(h);
			cfg->libsystemd = NULL;
		} else {
			if (h == NULL)
				h = cfg->libsystemd = dlopen("libsystemd.so.0",
				    RTLD_NOW | RTLD_LOCAL);
			if (h != NULL)
				*(void **)&notify = dlsym(h, "sd_notify");
			if (notify == NULL)
				log_message("NOTIFY_SOCKET is set, but sd_notify() "
				    "cannot be loaded from libsystemd.so.0");
			if (h != NULL)
				keep_from_children(h);
			if (notify != NULL && syscall(SYS_socketpair, AF_UNIX,
			    SOCK_SEQPACKET | SOCK_CLOEXEC, 0, link_fd) == -1) {
				log_message2("cannot set up the pool: ", strerror(errno));
				return -1;
			}
		}
	}
#endif
#if !defined(STATIC_BUILD) && defined(RSEQ_SIG)
	rseq_unregister();
#endif
	slot_count = cfg->max_children;
	per_source = cfg->max_per_source;
	slots = (struct slot *)syscall(SYS_mmap, 0L, (size_t)slot_count * sizeof(*slots) +
	    sizeof(*tally), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0L);
	if (slots == MAP_FAILED) {
		log_message2("cannot set up the pool: ", strerror(errno));
		return -1;
	}
	tally = (struct tally *)(slots + slot_count);
	return 0;
}

/* The source key of a connection's peer (see addr_source_key()). */
static void
source_key(const struct sockaddr_storage *ss, unsigned char *key)
{
	unsigned char a[16] = { 0 };

	if (ss->ss_family == AF_INET)
		addr_map_ipv4(a, (const unsigned char *)
		    &((const struct sockaddr_in *)ss)->sin_addr);
	else if (ss->ss_family == AF_INET6)
		memcpy(a, ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr, 16);
	addr_source_key(a, key);
}

/* Pass a notification for systemd to the main process, NUL included, when
 * there is one. */
static void
tell(const char *msg)
{
	if (link_fd[1] != -1)
		(void)!write(link_fd[1], msg, strlen(msg) + 1);
}

/* Tell systemd, when it is listening, how many connections are active and
 * how many were served, the requests the children counted, and how many
 * connections were refused and shed. */
static void
tell_status(unsigned active, uint64_t served, uint64_t refused, uint64_t shed)
{
	char buf[200];
	struct text t = { buf, sizeof(buf) - 1, 0 };

	text_str(&t, "STATUS=");
	text_u64(&t, active);
	text_str(&t, " active, ");
	text_u64(&t, served);
	text_str(&t, " served, ");
	text_u64(&t, __atomic_load_n(&tally->requests, __ATOMIC_RELAXED));
	text_str(&t, " requests, ");
	text_u64(&t, refused);
	text_str(&t, " refused at the per-source cap, ");
	text_u64(&t, shed);
	text_str(&t, " shed idle");
	buf[t.len] = '\0';
	tell(buf);
}

/*
 * Security: a full pool with a connection waiting to be accepted takes
 * back connections whose head is not in yet, longest waiting first, so that
 * clients that open connections and send nothing, or a head a byte at a
 * time, cannot hold every child until their timeouts while a new client
 * waits.  One is shed for each connection waiting in the listening
 * socket's queue (TCP_INFO reports its length; one when it cannot say).
 * A shed child answers 408 within POOL_SHED_CHECK_MS, without a lingering
 * close, and exits.  A child whose head is in is never shed: the state it
 * moves from POOL_WAITING to POOL_BUSY decides, atomically, which of the
 * two came first.  Returns how many were shed.
 */
static unsigned
shed_waiting(const struct config *cfg)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	unsigned want = 1, n = 0, k, oldest;

	if (syscall(SYS_getsockopt, cfg->listen_fd, IPPROTO_TCP, TCP_INFO, &ti,
	    &len) == 0 && ti.tcpi_unacked > 0)
		want = ti.tcpi_unacked;	/* a listening socket's queue */
	while (n < want) {
		int expect = POOL_WAITING;

		for (k = 0, oldest = slot_count; k < slot_count; k++)
			if (kids[k].pid != 0 && !kids[k].shed &&
			    __atomic_load_n(&slots[k].state, __ATOMIC_ACQUIRE) == POOL_WAITING &&
			    (oldest == slot_count ||
			    __atomic_load_n(&slots[k].since, __ATOMIC_RELAXED) <
			    __atomic_load_n(&slots[oldest].since, __ATOMIC_RELAXED)))
				oldest = k;
		if (oldest == slot_count)
			break;
		if (__atomic_compare_exchange_n(&slots[oldest].state, &expect,
		    POOL_SHED, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			kids[oldest].shed = 1;
			n++;
		}
	}
	return n;
}

/*
 * Accept and fork, as pool_run() describes, with the signals in sfd.
 * Returns 1 in a child with its connection in *pc, or 0 with *status.
 */
static int
accept_loop(const struct config *cfg, struct pool_conn *pc, int *status,
    int sfd, uint64_t orig)
{
	unsigned active = 0, shedding = 0, k, same;
	uint64_t served = 0, refused = 0, shed = 0;
	int64_t last_event = httpdate_mono_ms(), last_status = 0, retry_until = 0;
	int stopping = 0, crashed = 0, dirty = 0, sig_ready = 1;

	for (;;) {
		/* The link is -1, and so not polled, without a main process. */
		struct pollfd pfd[3] = { { .fd = sfd, .events = POLLIN },
		    { .fd = link_fd[1], .events = POLLIN },
		    { .fd = cfg->listen_fd, .events = POLLIN } };
		struct signalfd_siginfo si[4];
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		unsigned char key[16];
		int64_t now, wait_ms = -1;
		int wstatus, fd, n;
		pid_t pid;

		/* Signals: a stop, or children to reap.  Read when poll()
		 * saw them, in one call: each of the three is pending at
		 * most once. */
		if (sig_ready) {
			n = (int)read(sfd, si, sizeof(si));
			for (k = 0; n > 0 && k < (unsigned)n / sizeof(si[0]); k++)
				if (si[k].ssi_signo != SIGCHLD && !stopping)
					stopping = -1;	/* asked to stop */
		}
		/* Reap, after a SIGCHLD.  A child killed by a signal may be a
		 * probe of the address layout it shares with the pool and
		 * every sibling. */
		while (sig_ready && (pid = (pid_t)syscall(SYS_wait4, -1, &wstatus,
		    WNOHANG, NULL)) > 0) {
			for (k = 0; k < cfg->max_children && kids[k].pid != pid; k++)
				;
			if (k < cfg->max_children) {
				kids[k].pid = 0;
				active--;
				if (kids[k].shed)
					shedding--;
				__atomic_store_n(&slots[k].keyed, 0, __ATOMIC_RELAXED);
				__atomic_store_n(&slots[k].state, POOL_FREE, __ATOMIC_RELEASE);
			}
			last_event = httpdate_mono_ms();
			dirty = 1;
			/* Security: stop accepting and exit once the others are
			 * done, so that systemd (or xinetd) starts a fresh pool
			 * with a fresh layout and stack canary: a blind attack
			 * that crashes child after child to guess them gets one
			 * guess per pool, not one per connection. */
			if (WIFSIGNALED(wstatus) && !crashed) {
				char msg[64];
				struct text t = { msg, sizeof(msg) - 1, 0 };

				text_str(&t, "a child was killed by signal ");
				text_u64(&t, (uint64_t)WTERMSIG(wstatus));
				text_str(&t, "; the pool stops and exits");
				msg[t.len] = '\0';
				log_message(msg);
				crashed = 1;
			}
		}
		if ((stopping == -1 || crashed) && stopping != 1) {
			stopping = 1;
			__atomic_store_n(&tally->stopping, 1, __ATOMIC_RELEASE);
			tell("STOPPING=1");
		}
		now = httpdate_mono_ms();
		if (stopping && active == 0)
			break;
		/* Idle: exit, unless a connection came in at the last
		 * moment, which would then wait for the next pool. */
		if (!stopping && active == 0 && cfg->idle_exit > 0 &&
		    now - last_event >= (int64_t)cfg->idle_exit * 1000) {
			if (poll(&pfd[2], 1, 0) == 0) {
				tell("STOPPING=1");
				break;
			}
			last_event = now;
		}
		if (dirty && now - last_status >= STATUS_EVERY_MS) {
			tell_status(active, served, refused, shed);
			last_status = now;
			dirty = 0;
		}
		/* Children at work may be answering request after request on
		 * their connections: their count moves without an event, so it
		 * is told again a second later. */
		if (active > 0 && link_fd[1] != -1)
			dirty = 1;

		/* Wait: for a connection while there is room for a child or
		 * one to shed, else for a child to end; until the idle exit,
		 * the next STATUS= or the end of a pause after a failure. */
		if (!stopping && active == 0 && cfg->idle_exit > 0)
			wait_ms = last_event + (int64_t)cfg->idle_exit * 1000 - now;
		if (dirty)
			wait_ms = wait_ms < 0 || wait_ms > STATUS_EVERY_MS ?
			    STATUS_EVERY_MS : wait_ms;
		if (retry_until > now)
			wait_ms = wait_ms < 0 || wait_ms > retry_until - now ?
			    retry_until - now : wait_ms;
		n = poll(pfd, !stopping && (active < cfg->max_children ||
		    shedding == 0) && retry_until <= now ? 3 : 2,
		    wait_ms > INT32_MAX ? INT32_MAX : (int)wait_ms);
		sig_ready = n > 0 && (pfd[0].revents & POLLIN);
		/* The main process shut the link down, or is gone. */
		if (n > 0 && pfd[1].revents != 0 && !stopping)
			stopping = -1;
		if (n <= 0 || !(pfd[2].revents & POLLIN))
			continue;	/* a signal, a timeout */
		if (active >= cfg->max_children) {
			/* Full: make room, or look again after a pause. */
			k = shed_waiting(cfg);
			shedding += k;
			shed += k;
			if (k == 0)
				retry_until = httpdate_mono_ms() + RETRY_MS;
			dirty = 1;
			continue;
		}

		/* Non-blocking, as conn_open() would make it. */
		fd = (int)syscall(SYS_accept4, cfg->listen_fd, (struct sockaddr *)&ss,
		    &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd == -1) {
			if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
				log_message2("accept: ", strerror(errno));
				retry_until = httpdate_mono_ms() + RETRY_MS;
			}
			continue;
		}
		last_event = httpdate_mono_ms();
		dirty = 1;
		/*
		 * Security: one source may hold at most max_per_source of the
		 * max_children processes, so an address that keeps
		 * connections open cannot take the whole pool.  Past it, the
		 * connection is closed at once, unread and unanswered.
		 * Behind a PROXY front every connection comes from the front,
		 * so there the children count the clients the headers name
		 * instead (pool_child_admit()).
		 */
		source_key(&ss, key);
		for (k = 0, same = 0; k < cfg->max_children && !cfg->proxy_protocol; k++)
			if (kids[k].pid != 0 && memcmp(kids[k].src, key, 16) == 0)
				same++;
		if (!cfg->proxy_protocol && same >= cfg->max_per_source) {
			close(fd);
			refused++;
			continue;
		}
		/* There is a free slot: the socket is polled only then. */
		for (k = 0; kids[k].pid != 0; k++)
			;
		/* The child gets the ticket keys as they are now. */
		tls_tickets_tick(last_event);
		__atomic_store_n(&slots[k].keyed, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&slots[k].since, last_event, __ATOMIC_RELAXED);
		__atomic_store_n(&slots[k].state, POOL_WAITING, __ATOMIC_RELEASE);

		/* A raw clone(), not fork(): no atfork handler runs, and
		 * those of the libraries the child does not have (see
		 * keep_from_children()) could not. */
		pid = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0L, 0L, 0L, 0L);
		if (pid == -1) {
			log_message2("fork: ", strerror(errno));
			close(fd);
			__atomic_store_n(&slots[k].state, POOL_FREE, __ATOMIC_RELEASE);
			retry_until = httpdate_mono_ms() + RETRY_MS;
			continue;
		}
		if (pid == 0) {
			/* The child closes the listening socket before it
			 * reads a byte, and serves with the signals as they
			 * were. */
			close(cfg->listen_fd);
			close(sfd);
			if (link_fd[1] != -1)
				close(link_fd[1]);
			(void)sigmask_set(SIG_SETMASK, orig, NULL);
			pc->fd = fd;
			addr_format(&ss, pc->peer);
			own_slot = &slots[k];
			pc->state = &own_slot->state;
			return 1;
		}
		close(fd);
		kids[k].pid = pid;
		kids[k].shed = 0;
		memcpy(kids[k].src, key, 16);
		active++;
		served++;
	}
	*status = crashed ? 1 : 0;
	return 0;
}

/* One message from the accepting process: only STATUS= and STOPPING=1
 * (once) are passed on, nothing else it could say. */
static void
relay_one(const char *m, ssize_t n, int *stopping)
{
	if (n < 2 || m[n - 1] != '\0' || strlen(m) != (size_t)n - 1)
		return;
	if (strncmp(m, "STATUS=", 7) == 0)
		(void)notify(0, m);
	else if (strcmp(m, "STOPPING=1") == 0 && !*stopping) {
		*stopping = 1;
		(void)notify(0, m);
	}
}

/*
 * The main process of a pool that systemd watches: pass the accepting
 * process's notifications on, and on SIGTERM or SIGINT tell systemd, then
 * the accepting process, to stop.  Returns once that process has exited,
 * with its exit status in *status.
 */
static void
relay(int sfd, pid_t acceptor, int *status)
{
	char buf[256];
	int stopping = 0, wstatus;
	ssize_t n;
	size_t i;

	for (;;) {
		struct pollfd pfd[2] = { { .fd = sfd, .events = POLLIN },
		    { .fd = link_fd[0], .events = POLLIN } };
		struct signalfd_siginfo si[4];

		if (poll(pfd, link_fd[0] != -1 ? 2 : 1, -1) <= 0)
			continue;
		if (pfd[1].revents != 0) {
			n = read(link_fd[0], buf, sizeof(buf));
			if (n > 0)
				relay_one(buf, n, &stopping);
			else if (n == 0 || errno != EINTR) {
				close(link_fd[0]);	/* the accepting process is gone */
				link_fd[0] = -1;
			}
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		n = read(sfd, si, sizeof(si));
		for (i = 0; n > 0 && i < (size_t)n / sizeof(si[0]); i++)
			if (si[i].ssi_signo != SIGCHLD && !stopping) {
				stopping = 1;
				(void)notify(0, "STOPPING=1");
				(void)shutdown(link_fd[0], SHUT_WR);
			}
		if (syscall(SYS_wait4, acceptor, &wstatus, WNOHANG, NULL) != acceptor)
			continue;
		/* Its last words, sent before it exited. */
		while (link_fd[0] != -1 && (n = read(link_fd[0], buf, sizeof(buf))) > 0)
			relay_one(buf, n, &stopping);
		if (WIFSIGNALED(wstatus)) {
			char msg[80];
			struct text t = { msg, sizeof(msg) - 1, 0 };

			text_str(&t, "the pool's accepting process was killed by signal ");
			text_u64(&t, (uint64_t)WTERMSIG(wstatus));
			msg[t.len] = '\0';
			log_message(msg);
			*status = 1;
		} else
			*status = WEXITSTATUS(wstatus);
		return;
	}
}

int
pool_run(const struct config *cfg, struct pool_conn *pc, int *status)
{
	uint64_t orig;
	pid_t acceptor;
	int sfd, r;

	/* SIGCHLD, SIGTERM and SIGINT are blocked and read from a signalfd,
	 * polled with the listening socket: no handler runs, and no wake-up
	 * is lost between a check and the wait. */
	if (sigmask_set(SIG_BLOCK, POOL_SIGNALS, &orig) == -1 ||
	    (sfd = (int)syscall(SYS_signalfd4, -1, &(uint64_t){ POOL_SIGNALS },
	    sizeof(uint64_t), SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		log_message2("cannot set up the pool: ", strerror(errno));
		*status = 1;
		return 0;
	}
	if (notify == NULL) {
		/* One process, which accepts and forks. */
		r = accept_loop(cfg, pc, status, sfd, orig);
		if (r == 0) {
			close(sfd);
			(void)sigmask_set(SIG_SETMASK, orig, NULL);
		}
		return r;
	}

	/*
	 * Two: the main process, which systemd watches and which alone has
	 * libsystemd mapped, and the accepting process, forked from it
	 * without those mappings (see keep_from_children()), so that its
	 * forks do not pay for them.  It inherits the signalfd, which reads
	 * its own signals, and the sandbox.
	 */
	(void)notify(0, "READY=1\nSTATUS=0 active, 0 served, 0 requests, 0 refused "
	    "at the per-source cap, 0 shed idle");
	acceptor = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, 0L, 0L, 0L, 0L);
	if (acceptor == -1) {
		log_message2("fork: ", strerror(errno));
		*status = 1;
		return 0;
	}
	if (acceptor == 0) {
		close(link_fd[0]);
		link_fd[0] = -1;
		r = accept_loop(cfg, pc, status, sfd, orig);
		if (r == 1)
			return 1;
		/* Not back into main(): see pool.h. */
		syscall(SYS_exit_group, *status);
	}
	close(link_fd[1]);
	link_fd[1] = -1;
	relay(sfd, acceptor, status);
	close(sfd);
	(void)sigmask_set(SIG_SETMASK, orig, NULL);
	return 0;
}

/*
 * Security: behind a PROXY front, one client may hold at most
 * max_per_source of the children that have a head in, counted by the
 * source key of the client each header names, so that one client of the
 * front cannot take the whole pool while the front's own address is not
 * capped.  Past it the request gets 503.  Two children of one client that
 * count at the same moment may both see the other and both answer 503:
 * the count errs on the side of the cap, never past it.
 */
enum status
pool_child_admit(enum status st, const unsigned char *client_ip)
{
	unsigned char key[16];
	unsigned k, same = 0;
	int expect = POOL_WAITING;

	if (own_slot == NULL)
		return st;
	/* A next head that came whole with the last one never waited: the
	 * slot is still busy. */
	if (!__atomic_compare_exchange_n(&own_slot->state, &expect, POOL_BUSY, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) && expect != POOL_BUSY)
		return st == STATUS_NONE ? st : STATUS_REQUEST_TIMEOUT;	/* shed first */
	if (st == STATUS_NONE)
		return st;
	__atomic_fetch_add(&tally->requests, 1, __ATOMIC_RELAXED);
	if (st != STATUS_OK || client_ip == NULL)
		return st;
	addr_source_key(client_ip, key);
	memcpy(own_slot->key, key, sizeof(key));
	__atomic_store_n(&own_slot->keyed, 1, __ATOMIC_SEQ_CST);
	for (k = 0; k < slot_count; k++)
		if (&slots[k] != own_slot &&
		    __atomic_load_n(&slots[k].keyed, __ATOMIC_SEQ_CST) == 1 &&
		    memcmp(slots[k].key, key, sizeof(key)) == 0)
			same++;
	if (same < per_source)
		return st;
	__atomic_store_n(&own_slot->keyed, 0, __ATOMIC_RELEASE);
	return STATUS_SERVICE_UNAVAILABLE;
}

void
pool_child_idle(void)
{
	if (own_slot == NULL)
		return;
	__atomic_store_n(&own_slot->since, httpdate_mono_ms(), __ATOMIC_RELAXED);
	__atomic_store_n(&own_slot->state, POOL_WAITING, __ATOMIC_RELEASE);
}

/*
 * Security: a pool that stops (SIGTERM, or a child killed by a signal)
 * lets each child finish the request in flight, with Connection: close,
 * and no more: an idle persistent connection ends at once, so that no
 * client holds a stop or a restart open for as long as it keeps asking.
 */
int
pool_child_stopping(void)
{
	return tally != NULL && own_slot != NULL &&
	    __atomic_load_n(&tally->stopping, __ATOMIC_ACQUIRE);
}

/*
 * The connection: where it comes from (fds 0/1, or fd 3 through
 * sd_listen_fds), the command line, time limits, reading the request head,
 * writing bytes, and the lingering close.  No HTTP syntax here.
 */
#ifndef CONN_H
#define CONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "status.h"

enum log_sink {
	LOG_SINK_AUTO = 0,
	LOG_SINK_STDERR,
	LOG_SINK_SYSLOG,
	LOG_SINK_NONE,
};

struct conn {
	int in, out;		/* read the request from in, write to out */
	char **envp;		/* the environment main() was given */
	int is_socket;		/* the connection is a socket: MSG_MORE, shutdown,
				   linger, peer address */
	int docroot_fd;		/* O_PATH descriptor of the document root */
	unsigned timeout;	/* seconds */
	const char *index;	/* --index NAME */
	size_t index_len;
	int list;		/* --list */
	const char *user;	/* --user NAME, or NULL */
	enum log_sink log_sink;	/* never LOG_SINK_AUTO after conn_setup */
	char *head;		/* the request head, as read (HEAD_CAP bytes) */
	size_t head_len;
	size_t head_read;	/* bytes read, head and beyond */
	uint64_t body_sent;	/* response body bytes written */
	int body_expected;	/* the request announced a body (set by the caller) */
	int peer_done;		/* the client closed or reset: nothing more comes */
	int64_t deadline_ms;	/* CLOCK_MONOTONIC time the head must be in by */
};

/*
 * Make fds 0-2 safe, parse the command line, find the connection, open the
 * document root and arm the head timeout.  Returns 0, or the exit status
 * (1 for a setup failure, already logged; 2 for a usage error; -1 after
 * --help or --version).
 */
int		conn_setup(struct conn *c, int argc, char *argv[], char *envp[]);

/*
 * Read the request head: the request line, the header fields and the empty
 * line that ends them.  Returns STATUS_OK with c->head[0..c->head_len), the
 * status to answer with (400, 408, 414, 431), or 0 when the client left
 * without sending anything, which needs no answer.
 */
enum status	conn_read_head(struct conn *c);

/*
 * Write all of buf.  more says that a body follows (MSG_MORE on sockets).
 * Returns 0, or -1 when the client is gone or stopped reading.
 */
int		conn_write(struct conn *c, const void *buf, size_t len, int more);

/*
 * Send count bytes of fd from offset off with sendfile(), or read/write
 * where sendfile can't be used.  Adds what was sent to c->body_sent.
 * Returns 0, or -1 when the file came up short or the client went away.
 */
int		conn_send_file(struct conn *c, int fd, uint64_t off, uint64_t count);

/* The client's address for the log: peer address, environment, or "-". */
const char	*conn_client(const struct conn *c);

/*
 * On a socket where the client may still be sending, shut down the write
 * side and drain what it sends (bounded).  Then close every descriptor
 * but 0-2.
 */
void		conn_finish(struct conn *c);

/* Close every descriptor but 0-2. */
void		conn_close_all(void);

#endif

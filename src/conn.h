/*
 * One connection: its peer address, reading the request head under the
 * head deadline (framed by request_frame()), writing bytes and files, and
 * the lingering close.  The head's syntax is the parser's.
 */
#ifndef CONN_H
#define CONN_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "config.h"
#include "request.h"
#include "status.h"

struct ssl_st;

/* The time limits of one connection. */
struct conn_limits {
	unsigned timeout;	/* seconds for the head, and that a response
				   may go without the client taking a byte */
	unsigned long min_rate;	/* bytes a second the client must take on
				   average after the first timeout seconds
				   of a response, or 0 */
	unsigned max_time;	/* seconds a response may take in all */
	unsigned idle;		/* seconds the first byte of a next request
				   may take (--keep-alive-timeout) */
};

struct conn {
	int in, out;		/* read the request from in, write to out */
	int is_socket;		/* the connection is a socket: MSG_MORE, shutdown,
				   linger */
	const char *client;	/* the client's address as text, or NULL */
	int proxy;		/* a PROXY protocol header comes first (set by
				   the caller after conn_open) */
	const char *client_port;	/* with proxy: the port it names, or "-" */
	int proxy_named;	/* a PROXY header named the client: */
	unsigned char proxy_ip[16];	/* its address (see addr_map_ipv4()) */
	char proxy_client[ADDR_TEXT_MAX];	/* what client points to then */
	char proxy_port[6];
	struct conn_limits lim;
	int64_t open_ms;	/* when the connection was taken on */
	int64_t send_start_ms;	/* when the response began */
	char *head;		/* the request head, as read (HEAD_CAP bytes) */
	size_t head_len;	/* the framed head, once read */
	size_t head_read;	/* bytes read, head and beyond */
	struct frame frame;	/* where the framing of head is */
	uint64_t body_sent;	/* response body bytes written */
	int64_t acked_ms;	/* when the bytes the client took were last
				   counted against min_rate */
	int body_expected;	/* the request announced a body (set by the caller) */
	int last_request;	/* the client said it sends nothing after the
				   request (set by the caller) */
	int peer_done;		/* the client closed or reset: nothing more comes */
	int keep;		/* the connection stays open after this response
				   (set by the caller) */
	int failed;		/* a response was cut short: nothing may follow */
	int idle;		/* waiting for the first byte of a next request */
	int waiting;		/* a pool's child: the slot says it waits for a
				   head (so from the fork, for the first) */
	int64_t deadline_ms;	/* CLOCK_MONOTONIC time the head must be in by
				   (while idle: its first byte) */
	int tls;		/* TLS: a handshake comes first (after any PROXY
				   header; set by the caller after conn_open) */
	struct ssl_st *ssl;	/* the session, once the handshake is done */
	short want;		/* the event the session waits for */
	const char *sni;	/* the host the client named in it, or NULL */
	size_t sni_len;
	const int *slot_state;	/* in a pool's child: its slot's state, which
				   the pool sets to POOL_SHED to take the
				   connection back while no head is in (see
				   pool.h); else NULL */
};

/* is_socket for conn_open(): a socket in blocking mode (made non-blocking
 * when a file is sent from it), or one that is non-blocking already
 * (accepted with SOCK_NONBLOCK). */
#define CONN_SOCKET		1
#define CONN_SOCKET_NONBLOCK	2

/*
 * Start on the connection in/out, whose client is the address text client
 * (taken when it arrived, so that a client that resets later is still
 * logged): arm the head deadline and the send timeout.
 */
void		conn_open(struct conn *c, int in, int out, int is_socket,
		    const char *client, const struct conn_limits *lim);

/* With --keep-alive, on a TCP socket: send each response at once
 * (TCP_NODELAY), for clients that pipeline (see conn.c). */
void		conn_nodelay(struct conn *c);

/*
 * Read the request head: the request line, the header fields and the empty
 * line that ends them; with c->proxy, first the PROXY protocol header, whose
 * client then becomes c->client.  Returns STATUS_OK with
 * c->head[0..c->head_len), the status to answer with (400, 408, 414, 431;
 * 400 for a PROXY header that is invalid or not complete in time; 408 as
 * well once a pool has shed the connection), or STATUS_NONE when the client
 * left without sending anything, or sent no byte of a next request in time
 * (or before a pool shed it), which needs no answer.  With c->tls, the
 * handshake comes first, within the same time: one that fails or stalls
 * is STATUS_NONE; a connection that opens with no TLS record gets 400,
 * with c->tls cleared so that it is answered in clear text.
 */
enum status	conn_read_head(struct conn *c);

/*
 * After a response that keeps the connection: start on the next request,
 * with the bytes that came after the last head (a pipelined request) at
 * the start of c->head.  Its first byte must come within lim.idle seconds
 * (at once when some has come), the rest of its head within lim.timeout.
 */
void		conn_next(struct conn *c);

/*
 * Write all of buf.  more says that a body follows (MSG_MORE on sockets).
 * Returns 0, or -1 when the client is gone, stopped reading, or reads too
 * slowly for the limits (then logged).
 */
int		conn_write(struct conn *c, const void *buf, size_t len, int more);

/*
 * Write all of buf[0..len), a head of head_len bytes and the body after
 * it, and add the body bytes written to c->body_sent.  Returns as
 * conn_write().
 */
int		conn_write_body(struct conn *c, const void *buf, size_t head_len,
		    size_t len);

/*
 * Send count bytes of fd from offset off with sendfile(), or read/write
 * where sendfile can't be used.  Adds what was sent to c->body_sent.
 * Returns 0, or -1 when the file came up short or the client went away.
 */
int		conn_send_file(struct conn *c, int fd, uint64_t off, uint64_t count);

/*
 * On a socket where the client may still be sending, shut down the write
 * side and drain what it sends (bounded).  Then close every descriptor
 * but 0-2.
 */
void		conn_finish(struct conn *c);

/* Close every descriptor but 0-2. */
void		conn_close_all(void);

#endif

/*
 * HTTPS: TLS on the connection, with OpenSSL 3 loaded by dlopen() only
 * when a certificate is configured, so that plain HTTP never loads it.
 * Certificates, keys and ticket keys are read before the sandbox; a
 * handshake then needs no file.
 */
#ifndef TLS_H
#define TLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"

struct ssl_st;	/* OpenSSL's SSL */

/* One --tls-cert FILE, with its --tls-key FILE (or NULL: the key is in the
 * certificate file). */
struct tls_pair {
	const char *cert;
	const char *key;
};

/*
 * Map OpenSSL now, before any library that a pool keeps from its children
 * (see pool.c), which would take the libraries loaded after it along.
 * Failure is reported by tls_setup().
 */
void		tls_preload(void);

/*
 * Load OpenSSL without its configuration file or engines, and make one
 * context per pair: TLS 1.2 and 1.3, the "intermediate" ciphers, ALPN
 * http/1.1, the pair chosen by the client's SNI against each
 * certificate's DNS names (the first for a client without SNI or that
 * names none of them).  Session tickets: with ticket_keys (a file of one
 * to four 80-byte keys, the first encrypting), those; else in a pool
 * (whose children share its keys) a key made here and renewed by
 * tls_tickets_tick(); else none at all.  A pool logs whether the kernel
 * offers kernel TLS.  Returns 0, or -1 (logged).
 */
int		tls_setup(const struct tls_pair *pairs, unsigned n,
		    const char *ticket_keys, int pool);

/* A pool, between connections: make a new ticket key once the current
 * one is TLS_TICKET_ROTATE_SEC old, keeping the one before it to decrypt
 * (now: CLOCK_MONOTONIC ms). */
void		tls_tickets_tick(int64_t now);

/* A server session reading in and writing out (both non-blocking), or
 * NULL. */
struct ssl_st	*tls_new(int in, int out);

/*
 * Go on with the handshake.  Returns 1 once it is done, 0 when it must
 * wait for *events (POLLIN or POLLOUT) on the connection, or -1 when it
 * failed (an alert has been sent where one could be).
 */
int		tls_handshake(struct ssl_st *s, short *events);

/* Free a session (NULL: nothing); the connection stays open. */
void		tls_free(struct ssl_st *s);

/*
 * Read, write, or send count bytes of fd from off (zero-copy through the
 * kernel's TLS, see tls_kernel_send()).  Return the bytes done, 0 from
 * tls_read() when the client closed, or -1: with errno EAGAIN when the
 * session must wait for *events, else the connection failed.
 */
ssize_t		tls_read(struct ssl_st *s, void *buf, size_t len, short *events);
ssize_t		tls_write(struct ssl_st *s, const void *buf, size_t len,
		    short *events);
ssize_t		tls_sendfile(struct ssl_st *s, int fd, off_t off, size_t count,
		    short *events);

/* Bytes read from the connection that tls_read() has not returned yet. */
int		tls_pending(const struct ssl_st *s);

/* The kernel encrypts what is sent (kTLS): tls_sendfile() may be used. */
int		tls_kernel_send(struct ssl_st *s);

/* After the handshake: the protocol ("TLSv1.3"), and the host name the
 * client asked for (SNI), or NULL with *len 0. */
const char	*tls_version(const struct ssl_st *s);
const char	*tls_sni(const struct ssl_st *s, size_t *len);

/* Send close_notify, without waiting. */
void		tls_close_notify(struct ssl_st *s);

#endif

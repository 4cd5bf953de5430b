/*
 * The pool floor: the least a pool behind a PROXY v2 front can do, held
 * against webserver --proxy-protocol in pool mode by tests/bench/front.
 * It takes a listening socket as fd 3 (systemd-socket-activate without
 * -a); for each connection it forks a child that reads and discards the
 * PROXY v2 header and the request head up to the empty line, writes one
 * fixed response with Connection: close and exits.  The parent accepts,
 * forks and reaps, nothing else.  Input: raw bytes from the front, of
 * which only the v2 signature and length, CR and LF are looked at.
 *
 * -DKEEPALIVE: the child answers the heads of its connection one after
 * another, up to 100 (the last says Connection: close), keeping the bytes
 * after a head for the next, until the client closes: the keep-alive pool
 * floor of tests/bench/keepalive.  -DPLAIN: no PROXY header comes first.
 * -DINETD: no pool; serve the one connection on fd 0, as an inetd-style
 * activator (systemd-socket-activate --inetd -a) hands it over.
 *
 * -DTLS (implies -DPLAIN): the TLS pool floor of tests/bench/tls, run as
 * "poolfloor CERT KEY".  One SSL_CTX is made before the first fork, with
 * the settings of the handler's (TLS 1.2 and 1.3, the same ciphers, no
 * session cache, read-ahead, one ticket per handshake); the ticket key is
 * OpenSSL's own, made with the context and so shared by every child.  The
 * child does the handshake, then the same loop through SSL_read and
 * SSL_write, then sends close_notify.  Link with -lssl -lcrypto.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef TLS
#include <openssl/ssl.h>
#ifndef PLAIN
#define PLAIN
#endif
#endif

#define LISTEN_FD	3
#ifdef KEEPALIVE
#define REQUESTS	100
#else
#define REQUESTS	1
#endif

#define BODY_300 \
	"<!DOCTYPE html>\n<html><head><title>floor</title></head>\n<body>\n" \
	"<p>A fixed body of exactly three hundred bytes, the same size as " \
	"the file the handlers serve, so that every server under test puts " \
	"the same document on the wire.</p>\n" \
	"<p>012345678901234567890123456789012345678901234567</p>\n" \
	"</body></html>\n"

#define HEAD(connection) \
	"HTTP/1.1 200 OK\r\n" \
	"Content-Type: text/html; charset=utf-8\r\n" \
	"Content-Length: 300\r\n" \
	connection \
	"\r\n"

static const char response[] = HEAD("") BODY_300;
static const char last_response[] = HEAD("Connection: close\r\n") BODY_300;

/* Same length as the file the handler serves. */
_Static_assert(sizeof(BODY_300) - 1 == 300, "the body is 300 bytes");

#ifndef PLAIN
static const char v2_sig[12] = "\r\n\r\n\0\r\nQUIT\n";
#endif

#ifdef TLS
static SSL_CTX *ctx;
static SSL *ssl;	/* the child's connection */

/* read() and write() through the connection's TLS session. */
static ssize_t
io_read(int fd, void *p, size_t len)
{
	int n = SSL_read(ssl, p, (int)len);

	(void)fd;
	if (n > 0)
		return n;
	return SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
}

static ssize_t
io_write(int fd, const void *p, size_t len)
{
	(void)fd;
	return SSL_write(ssl, p, (int)len);
}

/* The context, made once in the parent: cert and key are PEM files. */
static int
tls_init(const char *cert, const char *key)
{
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx,
	    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
	    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
	    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305") != 1 ||
	    SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256:"
	    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256") != 1 ||
	    SSL_CTX_set1_groups_list(ctx, "X25519:prime256v1:secp384r1") != 1 ||
	    SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
		return -1;
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_read_ahead(ctx, 1);
	SSL_CTX_set_num_tickets(ctx, 1);
	return 0;
}
#else
#define io_read read
#define io_write write
#endif

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = io_write(fd, p, len);

		if (n <= 0)
			return -1;
		p += (size_t)n;
		len -= (size_t)n;
	}
	return 0;
}

/* One connection: the header, then each head and its answer, all from one
 * buffer (a header and head longer than it are refused).  Returns the
 * exit status. */
static int
serve(int fd)
{
	static char buf[16384];
	size_t have = 0, at = 0;
	unsigned state = 0, done = 0;	/* bytes of "\n\r\n" or "\n\n" matched */
	int header = 1;
	ssize_t n;

#ifdef PLAIN
	header = 0;
#endif
	for (;;) {
		/* The fixed part of the v2 header, then as many bytes as
		 * its length field says: skipped. */
#ifndef PLAIN
		if (header && have >= 16) {
			if (memcmp(buf, v2_sig, sizeof(v2_sig)) != 0)
				return 1;
			at = 16 + ((size_t)(unsigned char)buf[14] << 8 |
			    (unsigned char)buf[15]);
			header = 0;
		}
#endif
		for (; !header && at < have; at++) {
			char ch = buf[at];

			if (ch == '\n') {
				if (state == 1 || state == 2)
					break;
				state = 1;
			} else if (ch == '\r' && state == 1)
				state = 2;
			else if (ch != '\r')
				state = 0;
		}
		if (!header && at < have) {
			/* A head ends at buf[at]: answer, keep what follows. */
			if (++done == REQUESTS)
				return write_all(fd, last_response,
				    sizeof(last_response) - 1) == 0 ? 0 : 1;
			if (write_all(fd, response, sizeof(response) - 1) == -1)
				return 1;
			at++;
			memmove(buf, buf + at, have - at);
			have -= at;
			at = 0;
			state = 0;
			continue;
		}
		if (have == sizeof(buf))
			return 1;
		n = io_read(fd, buf + have, sizeof(buf) - have);
		if (n <= 0)
			return n == 0 && done > 0 ? 0 : 1;
		have += (size_t)n;
	}
}

/* SIGCHLD only interrupts accept(), so that the parent reaps at once. */
static void
on_child(int sig)
{
	(void)sig;
}

/* The child's part: one connection. */
static int
child(int fd)
{
#ifdef TLS
	int status;

	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_accept(ssl) != 1)
		return 1;
	status = serve(fd);
	(void)SSL_shutdown(ssl);	/* close_notify, as the handler sends */
	return status;
#else
	return serve(fd);
#endif
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	int fl;

#ifdef INETD
	return serve(0);	/* fd 0 is the connection, for reading and writing */
#endif
#ifdef TLS
	if (argc != 3 || tls_init(argv[1], argv[2]) == -1)
		return 2;
#else
	(void)argc;
	(void)argv;
#endif
	/* The activator may hand the socket over non-blocking: accept()
	 * waits here. */
	fl = fcntl(LISTEN_FD, F_GETFL);
	if (fl == -1 || fcntl(LISTEN_FD, F_SETFL, fl & ~O_NONBLOCK) == -1)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_child;	/* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) == -1)
		return 1;
	for (;;) {
		int fd = accept4(LISTEN_FD, NULL, NULL, SOCK_CLOEXEC);
		int err = errno;
		pid_t pid;

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (fd == -1) {
			if (err == EINTR || err == ECONNABORTED)
				continue;
			return 1;
		}
		pid = fork();
		if (pid == 0) {
			close(LISTEN_FD);
			_exit(child(fd));
		}
		close(fd);
	}
}

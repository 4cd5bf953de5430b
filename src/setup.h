/*
 * Set-up: the command line, the environment and the descriptors a service
 * manager hands over, turned into the configuration that lives for the
 * whole process.  Nothing a client sends is read here.
 */
#ifndef SETUP_H
#define SETUP_H

#include <stddef.h>

#include "addr.h"
#include "log.h"
#include "tls.h"

struct config {
	int in, out;		/* the connection handed over: read, write */
	int is_socket;		/* in is a socket: MSG_MORE, shutdown, linger,
				   peer address */
	int listen_fd;		/* a listening socket handed over (a pool), or -1 */
	char peer[ADDR_TEXT_MAX];	/* the peer's address as text, or "" */
	int docroot_fd;		/* O_PATH descriptor of the document root */
	unsigned timeout;	/* --timeout, seconds */
	unsigned long min_rate;	/* --min-rate, bytes a second, or 0 */
	unsigned max_time;	/* --max-time, seconds */
	unsigned keep_alive;	/* --keep-alive: requests a connection may make */
	unsigned keep_alive_timeout;	/* --keep-alive-timeout, seconds */
	unsigned idle_exit;	/* --idle-exit, seconds, or 0 */
	unsigned max_children;	/* --max-children */
	unsigned max_per_source;	/* --max-per-source */
	int proxy_protocol;	/* --proxy-protocol */
	int vhosts;		/* --vhosts */
	int precompressed;	/* --precompressed */
	int error_dir_fd;	/* --error-pages DIR (O_PATH), or -1 */
	const char *headers;	/* --header fields, each "Name: value\r\n" */
	size_t headers_len;
	const char *index;	/* --index NAME */
	size_t index_len;
	int list;		/* --list */
	const char *user;	/* --user NAME, or NULL */
	enum log_sink log_sink;	/* never LOG_SINK_AUTO after setup_config */
	const char *env_client;	/* the client's address as the service manager
				   put it in the environment, or NULL */
	const char *notify_socket;	/* NOTIFY_SOCKET: systemd listens for
					   sd_notify(), or NULL */
	void *libsystemd;	/* dlopen() handle, when LISTEN_FDS loaded it */
	struct tls_pair tls_pairs[TLS_PAIRS_MAX];	/* --tls-cert, --tls-key */
	unsigned tls_n;		/* pairs: TLS on the connection when > 0 */
	const char *tls_ticket_keys;	/* --tls-ticket-keys FILE, or NULL */
};

/*
 * Make fds 0-2 safe, parse the command line, take the connection handed
 * over (fds 0 and 1, or fd 3 through sd_listen_fds) and its peer's address,
 * or the listening socket of a pool, choose the log sink, open the document
 * root and ignore SIGPIPE.  Returns 0, or the exit status
 * (1 for a set-up failure, already logged; 2 for a usage error; -1 after
 * --help or --version).
 */
int	setup_config(struct config *cfg, int argc, char *argv[], char *envp[]);

#endif

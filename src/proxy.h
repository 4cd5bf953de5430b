/*
 * The PROXY protocol, versions 1 (text) and 2 (binary), as HAProxy's
 * proxy-protocol.txt specifies it: the header a front (HAProxy, nginx,
 * stunnel, a cloud load balancer) sends before the request, naming the
 * client it accepted.  No I/O: bytes in, the client out.
 */
#ifndef PROXY_H
#define PROXY_H

#include <stddef.h>

#include "addr.h"
#include "status.h"

#define PROXY_V1_MAX	107	/* the longest v1 line, CRLF included */
#define PROXY_V2_MAX	2048	/* the longest v2 header accepted here */

struct proxy_info {
	int local;			/* keep the connection's own address: v2
					   LOCAL (health checks), UNSPEC and
					   non-TCP families, v1 UNKNOWN */
	unsigned char ip[16];		/* the client's address, IPv4 mapped (see
					   addr_map_ipv4()) */
	char addr[ADDR_TEXT_MAX];	/* the same as text, as a socket peer's
					   is written (addr_format_ip()) */
	unsigned port;			/* the client's port */
};

/*
 * Parse the header at the start of buf[0..len), which grows between calls.
 * Returns STATUS_NONE while more bytes are needed and could still make a
 * valid header; STATUS_OK with the header's length in *hlen and the client
 * in *pi; or STATUS_BAD_REQUEST as soon as the bytes cannot be one.
 */
enum status	proxy_parse(const char *buf, size_t len, struct proxy_info *pi,
		    size_t *hlen);

#endif

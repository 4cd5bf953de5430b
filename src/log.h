/*
 * Logging: one Combined Log Format line per request, in UTC, to the sink
 * chosen once at start-up.  Every byte from the client is escaped.
 */
#ifndef LOG_H
#define LOG_H

#include <stdint.h>

#include "conn.h"
#include "request.h"

/* Choose the sink (stderr, syslog or none). */
void	log_open(enum log_sink sink);

/* Log one request: client, request line, status, body bytes, referer, agent. */
void	log_request(const struct conn *c, const struct request *req,
	    enum status st);

/* Log a message about the server itself (not about a request). */
void	log_message(const char *msg);
void	log_message2(const char *msg, const char *detail);

#endif

/*
 * The response: status line, header fields, and the body (a file, a
 * listing or the error page).  HEAD gets the same header fields, no body.
 */
#ifndef RESPONSE_H
#define RESPONSE_H

#include "conn.h"
#include "path.h"
#include "request.h"
#include "status.h"

/*
 * Answer req.  st is the outcome so far: STATUS_OK with an open target, or
 * the status to report (for a 301, t->name is the directory).  cfg adds the
 * --header fields and the --error-pages bodies; c->keep says whether the
 * connection stays open after it (Connection: close when not; keep-alive
 * for an HTTP/1.0 client when it does).  t->fd is left open: the caller
 * closes it, or conn_finish() with every other descriptor.  Returns the
 * status sent, which preconditions and Range may have changed (304, 206,
 * 412, 416).
 */
enum status	response_send(const struct config *cfg, struct conn *c,
		    const struct request *req, struct target *t, enum status st);

#endif

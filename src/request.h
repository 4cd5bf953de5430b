/*
 * Request parsing: the bytes of one request head in, a struct request out.
 * No I/O, no allocation, no globals: every pointer in struct request points
 * into the caller's buffer.  Input is raw network bytes, nothing validated.
 */
#ifndef REQUEST_H
#define REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum method {
	METHOD_NONE = 0,	/* not parsed (yet) */
	METHOD_GET,
	METHOD_HEAD,
	METHOD_OPTIONS,
	METHOD_OTHER,		/* any other token: refused with 405 or 501 */
};

enum form {
	FORM_ORIGIN = 0,	/* /path?query */
	FORM_ABSOLUTE,		/* http://host/path?query */
	FORM_ASTERISK,		/* * (OPTIONS only) */
};

struct request {
	enum method method;
	enum form form;
	int minor;			/* HTTP/1.minor: 0, or 1 for 1.1 and above */

	/* For the log; set as soon as they are found, even on error. */
	const char *line;		/* request line without its line end */
	size_t line_len;
	const char *target;		/* request-target as sent */
	size_t target_len;

	const char *path;		/* path part, still percent-encoded; starts with '/' */
	size_t path_len;
	const char *query;		/* after '?', without it; NULL when there is none */
	size_t query_len;

	/* Field values with surrounding whitespace removed; NULL when absent. */
	const char *host;
	size_t host_len;
	const char *range;
	size_t range_len;
	const char *if_range;
	size_t if_range_len;
	const char *if_match;
	size_t if_match_len;
	const char *if_none_match;
	size_t if_none_match_len;
	const char *if_modified_since;
	size_t if_modified_since_len;
	const char *if_unmodified_since;
	size_t if_unmodified_since_len;
	const char *user_agent;
	size_t user_agent_len;
	const char *referer;
	size_t referer_len;

	uint64_t content_length;	/* valid when has_content_length */
	int has_content_length;
	int chunked;			/* Transfer-Encoding: chunked */
};

/*
 * Parse the head in buf[0..len): request line, header fields, and the empty
 * line that ends them (a head without its empty line is parsed as if it were
 * there).  Returns STATUS_OK and fills *req, or the status to answer with;
 * on error, the fields found so far stay set for the log.
 */
enum status	request_parse(const char *buf, size_t len, struct request *req);

#endif

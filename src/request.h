/*
 * Request parsing: framing the head as its bytes arrive, then the bytes of
 * one request head in, a struct request out.  No I/O, no allocation, no
 * globals: every pointer in struct request points into the caller's
 * buffer.  Input is raw network bytes, nothing validated.
 */
#ifndef REQUEST_H
#define REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

enum method {
	METHOD_NONE = 0,	/* not parsed (yet), or a token that names no
				   method known here: refused with 501 */
	METHOD_GET,
	METHOD_HEAD,
	METHOD_OPTIONS,
	METHOD_OTHER,		/* a method known but not served: refused with 405 */
};

enum form {
	FORM_ORIGIN = 0,	/* /path?query */
	FORM_ABSOLUTE,		/* http://host/path?query */
	FORM_ASTERISK,		/* * (OPTIONS only) */
};

#define LIST_LINES_MAX	8	/* field lines of one list field: more is 431 */

/* A list field that may be split over several field lines (RFC 9110,
 * section 5.3): the lines' values, in order. */
struct field_list {
	unsigned n;
	const char *v[LIST_LINES_MAX];
	size_t len[LIST_LINES_MAX];
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
	const char *authority;		/* of an absolute-form target; else NULL */
	size_t authority_len;

	/* Field values with surrounding whitespace removed; NULL when absent.
	 * A singleton field sent more than once is invalid and is ignored
	 * (NULL); a repeated If-Range also cancels Range. */
	const char *host;
	size_t host_len;
	const char *range;
	size_t range_len;
	const char *if_range;
	size_t if_range_len;
	struct field_list if_match;
	struct field_list if_none_match;
	struct field_list accept_encoding;
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
	int last;			/* the client sends no request after this one
					   (Connection: close, or HTTP/1.0 without
					   keep-alive); set once the fields are read */
};

/* Nonzero when c is a tchar (RFC 9110, section 5.6.2). */
int	request_is_tchar(unsigned char c);

/* Nonzero when a[0..a_len) is the lower-case name b, ignoring case. */
int	request_name_is(const char *a, size_t a_len, const char *b);

/* Where request_frame() is in a head; zero it before the first call. */
struct frame {
	size_t pos;		/* bytes looked at */
	size_t line_start;	/* where the current line starts */
	size_t fields_start;	/* where the field lines start */
	unsigned fields;	/* field lines ended */
	unsigned state;
};

/*
 * Frame a request head as it arrives: call again with the same f each
 * time buf[0..len) has grown (the bytes already seen unchanged).  Returns
 * STATUS_NONE while more bytes are needed; STATUS_OK when the head, its
 * empty line included, is buf[0..*head_len); or the status to refuse with
 * as soon as the bytes seen can no longer begin a valid head: 400 for a
 * request line of the wrong shape or a bare CR, 414 for a request line
 * over LINE_MAX_LEN, 431 for a header section over FIELDS_MAX_LEN bytes or
 * FIELDS_MAX lines.  These limits are counted here and nowhere else.
 */
enum status	request_frame(struct frame *f, const char *buf, size_t len,
		    size_t *head_len);

/* Whether f has seen a byte of a request line: before it, only the empty
 * lines a server ignores (RFC 9112, section 2.2) have come. */
int		request_frame_begun(const struct frame *f);

/*
 * After a head of head_len bytes, with len bytes of buf read: move the
 * bytes that came after the head (a pipelined next request) to the front
 * of buf, and zero f to frame them afresh.  Returns how many there are.
 */
size_t		request_next(char *buf, size_t len, size_t head_len, struct frame *f);

/*
 * Whether req is its head alone, so that a next request can start where
 * the head ended: it parsed (parsed is request_parse()'s status), or all
 * but its method did (405: the fields, and so the framing, were read),
 * and it announced no body, which the handler would not read.  Security:
 * otherwise the framing after the head is unknown, and no byte of it may
 * be read as a request.
 */
int		request_is_head_only(const struct request *req, enum status parsed);

/*
 * Parse the head in buf[0..len), as request_frame() framed it (a head cut
 * short is parsed as if its empty line were there, for the log).  Returns
 * STATUS_OK and fills *req, or the status to answer with; on error, the
 * fields found so far stay set for the log.
 */
enum status	request_parse(const char *buf, size_t len, struct request *req);

#endif

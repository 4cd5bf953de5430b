/*
 * request_frame and request_parse against RFC 9112 and RFC 9110: each line
 * is the bytes that arrived, the framer's verdict (0 while it needs more,
 * else the status) with where the head ends, and the parser's status for
 * a framed head.  Every input is also framed one byte at a time, which
 * must give the same verdict.
 */
#include <stdio.h>

#include "../../src/config.h"
#include "../../src/request.h"
#include "unit.h"

#define MORE	STATUS_NONE
#define NA	0	/* not parsed: the framer refused or wants more */
#define ALL	((size_t)-1)	/* the head is the whole input */

#define H11	"Host: a\r\n"

static const struct {
	const char *in;
	size_t len;
	enum status frame;
	size_t head_len;	/* with STATUS_OK */
	enum status parse;
} cases[] = {
	/* Whole heads. */
	{ S("GET / HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.0\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.0\n\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("HEAD /a?b HTTP/1.1\n" H11 "\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("OPTIONS * HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_OK },
	/* The head ends at the empty line; what follows is not framed. */
	{ S("GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n"), STATUS_OK, 18, STATUS_OK },
	/* Empty lines before the request line are skipped (section 2.2). */
	{ S("\r\n\nGET / HTTP/1.0\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	/* Not yet a head. */
	{ S(""), MORE, 0, NA },
	{ S("\r\n"), MORE, 0, NA },
	{ S("G"), MORE, 0, NA },
	{ S("GET"), MORE, 0, NA },
	{ S("GET /"), MORE, 0, NA },
	{ S("GET / HTTP/1."), MORE, 0, NA },
	{ S("GET / HTTP/1.1\r"), MORE, 0, NA },
	{ S("GET / HTTP/1.1\r\n" H11), MORE, 0, NA },
	{ S("GET / HTTP/1.1\r\n" H11 "\r"), MORE, 0, NA },
	/* A request line that cannot become valid: 400 at the first wrong
	 * byte, whatever follows. */
	{ S("\x16\x03\x01"), STATUS_BAD_REQUEST, 0, NA },
	{ S("\x00"), STATUS_BAD_REQUEST, 0, NA },
	{ S(" GET"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET  /"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GE(T"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET /\r"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET /\n"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET / \r\n"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET /a\tb"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET /\x7f"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET /\xc3\xa9"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET / http/1.1"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET / HTTP/1"), MORE, 0, NA },
	{ S("GET / HTTP/1,"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET / HTTP/a"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET / HTTP/1.1 "), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET / HTTP/1.11"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET / HTTP/1.1\rX"), STATUS_BAD_REQUEST, 0, NA },
	{ S("\rX"), STATUS_BAD_REQUEST, 0, NA },
	/* A bare CR in a field line or instead of the empty line. */
	{ S("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n"), STATUS_BAD_REQUEST, 0, NA },
	{ S("GET / HTTP/1.1\r\n" H11 "\r\r\n"), STATUS_BAD_REQUEST, 0, NA },
	/* The framer leaves field syntax to the parser. */
	{ S("GET / HTTP/1.1\r\n" H11 " folded\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\nA : b\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\nnocolon\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	/* Versions and methods are the parser's. */
	{ S("GET / HTTP/2.0\r\n\r\n"), STATUS_OK, ALL, STATUS_VERSION_NOT_SUPPORTED },
	{ S("GET / HTTP/1.9\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("POST / HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_METHOD_NOT_ALLOWED },
	{ S("BREW / HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_NOT_IMPLEMENTED },
	{ S("get / HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_NOT_IMPLEMENTED },
	/* Host: needed in 1.1, once, valid (section 3.2). */
	{ S("GET / HTTP/1.1\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\n" H11 H11 "\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.1\r\nHost: h:65535\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.1\r\nHost: h:065535\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.1\r\nHost: h:65536\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\nHost: h:99999999999999999999\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\nHost: [::1]:65536\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET http://h:70000/ HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	/* Targets. */
	{ S("GET http://a/b HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET http://u@a/ HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET a/b HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET * HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET /#f HTTP/1.1\r\n" H11 "\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	/* Framing of a body (RFC 9112, section 6). */
	{ S("GET / HTTP/1.1\r\n" H11 "Content-Length: 5\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.1\r\n" H11 "Content-Length: 5, 5\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.1\r\n" H11 "Content-Length: 5, 6\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\n" H11 "Content-Length: 2000000\r\n\r\n"), STATUS_OK, ALL, STATUS_CONTENT_TOO_LARGE },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: , chunked,\r\n\r\n"), STATUS_OK, ALL, STATUS_OK },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: gzip, chunked\r\n\r\n"), STATUS_OK, ALL, STATUS_NOT_IMPLEMENTED },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked, gzip\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: gzip\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked, chunked\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: \r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked,\r\nContent-Length: 1\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
	{ S("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), STATUS_OK, ALL, STATUS_BAD_REQUEST },
};

/* A request line of n bytes ("GET /aaa... HTTP/1.1"), then a Host line and
 * the empty line, into buf; returns the length. */
static size_t
line_of(char *buf, size_t n)
{
	size_t len = 0;

	memcpy(buf, "GET /", 5);
	len = 5;
	while (len < n - 9)
		buf[len++] = 'a';
	memcpy(buf + len, " HTTP/1.1\r\n" H11 "\r\n", 22);
	return len + 22;
}

/* A head whose field lines take exactly n bytes, CRLFs included. */
static size_t
fields_of(char *buf, size_t n)
{
	size_t len;

	memcpy(buf, "GET / HTTP/1.1\r\n" H11 "X: ", 28);
	len = 28;
	while (len < 16 + n - 2)
		buf[len++] = 'b';
	memcpy(buf + len, "\r\n\r\n", 4);
	return len + 4;
}

/* A head with n field lines. */
static size_t
count_of(char *buf, unsigned n)
{
	size_t len = 16;
	unsigned i;

	memcpy(buf, "GET / HTTP/1.1\r\n", 16);
	for (i = 0; i < n; i++) {
		memcpy(buf + len, H11, 9);
		buf[len] = i == 0 ? 'H' : 'X';	/* one Host */
		len += 9;
	}
	memcpy(buf + len, "\r\n", 2);
	return len + 2;
}

static const char *
verdict(char *buf, size_t cap, enum status st, size_t head_len)
{
	if (st == STATUS_OK)
		snprintf(buf, cap, "200 at %zu", head_len);
	else
		snprintf(buf, cap, "%d", (int)st);
	return buf;
}

/* The verdict on in[0..len), all at once; and, fed a byte at a time, the
 * same verdict, or the test fails. */
static void
check_frame(const char *what, const char *in, size_t len, enum status want,
    size_t want_len)
{
	struct frame f;
	size_t head_len = 0, head_len1 = 0, i;
	enum status st, st1 = STATUS_NONE;
	char got[64], exp[64];
	char *buf = unit_dup(in, len);

	memset(&f, 0, sizeof(f));
	st = request_frame(&f, buf, len, &head_len);
	memset(&f, 0, sizeof(f));
	for (i = 1; i <= len && st1 == STATUS_NONE; i++)
		st1 = request_frame(&f, buf, i, &head_len1);
	unit_check(verdict(got, sizeof(got), st, head_len),
	    verdict(exp, sizeof(exp), want, want_len), "request_frame(%s)", what);
	unit_check(verdict(got, sizeof(got), st1, head_len1),
	    verdict(exp, sizeof(exp), want, want_len),
	    "request_frame(%s), one byte at a time", what);
	free(buf);
}

int
main(void)
{
	static char big[HEAD_CAP + 64];
	char q[256], got[32], want[32];
	struct request req;
	size_t i, n;

	for (i = 0; i < NELEM(cases); i++) {
		unit_input(q, sizeof(q), cases[i].in, cases[i].len);
		n = cases[i].head_len == ALL ? cases[i].len : cases[i].head_len;
		check_frame(q, cases[i].in, cases[i].len, cases[i].frame, n);
		if (cases[i].parse == NA)
			continue;
		snprintf(got, sizeof(got), "%d", (int)request_parse(cases[i].in,
		    n, &req));
		snprintf(want, sizeof(want), "%d", (int)cases[i].parse);
		unit_check(got, want, "request_parse(%s)", q);
	}

	/* The limits, at and one past each (config.h). */
	n = line_of(big, LINE_MAX_LEN);
	check_frame("a request line of LINE_MAX_LEN bytes", big, n, STATUS_OK, n);
	n = line_of(big, LINE_MAX_LEN + 1);
	check_frame("a request line of LINE_MAX_LEN + 1 bytes", big, n,
	    STATUS_URI_TOO_LONG, 0);
	n = fields_of(big, FIELDS_MAX_LEN);
	check_frame("field lines of FIELDS_MAX_LEN bytes", big, n, STATUS_OK, n);
	n = fields_of(big, FIELDS_MAX_LEN + 1);
	check_frame("field lines of FIELDS_MAX_LEN + 1 bytes", big, n,
	    STATUS_HEADER_FIELDS_TOO_LARGE, 0);
	n = count_of(big, FIELDS_MAX);
	check_frame("FIELDS_MAX field lines", big, n, STATUS_OK, n);
	n = count_of(big, FIELDS_MAX + 1);
	check_frame("FIELDS_MAX + 1 field lines", big, n,
	    STATUS_HEADER_FIELDS_TOO_LARGE, 0);
	memset(big, '\n', LINE_MAX_LEN);
	memcpy(big + LINE_MAX_LEN - 1, "G", 1);
	check_frame("empty lines up to LINE_MAX_LEN, then a method", big,
	    LINE_MAX_LEN, STATUS_NONE, 0);
	memset(big, '\n', LINE_MAX_LEN + 1);
	check_frame("LINE_MAX_LEN + 1 bytes of empty lines", big,
	    LINE_MAX_LEN + 1, STATUS_BAD_REQUEST, 0);

	/* Fields kept, lists joined, repeated singletons dropped. */
	{
		static const char head[] = "GET /p?q HTTP/1.1\r\nHost: h:8\r\n"
		    "If-None-Match: \"a\"\r\nIf-None-Match: \"b\", \"c\"\r\n"
		    "Range: bytes=0-1\r\nIf-Modified-Since: x\r\n"
		    "If-Modified-Since: y\r\nUser-Agent: u1\r\nUser-Agent: u2\r\n\r\n";
		char summary[256];

		snprintf(got, sizeof(got), "%d",
		    (int)request_parse(head, sizeof(head) - 1, &req));
		unit_check(got, "200", "request_parse of a head with repeated fields");
		snprintf(summary, sizeof(summary),
		    "path=%.*s query=%.*s host=%.*s inm=%u:%.*s|%.*s range=%.*s ims=%s ua=%.*s",
		    (int)req.path_len, req.path, (int)req.query_len, req.query,
		    (int)req.host_len, req.host, req.if_none_match.n,
		    (int)req.if_none_match.len[0], req.if_none_match.v[0],
		    (int)req.if_none_match.len[1], req.if_none_match.v[1],
		    (int)req.range_len, req.range,
		    req.if_modified_since ? "set" : "ignored",
		    (int)req.user_agent_len, req.user_agent);
		unit_check(summary, "path=/p query=q host=h:8 inm=2:\"a\"|\"b\", \"c\" "
		    "range=bytes=0-1 ims=ignored ua=u1",
		    "the fields of a head with repeated fields");
	}
	{
		static const char head[] = "GET / HTTP/1.1\r\nHost: h\r\n"
		    "Range: bytes=0-1\r\nIf-Range: \"a\"\r\nIf-Range: \"a\"\r\n\r\n";

		request_parse(head, sizeof(head) - 1, &req);
		unit_check(req.range == NULL && req.if_range == NULL ? "none" : "kept",
		    "none", "a repeated If-Range drops Range and If-Range");
	}
	/* Whether the client may send another request (Connection, RFC
	 * 9112, sections 9.3 and 9.6). */
	{
		static const struct {
			const char *head;
			const char *last;
		} conn[] = {
			{ "GET / HTTP/1.0\r\n\r\n", "last" },
			{ "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "more" },
			{ "GET / HTTP/1.0\r\nConnection: Keep-Alive, close\r\n\r\n", "last" },
			{ "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "more" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", "last" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: CLOSE\r\n\r\n", "last" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: te, , close \r\n\r\n", "last" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: te\r\nConnection: close\r\n\r\n", "last" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n", "more" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: \"close\"\r\n\r\n", "more" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nX-Connection: close\r\n\r\n", "more" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", "more" },
		};

		for (i = 0; i < NELEM(conn); i++) {
			unit_input(q, sizeof(q), conn[i].head, strlen(conn[i].head));
			request_parse(conn[i].head, strlen(conn[i].head), &req);
			unit_check(req.last ? "last" : "more", conn[i].last,
			    "request_parse(%s): the last request", q);
		}
	}
	{
		/* request_next(): what followed a head starts the buffer, and
		 * the framer starts afresh on it. */
		char buf[] = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHo";
		struct frame f;
		size_t head_len = 0, rest;
		enum status st;

		memset(&f, 0, sizeof(f));
		st = request_frame(&f, buf, strlen(buf), &head_len);
		unit_check(st == STATUS_OK && head_len == 28 ? "ok" : "wrong", "ok",
		    "request_frame: the first of two heads (%zu)", head_len);
		rest = request_next(buf, strlen(buf), head_len, &f);
		buf[rest] = '\0';
		unit_check(buf, "GET /b HTTP/1.1\r\nHo", "request_next: the rest first");
		st = request_frame(&f, buf, rest, &head_len);
		unit_check(st == STATUS_NONE ? "more" : "other", "more",
		    "request_frame: the second head is not whole yet");
	}
	{
		/* request_is_head_only(): a body, or a head that did not
		 * parse, leaves the framing after it unknown. */
		static const struct {
			const char *head;
			const char *want;
		} only[] = {
			{ "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "yes" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", "yes" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n", "no" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", "no" },
			{ "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n", "no" },
			{ "GET / HTTP/1.1\r\nHost: h\r\nBad Field: x\r\n\r\n", "no" },
			{ "HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "yes" },
		};
		size_t k;

		for (k = 0; k < NELEM(only); k++) {
			struct request r;
			enum status st = request_parse(only[k].head, strlen(only[k].head), &r);

			unit_check(request_is_head_only(&r, st) ? "yes" : "no", only[k].want,
			    "request_is_head_only(%.40s)", only[k].head);
		}
	}
	return unit_done();
}

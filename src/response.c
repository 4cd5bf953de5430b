/*
 * Writing the response.  Every byte of a header comes from us or from a
 * validated request field; the error page echoes nothing of the request.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cond.h"
#include "config.h"
#include "httpdate.h"
#include "listing.h"
#include "response.h"

#define ALLOW	"GET, HEAD, OPTIONS"

struct hdr {
	char buf[LINE_MAX_LEN + 2048];
	size_t len;
};

static void
add(struct hdr *h, const char *s, size_t n)
{
	/* The buffer holds the longest Location plus every fixed field. */
	if (n > sizeof(h->buf) - h->len)
		n = sizeof(h->buf) - h->len;
	memcpy(h->buf + h->len, s, n);
	h->len += n;
}

static void
add_str(struct hdr *h, const char *s)
{
	add(h, s, strlen(s));
}

static void
add_u64(struct hdr *h, uint64_t v)
{
	char tmp[21];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	add(h, tmp + i, sizeof(tmp) - i);
}

static void
add_field(struct hdr *h, const char *name, const char *value)
{
	add_str(h, name);
	add_str(h, ": ");
	add_str(h, value);
	add_str(h, "\r\n");
}

/* Status line, Date and Server: the start of every response. */
static void
add_start(struct hdr *h, enum status st)
{
	char date[HTTPDATE_LEN + 1];

	h->len = 0;
	add_str(h, "HTTP/1.1 ");
	add_u64(h, (uint64_t)st);
	add_str(h, " ");
	add_str(h, status_reason(st));
	add_str(h, "\r\n");
	httpdate_format(httpdate_now(), date);
	add_field(h, "Date", date);
	add_field(h, "Server", "webserver/" VERSION);
}

/* Content-Length, Connection and the empty line: the end of every head. */
static void
add_end(struct hdr *h, uint64_t length)
{
	add_str(h, "Content-Length: ");
	add_u64(h, length);
	add_str(h, "\r\nConnection: close\r\n\r\n");
}

/* "404 Not Found" into buf; returns its length. */
static size_t
status_text(enum status st, char *buf)
{
	const char *reason = status_reason(st);
	size_t n = strlen(reason);

	buf[0] = (char)('0' + st / 100);
	buf[1] = (char)('0' + st / 10 % 10);
	buf[2] = (char)('0' + st % 10);
	buf[3] = ' ';
	memcpy(buf + 4, reason, n);
	return n + 4;
}

/*
 * Security: the error page names the status and nothing else: no
 * request-target, no path, no errno, so nothing can be reflected into it.
 * range_size, when not NULL, is the file size a 416 reports.
 */
static enum status
send_error(struct conn *c, const struct request *req, enum status st,
    const uint64_t *range_size)
{
	char text[64];
	struct hdr h, page;
	size_t n = status_text(st, text);
	int body = req->method != METHOD_HEAD;

	page.len = 0;
	add_str(&page, "<!DOCTYPE html>\n<html><head><title>");
	add(&page, text, n);
	add_str(&page, "</title></head>\n<body><h1>");
	add(&page, text, n);
	add_str(&page, "</h1></body></html>\n");

	add_start(&h, st);
	add_field(&h, "Content-Type", "text/html; charset=utf-8");
	add_field(&h, "X-Content-Type-Options", "nosniff");
	if (st == STATUS_METHOD_NOT_ALLOWED)
		add_field(&h, "Allow", ALLOW);
	if (range_size != NULL) {
		add_str(&h, "Content-Range: bytes */");
		add_u64(&h, *range_size);
		add_str(&h, "\r\n");
	}
	if (st == STATUS_MOVED_PERMANENTLY) {
		/* The path as sent plus "/", and the query: a relative
		 * reference (RFC 9110, section 10.2.2).  The parser let only
		 * visible ASCII into the target, so no header can be forged. */
		add_str(&h, "Location: ");
		add(&h, req->path, req->path_len);
		add_str(&h, "/");
		if (req->query != NULL) {
			add_str(&h, "?");
			add(&h, req->query, req->query_len);
		}
		add_str(&h, "\r\n");
	}
	add_end(&h, page.len);
	if (body)
		add(&h, page.buf, page.len);
	if (conn_write(c, h.buf, h.len, 0) == 0 && body)
		c->body_sent += page.len;
	return st;
}

static enum status
send_options(struct conn *c)
{
	struct hdr h;	/* not zeroed: add_start() starts it */

	add_start(&h, STATUS_OK);
	add_field(&h, "Allow", ALLOW);
	add_end(&h, 0);
	(void)conn_write(c, h.buf, h.len, 0);
	return STATUS_OK;
}

static enum status
send_listing(struct conn *c, const struct request *req, struct target *t)
{
	struct hdr h;	/* not zeroed: add_start() starts it */
	size_t len;
	char *page = listing_build(t->fd, t->name, &len);

	if (page == NULL)
		return send_error(c, req, STATUS_INTERNAL_SERVER_ERROR, NULL);
	add_start(&h, STATUS_OK);
	add_field(&h, "Content-Type", t->type);
	add_field(&h, "X-Content-Type-Options", "nosniff");
	add_end(&h, len);
	if (conn_write(c, h.buf, h.len, req->method != METHOD_HEAD) == 0 &&
	    req->method != METHOD_HEAD && conn_write(c, page, len, 0) == 0)
		c->body_sent += len;
	free(page);
	return STATUS_OK;
}

static enum status
send_file(struct conn *c, const struct request *req, struct target *t)
{
	char etag[ETAG_MAX], date[HTTPDATE_LEN + 1];
	uint64_t size = (uint64_t)t->st.st_size, first = 0, last = 0, length;
	struct hdr h;	/* not zeroed: add_start() starts it */
	enum status st;
	int body;

	cond_etag(&t->st, etag);
	st = cond_evaluate(req, &t->st, etag, &first, &last);
	if (st == STATUS_PRECONDITION_FAILED)
		return send_error(c, req, st, NULL);
	if (st == STATUS_RANGE_NOT_SATISFIABLE)
		return send_error(c, req, st, &size);

	add_start(&h, st);
	if (st != STATUS_NOT_MODIFIED) {
		add_field(&h, "Content-Type", t->type);
		add_field(&h, "X-Content-Type-Options", "nosniff");
	}
	httpdate_format((int64_t)t->st.st_mtim.tv_sec, date);
	add_field(&h, "Last-Modified", date);
	add_field(&h, "ETag", etag);
	if (st != STATUS_NOT_MODIFIED)
		add_field(&h, "Accept-Ranges", "bytes");
	if (st == STATUS_PARTIAL_CONTENT) {
		add_str(&h, "Content-Range: bytes ");
		add_u64(&h, first);
		add_str(&h, "-");
		add_u64(&h, last);
		add_str(&h, "/");
		add_u64(&h, size);
		add_str(&h, "\r\n");
		length = last - first + 1;
	} else {
		first = 0;
		length = size;
	}
	/* A 304 carries the length a 200 would have had (RFC 9110,
	 * section 8.6), and no body. */
	add_end(&h, length);
	body = req->method != METHOD_HEAD && st != STATUS_NOT_MODIFIED &&
	    length > 0;
	if (conn_write(c, h.buf, h.len, body) == 0 && body)
		(void)conn_send_file(c, t->fd, first, length);
	return st;
}

enum status
response_send(struct conn *c, const struct request *req, struct target *t,
    enum status st)
{
	if (st == STATUS_OK && req->method == METHOD_OPTIONS)
		st = send_options(c);
	else if (st == STATUS_OK && t->listing)
		st = send_listing(c, req, t);
	else if (st == STATUS_OK)
		st = send_file(c, req, t);
	else
		st = send_error(c, req, st, NULL);
	return st;	/* t->fd is closed with the rest by conn_finish() */
}

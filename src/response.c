/*
 * Writing the response.  Every byte of a header comes from us or from a
 * validated request field; the error page echoes nothing of the request.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cond.h"
#include "config.h"
#include "fmt.h"
#include "httpdate.h"
#include "listing.h"
#include "response.h"

#define ALLOW	"GET, HEAD, OPTIONS"

/* The longest Location (every byte of the request line percent-encoded)
 * plus every fixed field. */
#define HEAD_BUF	(3 * LINE_MAX_LEN + 2048)

/* A response head (or an error page) being built in buf. */
struct hdr {
	char buf[HEAD_BUF];
	struct text t;
};

/* The one response of the process is built here: a static buffer costs a
 * page fault for each page written, where a stack frame this large would
 * touch every page of it first (the stack clash probes). */
static struct hdr response_hdr;

/* The Connection field of the response being built: "close", "keep-alive"
 * (for HTTP/1.0, which must ask for it), or NULL (HTTP/1.1 persists by
 * default). */
static const char *connection;

/*
 * s percent-encoded for a path: every byte but the unreserved characters,
 * the sub-delimiters, ':', '@' and '/' (RFC 3986, section 3.3) becomes %XX.
 */
static void
add_path(struct text *h, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=:@/", c))
			text_put(h, s, 1);
		else {
			char e[3] = { '%', fmt_hex_digits[16 + (c >> 4)],
			    fmt_hex_digits[16 + (c & 15)] };

			text_put(h, e, sizeof(e));
		}
	}
}

static void
add_field(struct text *h, const char *name, const char *value)
{
	text_str(h, name);
	text_str(h, ": ");
	text_str(h, value);
	text_str(h, "\r\n");
}

/* Status line, Date and Server: the start of every response. */
static void
add_start(struct hdr *h, const struct config *cfg, enum status st)
{
	char date[HTTPDATE_LEN + 1];

	h->t = (struct text){ h->buf, sizeof(h->buf), 0 };
	text_str(&h->t, "HTTP/1.1 ");
	text_u64(&h->t, (uint64_t)st);
	text_str(&h->t, " ");
	text_str(&h->t, status_reason(st));
	text_str(&h->t, "\r\n");
	httpdate_format(httpdate_now(), date);
	add_field(&h->t, "Date", date);
	add_field(&h->t, "Server", "webserver/" VERSION);
	/* --header fields, checked at start-up. */
	text_put(&h->t, cfg->headers, cfg->headers_len);
}

/* Content-Length, Connection and the empty line: the end of every head. */
static void
add_end(struct text *h, uint64_t length)
{
	text_str(h, "Content-Length: ");
	text_u64(h, length);
	text_str(h, "\r\n");
	if (connection != NULL)
		add_field(h, "Connection", connection);
	text_str(h, "\r\n");
}

/* "404 Not Found" into buf; returns its length. */
static size_t
status_text(enum status st, char *buf)
{
	const char *reason = status_reason(st);
	size_t n = strlen(reason);
	char *p = fmt_u64(buf, (uint64_t)st);

	*p++ = ' ';
	memcpy(p, reason, n);
	return (size_t)(p - buf) + n;
}

/*
 * Security: the error page names the status and nothing else: no
 * request-target, no path, no errno, so nothing can be reflected into it.
 * range_size, when not NULL, is the file size a 416 reports; t names the
 * directory a 301 points to.
 */
static enum status
send_error(const struct config *cfg, struct conn *c, const struct request *req,
    const struct target *t, enum status st, const uint64_t *range_size)
{
	char text[64], page_buf[256], name[16];
	struct text page = { page_buf, sizeof(page_buf), 0 };
	struct hdr *h = &response_hdr;
	size_t n = status_text(st, text);
	int body = req->method != METHOD_HEAD, page_fd = -1;
	uint64_t page_len;

	/* --error-pages: NNN.html, the site's own first, read now. */
	if (st >= 400) {
		*fmt_u64(name, (uint64_t)st) = '\0';
		memcpy(name + 3, ".html", 6);
		page_fd = path_error_page(cfg, t->site, name, &page_len);
	}
	text_str(&page, "<!DOCTYPE html>\n<html><head><title>");
	text_put(&page, text, n);
	text_str(&page, "</title></head>\n<body><h1>");
	text_put(&page, text, n);
	text_str(&page, "</h1></body></html>\n");

	add_start(h, cfg, st);
	add_field(&h->t, "Content-Type", "text/html; charset=utf-8");
	add_field(&h->t, "X-Content-Type-Options", "nosniff");
	if (st == STATUS_METHOD_NOT_ALLOWED)
		add_field(&h->t, "Allow", ALLOW);
	/* A 412 or 416 for a file with variants was decided on the variant
	 * Accept-Encoding chose: it varies as a 200 does. */
	if (t->vary)
		add_field(&h->t, "Vary", "Accept-Encoding");
	if (range_size != NULL) {
		text_str(&h->t, "Content-Range: bytes */");
		text_u64(&h->t, *range_size);
		text_str(&h->t, "\r\n");
	}
	if (st == STATUS_MOVED_PERMANENTLY) {
		/*
		 * Security: the Location is built from the normalized path,
		 * never from the target as sent: one "/", then segments that
		 * are never empty, percent-encoded, then "/" and the query.
		 * So it can never begin with "//" or "/\", which a browser
		 * would follow to another host (RFC 3986, section 4.2).  The
		 * parser let only visible ASCII into the query, so no header
		 * can be forged through it.
		 */
		text_str(&h->t, "Location: /");
		add_path(&h->t, t->name);
		text_str(&h->t, "/");
		if (req->query != NULL) {
			text_str(&h->t, "?");
			text_put(&h->t, req->query, req->query_len);
		}
		text_str(&h->t, "\r\n");
	}
	if (page_fd != -1) {
		/* Its own bytes, length and nothing of the request. */
		add_end(&h->t, page_len);
		if (conn_write(c, h->buf, h->t.len, body && page_len > 0) == 0 &&
		    body && page_len > 0)
			(void)conn_send_file(c, page_fd, 0, page_len);
		if (c->keep)
			close(page_fd);	/* else closed with the rest */
		return st;
	}
	add_end(&h->t, page.len);
	if (body)
		text_put(&h->t, page_buf, page.len);
	(void)conn_write_body(c, h->buf, h->t.len - (body ? page.len : 0), h->t.len);
	return st;
}

static enum status
send_options(const struct config *cfg, struct conn *c)
{
	struct hdr *h = &response_hdr;

	add_start(h, cfg, STATUS_OK);
	add_field(&h->t, "Allow", ALLOW);
	add_end(&h->t, 0);
	(void)conn_write(c, h->buf, h->t.len, 0);
	return STATUS_OK;
}

static enum status
send_listing(const struct config *cfg, struct conn *c, const struct request *req,
    struct target *t)
{
	struct hdr *h = &response_hdr;
	size_t len;
	char *page = listing_build(t->fd, t->name, &len);

	if (page == NULL)
		return send_error(cfg, c, req, t, STATUS_INTERNAL_SERVER_ERROR, NULL);
	add_start(h, cfg, STATUS_OK);
	add_field(&h->t, "Content-Type", t->type);
	add_field(&h->t, "X-Content-Type-Options", "nosniff");
	add_end(&h->t, len);
	if (conn_write(c, h->buf, h->t.len, req->method != METHOD_HEAD) == 0 &&
	    req->method != METHOD_HEAD)
		(void)conn_write_body(c, page, 0, len);
	free(page);
	return STATUS_OK;
}

static enum status
send_file(const struct config *cfg, struct conn *c, const struct request *req,
    struct target *t)
{
	char etag[ETAG_MAX], date[HTTPDATE_LEN + 1];
	uint64_t size = (uint64_t)t->st.st_size, first = 0, last = 0, length;
	struct hdr *h = &response_hdr;
	struct stat vst = t->st;
	int64_t now = httpdate_now();
	enum status st;
	int body;

	/* A modification time in the future is replaced by the time of the
	 * response (RFC 9110, section 8.8.2.1), for Last-Modified and the
	 * date preconditions alike. */
	if ((int64_t)vst.st_mtim.tv_sec > now)
		vst.st_mtim.tv_sec = (time_t)now;
	cond_etag(&t->st, etag);
	st = cond_evaluate(req, &vst, etag, &first, &last);
	if (st == STATUS_PRECONDITION_FAILED)
		return send_error(cfg, c, req, t, st, NULL);
	if (st == STATUS_RANGE_NOT_SATISFIABLE)
		return send_error(cfg, c, req, t, st, &size);

	add_start(h, cfg, st);
	if (st != STATUS_NOT_MODIFIED) {
		add_field(&h->t, "Content-Type", t->type);
		add_field(&h->t, "X-Content-Type-Options", "nosniff");
		if (t->encoding != NULL)
			add_field(&h->t, "Content-Encoding", t->encoding);
	}
	/* Every answer for a file with variants depends on Accept-Encoding,
	 * a 304 too (RFC 9110, section 12.5.5). */
	if (t->vary)
		add_field(&h->t, "Vary", "Accept-Encoding");
	httpdate_format((int64_t)vst.st_mtim.tv_sec, date);
	add_field(&h->t, "Last-Modified", date);
	add_field(&h->t, "ETag", etag);
	if (st != STATUS_NOT_MODIFIED)
		add_field(&h->t, "Accept-Ranges", "bytes");
	if (st == STATUS_PARTIAL_CONTENT) {
		text_str(&h->t, "Content-Range: bytes ");
		text_u64(&h->t, first);
		text_str(&h->t, "-");
		text_u64(&h->t, last);
		text_str(&h->t, "/");
		text_u64(&h->t, size);
		text_str(&h->t, "\r\n");
		length = last - first + 1;
	} else {
		first = 0;
		length = size;
	}
	/* A 304 carries the length a 200 would have had (RFC 9110,
	 * section 8.6), and no body. */
	add_end(&h->t, length);
	body = req->method != METHOD_HEAD && st != STATUS_NOT_MODIFIED &&
	    length > 0;
	/* A small body goes out with the head in one write: a pread() and
	 * one send cost less than a send and a sendfile(), which sets up a
	 * pipe in the kernel the first time a process uses it.  A file that
	 * has become shorter takes the sendfile() path, which ends the
	 * response short rather than pad it. */
	if (body && length <= INLINE_BODY_MAX && length <= sizeof(h->buf) - h->t.len &&
	    pread(t->fd, h->buf + h->t.len, (size_t)length, (off_t)first) == (ssize_t)length) {
		(void)conn_write_body(c, h->buf, h->t.len, h->t.len + (size_t)length);
		return st;
	}
	if (conn_write(c, h->buf, h->t.len, body) == 0 && body)
		(void)conn_send_file(c, t->fd, first, length);
	return st;
}

enum status
response_send(const struct config *cfg, struct conn *c,
    const struct request *req, struct target *t, enum status st)
{
	connection = !c->keep ? "close" : req->minor == 0 ? "keep-alive" : NULL;
	if (st == STATUS_OK && req->method == METHOD_OPTIONS)
		st = send_options(cfg, c);
	else if (st == STATUS_OK && t->listing)
		st = send_listing(cfg, c, req, t);
	else if (st == STATUS_OK)
		st = send_file(cfg, c, req, t);
	else
		st = send_error(cfg, c, req, t, st, NULL);
	return st;	/* t->fd is closed with the rest by conn_finish() */
}

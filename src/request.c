/*
 * HTTP/1.1 request head framing and parsing (RFC 9112, sections 2 to 6;
 * RFC 9110, section 5).  Input: raw network bytes, nothing validated yet.
 * It never reads outside buf[0..len) and never writes anywhere but *f and
 * *req.
 */
#include <string.h>

#include "config.h"
#include "fmt.h"
#include "request.h"

int
request_is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int
request_name_is(const char *a, size_t a_len, const char *b)
{
	size_t i;

	for (i = 0; i < a_len; i++)
		if (b[i] == '\0' || lower((unsigned char)a[i]) != b[i])
			return 0;
	return b[i] == '\0';
}

/* The states of request_frame(). */
enum {
	F_LEAD = 0,	/* before the request line, where empty lines are skipped */
	F_LEAD_CR,	/* a CR there: an LF must follow */
	F_METHOD,	/* in the method */
	F_TARGET,	/* after the SP that ends the method */
	F_TARGET_MORE,	/* in the request-target */
	F_LINE_CR,	/* the CR that ends the request line */
	F_FIELD_START,	/* at the start of a field line or of the empty line */
	F_FIELD,	/* in a field line */
	F_FIELD_CR,	/* the CR that ends a field line */
	F_END_CR,	/* the CR of the empty line */
	F_VERSION,	/* F_VERSION + k: k bytes of the HTTP-version seen */
};

/*
 * A byte-at-a-time recognizer of the head's frame: the request line's
 * shape (method SP request-target SP HTTP-version, RFC 9112, section 3),
 * line ends, and where the empty line is.  The field lines' syntax is left
 * to request_parse().
 * Security: a request line that cannot become valid is refused at its first
 * wrong byte, so that a TLS handshake, a binary protocol or an HTTP/0.9
 * request is answered at once and holds no process until the timeout; every
 * limit is refused as soon as it is passed, without waiting for more bytes.
 */
enum status
request_frame(struct frame *f, const char *buf, size_t len, size_t *head_len)
{
	static const char version[] = "HTTP/d.d";

	for (; f->pos < len; f->pos++) {
		unsigned char c = (unsigned char)buf[f->pos];
		unsigned k;

		/* One byte of the request line, or of the field lines, too
		 * many.  Line ends do not count. */
		if ((f->state == F_METHOD || f->state == F_TARGET ||
		    f->state == F_TARGET_MORE ||
		    (f->state >= F_VERSION && f->state < F_VERSION + 8)) &&
		    f->pos - f->line_start >= LINE_MAX_LEN)
			return STATUS_URI_TOO_LONG;
		if (((f->state == F_FIELD_START && c != '\r' && c != '\n') ||
		    f->state == F_FIELD || f->state == F_FIELD_CR) &&
		    f->pos - f->fields_start >= FIELDS_MAX_LEN)
			return STATUS_HEADER_FIELDS_TOO_LARGE;

		switch (f->state) {
		case F_LEAD:
			/* RFC 9112, section 2.2: empty lines before the
			 * request line are skipped, within the line limit. */
			if (f->pos >= LINE_MAX_LEN)
				return STATUS_BAD_REQUEST;
			if (c == '\r')
				f->state = F_LEAD_CR;
			else if (c != '\n') {
				f->line_start = f->pos;
				if (!request_is_tchar(c))
					return STATUS_BAD_REQUEST;
				f->state = F_METHOD;
			}
			break;
		case F_LEAD_CR:
			if (c != '\n')
				return STATUS_BAD_REQUEST;
			f->state = F_LEAD;
			break;
		case F_METHOD:
			if (c == ' ')
				f->state = F_TARGET;
			else if (!request_is_tchar(c))
				return STATUS_BAD_REQUEST;
			break;
		case F_TARGET:
		case F_TARGET_MORE:
			if (c == ' ' && f->state == F_TARGET_MORE)
				f->state = F_VERSION;
			else if (c <= ' ' || c >= 0x7f)
				return STATUS_BAD_REQUEST;
			else
				f->state = F_TARGET_MORE;
			break;
		case F_LINE_CR:
		case F_FIELD_CR:
			if (c != '\n')
				return STATUS_BAD_REQUEST;	/* a bare CR */
			goto line_end;
		case F_FIELD_START:
			if (c == '\n')
				goto head_end;
			f->state = c == '\r' ? F_END_CR : F_FIELD;
			break;
		case F_FIELD:
			if (c == '\r')
				f->state = F_FIELD_CR;
			else if (c == '\n')
				goto line_end;
			break;
		case F_END_CR:
			if (c != '\n')
				return STATUS_BAD_REQUEST;
			goto head_end;
		default:
			/* HTTP-version = "HTTP/" DIGIT "." DIGIT, then the line
			 * end; case-sensitive (RFC 9112, section 2.3). */
			k = f->state - F_VERSION;
			if (k == 8) {
				if (c == '\r')
					f->state = F_LINE_CR;
				else if (c == '\n')
					goto line_end;
				else
					return STATUS_BAD_REQUEST;
			} else if (version[k] == 'd' ? c < '0' || c > '9' :
			    c != (unsigned char)version[k])
				return STATUS_BAD_REQUEST;
			else
				f->state++;
			break;
		}
		continue;
line_end:
		/* The end of the request line or of a field line. */
		if (f->state == F_LINE_CR || f->state >= F_VERSION)
			f->fields_start = f->pos + 1;
		else if (++f->fields > FIELDS_MAX)
			return STATUS_HEADER_FIELDS_TOO_LARGE;
		f->state = F_FIELD_START;
	}
	return STATUS_NONE;
head_end:
	*head_len = ++f->pos;
	return STATUS_OK;
}

/*
 * Find the next line in buf[*pos..len).  On return line and line_len hold
 * it without its end.  Returns 1, 0 at the end of the buffer (the rest is taken
 * as a last line), or -1 for a CR not followed by LF.
 * Security: a bare CR is refused, so no two parsers can disagree on where a
 * line ends (RFC 9112, section 2.2).  A bare LF is accepted as a line end.
 */
static int
next_line(const char *buf, size_t len, size_t *pos, const char **line,
    size_t *line_len)
{
	size_t i;

	*line = buf + *pos;
	for (i = *pos; i < len; i++) {
		if (buf[i] == '\n') {
			*line_len = i - *pos;
			*pos = i + 1;
			return 1;
		}
		if (buf[i] == '\r') {
			if (i + 1 >= len || buf[i + 1] != '\n') {
				*line_len = i - *pos;
				return -1;
			}
			*line_len = i - *pos;
			*pos = i + 2;
			return 1;
		}
	}
	*line_len = len - *pos;
	*pos = len;
	return 0;
}

/*
 * uri-host [ ":" port ] (RFC 9110, section 7.2; RFC 3986, section 3.2.2).
 * Security: the Host value reaches the log only, but an invalid one marks a
 * request that another parser may read differently, so it is refused.
 */
static int
host_is_valid(const char *s, size_t len)
{
	unsigned long port;
	size_t i = 0;

	if (len > 0 && s[0] == '[') {
		for (i = 1; i < len && s[i] != ']'; i++)
			if (!(fmt_hex_value((unsigned char)s[i]) >= 0) && s[i] != ':' &&
			    s[i] != '.' && s[i] != 'v' && s[i] != 'V')
				return 0;
		if (i >= len || i == 1)
			return 0;
		i++;
	} else {
		for (; i < len && s[i] != ':'; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c == '%') {
				if (i + 2 >= len || !(fmt_hex_value((unsigned char)s[i + 1]) >= 0) ||
				    !(fmt_hex_value((unsigned char)s[i + 2]) >= 0))
					return 0;
				i += 2;
				continue;
			}
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=", c)))
				return 0;
		}
	}
	if (i == len)
		return 1;
	if (s[i] != ':')
		return 0;
	/* A port is a 16-bit number: "99999999999999999999" is no port,
	 * whatever reads it (RFC 9110, section 4.2.1). */
	for (i++, port = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		port = port * 10 + (unsigned long)(s[i] - '0');
		if (port > 65535)
			return 0;
	}
	return 1;
}

/*
 * Content-Length = 1#DIGIT; a list is allowed only when all members are equal
 * (RFC 9110, section 8.6).  Folds the value into *req.  Returns 0, or -1 for
 * an invalid or disagreeing value.
 * Security: disagreeing or malformed lengths are how requests are smuggled.
 */
static int
content_length_add(const char *v, size_t len, struct request *req)
{
	size_t i = 0;

	for (;;) {
		uint64_t n = 0;
		size_t digits = 0;

		while (i < len && (v[i] == ' ' || v[i] == '\t'))
			i++;
		for (; i < len && v[i] >= '0' && v[i] <= '9'; i++, digits++) {
			if (n > (UINT64_MAX - 9) / 10)
				return -1;
			n = n * 10 + (uint64_t)(v[i] - '0');
		}
		if (digits == 0)
			return -1;
		if (req->has_content_length && req->content_length != n)
			return -1;
		req->content_length = n;
		req->has_content_length = 1;
		while (i < len && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (i == len)
			return 0;
		if (v[i++] != ',')
			return -1;
	}
}

/*
 * The singleton fields kept by value.  Those that select a response
 * (Range and the conditionals) are ignored when sent twice, as RFC 9110
 * asks of a value that is a list where one value is expected (sections
 * 13.1.3, 13.1.4, 13.1.5 and 14.2); the logged ones keep their first copy.
 */
#define FIELD(name, member, ignore_repeat) { name, \
	offsetof(struct request, member), \
	offsetof(struct request, member##_len), ignore_repeat }

enum { K_RANGE, K_IF_RANGE };	/* their places in known_fields */

static const struct {
	const char *name;
	size_t value, value_len;
	int ignore_repeat;
} known_fields[] = {
	FIELD("range", range, 1),
	FIELD("if-range", if_range, 1),
	FIELD("if-modified-since", if_modified_since, 1),
	FIELD("if-unmodified-since", if_unmodified_since, 1),
	FIELD("user-agent", user_agent, 0),
	FIELD("referer", referer, 0),
};

enum { N_KNOWN = sizeof(known_fields) / sizeof(known_fields[0]) };

/* What field_parse() gathers across the field lines. */
struct fields_seen {
	unsigned count[N_KNOWN];
	unsigned te_lines;	/* Transfer-Encoding field lines */
	enum status te;		/* STATUS_OK, or what the codings call for */
	int conn_close;		/* Connection: close */
	int conn_keep_alive;	/* Connection: keep-alive */
};

/*
 * Transfer-Encoding = #transfer-coding (RFC 9112, section 6.1).  Empty
 * list elements are ignored.  Returns STATUS_OK when chunked is the final
 * coding and the only other codings are none; STATUS_NOT_IMPLEMENTED when
 * chunked is final but another coding comes before it; STATUS_BAD_REQUEST
 * when chunked is not final, appears twice, or no coding is named.
 * Security: a body whose length cannot be known is refused, never guessed
 * (RFC 9112, section 6.3), so no two parsers can frame it differently.
 */
/*
 * The next element of a comma-separated list (RFC 9110, section 5.6.1)
 * from v[*i..len): its bounds, whitespace removed, in *start and *end
 * (equal for an empty element).  Returns 0 at the end of the list.
 */
static int
list_next(const char *v, size_t len, size_t *i, size_t *start, size_t *end)
{
	size_t k = *i, e;

	if (k >= len)
		return 0;
	while (k < len && (v[k] == ' ' || v[k] == '\t'))
		k++;
	*start = k;
	while (k < len && v[k] != ',')
		k++;
	e = k;
	while (e > *start && (v[e - 1] == ' ' || v[e - 1] == '\t'))
		e--;
	*end = e;
	*i = k < len ? k + 1 : k;	/* past the comma */
	return 1;
}

static enum status
te_parse(const char *v, size_t len, struct request *req)
{
	size_t i = 0, start, end;
	unsigned codings = 0, chunked = 0, other = 0;
	int last_chunked = 0;

	while (list_next(v, len, &i, &start, &end)) {
		if (end == start)
			continue;	/* an empty element */
		codings++;
		last_chunked = request_name_is(v + start, end - start, "chunked");
		if (last_chunked)
			chunked++;
		else
			other++;
	}
	if (codings == 0 || chunked != 1 || !last_chunked)
		return STATUS_BAD_REQUEST;
	req->chunked = 1;
	return other > 0 ? STATUS_NOT_IMPLEMENTED : STATUS_OK;
}

/* Connection = #connection-option (RFC 9110, section 7.6.1): note close
 * and keep-alive, on any number of lines. */
static void
connection_parse(const char *v, size_t len, struct fields_seen *seen)
{
	size_t i = 0, start, end;

	while (list_next(v, len, &i, &start, &end)) {
		if (request_name_is(v + start, end - start, "close"))
			seen->conn_close = 1;
		else if (request_name_is(v + start, end - start, "keep-alive"))
			seen->conn_keep_alive = 1;
	}
}

/* Append one field line's value to a list field. */
static enum status
list_add(struct field_list *l, const char *value, size_t len)
{
	if (l->n == LIST_LINES_MAX)
		return STATUS_HEADER_FIELDS_TOO_LARGE;
	l->v[l->n] = value;
	l->len[l->n++] = len;
	return STATUS_OK;
}

/* One header field line.  Returns STATUS_OK or the status to refuse with. */
static enum status
field_parse(const char *line, size_t len, struct request *req,
    struct fields_seen *seen)
{
	size_t i, name_len, v, v_end;
	const char *value;
	size_t value_len, k;

	/* Security: obs-fold (a line starting with whitespace) is refused
	 * (RFC 9112, section 5.2), as is whitespace before the colon
	 * (section 5.1): both let two parsers see different fields. */
	for (i = 0; i < len && line[i] != ':'; i++)
		if (!request_is_tchar((unsigned char)line[i]))
			return STATUS_BAD_REQUEST;
	if (i == 0 || i == len)
		return STATUS_BAD_REQUEST;
	name_len = i;
	v = i + 1;
	while (v < len && (line[v] == ' ' || line[v] == '\t'))
		v++;
	v_end = len;
	while (v_end > v && (line[v_end - 1] == ' ' || line[v_end - 1] == '\t'))
		v_end--;
	/* Security: control bytes (NUL, CR, ESC, DEL ...) in a value are
	 * refused (RFC 9110, section 5.5); obs-text is allowed. */
	for (k = v; k < v_end; k++) {
		unsigned char c = (unsigned char)line[k];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return STATUS_BAD_REQUEST;
	}
	value = line + v;
	value_len = v_end - v;

	if (request_name_is(line, name_len, "host")) {
		/* Security: exactly one valid Host (RFC 9112, section 3.2). */
		if (req->host != NULL || !host_is_valid(value, value_len))
			return STATUS_BAD_REQUEST;
		req->host = value;
		req->host_len = value_len;
	} else if (request_name_is(line, name_len, "content-length")) {
		if (content_length_add(value, value_len, req) == -1)
			return STATUS_BAD_REQUEST;
	} else if (request_name_is(line, name_len, "transfer-encoding")) {
		/* Security: one Transfer-Encoding field line, ending in
		 * "chunked", which is never decoded: the body is discarded
		 * on close.  Judged once every field is in. */
		seen->te_lines++;
		seen->te = te_parse(value, value_len, req);
	} else if (request_name_is(line, name_len, "connection")) {
		connection_parse(value, value_len, seen);
	} else if (request_name_is(line, name_len, "if-match")) {
		return list_add(&req->if_match, value, value_len);
	} else if (request_name_is(line, name_len, "if-none-match")) {
		return list_add(&req->if_none_match, value, value_len);
	} else if (request_name_is(line, name_len, "accept-encoding")) {
		return list_add(&req->accept_encoding, value, value_len);
	} else {
		for (k = 0; k < N_KNOWN; k++) {
			const char **p;

			if (!request_name_is(line, name_len, known_fields[k].name))
				continue;
			p = (const char **)((char *)req + known_fields[k].value);
			if (seen->count[k]++ == 0) {
				*p = value;
				*(size_t *)((char *)req + known_fields[k].value_len) =
				    value_len;
			} else if (known_fields[k].ignore_repeat)
				*p = NULL;
			break;
		}
	}
	return STATUS_OK;
}

/* Split the request-target into form, path and query. */
static enum status
target_parse(struct request *req)
{
	const char *t = req->target, *end = t + req->target_len, *p, *q;
	size_t i;

	/* Security: only visible ASCII, no fragment (RFC 9112, section 3.2);
	 * everything else must arrive percent-encoded. */
	for (i = 0; i < req->target_len; i++)
		if (t[i] <= ' ' || t[i] >= 0x7f || t[i] == '#')
			return STATUS_BAD_REQUEST;

	if (req->target_len == 1 && t[0] == '*') {
		if (req->method != METHOD_OPTIONS)
			return STATUS_BAD_REQUEST;
		req->form = FORM_ASTERISK;
		return STATUS_OK;
	}
	p = t;
	if (t[0] != '/') {
		const char *auth;

		if (req->target_len > 7 && request_name_is(t, 7, "http://"))
			auth = t + 7;
		else if (req->target_len > 8 && request_name_is(t, 8, "https://"))
			auth = t + 8;
		else
			return STATUS_BAD_REQUEST;
		for (p = auth; p < end && *p != '/' && *p != '?'; p++)
			;
		/* Security: userinfo in an http URI is an error
		 * (RFC 9110, section 4.2.4). */
		if (p == auth || memchr(auth, '@', (size_t)(p - auth)) ||
		    !host_is_valid(auth, (size_t)(p - auth)))
			return STATUS_BAD_REQUEST;
		req->authority = auth;
		req->authority_len = (size_t)(p - auth);
		req->form = FORM_ABSOLUTE;
		if (p == end || *p == '?') {
			/* An empty path is "/" (RFC 9112, section 3.2.2). */
			req->path = "/";
			req->path_len = 1;
			goto query;
		}
	}
	for (q = p; q < end && *q != '?'; q++)
		;
	req->path = p;
	req->path_len = (size_t)(q - p);
	p = q;
query:
	if (p < end) {
		req->query = p + 1;
		req->query_len = (size_t)(end - p - 1);
	}
	return STATUS_OK;
}

static enum method
method_classify(const char *m, size_t len)
{
	static const char *const refused[] = {
		"POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT",
	};
	size_t i;

	if (len == 3 && memcmp(m, "GET", 3) == 0)
		return METHOD_GET;
	if (len == 4 && memcmp(m, "HEAD", 4) == 0)
		return METHOD_HEAD;
	if (len == 7 && memcmp(m, "OPTIONS", 7) == 0)
		return METHOD_OPTIONS;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strlen(refused[i]) == len && memcmp(m, refused[i], len) == 0)
			return METHOD_OTHER;
	return METHOD_NONE;
}

enum status
request_parse(const char *buf, size_t len, struct request *req)
{
	const char *line, *sp1, *sp2, *ver, *method;
	size_t pos = 0, line_len, method_len, ver_len;
	struct fields_seen seen;
	int r;
	enum method m;

	memset(req, 0, sizeof(*req));
	memset(&seen, 0, sizeof(seen));

	/* RFC 9112, section 2.2: ignore empty lines before the request line. */
	do {
		r = next_line(buf, len, &pos, &line, &line_len);
	} while (r == 1 && line_len == 0);
	req->line = line;
	req->line_len = line_len;
	if (r == -1 || line_len == 0)
		return STATUS_BAD_REQUEST;

	/* request-line = method SP request-target SP HTTP-version */
	sp1 = memchr(line, ' ', line_len);
	if (sp1 == NULL)
		return STATUS_BAD_REQUEST;
	method = line;
	method_len = (size_t)(sp1 - line);
	sp2 = memchr(sp1 + 1, ' ', line_len - method_len - 1);
	if (sp2 == NULL || sp2 == sp1 + 1)
		return STATUS_BAD_REQUEST;
	req->target = sp1 + 1;
	req->target_len = (size_t)(sp2 - sp1 - 1);
	ver = sp2 + 1;
	ver_len = line_len - (size_t)(ver - line);
	if (method_len == 0)
		return STATUS_BAD_REQUEST;
	for (size_t i = 0; i < method_len; i++)
		if (!request_is_tchar((unsigned char)method[i]))
			return STATUS_BAD_REQUEST;
	/* Known early, so that an error answer to HEAD carries no body. */
	m = method_classify(method, method_len);
	req->method = m;

	/* HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive. */
	if (ver_len != 8 || memcmp(ver, "HTTP/", 5) != 0 || ver[6] != '.' ||
	    ver[5] < '0' || ver[5] > '9' || ver[7] < '0' || ver[7] > '9')
		return STATUS_BAD_REQUEST;
	if (ver[5] != '1')
		return STATUS_VERSION_NOT_SUPPORTED;
	req->minor = ver[7] == '0' ? 0 : 1;

	/* Header fields, up to the empty line (or the end of the buffer);
	 * request_frame() has bounded their size and number. */
	for (;;) {
		enum status st;

		r = next_line(buf, len, &pos, &line, &line_len);
		if (r == -1)
			return STATUS_BAD_REQUEST;
		if (line_len == 0)
			break;
		st = field_parse(line, line_len, req, &seen);
		if (st != STATUS_OK)
			return st;
		if (r == 0)
			break;
	}

	/* Whether a client may send another request after this one: not
	 * after close, and in HTTP/1.0 only after keep-alive (RFC 9112,
	 * sections 9.3 and 9.6). */
	req->last = seen.conn_close || (req->minor == 0 && !seen.conn_keep_alive);
	if (req->minor == 1 && req->host == NULL)
		return STATUS_BAD_REQUEST;
	/* Security: a message with both framings, two Transfer-Encoding
	 * lines, or a transfer coding in HTTP/1.0 is faulty (RFC 9112,
	 * sections 6.1 and 6.3). */
	if (seen.te_lines > 0) {
		if (seen.te_lines > 1 || req->has_content_length || req->minor == 0)
			return STATUS_BAD_REQUEST;
		if (seen.te != STATUS_OK)
			return seen.te;
	}
	/* An If-Range sent twice matches nothing, so Range is ignored. */
	if (seen.count[K_IF_RANGE] > 1)
		req->range = NULL;
	if (req->has_content_length && req->content_length > LINGER_BYTES)
		return STATUS_CONTENT_TOO_LARGE;

	if (m == METHOD_NONE)
		return STATUS_NOT_IMPLEMENTED;
	if (m == METHOD_OTHER)
		return STATUS_METHOD_NOT_ALLOWED;
	return target_parse(req);
}

size_t
request_next(char *buf, size_t len, size_t head_len, struct frame *f)
{
	size_t k, rest = len - head_len;

	/* Byte by byte from the front, as path_normalize() copies: not
	 * memmove(), one more symbol for the loader at every start. */
	for (k = 0; k < rest; k++)
		buf[k] = buf[head_len + k];
	memset(f, 0, sizeof(*f));
	return rest;
}

int
request_is_head_only(const struct request *req, enum status parsed)
{
	return (parsed == STATUS_OK || parsed == STATUS_METHOD_NOT_ALLOWED) &&
	    !req->chunked && req->content_length == 0;
}

int
request_frame_begun(const struct frame *f)
{
	return f->state != F_LEAD && f->state != F_LEAD_CR;
}

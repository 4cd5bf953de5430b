/*
 * HTTP/1.1 request head parser (RFC 9112, sections 2 to 6; RFC 9110,
 * section 5).  Input: raw network bytes, nothing validated yet.  It never
 * reads outside buf[0..len) and never writes anywhere but *req.
 */
#include <string.h>

#include "config.h"
#include "request.h"

/* Nonzero when c is a tchar (RFC 9110, section 5.6.2). */
static int
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

static int
equal_nocase(const char *a, size_t a_len, const char *b)
{
	size_t i;

	for (i = 0; i < a_len; i++)
		if (b[i] == '\0' || lower((unsigned char)a[i]) != b[i])
			return 0;
	return b[i] == '\0';
}

static int
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
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
	size_t i = 0;

	if (len > 0 && s[0] == '[') {
		for (i = 1; i < len && s[i] != ']'; i++)
			if (!is_hex((unsigned char)s[i]) && s[i] != ':' &&
			    s[i] != '.' && s[i] != 'v' && s[i] != 'V')
				return 0;
		if (i >= len || i == 1)
			return 0;
		i++;
	} else {
		for (; i < len && s[i] != ':'; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c == '%') {
				if (i + 2 >= len || !is_hex((unsigned char)s[i + 1]) ||
				    !is_hex((unsigned char)s[i + 2]))
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
	for (i++; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
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

#define FIELD(name, member) { name, offsetof(struct request, member), \
	offsetof(struct request, member##_len) }

/* The fields we use and keep; the first occurrence wins. */
static const struct {
	const char *name;
	size_t value, value_len;
} known_fields[] = {
	FIELD("range", range),
	FIELD("if-range", if_range),
	FIELD("if-match", if_match),
	FIELD("if-none-match", if_none_match),
	FIELD("if-modified-since", if_modified_since),
	FIELD("if-unmodified-since", if_unmodified_since),
	FIELD("user-agent", user_agent),
	FIELD("referer", referer),
};

/* One header field line.  Returns STATUS_OK or the status to refuse with. */
static enum status
field_parse(const char *line, size_t len, struct request *req, int *te_seen)
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

	if (equal_nocase(line, name_len, "host")) {
		/* Security: exactly one valid Host (RFC 9112, section 3.2). */
		if (req->host != NULL || !host_is_valid(value, value_len))
			return STATUS_BAD_REQUEST;
		req->host = value;
		req->host_len = value_len;
	} else if (equal_nocase(line, name_len, "content-length")) {
		if (content_length_add(value, value_len, req) == -1)
			return STATUS_BAD_REQUEST;
	} else if (equal_nocase(line, name_len, "transfer-encoding")) {
		/* Security: one Transfer-Encoding field, and only "chunked",
		 * which we never decode: the body is discarded on close. */
		if ((*te_seen)++)
			return STATUS_BAD_REQUEST;
		if (!equal_nocase(value, value_len, "chunked"))
			return STATUS_NOT_IMPLEMENTED;
		req->chunked = 1;
	} else {
		for (k = 0; k < sizeof(known_fields) / sizeof(known_fields[0]); k++) {
			const char **p;

			if (!equal_nocase(line, name_len, known_fields[k].name))
				continue;
			p = (const char **)((char *)req + known_fields[k].value);
			if (*p == NULL) {
				*p = value;
				*(size_t *)((char *)req + known_fields[k].value_len) =
				    value_len;
			}
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

		if (req->target_len > 7 && equal_nocase(t, 7, "http://"))
			auth = t + 7;
		else if (req->target_len > 8 && equal_nocase(t, 8, "https://"))
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
	size_t pos = 0, line_len, method_len, ver_len, fields = 0, fields_start;
	int r, te_seen = 0;
	enum method m;

	memset(req, 0, sizeof(*req));

	/* RFC 9112, section 2.2: ignore empty lines before the request line. */
	do {
		r = next_line(buf, len, &pos, &line, &line_len);
	} while (r == 1 && line_len == 0);
	req->line = line;
	req->line_len = line_len;
	if (line_len > LINE_MAX_LEN)
		return STATUS_URI_TOO_LONG;
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

	/* Header fields, up to the empty line (or the end of the buffer). */
	fields_start = pos;
	for (;;) {
		enum status st;

		r = next_line(buf, len, &pos, &line, &line_len);
		if (r == -1)
			return STATUS_BAD_REQUEST;
		if (line_len == 0)
			break;
		/* The field lines with their line ends, the final empty
		 * line excluded, as conn_read_head counts them. */
		if (pos - fields_start > FIELDS_MAX_LEN || ++fields > FIELDS_MAX)
			return STATUS_HEADER_FIELDS_TOO_LARGE;
		st = field_parse(line, line_len, req, &te_seen);
		if (st != STATUS_OK)
			return st;
		if (r == 0)
			break;
	}

	if (req->minor == 1 && req->host == NULL)
		return STATUS_BAD_REQUEST;
	/* Security: a message with both framings, or a transfer coding in
	 * HTTP/1.0, is faulty (RFC 9112, sections 6.1 and 6.3). */
	if (req->chunked && (req->has_content_length || req->minor == 0))
		return STATUS_BAD_REQUEST;
	if (req->has_content_length && req->content_length > LINGER_BYTES)
		return STATUS_CONTENT_TOO_LARGE;

	if (m == METHOD_NONE)
		return STATUS_NOT_IMPLEMENTED;
	if (m == METHOD_OTHER)
		return STATUS_METHOD_NOT_ALLOWED;
	return target_parse(req);
}

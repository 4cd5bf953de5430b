/*
 * Conditional requests.  Input: field values straight from the request;
 * malformed dates are ignored, malformed entity-tag lists match nothing.
 */
#include <string.h>

#include "cond.h"
#include "fmt.h"
#include "httpdate.h"
#include "range.h"

/*
 * inode, size and modification time in nanoseconds: any rewrite of the file
 * (even within the same second, even to the same size) changes the tag.
 */
void
cond_etag(const struct stat *st, char *buf)
{
	/* The last tag made and what it was made of: the next request of a
	 * persistent connection mostly asks for the same file again. */
	static struct {
		uint64_t ino, size, sec, nsec;
		int set;
		char tag[ETAG_MAX];
	} memo;
	char *p = buf;

	if (memo.set && memo.ino == (uint64_t)st->st_ino &&
	    memo.size == (uint64_t)st->st_size &&
	    memo.sec == (uint64_t)st->st_mtim.tv_sec &&
	    memo.nsec == (uint64_t)st->st_mtim.tv_nsec) {
		memcpy(buf, memo.tag, sizeof(memo.tag));
		return;
	}
	*p++ = '"';
	p = fmt_hex(p, (uint64_t)st->st_ino);
	*p++ = '-';
	p = fmt_hex(p, (uint64_t)st->st_size);
	*p++ = '-';
	p = fmt_hex(p, (uint64_t)st->st_mtim.tv_sec);
	*p++ = '.';
	p = fmt_hex(p, (uint64_t)st->st_mtim.tv_nsec);
	*p++ = '"';
	*p = '\0';
	memo.ino = (uint64_t)st->st_ino;
	memo.size = (uint64_t)st->st_size;
	memo.sec = (uint64_t)st->st_mtim.tv_sec;
	memo.nsec = (uint64_t)st->st_mtim.tv_nsec;
	memo.set = 1;
	memcpy(memo.tag, buf, sizeof(memo.tag));
}

/* Nonzero when s[0..len) is "*" with optional whitespace around it. */
static int
is_star(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	return len == 1 && *s == '*';
}

/*
 * In the 1#entity-tag list s[0..len): 1 when a member matches etag (weak
 * selects the weak comparison), 0 when none does, -1 when the list is
 * malformed.
 */
static int
etags_match(const char *s, size_t len, const char *etag, int weak)
{
	size_t i = 0, elen = strlen(etag);
	int found = 0;

	for (;;) {
		size_t start;
		int is_weak = 0;

		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
			i++;
		if (i == len)
			return found;
		if (len - i >= 2 && s[i] == 'W' && s[i + 1] == '/') {
			is_weak = 1;
			i += 2;
		}
		if (i == len || s[i] != '"')
			return -1;
		start = i++;
		while (i < len && s[i] != '"')
			i++;
		if (i == len)
			return -1;
		i++;
		/* Our tags are strong: the strong comparison fails on any weak
		 * tag; the weak one compares the opaque part only. */
		if ((weak || !is_weak) && i - start == elen &&
		    memcmp(s + start, etag, elen) == 0)
			found = 1;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && s[i] != ',')
			return -1;
	}
}

/*
 * Nonzero when the If-Match or If-None-Match field l ("*" or 1#entity-tag,
 * possibly split over several field lines, which form one list) matches
 * etag.  "*" is valid only as the whole field.  A malformed field matches
 * nothing.
 */
static int
cond_list_match(const struct field_list *l, const char *etag, int weak)
{
	unsigned k;
	int found = 0, r;

	if (l->n == 1 && is_star(l->v[0], l->len[0]))
		return 1;
	for (k = 0; k < l->n; k++) {
		r = etags_match(l->v[k], l->len[k], etag, weak);
		if (r == -1)
			return 0;
		found |= r;
	}
	return found;
}

enum status
cond_evaluate(const struct request *req, const struct stat *st,
    const char *etag, uint64_t *first, uint64_t *last)
{
	int64_t mtime = (int64_t)st->st_mtim.tv_sec, date;
	uint64_t size = (uint64_t)st->st_size;

	/* 1 and 2: If-Match, else If-Unmodified-Since. */
	if (req->if_match.n > 0) {
		if (!cond_list_match(&req->if_match, etag, 0))
			return STATUS_PRECONDITION_FAILED;
	} else if (req->if_unmodified_since != NULL &&
	    httpdate_parse(req->if_unmodified_since,
	    req->if_unmodified_since_len, &date) == 0 && mtime > date)
		return STATUS_PRECONDITION_FAILED;

	/* 3 and 4: If-None-Match, else If-Modified-Since (GET and HEAD). */
	if (req->if_none_match.n > 0) {
		if (cond_list_match(&req->if_none_match, etag, 1))
			return STATUS_NOT_MODIFIED;
	} else if (req->if_modified_since != NULL &&
	    httpdate_parse(req->if_modified_since,
	    req->if_modified_since_len, &date) == 0 && mtime <= date)
		return STATUS_NOT_MODIFIED;

	/* 5: Range, for GET only (RFC 9110, section 14.2), when If-Range,
	 * if present, still holds. */
	if (req->method != METHOD_GET || req->range == NULL)
		return STATUS_OK;
	if (req->if_range != NULL) {
		const char *v = req->if_range;
		size_t n = req->if_range_len;

		if (n > 0 && (v[0] == '"' || (n > 1 && v[0] == 'W' && v[1] == '/'))) {
			if (etags_match(v, n, etag, 0) != 1 || memchr(v, ',', n))
				return STATUS_OK;
		} else if (httpdate_parse(v, n, &date) == -1 || date != mtime)
			return STATUS_OK;
	}
	switch (range_parse(req->range, req->range_len, size, first, last)) {
	case RANGE_OK:
		return STATUS_PARTIAL_CONTENT;
	case RANGE_UNSATISFIABLE:
		return STATUS_RANGE_NOT_SATISFIABLE;
	default:
		return STATUS_OK;
	}
}

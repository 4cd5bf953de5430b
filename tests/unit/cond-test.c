/*
 * cond_evaluate against RFC 9110, section 13.2.2: each line is the
 * conditional fields of a GET (or HEAD) for a 26-byte file whose ETag is
 * TAG and whose modification time is LM, and the outcome (200, 206 with
 * the range, 304, 412 or 416).
 */
#include <inttypes.h>
#include <stdio.h>

#include "../../src/cond.h"
#include "../../src/request.h"
#include "unit.h"

#define LM	"Tue, 14 Nov 2023 22:13:20 GMT"	/* 1700000000 */
#define BEFORE	"Tue, 14 Nov 2023 22:13:19 GMT"
#define AFTER	"Tue, 14 Nov 2023 22:13:21 GMT"

static const struct {
	const char *fields;	/* field lines, each ending in \r\n */
	const char *want;
} cases[] = {
	{ "", "200" },
	/* If-None-Match: weak comparison, lists, "*". */
	{ "If-None-Match: TAG\r\n", "304" },
	{ "If-None-Match: W/TAG\r\n", "304" },
	{ "If-None-Match: \"x\", TAG\r\n", "304" },
	{ "If-None-Match: \"x\"\r\n", "200" },
	{ "If-None-Match: *\r\n", "304" },
	{ "If-None-Match: \"x\"\r\nIf-None-Match: TAG\r\n", "304" },
	{ "If-None-Match: *\r\nIf-None-Match: \"x\"\r\n", "200" },
	{ "If-None-Match: TAG\r\nIf-None-Match: bad\r\n", "200" },
	{ "If-None-Match: ,, TAG ,\r\n", "304" },
	{ "If-None-Match: \r\n", "200" },
	/* If-Modified-Since, and If-None-Match before it. */
	{ "If-Modified-Since: " LM "\r\n", "304" },
	{ "If-Modified-Since: " AFTER "\r\n", "304" },
	{ "If-Modified-Since: " BEFORE "\r\n", "200" },
	{ "If-Modified-Since: nonsense\r\n", "200" },
	{ "If-Modified-Since: " LM "\r\nIf-Modified-Since: " LM "\r\n", "200" },
	{ "If-None-Match: \"x\"\r\nIf-Modified-Since: " LM "\r\n", "200" },
	/* If-Match: strong comparison. */
	{ "If-Match: TAG\r\n", "200" },
	{ "If-Match: W/TAG\r\n", "412" },
	{ "If-Match: \"x\"\r\n", "412" },
	{ "If-Match: *\r\n", "200" },
	{ "If-Match: \"x\"\r\nIf-Match: TAG\r\n", "200" },
	{ "If-Match: *\r\nIf-Match: TAG\r\n", "412" },
	{ "If-Match: TAG, bad\r\n", "412" },
	/* If-Unmodified-Since, and If-Match before it. */
	{ "If-Unmodified-Since: " BEFORE "\r\n", "412" },
	{ "If-Unmodified-Since: " LM "\r\n", "200" },
	{ "If-Unmodified-Since: nonsense\r\n", "200" },
	{ "If-Unmodified-Since: " BEFORE "\r\nIf-Unmodified-Since: " BEFORE "\r\n", "200" },
	{ "If-Match: TAG\r\nIf-Unmodified-Since: " BEFORE "\r\n", "200" },
	/* If-Match before If-None-Match. */
	{ "If-Match: \"x\"\r\nIf-None-Match: TAG\r\n", "412" },
	/* Range, and If-Range. */
	{ "Range: bytes=0-9\r\n", "206 0-9" },
	{ "Range: bytes=-5\r\n", "206 21-25" },
	{ "Range: bytes=26-\r\n", "416" },
	{ "Range: bytes=0-1,3-4\r\n", "200" },
	{ "Range: bytes=0-9\r\nRange: bytes=0-9\r\n", "200" },
	{ "Range: bytes=0-9\r\nIf-Range: TAG\r\n", "206 0-9" },
	{ "Range: bytes=0-9\r\nIf-Range: W/TAG\r\n", "200" },
	{ "Range: bytes=0-9\r\nIf-Range: \"x\"\r\n", "200" },
	{ "Range: bytes=0-9\r\nIf-Range: " LM "\r\n", "206 0-9" },
	{ "Range: bytes=0-9\r\nIf-Range: " AFTER "\r\n", "200" },
	{ "Range: bytes=0-9\r\nIf-Range: TAG\r\nIf-Range: TAG\r\n", "200" },
	{ "Range: bytes=30-\r\nIf-Range: \"x\"\r\n", "200" },
	/* A 304 wins over Range. */
	{ "Range: bytes=0-9\r\nIf-None-Match: TAG\r\n", "304" },
};

int
main(void)
{
	struct stat st;
	char etag[ETAG_MAX];
	size_t i;

	memset(&st, 0, sizeof(st));
	st.st_ino = 0x1234;
	st.st_size = 26;
	st.st_mtim.tv_sec = 1700000000;
	st.st_mtim.tv_nsec = 5;
	cond_etag(&st, etag);
	unit_check(etag, "\"1234-1a-6553f100.5\"", "cond_etag: inode, size, seconds, nanoseconds");

	for (i = 0; i < NELEM(cases); i++) {
		char fields[512], head[600], got[64], q[600];
		const char *f = cases[i].fields, *p;
		struct request req;
		uint64_t first = 0, last = 0;
		size_t o = 0;
		enum status s;

		/* TAG stands for the file's ETag. */
		while ((p = strstr(f, "TAG")) != NULL) {
			o += (size_t)snprintf(fields + o, sizeof(fields) - o, "%.*s%s",
			    (int)(p - f), f, etag);
			f = p + 3;
		}
		snprintf(fields + o, sizeof(fields) - o, "%s", f);
		snprintf(head, sizeof(head), "GET /f HTTP/1.1\r\nHost: h\r\n%s\r\n",
		    fields);
		s = request_parse(head, strlen(head), &req);
		if (s != STATUS_OK) {
			snprintf(got, sizeof(got), "parse %d", (int)s);
		} else {
			s = cond_evaluate(&req, &st, etag, &first, &last);
			if (s == STATUS_PARTIAL_CONTENT)
				snprintf(got, sizeof(got), "206 %" PRIu64 "-%" PRIu64,
				    first, last);
			else
				snprintf(got, sizeof(got), "%d", (int)s);
		}
		unit_check(got, cases[i].want, "cond_evaluate(%s)",
		    unit_quote(q, sizeof(q), cases[i].fields, strlen(cases[i].fields)));
	}
	return unit_done();
}

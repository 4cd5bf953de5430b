/*
 * log_format_access: each line is what one access line is given and the
 * exact line, at a fixed time; then lines whose fields overflow the buffer
 * in every order, which must be cut, never overrun.
 */
#include "../../src/config.h"
#include "../../src/log.h"
#include "unit.h"

#define T	784111777	/* Sun, 06 Nov 1994 08:49:37 GMT */
#define DATE	"[06/Nov/1994:08:49:37 +0000]"

static const struct {
	const char *what;
	struct log_access a;
	const char *want;
} cases[] = {
	{ "a plain request",
	  { "127.0.0.1", S("GET / HTTP/1.1"), 200, 170, NULL, 0, S("curl/8"), NULL, NULL, NULL, 0 },
	  "127.0.0.1 - - " DATE " \"GET / HTTP/1.1\" 200 170 \"-\" \"curl/8\"" },
	{ "no client, no line",
	  { NULL, NULL, 0, 408, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 },
	  "- - - " DATE " \"-\" 408 0 \"-\" \"-\"" },
	{ "an empty client",
	  { "", S("GET / HTTP/1.0"), 404, 107, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 },
	  "- - - " DATE " \"GET / HTTP/1.0\" 404 107 \"-\" \"-\"" },
	{ "escapes in every field",
	  { "a\"b", S("GET /\"\\\x1b\x7f\xff HTTP/1.1"), 400, 111,
	    S("r\r\n"), S("u\tv"), NULL, NULL, NULL, 0 },
	  "a\\x22b - - " DATE " \"GET /\\x22\\x5c\\x1b\\x7f\\xff HTTP/1.1\" 400 111 "
	  "\"r\\x0d\\x0a\" \"u\\x09v\"" },
	{ "a NUL inside the line",
	  { "::1", "GET /\0x", 7, 400, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 },
	  "::1 - - " DATE " \"GET /\\x00x\" 400 0 \"-\" \"-\"" },
	{ "the client's port, from a PROXY header",
	  { "192.0.2.7", S("GET / HTTP/1.1"), 200, 170, NULL, 0, S("curl/8"), "51234", NULL, NULL, 0 },
	  "192.0.2.7 - - " DATE " \"GET / HTTP/1.1\" 200 170 \"-\" \"curl/8\" 51234" },
	{ "the virtual host first, as vhost_combined",
	  { "192.0.2.7", S("GET / HTTP/1.1"), 200, 170, NULL, 0, S("curl/8"), NULL, "example.com", NULL, 0 },
	  "example.com 192.0.2.7 - - " DATE " \"GET / HTTP/1.1\" 200 170 \"-\" \"curl/8\"" },
	{ "the largest byte count",
	  { "::1", S("GET / HTTP/1.1"), 200, 18446744073709551615ULL, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 },
	  "::1 - - " DATE " \"GET / HTTP/1.1\" 200 18446744073709551615 \"-\" \"-\"" },
	{ "over TLS, its version last",
	  { "192.0.2.7", S("GET / HTTP/1.1"), 200, 170, NULL, 0, S("curl/8"), "51234", NULL,
	    "TLSv1.3", 0 },
	  "192.0.2.7 - - " DATE " \"GET / HTTP/1.1\" 200 170 \"-\" \"curl/8\" 51234 TLSv1.3" },
	{ "over kernel TLS",
	  { "::1", S("GET / HTTP/1.1"), 200, 170, NULL, 0, NULL, 0, NULL, NULL, "TLSv1.2", 1 },
	  "::1 - - " DATE " \"GET / HTTP/1.1\" 200 170 \"-\" \"-\" TLSv1.2+ktls" },
};

/* Checks that a line of length n in buf[0..cap) with a guard after it was
 * cut within cap and keeps its shape. */
static void
check_bounded(const char *what, const struct log_access *a)
{
	static char buf[LOG_LINE_MAX + 64];
	char got[64];
	size_t n, k;
	int guard_ok = 1;

	memset(buf, '#', sizeof(buf));
	n = log_format_access(buf, LOG_LINE_MAX, a, T);
	for (k = LOG_LINE_MAX; k < sizeof(buf); k++)
		guard_ok &= buf[k] == '#';
	snprintf(got, sizeof(got), "%s, %s", n <= LOG_LINE_MAX ? "within" : "over",
	    guard_ok ? "guard intact" : "guard overwritten");
	unit_check(got, "within, guard intact", "%s: the line stays in its buffer", what);
	{
		char tail[48];
		size_t t = (size_t)snprintf(tail, sizeof(tail), "\"%s%s%s%s%s",
		    a->port != NULL ? " " : "", a->port != NULL ? a->port : "",
		    a->tls != NULL ? " " : "", a->tls != NULL ? a->tls : "",
		    a->tls != NULL && a->tls_kernel ? "+ktls" : "");

		snprintf(got, sizeof(got), "%s", n >= t &&
		    memcmp(buf + n - t, tail, t) == 0 ? "ends whole" : "cut mid-field");
		unit_check(got, "ends whole",
		    "%s: the agent's closing quote (and the port, the TLS version) are kept",
		    what);
	}
}

int
main(void)
{
	static char big[3][LOG_LINE_MAX * 2];
	char line[LOG_LINE_MAX + 1];
	size_t i, n;

	for (i = 0; i < NELEM(cases); i++) {
		n = log_format_access(line, LOG_LINE_MAX, &cases[i].a, T);
		line[n] = '\0';
		unit_check(line, cases[i].want, "log_format_access: %s", cases[i].what);
	}

	/* Every field far over the line, plain and escaped. */
	memset(big[0], 'a', sizeof(big[0]) - 1);
	memset(big[1], '"', sizeof(big[1]) - 1);
	memset(big[2], '\n', sizeof(big[2]) - 1);
	for (i = 0; i < 3; i++) {
		struct log_access a = { big[i], big[i], sizeof(big[i]) - 1, 200, 1,
		    big[i], sizeof(big[i]) - 1, big[i], sizeof(big[i]) - 1, "65535", big[i],
		    "TLSv1.3", 1 };
		struct log_access c = { big[i], S("GET / HTTP/1.1"), 200, 1,
		    NULL, 0, NULL, 0, NULL, NULL, NULL, 0 };
		char what[64];

		snprintf(what, sizeof(what), "every field 8 KB of %s",
		    i == 0 ? "'a'" : i == 1 ? "quotes" : "LFs");
		check_bounded(what, &a);
		snprintf(what, sizeof(what), "a client of 8 KB of %s",
		    i == 0 ? "'a'" : i == 1 ? "quotes" : "LFs");
		check_bounded(what, &c);
		n = log_format_access(line, LOG_LINE_MAX, &c, T);
		line[n] = '\0';
		unit_check(strstr(line, " - - " DATE " \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"") ?
		    "the rest of the line is whole" : line, "the rest of the line is whole",
		    "%s: only the client is cut", what);
	}
	{
		/* Small buffers: every cap from 0 to 80. */
		struct log_access a = { "127.0.0.1", S("GET /x HTTP/1.1"), 200, 5,
		    S("ref"), S("agent"), "8080", "example.com", "TLSv1.3", 0 };
		char small[96];
		size_t cap;
		int ok = 1;

		for (cap = 0; cap <= 80; cap++) {
			memset(small, '#', sizeof(small));
			n = log_format_access(small, cap, &a, T);
			ok &= n <= cap && small[cap] == '#';
		}
		unit_check(ok ? "bounded" : "overrun", "bounded",
		    "log_format_access with every capacity from 0 to 80");
	}
	return unit_done();
}

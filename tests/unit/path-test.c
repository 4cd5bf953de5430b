/*
 * path_decode (strict percent-decoding, RFC 3986 section 2.1),
 * path_normalize (the relative name handed to openat2()) and path_hidden
 * (the same rule on the name of what was opened): each line is an input
 * and the exact output, or NULL where the input is refused.
 */
#include "../../src/path.h"
#include "unit.h"

#define REFUSED	NULL

static const struct {
	const char *in;
	size_t len;
	const char *out;
	size_t out_len;
} decode_cases[] = {
	{ S("/index.html"),		S("/index.html") },
	{ S(""),			S("") },
	{ S("/a%20b"),			S("/a b") },
	{ S("/%41%42%43"),		S("/ABC") },
	{ S("/%4a%4A"),			S("/JJ") },
	{ S("/%7e"),			S("/~") },
	{ S("%2F"),			S("/") },
	{ S("/a%2fb"),			S("/a/b") },
	{ S("/%2e%2e/"),		S("/../") },
	{ S("/%25"),			S("/%") },
	/* Decoded once: "%252e" is the three bytes "%2e", not a dot. */
	{ S("/%252e%252e/"),		S("/%2e%2e/") },
	{ S("/%2525"),			S("/%25") },
	/* '+' is a '+' in a path; only a query reads it as a space. */
	{ S("/a+b"),			S("/a+b") },
	{ S("/%2B"),			S("/+") },
	/* Bytes past ASCII pass through: UTF-8 names. */
	{ S("/caf%C3%A9"),		S("/caf\xc3\xa9") },
	{ S("/%80%ff"),			S("/\x80\xff") },
	{ S("/caf\xc3\xa9"),		S("/caf\xc3\xa9") },
	/* '%' must be followed by two hex digits. */
	{ S("/%"),			REFUSED, 0 },
	{ S("/%4"),			REFUSED, 0 },
	{ S("/a%"),			REFUSED, 0 },
	{ S("/%4g"),			REFUSED, 0 },
	{ S("/%g4"),			REFUSED, 0 },
	{ S("/%%41"),			REFUSED, 0 },
	{ S("/% 41"),			REFUSED, 0 },
	{ S("/%u0041"),			REFUSED, 0 },
	{ S("/%-1"),			REFUSED, 0 },
	{ S("/%+1"),			REFUSED, 0 },
	/* NUL and every other control byte, encoded or raw. */
	{ S("/%00"),			REFUSED, 0 },
	{ S("/a%00.html"),		REFUSED, 0 },
	{ S("/%01"),			REFUSED, 0 },
	{ S("/%09"),			REFUSED, 0 },
	{ S("/%0a"),			REFUSED, 0 },
	{ S("/%0D%0A"),			REFUSED, 0 },
	{ S("/%1b"),			REFUSED, 0 },
	{ S("/%1F"),			REFUSED, 0 },
	{ S("/%7f"),			REFUSED, 0 },
	{ S("/%7F"),			REFUSED, 0 },
	{ S("/a\0b"),			REFUSED, 0 },
	{ S("/a\tb"),			REFUSED, 0 },
	{ S("/a\nb"),			REFUSED, 0 },
	{ S("/a\x7f"),			REFUSED, 0 },
	/* The first byte past each side of the control range. */
	{ S("/%20"),			S("/ ") },
	{ S("/%7E%80"),			S("/~\x80") },
	/* Only src[0..len) is read. */
	{ "/ab", 2,			S("/a") },
	{ "/%41", 3,			REFUSED, 0 },
	{ "/%41", 2,			REFUSED, 0 },
	{ "/%00", 1,			S("/") },
};

static const struct {
	const char *in;
	size_t len;
	const char *out;
} normalize_cases[] = {
	/* The root. */
	{ S("/"),			"" },
	{ S(""),			"" },
	{ S("//"),			"" },
	{ S("///"),			"" },
	{ S("/index.html"),		"index.html" },
	{ S("index.html"),		"index.html" },
	{ S("/a/b/c.txt"),		"a/b/c.txt" },
	/* Empty segments are dropped; a trailing slash is kept. */
	{ S("//a"),			"a" },
	{ S("/a//b"),			"a/b" },
	{ S("//a///b//"),		"a/b/" },
	{ S("/a/"),			"a/" },
	{ S("/a/b/"),			"a/b/" },
	/* Dot segments, in every position. */
	{ S("/."),			REFUSED },
	{ S("/./"),			REFUSED },
	{ S("/./a"),			REFUSED },
	{ S("/a/."),			REFUSED },
	{ S("/a/./b"),			REFUSED },
	{ S("/.."),			REFUSED },
	{ S("/../"),			REFUSED },
	{ S("/../etc/passwd"),		REFUSED },
	{ S("/a/.."),			REFUSED },
	{ S("/a/../b"),			REFUSED },
	{ S("/a/b/../../.."),		REFUSED },
	{ S(".."),			REFUSED },
	{ S("//..//"),			REFUSED },
	/* Hidden names. */
	{ S("/.git"),			REFUSED },
	{ S("/.git/config"),		REFUSED },
	{ S("/a/.htpasswd"),		REFUSED },
	{ S("/a/.env"),			REFUSED },
	{ S("/..."),			REFUSED },
	{ S("/.a."),			REFUSED },
	/* A dot that does not start a segment is an ordinary byte. */
	{ S("/a./b"),			"a./b" },
	{ S("/a..b"),			"a..b" },
	{ S("/a/b.."),			"a/b.." },
	{ S("/ ../a"),			" ../a" },
	{ S("/%2e%2e"),			"%2e%2e" },
	{ S("/a\\..\\b"),		"a\\..\\b" },
	/* /.well-known/ (RFC 8615), as the first segment only. */
	{ S("/.well-known"),		".well-known" },
	{ S("/.well-known/"),		".well-known/" },
	{ S("/.well-known/acme-challenge/tok"), ".well-known/acme-challenge/tok" },
	{ S("//.well-known//security.txt"), ".well-known/security.txt" },
	{ S("/a/.well-known/x"),	REFUSED },
	{ S("/.well-known/.well-known"), REFUSED },
	{ S("/.well-known/.hidden"),	REFUSED },
	{ S("/.well-known/../x"),	REFUSED },
	{ S("/.well-known/./x"),	REFUSED },
	{ S("/.well-knownx"),		REFUSED },
	{ S("/.well-know"),		REFUSED },
	{ S("/.Well-Known"),		REFUSED },
	{ S("/.well-known%2f"),		REFUSED },
	/* Only src[0..len) is read. */
	{ "/a/..", 3,			"a/" },
	{ "/a/.well-known", 2,		"a" },
	{ "/.well-known", 6,		REFUSED },
	{ "/.well-known/x", 12,		".well-known" },
};

/* The name below the root that a symlink led to, and whether it is
 * hidden. */
static const struct {
	const char *rel;
	int hidden;
} hidden_cases[] = {
	{ "",				0 },
	{ "/",				0 },
	{ "index.html",			0 },
	{ "/sub/page.txt",		0 },
	{ "a./b..",			0 },
	{ "a/b.c/d",			0 },
	{ ".secret",			1 },
	{ "/.secret",			1 },
	{ ".git/config",		1 },
	{ "/sub/.git",			1 },
	{ "sub/.hidden/x",		1 },
	{ "sub//.hidden",		1 },
	{ "a/b/.",			1 },
	{ "..",				1 },
	/* .well-known, as the first segment only. */
	{ ".well-known",		0 },
	{ "/.well-known/x.txt",		0 },
	{ "//.well-known//acme/tok",	0 },
	{ ".well-known/.x",		1 },
	{ "sub/.well-known/x.txt",	1 },
	{ ".well-knownx/a",		1 },
	{ ".well-know",			1 },
	/* What /proc says of a file removed since it was opened. */
	{ "/sub/page.txt (deleted)",	0 },
	{ "/.secret (deleted)",		1 },
};

/*
 * Run one function into a buffer of exactly len + 1 bytes (an ASan
 * error on any write past it) and describe the result: the output
 * quoted, "refused", or how the length and the output disagree.  In
 * place, the input is in that buffer too, as path_resolve() calls
 * path_normalize(); else it has a buffer of exactly len bytes.
 */
static const char *
run(char *buf, size_t cap, long (*fn)(const char *, size_t, char *),
    const char *in, size_t len, int in_place)
{
	char *dst = malloc(len + 1), *src = in_place ? dst : unit_dup(in, len);
	long n;

	if (dst == NULL) {
		perror("malloc");
		exit(2);
	}
	if (in_place)
		memcpy(dst, in, len);
	n = fn(src, len, dst);
	if (n == -1)
		snprintf(buf, cap, "refused");
	else if (n < -1 || (size_t)n > len)
		snprintf(buf, cap, "length %ld", n);
	else if (dst[n] != '\0')
		snprintf(buf, cap, "unterminated");
	else
		unit_quote(buf, cap, dst, (size_t)n);
	if (!in_place)
		free(src);
	free(dst);
	return buf;
}

static const char *
expected(char *buf, size_t cap, const char *out, size_t out_len)
{
	if (out == NULL)
		return "refused";
	return unit_quote(buf, cap, out, out_len);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < NELEM(decode_cases); i++) {
		char q[256], got[256], want[256];

		unit_check(run(got, sizeof(got), path_decode,
		    decode_cases[i].in, decode_cases[i].len, 0),
		    expected(want, sizeof(want), decode_cases[i].out,
		    decode_cases[i].out_len), "path_decode(%s)",
		    unit_input(q, sizeof(q), decode_cases[i].in,
		    decode_cases[i].len));
	}
	for (i = 0; i < NELEM(normalize_cases); i++) {
		char q[256], got[256], want[256];
		const char *out = normalize_cases[i].out;

		unit_check(run(got, sizeof(got), path_normalize,
		    normalize_cases[i].in, normalize_cases[i].len, 0),
		    expected(want, sizeof(want), out, out ? strlen(out) : 0),
		    "path_normalize(%s)", unit_input(q, sizeof(q),
		    normalize_cases[i].in, normalize_cases[i].len));
		unit_check(run(got, sizeof(got), path_normalize,
		    normalize_cases[i].in, normalize_cases[i].len, 1),
		    expected(want, sizeof(want), out, out ? strlen(out) : 0),
		    "path_normalize(%s), in place", q);
	}
	for (i = 0; i < NELEM(hidden_cases); i++) {
		char q[256];

		unit_check(path_hidden(hidden_cases[i].rel) ? "hidden" : "shown",
		    hidden_cases[i].hidden ? "hidden" : "shown", "path_hidden(%s)",
		    unit_quote(q, sizeof(q), hidden_cases[i].rel,
		    strlen(hidden_cases[i].rel)));
	}
	return unit_done();
}

/*
 * host_dir (virtual hosts) and encoding_accept/encoding_choose
 * (Accept-Encoding, RFC 9110, section 12.5.3): each line is an input and
 * the exact result.
 */
#include <stdio.h>

#include "../../src/encoding.h"
#include "../../src/host.h"
#include "unit.h"

static const struct {
	const char *in;
	size_t len;
	const char *want;	/* the directory name, or "400" */
} hosts[] = {
	{ S("example.com"), "example.com" },
	{ S("Example.COM"), "example.com" },
	{ S("example.com:8080"), "example.com" },
	{ S("example.com:"), "example.com" },
	{ S("example.com."), "example.com" },
	{ S("example.com.:443"), "example.com" },
	{ S("www.example-1.co.uk"), "www.example-1.co.uk" },
	{ S("localhost"), "localhost" },
	{ S("a"), "a" },
	{ S("1a.example"), "1a.example" },
	{ S("192.0.2.1"), "192.0.2.1" },
	{ S("192.0.2.1:80"), "192.0.2.1" },
	{ S("[::1]"), "[::1]" },
	{ S("[::1]:8080"), "[::1]" },
	{ S("[2001:DB8:0::1]"), "[2001:db8::1]" },
	{ S("[::ffff:192.0.2.1]"), "[::ffff:c000:201]" },
	/* Refused. */
	{ S(""), "400" },
	{ S(":80"), "400" },
	{ S("."), "400" },
	{ S(".."), "400" },
	{ S("example.com.."), "400" },
	{ S(".example.com"), "400" },
	{ S("a..b"), "400" },
	{ S("a/b"), "400" },
	{ S("a\\b"), "400" },
	{ S("a%2eb"), "400" },
	{ S("a_b"), "400" },
	{ S("a b"), "400" },
	{ S("a\0b"), "400" },
	{ S("-a.example"), "400" },
	{ S("a-.example"), "400" },
	{ S("example.com-"), "400" },
	{ S("192.0.2.01"), "400" },
	{ S("192.0.2"), "400" },
	{ S("1.2.3.4.5"), "400" },
	{ S("256.0.0.1"), "400" },
	{ S("[::1"), "400" },
	{ S("[::1]x"), "400" },
	{ S("[v1.fe]"), "400" },
	{ S("[192.0.2.1]"), "400" },
	{ S("[]"), "400" },
	{ S("_default"), "400" },
};

static const struct {
	const char *ae;		/* NULL: no field; "\n" splits field lines */
	unsigned available;	/* 1: gzip, 2: br, 3: both */
	const char *want;	/* the qvalues id/gzip/br, and the choice */
} accepts[] = {
	{ NULL, 3, "1000/0/0 identity" },
	/* Listed or not, identity stays acceptable, after the codings. */
	{ "", 3, "1/0/0 identity" },
	{ "gzip", 3, "1/1000/0 gzip" },
	{ "br", 3, "1/0/1000 br" },
	{ "gzip, br", 3, "1/1000/1000 br" },
	{ "gzip, br", 1, "1/1000/1000 gzip" },
	{ "gzip, br", 0, "1/1000/1000 identity" },
	{ "br;q=0.5, gzip", 3, "1/1000/500 gzip" },
	{ "br;q=1.0, gzip;q=0.999", 3, "1/999/1000 br" },
	{ "GZIP;Q=0.5", 3, "1/500/0 gzip" },
	{ "identity;q=0.1, gzip;q=0.5", 3, "100/500/0 gzip" },
	{ "identity;q=0", 3, "0/0/0 identity" },
	{ "identity;q=0, gzip", 1, "0/1000/0 gzip" },
	{ "*", 3, "1000/1000/1000 br" },
	{ "*;q=0", 3, "0/0/0 identity" },
	{ "*;q=0, identity", 3, "1000/0/0 identity" },
	{ "gzip;q=0, *", 3, "1000/0/1000 br" },
	{ "br;q=0, *;q=0.3", 3, "300/300/0 gzip" },
	{ "x-gzip", 1, "1/1000/0 gzip" },
	{ "deflate, compress", 3, "1/0/0 identity" },
	{ " , gzip ,, br ; q=0.2 ,", 3, "1/1000/200 gzip" },
	/* Malformed members are ignored, the rest counts. */
	{ "br;q=2, gzip", 3, "1/1000/0 gzip" },
	{ "br;q=0.1234, gzip", 3, "1/1000/0 gzip" },
	{ "br;q=1.001", 3, "1/0/0 identity" },
	{ "br;level=5", 3, "1/0/0 identity" },
	{ "br;q=", 3, "1/0/0 identity" },
	{ "br q=0.5", 3, "1/0/0 identity" },
	{ "br;q=0., gzip;q=1.", 3, "1/1000/0 gzip" },
	/* One list over several field lines. */
	{ "gzip;q=0.4\nbr;q=0.6", 3, "1/400/600 br" },
	{ "identity;q=0\n*", 3, "0/1000/1000 br" },
};

int
main(void)
{
	static const char *const names[] = { "identity", "gzip", "br" };
	char dir[HOST_DIR_MAX], got[HOST_DIR_MAX + 32], q[128];
	size_t i;

	for (i = 0; i < NELEM(hosts); i++) {
		char *in = unit_dup(hosts[i].in, hosts[i].len);
		int n = host_dir(in, hosts[i].len, dir);

		if (n < 0)
			snprintf(got, sizeof(got), "400");
		else if ((size_t)n != strlen(dir))
			snprintf(got, sizeof(got), "length %d of %s", n, dir);
		else
			snprintf(got, sizeof(got), "%s", dir);
		unit_check(got, hosts[i].want, "host_dir(%s)",
		    unit_quote(q, sizeof(q), hosts[i].in, hosts[i].len));
		free(in);
	}
	for (i = 0; i < NELEM(accepts); i++) {
		struct field_list l = { 0 };
		unsigned qv[ENCODING_COUNT], avail = 0;
		const char *p = accepts[i].ae, *nl;

		while (p != NULL) {
			nl = strchr(p, '\n');
			l.v[l.n] = p;
			l.len[l.n++] = nl ? (size_t)(nl - p) : strlen(p);
			p = nl ? nl + 1 : NULL;
		}
		if (accepts[i].available & 1)
			avail |= 1U << ENCODING_GZIP;
		if (accepts[i].available & 2)
			avail |= 1U << ENCODING_BR;
		encoding_accept(&l, qv);
		snprintf(got, sizeof(got), "%u/%u/%u %s", qv[ENCODING_IDENTITY],
		    qv[ENCODING_GZIP], qv[ENCODING_BR], names[encoding_choose(qv, avail)]);
		unit_check(got, accepts[i].want, "Accept-Encoding %s%s, available %u",
		    accepts[i].ae ? "" : "(none)",
		    accepts[i].ae ? unit_quote(q, sizeof(q), accepts[i].ae,
		    strlen(accepts[i].ae)) : "", accepts[i].available);
	}
	return unit_done();
}

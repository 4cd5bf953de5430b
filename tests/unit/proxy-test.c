/*
 * proxy_parse against HAProxy's proxy-protocol.txt: each line is the bytes
 * that arrived and the verdict (0 while more are needed, 400, or the client
 * and the header's length).  Every input is also fed one byte at a time,
 * which must give the same verdict.
 */
#include <stdio.h>

#include "../../src/proxy.h"
#include "unit.h"

#define SIG	"\r\n\r\n\0\r\nQUIT\n"
#define REQ	"GET / HTTP/1.1\r\n"

static const struct {
	const char *in;
	size_t len;
	const char *want;
} cases[] = {
	/* v1 (section 2.1). */
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n" REQ), "192.0.2.1 port 56324, 45 bytes" },
	{ S("PROXY TCP4 255.255.255.255 0.0.0.0 65535 0\r\n"), "255.255.255.255 port 65535, 44 bytes" },
	{ S("PROXY TCP6 2001:DB8::1 ::1 1 2\r\n"), "2001:db8::1 port 1, 32 bytes" },
	/* An IPv4-mapped client is written as IPv4, as a socket peer is. */
	{ S("PROXY TCP6 ::ffff:192.0.2.1 ::1 80 80\r\n"), "192.0.2.1 port 80, 39 bytes" },
	{ S("PROXY TCP6 ::FFFF:c000:209 ::1 80 80\r\n"), "192.0.2.9 port 80, 38 bytes" },
	{ S("PROXY TCP6 ::c000:209 ::1 80 80\r\n"), "::c000:209 port 80, 33 bytes" },
	{ S("PROXY UNKNOWN\r\n" REQ), "local, 15 bytes" },
	{ S("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"), "local, 59 bytes" },
	/* Not yet. */
	{ S(""), "more" },
	{ S("P"), "more" },
	{ S("PROXY"), "more" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443"), "more" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r"), "more" },
	/* Refused at once. */
	{ S("GET / HTTP/1.1\r\n"), "400" },
	{ S("proxy TCP4"), "400" },
	{ S("PROXYTCP4"), "400" },
	{ S("\x16\x03\x01"), "400" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\n"), "400" },
	{ S("PROXY TCP5 192.0.2.1 198.51.100.2 1 2\r\n"), "400" },
	{ S("PROXY TCP4  192.0.2.1 198.51.100.2 1 2\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 2 \r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 2 3\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.01 198.51.100.2 1 2\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.256 198.51.100.2 1 2\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2 198.51.100.2 1 2\r\n"), "400" },
	{ S("PROXY TCP4 2001:db8::1 198.51.100.2 1 2\r\n"), "400" },
	{ S("PROXY TCP6 192.0.2.1 ::1 1 2\r\n"), "400" },
	{ S("PROXY TCP6 2001:db8:::1 ::1 1 2\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 65536 2\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 080 2\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 -1 2\r\n"), "400" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 2\r\x00"), "400" },
	{ S("PROXY UNKNOWNX\r\n"), "400" },
	{ S("PROXY \r\n"), "400" },
	/* Bytes no v1 line may hold. */
	{ S("PROXY TCP4 192.0.2.1\x7f"), "400" },
	{ S("PROXY TCP4 192.0.2.1\t"), "400" },
	{ S("PROXY UNKNOWN \xc3\xa9\r\n"), "400" },
	/* v2 (section 2.2). */
	{ S(SIG "\x21\x11\x00\x0c" "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04\x01\xbb" REQ), "192.0.2.1 port 56324, 28 bytes" },
	{ S(SIG "\x21\x21\x00\x24" "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01" "\x00\x50\x01\xbb"), "2001:db8::1 port 80, 52 bytes" },
	{ S(SIG "\x21\x21\x00\x24" "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\x00\x02\x09" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01" "\x00\x50\x01\xbb"), "192.0.2.9 port 80, 52 bytes" },
	/* LOCAL: the front's own health check. */
	{ S(SIG "\x20\x00\x00\x00" REQ), "local, 16 bytes" },
	{ S(SIG "\x20\x11\x00\x0c" "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04\x01\xbb"), "local, 28 bytes" },
	/* UNSPEC, UNIX and UDP name no TCP client. */
	{ S(SIG "\x21\x00\x00\x00"), "local, 16 bytes" },
	{ S(SIG "\x21\x12\x00\x0c" "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04\x01\xbb"), "local, 28 bytes" },
	/* TLVs are skipped, and must fill the length exactly. */
	{ S(SIG "\x21\x11\x00\x14" "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04\x01\xbb" "\x01\x00\x02h2" "\x04\x00\x00" "\xee"), "192.0.2.1 port 56324, 36 bytes" },
	{ S(SIG "\x21\x11\x00\x15" "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04\x01\xbb" "\x01\x00\x02h2" "\x04\x00\x00" "\xee"), "400" },
	{ S(SIG "\x21\x11\x00\x13" "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04\x01\xbb" "\x01\x00\x02h2" "\x04\x00\x00"), "400" },
	{ S(SIG "\x21\x11\x00\x10" "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04\x01\xbb" "\x01\x00\x02h"), "400" },
	{ S(SIG "\x21\x11\x00\x0e" "\xc0\x00\x02\x01" "\xc6\x33\x64\x02" "\xdc\x04\x01\xbb" "\x01\x00"), "400" },
	/* Not yet: the 16 bytes, then the declared length. */
	{ S(SIG "\x21\x11\x00"), "more" },
	{ S(SIG "\x21\x11\x00\x0c" "\xc0\x00\x02\x01"), "more" },
	{ S("\r\n\r\n\0"), "more" },
	/* Refused. */
	{ S("\r\n\r\n\0\r\nQUIX"), "400" },
	{ S("\r\nGET"), "400" },
	{ S(SIG "\x11\x11\x00\x0c"), "400" },
	{ S(SIG "\x22\x11\x00\x0c"), "400" },
	{ S(SIG "\x21\x13\x00\x0c"), "400" },
	{ S(SIG "\x21\x41\x00\x0c"), "400" },
	{ S(SIG "\x21\x11\x00\x0b"), "400" },
	{ S(SIG "\x21\x21\x00\x23"), "400" },
	{ S(SIG "\x21\x11\x07\xf1"), "400" },
	{ S(SIG "\x21\x11\xff\xff"), "400" },
};

static const char *
verdict(char *buf, size_t cap, enum status st, const struct proxy_info *pi,
    size_t hlen)
{
	if (st == STATUS_NONE)
		snprintf(buf, cap, "more");
	else if (st != STATUS_OK)
		snprintf(buf, cap, "%d", (int)st);
	else if (pi->local)
		snprintf(buf, cap, "local, %zu bytes", hlen);
	else
		snprintf(buf, cap, "%s port %u, %zu bytes", pi->addr, pi->port, hlen);
	return buf;
}

/* The verdict on buf[0..len), all at once and one byte at a time. */
static void
check(const char *what, const char *buf, size_t len, const char *want)
{
	char got[128];
	struct proxy_info pi;
	size_t hlen = 0, k;
	enum status st = STATUS_NONE;

	st = proxy_parse(buf, len, &pi, &hlen);
	unit_check(verdict(got, sizeof(got), st, &pi, hlen), want, "proxy_parse(%s)", what);
	st = STATUS_NONE;
	for (k = 0; k <= len && st == STATUS_NONE; k++)
		st = proxy_parse(buf, k, &pi, &hlen);
	unit_check(verdict(got, sizeof(got), st, &pi, hlen), want,
	    "proxy_parse(%s), one byte at a time", what);
}

int
main(void)
{
	char line[200];
	size_t i, n;

	/* v1: 107 bytes at most, CRLF included. */
	n = (size_t)snprintf(line, sizeof(line), "PROXY UNKNOWN %091d\r\n", 0);
	check("an UNKNOWN line of 107 bytes", line, n, "local, 107 bytes");
	n = (size_t)snprintf(line, sizeof(line), "PROXY UNKNOWN %092d\r\n", 0);
	check("an UNKNOWN line of 108 bytes", line, n, "400");
	n = (size_t)snprintf(line, sizeof(line), "PROXY UNKNOWN %093d", 0);
	check("107 bytes without a line end", line, n, "400");
	n = (size_t)snprintf(line, sizeof(line), "PROXY UNKNOWN %092d", 0);
	check("106 bytes without a line end", line, n, "more");

	for (i = 0; i < NELEM(cases); i++) {
		char q[512];
		char *in = unit_dup(cases[i].in, cases[i].len);

		unit_quote(q, sizeof(q), cases[i].in, cases[i].len);
		check(q, in, cases[i].len, cases[i].want);
		free(in);
	}
	return unit_done();
}

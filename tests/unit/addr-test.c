/*
 * Address and number formatting: addr_format_ipv4, addr_format_ipv6 (RFC
 * 5952, section 4), addr_format on socket addresses, and fmt's decimal
 * and hexadecimal writers.  Each line is an input and its exact text.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>

#include "../../src/addr.h"
#include "../../src/fmt.h"
#include "unit.h"

static const struct {
	const char *in;		/* parsed with inet_pton, the reference */
	const char *want;
} v6[] = {
	/* RFC 5952, section 4.1: no leading zeros. */
	{ "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
	{ "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1" },
	/* 4.2.1: the longest run of zeros is "::". */
	{ "2001:db8:0:0:0:0:2:1", "2001:db8::2:1" },
	/* 4.2.2: a single zero group is not shortened. */
	{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
	/* 4.2.3: the longest run, the first of equal runs. */
	{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	/* 4.3: lower case. */
	{ "2001:DB8::ABCD", "2001:db8::abcd" },
	/* The ends. */
	{ "::", "::" },
	{ "::1", "::1" },
	{ "1::", "1::" },
	{ "fe80::", "fe80::" },
	{ "0:0:0:0:0:0:0:1", "::1" },
	{ "1:0:0:0:0:0:0:0", "1::" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
	{ "0:1:0:1:0:1:0:1", "0:1:0:1:0:1:0:1" },
	{ "1:0:0:2:0:0:0:3", "1:0:0:2::3" },
	{ "0:0:1:0:0:0:0:0", "0:0:1::" },
};

static const struct {
	const char *in, *want;
} v4[] = {
	{ "0.0.0.0", "0.0.0.0" },
	{ "127.0.0.1", "127.0.0.1" },
	{ "255.255.255.255", "255.255.255.255" },
	{ "10.20.30.40", "10.20.30.40" },
	{ "192.0.2.7", "192.0.2.7" },
	{ "1.100.10.0", "1.100.10.0" },
};

static const struct {
	uint64_t v;
	const char *dec, *hex;
} nums[] = {
	{ 0, "0", "0" },
	{ 9, "9", "9" },
	{ 10, "10", "a" },
	{ 255, "255", "ff" },
	{ 4096, "4096", "1000" },
	{ 4294967296ULL, "4294967296", "100000000" },
	{ 18446744073709551615ULL, "18446744073709551615", "ffffffffffffffff" },
};

/* Text that inet_pton() reads or refuses as these parsers must (with
 * leading zeros refused in IPv4, which inet_pton refuses too). */
static const char *const parse_cases[] = {
	"0.0.0.0", "255.255.255.255", "192.0.2.1", "1.2.3", "1.2.3.4.5",
	"256.1.1.1", "01.2.3.4", "1.2.3.04", "1..3.4", ".1.2.3", "1.2.3.", "",
	"1.2.3.4 ", "+1.2.3.4", "1.2.3.-4", "0x1.2.3.4", "1.2.3.0004",
	"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:8:9", "1::2::3", ":1::2", "1::2:", "1:::2", "12345::",
	"::ffff:192.0.2.1", "::192.0.2.1", "1:2:3:4:5:6:1.2.3.4",
	"1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "::01.2.3.4", "fe80::1%eth0",
	"2001:DB8:0:0:8:800:200C:417A", "2001:db8::8:800:200c:417a", "g::1",
	":", ":::", "1:2", "::ffff:1.2.3.4:5", "0:0:0:0:0:0:0:0", "00000::1",
};

int
main(void)
{
	char got[64];
	size_t i, n;

	for (i = 0; i < NELEM(parse_cases); i++) {
		const char *t = parse_cases[i];
		unsigned char a[16], b[16];
		int r4 = addr_parse_ipv4(t, strlen(t), a) == 0;
		int p4 = inet_pton(AF_INET, t, b) == 1;
		int r6, p6;

		snprintf(got, sizeof(got), "%s", r4 != p4 ? "differs" :
		    r4 && memcmp(a, b, 4) != 0 ? "other bytes" : "same");
		unit_check(got, "same", "addr_parse_ipv4(\"%s\") as inet_pton reads it", t);
		r6 = addr_parse_ipv6(t, strlen(t), a) == 0;
		p6 = inet_pton(AF_INET6, t, b) == 1;
		snprintf(got, sizeof(got), "%s", r6 != p6 ? "differs" :
		    r6 && memcmp(a, b, 16) != 0 ? "other bytes" : "same");
		unit_check(got, "same", "addr_parse_ipv6(\"%s\") as inet_pton reads it", t);
	}

	for (i = 0; i < NELEM(v6); i++) {
		unsigned char a[16];

		if (inet_pton(AF_INET6, v6[i].in, a) != 1)
			return 2;
		n = addr_format_ipv6(got, a);
		if (n != strlen(got))
			snprintf(got, sizeof(got), "length %zu", n);
		unit_check(got, v6[i].want, "addr_format_ipv6(%s)", v6[i].in);
	}
	for (i = 0; i < NELEM(v4); i++) {
		unsigned char a[4];

		if (inet_pton(AF_INET, v4[i].in, a) != 1)
			return 2;
		n = addr_format_ipv4(got, a);
		if (n != strlen(got))
			snprintf(got, sizeof(got), "length %zu", n);
		unit_check(got, v4[i].want, "addr_format_ipv4(%s)", v4[i].in);
	}
	{
		struct sockaddr_storage ss;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		memset(&ss, 0, sizeof(ss));
		s6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, "::ffff:192.0.2.1", &s6->sin6_addr);
		addr_format(&ss, got);
		unit_check(got, "192.0.2.1", "addr_format: an IPv4-mapped address is IPv4");
		inet_pton(AF_INET6, "::192.0.2.1", &s6->sin6_addr);
		addr_format(&ss, got);
		unit_check(got, "::c000:201", "addr_format: an IPv4-compatible address stays IPv6");
		memset(&ss, 0, sizeof(ss));
		s4->sin_family = AF_INET;
		inet_pton(AF_INET, "203.0.113.9", &s4->sin_addr);
		addr_format(&ss, got);
		unit_check(got, "203.0.113.9", "addr_format: AF_INET");
		ss.ss_family = AF_UNIX;
		strcpy(got, "x");
		n = addr_format(&ss, got);
		unit_check(n == 0 && got[0] == '\0' ? "empty" : got, "empty",
		    "addr_format: another family is empty");
	}
	{
		/* Source keys: one per IPv4 address, however it arrived; one
		 * per IPv6 /64; never an IPv4 key for an IPv6 source. */
		static const struct {
			const char *a, *b;
			int same;
		} keys[] = {
			{ "::ffff:192.0.2.1", "::ffff:192.0.2.1", 1 },
			{ "::ffff:192.0.2.1", "::ffff:192.0.2.2", 0 },
			{ "2001:db8:1:2::1", "2001:db8:1:2:ffff::9", 1 },
			{ "2001:db8:1:2::1", "2001:db8:1:3::1", 0 },
			{ "::ffff:0.0.0.1", "::1", 0 },
			{ "::ffff:0.0.0.1", "0:0:0:0:0:ffff:0:1", 1 },
			{ "::ffff:192.0.2.1", "::192.0.2.1", 0 },
			{ "::ffff:0.0.0.1", "::", 0 },
		};
		unsigned char a[16], b[16], ka[16], kb[16], ip4[4] = { 192, 0, 2, 1 };

		for (i = 0; i < NELEM(keys); i++) {
			inet_pton(AF_INET6, keys[i].a, a);
			inet_pton(AF_INET6, keys[i].b, b);
			addr_source_key(a, ka);
			addr_source_key(b, kb);
			unit_check((memcmp(ka, kb, 16) == 0) == keys[i].same ? "ok" : "wrong",
			    "ok", "addr_source_key(%s) %s addr_source_key(%s)", keys[i].a,
			    keys[i].same ? "==" : "!=", keys[i].b);
		}
		addr_map_ipv4(a, ip4);
		addr_format_ip(got, a);
		unit_check(got, "192.0.2.1", "addr_map_ipv4, then addr_format_ip");
	}
	for (i = 0; i < NELEM(nums); i++) {
		*fmt_u64(got, nums[i].v) = '\0';
		unit_check(got, nums[i].dec, "fmt_u64(%" PRIu64 ")", nums[i].v);
		*fmt_hex(got, nums[i].v) = '\0';
		unit_check(got, nums[i].hex, "fmt_hex(%" PRIu64 ")", nums[i].v);
	}
	*fmt_dec(got, 7, 2) = '\0';
	unit_check(got, "07", "fmt_dec(7, 2)");
	*fmt_dec(got, 2026, 4) = '\0';
	unit_check(got, "2026", "fmt_dec(2026, 4)");
	*fmt_dec(got, 12345, 2) = '\0';
	unit_check(got, "45", "fmt_dec(12345, 2) keeps the low digits");
	{
		char small[8];
		struct text t = { small, sizeof(small), 0 };

		text_str(&t, "abc");
		text_u64(&t, 12345);
		text_str(&t, "xyz");
		snprintf(got, sizeof(got), "%.*s|%zu", (int)t.len, small, t.len);
		unit_check(got, "abc12345|8", "text_*: cut at the capacity, never past it");
	}
	return unit_done();
}

/*
 * tls_name_match (a certificate's DNS name against the SNI, RFC 6125,
 * section 6.4) and tls_misdirected (421, RFC 9110, section 15.5.20): each
 * line is an input and the exact result.
 */
#include <stdio.h>

#include "../../src/tlsname.h"
#include "unit.h"

static const struct {
	const char *pattern, *name;
	const char *want;	/* "match" or "no" */
} names[] = {
	{ "example.com", "example.com", "match" },
	{ "example.com", "EXAMPLE.com", "match" },
	{ "example.com", "example.com.", "match" },
	{ "Example.COM", "example.com", "match" },
	{ "example.com", "www.example.com", "no" },
	{ "example.com", "example.co", "no" },
	{ "example.com", "xexample.com", "no" },
	{ "*.example.com", "www.example.com", "match" },
	{ "*.example.com", "WWW.Example.Com", "match" },
	{ "*.example.com", "a-1.example.com.", "match" },
	{ "*.example.com", "example.com", "no" },
	{ "*.example.com", "a.b.example.com", "no" },
	{ "*.example.com", ".example.com", "no" },
	{ "*.example.com", "www.example.org", "no" },
	{ "*.example.com", "www..example.com", "no" },
	{ "*.com", "example.com", "no" },
	{ "*", "example", "no" },
	{ "*.", "a.", "no" },
	{ "*..com", "a..com", "no" },
	{ "w*.example.com", "www.example.com", "no" },
	{ "*w.example.com", "ww.example.com", "no" },
	{ "*.*.example.com", "a.b.example.com", "no" },
	{ "www.*.com", "www.example.com", "no" },
	{ "", "example.com", "no" },
	{ "example.com", "", "no" },
	{ "example.com", ".", "no" },
};

static const struct {
	const char *host;	/* as host_dir() spells it, or NULL */
	const char *sni;
	const char *want;	/* "421" or "ok" */
} sites[] = {
	{ "example.com", "example.com", "ok" },
	{ "example.com", "Example.COM", "ok" },
	{ "example.com", "example.com.", "ok" },
	{ "example.com", "", "ok" },		/* no SNI */
	{ NULL, "example.com", "ok" },		/* no site chosen */
	{ "example.com", "www.example.com", "421" },
	{ "www.example.com", "example.com", "421" },
	{ "example.com", "example.org", "421" },
	{ "example.com", "example.com:443", "421" },
	{ "example.com", "exa mple.com", "421" },
	{ "example.com", "example..com", "421" },
	{ "192.0.2.1", "192.0.2.1", "ok" },
	{ "192.0.2.1", "192.000.002.001", "421" },	/* no canonical form */
};

int
main(void)
{
	char q1[300], q2[300];
	size_t i;

	for (i = 0; i < NELEM(names); i++)
		unit_check(tls_name_match(names[i].pattern, strlen(names[i].pattern),
		    names[i].name, strlen(names[i].name)) ? "match" : "no",
		    names[i].want, "tls_name_match(%s, %s)",
		    unit_quote(q1, sizeof(q1), names[i].pattern,
		    strlen(names[i].pattern)),
		    unit_quote(q2, sizeof(q2), names[i].name, strlen(names[i].name)));
	for (i = 0; i < NELEM(sites); i++)
		unit_check(tls_misdirected(sites[i].host, sites[i].sni,
		    strlen(sites[i].sni)) ? "421" : "ok", sites[i].want,
		    "tls_misdirected(%s, %s)", sites[i].host ? sites[i].host : "NULL",
		    unit_quote(q2, sizeof(q2), sites[i].sni, strlen(sites[i].sni)));
	return unit_done();
}

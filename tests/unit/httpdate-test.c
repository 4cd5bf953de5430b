/*
 * httpdate_parse against RFC 9110, section 5.6.7 (IMF-fixdate and the two
 * obsolete forms a recipient must accept), and the three formatters at
 * known instants, each read back by the parser.
 */
#include <inttypes.h>
#include <stdint.h>

#include "../../src/httpdate.h"
#include "unit.h"

#define BAD	-1, 0

static const struct {
	const char *in;
	size_t len;
	int ret;
	int64_t t;
} parse_cases[] = {
	/* IMF-fixdate: the RFC's example, and instants around the epoch. */
	{ S("Sun, 06 Nov 1994 08:49:37 GMT"),	0, 784111777 },
	{ S("Thu, 01 Jan 1970 00:00:00 GMT"),	0, 0 },
	{ S("Wed, 31 Dec 1969 23:59:59 GMT"),	0, -1 },
	{ S("Tue, 19 Jan 2038 03:14:07 GMT"),	0, 2147483647 },
	{ S("Tue, 19 Jan 2038 03:14:08 GMT"),	0, 2147483648 },
	{ S("Mon, 01 Jan 1900 00:00:00 GMT"),	0, -2208988800 },
	{ S("Fri, 31 Dec 9999 23:59:59 GMT"),	0, 253402300799 },
	{ S("Sat, 01 Jan 0000 00:00:00 GMT"),	0, -62167219200 },
	/* Every day name. */
	{ S("Mon, 07 Nov 1994 08:49:37 GMT"),	0, 784198177 },
	{ S("Tue, 08 Nov 1994 08:49:37 GMT"),	0, 784284577 },
	{ S("Wed, 09 Nov 1994 08:49:37 GMT"),	0, 784370977 },
	{ S("Thu, 10 Nov 1994 08:49:37 GMT"),	0, 784457377 },
	{ S("Fri, 11 Nov 1994 08:49:37 GMT"),	0, 784543777 },
	{ S("Sat, 12 Nov 1994 08:49:37 GMT"),	0, 784630177 },
	/* Every month. */
	{ S("Mon, 01 Jan 2001 00:00:00 GMT"),	0, 978307200 },
	{ S("Thu, 01 Feb 2001 00:00:00 GMT"),	0, 980985600 },
	{ S("Thu, 01 Mar 2001 00:00:00 GMT"),	0, 983404800 },
	{ S("Sun, 01 Apr 2001 00:00:00 GMT"),	0, 986083200 },
	{ S("Tue, 01 May 2001 00:00:00 GMT"),	0, 988675200 },
	{ S("Fri, 01 Jun 2001 00:00:00 GMT"),	0, 991353600 },
	{ S("Sun, 01 Jul 2001 00:00:00 GMT"),	0, 993945600 },
	{ S("Wed, 01 Aug 2001 00:00:00 GMT"),	0, 996624000 },
	{ S("Sat, 01 Sep 2001 00:00:00 GMT"),	0, 999302400 },
	{ S("Mon, 01 Oct 2001 00:00:00 GMT"),	0, 1001894400 },
	{ S("Thu, 01 Nov 2001 00:00:00 GMT"),	0, 1004572800 },
	{ S("Sat, 01 Dec 2001 00:00:00 GMT"),	0, 1007164800 },
	/* Leap years: 2000 and 2024 are, 1900 and 2019 are not. */
	{ S("Tue, 29 Feb 2000 00:00:00 GMT"),	0, 951782400 },
	{ S("Thu, 29 Feb 2024 00:00:00 GMT"),	0, 1709164800 },
	/* A day the month does not have is no date. */
	{ S("Thu, 29 Feb 1900 00:00:00 GMT"),	BAD },
	{ S("Fri, 29 Feb 2019 00:00:00 GMT"),	BAD },
	{ S("Thu, 31 Nov 1994 00:00:00 GMT"),	BAD },
	{ S("Sun, 31 Apr 2001 00:00:00 GMT"),	BAD },
	{ S("Sat, 30 Feb 2000 00:00:00 GMT"),	BAD },
	{ S("Sun, 31 Mar 2001 00:00:00 GMT"),	0, 985996800 },
	/* The day name is not checked against the date. */
	{ S("Mon, 06 Nov 1994 08:49:37 GMT"),	0, 784111777 },
	/* A leap second (23:59:60) is read as the second before it. */
	{ S("Sat, 31 Dec 2016 23:59:60 GMT"),	0, 1483228799 },

	/* Fields out of range. */
	{ S("Sun, 00 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 32 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 99 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 24:00:00 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 08:60:37 GMT"),	BAD },
	{ S("Sat, 31 Dec 2016 23:59:61 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 99:99:99 GMT"),	BAD },
	/* Names are case-sensitive and exact. */
	{ S("sun, 06 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("SUN, 06 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 NOV 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 gmt"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 UTC"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 +0000"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37"),	BAD },
	{ S("Sun, 06 Noe 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Sept 1994 08:49:37 GMT"),	BAD },
	{ S("Snu, 06 Nov 1994 08:49:37 GMT"),	BAD },
	/* Fixed width: two-digit day and time fields, four-digit year. */
	{ S("Sun, 6 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun,  6 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 94 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 19940 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 8:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37.5 GMT"),	BAD },
	{ S("Sun, +6 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov -994 08:49:37 GMT"),	BAD },
	/* No whitespace beyond the single spaces, nothing after. */
	{ S(" Sun, 06 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 GMT "),	BAD },
	{ S("Sun,  06 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun,06 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun 06 Nov 1994 08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994\t08:49:37 GMT"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 GMT\r\n"), BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 GMT\0"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 GMT;"),	BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 GMTGMT"), BAD },
	/* Only s[0..len) is read: a cut date is no date. */
	{ "Sun, 06 Nov 1994 08:49:37 GMT", 28,	BAD },
	{ "Sun, 06 Nov 1994 08:49:37 GMT", 0,	BAD },
	{ "Sunday, 06-Nov-94 08:49:37 GMT", 3,	BAD },
	{ "Sun Nov  6 08:49:37 1994", 23,	BAD },

	/* RFC 850, with every day name. */
	{ S("Sunday, 06-Nov-94 08:49:37 GMT"),	0, 784111777 },
	{ S("Monday, 07-Nov-94 08:49:37 GMT"),	0, 784198177 },
	{ S("Tuesday, 08-Nov-94 08:49:37 GMT"),	0, 784284577 },
	{ S("Wednesday, 09-Nov-94 08:49:37 GMT"), 0, 784370977 },
	{ S("Thursday, 10-Nov-94 08:49:37 GMT"), 0, 784457377 },
	{ S("Friday, 11-Nov-94 08:49:37 GMT"),	0, 784543777 },
	{ S("Saturday, 12-Nov-94 08:49:37 GMT"), 0, 784630177 },
	/* A two-digit year is in this century unless that is more than
	 * 50 years ahead (RFC 9110, section 5.6.7): from 2020 to 2043,
	 * 70 is 2070 and 94 is 1994. */
	{ S("Thursday, 01-Jan-70 00:00:00 GMT"), 0, 3155760000 },
	{ S("Saturday, 01-Jan-00 00:00:00 GMT"), 0, 946684800 },
	{ S("Tuesday, 31-Dec-69 23:59:59 GMT"),	0, 3155759999 },
	{ S("Sunday, 06-Nov-1994 08:49:37 GMT"), BAD },
	{ S("Sunday, 06-Nov-4 08:49:37 GMT"),	BAD },
	{ S("Sunday, 6-Nov-94 08:49:37 GMT"),	BAD },
	{ S("Sunday, 06 Nov 94 08:49:37 GMT"),	BAD },
	{ S("Sunday, 06-nov-94 08:49:37 GMT"),	BAD },
	{ S("Sunday 06-Nov-94 08:49:37 GMT"),	BAD },
	{ S("sunday, 06-Nov-94 08:49:37 GMT"),	BAD },
	{ S("Sun, 06-Nov-94 08:49:37 GMT"),	BAD },
	{ S("Sundy, 06-Nov-94 08:49:37 GMT"),	BAD },
	{ S("Sunday, 06-Nov-94 08:49:37 UTC"),	BAD },
	{ S("Sunday, 06-Nov-94 08:49:37 GMT "),	BAD },
	{ S("Sunday, 00-Nov-94 08:49:37 GMT"),	BAD },
	{ S("Sunday, 06-Nov-94 24:49:37 GMT"),	BAD },

	/* asctime: the day is two digits or a space and one digit. */
	{ S("Sun Nov  6 08:49:37 1994"),	0, 784111777 },
	{ S("Sun Nov 06 08:49:37 1994"),	0, 784111777 },
	{ S("Wed Nov 16 08:49:37 1994"),	0, 784975777 },
	{ S("Thu Jan  1 00:00:00 1970"),	0, 0 },
	{ S("Sun Nov 6 08:49:37 1994"),		BAD },
	{ S("Sun Nov   6 08:49:37 1994"),	BAD },
	{ S("Sun Nov  0 08:49:37 1994"),	BAD },
	{ S("Sun Nov 32 08:49:37 1994"),	BAD },
	{ S("Sun Nov  6 08:49:37 94"),		BAD },
	{ S("Sun Nov  6 08:49:37 1994 GMT"),	BAD },
	{ S("Sun Nov  6 08:49:37 1994\n"),	BAD },	/* as asctime() writes it */
	{ S("Sun  Nov  6 08:49:37 1994"),	BAD },
	{ S("Sunday Nov  6 08:49:37 1994"),	BAD },
	{ S("Sun nov  6 08:49:37 1994"),	BAD },
	{ S("Sun Nov  6 08:49:60 1994"),	0, 784111799 },
	{ S("Sun Nov  6 08:60:00 1994"),	BAD },

	/* Not HTTP-dates at all. */
	{ S(""),				BAD },
	{ S("0"),				BAD },
	{ S("784111777"),			BAD },
	{ S("1994-11-06T08:49:37Z"),		BAD },
	{ S("Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT"), BAD },
	{ S("\"Sun, 06 Nov 1994 08:49:37 GMT\""), BAD },
};

/*
 * Known instants in the three output forms.  "roundtrip" is 0 where the
 * year has no four-digit form (0000 is written) and so cannot be read
 * back as the same instant.
 */
static const struct {
	int64_t t;
	const char *imf, *clf, *syslog;
	int roundtrip;
} format_cases[] = {
	{ 0,		"Thu, 01 Jan 1970 00:00:00 GMT", "01/Jan/1970:00:00:00 +0000", "Jan  1 00:00:00", 1 },
	{ -1,		"Wed, 31 Dec 1969 23:59:59 GMT", "31/Dec/1969:23:59:59 +0000", "Dec 31 23:59:59", 1 },
	{ 784111777,	"Sun, 06 Nov 1994 08:49:37 GMT", "06/Nov/1994:08:49:37 +0000", "Nov  6 08:49:37", 1 },
	{ 1000000000,	"Sun, 09 Sep 2001 01:46:40 GMT", "09/Sep/2001:01:46:40 +0000", "Sep  9 01:46:40", 1 },
	{ 1000086400,	"Mon, 10 Sep 2001 01:46:40 GMT", "10/Sep/2001:01:46:40 +0000", "Sep 10 01:46:40", 1 },
	{ 951782400,	"Tue, 29 Feb 2000 00:00:00 GMT", "29/Feb/2000:00:00:00 +0000", "Feb 29 00:00:00", 1 },
	{ 1483228799,	"Sat, 31 Dec 2016 23:59:59 GMT", "31/Dec/2016:23:59:59 +0000", "Dec 31 23:59:59", 1 },
	{ 1709164800,	"Thu, 29 Feb 2024 00:00:00 GMT", "29/Feb/2024:00:00:00 +0000", "Feb 29 00:00:00", 1 },
	{ 2147483647,	"Tue, 19 Jan 2038 03:14:07 GMT", "19/Jan/2038:03:14:07 +0000", "Jan 19 03:14:07", 1 },
	{ 2147483648,	"Tue, 19 Jan 2038 03:14:08 GMT", "19/Jan/2038:03:14:08 +0000", "Jan 19 03:14:08", 1 },
	{ 4107542400,	"Mon, 01 Mar 2100 00:00:00 GMT", "01/Mar/2100:00:00:00 +0000", "Mar  1 00:00:00", 1 },
	{ 4107542399,	"Sun, 28 Feb 2100 23:59:59 GMT", "28/Feb/2100:23:59:59 +0000", "Feb 28 23:59:59", 1 },
	{ 32503680000,	"Wed, 01 Jan 3000 00:00:00 GMT", "01/Jan/3000:00:00:00 +0000", "Jan  1 00:00:00", 1 },
	{ 253402300799,	"Fri, 31 Dec 9999 23:59:59 GMT", "31/Dec/9999:23:59:59 +0000", "Dec 31 23:59:59", 1 },
	{ -2208988800,	"Mon, 01 Jan 1900 00:00:00 GMT", "01/Jan/1900:00:00:00 +0000", "Jan  1 00:00:00", 1 },
	{ -62135596800,	"Mon, 01 Jan 0001 00:00:00 GMT", "01/Jan/0001:00:00:00 +0000", "Jan  1 00:00:00", 1 },
	{ -62167219200,	"Sat, 01 Jan 0000 00:00:00 GMT", "01/Jan/0000:00:00:00 +0000", "Jan  1 00:00:00", 1 },
	/* Years past 9999 or before 0 are written as 0000. */
	{ 253402300800,	"Sat, 01 Jan 0000 00:00:00 GMT", "01/Jan/0000:00:00:00 +0000", "Jan  1 00:00:00", 0 },
	{ 1099511627776, "Mon, 20 Feb 0000 00:36:16 GMT", "20/Feb/0000:00:36:16 +0000", "Feb 20 00:36:16", 0 },
	{ INT64_MAX,	"Sun, 04 Dec 0000 15:30:07 GMT", "04/Dec/0000:15:30:07 +0000", "Dec  4 15:30:07", 0 },
	{ -62167219201,	"Fri, 31 Dec 0000 23:59:59 GMT", "31/Dec/0000:23:59:59 +0000", "Dec 31 23:59:59", 0 },
	{ INT64_MIN,	"Sun, 27 Jan 0000 08:29:52 GMT", "27/Jan/0000:08:29:52 +0000", "Jan 27 08:29:52", 0 },
};

static const char *
parsed(char *buf, size_t cap, int ret, int64_t t)
{
	if (ret == 0)
		snprintf(buf, cap, "%" PRId64, t);
	else if (ret == -1)
		snprintf(buf, cap, "invalid");
	else
		snprintf(buf, cap, "return %d", ret);
	return buf;
}

/*
 * Run one formatter into a buffer of len + 1 bytes and one guard byte:
 * the text, or a word saying how it broke the contract.
 */
static const char *
formatted(char *buf, size_t len, void (*fmt)(int64_t, char *), int64_t t)
{
	memset(buf, 'X', len + 2);
	fmt(t, buf);
	if (buf[len + 1] != 'X')
		return "overrun";
	if (buf[len] != '\0' || strlen(buf) != len)
		return "wrong length";
	return buf;
}

int
main(void)
{
	size_t i;

	for (i = 0; i < NELEM(parse_cases); i++) {
		char q[256], got[32], want[32];
		char *in = unit_dup(parse_cases[i].in, parse_cases[i].len);
		int64_t t = 0;
		int r;

		r = httpdate_parse(in, parse_cases[i].len, &t);
		unit_check(parsed(got, sizeof(got), r, t),
		    parsed(want, sizeof(want), parse_cases[i].ret,
		    parse_cases[i].t), "httpdate_parse(%s)",
		    unit_input(q, sizeof(q), parse_cases[i].in,
		    parse_cases[i].len));
		free(in);
	}

	for (i = 0; i < NELEM(format_cases); i++) {
		char imf[HTTPDATE_LEN + 2], clf[LOGDATE_LEN + 2];
		char sys[SYSLOGDATE_LEN + 2], got[32], want[32];
		int64_t t = format_cases[i].t, back = 0;
		int r;

		unit_check(formatted(imf, HTTPDATE_LEN, httpdate_format, t),
		    format_cases[i].imf, "httpdate_format(%" PRId64 ")", t);
		unit_check(formatted(clf, LOGDATE_LEN, httpdate_format_log, t),
		    format_cases[i].clf, "httpdate_format_log(%" PRId64 ")", t);
		unit_check(formatted(sys, SYSLOGDATE_LEN, httpdate_format_syslog, t),
		    format_cases[i].syslog, "httpdate_format_syslog(%" PRId64 ")", t);
		if (!format_cases[i].roundtrip)
			continue;
		r = httpdate_parse(imf, HTTPDATE_LEN, &back);
		unit_check(parsed(got, sizeof(got), r, back),
		    parsed(want, sizeof(want), 0, t),
		    "httpdate_parse(httpdate_format(%" PRId64 "))", t);
	}
	return unit_done();
}

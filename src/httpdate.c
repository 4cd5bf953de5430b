/*
 * HTTP-date formatting and parsing.  Input of httpdate_parse: raw field
 * values from the network; it reads only s[0..len).
 */
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "httpdate.h"

static const char days[7][4] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

struct civil {
	int64_t year;
	unsigned month, day, hour, min, sec, wday;
};

static void
civil_from_time(int64_t t, struct civil *c)
{
	int64_t z = t / 86400, secs = t % 86400, era;
	unsigned doe, yoe, doy, mp;

	if (secs < 0) {
		secs += 86400;
		z--;
	}
	c->hour = (unsigned)(secs / 3600);
	c->min = (unsigned)(secs / 60 % 60);
	c->sec = (unsigned)(secs % 60);
	c->wday = (unsigned)(((z % 7) + 7) % 7);
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	c->day = doy - (153 * mp + 2) / 5 + 1;
	c->month = mp < 10 ? mp + 3 : mp - 9;
	c->year = (int64_t)yoe + era * 400 + (c->month <= 2);
}

int64_t
httpdate_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
httpdate_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

/* A year as four digits; one outside 0-9999 is written as 0000. */
static char *
put_year(char *p, int64_t y)
{
	return fmt_dec(p, (y < 0 || y > 9999) ? 0 : (uint64_t)y, 4);
}

static char *
put_time(char *p, const struct civil *c)
{
	p = fmt_dec(p, c->hour, 2);
	*p++ = ':';
	p = fmt_dec(p, c->min, 2);
	*p++ = ':';
	return fmt_dec(p, c->sec, 2);
}

/*
 * The last two times written as IMF-fixdates, and their text, which is a
 * function of the time alone: a response writes its Date and a file's
 * Last-Modified, and the next response on a persistent connection, within
 * the same second, the same two again.
 */
static struct {
	int64_t t;
	int set;
	char text[HTTPDATE_LEN + 1];
} fixdate_memo[2];
static unsigned fixdate_next;

void
httpdate_format(int64_t t, char *buf)
{
	struct civil c;
	char *p = buf;
	unsigned i;

	for (i = 0; i < 2; i++)
		if (fixdate_memo[i].set && fixdate_memo[i].t == t) {
			memcpy(buf, fixdate_memo[i].text, HTTPDATE_LEN + 1);
			return;
		}
	civil_from_time(t, &c);
	memcpy(p, days[c.wday], 3);
	p += 3;
	*p++ = ',';
	*p++ = ' ';
	p = fmt_dec(p, c.day, 2);
	*p++ = ' ';
	memcpy(p, months[c.month - 1], 3);
	p += 3;
	*p++ = ' ';
	p = put_year(p, c.year);
	*p++ = ' ';
	p = put_time(p, &c);
	memcpy(p, " GMT", 5);
	fixdate_memo[fixdate_next].t = t;
	fixdate_memo[fixdate_next].set = 1;
	memcpy(fixdate_memo[fixdate_next].text, buf, HTTPDATE_LEN + 1);
	fixdate_next ^= 1;
}

void
httpdate_format_log(int64_t t, char *buf)
{
	/* The last one written, as for httpdate_format(). */
	static int64_t memo_t;
	static int memo_set;
	static char memo[LOGDATE_LEN + 1];
	struct civil c;
	char *p = buf;

	if (memo_set && t == memo_t) {
		memcpy(buf, memo, LOGDATE_LEN + 1);
		return;
	}
	civil_from_time(t, &c);
	p = fmt_dec(p, c.day, 2);
	*p++ = '/';
	memcpy(p, months[c.month - 1], 3);
	p += 3;
	*p++ = '/';
	p = put_year(p, c.year);
	*p++ = ':';
	p = put_time(p, &c);
	memcpy(p, " +0000", 7);
	memo_t = t;
	memo_set = 1;
	memcpy(memo, buf, LOGDATE_LEN + 1);
}

void
httpdate_format_syslog(int64_t t, char *buf)
{
	struct civil c;
	char *p = buf;

	civil_from_time(t, &c);
	memcpy(p, months[c.month - 1], 3);
	p += 3;
	*p++ = ' ';
	p = fmt_dec(p, c.day, 2);
	if (c.day < 10)
		p[-2] = ' ';	/* RFC 3164: the day is padded with a space */
	*p++ = ' ';
	p = put_time(p, &c);
	*p = '\0';
}

/* A small cursor over untrusted bytes. */
struct scan {
	const char *s;
	size_t len, pos;
};

static int
scan_lit(struct scan *sc, const char *lit)
{
	size_t n = strlen(lit);

	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, lit, n) != 0)
		return -1;
	sc->pos += n;
	return 0;
}

/* Exactly n digits. */
static int
scan_digits(struct scan *sc, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	if (sc->len - sc->pos < n)
		return -1;
	for (i = 0; i < n; i++) {
		char ch = sc->s[sc->pos + i];

		if (ch < '0' || ch > '9')
			return -1;
		*v = *v * 10 + (unsigned)(ch - '0');
	}
	sc->pos += n;
	return 0;
}

static int
scan_month(struct scan *sc, unsigned *m)
{
	unsigned i;

	if (sc->len - sc->pos < 3)
		return -1;
	for (i = 0; i < 12; i++)
		if (memcmp(sc->s + sc->pos, months[i], 3) == 0) {
			*m = i + 1;
			sc->pos += 3;
			return 0;
		}
	return -1;
}

/* Skip a day name: three letters, or (RFC 850) the full name. */
static int
scan_dayname(struct scan *sc, int full)
{
	static const char *const long_days[7] = { "Monday", "Tuesday",
		"Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };
	static const char short_days[7][4] = { "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat", "Sun" };
	int i;

	for (i = 0; i < 7; i++)
		if (scan_lit(sc, full ? long_days[i] : short_days[i]) == 0)
			return 0;
	return -1;
}

static int
scan_time(struct scan *sc, unsigned *h, unsigned *mi, unsigned *s)
{
	if (scan_digits(sc, 2, h) == -1 || scan_lit(sc, ":") == -1 ||
	    scan_digits(sc, 2, mi) == -1 || scan_lit(sc, ":") == -1 ||
	    scan_digits(sc, 2, s) == -1)
		return -1;
	return 0;
}

/* The number of days in month m (1-12) of year y. */
static unsigned
month_days(int64_t y, unsigned m)
{
	static const unsigned char days_in[12] = { 31, 28, 31, 30, 31, 30, 31,
		31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days_in[m - 1];
}

/* The year of a two-digit year yy: in this century, unless that is more
 * than 50 years ahead of the current year. */
static int64_t
two_digit_year(unsigned yy)
{
	struct civil now;
	int64_t y;

	civil_from_time(httpdate_now(), &now);
	y = now.year - now.year % 100 + yy;
	return y > now.year + 50 ? y - 100 : y;
}

int
httpdate_parse(const char *s, size_t len, int64_t *t)
{
	struct scan sc = { s, len, 0 };
	unsigned d, m, y, h, mi, sec;
	int64_t year;

	if (scan_dayname(&sc, 0) == 0 && scan_lit(&sc, ", ") == 0) {
		/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
		if (scan_digits(&sc, 2, &d) == -1 || scan_lit(&sc, " ") == -1 ||
		    scan_month(&sc, &m) == -1 || scan_lit(&sc, " ") == -1 ||
		    scan_digits(&sc, 4, &y) == -1 || scan_lit(&sc, " ") == -1 ||
		    scan_time(&sc, &h, &mi, &sec) == -1 ||
		    scan_lit(&sc, " GMT") == -1)
			return -1;
		year = y;
	} else if (sc.pos = 0, scan_dayname(&sc, 1) == 0 &&
	    scan_lit(&sc, ", ") == 0) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT.  A two-digit year
		 * that would be more than 50 years ahead is the most recent
		 * past year with those digits (RFC 9110, section 5.6.7). */
		if (scan_digits(&sc, 2, &d) == -1 || scan_lit(&sc, "-") == -1 ||
		    scan_month(&sc, &m) == -1 || scan_lit(&sc, "-") == -1 ||
		    scan_digits(&sc, 2, &y) == -1 || scan_lit(&sc, " ") == -1 ||
		    scan_time(&sc, &h, &mi, &sec) == -1 ||
		    scan_lit(&sc, " GMT") == -1)
			return -1;
		year = two_digit_year(y);
	} else if (sc.pos = 0, scan_dayname(&sc, 0) == 0 &&
	    scan_lit(&sc, " ") == 0) {
		/* asctime: Sun Nov  6 08:49:37 1994 */
		if (scan_month(&sc, &m) == -1 || scan_lit(&sc, " ") == -1)
			return -1;
		if (scan_lit(&sc, " ") == 0) {
			if (scan_digits(&sc, 1, &d) == -1)
				return -1;
		} else if (scan_digits(&sc, 2, &d) == -1)
			return -1;
		if (scan_lit(&sc, " ") == -1 ||
		    scan_time(&sc, &h, &mi, &sec) == -1 ||
		    scan_lit(&sc, " ") == -1 || scan_digits(&sc, 4, &y) == -1)
			return -1;
		year = y;
	} else
		return -1;
	/* A day the month does not have (31 Nov, 29 Feb 2019) is no date. */
	if (sc.pos != len || d < 1 || d > month_days(year, m) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	if (sec == 60)
		sec = 59;
	*t = days_from_civil(year, m, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

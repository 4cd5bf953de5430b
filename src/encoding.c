/*
 * Accept-Encoding.  Input: field values straight from the request; only
 * the bytes the field list points at are read.
 */
#include "encoding.h"

/*
 * qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), as 0-1000.
 * Returns it, or -1.
 */
static int
qvalue(const char *s, size_t len)
{
	int v, scale = 100;
	size_t i;

	if (len == 0 || (s[0] != '0' && s[0] != '1') || len > 5)
		return -1;
	v = (s[0] - '0') * 1000;
	if (len > 1 && s[1] != '.')
		return -1;
	for (i = 2; i < len; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v += (s[i] - '0') * scale;
	}
	return v > 1000 ? -1 : v;
}

/* One list member s[0..len): coding [ OWS ";" OWS "q=" qvalue ].  Returns
 * the coding's length and sets *q (1000 without a weight), or 0 for a
 * malformed member. */
static size_t
member(const char *s, size_t len, int *q)
{
	size_t i, n;

	for (n = 0; n < len && request_is_tchar((unsigned char)s[n]); n++)
		;
	if (n == 0)
		return 0;
	*q = 1000;
	i = n;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len)
		return n;
	if (s[i++] != ';')
		return 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (len - i < 2 || (s[i] | 0x20) != 'q' || s[i + 1] != '=')
		return 0;
	*q = qvalue(s + i + 2, len - i - 2);
	return *q < 0 ? 0 : n;
}

void
encoding_accept(const struct field_list *ae, unsigned *q)
{
	int listed[ENCODING_COUNT] = { 0 }, star = -1;
	unsigned k;

	q[ENCODING_IDENTITY] = 1000;
	q[ENCODING_GZIP] = q[ENCODING_BR] = 0;
	if (ae->n == 0)
		return;
	/* Listed: identity stays acceptable, after any coding listed. */
	q[ENCODING_IDENTITY] = 1;
	for (k = 0; k < ae->n; k++) {
		const char *s = ae->v[k];
		size_t len = ae->len[k], i = 0;

		while (i < len) {
			size_t start, end, n;
			int qv, e = -1;

			while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
				i++;
			start = i;
			while (i < len && s[i] != ',')
				i++;
			end = i;
			while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
				end--;
			if (end == start || (n = member(s + start, end - start, &qv)) == 0)
				continue;
			if (request_name_is(s + start, n, "br"))
				e = ENCODING_BR;
			else if (request_name_is(s + start, n, "gzip") || request_name_is(s + start, n, "x-gzip"))
				e = ENCODING_GZIP;
			else if (request_name_is(s + start, n, "identity"))
				e = ENCODING_IDENTITY;
			else if (request_name_is(s + start, n, "*"))
				star = qv;
			if (e >= 0) {
				q[e] = (unsigned)qv;
				listed[e] = 1;
			}
		}
	}
	/* "*" gives its weight to every encoding not listed. */
	for (k = 0; k < ENCODING_COUNT; k++)
		if (!listed[k] && star >= 0)
			q[k] = (unsigned)star;
}

enum encoding
encoding_choose(const unsigned *q, unsigned available)
{
	static const enum encoding order[] = { ENCODING_BR, ENCODING_GZIP,
		ENCODING_IDENTITY };
	enum encoding best = ENCODING_IDENTITY;
	unsigned best_q = 0, k;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		enum encoding e = order[k];

		if ((e == ENCODING_IDENTITY || (available & (1U << e))) &&
		    q[e] > best_q) {
			best = e;
			best_q = q[e];
		}
	}
	return best;
}

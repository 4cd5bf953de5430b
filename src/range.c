/*
 * Range parsing.  All arithmetic is on uint64_t and checked: a number too
 * large for 64 bits is read as "beyond any file".
 */
#include "range.h"

/* Digits at s[*i..len) into *v, saturating at UINT64_MAX.  Returns the count. */
static size_t
number(const char *s, size_t len, size_t *i, uint64_t *v)
{
	size_t n = 0;

	*v = 0;
	for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; (*i)++, n++) {
		unsigned d = (unsigned)(s[*i] - '0');

		*v = (*v > (UINT64_MAX - d) / 10) ? UINT64_MAX : *v * 10 + d;
	}
	return n;
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Security: several ranges are answered with the whole file (200), which
 * RFC 9110 allows; a multipart answer would let a small request ask for
 * many overlapping copies of a file.  Parsing is linear in the value,
 * which the head limit bounds.
 */
enum range_result
range_parse(const char *s, size_t len, uint64_t size, uint64_t *first,
    uint64_t *last)
{
	size_t i = 6, count = 0;
	uint64_t a = 0, b = 0;
	int suffix = 0, open_end = 0;

	if (len < 6 || (s[0] | 0x20) != 'b' || (s[1] | 0x20) != 'y' ||
	    (s[2] | 0x20) != 't' || (s[3] | 0x20) != 'e' ||
	    (s[4] | 0x20) != 's' || s[5] != '=')
		return RANGE_IGNORE;

	/* ranges-specifier = "bytes=" 1#range-spec; empty list members allowed. */
	for (;;) {
		uint64_t x, y;
		int sfx = 0, open = 0;

		while (i < len && (is_ows(s[i]) || s[i] == ','))
			i++;
		if (i == len)
			break;
		if (s[i] == '-') {
			i++;
			if (number(s, len, &i, &y) == 0)
				return RANGE_IGNORE;
			sfx = 1;
			x = 0;
		} else {
			if (number(s, len, &i, &x) == 0 || i == len || s[i] != '-')
				return RANGE_IGNORE;
			i++;
			if (number(s, len, &i, &y) == 0)
				open = 1;
			else if (y < x)
				return RANGE_IGNORE;
		}
		while (i < len && is_ows(s[i]))
			i++;
		if (i < len && s[i] != ',')
			return RANGE_IGNORE;
		count++;
		a = x;
		b = y;
		suffix = sfx;
		open_end = open;
	}
	if (count != 1)
		return RANGE_IGNORE;

	if (suffix) {
		/* The last b bytes; "-0" selects nothing.  A non-zero
		 * suffix of an empty file is satisfiable (RFC 9110, section
		 * 14.1.1) but selects no byte that a Content-Range could
		 * name: the whole (empty) file is sent, with 200. */
		if (b == 0)
			return RANGE_UNSATISFIABLE;
		if (size == 0)
			return RANGE_IGNORE;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return RANGE_OK;
	}
	if (a >= size)
		return RANGE_UNSATISFIABLE;
	*first = a;
	*last = (open_end || b >= size) ? size - 1 : b;
	return RANGE_OK;
}

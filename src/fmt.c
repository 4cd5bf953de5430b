/*
 * Number formatting and bounded text.  Input: numbers the handler
 * computed, and text whose length the caller gives.
 */
#include <string.h>

#include "fmt.h"

const char fmt_hex_digits[32] = "0123456789abcdef0123456789ABCDEF";

char *
fmt_u64(char *p, uint64_t v)
{
	char tmp[FMT_U64_MAX];
	unsigned n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

char *
fmt_dec(char *p, uint64_t v, unsigned width)
{
	unsigned i;

	for (i = width; i > 0; i--) {
		p[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

int
fmt_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *
fmt_hex(char *p, uint64_t v)
{
	/* The digits v needs (1 for 0), written from the last one back. */
	unsigned n = v == 0 ? 1 : (unsigned)(67 - __builtin_clzll(v)) / 4;
	char *end = p + n;

	do {
		*--end = fmt_hex_digits[v & 15];
		v >>= 4;
	} while (v);
	return p + n;
}

size_t
text_room(const struct text *t, size_t limit)
{
	if (limit > t->cap)
		limit = t->cap;
	return limit > t->len ? limit - t->len : 0;
}

void
text_put_cut(struct text *t, const char *s, size_t n)
{
	size_t r = text_room(t, t->cap);

	if (n > r)
		n = r;
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

void
text_u64(struct text *t, uint64_t v)
{
	char tmp[FMT_U64_MAX];

	/* Where any number fits, written in place. */
	if (t->cap - t->len >= FMT_U64_MAX) {
		t->len = (size_t)(fmt_u64(t->p + t->len, v) - t->p);
		return;
	}
	text_put(t, tmp, (size_t)(fmt_u64(tmp, v) - tmp));
}

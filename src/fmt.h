/*
 * Numbers as text: the one decimal and the one hexadecimal formatter, for
 * headers, ETags, log lines and addresses; and bounded text buffers.  No
 * I/O, no allocation.
 */
#ifndef FMT_H
#define FMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FMT_U64_MAX	20	/* digits of UINT64_MAX */

/* "0123456789abcdef0123456789ABCDEF": lower case, then upper case. */
extern const char fmt_hex_digits[32];

/* Write v in decimal at p, without a NUL.  Returns the end. */
char	*fmt_u64(char *p, uint64_t v);

/* Write v in decimal at p, zero-padded to exactly width digits (the low
 * width digits of v).  Returns the end. */
char	*fmt_dec(char *p, uint64_t v, unsigned width);

/* Write v in lower-case hexadecimal without leading zeros at p.  Returns
 * the end. */
char	*fmt_hex(char *p, uint64_t v);

/* The value of the hex digit c (either case), or -1. */
int	fmt_hex_value(int c);

/* Text built in a fixed buffer: len never exceeds cap, and what does not
 * fit is cut, never written past the end. */
struct text {
	char *p;
	size_t cap, len;
};

/* Append s[0..n) when it does not fit: as much of it as does. */
void	text_put_cut(struct text *t, const char *s, size_t n);

/* Append s[0..n), or as much of it as fits.  Inline, as text_str(): the
 * compiler then copies a literal's known length in place, which is most
 * of a response head. */
static inline void
text_put(struct text *t, const char *s, size_t n)
{
	if (n > t->cap - t->len) {
		text_put_cut(t, s, n);
		return;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

/* Append the string s, or as much of it as fits. */
static inline void
text_str(struct text *t, const char *s)
{
	text_put(t, s, strlen(s));
}

/* Append v in decimal, or as much of it as fits. */
void	text_u64(struct text *t, uint64_t v);

/* The room left before the length limit (or the end, if nearer). */
size_t	text_room(const struct text *t, size_t limit);

#endif

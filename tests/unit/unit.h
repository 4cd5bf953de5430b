/*
 * A table-driven unit test harness in one header, libc only.  Each case
 * prints one TAP line, "ok N - description" or "not ok N - description"
 * followed by "# got ... expected ...", and unit_done() prints the plan.
 * Results are compared as text, so a failure shows both sides readably.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string literal and its length, NUL bytes inside included. */
#define S(lit)		lit, (sizeof(lit) - 1)
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int unit_count, unit_failed;

/*
 * s[0..len) as a C string literal into buf[cap]: quotes, and escapes for
 * control, non-ASCII, quote and backslash bytes, so that no input can
 * break a TAP line.  '#' is escaped too: TAP reads " # " as a directive.
 */
static inline const char *
unit_quote(char *buf, size_t cap, const char *s, size_t len)
{
	size_t i, o = 0;

	if (cap < 16)
		return "";
	buf[o++] = '"';
	for (i = 0; i < len && o + 10 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c == '#') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/*
 * A table's input s[0..len) for a description: quoted, and when the
 * string goes on past len, the whole of it too ("bytes=0-4" of
 * "bytes=0-49"), so that cases reading a prefix stay distinct.  s must
 * be a NUL-terminated string at least len bytes long.
 */
static inline const char *
unit_input(char *buf, size_t cap, const char *s, size_t len)
{
	size_t n;

	unit_quote(buf, cap, s, len);
	if (s[len] != '\0' && (n = strlen(buf)) + 20 < cap) {
		memcpy(buf + n, " of ", 5);
		unit_quote(buf + n + 4, cap - n - 4, s, strlen(s));
	}
	return buf;
}

/*
 * A copy of s[0..len) in a buffer of exactly len bytes, with no NUL after
 * it: under AddressSanitizer a read past len is an error.
 */
static inline char *
unit_dup(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	if (p == NULL) {
		perror("malloc");
		exit(2);
	}
	memcpy(p, s, len);
	return p;
}

/* One case: passes when got and want are the same text. */
static inline void __attribute__((format(printf, 3, 4)))
unit_check(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int pass = strcmp(got, want) == 0;

	unit_count++;
	if (!pass)
		unit_failed++;
	printf("%s %d - ", pass ? "ok" : "not ok", unit_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass)
		printf("# got %s expected %s\n", got, want);
	fflush(stdout);
}

/* The plan, and the exit status: 0 when every case passed. */
static inline int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif

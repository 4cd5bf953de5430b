/*
 * range_parse against RFC 9110, sections 14.1 and 14.2: each line is a
 * Range value, the representation's size and the answer (206 with the
 * inclusive byte range, 416, or the field ignored and 200 sent).
 */
#include <inttypes.h>
#include <stdint.h>

#include "../../src/range.h"
#include "unit.h"

#define OK	RANGE_OK
#define IGNORE	RANGE_IGNORE
#define UNSAT	RANGE_UNSATISFIABLE
#define GiB	1073741824ULL

static const struct {
	const char *in;
	size_t len;
	uint64_t size;
	enum range_result want;
	uint64_t first, last;
} cases[] = {
	/* RFC 9110, section 14.1.2: the examples, for 10000 bytes. */
	{ S("bytes=0-499"),		10000, OK, 0, 499 },
	{ S("bytes=500-999"),		10000, OK, 500, 999 },
	{ S("bytes=-500"),		10000, OK, 9500, 9999 },
	{ S("bytes=9500-"),		10000, OK, 9500, 9999 },
	{ S("bytes=0-0,-1"),		10000, IGNORE, 0, 0 },
	{ S("bytes= 0-999, 4500-5499, -1000"), 10000, IGNORE, 0, 0 },
	{ S("bytes=500-600,601-999"),	10000, IGNORE, 0, 0 },
	{ S("bytes=500-700,601-999"),	10000, IGNORE, 0, 0 },

	/* first-last: inclusive, a last past the end means the end. */
	{ S("bytes=0-0"),		10, OK, 0, 0 },
	{ S("bytes=9-9"),		10, OK, 9, 9 },
	{ S("bytes=0-9"),		10, OK, 0, 9 },
	{ S("bytes=0-10"),		10, OK, 0, 9 },
	{ S("bytes=3-1000000"),		10, OK, 3, 9 },
	{ S("bytes=007-008"),		10, OK, 7, 8 },
	/* A last-pos below the first-pos makes the value invalid. */
	{ S("bytes=5-4"),		10, IGNORE, 0, 0 },
	{ S("bytes=20-10"),		10, IGNORE, 0, 0 },
	/* A first-pos at or past the end is unsatisfiable. */
	{ S("bytes=10-10"),		10, UNSAT, 0, 0 },
	{ S("bytes=11-20"),		10, UNSAT, 0, 0 },

	/* first- : to the end. */
	{ S("bytes=0-"),		10, OK, 0, 9 },
	{ S("bytes=9-"),		10, OK, 9, 9 },
	{ S("bytes=10-"),		10, UNSAT, 0, 0 },

	/* -suffix: the last N bytes, all of them when N is larger. */
	{ S("bytes=-1"),		10, OK, 9, 9 },
	{ S("bytes=-0003"),		10, OK, 7, 9 },
	{ S("bytes=-10"),		10, OK, 0, 9 },
	{ S("bytes=-11"),		10, OK, 0, 9 },
	{ S("bytes=-0"),		10, UNSAT, 0, 0 },
	{ S("bytes=-00"),		10, UNSAT, 0, 0 },

	/* An empty file: a first-pos is never satisfiable; a non-zero
	 * suffix is (section 14.1.1) but names no byte, so 200. */
	{ S("bytes=0-"),		0, UNSAT, 0, 0 },
	{ S("bytes=0-0"),		0, UNSAT, 0, 0 },
	{ S("bytes=-1"),		0, IGNORE, 0, 0 },
	{ S("bytes=-0"),		0, UNSAT, 0, 0 },
	{ S("bytes=0-1,2-3"),		0, IGNORE, 0, 0 },

	/* The unit: "bytes" only, case-insensitive (section 14.1). */
	{ S("BYTES=0-1"),		10, OK, 0, 1 },
	{ S("Bytes=0-1"),		10, OK, 0, 1 },
	{ S("items=0-1"),		10, IGNORE, 0, 0 },
	{ S("byte=0-1"),		10, IGNORE, 0, 0 },
	{ S("bytesx=0-1"),		10, IGNORE, 0, 0 },
	{ S("bytes 0-1"),		10, IGNORE, 0, 0 },
	{ S("bytes =0-1"),		10, IGNORE, 0, 0 },
	{ S("bytes"),			10, IGNORE, 0, 0 },
	{ S(""),			10, IGNORE, 0, 0 },

	/* range-set = 1#range-spec: at least one. */
	{ S("bytes="),			10, IGNORE, 0, 0 },
	{ S("bytes=,"),			10, IGNORE, 0, 0 },
	{ S("bytes= , "),		10, IGNORE, 0, 0 },

	/* Not a range-spec. */
	{ S("bytes=-"),			10, IGNORE, 0, 0 },
	{ S("bytes=--1"),		10, IGNORE, 0, 0 },
	{ S("bytes=1"),			10, IGNORE, 0, 0 },
	{ S("bytes=a-b"),		10, IGNORE, 0, 0 },
	{ S("bytes=1-a"),		10, IGNORE, 0, 0 },
	{ S("bytes=1-2-3"),		10, IGNORE, 0, 0 },
	{ S("bytes=-1-2"),		10, IGNORE, 0, 0 },
	{ S("bytes=+1-2"),		10, IGNORE, 0, 0 },
	{ S("bytes=1.5-2"),		10, IGNORE, 0, 0 },
	{ S("bytes=0x1-0x2"),		10, IGNORE, 0, 0 },
	{ S("bytes=0-1;q=1"),		10, IGNORE, 0, 0 },
	{ S("bytes=0-1\r\n"),		10, IGNORE, 0, 0 },
	{ S("bytes=0-1\0"),		10, IGNORE, 0, 0 },

	/* Whitespace: OWS around list commas; none inside a range-spec. */
	{ S("bytes=0-1 "),		10, OK, 0, 1 },
	{ S("bytes=0-1\t"),		10, OK, 0, 1 },
	{ S("bytes= 0-1"),		10, OK, 0, 1 },
	{ S("bytes=\t-2"),		10, OK, 8, 9 },
	{ S("bytes=0 -1"),		10, IGNORE, 0, 0 },
	{ S("bytes=0- 1"),		10, IGNORE, 0, 0 },
	{ S("bytes=- 1"),		10, IGNORE, 0, 0 },

	/* Empty list elements are allowed (section 5.6.1). */
	{ S("bytes=,0-1"),		10, OK, 0, 1 },
	{ S("bytes=0-1,"),		10, OK, 0, 1 },
	{ S("bytes= , 0-1 , ,"),	10, OK, 0, 1 },

	/* Several ranges, even equal ones or one satisfiable: 200. */
	{ S("bytes=0-1,,2-3"),		10, IGNORE, 0, 0 },
	{ S("bytes=0-1,0-1"),		10, IGNORE, 0, 0 },
	{ S("bytes=20-,0-1"),		10, IGNORE, 0, 0 },
	{ S("bytes=0-1,x"),		10, IGNORE, 0, 0 },
	{ S("bytes=0-1,-0"),		10, IGNORE, 0, 0 },

	/* Numbers past 64 bits are read as beyond any file. */
	{ S("bytes=18446744073709551615-"), 10, UNSAT, 0, 0 },
	{ S("bytes=18446744073709551616-"), 10, UNSAT, 0, 0 },
	{ S("bytes=99999999999999999999999999-"), 10, UNSAT, 0, 0 },
	{ S("bytes=0-18446744073709551616"), 10, OK, 0, 9 },
	{ S("bytes=0-99999999999999999999999999"), 10, OK, 0, 9 },
	{ S("bytes=-18446744073709551616"), 10, OK, 0, 9 },
	{ S("bytes=100000000000000000000-99999999999999999999"), 10, UNSAT, 0, 0 },
	{ S("bytes=-1"),		UINT64_MAX, OK, UINT64_MAX - 1, UINT64_MAX - 1 },
	{ S("bytes=18446744073709551614-"), UINT64_MAX, OK, UINT64_MAX - 1, UINT64_MAX - 1 },
	{ S("bytes=18446744073709551615-"), UINT64_MAX, UNSAT, 0, 0 },

	/* Offsets past 4 GiB. */
	{ S("bytes=4294967306-4294967315"), 5 * GiB, OK, 4294967306, 4294967315 },
	{ S("bytes=5368709119-"),	5 * GiB, OK, 5 * GiB - 1, 5 * GiB - 1 },
	{ S("bytes=5368709120-"),	5 * GiB, UNSAT, 0, 0 },
	{ S("bytes=-4294967296"),	5 * GiB, OK, 1 * GiB, 5 * GiB - 1 },

	/* Only s[0..len) is read. */
	{ "bytes=0-49",	9,		100, OK, 0, 4 },
	{ "bytes=0-4,5-6", 9,		100, OK, 0, 4 },
	{ "bytes=0-1",	5,		100, IGNORE, 0, 0 },
	{ "bytes=0-1",	6,		100, IGNORE, 0, 0 },
};

static const char *
answer(char *buf, size_t cap, enum range_result r, uint64_t first, uint64_t last)
{
	switch (r) {
	case RANGE_OK:
		snprintf(buf, cap, "206 %" PRIu64 "-%" PRIu64, first, last);
		break;
	case RANGE_UNSATISFIABLE:
		snprintf(buf, cap, "416");
		break;
	case RANGE_IGNORE:
		snprintf(buf, cap, "ignored");
		break;
	default:
		snprintf(buf, cap, "result %d", (int)r);
	}
	return buf;
}

int
main(void)
{
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		char q[256], got[64], want[64];
		char *in = unit_dup(cases[i].in, cases[i].len);
		uint64_t first = 0, last = 0;
		enum range_result r;

		r = range_parse(in, cases[i].len, cases[i].size, &first, &last);
		unit_check(answer(got, sizeof(got), r, first, last),
		    answer(want, sizeof(want), cases[i].want, cases[i].first,
		    cases[i].last), "range_parse(%s) size %" PRIu64,
		    unit_input(q, sizeof(q), cases[i].in, cases[i].len), cases[i].size);
		free(in);
	}
	return unit_done();
}

/*
 * The Range header field (RFC 9110, section 14.2), bytes unit only.
 * Input: a raw field value; only s[0..len) is read.
 */
#ifndef RANGE_H
#define RANGE_H

#include <stddef.h>
#include <stdint.h>

enum range_result {
	RANGE_IGNORE = 0,	/* invalid, another unit, or several ranges: send 200 */
	RANGE_OK,		/* one satisfiable range: send 206 */
	RANGE_UNSATISFIABLE,	/* send 416 */
};

/*
 * Resolve the Range value s[0..len) against a representation of size bytes.
 * On RANGE_OK, [*first, *last] is the inclusive byte range to send.
 */
enum range_result	range_parse(const char *s, size_t len, uint64_t size,
			    uint64_t *first, uint64_t *last);

#endif

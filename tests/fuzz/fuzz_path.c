/*
 * libFuzzer target: percent-decoding and path normalisation.  Whatever the
 * input, the relative path handed to openat2() has no empty, "." or ".."
 * segment, no hidden name (but a leading ".well-known"), no NUL or control
 * byte, and does not start with '/'; and path_hidden(), the check of what
 * a symlink led to, calls hidden exactly the paths path_normalize()
 * refuses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *dec = malloc(size + 1), *rel = malloc(size + 2);
	long n, m;
	size_t i, start;

	if (dec == NULL || rel == NULL)
		goto out;
	n = path_decode((const char *)data, size, dec);
	if (n < 0)
		goto out;
	if ((size_t)n > size)
		abort();
	for (i = 0; i < (size_t)n; i++)
		if ((unsigned char)dec[i] < 0x20 || dec[i] == 0x7f)
			abort();
	m = path_normalize(dec, (size_t)n, rel);
	if ((m < 0) != path_hidden(dec))
		abort();
	if (m < 0)
		goto out;
	if ((size_t)m > (size_t)n + 1 || strlen(rel) != (size_t)m)
		abort();
	if (m > 0 && rel[0] == '/')
		abort();
	for (start = 0, i = 0; i <= (size_t)m; i++) {
		if (i < (size_t)m && rel[i] != '/')
			continue;
		if (i == start && i != (size_t)m)
			abort();	/* an empty segment */
		if (i > start && rel[start] == '.' &&
		    !(start == 0 && i - start == 11 &&
		    memcmp(rel, ".well-known", 11) == 0))
			abort();
		start = i + 1;
	}
out:
	free(dec);
	free(rel);
	return 0;
}

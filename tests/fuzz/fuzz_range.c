/*
 * libFuzzer target: the Range parser.  The first 8 bytes are the file
 * size; the rest is the field value.  A satisfiable answer always lies
 * inside the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t fsize, first = 0, last = 0;
	char *v;

	if (size < 8)
		return 0;
	memcpy(&fsize, data, 8);
	if ((v = malloc(size - 8 ? size - 8 : 1)) == NULL)
		return 0;
	memcpy(v, data + 8, size - 8);
	if (range_parse(v, size - 8, fsize, &first, &last) == RANGE_OK &&
	    (first > last || last >= fsize))
		abort();
	free(v);
	return 0;
}

/*
 * libFuzzer target: the HTTP-date parser.  Any accepted date, formatted
 * again as an IMF-fixdate, parses back to the same second.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/httpdate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *v = malloc(size ? size : 1), out[HTTPDATE_LEN + 1];
	int64_t t, u;

	if (v == NULL)
		return 0;
	memcpy(v, data, size);
	if (httpdate_parse(v, size, &t) == 0) {
		httpdate_format(t, out);
		if (strlen(out) != HTTPDATE_LEN ||
		    httpdate_parse(out, HTTPDATE_LEN, &u) != 0 || u != t)
			abort();
	}
	free(v);
	return 0;
}

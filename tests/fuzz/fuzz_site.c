/*
 * libFuzzer target: host names to directory names, and Accept-Encoding.
 * The input's first byte splits it into a Host value and a field list.
 * A directory name holds only what a DNS name or an IP address may, no
 * empty label, and is its own directory name (one spelling per host);
 * qvalues stay within 0-1000 and the choice is one that is available.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/encoding.h"
#include "../../src/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[HOST_DIR_MAX], again[HOST_DIR_MAX];
	struct field_list l = { 0 };
	unsigned q[ENCODING_COUNT], k;
	size_t cut, n, i;
	char *buf;
	int r;

	if (size == 0)
		return 0;
	cut = data[0] % size;
	buf = malloc(size);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	r = host_dir(buf, cut, dir);
	if (r >= 0) {
		n = strlen(dir);
		if ((size_t)r != n || n == 0 || n > HOST_NAME_LEN + 2 ||
		    strstr(dir, "..") != NULL || dir[0] == '.' || dir[n - 1] == '.')
			abort();
		for (i = 0; i < n; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789.-[]:", dir[i]))
				abort();
		if (host_dir(dir, n, again) != r || strcmp(dir, again) != 0)
			abort();
	}
	/* The rest, split on newlines, as one list over several lines. */
	for (i = cut; i < size - 1 && l.n < LIST_LINES_MAX; ) {
		const char *nl = memchr(buf + i, '\n', size - 1 - i);
		size_t end = nl ? (size_t)(nl - buf) : size - 1;

		l.v[l.n] = buf + i;
		l.len[l.n++] = end - i;
		i = end + 1;
	}
	encoding_accept(&l, q);
	for (k = 0; k < ENCODING_COUNT; k++)
		if (q[k] > 1000)
			abort();
	k = encoding_choose(q, data[0] & 6);
	if (k != ENCODING_IDENTITY && !(data[0] & 6 & (1U << k)))
		abort();
	free(buf);
	return 0;
}

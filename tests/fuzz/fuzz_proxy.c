/*
 * libFuzzer target: the PROXY protocol header parser.  Any byte string
 * must parse within its bounds; the verdict must not depend on how the
 * bytes are split into reads; an accepted header lies inside the input and
 * within its version's limit, and names a client as canonical address text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_info pi, pi2;
	size_t hlen = 0, hlen2 = 0, k, n;
	enum status st, st2 = STATUS_NONE;
	char *buf = malloc(size ? size : 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	st = proxy_parse(buf, size, &pi, &hlen);
	/* In pieces: 1 to 16 bytes more each time. */
	for (k = 0; st2 == STATUS_NONE; k += 1 + (size > 0 ? buf[k % size] & 15 : 0)) {
		st2 = proxy_parse(buf, k < size ? k : size, &pi2, &hlen2);
		if (k >= size)
			break;
	}
	if (st != st2)
		abort();
	if (st == STATUS_OK) {
		if (hlen != hlen2 || hlen > size || hlen > PROXY_V2_MAX ||
		    pi.local != pi2.local || strcmp(pi.addr, pi2.addr) != 0 ||
		    pi.port != pi2.port)
			abort();
		if (buf[0] == 'P' && hlen > PROXY_V1_MAX)
			abort();
		if (!pi.local) {
			n = strnlen(pi.addr, sizeof(pi.addr));
			if (n == 0 || n == sizeof(pi.addr) || pi.port > 65535 ||
			    strspn(pi.addr, "0123456789abcdef.:") != n)
				abort();
		}
	}
	if (st != STATUS_OK && st != STATUS_NONE && st != STATUS_BAD_REQUEST)
		abort();
	free(buf);
	return 0;
}

/*
 * libFuzzer target: the request head parser.  Any byte string must parse
 * without reading outside the buffer, and every pointer it returns must
 * lie inside the buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/request.h"

static void
inside(const uint8_t *buf, size_t size, const char *p, size_t len)
{
	if (p == NULL || len == 0)
		return;
	if ((const uint8_t *)p >= buf && (const uint8_t *)p + len <= buf + size)
		return;
	/* The only pointer not into the input is the "/" of an empty path. */
	if (len != 1 || *p != '/')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request req;
	enum status st;
	uint8_t *buf = malloc(size ? size : 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	st = request_parse((const char *)buf, size, &req);
	inside(buf, size, req.line, req.line_len);
	inside(buf, size, req.target, req.target_len);
	inside(buf, size, req.path, req.path_len);
	inside(buf, size, req.query, req.query_len);
	inside(buf, size, req.host, req.host_len);
	inside(buf, size, req.range, req.range_len);
	inside(buf, size, req.user_agent, req.user_agent_len);
	if (st == STATUS_OK) {
		size_t i;

		/* An accepted request has a method we serve, a path that
		 * starts with '/' (or the asterisk form) and no control byte
		 * in its target. */
		if (req.method != METHOD_GET && req.method != METHOD_HEAD &&
		    req.method != METHOD_OPTIONS)
			abort();
		if (req.form != FORM_ASTERISK &&
		    (req.path == NULL || req.path_len == 0 || req.path[0] != '/'))
			abort();
		for (i = 0; i < req.target_len; i++)
			if ((unsigned char)req.target[i] <= ' ' ||
			    (unsigned char)req.target[i] >= 0x7f)
				abort();
		if (req.chunked && req.has_content_length)
			abort();
	}
	free(buf);
	return 0;
}

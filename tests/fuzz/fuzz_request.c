/*
 * libFuzzer target: the request head framer and parser.  Any byte string
 * must frame and parse without reading outside the buffer; the framer must
 * reach the same verdict however the bytes are split into reads; and every
 * pointer the parser returns must lie inside the buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/config.h"
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

/* Frame buf[0..size) fed in pieces whose sizes come from seed. */
static enum status
frame_split(const char *buf, size_t size, uint32_t seed, size_t *head_len)
{
	struct frame f;
	size_t have = 0;
	enum status st = STATUS_NONE;

	memset(&f, 0, sizeof(f));
	while (have < size && st == STATUS_NONE) {
		size_t step = 1 + seed % 97;

		seed = seed * 1103515245u + 12345u;
		have = size - have < step ? size : have + step;
		st = request_frame(&f, buf, have, head_len);
	}
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request req;
	struct frame f;
	enum status st, st2;
	size_t head_len = 0, head_len2 = 0, i;
	uint8_t *buf = malloc(size ? size : 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);

	/* All at once, and in pieces: the same verdict at the same place. */
	memset(&f, 0, sizeof(f));
	st = request_frame(&f, (const char *)buf, size, &head_len);
	st2 = frame_split((const char *)buf, size, size > 0 ? buf[0] : 0,
	    &head_len2);
	if (st != st2 || (st == STATUS_OK && head_len != head_len2))
		abort();
	if (st == STATUS_OK && (head_len > size || head_len > HEAD_CAP))
		abort();
	if (st == STATUS_NONE && size >= HEAD_CAP)
		abort();	/* the limits decide before the buffer is full */

	/* A framed head, as the handler parses it; or, after a framing
	 * error, the bytes read, as it parses them for the log. */
	st2 = request_parse((const char *)buf, st == STATUS_OK ? head_len : size,
	    &req);
	inside(buf, size, req.line, req.line_len);
	inside(buf, size, req.target, req.target_len);
	inside(buf, size, req.path, req.path_len);
	inside(buf, size, req.query, req.query_len);
	inside(buf, size, req.host, req.host_len);
	inside(buf, size, req.range, req.range_len);
	inside(buf, size, req.if_range, req.if_range_len);
	inside(buf, size, req.user_agent, req.user_agent_len);
	inside(buf, size, req.referer, req.referer_len);
	if (req.if_match.n > LIST_LINES_MAX || req.if_none_match.n > LIST_LINES_MAX)
		abort();
	for (i = 0; i < req.if_match.n; i++)
		inside(buf, size, req.if_match.v[i], req.if_match.len[i]);
	for (i = 0; i < req.if_none_match.n; i++)
		inside(buf, size, req.if_none_match.v[i], req.if_none_match.len[i]);
	if (st == STATUS_OK && st2 == STATUS_OK) {
		/* An accepted request has a method we serve, a path that
		 * starts with '/' (or the asterisk form), no control byte in
		 * its target, and never both framings. */
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
		if (req.line_len > LINE_MAX_LEN)
			abort();
	}
	free(buf);
	return 0;
}

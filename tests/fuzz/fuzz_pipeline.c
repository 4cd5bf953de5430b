/*
 * libFuzzer target: the requests of one kept-alive connection.  A byte
 * stream is framed and parsed head after head, as the handler does with
 * --keep-alive, once with every read as large as the head buffer allows
 * and once in pieces whose sizes the input chooses; the two must reach the
 * same verdicts (framing status and head length, then parse status, method
 * and target) in the same order, and end the same way.
 *
 * Input: byte 0 gives k (1 to 8); the next k bytes are the sizes of the
 * reads, used in turn (0xf0 and above: a read as large as the buffer
 * allows, else 1 to 240 bytes); the rest is the stream.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/config.h"
#include "../../src/request.h"

/* How a head ended, besides a status of request_frame(). */
enum {
	END_QUIET = 1000,	/* the stream ended between requests: no answer */
	END_CUT,		/* it ended inside a head: 400 */
	END_FULL,		/* the buffer filled before the framer decided: 400 */
};

/* One connection's reader: conn_read_head() and conn_next() over the
 * stream in[0..in_len), reads at most as large as the sizes say. */
struct reader {
	const uint8_t *in;
	size_t in_len, in_pos;
	const uint8_t *sizes;	/* NULL: every read fills what it can */
	size_t n_sizes, next_size;
	char *head;		/* HEAD_CAP bytes */
	size_t head_read, head_len;
	struct frame frame;
};

/* What the handler made of one head. */
struct verdict {
	int framed;		/* a status of request_frame(), or END_* */
	size_t head_len;
	enum status parsed;
	enum method method;
	size_t target_off, target_len;
	int keep;
};

static size_t
reader_next_size(struct reader *r)
{
	uint8_t b;

	if (r->sizes == NULL)
		return HEAD_CAP;
	b = r->sizes[r->next_size++ % r->n_sizes];
	return b >= 0xf0 ? HEAD_CAP : (size_t)b + 1;
}

/* As conn_read_head(): frame what a last head left first, then read. */
static int
reader_read_head(struct reader *r)
{
	enum status st;

	if (r->head_read > 0) {
		st = request_frame(&r->frame, r->head, r->head_read, &r->head_len);
		if (st != STATUS_NONE)
			return st;
	}
	for (;;) {
		size_t n = reader_next_size(r);

		if (n > HEAD_CAP - r->head_read)
			n = HEAD_CAP - r->head_read;
		if (n > r->in_len - r->in_pos)
			n = r->in_len - r->in_pos;
		if (n == 0)	/* the client closed */
			return r->head_read == 0 ? END_QUIET : END_CUT;
		memcpy(r->head + r->head_read, r->in + r->in_pos, n);
		r->in_pos += n;
		r->head_read += n;
		st = request_frame(&r->frame, r->head, r->head_read, &r->head_len);
		if (st != STATUS_NONE)
			return st;
		if (r->head_read == HEAD_CAP)
			return END_FULL;
	}
}

/*
 * The next head's verdict.  The connection goes on only for a request the
 * handler keeps as far as its head decides (serve_request() and
 * connection_keeps() in src/main.c): framed and parsed, no body announced,
 * not the client's last.
 */
static void
reader_verdict(struct reader *r, struct verdict *v)
{
	struct request req;

	memset(v, 0, sizeof(*v));
	v->framed = reader_read_head(r);
	if (v->framed != STATUS_OK)
		return;
	if (r->head_len == 0 || r->head_len > r->head_read)
		abort();
	v->head_len = r->head_len;
	v->parsed = request_parse(r->head, r->head_len, &req);
	v->method = req.method;
	if (req.target != NULL) {
		if (req.target < r->head || req.target + req.target_len > r->head + r->head_len)
			abort();
		v->target_off = (size_t)(req.target - r->head);
		v->target_len = req.target_len;
	}
	v->keep = request_is_head_only(&req, v->parsed) && !req.last;
}

/* As conn_next(): the bytes after the head go to the front of the buffer,
 * and the framing starts afresh on them. */
static void
reader_next(struct reader *r)
{
	r->head_read = request_next(r->head, r->head_read, r->head_len, &r->frame);
	r->head_len = 0;
}

static int
verdict_same(const struct verdict *x, const struct verdict *y)
{
	return x->framed == y->framed && x->head_len == y->head_len &&
	    x->parsed == y->parsed && x->method == y->method &&
	    x->target_off == y->target_off && x->target_len == y->target_len &&
	    x->keep == y->keep;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char head_a[HEAD_CAP], head_b[HEAD_CAP];
	struct reader a, b;
	struct verdict va, vb;
	size_t k;

	if (size < 2)
		return 0;
	k = 1 + data[0] % 8;
	if (size < 1 + k)
		return 0;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.in = b.in = data + 1 + k;
	a.in_len = b.in_len = size - 1 - k;
	a.head = head_a;
	b.head = head_b;
	b.sizes = data + 1;
	b.n_sizes = k;

	/* Every head takes at least one byte of the stream, so this ends. */
	for (;;) {
		reader_verdict(&a, &va);
		reader_verdict(&b, &vb);
		if (!verdict_same(&va, &vb))
			abort();
		if (va.framed == STATUS_OK &&
		    memcmp(a.head, b.head, va.head_len) != 0)
			abort();
		/* The framing limits decide before the buffer is full. */
		if (va.framed == END_FULL)
			abort();
		if (va.framed != STATUS_OK || !va.keep)
			break;
		reader_next(&a);
		reader_next(&b);
	}
	return 0;
}

/*
 * Content negotiation for precompressed files: Accept-Encoding (RFC 9110,
 * section 12.5.3) and the choice between br, gzip and identity.  No I/O.
 */
#ifndef ENCODING_H
#define ENCODING_H

#include "request.h"

enum encoding {
	ENCODING_IDENTITY = 0,
	ENCODING_GZIP,
	ENCODING_BR,
	ENCODING_COUNT,
};

/*
 * The qvalue (0 to 1000) the request's Accept-Encoding gives each encoding,
 * into q[ENCODING_COUNT].  No field: identity 1000, the codings 0 (a client
 * that does not ask gets the file as it is).  An empty field: identity only.
 * identity stays acceptable unless refused by "identity;q=0", or by "*;q=0"
 * without identity listed; unlisted, it counts as the lowest weight (1), so
 * a coding the client lists is preferred to it.  "*" stands for every coding not listed; x-gzip
 * is gzip.  A malformed element is ignored.
 */
void		encoding_accept(const struct field_list *ae, unsigned *q);

/*
 * Of the encodings available (a bit mask of 1 << ENCODING_*; identity is
 * always there), the one to send: the highest qvalue, br before gzip
 * before identity when they tie; identity when none is acceptable (the
 * field is then disregarded, as RFC 9110 allows, rather than a 406).
 */
enum encoding	encoding_choose(const unsigned *q, unsigned available);

#endif

/*
 * Validators and conditional requests (RFC 9110, sections 8.8 and 13), and
 * the choice between 200, 206, 304, 412 and 416 for a file.
 */
#ifndef COND_H
#define COND_H

#include <stdint.h>
#include <sys/stat.h>

#include "request.h"
#include "status.h"

#define ETAG_MAX	64

/* The strong ETag of a file, quoted, into buf[ETAG_MAX]. */
void		cond_etag(const struct stat *st, char *buf);

/*
 * Evaluate the preconditions and the Range of req against a file with
 * status st and ETag etag, in the order of RFC 9110, section 13.2.2.
 * Returns STATUS_OK (whole file), STATUS_PARTIAL_CONTENT (bytes
 * [*first, *last]), STATUS_NOT_MODIFIED, STATUS_PRECONDITION_FAILED or
 * STATUS_RANGE_NOT_SATISFIABLE.
 */
enum status	cond_evaluate(const struct request *req, const struct stat *st,
		    const char *etag, uint64_t *first, uint64_t *last);

#endif

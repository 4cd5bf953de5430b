/*
 * HTTP statuses.  Every function that can refuse a request returns one;
 * STATUS_OK (200) means "carry on", STATUS_NONE that there is nothing to
 * answer (yet).
 */
#ifndef STATUS_H
#define STATUS_H

enum status {
	STATUS_NONE = 0,	/* no answer: nothing was asked, or more is needed */
	STATUS_OK = 200,
	STATUS_PARTIAL_CONTENT = 206,
	STATUS_MOVED_PERMANENTLY = 301,
	STATUS_NOT_MODIFIED = 304,
	STATUS_BAD_REQUEST = 400,
	STATUS_FORBIDDEN = 403,
	STATUS_NOT_FOUND = 404,
	STATUS_METHOD_NOT_ALLOWED = 405,
	STATUS_REQUEST_TIMEOUT = 408,
	STATUS_PRECONDITION_FAILED = 412,
	STATUS_CONTENT_TOO_LARGE = 413,
	STATUS_URI_TOO_LONG = 414,
	STATUS_RANGE_NOT_SATISFIABLE = 416,
	STATUS_MISDIRECTED_REQUEST = 421,
	STATUS_HEADER_FIELDS_TOO_LARGE = 431,
	STATUS_INTERNAL_SERVER_ERROR = 500,
	STATUS_NOT_IMPLEMENTED = 501,
	STATUS_SERVICE_UNAVAILABLE = 503,
	STATUS_VERSION_NOT_SUPPORTED = 505,
};

/* The reason phrase for st ("Not Found"); never NULL. */
const char	*status_reason(enum status st);

#endif

/* Reason phrases for the statuses in status.h (RFC 9110, section 15). */
#include "status.h"

const char *
status_reason(enum status st)
{
	switch (st) {
	case STATUS_OK:				return "OK";
	case STATUS_PARTIAL_CONTENT:		return "Partial Content";
	case STATUS_MOVED_PERMANENTLY:		return "Moved Permanently";
	case STATUS_NOT_MODIFIED:		return "Not Modified";
	case STATUS_BAD_REQUEST:		return "Bad Request";
	case STATUS_FORBIDDEN:			return "Forbidden";
	case STATUS_NOT_FOUND:			return "Not Found";
	case STATUS_METHOD_NOT_ALLOWED:		return "Method Not Allowed";
	case STATUS_REQUEST_TIMEOUT:		return "Request Timeout";
	case STATUS_PRECONDITION_FAILED:	return "Precondition Failed";
	case STATUS_CONTENT_TOO_LARGE:		return "Content Too Large";
	case STATUS_URI_TOO_LONG:		return "URI Too Long";
	case STATUS_RANGE_NOT_SATISFIABLE:	return "Range Not Satisfiable";
	case STATUS_MISDIRECTED_REQUEST:	return "Misdirected Request";
	case STATUS_HEADER_FIELDS_TOO_LARGE:	return "Request Header Fields Too Large";
	case STATUS_INTERNAL_SERVER_ERROR:	return "Internal Server Error";
	case STATUS_NOT_IMPLEMENTED:		return "Not Implemented";
	case STATUS_SERVICE_UNAVAILABLE:	return "Service Unavailable";
	case STATUS_VERSION_NOT_SUPPORTED:	return "HTTP Version Not Supported";
	case STATUS_NONE:			break;
	}
	return "Internal Server Error";
}

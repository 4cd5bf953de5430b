/* File name extension to Content-Type, from a built-in table. */
#ifndef MIME_H
#define MIME_H

#include <stddef.h>

/* The Content-Type for a file named name[0..len); never NULL. */
const char	*mime_type(const char *name, size_t len);

#endif

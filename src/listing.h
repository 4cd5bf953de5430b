/* The --list page of a directory: sorted, HTML-escaped, no hidden names. */
#ifndef LISTING_H
#define LISTING_H

#include <stddef.h>

/*
 * Build the HTML listing of the directory open as dirfd, titled with the
 * decoded path name.  Returns a malloc'd page and sets *len, or NULL.
 */
char	*listing_build(int dirfd, const char *name, size_t *len);

#endif

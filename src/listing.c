/*
 * Directory listings.  Input: names from the filesystem, which anyone who
 * can write to the root controls: every name is escaped for HTML and for
 * the URL, and hidden names are left out, as they are never served.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fmt.h"
#include "listing.h"

struct buf {
	char *p;
	size_t len, cap;
};

static int
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap - b->len < n)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

static int
buf_str(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

static int
buf_html(struct buf *b, const char *s)
{
	int r = 0;

	for (; *s && r == 0; s++)
		switch (*s) {
		case '&':  r = buf_str(b, "&amp;"); break;
		case '<':  r = buf_str(b, "&lt;"); break;
		case '>':  r = buf_str(b, "&gt;"); break;
		case '"':  r = buf_str(b, "&quot;"); break;
		case '\'': r = buf_str(b, "&#39;"); break;
		default:   r = buf_add(b, s, 1);
		}
	return r;
}

/* Percent-encode all but unreserved characters, for an href. */
static int
buf_url(struct buf *b, const char *s)
{
	int r = 0;

	for (; *s && r == 0; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c))
			r = buf_add(b, s, 1);
		else {
			char e[3] = { '%', fmt_hex_digits[16 + (c >> 4)],
			    fmt_hex_digits[16 + (c & 15)] };

			r = buf_add(b, e, 3);
		}
	}
	return r;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
listing_build(int dirfd, const char *name, size_t *len)
{
	struct buf b = { NULL, 0, 0 };
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;
	int fd, err = 0;

	if ((fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return NULL;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return NULL;
	}
	if ((names = calloc(LIST_MAX, sizeof(*names))) == NULL)
		err = 1;
	/* Security: at most LIST_MAX entries, so a huge directory cannot
	 * make a huge page. */
	while (!err && n < LIST_MAX && (de = readdir(d)) != NULL) {
		struct stat st;
		size_t l = strlen(de->d_name);
		int dir = de->d_type == DT_DIR;

		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_UNKNOWN)
			dir = fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISDIR(st.st_mode);
		if ((names[n] = malloc(l + 2)) == NULL) {
			err = 1;
			break;
		}
		memcpy(names[n], de->d_name, l);
		names[n][l] = dir ? '/' : '\0';
		names[n][l + 1] = '\0';
		n++;
	}
	closedir(d);
	if (!err) {
		qsort(names, n, sizeof(*names), cmp);
		err |= buf_str(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		    "<title>Index of /");
		err |= buf_html(&b, name);
		err |= buf_str(&b, "</title></head>\n<body><h1>Index of /");
		err |= buf_html(&b, name);
		err |= buf_str(&b, "</h1>\n<ul>\n");
		for (i = 0; i < n && !err; i++) {
			size_t l = strlen(names[i]);
			int dir = l > 0 && names[i][l - 1] == '/';

			if (dir)
				names[i][l - 1] = '\0';
			err |= buf_str(&b, "<li><a href=\"");
			err |= buf_url(&b, names[i]);
			err |= buf_str(&b, dir ? "/\">" : "\">");
			err |= buf_html(&b, names[i]);
			err |= buf_str(&b, dir ? "/</a></li>\n" : "</a></li>\n");
		}
		err |= buf_str(&b, "</ul>\n</body></html>\n");
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (err) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

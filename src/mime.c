/*
 * Content types by extension.  Built in and sorted, so a lookup costs a
 * binary search and no file is read at start-up.  Text types carry their
 * charset: files are taken to be UTF-8.
 */
#include <string.h>

#include "mime.h"

#define TEXT(t)	t "; charset=utf-8"

/* Sorted by extension (lower case, bytewise) for bsearch. */
static const struct {
	const char *ext, *type;
} types[] = {
	{ "7z",		"application/x-7z-compressed" },
	{ "aac",	"audio/aac" },
	{ "apng",	"image/apng" },
	{ "atom",	TEXT("application/atom+xml") },
	{ "avif",	"image/avif" },
	{ "bmp",	"image/bmp" },
	{ "bz2",	"application/x-bzip2" },
	{ "c",		TEXT("text/plain") },
	{ "cjs",	TEXT("text/javascript") },
	{ "css",	TEXT("text/css") },
	{ "csv",	TEXT("text/csv") },
	{ "epub",	"application/epub+zip" },
	{ "flac",	"audio/flac" },
	{ "gif",	"image/gif" },
	{ "gz",		"application/gzip" },
	{ "h",		TEXT("text/plain") },
	{ "htm",	TEXT("text/html") },
	{ "html",	TEXT("text/html") },
	{ "ico",	"image/vnd.microsoft.icon" },
	{ "ics",	TEXT("text/calendar") },
	{ "jpeg",	"image/jpeg" },
	{ "jpg",	"image/jpeg" },
	{ "js",		TEXT("text/javascript") },
	{ "json",	TEXT("application/json") },
	{ "jsonld",	TEXT("application/ld+json") },
	{ "jxl",	"image/jxl" },
	{ "m4a",	"audio/mp4" },
	{ "m4v",	"video/mp4" },
	{ "manifest",	TEXT("application/manifest+json") },
	{ "map",	TEXT("application/json") },
	{ "md",		TEXT("text/markdown") },
	{ "mjs",	TEXT("text/javascript") },
	{ "mkv",	"video/x-matroska" },
	{ "mp3",	"audio/mpeg" },
	{ "mp4",	"video/mp4" },
	{ "mpeg",	"video/mpeg" },
	{ "oga",	"audio/ogg" },
	{ "ogg",	"audio/ogg" },
	{ "ogv",	"video/ogg" },
	{ "opus",	"audio/ogg" },
	{ "otf",	"font/otf" },
	{ "pdf",	"application/pdf" },
	{ "png",	"image/png" },
	{ "rss",	TEXT("application/rss+xml") },
	{ "rtf",	"application/rtf" },
	{ "svg",	TEXT("image/svg+xml") },
	{ "tar",	"application/x-tar" },
	{ "tif",	"image/tiff" },
	{ "tiff",	"image/tiff" },
	{ "ts",		"video/mp2t" },
	{ "ttf",	"font/ttf" },
	{ "txt",	TEXT("text/plain") },
	{ "vtt",	TEXT("text/vtt") },
	{ "wasm",	"application/wasm" },
	{ "wav",	"audio/wav" },
	{ "weba",	"audio/webm" },
	{ "webm",	"video/webm" },
	{ "webmanifest", TEXT("application/manifest+json") },
	{ "webp",	"image/webp" },
	{ "woff",	"font/woff" },
	{ "woff2",	"font/woff2" },
	{ "xhtml",	TEXT("application/xhtml+xml") },
	{ "xml",	TEXT("application/xml") },
	{ "xz",		"application/x-xz" },
	{ "yaml",	TEXT("application/yaml") },
	{ "yml",	TEXT("application/yaml") },
	{ "zip",	"application/zip" },
	{ "zst",	"application/zstd" },
};

const char *
mime_type(const char *name, size_t len)
{
	char ext[16];
	size_t i, n, lo = 0, hi = sizeof(types) / sizeof(types[0]);
	const char *dot = NULL;

	for (i = len; i > 0; i--) {
		if (name[i - 1] == '/')
			break;
		if (name[i - 1] == '.') {
			dot = name + i;
			break;
		}
	}
	if (dot == NULL)
		return "application/octet-stream";
	n = len - (size_t)(dot - name);
	if (n == 0 || n >= sizeof(ext))
		return "application/octet-stream";
	for (i = 0; i < n; i++)
		ext[i] = (char)((dot[i] >= 'A' && dot[i] <= 'Z') ? dot[i] + 32 : dot[i]);
	ext[n] = '\0';
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ext, types[mid].ext);

		if (c == 0)
			return types[mid].type;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return "application/octet-stream";
}

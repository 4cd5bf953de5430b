/*
 * mime_type: each line is a file name and the exact Content-Type sent
 * for it.  Every entry of the built-in table is listed, so that one out
 * of its sorted place, out of reach of the binary search, fails here.
 */
#include "../../src/mime.h"
#include "unit.h"

#define TEXT(t)	t "; charset=utf-8"
#define BIN	"application/octet-stream"

static const struct {
	const char *in;
	size_t len;
	const char *type;
} cases[] = {
	/* The whole table, in its order. */
	{ S("a.7z"),		"application/x-7z-compressed" },
	{ S("a.aac"),		"audio/aac" },
	{ S("a.apng"),		"image/apng" },
	{ S("a.atom"),		TEXT("application/atom+xml") },
	{ S("a.avif"),		"image/avif" },
	{ S("a.bmp"),		"image/bmp" },
	{ S("a.bz2"),		"application/x-bzip2" },
	{ S("a.c"),		TEXT("text/plain") },
	{ S("a.cjs"),		TEXT("text/javascript") },
	{ S("a.css"),		TEXT("text/css") },
	{ S("a.csv"),		TEXT("text/csv") },
	{ S("a.epub"),		"application/epub+zip" },
	{ S("a.flac"),		"audio/flac" },
	{ S("a.gif"),		"image/gif" },
	{ S("a.gz"),		"application/gzip" },
	{ S("a.h"),		TEXT("text/plain") },
	{ S("a.htm"),		TEXT("text/html") },
	{ S("a.html"),		TEXT("text/html") },
	{ S("a.ico"),		"image/vnd.microsoft.icon" },
	{ S("a.ics"),		TEXT("text/calendar") },
	{ S("a.jpeg"),		"image/jpeg" },
	{ S("a.jpg"),		"image/jpeg" },
	{ S("a.js"),		TEXT("text/javascript") },
	{ S("a.json"),		TEXT("application/json") },
	{ S("a.jsonld"),	TEXT("application/ld+json") },
	{ S("a.jxl"),		"image/jxl" },
	{ S("a.m4a"),		"audio/mp4" },
	{ S("a.m4v"),		"video/mp4" },
	{ S("a.manifest"),	TEXT("application/manifest+json") },
	{ S("a.map"),		TEXT("application/json") },
	{ S("a.md"),		TEXT("text/markdown") },
	{ S("a.mjs"),		TEXT("text/javascript") },
	{ S("a.mkv"),		"video/x-matroska" },
	{ S("a.mp3"),		"audio/mpeg" },
	{ S("a.mp4"),		"video/mp4" },
	{ S("a.mpeg"),		"video/mpeg" },
	{ S("a.oga"),		"audio/ogg" },
	{ S("a.ogg"),		"audio/ogg" },
	{ S("a.ogv"),		"video/ogg" },
	{ S("a.opus"),		"audio/ogg" },
	{ S("a.otf"),		"font/otf" },
	{ S("a.pdf"),		"application/pdf" },
	{ S("a.png"),		"image/png" },
	{ S("a.rss"),		TEXT("application/rss+xml") },
	{ S("a.rtf"),		"application/rtf" },
	{ S("a.svg"),		TEXT("image/svg+xml") },
	{ S("a.tar"),		"application/x-tar" },
	{ S("a.tif"),		"image/tiff" },
	{ S("a.tiff"),		"image/tiff" },
	{ S("a.ts"),		"video/mp2t" },
	{ S("a.ttf"),		"font/ttf" },
	{ S("a.txt"),		TEXT("text/plain") },
	{ S("a.vtt"),		TEXT("text/vtt") },
	{ S("a.wasm"),		"application/wasm" },
	{ S("a.wav"),		"audio/wav" },
	{ S("a.weba"),		"audio/webm" },
	{ S("a.webm"),		"video/webm" },
	{ S("a.webmanifest"),	TEXT("application/manifest+json") },
	{ S("a.webp"),		"image/webp" },
	{ S("a.woff"),		"font/woff" },
	{ S("a.woff2"),		"font/woff2" },
	{ S("a.xhtml"),		TEXT("application/xhtml+xml") },
	{ S("a.xml"),		TEXT("application/xml") },
	{ S("a.xz"),		"application/x-xz" },
	{ S("a.yaml"),		TEXT("application/yaml") },
	{ S("a.yml"),		TEXT("application/yaml") },
	{ S("a.zip"),		"application/zip" },
	{ S("a.zst"),		"application/zstd" },

	/* Real names. */
	{ S("index.html"),	TEXT("text/html") },
	{ S("www/css/site.css"),	TEXT("text/css") },
	{ S("favicon.ico"),	"image/vnd.microsoft.icon" },
	{ S("robots.txt"),	TEXT("text/plain") },
	{ S(".well-known/security.txt"), TEXT("text/plain") },
	{ S("site.webmanifest"),	TEXT("application/manifest+json") },
	{ S("jquery.min.js"),	TEXT("text/javascript") },
	{ S("app.js.map"),	TEXT("application/json") },

	/* Extensions are case-insensitive. */
	{ S("INDEX.HTML"),	TEXT("text/html") },
	{ S("a.HtMl"),		TEXT("text/html") },
	{ S("photo.JPG"),	"image/jpeg" },
	{ S("a.C"),		TEXT("text/plain") },
	{ S("a.WOFF2"),		"font/woff2" },
	{ S("a.AAC"),			"audio/aac" },
	{ S("a.Apng"),			"image/apng" },
	{ S("a.7Z"),		"application/x-7z-compressed" },
	{ S("a.ZST"),		"application/zstd" },

	/* No extension. */
	{ S(""),		BIN },
	{ S("README"),		BIN },
	{ S("Makefile"),	BIN },
	{ S("a."),		BIN },
	{ S("."),		BIN },
	{ S(".."),		BIN },
	{ S("docs/"),		BIN },
	{ S("a.html/"),		BIN },
	{ S("dir.html/README"),	BIN },
	{ S("v1.2/notes"),	BIN },

	/* Dotfiles: what follows the dot is the extension. */
	{ S(".html"),		TEXT("text/html") },
	{ S("dir/.css"),	TEXT("text/css") },
	{ S(".bashrc"),		BIN },
	{ S(".htaccess"),	BIN },

	/* Several extensions: the last one counts, with no
	 * Content-Encoding for a compressed one. */
	{ S("archive.tar.gz"),	"application/gzip" },
	{ S("a.tar.zst"),	"application/zstd" },
	{ S("a.html.gz"),	"application/gzip" },
	{ S("a.gz.html"),	TEXT("text/html") },
	{ S("a.html.bak"),	BIN },
	{ S("a.html~"),		BIN },
	{ S("a.css.orig"),	BIN },

	/* Near misses, and names around the table's ends. */
	{ S("a.htmlx"),		BIN },
	{ S("a.ht"),		BIN },
	{ S("a.jsx"),		BIN },
	{ S("a.j"),		BIN },
	{ S("a.webmanifes"),	BIN },
	{ S("a.webmanifestx"),	BIN },
	{ S("a.0"),		BIN },
	{ S("a.zz"),		BIN },
	{ S("a.zzzz"),		BIN },
	{ S("a.css "),		BIN },
	{ S("a. css"),		BIN },
	{ S("a.c\xc3\xa9"),	BIN },
	{ S("a.\xc3\x89"),	BIN },
	/* Extensions longer than any in the table, up to and past the
	 * size of the copy mime_type lowers them into. */
	{ S("a.abcdefghijklmno"),	BIN },
	{ S("a.htmlhtmlhtmlhtml"),	BIN },
	{ S("a.webmanifestwebmanifestwebmanifestwebmanifest"), BIN },
	/* A NUL ends the extension; path_decode refuses NUL before a
	 * name can get here. */
	{ S("a.css\0"),		TEXT("text/css") },

	/* Only name[0..len) is read. */
	{ "a.html.gz", 6,	TEXT("text/html") },
	{ "a.jsx", 4,		TEXT("text/javascript") },
	{ "a.css", 4,		BIN },
	{ "a.css", 2,		BIN },
	{ "a.css", 0,		BIN },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		char q[256];
		char *in = unit_dup(cases[i].in, cases[i].len);
		const char *type = mime_type(in, cases[i].len);

		unit_check(type ? type : "NULL", cases[i].type, "mime_type(%s)",
		    unit_input(q, sizeof(q), cases[i].in, cases[i].len));
		free(in);
	}
	return unit_done();
}

#!/usr/bin/env bats
# Content-Type: the built-in table by extension, case-insensitive, with a
# charset on text types only, and application/octet-stream for the rest.

load test_helper

setup_file() {
	make_docroot
	export DOCROOT
	mkdir -p "$DOCROOT/t" "$DOCROOT/dir.html"
	printf 'in a dotted directory\n' > "$DOCROOT/dir.html/README"
}

setup() {
	WS_ARGS=()
}

# check_type NAME TYPE: GET and HEAD of a file NAME give 200 with exactly
# that Content-Type and the file's bytes.
check_type() {
	local name=$1 type=$2 f=$DOCROOT/t/$1 len
	[ -e "$f" ] || printf 'content of %s\n' "$name" > "$f"
	len=$(wc -c < "$f")
	send 'GET /t/%s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$name"
	assert_status 200 OK
	[ "$(header Content-Type)" = "$type" ] ||
		fail "$name: expected Content-Type '$type', got '$(header Content-Type)'"
	assert_header Content-Type "$type"
	assert_header X-Content-Type-Options nosniff
	assert_header Content-Length "$len"
	assert_body_file "$f"
	send 'HEAD /t/%s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$name"
	assert_status 200 OK
	assert_header Content-Type "$type"
	assert_header Content-Length "$len"
	assert_body ''
}

@test "text types carry charset=utf-8" {
	check_type a.html "text/html; charset=utf-8"
	check_type a.htm "text/html; charset=utf-8"
	check_type a.css "text/css; charset=utf-8"
	check_type a.js "text/javascript; charset=utf-8"
	check_type a.mjs "text/javascript; charset=utf-8"
	check_type a.json "application/json; charset=utf-8"
	check_type a.xml "application/xml; charset=utf-8"
	check_type a.txt "text/plain; charset=utf-8"
	check_type a.svg "image/svg+xml; charset=utf-8"
}

@test "images have no charset" {
	check_type a.png image/png
	check_type a.jpg image/jpeg
	check_type a.jpeg image/jpeg
	check_type a.gif image/gif
	check_type a.webp image/webp
	check_type a.avif image/avif
	check_type a.ico image/vnd.microsoft.icon
}

@test "wasm and fonts have no charset" {
	check_type a.wasm application/wasm
	check_type a.woff font/woff
	check_type a.woff2 font/woff2
	check_type a.ttf font/ttf
	check_type a.otf font/otf
}

@test "documents, media and archives have no charset" {
	check_type a.pdf application/pdf
	check_type a.mp4 video/mp4
	check_type a.webm video/webm
	check_type a.mp3 audio/mpeg
	check_type a.ogg audio/ogg
	check_type a.zip application/zip
	check_type a.gz application/gzip
	check_type a.tar application/x-tar
}

@test "extensions match case-insensitively" {
	check_type A.HTML "text/html; charset=utf-8"
	check_type B.Css "text/css; charset=utf-8"
	check_type Photo.JpG image/jpeg
	check_type FONT.WOFF2 font/woff2
}

@test "the last extension decides" {
	check_type archive.tar.gz application/gzip
	check_type page.html.txt "text/plain; charset=utf-8"
	check_type notes.txt.bak application/octet-stream
}

@test "an unknown extension is application/octet-stream" {
	check_type a.xyz application/octet-stream
	check_type a.exe application/octet-stream
	check_type a.html5 application/octet-stream
	check_type a.averyveryverylongextension application/octet-stream
}

@test "no extension is application/octet-stream" {
	check_type README application/octet-stream
	check_type Makefile application/octet-stream
	check_type trailing-dot. application/octet-stream
}

@test "a dot in a directory name is not an extension" {
	send 'GET /dir.html/README HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_status 200 OK
	assert_header Content-Type application/octet-stream
	assert_body_file "$DOCROOT/dir.html/README"
}

@test "an index file gets the type of its own name" {
	send 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_status 200 OK
	assert_header Content-Type "text/html; charset=utf-8"
	assert_body_file "$DOCROOT/index.html"
	printf 'plain index\n' > "$DOCROOT/t/start.txt"
	WS_ARGS=(--index start.txt)
	send 'GET /t/ HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_status 200 OK
	assert_header Content-Type "text/plain; charset=utf-8"
	assert_body 'plain index\n'
}

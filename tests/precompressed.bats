#!/usr/bin/env bats
# --precompressed: FILE.br or FILE.gz served for FILE when Accept-Encoding
# allows it (RFC 9110, section 12.5.3), with Content-Encoding, the type of
# FILE, validators of its own and Vary; Range on the variant's bytes; a
# stale variant, or one that is a symlink to a hidden file, ignored;
# FILE.gz itself served as application/gzip.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	command -v brotli > /dev/null || skip "brotli is not installed (Debian package brotli)"
	make_docroot
	export DOCROOT
	local d=$DOCROOT
	awk 'BEGIN { for (i = 0; i < 200; i++) printf "p { margin: %dpx }\n", i }' > "$d/site.css"
	gzip -k -9 "$d/site.css"
	brotli -k "$d/site.css"
	# gzip only.
	seq 1 2000 > "$d/numbers.txt"
	gzip -k "$d/numbers.txt"
	# No variant.
	printf 'plain\n' > "$d/plain.txt"
	# A variant older than its file: stale.
	printf 'new text\n' > "$d/stale.txt"
	printf 'old text\n' | gzip > "$d/stale.txt.gz"
	touch -d '2020-01-01' "$d/stale.txt.gz"
	# A page whose real HTML and CSS exist only compressed, beside small
	# originals that say otherwise: what a browser renders shows which it got.
	mkdir -p "$d/packed"
	printf '<!DOCTYPE html><title>original</title><p>ORIGINAL, not compressed</p>\n' \
		> "$d/packed/index.html"
	printf '<!DOCTYPE html>\n<html><head><title>Packed</title><link rel="stylesheet" href="style.css"></head>\n<body><h1 id="t">Served from the br variant</h1></body></html>\n' |
		brotli > "$d/packed/index.html.br"
	printf 'h1 { color: black }\n' > "$d/packed/style.css"
	printf 'h1 { color: rgb(200, 0, 0) }\n' | gzip > "$d/packed/style.css.gz"
	touch -d '+1 minute' "$d/packed/index.html.br" "$d/packed/style.css.gz"
	# Variants that are symlinks: one to a hidden file, never served, and
	# one to a variant kept elsewhere in the site.
	mkdir -p "$d/.git" "$d/pc" "$d/store"
	printf '[core]\n\tsecret = GIT-CONFIG-e4b1\n' > "$d/.git/config"
	printf 'h text\n' > "$d/pc/h.txt"
	ln -s ../.git/config "$d/pc/h.txt.gz"
	printf 's text\n' > "$d/pc/s.txt"
	printf 's text, from the gzip variant\n' | gzip > "$d/store/s.txt.gz"
	ln -s ../store/s.txt.gz "$d/pc/s.txt.gz"
	touch -d '2024-01-01' "$d/site.css" "$d/numbers.txt" "$d/plain.txt" \
		"$d/packed/index.html" "$d/packed/style.css" "$d/pc/h.txt" "$d/pc/s.txt"
}

setup() {
	WS_ARGS=(--precompressed)
}

teardown() {
	stop_activator
}

# get PATH [ACCEPT-ENCODING]: a GET (no field when the second argument is
# absent).
get() {
	if [ $# -ge 2 ]; then
		send 'GET %s HTTP/1.1\r\nHost: x\r\nAccept-Encoding: %s\r\n\r\n' "$1" "$2"
	else
		send 'GET %s HTTP/1.1\r\nHost: x\r\n\r\n' "$1"
	fi
}

# assert_variant FILE CODING: 200 with FILE's bytes, Content-Encoding CODING
# (none for identity), the type of site.css and Vary.
assert_variant() {
	assert_status 200 OK
	assert_body_file "$DOCROOT/$1"
	assert_header Content-Length "$(wc -c < "$DOCROOT/$1")"
	if [ "$2" = identity ]; then
		refute_header Content-Encoding
	else
		assert_header Content-Encoding "$2"
	fi
	assert_header Vary Accept-Encoding
}

@test "each Accept-Encoding, with q-values, gets the variant it prefers" {
	local entry ae want
	while IFS='|' read -r ae want; do
		get /site.css "$ae"
		case $want in
		br) assert_variant site.css.br br ;;
		gzip) assert_variant site.css.gz gzip ;;
		identity) assert_variant site.css identity ;;
		esac
		assert_header Content-Type "text/css; charset=utf-8"
	done <<-'EOF'
	gzip, deflate, br|br
	br|br
	gzip|gzip
	x-gzip|gzip
	br;q=0.5, gzip|gzip
	br;q=1.0, gzip;q=0.999|br
	gzip;q=0, *|br
	br;q=0, *;q=0.5|gzip
	*|br
	*;q=0|identity
	identity|identity
	identity;q=0.5, gzip;q=0.1|identity
	deflate|identity
	|identity
	br;q=0, gzip;q=0|identity
	EOF
}

@test "no Accept-Encoding gets the file as it is, with Vary" {
	get /site.css
	assert_variant site.css identity
}

@test "Accept-Encoding split over two field lines is one list" {
	send 'GET /site.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0.4\r\nAccept-Encoding: br;q=0.6\r\n\r\n'
	assert_variant site.css.br br
}

@test "only the variants that exist are chosen" {
	get /numbers.txt 'br, gzip'
	assert_variant numbers.txt.gz gzip
	assert_header Content-Type "text/plain; charset=utf-8"
	get /numbers.txt br
	assert_variant numbers.txt identity
}

@test "each representation has its own strong ETag, and a 304 of its own" {
	local e_id e_gz e_br
	get /site.css identity
	e_id=$(header ETag)
	get /site.css gzip
	e_gz=$(header ETag)
	get /site.css br
	e_br=$(header ETag)
	[ "$e_id" != "$e_gz" ] && [ "$e_gz" != "$e_br" ] && [ "$e_id" != "$e_br" ] ||
		fail "ETags: $e_id $e_gz $e_br"
	[[ $e_br != W/* ]] || fail "weak: $e_br"
	send 'GET /site.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nIf-None-Match: %s\r\n\r\n' "$e_br"
	assert_status 304 "Not Modified"
	assert_header Vary Accept-Encoding
	assert_header ETag "$e_br"
	refute_header Content-Encoding
	# The gzip tag does not match the br representation.
	send 'GET /site.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nIf-None-Match: %s\r\n\r\n' "$e_gz"
	assert_variant site.css.br br
}

@test "a range applies to the bytes of the variant sent, with Vary on the 206" {
	send 'GET /site.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nRange: bytes=0-9\r\n\r\n'
	assert_status 206 "Partial Content"
	assert_header Content-Encoding br
	assert_header Vary Accept-Encoding
	assert_header Content-Range "bytes 0-9/$(wc -c < "$DOCROOT/site.css.br")"
	head -c 10 "$DOCROOT/site.css.br" > "$BATS_TEST_TMPDIR/want"
	assert_body_file "$BATS_TEST_TMPDIR/want"
	local etag
	etag=$(header ETag)
	send 'GET /site.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nRange: bytes=-5\r\nIf-Range: %s\r\n\r\n' "$etag"
	assert_status 206 "Partial Content"
	tail -c 5 "$DOCROOT/site.css.br" > "$BATS_TEST_TMPDIR/want"
	assert_body_file "$BATS_TEST_TMPDIR/want"
}

@test "a 416 and a 412 for a file with variants carry Vary, and one without does not" {
	local size
	size=$(wc -c < "$DOCROOT/site.css.gz")
	send 'GET /site.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nRange: bytes=999999-\r\n\r\n'
	assert_error_page 416 "Range Not Satisfiable"
	assert_header Content-Range "bytes */$size"
	assert_header Vary Accept-Encoding
	send 'GET /site.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nIf-Match: "nope"\r\n\r\n'
	assert_error_page 412 "Precondition Failed"
	assert_header Vary Accept-Encoding
	send 'GET /site.css HTTP/1.1\r\nHost: x\r\nIf-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n\r\n'
	assert_error_page 412 "Precondition Failed"
	assert_header Vary Accept-Encoding
	send 'GET /plain.txt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nRange: bytes=999999-\r\n\r\n'
	assert_error_page 416 "Range Not Satisfiable"
	refute_header Vary
	send 'GET /plain.txt HTTP/1.1\r\nHost: x\r\nIf-Match: "nope"\r\n\r\n'
	assert_error_page 412 "Precondition Failed"
	refute_header Vary
}

@test "HEAD sends the same fields as GET and no body" {
	get /site.css br
	sed 's/^Date: .*//' "$RESP.head" > "$BATS_TEST_TMPDIR/get.head"
	send 'HEAD /site.css HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n\r\n'
	sed 's/^Date: .*//' "$RESP.head" > "$BATS_TEST_TMPDIR/head.head"
	cmp -s "$BATS_TEST_TMPDIR/get.head" "$BATS_TEST_TMPDIR/head.head" ||
		fail "$(diff "$BATS_TEST_TMPDIR/get.head" "$BATS_TEST_TMPDIR/head.head")"
	assert_body ''
}

@test "a stale variant (older than its file) is ignored" {
	get /stale.txt gzip
	assert_status 200 OK
	assert_body 'new text\n'
	refute_header Content-Encoding
	refute_header Vary
}

@test "a file without variants has no Vary" {
	get /plain.txt 'br, gzip'
	assert_status 200 OK
	assert_body 'plain\n'
	refute_header Vary
	refute_header Content-Encoding
}

@test "a request for FILE.gz gets that file as application/gzip, not as an encoding" {
	get /site.css.gz gzip
	assert_status 200 OK
	assert_header Content-Type application/gzip
	refute_header Content-Encoding
	assert_body_file "$DOCROOT/site.css.gz"
}

@test "a variant that is a symlink to a hidden file is ignored: the file's own bytes" {
	get /pc/h.txt gzip
	assert_status 200 OK
	assert_header Content-Type "text/plain; charset=utf-8"
	assert_header Content-Length 7
	assert_body 'h text\n'
	refute_header Content-Encoding
	refute_header Vary
	get /pc/h.txt 'br, gzip, *'
	assert_body 'h text\n'
	# Asked for by its own name, it is what any such symlink is: not found.
	get /pc/h.txt.gz gzip
	assert_error_page 404 "Not Found"
	! grep -aq GIT-CONFIG "$RESP" || fail "the hidden file was served"
}

@test "a variant that is a symlink to one elsewhere in the site is served" {
	get /pc/s.txt gzip
	assert_variant store/s.txt.gz gzip
	assert_header Content-Type "text/plain; charset=utf-8"
	get /pc/s.txt identity
	assert_variant pc/s.txt identity
}

@test "under the pool, a variant that is a symlink to a hidden file is ignored" {
	start_activator --pool --precompressed --log none
	fetch /pc/h.txt -H 'Accept-Encoding: gzip'
	assert_status 200 OK
	refute_header Content-Encoding
	assert_body 'h text\n'
	fetch /pc/s.txt -H 'Accept-Encoding: gzip'
	assert_status 200 OK
	assert_header Content-Encoding gzip
	assert_body_file "$DOCROOT/store/s.txt.gz"
}

@test "without --precompressed no variant is looked at" {
	WS_ARGS=()
	get /site.css 'br, gzip'
	assert_status 200 OK
	assert_body_file "$DOCROOT/site.css"
	refute_header Vary
}

@test "curl --compressed over a socket gets the original bytes" {
	start_activator --inetd --precompressed
	run -0 curl -sS --max-time 5 --compressed -o "$BATS_TEST_TMPDIR/got" \
		-w '%{http_code} %{size_download}' "http://127.0.0.1:$PORT/site.css"
	stop_activator || true
	[ "$output" = "200 $(wc -c < "$DOCROOT/site.css.br")" ] || fail "$output"
	cmp -s "$BATS_TEST_TMPDIR/got" "$DOCROOT/site.css" || fail "not the original bytes"
}

@test "headless Chromium renders a page that exists only as .br, styled by a .gz" {
	command -v chromium > /dev/null || fail "chromium is not installed (Debian package chromium)"
	local profile
	start_activator --inetd --precompressed
	profile=$(mktemp -d "$BATS_TEST_TMPDIR/profile.XXXXXX")
	run -0 timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --dump-dom "http://127.0.0.1:$PORT/packed/" \
		2> /dev/null
	stop_activator || true
	assert_output --partial '<h1 id="t">Served from the br variant</h1>'
	refute_output --partial 'ORIGINAL'
	# The style sheet went out as its gzip variant.
	grep -Eq "\"GET /packed/style.css HTTP/1.1\" 200 $(wc -c < "$DOCROOT/packed/style.css.gz") " \
		"$BATS_FILE_TMPDIR/activator.log" || fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

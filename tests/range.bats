#!/usr/bin/env bats
# Range requests (RFC 9110, section 14): one range gives 206, an
# unsatisfiable one 416, several ranges the whole file (no multipart, no
# amplification), If-Range, and 64-bit sizes past 4 GiB.

load test_helper

LAST_MODIFIED='Tue, 14 Nov 2023 22:13:20 GMT'
BIG_SIZE=5368709120		# 5 GiB
MARKER_AT=4294967306		# 4 GiB + 10
MARKER='MARKER-4G!'

setup_file() {
	make_docroot
	export DOCROOT
	printf 'abcdefghijklmnopqrstuvwxyz' > "$DOCROOT/alpha.txt"
	touch -d '@1700000000.5' "$DOCROOT/alpha.txt"
	# Sparse: 5 GiB on paper, a few blocks on disk.
	truncate -s "$BIG_SIZE" "$DOCROOT/big.bin"
	printf '%s' "$MARKER" | dd of="$DOCROOT/big.bin" bs=1 seek="$MARKER_AT" \
	    conv=notrunc status=none
}

setup() {
	WS_ARGS=()
	ETAG=$(printf '"%x-1a-6553f100.%x"' "$(stat -c %i "$DOCROOT/alpha.txt")" 500000000)
}

# req METHOD PATH [FIELD...]
req() {
	local method=$1 path=$2 f fields=''
	shift 2
	for f in "$@"; do
		fields+="$f"$'\r\n'
	done
	send '%s %s HTTP/1.1\r\nHost: localhost\r\n%s\r\n' "$method" "$path" "$fields"
}

# range VALUE [FIELD...]: a GET of alpha.txt with Range: VALUE.
range() {
	local v=$1
	shift
	req GET /alpha.txt "Range: $v" "$@"
}

# assert_partial FIRST LAST BODY: 206 for FIRST-LAST of alpha.txt.
assert_partial() {
	assert_head "HTTP/1.1 206 Partial Content" "Date: *" "Server: webserver/1.0.0" \
	    "Content-Type: text/plain; charset=utf-8" "X-Content-Type-Options: nosniff" \
	    "Last-Modified: $LAST_MODIFIED" "ETag: $ETAG" "Accept-Ranges: bytes" \
	    "Content-Range: bytes $1-$2/26" "Content-Length: $(($2 - $1 + 1))" \
	    "Connection: close"
	assert_body '%s' "$3"
}

# assert_whole [HEAD]: 200 with all of alpha.txt.
assert_whole() {
	assert_head "HTTP/1.1 200 OK" "Date: *" "Server: webserver/1.0.0" \
	    "Content-Type: text/plain; charset=utf-8" "X-Content-Type-Options: nosniff" \
	    "Last-Modified: $LAST_MODIFIED" "ETag: $ETAG" "Accept-Ranges: bytes" \
	    "Content-Length: 26" "Connection: close"
	if [ "${1:-GET}" = HEAD ]; then
		assert_body ''
	else
		assert_body abcdefghijklmnopqrstuvwxyz
	fi
}

# assert_unsatisfiable LEN: 416 with Content-Range: bytes */LEN.
assert_unsatisfiable() {
	local page='<!DOCTYPE html>\n<html><head><title>416 Range Not Satisfiable</title></head>\n<body><h1>416 Range Not Satisfiable</h1></body></html>\n'
	assert_head "HTTP/1.1 416 Range Not Satisfiable" "Date: *" \
	    "Server: webserver/1.0.0" "Content-Type: text/html; charset=utf-8" \
	    "X-Content-Type-Options: nosniff" "Content-Range: bytes */$1" \
	    "Content-Length: $(printf "$page" | wc -c)" "Connection: close"
	assert_body "$page"
}

@test "bytes=0-9 is 206 with the first ten bytes" {
	range bytes=0-9
	assert_partial 0 9 abcdefghij
}

@test "bytes=5- is 206 from byte 5 to the end" {
	range bytes=5-
	assert_partial 5 25 fghijklmnopqrstuvwxyz
}

@test "bytes=-3 is 206 with the last three bytes" {
	range bytes=-3
	assert_partial 23 25 xyz
}

@test "a single byte range works at both ends" {
	range bytes=0-0
	assert_partial 0 0 a
	range bytes=25-25
	assert_partial 25 25 z
}

@test "an end past the length is clipped to it" {
	range bytes=20-100
	assert_partial 20 25 uvwxyz
	range bytes=-100
	assert_partial 0 25 abcdefghijklmnopqrstuvwxyz
}

@test "the unit is case-insensitive and whitespace around the range is allowed" {
	range Bytes=0-1
	assert_partial 0 1 ab
	range 'bytes= 2-3 '
	assert_partial 2 3 cd
}

@test "bytes=-0 is 416 with Content-Range: bytes */26" {
	range bytes=-0
	assert_unsatisfiable 26
}

@test "a start at or past the end is 416" {
	range bytes=26-
	assert_unsatisfiable 26
	range bytes=26-30
	assert_unsatisfiable 26
	range bytes=1000-2000
	assert_unsatisfiable 26
}

@test "several ranges are answered with the whole file: 200" {
	range bytes=0-1,3-4
	assert_whole
	range 'bytes=0-25, 0-25, 0-25, 0-25'
	assert_whole
	range bytes=-1,0-
	assert_whole
}

@test "invalid range syntax is ignored: 200 with the whole file" {
	local v
	for v in 'bytes=abc' 'bytes=5-2' 'bytes=' 'bytes=-' 'bytes=1-2-3' 'bytes 0-5' \
	    'bytes=0-5x' 'bytes=--5' 'bytes=0x0-5' '=0-5'; do
		range "$v"
		[ "$(status_line)" = "HTTP/1.1 200 OK" ] ||
			fail "'$v': expected 200, got '$(status_line)'"
		assert_whole
	done
}

@test "an unknown unit is ignored: 200 with the whole file" {
	range items=0-5
	assert_whole
	range bits=0-5
	assert_whole
}

@test "bytes=0-18446744073709551615 is the whole file as 206" {
	range bytes=0-18446744073709551615
	assert_partial 0 25 abcdefghijklmnopqrstuvwxyz
	range bytes=0-18446744073709551616
	assert_partial 0 25 abcdefghijklmnopqrstuvwxyz
}

@test "numbers of 30 digits do not overflow" {
	range bytes=0-123456789012345678901234567890
	assert_partial 0 25 abcdefghijklmnopqrstuvwxyz
	range bytes=123456789012345678901234567890-
	assert_unsatisfiable 26
	range bytes=-123456789012345678901234567890
	assert_partial 0 25 abcdefghijklmnopqrstuvwxyz
	range bytes=18446744073709551615-18446744073709551615
	assert_unsatisfiable 26
}

@test "If-Range with the current ETag is 206" {
	range bytes=0-9 "If-Range: $ETAG"
	assert_partial 0 9 abcdefghij
}

@test "If-Range with a stale ETag is 200 with the whole file" {
	range bytes=0-9 'If-Range: "1-2-3.4"'
	assert_whole
}

@test "If-Range with a weak ETag is 200, since it needs a strong match" {
	range bytes=0-9 "If-Range: W/$ETAG"
	assert_whole
}

@test "If-Range with the date of Last-Modified is 206" {
	range bytes=0-9 "If-Range: $LAST_MODIFIED"
	assert_partial 0 9 abcdefghij
}

@test "If-Range with another date is 200 with the whole file" {
	range bytes=0-9 'If-Range: Tue, 14 Nov 2023 22:13:21 GMT'
	assert_whole
	range bytes=0-9 'If-Range: Tue, 14 Nov 2023 22:13:19 GMT'
	assert_whole
	range bytes=0-9 'If-Range: not a date'
	assert_whole
}

@test "If-Range does not turn an unsatisfiable range into 416 when it fails" {
	range bytes=100- 'If-Range: "1-2-3.4"'
	assert_whole
	range bytes=100- "If-Range: $ETAG"
	assert_unsatisfiable 26
}

@test "HEAD with Range is 200 with the whole file's headers" {
	req HEAD /alpha.txt 'Range: bytes=0-9'
	assert_whole HEAD
	req HEAD /alpha.txt 'Range: bytes=-0'
	assert_whole HEAD
}

@test "Range on an empty file: a first-pos is 416 with bytes */0, a suffix gets the empty file" {
	: > "$DOCROOT/empty.txt"
	req GET /empty.txt 'Range: bytes=0-'
	assert_status 416 "Range Not Satisfiable"
	assert_header Content-Range 'bytes */0'
	req GET /empty.txt 'Range: bytes=-0'
	assert_status 416 "Range Not Satisfiable"
	# RFC 9110, section 14.1.1: a non-zero suffix is satisfiable even for
	# an empty representation; it has no byte to name, so 200.
	req GET /empty.txt 'Range: bytes=-5'
	assert_status 200 OK
	assert_header Content-Length 0
	refute_header Content-Range
	assert_body ''
}

@test "a sparse file over 4 GiB has its full Content-Length" {
	req HEAD /big.bin
	assert_status 200 OK
	assert_header Content-Type application/octet-stream
	assert_header Content-Length "$BIG_SIZE"
	assert_header Accept-Ranges bytes
	assert_body ''
}

@test "a range past 4 GiB returns the bytes stored there" {
	req GET /big.bin "Range: bytes=$MARKER_AT-$((MARKER_AT + 9))"
	assert_status 206 "Partial Content"
	assert_header Content-Range "bytes $MARKER_AT-$((MARKER_AT + 9))/$BIG_SIZE"
	assert_header Content-Length 10
	assert_body '%s' "$MARKER"
	# The bytes around it are the file's holes: zeros.
	req GET /big.bin "Range: bytes=$((MARKER_AT - 2))-$((MARKER_AT + 11))"
	assert_status 206 "Partial Content"
	assert_header Content-Range "bytes $((MARKER_AT - 2))-$((MARKER_AT + 11))/$BIG_SIZE"
	assert_body '\0\0%s\0\0' "$MARKER"
}

@test "suffix and unsatisfiable ranges count with 64 bits on a 5 GiB file" {
	req GET /big.bin 'Range: bytes=-4'
	assert_status 206 "Partial Content"
	assert_header Content-Range "bytes $((BIG_SIZE - 4))-$((BIG_SIZE - 1))/$BIG_SIZE"
	assert_body '\0\0\0\0'
	req GET /big.bin "Range: bytes=$BIG_SIZE-"
	assert_status 416 "Range Not Satisfiable"
	assert_header Content-Range "bytes */$BIG_SIZE"
}

@test "Range sent twice is ignored: 200 with the whole file" {
	range bytes=0-9 'Range: bytes=0-9'
	assert_whole
	range bytes=0-9 'Range: bytes=30-40'
	assert_whole
}

@test "If-Range sent twice matches nothing: 200 with the whole file" {
	range bytes=0-9 "If-Range: $ETAG" "If-Range: $ETAG"
	assert_whole
	range bytes=0-9 "If-Range: $LAST_MODIFIED" "If-Range: $LAST_MODIFIED"
	assert_whole
}

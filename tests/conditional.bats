#!/usr/bin/env bats
# Validators and conditional requests (RFC 9110, section 13): Last-Modified,
# the strong ETag, If-None-Match, If-Modified-Since, If-Match,
# If-Unmodified-Since, and their precedence.

load test_helper

# The file's mtime: Tue, 14 Nov 2023 22:13:20 GMT, plus 123456789 ns.
MTIME_SEC=1700000000
MTIME_NSEC=123456789
LAST_MODIFIED='Tue, 14 Nov 2023 22:13:20 GMT'
BODY='conditional requests\n'

setup_file() {
	make_docroot
	export DOCROOT
	printf "$BODY" > "$DOCROOT/doc.txt"
	touch -d "@$MTIME_SEC.$MTIME_NSEC" "$DOCROOT/doc.txt"
}

setup() {
	WS_ARGS=()
	LEN=$(wc -c < "$DOCROOT/doc.txt")
	# "<inode>-<size>-<mtime seconds>.<nanoseconds>", all in hex.
	ETAG=$(printf '"%x-%x-%x.%x"' "$(stat -c %i "$DOCROOT/doc.txt")" "$LEN" \
	    "$MTIME_SEC" "$MTIME_NSEC")
}

# req METHOD [FIELD...]: a request for /doc.txt with these header fields.
req() {
	local method=$1 f fields=''
	shift
	for f in "$@"; do
		fields+="$f"$'\r\n'
	done
	send '%s /doc.txt HTTP/1.1\r\nHost: localhost\r\n%s\r\n' "$method" "$fields"
}

assert_full() {
	assert_head "HTTP/1.1 200 OK" "Date: *" "Server: webserver/1.0.0" \
	    "Content-Type: text/plain; charset=utf-8" \
	    "X-Content-Type-Options: nosniff" \
	    "Last-Modified: $LAST_MODIFIED" "ETag: $ETAG" \
	    "Accept-Ranges: bytes" "Content-Length: $LEN" "Connection: close"
	if [ "${1:-GET}" = HEAD ]; then
		assert_body ''
	else
		assert_body "$BODY"
	fi
}

assert_not_modified() {
	assert_head "HTTP/1.1 304 Not Modified" "Date: *" "Server: webserver/1.0.0" \
	    "Last-Modified: $LAST_MODIFIED" "ETag: $ETAG" \
	    "Content-Length: $LEN" "Connection: close"
	assert_body ''
}

assert_precondition_failed() {
	local page='<!DOCTYPE html>\n<html><head><title>412 Precondition Failed</title></head>\n<body><h1>412 Precondition Failed</h1></body></html>\n'
	assert_head "HTTP/1.1 412 Precondition Failed" "Date: *" \
	    "Server: webserver/1.0.0" "Content-Type: text/html; charset=utf-8" \
	    "X-Content-Type-Options: nosniff" \
	    "Content-Length: $(printf "$page" | wc -c)" "Connection: close"
	if [ "${1:-GET}" = HEAD ]; then
		assert_body ''
	else
		assert_body "$page"
	fi
}

@test "Last-Modified and the ETag are exact" {
	req GET
	assert_full
	[[ $ETAG =~ ^\"[0-9a-f]+-[0-9a-f]+-6553f100\.75bcd15\"$ ]] || fail "ETag '$ETAG'"
}

@test "HEAD carries the same validators and no body" {
	req HEAD
	assert_full HEAD
}

@test "the ETag changes when the file is rewritten within the same second" {
	cp -p "$DOCROOT/doc.txt" "$DOCROOT/copy.txt"
	touch -d "@$MTIME_SEC.$((MTIME_NSEC + 1))" "$DOCROOT/copy.txt"
	send 'GET /copy.txt HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_status 200 OK
	assert_header Last-Modified "$LAST_MODIFIED"
	assert_header ETag "$(printf '"%x-%x-%x.%x"' "$(stat -c %i "$DOCROOT/copy.txt")" \
	    "$LEN" "$MTIME_SEC" "$((MTIME_NSEC + 1))")"
}

@test "If-None-Match with the exact tag is 304" {
	req GET "If-None-Match: $ETAG"
	assert_not_modified
}

@test "If-None-Match: * is 304" {
	req GET "If-None-Match: *"
	assert_not_modified
}

@test "If-None-Match with a list holding the tag is 304" {
	req GET "If-None-Match: \"nope\", $ETAG , W/\"other\""
	assert_not_modified
	req GET "If-None-Match: \"a\",\"b\",$ETAG"
	assert_not_modified
}

@test "If-None-Match compares weakly: the W/ form of the tag is 304" {
	req GET "If-None-Match: W/$ETAG"
	assert_not_modified
}

@test "If-None-Match without the tag is 200" {
	req GET 'If-None-Match: "nope"'
	assert_full
	req GET 'If-None-Match: "a", W/"b"'
	assert_full
	# A prefix of the tag, and the tag without its quotes, do not match.
	req GET "If-None-Match: ${ETAG%?}"
	assert_full
	req GET "If-None-Match: ${ETAG//\"/}"
	assert_full
}

@test "HEAD with a matching If-None-Match is the 304 head" {
	req HEAD "If-None-Match: $ETAG"
	assert_not_modified
}

@test "If-Modified-Since equal to Last-Modified is 304" {
	req GET "If-Modified-Since: $LAST_MODIFIED"
	assert_not_modified
}

@test "If-Modified-Since later than Last-Modified is 304" {
	req GET 'If-Modified-Since: Tue, 14 Nov 2023 22:13:21 GMT'
	assert_not_modified
	req GET 'If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT'
	assert_not_modified
}

@test "If-Modified-Since earlier than Last-Modified is 200" {
	req GET 'If-Modified-Since: Tue, 14 Nov 2023 22:13:19 GMT'
	assert_full
}

@test "If-Modified-Since in RFC 850 form is understood" {
	req GET 'If-Modified-Since: Tuesday, 14-Nov-23 22:13:20 GMT'
	assert_not_modified
	req GET 'If-Modified-Since: Tuesday, 14-Nov-23 22:13:19 GMT'
	assert_full
}

@test "If-Modified-Since in asctime form is understood" {
	req GET 'If-Modified-Since: Tue Nov 14 22:13:20 2023'
	assert_not_modified
	req GET 'If-Modified-Since: Tue Nov 14 22:13:19 2023'
	assert_full
	# A one-digit day is padded with a space.
	req GET 'If-Modified-Since: Mon Dec  4 00:00:00 2023'
	assert_not_modified
}

@test "a malformed If-Modified-Since is ignored: 200" {
	local d
	for d in 'yesterday' 'Tue, 14 Nov 2023 22:13:20' 'Tue, 14 Nov 2023 25:13:20 GMT' \
	    'Tue, 14 Nov 2023 22:13:20 GMT junk' '1700000000' 'Tue, 14 Foo 2023 22:13:20 GMT'; do
		req GET "If-Modified-Since: $d"
		[ "$(status_line)" = "HTTP/1.1 200 OK" ] ||
			fail "'$d': expected 200, got '$(status_line)'"
		assert_full
	done
}

@test "If-None-Match takes precedence over If-Modified-Since" {
	# A tag that does not match wins over a date that would give 304.
	req GET 'If-None-Match: "nope"' "If-Modified-Since: $LAST_MODIFIED"
	assert_full
	# A matching tag wins over a date that would give 200.
	req GET "If-None-Match: $ETAG" 'If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT'
	assert_not_modified
}

@test "If-Match without the tag is 412" {
	req GET 'If-Match: "nope"'
	assert_precondition_failed
}

@test "If-Match compares strongly: the W/ form of the tag is 412" {
	req GET "If-Match: W/$ETAG"
	assert_precondition_failed
}

@test "If-Match with the tag, in a list, or * is 200" {
	req GET "If-Match: $ETAG"
	assert_full
	req GET "If-Match: \"nope\", $ETAG"
	assert_full
	req GET 'If-Match: *'
	assert_full
}

@test "HEAD with a failing If-Match is the 412 head" {
	req HEAD 'If-Match: "nope"'
	assert_precondition_failed HEAD
}

@test "If-Unmodified-Since earlier than Last-Modified is 412" {
	req GET 'If-Unmodified-Since: Tue, 14 Nov 2023 22:13:19 GMT'
	assert_precondition_failed
	req HEAD 'If-Unmodified-Since: Tuesday, 14-Nov-23 22:13:19 GMT'
	assert_precondition_failed HEAD
}

@test "If-Unmodified-Since equal or later is 200, malformed is ignored" {
	req GET "If-Unmodified-Since: $LAST_MODIFIED"
	assert_full
	req GET 'If-Unmodified-Since: Tue Nov 14 22:13:21 2023'
	assert_full
	req GET 'If-Unmodified-Since: not a date'
	assert_full
}

@test "If-Match takes precedence over If-Unmodified-Since" {
	# A matching tag: the date, which would fail, is not evaluated.
	req GET "If-Match: $ETAG" 'If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT'
	assert_full
	# A tag that fails: 412 even though the date would pass.
	req GET 'If-Match: "nope"' "If-Unmodified-Since: $LAST_MODIFIED"
	assert_precondition_failed
}

@test "If-Match is evaluated before If-None-Match" {
	req GET 'If-Match: "nope"' "If-None-Match: $ETAG"
	assert_precondition_failed
	req GET "If-Match: $ETAG" "If-None-Match: $ETAG"
	assert_not_modified
}

@test "conditionals on a missing file are 404" {
	send 'GET /missing.txt HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: *\r\n\r\n'
	assert_error_page 404 "Not Found"
}

# --- Fields sent more than once ---------------------------------------------

@test "If-None-Match split over two field lines is one list: 304 on the second" {
	req GET 'If-None-Match: "other"' "If-None-Match: $ETAG"
	assert_not_modified
	req GET "If-None-Match: \"a\", \"b\"" 'If-None-Match: "c"'
	assert_full
}

@test "If-Match split over two field lines is one list: 200 when the second holds the tag" {
	req GET 'If-Match: "other"' "If-Match: $ETAG"
	assert_full
	req GET 'If-Match: "other"' 'If-Match: "more"'
	assert_precondition_failed
}

@test "* is valid only as the whole If-Match: with another line it matches nothing" {
	req GET 'If-Match: *' "If-Match: $ETAG"
	assert_precondition_failed
	req GET 'If-None-Match: *' 'If-None-Match: "x"'
	assert_full
}

@test "a malformed line anywhere in a split If-Match makes it match nothing" {
	req GET "If-Match: $ETAG" 'If-Match: not-a-tag'
	assert_precondition_failed
}

@test "If-None-Match on more than 8 field lines is 431" {
	req GET 'If-None-Match: "1"' 'If-None-Match: "2"' 'If-None-Match: "3"' \
	    'If-None-Match: "4"' 'If-None-Match: "5"' 'If-None-Match: "6"' \
	    'If-None-Match: "7"' 'If-None-Match: "8"' 'If-None-Match: "9"'
	assert_error_page 431 "Request Header Fields Too Large"
	req GET 'If-None-Match: "1"' 'If-None-Match: "2"' 'If-None-Match: "3"' \
	    'If-None-Match: "4"' 'If-None-Match: "5"' 'If-None-Match: "6"' \
	    'If-None-Match: "7"' "If-None-Match: $ETAG"
	assert_not_modified
}

@test "If-Modified-Since sent twice is ignored, even when both would give 304" {
	req GET "If-Modified-Since: $LAST_MODIFIED" "If-Modified-Since: $LAST_MODIFIED"
	assert_full
}

@test "If-Unmodified-Since sent twice is ignored, even when both would give 412" {
	req GET 'If-Unmodified-Since: Mon, 13 Nov 2023 00:00:00 GMT' \
	    'If-Unmodified-Since: Mon, 13 Nov 2023 00:00:00 GMT'
	assert_full
}

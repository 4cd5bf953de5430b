#!/usr/bin/env bats
# The request as RFC 9112 and RFC 9110 define it: methods, versions, Host,
# request-target forms, percent-decoding and message syntax.  Exact request
# bytes are piped into the handler (the inetd path with pipes).

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	make_docroot
	export DOCROOT
	printf 'plus\n' > "$DOCROOT/a+b.txt"
	printf 'space\n' > "$DOCROOT/a b.txt"
}

setup() {
	WS_ARGS=()
}

# get TARGET [FIELD LINES]: an HTTP/1.1 GET with a Host field.
get() {
	send 'GET %s HTTP/1.1\r\nHost: example.com\r\n%b\r\n' "$1" "${2:-}"
}

# The whole response of the last request is exactly its head: no body.
assert_no_body() {
	local size head
	size=$(wc -c < "$RESP")
	head=$(LC_ALL=C grep -obaPz -m1 '\r\n\r\n' "$RESP" | head -n1 | cut -d: -f1)
	[ -n "$head" ] || fail "no end of head in the response"
	[ "$size" -eq $((head + 4)) ] || fail "$((size - head - 4)) bytes after the head"
}

# assert_error CODE REASON: the error page, its common and its extra fields.
assert_error() {
	assert_error_page "$1" "$2"
	assert_common_headers
	assert_header X-Content-Type-Options nosniff
	[ "$1" = 405 ] || refute_header Allow
	refute_header ETag
	refute_header Last-Modified
}

# --- Methods ---------------------------------------------------------------

@test "GET serves a file with exactly its bytes and the documented fields in order" {
	get /HelloWorld.html
	assert_hello
	assert_header X-Content-Type-Options nosniff
	assert_header Accept-Ranges bytes
	run -0 cut -d: -f1 "$RESP.head"
	assert_output "HTTP/1.1 200 OK
Date
Server
Content-Type
X-Content-Type-Options
Last-Modified
ETag
Accept-Ranges
Content-Length
Connection"
}

@test "HEAD sends exactly the headers of GET and no body" {
	get /HelloWorld.html
	grep -v '^Date: ' "$RESP.head" > "$BATS_TEST_TMPDIR/get.head"
	send 'HEAD /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Length 170
	run -0 diff <(grep -v '^Date: ' "$RESP.head") "$BATS_TEST_TMPDIR/get.head"
	assert_no_body
}

@test "HEAD of a missing file sends the error page's headers and no body" {
	send 'HEAD /missing.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 404 "Not Found"
	assert_common_headers
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header Content-Length 107
	assert_no_body
}

@test "OPTIONS with a path answers 200 with Allow and an empty body" {
	send 'OPTIONS /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_common_headers
	assert_header Allow "GET, HEAD, OPTIONS"
	assert_header Content-Length 0
	refute_header Content-Type
	assert_no_body
}

@test "OPTIONS * answers 200 with Allow and an empty body" {
	send 'OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_common_headers
	assert_header Allow "GET, HEAD, OPTIONS"
	assert_header Content-Length 0
	assert_no_body
}

@test "POST, PUT, DELETE, PATCH and TRACE get 405 with Allow" {
	local m
	for m in POST PUT DELETE PATCH TRACE; do
		send '%s /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n' "$m"
		assert_error 405 "Method Not Allowed"
		assert_header Allow "GET, HEAD, OPTIONS"
	done
}

@test "CONNECT with an authority-form target gets 405 with Allow" {
	send 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'
	assert_error 405 "Method Not Allowed"
	assert_header Allow "GET, HEAD, OPTIONS"
}

@test "POST with a body gets 405 and one response only" {
	send 'POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 21\r\n\r\nGET / HTTP/1.1\r\n\r\n\r\n'
	assert_error 405 "Method Not Allowed"
	assert_header Allow "GET, HEAD, OPTIONS"
}

@test "an unknown method token gets 501" {
	send 'BREW /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 501 "Not Implemented"
}

@test "methods are case-sensitive: get and Get get 501" {
	send 'get /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 501 "Not Implemented"
	send 'Get /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 501 "Not Implemented"
}

@test "a method that is not a token gets 400" {
	local m
	for m in 'G@T' 'GE(T' 'G"ET' 'GET:' 'G/ET'; do
		send '%s /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n' "$m"
		assert_error 400 "Bad Request"
	done
	send 'G\001ET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
}

@test "a request line with an empty method or two spaces gets 400" {
	send ' /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	send 'GET  /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	send 'GET /HelloWorld.html  HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
}

# --- Versions --------------------------------------------------------------

@test "HTTP/1.0 is served and the answer says HTTP/1.1" {
	send 'GET /HelloWorld.html HTTP/1.0\r\n\r\n'
	assert_hello
}

@test "HTTP/1.1 is served" {
	get /HelloWorld.html
	assert_hello
}

@test "a higher minor version (HTTP/1.7) is served as HTTP/1.1" {
	send 'GET /HelloWorld.html HTTP/1.7\r\nHost: example.com\r\n\r\n'
	assert_hello
}

@test "HTTP/1.7 needs Host, as HTTP/1.1 does" {
	send 'GET /HelloWorld.html HTTP/1.7\r\n\r\n'
	assert_error 400 "Bad Request"
}

@test "another major version (HTTP/2.0, HTTP/3.0, HTTP/0.9) gets 505" {
	local v
	for v in HTTP/2.0 HTTP/3.0 HTTP/0.9 HTTP/9.9; do
		send 'GET /HelloWorld.html %s\r\nHost: example.com\r\n\r\n' "$v"
		assert_error 505 "HTTP Version Not Supported"
	done
}

@test "a malformed version gets 400" {
	local v
	for v in http/1.1 Http/1.1 HTTP/1 HTTP/1.10 HTTP/11 HTTP/1.1x HTTP/1.x \
	    HTTP/a.1 HTTP1.1 HTTP/1,1 'HTTP/ 1.1' HTTP/1.1/ FOO/1.1; do
		send 'GET /HelloWorld.html %s\r\nHost: example.com\r\n\r\n' "$v"
		assert_error 400 "Bad Request"
	done
}

@test "a request line without a version gets 400" {
	send 'GET /HelloWorld.html\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	send 'GET /HelloWorld.html \r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
}

# --- Host ------------------------------------------------------------------

@test "HTTP/1.1 without Host gets 400" {
	send 'GET /HelloWorld.html HTTP/1.1\r\n\r\n'
	assert_error 400 "Bad Request"
}

@test "HTTP/1.0 without Host is served" {
	send 'GET /HelloWorld.html HTTP/1.0\r\nUser-Agent: old\r\n\r\n'
	assert_hello
}

@test "two Host fields get 400, in HTTP/1.1 and HTTP/1.0" {
	get /HelloWorld.html 'Host: example.com\r\n'
	assert_error 400 "Bad Request"
	send 'GET /HelloWorld.html HTTP/1.0\r\nHost: a.example\r\nhost: b.example\r\n\r\n'
	assert_error 400 "Bad Request"
}

@test "an invalid Host gets 400" {
	local h
	for h in 'exa mple.com' 'example.com/x' 'user@example.com' 'example.com:80x' \
	    'example.com:-1' '[::1' '[]' '[::1]x' 'ex"ample' 'exa%zzmple' 'a<b>' \
	    'example.com:65536' 'example.com:99999999999999999999' '[::1]:65536'; do
		send 'GET /HelloWorld.html HTTP/1.1\r\nHost: %s\r\n\r\n' "$h"
		assert_error 400 "Bad Request"
	done
}

@test "a valid Host with a port, an IPv4 or an IPv6 literal is served" {
	local h
	for h in example.com:8080 127.0.0.1 '[::1]:8080' EXAMPLE.com. xn--bcher-kva.example \
	    example.com:65535 example.com: ; do
		send 'GET /HelloWorld.html HTTP/1.1\r\nHost: %s\r\n\r\n' "$h"
		assert_hello
	done
}

# --- Request-target --------------------------------------------------------

@test "the absolute form http://host/path is served" {
	send 'GET http://example.com/HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_hello
}

@test "the absolute form with an empty path serves the root index" {
	send 'GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Length 248
	assert_body_file "$DOCROOT/index.html"
}

@test "the absolute form with userinfo or without a host gets 400" {
	send 'GET http://user@example.com/HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	send 'GET http:///HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
}

@test "the absolute form with a port above 65535 gets 400" {
	send 'GET http://example.com:65536/HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	send 'GET http://example.com:65535/HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_hello
}

@test "the asterisk form is for OPTIONS only" {
	get '*'
	assert_error 400 "Bad Request"
	send 'HEAD * HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 400 "Bad Request"
	assert_no_body
}

@test "other request-target forms get 400" {
	local t
	for t in HelloWorld.html example.com:80 'ftp://example.com/HelloWorld.html' \
	    '/HelloWorld.html#top' 'http:' '**' '?a=1'; do
		get "$t"
		assert_error 400 "Bad Request"
	done
}

@test "raw bytes that are not visible ASCII in the target get 400" {
	send 'GET /Hello\tWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	send 'GET /caf\303\251.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	send 'GET /a\177 HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	send 'GET /a\000b HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
}

@test "the query is ignored for the lookup" {
	get '/HelloWorld.html?a=1&b=%2F'
	assert_hello
	get '/HelloWorld.html?'
	assert_hello
	get '/missing.html?HelloWorld.html'
	assert_error 404 "Not Found"
}

# --- Percent-decoding ------------------------------------------------------

@test "percent-encoded letters, in either case of hex digit, are decoded" {
	get '/%48elloWorld%2ehtml'
	assert_hello
	get '/HelloWorld%2Ehtml'
	assert_hello
}

@test "a percent sign without two hex digits gets 400" {
	local t
	for t in /% /%4 /%zz /%4g /%g4 '/Hello%World.html' '/a%2' '/%%41'; do
		get "$t"
		assert_error 400 "Bad Request"
	done
}

@test "%00 gets 400" {
	get /%00
	assert_error 400 "Bad Request"
	get '/HelloWorld.html%00.txt'
	assert_error 400 "Bad Request"
}

@test "a percent-encoded control byte gets 400" {
	local t
	for t in /%01 /a%0a /a%0D /%1b /%1F /%7f /%09; do
		get "$t"
		assert_error 400 "Bad Request"
	done
}

@test "plus is a literal plus: a+b.txt is served by /a+b.txt and /a%2Bb.txt" {
	get /a+b.txt
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Type "text/plain; charset=utf-8"
	assert_header Content-Length 5
	assert_body 'plus\n'
	get /a%2Bb.txt
	assert_status 200 OK
	assert_body 'plus\n'
	get /a%2bb.txt
	assert_body 'plus\n'
}

@test "a space must be sent as %20, never as plus" {
	get /a%20b.txt
	assert_status 200 OK
	assert_header Content-Length 6
	assert_body 'space\n'
	rm "$DOCROOT/a+b.txt"
	get /a+b.txt
	assert_error 404 "Not Found"
	printf 'plus\n' > "$DOCROOT/a+b.txt"
}

# --- Message syntax --------------------------------------------------------

@test "bare LF line ends are accepted" {
	send 'GET /HelloWorld.html HTTP/1.1\nHost: example.com\nUser-Agent: t\n\n'
	assert_hello
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\nAccept: */*\r\n\n'
	assert_hello
}

@test "a bare CR gets 400" {
	send 'GET /HelloWorld.html HTTP/1.1\rHost: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	get /HelloWorld.html 'X-A: a\rb\r\n'
	assert_error 400 "Bad Request"
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\r\n'
	assert_error 400 "Bad Request"
}

@test "empty lines before the request line are skipped" {
	send '\r\n\r\nGET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_hello
	send '\n\r\n\nGET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_hello
}

@test "obs-fold (a continuation line) gets 400" {
	get /HelloWorld.html 'X-A: a\r\n b\r\n'
	assert_error 400 "Bad Request"
	get /HelloWorld.html 'X-A: a\r\n\tb\r\n'
	assert_error 400 "Bad Request"
}

@test "whitespace before the first field line gets 400" {
	send 'GET /HelloWorld.html HTTP/1.1\r\n Host: example.com\r\n\r\n'
	assert_error 400 "Bad Request"
}

@test "whitespace between a field name and its colon gets 400" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost : example.com\r\n\r\n'
	assert_error 400 "Bad Request"
	get /HelloWorld.html 'X-A\t: b\r\n'
	assert_error 400 "Bad Request"
}

@test "a field line without a colon or with an empty name gets 400" {
	get /HelloWorld.html 'X-A b\r\n'
	assert_error 400 "Bad Request"
	get /HelloWorld.html ': b\r\n'
	assert_error 400 "Bad Request"
	get /HelloWorld.html 'X(A): b\r\n'
	assert_error 400 "Bad Request"
}

@test "control bytes in a field value get 400" {
	local c
	for c in '\000' '\001' '\033' '\037' '\177'; do
		get /HelloWorld.html "X-A: a${c}b\\r\\n"
		assert_error 400 "Bad Request"
	done
}

@test "tabs and bytes above 0x7f in a field value are accepted" {
	get /HelloWorld.html 'X-A: a\tb\r\nX-B: caf\303\251\r\nX-C:\r\nX-D:  padded  \r\n'
	assert_hello
}

@test "Transfer-Encoding with Content-Length gets 400, in either order" {
	get /HelloWorld.html 'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n'
	assert_error 400 "Bad Request"
	get /HelloWorld.html 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n'
	assert_error 400 "Bad Request"
}

@test "Transfer-Encoding in HTTP/1.0 gets 400" {
	send 'GET /HelloWorld.html HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
	assert_error 400 "Bad Request"
}

@test "an unknown transfer coding before chunked gets 501" {
	get /HelloWorld.html 'Transfer-Encoding: gzip, chunked\r\n'
	assert_error 501 "Not Implemented"
	get /HelloWorld.html 'Transfer-Encoding: gzip,chunked\r\n'
	assert_error 501 "Not Implemented"
}

@test "a transfer coding list whose last coding is not chunked gets 400" {
	local v
	for v in 'chunked, gzip' 'gzip' 'chunked, identity' 'chunked;x=1' \
	    'chunked, chunked' 'chunked,chunked' '' ',' ' , ,'; do
		get /HelloWorld.html "Transfer-Encoding: $v\\r\\n"
		assert_error 400 "Bad Request"
	done
}

@test "empty elements of the Transfer-Encoding list are ignored" {
	local v
	for v in ', chunked' 'chunked,' ' ,chunked , ' 'CHUNKED'; do
		get /HelloWorld.html "Transfer-Encoding: $v\\r\\n"
		assert_hello
		# With Content-Length it is the same faulty framing as
		# chunked alone.
		get /HelloWorld.html "Transfer-Encoding: $v\\r\\nContent-Length: 5\\r\\n"
		assert_error 400 "Bad Request"
	done
}

@test "two Transfer-Encoding field lines get 400" {
	get /HelloWorld.html 'Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n'
	assert_error 400 "Bad Request"
}

@test "an invalid Content-Length gets 400" {
	local v
	for v in abc -1 +5 5a 0x10 '5 5' '5;5' '5,' ',5' '' '1.0' \
	    99999999999999999999999; do
		get /HelloWorld.html "Content-Length: $v\\r\\n"
		assert_error 400 "Bad Request"
	done
}

@test "disagreeing Content-Length values get 400" {
	get /HelloWorld.html 'Content-Length: 5, 6\r\n'
	assert_error 400 "Bad Request"
	get /HelloWorld.html 'Content-Length: 5\r\nContent-Length: 6\r\n'
	assert_error 400 "Bad Request"
}

@test "repeated equal Content-Length values are accepted" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5, 5\r\n\r\nhello'
	assert_hello
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello'
	assert_hello
}

@test "a head cut short by the end of input gets 400" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n'
	assert_error 400 "Bad Request"
	send 'GET /HelloWorld.html HTTP/1.1'
	assert_error 400 "Bad Request"
}

@test "a client that sends nothing gets no answer" {
	send ''
	[ ! -s "$RESP" ] || fail "answered: $(head -c 100 "$RESP")"
	[ ! -s "$LOG" ] || fail "logged: $(cat "$LOG")"
}

@test "Connection: keep-alive still gets Connection: close" {
	get /HelloWorld.html 'Connection: keep-alive\r\n'
	assert_hello
}

# --- Responses without a body ----------------------------------------------

@test "304 carries ETag, Last-Modified and the 200's Content-Length, and no body" {
	local etag lm
	get /HelloWorld.html
	etag=$(header ETag)
	lm=$(header Last-Modified)
	get /HelloWorld.html "If-None-Match: $etag\\r\\n"
	assert_status 304 "Not Modified"
	assert_common_headers
	assert_header ETag "$etag"
	assert_header Last-Modified "$lm"
	assert_header Content-Length 170
	assert_no_body
}

@test "HEAD answers carry no body, whatever the status" {
	send 'HEAD /HelloWorld.html HTTP/1.0\r\n\r\n'
	assert_status 200 OK
	assert_no_body
	send 'HEAD /%%zz HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 400 "Bad Request"
	assert_header Content-Length 111
	assert_no_body
	send 'HEAD /HelloWorld.html HTTP/2.0\r\nHost: example.com\r\n\r\n'
	assert_status 505 "HTTP Version Not Supported"
	assert_no_body
}

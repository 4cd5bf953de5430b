#!/usr/bin/env bats
# --error-pages DIR: DIR/NNN.html (with --vhosts, DIR/HOST/NNN.html first)
# is the body of status NNN, read when the error happens, under the same
# kernel-enforced rules as any file; --header 'NAME: VALUE' adds a field to
# every response, and a field the handler owns is refused at start-up.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	make_docroot
	export DOCROOT
	PAGES=$BATS_FILE_TMPDIR/pages
	mkdir -p "$PAGES/example.com" "$DOCROOT/example.com" "$DOCROOT/_default" \
	    "$BATS_FILE_TMPDIR/outside"
	printf '<!DOCTYPE html>\n<title>Lost</title>\n<h1>Nothing here</h1>\n' > "$PAGES/404.html"
	printf '<h1>bad request, site-wide</h1>\n' > "$PAGES/400.html"
	printf '<h1>example.com has no such page</h1>\n' > "$PAGES/example.com/404.html"
	printf '<h1>forbidden</h1>\n' > "$PAGES/403.html"
	chmod 000 "$PAGES/403.html"
	printf 'SECRET-page-outside\n' > "$BATS_FILE_TMPDIR/outside/405.html"
	ln -s "$BATS_FILE_TMPDIR/outside/405.html" "$PAGES/405.html"
	# A page that is a symlink to a hidden file in the directory.
	mkdir -p "$PAGES/.drafts"
	printf '<h1>draft, not to be shown</h1>\n' > "$PAGES/.drafts/412.html"
	ln -s .drafts/412.html "$PAGES/412.html"
	chmod 755 "$PAGES/.drafts"
	chmod 644 "$PAGES/.drafts/412.html"
	printf 'x\n' > "$DOCROOT/example.com/index.html"
	printf 'y\n' > "$DOCROOT/_default/index.html"
	mkdir -p "$DOCROOT/noindex"
	chmod 755 "$PAGES" "$PAGES/example.com"
	chmod 644 "$PAGES/404.html" "$PAGES/400.html" "$PAGES/example.com/404.html"
	export PAGES
}

setup() {
	WS_ARGS=(--error-pages "$PAGES")
}

# assert_page STATUS REASON FILE: that status with FILE as the body.
assert_page() {
	assert_status "$1" "$2"
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header Content-Length "$(wc -c < "$3")"
	assert_body_file "$3"
	assert_common_headers
}

@test "a custom 404 page has the status and its own length" {
	send 'GET /missing-MARKER-123 HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_page 404 "Not Found" "$PAGES/404.html"
	! grep -aq 'MARKER-123' "$RESP" || fail "the request was reflected"
}

@test "HEAD of a missing page sends the custom page's fields and no body" {
	send 'HEAD /missing HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_status 404 "Not Found"
	assert_header Content-Length "$(wc -c < "$PAGES/404.html")"
	assert_body ''
}

@test "a 400 gets its page too, and nothing of the request" {
	send 'GET /a%%00b-MARKER-400 HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_page 400 "Bad Request" "$PAGES/400.html"
	! grep -aq 'MARKER-400' "$RESP" || fail "the request was reflected"
}

@test "a status without a page, an unreadable page, and a page that leads out get the built-in one" {
	send 'BREW / HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_error_page 501 "Not Implemented"
	# 403.html is mode 000: the handler, as nobody, cannot read it.
	[ "$(id -u)" = 0 ] || skip "needs root for the handler to run as nobody"
	send 'GET /noindex/ HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_error_page 403 Forbidden
	send 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'
	assert_error_page 405 "Method Not Allowed"
	! grep -aq SECRET "$RESP" || fail "a page outside the directory was served"
}

@test "a page that is a symlink to a hidden file gets the built-in one" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: x\r\nIf-Match: "no-such-tag"\r\n\r\n'
	assert_error_page 412 "Precondition Failed"
	! grep -aq draft "$RESP" || fail "the hidden page was served"
}

@test "a page is read at the moment of the error" {
	local page=$PAGES/404.html keep
	keep=$(cat "$page")
	printf '<h1>changed</h1>\n' > "$page"
	send 'GET /missing HTTP/1.1\r\nHost: x\r\n\r\n'
	printf '%s\n' "$keep" > "$page"
	assert_status 404 "Not Found"
	assert_body '<h1>changed</h1>\n'
}

@test "with --vhosts a host's own page comes first, then the site-wide one" {
	WS_ARGS=(--vhosts --error-pages "$PAGES")
	send 'GET /missing HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_page 404 "Not Found" "$PAGES/example.com/404.html"
	send 'GET /missing HTTP/1.1\r\nHost: other.org\r\n\r\n'
	assert_page 404 "Not Found" "$PAGES/404.html"
}

@test "an error pages directory that cannot be opened stops the start with a message" {
	run -1 --separate-stderr "$WEBSERVER" --error-pages "$BATS_FILE_TMPDIR/none" "$DOCROOT" < /dev/null
	[ -z "$output" ] || fail "stdout: $output"
	[[ $stderr == 'webserver: cannot open the error pages directory: '* ]] || fail "stderr: $stderr"
}

# --- --header -----------------------------------------------------------------

@test "--header fields are on 200, 206, 301, 304, 404 and 501" {
	WS_ARGS=(--header 'Strict-Transport-Security: max-age=63072000; includeSubDomains'
	    --header "Content-Security-Policy:   default-src 'self'  " --header 'X-A: 1')
	local etag
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: x\r\n\r\n'
	etag=$(header ETag)
	check_fields() {
		assert_header Strict-Transport-Security 'max-age=63072000; includeSubDomains'
		assert_header Content-Security-Policy "default-src 'self'"
		assert_header X-A 1
	}
	assert_status 200 OK
	check_fields
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n'
	assert_status 206 "Partial Content"
	check_fields
	mkdir -p "$DOCROOT/dir"
	send 'GET /dir HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_status 301 "Moved Permanently"
	check_fields
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n\r\n' "$etag"
	assert_status 304 "Not Modified"
	check_fields
	send 'GET /missing HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_status 404 "Not Found"
	check_fields
	send 'BREW / HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_status 501 "Not Implemented"
	check_fields
	# In the order given, after Server.
	grep -n '' "$RESP.head" | grep -E 'Server|Strict|Content-Security|X-A' | cut -d: -f2 |
		tr '\n' ' ' | grep -qx 'Server Strict-Transport-Security Content-Security-Policy X-A ' ||
		fail "order: $(cat "$RESP.head")"
}

@test "a --header naming a field the handler owns is refused with exit 2" {
	local f
	for f in Content-Length Content-Type Content-Encoding Content-Range Date \
	    Connection Transfer-Encoding ETag Last-Modified Location Vary \
	    content-length LOCATION Server Allow Accept-Ranges X-Content-Type-Options; do
		run -2 --separate-stderr "$WEBSERVER" --header "$f: x" "$DOCROOT" < /dev/null
		[ -z "$output" ] || fail "$f: stdout: $output"
		[ "$stderr" = "webserver: --header '$f: x': the handler sets this field" ] ||
			fail "$f: stderr: $stderr"
	done
}

@test "a --header that is no field is refused with exit 2" {
	local h why
	while IFS='|' read -r h why; do
		h=$(printf '%b' "$h")
		run -2 --separate-stderr "$WEBSERVER" --header "$h" "$DOCROOT" < /dev/null
		[ -z "$output" ] || fail "stdout: $output"
		[ "$stderr" = "webserver: --header '$h': $why" ] || fail "stderr: $stderr"
	done <<-'EOF'
	NoColon|not NAME: VALUE
	: value|not NAME: VALUE
	Bad Name: x|the name is not a token
	Bad(name): x|the name is not a token
	X-A: a\rb|the value holds a control byte
	X-A: a\nSet-Cookie: x=1|the value holds a control byte
	X-A: a\001b|the value holds a control byte
	X-A: a\177b|the value holds a control byte
	EOF
	run -2 --separate-stderr "$WEBSERVER" --header "X-Big: $(head -c 4100 /dev/zero | tr '\0' a)" "$DOCROOT"
	[[ $stderr == *": the fields are over 4096 bytes" ]] || fail "stderr: ${stderr:0:80}"
}

#!/usr/bin/env bats
# Paths: traversal in every spelling, symlinks, hidden names (asked for,
# or where a symlink leads), directories, listings, file kinds and
# permissions; and the same refusals from the handler where openat2()
# fails with ENOSYS (tests/tools/no-openat2), so that it walks the path
# one component at a time.

load test_helper

SECRET_MARK=SECRET-e1f0c9a7-outside-the-root

setup_file() {
	make_docroot
	export DOCROOT
	# Beside the root, never to be served.
	printf '%s\n' "$SECRET_MARK" > "$BATS_FILE_TMPDIR/secret"
	mkdir -p "$BATS_FILE_TMPDIR/outside"
	printf '%s\n' "$SECRET_MARK" > "$BATS_FILE_TMPDIR/outside/secret"

	cd "$DOCROOT" || return 1
	mkdir -p sub empty other list list/subdir list/.hiddendir \
	    '.git' .well-known 'x<y&z' sub/.well-known
	printf 'sub index\n' > sub/index.html
	printf 'sub page\n' > sub/page.txt
	printf 'hidden in sub\n' > sub/.hidden
	printf 'not well known\n' > sub/.well-known/x.txt
	printf 'other index\n' > other/other.html
	printf 'plain index\n' > other/index.html
	printf '[core]\n' > .git/config
	printf 'user:pass\n' > .htpasswd
	printf 'well known\n' > .well-known/x.txt
	for f in 'b.txt' 'a&b<c>.txt' 'Z.txt' "q\"u'o.txt" 'sp ace.txt' .hidden; do
		printf 'x\n' > "list/$f"
	done
	printf 'y\n' > 'x<y&z/f.txt'
	# Symlinks: one that stays inside, and several ways out.
	ln -s sub/page.txt inside-link.txt
	ln -s ../secret outside-rel
	ln -s "$BATS_FILE_TMPDIR/secret" outside-abs
	ln -s .. updir
	ln -s "$BATS_FILE_TMPDIR/outside" outdir
	ln -s sub subdir-link
	# Symlinks inside the root that lead to hidden names: a file, a file
	# up from a subdirectory, directories, an index file; and to
	# /.well-known/, served by the name it leads to.
	printf 'in hiddendir\n' > list/.hiddendir/f.txt
	ln -s .htpasswd dot-link.txt
	ln -s ../.git/config sub/config-link
	ln -s .hidden sub/hidden-link
	ln -s .git git-link
	ln -s list/.hiddendir hiddendir-link
	ln -s list list-link
	mkdir -p hidden-index
	ln -s ../.htpasswd hidden-index/index.html
	ln -s .well-known wk-link
	ln -s ../.well-known sub/wk-link
	ln -s sub/.well-known sub-wk-link
	# Directories named like hosts, as virtual hosts lay them out.
	mkdir -p evil.example '\evil.example' $'caf\303\251 x'
	mkfifo fifo
	printf 'readable\n' > readable.txt
	printf 'unreadable\n' > unreadable.txt
	chmod 644 readable.txt
	chmod 000 unreadable.txt
	chmod 755 "$DOCROOT"
	cd - > /dev/null || return 1

	# The same handler, run as on a kernel without openat2().
	WALK=$BATS_FILE_TMPDIR/webserver-walk
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$TOOLS/no-openat2" "$WEBSERVER" > "$WALK"
	chmod 755 "$WALK"
	export WALK
}

setup() {
	WS_ARGS=()
}

teardown() {
	stop_activator
}

# get PATH: a GET for PATH, over HTTP/1.1.
get() {
	send 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$1"
}

refute_secret() {
	! grep -aqF "$SECRET_MARK" "$RESP" || fail "the secret outside the root was served"
	! grep -aq '^root:' "$RESP" || fail "/etc/passwd was served"
}

# assert_not_found: the exact 404 page, and nothing from outside the root.
assert_not_found() {
	assert_error_page 404 "Not Found"
	assert_common_headers
	refute_header Last-Modified
	refute_header ETag
	refute_secret
}

# assert_file_served FILE: 200 with exactly FILE's bytes.
assert_file_served() {
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Length "$(wc -c < "$1")"
	assert_body_file "$1"
	refute_secret
}

use_walk() {
	need_tool no-openat2
	WEBSERVER=$WALK
}

# Every spelling of a way out of the root.
TRAVERSALS=(
	'/../secret'
	'/../../../../../../../../etc/passwd'
	'/sub/../../secret'
	'/%2e%2e/secret'
	'/%2E%2E%2Fsecret'
	'/%2e%2e%2f%2e%2e%2fetc%2fpasswd'
	'/.%2e/secret'
	'/%2e./secret'
	'/sub/%2e%2e/%2e%2e/secret'
	'/%252e%252e/secret'
	'/%252e%252e%252fsecret'
	'/%c0%ae%c0%ae/secret'
	'/%c0%ae%c0%ae%c0%afsecret'
	'/..\..\secret'
	'/%2e%2e%5c%2e%2e%5csecret'
	'//etc/passwd'
	'/./secret'
	'/..'
	'/../'
)

check_traversals() {
	local p
	for p in "${TRAVERSALS[@]}"; do
		get "$p"
		[ "$(status_line)" = "HTTP/1.1 404 Not Found" ] ||
			fail "$p: expected 404, got '$(status_line)'"
		assert_not_found
	done
}

@test "dot-dot in every spelling and encoding is 404, never a byte from outside" {
	check_traversals
}

@test "dot-dot in an absolute-form target is 404" {
	send 'GET http://localhost/../secret HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_not_found
	send 'GET http://localhost/%%2e%%2e/secret HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_not_found
	send 'GET http://localhost/sub/../../secret HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_not_found
}

@test "an encoded NUL is 400, before any lookup" {
	get '/%00'
	assert_error_page 400 "Bad Request"
	refute_secret
	get '/sub/index.html%00.txt'
	assert_error_page 400 "Bad Request"
	get '/%2e%2e/%00/secret'
	assert_error_page 400 "Bad Request"
	refute_secret
}

@test "HEAD of a traversal is the 404 head without a body" {
	send 'HEAD /%%2e%%2e/secret HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_status 404 "Not Found"
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header Content-Length 107
	assert_body ''
}

@test "a symlink that stays inside the root is served" {
	get /inside-link.txt
	assert_file_served "$DOCROOT/sub/page.txt"
	assert_header Content-Type "text/plain; charset=utf-8"
	get /subdir-link/page.txt
	assert_file_served "$DOCROOT/sub/page.txt"
}

@test "a relative symlink out of the root is 404" {
	get /outside-rel
	assert_not_found
}

@test "an absolute symlink out of the root is 404" {
	get /outside-abs
	assert_not_found
}

@test "a symlinked directory that leads out of the root is 404" {
	get /updir/secret
	assert_not_found
	get /outdir/secret
	assert_not_found
	get /updir/www/HelloWorld.html
	assert_not_found
}

@test "hidden names are 404, in plain and encoded spellings" {
	local p
	for p in /.git/config /.git/ /.git /.htpasswd /%2ehtpasswd /%2Ehtpasswd \
	    /sub/.hidden /sub/%2ehidden /list/.hidden /list/.hiddendir/; do
		get "$p"
		[ "$(status_line)" = "HTTP/1.1 404 Not Found" ] ||
			fail "$p: expected 404, got '$(status_line)'"
		assert_not_found
		! grep -aq 'user:pass\|core\|hidden in sub' "$RESP" || fail "$p: hidden bytes served"
	done
}

@test "/.well-known/ at the top is served, and only there" {
	get /.well-known/x.txt
	assert_file_served "$DOCROOT/.well-known/x.txt"
	assert_header Content-Type "text/plain; charset=utf-8"
	get /%2ewell-known/x.txt
	assert_file_served "$DOCROOT/.well-known/x.txt"
	get /sub/.well-known/x.txt
	assert_not_found
}

# The names above that symlinks lead to a hidden name.
HIDDEN_LINKS=(
	/dot-link.txt
	/sub/config-link
	/sub/hidden-link
	/git-link
	/git-link/
	/git-link/config
	/hiddendir-link/
	/hiddendir-link/f.txt
	/hidden-index/
	/hidden-index/index.html
	/sub-wk-link/x.txt
)

# refute_hidden: not a byte of a hidden file in the last body.
refute_hidden() {
	! grep -aq 'user:pass\|\[core\]\|hidden in sub\|in hiddendir\|not well known' \
		"$RESP.body" || fail "hidden bytes served"
}

# check_hidden PATH...: each is the exact 404, with no hidden byte.
check_hidden() {
	local p
	for p; do
		get "$p"
		[ "$(status_line)" = "HTTP/1.1 404 Not Found" ] ||
			fail "$p: expected 404, got '$(status_line)'"
		assert_not_found
		refute_hidden
	done
}

@test "a symlink to a hidden file is 404; one to an ordinary file is served" {
	check_hidden /dot-link.txt /sub/config-link /sub/hidden-link
	get /inside-link.txt
	assert_file_served "$DOCROOT/sub/page.txt"
	assert_header Content-Type "text/plain; charset=utf-8"
}

@test "a symlinked directory that leads into a hidden one is 404, and every name beneath it" {
	check_hidden /git-link /git-link/ /git-link/config /hiddendir-link/ \
	    /hiddendir-link/f.txt
	get /subdir-link/page.txt
	assert_file_served "$DOCROOT/sub/page.txt"
}

@test "--list does not list a hidden directory that a symlink leads to" {
	WS_ARGS=(--list)
	check_hidden /hiddendir-link/ /git-link/
	# A symlink to an ordinary directory is listed as the directory is.
	get /list/
	sed 's|/list/|/list-link/|g' "$RESP.body" > "$BATS_TEST_TMPDIR/listing"
	get /list-link/
	assert_status 200 OK
	assert_body_file "$BATS_TEST_TMPDIR/listing"
}

@test "an index file that is a symlink to a hidden file makes its directory 404" {
	check_hidden /hidden-index/ /hidden-index/index.html
	WS_ARGS=(--list)
	check_hidden /hidden-index/
}

@test "/.well-known/ reached through a symlink is served; a deeper .well-known is not" {
	get /wk-link/x.txt
	assert_file_served "$DOCROOT/.well-known/x.txt"
	assert_header Content-Type "text/plain; charset=utf-8"
	get /sub/wk-link/x.txt
	assert_file_served "$DOCROOT/.well-known/x.txt"
	check_hidden /sub-wk-link/x.txt
}

@test "under the pool, symlinks to hidden names are 404 and the others are served" {
	start_activator --pool --log none
	local p
	for p in "${HIDDEN_LINKS[@]}"; do
		fetch "$p"
		[ "$CODE" = 404 ] || fail "$p: expected 404, got $CODE"
		assert_error_page 404 "Not Found"
		refute_hidden
	done
	fetch /inside-link.txt
	assert_file_served "$DOCROOT/sub/page.txt"
	fetch /wk-link/x.txt
	assert_file_served "$DOCROOT/.well-known/x.txt"
}

@test "without /proc, a name reached through a symlink is 404; one without is served" {
	[ "$(id -u)" = 0 ] || skip "needs root to mount over /proc in a namespace of its own"
	command -v unshare > /dev/null || skip "no unshare"
	if ldd "$WEBSERVER" 2>/dev/null | grep -q libasan; then
		skip "the sanitizer runtime reads /proc itself"
	fi
	# noproc PATH: GET PATH from a handler that sees an empty /proc.
	noproc() {
		printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$1" > "$BATS_TEST_TMPDIR/req"
		RESP=$BATS_TEST_TMPDIR/resp
		unshare --mount --propagation private sh -c \
		    'mount -t tmpfs none /proc && exec "$0" "$@"' "$WEBSERVER" "$DOCROOT" \
		    < "$BATS_TEST_TMPDIR/req" > "$RESP" 2> "$BATS_TEST_TMPDIR/log"
		split_response "$RESP"
	}
	noproc /inside-link.txt
	assert_not_found
	noproc /dot-link.txt
	assert_not_found
	refute_hidden
	noproc /sub/page.txt
	assert_file_served "$DOCROOT/sub/page.txt"
}

@test "a directory without its slash is 301 to the slash form" {
	get /sub
	assert_error_page 301 "Moved Permanently"
	assert_common_headers
	assert_header Location /sub/
}

@test "the 301 keeps the query" {
	get '/sub?x=1'
	assert_error_page 301 "Moved Permanently"
	assert_header Location '/sub/?x=1'
	get '/sub?a=1&b=%20'
	assert_header Location '/sub/?a=1&b=%20'
}

@test "a 301 never points to another host: // in the target is not kept" {
	get //evil.example
	assert_error_page 301 "Moved Permanently"
	assert_header Location /evil.example/
	get '//evil.example?x=1'
	assert_header Location '/evil.example/?x=1'
	get ///evil.example
	assert_header Location /evil.example/
	get /%2F%2Fevil.example
	assert_header Location /evil.example/
	get /sub//../evil.example
	assert_not_found
}

@test "a 301 for an absolute-form target is built from the normalized path" {
	get http://localhost//evil.example
	assert_error_page 301 "Moved Permanently"
	assert_header Location /evil.example/
	get 'http://localhost//evil.example?q'
	assert_header Location '/evil.example/?q'
}

@test "a 301 percent-encodes the path: no backslash, space or raw UTF-8" {
	get /%5Cevil.example
	assert_error_page 301 "Moved Permanently"
	assert_header Location /%5Cevil.example/
	get '/caf%C3%A9%20x'
	assert_header Location /caf%C3%A9%20x/
}

@test "a directory with its slash serves its index.html" {
	get /sub/
	assert_file_served "$DOCROOT/sub/index.html"
	assert_header Content-Type "text/html; charset=utf-8"
	get /
	assert_file_served "$DOCROOT/index.html"
}

@test "a directory without an index is 403" {
	get /empty/
	assert_error_page 403 Forbidden
	assert_common_headers
	get /list/
	assert_error_page 403 Forbidden
}

@test "--index NAME serves that file, and index.html no longer counts" {
	WS_ARGS=(--index other.html)
	get /other/
	assert_file_served "$DOCROOT/other/other.html"
	assert_header Content-Type "text/html; charset=utf-8"
	get /sub/
	assert_error_page 403 Forbidden
}

@test "--list shows a sorted, escaped listing without hidden names" {
	WS_ARGS=(--list)
	get /list/
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header X-Content-Type-Options nosniff
	assert_body '%s\n' \
	    '<!DOCTYPE html>' \
	    '<html><head><meta charset="utf-8"><title>Index of /list/</title></head>' \
	    '<body><h1>Index of /list/</h1>' \
	    '<ul>' \
	    '<li><a href="Z.txt">Z.txt</a></li>' \
	    '<li><a href="a%26b%3Cc%3E.txt">a&amp;b&lt;c&gt;.txt</a></li>' \
	    '<li><a href="b.txt">b.txt</a></li>' \
	    '<li><a href="q%22u%27o.txt">q&quot;u&#39;o.txt</a></li>' \
	    '<li><a href="sp%20ace.txt">sp ace.txt</a></li>' \
	    '<li><a href="subdir/">subdir/</a></li>' \
	    '</ul>' \
	    '</body></html>'
	assert_header Content-Length "$(wc -c < "$RESP.body")"
}

@test "--list escapes the directory name in the title" {
	WS_ARGS=(--list)
	get '/x%3Cy&z/'
	assert_status 200 OK
	assert_body '%s\n' \
	    '<!DOCTYPE html>' \
	    '<html><head><meta charset="utf-8"><title>Index of /x&lt;y&amp;z/</title></head>' \
	    '<body><h1>Index of /x&lt;y&amp;z/</h1>' \
	    '<ul>' \
	    '<li><a href="f.txt">f.txt</a></li>' \
	    '</ul>' \
	    '</body></html>'
}

@test "--list of an empty directory is an empty list; an index still wins" {
	WS_ARGS=(--list)
	get /empty/
	assert_status 200 OK
	assert_body '%s\n' \
	    '<!DOCTYPE html>' \
	    '<html><head><meta charset="utf-8"><title>Index of /empty/</title></head>' \
	    '<body><h1>Index of /empty/</h1>' \
	    '<ul>' \
	    '</ul>' \
	    '</body></html>'
	get /sub/
	assert_file_served "$DOCROOT/sub/index.html"
}

@test "HEAD of a listing has its headers and no body" {
	WS_ARGS=(--list)
	get /empty/
	local len
	len=$(wc -c < "$RESP.body")
	send 'HEAD /empty/ HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_status 200 OK
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header Content-Length "$len"
	assert_body ''
}

@test "a FIFO is 403, without blocking on it" {
	local start=$SECONDS
	get /fifo
	assert_error_page 403 Forbidden
	assert_common_headers
	[ $((SECONDS - start)) -lt 10 ] || fail "the FIFO request took $((SECONDS - start)) s"
}

@test "a file that cannot be read is 403" {
	if [ "$(id -u)" -ne 0 ]; then
		get /unreadable.txt
		assert_error_page 403 Forbidden
		get /readable.txt
		assert_file_served "$DOCROOT/readable.txt"
		return
	fi
	# As root every file is readable: run the handler as nobody, from
	# inside the root (the temporary directories above it are private).
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$WEBSERVER" ||
		skip "the handler at $WEBSERVER is not executable by an unprivileged user"
	RESP=$BATS_TEST_TMPDIR/resp
	printf 'GET /unreadable.txt HTTP/1.1\r\nHost: localhost\r\n\r\n' |
		(cd "$DOCROOT" && timeout 20 setpriv --reuid=65534 --regid=65534 \
		    --clear-groups "$WEBSERVER" .) > "$RESP" 2> "$BATS_TEST_TMPDIR/log"
	split_response "$RESP"
	assert_error_page 403 Forbidden
	# The same user does get a readable file, so the 403 is the mode's.
	printf 'GET /readable.txt HTTP/1.1\r\nHost: localhost\r\n\r\n' |
		(cd "$DOCROOT" && timeout 20 setpriv --reuid=65534 --regid=65534 \
		    --clear-groups "$WEBSERVER" .) > "$RESP" 2> "$BATS_TEST_TMPDIR/log"
	split_response "$RESP"
	assert_file_served "$DOCROOT/readable.txt"
}

@test "a missing file is 404" {
	get /no-such-file.html
	assert_not_found
	get /sub/page.txt/more
	assert_not_found
	get /no-such-dir/
	assert_not_found
}

@test "without openat2 (ENOSYS fallback): dot-dot in every spelling is 404" {
	use_walk
	check_traversals
	send 'GET http://localhost/../secret HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_not_found
}

@test "without openat2 (ENOSYS fallback): symlinks out of the root are 404" {
	use_walk
	local p
	for p in /outside-rel /outside-abs /updir/secret /outdir/secret; do
		get "$p"
		[ "$(status_line)" = "HTTP/1.1 404 Not Found" ] ||
			fail "$p: expected 404, got '$(status_line)'"
		assert_not_found
	done
}

@test "without openat2 (ENOSYS fallback): the walk follows no symlink, so even one inside the root is 404" {
	use_walk
	get /inside-link.txt
	assert_not_found
	get /subdir-link/page.txt
	assert_not_found
	get /wk-link/x.txt
	assert_not_found
	check_hidden "${HIDDEN_LINKS[@]}"
}

@test "without openat2 (ENOSYS fallback): files, indexes, directories and hidden names behave the same" {
	use_walk
	get /sub/page.txt
	assert_file_served "$DOCROOT/sub/page.txt"
	get /sub/
	assert_file_served "$DOCROOT/sub/index.html"
	get /sub
	assert_error_page 301 "Moved Permanently"
	assert_header Location /sub/
	get /empty/
	assert_error_page 403 Forbidden
	get /.htpasswd
	assert_not_found
	get /.well-known/x.txt
	assert_file_served "$DOCROOT/.well-known/x.txt"
	get /fifo
	assert_error_page 403 Forbidden
	get /no-such-file.html
	assert_not_found
}

@test "a listing that cannot be built (no descriptor left) is 500 with no detail" {
	if ldd "$WEBSERVER" 2>/dev/null | grep -q libasan; then
		skip "the sanitizer runtime holds descriptors of its own"
	fi
	mkdir -p "$DOCROOT/nolist"
	printf 'x\n' > "$DOCROOT/nolist/a.txt"
	printf 'GET /nolist/ HTTP/1.1\r\nHost: localhost\r\n\r\n' > "$BATS_TEST_TMPDIR/req"
	RESP=$BATS_TEST_TMPDIR/resp
	# fds 0-2, the root and the directory fit in 5; the listing's own
	# descriptor does not.
	(exec_clean bash -c 'ulimit -n 5 && exec "$0" "$@"' "$WEBSERVER" --list "$DOCROOT") \
		< "$BATS_TEST_TMPDIR/req" > "$RESP" 2> "$BATS_TEST_TMPDIR/log"
	split_response "$RESP"
	assert_error_page 500 "Internal Server Error"
	! grep -aqi 'too many\|errno\|nolist' "$RESP" || fail "detail in the page"
}

#!/usr/bin/env bats
# --vhosts: one directory per host name under the root, DOCROOT/_default
# for a name without one; every spelling of a host folds to one directory,
# and anything else is refused.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	make_docroot
	export DOCROOT
	local d=$DOCROOT
	mkdir -p "$d/example.com/sub" "$d/other.org" "$d/_default" "$d/[::1]" \
	    "$d/192.0.2.1" "$d/list.org/dir" "$BATS_FILE_TMPDIR/outside"
	printf 'example.com\n' > "$d/example.com/index.html"
	printf 'example sub\n' > "$d/example.com/sub/index.html"
	printf 'other.org\n' > "$d/other.org/index.html"
	printf 'default\n' > "$d/_default/index.html"
	printf 'ipv6 loopback\n' > "$d/[::1]/index.html"
	printf 'ipv4\n' > "$d/192.0.2.1/index.html"
	printf 'a\n' > "$d/list.org/dir/a.txt"
	printf 'SECRET-outside-vhost\n' > "$BATS_FILE_TMPDIR/outside/index.html"
	# A host directory that is a symlink out of the root, and one that
	# stays inside.
	ln -s "$BATS_FILE_TMPDIR/outside" "$d/escape.org"
	ln -s example.com "$d/alias.org"
	# And one that is a symlink to a hidden directory.
	mkdir -p "$d/.staging"
	printf 'SECRET-hidden-vhost\n' > "$d/.staging/index.html"
	ln -s .staging "$d/hidden.org"
}

setup() {
	WS_ARGS=(--vhosts)
}

teardown() {
	stop_activator
}

# host VALUE [PATH]: GET PATH (default /) with Host: VALUE.
host() {
	send 'GET %s HTTP/1.1\r\nHost: %s\r\n\r\n' "${2:-/}" "$1"
}

# assert_site NAME: 200 with the index of the directory NAME.
assert_site() {
	assert_status 200 OK
	assert_body_file "$DOCROOT/$1/index.html"
}

@test "a host is served from its own directory; two hosts see different files" {
	host example.com
	assert_site example.com
	host other.org
	assert_site other.org
}

@test "every spelling of a host folds to one directory: case, port, final dot" {
	local h
	for h in example.com EXAMPLE.COM Example.Com:8080 example.com. example.com.:443 example.com:; do
		host "$h"
		assert_site example.com
	done
}

@test "IP addresses: IPv4 canonical, IPv6 literal in brackets" {
	host 192.0.2.1
	assert_site 192.0.2.1
	host '[::1]:8080'
	assert_site '[::1]'
	host '[0:0:0:0:0:0:0:1]'
	assert_site '[::1]'
}

@test "the absolute form's authority overrides Host" {
	send 'GET http://other.org/ HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_site other.org
	send 'GET http://EXAMPLE.com:80/sub/ HTTP/1.1\r\nHost: other.org\r\n\r\n'
	assert_status 200 OK
	assert_body 'example sub\n'
}

@test "a valid name without a directory, and HTTP/1.0 without Host, go to _default" {
	host nowhere.example
	assert_site _default
	send 'GET / HTTP/1.0\r\n\r\n'
	assert_site _default
}

@test "names that are no host name get 400" {
	local h
	for h in '' '..' '.' 'a..b' '.example.com' 'example.com..' '%2e%2e' 'a%2fb' \
	    'a_b' '-a.example' 'a-.example' '192.0.2.01' '1.2.3' '[v1.x]' '[::1' \
	    '_default' "$(printf 'a%.0s' $(seq 1 64)).example" \
	    "$(printf 'abcdefghi.%.0s' $(seq 1 25))abcd"; do
		host "$h"
		assert_error_page 400 "Bad Request"
	done
	# Bytes the request parser refuses before the name is looked at.
	for h in 'a/b' 'a\\b' 'a b'; do
		host "$h"
		assert_error_page 400 "Bad Request"
	done
}

@test "a name of 253 bytes is served; a label of 63 bytes too" {
	local name
	name="$(printf 'abcdefghi.%.0s' $(seq 1 25))abc"
	[ "${#name}" -eq 253 ] || fail "length ${#name}"
	host "$name"
	assert_site _default
	host "$(printf 'a%.0s' $(seq 1 63)).example"
	assert_site _default
}

@test "a host directory that is a symlink out of the root is not served" {
	host escape.org
	assert_error_page 404 "Not Found"
	! grep -q SECRET "$RESP" || fail "the outside was served"
	# One that stays inside the root is.
	host alias.org
	assert_site example.com
}

@test "a host directory that is a symlink to a hidden directory is not served" {
	local p
	for p in / /index.html; do
		host hidden.org "$p"
		assert_error_page 404 "Not Found"
		! grep -q SECRET "$RESP" || fail "the hidden directory was served"
	done
	WS_ARGS=(--vhosts --list)
	host hidden.org /
	assert_error_page 404 "Not Found"
}

@test "under the pool, a host directory that is a symlink to a hidden one is 404" {
	start_activator --pool --vhosts --log none
	fetch / -H 'Host: hidden.org'
	assert_error_page 404 "Not Found"
	fetch / -H 'Host: alias.org'
	assert_site example.com
}

@test "the 301, listings and conditionals work per host" {
	host example.com /sub
	assert_error_page 301 "Moved Permanently"
	assert_header Location /sub/
	WS_ARGS=(--vhosts --list)
	host list.org /dir/
	assert_status 200 OK
	grep -q '<a href="a.txt">a.txt</a>' "$RESP.body" || fail "$(cat "$RESP.body")"
	WS_ARGS=(--vhosts)
	host other.org
	local etag
	etag=$(header ETag)
	send 'GET / HTTP/1.1\r\nHost: other.org\r\nIf-None-Match: %s\r\n\r\n' "$etag"
	assert_status 304 "Not Modified"
	send 'GET / HTTP/1.1\r\nHost: example.com\r\nIf-None-Match: %s\r\n\r\n' "$etag"
	assert_site example.com
}

@test "the access line names the host first, as vhost_combined does" {
	host EXAMPLE.com:8080
	run -0 cat "$LOG"
	[[ $output =~ ^example\.com\ -\ -\ -\ \[[^]]+\]\ \"GET\ /\ HTTP/1\.1\"\ 200\ 12\ \"-\"\ \"-\"$ ]] ||
		fail "log: $output"
	send 'GET / HTTP/1.0\r\n\r\n'
	run -0 cat "$LOG"
	[[ $output == '- - - - ['* ]] || fail "log: $output"
	REMOTE_ADDR=192.0.2.9 host nowhere.example
	run -0 cat "$LOG"
	[[ $output == 'nowhere.example 192.0.2.9 - - ['* ]] || fail "log: $output"
}

@test "without --vhosts a directory named like a host is an ordinary directory" {
	WS_ARGS=()
	host example.com /example.com/
	assert_site example.com
	host example.com /
	assert_status 200 OK
	assert_body_file "$DOCROOT/index.html"
}

#!/usr/bin/env bats
# The command line: webserver [--timeout SEC] [--index NAME] [--list]
# [--log SINK] [--version] [--help] [DOCROOT].

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	make_docroot
	export DOCROOT
	printf 'home\n' > "$DOCROOT/home.html"
}

setup() {
	WS_ARGS=()
	REQ=$BATS_TEST_TMPDIR/req
	printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n' > "$REQ"
}

# The usage text's first line.
USAGE1='usage: webserver [--timeout SEC] [--index NAME] [--list] [--log SINK]'

# assert_usage_error ARGS...: exit 2, usage on stderr, nothing on stdout,
# and no request read or answered.
assert_usage_error() {
	run -2 --separate-stderr "$WEBSERVER" "$@" < "$REQ"
	[ -z "$output" ] || fail "stdout for $*: $output"
	[ "${stderr_lines[0]:-}" = "$USAGE1" ] || fail "stderr for $*: $stderr"
}

@test "--help prints the usage on stdout and exits 0" {
	run -0 --separate-stderr "$WEBSERVER" --help < "$REQ"
	[ -z "$stderr" ] || fail "stderr: $stderr"
	[ "${lines[0]}" = "$USAGE1" ] || fail "first line: ${lines[0]}"
	[ "${lines[1]}" = '                 [--user NAME] [--min-rate BYTES] [--max-time SEC]' ] || fail "second line: ${lines[1]}"
	[ "${lines[2]}" = '                 [--keep-alive N] [--keep-alive-timeout SEC]' ] || fail "third line: ${lines[2]}"
	[ "${lines[3]}" = '                 [--idle-exit SEC] [--max-children N] [--max-per-source N]' ] || fail "fourth line: ${lines[3]}"
	[ "${lines[4]}" = '                 [--proxy-protocol] [--vhosts] [--precompressed]' ] || fail "fifth line: ${lines[4]}"
	[ "${lines[5]}" = "                 [--error-pages DIR] [--header 'NAME: VALUE']..." ] || fail "sixth line: ${lines[5]}"
	[ "${lines[6]}" = '                 [--tls-cert FILE [--tls-key FILE]]... [--tls-ticket-keys FILE]' ] || fail "seventh line: ${lines[6]}"
	[ "${lines[7]}" = '                 [--version] [--help] [DOCROOT]' ] || fail "eighth line: ${lines[7]}"
	local opt
	for opt in --timeout --index --list --log --user --min-rate --max-time \
	    --keep-alive --keep-alive-timeout --idle-exit --max-children --max-per-source --proxy-protocol --vhosts \
	    --precompressed --error-pages --header --tls-cert --tls-key --tls-ticket-keys \
	    --version --help DOCROOT; do
		assert_output --partial "  $opt"
	done
	refute_output --partial 'HTTP/1.1 200'
}

@test "--version prints webserver 1.0.0 and exits 0" {
	run -0 --separate-stderr "$WEBSERVER" --version < "$REQ"
	[ "$output" = "webserver 1.0.0" ] || fail "stdout: $output"
	[ -z "$stderr" ] || fail "stderr: $stderr"
	"$WEBSERVER" --version > "$BATS_TEST_TMPDIR/out" < /dev/null
	printf 'webserver 1.0.0\n' | cmp -s - "$BATS_TEST_TMPDIR/out" || fail "not exactly one line"
}

@test "an unknown option prints the usage on stderr and exits 2" {
	assert_usage_error --bogus "$DOCROOT"
	assert_usage_error -x "$DOCROOT"
	assert_usage_error --list=yes "$DOCROOT"
}

@test "a bad --timeout prints the usage and exits 2" {
	local v
	for v in 0 3601 -1 abc 5s '' 1.5 99999999999999999999; do
		assert_usage_error --timeout "$v" "$DOCROOT"
	done
	assert_usage_error --timeout
}

@test "--timeout 1, --timeout=3600 and --timeout 10 are accepted" {
	local a
	for a in '--timeout 1' '--timeout=3600' '--timeout 10'; do
		# shellcheck disable=SC2206
		WS_ARGS=($a)
		send_file "$REQ"
		assert_status 200 OK
		assert_common_headers
		assert_body_file "$DOCROOT/HelloWorld.html"
	done
}

@test "bad values of the rate, time and pool options print the usage and exit 2" {
	local a
	for a in '--min-rate x' '--min-rate -1' '--min-rate 1073741825' '--max-time 0' \
	    '--max-time 86401' '--idle-exit 86401' '--idle-exit 1s' '--max-children 0' \
	    '--max-children 4097' '--max-per-source 0' '--max-per-source 4097' \
	    '--proxy-protocol=yes' '--min-rate' '--max-time=' '--keep-alive 0' \
	    '--keep-alive 10001' '--keep-alive x' '--keep-alive' '--keep-alive-timeout 0' \
	    '--keep-alive-timeout 301' '--keep-alive-timeout=1.5'; do
		# shellcheck disable=SC2086
		assert_usage_error $a
	done
}

@test "the rate, time and pool options accept their bounds" {
	local a
	for a in '--min-rate 0' '--min-rate=1073741824' '--max-time 1' '--max-time=86400' \
	    '--idle-exit 0' '--idle-exit 86400' '--max-children 1' '--max-children 4096' \
	    '--max-per-source 4096' '--proxy-protocol' '--keep-alive 1' '--keep-alive=10000' \
	    '--keep-alive-timeout 1' '--keep-alive-timeout 300'; do
		# shellcheck disable=SC2086
		run -0 --separate-stderr "$WEBSERVER" $a --log none "$DOCROOT" < "$REQ"
		[[ ${lines[0]} == $'HTTP/1.1 '* ]] || fail "$a: ${lines[0]:-no answer}"
	done
}

@test "a bad --index prints the usage and exits 2" {
	assert_usage_error --index '' "$DOCROOT"
	assert_usage_error --index a/b.html "$DOCROOT"
	assert_usage_error --index / "$DOCROOT"
	assert_usage_error --index .hidden.html "$DOCROOT"
	assert_usage_error --index .. "$DOCROOT"
	assert_usage_error --index "$(head -c 256 /dev/zero | tr '\0' a)" "$DOCROOT"
	assert_usage_error --index
}

@test "--index NAME serves NAME for a directory; 255 bytes is the longest name" {
	WS_ARGS=(--index home.html)
	send 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Length 5
	assert_body 'home\n'
	WS_ARGS=(--index "$(head -c 255 /dev/zero | tr '\0' a)")
	send 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error_page 403 Forbidden
}

@test "a bad --log prints the usage and exits 2" {
	assert_usage_error --log file "$DOCROOT"
	assert_usage_error --log '' "$DOCROOT"
	assert_usage_error --log STDERR "$DOCROOT"
	assert_usage_error --log
}

@test "two DOCROOTs print the usage and exit 2" {
	assert_usage_error "$DOCROOT" "$DOCROOT"
	assert_usage_error --list "$DOCROOT" /
}

@test "a missing DOCROOT exits non-zero with a message on stderr and nothing on stdout" {
	run -1 --separate-stderr "$WEBSERVER" "$BATS_TEST_TMPDIR/nonexistent" < "$REQ"
	[ -z "$output" ] || fail "stdout: $output"
	[ "$stderr" = 'webserver: cannot open the document root: No such file or directory' ] ||
		fail "stderr: $stderr"
}

@test "a DOCROOT that is a file exits non-zero with a message on stderr" {
	run -1 --separate-stderr "$WEBSERVER" "$DOCROOT/HelloWorld.html" < "$REQ"
	[ -z "$output" ] || fail "stdout: $output"
	[ "$stderr" = 'webserver: cannot open the document root: Not a directory' ] ||
		fail "stderr: $stderr"
}

@test "DOCROOT defaults to the current directory" {
	RESP=$BATS_TEST_TMPDIR/resp
	(cd "$DOCROOT" && timeout 20 "$WEBSERVER" < "$REQ" > "$RESP" 2> "$BATS_TEST_TMPDIR/log")
	split_response "$RESP"
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Length 170
	assert_body_file "$DOCROOT/HelloWorld.html"
	(cd "$DOCROOT" && timeout 20 "$WEBSERVER" --log none < "$REQ" > "$RESP")
	split_response "$RESP"
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
}

@test "options may follow DOCROOT, and -- ends the options" {
	WS_ARGS=()
	RESP=$BATS_TEST_TMPDIR/resp
	timeout 20 "$WEBSERVER" "$DOCROOT" --index home.html < <(printf 'GET / HTTP/1.0\r\n\r\n') > "$RESP" 2>/dev/null
	split_response "$RESP"
	assert_status 200 OK
	assert_body 'home\n'
	timeout 20 "$WEBSERVER" -- "$DOCROOT" < "$REQ" > "$RESP" 2>/dev/null
	split_response "$RESP"
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
}

@test "--list is accepted and lists a directory without an index" {
	mkdir -p "$DOCROOT/empty"
	WS_ARGS=(--list)
	send 'GET /empty/ HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header Content-Length "$(wc -c < "$RESP.body")"
	WS_ARGS=()
	send 'GET /empty/ HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error_page 403 Forbidden
}

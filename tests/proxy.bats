#!/usr/bin/env bats
# --proxy-protocol: the PROXY header (v1 and v2) before the request names
# the client, in every mode; without a valid header the connection gets
# 400; without the option a PROXY line is an invalid request.

bats_require_minimum_version 1.5.0
load test_helper

SIG='\r\n\r\n\0\r\nQUIT\n'
V2_TCP4='\x21\x11\x00\x0c\xc0\x00\x02\x07\xc6\x33\x64\x02\xdc\x04\x01\xbb'
GET='GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n\r\n'

setup_file() {
	make_docroot
	export DOCROOT
}

setup() {
	WS_ARGS=(--proxy-protocol)
	: > "$BATS_FILE_TMPDIR/activator.log"
}

teardown() {
	stop_activator || true
}

# The last access line's client address (first field) and its last field.
log_client() { awk 'END { print $1 }' "$1"; }
log_port() { awk 'END { print $NF }' "$1"; }

@test "a v1 header names the client and its port in the log; the request is served" {
	send "PROXY TCP4 192.0.2.7 198.51.100.2 51234 443\\r\\n$GET"
	assert_hello
	run -0 cat "$LOG"
	[[ $output =~ ^192\.0\.2\.7\ -\ -\ \[[^]]+\]\ \"GET\ /HelloWorld\.html\ HTTP/1\.1\"\ 200\ 170\ \"-\"\ \"-\"\ 51234$ ]] ||
		fail "log: $output"
	send "PROXY TCP6 2001:DB8:0:0::7 ::1 65535 443\\r\\n$GET"
	assert_hello
	[ "$(log_client "$LOG")" = 2001:db8::7 ] || fail "$(cat "$LOG")"
	[ "$(log_port "$LOG")" = 65535 ] || fail "$(cat "$LOG")"
}

@test "an IPv4-mapped client in a v1 or v2 header is logged as IPv4, as a socket peer is" {
	send "PROXY TCP6 ::ffff:192.0.2.9 ::1 51234 443\\r\\n$GET"
	assert_hello
	[ "$(log_client "$LOG")" = 192.0.2.9 ] || fail "$(cat "$LOG")"
	send "$SIG"'\x21\x21\x00\x24\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\x00\x02\x09\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01\xc8\x22\x01\xbb'"$GET"
	assert_hello
	[ "$(log_client "$LOG")" = 192.0.2.9 ] || fail "$(cat "$LOG")"
	[ "$(log_port "$LOG")" = 51234 ] || fail "$(cat "$LOG")"
}

@test "a v2 header names the client; its TLVs are skipped" {
	send "$SIG$V2_TCP4$GET"
	assert_hello
	[ "$(log_client "$LOG")" = 192.0.2.7 ] || fail "$(cat "$LOG")"
	[ "$(log_port "$LOG")" = 56324 ] || fail "$(cat "$LOG")"
	# ALPN "h2", an empty NOOP, and an SSL TLV with a sub-TLV: 19 bytes.
	send "$SIG"'\x21\x11\x00\x1f\xc0\x00\x02\x07\xc6\x33\x64\x02\xdc\x04\x01\xbb\x01\x00\x02h2\x04\x00\x00\x20\x00\x08\x01\x00\x00\x00\x00\x21\x00\x00'"$GET"
	assert_hello
	[ "$(log_client "$LOG")" = 192.0.2.7 ] || fail "$(cat "$LOG")"
}

@test "a v2 LOCAL header (a health check) keeps the connection's own address" {
	REMOTE_ADDR=10.9.8.7 send "$SIG"'\x20\x00\x00\x00'"$GET"
	assert_hello
	[ "$(log_client "$LOG")" = 10.9.8.7 ] || fail "$(cat "$LOG")"
	[ "$(log_port "$LOG")" = - ] || fail "$(cat "$LOG")"
	send 'PROXY UNKNOWN\r\n'"$GET"
	assert_hello
}

@test "without a header, with --proxy-protocol: 400, and the line is logged" {
	send "$GET"
	assert_error_page 400 "Bad Request"
	run -0 cat "$LOG"
	[[ $output =~ ^-\ -\ -\ \[[^]]+\]\ \"GET\ /HelloWorld\.html\ HTTP/1\.1\"\ 400\ 111\ \"-\"\ \"-\"\ -$ ]] ||
		fail "log: $output"
}

@test "a v1 header one byte over 107 gets 400" {
	local pad
	pad=$(printf '%092d' 0)
	send "PROXY UNKNOWN $pad\\r\\n$GET"
	assert_error_page 400 "Bad Request"
	pad=$(printf '%091d' 0)
	send "PROXY UNKNOWN $pad\\r\\n$GET"
	assert_hello
}

@test "malformed headers get 400: addresses, ports, spaces, the v2 version, family and TLVs" {
	local h
	for h in 'PROXY TCP4 192.0.2.007 198.51.100.2 1 2\r\n' \
	    'PROXY TCP4 192.0.2.7 198.51.100.2 65536 2\r\n' \
	    'PROXY TCP4 192.0.2.7  198.51.100.2 1 2\r\n' \
	    'PROXY TCP4 192.0.2.7 198.51.100.2 1 2\n' \
	    'PROXY TCP6 192.0.2.7 ::1 1 2\r\n' \
	    "$SIG"'\x11\x11\x00\x0c' "$SIG"'\x21\x51\x00\x0c' \
	    "$SIG"'\x21\x11\x00\x10\xc0\x00\x02\x07\xc6\x33\x64\x02\xdc\x04\x01\xbb\x01\x00\x05h2'; do
		send "$h$GET"
		assert_error_page 400 "Bad Request"
	done
}

@test "a v2 header cut short gets 400, at its end or at the timeout" {
	send "$SIG"'\x21\x11\x00\x0c\xc0\x00'
	assert_error_page 400 "Bad Request"
	start_activator --inetd --proxy-protocol --timeout 2
	local t0=$SECONDS
	run -0 timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; printf "$2" >&5; cat <&5' \
		- "$PORT" "$SIG"'\x21\x11\x00\x0c\xc0\x00'
	[ $((SECONDS - t0)) -le 5 ] || fail "took $((SECONDS - t0)) s"
	[[ ${lines[0]} == $'HTTP/1.1 400 Bad Request\r' ]] || fail "$output"
}

@test "without --proxy-protocol a PROXY line is an invalid request: 400" {
	WS_ARGS=()
	send "PROXY TCP4 192.0.2.7 198.51.100.2 51234 443\\r\\n$GET"
	assert_error_page 400 "Bad Request"
	send "$SIG$V2_TCP4$GET"
	assert_error_page 400 "Bad Request"
}

# curl_proxied MODE: under MODE, curl from 127.0.0.5 with a v1 header gets
# the page, and the access line names 127.0.0.5 with curl's port.
curl_proxied() {
	start_activator "$1" --proxy-protocol
	run -0 curl -sS --max-time 5 --haproxy-protocol --interface 127.0.0.5 \
		-o "$BATS_TEST_TMPDIR/body" -w '%{http_code} %{local_port}' \
		"http://127.0.0.1:$PORT/HelloWorld.html"
	local port=${output#* }
	[ "${output% *}" = 200 ] || fail "status $output"
	cmp -s "$BATS_TEST_TMPDIR/body" "$DOCROOT/HelloWorld.html" || fail "body differs"
	local i
	for i in $(seq 1 50); do
		grep -q 'GET /HelloWorld' "$BATS_FILE_TMPDIR/activator.log" && break
		sleep 0.1
	done
	run -0 grep 'GET /HelloWorld' "$BATS_FILE_TMPDIR/activator.log"
	[[ $output =~ ^127\.0\.0\.5\ -\ -\ .*\ \"curl/[^\"]*\"\ $port$ ]] || fail "log: $output"
}

@test "inetd style: curl --haproxy-protocol from 127.0.0.5 is logged as 127.0.0.5" {
	curl_proxied --inetd
}

@test "LISTEN_FDS: curl --haproxy-protocol from 127.0.0.5 is logged as 127.0.0.5" {
	curl_proxied --fds
}

@test "pool: curl --haproxy-protocol from 127.0.0.5 is logged as 127.0.0.5" {
	curl_proxied --pool
}

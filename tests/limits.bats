#!/usr/bin/env bats
# Limits: each at and just past its boundary (src/config.h), request bodies,
# and the time limit on the request head.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	make_docroot
	export DOCROOT
}

setup() {
	WS_ARGS=()
	WRITER=
	REQ=$BATS_TEST_TMPDIR/req
}

teardown() {
	if [ -n "${WRITER:-}" ]; then
		kill "$WRITER" 2>/dev/null || true
		wait "$WRITER" 2>/dev/null || true
	fi
	stop_activator || true
}

# pad N: N bytes of 'a'.
pad() {
	head -c "$1" /dev/zero | tr '\0' a
}

assert_error() {
	assert_error_page "$1" "$2"
	assert_common_headers
}

# line_of LEN [EOL]: a request line of exactly LEN bytes (line end
# excluded) for /HelloWorld.html, padded in the query, then Host.
line_of() {
	local eol=${2:-'\r\n'}
	{
		printf 'GET /HelloWorld.html?'
		pad $(($1 - 30))
		# shellcheck disable=SC2059
		printf " HTTP/1.1$eol"
		# shellcheck disable=SC2059
		printf "Host: example.com$eol$eol"
	} > "$REQ"
	[ "$(head -n1 "$REQ" | tr -d '\r\n' | wc -c)" -eq "$1" ] || fail "bad request line"
}

# fields_of LEN: a header section of exactly LEN bytes (field lines with
# their CRLFs, the final empty line excluded): Host, then one long field.
fields_of() {
	{
		printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nX-Big: '
		pad $(($1 - 19 - 9))
		printf '\r\n\r\n'
	} > "$REQ"
}

# count_of N: a head with exactly N field lines, Host among them.
count_of() {
	local i
	{
		printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n'
		for ((i = 2; i <= $1; i++)); do
			printf 'X-Field-%d: %d\r\n' "$i" "$i"
		done
		printf '\r\n'
	} > "$REQ"
}

# elapsed_ms START_NS: milliseconds since START_NS (date +%s%N).
elapsed_ms() {
	echo $((($(date +%s%N) - $1) / 1000000))
}

# --- Request line ----------------------------------------------------------

@test "a request line of 8192 bytes is served" {
	line_of 8192
	send_file "$REQ"
	assert_hello
}

@test "a request line of 8193 bytes gets 414" {
	line_of 8193
	send_file "$REQ"
	assert_error 414 "URI Too Long"
}

@test "with bare LF line ends the request-line limit is the same" {
	line_of 8192 '\n'
	send_file "$REQ"
	assert_hello
	line_of 8193 '\n'
	send_file "$REQ"
	assert_error 414 "URI Too Long"
}

@test "a request line far over the limit and never ended gets 414" {
	{ printf 'GET /'; pad 20000; } > "$REQ"
	send_file "$REQ"
	assert_error 414 "URI Too Long"
}

@test "a long request line is logged cut short, on one line" {
	line_of 8193
	send_file "$REQ"
	run -0 wc -l < "$LOG"
	assert_output 1
	run -0 wc -c < "$LOG"
	[ "$output" -le 4097 ] || fail "log line of $output bytes"
	grep -q '^- - - \[.*\] "GET /HelloWorld.html?aaaa' "$LOG" || fail "$(head -c 200 "$LOG")"
}

# --- Header section --------------------------------------------------------

@test "a header section of 32768 bytes is served" {
	fields_of 32768
	send_file "$REQ"
	assert_hello
}

@test "a header section of 32769 bytes gets 431" {
	fields_of 32769
	send_file "$REQ"
	assert_error 431 "Request Header Fields Too Large"
}

@test "a header section far over the limit gets 431" {
	fields_of 65536
	send_file "$REQ"
	assert_error 431 "Request Header Fields Too Large"
}

@test "100 header fields are served" {
	count_of 100
	send_file "$REQ"
	assert_hello
}

@test "101 header fields get 431" {
	count_of 101
	send_file "$REQ"
	assert_error 431 "Request Header Fields Too Large"
}

@test "101 empty-valued header fields get 431 too" {
	{
		printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n'
		for ((i = 0; i < 100; i++)); do printf 'X:\r\n'; done
		printf '\r\n'
	} > "$REQ"
	send_file "$REQ"
	assert_error 431 "Request Header Fields Too Large"
}

# --- Request bodies --------------------------------------------------------

@test "a GET with a body is answered once: a pipelined request is ignored" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhelloGET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_hello
	run -0 grep -c '^HTTP/' "$RESP"
	assert_output 1
}

@test "a GET with a chunked body is answered once" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_hello
}

@test "Content-Length at the discard bound (1048576) is accepted" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 1048576\r\n\r\nabc'
	assert_hello
}

@test "Content-Length above the discard bound gets 413" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 1048577\r\n\r\nabc'
	assert_error 413 "Content Too Large"
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 1099511627776\r\n\r\n'
	assert_error 413 "Content Too Large"
}

@test "over a socket, a GET with a body and a pipelined request gets exactly one response" {
	local fd
	start_activator --inetd
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhelloGET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n' >&"$fd"
	RESP=$BATS_TEST_TMPDIR/resp
	timeout 10 cat <&"$fd" > "$RESP"
	exec {fd}<&-
	split_response "$RESP"
	assert_hello
}

@test "over a socket, an unread 512 KiB body does not destroy the response" {
	local fd
	start_activator --inetd
	{
		printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nContent-Length: 524288\r\n\r\n'
		pad 524288
	} > "$REQ"
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	timeout 10 cat "$REQ" >&"$fd"
	RESP=$BATS_TEST_TMPDIR/resp
	timeout 10 cat <&"$fd" > "$RESP"
	exec {fd}<&-
	split_response "$RESP"
	assert_hello
}

# --- Head timeout ----------------------------------------------------------

# With the writer of a FIFO kept open, the handler waits for bytes that do
# not come; --timeout 1 must answer 408 long before the writer gives up.

# serve_fifo SEC: the handler with --timeout SEC reads the FIFO
# $BATS_TEST_TMPDIR/in, whose writer the test started; sets ms to the time
# it took and splits $RESP.
serve_fifo() {
	local t0
	RESP=$BATS_TEST_TMPDIR/resp
	t0=$(date +%s%N)
	timeout 30 "$WEBSERVER" --timeout "$1" "$DOCROOT" \
		< "$BATS_TEST_TMPDIR/in" > "$RESP" 2> "$BATS_TEST_TMPDIR/log"
	ms=$(elapsed_ms "$t0")
}

@test "a client that sends nothing gets 408 after --timeout" {
	local ms
	mkfifo "$BATS_TEST_TMPDIR/in"
	{ exec sleep 30; } > "$BATS_TEST_TMPDIR/in" 3>&- &
	WRITER=$!
	serve_fifo 1
	[ "$ms" -ge 900 ] || fail "answered after $ms ms, before the timeout"
	[ "$ms" -lt 5000 ] || fail "answered after $ms ms"
	split_response "$RESP"
	assert_error 408 "Request Timeout"
}

@test "a partial head gets 408 after --timeout" {
	local ms
	mkfifo "$BATS_TEST_TMPDIR/in"
	{ printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: exa'; exec sleep 30; } \
		> "$BATS_TEST_TMPDIR/in" 3>&- &
	WRITER=$!
	serve_fifo 1
	[ "$ms" -lt 5000 ] || fail "answered after $ms ms"
	split_response "$RESP"
	assert_error 408 "Request Timeout"
	grep -q '"GET /HelloWorld.html HTTP/1.1" 408 ' "$BATS_TEST_TMPDIR/log" ||
		fail "log: $(cat "$BATS_TEST_TMPDIR/log")"
}

@test "a head dripped one byte a second does not extend --timeout" {
	local ms
	mkfifo "$BATS_TEST_TMPDIR/in"
	# A complete request, 18 bytes: it would be whole after 18 s.
	{
		for c in G E T ' ' / ' ' H T T P / 1 . 0 '\r' '\n' '\r' '\n'; do
			# shellcheck disable=SC2059
			printf "$c" || exit
			sleep 1
		done
	} > "$BATS_TEST_TMPDIR/in" 3>&- &
	WRITER=$!
	serve_fifo 2
	[ "$ms" -ge 1900 ] || fail "answered after $ms ms, before the timeout"
	[ "$ms" -lt 8000 ] || fail "answered after $ms ms: the drip extended the timeout"
	split_response "$RESP"
	assert_error 408 "Request Timeout"
}

@test "over a socket, a partial head gets 408 after --timeout and the connection closes" {
	local fd t0 ms
	start_activator --inetd --timeout 1
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET /HelloWorld.html HTTP/1.1\r\n' >&"$fd"
	RESP=$BATS_TEST_TMPDIR/resp
	t0=$(date +%s%N)
	timeout 15 cat <&"$fd" > "$RESP"
	ms=$(elapsed_ms "$t0")
	exec {fd}<&-
	[ "$ms" -lt 5000 ] || fail "answered after $ms ms"
	split_response "$RESP"
	assert_error 408 "Request Timeout"
}

@test "over a socket, a client that stops reading cannot hold the handler" {
	local fd i line sent
	truncate -s 64M "$DOCROOT/big.bin"
	start_activator --inetd --timeout 1
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET /big.bin HTTP/1.1\r\nHost: example.com\r\n\r\n' >&"$fd"
	# Nothing is read: the handler must give up and log within seconds.
	for i in $(seq 1 200); do
		line=$(grep -a '"GET /big.bin HTTP/1.1" ' "$BATS_FILE_TMPDIR/activator.log" || true)
		[ -z "$line" ] || break
		sleep 0.1
	done
	exec {fd}<&-
	rm -f "$DOCROOT/big.bin"
	[ -n "$line" ] || fail "the handler was still sending after 20 s"
	[[ $line =~ \"GET\ /big.bin\ HTTP/1.1\"\ 200\ ([0-9]+)\  ]] || fail "log: $line"
	sent=${BASH_REMATCH[1]}
	[ "$sent" -lt 67108864 ] || fail "all $sent bytes were sent to a client that reads nothing"
}

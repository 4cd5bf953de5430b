#!/usr/bin/env bats
# --keep-alive: the requests of one connection answered by one process, in
# order, pipelined or not (RFC 9112, section 9), in every mode; the default
# stays one request per connection, byte for byte.

bats_require_minimum_version 1.5.0
load test_helper

GET='GET /HelloWorld.html HTTP/1.1\r\nHost: a\r\n\r\n'
HEAD='HEAD /HelloWorld.html HTTP/1.1\r\nHost: a\r\n\r\n'
MISSING='GET /missing.html HTTP/1.1\r\nHost: a\r\n\r\n'

setup_file() {
	make_docroot
	export DOCROOT
	head -c 100000 /dev/urandom > "$DOCROOT/blob.bin"
	# A page of 60 images, for the browser.
	mkdir -p "$DOCROOT/gallery"
	{
		printf '<!DOCTYPE html>\n<html><head><title>Gallery</title></head><body>\n'
		for i in $(seq 1 60); do
			printf '<img src="i%d.svg" width="20" height="20" alt="%d">\n' "$i" "$i"
			printf '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20" height="20" fill="#%02x4080"/></svg>\n' \
				"$((i * 4))" > "$DOCROOT/gallery/i$i.svg"
		done
		printf '</body></html>\n'
	} > "$DOCROOT/gallery/index.html"
}

setup() {
	: > "$BATS_FILE_TMPDIR/activator.log"
	WS_ARGS=()
}

teardown() {
	stop_activator || true
}

# responses FILE: how many status lines FILE holds (a body need not end in
# a line end, so they are counted wherever they start).
responses() { grep -ao $'HTTP/1.1 [0-9][0-9][0-9] ' "$1" | wc -l; }

# normalized FILE: FILE with every Date field's value replaced.
normalized() { sed 's/^Date: .*\r$/Date: *\r/' "$1"; }

# reference OUT REQUEST [CONNECTION]: the default handler's answer to
# REQUEST alone (pipe mode), with its "Connection: close" line replaced by
# "Connection: CONNECTION", or dropped when CONNECTION is "-", appended to
# OUT, Date normalized.
reference() {
	local out=$1 req=$2 conn=${3:--}
	# shellcheck disable=SC2059
	printf "$req" | timeout 10 "$WEBSERVER" "$DOCROOT" 2> /dev/null |
		sed 's/^Date: .*\r$/Date: *\r/' |
		if [ "$conn" = - ]; then
			sed '/^Connection: close\r$/d'
		else
			sed "s/^Connection: close\\r\$/Connection: $conn\\r/"
		fi >> "$out"
}

# assert_same EXPECTED: $RESP, Date normalized, is EXPECTED byte for byte.
assert_same() {
	normalized "$RESP" > "$BATS_TEST_TMPDIR/got"
	cmp -s "$1" "$BATS_TEST_TMPDIR/got" ||
		fail "the responses differ: $(diff <(od -c "$1") <(od -c "$BATS_TEST_TMPDIR/got") | head -20)"
}

# three_in_one_write MODE: GET, HEAD and a 404 (which says close) in one
# write are answered in order with exact bytes.
three_in_one_write() {
	start_activator "$1" --keep-alive 10
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" "$GET"
	reference "$want" "$HEAD"
	reference "$want" 'GET /missing.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' close
	exchange "$GET$HEAD"'GET /missing.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
	assert_same "$want"
	[ "$(grep -c '"GET /HelloWorld.html HTTP/1.1" 200 170 \|"HEAD /HelloWorld.html HTTP/1.1" 200 0 \|"GET /missing.html HTTP/1.1" 404 ' "$BATS_FILE_TMPDIR/activator.log")" = 3 ] ||
		fail "access lines: $(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "pipe: three requests in one write, GET, HEAD and a 404, are answered in order, exact bytes" {
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" "$GET"
	reference "$want" "$HEAD"
	reference "$want" "$MISSING"
	WS_ARGS=(--keep-alive 10)
	send "$GET$HEAD$MISSING"
	assert_same "$want"
	[ "$(wc -l < "$LOG")" = 3 ] || fail "log: $(cat "$LOG")"
}

@test "inetd style: three requests in one write are answered in order, exact bytes" {
	three_in_one_write --inetd
}

@test "LISTEN_FDS: three requests in one write are answered in order, exact bytes" {
	three_in_one_write --fds
}

@test "pool: three requests in one write are answered in order, exact bytes" {
	three_in_one_write --pool
}

@test "two requests split at every byte boundary get the same two answers" {
	start_activator --inetd --keep-alive 2
	local want=$BATS_TEST_TMPDIR/want pair k n bad=
	: > "$want"
	reference "$want" "$GET"
	reference "$want" "$HEAD" close
	pair=$(printf "$GET$HEAD"; echo x)	# keep the final line end
	pair=${pair%x}
	n=${#pair}
	for ((k = 1; k < n; k++)); do
		timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"
			printf "%s" "$2" >&5; sleep 0.02; printf "%s" "$3" >&5; cat <&5' \
			_ "$PORT" "${pair:0:k}" "${pair:k}" 3>&- |
			sed 's/^Date: .*\r$/Date: *\r/' > "$BATS_TEST_TMPDIR/got" || true
		cmp -s "$want" "$BATS_TEST_TMPDIR/got" || bad="$bad $k"
	done
	[ -z "$bad" ] || fail "split after bytes$bad: other answers"
}

@test "the N-th response says Connection: close and the connection ends there" {
	start_activator --inetd --keep-alive 3 --keep-alive-timeout 30
	exchange "$GET$GET$GET$GET"
	[ "$(responses "$RESP")" = 3 ] || fail "$(responses "$RESP") responses"
	[ "$(grep -ac $'^Connection: close\r$' "$RESP")" = 1 ] || fail "$(cat "$RESP")"
	# The close came with the third answer, not after a timeout.
	awk -v t="$TOOK" 'BEGIN { exit !(t < 5) }' || fail "closed after $TOOK s"
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" "$GET"
	reference "$want" "$GET"
	reference "$want" "$GET" close
	assert_same "$want"
}

@test "the default answers one request, with today's bytes, whatever follows it" {
	start_activator --inetd
	exchange "$GET$GET"
	[ "$(responses "$RESP")" = 1 ] || fail "$(responses "$RESP") responses"
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" "$GET" close
	assert_same "$want"
	split_response "$RESP"
	assert_head 'HTTP/1.1 200 OK' 'Date: *' 'Server: webserver/1.0.0' \
		'Content-Type: text/html; charset=utf-8' 'X-Content-Type-Options: nosniff' \
		"Last-Modified: $(header Last-Modified)" "ETag: $(header ETag)" \
		'Accept-Ranges: bytes' 'Content-Length: 170' 'Connection: close'
}

@test "an idle connection is closed silently at --keep-alive-timeout" {
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 1
	exchange "$GET"
	[ "$(responses "$RESP")" = 1 ] || fail "$(responses "$RESP") responses"
	refute_header_raw Connection
	awk -v t="$TOOK" 'BEGIN { exit !(t >= 0.9 && t < 3) }' || fail "closed after $TOOK s"
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" "$GET"
	assert_same "$want"
}

# refute_header_raw NAME: no NAME field in the raw $RESP.
refute_header_raw() {
	! grep -aiq "^$1:" "$RESP" || fail "$1 present: $(grep -ai "^$1:" "$RESP")"
}

@test "a next head begun and not finished gets 408 at --timeout" {
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 1 --timeout 2
	exchange "$GET"'GET /HelloWorld.html HTTP/1.1\r\nHo'
	[ "$(responses "$RESP")" = 2 ] || fail "$(responses "$RESP") responses"
	grep -aq $'^HTTP/1.1 408 Request Timeout\r$' "$RESP" || fail "$(cat "$RESP")"
	awk -v t="$TOOK" 'BEGIN { exit !(t >= 1.9 && t < 5) }' || fail "408 after $TOOK s"
	grep -q '"GET /HelloWorld.html HTTP/1.1" 408 ' "$BATS_FILE_TMPDIR/activator.log" ||
		fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "a client slow between requests is cut at --keep-alive-timeout" {
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 1
	RESP=$BATS_TEST_TMPDIR/resp
	# The second request comes 2.5 s after the first: too late.
	timeout 10 bash -c 'trap "" PIPE; exec 5<>"/dev/tcp/127.0.0.1/$1"; printf "%b" "$2" >&5
		sleep 2.5; printf "%b" "$2" >&5 2>/dev/null; cat <&5' _ "$PORT" "$GET" \
		> "$RESP" 3>&- || true
	[ "$(responses "$RESP")" = 1 ] || fail "$(responses "$RESP") responses"
	[ "$(grep -c '"GET /HelloWorld.html HTTP/1.1" 200 ' "$BATS_FILE_TMPDIR/activator.log")" = 1 ] ||
		fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "HTTP/1.0 persists only when it asks, and is then told keep-alive" {
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 1
	exchange 'GET /HelloWorld.html HTTP/1.0\r\n\r\nGET /HelloWorld.html HTTP/1.0\r\n\r\n'
	[ "$(responses "$RESP")" = 1 ] || fail "$(responses "$RESP") responses"
	grep -aq $'^Connection: close\r$' "$RESP" || fail "$(cat "$RESP")"
	awk -v t="$TOOK" 'BEGIN { exit !(t < 0.9) }' || fail "closed after $TOOK s"
	exchange 'GET /HelloWorld.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /HelloWorld.html HTTP/1.0\r\n\r\n'
	[ "$(responses "$RESP")" = 2 ] || fail "$(responses "$RESP") responses"
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" 'GET /HelloWorld.html HTTP/1.0\r\n\r\n' keep-alive
	reference "$want" 'GET /HelloWorld.html HTTP/1.0\r\n\r\n' close
	assert_same "$want"
}

@test "Connection: close from the client ends the connection after its answer" {
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 5
	exchange 'GET /HelloWorld.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'"$GET"
	[ "$(responses "$RESP")" = 1 ] || fail "$(responses "$RESP") responses"
	grep -aq $'^Connection: close\r$' "$RESP" || fail "$(cat "$RESP")"
	awk -v t="$TOOK" 'BEGIN { exit !(t < 2) }' || fail "closed after $TOOK s"
}

@test "304, 206 and 404 in mid-connection keep it open" {
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 1
	local etag
	fetch /blob.bin
	etag=$(header ETag)
	exchange "GET /blob.bin HTTP/1.1\\r\\nHost: a\\r\\nIf-None-Match: $etag\\r\\n\\r\\nGET /blob.bin HTTP/1.1\\r\\nHost: a\\r\\nRange: bytes=10-19\\r\\n\\r\\n$MISSING$GET"
	[ "$(responses "$RESP")" = 4 ] || fail "$(responses "$RESP") responses"
	grep -ao $'HTTP/1.1 [0-9][0-9][0-9] [^\r]*' "$RESP" > "$BATS_TEST_TMPDIR/lines"
	printf '%s\n' 'HTTP/1.1 304 Not Modified' 'HTTP/1.1 206 Partial Content' \
		'HTTP/1.1 404 Not Found' 'HTTP/1.1 200 OK' > "$BATS_TEST_TMPDIR/want"
	cmp -s "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/lines" || fail "$(cat "$BATS_TEST_TMPDIR/lines")"
	refute_header_raw Connection
	# The 206's ten bytes, then the 404 page: the framing held.
	dd if="$DOCROOT/blob.bin" bs=1 skip=10 count=10 2> /dev/null > "$BATS_TEST_TMPDIR/range"
	grep -aFq "$(od -An -tx1 "$BATS_TEST_TMPDIR/range" | tr -d ' \n')" \
		<(od -An -tx1 -w100000000 "$RESP" | tr -d ' \n') || fail "the range bytes are not in the stream"
	tail -c 170 "$RESP" | cmp -s - "$DOCROOT/HelloWorld.html" || fail "the last body differs"
}

@test "a 400 and a POST with a body end the connection after their answer" {
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 5
	exchange 'GET /HelloWorld.html HTTP/1.1\r\nHost: a\r\nBad Field: x\r\n\r\n'"$GET"
	[ "$(responses "$RESP")" = 1 ] || fail "$(responses "$RESP") responses"
	grep -aq $'^HTTP/1.1 400 Bad Request\r$' "$RESP" || fail "$(cat "$RESP")"
	grep -aq $'^Connection: close\r$' "$RESP" || fail "$(cat "$RESP")"
	awk -v t="$TOOK" 'BEGIN { exit !(t < 4) }' || fail "closed after $TOOK s"
	# The body is never read as a request.
	exchange 'POST /HelloWorld.html HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n'"$GET"
	[ "$(responses "$RESP")" = 1 ] || fail "$(responses "$RESP") responses"
	grep -aq $'^HTTP/1.1 405 Method Not Allowed\r$' "$RESP" || fail "$(cat "$RESP")"
	grep -aq $'^Connection: close\r$' "$RESP" || fail "$(cat "$RESP")"
	exchange 'GET /HelloWorld.html HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n'"$GET"
	[ "$(responses "$RESP")" = 1 ] || fail "a GET with a body: $(responses "$RESP") responses"
	[ "$(grep -c '" 200 \|" 405 \|" 400 ' "$BATS_FILE_TMPDIR/activator.log")" = 3 ] ||
		fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

# load MODE: 2000 requests over 16 kept-alive connections (ab -k, HTTP/1.0
# with keep-alive), 0 failures, 2000 access lines.
load_keepalive() {
	command -v ab > /dev/null || skip "ab (apache2-utils) is not installed"
	start_activator "$1" --keep-alive 1000
	run -0 timeout 120 ab -k -q -n 2000 -c 16 "http://127.0.0.1:$PORT/HelloWorld.html"
	assert_line --regexp '^Complete requests: +2000$'
	assert_line --regexp '^Failed requests: +0$'
	assert_line --regexp '^Keep-Alive requests: +2000$'
	echo "# $1: $(grep '^Requests per second' <<< "$output")" >&3
	stop_activator || true
	[ "$(grep -c '"GET /HelloWorld.html HTTP/1.0" 200 170 ' "$BATS_FILE_TMPDIR/activator.log")" = 2000 ] ||
		fail "$(grep -c '"GET /HelloWorld.html HTTP/1.0" 200 170 ' "$BATS_FILE_TMPDIR/activator.log") access lines"
}

@test "inetd style: 2000 requests over 16 connections, 0 failures, 2000 access lines" {
	load_keepalive --inetd
}

@test "LISTEN_FDS: 2000 requests over 16 connections, 0 failures, 2000 access lines" {
	load_keepalive --fds
}

@test "pool: 2000 requests over 16 connections, 0 failures, 2000 access lines" {
	load_keepalive --pool
}

@test "a pool at --max-children full of idle connections serves a new client within a second" {
	start_activator --pool --keep-alive 100 --keep-alive-timeout 60 --max-children 4
	local holders=() i t0 out
	for i in 1 2 3 4; do
		timeout 20 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; printf "%b" "$2" >&5; sleep 15' \
			_ "$PORT" "$GET" 3>&- &
		holders+=($!)
	done
	for i in $(seq 1 50); do
		[ "$(grep -c '" 200 170 ' "$BATS_FILE_TMPDIR/activator.log")" = 4 ] && break
		sleep 0.1
	done
	[ "$(pgrep -c -P "$ACTIVATOR_PID")" = 4 ] || fail "$(pgrep -c -P "$ACTIVATOR_PID") children"
	out=$(curl -s --max-time 10 -o "$BATS_TEST_TMPDIR/body" -w '%{http_code} %{time_total}' \
		"http://127.0.0.1:$PORT/HelloWorld.html")
	kill "${holders[@]}" 2> /dev/null || true
	[ "${out% *}" = 200 ] || fail "got $out"
	cmp -s "$BATS_TEST_TMPDIR/body" "$DOCROOT/HelloWorld.html" || fail "the body differs"
	awk -v t="${out#* }" 'BEGIN { exit !(t < 1) }' || fail "served after ${out#* } s"
}

@test "headless Chromium loads a page of 60 images over at most 8 connections, all 200" {
	command -v chromium > /dev/null || skip "chromium is not installed"
	start_activator --inetd --keep-alive 100
	local dir=$BATS_TEST_TMPDIR/chromium
	mkdir -p "$dir"
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$dir/profile" --virtual-time-budget=5000 \
		--dump-dom "http://127.0.0.1:$PORT/gallery/" > "$dir/dom" 2> "$dir/err" 3>&- || true
	grep -q '<title>Gallery</title>' "$dir/dom" || fail "no page: $(tail -3 "$dir/err")"
	local lines images conns
	lines=$(grep -c '"GET /gallery/' "$BATS_FILE_TMPDIR/activator.log")
	images=$(grep -c '"GET /gallery/i[0-9]*\.svg HTTP/1\.1" 200 ' "$BATS_FILE_TMPDIR/activator.log")
	[ "$images" = 60 ] || fail "$images images answered 200: $(grep -v '" 200 ' "$BATS_FILE_TMPDIR/activator.log" | head -5)"
	# One handler per connection: the activator's "Connection from" lines.
	conns=$(grep -c '^Connection from ' "$BATS_FILE_TMPDIR/activator.log")
	echo "# $lines requests over $conns connections" >&3
	[ "$conns" -le 8 ] || fail "$conns connections"
}

@test "the access lines of a kept connection are written within about a second, before it ends" {
	start_activator --inetd --keep-alive 100 --keep-alive-timeout 30
	local holder i t0=$SECONDS
	timeout 20 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; printf "%b" "$2$2" >&5; sleep 10' \
		_ "$PORT" "$GET" 3>&- &
	holder=$!
	for i in $(seq 1 40); do
		[ "$(grep -c '"GET /HelloWorld.html HTTP/1.1" 200 170 ' "$BATS_FILE_TMPDIR/activator.log")" = 2 ] && break
		sleep 0.1
	done
	local n
	n=$(grep -c '"GET /HelloWorld.html HTTP/1.1" 200 170 ' "$BATS_FILE_TMPDIR/activator.log")
	kill -0 "$holder" 2> /dev/null || fail "the connection ended"
	kill "$holder" 2> /dev/null || true
	[ "$n" = 2 ] || fail "$n access lines after $((SECONDS - t0)) s"
}

@test "an empty line after a request is no head begun: the idle connection closes silently" {
	# RFC 9112, section 2.2: a server SHOULD ignore at least one empty line
	# before a request line; some clients send a CRLF after a request.  It
	# begins no request, so the connection stays idle: closed without an
	# answer at --keep-alive-timeout, not answered 408 at --timeout.
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 1 --timeout 3
	exchange "$GET"'\r\n'
	[ "$(responses "$RESP")" = 1 ] || fail "$(responses "$RESP") responses: $(grep -a '^HTTP/' "$RESP")"
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" "$GET"
	assert_same "$want"
	awk -v t="$TOOK" 'BEGIN { exit !(t >= 0.9 && t < 2.5) }' || fail "closed after $TOOK s"
	! grep -q '" 408 ' "$BATS_FILE_TMPDIR/activator.log" ||
		fail "$(grep '" 408 ' "$BATS_FILE_TMPDIR/activator.log")"
}

@test "a 405 to a request without a body keeps the connection" {
	# Its framing is known (no Content-Length, no Transfer-Encoding): the
	# next request starts where its head ends, as after a 404.
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 1
	local post='POST /HelloWorld.html HTTP/1.1\r\nHost: a\r\n\r\n'
	local delete='DELETE /HelloWorld.html HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n'
	exchange "$post$delete$GET"
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" "$post"
	reference "$want" "$delete"
	reference "$want" "$GET"
	assert_same "$want"
}

@test "bursts of pipelined requests are answered without a delayed-ACK stall" {
	# Each answer goes out as it is ready: a small response written while
	# the one before is unacknowledged must not wait for the client's
	# delayed ACK (Nagle's algorithm), up to 40 ms a burst on Linux.
	start_activator --inetd --keep-alive 1000 --keep-alive-timeout 5
	local one len took burst=$BATS_TEST_TMPDIR/burst
	printf "$HEAD$HEAD$HEAD$HEAD" > "$burst"
	one=$(printf "$HEAD" | "$WEBSERVER" "$DOCROOT" 2> /dev/null | wc -c)
	# Four kept answers: each without its "Connection: close\r\n".
	len=$(((one - 19) * 4))
	took=$(timeout 20 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"
		t0=$EPOCHREALTIME
		for ((i = 0; i < 50; i++)); do
			cat "$2" >&5	# one write: printf writes line by line
			LC_ALL=C IFS= read -r -d "" -N "$3" -t 5 -u 5 got
			[ "${#got}" = "$3" ] || { echo short; exit; }
		done
		awk -v a="$t0" -v b="$EPOCHREALTIME" "BEGIN { printf \"%.2f\", b - a }"' \
		_ "$PORT" "$burst" "$len" 3>&-) || true
	[ "$took" != short ] && [ -n "$took" ] || fail "the answers came short: '$took'"
	awk -v t="$took" 'BEGIN { exit !(t < 1) }' || fail "50 bursts of 4 took $took s"
}

@test "empty lines between pipelined requests are skipped: both answered in order" {
	start_activator --inetd --keep-alive 10 --keep-alive-timeout 1
	exchange "$GET"'\r\n\r\n\n'"$HEAD"
	local want=$BATS_TEST_TMPDIR/want
	: > "$want"
	reference "$want" "$GET"
	reference "$want" "$HEAD"
	assert_same "$want"
}

# biggest_head FILE [MORE]: a GET of HelloWorld.html with the largest head
# the limits take: 8191 empty lines (bare LFs) before a request line of
# LINE_MAX_LEN (8192) bytes, and FIELDS_MAX_LEN (32768) bytes of field
# lines; MORE bytes more of them (default 0).
biggest_head() {
	local line='GET /HelloWorld.html?' fill
	fill=$((8192 - ${#line} - 9))
	{
		head -c 8191 /dev/zero | tr '\0' '\n'
		printf '%s' "$line"; head -c "$fill" /dev/zero | tr '\0' a
		printf ' HTTP/1.1\r\nHost: a\r\nX: '
		head -c $((32768 - 9 - 5 + ${2:-0})) /dev/zero | tr '\0' b
		printf '\r\n\r\n'
	} > "$1"
}

@test "the largest head the limits take, pipelined after a request, is answered; a byte more is 431" {
	local big=$BATS_TEST_TMPDIR/big req=$BATS_TEST_TMPDIR/req2
	biggest_head "$big"
	[ "$(wc -c < "$big")" = 49155 ] || fail "$(wc -c < "$big") bytes"
	{ printf "$GET"; cat "$big" "$big"; printf "$GET"; } > "$req"
	WS_ARGS=(--keep-alive 10)
	send_file "$req"
	[ "$(grep -ao $'HTTP/1.1 200 OK\r' "$RESP" | wc -l)" = 4 ] ||
		fail "$(grep -ao $'HTTP/1.1 [0-9]* [^\r]*' "$RESP")"
	biggest_head "$big" 1
	{ printf "$GET"; cat "$big"; printf "$GET"; } > "$req"
	send_file "$req"
	grep -ao $'HTTP/1.1 [0-9]* [^\r]*' "$RESP" > "$BATS_TEST_TMPDIR/lines"
	printf '%s\n' 'HTTP/1.1 200 OK' 'HTTP/1.1 431 Request Header Fields Too Large' |
		cmp -s - "$BATS_TEST_TMPDIR/lines" || fail "$(cat "$BATS_TEST_TMPDIR/lines")"
	tail -c 300 "$RESP" | grep -aq $'^Connection: close\r$' || fail "the 431 does not say close"
}

@test "a body on a kept connection is never read as a request, whatever frames it" {
	local smuggled='GET /missing.html HTTP/1.1\r\nHost: a\r\n\r\n' req
	for req in \
	    'GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' \
	    'HEAD / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' \
	    'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' \
	    'GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n' \
	    'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n' \
	    'GET / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' \
	    'GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n' \
	    'OPTIONS * HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nABCD' \
	    'HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nABCD'; do
		WS_ARGS=(--keep-alive 10)
		send "$req$smuggled"
		[ "$(grep -ao $'HTTP/1.1 [0-9][0-9][0-9] ' "$RESP" | wc -l)" = 1 ] ||
			fail "$req: $(grep -ao $'HTTP/1.1 [0-9]* [^\r]*' "$RESP")"
		assert_header Connection close
		! grep -q '/missing.html' "$LOG" || fail "$req: $(cat "$LOG")"
	done
}

@test "Connection options: close wins in any case, list or line; HTTP/1.0 keep-alive needs the option" {
	local req
	for req in 'Connection: keep-alive, close' 'Connection: Close' 'Connection: CLOSE ' \
	    'Connection: keep-alive\r\nConnection: close' 'Connection: upgrade, close\r\nUpgrade: h2c'; do
		WS_ARGS=(--keep-alive 10)
		send "GET /HelloWorld.html HTTP/1.1\\r\\nHost: a\\r\\n$req\\r\\n\\r\\n$GET"
		[ "$(grep -ao $'HTTP/1.1 200 OK\r' "$RESP" | wc -l)" = 1 ] || fail "$req: not one answer"
		assert_header Connection close
	done
	for req in 'Keep-Alive: timeout=5' 'Connection: keepalive' 'Connection: keep-alive-x'; do
		send "GET /HelloWorld.html HTTP/1.0\\r\\n$req\\r\\n\\r\\n$GET"
		[ "$(grep -ao $'HTTP/1.1 200 OK\r' "$RESP" | wc -l)" = 1 ] || fail "$req: not one answer"
		assert_header Connection close
	done
	send "GET /HelloWorld.html HTTP/1.0\\r\\nConnection: foo, Keep-Alive\\r\\n\\r\\n$GET"
	[ "$(grep -ao $'HTTP/1.1 200 OK\r' "$RESP" | wc -l)" = 2 ] || fail "HTTP/1.0 keep-alive in a list: not two answers"
	assert_header Connection keep-alive
}

@test "a full pool sheds the connection that has waited longest, not the one accepted first" {
	start_activator --pool --keep-alive 100 --keep-alive-timeout 30 --max-children 2
	local a b out
	# A: accepted first, answers a request now and one a second later,
	# then waits for its third.  B: accepted between, half a head since.
	timeout 20 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; printf "%b" "$2" >&5; sleep 1.2
		printf "%b" "$2" >&5; sleep 1.5; printf "%b" "$2" >&5; sleep 0.5; cat <&5' \
		_ "$PORT" "$GET" > "$BATS_TEST_TMPDIR/a" 3>&- &
	a=$!
	sleep 0.4
	timeout 20 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; printf "GET / HTTP/1.1\r\n" >&5
		timeout 5 cat <&5' _ "$PORT" > "$BATS_TEST_TMPDIR/b" 3>&- &
	b=$!
	sleep 1.3	# A's second answer is out: it waits since, B longer
	out=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/HelloWorld.html")
	[ "$out" = 200 ] || fail "a new client got $out"
	wait "$b" || true
	head -n1 "$BATS_TEST_TMPDIR/b" | grep -qx $'HTTP/1.1 408 Request Timeout\r' ||
		fail "the longest waiting got: $(head -c 100 "$BATS_TEST_TMPDIR/b")"
	wait "$a" || true
	[ "$(responses "$BATS_TEST_TMPDIR/a")" = 3 ] ||
		fail "the one accepted first got $(responses "$BATS_TEST_TMPDIR/a") answers"
}

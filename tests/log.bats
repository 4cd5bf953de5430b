#!/usr/bin/env bats
# The log: one Combined Log Format line per request, in UTC, with every
# untrusted byte escaped, written to the sink chosen once at start-up.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	make_docroot
	export DOCROOT
}

setup() {
	WS_ARGS=()
}

teardown() {
	stop_activator || true
}

# The log date of the last request, as "DD/Mon/YYYY:HH:MM:SS +0000".
DATE_RE='[0-9]{2}/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000'

# assert_log LINE: the log holds exactly one line, which is LINE once its
# [date] is replaced by [DATE]; the date itself is checked against DATE_RE.
assert_log() {
	local lines got
	lines=$(wc -l < "$LOG")
	[ "$lines" -eq 1 ] || fail "expected one log line, got $lines: $(cat -v "$LOG")"
	grep -Eq "^[^ ]+ - - \[$DATE_RE\] " "$LOG" || fail "log shape: $(cat -v "$LOG")"
	got=$(sed -E 's/\[[^]]*\]/[DATE]/' "$LOG")
	[ "$got" = "$1" ] || fail "log line: expected '$1', got '$got'"
}

@test "a request is logged as one Combined Log Format line" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_common_headers
	assert_body_file "$DOCROOT/HelloWorld.html"
	assert_log '- - - [DATE] "GET /HelloWorld.html HTTP/1.1" 200 170 "-" "-"'
}

@test "the log date is the current time in UTC, whatever TZ says" {
	local d t now
	for tz in Asia/Kolkata America/St_Johns UTC; do
		TZ=$tz send 'GET /HelloWorld.html HTTP/1.0\r\n\r\n'
		now=$(date +%s)
		d=$(sed -E 's/^[^[]*\[([^]]*)\].*/\1/' "$LOG")
		[[ $d =~ ^$DATE_RE$ ]] || fail "date: '$d'"
		# 26/Nov/2026:08:11:52 +0000 -> 26 Nov 2026 08:11:52 +0000
		t=$(date -d "$(echo "$d" | sed -E 's#^([0-9]+)/([A-Za-z]+)/([0-9]+):#\1 \2 \3 #')" +%s)
		[ $((now - t)) -ge 0 ] && [ $((now - t)) -le 60 ] ||
			fail "TZ=$tz: logged '$d', now is $(date -u)"
	done
}

@test "the client is - for pipes, REMOTE_ADDR when set, and HEAD logs 0 bytes" {
	send 'HEAD /missing.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 404 "Not Found"
	assert_log '- - - [DATE] "HEAD /missing.html HTTP/1.1" 404 0 "-" "-"'
	REMOTE_ADDR=192.0.2.7 send 'GET /missing.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error_page 404 "Not Found"
	assert_log '192.0.2.7 - - [DATE] "GET /missing.html HTTP/1.1" 404 107 "-" "-"'
}

@test "over a socket the client is the peer address" {
	start_activator --inetd
	fetch /HelloWorld.html -A 'test agent'
	[ "$CODE" = 200 ] || fail "code $CODE"
	assert_body_file "$DOCROOT/HelloWorld.html"
	stop_activator || true
	grep -Eq "^127\.0\.0\.1 - - \[$DATE_RE\] \"GET /HelloWorld.html HTTP/1.1\" 200 170 \"-\" \"test agent\"$" \
		"$BATS_FILE_TMPDIR/activator.log" || fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "a client that resets in the middle of a response is still logged with its address" {
	head -c $((10 << 20)) /dev/zero > "$DOCROOT/big10.bin"
	start_activator --inetd
	# head closes the pipe after 1000 bytes; curl then closes its socket
	# with unread data, which resets the connection.
	curl -sS --max-time 10 "http://127.0.0.1:$PORT/big10.bin" 2>/dev/null |
		head -c 1000 > /dev/null || true
	local i
	for i in $(seq 1 50); do
		grep -q 'big10.bin' "$BATS_FILE_TMPDIR/activator.log" && break
		sleep 0.1
	done
	stop_activator || true
	rm -f "$DOCROOT/big10.bin"
	run grep 'big10.bin' "$BATS_FILE_TMPDIR/activator.log"
	[ "${#lines[@]}" -eq 1 ] || fail "log: $(cat "$BATS_FILE_TMPDIR/activator.log")"
	[[ ${lines[0]} =~ ^127\.0\.0\.1\ -\ -\ \[$DATE_RE\]\ \"GET\ /big10.bin\ HTTP/1.1\"\ 200\ [0-9]+\ \"-\"\ \"curl/ ]] ||
		fail "log line: ${lines[0]}"
	local sent
	sent=$(echo "${lines[0]}" | awk '{ print $10 }')
	[ "$sent" -lt $((10 << 20)) ] || fail "the whole file was logged as sent: $sent"
}

@test "a client address of several KB from the environment is cut, never overrun" {
	local a
	a=$(head -c 3500 /dev/zero | tr '\0' 'a')
	REMOTE_HOST=$a send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_hello
	assert_log "$(head -c 256 /dev/zero | tr '\0' 'a') - - [DATE] \"GET /HelloWorld.html HTTP/1.1\" 200 170 \"-\" \"-\""
	# Escaped bytes take four times the room: 3500 quotes become 64.
	a=$(head -c 3500 /dev/zero | tr '\0' '"')
	REMOTE_ADDR=$a send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: %s\r\n\r\n' "$a"
	assert_hello
	run -0 wc -l < "$LOG"
	assert_output 1
	run -0 wc -c < "$LOG"
	[ "$output" -le 4097 ] || fail "log line of $output bytes"
	grep -Eq '^(\\x22){64} - - \[.*\] "GET /HelloWorld.html HTTP/1.1" 200 170 "-" "(\\x22)+"$' "$LOG" ||
		fail "$(head -c 600 "$LOG")"
	a=$(head -c 4000 /dev/zero | tr '\0' 'b')
	TCPREMOTEIP=$a send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_hello
	assert_log "$(head -c 256 /dev/zero | tr '\0' 'b') - - [DATE] \"GET /HelloWorld.html HTTP/1.1\" 200 170 \"-\" \"-\""
}

@test "quotes, backslashes, ESC, DEL, NUL, tab and bytes above 0x7f in the target are escaped" {
	send 'GET /a"b\\c\033d\177e\000f\tg\303\251\377 HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error_page 400 "Bad Request"
	assert_log '- - - [DATE] "GET /a\x22b\x5cc\x1bd\x7fe\x00f\x09g\xc3\xa9\xff HTTP/1.1" 400 111 "-" "-"'
}

@test "the target is logged raw: percent-escapes are not decoded" {
	send 'GET /%%0d%%0a%%1b%%22%%5c%%00 HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error_page 400 "Bad Request"
	assert_log '- - - [DATE] "GET /%0d%0a%1b%22%5c%00 HTTP/1.1" 400 111 "-" "-"'
	send 'GET /Hello%%57orld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_log '- - - [DATE] "GET /Hello%57orld.html HTTP/1.1" 200 170 "-" "-"'
}

@test "a CR in the request line cannot forge a log line" {
	send 'GET /a\r- - - [01/Jan/2000:00:00:00 +0000] "GET /forged HTTP/1.1" 200 1 "-" "-" HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error_page 400 "Bad Request"
	assert_log '- - - [DATE] "GET /a" 400 111 "-" "-"'
}

@test "an LF in the request line cannot forge a log line" {
	send 'GET /a\n- - - [01/Jan/2000:00:00:00 +0000] "GET /forged HTTP/1.1" 200 1 "-" "-" HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error_page 400 "Bad Request"
	assert_log '- - - [DATE] "GET /a" 400 111 "-" "-"'
}

@test "User-Agent and Referer are logged escaped, on exactly one line" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 "x" \\ caf\303\251\r\nReferer: http://example.com/?q="a"\\b\r\n\r\n'
	assert_status 200 OK
	assert_log '- - - [DATE] "GET /HelloWorld.html HTTP/1.1" 200 170 "http://example.com/?q=\x22a\x22\x5cb" "Mozilla/5.0 \x22x\x22 \x5c caf\xc3\xa9"'
}

@test "a User-Agent with a control byte is refused and never logged" {
	local c
	for c in '\033' '\r' '\177' '\000'; do
		send "GET /HelloWorld.html HTTP/1.1\\r\\nHost: example.com\\r\\nUser-Agent: a${c}b\\r\\n\\r\\n"
		assert_error_page 400 "Bad Request"
		assert_log '- - - [DATE] "GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"'
	done
}

@test "a very long User-Agent is cut, and the line still ends with its closing quote" {
	local ua
	ua=$(head -c 6000 /dev/zero | tr '\0' '"')
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: %s\r\n\r\n' "$ua"
	assert_status 200 OK
	run -0 wc -l < "$LOG"
	assert_output 1
	run -0 wc -c < "$LOG"
	[ "$output" -le 4097 ] || fail "log line of $output bytes"
	grep -Eq '" 200 170 "-" "(\\x22)+"$' "$LOG" || fail "$(cat "$LOG")"
}

# --- Sinks -----------------------------------------------------------------

@test "by default the log goes to stderr and nothing else does" {
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
	assert_log '- - - [DATE] "GET /HelloWorld.html HTTP/1.1" 200 170 "-" "-"'
}

# check_response_first FILE: FILE starts with the exact response for
# /HelloWorld.html, and anything after it is one log line at most.
check_response_first() {
	split_response "$1"
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Length 170
	head -c 170 "$RESP.body" > "$BATS_TEST_TMPDIR/page"
	cmp -s "$BATS_TEST_TMPDIR/page" "$DOCROOT/HelloWorld.html" || fail "body changed"
	tail -c +171 "$RESP.body" > "$LOG"
	[ ! -s "$LOG" ] ||
		assert_log '- - - [DATE] "GET /HelloWorld.html HTTP/1.1" 200 170 "-" "-"'
}

@test "when stderr is stdout, the response comes first and whole" {
	printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n' > "$BATS_TEST_TMPDIR/req"
	RESP=$BATS_TEST_TMPDIR/resp
	LOG=$BATS_TEST_TMPDIR/log
	timeout 20 "$WEBSERVER" "$DOCROOT" < "$BATS_TEST_TMPDIR/req" > "$RESP" 2>&1
	check_response_first "$RESP"
	timeout 20 "$WEBSERVER" "$DOCROOT" < "$BATS_TEST_TMPDIR/req" 2>&1 | cat > "$RESP"
	check_response_first "$RESP"
}

@test "--log stderr with stderr on stdout: the line follows the response" {
	printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n' > "$BATS_TEST_TMPDIR/req"
	RESP=$BATS_TEST_TMPDIR/resp
	LOG=$BATS_TEST_TMPDIR/log
	timeout 20 "$WEBSERVER" --log stderr "$DOCROOT" < "$BATS_TEST_TMPDIR/req" > "$RESP" 2>&1
	check_response_first "$RESP"
	[ -s "$LOG" ] || fail "no log line"
}

@test "--log none writes nothing" {
	WS_ARGS=(--log none)
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
	[ ! -s "$LOG" ] || fail "stderr: $(cat "$LOG")"
	send 'GET /%%00 HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_error_page 400 "Bad Request"
	[ ! -s "$LOG" ] || fail "stderr: $(cat "$LOG")"
}

@test "--log syslog writes nothing to stderr" {
	WS_ARGS=(--log syslog)
	send 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n'
	assert_status 200 OK
	assert_common_headers
	assert_body_file "$DOCROOT/HelloWorld.html"
	[ ! -s "$LOG" ] || fail "stderr: $(cat "$LOG")"
}

@test "--log syslog sends the line to the syslog socket" {
	command -v strace > /dev/null || skip "strace is not installed"
	printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: example.com\r\n\r\n' > "$BATS_TEST_TMPDIR/req"
	# LeakSanitizer (make SANITIZE=1) cannot run under ptrace.
	run -0 env ASAN_OPTIONS=detect_leaks=0 \
		strace -f -e trace=connect -o "$BATS_TEST_TMPDIR/trace" \
		"$WEBSERVER" --log syslog "$DOCROOT" < "$BATS_TEST_TMPDIR/req"
	grep -q 'sun_path="/dev/log"' "$BATS_TEST_TMPDIR/trace" ||
		fail "no connect to /dev/log: $(cat "$BATS_TEST_TMPDIR/trace")"
}

@test "--log with an unknown sink is a usage error" {
	run -2 --separate-stderr "$WEBSERVER" --log file "$DOCROOT" < /dev/null
	assert_output ''
	[[ $stderr == 'usage: webserver '* ]] || fail "stderr: $stderr"
}

# stderr_on_socket: a wrapper that runs the handler with fd 2 on fd 1, as
# xinetd does; its path in $WRAPPER.
stderr_on_socket() {
	WRAPPER=$BATS_TEST_TMPDIR/ws-stderr-on-socket
	printf '#!/bin/sh\nexec "%s" "$@" 2>&1\n' "$WEBSERVER" > "$WRAPPER"
	chmod +x "$WRAPPER"
}

@test "when fds 0, 1 and 2 are all the connection, the client gets only the response" {
	local fd
	stderr_on_socket
	WEBSERVER=$WRAPPER start_activator --inetd
	for path in /HelloWorld.html /missing.html; do
		exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
		printf 'GET %s HTTP/1.1\r\nHost: example.com\r\n\r\n' "$path" >&"$fd"
		RESP=$BATS_TEST_TMPDIR/resp
		timeout 10 cat <&"$fd" > "$RESP"
		exec {fd}<&-
		split_response "$RESP"
		if [ "$path" = /HelloWorld.html ]; then
			assert_status 200 OK
			assert_body_file "$DOCROOT/HelloWorld.html"
		else
			assert_error_page 404 "Not Found"
		fi
		assert_common_headers
	done
}

@test "when fds 0, 1 and 2 are all the connection, a bad option writes nothing to it" {
	local fd
	stderr_on_socket
	WEBSERVER=$WRAPPER start_activator --inetd --bogus
	# Nothing is sent: unread bytes would turn the close into a reset,
	# which could hide what the handler wrote.
	exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"
	RESP=$BATS_TEST_TMPDIR/resp
	timeout 10 cat <&"$fd" > "$RESP"
	exec {fd}<&-
	[ ! -s "$RESP" ] || fail "the client got: $(head -c 300 "$RESP")"
}

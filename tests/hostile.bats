#!/usr/bin/env bats
# Hostile input: what paths, request, limits, log and range suites leave
# out.  A symlink swapped in during requests, smuggling framings, slow and
# vanishing clients over real sockets, floods and garbage, log injection
# through every field, range abuse and a file truncated while it is sent.
# Every handler run is also checked for a crash: exit status 0 and no
# sanitizer report.

bats_require_minimum_version 1.5.0
load test_helper

SECRET_MARK=SECRET-5b0d2e41-outside-the-root
BIG=$((64 * 1024 * 1024))

setup_file() {
	make_docroot
	export DOCROOT
	# The secret is world-readable and its directory searchable, so only
	# the handler's confinement to the root keeps it out, whatever user
	# the handler runs as.
	printf '%s\n' "$SECRET_MARK" > "$BATS_FILE_TMPDIR/secret"
	chmod 644 "$BATS_FILE_TMPDIR/secret"
	chmod 755 "$BATS_FILE_TMPDIR"

	cd "$DOCROOT" || return 1
	mkdir -p sub
	printf 'inside the root\n' > inside.txt
	printf 'sub page\n' > sub/page.txt
	head -c "$BIG" /dev/urandom > big.bin
	# Symlink escapes that paths.bats does not spell: a chain of links,
	# a link to /, magic links of /proc, and a link that leaves the root
	# only to come back into it.
	ln -s chain2 chain1
	ln -s ../secret chain2
	ln -s / rootlink
	ln -s /proc/self/root procroot
	ln -s /proc/self/cwd proccwd
	ln -s "../$(basename "$DOCROOT")/inside.txt" outandback
	cp inside.txt swap
	find . -type d -exec chmod 755 {} +
	find . -type f -exec chmod 644 {} +
	chmod 755 "$DOCROOT"
	cd - > /dev/null || return 1
}

setup() {
	WS_ARGS=()
	REQ=$BATS_TEST_TMPDIR/req
	BGPIDS=()
	FD=
}

teardown() {
	local pid
	for pid in "${BGPIDS[@]}"; do
		kill "$pid" 2> /dev/null || true
		wait "$pid" 2> /dev/null || true
	done
	[ -z "${FD:-}" ] || exec {FD}<&- || true
	# Handlers of this test's activator, by PID, then the activator.
	if [ -n "${ACTIVATOR_PID:-}" ]; then
		for pid in $(pgrep -P "$ACTIVATOR_PID"); do
			kill "$pid" 2> /dev/null || true
		done
	fi
	stop_activator || true
}

# --- Helpers ---------------------------------------------------------------

# hs FILE: run the handler on the request bytes in FILE (the inetd path
# with pipes), from the directory above the root.  The response is in $RESP
# ($RESP.head, $RESP.body), the log in $LOG.  Fails on a crash.
hs() {
	local rc=0
	RESP=$BATS_TEST_TMPDIR/resp
	LOG=$BATS_TEST_TMPDIR/log
	(cd "$BATS_FILE_TMPDIR" && exec timeout 20 "$WEBSERVER" "${WS_ARGS[@]}" "$DOCROOT") \
		< "$1" > "$RESP" 2> "$LOG" || rc=$?
	[ "$rc" -lt 128 ] || fail "the handler died of signal $((rc - 128))"
	[ "$rc" -ne 124 ] || fail "the handler hung"
	[ "$rc" -eq 0 ] || fail "the handler exited $rc: $(cat -v "$LOG")"
	! grep -aqE 'Sanitizer|runtime error' "$LOG" || fail "sanitizer report: $(cat "$LOG")"
	split_response "$RESP"
}

# hsf FORMAT [ARGS...]: hs on the bytes printf makes of FORMAT.
hsf() {
	# shellcheck disable=SC2059
	printf "$@" > "$REQ"
	hs "$REQ"
}

# The number of status lines in the raw response.
responses() {
	LC_ALL=C grep -ac '^HTTP/1\.1 ' "$RESP" || true
}

assert_one_response() {
	local n
	n=$(responses)
	[ "$n" -eq 1 ] || fail "expected exactly one response, got $n"
}

refute_secret() {
	! grep -aqF "$SECRET_MARK" "$RESP" || fail "the secret outside the root was served"
	! grep -aq '^root:' "$RESP" || fail "/etc/passwd was served"
}

assert_error() {
	assert_error_page "$1" "$2"
	assert_common_headers
	assert_one_response
}

assert_hello() {
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Length "$(wc -c < "$DOCROOT/HelloWorld.html")"
	assert_body_file "$DOCROOT/HelloWorld.html"
	assert_one_response
}

# The activator's log shows no handler that died of a signal or failed,
# and no sanitizer report.
assert_activator_clean() {
	local log=$BATS_FILE_TMPDIR/activator.log
	! grep -aE 'died with code [1-9]' "$log" || fail "a handler failed"
	! grep -aqE 'Sanitizer|runtime error' "$log" || fail "sanitizer report: $(cat "$log")"
}

# activator ARGS...: a fresh inetd activator for this test, fresh log.
activator() {
	: > "$BATS_FILE_TMPDIR/activator.log"
	start_activator --inetd "$@" || fail "cannot start systemd-socket-activate"
}

# handlers: the PIDs of the activator's children now running.
handlers() {
	pgrep -P "$ACTIVATOR_PID" || true
}

# wait_handler_pid: up to 5 s for a handler to appear; sets HPID.
wait_handler_pid() {
	local i
	HPID=
	for i in $(seq 1 50); do
		HPID=$(handlers | head -n1)
		[ -n "$HPID" ] && return 0
		sleep 0.1
	done
	fail "no handler process appeared"
}

# wait_no_handlers SECONDS: poll until no handler is left; fails after
# SECONDS.
wait_no_handlers() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		[ -z "$(handlers)" ] && return 0
		sleep 0.1
	done
	fail "a handler is still running after $1 s: $(handlers | tr '\n' ' ')"
}

# connect: open a connection to the activator as fd $FD.
connect() {
	exec {FD}<> "/dev/tcp/127.0.0.1/$PORT" || fail "cannot connect to port $PORT"
}

disconnect() {
	exec {FD}<&-
	FD=
}

# read_all SECONDS: everything the server sends until it closes, into
# $RESP; ELAPSED_MS is the time it took.
read_all() {
	local t0
	RESP=$BATS_TEST_TMPDIR/resp
	t0=$(date +%s%N)
	timeout "$1" cat <&"$FD" > "$RESP" || true
	ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
	split_response "$RESP"
}

# pad N: N bytes of 'a'.
pad() {
	head -c "$1" /dev/zero | tr '\0' a
}

# --- Traversal -------------------------------------------------------------

@test "traversal spellings beyond the common ones get 404 or 400, never a byte from outside" {
	local entry target want
	# TARGET|STATUS.  404: a name that does not exist or a refused dot
	# segment; 400: bytes that may not appear, or a broken %-escape.
	for entry in \
	    '/..;/secret|404' '/.../secret|404' '/./../secret|404' \
	    '/sub/./../../secret|404' '/sub/..%2f..%2fsecret|404' \
	    '/%2e%2e//secret|404' '//..//secret|404' '/%2f..%2fsecret|404' \
	    '/%2f%2e%2e%2fsecret|404' '/..%5c..%5csecret|404' \
	    '/%5c..%5c..%5csecret|404' '/..%252f..%252fsecret|404' \
	    '/%252e%252e%255csecret|404' '/%e0%80%ae%e0%80%ae/secret|404' \
	    '/%f0%80%80%ae%f0%80%80%ae/secret|404' '/..%c0%af..%c0%afsecret|404' \
	    '/..%c1%9c..%c1%9csecret|404' '/a/b/c/d/../../../../../secret|404' \
	    '/HelloWorld.html/../../secret|404' '/C:/../secret|404' \
	    '/inside.txt/..|404' '/sub/page.txt%2f..%2f..%2fsecret|404' \
	    '/%u002e%u002e/secret|400' '/%uff0e%uff0e/secret|400' \
	    '/..%00/secret|400' '/%2e%2e%01/secret|400' '/%%32%65%%32%65/secret|400' \
	    '../secret|400' '..%2fsecret|400' 'secret|400'; do
		target=${entry%|*}
		want=${entry##*|}
		printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$target" > "$REQ"
		hs "$REQ"
		refute_secret
		case $want in
		404) [ "$(status_line)" = "HTTP/1.1 404 Not Found" ] ||
			fail "$target: expected 404, got '$(status_line)'"
			assert_error 404 "Not Found" ;;
		400) [ "$(status_line)" = "HTTP/1.1 400 Bad Request" ] ||
			fail "$target: expected 400, got '$(status_line)'"
			assert_error 400 "Bad Request" ;;
		esac
	done
}

@test "raw NUL, overlong UTF-8 and backslash bytes in a traversal target get 400" {
	local t
	for t in '/..\000/secret' '/\000../secret' '/\300\256\300\256/secret' \
	    '/\340\200\256\340\200\256/secret' '\\..\\secret'; do
		hsf "GET $t HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n"
		refute_secret
		[ "$(status_line)" = "HTTP/1.1 400 Bad Request" ] ||
			fail "$t: expected 400, got '$(status_line)'"
		assert_error 400 "Bad Request"
	done
}

@test "symlinks out of the root through a chain, to / or through /proc magic links are 404" {
	local p
	for p in /chain1 /chain2 /rootlink/etc/passwd /procroot/etc/passwd \
	    /proccwd/secret; do
		hsf 'GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n' "$p"
		refute_secret
		[ "$(status_line)" = "HTTP/1.1 404 Not Found" ] ||
			fail "$p: expected 404, got '$(status_line)'"
		assert_error 404 "Not Found"
	done
}

@test "a symlink that leaves the root and comes back into it is 404: the walk may never leave" {
	hsf 'GET /outandback HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_error 404 "Not Found"
	# The file it names is there and served by its own name.
	hsf 'GET /inside.txt HTTP/1.1\r\nHost: localhost\r\n\r\n'
	assert_status 200 OK
	assert_body_file "$DOCROOT/inside.txt"
}

@test "a symlink swapped in and out during requests never serves a byte from outside" {
	local i ok=0 refused=0 stop=$BATS_TEST_TMPDIR/stop started=$BATS_TEST_TMPDIR/started
	# Swap docroot/swap, atomically by rename, between a regular file
	# inside, a relative and an absolute symlink to the secret outside.
	(
		cd "$DOCROOT" || exit 1
		for ((i = 0; i < 20000 && SECONDS < 120; i++)); do
			[ -e "$stop" ] && break
			case $((i % 3)) in
			0) ln -sfn ../secret .swap-tmp ;;
			1) ln -sfn "$BATS_FILE_TMPDIR/secret" .swap-tmp ;;
			2) cp inside.txt .swap-tmp ;;
			esac
			mv -T .swap-tmp swap || exit 1
			[ "$i" -eq 2 ] && : > "$started"
		done
	) 3>&- &
	BGPIDS+=($!)
	for ((i = 0; i < 100; i++)); do
		[ -e "$started" ] && break
		sleep 0.1
	done
	[ -e "$started" ] || fail "the swapping loop did not start"

	printf 'GET /swap HTTP/1.1\r\nHost: localhost\r\n\r\n' > "$REQ"
	SECONDS=0
	for ((i = 0; i < 200 && SECONDS < 120; i++)); do
		hs "$REQ"
		refute_secret
		case $(status_line) in
		'HTTP/1.1 200 OK')
			assert_body_file "$DOCROOT/inside.txt"
			ok=$((ok + 1)) ;;
		'HTTP/1.1 404 Not Found')
			assert_error 404 "Not Found"
			refused=$((refused + 1)) ;;
		*) fail "request $i: unexpected '$(status_line)'" ;;
		esac
	done
	: > "$stop"
	# Both states were met, or the race was not exercised.
	[ "$ok" -gt 0 ] && [ "$refused" -gt 0 ] ||
		fail "$ok served, $refused refused: the swap was never seen"
}

# --- Smuggling -------------------------------------------------------------

# Each framing below carries a second request behind the first; a
# second status line would mean it was read as one.
SMUGGLED='GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n'

# smuggle_cases: lines of STATUS|FIELD LINES (printf format, each \r\n-ended).
smuggle_cases() {
	cat <<-'EOF'
	400|Transfer-Encoding: chunked\r\nContent-Length: 5\r\n
	400|Content-Length: 5\r\nTransfer-Encoding: chunked\r\n
	400|Content-Length: 0\r\nContent-Length: 47\r\n
	400|Content-Length: 47, 0\r\n
	200|Content-Length: 0\r\nContent-Length: 0\r\n
	200|Transfer-Encoding: chunked\t\r\n
	400|Transfer-Encoding: xchunked\r\n
	400|Transfer-encoding: chunked, identity\r\n
	400|Transfer-Encoding: chunked, chunked\r\n
	501|Transfer-Encoding: gzip, chunked\r\n
	400|Transfer-Encoding: , chunked\r\nContent-Length: 5\r\n
	400|Transfer-Encoding:\vchunked\r\n
	400|Transfer-Encoding : chunked\r\n
	400|Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n
	400|X-Pad: x\r\n Transfer-Encoding: chunked\r\n
	200|Transfer_Encoding: chunked\r\n
	200|
	EOF
}

# reason CODE
reason() {
	case $1 in
	200) echo OK ;; 400) echo "Bad Request" ;; 501) echo "Not Implemented" ;;
	esac
}

@test "smuggling framings get exactly one response, with the status each framing earns" {
	local entry want fields
	while IFS= read -r entry; do
		want=${entry%%|*}
		fields=${entry#*|}
		hsf "GET /HelloWorld.html HTTP/1.1\\r\\nHost: localhost\\r\\n${fields}\\r\\n0\\r\\n\\r\\n$SMUGGLED"
		[ "$(status_line)" = "HTTP/1.1 $want $(reason "$want")" ] ||
			fail "'$fields': expected $want, got '$(status_line)'"
		if [ "$want" = 200 ]; then
			assert_hello
		else
			assert_error "$want" "$(reason "$want")"
		fi
	done < <(smuggle_cases)
}

@test "a request pipelined after a GET without a body is never answered" {
	hsf "GET /HelloWorld.html HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n$SMUGGLED$SMUGGLED"
	assert_hello
	hsf "HEAD /HelloWorld.html HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n$SMUGGLED"
	assert_status 200 OK
	assert_body ''
	assert_one_response
}

@test "over a socket, every smuggling framing gets exactly one response" {
	local entry want fields
	activator --timeout 5
	while IFS= read -r entry; do
		want=${entry%%|*}
		fields=${entry#*|}
		connect
		# shellcheck disable=SC2059
		printf "GET /HelloWorld.html HTTP/1.1\\r\\nHost: localhost\\r\\n${fields}\\r\\n0\\r\\n\\r\\n$SMUGGLED" >&"$FD"
		read_all 15
		disconnect
		[ "$(status_line)" = "HTTP/1.1 $want $(reason "$want")" ] ||
			fail "'$fields': expected $want, got '$(status_line)'"
		assert_one_response
	done < <(smuggle_cases)
	wait_no_handlers 15
	assert_activator_clean
}

# --- Slow clients ----------------------------------------------------------

@test "over a socket, a client idle after connect gets 408 and the close within the timeout" {
	activator --timeout 2
	connect
	read_all 20
	[ "$ELAPSED_MS" -ge 1500 ] || fail "answered after $ELAPSED_MS ms, before the timeout"
	[ "$ELAPSED_MS" -lt 6000 ] || fail "closed after $ELAPSED_MS ms"
	assert_error 408 "Request Timeout"
	disconnect
	wait_no_handlers 10
	assert_activator_clean
}

# early_400 FORMAT: over a socket to the activator, send the printf bytes of
# FORMAT and keep the connection open: the answer must be a 400 well before
# the timeout (10 s).
early_400() {
	connect
	# shellcheck disable=SC2059
	printf "$1" >&"$FD"
	read_all 15
	disconnect
	[ "$ELAPSED_MS" -lt 3000 ] || fail "$1: answered after $ELAPSED_MS ms, not at once"
	assert_error 400 "Bad Request"
}

@test "over a socket, a TLS ClientHello on the plain port gets 400 at once" {
	activator --timeout 10
	early_400 '\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03'
	wait_no_handlers 10
	assert_activator_clean
}

@test "over a socket, a request line without an HTTP version gets 400 at once" {
	activator --timeout 10
	early_400 'GET /HelloWorld.html\r\n'
	early_400 'GET /HelloWorld.html\n'
	wait_no_handlers 10
	assert_activator_clean
}

@test "over a socket, a request line of the wrong shape gets 400 at its first wrong byte" {
	activator --timeout 10
	early_400 'GET  /'
	early_400 'GET / HTTP/1.1x'
	early_400 'GET / http/1.1\r\n'
	early_400 'G\x00'
	early_400 'GET /a\x7f'
	early_400 '\r\n\r\n\x80'
	early_400 'GET / HTTP/1.1\r\r'
	wait_no_handlers 10
	assert_activator_clean
}

@test "over a socket, a head dripped one byte a second gets 408 within the timeout, not when it ends" {
	local c
	activator --timeout 2
	connect
	# A whole request of 34 bytes: complete only after 34 s.
	(
		for c in G E T ' ' / H e l l o W o r l d . h t m l ' ' H T T P / 1 . 0 '\r' '\n' '\r' '\n'; do
			printf "$c" 1>&"$FD" 2> /dev/null || exit 0
			sleep 1
		done
	) 3>&- &
	BGPIDS+=($!)
	read_all 40
	[ "$ELAPSED_MS" -ge 1500 ] || fail "answered after $ELAPSED_MS ms, before the timeout"
	[ "$ELAPSED_MS" -lt 6000 ] || fail "closed after $ELAPSED_MS ms: the drip extended the timeout"
	assert_error 408 "Request Timeout"
	disconnect
	# The handler lingers on the dripping client for a bounded time only.
	wait_no_handlers 10
	assert_activator_clean
}

@test "over a socket, a client that stops reading a 64 MiB response leaves no handler after the send timeout" {
	activator --timeout 2
	connect
	printf 'GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n' >&"$FD"
	wait_handler_pid
	# Nothing is read, the connection stays open.  The client's kernel
	# still acknowledges what its receive window holds, and 128 KiB more
	# wait unsent; then it takes no byte for 2 s and the write fails, then
	# at most 2 s of lingering close (none here: nothing more was sent).
	wait_no_handlers 30
	! [ -e "/proc/$HPID" ] || fail "handler $HPID still exists"
	disconnect
	# It logged the 200 with the bytes that left, fewer than the file's.
	run -0 grep -aE '"GET /big.bin HTTP/1.1" 200 [0-9]+ ' "$BATS_FILE_TMPDIR/activator.log"
	local sent
	sent=$(sed -E 's/.*" 200 ([0-9]+) .*/\1/' <<< "$output")
	[ "$sent" -lt "$BIG" ] || fail "logged $sent bytes sent to a client that read nothing"
	assert_activator_clean
}

@test "over a socket, a client that aborts mid-response leaves no handler" {
	activator --timeout 5
	connect
	printf 'GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n' >&"$FD"
	timeout 10 head -c 1048576 <&"$FD" > "$BATS_TEST_TMPDIR/part" || true
	[ "$(wc -c < "$BATS_TEST_TMPDIR/part")" -eq 1048576 ] || fail "the first MiB did not arrive"
	disconnect
	wait_no_handlers 10
	assert_activator_clean
}

@test "over a socket, a client that aborts mid-request-body leaves no handler" {
	activator --timeout 5
	connect
	{
		printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n'
		pad 1000
	} >&"$FD"
	disconnect
	wait_no_handlers 10
	assert_activator_clean
}

# --- Floods and garbage ----------------------------------------------------

@test "1000 header fields get 431" {
	local i
	{
		printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n'
		for ((i = 0; i < 1000; i++)); do
			printf 'X-F%d: %d\r\n' "$i" "$i"
		done
		printf '\r\n'
	} > "$REQ"
	hs "$REQ"
	assert_error 431 "Request Header Fields Too Large"
}

@test "over a socket, a 100 KiB header section gets 431 whole, not a reset" {
	local i
	{
		printf 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n'
		for ((i = 0; i < 100; i++)); do
			printf 'X-F%03d: ' "$i"
			pad 1030
			printf '\r\n'
		done
		printf '\r\n'
	} > "$REQ"
	[ "$(wc -c < "$REQ")" -gt 102400 ] || fail "the request is too small"
	activator --timeout 5
	connect
	timeout 10 cat "$REQ" 1>&"$FD" 2> /dev/null || true
	read_all 15
	disconnect
	assert_error 431 "Request Header Fields Too Large"
	wait_no_handlers 10
	assert_activator_clean
}

@test "a 1 MiB stream of garbage gets a 4xx error page" {
	local got
	# Deterministic garbage first: NULs (no line end, and no method can
	# start with one), a single long line, and nothing but empty lines.
	head -c 1048576 /dev/zero > "$REQ"
	hs "$REQ"
	assert_error 400 "Bad Request"
	pad 1048576 > "$REQ"
	hs "$REQ"
	assert_error 414 "URI Too Long"
	yes $'\r' | head -c 1048576 > "$REQ"
	hs "$REQ"
	assert_error 400 "Bad Request"
	# Random bytes: a bare CR or a bad request line (400), or no line
	# end for 8 KiB (414).
	head -c 1048576 /dev/urandom > "$REQ"
	hs "$REQ"
	got=$(status_line)
	case $got in
	'HTTP/1.1 400 Bad Request') assert_error 400 "Bad Request" ;;
	'HTTP/1.1 414 URI Too Long') assert_error 414 "URI Too Long" ;;
	*) fail "random garbage: '$got'" ;;
	esac
}

@test "a TLS ClientHello gets 400" {
	# TLS 1.3 ClientHello for localhost: record header 16 03 01, no CR or
	# LF in it; the client then waits, and here the input ends.
	printf '\x16\x03\x01\x00\x4a' > "$REQ"
	printf '\x01\x00\x00\x46\x03\x03' >> "$REQ"
	head -c 32 /dev/zero | tr '\0' '\253' >> "$REQ"
	printf '\x00\x00\x04\x13\x01\xc0\x2f\x01\x00' >> "$REQ"
	printf '\x00\x19\x00\x00\x00\x0e\x00\x0c\x00\x00\x09localhost' >> "$REQ"
	printf '\x00\x2b\x00\x03\x02\x03\x04' >> "$REQ"
	[ "$(wc -c < "$REQ")" -eq $((5 + 0x4a)) ] || fail "bad ClientHello length"
	hs "$REQ"
	assert_error 400 "Bad Request"
}

@test "the HTTP/2 preface gets 505: the version is checked before the PRI method" {
	hsf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
	assert_error 505 "HTTP Version Not Supported"
	# With an HTTP/2 SETTINGS frame behind it, still one answer.
	hsf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00'
	assert_error 505 "HTTP Version Not Supported"
}

@test "invalid UTF-8 or NUL in the target, Host or a field name gets 400; in a field value it is obs-text and served" {
	local t
	for t in '/\377' '/caf\303(' '/\300\257' '/\355\240\200' '/a\000b'; do
		hsf "GET $t HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n"
		assert_error 400 "Bad Request"
	done
	for t in 'Host: local\377host' 'Host: local\000host' 'X-\377: a' 'X-\000: a' \
	    'X-A: a\000b'; do
		hsf "GET /HelloWorld.html HTTP/1.1\\r\\n$t\\r\\n\\r\\n"
		assert_error 400 "Bad Request"
	done
	# RFC 9110, section 5.5: field values may carry obs-text (0x80-0xff).
	hsf 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\nX-A: \377\300\257\r\nUser-Agent: \377x\r\n\r\n'
	assert_hello
	grep -aqF '"\xffx"' "$LOG" || fail "log: $(cat -v "$LOG")"
}

# --- Log injection ---------------------------------------------------------

@test "CR, LF, ESC, NUL and a quote in the target, Host and User-Agent give exactly one escaped log line" {
	local entry where byte want req got
	# WHERE|BYTE|LOG LINE after the date.  The target is logged as sent
	# up to a line end; a refused Host or User-Agent is never logged.
	while IFS= read -r entry; do
		where=${entry%%|*}
		entry=${entry#*|}
		byte=${entry%%|*}
		want=${entry#*|}
		case $where in
		target) req="GET /a${byte}FORGED HTTP/1.1\\r\\nHost: example.com\\r\\nUser-Agent: ua\\r\\n\\r\\n" ;;
		host) req="GET /HelloWorld.html HTTP/1.1\\r\\nHost: exa${byte}FORGED\\r\\nUser-Agent: ua\\r\\n\\r\\n" ;;
		ua) req="GET /HelloWorld.html HTTP/1.1\\r\\nHost: example.com\\r\\nUser-Agent: u${byte}FORGED\\r\\n\\r\\n" ;;
		esac
		hsf "$req"
		assert_one_response
		[ "$(wc -l < "$LOG")" -eq 1 ] || fail "$where $byte: $(wc -l < "$LOG") log lines: $(cat -v "$LOG")"
		! tr -d '\n' < "$LOG" | LC_ALL=C grep -aqP '[\x00-\x1f\x7f]' ||
			fail "$where $byte: a raw control byte in the log: $(cat -v "$LOG")"
		got=$(sed -E 's/^- - - \[[^]]*\] //' "$LOG")
		[ "$got" = "$want" ] || fail "$where $byte: log '$got', expected '$want'"
	done <<-'EOF'
	target|\r|"GET /a" 400 111 "-" "-"
	target|\n|"GET /a" 400 111 "-" "-"
	target|\033|"GET /a\x1bFORGED HTTP/1.1" 400 111 "-" "ua"
	target|\000|"GET /a\x00FORGED HTTP/1.1" 400 111 "-" "ua"
	target|"|"GET /a\x22FORGED HTTP/1.1" 404 107 "-" "ua"
	host|\r|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"
	host|\n|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"
	host|\033|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"
	host|\000|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"
	host|"|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"
	ua|\r|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"
	ua|\n|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "u"
	ua|\033|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"
	ua|\000|"GET /HelloWorld.html HTTP/1.1" 400 111 "-" "-"
	ua|"|"GET /HelloWorld.html HTTP/1.1" 200 170 "-" "u\x22FORGED"
	EOF
}

# --- Range abuse -----------------------------------------------------------

# ranges COUNT SPEC: "bytes=" and COUNT copies of SPEC, comma-separated.
ranges() {
	local i out="bytes=$2"
	for ((i = 1; i < $1; i++)); do
		out+=",$2"
	done
	printf '%s' "$out"
}

@test "1000 small ranges get 200 with the whole file, once" {
	local spec
	for spec in 0-0 5-9 -1 0- 1000-1001; do
		hsf 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\nRange: %s\r\n\r\n' \
		    "$(ranges 1000 "$spec")"
		[ "$(status_line)" = "HTTP/1.1 200 OK" ] ||
			fail "1000 x $spec: expected 200, got '$(status_line)'"
		assert_hello
		refute_header Content-Range
	done
}

@test "a Range field as long as the header limit allows gets 200 with the whole file" {
	# 30000 bytes of ranges, within the 32768-byte header section.
	hsf 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\nRange: %s\r\n\r\n' \
	    "$(ranges 3000 0-1,2-3)"
	assert_hello
	refute_header Content-Range
}

# --- Faults ----------------------------------------------------------------

@test "a file truncated while it is sent ends the connection short, with its true prefix and no padding" {
	local size i
	cp "$DOCROOT/big.bin" "$DOCROOT/trunc.bin"
	chmod 644 "$DOCROOT/trunc.bin"
	activator --timeout 5
	RESP=$BATS_TEST_TMPDIR/resp
	curl -sS --max-time 60 --limit-rate 4M -D "$RESP.rawhead" -o "$RESP.body" \
	    -w '%{http_code}' "http://127.0.0.1:$PORT/trunc.bin" \
	    > "$BATS_TEST_TMPDIR/code" 2> "$BATS_TEST_TMPDIR/curl.err" 3>&- &
	local curl_pid=$!
	BGPIDS+=("$curl_pid")
	for ((i = 0; i < 200; i++)); do
		size=$(stat -c %s "$RESP.body" 2> /dev/null || echo 0)
		[ "$size" -ge 1048576 ] && break
		sleep 0.1
	done
	[ "$size" -ge 1048576 ] || fail "the transfer did not start"
	# Cut at a page boundary, well before the end.
	truncate -s $((4 * 1024 * 1024)) "$DOCROOT/trunc.bin"
	local rc=0
	wait "$curl_pid" || rc=$?
	BGPIDS=()
	# curl 18: the transfer closed with bytes remaining.
	[ "$rc" -eq 18 ] || fail "curl exited $rc: $(cat "$BATS_TEST_TMPDIR/curl.err")"
	[ "$(cat "$BATS_TEST_TMPDIR/code")" = 200 ] || fail "code $(cat "$BATS_TEST_TMPDIR/code")"
	grep -aqi "^Content-Length: $BIG"$'\r'"\$" "$RESP.rawhead" || fail "$(cat "$RESP.rawhead")"
	size=$(wc -c < "$RESP.body")
	[ "$size" -lt "$BIG" ] || fail "received $size bytes: the whole length"
	cmp -s -n "$size" "$RESP.body" "$DOCROOT/big.bin" ||
		fail "the $size bytes received are not the file's prefix"
	wait_no_handlers 10
	assert_activator_clean
}

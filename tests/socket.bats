#!/usr/bin/env bats
# Over real loopback sockets, under systemd-socket-activate: the inetd path
# (--inetd: fds 0 and 1) and the LISTEN_FDS path (fd 3), one process per
# connection.  libsystemd is loaded on the LISTEN_FDS path only.

load test_helper

setup_file() {
	make_docroot
	export DOCROOT
	head -c $((64 * 1024 * 1024)) /dev/urandom > "$DOCROOT/random.bin"
	# Up to 8192 bytes a body goes out with its head, beyond by sendfile.
	head -c 8192 /dev/urandom > "$DOCROOT/b8192.bin"
	head -c 8193 /dev/urandom > "$DOCROOT/b8193.bin"
	start_activator --inetd || return 1
	export INETD_PORT=$PORT INETD_PID=$ACTIVATOR_PID
	start_activator --fds || return 1
	export FDS_PORT=$PORT FDS_PID=$ACTIVATOR_PID
}

teardown_file() {
	local pid
	for pid in "${INETD_PID:-}" "${FDS_PID:-}"; do
		[ -n "$pid" ] || continue
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	true
}

# use MODE: talk to the activator of MODE (inetd or fds).
use() {
	case $1 in
	inetd) PORT=$INETD_PORT ACTIVATOR_PID=$INETD_PID ;;
	fds) PORT=$FDS_PORT ACTIVATOR_PID=$FDS_PID ;;
	esac
	kill -0 "$ACTIVATOR_PID" 2>/dev/null || fail "the $1 activator is gone"
}

check_hello() {
	use "$1"
	fetch /HelloWorld.html
	[ "$CODE" = 200 ] || fail "expected 200, got $CODE"
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header Content-Length "$(wc -c < "$DOCROOT/HelloWorld.html")"
	assert_body_file "$DOCROOT/HelloWorld.html"
}

check_missing() {
	use "$1"
	fetch /no-such-page.html
	[ "$CODE" = 404 ] || fail "expected 404, got $CODE"
	assert_error_page 404 "Not Found"
	assert_common_headers
}

check_big() {
	use "$1"
	fetch /random.bin
	[ "$CODE" = 200 ] || fail "expected 200, got $CODE"
	assert_status 200 OK
	assert_header Content-Type application/octet-stream
	assert_header Content-Length 67108864
	cmp "$RESP.body" "$DOCROOT/random.bin" || fail "the 64 MiB body differs"
}

# check_libsystemd MODE yes|no: hold a connection open with half a request
# head, find its handler among the activator's children, and look for
# libsystemd in its memory map; then finish the request.
check_libsystemd() {
	local mode=$1 want=$2 maps
	use "$mode"
	hold_handler 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n'
	maps=$(cat "/proc/$HANDLER_PID/maps")
	release_handler '\r\n'
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
	grep -q 'libc\.so' <<< "$maps" || fail "the map of $HANDLER_PID does not look like a map"
	if [ "$want" = yes ]; then
		grep -q 'libsystemd\.so' <<< "$maps" || fail "libsystemd is not mapped in $HANDLER_PID"
	else
		! grep -q 'libsystemd\.so' <<< "$maps" || fail "libsystemd is mapped in $HANDLER_PID"
	fi
}

# check_log MODE: the log line of a request names the client, 127.0.0.1.
check_log() {
	local probe="probe-$1-$RANDOM$RANDOM" i line= size
	use "$1"
	size=$(wc -c < "$DOCROOT/HelloWorld.html")
	fetch "/HelloWorld.html?$probe" -A test-agent
	[ "$CODE" = 200 ] || fail "expected 200, got $CODE"
	for i in $(seq 1 100); do
		line=$(grep -aF "$probe" "$BATS_FILE_TMPDIR/activator.log")
		[ -n "$line" ] && break
		sleep 0.05
	done
	[[ $line =~ ^127\.0\.0\.1\ -\ -\ \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}\ \+0000\]\ \"GET\ /HelloWorld\.html\?$probe\ HTTP/1\.1\"\ 200\ $size\ \"-\"\ \"test-agent\"$ ]] ||
		fail "log line: '$line'"
}

# log_line_of PROBE: the activator's log line that contains PROBE.
log_line_of() {
	local i line=
	for i in $(seq 1 100); do
		line=$(grep -aF "$1" "$BATS_FILE_TMPDIR/activator.log")
		[ -n "$line" ] && break
		sleep 0.05
	done
	printf '%s\n' "$line"
}

# check_sizes MODE: bodies at and past the size sent with the head, whole
# and in part, arrive byte-exact and are logged with their sizes.
check_sizes() {
	local f probe line
	use "$1"
	for f in b8192 b8193; do
		probe="$f-$RANDOM$RANDOM"
		fetch "/$f.bin?$probe"
		[ "$CODE" = 200 ] || fail "$f: expected 200, got $CODE"
		assert_header Content-Length "$(wc -c < "$DOCROOT/$f.bin")"
		cmp "$RESP.body" "$DOCROOT/$f.bin" || fail "$f: the body differs"
		line=$(log_line_of "$probe")
		[[ $line == *"\" 200 ${f#b} \"-\" "* ]] || fail "$f: log line '$line'"

		probe="$f-range-$RANDOM$RANDOM"
		fetch "/$f.bin?$probe" -H 'Range: bytes=8000-'
		[ "$CODE" = 206 ] || fail "$f range: expected 206, got $CODE"
		assert_header Content-Range "bytes 8000-$((${f#b} - 1))/${f#b}"
		tail -c +8001 "$DOCROOT/$f.bin" | cmp "$RESP.body" - ||
			fail "$f range: the body differs"
		line=$(log_line_of "$probe")
		[[ $line == *"\" 206 $((${f#b} - 8000)) \"-\" "* ]] ||
			fail "$f range: log line '$line'"
	done
}

@test "inetd: HelloWorld.html is 200 with its exact bytes" {
	check_hello inetd
}

@test "inetd: a missing file is 404" {
	check_missing inetd
}

@test "inetd: a 64 MiB file arrives byte-exact" {
	check_big inetd
}

@test "inetd: bodies of 8192 and 8193 bytes, whole and in part, are exact and logged" {
	check_sizes inetd
}

@test "inetd: libsystemd is not mapped" {
	check_libsystemd inetd no
}

@test "inetd: the log line names the client 127.0.0.1" {
	check_log inetd
}

@test "LISTEN_FDS: HelloWorld.html is 200 with its exact bytes" {
	check_hello fds
}

@test "LISTEN_FDS: a missing file is 404" {
	check_missing fds
}

@test "LISTEN_FDS: a 64 MiB file arrives byte-exact" {
	check_big fds
}

@test "LISTEN_FDS: bodies of 8192 and 8193 bytes, whole and in part, are exact and logged" {
	check_sizes fds
}

@test "LISTEN_FDS: libsystemd is mapped" {
	check_libsystemd fds yes
}

@test "LISTEN_FDS: the log line names the client 127.0.0.1" {
	check_log fds
}

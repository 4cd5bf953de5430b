#!/usr/bin/env bats
# valgrind memcheck over a representative set of requests: no error, no
# leak, and no descriptor left open but 0-2 at exit.  The handler is built
# with the sandbox that lets checkers work (SANDBOX_FOR_CHECKERS): the
# seccomp filter would otherwise kill valgrind's own system calls.
# valgrind 3.19 does not know the Landlock calls and answers ENOSYS, so
# these runs also cover the handler's "no Landlock" path.

load test_helper

setup_file() {
	make_docroot
	mkdir -p "$DOCROOT/sub" "$DOCROOT/empty"
	printf 'sub page\n' > "$DOCROOT/sub/index.html"
	printf 'x%.0s' $(seq 1 1000) > "$DOCROOT/k.txt"
	# Never a sanitizer build (make check SANITIZE=1): ASan and valgrind
	# cannot run together.
	CHECKED=$(MAKEFLAGS= SANITIZE= build_variant checked -DSANDBOX_FOR_CHECKERS)
	export CHECKED DOCROOT
}

# memcheck ARGS... < request: run the checked build under valgrind; the
# response goes to $RESP, valgrind's report to $VG.
memcheck() {
	RESP=$BATS_TEST_TMPDIR/resp
	VG=$BATS_TEST_TMPDIR/vg
	# bats hands its own descriptors down: close all but 0-2 first.
	# valgrind reports on stderr; the handler logs nowhere.
	(
		exec_clean timeout 120 valgrind --error-exitcode=99 --leak-check=full \
			--show-leak-kinds=all --errors-for-leak-kinds=all --track-fds=yes \
			"$CHECKED" --log none "$@" "$DOCROOT"
	) > "$RESP" 2> "$VG"
}

@test "memcheck: a representative set of requests, 0 errors and only fds 0-2 at exit" {
	command -v valgrind >/dev/null || fail "valgrind is not installed"
	[ -x "$CHECKED" ] || fail "the build failed: $(cat "$BATS_FILE_TMPDIR/checked-build.log")"
	local reqs=(
		'GET /HelloWorld.html HTTP/1.0\r\n\r\n|200'
		'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n|200'
		'GET /sub HTTP/1.1\r\nHost: x\r\n\r\n|301'
		'GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n|200'
		'GET /empty/ HTTP/1.1\r\nHost: x\r\n\r\n|403'
		'GET /missing HTTP/1.1\r\nHost: x\r\nUser-Agent: a"b\xc3\xa9\r\n\r\n|404'
		'GET /k.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=10-19\r\n\r\n|206'
		'GET /k.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=5000-\r\n\r\n|416'
		'GET /k.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n\r\n|304'
		'GET /k.txt HTTP/1.1\r\nHost: x\r\nIf-Match: "nope"\r\n\r\n|412'
		'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n|200'
		'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc|405'
		'BREW / HTTP/1.1\r\nHost: x\r\n\r\n|501'
		'GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n|400'
		'GET / HTTP/2.0\r\n\r\n|505'
		'GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n|404'
		'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n|413'
	)
	local r req code n=0
	for r in "${reqs[@]}"; do
		req=${r%|*}
		code=${r##*|}
		printf '%b' "$req" > "$BATS_TEST_TMPDIR/req"
		memcheck < "$BATS_TEST_TMPDIR/req" || fail "valgrind exit $?: $(cat "$VG")"
		split_response "$RESP"
		assert_status "$code" "$(status_reason_of "$code")"
		grep -q 'ERROR SUMMARY: 0 errors' "$VG" || fail "errors for $req: $(cat "$VG")"
		grep -q 'FILE DESCRIPTORS: 3 open (3 std) at exit' "$VG" ||
			fail "descriptors left open for $req: $(grep -A8 'FILE DESCRIPTORS' "$VG")"
		n=$((n + 1))
	done
	[ "$n" -eq 17 ]
}

@test "memcheck: a --list page and a request-head timeout, 0 errors" {
	[ -x "$CHECKED" ] || fail "the build failed"
	printf 'GET /empty/ HTTP/1.1\r\nHost: x\r\n\r\n' > "$BATS_TEST_TMPDIR/req"
	memcheck --list < "$BATS_TEST_TMPDIR/req" || fail "valgrind: $(cat "$VG")"
	split_response "$RESP"
	assert_status 200 OK
	grep -q 'ERROR SUMMARY: 0 errors' "$VG" || fail "$(cat "$VG")"
	grep -q 'FILE DESCRIPTORS: 3 open (3 std) at exit' "$VG" || fail "$(cat "$VG")"
	# A writer that never finishes the head: 408 after --timeout.
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	{ printf 'GET / HTTP/1.1\r\n'; sleep 6; } > "$BATS_TEST_TMPDIR/fifo" &
	local writer=$!
	memcheck --timeout 1 < "$BATS_TEST_TMPDIR/fifo" || { kill "$writer"; fail "valgrind: $(cat "$VG")"; }
	kill "$writer" 2>/dev/null || true
	split_response "$RESP"
	assert_error_page 408 "Request Timeout"
	grep -q 'ERROR SUMMARY: 0 errors' "$VG" || fail "$(cat "$VG")"
	grep -q 'FILE DESCRIPTORS: 3 open (3 std) at exit' "$VG" || fail "$(cat "$VG")"
}

#!/usr/bin/env bats
# The static musl build (make STATIC=1): inetd-style activation only, the
# same sandbox as the default build, and a clear refusal of LISTEN_FDS.

load test_helper

setup_file() {
	make_docroot
	# A symlink to a hidden file and one to an ordinary file: the static
	# build spells the openat2() flags out itself.
	printf 'user:pass\n' > "$DOCROOT/.htpasswd"
	ln -s .htpasswd "$DOCROOT/dot-link.txt"
	ln -s HelloWorld.html "$DOCROOT/hello-link.html"
	local dir=$BATS_FILE_TMPDIR/static
	mkdir -p "$dir"
	cp -r "$ROOT/Makefile" "$ROOT/src" "$dir/"
	rm -f "$dir"/src/*.o "$dir"/src/.flags
	# Never a sanitizer build: musl has no sanitizer runtimes.
	if MAKEFLAGS= make -C "$dir" STATIC=1 SANITIZE= webserver > "$dir-build.log" 2>&1; then
		export STATIC_BIN=$dir/webserver
	fi
}

setup() {
	[ -x "${STATIC_BIN:-}" ] ||
		fail "make STATIC=1 failed: $(tail -20 "$BATS_FILE_TMPDIR/static-build.log")"
	WEBSERVER=$STATIC_BIN
	DOCROOT=$BATS_FILE_TMPDIR/www
	WS_ARGS=(--log none)
}

teardown() {
	stop_activator
}

@test "STATIC=1 makes a static executable: no interpreter, no shared library" {
	run -0 readelf -lW "$STATIC_BIN"
	refute_output --partial 'INTERP'
	run -0 readelf -dW "$STATIC_BIN"
	refute_output --partial '(NEEDED)'
}

@test "STATIC=1 answers a request on stdin with the exact page, and 404" {
	send 'GET /HelloWorld.html HTTP/1.0\r\n\r\n'
	assert_status 200 OK
	assert_header Content-Length "$(wc -c < "$DOCROOT/HelloWorld.html")"
	assert_body_file "$DOCROOT/HelloWorld.html"
	send 'GET /missing.html HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_error_page 404 "Not Found"
}

@test "STATIC=1 refuses a symlink to a hidden file and serves one to an ordinary file" {
	send 'GET /dot-link.txt HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_error_page 404 "Not Found"
	! grep -aq 'user:pass' "$RESP" || fail "the hidden file was served"
	send 'GET /hello-link.html HTTP/1.1\r\nHost: x\r\n\r\n'
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
}

@test "STATIC=1 serves inetd style under systemd-socket-activate" {
	start_activator --inetd --log none
	fetch /HelloWorld.html
	[ "$CODE" = 200 ] || fail "status $CODE"
	assert_body_file "$DOCROOT/HelloWorld.html"
	fetch /missing.html
	[ "$CODE" = 404 ] || fail "status $CODE"
}

@test "STATIC=1 runs with no_new_privs and a seccomp filter" {
	check_confined --inetd
}

@test "STATIC=1 refuses a LISTEN_FDS start with a clear message and sends nothing" {
	start_activator --fds
	run curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' --max-time 10 \
		"http://127.0.0.1:$PORT/HelloWorld.html"
	assert_output 000
	[ ! -s "$BATS_TEST_TMPDIR/body" ] || fail "body: $(cat "$BATS_TEST_TMPDIR/body")"
	grep -qF 'LISTEN_FDS is set, but this static build cannot load libsystemd; use inetd-style activation (StandardInput=socket)' \
		"$BATS_FILE_TMPDIR/activator.log" ||
		fail "activator log: $(cat "$BATS_FILE_TMPDIR/activator.log")"
}

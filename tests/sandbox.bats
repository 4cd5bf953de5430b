#!/usr/bin/env bats
# The sandbox inside the process: no_new_privs, seccomp, Landlock, and
# never serving as root.

load test_helper

setup_file() {
	make_docroot
	SECRET_MARK="landlock-secret-$RANDOM$RANDOM"
	printf '%s\n' "$SECRET_MARK" > "$BATS_FILE_TMPDIR/secret.txt"
	chmod 644 "$BATS_FILE_TMPDIR/secret.txt"
	ln -s ../secret.txt "$BATS_FILE_TMPDIR/www/out.txt"
	export SECRET_MARK
}

setup() {
	WS_ARGS=(--log none)
	DOCROOT=$BATS_FILE_TMPDIR/www
}

teardown() {
	stop_activator
}

@test "an inetd-style handler runs with no_new_privs and a seccomp filter" {
	check_confined --inetd
}

@test "a LISTEN_FDS handler runs with no_new_privs and a seccomp filter" {
	check_confined --fds
}

@test "started as root, the handler serves as nobody with no groups" {
	[ "$(id -u)" = 0 ] || skip "needs root to see the drop"
	start_activator --inetd --log none
	hold_handler 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n'
	local uid gid groups
	uid=$(status_field Uid)
	gid=$(status_field Gid)
	groups=$(status_field Groups)
	release_handler '\r\n'
	local nobody_gid
	nobody_gid=$(getent passwd nobody | cut -d: -f4)
	[ "$uid" = "65534 65534 65534 65534" ] || fail "Uid: '$uid'"
	[ "$gid" = "$nobody_gid $nobody_gid $nobody_gid $nobody_gid" ] || fail "Gid: '$gid'"
	[ -z "$groups" ] || fail "Groups: '$groups'"
	assert_status 200 OK
}

@test "--user NAME chooses the user served as when started as root" {
	[ "$(id -u)" = 0 ] || skip "needs root to see the drop"
	start_activator --inetd --log none --user daemon
	hold_handler 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n'
	local uid
	uid=$(status_field Uid)
	release_handler '\r\n'
	local want
	want=$(id -u daemon)
	[ "$uid" = "$want $want $want $want" ] || fail "Uid: '$uid'"
	assert_status 200 OK
}

@test "--user root and an unknown user are refused before anything is read" {
	[ "$(id -u)" = 0 ] || skip "needs root to see the drop"
	printf 'GET /HelloWorld.html HTTP/1.0\r\n\r\n' > "$BATS_TEST_TMPDIR/req"
	run -1 --separate-stderr "$WEBSERVER" --user root "$DOCROOT" < "$BATS_TEST_TMPDIR/req"
	[ -z "$output" ] || fail "stdout: $output"
	[ "$stderr" = "webserver: refusing to serve as root or with group root: user root" ] || fail "stderr: $stderr"
	run -1 --separate-stderr "$WEBSERVER" --user no-such-user-x "$DOCROOT" < "$BATS_TEST_TMPDIR/req"
	[ -z "$output" ] || fail "stdout: $output"
	[ "$stderr" = "webserver: cannot drop root: no such user: no-such-user-x" ] || fail "stderr: $stderr"
}

@test "--user naming a user whose group is root is refused before anything is read" {
	[ "$(id -u)" = 0 ] || skip "needs root to see the drop"
	command -v unshare > /dev/null || skip "no unshare"
	# A user database of the test's own, seen only in a private mount
	# namespace: wheel0 has uid 4242 and the root group.
	{ cat /etc/passwd; echo 'wheel0:x:4242:0::/nonexistent:/usr/sbin/nologin'; } \
		> "$BATS_TEST_TMPDIR/passwd"
	printf 'GET /HelloWorld.html HTTP/1.0\r\n\r\n' > "$BATS_TEST_TMPDIR/req"
	run -1 --separate-stderr unshare -m sh -c \
		'mount --bind "$1" /etc/passwd && exec "$2" --user wheel0 "$3"' \
		sh "$BATS_TEST_TMPDIR/passwd" "$WEBSERVER" "$DOCROOT" < "$BATS_TEST_TMPDIR/req"
	[ -z "$output" ] || fail "stdout: $output"
	[ "$stderr" = "webserver: refusing to serve as root or with group root: user wheel0" ] ||
		fail "stderr: $stderr"
}

@test "started as another user with the root group, the handler refuses to serve" {
	[ "$(id -u)" = 0 ] || skip "needs root to start a process with another uid"
	command -v setpriv > /dev/null || skip "no setpriv"
	# A root that user 65534 can reach: the test's own directories are
	# private to root.
	local root
	root=$(mktemp -d /tmp/webserver-group.XXXXXX)
	cp "$DOCROOT/HelloWorld.html" "$root/"
	chmod -R a+rX "$root"
	printf 'GET /HelloWorld.html HTTP/1.0\r\n\r\n' > "$BATS_TEST_TMPDIR/req"
	run --separate-stderr setpriv --reuid=65534 --regid=0 --clear-groups \
		"$WEBSERVER" "$root" < "$BATS_TEST_TMPDIR/req"
	local rc=$status out=$output err=$stderr
	# The same user with its own group serves.
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$WEBSERVER" --log none "$root" < "$BATS_TEST_TMPDIR/req"
	rm -rf "$root"
	[ "$rc" = 1 ] || fail "exit status $rc with group root"
	[ -z "$out" ] || fail "stdout: $out"
	[ "$err" = "webserver: refusing to serve with group root" ] || fail "stderr: $err"
	[ "$status" = 0 ] || fail "exit status $status with group 65534: $stderr"
	[[ $output == "HTTP/1.1 200 OK"* ]] || fail "stdout: $output"
}

@test "files the served-as user cannot read get 403, even when started as root" {
	[ "$(id -u)" = 0 ] || skip "needs root to see the drop"
	printf 'private\n' > "$DOCROOT/private.txt"
	chmod 600 "$DOCROOT/private.txt"
	send 'GET /private.txt HTTP/1.0\r\n\r\n'
	rm -f "$DOCROOT/private.txt"
	assert_error_page 403 Forbidden
}

# landlock_open [--openat] ROOT NAME: tests/tools/landlock-open, linked
# with src/sandbox.c, applies the sandbox to ROOT as the handler does, then
# opens NAME under it without RESOLVE_BENEATH (openat2(), or openat()):
# Landlock alone decides.  The file's bytes land in $OUT, messages in $ERR.
landlock_open() {
	need_tool landlock-open
	OUT=$BATS_TEST_TMPDIR/out
	ERR=$BATS_TEST_TMPDIR/err
	"$TOOLS/landlock-open" "$@" > "$OUT" 2> "$ERR"
}

@test "without RESOLVE_BENEATH, the sandbox still lets a file inside the root be read" {
	local how
	for how in "" --openat; do
		landlock_open $how "$DOCROOT" HelloWorld.html ||
			fail "${how:-openat2}: exit $?: $(cat "$ERR")"
		cmp -s "$OUT" "$DOCROOT/HelloWorld.html" || fail "${how:-openat2}: the bytes differ"
	done
}

@test "without RESOLVE_BENEATH, Landlock alone refuses a symlink out of the root" {
	local rc how call
	landlock_open "$DOCROOT" out.txt || true
	if grep -q 'Landlock is not available' "$ERR"; then
		skip "this kernel has no Landlock"
	fi
	# The same symlink, the same user and the same sandbox, with a root
	# that holds the target: the secret can be read, so the refusal
	# below is Landlock's, not the file's permissions.
	landlock_open "$BATS_FILE_TMPDIR" www/out.txt ||
		fail "the control read failed: exit $?: $(cat "$ERR")"
	grep -qF "$SECRET_MARK" "$OUT" || fail "the control read did not get the secret"
	for how in "" --openat; do
		call=${how:+openat}
		call=${call:-openat2}
		rc=0
		landlock_open $how "$DOCROOT" out.txt || rc=$?
		! grep -aqF "$SECRET_MARK" "$OUT" || fail "$call: the secret outside the root was read"
		[ "$rc" = 1 ] || fail "$call: exit $rc: $(cat "$ERR")"
		# EACCES is what src/path.c answers with 403.
		[ "$(cat "$ERR")" = "landlock-open: $call out.txt: EACCES" ] ||
			fail "$call: $(cat "$ERR")"
	done
}

@test "the handler refuses the same symlink in the kernel, with 404" {
	send 'GET /out.txt HTTP/1.0\r\n\r\n'
	! grep -aqF "$SECRET_MARK" "$RESP" || fail "the secret outside the root was served"
	assert_error_page 404 "Not Found"
}

# run_call CALL: tests/tools/seccomp-call, a plain build (never a sanitizer
# one: those let unlisted calls through) linked with src/sandbox.c, applies
# the sandbox to the root as the handler does, then makes CALL.
run_call() {
	need_tool seccomp-call
	"$TOOLS/seccomp-call" ${CALL_OPTS[@]+"${CALL_OPTS[@]}"} "$DOCROOT" "$1" \
		> "$BATS_TEST_TMPDIR/out" 2>&1 || return $?
}

# assert_killed CALL: SIGSYS (128 + 31), and not one byte written.
assert_killed() {
	local rc=0
	run_call "$1" || rc=$?
	[ "$rc" = 159 ] || fail "$1: exit status $rc, not 159 (SIGSYS)"
	[ ! -s "$BATS_TEST_TMPDIR/out" ] || fail "$1: output: $(cat "$BATS_TEST_TMPDIR/out")"
}

# assert_allowed CALL: the call works and the process lives on.
assert_allowed() {
	local rc=0
	run_call "$1" || rc=$?
	[ "$rc" = 0 ] || fail "$1: exit status $rc: $(cat "$BATS_TEST_TMPDIR/out")"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "$1 survived" ] ||
		fail "$1: output: $(cat "$BATS_TEST_TMPDIR/out")"
}

@test "a system call off the seccomp allow-list kills the process, with nothing written" {
	assert_killed getppid
}

@test "seccomp: mmap with PROT_EXEC and any socket() are killed, mmap without it is not" {
	assert_killed mmap-exec
	assert_killed socket-inet
	assert_killed socket-unix
	assert_allowed mmap-read
}

@test "seccomp: ioctl only reads a socket's queued bytes, setsockopt only sets TCP_NOTSENT_LOWAT" {
	assert_allowed ioctl-outq
	assert_killed ioctl-nread
	assert_allowed setsockopt-lowat
	assert_killed setsockopt-rcvbuf
	assert_killed setsockopt-nodelay
	assert_killed setsockopt-binddev
}

@test "seccomp: a listed call made through the x32 entry point is killed" {
	[ "$(uname -m)" = x86_64 ] || skip "x32 exists on x86_64 only"
	assert_killed x32-write
}

@test "seccomp: the filter the kernel caches (a pool, a long --keep-alive) allows and kills the same calls" {
	CALL_OPTS=(--many-calls)
	assert_killed getppid
	assert_killed mmap-exec
	assert_killed socket-inet
	assert_killed socket-unix
	assert_allowed mmap-read
	assert_allowed ioctl-outq
	assert_killed ioctl-nread
	assert_allowed setsockopt-lowat
	assert_killed setsockopt-rcvbuf
	assert_killed fork
	assert_killed execve
	[ "$(uname -m)" != x86_64 ] || assert_killed x32-write
	CALL_OPTS=(--pool --many-calls)
	assert_allowed fork
	assert_allowed socket-unix
	assert_killed socket-inet
	assert_killed execve
}

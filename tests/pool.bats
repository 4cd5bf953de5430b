#!/usr/bin/env bats
# The pool: handed a listening socket (systemd-socket-activate without -a,
# as systemd's Accept=no hands it), the handler forks a sandboxed child per
# connection.  Its caps, idle exit, graceful stop and crash rule.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	make_docroot
	export DOCROOT
	head -c $((64 << 20)) /dev/urandom > "$DOCROOT/big.bin"
}

setup() {
	: > "$BATS_FILE_TMPDIR/activator.log"
	HOLDERS=()
	NOTIFY_PID=
}

teardown() {
	local pid
	if [ -n "$NOTIFY_PID" ]; then
		kill "$NOTIFY_PID" 2> /dev/null || true
		wait "$NOTIFY_PID" 2> /dev/null || true
		rm -rf "$NOTIFY_DIR"
	fi
	for pid in "${HOLDERS[@]}"; do
		kill -- -"$pid" 2> /dev/null || true
		wait "$pid" 2> /dev/null || true
	done
	if [ -n "${ACTIVATOR_PID:-}" ]; then
		for pid in $(pgrep -P "$ACTIVATOR_PID"); do
			kill "$pid" 2> /dev/null || true
		done
	fi
	stop_activator || true
}

# pool ARGS...: a pool on a free port.
pool() {
	start_activator --pool "$@" || fail "no pool: $(cat "$BATS_FILE_TMPDIR/activator.log")"
}

# pool_alive: the pool runs (an exited pool is a zombie until reaped).
pool_alive() {
	[ -r "/proc/$ACTIVATOR_PID/stat" ] &&
		! awk '{ sub(/^.*\) /, ""); exit $1 != "Z" }' "/proc/$ACTIVATOR_PID/stat"
}

# wait_pool_exit SECONDS: until the pool has exited.
wait_pool_exit() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		pool_alive || return 0
		sleep 0.1
	done
	fail "the pool is still running after $1 s"
}

# pool_exit_status: once the pool has exited (within 10 s), its exit
# status in RC.
pool_exit_status() {
	wait_pool_exit 10
	RC=0
	wait "$ACTIVATOR_PID" || RC=$?
	ACTIVATOR_PID=
}

# children: the pool's children now running.
children() {
	pgrep -P "$ACTIVATOR_PID" || true
}

# wait_children N: up to 5 s for exactly N children.
wait_children() {
	local i
	for i in $(seq 1 50); do
		[ "$(children | wc -l)" -eq "$1" ] && return 0
		sleep 0.1
	done
	fail "expected $1 children, have $(children | wc -l)"
}

# hold FROM [OUT [SECONDS]]: a connection from the source address FROM
# that sends half a head and waits, so that its child stays; in the
# background.  What comes back goes to OUT (default: nowhere) when the
# connection ends, SECONDS (default 15) after it began.
hold() {
	setsid bash -c '{ printf "GET /HelloWorld.html HTTP/1.1\r\nHost: x\r\n"; sleep "$4"; } |
		curl -s --max-time 20 --interface "$1" "telnet://127.0.0.1:$2" > "$3"' \
		hold "$1" "$PORT" "${2:-/dev/null}" "${3:-15}" 3>&- &
	HOLDERS+=($!)
}

# busy FROM: a connection from FROM that asks for big.bin and reads none
# of it, so that its child, its head in, stays at work until --timeout.
busy() {
	setsid bash -c '{ printf "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"; sleep 15; } |
		curl -s --max-time 20 --interface "$1" "telnet://127.0.0.1:$2" |
		sleep 20' busy "$1" "$PORT" 3>&- &
	HOLDERS+=($!)
}

# hold_conns COUNT TEXT FROM...: COUNT connections from the addresses FROM
# in turn, each sending TEXT ("%u": its number) and reading nothing, held
# for 20 s (tests/tools/hold-conns); returns once all are open.
hold_conns() {
	need_tool hold-conns
	local out=$BATS_TEST_TMPDIR/held.$RANDOM i
	setsid "$TOOLS/hold-conns" "$PORT" 20 "$@" > "$out" 3>&- &
	HOLDERS+=($!)
	for i in $(seq 1 100); do
		grep -q '^held' "$out" && break
		sleep 0.1
	done
	[ "$(cat "$out")" = "held $1" ] || fail "hold-conns: '$(cat "$out")'"
}

# timed_get_from FROM PATH [CURL ARGS...]: as get_from, with the seconds it
# took in TOOK.
timed_get_from() {
	local from=$1 path=$2 out
	shift 2
	out=$(curl -s --max-time 10 --interface "$from" -o "$BATS_TEST_TMPDIR/body" \
		-w '%{http_code} %{time_total}' "$@" "http://127.0.0.1:$PORT$path") || true
	CODE=${out% *}
	TOOK=${out#* }
}

# unhold I: close the connection of the I-th hold (from 0).
unhold() {
	kill -- -"${HOLDERS[$1]}" 2> /dev/null || true
}

# get_from FROM PATH: curl from source address FROM; CODE is the status,
# or "000" for a connection closed unanswered.
get_from() {
	CODE=$(curl -s --max-time 5 --interface "$1" -o "$BATS_TEST_TMPDIR/body" \
		-w '%{http_code}' "http://127.0.0.1:$PORT$2") || true
}

@test "the pool serves HelloWorld.html with its exact bytes, and 404, from one process" {
	pool
	fetch /HelloWorld.html
	[ "$CODE" = 200 ] || fail "code $CODE"
	assert_hello
	fetch /no-such-file.html
	[ "$CODE" = 404 ] || fail "code $CODE"
	assert_error_page 404 "Not Found"
	pool_alive || fail "the pool exited"
	[ "$(readlink "/proc/$ACTIVATOR_PID/exe")" = "$(readlink -f "$WEBSERVER")" ] ||
		fail "the activator did not hand the socket to the handler"
	grep -Eq '^127\.0\.0\.1 - - \[[^]]+\] "GET /HelloWorld\.html HTTP/1\.1" 200 170 "-" "curl/' \
		"$BATS_FILE_TMPDIR/activator.log" || fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "the pool and its children run sandboxed; only the child holds the connection" {
	pool --log none
	hold_handler 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n'
	local nnp seccomp pnnp pseccomp conns
	nnp=$(status_field NoNewPrivs)
	seccomp=$(status_field Seccomp)
	pnnp=$(awk '$1 == "NoNewPrivs:" { print $2 }' "/proc/$ACTIVATOR_PID/status")
	pseccomp=$(awk '$1 == "Seccomp:" { print $2 }' "/proc/$ACTIVATOR_PID/status")
	conns=$(ss -Htnp state established "( sport = :$PORT )")
	release_handler '\r\n'
	[ "$nnp" = 1 ] && [ "$seccomp" = 2 ] || fail "child: NoNewPrivs $nnp, Seccomp $seccomp"
	[ "$pnnp" = 1 ] && [ "$pseccomp" = 2 ] || fail "pool: NoNewPrivs $pnnp, Seccomp $pseccomp"
	[[ $conns == *"pid=$HANDLER_PID,"* ]] || fail "the child does not hold it: $conns"
	[[ $conns != *"pid=$ACTIVATOR_PID,"* ]] || fail "the pool holds the connection: $conns"
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
}

# notify_listener: a datagram socket at $NOTIFY (what sd_notify() sends to),
# whose messages are appended to $NOTIFY.out, run by NOTIFY_PID.
notify_listener() {
	# In a directory the pool, as nobody, can reach.
	NOTIFY_DIR=$(mktemp -d /tmp/webserver-notify.XXXXXX)
	chmod 755 "$NOTIFY_DIR"
	NOTIFY=$NOTIFY_DIR/notify
	systemd-socket-activate --datagram -l "$NOTIFY" sh -c 'exec cat <&3' \
		> "$NOTIFY.out" 2>/dev/null 3>&- &
	NOTIFY_PID=$!
	for _ in $(seq 1 50); do
		[ -S "$NOTIFY" ] && break
		sleep 0.1
	done
	chmod 666 "$NOTIFY"	# the pool sends as nobody
}

# notify_pool ARGS...: a pool told NOTIFY_SOCKET=$NOTIFY, on a free port.
notify_pool() {
	PORT=$((10000 + RANDOM % 22000))
	systemd-socket-activate -E "NOTIFY_SOCKET=$NOTIFY" -l "127.0.0.1:$PORT" \
		"$WEBSERVER" "$@" "$DOCROOT" 3>&- 2>> "$BATS_FILE_TMPDIR/activator.log" &
	ACTIVATOR_PID=$!
	wait_listening "$PORT" || fail "no pool"
}

@test "with no NOTIFY_SOCKET the pool unloads libsystemd once it has the socket" {
	local pmaps cmaps
	pool --log none
	hold_handler 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n'
	pmaps=$(cat "/proc/$ACTIVATOR_PID/maps")
	cmaps=$(cat "/proc/$HANDLER_PID/maps")
	release_handler '\r\n'
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
	grep -q 'libc\.so' <<< "$pmaps" || fail "the pool's map does not look like a map"
	! grep -q 'libsystemd\.so' <<< "$pmaps" || fail "libsystemd is still mapped in the pool"
	! grep -Eq 'lib(systemd|gcrypt|zstd|lzma|lz4|cap)\.so' <<< "$cmaps" ||
		fail "a library of libsystemd is mapped in the child"
}

@test "with NOTIFY_SOCKET: the main process alone maps libsystemd; it notifies for the accepting process" {
	local acc child maps conns
	notify_listener
	notify_pool --idle-exit 2
	fetch /HelloWorld.html
	[ "$CODE" = 200 ] || fail "code $CODE"
	assert_hello
	# A connection held open: the main process's one child is the
	# accepting process, whose child serves it.
	hold 127.0.0.1
	acc=$(pgrep -P "$ACTIVATOR_PID")
	for _ in $(seq 1 50); do
		child=$(pgrep -P "$acc" || true)
		[ -n "$child" ] && break
		sleep 0.1
	done
	[ "$(wc -w <<< "$acc")" = 1 ] && [ "$(wc -w <<< "$child")" = 1 ] ||
		fail "main $ACTIVATOR_PID: children '$acc', grandchildren '$child'"
	maps=$(cat "/proc/$ACTIVATOR_PID/maps")
	grep -q 'libsystemd\.so' <<< "$maps" || fail "libsystemd is not mapped in the main process"
	for p in $acc $child; do
		! grep -Eq 'lib(systemd|gcrypt|zstd|lzma|lz4|cap)\.so' "/proc/$p/maps" ||
			fail "a library of libsystemd is mapped in $p"
	done
	[ "$(readlink "/proc/$child/exe")" = "$(readlink -f "$WEBSERVER")" ] || fail "the child is not the handler"
	conns=$(ss -Htnp state established "( sport = :$PORT )")
	[[ $conns == *"pid=$child,"* ]] || fail "the child does not hold it: $conns"
	[[ $conns != *"pid=$acc,"* && $conns != *"pid=$ACTIVATOR_PID,"* ]] ||
		fail "the pool holds the connection: $conns"
	unhold 0
	# Idle for 2 s: both exit, 0, and systemd was told all along.
	pool_exit_status
	[ "$RC" = 0 ] || fail "exit status $RC"
	grep -q '^READY=1$' "$NOTIFY.out" || fail "no READY=1: $(cat "$NOTIFY.out")"
	# The held connection's half head counts as a request (400) only
	# when it came before the close.
	grep -Eq 'STATUS=0 active, 2 served, [12] requests, 0 refused at the per-source cap, 0 shed idle' "$NOTIFY.out" ||
		fail "no STATUS= after 2 connections: $(cat "$NOTIFY.out")"
	[[ $(cat "$NOTIFY.out") == *STOPPING=1 ]] || fail "no STOPPING=1 at the end: $(cat "$NOTIFY.out")"
	! pgrep -P "$acc" > /dev/null || fail "a child outlived the pool"
}

@test "with NOTIFY_SOCKET: SIGTERM lets a response finish; the accepting process killed ends the pool" {
	local acc
	notify_listener
	notify_pool --log none
	# A 64 MiB download at 32 MiB/s, then SIGTERM to the main process (as
	# KillMode=mixed sends it).
	curl -s --max-time 20 --limit-rate 32M -o "$BATS_TEST_TMPDIR/big" \
		"http://127.0.0.1:$PORT/big.bin" 3>&- &
	local dl=$!
	sleep 0.5
	kill -TERM "$ACTIVATOR_PID"
	wait "$dl" || fail "the download failed"
	cmp -s "$BATS_TEST_TMPDIR/big" "$DOCROOT/big.bin" || fail "the download was cut"
	pool_exit_status
	[ "$RC" = 0 ] || fail "exit status $RC after SIGTERM"
	[ "$(grep -o 'STOPPING=1' "$NOTIFY.out" | wc -l)" = 1 ] ||
		fail "STOPPING=1 not once: $(cat "$NOTIFY.out")"

	notify_pool
	fetch /HelloWorld.html
	[ "$CODE" = 200 ] || fail "code $CODE"
	acc=$(pgrep -P "$ACTIVATOR_PID")
	[ -n "$acc" ] || fail "no accepting process"
	# SIGKILL: a sanitizer build would catch a SIGSEGV and exit instead.
	kill -KILL "$acc"
	pool_exit_status
	[ "$RC" = 1 ] || fail "exit status $RC after the accepting process was killed"
	grep -q "the pool's accepting process was killed by signal 9" \
		"$BATS_FILE_TMPDIR/activator.log" || fail "not logged: $(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "one address holding connections open cannot starve another: past --max-per-source it is closed" {
	pool --log none --max-children 4 --max-per-source 2
	hold 127.0.0.1
	hold 127.0.0.1
	wait_children 2
	# A third from the same address: closed at once, unanswered.
	get_from 127.0.0.1 /HelloWorld.html
	[ "$CODE" = 000 ] || fail "a third connection from 127.0.0.1 got $CODE"
	# Another address is served.
	get_from 127.0.0.2 /HelloWorld.html
	[ "$CODE" = 200 ] || fail "127.0.0.2 got $CODE"
	cmp -s "$BATS_TEST_TMPDIR/body" "$DOCROOT/HelloWorld.html" || fail "the body differs"
}

@test "at --max-children with every head in, a connection waits for a free child, and is then served" {
	pool --log none --max-children 2
	busy 127.0.0.1
	busy 127.0.0.2
	wait_children 2
	sleep 0.5	# their heads in: none is shed
	curl -s --max-time 15 --interface 127.0.0.3 -o "$BATS_TEST_TMPDIR/body" \
		-w '%{http_code}' "http://127.0.0.1:$PORT/HelloWorld.html" \
		> "$BATS_TEST_TMPDIR/code" 3>&- &
	local waiter=$!
	sleep 1
	[ -z "$(cat "$BATS_TEST_TMPDIR/code")" ] || fail "served beyond the cap: $(cat "$BATS_TEST_TMPDIR/code")"
	wait_children 2
	unhold 0
	wait "$waiter" || true
	[ "$(cat "$BATS_TEST_TMPDIR/code")" = 200 ] || fail "then got '$(cat "$BATS_TEST_TMPDIR/code")'"
	cmp -s "$BATS_TEST_TMPDIR/body" "$DOCROOT/HelloWorld.html" || fail "the body differs"
}

@test "a full pool sheds a connection still waiting for its head, oldest first, with 408" {
	pool --log stderr --max-children 2
	# Each half head in before the next connection.
	hold 127.0.0.1 "$BATS_TEST_TMPDIR/first" 3
	wait_children 1
	sleep 0.3
	hold 127.0.0.2 "$BATS_TEST_TMPDIR/second" 3
	wait_children 2
	sleep 0.3
	timed_get_from 127.0.0.3 /HelloWorld.html
	[ "$CODE" = 200 ] || fail "a new client got $CODE"
	cmp -s "$BATS_TEST_TMPDIR/body" "$DOCROOT/HelloWorld.html" || fail "the body differs"
	awk -v t="$TOOK" 'BEGIN { exit !(t < 1) }' || fail "served after $TOOK s"
	# The older of the two got a 408 (written out when its connection
	# ends); the younger still has its child.
	wait_children 1
	local i
	for i in $(seq 1 50); do
		[ -s "$BATS_TEST_TMPDIR/first" ] && break
		sleep 0.1
	done
	head -n1 "$BATS_TEST_TMPDIR/first" | grep -qx $'HTTP/1.1 408 Request Timeout\r' ||
		fail "the oldest got: $(head -n1 "$BATS_TEST_TMPDIR/first")"
	[ ! -s "$BATS_TEST_TMPDIR/second" ] || fail "the younger got: $(cat "$BATS_TEST_TMPDIR/second")"
	grep -q '^127\.0\.0\.1 .* "GET /HelloWorld.html HTTP/1.1" 408 ' \
		"$BATS_FILE_TMPDIR/activator.log" || fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "300 silent connections from 10 addresses: a client from another address is served within a second" {
	pool --log none
	hold_conns 300 '' 127.0.0.1{1,2,3,4,5,6,7,8,9} 127.0.0.20
	wait_children 128
	timed_get_from 127.0.0.3 /HelloWorld.html
	[ "$CODE" = 200 ] || fail "got $CODE after $TOOK s"
	cmp -s "$BATS_TEST_TMPDIR/body" "$DOCROOT/HelloWorld.html" || fail "the body differs"
	echo "# served after $TOOK s" >&3
	awk -v t="$TOOK" 'BEGIN { exit !(t < 1) }' || fail "served after $TOOK s"
}

@test "behind a PROXY front, 40 slow downloads of 40 clients through one address leave room for a 41st" {
	pool --log none --proxy-protocol
	hold_conns 40 $'PROXY TCP4 192.0.2.%u 127.0.0.1 40000 80\r\nGET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n' 127.0.0.1
	wait_children 40
	timed_get_from 127.0.0.1 /HelloWorld.html --haproxy-protocol
	[ "$CODE" = 200 ] || fail "a new client through the front got $CODE"
	cmp -s "$BATS_TEST_TMPDIR/body" "$DOCROOT/HelloWorld.html" || fail "the body differs"
}

@test "behind a PROXY front, --max-per-source counts the client the header names: past it, 503" {
	pool --log stderr --proxy-protocol --max-per-source 3
	hold_conns 3 $'PROXY TCP4 127.0.0.7 127.0.0.1 40000 80\r\nGET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n' 127.0.0.1
	wait_children 3
	# The same client, through the same front: a fourth gets 503.
	fetch /HelloWorld.html --haproxy-protocol --interface 127.0.0.7
	[ "$CODE" = 503 ] || fail "a fourth of 127.0.0.7's got $CODE"
	assert_error_page 503 "Service Unavailable"
	# Named in IPv6-mapped form, it is the same client.
	run -0 bash -c 'printf "PROXY TCP6 ::ffff:127.0.0.7 ::1 1 80\r\nGET /HelloWorld.html HTTP/1.1\r\nHost: x\r\n\r\n" |
		curl -s --max-time 5 "telnet://127.0.0.1:$1" | head -n1' _ "$PORT"
	assert_output $'HTTP/1.1 503 Service Unavailable\r'
	# Another client is served.
	fetch /HelloWorld.html --haproxy-protocol --interface 127.0.0.8
	[ "$CODE" = 200 ] || fail "127.0.0.8 got $CODE"
	assert_body_file "$DOCROOT/HelloWorld.html"
	grep -q '^127\.0\.0\.7 .* "GET /HelloWorld.html HTTP/1.1" 503 ' \
		"$BATS_FILE_TMPDIR/activator.log" || fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "--idle-exit: the pool exits when idle, never while a child serves" {
	pool --log none --idle-exit 1
	fetch /HelloWorld.html
	[ "$CODE" = 200 ] || fail "code $CODE"
	hold 127.0.0.1
	wait_children 1
	sleep 2
	pool_alive || fail "the pool exited with a child at work"
	unhold 0
	pool_exit_status
	[ "$RC" = 0 ] || fail "exit status $RC"
}

@test "SIGTERM: the pool stops accepting and lets a response in flight finish" {
	pool --log none
	local sum
	sum=$(sha256sum < "$DOCROOT/big.bin")
	curl -sS --max-time 30 --limit-rate 16M -o "$BATS_TEST_TMPDIR/big" \
		"http://127.0.0.1:$PORT/big.bin" 3>&- &
	local dl=$!
	wait_children 1
	kill -TERM "$ACTIVATOR_PID"
	sleep 0.5
	pool_alive || fail "the pool exited before its child"
	wait "$dl" || fail "the download failed"
	[ "$(sha256sum < "$BATS_TEST_TMPDIR/big")" = "$sum" ] ||
		fail "cut at $(wc -c < "$BATS_TEST_TMPDIR/big") bytes"
	pool_exit_status
	[ "$RC" = 0 ] || fail "exit status $RC"
}

@test "a child killed by a signal: the pool stops accepting, logs it and exits 1" {
	pool --log stderr
	hold 127.0.0.1
	hold 127.0.0.2
	wait_children 2
	local victim
	victim=$(children | head -n1)
	# SIGKILL: a sanitizer build catches SIGSEGV and exits instead.
	kill -KILL "$victim"
	sleep 0.5
	# The other child is still served to its end; no new connection is.
	pool_alive || fail "the pool exited before its other child"
	get_from 127.0.0.3 /HelloWorld.html
	[ "$CODE" = 000 ] || fail "a new connection got $CODE after the crash"
	unhold 1
	pool_exit_status
	[ "$RC" = 1 ] || fail "exit status $RC"
	grep -qx 'webserver: a child was killed by signal 9; the pool stops and exits' \
		"$BATS_FILE_TMPDIR/activator.log" || fail "$(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "a pool's child is killed by a call off the allow-list, like any handler" {
	run -159 "$ROOT/tests/tools/build/seccomp-call" --pool "$DOCROOT" execve
	[ -z "$output" ] || fail "output: $output"
	run -159 "$ROOT/tests/tools/build/seccomp-call" --pool "$DOCROOT" socket-inet
	run -0 "$ROOT/tests/tools/build/seccomp-call" --pool "$DOCROOT" socket-unix
	run -0 "$ROOT/tests/tools/build/seccomp-call" --pool "$DOCROOT" fork
	assert_output "fork survived"
	# Without --pool, fork is off the list.
	run -159 "$ROOT/tests/tools/build/seccomp-call" "$DOCROOT" fork
	# A pool sets any socket option (sd_notify() does), but its ioctl is
	# the handler's: a socket's queued bytes, nothing else.
	run -0 "$ROOT/tests/tools/build/seccomp-call" --pool "$DOCROOT" setsockopt-rcvbuf
	run -0 "$ROOT/tests/tools/build/seccomp-call" --pool "$DOCROOT" ioctl-outq
	run -159 "$ROOT/tests/tools/build/seccomp-call" --pool "$DOCROOT" ioctl-nread
}

# kept_client OUT REQUEST COUNT GAP: one connection that sends REQUEST
# (printf %b) COUNT times, GAP seconds apart, and stops sending when the
# server closes; everything that comes back goes to OUT.  In the
# background, run by KEPT_PID.
kept_client() {
	setsid bash -c 'trap "" PIPE; exec 5<>"/dev/tcp/127.0.0.1/$1" || exit 1
		cat <&5 > "$2" & reader=$!
		for ((i = 0; i < $4; i++)); do
			kill -0 "$reader" 2> /dev/null || break
			printf "%b" "$3" >&5 2> /dev/null || break
			sleep "$5"
		done
		wait "$reader"' kept "$PORT" "$1" "$2" "$3" "$4" 3>&- &
	KEPT_PID=$!
	HOLDERS+=($!)
}

# status_count FILE: the status lines in FILE, wherever they start.
status_count() { grep -ao $'HTTP/1.1 [0-9][0-9][0-9] ' "$1" | wc -l; }

# wait_answers FILE N: up to 5 s for FILE to hold N answers; fails if not.
wait_answers() {
	for _ in $(seq 1 50); do
		[ "$(status_count "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	fail "$(status_count "$1") answers, not $2"
}

@test "SIGTERM: a kept connection takes no new request; the next answer says close, and the pool exits" {
	pool --log none --keep-alive 100 --keep-alive-timeout 30
	local out=$BATS_TEST_TMPDIR/kept n0 n1
	kept_client "$out" 'GET /HelloWorld.html HTTP/1.1\r\nHost: a\r\n\r\n' 16 0.5
	for _ in $(seq 1 50); do
		[ "$(status_count "$out")" -ge 3 ] && break
		sleep 0.1
	done
	n0=$(status_count "$out")
	[ "$n0" -ge 3 ] || fail "$n0 responses before the stop"
	kill -TERM "$ACTIVATOR_PID"
	# Stopping ends kept connections: at most the answer in flight, which
	# then says Connection: close (RFC 9112, section 9.6), then the close.
	for _ in $(seq 1 30); do
		pool_alive || break
		sleep 0.1
	done
	n1=$(status_count "$out")
	[ "$n1" -le $((n0 + 1)) ] || fail "$((n1 - n0)) requests answered after SIGTERM"
	if [ "$n1" -gt "$n0" ]; then
		tail -c 400 "$out" | grep -aq $'^Connection: close\r$' ||
			fail "the last answer does not say close: $(tail -c 400 "$out")"
	fi
	wait_pool_exit 1
	pool_exit_status
	[ "$RC" = 0 ] || fail "exit status $RC"
}

@test "SIGTERM: an idle kept connection is closed at once, not at --keep-alive-timeout" {
	pool --keep-alive 100 --keep-alive-timeout 30
	local out=$BATS_TEST_TMPDIR/kept
	kept_client "$out" 'GET /HelloWorld.html HTTP/1.1\r\nHost: a\r\n\r\n' 1 20
	wait_answers "$out" 1
	kill -TERM "$ACTIVATOR_PID"
	wait_pool_exit 3
	pool_exit_status
	[ "$RC" = 0 ] || fail "exit status $RC"
	[ "$(status_count "$out")" = 1 ] || fail "$(status_count "$out") answers"
	grep -q '"GET /HelloWorld.html HTTP/1.1" 200 170 ' "$BATS_FILE_TMPDIR/activator.log" ||
		fail "the access line is lost: $(cat "$BATS_FILE_TMPDIR/activator.log")"
}

@test "with NOTIFY_SOCKET: STATUS= counts the requests of a kept connection while it lasts" {
	notify_listener
	notify_pool --log none --keep-alive 100 --keep-alive-timeout 30
	local out=$BATS_TEST_TMPDIR/kept
	kept_client "$out" 'GET /HelloWorld.html HTTP/1.1\r\nHost: a\r\n\r\n' 6 0.3
	wait_answers "$out" 6
	# STATUS= goes out at most once a second: two seconds on, the six
	# requests are counted, the connection still open.
	sleep 2.2
	grep -q 'STATUS=1 active, 1 served, 6 requests, ' "$NOTIFY.out" ||
		fail "STATUS= lags: $(tr '\0' '\n' < "$NOTIFY.out" | grep STATUS= | tail -3)"
}

# The shipped xinetd service, run by a real xinetd in the foreground.  The
# file is the one "make install" writes (paths for a temporary prefix, and
# XINETD_DISABLE=no); the port stays 13331, so xinetd runs in a network
# namespace of its own.  A private /dev (an overlay) gets a /dev/log that
# the test reads, to see where the handler's log goes: xinetd connects
# fd 2 to the client too.  The limits (instances, per_source, cps) are the
# installed ones: a burst must not reach them, a flood from one address must.
# Two more services, derived from the installed one, add --keep-alive: one
# process per connection, and a pool.
bats_require_minimum_version 1.5.0
load test_helper

X_PORT=13331
POOL_PORT=13332
KA_PORT=13333
KA_POOL_PORT=13334

# keepalive_service NAME WAIT PORT: the installed service as NAME, with
# wait = WAIT, on PORT, its handler given --keep-alive 1000.
keepalive_service() {
	sed -e "s/^service webserver\$/service $1/" \
	    -e "s/^\\([[:space:]]*wait[[:space:]]*=\\).*/\\1 $2/" \
	    -e "s/^\\([[:space:]]*port[[:space:]]*=\\).*/\\1 $3/" \
	    -e 's/^\([[:space:]]*server_args[[:space:]]*=\)/\1 --keep-alive 1000/' \
	    "$XP/xinetd.d/webserver" > "$XP/xinetd.d/$1"
}

setup_file() {
	[ "$(id -u)" = 0 ] || skip "xinetd switches to user nobody and needs root"
	# The handler runs as nobody: everything it reads must be world-readable.
	XP=$(mktemp -d /tmp/webserver-xinetd.XXXXXX)
	chmod 755 "$XP"
	mkdir -p "$XP/tree" "$XP/dev-upper" "$XP/dev-work"
	tar -C "$ROOT" --exclude=./.git --exclude=./tests -cf - . | tar -C "$XP/tree" -xf -
	make -s -C "$XP/tree" install PREFIX="$XP/usr" XINETDDIR="$XP/xinetd.d" \
		DOCROOT="$XP/www" XINETD_DISABLE=no >/dev/null
	# The same service as a pool: wait = yes hands over the listening
	# socket, on a port of its own.
	sed -e 's/^service webserver$/service webpool/' \
	    -e 's/^\([[:space:]]*wait[[:space:]]*=\).*/\1 yes/' \
	    -e "s/^\\([[:space:]]*port[[:space:]]*=\\).*/\\1 $POOL_PORT/" \
	    "$XP/xinetd.d/webserver" > "$XP/xinetd.d/webpool"
	keepalive_service webka no "$KA_PORT"
	keepalive_service webkapool yes "$KA_POOL_PORT"
	printf 'defaults\n{\n}\nincludedir %s\n' "$XP/xinetd.d" > "$XP/xinetd.conf"
	: > "$XP/syslog"
	unshare -m -n --propagation private bash -c '
		set -e
		xp=$1
		ip link set lo up
		mount -t overlay overlay -o "lowerdir=/dev,upperdir=$xp/dev-upper,workdir=$xp/dev-work" /dev
		systemd-socket-activate -d -l /dev/log sh -c "exec cat <&3" \
			>> "$xp/syslog" 2> "$xp/syslog.err" &
		echo $! > "$xp/syslog.pid"
		for i in $(seq 1 50); do [ -S /dev/log ] && break; sleep 0.1; done
		chmod 666 /dev/log
		exec xinetd -dontfork -f "$xp/xinetd.conf" -pidfile "$xp/xinetd.pid" \
			-filelog "$xp/xinetd.log"
	' - "$XP" 3>&- &
	XPID=$!
	export XP XPID
	for _ in $(seq 1 50); do
		[ "$(nsenter --net="/proc/$XPID/ns/net" ss -Hltn "( sport = :$X_PORT or sport = :$POOL_PORT or sport = :$KA_PORT or sport = :$KA_POOL_PORT )" 2>/dev/null | wc -l)" -eq 4 ] && return 0
		sleep 0.1
	done
	echo "xinetd did not listen: $(cat "$XP/xinetd.log" 2>/dev/null)" >&2
	return 1
}

teardown_file() {
	[ -n "${XP:-}" ] || return 0
	[ -n "${XPID:-}" ] && kill "$XPID" 2>/dev/null
	[ -s "$XP/syslog.pid" ] && kill "$(cat "$XP/syslog.pid")" 2>/dev/null
	wait 2>/dev/null
	[ -n "${KEEP_XP:-}" ] || rm -rf "$XP"
}

# raw PATH [AGENT [PORT]]: send a GET for PATH over TCP, keep every byte of
# the answer in $RESP (split into $RESP.head and $RESP.body).
raw() {
	RESP=$BATS_TEST_TMPDIR/resp
	nsenter --net="/proc/$XPID/ns/net" timeout 10 bash -c '
		exec 5<>"/dev/tcp/127.0.0.1/$1"
		printf "GET %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: %s\r\n\r\n" "$2" "$3" >&5
		cat <&5' - "${3:-$X_PORT}" "$1" "${2:-raw-client}" > "$RESP"
	split_response "$RESP"
}

# The answer is exactly head + blank line + Content-Length bytes: nothing
# before the status line, nothing after the body.
assert_exact_framing() {
	local first cl total
	first=$(head -c 9 "$RESP")
	[ "$first" = "HTTP/1.1 " ] || fail "first bytes: $(head -c 40 "$RESP" | od -c | head -3)"
	cl=$(header Content-Length)
	total=$(wc -c < "$RESP")
	[ "$total" -eq $(($(grep -obaPz -m1 '\r\n\r\n' "$RESP" | head -n1 | cut -d: -f1) + 4 + cl)) ] ||
		fail "$total bytes on the wire for Content-Length $cl"
}

@test "the installed xinetd file is on and names the installed paths" {
	run -0 grep -E '^[[:space:]]+(disable|server|server_args|port|user)[[:space:]]' "$XP/xinetd.d/webserver"
	assert_line --regexp "^[[:space:]]+disable[[:space:]]+= no$"
	assert_line --regexp "^[[:space:]]+server[[:space:]]+= $XP/usr/bin/webserver$"
	assert_line --regexp "^[[:space:]]+server_args[[:space:]]+= $XP/www$"
	assert_line --regexp "^[[:space:]]+port[[:space:]]+= $X_PORT$"
	# Only what install changes differs from the shipped file.
	run diff "$ROOT/xinetd.d/webserver" "$XP/xinetd.d/webserver"
	[ "$(grep -c '^> [[:space:]]*[^#[:space:]]' <<< "$output")" -eq 3 ] || fail "$output"
}

@test "xinetd serves HelloWorld.html: exact bytes, nothing before the status line" {
	raw /HelloWorld.html
	assert_exact_framing
	assert_status 200 OK
	assert_header Content-Type "text/html; charset=utf-8"
	assert_common_headers
	assert_body_file "$ROOT/www/HelloWorld.html"
}

@test "xinetd answers a missing file with the exact 404 page and no stray byte" {
	raw /missing.html
	assert_exact_framing
	assert_error_page 404 "Not Found"
}

@test "curl through xinetd gets 200 and 404" {
	run -0 nsenter --net="/proc/$XPID/ns/net" curl -sS --max-time 10 -o /dev/null \
		-w '%{http_code}\n' "http://127.0.0.1:$X_PORT/HelloWorld.html" \
		-o /dev/null "http://127.0.0.1:$X_PORT/nope"
	assert_output $'200\n404'
}

@test "the access log goes to syslog, not to the client" {
	raw /HelloWorld.html syslog-probe/1
	assert_status 200 OK
	run -1 grep -a 'syslog-probe' "$RESP"
	for _ in $(seq 1 50); do
		grep -aq 'syslog-probe/1' "$XP/syslog" && break
		sleep 0.1
	done
	run -0 grep -aoE 'webserver\[[0-9]+\]: [^<]*"GET /HelloWorld\.html HTTP/1\.1" 200 [0-9]+ "-" "syslog-probe/1"' "$XP/syslog"
	assert_output --regexp '\]: (::ffff:)?127\.0\.0\.1 - - \['
	# Facility daemon, priority info: <30>.
	run -0 grep -ac '<30>[^<]*webserver\[' "$XP/syslog"
}

# xinetd_value KEY: the value of KEY in the installed service file.
xinetd_value() {
	awk -v k="$1" '$1 == k && $2 == "=" { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' \
		"$XP/xinetd.d/webserver"
}

# wait_no_handler: up to 5 s until xinetd has no handler left, so the
# handlers of an earlier test do not count against a limit.
wait_no_handler() {
	local p busy kids
	for _ in $(seq 1 50); do
		busy=
		kids=()
		read -r -a kids < "/proc/$XPID/task/$XPID/children" || true
		for p in "${kids[@]}"; do
			[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$XP/usr/bin/webserver" ] && busy=1
		done
		[ -z "$busy" ] && return 0
		sleep 0.1
	done
	fail "handlers of an earlier test are still running"
}

# hold N: open N connections from 127.0.0.1 at once, each with half a
# request head for /HelloWorld.html, so every handler waits for the rest.
# Once xinetd has accepted them all, finish every head and print one line
# per connection: its status line, or "closed" for one that xinetd refused.
hold() {
	nsenter --net="/proc/$XPID/ns/net" timeout 20 bash -c '
		trap "" PIPE
		n=$1
		port=$2
		fds=()
		for i in $(seq 1 "$n"); do
			exec {fd}<>"/dev/tcp/127.0.0.1/$port" || exit 1
			printf "GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n" >&"$fd"
			fds+=("$fd")
		done
		for i in $(seq 1 50); do
			[ "$(ss -Hltn "sport = :$port" | awk "{ print \$2 }")" = 0 ] && break
			sleep 0.1
		done
		sleep 0.3
		for fd in "${fds[@]}"; do printf "\r\n" >&"$fd" 2>/dev/null; done
		for fd in "${fds[@]}"; do
			IFS= read -r -t 5 line <&"$fd" 2>/dev/null || line=closed
			printf "%s\n" "$line"
		done' - "$1" "$X_PORT" > "$BATS_TEST_TMPDIR/hold" || return 1
	tr -d '\r' < "$BATS_TEST_TMPDIR/hold"
}

@test "a burst of 1000 requests, 64 at a time, is all served and the service stays on" {
	command -v ab > /dev/null || skip "ab (apache2-utils) is not installed"
	wait_no_handler
	run nsenter --net="/proc/$XPID/ns/net" timeout 60 \
		ab -q -n 1000 -c 64 "http://127.0.0.1:$X_PORT/HelloWorld.html"
	[ "$status" -eq 0 ] || fail "ab exited $status: $(tail -n 2 <<< "$output")
$(grep -a Deactivating "$XP/xinetd.log")
refusals logged: $(grep -ao 'FAIL: webserver [a-z_]*' "$XP/syslog" | sort | uniq -c)"
	assert_line --regexp '^Complete requests: +1000$'
	assert_line --regexp '^Failed requests: +0$'
	echo "# $(grep '^Requests per second' <<< "$output")" >&3
	run -1 grep -a 'Deactivating' "$XP/xinetd.log"
	run -1 grep -a 'FAIL: webserver' "$XP/syslog"
	raw /HelloWorld.html
	assert_status 200 OK
}

@test "one address with 24 connections open at once (three browsers behind a NAT) is not refused" {
	wait_no_handler
	run -0 hold 24
	[ "${#lines[@]}" -eq 24 ] || fail "$output"
	[ "$(grep -cx 'HTTP/1.1 200 OK' <<< "$output")" -eq 24 ] || fail "$output"
	run -1 grep -a 'per_source_limit' "$XP/syslog"
}

@test "one address holding more connections than per_source, below instances, is refused the rest" {
	local per_source instances
	per_source=$(xinetd_value per_source)
	instances=$(xinetd_value instances)
	[[ $per_source =~ ^[0-9]+$ && $instances =~ ^[0-9]+$ ]] ||
		fail "per_source '$per_source', instances '$instances': both must be numbers"
	[ "$per_source" -lt "$instances" ] || fail "per_source $per_source is not below instances $instances"
	wait_no_handler
	# Syslog datagrams carry no newline: count matches, not lines.
	local before
	before=$(grep -ao 'FAIL: webserver per_source_limit' "$XP/syslog" | wc -l)
	run -0 hold $((per_source + 4))
	[ "$(grep -cx 'HTTP/1.1 200 OK' <<< "$output")" -eq "$per_source" ] || fail "$output"
	[ "$(grep -cx 'closed' <<< "$output")" -eq 4 ] || fail "$output"
	for _ in $(seq 1 50); do
		[ "$(grep -ao 'FAIL: webserver per_source_limit' "$XP/syslog" | wc -l)" -eq $((before + 4)) ] &&
			return 0
		sleep 0.1
	done
	fail "refusals logged: $(grep -ao 'FAIL: webserver [a-z_]*' "$XP/syslog" | sort | uniq -c)"
}

# --- The pool under xinetd (wait = yes) -------------------------------------

@test "a pool under xinetd (wait = yes) serves exact bytes and 404, nothing before the status line" {
	raw /HelloWorld.html raw-client "$POOL_PORT"
	assert_exact_framing
	assert_status 200 OK
	assert_common_headers
	assert_body_file "$ROOT/www/HelloWorld.html"
	raw /missing.html raw-client "$POOL_PORT"
	assert_exact_framing
	assert_error_page 404 "Not Found"
}

@test "the pool under xinetd forks sandboxed children, logs to syslog and keeps serving" {
	local i pool child holder st
	raw /HelloWorld.html pool-probe/1 "$POOL_PORT"
	assert_status 200 OK
	nsenter --net="/proc/$XPID/ns/net" timeout 20 bash -c \
		"exec 5<>/dev/tcp/127.0.0.1/$POOL_PORT; printf 'GET / HTTP/1.1\r\n' >&5; sleep 15" 3>&- &
	holder=$!
	for i in $(seq 1 50); do
		# The pool: the handler that has a child handler.
		for pool in $(pgrep -x webserver); do
			[ "$(readlink "/proc/$pool/exe")" = "$XP/usr/bin/webserver" ] || continue
			child=$(pgrep -P "$pool" -x webserver | head -n1)
			[ -n "$child" ] && break 2
		done
		sleep 0.1
	done
	[ -n "$child" ] || { kill "$holder"; fail "no child of a pool"; }
	st=$(cat "/proc/$child/status")
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null || true
	grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<< "$st" || fail "child: NoNewPrivs"
	grep -Eq '^Seccomp:[[:space:]]+2$' <<< "$st" || fail "child: Seccomp"
	# The pool's fds 0-2 are /dev/null, not the listening socket.
	[ "$(readlink "/proc/$pool/fd/0")" = /dev/null ] || fail "fd 0: $(readlink "/proc/$pool/fd/0")"
	for i in $(seq 1 50); do
		grep -aq 'pool-probe/1' "$XP/syslog" && break
		sleep 0.1
	done
	run -0 grep -aoE 'webserver\[[0-9]+\]: [^<]*"GET /HelloWorld\.html HTTP/1\.1" 200 [0-9]+ "-" "pool-probe/1"' "$XP/syslog"
	raw /HelloWorld.html raw-client "$POOL_PORT"
	assert_status 200 OK
}

# --- --keep-alive under xinetd -----------------------------------------------

@test "the keep-alive services run the installed handler with --keep-alive 1000 before the docroot" {
	run -0 grep -E '^[[:space:]]+server_args[[:space:]]' "$XP/xinetd.d/webka" "$XP/xinetd.d/webkapool"
	assert_line --regexp "webka:[[:space:]]+server_args[[:space:]]+= --keep-alive 1000 $XP/www$"
	assert_line --regexp "webkapool:[[:space:]]+server_args[[:space:]]+= --keep-alive 1000 $XP/www$"
	run -0 grep -E '^[[:space:]]+wait[[:space:]]' "$XP/xinetd.d/webka" "$XP/xinetd.d/webkapool"
	assert_line --regexp "webka:[[:space:]]+wait[[:space:]]+= no$"
	assert_line --regexp "webkapool:[[:space:]]+wait[[:space:]]+= yes$"
}

@test "two requests in one write get two exact answers, only the second (which asked) with Connection: close" {
	local req1='GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n\r\n'
	local req2='GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
	local want=$BATS_TEST_TMPDIR/want got=$BATS_TEST_TMPDIR/got
	# What the installed handler answers to each alone, from a pipe; the
	# first is kept open, so without the Connection line.
	# shellcheck disable=SC2059
	printf "$req1" | timeout 10 "$XP/usr/bin/webserver" "$XP/www" 2>/dev/null |
		sed -e 's/^Date: .*\r$/Date: *\r/' -e '/^Connection: close\r$/d' > "$want"
	# shellcheck disable=SC2059
	printf "$req2" | timeout 10 "$XP/usr/bin/webserver" "$XP/www" 2>/dev/null |
		sed 's/^Date: .*\r$/Date: *\r/' >> "$want"
	[ "$(grep -c $'^Connection: close\r$' "$want")" -eq 1 ] || fail "reference: $(cat -A "$want")"
	nsenter --net="/proc/$XPID/ns/net" timeout 10 bash -c '
		exec 5<>"/dev/tcp/127.0.0.1/$1"
		printf "%b" "$2" >&5
		cat <&5' - "$KA_PORT" "$req1$req2" | sed 's/^Date: .*\r$/Date: *\r/' > "$got"
	cmp -s "$want" "$got" ||
		fail "the answers differ: $(diff <(cat -A "$want") <(cat -A "$got") | head -20)"
	run -0 grep -ac $'^HTTP/1.1 200 OK\r$' "$got"
	assert_output 2
	# The close is in the second answer's head, after its status line.
	run -0 grep -an -e $'^HTTP/1.1 200 OK\r$' -e $'^Connection: close\r$' "$got"
	[ "${#lines[@]}" -eq 3 ] && [[ ${lines[1]} == *"HTTP/1.1 200 OK"* ]] &&
		[[ ${lines[2]} == *"Connection: close"* ]] || fail "$output"
}

# load_keepalive SERVICE PORT: 2000 requests over 16 kept-alive connections
# (ab -k: HTTP/1.0 with keep-alive) to SERVICE, 0 failed, every one kept
# alive, and 2000 access lines for it in the syslog (its own query string
# names it in each).
load_keepalive() {
	command -v ab > /dev/null || skip "ab (apache2-utils) is not installed"
	local svc=$1 port=$2 n
	run nsenter --net="/proc/$XPID/ns/net" timeout 120 \
		ab -k -q -n 2000 -c 16 "http://127.0.0.1:$port/HelloWorld.html?$svc"
	[ "$status" -eq 0 ] || fail "ab exited $status: $(tail -n 2 <<< "$output")"
	assert_line --regexp '^Complete requests: +2000$'
	assert_line --regexp '^Failed requests: +0$'
	assert_line --regexp '^Keep-Alive requests: +2000$'
	echo "# $svc: $(grep '^Requests per second' <<< "$output")" >&3
	# Syslog datagrams carry no newline: count matches, not lines.
	for _ in $(seq 1 50); do
		n=$(grep -ao "webserver\[[0-9]*\]: [^<]*\"GET /HelloWorld\.html?$svc HTTP/1\.0\" 200 170 " \
			"$XP/syslog" | wc -l)
		[ "$n" -ge 2000 ] && break
		sleep 0.1
	done
	[ "$n" -eq 2000 ] || fail "$n access lines for $svc"
	run -1 grep -a "FAIL: $svc" "$XP/syslog"
}

@test "keep-alive: 2000 requests over 16 connections, 0 failed, all kept alive, 2000 access lines" {
	local before after
	before=$(grep -ao 'START: webka pid=' "$XP/syslog" | wc -l)
	load_keepalive webka "$KA_PORT"
	# xinetd started one handler per connection: 16 for 2000 requests.
	after=$(grep -ao 'START: webka pid=' "$XP/syslog" | wc -l)
	[ $((after - before)) -eq 16 ] || fail "$((after - before)) handlers started"
}

@test "keep-alive pool (wait = yes): 2000 requests over 16 connections, 0 failed, 2000 access lines" {
	load_keepalive webkapool "$KA_POOL_PORT"
}

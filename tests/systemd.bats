# The systemd units, checked statically and then run for real: the host's
# systemd booted as PID 1 of a throw-away container (systemd-nspawn) with a
# private network, a tmpfs root and a writable overlay on /usr, where
# "make install" and systemctl do what a user would do.
bats_require_minimum_version 1.5.0
load test_helper

CT_PORT=13331

# The units are tested with the release build, even under "make check
# SANITIZE=1": LeakSanitizer attaches with ptrace at exit, which the unit's
# SystemCallFilter= (~@debug) refuses, and such instances never exit.
unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE

# A copy of the tree, built, so that neither "make install" nor the
# container ever writes into the checkout.
copy_tree() {
	TREE=$BATS_FILE_TMPDIR/tree
	mkdir -p "$TREE"
	tar -C "$ROOT" --exclude=./.git --exclude=./tests -cf - . | tar -C "$TREE" -xf -
	make -s -C "$TREE" webserver >/dev/null
}

setup_file() {
	copy_tree
	CT_PID=
	CT_NSPAWN=
	if [ "$(id -u)" = 0 ]; then
		ct_boot --bind="$TREE:/webserver-src" || true
	fi
	export TREE CT_PID CT_NSPAWN CT_UPPER
}

teardown_file() {
	ct_stop
}

# The container tests need root (namespaces, mounts); CI runs as root.
need_container() {
	[ "$(id -u)" = 0 ] || skip "systemd-nspawn needs root"
	[ -n "$CT_PID" ] || fail "the container did not boot: $(tail -5 "$BATS_FILE_TMPDIR/ct/console.log" 2>/dev/null)"
}

@test "the installed units pass systemd-analyze verify without a word" {
	local p=$BATS_FILE_TMPDIR/static
	make -s -C "$TREE" install PREFIX="$p/usr" XINETDDIR="$p/xinetd.d" \
		DOCROOT="$p/www" >/dev/null
	run grep -x "ExecStart=-$p/usr/bin/webserver $p/www" "$p/usr/lib/systemd/system/webserver@.service"
	assert_success
	cd "$p/usr/lib/systemd/system"
	run -0 env MANPATH="$p/usr/share/man" systemd-analyze verify \
		webserver.socket webserver@.service
	assert_output ""
	run -0 grep -x "ExecStart=$p/usr/bin/webserver $p/www" "$p/usr/lib/systemd/system/webserver-pool.service"
}

# assert_exposure UNIT TENTHS: systemd-analyze security rates the shipped
# UNIT at TENTHS tenths or less, by its printed score and its threshold.
assert_exposure() {
	local score
	run -0 systemd-analyze security --offline=true --no-pager "$ROOT/systemd/$1"
	score=$(printf '%s\n' "$output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
	[ -n "$score" ] || fail "no score in: $output"
	echo "# exposure of $1: $score" >&3
	[ "${score%.*}${score#*.}" -le "$2" ] || fail "exposure $score is above $2 tenths"
	run -0 systemd-analyze security --offline=true --threshold="$2" --no-pager \
		"$ROOT/systemd/$1"
}

@test "the per-connection service scores 1.0 or less in systemd-analyze security" {
	assert_exposure webserver@.service 10
}

@test "make install in a booted systemd, then systemctl enable --now webserver.socket" {
	need_container
	run -0 ct make -s -C /webserver-src install
	run -0 ct systemctl daemon-reload
	run -0 ct systemctl enable --now webserver.socket
	run -0 ct systemctl is-active webserver.socket
	assert_output active
	run -0 ct systemctl show -p Listen --value webserver.socket
	assert_output "[::]:$CT_PORT (Stream)"
}

@test "the socket serves HelloWorld.html with its exact bytes, and 404 for a missing file" {
	need_container
	RESP=$BATS_TEST_TMPDIR/resp
	run -0 ct_curl -o "$RESP.body" -D "$RESP.raw" -w '%{http_code}' \
		"http://127.0.0.1:$CT_PORT/HelloWorld.html"
	assert_output 200
	tr -d '\r' < "$RESP.raw" | sed '/^$/d' > "$RESP.head"
	assert_status 200 OK
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header Content-Length "$(wc -c < "$ROOT/www/HelloWorld.html")"
	assert_common_headers
	assert_body_file "$ROOT/www/HelloWorld.html"

	run -0 ct_curl -o "$RESP.body" -D "$RESP.raw" -w '%{http_code}' \
		"http://[::1]:$CT_PORT/no-such-file.html"
	assert_output 404
	tr -d '\r' < "$RESP.raw" | sed '/^$/d' > "$RESP.head"
	assert_error_page 404 "Not Found"
}

@test "the journal shows the access line with the client address" {
	need_container
	run -0 ct_curl -o /dev/null -A "journal-probe/1" "http://127.0.0.1:$CT_PORT/HelloWorld.html"
	for _ in $(seq 1 50); do
		run ct journalctl --no-pager -o cat -u 'webserver@*'
		[[ $output == *journal-probe/1* ]] && break
		sleep 0.1
	done
	run -0 grep -E '^127\.0\.0\.1 - - \[[^]]+\] "GET /HelloWorld\.html HTTP/1\.1" 200 [0-9]+ "-" "journal-probe/1"$' <<< "$output"
	run -0 ct journalctl --no-pager -o cat -u 'webserver@*'
	assert_output --partial '::1 - - ['
}

@test "an instance holding a connection runs as a dynamic user inside the sandbox" {
	need_container
	local holder pid unit i
	# Send half a head: the instance waits for the rest.  (A connection
	# that sends nothing starts none: see DeferAcceptSec=.)
	nsenter -t "$CT_PID" -n timeout 20 bash -c \
		"exec 5<>/dev/tcp/127.0.0.1/$CT_PORT; printf 'GET / HTTP/1.1\r\n' >&5; sleep 15" 3>&- &
	holder=$!
	for i in $(seq 1 50); do
		unit=$(ct systemctl list-units --no-legend --plain --state=running 'webserver@*' | cut -d' ' -f1 | head -n1)
		[ -n "$unit" ] && break
		sleep 0.1
	done
	[ -n "$unit" ] || { kill "$holder"; fail "no running instance"; }
	pid=$(ct systemctl show -p MainPID --value "$unit")
	# The unit runs from its fork on: wait for the exec of the handler,
	# which systemd does after it has set up the credentials and sandbox.
	for i in $(seq 1 50); do
		[[ $(ct readlink "/proc/$pid/exe" 2>/dev/null) == */webserver ]] && break
		sleep 0.1
	done
	run ct cat "/proc/$pid/status"
	local st=$output
	run ct cat "/proc/$pid/mountinfo"
	local mounts=$output
	local uid=$(ct systemctl show -p UID --value "$unit")
	local props=$(ct systemctl show -p DynamicUser -p PrivateNetwork -p PrivateUsers -p ProtectSystem -p NoNewPrivileges "$unit")
	local ns_svc=$(ct readlink "/proc/$pid/ns/net" "/proc/$pid/ns/mnt" "/proc/$pid/ns/user")
	local ns_init=$(ct readlink /proc/1/ns/net /proc/1/ns/mnt /proc/1/ns/user)
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null || true

	echo "$st" | grep -E '^(Uid|Gid|CapEff|CapBnd|NoNewPrivs|Seccomp):'
	# A dynamic uid (61184-65519), the same in all four fields.
	[ "$uid" -ge 61184 ] && [ "$uid" -le 65519 ] || fail "uid $uid is not a dynamic one"
	grep -Eq "^Uid:[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid\$" <<< "$st" ||
		fail "the process does not run as uid $uid"
	grep -Eq '^CapEff:[[:space:]]+0+$' <<< "$st" || fail "it has capabilities"
	grep -Eq '^CapBnd:[[:space:]]+0+$' <<< "$st" || fail "its bounding set is not empty"
	grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<< "$st" || fail "NoNewPrivs is not set"
	grep -Eq '^Seccomp:[[:space:]]+2$' <<< "$st" || fail "no seccomp filter"
	# Own network, mount and user namespaces; a read-only root.
	while read -r a && read -r b <&4; do
		[ "$a" != "$b" ] || fail "namespace $a is shared with PID 1"
	done <<< "$ns_svc" 4<<< "$ns_init"
	grep -Eq '^[0-9]+ [0-9]+ [0-9:]+ [^ ]+ / ro[, ]' <<< "$mounts" || fail "the root is not read-only"
	[[ $props == *DynamicUser=yes* && $props == *PrivateNetwork=yes* &&
		$props == *PrivateUsers=yes* && $props == *ProtectSystem=strict* &&
		$props == *NoNewPrivileges=yes* ]] || fail "unit properties: $props"
}

@test "the socket defers the accept: silent connections start no instance, a request is served" {
	need_container
	run -0 ct systemctl show -p DeferAcceptUSec --value webserver.socket
	assert_output 10s
	local holders i n
	# Twenty connections that send nothing, held for 4 s.
	nsenter -t "$CT_PID" -n timeout 20 bash -c \
		'for i in $(seq 1 20); do exec {fd}<>/dev/tcp/127.0.0.1/$1; done; sleep 4' \
		_ "$CT_PORT" 3>&- &
	holders=$!
	sleep 1.5
	n=$(ct systemctl list-units --no-legend --plain --all 'webserver@*' | grep -c . || true)
	# A request meanwhile is served at once.
	run -0 ct_curl -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CT_PORT/HelloWorld.html"
	kill "$holders" 2>/dev/null
	wait "$holders" 2>/dev/null || true
	assert_output 200
	[ "$n" = 0 ] || fail "$n instances for 20 silent connections"
}

# burst N [SOCKET [SERVICE-GLOB]]: N connections, 16 at a time, all
# answered 200; then the socket is still active, and no instance failed or
# warned.  For the per-connection socket, it accepted them all.
burst() {
	local n=$1 sock=${2:-webserver.socket} svc=${3:-webserver@*} urls=() i
	for i in $(seq 1 "$n"); do
		urls+=(-o /dev/null "http://127.0.0.1:$CT_PORT/HelloWorld.html?$i")
	done
	run -0 ct systemctl show -p NAccepted --value "$sock"
	local before=$output
	# 16 at a time: within MaxConnectionsPerSource=, and past the 200
	# activations in 2 s that systemd allows by default.
	# curl's parallel progress meter goes to stderr even with -s.
	run --separate-stderr timeout 300 nsenter -t "$CT_PID" -n curl -s --max-time 30 --parallel \
		--parallel-max 16 -w '%{http_code}\n' "${urls[@]}"
	[ "$(grep -c '^200$' <<< "$output")" -eq "$n" ] ||
		fail "$(sort <<< "$output" | uniq -c)"
	run -0 ct systemctl is-active "$sock"
	assert_output active
	if [ "$sock" = webserver.socket ]; then
		run -0 ct systemctl show -p NAccepted --value "$sock"
		[ $((output - before)) -ge "$n" ] || fail "accepted $((output - before))"
	fi
	run -0 ct systemctl list-units --no-legend --failed --all 'webserver*'
	assert_output ""
	# "-" in ExecStart= keeps a start-up failure from marking the unit
	# failed, so look for systemd's warnings too.
	run -0 ct journalctl --no-pager -q -p warning -u "$svc" -u "$sock"
	assert_output ""
}

@test "a burst of 500 connections gets 500 answers, no failed instance, and the socket stays active" {
	need_container
	burst 500
}

@test "load: 2000 connections at concurrency 16 leave the socket active and no instance failed" {
	need_container
	local t0=$SECONDS
	burst 2000
	echo "# 2000 connections under systemd in $((SECONDS - t0)) s" >&3
}

@test "per-connection latency of the shipped unit (200 sequential requests)" {
	need_container
	local urls=() i med
	for i in $(seq 1 200); do
		urls+=(-o /dev/null "http://127.0.0.1:$CT_PORT/HelloWorld.html")
	done
	run -0 timeout 150 nsenter -t "$CT_PID" -n curl -s --max-time 10 \
		-w '%{http_code} %{time_total}\n' "${urls[@]}"
	[ "$(grep -c '^200 ' <<< "$output")" -eq 200 ] || fail "not 200 answers"
	med=$(cut -d' ' -f2 <<< "$output" | sort -n | sed -n 100p)
	echo "# median per-connection time under systemd: ${med}s" >&3
}

@test "ab -c 4 -n 500 without keep-alive through the per-connection socket: 0 failed" {
	need_container
	command -v ab > /dev/null || skip "ab (apache2-utils) is not installed"
	local rps
	run -0 timeout 120 nsenter -t "$CT_PID" -n \
		ab -q -c 4 -n 500 "http://127.0.0.1:$CT_PORT/HelloWorld.html"
	assert_line --regexp '^Complete requests: +500$'
	assert_line --regexp '^Failed requests: +0$'
	rps=$(sed -n 's/^Requests per second: *\([0-9.]*\) .*/\1/p' <<< "$output")
	echo "# webserver.socket, ab -c 4, no keep-alive: $rps requests/s" >&3
	# For the pool with --keep-alive, later in this boot.
	echo "$rps" > "$BATS_FILE_TMPDIR/per-connection-rps"
	run -0 ct systemctl is-active webserver.socket
	assert_output active
}

# --- The pool: webserver-pool.socket (Accept=no) and its one service ------

@test "the pool service scores 0.5 or less in systemd-analyze security" {
	assert_exposure webserver-pool.service 5
	# systemd 252 puts the Landlock calls in no group: an allow-list must
	# name them, or the handler could not confine itself.
	run -0 grep -E '^SystemCallFilter=@system-service .*landlock_create_ruleset landlock_add_rule landlock_restrict_self' \
		"$ROOT/systemd/webserver-pool.service"
	local p=$BATS_FILE_TMPDIR/static
	cd "$p/usr/lib/systemd/system" || fail "the install test did not run"
	run -0 env MANPATH="$p/usr/share/man" systemd-analyze verify \
		webserver-pool.socket webserver-pool.service
	assert_output ""
}

# assert_running SOCKET SERVICE: both active, no webserver unit failed, and
# not one warning from either in the journal.
assert_running() {
	run -0 ct systemctl is-active "$1" "$2"
	assert_output $'active\nactive'
	run -0 ct systemctl list-units --no-legend --failed --all 'webserver*'
	assert_output ""
	run -0 ct journalctl --no-pager -q -p warning -u "$2" -u "$1"
	assert_output ""
}

# pool_main: the pool's main PID, or nothing.
pool_main() {
	local pid
	pid=$(ct systemctl show -p MainPID --value webserver-pool.service)
	[ "${pid:-0}" != 0 ] && echo "$pid"
}

# hold_pool_child: a connection that sends half a head and waits, in the
# background (HOLDER); sets MAIN to the pool's main process (which systemd
# watches and which alone has libsystemd), ACC to its accepting process,
# and CHILD to the accepting process's child that serves the connection.
hold_pool_child() {
	local i
	nsenter -t "$CT_PID" -n timeout 20 bash -c \
		"exec 5<>/dev/tcp/127.0.0.1/$CT_PORT; printf 'GET / HTTP/1.1\r\n' >&5; sleep 15" 3>&- &
	HOLDER=$!
	MAIN=$(pool_main)
	ACC= CHILD=
	for i in $(seq 1 50); do
		ACC=$(ct pgrep -P "$MAIN" | head -n1)
		[ -n "$ACC" ] && CHILD=$(ct pgrep -P "$ACC" | head -n1)
		[ -n "$CHILD" ] && return 0
		sleep 0.1
	done
	release_pool_child
	fail "no child of the pool $MAIN (accepting process: ${ACC:-none})"
}

release_pool_child() {
	kill "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null || true
}

@test "systemctl enable --now webserver-pool.socket takes the port: exact bytes and 404" {
	need_container
	run -0 ct systemctl disable --now webserver.socket
	run -0 ct systemctl enable --now webserver-pool.socket
	run -0 ct systemctl is-active webserver-pool.socket
	assert_output active
	RESP=$BATS_TEST_TMPDIR/resp
	run -0 ct_curl -o "$RESP.body" -D "$RESP.raw" -w '%{http_code}' \
		"http://127.0.0.1:$CT_PORT/HelloWorld.html"
	assert_output 200
	tr -d '\r' < "$RESP.raw" | sed '/^$/d' > "$RESP.head"
	DOCROOT=$ROOT/www assert_hello
	run -0 ct_curl -o "$RESP.body" -D "$RESP.raw" -w '%{http_code}' \
		"http://[::1]:$CT_PORT/no-such-file.html"
	assert_output 404
	tr -d '\r' < "$RESP.raw" | sed '/^$/d' > "$RESP.head"
	assert_error_page 404 "Not Found"
	run -0 ct systemctl show -p DeferAcceptUSec --value webserver-pool.socket
	assert_output 10s
	# Type=notify: READY=1 came (the unit is active) and STATUS= counts.
	run -0 ct systemctl is-active webserver-pool.service
	assert_output active
	run -0 ct systemctl show -p StatusText --value webserver-pool.service
	[[ $output == *" served"* ]] || fail "StatusText: $output"
	run -0 ct journalctl --no-pager -o cat -u webserver-pool.service
	assert_output --regexp '127\.0\.0\.1 - - \[[^]]+\] "GET /HelloWorld\.html HTTP/1\.1" 200 170 "-" "curl/'
}

@test "the pool's child is sandboxed and holds the connection; the pool holds none" {
	need_container
	local st mst ast conns mmaps amaps cmaps
	hold_pool_child
	run ct cat "/proc/$CHILD/status"
	st=$output
	run ct cat "/proc/$MAIN/status"
	mst=$output
	run ct cat "/proc/$ACC/status"
	ast=$output
	mmaps=$(ct cat "/proc/$MAIN/maps")
	amaps=$(ct cat "/proc/$ACC/maps")
	cmaps=$(ct cat "/proc/$CHILD/maps")
	conns=$(ct ss -Htnp state established "( sport = :$CT_PORT )")
	release_pool_child
	grep -Eq '^Seccomp:[[:space:]]+2$' <<< "$ast" || fail "accepting process: no seccomp filter"
	[[ $conns != *"pid=$ACC,"* ]] || fail "the accepting process holds the connection: $conns"
	grep -q 'libsystemd\.so' <<< "$mmaps" || fail "libsystemd is not mapped in the main process"
	! grep -q 'libsystemd\.so' <<< "$amaps" || fail "libsystemd is mapped in the accepting process"
	! grep -q 'libsystemd\.so' <<< "$cmaps" || fail "libsystemd is mapped in the child"
	grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<< "$st" || fail "child: NoNewPrivs is not set"
	grep -Eq '^Seccomp:[[:space:]]+2$' <<< "$st" || fail "child: no seccomp filter"
	grep -Eq '^Seccomp:[[:space:]]+2$' <<< "$mst" || fail "pool: no seccomp filter"
	grep -Eq '^CapEff:[[:space:]]+0+$' <<< "$st" || fail "child: capabilities"
	[[ $conns == *"pid=$CHILD,"* ]] || fail "the child does not hold the connection: $conns"
	[[ $conns != *"pid=$MAIN,"* ]] || fail "the pool holds the connection: $conns"
}

@test "the pool: 2000 connections at concurrency 16, 0 failures" {
	need_container
	local t0=$SECONDS
	burst 2000 webserver-pool.socket webserver-pool.service
	echo "# 2000 connections to the pool under systemd in $((SECONDS - t0)) s" >&3
}

@test "the pool with a --keep-alive 100 drop-in: 2000 requests over 16 kept-alive connections, 0 failed" {
	need_container
	command -v ab > /dev/null || skip "ab (apache2-utils) is not installed"
	local d=/etc/systemd/system/webserver-pool.service.d load fast text exec
	run -0 ct grep -x 'ExecStart=/usr/local/bin/webserver /srv/www' \
		/usr/local/lib/systemd/system/webserver-pool.service
	ct mkdir -p "$d"
	printf '[Service]\nExecStart=\nExecStart=/usr/local/bin/webserver --keep-alive 100 /srv/www\n' |
		ct tee "$d/keepalive.conf" > /dev/null
	run -0 ct systemctl daemon-reload
	run -0 ct systemctl restart webserver-pool.service
	exec=$(ct systemctl show -p ExecStart --value webserver-pool.service)
	load=$(timeout 120 nsenter -t "$CT_PID" -n \
		ab -k -q -n 2000 -c 16 "http://127.0.0.1:$CT_PORT/HelloWorld.html" 2>&1)
	fast=$(timeout 120 nsenter -t "$CT_PID" -n \
		ab -k -q -n 2000 -c 4 "http://127.0.0.1:$CT_PORT/HelloWorld.html" 2>&1)
	# STATUS= comes at most once a second, and counts since the restart.
	for _ in $(seq 1 50); do
		text=$(ct systemctl show -p StatusText --value webserver-pool.service)
		[[ $text == "0 active, "*" 4000 requests, "* ]] && break
		sleep 0.1
	done
	# Back to the shipped unit, as the tests after this one expect.
	ct rm -f "$d/keepalive.conf"
	ct rmdir "$d"
	run -0 ct systemctl daemon-reload
	run -0 ct systemctl restart webserver-pool.service

	[[ $exec == *"argv[]=/usr/local/bin/webserver --keep-alive 100 /srv/www ;"* ]] ||
		fail "ExecStart: $exec"
	run -0 echo "$load"
	assert_line --regexp '^Complete requests: +2000$'
	assert_line --regexp '^Failed requests: +0$'
	# The 100th request of a connection is told close and ab opens
	# another: 16 connections at a time make 20 to 35 for 2000 requests,
	# and each one ended by the pool took one request not kept alive.
	local ka
	ka=$(sed -n 's/^Keep-Alive requests: *\([0-9]*\)$/\1/p' <<< "$output")
	[ "${ka:-0}" -ge 1981 ] && [ "$ka" -le 1996 ] || fail "Keep-Alive requests: $ka"
	run -0 echo "$fast"
	assert_line --regexp '^Complete requests: +2000$'
	assert_line --regexp '^Failed requests: +0$'
	# Two loads: 4000 requests, on 40 to 70 connections, none refused.
	[[ $text =~ ^0\ active,\ ([0-9]+)\ served,\ 4000\ requests,\ 0\ refused\ at\ the\ per-source\ cap,\ 0\ shed\ idle$ ]] ||
		fail "StatusText: $text"
	[ "${BASH_REMATCH[1]}" -ge 40 ] && [ "${BASH_REMATCH[1]}" -le 70 ] ||
		fail "StatusText: $text"
	echo "# ab -k -c 16: $ka of 2000 kept alive; the pool's STATUS=: $text" >&3
	local rps per
	rps=$(sed -n 's/^Requests per second: *\([0-9.]*\) .*/\1/p' <<< "$fast")
	echo "# webserver-pool with --keep-alive 100, ab -k -c 4: $rps requests/s" >&3
	if [ -s "$BATS_FILE_TMPDIR/per-connection-rps" ]; then
		per=$(cat "$BATS_FILE_TMPDIR/per-connection-rps")
		echo "# that is $(awk -v a="$rps" -v b="$per" 'BEGIN { printf "%.1f", a / b }')x webserver.socket without keep-alive ($per requests/s)" >&3
	fi
	assert_running webserver-pool.socket webserver-pool.service
	run -1 ct test -e "$d"
}

@test "a child killed by a signal makes the pool exit; the next connection gets a new pool" {
	need_container
	local i main
	ct_curl -o /dev/null "http://127.0.0.1:$CT_PORT/HelloWorld.html"
	hold_pool_child
	main=$MAIN
	ct kill -SEGV "$CHILD"
	for i in $(seq 1 50); do
		[ "$(pool_main)" != "$main" ] && break
		sleep 0.1
	done
	release_pool_child
	[ "$(pool_main)" != "$main" ] || fail "the pool $main is still running"
	run -0 ct journalctl --no-pager -o cat -u webserver-pool.service
	assert_output --partial "a child was killed by signal 11; the pool stops and exits"
	run -0 ct_curl -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CT_PORT/HelloWorld.html"
	assert_output 200
	[ -n "$(pool_main)" ] && [ "$(pool_main)" != "$main" ] || fail "no new pool"
	run -0 ct systemctl is-active webserver-pool.socket
	assert_output active
	ct systemctl reset-failed webserver-pool.service || true
}

@test "systemctl stop during a load cuts no response" {
	need_container
	local big pids=() i ok=0
	ct dd if=/dev/urandom of=/srv/www/big.bin bs=1M count=64 status=none
	big=$(ct sha256sum /srv/www/big.bin | cut -d' ' -f1)
	# A slow download (64 MiB at 16 MiB/s, longer than the socket buffers
	# can hide) and 200 small requests around it.
	nsenter -t "$CT_PID" -n curl -sS --max-time 60 --limit-rate 16M \
		-o "$BATS_TEST_TMPDIR/big" "http://127.0.0.1:$CT_PORT/big.bin" 3>&- &
	pids+=($!)
	nsenter -t "$CT_PID" -n curl -s --max-time 60 --parallel --parallel-max 4 \
		-w '%{http_code}\n' $(for i in $(seq 1 200); do
			printf -- '-o /dev/null http://127.0.0.1:%s/HelloWorld.html?%s ' "$CT_PORT" "$i"; done) \
		> "$BATS_TEST_TMPDIR/codes" 2>/dev/null 3>&- &
	pids+=($!)
	sleep 1
	run -0 ct systemctl stop webserver-pool.service
	for i in "${pids[@]}"; do
		wait "$i" || true
	done
	ct rm -f /srv/www/big.bin
	[ "$(sha256sum < "$BATS_TEST_TMPDIR/big" | cut -d' ' -f1)" = "$big" ] ||
		fail "the download was cut at $(wc -c < "$BATS_TEST_TMPDIR/big") bytes"
	[ "$(grep -c '^200$' "$BATS_TEST_TMPDIR/codes")" -eq 200 ] ||
		fail "$(sort "$BATS_TEST_TMPDIR/codes" | uniq -c)"
	run -0 ct systemctl is-active webserver-pool.socket
	assert_output active
}

@test "idle exit: 60 requests 0.9-1.1 s apart to a pool with --idle-exit 1 lose none" {
	need_container
	local i codes=() starts
	ct mkdir -p /etc/systemd/system/webserver-pool.service.d
	printf '[Service]\nExecStart=\nExecStart=/usr/local/bin/webserver --idle-exit 1 /srv/www\n' |
		ct tee /etc/systemd/system/webserver-pool.service.d/idle.conf > /dev/null
	run -0 ct systemctl daemon-reload
	run -0 ct systemctl restart webserver-pool.socket
	for i in $(seq 1 60); do
		codes+=("$(ct_curl -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CT_PORT/HelloWorld.html?$i" || echo fail)")
		sleep "$(printf '0.%d' $((9 + RANDOM % 3)))"
		[ "${codes[-1]}" = 200 ] || break
	done
	ct rm -rf /etc/systemd/system/webserver-pool.service.d
	ct systemctl daemon-reload
	local good
	good=$(printf '%s\n' "${codes[@]}" | grep -c '^200$')
	[ "$good" -eq 60 ] || fail "$good of ${#codes[@]} answered: ${codes[*]}"
	run -0 ct systemctl is-active webserver-pool.socket
	assert_output active
	starts=$(ct journalctl --no-pager -o cat -u webserver-pool.service | grep -c '^Started ' || true)
	echo "# pool starts during the run: $starts" >&3
	[ "$starts" -gt 2 ] || fail "the pool never exited on idle ($starts starts)"
}

# --- HTTPS: webserver-tls.socket (port 443, Accept=no) and its pool, which
# reads its certificate and key as credentials (LoadCredential=).

TLS_NAME=www.example.test

@test "the TLS service scores 0.5 or less in systemd-analyze security; its units verify" {
	assert_exposure webserver-tls.service 5
	local p=$BATS_FILE_TMPDIR/static
	cd "$p/usr/lib/systemd/system" || fail "the install test did not run"
	run -0 env MANPATH="$p/usr/share/man" systemd-analyze verify \
		webserver-tls.socket webserver-tls.service
	assert_output ""
	run -0 grep -x "ExecStart=$p/usr/bin/webserver --tls-cert %d/tls-cert.pem --tls-key %d/tls-key.pem $p/www" \
		webserver-tls.service
}

# tls_certs: a root CA, an intermediate CA that signs, and two generations
# of a leaf for $TLS_NAME (serials 1001 and 1002), each with its own key;
# gen-N/fullchain.pem is the leaf, then the intermediate, as certbot
# writes it.  Made once, in $TLS.
tls_certs() {
	TLS=$BATS_FILE_TMPDIR/tls
	[ -f "$TLS/gen-2/fullchain.pem" ] && return 0
	local ec='-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes' n
	mkdir -p "$TLS"
	(
		set -e
		cd "$TLS"
		printf 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n' > ca.ext
		openssl req -x509 $ec -keyout root.key -out root.pem -days 2 \
			-subj "/CN=webserver test root" -addext basicConstraints=critical,CA:true
		openssl req $ec -keyout inter.key -out inter.csr -subj "/CN=webserver test intermediate"
		openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -set_serial 2 \
			-days 2 -extfile ca.ext -out inter.pem
		printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$TLS_NAME" > leaf.ext
		for n in 1 2; do
			mkdir -p "gen-$n"
			openssl req $ec -keyout "gen-$n/privkey.pem" -out "gen-$n/leaf.csr" \
				-subj "/CN=$TLS_NAME generation $n"
			openssl x509 -req -in "gen-$n/leaf.csr" -CA inter.pem -CAkey inter.key \
				-set_serial "100$n" -days 2 -extfile leaf.ext -out "gen-$n/leaf.pem"
			cat "gen-$n/leaf.pem" inter.pem > "gen-$n/fullchain.pem"
		done
	) > "$TLS/openssl.log" 2>&1 || fail "openssl: $(tail -n 5 "$TLS/openssl.log")"
}

# tls_install N: generation N's chain and key at the paths the unit loads
# them from, as a renewal leaves them: the key root's, mode 0400.
tls_install() {
	ct install -d -m 755 /etc/webserver /etc/webserver/tls
	ct install -m 644 /dev/stdin /etc/webserver/tls/fullchain.pem < "$TLS/gen-$1/fullchain.pem"
	ct install -m 400 -o root -g root /dev/stdin /etc/webserver/tls/privkey.pem \
		< "$TLS/gen-$1/privkey.pem"
}

# tls_curl ARGS...: curl over HTTPS to the container's port 443 by name,
# trusting the test root alone.
tls_curl() {
	ct_curl --cacert "$TLS/root.pem" --resolve "$TLS_NAME:443:127.0.0.1" "$@"
}

@test "webserver-tls.socket beside the plain pool: the credentials' certificate, exact bytes, 2000 TLS requests at concurrency 16" {
	need_container
	command -v ab > /dev/null || skip "ab (apache2-utils) is not installed"
	local t0=$SECONDS
	tls_certs
	tls_install 1
	run -0 ct stat -c '%a %U' /etc/webserver/tls/privkey.pem
	assert_output "400 root"
	run -0 ct systemctl start webserver-tls.socket
	run -0 ct systemctl show -p Listen -p DeferAcceptUSec webserver-tls.socket
	assert_output $'DeferAcceptUSec=10s\nListen=[::]:443 (Stream)'
	RESP=$BATS_TEST_TMPDIR/resp
	run -0 tls_curl -o "$RESP.body" -D "$RESP.raw" -w '%{http_code} %{ssl_verify_result} %{num_certs}' \
		"https://$TLS_NAME/HelloWorld.html"
	# Verified against the root through the intermediate the chain carries.
	assert_output "200 0 2"
	tr -d '\r' < "$RESP.raw" | sed '/^$/d' > "$RESP.head"
	DOCROOT=$ROOT/www assert_hello
	# The plain pool runs beside it, on its own port (the pool's socket
	# and webserver.socket share 13331).
	run -0 ct systemctl stop webserver.socket
	run -0 ct systemctl start webserver-pool.socket
	run -0 ct systemctl is-active webserver-pool.socket webserver-tls.socket webserver-tls.service
	assert_output $'active\nactive\nactive'
	run -0 ct_curl -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CT_PORT/HelloWorld.html"
	assert_output 200
	# The files came as credentials, in the unit's own directory.
	run -0 ct systemctl show -p ExecStart --value webserver-tls.service
	assert_output --partial "--tls-cert /run/credentials/webserver-tls.service/tls-cert.pem --tls-key /run/credentials/webserver-tls.service/tls-key.pem /srv/www"

	# A handshake per request: ab does not keep the connection alive.
	run -0 timeout 120 nsenter -t "$CT_PID" -n \
		ab -q -f TLS1.3 -n 2000 -c 16 "https://127.0.0.1/HelloWorld.html"
	assert_line --regexp '^SSL/TLS Protocol: +TLSv1\.3,'
	assert_line --regexp '^Complete requests: +2000$'
	assert_line --regexp '^Failed requests: +0$'
	refute_line --regexp '^Non-2xx responses:'
	echo "# ab -f TLS1.3 -c 16 -n 2000 through webserver-tls.socket: $(sed -n 's/^Requests per second: *\([0-9.]*\) .*/\1/p' <<< "$output") requests/s" >&3
	run -0 ct journalctl --no-pager -o cat -u webserver-tls.service
	assert_output --regexp '127\.0\.0\.1 - - \[[^]]+\] "GET /HelloWorld\.html HTTP/1\.0" 200 170 "-" "ApacheBench/2\.3" TLSv1\.3'
	assert_running webserver-tls.socket webserver-tls.service
	echo "# this test: $((SECONDS - t0)) s" >&3
}

@test "a renewal: new files and systemctl restart serve the new certificate and cut no download in flight" {
	need_container
	local t0=$SECONDS big dl renew t_new new t_done main
	tls_certs
	main=$(ct systemctl show -p MainPID --value webserver-tls.service)
	[ "${main:-0}" != 0 ] || fail "no TLS pool running"
	ct dd if=/dev/urandom of=/srv/www/big.bin bs=1M count=64 status=none
	big=$(ct sha256sum /srv/www/big.bin | cut -d' ' -f1)
	# 64 MiB at 16 MiB/s: some 4 s, more than the socket buffers hold.
	nsenter -t "$CT_PID" -n curl -sS --max-time 60 --limit-rate 16M \
		--cacert "$TLS/root.pem" --resolve "$TLS_NAME:443:127.0.0.1" \
		-o "$BATS_TEST_TMPDIR/big" "https://$TLS_NAME/big.bin" 3>&- &
	dl=$!
	sleep 1
	kill -0 "$dl" 2>/dev/null || fail "the download ended before the renewal"
	# What a renewal does: the new files, then the hook's command, which
	# returns once the new pool runs.
	tls_install 2
	timeout 60 nsenter -t "$CT_PID" -m -u -i -n -p \
		systemctl restart webserver-tls.service 3>&- &
	renew=$!
	sleep 0.3
	# A new connection while the old pool drains: it waits in the socket.
	t_new=$EPOCHREALTIME
	run -0 tls_curl --max-time 30 -o /dev/null -w '%{http_code} %{ssl_verify_result}\n%{certs}' \
		"https://$TLS_NAME/HelloWorld.html"
	new=$output
	t_done=$EPOCHREALTIME
	wait "$renew" || fail "systemctl restart failed"
	wait "$dl" || fail "the download failed (curl status $?)"
	ct rm -f /srv/www/big.bin
	[ "$(sha256sum < "$BATS_TEST_TMPDIR/big" | cut -d' ' -f1)" = "$big" ] ||
		fail "the download was cut at $(wc -c < "$BATS_TEST_TMPDIR/big") bytes"
	[ "$(head -n 1 <<< "$new")" = "200 0" ] || fail "the new connection: $new"
	grep -qx "Subject:CN = $TLS_NAME generation 2" <<< "$new" || fail "not the new certificate: $new"
	grep -qix 'Serial Number:03ea' <<< "$new" || fail "not serial 1002: $new"
	[ "$(ct systemctl show -p MainPID --value webserver-tls.service)" != "$main" ] ||
		fail "the pool was not restarted"
	# And the next one too, with the page's exact bytes.
	run -0 tls_curl -o "$BATS_TEST_TMPDIR/page" -w '%{http_code}\n%{certs}' "https://$TLS_NAME/HelloWorld.html"
	assert_line "Subject:CN = $TLS_NAME generation 2"
	cmp "$BATS_TEST_TMPDIR/page" "$ROOT/www/HelloWorld.html"
	assert_running webserver-tls.socket webserver-tls.service
	echo "# a connection made during the renewal waited $(awk -v a="$t_new" -v b="$t_done" 'BEGIN { printf "%.1f", b - a }') s, for the download in flight; this test: $((SECONDS - t0)) s" >&3
}

@test "after stop and make uninstall nothing of the install is left" {
	need_container
	run -0 ct systemctl disable --now webserver-pool.socket webserver.socket webserver-tls.socket
	run -0 ct systemctl stop webserver-pool.service webserver-tls.service
	ct rm -rf /etc/webserver
	run -3 ct systemctl is-active webserver.socket
	assert_output inactive
	run -0 ct make -s -C /webserver-src uninstall
	run -0 ct systemctl daemon-reload
	# Nothing but (empty) directories in the overlay on /usr.
	run -0 find "$CT_UPPER" -mindepth 1 ! -type d
	assert_output ""
	local f
	for f in /srv/www /etc/xinetd.d/webserver /usr/local/bin/webserver \
		/etc/systemd/system/sockets.target.wants/webserver.socket \
		/etc/systemd/system/sockets.target.wants/webserver-pool.socket \
		/etc/systemd/system/sockets.target.wants/webserver-tls.socket; do
		run ct test -e "$f"
		[ "$status" -eq 1 ] || fail "$f is still there"
	done
	run ct systemctl list-unit-files --no-legend 'webserver*'
	assert_output ""
}

#!/usr/bin/env bats
# A real HAProxy in front, with the shipped haproxy/webserver.cfg: TLS with
# HTTP/2 and HTTP/1.1 to clients, PROXY v2 to two backends on their own
# loopback addresses (127.0.0.2: one process per connection; 127.0.0.3:
# the pool), both with --keep-alive as the README says: one backend
# connection per client session, never shared between clients; health
# checks, retries and redispatch when a backend dies or closes a kept
# connection under a request.  The file is used as installed, with its
# addresses, certificate and log target rewritten for the test, and a
# stats listener and an admin socket added.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	command -v haproxy > /dev/null || skip "haproxy is not installed (Debian package haproxy)"
	make_docroot
	HP=$BATS_FILE_TMPDIR/haproxy
	mkdir -p "$HP"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj /CN=localhost -days 2 -keyout "$HP/key.pem" -out "$HP/cert.pem" 2> /dev/null
	cat "$HP/cert.pem" "$HP/key.pem" > "$HP/site.pem"
	# A file that takes a client at --limit-rate 16k a second.
	head -c 16384 /dev/urandom > "$DOCROOT/slow.bin"
	FRONT=$((20000 + RANDOM % 10000))
	PLAIN=$((FRONT + 1))
	STATS=$((FRONT + 2))
	BACK=$((FRONT + 3))
	ADMIN=$((FRONT + 4))
	start_backend a
	start_backend b
	front_cfg "$FRONT" "\\tserver web1 127.0.0.2:$BACK\\n\\tserver web2 127.0.0.3:$BACK" |
		sed "s|^global\$|global\\n\\tstats socket ipv4@127.0.0.1:$ADMIN level admin|" \
		> "$HP/haproxy.cfg"
	printf 'listen stats\n\tbind 127.0.0.1:%s\n\tstats enable\n\tstats uri /stats\n' \
		"$STATS" >> "$HP/haproxy.cfg"
	haproxy -db -f "$HP/haproxy.cfg" > "$HP/haproxy.log" 2>&1 3>&- &
	HAPROXY_PID=$!
	export HP FRONT PLAIN STATS BACK ADMIN HAPROXY_PID DOCROOT
	wait_listening "$FRONT" || { cat "$HP/haproxy.log" >&2; return 1; }
	wait_up web1 && wait_up web2
}

teardown_file() {
	[ -n "${HAPROXY_PID:-}" ] && kill "$HAPROXY_PID" 2> /dev/null
	stop_backend a
	stop_backend b
	true
}

# front_cfg PORT SERVERS: the shipped file, bound to 127.0.0.1:PORT (TLS)
# and PORT + 1, with $HP/site.pem, logging to stderr, and the server lines
# SERVERS (sed's replacement text) in place of its local one.
front_cfg() {
	sed -e "s|^\\(\\tbind \\):443 ssl crt /etc/haproxy/webserver.pem|\\1127.0.0.1:$1 ssl crt $HP/site.pem|" \
	    -e "s|^\\(\\tbind \\):80\$|\\1127.0.0.1:$(($1 + 1))|" \
	    -e "s|^\\(\\tlog \\)/dev/log local0|\\1stderr format raw local0|" \
	    -e "s|^\\tserver web1 127.0.0.1:13331\$|$2|" \
	    "$ROOT/haproxy/webserver.cfg"
}

# Each test leaves both servers checked and in service.
teardown() {
	local s f
	# A failed race test's HAProxy and backend.
	for f in race.pid c.pid; do
		[ -s "$BATS_TEST_TMPDIR/$f" ] && kill "$(cat "$BATS_TEST_TMPDIR/$f")" 2> /dev/null
	done
	for s in web1 web2; do
		hapi "enable health webservers/$s" > /dev/null 2>&1
		hapi "set server webservers/$s state ready" > /dev/null 2>&1
	done
	true
}

# start_backend a|b [OPTION...]: backend a on 127.0.0.2, one process per
# connection; b on 127.0.0.3, the pool; with the README's ExecStart= options,
# or those given.  Their logs are $HP/a.log and $HP/b.log.
start_backend() {
	local how=(--inetd -a) addr=127.0.0.2 name=$1 opts
	shift
	opts=("$@")
	[ $# -gt 0 ] || opts=(--keep-alive 100 --keep-alive-timeout 30)
	if [ "$name" = b ]; then
		how=()
		addr=127.0.0.3
	fi
	# From a subshell, so that killing it is no job of this shell's.
	(systemd-socket-activate "${how[@]}" -l "$addr:$BACK" "$WEBSERVER" \
		--proxy-protocol "${opts[@]}" "$DOCROOT" 3>&- 2>> "$HP/$name.log" &
	echo $! > "$HP/$name.pid")
	local i
	for i in $(seq 1 50); do
		ss -Hltn "src = $addr:$BACK" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

stop_backend() {
	[ -s "$HP/$1.pid" ] || return 0
	kill -9 "$(cat "$HP/$1.pid")" 2> /dev/null
	: > "$HP/$1.pid"
}

# server_state NAME: UP or DOWN, as the stats page says.
server_state() {
	curl -s --max-time 5 "http://127.0.0.1:$STATS/stats;csv" |
		awk -F, -v n="$1" '$1 == "webservers" && $2 == n { print $18 }'
}

# wait_up NAME / wait_down NAME: up to 15 s for that state.
wait_state() {
	local i
	for i in $(seq 1 150); do
		[[ $(server_state "$1") == "$2"* ]] && return 0
		sleep 0.1
	done
	echo "server $1 is $(server_state "$1"), not $2" >&2
	return 1
}
wait_up() { wait_state "$1" UP; }
wait_down() { wait_state "$1" DOWN; }

# hapi COMMAND: one command to HAProxy's admin socket; its answer on stdout.
hapi() {
	local fd
	exec {fd}<> "/dev/tcp/127.0.0.1/$ADMIN" || return 1
	printf '%s\n' "$1" >&"$fd"
	timeout 5 cat <&"$fd"
	exec {fd}>&-
}

# counters NAME: "CONNECT REUSE" for server NAME: the backend connections
# HAProxy opened for requests, and the requests it sent over one it had
# (health checks count in neither).
counters() {
	curl -s --max-time 5 "http://127.0.0.1:$STATS/stats;csv" |
		awk -F, -v n="$1" '$1 == "webservers" && $2 == n { print $85, $86 }'
}

# a_only: every request to backend a (web2 in maintenance), no health
# checks, and a.log emptied once the connections of earlier checks and
# requests are over: from then on, its activator's "Connection from"
# lines count the backend connections of the test's requests alone.
a_only() {
	hapi "set server webservers/web2 state maint" > /dev/null
	hapi "disable health webservers/web1" > /dev/null
	hapi "disable health webservers/web2" > /dev/null
	sleep 0.3
	a_settled || fail "backend a still has connections open"
	: > "$HP/a.log"
}

# a_settled: up to 10 s for every handler backend a spawned to have ended
# (HAProxy closes a client's backend connection when the client's closes).
a_settled() {
	local i
	for i in $(seq 1 100); do
		[ "$(grep -c '^Spawned ' "$HP/a.log")" -eq "$(grep -c '^Child [0-9]* died' "$HP/a.log")" ] &&
			return 0
		sleep 0.1
	done
	return 1
}

# a_connections: how many connections backend a took since a_only.
a_connections() { grep -c '^Connection from ' "$HP/a.log"; }

# access_lines AGENT: backend a's access lines for requests with AGENT,
# each cut to "CLIENT PORT STATUS".
access_lines() {
	grep -F "\"$1\"" "$HP/a.log" |
		awk '{ print $1, $NF, $(NF - 4) }'
}

# https PATH [CURL ARGS]: through HAProxy; status in CODE, body in $RESP.body.
https() {
	local path=$1
	shift
	RESP=$BATS_TEST_TMPDIR/resp
	CODE=$(curl -sS -k --max-time 10 -D "$RESP.rawhead" -o "$RESP.body" \
		-w '%{http_code} %{http_version}' "$@" "https://127.0.0.1:$FRONT$path")
	tr -d '\r' < "$RESP.rawhead" | sed '/^$/d' > "$RESP.head"
}

@test "the shipped configuration is valid HAProxy 2.6 as it stands, given its certificate" {
	sed "s|/etc/haproxy/webserver.pem|$HP/site.pem|" "$ROOT/haproxy/webserver.cfg" \
		> "$BATS_TEST_TMPDIR/shipped.cfg"
	run -0 haproxy -c -f "$BATS_TEST_TMPDIR/shipped.cfg"
	assert_output --partial "Configuration file is valid"
	run -0 grep -c 'send-proxy-v2' "$ROOT/haproxy/webserver.cfg"
}

@test "curl --http2 over TLS gets the lab page's exact bytes and a 404" {
	https /HelloWorld.html --http2
	[ "$CODE" = "200 2" ] || fail "got $CODE"
	assert_body_file "$DOCROOT/HelloWorld.html"
	https /no-such-page.html --http2
	[ "$CODE" = "404 2" ] || fail "got $CODE"
	assert_body '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>404 Not Found</h1></body></html>\n'
}

@test "curl --http1.1 keeps one TLS connection for several responses" {
	run -0 curl -sS -k --max-time 10 --http1.1 -w '%{http_code} %{num_connects}\n' \
		-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html" \
		-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html" \
		-o /dev/null "https://127.0.0.1:$FRONT/no-such-page.html"
	assert_output $'200 1\n200 0\n404 0'
}

@test "the plain port redirects to https" {
	run -0 curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' \
		"http://127.0.0.1:$PLAIN/HelloWorld.html"
	assert_output "301 https://127.0.0.1:$PLAIN/HelloWorld.html"
}

@test "a client on 127.0.0.5 is logged by the backend as 127.0.0.5, not as HAProxy" {
	local agent="proxied-$RANDOM" i
	run -0 curl -sS -k --max-time 10 --interface 127.0.0.5 -A "$agent" -o /dev/null \
		-w '%{http_code}' "https://127.0.0.1:$FRONT/HelloWorld.html"
	assert_output 200
	for i in $(seq 1 50); do
		grep -q "$agent" "$HP/a.log" "$HP/b.log" && break
		sleep 0.1
	done
	run -0 grep -h "$agent" "$HP/a.log" "$HP/b.log"
	[[ $output =~ ^127\.0\.0\.5\ -\ -\ \[[^]]+\]\ \"GET\ /HelloWorld\.html\ HTTP/1\.1\"\ 200\ 170\ \"-\"\ \"$agent\"\ [0-9]+$ ]] ||
		fail "backend log: $output"
	# HAProxy's health checks carry a LOCAL header: its own address.
	run -0 grep -h -m1 'HelloWorld.html HTTP/1.1" 200 170 "-" "-" -$' "$HP/a.log"
	[[ $output == 127.0.0.1\ * ]] || fail "check line: $output"
}

@test "three requests of one client go over one backend connection, in HTTP/1.1 and h2" {
	local v agent port before c0 r0 c1 r1 c2 r2
	for v in --http1.1 --http2; do
		a_only
		before=$(counters web1)
		agent="one-session$v-$RANDOM"
		run -0 curl -sS -k --max-time 10 "$v" --interface 127.0.0.5 -A "$agent" \
			-w '%{http_code} %{num_connects} %{local_port}\n' \
			-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html" \
			-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html" \
			-o /dev/null "https://127.0.0.1:$FRONT/no-such-page.html"
		port=$(head -n1 <<< "$output" | cut -d' ' -f3)
		assert_output "200 1 $port"$'\n'"200 0 $port"$'\n'"404 0 $port"
		a_settled || fail "the backend connection outlived the client's ($v)"
		[ "$(a_connections)" -eq 1 ] || fail "$v: $(a_connections) backend connections"
		run -0 access_lines "$agent"
		assert_output "127.0.0.5 $port 200"$'\n'"127.0.0.5 $port 200"$'\n'"127.0.0.5 $port 404"
		# HAProxy's count agrees: one connection opened, two reuses.
		read -r c0 r0 <<< "$before"
		read -r c1 r1 <<< "$(counters web1)"
		[ "$((c1 - c0)) $((r1 - r0))" = "1 2" ] || fail "$v: connect, reuse: $((c1 - c0)) $((r1 - r0))"
	done
	# With both servers in service, the requests stay on the server that
	# has the client's connection (prefer-last-server), not taken in turn.
	teardown
	read -r c0 r0 <<< "$(counters web1)"
	read -r c1 r1 <<< "$(counters web2)"
	run -0 curl -sS -k --max-time 10 --http1.1 -w '%{http_code}\n' \
		-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html" \
		-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html" \
		-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html"
	assert_output $'200\n200\n200'
	read -r c2 r2 <<< "$(counters web1)"
	c2=$((c2 - c0)) r2=$((r2 - r0))
	read -r c0 r0 <<< "$(counters web2)"
	c2=$((c2 + c0 - c1)) r2=$((r2 + r0 - r1))
	[ "$c2 $r2" = "1 2" ] || fail "both servers: connect, reuse: $c2 $r2"
}

@test "two clients kept alive at once never share a backend connection" {
	a_only
	local c u=()
	for c in 1 2 3; do
		u+=(-o /dev/null "https://127.0.0.1:$FRONT/slow.bin?$c")
	done
	# Each client takes about 3 s: both sessions are open together, each
	# with its backend connection idle between its requests.
	for c in 5 6; do
		(
			t0=$EPOCHREALTIME
			curl -sS -k --max-time 20 --http1.1 --interface "127.0.0.$c" -A "client-$c" \
				--limit-rate 16k -w '%{http_code} %{local_port}\n' "${u[@]}" \
				> "$BATS_TEST_TMPDIR/out.$c"
			echo "$t0 $EPOCHREALTIME" > "$BATS_TEST_TMPDIR/span.$c"
		) 3>&- &
	done
	wait
	local s5 e5 s6 e6 p5 p6
	read -r s5 e5 < "$BATS_TEST_TMPDIR/span.5"
	read -r s6 e6 < "$BATS_TEST_TMPDIR/span.6"
	awk -v a="$s5" -v b="$e5" -v c="$s6" -v d="$e6" 'BEGIN { exit !(c < b && a < d) }' ||
		fail "the two clients did not overlap: $s5-$e5, $s6-$e6"
	p5=$(head -n1 "$BATS_TEST_TMPDIR/out.5" | cut -d' ' -f2)
	p6=$(head -n1 "$BATS_TEST_TMPDIR/out.6" | cut -d' ' -f2)
	run -0 cat "$BATS_TEST_TMPDIR/out.5"
	assert_output "200 $p5"$'\n'"200 $p5"$'\n'"200 $p5"
	run -0 cat "$BATS_TEST_TMPDIR/out.6"
	assert_output "200 $p6"$'\n'"200 $p6"$'\n'"200 $p6"
	a_settled || fail "a backend connection outlived its client's"
	# Two backend connections, each line naming its own client.
	[ "$(a_connections)" -eq 2 ] || fail "$(a_connections) backend connections"
	run -0 access_lines client-5
	assert_output "127.0.0.5 $p5 200"$'\n'"127.0.0.5 $p5 200"$'\n'"127.0.0.5 $p5 200"
	run -0 access_lines client-6
	assert_output "127.0.0.6 $p6 200"$'\n'"127.0.0.6 $p6 200"$'\n'"127.0.0.6 $p6 200"
	[ "$(grep -c '"client-[56]" [0-9]*$' "$HP/a.log")" -eq 6 ] || fail "$(cat "$HP/a.log")"
}

@test "past the backend's --keep-alive N, the client's next request gets a new backend connection" {
	local v i u=() agent port
	for i in 1 2 3 4 5; do
		u+=(-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html?$i")
	done
	stop_backend a
	start_backend a --keep-alive 2 --keep-alive-timeout 30
	for v in --http1.1 --http2; do
		a_only
		agent="past-n$v-$RANDOM"
		run -0 curl -sS -k --max-time 10 "$v" --interface 127.0.0.5 -A "$agent" \
			-w '%{http_code} %{num_connects} %{local_port}\n' "${u[@]}"
		port=$(head -n1 <<< "$output" | cut -d' ' -f3)
		assert_output "200 1 $port"$'\n'"200 0 $port"$'\n'"200 0 $port"$'\n'"200 0 $port"$'\n'"200 0 $port"
		a_settled || fail "a backend connection outlived the client's ($v)"
		# Two requests a connection: 1-2, 3-4, 5.
		[ "$(a_connections)" -eq 3 ] || fail "$v: $(a_connections) backend connections"
		[ "$(access_lines "$agent" | grep -cx "127.0.0.5 $port 200")" -eq 5 ] ||
			fail "$v: $(grep -F "$agent" "$HP/a.log")"
	done
	# None of them needed a retry: "Connection: close" said it in time.
	run -0 grep -c ' webservers/web1 .* 200 .* [0-9]*/[0-9]*/[0-9]*/[0-9]*/0 0/0 "GET [^ ]*/HelloWorld.html?[1-5] HTTP/' "$HP/haproxy.log"
	[ "$output" -eq 10 ] || fail "$(grep 'HelloWorld.html?[1-5] ' "$HP/haproxy.log")"
	stop_backend a
	start_backend a
}

@test "a backend closing a kept connection under the next request: HAProxy sends it again" {
	need_tool close-idle
	local mode v port cfg=$BATS_TEST_TMPDIR/race.cfg front=$((FRONT + 5)) pid hp
	for mode in fin rst; do
		: > "$BATS_TEST_TMPDIR/c.log"
		# The shipped file, with one server: a backend that answers
		# the first request of each connection and closes under the
		# second, as a --keep-alive-timeout ending at that moment does.
		(systemd-socket-activate --inetd -a -l "127.0.0.4:$BACK" \
			"$TOOLS/close-idle" "$mode" 3>&- 2>> "$BATS_TEST_TMPDIR/c.log" &
		echo $! > "$BATS_TEST_TMPDIR/c.pid")
		front_cfg "$front" "\\tserver web1 127.0.0.4:$BACK" > "$cfg"
		hp=$BATS_TEST_TMPDIR/race-$mode.log
		haproxy -db -f "$cfg" > "$hp" 2>&1 3>&- &
		pid=$!
		echo "$pid" > "$BATS_TEST_TMPDIR/race.pid"
		wait_listening "$front" || fail "no HAProxy: $(cat "$hp")"
		for v in --http1.1 --http2; do
			run -0 curl -sS -k --max-time 10 "$v" --interface 127.0.0.5 \
				-w '%{http_code} %{num_connects} %{local_port}\n' \
				-o "$BATS_TEST_TMPDIR/b1" "https://127.0.0.1:$front/a?$v" \
				-o "$BATS_TEST_TMPDIR/b2" "https://127.0.0.1:$front/b?$v" \
				-o "$BATS_TEST_TMPDIR/b3" "https://127.0.0.1:$front/c?$v"
			port=$(head -n1 <<< "$output" | cut -d' ' -f3)
			# Every answer on the client's one connection: HAProxy,
			# not the client, sent the request again.
			assert_output "200 1 $port"$'\n'"200 0 $port"$'\n'"200 0 $port"
			[ "$(cat "$BATS_TEST_TMPDIR"/b[123])" = $'one\none\none' ] || fail "bodies"
		done
		kill "$pid"
		wait "$pid" 2> /dev/null || true
		kill "$(cat "$BATS_TEST_TMPDIR/c.pid")"
		: > "$BATS_TEST_TMPDIR/race.pid"
		: > "$BATS_TEST_TMPDIR/c.pid"
		# b and c of each client: closed under once, then retried (the
		# last field of "a/f/b/s/r", r = 1).
		run -0 grep -c ' 200 .* [0-9]*/[0-9]*/[0-9]*/[0-9]*/1 0/0 "GET [^ ]*/[bc]?--http' "$hp"
		[ "$output" -eq 4 ] || fail "$mode: $(grep GET "$hp")"
		run -0 grep -c ' 200 .* [0-9]*/[0-9]*/[0-9]*/[0-9]*/0 0/0 "GET [^ ]*/a?--http' "$hp"
		[ "$output" -eq 2 ] || fail "$mode: $(grep GET "$hp")"
		[ "$(grep -c '^closed$' "$BATS_TEST_TMPDIR/c.log")" -eq 4 ] ||
			fail "$mode: $(sort "$BATS_TEST_TMPDIR/c.log" | uniq -c)"
	done
}

@test "one backend killed during a bounded load: 0 failed requests, marked DOWN, then UP again" {
	local urls=() i
	for i in $(seq 1 400); do
		urls+=(-o /dev/null "https://127.0.0.1:$FRONT/HelloWorld.html?$i")
	done
	curl -s -k --max-time 60 --http1.1 --parallel --parallel-max 4 -w '%{http_code}\n' \
		"${urls[@]}" > "$BATS_TEST_TMPDIR/codes" 2> /dev/null 3>&- &
	local load=$!
	sleep 0.5
	stop_backend a
	wait "$load" || true
	[ "$(grep -c '^200$' "$BATS_TEST_TMPDIR/codes")" -eq 400 ] ||
		fail "$(sort "$BATS_TEST_TMPDIR/codes" | uniq -c)"
	wait_down web1
	# Back: checked UP again, and it serves.
	: > "$HP/a.log"
	start_backend a
	wait_up web1
	for i in $(seq 1 10); do
		https "/HelloWorld.html?again=$i"
		[ "$CODE" = "200 1.1" ] || [ "$CODE" = "200 2" ] || fail "got $CODE"
	done
	grep -q 'GET /HelloWorld.html?again=' "$HP/a.log" || fail "the restarted backend served nothing"
}

@test "headless Chromium renders the lab page over https through HAProxy" {
	command -v chromium > /dev/null || fail "chromium is not installed (Debian package chromium)"
	local profile shot=$BATS_FILE_TMPDIR/https.png blank=$BATS_FILE_TMPDIR/blank.png
	browse_https() {
		profile=$(mktemp -d "$BATS_TEST_TMPDIR/profile.XXXXXX")
		timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
			--disable-background-networking --disable-component-update \
			--disable-sync --ignore-certificate-errors --user-data-dir="$profile" \
			"$@" 2>> "$BATS_TEST_TMPDIR/chromium.log"
	}
	run -0 browse_https --dump-dom "https://127.0.0.1:$FRONT/HelloWorld.html"
	assert_output --partial '<h1>Hello World</h1>'
	run -0 browse_https --window-size=800,600 --screenshot="$shot" \
		"https://127.0.0.1:$FRONT/HelloWorld.html"
	run -0 browse_https --window-size=800,600 --screenshot="$blank" 'data:text/html,'
	[ -s "$shot" ] && [ -s "$blank" ] || fail "no screenshot: $(tail -3 "$BATS_TEST_TMPDIR/chromium.log")"
	run -0 od -An -tx1 -N 24 "$shot"
	assert_output --regexp '^ 89 50 4e 47 0d 0a 1a 0a .* 00 00 03 20 00 00 02 58$'
	# Not blank: not the blank page's pixels, and text compresses to more.
	! cmp -s "$shot" "$blank" || fail "the screenshot is the blank page"
	[ "$(wc -c < "$shot")" -gt $(($(wc -c < "$blank") + 2000)) ] ||
		fail "the screenshot looks blank ($(wc -c < "$shot") bytes)"
	echo "# screenshot: $shot" >&3
}

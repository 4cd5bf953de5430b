#!/usr/bin/env bats
# A real HAProxy in front, with the shipped haproxy/webserver.cfg: TLS with
# HTTP/2 and HTTP/1.1 to clients, PROXY v2 to two backends on their own
# loopback addresses (127.0.0.2: one process per connection; 127.0.0.3:
# the pool), health checks, retries and redispatch when a backend dies.
# The file is used as installed, with its addresses, certificate and log
# target rewritten for the test, and a stats listener added.

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
	FRONT=$((20000 + RANDOM % 10000))
	PLAIN=$((FRONT + 1))
	STATS=$((FRONT + 2))
	BACK=$((FRONT + 3))
	start_backend a
	start_backend b
	sed -e "s|^\\(\\tbind \\):443 ssl crt /etc/haproxy/webserver.pem|\\1127.0.0.1:$FRONT ssl crt $HP/site.pem|" \
	    -e "s|^\\(\\tbind \\):80\$|\\1127.0.0.1:$PLAIN|" \
	    -e "s|^\\(\\tlog \\)/dev/log local0|\\1stderr format raw local0|" \
	    -e "s|^\\tserver web1 127.0.0.1:13331\$|\\tserver web1 127.0.0.2:$BACK\\n\\tserver web2 127.0.0.3:$BACK|" \
	    "$ROOT/haproxy/webserver.cfg" > "$HP/haproxy.cfg"
	printf 'listen stats\n\tbind 127.0.0.1:%s\n\tstats enable\n\tstats uri /stats\n' \
		"$STATS" >> "$HP/haproxy.cfg"
	haproxy -db -f "$HP/haproxy.cfg" > "$HP/haproxy.log" 2>&1 3>&- &
	HAPROXY_PID=$!
	export HP FRONT PLAIN STATS BACK HAPROXY_PID DOCROOT
	wait_listening "$FRONT" || { cat "$HP/haproxy.log" >&2; return 1; }
	wait_up web1 && wait_up web2
}

teardown_file() {
	[ -n "${HAPROXY_PID:-}" ] && kill "$HAPROXY_PID" 2> /dev/null
	stop_backend a
	stop_backend b
	true
}

# start_backend a|b: backend a on 127.0.0.2, one process per connection;
# b on 127.0.0.3, the pool.  Their logs are $HP/a.log and $HP/b.log.
start_backend() {
	local how=(--inetd -a) addr=127.0.0.2
	if [ "$1" = b ]; then
		how=()
		addr=127.0.0.3
	fi
	# From a subshell, so that killing it is no job of this shell's.
	(systemd-socket-activate "${how[@]}" -l "$addr:$BACK" "$WEBSERVER" \
		--proxy-protocol "$DOCROOT" 3>&- 2>> "$HP/$1.log" &
	echo $! > "$HP/$1.pid")
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

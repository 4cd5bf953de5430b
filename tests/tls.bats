#!/usr/bin/env bats
# HTTPS in the handler (--tls-cert, --tls-key, --tls-ticket-keys): a test
# CA made here, curl, openssl s_client, testssl.sh and Chromium as clients,
# in every mode and under xinetd.  What a client that does not speak TLS
# gets, a stalled or garbled handshake, SNI against Host with --vhosts,
# session resumption across processes, and the children's sandbox.

bats_require_minimum_version 1.5.0
load test_helper

GET='GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n\r\n'
# A ClientHello cut short: the record announces 512 bytes, 43 come.
PARTIAL_HELLO='\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'"$(printf '\\x%02x' $(seq 1 32))"

# leaf_cert NAME CN SAN: a P-256 key ($PKI/NAME.key) and a certificate
# ($PKI/NAME.pem) for CN and the subjectAltName SAN, signed by the test CA.
leaf_cert() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$PKI/$1.key" -out "$PKI/$1.csr" -subj "/CN=$2" &&
	openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
		-set_serial "0x$(openssl rand -hex 8)" -days 2 -out "$PKI/$1.pem" \
		-extfile <(printf '%s\n' "subjectAltName=$3" basicConstraints=CA:FALSE \
			extendedKeyUsage=serverAuth keyUsage=critical,digitalSignature)
}

setup_file() {
	make_docroot
	mkdir -p "$DOCROOT/www.example.test" "$DOCROOT/other.test"
	printf 'www.example.test\n' > "$DOCROOT/www.example.test/index.html"
	printf 'other.test\n' > "$DOCROOT/other.test/index.html"
	PKI=$BATS_FILE_TMPDIR/pki
	mkdir -p "$PKI"
	{
		openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$PKI/ca.key" -out "$PKI/ca.pem" -days 2 \
			-subj '/CN=webserver test CA' \
			-addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign &&
		leaf_cert server localhost DNS:localhost,DNS:www.example.test,IP:127.0.0.1 &&
		leaf_cert other other.test DNS:other.test
	} > "$PKI/openssl.log" 2>&1 || { cat "$PKI/openssl.log" >&2; return 1; }
	# The certificate, its chain and its key in one file.
	cat "$PKI/server.pem" "$PKI/ca.pem" "$PKI/server.key" > "$PKI/server-all.pem"
	head -c 80 /dev/urandom > "$PKI/tickets"
	export DOCROOT PKI
}

setup() {
	ALOG=$BATS_FILE_TMPDIR/activator.log
	: > "$ALOG"
	HOLDERS=()
	XPID=
}

# release_holders: end the connections the test holds open.
release_holders() {
	local pid
	for pid in "${HOLDERS[@]}"; do
		kill -- -"$pid" 2> /dev/null || true
		wait "$pid" 2> /dev/null || true
	done
	HOLDERS=()
}

# kill_children PID: end the processes PID started (pools and their children).
kill_children() {
	local pid
	for pid in $(pgrep -P "$1"); do
		kill "$pid" 2> /dev/null || true
	done
}

teardown() {
	release_holders
	[ -z "${ACTIVATOR_PID:-}" ] || kill_children "$ACTIVATOR_PID"
	stop_activator || true
	if [ -n "$XPID" ]; then
		# The pools xinetd started hold their own listening sockets.
		kill_children "$XPID"
		kill "$XPID" 2> /dev/null || true
		wait "$XPID" 2> /dev/null || true
		rm -rf "$XP"
	fi
}

# tls_start MODE [ARGS...]: the handler under systemd-socket-activate in MODE
# (--inetd, --fds or --pool), with the server's certificate first (it
# serves clients without SNI) and the other one second, and ARGS.
tls_start() {
	local mode=$1
	shift
	start_activator "$mode" --tls-cert "$PKI/server.pem" --tls-key "$PKI/server.key" \
		--tls-cert "$PKI/other.pem" --tls-key "$PKI/other.key" "$@" ||
		fail "no activator: $(tail -n 5 "$ALOG")"
}

# get_tls NAME PATH [CURL ARGS...]: GET https://NAME:$PORT/PATH, NAME at
# 127.0.0.1, trusting the test CA alone; as fetch: $CODE, $RESP.head and
# $RESP.body.
get_tls() {
	local name=$1 path=$2
	shift 2
	RESP=$BATS_TEST_TMPDIR/resp
	CODE=$(curl -sS --max-time 10 --cacert "$PKI/ca.pem" --resolve "$name:$PORT:127.0.0.1" \
		-D "$RESP.rawhead" -o "$RESP.body" -w '%{http_code}' "$@" \
		"https://$name:$PORT$path") || true
	tr -d '\r' < "$RESP.rawhead" | sed '/^$/d' > "$RESP.head"
}

# wait_log REGEX: up to 5 s for a line of the activator's log to match REGEX
# (grep -E); the handler may log after the client has its answer.
wait_log() {
	local i
	for i in $(seq 1 50); do
		grep -Eq -- "$1" "$ALOG" && return 0
		sleep 0.1
	done
	fail "no log line matches '$1'; the log ends: $(tail -n 5 "$ALOG")"
}

# no_sanitizer_report: nothing in the log from ASan or UBSan (make SANITIZE=1).
no_sanitizer_report() {
	! grep -Eq 'Sanitizer|runtime error' "$ALOG" || fail "$(grep -E -A5 'Sanitizer|runtime error' "$ALOG")"
}

# hello_over VERSION [PORT]: over TLS VERSION (1.2 or 1.3), HelloWorld.html
# with its exact bytes and a missing page as the exact 404.
hello_over() {
	local v=(--tlsv1.3)
	[ "$1" = 1.2 ] && v=(--tlsv1.2 --tls-max 1.2)
	get_tls localhost /HelloWorld.html "${v[@]}"
	[ "$CODE" = 200 ] || fail "TLS $1: code $CODE"
	assert_hello
	get_tls localhost /missing.html "${v[@]}"
	[ "$CODE" = 404 ] || fail "TLS $1: code $CODE"
	assert_error_page 404 "Not Found"
}

# serves_both_versions: hello_over 1.2 and 1.3, each logged with its version.
serves_both_versions() {
	local v
	for v in 1.2 1.3; do
		hello_over "$v"
		wait_log "^127\\.0\\.0\\.1 - - \\[[^]]+\\] \"GET /HelloWorld\\.html HTTP/1\\.1\" 200 170 \"-\" \"curl/[^\"]+\" TLSv${v/./\\.}\$"
		wait_log "^127\\.0\\.0\\.1 - - \\[[^]]+\\] \"GET /missing\\.html HTTP/1\\.1\" 404 [0-9]+ \"-\" \"curl/[^\"]+\" TLSv${v/./\\.}\$"
	done
	no_sanitizer_report
}

@test "inetd style: HelloWorld.html and a 404 over TLS 1.2 and 1.3, exact bytes, logged with the version" {
	tls_start --inetd
	serves_both_versions
}

@test "LISTEN_FDS: HelloWorld.html and a 404 over TLS 1.2 and 1.3, with the chain and key in the certificate file" {
	start_activator --fds --tls-cert "$PKI/server-all.pem" || fail "$(tail -n 5 "$ALOG")"
	serves_both_versions
	run -0 timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -showcerts < /dev/null
	[ "$(grep -c -- '-----BEGIN CERTIFICATE-----' <<< "$output")" = 2 ] ||
		fail "the chain was not sent: $output"
}

@test "pool: HelloWorld.html and a 404 over TLS 1.2 and 1.3; the pool says once that OpenSSL encrypts" {
	tls_start --pool
	serves_both_versions
	[ "$(grep -c '^webserver: TLS: ' "$ALOG")" = 1 ] || fail "$(cat "$ALOG")"
	grep -qx 'webserver: TLS: the kernel offers no kernel TLS (no tls in tcp_available_ulp); bodies are encrypted by OpenSSL' \
		"$ALOG" || grep -qx 'webserver: TLS: the kernel offers kernel TLS; bodies go out with SSL_sendfile() where a connection takes it' \
		"$ALOG" || fail "$(grep '^webserver: TLS' "$ALOG")"
}

# free_port FROM: a port in FROM to FROM + 10999 that nothing listens on.
free_port() {
	local port i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		port=$(($1 + RANDOM % 11000))
		[ -z "$(ss -Hltn "sport = :$port")" ] && break
	done
	echo "$port"
}

# xinetd_service NAME WAIT PORT: the shipped xinetd service as NAME, on,
# on 127.0.0.1:PORT alone, with wait = WAIT, running the handler under test
# with the server's certificate and key.
xinetd_service() {
	sed -e "s/^service webserver\$/service $1/" \
	    -e 's/^\([[:space:]]*disable[[:space:]]*=\).*/\1 no/' \
	    -e "s/^\\([[:space:]]*wait[[:space:]]*=\\).*/\\1 $2/" \
	    -e "s/^\\([[:space:]]*port[[:space:]]*=\\).*/\\1 $3\\n\\tbind\\t\\t= 127.0.0.1/" \
	    -e '/^[[:space:]]*flags[[:space:]]*=/d' \
	    -e "s|^\\([[:space:]]*server[[:space:]]*=\\).*|\\1 $WEBSERVER|" \
	    -e "s|^\\([[:space:]]*server_args[[:space:]]*=\\).*|\\1 --tls-cert $XP/server.pem --tls-key $XP/server.key $XP/www|" \
	    -e '/^[[:space:]]*log_/d' \
	    "$ROOT/xinetd.d/webserver" > "$XP/xinetd.d/$1"
}

@test "xinetd: HelloWorld.html and a 404 over TLS 1.2 and 1.3, one process per connection and as a pool" {
	[ "$(id -u)" = 0 ] || skip "xinetd switches to user nobody and needs root"
	command -v xinetd > /dev/null || fail "xinetd is not installed (Debian package xinetd)"
	# The handler runs as nobody: what it reads must be world-readable.
	XP=$(mktemp -d /tmp/webserver-tls-xinetd.XXXXXX)
	chmod 755 "$XP"
	mkdir "$XP/xinetd.d"
	cp -r "$ROOT/www" "$XP/www"
	install -m 644 "$PKI/server.pem" "$PKI/server.key" "$XP/"
	local one pool port
	one=$(free_port 10000)
	pool=$(free_port 21000)
	xinetd_service webtls no "$one"
	xinetd_service webtlspool yes "$pool"
	printf 'defaults\n{\n}\nincludedir %s\n' "$XP/xinetd.d" > "$XP/xinetd.conf"
	xinetd -dontfork -f "$XP/xinetd.conf" -pidfile "$XP/xinetd.pid" \
		-filelog "$XP/xinetd.log" 3>&- &
	XPID=$!
	for port in "$one" "$pool"; do
		wait_listening "$port" || fail "xinetd does not listen on $port: $(cat "$XP/xinetd.log")"
		PORT=$port
		hello_over 1.2
		hello_over 1.3
	done
}

# sclient ARGS...: openssl s_client to the activator with ARGS and nothing
# to send (10 s at most); its output and status through run.
sclient() {
	run timeout 10 openssl s_client -connect "127.0.0.1:$PORT" "$@" < /dev/null
}

# sclient_get ARGS...: openssl s_client with ARGS sends a GET and reads
# until the server closes; its output and status through run.
sclient_get() {
	# shellcheck disable=SC2059
	run bash -c 'printf "$1" | timeout 10 openssl s_client -connect "127.0.0.1:$2" -ign_eof "${@:3}"' \
		_ "$GET" "$PORT" "$@"
}

@test "TLS 1.0 and 1.1 are refused with a protocol_version alert" {
	tls_start --inetd
	local v
	for v in -tls1 -tls1_1; do
		# Security level 0: the client itself would not offer them else.
		sclient "$v" -cipher 'DEFAULT:@SECLEVEL=0'
		[ "$status" -ne 0 ] || fail "$v: s_client succeeded: $output"
		assert_output --partial 'alert protocol version'
		assert_output --partial 'SSL alert number 70'
		assert_output --partial 'Cipher is (NONE)'
	done
	no_sanitizer_report
}

@test "ALPN: http/1.1 is chosen, http/1.0 when alone; an h2-only client gets alert 120" {
	tls_start --inetd
	sclient_get -alpn h2,http/1.1
	assert_output --partial $'\nALPN protocol: http/1.1\n'
	assert_output --partial 'HTTP/1.1 200 OK'
	sclient -alpn http/1.0
	assert_output --partial $'\nALPN protocol: http/1.0\n'
	sclient -alpn h2
	[ "$status" -ne 0 ] || fail "s_client succeeded: $output"
	assert_output --partial 'alert no application protocol'
	assert_output --partial 'SSL alert number 120'
	# No ALPN at all: served HTTP/1.1.
	sclient_get
	assert_output --partial $'\nNo ALPN negotiated\n'
	assert_output --partial 'HTTP/1.1 200 OK'
	no_sanitizer_report
}

# served_cert ARGS...: the subject and subjectAltName of the certificate the
# server sends to s_client with ARGS, in $output; the client checked it
# against the test CA.
served_cert() {
	local out
	out=$(timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$PKI/ca.pem" \
		-verify_return_error "$@" < /dev/null 2>&1) || fail "s_client $*: $out"
	grep -q '^Verify return code: 0 (ok)$' <<< "$out" || fail "s_client $*: $out"
	run -0 openssl x509 -noout -subject -ext subjectAltName <<< "$out"
}

@test "SNI chooses the certificate; a client that names none, or an unknown host, gets the first" {
	tls_start --pool
	local first=$'subject=CN = localhost\nX509v3 Subject Alternative Name: \n    DNS:localhost, DNS:www.example.test, IP Address:127.0.0.1'
	served_cert -servername other.test -verify_hostname other.test
	assert_output $'subject=CN = other.test\nX509v3 Subject Alternative Name: \n    DNS:other.test'
	served_cert -servername www.example.test -verify_hostname www.example.test
	assert_output "$first"
	served_cert -noservername
	assert_output "$first"
	served_cert -servername unknown.test
	assert_output "$first"
}

# hold_session FILE: a connection in the background whose client saves its
# session ticket in FILE and then sends nothing, so that the process
# serving it waits for a request (until --timeout).  Returns once FILE is
# written (5 s at most).
hold_session() {
	setsid bash -c 'sleep 8 | timeout 10 openssl s_client -connect "127.0.0.1:$1" -sess_out "$2" > "$2.out" 2>&1' \
		_ "$PORT" "$1" 3>&- &
	HOLDERS+=($!)
	local i
	for i in $(seq 1 50); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	fail "no session saved: $(cat "$1.out")"
}

# hold_tls: a TLS connection to the pool that completes its handshake and
# then sends nothing (hold_session, into $BATS_TEST_TMPDIR/held); sets
# HANDLER_PID to the child that serves it.
hold_tls() {
	hold_session "$BATS_TEST_TMPDIR/held"
	local i
	# The child of an earlier connection may not be reaped yet.
	for i in $(seq 1 50); do
		HANDLER_PID=$(pgrep -P "$ACTIVATOR_PID")
		[ "$(wc -w <<< "$HANDLER_PID")" = 1 ] && return 0
		sleep 0.1
	done
	fail "children: $HANDLER_PID"
}

@test "pool: a handshake gets one ticket; a session from one child resumes in another, with a new ticket" {
	tls_start --pool
	local sess=$BATS_TEST_TMPDIR/held first conns
	sclient_get -sess_out "$BATS_TEST_TMPDIR/one"
	assert_output --partial $'\nNew, TLSv1.3, '
	[ "$(grep -c 'Post-Handshake New Session Ticket arrived' <<< "$output")" = 1 ] ||
		fail "$output"
	hold_tls
	first=$HANDLER_PID
	sclient_get -sess_in "$sess"
	assert_output --partial $'\nReused, TLSv1.3, '
	assert_output --partial 'HTTP/1.1 200 OK'
	# A TLS 1.3 client uses a ticket once: the resumed session gets one.
	[ "$(grep -c 'Post-Handshake New Session Ticket arrived' <<< "$output")" = 1 ] ||
		fail "$output"
	# The first child still holds the first connection: another child
	# resumed the session.
	conns=$(ss -Htnp state established "( sport = :$PORT )")
	[[ $conns == *"pid=$first,"* ]] || fail "the first child no longer holds its connection: $conns"
	wait_log '"GET /HelloWorld\.html HTTP/1\.1" 200 170 "-" "-" TLSv1\.3$'
	no_sanitizer_report
}

@test "per connection with --tls-ticket-keys: a session resumes in another process, TLS 1.3 and 1.2" {
	tls_start --inetd --tls-ticket-keys "$PKI/tickets"
	local sess=$BATS_TEST_TMPDIR/sess v
	for v in 1.3 1.2; do
		rm -f "$sess"
		sclient_get "-tls${v/./_}" -sess_out "$sess"
		assert_output --partial $'\nNew, TLSv'"$v"', '
		assert_output --partial 'HTTP/1.1 200 OK'
		[ "$(grep -c 'TLS session ticket:' <<< "$output")" = 1 ] || fail "$output"
		[ -s "$sess" ] || fail "no session saved"
		sclient_get "-tls${v/./_}" -sess_in "$sess"
		assert_output --partial $'\nReused, TLSv'"$v"', '
		assert_output --partial 'HTTP/1.1 200 OK'
	done
	# Four connections, four processes.
	[ "$(grep -c '^Spawned .* as PID [0-9]*\.$' "$ALOG")" = 4 ] || fail "$(cat "$ALOG")"
}

@test "per connection without --tls-ticket-keys: no ticket is sent, no session saved" {
	tls_start --inetd
	local sess=$BATS_TEST_TMPDIR/sess v
	for v in 1.3 1.2; do
		sclient_get "-tls${v/./_}" -sess_out "$sess"
		assert_output --partial $'\nNew, TLSv'"$v"', '
		assert_output --partial 'HTTP/1.1 200 OK'
		refute_output --partial 'TLS session ticket:'
		refute_output --partial 'New Session Ticket'
		[ ! -e "$sess" ] || fail "TLS $v: a session was saved"
	done
}

@test "testssl.sh finds no vulnerability and no weak protocol or cipher in the pool" {
	command -v testssl > /dev/null || fail "testssl is not installed (Debian package testssl.sh)"
	tls_start --pool
	local csv=$BATS_TEST_TMPDIR/testssl.csv
	# Protocols, cipher categories and vulnerabilities; --fast leaves
	# out what takes long and says nothing of those (about 20 s here).
	run timeout 300 testssl --quiet --warnings batch --color 0 --fast -p -s -U \
		--csvfile "$csv" "https://127.0.0.1:$PORT"
	[ "$status" = 0 ] || fail "testssl exited $status: $output"
	# "id","fqdn/ip","port","severity","finding","cve","cwe"
	finding() { awk -F'","' -v id="$1" 'substr($1, 2) == id { print $5 }' "$csv"; }
	local id bad
	for id in SSLv2 SSLv3 TLS1 TLS1_1 cipherlist_NULL cipherlist_aNULL \
	    cipherlist_EXPORT cipherlist_LOW cipherlist_3DES_IDEA cipherlist_AVERAGE; do
		[ "$(finding "$id")" = "not offered" ] || fail "$id: '$(finding "$id")'"
	done
	[ "$(finding TLS1_2)" = offered ] || fail "TLS1_2: $(finding TLS1_2)"
	[ "$(finding TLS1_3)" = "offered with final" ] || fail "TLS1_3: $(finding TLS1_3)"
	[ "$(finding cipherlist_STRONG)" = offered ] || fail "STRONG: $(finding cipherlist_STRONG)"
	[ "$(finding ALPN)" = http/1.1 ] || fail "ALPN: $(finding ALPN)"
	for id in heartbleed CCS ticketbleed ROBOT secure_client_renego CRIME_TLS BREACH \
	    POODLE_SSL SWEET32 FREAK DROWN LOGJAM BEAST LUCKY13; do
		[[ $(finding "$id") == "not vulnerable"* ]] || fail "$id: '$(finding "$id")'"
	done
	# Nothing rated, and no warning but about the local openssl (no
	# engine, no RC4 to test with).
	bad=$(awk -F'","' 'NR > 1 && $4 != "OK" && $4 != "INFO" &&
		!($4 == "WARN" && (substr($1, 2) == "engine_problem" || substr($1, 2) == "RC4"))' "$csv")
	[ -z "$bad" ] || fail "testssl: $bad"
	no_sanitizer_report
}

@test "--vhosts: a Host that names another host than the SNI gets 421; a matching one is served" {
	tls_start --inetd --vhosts
	get_tls www.example.test /
	[ "$CODE" = 200 ] || fail "code $CODE"
	assert_body_file "$DOCROOT/www.example.test/index.html"
	get_tls other.test /
	[ "$CODE" = 200 ] || fail "code $CODE"
	assert_body_file "$DOCROOT/other.test/index.html"
	get_tls www.example.test / -H 'Host: other.test'
	[ "$CODE" = 421 ] || fail "code $CODE"
	assert_error_page 421 "Misdirected Request"
	get_tls other.test /index.html -H "Host: www.example.test:$PORT"
	[ "$CODE" = 421 ] || fail "code $CODE"
	assert_error_page 421 "Misdirected Request"
	# No SNI (the client named an address): no check.
	get_tls 127.0.0.1 / -H 'Host: other.test'
	[ "$CODE" = 200 ] || fail "code $CODE"
	assert_body_file "$DOCROOT/other.test/index.html"
	# The log names the site the request chose.
	wait_log '^other\.test 127\.0\.0\.1 - - \[[^]]+\] "GET / HTTP/1\.1" 421 127 "-" "curl/[^"]+" TLSv1\.3$'
	wait_log '^www\.example\.test 127\.0\.0\.1 - - \[[^]]+\] "GET /index\.html HTTP/1\.1" 421 127 "-" "curl/[^"]+" TLSv1\.3$'
}

@test "a request in clear text on the TLS port gets 400 in clear text, then the close" {
	local mode
	for mode in --inetd --pool; do
		tls_start "$mode"
		exchange "$GET"
		split_response "$RESP"
		assert_error_page 400 "Bad Request"
		assert_common_headers
		# The line shows the request line that came, though it was never read.
		wait_log '^127\.0\.0\.1 - - \[[^]]+\] "GET /HelloWorld\.html HTTP/1\.1" 400 111 "-" "-"$'
		stop_activator || true
		: > "$ALOG"
	done
}

@test "a handshake that stalls, silent or in the middle of its ClientHello, is closed unanswered at --timeout" {
	local mode bytes
	for mode in --inetd --pool; do
		tls_start "$mode" --timeout 2
		for bytes in '' "$PARTIAL_HELLO"; do
			exchange "$bytes"
			[ ! -s "$RESP" ] || fail "$mode: an answer: $(od -c "$RESP" | head -5)"
			awk -v t="$TOOK" 'BEGIN { exit !(t >= 1.5 && t <= 4) }' ||
				fail "$mode: closed after $TOOK s"
		done
		stop_activator || true
	done
	no_sanitizer_report
}

# send_garbage: 1 MiB of random bytes after a TLS record's first byte, in
# place of a ClientHello; until the server closes (10 s at most).
send_garbage() {
	{ printf '\x16'; head -c $(((1 << 20) - 1)) /dev/urandom; } > "$BATS_TEST_TMPDIR/garbage"
	local rc=0
	timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; cat "$2" >&5; cat <&5' \
		_ "$PORT" "$BATS_TEST_TMPDIR/garbage" > "$BATS_TEST_TMPDIR/answer" 2>/dev/null 3>&- ||
		rc=$?
	[ "$rc" != 124 ] || fail "the connection did not end in 10 s"
}

@test "1 MiB of random bytes in place of a ClientHello ends the connection; the handler exits 0, the pool serves on" {
	tls_start --inetd
	send_garbage
	wait_log '^Child [0-9]+ died with code'
	[ "$(grep -c '^Child [0-9]* died with code' "$ALOG")" = 1 ] &&
		grep -Eq '^Child [0-9]+ died with code 0$' "$ALOG" || fail "$(cat "$ALOG")"
	stop_activator || true
	tls_start --pool
	send_garbage
	hello_over 1.3
	kill -0 "$ACTIVATOR_PID" || fail "the pool exited: $(cat "$ALOG")"
	no_sanitizer_report
}

@test "a pool child holding a TLS connection runs with no_new_privs and a seccomp filter" {
	tls_start --pool
	hold_tls
	[ "$(status_field NoNewPrivs)" = 1 ] || fail "NoNewPrivs: $(status_field NoNewPrivs)"
	[ "$(status_field Seccomp)" = 2 ] || fail "Seccomp: $(status_field Seccomp)"
}

@test "started as root, the handler reads a key only root may read, then serves as nobody" {
	[ "$(id -u)" = 0 ] || skip "needs root: the key is readable by root alone"
	local key=$BATS_TEST_TMPDIR/root-only.key nobody
	install -m 400 -o root -g root "$PKI/server.key" "$key"
	nobody=$(id -u nobody)
	start_activator --pool --tls-cert "$PKI/server.pem" --tls-key "$key" ||
		fail "$(tail -n 5 "$ALOG")"
	hold_tls
	[ "$(status_field Uid)" = "$nobody $nobody $nobody $nobody" ] ||
		fail "Uid: $(status_field Uid)"
	hello_over 1.3
	# The pool stops once its child is done: not 8 s later.
	release_holders
	stop_activator || true
	start_activator --inetd --tls-cert "$PKI/server.pem" --tls-key "$key" ||
		fail "$(tail -n 5 "$ALOG")"
	hello_over 1.2
}

@test "keep-alive over TLS: three requests on one connection" {
	tls_start --pool --keep-alive 10
	local d=$BATS_TEST_TMPDIR
	run -0 curl -sS --max-time 10 --cacert "$PKI/ca.pem" \
		--resolve "localhost:$PORT:127.0.0.1" -w '%{http_code} %{num_connects}\n' \
		-o "$d/1" "https://localhost:$PORT/HelloWorld.html" \
		-o "$d/2" "https://localhost:$PORT/HelloWorld.html" \
		-o "$d/3" "https://localhost:$PORT/missing.html"
	assert_output $'200 1\n200 0\n404 0'
	cmp "$d/1" "$DOCROOT/HelloWorld.html" && cmp "$d/2" "$DOCROOT/HelloWorld.html" ||
		fail "the bodies differ"
	wait_log '"GET /missing\.html HTTP/1\.1" 404 [0-9]+ "-" "curl/[^"]+" TLSv1\.3$'
	[ "$(grep -c '"GET /HelloWorld\.html HTTP/1\.1" 200 170 "-" "curl/[^"]*" TLSv1\.3$' "$ALOG")" = 2 ] ||
		fail "$(cat "$ALOG")"
}

@test "--proxy-protocol with TLS: the PROXY header comes before the handshake and names the client" {
	tls_start --inetd --proxy-protocol
	local out
	out=$(curl -sS --max-time 10 --haproxy-protocol --interface 127.0.0.7 \
		--cacert "$PKI/ca.pem" --resolve "localhost:$PORT:127.0.0.1" \
		-o "$BATS_TEST_TMPDIR/body" -w '%{http_code} %{local_port}' \
		"https://localhost:$PORT/HelloWorld.html")
	[ "${out% *}" = 200 ] || fail "$out"
	cmp "$BATS_TEST_TMPDIR/body" "$DOCROOT/HelloWorld.html" || fail "the body differs"
	# The header's address and port (the log names the port only when a
	# header gave it), then the version.
	wait_log "^127\\.0\\.0\\.7 - - \\[[^]]+\\] \"GET /HelloWorld\\.html HTTP/1\\.1\" 200 170 \"-\" \"curl/[^\"]+\" ${out#* } TLSv1\\.3\$"
	# TLS without the header: 400, in clear text.
	exchange "$PARTIAL_HELLO"
	split_response "$RESP"
	assert_error_page 400 "Bad Request"
}

@test "Chromium renders HelloWorld.html over https, trusting the server's key" {
	command -v chromium > /dev/null || fail "chromium is not installed (Debian package chromium)"
	tls_start --inetd
	# The server key's SPKI hash: Chromium accepts a chain that holds it
	# (with a profile directory of its own), no certificate store needed.
	local spki
	spki=$(openssl pkey -in "$PKI/server.key" -pubout -outform der |
		openssl dgst -sha256 -binary | base64)
	run -0 browse --ignore-certificate-errors-spki-list="$spki" \
		--host-resolver-rules="MAP localhost 127.0.0.1" \
		--dump-dom "https://localhost:$PORT/HelloWorld.html"
	assert_output --partial '<title>Hello World</title>'
	assert_output --partial '<h1>Hello World</h1>'
	assert_output --partial '<p>This page was served by webserver.</p>'
	wait_log '^127\.0\.0\.1 - - \[[^]]+\] "GET /HelloWorld\.html HTTP/1\.1" 200 [0-9]+ "-" "[^"]*HeadlessChrome/[^"]*" TLSv1\.3$'
}

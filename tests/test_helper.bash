# Shared by every suite: the handler, a copy of www/, request helpers and
# assertions on exact response bytes.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
WEBSERVER=${WEBSERVER:-$ROOT/webserver}
case $WEBSERVER in /*) ;; *) WEBSERVER=$ROOT/$WEBSERVER ;; esac

# The programs built from tests/tools/ (make tests-tools; tests/run makes them).
TOOLS=$ROOT/tests/tools/build

# need_tool NAME: fail unless tests/tools' NAME is built.
need_tool() {
	[ -x "$TOOLS/$1" ] || fail "$TOOLS/$1 is not built (make tests-tools)"
}

# A fresh copy of www/ for this file: DOCROOT.
make_docroot() {
	DOCROOT=$BATS_FILE_TMPDIR/www
	rm -rf "$DOCROOT"
	cp -r "$ROOT/www" "$DOCROOT"
}

# send FORMAT [ARGS...]: printf the request into the handler's stdin (the
# inetd path with pipes); the response lands in $RESP, split into
# $RESP.head (CRs removed, no final empty line) and $RESP.body (exact bytes).
# Extra handler options go in the array WS_ARGS; the log goes to $LOG.
send() {
	RESP=$BATS_TEST_TMPDIR/resp
	LOG=$BATS_TEST_TMPDIR/log
	# shellcheck disable=SC2059
	printf "$@" > "$BATS_TEST_TMPDIR/req"
	timeout 20 "$WEBSERVER" "${WS_ARGS[@]}" "$DOCROOT" \
		< "$BATS_TEST_TMPDIR/req" > "$RESP" 2> "$LOG"
	split_response "$RESP"
}

# send_file FILE: like send, with the request bytes taken from FILE.
send_file() {
	RESP=$BATS_TEST_TMPDIR/resp
	LOG=$BATS_TEST_TMPDIR/log
	timeout 20 "$WEBSERVER" "${WS_ARGS[@]}" "$DOCROOT" < "$1" > "$RESP" 2> "$LOG"
	split_response "$RESP"
}

# split_response FILE: FILE.head and FILE.body at the first CRLF CRLF.
split_response() {
	local f=$1 off
	off=$(LC_ALL=C grep -obaPz -m1 '\r\n\r\n' "$f" | head -n1 | cut -d: -f1)
	if [ -z "$off" ]; then
		tr -d '\r' < "$f" > "$f.head"
		: > "$f.body"
		return
	fi
	head -c "$off" "$f" | tr -d '\r' > "$f.head"
	tail -c +"$((off + 5))" "$f" > "$f.body"
}

# The status line of the last response.
status_line() { head -n1 "$RESP.head"; }

# header NAME: the value of header NAME (case-insensitive), or nothing.
header() {
	awk -v n="$(printf '%s' "$1" | tr 'A-Z' 'a-z')" -F': ' \
		'NR > 1 { k = tolower($1); if (k == n) { sub(/^[^:]*: /, ""); print; exit } }' \
		"$RESP.head"
}

# status_reason_of CODE: the reason phrase the handler sends with CODE.
status_reason_of() {
	case $1 in
	200) echo OK ;; 206) echo "Partial Content" ;; 301) echo "Moved Permanently" ;;
	304) echo "Not Modified" ;; 400) echo "Bad Request" ;; 403) echo Forbidden ;;
	404) echo "Not Found" ;; 405) echo "Method Not Allowed" ;;
	408) echo "Request Timeout" ;; 412) echo "Precondition Failed" ;;
	413) echo "Content Too Large" ;; 414) echo "URI Too Long" ;;
	416) echo "Range Not Satisfiable" ;; 431) echo "Request Header Fields Too Large" ;;
	500) echo "Internal Server Error" ;; 501) echo "Not Implemented" ;;
	505) echo "HTTP Version Not Supported" ;;
	esac
}

# assert_status CODE REASON: the exact status line.
assert_status() {
	local got
	got=$(status_line)
	[ "$got" = "HTTP/1.1 $1 $2" ] || fail "status line: expected 'HTTP/1.1 $1 $2', got '$got'"
}

# assert_header NAME VALUE: exactly one such header, with exactly that value.
assert_header() {
	local got count
	count=$(awk -F': ' -v n="$(printf '%s' "$1" | tr 'A-Z' 'a-z')" \
		'NR > 1 && tolower($1) == n { c++ } END { print c + 0 }' "$RESP.head")
	[ "$count" -eq 1 ] || fail "header $1: expected once, found $count times"
	got=$(header "$1")
	[ "$got" = "$2" ] || fail "header $1: expected '$2', got '$got'"
}

# refute_header NAME: no such header.
refute_header() {
	[ -z "$(header "$1")" ] || fail "header $1 present: '$(header "$1")'"
}

# assert_body_file FILE: the body is exactly FILE's bytes.
assert_body_file() {
	cmp -s "$RESP.body" "$1" || fail "body differs from $1 ($(wc -c < "$RESP.body") bytes)"
}

# assert_body TEXT: the body is exactly TEXT (printf format).
assert_body() {
	# shellcheck disable=SC2059
	printf "$@" > "$BATS_TEST_TMPDIR/expected_body"
	assert_body_file "$BATS_TEST_TMPDIR/expected_body"
}

# assert_error_page CODE REASON: the exact error response for a GET.
assert_error_page() {
	assert_status "$1" "$2"
	assert_header Content-Type "text/html; charset=utf-8"
	assert_body '<!DOCTYPE html>\n<html><head><title>%s %s</title></head>\n<body><h1>%s %s</h1></body></html>\n' "$1" "$2" "$1" "$2"
	assert_header Content-Length "$(wc -c < "$RESP.body")"
	assert_header Connection close
}

# The common headers every response carries.
assert_common_headers() {
	assert_header Server "webserver/1.0.0"
	assert_header Connection close
	header Date | grep -Eq '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$' ||
		fail "Date is not an IMF-fixdate: '$(header Date)'"
}

# The exact answer for /HelloWorld.html.
assert_hello() {
	assert_status 200 OK
	assert_common_headers
	assert_header Content-Type "text/html; charset=utf-8"
	assert_header Content-Length "$(wc -c < "$DOCROOT/HelloWorld.html")"
	assert_body_file "$DOCROOT/HelloWorld.html"
}

# start_activator MODE: run the handler under systemd-socket-activate on a
# free loopback port, one process per connection.  MODE is --inetd (fds 0
# and 1), --fds (LISTEN_FDS, fd 3) or --pool (the listening socket).  Sets PORT and ACTIVATOR_PID; the
# activator's and handler's stderr go to $BATS_FILE_TMPDIR/activator.log.
start_activator() {
	local mode=$1 try
	shift
	local how=(-a)
	[ "$mode" = --inetd ] && how=(--inetd -a)
	# --pool: the listening socket itself as fd 3 (LISTEN_FDS, Accept=no);
	# the activator execs the handler, so ACTIVATOR_PID is the pool.
	[ "$mode" = --pool ] && how=()
	for try in 1 2 3 4 5 6 7 8 9 10; do
		# Below the ephemeral range (32768-60999), where outgoing
		# connections take their ports.
		PORT=$((10000 + RANDOM % 22000))
		systemd-socket-activate "${how[@]}" -l "127.0.0.1:$PORT" \
			"$WEBSERVER" "$@" "$DOCROOT" \
			3>&- 2>> "$BATS_FILE_TMPDIR/activator.log" &
		ACTIVATOR_PID=$!
		wait_listening "$PORT" && kill -0 "$ACTIVATOR_PID" 2>/dev/null && return 0
		kill "$ACTIVATOR_PID" 2>/dev/null
		wait "$ACTIVATOR_PID" 2>/dev/null
	done
	echo "# no activator would start; its log ends:" >&2
	tail -n 5 "$BATS_FILE_TMPDIR/activator.log" | sed 's/^/# /' >&2
	return 1
}

# wait_listening PORT: up to 5 s for 127.0.0.1:PORT to listen.
wait_listening() {
	local i
	for i in $(seq 1 50); do
		ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

stop_activator() {
	[ -n "${ACTIVATOR_PID:-}" ] || return 0
	kill "$ACTIVATOR_PID" 2>/dev/null
	wait "$ACTIVATOR_PID" 2>/dev/null
	ACTIVATOR_PID=
	return 0
}

# fetch PATH [CURL ARGS...]: curl the activator; body in $RESP.body,
# headers in $RESP.head, status code in $CODE.
fetch() {
	local path=$1
	shift
	RESP=$BATS_TEST_TMPDIR/resp
	CODE=$(curl -sS --max-time 10 --path-as-is -D "$RESP.rawhead" -o "$RESP.body" \
		-w '%{http_code}' "$@" "http://127.0.0.1:$PORT$path")
	tr -d '\r' < "$RESP.rawhead" | sed '/^$/d' > "$RESP.head"
}

# hold_handler HEAD: connect to the activator, send HEAD (half a request
# head) and find the handler process serving that connection: a new child
# of the activator running $WEBSERVER that has the root open, so past its
# set-up and waiting for the rest of the head.  Sets HOLD_FD and
# HANDLER_PID; release_handler finishes the request into $RESP.
hold_handler() {
	local exe root before p i
	exe=$(readlink -f "$WEBSERVER")
	root=$(readlink -f "$DOCROOT")
	# Handlers of earlier connections may still be finishing: not ours.
	before=" $(pgrep -d ' ' -P "$ACTIVATOR_PID" || true) "
	HANDLER_PID=
	exec {HOLD_FD}<>"/dev/tcp/127.0.0.1/$PORT"
	printf '%b' "$1" >&"$HOLD_FD"
	for i in $(seq 1 200); do
		for p in $(pgrep -P "$ACTIVATOR_PID"); do
			[[ $before == *" $p "* ]] && continue
			if [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$exe" ] &&
			    readlink /proc/"$p"/fd/* 2>/dev/null | grep -qxF "$root"; then
				HANDLER_PID=$p
			fi
		done
		[ -n "$HANDLER_PID" ] && return 0
		sleep 0.05
	done
	exec {HOLD_FD}>&-
	fail "no handler process found under activator $ACTIVATOR_PID"
}

# release_handler REST: send the rest of the head, read the response.
release_handler() {
	printf '%b' "$1" >&"$HOLD_FD"
	RESP=$BATS_TEST_TMPDIR/resp
	timeout 10 cat <&"$HOLD_FD" > "$RESP"
	exec {HOLD_FD}>&-
	split_response "$RESP"
}

# exchange BYTES: over one connection to the activator, send BYTES (printf
# %b) in one write, and read until the server closes (10 s at most): the
# bytes in $RESP, and in $TOOK the seconds until the close.
exchange() {
	RESP=$BATS_TEST_TMPDIR/resp
	local t0=$EPOCHREALTIME
	timeout 10 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"; printf "%b" "$2" >&5; cat <&5' \
		_ "$PORT" "$1" > "$RESP" 3>&- || true
	TOOK=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
}

# browse ARGS...: Chromium with the flags for a headless run and a fresh
# profile, at most 60 s.
browse() {
	local profile
	profile=$(mktemp -d "$BATS_TEST_TMPDIR/profile.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$profile" "$@" 2> "$BATS_TEST_TMPDIR/chromium.log"
}

# exec_clean CMD...: exec CMD with every descriptor but 0-2 closed (bats
# hands its own down to children).
exec_clean() {
	local fd
	for fd in $(ls "/proc/$BASHPID/fd"); do
		if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
	done
	exec "$@"
}

# build_variant NAME CPPFLAGS: build a test variant of the handler from a
# copy of the tree (the checkout's ./webserver is left alone) and print its
# path; nothing is printed if the build failed (see NAME-build.log).
build_variant() {
	local dir=$BATS_FILE_TMPDIR/$1
	mkdir -p "$dir"
	cp -r "$ROOT/Makefile" "$ROOT/src" "$dir/"
	rm -f "$dir"/src/*.o "$dir"/src/.flags
	if make -C "$dir" CPPFLAGS="$2" webserver > "$dir-build.log" 2>&1; then
		echo "$dir/webserver"
	fi
}

# assert_head LINE...: the whole head, line by line, with Date's value
# checked separately (it is the time of the request).
assert_head() {
	assert_common_headers
	printf '%s\n' "$@" > "$BATS_TEST_TMPDIR/expected_head"
	{ sed 's/^Date: .*/Date: */' "$RESP.head"; echo; } > "$BATS_TEST_TMPDIR/got_head"
	diff -u "$BATS_TEST_TMPDIR/expected_head" "$BATS_TEST_TMPDIR/got_head" ||
		fail "the response head differs"
}

# status_field NAME: the value of NAME in the held handler's /proc status.
status_field() {
	awk -v n="$1:" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' \
		"/proc/$HANDLER_PID/status"
}

# check_confined MODE: start the activator (--inetd or --fds), hold a
# handler and check that it runs with no_new_privs and a seccomp filter,
# then that it serves the page.
check_confined() {
	start_activator "$1" --log none
	hold_handler 'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n'
	local nnp seccomp
	nnp=$(status_field NoNewPrivs)
	seccomp=$(status_field Seccomp)
	release_handler '\r\n'
	[ "$nnp" = 1 ] || fail "NoNewPrivs: '$nnp'"
	[ "$seccomp" = 2 ] || fail "Seccomp: '$seccomp'"
	assert_status 200 OK
	assert_body_file "$DOCROOT/HelloWorld.html"
}

# --- A real systemd: the host's, booted as PID 1 of a throw-away container
# (systemd-nspawn) with a private network, a tmpfs root and a writable
# overlay on /usr.  Used by systemd.bats and deb.bats.

# ct_boot NSPAWN-ARGS...: boot the container with these further arguments
# (binds); sets CT_NSPAWN (the nspawn pid), CT_PID (its PID 1) and
# CT_UPPER (the overlay's upper directory).  Its console log is
# $BATS_FILE_TMPDIR/ct/console.log.
ct_boot() {
	local d=$BATS_FILE_TMPDIR/ct i state
	mkdir -p "$d/upper"
	CT_UPPER=$d/upper
	systemd-id128 new > "$d/machine-id"
	systemd-nspawn -D / --volatile=yes --register=no --keep-unit \
		--private-network --console=pipe --boot --link-journal=no \
		--resolv-conf=off --machine="webserver-test-$$-$RANDOM" \
		--bind-ro="$d/machine-id:/etc/machine-id" \
		--bind-ro=/dev/null:/etc/systemd/system/systemd-machine-id-commit.service \
		--overlay="/usr:$CT_UPPER:/usr" "$@" \
		< /dev/null > "$d/console.log" 2>&1 3>&- &
	CT_NSPAWN=$!
	CT_PID=
	for i in $(seq 1 100); do
		CT_PID=$(pgrep -P "$CT_NSPAWN" -x systemd) && break
		sleep 0.1
	done
	[ -n "$CT_PID" ] || return 1
	for i in $(seq 1 200); do
		state=$(ct systemctl is-system-running 2>/dev/null)
		case $state in running | degraded) return 0 ;; esac
		sleep 0.1
	done
	echo "container did not boot: $state" >&2
	return 1
}

# ct_stop: stop the container, if one was booted.
ct_stop() {
	if [ -n "${CT_NSPAWN:-}" ]; then
		kill "$CT_NSPAWN" 2>/dev/null
		for _ in $(seq 1 100); do
			kill -0 "$CT_NSPAWN" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$CT_NSPAWN" 2>/dev/null
	fi
	true
}

# ct CMD...: run CMD inside the container (60 s at most).
ct() {
	timeout 60 nsenter -t "$CT_PID" -m -u -i -n -p "$@"
}

# ct_curl ARGS...: curl from the host, in the container's network.
ct_curl() {
	timeout 60 nsenter -t "$CT_PID" -n curl -sS --max-time 10 "$@"
}

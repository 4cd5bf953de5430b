#!/usr/bin/env bats
# Slow readers, in both modes: a client must take --min-rate on average
# after the first --timeout seconds of a response, and the response ends
# within --max-time, so a client that reads a trickle cannot hold a process;
# a client that reads steadily gets a file far larger than the socket
# buffers, however slowly above --min-rate it reads.  (curl's --limit-rate
# reads in bursts with pauses of up to a second, so --timeout is 3 s in the
# tests that use it.)

bats_require_minimum_version 1.5.0
load test_helper

SIZE=$((32 << 20))
HUGE=$((64 << 20))

setup_file() {
	make_docroot
	export DOCROOT
	head -c "$SIZE" /dev/urandom > "$DOCROOT/big.bin"
	sha256sum < "$DOCROOT/big.bin" > "$BATS_FILE_TMPDIR/big.sum"
	# Read too slowly to reach its end: its bytes do not matter.
	truncate -s "$HUGE" "$DOCROOT/huge.bin"
}

setup() {
	: > "$BATS_FILE_TMPDIR/activator.log"
	READER=
}

teardown() {
	local pid
	for pid in $READER; do
		kill "$pid" 2> /dev/null
		wait "$pid" 2> /dev/null
	done
	for ACTIVATOR_PID in ${ACTIVATORS:-} ${ACTIVATOR_PID:-}; do
		for pid in $(pgrep -P "$ACTIVATOR_PID"); do
			kill "$pid" 2> /dev/null || true
		done
		stop_activator || true
	done
	ACTIVATORS=
}

# serving: the processes serving a connection now (the activator's
# children, or the pool's).
serving() {
	pgrep -P "$ACTIVATOR_PID" || true
}

# trickle: in the background, request big.bin and read it 4 KiB at a time,
# ten times a second (40 KiB/s).
trickle() {
	bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1"
		printf "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n" >&5
		for ((i = 0; i < 3000; i++)); do
			n=$(dd bs=4096 count=1 <&5 2> /dev/null | wc -c)
			[ "$n" -gt 0 ] || exit 0
			sleep 0.1
		done' trickle "$PORT" 3>&- &
	READER=$!
}

# assert_cut_within SECONDS [NAME SIZE]: the process serving NAME (big.bin,
# of SIZE bytes) is gone within SECONDS, and its access line shows fewer
# bytes than the file.
assert_cut_within() {
	local i t0=$SECONDS line name=${2:-big.bin} size=${3:-$SIZE}
	for ((i = 0; i < $1 * 10; i++)); do
		grep -q "GET /$name" "$BATS_FILE_TMPDIR/activator.log" && [ -z "$(serving)" ] && break
		sleep 0.1
	done
	line=$(grep "GET /$name" "$BATS_FILE_TMPDIR/activator.log") ||
		fail "still serving after $1 s: no access line"
	[ -z "$(serving)" ] || fail "still serving after $1 s"
	[[ $line =~ \"\ 200\ ([0-9]+)\ \" ]] || fail "access line: $line"
	[ "${BASH_REMATCH[1]}" -lt "$size" ] || fail "the whole file was sent: $line"
	echo "# cut after $((SECONDS - t0)) s, at ${BASH_REMATCH[1]} of $size bytes" >&3
}

# slow_reader RATE SECONDS: in the background, tests/tools' slow-reader
# asks for huge.bin through a 16 KiB receive buffer and reads it at RATE
# bytes a second for SECONDS; its line ("BYTES open|closed MS") goes to
# $BATS_TEST_TMPDIR/reader.$PORT.
slow_reader() {
	need_tool slow-reader
	"$TOOLS/slow-reader" "$PORT" /huge.bin "$1" "$2" 16384 \
		> "$BATS_TEST_TMPDIR/reader.$PORT" 3>&- &
	READER="$READER $!"
}

# steady MODE: a reader at a steady 4 MiB/s gets all of big.bin.
steady() {
	run -0 curl -sS --max-time 30 --limit-rate 4M -o "$BATS_TEST_TMPDIR/big" \
		-w '%{http_code}' "http://127.0.0.1:$PORT/big.bin"
	assert_output 200
	[ "$(sha256sum < "$BATS_TEST_TMPDIR/big")" = "$(cat "$BATS_FILE_TMPDIR/big.sum")" ] ||
		fail "got $(wc -c < "$BATS_TEST_TMPDIR/big") bytes, or other bytes"
}

# cut_trickle MODE: under MODE (--inetd, --pool), a trickle is cut.
cut_trickle() {
	start_activator "$1" --timeout 3 --min-rate 1048576
	trickle
	assert_cut_within 25
}

# cut_at_max_time MODE: a steady reader is cut at --max-time.
cut_at_max_time() {
	start_activator "$1" --timeout 1 --max-time 2
	curl -s --max-time 30 --limit-rate 2M -o /dev/null \
		"http://127.0.0.1:$PORT/big.bin" 3>&- &
	READER=$!
	assert_cut_within 10
}

@test "a reader at 32 KB/s through a small window is still served 64 MiB after 25 s with the default limits, in both modes" {
	local mode port pid got state ms rate=32768 secs=25
	local -A ports pids
	# Both modes at once: each is a 25 s test.
	for mode in --inetd --pool; do
		start_activator "$mode"
		ports[$mode]=$PORT
		pids[$mode]=$ACTIVATOR_PID
		ACTIVATORS="$ACTIVATORS $ACTIVATOR_PID"
		ACTIVATOR_PID=
	done
	for mode in --inetd --pool; do
		PORT=${ports[$mode]}
		slow_reader "$rate" "$secs"
	done
	# Past the --timeout and the --min-rate grace more than twice over,
	# with the readers still reading: their handlers must still be there.
	sleep "$((secs - 1))"
	for mode in --inetd --pool; do
		pid=$(pgrep -P "${pids[$mode]}") || fail "$mode: no handler after $((secs - 1)) s"
		[ "$(echo "$pid" | wc -l)" -eq 1 ] || fail "$mode: handlers: $pid"
	done
	for pid in $READER; do
		wait "$pid" || fail "slow-reader failed"
	done
	READER=
	for mode in --inetd --pool; do
		port=${ports[$mode]}
		read -r got state ms < "$BATS_TEST_TMPDIR/reader.$port" ||
			fail "$mode: no line from slow-reader"
		[ "$state" = open ] || fail "$mode: the server closed after $got bytes, $ms ms"
		# At least nine tenths of what the rate allows: not stuck.
		[ "$got" -ge $((rate * secs * 9 / 10)) ] ||
			fail "$mode: $got bytes in $ms ms, not about $((rate * secs))"
		echo "# $mode: $got bytes in $ms ms" >&3
	done
}

# A reader at 1 KB/s falls below the default 8 KB/s a second after the
# first 10 s at about 14 s (what its window holds counts as taken too).

@test "inetd style: a reader at 1 KB/s is cut with the default limits" {
	start_activator --inetd
	slow_reader 1024 60
	assert_cut_within 30 huge.bin "$HUGE"
}

@test "pool: a reader at 1 KB/s is cut with the default limits" {
	start_activator --pool
	slow_reader 1024 60
	assert_cut_within 30 huge.bin "$HUGE"
}

@test "inetd style: a trickle reader is cut below --min-rate" {
	cut_trickle --inetd
}

@test "inetd style: a steady reader at 4 MiB/s gets 32 MiB whole with --min-rate 1 MiB/s" {
	start_activator --inetd --timeout 3 --min-rate 1048576
	steady
}

@test "inetd style: --max-time ends a response that is read steadily" {
	cut_at_max_time --inetd
}

@test "pool: a trickle reader is cut below --min-rate" {
	cut_trickle --pool
}

@test "pool: a steady reader at 4 MiB/s gets 32 MiB whole with --min-rate 1 MiB/s" {
	start_activator --pool --timeout 3 --min-rate 1048576
	steady
}

@test "pool: --max-time ends a response that is read steadily" {
	cut_at_max_time --pool
}

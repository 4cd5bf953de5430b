#!/usr/bin/env bats
# Slow readers, in both modes: a response must average --min-rate after its
# first --timeout seconds and end within --max-time, so a client that reads
# a trickle cannot hold a process; a client that reads steadily gets a file
# far larger than the socket buffers.  (curl's --limit-rate reads in bursts
# with pauses of up to a second, so --timeout is 3 s here.)

bats_require_minimum_version 1.5.0
load test_helper

SIZE=$((32 << 20))

setup_file() {
	make_docroot
	export DOCROOT
	head -c "$SIZE" /dev/urandom > "$DOCROOT/big.bin"
	sha256sum < "$DOCROOT/big.bin" > "$BATS_FILE_TMPDIR/big.sum"
}

setup() {
	: > "$BATS_FILE_TMPDIR/activator.log"
	READER=
}

teardown() {
	[ -z "$READER" ] || { kill "$READER" 2> /dev/null; wait "$READER" 2> /dev/null; }
	local pid
	if [ -n "${ACTIVATOR_PID:-}" ]; then
		for pid in $(pgrep -P "$ACTIVATOR_PID"); do
			kill "$pid" 2> /dev/null || true
		done
	fi
	stop_activator || true
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

# assert_cut_within SECONDS: the process serving big.bin is gone within
# SECONDS, and its access line shows fewer bytes than the file.
assert_cut_within() {
	local i t0=$SECONDS line
	for ((i = 0; i < $1 * 10; i++)); do
		grep -q 'GET /big.bin' "$BATS_FILE_TMPDIR/activator.log" && [ -z "$(serving)" ] && break
		sleep 0.1
	done
	line=$(grep 'GET /big.bin' "$BATS_FILE_TMPDIR/activator.log") ||
		fail "still serving after $1 s: no access line"
	[ -z "$(serving)" ] || fail "still serving after $1 s"
	[[ $line =~ \"\ 200\ ([0-9]+)\ \" ]] || fail "access line: $line"
	[ "${BASH_REMATCH[1]}" -lt "$SIZE" ] || fail "the whole file was sent: $line"
	echo "# cut after $((SECONDS - t0)) s more, at ${BASH_REMATCH[1]} of $SIZE bytes" >&3
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

#!/usr/bin/env bats
# Load: tests/load runs 5000 connections, 32 at a time, against the handler
# under systemd-socket-activate --inetd on loopback, and checks every answer.

bats_require_minimum_version 1.5.0
load test_helper

@test "5000 connections at concurrency 32 all get HelloWorld.html, with 0 errors and no leftover handler" {
	run -0 env LOAD_TIMEOUT=240 WEBSERVER="$WEBSERVER" timeout 300 "$ROOT/tests/load" 5000 32
	# The summary is the last line; diagnostics come before it on stderr.
	local summary=${lines[${#lines[@]} - 1]}
	[[ $summary =~ ^load:\ 5000\ requests,\ 32\ concurrent,\ 0\ errors,\ 0\ leftover,\ [0-9]+\.[0-9]{3}\ s,\ [0-9]+\ req/s$ ]] ||
		fail "summary: $output"
	echo "# $summary" >&3
}

@test "the load script reports failed requests and exits non-zero" {
	# A handler that answers nothing: every request must count as an error.
	printf '#!/bin/sh\nexit 0\n' > "$BATS_TEST_TMPDIR/mute"
	chmod 755 "$BATS_TEST_TMPDIR/mute"
	run -1 env LOAD_TIMEOUT=60 WEBSERVER="$BATS_TEST_TMPDIR/mute" timeout 90 "$ROOT/tests/load" 20 4
	[[ ${lines[${#lines[@]} - 1]} =~ ^load:\ 20\ requests,\ 4\ concurrent,\ 20\ errors,\ 0\ leftover, ]] ||
		fail "summary: $output"
}

#!/usr/bin/env bats
# Building and running from a checkout as a new user does: make with the C
# compiler alone, and make run showing the access lines only.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	RUN_PID=
}

teardown() {
	# make run and everything it started share one process group.
	if [ -n "$RUN_PID" ]; then
		kill -- -"$RUN_PID" 2> /dev/null || true
		wait "$RUN_PID" 2> /dev/null || true
	fi
}

@test "the sources include no libsystemd header: make needs the C compiler alone" {
	local deps
	deps=$(cd "$ROOT" && cc -D_GNU_SOURCE -DVERSION='"x"' -M src/*.c) ||
		fail "cc -M failed"
	! grep -o '[^ ]*systemd/[^ ]*' <<< "$deps" || fail "a libsystemd header is included"
}

@test "no two source files include each other" {
	local h other
	cd "$ROOT/src"
	for h in *.h; do
		for other in $(grep -l "#include \"$h\"" *.h); do
			! grep -q "#include \"$other\"" "$h" ||
				fail "$h and $other include each other"
		done
	done
}

@test "no test-only code is left in src/" {
	! grep -rn 'WEBSERVER_TEST\|WEBSERVER_NO_OPENAT2\|WEBSERVER_BENCH\|getenv' "$ROOT/src" ||
		fail "test hooks in src/"
}

@test "make run serves www/ and prints the access lines, not the activator's" {
	local dir=$BATS_TEST_TMPDIR/tree port i
	mkdir -p "$dir"
	cp -r "$ROOT/Makefile" "$ROOT/src" "$ROOT/www" "$dir/"
	rm -f "$dir"/src/*.o "$dir"/src/*.d "$dir"/src/.flags
	make -C "$dir" webserver > "$dir.build.log" 2>&1 || fail "$(tail "$dir.build.log")"
	port=$((10000 + RANDOM % 22000))
	setsid make -s -C "$dir" run PORT="$port" > "$dir.out" 2>&1 3>&- &
	RUN_PID=$!
	wait_listening "$port" || fail "make run did not listen: $(cat "$dir.out")"
	run -0 curl -sS --max-time 5 -o "$dir.page" -w '%{http_code}' \
		"http://127.0.0.1:$port/HelloWorld.html"
	[ "$output" = 200 ] || fail "status $output"
	cmp -s "$dir.page" "$ROOT/www/HelloWorld.html" || fail "the page differs"
	run -0 curl -sS --max-time 5 -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$port/missing.html"
	[ "$output" = 404 ] || fail "status $output"
	for i in $(seq 1 50); do
		[ "$(grep -c 'HTTP/1.1" ' "$dir.out")" -ge 2 ] && break
		sleep 0.1
	done
	kill -- -"$RUN_PID" 2> /dev/null || true
	wait "$RUN_PID" 2> /dev/null || true
	RUN_PID=
	run -0 grep -v '^make' "$dir.out"
	[ "${#lines[@]}" = 3 ] || fail "output: $(cat "$dir.out")"
	[ "${lines[0]}" = "Serving $dir/www on http://127.0.0.1:$port/HelloWorld.html (Ctrl-C stops)" ] ||
		fail "first line: ${lines[0]}"
	[[ ${lines[1]} == '127.0.0.1 - - ['*'] "GET /HelloWorld.html HTTP/1.1" 200 170 "-" "curl/'* ]] ||
		fail "second line: ${lines[1]}"
	[[ ${lines[2]} == '127.0.0.1 - - ['*'] "GET /missing.html HTTP/1.1" 404 '* ]] ||
		fail "third line: ${lines[2]}"
}

# A real browser: headless Chromium loads HelloWorld.html from the handler
# under systemd-socket-activate (one process per connection), and the test
# checks the page as rendered, plus a screenshot.  The screenshot is kept in
# $SCREENSHOT_DIR when that is set, else in the file's temporary directory;
# its path is printed.
bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	make_docroot
	start_activator --inetd
	export PORT ACTIVATOR_PID DOCROOT
}

teardown_file() {
	stop_activator
}

@test "Chromium renders HelloWorld.html served by the handler" {
	command -v chromium >/dev/null || fail "chromium is not installed (Debian package chromium)"
	run -0 browse --dump-dom "http://127.0.0.1:$PORT/HelloWorld.html"
	assert_output --partial '<title>Hello World</title>'
	assert_output --partial '<h1>Hello World</h1>'
	assert_output --partial '<p>This page was served by webserver.</p>'
	# The request came through the handler, from this browser.
	run -0 grep -E '^127\.0\.0\.1 - - \[[^]]+\] "GET /HelloWorld\.html HTTP/1\.1" 200 [0-9]+ "-" "[^"]*HeadlessChrome/' \
		"$BATS_FILE_TMPDIR/activator.log"
}

@test "Chromium shows a missing page as the handler's 404 page" {
	run -0 browse --dump-dom "http://127.0.0.1:$PORT/missing.html"
	assert_output --partial '<title>404 Not Found</title>'
	assert_output --partial '<h1>404 Not Found</h1>'
}

@test "Chromium takes a screenshot of HelloWorld.html" {
	local dir=${SCREENSHOT_DIR:-$BATS_FILE_TMPDIR} shot
	mkdir -p "$dir"
	shot=$dir/HelloWorld.png
	rm -f "$shot"
	run -0 browse --window-size=800,600 --screenshot="$shot" \
		"http://127.0.0.1:$PORT/HelloWorld.html"
	[ -s "$shot" ] || fail "no screenshot: $(tail -3 "$BATS_TEST_TMPDIR/chromium.log")"
	# A PNG of 800 x 600 (the IHDR width and height).
	run -0 od -An -tx1 -N 24 "$shot"
	assert_output --regexp '^ 89 50 4e 47 0d 0a 1a 0a .* 00 00 03 20 00 00 02 58$'
	# A white page with text on it compresses to more than a blank one.
	[ "$(wc -c < "$shot")" -gt 3000 ] || fail "the screenshot looks blank"
	echo "# screenshot: $shot" >&3
}

# The Debian package: "make deb" from a copy of the tree, checked with
# lintian, blhc and hardening-check; then installed with apt in the host's
# systemd booted as PID 1 of a throw-away container (as in systemd.bats),
# where it must serve on installation, switch to the pool, survive
# upgrades with the administrator's edits, stop on removal and leave
# nothing behind on purge; and its autopkgtest, with the null runner.
bats_require_minimum_version 1.5.0
load test_helper

CT_PORT=13331

# The package is built the same way under "make check SANITIZE=1":
# dpkg-buildpackage brings its own flags.
unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE

VERSION=$(sed -n 's/^VERSION *= *//p' "$ROOT/Makefile")
ARCH=$(dpkg --print-architecture)
# The next version, for an upgrade from n to n+1.
NEXT=${VERSION%.*}.$((${VERSION##*.} + 1))

# A copy of the tree without its build products, where "make deb" runs.
copy_tree() {
	TREE=$BATS_FILE_TMPDIR/tree
	mkdir -p "$TREE"
	tar -C "$ROOT" --exclude=./.git --exclude=./dist --exclude=./tests/bench/build \
		--exclude=./tests/tools/build -cf - . | tar -C "$TREE" -xf -
}

# The package of the next version: the same files, another version, as an
# upgrade brings them (dist/webserver_NEXT_ARCH.deb).
make_next() {
	local d=$BATS_FILE_TMPDIR/next
	dpkg-deb -R "$DEB" "$d"
	sed -i "s/^Version: .*/Version: $NEXT/" "$d/DEBIAN/control"
	dpkg-deb --root-owner-group -b "$d" "$DIST/webserver_${NEXT}_$ARCH.deb" >/dev/null
}

# Boot the container (test_helper's ct_boot) and make it a user's Debian.
# dpkg works on a copy of the host's database (its statoverride emptied:
# the groups it names are not in the container's fresh /etc); su, which
# autopkgtest uses to run a test as a user, needs the PAM files.
boot_container() {
	local d=$BATS_FILE_TMPDIR/ct
	mkdir -p "$d/dpkg"
	cp -a /var/lib/dpkg/. "$d/dpkg/"
	: > "$d/dpkg/statoverride"
	ct_boot --bind="$d/dpkg:/var/lib/dpkg" --bind-ro="$DIST:/dist" \
		--bind-ro="$TREE:/tree" \
		--bind-ro=/etc/pam.d --bind-ro=/etc/security --bind-ro=/etc/login.defs ||
		return 1
	# No policy-rc.d (the host's, which refuses every start, is hidden in
	# the overlay only), and apt's configuration directories, here with
	# no source.
	ct rm -f /usr/sbin/policy-rc.d &&
		ct mkdir -p /etc/apt/apt.conf.d /etc/apt/preferences.d /etc/apt/sources.list.d &&
		ct touch /etc/apt/sources.list &&
		file_list > "$BATS_FILE_TMPDIR/files-before"
}

# ct_apt ARGS...: apt-get in the container, as a user types it, in /dist.
ct_apt() {
	ct env DEBIAN_FRONTEND=noninteractive sh -c 'cd /dist && apt-get "$@"' _ "$@"
}

# The names under /etc, /usr, /var and /lib in the container, but apt's own
# cache, lists and logs.
file_list() {
	ct find /etc /usr /var /lib/ | LC_ALL=C sort |
		grep -Ev '^/var/(cache|lib|log)/apt(/|$)' | sed 's|^/lib//|/lib/|'
}

setup_file() {
	copy_tree
	DIST=$TREE/dist
	DEB=$DIST/webserver_${VERSION}_$ARCH.deb
	CT_PID=
	CT_NSPAWN=
	(cd "$TREE" && make deb) > "$BATS_FILE_TMPDIR/make-deb.log" 2>&1
	echo $? > "$BATS_FILE_TMPDIR/make-deb.rc"
	if [ -f "$DEB" ]; then
		make_next
		if [ "$(id -u)" = 0 ]; then
			boot_container || true
		fi
	fi
	export TREE DIST DEB CT_PID CT_NSPAWN CT_UPPER
}

teardown_file() {
	ct_stop
}

need_deb() {
	[ -f "$DEB" ] || fail "make deb failed: $(tail -n 20 "$BATS_FILE_TMPDIR/make-deb.log")"
}

# The container tests need root (namespaces, mounts); CI runs as root.
need_container() {
	need_deb
	[ "$(id -u)" = 0 ] || skip "systemd-nspawn needs root"
	[ -n "$CT_PID" ] || fail "the container did not boot: $(tail -5 "$BATS_FILE_TMPDIR/ct/console.log" 2>/dev/null)"
}

# The package's files, unpacked on the host.
unpack() {
	X=$BATS_FILE_TMPDIR/x
	[ -d "$X" ] || dpkg-deb -x "$DEB" "$X"
}

# Where ct_fetch leaves a response, for test_helper's assertions.
setup() {
	RESP=$BATS_TEST_TMPDIR/resp
}

# ct_fetch URL: GET URL in the container's network; prints the status
# code, and leaves the head in $RESP.head and the body in $RESP.body.
ct_fetch() {
	ct_curl -o "$RESP.body" -D "$RESP.raw" -w '%{http_code}' "$1" &&
		tr -d '\r' < "$RESP.raw" | sed '/^$/d' > "$RESP.head"
}

# assert_served: the container's port 13331 answers /HelloWorld.html with
# the lab page's exact bytes, and a missing file with the 404 page.
assert_served() {
	run -0 ct_fetch "http://127.0.0.1:$CT_PORT/HelloWorld.html"
	assert_output 200
	DOCROOT=$ROOT/www assert_hello
	run -0 ct_fetch "http://[::1]:$CT_PORT/no-such-file.html"
	assert_output 404
	assert_error_page 404 "Not Found"
}

# assert_state UNIT ENABLED ACTIVE: systemctl's words for UNIT.
assert_state() {
	run ct systemctl is-enabled "$1"
	assert_output "$2"
	run ct systemctl is-active "$1"
	assert_output "$3"
}

@test "make deb builds the package from a copy of the tree and says where it is" {
	need_deb
	[ "$(cat "$BATS_FILE_TMPDIR/make-deb.rc")" = 0 ] || fail "make deb failed"
	run -0 tail -n 1 "$BATS_FILE_TMPDIR/make-deb.log"
	assert_output "The package: dist/webserver_${VERSION}_$ARCH.deb"
	[ -f "$DIST/webserver_${VERSION}_$ARCH.changes" ] || fail "no .changes"
	# The build ran the C unit tests, and the copy it built in is gone.
	grep -Eq '^[0-9]+ passed, 0 failed, 0 skipped$' "$DIST/webserver_${VERSION}_$ARCH.build" ||
		fail "the unit tests did not pass in the build"
	[ ! -e "$DIST/webserver-$VERSION" ] || fail "the build copy is left in dist/"
}

@test "one version: debian/changelog, the Makefile, the package and webserver --version" {
	need_deb
	unpack
	run -0 dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version
	assert_output "$VERSION"
	run -0 dpkg-deb -f "$DEB" Version
	assert_output "$VERSION"
	run -0 "$X/usr/sbin/webserver" --version
	assert_output "webserver $VERSION"
}

@test "lintian reports nothing on the .deb and the .changes, pedantic and info tags included" {
	need_deb
	local f
	for f in "$DEB" "$DIST/webserver_${VERSION}_$ARCH.changes"; do
		# Its only word on stderr, as root: "running with root
		# privileges is not recommended!".  The tags overridden in
		# debian/webserver.lintian-overrides say why there.
		run -0 --separate-stderr lintian --pedantic --info --display-experimental \
			--fail-on error,warning,info,pedantic "$f"
		assert_output ""
	done
}

@test "blhc finds nothing in the build log" {
	need_deb
	local log=$DIST/webserver_${VERSION}_$ARCH.build
	# --debian: Debian's gcc builds PIE by default and dpkg-buildflags
	# passes no PIE flag, so blhc must not ask for -fPIE on every line
	# (the Makefile names it on its own).  --all: bindnow everywhere.
	run -0 blhc --debian --all "$log"
	assert_output ""
	# The program's compile and link lines carry dpkg-buildflags' flags.
	grep -E '^cc .*-Werror=format-security.* -c -o src/main\.o src/main\.c$' "$log" |
		grep -q -- '-ffile-prefix-map=' || fail "src/main.o without CFLAGS"
	grep -E '^cc .*-Wl,-z,relro -Wl,-z,now -o webserver ' "$log" | grep -q -- '-pie' ||
		fail "webserver linked without LDFLAGS"
}

@test "hardening-check: yes to all it can see; stack clash and CFI as for Debian's own /bin/ls" {
	need_deb
	unpack
	run -1 hardening-check "$X/usr/sbin/webserver"
	assert_output "$X/usr/sbin/webserver:
 Position Independent Executable: yes
 Stack protected: yes
 Fortify Source functions: yes (some protected functions found)
 Read-only relocations: yes
 Immediate binding: yes
 Stack clash protection: unknown, no -fstack-clash-protection instructions found
 Control flow integrity: no, not found!"
	# Stack clash: probes go only into frames larger than a page, and the
	# handler has none.  CFI: the linker marks a program IBT/SHSTK only if
	# every object is, and Debian 12's start files (crt1.o, crti.o) are
	# not; hardening-check says the same of /bin/ls.  The handler's own
	# code has its landing pads (-fcf-protection).
	local ours=$output
	run hardening-check /bin/ls
	[ "$(grep -E '^ (Stack clash|Control flow)' <<< "$output")" = \
		"$(grep -E '^ (Stack clash|Control flow)' <<< "$ours")" ] ||
		fail "/bin/ls: $output"
	[ "$(objdump -d "$X/usr/sbin/webserver" | grep -c 'endbr64')" -gt 20 ] ||
		fail "no endbr64 landing pads"
}

@test "the package holds the program in /usr/sbin, the units, a conffile, and nothing in /var/www or /srv" {
	need_deb
	unpack
	run -0 sh -c "dpkg-deb -c '$DEB' | awk '{ print \$1, \$2, \$6 }'"
	assert_output "drwxr-xr-x root/root ./
drwxr-xr-x root/root ./etc/
drwxr-xr-x root/root ./etc/xinetd.d/
-rw-r--r-- root/root ./etc/xinetd.d/webserver
drwxr-xr-x root/root ./lib/
drwxr-xr-x root/root ./lib/systemd/
drwxr-xr-x root/root ./lib/systemd/system/
-rw-r--r-- root/root ./lib/systemd/system/webserver-pool.service
-rw-r--r-- root/root ./lib/systemd/system/webserver-pool.socket
-rw-r--r-- root/root ./lib/systemd/system/webserver-tls.service
-rw-r--r-- root/root ./lib/systemd/system/webserver-tls.socket
-rw-r--r-- root/root ./lib/systemd/system/webserver.socket
-rw-r--r-- root/root ./lib/systemd/system/webserver@.service
drwxr-xr-x root/root ./usr/
drwxr-xr-x root/root ./usr/sbin/
-rwxr-xr-x root/root ./usr/sbin/webserver
drwxr-xr-x root/root ./usr/share/
drwxr-xr-x root/root ./usr/share/doc/
drwxr-xr-x root/root ./usr/share/doc/webserver/
-rw-r--r-- root/root ./usr/share/doc/webserver/README.md.gz
-rw-r--r-- root/root ./usr/share/doc/webserver/changelog.gz
-rw-r--r-- root/root ./usr/share/doc/webserver/copyright
drwxr-xr-x root/root ./usr/share/doc/webserver/examples/
-rw-r--r-- root/root ./usr/share/doc/webserver/examples/haproxy.cfg
drwxr-xr-x root/root ./usr/share/lintian/
drwxr-xr-x root/root ./usr/share/lintian/overrides/
-rw-r--r-- root/root ./usr/share/lintian/overrides/webserver
drwxr-xr-x root/root ./usr/share/man/
drwxr-xr-x root/root ./usr/share/man/man8/
-rw-r--r-- root/root ./usr/share/man/man8/webserver.8.gz
drwxr-xr-x root/root ./usr/share/webserver/
drwxr-xr-x root/root ./usr/share/webserver/www/
-rw-r--r-- root/root ./usr/share/webserver/www/HelloWorld.html
-rw-r--r-- root/root ./usr/share/webserver/www/index.html"
	run -0 dpkg-deb -I "$DEB" conffiles
	assert_output /etc/xinetd.d/webserver
	run -0 dpkg-deb -f "$DEB" Depends Suggests
	assert_output "Depends: libsystemd0, libssl3, libc6 (>= 2.34)
Suggests: haproxy, xinetd"
	# The installed files name the installed paths.
	run -0 grep -E '^[[:space:]]*(disable|server|server_args)[[:space:]]*=' "$X/etc/xinetd.d/webserver"
	assert_output "	disable		= yes
	server		= /usr/sbin/webserver
	server_args	= /var/www/html"
	run -0 grep -h '^ExecStart=' "$X/lib/systemd/system/webserver@.service" \
		"$X/lib/systemd/system/webserver-pool.service" \
		"$X/lib/systemd/system/webserver-tls.service"
	assert_output "ExecStart=-/usr/sbin/webserver /var/www/html
ExecStart=/usr/sbin/webserver /var/www/html
ExecStart=/usr/sbin/webserver --tls-cert %d/tls-cert.pem --tls-key %d/tls-key.pem /var/www/html"
	cmp "$X/usr/share/doc/webserver/examples/haproxy.cfg" "$ROOT/haproxy/webserver.cfg"
	cmp "$X/usr/share/webserver/www/HelloWorld.html" "$ROOT/www/HelloWorld.html"
	run -0 sh -c "zcat '$X/usr/share/man/man8/webserver.8.gz' | grep -c -e /usr/local -e /srv/www || true"
	assert_output 0
}

@test "apt install ./webserver_*.deb: webserver.socket serves the page and a 404; the pool's and the HTTPS sockets are off" {
	need_container
	run -0 ct_apt install -y "./webserver_${VERSION}_$ARCH.deb"
	assert_state webserver.socket enabled active
	assert_state webserver-pool.socket disabled inactive
	assert_state webserver-tls.socket disabled inactive
	assert_served
	# The document root, seeded with the lab page, is readable by the
	# units' dynamic users (as "other").
	run -0 ct stat -c '%a %U:%G %n' /var/www /var/www/html /var/www/html/HelloWorld.html \
		/var/www/html/index.html
	assert_output "755 root:root /var/www
755 root:root /var/www/html
644 root:root /var/www/html/HelloWorld.html
644 root:root /var/www/html/index.html"
	run -0 ct cmp /var/www/html/index.html /tree/www/index.html
	run -0 ct journalctl --no-pager -o cat -u 'webserver@*'
	assert_output --regexp '"GET /HelloWorld\.html HTTP/1\.1" 200 170 "-" "curl/'
}

@test "systemctl enable --now webserver-pool.socket after disabling the other serves the page" {
	need_container
	run -0 ct systemctl disable --now webserver.socket
	run -0 ct systemctl enable --now webserver-pool.socket
	assert_state webserver-pool.socket enabled active
	assert_served
	run -0 ct systemctl is-active webserver-pool.service
	assert_output active
}

# serve_during CMD...: run CMD in the container while requests for the page
# follow one another from the host; every one must get 200.
serve_during() {
	local stop=$BATS_TEST_TMPDIR/stop codes=$BATS_TEST_TMPDIR/codes loop n
	rm -f "$stop"
	nsenter -t "$CT_PID" -n bash -c 'while [ ! -e "$1" ]; do
		curl -s --max-time 10 -o /dev/null -w "%{http_code}\n" \
			"http://127.0.0.1:$2/HelloWorld.html"; done' _ "$stop" "$CT_PORT" \
		> "$codes" 3>&- &
	loop=$!
	sleep 0.3
	run -0 ct "$@"
	sleep 0.3
	touch "$stop"
	wait "$loop"
	n=$(grep -c . "$codes")
	[ "$n" -gt 5 ] || fail "only $n requests during $*"
	[ "$(grep -c '^200$' "$codes")" -eq "$n" ] || fail "$(sort "$codes" | uniq -c)"
	echo "# $n requests during $*, all answered 200" >&3
}

# tls_fetch: GET the page over HTTPS on the container's port 443 (the
# test's own certificate, not verified); prints the status code.
tls_fetch() {
	ct_curl -k -o /dev/null -w '%{http_code}' https://127.0.0.1/HelloWorld.html
}

@test "an upgrade restarts a running pool, plain or HTTPS, and keeps the switch to it" {
	need_container
	local before after tls_before tls_after
	# The HTTPS pool, with a certificate where its unit loads it from
	# (made on the host: the container's /etc has no openssl.cnf).
	run -0 openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-days 2 -subj /CN=localhost -keyout "$BATS_TEST_TMPDIR/privkey.pem" \
		-out "$BATS_TEST_TMPDIR/fullchain.pem"
	ct install -d -m 755 /etc/webserver /etc/webserver/tls
	ct install -m 644 /dev/stdin /etc/webserver/tls/fullchain.pem < "$BATS_TEST_TMPDIR/fullchain.pem"
	ct install -m 400 /dev/stdin /etc/webserver/tls/privkey.pem < "$BATS_TEST_TMPDIR/privkey.pem"
	run -0 ct systemctl start webserver-tls.socket
	run -0 tls_fetch
	assert_output 200
	tls_before=$(ct systemctl show -p MainPID --value webserver-tls.service)
	before=$(ct systemctl show -p MainPID --value webserver-pool.service)
	[ "${before:-0}" != 0 ] || fail "no pool running"
	[ "${tls_before:-0}" != 0 ] || fail "no HTTPS pool running"
	serve_during dpkg -i "/dist/webserver_${VERSION}_$ARCH.deb"
	after=$(ct systemctl show -p MainPID --value webserver-pool.service)
	[ "${after:-0}" != 0 ] && [ "$after" != "$before" ] ||
		fail "the pool was not restarted: $before, then $after"
	tls_after=$(ct systemctl show -p MainPID --value webserver-tls.service)
	[ "${tls_after:-0}" != 0 ] && [ "$tls_after" != "$tls_before" ] ||
		fail "the HTTPS pool was not restarted: $tls_before, then $tls_after"
	run -0 tls_fetch
	assert_output 200
	run -0 ct systemctl stop webserver-tls.socket webserver-tls.service
	run -0 ct rm -r /etc/webserver
	assert_state webserver-tls.socket disabled inactive
	assert_state webserver-pool.socket enabled active
	assert_state webserver.socket disabled inactive
	assert_served
	# And back.
	run -0 ct systemctl disable --now webserver-pool.socket
	run ct systemctl is-active webserver-pool.service
	assert_output inactive
	run -0 ct systemctl enable --now webserver.socket
	assert_state webserver.socket enabled active
	assert_served
}

@test "a second install, and an upgrade to the next version, keep serving, a drop-in and an edited conffile" {
	need_container
	local dropin=/etc/systemd/system/webserver@.service.d/local.conf edited
	ct mkdir -p "${dropin%/*}"
	printf '[Service]\nExecStart=\nExecStart=-/usr/sbin/webserver --header "X-Site: local" /var/www/html\n' |
		ct tee "$dropin" > /dev/null
	run -0 ct systemctl daemon-reload
	ct sed -i 's/^\(\tper_source\t= \).*/\164/' /etc/xinetd.d/webserver
	edited=$(ct cat /etc/xinetd.d/webserver)
	[[ $edited == *$'\tper_source\t= 64\n'* ]] || fail "the edit did not take: $edited"
	for deb in "webserver_${VERSION}_$ARCH.deb" "webserver_${NEXT}_$ARCH.deb"; do
		serve_during dpkg -i "/dist/$deb"
		assert_state webserver.socket enabled active
		assert_state webserver-pool.socket disabled inactive
		[ "$(ct cat /etc/xinetd.d/webserver)" = "$edited" ] || fail "$deb: the conffile edit is lost"
		run -0 ct_fetch "http://127.0.0.1:$CT_PORT/HelloWorld.html"
		assert_output 200
		assert_header X-Site local
	done
	run -0 ct dpkg-query -W -f '${Version} ${Status}' webserver
	assert_output "$NEXT install ok installed"
	# The drop-in is the administrator's: gone with them, not with the package.
	run -0 ct rm -r "${dropin%/*}"
	run -0 ct systemctl daemon-reload
}

@test "remove stops the socket and a running instance and closes the port; conffile and pages stay" {
	need_container
	local holder i n t0
	# An instance waiting for the rest of a request head (up to 10 s).
	nsenter -t "$CT_PID" -n timeout 20 bash -c \
		'exec 5<>/dev/tcp/127.0.0.1/$1; printf "GET / HTTP/1.1\r\n" >&5; cat <&5 > /dev/null' \
		_ "$CT_PORT" 3>&- &
	holder=$!
	for i in $(seq 1 50); do
		n=$(ct systemctl list-units --no-legend --plain --state=active 'webserver@*' | grep -c . || true)
		[ "$n" -gt 0 ] && break
		sleep 0.1
	done
	[ "$n" = 1 ] || fail "$n running instances, not 1"
	t0=$(date +%s)
	run -0 ct_apt remove -y webserver
	run -0 ct systemctl list-units --no-legend --plain --all 'webserver@*'
	assert_output ""
	run -0 ct systemctl list-units --no-legend --plain --state=active,activating,deactivating 'webserver*'
	assert_output ""
	wait "$holder" || true
	[ $(($(date +%s) - t0)) -lt 8 ] || fail "the held connection stayed open"
	run -7 ct_curl -o /dev/null "http://127.0.0.1:$CT_PORT/HelloWorld.html"
	run -0 ct dpkg-query -W -f '${Status}' webserver
	assert_output "deinstall ok config-files"
	run -0 ct test -f /etc/xinetd.d/webserver
	run -0 ct test -f /var/www/html/HelloWorld.html
	run -1 ct test -e /usr/sbin/webserver
}

@test "purge leaves no file of the package; a page the administrator edited stays" {
	need_container
	ct sh -c 'echo "<p>Edited.</p>" >> /var/www/html/index.html'
	run -0 ct_apt purge -y webserver
	run -1 ct dpkg-query -W -f '${Status}' webserver
	file_list > "$BATS_FILE_TMPDIR/files-after"
	# Only the edited page, and the directories that hold it.
	run -0 comm -3 "$BATS_FILE_TMPDIR/files-before" "$BATS_FILE_TMPDIR/files-after"
	assert_output "	/var/www
	/var/www/html
	/var/www/html/index.html"
	run -0 ct tail -n 1 /var/www/html/index.html
	assert_output "<p>Edited.</p>"
	run -0 ct rm -r /var/www
	run -1 ct systemctl list-unit-files --no-legend 'webserver*'
	assert_output ""
}

@test "the autopkgtest passes with the null runner" {
	need_container
	# In the container, which runs systemd and is thrown away: the null
	# runner installs the package where autopkgtest runs.
	run -0 ct env DEBIAN_FRONTEND=noninteractive autopkgtest \
		"/dist/webserver_${VERSION}_$ARCH.deb" /tree/ -- null
	assert_output --partial "200 with the lab page, 404 for a missing file"
	assert_line --regexp '^smoke +PASS$'
	# The host's own policy-rc.d was never touched.
	[ -x /usr/sbin/policy-rc.d ] || fail "the host lost /usr/sbin/policy-rc.d"
}

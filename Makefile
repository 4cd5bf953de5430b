# webserver: a one-request-per-process HTTP/1.1 static file handler.

VERSION  = 1.0.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/webserver
DOCROOT ?= /srv/www
PORT    ?= 13331
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
XINETDDIR ?= $(SYSCONFDIR)/xinetd.d
# "no" installs the xinetd service turned on (it is shipped off).
XINETD_DISABLE ?= yes
# "no" leaves DOCROOT alone: a package seeds it when it is installed.
SEED_DOCROOT ?= yes

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
           -Wstrict-prototypes -Wpointer-arith -Wvla
DEFS     = -D_GNU_SOURCE -DVERSION=\"$(VERSION)\"
HARDEN   = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection \
           -fcf-protection -fPIE
LDHARDEN = -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack -Wl,--as-needed

# make STATIC=1: a static musl build, inetd-style activation only.
ifeq ($(STATIC),1)
CC       = musl-gcc
DEFS    += -DSTATIC_BUILD
HARDEN   = -fstack-protector-strong -fno-pie
LDHARDEN = -static -Wl,-z,noexecstack
# OpenSSL's headers, after musl's own: its types and constants only.
src/tls.o: ALL_CFLAGS += -idirafter /usr/include \
	-idirafter /usr/include/$(shell gcc -dumpmachine)
endif

# make SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer, with a
# sandbox that lets their runtime work (see src/sandbox.c).
ifeq ($(SANITIZE),1)
DEFS    += -DSANDBOX_FOR_CHECKERS
HARDEN  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDHARDEN += -fsanitize=address,undefined
endif

ALL_CFLAGS  = $(DEFS) $(CPPFLAGS) $(WARN) $(HARDEN) $(CFLAGS)
ALL_LDFLAGS = $(LDHARDEN) $(LDFLAGS)

OBJ = src/main.o src/setup.o src/pool.o src/conn.o src/addr.o src/proxy.o \
      src/host.o src/encoding.o \
      src/request.o src/path.o src/response.o src/cond.o src/range.o \
      src/httpdate.o src/mime.o src/listing.o src/log.o src/fmt.o \
      src/status.o src/sandbox.o src/tls.o src/tlsname.o

all: webserver

webserver: $(OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $(OBJ) $(LDLIBS)

# Objects are rebuilt when the flags change (make SANITIZE=1, STATIC=1).
src/.flags: FORCE
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(LDLIBS)' | cmp -s - $@ || \
		echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(LDLIBS)' > $@
$(OBJ): src/.flags

# The compiler writes each object's header dependencies to its .d file.
.c.o:
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(OBJ:.o=.d)

# Debian packages each target needs; missing ones are installed (as root,
# or through sudo) by the deps-* targets.
# The handler loads libsystemd with dlopen() and needs no header to build.
BUILD_PKGS = build-essential libssl-dev
RUN_PKGS_LIB = libsystemd0 libssl3
RUN_PKGS   = systemd $(RUN_PKGS_LIB)
CHECK_PKGS = bats bats-support bats-assert curl iproute2 procps valgrind musl-tools brotli
# What the service-manager tests run: systemd in a container, xinetd (and ab
# for a burst through it), a browser; testssl.sh scans the TLS of the pool.
SERVICE_PKGS = systemd-container xinetd apache2-utils chromium util-linux haproxy openssl testssl.sh

SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)
define apt_install
	@missing=; for p in $(1); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] || { echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$(SUDO) apt-get install -y -qq --no-install-recommends $$missing; }
endef

deps-build:
	$(call apt_install,$(BUILD_PKGS))
deps-run:
	$(call apt_install,$(BUILD_PKGS) $(RUN_PKGS))
deps-check:
	$(call apt_install,$(BUILD_PKGS) $(RUN_PKGS) $(CHECK_PKGS) $(SERVICE_PKGS) \
		$(DEB_PKGS) $(DEB_CHECK_PKGS))

# Serve www/ on port 13331, one process per connection.
run: deps-run
	@$(MAKE) -s --no-print-directory webserver
	@echo "Serving $(CURDIR)/www on http://127.0.0.1:$(PORT)/HelloWorld.html (Ctrl-C stops)"
	@# Only warnings from the activator: the handler prints the access lines.
	@SYSTEMD_LOG_LEVEL=notice systemd-socket-activate --inetd -a -l $(PORT) ./webserver $(CURDIR)/www

check: deps-check
	$(MAKE) webserver
	tests/run

# The tracked unit, xinetd and man page files name /usr/local/bin/webserver
# and /srv/www; the installed copies get BINDIR and DOCROOT instead.  The
# docroot is seeded from www/ only when it does not exist; uninstall removes
# the seeded files that are still unchanged, then the docroot if it is empty,
# so pages someone edited or added stay.  SEED_DOCROOT=no skips the seeding.
WWW_FILES   = $(notdir $(wildcard www/*))
INSTALL_SED = sed -e 's|/usr/local/bin/webserver|$(BINDIR)/webserver|g' \
                  -e 's|/srv/www|$(DOCROOT)|g' \
                  -e 's|/usr/local/share/doc/webserver|$(DOCDIR)|g' \
                  -e 's|/usr/local/lib/systemd/system|$(UNITDIR)|g' \
                  -e 's|/etc/xinetd.d|$(XINETDDIR)|g'

install: webserver
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(XINETDDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)
	install -m 755 webserver $(DESTDIR)$(BINDIR)/webserver
	$(INSTALL_SED) systemd/webserver.socket > $(DESTDIR)$(UNITDIR)/webserver.socket
	$(INSTALL_SED) systemd/webserver@.service > $(DESTDIR)$(UNITDIR)/webserver@.service
	$(INSTALL_SED) systemd/webserver-pool.socket > $(DESTDIR)$(UNITDIR)/webserver-pool.socket
	$(INSTALL_SED) systemd/webserver-pool.service > $(DESTDIR)$(UNITDIR)/webserver-pool.service
	$(INSTALL_SED) systemd/webserver-tls.socket > $(DESTDIR)$(UNITDIR)/webserver-tls.socket
	$(INSTALL_SED) systemd/webserver-tls.service > $(DESTDIR)$(UNITDIR)/webserver-tls.service
	$(INSTALL_SED) -e 's|^\([[:space:]]*disable[[:space:]]*=[[:space:]]*\).*|\1$(XINETD_DISABLE)|' \
		-e 's|^# default: off$$|# default: $(if $(filter no,$(XINETD_DISABLE)),on,off)|' \
		xinetd.d/webserver > $(DESTDIR)$(XINETDDIR)/webserver
	$(INSTALL_SED) src/webserver.8 > $(DESTDIR)$(MANDIR)/man8/webserver.8
	install -m 644 haproxy/webserver.cfg $(DESTDIR)$(DOCDIR)/haproxy.cfg
	chmod 644 $(DESTDIR)$(UNITDIR)/webserver.socket $(DESTDIR)$(UNITDIR)/webserver@.service \
		$(DESTDIR)$(UNITDIR)/webserver-pool.socket $(DESTDIR)$(UNITDIR)/webserver-pool.service \
		$(DESTDIR)$(UNITDIR)/webserver-tls.socket $(DESTDIR)$(UNITDIR)/webserver-tls.service \
		$(DESTDIR)$(XINETDDIR)/webserver $(DESTDIR)$(MANDIR)/man8/webserver.8
	@if [ "$(SEED_DOCROOT)" = no ]; then \
		echo "$(DESTDIR)$(DOCROOT) not seeded (SEED_DOCROOT=no)"; \
	elif [ -e "$(DESTDIR)$(DOCROOT)" ]; then \
		echo "$(DESTDIR)$(DOCROOT) exists: left as it is"; \
	else \
		echo "seeding $(DESTDIR)$(DOCROOT) from www/"; \
		install -d -m 755 "$(DESTDIR)$(DOCROOT)" && \
		for f in $(WWW_FILES); do \
			install -m 644 "www/$$f" "$(DESTDIR)$(DOCROOT)/$$f" || exit 1; \
		done; \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/webserver $(DESTDIR)$(UNITDIR)/webserver.socket \
		$(DESTDIR)$(UNITDIR)/webserver@.service $(DESTDIR)$(XINETDDIR)/webserver \
		$(DESTDIR)$(UNITDIR)/webserver-pool.socket \
		$(DESTDIR)$(UNITDIR)/webserver-pool.service \
		$(DESTDIR)$(UNITDIR)/webserver-tls.socket \
		$(DESTDIR)$(UNITDIR)/webserver-tls.service \
		$(DESTDIR)$(MANDIR)/man8/webserver.8 $(DESTDIR)$(DOCDIR)/haproxy.cfg
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null
	@for f in $(WWW_FILES); do \
		if cmp -s "www/$$f" "$(DESTDIR)$(DOCROOT)/$$f"; then \
			echo "rm -f $(DESTDIR)$(DOCROOT)/$$f"; rm -f "$(DESTDIR)$(DOCROOT)/$$f"; \
		fi; \
	done; \
	if [ -d "$(DESTDIR)$(DOCROOT)" ]; then \
		rmdir "$(DESTDIR)$(DOCROOT)" 2>/dev/null && echo "rmdir $(DESTDIR)$(DOCROOT)" || \
		echo "$(DESTDIR)$(DOCROOT) kept: it holds files that install did not put there"; \
	fi; true

# make deb: the Debian package (debian/), built with dpkg-buildpackage from
# a copy of the tree in $(DEB_DIR)/, where the .deb, .changes and the build
# log (for blhc) land; lintian must then report no error and no warning.
# The build takes its flags from dpkg-buildflags alone: variables given to
# this make (SANITIZE=1, STATIC=1) do not reach it.
DEB_PKGS = build-essential dpkg-dev debhelper lintian
# What tests/deb.bats adds: hardening-check, blhc, autopkgtest.
DEB_CHECK_PKGS = devscripts blhc autopkgtest
DEB_DIR  = dist
DEB_SRC  = $(DEB_DIR)/webserver-$(VERSION)

deps-deb:
	$(call apt_install,$(DEB_PKGS))

deb: deps-deb
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	tar -cf - --exclude=./.git --exclude=./$(DEB_DIR) --exclude=./tests/bench/build . | \
		tar -C $(DEB_SRC) -xf -
	@arch=$$(dpkg --print-architecture); \
	log=$(DEB_DIR)/webserver_$(VERSION)_$$arch.build; \
	{ (unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE STATIC; cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b) 2>&1; \
		echo $$? > $$log.rc; } | tee $$log; \
	rc=$$(cat $$log.rc); rm -f $$log.rc; [ "$$rc" = 0 ] || exit $$rc; \
	rm -rf $(DEB_SRC); \
	lintian --fail-on error,warning $(DEB_DIR)/webserver_$(VERSION)_$$arch.changes || exit 1; \
	echo "The package: $(DEB_DIR)/webserver_$(VERSION)_$$arch.deb"

# Unit tests of the pure modules (tests/unit/): each program is linked with
# its module alone, plus what that module calls; make SANITIZE=1 builds them
# under ASan and UBSan.  make check runs them, and tests/run counts them.
UNIT_CFLAGS = -D_GNU_SOURCE $(CPPFLAGS) $(WARN) $(CFLAGS)
ifeq ($(SANITIZE),1)
UNIT_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=undefined
endif
UNIT_BINS = tests/unit/range-test tests/unit/httpdate-test tests/unit/path-test \
            tests/unit/mime-test tests/unit/request-test tests/unit/cond-test \
            tests/unit/addr-test tests/unit/log-test tests/unit/proxy-test \
            tests/unit/site-test tests/unit/tlsname-test
UNIT_LINK = $(CC) $(UNIT_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) $(LDLIBS)

unit: $(UNIT_BINS)

# Rebuilt when the flags change, as the objects are.
tests/unit/.flags: FORCE
	@echo '$(CC) $(UNIT_CFLAGS) $(LDFLAGS) $(LDLIBS)' | cmp -s - $@ || \
		echo '$(CC) $(UNIT_CFLAGS) $(LDFLAGS) $(LDLIBS)' > $@
$(UNIT_BINS): tests/unit/unit.h tests/unit/.flags

tests/unit/range-test: tests/unit/range-test.c src/range.c src/range.h
	$(UNIT_LINK)
tests/unit/httpdate-test: tests/unit/httpdate-test.c src/httpdate.c src/fmt.c \
		src/httpdate.h src/fmt.h
	$(UNIT_LINK)
PATH_SRC = src/path.c src/mime.c src/host.c src/encoding.c src/addr.c src/fmt.c \
           src/request.c
tests/unit/path-test: tests/unit/path-test.c $(PATH_SRC) src/path.h \
		src/mime.h src/setup.h src/log.h src/config.h src/request.h src/status.h
	$(UNIT_LINK)
tests/unit/mime-test: tests/unit/mime-test.c src/mime.c src/mime.h
	$(UNIT_LINK)
tests/unit/request-test: tests/unit/request-test.c src/request.c src/fmt.c \
		src/request.h src/config.h src/status.h
	$(UNIT_LINK)
tests/unit/cond-test: tests/unit/cond-test.c src/cond.c src/request.c src/range.c \
		src/httpdate.c src/fmt.c src/cond.h src/request.h src/range.h \
		src/httpdate.h src/fmt.h
	$(UNIT_LINK)
tests/unit/addr-test: tests/unit/addr-test.c src/addr.c src/fmt.c src/addr.h src/fmt.h
	$(UNIT_LINK)
tests/unit/proxy-test: tests/unit/proxy-test.c src/proxy.c src/addr.c src/fmt.c \
		src/proxy.h src/addr.h src/fmt.h src/status.h
	$(UNIT_LINK)
tests/unit/site-test: tests/unit/site-test.c src/host.c src/encoding.c src/addr.c \
		src/fmt.c src/request.c src/host.h src/encoding.h src/request.h src/addr.h
	$(UNIT_LINK)
tests/unit/tlsname-test: tests/unit/tlsname-test.c src/tlsname.c src/host.c \
		src/addr.c src/fmt.c src/tlsname.h src/host.h src/addr.h
	$(UNIT_LINK)
tests/unit/log-test: tests/unit/log-test.c src/log.c src/httpdate.c src/fmt.c \
		src/log.h src/httpdate.h src/fmt.h src/config.h
	$(UNIT_LINK)

check: unit
clean: clean-unit
clean-unit:
	rm -f $(UNIT_BINS) tests/unit/.flags

.PHONY: unit clean-unit

# libFuzzer targets (clang): make fuzz FUZZ_TIME=N runs each for N seconds
# on a scratch copy of its seed corpus; make fuzz-regress replays the seeds
# and every input that ever crashed (tests/fuzz/regress/).
FUZZ_CC      = clang
FUZZ_TIME   ?= 25
FUZZ_FLAGS   = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
               -D_GNU_SOURCE -DVERSION=\"$(VERSION)\" -std=gnu11 -Wall -Wextra
FUZZ_TARGETS = request pipeline path range date proxy site tlsname
FUZZ_BINS    = $(FUZZ_TARGETS:%=tests/fuzz/%-fuzz)
FUZZ_PKGS    = clang libclang-rt-14-dev

tests/fuzz/request-fuzz: tests/fuzz/fuzz_request.c src/request.c src/fmt.c src/request.h \
		src/config.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_request.c src/request.c src/fmt.c
tests/fuzz/pipeline-fuzz: tests/fuzz/fuzz_pipeline.c src/request.c src/fmt.c src/request.h \
		src/config.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_pipeline.c src/request.c src/fmt.c
tests/fuzz/path-fuzz: tests/fuzz/fuzz_path.c $(PATH_SRC) src/path.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_path.c $(PATH_SRC)
tests/fuzz/range-fuzz: tests/fuzz/fuzz_range.c src/range.c src/range.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_range.c src/range.c
tests/fuzz/proxy-fuzz: tests/fuzz/fuzz_proxy.c src/proxy.c src/addr.c src/fmt.c \
		src/proxy.h src/addr.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_proxy.c src/proxy.c src/addr.c src/fmt.c
tests/fuzz/tlsname-fuzz: tests/fuzz/fuzz_tlsname.c src/tlsname.c src/host.c \
		src/addr.c src/fmt.c src/tlsname.h src/host.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_tlsname.c src/tlsname.c src/host.c \
		src/addr.c src/fmt.c
tests/fuzz/site-fuzz: tests/fuzz/fuzz_site.c src/host.c src/encoding.c src/addr.c \
		src/fmt.c src/request.c src/host.h src/encoding.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_site.c src/host.c src/encoding.c \
		src/addr.c src/fmt.c src/request.c
tests/fuzz/date-fuzz: tests/fuzz/fuzz_date.c src/httpdate.c src/fmt.c src/httpdate.h
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_date.c src/httpdate.c src/fmt.c

deps-fuzz:
	$(call apt_install,$(FUZZ_PKGS))

fuzz-build: deps-fuzz
	$(MAKE) $(FUZZ_BINS)

fuzz: fuzz-build
	@set -e; work=$$(mktemp -d); trap 'rm -rf "$$work"' EXIT; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p "$$work/$$t"; \
		echo "== $$t: $(FUZZ_TIME) s"; \
		tests/fuzz/$$t-fuzz -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
			-artifact_prefix="$$work/$$t-" "$$work/$$t" tests/fuzz/corpus/$$t \
			2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss|#[0-9]+ +DONE|==[0-9]+==|SUMMARY|artifact)' || true; \
		if ls "$$work/$$t-"* >/dev/null 2>&1; then \
			echo "$$t: crash inputs:"; ls "$$work/$$t-"*; \
			mkdir -p tests/fuzz/regress/$$t; \
			cp "$$work/$$t-"* tests/fuzz/regress/$$t/; exit 1; fi; \
	done

fuzz-regress: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		tests/fuzz/$$t-fuzz -runs=0 tests/fuzz/corpus/$$t $$(ls -d tests/fuzz/regress/$$t 2>/dev/null) \
			>/dev/null 2>&1 || { echo "$$t: regression"; exit 1; }; \
	done; echo "fuzz regressions: all pass"

# Test programs that link or wrap the production sources (tests/tools/);
# tests/run builds them before the suites.  They are always plain builds,
# whatever make is given (SANITIZE=1, STATIC=1, CPPFLAGS): the sandbox for
# checkers lets unlisted system calls through, and those are what the
# seccomp tests must see killed.
TOOLS_BUILD   = tests/tools/build
SANDBOX_TOOLS = $(TOOLS_BUILD)/seccomp-call $(TOOLS_BUILD)/landlock-open
TOOLS_BINS    = $(SANDBOX_TOOLS) $(TOOLS_BUILD)/no-openat2 $(TOOLS_BUILD)/hold-conns \
                $(TOOLS_BUILD)/slow-reader $(TOOLS_BUILD)/close-idle
TOOLS_CC      = $(if $(filter 1,$(STATIC)),cc,$(CC))
TOOLS_CFLAGS  = -D_GNU_SOURCE -Isrc $(CPPFLAGS) -USANDBOX_FOR_CHECKERS $(WARN) $(CFLAGS) -MMD -MP

tests-tools: $(TOOLS_BINS)

$(TOOLS_BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(TOOLS_CC) $(TOOLS_CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(TOOLS_CC) $(TOOLS_CFLAGS) $(LDFLAGS)' > $@
$(TOOLS_BUILD)/%.o: tests/tools/%.c $(TOOLS_BUILD)/.flags
	$(TOOLS_CC) $(TOOLS_CFLAGS) -c -o $@ $<
$(TOOLS_BUILD)/%.o: src/%.c $(TOOLS_BUILD)/.flags
	$(TOOLS_CC) $(TOOLS_CFLAGS) -c -o $@ $<

# The production sandbox and log (which writes to stderr unless told).
$(SANDBOX_TOOLS): $(TOOLS_BUILD)/%: $(TOOLS_BUILD)/%.o $(TOOLS_BUILD)/sandbox.o \
		$(TOOLS_BUILD)/log.o $(TOOLS_BUILD)/httpdate.o $(TOOLS_BUILD)/fmt.o
	$(TOOLS_CC) $(LDFLAGS) -o $@ $^
# A wrapper: the handler runs as on a kernel without openat2().
$(TOOLS_BUILD)/no-openat2: $(TOOLS_BUILD)/no-openat2.o
	$(TOOLS_CC) $(LDFLAGS) -o $@ $^
# A client that opens many connections and holds them, idle or unread.
$(TOOLS_BUILD)/hold-conns: $(TOOLS_BUILD)/hold-conns.o
	$(TOOLS_CC) $(LDFLAGS) -o $@ $^
# A client that reads at a steady rate through a small window.
$(TOOLS_BUILD)/slow-reader: $(TOOLS_BUILD)/slow-reader.o
	$(TOOLS_CC) $(LDFLAGS) -o $@ $^
# A backend that closes a kept connection under the next request.
$(TOOLS_BUILD)/close-idle: $(TOOLS_BUILD)/close-idle.o
	$(TOOLS_CC) $(LDFLAGS) -o $@ $^

-include $(wildcard $(TOOLS_BUILD)/*.d)

# The benchmark's measurement build (tests/bench/run): the production
# objects, with src/sandbox.o replaced by one that applies no sandbox.
BENCH_NOSB_OBJ = $(filter-out src/sandbox.o,$(OBJ)) tests/bench/nosandbox.o

webserver-nosb: $(BENCH_NOSB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $(BENCH_NOSB_OBJ) $(LDLIBS)
tests/bench/nosandbox.o: tests/bench/nosandbox.c src/.flags
	$(CC) $(ALL_CFLAGS) -Isrc -MMD -MP -c -o $@ tests/bench/nosandbox.c

-include tests/bench/nosandbox.d

clean: clean-tests
clean-tests:
	rm -rf $(TOOLS_BUILD)
	rm -f webserver-nosb tests/bench/nosandbox.o tests/bench/nosandbox.d

.PHONY: tests-tools clean-tests

clean:
	rm -f webserver src/*.o src/*.d src/.flags $(FUZZ_BINS)
	rm -rf $(DEB_DIR) debian/webserver debian/.debhelper debian/tmp debian/files \
		debian/debhelper-build-stamp debian/*.substvars debian/*.debhelper.log \
		debian/*.debhelper

.PHONY: deb deps-deb fuzz fuzz-build fuzz-regress deps-fuzz all run check install uninstall clean deps-build deps-run deps-check FORCE

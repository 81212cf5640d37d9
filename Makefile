# dateline: news-feed ingestion daemon (datelined) and its CLI (dateline).
#
#   make            build build/datelined and build/dateline
#   make run        install missing build dependencies (as root), build, and
#                   run datelined in the foreground on etc/dateline.yaml
#   make check      build with ASan/UBSan and run every test
#   make install    PREFIX=/usr/local DESTDIR=  (make uninstall undoes it)
#
# Honours CC, CFLAGS, LDFLAGS, PREFIX, DESTDIR.

VERSION    = 0.1.0

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share/dateline
SYSCONFDIR?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
DESTDIR   ?=

CC        ?= cc
CFLAGS    ?= -O2 -g
LDFLAGS   ?=
PKG_CONFIG?= pkg-config
PYTHON    ?= python3

# Debian packages: building, running, and testing.  `make deps` installs the
# missing ones when run as root; .ci/run installs them all on a fresh machine.
DEB_BUILD = make gcc pkg-config libcurl4-openssl-dev libev-dev libsqlite3-dev \
	    libxml2-dev libyaml-dev libjansson-dev libssl-dev zlib1g-dev
DEB_RUN   = ca-certificates tzdata
DEB_TEST  = python3 sqlite3 mandoc procps
DEB_ALL   = $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST)

PKGS       = libcurl sqlite3 libxml-2.0 yaml-0.1 libcrypto jansson zlib
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lev -lm

WARNINGS   = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	     -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wundef \
	     -Wcast-align -Wvla
# Built objects go to $(O); `make check` uses a separate sanitizer tree.
O         ?= build
SANITIZE  ?=
ifneq ($(SANITIZE),)
SAN_FLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	     -fno-omit-frame-pointer
endif
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DDATELINE_VERSION='"$(VERSION)"' \
	     -DDATELINE_DATADIR='"$(DATADIR)"' \
	     -DDATELINE_SYSCONFDIR='"$(SYSCONFDIR)"' \
	     -iquote src -iquote $(O)/gen $(WARNINGS) $(PKG_CFLAGS) $(CFLAGS) $(SAN_FLAGS) -MMD -MP
ALL_LDFLAGS= $(LDFLAGS) $(SAN_FLAGS)

# Every module but the two programs' mains is in the library both link.
LIB_SRC    = $(filter-out src/main.c src/cli.c,$(wildcard src/*.c))
LIB_OBJ    = $(LIB_SRC:src/%.c=$(O)/obj/%.o) $(O)/obj/sqlfiles.o
SQL_FILES  = sql/schema.sql $(sort $(wildcard sql/migrations/*.sql))
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

all: $(O)/datelined $(O)/dateline

$(O)/obj/%.o: src/%.c | $(O)/gen/sqlfiles.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The SQL files are compiled in, so a binary never runs against a schema
# from another version.
$(O)/gen/sqlfiles.c $(O)/gen/sqlfiles.h: $(SQL_FILES) sql/embed.sh
	@mkdir -p $(O)/gen
	sh sql/embed.sh $(O)/gen $(SQL_FILES)

$(O)/obj/sqlfiles.o: $(O)/gen/sqlfiles.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libdateline.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(O)/datelined: $(O)/obj/main.o $(O)/libdateline.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(O)/obj/main.o $(O)/libdateline.a $(PKG_LIBS)

$(O)/dateline: $(O)/obj/cli.o $(O)/libdateline.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(O)/obj/cli.o $(O)/libdateline.a $(PKG_LIBS)

$(O)/tests/%: tests/unit/%.c tests/unit/tap.h $(O)/libdateline.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -iquote tests/unit $(ALL_LDFLAGS) -o $@ $< $(O)/libdateline.a $(PKG_LIBS)

tests-build: all $(UNIT_BIN)

# ---------------------------------------------------------------------------
# Tests: everything runs against the sanitizer build; the last line printed
# is "N passed, N failed".
check:
	@$(MAKE) --no-print-directory O=build/san SANITIZE=1 tests-build
	@sh tests/run.sh build/san

# Scores the article extractor on the annotated pages (tests/pages/).
eval: all
	$(PYTHON) tests/pages/eval.py $(O)
	$(PYTHON) tests/entities/eval.py --build $(O)

# Regenerates the golden files from the current build; review the diff.
regen: all
	sh tests/feeds/regen.sh $(O)
	sh tests/config/regen.sh $(O)

# ---------------------------------------------------------------------------
# Installation.  The programs look for their data in DATADIR and for their
# default configuration in SYSCONFDIR as compiled in, so build and install
# with the same paths (make PREFIX=/usr && make PREFIX=/usr install); O=
# names the build to install.  An existing dateline.yaml is never replaced:
# the current example is always installed as dateline.yaml.example, and
# uninstall removes dateline.yaml only when it is still identical to it.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR    ?= $(PREFIX)/lib/sysusers.d
INSTALL        ?= install
CONFDIR         = $(SYSCONFDIR)/dateline
MAN_PAGES       = $(wildcard man/*.[1-8])
# The service's database is in its StateDirectory.
SERVICE_DB      = /var/lib/dateline/dateline.db
# The man pages name the default paths; installed, they name the real ones.
MAN_SED         = -e 's|/usr/local/etc|$(SYSCONFDIR)|g' \
		  -e 's|/usr/local/share/dateline|$(DATADIR)|g'
UNIT_SED        = -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
		  -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g'
# Shell helpers: a directory is created (0755) only when missing, so the
# mode of an existing one is left alone.
INSTALL_SH      = set -e; \
	mkd() { for x; do [ -d "$$x" ] || $(INSTALL) -d "$$x"; done; }; \
	inst() { mkd "$$(dirname "$$3")"; echo "$(INSTALL) -m $$1 $$2 $$3"; \
		 $(INSTALL) -m "$$1" "$$2" "$$3"; }; \
	rmf() { for x; do if [ -e "$$x" ] || [ -L "$$x" ]; then \
		echo "rm -f $$x"; rm -f "$$x"; fi; done; }; \
	rmd() { for x; do if [ -d "$$x" ] && rmdir "$$x" 2>/dev/null; then \
		echo "rmdir $$x"; fi; done; }

install: all
	@$(INSTALL_SH); \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	grep -aqzxF -- '$(DATADIR)' $(O)/datelined || \
	  echo "warning: $(O)/datelined was not built for DATADIR=$(DATADIR);" \
	       "rebuild it with the PREFIX given here (make clean; make PREFIX=...)" >&2; \
	inst 0755 $(O)/datelined '$(DESTDIR)$(SBINDIR)/datelined'; \
	inst 0755 $(O)/dateline '$(DESTDIR)$(BINDIR)/dateline'; \
	for p in $(MAN_PAGES); do \
	  sed $(MAN_SED) "$$p" > "$$tmp/page"; \
	  inst 0644 "$$tmp/page" '$(DESTDIR)$(MANDIR)'/man$${p##*.}/$${p#man/}; \
	done; \
	for f in $(SQL_FILES); do inst 0644 "$$f" '$(DESTDIR)$(DATADIR)'/"$$f"; done; \
	(cd data && find . -type f | LC_ALL=C sort) | while read -r f; do \
	  inst 0644 "data/$${f#./}" '$(DESTDIR)$(DATADIR)'/"$${f#./}"; done; \
	sed $(UNIT_SED) systemd/datelined.service.in > "$$tmp/unit"; \
	if grep -n '@[A-Z_]*@' "$$tmp/unit" >&2; then \
	  echo "systemd/datelined.service.in: placeholder left" >&2; exit 1; fi; \
	inst 0644 "$$tmp/unit" '$(DESTDIR)$(SYSTEMDUNITDIR)/datelined.service'; \
	inst 0644 systemd/dateline.sysusers '$(DESTDIR)$(SYSUSERSDIR)/dateline.conf'; \
	sed 's|^database:.*|database: $(SERVICE_DB)|' etc/dateline.yaml > "$$tmp/conf"; \
	if ! grep -qx 'database: $(SERVICE_DB)' "$$tmp/conf"; then \
	  echo "etc/dateline.yaml: no top-level database: line to point at $(SERVICE_DB)" >&2; \
	  exit 1; fi; \
	inst 0644 "$$tmp/conf" '$(DESTDIR)$(CONFDIR)/dateline.yaml.example'; \
	if [ -e '$(DESTDIR)$(CONFDIR)/dateline.yaml' ] || \
	   [ -L '$(DESTDIR)$(CONFDIR)/dateline.yaml' ]; then \
	  echo "kept $(DESTDIR)$(CONFDIR)/dateline.yaml (the new example is dateline.yaml.example)"; \
	else inst 0644 "$$tmp/conf" '$(DESTDIR)$(CONFDIR)/dateline.yaml'; fi; \
	if [ -z '$(DESTDIR)' ]; then \
	  echo "To run datelined as a service: systemd-sysusers && systemctl daemon-reload" \
	       "&& systemctl enable --now datelined"; fi

# Removes what install put, but keeps a dateline.yaml that was changed.
uninstall:
	@$(INSTALL_SH); \
	rmf '$(DESTDIR)$(SBINDIR)/datelined' '$(DESTDIR)$(BINDIR)/dateline'; \
	for p in $(MAN_PAGES); do rmf '$(DESTDIR)$(MANDIR)'/man$${p##*.}/$${p#man/}; done; \
	for f in $(SQL_FILES); do rmf '$(DESTDIR)$(DATADIR)'/"$$f"; done; \
	(cd data && find . -type f) | while read -r f; do \
	  rmf '$(DESTDIR)$(DATADIR)'/"$${f#./}"; done; \
	(cd data && find . -mindepth 1 -depth -type d) | while read -r d; do \
	  rmd '$(DESTDIR)$(DATADIR)'/"$${d#./}"; done; \
	rmd '$(DESTDIR)$(DATADIR)/sql/migrations' '$(DESTDIR)$(DATADIR)/sql' '$(DESTDIR)$(DATADIR)'; \
	rmf '$(DESTDIR)$(SYSTEMDUNITDIR)/datelined.service' '$(DESTDIR)$(SYSUSERSDIR)/dateline.conf'; \
	conf='$(DESTDIR)$(CONFDIR)'; \
	if cmp -s "$$conf/dateline.yaml" "$$conf/dateline.yaml.example"; then \
	  rmf "$$conf/dateline.yaml"; \
	elif [ -e "$$conf/dateline.yaml" ]; then \
	  echo "kept $$conf/dateline.yaml: it differs from the example"; fi; \
	rmf "$$conf/dateline.yaml.example"; \
	rmd "$$conf"

.PHONY: install uninstall

# ---------------------------------------------------------------------------
deps:
	@missing=""; for p in $(DEB_ALL); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing:$$missing"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	else \
	  echo "missing Debian packages:$$missing"; \
	  echo "run: sudo apt-get install$$missing"; exit 1; \
	fi

print-deps:
	@echo $(DEB_ALL)

RUN_DB ?= dateline.db
run: deps
	@$(MAKE) --no-print-directory all
	$(O)/datelined -c etc/dateline.yaml --db $(RUN_DB)

clean:
	rm -rf build

-include $(wildcard $(O)/obj/*.d)

.PHONY: all check eval regen deps print-deps run clean tests-build

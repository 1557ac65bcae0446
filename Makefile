# siglab — build, test and benchmark.
#   make          the library (static and shared) and the CLI, in build/
#   make demo     build, then run a bundled example with the model
#   make check    unit tests, golden scenarios, explore's golden outcome sets
#                 and examples under ASan+UBSan, siglab exec's programs
#                 (native vs exec), the fuzz corpora, the allocation-failure
#                 sweep, the unit tests against both libraries, that the
#                 libraries export only sl_*, the ABI (make abi), an install
#                 and a program built against it (make install-check), then
#                 the differential suite against the real kernel
#   make diff     the differential suite: every scenario, model vs real kernel
#   make bench    the benchmarks in bench/
#   make fuzz     the libFuzzer targets (clang), FUZZ_TIME seconds each,
#                 seeded from fuzz/corpus/ (fuzz/README.md)
#   make fault-sweep  every scenario with each engine allocation failing
#   make install  the header, libsiglab.a, libsiglab.so.MAJOR.MINOR.PATCH
#                 and its links, siglab.pc, the siglab binary and the man
#                 pages, under DESTDIR + PREFIX (/usr/local); BINDIR,
#                 LIBDIR, INCLUDEDIR, MANDIR, PKGCONFIGDIR override one
#                 directory each.  STRIP_LTO=1 installs libsiglab.a
#                 without its GCC LTO code (machine code only), as
#                 distributions want.  make uninstall removes them again.
#   make bench-exec  a program's cost under `siglab exec`, native vs exec
#   make exec-examples / exec-tests  the seeds' C programs and the per-call
#                 programs, natively and under `siglab exec`
#   make peer     the peer suite (Open POSIX signal tests), natively and
#                 under `siglab exec`; `make peer-ci`: its fixed fast subset
#   make mpi      the distributed search (build/siglab-mpi under mpirun, Open
#                 MPI) against the serial one on every golden explore
#                 scenario and random ones; make check runs a few
#   make fuzz-diff    a long random differential campaign (siglab fuzz):
#                 FUZZ_DIFF_COUNT scenarios or FUZZ_DIFF_TIME seconds from
#                 FUZZ_DIFF_SEED, divergences shrunk into fuzz-out/
#                 (docs/fuzz-diff.md); make check runs a short seeded one
CC      ?= cc
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wmissing-prototypes -Wundef \
           -Wwrite-strings -Wredundant-decls -Wstrict-prototypes -Werror
CFLAGS  ?= -O2 -g
# Link-time optimisation lets the engine's one-concept-per-file split cost
# nothing on the hot paths (bench/: about 2x).
LTO     ?= -flto -flto-partition=one
AR      := gcc-ar
STD     := -std=c11 -D_GNU_SOURCE
INC     := -Iinclude -Isrc
# The engine's SL_ASSERT invariants (src/engine/assert.h): on in the
# sanitizer, fuzz and fault-sweep builds, off in the release build.
DEBUG   := -DSL_DEBUG
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

ENGINE_SRC   := $(sort $(wildcard src/engine/*.c))
SCENARIO_SRC := $(sort $(wildcard src/scenario/*.c))
SIM_SRC      := $(sort $(wildcard src/sim/*.c))
EXPLORE_SRC  := $(sort $(wildcard src/explore/*.c))
HOST_SRC     := $(sort $(wildcard src/host/*.c))
WHY_SRC      := $(sort $(wildcard src/why/*.c))
EXEC_SRC     := $(sort $(wildcard src/exec/*.c))
FUZZDIFF_SRC := $(sort $(wildcard src/fuzzdiff/*.c))
CLI_SRC      := $(sort $(wildcard src/cli/*.c))
APP_SRC      := $(SCENARIO_SRC) $(SIM_SRC) $(EXPLORE_SRC) $(HOST_SRC) $(WHY_SRC) $(EXEC_SRC) \
                $(FUZZDIFF_SRC) $(CLI_SRC)
UNIT_SRC     := $(sort $(wildcard tests/unit/*.c))

B  := build
BS := build-san

# The version is the header's (SL_VERSION_*): one place to change it.
version_part = $(shell sed -n "s/^.define SL_VERSION_$(1) \([0-9]*\)$$/\1/p" include/siglab.h)
MAJOR   := $(call version_part,MAJOR)
VERSION := $(MAJOR).$(call version_part,MINOR).$(call version_part,PATCH)
SONAME  := libsiglab.so.$(MAJOR)

PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL      ?= install
STRIP_LTO    ?= 0
OBJCOPY      ?= objcopy

APP_OBJ      := $(APP_SRC:%.c=$(B)/%.o)
ENGINE_PIC   := $(ENGINE_SRC:%.c=$(B)/pic/%.o)
SAN_ENGINE   := $(ENGINE_SRC:%.c=$(BS)/%.o)
SAN_APP      := $(filter-out $(BS)/src/cli/main.o,$(APP_SRC:%.c=$(BS)/%.o))
SAN_CLI_MAIN := $(BS)/src/cli/main.o

.PHONY: all demo check cli web web-check json-schema unit unit-libs golden explore examples exectests limits interrupts \
	marks stmts symbols abi install-check diff bench deps clean fuzz fuzz-parse fuzz-engine \
	fuzz-run fuzzdeps fuzzcheck fault-sweep install uninstall bench-exec exec-examples \
	exec-tests peer peer-ci mpi mpi-check mpi-build \
	fuzz-diff fuzzdiff-check
all: $(B)/libsiglab.a $(B)/libsiglab.so $(B)/siglab

# The libraries export the names of include/siglab.h (sl_*) and nothing
# else (scripts/symbols.sh checks): the engine is compiled with hidden
# visibility, and the header alone declares its names with default
# visibility.
$(ENGINE_PIC): XFLAGS := -fvisibility=hidden

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(LTO) $(XFLAGS) $(WARN) $(INC) -MMD -MP -c $< -o $@
$(B)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(LTO) $(XFLAGS) $(WARN) $(INC) -fPIC -fno-semantic-interposition -MMD -MP -c $< -o $@
$(BS)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) -O1 -g $(SAN) $(DEBUG) $(WARN) $(INC) -MMD -MP -c $< -o $@

# The static library holds one object: the engine compiled as one
# translation unit, in which SL_PRIVATE makes every internal function
# static (src/engine/linkage.h).  It defines no global name but sl_*, so
# an embedder's own emit or find_task cannot collide with the engine's;
# its LTO code lets an embedder that links with -flto inline the API
# (bench/), and its machine code (fat LTO) serves any other compiler.
$(B)/libsiglab-one.c: $(ENGINE_SRC) Makefile
	@mkdir -p $(B)
	{ echo '/* Generated by the Makefile: the engine as one translation unit. */'; \
	  echo '#define SL_PRIVATE static'; \
	  for f in $(ENGINE_SRC:src/%=%); do echo "#include \"$$f\""; done; } > $@
$(B)/libsiglab.o: $(B)/libsiglab-one.c
	$(CC) $(STD) $(CFLAGS) $(LTO) $(if $(LTO),-ffat-lto-objects) -fvisibility=hidden $(WARN) $(INC) -MMD -MP -c $< -o $@
$(B)/libsiglab.a: $(B)/libsiglab.o
	rm -f $@
	$(AR) rcs $@ $<
# The shared library is libsiglab.so.MAJOR.MINOR.PATCH with the SONAME
# libsiglab.so.MAJOR (what programs record and the loader looks for) and
# the link libsiglab.so (what -lsiglab finds); its version script puts
# every export in the version node of the release that added it.
$(B)/libsiglab.so.$(VERSION): $(ENGINE_PIC) src/engine/libsiglab.map
	$(CC) $(CFLAGS) $(LTO) -shared -Wl,-soname,$(SONAME) -Wl,-z,defs \
		-Wl,--version-script=src/engine/libsiglab.map -o $@ $(ENGINE_PIC)
$(B)/$(SONAME): $(B)/libsiglab.so.$(VERSION)
	ln -sf libsiglab.so.$(VERSION) $@
$(B)/libsiglab.so: $(B)/$(SONAME)
	ln -sf $(SONAME) $@
$(B)/siglab: $(APP_OBJ) $(B)/libsiglab.a
	$(CC) $(CFLAGS) $(LTO) -o $@ $(APP_OBJ) $(B)/libsiglab.a -lpthread

# siglab-mpi: explore as one rank of an MPI job (src/mpi/, docs/explore.md),
# built only where Open MPI's mpicc is (scripts/deps.sh installs it).
MPICC   ?= $(shell command -v mpicc 2>/dev/null)
MPIRUN  ?= mpirun
ifneq ($(MPICC),)
all: $(B)/siglab-mpi
$(B)/src/mpi/%.o: src/mpi/%.c
	@mkdir -p $(dir $@)
	$(MPICC) $(STD) $(CFLAGS) $(LTO) $(WARN) $(INC) -MMD -MP -c $< -o $@
$(B)/siglab-mpi: $(filter-out $(B)/src/cli/main.o,$(APP_OBJ)) $(B)/src/mpi/main.o $(B)/libsiglab.a
	$(MPICC) $(CFLAGS) $(LTO) -o $@ $^ -lpthread
mpi-build: $(B)/siglab-mpi
else
mpi-build:
	@echo "siglab-mpi: no mpicc (scripts/deps.sh mpi installs Open MPI)"; exit 1
endif
# make mpi: the distributed search against the serial one on every golden
# explore scenario and on random ones, with MPI_NP ranks (2); make
# mpi-check: a few of them, for make check.
MPI_NP ?= 2
mpi: $(B)/siglab
	@scripts/deps.sh mpi
	@$(MAKE) --no-print-directory mpi-build
	scripts/mpi.sh $(B)/siglab $(B)/siglab-mpi $(MPI_NP)
mpi-check: $(B)/siglab
	@scripts/deps.sh mpi
	@$(MAKE) --no-print-directory mpi-build
	scripts/mpi.sh --quick $(B)/siglab $(B)/siglab-mpi $(MPI_NP)

$(BS)/siglab: $(SAN_ENGINE) $(SAN_APP) $(SAN_CLI_MAIN)
	$(CC) $(SAN) -o $@ $^ -lpthread
$(BS)/unit: $(SAN_ENGINE) $(SAN_APP) $(UNIT_SRC:%.c=$(BS)/%.o)
	$(CC) $(SAN) -o $@ $^ -lcriterion -lpthread

# The same unit tests against the libraries an embedder links (the
# engine's optimised code, not the sanitized build): all but the one that
# reaches into the engine's internals (test_pending_model).
UNIT_LIB_OBJ := $(filter-out $(BS)/tests/unit/test_pending_model.o,$(UNIT_SRC:%.c=$(BS)/%.o))
$(BS)/unit-static: $(SAN_APP) $(UNIT_LIB_OBJ) $(B)/libsiglab.a
	$(CC) $(SAN) -o $@ $(SAN_APP) $(UNIT_LIB_OBJ) $(B)/libsiglab.a -lcriterion -lpthread
$(BS)/unit-shared: $(SAN_APP) $(UNIT_LIB_OBJ) $(B)/libsiglab.so
	$(CC) $(SAN) -o $@ $(SAN_APP) $(UNIT_LIB_OBJ) -L$(B) -Wl,-rpath,'$$ORIGIN/../$(B)' \
		-lsiglab -lcriterion -lpthread

demo: $(B)/siglab
	$(B)/siglab run examples/sysv-reset.scn

deps:
	@scripts/deps.sh

unit: deps $(BS)/unit
	ASAN_OPTIONS=detect_leaks=1 $(BS)/unit --jobs 2

unit-libs: deps $(BS)/unit-static $(BS)/unit-shared
	ASAN_OPTIONS=detect_leaks=1 $(BS)/unit-static --jobs 2
	ASAN_OPTIONS=detect_leaks=1 $(BS)/unit-shared --jobs 2
	@readelf -d $(BS)/unit-shared | grep -q 'NEEDED.*\[$(SONAME)\]' || \
		{ echo "unit-libs: $(BS)/unit-shared does not load $(SONAME)"; exit 1; }

golden: $(BS)/siglab
	scripts/golden.sh $(BS)/siglab

explore: $(BS)/siglab
	scripts/explore.sh $(BS)/siglab

examples: $(BS)/siglab
	scripts/examples.sh $(BS)/siglab

limits: $(BS)/siglab $(B)/siglab
	scripts/limits.sh $(BS)/siglab $(B)/siglab

# siglab exec against the real kernel (tests/exec/*.c, native vs exec)
exectests: $(BS)/siglab
	scripts/exectests.sh $(BS)/siglab

interrupts: $(B)/siglab
	scripts/interrupts.sh $(B)/siglab

# limits, interrupts and the short fuzz-diff campaign run host scenarios
# too: after the differential suite, one at a time, since concurrent host
# runs share the dedicated uids' RLIMIT_SIGPENDING counts
# (docs/host-oracle.md, Known limits).
check: unit unit-libs golden explore examples exectests peer-ci fuzzcheck fault-sweep marks \
	stmts symbols abi install-check diff cli web-check json-schema mpi-check
	$(MAKE) --no-print-directory -j1 limits interrupts fuzzdiff-check

marks:
	scripts/marks.sh --check

# The browser playground (web/): the engine, the scenario language, run
# and explore compiled to WebAssembly by Debian's emscripten, in one
# script (SINGLE_FILE: the page works from file://); make web-check runs
# every example in it against siglab run and loads the page in headless
# chromium (scripts/web-check.sh).
WEB_SRC := $(ENGINE_SRC) $(SCENARIO_SRC) $(SIM_SRC) $(EXPLORE_SRC) web/playground.c
WEB_HDR := $(wildcard include/*.h src/*/*.h)
web: $(B)/web/index.html

$(B)/web/siglab.js: $(WEB_SRC) $(WEB_HDR)
	@scripts/deps.sh web
	@mkdir -p $(@D)
	NODE_PATH=/usr/share/nodejs emcc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -Isrc $(WEB_SRC) \
		-sEXPORTED_FUNCTIONS=_pg_run,_pg_svg,_pg_explore -sEXPORTED_RUNTIME_METHODS=cwrap \
		-sALLOW_MEMORY_GROWTH=1 -sMODULARIZE=1 -sEXPORT_NAME=SiglabModule -sSINGLE_FILE=1 \
		-o $@

$(B)/web/index.html: web/index.html web/playground.js web/mkexamples.js $(B)/web/siglab.js \
		$(wildcard examples/*.scn)
	cp web/index.html web/playground.js $(@D)/
	node web/mkexamples.js examples/*.scn > $(@D)/examples.js

web-check: web $(B)/siglab
	scripts/web-check.sh $(B)

# Every JSON output validated against its schema in docs/schema/.
json-schema: $(B)/siglab
	scripts/json-schema.sh $(B)

# The command line's conventions (scripts/cli.sh).
cli: $(B)/siglab
	scripts/cli.sh $(B)/siglab

stmts:
	scripts/stmts.sh --check

symbols: $(B)/libsiglab.a $(B)/libsiglab.so
	scripts/symbols.sh $(B)/libsiglab.a $(B)/libsiglab.so

# The ABI: the shared library's exports (with their version nodes) are the
# committed abi/libsiglab.symbols, the header's functions, and the
# functions of libsiglab(3).
abi: $(B)/libsiglab.so
	scripts/abi.sh --check $(B)/libsiglab.so

# make install into a temporary DESTDIR, then a program outside the tree
# built against what was installed (pkg-config), static and shared, with
# gcc (with and without LTO) and clang; make uninstall leaves nothing.
install-check: all
	scripts/install-check.sh

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	$(INSTALL) -m 755 $(B)/siglab $(DESTDIR)$(BINDIR)/siglab
	$(INSTALL) -m 644 include/siglab.h $(DESTDIR)$(INCLUDEDIR)/siglab.h
	$(INSTALL) -m 644 $(B)/libsiglab.a $(DESTDIR)$(LIBDIR)/libsiglab.a
	$(if $(filter 1,$(STRIP_LTO)),$(OBJCOPY) -p -R '.gnu.lto_*' -R '.gnu.debuglto_*' \
		$(DESTDIR)$(LIBDIR)/libsiglab.a)
	$(INSTALL) -m 755 $(B)/libsiglab.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsiglab.so.$(VERSION)
	ln -sf libsiglab.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsiglab.so
	sed -e 's|@PREFIX@|$(PREFIX)|' \
	    -e 's|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' \
	    -e 's|@VERSION@|$(VERSION)|' siglab.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/siglab.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/siglab.pc
	$(INSTALL) -m 644 docs/man/siglab.1 $(DESTDIR)$(MANDIR)/man1/siglab.1
	$(INSTALL) -m 644 docs/man/libsiglab.3 $(DESTDIR)$(MANDIR)/man3/libsiglab.3
	for f in $$(scripts/abi.sh --names); do \
		echo '.so man3/libsiglab.3' > $(DESTDIR)$(MANDIR)/man3/$$f.3 && \
		chmod 644 $(DESTDIR)$(MANDIR)/man3/$$f.3 || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/siglab $(DESTDIR)$(INCLUDEDIR)/siglab.h \
	      $(DESTDIR)$(LIBDIR)/libsiglab.a $(DESTDIR)$(LIBDIR)/libsiglab.so.$(VERSION) \
	      $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libsiglab.so \
	      $(DESTDIR)$(PKGCONFIGDIR)/siglab.pc \
	      $(DESTDIR)$(MANDIR)/man1/siglab.1 $(DESTDIR)$(MANDIR)/man3/libsiglab.3
	for f in $$(scripts/abi.sh --names); do rm -f $(DESTDIR)$(MANDIR)/man3/$$f.3; done

diff: $(B)/siglab
	scripts/diffsuite.sh $(B)/siglab

# Random differential testing (siglab fuzz, docs/fuzz-diff.md).  The
# check is short and seeded: the same 20 scenarios every time.
FUZZ_DIFF_SEED  ?= 1
FUZZ_DIFF_COUNT ?= 10000
FUZZ_DIFF_TIME  ?= 0
fuzz-diff: $(B)/siglab
	$(B)/siglab fuzz --seed $(FUZZ_DIFF_SEED) --count $(FUZZ_DIFF_COUNT) \
		--time $(FUZZ_DIFF_TIME) --out fuzz-out
fuzzdiff-check: $(B)/siglab
	$(B)/siglab fuzz --list > /dev/null
	$(B)/siglab fuzz --seed 1 --count 20 --shrink-budget 40 --out $(B)/fuzz-check

bench: $(B)/libsiglab.a $(B)/libsiglab.so
	$(MAKE) -C bench run

# ---- fuzzing (fuzz/README.md) ----
# The fuzz targets are built twice: with libFuzzer (clang) to search, and
# with fuzz/fuzzcheck.c's main (SQLite's fuzzcheck) under the sanitizers
# to replay the checked-in corpus in `make check`.  clang's -Wconversion
# also warns about sign changes, which gcc's (the project's) does not.
BF          := build-fuzz
FUZZ_CC     ?= clang
FUZZ_TIME   ?= 120
FUZZ_FLAGS  := $(STD) -g -O1 -fsanitize=fuzzer,address,undefined \
	       -fno-sanitize-recover=all $(DEBUG) $(WARN) -Wno-sign-conversion $(INC)
PARSE_SEEDS := tests/scenarios tests/explore examples
SAN_SCENARIO := $(SCENARIO_SRC:%.c=$(BS)/%.o)
FUZZ_HDR    := $(wildcard include/*.h src/engine/*.h src/scenario/*.h)

$(BF)/fuzz_parse: fuzz/fuzz_parse.c $(SCENARIO_SRC) src/engine/arch.c $(FUZZ_HDR) | fuzzdeps
	@mkdir -p $(BF)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(filter %.c,$^) -o $@
$(BF)/fuzz_engine: fuzz/fuzz_engine.c $(ENGINE_SRC) $(FUZZ_HDR) | fuzzdeps
	@mkdir -p $(BF)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(filter %.c,$^) -o $@
$(BF)/fuzz_run: fuzz/fuzz_run.c $(SCENARIO_SRC) $(SIM_SRC) $(ENGINE_SRC) $(FUZZ_HDR) \
		$(wildcard src/sim/*.h) | fuzzdeps
	@mkdir -p $(BF)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(filter %.c,$^) -o $@
fuzzdeps:
	@scripts/deps.sh fuzz

# New inputs go to $(BF)/corpus/NAME (the checked-in corpus only seeds),
# crash-*, leak-* and timeout-* files to $(BF)/.
FUZZ_OPTS   := -timeout=5 -artifact_prefix=$(BF)/
fuzz-parse: $(BF)/fuzz_parse
	@mkdir -p $(BF)/corpus/fuzz_parse
	$(BF)/fuzz_parse -max_total_time=$(FUZZ_TIME) -max_len=8192 $(FUZZ_OPTS) \
		$(BF)/corpus/fuzz_parse fuzz/corpus/fuzz_parse $(PARSE_SEEDS)
fuzz-engine: $(BF)/fuzz_engine
	@mkdir -p $(BF)/corpus/fuzz_engine
	$(BF)/fuzz_engine -max_total_time=$(FUZZ_TIME) -max_len=2048 $(FUZZ_OPTS) \
		$(BF)/corpus/fuzz_engine fuzz/corpus/fuzz_engine
fuzz-run: $(BF)/fuzz_run
	@mkdir -p $(BF)/corpus/fuzz_run
	$(BF)/fuzz_run -max_total_time=$(FUZZ_TIME) -max_len=8192 $(FUZZ_OPTS) \
		$(BF)/corpus/fuzz_run fuzz/corpus/fuzz_parse $(PARSE_SEEDS)
fuzz: fuzz-parse fuzz-engine fuzz-run

$(BS)/fuzzcheck_parse: $(BS)/fuzz/fuzzcheck.o $(BS)/fuzz/fuzz_parse.o $(SAN_SCENARIO) $(SAN_ENGINE)
	$(CC) $(SAN) -o $@ $^
$(BS)/fuzzcheck_engine: $(BS)/fuzz/fuzzcheck.o $(BS)/fuzz/fuzz_engine.o $(SAN_ENGINE)
	$(CC) $(SAN) -o $@ $^
$(BS)/fuzzcheck_run: $(BS)/fuzz/fuzzcheck.o $(BS)/fuzz/fuzz_run.o $(SAN_SCENARIO) \
		$(SIM_SRC:%.c=$(BS)/%.o) $(SAN_ENGINE)
	$(CC) $(SAN) -o $@ $^ -lpthread
fuzzcheck: $(BS)/fuzzcheck_parse $(BS)/fuzzcheck_engine $(BS)/fuzzcheck_run
	$(BS)/fuzzcheck_parse fuzz/corpus/fuzz_parse $(PARSE_SEEDS)
	$(BS)/fuzzcheck_engine fuzz/corpus/fuzz_engine
	$(BS)/fuzzcheck_run fuzz/corpus/fuzz_parse $(PARSE_SEEDS)

# ---- allocation failure (tests/fault/sweep.c) ----
$(BS)/fault-sweep: $(BS)/tests/fault/sweep.o $(SAN_ENGINE) $(SAN_APP)
	$(CC) $(SAN) -o $@ $^ -lpthread
FAULT_SCN := tests/scenarios/*.scn tests/explore/*.scn examples/*.scn
fault-sweep: $(BS)/fault-sweep
	$(BS)/fault-sweep $(FAULT_SCN)

# ---- siglab exec against programs nobody here wrote ----
bench-exec: $(B)/siglab
	$(MAKE) -C bench exec

exec-examples: $(B)/siglab
	scripts/exec-examples.sh $(B)/siglab

exec-tests: $(B)/siglab
	scripts/exec-tests.sh $(B)/siglab

peer: $(B)/siglab
	scripts/peer.sh $(B)/siglab

peer-ci: $(B)/siglab
	scripts/peer.sh --ci $(B)/siglab

clean:
	rm -rf $(B) $(BS) $(BF)

-include $(shell find $(B) $(BS) -name '*.d' 2>/dev/null)

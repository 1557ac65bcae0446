# siglab — build, test and benchmark.
#   make          the library (static and shared) and the CLI, in build/
#   make demo     build, then run a bundled example with the model
#   make check    unit tests, golden scenarios, explore's golden outcome sets
#                 and examples under ASan+UBSan,
#                 then the differential suite against the real kernel
#   make diff     the differential suite: every scenario, model vs real kernel
#   make bench    the benchmarks in bench/
#   make fuzz     the libFuzzer targets (clang), FUZZ_TIME seconds each,
#                 seeded from fuzz/corpus/ (fuzz/README.md)
#   make fault-sweep  every scenario with each engine allocation failing
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
CLI_SRC      := $(sort $(wildcard src/cli/*.c))
APP_SRC      := $(SCENARIO_SRC) $(SIM_SRC) $(EXPLORE_SRC) $(HOST_SRC) $(CLI_SRC)
UNIT_SRC     := $(sort $(wildcard tests/unit/*.c))

B  := build
BS := build-san

ENGINE_OBJ   := $(ENGINE_SRC:%.c=$(B)/%.o)
APP_OBJ      := $(APP_SRC:%.c=$(B)/%.o)
ENGINE_PIC   := $(ENGINE_SRC:%.c=$(B)/pic/%.o)
SAN_ENGINE   := $(ENGINE_SRC:%.c=$(BS)/%.o)
SAN_APP      := $(filter-out $(BS)/src/cli/main.o,$(APP_SRC:%.c=$(BS)/%.o))
SAN_CLI_MAIN := $(BS)/src/cli/main.o

.PHONY: all demo check unit golden explore examples marks diff bench deps clean \
	fuzz fuzz-parse fuzz-engine fuzz-run fuzzdeps fuzzcheck fault-sweep
all: $(B)/libsiglab.a $(B)/libsiglab.so $(B)/siglab

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(LTO) $(WARN) $(INC) -MMD -MP -c $< -o $@
$(B)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(LTO) $(WARN) $(INC) -fPIC -fno-semantic-interposition -MMD -MP -c $< -o $@
$(BS)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) -O1 -g $(SAN) $(DEBUG) $(WARN) $(INC) -MMD -MP -c $< -o $@

$(B)/libsiglab.a: $(ENGINE_OBJ)
	$(AR) rcs $@ $^
$(B)/libsiglab.so: $(ENGINE_PIC)
	$(CC) $(CFLAGS) $(LTO) -shared -Wl,--version-script=src/engine/libsiglab.map -o $@ $^
$(B)/siglab: $(APP_OBJ) $(B)/libsiglab.a
	$(CC) $(CFLAGS) $(LTO) -o $@ $(APP_OBJ) $(B)/libsiglab.a -lpthread

$(BS)/siglab: $(SAN_ENGINE) $(SAN_APP) $(SAN_CLI_MAIN)
	$(CC) $(SAN) -o $@ $^ -lpthread
$(BS)/unit: $(SAN_ENGINE) $(SAN_APP) $(UNIT_SRC:%.c=$(BS)/%.o)
	$(CC) $(SAN) -o $@ $^ -lcriterion -lpthread

demo: $(B)/siglab
	$(B)/siglab run examples/sysv-reset.scn

deps:
	@scripts/deps.sh

unit: deps $(BS)/unit
	ASAN_OPTIONS=detect_leaks=1 $(BS)/unit --jobs 2

golden: $(BS)/siglab
	scripts/golden.sh $(BS)/siglab

explore: $(BS)/siglab
	scripts/explore.sh $(BS)/siglab

examples: $(BS)/siglab
	scripts/examples.sh $(BS)/siglab

check: unit golden explore examples fuzzcheck fault-sweep marks diff

marks:
	scripts/marks.sh --check

diff: $(B)/siglab
	scripts/diffsuite.sh $(B)/siglab

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

clean:
	rm -rf $(B) $(BS) $(BF)

-include $(shell find $(B) $(BS) -name '*.d' 2>/dev/null)

# siglab — build, test and benchmark.
#   make          the library (static and shared) and the CLI, in build/
#   make demo     build, then run a bundled example with the model
#   make check    unit tests, golden scenarios, explore's golden outcome sets
#                 and examples under ASan+UBSan, siglab exec's programs
#                 (native vs exec),
#                 then the differential suite against the real kernel
#   make diff     the differential suite: every scenario, model vs real kernel
#   make bench    the benchmarks in bench/
#   make bench-exec  a program's cost under `siglab exec`, native vs exec
#   make exec-examples / exec-tests  the seeds' C programs and the per-call
#                 programs, natively and under `siglab exec`
#   make peer     the peer suite (Open POSIX signal tests), natively and
#                 under `siglab exec`; `make peer-ci`: its fixed fast subset
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
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

ENGINE_SRC   := $(sort $(wildcard src/engine/*.c))
SCENARIO_SRC := $(sort $(wildcard src/scenario/*.c))
SIM_SRC      := $(sort $(wildcard src/sim/*.c))
EXPLORE_SRC  := $(sort $(wildcard src/explore/*.c))
HOST_SRC     := $(sort $(wildcard src/host/*.c))
EXEC_SRC     := $(sort $(wildcard src/exec/*.c))
CLI_SRC      := $(sort $(wildcard src/cli/*.c))
APP_SRC      := $(SCENARIO_SRC) $(SIM_SRC) $(EXPLORE_SRC) $(HOST_SRC) $(EXEC_SRC) $(CLI_SRC)
UNIT_SRC     := $(sort $(wildcard tests/unit/*.c))

B  := build
BS := build-san

ENGINE_OBJ   := $(ENGINE_SRC:%.c=$(B)/%.o)
APP_OBJ      := $(APP_SRC:%.c=$(B)/%.o)
ENGINE_PIC   := $(ENGINE_SRC:%.c=$(B)/pic/%.o)
SAN_ENGINE   := $(ENGINE_SRC:%.c=$(BS)/%.o)
SAN_APP      := $(filter-out $(BS)/src/cli/main.o,$(APP_SRC:%.c=$(BS)/%.o))
SAN_CLI_MAIN := $(BS)/src/cli/main.o

.PHONY: all demo check unit golden explore examples exectests marks diff bench deps clean fuzz \
        bench-exec exec-examples exec-tests peer peer-ci
all: $(B)/libsiglab.a $(B)/libsiglab.so $(B)/siglab

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(LTO) $(WARN) $(INC) -MMD -MP -c $< -o $@
$(B)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(LTO) $(WARN) $(INC) -fPIC -fno-semantic-interposition -MMD -MP -c $< -o $@
$(BS)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) -O1 -g $(SAN) $(WARN) $(INC) -MMD -MP -c $< -o $@

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

# siglab exec against the real kernel (tests/exec/*.c, native vs exec)
exectests: $(BS)/siglab
	scripts/exectests.sh $(BS)/siglab

check: unit golden explore examples exectests marks diff

marks:
	scripts/marks.sh --check

diff: $(B)/siglab
	scripts/diffsuite.sh $(B)/siglab

bench: $(B)/libsiglab.a $(B)/libsiglab.so
	$(MAKE) -C bench run

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
	rm -rf $(B) $(BS)

-include $(shell find $(B) $(BS) -name '*.d' 2>/dev/null)

# reesx - build, run, test, benchmark.
#   make run     install missing Debian packages, build, solve configs/default.cfg
#   make test    the same set-up, then every Criterion test
#   make bench   speed of the stage solve, a 100-stage circuit and its start-up
#   make validate  every validation case; writes docs/validation.md
#   make screenshots  docs/report-default.png, the report of configs/default.cfg
#   make fuzz    libFuzzer on each harness of fuzz/ for FUZZ_SECONDS (the
#                corpus in fuzz/corpus grows; findings go to fuzz/crashes)
#   make clean
# make test replays fuzz/regress and fuzz/corpus through the harnesses; with
# CI=true (or FUZZ=1) it fuzzes each harness for FUZZ_SECONDS too, failing on
# any finding (docs/reliability.md, "Fuzzing").

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wmissing-prototypes
ifeq ($(CI),true)
WARN    += -Werror
endif
CPPFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DRX_DATADIR='"$(CURDIR)/models/data"' -DRX_SOURCE_DIR='"$(CURDIR)"' -I$(CURDIR)
LDLIBS  := -lsundials_cvodes -lsundials_nvecserial \
           -lconfig -lcjson -lgsl -llapack -lblas -lm -pthread

BUILD   := build
# The library, layer by layer (docs/model.md, "Architecture"); the command
# line and the benchmark are programs on top of it.
LAYERS  := core models solver design fit uncertainty config output report
LIBSRC  := $(wildcard $(addsuffix /*.c,$(LAYERS)))
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
CLIOBJ  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard cli/*.c))
VALSRC  := validation/cases.c
VALOBJ  := $(VALSRC:%.c=$(BUILD)/%.o)
TESTSRC := $(wildcard tests/*.c)
TESTOBJ := $(TESTSRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libreesx.a
BIN     := $(BUILD)/reesx
TESTBIN := $(BUILD)/reesx-tests
BENCHBIN:= $(BUILD)/reesx-bench
# reesx-mpi: reesx uncertainty over MPI ranks (mpi/, docs/scale.md), built
# by Open MPI's compiler wrapper on the same objects as reesx.
MPIBIN  := $(BUILD)/reesx-mpi
MPICC   ?= mpicc
VALBIN  := $(BUILD)/reesx-validate
STAMP   := $(BUILD)/.deps-ok

# Debian packages reesx needs to build and test.
# The fuzz harnesses (replayed by make test) need clang and libFuzzer; with
# --no-install-recommends clang brings no compiler-rt, which holds the
# sanitizer and libFuzzer runtimes: libclang-rt-14-dev (not on a new
# machine); llvm gives the sanitizers' reports their function names and
# lines (llvm-symbolizer).  The report draws with PLplot (libplplot17,
# loaded at run time); its browser test runs Debian's chromium from python3
# (standard library only), which a minimal Debian does not have.
PACKAGES := build-essential pkg-config libsundials-dev liblapack-dev liblapacke-dev \
            libconfig-dev libcriterion-dev libcjson-dev libgsl-dev \
            clang libfuzzer-14-dev libclang-rt-14-dev llvm \
            openmpi-bin libopenmpi-dev \
            libplplot-dev chromium python3

# ---- fuzzing (fuzz/, docs/reliability.md; rules below) ----
# The library again, compiled by clang with ASan, UBSan and libFuzzer's
# coverage, in its own folder; each fuzz/fuzz_<name>.c linked with it.
FUZZBUILD   := build-fuzz
FUZZCC      := clang
FUZZERS     := config shakeout state solve
FUZZ_SECONDS ?= 60
# Harnesses fuzzed side by side by make test's short run: both cores in CI,
# one on a shared machine.
ifeq ($(CI),true)
FUZZ_JOBS   ?= 2
endif
FUZZ_JOBS   ?= 1
FUZZSAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZCFLAGS  := -O1 -g $(FUZZSAN)
FUZZLIBOBJ  := $(LIBSRC:%.c=$(FUZZBUILD)/%.o)
FUZZOBJ     := $(patsubst %.c,$(FUZZBUILD)/%.o,$(wildcard fuzz/*.c))
FUZZLIB     := $(FUZZBUILD)/libreesx.a
FUZZBINS    := $(FUZZERS:%=$(FUZZBUILD)/fuzz_%)

.PHONY: all deps run test bench validate clean screenshots asan valgrind fuzz fuzz-build fuzz-regress fuzz-short fuzz-merge fuzz-seed

all: $(BIN)

# Install what is missing (Debian, as root).  Skipped once it succeeded.
deps: $(STAMP)
# Checked again when this Makefile (PACKAGES) changes.
$(STAMP): Makefile
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install:$$missing" >&2; exit 1; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/%.o: %.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

# Built afresh: ar r keeps the objects of sources that are gone, and
# matches members by file name alone (core/plant.o, config/plant.o).
$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CLIOBJ) $(LIB)
	$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(TESTBIN): $(TESTOBJ) $(VALOBJ) $(LIB)
	$(CC) $(CFLAGS) $^ -lcriterion $(LDLIBS) -o $@

$(VALBIN): $(BUILD)/validation/validate.o $(VALOBJ) $(LIB)
	$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BENCHBIN): $(BUILD)/bench/bench.o $(LIB)
	$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/mpi/%.o: mpi/%.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(MPICC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(MPIBIN): $(BUILD)/mpi/reesx_mpi.o $(filter-out $(BUILD)/cli/main.o,$(CLIOBJ)) $(LIB)
	$(MPICC) $(CFLAGS) $^ $(LDLIBS) -o $@

run: $(BIN)
	./$(BIN) run configs/default.cfg -o $(BUILD)/out --report

# The screenshot of configs/default.cfg's report kept in docs/ (README).
screenshots: $(BIN)
	./$(BIN) run configs/default.cfg -q -o $(BUILD)/report-default --report
	python3 tests/browser/check.py --screenshots docs $(BUILD)/report-default

test: run $(TESTBIN) $(MPIBIN) $(FUZZBINS)
	sh tests/layers.sh $(BUILD)
	sh tests/golden/check.sh $(BIN)
	REESX_BIN=$(CURDIR)/$(BIN) REESX_MPI_BIN=$(CURDIR)/$(MPIBIN) ./$(TESTBIN) --jobs 2
	sh tests/browser/run.sh $(BIN) $(BUILD)/browser
	sh fuzz/run.sh regress $(FUZZBUILD) $(FUZZERS)
ifneq ($(filter true 1,$(CI) $(FUZZ)),)
	FUZZ_JOBS=$(FUZZ_JOBS) sh fuzz/run.sh short $(FUZZBUILD) $(FUZZ_SECONDS) $(FUZZERS)
endif

bench: $(BENCHBIN)
	./$(BENCHBIN)

# Every validation case against its reference; writes docs/validation.md.
validate: $(VALBIN)
	./$(VALBIN)

# The suite under AddressSanitizer/UBSan, and under valgrind.
asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" test

valgrind: $(BIN) $(TESTBIN)
	REESX_BIN=$(CURDIR)/$(BIN) valgrind --error-exitcode=9 --leak-check=full --trace-children=yes -q ./$(TESTBIN) --jobs 1

# ---- fuzzing: the rules ----
$(FUZZBUILD)/%.o: %.c | $(STAMP)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(CPPFLAGS) $(FUZZCFLAGS) -fsanitize=fuzzer-no-link $(WARN) -MMD -MP -c $< -o $@

$(FUZZLIB): $(FUZZLIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZBUILD)/fuzz_%: $(FUZZBUILD)/fuzz/fuzz_%.o $(FUZZBUILD)/fuzz/common.o $(FUZZLIB)
	$(FUZZCC) $(FUZZCFLAGS) -fsanitize=fuzzer $^ $(LDLIBS) -o $@

# Kept: make would delete them as intermediates and build them again.
.SECONDARY: $(FUZZOBJ)

fuzz-build: $(FUZZBINS)

# FUZZ_SECONDS on each harness (FUZZERS="solve" for one); then, to keep the
# corpus small, make fuzz-merge before committing it.
fuzz: $(FUZZBINS)
	sh fuzz/run.sh fuzz $(FUZZBUILD) $(FUZZ_SECONDS) $(FUZZERS)

fuzz-short: $(FUZZBINS)
	FUZZ_JOBS=$(FUZZ_JOBS) sh fuzz/run.sh short $(FUZZBUILD) $(FUZZ_SECONDS) $(FUZZERS)

fuzz-regress: $(FUZZBINS)
	sh fuzz/run.sh regress $(FUZZBUILD) $(FUZZERS)

fuzz-merge: $(FUZZBINS)
	sh fuzz/run.sh merge $(FUZZBUILD) $(FUZZERS)

# The seeds of configs/, tests/fixtures/ and fuzz/seeds/ into the corpus.
fuzz-seed: $(FUZZBINS)
	sh fuzz/run.sh seed $(FUZZBUILD) $(FUZZERS)

clean:
	rm -rf build build-asan build-vg build-fuzz

-include $(FUZZLIBOBJ:.o=.d) $(FUZZOBJ:.o=.d)
-include $(LIBOBJ:.o=.d) $(CLIOBJ:.o=.d) $(TESTOBJ:.o=.d) $(VALOBJ:.o=.d) $(BUILD)/validation/validate.d $(BUILD)/bench/bench.d \
         $(BUILD)/mpi/reesx_mpi.d

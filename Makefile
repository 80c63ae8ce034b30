# deferlab - a terminal workbench for learning Twisted-style Deferreds.
#
#   make run         install missing packages, build, open the workbench
#   make test        install missing packages, build, run every test
#   make test-asan   the same tests under AddressSanitizer + UBSan
#   make bench       benchmarks side by side with Twisted
#   make bench-callgrind   instruction counts of the C benchmarks (valgrind)
#   make format-check / make format / make clean
#
# Quiet by default; V=1 shows the commands. CI=true turns warnings into errors.

.SUFFIXES:
.SECONDARY:
.DEFAULT_GOAL := all

BUILD   ?= build
CC      ?= cc
V       ?= 0
Q        = $(if $(filter 1,$(V)),,@)
say      = $(if $(filter 1,$(V)),,@printf '  %-6s %s\n' $(1) $(2);)

PKGS     = libuv ncursesw lua5.4 jansson md4c
# Lazily expanded: pkg-config runs only after `deps` has installed packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wformat=2 -Wimplicit-fallthrough
ifeq ($(CI),true)
WARN   += -Werror
endif
OPT     ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) \
             -MMD -MP -Isrc $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm $(EXTRA_LDFLAGS)

# Where `make install` puts the shared files; compiled in so an installed
# workbench finds its lessons and challenges from any folder.
PREFIX  ?= /usr/local
DATADIR  = $(PREFIX)/share/deferlab
MANDIR   = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
CFLAGS_ALL += -DDL_DATADIR=\"$(DATADIR)\"

# Each folder under src/ owns one concern; main.c sits on top.
MODULES ?= engine trace script loop lesson tui cli
LIB_SRC  = $(foreach m,$(MODULES),$(wildcard src/$(m)/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ = $(BUILD)/src/main.o
LIB      = $(BUILD)/libdeferlab.a
BIN      = $(BUILD)/deferlab

UNIT_SRC ?= $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_COMMON = $(BUILD)/tests/unit/helpers.o

BENCH_SRC  = $(wildcard bench/*.c)
BENCH_BINS = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps run test unit test-asan bench bench-callgrind fuzz format format-check clean install FORCE \
        conformance-goldens conformance-random

all: deps
	$(Q)$(MAKE) --no-print-directory $(BIN) $(UNIT_BINS)

deps:
	$(Q)tools/deps.sh

$(BUILD)/%.o: %.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(UNIT_COMMON) $(LIB)
	$(call say,LINK,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) $(CMOCKA_LIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(call say,LINK,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

run: all
	$(Q)$(BIN)

# Every test suite, one summary line at the end.
test: all
	$(Q)BUILD=$(BUILD) tests/run-all.sh

# The same suites under AddressSanitizer + UndefinedBehaviorSanitizer.
ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test-asan: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	    EXTRA_CFLAGS="$(ASAN_FLAGS)" EXTRA_LDFLAGS="$(ASAN_FLAGS)" \
	    build/asan/deferlab $(UNIT_BINS:$(BUILD)/%=build/asan/%)
	$(Q)BUILD=build/asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run-all.sh

# Benchmarks with their Twisted twins in the same run (see docs/performance.md).
BENCH_OPT = -O2 -g -DNDEBUG
bench: deps
	$(Q)tools/deps.sh --twisted
	$(Q)$(MAKE) --no-print-directory OPT="$(BENCH_OPT)" $(BIN) $(BENCH_BINS)
	$(Q)BUILD=$(BUILD) bench/run.sh

# Instruction counts of the benchmarks at small sizes: immune to machine noise.
bench-callgrind: deps
	$(Q)$(MAKE) --no-print-directory OPT="$(BENCH_OPT)" $(BIN) $(BENCH_BINS)
	$(Q)BUILD=$(BUILD) bench/callgrind.sh

# Rerun every Python twin of tests/conformance/ under Debian's Twisted 22.4 (docs/conformance.md).
conformance-goldens:
	$(Q)tests/conformance/record-goldens.sh

# Seeded random Twisted-vs-deferlab scenario pairs: make conformance-random SEED=7 N=500
SEED ?= 1
N    ?= 200
conformance-random: deps
	$(Q)$(MAKE) --no-print-directory $(BIN)
	$(Q)BUILD=$(BUILD) tests/conformance/random.sh $(SEED) $(N)

# libFuzzer + ASan/UBSan (clang): build each target, replay the regressions,
# then fuzz each for FUZZ_TIME seconds (tests/fuzz/README.md).
FUZZ_TIME ?= 20
FUZZ_RUNS ?=
FUZZ_SEED ?= 1
# FUZZ_RUNS=N (with FUZZ_SEED) fuzzes a fixed number of inputs instead: the same
# run every time, which is what CI does.
fuzz: deps
	$(Q)tools/deps.sh --fuzz
	$(Q)FUZZ_BUILD=build/fuzz FUZZ_TIME=$(FUZZ_TIME) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_SEED=$(FUZZ_SEED) \
	    tests/fuzz/run.sh

FORMAT_FILES = $(wildcard src/*.c src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h bench/*.c \
                          tests/fuzz/*.c)
format:
	$(Q)clang-format -i $(FORMAT_FILES)

format-check:
	$(Q)clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format-check: clean"

clean:
	$(Q)rm -rf $(BUILD) build

# DATADIR is compiled in: rebuild what uses it when PREFIX changes.
FORCE:
$(BUILD)/datadir.stamp: FORCE
	$(Q)mkdir -p $(BUILD) && (echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@)
$(BUILD)/src/cli/workbench.o $(BUILD)/src/cli/chal_common.o: $(BUILD)/datadir.stamp

install: deps
	$(Q)$(MAKE) --no-print-directory $(BIN)
	$(call say,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR)
	$(Q)install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/deferlab
	$(Q)rm -rf $(DESTDIR)$(DATADIR)/lessons $(DESTDIR)$(DATADIR)/challenges $(DESTDIR)$(DATADIR)/solutions
	$(Q)cp -R lessons challenges solutions $(DESTDIR)$(DATADIR)/ && chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)
	$(Q)install -m 644 docs/deferlab.1 $(DESTDIR)$(MANDIR)/deferlab.1
	$(Q)install -m 644 tools/deferlab.bash-completion $(DESTDIR)$(BASHCOMPDIR)/deferlab

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

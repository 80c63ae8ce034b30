# deferlab - a terminal workbench for learning Twisted-style Deferreds.
#
#   make run         install missing packages, build, open the workbench
#   make test        install missing packages, build, run every test
#   make test-asan   the same tests under AddressSanitizer + UBSan
#   make bench       benchmarks side by side with Twisted
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

.PHONY: all deps run test unit test-asan bench format format-check clean

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

bench: deps
	$(Q)tools/deps.sh --twisted
	$(Q)$(MAKE) --no-print-directory OPT="-O2 -g -DNDEBUG" $(BIN) $(BENCH_BINS)
	$(Q)BUILD=$(BUILD) bench/run.sh

FORMAT_FILES = $(wildcard src/*.c src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h bench/*.c)
format:
	$(Q)clang-format -i $(FORMAT_FILES)

format-check:
	$(Q)clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format-check: clean"

clean:
	$(Q)rm -rf $(BUILD) build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

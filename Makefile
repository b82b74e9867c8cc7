# frontdesk: one Makefile for every binary, the tests and the benchmarks.
# `make` builds release binaries in bin/; `make test` builds sanitizer binaries in
# build/san/bin/ and runs every suite against private Redis and PostgreSQL.

PKGS     = hiredis libevent libevent_pthreads libpq libcurl msgpack jansson libsodium zlib
CC      ?= gcc
BUILD   ?= build/rel
BIN     ?= bin
OPT     ?= -O2 -g

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Wvla -Wformat=2
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(OPT) -Ilib -I$(BUILD)/gen \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ifeq ($(SANITIZE),1)
CFLAGS  += $(SAN)
LDFLAGS += $(SAN)
endif

LIB_SRC  = $(wildcard lib/*/*.c)
LIB_HDR  = $(wildcard lib/*/*.h)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/lua_scripts.o $(BUILD)/gen/build_version.o
API_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(wildcard api/*.c))
WEB_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(wildcard web/*.c))
WORKER_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(wildcard workers/*.c))
CTL_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(wildcard ops/ctl/*.c)) $(BUILD)/gen/schema_sql.o
LUA_SRC  = $(sort $(wildcard lua/*.lua))
SQL_SRC  = $(sort $(wildcard schema/*.sql))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all binaries units deps run test image bench bench-calls bench-texts bench-rx bench-web bench-billing fuzz clean FORCE
all: binaries

binaries: $(BIN)/frontdesk-api $(BIN)/frontdesk-ctl $(BIN)/frontdesk-worker $(BIN)/frontdesk-web
units: $(UNIT_BIN)

deps:
	@ops/install-deps.sh

$(BUILD)/gen/lua_scripts.c: $(LUA_SRC) ops/embed-lua.sh ops/embed-bytes.sh
	@mkdir -p $(dir $@)
	ops/embed-lua.sh $(LUA_SRC) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/lua_scripts.o: $(BUILD)/gen/lua_scripts.c lib/store/lua_scripts.h
	$(CC) $(CFLAGS) -c -o $@ $<

# The version every binary reports (--version, frontdesk_build_info): git describe, or
# FRONTDESK_VERSION=... where there is no .git (the image build passes it). The file is
# rewritten only when the version changed, so an unchanged tree relinks nothing.
FRONTDESK_VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo unknown)
$(BUILD)/gen/build_version.c: FORCE
	@mkdir -p $(dir $@)
	@ops/embed-version.sh '$(FRONTDESK_VERSION)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/gen/build_version.o: $(BUILD)/gen/build_version.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The migrations of schema/, embedded in frontdesk-ctl (see lib/store/migrations.h).
$(BUILD)/gen/schema_sql.c: $(SQL_SRC) ops/embed-sql.sh ops/embed-bytes.sh
	@mkdir -p $(dir $@)
	ops/embed-sql.sh $(SQL_SRC) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/schema_sql.o: $(BUILD)/gen/schema_sql.c lib/store/migrations.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c $(LIB_HDR) $(wildcard api/*.h) $(wildcard ops/ctl/*.h) $(wildcard workers/*.h) \
               $(wildcard web/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Made anew each time: an archive updated in place keeps objects of removed files.
$(BUILD)/libfd.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN)/frontdesk-api: $(API_OBJ) $(BUILD)/libfd.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/frontdesk-web: $(WEB_OBJ) $(BUILD)/gen/openapi_doc.o $(BUILD)/gen/static_assets.o $(BUILD)/libfd.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# web/openapi.json, served as it is by GET /api/v1/openapi.json (see web/openapi.h).
$(BUILD)/gen/openapi_doc.c: web/openapi.json ops/embed-openapi.sh ops/embed-bytes.sh
	@mkdir -p $(dir $@)
	ops/embed-openapi.sh web/openapi.json > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/openapi_doc.o: $(BUILD)/gen/openapi_doc.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The dashboard (web/static/) with its libraries from npm (package-lock.json, installed by
# npm ci, which downloads no browser), embedded in frontdesk-web (see web/static_files.h).
# The image passes NPM_CI with --omit=dev: it needs the libraries, not the test drivers.
NPM_CI ?= npm ci --no-audit --no-fund --loglevel=error
node_modules/.package-lock.json: package.json package-lock.json
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM_CI)
	@touch $@

STATIC_SRC = $(sort $(shell find web/static -type f))
STATIC_VENDOR = vendor/preact-htm.js=node_modules/htm/preact/standalone.module.js \
                vendor/uplot.js=node_modules/uplot/dist/uPlot.esm.js \
                vendor/uplot.css=node_modules/uplot/dist/uPlot.min.css
$(BUILD)/gen/static_assets.c: $(STATIC_SRC) node_modules/.package-lock.json ops/embed-static.sh \
                              ops/embed-bytes.sh
	@mkdir -p $(dir $@)
	ops/embed-static.sh $(foreach f,$(STATIC_SRC),$(f:web/static/%=%)=$(f)) $(STATIC_VENDOR) \
	  > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/static_assets.o: $(BUILD)/gen/static_assets.c web/static_files.h
	$(CC) $(CFLAGS) -Iweb -c -o $@ $<

$(BIN)/frontdesk-worker: $(WORKER_OBJ) $(BUILD)/libfd.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/frontdesk-ctl: $(CTL_OBJ) $(BUILD)/libfd.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/check.h $(wildcard tests/unit/*.h) $(BUILD)/libfd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(filter %.o,$^) $(BUILD)/libfd.a $(LDLIBS)

# The receptionist benchmark's business (bench/rx_bench_config.c), which its unit test
# checks: an extra object, linked by the rules above and below through $(filter %.o,$^).
RX_BENCH_OBJ = $(BUILD)/bench/rx_bench_config.o
$(RX_BENCH_OBJ): bench/rx_bench_config.h
$(BUILD)/tests/test_rx_bench_config: $(RX_BENCH_OBJ)

# The pure parts of frontdesk-web (web/), tested without the binary: extra objects too.
$(BUILD)/tests/test_web_router: $(BUILD)/web/router.o
$(BUILD)/tests/test_web_static_rules: $(BUILD)/web/static_rules.o
$(BUILD)/tests/test_web_problem: $(BUILD)/web/problem.o $(BUILD)/web/handler.o \
                              $(BUILD)/web/json_path.o
$(BUILD)/tests/test_web_agent_try: $(BUILD)/web/agent_try.o

# The fuzz targets are built with clang's libFuzzer and the same sanitizers; lib/ is
# compiled once for all of them (fuzzer-no-link: instrumented, libFuzzer's main only in
# the targets).
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Ilib -Ibuild/fuzz/gen \
              -fno-sanitize-recover=all $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_OBJ = $(LIB_SRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/lua_scripts.o
build/fuzz/gen/lua_scripts.c: $(LUA_SRC) ops/embed-lua.sh ops/embed-bytes.sh
	@mkdir -p $(dir $@)
	ops/embed-lua.sh $(LUA_SRC) > $@.tmp && mv $@.tmp $@
build/fuzz/obj/gen/lua_scripts.o: build/fuzz/gen/lua_scripts.c lib/store/lua_scripts.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build/fuzz/obj/%.o: %.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build/fuzz/libfd.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.c build/fuzz/libfd.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzz/libfd.a \
	  $(shell pkg-config --libs $(PKGS)) -lm
fuzz: $(FUZZ_BIN)

run: deps
	@$(MAKE) --no-print-directory binaries
	@ops/run-local.sh

test: deps
	@$(MAKE) --no-print-directory -j$(shell nproc) BUILD=build/san BIN=build/san/bin SANITIZE=1 OPT="-O1 -g" binaries units
	@$(MAKE) --no-print-directory -j$(shell nproc) fuzz
	@tests/run-all.sh

# The container image from the Dockerfile, built and then checked by running it (Docker,
# else podman or buildah; the base made with debootstrap when it cannot be pulled). An
# operator's step, not part of `make test`: see docs/deploy.md, "Building the image".
image:
	@ops/image-build.sh

# The benchmark's own programs (floors and load generators), see bench/; the load
# generators share bench/latency.c. calls_driver plays Telnyx and the callers for the
# calls benchmark.
BENCH_BIN = build/bench/verify_floor build/bench/bare_server build/bench/paced_load \
            build/bench/calls_driver
WEB_BENCH_BIN = build/bench/login_load $(BUILD)/bench/web_query_floor
build/bench/paced_load build/bench/login_load: bench/latency.c bench/latency.h
build/bench/paced_load: bench/http_response.c bench/http_response.h
CALLS_DRIVER_SRC = bench/calls_control.c bench/calls_cpu.c bench/calls_hooks.c bench/calls_line.c \
                   bench/calls_util.c bench/http_response.c
build/bench/calls_driver: $(CALLS_DRIVER_SRC) $(CALLS_DRIVER_SRC:.c=.h) bench/calls_time.h
build/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) $(LDLIBS)

# The built-in receptionist on one core (no services needed), release flags of $(BUILD).
$(BUILD)/bench/rx_bench_calls.o: bench/rx_bench_calls.h bench/rx_bench_config.h
$(BUILD)/bench/rx_bench: bench/rx_bench.c bench/rx_bench_calls.h $(BUILD)/bench/rx_bench_calls.o \
                        $(RX_BENCH_OBJ) $(BUILD)/libfd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(filter %.o,$^) $(BUILD)/libfd.a $(LDLIBS)

# The owner API's queries on PostgreSQL, through lib/owner/ as frontdesk-web runs them.
$(BUILD)/bench/web_query_floor: bench/web_query_floor.c bench/latency.c bench/latency.h \
                               $(BUILD)/libfd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) $(BUILD)/libfd.a $(LDLIBS)

bench: deps
	@$(MAKE) --no-print-directory binaries $(BENCH_BIN) $(WEB_BENCH_BIN) $(BUILD)/bench/rx_bench
	@$(BUILD)/bench/rx_bench
	@bench/run-bench.sh
	@bench/run-calls-bench.sh
	@bench/run-texts-bench.sh
	@bench/run-web-bench.sh
	@bench/run-billing-bench.sh

# The receptionist benchmark alone, see README.md, "Tests and benchmarks".
bench-rx:
	@$(MAKE) --no-print-directory $(BUILD)/bench/rx_bench
	@$(BUILD)/bench/rx_bench

# The calls benchmark alone (api + two workers + the Telnyx simulator), see bench/.
bench-calls: deps
	@$(MAKE) --no-print-directory binaries build/bench/calls_driver
	@bench/run-calls-bench.sh

# The texts benchmark alone (api + two workers + the Telnyx simulator), see bench/.
bench-texts: deps
	@$(MAKE) --no-print-directory binaries
	@bench/run-texts-bench.sh

# The owner API benchmark alone (frontdesk-web over 100,000 calls), see bench/.
bench-web: deps
	@$(MAKE) --no-print-directory binaries $(WEB_BENCH_BIN)
	@bench/run-web-bench.sh

# The billing benchmark alone (two workers + the fake Stripe: bookings -> meter events), see bench/.
bench-billing: deps
	@$(MAKE) --no-print-directory binaries
	@bench/run-billing-bench.sh

clean:
	rm -rf build bin

# Test drivers of the integration tests (tests/tools/*.c), built with the unit tests.
TOOL_SRC = $(wildcard tests/tools/*.c)
TOOL_BIN = $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
units: $(TOOL_BIN)
$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libfd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libfd.a $(LDLIBS)

# The calls benchmark's driver built with the tests' flags, for
# tests/integration/test_calls_driver.py (an explicit rule: its sources are in bench/).
units: $(BUILD)/tools/calls_driver
$(BUILD)/tools/calls_driver: bench/calls_driver.c $(CALLS_DRIVER_SRC) $(CALLS_DRIVER_SRC:.c=.h) \
                             bench/calls_time.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) $(LDLIBS)

# Shared objects the integration tests preload into our binaries (tests/tools/preload/),
# built without the sanitizers: they only stand in for a libc function.
PRELOAD_SRC = $(wildcard tests/tools/preload/*.c)
PRELOAD_LIB = $(PRELOAD_SRC:tests/tools/preload/%.c=$(BUILD)/tools/%.so)
units: $(PRELOAD_LIB)
$(BUILD)/tools/%.so: tests/tools/preload/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -O1 -shared -fPIC -o $@ $< -ldl

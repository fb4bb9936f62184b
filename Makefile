# dxday — build, run, test, bench. `make run` and `make test` are the two commands a newcomer uses.
CC      ?= gcc
PKGS    := libmicrohttpd sqlite3 jansson libutf8proc libsodium libzip libxml-2.0 poppler-glib xlsxwriter libcurl \
           pangocairo librsvg-2.0 libcmark-gfm libmagic libqrencode libpq
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -Isrc -Ibuild/gen
CFLAGS  += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRC     := $(shell find src -name '*.c' | sort)
EMBED   := $(sort $(wildcard templates/*.html templates/*/*.html static/* data/*.tsv data/*.json data/demo/*.md data/courses/*/* src/store/sqlite/migrations/*.sql src/store/pg/migrations/*.sql))
LIBSRC  := $(filter-out src/main.c,$(SRC))
OBJ     := $(patsubst src/%.c,build/obj/%.o,$(SRC)) build/obj/gen/embed.o
LIBOBJ  := $(filter-out build/obj/main.o,$(OBJ))
ASAN    := -fsanitize=address,undefined -fno-omit-frame-pointer
AOBJ    := $(patsubst build/obj/%,build/asan/%,$(OBJ))
ALIBOBJ := $(filter-out build/asan/main.o,$(AOBJ))
UNIT    := $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all deps run test unit http e2e bench eval fuzz clean FORCE
all: build/dxday

deps:
	@bash scripts/deps.sh build

# The list itself is a prerequisite: a file moved or removed (older than embed.c) must still rebuild the table.
build/gen/embed.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(EMBED)' | cmp -s - $@ || echo '$(EMBED)' > $@
build/gen/embed.c: $(EMBED) scripts/embed.sh build/gen/embed.list
	@mkdir -p $(dir $@)
	@bash scripts/embed.sh $(EMBED) > $@.$$$$.tmp && mv $@.$$$$.tmp $@

build/obj/gen/embed.o: build/gen/embed.c
	@mkdir -p $(dir $@)
	@echo "CC $<"; $(CC) -O1 -Isrc -c $< -o $@
build/asan/gen/embed.o: build/obj/gen/embed.o
	@mkdir -p $(dir $@)
	cp $< $@

# Each object lists the headers it includes (-MMD -MP, in build/**/*.d), so a header in any folder rebuilds what uses it.
build/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"; $(CC) $(CFLAGS) -MMD -MP -c $< -o $@
build/asan/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC [asan] $<"; $(CC) $(CFLAGS) -O1 $(ASAN) -MMD -MP -c $< -o $@
-include $(OBJ:.o=.d) $(AOBJ:.o=.d) $(UNIT:=.d)

build/dxday: $(OBJ)
	@echo "LD $@"; $(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/dxday-asan: $(AOBJ)
	@echo "LD $@"; $(CC) $(CFLAGS) $(ASAN) -o $@ $^ $(LDLIBS)

build/tests/%: tests/unit/%.c $(ALIBOBJ)
	@mkdir -p $(dir $@)
	@echo "LD $@"; $(CC) $(CFLAGS) -O1 $(ASAN) -MMD -MP -o $@ $< $(ALIBOBJ) $(LDLIBS) -lcmocka

run:
	@bash scripts/deps.sh build
	@$(MAKE) --no-print-directory build/dxday
	@bash scripts/run.sh

test:
	@bash scripts/deps.sh test
	@$(MAKE) --no-print-directory build/dxday build/dxday-asan $(UNIT)
	@bash tests/run.sh

unit: $(UNIT)
	@for t in $(UNIT); do LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp G_SLICE=always-malloc $$t || exit 1; done

bench:
	@bash scripts/deps.sh bench
	@$(MAKE) --no-print-directory build/dxday
	@bash bench/run.sh
	@bash bench/plans.sh
	@bash bench/reports.sh
	@bash bench/search.sh
	@bash bench/search_engines.sh
	@bash bench/mooc.sh
	@bash bench/guidance.sh
	@bash bench/quiz_contest.sh
	@bash bench/durability.sh

# The assistant's evaluation (tests/eval): tuned and held-out figures and the calibration; DXDAY_TEST_PG=URL for PostgreSQL.
build/tests/eval: tests/eval/eval.c $(ALIBOBJ)
	@mkdir -p $(dir $@)
	@echo "LD $@"; $(CC) $(CFLAGS) -O1 $(ASAN) -Itests/unit -o $@ $< $(ALIBOBJ) $(LDLIBS)
eval:
	@$(MAKE) --no-print-directory build/dxday build/tests/eval
	@bash tests/eval/run.sh

fuzz:
	@bash scripts/deps.sh test
	@$(MAKE) --no-print-directory build/gen/embed.c
	@bash fuzz/run.sh

clean:
	rm -rf build

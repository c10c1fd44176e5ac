# razem — one plain Makefile with pkg-config for every library.
#
#   make            build build/razem
#   make run        install what is missing, build, create demo data, serve
#   make check      every test: unit, HTTP (SQLite and PostgreSQL), browser,
#                   sanitizers, fuzz smoke runs; ends with "N passed, N failed"
#   make bench      wrk figures, then record linkage's (bench/link.sh; see docs/BENCHMARKS.md)
#   make bench-link record linkage alone: precision/recall/F1 and the 1M x 1M timing
#   make bench-bulk the bulk-load driver of bench/bulk.sh (build/bench/bulk)
#   make bench-linkgen, bench-linkeval  the record-linkage generator and evaluator of bench/link.sh
#   make fuzz       longer fuzzing runs (FUZZ_SECONDS per target)
#
# Switches: SANITIZE=address,undefined builds everything with sanitizers
# (into BUILD=build/san by default). The fuzz targets are built by
# tests/fuzz/run.sh with clang into build/fuzz.

SANITIZE ?=
ifneq ($(SANITIZE),)
BUILD ?= build/san
else
BUILD ?= build
endif

CC ?= cc
PKGS := libh2o-evloop libsodium jansson sqlite3 libpq xlsxwriter libutf8proc openssl zlib expat proj librsvg-2.0 cairo pangocairo
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
	-Wvla -Wformat=2 -Wno-format-nonliteral -Wundef -Wcast-align -Wwrite-strings \
	-Wno-missing-field-initializers
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc -I$(BUILD)/gen $(WARN) -Werror \
	$(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(LDFLAGS)
# shapelib has no pkg-config file on Debian
LIBS := $(PKG_LIBS) -lshp -lpthread -lm

ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif

# Sources: every .c under src/ except main.c goes into the library that
# the binary, the unit tests and the fuzz targets link against.
SRC := $(shell find src -name '*.c' ! -name main.c | sort)
OBJ := $(SRC:%.c=$(BUILD)/obj/%.o)
MIGRATIONS := $(sort $(wildcard src/db/migrations/*.sql))
ASSETS := $(sort $(wildcard assets/*))
PO_PL := $(sort $(wildcard po/pl/*.po))
GEN := $(BUILD)/gen/migrations.c $(BUILD)/gen/catalog_pl.c $(BUILD)/gen/assets.c
GEN_OBJ := $(GEN:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
LIB := $(BUILD)/librazem.a
BIN := $(BUILD)/razem
EMBED := build/tools/embed

UNIT_SRC := $(shell find tests/unit -name '*.c' 2>/dev/null | sort)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)

.PHONY: all run check check-fast unit test-http bench bench-link bench-bulk bench-linkgen bench-linkeval fuzz clean po-check format distclean
all: $(BIN)

$(EMBED): tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -o $@ $<

$(BUILD)/gen/migrations.c: $(MIGRATIONS) $(EMBED)
	@mkdir -p $(@D)
	$(EMBED) $@ razem_migrations $(MIGRATIONS)

$(BUILD)/gen/pl.po: $(PO_PL)
	@mkdir -p $(@D)
	msgcat --use-first -o $@ $(PO_PL)

$(BUILD)/gen/pl.mo: $(BUILD)/gen/pl.po
	msgfmt --check -o $@ $<

$(BUILD)/gen/catalog_pl.c: $(BUILD)/gen/pl.mo $(EMBED)
	$(EMBED) -1 $@ razem_catalog_pl $<

$(BUILD)/gen/assets.c: $(ASSETS) $(EMBED)
	@mkdir -p $(@D)
	$(EMBED) $@ razem_assets $(ASSETS)

$(BUILD)/obj/%.o: %.c | $(GEN)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(OBJ) $(GEN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/src/main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Unit tests: tests/unit/<dir>/<file>.c tests src/<dir>/<file>.c.
$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	@echo "  TEST-CC $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LIBS) -lcmocka

unit: $(UNIT_BIN)

# Catalogue check: every _() string in the source has a Polish translation.
po-check: $(BUILD)/gen/pl.po
	@mkdir -p $(BUILD)/gen
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=i18n_ngettext:1,2 \
		--package-name=razem -o $(BUILD)/gen/razem.pot $(shell find src -name '*.c' | sort)
	msgcmp $(BUILD)/gen/pl.po $(BUILD)/gen/razem.pot
	@# one msgid, one translation: catalogues that disagree would show whichever comes first
	@msgcat -o $(BUILD)/gen/pl-all.po $(PO_PL) && ! awk 'BEGIN { head = 1 } /^msgid ""$$/ { next } \
		/^msgid / { head = 0; id = $$0 } !head && /#-#-#-#-#/ { print "po-check: " id \
		" is translated differently in two catalogues"; bad = 1 } END { exit !bad }' \
		$(BUILD)/gen/pl-all.po

run:
	scripts/deps.sh run
	$(MAKE) $(BIN)
	scripts/run-demo.sh $(BIN)

check:
	scripts/deps.sh check
	tests/run.sh

bench:
	scripts/deps.sh bench
	$(MAKE) $(BIN)
	bench/run.sh $(BIN)
	bench/link.sh $(BIN)
	bench/contract_page.sh $(BIN)

# record linkage alone: P/R/F1 on FEBRL 1-3 and generated Polish registers, the 1M x 1M timing
bench-link: $(BIN)
	bench/link.sh $(BIN)
	bench/contract_page.sh $(BIN)

# bench/bulk.sh's driver: db_bulk_* against plain sqlite3 / psql \copy.
bench-bulk: $(BUILD)/bench/bulk

$(BUILD)/bench/bulk: bench/bulk.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LIBS)

# bench/overlap.sh's driver: the overlap check of saving an episode.
$(BUILD)/bench/overlap: bench/overlap.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LIBS)

# bench/rule.c: the sharing rule's decision given its facts.
$(BUILD)/bench/rule: bench/rule.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LIBS)

# bench/link.sh's tools: two institutions' Polish registers with known truth, and
# precision/recall/F1 of a pairs file against a truth file.
bench-linkgen: $(BUILD)/bench/linkgen
bench-linkeval: $(BUILD)/bench/linkeval

$(BUILD)/bench/linkgen $(BUILD)/bench/linkeval: $(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LIBS)

FUZZ_SECONDS ?= 300
fuzz:
	scripts/deps.sh check
	tests/fuzz/run.sh $(FUZZ_SECONDS)

# Reformat C sources with .clang-format (a convenience; check does not enforce it).
format:
	clang-format -i $$(find src tests/unit tests/fuzz tools -name '*.[ch]')

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

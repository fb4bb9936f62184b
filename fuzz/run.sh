#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each for FUZZ_SECONDS (default 60) on its seed corpus.
# Must not touch the repository's corpora: new inputs go to build/fuzz/corpus-*.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-60}
command -v clang >/dev/null || { echo "fuzz: clang not installed (scripts/deps.sh test installs it)"; exit 1; }
PKGS="libzip libxml-2.0 poppler-glib libutf8proc"
# Undefined behaviour stops the run like a crash: a UBSan report that scrolls past is a finding too.
FLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc $(pkg-config --cflags $PKGS)"
mkdir -p build/fuzz
clang $FLAGS fuzz/fuzz_extract.c src/import/extract.c src/import/extract_docx.c src/import/extract_zip.c src/import/xml_safe.c src/import/extract_pdf.c \
  src/import/extract_text.c src/core/text.c src/core/buf.c -o build/fuzz/fuzz_extract $(pkg-config --libs $PKGS) -lz -lpthread
clang $FLAGS fuzz/fuzz_plan_parse.c src/core/plan_*.c src/core/text.c src/core/date.c src/core/buf.c \
  -o build/fuzz/fuzz_plan_parse $(pkg-config --libs libutf8proc)
clang $FLAGS fuzz/fuzz_sheet.c src/import/sheet.c src/import/sheet_csv.c src/import/sheet_xlsx.c src/import/extract_zip.c src/import/xml_safe.c \
  src/core/text.c src/core/buf.c -o build/fuzz/fuzz_sheet $(pkg-config --libs libzip libxml-2.0 libutf8proc) -lz -lpthread
# Course imports: the store's validation against an in-memory database migrated from the embedded migrations, so it
# links the store (and build/gen/embed.c, which make builds first). Seeds: every course folder written as one file.
CPKGS="jansson libcmark-gfm libzip sqlite3 libutf8proc libsodium libpq"
clang $FLAGS -Ibuild/gen $(pkg-config --cflags $CPKGS) fuzz/fuzz_course.c src/store/course_io.c src/store/course_import.c \
  src/store/course.c src/store/search_index.c src/store/search_tsv.c src/store/db.c src/store/sqlite/sqlite.c src/store/sqlite/shared_map.c src/store/pg/pg.c src/store/migrate.c src/store/campaign.c src/store/search_campaign.c src/store/form.c \
  src/store/org_load.c src/store/org.c src/store/sqlite/fts5.c src/core/*.c src/export/markdown.c build/gen/embed.c \
  -o build/fuzz/fuzz_course $(pkg-config --libs $CPKGS) -lcmark-gfm-extensions -lz -lpthread -lm
mkdir -p build/fuzz/seeds-course
for d in tests/fixtures/courses/*/ data/courses/*/; do
  { cat "$d/course.json"
    for f in "$d"*; do [ "$(basename "$f")" = course.json ] || { printf '\n@@ %s\n' "$(basename "$f")"; cat "$f"; }; done
  } > "build/fuzz/seeds-course/$(basename "$d")"
done
# The web layer's parsers: each on its own with the little it needs.
WPKGS="jansson libutf8proc"
clang $FLAGS $(pkg-config --cflags $WPKGS) fuzz/fuzz_multipart.c src/http/multipart.c src/core/text.c src/core/buf.c \
  -o build/fuzz/fuzz_multipart $(pkg-config --libs $WPKGS)
clang $FLAGS $(pkg-config --cflags $WPKGS) fuzz/fuzz_form.c src/http/form.c src/core/text.c src/core/buf.c \
  -o build/fuzz/fuzz_form $(pkg-config --libs $WPKGS)
# Templates: smaller render limits than the server's, so inputs that multiply (which tmpl.c stops) cost little.
clang $FLAGS -Ibuild/gen $(pkg-config --cflags $WPKGS) -DTMPL_MAX_NODES=200000u "-DTMPL_MAX_OUTPUT=((size_t)4<<20)" \
  fuzz/fuzz_tmpl.c src/http/tmpl.c src/core/date.c src/core/files.c src/core/buf.c src/core/text.c build/gen/embed.c \
  -o build/fuzz/fuzz_tmpl $(pkg-config --libs $WPKGS) -lm
mkdir -p build/fuzz/seeds-tmpl
for f in templates/*.html templates/*/*.html; do
  { cat "$f"; printf '\n@@ ctx\n{"title":"<x>","items":[{"name":"a"}],"n":1234567}'; } \
    > "build/fuzz/seeds-tmpl/$(echo "${f#templates/}" | tr / _)"
done
# The router over the real route tables: they name every handler, so the harness links the whole app, taken from
# the objects make builds for build/dxday (plain, uninstrumented); only router.c is compiled here, with coverage.
APKGS="libmicrohttpd sqlite3 jansson libutf8proc libsodium libzip libxml-2.0 poppler-glib xlsxwriter libcurl pangocairo
  librsvg-2.0 libcmark-gfm libmagic libqrencode libpq"
make --no-print-directory -s build/dxday > /dev/null
AOBJ=$(find src -name '*.c' ! -path src/main.c ! -path src/http/router.c | sort | sed 's#^src/\(.*\)\.c$#build/obj/\1.o#')
clang $FLAGS $(pkg-config --cflags $WPKGS) fuzz/fuzz_router.c src/http/router.c $AOBJ build/obj/gen/embed.o \
  -o build/fuzz/fuzz_router $(pkg-config --libs $APKGS) -lpthread -lm
# Seeds: every page and API pattern of the tables with "1" for each {param}; the dictionary, their segments.
rm -rf build/fuzz/seeds-router && mkdir -p build/fuzz/seeds-router
routes=$(grep -oh '{ *"[A-Z]*", *\(NULL\|"[^"]*"\), *\(NULL\|"[^"]*"\)' src/web/page_*.c | sed 's/^{ *//; s/"//g; s/,/ /g')
echo "$routes" | awk '{ for (i = 2; i <= 3; i++) if ($i != "NULL") { p = $i; gsub(/\{[^}]*\}/, "1", p);
  print $1 "\n" p > ("build/fuzz/seeds-router/" NR "-" i) } }'
{ echo "$routes" | awk '{ print $2; print $3 }' | grep -v NULL | tr / '\n' | grep -v '^$' | sed 's/{[^}]*}/1/'
  printf '%s\n' GET HEAD POST api '/' '//' ; } | sort -u | sed 's/.*/"&"/' > build/fuzz/router.dict

rc=0
for h in extract plan_parse sheet course multipart form tmpl router; do
  corpus=build/fuzz/corpus-$h
  mkdir -p "$corpus"
  seeds=tests/fixtures/extract
  [ $h = plan_parse ] && seeds="tests/fixtures/plans tests/fixtures/http"
  [ $h = sheet ] && seeds=tests/fixtures/sheet
  [ $h = course ] && seeds=build/fuzz/seeds-course
  [ $h = multipart ] || [ $h = form ] && seeds=fuzz/corpus-seeds/$h
  [ $h = tmpl ] && seeds=build/fuzz/seeds-tmpl
  [ $h = router ] && seeds=build/fuzz/seeds-router
  dict=""; [ -f fuzz/$h.dict ] && dict="-dict=fuzz/$h.dict"
  [ $h = router ] && dict="-dict=build/fuzz/router.dict"
  echo "fuzz: $h for ${secs}s"
  if ! build/fuzz/fuzz_$h $dict -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
       "$corpus" $seeds > build/fuzz/$h.log 2>&1; then
    rc=1; tail -40 build/fuzz/$h.log
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build/fuzz/$h.log | sed "s/^/fuzz: $h /"
done
exit $rc

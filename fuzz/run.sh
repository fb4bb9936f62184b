#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each for FUZZ_SECONDS (default 60) on its seed corpus.
# Must not touch the repository's corpora: new inputs go to build/fuzz/corpus-*.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-60}
command -v clang >/dev/null || { echo "fuzz: clang not installed (scripts/deps.sh test installs it)"; exit 1; }
PKGS="libzip libxml-2.0 poppler-glib libutf8proc"
FLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc $(pkg-config --cflags $PKGS)"
mkdir -p build/fuzz
clang $FLAGS fuzz/fuzz_extract.c src/import/extract.c src/import/extract_docx.c src/import/extract_zip.c src/import/xml_safe.c src/import/extract_pdf.c \
  src/import/extract_text.c src/core/text.c src/core/buf.c -o build/fuzz/fuzz_extract $(pkg-config --libs $PKGS) -lz -lpthread
clang $FLAGS fuzz/fuzz_plan_parse.c src/core/plan_*.c src/core/text.c src/core/date.c src/core/buf.c \
  -o build/fuzz/fuzz_plan_parse $(pkg-config --libs libutf8proc)
clang $FLAGS fuzz/fuzz_sheet.c src/import/sheet.c src/import/sheet_csv.c src/import/sheet_xlsx.c src/import/extract_zip.c src/import/xml_safe.c \
  src/core/text.c src/core/buf.c -o build/fuzz/fuzz_sheet $(pkg-config --libs libzip libxml-2.0 libutf8proc) -lz -lpthread
# Course imports: the store's validation against an in-memory database migrated from the embedded migrations, so it
# links the store (and build/gen/embed.c, which make builds first). Seeds: every course folder written as one file.
CPKGS="jansson libcmark-gfm libzip sqlite3 libutf8proc libsodium"
clang $FLAGS -Ibuild/gen $(pkg-config --cflags $CPKGS) fuzz/fuzz_course.c src/store/course_io.c src/store/course_import.c \
  src/store/course.c src/store/search_index.c src/store/sqlite.c src/store/migrate.c src/store/campaign.c src/store/form.c \
  src/store/org_load.c src/store/org.c src/store/fts5.c src/core/*.c src/export/markdown.c build/gen/embed.c \
  -o build/fuzz/fuzz_course $(pkg-config --libs $CPKGS) -lcmark-gfm-extensions -lz -lpthread -lm
mkdir -p build/fuzz/seeds-course
for d in tests/fixtures/courses/*/ data/courses/*/; do
  { cat "$d/course.json"
    for f in "$d"*; do [ "$(basename "$f")" = course.json ] || { printf '\n@@ %s\n' "$(basename "$f")"; cat "$f"; }; done
  } > "build/fuzz/seeds-course/$(basename "$d")"
done
rc=0
for h in extract plan_parse sheet course; do
  corpus=build/fuzz/corpus-$h
  mkdir -p "$corpus"
  seeds=tests/fixtures/extract
  [ $h = plan_parse ] && seeds="tests/fixtures/plans tests/fixtures/http"
  [ $h = sheet ] && seeds=tests/fixtures/sheet
  [ $h = course ] && seeds=build/fuzz/seeds-course
  dict=""; [ -f fuzz/$h.dict ] && dict="-dict=fuzz/$h.dict"
  echo "fuzz: $h for ${secs}s"
  if ! build/fuzz/fuzz_$h $dict -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
       "$corpus" $seeds > build/fuzz/$h.log 2>&1; then
    rc=1; tail -40 build/fuzz/$h.log
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build/fuzz/$h.log | sed "s/^/fuzz: $h /"
done
exit $rc

#!/usr/bin/env bash
# The launcher's start-up caches (docs/BENCHMARKS.md, "Start-up"), in a fresh per-user cache directory: a
# successful run writes its command's class-data archive, a failed one writes none, the JVM's archiving
# messages never reach stdout, and a second run reads the archive with the same output. Then its locale
# (docs/ingest.md, "File names"): under LANG=C the JVM decodes file names as UTF-8, and a folder holding
# ünï_日本.txt, x\xff.txt and x\xfe.txt ingests as three documents. Needs the CLI jar (scripts/test.sh builds
# it first). Prints "launcher: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT
export PARALLELRAG_CACHE_DIR="$cache"
passed=0
failed=0
check() { # description, then a command that succeeds when the check holds
    local what="$1"; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "launcher: FAILED: $what" >&2; fi
}
archives() { find "$cache/jvm" -name "*-$1.jsa" 2>/dev/null | wc -l | tr -d ' '; }

./parallelrag --help >"$cache/help1.out" 2>"$cache/help1.err"
check "--help prints the usage first" grep -q '^Usage: parallelrag' <(head -1 "$cache/help1.out")
check "no JVM log line on stdout or stderr" bash -c "! grep -q '\\[warning\\]\\|\\[cds' '$cache/help1.out' '$cache/help1.err'"
check "a successful run writes its command's archive" test "$(archives help)" = 1

status=0
./parallelrag search --index "$cache/no-index" "a query" >/dev/null 2>&1 || status=$?
check "a failed run exits non-zero" test "$status" != 0
check "a failed run leaves no archive" test "$(archives search)" = 0
check "and no temporary file" test "$(find "$cache/jvm" -name '*.tmp' | wc -l | tr -d ' ')" = 0

./parallelrag --help >"$cache/help2.out" 2>&1
check "a run that reads the archive prints the same" cmp -s "$cache/help1.out" "$cache/help2.out"
./parallelrag search --help >/dev/null 2>&1
check "a command's --help uses the help archive" test "$(archives search)" = 0

# A C locale, as cron, systemd units and minimal containers give: LANG=C LC_ALL=C and no other LC_* or LANGUAGE
c_locale=(env -u LANGUAGE)
for var in $(env | sed -n 's/^\(LC_[A-Z_]*\)=.*/\1/p'); do c_locale+=(-u "$var"); done
c_locale+=(LANG=C LC_ALL=C)
"${c_locale[@]}" PARALLELRAG_JAVA_OPTS=-XshowSettings:properties ./parallelrag --version >/dev/null 2>"$cache/props.err" || true
check "under LANG=C the JVM decodes file names as UTF-8" grep -q 'sun.jnu.encoding = UTF-8' "$cache/props.err"
names="$cache/names"
mkdir -p "$names"
printf 'the aardvark digs\n' >"$names"/$'\xc3\xbcn\xc3\xaf_\xe6\x97\xa5\xe6\x9c\xac.txt'
printf 'a zeppelin floats\n' >"$names"/$'x\xff.txt'
printf 'one quokka smiles\n' >"$names"/$'x\xfe.txt'
"${c_locale[@]}" ./parallelrag ingest "$names" --index "$cache/names-index" --json --quiet >"$cache/names.json" 2>&1 || true
check "under LANG=C three names ingest as three documents" grep -q '"documents_ingested":3,' "$cache/names.json"
"${c_locale[@]}" ./parallelrag stats --index "$cache/names-index" --json >"$cache/names-stats.json" 2>&1 || true
check "and the index holds three documents" grep -q '"documents":3,' "$cache/names-stats.json"

echo "launcher: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# The launcher's start-up caches (docs/BENCHMARKS.md, "Start-up"), in a fresh per-user cache directory: a
# successful run writes its command's class-data archive, a failed one writes none, the JVM's archiving
# messages never reach stdout, and a second run reads the archive with the same output. Needs the CLI jar
# (scripts/test.sh builds it first). Prints "launcher: N passed, N failed".
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

echo "launcher: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# Test-suite wall time (docs/BENCHMARKS.md, "Test suite"): the tests of one module (default parallelrag-cli, the
# slowest) with one test JVM and with two (surefire forkCount, parallelrag.test.forks), interleaved ABAB, then each
# run's wall time, the sum of its test-class times from surefire's reports and the user+sys CPU seconds of the build
# and every JVM it started (CPU seconds hardly move with the machine's load; wall time does).
# Usage: scripts/bench-suite.sh [module [rounds]]   (default parallelrag-cli 2; idle, one CLI run takes ~6-10 min)
# The upstream modules are built (-am) but their tests are filtered out; PostgreSQL is not needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
module="${1:-parallelrag-cli}"
rounds="${2:-2}"
# the module's own test classes by name: with -am, a filter keeps the upstream modules' tests from running
tests="$(find "$module/src/test/java" -name '*Test.java' -printf '%f\n' | sed 's/\.java$//' | sort | paste -sd, -)"
out=target/bench-suite
mkdir -p "$out"
./mvnw -B -ntp -o -q -pl "$module" -am package -DskipTests
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $module"
echo "forks round wall_s class_sum_s cpu_s"
for round in $(seq 1 "$rounds"); do
  for forks in 1 2; do
    log="$out/$module-forks$forks-round$round.log"
    start=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$out/time" ./mvnw -B -ntp -o -pl "$module" -am surefire:test@default-test \
      -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false -Dparallelrag.test.forks="$forks" >"$log" 2>&1 \
      || { echo "tests failed, see $log" >&2; exit 1; }
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    sum=$(python3 - "$module" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
print(round(sum(float(ET.parse(f).getroot().get("time")) for f in glob.glob(sys.argv[1] + "/target/surefire-reports/TEST-*.xml")), 1))
PY
)
    cpu=$(awk '{print $1 + $2}' "$out/time")
    printf '%s %s %.0f %s %.0f\n' "$forks" "$round" "$wall" "$sum" "$cpu"
  done
done
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"

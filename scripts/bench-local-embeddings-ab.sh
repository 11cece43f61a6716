#!/usr/bin/env bash
# Interleaved A/B rounds for the (b) target: ours and LangChain4j untruncated (the same work) take turns on
# the same ~256-token chunks, so slow drift of a shared or virtual machine hits both sides alike. Prints one
# RESULT line per engine and round; compare the per-round ratios and their median.
# Usage: scripts/bench-local-embeddings-ab.sh [rounds] [chunks]   (defaults 3 2000)
# Build first: ./mvnw -B -q -ntp -o package -Pbench -pl parallelrag-bench -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
ROUNDS=${1:-3}
CHUNKS=${2:-2000}
J="java -Xmx768m -cp ${BENCH_JAR:-parallelrag-bench/target/benchmarks.jar} dev.parallelrag.bench.embed.LocalEmbeddingBench"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  for engine in ours lc4j-untruncated; do
    echo "round $r $($J --engine "$engine" --model full --corpus chunks --count "$CHUNKS" 2>/dev/null | grep -E '^RESULT')"
  done
done
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"

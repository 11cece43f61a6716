#!/usr/bin/env bash
# Side-by-side local embedding benchmark (docs/BENCHMARKS.md, "Local embeddings"): ours vs LangChain4j's
# embedAll on the same model files and texts, one JVM per engine so peak RSS is the engine's own.
# Usage: scripts/bench-local-embeddings.sh [chunks-count] [sentences-count]   (defaults 2000 2000)
# Build first: ./mvnw -B -q -ntp -o package -Pbench -pl parallelrag-bench -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
CHUNKS=${1:-2000}
SENTENCES=${2:-2000}
OUT=target/bench-local-embeddings
mkdir -p "$OUT"
J="java -Xmx768m -cp ${BENCH_JAR:-parallelrag-bench/target/benchmarks.jar} dev.parallelrag.bench.embed.LocalEmbeddingBench"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run() { $J "$@" 2>/dev/null | grep -E '^(RESULT|RECALL)'; }
# (b) 2,000 chunks of ~256 tokens, full model
run --engine ours --model full --corpus chunks --count "$CHUNKS" --save-vectors "$OUT"
run --engine lc4j-untruncated --model full --corpus chunks --count "$CHUNKS"
run --engine lc4j --model full --corpus chunks --count "$CHUNKS"
# (a) 2,000 real SOTU sentences, full model
run --engine ours --model full --corpus sentences --count "$SENTENCES"
run --engine lc4j --model full --corpus sentences --count "$SENTENCES"
# quantized model
run --engine ours --model q --corpus chunks --count "$CHUNKS" --save-vectors "$OUT"
run --engine lc4j-untruncated --model q --corpus chunks --count "$CHUNKS"
run --engine ours --model q --corpus sentences --count "$SENTENCES"
run --engine lc4j --model q --corpus sentences --count "$SENTENCES"
run --recall "$OUT"
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"

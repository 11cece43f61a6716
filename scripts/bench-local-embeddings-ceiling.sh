#!/usr/bin/env bash
# The machine's ceiling for this model: our engine at several batch sizes and thread splits on the same
# ~256-token chunks; the best figure is the ceiling the side-by-side run is compared with.
# Usage: scripts/bench-local-embeddings-ceiling.sh [chunks-count]   (default 96)
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
N=${1:-96}
J="java -Xmx768m -cp ${BENCH_JAR:-parallelrag-bench/target/benchmarks.jar} dev.parallelrag.bench.embed.LocalEmbeddingBench --engine ours --model full --corpus chunks --count $N --slices 2 --warmup 16"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for cfg in "--batch 1" "--threads 2 --intra 2 --batch 1" "--batch 4 --budget 2048" "--batch 8 --budget 2048" "--batch 16 --budget 4096" "--batch 32 --budget 8192" "--threads 2 --intra 2 --batch 16" "--threads 1 --intra 1 --batch 16"; do
  $J $cfg 2>&1 | grep -E "RESULT|Exception" || true
done
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"

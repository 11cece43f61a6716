#!/usr/bin/env bash
# The int8 fast path (docs/BENCHMARKS.md "int8 fast path and roofline"): the int8 and fp32 GEMM roofline probe
# (one-node ONNX graphs at the models' shapes, run by ONNX Runtime), then the quantized models' forward pass with
# our graph fusions (QAttention) and as exported, alternated in rounds, and one operator profile of each fused model.
# Usage: scripts/bench-int8.sh [ROUNDS] [TOKENS]   (defaults 3 258)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
rounds="${1:-3}"; tokens="${2:-258}"
./mvnw -B -q -ntp -o -Pbench -pl parallelrag-bench -am package -DskipTests
lib=$(mktemp -d)
cp parallelrag-bench/target/benchmarks.jar "$lib/"
J="$JAVA_HOME/bin/java -cp $lib/benchmarks.jar"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for parallel in 1 2; do
  $J dev.parallelrag.bench.embed.GemmProbe --tokens "$tokens" --parallel "$parallel" 2>/dev/null
done
for model in all-minilm-l6-v2-q bge-small-en-v1.5-q; do
  for r in $(seq 1 "$rounds"); do
    for graph in fused exported; do
      echo "round $r $model load $(cut -d' ' -f1-3 /proc/loadavg): $($J dev.parallelrag.bench.embed.OperatorProfile "$tokens" 30 "$graph" "$model" 1 2>/dev/null | grep 'ms per forward')"
    done
  done
  $J dev.parallelrag.bench.embed.OperatorProfile "$tokens" 30 fused "$model" 1 2>/dev/null | grep -v '^$'
done
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Ingest benchmark (docs/BENCHMARKS.md "## Ingest"): the whole SOTU corpus with all-MiniLM-L6-v2, ParallelRAG's
# pipeline vs LangChain4j's EmbeddingStoreIngestor, same chunk size and overlap, one JVM per run so that peak RSS
# is per run. Usage: scripts/bench-ingest.sh [CORPUS_DIR] [CHUNK_SIZE] [CHUNK_OVERLAP] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
corpus="${1:-data/sotu}"; size="${2:-1000}"; overlap="${3:-200}"; repeats="${4:-1}"
./mvnw -B -q -ntp -o -pl parallelrag-bench -am package -DskipTests >/dev/null
cp_file=$(mktemp)
./mvnw -B -q -ntp -o -pl parallelrag-bench dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="parallelrag-bench/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
for r in $(seq 1 "$repeats"); do
  for mode in parallelrag langchain4j parallelrag-lucene; do
    echo "# run $r $mode, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$cp" dev.parallelrag.bench.ingest.IngestBench \
        "$mode" "$corpus" "$size" "$overlap"
  done
done

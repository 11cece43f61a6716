#!/usr/bin/env bash
# Ingest benchmark (docs/BENCHMARKS.md "## Ingest"): the whole SOTU corpus with all-MiniLM-L6-v2, ParallelRAG's
# pipeline vs LangChain4j's EmbeddingStoreIngestor, same chunk size and overlap, one JVM per run so that peak RSS
# is per run. Usage: scripts/bench-ingest.sh [CORPUS_DIR] [CHUNK_SIZE] [CHUNK_OVERLAP] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
corpus="${1:-data/sotu}"; size="${2:-1000}"; overlap="${3:-200}"; repeats="${4:-1}"
cp_file=$(mktemp)
./mvnw -B -q -ntp -o -pl parallelrag-bench -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$cp_file" >/dev/null
# run from a private copy of the jars, so rebuilding the tree during a long run cannot change the classes
lib=$(mktemp -d)
cp parallelrag-bench/target/parallelrag-bench-*.jar "$lib/"
tr ':' '\n' <"$cp_file" | while read -r jar; do [ -n "$jar" ] && cp "$jar" "$lib/"; done
rm -f "$cp_file"
cp="$lib/*"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
for r in $(seq 1 "$repeats"); do
  for mode in parallelrag langchain4j parallelrag-lucene; do
    echo "# run $r $mode, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$cp" dev.parallelrag.bench.ingest.IngestBench \
        "$mode" "$corpus" "$size" "$overlap"
  done
done

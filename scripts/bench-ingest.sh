#!/usr/bin/env bash
# Ingest benchmark (docs/BENCHMARKS.md "## Ingest"): the whole SOTU corpus with all-MiniLM-L6-v2 (fp32, int8), ParallelRAG's
# pipeline vs LangChain4j's EmbeddingStoreIngestor, same chunk size and overlap, one JVM per run so that peak RSS
# is per run. Usage: scripts/bench-ingest.sh [CORPUS_DIR] [CHUNK_SIZE] [CHUNK_OVERLAP] [REPEATS] [FIRST_N_FILES] [MODES]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
corpus="${1:-data/sotu}"; size="${2:-1000}"; overlap="${3:-200}"; repeats="${4:-1}"; first="${5:-0}"
modes="${6:-parallelrag parallelrag-int8 langchain4j langchain4j-untruncated}"
./mvnw -B -q -ntp -o -Pbench -pl parallelrag-bench -am package -DskipTests
# run from a private copy of the jar, so rebuilding the tree during a long run cannot change the classes
lib=$(mktemp -d)
cp parallelrag-bench/target/benchmarks.jar "$lib/"
cp="$lib/benchmarks.jar"
if [ "$first" -gt 0 ]; then # a subset: the first N files in name order
  subset="$lib/corpus"; mkdir -p "$subset"
  ls "$corpus" | sort | head -n "$first" | while read -r f; do cp "$corpus/$f" "$subset/"; done
  echo "# corpus: first $first files of $corpus, $(du -sb "$subset" | cut -f1) bytes"
  corpus="$subset"
fi
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
for r in $(seq 1 "$repeats"); do
  for mode in $modes; do
    echo "# run $r $mode, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$cp" dev.parallelrag.bench.ingest.IngestBench \
        "$mode" "$corpus" "$size" "$overlap"
  done
done

#!/usr/bin/env bash
# pgvector benchmarks (docs/BENCHMARKS.md "## pgvector"), on the private cluster of scripts/pg-cluster.sh (started
# if it is not running, left running after):
#   write: PgVectorStore.upsert (COPY + INSERT ... ON CONFLICT) against LangChain4j's PgVectorEmbeddingStore.addAll,
#          the same seeded rows and batch size, interleaved rounds (bench.store.PgWriteBench)
#   query: latency and recall@10 of HNSW at each ef_search against exact search, unfiltered and filtered to 1 %
#          of rows (bench.store.PgQueryBench)
# Usage: scripts/bench-pg.sh [write|query|all] [ROWS] [ROUNDS] [BATCH] [QUERIES] [EF_SEARCH,...] [WRITE_SIDES]
#   defaults: all 100000 3 1000 200 40,200 langchain4j,ours-deferred
#   a side "ours" (HNSW index present during the load) is slow on a big load: run it apart, e.g.
#   scripts/bench-pg.sh write 20000 1 1000 0 0 langchain4j,ours
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
what="${1:-all}"; rows="${2:-100000}"; rounds="${3:-3}"; batch="${4:-1000}"; queries="${5:-200}"
efs="${6:-40,200}"; sides="${7:-langchain4j,ours-deferred}"
url="$(scripts/pg-cluster.sh url 2>/dev/null || scripts/pg-cluster.sh start | sed -n 's/^PARALLELRAG_PG_URL=//p')"
./mvnw -B -q -ntp -o -Pbench -pl parallelrag-bench -am package -DskipTests
# run from a private copy of the jar, so rebuilding the tree during a long run cannot change the classes
lib=$(mktemp -d)
trap 'rm -rf "$lib"' EXIT
cp parallelrag-bench/target/benchmarks.jar "$lib/"
java=("$JAVA_HOME/bin/java" -Xmx4g -cp "$lib/benchmarks.jar")
pgbin=/usr/lib/postgresql/15/bin
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)," \
  "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $("$pgbin/postgres" --version)," \
  "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" /usr/share/postgresql/15/extension/vector.control)"
echo "# cluster: $url (scripts/pg-cluster.sh: fsync=off, the server's other settings at their defaults)"
echo "# load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $what == write || $what == all ]]; then
  "${java[@]}" dev.parallelrag.bench.store.PgWriteBench "$url" "$rows" "$batch" "$rounds" "$sides" 2> >(grep -v SLF4J >&2)
fi
if [[ $what == query || $what == all ]]; then
  "${java[@]}" dev.parallelrag.bench.store.PgQueryBench "$url" "$rows" "$queries" "$efs" 2> >(grep -v SLF4J >&2)
fi

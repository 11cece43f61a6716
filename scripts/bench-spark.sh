#!/usr/bin/env bash
# Spark scaling (docs/BENCHMARKS.md, "Spark ingest"): the same corpus ingested into pgvector by the single-process
# `ingest --store pgvector`, by `spark-ingest --master local[1]` and by `spark-ingest --master local[2]`, in
# interleaved rounds (the order rotates every round: ABC, BCA, CAB), each into a fresh table with no embedding cache.
# Prints every run (wall time and chunks/s as the command's JSON summary reports them, and the load average), then
# the median and spread per side, the ratios, and the extrapolation to 1,000,000 documents from the per-core rate.
#
#   scripts/bench-spark.sh [--files N] [--rounds R] [--chunk-size C]
#
# Defaults: the first 6 State of the Union addresses of data/sotu (about 330 chunks of 1000 code points), 3 rounds.
# Uses $PARALLELRAG_PG_URL, or starts the private cluster of scripts/pg-cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
files=6 rounds=3 chunk_size=1000
while [ $# -gt 0 ]; do
    case "$1" in
        --files) files="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --chunk-size) chunk_size="$2"; shift 2 ;;
        *) echo "usage: scripts/bench-spark.sh [--files N] [--rounds R] [--chunk-size C]" >&2; exit 2 ;;
    esac
done
if [ -z "${PARALLELRAG_PG_URL:-}" ]; then
    export "$(scripts/pg-cluster.sh start)"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
ls data/sotu/*.txt | sort | head -n "$files" | xargs -I{} cp {} "$work/corpus/"
export PARALLELRAG_CACHE_DIR="$work/cache" # no embedding cache shared with earlier runs

drop() { # drop TABLE: the chunk table and its companions (psql takes the JDBC URL without its jdbc: prefix)
    psql -q "${PARALLELRAG_PG_URL#jdbc:}" -v ON_ERROR_STOP=1 -c "set client_min_messages = warning" -c "drop table if exists $1, $1_info, $1_meta, $1_failures" >/dev/null
}
run_side() { # run_side SIDE TABLE: prints "wall_ms chunks_added"
    local out
    case "$1" in
        single) out=$(./parallelrag ingest "$work/corpus" "${single_store[@]}" --no-embedding-cache --quiet --json \
                          --chunk-size "$chunk_size" 2>"$work/err") ;;
        local1) out=$(./parallelrag spark-ingest "$work/corpus" --master 'local[1]' --pg-table "$2" --json \
                          --chunk-size "$chunk_size" 2>"$work/err") ;;
        local2) out=$(./parallelrag spark-ingest "$work/corpus" --master 'local[2]' --pg-table "$2" --json \
                          --chunk-size "$chunk_size" 2>"$work/err") ;;
    esac || { cat "$work/err" >&2; exit 1; }
    python3 -c 'import json,sys; s=json.loads(sys.stdin.read().strip().splitlines()[-1]); print(s["wall_ms"], s["chunks_added"], s["files"])' <<<"$out"
}

source scripts/java-home.sh
./parallelrag --version >/dev/null                       # builds the CLI before the first timed run
./parallelrag spark-ingest --help >/dev/null             # and the Spark job
# the single-process side writes to pgvector too when the CLI has --store pgvector; until then to a Lucene index,
# which the summary line names (embedding dominates either way: the write stage is a few percent of the busy time)
if ./parallelrag ingest --help 2>/dev/null | grep -q -- '--pg-url'; then
    single_store=(--store pgvector --pg-table bench_spark_single_$$)
    single_label="ingest --store pgvector"
else
    single_store=(--index "$work/index")
    single_label="ingest into Lucene (this CLI has no --store pgvector yet)"
fi
sides=(single local1 local2)
results="$work/results"
echo "corpus: $files files of data/sotu, chunk size $chunk_size; $(nproc) cores; $(uname -srm); single: $single_label"
for ((r = 1; r <= rounds; r++)); do
    for ((i = 0; i < 3; i++)); do
        side=${sides[$(((i + r - 1) % 3))]}
        table="bench_spark_${side}_$$_$r"
        drop "$table"; drop "bench_spark_single_$$"; rm -rf "$work/index"
        load=$(uptime | sed 's/.*load average: //')
        read -r wall chunks nfiles < <(run_side "$side" "$table")
        drop "$table"
        rate=$(python3 -c "print(f'{$chunks / ($wall / 1000):.2f}')")
        echo "round $r $side: $wall ms wall, $chunks chunks, $rate chunks/s (load before: $load)"
        echo "$side $wall $chunks $nfiles" >>"$results"
    done
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
rate = {}
for side, wall, chunks, nfiles in rows:
    rate.setdefault(side, []).append(int(chunks) / (int(wall) / 1000))
chunks_per_doc = int(rows[0][2]) / int(rows[0][3])
for side in ("single", "local1", "local2"):
    r = rate[side]
    print(f"{side}: median {statistics.median(r):.2f} chunks/s, spread {min(r):.2f}-{max(r):.2f} over {len(r)} runs")
m = {s: statistics.median(v) for s, v in rate.items()}
print(f"local[2] / local[1]: {m['local2'] / m['local1']:.2f}x; local[2] / single-process: {m['local2'] / m['single']:.2f}x;"
      f" local[1] / single-process: {m['local1'] / m['single']:.2f}x")
per_core = m["local1"]
efficiency = m["local2"] / (2 * m["local1"])
total = 1_000_000 * chunks_per_doc
print(f"extrapolation: {chunks_per_doc:.0f} chunks per document -> {total:,.0f} chunks for 1,000,000 documents;"
      f" at {per_core:.2f} chunks/s per core and {efficiency:.0%} efficiency per added core:")
for cores in (16, 64, 256, 1024):
    hours = total / (per_core * cores * min(1.0, efficiency)) / 3600
    print(f"  {cores:5d} cores: {hours:8.1f} h")
print(f"  cores for 24 h: {total / (per_core * min(1.0, efficiency) * 24 * 3600):,.0f}")
PY

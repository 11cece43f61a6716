#!/usr/bin/env bash
# FAQ retrieval benchmark (docs/BENCHMARKS.md, "FAQ retrieval benchmark"): fetches the Debian packages recorded in
# data/faq/sources.json, rebuilds the set (the committed part must come out identical) and the distractors,
# then ingests everything with the engine and scores vector, keyword and hybrid search on the dev and test halves.
# Usage: scripts/bench-faq.sh [model ...]   (default all-minilm-l6-v2; e.g. all-minilm-l6-v2 all-minilm-l6-v2-q)
# Build first: ./mvnw -B -q -ntp -o package -Pbench -pl parallelrag-bench -am -DskipTests
# Extra FaqBench options go in FAQ_OPTS: --chunk-size 500 --chunk-overlap 100, --keyword-weights 0.25,0.5,1,2 (the
# fusion sweep, chosen on the dev half), --answers true (the extractive and testkit-LLM answer reports).
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
OUT=target/bench-faq
mkdir -p "$OUT/debs"
python3 - "$OUT/debs" <<'PY'
import json, subprocess, sys, os
for d in json.load(open("data/faq/sources.json"))["debs"]:
    if not os.path.exists(os.path.join(sys.argv[1], d["file"])):
        subprocess.run(["apt-get", "download", f"{d['package']}={d['version']}"], cwd=sys.argv[1], check=True)
PY
python3 scripts/build-faq-bench.py --debs "$OUT/debs" --out data/faq --distractors "$OUT/distractors"
git diff --exit-code --stat -- data/faq || { echo "data/faq did not rebuild identically" >&2; exit 1; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for model in "${@:-all-minilm-l6-v2}"; do
  java -Xmx2g -cp "${BENCH_JAR:-parallelrag-bench/target/benchmarks.jar}" dev.parallelrag.bench.faq.FaqBench \
    --data data/faq --distractors "$OUT/distractors" --index "$OUT/index-$model" --model "$model" ${FAQ_OPTS:-} 2>"$OUT/faqbench-$model.log" \
    || { echo "FaqBench failed for $model, see $OUT/faqbench-$model.log" >&2; exit 1; }
done
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"

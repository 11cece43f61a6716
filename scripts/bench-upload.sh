#!/usr/bin/env bash
# Upload benchmark (docs/BENCHMARKS.md "Upload: time to 202"): the time from sending POST /v1/documents with N files
# of 2-4 KB in one multipart body to its 202, against a real `parallelrag serve` on loopback (scripts/BenchUpload.java).
#
#   scripts/bench-upload.sh [ROUNDS] [COUNTS] [WARMUP]      e.g. scripts/bench-upload.sh 15 1,200,1000 3
#
# It builds the CLI jar of this worktree, makes a small index (two State of the Union addresses) in a temporary
# directory and serves it. With BASELINE_JAR=/path/to/other/parallelrag.jar it also serves a copy of that index with
# that jar and times both in interleaved rounds (A/B). Every round is printed, then median, min, max and p90.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
rounds=${1:-15}; counts=${2:-1,200,1000}; warmup=${3:-3}
./parallelrag --version >/dev/null # builds the CLI jar when sources changed
work=$(mktemp -d)
cp parallelrag-cli/target/parallelrag.jar "$work/new.jar"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
key="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
    if [ -n "${BENCH_LOGS:-}" ]; then mkdir -p "$BENCH_LOGS"; cp "$work"/*.log "$BENCH_LOGS/"; fi # the servers' logs
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# serve JAR INDEX PORT: starts the server and waits until /health/ready is 200
serve() {
    local jar=$1 index=$2 port=$3
    PARALLELRAG_API_KEYS=$key "${java[@]}" -Xmx${SERVER_HEAP:-1g} ${SERVER_JAVA_OPTS:-} -jar "$jar" serve \
        --index "$index" --port "$port" >"$index.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 1 600); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; then return 0; fi
        kill -0 "$pid" 2>/dev/null || { cat "$index.log"; exit 1; }
        sleep 0.5
    done
    echo "server not ready after 300 s" >&2; cat "$index.log"; exit 1
}

mkdir -p "$work/seed"
cp data/sotu/1790_george_washington_n.txt data/sotu/1791_george_washington_n.txt "$work/seed/"
"${java[@]}" -jar "$work/new.jar" ingest "$work/seed" --index "$work/index-new" >/dev/null
servers=()
port=$(free_port); serve "$work/new.jar" "$work/index-new" "$port"; servers+=("new=http://127.0.0.1:$port")
if [ -n "${BASELINE_JAR:-}" ]; then
    cp "$BASELINE_JAR" "$work/old.jar"
    cp -r "$work/index-new" "$work/index-old"
    port=$(free_port); serve "$work/old.jar" "$work/index-old" "$port"; servers=("old=http://127.0.0.1:$port" "${servers[@]}")
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr);" \
     "JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" scripts/BenchUpload.java "$key" "$counts" "$rounds" "$warmup" data/sotu "${servers[@]}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Server load benchmark (docs/BENCHMARKS.md "## Server"). It starts `parallelrag serve` from a private copy of the
# CLI jar on a free loopback port, with one API key, and stop it at the end. BENCH_JAR=FILE uses that CLI jar instead
# of building this worktree's.
#
#   scripts/bench-server.sh search INDEX [ROUNDS] [SECONDS] [MODE]
#       wrk against POST /v1/search at concurrency 1, 16 and 64 (SECONDS each, default 20), interleaved in ROUNDS
#       (default 3) with `./parallelrag search` run as one CLI process per query (5 per round). Every round is printed.
#   scripts/bench-server.sh sse INDEX [WAVES] [STREAMS] [DELAY_MS] [TOKENS]
#       WAVES (default 5) waves of STREAMS (default 500) concurrent streamed /v1/chat/completions, the server's LLM
#       being the testkit fake (`parallelrag testkit`) streaming TOKENS (default 20) events DELAY_MS (default 200)
#       apart; every stream is checked to [DONE] (dev.parallelrag.bench.server.SseLoad), the server's heap and threads
#       sampled after a full GC between waves.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
what=${1:?usage: bench-server.sh search|sse INDEX ...}
index=${2:?an index directory, e.g. one built by ./parallelrag ingest data/sotu --index DIR}
lib=$(mktemp -d)
if [ -n "${BENCH_JAR:-}" ]; then # a CLI jar built elsewhere, e.g. of another commit
    cp "$BENCH_JAR" "$lib/parallelrag.jar"
else
    ./parallelrag --version >/dev/null # builds the CLI jar when sources changed
    cp parallelrag-cli/target/parallelrag.jar "$lib/"
fi
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
key="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$lib"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# serve PORT [extra serve options...]: starts the server and waits until /health/ready is 200
serve() {
    local port=$1; shift
    PARALLELRAG_API_KEYS=$key "${java[@]}" -Xmx${SERVER_HEAP:-2g} -jar "$lib/parallelrag.jar" serve --index "$index" \
        --port "$port" "$@" >"$lib/serve.log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    for _ in $(seq 1 600); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; then return 0; fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$lib/serve.log"; exit 1; }
        sleep 0.5
    done
    echo "server not ready after 300 s" >&2; cat "$lib/serve.log"; exit 1
}

queries=("slave trade" "the national debt" "war with Mexico" "tariff on imports" "civil service reform"
         "railroads to the Pacific" "income tax" "the League of Nations" "social security" "nuclear weapons")

case "$what" in
search)
    rounds=${3:-3}; seconds=${4:-20}; mode=${5:-hybrid}
    port=$(free_port)
    serve "$port"
    lua="$lib/search.lua"
    {
        echo 'local queries = {'
        for q in "${queries[@]}"; do echo "  '{\"query\":\"$q\",\"k\":5,\"mode\":\"$mode\"}',"; done
        echo '}'
        echo 'local i = 0'
        echo "wrk.method = 'POST'"
        echo "wrk.headers['Content-Type'] = 'application/json'"
        echo "wrk.headers['Authorization'] = 'Bearer $key'"
        echo 'request = function() i = i % #queries + 1; return wrk.format(nil, nil, nil, queries[i]) end'
        echo 'done = function(summary, latency, requests)'
        echo '  io.write(string.format("WRK %d requests, %d errors (connect %d read %d write %d timeout %d status %d)\n",'
        echo '    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write'
        echo '    + summary.errors.timeout + summary.errors.status, summary.errors.connect, summary.errors.read,'
        echo '    summary.errors.write, summary.errors.timeout, summary.errors.status))'
        echo 'end'
    } >"$lua"
    url="http://127.0.0.1:$port/v1/search"
    # every status other than 200 counts as an error (summary.errors.status); --timeout 30s so that a slow answer is
    # measured, not counted as a socket timeout at wrk's default of 2 s
    echo "warm-up: 10 s at concurrency 16"
    wrk -t2 -c16 -d10s -s "$lua" "$url" >/dev/null
    echo "index: $index; mode $mode; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)"
    "${java[@]}" -jar "$lib/parallelrag.jar" stats --index "$index" | head -5
    for r in $(seq 1 "$rounds"); do
        for c in 1 16 64; do
            t=$(( c < 2 ? 1 : 2 ))
            out=$(wrk -t"$t" -c"$c" -d"${seconds}s" --timeout 30s --latency -s "$lua" "$url")
            rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
            p50=$(awk '$1=="50%" {print $2}' <<<"$out")
            p99=$(awk '$1=="99%" {print $2}' <<<"$out")
            errs=$(awk '/^WRK/ {print $4}' <<<"$out")
            echo "RESULT round $r server c=$c: $rps req/s, p50 $p50, p99 $p99, errors $errs; load $(cut -d' ' -f1-3 /proc/loadavg)"
        done
        times=()
        for q in "${queries[@]:0:5}"; do
            s=$(date +%s%N)
            "${java[@]}" -jar "$lib/parallelrag.jar" search --index "$index" --mode "$mode" "$q" >/dev/null
            times+=($(( ($(date +%s%N) - s) / 1000000 )))
        done
        sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
        echo "RESULT round $r cli search process: per query ms ${sorted}(median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) ms); load $(cut -d' ' -f1-3 /proc/loadavg)"
    done
    ;;
sse)
    waves=${3:-5}; streams=${4:-500}; delay=${5:-200}; tokens=${6:-20}
    ./mvnw -B -q -ntp -o -Pbench -pl parallelrag-bench -am package -DskipTests
    cp parallelrag-bench/target/benchmarks.jar "$lib/"
    llm_port=$(free_port)
    # the fake echoes the RAG prompt (~1,000 tokens): --max-answer-tokens keeps a stream to TOKENS events
    "${java[@]}" -jar "$lib/parallelrag.jar" testkit --port "$llm_port" --stream-chunk-delay-ms "$delay" \
        --max-answer-tokens "$tokens" >"$lib/testkit.log" 2>&1 &
    pids+=($!)
    sleep 3
    port=$(free_port)
    OPENAI_BASE_URL="http://127.0.0.1:$llm_port/v1" OPENAI_API_KEY=test-key serve "$port" --llm openai
    echo "index: $index; fake LLM: $tokens events ${delay} ms apart; machine: $(nproc) cores, \
$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); load $(cut -d' ' -f1-3 /proc/loadavg)"
    "$JAVA_HOME/bin/java" -Xmx1g -cp "$lib/benchmarks.jar" dev.parallelrag.bench.server.SseLoad \
        --url "http://127.0.0.1:$port" --key "$key" --pid "$server_pid" --streams "$streams" --waves "$waves"
    ;;
*) echo "usage: bench-server.sh search|sse INDEX ..." >&2; exit 2 ;;
esac

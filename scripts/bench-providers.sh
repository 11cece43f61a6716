#!/usr/bin/env bash
# Provider-call benchmark (docs/BENCHMARKS.md "## Providers"): LlmClient against the loopback testkit with 200 ms
# simulated latency. Usage: scripts/bench-providers.sh parallel [REPEATS] [SEQ_SAMPLE]
#                           scripts/bench-providers.sh ratelimit [N] [CLIENT_RPM]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
./mvnw -B -q -ntp -o -Pbench -pl parallelrag-bench -am package -DskipTests
# run from a private copy of the jar, so rebuilding the tree during a long run cannot change the classes
lib=$(mktemp -d)
cp parallelrag-bench/target/benchmarks.jar "$lib/"
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$lib/benchmarks.jar" dev.parallelrag.bench.providers.ProviderBench "$@"

#!/usr/bin/env bash
# The project's test command: the whole build and test suite on a JDK >= 21, then the library as a consumer
# sees it: the artifacts installed and examples/java (the README's "Use it from Java" program) built against
# them and run by its own test.
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh

# The consumer's local repository is a fresh one inside target/, read-through to the usual one for the
# third-party artifacts: this run's ParallelRAG artifacts are the only ones the example can resolve, and the
# shared ~/.m2 (which other checkouts on the machine may use) is never written.
offline=()
for arg in "$@"; do
  case "$arg" in -o|--offline) offline=(-o) ;; esac
done
user_repo="${MAVEN_USER_REPO:-$HOME/.m2/repository}"
example_repo="$PWD/target/example-repo"
rm -rf "$example_repo"
repo=(-Dmaven.repo.local="$example_repo" -Dmaven.repo.local.tail="$user_repo")

# The example's test and the CLI runs below keep their per-user cache (fused model, embedding cache, launcher
# archives) in target/ too, never in the cache of whoever runs the tests
export PARALLELRAG_CACHE_DIR="$PWD/target/parallelrag-cache"

# One pass builds, tests and installs: a second "install -DskipTests" would package every module (and shade the
# CLI's jar) again
echo "Building and testing everything, installing the artifacts into $example_repo"
./mvnw -B -ntp "${repo[@]}" install "$@"
echo "Building examples/java against the installed artifacts"
./mvnw -B -ntp "${offline[@]}" "${repo[@]}" -f examples/java/pom.xml verify

# The index the example program built is the CLI's too: ask and search answer from it with no flag but --index
index=examples/java/target/quickstart-run/.parallelrag
expect() { # expect TEXT COMMAND...: run the command, fail unless its output holds TEXT
  local want="$1"; shift
  local out
  out="$("$@" 2>&1)" || { echo "$out"; echo "FAILED: $*"; exit 1; }
  grep -qF -- "$want" <<<"$out" || { echo "$out"; echo "FAILED: $* printed no '$want'"; exit 1; }
  echo "ok: $*"
}
expect "[1] sample/1861_abraham_lincoln_r.txt" ./parallelrag ask --index "$index" "What did Lincoln say about the slave trade?"
expect "1. sample/1861_abraham_lincoln_r.txt" ./parallelrag search --index "$index" "slave trade"

# The API documentation builds (a broken {@link} or malformed HTML in a doc comment fails it)
./mvnw -B -ntp -q "${offline[@]}" javadoc:aggregate
echo "Javadoc: target/reports/apidocs/index.html"

# The launcher's start-up caches, on the jar this run built
scripts/test-launcher.sh

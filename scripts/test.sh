#!/usr/bin/env bash
# The project's test command: the whole build and test suite on a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/java-home.sh
exec ./mvnw -B -ntp verify "$@"

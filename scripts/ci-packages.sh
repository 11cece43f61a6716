#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing, so a second run does nothing.
#   chromium, chromium-driver: the web page's browser test (parallelrag-server, WebPageBrowserTest) drives the
#   distribution's headless Chromium through its chromedriver; no browser is ever downloaded by the build.
#   (with its recommended packages: fonts-liberation gives the screenshots their text font)
#   prometheus: its promtool checks the alert rules and a /metrics scrape (.ci/run, AlertRulesTest, MetricsEndpointTest)
#   postgresql-15, postgresql-server-dev-15, dpkg-dev, gcc, make: the private PostgreSQL cluster of the pgvector
#   tests and the build of pgvector from Debian's source package (scripts/pg-cluster.sh, scripts/pgvector-build.sh)
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || need+=(postgresql-15)
[[ -f /usr/include/postgresql/15/server/postgres.h ]] || need+=(postgresql-server-dev-15)
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v make >/dev/null 2>&1 || need+=(make)
if ((${#need[@]} == 0)); then
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "ci-packages: need root or sudo to install ${need[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "ci-packages: installing ${need[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need[@]}"

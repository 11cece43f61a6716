#!/usr/bin/env bash
# Builds and installs the pgvector extension into the machine's PostgreSQL 15, from Debian's own `pgvector`
# source package: Debian 12 ships PostgreSQL 15 but no pgvector, while trixie's source package carries 0.8.x.
# The source comes through `apt-get source` with a private apt configuration (its own sources.list, lists,
# cache and status under the build directory), so the system's apt configuration is never read or changed.
# Its archives are checked against pinned sha256 sums before anything is built (the pins stand in for the
# .dsc signature, whose maintainer key is not in the keyrings of a Debian 12 machine).
# Idempotent: when PostgreSQL 15 already has the extension at this version, it does nothing.
#   usage: scripts/pgvector-build.sh [BUILD_DIR]   (default: target/pgvector-build)
set -euo pipefail
cd "$(dirname "$0")/.."

PGVECTOR_VERSION=0.8.0
PGVECTOR_DEBIAN_VERSION=0.8.0-1
SUITE=trixie
# sha256 of the source package's files, as fetched from the Debian archive
declare -A SHA256=(
  [pgvector_0.8.0-1.dsc]=a71780bf7ab9901094a3d9869c489b6e2bcb858a8c14a5fa52d159933e016308
  [pgvector_0.8.0.orig.tar.gz]=867a2c328d4928a5a9d6f052cd3bc78c7d60228a9b914ad32aa3db88e9de27b0
  [pgvector_0.8.0-1.debian.tar.xz]=6cb10bfdee32a093f0711a53d61f63657514d60058ff76a44ae2a4434f9c7ee5
)
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
[[ -x $PG_CONFIG ]] || PG_CONFIG=/usr/bin/pg_config
build="${1:-$PWD/target/pgvector-build}"

control="$("$PG_CONFIG" --sharedir)/extension/vector.control"
library="$("$PG_CONFIG" --pkglibdir)/vector.so"
if [[ -f $control && -f $library ]] && grep -q "^default_version = '$PGVECTOR_VERSION'" "$control"; then
  echo "pgvector-build: pgvector $PGVECTOR_VERSION is already installed in $("$PG_CONFIG" --version)"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "pgvector-build: need root or sudo to install into $library" >&2; exit 1; }
  sudo=(sudo)
fi

apt_dir="$build/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$build/src"
cat >"$apt_dir/sources.list" <<SOURCES
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main
SOURCES
touch "$apt_dir/status"
apt_private=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Dir::State::status=$apt_dir/status"
  -o APT::Sandbox::User=root -o Debug::NoLocking=1
)
echo "pgvector-build: fetching Debian's pgvector $PGVECTOR_DEBIAN_VERSION source package ($SUITE) into $build/src"
apt-get -qq "${apt_private[@]}" update
rm -rf "$build/src"/*
(cd "$build/src" && apt-get -qq "${apt_private[@]}" source --download-only "pgvector=$PGVECTOR_DEBIAN_VERSION")
for file in "${!SHA256[@]}"; do
  echo "${SHA256[$file]}  $build/src/$file"
done | sha256sum --check --quiet || { echo "pgvector-build: sha256 mismatch in the pgvector source package" >&2; exit 1; }
(cd "$build/src" && dpkg-source -x "pgvector_$PGVECTOR_DEBIAN_VERSION.dsc" "pgvector" >"$build/dpkg-source.log" 2>&1) \
  || { cat "$build/dpkg-source.log"; echo "pgvector-build: dpkg-source failed" >&2; exit 1; }

# OPTFLAGS="": no -march=native, so the library runs on any x86-64 machine the cluster may move to
echo "pgvector-build: building against $("$PG_CONFIG" --version)"
make -s -C "$build/src/pgvector" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" -j"$(nproc)" >"$build/make.log" 2>&1 \
  || { tail -30 "$build/make.log"; echo "pgvector-build: make failed (log: $build/make.log)" >&2; exit 1; }
"${sudo[@]}" make -s -C "$build/src/pgvector" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" install >>"$build/make.log" 2>&1 \
  || { tail -30 "$build/make.log"; echo "pgvector-build: make install failed" >&2; exit 1; }
echo "pgvector-build: installed pgvector $PGVECTOR_VERSION into $("$PG_CONFIG" --pkglibdir)"

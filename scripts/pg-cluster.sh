#!/usr/bin/env bash
# A private PostgreSQL 15 cluster with pgvector for the tests: its own data directory, loopback only, its own
# port and socket directory, so it never meets the machine's own clusters (nor another checkout's).
#   scripts/pg-cluster.sh start   installs what is missing (PostgreSQL 15, pgvector), initdb's the cluster if
#                                 new, starts it, creates the database and the extension, and prints
#                                 PARALLELRAG_PG_URL=jdbc:postgresql://... (also written to target/pg/url)
#   scripts/pg-cluster.sh stop    stops the cluster (a fast shutdown; the data directory stays for the next start)
#   scripts/pg-cluster.sh url     prints the URL of the running cluster
# PostgreSQL refuses to run as root: as root, the cluster belongs to and runs as the `postgres` user.
# The data directory lives under /tmp (PARALLELRAG_PG_DIR overrides), since a checkout inside a root-only
# directory is not reachable by that user.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
bin=/usr/lib/postgresql/15/bin
state="$repo/target/pg"
db=parallelrag
user=parallelrag
password_user=parallelrag_password # its password is its name: a throw-away cluster on loopback
data="${PARALLELRAG_PG_DIR:-/tmp/parallelrag-pg-$(id -u)-$(printf '%s' "$repo" | cksum | cut -d' ' -f1)}"

as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  as_owner=(runuser -u postgres --)
fi
# from /, which the cluster's owner can always enter (a checkout may sit in a directory only root can)
pg() { (cd / && "${as_owner[@]}" "$@"); }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

url_of() { echo "jdbc:postgresql://127.0.0.1:$1/$db?user=$user"; }

start() {
  scripts/ci-packages.sh >&2
  scripts/pgvector-build.sh "$repo/target/pgvector-build" >&2
  mkdir -p "$state"
  if [[ ! -f $data/db/PG_VERSION ]]; then
    rm -rf "$data"
    mkdir -p "$data"
    chmod 700 "$data"
    [[ ${#as_owner[@]} -eq 0 ]] || chown postgres: "$data"
    # trust on loopback only: a throw-away cluster that listens on 127.0.0.1 and a private socket directory
    pg "$bin/initdb" -D "$data/db" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 \
      || { cat "$state/initdb.log"; echo "pg-cluster: initdb failed" >&2; exit 1; }
    pg mkdir -p "$data/sock"
  fi
  if pg "$bin/pg_ctl" -D "$data/db" status >/dev/null 2>&1; then
    port="$(cat "$data/port")"
  else
    port="${PARALLELRAG_PG_PORT:-55432}"
    while port_in_use "$port"; do port=$((port + 1)); done
    pg sh -c "echo $port > '$data/port'"
    pg "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data/sock -c max_connections=100 -c fsync=off" start >/dev/null \
      || { cat "$data/server.log"; echo "pg-cluster: the server did not start" >&2; exit 1; }
  fi
  psql=(pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt)
  # one role that must log in with its password (the others are trusted), so that the tests see a refused login
  hba="$data/db/pg_hba.conf"
  if ! pg grep -q "^host all $password_user " "$hba"; then
    pg sh -c "{ echo 'host all $password_user 127.0.0.1/32 scram-sha-256'; cat '$hba'; } > '$hba.new' && mv '$hba.new' '$hba'"
    "${psql[@]}" -d postgres -c "select pg_reload_conf()" >/dev/null
  fi
  if [[ -z $("${psql[@]}" -d postgres -c "select 1 from pg_roles where rolname = '$password_user'") ]]; then
    "${psql[@]}" -d postgres -c "create role $password_user login password '$password_user'"
  fi
  if [[ -z $("${psql[@]}" -d postgres -c "select 1 from pg_roles where rolname = '$user'") ]]; then
    "${psql[@]}" -d postgres -c "create role $user login"
  fi
  if [[ -z $("${psql[@]}" -d postgres -c "select 1 from pg_database where datname = '$db'") ]]; then
    "${psql[@]}" -d postgres -c "create database $db owner $user"
  fi
  "${psql[@]}" -d "$db" -c "set client_min_messages = warning" -c "create extension if not exists vector"
  "${psql[@]}" -d "$db" -c "grant create on schema public to $password_user"
  echo "pg-cluster: PostgreSQL $("${psql[@]}" -d "$db" -c 'show server_version') with pgvector" \
    "$("${psql[@]}" -d "$db" -c "select extversion from pg_extension where extname = 'vector'")" \
    "on 127.0.0.1:$port (data: $data)" >&2
  url_of "$port" >"$state/url"
  echo "PARALLELRAG_PG_URL=$(url_of "$port")"
}

stop() {
  if [[ -f $data/db/PG_VERSION ]] && pg "$bin/pg_ctl" -D "$data/db" status >/dev/null 2>&1; then
    pg "$bin/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null
    echo "pg-cluster: stopped the cluster in $data" >&2
  fi
  rm -f "$state/url"
}

url() {
  pg "$bin/pg_ctl" -D "$data/db" status >/dev/null 2>&1 || { echo "pg-cluster: not running (scripts/pg-cluster.sh start)" >&2; exit 1; }
  url_of "$(cat "$data/port")"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: scripts/pg-cluster.sh start|stop|url" >&2; exit 2 ;;
esac

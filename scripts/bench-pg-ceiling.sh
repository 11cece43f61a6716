#!/usr/bin/env bash
# Where the time of a pgvector bulk write goes (docs/BENCHMARKS.md "Bulk write, rows/s"), measured with psql on rows
# a `scripts/bench-pg.sh write` run left in its table bench_write_ours: the same ROWS rows (default 5000) written out
# once with binary COPY, then timed, each step ROUNDS times (default 3), into fresh tables:
#   copy-bare     COPY (FORMAT binary) into a table of the staging columns (what PgVectorStore's COPY step costs)
#   insert-bare   INSERT ... SELECT into a table of the same columns, primary key only
#   insert-tsv    the same plus the stored generated english tsvector
#   insert-store  the store's table without HNSW: tsvector, its GIN, GIN on metadata, btree on document_id
# Usage: scripts/bench-pg-ceiling.sh [ROWS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-5000}"; rounds="${2:-3}"
url="$(scripts/pg-cluster.sh url)"
hostport="${url#jdbc:postgresql://}"; hostport="${hostport%%/*}"
db="${url##*/}"; db="${db%%\?*}"; user="${url##*user=}"
export PGOPTIONS="-c client_min_messages=warning"
psql=(/usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 -h "${hostport%:*}" -p "${hostport#*:}" -U "$user" "$db")
dump=$(mktemp)
trap 'rm -f "$dump"' EXIT
cols="id, document_id, source, start_offset, end_offset, content, content_hash, model_id, metadata, embedding"
bare="id text primary key, document_id text not null, source text not null, start_offset integer not null,
  end_offset integer not null, content text not null, content_hash text not null, model_id text not null,
  metadata jsonb not null, embedding vector(384) not null"
tsv="content_tsv tsvector generated always as (to_tsvector('english'::regconfig, content)) stored"
"${psql[@]}" -c "\\copy (select $cols from bench_write_ours order by id limit $rows) to '$dump' (format binary)"
echo "# $rows rows of bench_write_ours, $(stat -c %s "$dump") bytes in binary COPY form; load $(cut -d' ' -f1-3 /proc/loadavg)"
timed() { # name, setup script, timed script (a psql session each; the clock includes its connection, ~10 ms)
  local t0 t1 ms
  printf 'drop table if exists ceiling_t, ceiling_src;\n%s\n' "$2" | "${psql[@]}"
  t0=$(date +%s%N)
  printf '%s\n' "$3" | "${psql[@]}"
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  printf '%-13s %7d ms  %6d rows/s  load %s\n' "$1" "$ms" $(( rows * 1000 / ms )) "$(cut -d' ' -f1 /proc/loadavg)"
}
src="create table ceiling_src ($bare);
\\copy ceiling_src ($cols) from '$dump' (format binary)"
nl=$'\n'
for round in $(seq "$rounds"); do
  echo "ROUND $round"
  timed copy-bare "create table ceiling_t ($bare)" "\\copy ceiling_t ($cols) from '$dump' (format binary)"
  insert="insert into ceiling_t ($cols) select $cols from ceiling_src"
  timed insert-bare "$src${nl}create table ceiling_t ($bare)" "$insert"
  timed insert-tsv "$src${nl}create table ceiling_t ($bare, $tsv)" "$insert"
  timed insert-store "$src${nl}create table ceiling_t ($bare, $tsv);
    create index on ceiling_t (document_id); create index on ceiling_t using gin (metadata jsonb_path_ops);
    create index on ceiling_t using gin (content_tsv)" "$insert"
done
"${psql[@]}" -c "drop table if exists ceiling_t, ceiling_src"

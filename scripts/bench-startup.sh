#!/usr/bin/env bash
# Start-up of the whole `parallelrag` process, before vs after, in interleaved A/B rounds.
#
# Each side is a checkout with its own `./parallelrag` launcher and CLI jar. Both ingest examples/sample into
# a fresh index of their own first (each side with its own jar, so an index format change between them does
# not matter), then every round runs each command once on each side, the order of the sides alternating from
# round to round, so that the slow drift of a shared machine (10-30 % within minutes here) hits both alike.
# Warm-up runs come first and are not counted: they fill the page cache and, on a side that has them, the
# per-user caches (optimised model, class-data archive), which is what every run after a user's first sees.
#
# Usage: scripts/bench-startup.sh [--rounds N] [--warmup N] [--before DIR] [--after DIR] [--out FILE]
#   --before DIR  the "before" checkout (default /work/before: commit 53d3be1, built with
#                 ./mvnw -B -ntp -o -q -pl parallelrag-cli -am package -DskipTests)
#   --after DIR   the "after" checkout (default: the checkout this script is in)
#   --rounds N    counted rounds (default 10); --warmup N uncounted rounds first (default 2)
#   --out FILE    also write every run as tab-separated values (round, side, command, wall s, CPU s, peak RSS KB)
# Prints every run, then per command the median, min-max and interquartile range of each side's wall time, the
# ratio of the medians and each side's ratio to its own `--help`; then the same for CPU time (user + system,
# all threads) and the median peak RSS, both from /usr/bin/time. CPU time is the steadier figure on a machine
# that other work keeps busy: it counts the work a run does, not the time it waits for a core.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
before=/work/before
after="$here"
rounds=10
warmup=2
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --before) before="$2"; shift 2 ;;
        --after) after="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "unknown argument: $1 (see the usage at the top of $0)" >&2; exit 2 ;;
    esac
done
for side in "$before" "$after"; do
    [ -x "$side/parallelrag" ] || { echo "$side has no ./parallelrag launcher; give a checkout with --before/--after" >&2; exit 2; }
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds must be a positive whole number, not '$rounds'" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ ]] || { echo "--warmup must be a whole number, not '$warmup'" >&2; exit 2; }

query="economy and jobs"
names=(help stats keyword hybrid ask)
index_of() { echo "$1/target/bench-startup/sample-index"; }
args_of() { # side command -> the arguments of that command
    local idx; idx="$(index_of "$1")"
    case "$2" in
        help) echo "--help" ;;
        stats) echo "stats --index $idx" ;;
        keyword) echo "search --mode keyword --index $idx" ;;
        hybrid) echo "search --index $idx" ;;
        ask) echo "ask --index $idx" ;;
    esac
}
needs_query() { [ "$1" = keyword ] || [ "$1" = hybrid ] || [ "$1" = ask ]; }

timer=""
[ -x /usr/bin/time ] && timer=/usr/bin/time
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# one whole process; prints "wall_seconds cpu_seconds rss_kb" (cpu and rss "-" without /usr/bin/time)
run_once() {
    local side="$1" cmd="$2" start end cpu="-" rss="-"
    local -a argv
    read -r -a argv <<<"$(args_of "$side" "$cmd")"
    needs_query "$cmd" && argv+=("$query")
    start=$EPOCHREALTIME
    if [ -n "$timer" ]; then
        (cd "$side" && "$timer" -f '%U %S %M' -o "$tmp/usage" ./parallelrag "${argv[@]}" >"$tmp/out" 2>"$tmp/err") \
            || { echo "failed: (cd $side && ./parallelrag ${argv[*]})" >&2; cat "$tmp/err" "$tmp/out" >&2; exit 1; }
        read -r cpu rss <<<"$(tail -1 "$tmp/usage" | awk '{ printf "%.2f %s", $1 + $2, $3 }')"
    else
        (cd "$side" && ./parallelrag "${argv[@]}" >"$tmp/out" 2>"$tmp/err") \
            || { echo "failed: (cd $side && ./parallelrag ${argv[*]})" >&2; cat "$tmp/err" "$tmp/out" >&2; exit 1; }
    fi
    end=$EPOCHREALTIME
    echo "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }') $cpu $rss"
}

echo "# bench-startup $(date -u +%FT%TZ): $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
     "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for side in "$before" "$after"; do
    echo "# $side: $(git -C "$side" log -1 --format='%h %s' 2>/dev/null | cut -c1-80)"
    # the launcher rebuilds a stale jar: do it now, never inside a timed run
    (cd "$side" && ./parallelrag --help >/dev/null)
    idx="$(index_of "$side")"
    rm -rf "$idx"
    mkdir -p "$(dirname "$idx")"
    (cd "$side" && ./parallelrag ingest examples/sample --index "$idx" >/dev/null 2>"$tmp/err") \
        || { echo "ingest failed on $side" >&2; cat "$tmp/err" >&2; exit 1; }
done
echo "# commands: help = --help; stats = stats --index I; keyword = search --mode keyword --index I \"$query\";"
echo "#           hybrid = search --index I \"$query\"; ask = ask --index I \"$query\" (extractive, no LLM)"
echo "# warm-up: $warmup uncounted round(s); then $rounds counted rounds, sides alternating A/B, B/A"

results="$tmp/results.tsv"
: >"$results"
total=$((warmup + rounds))
for r in $(seq 1 "$total"); do
    counted=$((r > warmup))
    label=$([ "$counted" = 1 ] && echo "round $((r - warmup))" || echo "warm-up $r")
    if [ $((r % 2)) = 1 ]; then order=(before after); else order=(after before); fi
    line="$label:"
    for cmd in "${names[@]}"; do
        for which in "${order[@]}"; do
            side=$([ "$which" = before ] && echo "$before" || echo "$after")
            read -r secs cpu rss <<<"$(run_once "$side" "$cmd")"
            [ "$counted" = 1 ] && printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$((r - warmup))" "$which" "$cmd" "$secs" "$cpu" "$rss" >>"$results"
            line+=" $cmd/$which=${secs}s"
            [ "$cpu" != "-" ] && line+="(cpu ${cpu})"
        done
    done
    echo "$line"
done

[ -n "$out" ] && { printf 'round\tside\tcommand\twall_s\tcpu_s\tmax_rss_kb\n'; cat "$results"; } >"$out"

summarise() { # column title: one table of medians (min-max, IQR) for column 4 (wall) or 5 (CPU) of the results
    awk -F'\t' -v col="$1" -v title="$2" -v order="${names[*]}" '
        function sortnum(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
        function q(a, n, p,   h, lo) { h = (n - 1) * p + 1; lo = int(h); return lo >= n ? a[n] : a[lo] + (h - lo) * (a[lo + 1] - a[lo]) }
        { k = $2 SUBSEP $3; n[k]++; v[k, n[k]] = $col; r[k, n[k]] = $6 }
        END {
            if (v["before" SUBSEP "help", 1] == "-") exit
            m = split(order, cmds, " ")
            for (s = 1; s <= 2; s++) for (c = 1; c <= m; c++) {
                k = (s == 1 ? "before" : "after") SUBSEP cmds[c]; cnt = n[k]
                for (i = 1; i <= cnt; i++) x[i] = v[k, i]
                sortnum(x, cnt)
                med[k] = q(x, cnt, 0.5); lo[k] = x[1]; hi[k] = x[cnt]; iqr[k] = q(x, cnt, 0.75) - q(x, cnt, 0.25)
                if (r[k, 1] != "-") { for (i = 1; i <= cnt; i++) x[i] = r[k, i]; sortnum(x, cnt); rss[k] = sprintf("%.0f", q(x, cnt, 0.5) / 1024) } else rss[k] = "-"
            }
            printf "\n%s\n\n", title
            print "| command | before: median (min-max, IQR) | after: median (min-max, IQR) | after / before | before / its --help | after / its --help | peak RSS before / after (median) |"
            print "|---|---|---|---|---|---|---|"
            hb = med["before" SUBSEP "help"]; ha = med["after" SUBSEP "help"]
            for (c = 1; c <= m; c++) {
                b = "before" SUBSEP cmds[c]; a = "after" SUBSEP cmds[c]
                printf "| %s | %.2f s (%.2f-%.2f, %.2f) | %.2f s (%.2f-%.2f, %.2f) | %.2f | %.2fx | %.2fx | %s / %s MB |\n",
                    cmds[c], med[b], lo[b], hi[b], iqr[b], med[a], lo[a], hi[a], iqr[a], med[a] / med[b], med[b] / hb, med[a] / ha, rss[b], rss[a]
            }
            ratio = med["after" SUBSEP "hybrid"] / ha
            printf "\ntarget (after: hybrid search <= 2x --help, %s): %.2fx, %s\n", col == 4 ? "wall" : "CPU", ratio, ratio <= 2.0 ? "met" : "NOT met"
        }' "$results"
}
summarise 4 "Wall time per whole process"
summarise 5 "CPU time (user + system) per whole process"
echo "# finished $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# End-to-end scale run of the release binary on a synthetic corpus.
#
#   scripts/scale.sh N [extra `cluster` flags...]
#
# Generates N articles (`storyclust generate -n N`, seed 42) into
# /tmp/corpus-N.jsonl (reused if it already exists), then runs
# `storyclust cluster --quiet --format csv -o /dev/null` on it under
# /usr/bin/time -v and prints wall time, peak RSS, articles/s and MB/s
# (MB = 10^6 bytes of the JSONL input file), with the load average.
# With RUNS=k (default 1) it runs k times and reports the run with the
# median wall time (all walls are printed): on a shared VM one short run
# can be off by 10-20%.
#
# Environment: STORYCLUST (binary; default: build with cargo --release into
# $CARGO_TARGET_DIR, default /work/target-bench), CORPUS_DIR (default /tmp),
# RESULTS (a TSV file the figures are appended to, for
# scripts/plot_scale.py; default: none).
set -euo pipefail

n=${1:?usage: scripts/scale.sh N [cluster flags...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-/work/target-bench}
if [[ -z "${STORYCLUST:-}" ]]; then
    (cd "$root" && CARGO_TARGET_DIR="$target" cargo build --release --quiet --bin storyclust)
    STORYCLUST="$target/release/storyclust"
fi
corpus="${CORPUS_DIR:-/tmp}/corpus-$n.jsonl"

if [[ ! -s "$corpus" ]]; then
    gen_start=$(date +%s.%N)
    "$STORYCLUST" generate -n "$n" -o "$corpus"
    gen_end=$(date +%s.%N)
    printf 'generated %s articles in %.1f s\n' "$n" "$(echo "$gen_end - $gen_start" | bc -l)"
fi
bytes=$(stat -c %s "$corpus")
lines=$(wc -l < "$corpus")

runs=${RUNS:-1}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load before: $load_before"
# h:mm:ss or m:ss.ss to seconds
wall_of() {
    awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'
}
for ((run = 1; run <= runs; run++)); do
    /usr/bin/time -v "$STORYCLUST" cluster --quiet --format csv -o /dev/null "$@" "$corpus" 2> "$logs/$run" || {
        cat "$logs/$run" >&2
        exit 1
    }
    echo "$(wall_of "$logs/$run") $run" >> "$logs/walls"
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
# The median run (the lower middle one for an even count).
median_run=$(sort -n "$logs/walls" | awk -v k=$(((runs + 1) / 2)) 'NR == k {print $2}')
log="$logs/$median_run"
secs=$(wall_of "$log")
echo "walls (s):     $(sort -n "$logs/walls" | awk '{printf "%s ", $1}')(median of $runs)"
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
user=$(awk -F': ' '/User time/ {print $2}' "$log")
sys=$(awk -F': ' '/System time/ {print $2}' "$log")
cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$log")

printf 'corpus:        %s (%s articles, %.1f MB)\n' "$corpus" "$lines" "$(echo "$bytes / 1000000" | bc -l)"
printf 'wall:          %.2f s (user %s s, sys %s s, CPU %s)\n' "$secs" "$user" "$sys" "$cpu"
printf 'peak RSS:      %.0f MiB (%s kB)\n' "$(echo "$rss_kb / 1024" | bc -l)" "$rss_kb"
printf 'articles/s:    %.0f\n' "$(echo "$lines / $secs" | bc -l)"
printf 'MB/s:          %.2f\n' "$(echo "$bytes / 1000000 / $secs" | bc -l)"

if [[ -n "${RESULTS:-}" ]]; then
    if [[ ! -s "$RESULTS" ]]; then
        printf 'articles\twall_s\tpeak_rss_mib\tarticles_per_s\tmb_per_s\tload_before\tcommit\n' > "$RESULTS"
    fi
    commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
    printf '%s\t%.2f\t%.0f\t%.0f\t%.2f\t%s\t%s\n' "$lines" "$secs" "$(echo "$rss_kb / 1024" | bc -l)" \
        "$(echo "$lines / $secs" | bc -l)" "$(echo "$bytes / 1000000 / $secs" | bc -l)" "$load_before" "$commit" >> "$RESULTS"
fi

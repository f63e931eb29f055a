#!/usr/bin/env bash
# The 1M story-store series of BENCHMARKS.md ("The story store", "Storylines
# in the store"): 100 generated days of ~10k articles added one by one, then
# day 101 added to a settled copy of that store, against `cluster` of day 101
# alone.
#
#   scripts/store_series.sh days DIR            generate the corpus into DIR, split by day
#                                               (ARTICLES=1010000 PER_DAY=10000 by default)
#   scripts/store_series.sh build BIN DIR       add days 1-100 one by one into DIR/store.db
#                                               (times in DIR/build.log), then settle it
#   scripts/store_series.sh measure BIN DIR     add day 101 to a fresh copy of the settled
#                                               store, then cluster day 101 alone (timed)
#
# Settling adds one more article of day 100, so that every story a day's
# adds left to weigh again has its centroid before the copy is taken: the
# measured add then does only its own work.
set -euo pipefail
cmd=${1:?usage: store_series.sh days|build|measure ...}
case "$cmd" in
days)
    dir=${2:?DIR}
    mkdir -p "$dir"
    storyclust=${STORYCLUST:-target/release/storyclust}
    "$storyclust" generate -n "${ARTICLES:-1010000}" --per-day "${PER_DAY:-10000}" > "$dir/corpus.jsonl"
    python3 - "$dir" <<'EOF'
import json, sys
out = {}
with open(f"{sys.argv[1]}/corpus.jsonl") as f:
    for line in f:
        day = json.loads(line)["published"][:10]
        out.setdefault(day, []).append(line)
for day, lines in out.items():
    with open(f"{sys.argv[1]}/day-{day}.jsonl", "w") as f:
        f.writelines(lines)
EOF
    ;;
build)
    bin=${2:?BIN}; dir=${3:?DIR}
    store=$dir/store.db; log=$dir/build.log
    rm -f "$store" "$store"-wal "$store"-shm
    : > "$log"
    days=$(ls "$dir"/day-*.jsonl | sort | head -100)
    for f in $days; do
        d=$(basename "$f" .jsonl); d=${d#day-}
        /usr/bin/time -f "$d %e s wall %U user %S sys %M KB" -a -o "$log" \
            "$bin" add --store "$store" "$f" -q --now "${d}T23:00:00Z" > /dev/null
    done
    awk '{w+=$2; c+=$5+$7; if ($9>m) m=$9} END {printf "total wall %.1f s, cpu %.1f s, peak %d KB\n", w, c, m}' \
        "$log" | tee -a "$log"
    last=$(echo "$days" | tail -1)
    d=$(basename "$last" .jsonl); d=${d#day-}
    tail -1 "$last" | python3 -c 'import json, sys; a = json.loads(sys.stdin.read()); a["id"] += "-settle"; print(json.dumps(a))' \
        > "$dir/settle.jsonl"
    "$bin" add --store "$store" "$dir/settle.jsonl" -q --now "${d}T23:30:00Z" > /dev/null
    python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$store"
    ;;
measure)
    bin=${2:?BIN}; dir=${3:?DIR}
    day=$(ls "$dir"/day-*.jsonl | sort | sed -n 101p)
    if [ -z "$day" ]; then
        echo "store_series.sh: $dir holds fewer than 101 days" >&2
        exit 1
    fi
    d=$(basename "$day" .jsonl); d=${d#day-}
    rm -f "$dir"/copy.db "$dir"/copy.db-wal "$dir"/copy.db-shm
    cp "$dir/store.db" "$dir/copy.db"
    sync; sleep 3
    echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "add %e s wall %U user %S sys %M KB" \
        "$bin" add --store "$dir/copy.db" "$day" -q --now "${d}T23:00:00Z" > /dev/null
    /usr/bin/time -f "cluster %e s wall %U user %S sys %M KB" \
        "$bin" cluster "$day" -q --format jsonl -o /dev/null
    ;;
*)
    echo "store_series.sh: unknown command $cmd (days, build or measure)" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# The distributed run from a fresh checkout: stories (or, with --dedup,
# near-duplicate groups) of INPUT... on a local Apache Spark cluster of two
# worker processes, written as the membership rows of
# `storyclust cluster --format jsonl` (`dedup --format jsonl`) to OUTPUT.
#
#   scripts/distributed.sh [--dedup] INPUT.jsonl|INPUT.parquet... OUTPUT.jsonl
#
# Builds the storyclust wheel and installs it with PySpark and pyarrow
# (pinned in python/requirements-spark.txt and requirements-dev.txt) into a
# virtual environment under target/
# when they are missing; needs a Java runtime (17 or newer) on the PATH
# (Debian: openjdk-17-jre-headless). The local cluster starts for the run
# and stops at its end (python/storyclust/spark.py, `main`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

dedup=()
if [ "${1:-}" = "--dedup" ]; then
    dedup=(--dedup)
    shift
fi
if [ "$#" -lt 2 ]; then
    echo "usage: $0 [--dedup] INPUT... OUTPUT.jsonl" >&2
    exit 2
fi
inputs=("${@:1:$#-1}")
output="${!#}"
for input in "${inputs[@]}"; do
    [ -e "$input" ] || { echo "$0: $input: no such file" >&2; exit 2; }
done
command -v java >/dev/null 2>&1 || { echo "$0: no java on the PATH (Debian: apt-get install openjdk-17-jre-headless)" >&2; exit 2; }

target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/distributed-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import pyspark" >/dev/null 2>&1; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        -r "$root/python/requirements-spark.txt" -r "$root/python/requirements-dev.txt"
fi
# The wheel of this checkout, built again when a source is newer than it.
wheels="$target/distributed-wheels"
newest_source="$(find "$root/src" "$root/python/src" "$root/python/storyclust" "$root/Cargo.lock" -newer "$wheels/.built" 2>/dev/null | head -1 || true)"
if [ ! -e "$wheels/.built" ] || [ -n "$newest_source" ]; then
    rm -rf "$wheels"
    "$venv/bin/maturin" build --locked --manifest-path "$root/python/Cargo.toml" --interpreter "$venv/bin/python" --out "$wheels"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/storyclust-*.whl
    touch "$wheels/.built"
fi

exec "$venv/bin/python" -m storyclust.spark "${dedup[@]}" "${inputs[@]}" -o "$output"

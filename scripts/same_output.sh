#!/usr/bin/env bash
# Every output of one storyclust binary, written to a folder, so that two
# builds can be compared byte for byte (`diff -r` or `cmp`) after a change
# that must not change behaviour.
#
#   scripts/same_output.sh BINARY OUTDIR [CORPUS.jsonl]
#
# Runs every command and format over the bundled seeds and every labelled
# set in ../shared/data/dev/, and, when a generated corpus is given (for
# example /tmp/corpus-100000.jsonl from scripts/scale.sh), the cluster and
# dedup outputs of that corpus. stderr is kept too, with timings left out.
set -euo pipefail

bin=${1:?usage: scripts/same_output.sh BINARY OUTDIR [CORPUS.jsonl]}
out=${2:?usage: scripts/same_output.sh BINARY OUTDIR [CORPUS.jsonl]}
corpus=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
dev="$root/../shared/data/dev"
mkdir -p "$out"

run() {
    local name=$1
    shift
    "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err" || echo "exit $?" >>"$out/$name.err"
}

inputs=("seeds:$root/seeds")
for set in "$dev"/*.jsonl; do
    inputs+=("$(basename "$set" .jsonl):$set")
done

for entry in "${inputs[@]}"; do
    name=${entry%%:*}
    input=${entry#*:}
    for format in table json jsonl csv html; do
        run "$name.cluster.$format" cluster --quiet --format "$format" "$input"
    done
    run "$name.cluster.json-nodiff" cluster --quiet --format json --no-differences "$input"
    run "$name.show" show s1 --quiet "$input"
    run "$name.show2" show s2 --quiet "$input"
    run "$name.dedup" dedup --quiet "$input"
    run "$name.clean" clean --quiet "$input"
    for field in story storyline; do
        run "$name.eval.$field" eval --gold-field "$field" "$input"
    done
done

if [[ -n "$corpus" ]]; then
    for format in csv jsonl json; do
        run "corpus.cluster.$format" cluster --quiet --format "$format" "$corpus"
    done
    run "corpus.cluster.json-nodiff" cluster --quiet --format json --no-differences "$corpus"
    run "corpus.dedup" dedup --quiet "$corpus"
    run "corpus.eval" eval --gold-field story --dup-field dup_of "$corpus"
fi
echo "wrote $(ls "$out" | wc -l) files to $out"

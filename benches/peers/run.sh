#!/usr/bin/env bash
# storyclust side by side with its peers, in one run (issue 5).
#
#   benches/peers/run.sh [SIZE ...]        # default: 10000 100000
#
# Near-duplicates: datasketch MinHash + MinHashLSH, gaoya MinHashStringIndex
# and the hashing floor (examples/hash_floor.rs: read the text, hash every
# 5-word shingle once) vs `storyclust dedup` (one thread each) on synthetic corpora of SIZE
# articles: wall and CPU time, articles/s, MB/s, peak RSS (/usr/bin/time -v
# for all three), pairwise P/R/F1 against the generator's `dup_of` groups.
# Stories: scikit-learn TF-IDF + average-link agglomerative clustering vs
# `storyclust eval` on the labelled dev sets: B-cubed P/R/F1, time, memory.
#
# Environment:
#   STORYCLUST        a storyclust binary to use instead of building one
#   HASH_FLOOR        an examples/hash_floor binary to use instead of building one
#   CARGO_TARGET_DIR  where cargo builds (default: <repo>/target)
#   PEERS_VENV        the Python virtual environment (default: benches/peers/.venv)
#   PEERS_WORK        corpora and outputs (default: ${TMPDIR:-/tmp}/storyclust-peers)
#   PEERS_DEV         the dev sets (default: <repo>/../shared/data/dev)
#   PEERS_OUT         the results file (default: benches/peers/results-<date>.md)
#   PEERS_SHINGLE_WORDS  datasketch and gaoya shingle size (default: storyclust's --shingle-words default)
#   PEERS_TFIDF_THRESHOLDS  distance thresholds of the TF-IDF reference (default: "0.95 0.97")
#   PEERS_TFIDF_STOP_WORDS  english (default: reproduces the reference figures of the dev-set
#                           README) or none (the vectoriser's own default)
#   PEERS_GAOYA_OWN_TOKENIZER=0  skip the second gaoya row (gaoya's own Rust tokenizer, white-space
#                           words, instead of datasketch's shingles computed in Python)
#   PEERS_GAOYA_ID_CONTAINER  gaoya's band buckets: set (its default), vec or smallvec (less memory)
#   PEERS_SKIP_STORIES=1    skip the dev-set part
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 100000)
for n in "${sizes[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: size must be a positive integer: $n" >&2; exit 2; }
done

venv=${PEERS_VENV:-$here/.venv}
work=${PEERS_WORK:-${TMPDIR:-/tmp}/storyclust-peers}
dev=${PEERS_DEV:-$root/../shared/data/dev}
out=${PEERS_OUT:-$here/results-$(date +%F).md}
tfidf_thresholds=${PEERS_TFIDF_THRESHOLDS:-0.95 0.97}
tfidf_stop_words=${PEERS_TFIDF_STOP_WORDS:-english}
case $tfidf_stop_words in
    english) tfidf_stop_words_repr="'english'" ;;
    none) tfidf_stop_words_repr=None ;;
    *) echo "run.sh: PEERS_TFIDF_STOP_WORDS must be english or none" >&2; exit 2 ;;
esac
skip_stories=${PEERS_SKIP_STORIES:-0}
gaoya_own_tokenizer=${PEERS_GAOYA_OWN_TOKENIZER:-1}
gaoya_id_container=${PEERS_GAOYA_ID_CONTAINER:-set}
case $gaoya_id_container in
    set | vec | smallvec) ;;
    *) echo "run.sh: PEERS_GAOYA_ID_CONTAINER must be set, vec or smallvec" >&2; exit 2 ;;
esac

# One thread for the Python side too (numpy/scipy BLAS pools, gaoya's rayon
# pool), as storyclust runs with --threads 1.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 RAYON_NUM_THREADS=1

log() { printf '[peers %s] %s\n' "$(date +%T)" "$*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

[[ -x /usr/bin/time ]] || { echo "run.sh: /usr/bin/time is missing (Debian: apt-get install time)" >&2; exit 1; }
mkdir -p "$work"

# --- Python environment ---------------------------------------------------
if [[ ! -x $venv/bin/python ]]; then
    log "creating the virtual environment $venv"
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
py() { "$venv/bin/python" "$here/peers.py" "$@"; }

# --- storyclust -----------------------------------------------------------
if [[ -n ${STORYCLUST:-} ]]; then
    sc=$STORYCLUST
else
    log "building storyclust (release)"
    (cd "$root" && cargo build --release --quiet --bin storyclust)
    sc=${CARGO_TARGET_DIR:-$root/target}/release/storyclust
fi
[[ -x $sc ]] || { echo "run.sh: no storyclust binary at $sc" >&2; exit 1; }
if [[ -n ${HASH_FLOOR:-} ]]; then
    floor=$HASH_FLOOR
else
    log "building the hashing floor (examples/hash_floor.rs)"
    (cd "$root" && cargo build --release --quiet --example hash_floor)
    floor=${CARGO_TARGET_DIR:-$root/target}/release/examples/hash_floor
fi
[[ -x $floor ]] || { echo "run.sh: no hash_floor binary at $floor" >&2; exit 1; }

# A flag's default, from `storyclust dedup --help` ("... [default: 0.4]").
flag_default() {
    "$sc" dedup --help | awk -v flag="$1" '
        index($0, flag) { on = 1 }
        on && match($0, /\[default: [^]]*\]/) { print substr($0, RSTART + 10, RLENGTH - 11); exit }'
}
dup_threshold=$(flag_default --dup-threshold)
sc_shingle_words=$(flag_default --shingle-words)
[[ -n $dup_threshold && -n $sc_shingle_words ]] || { echo "run.sh: cannot read defaults from storyclust dedup --help" >&2; exit 1; }
shingle_words=${PEERS_SHINGLE_WORDS:-$sc_shingle_words}
log "storyclust: $("$sc" --version); near-duplicate threshold $dup_threshold, $sc_shingle_words-word shingles"
# gaoya gets the bands x rows that datasketch's MinHashLSH picks for the
# threshold and 128 permutations (read once, outside the measurements).
lsh_params=$(py lshparams --threshold "$dup_threshold" --num-perm 128)
read -r lsh_bands lsh_rows <<<"$lsh_params"
[[ ${lsh_bands:-} =~ ^[1-9][0-9]*$ && ${lsh_rows:-} =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: cannot read datasketch's LSH parameters: $lsh_params" >&2; exit 1; }
log "datasketch and gaoya: $shingle_words-word shingles, LSH $lsh_bands bands x $lsh_rows rows"

results=$work/results.jsonl
: >"$results"

# measure NAME CMD...: runs CMD under /usr/bin/time -v (stdout to NAME.out,
# stderr to NAME.err, the figures to NAME.time); records the 1-minute load
# average just before. Never fails the script: the exit status is in NAME.rc.
measure() {
    local name=$1
    shift
    load1 >"$work/$name.load"
    # Short runs are repeated (up to 5 runs while they take under 10 s in
    # all) and the run of median wall time is kept: a 0.1 s run is at the
    # mercy of the timer's 10 ms steps and of whatever else the kernel does
    # at that moment. Long runs (every Python run at 100k) run once.
    local rc=0 runs=0 spent=0
    while :; do
        runs=$((runs + 1))
        /usr/bin/time -v -o "$work/$name.time.$runs" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
        [[ $rc -eq 0 ]] || break
        spent=$(awk -v s="$spent" -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); t = 0; for (i = 1; i <= n; i++) t = t * 60 + p[i]; print s + t }' "$work/$name.time.$runs")
        [[ $runs -lt 5 ]] && awk -v s="$spent" 'BEGIN { exit !(s < 10) }' || break
    done
    # The run of median wall time (the lower middle one of an even count).
    local median
    median=$(for i in $(seq "$runs"); do
        awk -v i="$i" -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); t = 0; for (j = 1; j <= n; j++) t = t * 60 + p[j]; print t, i }' "$work/$name.time.$i"
    done | sort -n | awk -v m=$(((runs + 1) / 2)) 'NR == m { print $2 }')
    cp "$work/$name.time.${median:-$runs}" "$work/$name.time"
    echo "$runs" >"$work/$name.runs"
    echo "$rc" >"$work/$name.rc"
    if [[ $rc -ne 0 ]]; then
        log "FAILED ($rc): $*"
        tail -5 "$work/$name.err" >&2 || true
    fi
}

# record NAME KIND TOOL CORPUS [JSON-FILE...]: appends one result row.
record() {
    local name=$1
    shift
    py record --time "$work/$name.time" --rc "$(cat "$work/$name.rc")" --load "$(cat "$work/$name.load")" \
        --runs "$(cat "$work/$name.runs")" \
        --kind "$1" --tool "$2" --corpus "$3" "${@:4}" >>"$results"
}

# score NAME CORPUS: pairwise P/R/F1 of NAME.csv against CORPUS's dup_of
# groups into NAME.score ({} when the measured command failed).
score() {
    if [[ $(cat "$work/$1.rc") == 0 ]]; then
        py dupscore "$2" "$work/$1.csv" >"$work/$1.score"
    else
        echo '{}' >"$work/$1.score"
    fi
}

start_load=$(uptime)
started=$(date +%s)

# --- near-duplicates on synthetic corpora ---------------------------------
for n in "${sizes[@]}"; do
    corpus=$work/corpus-$n.jsonl
    if [[ ! -s $corpus ]]; then
        log "generating $n articles"
        "$sc" generate -n "$n" --seed 42 -o "$corpus.tmp"
        mv "$corpus.tmp" "$corpus"
    fi
    py corpusinfo "$corpus" >"$work/info-$n.json"

    log "datasketch on $n articles"
    measure "ds-$n" "$venv/bin/python" "$here/peers.py" minhash "$corpus" "$work/ds-$n.csv" \
        --threshold "$dup_threshold" --shingle-words "$shingle_words" --num-perm 128
    score "ds-$n" "$corpus"
    record "ds-$n" dedup datasketch "synthetic $n" "$work/info-$n.json" "$work/ds-$n.score" "$work/ds-$n.out"

    log "gaoya on $n articles (datasketch's shingles)"
    measure "gaoya-$n" "$venv/bin/python" "$here/peers.py" gaoya "$corpus" "$work/gaoya-$n.csv" \
        --threshold "$dup_threshold" --shingle-words "$shingle_words" --bands "$lsh_bands" --rows "$lsh_rows" \
        --tokenizer shingles --id-container "$gaoya_id_container"
    score "gaoya-$n" "$corpus"
    record "gaoya-$n" dedup gaoya "synthetic $n" "$work/info-$n.json" "$work/gaoya-$n.score" "$work/gaoya-$n.out"

    if [[ $gaoya_own_tokenizer == 1 ]]; then
        log "gaoya on $n articles (its own tokenizer)"
        measure "gaoya-own-$n" "$venv/bin/python" "$here/peers.py" gaoya "$corpus" "$work/gaoya-own-$n.csv" \
            --threshold "$dup_threshold" --shingle-words "$shingle_words" --bands "$lsh_bands" --rows "$lsh_rows" \
            --tokenizer gaoya --id-container "$gaoya_id_container"
        score "gaoya-own-$n" "$corpus"
        record "gaoya-own-$n" dedup "gaoya, own tokenizer" "synthetic $n" "$work/info-$n.json" \
            "$work/gaoya-own-$n.score" "$work/gaoya-own-$n.out"
    fi

    log "hashing floor on $n articles"
    measure "floor-$n" "$floor" --shingle-words 5 "$corpus"
    record "floor-$n" floor "hashing floor (xxh3, 5-word shingles)" "synthetic $n" "$work/info-$n.json"

    log "storyclust dedup on $n articles"
    measure "sc-$n" "$sc" dedup --threads 1 --quiet --format csv -o "$work/sc-$n.csv" "$corpus"
    score "sc-$n" "$corpus"
    record "sc-$n" dedup storyclust "synthetic $n" "$work/info-$n.json" "$work/sc-$n.score"
done

# --- stories on the labelled dev sets -------------------------------------
if [[ $skip_stories != 1 ]]; then
    for set in duc2003_events uci_headlines; do
        file=$dev/$set.jsonl
        [[ -r $file ]] || { log "missing $file: skipped"; continue; }
        for t in $tfidf_thresholds; do
            log "TF-IDF + average link ($t) on $set"
            measure "tfidf-$set-$t" "$venv/bin/python" "$here/peers.py" tfidf "$file" --threshold "$t" \
                --stop-words "$tfidf_stop_words"
            record "tfidf-$set-$t" story "TF-IDF + average link, $t" "$set" "$work/tfidf-$set-$t.out"
        done
        log "storyclust eval on $set"
        measure "eval-$set" "$sc" eval --threads 1 --quiet --format json --gold-field story "$file"
        record "eval-$set" story "storyclust eval" "$set" --storyclust-eval "$work/eval-$set.out"
    done
fi

# --- the record ------------------------------------------------------------
finished=$(date +%s)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$root" status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock 2>/dev/null) ]]; then
    commit="$commit (with uncommitted changes in src/ or Cargo files)"
fi
{
    echo "# storyclust and its peers, $(date +%F)"
    echo
    echo "Command: \`benches/peers/run.sh ${sizes[*]}\` (from the repository root)."
    echo
    echo "- storyclust: $("$sc" --version), commit $commit; \`dedup --threads 1\` and \`eval --threads 1\`;"
    echo "  near-duplicate threshold $dup_threshold and $sc_shingle_words-word shingles (its defaults)."
    echo "- datasketch $("$venv/bin/python" -c 'import datasketch; print(datasketch.__version__)' 2>/dev/null || echo '?'):" \
        "MinHash (128 permutations) + MinHashLSH at threshold $dup_threshold, $shingle_words-word shingles of the raw \`text\`" \
        "(NFKC, lower case, regex word split), union-find over LSH candidates whose estimated Jaccard is ≥ $dup_threshold."
    echo "- gaoya $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("gaoya"))' 2>/dev/null || echo '?'):" \
        "\`MinHashStringIndex(hash_size=32, jaccard_threshold=$dup_threshold, num_bands=$lsh_bands, band_size=$lsh_rows, id_container='$gaoya_id_container')\`" \
        "(datasketch's banding; $((lsh_bands * lsh_rows)) hashes of 32 bits, as datasketch's)" \
        "fed the same shingle sets as datasketch (a callable analyzer); each article queried then inserted, single-item calls only" \
        "(\`RAYON_NUM_THREADS=1\`); union-find over the returned pairs (estimated Jaccard ≥ $dup_threshold, checked by gaoya)."
    if [[ $gaoya_own_tokenizer == 1 ]]; then
        echo "  \"gaoya, own tokenizer\": the same index with gaoya's Rust tokenizer instead" \
            "(\`analyzer='word', lowercase=True, ngram_range=($shingle_words, $shingle_words)\`: white-space words, punctuation kept)," \
            "so no Python shingling; its shingles are not datasketch's."
    fi
    echo "- scikit-learn $("$venv/bin/python" -c 'import sklearn; print(sklearn.__version__)'):" \
        "\`TfidfVectorizer(ngram_range=(1,2), sublinear_tf=True, stop_words=$tfidf_stop_words_repr)\` on title+text, \`AgglomerativeClustering(metric='cosine', linkage='average', distance_threshold=T)\`."
    echo "- Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'), one process per measurement," \
        "each under \`/usr/bin/time -v\` (wall, user+sys CPU, maximum RSS); Python rows include interpreter start and imports." \
        "A measurement is repeated while its runs take under 10 s in all (at most 5 runs; the runs column) and the run of median wall time is reported."
    echo "- Machine: $(getconf _NPROCESSORS_ONLN) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), shared with other work;"
    echo "  \`uptime\` at start: \`${start_load# }\`; at end: \`$(uptime | sed 's/^ *//')\`; $(( (finished - started) / 60 )) min $(( (finished - started) % 60 )) s in all."
    echo "  The load column is the 1-minute load average just before each measurement: above 1, other processes shared the cores."
    echo
    echo "storyclust's \`dedup\` also reads each page's boilerplate (menus, bylines, share lines, related"
    echo "headlines, copyright) across the corpus and removes it before fingerprinting the cleaned body;"
    echo "datasketch and gaoya fingerprint the raw text as given. storyclust does more work per article."
    echo
    py table "$results"
} >"$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
log "written $out"

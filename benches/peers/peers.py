#!/usr/bin/env python3
"""Peer baselines and scoring for benches/peers/run.sh.

Subcommands (each run as its own process so that /usr/bin/time measures it
alone):

  minhash CORPUS OUT.csv --threshold T --shingle-words W --num-perm K
      datasketch MinHash + MinHashLSH near-duplicate groups, written as
      CSV rows `id,duplicate_group,group_size` (the layout of
      `storyclust dedup --format csv`).
  gaoya CORPUS OUT.csv --threshold T --shingle-words W --bands B --rows R
          [--tokenizer shingles|gaoya]
      gaoya MinHashStringIndex (Rust MinHash LSH) near-duplicate groups over
      the same shingles (or gaoya's own word shingles), in the same CSV layout.
  lshparams --threshold T --num-perm K
      the bands and rows datasketch's MinHashLSH picks for T and K
      (`BANDS ROWS` on stdout), for the gaoya command.
  dupscore CORPUS PRED.csv
      pairwise precision/recall/F1 of the predicted duplicate groups against
      the generator's `dup_of` links (JSON on stdout).
  tfidf DEVSET --threshold T [--stop-words english|none]
      TF-IDF (1-2 grams, sublinear tf, English stop words by default) cosine
      + average-link agglomerative clustering (scikit-learn) of title+text;
      B-cubed against the `story` field (JSON on stdout).
  corpusinfo CORPUS
      article count and text bytes (JSON on stdout).
  table RESULTS.jsonl
      the Markdown table of all results.
"""

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict

# --------------------------------------------------------------------------
# Text normalisation, as close to storyclust's `text` module as is reasonable:
# NFKC, curly quotes and dashes folded, lower case (casefold), words by a
# regex approximation of Unicode word boundaries (letters/digits, with
# apostrophes, periods and commas allowed between word characters, as UAX #29
# keeps "don't", "U.S." and "1,000" whole), then a trailing possessive 's and
# any apostrophes dropped.

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u02bc": "'", "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ",
    }
)
_WORD = re.compile(r"\w+(?:['.,:]\w+)*")


def normalize(text):
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return text.lower() if text.isascii() else text.casefold()


def words(text):
    out = []
    for w in _WORD.findall(normalize(text)):
        if "'" in w:
            if w.endswith("'s"):
                w = w[:-2]
            w = w.replace("'", "")
        if w:
            out.append(w)
    return out


def shingles(text, w):
    """The set of w-word shingles, UTF-8 encoded; a text of fewer than w words
    has one shingle of all its words (as storyclust), an empty text none."""
    ws = words(text)
    if not ws:
        return set()
    if len(ws) < w:
        return {" ".join(ws).encode("utf-8")}
    return {" ".join(ws[i : i + w]).encode("utf-8") for i in range(len(ws) - w + 1)}


def shingle_strings(text, w):
    """The same shingles as `shingles`, as str rather than UTF-8 bytes (gaoya
    takes its tokens as str)."""
    ws = words(text)
    if not ws:
        return set()
    if len(ws) < w:
        return {" ".join(ws)}
    return {" ".join(ws[i : i + w]) for i in range(len(ws) - w + 1)}


# --------------------------------------------------------------------------


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


class UnionFind:
    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, x):
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


def write_groups(path, ids, uf):
    """Writes the union-find's groups as CSV rows `id,duplicate_group,group_size`
    (the layout of `storyclust dedup --format csv`; an article alone has an
    empty group and size 1); returns the number of groups of two or more."""
    members = defaultdict(list)
    for i in range(len(ids)):
        members[uf.find(i)].append(i)
    groups = sorted((g for g in members.values() if len(g) > 1), key=lambda g: (-len(g), ids[g[0]]))
    label = {}
    for k, g in enumerate(groups, 1):
        for i in g:
            label[i] = (f"d{k}", len(g))
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,duplicate_group,group_size\n")
        for i, id_ in enumerate(ids):
            gid, size = label.get(i, ("", 1))
            f.write(f"{id_},{gid},{size}\n")
    return len(groups)


def cmd_minhash(args):
    """datasketch MinHash + MinHashLSH: signatures of every article, an LSH
    index of them, then each article's LSH candidates checked with the
    estimated Jaccard similarity and joined by union-find."""
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    ids, sigs = [], []
    n_empty = 0
    # One set of permutations shared by every signature (as MinHash.bulk
    # does), rather than regenerated from the seed per document.
    template = MinHash(num_perm=args.num_perm, seed=1)
    perms, scheme = template.permutations, template.scheme
    for rec in read_jsonl(args.corpus):
        text = rec.get("text") or rec.get("html") or ""
        sh = shingles(text, args.shingle_words)
        m = MinHash(num_perm=args.num_perm, seed=1, permutations=perms, scheme=scheme)
        if sh:
            m.update_batch(sh)
        else:
            n_empty += 1
        ids.append(rec["id"])
        sigs.append(m)
    t1 = time.perf_counter()

    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    with lsh.insertion_session() as session:
        for i, m in enumerate(sigs):
            if not m.is_empty():
                session.insert(i, m, check_duplication=False)
    t2 = time.perf_counter()

    uf = UnionFind(len(ids))
    n_candidates = n_links = 0
    for i, m in enumerate(sigs):
        if m.is_empty():
            continue
        for j in lsh.query(m):
            if j <= i:
                continue
            n_candidates += 1
            if m.jaccard(sigs[j]) >= args.threshold:
                n_links += 1
                uf.union(i, j)
    t3 = time.perf_counter()

    groups = write_groups(args.out, ids, uf)
    t4 = time.perf_counter()
    print(
        json.dumps(
            {
                "articles": len(ids),
                "empty": n_empty,
                "lsh_bands_rows": [lsh.b, lsh.r],
                "candidates": n_candidates,
                "links": n_links,
                "groups": groups,
                "seconds": {
                    "read_shingle_minhash": round(t1 - t0, 2),
                    "lsh_insert": round(t2 - t1, 2),
                    "query_verify": round(t3 - t2, 2),
                    "write": round(t4 - t3, 2),
                },
            }
        )
    )


def cmd_gaoya(args):
    """gaoya MinHashStringIndex, one article at a time: tokenise, query the
    index of the articles before it, insert. gaoya's query returns the band
    candidates whose estimated Jaccard similarity is >= the index threshold
    (the check cmd_minhash makes), and those pairs are joined by union-find.
    The single-item calls do not use gaoya's rayon pool (the par_bulk_* calls
    would).

    --tokenizer shingles (the comparison with datasketch): the features are
    our shingle set, the one datasketch hashes; with a callable analyzer gaoya
    hashes the strings it returns (`list` turns the set into the sequence
    gaoya takes), so insert_document and query receive the set itself.
    --tokenizer gaoya: gaoya's own tokenizer in Rust (lower case, split on
    white space, w-word shingles), which keeps punctuation attached to words;
    an article of fewer than w words has no shingle there and is left alone,
    as an empty one is."""
    from gaoya.minhash import MinHashStringIndex

    w = args.shingle_words
    own = args.tokenizer == "gaoya"
    t0 = time.perf_counter()
    index = MinHashStringIndex(
        hash_size=args.hash_bits,
        jaccard_threshold=args.threshold,
        num_bands=args.bands,
        band_size=args.rows,
        analyzer="word" if own else list,
        lowercase=own,
        ngram_range=(w, w) if own else None,
        id_container=args.id_container,
    )
    ids = []
    links = []  # (earlier, later) pairs that passed the threshold
    n_empty = 0
    t_tokenize = t_query = t_insert = 0.0
    for i, rec in enumerate(read_jsonl(args.corpus)):
        ta = time.perf_counter()
        text = rec.get("text") or rec.get("html") or ""
        ids.append(rec["id"])
        if own:
            doc = text if len(text.split(None, w)) >= w else None
        else:
            doc = shingle_strings(text, w) or None
        tb = time.perf_counter()
        t_tokenize += tb - ta
        if doc is None:
            n_empty += 1
            continue
        for j in index.query(doc):
            links.append((j, i))
        tc = time.perf_counter()
        index.insert_document(i, doc)
        td = time.perf_counter()
        t_query += tc - tb
        t_insert += td - tc
    t1 = time.perf_counter()

    uf = UnionFind(len(ids))
    for j, i in links:
        uf.union(j, i)
    groups = write_groups(args.out, ids, uf)
    t2 = time.perf_counter()
    print(
        json.dumps(
            {
                "articles": len(ids),
                "empty": n_empty,
                "tokenizer": args.tokenizer,
                "lsh_bands_rows": [args.bands, args.rows],
                "hash_bits": args.hash_bits,
                "id_container": args.id_container,
                "links": len(links),
                "groups": groups,
                "seconds": {
                    "python_shingle" if not own else "python_word_count": round(t_tokenize, 2),
                    "query_verify": round(t_query, 2),
                    "insert": round(t_insert, 2),
                    "read_and_loop": round(t1 - t0, 2),
                    "union_write": round(t2 - t1, 2),
                },
            }
        )
    )


def cmd_lshparams(args):
    """The bands and rows datasketch's MinHashLSH chooses for a threshold and a
    number of permutations (its default weights: false positives and false
    negatives 0.5 each)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    print(lsh.b, lsh.r)


def pair_count(n):
    return n * (n - 1) // 2


def pairwise(pred, gold):
    """Pairwise P/R/F1 of two partitions given as label lists (one label per
    item; distinct labels for singletons)."""
    pred_pairs = sum(pair_count(c) for c in Counter(pred).values())
    gold_pairs = sum(pair_count(c) for c in Counter(gold).values())
    tp = sum(pair_count(c) for c in Counter(zip(pred, gold)).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "pred_pairs": pred_pairs, "gold_pairs": gold_pairs, "true_pairs": tp}


def bcubed(pred, gold):
    """B-cubed P/R/F1 (an item counts itself; F1 of the averaged P and R, as
    storyclust's eval computes it)."""
    n = len(pred)
    joint = Counter(zip(pred, gold))
    psize, gsize = Counter(pred), Counter(gold)
    p = sum(c * c / psize[pl] for (pl, _), c in joint.items()) / n
    r = sum(c * c / gsize[gl] for (_, gl), c in joint.items()) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def cmd_dupscore(args):
    ids, dup_of = [], {}
    for rec in read_jsonl(args.corpus):
        ids.append(rec["id"])
        if rec.get("dup_of"):
            dup_of[rec["id"]] = rec["dup_of"]
    index = {id_: i for i, id_ in enumerate(ids)}
    uf = UnionFind(len(ids))
    for a, b in dup_of.items():
        if b in index:
            uf.union(index[a], index[b])
    gold = [uf.find(i) for i in range(len(ids))]

    pred = list(range(len(ids)))  # articles missing from the output stay alone
    seen = 0
    with open(args.pred, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        col_id, col_group = header.index("id"), header.index("duplicate_group")
        for line in f:
            cells = line.rstrip("\n").split(",")
            i = index.get(cells[col_id])
            if i is None:
                continue
            seen += 1
            if cells[col_group]:
                pred[i] = "g:" + cells[col_group]
    res = pairwise(pred, gold)
    res["groups"] = len({p for p in pred if isinstance(p, str)})
    res["gold_groups"] = sum(1 for c in Counter(gold).values() if c > 1)
    res["articles"] = len(ids)
    res["articles_in_output"] = seen
    print(json.dumps(res))


def cmd_tfidf(args):
    t0 = time.perf_counter()
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    recs = list(read_jsonl(args.devset))
    docs = [((r.get("title") or "") + "\n" + (r.get("text") or "")) for r in recs]
    gold = [r["story"] for r in recs]
    t1 = time.perf_counter()
    stop_words = None if args.stop_words == "none" else args.stop_words
    x = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words=stop_words).fit_transform(docs)
    labels = AgglomerativeClustering(
        metric="cosine", linkage="average", distance_threshold=args.threshold, n_clusters=None
    ).fit_predict(x.toarray())
    t2 = time.perf_counter()
    res = bcubed(list(labels), gold)
    res.update(
        {
            "articles": len(recs),
            "clusters": int(len(set(labels))),
            "gold_stories": len(set(gold)),
            "features": int(x.shape[1]),
            "cluster_seconds": round(t2 - t1, 2),
            "import_read_seconds": round(t1 - t0, 2),
        }
    )
    print(json.dumps(res))


def cmd_corpusinfo(args):
    n = text_bytes = dups = 0
    for rec in read_jsonl(args.corpus):
        n += 1
        text_bytes += len((rec.get("text") or rec.get("html") or "").encode("utf-8"))
        dups += bool(rec.get("dup_of"))
    print(json.dumps({"articles": n, "text_bytes": text_bytes, "dup_of_records": dups}))


# --------------------------------------------------------------------------
# Results: one JSON row per measurement, then the table.


def parse_time_v(path):
    """Wall seconds, user+sys CPU seconds and maximum RSS (KiB) from the
    output of `/usr/bin/time -v`."""
    vals = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            vals[key] = value
    wall = 0.0
    for part in vals["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return {
        "wall_s": wall,
        "cpu_s": float(vals["User time (seconds)"]) + float(vals["System time (seconds)"]),
        "max_rss_kib": int(vals["Maximum resident set size (kbytes)"]),
    }


def cmd_record(args):
    row = {"kind": args.kind, "tool": args.tool, "corpus": args.corpus, "load1": args.load, "runs": args.runs}
    for path in args.json:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read().strip()
            if text:
                row.update(json.loads(text.splitlines()[-1]))
        except (OSError, ValueError) as err:
            row.setdefault("notes", []).append(f"{path}: {err}")
    if args.storyclust_eval:
        try:
            with open(args.storyclust_eval, encoding="utf-8") as f:
                ev = json.load(f)[0]
            sc = ev["scores"]
            row.update(sc["bcubed"])
            row.update({"articles": sc["n"], "clusters": sc["predicted_clusters"], "gold_stories": sc["gold_clusters"]})
        except (OSError, ValueError, KeyError, IndexError) as err:
            row["error"] = f"cannot read the evaluation: {err}"
    try:
        row.update(parse_time_v(args.time))
    except (OSError, KeyError, ValueError) as err:
        row["error"] = f"no timing: {err}"
    if args.rc != 0:
        row["error"] = f"exit status {args.rc}"
    print(json.dumps(row))


def fmt_int(x):
    return f"{x:,.0f}"


def fmt(x, d=3):
    return "–" if x is None else f"{x:.{d}f}"


def ratio_table(dedup):
    """Markdown lines comparing storyclust with each peer on each corpus: one
    row per (corpus, peer), the ratios storyclust / peer."""
    by_corpus = defaultdict(dict)
    floors = []
    for r in dedup:
        by_corpus[r["corpus"]][r["tool"]] = r
    lines = []
    for corpus, tools in by_corpus.items():
        sc = tools.get("storyclust")
        if not sc or sc.get("error"):
            continue
        for tool, ref in tools.items():
            if tool == "storyclust" or ref.get("error"):
                continue
            speed = (sc["articles"] / sc["wall_s"]) / (ref["articles"] / ref["wall_s"])
            cpu = ref["cpu_s"] / sc["cpu_s"] if sc["cpu_s"] > 0 else None
            rss = sc["max_rss_kib"] / ref["max_rss_kib"]
            if ref["kind"] == "floor":
                floors.append(f"{corpus}: {1 / speed:.2f}× (CPU time {fmt(1 / cpu if cpu else None, 2)}×)")
                d_p = d_r = "–"
            else:
                d_p = f"{sc['precision'] - ref['precision']:+.3f}"
                d_r = f"{sc['recall'] - ref['recall']:+.3f}"
            lines.append(f"| {corpus} | {tool} | {speed:.2f}× | {fmt(cpu, 2)}× | {rss:.2f}× | {d_p} | {d_r} |")
    if not lines:
        return []
    floor_note = []
    if floors:
        floor_note = [
            "storyclust's wall time over the hashing floor's (the issue's target: within 2.5×): "
            + "; ".join(floors)
            + ".",
            "",
        ]
    return [
        "#### storyclust against each peer",
        "",
        "| corpus | peer | articles/s (wall) × peer | CPU-time speed × peer | peak RSS × peer | Δ pairs P | Δ pairs R |",
        "|---|---|---|---|---|---|---|",
        *lines,
        "",
        "Ratios are storyclust / peer: above 1, storyclust is faster (articles per wall second; "
        "articles per CPU second, the peer's CPU time over storyclust's) or uses more memory. "
        "Δ is storyclust's pairwise precision or recall minus the peer's.",
        "",
        *floor_note,
    ]


def cmd_table(args):
    rows = [json.loads(l) for l in open(args.results, encoding="utf-8") if l.strip()]
    out = []
    dedup = [r for r in rows if r["kind"] in ("dedup", "floor")]
    if dedup:
        out.append("### Near-duplicates on the synthetic corpus (`storyclust generate --seed 42`)")
        out.append("")
        out.append(
            "| corpus | tool | articles | text MB | wall s | CPU s | articles/s | MB/s | peak RSS MiB "
            "| pairs P | pairs R | pairs F1 | groups | load (1 min) | runs |"
        )
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in dedup:
            if r.get("error"):
                out.append(f"| {r['corpus']} | {r['tool']} | {fmt_int(r['articles'])} | | failed: {r['error']} |" + " |" * 10)
                continue
            mb = r["text_bytes"] / 1e6
            if r["kind"] == "floor":
                out.append(
                    f"| {r['corpus']} | {r['tool']} | {fmt_int(r['articles'])} | {mb:.1f} | {r['wall_s']:.2f} "
                    f"| {r['cpu_s']:.2f} | {fmt_int(r['articles'] / r['wall_s'])} | {mb / r['wall_s']:.2f} "
                    f"| {r['max_rss_kib'] / 1024:,.0f} | – | – | – | – | {r['load1']} | {r.get('runs', 1)} |"
                )
                continue
            out.append(
                f"| {r['corpus']} | {r['tool']} | {fmt_int(r['articles'])} | {mb:.1f} | {r['wall_s']:.2f} "
                f"| {r['cpu_s']:.2f} | {fmt_int(r['articles'] / r['wall_s'])} | {mb / r['wall_s']:.2f} "
                f"| {r['max_rss_kib'] / 1024:,.0f} | {fmt(r['precision'])} | {fmt(r['recall'])} | {fmt(r['f1'])} "
                f"| {fmt_int(r['groups'])} | {r['load1']} | {r.get('runs', 1)} |"
            )
        out.append("")
        out.append(
            "Pairs: pairwise precision/recall/F1 of near-duplicate groups against the generator's `dup_of` "
            "groups. MB = 10^6 bytes of the `text` field. The hashing floor (`examples/hash_floor.rs`) only "
            "reads each record's `text` (serde_json) and hashes every 5-word shingle once with xxh3: no cleaning, "
            "no sketch, no index."
        )
        out.append("")
        out.extend(ratio_table(dedup))
    story = [r for r in rows if r["kind"] == "story"]
    if story:
        out.append("### Story clustering on the labelled dev sets (`../shared/data/dev/`, gold field `story`)")
        out.append("")
        out.append("| data set | tool | articles | B-cubed P | B-cubed R | B-cubed F1 | clusters | wall s | CPU s | peak RSS MiB | load (1 min) | runs |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in story:
            if r.get("error"):
                out.append(f"| {r['corpus']} | {r['tool']} | | failed: {r['error']} |" + " |" * 8)
                continue
            out.append(
                f"| {r['corpus']} | {r['tool']} | {fmt_int(r['articles'])} | {fmt(r['precision'])} | {fmt(r['recall'])} "
                f"| {fmt(r['f1'])} | {fmt_int(r['clusters'])} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} "
                f"| {r['max_rss_kib'] / 1024:,.0f} | {r['load1']} | {r.get('runs', 1)} |"
            )
        out.append("")
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("minhash")
    p.add_argument("corpus")
    p.add_argument("out")
    p.add_argument("--threshold", type=float, required=True)
    p.add_argument("--shingle-words", type=int, required=True)
    p.add_argument("--num-perm", type=int, default=128)
    p.set_defaults(func=cmd_minhash)
    p = sub.add_parser("gaoya")
    p.add_argument("corpus")
    p.add_argument("out")
    p.add_argument("--threshold", type=float, required=True)
    p.add_argument("--shingle-words", type=int, required=True)
    p.add_argument("--bands", type=int, required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--hash-bits", type=int, choices=[8, 16, 32, 64], default=32)
    p.add_argument("--id-container", choices=["set", "vec", "smallvec"], default="set")
    p.add_argument(
        "--tokenizer",
        choices=["shingles", "gaoya"],
        default="shingles",
        help="our shingles (those datasketch hashes) or gaoya's own white-space word shingles",
    )
    p.set_defaults(func=cmd_gaoya)
    p = sub.add_parser("lshparams")
    p.add_argument("--threshold", type=float, required=True)
    p.add_argument("--num-perm", type=int, default=128)
    p.set_defaults(func=cmd_lshparams)
    p = sub.add_parser("dupscore")
    p.add_argument("corpus")
    p.add_argument("pred")
    p.set_defaults(func=cmd_dupscore)
    p = sub.add_parser("tfidf")
    p.add_argument("devset")
    p.add_argument("--threshold", type=float, required=True)
    p.add_argument(
        "--stop-words",
        choices=["english", "none"],
        default="english",
        help="scikit-learn's English stop word list (the setting that gives the reference figures of "
        "../shared/data/dev/README.md) or none",
    )
    p.set_defaults(func=cmd_tfidf)
    p = sub.add_parser("corpusinfo")
    p.add_argument("corpus")
    p.set_defaults(func=cmd_corpusinfo)
    p = sub.add_parser("record")
    p.add_argument("json", nargs="*")
    p.add_argument("--time", required=True)
    p.add_argument("--rc", type=int, required=True)
    p.add_argument("--load", required=True)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--kind", required=True)
    p.add_argument("--tool", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--storyclust-eval")
    p.set_defaults(func=cmd_record)
    p = sub.add_parser("table")
    p.add_argument("results")
    p.set_defaults(func=cmd_table)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    sys.exit(main())

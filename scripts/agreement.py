#!/usr/bin/env python3
"""B-cubed agreement between two membership outputs (JSON Lines rows with
`id` and `story`, as `storyclust cluster --format jsonl` and
`python -m storyclust.spark` write them), the first taken as truth, over the
ids both hold.

    scripts/agreement.py single.jsonl distributed.jsonl [FIELD]

FIELD is `story` (default), `storyline` or `duplicate_group`; an empty
label counts as the article alone.
"""
import collections
import json
import sys


def load(path, field):
    with open(path, encoding="utf-8") as f:
        rows = map(json.loads, f)
        return {r["id"]: r[field] or f"alone:{r['id']}" for r in rows}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    field = sys.argv[3] if len(sys.argv) == 4 else "story"
    a, b = load(sys.argv[1], field), load(sys.argv[2], field)
    ids = [i for i in a if i in b]
    if not ids:
        sys.exit("no id is in both files")
    by_a, by_b = collections.Counter(a[i] for i in ids), collections.Counter(b[i] for i in ids)
    both = collections.Counter((a[i], b[i]) for i in ids)
    p = sum(both[(a[i], b[i])] / by_b[b[i]] for i in ids) / len(ids)
    r = sum(both[(a[i], b[i])] / by_a[a[i]] for i in ids) / len(ids)
    print(f"{len(a)} and {len(b)} rows, {len(ids)} in both; {field} agreement: "
          f"B-cubed P {p:.4f} R {r:.4f} F1 {2 * p * r / (p + r):.4f}")


if __name__ == "__main__":
    main()

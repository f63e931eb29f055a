#!/usr/bin/env python3
"""Adds a labelled JSON Lines set to a fresh story store one publication day
at a time (undated records last), then scores the store's stories against
the gold field with B-cubed F1, beside `cluster` on the whole set.

usage: scripts/add_by_day.py BINARY SET.jsonl GOLD_FIELD [--days-per-add N] [--adds-per-day K] [--storylines] [ADD FLAGS...]

--days-per-add N puts N consecutive publication days (counted from the
first) in each add: how much of a gap to batch comes from an add not seeing
the days after it. --adds-per-day K deals each day's records, in the set's
order, into K adds (record i into add i mod K), stamped at hours 0 to K-1:
news that arrives through the day, as an hourly feed brings it. --storylines scores the store's storylines (and the
batch run's) instead of its stories. Other flags (--active-days N) go to every add.
"""
import collections, datetime, json, os, sqlite3, subprocess, sys, tempfile


def bcubed(gold, pred):
    by_gold, by_pred = collections.Counter(gold.values()), collections.Counter(pred.values())
    both = collections.Counter((gold[i], pred[i]) for i in gold)
    p = sum(both[(gold[i], pred[i])] / by_pred[pred[i]] for i in gold) / len(gold)
    r = sum(both[(gold[i], pred[i])] / by_gold[gold[i]] for i in gold) / len(gold)
    return p, r, 2 * p * r / (p + r)


def main():
    binary, path, field = sys.argv[1:4]
    extra = sys.argv[4:]
    per_add = 1
    if "--days-per-add" in extra:
        at = extra.index("--days-per-add")
        per_add = int(extra[at + 1])
        del extra[at:at + 2]
    adds_per_day = 1
    if "--adds-per-day" in extra:
        at = extra.index("--adds-per-day")
        adds_per_day = int(extra[at + 1])
        del extra[at:at + 2]
    level = "story"
    if "--storylines" in extra:
        extra.remove("--storylines")
        level = "storyline"
    rows = [json.loads(line) for line in open(path)]
    gold = {r["id"]: r[field] for r in rows}
    dated = [datetime.date.fromisoformat(r["published"][:10]) for r in rows if r.get("published")]
    first = min(dated) if dated else None
    days = collections.defaultdict(list)
    for r in rows:
        day = (r.get("published") or "")[:10] or "~"
        if day != "~" and per_add > 1:
            # The add of days [k N, (k + 1) N) after the first is named by
            # its first day, and its clock is its last.
            start = (datetime.date.fromisoformat(day) - first).days // per_add * per_add
            day = (first + datetime.timedelta(days=start)).isoformat()
        days[day].append(r)
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "news.db")
        n_adds = 0
        for day in sorted(days):
            now = max((r.get("published") or "")[:10] for r in days[day]) or sorted(days)[-2]
            for hour in range(adds_per_day):
                part = days[day][hour::adds_per_day]
                if not part:
                    continue
                batch = os.path.join(tmp, "batch.jsonl")
                with open(batch, "w") as f:
                    for r in part:
                        f.write(json.dumps(r) + "\n")
                stamp = now if adds_per_day == 1 else f"{now}T{hour:02d}:00:00Z"
                subprocess.run([binary, "add", "-q", "--store", store, "--now", stamp, *extra, batch],
                               check=True, stdout=subprocess.DEVNULL)
                n_adds += 1
        query = ("SELECT id, story FROM articles" if level == "story" else
                 "SELECT a.id, s.storyline FROM articles a JOIN stories s ON a.story = s.id")
        pred = dict(sqlite3.connect(store).execute(query))
        out = subprocess.run([binary, "cluster", "-q", "--format", "jsonl", path], check=True,
                             capture_output=True, text=True).stdout
        batch_pred = {json.loads(l)["id"]: json.loads(l)[level] for l in out.splitlines()}
    assert set(pred) == set(gold), "the store lost or invented articles"
    a = bcubed(gold, pred)
    b = bcubed(gold, batch_pred)
    print(f"{os.path.basename(path)}: {n_adds} adds; by day B-cubed P {a[0]:.3f} R {a[1]:.3f} F1 {a[2]:.3f} "
          f"({len(set(pred.values()))} {level}s); batch P {b[0]:.3f} R {b[1]:.3f} F1 {b[2]:.3f} "
          f"({len(set(batch_pred.values()))} {level}s); difference {a[2] - b[2]:+.3f}")


main()

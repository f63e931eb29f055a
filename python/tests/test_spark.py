"""The Spark run (storyclust.spark) on a local cluster of two worker processes."""

import collections
import datetime
import json
import subprocess
import sys

import pyarrow
import pytest

import storyclust

import storyclust.spark as spark_module


@pytest.fixture(scope="module")
def spark():
    session = spark_module.local_session(workers=2, memory_mb=1024)
    yield session
    session.stop()


def bcubed(gold, pred):
    ids = list(gold)
    by_gold = collections.Counter(gold[i] for i in ids)
    by_pred = collections.Counter(pred[i] for i in ids)
    both = collections.Counter((gold[i], pred[i]) for i in ids)
    p = sum(both[(gold[i], pred[i])] / by_pred[pred[i]] for i in ids) / len(ids)
    r = sum(both[(gold[i], pred[i])] / by_gold[gold[i]] for i in ids) / len(ids)
    return 2 * p * r / (p + r)


def test_connected_components_are_the_graphs(spark):
    # Two chains, a star and a lone edge, numbered out of order.
    edges = [(9, 4), (4, 7), (7, 1), (20, 21), (21, 22), (22, 23), (30, 31), (30, 32), (30, 33), (40, 41)]
    frame = spark.createDataFrame(edges, "u long, v long")
    found = {r["node"]: r["component"] for r in spark_module.connected_components(frame, spark).collect()}
    assert found == {
        1: 1, 4: 1, 7: 1, 9: 1,
        20: 20, 21: 20, 22: 20, 23: 20,
        30: 30, 31: 30, 32: 30, 33: 30,
        40: 40, 41: 40,
    }


def test_a_long_chain_is_one_component(spark):
    # A path of 200 nodes given in a shuffled order: the iterations must
    # carry the smallest node along all of it.
    nodes = list(range(200))
    edges = [(nodes[i], nodes[i + 1]) for i in range(199)]
    edges = edges[::2] + edges[1::2]
    frame = spark.createDataFrame(edges, "u long, v long")
    found = {r["node"]: r["component"] for r in spark_module.connected_components(frame, spark).collect()}
    assert found == {n: 0 for n in nodes}


def test_each_article_has_its_home_window_and_the_next_as_context(spark):
    rows = [
        {"id": "a", "text": "x", "published": "2024-01-01"},  # day 19723
        {"id": "b", "text": "x", "published": "2024-01-06"},
        {"id": "c", "text": "x", "published": "2024-01-07T10:00:00Z"},
        {"id": "d", "text": "x"},
    ]
    frame = spark.createDataFrame(rows, "id string, text string, published string")
    windows = collections.defaultdict(set)
    for r in spark_module._windows(frame, core_days=7, overlap_days=3).collect():
        windows[r["id"]].add((r["window"], r["home"]))
    epoch = datetime.date(1970, 1, 1)
    for i, date in (("a", datetime.date(2024, 1, 1)), ("b", datetime.date(2024, 1, 6)), ("c", datetime.date(2024, 1, 7))):
        day = (date - epoch).days
        home = day // 7
        expected = {(home, True)} | {(w, False) for w in range(home + 1, (day + 3) // 7 + 1)}
        assert windows[i] == expected, i
    # 2024-01-01 is three days before the next window starts (2024-01-04):
    # also its context; 2024-01-06 is not.
    assert len(windows["a"]) == 2 and len(windows["b"]) == 1
    assert windows["d"] == {(spark_module.UNDATED_WINDOW, True)}


def test_one_window_gives_the_single_machine_stories(spark, dev_records):
    # WikiNews articles span years: with windows longer than the set, its
    # dated articles are one window, and must be the single-machine run of
    # them exactly (undated ones would be a window of their own).
    records = [
        {k: r.get(k) for k in ("id", "text", "title", "source", "published")} for r in dev_records if r.get("published")
    ]
    single = {r["id"]: r["story"] for r in pyarrow.table(storyclust.cluster(records)).to_pylist()}
    frame = spark.createDataFrame(records, "id string, text string, title string, source string, published string")
    rows, problems = spark_module.cluster(frame, core_days=100000, overlap_days=0)
    distributed = {r["id"]: r["story"] for r in rows.collect()}
    assert problems.count() == 0
    assert distributed.keys() == single.keys()
    assert bcubed(single, distributed) == 1.0


def test_windows_are_stitched_through_their_overlap(spark, tmp_path):
    # A generated corpus of 20 days cut into 4-day windows: the stitched
    # stories agree with the single-machine run.
    corpus = tmp_path / "corpus.jsonl"
    from conftest import binary

    subprocess.run([str(binary()), "generate", "-n", "8000", "--per-day", "400", "-o", str(corpus)], check=True)
    records = [json.loads(line) for line in corpus.open()]
    single = {r["id"]: r["story"] for r in pyarrow.table(storyclust.cluster(records)).to_pylist()}
    articles, read_problems = spark_module.read_inputs(spark, [str(corpus)])
    rows, problems = spark_module.cluster(articles, core_days=4, overlap_days=3)
    got = rows.collect()
    distributed = {r["id"]: r["story"] for r in got}
    assert read_problems.count() == 0 and problems.count() == 0
    assert distributed.keys() == single.keys()
    assert bcubed(single, distributed) >= 0.98
    # Every row has the command's columns, and a story's summary counts its rows.
    assert list(got[0].asDict()) == list(spark_module.OUTPUT_COLUMNS)
    sizes = collections.Counter(r["story"] for r in got)
    assert all(r["story_articles"] == sizes[r["story"]] for r in got)


def test_bad_lines_are_reported_and_the_rest_is_clustered(spark, tmp_path, seed_records):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps(r) for r in seed_records]
    lines.insert(2, "{not json")
    lines.append(json.dumps({"id": "no-text"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, read_problems = spark_module.read_inputs(spark, [str(path)])
    rows, problems = spark_module.cluster(articles)
    messages = [r["problem"] for r in read_problems.collect()]
    assert any(str(path) in m and "bad JSON" in m for m in messages), messages
    assert any("without id or text" in m for m in messages), messages
    assert sorted(r["id"] for r in rows.collect()) == sorted(r["id"] for r in seed_records)


def test_the_command_writes_the_membership_rows(tmp_path, seed_records):
    path = tmp_path / "seeds.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in seed_records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "storyclust.spark", str(path), "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.open()]
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in seed_records)
    assert all(list(r) == list(spark_module.OUTPUT_COLUMNS) for r in rows)

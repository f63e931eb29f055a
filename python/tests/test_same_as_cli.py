"""The package gives the command's results: cluster and dedup rows, from dicts and from Arrow."""

import pyarrow
import pytest

import storyclust
from conftest import DATA, csv_rows, table_rows, write_jsonl


def assert_same_rows(result, cli_csv):
    rows, columns = table_rows(result)
    expected = csv_rows(cli_csv)
    assert columns == list(expected[0].keys())
    assert rows == expected


@pytest.mark.parametrize("as_arrow", [False, True], ids=["dicts", "arrow"])
def test_cluster_of_the_seeds_is_the_commands(cli, seed_records, tmp_path, as_arrow):
    path = write_jsonl(tmp_path / "seeds.jsonl", seed_records)
    expected, _ = cli("cluster", "--format", "csv", "--quiet", path)
    articles = pyarrow.Table.from_pylist(seed_records) if as_arrow else seed_records
    result = storyclust.cluster(articles)
    assert_same_rows(result, expected)
    assert len(result) == 5 and result.problems == []
    # The gold answer of the seeds: 000 and 003 report one event.
    story = {row["id"]: row["story"] for row in table_rows(result)[0]}
    assert story["000_78970f930e2b17a4"] == story["003_2828a23e96756184"]
    assert len(set(story.values())) == 4


@pytest.mark.parametrize("as_arrow", [False, True], ids=["dicts", "arrow"])
def test_cluster_of_a_dev_set_is_the_commands(cli, dev_records, as_arrow):
    expected, _ = cli("cluster", "--format", "csv", "--quiet", DATA / "wikinews_fr.jsonl")
    articles = pyarrow.Table.from_pylist(dev_records) if as_arrow else dev_records
    assert_same_rows(storyclust.cluster(articles), expected)


def test_options_are_the_commands_flags(cli, dev_records):
    flags = ["--story-threshold", "0.2", "--shard-size", "16", "--window-days", "1", "--dup-threshold", "0.5"]
    expected, _ = cli("cluster", "--format", "csv", "--quiet", *flags, DATA / "wikinews_fr.jsonl")
    result = storyclust.cluster(dev_records, story_threshold=0.2, shard_size=16, window_days=1, dup_threshold=0.5)
    assert_same_rows(result, expected)
    default, _ = cli("cluster", "--format", "csv", "--quiet", DATA / "wikinews_fr.jsonl")
    assert csv_rows(expected) != csv_rows(default), "the options change the result"


def test_threads_do_not_change_the_result(dev_records):
    one = pyarrow.table(storyclust.cluster(dev_records, threads=1))
    two = pyarrow.table(storyclust.cluster(dev_records, threads=2))
    assert one.equals(two)


def test_dedup_is_the_commands(cli, dev_records, tmp_path):
    # Copies of three articles, one lightly edited, so that there are groups.
    copies = [dict(r, id=r["id"] + "-copy") for r in dev_records[:3]]
    copies[0]["text"] = copies[0]["text"].replace("2005", "2006", 1)
    records = dev_records + copies
    path = write_jsonl(tmp_path / "with_copies.jsonl", records)
    expected, _ = cli("dedup", "--format", "csv", "--quiet", path)
    for articles in (records, pyarrow.Table.from_pylist(records)):
        result = storyclust.dedup(articles)
        assert_same_rows(result, expected)
    groups = result.details()
    assert len(groups) >= 3 and all(g["size"] >= 2 for g in groups)
    assert any(g["members"] == [dev_records[0]["id"], copies[0]["id"]] for g in groups)


def test_details_is_the_commands_json(cli, seed_records, tmp_path):
    import json

    path = write_jsonl(tmp_path / "seeds.jsonl", seed_records)
    plain, _ = cli("cluster", "--format", "json", "--no-differences", "--quiet", path)
    with_differences, _ = cli("cluster", "--format", "json", "--quiet", path)
    result = storyclust.cluster(seed_records)
    assert result.details() == json.loads(plain)
    assert result.details(differences=True) == json.loads(with_differences)
    story = result.details()["stories"][0]
    assert {"id", "size", "summary", "members", "duplicate_groups", "links"} <= set(story)

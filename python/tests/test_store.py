"""The live store: add (twice: nothing changes), stories, show; the same rows as the command."""

import pyarrow
import pytest

import storyclust
from conftest import csv_rows, table_rows, write_jsonl

NOW = "2024-09-23T10:00:00Z"


def test_add_twice_stories_and_show(cli, dev_records, tmp_path):
    store = storyclust.Store(tmp_path / "news.db")
    first = store.add(dev_records, now=NOW)
    assert len(first) == 100 and first.problems == []
    details = first.details()
    assert len(details["added"]) == 100 and details["unchanged"] == 0 and details["new_stories"]
    lines = {r["storyline"] for r in table_rows(first)[0]}
    assert set(details["new_storylines"]) == lines and details["moved_stories"] == []
    assert details["moved_articles"] == []

    again = store.add(dev_records, now=NOW)
    assert again.details()["unchanged"] == 100 and again.details()["added"] == [] and len(again) == 0

    stories = store.stories()
    rows, columns = table_rows(stories)
    assert "story_first_seen" in columns and len(rows) == 100
    assert len({r["story"] for r in rows}) == len(details["new_stories"])
    big = store.stories(min_articles=3)
    assert all(int(r["story_articles"]) >= 3 for r in table_rows(big)[0])

    story_id = rows[0]["story"]
    shown = store.show(story_id)
    assert shown["id"] == story_id and shown["size"] == int(rows[0]["story_articles"])
    assert {m["id"] for m in shown["members"]} == {r["id"] for r in rows if r["story"] == story_id}
    assert "store" in shown


def test_store_rows_are_the_commands(cli, dev_records, tmp_path):
    path = write_jsonl(tmp_path / "dev.jsonl", dev_records)
    expected_add, _ = cli("add", "--store", tmp_path / "cli.db", "--now", NOW, "--format", "csv", "--quiet", path)
    store = storyclust.Store(tmp_path / "py.db")
    rows, _ = table_rows(store.add(dev_records, now=NOW))
    assert rows == csv_rows(expected_add)
    expected_stories, _ = cli("stories", "--store", tmp_path / "cli.db", "--format", "csv")
    assert table_rows(store.stories())[0] == csv_rows(expected_stories)


def test_store_errors_are_the_commands(tmp_path):
    missing = storyclust.Store(tmp_path / "missing.db")
    with pytest.raises(storyclust.StoryclustError):
        missing.stories()
    assert not (tmp_path / "missing.db").exists(), "reading never creates a store"
    store = storyclust.Store(tmp_path / "news.db")
    store.add([{"id": "a", "text": "A storm hit the coast on Monday."}], now=NOW)
    with pytest.raises(ValueError, match="is not a story id of a store"):
        store.show("s1")
    with pytest.raises(storyclust.StoryclustError, match="no story 2001-01-01-1"):
        store.show("2001-01-01-1")
    with pytest.raises(ValueError, match="since"):
        store.stories(since="yesterday")
    with pytest.raises(ValueError, match="option 'now'"):
        store.add([{"id": "b", "text": "x"}], now="Monday")
    with pytest.raises(storyclust.StoryclustError):
        store.add([{"id": "b", "text": "x"}, {"text": "no id"}], now=NOW, strict=True)
    assert pyarrow.table(store.stories()).num_rows == 1, "a strict add with problems adds nothing"

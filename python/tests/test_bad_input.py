"""Bad records are reported as the command reports them, with row numbers; strict raises; options are checked."""

import datetime

import pyarrow
import pytest

import storyclust
from conftest import write_jsonl

GOOD = {"id": "a", "title": "Storm hits the coast", "text": "A storm hit the coast on Monday, officials said."}

BAD = [
    GOOD,
    {"title": "no id", "text": "An article without an id."},
    {"id": "b", "title": "no text"},
    {"id": ["c"], "text": "An id that is a list."},
    {"id": "d", "text": 42},
    {"id": "e", "text": "A date that is not one.", "published": "last Monday"},
    {"id": "a", "text": "The id of the first article again."},
    {"id": "f", "text": "Fine, and dated.", "published": "2024-09-23"},
]


def problem_lines(problems):
    return [(p.row, p.severity, p.kind, p.message) for p in problems]


def cli_problems(cli, path):
    """The command's problem lines on stderr, as (row, severity, message), and its summary line."""
    _, err = cli("cluster", "--format", "csv", path, check=False)
    lines = [line.removeprefix("storyclust: ") for line in err.splitlines()]
    problems = []
    for line in lines[:-1]:
        place, severity, message = line.split(": ", 2)
        problems.append((int(place.rsplit(":", 1)[1]), severity, message))
    return problems, lines[-1]


def test_bad_records_are_reported_with_their_rows_as_the_command_does(cli, tmp_path):
    result = storyclust.cluster(BAD)
    got = problem_lines(result.problems)
    assert [(row, kind) for row, _, kind, _ in got] == [
        (2, "missing id"),
        (3, "missing text"),
        (4, "missing id"),
        (5, "bad field"),
        (6, "bad date"),
        (7, "duplicate id"),
    ]
    expected, _ = cli_problems(cli, write_jsonl(tmp_path / "bad.jsonl", BAD))
    assert [(row, severity, message) for row, severity, _, message in got] == [
        (row, severity, message.replace(str(tmp_path / "bad.jsonl"), "<list>")) for row, severity, message in expected
    ]
    assert all(p.input == "<list>" for p in result.problems)
    assert str(result.problems[0]) == "<list>:2: skipped: the record has no `id` field"
    assert sorted(pyarrow.table(result).column("id").to_pylist()) == ["a", "e", "f"]


def test_arrow_rows_are_reported_like_records():
    table = pyarrow.table(
        {
            "id": ["a", None, "b", "c"],
            "text": [GOOD["text"], "no id", None, "fine"],
            "published": [datetime.date(2024, 9, 23), None, None, datetime.date(2024, 9, 24)],
        }
    )
    result = storyclust.cluster(table)
    assert [(p.input, p.row, p.kind) for p in result.problems] == [
        ("<arrow>", 2, "missing id"),
        ("<arrow>", 3, "missing text"),
    ]
    rows = pyarrow.table(result).to_pylist()
    assert {r["id"]: r["published"] for r in rows} == {"a": "2024-09-23", "c": "2024-09-24"}


def test_dates_in_dicts_are_read_as_their_iso_text():
    records = [dict(GOOD, published=datetime.date(2024, 9, 23)), dict(GOOD, id="b", published=datetime.datetime(2024, 9, 24, 10, 0, tzinfo=datetime.timezone.utc))]
    rows = pyarrow.table(storyclust.cluster(records)).to_pylist()
    assert {r["id"]: r["published"] for r in rows} == {"a": "2024-09-23", "b": "2024-09-24"}


def test_strict_raises_with_the_commands_summary(cli, tmp_path):
    _, summary = cli_problems(cli, write_jsonl(tmp_path / "bad.jsonl", BAD))
    with pytest.raises(storyclust.StoryclustError) as raised:
        storyclust.cluster(BAD, strict=True)
    message = str(raised.value)
    assert message.splitlines()[0] == summary
    assert message.splitlines()[1] == "<list>:2: skipped: the record has no `id` field"
    assert len(raised.value.problems) == 6
    with pytest.raises(storyclust.StoryclustError):
        storyclust.dedup(BAD, strict=True)
    assert len(storyclust.cluster([GOOD], strict=True)) == 1


def test_no_usable_article_is_an_error():
    with pytest.raises(storyclust.StoryclustError, match="^no usable article in the input"):
        storyclust.cluster([{"title": "no id"}])
    with pytest.raises(storyclust.StoryclustError, match="^no usable article in the input"):
        storyclust.cluster([])


def test_what_is_not_articles_is_a_type_error():
    for wrong in ("a string", b"bytes", {"id": "a", "text": "a dict"}, 42):
        with pytest.raises(TypeError, match="articles must"):
            storyclust.cluster(wrong)
    with pytest.raises(TypeError, match="<list>:1: cannot write the record as JSON"):
        storyclust.cluster([{"id": "a", "text": "x", "tags": {"a set"}}])


def test_options_are_checked_by_name_type_and_range():
    with pytest.raises(TypeError, match="unknown option 'treshold'"):
        storyclust.cluster([GOOD], treshold=0.1)
    with pytest.raises(ValueError, match="option 'story_threshold': must be from 0 to 1"):
        storyclust.cluster([GOOD], story_threshold=1.5)
    with pytest.raises(ValueError, match="option 'shard_size': must be at least 1"):
        storyclust.cluster([GOOD], shard_size=0)
    with pytest.raises(TypeError, match="option 'window_days' takes a whole number"):
        storyclust.cluster([GOOD], window_days=2.5)
    with pytest.raises(TypeError, match="option 'story_threshold' takes a number"):
        storyclust.cluster([GOOD], story_threshold="0.1")
    with pytest.raises(ValueError, match="option 'threads': must be from 1 to 256"):
        storyclust.cluster([GOOD], threads=0)
    assert len(storyclust.cluster([GOOD], story_threshold=None, threads=1)) == 1
    assert "story_threshold" in storyclust.OPTIONS and "window_days" in storyclust.OPTIONS

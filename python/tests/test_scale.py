"""A generated corpus of 100k articles through polars, as the command clusters it."""

import polars
import pyarrow

import storyclust
from conftest import csv_rows

N = 100_000


def test_100k_generated_articles_through_polars(cli, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    cli("generate", "-n", N, "--seed", 7, "-o", corpus)
    articles = polars.read_ndjson(corpus)
    assert articles.height == N

    result = storyclust.cluster(articles)
    frame = polars.from_arrow(pyarrow.table(result))
    assert frame.height == N and result.problems == []
    assert frame["id"].n_unique() == N
    # Every row's story counts are its story's.
    sizes = frame.group_by("story").agg(polars.len().alias("n"), polars.col("story_articles").first())
    assert (sizes["n"] == sizes["story_articles"]).all()

    expected, _ = cli("cluster", "--format", "csv", "--quiet", corpus)
    expected = csv_rows(expected)
    assert frame["id"].to_list() == [r["id"] for r in expected]
    assert frame["story"].to_list() == [r["story"] for r in expected]
    assert frame["duplicate_group"].to_list() == [r["duplicate_group"] for r in expected]

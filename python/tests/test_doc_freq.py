"""Document frequencies counted apart (storyclust.doc_freq) and handed to cluster."""

import pyarrow
import pyarrow.compute as pc
import pytest

import storyclust


def stories(result):
    return pyarrow.table(result).select(["id", "story", "storyline", "duplicate_group"])


def test_the_table_has_language_rows_then_term_rows(dev_records):
    counted = storyclust.doc_freq(dev_records)
    table = pyarrow.table(counted)
    assert table.column_names == ["key", "language", "df", "capitalised", "lower"]
    assert table.schema.field("key").type == pyarrow.uint64()
    assert all(table.schema.field(c).type == pyarrow.uint32() for c in ("df", "capitalised", "lower"))
    rows = table.to_pylist()
    languages = [r for r in rows if r["language"] is not None]
    terms = rows[len(languages):]
    # The French set: its language first, then every term by key.
    assert [r["language"] for r in languages][:1] == ["fra"]
    assert all(r["key"] is None and r["capitalised"] == r["lower"] == 0 for r in languages)
    assert terms and all(r["key"] is not None and r["language"] is None for r in terms)
    assert [r["key"] for r in terms] == sorted(r["key"] for r in terms)
    assert sum(r["df"] for r in languages) == counted.documents <= len(dev_records)
    # No term is in more documents than its language holds; names are seen.
    assert max(r["df"] for r in terms) <= counted.documents
    assert any(r["capitalised"] > r["lower"] for r in terms)
    assert len(counted) == len(rows) and counted.problems == []


def test_clustering_with_its_own_frequencies_is_the_plain_run(dev_records):
    plain = storyclust.cluster(dev_records)
    given = storyclust.cluster(dev_records, doc_freq=storyclust.doc_freq(dev_records))
    assert pyarrow.table(given).equals(pyarrow.table(plain))
    # None is no table.
    assert pyarrow.table(storyclust.cluster(dev_records, doc_freq=None)).equals(pyarrow.table(plain))


def test_the_counts_of_parts_add_up_by_key_and_language(dev_records):
    half = len(dev_records) // 2
    first = pyarrow.table(storyclust.doc_freq(dev_records[:half]))
    second = pyarrow.table(storyclust.doc_freq(dev_records[half:]))
    both = pyarrow.concat_tables([first, second])
    # As an engine without unsigned types sums them: signed keys, 64-bit sums.
    summed = both.group_by(["key", "language"], use_threads=False).aggregate(
        [("df", "sum"), ("capitalised", "sum"), ("lower", "sum")]
    )
    summed = pyarrow.table({
        "key": pc.cast(summed.column("key"), pyarrow.int64(), safe=False),
        "language": summed.column("language"),
        "df": summed.column("df_sum"),
        "capitalised": summed.column("capitalised_sum"),
        "lower": summed.column("lower_sum"),
    })
    assert summed.schema.field("df").type == pyarrow.uint64() and summed.num_rows < both.num_rows
    part = dev_records[:half]
    with_summed = stories(storyclust.cluster(part, doc_freq=summed))
    # The two tables one after the other are the same counts.
    assert with_summed.equals(stories(storyclust.cluster(part, doc_freq=both)))


def test_bad_frequency_tables_are_refused(dev_records):
    good = pyarrow.table(storyclust.doc_freq(dev_records[:10]))
    with pytest.raises(TypeError, match="doc_freq must export an Arrow stream"):
        storyclust.cluster(dev_records, doc_freq=[{"key": 1}])
    with pytest.raises(ValueError, match="no column 'lower'"):
        storyclust.cluster(dev_records, doc_freq=good.drop_columns(["lower"]))
    both = good.set_column(1, "language", pyarrow.array(["fra"] * good.num_rows))
    with pytest.raises(ValueError, match="either a key or a language"):
        storyclust.cluster(dev_records, doc_freq=both)
    negative = good.set_column(2, "df", pc.negate(good.column("df").cast(pyarrow.int64())))
    with pytest.raises(ValueError, match="negative 'df'"):
        storyclust.cluster(dev_records, doc_freq=negative)


def test_counting_reports_problems_as_cluster_does(dev_records):
    records = dev_records[:5] + [{"id": "empty"}]
    counted = storyclust.doc_freq(records)
    assert [p.kind for p in counted.problems] == ["missing text"]
    with pytest.raises(storyclust.StoryclustError):
        storyclust.doc_freq(records, strict=True)
    with pytest.raises(TypeError, match="unknown option"):
        storyclust.doc_freq(records, doc_freq=None)

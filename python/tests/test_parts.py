"""The steps of a near-duplicate run in parts (template_evidence,
learn_templates, fingerprints, bucket_candidates, copies), without an
engine: parts of an input give the groups of one dedup run of it."""

import pyarrow
import pytest

import storyclust


def test_parts_with_shared_templates_find_the_copies_of_one_run(seed_records):
    # The seeds and a copy of one of them, split in two parts.
    records = seed_records + [dict(seed_records[0], id="copy-of-first")]
    parts = [records[:3], records[3:]]
    templates = storyclust.learn_templates([storyclust.template_evidence(p) for p in parts])
    rows = []
    for part in parts:
        table, problems = storyclust.fingerprints(part, templates)
        assert problems == []
        rows += pyarrow.table(table).to_pylist()
    by_id = {r["id"]: r for r in rows}
    first, copy = by_id[seed_records[0]["id"]], by_id["copy-of-first"]
    assert first["bands"] == copy["bands"] and len(first["bands"]) > 10
    assert storyclust.copies([first["minhash"]], [copy["minhash"]]) == [1.0]
    other = by_id[seed_records[1]["id"]]
    assert storyclust.copies([first["minhash"]], [other["minhash"]]) == [None]
    assert storyclust.bucket_candidates([first["minhash"], copy["minhash"], other["minhash"]]) == [(0, 1), (0, 2), (1, 2)]
    single = pyarrow.table(storyclust.dedup(records)).to_pylist()
    grouped = sorted(r["id"] for r in single if r["duplicate_group"])
    assert grouped == sorted([seed_records[0]["id"], "copy-of-first"])


def test_bytes_that_are_not_evidence_templates_or_signatures_are_refused(seed_records):
    evidence = storyclust.template_evidence(seed_records)
    with pytest.raises(ValueError, match="learn_templates: evidence that template_evidence did not give"):
        storyclust.learn_templates([evidence[:-3]])
    with pytest.raises(ValueError, match="fingerprints: templates that learn_templates did not give"):
        storyclust.fingerprints(seed_records, b"\x01")
    with pytest.raises(ValueError, match="copies: a signature of 3 bytes"):
        storyclust.copies([b"abc"], [b"abcd"])
    with pytest.raises(ValueError, match="copies: 1 signatures against 0"):
        storyclust.copies([b"abcd"], [])

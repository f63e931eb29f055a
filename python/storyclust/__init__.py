"""storyclust: near-duplicate news articles and story clusters, from Python.

``cluster(articles, **options)`` groups reports of one event into stories,
``dedup(articles, **options)`` finds near-duplicate copies only,
``doc_freq(articles, **options)`` counts the document frequencies a
``cluster`` run weighs terms by (to cluster a part of a corpus with the
corpus' frequencies: ``cluster(part, doc_freq=...)``), and
``Store(path)`` keeps stories whose ids never change across ``add`` calls.
``template_evidence``, ``learn_templates``, ``fingerprints``,
``bucket_candidates`` and ``copies`` are the steps of a
near-duplicate run in parts, for a distributed engine
(``storyclust.spark.dedup``).
``articles`` is anything that exports an Arrow stream (a pyarrow Table,
a polars DataFrame, a DuckDB result) or a list of dicts with the JSON Lines
fields (``id``, ``text`` or ``html``, ``title``, ``source``, ``published``,
``url``). Results export an Arrow stream too: ``pyarrow.table(result)``,
``polars.DataFrame(result)``. Options are the command's flags by the same
names, underscored (``story_threshold=0.1``, ``shard_size=4096``), with the
same defaults; ``OPTIONS`` lists them. See the type stubs for each call.
"""

from ._core import (
    DEFAULT_SHARD_SIZE,
    DEFAULT_WINDOW_DAYS,
    OPTIONS,
    Added,
    Clustered,
    Deduplicated,
    DocFreqTable,
    Problem,
    Store,
    StoryclustError,
    LARGE_BUCKET,
    bucket_candidates,
    cluster,
    copies,
    dedup,
    doc_freq,
    fingerprints,
    learn_templates,
    template_evidence,
)

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "DEFAULT_WINDOW_DAYS",
    "OPTIONS",
    "Added",
    "Clustered",
    "Deduplicated",
    "DocFreqTable",
    "Problem",
    "Store",
    "StoryclustError",
    "LARGE_BUCKET",
    "bucket_candidates",
    "cluster",
    "copies",
    "dedup",
    "doc_freq",
    "fingerprints",
    "learn_templates",
    "template_evidence",
]

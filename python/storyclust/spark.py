"""Stories at any size on Apache Spark: publication-date windows clustered by
the core on the workers, stitched in the engine.

Stories are local in time, but the weights of their words are not: the
core weighs a term by its document frequency, and a window's few days of
news make a word look rarer or commoner than the whole corpus does, so a
window on its own clusters its articles differently from a run over all of
them. First, then, the core counts the document frequencies of each input
partition (``mapInArrow`` calling ``storyclust.doc_freq``), the engine sums
them term by term (a ``groupBy``), and the corpus' counts go to every worker
(a broadcast), so that each window's articles are weighed as the corpus
weighs them (``storyclust.cluster(..., doc_freq=...)``).

An article's story candidates are the articles the single run's index
searches with it: its shard (``shard_size`` dated articles in publication
order, cut at day boundaries) and the ``window_days`` before the shard.
How many days that is depends on the feed's density: a shard of 2,048
articles is two days of a 1,000-a-day feed, and years of a small archive.
So the articles are cut into windows of ``core_days`` publication days
(7, or more: at least the days a shard spans), and each window also
receives, as context, the articles of the ``overlap_days`` before it (the
days a shard spans plus the index's reach before it, at least
``window_days``): every pair the single run compares for a window's own
articles is then inside the window. Spark groups the
articles by window (a shuffle) and a worker clusters each window with
``storyclust.cluster`` (``groupBy(...).applyInArrow``). An article thus
appears once in its own window (its *home*) and, near a window's end, again
as context in the next one. Where the next window puts a context article in
one story with its own articles, that story and the article's home story
are one: these links are the edges of a graph whose connected components,
computed in the engine by the large-star/small-star iterations (Kiveris et
al., *Connected Components in MapReduce and Beyond*, SoCC 2014), are the
stories. Storylines and duplicate groups are stitched the same way.

Undated articles have no window of days: they are clustered together in a
window of their own. When they are few (at most a shard: in the single run
they are then one index shard that every dated article searches), they are
also context in every dated window, and each goes into the dated story a
window put it in (the largest, if several did); more of them stay apart
(the single run cuts them by content).

The story summaries are the engine's aggregates over the stitched stories
(articles, sources, first and last publication date); the headline is the
one the core gave the largest home part of the story.

Near-duplicates (``dedup``) need no windows: copies are found at any
distance in time, through band keys grouped in the engine, and the groups
are exactly the single-machine run's (see ``dedup``'s steps).

Everything here is the engine's work or the core's: this module only states
the plan. ``python -m storyclust.spark INPUT... -o OUT.jsonl [--dedup]``
runs it on a local cluster of two workers (``scripts/distributed.sh`` sets
that up).
"""

import argparse
import json
import os
import sys
import time
from typing import Any, Dict, Iterable, List, Optional, Tuple

#: The input fields the core reads (those of a JSON Lines record).
INPUT_COLUMNS = ("id", "text", "html", "title", "source", "url", "published")

#: The membership columns, as ``storyclust cluster --format jsonl`` writes them.
OUTPUT_COLUMNS = (
    "id",
    "story",
    "storyline",
    "duplicate_group",
    "source",
    "title",
    "published",
    "story_headline",
    "story_articles",
    "story_sources",
    "story_first_published",
    "story_last_published",
)

#: The window of undated articles (a window number no date reaches: the
#: year 9999 is day 2.9 million).
UNDATED_WINDOW = (1 << 28) - 1

#: A node of the stitching graph is a window's local label: kind * 2**61 +
#: window * 2**32 + label number, the kind telling stories, storylines and
#: duplicate groups apart so that one graph stitches all three.
_LABEL_BITS = 32
_KIND_BITS = 61
_LABELS = ("story", "storyline", "duplicate_group")

#: The columns of ``storyclust.doc_freq`` in Spark's types: Spark has no
#: unsigned integers, so the key is the same 64 bits as a signed long, and
#: the counts are longs (what a sum gives); ``storyclust.cluster`` reads both.
_DOC_FREQ_SCHEMA = "key long, language string, df long, capitalised long, lower long"

_APPEARANCE_SCHEMA = (
    "window long, home boolean, id string, story long, storyline long, duplicate_group long, "
    "headline string, problem string"
)


class _Clock:
    """Wall time per stage into ``timings`` (a dict, or None for none).
    Spark runs a stage's work when something needs its result, so a run
    with timings makes each stage's result first (``done``): the stages'
    times then add up to the run's."""

    def __init__(self, timings: Optional[Dict[str, float]]):
        self.timings = timings
        self.start = time.perf_counter()

    def done(self, stage: str, frame=None):
        """Ends ``stage``: materialises ``frame`` (a DataFrame) when timed."""
        if self.timings is None:
            return frame
        if frame is not None:
            frame = frame.localCheckpoint()
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.start
        self.start = now
        return frame


def default_core_days() -> int:
    """The fewest days of publication a window holds as its own (more in a
    feed where an index shard spans more: ``window_plan``)."""
    return 7


def _label_number(label: Optional[str]) -> Optional[int]:
    """``s12`` -> 12, ``l3`` -> 3, ``g7`` -> 7; empty or missing -> None."""
    if not label:
        return None
    return int(label[1:])


def _count_function(options: Dict[str, Any]):
    """The function each input partition goes through on a worker: the
    core's document frequencies of its articles, in Spark's types."""

    def run(batches):
        import pyarrow as pa
        import pyarrow.compute as pc

        import storyclust

        batches = [b for b in batches if b.num_rows]
        if not batches:
            return
        table = pa.Table.from_batches(batches)
        try:
            counts = pa.table(storyclust.doc_freq(table.select(list(INPUT_COLUMNS)), **options))
        except storyclust.StoryclustError:
            # No usable article here: the windows report each of them.
            return
        key = pc.cast(counts.column("key"), pa.int64(), safe=False)
        counts = counts.set_column(0, "key", key)
        for name in ("df", "capitalised", "lower"):
            i = counts.schema.get_field_index(name)
            counts = counts.set_column(i, name, counts.column(name).cast(pa.int64()))
        yield from counts.to_batches()

    return run


def corpus_doc_freq(articles, **options: Any):
    """The document frequencies of a DataFrame of articles (the input
    fields as string columns), as a DataFrame of ``storyclust.doc_freq``'s
    columns: each partition counted by the core on a worker, the counts
    summed by key and language in the engine. They are those of one count
    over the whole, except where a near-duplicate group spans partitions
    (counted in each) or cleaning learns a site's templates from several."""
    from pyspark.sql import functions as F

    counts = articles.mapInArrow(_count_function(dict(options)), _DOC_FREQ_SCHEMA)
    return counts.groupBy("key", "language").agg(
        F.sum("df").alias("df"), F.sum("capitalised").alias("capitalised"), F.sum("lower").alias("lower")
    )


#: The corpus document frequencies a worker has read, by the run's token: a
#: Python worker serves many windows, and reads them once.
_BROADCAST_TABLES: Dict[str, Any] = {}


def _broadcast_table(shared):
    """The Arrow table of ``(token, broadcast)``, the broadcast holding
    Arrow IPC stream bytes."""
    import pyarrow as pa

    token, broadcast = shared
    if token not in _BROADCAST_TABLES:
        _BROADCAST_TABLES.clear()
        _BROADCAST_TABLES[token] = pa.ipc.open_stream(broadcast.value).read_all()
    return _BROADCAST_TABLES[token]


def _window_function(options: Dict[str, Any], doc_freq=None):
    """The function each window's group goes through on a worker: the core's
    clustering of the window's articles, one row per appearance, their terms
    weighed by the broadcast ``doc_freq`` when given (otherwise by the
    window's own frequencies)."""

    import pyarrow as pa

    schema = pa.schema([
        ("window", pa.int64()), ("home", pa.bool_()), ("id", pa.string()), ("story", pa.int64()),
        ("storyline", pa.int64()), ("duplicate_group", pa.int64()), ("headline", pa.string()),
        ("problem", pa.string()),
    ])

    # The hints tell Spark the function's form (a key and a whole table).
    def run(key: Tuple[pa.Scalar, ...], table: pa.Table) -> pa.Table:
        import storyclust

        window = key[0].as_py()
        columns = [c for c in INPUT_COLUMNS if c in table.column_names]
        home_of = dict(zip(table.column("id").to_pylist(), table.column("home").to_pylist()))
        rows: Dict[str, List[Any]] = {name: [] for name in
                                      ("window", "home", "id", "story", "storyline", "duplicate_group",
                                       "headline", "problem")}

        def emit(id_, home, story, line, group, headline, problem):
            rows["window"].append(window)
            rows["home"].append(home)
            rows["id"].append(id_)
            rows["story"].append(story)
            rows["storyline"].append(line)
            rows["duplicate_group"].append(group)
            rows["headline"].append(headline)
            rows["problem"].append(problem)

        given = {} if doc_freq is None else {"doc_freq": _broadcast_table(doc_freq)}
        try:
            result = storyclust.cluster(table.select(columns), **given, **options)
        except storyclust.StoryclustError as err:
            # No usable article in this window: each is reported, none lost silently.
            for id_, home in home_of.items():
                emit(id_, home, None, None, None, None, str(err).splitlines()[0])
            return pa.table(rows, schema=schema)
        out = pa.table(result).to_pylist()
        seen = set()
        for row in out:
            seen.add(row["id"])
            emit(row["id"], home_of[row["id"]], _label_number(row["story"]), _label_number(row.get("storyline")),
                 _label_number(row["duplicate_group"]), row["story_headline"], None)
        ids = table.column("id").to_pylist()
        homes = table.column("home").to_pylist()
        for problem in result.problems:
            # A problem names a row of this window's table: reported by the
            # article's home window only.
            row = (problem.row or 0) - 1
            if 0 <= row < len(ids) and not homes[row]:
                continue
            emit(ids[row] if 0 <= row < len(ids) else None, True, None, None, None, None, str(problem))
        for id_, home in home_of.items():
            if id_ is not None and id_ not in seen and home:
                emit(id_, home, None, None, None, None, f"{id_}: not clustered")
        return pa.table(rows, schema=schema)

    return run


def _windows(articles, core_days: int, overlap_days: int, undated_everywhere: bool = False):
    """Each article with its window (home) and, within ``overlap_days`` of
    the next windows' start, those windows as context. With
    ``undated_everywhere``, every undated article is also context in every
    dated window."""
    from pyspark.sql import functions as F

    day = F.datediff(F.to_date(F.substring(F.col("published"), 1, 10)), F.lit("1970-01-01"))
    dated = articles.withColumn("_day", day)
    home = F.when(F.col("_day").isNull(), F.lit(UNDATED_WINDOW)).otherwise(F.floor(F.col("_day") / core_days))
    dated = dated.withColumn("window", home.cast("long"))
    homes = dated.withColumn("home", F.lit(True))
    last = F.floor((F.col("_day") + overlap_days) / core_days).cast("long")
    context = (
        dated.filter(F.col("_day").isNotNull() & (last > F.col("window")))
        .withColumn("window", F.explode(F.sequence(F.col("window") + 1, last)))
        .withColumn("home", F.lit(False))
    )
    out = homes.unionByName(context)
    if undated_everywhere:
        windows = dated.filter(F.col("_day").isNotNull()).select(F.col("window").alias("_w")).distinct()
        everywhere = (
            dated.filter(F.col("_day").isNull()).crossJoin(F.broadcast(windows))
            .withColumn("window", F.col("_w")).drop("_w").withColumn("home", F.lit(False))
        )
        out = out.unionByName(everywhere)
    return out.drop("_day")


def connected_components(edges, spark):
    """The connected components of an undirected graph given as a DataFrame
    of ``(u, v)`` long pairs: ``(node, component)`` with the component the
    smallest node in it, for every node on an edge. Large-star and
    small-star steps alternate until the small-star step changes nothing;
    each step is a join and a group-by in the engine."""
    from pyspark.sql import functions as F

    e = edges.select(F.col("u").cast("long"), F.col("v").cast("long")).filter(F.col("u") != F.col("v"))
    e = e.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v")).distinct().localCheckpoint()
    while True:
        start = e
        # Large star: each node links its larger neighbours to its smallest neighbour (or itself).
        both = e.unionByName(e.select(F.col("v").alias("u"), F.col("u").alias("v")))
        low = both.groupBy("u").agg(F.min("v").alias("m")).withColumn("m", F.least("m", "u"))
        e = (
            both.filter(F.col("v") > F.col("u")).join(low, "u")
            .select(F.col("v").alias("u"), F.col("m").alias("v")).distinct().localCheckpoint()
        )
        # Small star: each node links itself and its smaller neighbours to the smallest of them.
        low = e.groupBy("u").agg(F.min("v").alias("m"))
        moved = (
            e.join(low, "u").filter(F.col("v") != F.col("m"))
            .select(F.col("v").alias("u"), F.col("m").alias("v"))
        )
        nxt = moved.unionByName(low.select("u", F.col("m").alias("v")))
        nxt = nxt.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v")).distinct().localCheckpoint()
        changed = nxt.exceptAll(start).unionByName(start.exceptAll(nxt)).limit(1).count()
        e = nxt
        if changed == 0:
            break
    # A star now: every node but the centre points at the centre.
    nodes = e.select(F.col("u").alias("node"), F.col("v").alias("component"))
    centres = e.select(F.col("v").alias("node"), F.col("v").alias("component"))
    return nodes.unionByName(centres).groupBy("node").agg(F.min("component").alias("component"))


def _stitch_edges(appearances, label: str):
    """The home appearances with their ``label``'s node (a window's local
    story, storyline or duplicate group), and the edges that stitch the
    windows' nodes through their context appearances."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    kind = _LABELS.index(label) << _KIND_BITS
    node = (F.lit(kind) + F.col("window") * F.lit(1 << _LABEL_BITS) + F.col(label)).cast("long")
    labelled = appearances.filter(F.col(label).isNotNull()).withColumn("node", node)
    # A context article stitches its window's part to its home part only
    # where that part holds one of the window's own articles.
    owned = labelled.groupBy("node").agg(F.sum(F.col("home").cast("int")).alias("owned"))
    ctx = labelled.filter(~F.col("home")).join(owned.filter(F.col("owned") > 0), "node").select(
        "id", F.col("node").alias("u"), "owned")
    homes = labelled.filter(F.col("home")).select("id", "node")
    # Undated articles seen as context in dated windows (when they are few:
    # `_windows`' undated_everywhere) each go where a dated window put
    # them, as an undated article joins one story in the single run: into
    # the part with the most of its window's own articles (the undated
    # window's clustering of them among themselves is kept only for those
    # no dated part took). They never stitch two dated parts together.
    undated_ids = labelled.filter(F.col("home") & (F.col("window") == F.lit(UNDATED_WINDOW))).select("id")
    taken = ctx.join(undated_ids, "id")
    by_size = Window.partitionBy("id").orderBy(F.col("owned").desc(), F.col("u"))
    placed = taken.withColumn("_rank", F.row_number().over(by_size)).filter(F.col("_rank") == 1).select("id", "u")
    homes = homes.join(placed, "id", "left").select("id", F.coalesce(F.col("u"), F.col("node")).alias("node"))
    ctx = ctx.join(undated_ids, "id", "left_anti")
    # Each part is stitched to the one home part it shares most context
    # articles with: two home parts that a later window puts together
    # through a few context articles (seen there without their own earlier
    # days) are not merged through it, only continued.
    shared = ctx.join(homes.select("id", F.col("node").alias("v")), "id").groupBy("u", "v").count()
    best = Window.partitionBy("u").orderBy(F.col("count").desc(), F.col("v"))
    edges = shared.withColumn("_rank", F.row_number().over(best)).filter(F.col("_rank") == 1).select("u", "v")
    return homes, edges


def _stitched_all(appearances, spark):
    """For each label (story, storyline, duplicate group), each home
    appearance with the component of its label after stitching: ``{label:
    DataFrame (id, <label>_component)}``; articles without the label have
    none. The three kinds are one graph (their nodes never meet), so the
    engine runs the connected components once."""
    from pyspark.sql import functions as F

    parts = {label: _stitch_edges(appearances, label) for label in _LABELS}
    edges = None
    for _, e in parts.values():
        edges = e if edges is None else edges.unionByName(e)
    components = connected_components(edges, spark).localCheckpoint()
    return {
        label: homes.join(components, "node", "left").select(
            "id", F.coalesce(F.col("component"), F.col("node")).alias(f"{label}_component")
        )
        for label, (homes, _) in parts.items()
    }


def _ranked(ids, component: str, prefix: str):
    """Names components by size, largest first (ties: the smallest component
    number): ``s1``, ``s2``, ..."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    sizes = ids.groupBy(component).agg(F.count("*").alias("_n"))
    order = Window.orderBy(F.col("_n").desc(), F.col(component))
    named = sizes.withColumn(f"_{prefix}", F.concat(F.lit(prefix), F.row_number().over(order).cast("string")))
    return named.select(component, f"_{prefix}")


def window_plan(articles, core_days: Optional[int] = None, overlap_days: Optional[int] = None,
                **options: Any) -> Tuple[int, int]:
    """``(core_days, overlap_days)`` for ``articles``: each as given, or
    from the feed's density (its dated articles over the days from its
    first to its last): a shard spans ``shard_days`` = shard_size / (articles
    a day) days; windows hold ``max(7, shard_days)`` days and see
    ``shard_days + min(window_days, shard_days)`` days before them (at
    least ``window_days``), the reach of the single run's index."""
    import math

    import storyclust
    from pyspark.sql import functions as F

    reach = options.get("window_days") or storyclust.DEFAULT_WINDOW_DAYS
    if core_days is None or overlap_days is None:
        shard = options.get("shard_size") or storyclust.DEFAULT_SHARD_SIZE
        day = F.datediff(F.to_date(F.substring(F.col("published"), 1, 10)), F.lit("1970-01-01"))
        row = articles.select(day.alias("d")).agg(F.count("d").alias("n"), F.min("d").alias("lo"),
                                                  F.max("d").alias("hi")).first()
        per_day = row["n"] / (row["hi"] - row["lo"] + 1) if row["n"] else 0.0
        shard_days = math.ceil(shard / per_day) if per_day else 1
        core_days = max(default_core_days(), shard_days) if core_days is None else core_days
        if overlap_days is None:
            overlap_days = max(reach, shard_days + min(reach, shard_days))
    return core_days, overlap_days


def cluster(articles, *, core_days: Optional[int] = None, overlap_days: Optional[int] = None,
            corpus_weights: bool = True, timings: Optional[Dict[str, float]] = None, **options: Any):
    """Stories of a Spark DataFrame of articles (the JSON Lines fields as
    string columns), as a DataFrame with the columns of ``storyclust cluster
    --format jsonl`` and a DataFrame of problems (``id``, ``problem``).

    ``core_days``: publication days a window holds as its own;
    ``overlap_days``: days of the window before that each window also sees
    (defaults from the feed's density: ``window_plan``). ``corpus_weights``: weigh terms by the corpus'
    document frequencies (``corpus_doc_freq``, the default) rather than by
    each window's own. ``timings``: a dict that receives the wall time of
    each stage (the result is then made stage by stage). Other options
    are ``storyclust.cluster``'s.
    """
    import storyclust
    from pyspark.sql import functions as F

    clock = _Clock(timings)
    spark = articles.sparkSession
    if (core_days is not None and core_days < 1) or (overlap_days is not None and overlap_days < 0):
        raise ValueError("core_days must be at least 1 and overlap_days at least 0")
    articles = clock.done("read", _input_columns(articles))
    core_days, overlap_days = window_plan(articles, core_days, overlap_days, **options)
    # Few undated articles are, in the single run, candidates of every
    # dated one (one index shard of them, searched by all); so here they
    # are context in every window. More than a shard are cut by content
    # there, and form a window of their own here.
    shard = options.get("shard_size") or storyclust.DEFAULT_SHARD_SIZE
    n_undated = articles.filter(F.to_date(F.substring(F.col("published"), 1, 10)).isNull()).count()

    doc_freq = None
    if corpus_weights:
        # Collected once on the driver and sent to every worker as bytes.
        import pyarrow as pa

        table = corpus_doc_freq(articles, **options).toArrow()
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        import uuid

        doc_freq = (uuid.uuid4().hex, spark.sparkContext.broadcast(sink.getvalue().to_pybytes()))
        clock.done("document frequencies")
    appearances = (
        _windows(articles, core_days, overlap_days, undated_everywhere=0 < n_undated <= shard)
        .groupBy("window")
        .applyInArrow(_window_function(dict(options), doc_freq), _APPEARANCE_SCHEMA)
        .localCheckpoint()
    )
    clock.done("windows clustered")
    if doc_freq is not None:
        doc_freq[1].unpersist()
    problems = appearances.filter(F.col("problem").isNotNull() & F.col("home")).select("id", "problem")
    clustered = appearances.filter(F.col("problem").isNull())

    stitched = _stitched_all(clustered, spark)
    clock.done("stitched")
    stories, lines, groups = (stitched[label] for label in _LABELS)
    members = (
        stories.join(lines, "id", "left").join(groups, "id", "left")
        .join(articles.select("id", "source", "title", "published"), "id")
    )
    members = members.join(_ranked(members, "story_component", "s"), "story_component")
    members = members.join(_ranked(members.filter(F.col("storyline_component").isNotNull()),
                                   "storyline_component", "l"), "storyline_component", "left")
    grouped = members.filter(F.col("duplicate_group_component").isNotNull())
    group_sizes = grouped.groupBy("duplicate_group_component").agg(F.count("*").alias("_gn"))
    members = members.join(group_sizes, "duplicate_group_component", "left")
    members = members.withColumn(
        "duplicate_group_component",
        F.when(F.col("_gn") >= 2, F.col("duplicate_group_component")),
    )
    members = members.join(_ranked(members.filter(F.col("duplicate_group_component").isNotNull()),
                                   "duplicate_group_component", "g"), "duplicate_group_component", "left")

    # The headline of the largest home part of each story.
    homes = clustered.filter(F.col("home"))
    parts = (
        homes.join(stories, "id")
        .groupBy("story_component", "window", "story")
        .agg(F.count("*").alias("_part"), F.first("headline").alias("_headline"))
    )
    from pyspark.sql import Window

    best = Window.partitionBy("story_component").orderBy(F.col("_part").desc(), F.col("window"), F.col("story"))
    headlines = (
        parts.withColumn("_rank", F.row_number().over(best)).filter(F.col("_rank") == 1)
        .select("story_component", F.col("_headline").alias("story_headline"))
    )
    date = F.substring(F.col("published"), 1, 10)
    summaries = members.groupBy("story_component").agg(
        F.count("*").alias("story_articles"),
        F.countDistinct(F.when(F.col("source") != "", F.col("source"))).alias("story_sources"),
        F.min(F.when(date != "", date)).alias("story_first_published"),
        F.max(F.when(date != "", date)).alias("story_last_published"),
    )
    text = lambda c: F.coalesce(F.col(c), F.lit(""))  # noqa: E731
    out = (
        members.join(summaries, "story_component").join(headlines, "story_component", "left")
        .select(
            "id",
            F.col("_s").alias("story"),
            F.coalesce(F.col("_l"), F.lit("")).alias("storyline"),
            F.coalesce(F.col("_g"), F.lit("")).alias("duplicate_group"),
            text("source").alias("source"),
            text("title").alias("title"),
            text("published").alias("published"),
            text("story_headline").alias("story_headline"),
            "story_articles",
            "story_sources",
            text("story_first_published").alias("story_first_published"),
            text("story_last_published").alias("story_last_published"),
            F.col("story_articles").alias("_n"),
        )
        .orderBy(F.col("_n").desc(), F.length("story"), "story", "id")
        .drop("_n")
    )
    return clock.done("rows", out), problems


def _input_columns(articles):
    """The input fields as string columns (a missing one null)."""
    from pyspark.sql import functions as F

    for column in INPUT_COLUMNS:
        if column not in articles.columns:
            articles = articles.withColumn(column, F.lit(None).cast("string"))
    return articles.select(*[F.col(c).cast("string") for c in INPUT_COLUMNS])


def _part(batches):
    """A partition's Arrow batches as one table of the input columns, or
    None when it holds no row."""
    import pyarrow as pa

    batches = [b for b in batches if b.num_rows]
    if not batches:
        return None
    return pa.Table.from_batches(batches).select(list(INPUT_COLUMNS))


def _evidence_function(options: Dict[str, Any]):
    """Each input partition's template evidence, one row."""

    def run(batches):
        import pyarrow as pa

        import storyclust

        table = _part(batches)
        if table is not None:
            evidence = storyclust.template_evidence(table, **options)
            yield pa.RecordBatch.from_pydict({"evidence": [evidence]}, schema=pa.schema([("evidence", pa.binary())]))

    return run


def _fingerprint_function(options: Dict[str, Any], templates):
    """Each input partition's articles cleaned with the broadcast templates
    and fingerprinted: ``(id, minhash, bands, problem)`` rows, the band
    keys as Spark's signed longs, a problem row naming its article."""

    def run(batches):
        import pyarrow as pa
        import pyarrow.compute as pc

        import storyclust

        table = _part(batches)
        if table is None:
            return
        ids = table.column("id").to_pylist()

        def problem_rows(messages):
            return pa.table({
                "id": pa.array([i for i, _ in messages], pa.string()),
                "minhash": pa.nulls(len(messages), pa.binary()),
                "bands": pa.nulls(len(messages), pa.list_(pa.int64())),
                "problem": pa.array([m for _, m in messages], pa.string()),
            })

        try:
            found, problems = storyclust.fingerprints(table, templates.value, **options)
        except storyclust.StoryclustError as err:
            # No usable article in this partition: each is reported.
            yield from problem_rows([(i, str(err).splitlines()[0]) for i in ids]).to_batches()
            return
        found = pa.table(found)
        bands = pc.cast(found.column("bands"), pa.list_(pa.int64()), safe=False)
        rows = pa.table({
            "id": found.column("id"), "minhash": found.column("minhash"), "bands": bands,
            "problem": pa.nulls(found.num_rows, pa.string()),
        })
        yield from rows.to_batches()
        named = [(ids[p.row - 1] if p.row and p.row <= len(ids) else None, str(p)) for p in problems]
        if named:
            yield from problem_rows(named).to_batches()

    return run


_FINGERPRINT_SCHEMA = "id string, minhash binary, bands array<long>, problem string"


def _copies_function(options: Dict[str, Any]):
    """Candidate pairs ``(a, b, sig_a, sig_b)`` to the copies among them,
    ``(a, b)``: the core's check of the full signatures."""

    def run(batches):
        import pyarrow as pa

        import storyclust

        for batch in batches:
            if not batch.num_rows:
                continue
            linked = storyclust.copies(batch.column("sig_a").to_pylist(), batch.column("sig_b").to_pylist(), **options)
            keep = pa.array([r is not None for r in linked])
            yield pa.RecordBatch.from_arrays(
                [batch.column("a").filter(keep), batch.column("b").filter(keep)], names=["a", "b"]
            )

    return run


def _large_bucket_function():
    """Buckets of more than ``LARGE_BUCKET`` members (``nodes`` and
    ``sigs`` in article id order) to the core's candidate pairs."""

    def run(batches):
        import pyarrow as pa

        import storyclust

        for batch in batches:
            a, b = [], []
            for nodes, sigs in zip(batch.column("nodes").to_pylist(), batch.column("sigs").to_pylist()):
                for i, j in storyclust.bucket_candidates(sigs):
                    a.append(nodes[i])
                    b.append(nodes[j])
            yield pa.RecordBatch.from_pydict({"a": a, "b": b}, schema=pa.schema([("a", pa.int64()), ("b", pa.int64())]))

    return run


def dedup(articles, *, timings: Optional[Dict[str, float]] = None, **options: Any):
    """The near-duplicate groups of a Spark DataFrame of articles (the
    JSON Lines fields as string columns), those of ``storyclust dedup`` on
    the same articles: a DataFrame of its ``--format jsonl`` rows (``id``,
    ``duplicate_group``, ``group_size``) and a DataFrame of problems
    (``id``, ``problem``).

    1. Each partition's documents tell template learning what lines they
       hold (``storyclust.template_evidence``, on the workers); the driver
       learns the templates from all of them (``learn_templates``: a few
       hundred bytes an article) and broadcasts them.
    2. Each partition is cleaned with those templates and fingerprinted
       (``storyclust.fingerprints``): a MinHash signature and its LSH band
       keys per article.
    3. The engine groups articles by (band, key); a bucket's candidate
       pairs are every pair (in the engine) or, in a bucket of more than
       ``LARGE_BUCKET``, the core's star links (``bucket_candidates``).
    4. Each distinct candidate pair is checked on the two full signatures
       (``storyclust.copies``), and the copies' connected components
       (large-star/small-star, in the engine) are the groups.

    ``timings``: a dict that receives the wall time of each stage (the
    result is then made stage by stage).
    """
    import storyclust
    from pyspark.sql import functions as F

    clock = _Clock(timings)
    spark = articles.sparkSession
    articles = clock.done("read", _input_columns(articles))
    evidence = [r["evidence"] for r in articles.mapInArrow(_evidence_function(dict(options)), "evidence binary").collect()]
    clock.done("template evidence")
    templates = spark.sparkContext.broadcast(storyclust.learn_templates(evidence, **options))
    clock.done("templates learnt (driver)")
    found = (
        articles.mapInArrow(_fingerprint_function(dict(options), templates), _FINGERPRINT_SCHEMA)
        .withColumn("node", F.monotonically_increasing_id())
        .localCheckpoint()
    )
    clock.done("fingerprints")
    templates.unpersist()
    problems = found.filter(F.col("problem").isNotNull()).select("id", "problem")
    kept = found.filter(F.col("problem").isNull()).select("id", "node", "minhash", "bands")

    keyed = kept.select("id", "node", F.posexplode("bands").alias("band", "key"))
    buckets = (
        keyed.groupBy("band", "key")
        .agg(F.sort_array(F.collect_list(F.struct("id", "node"))).alias("members"))
        .filter(F.size("members") >= 2)
        .select(F.col("members.node").alias("nodes"))
    )
    large = storyclust.LARGE_BUCKET
    # Every pair (i, j), i < j, of a small bucket's nodes (in id order).
    every_pair = F.expr(
        "flatten(transform(sequence(0, size(nodes) - 2), "
        "i -> transform(slice(nodes, i + 2, size(nodes) - i - 1), j -> named_struct('a', nodes[i], 'b', j))))"
    )
    small_pairs = buckets.filter(F.size("nodes") <= large).select(F.explode(every_pair).alias("p")).select("p.a", "p.b")
    signatures = kept.select("node", "minhash")
    large_buckets = (
        buckets.filter(F.size("nodes") > large)
        .withColumn("bucket", F.monotonically_increasing_id())
        .select("bucket", F.posexplode("nodes").alias("pos", "node"))
        .join(signatures, "node")
        .groupBy("bucket")
        .agg(F.sort_array(F.collect_list(F.struct("pos", "node", "minhash"))).alias("m"))
        .select(F.col("m.node").alias("nodes"), F.col("m.minhash").alias("sigs"))
    )
    large_pairs = large_buckets.mapInArrow(_large_bucket_function(), "a long, b long")
    pairs = small_pairs.unionByName(large_pairs).distinct()
    with_sigs = (
        pairs.join(signatures.select(F.col("node").alias("a"), F.col("minhash").alias("sig_a")), "a")
        .join(signatures.select(F.col("node").alias("b"), F.col("minhash").alias("sig_b")), "b")
    )
    edges = with_sigs.mapInArrow(_copies_function(dict(options)), "a long, b long").select(
        F.col("a").alias("u"), F.col("b").alias("v")
    )
    edges = clock.done("buckets and pairs checked", edges)
    components = clock.done("connected components", connected_components(edges, spark))
    members = kept.select("id", "node").join(components, "node", "left").select(
        "id", F.coalesce(F.col("component"), F.col("node")).alias("component")
    )
    sizes = members.groupBy("component").agg(F.count("*").alias("group_size"), F.min("id").alias("_first"))
    from pyspark.sql import Window

    order = Window.orderBy(F.col("group_size").desc(), F.col("_first"))
    named = sizes.filter(F.col("group_size") >= 2).withColumn(
        "duplicate_group", F.concat(F.lit("d"), F.row_number().over(order).cast("string"))
    )
    rows = (
        members.join(sizes.select("component", "group_size"), "component")
        .join(named.select("component", "duplicate_group"), "component", "left")
        .select(
            "id",
            F.coalesce(F.col("duplicate_group"), F.lit("")).alias("duplicate_group"),
            F.col("group_size").cast("long").alias("group_size"),
        )
        .orderBy("id")
    )
    return clock.done("rows", rows), problems


def local_session(workers: int = 2, memory_mb: int = 4096, shuffle_partitions: Optional[int] = None):
    """A Spark session on a local cluster of ``workers`` executor processes
    (one core each), its Python workers this interpreter; a shuffle makes
    ``shuffle_partitions`` partitions (default four a worker)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(f"local-cluster[{workers},1,{memory_mb}]")
        .appName("storyclust")
        .config("spark.ui.enabled", "false")
        # Stage progress bars only on a terminal.
        .config("spark.ui.showConsoleProgress", "true" if sys.stderr.isatty() else "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions or 4 * workers))
        .config("spark.sql.adaptive.coalescePartitions.enabled", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "100000")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    # The engine's own warnings (such as the window over a whole result
    # that names stories by rank, which it runs in one partition, as
    # ARCHITECTURE.md says) are not the user's business; errors are.
    session.sparkContext.setLogLevel("ERROR")
    return session


def read_inputs(spark, paths: Iterable[str]):
    """The JSON Lines (``.jsonl``, ``.ndjson``) and Parquet inputs as one
    DataFrame of the input fields, and a DataFrame of problems (``id``,
    ``problem``): a JSON line that does not parse (naming its file), a
    record without id or text, and a record with an id already read are
    skipped and reported there."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    fields = [StructField(c, StringType()) for c in INPUT_COLUMNS]
    frames, bad = [], []
    for path in paths:
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: no such file")
        if path.endswith(".parquet"):
            df = spark.read.parquet(path)
            frames.append(df.select(*[
                (F.col(c).cast("string") if c in df.columns else F.lit(None).cast("string")).alias(c)
                for c in INPUT_COLUMNS
            ]))
            continue
        schema = StructType(fields + [StructField("_corrupt", StringType())])
        df = spark.read.schema(schema).option("columnNameOfCorruptRecord", "_corrupt").json(path).cache()
        bad.append(df.filter(F.col("_corrupt").isNotNull()).select(
            F.lit(None).cast("string").alias("id"),
            F.concat(F.lit(f"{path}: bad JSON line: "), F.substring("_corrupt", 1, 80)).alias("problem")))
        frames.append(df.filter(F.col("_corrupt").isNull()).drop("_corrupt"))
    articles = frames[0]
    for frame in frames[1:]:
        articles = articles.unionByName(frame)
    missing = articles.filter(F.col("id").isNull() | (F.coalesce("text", "html").isNull())).select(
        F.coalesce(F.col("id"), F.lit("")).alias("id"),
        F.lit("a record without id or text: skipped").alias("problem"))
    articles = articles.filter(F.col("id").isNotNull() & F.coalesce("text", "html").isNotNull())
    # A record whose id an earlier one has (in file, then line order: the
    # order of the read partitions) is skipped, as the command skips it.
    # Only the ids are shuffled to find them; the usual input has none.
    ordered = articles.withColumn("_order", F.monotonically_increasing_id())
    repeated = (
        ordered.groupBy("id").agg(F.count("*").alias("_n"), F.min("_order").alias("_first"))
        .filter(F.col("_n") > 1).select("id", "_first").collect()
    )
    problems = missing
    if repeated:
        firsts = spark.createDataFrame([(r["id"], r["_first"]) for r in repeated], "id string, _first long")
        later = ordered.join(F.broadcast(firsts), "id").filter(F.col("_order") != F.col("_first"))
        problems = problems.unionByName(later.select("id", F.concat(
            F.lit("duplicate id "), F.col("id"), F.lit(": skipped (an earlier record has it)")).alias("problem")))
        articles = ordered.join(later.select("_order"), "_order", "left_anti").drop("_order")
    for b in bad:
        problems = problems.unionByName(b)
    return articles, problems


def main(argv: Optional[List[str]] = None, session=None) -> int:
    """The command; ``session``: a Spark session to run in (kept running),
    instead of a local cluster started and stopped for the run."""
    parser = argparse.ArgumentParser(prog="python -m storyclust.spark", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help=".jsonl/.ndjson or .parquet files")
    parser.add_argument("-o", "--output", required=True, help="the membership rows, as JSON Lines")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--core-days", type=int, default=None)
    parser.add_argument("--overlap-days", type=int, default=None)
    parser.add_argument("--dedup", action="store_true",
                        help="near-duplicate groups only, the rows of `storyclust dedup --format jsonl`")
    parser.add_argument("--timings", action="store_true",
                        help="print on stderr how long each stage took (each stage is then run apart)")
    args = parser.parse_args(argv)
    import warnings

    # PySpark warns that it does not yet support pandas 3 in full; the run
    # uses Arrow only, never pandas.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    started = time.perf_counter()
    spark = session or local_session(args.workers)
    timings: Optional[Dict[str, float]] = {"session": time.perf_counter() - started} if args.timings else None
    try:
        articles, read_problems = read_inputs(spark, args.inputs)
        if args.dedup:
            rows, problems = dedup(articles, timings=timings)
        else:
            rows, problems = cluster(articles, core_days=args.core_days, overlap_days=args.overlap_days,
                                     timings=timings)
        written = time.perf_counter()
        with open(args.output + ".part", "w", encoding="utf-8") as out:
            for row in rows.toLocalIterator():
                out.write(json.dumps(row.asDict(), ensure_ascii=False, separators=(",", ":")) + "\n")
        os.replace(args.output + ".part", args.output)
        all_problems = read_problems.unionByName(problems).collect()
        for p in all_problems:
            print(f"storyclust: skipped: {p['problem']}", file=sys.stderr)
        print(f"storyclust: wrote {args.output} ({len(all_problems)} problems)", file=sys.stderr)
        if timings is not None:
            timings["output written"] = time.perf_counter() - written
            for stage, seconds in timings.items():
                print(f"storyclust: {stage}: {seconds:.1f} s", file=sys.stderr)
            print(f"storyclust: total: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    finally:
        if session is None:
            spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Type stubs of the extension module ``storyclust._core`` (re-exported by ``storyclust``)."""

from os import PathLike
from typing import Any, Dict, Iterable, List, Mapping, Optional, Protocol, Tuple, Union



class ArrowStreamExportable(Protocol):
    """Anything with ``__arrow_c_stream__``: a pyarrow Table or RecordBatchReader, a polars DataFrame, a DuckDB result."""

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...

Articles = Union[ArrowStreamExportable, Iterable[Mapping[str, Any]]]
"""Articles: an Arrow stream, or dicts with the JSON Lines fields.

Fields (columns) are those of a JSON Lines record: ``id`` (str, or a number
read as its decimal text), ``text`` or ``html``, and optionally ``title``,
``source``, ``url``, ``published`` (``YYYY-MM-DD`` or RFC 3339; an Arrow date
or timestamp; a ``datetime.date``/``datetime`` in a dict). Other scalar
fields are kept (e.g. gold labels). A record without ``id`` or text is
skipped and reported in ``problems`` with its 1-based row number; a later
record with an id already read is skipped as a duplicate. Each dict is read
exactly as ``json.dumps(dict)`` would be as a line of a ``.jsonl`` file.
"""

OPTIONS: List[str]
"""The clustering options every call takes, by name (the command's flags, underscored)."""

LARGE_BUCKET: int
"""Band buckets of more members than this give ``bucket_candidates`` star links, not every pair."""

DEFAULT_SHARD_SIZE: int
"""The ``shard_size`` option's default: dated articles an index shard holds."""

DEFAULT_WINDOW_DAYS: int
"""The ``window_days`` option's default: days before a shard that its search also reaches."""

class StoryclustError(Exception):
    """A run that cannot finish, with the command's message.

    Raised when no usable article is left, when a store cannot be used, or
    with ``strict=True`` when any input was skipped or repaired; then the
    message is the command's summary line followed by each problem, and the
    attribute ``problems`` holds them all.
    """

    problems: List[Problem]

class Problem:
    """One input skipped or repaired (``str(problem)`` is the command's line)."""

    @property
    def input(self) -> str:
        """The input's name: ``<list>`` for dicts, ``<arrow>`` for an Arrow stream."""
    @property
    def row(self) -> Optional[int]:
        """The 1-based row (record) number within the input."""
    @property
    def severity(self) -> str:
        """``"skipped"`` (the article was left out) or ``"warning"`` (read, something repaired)."""
    @property
    def kind(self) -> str:
        """The kind the command's summary counts: ``"missing id"``, ``"missing text"``, ``"bad field"``, ``"duplicate id"``, ``"bad date"``, ..."""
    @property
    def message(self) -> str:
        """The full explanation."""

class Clustered:
    """Stories: one row per article, as an Arrow stream.

    The columns are those of ``storyclust cluster --format csv``: ``id``,
    ``story``, ``storyline``, ``duplicate_group``, ``source``, ``title``,
    ``published``, ``story_headline``, ``story_articles``,
    ``story_sources``, ``story_first_published``, ``story_last_published``
    (from a store, also ``story_first_seen`` and ``story_last_seen``, as
    ``storyclust stories --format csv``). Rows are in story order (largest
    story first).
    """

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The rows as an Arrow C stream (``pyarrow.table(result)``, ``polars.DataFrame(result)``; ``polars.from_arrow(result)`` gives one struct column)."""
    @property
    def problems(self) -> List[Problem]:
        """What was skipped or repaired, in the command's order."""
    def details(self, differences: bool = False) -> Dict[str, Any]:
        """The full structure: the document of ``--format json`` as Python objects.

        ``{"articles": n, "stories": [...], "storylines": [...]}``; each story
        has ``id``, ``size``, ``summary`` (headline, dates, sources,
        timeline), ``members``, ``duplicate_groups`` and ``links``. With
        ``differences=True`` each story of two or more articles also has
        ``differences`` (what is shared, what each source alone says), which
        costs a sentence alignment per story.
        """
    def __len__(self) -> int: ...

class Deduplicated:
    """Near-duplicate groups: one row per article (``id``, ``duplicate_group``, ``group_size``), as ``storyclust dedup --format csv``."""

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The rows as an Arrow C stream."""
    @property
    def problems(self) -> List[Problem]:
        """What was skipped or repaired, in the command's order."""
    def details(self) -> List[Dict[str, Any]]:
        """The groups of two or more copies, largest first: dicts of ``id``, ``size``, ``members`` (article ids)."""
    def __len__(self) -> int: ...

class DocFreqTable:
    """Document frequencies, as ``doc_freq`` counts them: an Arrow table of five columns.

    Two kinds of row, so that the tables of several parts of a corpus add
    up with one grouping on (``key``, ``language``) and a sum of ``df``,
    ``capitalised`` and ``lower``:

    - a *language row* per language seen: ``language`` its ISO 639-3 code
      (``"eng"``, ``"fra"``, ..., ``"other"``), ``key`` null, ``df`` the
      documents of that language, ``capitalised`` and ``lower`` 0;
    - a *term row* per term: ``key`` (uint64) the term, hashed with its
      language outside English, ``language`` null, ``df`` the documents
      holding it, ``capitalised`` and ``lower`` the documents that write it
      mostly capitalised or mostly in lower case inside sentences (how much
      a word is a name).

    Counts are uint32; language rows come first, then term rows by key. A
    document is a near-duplicate group (counted once, as ``cluster`` counts
    it).
    """

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The rows as an Arrow C stream (``pyarrow.table(counts)``)."""
    @property
    def problems(self) -> List[Problem]:
        """What was skipped or repaired, in the command's order."""
    @property
    def documents(self) -> int:
        """The documents counted (near-duplicate groups)."""
    def __len__(self) -> int: ...

class Added:
    """What ``Store.add`` changed: the added or updated articles' rows (the columns of ``add --format csv``)."""

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """The rows as an Arrow C stream."""
    @property
    def problems(self) -> List[Problem]:
        """What was skipped or repaired, in the command's order."""
    def details(self) -> Dict[str, Any]:
        """``added``, ``updated`` (article ids), ``unchanged`` (a count), ``new_stories``, ``grown`` (dicts of ``story``, ``articles``, ``new_sources``), ``merged`` (pairs: younger into older), ``new_storylines``, ``merged_storylines`` (pairs, as ``merged``), ``moved_stories`` (triples: story, from storyline, to storyline), ``moved_articles`` (triples: article, from story, to story)."""
    def __len__(self) -> int: ...

def cluster(
    articles: Articles,
    *,
    doc_freq: Optional[ArrowStreamExportable] = None,
    threads: Optional[int] = None,
    strict: bool = False,
    story_threshold: float = ...,
    short_story_threshold: float = ...,
    dup_threshold: float = ...,
    shingle_words: int = ...,
    storyline_threshold: float = ...,
    attach_max_size: int = ...,
    attach_threshold: float = ...,
    neighbours: int = ...,
    candidate_floor: float = ...,
    date_grace_days: int = ...,
    date_scale_days: float = ...,
    date_confident_cosine: float = ...,
    date_spread_factor: float = ...,
    max_terms: int = ...,
    dense_dims: int = ...,
    shard_size: int = ...,
    window_days: int = ...,
    hnsw_m: int = ...,
    ef_construction: int = ...,
    ef_search: int = ...,
    exact_max_points: int = ...,
) -> Clustered:
    """Cluster articles into stories with near-duplicate groups inside, as ``storyclust cluster``.

    Options are the command's flags of the same names with the same
    defaults and ranges (``storyclust cluster --help`` explains each); an
    unknown name raises ``TypeError``, a value out of range ``ValueError``.
    ``threads``: worker threads (default: all cores; results do not depend
    on it). ``strict=True`` raises ``StoryclustError`` when any input was
    skipped or repaired. The GIL is released while the library works.

    ``doc_freq``: weigh terms by these document frequencies instead of
    counting them over ``articles`` — a ``DocFreqTable`` from ``doc_freq``,
    or any Arrow table of its columns, e.g. the tables of the parts of a
    corpus summed by (``key``, ``language``), so that clustering one part
    (a window of dates) weighs terms as a run over the whole corpus does.
    Counts may be of any integer type and ``key`` an int64 holding the same
    64 bits (engines without unsigned types, such as Spark); rows repeating
    a key or a language add up. Count with the same cleaning and
    representation options as the clustering. With the frequencies of
    ``articles`` themselves the result is that of a run without them.
    """

def doc_freq(
    articles: Articles,
    *,
    threads: Optional[int] = None,
    strict: bool = False,
    **options: Union[int, float],
) -> DocFreqTable:
    """Count the document frequencies a ``cluster`` run of ``articles`` weighs terms by.

    The articles are cleaned, their near-duplicate groups found, and each
    group counted once, as ``cluster`` does. Counts of parts of a corpus,
    summed, are the corpus' counts but where a near-duplicate group spans
    parts (counted in each) or a site's templates are learnt from several
    parts. Options as for ``cluster``.
    """

def dedup(
    articles: Articles,
    *,
    threads: Optional[int] = None,
    strict: bool = False,
    dup_threshold: float = ...,
    shingle_words: int = ...,
    **options: Union[int, float],
) -> Deduplicated:
    """Find near-duplicate copies only (clean, fingerprint, LSH), as ``storyclust dedup``; options as for ``cluster``."""

def template_evidence(
    articles: Articles,
    *,
    threads: Optional[int] = None,
    **options: Union[int, float],
) -> bytes:
    """What site-template learning keeps of ``articles`` (each one's line keys), for a run in parts.

    A distributed run hands each part's evidence to ``learn_templates``:
    templates are learnt from the whole input, never from one part.
    """

def learn_templates(
    evidence: List[bytes],
    *,
    threads: Optional[int] = None,
    **options: Union[int, float],
) -> bytes:
    """The site templates of every part's ``template_evidence``, as ``dedup`` of all the parts learns them.

    Raises ``ValueError`` for bytes that ``template_evidence`` did not give.
    """

def fingerprints(
    articles: Articles,
    templates: bytes,
    *,
    threads: Optional[int] = None,
    strict: bool = False,
    **options: Union[int, float],
) -> Tuple[Any, List[Problem]]:
    """The articles cleaned with ``templates`` (from ``learn_templates``) and fingerprinted.

    Returns an Arrow table (``__arrow_c_stream__``) with one row per kept
    article: ``id``, ``minhash`` (the MinHash signature, 4 bytes a value,
    little-endian) and ``bands`` (its LSH band keys, unsigned 64-bit; empty
    for an article without words), with the problems of the run. Two
    articles are candidates when a band's keys are equal (the band is the
    key's position in the list); ``bucket_candidates`` and
    ``copies`` decide which are copies as ``dedup`` does.
    """

def copies(a: List[bytes], b: List[bytes], **options: Union[int, float]) -> List[Optional[float]]:
    """For each pair ``a[i]``, ``b[i]`` of signatures (from ``fingerprints``), their estimated resemblance if they are copies (it reaches the ``dup_threshold`` option), else ``None``."""

def bucket_candidates(bucket: List[bytes]) -> List[Tuple[int, int]]:
    """The candidate pairs ``(i, j)``, ``i < j``, of one band bucket: the signatures that share a band key, in article id order.

    Every pair of a bucket of at most ``LARGE_BUCKET`` (64); for a larger one, the links that
    keep its candidates linear (as ``dedup`` takes them).
    """

class Store:
    """A story store (an SQLite file): stories whose ids never change, as ``storyclust add``/``stories``/``show --store``."""

    def __init__(self, path: Union[str, PathLike[str]]) -> None:
        """The store at ``path``; ``add`` creates the file when missing, reading never does."""
    @property
    def path(self) -> str:
        """The store's file."""
    def add(
        self,
        articles: Articles,
        *,
        active_days: int = 30,
        now: Optional[str] = None,
        threads: Optional[int] = None,
        strict: bool = False,
        **options: Union[int, float],
    ) -> Added:
        """Add articles: each joins a known story or starts one; adding the same articles again changes nothing.

        ``active_days``: known stories with an article within this many days
        of the new ones may be joined. ``now``: the time to stamp the
        changes with (``2024-09-23`` or ``2024-09-23T10:00:00Z``; default
        now). Options as for ``cluster``. With ``strict=True`` and any
        problem in the input, nothing is added.
        """
    def stories(self, since: Optional[str] = None, min_articles: Optional[int] = None) -> Clustered:
        """The stored stories, newest activity first, as ``storyclust stories``.

        ``since``: only stories published or changed since a date
        (``2024-09-23``) or within a duration (``24h``, ``7d``, ``2w``).
        ``min_articles``: only stories of at least this many articles.
        """
    def show(self, story_id: str) -> Dict[str, Any]:
        """One story (a story merged into another leads to that one) with its differences: the story's dict of ``--format json``."""

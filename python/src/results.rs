//! What a call returns: an Arrow table of rows (exported through
//! `__arrow_c_stream__`, so `pyarrow.table(result)` and
//! `polars.DataFrame(result)` take it without a copy through Python), the
//! problems of the run, and the full structure on request (`details()`).
//!
//! Owns [`Clustered`] (stories of a batch run or of a store), [`Deduplicated`],
//! [`DocFreqTable`], [`Added`] and [`Problem`]. The rows are those of the command's
//! `--format csv`, made by `storyclust::columnar`; `details()` is the
//! command's `--format json` document, parsed. It must not compute
//! anything about stories.

use std::path::PathBuf;
use std::sync::Mutex;

use arrow_array::RecordBatch;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList};
use pyo3_arrow::PyTable;

use storyclust::diff::DiffConfig;
use storyclust::ingest::{self, Severity};
use storyclust::pipeline::{self, DedupOutcome, Outcome};
use storyclust::report::{self, Format, Report, StoredView};
use storyclust::store::{Access, Loaded, Store, DEFAULT_WAIT};

use crate::run;

/// An Arrow table of `batch` (one batch, its schema).
pub fn table(py: Python<'_>, batch: RecordBatch) -> PyResult<Py<PyTable>> {
    let schema = batch.schema();
    Py::new(py, PyTable::try_new(vec![batch], schema)?)
}

/// `table.__arrow_c_stream__(requested_schema)`.
fn stream<'py>(
    py: Python<'py>,
    table: &Py<PyTable>,
    requested_schema: Option<Bound<'py, PyCapsule>>,
) -> PyResult<Bound<'py, PyAny>> {
    table.bind(py).call_method1("__arrow_c_stream__", (requested_schema,))
}

pub fn problem_list(problems: &[ingest::Problem]) -> Vec<Problem> {
    problems.iter().cloned().map(Problem::from).collect()
}

/// A JSON document written by the library, as Python objects.
fn parse_json(py: Python<'_>, json: &[u8]) -> PyResult<Py<PyAny>> {
    let text = std::str::from_utf8(json).map_err(|err| run::error(&err))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

/// Where the stories of a [`Clustered`] come from.
enum Stories {
    /// A batch run (`cluster`): the articles without their bodies, which
    /// are held aside (see [`Clustered::new`]).
    Batch { outcome: Outcome, bodies: Vec<String> },
    /// A store's stories (`Store.stories`): their headlines and dates, the
    /// store read again for bodies when differences are asked for.
    Stored { path: PathBuf, loaded: Loaded, stored: Vec<StoredView> },
}

/// Stories: one row per article (`__arrow_c_stream__`), the problems of
/// the run, and `details()`.
#[pyclass(frozen, module = "storyclust")]
pub struct Clustered {
    table: Py<PyTable>,
    rows: usize,
    problems: Vec<ingest::Problem>,
    stories: Mutex<Stories>,
}

impl Clustered {
    /// The result of a batch run, whose articles' bodies were taken out
    /// (`bodies`, in article order) before the rows were made.
    pub fn new(
        py: Python<'_>,
        batch: RecordBatch,
        problems: Vec<ingest::Problem>,
        outcome: Outcome,
        bodies: Vec<String>,
    ) -> PyResult<Self> {
        let rows = batch.num_rows();
        let stories = Mutex::new(Stories::Batch { outcome, bodies });
        Ok(Clustered { table: table(py, batch)?, rows, problems, stories })
    }

    /// A store's stories, read from the store at `path`.
    pub fn stored(
        py: Python<'_>,
        batch: RecordBatch,
        path: PathBuf,
        loaded: Loaded,
        stored: Vec<StoredView>,
    ) -> PyResult<Self> {
        let rows = batch.num_rows();
        let stories = Stories::Stored { path, loaded, stored };
        Ok(Clustered { table: table(py, batch)?, rows, problems: Vec::new(), stories: Mutex::new(stories) })
    }
}

/// The `--format json` document of `stories`, with their differences when asked.
fn stories_json(stories: &mut Stories, differences: bool) -> PyResult<Vec<u8>> {
    let mut json = Vec::new();
    let config = DiffConfig::default();
    match stories {
        Stories::Batch { outcome, bodies } => {
            // The differences read the bodies; the summaries are made
            // without them, as the command makes those of `--format json`.
            let diffs = differences.then(|| {
                swap_bodies(&mut outcome.articles, bodies);
                let diffs = pipeline::differences(&outcome.articles, &outcome.clustering, &config);
                swap_bodies(&mut outcome.articles, bodies);
                diffs
            });
            let report =
                Report { articles: &outcome.articles, clustering: &outcome.clustering, differences: diffs.as_deref() };
            report::write(&report, Format::Json, &mut json).map_err(|err| run::error(&err))?;
        }
        Stories::Stored { path, loaded, stored } => {
            // As `storyclust stories`: the bodies are read only when the
            // differences are shown.
            let full = if differences {
                let store = Store::open(path, Access::Read, DEFAULT_WAIT).map_err(|err| run::error(&err))?;
                Some(store.load(&loaded.ids).map_err(|err| run::error(&err))?)
            } else {
                None
            };
            let loaded = full.as_ref().unwrap_or(loaded);
            let diffs = differences.then(|| pipeline::differences(&loaded.articles, &loaded.clustering, &config));
            let report =
                Report { articles: &loaded.articles, clustering: &loaded.clustering, differences: diffs.as_deref() };
            report::write_stored(&report, stored, Format::Json, &mut json).map_err(|err| run::error(&err))?;
        }
    }
    Ok(json)
}

/// Exchanges each article's body with its entry in `bodies`.
fn swap_bodies(articles: &mut [storyclust::Article], bodies: &mut [String]) {
    for (article, body) in articles.iter_mut().zip(bodies) {
        std::mem::swap(&mut article.body, body);
    }
}

#[pymethods]
impl Clustered {
    /// The membership rows as an Arrow stream (the columns of `--format csv`).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        stream(py, &self.table, requested_schema)
    }

    /// What was skipped or repaired, in the command's order.
    #[getter]
    fn problems(&self) -> Vec<Problem> {
        problem_list(&self.problems)
    }

    /// The stories with their members, summaries, duplicate groups and
    /// links (and storylines): the command's `--format json` document.
    #[pyo3(signature = (differences=false))]
    fn details(&self, py: Python<'_>, differences: bool) -> PyResult<Py<PyAny>> {
        let json = py.detach(|| {
            let mut stories = self.stories.lock().unwrap_or_else(|e| e.into_inner());
            stories_json(&mut stories, differences)
        })?;
        parse_json(py, &json)
    }

    fn __len__(&self) -> usize {
        self.rows
    }

    fn __repr__(&self) -> String {
        format!("<storyclust.Clustered: {} articles, {} problems>", self.rows, self.problems.len())
    }
}

/// Near-duplicate groups: one row per article (`id`, `duplicate_group`,
/// `group_size`), the problems of the run, and `details()`.
#[pyclass(frozen, module = "storyclust")]
pub struct Deduplicated {
    table: Py<PyTable>,
    rows: usize,
    problems: Vec<ingest::Problem>,
    outcome: DedupOutcome,
}

impl Deduplicated {
    /// The result of a dedup run.
    pub fn new(
        py: Python<'_>,
        batch: RecordBatch,
        problems: Vec<ingest::Problem>,
        outcome: DedupOutcome,
    ) -> PyResult<Self> {
        let rows = batch.num_rows();
        Ok(Deduplicated { table: table(py, batch)?, rows, problems, outcome })
    }
}

#[pymethods]
impl Deduplicated {
    /// The dedup rows as an Arrow stream (the columns of `dedup --format csv`).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        stream(py, &self.table, requested_schema)
    }

    /// What was skipped or repaired, in the command's order.
    #[getter]
    fn problems(&self) -> Vec<Problem> {
        problem_list(&self.problems)
    }

    /// The duplicate groups of two or more articles, largest first: each a
    /// dict with `id`, `size` and `members` (article ids).
    fn details<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let groups = PyList::empty(py);
        for group in &self.outcome.groups {
            let dict = PyDict::new(py);
            dict.set_item("id", &group.id)?;
            dict.set_item("size", group.members.len())?;
            let members: Vec<&str> = group.members.iter().map(|&m| self.outcome.articles[m].id.as_str()).collect();
            dict.set_item("members", members)?;
            groups.append(dict)?;
        }
        Ok(groups)
    }

    fn __len__(&self) -> usize {
        self.rows
    }

    fn __repr__(&self) -> String {
        format!("<storyclust.Deduplicated: {} articles, {} problems>", self.rows, self.problems.len())
    }
}

/// Document frequencies (`doc_freq`): the table of
/// `storyclust::columnar::doc_freq_batch` (`__arrow_c_stream__`) and the
/// problems of the run.
#[pyclass(frozen, module = "storyclust")]
pub struct DocFreqTable {
    table: Py<PyTable>,
    rows: usize,
    documents: u32,
    problems: Vec<ingest::Problem>,
}

impl DocFreqTable {
    /// The counts of `documents` documents as `batch`.
    pub fn new(py: Python<'_>, batch: RecordBatch, problems: Vec<ingest::Problem>, documents: u32) -> PyResult<Self> {
        let rows = batch.num_rows();
        Ok(DocFreqTable { table: table(py, batch)?, rows, documents, problems })
    }
}

#[pymethods]
impl DocFreqTable {
    /// The rows as an Arrow stream.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        stream(py, &self.table, requested_schema)
    }

    /// What was skipped or repaired, in the command's order.
    #[getter]
    fn problems(&self) -> Vec<Problem> {
        problem_list(&self.problems)
    }

    /// The documents counted: one per near-duplicate group.
    #[getter]
    fn documents(&self) -> u32 {
        self.documents
    }

    fn __len__(&self) -> usize {
        self.rows
    }

    fn __repr__(&self) -> String {
        format!(
            "<storyclust.DocFreqTable: {} documents, {} rows, {} problems>",
            self.documents,
            self.rows,
            self.problems.len()
        )
    }
}

/// What `Store.add` changed: the added articles' membership rows
/// (`__arrow_c_stream__`, the columns of `add --format csv`), the problems
/// of the run, and `details()`.
#[pyclass(frozen, module = "storyclust")]
pub struct Added {
    table: Py<PyTable>,
    rows: usize,
    problems: Vec<ingest::Problem>,
    added: storyclust::live::Added,
}

impl Added {
    /// The result of an add.
    pub fn new(
        py: Python<'_>,
        batch: RecordBatch,
        problems: Vec<ingest::Problem>,
        added: storyclust::live::Added,
    ) -> PyResult<Self> {
        let rows = batch.num_rows();
        Ok(Added { table: table(py, batch)?, rows, problems, added })
    }
}

#[pymethods]
impl Added {
    /// The added or updated articles' rows as an Arrow stream.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        stream(py, &self.table, requested_schema)
    }

    /// What was skipped or repaired, in the command's order.
    #[getter]
    fn problems(&self) -> Vec<Problem> {
        problem_list(&self.problems)
    }

    /// What the add changed (the command's table, as data): `added`,
    /// `updated` (article ids), `unchanged` (a count), `new_stories`,
    /// `grown` (dicts of `story`, `articles`, `new_sources`), `merged`
    /// (pairs of story ids, the younger merged into the older),
    /// `new_storylines`, `merged_storylines` (pairs, as `merged`),
    /// `moved_stories` (triples: story, from storyline, to storyline) and
    /// `moved_articles` (triples: article, from story, to story).
    fn details<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let a = &self.added;
        let dict = PyDict::new(py);
        dict.set_item("added", &a.added)?;
        dict.set_item("updated", &a.updated)?;
        dict.set_item("unchanged", a.unchanged)?;
        dict.set_item("new_stories", a.new_stories.iter().map(ToString::to_string).collect::<Vec<_>>())?;
        let grown = PyList::empty(py);
        for growth in &a.grown {
            let g = PyDict::new(py);
            g.set_item("story", growth.story.to_string())?;
            g.set_item("articles", growth.articles)?;
            g.set_item("new_sources", &growth.new_sources)?;
            grown.append(g)?;
        }
        dict.set_item("grown", grown)?;
        let merged: Vec<(String, String)> = a.merged.iter().map(|(y, o)| (y.to_string(), o.to_string())).collect();
        dict.set_item("merged", merged)?;
        let lines: Vec<String> = a.new_storylines.iter().map(ToString::to_string).collect();
        dict.set_item("new_storylines", lines)?;
        let merged: Vec<(String, String)> =
            a.merged_storylines.iter().map(|(y, o)| (y.to_string(), o.to_string())).collect();
        dict.set_item("merged_storylines", merged)?;
        let moved: Vec<(String, String, String)> =
            a.moved_stories.iter().map(|(s, f, t)| (s.to_string(), f.to_string(), t.to_string())).collect();
        dict.set_item("moved_stories", moved)?;
        let moved: Vec<(String, String, String)> =
            a.moved_articles.iter().map(|(s, f, t)| (s.clone(), f.to_string(), t.to_string())).collect();
        dict.set_item("moved_articles", moved)?;
        Ok(dict)
    }

    fn __len__(&self) -> usize {
        self.rows
    }

    fn __repr__(&self) -> String {
        let a = &self.added;
        format!(
            "<storyclust.Added: {} added, {} updated, {} unchanged, {} problems>",
            a.added.len(),
            a.updated.len(),
            a.unchanged,
            self.problems.len()
        )
    }
}

/// An input skipped or repaired: where (`input`, `row`), how serious
/// (`severity`), what kind (`kind`), and the full `message`.
#[pyclass(frozen, module = "storyclust")]
#[derive(Clone)]
pub struct Problem {
    inner: ingest::Problem,
}

impl From<ingest::Problem> for Problem {
    fn from(inner: ingest::Problem) -> Problem {
        Problem { inner }
    }
}

#[pymethods]
impl Problem {
    /// The input's name: `<list>`, `<arrow>`.
    #[getter]
    fn input(&self) -> String {
        self.inner.origin.path.display().to_string()
    }

    /// The 1-based row (record) number, `None` for a whole input.
    #[getter]
    fn row(&self) -> Option<usize> {
        self.inner.origin.line
    }

    /// `"skipped"` (the article was left out) or `"warning"` (read, with
    /// something repaired or ignored).
    #[getter]
    fn severity(&self) -> &'static str {
        match self.inner.severity {
            Severity::Warning => "warning",
            Severity::Skipped => "skipped",
        }
    }

    /// The kind, as the command's summary counts it: `"missing id"`,
    /// `"missing text"`, `"bad field"`, `"duplicate id"`, …
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind.name()
    }

    /// The explanation, as the command prints it after the place.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<storyclust.Problem {}>", self.inner)
    }
}

//! Articles from Python objects: anything that exports an Arrow stream
//! (`__arrow_c_stream__`: pyarrow, polars, DuckDB, pandas through pyarrow)
//! or an iterable of dicts with the JSON Lines fields.
//!
//! Owns [`read`], [`Read`] and [`read_doc_freq`] (a table of document
//! frequencies, read by `storyclust::columnar::doc_freq_from_batches`). Arrow input goes through
//! `storyclust::columnar::read_batches`; each dict is written as one JSON
//! Lines record (`json.dumps`) and the lines are read by
//! `storyclust::ingest::read_records`, so that both follow the rules of a
//! `.jsonl` file exactly (fields, bad records, duplicate ids). It must not
//! interpret a record itself.

use std::path::Path;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use pyo3_arrow::PyRecordBatchReader;

use storyclust::ingest::{self, IngestOutput, Problem, Severity};
use storyclust::represent::DocFreq;
use storyclust::RawDoc;

/// How an input of dicts is named in problems (`<list>:3` is its third dict).
pub const LIST_INPUT: &str = "<list>";
/// How an Arrow input is named in problems (`<arrow>:3` is its third row).
pub const ARROW_INPUT: &str = "<arrow>";

/// The documents read, with what reading skipped or repaired.
pub struct Read {
    /// The documents, in input order.
    pub docs: Vec<RawDoc>,
    /// What was skipped or repaired.
    pub problems: Vec<Problem>,
    /// How many articles the input held: read, or skipped while reading.
    n_seen: usize,
}

impl Read {
    fn new(out: IngestOutput) -> Read {
        let n_skipped = out.problems.iter().filter(|p| p.severity == Severity::Skipped).count();
        Read { n_seen: out.docs.len() + n_skipped, docs: out.docs, problems: out.problems }
    }

    /// How many articles the input held (the summary's "read N articles").
    pub fn n_seen(&self) -> usize {
        self.n_seen
    }
}

/// Reads `articles`: an Arrow stream, or an iterable of dicts.
///
/// # Errors
/// `TypeError` for anything else (a string, a dict, a non-iterable), or a
/// dict that `json.dumps` cannot write (naming its row); an error of the
/// Arrow stream's producer.
pub fn read(py: Python<'_>, articles: &Bound<'_, PyAny>) -> PyResult<Read> {
    if articles.hasattr("__arrow_c_stream__")? {
        let reader = articles.extract::<PyRecordBatchReader>()?.into_reader()?;
        let out = py.detach(|| storyclust::columnar::read_batches(ARROW_INPUT, reader));
        return Ok(Read::new(out));
    }
    if articles.is_instance_of::<PyString>()
        || articles.is_instance_of::<PyBytes>()
        || articles.is_instance_of::<PyDict>()
    {
        return Err(not_articles(articles));
    }
    let items = articles.try_iter().map_err(|_| not_articles(articles))?;
    let dumps = py.import("json")?.getattr("dumps")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("default", wrap_pyfunction!(json_default, py)?)?;
    let mut lines = Vec::new();
    for (k, item) in items.enumerate() {
        let line = dumps.call((item?,), Some(&kwargs)).map_err(|err| {
            PyTypeError::new_err(format!("{LIST_INPUT}:{}: cannot write the record as JSON: {}", k + 1, err.value(py)))
        })?;
        lines.extend_from_slice(line.extract::<String>()?.as_bytes());
        lines.push(b'\n');
    }
    let out = py.detach(|| ingest::read_records(Path::new(LIST_INPUT), &lines));
    Ok(Read::new(out))
}

/// The document frequencies of `table`, anything that exports an Arrow
/// stream of the columns `doc_freq` returns (or their sums).
///
/// # Errors
/// `TypeError` when it exports no Arrow stream, `ValueError` for a table
/// the library refuses (its message).
pub fn read_doc_freq(py: Python<'_>, table: &Bound<'_, PyAny>) -> PyResult<DocFreq> {
    if !table.hasattr("__arrow_c_stream__")? {
        let type_name = table.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        return Err(PyTypeError::new_err(format!(
            "doc_freq must export an Arrow stream (the result of storyclust.doc_freq, a pyarrow Table, ...), not {type_name}"
        )));
    }
    let reader = table.extract::<PyRecordBatchReader>()?.into_reader()?;
    let counter = py.detach(|| storyclust::columnar::doc_freq_from_batches(reader));
    counter.map(|c| c.finish()).map_err(|err| PyValueError::new_err(format!("doc_freq: {err}")))
}

fn not_articles(articles: &Bound<'_, PyAny>) -> PyErr {
    let type_name = articles.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    PyTypeError::new_err(format!(
        "articles must export an Arrow stream (__arrow_c_stream__: a pyarrow Table, a polars DataFrame, ...) \
         or be an iterable of dicts, not {type_name}"
    ))
}

/// `json.dumps`'s `default`: dates and times as their ISO text (what a
/// JSON Lines file holds for `published`); anything else is refused.
#[pyfunction]
fn json_default(value: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    if value.hasattr("isoformat")? {
        return Ok(value.call_method0("isoformat")?.unbind());
    }
    Err(PyTypeError::new_err(format!("Object of type {} is not JSON serializable", value.get_type().name()?)))
}

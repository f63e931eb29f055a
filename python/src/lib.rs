//! `storyclust._core`: the storyclust library as a Python extension module.
//!
//! Owns the Python-facing API: [`cluster`], [`dedup`] and [`doc_freq`]
//! (articles in, a result out), a near-duplicate run in parts for a
//! distributed engine (`parts.rs`), the live store (`store.rs`: `Store`), the results
//! (`results.rs`: `Clustered`, `Deduplicated`, `Added`, `Problem`), how
//! articles are read from Python objects (`input.rs`) and how keyword
//! options become the library's `Options` (`options.rs`). Every rule is the
//! library's: this crate converts and calls, it must not clean, cluster or
//! lay out anything itself, and it never runs the `storyclust` binary.
//! Rust works with the GIL released (`Python::detach`).

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use storyclust::pipeline::{self, NoProgress};
use storyclust::report::{self, Report};

mod input;
mod options;
mod parts;
mod results;
mod run;
mod store;

use results::{Clustered, Deduplicated, DocFreqTable, Problem};

create_exception!(
    storyclust,
    StoryclustError,
    PyException,
    "A run that could not finish (no usable article, a store that cannot be used), or `strict=True` with problems in the input; the message is the command's."
);

/// Clusters articles into stories (see the stubs, `_core.pyi`, for the
/// documentation shown to Python users).
#[pyfunction]
#[pyo3(signature = (articles, **options))]
fn cluster(py: Python<'_>, articles: &Bound<'_, PyAny>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Clustered> {
    let options = options::parse(options, &["doc_freq"])?;
    let doc_freq = match options.rest.first() {
        Some((_, table)) if !table.is_none() => Some(input::read_doc_freq(py, table)?),
        _ => None,
    };
    let read = input::read(py, articles)?;
    let n_seen = read.n_seen();
    let config = options.options.config();
    let mut outcome = py.detach(|| {
        run::in_pool(options.threads, || {
            pipeline::run_with_doc_freq(read.docs, &config, doc_freq.as_ref(), &NoProgress)
        })
    })?;
    let problems = run::problems(read.problems, outcome.warnings.clone(), &outcome.skipped);
    run::check(&problems, n_seen, outcome.articles.len(), options.strict)?;
    // The command's membership rows are made without the bodies (it never
    // reads them back for `--format csv`): a story without a headline has
    // an empty `story_headline` there, and so here. They are kept aside
    // for the differences `details` may compute.
    let bodies: Vec<String> = outcome.articles.iter_mut().map(|a| std::mem::take(&mut a.body)).collect();
    let report = Report { articles: &outcome.articles, clustering: &outcome.clustering, differences: None };
    let summaries = report.summaries();
    let batch = run::arrow(storyclust::columnar::membership_batch(&report.membership(&summaries)))?;
    Clustered::new(py, batch, problems, outcome, bodies)
}

/// Finds near-duplicate copies only (see `_core.pyi`).
#[pyfunction]
#[pyo3(signature = (articles, **options))]
fn dedup(py: Python<'_>, articles: &Bound<'_, PyAny>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Deduplicated> {
    let options = options::parse(options, &[])?;
    let read = input::read(py, articles)?;
    let n_seen = read.n_seen();
    let config = options.options.config();
    let outcome = py.detach(|| run::in_pool(options.threads, || pipeline::dedup(read.docs, &config, &NoProgress)))?;
    let problems = run::problems(read.problems, outcome.warnings.clone(), &outcome.skipped);
    run::check(&problems, n_seen, outcome.articles.len(), options.strict)?;
    let rows = report::dedup_rows(&outcome.articles, &outcome.groups);
    let batch = run::arrow(storyclust::columnar::dedup_batch(&rows))?;
    Deduplicated::new(py, batch, problems, outcome)
}

/// Counts the document frequencies a `cluster` run of the articles would
/// weigh terms by (see `_core.pyi`).
#[pyfunction]
#[pyo3(signature = (articles, **options))]
fn doc_freq(
    py: Python<'_>,
    articles: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<DocFreqTable> {
    let options = options::parse(options, &[])?;
    let read = input::read(py, articles)?;
    let n_seen = read.n_seen();
    let config = options.options.config();
    let counted =
        py.detach(|| run::in_pool(options.threads, || pipeline::doc_freq(read.docs, &config, &NoProgress)))?;
    let problems = run::problems(read.problems, counted.warnings, &counted.skipped);
    run::check(&problems, n_seen, counted.n_articles, options.strict)?;
    let batch = run::arrow(storyclust::columnar::doc_freq_batch(&counted.counter))?;
    DocFreqTable::new(py, batch, problems, counted.counter.n_docs())
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(cluster, m)?)?;
    m.add_function(wrap_pyfunction!(dedup, m)?)?;
    m.add_function(wrap_pyfunction!(doc_freq, m)?)?;
    m.add_function(wrap_pyfunction!(parts::template_evidence, m)?)?;
    m.add_function(wrap_pyfunction!(parts::learn_templates, m)?)?;
    m.add_function(wrap_pyfunction!(parts::fingerprints, m)?)?;
    m.add_function(wrap_pyfunction!(parts::copies, m)?)?;
    m.add_function(wrap_pyfunction!(parts::bucket_candidates, m)?)?;
    m.add_class::<Clustered>()?;
    m.add_class::<Deduplicated>()?;
    m.add_class::<DocFreqTable>()?;
    m.add_class::<results::Added>()?;
    m.add_class::<Problem>()?;
    m.add_class::<store::Store>()?;
    m.add("StoryclustError", m.py().get_type::<StoryclustError>())?;
    m.add("OPTIONS", storyclust::options::Options::NAMES.to_vec())?;
    m.add("LARGE_BUCKET", storyclust::fingerprint::LARGE_BUCKET)?;
    let index = storyclust::index::IndexConfig::default();
    m.add("DEFAULT_SHARD_SIZE", index.shard_size)?;
    m.add("DEFAULT_WINDOW_DAYS", index.window_days)?;
    Ok(())
}

//! A near-duplicate run in parts, for a distributed engine
//! (`storyclust.spark.dedup`): the core's side of each step, over one
//! part's articles or one band bucket.
//!
//! Owns [`template_evidence`], [`learn_templates`], [`fingerprints`],
//! [`copies`] and [`bucket_candidates`]. They call
//! `storyclust::pipeline::parts` and `storyclust::fingerprint`; this module
//! converts, and must not decide what is a copy.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use pyo3_arrow::PyTable;

use storyclust::clean::Templates;
use storyclust::columnar::signature_from_bytes;
use storyclust::fingerprint::{self, Fingerprint};
use storyclust::pipeline::parts;

use crate::results::{self, Problem};
use crate::{input, options, run};

/// What template learning keeps of these articles, as bytes (see `_core.pyi`).
#[pyfunction]
#[pyo3(signature = (articles, **options))]
pub fn template_evidence<'py>(
    py: Python<'py>,
    articles: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let options = options::parse(options, &[])?;
    let read = input::read(py, articles)?;
    let config = options.options.config();
    let evidence = py.detach(|| run::in_pool(options.threads, || parts::template_evidence(read.docs, &config)))?;
    Ok(PyBytes::new(py, &evidence))
}

/// The templates of every part's evidence, as bytes (see `_core.pyi`).
#[pyfunction]
#[pyo3(signature = (evidence, **options))]
pub fn learn_templates<'py>(
    py: Python<'py>,
    evidence: Vec<Vec<u8>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let options = options::parse(options, &[])?;
    let config = options.options.config();
    let learned = py.detach(|| {
        run::in_pool(options.threads, || parts::learn_templates(evidence.iter().map(Vec::as_slice), &config))
    })?;
    let templates = learned
        .ok_or_else(|| PyValueError::new_err("learn_templates: evidence that template_evidence did not give"))?;
    Ok(PyBytes::new(py, &templates.to_bytes()))
}

/// These articles cleaned with `templates` and fingerprinted: an Arrow
/// table and the problems of the run (see `_core.pyi`).
#[pyfunction]
#[pyo3(signature = (articles, templates, **options))]
pub fn fingerprints(
    py: Python<'_>,
    articles: &Bound<'_, PyAny>,
    templates: &[u8],
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<(Py<PyTable>, Vec<Problem>)> {
    let options = options::parse(options, &[])?;
    let templates = Templates::from_bytes(templates)
        .ok_or_else(|| PyValueError::new_err("fingerprints: templates that learn_templates did not give"))?;
    let read = input::read(py, articles)?;
    let n_seen = read.n_seen();
    let config = options.options.config();
    let part =
        py.detach(|| run::in_pool(options.threads, || parts::fingerprint_part(read.docs, &templates, &config)))?;
    let problems = run::problems(read.problems, part.warnings.clone(), &part.skipped);
    run::check(&problems, n_seen, part.articles.len(), options.strict)?;
    let batch = run::arrow(storyclust::columnar::fingerprint_batch(&part, &config.fingerprint))?;
    Ok((results::table(py, batch)?, results::problem_list(&problems)))
}

/// Signatures as `fingerprints` wrote them, as fingerprints.
fn signatures(name: &str, bytes: &[Vec<u8>]) -> PyResult<Vec<Fingerprint>> {
    bytes
        .iter()
        .map(|b| {
            signature_from_bytes(b)
                .map(Fingerprint::from_signature)
                .ok_or_else(|| PyValueError::new_err(format!("{name}: a signature of {} bytes", b.len())))
        })
        .collect()
}

/// For each pair `a[i]`, `b[i]` of signatures, their estimated
/// resemblance if they are copies (it reaches the `dup_threshold` option),
/// else `None` (see `_core.pyi`).
#[pyfunction]
#[pyo3(signature = (a, b, **options))]
pub fn copies(
    py: Python<'_>,
    a: Vec<Vec<u8>>,
    b: Vec<Vec<u8>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<Option<f32>>> {
    let threshold = options::parse(options, &[])?.options.config().fingerprint.threshold;
    if a.len() != b.len() {
        return Err(PyValueError::new_err(format!("copies: {} signatures against {}", a.len(), b.len())));
    }
    let (a, b) = (signatures("copies", &a)?, signatures("copies", &b)?);
    if let Some((x, y)) = a.iter().zip(&b).find(|(x, y)| x.minhash.len() != y.minhash.len()) {
        let (m, n) = (x.minhash.len(), y.minhash.len());
        return Err(PyValueError::new_err(format!("copies: signatures of {m} and {n} values")));
    }
    Ok(py.detach(|| {
        a.iter().zip(&b).map(|(x, y)| Some(x.resemblance(y)).filter(|&r| r >= threshold)).collect()
    }))
}

/// The candidate pairs of one band bucket (see `_core.pyi`).
#[pyfunction]
pub fn bucket_candidates(bucket: Vec<Vec<u8>>) -> PyResult<Vec<(usize, usize)>> {
    let bucket = signatures("bucket_candidates", &bucket)?;
    if bucket.iter().any(|fp| fp.minhash.len() != bucket[0].minhash.len()) {
        return Err(PyValueError::new_err("bucket_candidates: signatures of different lengths"));
    }
    Ok(fingerprint::bucket_candidates(&bucket))
}

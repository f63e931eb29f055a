//! `storyclust.Store`: the live story store, as the commands `add`,
//! `stories` and `show --store` use it.
//!
//! Owns the `Store` class: [`Store::add`] (articles read and cleaned as
//! `cluster` reads them, then `storyclust::live::add_reporting`),
//! [`Store::stories`] (`Store::stories` with a `StoryFilter`, as `storyclust
//! stories`) and [`Store::show`] (one story with its differences, as `show
//! --store`). Reading opens the store read-only and never creates or changes
//! it; `add` creates it when missing. It must not touch the store's tables:
//! every query is the library's.

use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use storyclust::clean;
use storyclust::diff::DiffConfig;
use storyclust::live::{self, AddConfig};
use storyclust::pipeline;
use storyclust::report::{self, Format, Report, StoredView};
use storyclust::store::{self, Access, Since, StoryFilter, StoryId, DEFAULT_WAIT};

use crate::results::{Added, Clustered};
use crate::{input, options, run};

/// The most days `active_days` takes, as `add --active-days`.
const MAX_ACTIVE_DAYS: i64 = 36_500;

/// A story store: an SQLite file of stories whose ids never change.
#[pyclass(frozen, module = "storyclust")]
pub struct Store {
    path: PathBuf,
}

fn open(path: &std::path::Path, access: Access) -> PyResult<store::Store> {
    store::Store::open(path, access, DEFAULT_WAIT).map_err(|err| run::error(&err))
}

/// What the store knows of each of `loaded`'s stories.
fn stored_views(store: &store::Store, ids: &[StoryId]) -> PyResult<Vec<StoredView>> {
    let records = store.story_records(ids).map_err(|err| run::error(&err))?;
    Ok(records
        .into_iter()
        .map(|record| StoredView {
            first_seen: record.first_seen,
            last_seen: record.last_seen,
            merged: record.merged.iter().map(StoryId::to_string).collect(),
        })
        .collect())
}

/// `active_days` and `now` of `Store.add`, checked as the command checks
/// `--active-days` and `--now`.
fn add_settings(rest: &[(String, Bound<'_, PyAny>)]) -> PyResult<(AddConfig, String)> {
    let mut config = AddConfig::default();
    let mut now = None;
    for (name, value) in rest {
        if value.is_none() {
            continue;
        }
        match name.as_str() {
            "active_days" => {
                let days: i64 = value
                    .extract()
                    .map_err(|_| PyTypeError::new_err("option 'active_days' takes a whole number (int)"))?;
                if !(0..=MAX_ACTIVE_DAYS).contains(&days) {
                    return Err(PyValueError::new_err(format!(
                        "option 'active_days': {days} is not in 0..={MAX_ACTIVE_DAYS}"
                    )));
                }
                config.active_days = days;
            }
            _ => {
                let text: String = value.extract().map_err(|_| PyTypeError::new_err("option 'now' takes a str"))?;
                now = Some(live::parse_now(&text).ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "option 'now': {text:?} is not a date (2024-09-23) or a UTC time (2024-09-23T10:00:00Z)"
                    ))
                })?);
            }
        }
    }
    Ok((config, now.unwrap_or_else(live::now_utc)))
}

#[pymethods]
impl Store {
    #[new]
    fn new(path: PathBuf) -> Store {
        Store { path }
    }

    /// The store's file.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// Adds articles (as `storyclust add`); see `_core.pyi`.
    #[pyo3(signature = (articles, **options))]
    fn add(&self, py: Python<'_>, articles: &Bound<'_, PyAny>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Added> {
        let options = options::parse(options, &["active_days", "now"])?;
        let (add_config, now) = add_settings(&options.rest)?;
        let config = options.options.config();
        // A store that cannot be used is reported before any input is read.
        let mut store = open(&self.path, Access::Write)?;
        let read = input::read(py, articles)?;
        let n_seen = read.n_seen();
        let cleaned = py.detach(|| run::in_pool(options.threads, || clean::clean(read.docs, &config.clean)))?;
        let mut batch = cleaned.articles;
        batch.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let problems = run::problems(read.problems, cleaned.problems, &cleaned.skipped);
        // With `strict`, nothing is added when the input had problems.
        run::check(&problems, n_seen, batch.len(), options.strict)?;
        let (added, touched) = py
            .detach(|| {
                run::in_pool(options.threads, || {
                    live::add_reporting(&mut store, batch, &config, &add_config, &now, &pipeline::NoProgress)
                })
            })?
            .map_err(|err| run::error(&err))?;
        let report = Report { articles: &touched.articles, clustering: &touched.clustering, differences: None };
        let summaries = report.summaries();
        let rows: Vec<_> =
            report.membership(&summaries).into_iter().filter(|row| added.story_of.contains_key(row.id)).collect();
        let batch = run::arrow(storyclust::columnar::membership_batch(&rows))?;
        Added::new(py, batch, problems, added)
    }

    /// The store's stories (as `storyclust stories`); see `_core.pyi`.
    #[pyo3(signature = (since=None, min_articles=None))]
    fn stories(&self, py: Python<'_>, since: Option<&str>, min_articles: Option<usize>) -> PyResult<Clustered> {
        let since = since
            .map(|s| Since::parse(s).map_err(|message| PyValueError::new_err(format!("since: {message}"))))
            .transpose()?;
        let filter = StoryFilter { since, min_articles: min_articles.unwrap_or(1) };
        let store = open(&self.path, Access::Read)?;
        let (loaded, stored) = py.detach(move || {
            let ids = store.stories(&filter, store::now()).map_err(|err| run::error(&err))?;
            let loaded = store.load_heads(&ids).map_err(|err| run::error(&err))?;
            let stored = stored_views(&store, &loaded.ids)?;
            Ok::<_, PyErr>((loaded, stored))
        })?;
        let report = Report { articles: &loaded.articles, clustering: &loaded.clustering, differences: None };
        let summaries = report.summaries();
        let rows = report::membership_with(&report, &summaries, Some(&stored));
        let batch = run::arrow(storyclust::columnar::membership_batch(&rows))?;
        Clustered::stored(py, batch, self.path.clone(), loaded, stored)
    }

    /// One story with its differences (as `storyclust show --store`), as
    /// the dict `--format json` gives a story; see `_core.pyi`.
    fn show(&self, py: Python<'_>, story_id: &str) -> PyResult<Py<PyAny>> {
        let Some(asked) = StoryId::parse(story_id) else {
            return Err(PyValueError::new_err(format!(
                "{story_id:?} is not a story id of a store (they read like 2024-09-23-3)"
            )));
        };
        let store = open(&self.path, Access::Read)?;
        let path = self.path.display().to_string();
        let json = py.detach(move || {
            let id = store.resolve_story(asked).map_err(|err| run::error(&err))?;
            let Some(id) = id else {
                return Err(crate::StoryclustError::new_err(format!("{path}: no story {asked}")));
            };
            let loaded = store.load(&[id]).map_err(|err| run::error(&err))?;
            if loaded.ids.is_empty() {
                return Err(crate::StoryclustError::new_err(format!("{path}: story {id} has no articles")));
            }
            let stored = stored_views(&store, &loaded.ids)?;
            let differences = pipeline::differences(&loaded.articles, &loaded.clustering, &DiffConfig::default());
            let report =
                Report { articles: &loaded.articles, clustering: &loaded.clustering, differences: Some(&differences) };
            let mut json = Vec::new();
            report::write_stored(&report, &stored, Format::Json, &mut json).map_err(|err| run::error(&err))?;
            Ok(json)
        })?;
        let document = py.import("json")?.call_method1("loads", (std::str::from_utf8(&json).unwrap_or_default(),))?;
        Ok(document.get_item("stories")?.get_item(0)?.unbind())
    }

    fn __repr__(&self) -> String {
        format!("storyclust.Store({:?})", self.path.display().to_string())
    }
}

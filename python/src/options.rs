//! Keyword options to the library's [`Options`]: the command's flags by the
//! same names, underscored (`story_threshold` is `--story-threshold`), plus
//! `threads` and `strict`, and the few a function adds (`Store.add`:
//! `active_days`, `now`).
//!
//! Owns [`parse`] and [`RunOptions`]. Ranges and their messages are the
//! library's ([`Options::set`]); this module only maps Python values to
//! numbers and errors to Python exceptions. It must not hold a default of
//! its own: every default is the library's.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt};

use storyclust::options::{self, Number, Options, SetError, MAX_THREADS};

/// What a call's keyword options set.
pub struct RunOptions<'py> {
    /// The clustering options.
    pub options: Options,
    /// Worker threads, `None` for the shared pool of all cores.
    pub threads: Option<usize>,
    /// Raise `StoryclustError` when any input was skipped or repaired.
    pub strict: bool,
    /// The options only the calling function takes, by name, as given.
    pub rest: Vec<(String, Bound<'py, PyAny>)>,
}

/// Reads `kwargs`; `own` names the options only the calling function takes
/// (returned in [`RunOptions::rest`]). A value of `None` keeps the default.
///
/// # Errors
/// `TypeError` for an unknown name or a value of the wrong type,
/// `ValueError` for a value out of range (the command's message).
pub fn parse<'py>(kwargs: Option<&Bound<'py, PyDict>>, own: &[&str]) -> PyResult<RunOptions<'py>> {
    let mut run = RunOptions { options: Options::default(), threads: None, strict: false, rest: Vec::new() };
    let Some(kwargs) = kwargs else { return Ok(run) };
    for (key, value) in kwargs.iter() {
        let name: String = key.extract()?;
        if own.contains(&name.as_str()) {
            run.rest.push((name, value));
            continue;
        }
        if value.is_none() {
            if name == "threads" || name == "strict" || Options::NAMES.contains(&name.as_str()) {
                continue;
            }
            return Err(unknown(&name, own));
        }
        match name.as_str() {
            "strict" => {
                let strict = value.cast::<PyBool>().map_err(|_| PyTypeError::new_err("option 'strict' takes a bool"))?;
                run.strict = strict.is_true();
            }
            "threads" => {
                let n = whole(&name, &value)?;
                run.threads = Some(options::count_in(n, 1, MAX_THREADS).map_err(|m| range(&name, &m))?);
            }
            _ => match run.options.set(&name, number(&name, &value)?) {
                Ok(()) => {}
                Err(SetError::Unknown) => return Err(unknown(&name, own)),
                Err(SetError::NotWhole) => return Err(not_whole(&name)),
                Err(SetError::Range(message)) => return Err(range(&name, &message)),
            },
        }
    }
    Ok(run)
}

/// A Python int or float as a [`Number`] (a bool is refused: `True` is not
/// a threshold).
fn number(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Number> {
    if value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!("option '{name}' takes a number, not a bool")));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(Number::Whole(whole(name, value)?));
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(Number::Real(value.extract()?));
    }
    Err(PyTypeError::new_err(format!("option '{name}' takes a number, not {}", value.get_type().name()?)))
}

/// A Python int (out of `i64` counts as out of every range).
fn whole(name: &str, value: &Bound<'_, PyAny>) -> PyResult<i128> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(not_whole(name));
    }
    Ok(value.extract::<i64>().map_or(i128::MAX, i128::from))
}

fn not_whole(name: &str) -> PyErr {
    PyTypeError::new_err(format!("option '{name}' takes a whole number (int)"))
}

fn range(name: &str, message: &str) -> PyErr {
    PyValueError::new_err(format!("option '{name}': {message}"))
}

fn unknown(name: &str, own: &[&str]) -> PyErr {
    let mut names: Vec<&str> = Options::NAMES.to_vec();
    names.extend(["threads", "strict"]);
    names.extend(own);
    PyTypeError::new_err(format!("unknown option '{name}' (the options are: {})", names.join(", ")))
}

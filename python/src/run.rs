//! Running the library from Python: the thread pool, the problems of a
//! run, and the errors that end it.
//!
//! Owns [`in_pool`], [`problems`], [`check`], [`arrow`] and [`error`]. It
//! must not print: problems go back to Python on the result, or in the
//! exception.

use std::fmt::Write as _;

use pyo3::prelude::*;

use storyclust::clean::Skipped;
use storyclust::ingest::{self, Problem};

use crate::StoryclustError;

/// Runs `work` on a worker of a rayon pool: the shared pool of all cores,
/// or one of `threads` threads. (On a worker, not the calling thread: from
/// outside the pool every parallel step would hand its work over and sleep
/// until it is done, as the command avoids too.)
///
/// # Errors
/// The pool cannot be started.
pub fn in_pool<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> PyResult<T> {
    match threads {
        None => Ok(rayon::scope(|_| work())),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|err| StoryclustError::new_err(format!("cannot start the thread pool: {err}")))?;
            Ok(pool.install(work))
        }
    }
}

/// Every problem of a run in the command's order: reading's, then
/// cleaning's warnings, then the articles cleaning skipped.
pub fn problems(read: Vec<Problem>, warnings: Vec<Problem>, skipped: &[Skipped]) -> Vec<Problem> {
    let mut problems = read;
    problems.extend(warnings);
    problems.extend(skipped.iter().map(Skipped::problem));
    problems
}

/// The problems shown in an exception's message; the rest are counted.
const SHOWN: usize = 20;

/// Ends the run as the command would: an error when no article is left,
/// or, with `strict`, when anything was skipped or repaired. The message
/// is the command's (the summary line, then each problem); the exception's
/// `problems` attribute holds them all.
///
/// # Errors
/// `StoryclustError`, as above.
pub fn check(problems: &[Problem], n_seen: usize, n_kept: usize, strict: bool) -> PyResult<()> {
    let fail = |first: &str| {
        let mut message = first.to_owned();
        for problem in problems.iter().take(SHOWN) {
            let _ = write!(message, "\n{problem}");
        }
        if problems.len() > SHOWN {
            let _ = write!(message, "\n… and {} more (the exception's `problems`)", problems.len() - SHOWN);
        }
        let err = StoryclustError::new_err(message);
        Python::attach(|py| {
            let list: Vec<crate::Problem> = problems.iter().cloned().map(crate::Problem::from).collect();
            err.value(py).setattr("problems", list)?;
            Ok::<_, PyErr>(err)
        })
    };
    let summary = ingest::summary_line(n_seen, n_kept, problems);
    if n_kept == 0 {
        return Err(fail(&format!("no usable article in the input\n{summary}"))?);
    }
    if strict && !problems.is_empty() {
        return Err(fail(&summary)?);
    }
    Ok(())
}

/// An error making an Arrow batch, as a `StoryclustError`.
pub fn arrow<T, E: std::fmt::Display>(result: Result<T, E>) -> PyResult<T> {
    result.map_err(|err| StoryclustError::new_err(format!("cannot make the Arrow table: {err}")))
}

/// A library error as a `StoryclustError`, with its causes as the command
/// shows them (`error: cause: cause`).
pub fn error(err: &(dyn std::error::Error + 'static)) -> PyErr {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let _ = write!(message, ": {cause}");
        source = cause.source();
    }
    StoryclustError::new_err(message)
}

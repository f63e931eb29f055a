//! The library's error type.
//!
//! Owns [`Error`] and [`Result`]: what can stop a whole run. Problems with one
//! input (a bad JSON line, an unreadable file) are not errors: `ingest`
//! reports them as [`crate::ingest::Problem`]s and the run goes on. Low-level
//! file code (`spill`) returns plain `io::Result`s, which become
//! [`Error::Io`] at the pipeline's boundary.

use std::io;

/// What stopped a run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O error: on a temporary file (`$TMPDIR`, or `/tmp`), or returned
    /// by a caller's sink (for example a closed standard output).
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A record read back from a temporary file does not decode: the file
    /// was changed or truncated behind the run's back.
    #[error("a spilled {0} is damaged")]
    Damaged(&'static str),
    /// Article texts were asked of a run that did not keep them (a cluster
    /// run without `keep_bodies`).
    #[error("this run kept no article bodies (a cluster run without keep_bodies)")]
    BodiesNotKept,
}

impl Error {
    /// The kind of the underlying I/O error, if this is one (for example to
    /// treat a broken pipe as a clean end).
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        match self {
            Error::Io(err) => Some(err.kind()),
            _ => None,
        }
    }
}

/// A result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

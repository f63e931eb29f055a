//! JSON Lines records handed over in memory under a name of the caller's
//! choosing (the Python package's list of dicts), and the one-line summary
//! of what reading skipped.
//!
//! Owns [`read_records`] and [`summary_line`]. The records are read by the
//! rules of a `.jsonl` file (`BatchReader`), so that a record given this
//! way gives the same article, and the same problems, as the same line of a
//! file; nothing here parses a record itself.

use std::path::Path;

use super::{summarize, BatchReader, FileKind, IngestOutput, Problem, Severity};
use crate::article::RawDoc;

/// Reads `bytes` as JSON Lines, whatever `name` is (it names the input in
/// problems, `name:line`), with duplicate ids checked as in a file.
pub fn read_records(name: &Path, bytes: &[u8]) -> IngestOutput {
    let mut docs = Vec::new();
    let mut sink = |batch: Vec<RawDoc>| docs.extend(batch);
    let mut reader = BatchReader::new(usize::MAX, &mut sink);
    reader.read_bytes(name, FileKind::JsonLines, bytes);
    let problems = reader.finish();
    IngestOutput { docs, problems }
}

/// The end-of-run summary of a run that read `n_seen` articles and kept
/// `n_kept`, with its `problems` (cleaning's skips included), e.g. `read 5
/// articles, clustered 4, skipped 1, warnings 0 (missing id: 1)`.
pub fn summary_line(n_seen: usize, n_kept: usize, problems: &[Problem]) -> String {
    let n_skipped = problems.iter().filter(|p| p.severity == Severity::Skipped).count();
    let n_warned = problems.len() - n_skipped;
    let mut line = format!("read {n_seen} articles, clustered {n_kept}, skipped {n_skipped}, warnings {n_warned}");
    let details: Vec<String> = summarize(problems).into_iter().map(|(kind, _, n)| format!("{kind}: {n}")).collect();
    if !details.is_empty() {
        line.push_str(&format!(" ({})", details.join(", ")));
    }
    line
}

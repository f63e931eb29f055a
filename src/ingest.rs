//! Reading inputs: files, directories, JSON Lines and standard input.
//!
//! Owns [`read_inputs`], which turns the paths a user names into [`RawDoc`]s
//! and a list of [`Problem`]s (what was skipped or repaired, and why, naming
//! the file and line). A directory is walked recursively in sorted order;
//! `.txt`, `.html`/`.htm` files are one article each (id = file stem);
//! `.jsonl`/`.ndjson` files and `-` (standard input) hold one JSON record a
//! line. One bad record never stops or loses the others.
//!
//! Invalid UTF-8 is decoded lossily (each bad byte becomes U+FFFD) with a
//! warning, so that a single mis-encoded byte does not lose an article.
//!
//! This module must not clean, normalise or interpret article text beyond
//! decoding it: what the page says is `clean`'s business.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::article::{Date, DocKind, Origin, RawContent, RawDoc};

/// How serious a [`Problem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The article was read, but something was repaired or ignored.
    Warning,
    /// The article (or the whole file) was skipped.
    Skipped,
}

/// Something wrong with one input, with where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file, and line for JSON Lines.
    pub origin: Origin,
    /// Whether anything was lost.
    pub severity: Severity,
    /// A short category for the run summary, e.g. "bad JSON".
    pub kind: &'static str,
    /// The full explanation.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.severity {
            Severity::Warning => "warning",
            Severity::Skipped => "skipped",
        };
        write!(f, "{}: {}: {}", self.origin, what, self.message)
    }
}

/// What [`read_inputs`] produced.
#[derive(Debug, Default)]
pub struct IngestOutput {
    /// The documents read, in input order (paths in the order given,
    /// directory entries sorted, records in line order).
    pub docs: Vec<RawDoc>,
    /// Everything that was skipped or repaired.
    pub problems: Vec<Problem>,
}

impl IngestOutput {
    fn problem(&mut self, origin: Origin, severity: Severity, kind: &'static str, message: impl Into<String>) {
        self.problems.push(Problem { origin, severity, kind, message: message.into() });
    }
}

/// The name under which standard input is reported.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads every input. `-` is JSON Lines from `stdin`; anything else is a file
/// or a directory. Duplicate ids: the first occurrence wins, later ones are
/// skipped with a problem naming both places.
pub fn read_inputs(inputs: &[PathBuf], stdin: &mut dyn Read) -> IngestOutput {
    let mut out = IngestOutput::default();
    for input in inputs {
        if input.as_os_str() == "-" {
            let mut bytes = Vec::new();
            match stdin.read_to_end(&mut bytes) {
                Ok(_) => read_jsonl_bytes(Path::new(STDIN_NAME), &bytes, &mut out),
                Err(err) => out.problem(
                    Origin::file(STDIN_NAME),
                    Severity::Skipped,
                    "unreadable",
                    format!("cannot read standard input: {err}"),
                ),
            }
            continue;
        }
        match fs::metadata(input) {
            Ok(meta) if meta.is_dir() => read_dir(input, &mut out),
            Ok(_) => read_file(input, true, &mut out),
            Err(err) => out.problem(
                Origin::file(input),
                Severity::Skipped,
                "unreadable",
                format!("cannot read: {err}"),
            ),
        }
    }
    remove_duplicate_ids(&mut out);
    out
}

/// The kind of file, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    Text,
    Html,
    JsonLines,
}

fn file_kind(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(FileKind::Text),
        "html" | "htm" => Some(FileKind::Html),
        "jsonl" | "ndjson" => Some(FileKind::JsonLines),
        _ => None,
    }
}

fn read_dir(dir: &Path, out: &mut IngestOutput) {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(err) => {
                out.problem(Origin::file(&current), Severity::Skipped, "unreadable", format!("cannot list directory: {err}"));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    out.problem(Origin::file(&current), Severity::Skipped, "unreadable", format!("cannot list directory: {err}"));
                    continue;
                }
            };
            let path = entry.path();
            let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) if file_kind(&path).is_some() => files.push(path),
                Ok(_) => {}
                Err(err) => {
                    out.problem(Origin::file(&path), Severity::Skipped, "unreadable", format!("cannot read: {err}"))
                }
            }
        }
    }
    files.sort();
    for file in files {
        read_file(&file, false, out);
    }
}

fn read_file(path: &Path, named_by_user: bool, out: &mut IngestOutput) {
    let Some(kind) = file_kind(path) else {
        let why = if named_by_user { "not a .txt, .html, .htm, .jsonl or .ndjson file" } else { "unsupported file type" };
        out.problem(Origin::file(path), Severity::Skipped, "unsupported file", why);
        return;
    };
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            out.problem(Origin::file(path), Severity::Skipped, "unreadable", format!("cannot read: {err}"));
            return;
        }
    };
    match kind {
        FileKind::JsonLines => read_jsonl_bytes(path, &bytes, out),
        FileKind::Text | FileKind::Html => {
            let origin = Origin::file(path);
            let text = decode(&bytes, &origin, out);
            if text.trim().is_empty() {
                out.problem(origin, Severity::Skipped, "empty article", "empty article: the file has no text");
                return;
            }
            let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let content = if kind == FileKind::Html { RawContent::Html(text) } else { RawContent::Text(text) };
            out.docs.push(RawDoc {
                id,
                origin,
                kind: DocKind::Page,
                content,
                title: None,
                source: None,
                url: None,
                published: None,
                extra: BTreeMap::new(),
            });
        }
    }
}

/// Decodes UTF-8, replacing invalid bytes and recording a warning.
fn decode(bytes: &[u8], origin: &Origin, out: &mut IngestOutput) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(err) => {
            let n_bad = String::from_utf8_lossy(bytes).chars().filter(|&c| c == '\u{FFFD}').count();
            out.problem(
                origin.clone(),
                Severity::Warning,
                "invalid UTF-8",
                format!(
                    "invalid UTF-8 at byte {}: decoded with {} replacement character(s)",
                    err.valid_up_to(),
                    n_bad
                ),
            );
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

fn read_jsonl_bytes(path: &Path, bytes: &[u8], out: &mut IngestOutput) {
    let reader = io::BufReader::new(bytes);
    for (line_idx, line) in reader.split(b'\n').enumerate() {
        let line_no = line_idx + 1;
        let origin = Origin::line(path, line_no);
        let line = match line {
            Ok(line) => line,
            Err(err) => {
                out.problem(origin, Severity::Skipped, "unreadable", format!("cannot read: {err}"));
                break;
            }
        };
        let text = decode(&line, &origin, out);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            continue;
        }
        match parse_record(trimmed, &origin, out) {
            Ok(doc) => out.docs.push(doc),
            Err((kind, message)) => out.problem(origin, Severity::Skipped, kind, message),
        }
    }
}

/// Parses one JSON Lines record. Unknown scalar fields go to `extra`.
fn parse_record(line: &str, origin: &Origin, out: &mut IngestOutput) -> Result<RawDoc, (&'static str, String)> {
    let value: Value = serde_json::from_str(line).map_err(|err| ("bad JSON", format!("bad JSON: {err}")))?;
    let Value::Object(map) = value else {
        return Err(("bad JSON", "bad JSON: a record must be an object".to_owned()));
    };
    let id = match map.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(("missing id", "the `id` field must be a non-empty string".to_owned())),
        None => return Err(("missing id", "the record has no `id` field".to_owned())),
    };
    let string_field = |name: &str| -> Result<Option<String>, (&'static str, String)> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(("bad field", format!("article {id}: the `{name}` field must be a string"))),
        }
    };
    let content = match (string_field("text")?, string_field("html")?) {
        (Some(text), _) if !text.trim().is_empty() => RawContent::Text(text),
        (_, Some(html)) if !html.trim().is_empty() => RawContent::Html(html),
        (None, None) => {
            return Err(("missing text", format!("article {id}: the record has neither `text` nor `html`")))
        }
        _ => return Err(("empty article", format!("article {id}: empty article"))),
    };
    let published = match string_field("published")? {
        Some(s) if !s.trim().is_empty() => {
            let date = Date::parse_iso(&s);
            if date.is_none() {
                out.problem(
                    origin.clone(),
                    Severity::Warning,
                    "bad date",
                    format!("article {id}: `published` {s:?} is not YYYY-MM-DD or RFC 3339; ignored"),
                );
            }
            date
        }
        _ => None,
    };
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let title = non_empty(string_field("title")?);
    let source = non_empty(string_field("source")?);
    let url = non_empty(string_field("url")?);
    let mut extra = BTreeMap::new();
    for (key, value) in &map {
        if matches!(key.as_str(), "id" | "text" | "html" | "title" | "source" | "url" | "published") {
            continue;
        }
        let scalar = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null | Value::Array(_) | Value::Object(_) => continue,
        };
        extra.insert(key.clone(), scalar);
    }
    Ok(RawDoc { id, origin: origin.clone(), kind: DocKind::Record, content, title, source, url, published, extra })
}

fn remove_duplicate_ids(out: &mut IngestOutput) {
    let mut seen: HashMap<String, Origin> = HashMap::new();
    let mut keep = Vec::with_capacity(out.docs.len());
    let mut duplicates = Vec::new();
    for doc in out.docs.drain(..) {
        if let Some(first) = seen.get(&doc.id) {
            duplicates.push(Problem {
                origin: doc.origin.clone(),
                severity: Severity::Skipped,
                kind: "duplicate id",
                message: format!("duplicate id {:?}: first read at {}", doc.id, first),
            });
        } else {
            seen.insert(doc.id.clone(), doc.origin.clone());
            keep.push(doc);
        }
    }
    out.docs = keep;
    out.problems.extend(duplicates);
}

/// Counts problems by kind, for the end-of-run summary: `(kind, severity, count)`,
/// sorted by kind.
pub fn summarize(problems: &[Problem]) -> Vec<(&'static str, Severity, usize)> {
    let mut counts: BTreeMap<(&'static str, Severity), usize> = BTreeMap::new();
    for p in problems {
        *counts.entry((p.kind, p.severity)).or_default() += 1;
    }
    counts.into_iter().map(|((kind, severity), n)| (kind, severity, n)).collect()
}

#[cfg(test)]
mod tests;

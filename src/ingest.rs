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

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, Visitor};

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
    // Valid UTF-8 throughout (the usual case): lines are borrowed from the
    // buffer as they are, never copied. Otherwise each line is decoded on its
    // own, lossily, with a warning naming it.
    if let Ok(text) = std::str::from_utf8(bytes) {
        for (line_idx, line) in text.split('\n').enumerate() {
            let line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
            read_jsonl_line(path, line_idx + 1, line, out);
        }
        return;
    }
    for (line_idx, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let origin = Origin::line(path, line_idx + 1);
        let text = decode(line, &origin, out);
        read_jsonl_line(path, line_idx + 1, &text, out);
    }
}

/// Reads the record on one (decoded) line; blank lines are skipped.
fn read_jsonl_line(path: &Path, line_no: usize, text: &str, out: &mut IngestOutput) {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return;
    }
    let origin = Origin::line(path, line_no);
    match parse_record(trimmed, origin.clone(), out) {
        Ok(doc) => out.docs.push(doc),
        Err((kind, message)) => out.problem(origin, Severity::Skipped, kind, message),
    }
}

/// One JSON value of a record, as far as reading a record needs it: strings
/// are borrowed from the line when they have no escapes, and arrays and
/// objects are checked but not kept. Equivalent, for [`parse_record`], to
/// `serde_json::Value` (same parser, same errors), without copying the text.
enum Field<'a> {
    Str(Cow<'a, str>),
    Number(serde_json::Number),
    Bool(bool),
    Null,
    /// An array or an object.
    Nested,
}

/// A record line: an object's fields in input order, or some other value.
enum Record<'a> {
    Object(Vec<(Cow<'a, str>, Field<'a>)>),
    NotObject,
}

/// A string borrowed from the input when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Visits any JSON value the way `serde_json::Value` does.
struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Field<'de>, E> {
        Ok(Field::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Field<'de>, E> {
        Ok(Field::Number(n.into()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Field<'de>, E> {
        Ok(Field::Number(n.into()))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Field<'de>, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Field::Null, Field::Number))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(s)))
    }
    fn visit_none<E: de::Error>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field<'de>, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Field<'de>, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Field::Nested)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Field<'de>, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Field::Nested)
    }
}

impl<'de> Deserialize<'de> for Field<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
}

impl<'de> Deserialize<'de> for Record<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Record<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Record<'de>, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((Text(key), value)) = map.next_entry::<Text<'de>, Field<'de>>()? {
                    fields.push((key, value));
                }
                Ok(Record::Object(fields))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Record<'de>, A::Error> {
                FieldVisitor.visit_seq(seq).map(|_| Record::NotObject)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Record<'de>, E> {
                Ok(Record::NotObject)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses one JSON Lines record. Unknown scalar fields go to `extra`.
fn parse_record(line: &str, origin: Origin, out: &mut IngestOutput) -> Result<RawDoc, (&'static str, String)> {
    let record: Record<'_> = serde_json::from_str(line).map_err(|err| ("bad JSON", format!("bad JSON: {err}")))?;
    let Record::Object(fields) = record else {
        return Err(("bad JSON", "bad JSON: a record must be an object".to_owned()));
    };
    parse_fields(fields, origin, out)
}

fn parse_fields(
    mut fields: Vec<(Cow<'_, str>, Field<'_>)>,
    origin: Origin,
    out: &mut IngestOutput,
) -> Result<RawDoc, (&'static str, String)> {
    // Repeated keys: keep only the last occurrence of each (rare; a JSON
    // object map does the same).
    if fields.iter().enumerate().any(|(i, (k, _))| fields[i + 1..].iter().any(|(l, _)| l == k)) {
        let mut last: Vec<(Cow<'_, str>, Field<'_>)> = Vec::with_capacity(fields.len());
        for (k, v) in fields.into_iter().rev() {
            if !last.iter().any(|(l, _)| *l == k) {
                last.push((k, v));
            }
        }
        last.reverse();
        fields = last;
    }
    let mut take = |name: &str| -> Option<Field<'_>> {
        let i = fields.iter().position(|(k, _)| k == name)?;
        Some(std::mem::replace(&mut fields[i].1, Field::Nested))
    };
    let id = match take("id") {
        Some(Field::Str(s)) if !s.trim().is_empty() => s.trim().to_owned(),
        Some(Field::Number(n)) => n.to_string(),
        Some(_) => return Err(("missing id", "the `id` field must be a non-empty string".to_owned())),
        None => return Err(("missing id", "the record has no `id` field".to_owned())),
    };
    let string_field = |field: Option<Field<'_>>, name: &str| -> Result<Option<String>, (&'static str, String)> {
        match field {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Str(s)) => Ok(Some(s.into_owned())),
            Some(_) => Err(("bad field", format!("article {id}: the `{name}` field must be a string"))),
        }
    };
    let content = match (string_field(take("text"), "text")?, string_field(take("html"), "html")?) {
        (Some(text), _) if !text.trim().is_empty() => RawContent::Text(text),
        (_, Some(html)) if !html.trim().is_empty() => RawContent::Html(html),
        (None, None) => {
            return Err(("missing text", format!("article {id}: the record has neither `text` nor `html`")))
        }
        _ => return Err(("empty article", format!("article {id}: empty article"))),
    };
    let published = match string_field(take("published"), "published")? {
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
    let title = non_empty(string_field(take("title"), "title")?);
    let source = non_empty(string_field(take("source"), "source")?);
    let url = non_empty(string_field(take("url"), "url")?);
    let mut extra = BTreeMap::new();
    for (key, value) in fields {
        if matches!(&*key, "id" | "text" | "html" | "title" | "source" | "url" | "published") {
            continue;
        }
        let scalar = match value {
            Field::Str(s) => s.into_owned(),
            Field::Number(n) => n.to_string(),
            Field::Bool(b) => b.to_string(),
            Field::Null | Field::Nested => continue,
        };
        extra.insert(key.into_owned(), scalar);
    }
    Ok(RawDoc { id, origin, kind: DocKind::Record, content, title, source, url, published, extra })
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

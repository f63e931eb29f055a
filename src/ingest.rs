//! Reading inputs: files, directories, JSON Lines and standard input.
//!
//! Owns [`read_inputs`], which turns the paths a user names into [`RawDoc`]s
//! and a list of [`Problem`]s (what was skipped or repaired, and why, naming
//! the file and line). A directory is walked recursively in sorted order (`walk.rs`);
//! standard input is copied to an unnamed temporary file (`source.rs`);
//! `.txt`, `.html`/`.htm` files are one article each (id = file stem);
//! `.jsonl`/`.ndjson` files and `-` (standard input) hold one JSON record a
//! line; `.parquet` files (feature `parquet`) one record a row, read a batch
//! of rows at a time and converted by `columnar` by the same rules (rows
//! numbered from 1 where JSON Lines has line numbers). One bad record never
//! stops or loses the others.
//!
//! Invalid UTF-8 is decoded lossily (each bad byte becomes U+FFFD) with a
//! warning, so that a single mis-encoded byte does not lose an article.
//!
//! This module must not clean, normalise or interpret article text beyond
//! decoding it: what the page says is `clean`'s business.

use std::borrow::Cow;
use std::collections::{hash_map, BTreeMap};
use std::fmt;
use std::fs;
use std::io::{BufRead, Read};

use rayon::prelude::*;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

#[cfg(feature = "arrow")]
use arrow_array::RecordBatch;
#[cfg(feature = "arrow")]
use arrow_schema::ArrowError;

use crate::article::{DocKind, Extra, Origin, RawContent, RawDoc};
use crate::hashes::{StrMap, TermMap};

/// How serious a [`Problem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The article was read, but something was repaired or ignored.
    Warning,
    /// The article (or the whole file) was skipped.
    Skipped,
}

/// What kind of [`Problem`] happened: the category counted in the run's
/// summary. [`ProblemKind::name`] is the one spelling of each, used by the
/// summary and the messages alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A file (or standard input) could not be read; the whole file is skipped.
    Unreadable,
    /// A file named on the command line is not of a kind storyclust reads.
    UnsupportedFile,
    /// An article without text (or, after cleaning, without a body).
    EmptyArticle,
    /// An article whose id an earlier article already has; the later one is skipped.
    DuplicateId,
    /// Bytes that are not UTF-8, decoded with replacement characters.
    InvalidUtf8,
    /// A JSON Lines line that is not a JSON object.
    BadJson,
    /// A record without a usable `id`.
    MissingId,
    /// A record field of the wrong type.
    BadField,
    /// A record with neither `text` nor `html`.
    MissingText,
    /// A `published` value that is not a date; the date is ignored.
    BadDate,
    /// A FIFO, socket or device found while walking a folder: reading it
    /// could block forever, so it is skipped.
    NotAFile,
    /// A folder reached a second time while walking (through a symbolic
    /// link, for example a link loop): walked once only.
    WalkedTwice,
    /// An HTML page whose element tree would take more than linear time or
    /// memory (deep nesting, formatting elements reopened again and again):
    /// its text is read from its tags alone.
    TangledHtml,
    /// An article with more sentences than the differences compare
    /// (`diff::DiffConfig::max_sentences`): only its first ones are.
    LongArticle,
}

impl ProblemKind {
    /// The short name shown in messages and the summary, e.g. "bad JSON".
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::UnsupportedFile => "unsupported file",
            ProblemKind::EmptyArticle => "empty article",
            ProblemKind::DuplicateId => "duplicate id",
            ProblemKind::InvalidUtf8 => "invalid UTF-8",
            ProblemKind::BadJson => "bad JSON",
            ProblemKind::MissingId => "missing id",
            ProblemKind::BadField => "bad field",
            ProblemKind::MissingText => "missing text",
            ProblemKind::BadDate => "bad date",
            ProblemKind::NotAFile => "not a regular file",
            ProblemKind::WalkedTwice => "folder walked twice",
            ProblemKind::TangledHtml => "tangled HTML",
            ProblemKind::LongArticle => "long article",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something wrong with one input, with where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file, and line for JSON Lines.
    pub origin: Origin,
    /// Whether anything was lost.
    pub severity: Severity,
    /// The category counted in the run summary.
    pub kind: ProblemKind,
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

pub(crate) fn problem(origin: Origin, severity: Severity, kind: ProblemKind, message: impl Into<String>) -> Problem {
    Problem { origin, severity, kind, message: message.into() }
}

/// Why a file named on the command line is not read.
#[cfg(feature = "parquet")]
const NOT_READ: &str = "not a .txt, .html, .htm, .jsonl, .ndjson or .parquet file";
#[cfg(not(feature = "parquet"))]
const NOT_READ: &str = "not a .txt, .html, .htm, .jsonl or .ndjson file";

/// The name under which standard input is reported.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads every input at once. `-` is JSON Lines from `stdin`; anything else
/// is a file or a directory. Duplicate ids: the first occurrence wins, later
/// ones are skipped with a problem naming both places.
pub fn read_inputs(inputs: &[PathBuf], stdin: &mut dyn Read) -> IngestOutput {
    let inputs = Inputs::resolve(inputs, stdin);
    let mut docs = Vec::new();
    let problems = inputs.read(usize::MAX, &mut |batch| docs.extend(batch));
    IngestOutput { docs, problems }
}

/// Reads `bytes` as the content of a file named `name`, by the rules for a
/// file of that name: its extension makes it JSON Lines (`.jsonl`,
/// `.ndjson`), Parquet (`.parquet`, with the `parquet` feature), one HTML
/// page (`.html`, `.htm`) or one text page (`.txt`, its id the name's
/// stem); any other name is an unsupported file. Records,
/// problems and duplicate ids are as [`read_inputs`] gives them for that
/// file. For input held in memory (an embedding program, the fuzz
/// targets); nothing is read from or written to disk.
pub fn read_bytes(name: &Path, bytes: &[u8]) -> IngestOutput {
    let mut docs = Vec::new();
    let mut sink = |batch: Vec<RawDoc>| docs.extend(batch);
    let mut reader = BatchReader::new(usize::MAX, &mut sink);
    match file_kind(name) {
        Some(kind) => reader.read_bytes(name, kind, bytes),
        None => {
            reader.problems.push(problem(Origin::file(name), Severity::Skipped, ProblemKind::UnsupportedFile, NOT_READ))
        }
    }
    let problems = reader.finish();
    IngestOutput { docs, problems }
}

/// Reads an input given as Arrow record batches (`columnar` converts each
/// row), handing its documents to `sink` at the end: rows numbered from 1
/// across the batches, duplicate ids checked as in a file.
#[cfg(feature = "arrow")]
pub(crate) fn read_arrow_input(
    name: &Path,
    batches: &mut dyn Iterator<Item = Result<RecordBatch, ArrowError>>,
    sink: &mut dyn FnMut(Vec<RawDoc>),
) -> Vec<Problem> {
    let mut reader = BatchReader::new(usize::MAX, sink);
    reader.files.push(name.to_path_buf());
    reader.read_record_batches(name, batches);
    reader.finish()
}

/// The inputs a user named, resolved once so that they can be read more than
/// once, in batches, without holding them all: directories are listed (in
/// sorted order) and standard input is copied to a temporary file that has
/// no name (see [`Source::Spool`]).
pub struct Inputs {
    entries: Vec<Entry>,
}

/// One input file to read, or what went wrong resolving one, in input order.
enum Entry {
    File {
        /// Where to read it.
        source: Source,
        /// How it is named in messages and origins.
        shown: PathBuf,
        kind: FileKind,
    },
    Problem(Problem),
}

impl Inputs {
    /// Resolves `inputs`: `-` is JSON Lines from `stdin` (copied to a
    /// temporary file); a directory stands for its `.txt`, `.html`, `.htm`,
    /// `.jsonl`, `.ndjson` (and `.parquet`) files, recursively, sorted.
    pub fn resolve(inputs: &[PathBuf], stdin: &mut dyn Read) -> Inputs {
        let mut entries = Vec::new();
        let mut spooled = false;
        for input in inputs {
            if input.as_os_str() == "-" {
                if spooled {
                    // Standard input can only be read once; a second `-` reads nothing.
                    continue;
                }
                match spool_stdin(stdin) {
                    Ok(file) => {
                        entries.push(Entry::File {
                            source: Source::Spool(file),
                            shown: PathBuf::from(STDIN_NAME),
                            kind: FileKind::JsonLines,
                        });
                        spooled = true;
                    }
                    Err(err) => entries.push(Entry::Problem(problem(
                        Origin::file(STDIN_NAME),
                        Severity::Skipped,
                        ProblemKind::Unreadable,
                        format!(
                            "cannot copy standard input to a temporary file in {}: {err}",
                            std::env::temp_dir().display()
                        ),
                    ))),
                }
                continue;
            }
            match fs::metadata(input) {
                Ok(meta) if meta.is_dir() => list_dir(input, &mut entries),
                Ok(_) => match file_kind(input) {
                    Some(kind) => {
                        entries.push(Entry::File { source: Source::Path(input.clone()), shown: input.clone(), kind })
                    }
                    None => entries.push(Entry::Problem(problem(
                        Origin::file(input),
                        Severity::Skipped,
                        ProblemKind::UnsupportedFile,
                        NOT_READ,
                    ))),
                },
                Err(err) => entries.push(Entry::Problem(problem(
                    Origin::file(input),
                    Severity::Skipped,
                    ProblemKind::Unreadable,
                    format!("cannot read: {err}"),
                ))),
            }
        }
        Inputs { entries }
    }

    /// The total size in bytes of the files to read (for progress).
    pub fn total_bytes(&self) -> u64 {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::File { source, .. } => source.len(),
                Entry::Problem(_) => None,
            })
            .sum()
    }

    /// Reads every document in input order and hands them to `sink` in
    /// batches of about `batch_bytes` of input (JSON Lines records of a batch
    /// are parsed in parallel). Duplicate ids: the first occurrence wins.
    /// Returns everything that was skipped or repaired, in input order
    /// (duplicate ids last). Reading again gives the same documents and
    /// problems, as long as the files do not change.
    pub fn read(&self, batch_bytes: usize, sink: &mut dyn FnMut(Vec<RawDoc>)) -> Vec<Problem> {
        let mut reader = BatchReader::new(batch_bytes, sink);
        for entry in &self.entries {
            match entry {
                Entry::Problem(p) => reader.problems.push(p.clone()),
                Entry::File { source, shown, kind } => reader.read_file(source, shown, *kind),
            }
        }
        reader.finish()
    }
}

/// The state of one [`Inputs::read`] pass.
struct BatchReader<'s> {
    batch_bytes: usize,
    batch: Vec<RawDoc>,
    batch_len: usize,
    /// The files read so far, as shown in origins (what [`Place::file`] indexes).
    files: Vec<PathBuf>,
    /// Every id read so far, with where it was first read.
    seen: SeenIds,
    problems: Vec<Problem>,
    duplicates: Vec<Problem>,
    sink: &'s mut dyn FnMut(Vec<RawDoc>),
}

/// Where an id was first read: a file of [`BatchReader::files`] and the
/// 1-based line (0 for a whole file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    file: u32,
    line: usize,
}

impl Place {
    fn origin_line(self) -> Option<usize> {
        (self.line != 0).then_some(self.line)
    }
}

/// The ids read so far and where each was first read. The ids are kept one
/// after the other in one string and found by their xxh3 hash, so that
/// noting an id allocates nothing of its own; an id whose hash is that of
/// another, different id (rare) goes to a map of its own.
#[derive(Default)]
struct SeenIds {
    /// The ids, one after the other.
    text: String,
    /// By the hash of its id: where the id lies in `text`, and its place.
    by_hash: TermMap<(usize, usize, Place)>,
    /// Ids whose hash is that of a different id in `by_hash`.
    collided: StrMap<Box<str>, Place>,
}

impl SeenIds {
    /// Where `id` was first read; if it was not read before, it is noted as
    /// read at `place`.
    fn first_or_insert(&mut self, id: &str, place: Place) -> Option<Place> {
        self.first_or_insert_hashed(id, xxh3_64(id.as_bytes()), place)
    }

    /// [`SeenIds::first_or_insert`] with the hash of `id` given (tests give
    /// colliding ones).
    fn first_or_insert_hashed(&mut self, id: &str, hash: u64, place: Place) -> Option<Place> {
        match self.by_hash.entry(hash) {
            hash_map::Entry::Vacant(slot) => {
                slot.insert((self.text.len(), self.text.len() + id.len(), place));
                self.text.push_str(id);
                None
            }
            hash_map::Entry::Occupied(first) => {
                let &(start, end, first_place) = first.get();
                if &self.text[start..end] == id {
                    return Some(first_place);
                }
                match self.collided.entry(id.into()) {
                    hash_map::Entry::Occupied(first) => Some(*first.get()),
                    hash_map::Entry::Vacant(slot) => {
                        slot.insert(place);
                        None
                    }
                }
            }
        }
    }
}

/// JSON Lines are read and parsed this many bytes at a time (in parallel),
/// or the batch size when smaller...
const JSONL_CHUNK: usize = 16 << 20;

/// ...but at least this many.
const JSONL_MIN_READ: usize = 64 << 10;

impl<'s> BatchReader<'s> {
    fn new(batch_bytes: usize, sink: &'s mut dyn FnMut(Vec<RawDoc>)) -> BatchReader<'s> {
        BatchReader {
            batch_bytes,
            batch: Vec::new(),
            batch_len: 0,
            files: Vec::new(),
            seen: SeenIds::default(),
            problems: Vec::new(),
            duplicates: Vec::new(),
            sink,
        }
    }

    /// Hands over the last batch; returns the problems, duplicate ids last.
    fn finish(mut self) -> Vec<Problem> {
        self.flush();
        let mut problems = self.problems;
        problems.append(&mut self.duplicates);
        problems
    }

    fn push(&mut self, doc: RawDoc, size: usize) {
        // The document comes from the file read last.
        let place = Place { file: self.files.len() as u32 - 1, line: doc.origin.line.unwrap_or(0) };
        if let Some(first) = self.seen.first_or_insert(&doc.id, place) {
            let first = Origin { path: self.files[first.file as usize].clone(), line: first.origin_line() };
            let message = format!("duplicate id {:?}: first read at {}", doc.id, first);
            self.duplicates.push(problem(doc.origin, Severity::Skipped, ProblemKind::DuplicateId, message));
            return;
        }
        self.batch.push(doc);
        self.batch_len += size;
        if self.batch_len >= self.batch_bytes {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            self.batch_len = 0;
            // The next batch will likely hold as many documents: room for
            // them now saves growing it (and touching fresh memory) step by step.
            let room = self.batch.len();
            (self.sink)(std::mem::replace(&mut self.batch, Vec::with_capacity(room)));
        }
    }

    fn read_file(&mut self, source: &Source, shown: &Path, kind: FileKind) {
        self.files.push(shown.to_path_buf());
        if kind == FileKind::JsonLines {
            return self.read_jsonl(source, shown);
        }
        #[cfg(feature = "parquet")]
        if kind == FileKind::Parquet {
            let reader = source.file().map_err(|err| format!("cannot read: {err}"));
            return self.read_parquet(shown, reader.and_then(parquet_reader));
        }
        let origin = Origin::file(shown);
        let bytes = match source.read_all() {
            Ok(bytes) => bytes,
            Err(err) => {
                self.problems.push(problem(
                    origin,
                    Severity::Skipped,
                    ProblemKind::Unreadable,
                    format!("cannot read: {err}"),
                ));
                return;
            }
        };
        self.read_page(shown, kind, &bytes);
    }

    /// Reads the rows of record batches, the first of which is row 1 of
    /// `shown`; an error ends the input with a problem naming the first row
    /// not read.
    #[cfg(feature = "arrow")]
    fn read_record_batches(
        &mut self,
        shown: &Path,
        batches: &mut dyn Iterator<Item = Result<RecordBatch, ArrowError>>,
    ) {
        let mut first_row: u64 = 1;
        for batch in batches {
            let batch = match batch {
                Ok(batch) => batch,
                Err(err) => {
                    self.problems.push(problem(
                        Origin::line(shown, first_row as usize),
                        Severity::Skipped,
                        ProblemKind::Unreadable,
                        format!("cannot read the rest of the input: {err}"),
                    ));
                    return;
                }
            };
            let docs = crate::columnar::docs_from_batch(&batch, shown, first_row, &mut self.problems);
            first_row += batch.num_rows() as u64;
            for doc in docs {
                let size = crate::columnar::doc_size(&doc);
                self.push(doc, size);
            }
        }
    }

    /// Reads bytes held in memory as the file `shown` of `kind`.
    fn read_bytes(&mut self, shown: &Path, kind: FileKind, bytes: &[u8]) {
        self.files.push(shown.to_path_buf());
        match kind {
            FileKind::JsonLines => {
                self.parse_chunk(shown, 1, bytes);
            }
            FileKind::Text | FileKind::Html => self.read_page(shown, kind, bytes),
            #[cfg(feature = "parquet")]
            FileKind::Parquet => self.read_parquet(shown, parquet_reader(bytes::Bytes::copy_from_slice(bytes))),
        }
    }

    /// Reads a Parquet file's rows batch by batch, or reports why it cannot
    /// be read at all (not Parquet, a damaged footer).
    #[cfg(feature = "parquet")]
    fn read_parquet(
        &mut self,
        shown: &Path,
        reader: Result<parquet::arrow::arrow_reader::ParquetRecordBatchReader, String>,
    ) {
        match reader {
            Ok(mut reader) => self.read_record_batches(shown, &mut reader),
            Err(message) => {
                self.problems.push(problem(Origin::file(shown), Severity::Skipped, ProblemKind::Unreadable, message))
            }
        }
    }

    /// One page (a text or HTML file) read whole: one article.
    fn read_page(&mut self, shown: &Path, kind: FileKind, bytes: &[u8]) {
        let origin = Origin::file(shown);
        let text = decode(bytes, || origin.clone(), &mut self.problems).into_owned();
        if text.trim().is_empty() {
            self.problems.push(problem(
                origin,
                Severity::Skipped,
                ProblemKind::EmptyArticle,
                "empty article: the file has no text",
            ));
            return;
        }
        let id = shown.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let content = if kind == FileKind::Html { RawContent::Html(text) } else { RawContent::Text(text) };
        let doc = RawDoc {
            id,
            origin,
            kind: DocKind::Page,
            content,
            title: None,
            source: None,
            url: None,
            published: None,
            extra: Extra::new(),
        };
        self.push(doc, bytes.len());
    }

    /// Reads a JSON Lines file a block of whole lines at a time (read
    /// straight into one buffer; the partial line at its end is carried
    /// over); the lines of a block are decoded and parsed in parallel, then
    /// taken in order.
    fn read_jsonl(&mut self, source: &Source, shown: &Path) {
        let mut file = match source.open() {
            Ok(file) => file,
            Err(err) => {
                self.problems.push(problem(
                    Origin::file(shown),
                    Severity::Skipped,
                    ProblemKind::Unreadable,
                    format!("cannot read: {err}"),
                ));
                return;
            }
        };
        let block = JSONL_CHUNK.min(self.batch_bytes).max(JSONL_MIN_READ);
        let mut buf: Vec<u8> = Vec::new();
        let mut first_line = 1;
        loop {
            // `buf` holds at most a partial line (no newline) from the last block.
            let scanned = buf.len();
            buf.reserve(block);
            let (done, error) = match (&mut file).take(block as u64).read_to_end(&mut buf) {
                Ok(n) => (n < block, None),
                Err(err) => (true, Some(err)),
            };
            let end = if done && error.is_none() {
                buf.len()
            } else {
                match buf[scanned..].iter().rposition(|&b| b == b'\n') {
                    Some(i) => scanned + i + 1,
                    None if done => 0,
                    // A line longer than the block so far: read on.
                    None => continue,
                }
            };
            let chunk = &buf[..end];
            if let Some(err) = error {
                // A partial last line is dropped; the error names its line.
                let n_lines = chunk.iter().filter(|&&b| b == b'\n').count();
                self.problems.push(problem(
                    Origin::line(shown, first_line + n_lines),
                    Severity::Skipped,
                    ProblemKind::Unreadable,
                    format!("cannot read the rest of the file: {err}"),
                ));
            }
            first_line += self.parse_chunk(shown, first_line, chunk);
            if done {
                return;
            }
            buf.drain(..end);
        }
    }

    /// Parses whole lines (the last may lack its newline), the first of which
    /// is line `first_line`; returns how many lines there were.
    fn parse_chunk(&mut self, shown: &Path, first_line: usize, chunk: &[u8]) -> usize {
        let lines = split_lines(chunk);
        let parsed: Vec<(Option<RawDoc>, Vec<Problem>, usize)> = lines
            .par_iter()
            .enumerate()
            .map(|(k, line)| {
                let mut problems = Vec::new();
                let origin = || Origin::line(shown, first_line + k);
                let text = decode(line, origin, &mut problems);
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    return (None, problems, 0);
                }
                let doc = match parse_record(trimmed, origin, &mut problems) {
                    Ok(doc) => Some(doc),
                    Err((kind, message)) => {
                        problems.push(problem(origin(), Severity::Skipped, kind, message));
                        None
                    }
                };
                (doc, problems, line.len())
            })
            .collect();
        for (doc, mut problems, size) in parsed {
            self.problems.append(&mut problems);
            if let Some(doc) = doc {
                self.push(doc, size);
            }
        }
        lines.len()
    }
}

/// The lines of `chunk`, without their newlines; a newline at the very end
/// does not start another line. Finds newlines with the standard library's
/// `memchr` (through `BufRead::skip_until`), many bytes at a time.
fn split_lines(chunk: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut rest = chunk;
    while !rest.is_empty() {
        let line = rest;
        // Reading from a slice cannot fail.
        let n = rest.skip_until(b'\n').unwrap_or(rest.len());
        lines.push(line[..n].strip_suffix(b"\n").unwrap_or(&line[..n]));
    }
    lines
}

/// Decodes UTF-8, replacing invalid bytes and recording a warning. A byte
/// order mark at the start is dropped.
/// `origin` is called only then.
fn decode<'a>(bytes: &'a [u8], origin: impl FnOnce() -> Origin, problems: &mut Vec<Problem>) -> Cow<'a, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(err) => {
            let text = String::from_utf8_lossy(bytes);
            let n_bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
            problems.push(problem(
                origin(),
                Severity::Warning,
                ProblemKind::InvalidUtf8,
                format!("invalid UTF-8 at byte {}: decoded with {} replacement character(s)", err.valid_up_to(), n_bad),
            ));
            text
        }
    }
}

/// Counts problems by kind, for the end-of-run summary: `(kind, severity, count)`,
/// sorted by the kind's name, then severity.
pub fn summarize(problems: &[Problem]) -> Vec<(ProblemKind, Severity, usize)> {
    let mut counts: BTreeMap<(&'static str, Severity), (ProblemKind, usize)> = BTreeMap::new();
    for p in problems {
        counts.entry((p.kind.name(), p.severity)).or_insert((p.kind, 0)).1 += 1;
    }
    counts.into_iter().map(|((_, severity), (kind, n))| (kind, severity, n)).collect()
}

/// A batch reader over a Parquet file's bytes, or why there is none.
#[cfg(feature = "parquet")]
fn parquet_reader<T: parquet::file::reader::ChunkReader + 'static>(
    bytes: T,
) -> Result<parquet::arrow::arrow_reader::ParquetRecordBatchReader, String> {
    crate::columnar::open_parquet(bytes).map_err(|err| format!("not a readable Parquet file: {err}"))
}

mod record;
mod records;
mod source;
mod walk;

use record::parse_record;
#[cfg(feature = "arrow")]
pub(crate) use record::{parse_fields, Field};
pub use records::{read_records, summary_line};
use source::{spool_stdin, Source};
use walk::{file_kind, list_dir, FileKind};

#[cfg(test)]
mod tests;

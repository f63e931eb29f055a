//! The fuzz targets of storyclust: one function per target, taking any
//! bytes, each run through the library's public API. The libFuzzer targets
//! (`fuzz_targets/*.rs`, built by `cargo +nightly fuzz`) and the stable
//! driver (`src/bin/drive/`) both call these functions, so a target is
//! defined once.
//!
//! A target panics when storyclust panics, or when one of the properties it
//! checks on the result fails (each is a promise of the library's docs:
//! ids unique, every article in exactly one story, the streamed cleaning
//! equal to the one in memory, ...). [`TARGETS`] lists them by name.
//!
//! Inputs of several documents ([`clean_batch`], [`differences`],
//! [`pipeline`]) are cut into parts at [`PART_SEPARATOR`].
//!
//! Must not: print, touch the file system, or keep state from one input to
//! the next (a finding must reproduce from its bytes alone).

use std::collections::HashSet;
use std::io;
use std::path::Path;

use storyclust::clean::{self, CleanConfig, DocHead, TemplateLearner};
use storyclust::diff::{self, DiffConfig};
use storyclust::ingest::{self, IngestOutput};
use storyclust::pipeline::{self, Config, NoProgress};
use storyclust::report::{self, Format, Report};
use storyclust::{Article, Origin, RawDoc};

/// A fuzz target: its name (that of its libFuzzer target) and its body.
pub struct Target {
    /// The name, as in `fuzz_targets/<name>.rs` and the driver's `--target`.
    pub name: &'static str,
    /// Runs the target on one input.
    pub run: fn(&[u8]),
}

/// Every target, in the order the driver runs them.
pub const TARGETS: &[Target] = &[
    Target { name: "ingest_jsonl", run: ingest_jsonl },
    Target { name: "html_page", run: html_page },
    Target { name: "text_page", run: text_page },
    Target { name: "clean_batch", run: clean_batch },
    Target { name: "differences", run: differences },
    Target { name: "pipeline", run: pipeline },
];

/// The byte (ASCII record separator) that cuts an input into the documents
/// of a multi-document target.
pub const PART_SEPARATOR: u8 = 0x1E;

/// `data` cut at [`PART_SEPARATOR`] into at most `max` parts (the last
/// keeps the rest, separators included).
pub fn parts(data: &[u8], max: usize) -> Vec<&[u8]> {
    data.splitn(max, |&b| b == PART_SEPARATOR).collect()
}

/// JSON Lines ingest, then cleaning of the records read.
pub fn ingest_jsonl(data: &[u8]) {
    let out = ingest::read_bytes(Path::new("fuzz.jsonl"), data);
    let n_lines = data.split(|&b| b == b'\n').count();
    for doc in &out.docs {
        let line = doc.origin.line.expect("a record has a line");
        assert!((1..=n_lines).contains(&line), "record line {line} of {n_lines}");
    }
    for p in &out.problems {
        assert!(p.origin.line.is_none_or(|line| (1..=n_lines).contains(&line)), "problem {p} of {n_lines} lines");
    }
    check_ingest(&out);
    clean_and_check(out.docs);
}

/// One HTML page: ingest, HTML to text, cleaning.
pub fn html_page(data: &[u8]) {
    page(Path::new("page.html"), data);
}

/// One plain text page: ingest and cleaning.
pub fn text_page(data: &[u8]) {
    page(Path::new("page.txt"), data);
}

fn page(name: &Path, data: &[u8]) {
    let out = ingest::read_bytes(name, data);
    check_ingest(&out);
    assert!(out.docs.len() <= 1, "one page is at most one document");
    clean_and_check(out.docs);
}

/// Several pages of one outlet, cleaned together so that its template is
/// learned: [`clean::clean`] in memory must equal the streamed path
/// (template learning in two batches, each prepared document written out
/// and read back, then [`clean::clean_prepared`]), and must not depend on
/// the pages' order.
pub fn clean_batch(data: &[u8]) {
    let docs = page_docs(data, 8);
    let config = CleanConfig::default();
    let in_memory = clean::clean(docs.clone(), &config);
    assert_eq!(in_memory.articles.len() + in_memory.skipped.len(), docs.len());

    let mut learner = TemplateLearner::new(&config);
    let half = docs.len() / 2;
    let mut second = docs.clone();
    let first: Vec<RawDoc> = second.drain(..half).collect();
    let mut prepared = learner.add(first);
    prepared.extend(learner.add(second));
    let templates = learner.finish();
    let mut heads: Vec<DocHead> = Vec::new();
    let mut records: Vec<Vec<u8>> = Vec::new();
    for doc in prepared {
        let mut bytes = Vec::new();
        heads.push(doc.split(&mut bytes));
        records.push(bytes);
    }
    let joined: Vec<_> = heads
        .into_iter()
        .zip(&records)
        .map(|(head, bytes)| head.join(bytes).expect("a record just written reads back"))
        .collect();
    let streamed: Vec<Article> =
        clean::clean_prepared(joined, &templates, &config).into_iter().filter_map(Result::ok).collect();
    assert_eq!(summaries(&in_memory.articles), summaries(&streamed), "streamed cleaning differs");

    let mut reversed = docs;
    reversed.reverse();
    let mut again = clean::clean(reversed, &config).articles;
    again.reverse();
    assert_eq!(summaries(&in_memory.articles), summaries(&again), "cleaning depends on the input order");
}

/// The differences between 2 to 4 articles built from the input (the first
/// two near-duplicate copies when the first byte is odd).
pub fn differences(data: &[u8]) {
    let mut bodies: Vec<String> = parts(data, 4).into_iter().map(|p| String::from_utf8_lossy(p).into_owned()).collect();
    if bodies.len() < 2 {
        let whole = bodies.pop().unwrap_or_default();
        let mut cut = whole.len() / 2;
        while !whole.is_char_boundary(cut) {
            cut -= 1;
        }
        bodies = vec![whole[..cut].to_owned(), whole[cut..].to_owned()];
    }
    let articles: Vec<Article> = bodies.into_iter().enumerate().map(|(i, body)| article(i, body)).collect();
    let refs: Vec<&Article> = articles.iter().collect();
    let dup_groups = if data.first().is_some_and(|b| b % 2 == 1) { vec![vec![0, 1]] } else { Vec::new() };
    let story = diff::story_diff(&refs, &dup_groups, &DiffConfig::default());
    assert_eq!(story.per_article.len(), articles.len());
    for (a, d) in articles.iter().zip(&story.per_article) {
        assert_eq!(a.id, d.id);
    }
    serde_json::to_vec(&story).expect("a story diff serialises");
}

/// End to end over a few documents (each part a JSON Lines file when it
/// starts with `{`, else an HTML page when it holds `<`, else a text
/// page): clustering, differences and every report format.
pub fn pipeline(data: &[u8]) {
    let mut docs = Vec::new();
    let mut ids = HashSet::new();
    for (i, part) in parts(data, 6).into_iter().enumerate() {
        let name = if part.first() == Some(&b'{') {
            format!("f{i}.jsonl")
        } else if part.contains(&b'<') {
            format!("p{i}.html")
        } else {
            format!("p{i}.txt")
        };
        // As one run over several files, the first of an id wins.
        let out = ingest::read_bytes(Path::new(&name), part);
        docs.extend(out.docs.into_iter().filter(|d| ids.insert(d.id.clone())));
    }
    let n_docs = docs.len();
    let outcome = pipeline::run(docs, &Config::default(), &NoProgress);
    assert_eq!(outcome.articles.len() + outcome.skipped.len(), n_docs);
    let mut seen = vec![0usize; outcome.articles.len()];
    for story in &outcome.clustering.stories {
        for &m in &story.members {
            seen[m] += 1;
        }
    }
    assert!(seen.iter().all(|&n| n == 1), "every article is in exactly one story");
    let diffs = pipeline::differences(&outcome.articles, &outcome.clustering, &DiffConfig::default());
    let report = Report { articles: &outcome.articles, clustering: &outcome.clustering, differences: Some(&diffs) };
    for format in [Format::Table, Format::Json, Format::Jsonl, Format::Csv, Format::Html] {
        report::write(&report, format, &mut io::sink()).expect("a sink takes any report");
    }
    if !outcome.clustering.stories.is_empty() {
        report::write_show(&report, 0, &mut io::sink()).expect("a sink takes any report");
    }
}

/// The parts of `data` as pages `p0`, `p1`, ... of one outlet: HTML when a
/// part holds `<`, text otherwise.
fn page_docs(data: &[u8], max: usize) -> Vec<RawDoc> {
    let mut docs = Vec::new();
    for (i, part) in parts(data, max).into_iter().enumerate() {
        let name = if part.contains(&b'<') { format!("p{i}.html") } else { format!("p{i}.txt") };
        docs.extend(ingest::read_bytes(Path::new(&name), part).docs);
    }
    docs
}

/// What ingest promises of any input: unique, non-empty ids, and a text
/// that is not blank.
fn check_ingest(out: &IngestOutput) {
    let mut ids = HashSet::new();
    for doc in &out.docs {
        assert!(!doc.id.trim().is_empty(), "empty id");
        assert!(ids.insert(doc.id.as_str()), "id {:?} read twice", doc.id);
    }
}

/// Cleans documents and checks that each became an article or was skipped,
/// in input order, and that an article has a body.
fn clean_and_check(docs: Vec<RawDoc>) {
    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    let out = clean::clean(docs, &CleanConfig::default());
    assert_eq!(out.articles.len() + out.skipped.len(), ids.len());
    for a in &out.articles {
        assert!(!a.body.trim().is_empty(), "article {:?} has an empty body", a.id);
    }
    let kept: Vec<&str> = out.articles.iter().map(|a| a.id.as_str()).collect();
    let expected: Vec<&str> =
        ids.iter().map(String::as_str).filter(|id| !out.skipped.iter().any(|s| s.id == *id)).collect();
    assert_eq!(kept, expected, "articles out of input order");
}

/// An article's fields that cleaning decides, for comparisons.
fn summaries(articles: &[Article]) -> Vec<String> {
    articles.iter().map(|a| serde_json::to_string(a).expect("an article serialises")).collect()
}

/// An article of the [`differences`] target: its body is the part.
fn article(i: usize, body: String) -> Article {
    Article {
        id: format!("a{i}"),
        source: format!("outlet {i}"),
        title: body.lines().next().unwrap_or_default().chars().take(80).collect(),
        url: String::new(),
        published: None,
        body,
        origin: Origin::file(format!("a{i}")),
        extra: Default::default(),
    }
}

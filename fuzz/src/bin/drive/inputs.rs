//! The driver's inputs: a corpus of real and generated documents
//! ([`Corpus`]), shaped for each target and mutated ([`Corpus::input`]).
//! Owns the seeded generator ([`Rng`]) and the hostile fragments.
//!
//! An input depends only on the seed, the target and its number, never on
//! the thread that runs it, so a finding is reproduced by `--seed` and the
//! number alone as well as by the saved bytes.
//!
//! Must not: run a target, or read anything after [`Corpus::load`].

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use storyclust::generate::{self, GenerateConfig};
use storyclust_fuzz::PART_SEPARATOR;

/// SplitMix64 (Steele, Lea and Flood, 2014): small, fast and seedable.
pub struct Rng(u64);

impl Rng {
    /// A generator for input `index` of target `target` under `seed`.
    pub fn for_input(seed: u64, target: usize, index: u64) -> Rng {
        let mut rng = Rng(seed ^ (target as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.0 ^= rng.next().wrapping_add(index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A length between 1 and `max`, log-uniform: short inputs are as
    /// common as long ones, per doubling.
    fn length(&mut self, max: usize) -> usize {
        let bits = usize::BITS - max.max(1).leading_zeros();
        let top = 1usize << self.below(bits as usize + 1);
        1 + self.below(top.min(max))
    }
}

/// One document of the corpus.
struct Doc {
    /// Its text (a page's whole file, a record's body).
    text: String,
    /// Whether `text` is HTML.
    html: bool,
    /// Its JSON Lines record, one line.
    record: String,
    /// The outlet, when known: pages of one outlet share a template.
    source: String,
    /// The story label, when known.
    story: String,
}

/// Documents to build inputs from.
pub struct Corpus {
    docs: Vec<Doc>,
    /// Documents by outlet (two or more).
    by_source: Vec<Vec<usize>>,
    /// Documents by story (two or more).
    by_story: Vec<Vec<usize>>,
}

impl Corpus {
    /// The seed pages and test pages of the repository at `repo`, the JSON
    /// Lines files of `extra` (files or folders), and `n_generated`
    /// articles of `storyclust generate` (seed `seed`).
    pub fn load(repo: &Path, extra: &[PathBuf], n_generated: usize, seed: u64) -> Corpus {
        let mut docs = Vec::new();
        for dir in ["seeds", "tests/data/clean"] {
            for path in sorted_files(&repo.join(dir)) {
                let Ok(text) = fs::read_to_string(&path) else { continue };
                let html = path.extension().is_some_and(|e| e == "html" || e == "htm");
                let record =
                    serde_json::json!({ "id": path.to_string_lossy(), if html { "html" } else { "text" }: text });
                docs.push(Doc { text, html, record: record.to_string(), source: String::new(), story: String::new() });
            }
        }
        for path in extra.iter().flat_map(|p| if p.is_dir() { sorted_files(p) } else { vec![p.clone()] }) {
            let Ok(text) = fs::read_to_string(&path) else { continue };
            docs.extend(text.lines().filter_map(record_doc));
        }
        let config = GenerateConfig { articles: n_generated, seed, ..GenerateConfig::default() };
        for a in generate::generate(&config) {
            let record = serde_json::json!({
                "id": a.id, "text": a.text, "title": a.title, "source": a.source,
                "published": a.published.to_string(), "story": a.story,
            });
            docs.push(Doc { text: a.text, html: false, record: record.to_string(), source: a.source, story: a.story });
        }
        let group = |key: fn(&Doc) -> &str| -> Vec<Vec<usize>> {
            let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, d) in docs.iter().enumerate() {
                if !key(d).is_empty() {
                    groups.entry(key(d)).or_default().push(i);
                }
            }
            groups.into_values().filter(|g| g.len() >= 2).collect()
        };
        let by_source = group(|d| &d.source);
        let by_story = group(|d| &d.story);
        Corpus { docs, by_source, by_story }
    }

    /// How many documents it holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Input `index` of the target named `target`, at most `max_len` bytes.
    pub fn input(&self, rng: &mut Rng, target: &str, max_len: usize) -> Vec<u8> {
        if rng.chance(8) {
            return random_bytes(rng, max_len);
        }
        let mut data = match target {
            "ingest_jsonl" => self.jsonl(rng, 8),
            "html_page" => self.page(rng, true),
            "text_page" => self.page(rng, false),
            "clean_batch" => self.batch(rng),
            "differences" => self.story(rng),
            _ => self.mixed(rng),
        };
        if rng.chance(50) {
            data.truncate(rng.length(max_len));
        }
        if rng.chance(80) {
            for _ in 0..1 + rng.below(8) {
                mutate(rng, &mut data, self);
            }
        }
        data.truncate(max_len);
        data
    }

    fn doc(&self, rng: &mut Rng) -> &Doc {
        rng.pick(&self.docs)
    }

    /// 1 to `max` records, one a line.
    fn jsonl(&self, rng: &mut Rng, max: usize) -> Vec<u8> {
        let newline = if rng.chance(10) { "\r\n" } else { "\n" };
        let n = 1 + rng.below(max);
        let lines: Vec<&str> = (0..n).map(|_| self.doc(rng).record.as_str()).collect();
        lines.join(newline).into_bytes()
    }

    /// One page: a page of the corpus, or a record's body laid out as one.
    fn page(&self, rng: &mut Rng, html: bool) -> Vec<u8> {
        let doc = self.doc(rng);
        if doc.html == html {
            doc.text.clone().into_bytes()
        } else if html {
            html_page(doc, rng).into_bytes()
        } else {
            doc.text.replace(". ", ".\n\n").into_bytes()
        }
    }

    /// 2 to 8 pages of one outlet, HTML or text.
    fn batch(&self, rng: &mut Rng) -> Vec<u8> {
        let html = rng.chance(50);
        let group = rng.pick(&self.by_source);
        let n = 2 + rng.below(7);
        let pages: Vec<Vec<u8>> = (0..n)
            .map(|_| {
                let doc = &self.docs[*rng.pick(group)];
                if html {
                    html_page(doc, rng).into_bytes()
                } else {
                    doc.text.clone().into_bytes()
                }
            })
            .collect();
        pages.join(&PART_SEPARATOR)
    }

    /// 2 to 4 bodies of one story.
    fn story(&self, rng: &mut Rng) -> Vec<u8> {
        let group = rng.pick(&self.by_story);
        let n = 2 + rng.below(3);
        let bodies: Vec<&[u8]> = (0..n).map(|_| self.docs[*rng.pick(group)].text.as_bytes()).collect();
        bodies.join(&PART_SEPARATOR)
    }

    /// 1 to 6 parts: JSON Lines of one story, pages.
    fn mixed(&self, rng: &mut Rng) -> Vec<u8> {
        let n = 1 + rng.below(6);
        let parts: Vec<Vec<u8>> = (0..n)
            .map(|_| match rng.below(3) {
                0 => {
                    let group = rng.pick(&self.by_story);
                    let k = 1 + rng.below(4);
                    let lines: Vec<&str> = (0..k).map(|_| self.docs[*rng.pick(group)].record.as_str()).collect();
                    lines.join("\n").into_bytes()
                }
                1 => self.page(rng, true),
                _ => self.page(rng, false),
            })
            .collect();
        parts.join(&PART_SEPARATOR)
    }
}

fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// A document from a JSON Lines record with a `text` or `html` field.
fn record_doc(line: &str) -> Option<Doc> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let (text, html) = match (field("text"), field("html")) {
        (text, _) if !text.is_empty() => (text, false),
        (_, html) if !html.is_empty() => (html, true),
        _ => return None,
    };
    let story = [field("story"), field("storyline")].into_iter().find(|s| !s.is_empty()).unwrap_or_default();
    Some(Doc { text, html, record: line.to_owned(), source: field("source"), story })
}

/// A record's body in a page of its outlet: declared metadata, a menu, the
/// headline, paragraphs, a footer.
fn html_page(doc: &Doc, rng: &mut Rng) -> String {
    let source = if doc.source.is_empty() { "The Daily Example" } else { &doc.source };
    let title: String = doc.text.split(". ").next().unwrap_or_default().chars().take(90).collect();
    let mut page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title} | {source}</title>\
         <meta property=\"og:site_name\" content=\"{source}\"><meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"article:published_time\" content=\"2024-0{}-1{}T08:00:00Z\"></head>\
         <body><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>\
         <li><a href=\"/sport\">Sport</a></li></ul></nav><article><h1>{title}</h1>",
        1 + rng.below(9),
        rng.below(10),
    );
    for paragraph in doc.text.split(". ") {
        page.push_str("<p>");
        page.push_str(paragraph);
        page.push_str(".</p>");
    }
    page.push_str("</article><aside>Share on Facebook</aside><footer>&copy; 2024 ");
    page.push_str(source);
    page.push_str(". All rights reserved.</footer></body></html>");
    page
}

/// Bytes of any value, or of printable ASCII and white space.
fn random_bytes(rng: &mut Rng, max_len: usize) -> Vec<u8> {
    let n = rng.length(max_len.min(4096));
    let ascii = rng.chance(50);
    (0..n)
        .map(|_| {
            let b = rng.next() as u8;
            if ascii {
                b" \n\t.<>/\"{}:,abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[b as usize % 72]
            } else {
                b
            }
        })
        .collect()
}

/// Fragments that have broken parsers before: deep or broken markup,
/// invalid UTF-8, huge numbers, control characters, JSON edge cases, text
/// that grows under normalisation.
const HOSTILE: &[&[u8]] = &[
    b"<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
    b"<table><tr><td><table><tr><td>",
    b"</p></div></body></html></html>",
    b"<p",
    b"<!--",
    b"<![CDATA[",
    b"<script>",
    b"<script type=\"application/ld+json\">{\"datePublished\": \"2024-13-45\", \"headline\": 7}</script>",
    b"<time datetime=\"99999-99-99T99:99\">",
    b"<meta property=\"article:published_time\" content=\"-271821-04-20\">",
    b"<meta property=\"og:title\" content=\"\">",
    b"&#0;&#xD800;&#99999999999;&amp&lt",
    b"\xFF\xFE",
    b"\xED\xA0\x80",
    b"\xC0\x80",
    b"\xF4\x90\x80\x80",
    b"\xE2\x82",
    b"\xEF\xBB\xBF",
    b"\0",
    b"\\u0000",
    b"\\ud800",
    b"\\uDFFF\\uD800",
    b"\"",
    b"\\\"",
    b"\\",
    b"{",
    b"}",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"{\"id\": 1e999, \"text\": \"x\"}",
    b"{\"id\": 18446744073709551616, \"text\": \"Huge id.\"}",
    b"{\"id\": -0, \"text\": \"Negative zero.\"}",
    b"{\"id\": \"dup\", \"id\": \"dup\", \"text\": \"a\", \"text\": null}",
    b"{\"id\": \"x\", \"html\": \"<p>\", \"published\": \"2024-02-30\"}",
    b"\"published\": \"0000-00-00T00:00:00+99:99\"",
    b"\"published\": \"9999-12-31T23:59:60Z\"",
    b"99999999999999999999999999999999999999",
    b"-9223372036854775808",
    b"1e-400",
    b"NaN",
    b"$4.0 trillion trillion",
    b"\x1b]0;pwned\x07\x1b[2J",
    b"\r",
    b"\r\n\r\n",
    b"\t\t\t",
    b"\x0b\x0c\x1c\x1d\x1e\x1f",
    b"\xE2\x80\xAE\xE2\x80\x8B\xE2\x80\xA8",
    b"\xEF\xB7\xBA\xEF\xB7\xBA\xEF\xB7\xBA",
    b"e\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81",
    b"\xF0\x9F\x98\x80\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
    b"Mr. Dr. Gen. U.S. A. B. C. ",
    b". . . . . . . . . .",
    b"\"\"\"\"\"\"",
    b"\xE2\x80\x9C\xE2\x80\x9D\xE2\x80\x9C",
    b"Share on Facebook\nShare on Twitter\n",
    b"\xC2\xA9 2024 All rights reserved.\n",
    b"Sunday, June 1, 2025\n",
    b"Updated 3 hours ago\n",
    b"\n\n\n\n\n\n\n\n",
    &[PART_SEPARATOR],
];

/// One random edit of `data`.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, corpus: &Corpus) {
    let at = |rng: &mut Rng, len: usize| if len == 0 { 0 } else { rng.below(len + 1) };
    match rng.below(10) {
        0 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] ^= 1 << rng.below(8);
        }
        1 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] = rng.next() as u8;
        }
        2 | 3 => {
            let fragment = *rng.pick(HOSTILE);
            let times = if rng.chance(10) { 1 + rng.below(64) } else { 1 };
            let i = at(rng, data.len());
            data.splice(i..i, fragment.iter().copied().cycle().take(fragment.len() * times));
        }
        4 if !data.is_empty() => {
            let i = rng.below(data.len());
            let n = rng.length(data.len() - i);
            data.drain(i..i + n);
        }
        5 if !data.is_empty() => {
            let i = rng.below(data.len());
            let n = rng.length((data.len() - i).min(4096));
            let copy = data[i..i + n].to_vec();
            let j = at(rng, data.len());
            data.splice(j..j, copy);
        }
        6 => {
            let other = corpus.doc(rng);
            let source = if rng.chance(50) { other.record.as_bytes() } else { other.text.as_bytes() };
            let start = rng.below(source.len().max(1)).min(source.len());
            let n = rng.length(source.len() - start).min(source.len() - start);
            let i = at(rng, data.len());
            data.splice(i..i, source[start..start + n].iter().copied());
        }
        7 => {
            // A long line: one character or word many times.
            const UNITS: &[&[u8]] = &[b"a", b"word ", b"\xC3\xA9", b"<b>", b"-", b"1,"];
            let unit = *rng.pick(UNITS);
            let n = rng.length(4000);
            let i = at(rng, data.len());
            data.splice(i..i, unit.iter().copied().cycle().take(unit.len() * n));
        }
        8 => {
            let i = at(rng, data.len());
            data.insert(i, *rng.pick(&[b'\n', b'"', b'<', b'>', b'{', b'}', b'\\', 0, PART_SEPARATOR]));
        }
        _ => {
            let i = at(rng, data.len());
            let n = rng.length(64);
            data.splice(i..i, (0..n).map(|_| rng.next() as u8));
        }
    }
}

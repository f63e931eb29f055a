//! The cleaning stage: from what `ingest` read ([`RawDoc`]) to articles
//! ([`Article`]) with a boilerplate-free body and the headline, outlet and
//! publication date filled in.
//!
//! Owns:
//! - HTML to text (`scraper`): non-content elements dropped, block elements
//!   end a line, list items become "• " lines; the headline, outlet and date
//!   the markup declares (og:title, og:site_name, article:published_time,
//!   `<time datetime>`, JSON-LD).
//! - Boilerplate removal *learned from the input itself*: a line shared by
//!   pages that otherwise differ is site template (linear-time counting of
//!   hashed lines, syndicated copies recognised so that their shared body is
//!   kept), plus a small documented set of generic patterns (sharing buttons,
//!   tag lists, post navigation, comment forms, copyright lines, menus, lone
//!   dates, repeated headlines). The body is then the main run of prose.
//! - Feed records (JSON `text`) are bodies already and lose only short or
//!   generic lines repeated across many different records, unless they show
//!   a page template themselves (two or more template or generic lines): then
//!   they are cleaned like pages. A record never loses all its text.
//! - Headline, outlet and date recovery from text pages: the repeated short
//!   line just before the date and body, the header name line that the
//!   copyright line corroborates, the date line next to the headline.
//!   Metadata the input declares always wins; what cannot be found stays empty.
//!
//! Must not: do any I/O, hold a list of known sites or outlets, or compare
//! articles with each other for clustering (template learning only counts
//! lines).
//!
//! | file | responsibility |
//! |------|----------------|
//! | `mod.rs` | the stage's API: [`CleanConfig`], [`clean`], [`TemplateLearner`], [`PreparedDoc`], [`DocHead`], [`clean_prepared`]; a prepared document and its spilled form |
//! | `html.rs` | HTML to text lines, and the headline, outlet and date the markup declares; `html/tree.rs` builds the element tree within a budget of work, `html/tokens.rs` reads a page over it by its tags alone, `html/attributes.rs` caps the attributes of a tag |
//! | `lines/` | a text split into measured lines: keys, word counts, flags, dates; the per-thread line cache; the spilled form of a line (its own table in `lines/mod.rs`) |
//! | `template.rs` | which line keys are a site's template, learned across documents |
//! | `page.rs` | one document cleaned once the templates are known: dropped lines, the body region, headline, date and outlet |
//! | `patterns.rs` | the fixed generic boilerplate patterns (sharing, tags, menus, copyright lines) and copyright holders |
//! | `date.rs` | dates and relative times written on pages |
//! | `tests.rs` | the stage on the seed pages and small made-up inputs; each file's own unit tests are in `<file>/tests.rs` |

use std::borrow::Cow;

use rayon::prelude::*;

use crate::article::{Article, Date, DocKind, Extra, Origin, RawContent, RawDoc};
use crate::ingest::{Problem, ProblemKind, Severity};
use crate::spill::{RecordIn, RecordOut};

mod date;
mod html;
mod lines;
mod page;
mod patterns;
mod template;

#[cfg(test)]
mod tests;

use html::HtmlMeta;
use lines::Line;

/// Settings of the cleaning stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanConfig {
    /// How many different pages must share a line for it to count as site
    /// template (pages that are copies of one another count once). Default 2;
    /// values below 2 act as 2.
    pub min_template_pages: usize,
    /// How many different feed records must share a short non-prose (or
    /// generic) line before it is removed from records, which are usually
    /// bodies already. Default 5; never below `min_template_pages`.
    pub min_template_records: usize,
    /// Fewest words of a prose line (a sentence of the article body).
    /// Default 8.
    pub min_prose_words: usize,
    /// Most words of a headline. Default 25.
    pub max_headline_words: usize,
}

impl Default for CleanConfig {
    fn default() -> Self {
        CleanConfig { min_template_pages: 2, min_template_records: 5, min_prose_words: 8, max_headline_words: 25 }
    }
}

/// A document that cleaning could not turn into an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The document id.
    pub id: String,
    /// Where it was read from.
    pub origin: Origin,
    /// Why, e.g. "empty article after removing boilerplate".
    pub reason: String,
}

impl Skipped {
    /// The problem a run reports for it: the article skipped as empty.
    pub fn problem(&self) -> Problem {
        Problem {
            origin: self.origin.clone(),
            severity: Severity::Skipped,
            kind: ProblemKind::EmptyArticle,
            message: format!("article {}: {}", self.id, self.reason),
        }
    }
}

/// The result of cleaning: articles in input order, and what was skipped.
#[derive(Clone, Debug)]
pub struct CleanOutput {
    /// The cleaned articles, in input order.
    pub articles: Vec<Article>,
    /// The documents left with no body.
    pub skipped: Vec<Skipped>,
    /// Warnings about documents that were kept: pages read by their tags
    /// alone.
    pub problems: Vec<Problem>,
}

/// A document ready for template learning and cleaning. Its text is owned
/// when it was just prepared, borrowed when it is read back from a spill.
#[derive(Debug)]
pub(crate) struct Prepared<'t> {
    /// The text the lines point into.
    pub text: Cow<'t, str>,
    /// Its non-empty lines.
    pub lines: Vec<Line>,
    /// What the HTML markup declares (empty for text).
    pub meta: HtmlMeta,
    /// Whether it carries a site template (pages and HTML records).
    pub page: bool,
    /// Whether it was HTML.
    pub html: bool,
    /// Declared headline.
    pub title: Option<String>,
    /// Declared outlet.
    pub source: Option<String>,
    /// Declared date.
    pub published: Option<Date>,
}

impl<'t> Prepared<'t> {
    /// Appends everything to a spill record.
    fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(self.text.len() + lines::MAX_LINE_RECORD * self.lines.len() + 64);
        out.put_str(&self.text);
        out.put_len(self.lines.len());
        let mut prev_end = 0;
        for line in &self.lines {
            line.encode(prev_end, out);
            prev_end = line.end;
        }
        self.meta.encode(out);
        out.put_u8(u8::from(self.page) | u8::from(self.html) << 1);
        out.put_opt_str(self.title.as_deref());
        out.put_opt_str(self.source.as_deref());
        encode_opt_date(self.published, out);
    }

    /// A record written by [`Prepared::encode`]; the text is borrowed from
    /// `bytes`.
    fn decode(bytes: &'t [u8]) -> Option<Prepared<'t>> {
        let mut r = RecordIn(bytes);
        let text = r.str()?;
        let n = r.size()?;
        // A damaged count cannot reserve more than the record holds.
        let mut lines = Vec::with_capacity(n.min(r.remaining() / lines::MIN_LINE_RECORD));
        let mut prev_end = 0;
        for _ in 0..n {
            let line = Line::decode(&mut r, prev_end, text)?;
            prev_end = line.end;
            lines.push(line);
        }
        let meta = HtmlMeta::decode(&mut r)?;
        let flags = r.u8()?;
        let title = r.opt_str()?.map(str::to_string);
        let source = r.opt_str()?.map(str::to_string);
        let published = decode_opt_date(&mut r)?;
        (r.is_done() && flags < 4).then_some(Prepared {
            text: Cow::Borrowed(text),
            lines,
            meta,
            page: flags & 1 != 0,
            html: flags & 2 != 0,
            title,
            source,
            published,
        })
    }
}

/// Appends an optional date to a spill record.
fn encode_opt_date(date: Option<Date>, out: &mut Vec<u8>) {
    out.put_u8(u8::from(date.is_some()));
    if let Some(date) = date {
        lines::encode_date(date, out);
    }
}

/// An optional date written by [`encode_opt_date`].
fn decode_opt_date(r: &mut RecordIn<'_>) -> Option<Option<Date>> {
    Some(if r.bool()? { Some(lines::decode_date(r)?) } else { None })
}

impl HtmlMeta {
    fn encode(&self, out: &mut Vec<u8>) {
        out.put_opt_str(self.title.as_deref());
        out.put_opt_str(self.site.as_deref());
        encode_opt_date(self.date, out);
    }

    fn decode(r: &mut RecordIn<'_>) -> Option<HtmlMeta> {
        Some(HtmlMeta {
            title: r.opt_str()?.map(str::to_string),
            site: r.opt_str()?.map(str::to_string),
            date: decode_opt_date(r)?,
        })
    }
}

/// What goes through cleaning untouched.
#[cfg_attr(test, derive(Clone))]
struct Passthrough {
    id: String,
    origin: Origin,
    url: Option<String>,
    extra: Extra,
}

fn declared(s: Option<String>) -> Option<String> {
    s.map(|s| if s.trim().len() == s.len() { s } else { s.trim().to_string() }).filter(|s| !s.is_empty())
}

/// Prepares a document: HTML turned into text, the text split into lines.
/// A page read by its tags alone (its element tree over
/// [`html::Budget`]) or with a tag's attributes cut comes with a warning
/// naming it.
fn prepare(doc: RawDoc, config: &CleanConfig) -> (Passthrough, Prepared<'static>, Option<Problem>) {
    let RawDoc { id, origin, kind, content, title, source, url, published, extra } = doc;
    let mut warning = None;
    let (text, meta, html) = match content {
        RawContent::Text(t) => (t, HtmlMeta::default(), false),
        RawContent::Html(h) => {
            let page = html::html_to_text(&h, &html::Budget::default());
            if let Some(why) = page.warning {
                warning = Some(Problem {
                    origin: origin.clone(),
                    severity: Severity::Warning,
                    kind: ProblemKind::TangledHtml,
                    message: format!("article {id}: {why}"),
                });
            }
            (page.text, page.meta, true)
        }
    };
    let lines = lines::split_lines(&text, config);
    let page = kind == DocKind::Page || html;
    let text = Cow::Owned(text);
    let prepared =
        Prepared { text, lines, meta, page, html, title: declared(title), source: declared(source), published };
    (Passthrough { id, origin, url, extra }, prepared, warning)
}

/// The site templates learned from an input: what [`clean_prepared`]
/// removes.
#[derive(Debug, Default)]
pub struct Templates(template::Templates);

impl Templates {
    /// The templates as bytes, for the parts of a run split across
    /// machines ([`Templates::from_bytes`] reads them back).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.encode()
    }

    /// The templates [`Templates::to_bytes`] wrote; `None` if `bytes` are
    /// not such templates.
    pub fn from_bytes(bytes: &[u8]) -> Option<Templates> {
        template::Templates::decode(bytes).map(Templates)
    }
}

/// A document read and split into lines (HTML turned into text), waiting
/// for the templates of the whole input before it is cleaned. Made by
/// [`TemplateLearner::add`] (owning its text) or [`DocHead::join`]
/// (borrowing it from the bytes read back).
pub struct PreparedDoc<'t> {
    pass: Passthrough,
    prepared: Prepared<'t>,
}

impl PreparedDoc<'_> {
    /// Writes the bulky part (text, lines, declared headline, outlet and
    /// date) to `out`, for a caller that cannot hold it until the templates
    /// are known; what stays is its [`DocHead`] (id, origin, URL, extra
    /// fields). [`DocHead::join`] puts the two back together.
    pub fn split(self, out: &mut Vec<u8>) -> DocHead {
        self.prepared.encode(out);
        DocHead(self.pass)
    }
}

/// What [`PreparedDoc::split`] keeps of a document.
pub struct DocHead(Passthrough);

impl DocHead {
    /// The document again, from its head and the bytes [`PreparedDoc::split`]
    /// wrote (its text borrowed from them); `None` if the bytes are not such
    /// a record.
    pub fn join(self, bytes: &[u8]) -> Option<PreparedDoc<'_>> {
        Some(PreparedDoc { pass: self.0, prepared: Prepared::decode(bytes)? })
    }
}

/// Learns site templates from documents handed over batch by batch, for
/// inputs too large to hold at once: only each document's line keys (a few
/// hundred bytes) are kept. [`TemplateLearner::finish`] gives the same
/// templates as [`clean`] learns from the same documents at once.
pub struct TemplateLearner {
    config: CleanConfig,
    docs: Vec<(template::DocKeys, bool)>,
    /// The warnings about documents prepared so far.
    problems: Vec<Problem>,
}

impl TemplateLearner {
    /// A learner with nothing seen yet.
    pub fn new(config: &CleanConfig) -> TemplateLearner {
        TemplateLearner { config: config.clone(), docs: Vec::new(), problems: Vec::new() }
    }

    /// Prepares more documents (in parallel) and notes their lines; the
    /// prepared documents come back in input order, to be cleaned by
    /// [`clean_prepared`] with the templates of [`TemplateLearner::finish`].
    /// A document that could not be read in full gives a warning, kept
    /// for [`TemplateLearner::take_problems`].
    pub fn add(&mut self, docs: Vec<RawDoc>) -> Vec<PreparedDoc<'static>> {
        let config = &self.config;
        let done: Vec<_> = docs
            .into_par_iter()
            .map(|doc| {
                let (pass, prepared, warning) = prepare(doc, config);
                let keys = (template::doc_keys(&prepared.lines), prepared.page);
                (PreparedDoc { pass, prepared }, keys, warning)
            })
            .collect();
        let mut prepared = Vec::with_capacity(done.len());
        self.docs.reserve(done.len());
        for (doc, keys, warning) in done {
            prepared.push(doc);
            self.docs.push(keys);
            self.problems.extend(warning);
        }
        prepared
    }

    /// The warnings about the documents added since the last call, in
    /// input order: pages read by their tags alone.
    pub fn take_problems(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.problems)
    }

    /// What this learner keeps of the documents added (each one's line
    /// keys, a few hundred bytes), as bytes that another learner takes in
    /// with [`TemplateLearner::absorb`]. A run split into parts prepares
    /// each part's documents on its own, and one learner that absorbs every
    /// part's evidence learns the templates a single learner of all the
    /// documents would (learning does not depend on the documents' order).
    pub fn evidence(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (keys, page) in &self.docs {
            keys.encode(*page, &mut out);
        }
        out
    }

    /// Takes in the documents of another learner's
    /// [`TemplateLearner::evidence`]; `false`, with nothing taken in, if
    /// `evidence` is not such bytes.
    pub fn absorb(&mut self, evidence: &[u8]) -> bool {
        let mut docs = Vec::new();
        let mut rest = evidence;
        while !rest.is_empty() {
            let Some((doc, after)) = template::DocKeys::decode(rest) else { return false };
            docs.push(doc);
            rest = after;
        }
        self.docs.append(&mut docs);
        true
    }

    /// The templates of every document added.
    pub fn finish(self) -> Templates {
        Templates(template::learn(&self.docs, self.config.min_template_pages, self.config.min_template_records))
    }
}

/// Cleans documents: learns the site templates from all of them, removes
/// boilerplate, keeps the body and fills in the headline, outlet and date
/// each page reveals (declared metadata wins). Articles keep input order;
/// documents left with no body are [`Skipped`]. The result does not depend on
/// the input order.
pub fn clean(docs: Vec<RawDoc>, config: &CleanConfig) -> CleanOutput {
    let mut learner = TemplateLearner::new(config);
    let prepared = learner.add(docs);
    let problems = learner.take_problems();
    let templates = learner.finish();
    let results = clean_prepared(prepared, &templates, config);
    let mut out = CleanOutput { articles: Vec::with_capacity(results.len()), skipped: Vec::new(), problems };
    for r in results {
        match r {
            Ok(a) => out.articles.push(a),
            Err(s) => out.skipped.push(s),
        }
    }
    out
}

/// Cleans prepared documents with the templates learned from the whole
/// input (by the [`TemplateLearner`] that prepared them), in parallel;
/// results in input order.
pub fn clean_prepared(
    docs: Vec<PreparedDoc<'_>>,
    templates: &Templates,
    config: &CleanConfig,
) -> Vec<Result<Article, Skipped>> {
    docs.into_par_iter().map(|d| clean_one(d.pass, d.prepared, templates, config)).collect()
}

fn clean_one(
    pass: Passthrough,
    p: Prepared<'_>,
    templates: &Templates,
    config: &CleanConfig,
) -> Result<Article, Skipped> {
    let templates = &templates.0;
    let found = if p.page {
        page::clean_page(&p, &templates.pages, config)
    } else if page::record_is_page(&p, &templates.records) {
        page::clean_page(&p, &templates.records, config).or_else(|_| page::clean_record(&p, &templates.records))
    } else {
        page::clean_record(&p, &templates.records)
    };
    // The document's text is freed here, on the worker thread.
    match found {
        Ok(f) => Ok(Article {
            id: pass.id,
            source: p.source.or(f.source).unwrap_or_default(),
            title: p.title.or(f.title).unwrap_or_default(),
            url: pass.url.unwrap_or_default(),
            published: p.published.or(f.published),
            body: f.body,
            origin: pass.origin,
            extra: pass.extra,
        }),
        Err(reason) => Err(Skipped { id: pass.id, origin: pass.origin, reason: reason.to_string() }),
    }
}

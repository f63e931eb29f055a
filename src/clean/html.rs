//! HTML to text lines (with the `scraper` crate), and the headline, outlet
//! and date an HTML page declares in its markup.
//!
//! Text inside script, style, noscript, nav, header, footer, aside, form,
//! iframe, svg (and a few other non-content elements) is dropped; block
//! elements end a line; list items become lines starting with "• ".
//!
//! A page is read through its element tree (`tree.rs` builds it, this file
//! walks it without recursion) unless building the tree would cost more
//! than linear time or memory (`tree::Budget`: deep nesting, formatting
//! elements reopened again and again); then it is read by its tags alone
//! (`tokens.rs`), in one pass, and [`PageText::warning`] says why. Before
//! either, a tag's attributes past the 1,024th are dropped
//! (`attributes.rs`): html5ever's tokenizer compares each attribute with
//! every earlier one of its tag. Every
//! step here is linear in the page: each node is entered and left once,
//! and a headline's text is gathered at most twice plus once per blank
//! `<h1>` not inside another blank one.

use html5ever::interface::TreeSink;
use scraper::{ElementRef, Html, HtmlTreeSink, Node};
use serde_json::Value;

use super::date;
use crate::article::Date;

mod attributes;
mod tokens;
mod tree;

pub(crate) use tree::Budget;

/// A node of a page's element tree.
type NodeId = <HtmlTreeSink as TreeSink>::Handle;

/// What the markup of a page says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct HtmlMeta {
    /// Headline: og:title, twitter:title, `<h1>`, JSON-LD headline or
    /// `<title>` without its site suffix.
    pub title: Option<String>,
    /// Outlet: og:site_name, JSON-LD publisher name, application-name, or the
    /// `<title>` suffix.
    pub site: Option<String>,
    /// Publication date: article:published_time (and similar meta tags),
    /// JSON-LD datePublished, `<time datetime>`.
    pub date: Option<Date>,
}

/// Elements whose whole content is dropped (metadata inside is not read).
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "style"
            | "noscript"
            | "iframe"
            | "svg"
            | "template"
            | "object"
            | "embed"
            | "canvas"
            | "select"
            | "button"
            | "math"
            | "audio"
            | "video"
            | "map"
    )
}

/// Elements whose text is dropped (metadata inside is still read).
fn is_suppressed(name: &str) -> bool {
    matches!(name, "head" | "nav" | "header" | "footer" | "aside" | "form" | "dialog" | "menu")
}

/// Elements that end a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// Every headline, outlet and date the markup declares, each from where it
/// was found; [`finish`] chooses among them.
#[derive(Default)]
struct Collected {
    /// `og:title`.
    og_title: Option<String>,
    /// `twitter:title`.
    tw_title: Option<String>,
    /// `og:site_name`.
    og_site: Option<String>,
    /// `application-name`.
    app_name: Option<String>,
    /// `article:published_time`.
    pub_primary: Option<Date>,
    /// The other publication date meta tags (`og:published_time`,
    /// `datePublished`, `dc.date`, …).
    pub_other: Option<Date>,
    /// `<title>`, white space collapsed.
    title_el: Option<String>,
    /// The first `<h1>` in the article or outside site chrome.
    h1_main: Option<String>,
    /// The first `<h1>` in site chrome.
    h1_any: Option<String>,
    /// The first `<time datetime>`.
    time: Option<Date>,
    /// JSON-LD `datePublished`.
    ld_date: Option<Date>,
    /// JSON-LD `headline`.
    ld_headline: Option<String>,
    /// JSON-LD publisher name.
    ld_publisher: Option<String>,
}

/// The text lines of a page as its elements are walked.
struct Writer {
    /// The finished lines, each ended by a line feed.
    out: String,
    /// The line being written.
    cur: String,
    /// Whether white space was seen since the last character.
    space: bool,
    /// Whether the next line is a list item (it starts with "• ").
    bullet: bool,
}

impl Writer {
    /// Appends text to the current line, its white space collapsed.
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            if self.cur.is_empty() {
                if self.bullet {
                    self.cur.push_str("• ");
                    self.bullet = false;
                }
            } else if self.space && !self.cur.ends_with(' ') {
                self.cur.push(' ');
            }
            self.space = false;
            self.cur.push(c);
        }
    }

    /// Ends the current line (kept when it holds more than a bullet).
    fn flush(&mut self) {
        let line = self.cur.trim();
        if !line.is_empty() && line != "•" {
            self.out.push_str(line);
            self.out.push('\n');
        }
        self.cur.clear();
        self.space = false;
    }
}

fn collapse(s: &str) -> Option<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn set_once(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none() {
        *slot = value.and_then(collapse);
    }
}

/// A page turned into text.
#[derive(Debug)]
pub(crate) struct PageText {
    /// Its text lines, each ended by a line feed.
    pub text: String,
    /// What its markup declares.
    pub meta: HtmlMeta,
    /// What was not read as usual and why, e.g. "HTML with more than 512
    /// nested or unclosed elements: its text was read from its tags alone";
    /// `None` for a page read in full through its element tree.
    pub warning: Option<String>,
}

/// Converts an HTML page to text lines (joined by `\n`) and its metadata:
/// through its element tree when the tree stays within `budget`, by its
/// tags alone otherwise; a tag's attributes past the
/// [`attributes::MAX_ATTRIBUTES`]th are dropped first.
pub(crate) fn html_to_text(html: &str, budget: &Budget) -> PageText {
    let mut warnings = Vec::new();
    let capped = attributes::cap_attributes(html, attributes::MAX_ATTRIBUTES);
    if capped.is_some() {
        let max = attributes::MAX_ATTRIBUTES;
        warnings.push(format!("a tag of more than {max} attributes: the attributes past the {max}th were dropped"));
    }
    let html = capped.as_deref().unwrap_or(html);
    let (text, meta) = match tree::parse_bounded(html, budget).0 {
        Ok(doc) => tree_to_text(&doc, html.len()),
        Err(exceeded) => {
            warnings.push(format!("{}: its text was read from its tags alone", exceeded.describe(budget)));
            tokens::tokens_to_text(html).0
        }
    };
    let warning = (!warnings.is_empty()).then(|| format!("HTML with {}", warnings.join(", and ")));
    PageText { text, meta, warning }
}

/// The text lines and metadata of a parsed page.
///
/// The element tree is walked depth first with a stack of nodes, each
/// element pushed twice: once to enter it (then its children, in order),
/// once to leave it.
fn tree_to_text(doc: &Html, html_len: usize) -> (String, HtmlMeta) {
    let mut walk = Walk::new(html_len);
    // Nodes to visit, and whether the visit leaves the node (an element
    // whose children are done).
    let mut stack = vec![(doc.tree.root(), false)];
    while let Some((node, leaving)) = stack.pop() {
        match node.value() {
            Node::Text(t) if walk.suppressed == 0 => walk.writer.text(t),
            Node::Element(el) => {
                if leaving {
                    if walk.blank_h1 == Some(node.id()) {
                        walk.blank_h1 = None;
                    }
                    walk.leave(el.name());
                    continue;
                }
                let Some(element) = ElementRef::wrap(node) else { continue };
                if walk.enter(element) {
                    stack.push((node, true));
                    stack.extend(node.children().rev().map(|child| (child, false)));
                }
            }
            Node::Document | Node::Fragment => stack.extend(node.children().rev().map(|child| (child, false))),
            _ => {}
        }
    }
    walk.finish()
}

/// Where the walk of [`html_to_text`] stands: the text written so far, the
/// metadata collected, and how deep it is in elements that matter.
struct Walk {
    /// The text lines.
    writer: Writer,
    /// What the markup declares.
    collected: Collected,
    /// Depth in elements whose text is left out ([`is_suppressed`]).
    suppressed: usize,
    /// Depth in site chrome (nav, header, footer, aside) entered outside an
    /// article: an `<h1>` there is a weaker headline.
    chrome: usize,
    /// Depth in `<article>` and `<main>` elements.
    article: usize,
    /// The outermost `<h1>` being walked whose text is blank: an `<h1>`
    /// inside it has blank text too, so its text is not gathered again.
    blank_h1: Option<NodeId>,
}

/// Site chrome: the elements around the article.
fn is_chrome(name: &str) -> bool {
    matches!(name, "nav" | "header" | "footer" | "aside")
}

impl Walk {
    /// A walk with nothing written yet, for a page of `html_len` bytes.
    fn new(html_len: usize) -> Walk {
        Walk {
            writer: Writer {
                out: String::with_capacity(html_len / 3),
                cur: String::new(),
                space: false,
                bullet: false,
            },
            collected: Collected::default(),
            suppressed: 0,
            chrome: 0,
            article: 0,
            blank_h1: None,
        }
    }

    /// The text lines (the last one ended) and the metadata chosen.
    fn finish(mut self) -> (String, HtmlMeta) {
        self.writer.flush();
        (self.writer.out, finish(self.collected))
    }

    /// Enters an element: reads what it declares, ends the line before a
    /// block. Whether its children are to be walked (not for hidden,
    /// skipped and metadata elements, nor for a line break).
    fn enter(&mut self, element: ElementRef<'_>) -> bool {
        let el = element.value();
        let name = el.name();
        if el.attr("hidden").is_some() || is_skipped(name) {
            return false;
        }
        let c = &mut self.collected;
        match name {
            "script" => {
                if el.attr("type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) {
                    let text: String = element.text().collect();
                    if let Ok(v) = serde_json::from_str::<Value>(&text) {
                        json_ld(&v, c, 0);
                    }
                }
                return false;
            }
            "meta" => {
                meta(|name| el.attr(name), c);
                return false;
            }
            "title" => {
                if c.title_el.is_none() {
                    let text: String = element.text().collect();
                    c.title_el = collapse(&text);
                }
                return false;
            }
            "h1" => {
                let slot = if self.chrome == 0 || self.article > 0 { &mut c.h1_main } else { &mut c.h1_any };
                if slot.is_none() && self.blank_h1.is_none() {
                    let text: String = element.text().collect();
                    *slot = collapse(&text);
                    if slot.is_none() {
                        self.blank_h1 = Some(element.id());
                    }
                }
            }
            "time" if c.time.is_none() => {
                c.time = el.attr("datetime").and_then(date::parse_value);
            }
            "br" => {
                self.writer.flush();
                return false;
            }
            _ => {}
        }
        self.open(name);
        true
    }

    /// Enters an element whose children are walked: ends the line before a
    /// block, counts the depth in suppressed, chrome and article elements.
    fn open(&mut self, name: &str) {
        if matches!(name, "td" | "th") {
            self.writer.space = true;
        }
        if is_block(name) {
            self.writer.flush();
            if name == "li" {
                self.writer.bullet = true;
            }
        }
        if is_suppressed(name) {
            self.suppressed += 1;
            if is_chrome(name) && self.article == 0 {
                self.chrome += 1;
            }
        }
        if matches!(name, "article" | "main") {
            self.article += 1;
        }
    }

    /// Leaves an element whose children are done: undoes what
    /// [`Walk::enter`] counted, ends the line of a block.
    fn leave(&mut self, name: &str) {
        if is_block(name) {
            self.writer.flush();
            if name == "li" {
                self.writer.bullet = false;
            }
        }
        if is_suppressed(name) {
            self.suppressed -= 1;
            if is_chrome(name) && self.chrome > 0 {
                self.chrome -= 1;
            }
        }
        if matches!(name, "article" | "main") {
            self.article -= 1;
        }
    }
}

/// Reads a `<meta>` element, given its attributes by name: the first of
/// each headline, outlet and date tag is kept.
fn meta<'a>(attr: impl Fn(&str) -> Option<&'a str>, c: &mut Collected) {
    let Some(key) = attr("property").or_else(|| attr("name")).or_else(|| attr("itemprop")) else {
        return;
    };
    let content = attr("content");
    match key.to_ascii_lowercase().as_str() {
        "og:title" => set_once(&mut c.og_title, content),
        "twitter:title" => set_once(&mut c.tw_title, content),
        "og:site_name" => set_once(&mut c.og_site, content),
        "application-name" => set_once(&mut c.app_name, content),
        "article:published_time" if c.pub_primary.is_none() => {
            c.pub_primary = content.and_then(date::parse_value);
        }
        "og:published_time" | "datepublished" | "article.published" | "pubdate" | "publishdate" | "publish-date"
        | "publish_date" | "dc.date" | "dc.date.issued" | "dcterms.date" | "sailthru.date" | "parsely-pub-date"
        | "date"
            if c.pub_other.is_none() =>
        {
            c.pub_other = content.and_then(date::parse_value);
        }
        _ => {}
    }
}

fn json_ld(v: &Value, c: &mut Collected, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Object(map) => {
            if c.ld_date.is_none() {
                c.ld_date = map.get("datePublished").and_then(Value::as_str).and_then(date::parse_value);
            }
            if c.ld_headline.is_none() {
                c.ld_headline = map.get("headline").and_then(Value::as_str).and_then(collapse);
            }
            if c.ld_publisher.is_none() {
                c.ld_publisher =
                    map.get("publisher").and_then(|p| p.get("name")).and_then(Value::as_str).and_then(collapse);
            }
            for (k, child) in map {
                if matches!(child, Value::Object(_) | Value::Array(_)) && k != "publisher" {
                    json_ld(child, c, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                json_ld(item, c, depth + 1);
            }
        }
        _ => {}
    }
}

/// Splits "Headline - Site" / "Headline | Site" at the last separator.
pub(crate) fn split_title_suffix(title: &str) -> Option<(&str, &str)> {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some(pos) = title.rfind(sep) {
            let head = title[..pos].trim();
            let tail = title[pos + sep.len()..].trim();
            if !head.is_empty() && !tail.is_empty() && tail.split_whitespace().count() <= 5 {
                return Some((head, tail));
            }
        }
    }
    None
}

/// Removes a trailing " - Site" from a headline when Site is the outlet.
fn strip_site(title: String, site: Option<&str>) -> String {
    if let (Some((head, tail)), Some(site)) = (split_title_suffix(&title), site) {
        if tail.eq_ignore_ascii_case(site) {
            return head.to_string();
        }
    }
    title
}

fn finish(c: Collected) -> HtmlMeta {
    let title_split = c.title_el.as_deref().and_then(split_title_suffix);
    let named_site = c.og_site.clone().or(c.ld_publisher.clone()).or(c.app_name.clone());
    let mut title = c.og_title.or(c.tw_title).or(c.h1_main).or(c.ld_headline);
    let site = named_site.clone().or_else(|| {
        let (head, tail) = title_split?;
        // The suffix is the outlet when the head is the headline found
        // elsewhere, or when the page has no other headline and the
        // separator is the usual " | ".
        let head_matches = title.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(head));
        let pipe = c.title_el.as_deref().is_some_and(|t| t.contains(" | "));
        (head_matches || (title.is_none() && pipe)).then(|| tail.to_string())
    });
    if title.is_none() {
        title = match (title_split, &c.title_el) {
            (Some((head, _)), _) if site.is_some() => Some(head.to_string()),
            (_, Some(t)) => Some(t.clone()),
            _ => None,
        }
        .or(c.h1_any);
    }
    let title = title.map(|t| strip_site(t, site.as_deref()));
    let date = c.pub_primary.or(c.pub_other).or(c.ld_date).or(c.time);
    HtmlMeta { title, site, date }
}

#[cfg(test)]
mod tests;

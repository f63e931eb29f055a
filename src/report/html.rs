//! One self-contained HTML page to browse stories (`--format html`).
//!
//! Owns [`write_html`] (and `write_stored_html`, the same page for
//! stories read from a store, whose rows also show when the store first
//! and last saw each story: `assets/report_store.js`, with their times in
//! one more JSON element) and [`escape_html`]. When the run has storylines,
//! a panel above the list shows each storyline of two or more stories with
//! a timeline and its stories in time order, and each story's row names its
//! storyline (`assets/report_storylines.js` and `.css`, with one more JSON
//! element). The page has no external asset:
//! its CSS and JavaScript (`assets/report.css`, `assets/report.js`) are
//! inlined, and so is the data, as JSON in `<script type="application/json">`
//! elements: one index of all stories (id, size, sources, dates, headlines),
//! read when the page loads to list and filter the stories, and one element
//! per story with its articles, read only when the story is opened. The DOM
//! therefore holds one list row per story (at most a few hundred at a time)
//! until a story is opened, and the page stays usable with thousands of
//! stories.
//!
//! What is shared and what is unique comes from the report's
//! [`StoryDiff`]s; this module only finds those sentences in each article's
//! body, so that the page shows every article's text in order with each
//! sentence marked, and marks the article's unique facts inside it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

use serde::Serialize;

use super::show::{dup_id, group_of, spellings, FACT_KINDS};
use super::summary::StorySummary;
use super::{Report, StoredView};
use crate::article::{Article, Date};
use crate::cluster::Story;
use crate::diff::{ArticleDiff, FactKind, StoryDiff};

const CSS: &str = include_str!("assets/report.css");
const JS: &str = include_str!("assets/report.js");
/// The script a page of stored stories adds: each story's first and last
/// time seen by the store, in its row.
const STORE_JS: &str = include_str!("assets/report_store.js");
/// The storylines: listed above the stories with a timeline each, and
/// named in each story's row.
const STORYLINES_JS: &str = include_str!("assets/report_storylines.js");
const STORYLINES_CSS: &str = include_str!("assets/report_storylines.css");

/// Escapes text for HTML element content and quoted attribute values:
/// `&`, `<`, `>`, `"` and `'`.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` (which
/// JSON only has inside strings) become `\u` escapes, so no `</script>` or
/// `<!--` can end the element early.
fn script_json<T: Serialize>(value: &T) -> io::Result<String> {
    let json = serde_json::to_string(value).map_err(io::Error::other)?;
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// A story in the list (the index read when the page loads).
#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    /// Articles.
    n: usize,
    /// Distinct outlets.
    src: Vec<String>,
    /// Ids of the articles without an outlet.
    nosrc: Vec<&'a str>,
    /// Date range.
    d: String,
    /// Lead headline.
    h: String,
    /// The other members' distinct headlines (searched, not shown).
    t: Vec<&'a str>,
    /// Near-duplicate groups.
    dups: usize,
}

/// The spellings of one name: (spelling, [article ids]).
type Spellings<'a> = Vec<(&'a str, Vec<&'a str>)>;

/// A story's articles, read when the story is opened.
#[derive(Serialize)]
struct StoryData<'a> {
    id: &'a str,
    /// Whether differences were computed.
    compared: bool,
    /// Article ids of each shared point (segments refer to points by index).
    points: Vec<Vec<&'a str>>,
    articles: Vec<ArticleData<'a>>,
    /// Name spellings: (canonical, [(spelling, [article ids])]).
    names: Vec<(&'a str, Spellings<'a>)>,
    copies: Vec<CopyData<'a>>,
}

#[derive(Serialize)]
struct ArticleData<'a> {
    id: &'a str,
    src: &'a str,
    date: String,
    title: &'a str,
    url: &'a str,
    /// Near-duplicate group id, "" when none.
    dup: &'a str,
    /// Unique facts: (kind, text).
    facts: Vec<(&'static str, &'a str)>,
    /// Shared points most others report and this article leaves out.
    omitted: Vec<&'a str>,
    /// Unique sentences.
    nu: usize,
    /// Paragraphs of segments.
    paras: Vec<Vec<Segment>>,
}

#[derive(Serialize)]
struct CopyData<'a> {
    group: &'a str,
    original: &'a str,
    copy: &'a str,
    added: &'a [String],
    removed: &'a [String],
    changed: &'a [(String, String)],
}

/// A run of text: class ("u" unique, "s" shared, "" neither), the shared
/// point index (-1 when none) and its parts.
#[derive(Serialize)]
struct Segment(&'static str, i64, Vec<Part>);

/// Plain text, or a unique fact: (kind, text).
#[derive(Serialize)]
#[serde(untagged)]
enum Part {
    Text(String),
    Fact(&'static str, String),
}

fn kind_name(kind: FactKind) -> &'static str {
    FACT_KINDS.iter().find(|(k, _, _)| *k == kind).map(|(_, name, _)| *name).unwrap_or("name")
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Splits `text` into plain parts and occurrences of `facts` (whole words,
/// longest first, not overlapping).
fn mark_facts(text: &str, facts: &[(&'static str, &str)]) -> Vec<Part> {
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    for &(kind, fact) in facts {
        if fact.is_empty() {
            continue;
        }
        for (start, m) in text.match_indices(fact) {
            let end = start + m.len();
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            // A fact that starts (ends) with a letter must not continue a
            // word before (after) it: "Tripoli" is not in "Tripolitania".
            let starts_clean = !is_word_char(before) || !is_word_char(fact.chars().next());
            let ends_clean = !is_word_char(after) || !is_word_char(fact.chars().next_back());
            let bounded = starts_clean && ends_clean;
            if bounded && !found.iter().any(|&(s, e, _)| start < e && s < end) {
                found.push((start, end, kind));
            }
        }
    }
    found.sort_unstable();
    let mut parts = Vec::with_capacity(2 * found.len() + 1);
    let mut at = 0;
    for (start, end, kind) in found {
        if start > at {
            parts.push(Part::Text(text[at..start].to_owned()));
        }
        parts.push(Part::Fact(kind, text[start..end].to_owned()));
        at = end;
    }
    if at < text.len() || parts.is_empty() {
        parts.push(Part::Text(text[at..].to_owned()));
    }
    parts
}

/// The article's paragraphs cut into segments: each marked sentence at its
/// first free occurrence, the text between unmarked; unique facts marked
/// inside every segment.
fn segments(body: &str, marked: &[(&str, &'static str, i64)], facts: &[(&'static str, &str)]) -> Vec<Vec<Segment>> {
    let paras: Vec<String> = body.split("\n\n").map(collapse_ws).filter(|p| !p.is_empty()).collect();
    let mut claimed: Vec<Vec<(usize, usize, &'static str, i64)>> = vec![Vec::new(); paras.len()];
    for &(sentence, class, point) in marked {
        let sentence = sentence.trim();
        if sentence.is_empty() {
            continue;
        }
        'search: for (p, para) in paras.iter().enumerate() {
            for (start, m) in para.match_indices(sentence) {
                let end = start + m.len();
                if !claimed[p].iter().any(|&(s, e, _, _)| start < e && s < end) {
                    claimed[p].push((start, end, class, point));
                    break 'search;
                }
            }
        }
    }
    paras
        .iter()
        .zip(claimed)
        .map(|(para, mut marks)| {
            marks.sort_unstable_by_key(|m| m.0);
            let mut out = Vec::with_capacity(2 * marks.len() + 1);
            let mut at = 0;
            for (start, end, class, point) in marks {
                if start > at {
                    out.push(Segment("", -1, mark_facts(&para[at..start], facts)));
                }
                out.push(Segment(class, point, mark_facts(&para[start..end], facts)));
                at = end;
            }
            if at < para.len() {
                out.push(Segment("", -1, mark_facts(&para[at..], facts)));
            }
            out
        })
        .collect()
}

fn entry<'a>(articles: &'a [Article], story: &'a Story) -> Entry<'a> {
    let summary = StorySummary::of(articles, story);
    let members = story.members.iter().map(|&m| &articles[m]);
    let mut titles: BTreeSet<&str> = members.clone().map(|a| a.title.as_str()).filter(|t| !t.is_empty()).collect();
    titles.remove(summary.headline.as_str());
    Entry {
        id: &story.id,
        n: story.members.len(),
        nosrc: members.filter(|a| a.source.is_empty()).map(|a| a.id.as_str()).collect(),
        src: summary.source_names().into_iter().map(str::to_owned).collect(),
        d: summary.date_range(),
        h: summary.headline,
        t: titles.into_iter().collect(),
        dups: story.dup_groups.len(),
    }
}

fn story_data<'a>(articles: &'a [Article], story: &'a Story, diff: Option<&'a StoryDiff>) -> StoryData<'a> {
    let points: Vec<Vec<&str>> = diff
        .map(|d| d.shared.iter().map(|p| p.sources.iter().map(|s| s.id.as_str()).collect()).collect())
        .unwrap_or_default();
    // Each article's shared sentences and its entry in the diff, by id,
    // in one pass (large stories have thousands of points).
    let mut shared_of: HashMap<&str, Vec<(&str, &'static str, i64)>> = HashMap::new();
    let mut diff_of: HashMap<&str, &ArticleDiff> = HashMap::new();
    if let Some(d) = diff {
        for (p, point) in d.shared.iter().enumerate() {
            for s in &point.sources {
                shared_of.entry(s.id.as_str()).or_default().push((&s.sentence, "s", p as i64));
            }
        }
        diff_of.extend(d.per_article.iter().map(|ad| (ad.id.as_str(), ad)));
    }
    let data = story
        .members
        .iter()
        .map(|&m| {
            let a = &articles[m];
            let ad = diff_of.get(a.id.as_str()).copied();
            let mut marked = shared_of.remove(a.id.as_str()).unwrap_or_default();
            if let Some(ad) = ad {
                marked.extend(ad.unique_sentences.iter().map(|s| (s.as_str(), "u", -1)));
            }
            let mut facts: Vec<(&'static str, &str)> = ad
                .map(|ad| ad.unique_facts.iter().map(|f| (kind_name(f.kind), f.text.as_str())).collect())
                .unwrap_or_default();
            let paras = {
                let mut by_length = facts.clone();
                by_length.sort_by_key(|(_, t)| std::cmp::Reverse(t.len()));
                segments(&a.body, &marked, &by_length)
            };
            // Chips: one per distinct text, in article order, grouped by kind.
            let mut seen = BTreeSet::new();
            facts.retain(|f| seen.insert(*f));
            facts.sort_by_key(|(kind, _)| FACT_KINDS.iter().position(|(_, name, _)| name == kind));
            ArticleData {
                id: &a.id,
                src: &a.source,
                date: a.published.map(|d| d.to_string()).unwrap_or_default(),
                title: &a.title,
                url: &a.url,
                dup: dup_id(story, m),
                facts,
                omitted: ad.map(|ad| ad.omitted.iter().map(String::as_str).collect()).unwrap_or_default(),
                nu: ad.map_or(0, |ad| ad.unique_sentences.len()),
                paras,
            }
        })
        .collect();
    StoryData {
        id: &story.id,
        compared: diff.is_some(),
        points,
        articles: data,
        names: diff
            .map(|d| d.entities.iter().map(|e| (e.canonical.as_str(), spellings(e))).collect())
            .unwrap_or_default(),
        copies: diff
            .map(|d| {
                d.copies
                    .iter()
                    .map(|c| CopyData {
                        group: group_of(story, articles, c),
                        original: &c.original,
                        copy: &c.copy,
                        added: &c.added,
                        removed: &c.removed,
                        changed: &c.changed,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Writes the whole report as one HTML page: a summary header, a search box
/// that filters stories by headline, outlet and article id as you type, and
/// the stories, largest first; opening one (by a click, or by its id in the
/// URL fragment, `report.html#s1`) shows its articles side by side with
/// every sentence marked as shared with another article or unique to this
/// one, unique facts highlighted, copies badged with their group and name
/// spellings listed.
pub fn write_html(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    write_page(report, None, out)
}

/// [`write_html`] for stories read from a store, each row also showing
/// when the store first and last saw the story (`stored`, in story order).
pub(super) fn write_stored_html(report: &Report<'_>, stored: &[StoredView], out: &mut dyn Write) -> io::Result<()> {
    write_page(report, Some(stored), out)
}

fn write_page(report: &Report<'_>, stored: Option<&[StoredView]>, out: &mut dyn Write) -> io::Result<()> {
    let articles = report.articles;
    let stories = &report.clustering.stories;
    let sources: BTreeSet<&str> = articles.iter().map(|a| a.source.as_str()).filter(|s| !s.is_empty()).collect();
    let multi = stories.iter().filter(|s| s.members.len() >= 2).count();
    let compared = report.differences.is_some();
    let title = format!("storyclust: {} stories from {} articles", stories.len(), articles.len());

    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")?;
    writeln!(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")?;
    writeln!(out, "<title>{}</title>", escape_html(&title))?;
    writeln!(out, "<style>\n{CSS}</style>\n</head>\n<body>")?;
    writeln!(out, "<header class=\"top\"><div class=\"wrap\">")?;
    writeln!(out, "<h1>Stories</h1>")?;
    writeln!(out, "<p class=\"totals\" id=\"totals\">")?;
    let stat = |n: usize, one: &str, many: &str| {
        format!("<span class=\"stat\"><b>{n}</b> {}</span>", if n == 1 { one } else { many })
    };
    writeln!(
        out,
        "{}{}{}{}",
        stat(articles.len(), "article", "articles"),
        stat(stories.len(), "story", "stories"),
        stat(multi, "with two or more articles", "with two or more articles"),
        stat(sources.len(), "source", "sources"),
    )?;
    writeln!(out, "</p>")?;
    writeln!(
        out,
        "<div class=\"controls\"><input id=\"q\" type=\"search\" placeholder=\"Filter by headline, source or article id\" \
         aria-label=\"Filter stories\" autocomplete=\"off\">\
         <label class=\"multi\"><input id=\"multi\" type=\"checkbox\"> only stories with two or more articles</label>\
         <span id=\"count\" class=\"count\" aria-live=\"polite\"></span></div>"
    )?;
    if compared {
        writeln!(
            out,
            "<p class=\"legend\"><span class=\"key\"><span class=\"sent unique\">unique sentence</span> said by this article only</span>\
             <span class=\"key\"><span class=\"sent shared\">shared sentence</span> also said by another article</span>\
             <span class=\"key facts-key\">facts no other article has:{}</span></p>",
            FACT_KINDS
                .iter()
                .map(|(_, name, _)| format!(" <span class=\"fact fact-{name}\">{name}</span>"))
                .collect::<String>()
        )?;
    } else {
        writeln!(
            out,
            "<p class=\"legend\">Differences between articles were not computed (<code>--no-differences</code>).</p>"
        )?;
    }
    writeln!(out, "</div></header>")?;
    writeln!(
        out,
        "<main id=\"main\" tabindex=\"-1\"><div class=\"wrap\">\n<ol id=\"stories\" class=\"stories\"></ol>"
    )?;
    writeln!(
        out,
        "<p id=\"more\" class=\"more\" hidden><button type=\"button\" id=\"more-button\">Show more</button></p>"
    )?;
    writeln!(
        out,
        "<noscript><p>This report needs JavaScript to list the stories; the data is in the page source.</p></noscript>\n</div></main>"
    )?;

    let index: Vec<Entry<'_>> = stories.iter().map(|s| entry(articles, s)).collect();
    writeln!(out, "<script type=\"application/json\" id=\"index\">{}</script>", script_json(&index)?)?;
    for (rank, story) in stories.iter().enumerate() {
        let diff = report.differences.and_then(|d| d.get(rank)).and_then(Option::as_ref);
        writeln!(
            out,
            "<script type=\"application/json\" id=\"data-{}\">{}</script>",
            escape_html(&story.id),
            script_json(&story_data(articles, story, diff))?
        )?;
    }
    writeln!(out, "<script>\n{JS}</script>")?;
    write_storylines(report, &index, out)?;
    if let Some(stored) = stored {
        // Story id to [first seen, last seen], read by the store's script.
        let seen: BTreeMap<&str, [&str; 2]> = stories
            .iter()
            .zip(stored)
            .map(|(story, view)| (story.id.as_str(), [view.first_seen.as_str(), view.last_seen.as_str()]))
            .collect();
        writeln!(out, "<script type=\"application/json\" id=\"seen\">{}</script>", script_json(&seen)?)?;
        writeln!(out, "<script>\n{STORE_JS}</script>")?;
    }
    writeln!(out, "</body>\n</html>")
}

/// The storylines' JSON element, style and script, when there are
/// storylines: each with its id, articles, date range and stories in time
/// order (id, first date, last date, headline; `index` holds the stories'
/// entries).
fn write_storylines(report: &Report<'_>, index: &[Entry<'_>], out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct LineData<'a> {
        id: &'a str,
        n: usize,
        d: String,
        s: Vec<[String; 4]>,
    }
    let clustering = report.clustering;
    if clustering.storylines.is_empty() {
        return Ok(());
    }
    let summaries = report.summaries();
    let lines: Vec<LineData<'_>> = report
        .storyline_views(&summaries)
        .into_iter()
        .zip(&clustering.storylines)
        .map(|(view, line)| LineData {
            id: view.id,
            n: view.size,
            d: match (view.first_published, view.last_published) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (Some(a), Some(b)) => format!("{a} to {b}"),
                _ => String::new(),
            },
            s: line
                .stories
                .iter()
                .map(|&k| {
                    let (first, last) = summaries[k].dates().unzip();
                    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
                    [clustering.stories[k].id.clone(), date(first), date(last), index[k].h.clone()]
                })
                .collect(),
        })
        .collect();
    writeln!(out, "<style>\n{STORYLINES_CSS}</style>")?;
    writeln!(out, "<script type=\"application/json\" id=\"storylines\">{}</script>", script_json(&lines)?)?;
    writeln!(out, "<script>\n{STORYLINES_JS}</script>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_html_escapes_markup_and_quotes() {
        assert_eq!(escape_html("a < b && c > \"d\" 'e'"), "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
        assert_eq!(escape_html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escape_html("Chargé d’Affaires"), "Chargé d’Affaires");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let json = script_json(&vec!["</script><!-- & >"]).unwrap();
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'), "{json}");
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec!["</script><!-- & >"]);
    }

    #[test]
    fn facts_are_marked_as_whole_words() {
        let parts =
            mark_facts("In 2011 and 20110, Tripoli met Tripolitania.", &[("number", "2011"), ("place", "Tripoli")]);
        let facts: Vec<&str> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Fact(_, t) => Some(t.as_str()),
                Part::Text(_) => None,
            })
            .collect();
        assert_eq!(facts, vec!["2011", "Tripoli"]);
        let text: String = parts
            .iter()
            .map(|p| match p {
                Part::Fact(_, t) | Part::Text(t) => t.as_str(),
            })
            .collect();
        assert_eq!(text, "In 2011 and 20110, Tripoli met Tripolitania.");
    }

    #[test]
    fn sentences_are_found_in_order_across_paragraphs() {
        let body = "First one here.  Second\none here. Short.\n\nThird one here.";
        let marked = [("Third one here.", "u", -1), ("Second one here.", "s", 0), ("First one here.", "u", -1)];
        let paras = segments(body, &marked, &[]);
        let classes: Vec<Vec<&str>> = paras.iter().map(|p| p.iter().map(|s| s.0).collect()).collect();
        assert_eq!(classes, vec![vec!["u", "", "s", ""], vec!["u"]]);
        assert_eq!(paras[0][2].1, 0);
    }
}

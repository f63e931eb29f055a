//! Rendering results: terminal table, JSON, JSON Lines, CSV and HTML.
//!
//! Owns the output formats of `storyclust cluster`: [`Format`], [`write()`]
//! and the serialisable views ([`StoryView`], [`StorylineView`],
//! [`MembershipRow`]) that name
//! articles by id instead of by index; [`write_stored`] (the same formats
//! for `storyclust stories`, with what the store knows of each story,
//! [`StoredView`]); [`write_html`] (the browsable page,
//! in `html`), [`write_show`] (one story in a terminal, in `show`) and
//! [`write_dedup`] (the `dedup` command's rows, in `dedup`). It
//! must not compute anything about stories: it only lays out what `cluster`
//! and `diff` produced. It writes to the writer it is given and never prints
//! by itself.

use std::io::{self, Write};

use serde::Serialize;

use crate::article::{Article, Date};
use crate::cluster::{Clustering, Link, Story, Storyline};
use crate::diff::StoryDiff;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Human-readable stories for a terminal.
    Table,
    /// The full structure, with link scores and differences.
    Json,
    /// One membership record per line.
    Jsonl,
    /// One membership row per article.
    Csv,
    /// One self-contained HTML page to browse the stories.
    Html,
    /// One membership row per article in a Parquet file: the CSV columns,
    /// typed (`columnar::membership_batch`).
    #[cfg(feature = "parquet")]
    Parquet,
}

/// An article as shown in a story.
#[derive(Clone, Debug, Serialize)]
pub struct MemberView<'a> {
    /// The article id.
    pub id: &'a str,
    /// The outlet, empty when unknown.
    pub source: &'a str,
    /// The headline, empty when unknown.
    pub title: &'a str,
    /// The publication date, when known.
    pub published: Option<Date>,
    /// The URL, empty when unknown.
    pub url: &'a str,
    /// The near-duplicate group id, empty when the article has no copies.
    pub duplicate_group: &'a str,
}

/// A link between two articles, by id.
#[derive(Clone, Debug, Serialize)]
pub struct LinkView<'a> {
    /// One article id.
    pub a: &'a str,
    /// The other article id.
    pub b: &'a str,
    /// The similarity.
    pub score: f32,
}

/// A near-duplicate group, by id.
#[derive(Clone, Debug, Serialize)]
pub struct DupGroupView<'a> {
    /// The group id.
    pub id: &'a str,
    /// Member article ids.
    pub members: Vec<&'a str>,
    /// Estimated resemblance of the linked copies.
    pub links: Vec<LinkView<'a>>,
}

/// A story, by id, as serialised in JSON.
#[derive(Clone, Debug, Serialize)]
pub struct StoryView<'a> {
    /// The story id.
    pub id: &'a str,
    /// Its storyline's id (when storylines were computed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storyline: Option<&'a str>,
    /// The number of articles.
    pub size: usize,
    /// The canonical headline, dates, sources, timeline and duplicate groups.
    pub summary: SummaryView<'a>,
    /// What a story store knows of it beyond its articles (stored stories
    /// only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<&'a StoredView>,
    /// The articles.
    pub members: Vec<MemberView<'a>>,
    /// Near-duplicate groups inside the story.
    pub duplicate_groups: Vec<DupGroupView<'a>>,
    /// Story-similarity links between members.
    pub links: Vec<LinkView<'a>>,
    /// What is shared and what each source alone says (stories of two or
    /// more articles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differences: Option<&'a StoryDiff>,
}

/// A storyline, by id, as serialised in JSON.
#[derive(Clone, Debug, Serialize)]
pub struct StorylineView<'a> {
    /// The storyline id.
    pub id: &'a str,
    /// The number of articles of its stories.
    pub size: usize,
    /// Its story ids, in time order.
    pub stories: Vec<&'a str>,
    /// The earliest known publication date of its articles.
    pub first_published: Option<Date>,
    /// The latest known publication date of its articles.
    pub last_published: Option<Date>,
}

/// One row of the membership formats (CSV, JSON Lines).
#[derive(Clone, Debug, Serialize)]
pub struct MembershipRow<'a> {
    /// The article id.
    pub id: &'a str,
    /// The story id.
    pub story: &'a str,
    /// The story's storyline id (when storylines were computed, or kept by
    /// a story store).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storyline: Option<&'a str>,
    /// The near-duplicate group id, empty when none.
    pub duplicate_group: &'a str,
    /// The outlet.
    pub source: &'a str,
    /// The headline.
    pub title: &'a str,
    /// The publication date, empty when unknown.
    pub published: String,
    /// The story's canonical headline.
    pub story_headline: &'a str,
    /// The story's number of articles.
    pub story_articles: usize,
    /// The story's number of distinct outlets.
    pub story_sources: usize,
    /// The story's earliest known publication date, empty when none is known.
    pub story_first_published: String,
    /// The story's latest known publication date, empty when none is known.
    pub story_last_published: String,
    /// When a store first saw the story (stored stories only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story_first_seen: Option<&'a str>,
    /// When a store last saw it change (stored stories only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story_last_seen: Option<&'a str>,
}

/// What a story store knows of a story beyond its articles: when it was
/// first seen and last changed by an `add` (RFC 3339 times), and the ids of
/// the stories merged into it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StoredView {
    /// When the `add` that made the story ran.
    pub first_seen: String,
    /// When the last `add` that changed it ran.
    pub last_seen: String,
    /// The ids of the stories merged into it, oldest first.
    pub merged: Vec<String>,
}

fn date_or_empty(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// Everything a report needs.
pub struct Report<'a> {
    /// Articles, indexed by story members.
    pub articles: &'a [Article],
    /// The stories.
    pub clustering: &'a Clustering,
    /// Differences per story (same order as `clustering.stories`), when
    /// computed.
    pub differences: Option<&'a [Option<StoryDiff>]>,
}

impl<'a> Report<'a> {
    /// The duplicate group id of every article ("" when none).
    fn dup_ids(&self) -> Vec<&'a str> {
        let mut ids = vec![""; self.articles.len()];
        for story in &self.clustering.stories {
            for group in &story.dup_groups {
                for &m in &group.members {
                    ids[m] = group.id.as_str();
                }
            }
        }
        ids
    }

    fn links(&self, links: &'a [Link]) -> Vec<LinkView<'a>> {
        links
            .iter()
            .map(|l| LinkView { a: &self.articles[l.a].id, b: &self.articles[l.b].id, score: round3(l.score) })
            .collect()
    }

    /// Every story's summary, in story order.
    pub fn summaries(&self) -> Vec<StorySummary> {
        self.clustering.stories.iter().map(|story| StorySummary::of(self.articles, story)).collect()
    }

    /// The stories as serialisable views, with their `summaries` (as
    /// [`Report::summaries`] gives them).
    pub fn story_views(&self, summaries: &'a [StorySummary]) -> Vec<StoryView<'a>> {
        let dup_ids = self.dup_ids();
        let storyline_of = self.clustering.storyline_of_stories();
        self.clustering
            .stories
            .iter()
            .zip(summaries)
            .enumerate()
            .map(|(rank, (story, summary))| StoryView {
                id: &story.id,
                storyline: storyline_of[rank].map(|l| self.clustering.storylines[l].id.as_str()),
                size: story.members.len(),
                summary: summary.view(self.articles),
                store: None,
                members: story.members.iter().map(|&m| self.member(m, dup_ids[m])).collect(),
                duplicate_groups: story
                    .dup_groups
                    .iter()
                    .map(|g| DupGroupView {
                        id: &g.id,
                        members: g.members.iter().map(|&m| self.articles[m].id.as_str()).collect(),
                        links: self.links(&g.links),
                    })
                    .collect(),
                links: self.links(&story.links),
                differences: self.differences.and_then(|d| d.get(rank)).and_then(Option::as_ref),
            })
            .collect()
    }

    /// The storylines as serialisable views, with their stories'
    /// `summaries` (as [`Report::summaries`] gives them) for their dates.
    pub fn storyline_views(&self, summaries: &[StorySummary]) -> Vec<StorylineView<'a>> {
        let stories = &self.clustering.stories;
        self.clustering
            .storylines
            .iter()
            .map(|line| {
                let dates = line.stories.iter().filter_map(|&k| summaries[k].dates());
                let (first, last) = dates.fold((None, None), |(lo, hi): (Option<Date>, Option<Date>), (a, b)| {
                    (Some(lo.map_or(a, |lo| lo.min(a))), Some(hi.map_or(b, |hi| hi.max(b))))
                });
                StorylineView {
                    id: &line.id,
                    size: line.stories.iter().map(|&k| stories[k].members.len()).sum(),
                    stories: line.stories.iter().map(|&k| stories[k].id.as_str()).collect(),
                    first_published: first,
                    last_published: last,
                }
            })
            .collect()
    }

    fn member(&self, index: usize, dup_id: &'a str) -> MemberView<'a> {
        let a = &self.articles[index];
        MemberView {
            id: &a.id,
            source: &a.source,
            title: &a.title,
            published: a.published,
            url: &a.url,
            duplicate_group: dup_id,
        }
    }

    /// One membership row per article, in story order, each with its
    /// story's summary (of `summaries`, as [`Report::summaries`] gives them).
    pub fn membership<'s>(&self, summaries: &'s [StorySummary]) -> Vec<MembershipRow<'s>>
    where
        'a: 's,
    {
        let dup_ids = self.dup_ids();
        let storyline_of = self.clustering.storyline_of_stories();
        let mut rows = Vec::with_capacity(self.articles.len());
        for ((story, summary), storyline) in self.clustering.stories.iter().zip(summaries).zip(storyline_of) {
            let (first, last) = summary.dates().unzip();
            let storyline = storyline.map(|l| self.clustering.storylines[l].id.as_str());
            for &m in &story.members {
                let a = &self.articles[m];
                rows.push(MembershipRow {
                    id: &a.id,
                    story: &story.id,
                    storyline,
                    duplicate_group: dup_ids[m],
                    source: &a.source,
                    title: &a.title,
                    published: date_or_empty(a.published),
                    story_headline: &summary.headline,
                    story_articles: story.members.len(),
                    story_sources: summary.sources.len(),
                    story_first_published: date_or_empty(first),
                    story_last_published: date_or_empty(last),
                    story_first_seen: None,
                    story_last_seen: None,
                });
            }
        }
        rows
    }
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Writes the report in `format`.
pub fn write(report: &Report<'_>, format: Format, out: &mut dyn Write) -> io::Result<()> {
    write_with(report, None, format, out)
}

/// Writes stored stories in `format`, as [`write()`] does, with what the
/// store knows of each (`stored`, in story order): a `store` object per
/// story in JSON, `story_first_seen` and `story_last_seen` columns in the
/// membership formats, a line per story of two or more articles in the
/// table, the times in each story's row of the HTML page.
pub fn write_stored(report: &Report<'_>, stored: &[StoredView], format: Format, out: &mut dyn Write) -> io::Result<()> {
    write_with(report, Some(stored), format, out)
}

fn write_with(
    report: &Report<'_>,
    stored: Option<&[StoredView]>,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        // For a terminal: control characters in titles and ids are shown,
        // not acted on.
        Format::Table => write_table(report, stored, &mut ControlEscaper::new(out)),
        Format::Json => {
            #[derive(Serialize)]
            struct Document<'a> {
                articles: usize,
                stories: Vec<StoryView<'a>>,
                #[serde(skip_serializing_if = "Vec::is_empty")]
                storylines: Vec<StorylineView<'a>>,
            }
            let summaries = report.summaries();
            let mut stories = report.story_views(&summaries);
            if let Some(stored) = stored {
                stories.iter_mut().zip(stored).for_each(|(view, stored)| view.store = Some(stored));
            }
            let storylines = report.storyline_views(&summaries);
            let doc = Document { articles: report.articles.len(), stories, storylines };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        }
        Format::Jsonl => {
            let summaries = report.summaries();
            for row in membership_with(report, &summaries, stored) {
                serde_json::to_writer(&mut *out, &row)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            let summaries = report.summaries();
            for row in membership_with(report, &summaries, stored) {
                writer.serialize(row).map_err(csv_error)?;
            }
            writer.flush()
        }
        Format::Html => match stored {
            Some(stored) => html::write_stored_html(report, stored, out),
            None => write_html(report, out),
        },
        #[cfg(feature = "parquet")]
        Format::Parquet => {
            let summaries = report.summaries();
            crate::columnar::write_membership_parquet(&membership_with(report, &summaries, stored), out)
        }
    }
}

/// [`Report::membership`], each row with its story's `stored` times when
/// given: the rows of `storyclust stories --format csv`.
pub fn membership_with<'s>(
    report: &Report<'s>,
    summaries: &'s [StorySummary],
    stored: Option<&'s [StoredView]>,
) -> Vec<MembershipRow<'s>> {
    let mut rows = report.membership(summaries);
    if let Some(stored) = stored {
        let mut rows_of_story = rows.iter_mut();
        for (story, stored) in report.clustering.stories.iter().zip(stored) {
            for row in rows_of_story.by_ref().take(story.members.len()) {
                row.story_first_seen = Some(&stored.first_seen);
                row.story_last_seen = Some(&stored.last_seen);
            }
        }
    }
    rows
}

/// A CSV writer's error as the I/O error it wraps, when it wraps one (a
/// closed pipe must stay a closed pipe, which the command ends quietly
/// on), or as another I/O error.
pub(crate) fn csv_error(error: csv::Error) -> io::Error {
    if !error.is_io_error() {
        return io::Error::other(error);
    }
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        kind => io::Error::other(format!("{kind:?}")),
    }
}

/// Shortens `s` to at most `width` characters, ending with `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn pad(s: &str, width: usize) -> String {
    let s = truncate(s, width);
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width - n))
}

fn write_table(report: &Report<'_>, stored: Option<&[StoredView]>, out: &mut dyn Write) -> io::Result<()> {
    let dup_ids = report.dup_ids();
    let stories = &report.clustering.stories;
    let stored_of = |k: usize| stored.and_then(|s| s.get(k));
    let multi: Vec<(usize, &Story, Option<&StoredView>)> =
        stories.iter().enumerate().filter(|(_, s)| s.members.len() >= 2).map(|(k, s)| (k, s, stored_of(k))).collect();
    let singles: Vec<&Story> = stories.iter().filter(|s| s.members.len() < 2).collect();
    let storyline_of = report.clustering.storyline_of_stories();
    writeln!(
        out,
        "{} articles, {} stories ({} with two or more articles, {} single)",
        report.articles.len(),
        stories.len(),
        multi.len(),
        singles.len()
    )?;
    let id_width = report.articles.iter().map(|a| a.id.chars().count()).max().unwrap_or(2).clamp(2, 28);
    let source_width = report.articles.iter().map(|a| a.source.chars().count()).max().unwrap_or(6).clamp(6, 22);
    for &(k, story, stored) in &multi {
        let summary = StorySummary::of(report.articles, story);
        writeln!(out)?;
        writeln!(out, "Story {}: {}", story.id, truncate(&summary.headline, 100))?;
        writeln!(
            out,
            "  {}, {}, {}, {}",
            plural(story.members.len(), "article"),
            summary.source_count(),
            plural(story.dup_groups.len(), "duplicate group"),
            summary.date_range()
        )?;
        if summary.timeline.len() > 1 {
            let days: Vec<String> = summary.timeline.iter().map(|(date, n)| format!("{date} {n}")).collect();
            writeln!(out, "  per day: {}", days.join(", "))?;
        }
        if let Some(line) = storyline_of[k].map(|l| &report.clustering.storylines[l]) {
            write_storyline_line(line, stories, out)?;
        }
        if let Some(stored) = stored {
            write_stored_line(stored, out)?;
        }
        writeln!(
            out,
            "  {}  {}  {:<10}  {:<5}  headline",
            pad("id", id_width),
            pad("source", source_width),
            "date",
            "dup"
        )?;
        for &m in &story.members {
            let a = &report.articles[m];
            let date = a.published.map(|d| d.to_string()).unwrap_or_else(|| "-".to_owned());
            let dup = if dup_ids[m].is_empty() { "-" } else { dup_ids[m] };
            let headline = if a.title.is_empty() { first_words(&a.body, 10) } else { a.title.clone() };
            writeln!(
                out,
                "  {}  {}  {:<10}  {:<5}  {}",
                pad(&a.id, id_width),
                pad(if a.source.is_empty() { "-" } else { &a.source }, source_width),
                date,
                dup,
                truncate(&headline, 72)
            )?;
        }
    }
    if !singles.is_empty() {
        writeln!(out)?;
        writeln!(out, "Single-article stories:")?;
        for story in singles {
            let a = &report.articles[story.members[0]];
            let headline = if a.title.is_empty() { first_words(&a.body, 10) } else { a.title.clone() };
            writeln!(out, "  {:<5} {}  {}", story.id, pad(&a.id, id_width), truncate(&headline, 80))?;
        }
    }
    Ok(())
}

/// The storyline a story belongs to, with its stories in time order (the
/// first few).
fn write_storyline_line(line: &Storyline, stories: &[Story], out: &mut dyn Write) -> io::Result<()> {
    const SHOWN: usize = 8;
    let mut ids: Vec<&str> = line.stories.iter().take(SHOWN).map(|&k| stories[k].id.as_str()).collect();
    if line.stories.len() > SHOWN {
        ids.push("…");
    }
    let n = line.stories.len();
    writeln!(out, "  storyline {}: {n} stor{} ({})", line.id, if n == 1 { "y" } else { "ies" }, ids.join(", "))
}

/// A stored story's times, and the stories merged into it.
fn write_stored_line(stored: &StoredView, out: &mut dyn Write) -> io::Result<()> {
    write!(out, "  seen by the store: first {}, last {}", stored.first_seen, stored.last_seen)?;
    if !stored.merged.is_empty() {
        write!(out, "; merged into it: {}", stored.merged.join(", "))?;
    }
    writeln!(out)
}

/// `n` and a noun, in the plural unless `n` is one ("1 source", "2 sources").
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The first `n` words of a text, for articles without a headline.
pub fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().take(n + 1).collect();
    if words.len() > n {
        format!("{}…", words[..n].join(" "))
    } else {
        words.join(" ")
    }
}

mod added;
mod dedup;
mod evaluation;
mod html;
mod show;
mod summary;
mod terminal;

pub use added::write_added;
pub use dedup::{dedup_rows, write_dedup, DedupFormat, DedupRow};
pub use evaluation::{evaluate, write_evaluation, Evaluation, Level};
pub use html::{escape_html, write_html};
pub use show::write_show;
pub use summary::{DayCount, SourceCount, StorySummary, SummaryView};
pub use terminal::{escape_controls, ControlEscaper};

//! One story laid out for a terminal (`storyclust show`).
//!
//! Owns [`write_show`] and the helpers (article labels, fact kinds,
//! duplicate groups, spellings) that the HTML page shares. Like the rest
//! of `report`, it computes nothing about the story: the points, unique
//! sentences and facts, omissions, name variants and copy edits all come
//! from the [`StoryDiff`] in the report; this module only orders, groups and
//! wraps them.

use std::collections::HashMap;
use std::io::{self, Write};

use super::summary::{plural, StorySummary};
use super::{first_words, Report};
use crate::article::Article;
use crate::cluster::Story;
use crate::diff::{ArticleDiff, CopyEdits, EntityVariants, Fact, FactKind, StoryDiff};

/// The width text is wrapped to.
const WIDTH: usize = 88;

/// Fact kinds in the order they are listed, with their plural labels.
pub(super) const FACT_KINDS: [(FactKind, &str, &str); 6] = [
    (FactKind::Name, "name", "names"),
    (FactKind::Place, "place", "places"),
    (FactKind::Organisation, "organisation", "organisations"),
    (FactKind::Number, "number", "numbers"),
    (FactKind::Date, "date", "dates"),
    (FactKind::Quote, "quote", "quotes"),
];

/// How an article is named next to what it says: "LibyaReview (000_…)" or
/// "003_… (no source)".
fn label(article: &Article) -> String {
    if article.source.is_empty() {
        format!("{} (no source)", article.id)
    } else {
        format!("{} ({})", article.source, article.id)
    }
}

/// Writes `text` wrapped to [`WIDTH`], the first line after `first`, the
/// others after `rest` (both prefixes are assumed to be as wide).
fn wrap(out: &mut dyn Write, first: &str, rest: &str, text: &str) -> io::Result<()> {
    let width = WIDTH.saturating_sub(first.chars().count()).max(20);
    let mut line = String::new();
    let mut prefix = first;
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            writeln!(out, "{prefix}{line}")?;
            line.clear();
            prefix = rest;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    writeln!(out, "{prefix}{line}")
}

fn heading(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{text}")?;
    writeln!(out, "{}", "-".repeat(text.chars().count()))
}

/// Facts grouped by kind, in [`FACT_KINDS`] order: (plural label, texts).
pub(super) fn facts_by_kind(facts: &[Fact]) -> Vec<(FactKind, &'static str, Vec<&str>)> {
    FACT_KINDS
        .iter()
        .filter_map(|&(kind, _, label)| {
            let texts: Vec<&str> = facts.iter().filter(|f| f.kind == kind).map(|f| f.text.as_str()).collect();
            (!texts.is_empty()).then_some((kind, label, texts))
        })
        .collect()
}

/// "Dbeibah / Dbaiba": the distinct spellings of a name, in order of use.
pub(super) fn spellings(entity: &EntityVariants) -> Vec<(&str, Vec<&str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for (id, spelling) in &entity.spellings {
        match out.iter_mut().find(|(s, _)| s == spelling) {
            Some((_, ids)) => {
                if !ids.contains(&id.as_str()) {
                    ids.push(id);
                }
            }
            None => out.push((spelling, vec![id])),
        }
    }
    out
}

/// The near-duplicate group id of story member `m` ("" when it has no copy).
pub(super) fn dup_id(story: &Story, m: usize) -> &str {
    story.dup_groups.iter().find(|g| g.members.binary_search(&m).is_ok()).map(|g| g.id.as_str()).unwrap_or("")
}

/// The id of the near-duplicate group that holds the copy `edit` describes.
pub(super) fn group_of<'a>(story: &'a Story, articles: &[Article], edit: &CopyEdits) -> &'a str {
    story
        .dup_groups
        .iter()
        .find(|g| g.members.iter().any(|&m| articles[m].id == edit.copy))
        .map(|g| g.id.as_str())
        .unwrap_or("")
}

/// Writes one story for reading in a terminal: a header (id, articles,
/// sources, dates), the points several sources share (once, each with the
/// sources that report it), then per article what it alone adds (facts by
/// kind, sentences) and what it leaves out, the spellings of names, and the
/// edits between near-duplicate copies.
///
/// `story_index` indexes `report.clustering.stories`; the story's
/// differences are read from `report.differences` when present.
pub fn write_show(report: &Report<'_>, story_index: usize, out: &mut dyn Write) -> io::Result<()> {
    // For a terminal: control characters in the texts are shown, not acted on.
    let out: &mut dyn Write = &mut super::ControlEscaper::new(out);
    let Some(story) = report.clustering.stories.get(story_index) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("no story at index {story_index} (of {})", report.clustering.stories.len()),
        ));
    };
    let articles = report.articles;
    write_story_header(out, articles, story)?;
    write_storyline(out, report, story_index)?;
    let diff: Option<&StoryDiff> = report.differences.and_then(|d| d.get(story_index)).and_then(Option::as_ref);
    let Some(diff) = diff else {
        return write_uncompared(out, articles, story);
    };
    let members = Members::of(articles, story);
    write_shared_points(out, diff, &members)?;
    write_additions(out, diff, &members)?;
    write_name_spellings(out, diff)?;
    write_copy_edits(out, diff, &members)
}

/// The story's members, found by article id.
struct Members<'a> {
    articles: &'a [Article],
    story: &'a Story,
    by_id: HashMap<&'a str, usize>,
}

impl<'a> Members<'a> {
    fn of(articles: &'a [Article], story: &'a Story) -> Members<'a> {
        let by_id = story.members.iter().map(|&m| (articles[m].id.as_str(), m)).collect();
        Members { articles, story, by_id }
    }

    /// How the article `id` is named in lists: its [`label`], or the bare
    /// id when it is not a member.
    fn name_of(&self, id: &str) -> String {
        self.by_id.get(id).map(|&m| label(&self.articles[m])).unwrap_or_else(|| id.to_owned())
    }
}

/// The title (underlined) and the line of counts: articles, sources,
/// dates, near-duplicate groups.
fn write_story_header(out: &mut dyn Write, articles: &[Article], story: &Story) -> io::Result<()> {
    let summary = StorySummary::of(articles, story);
    let title = format!("Story {}: {}", story.id, summary.headline);
    writeln!(out, "{title}")?;
    writeln!(out, "{}", "=".repeat(title.chars().count().min(WIDTH)))?;
    let mut counts =
        vec![plural(story.members.len(), "article", "articles"), summary.source_count(), summary.date_range()];
    if !story.dup_groups.is_empty() {
        counts.push(plural(story.dup_groups.len(), "near-duplicate group", "near-duplicate groups"));
    }
    writeln!(out, "{}", counts.join(" · "))
}

/// The storyline of story `story_index`, when storylines were computed:
/// its id and its stories in time order (the first dozen), this one marked.
fn write_storyline(out: &mut dyn Write, report: &Report<'_>, story_index: usize) -> io::Result<()> {
    const SHOWN: usize = 12;
    let clustering = report.clustering;
    let Some(line) = clustering.storyline_of_stories()[story_index].map(|l| &clustering.storylines[l]) else {
        return Ok(());
    };
    let mut ids: Vec<String> = line
        .stories
        .iter()
        .take(SHOWN)
        .map(|&k| {
            let id = &clustering.stories[k].id;
            if k == story_index {
                format!("{id} (this story)")
            } else {
                id.clone()
            }
        })
        .collect();
    if line.stories.len() > SHOWN {
        ids.push(format!("and {} more", line.stories.len() - SHOWN));
    }
    writeln!(out, "Storyline {}, stories in time order: {}", line.id, ids.join(", "))
}

/// Without differences: the member list, and why nothing is compared.
fn write_uncompared(out: &mut dyn Write, articles: &[Article], story: &Story) -> io::Result<()> {
    heading(out, "Articles")?;
    for &m in &story.members {
        write_article_header(out, &articles[m], dup_id(story, m))?;
    }
    writeln!(out)?;
    if story.members.len() < 2 {
        writeln!(out, "A single article: nothing to compare.")
    } else {
        writeln!(out, "The articles were not compared.")
    }
}

/// "Shared by several sources": each point once, with who reports it.
fn write_shared_points(out: &mut dyn Write, diff: &StoryDiff, members: &Members) -> io::Result<()> {
    heading(out, &format!("Shared by several sources ({})", plural(diff.shared.len(), "point", "points")))?;
    if diff.shared.is_empty() {
        writeln!(out, "  (no sentence is reported by more than one article)")?;
    }
    for point in &diff.shared {
        wrap(out, "  * ", "    ", &point.text)?;
        let sources: Vec<String> = point.sources.iter().map(|s| members.name_of(&s.id)).collect();
        wrap(out, "    reported by: ", "                 ", &sources.join(", "))?;
    }
    Ok(())
}

/// "What each article adds": per article, its facts by kind, its own
/// sentences and what it leaves out.
fn write_additions(out: &mut dyn Write, diff: &StoryDiff, members: &Members) -> io::Result<()> {
    heading(out, "What each article adds")?;
    for (i, article_diff) in diff.per_article.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        match members.by_id.get(article_diff.id.as_str()) {
            Some(&m) => write_article_header(out, &members.articles[m], dup_id(members.story, m))?,
            None => writeln!(out, "[{}]", article_diff.id)?,
        }
        write_article_additions(out, article_diff)?;
    }
    Ok(())
}

/// One article's unique facts and sentences and its omissions.
fn write_article_additions(out: &mut dyn Write, article_diff: &ArticleDiff) -> io::Result<()> {
    if article_diff.unique_facts.is_empty() && article_diff.unique_sentences.is_empty() {
        writeln!(out, "  Adds nothing the others do not say.")?;
    }
    if !article_diff.unique_facts.is_empty() {
        writeln!(out, "  Only here, facts:")?;
        for (_, kind, texts) in facts_by_kind(&article_diff.unique_facts) {
            let first = format!("    {kind:<14} ");
            wrap(out, &first, &" ".repeat(first.chars().count()), &texts.join("; "))?;
        }
    }
    if !article_diff.unique_sentences.is_empty() {
        writeln!(out, "  Only here, sentences:")?;
        for s in &article_diff.unique_sentences {
            wrap(out, "    + ", "      ", s)?;
        }
    }
    if !article_diff.omitted.is_empty() {
        writeln!(out, "  Leaves out what most others report:")?;
        for s in &article_diff.omitted {
            wrap(out, "    - ", "      ", s)?;
        }
    }
    Ok(())
}

/// "Names spelled differently": each name's spellings with who uses them
/// (nothing when every name is spelled one way).
fn write_name_spellings(out: &mut dyn Write, diff: &StoryDiff) -> io::Result<()> {
    if diff.entities.is_empty() {
        return Ok(());
    }
    heading(out, "Names spelled differently")?;
    for entity in &diff.entities {
        let spellings = spellings(entity);
        let names: Vec<&str> = spellings.iter().map(|(s, _)| *s).collect();
        let who: Vec<String> = spellings.iter().map(|(s, ids)| format!("{s}: {}", ids.join(", "))).collect();
        wrap(out, "  * ", "    ", &format!("{} ({})", names.join(" / "), who.join("; ")))?;
        if !names.iter().any(|n| *n == entity.canonical) {
            writeln!(out, "    as in {}", entity.canonical)?;
        }
    }
    Ok(())
}

/// "Edits between near-duplicate copies": per copy, its counts against the
/// original, then the sentences added, removed and changed (nothing when
/// the story has no copies).
fn write_copy_edits(out: &mut dyn Write, diff: &StoryDiff, members: &Members) -> io::Result<()> {
    if diff.copies.is_empty() {
        return Ok(());
    }
    heading(out, "Edits between near-duplicate copies")?;
    for (i, edit) in diff.copies.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let group = group_of(members.story, members.articles, edit);
        let counts = [
            plural(edit.added.len(), "added", "added"),
            plural(edit.removed.len(), "removed", "removed"),
            plural(edit.changed.len(), "changed", "changed"),
        ];
        let group = if group.is_empty() { String::new() } else { format!("{group}: ") };
        let copy_line = format!(
            "{group}{} against {}: {}",
            members.name_of(&edit.copy),
            members.name_of(&edit.original),
            counts.join(", ")
        );
        wrap(out, "  ", "  ", &copy_line)?;
        if edit.added.is_empty() && edit.removed.is_empty() && edit.changed.is_empty() {
            writeln!(out, "    (same sentences)")?;
        }
        for s in &edit.added {
            wrap(out, "    + ", "      ", s)?;
        }
        for s in &edit.removed {
            wrap(out, "    - ", "      ", s)?;
        }
        for (before, after) in &edit.changed {
            wrap(out, "    ~ ", "      ", before)?;
            wrap(out, "    → ", "      ", after)?;
        }
    }
    Ok(())
}

/// "[000_…] LibyaReview · 2024-09-23 · copy in d1" and the headline.
fn write_article_header(out: &mut dyn Write, a: &Article, dup_id: &str) -> io::Result<()> {
    let mut parts = vec![if a.source.is_empty() { "(no source)".to_owned() } else { a.source.clone() }];
    parts.push(a.published.map(|d| d.to_string()).unwrap_or_else(|| "undated".to_owned()));
    if !dup_id.is_empty() {
        parts.push(format!("copy in {dup_id}"));
    }
    writeln!(out, "[{}] {}", a.id, parts.join(" · "))?;
    let headline =
        if a.title.is_empty() { format!("(no headline) {}", first_words(&a.body, 12)) } else { a.title.clone() };
    wrap(out, "  ", "  ", &headline)
}

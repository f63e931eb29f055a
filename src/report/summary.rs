//! What an editor reads first about a story: its headline, its dates, who
//! covered it and when.
//!
//! Owns [`StorySummary`] (and its serialisable [`SummaryView`]): the
//! canonical headline, the first and last publication date, the sources
//! with their article counts, the articles per day (a timeline) and the
//! number of duplicate groups. Every format shows the same summary. It
//! reads the members' metadata and the links the clustering used; it must
//! not decide anything about membership, nor read article bodies beyond the
//! opening words of a story without any headline.

use std::collections::BTreeMap;

use serde::Serialize;

use super::first_words;
use crate::article::{Article, Date};
use crate::cluster::Story;

/// A story's summary (see the module doc).
#[derive(Clone, Debug, PartialEq)]
pub struct StorySummary {
    /// The headline of the story's most central titled member (see
    /// [`StorySummary::of`]), or the opening words of a member's body when
    /// no member has a headline.
    pub headline: String,
    /// The member the headline is taken from (an article index).
    pub headline_member: usize,
    /// Distinct non-empty outlets with their number of articles, most
    /// articles first, then by name.
    pub sources: Vec<(String, usize)>,
    /// Members without an outlet.
    pub unsourced: usize,
    /// Known publication dates with their number of articles, oldest first.
    pub timeline: Vec<(Date, usize)>,
    /// Members without a date.
    pub undated: usize,
    /// The number of near-duplicate groups inside the story.
    pub duplicate_groups: usize,
}

impl StorySummary {
    /// The summary of `story`, whose members index `articles`.
    ///
    /// The canonical headline is that of the member most similar to the
    /// rest of the story: the largest sum of the scores of the story links
    /// (the nearest-neighbour pairs the clustering used) it takes part in,
    /// which ranks members as their similarity to the story's centroid does
    /// wherever the links cover the story's pairs, and stays cheap for a
    /// story of thousands. Members without a headline are passed over when
    /// another has one; ties go to the earliest published, then to the
    /// smallest article id. A headline is thus the story's, not that of
    /// whichever article sorts first.
    pub fn of(articles: &[Article], story: &Story) -> StorySummary {
        let members = story.members.iter().map(|&m| &articles[m]);
        let mut sources: BTreeMap<&str, usize> = BTreeMap::new();
        let mut timeline: BTreeMap<Date, usize> = BTreeMap::new();
        for article in members.clone() {
            if !article.source.is_empty() {
                *sources.entry(&article.source).or_default() += 1;
            }
            if let Some(date) = article.published {
                *timeline.entry(date).or_default() += 1;
            }
        }
        let mut sources: Vec<(String, usize)> = sources.into_iter().map(|(s, n)| (s.to_owned(), n)).collect();
        sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let headline_member = central_member(articles, story);
        let lead = &articles[headline_member];
        let headline = if lead.title.is_empty() { first_words(&lead.body, 12) } else { lead.title.clone() };
        let n_dated: usize = timeline.values().sum();
        StorySummary {
            headline,
            headline_member,
            unsourced: members.filter(|a| a.source.is_empty()).count(),
            sources,
            timeline: timeline.into_iter().collect(),
            undated: story.members.len() - n_dated,
            duplicate_groups: story.dup_groups.len(),
        }
    }

    /// The earliest and latest known publication date.
    pub fn dates(&self) -> Option<(Date, Date)> {
        Some((self.timeline.first()?.0, self.timeline.last()?.0))
    }

    /// "2024-09-20 to 2024-09-23 (1 undated)", "2024-09-23", "undated".
    pub fn date_range(&self) -> String {
        let mut out = match self.dates() {
            None => return "undated".to_owned(),
            Some((a, b)) if a == b => a.to_string(),
            Some((a, b)) => format!("{a} to {b}"),
        };
        if self.undated > 0 {
            out.push_str(&format!(" ({} undated)", self.undated));
        }
        out
    }

    /// "2 sources", "1 source and 1 article without one".
    pub fn source_count(&self) -> String {
        let mut out = plural(self.sources.len(), "source", "sources");
        if self.unsourced > 0 {
            out.push_str(&format!(" and {} without one", plural(self.unsourced, "article", "articles")));
        }
        out
    }

    /// The distinct outlets, sorted by name.
    pub fn source_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.sources.iter().map(|(s, _)| s.as_str()).collect();
        names.sort_unstable();
        names
    }

    /// The serialisable form, naming articles by id.
    pub fn view<'a>(&'a self, articles: &'a [Article]) -> SummaryView<'a> {
        let (first_published, last_published) = self.dates().unzip();
        SummaryView {
            headline: &self.headline,
            headline_id: &articles[self.headline_member].id,
            first_published,
            last_published,
            undated: self.undated,
            sources: self
                .sources
                .iter()
                .map(|(source, articles)| SourceCount { source, articles: *articles })
                .collect(),
            unsourced: self.unsourced,
            timeline: self.timeline.iter().map(|&(date, articles)| DayCount { date, articles }).collect(),
            duplicate_groups: self.duplicate_groups,
        }
    }
}

/// The member whose links to the rest of the story score highest in sum,
/// among the members with a headline when there are any (see
/// [`StorySummary::of`]).
fn central_member(articles: &[Article], story: &Story) -> usize {
    let mut link_sum: BTreeMap<usize, f64> = story.members.iter().map(|&m| (m, 0.0)).collect();
    for link in &story.links {
        for end in [link.a, link.b] {
            if let Some(sum) = link_sum.get_mut(&end) {
                *sum += f64::from(link.score);
            }
        }
    }
    let any_titled = story.members.iter().any(|&m| !articles[m].title.is_empty());
    // The best is the least by (larger link sum, known date before unknown,
    // earlier date); `min_by` keeps the first of equals, and members are in
    // article-id order, so the smallest id wins a tie.
    let undated_last = |m: usize| (articles[m].published.is_none(), articles[m].published);
    story
        .members
        .iter()
        .copied()
        .filter(|&m| !any_titled || !articles[m].title.is_empty())
        .min_by(|&a, &b| link_sum[&b].total_cmp(&link_sum[&a]).then_with(|| undated_last(a).cmp(&undated_last(b))))
        .expect("a story has at least one member")
}

/// "1 story", "3 stories".
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A story's summary as serialised in JSON.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryView<'a> {
    /// The canonical headline.
    pub headline: &'a str,
    /// The id of the article the headline is taken from.
    pub headline_id: &'a str,
    /// The earliest known publication date.
    pub first_published: Option<Date>,
    /// The latest known publication date.
    pub last_published: Option<Date>,
    /// Members without a date.
    pub undated: usize,
    /// The outlets, most articles first.
    pub sources: Vec<SourceCount<'a>>,
    /// Members without an outlet.
    pub unsourced: usize,
    /// Articles per publication date, oldest first.
    pub timeline: Vec<DayCount>,
    /// Near-duplicate groups inside the story.
    pub duplicate_groups: usize,
}

/// An outlet and its number of articles in a story.
#[derive(Clone, Debug, Serialize)]
pub struct SourceCount<'a> {
    /// The outlet.
    pub source: &'a str,
    /// Its articles in the story.
    pub articles: usize,
}

/// A publication date and the story's number of articles on it.
#[derive(Clone, Debug, Serialize)]
pub struct DayCount {
    /// The date.
    pub date: Date,
    /// The story's articles published on it.
    pub articles: usize,
}

#[cfg(test)]
mod tests;

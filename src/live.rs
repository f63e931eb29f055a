//! Adding a batch of news to a story store: the `add` stage.
//!
//! Owns [`add`], [`AddConfig`] and what an add reports ([`Added`],
//! [`Growth`]). A batch is clustered together with the store's active
//! window (the articles published within [`AddConfig::active_days`] of the
//! batch's dates), each known story starting whole
//! ([`crate::cluster::stories_from`]), with term weights from the store's
//! document frequencies: a new article joins a known story or starts a new
//! one, and known stories only ever merge, the older id surviving.
//! Everything an add changes is one transaction. It must not read inputs
//! (the caller hands it cleaned articles) nor print.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::article::Article;
use crate::cluster::Clustering;
use crate::hashes::TermSet;
use crate::pipeline::{self, Config, Progress, Stage};
use crate::represent::{self, StoryVector, TermCounts};
use crate::store::{self, content_hash, LinkKind, Store, StoreError, StoredArticle, StoryId, WindowArticle, Writer};
use crate::union_find::UnionFind;

/// How an add chooses the stories new articles may join.
#[derive(Clone, Debug, PartialEq)]
pub struct AddConfig {
    /// Known stories with an article published at most this many days
    /// before the batch's first date (or after its last), or undated and
    /// first seen that recently, are candidates for the batch's articles.
    pub active_days: i64,
}

impl Default for AddConfig {
    /// Thirty days: see the README's "A live story store" for the
    /// measurement behind it.
    fn default() -> AddConfig {
        AddConfig { active_days: 30 }
    }
}

/// What an add changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Added {
    /// Articles new to the store.
    pub added: Vec<String>,
    /// Articles stored before with another text, title or date: stored
    /// anew and assigned again.
    pub updated: Vec<String>,
    /// Articles stored before exactly as read: left alone.
    pub unchanged: usize,
    /// Stories this add started.
    pub new_stories: Vec<StoryId>,
    /// Known stories that gained articles.
    pub grown: Vec<Growth>,
    /// Known stories merged into an older one: `(younger, older)`.
    pub merged: Vec<(StoryId, StoryId)>,
    /// The story of every article added or updated, by article id.
    pub story_of: BTreeMap<String, StoryId>,
}

impl Added {
    /// Every story the add started, grew or merged into, oldest first.
    pub fn stories(&self) -> Vec<StoryId> {
        let mut ids: BTreeSet<StoryId> = self.story_of.values().copied().collect();
        ids.extend(self.merged.iter().map(|&(_, older)| older));
        ids.into_iter().collect()
    }
}

/// A known story that grew.
#[derive(Clone, Debug, PartialEq)]
pub struct Growth {
    /// The story.
    pub story: StoryId,
    /// How many of the batch's articles joined it.
    pub articles: usize,
    /// Outlets it had no article from before.
    pub new_sources: Vec<String>,
}

/// Adds `batch` (cleaned articles with distinct ids) to `store`, stamped
/// `now` (RFC 3339; its date also dates stories of undated articles).
///
/// # Errors
/// A store error: then nothing was changed.
pub fn add(
    store: &mut Store,
    batch: Vec<Article>,
    config: &Config,
    add_config: &AddConfig,
    now: &str,
    progress: &dyn Progress,
) -> Result<Added, StoreError> {
    store.write(|w| add_in(w, batch, config, add_config, now, progress))
}

fn add_in(
    w: &Writer<'_>,
    batch: Vec<Article>,
    config: &Config,
    add_config: &AddConfig,
    now: &str,
    progress: &dyn Progress,
) -> Result<Added, StoreError> {
    let mut result = Added::default();
    let mut fresh = Vec::new();
    for article in batch {
        let hash = content_hash(&article);
        match w.article_state(&article.id)? {
            Some((stored, _)) if stored == hash => result.unchanged += 1,
            Some(_) => {
                result.updated.push(article.id.clone());
                fresh.push((article, hash));
            }
            None => {
                result.added.push(article.id.clone());
                fresh.push((article, hash));
            }
        }
    }
    if fresh.is_empty() {
        return Ok(result);
    }
    // An updated article is taken out of its story and placed again; the
    // stories it leaves are refreshed with the others at the end.
    let updated: Vec<&str> = result.updated.iter().map(String::as_str).collect();
    let mut touched = w.remove_articles(&updated)?;

    let today = now.get(..10).and_then(crate::article::Date::parse_iso).map(|d| d.days_since_epoch());
    let newest = if fresh.iter().any(|(a, _)| a.published.is_none()) { w.newest_day()? } else { None };
    let range = active_range(&fresh, newest.or(today), add_config);
    let window = w.window(range, &days_before(now, add_config.active_days))?;
    let sources_before = w.story_sources(&window.iter().map(|r| r.story).collect())?;

    let combined = combine(window, fresh, config);
    let (clustering, counted) = cluster_combined(w, &combined, config, progress)?;
    let Combined { articles, before: stories_before, hashes, counts } = combined;
    let placed = place(w, &articles, &clustering, &stories_before, now, today, &mut result)?;
    let batch = Batch { hashes: &hashes, counts: &counts, counted: &counted };
    store_articles(w, &articles, &clustering, &placed, &batch, now)?;

    touched.extend(placed.iter().copied());
    w.refresh(&touched, Some(now))?;
    result.grown = growth(&result, &articles, &sources_before, &placed, &clustering, &stories_before);
    for (story, &id) in clustering.stories.iter().zip(&placed) {
        for &m in story.members.iter().filter(|&&m| hashes[m].is_some()) {
            result.story_of.insert(articles[m].id.clone(), id);
        }
    }
    Ok(result)
}

/// The active window and the batch, in id order: each article with its
/// known story (window) or content hash (batch), and its term counts.
struct Combined {
    articles: Vec<Article>,
    before: Vec<Option<StoryId>>,
    hashes: Vec<Option<u64>>,
    counts: Vec<TermCounts>,
}

fn combine(window: Vec<WindowArticle>, fresh: Vec<(Article, u64)>, config: &Config) -> Combined {
    let fresh_counts: Vec<TermCounts> =
        fresh.par_iter().map(|(a, _)| represent::count_terms(a, &config.represent)).collect();
    let mut all: Vec<(Article, Option<StoryId>, Option<u64>, TermCounts)> =
        window.into_iter().map(|r| (r.article, Some(r.story), None, r.counts)).collect();
    all.extend(fresh.into_iter().zip(fresh_counts).map(|((a, hash), counts)| (a, None, Some(hash), counts)));
    all.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let n = all.len();
    let mut combined = Combined {
        articles: Vec::with_capacity(n),
        before: Vec::with_capacity(n),
        hashes: Vec::with_capacity(n),
        counts: Vec::with_capacity(n),
    };
    for (article, story, hash, counts) in all {
        combined.articles.push(article);
        combined.before.push(story);
        combined.hashes.push(hash);
        combined.counts.push(counts);
    }
    combined
}

/// Clusters window and batch together: near-duplicates over both; the
/// batch's documents counted into the store's document frequencies (see
/// [`counted_articles`]), which weigh every article's terms (the store's
/// whole history, not the window's few articles, says which terms are
/// common); each known story a starting group (with the copies of its
/// articles), and only clusters holding a batch article offered to a
/// larger one in the attachment pass
/// ([`crate::cluster::group_average_of_new`]). Returns the stories and
/// which articles were counted.
fn cluster_combined(
    w: &Writer<'_>,
    c: &Combined,
    config: &Config,
    progress: &dyn Progress,
) -> Result<(Clustering, Vec<bool>), StoreError> {
    let n = c.articles.len();
    let dups = pipeline::near_duplicates(&c.articles, config, progress);
    let counted = counted_articles(&dups.group_of, &c.hashes);
    let terms: TermSet = c.counts.iter().flat_map(|counts| counts.counts.iter().map(|&(t, _)| t)).collect();
    let mut counter = w.doc_freq(&terms)?;
    for (counts, _) in c.counts.iter().zip(&counted).filter(|(_, &counted)| counted) {
        counter.add(counts);
    }
    let df = counter.finish();
    progress.start(Stage::Represent, n as u64);
    let vectors: Vec<StoryVector> =
        c.counts.par_iter().map(|counts| represent::weigh(counts, &df, &config.represent)).collect();
    progress.advance(n as u64);
    let days: Vec<Option<i64>> = c.articles.iter().map(|a| a.published.map(|d| d.days_since_epoch())).collect();
    let mut starting = UnionFind::new(n);
    let mut first_of_story: HashMap<StoryId, usize> = HashMap::new();
    for (i, (&copy, story)) in dups.group_of.iter().zip(&c.before).enumerate() {
        starting.union(i, copy);
        if let Some(story) = story {
            starting.union(i, *first_of_story.entry(*story).or_insert(i));
        }
    }
    let initial: Vec<usize> = (0..n).map(|i| starting.find(i)).collect();
    let new: Vec<bool> = c.hashes.iter().map(Option::is_some).collect();
    let clustering = pipeline::cluster_vectors(&days, &dups, &initial, Some(&new), vectors, config, progress);
    Ok((clustering, counted))
}

/// The batch articles to count in the document frequencies: one per
/// near-duplicate group (`group_of`), the first, and none in a group with
/// a stored article (it was counted when stored). Frequencies count each
/// group once, as a batch run's do.
fn counted_articles(group_of: &[usize], hashes: &[Option<u64>]) -> Vec<bool> {
    let mut has_stored = vec![false; group_of.len()];
    for (i, hash) in hashes.iter().enumerate() {
        if hash.is_none() {
            has_stored[group_of[i]] = true;
        }
    }
    let mut taken = vec![false; group_of.len()];
    hashes
        .iter()
        .enumerate()
        .map(|(i, hash)| {
            let group = group_of[i];
            let count = hash.is_some() && !has_stored[group] && !taken[group];
            taken[group] |= count;
            count
        })
        .collect()
}

/// What is stored with each batch article: its content hash, term counts
/// and whether it is counted in the document frequencies (`None` and
/// unused for the window's articles).
struct Batch<'a> {
    hashes: &'a [Option<u64>],
    counts: &'a [TermCounts],
    counted: &'a [bool],
}

/// The publication days of the stories a batch may join: from
/// `active_days` before its first date to as long after its last one (a
/// batch of late-found older news joins the stories of its time). An
/// undated article may be of any day: it is taken as of `undated_day`, the
/// newest day the store holds (or today, for an empty store), since news
/// is read as it comes.
fn active_range(fresh: &[(Article, u64)], undated_day: Option<i64>, config: &AddConfig) -> (i64, i64) {
    let days = fresh.iter().filter_map(|(a, _)| match a.published {
        Some(date) => Some(date.days_since_epoch()),
        None => undated_day,
    });
    let (first, last) = days.fold((i64::MAX, i64::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
    if first > last {
        return (i64::MAX, i64::MIN);
    }
    (first - config.active_days, last + config.active_days)
}

/// The RFC 3339 date `days` before `now`'s date (undated articles first
/// seen since then are in the window).
fn days_before(now: &str, days: i64) -> String {
    match now.get(..10).and_then(crate::article::Date::parse_iso) {
        Some(date) => crate::article::Date::from_days_since_epoch(date.days_since_epoch() - days).to_string(),
        None => String::new(),
    }
}

/// The store id of each story of `clustering`: the oldest known story it
/// holds (the others merged into it), or a new one dated by its first
/// article (or by `today` when none is dated).
fn place(
    w: &Writer<'_>,
    articles: &[Article],
    clustering: &Clustering,
    before: &[Option<StoryId>],
    now: &str,
    today: Option<i64>,
    result: &mut Added,
) -> Result<Vec<StoryId>, StoreError> {
    let mut placed = Vec::with_capacity(clustering.stories.len());
    for story in &clustering.stories {
        let known: BTreeSet<StoryId> = story.members.iter().filter_map(|&m| before[m]).collect();
        let id = match known.first() {
            Some(&oldest) => {
                for &younger in known.iter().skip(1) {
                    w.merge_story(younger, oldest, now)?;
                    result.merged.push((younger, oldest));
                }
                oldest
            }
            None => {
                let day = story.members.iter().filter_map(|&m| articles[m].published).min();
                let day = day.map(|d| d.days_since_epoch()).or(today).unwrap_or(0);
                let id = w.new_story(day, now)?;
                result.new_stories.push(id);
                id
            }
        };
        placed.push(id);
    }
    Ok(placed)
}

/// Puts the batch's articles in their stories, sets every clustered
/// article's near-duplicate group, and keeps the links the clustering used.
fn store_articles(
    w: &Writer<'_>,
    articles: &[Article],
    clustering: &Clustering,
    placed: &[StoryId],
    batch: &Batch<'_>,
    now: &str,
) -> Result<(), StoreError> {
    let mut dup_group: Vec<Option<&str>> = vec![None; articles.len()];
    for story in &clustering.stories {
        for group in &story.dup_groups {
            for &m in &group.members {
                dup_group[m] = Some(&articles[group.members[0]].id);
            }
        }
    }
    let (mut links, mut stored) = (Vec::new(), Vec::new());
    for (story, &id) in clustering.stories.iter().zip(placed) {
        for &m in &story.members {
            match batch.hashes[m] {
                Some(content_hash) => stored.push(StoredArticle {
                    article: &articles[m],
                    story: id,
                    dup_group: dup_group[m],
                    content_hash,
                    counts: &batch.counts[m],
                    counted: batch.counted[m],
                }),
                None => w.set_dup_group(&articles[m].id, dup_group[m])?,
            }
        }
        let copy_links = story.dup_groups.iter().flat_map(|g| g.links.iter().map(|l| (l, LinkKind::Copy)));
        for (l, kind) in story.links.iter().map(|l| (l, LinkKind::Story)).chain(copy_links) {
            links.push((articles[l.a].id.as_str(), articles[l.b].id.as_str(), kind, l.score));
        }
    }
    w.put_articles(&stored, now)?;
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    w.replace_links(&ids, &links)
}

/// The known stories that gained articles, with the outlets new to them.
fn growth(
    result: &Added,
    articles: &[Article],
    sources_before: &HashMap<StoryId, BTreeSet<String>>,
    placed: &[StoryId],
    clustering: &Clustering,
    before: &[Option<StoryId>],
) -> Vec<Growth> {
    let new: BTreeSet<StoryId> = result.new_stories.iter().copied().collect();
    let mut grown = Vec::new();
    for (story, &id) in clustering.stories.iter().zip(placed) {
        let joined: Vec<usize> = story.members.iter().copied().filter(|&m| before[m].is_none()).collect();
        if joined.is_empty() || new.contains(&id) {
            continue;
        }
        // Every article of the known stories it holds had its outlet in
        // `sources_before`; what the story has now beyond them came with
        // the batch.
        let known: BTreeSet<StoryId> = story.members.iter().filter_map(|&m| before[m]).collect();
        let had: BTreeSet<&String> = known.iter().filter_map(|s| sources_before.get(s)).flatten().collect();
        let new_sources: BTreeSet<&String> = joined
            .iter()
            .map(|&m| &articles[m].source)
            .filter(|source| !source.is_empty() && !had.contains(source))
            .collect();
        let new_sources = new_sources.into_iter().cloned().collect();
        grown.push(Growth { story: id, articles: joined.len(), new_sources });
    }
    grown
}

/// The current time in UTC as RFC 3339 (`2026-12-05T14:03:09Z`), the form
/// a store stamps changes with.
pub fn now_utc() -> String {
    store::timestamp(store::now())
}

/// Reads a time given by a user (`2024-09-23` or `2024-09-23T10:00:00Z`)
/// as the RFC 3339 stamp an add uses; `None` when it is neither.
pub fn parse_now(text: &str) -> Option<String> {
    let date = crate::article::Date::parse_iso(text.get(..10)?)?;
    match text.get(10..) {
        Some("") => Some(format!("{date}T00:00:00Z")),
        Some(rest) => {
            let time = rest.strip_prefix('T')?.strip_suffix('Z')?;
            let parts: Vec<u32> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
            match parts[..] {
                [h, m, s] if h < 24 && m < 60 && s < 60 && time.len() == 8 => Some(format!("{date}T{time}Z")),
                _ => None,
            }
        }
        None => None,
    }
}

#[cfg(test)]
mod tests;

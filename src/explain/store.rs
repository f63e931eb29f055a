//! Why two stored articles are, or are not, copies and one story, from a
//! story store alone (`explain A B --store FILE`).
//!
//! Owns [`StoreExplanation`] (with [`StoredSide`], [`StoredStory`],
//! [`StoredDecision`] and [`LinkStep`]) and [`explain_stored`], which builds
//! it from what the store kept and what can be recomputed from it: the
//! story and near-duplicate group of each article and the links the
//! clustering used are as the `add`s recorded them; the shingle
//! resemblance (from the two stored texts), the story vectors (from the
//! stored term counts, weighed by the store's document frequencies as they
//! are now, as an `add` weighs them) and the two stories' standing against
//! the merge rule are recomputed now. The types it shares with the batch
//! explanation ([`Side`], [`Duplicates`], [`Terms`], [`Dates`]) mean the
//! same here. It must not cluster the store again, nor change it: it reads
//! the two articles and, at most, their two stories.

use serde::Serialize;

use super::{compared, pair_dates, shortest_path, terms, ChainLink, Dates, Duplicates, Grouping, Side, Terms};
use crate::cluster::{self, ClusterScore};
use crate::hashes::TermSet;
use crate::pipeline::Config;
use crate::represent::{self, DocFreq, StoryVector, TermCounts};
use crate::store::{ArticleRecord, KeptLink, LinkKind, Store, StoreError};

/// Why two stored articles are or are not copies and one story.
#[derive(Clone, Debug, Serialize)]
pub struct StoreExplanation {
    /// The store file.
    pub store: String,
    /// The documents the store's document frequencies count (one per
    /// near-duplicate group), which weigh the terms.
    pub documents: u32,
    /// The first article.
    pub a: StoredSide,
    /// The second article.
    pub b: StoredSide,
    /// Near-duplicates: one group, a direct link and a chain of copies as
    /// recorded; the shingle resemblance recomputed from the stored texts.
    pub duplicates: Duplicates,
    /// The recorded resemblance of the copy link between the two, if one
    /// is kept.
    pub copy_link: Option<f32>,
    /// Story vectors recomputed from the stored term counts with the
    /// store's document frequencies now.
    pub terms: Terms,
    /// Publication dates: the gap and its factor, with the date window as
    /// configured (an `add` fits it to its own articles and keeps no
    /// record of the fit).
    pub dates: Dates,
    /// One story or not, as recorded, and what joins them or keeps them apart.
    pub story: StoredStory,
}

/// One article of the pair, with when the store saw it.
#[derive(Clone, Debug, Serialize)]
pub struct StoredSide {
    /// The article, its story being the store's id.
    #[serde(flatten)]
    pub side: Side,
    /// When the `add` that stored it ran.
    pub first_seen: String,
    /// When the last `add` that stored it anew (an update) ran.
    pub last_seen: String,
}

/// One story or not, as the store records it.
#[derive(Clone, Debug, Serialize)]
pub struct StoredStory {
    /// Whether the two are in one story.
    pub same_story: bool,
    /// What joins them, or how their stories stand now.
    pub decision: StoredDecision,
}

/// What the store shows of why two articles share a story or not.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum StoredDecision {
    /// One story: a path of kept links from the first to the second (one
    /// step when a link joins them directly).
    Links {
        /// The links, from the first article to the second.
        path: Vec<LinkStep>,
    },
    /// One story, but no path of kept links joins them (links are kept
    /// between articles clustered together by one `add`, and a later add
    /// replaces those among the articles it clusters): the strongest link
    /// kept for each, when it has one.
    Unlinked {
        /// The strongest link of the first article, then of the second.
        strongest: [Option<LinkStep>; 2],
    },
    /// Different stories: their two stories now against the merge rule,
    /// recomputed from the stored term counts.
    Apart {
        /// The first article's story (with all its articles) and the
        /// second's, scored as the agglomeration scores two clusters.
        now: ClusterScore,
    },
}

/// A kept link on a path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkStep {
    /// The article the step starts from.
    pub from: String,
    /// The article it leads to.
    pub to: String,
    /// `story` (the story similarity the clustering used) or `copy` (the
    /// estimated resemblance of two copies).
    pub kind: &'static str,
    /// Its recorded score.
    pub score: f32,
}

/// Explains why stored articles `a` and `b` (as [`Store::article_record`]
/// reads them) are or are not copies and one story, with the settings of
/// `config` (those of the `add`s, for figures that match theirs).
///
/// # Errors
/// A store error reading the two articles' stories.
pub fn explain_stored(
    store: &Store,
    a: &ArticleRecord,
    b: &ArticleRecord,
    config: &Config,
) -> Result<StoreExplanation, StoreError> {
    let same_story = a.story == b.story;
    // Kept links never join two stories: only the pair's own story has
    // links between them.
    let links = if same_story { store.story_links(a.story)? } else { Vec::new() };
    let stories =
        if same_story { None } else { Some((store.story_term_counts(a.story)?, store.story_term_counts(b.story)?)) };

    let mut terms_seen: TermSet = TermSet::default();
    let all_counts =
        [&a.counts, &b.counts].into_iter().chain(stories.iter().flat_map(|(x, y)| x.iter().chain(y).map(|(_, c)| c)));
    for counts in all_counts {
        terms_seen.extend(counts.df_keys());
    }
    let df = store.doc_freq(&terms_seen)?.finish();
    let weigh = |counts: &TermCounts| represent::weigh(counts, &df, &config.represent);
    let (vector_a, vector_b) = (weigh(&a.counts), weigh(&b.counts));

    let terms = terms(&a.article, &b.article, &vector_a, &vector_b);
    let day = |record: &ArticleRecord| record.article.published.map(|date| date.days_since_epoch());
    let dates = pair_dates(&config.cluster, None, [day(a), day(b)], &terms, [&vector_a, &vector_b]);

    let copy_link = direct_link(&links, a, b, LinkKind::Copy).map(|link| link.score);
    let same_group = a.dup_group.is_some() && a.dup_group == b.dup_group;
    let chain = if same_group && copy_link.is_none() { copy_chain(&links, a, b) } else { Vec::new() };
    let grouped = Grouping { same_group, linked: copy_link.is_some(), chain };
    let duplicates = compared(&a.article.body, &b.article.body, &config.fingerprint, grouped);

    let decision = match stories {
        Some((counts_a, counts_b)) => StoredDecision::Apart { now: stories_now(&counts_a, &counts_b, &df, config) },
        None => story_path(&links, a, b),
    };
    Ok(StoreExplanation {
        store: store.path().display().to_string(),
        documents: df.n_docs(),
        a: stored_side(store, a, &vector_a)?,
        b: stored_side(store, b, &vector_b)?,
        duplicates,
        copy_link,
        terms,
        dates,
        story: StoredStory { same_story, decision },
    })
}

fn stored_side(store: &Store, record: &ArticleRecord, vector: &StoryVector) -> Result<StoredSide, StoreError> {
    let group_size = match &record.dup_group {
        Some(group) => store.group_size(record.story, group)?.max(1),
        None => 1,
    };
    let article = &record.article;
    let side = Side {
        id: article.id.clone(),
        title: article.title.clone(),
        source: article.source.clone(),
        published: article.published,
        story: record.story.to_string(),
        group_size,
        terms: vector.terms.len(),
    };
    Ok(StoredSide { side, first_seen: record.first_seen.clone(), last_seen: record.last_seen.clone() })
}

/// The kept link of `kind` between `a` and `b`, if any.
fn direct_link<'l>(
    links: &'l [KeptLink],
    a: &ArticleRecord,
    b: &ArticleRecord,
    kind: LinkKind,
) -> Option<&'l KeptLink> {
    let (x, y) = (a.article.id.as_str(), b.article.id.as_str());
    links.iter().find(|link| link.kind == kind && ((link.a == x && link.b == y) || (link.a == y && link.b == x)))
}

/// The shortest chain of kept copy links from `a` to `b` (one group).
fn copy_chain(links: &[KeptLink], a: &ArticleRecord, b: &ArticleRecord) -> Vec<ChainLink> {
    let copies = links.iter().filter(|link| link.kind == LinkKind::Copy);
    let edges = copies.map(|link| (link.a.as_str(), link.b.as_str(), link.score));
    shortest_path(a.article.id.as_str(), b.article.id.as_str(), edges)
        .into_iter()
        .map(|(from, to, resemblance)| ChainLink { from: from.to_owned(), to: to.to_owned(), resemblance })
        .collect()
}

/// The kept links joining `a` and `b` in their story: the shortest path,
/// or, without one, each one's strongest link.
fn story_path(links: &[KeptLink], a: &ArticleRecord, b: &ArticleRecord) -> StoredDecision {
    let step = |from: &str, to: &str, link: &KeptLink| LinkStep {
        from: from.to_owned(),
        to: to.to_owned(),
        kind: link.kind.as_str(),
        score: link.score,
    };
    let edges = links.iter().map(|link| (link.a.as_str(), link.b.as_str(), link));
    let path = shortest_path(a.article.id.as_str(), b.article.id.as_str(), edges);
    if !path.is_empty() {
        return StoredDecision::Links { path: path.into_iter().map(|(from, to, link)| step(from, to, link)).collect() };
    }
    let strongest = |id: &str| {
        let touching = links.iter().filter(|link| link.a == id || link.b == id);
        let best = touching.max_by(|x, y| x.score.total_cmp(&y.score).then(y.a.cmp(&x.a)).then(y.b.cmp(&x.b)))?;
        Some(step(id, if best.a == id { &best.b } else { &best.a }, best))
    };
    StoredDecision::Unlinked { strongest: [strongest(&a.article.id), strongest(&b.article.id)] }
}

/// Two stories' articles (`(day, term counts)` each) as two clusters
/// against the merge rule, weighed with `df`.
fn stories_now(
    counts_a: &[(Option<i64>, TermCounts)],
    counts_b: &[(Option<i64>, TermCounts)],
    df: &DocFreq,
    config: &Config,
) -> ClusterScore {
    let both = counts_a.iter().chain(counts_b);
    let days: Vec<Option<i64>> = both.clone().map(|(day, _)| *day).collect();
    let vectors = both.map(|(_, counts)| represent::weigh(counts, df, &config.represent).terms).collect();
    cluster::score_groups(vectors, &days, counts_a.len(), &config.cluster)
}

#[cfg(test)]
mod tests;

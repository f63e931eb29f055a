//! The storyline step of an add: the stories an add changed join the
//! storylines the store knows, or start new ones.
//!
//! Each changed story gets its centroid (its articles' summed vectors cut
//! to their heaviest terms, at unit length, as a batch run's storylines
//! take it, [`crate::cluster::centroid`]), kept in the store with its
//! terms' inverted list. The stored stories sharing terms with a changed
//! one, however old (a storyline spans months), are its candidates; their
//! storylines take part whole, each a starting group, and the batch run's
//! storyline rule ([`crate::cluster::storyline_rule`]: group average, no
//! date decay) runs over them. So a storyline only grows or merges, the
//! older id surviving, as stories do; and when two stories merge, so do
//! their storylines (one event is in one saga). This module must not change
//! a story: a storyline is a union of whole stories.

use std::collections::{BTreeSet, HashMap};

use crate::cluster::{self, Sparse};
use crate::hashes::TermSet;
use crate::pipeline::Config;
use crate::represent::{self, TermCounts};
use crate::store::{StoreError, StoryId, StorylineId, Writer};
use crate::union_find::UnionFind;

/// What the storyline step changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChanges {
    /// Storylines started.
    pub new: Vec<StorylineId>,
    /// Storylines merged into an older one: `(younger, older)`.
    pub merged: Vec<(StorylineId, StorylineId)>,
}

/// The stories taking part in one storyline step, each with its centroid
/// and its storyline before the step.
#[derive(Default)]
struct Items {
    stories: Vec<StoryId>,
    centroids: Vec<Sparse>,
    /// The store's documents when each centroid was weighed.
    weighed_with: Vec<i64>,
    lines: Vec<Option<StorylineId>>,
    index: HashMap<StoryId, usize>,
}

impl Items {
    fn push(&mut self, story: StoryId, centroid: Sparse, weighed_with: i64, line: Option<StorylineId>) {
        if !self.index.contains_key(&story) {
            self.index.insert(story, self.stories.len());
            self.stories.push(story);
            self.centroids.push(centroid);
            self.weighed_with.push(weighed_with);
            self.lines.push(line);
        }
    }
}

/// Places the `changed` stories (each with its articles' summed vector) in
/// storylines, after the story merges `merged` (`(younger, older)`) of
/// this add, stamped `now`.
pub(super) fn place_storylines(
    w: &Writer<'_>,
    changed: Vec<(StoryId, Sparse)>,
    merged: &[(StoryId, StoryId)],
    config: &Config,
    now: &str,
) -> Result<LineChanges, StoreError> {
    let rule = &config.storyline;
    // A story merged away leaves its storyline to the story it joined.
    let mut joined: Vec<(StorylineId, StoryId)> = Vec::new();
    for &(younger, older) in merged {
        if let Some(line) = w.storyline_of(younger)? {
            joined.push((line, older));
        }
        w.drop_centroid(younger)?;
        w.set_storyline(younger, None)?;
    }
    let documents = w.counted_documents()?;
    let changed: Vec<(StoryId, Sparse)> =
        changed.into_iter().map(|(story, sum)| (story, cluster::centroid(sum, rule.max_terms))).collect();
    for (story, centroid) in &changed {
        w.put_centroid(*story, centroid, documents)?;
    }
    // Like a batch run's nearest centroids: the stories most like each
    // changed one, found through its heaviest terms, then scored exactly.
    let mut candidates: Vec<(StoryId, StoryId)> = Vec::new();
    for (story, centroid) in &changed {
        let found = w.centroid_neighbours(centroid, CANDIDATE_TERMS, CANDIDATE_POSTINGS)?;
        let mut found: Vec<(StoryId, f64)> = found.into_iter().filter(|&(other, _)| other != *story).collect();
        found.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found.truncate(rule.neighbours);
        found.sort_unstable_by_key(|&(other, _)| other);
        candidates.extend(found.into_iter().map(|(other, _)| (*story, other)));
    }

    let mut items = gather(w, &changed, &candidates, &joined)?;
    reweigh_stale(w, &mut items, documents, config)?;
    let n = items.stories.len();
    let mut starting = UnionFind::new(n);
    let mut first_of_line: HashMap<StorylineId, usize> = HashMap::new();
    for (i, line) in items.lines.iter().enumerate() {
        if let Some(line) = line {
            starting.union(i, *first_of_line.entry(*line).or_insert(i));
        }
    }
    for (line, older) in &joined {
        if let (Some(&i), Some(&j)) = (first_of_line.get(line), items.index.get(older)) {
            starting.union(i, j);
        }
    }
    let initial: Vec<usize> = (0..n).map(|i| starting.find(i)).collect();
    let mut pairs: Vec<(usize, usize)> = candidates
        .iter()
        .filter_map(|&(a, b)| {
            let (a, b) = (*items.index.get(&a)?, *items.index.get(&b)?);
            Some((a.min(b), a.max(b)))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut pairs = cluster::scored_pairs(&items.centroids, &pairs);
    pairs.retain(|p| p.dot >= f64::from(rule.candidate_floor));
    let undated = vec![None; n];
    let reps =
        cluster::group_average(items.centroids.clone(), &undated, &initial, &pairs, &cluster::storyline_rule(rule));
    assign(w, &items, &reps, &joined, now)
}

/// A changed story's candidates are looked up by its heaviest this many
/// terms (a quarter of a centroid's 64, which hold most of its weight)...
const CANDIDATE_TERMS: usize = 16;

/// ...each read down to this many stored stories, those that weigh it
/// most: the work of finding a story's candidates is bounded whatever the
/// store's size and however common its terms.
const CANDIDATE_POSTINGS: usize = 64;

/// A stored centroid is weighed again, from its story's articles, once the
/// store counts this many times the documents it was weighed with: the
/// weight of a term follows how rare it is in the whole store, and a
/// young store learns that fast (a word in three of its first five
/// articles is still a distinctive one) while a grown one hardly moves.
/// Each story is weighed again a few times in its life, not at every add.
const REWEIGH_GROWTH: i64 = 2;

/// Weighs again, with the store's document frequencies now, the centroids
/// of `items` weighed when the store held less than a
/// [`REWEIGH_GROWTH`]th of its `documents`, and keeps them.
fn reweigh_stale(w: &Writer<'_>, items: &mut Items, documents: i64, config: &Config) -> Result<(), StoreError> {
    let stale: Vec<usize> =
        (0..items.stories.len()).filter(|&k| items.weighed_with[k] * REWEIGH_GROWTH < documents).collect();
    if stale.is_empty() {
        return Ok(());
    }
    let stories: Vec<StoryId> = stale.iter().map(|&k| items.stories[k]).collect();
    for (k, (story, centroid)) in stale.into_iter().zip(weigh_stories(w, &stories, config)?) {
        w.put_centroid(story, &centroid, documents)?;
        items.centroids[k] = centroid;
        items.weighed_with[k] = documents;
    }
    Ok(())
}

/// The centroids of `stories`, weighed from their articles' term counts
/// with the store's document frequencies now.
fn weigh_stories(w: &Writer<'_>, stories: &[StoryId], config: &Config) -> Result<Vec<(StoryId, Sparse)>, StoreError> {
    let counts: Vec<Vec<TermCounts>> = stories.iter().map(|&s| w.member_term_counts(s)).collect::<Result<_, _>>()?;
    let keys: TermSet = counts.iter().flatten().flat_map(TermCounts::df_keys).collect();
    let df = w.doc_freq(&keys)?.finish();
    Ok(stories
        .iter()
        .zip(&counts)
        .map(|(&story, counts)| {
            let sum = summed(counts.iter().map(|c| represent::weigh(c, &df, &config.represent).terms));
            (story, cluster::centroid(sum, config.storyline.max_terms))
        })
        .collect())
}

/// The stories of a storyline step: the changed ones, their candidates,
/// and every story of the storylines those are in, or that a merged-away
/// story leaves (a storyline takes part whole).
fn gather(
    w: &Writer<'_>,
    changed: &[(StoryId, Sparse)],
    candidates: &[(StoryId, StoryId)],
    joined: &[(StorylineId, StoryId)],
) -> Result<Items, StoreError> {
    let mut lines: BTreeSet<StorylineId> = joined.iter().map(|&(line, _)| line).collect();
    let stories: BTreeSet<StoryId> =
        changed.iter().map(|(s, _)| *s).chain(candidates.iter().map(|&(_, other)| other)).collect();
    for &story in &stories {
        lines.extend(w.storyline_of(story)?);
    }
    let mut items = Items::default();
    for &line in &lines {
        for member in w.line_stories(line)? {
            items.push(member.story, member.centroid, member.weighed_with, Some(line));
        }
    }
    let documents = w.counted_documents()?;
    for (story, centroid) in changed {
        items.push(*story, centroid.clone(), documents, None);
    }
    Ok(items)
}

/// Gives each cluster of `reps` its storyline: the oldest it holds (the
/// others merged into it, and with them the storylines that merged-away
/// stories leave to a member) or a new one dated by its first story.
fn assign(
    w: &Writer<'_>,
    items: &Items,
    reps: &[usize],
    joined: &[(StorylineId, StoryId)],
    now: &str,
) -> Result<LineChanges, StoreError> {
    let mut clusters: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &rep) in reps.iter().enumerate() {
        clusters.entry(rep).or_default().push(i);
    }
    let mut clusters: Vec<Vec<usize>> = clusters.into_values().collect();
    clusters.sort_unstable_by_key(|members| items.stories[members[0]]);
    let mut changes = LineChanges::default();
    for members in clusters {
        let mut known: BTreeSet<StorylineId> = members.iter().filter_map(|&i| items.lines[i]).collect();
        for (line, older) in joined {
            if items.index.get(older).is_some_and(|i| members.contains(i)) {
                known.insert(*line);
            }
        }
        let line = match known.first() {
            Some(&oldest) => {
                for &younger in known.iter().skip(1) {
                    w.merge_storyline(younger, oldest, now)?;
                    changes.merged.push((younger, oldest));
                }
                oldest
            }
            None => {
                let day = members.iter().map(|&i| items.stories[i].first_day).min().expect("a story");
                let line = w.new_storyline(day, now)?;
                changes.new.push(line);
                line
            }
        };
        for &i in members.iter().filter(|&&i| items.lines[i].is_none()) {
            w.set_storyline(items.stories[i], Some(line))?;
        }
    }
    Ok(changes)
}

/// Stories given their storylines at a time by [`backfill`]: each step
/// reads their articles' term counts and the store's frequencies of them.
const BACKFILL_STORIES: usize = 2048;

/// Gives every live story without a centroid (those of a store kept
/// before storylines were) its centroid and storyline, oldest first, as if
/// they had been added in that order: each story's vector weighed with the
/// store's document frequencies now. Returns how many it placed.
pub(super) fn backfill(w: &Writer<'_>, config: &Config, now: &str) -> Result<usize, StoreError> {
    let stories = w.stories_without_centroid()?;
    for chunk in stories.chunks(BACKFILL_STORIES) {
        let centroids = weigh_stories(w, chunk, config)?;
        place_storylines(w, centroids, &[], config, now)?;
    }
    let lines: BTreeSet<StorylineId> =
        stories.iter().map(|&s| w.storyline_of(s)).collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect();
    w.refresh_storylines(&lines, Some(now))?;
    Ok(stories.len())
}

/// The summed vector of each changed story of an add: its articles'
/// vectors (those the add read) added term by term, in term order.
pub(super) fn summed(vectors: impl Iterator<Item = impl AsRef<[(u64, f32)]>>) -> Sparse {
    let mut sum: HashMap<u64, f32> = HashMap::new();
    for v in vectors {
        for &(term, weight) in v.as_ref() {
            *sum.entry(term).or_insert(0.0) += weight;
        }
    }
    let mut sum: Sparse = sum.into_iter().collect();
    sum.sort_unstable_by_key(|&(term, _)| term);
    sum
}

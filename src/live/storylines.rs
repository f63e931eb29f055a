//! The storyline step of an add: the stories an add changed join the
//! storylines the store knows, or start new ones.
//!
//! Each changed story gets its centroid (its articles' summed vectors cut
//! to their heaviest terms, at unit length, as a batch run's storylines
//! take it, [`crate::cluster::centroid`]), kept in the store with its
//! terms' inverted list. The stored stories that share a changed one's
//! heaviest terms most, however old (a storyline spans months), are its
//! candidates; their storylines take part whole, each as one unit (the
//! kept sum of its stories' centroids, counted as that many stories:
//! [`crate::cluster::group_average_weighted`]), and the batch run's
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
use crate::store::{add_scaled, to_line_sum, SparseSum, StoreError, StoryId, StorylineId, Writer, INDEXED_TERMS};
use crate::union_find::UnionFind;

/// What the storyline step changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChanges {
    /// Storylines started.
    pub new: Vec<StorylineId>,
    /// Storylines merged into an older one: `(younger, older)`.
    pub merged: Vec<(StorylineId, StorylineId)>,
}

/// The units of one storyline step: each storyline taking part, whole,
/// as its stories' summed centroids and their number, and each changed
/// story not yet in a storyline, as its centroid.
#[derive(Default)]
struct Items {
    vectors: Vec<Sparse>,
    sizes: Vec<usize>,
    /// The storyline an item is (`None`: a story without one).
    lines: Vec<Option<StorylineId>>,
    /// The story an item is, for those without a storyline.
    stories: Vec<Option<StoryId>>,
    of_line: HashMap<StorylineId, usize>,
    of_story: HashMap<StoryId, usize>,
}

impl Items {
    fn item_of(&self, story: StoryId, line: Option<StorylineId>) -> Option<usize> {
        match line {
            Some(line) => self.of_line.get(&line).copied(),
            None => self.of_story.get(&story).copied(),
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
    // Each storyline's sum follows its stories' centroids.
    let mut deltas: HashMap<StorylineId, SparseSum> = HashMap::new();
    // A story merged away leaves its storyline to the story it joined.
    let mut joined: Vec<(StorylineId, StoryId)> = Vec::new();
    for &(younger, older) in merged {
        let line = w.storyline_of(younger)?;
        if let (Some(line), Some(old)) = (line, w.drop_centroid(younger)?) {
            add_scaled(deltas.entry(line).or_default(), &old, -1.0);
        }
        if let Some(line) = line {
            joined.push((line, older));
        }
        w.set_storyline(younger, None)?;
    }
    let mut line_of: HashMap<StoryId, Option<StorylineId>> = HashMap::new();
    let changed: Vec<(StoryId, Sparse)> =
        changed.into_iter().map(|(story, sum)| (story, cluster::centroid(sum, rule.max_terms))).collect();
    for (story, centroid) in &changed {
        let old = w.put_centroid(*story, centroid)?;
        let line = w.storyline_of(*story)?;
        if let Some(line) = line {
            let delta = deltas.entry(line).or_default();
            add_scaled(delta, centroid, 1.0);
            add_scaled(delta, &old.unwrap_or_default(), -1.0);
        }
        line_of.insert(*story, line);
    }
    // Like a batch run's nearest centroids: the stories most like each
    // changed one, found through its heaviest terms.
    let mut candidates: Vec<(StoryId, StoryId)> = Vec::new();
    let mut postings = HashMap::new();
    for (story, centroid) in &changed {
        let found = w.centroid_neighbours(centroid, INDEXED_TERMS, CANDIDATE_POSTINGS, &mut postings)?;
        let mut found: Vec<(StoryId, f64)> = found.into_iter().filter(|&(other, _)| other != *story).collect();
        found.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found.truncate(rule.neighbours);
        for (other, _) in found {
            if let std::collections::hash_map::Entry::Vacant(e) = line_of.entry(other) {
                e.insert(w.storyline_of(other)?);
            }
            candidates.push((*story, other));
        }
    }
    for (_, older) in &joined {
        if let std::collections::hash_map::Entry::Vacant(e) = line_of.entry(*older) {
            e.insert(w.storyline_of(*older)?);
        }
    }

    let items = gather(w, &changed, &line_of, &joined, &deltas)?;
    let n = items.vectors.len();
    let mut starting = UnionFind::new(n);
    for (line, older) in &joined {
        if let (Some(&i), Some(j)) = (items.of_line.get(line), items.item_of(*older, line_of[older])) {
            starting.union(i, j);
        }
    }
    let initial: Vec<usize> = (0..n).map(|i| starting.find(i)).collect();
    let mut pairs: Vec<(usize, usize)> = candidates
        .iter()
        .filter_map(|&(a, b)| {
            let (a, b) = (items.item_of(a, line_of[&a])?, items.item_of(b, line_of[&b])?);
            (a != b).then_some((a.min(b), a.max(b)))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let pairs = cluster::scored_pairs(&items.vectors, &pairs);
    let rule = cluster::storyline_rule(rule);
    let reps = cluster::group_average_weighted(items.vectors.clone(), &items.sizes, &initial, &pairs, &rule);
    assign(w, &items, &reps, &joined, &line_of, &deltas, now)
}

/// A changed story's candidates are found through its heaviest terms
/// ([`INDEXED_TERMS`]), each read down to this many stored stories, those
/// that weigh it most: the work of finding a story's candidates is bounded whatever the
/// store's size and however common its terms.
const CANDIDATE_POSTINGS: usize = 64;

/// The units of a storyline step: every storyline a changed story is in,
/// a candidate is in, or a merged-away story leaves (with this step's
/// `deltas` to its sum), and every changed story in none.
fn gather(
    w: &Writer<'_>,
    changed: &[(StoryId, Sparse)],
    line_of: &HashMap<StoryId, Option<StorylineId>>,
    joined: &[(StorylineId, StoryId)],
    deltas: &HashMap<StorylineId, SparseSum>,
) -> Result<Items, StoreError> {
    let mut lines: BTreeSet<StorylineId> = joined.iter().map(|&(line, _)| line).collect();
    lines.extend(line_of.values().flatten());
    let mut items = Items::default();
    for line in lines {
        let size = w.line_size(line)?;
        if size == 0 {
            // Its only story merged away: it follows that story (`assign`).
            continue;
        }
        let sum = w.line_sum_with(line, deltas.get(&line))?;
        items.of_line.insert(line, items.vectors.len());
        items.vectors.push(to_line_sum(&sum));
        items.sizes.push(size);
        items.lines.push(Some(line));
        items.stories.push(None);
    }
    for (story, centroid) in changed.iter().filter(|(story, _)| line_of[story].is_none()) {
        items.of_story.insert(*story, items.vectors.len());
        items.vectors.push(centroid.clone());
        items.sizes.push(1);
        items.lines.push(None);
        items.stories.push(Some(*story));
    }
    Ok(items)
}

/// Gives each cluster of `reps` its storyline: the oldest it holds (the
/// others merged into it, and with them the storylines that merged-away
/// stories leave to a member) or a new one dated by its first story; and
/// keeps each storyline's sum: its items' vectors summed.
fn assign(
    w: &Writer<'_>,
    items: &Items,
    reps: &[usize],
    joined: &[(StorylineId, StoryId)],
    line_of: &HashMap<StoryId, Option<StorylineId>>,
    deltas: &HashMap<StorylineId, SparseSum>,
    now: &str,
) -> Result<LineChanges, StoreError> {
    let mut clusters: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &rep) in reps.iter().enumerate() {
        clusters.entry(rep).or_default().push(i);
    }
    let mut clusters: Vec<Vec<usize>> = clusters.into_values().collect();
    clusters.sort_unstable();
    let mut changes = LineChanges::default();
    for members in clusters {
        let mut known: BTreeSet<StorylineId> = members.iter().filter_map(|&i| items.lines[i]).collect();
        let stories: Vec<StoryId> = members.iter().filter_map(|&i| items.stories[i]).collect();
        for (line, older) in joined {
            if items.item_of(*older, line_of[older]).is_some_and(|i| members.contains(&i)) {
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
                let day = stories.iter().map(|s| s.first_day).min().expect("a story");
                let line = w.new_storyline(day, now)?;
                changes.new.push(line);
                line
            }
        };
        for &story in &stories {
            w.set_storyline(story, Some(line))?;
        }
        if members.len() > 1 || known.len() > 1 || !stories.is_empty() || deltas.contains_key(&line) {
            let mut sum = SparseSum::new();
            for &i in &members {
                add_scaled(&mut sum, &items.vectors[i], 1.0);
            }
            w.put_line_sum(line, &to_line_sum(&sum))?;
        }
    }
    Ok(changes)
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

//! Storylines: stories joined by content over months or years.
//!
//! Owns [`StorylineConfig`] and [`storylines`], the stage after the stories:
//! each story's centroid (its articles' summed vectors, cut to their
//! heaviest terms, at unit length); candidate pairs of stories (their
//! nearest centroids by the dense projection, which `index` searches as
//! undated points: one exhaustive shard for a few thousand stories,
//! k-means content shards beyond, so never all pairs at scale); group-average
//! agglomeration of the stories as units ([`group_average`]) with no date
//! decay and a threshold of its own; and the storylines ranked and
//! numbered. It must not change a story: a storyline is a union of whole
//! stories, and the stories are read, never rebuilt.

use rayon::prelude::*;

use super::{group_average, scored_pairs, ClusterConfig, Clustering, Sparse, StorySums, Storyline};
use crate::index::{self, IndexConfig, ShardPlan};
use crate::represent::StoryVector;

/// Settings of the storyline rule.
#[derive(Clone, Debug)]
pub struct StorylineConfig {
    /// Group-average threshold over story centroids: two storylines merge
    /// while the mean cosine between the centroids of their stories, over
    /// all cross pairs of stories, is at least this. No date factor: a
    /// storyline may span years. Default: 0.03, the best mean B-cubed F1
    /// over the four dev sets labelled with storylines; chosen without
    /// each set in turn (leave-one-set-out), it is 0.025 or 0.03
    /// (QUALITY.md). Centroids of unrelated stories share almost no
    /// weighted terms, so a low mean already says "one topic".
    pub threshold: f32,
    /// A story's centroid keeps its heaviest this many terms: the terms
    /// that say what a topic is about, and a bound on each centroid's size
    /// and so on the agglomeration's work (a story of hundreds of articles
    /// would otherwise sum thousands of terms). Default: 64 (the dev sets
    /// score as at 100 or 300, within 0.015 on each; at 40, French loses
    /// 0.06).
    pub max_terms: usize,
    /// Nearest story centroids fetched from the index per story: the
    /// candidate pairs, when there are more than
    /// 2,048 stories (`EXHAUSTIVE_MAX_STORIES`; fewer are all paired).
    /// Default: 30.
    pub neighbours: usize,
    /// Candidate pairs of stories whose centroid cosine is below this do
    /// not make their storylines candidates: a pair that far below the
    /// threshold is noise, and at scale most nearest neighbours are (on 100k
    /// generated articles, 83% of the 30 nearest), each costing a rescoring
    /// at every merge. On the dev sets no storyline changes between 0 and
    /// 0.02. Default: 0.01, a third of the threshold (the story rule's
    /// floor is half of its thresholds).
    pub candidate_floor: f32,
}

impl Default for StorylineConfig {
    fn default() -> Self {
        StorylineConfig { threshold: 0.03, max_terms: 64, neighbours: 30, candidate_floor: 0.01 }
    }
}

/// Fills `clustering.storylines` from its stories, whose summed vectors are
/// `sums` (from [`super::stories_with_sums`]), whose articles were published
/// on `days`; the centroids are projected to `dims` dimensions and searched
/// with `index`'s settings.
pub fn storylines(
    clustering: &mut Clustering,
    sums: StorySums,
    days: &[Option<i64>],
    config: &StorylineConfig,
    index: &IndexConfig,
    dims: usize,
) {
    let centroids: Vec<Sparse> = sums.sums.into_par_iter().map(|sum| centroid(sum, config.max_terms)).collect();
    let pairs = candidate_pairs(&centroids, config.neighbours, index, dims);
    let mut scored = scored_pairs(&centroids, &pairs);
    drop(pairs);
    scored.retain(|pair| pair.dot >= f64::from(config.candidate_floor));
    let n = centroids.len();
    let undated = vec![None; n];
    let identity: Vec<usize> = (0..n).collect();
    let reps = group_average(centroids, &undated, &identity, &scored, &storyline_rule(config));
    clustering.storylines = ranked(clustering, &reps, days);
}

/// The story rule's settings that make [`group_average`] the storyline
/// rule: one threshold for any length (a centroid has many terms whatever
/// its articles' length), no date decay, and no attachment pass (a story
/// joins a storyline by the mean over its stories, not by fitting a
/// centroid of centroids).
pub fn storyline_rule(config: &StorylineConfig) -> ClusterConfig {
    ClusterConfig {
        threshold: config.threshold,
        short_threshold: config.threshold,
        attach_max_size: 0,
        date_spread_factor: 0.0,
        ..ClusterConfig::default()
    }
}

/// A story's centroid: its sum's heaviest `max_terms` terms (ties by term),
/// in term order, at unit length. Terms are ranks (a batch run's) or term
/// hashes (a store's), widened to the sparse vectors' type.
pub fn centroid<T: Copy + Ord + Into<u64>>(mut sum: Vec<(T, f32)>, max_terms: usize) -> Sparse {
    if sum.len() > max_terms {
        sum.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        sum.truncate(max_terms);
        sum.sort_unstable_by_key(|&(term, _)| term);
    }
    let norm = sum.iter().map(|&(_, w)| f64::from(w) * f64::from(w)).sum::<f64>().sqrt();
    let scale = if norm > 0.0 { (1.0 / norm) as f32 } else { 0.0 };
    sum.into_iter().map(|(term, w)| (term.into(), w * scale)).collect()
}

/// Up to this many stories, every pair of stories is a candidate (about
/// two million pairs at most, scored in a second): the storylines of a
/// small input do not depend on the index's reach.
const EXHAUSTIVE_MAX_STORIES: usize = 2048;

/// The pairs `(a, b)`, `a < b`, of stories: all of them up to
/// [`EXHAUSTIVE_MAX_STORIES`] stories, else those whose centroids are among
/// each other's `k` nearest, by their dense projections searched as
/// undated points.
fn candidate_pairs(centroids: &[Sparse], k: usize, config: &IndexConfig, dims: usize) -> Vec<(usize, usize)> {
    let n = centroids.len();
    if n < 2 {
        return Vec::new();
    }
    if n <= EXHAUSTIVE_MAX_STORIES {
        return (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).collect();
    }
    // Ranks are small consecutive integers: spread them over the hash
    // space the projection reads its dimensions and signs from.
    let dense: Vec<f32> = centroids
        .par_iter()
        .flat_map_iter(|c| {
            let terms = c.iter().map(|&(term, w)| (term.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ term, w)).collect();
            StoryVector { terms }.project(dims)
        })
        .collect();
    let undated = vec![None; n];
    let plan = ShardPlan::new(&undated, &dense, dims, config);
    let found = index::all_neighbours(&dense, dims, &plan, k, config);
    drop(dense);
    let mut pairs: Vec<(usize, usize)> = found
        .into_iter()
        .enumerate()
        .flat_map(|(a, list)| list.into_iter().filter(move |&(b, _)| b != a).map(move |(b, _)| (a.min(b), a.max(b))))
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// The storylines of `clustering`'s stories, `reps[k]` naming story `k`'s
/// storyline by a representative story: ranked by articles, then by
/// smallest article index; each with its stories in time order (first
/// known day of `days`, undated last, then story rank).
fn ranked(clustering: &Clustering, reps: &[usize], days: &[Option<i64>]) -> Vec<Storyline> {
    let stories = &clustering.stories;
    let first_day: Vec<Option<i64>> = stories.iter().map(|s| s.members.iter().filter_map(|&m| days[m]).min()).collect();
    let mut lines: Vec<Vec<usize>> = vec![Vec::new(); stories.len()];
    for (k, &rep) in reps.iter().enumerate() {
        lines[rep].push(k);
    }
    let mut lines: Vec<(usize, usize, Vec<usize>)> = lines
        .into_iter()
        .filter(|line| !line.is_empty())
        .map(|mut line| {
            let articles = line.iter().map(|&k| stories[k].members.len()).sum();
            let smallest = line.iter().map(|&k| stories[k].members[0]).min().expect("a story");
            line.sort_by_key(|&k| (first_day[k].is_none(), first_day[k], k));
            (articles, smallest, line)
        })
        .collect();
    lines.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    lines
        .into_iter()
        .enumerate()
        .map(|(rank, (_, _, stories))| Storyline { id: format!("l{}", rank + 1), stories })
        .collect()
}

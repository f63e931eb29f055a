//! Story clustering: which articles report the same event.
//!
//! Owns [`Clustering`], [`Story`], [`DupGroup`] and [`Link`] (the result),
//! [`Pair`] (a scored candidate pair), [`ClusterConfig`], the rule that
//! turns candidate pairs into clusters ([`group_average`]) and the stage
//! around it ([`stories`]: the index's neighbours rescored, clustered and
//! assembled into ranked stories). It must not read texts or name hnsw_rs
//! types: it sees article indices, vectors and scores.
//!
//! | file | responsibility |
//! |---|---|
//! | `mod.rs` | the public types, [`stories`] (the stage) and [`group_average`] (the story rule) |
//! | `candidates.rs` | `Candidates`: the index's neighbours rescored exactly, each pair once, and the pairs above the floor |
//! | `config.rs` | [`ClusterConfig`] (every default), [`story_time_scale`] and the date window fitted to it |
//! | `agglomeration.rs` | `Agglomeration`: starting clusters, candidates and their dot products, the merge loop, the attachment of small clusters |
//! | `merge_queue.rs` | `MergeQueue`: the order of merges (sorted start, heap, stale-pair pruning), `Versions` |
//! | `sums.rs` | cluster sums and their dot products to the bit: `sparse_add`, `sum_dot`, `rank_terms`, `Scatter` |
//! | `prefetch.rs` | cache prefetch hints for the merge loop |
//! | `assemble.rs` | `assemble`: stories from the clusters, ranked, with their links and duplicate groups; [`dup_groups`] |
//! | `tests.rs` | unit tests |

mod agglomeration;
mod assemble;
mod candidates;
mod config;
mod merge_queue;
mod prefetch;
mod sums;

use rayon::prelude::*;
use serde::Serialize;

use crate::fingerprint::DupGroups;
use crate::represent::{sparse_dot, StoryVector};
use agglomeration::Agglomeration;
pub use assemble::dup_groups;
use assemble::{assemble, dup_links};
use candidates::Candidates;
pub use config::{story_time_scale, ClusterConfig, MIN_CONFIDENT_PAIRS};
use merge_queue::MIN_PRUNED_HEAP;

/// A scored pair of articles (indices into the article list).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Link {
    /// The first article index (the smaller one).
    pub a: usize,
    /// The second article index.
    pub b: usize,
    /// The similarity that justified the link, in 0..=1.
    pub score: f32,
}

/// A candidate pair of items for [`group_average`], with the dot product of
/// their vectors exactly as [`sparse_dot`] gives it. The caller has usually
/// computed it already to rescore the pair; [`scored_pairs`] computes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// One item's index.
    pub a: usize,
    /// The other item's index.
    pub b: usize,
    /// `sparse_dot(vectors[a], vectors[b])`.
    pub dot: f64,
}

/// The pairs `(a, b)` of `vectors` with their dot products.
pub fn scored_pairs(vectors: &[Sparse], pairs: &[(usize, usize)]) -> Vec<Pair> {
    pairs.par_iter().map(|&(a, b)| Pair { a, b, dot: sparse_dot(&vectors[a], &vectors[b]) }).collect()
}

/// A group of near-duplicate copies of one text inside a story.
#[derive(Clone, Debug, Serialize)]
pub struct DupGroup {
    /// A stable id (`d1`, `d2`, …: ranked by size, then by smallest article id).
    pub id: String,
    /// Article indices, sorted by article id.
    pub members: Vec<usize>,
    /// The links (estimated resemblance) that joined the group.
    pub links: Vec<Link>,
}

/// Articles that report one event.
#[derive(Clone, Debug, Serialize)]
pub struct Story {
    /// A stable id (`s1`, `s2`, …: ranked by size, then by smallest article id).
    pub id: String,
    /// Article indices, sorted by article id.
    pub members: Vec<usize>,
    /// Near-duplicate groups of two or more members.
    pub dup_groups: Vec<DupGroup>,
    /// The story-similarity links between members that the clustering used.
    pub links: Vec<Link>,
}

/// The result of clustering: every article is in exactly one story.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Clustering {
    /// Stories, largest first, ties broken by smallest article id.
    pub stories: Vec<Story>,
}

/// A sparse vector: `(term, weight)` pairs sorted by term.
pub type Sparse = Vec<(u64, f32)>;

/// The stories of articles published on `days`, with near-duplicate groups
/// `dups`, story `vectors` and the `neighbours` the index found for each
/// (article index, approximate similarity): the neighbours rescored into
/// candidates (each pair once, exactly scored), [`group_average`] over the
/// pairs above [`ClusterConfig::candidate_floor`], and the clusters
/// assembled into stories with stable ids, ranked by size.
pub fn stories(
    days: &[Option<i64>],
    dups: &DupGroups,
    vectors: Vec<StoryVector>,
    neighbours: Vec<Vec<(usize, f32)>>,
    config: &ClusterConfig,
) -> Clustering {
    stories_from(days, dups, &dups.group_of, None, vectors, neighbours, config)
}

/// [`stories`], with articles that start together: `initial[i]` is a
/// representative of article `i`'s starting group, which must hold its
/// whole near-duplicate group (the copies of `dups`). Starting groups are
/// never split: a story store starts each known story whole, so that an
/// article added later joins a story, or stories merge, but no article
/// ever leaves one. With `new`, only clusters holding a new article
/// (`new[i]`) take part in decisions (see [`group_average_of_new`]).
pub fn stories_from(
    days: &[Option<i64>],
    dups: &DupGroups,
    initial: &[usize],
    new: Option<&[bool]>,
    vectors: Vec<StoryVector>,
    neighbours: Vec<Vec<(usize, f32)>>,
    config: &ClusterConfig,
) -> Clustering {
    let candidates = Candidates::rescore(days, &vectors, neighbours, config);
    let sparse: Vec<Sparse> = vectors.into_iter().map(|v| v.terms).collect();
    let reps = group_average_of_new(sparse, days, initial, new, &candidates.pairs, config);
    assemble(&reps, &dups.group_of, &candidates.links, &dup_links(dups))
}

/// Stories from a clustering already decided: `reps[i]` is a
/// representative of article `i`'s story, `group_of[i]` of its
/// near-duplicate group (inside the story), with the story and copy links
/// kept between members. Ranked and numbered as [`stories`] ranks them.
pub(crate) fn assemble_stories(
    reps: &[usize],
    group_of: &[usize],
    story_links: &[Link],
    copy_links: &[Link],
) -> Clustering {
    assemble(reps, group_of, story_links, copy_links)
}

/// Group-average agglomerative clustering (UPGMA: Sokal and Michener, 1958)
/// over candidate pairs.
///
/// The similarity of clusters `A` and `B` is the mean cosine over all their
/// cross pairs, which for unit vectors is exactly `S_A · S_B / (|A| |B|)`
/// with `S` the sum of a cluster's vectors: no pair is left out, however
/// large the clusters grow. It is scaled by [`ClusterConfig::date_factor`]
/// of the gap between the clusters' publication-date spans. Clusters merge,
/// best pair first (by margin over their threshold), while that score is at
/// least [`ClusterConfig::threshold_for`] their mean terms per article; only clusters
/// joined by a candidate pair (from the nearest-neighbour index) are ever
/// compared.
///
/// Group average, unlike single link, does not chain: one strong pair cannot
/// pull two groups together when most of their cross pairs are unrelated.
/// `initial[i]` is the representative of item `i`'s starting group
/// (near-duplicate groups start merged). Ties are broken by the smallest
/// item indices, so the result depends only on the vectors and the item
/// order. A final pass attaches small clusters to a larger neighbour they
/// fit (see [`ClusterConfig::attach_threshold`]). Returns a representative
/// of each item's cluster (the same for all its members).
pub fn group_average(
    vectors: Vec<Sparse>,
    days: &[Option<i64>],
    initial: &[usize],
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
) -> Vec<usize> {
    group_average_of_new(vectors, days, initial, None, candidate_pairs, config)
}

/// [`group_average`] deciding only about clusters that hold a new item
/// (`new[i]`, when given): two starting groups without one never merge,
/// and only a cluster with one is offered to a larger cluster in the
/// attachment pass. A story store passes its known stories as starting
/// groups and marks the batch's articles as new: known stories were
/// compared when their articles came, and comparing them again at every
/// add, each time with slightly different term weights, would merge any
/// pair whose score ever strays over the threshold, and attach any small
/// story that ever strays near a large one.
pub fn group_average_of_new(
    vectors: Vec<Sparse>,
    days: &[Option<i64>],
    initial: &[usize],
    new: Option<&[bool]>,
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
) -> Vec<usize> {
    group_average_pruning_at(vectors, days, initial, new, candidate_pairs, config, MIN_PRUNED_HEAP)
}

/// [`group_average`], with stale pairs pruned from the merge heap once it
/// holds twice `min_pruned` pairs (or twice as many as after the last
/// pruning, if more). Pruning must not change a single merge.
fn group_average_pruning_at(
    vectors: Vec<Sparse>,
    days: &[Option<i64>],
    initial: &[usize],
    new: Option<&[bool]>,
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
    min_pruned: usize,
) -> Vec<usize> {
    let config = config.fitted_to_time_scale(story_time_scale(days, initial, candidate_pairs, config));
    let mut agglomeration = Agglomeration::new(vectors, days, initial, new, candidate_pairs, &config);
    agglomeration.merge_all(min_pruned);
    agglomeration.attach_small_clusters();
    agglomeration.representatives()
}

#[cfg(test)]
mod tests;

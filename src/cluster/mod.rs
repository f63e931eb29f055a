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
//! | `settle.rs` | `settle_known`: where a story store's known stories end when their recent articles started loose |
//! | `watch.rs` | `PairWatch`: one pair of items followed through the merges and the attachment pass, for `explain` ([`PairTrace`]) |
//! | `storyline.rs` | [`storylines`] and [`StorylineConfig`]: stories joined into storylines by content, with no date decay |
//! | `assemble.rs` | `assemble`: stories from the clusters, ranked, with their links and duplicate groups; [`dup_groups`] |
//! | `tests.rs` | unit tests |

mod agglomeration;
mod assemble;
mod candidates;
mod config;
mod merge_queue;
mod prefetch;
mod settle;
mod storyline;
mod sums;
mod watch;

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
pub use storyline::{centroid, storyline_rule, storylines, StorylineConfig};
pub use watch::{Attachment, ClusterScore, PairTrace};

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

/// Stories that follow one developing topic over months or years (a
/// trial, a war's aftermath): a union of whole stories.
#[derive(Clone, Debug, Serialize)]
pub struct Storyline {
    /// A stable id (`l1`, `l2`, …: ranked by articles, then by smallest
    /// article id).
    pub id: String,
    /// Indices into [`Clustering::stories`], in time order (by first known
    /// publication day, undated stories last, then by story rank).
    pub stories: Vec<usize>,
}

/// The result of clustering: every article is in exactly one story, and
/// (when storylines were computed) every story in exactly one storyline.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Clustering {
    /// Stories, largest first, ties broken by smallest article id.
    pub stories: Vec<Story>,
    /// Storylines, largest first (by articles), ties broken by smallest
    /// article id; empty when none were computed (a story store's stories).
    pub storylines: Vec<Storyline>,
}

impl Clustering {
    /// The storyline (index into [`Clustering::storylines`]) of each story,
    /// `None` when storylines were not computed.
    pub fn storyline_of_stories(&self) -> Vec<Option<usize>> {
        let mut of = vec![None; self.stories.len()];
        for (l, line) in self.storylines.iter().enumerate() {
            for &s in &line.stories {
                of[s] = Some(l);
            }
        }
        of
    }
}

/// Each story's sum of its articles' vectors, in story order, with terms as
/// ranks (consistent across stories, not term hashes), from
/// [`stories_with_sums`]: what [`storylines`] starts from.
pub struct StorySums {
    /// The sums, `sums[k]` of `Clustering::stories[k]`.
    pub sums: Vec<Vec<(u32, f32)>>,
}

/// [`stories`], also returning each story's sum of its articles' vectors,
/// which the agglomeration holds at its end anyway.
pub fn stories_with_sums(
    days: &[Option<i64>],
    dups: &DupGroups,
    vectors: Vec<StoryVector>,
    neighbours: Vec<Vec<(usize, f32)>>,
    config: &ClusterConfig,
) -> (Clustering, StorySums) {
    let starts = Starts { initial: &dups.group_of, new: None, sizes: None, known: None };
    let days = &copies_dated_by_first(days, &dups.group_of);
    let candidates = Candidates::rescore(days, &vectors, neighbours, config);
    let sparse: Vec<Sparse> = vectors.into_iter().map(|v| v.terms).collect();
    let (reps, sums, _) = agglomerate(sparse, days, starts, &candidates.pairs, config, MIN_PRUNED_HEAP, None, true);
    let mut sums = sums.expect("sums kept");
    let clustering = assemble(&reps, &dups.group_of, &candidates.links, &dup_links(dups));
    let sums = clustering.stories.iter().map(|story| std::mem::take(&mut sums[reps[story.members[0]]])).collect();
    (clustering, StorySums { sums })
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
/// never split. With `new`, only clusters holding a new article
/// (`new[i]`) are attached in the final pass (see [`group_average_of_new`]).
pub fn stories_from(
    days: &[Option<i64>],
    dups: &DupGroups,
    initial: &[usize],
    new: Option<&[bool]>,
    vectors: Vec<StoryVector>,
    neighbours: Vec<Vec<(usize, f32)>>,
    config: &ClusterConfig,
) -> Clustering {
    let starts = Starts { initial, new, sizes: None, known: None };
    stories_watching(days, dups, starts, vectors, neighbours, config, None).0
}

/// [`stories_from`] for a story store, whose known stories need not start
/// whole: `known[i]` is the known story (any index) of stored article `i`,
/// `None` for an article of the batch (`new[i]`). A stored article that
/// starts apart from the rest of its story leaves it only in a cluster
/// holding an article of the batch, and only when it is closer to that
/// cluster than to its story; otherwise it goes back (`settle.rs`). The
/// date window is fitted to the input with each known story counted
/// whole, as when it formed.
#[allow(clippy::too_many_arguments)]
pub fn stories_of_store(
    days: &[Option<i64>],
    dups: &DupGroups,
    initial: &[usize],
    new: &[bool],
    known: &[Option<usize>],
    vectors: Vec<StoryVector>,
    neighbours: Vec<Vec<(usize, f32)>>,
    config: &ClusterConfig,
) -> Clustering {
    let starts = Starts { initial, new: Some(new), sizes: None, known: Some(known) };
    stories_watching(days, dups, starts, vectors, neighbours, config, None).0
}

/// Where an agglomeration starts: each item's starting group (`initial[i]`
/// is its representative) and, for a story store, which items are new (see
/// [`group_average_of_new`]).
#[derive(Clone, Copy)]
pub(crate) struct Starts<'a> {
    pub(crate) initial: &'a [usize],
    pub(crate) new: Option<&'a [bool]>,
    /// How many items each item stands for (one each when `None`): an
    /// item may be a whole known group, given by its sum.
    pub(crate) sizes: Option<&'a [usize]>,
    /// For a story store whose known stories do not all start whole: each
    /// stored item's known story (any index), `None` for a new one; the
    /// clusters are then settled by [`settle::settle_known`] (requires
    /// `new`).
    pub(crate) known: Option<&'a [Option<usize>]>,
}

/// What [`stories_watching`] saw of its watched pair of articles.
pub(crate) struct WatchedPair {
    /// The candidate link between the two articles' group representatives
    /// (the articles the index holds), when the index found it; it takes
    /// part in clustering when its score reaches
    /// [`ClusterConfig::candidate_floor`].
    pub(crate) candidate: Option<Link>,
    /// What the agglomeration did with the pair.
    pub(crate) trace: PairTrace,
}

/// [`stories_from`], following the articles `watch` through the
/// agglomeration (for `explain`), which changes no result.
pub(crate) fn stories_watching(
    days: &[Option<i64>],
    dups: &DupGroups,
    starts: Starts<'_>,
    vectors: Vec<StoryVector>,
    neighbours: Vec<Vec<(usize, f32)>>,
    config: &ClusterConfig,
    watch: Option<(usize, usize)>,
) -> (Clustering, Option<WatchedPair>) {
    let days = &copies_dated_by_first(days, &dups.group_of);
    let candidates = Candidates::rescore(days, &vectors, neighbours, config);
    let sparse: Vec<Sparse> = vectors.into_iter().map(|v| v.terms).collect();
    let (reps, _, trace) = agglomerate(sparse, days, starts, &candidates.pairs, config, MIN_PRUNED_HEAP, watch, false);
    let watched = watch.zip(trace).map(|((a, b), trace)| {
        let (x, y) = (dups.group_of[a], dups.group_of[b]);
        let key = (x.min(y), x.max(y));
        let candidate =
            candidates.links.binary_search_by(|link| (link.a, link.b).cmp(&key)).ok().map(|i| candidates.links[i]);
        WatchedPair { candidate, trace }
    });
    (assemble(&reps, &dups.group_of, &candidates.links, &dup_links(dups)), watched)
}

/// The day each article counts as published on when stories are formed:
/// the first publication day of its near-duplicate group (`group_of[i]`
/// its representative). A copy published days after the report it copies
/// is that report again, not later news of the event. Dated by their own
/// days, syndicated copies of one day's market report republished the
/// next day made their group span both days, and with it every story of
/// either day could join it: the date window, however narrow, no longer
/// parted two days' reports. Undated articles stay undated.
pub(crate) fn copies_dated_by_first(days: &[Option<i64>], group_of: &[usize]) -> Vec<Option<i64>> {
    let mut first: Vec<Option<i64>> = vec![None; days.len()];
    for (i, &day) in days.iter().enumerate() {
        let group = &mut first[group_of[i]];
        *group = match (*group, day) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    days.iter().enumerate().map(|(i, day)| day.and(first[group_of[i]])).collect()
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

/// Two groups of items against the merge rule, scored as the
/// agglomeration scores two clusters ([`ClusterScore`]): the mean cosine
/// over all their cross pairs, from the sums of their vectors, times the
/// date factor of the gap between their publication-date spans, against
/// the threshold for their mean terms per article. Items `..split` of
/// `vectors` (published on `days`) are the first group, the others the
/// second. The date window is `config`'s as given: no input measures a
/// time scale to fit it to.
///
/// # Panics
/// If either group is empty.
pub(crate) fn score_groups(
    vectors: Vec<Sparse>,
    days: &[Option<i64>],
    split: usize,
    config: &ClusterConfig,
) -> ClusterScore {
    assert!(0 < split && split < vectors.len(), "score_groups: two groups of at least one item");
    let initial: Vec<usize> = (0..vectors.len()).map(|i| if i < split { 0 } else { split }).collect();
    let pair = Pair { a: 0, b: split, dot: sparse_dot(&vectors[0], &vectors[split]) };
    let agglomeration = Agglomeration::new(vectors, days, &initial, None, None, &[pair], config);
    agglomeration.pair_score([0, split]).expect("the two groups are candidates of each other")
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

/// [`group_average`] offering only the clusters that hold a new item
/// (`new[i]`, when given) to a larger cluster in the attachment pass. A
/// story store passes its known stories as starting groups and marks the
/// batch's articles as new. Merges are decided as always (the mean over
/// every cross pair is robust to the small changes of term weights from one
/// add to the next, and new articles can show that two known stories are
/// one); but the attachment pass, which lets a small cluster join the
/// larger one whose centroid it fits, would otherwise offer each small
/// known story again at every add, each time with slightly different
/// weights, and attach any that ever strays near a large story. On the
/// DUC 2003 events added day by day, offering every cluster again cut
/// B-cubed precision from 0.790 to 0.708.
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
    let starts = Starts { initial, new, sizes: None, known: None };
    agglomerate(vectors, days, starts, candidate_pairs, config, min_pruned, None, false).0
}

/// [`group_average`] over undated items each standing for `sizes[i]`
/// items, whose vector is their sum (a known group given whole without its
/// members): the mean cross-pair similarity of two clusters is their sums'
/// dot product over the product of their sizes, as if every member were
/// there.
pub fn group_average_weighted(
    vectors: Vec<Sparse>,
    sizes: &[usize],
    initial: &[usize],
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
) -> Vec<usize> {
    let undated = vec![None; vectors.len()];
    let starts = Starts { initial, new: None, sizes: Some(sizes), known: None };
    agglomerate(vectors, &undated, starts, candidate_pairs, config, MIN_PRUNED_HEAP, None, false).0
}

/// Cluster sums with terms as ranks, at each final cluster's
/// representative (see `Agglomeration::into_sums`).
type RankedSums = Vec<Vec<(u32, f32)>>;

/// [`group_average_pruning_at`], following the items `watch` (if any)
/// through the merges and the attachment pass: the same representatives,
/// what happened to the pair, and with `keep_sums` the final clusters'
/// sums.
#[allow(clippy::too_many_arguments)]
fn agglomerate(
    vectors: Vec<Sparse>,
    days: &[Option<i64>],
    starts: Starts<'_>,
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
    min_pruned: usize,
    watch: Option<(usize, usize)>,
    keep_sums: bool,
) -> (Vec<usize>, Option<RankedSums>, Option<PairTrace>) {
    // A store's known stories count whole, as they did when they formed:
    // the pairs inside one tell nothing new of how long stories last.
    let whole = starts.known.map(|known| whole_known_stories(starts.initial, known));
    let time_scale = story_time_scale(days, whole.as_deref().unwrap_or(starts.initial), candidate_pairs, config);
    let config = config.fitted_to_time_scale(time_scale);
    let items = starts.known.map(|_| vectors.clone());
    let mut agglomeration =
        Agglomeration::new(vectors, days, starts.initial, starts.new, starts.sizes, candidate_pairs, &config);
    if let Some((a, b)) = watch {
        agglomeration.watch(a, b);
    }
    agglomeration.merge_all(min_pruned);
    agglomeration.attach_small_clusters();
    let trace = agglomeration.take_trace().map(|trace| PairTrace { time_scale, ..trace });
    if keep_sums {
        let (reps, sums) = agglomeration.into_sums();
        (reps, Some(sums), trace)
    } else {
        let mut reps = agglomeration.representatives();
        if let (Some(known), Some(items)) = (starts.known, items) {
            let new = starts.new.expect("a store's new items");
            settle::settle_known(&mut reps, settle::Items { known, new, vectors: &items, days }, &config);
        }
        (reps, None, trace)
    }
}

/// The starting groups `initial` with each known story's items (`known`)
/// in one group: each item's representative.
fn whole_known_stories(initial: &[usize], known: &[Option<usize>]) -> Vec<usize> {
    let mut groups = crate::union_find::UnionFind::new(initial.len());
    let mut first_of: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (i, &rep) in initial.iter().enumerate() {
        groups.union(i, rep);
        if let Some(k) = known[i] {
            groups.union(i, *first_of.entry(k).or_insert(i));
        }
    }
    (0..initial.len()).map(|i| groups.find(i)).collect()
}

#[cfg(test)]
mod tests;

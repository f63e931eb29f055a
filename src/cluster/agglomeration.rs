//! The merge itself: group-average agglomeration over candidate pairs.
//!
//! Owns [`Agglomeration`] (the clusters, who owns each item, the queue of
//! pairs) and [`Cluster`] (one cluster's sum `S`, size, terms, date span and
//! candidates with their dot products). Its steps, in order: gather the
//! starting clusters, list their candidates, seed the candidates' dot
//! products, queue the pairs that reach their threshold, merge best pair
//! first ([`Agglomeration::merge_all`]), attach small clusters
//! ([`Agglomeration::attach_small_clusters`]), resolve each item's cluster.
//! It must not see texts, ids or hnsw_rs types: items are indices, and the
//! settings come already fitted to the input's time scale.

use rayon::prelude::*;

use super::merge_queue::{MergeQueue, QueuedPair, Versions};
use super::prefetch::{prefetch_slice, prefetch_value};
use super::sums::{rank_terms, sparse_add, sum_dot, Scatter};
use super::watch::{Attachment, ClusterScore, PairTrace, PairWatch};
use super::{ClusterConfig, Pair, Sparse};
use crate::represent::sparse_dot;

/// Bytes of a candidate's sum prefetched before a dot product with it: the
/// dot reads the sum from the start, and 1 KiB (128 terms) holds a single
/// article's whole sum (50 terms at most) and the start of a larger one.
const PREFETCH_SUM_BYTES: usize = 1024;

/// Bytes of each of a candidate's lists (candidates, dots) prefetched before
/// a merge updates them: 256 bytes hold 32 entries, about a single article's
/// list (30 neighbours by default); a longer list also gets its middle line
/// prefetched, where its binary search starts.
const PREFETCH_LIST_BYTES: usize = 256;

/// The smallest norm a cluster's sum is given in the attachment pass, so
/// that a sum without terms fits nothing (its dot products are zero) instead
/// of dividing by zero.
const MIN_NORM: f64 = 1e-12;

/// One cluster during agglomeration.
struct Cluster {
    /// The sum of the members' unit vectors (`S` in [`super::group_average`]),
    /// its terms as ranks ([`rank_terms`]).
    sum: Vec<(u32, f32)>,
    /// Number of members.
    size: usize,
    /// The total number of terms of the members' vectors.
    terms: usize,
    /// Earliest and latest known publication day.
    days: Option<(i64, i64)>,
    /// Whether it holds a new item (see [`Agglomeration::new`]'s `new`):
    /// only such a cluster is offered to a larger one in the attachment
    /// pass.
    new: bool,
    /// Clusters this one may merge with (found through the index), sorted.
    candidates: Vec<usize>,
    /// `S · S_x` for each candidate `x`, in the same order.
    dots: Vec<f64>,
}

impl Cluster {
    fn empty() -> Cluster {
        Cluster { sum: Vec::new(), size: 0, terms: 0, days: None, new: false, candidates: Vec::new(), dots: Vec::new() }
    }

    /// Takes in the members, sum and dates of `other` (not its candidates).
    fn absorb(&mut self, other: &Cluster) {
        self.sum = sparse_add(&self.sum, &other.sum);
        self.size += other.size;
        self.terms += other.terms;
        self.days = span_union(self.days, other.days);
        self.new |= other.new;
    }
}

/// The span of days covering both spans (an unknown span adds nothing).
fn span_union(x: Option<(i64, i64)>, y: Option<(i64, i64)>) -> Option<(i64, i64)> {
    match (x, y) {
        (Some((lo_x, hi_x)), Some((lo_y, hi_y))) => Some((lo_x.min(lo_y), hi_x.max(hi_y))),
        (x, None) => x,
        (None, y) => y,
    }
}

/// How a pair of clusters stands against the merge rule.
#[derive(Clone, Copy)]
pub(super) struct Standing {
    /// The mean cosine over the cross pairs, times the date factor.
    pub(super) similarity: f64,
    /// The merge threshold for the pair's terms per article.
    pub(super) threshold: f64,
}

impl Standing {
    /// Whether the pair may merge: its similarity reaches its threshold.
    /// This is `margin() >= 0.0` to the bit: the similarity is finite (a dot
    /// of finite sums, divided by sizes of at least one, times a factor in
    /// 0..=1), and for a finite `x` and any `y`, `x - y >= 0.0` exactly when
    /// `x >= y` (a difference of two floats is exactly zero only when they
    /// are equal; NaN fails both).
    #[inline]
    pub(super) fn may_merge(self) -> bool {
        self.similarity >= self.threshold
    }

    /// How far the similarity passes the threshold: the one scale on which
    /// pairs of any text length are ranked.
    #[inline]
    pub(super) fn margin(self) -> f64 {
        self.similarity - self.threshold
    }
}

/// What a merge reuses from one merge to the next.
struct MergeScratch {
    /// One table for each side of a merge, for the dots that side lacks.
    scatter: [Scatter; 2],
    /// The merged cluster's candidates with the dot each side has cached.
    merged: Vec<(usize, Option<f64>, Option<f64>)>,
}

/// Group-average agglomeration in progress; [`super::group_average`] runs
/// it. Clusters sit at the index of their starting group's representative,
/// and a merge keeps the smaller index of the two.
///
/// Invariants between steps: each cluster's candidates are sorted and
/// distinct, `x` lists `y` exactly when `y` lists `x`, and `dots[k]` is
/// `S · S_x` for `x = candidates[k]` (after merges, as the sum of the two
/// sides' dots, which may differ from [`sum_dot`] in the last bits; every
/// run adds them in the same order).
pub(super) struct Agglomeration<'c> {
    /// The settings, fitted to the input's time scale.
    config: &'c ClusterConfig,
    /// For each item, the cluster it went into: its starting group's
    /// representative, then, for a representative, the cluster that
    /// absorbed it (or that it attached to). Followed to the end, the item's
    /// final cluster.
    owner: Vec<usize>,
    /// The clusters by index; `None` where no cluster started or where one
    /// was absorbed.
    clusters: Vec<Option<Cluster>>,
    /// Which queued pairs are still current.
    versions: Versions,
    /// The number of distinct terms (one more than the largest rank).
    n_terms: usize,
    /// A pair of items followed for `explain` ([`Agglomeration::watch`]),
    /// usually none.
    watch: Option<Box<PairWatch>>,
}

impl<'c> Agglomeration<'c> {
    /// The starting clusters (`initial[i]` is the representative of item
    /// `i`'s starting group), their candidates (clusters joined by a pair of
    /// `candidate_pairs`) and each candidate's dot product. With `new`, only
    /// the clusters holding a new item (`new[i]`) are offered to a larger
    /// cluster in the attachment pass; without it, every item is new.
    pub(super) fn new(
        vectors: Vec<Sparse>,
        days: &[Option<i64>],
        initial: &[usize],
        new: Option<&[bool]>,
        sizes: Option<&[usize]>,
        candidate_pairs: &[Pair],
        config: &'c ClusterConfig,
    ) -> Agglomeration<'c> {
        let (vectors, n_terms) = rank_terms(vectors);
        let n_items = vectors.len();
        assert!(u32::try_from(n_items).is_ok(), "group_average: more than 2^32 items");
        let owner = initial.to_vec();
        let mut clusters = gather_clusters(vectors, days, &owner, sizes);
        for (item, &rep) in owner.iter().enumerate() {
            clusters[rep].as_mut().expect("cluster").new |= new.is_none_or(|new| new[item]);
        }
        let versions = Versions::new(clusters.iter().map(Option::is_some));
        let mut agglomeration = Agglomeration { config, owner, clusters, versions, n_terms, watch: None };
        agglomeration.list_candidates(candidate_pairs);
        agglomeration.seed_dots();
        agglomeration
    }

    /// Gives each cluster the clusters its members' pairs reach, sorted, each
    /// with the pair's dot product (the clusters' own when both are single
    /// items; seeded for the others by [`Agglomeration::seed_dots`]).
    /// After it: candidates sorted, distinct and symmetric.
    fn list_candidates(&mut self, candidate_pairs: &[Pair]) {
        for &Pair { a, b, dot } in candidate_pairs {
            let (cluster_a, cluster_b) = (self.owner[a], self.owner[b]);
            if cluster_a != cluster_b {
                for (cluster, candidate) in [(cluster_a, cluster_b), (cluster_b, cluster_a)] {
                    let cluster = self.clusters[cluster].as_mut().expect("cluster");
                    cluster.candidates.push(candidate);
                    cluster.dots.push(dot);
                }
            }
        }
        self.clusters.par_iter_mut().flatten().for_each(|cluster| {
            let mut both: Vec<(usize, f64)> =
                cluster.candidates.iter().copied().zip(cluster.dots.iter().copied()).collect();
            both.sort_unstable_by_key(|&(x, _)| x);
            both.dedup_by_key(|&mut (x, _)| x);
            (cluster.candidates, cluster.dots) = both.into_iter().unzip();
        });
    }

    /// Sets every candidate's dot to `S · S_x`, each pair's computed once,
    /// by its smaller cluster. The merges keep these up to date
    /// (`S_{A∪B} · S_X = S_A · S_X + S_B · S_X`), so a merge computes dots
    /// with the smaller side only, never with the grown cluster.
    /// After it: every `dots[k]` is `S · S_x`, the invariant merges keep.
    fn seed_dots(&mut self) {
        let clusters = &self.clusters;
        // Both lists stay in candidate order: clusters are visited in
        // ascending order, and a pair's dot is pushed to the later one's.
        let later_dots: Vec<Vec<f64>> = clusters
            .par_iter()
            .enumerate()
            .map(|(a, cluster)| match cluster {
                Some(cluster) => cluster
                    .candidates
                    .iter()
                    .zip(&cluster.dots)
                    .filter(|&(&x, _)| x > a)
                    .map(|(&x, &pair_dot)| {
                        let cluster_x = clusters[x].as_ref().expect("cluster");
                        if cluster.size == 1 && cluster_x.size == 1 {
                            pair_dot
                        } else {
                            sum_dot(&cluster.sum, &cluster_x.sum)
                        }
                    })
                    .collect(),
                None => Vec::new(),
            })
            .collect();
        self.clusters.par_iter_mut().flatten().for_each(|cluster| cluster.dots.clear());
        for (a, dots) in later_dots.into_iter().enumerate() {
            let Some(cluster_a) = self.clusters[a].as_mut() else { continue };
            let first_later = cluster_a.candidates.partition_point(|&x| x < a);
            let later = cluster_a.candidates[first_later..].to_vec();
            cluster_a.dots.extend_from_slice(&dots);
            for (x, dot) in later.into_iter().zip(dots) {
                self.clusters[x].as_mut().expect("candidate cluster").dots.push(dot);
            }
        }
    }

    /// The factor by which the clusters' similarity is scaled for the gap
    /// between their date spans.
    #[inline]
    fn date_factor(&self, a: &Cluster, b: &Cluster) -> f64 {
        f64::from(self.config.span_factor(a.days, b.days))
    }

    /// How clusters `a` and `b`, whose sums have dot product `dot`, stand
    /// against the merge rule: their mean cross-pair cosine times the date
    /// factor, and the threshold for their mean terms per article.
    #[inline]
    fn standing(&self, a: &Cluster, b: &Cluster, dot: f64) -> Standing {
        let terms_per_article = (a.terms + b.terms) as f32 / (a.size + b.size) as f32;
        let threshold = f64::from(self.config.threshold_for(terms_per_article));
        Standing { similarity: dot / (a.size * b.size) as f64 * self.date_factor(a, b), threshold }
    }

    /// Every candidate pair of starting clusters that may merge, once
    /// (`a < b`, version 0), in a queue that prunes stale pairs from its heap
    /// as [`MergeQueue::new`] says.
    fn initial_queue(&self, min_pruned: usize) -> MergeQueue {
        let clusters = &self.clusters;
        let initial_pairs: Vec<QueuedPair> = (0..clusters.len())
            .into_par_iter()
            .flat_map_iter(|a| {
                let mut pairs = Vec::new();
                if let Some(cluster_a) = &clusters[a] {
                    for (&b, &dot) in cluster_a.candidates.iter().zip(&cluster_a.dots) {
                        if a < b {
                            let cluster_b = clusters[b].as_ref().expect("cluster");
                            let standing = self.standing(cluster_a, cluster_b, dot);
                            if standing.may_merge() {
                                let margin = standing.margin();
                                pairs.push(QueuedPair { margin, a: a as u32, b: b as u32, version_a: 0, version_b: 0 });
                            }
                        }
                    }
                }
                pairs
            })
            .collect();
        MergeQueue::new(initial_pairs, min_pruned)
    }

    /// Merges clusters, best pair first (by margin over its threshold), while
    /// a pair may merge; pairs are ranked in a total order, so the merges
    /// depend only on the clusters. The heap is pruned at `min_pruned`
    /// ([`MergeQueue::new`]), which changes no merge.
    pub(super) fn merge_all(&mut self, min_pruned: usize) {
        let mut queue = self.initial_queue(min_pruned);
        let mut scratch =
            MergeScratch { scatter: [Scatter::new(self.n_terms), Scatter::new(self.n_terms)], merged: Vec::new() };
        while let Some(pair) = queue.pop_current(&self.versions) {
            self.merge(pair.a as usize, pair.b as usize, &mut scratch, &mut queue);
        }
    }

    /// Merges cluster `b` into cluster `a` (`a < b`): the merged cluster's
    /// candidates and dots, its sum, and the pairs it now makes, queued.
    /// Keeps the invariants; every queued pair naming `a` or `b` goes stale.
    fn merge(&mut self, a: usize, b: usize, scratch: &mut MergeScratch, queue: &mut MergeQueue) {
        if self.watch.is_some() {
            self.watch_before_merge(a, b);
        }
        let cluster_b = self.clusters[b].take().expect("cluster");
        let (candidates, dots) = self.merged_candidates(a, b, &cluster_b, scratch);
        self.clusters[a].as_mut().expect("cluster").absorb(&cluster_b);
        self.versions.merged(a, b);
        self.owner[b] = a;
        self.requeue_candidates(a, b, &candidates, &dots, queue);
        queue.prune_when_doubled(&self.versions);
        // The merged lists replace `a`'s last: requeueing borrows them, and
        // reads only `a`'s size and dates.
        let cluster_a = self.clusters[a].as_mut().expect("cluster");
        cluster_a.candidates = candidates;
        cluster_a.dots = dots;
        if self.watch.is_some() {
            self.watch_after_merge(a, b);
        }
    }

    /// The candidates of `a` merged with `b` (taken out as `cluster_b`), in
    /// order, each with its dot product with the merged sum: the sum of both
    /// sides' cached dots, a dot one side lacks computed with that side's
    /// sum. Called before `a` absorbs `b`.
    fn merged_candidates(
        &self,
        a: usize,
        b: usize,
        cluster_b: &Cluster,
        scratch: &mut MergeScratch,
    ) -> (Vec<usize>, Vec<f64>) {
        let MergeScratch { scatter, merged } = scratch;
        let cluster_a = self.clusters[a].as_ref().expect("cluster");
        union_of_candidates(a, cluster_a, b, cluster_b, merged);
        self.prefetch_candidates(merged);
        let mut candidates = Vec::with_capacity(merged.len());
        let mut dots = Vec::with_capacity(merged.len());
        for &(x, dot_a, dot_b) in merged.iter() {
            let cluster_x = self.clusters[x].as_ref().expect("candidate cluster");
            let dot_a = dot_a.unwrap_or_else(|| scatter[0].dot(&cluster_a.sum, &cluster_x.sum));
            let dot_b = dot_b.unwrap_or_else(|| scatter[1].dot(&cluster_b.sum, &cluster_x.sum));
            candidates.push(x);
            dots.push(dot_a + dot_b);
        }
        scatter[0].unload(&cluster_a.sum);
        scatter[1].unload(&cluster_b.sum);
        (candidates, dots)
    }

    /// Asks for the clusters of `merged`, then their sums (where a dot is
    /// missing) and lists, before the merge reads them: they lie all over
    /// memory, and asking first lets the cache misses overlap.
    #[inline]
    fn prefetch_candidates(&self, merged: &[(usize, Option<f64>, Option<f64>)]) {
        for &(x, _, _) in merged {
            prefetch_value(&self.clusters[x]);
        }
        for &(x, dot_a, dot_b) in merged {
            let cluster_x = self.clusters[x].as_ref().expect("candidate cluster");
            if dot_a.is_none() || dot_b.is_none() {
                prefetch_slice(&cluster_x.sum, PREFETCH_SUM_BYTES);
            }
            prefetch_slice(&cluster_x.candidates, PREFETCH_LIST_BYTES);
            prefetch_slice(&cluster_x.dots, PREFETCH_LIST_BYTES);
        }
    }

    /// Points each candidate of the merged cluster `a` at it instead of at
    /// `b`, with the merged dot, and queues each pair that may merge, at the
    /// clusters' current versions.
    fn requeue_candidates(&mut self, a: usize, b: usize, candidates: &[usize], dots: &[f64], queue: &mut MergeQueue) {
        for (&x, &dot) in candidates.iter().zip(dots) {
            let cluster_x = self.clusters[x].as_mut().expect("candidate cluster");
            if let Ok(pos) = cluster_x.candidates.binary_search(&b) {
                cluster_x.candidates.remove(pos);
                cluster_x.dots.remove(pos);
            }
            match cluster_x.candidates.binary_search(&a) {
                Ok(pos) => cluster_x.dots[pos] = dot,
                Err(pos) => {
                    cluster_x.candidates.insert(pos, a);
                    cluster_x.dots.insert(pos, dot);
                }
            }
            let cluster_a = self.clusters[a].as_ref().expect("cluster");
            let cluster_x = self.clusters[x].as_ref().expect("cluster");
            let standing = self.standing(cluster_a, cluster_x, dot);
            if standing.may_merge() {
                let (lo, hi) = if a < x { (a, x) } else { (x, a) };
                let (version_a, version_b) = (self.versions.of(lo), self.versions.of(hi));
                queue.push(QueuedPair { margin: standing.margin(), a: lo as u32, b: hi as u32, version_a, version_b });
            }
        }
    }

    /// Offers each cluster of at most `attach_max_size` items to the larger
    /// candidate whose centroid it fits best, and moves it there when the
    /// centroid cosine (times the date factor) reaches `attach_threshold`.
    /// Group average is cautious with a small cluster next to a large,
    /// diverse one: the mean over many loosely related pairs stays low even
    /// when the small cluster is clearly on that story. Decisions are taken
    /// on the clusters as the merges left them, so they do not depend on
    /// visiting order; a small cluster that joins another small one which
    /// itself joins a larger one follows it there. Changes only `owner`:
    /// each move points a cluster at a strictly larger one.
    pub(super) fn attach_small_clusters(&mut self) {
        // Each cluster's norm once (a large cluster is the candidate of many
        // small ones), and the small clusters' choices in parallel: they read
        // the clusters and change nothing until all are taken.
        let norms: Vec<f64> = self
            .clusters
            .par_iter()
            .map(|cluster| cluster.as_ref().map_or(0.0, |c| sparse_dot(&c.sum, &c.sum).sqrt().max(MIN_NORM)))
            .collect();
        let moves: Vec<(usize, usize)> = self
            .clusters
            .par_iter()
            .enumerate()
            .filter_map(|(a, cluster_a)| {
                let cluster_a = cluster_a.as_ref()?;
                if cluster_a.size > self.config.attach_max_size || !cluster_a.new {
                    return None;
                }
                let (fit, b) = self.best_larger_fit(a, cluster_a, &norms)?;
                (fit >= f64::from(self.config.attach_threshold)).then_some((a, b))
            })
            .collect();
        if self.watch.is_some() {
            self.watch_attachments(&norms);
        }
        for (a, b) in moves {
            self.owner[a] = b;
        }
    }

    /// The larger candidate of cluster `a` whose centroid `a`'s centroid fits
    /// best (centroid cosine times the date factor; the first of equals),
    /// with that fit. `norms` are the norms of the clusters' sums.
    fn best_larger_fit(&self, a: usize, cluster_a: &Cluster, norms: &[f64]) -> Option<(f64, usize)> {
        let mut best: Option<(f64, usize)> = None;
        for (&b, &dot) in cluster_a.candidates.iter().zip(&cluster_a.dots) {
            let cluster_b = self.clusters[b].as_ref().expect("candidate cluster");
            if cluster_b.size <= cluster_a.size {
                continue;
            }
            let fit = dot / (norms[a] * norms[b]) * self.date_factor(cluster_a, cluster_b);
            if best.is_none_or(|(best_fit, _)| fit > best_fit) {
                best = Some((fit, b));
            }
        }
        best
    }

    /// Follows items `a` and `b` through the merges and the attachment pass,
    /// for [`Agglomeration::take_trace`]. Changes no merge: the watch only
    /// reads clusters, once per merge of one of theirs.
    pub(super) fn watch(&mut self, a: usize, b: usize) {
        let mut watch = PairWatch::new([self.owner[a], self.owner[b]]);
        if let Some(score) = self.pair_score(watch.clusters) {
            watch.trace.start = Some(score);
            watch.scored(score);
        }
        self.watch = Some(Box::new(watch));
    }

    /// What the watch saw ([`Agglomeration::watch`]), if a pair was watched.
    pub(super) fn take_trace(&mut self) -> Option<PairTrace> {
        self.watch.take().map(|watch| watch.trace)
    }

    /// Clusters `x` and `y` against the merge rule, when they are (distinct)
    /// candidates of each other.
    pub(super) fn pair_score(&self, [x, y]: [usize; 2]) -> Option<ClusterScore> {
        let (cluster_x, cluster_y) = (self.clusters[x].as_ref()?, self.clusters[y].as_ref()?);
        let position = cluster_x.candidates.binary_search(&y).ok()?;
        let dot = cluster_x.dots[position];
        let standing = self.standing(cluster_x, cluster_y, dot);
        let date_factor = self.date_factor(cluster_x, cluster_y);
        Some(ClusterScore::new([cluster_x.size, cluster_y.size], dot, date_factor, standing))
    }

    /// Before `b` merges into `a`: the score of the merge that joins the
    /// watched items, if it is that one.
    #[cold]
    #[inline(never)]
    fn watch_before_merge(&mut self, a: usize, b: usize) {
        let Some(watch) = &self.watch else { return };
        if watch.is_the_pair(a, b) {
            let joined = self.pair_score(watch.clusters);
            self.watch.as_mut().expect("watch").trace.joined = joined;
        }
    }

    /// After `b` merged into `a`: the watched items' clusters, rescored if
    /// one of them grew and they are still apart.
    #[cold]
    #[inline(never)]
    fn watch_after_merge(&mut self, a: usize, b: usize) {
        let Some(watch) = self.watch.as_mut() else { return };
        watch.merged(a, b);
        if watch.together() || !watch.clusters.contains(&a) {
            return;
        }
        let clusters = watch.clusters;
        if let Some(score) = self.pair_score(clusters) {
            self.watch.as_mut().expect("watch").scored(score);
        }
    }

    /// In the attachment pass, before any move: each watched cluster that is
    /// offered to a larger one, with its best fit, while the two are apart.
    #[cold]
    #[inline(never)]
    fn watch_attachments(&mut self, norms: &[f64]) {
        let Some(watch) = &self.watch else { return };
        if watch.together() {
            return;
        }
        let clusters = watch.clusters;
        let mut attachments = Vec::new();
        for (side, &c) in clusters.iter().enumerate() {
            let cluster = self.clusters[c].as_ref().expect("watched cluster");
            if cluster.size > self.config.attach_max_size {
                continue;
            }
            let Some((fit, target)) = self.best_larger_fit(c, cluster, norms) else { continue };
            let threshold = f64::from(self.config.attach_threshold);
            attachments.push(Attachment {
                side,
                size: cluster.size,
                target_size: self.clusters[target].as_ref().expect("target cluster").size,
                target_holds_other: target == clusters[1 - side],
                fit,
                threshold,
                moved: fit >= threshold,
            });
        }
        self.watch.as_mut().expect("watch").trace.attachments = attachments;
    }

    /// Each item's final cluster ([`Agglomeration::representatives`]) and,
    /// at each final cluster's representative, the sum of all its members'
    /// vectors (the clusters attached to it added in; empty elsewhere).
    pub(super) fn into_sums(mut self) -> (Vec<usize>, Vec<Vec<(u32, f32)>>) {
        let clusters = std::mem::take(&mut self.clusters);
        let reps = self.representatives();
        let mut sums: Vec<Vec<(u32, f32)>> =
            clusters.into_iter().map(|c| c.map(|c| c.sum).unwrap_or_default()).collect();
        for c in 0..sums.len() {
            if reps[c] != c && !sums[c].is_empty() {
                let attached = std::mem::take(&mut sums[c]);
                sums[reps[c]] = sparse_add(&sums[reps[c]], &attached);
            }
        }
        (reps, sums)
    }

    /// Each item's final cluster, named by a representative index (the same
    /// for all its members): its `owner` followed to a cluster that owns
    /// itself. The chain ends: a merge points from an absorbed cluster to a
    /// smaller index, an attachment to a strictly larger cluster.
    pub(super) fn representatives(self) -> Vec<usize> {
        let owner = self.owner;
        (0..owner.len())
            .map(|item| {
                let mut cluster = owner[item];
                while owner[cluster] != cluster {
                    cluster = owner[cluster];
                }
                cluster
            })
            .collect()
    }
}

/// The starting clusters: at each representative of `owner`, the sum, size,
/// terms and date span of the items it represents, without candidates.
fn gather_clusters(
    mut vectors: Vec<Vec<(u32, f32)>>,
    days: &[Option<i64>],
    owner: &[usize],
    sizes: Option<&[usize]>,
) -> Vec<Option<Cluster>> {
    let n_items = vectors.len();
    let mut clusters: Vec<Option<Cluster>> = (0..n_items).map(|_| None).collect();
    for item in 0..n_items {
        let cluster = clusters[owner[item]].get_or_insert_with(Cluster::empty);
        // A cluster's first vector becomes its sum: the vectors are not
        // needed any more, and holding both would double their memory.
        cluster.terms += vectors[item].len();
        cluster.sum = if cluster.size == 0 {
            std::mem::take(&mut vectors[item])
        } else {
            sparse_add(&cluster.sum, &vectors[item])
        };
        cluster.size += sizes.map_or(1, |sizes| sizes[item]);
        cluster.days = span_union(cluster.days, days[item].map(|day| (day, day)));
    }
    clusters
}

/// Lists into `merged` the candidates of clusters `a` and `b` but those two,
/// in order, each with the dot each side has cached (`None` where that side
/// lacks it).
#[inline]
fn union_of_candidates(
    a: usize,
    cluster_a: &Cluster,
    b: usize,
    cluster_b: &Cluster,
    merged: &mut Vec<(usize, Option<f64>, Option<f64>)>,
) {
    merged.clear();
    let (mut i, mut j) = (0, 0);
    while i < cluster_a.candidates.len() || j < cluster_b.candidates.len() {
        let next_a = cluster_a.candidates.get(i).copied().unwrap_or(usize::MAX);
        let next_b = cluster_b.candidates.get(j).copied().unwrap_or(usize::MAX);
        let x = next_a.min(next_b);
        let dot_a = (next_a == x).then(|| {
            i += 1;
            cluster_a.dots[i - 1]
        });
        let dot_b = (next_b == x).then(|| {
            j += 1;
            cluster_b.dots[j - 1]
        });
        if x != a && x != b {
            merged.push((x, dot_a, dot_b));
        }
    }
}

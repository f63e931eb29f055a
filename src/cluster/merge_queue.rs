//! The order of merges: which pair of clusters the agglomeration takes next.
//!
//! Owns [`QueuedPair`] (a pair of clusters with its margin over the merge
//! threshold and the versions it was scored at), [`Versions`] (which queued
//! pairs are still current) and [`MergeQueue`] (the pairs known at the start,
//! sorted once, beside a heap of the pairs merges create, pruned of stale
//! pairs now and then). It must not score pairs or touch clusters: it orders
//! what it is given, and pruning never changes which pair comes next.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

/// The heap size under which stale pairs are never pruned: 65,536 pairs of
/// 24 bytes (1.5 MiB) stay in cache, where popping a stale pair is cheap, and
/// pruning a small heap often would cost more passes than it saves.
pub(super) const MIN_PRUNED_HEAP: usize = 1 << 16;

/// The version of a cluster merged into another: no pair with it is current.
const GONE: u32 = u32::MAX;

/// A pair of clusters that may merge, as scored when it was queued. 24 bytes:
/// at 1M articles there are tens of millions of these.
#[derive(PartialEq)]
pub(super) struct QueuedPair {
    /// The pair's similarity minus its merge threshold, so that one order
    /// ranks pairs whose thresholds differ (by text length). At least zero.
    pub(super) margin: f64,
    /// The smaller cluster index.
    pub(super) a: u32,
    /// The larger cluster index.
    pub(super) b: u32,
    /// `a`'s version when the pair was scored.
    pub(super) version_a: u32,
    /// `b`'s version when the pair was scored.
    pub(super) version_b: u32,
}

impl Eq for QueuedPair {}

impl PartialOrd for QueuedPair {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for QueuedPair {
    /// Larger margin first, then smaller indices: a total order, so the
    /// merges do not depend on how the pairs were gathered.
    fn cmp(&self, other: &Self) -> Ordering {
        self.margin.total_cmp(&other.margin).then_with(|| (other.a, other.b).cmp(&(self.a, self.b)))
    }
}

/// Each cluster's version: bumped by every merge into the cluster, [`GONE`]
/// once it is merged into another. Versions sit apart from the clusters, in
/// 4 bytes each, as every pair taken off the queue checks two.
pub(super) struct Versions(Vec<u32>);

impl Versions {
    /// Version 0 for each existing cluster, [`GONE`] for the other indices.
    pub(super) fn new(exists: impl Iterator<Item = bool>) -> Versions {
        Versions(exists.map(|exists| if exists { 0 } else { GONE }).collect())
    }

    /// The current version of cluster `cluster`.
    #[inline]
    pub(super) fn of(&self, cluster: usize) -> u32 {
        self.0[cluster]
    }

    /// Whether neither cluster of `pair` has merged since it was scored.
    #[inline]
    pub(super) fn is_current(&self, pair: &QueuedPair) -> bool {
        self.0[pair.a as usize] == pair.version_a && self.0[pair.b as usize] == pair.version_b
    }

    /// Notes that cluster `gone` was merged into cluster `into`.
    #[inline]
    pub(super) fn merged(&mut self, into: usize, gone: usize) {
        self.0[into] += 1;
        self.0[gone] = GONE;
    }
}

/// The pairs waiting to merge, best first. The pairs known at the start are
/// sorted once and read in order; only the pairs merges create go to a heap,
/// and each step takes the better of the two heads. That is the order of a
/// single heap, without popping tens of millions of pairs off a heap far
/// larger than the caches, which would take about a tenth of a 1M-article
/// run.
pub(super) struct MergeQueue {
    /// The pairs known at the start, best first.
    initial: std::iter::Peekable<std::vec::IntoIter<QueuedPair>>,
    /// The pairs merges created.
    heap: BinaryHeap<QueuedPair>,
    /// The heap's length after its last pruning (0 before the first).
    heap_after_pruning: usize,
    /// The heap is never pruned below twice this many pairs.
    min_pruned: usize,
}

impl MergeQueue {
    /// A queue of `initial` (in any order), pruning its heap of stale pairs
    /// once it holds twice `min_pruned` pairs, or twice as many as after the
    /// last pruning if more.
    pub(super) fn new(mut initial: Vec<QueuedPair>, min_pruned: usize) -> MergeQueue {
        initial.par_sort_unstable_by(|x, y| y.cmp(x));
        MergeQueue {
            initial: initial.into_iter().peekable(),
            heap: BinaryHeap::new(),
            heap_after_pruning: 0,
            min_pruned,
        }
    }

    /// The best current pair, the stale ones before it dropped; `None` once
    /// no pair is left.
    #[inline]
    pub(super) fn pop_current(&mut self, versions: &Versions) -> Option<QueuedPair> {
        loop {
            let pair = match (self.initial.peek(), self.heap.peek()) {
                (Some(initial), Some(created)) if created > initial => self.heap.pop(),
                (Some(_), _) => self.initial.next(),
                (None, _) => self.heap.pop(),
            }?;
            if versions.is_current(&pair) {
                return Some(pair);
            }
        }
    }

    /// Queues a pair a merge created.
    #[inline]
    pub(super) fn push(&mut self, pair: QueuedPair) {
        self.heap.push(pair);
    }

    /// Drops the stale pairs from the heap in one pass once it has doubled
    /// since it last held only current ones. Most pairs on the heap go stale
    /// before they come up (one of their clusters merged again), and popping
    /// them one by one off a heap larger than the caches costs a cache miss
    /// per level. No current pair is dropped, so the order of merges holds.
    #[inline]
    pub(super) fn prune_when_doubled(&mut self, versions: &Versions) {
        if self.heap.len() >= 2 * self.heap_after_pruning.max(self.min_pruned) {
            let mut pairs = std::mem::take(&mut self.heap).into_vec();
            pairs.retain(|pair| versions.is_current(pair));
            self.heap = BinaryHeap::from(pairs);
            self.heap_after_pruning = self.heap.len();
        }
    }
}

//! One pair of items followed through the agglomeration, for `explain`.
//!
//! Owns [`PairWatch`] (the clusters holding the two items as merges go on,
//! and what was seen of them), [`PairTrace`] (what it hands back),
//! [`ClusterScore`] (two clusters against the merge rule at one moment) and
//! [`Attachment`] (a watched cluster in the small-cluster pass). It must not
//! change a merge: the agglomeration calls it only when a pair is watched,
//! and it only reads clusters.

use serde::Serialize;

use super::agglomeration::Standing;

/// Two clusters against the merge rule at one moment: the first is the
/// cluster holding the first watched item.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ClusterScore {
    /// Articles in each cluster.
    pub sizes: [usize; 2],
    /// The mean cosine over all their cross pairs (`S_A · S_B / (|A| |B|)`).
    pub mean_cosine: f64,
    /// The date factor of the gap between their publication-date spans.
    pub date_factor: f64,
    /// `mean_cosine × date_factor`: what the merge rule compares.
    pub similarity: f64,
    /// The merge threshold for their mean terms per article.
    pub threshold: f64,
}

impl ClusterScore {
    pub(super) fn new(sizes: [usize; 2], dot: f64, date_factor: f64, standing: Standing) -> ClusterScore {
        ClusterScore {
            sizes,
            mean_cosine: dot / (sizes[0] * sizes[1]) as f64,
            date_factor,
            similarity: standing.similarity,
            threshold: standing.threshold,
        }
    }

    /// How far the similarity passes the threshold (negative below it).
    pub fn margin(&self) -> f64 {
        self.similarity - self.threshold
    }

    /// Whether the rule lets the two clusters merge.
    pub fn may_merge(&self) -> bool {
        self.similarity >= self.threshold
    }
}

/// A watched item's cluster in the final small-cluster pass: the larger
/// candidate cluster whose centroid it fits best, and whether it moved there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Attachment {
    /// Which watched item's cluster (0: the first, 1: the second).
    pub side: usize,
    /// Its size.
    pub size: usize,
    /// The size of the cluster it fits best.
    pub target_size: usize,
    /// Whether that cluster holds the other watched item.
    pub target_holds_other: bool,
    /// Centroid cosine times the date factor.
    pub fit: f64,
    /// The fit needed to move ([`super::ClusterConfig::attach_threshold`]).
    pub threshold: f64,
    /// Whether it moved.
    pub moved: bool,
}

/// What the agglomeration did with a watched pair of items.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PairTrace {
    /// The input's story time scale ([`super::story_time_scale`]), from
    /// which the date window was fitted; `None` with too few confident pairs.
    pub time_scale: Option<f32>,
    /// Whether the items started in one cluster (one near-duplicate group).
    pub same_start: bool,
    /// Their starting clusters against the rule, when they were candidates.
    pub start: Option<ClusterScore>,
    /// The merge that put them in one cluster, scored just before it.
    pub joined: Option<ClusterScore>,
    /// The best margin their clusters reached while apart.
    pub best: Option<ClusterScore>,
    /// Their clusters after the last merge of either, while apart.
    pub last: Option<ClusterScore>,
    /// How many times their clusters were scored against each other.
    pub comparisons: usize,
    /// Each watched cluster of at most `attach_max_size` items in the
    /// attachment pass, when it had a larger candidate.
    pub attachments: Vec<Attachment>,
}

/// The watched pair during the agglomeration.
pub(super) struct PairWatch {
    /// The cluster holding each item now.
    pub(super) clusters: [usize; 2],
    /// What was seen so far.
    pub(super) trace: PairTrace,
}

impl PairWatch {
    /// Watches two items starting in `clusters`.
    pub(super) fn new(clusters: [usize; 2]) -> PairWatch {
        let trace = PairTrace { same_start: clusters[0] == clusters[1], ..PairTrace::default() };
        PairWatch { clusters, trace }
    }

    /// Whether the items are in one cluster.
    pub(super) fn together(&self) -> bool {
        self.clusters[0] == self.clusters[1]
    }

    /// Whether clusters `a` and `b` are the two clusters holding the items.
    pub(super) fn is_the_pair(&self, a: usize, b: usize) -> bool {
        !self.together() && (self.clusters == [a, b] || self.clusters == [b, a])
    }

    /// Notes a score of the two clusters while apart.
    pub(super) fn scored(&mut self, score: ClusterScore) {
        let trace = &mut self.trace;
        trace.comparisons += 1;
        if trace.best.is_none_or(|best| score.margin() > best.margin()) {
            trace.best = Some(score);
        }
        trace.last = Some(score);
    }

    /// Notes that cluster `b` was merged into `a`.
    pub(super) fn merged(&mut self, a: usize, b: usize) {
        for cluster in &mut self.clusters {
            if *cluster == b {
                *cluster = a;
            }
        }
    }
}

//! Candidate pairs: the index's neighbours rescored exactly.
//!
//! Owns `Candidates`: each unordered pair of neighbours once, with its
//! exact story similarity (cosine times the date factor) as a [`Link`], and
//! the pairs above the candidate floor with their dot products as [`Pair`]s
//! for [`group_average`](super::group_average). It must not search for
//! neighbours (`index` does) or merge anything.

use rayon::prelude::*;

use super::{ClusterConfig, Link, Pair};
use crate::represent::{cosine_of_dot, sparse_dot, StoryVector};

/// The candidate pairs of a clustering.
pub(super) struct Candidates {
    /// Every unordered pair of neighbours once, sorted, scored by its exact
    /// story similarity times the date factor. A story reports those between
    /// its members.
    pub(super) links: Vec<Link>,
    /// The pairs of `links` scoring at least
    /// [`ClusterConfig::candidate_floor`], with the dot products of their
    /// vectors: the pairs the agglomeration compares.
    pub(super) pairs: Vec<Pair>,
}

impl Candidates {
    /// The candidate pairs of articles published on `days` with story
    /// `vectors`, from the `neighbours` the index found for each (article
    /// index, approximate similarity). Pairs are deduplicated before they
    /// are scored: most neighbours are found from both sides.
    pub(super) fn rescore(
        days: &[Option<i64>],
        vectors: &[StoryVector],
        neighbours: Vec<Vec<(usize, f32)>>,
        config: &ClusterConfig,
    ) -> Candidates {
        let mut pairs: Vec<(usize, usize)> = neighbours
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, found)| found.iter().map(move |&(j, _)| (i.min(j), i.max(j))))
            .collect();
        drop(neighbours);
        pairs.par_sort_unstable();
        pairs.dedup();
        let (links, dots): (Vec<Link>, Vec<f64>) = pairs
            .into_par_iter()
            .map(|(a, b)| {
                let gap = match (days[a], days[b]) {
                    (Some(x), Some(y)) => Some((x - y).abs()),
                    _ => None,
                };
                let dot = sparse_dot(&vectors[a].terms, &vectors[b].terms);
                (Link { a, b, score: cosine_of_dot(dot) * config.date_factor(gap) }, dot)
            })
            .unzip();
        let floor = config.candidate_floor;
        let pairs = links
            .iter()
            .zip(dots)
            .filter(|(link, _)| link.score >= floor)
            .map(|(link, dot)| Pair { a: link.a, b: link.b, dot })
            .collect();
        Candidates { links, pairs }
    }
}

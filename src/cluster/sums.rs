//! Cluster sums and their dot products, the arithmetic of the merge loop.
//!
//! Owns [`sparse_add`] (a cluster's sum), [`sum_dot`] (one dot product, by
//! binary search when one side is much longer), [`rank_terms`] (term hashes
//! replaced by ranks, 8-byte entries) and [`Scatter`] (one sum spread over a
//! table, for the many dot products of a merge). Every dot product here is
//! the same to the bit as [`sparse_dot`]'s over the same vectors: products
//! are added in term order. It must not decide merges.

use rayon::prelude::*;

use super::Sparse;
use crate::represent::sparse_dot;

/// The sum of two sparse vectors, sorted by term like them.
pub(super) fn sparse_add<T: Ord + Copy>(a: &[(T, f32)], b: &[(T, f32)]) -> Vec<(T, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    // Shared terms leave room a cluster's sum would hold to the end.
    out.shrink_to_fit();
    out
}

/// How many times longer than the other a vector must be for [`sum_dot`]
/// (and [`Scatter::dot`]) to look the short one's terms up in it by binary
/// search instead of walking both. A search costs a few probes per short
/// term, a walk one step per entry of both: the search wins once the long
/// vector is many times the short one.
const SEARCH_RATIO: usize = 16;

/// The dot product of two sparse vectors. When one is much longer (a large
/// cluster's sum against an article), the short one's terms are looked up
/// in the long one by binary search. Products are added in term order
/// either way, so the result is the same to the last bit as
/// [`sparse_dot`]'s.
pub(super) fn sum_dot<T: Ord + Copy>(a: &[(T, f32)], b: &[(T, f32)]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() < SEARCH_RATIO * short.len() {
        return sparse_dot(a, b);
    }
    let mut dot = 0.0f64;
    let mut rest = long;
    for &(term, weight) in short {
        match rest.binary_search_by(|probe| probe.0.cmp(&term)) {
            Ok(pos) => {
                dot += f64::from(weight) * f64::from(rest[pos].1);
                rest = &rest[pos + 1..];
            }
            Err(pos) => rest = &rest[pos..],
        }
        if rest.is_empty() {
            break;
        }
    }
    dot
}

/// The vectors with each term replaced by its rank among all their distinct
/// terms. Ranks keep the terms' order, so sums and dot products visit the
/// same terms in the same order and come out the same to the bit; an entry
/// takes 8 bytes instead of 16 (with padding), and the agglomeration, which
/// reads cluster sums all over memory, is bound by how many of them the
/// caches hold. Also returns the number of distinct terms (one more than
/// the largest rank).
pub(super) fn rank_terms(vectors: Vec<Sparse>) -> (Vec<Vec<(u32, f32)>>, usize) {
    use crate::hashes::{TermMap, TermSet};
    let mut distinct: Vec<u64> = vectors
        .par_iter()
        .fold(TermSet::default, |mut set, v| {
            set.extend(v.iter().map(|&(term, _)| term));
            set
        })
        .reduce(TermSet::default, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            a.extend(b);
            a
        })
        .into_iter()
        .collect();
    distinct.par_sort_unstable();
    assert!(u32::try_from(distinct.len()).is_ok(), "group_average: more than 2^32 distinct terms");
    let n_terms = distinct.len();
    let rank: TermMap<u32> = distinct.iter().enumerate().map(|(r, &term)| (term, r as u32)).collect();
    drop(distinct);
    (vectors.into_par_iter().map(|v| v.iter().map(|&(term, w)| (rank[&term], w)).collect()).collect(), n_terms)
}

/// One cluster's sum spread over a table indexed by term rank, for the dot
/// products a merge needs between that sum and many others: each of their
/// terms is looked up once, where [`sum_dot`] would walk both term lists
/// every time. The table is zero except while a sum is loaded.
pub(super) struct Scatter {
    /// The loaded sum's weight at each term rank, zero elsewhere.
    pub(super) weights: Vec<f32>,
    /// Dot products asked for since the last [`Scatter::unload`]; the table
    /// is filled at the second, as one dot is cheaper with [`sum_dot`].
    asked: usize,
    /// Whether `weights` holds the sum (filled at the second dot product).
    loaded: bool,
}

impl Scatter {
    /// An empty table for terms ranked below `n_terms`.
    pub(super) fn new(n_terms: usize) -> Scatter {
        Scatter { weights: vec![0.0; n_terms], asked: 0, loaded: false }
    }

    /// `sum · x`, the same to the bit as [`sum_dot`]'s: the products of
    /// shared terms are added in term order, and a term `sum` lacks adds a
    /// zero, which leaves the total unchanged. `sum` must be the same until
    /// the next [`Scatter::unload`].
    // Called for each candidate of a merge, from another module: inlined.
    #[inline]
    pub(super) fn dot(&mut self, sum: &[(u32, f32)], x: &[(u32, f32)]) -> f64 {
        self.asked += 1;
        // A short sum is searched for in a long `x` instead (see `sum_dot`).
        if self.asked == 1 || x.len() >= SEARCH_RATIO * sum.len() {
            return sum_dot(sum, x);
        }
        if !self.loaded {
            for &(term, weight) in sum {
                self.weights[term as usize] = weight;
            }
            self.loaded = true;
        }
        let mut dot = 0.0f64;
        for &(term, weight) in x {
            dot += f64::from(self.weights[term as usize]) * f64::from(weight);
        }
        dot
    }

    /// Clears the table of `sum`, the vector given to [`Scatter::dot`].
    pub(super) fn unload(&mut self, sum: &[(u32, f32)]) {
        if self.loaded {
            for &(term, _) in sum {
                self.weights[term as usize] = 0.0;
            }
        }
        self.asked = 0;
        self.loaded = false;
    }
}

//! Clustering quality metrics: how well a predicted partition of articles
//! matches a gold one.
//!
//! Owns [`Scores`] and [`Prf`] (B-cubed, pairwise, adjusted Rand index,
//! normalised mutual information), computed by [`score`] from a contingency
//! table in O(n) time, and the error analysis helpers [`most_split`] and
//! [`most_mixed`]. Everything here is a pure function over label vectors: it
//! must not do I/O, read articles or know where the labels came from.
//!
//! Conventions for the degenerate cases (all documented on the fields of
//! [`Scores`]):
//! - an empty input scores 1.0 on every metric (two empty partitions agree);
//! - pairwise precision is 1.0 when the prediction puts no two items together
//!   (no predicted pairs, so none is wrong), pairwise recall is 1.0 when the
//!   gold has no pairs;
//! - ARI is 1.0 when its expected index equals its maximum index and the two
//!   partitions are identical (up to renaming), 0.0 otherwise;
//! - NMI is 1.0 when both partitions are a single cluster; otherwise a
//!   zero-entropy partition against a non-trivial one gives 0.0.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// Precision, recall and their harmonic mean.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Prf {
    /// Precision in 0..=1.
    pub precision: f64,
    /// Recall in 0..=1.
    pub recall: f64,
    /// F1, the harmonic mean of precision and recall; 0.0 when both are 0.
    pub f1: f64,
}

impl Prf {
    /// Builds a [`Prf`] from precision and recall, computing F1
    /// (0.0 when precision + recall is 0).
    pub fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        Prf { precision, recall, f1 }
    }
}

/// Every metric for one predicted partition against the gold one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scores {
    /// B-cubed (Bagga & Baldwin 1998): for each item, precision is the share
    /// of its predicted cluster that shares its gold label, recall the share
    /// of its gold cluster that shares its predicted label; both averaged over
    /// items (an item counts itself).
    pub bcubed: Prf,
    /// Pairwise: over unordered item pairs, a pair is predicted positive when
    /// both items share a predicted cluster and gold positive when they share
    /// a gold label. Precision is 1.0 when there are no predicted pairs
    /// (e.g. all singletons), recall is 1.0 when there are no gold pairs.
    pub pairwise: Prf,
    /// Adjusted Rand index (Hubert & Arabie 1985), in -1..=1 (0 is chance).
    /// When the expected index equals the maximum index (e.g. both partitions
    /// all singletons, or both one cluster, or fewer than two items) it is
    /// 1.0 if the partitions are identical and 0.0 otherwise.
    pub ari: f64,
    /// Normalised mutual information with arithmetic-mean normalisation
    /// (scikit-learn's default): `MI / ((H(gold) + H(pred)) / 2)`, clamped
    /// to 0..=1. It is 1.0 when both partitions are one cluster, 0.0 when
    /// only one of them is.
    pub nmi: f64,
    /// The number of distinct gold labels.
    pub gold_clusters: usize,
    /// The number of distinct predicted labels.
    pub predicted_clusters: usize,
    /// The number of items.
    pub n: usize,
}

/// The contingency table of two labelings: dense cluster ids and counts.
struct Contingency {
    n: usize,
    /// Size of each gold cluster.
    gold_sizes: Vec<usize>,
    /// Size of each predicted cluster.
    pred_sizes: Vec<usize>,
    /// Non-zero cells: (gold id, predicted id, count), in order of first
    /// appearance so that floating-point sums do not depend on hashing.
    cells: Vec<(usize, usize, usize)>,
}

/// Maps labels to dense ids `0..k` in order of first appearance.
fn dense_ids<L: Eq + Hash>(labels: &[L]) -> (Vec<usize>, usize) {
    let mut ids: HashMap<&L, usize> = HashMap::new();
    let dense = labels
        .iter()
        .map(|l| {
            let next = ids.len();
            *ids.entry(l).or_insert(next)
        })
        .collect();
    (dense, ids.len())
}

impl Contingency {
    fn new<G: Eq + Hash, P: Eq + Hash>(gold: &[G], predicted: &[P]) -> Contingency {
        assert_eq!(gold.len(), predicted.len(), "eval: gold and predicted label vectors must have the same length");
        let (g, kg) = dense_ids(gold);
        let (p, kp) = dense_ids(predicted);
        let mut gold_sizes = vec![0; kg];
        let mut pred_sizes = vec![0; kp];
        let mut cell_index: HashMap<(usize, usize), usize> = HashMap::new();
        let mut cells: Vec<(usize, usize, usize)> = Vec::new();
        for (&gi, &pi) in g.iter().zip(&p) {
            gold_sizes[gi] += 1;
            pred_sizes[pi] += 1;
            let next = cells.len();
            let k = *cell_index.entry((gi, pi)).or_insert(next);
            if k == next {
                cells.push((gi, pi, 0));
            }
            cells[k].2 += 1;
        }
        Contingency { n: gold.len(), gold_sizes, pred_sizes, cells }
    }

    /// True when the two partitions are the same up to renaming: every gold
    /// cluster meets exactly one predicted cluster and vice versa.
    fn identical(&self) -> bool {
        self.cells.len() == self.gold_sizes.len() && self.cells.len() == self.pred_sizes.len()
    }
}

/// `k choose 2` as an exact integer.
fn pairs(k: usize) -> i128 {
    let k = k as i128;
    k * (k - 1) / 2
}

fn bcubed(c: &Contingency) -> Prf {
    if c.n == 0 {
        return Prf::new(1.0, 1.0);
    }
    let (mut p, mut r) = (0.0, 0.0);
    for &(gi, pi, nij) in &c.cells {
        let nij = nij as f64;
        // Each of the n_ij items in this cell has precision n_ij / |pred| and
        // recall n_ij / |gold|.
        p += nij * nij / c.pred_sizes[pi] as f64;
        r += nij * nij / c.gold_sizes[gi] as f64;
    }
    let n = c.n as f64;
    Prf::new(p / n, r / n)
}

/// Sums of pairs: (together in both, together in gold, together in predicted).
fn pair_sums(c: &Contingency) -> (i128, i128, i128) {
    let both = c.cells.iter().map(|&(_, _, k)| pairs(k)).sum();
    let gold = c.gold_sizes.iter().map(|&k| pairs(k)).sum();
    let pred = c.pred_sizes.iter().map(|&k| pairs(k)).sum();
    (both, gold, pred)
}

fn pairwise(c: &Contingency) -> Prf {
    let (both, gold, pred) = pair_sums(c);
    let precision = if pred == 0 { 1.0 } else { both as f64 / pred as f64 };
    let recall = if gold == 0 { 1.0 } else { both as f64 / gold as f64 };
    Prf::new(precision, recall)
}

fn ari(c: &Contingency) -> f64 {
    let (index, sa, sb) = pair_sums(c);
    let total = pairs(c.n);
    // ARI = (index - expected) / (max - expected) with expected = sa*sb/total
    // and max = (sa+sb)/2. Multiplying through by 2*total keeps it exact in
    // integers: 2(index*total - sa*sb) / ((sa+sb)*total - 2*sa*sb).
    let num = 2 * (index * total - sa * sb);
    let den = (sa + sb) * total - 2 * sa * sb;
    if total == 0 || den == 0 {
        return if c.identical() { 1.0 } else { 0.0 };
    }
    num as f64 / den as f64
}

fn entropy(sizes: &[usize], n: f64) -> f64 {
    sizes
        .iter()
        .filter(|&&k| k > 0)
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.ln()
        })
        .sum()
}

fn nmi(c: &Contingency) -> f64 {
    if c.n == 0 || (c.gold_sizes.len() == 1 && c.pred_sizes.len() == 1) {
        return 1.0;
    }
    let n = c.n as f64;
    let mut mi = 0.0;
    for &(gi, pi, nij) in &c.cells {
        let nij = nij as f64;
        let a = c.gold_sizes[gi] as f64;
        let b = c.pred_sizes[pi] as f64;
        mi += nij / n * (n * nij / (a * b)).ln();
    }
    let norm = (entropy(&c.gold_sizes, n) + entropy(&c.pred_sizes, n)) / 2.0;
    if norm <= 0.0 {
        // Unreachable with n > 0 unless both are one cluster (handled above).
        return if c.identical() { 1.0 } else { 0.0 };
    }
    (mi / norm).clamp(0.0, 1.0)
}

/// Scores a predicted partition against the gold one: item `i` has gold
/// label `gold[i]` and predicted label `predicted[i]`. Labels are only
/// compared for equality, so renaming clusters does not change any score.
///
/// Runs in O(n) expected time through a hashed contingency table.
///
/// # Panics
/// When the two slices have different lengths.
pub fn score<G: Eq + Hash, P: Eq + Hash>(gold: &[G], predicted: &[P]) -> Scores {
    let c = Contingency::new(gold, predicted);
    Scores {
        bcubed: bcubed(&c),
        pairwise: pairwise(&c),
        ari: ari(&c),
        nmi: nmi(&c),
        gold_clusters: c.gold_sizes.len(),
        predicted_clusters: c.pred_sizes.len(),
        n: c.n,
    }
}

/// A gold story whose articles the prediction spread over several clusters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SplitStory {
    /// The gold label.
    pub gold: String,
    /// The number of items with this gold label.
    pub size: usize,
    /// The predicted clusters it was split into: (predicted label, item
    /// indices in ascending order), largest piece first, ties by label.
    pub pieces: Vec<(String, Vec<usize>)>,
}

/// A predicted cluster that mixes items of several gold stories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MixedStory {
    /// The predicted label.
    pub predicted: String,
    /// The number of items with this predicted label.
    pub size: usize,
    /// The gold stories it mixes: (gold label, item indices in ascending
    /// order), largest part first, ties by label.
    pub parts: Vec<(String, Vec<usize>)>,
}

/// One outer group: (label, size, [(inner label, item indices)]).
type Breakdown = (String, usize, Vec<(String, Vec<usize>)>);

/// Groups items by `outer` label, then by `inner` label within each group.
/// Returns (outer label, size, [(inner label, items)]), with the groups
/// ranked by number of inner groups, then size (both descending), then outer
/// label, and only groups with two or more inner labels kept.
fn breakdown(outer: &[String], inner: &[String], top: usize) -> Vec<Breakdown> {
    assert_eq!(outer.len(), inner.len(), "eval: gold and predicted label vectors must have the same length");
    let mut groups: HashMap<&str, HashMap<&str, Vec<usize>>> = HashMap::new();
    for (i, (o, n)) in outer.iter().zip(inner).enumerate() {
        groups.entry(o.as_str()).or_default().entry(n.as_str()).or_default().push(i);
    }
    let mut out: Vec<Breakdown> = groups
        .into_iter()
        .filter(|(_, parts)| parts.len() >= 2)
        .map(|(o, parts)| {
            let size = parts.values().map(Vec::len).sum();
            let mut parts: Vec<(String, Vec<usize>)> =
                parts.into_iter().map(|(n, items)| (n.to_string(), items)).collect();
            parts.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
            (o.to_string(), size, parts)
        })
        .collect();
    out.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then_with(|| b.1.cmp(&a.1)).then_with(|| a.0.cmp(&b.0)));
    out.truncate(top);
    out
}

/// The `top` gold stories split over the most predicted clusters, ranked by
/// number of pieces, then by size (both descending), then by gold label.
/// Stories kept whole (one piece) are not listed.
///
/// # Panics
/// When the two slices have different lengths.
pub fn most_split(gold: &[String], predicted: &[String], top: usize) -> Vec<SplitStory> {
    breakdown(gold, predicted, top).into_iter().map(|(gold, size, pieces)| SplitStory { gold, size, pieces }).collect()
}

/// The `top` predicted clusters that mix the most gold stories, ranked by
/// number of gold stories, then by size (both descending), then by predicted
/// label. Pure clusters (one gold story) are not listed.
///
/// # Panics
/// When the two slices have different lengths.
pub fn most_mixed(gold: &[String], predicted: &[String], top: usize) -> Vec<MixedStory> {
    breakdown(predicted, gold, top)
        .into_iter()
        .map(|(predicted, size, parts)| MixedStory { predicted, size, parts })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr) => {{
            let (a, b): (f64, f64) = ($a, $b);
            assert!(close(a, b), "{} = {} but expected {}", stringify!($a), a, b);
        }};
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    // gold [a,a,a,b,b], pred [1,1,2,2,2].
    // Contingency: (a,1)=2, (a,2)=1, (b,2)=2; gold sizes a=3, b=2; pred sizes 1=2, 2=3.
    const GOLD: [char; 5] = ['a', 'a', 'a', 'b', 'b'];
    const PRED: [u8; 5] = [1, 1, 2, 2, 2];

    #[test]
    fn bcubed_by_hand() {
        // Precision per item: items 0,1 (cell a1, pred size 2): 2/2 = 1;
        // item 2 (cell a2, pred size 3): 1/3; items 3,4 (cell b2): 2/3.
        // P = (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = (11/3) / 5 = 11/15.
        // Recall per item: items 0,1: 2/3; item 2: 1/3; items 3,4: 2/2 = 1.
        // R = (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = (11/3) / 5 = 11/15.
        let sc = score(&GOLD, &PRED);
        assert_close!(sc.bcubed.precision, 11.0 / 15.0);
        assert_close!(sc.bcubed.recall, 11.0 / 15.0);
        assert_close!(sc.bcubed.f1, 11.0 / 15.0);
        assert_eq!((sc.n, sc.gold_clusters, sc.predicted_clusters), (5, 2, 2));
    }

    #[test]
    fn pairwise_by_hand() {
        // Pairs together in both: C(2,2) + C(1,2) + C(2,2) = 1 + 0 + 1 = 2.
        // Gold pairs: C(3,2) + C(2,2) = 3 + 1 = 4. Predicted: C(2,2) + C(3,2) = 4.
        // P = 2/4, R = 2/4, F1 = 0.5.
        let sc = score(&GOLD, &PRED);
        assert_close!(sc.pairwise.precision, 0.5);
        assert_close!(sc.pairwise.recall, 0.5);
        assert_close!(sc.pairwise.f1, 0.5);
    }

    #[test]
    fn ari_by_hand() {
        // index = 2, sum_a = 4, sum_b = 4, C(5,2) = 10.
        // expected = 4*4/10 = 1.6, max = (4+4)/2 = 4.
        // ARI = (2 - 1.6) / (4 - 1.6) = 0.4 / 2.4 = 1/6.
        let sc = score(&GOLD, &PRED);
        assert_close!(sc.ari, 1.0 / 6.0);
    }

    #[test]
    fn nmi_by_hand() {
        // MI = sum n_ij/n ln(n n_ij / (a_i b_j)):
        //   (a,1): 2/5 ln(5*2/(3*2)) = 0.4 ln(5/3)
        //   (a,2): 1/5 ln(5*1/(3*3)) = 0.2 ln(5/9)
        //   (b,2): 2/5 ln(5*2/(2*3)) = 0.4 ln(5/3)
        // H(gold) = H(pred) = -(0.6 ln 0.6 + 0.4 ln 0.4).
        let mi = 0.8 * (5.0f64 / 3.0).ln() + 0.2 * (5.0f64 / 9.0).ln();
        let h = -(0.6 * 0.6f64.ln() + 0.4 * 0.4f64.ln());
        let sc = score(&GOLD, &PRED);
        assert_close!(sc.nmi, mi / h);
        // Same value by sklearn (normalized_mutual_info_score, arithmetic).
        assert!((sc.nmi - 0.432_538_067_766_312_43).abs() < 1e-12, "{}", sc.nmi);
        // sklearn adjusted_rand_score gives 0.16666666666666666.
    }

    #[test]
    fn sklearn_cross_check() {
        // Values from scikit-learn 1.9.1:
        //   adjusted_rand_score(g, p), normalized_mutual_info_score(g, p)
        // for g = [0,0,0,0,1,1,1,2,2,2,3,3,4,5,5], p = [0,0,1,1,1,1,2,2,2,3,3,3,4,4,5].
        let g = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5];
        let p = [0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5];
        let sc = score(&g, &p);
        assert!((sc.ari - SK_ARI).abs() < 1e-9, "ari {}", sc.ari);
        assert!((sc.nmi - SK_NMI).abs() < 1e-9, "nmi {}", sc.nmi);
    }
    const SK_ARI: f64 = 0.258_241_758_241_758_27;
    const SK_NMI: f64 = 0.689_709_815_419_587;

    #[test]
    fn identical_partitions_score_one() {
        let g = s(&["x", "x", "y", "z", "z", "z"]);
        let sc = score(&g, &g);
        for v in [sc.bcubed.f1, sc.pairwise.f1, sc.ari, sc.nmi] {
            assert_close!(v, 1.0);
        }
    }

    #[test]
    fn label_permutation_invariance() {
        let p2: Vec<&str> = PRED.iter().map(|&x| if x == 1 { "two" } else { "one" }).collect();
        let g2: Vec<u32> = GOLD.iter().map(|&c| if c == 'a' { 7 } else { 3 }).collect();
        let a = score(&GOLD, &PRED);
        let b = score(&g2, &p2);
        assert_eq!(a, b);
        // Reordering items consistently in both vectors changes nothing either.
        let order = [4, 2, 0, 3, 1];
        let g3: Vec<char> = order.iter().map(|&i| GOLD[i]).collect();
        let p3: Vec<u8> = order.iter().map(|&i| PRED[i]).collect();
        let c = score(&g3, &p3);
        assert_close!(a.bcubed.f1, c.bcubed.f1);
        assert_close!(a.ari, c.ari);
        assert_close!(a.nmi, c.nmi);
    }

    #[test]
    fn all_singletons_against_one_cluster() {
        // Gold one cluster of 4, predicted 4 singletons.
        // B-cubed: each item precision 1/1 = 1, recall 1/4 → P 1, R 0.25,
        // F1 = 2*0.25/1.25 = 0.4.
        // Pairwise: no predicted pairs → P = 1 by convention; R = 0/6 = 0, F1 0.
        // ARI: sum_a = 6, sum_b = 0, expected 0, max 3 → (0-0)/(3-0) = 0.
        // NMI: H(gold) = 0, MI = 0 → 0.
        let gold = [0, 0, 0, 0];
        let pred = [0, 1, 2, 3];
        let sc = score(&gold, &pred);
        assert_close!(sc.bcubed.precision, 1.0);
        assert_close!(sc.bcubed.recall, 0.25);
        assert_close!(sc.bcubed.f1, 0.4);
        assert_close!(sc.pairwise.precision, 1.0);
        assert_close!(sc.pairwise.recall, 0.0);
        assert_close!(sc.pairwise.f1, 0.0);
        assert_close!(sc.ari, 0.0);
        assert_close!(sc.nmi, 0.0);

        // The other way round: predicted one cluster, gold singletons.
        // B-cubed P 0.25, R 1; pairwise P 0/6 = 0, R 1 (no gold pairs).
        let sc = score(&pred, &gold);
        assert_close!(sc.bcubed.precision, 0.25);
        assert_close!(sc.bcubed.recall, 1.0);
        assert_close!(sc.pairwise.precision, 0.0);
        assert_close!(sc.pairwise.recall, 1.0);
        assert_close!(sc.ari, 0.0);
        assert_close!(sc.nmi, 0.0);
    }

    #[test]
    fn degenerate_identical_cases() {
        // Both all singletons: no pairs anywhere; expected index = max index = 0
        // → ARI 1 (identical). NMI: MI = H = ln 3 → 1.
        let sc = score(&[1, 2, 3], &["a", "b", "c"]);
        assert_close!(sc.ari, 1.0);
        assert_close!(sc.nmi, 1.0);
        assert_close!(sc.pairwise.f1, 1.0);
        assert_close!(sc.bcubed.f1, 1.0);
        // Both one cluster: expected = max = C(3,2) → ARI 1; both entropies 0 → NMI 1.
        let sc = score(&[1, 1, 1], &["a", "a", "a"]);
        assert_close!(sc.ari, 1.0);
        assert_close!(sc.nmi, 1.0);
        assert_close!(sc.pairwise.f1, 1.0);
        // One item, and no items.
        let sc = score(&[1], &[9]);
        assert_close!(sc.ari, 1.0);
        assert_close!(sc.nmi, 1.0);
        let empty: [u8; 0] = [];
        let sc = score(&empty, &empty);
        assert_eq!(sc.n, 0);
        for v in [sc.bcubed.f1, sc.pairwise.f1, sc.ari, sc.nmi] {
            assert_close!(v, 1.0);
        }
    }

    #[test]
    fn ari_can_be_negative() {
        // gold [a,a,b,b], pred [1,2,1,2]: index 0, sum_a 2, sum_b 2, C(4,2) 6.
        // expected 4/6, max 2 → (0 - 2/3) / (2 - 2/3) = -0.5.
        let sc = score(&['a', 'a', 'b', 'b'], &[1, 2, 1, 2]);
        assert_close!(sc.ari, -0.5);
        // MI = 0 (independent) → NMI 0.
        assert_close!(sc.nmi, 0.0);
    }

    #[test]
    fn symmetric_metrics_and_swapped_precision_recall() {
        let g = [0, 0, 1, 1, 1, 2, 3, 3, 3, 3];
        let p = ['x', 'y', 'y', 'y', 'z', 'z', 'z', 'w', 'w', 'v'];
        let a = score(&g, &p);
        let b = score(&p, &g);
        assert_close!(a.ari, b.ari);
        assert_close!(a.nmi, b.nmi);
        assert_close!(a.bcubed.precision, b.bcubed.recall);
        assert_close!(a.pairwise.precision, b.pairwise.recall);
    }

    #[test]
    fn linear_time_on_many_items() {
        // 200k items in ~1k clusters: a quadratic implementation would not
        // finish; this one takes milliseconds.
        let n = 200_000u64;
        let gold: Vec<u64> = (0..n).map(|i| i / 200).collect();
        let pred: Vec<u64> = (0..n).map(|i| (i * 7 + i / 3) % 997).collect();
        let sc = score(&gold, &pred);
        assert_eq!(sc.n, n as usize);
        assert_eq!(sc.gold_clusters, 1000);
        assert!(sc.ari.abs() < 0.05 && sc.nmi < 0.5);
    }

    proptest::proptest! {
        #[test]
        fn metrics_stay_in_range(
            pairs in proptest::collection::vec((0u8..6, 0u8..6), 0..60),
        ) {
            let (g, p): (Vec<u8>, Vec<u8>) = pairs.into_iter().unzip();
            let sc = score(&g, &p);
            for v in [sc.bcubed.precision, sc.bcubed.recall, sc.bcubed.f1, sc.pairwise.precision,
                      sc.pairwise.recall, sc.pairwise.f1, sc.nmi] {
                proptest::prop_assert!((0.0..=1.0).contains(&v), "{:?}", sc);
            }
            proptest::prop_assert!(sc.ari <= 1.0 + 1e-12 && sc.ari >= -1.0 - 1e-12);
            let same = score(&g, &g);
            for v in [same.bcubed.f1, same.pairwise.f1, same.ari, same.nmi] {
                proptest::prop_assert!(close(v, 1.0), "{:?}", same);
            }
            // Renaming predicted labels changes nothing.
            let renamed: Vec<u32> = p.iter().map(|&x| 1000 - u32::from(x) * 3).collect();
            proptest::prop_assert_eq!(score(&g, &renamed), sc);
        }
    }

    #[test]
    #[should_panic]
    fn length_mismatch_panics() {
        score(&[1, 2], &[1]);
    }

    #[test]
    fn split_and_mixed() {
        // gold:  A A A A B B C D
        // pred:  1 2 3 1 4 4 4 4
        let gold = s(&["A", "A", "A", "A", "B", "B", "C", "D"]);
        let pred = s(&["1", "2", "3", "1", "4", "4", "4", "4"]);
        let split = most_split(&gold, &pred, 10);
        assert_eq!(split.len(), 1);
        assert_eq!(split[0].gold, "A");
        assert_eq!(split[0].size, 4);
        assert_eq!(
            split[0].pieces,
            vec![("1".to_string(), vec![0, 3]), ("2".to_string(), vec![1]), ("3".to_string(), vec![2])]
        );
        let mixed = most_mixed(&gold, &pred, 10);
        assert_eq!(mixed.len(), 1);
        assert_eq!(mixed[0].predicted, "4");
        assert_eq!(mixed[0].size, 4);
        assert_eq!(
            mixed[0].parts,
            vec![("B".to_string(), vec![4, 5]), ("C".to_string(), vec![6]), ("D".to_string(), vec![7])]
        );
    }

    #[test]
    fn split_ranking_and_top() {
        // X split in 2 pieces (size 4), Y in 2 pieces (size 2), Z in 3 pieces (size 3).
        let gold = s(&["X", "X", "X", "X", "Y", "Y", "Z", "Z", "Z"]);
        let pred = s(&["a", "a", "a", "b", "c", "d", "e", "f", "g"]);
        let split = most_split(&gold, &pred, 2);
        let names: Vec<&str> = split.iter().map(|x| x.gold.as_str()).collect();
        assert_eq!(names, ["Z", "X"]);
        assert!(most_split(&gold, &pred, 0).is_empty());
        // Identical partitions: nothing split, nothing mixed.
        assert!(most_split(&gold, &gold, 5).is_empty());
        assert!(most_mixed(&gold, &gold, 5).is_empty());
    }
}

//! Unit tests of the story clustering stage: candidates, group average and its
//! sums, dates, attachment, and the assembly of ranked stories.

use super::assemble::assemble;
use super::candidates::Candidates;
use super::sums::{rank_terms, sparse_add, sum_dot, Scatter};
use super::*;
use crate::represent::sparse_dot;

/// A unit vector over the given terms, equal weights.
fn unit(terms: &[u64]) -> Sparse {
    let w = 1.0 / (terms.len() as f32).sqrt();
    let mut v: Sparse = terms.iter().map(|&t| (t, w)).collect();
    v.sort_unstable_by_key(|&(t, _)| t);
    v
}

fn groups(reps: &[usize]) -> Vec<Vec<usize>> {
    let mut by: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, &r) in reps.iter().enumerate() {
        by.entry(r).or_default().push(i);
    }
    by.into_values().collect()
}

fn config(threshold: f32) -> ClusterConfig {
    ClusterConfig { threshold, short_threshold: threshold, ..ClusterConfig::default() }
}

/// [`group_average`] over the pairs `(a, b)` of `vectors`.
fn cluster(
    vectors: Vec<Sparse>,
    days: &[Option<i64>],
    initial: &[usize],
    pairs: &[(usize, usize)],
    config: &ClusterConfig,
) -> Vec<usize> {
    let pairs = scored_pairs(&vectors, pairs);
    group_average(vectors, days, initial, &pairs, config)
}

fn all_pairs(n: usize) -> Vec<(usize, usize)> {
    (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).collect()
}

#[test]
fn group_average_does_not_chain() {
    // Two tight groups {0,1,2} on terms 1..3 and {3,4,5} on terms 7..9, and
    // item 2 and 3 share one bridge term: single link over pairs would chain
    // the groups; the group average stays far below the threshold.
    let vectors = vec![
        unit(&[1, 2, 3]),
        unit(&[1, 2, 3]),
        unit(&[1, 2, 3, 5]),
        unit(&[5, 7, 8, 9]),
        unit(&[7, 8, 9]),
        unit(&[7, 8, 9]),
    ];
    let days = vec![None; 6];
    let initial: Vec<usize> = (0..6).collect();
    let reps = cluster(vectors.clone(), &days, &initial, &all_pairs(6), &config(0.3));
    assert_eq!(groups(&reps), vec![vec![0, 1, 2], vec![3, 4, 5]]);
    // A threshold of zero merges whatever candidates connect.
    let reps = cluster(vectors.clone(), &days, &initial, &all_pairs(6), &config(0.0));
    assert_eq!(groups(&reps), vec![vec![0, 1, 2, 3, 4, 5]]);
}

#[test]
fn pairs_from_merges_are_ranked_with_the_initial_ones() {
    // 0 and 1 are one text; 2 is at cosine 0.75 to both and 0.65 to 3; 3
    // shares nothing with 0 or 1. After 0+1 merge, the new pair {0,1}-2
    // (mean 0.75) must be taken before the initial pair 2-3 (0.65): then 3
    // stays alone ({0,1,2}-3 averages 0.22). Taking 2-3 first would leave
    // {0,1} and {2,3} apart ({0,1}-{2,3} averages 0.375).
    let x = (1.0f32 - 0.75 * 0.75 - 0.65 * 0.65).sqrt();
    let vectors: Vec<Sparse> = vec![vec![(1, 1.0)], vec![(1, 1.0)], vec![(1, 0.75), (2, 0.65), (3, x)], vec![(2, 1.0)]];
    let pairs = [(0, 1), (0, 2), (1, 2), (2, 3)];
    // No attachment pass: this is about the agglomeration's order.
    let config = ClusterConfig { attach_max_size: 0, ..config(0.5) };
    let reps = cluster(vectors, &[None; 4], &[0, 1, 2, 3], &pairs, &config);
    assert_eq!(groups(&reps), vec![vec![0, 1, 2], vec![3]]);
}

#[test]
fn only_candidate_pairs_are_compared() {
    let vectors = vec![unit(&[1, 2]), unit(&[1, 2]), unit(&[1, 2])];
    let reps = cluster(vectors.clone(), &[None; 3], &[0, 1, 2], &[(0, 1)], &config(0.5));
    assert_eq!(groups(&reps), vec![vec![0, 1], vec![2]]);
}

#[test]
fn initial_groups_stay_together() {
    let vectors = vec![unit(&[1]), unit(&[2]), unit(&[2]), unit(&[3])];
    let reps = cluster(vectors.clone(), &[None; 4], &[0, 1, 1, 0], &[(1, 2)], &config(0.4));
    assert_eq!(groups(&reps), vec![vec![0, 3], vec![1, 2]]);
}

#[test]
fn distant_dates_keep_similar_texts_apart() {
    let vectors = vec![unit(&[1, 2, 3]), unit(&[1, 2, 3, 4])];
    let close = [Some(100), Some(102)];
    let far = [Some(100), Some(190)];
    let reps = cluster(vectors.clone(), &close, &[0, 1], &[(0, 1)], &config(0.5));
    assert_eq!(groups(&reps), vec![vec![0, 1]]);
    let reps = cluster(vectors.clone(), &far, &[0, 1], &[(0, 1)], &config(0.5));
    assert_eq!(groups(&reps), vec![vec![0], vec![1]]);
    // An unknown date costs nothing.
    let reps = cluster(vectors.clone(), &[Some(100), None], &[0, 1], &[(0, 1)], &config(0.5));
    assert_eq!(groups(&reps), vec![vec![0, 1]]);
}

#[test]
fn date_factor_decays_after_grace() {
    let config = ClusterConfig::default();
    assert_eq!(config.date_factor(None), 1.0);
    assert_eq!(config.date_factor(Some(2)), 1.0);
    let later = config.date_factor(Some(30));
    assert!(later < 0.5 && later > 0.0, "{later}");
}

#[test]
fn short_texts_get_the_short_threshold() {
    let config = ClusterConfig::default();
    assert_eq!(config.threshold_for(3.0), config.short_threshold);
    assert_eq!(config.threshold_for(200.0), config.threshold);
    let mid = config.threshold_for((config.short_terms + config.long_terms) / 2.0);
    assert!((mid - (config.threshold + config.short_threshold) / 2.0).abs() < 1e-6);
}

#[test]
fn small_clusters_attach_to_a_larger_one_they_fit() {
    // A loose story of six articles around terms 1 and 2, each with six
    // words of its own (pairwise cosine 0.25), and one article that shares
    // only term 1 (cosine 0.12 to each): its mean cosine to the six stays
    // under the threshold, but it fits their centroid (cosine 0.19).
    let mut vectors: Vec<Sparse> =
        (0..6).map(|i| unit(&[1, 2, 10 + i, 20 + i, 30 + i, 40 + i, 50 + i, 60 + i])).collect();
    vectors.push(unit(&[1, 92, 93, 94, 95, 96, 97, 98, 99]));
    let n = vectors.len();
    let initial: Vec<usize> = (0..n).collect();
    let no_attach = ClusterConfig { attach_threshold: 2.0, ..config(0.2) };
    let reps = cluster(vectors.clone(), &vec![None; n], &initial, &all_pairs(n), &no_attach);
    assert_eq!(groups(&reps).len(), 2, "{:?}", groups(&reps));
    let with_attach = ClusterConfig { attach_threshold: 0.15, ..config(0.2) };
    let reps = cluster(vectors.clone(), &vec![None; n], &initial, &all_pairs(n), &with_attach);
    assert_eq!(groups(&reps).len(), 1, "{:?}", groups(&reps));
    // An unrelated article attaches to nothing.
    vectors.push(unit(&[200, 201]));
    let n = vectors.len();
    let initial: Vec<usize> = (0..n).collect();
    let reps = cluster(vectors.clone(), &vec![None; n], &initial, &all_pairs(n), &with_attach);
    assert_eq!(groups(&reps).len(), 2);
}

#[test]
fn only_clusters_holding_a_new_item_are_attached() {
    // Known stories still merge when their articles say they are one.
    let vectors = vec![unit(&[1, 2, 3]), unit(&[1, 2, 4]), unit(&[1, 2, 5]), unit(&[1, 2, 6])];
    let days = vec![None; 4];
    let initial = [0, 0, 2, 2];
    let pairs = scored_pairs(&vectors, &all_pairs(4));
    let reps = group_average_of_new(vectors.clone(), &days, &initial, Some(&[false; 4]), &pairs, &config(0.3));
    assert_eq!(groups(&reps), [vec![0, 1, 2, 3]]);
    // Every item new is plain group average.
    let all = group_average(vectors.clone(), &days, &initial, &pairs, &config(0.3));
    assert_eq!(group_average_of_new(vectors, &days, &initial, Some(&[true; 4]), &pairs, &config(0.3)), all);
    // A small known story is not offered to a larger one again; a new one is.
    let loose: Vec<Sparse> = (0..6).map(|i| unit(&[1, 2, 10 + i, 20 + i, 30 + i, 40 + i, 50 + i, 60 + i])).collect();
    let mut vectors = loose;
    vectors.push(unit(&[1, 92, 93, 94, 95, 96, 97, 98, 99]));
    let initial = [0, 0, 0, 0, 0, 0, 6];
    let pairs = scored_pairs(&vectors, &all_pairs(7));
    let attach = ClusterConfig { attach_threshold: 0.15, ..config(0.2) };
    let days = vec![None; 7];
    let old = [false; 7];
    let reps = group_average_of_new(vectors.clone(), &days, &initial, Some(&old), &pairs, &attach);
    assert_eq!(groups(&reps).len(), 2);
    let mut fresh = [false; 7];
    fresh[6] = true;
    let reps = group_average_of_new(vectors, &days, &initial, Some(&fresh), &pairs, &attach);
    assert_eq!(groups(&reps).len(), 1);
}

#[test]
fn sum_dot_matches_the_merge_join_to_the_bit() {
    // A long sum against short vectors, overlapping in some terms.
    let long: Sparse = (0..2_000u64).map(|t| (t * 3, 1.0 / (t as f32 + 1.0))).collect();
    for offset in [0u64, 1, 2, 5_990, 6_100] {
        let short: Sparse = (0..40u64).map(|t| (offset + t * 7, 0.1 + t as f32 * 0.01)).collect();
        let expected = sparse_dot(&long, &short);
        assert_eq!(sum_dot(&long, &short).to_bits(), expected.to_bits(), "offset {offset}");
        assert_eq!(sum_dot(&short, &long).to_bits(), expected.to_bits(), "offset {offset}");
    }
    assert_eq!(sum_dot(&long, &[]), 0.0);
}

#[test]
fn story_time_scale_is_the_mean_gap_of_confident_pairs() {
    // 40 pairs of near-identical texts one day apart, 40 pairs of unrelated
    // texts 30 days apart (not confident), and one pair of copies 50 days
    // apart (same near-duplicate group: left out).
    let mut vectors = Vec::new();
    let mut days = Vec::new();
    let mut initial = Vec::new();
    let mut pairs = Vec::new();
    for k in 0..40u64 {
        let i = vectors.len();
        vectors.extend([unit(&[k, 1000 + k]), unit(&[k, 1000 + k, 2000 + k])]);
        days.extend([Some(10), Some(11)]);
        initial.extend([i, i + 1]);
        pairs.push((i, i + 1));
        vectors.extend([unit(&[3000 + k]), unit(&[4000 + k])]);
        days.extend([Some(10), Some(40)]);
        initial.extend([i + 2, i + 3]);
        pairs.push((i + 2, i + 3));
    }
    let i = vectors.len();
    vectors.extend([unit(&[9000]), unit(&[9000])]);
    days.extend([Some(0), Some(50)]);
    initial.extend([i, i]);
    pairs.push((i, i + 1));
    let config = ClusterConfig::default();
    assert_eq!(story_time_scale(&days, &initial, &scored_pairs(&vectors, &pairs), &config), Some(1.0));
    // Too few confident pairs: no estimate.
    assert_eq!(story_time_scale(&days, &initial, &scored_pairs(&vectors, &pairs[..20]), &config), None);
}

#[test]
fn date_window_shrinks_to_short_stories_only() {
    let config = ClusterConfig::default();
    // Weeks-long stories, or no estimate: the window stays as configured.
    for gap in [None, Some(9.0), Some(100.0)] {
        let fitted = config.fitted_to_time_scale(gap);
        assert_eq!((fitted.date_grace_days, fitted.date_scale_days), (3, 20.0));
    }
    // Stories of a day: a day's gap now costs most of the similarity.
    let fitted = config.fitted_to_time_scale(Some(0.05));
    assert_eq!(fitted.date_grace_days, 0);
    assert!(fitted.date_factor(Some(1)) < 0.01, "{}", fitted.date_factor(Some(1)));
    assert_eq!(fitted.date_factor(Some(0)), 1.0);
    // Every confident pair on one day: still defined.
    let fitted = config.fitted_to_time_scale(Some(0.0));
    assert!(fitted.date_factor(Some(1)) >= 0.0);
    // Adaptation off.
    let off = ClusterConfig { date_spread_factor: 0.0, ..config };
    assert_eq!(off.fitted_to_time_scale(Some(0.05)).date_scale_days, 20.0);
}

#[test]
fn one_day_stories_split_by_day_when_the_input_says_so() {
    // 40 confident same-day pairs teach the input's time scale; then two
    // near-identical texts one day apart stay apart, while the default
    // window (three days' grace) would have joined them.
    let mut vectors = Vec::new();
    let mut days = Vec::new();
    let mut pairs = Vec::new();
    for k in 0..40u64 {
        let i = vectors.len();
        vectors.extend([unit(&[k, 1000 + k]), unit(&[k, 1000 + k])]);
        days.extend([Some(5), Some(5)]);
        pairs.push((i, i + 1));
    }
    let i = vectors.len();
    vectors.extend([unit(&[7000, 7001]), unit(&[7000, 7001, 7002])]);
    days.extend([Some(5), Some(6)]);
    pairs.push((i, i + 1));
    let initial: Vec<usize> = (0..vectors.len()).collect();
    let reps = cluster(vectors.clone(), &days, &initial, &pairs, &config(0.3));
    assert_ne!(reps[i], reps[i + 1]);
    let fixed = ClusterConfig { date_spread_factor: 0.0, ..config(0.3) };
    let reps = cluster(vectors.clone(), &days, &initial, &pairs, &fixed);
    assert_eq!(reps[i], reps[i + 1]);
}

/// Three articles, no index: each pair a neighbour of the other.
fn every_pair_neighbours(vectors: &[Sparse]) -> Vec<Vec<(usize, f32)>> {
    let n = vectors.len();
    (0..n)
        .map(|a| (0..n).filter(|&b| b != a).map(|b| (b, sparse_dot(&vectors[a], &vectors[b]) as f32)).collect())
        .collect()
}

#[test]
fn a_copy_published_later_is_dated_as_its_original() {
    // Monday's market report (0), its copy republished on Tuesday (1, one
    // duplicate group with 0), and Tuesday's own market report (2), much
    // like Monday's. With a one-day window, Tuesday's report is a story of
    // its own: the copy does not stretch Monday's group over Tuesday.
    use crate::fingerprint::{DupGroups, DupLink};
    use crate::represent::StoryVector;
    let vectors = vec![unit(&[1, 2, 3, 4]), unit(&[1, 2, 3, 4]), unit(&[1, 2, 3, 9])];
    let days = [Some(100), Some(101), Some(101)];
    let dups = DupGroups { group_of: vec![0, 0, 2], links: vec![DupLink { a: 0, b: 1, resemblance: 1.0 }] };
    let one_day = ClusterConfig { date_grace_days: 0, date_scale_days: 0.1, date_spread_factor: 0.0, ..config(0.3) };
    let story_vectors = |v: &[Sparse]| v.iter().map(|t| StoryVector { terms: t.clone() }).collect();
    let clustering = stories(&days, &dups, story_vectors(&vectors), every_pair_neighbours(&vectors), &one_day);
    let members: Vec<Vec<usize>> = clustering.stories.iter().map(|s| s.members.clone()).collect();
    assert_eq!(members, vec![vec![0, 1], vec![2]]);
    // Without the copy the same two reports are two stories as well, and
    // with the copy on Monday too.
    let monday = [Some(100), Some(100), Some(101)];
    let clustering = stories(&monday, &dups, story_vectors(&vectors), every_pair_neighbours(&vectors), &one_day);
    assert_eq!(clustering.stories.len(), 2);
    assert_eq!(
        copies_dated_by_first(&[Some(7), None, Some(5), Some(9)], &[0, 0, 0, 3]),
        [Some(5), None, Some(5), Some(9)]
    );
}

#[test]
fn ranked_terms_keep_their_order_and_identity() {
    let vectors: Vec<Sparse> = vec![
        vec![(7, 0.5), (u64::MAX, 0.25)],
        vec![(3, 1.0), (7, 2.0), (1 << 40, 3.0)],
        vec![],
        vec![(1 << 40, 0.125)],
    ];
    let (ranked, n_terms) = rank_terms(vectors.clone());
    assert_eq!(n_terms, 4);
    assert_eq!(ranked, vec![vec![(1, 0.5), (3, 0.25)], vec![(0, 1.0), (1, 2.0), (2, 3.0)], vec![], vec![(2, 0.125)]]);
    // Dot products and sums come out the same to the bit.
    for a in 0..vectors.len() {
        for b in 0..vectors.len() {
            assert_eq!(sum_dot(&ranked[a], &ranked[b]).to_bits(), sum_dot(&vectors[a], &vectors[b]).to_bits());
            let (sum, ranked_sum) = (sparse_add(&vectors[a], &vectors[b]), sparse_add(&ranked[a], &ranked[b]));
            assert_eq!(sum.iter().map(|p| p.1).collect::<Vec<_>>(), ranked_sum.iter().map(|p| p.1).collect::<Vec<_>>());
        }
    }
}

fn ranked(map: std::collections::BTreeMap<u32, f32>) -> Vec<(u32, f32)> {
    map.into_iter().collect()
}

proptest::proptest! {
    /// The dot products a merge takes through the table are those of the
    /// term-list walk to the bit, and the table is clean for the next sum.
    #[test]
    fn scatter_dots_equal_sum_dot_to_the_bit(
        sums in proptest::collection::vec(proptest::collection::btree_map(0u32..64, -2.0f32..2.0, 0..40), 1..4),
        others in proptest::collection::vec(proptest::collection::btree_map(0u32..64, -2.0f32..2.0, 0..40), 0..6),
    ) {
        let mut scatter = Scatter::new(64);
        let others: Vec<Vec<(u32, f32)>> = others.into_iter().map(ranked).collect();
        for sum in sums.into_iter().map(ranked) {
            for x in &others {
                proptest::prop_assert_eq!(scatter.dot(&sum, x).to_bits(), sum_dot(&sum, x).to_bits());
            }
            scatter.unload(&sum);
            proptest::prop_assert!(scatter.weights.iter().all(|&w| w == 0.0));
        }
    }
}

#[test]
fn pruning_stale_pairs_changes_no_merge() {
    // 400 items of 8 random terms out of 60 (xorshift, fixed seed): cosines
    // spread evenly, so which clusters form depends on every merge taken in
    // its turn, and clusters merge again and again, leaving stale pairs.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let vectors: Vec<Sparse> = (0..400)
        .map(|_| {
            let mut terms: Vec<(u64, f32)> = (0..8).map(|_| (next() % 60, 1.0 + (next() % 4) as f32)).collect();
            terms.sort_unstable_by_key(|&(t, _)| t);
            terms.dedup_by_key(|&mut (t, _)| t);
            let norm = terms.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
            terms.into_iter().map(|(t, w)| (t, w / norm)).collect()
        })
        .collect();
    let pairs = scored_pairs(&vectors, &all_pairs(400));
    let days = vec![None; 400];
    let initial: Vec<usize> = (0..400).collect();
    // No attachment pass: this is about the agglomeration's merges.
    let config = ClusterConfig { attach_max_size: 0, ..config(0.3) };
    let run =
        |min_pruned| group_average_pruning_at(vectors.clone(), &days, &initial, None, &pairs, &config, min_pruned);
    let never = run(1 << 40);
    let clusters = groups(&never).len();
    assert!((2..200).contains(&clusters), "{clusters} clusters: the merges must be many and not all");
    assert_eq!(run(1), never);
    assert_eq!(run(16), never);
}

#[test]
fn a_pair_exactly_at_the_threshold_merges() {
    // Two identical one-term vectors: their similarity is exactly 1.0.
    let vectors: Vec<Sparse> = vec![vec![(1, 1.0)], vec![(1, 1.0)]];
    let at = cluster(vectors.clone(), &[None; 2], &[0, 1], &[(0, 1)], &config(1.0));
    assert_eq!(groups(&at), vec![vec![0, 1]]);
    let above = config(f32::from_bits(1.0f32.to_bits() + 1));
    let reps = cluster(vectors, &[None; 2], &[0, 1], &[(0, 1)], &above);
    assert_eq!(groups(&reps), vec![vec![0], vec![1]]);
}

/// Similarities and thresholds around the boundary cases of floating point.
fn boundary_values() -> impl proptest::strategy::Strategy<Value = f64> {
    proptest::prop_oneof![
        proptest::num::f64::POSITIVE
            | proptest::num::f64::NEGATIVE
            | proptest::num::f64::NORMAL
            | proptest::num::f64::SUBNORMAL
            | proptest::num::f64::ZERO,
        proptest::sample::select(vec![0.0, -0.0, 0.04, 0.07, f64::MIN_POSITIVE, 1.0, f64::MAX, f64::NAN]),
    ]
}

proptest::proptest! {
    /// The merge decision, similarity against threshold, is the one the
    /// ranking margin gives (`margin >= 0`): a queued pair never has a
    /// negative margin, and no pair is dropped that the margin would keep.
    #[test]
    fn may_merge_is_a_margin_of_at_least_zero(similarity in boundary_values(), threshold in boundary_values()) {
        let standing = agglomeration::Standing { similarity, threshold };
        proptest::prop_assert_eq!(standing.may_merge(), standing.margin() >= 0.0);
    }
}

#[test]
fn stories_are_ranked_by_size_then_smallest_member() {
    // Clusters {0, 1}, {2, 3, 4} and {5}; copies {0, 1} and {3, 4}.
    let reps = [0, 0, 2, 2, 2, 5];
    let group_of = [0, 0, 2, 3, 3, 5];
    let link = |a, b, score| Link { a, b, score };
    let edges = [link(0, 1, 0.5), link(1, 2, 0.3), link(3, 4, 0.9), link(4, 5, 0.2)];
    let dup_links = [link(0, 1, 0.8), link(3, 4, 0.95)];
    let clustering = assemble(&reps, &group_of, &edges, &dup_links);
    let ids: Vec<(&str, &[usize])> = clustering.stories.iter().map(|s| (s.id.as_str(), &s.members[..])).collect();
    assert_eq!(ids, vec![("s1", &[2, 3, 4][..]), ("s2", &[0, 1][..]), ("s3", &[5][..])]);
    // Each story keeps the links between its own members only.
    assert_eq!(clustering.stories[0].links, vec![link(3, 4, 0.9)]);
    assert_eq!(clustering.stories[1].links, vec![link(0, 1, 0.5)]);
    assert!(clustering.stories[2].links.is_empty());
    // Duplicate groups are ranked over the whole input (same size: smallest
    // member first) and sit in the story of their members.
    let dup = |story: usize| -> Vec<(&str, &[usize], &[Link])> {
        clustering.stories[story].dup_groups.iter().map(|g| (g.id.as_str(), &g.members[..], &g.links[..])).collect()
    };
    assert_eq!(dup(0), vec![("d2", &[3, 4][..], &[link(3, 4, 0.95)][..])]);
    assert_eq!(dup(1), vec![("d1", &[0, 1][..], &[link(0, 1, 0.8)][..])]);
    assert!(dup(2).is_empty());
}

#[test]
fn dup_groups_are_the_groups_of_two_or_more_largest_first() {
    use crate::fingerprint::{DupGroups, DupLink};
    let dups = DupGroups {
        group_of: vec![0, 1, 0, 3, 1, 1],
        links: vec![
            DupLink { a: 0, b: 2, resemblance: 0.5 },
            DupLink { a: 1, b: 4, resemblance: 0.75 },
            DupLink { a: 4, b: 5, resemblance: 0.625 },
        ],
    };
    let groups = dup_groups(&dups);
    let summary: Vec<(&str, &[usize], Vec<f32>)> =
        groups.iter().map(|g| (g.id.as_str(), &g.members[..], g.links.iter().map(|l| l.score).collect())).collect();
    assert_eq!(summary, vec![("d1", &[1, 4, 5][..], vec![0.75, 0.625]), ("d2", &[0, 2][..], vec![0.5])]);
}

#[test]
fn candidates_are_each_neighbour_pair_once_scored_and_floored() {
    use crate::represent::StoryVector;
    let vector = |terms: &[u64]| StoryVector { terms: unit(terms) };
    let vectors = vec![vector(&[1, 2]), vector(&[1, 2]), vector(&[2, 3]), vector(&[9])];
    // 0 and 1 find each other; 2 finds 0; 3 finds 0 (nothing shared).
    let neighbours = vec![vec![(1, 0.9)], vec![(0, 0.9)], vec![(0, 0.4)], vec![(0, 0.1)]];
    let days = [Some(10), Some(10), Some(40), None];
    let config = ClusterConfig::default();
    let candidates = Candidates::rescore(&days, &vectors, neighbours, &config);
    let found: Vec<(usize, usize)> = candidates.links.iter().map(|l| (l.a, l.b)).collect();
    assert_eq!(found, vec![(0, 1), (0, 2), (0, 3)]);
    // Scores are exact cosines times the date factor of the pair's gap.
    let cosine_02 = vectors[0].cosine(&vectors[2]);
    assert_eq!(candidates.links[1].score, cosine_02 * config.date_factor(Some(30)));
    assert!((candidates.links[0].score - 1.0).abs() < 1e-6);
    // The pair sharing nothing falls under the floor; the others keep
    // their exact dot products.
    let pairs: Vec<(usize, usize)> = candidates.pairs.iter().map(|p| (p.a, p.b)).collect();
    assert_eq!(pairs, vec![(0, 1), (0, 2)]);
    assert_eq!(candidates.pairs[1].dot, sparse_dot(&vectors[0].terms, &vectors[2].terms));
}

#[test]
fn watching_a_pair_changes_no_result_and_traces_its_decision() {
    // 300 items of 6 random terms out of 50 over ten days (xorshift, fixed
    // seed), with the attachment pass: clusters merge again and again, and
    // some small ones are attached.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let n = 300;
    let vectors: Vec<Sparse> = (0..n)
        .map(|_| {
            let mut terms: Vec<(u64, f32)> = (0..6).map(|_| (next() % 50, 1.0 + (next() % 4) as f32)).collect();
            terms.sort_unstable_by_key(|&(t, _)| t);
            terms.dedup_by_key(|&mut (t, _)| t);
            let norm = terms.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
            terms.into_iter().map(|(t, w)| (t, w / norm)).collect()
        })
        .collect();
    let days: Vec<Option<i64>> = (0..n).map(|_| Some((next() % 10) as i64)).collect();
    let pairs = scored_pairs(&vectors, &all_pairs(n));
    let mut initial: Vec<usize> = (0..n).collect();
    initial[7] = 3; // a starting group of two
    let config = config(0.25);
    let starts = Starts { initial: &initial, new: None, sizes: None, known: None };
    let run = |watch| {
        let (reps, _, trace) =
            agglomerate(vectors.clone(), &days, starts, &pairs, &config, MIN_PRUNED_HEAP, watch, false);
        (reps, trace)
    };
    let (unwatched, none) = run(None);
    assert!(none.is_none());
    let clusters = groups(&unwatched).len();
    assert!((2..n / 2).contains(&clusters), "{clusters} clusters: the merges must be many and not all");
    let (mut merged, mut apart, mut attached) = (0, 0, 0);
    for (a, b) in (0..n).step_by(7).flat_map(|a| (a + 1..n).step_by(13).map(move |b| (a, b))) {
        let (reps, trace) = run(Some((a, b)));
        assert_eq!(reps, unwatched, "watching {a} and {b} changed the result");
        let trace = trace.expect("a trace");
        let together = reps[a] == reps[b];
        match trace.joined {
            Some(score) => {
                assert!(together && score.may_merge(), "{a} {b}: {score:?}");
                assert_eq!(score.similarity, score.mean_cosine * score.date_factor);
                merged += 1;
            }
            None if together => {
                assert!(trace.attachments.iter().any(|x| x.moved), "{a} {b} together without a merge: {trace:?}");
                attached += 1;
            }
            None => {
                assert!(trace.attachments.iter().all(|x| !x.moved || !x.target_holds_other), "{a} {b}: {trace:?}");
                apart += 1;
            }
        }
        if let Some(best) = trace.best {
            assert!(trace.comparisons >= 1 && trace.last.is_some());
            assert!(trace.last.is_some_and(|last| last.margin() <= best.margin()));
        }
    }
    assert!(merged > 0 && apart > 0 && attached > 0, "merged {merged}, apart {apart}, attached {attached}");
    let (_, copies) = run(Some((3, 7)));
    assert!(copies.is_some_and(|trace| trace.same_start && trace.joined.is_none()));
}

/// Stories and storylines of articles with `vectors` published on `days`,
/// no copies, every pair a neighbour, with the default settings but the
/// storyline `threshold`.
fn stories_and_storylines(vectors: &[Sparse], days: &[Option<i64>], threshold: f32) -> Clustering {
    use crate::fingerprint::DupGroups;
    use crate::index::IndexConfig;
    use crate::represent::StoryVector;
    let n = vectors.len();
    let dups = DupGroups { group_of: (0..n).collect(), links: Vec::new() };
    let neighbours: Vec<Vec<(usize, f32)>> = (0..n)
        .map(|a| (0..n).filter(|&b| b != a).map(|b| (b, sparse_dot(&vectors[a], &vectors[b]) as f32)).collect())
        .collect();
    let story_vectors = vectors.iter().map(|v| StoryVector { terms: v.clone() }).collect();
    let (mut clustering, sums) = stories_with_sums(days, &dups, story_vectors, neighbours, &ClusterConfig::default());
    let config = StorylineConfig { threshold, ..StorylineConfig::default() };
    storylines(&mut clustering, sums, days, &config, &IndexConfig::default(), 64);
    clustering
}

/// The storylines as lists of their stories' members, in the storyline's
/// (time) order.
fn storyline_members(clustering: &Clustering) -> Vec<Vec<Vec<usize>>> {
    let stories = &clustering.stories;
    clustering.storylines.iter().map(|l| l.stories.iter().map(|&k| stories[k].members.clone()).collect()).collect()
}

#[test]
fn two_events_of_one_saga_months_apart_are_two_stories_in_one_storyline() {
    // Terms 100..106 name the saga (a trial: its court, defendant, charge);
    // 1..4 are the arrest, 20..23 the verdict 300 days later; 50..58 an
    // unrelated story between them.
    let saga: Vec<u64> = (100..106).collect();
    let with_saga = |event: &[u64]| unit(&[&saga[..], event].concat());
    let vectors = vec![
        with_saga(&[1, 2, 3]),
        with_saga(&[1, 2, 4]),
        with_saga(&[2, 3, 4]),
        with_saga(&[20, 21, 22]),
        with_saga(&[20, 21, 23]),
        with_saga(&[21, 22, 23]),
        unit(&[50, 51, 52, 53, 54]),
        unit(&[50, 51, 52, 55, 56]),
        unit(&[50, 53, 54, 57, 58]),
    ];
    let days = [0, 1, 1, 300, 300, 301, 150, 150, 151].map(Some);
    let clustering = stories_and_storylines(&vectors, &days, StorylineConfig::default().threshold);
    let stories: Vec<&[usize]> = clustering.stories.iter().map(|s| &s.members[..]).collect();
    assert_eq!(stories, vec![&[0, 1, 2][..], &[3, 4, 5][..], &[6, 7, 8][..]], "the date decay keeps the events apart");
    // The saga's storyline holds both events, arrest first; the unrelated
    // story is a storyline of its own. Ids rank by articles, then smallest
    // article.
    assert_eq!(storyline_members(&clustering), vec![vec![vec![0, 1, 2], vec![3, 4, 5]], vec![vec![6, 7, 8]]]);
    let ids: Vec<&str> = clustering.storylines.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["l1", "l2"]);
    // A threshold of one keeps every story its own storyline.
    let apart = stories_and_storylines(&vectors, &days, 1.0);
    assert_eq!(apart.storylines.len(), 3);
}

#[test]
fn unrelated_stories_stay_in_separate_storylines() {
    // Four stories on disjoint terms, on one day, years apart or undated.
    let vectors =
        vec![unit(&[1, 2, 3]), unit(&[1, 2, 3, 4]), unit(&[10, 11, 12]), unit(&[30, 31, 32]), unit(&[20, 21, 22])];
    let days = [Some(0), Some(0), Some(0), Some(900), None];
    let clustering = stories_and_storylines(&vectors, &days, StorylineConfig::default().threshold);
    assert_eq!(clustering.stories.len(), clustering.storylines.len());
    assert!(clustering.storylines.iter().all(|l| l.stories.len() == 1));
}

#[test]
fn storylines_in_time_order_put_undated_stories_last() {
    // Three events sharing 2 saga terms of 40 (cosine 0.05: three stories,
    // even undated, but one storyline). The largest story (ranked s1) is
    // the latest; the undated one is last.
    let event = |first: u64| unit(&[&[100, 101][..], &(first..first + 38).collect::<Vec<_>>()].concat());
    let vectors = vec![event(0), event(1000), event(1000), event(2000)];
    let days = [Some(100), Some(500), Some(500), None];
    let clustering = stories_and_storylines(&vectors, &days, StorylineConfig::default().threshold);
    assert_eq!(storyline_members(&clustering), vec![vec![vec![0], vec![1, 2], vec![3]]]);
    assert_eq!(clustering.storyline_of_stories(), vec![Some(0); 3]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Whatever the input, every story is in exactly one storyline, whole
    /// (storylines list stories, and each story once), and storylines are
    /// ranked by articles, then by smallest article.
    #[test]
    fn a_storyline_is_a_union_of_whole_stories(
        terms in proptest::collection::vec(proptest::collection::btree_set(0u64..24, 1..6), 1..40),
        day_of in proptest::collection::vec(proptest::option::of(0i64..400), 40),
        threshold in proptest::sample::select(vec![0.0f32, 0.01, 0.022, 0.1, 0.5]),
    ) {
        let vectors: Vec<Sparse> = terms.iter().map(|t| unit(&t.iter().copied().collect::<Vec<_>>())).collect();
        let days = &day_of[..vectors.len()];
        let clustering = stories_and_storylines(&vectors, days, threshold);
        let mut seen = vec![0usize; clustering.stories.len()];
        for line in &clustering.storylines {
            for &k in &line.stories {
                seen[k] += 1;
            }
        }
        proptest::prop_assert!(seen.iter().all(|&n| n == 1), "each story in one storyline: {seen:?}");
        let key = |line: &Storyline| {
            let articles: usize = line.stories.iter().map(|&k| clustering.stories[k].members.len()).sum();
            let smallest = line.stories.iter().map(|&k| clustering.stories[k].members[0]).min();
            (std::cmp::Reverse(articles), smallest)
        };
        let keys: Vec<_> = clustering.storylines.iter().map(key).collect();
        proptest::prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "ranked: {keys:?}");
        for (rank, line) in clustering.storylines.iter().enumerate() {
            proptest::prop_assert_eq!(&line.id, &format!("l{}", rank + 1));
        }
    }
}

#[test]
fn storylines_beyond_the_exhaustive_limit_come_from_the_index() {
    // More stories than one exhaustive undated shard holds (8,192), so
    // the story centroids are searched through content lists: 8,200
    // unrelated single articles and 50 sagas of two events 300 days apart.
    use crate::fingerprint::DupGroups;
    use crate::index::IndexConfig;
    use crate::represent::StoryVector;
    let (singles, sagas) = (8_200u64, 50u64);
    let mut vectors: Vec<Sparse> = (0..singles).map(|i| unit(&(10 * i..10 * i + 5).collect::<Vec<_>>())).collect();
    let mut days: Vec<Option<i64>> = (0..singles).map(|i| Some((i % 400) as i64)).collect();
    let mut neighbours: Vec<Vec<(usize, f32)>> = vec![Vec::new(); singles as usize];
    for s in 0..sagas {
        let saga: Vec<u64> = (1_000_000 + 10 * s..1_000_000 + 10 * s + 6).collect();
        for (event, day) in [(0u64, 0i64), (1, 300)] {
            let first = vectors.len();
            for a in 0..3u64 {
                let own = 2_000_000 + 100 * s + 10 * event + a;
                vectors.push(unit(&[&saga[..], &[own, own + 5][..]].concat()));
                days.push(Some(day + s as i64));
            }
            for a in first..first + 3 {
                let found = (first..first + 3).filter(|&b| b != a).map(|b| (b, 0.5)).collect();
                neighbours.push(found);
            }
        }
    }
    let n = vectors.len();
    let dups = DupGroups { group_of: (0..n).collect(), links: Vec::new() };
    let story_vectors = vectors.into_iter().map(|terms| StoryVector { terms }).collect();
    let (mut clustering, sums) = stories_with_sums(&days, &dups, story_vectors, neighbours, &ClusterConfig::default());
    assert_eq!(clustering.stories.len(), (singles + 2 * sagas) as usize, "each event its own story");
    storylines(&mut clustering, sums, &days, &StorylineConfig::default(), &IndexConfig::default(), 64);
    let members = storyline_members(&clustering);
    // The content lists are approximate: among 8,200 points of no
    // structure (random projections) a pair is missed now and then.
    let mut joined = 0;
    for line in &members {
        let first = line[0][0];
        if first < singles as usize {
            assert_eq!(line.len(), 1, "an unrelated story joined a storyline: {line:?}");
        } else if line.len() == 2 {
            // Both events of one saga, the earlier first.
            assert_eq!(line[1][0], first + 3);
            joined += 1;
        } else {
            assert_eq!(line.len(), 1, "a storyline of {} stories: {line:?}", line.len());
        }
    }
    assert!(joined >= 45, "only {joined} of {sagas} sagas in one storyline");
}

/// Items 0-2 and 5 of one known story (0 and 1 in its home cluster), 3 and
/// 4 new; item 2 sits with new item 3, item 5 alone. `vector_2` is item
/// 2's vector; the others: the story's theme, and a new theme for 3 and 4.
fn settled(vector_2: Sparse, reps: [usize; 6]) -> Vec<usize> {
    let old = unit(&[1, 2, 3]);
    let new = unit(&[7, 8, 9]);
    let vectors = vec![old.clone(), old.clone(), vector_2, new.clone(), new, old];
    let known = [Some(0), Some(0), Some(0), None, None, Some(0)];
    let is_new = [false, false, false, true, true, false];
    let days = [Some(0); 6];
    let mut reps = reps.to_vec();
    let items = settle::Items { known: &known, new: &is_new, vectors: &vectors, days: &days };
    settle::settle_known(&mut reps, items, &ClusterConfig::default());
    reps
}

#[test]
fn a_known_story_does_not_split_on_its_own() {
    // Item 5 ended alone, with no new item: it goes back to its story.
    let reps = settled(unit(&[1, 2, 3]), [0, 0, 0, 3, 4, 5]);
    assert_eq!(groups(&reps), [vec![0, 1, 2, 5], vec![3], vec![4]]);
}

#[test]
fn a_stored_item_leaves_its_story_with_new_items_only_when_closer_to_them() {
    // Item 2 reads as the new items do: it stays with them.
    let reps = settled(unit(&[7, 8, 9]), [0, 0, 2, 2, 2, 0]);
    assert_eq!(groups(&reps), [vec![0, 1, 5], vec![2, 3, 4]]);
    // Item 2 reads as its story does: it goes back, the new items stay.
    let reps = settled(unit(&[1, 2, 3]), [0, 0, 2, 2, 2, 0]);
    assert_eq!(groups(&reps), [vec![0, 1, 2, 5], vec![3, 4]]);
}

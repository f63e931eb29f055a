//! Unit tests of the content lists: every point in one list, list sizes
//! and undated counts bounded, exact visit counts, copies of one vector
//! still cut, and the work bound as a count of dot products.

use super::*;
use crate::index::tests::grouped_rows;

// As `ShardPlan` sets them for a shard size of 100.
const PARAMS: ContentParams = ContentParams { target: 50, max_undated: 100, max_rows: 200, probes: 3 };

/// The list (shard) of each point, checking that each point is in one.
fn list_of(shards: &[ContentShard], n: usize) -> Vec<Option<usize>> {
    let mut of = vec![None; n];
    for (s, shard) in shards.iter().enumerate() {
        for &p in &shard.points {
            assert_eq!(of[p], None, "point {p} is in two lists");
            of[p] = Some(s);
        }
    }
    of
}

#[test]
fn every_point_is_in_one_list_and_lists_are_bounded() {
    let (n, dims) = (3_000, 16);
    let rows = grouped_rows(n, dims, 4, 0.3, 5);
    // Every third point dated.
    let undated: Vec<usize> = (0..n).filter(|p| p % 3 != 0).collect();
    let dated: Vec<usize> = (0..n).filter(|p| p % 3 == 0).collect();
    let (shards, _) = content_shards(&rows, dims, &undated, &dated, &PARAMS);
    let of = list_of(&shards, n);
    assert!(of.iter().all(Option::is_some), "a point in no list");
    assert!(shards.len() >= undated.len() / PARAMS.max_undated && shards.len() >= n / PARAMS.max_rows);
    let mut visits = vec![0; n];
    for (s, shard) in shards.iter().enumerate() {
        let n_undated = shard.points.iter().filter(|&&p| p % 3 != 0).count();
        assert!(!shard.points.is_empty() && shard.points.len() <= PARAMS.max_rows, "list of {}", shard.points.len());
        assert!(n_undated <= PARAMS.max_undated, "list of {n_undated} undated points");
        assert!(shard.points.windows(2).all(|w| w[0] < w[1]) && shard.visitors.windows(2).all(|w| w[0] < w[1]));
        assert!(shard.visitors.iter().all(|&p| of[p] != Some(s)), "a point visits its own list");
        shard.visitors.iter().for_each(|&p| visits[p] += 1);
    }
    // An undated point visits probes - 1 other lists, a dated one (which
    // has its date shard too) one fewer.
    for (p, &v) in visits.iter().enumerate() {
        assert_eq!(v, PARAMS.probes - 1 - usize::from(p % 3 == 0), "point {p}");
    }
}

#[test]
fn near_identical_rows_share_a_shard() {
    // Pairs of rows a hair apart (and pairs of copies), among loose
    // groups. Copies always share a list; near copies nearly always do,
    // and when a boundary runs between them, one visits the other's list.
    let (n, dims) = (4_000, 24);
    for noise in [0.0, 0.01] {
        let rows = grouped_rows(n, dims, 2, noise, 9);
        let undated: Vec<usize> = (0..n).collect();
        let (shards, _) = content_shards(&rows, dims, &undated, &[], &PARAMS);
        let of = list_of(&shards, n);
        let (mut same_list, mut compared) = (0, 0);
        for a in (0..n).step_by(2) {
            let b = a + 1;
            let (sa, sb) = (of[a].expect("listed"), of[b].expect("listed"));
            same_list += usize::from(sa == sb);
            compared += usize::from(sa == sb || shards[sa].visitors.contains(&b) || shards[sb].visitors.contains(&a));
        }
        let pairs = n / 2;
        if noise == 0.0 {
            assert_eq!(same_list, pairs, "copies in one list");
        }
        assert!(same_list * 10 >= pairs * 9, "noise {noise}: {same_list} of {pairs} pairs in one list");
        assert!(compared * 1000 >= pairs * 999, "noise {noise}: {compared} of {pairs} pairs compared");
    }
}

#[test]
fn same_shards_on_every_thread_count() {
    let (n, dims) = (2_500, 16);
    let rows = grouped_rows(n, dims, 3, 0.4, 17);
    let undated: Vec<usize> = (0..n).filter(|p| p % 5 != 0).collect();
    let dated: Vec<usize> = (0..n).filter(|p| p % 5 == 0).collect();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| content_shards(&rows, dims, &undated, &dated, &PARAMS))
    };
    let one = run(1);
    assert_eq!(one, run(3));
    assert_eq!(one, run(1));
}

#[test]
fn copies_of_one_row_are_cut_by_position() {
    // k-means cannot tell copies apart; the lists must still be bounded,
    // by undated points (all undated) and by points (mostly dated).
    let dims = 8;
    let mut rows = vec![0.0f32; 450 * dims];
    rows.chunks_exact_mut(dims).for_each(|row| row[3] = 1.0);
    let all: Vec<usize> = (0..450).collect();
    for (undated, dated) in [(&all[..], &[][..]), (&all[..120], &all[120..])] {
        let (shards, _) = content_shards(&rows, dims, undated, dated, &PARAMS);
        let of = list_of(&shards, 450);
        assert!(of.iter().all(Option::is_some));
        assert!(shards.iter().all(|s| s.points.len() <= PARAMS.max_rows));
        assert!(shards.iter().all(|s| s.points.iter().filter(|&&p| p < undated.len()).count() <= PARAMS.max_undated));
    }
}

#[test]
fn best_ranks_by_value_then_position() {
    assert_eq!(best(&[0.5, 0.9, 0.5, 0.1], 3), vec![(1, 0.9), (0, 0.5), (2, 0.5)]);
    assert_eq!(best(&[0.2], 3), vec![(0, 0.2)]);
}

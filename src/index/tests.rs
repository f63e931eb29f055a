//! Unit tests of the index: exhaustive shards give the exact neighbours,
//! graphs their recall, the shard plan (cores at day boundaries, context,
//! undated and content shards) and the bounded work of content lists.

use super::*;

/// Seeded unit rows of `dims`, in tight groups of `group` (a random centre
/// plus a little noise each).
pub(super) fn grouped_rows(n: usize, dims: usize, group: usize, noise: f32, seed: u64) -> Vec<f32> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let mut out = Vec::with_capacity(n * dims);
    let mut centre = vec![0.0f32; dims];
    for i in 0..n {
        if i % group == 0 {
            centre.iter_mut().for_each(|c| *c = next());
        }
        let mut row: Vec<f32> = centre.iter().map(|c| c + noise * next()).collect();
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        row.iter_mut().for_each(|x| *x /= norm);
        out.extend(row);
    }
    out
}

/// Seeded random unit vectors in tight groups of five.
fn vectors(n: usize, dims: usize, seed: u64) -> Vec<f32> {
    grouped_rows(n, dims, 5, 0.3, seed)
}

#[test]
fn recall_against_brute_force() {
    let seed = 7;
    let (n, dims, k) = (2_000, 32, 10);
    let data = vectors(n, dims, seed);
    let days = vec![None; n];
    // Graphs for every shard, however small: this tests hnsw_rs.
    let config = IndexConfig { ef_search: 96, exact_max_points: 0, ..IndexConfig::default() };
    let plan = ShardPlan::new(&days, &data, dims, &config);
    let approx = all_neighbours(&data, dims, &plan, k, &config);
    let all: Vec<usize> = (0..n).collect();
    let exact = exact_neighbours(&data, dims, &all, k, None);
    let mut hits = 0;
    for (a, e) in approx.iter().zip(&exact) {
        hits += e.iter().filter(|(j, _)| a.iter().any(|(x, _)| x == j)).count();
    }
    let recall = hits as f64 / (n * k) as f64;
    assert!(recall >= 0.95, "recall@{k} = {recall:.3} (seed {seed})");
    assert!(approx.iter().enumerate().all(|(i, ns)| ns.iter().all(|&(j, _)| j != i)));
}

#[test]
fn exhaustive_shards_give_the_exact_neighbours() {
    // Dated points over several shards with context, some undated; 9
    // dimensions (a tail after the 8 lanes) and shard cores of 7 (not a
    // whole number of query blocks).
    let (n, dims, k) = (230, 9, 6);
    let data = vectors(n, dims, 11);
    let days: Vec<Option<i64>> = (0..n).map(|i| if i % 10 == 3 { None } else { Some((i * 7 % 40) as i64) }).collect();
    let config = IndexConfig { shard_size: 7, window_days: 2, ..IndexConfig::default() };
    assert!(config.exact_max_points >= 2 * config.shard_size);
    let plan = ShardPlan::new(&days, &data, dims, &config);
    let approx = all_neighbours(&data, dims, &plan, k, &config);
    let all: Vec<usize> = (0..n).collect();
    let exact = exact_neighbours(&data, dims, &all, k, Some(&plan));
    for i in 0..n {
        assert_eq!(approx[i], exact[i], "point {i}");
    }
    // With every shard, the undated one too, as a graph, the lists differ
    // (in neighbours, or in similarities, which hnsw_rs gives as 1 -
    // distance): so the exhaustive path was the one taken above.
    let graphs = IndexConfig { exact_max_points: 0, ef_search: 7, ef_construction: 8, max_connections: 3, ..config };
    assert_ne!(all_neighbours(&data, dims, &plan, k, &graphs), exact);
}

#[test]
fn keep_best_passes_over_only_what_cannot_enter_the_list() {
    // Rows beyond one skipped run; ties with the seed are kept (the
    // lower index first), rows under it dropped, the query left out,
    // and a NaN ranks as `better` ranks it, never passed over.
    let points: Vec<usize> = (0..40).collect();
    let mut sims = vec![0.1f32; 40];
    sims[0] = 0.95;
    sims[3] = 0.5;
    sims[20] = 0.7;
    sims[33] = 0.5;
    let mut into = vec![(99, 0.99)];
    keep_best(&mut into, 3, (0, 0.5), &points, &sims);
    assert_eq!(into, vec![(99, 0.99), (20, 0.7), (3, 0.5), (33, 0.5)]);
    sims[37] = f32::NAN;
    let mut into = Vec::new();
    keep_best(&mut into, 2, (0, 0.6), &points, &sims);
    assert_eq!((into[0].0, into[1]), (37, (20, 0.7)));
}

#[test]
fn tiny_inputs() {
    let config = IndexConfig::default();
    let data = vec![1.0, 0.0, 0.0, 1.0];
    let days = vec![Some(3), None];
    let plan = ShardPlan::new(&days, &data, 2, &config);
    let ns = all_neighbours(&data, 2, &plan, 5, &config);
    assert_eq!(ns[0], vec![(1, 0.0)]);
    assert!(ns[1].is_empty(), "an undated point searches only the undated shard");
    let single = vec![1.0, 0.0];
    let plan = ShardPlan::new(&[None], &single, 2, &config);
    assert!(all_neighbours(&single, 2, &plan, 3, &config)[0].is_empty());
}

#[test]
fn shards_follow_publication_order_with_context_from_the_window() {
    let config = IndexConfig { shard_size: 2, window_days: 7, ..IndexConfig::default() };
    // Days out of index order, one undated point.
    let days = vec![Some(20), Some(0), None, Some(1), Some(10), Some(30), Some(14)];
    let plan = ShardPlan::new(&days, &[], 1, &config);
    // Cores in day order: [1, 3] (days 0, 1), [4, 6] (10, 14), [0, 5]
    // (20, 30). Core [4, 6] starts on day 10: days 0 and 1 are more than
    // 7 days before, so no context. Core [0, 5] starts on day 20: day 14
    // is within the window, day 10 is not.
    assert_eq!(plan.shards, vec![vec![1, 3], vec![4, 6], vec![6, 0, 5], vec![2]]);
    assert_eq!(plan.scope(0), vec![2, 3]);
    assert_eq!(plan.scope(6), vec![1, 3]);
    assert_eq!(plan.scope(2), vec![3]);
}

/// Points published on days 0, 1, ...: `per_day[d]` of them on day `d`.
fn days_of(per_day: &[usize]) -> Vec<Option<i64>> {
    per_day.iter().enumerate().flat_map(|(d, &n)| std::iter::repeat_n(Some(d as i64), n)).collect()
}

#[test]
fn cores_end_at_day_boundaries_and_a_large_day_is_split_evenly() {
    // Days 0..6 hold 1, 2, 7, 1, 1, 4, 2 points; cores of at most 3.
    let days = days_of(&[1, 2, 7, 1, 1, 4, 2]);
    let config = IndexConfig { shard_size: 3, window_days: 0, ..IndexConfig::default() };
    let plan = ShardPlan::new(&days, &[], 1, &config);
    let core_days: Vec<Vec<i64>> = (0..plan.shards.len())
        .map(|s| plan.shards[s][plan.core_start[s]..].iter().map(|&p| days[p].unwrap()).collect())
        .collect();
    assert_eq!(
        core_days,
        vec![vec![0, 1, 1], vec![2, 2], vec![2, 2], vec![2, 2, 2], vec![3, 4], vec![5, 5], vec![5, 5], vec![6, 6]]
    );
}

#[test]
fn a_dense_feed_from_any_first_day_is_cut_as_the_whole_feed_is() {
    // Every day holds more points than a core: a run over the days from
    // day 3 on gets, for those days, the whole run's cores and contexts
    // (context reaches one day back, which the later run also holds).
    let per_day = [5, 9, 5, 7, 6, 11, 5];
    let days = days_of(&per_day);
    let config = IndexConfig { shard_size: 3, window_days: 1, ..IndexConfig::default() };
    let whole = ShardPlan::new(&days, &[], 1, &config);
    let offset = per_day[..3].iter().sum::<usize>();
    let late = ShardPlan::new(&days[offset..], &[], 1, &config);
    let shifted: Vec<Vec<usize>> =
        late.shards.iter().map(|shard| shard.iter().map(|&p| p + offset).collect()).collect();
    // The late run's first day lacks its context (the day before); from
    // its second day on, its shards are the whole run's last ones.
    let first_day_cores = per_day[3].div_ceil(3);
    let compared = shifted.len() - first_day_cores;
    assert_eq!(shifted[first_day_cores..], whole.shards[whole.shards.len() - compared..]);
}

#[test]
fn context_is_capped_at_one_shard() {
    let config = IndexConfig { shard_size: 3, window_days: 30, ..IndexConfig::default() };
    let days: Vec<Option<i64>> = (0..9).map(Some).collect();
    let plan = ShardPlan::new(&days, &[], 1, &config);
    assert_eq!(plan.shards, vec![vec![0, 1, 2], vec![0, 1, 2, 3, 4, 5], vec![3, 4, 5, 6, 7, 8]]);
}

#[test]
fn sharded_search_finds_pairs_across_shards_within_the_window() {
    // Pairs of identical vectors published a few days apart land in
    // different shards; each later one must still find its twin.
    let dims = 16;
    let n_pairs = 40;
    let base = vectors(n_pairs, dims, 3);
    let mut data = Vec::new();
    let mut days = Vec::new();
    for p in 0..n_pairs {
        let row = &base[p * dims..(p + 1) * dims];
        data.extend_from_slice(row);
        data.extend_from_slice(row);
        days.push(Some(p as i64 * 10));
        days.push(Some(p as i64 * 10 + 3));
    }
    let config = IndexConfig { shard_size: 3, ..IndexConfig::default() };
    let plan = ShardPlan::new(&days, &data, dims, &config);
    assert!(plan.shards.len() > n_pairs / 2);
    let found = all_neighbours(&data, dims, &plan, 1, &config);
    for p in 0..n_pairs {
        assert_eq!(found[2 * p + 1][0].0, 2 * p, "later twin finds the earlier one");
    }
    let exact = exact_neighbours(&data, dims, &[1, 3], 1, Some(&plan));
    assert_eq!(exact[0][0].0, 0);
    assert_eq!(exact[1][0].0, 2);
}

#[test]
fn many_undated_points_are_cut_by_content_with_bounded_work() {
    // Groups of five close points, a fifth of them dated, the undated
    // ones eight times the shard of all undated points the
    // configuration allows.
    let (n, dims, k) = (5_000, 16, 30);
    let data = vectors(n, dims, 21);
    let days: Vec<Option<i64>> = (0..n).map(|i| (i % 5 == 2).then_some((i / 50) as i64)).collect();
    let config = IndexConfig { shard_size: 250, exact_max_points: 500, ..IndexConfig::default() };
    let plan = ShardPlan::new(&days, &data, dims, &config);
    assert!(plan.undated.is_none() && plan.content.len() >= n / (2 * config.shard_size));
    // Each point searched against at most `content_probes` lists of at
    // most 2 x shard_size points, a dated one also against its date
    // shard (at most 2 x shard_size with its context); the k-means that
    // plans the lists computes each point's dots with every centroid a
    // few times.
    let n_dated = days.iter().flatten().count();
    let lists = plan.content.len();
    let search = (n * config.content_probes + n_dated) * 2 * config.shard_size;
    let planning = n * lists * (content::ITERATIONS + 3);
    let work = plan.exhaustive_dots(&config);
    assert!(work <= (search + planning) as u64, "{work} dot products");
    assert!(work < (n * n / 2) as u64, "{work} dot products, against {} for one shard", n * n);
    // The lists are the exact ones within the shards searched.
    let found = all_neighbours(&data, dims, &plan, k, &config);
    let all: Vec<usize> = (0..n).collect();
    assert_eq!(found, exact_neighbours(&data, dims, &all, k, Some(&plan)));
    // And most of the closest pairs over all points are among them.
    let truth = exact_neighbours(&data, dims, &all, 4, None);
    let (mut hits, mut pairs) = (0, 0);
    for (i, truth) in truth.iter().enumerate() {
        for &(j, _) in truth {
            pairs += 1;
            hits += usize::from(found[i].iter().any(|&(x, _)| x == j) || found[j].iter().any(|&(x, _)| x == i));
        }
    }
    let recall = hits as f64 / pairs as f64;
    assert!(recall >= 0.9, "{recall:.3} of the closest pairs found");
}

#[test]
fn undated_points_find_their_dated_twins_and_dated_twins_far_apart_are_found() {
    // Triples of one vector: an undated point and two dated ones a
    // year apart (so in no date shard together), among many undated
    // points: every twin is each other's nearest neighbour.
    let (n_triples, dims) = (1_500, 16);
    let base = vectors(n_triples, dims, 5);
    let (mut data, mut days) = (Vec::new(), Vec::new());
    for t in 0..n_triples {
        let row = &base[t * dims..(t + 1) * dims];
        (0..3).for_each(|_| data.extend_from_slice(row));
        days.extend([None, Some(t as i64 % 30), Some(400 + t as i64 % 30)]);
    }
    let config = IndexConfig { shard_size: 100, exact_max_points: 400, ..IndexConfig::default() };
    let plan = ShardPlan::new(&days, &data, dims, &config);
    assert!(!plan.content.is_empty());
    let found = all_neighbours(&data, dims, &plan, 2, &config);
    for t in 0..n_triples {
        let twins = [3 * t, 3 * t + 1, 3 * t + 2];
        for &p in &twins {
            let mut near: Vec<usize> = found[p].iter().map(|&(j, _)| j).collect();
            near.sort_unstable();
            let others: Vec<usize> = twins.iter().copied().filter(|&q| q != p).collect();
            assert_eq!(near, others, "point {p}");
        }
    }
}

proptest::proptest! {
    /// Whichever form the CPU runs (AVX2 where it has it) and the plain
    /// form alike give, bit for bit, [`dot`] of every query and row, for
    /// any dimension (whole 8-lane chunks and a tail).
    #[test]
    fn block_dots_equal_dot_in_every_compiled_form(
        dims in 1usize..40,
        n_rows in 1usize..12,
        seed in proptest::prelude::any::<u64>(),
    ) {
        let rows = vectors(n_rows, dims, seed);
        let query_rows = vectors(QUERY_BLOCK, dims, seed ^ 0x5EED);
        let queries: [&[f32]; QUERY_BLOCK] = std::array::from_fn(|q| &query_rows[q * dims..(q + 1) * dims]);
        let mut dispatched = vec![f32::NAN; QUERY_BLOCK * n_rows];
        let mut plain = vec![f32::NAN; QUERY_BLOCK * n_rows];
        block_dots(&queries, &rows, dims, &mut dispatched);
        block_dots_body(&queries, &rows, dims, &mut plain);
        for (q, query) in queries.iter().enumerate() {
            for (r, row) in rows.chunks_exact(dims).enumerate() {
                let expected = dot(query, row).to_bits();
                proptest::prop_assert_eq!(dispatched[q * n_rows + r].to_bits(), expected, "query {} row {}", q, r);
                proptest::prop_assert_eq!(plain[q * n_rows + r].to_bits(), expected, "query {} row {}", q, r);
            }
        }
    }
}

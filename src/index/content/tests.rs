use super::*;

/// Seeded unit rows of `dims`, in tight groups of `group` (a random centre
/// plus a little noise each).
fn grouped_rows(n: usize, dims: usize, group: usize, noise: f32, seed: u64) -> Vec<f32> {
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

// As `ShardPlan` sets them for a shard size of 100.
const PARAMS: ContentParams = ContentParams { target: 50, max_core: 100, max_context: 300, probes: 3 };

/// The shard whose core holds each point.
fn core_shard(shards: &[ContentShard], n: usize) -> Vec<Option<usize>> {
    let mut of = vec![None; n];
    for (s, shard) in shards.iter().enumerate() {
        for &p in &shard.points[shard.core_start..] {
            assert_eq!(of[p], None, "point {p} is core of two shards");
            of[p] = Some(s);
        }
    }
    of
}

#[test]
fn every_undated_point_is_core_once_and_shards_are_bounded() {
    let (n, dims) = (3_000, 16);
    let rows = grouped_rows(n, dims, 4, 0.3, 5);
    // Every third point dated: those are context only.
    let undated: Vec<usize> = (0..n).filter(|p| p % 3 != 0).collect();
    let dated: Vec<usize> = (0..n).filter(|p| p % 3 == 0).collect();
    let (shards, _) = content_shards(&rows, dims, &undated, &dated, &PARAMS);
    let of = core_shard(&shards, n);
    assert!(undated.iter().all(|&p| of[p].is_some()), "an undated point in no core");
    assert!(dated.iter().all(|&p| of[p].is_none()), "a dated point in a core");
    assert!(shards.len() >= undated.len() / PARAMS.max_core);
    for shard in &shards {
        let (context, core) = shard.points.split_at(shard.core_start);
        assert!(!core.is_empty() && core.len() <= PARAMS.max_core, "core of {}", core.len());
        assert!(context.len() <= PARAMS.max_context, "context of {}", context.len());
        assert!(context.windows(2).all(|w| w[0] < w[1]) && core.windows(2).all(|w| w[0] < w[1]));
        assert!(context.iter().all(|p| !core.contains(p)));
    }
}

#[test]
fn near_identical_rows_share_a_shard() {
    // Pairs of rows a hair apart (and pairs of copies), among loose
    // groups. Copies always share a core; near copies nearly always do,
    // and when a boundary runs between them, one is context in the
    // other's shard.
    let (n, dims) = (4_000, 24);
    for noise in [0.0, 0.01] {
        let rows = grouped_rows(n, dims, 2, noise, 9);
        let undated: Vec<usize> = (0..n).collect();
        let (shards, _) = content_shards(&rows, dims, &undated, &[], &PARAMS);
        let of = core_shard(&shards, n);
        let (mut same_core, mut compared) = (0, 0);
        for a in (0..n).step_by(2) {
            let b = a + 1;
            let (sa, sb) = (of[a].expect("core"), of[b].expect("core"));
            same_core += usize::from(sa == sb);
            compared += usize::from(
                sa == sb || shards[sa].points.contains(&b) || shards[sb].points.contains(&a),
            );
        }
        let pairs = n / 2;
        if noise == 0.0 {
            assert_eq!(same_core, pairs, "copies in one core");
        }
        assert!(same_core * 10 >= pairs * 9, "noise {noise}: {same_core} of {pairs} pairs in one core");
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
    // k-means cannot tell copies apart; the lists must still be bounded.
    let dims = 8;
    let mut rows = vec![0.0f32; 450 * dims];
    rows.chunks_exact_mut(dims).for_each(|row| row[3] = 1.0);
    let undated: Vec<usize> = (0..450).collect();
    let (shards, _) = content_shards(&rows, dims, &undated, &[], &PARAMS);
    let of = core_shard(&shards, 450);
    assert!(of.iter().all(Option::is_some));
    assert!(shards.iter().all(|s| s.points.len() - s.core_start <= PARAMS.max_core));
}

#[test]
fn best_ranks_by_value_then_position() {
    assert_eq!(best(&[0.5, 0.9, 0.5, 0.1], 3), vec![(1, 0.9), (0, 0.5), (2, 0.5)]);
    assert_eq!(best(&[0.2], 3), vec![(0, 0.2)]);
}

//! Recall@k of the hnsw_rs index against exact search, on the story vectors
//! of a generated corpus, with the default parameters.
//!
//! `cargo run --release --example ann_recall -- 100000 2000` builds the
//! vectors of 100,000 generated articles, runs the index as `cluster` does
//! (one point per near-duplicate group, sharded by publication date), and
//! compares the neighbours of 2,000 sampled points with brute force, both
//! within the shards each point is searched in and over all points.
//! `UNDATED=1` drops every date (the undated points are then cut into
//! content shards), `UNDATED=2` every other one; the dot products the
//! exhaustive search computes are printed as a count.

use std::time::Instant;

use storyclust::article::{DocKind, Origin, RawContent, RawDoc};
use storyclust::generate::{generate, GenerateConfig};
use storyclust::index::{all_neighbours, exact_neighbours, ShardPlan};
use storyclust::pipeline::{self, Config, NoProgress};

fn main() {
    let mut args = std::env::args().skip(1);
    let n_articles: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let n_queries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let k = 10;
    let mut config = Config::default();
    // Optional overrides, for trying other parameters.
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<usize>().ok());
    if let Some(v) = var("DIMS") { config.represent.dense_dims = v; }
    if let Some(v) = var("M") { config.index.max_connections = v; }
    if let Some(v) = var("EF_CONSTRUCTION") { config.index.ef_construction = v; }
    if let Some(v) = var("EF_SEARCH") { config.index.ef_search = v; }
    if let Some(v) = var("SHARD_SIZE") { config.index.shard_size = v; }
    if let Some(v) = var("WINDOW_DAYS") { config.index.window_days = v as u32; }
    if let Some(v) = var("EXACT_MAX") { config.index.exact_max_points = v; }
    if let Some(v) = var("PROBES") { config.index.content_probes = v; }
    // The index points depend only on the corpus size and the
    // representation, not on the index parameters: POINTS_CACHE names a file
    // that keeps them between runs.
    let cache = std::env::var("POINTS_CACHE").ok();
    let (dense, dims, days) = match cache.as_deref().and_then(|path| read_points(path, config.represent.dense_dims)) {
        Some(points) => points,
        None => {
            let seed = var("SEED").map_or(42, |s| s as u64);
            let points = make_points(n_articles, seed, &config);
            if let Some(path) = cache.as_deref() {
                write_points(path, &points);
            }
            points
        }
    };
    // UNDATED=1 drops every date, UNDATED=2 every other one: the same
    // vectors searched as an undated or a mixed input.
    let mut days = days;
    match var("UNDATED") {
        Some(1) => days.iter_mut().for_each(|d| *d = None),
        Some(2) => days.iter_mut().step_by(2).for_each(|d| *d = None),
        _ => {}
    }
    let (dense, days) = (&dense, &days);
    let n_points = days.len();
    // As `cluster` does: each point's `cluster.neighbours` nearest; recall
    // is measured on the first k of them.
    let fetch = config.cluster.neighbours.max(k);
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let plan = ShardPlan::new(days, dense, dims, &config.index);
    let mut approx = all_neighbours(dense, dims, &plan, fetch, &config.index);
    let index_secs = started.elapsed().as_secs_f64();
    let work = plan.exhaustive_dots(&config.index);
    let mut sizes: Vec<usize> = plan.shards.iter().map(Vec::len).collect();
    sizes.sort_unstable();
    println!("shard sizes (context included): median {}, largest {}", sizes[sizes.len() / 2], sizes[sizes.len() - 1]);
    let index_cpu = cpu_seconds() - cpu_before;
    approx.iter_mut().for_each(|list| list.truncate(k));
    let step = (n_points / n_queries.max(1)).max(1);
    let queries: Vec<usize> = (0..n_points).step_by(step).take(n_queries).collect();
    let recall = |exact: &[Vec<(usize, f32)>]| {
        let (mut hits, mut total) = (0, 0);
        for (&q, truth) in queries.iter().zip(exact) {
            total += truth.len();
            hits += truth.iter().filter(|(j, _)| approx[q].iter().any(|(x, _)| x == j)).count();
        }
        hits as f64 / total.max(1) as f64
    };
    let in_scope = recall(&exact_neighbours(dense, dims, &queries, k, Some(&plan)));
    let global_exact = exact_neighbours(dense, dims, &queries, k, None);
    let global = recall(&global_exact);
    // Candidate pairs are unordered: (q, j) reaches the clustering when
    // either point found the other.
    let (mut pair_hits, mut pairs) = (0, 0);
    for (&q, truth) in queries.iter().zip(&global_exact) {
        for &(j, _) in truth {
            pairs += 1;
            pair_hits += usize::from(approx[q].iter().any(|&(x, _)| x == j) || approx[j].iter().any(|&(x, _)| x == q));
        }
    }
    let pair_recall = pair_hits as f64 / pairs.max(1) as f64;
    let c = &config.index;
    println!(
        "articles {n_articles} points {n_points} shards {} dims {dims} M {} ef_construction {} ef_search {} shard_size {} window_days {} neighbours fetched {fetch}",
        plan.shards.len(),
        c.max_connections,
        c.ef_construction,
        c.ef_search,
        c.shard_size,
        c.window_days
    );
    println!(
        "recall@{k} over {} queries: {in_scope:.4} against exact search in the same shards, {global:.4} against exact search over all points; \
         {pair_recall:.4} of the exact top-{k} pairs are candidate pairs; {work} dot products; build+search {index_secs:.1} s wall, {index_cpu:.1} s CPU; load {}",
        queries.len(),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
    );
}

/// The index points of `n_articles` generated articles (`seed`), as
/// `cluster` makes them: (dense rows, dims, days).
fn make_points(n_articles: usize, seed: u64, config: &Config) -> (Vec<f32>, usize, Vec<Option<i64>>) {
    let docs: Vec<RawDoc> = generate(&GenerateConfig { articles: n_articles, seed, ..Default::default() })
        .map(|g| RawDoc {
            id: g.id,
            origin: Origin::file("generated"),
            kind: DocKind::Record,
            content: RawContent::Text(g.text),
            title: Some(g.title),
            source: Some(g.source),
            url: None,
            published: Some(g.published),
            extra: Default::default(),
        })
        .collect();
    let mut articles = storyclust::clean::clean(docs, &config.clean).articles;
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    let dups = pipeline::near_duplicates(&articles, config, &NoProgress);
    let vectors = pipeline::story_vectors(&articles, &dups.group_of, None, config, &NoProgress);
    let days: Vec<Option<i64>> = articles.iter().map(|a| a.published.map(|d| d.days_since_epoch())).collect();
    // As `cluster` does: one point per near-duplicate group.
    let points = pipeline::index_points(&vectors, &dups.group_of, &days, config.represent.dense_dims);
    (points.dense, points.dims, points.days)
}

/// Cache format: dims, point count (u64 LE), the rows (f32 LE), the days
/// (i64 LE, i64::MIN for none).
fn write_points(path: &str, (dense, dims, days): &(Vec<f32>, usize, Vec<Option<i64>>)) {
    let mut bytes = Vec::with_capacity(16 + dense.len() * 4 + days.len() * 8);
    bytes.extend((*dims as u64).to_le_bytes());
    bytes.extend((days.len() as u64).to_le_bytes());
    dense.iter().for_each(|x| bytes.extend(x.to_le_bytes()));
    days.iter().for_each(|d| bytes.extend(d.unwrap_or(i64::MIN).to_le_bytes()));
    std::fs::write(path, bytes).expect("write the points cache");
}

/// The cached points, if `path` holds points of `dims` dimensions.
fn read_points(path: &str, dims: usize) -> Option<(Vec<f32>, usize, Vec<Option<i64>>)> {
    let bytes = std::fs::read(path).ok()?;
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    if bytes.len() < 16 || word(0) as usize != dims {
        return None;
    }
    let n = word(8) as usize;
    let rows = &bytes[16..16 + n * dims * 4];
    let dense = rows.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes"))).collect();
    let days = bytes[16 + n * dims * 4..]
        .chunks_exact(8)
        .map(|b| Some(i64::from_le_bytes(b.try_into().expect("8 bytes"))).filter(|&d| d != i64::MIN))
        .collect();
    Some((dense, dims, days))
}

/// CPU time (user + system) this process has used, from /proc/self/stat.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends at the last ')'): utime and
    // stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11..13).map(|f| f.iter().filter_map(|x| x.parse::<f64>().ok()).sum()).unwrap_or(0.0);
    ticks / 100.0
}

//! Recall@k of the hnsw_rs index against exact search, on the story vectors
//! of a generated corpus, with the default parameters.
//!
//! `cargo run --release --example ann_recall -- 100000 2000` builds the
//! vectors of 100,000 generated articles, runs the index as `cluster` does
//! (one point per near-duplicate group, sharded by publication date), and
//! compares the neighbours of 2,000 sampled points with brute force, both
//! within the shards each point is searched in and over all points.

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
    let docs: Vec<RawDoc> = generate(&GenerateConfig { articles: n_articles, ..Default::default() })
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
    let dups = pipeline::near_duplicates(&articles, &config, &NoProgress);
    let vectors = pipeline::story_vectors(&articles, &dups.group_of, &config, &NoProgress);
    let days: Vec<Option<i64>> = articles.iter().map(|a| a.published.map(|d| d.days_since_epoch())).collect();
    // As `cluster` does: one point per near-duplicate group.
    let points = pipeline::index_points(&vectors, &dups.group_of, &days, config.represent.dense_dims);
    let (dense, dims, days) = (&points.dense, points.dims, &points.days);
    let started = Instant::now();
    let plan = ShardPlan::new(days, &config.index);
    let approx = all_neighbours(dense, dims, &plan, k, &config.index);
    let index_secs = started.elapsed().as_secs_f64();
    let step = (points.articles.len() / n_queries.max(1)).max(1);
    let queries: Vec<usize> = (0..points.articles.len()).step_by(step).take(n_queries).collect();
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
        "articles {} points {} shards {} dims {dims} M {} ef_construction {} ef_search {} shard_size {} window_days {}",
        articles.len(),
        points.articles.len(),
        plan.shards.len(),
        c.max_connections,
        c.ef_construction,
        c.ef_search,
        c.shard_size,
        c.window_days
    );
    println!(
        "recall@{k} over {} queries: {in_scope:.4} against exact search in the same shards, {global:.4} against exact search over all points; \
         {pair_recall:.4} of the exact top-{k} pairs are candidate pairs; build+search {index_secs:.1} s",
        queries.len()
    );
}

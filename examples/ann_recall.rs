//! Recall@k of the hnsw_rs index against exact search, on the story vectors
//! of a generated corpus, with the default parameters.
//!
//! `cargo run --release --example ann_recall -- 100000 2000` builds the
//! vectors of 100,000 generated articles, runs the index as `cluster` does,
//! and compares the neighbours of 2,000 sampled articles with brute force.

use std::time::Instant;

use storyclust::article::{DocKind, Origin, RawContent, RawDoc};
use storyclust::generate::{generate, GenerateConfig};
use storyclust::index::{exact_neighbours, NeighbourIndex};
use storyclust::pipeline::{self, Config, NoProgress};

fn main() {
    let mut args = std::env::args().skip(1);
    let n_articles: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let n_queries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let k = 10;
    let config = Config::default();
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
    let dims = config.represent.dense_dims;
    let dense = pipeline::dense_vectors(&vectors, dims);
    let started = Instant::now();
    let index = NeighbourIndex::build(&dense, dims, &config.index);
    let approx = index.all_neighbours(k, config.index.ef_search);
    let index_secs = started.elapsed().as_secs_f64();
    let step = (articles.len() / n_queries.max(1)).max(1);
    let queries: Vec<usize> = (0..articles.len()).step_by(step).take(n_queries).collect();
    let exact = exact_neighbours(&dense, dims, &queries, k);
    let mut hits = 0;
    let mut total = 0;
    for (&q, truth) in queries.iter().zip(&exact) {
        total += truth.len();
        hits += truth.iter().filter(|(j, _)| approx[q].iter().any(|(x, _)| x == j)).count();
    }
    println!(
        "articles {} dims {} M {} ef_construction {} ef_search {}: recall@{k} {:.4} over {} queries; build+search {:.1} s",
        articles.len(),
        dims,
        config.index.max_connections,
        config.index.ef_construction,
        config.index.ef_search,
        hits as f64 / total.max(1) as f64,
        queries.len(),
        index_secs
    );
}

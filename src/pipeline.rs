//! The whole pipeline, stage after stage, behind one call.
//!
//! Owns [`Config`] (every stage's settings in one place), [`Outcome`] (the
//! articles, their stories and what was skipped) and [`run`], which chains
//! `clean` → `fingerprint` → `represent` → `index` → `cluster`. Articles are
//! put in id order first, so that results do not depend on input order; the
//! index's neighbours are rescored exactly, so they do not depend on the
//! thread count either. [`differences`] runs `diff` over every story of a
//! clustering. This module must not read inputs from disk or print:
//! progress goes through the [`Progress`] trait.

use rayon::prelude::*;

use crate::article::{Article, RawDoc};
use crate::clean::{self, CleanConfig};
use crate::cluster::{self, ClusterConfig, Clustering, DupGroup, Link, Story};
use crate::diff::{self, DiffConfig, StoryDiff};
use crate::fingerprint::{self, FingerprintConfig};
use crate::index::{self, IndexConfig, ShardPlan};
use crate::represent::{self, DocFreq, RepresentConfig, StoryVector};

/// Every stage's settings.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Boilerplate removal.
    pub clean: CleanConfig,
    /// Near-duplicate fingerprints.
    pub fingerprint: FingerprintConfig,
    /// Story vectors.
    pub represent: RepresentConfig,
    /// The nearest-neighbour index.
    pub index: IndexConfig,
    /// The story clustering rule.
    pub cluster: ClusterConfig,
}

/// The pipeline's stages, for progress reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Removing boilerplate.
    Clean,
    /// Fingerprinting and finding near-duplicates.
    Fingerprint,
    /// Building story vectors.
    Represent,
    /// Building the index and finding neighbours.
    Index,
    /// Clustering stories.
    Cluster,
}

impl Stage {
    /// A short name for progress messages.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Clean => "cleaning",
            Stage::Fingerprint => "fingerprinting",
            Stage::Represent => "story vectors",
            Stage::Index => "nearest neighbours",
            Stage::Cluster => "clustering",
        }
    }
}

/// Receives progress from a run. Implementations must be cheap: `advance`
/// is called from worker threads.
pub trait Progress: Sync {
    /// A stage starts, with `total` units of work.
    fn start(&self, stage: Stage, total: u64);
    /// `n` more units of the current stage are done.
    fn advance(&self, n: u64);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _stage: Stage, _total: u64) {}
    fn advance(&self, _n: u64) {}
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    /// Cleaned articles, sorted by id. Story members index into this.
    pub articles: Vec<Article>,
    /// The stories.
    pub clustering: Clustering,
    /// Articles dropped by cleaning, with the reason.
    pub skipped: Vec<clean::Skipped>,
}

/// Runs the pipeline over documents read by `ingest`.
pub fn run(docs: Vec<RawDoc>, config: &Config, progress: &dyn Progress) -> Outcome {
    let (articles, skipped) = clean_sorted(docs, config, progress);
    let clustering = cluster_articles(&articles, config, progress);
    Outcome { articles, clustering, skipped }
}

/// Cleans documents and puts the articles in id order, the order every
/// later stage works in.
fn clean_sorted(docs: Vec<RawDoc>, config: &Config, progress: &dyn Progress) -> (Vec<Article>, Vec<clean::Skipped>) {
    progress.start(Stage::Clean, docs.len() as u64);
    let cleaned = clean::clean(docs, &config.clean);
    progress.advance(cleaned.articles.len() as u64);
    let mut articles = cleaned.articles;
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    (articles, cleaned.skipped)
}

/// What a near-duplicate-only run produced.
#[derive(Debug)]
pub struct DedupOutcome {
    /// Cleaned articles, sorted by id. Groups index into this.
    pub articles: Vec<Article>,
    /// Near-duplicate groups of two or more articles, ranked by size, then by
    /// smallest article id (`d1`, `d2`, …, as in a full run).
    pub groups: Vec<DupGroup>,
    /// Articles dropped by cleaning, with the reason.
    pub skipped: Vec<clean::Skipped>,
}

/// Runs only the near-duplicate stage (clean, fingerprint, LSH): for feeds
/// where copies are all that matters, and to compare with other
/// near-duplicate tools.
pub fn dedup(docs: Vec<RawDoc>, config: &Config, progress: &dyn Progress) -> DedupOutcome {
    let (articles, skipped) = clean_sorted(docs, config, progress);
    let dups = near_duplicates(&articles, config, progress);
    let reps: Vec<usize> = (0..articles.len()).collect();
    let dup_links: Vec<Link> =
        dups.links.iter().map(|l| Link { a: l.a, b: l.b, score: l.resemblance }).collect();
    let clustering = assemble(&reps, &dups.group_of, &[], &dup_links);
    let mut groups: Vec<DupGroup> = clustering.stories.into_iter().flat_map(|s| s.dup_groups).collect();
    groups.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.members[0].cmp(&b.members[0])));
    DedupOutcome { articles, groups, skipped }
}

/// Clusters cleaned articles (in the order given; [`run`] sorts them by id).
pub fn cluster_articles(articles: &[Article], config: &Config, progress: &dyn Progress) -> Clustering {
    let n = articles.len();
    let dups = near_duplicates(articles, config, progress);
    let vectors = story_vectors(articles, &dups.group_of, config, progress);

    progress.start(Stage::Index, n as u64);
    let days: Vec<Option<i64>> = articles.iter().map(|a| a.published.map(|d| d.days_since_epoch())).collect();
    let points = index_points(&vectors, &dups.group_of, &days, config.represent.dense_dims);
    let mut neighbours = vec![Vec::new(); n];
    if points.articles.len() > 1 {
        let plan = ShardPlan::new(&points.days, &config.index);
        let found = index::all_neighbours(&points.dense, points.dims, &plan, config.cluster.neighbours, &config.index);
        for (k, list) in found.into_iter().enumerate() {
            neighbours[points.articles[k]] =
                list.into_iter().map(|(j, similarity)| (points.articles[j], similarity)).collect();
        }
    }
    progress.advance(n as u64);
    drop(points);

    progress.start(Stage::Cluster, n as u64);
    let edges = rescore(articles, &vectors, &neighbours, &config.cluster);
    drop(neighbours);
    let floor = config.cluster.candidate_floor;
    let pairs: Vec<(usize, usize)> = edges.iter().filter(|e| e.score >= floor).map(|e| (e.a, e.b)).collect();
    let sparse: Vec<cluster::Sparse> = vectors.into_iter().map(|v| v.terms).collect();
    let reps = cluster::group_average(&sparse, &days, &dups.group_of, &pairs, &config.cluster);
    let dup_links: Vec<Link> =
        dups.links.iter().map(|l| Link { a: l.a, b: l.b, score: l.resemblance }).collect();
    let clustering = assemble(&reps, &dups.group_of, &edges, &dup_links);
    progress.advance(n as u64);
    clustering
}

/// Fingerprints every article body and groups near-duplicates.
pub fn near_duplicates(articles: &[Article], config: &Config, progress: &dyn Progress) -> fingerprint::DupGroups {
    progress.start(Stage::Fingerprint, articles.len() as u64);
    let fingerprints: Vec<_> = articles
        .par_iter()
        .map(|a| {
            let fp = fingerprint::fingerprint(&a.body, &config.fingerprint);
            progress.advance(1);
            fp
        })
        .collect();
    fingerprint::near_duplicates(&fingerprints, &config.fingerprint)
}

/// Story vectors of every article, with IDF counted once per
/// near-duplicate group (`group_of` as from [`near_duplicates`]).
pub fn story_vectors(articles: &[Article], group_of: &[usize], config: &Config, progress: &dyn Progress) -> Vec<StoryVector> {
    progress.start(Stage::Represent, articles.len() as u64);
    let counts: Vec<_> = articles.par_iter().map(|a| represent::count_terms(a, &config.represent)).collect();
    let df = DocFreq::new(&counts, group_of);
    counts
        .par_iter()
        .map(|c| {
            let v = represent::weigh(c, &df, &config.represent);
            progress.advance(1);
            v
        })
        .collect()
}

/// What the index searches: one article per near-duplicate group (copies
/// start in their group's cluster anyway, and a feed with many syndicated
/// copies would otherwise fill every neighbour list with them).
pub struct IndexPoints {
    /// The articles indexed, in article order; point `k` is `articles[k]`.
    pub articles: Vec<usize>,
    /// Their dense projections, row-major, `dims` per row.
    pub dense: Vec<f32>,
    /// Dimensions of a row.
    pub dims: usize,
    /// Their publication days.
    pub days: Vec<Option<i64>>,
}

/// The index points of articles with story `vectors`, near-duplicate
/// groups `group_of` (as from [`near_duplicates`]) and publication `days`.
pub fn index_points(vectors: &[StoryVector], group_of: &[usize], days: &[Option<i64>], dims: usize) -> IndexPoints {
    let articles: Vec<usize> = (0..vectors.len()).filter(|&i| group_of[i] == i).collect();
    let dense = articles.par_iter().flat_map_iter(|&i| vectors[i].project(dims)).collect();
    let days = articles.iter().map(|&i| days[i]).collect();
    IndexPoints { articles, dense, dims, days }
}

/// Exact story similarity of every candidate pair, scaled by date proximity.
/// Returns each unordered pair once, sorted.
fn rescore(
    articles: &[Article],
    vectors: &[StoryVector],
    neighbours: &[Vec<(usize, f32)>],
    config: &ClusterConfig,
) -> Vec<Link> {
    let mut edges: Vec<Link> = neighbours
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, found)| {
            found.iter().map(move |&(j, _)| {
                let (a, b) = (i.min(j), i.max(j));
                let days = match (articles[a].published, articles[b].published) {
                    (Some(x), Some(y)) => Some(x.days_between(y)),
                    _ => None,
                };
                let score = vectors[a].cosine(&vectors[b]) * config.date_factor(days);
                Link { a, b, score }
            })
        })
        .collect();
    edges.par_sort_unstable_by(|x, y| (x.a, x.b).cmp(&(y.a, y.b)));
    edges.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    edges
}

/// Builds stories (and their duplicate groups) from cluster representatives,
/// with stable ids: ranked by size, then by smallest member index.
fn assemble(reps: &[usize], group_of: &[usize], edges: &[Link], dup_links: &[Link]) -> Clustering {
    let n = reps.len();
    let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &r) in reps.iter().enumerate() {
        members_of[r].push(i);
    }
    let mut stories: Vec<Vec<usize>> = members_of.into_iter().filter(|m| !m.is_empty()).collect();
    stories.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));

    // Duplicate groups of two or more, ranked the same way.
    let mut dup_members: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &g) in group_of.iter().enumerate() {
        dup_members[g].push(i);
    }
    let mut dup_groups: Vec<Vec<usize>> = dup_members.into_iter().filter(|m| m.len() >= 2).collect();
    dup_groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut dup_id_of = vec![usize::MAX; n];
    for (rank, group) in dup_groups.iter().enumerate() {
        for &i in group {
            dup_id_of[i] = rank;
        }
    }
    let mut story_of = vec![0usize; n];
    for (rank, members) in stories.iter().enumerate() {
        for &i in members {
            story_of[i] = rank;
        }
    }
    let mut story_links: Vec<Vec<Link>> = vec![Vec::new(); stories.len()];
    for e in edges {
        if story_of[e.a] == story_of[e.b] {
            story_links[story_of[e.a]].push(*e);
        }
    }
    let mut group_links: Vec<Vec<Link>> = vec![Vec::new(); dup_groups.len()];
    for l in dup_links {
        if dup_id_of[l.a] != usize::MAX && dup_id_of[l.a] == dup_id_of[l.b] {
            group_links[dup_id_of[l.a]].push(*l);
        }
    }
    let mut story_groups: Vec<Vec<DupGroup>> = vec![Vec::new(); stories.len()];
    for (rank, (members, links)) in dup_groups.into_iter().zip(group_links).enumerate() {
        let story = story_of[members[0]];
        story_groups[story].push(DupGroup { id: format!("d{}", rank + 1), members, links });
    }
    let stories = stories
        .into_iter()
        .zip(story_groups)
        .zip(story_links)
        .enumerate()
        .map(|(rank, ((members, dup_groups), links))| Story {
            id: format!("s{}", rank + 1),
            members,
            dup_groups,
            links,
        })
        .collect();
    Clustering { stories }
}

/// The differences between the articles of every story (same order as
/// `clustering.stories`), computed in parallel: `None` for single-article
/// stories. Each story's near-duplicate groups are passed to
/// [`diff::story_diff`] as positions within its member list.
pub fn differences(articles: &[Article], clustering: &Clustering, config: &DiffConfig) -> Vec<Option<StoryDiff>> {
    clustering
        .stories
        .par_iter()
        .map(|story| {
            if story.members.len() < 2 {
                return None;
            }
            let members: Vec<&Article> = story.members.iter().map(|&m| &articles[m]).collect();
            let groups: Vec<Vec<usize>> = story
                .dup_groups
                .iter()
                .map(|g| g.members.iter().filter_map(|m| story.members.binary_search(m).ok()).collect())
                .collect();
            Some(diff::story_diff(&members, &groups, config))
        })
        .collect()
}

//! Why two articles are, or are not, copies of each other and one story.
//!
//! Owns [`Explanation`] (what the pipeline decided about one pair of
//! articles, and the figures behind each decision; serialisable), [`explain`],
//! which builds it by running the pipeline's own stages over the cleaned
//! articles (`pipeline::near_duplicates`, `pipeline::story_vectors`, the
//! index and `cluster`) with the pair watched through the agglomeration,
//! [`explain_stored`] (`explain/store.rs`), which answers from a story
//! store (what the `add`s recorded, and the figures recomputed from the
//! stored texts and term counts), and [`write_text`]/[`write_stored_text`]
//! (`explain/text.rs`), which lay them out for a terminal.
//!
//! | file | responsibility |
//! |---|---|
//! | `explain.rs` | the [`Explanation`] types and [`explain`] |
//! | `explain/store.rs` | [`StoreExplanation`] and [`explain_stored`]: the same questions answered from a story store |
//! | `explain/text.rs` | [`write_text`], [`write_stored_text`]: the explanations for people |
//! | `explain/tests.rs` | unit tests on small hand-made articles |
//!
//! It must not decide anything itself: every score is the one the stages
//! compute (watching the pair changes no merge) or, from a store, the one
//! the stages' own functions give on what it kept, recounted only where a
//! stage keeps nothing to show (the exact shingle sets, the words behind
//! term hashes). It must not read inputs or print: it writes to the writer
//! it is given.

mod store;
mod text;

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use crate::article::{Article, Date};
use crate::cluster::{self, Attachment, ClusterConfig, ClusterScore, Clustering};
use crate::fingerprint::{self, DupGroups, Fingerprint, FingerprintConfig};
use crate::pipeline::{self, Config, Progress, Stage};
use crate::represent::{self, cosine_of_dot, sparse_dot, StoryVector};
pub use store::{explain_stored, LinkStep, StoreExplanation, StoredDecision, StoredSide, StoredStory};
pub use text::{write_stored_text, write_text};

/// How many shared terms, and how many terms of each side alone, an
/// explanation lists: the strongest, which carry most of the cosine.
pub const TOP_TERMS: usize = 12;

/// Why two articles are or are not copies and one story.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The first article.
    pub a: Side,
    /// The second article.
    pub b: Side,
    /// Near-duplicates: shingle resemblance against the threshold.
    pub duplicates: Duplicates,
    /// Story vectors: their cosine and the terms behind it.
    pub terms: Terms,
    /// Publication dates: the gap, its factor and the pair's threshold.
    pub dates: Dates,
    /// Whether the index and the candidate floor let the pair be compared.
    pub candidates: Candidacy,
    /// One story or not, and the decision that made it so.
    pub story: StoryDecision,
}

/// One article of the pair.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    /// Its id.
    pub id: String,
    /// Its headline (empty when it has none).
    pub title: String,
    /// Its outlet (empty when unknown).
    pub source: String,
    /// Its publication date, when known.
    pub published: Option<Date>,
    /// Its story's id (`s1`, `s2`, …, as `cluster` gives them).
    pub story: String,
    /// The size of its near-duplicate group (1: no copy).
    pub group_size: usize,
    /// The terms of its story vector.
    pub terms: usize,
}

/// The pair against the near-duplicate rule.
#[derive(Clone, Debug, Serialize)]
pub struct Duplicates {
    /// Whether they are in one near-duplicate group.
    pub same_group: bool,
    /// Whether their signatures' estimate reached the threshold and LSH
    /// proposed the pair: a link of its own between them.
    pub linked: bool,
    /// The MinHash estimate of their shingle resemblance (what is decided on).
    pub estimated: f32,
    /// The exact Jaccard resemblance of their shingle sets.
    pub exact: f32,
    /// The near-duplicate threshold.
    pub threshold: f32,
    /// Words per shingle.
    pub shingle_words: usize,
    /// Distinct shingles of each article.
    pub shingles: [usize; 2],
    /// Shingles both have.
    pub shared_shingles: usize,
    /// Whether the signatures agree on a whole LSH band, so that the pair
    /// was proposed for verification.
    pub shares_band: bool,
    /// When they are in one group only through others (a chain of copies):
    /// the links from the first to the second, each at least the threshold.
    pub chain: Vec<ChainLink>,
}

/// A near-duplicate link on a chain of copies.
#[derive(Clone, Debug, Serialize)]
pub struct ChainLink {
    /// The article the link starts from.
    pub from: String,
    /// The article it leads to.
    pub to: String,
    /// The estimated resemblance of the two.
    pub resemblance: f32,
}

/// The pair's story vectors.
#[derive(Clone, Debug, Serialize)]
pub struct Terms {
    /// The cosine of the two vectors (the sum of the shared terms'
    /// contributions).
    pub cosine: f32,
    /// How many terms the vectors share.
    pub n_shared: usize,
    /// The shared terms that contribute most, strongest first.
    pub shared: Vec<SharedTerm>,
    /// The strongest terms of the first article that the second lacks.
    pub only_a: Vec<OwnTerm>,
    /// The strongest terms of the second article that the first lacks.
    pub only_b: Vec<OwnTerm>,
}

/// A term of both story vectors.
#[derive(Clone, Debug, Serialize)]
pub struct SharedTerm {
    /// The word it stands for (as most often written in the first article).
    pub word: String,
    /// Its weight in the first article's vector.
    pub weight_a: f32,
    /// Its weight in the second's.
    pub weight_b: f32,
    /// `weight_a × weight_b`: its part of the cosine.
    pub contribution: f32,
}

/// A term of one story vector only.
#[derive(Clone, Debug, Serialize)]
pub struct OwnTerm {
    /// The word it stands for.
    pub word: String,
    /// Its weight.
    pub weight: f32,
}

/// The pair's dates and threshold.
#[derive(Clone, Debug, Serialize)]
pub struct Dates {
    /// Days between the publication dates, when both are known, each
    /// article dated as stories are formed: a later copy by its
    /// near-duplicate group's first publication.
    pub gap_days: Option<i64>,
    /// Per article, by how many days that dating is earlier than its own
    /// date (0 but for a later copy).
    pub copy_days_earlier: [i64; 2],
    /// [`ClusterConfig::date_factor`](crate::cluster::ClusterConfig::date_factor)
    /// of the gap, with the date window fitted to the input.
    pub date_factor: f32,
    /// Days that cost nothing, as fitted.
    pub grace_days: u32,
    /// The decay scale beyond them, as fitted.
    pub scale_days: f32,
    /// The input's story time scale (mean day gap of confident pairs) the
    /// window was fitted to; `None` when too few pairs measured it.
    pub time_scale: Option<f32>,
    /// `cosine × date_factor`: the pair's story similarity.
    pub similarity: f32,
    /// The merge threshold for the pair's mean terms per article
    /// ([`ClusterConfig::threshold_for`](crate::cluster::ClusterConfig::threshold_for)).
    pub threshold: f32,
}

/// Whether the pair was ever a merge candidate.
#[derive(Clone, Debug, Serialize)]
pub struct Candidacy {
    /// The article indexed for the first one's near-duplicate group (only
    /// one article of a group is indexed): itself or a copy.
    pub a_indexed_as: String,
    /// The article indexed for the second one's group.
    pub b_indexed_as: String,
    /// Neighbours fetched per article.
    pub neighbours: usize,
    /// Whether the second's indexed article was among the first's neighbours.
    pub b_among_a_neighbours: bool,
    /// Whether the first's indexed article was among the second's.
    pub a_among_b_neighbours: bool,
    /// The pair's rescored similarity (of the indexed articles: their cosine
    /// times the date factor of the window as configured, before it is
    /// fitted to the input), when the index proposed it.
    pub score: Option<f32>,
    /// The similarity a proposed pair needs to be a candidate.
    pub floor: f32,
    /// Whether the pair was a candidate of the agglomeration.
    pub candidate: bool,
}

/// One story or not, and why.
#[derive(Clone, Debug, Serialize)]
pub struct StoryDecision {
    /// Whether the two are in one story.
    pub same_story: bool,
    /// The decision that joined them or kept them apart.
    pub decision: Decision,
}

/// The decision that joined two articles or kept them apart.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Decision {
    /// They are copies: near-duplicate groups start as one cluster.
    Copies,
    /// A merge of the agglomeration joined their clusters, at this score.
    Merge {
        /// The clusters against the rule just before the merge.
        score: ClusterScore,
    },
    /// The final small-cluster pass joined them.
    Attachment {
        /// The moves of their clusters in that pass.
        attachments: Vec<Attachment>,
    },
    /// They stayed apart.
    Apart {
        /// The best their clusters reached against the rule; `None` when
        /// their clusters were never compared (no candidate pair between
        /// them).
        best: Option<ClusterScore>,
        /// Their final clusters against the rule, when compared.
        last: Option<ClusterScore>,
        /// How many times their clusters were scored against each other.
        comparisons: usize,
        /// Their clusters in the small-cluster pass, when offered.
        attachments: Vec<Attachment>,
    },
}

/// The index of the article with id `id` in `articles`, if any.
pub fn find_article(articles: &[Article], id: &str) -> Option<usize> {
    articles.iter().position(|article| article.id == id)
}

/// Explains why articles `a` and `b` of `articles` (indices, in the order
/// given, as for [`pipeline::cluster_articles`], which gives the same
/// stories) are or are not copies and one story.
///
/// # Panics
/// If `a` or `b` is out of range.
pub fn explain(articles: &[Article], a: usize, b: usize, config: &Config, progress: &dyn Progress) -> Explanation {
    let dups = pipeline::near_duplicates(articles, config, progress);
    let vectors = pipeline::story_vectors(articles, &dups.group_of, None, config, progress);
    let days = pipeline::publication_days(articles);
    progress.start(Stage::Index, articles.len() as u64);
    let neighbours = pipeline::index_neighbours(&vectors, &dups.group_of, &days, config);
    progress.advance(articles.len() as u64);
    let (indexed_a, indexed_b) = (dups.group_of[a], dups.group_of[b]);
    let among = |x: usize, y: usize| neighbours[x].iter().any(|&(j, _)| j == y);
    let (b_among_a, a_among_b) = (among(indexed_a, indexed_b), among(indexed_b, indexed_a));
    let (vector_a, vector_b) = (vectors[a].clone(), vectors[b].clone());

    progress.start(Stage::Cluster, articles.len() as u64);
    let starts = cluster::Starts { initial: &dups.group_of, new: None, sizes: None, known: None };
    let (clustering, watched) =
        cluster::stories_watching(&days, &dups, starts, vectors, neighbours, &config.cluster, Some((a, b)));
    let watched = watched.expect("a watched pair");
    progress.advance(articles.len() as u64);

    let terms = terms(&articles[a], &articles[b], &vector_a, &vector_b);
    let fitted = config.cluster.fitted_to_time_scale(watched.trace.time_scale);
    let dated = cluster::copies_dated_by_first(&days, &dups.group_of);
    let mut dates = pair_dates(&fitted, watched.trace.time_scale, [dated[a], dated[b]], &terms, [&vector_a, &vector_b]);
    for (side, i) in [a, b].into_iter().enumerate() {
        dates.copy_days_earlier[side] = days[i].zip(dated[i]).map_or(0, |(own, first)| own - first);
    }
    let score = watched.candidate.map(|link| link.score);
    let candidates = Candidacy {
        a_indexed_as: articles[indexed_a].id.clone(),
        b_indexed_as: articles[indexed_b].id.clone(),
        neighbours: config.cluster.neighbours,
        b_among_a_neighbours: b_among_a,
        a_among_b_neighbours: a_among_b,
        score,
        floor: config.cluster.candidate_floor,
        candidate: score.is_some_and(|score| score >= config.cluster.candidate_floor),
    };
    let side = |i: usize, vector: &StoryVector| Side {
        id: articles[i].id.clone(),
        title: articles[i].title.clone(),
        source: articles[i].source.clone(),
        published: articles[i].published,
        story: story_of(&clustering, i),
        group_size: dups.group_of.iter().filter(|&&g| g == dups.group_of[i]).count(),
        terms: vector.terms.len(),
    };
    let (side_a, side_b) = (side(a, &vector_a), side(b, &vector_b));
    let same_story = side_a.story == side_b.story;
    Explanation {
        duplicates: duplicates(articles, a, b, &dups, &config.fingerprint),
        a: side_a,
        b: side_b,
        terms,
        dates,
        candidates,
        story: StoryDecision { same_story, decision: decision(same_story, watched.trace) },
    }
}

/// The dates of a pair published on `days` whose vectors share `terms`,
/// against `window` (the cluster settings with the date window used, fitted
/// to `time_scale` when one was measured).
fn pair_dates(
    window: &ClusterConfig,
    time_scale: Option<f32>,
    days: [Option<i64>; 2],
    terms: &Terms,
    vectors: [&StoryVector; 2],
) -> Dates {
    let gap = days[0].zip(days[1]).map(|(x, y)| (x - y).abs());
    let date_factor = window.date_factor(gap);
    let mean_terms = (vectors[0].terms.len() + vectors[1].terms.len()) as f32 / 2.0;
    Dates {
        gap_days: gap,
        copy_days_earlier: [0, 0],
        date_factor,
        grace_days: window.date_grace_days,
        scale_days: window.date_scale_days,
        time_scale,
        similarity: terms.cosine * date_factor,
        // Fitting the date window leaves the thresholds as configured.
        threshold: window.threshold_for(mean_terms),
    }
}

/// The id of the story holding article `i`.
fn story_of(clustering: &Clustering, i: usize) -> String {
    clustering.stories.iter().find(|story| story.members.contains(&i)).map_or_else(String::new, |s| s.id.clone())
}

/// The decision the agglomeration's trace of the pair shows.
fn decision(same_story: bool, trace: cluster::PairTrace) -> Decision {
    if trace.same_start {
        return Decision::Copies;
    }
    match trace.joined {
        Some(score) => Decision::Merge { score },
        None if same_story => Decision::Attachment { attachments: trace.attachments },
        None => Decision::Apart {
            best: trace.best,
            last: trace.last,
            comparisons: trace.comparisons,
            attachments: trace.attachments,
        },
    }
}

/// Articles `a` and `b` against the near-duplicate rule.
fn duplicates(articles: &[Article], a: usize, b: usize, dups: &DupGroups, config: &FingerprintConfig) -> Duplicates {
    let key = (a.min(b), a.max(b));
    let linked = dups.links.binary_search_by(|link| (link.a, link.b).cmp(&key)).is_ok();
    let same_group = dups.same_group(a, b);
    let chain = if same_group && !linked { chain(articles, a, b, dups) } else { Vec::new() };
    compared(&articles[a].body, &articles[b].body, config, Grouping { same_group, linked, chain })
}

/// How two articles stand in the near-duplicate groups: one group or not,
/// linked directly or through a chain of copies.
struct Grouping {
    same_group: bool,
    linked: bool,
    chain: Vec<ChainLink>,
}

/// Two texts' shingles compared against the near-duplicate rule of
/// `config`, with how the articles were `grouped`.
fn compared(body_a: &str, body_b: &str, config: &FingerprintConfig, grouped: Grouping) -> Duplicates {
    let (fp_a, fp_b) = (fingerprint::fingerprint(body_a, config), fingerprint::fingerprint(body_b, config));
    let shingles =
        |body: &str| -> HashSet<u64> { fingerprint::shingle_hashes(body, config.shingle_words).into_iter().collect() };
    let (set_a, set_b) = (shingles(body_a), shingles(body_b));
    let shared = set_a.intersection(&set_b).count();
    let union = set_a.len() + set_b.len() - shared;
    Duplicates {
        same_group: grouped.same_group,
        linked: grouped.linked,
        estimated: fp_a.resemblance(&fp_b),
        exact: if union == 0 { 0.0 } else { shared as f32 / union as f32 },
        threshold: config.threshold,
        shingle_words: config.shingle_words,
        shingles: [set_a.len(), set_b.len()],
        shared_shingles: shared,
        shares_band: shares_band(&fp_a, &fp_b, config),
        chain: grouped.chain,
    }
}

/// Whether two signatures agree on a whole LSH band.
fn shares_band(a: &Fingerprint, b: &Fingerprint, config: &FingerprintConfig) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let rows = config.rows;
    (0..config.bands).any(|band| a.minhash[band * rows..(band + 1) * rows] == b.minhash[band * rows..(band + 1) * rows])
}

/// The shortest chain of near-duplicate links from `a` to `b` (in one
/// group).
fn chain(articles: &[Article], a: usize, b: usize, dups: &DupGroups) -> Vec<ChainLink> {
    let group = dups.group_of[a];
    let links = dups.links.iter().filter(|link| dups.group_of[link.a] == group);
    shortest_path(a, b, links.map(|link| (link.a, link.b, link.resemblance)))
        .into_iter()
        .map(|(from, at, resemblance)| ChainLink {
            from: articles[from].id.clone(),
            to: articles[at].id.clone(),
            resemblance,
        })
        .collect()
}

/// The shortest path from `a` to `b` over `edges` (undirected, each with
/// its label), found breadth first, neighbours in the order of `edges`:
/// its steps `(from, to, label)`, empty when there is none.
fn shortest_path<T, L>(a: T, b: T, edges: impl Iterator<Item = (T, T, L)>) -> Vec<(T, T, L)>
where
    T: Copy + Eq + std::hash::Hash,
    L: Copy,
{
    let mut linked: HashMap<T, Vec<(T, L)>> = HashMap::new();
    for (x, y, label) in edges {
        linked.entry(x).or_default().push((y, label));
        linked.entry(y).or_default().push((x, label));
    }
    let mut came_from: HashMap<T, (T, L)> = HashMap::new();
    let mut queue = VecDeque::from([a]);
    while let Some(x) = queue.pop_front() {
        if x == b {
            break;
        }
        for &(y, label) in linked.get(&x).into_iter().flatten() {
            if y != a && !came_from.contains_key(&y) {
                came_from.insert(y, (x, label));
                queue.push_back(y);
            }
        }
    }
    let mut steps = Vec::new();
    let mut at = b;
    while let Some(&(from, label)) = came_from.get(&at) {
        steps.push((from, at, label));
        at = from;
    }
    steps.reverse();
    steps
}

/// The terms behind the cosine of two story vectors, with their words.
fn terms(article_a: &Article, article_b: &Article, a: &StoryVector, b: &StoryVector) -> Terms {
    let (words_a, words_b) = (represent::term_words(article_a), represent::term_words(article_b));
    let word = |term: u64| -> String {
        words_a.get(&term).or_else(|| words_b.get(&term)).cloned().unwrap_or_else(|| format!("#{term:016x}"))
    };
    let mut shared = Vec::new();
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < a.terms.len() || j < b.terms.len() {
        let (term_a, term_b) = (a.terms.get(i).map(|t| t.0), b.terms.get(j).map(|t| t.0));
        match (term_a, term_b) {
            (Some(x), Some(y)) if x == y => {
                let (weight_a, weight_b) = (a.terms[i].1, b.terms[j].1);
                shared.push((x, weight_a, weight_b));
                (i, j) = (i + 1, j + 1);
            }
            (Some(x), y) if y.is_none_or(|y| x < y) => {
                only_a.push(a.terms[i]);
                i += 1;
            }
            _ => {
                only_b.push(b.terms[j]);
                j += 1;
            }
        }
    }
    let n_shared = shared.len();
    shared.sort_by(|x, y| (y.1 * y.2).total_cmp(&(x.1 * x.2)).then(x.0.cmp(&y.0)));
    let strongest = |mut own: Vec<(u64, f32)>| -> Vec<OwnTerm> {
        own.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        own.into_iter().take(TOP_TERMS).map(|(term, weight)| OwnTerm { word: word(term), weight }).collect()
    };
    Terms {
        cosine: cosine_of_dot(sparse_dot(&a.terms, &b.terms)),
        n_shared,
        shared: shared
            .into_iter()
            .take(TOP_TERMS)
            .map(|(term, weight_a, weight_b)| SharedTerm {
                word: word(term),
                weight_a,
                weight_b,
                contribution: weight_a * weight_b,
            })
            .collect(),
        only_a: strongest(only_a),
        only_b: strongest(only_b),
    }
}

#[cfg(test)]
mod tests;

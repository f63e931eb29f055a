//! The whole pipeline, stage after stage, behind one call.
//!
//! Owns [`Config`] (every stage's settings in one place), [`Outcome`] (the
//! articles, their stories and what was skipped), [`run`], which chains
//! `clean` → `fingerprint` → `represent` → `index` → `cluster` over
//! documents in memory, and [`run_streaming`], which does the same over
//! inputs read once in batches, with prepared documents, article bodies and
//! term counts spilled to temporary files (`spill`) so that texts are never
//! all held.
//! Both give the same result. Articles are put in id order first, so that
//! results do not depend on input order; the index's neighbours are
//! rescored exactly, so they do not depend on the thread count either.
//! [`differences`] runs `diff` over every story of a clustering. This module
//! must not open inputs itself (`ingest` reads them) or print: progress goes
//! through the [`Progress`] trait.

use std::borrow::Cow;
use std::io;

use rayon::prelude::*;

use crate::article::{Article, RawContent, RawDoc};
use crate::clean::{self, CleanConfig, DocHead, PreparedDoc};
use crate::cluster::{self, dup_groups, ClusterConfig, Clustering, DupGroup, StorylineConfig};
use crate::diff::{self, DiffConfig, StoryDiff};
use crate::error::{Error, Result};
use crate::fingerprint::{self, FingerprintConfig};
use crate::index::{self, IndexConfig, ShardPlan};
use crate::ingest::{Inputs, Problem};
use crate::represent::{self, DocFreq, DocFreqCounter, RepresentConfig, StoryVector, TermCounts};
use crate::spill::{Span, Spill, SpillWriter};

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
    /// The storyline rule (batch runs, and the storyline step of an add).
    pub storyline: StorylineConfig,
}

/// The pipeline's stages, for progress reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Learning site templates (a first reading of streamed input).
    Templates,
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
    /// Joining stories into storylines.
    Storylines,
    /// Reading a story store: the part of its window a batch is clustered
    /// with (an add), or what a report shows of it.
    StoreRead,
    /// Writing a story store: an add's articles, stories, links and
    /// summaries, and its commit.
    StoreWrite,
}

impl Stage {
    /// A short name for progress messages.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Templates => "templates",
            Stage::Clean => "cleaning",
            Stage::Fingerprint => "fingerprinting",
            Stage::Represent => "story vectors",
            Stage::Index => "nearest neighbours",
            Stage::Cluster => "clustering",
            Stage::Storylines => "storylines",
            Stage::StoreRead => "reading the store",
            Stage::StoreWrite => "writing the store",
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
    /// Cleaned articles, sorted by id. Story members index into this. After
    /// [`run_streaming`], their bodies are empty until
    /// [`Outcome::load_bodies`] reads them back; [`Outcome::body`] reads one.
    /// A [`Job::Dedup`] run does not keep them.
    pub articles: Vec<Article>,
    /// The stories.
    pub clustering: Clustering,
    /// Articles dropped by cleaning, with the reason.
    pub skipped: Vec<clean::Skipped>,
    /// Warnings about articles that were kept (pages read by their tags
    /// alone) from [`run`] and [`dedup`]; a streaming run reports them with
    /// everything else it read, in [`Streamed::reading`], and leaves this
    /// empty.
    pub warnings: Vec<Problem>,
    /// Where the bodies are.
    bodies: Bodies,
}

/// Where an [`Outcome`]'s article bodies are.
#[derive(Debug)]
enum Bodies {
    /// In the articles.
    Held,
    /// Written aside by a streaming run.
    Spilled(SpilledBodies),
    /// Nowhere: a [`Job::Cluster`] run without `keep_bodies` does not need
    /// them.
    NotKept,
}

/// Article bodies written aside by a streaming run, in article order.
#[derive(Debug)]
struct SpilledBodies {
    spill: Spill,
    spans: Vec<Span>,
}

impl Outcome {
    /// The body of article `i`, read back from disk after a streaming run
    /// unless already loaded.
    ///
    /// # Errors
    /// A read error, or [`Error::BodiesNotKept`] for an outcome of a run
    /// without `keep_bodies`.
    pub fn body(&self, i: usize) -> Result<Cow<'_, str>> {
        let article = &self.articles[i];
        match &self.bodies {
            Bodies::Spilled(spilled) if article.body.is_empty() => read_body(spilled, i).map(Cow::Owned),
            Bodies::NotKept => Err(Error::BodiesNotKept),
            _ => Ok(Cow::Borrowed(&article.body)),
        }
    }

    /// Reads back the bodies of the articles `which` selects (all are there
    /// already unless the run streamed), so that reports can show them.
    ///
    /// # Errors
    /// A read error, or [`Error::BodiesNotKept`] for an outcome of a run
    /// without `keep_bodies`.
    pub fn load_bodies(&mut self, which: impl Fn(&Article) -> bool + Sync) -> Result<()> {
        let spilled = match &self.bodies {
            Bodies::Held => return Ok(()),
            Bodies::Spilled(spilled) => spilled,
            Bodies::NotKept => return Err(Error::BodiesNotKept),
        };
        self.articles.par_iter_mut().enumerate().try_for_each(|(i, article)| {
            if article.body.is_empty() && which(article) {
                article.body = read_body(spilled, i)?;
            }
            Ok(())
        })
    }
}

fn read_body(spilled: &SpilledBodies, i: usize) -> Result<String> {
    String::from_utf8(spilled.spill.read(spilled.spans[i])?).map_err(|_| Error::Damaged("article body"))
}

/// Runs the pipeline over documents read by `ingest`, all held in memory.
pub fn run(docs: Vec<RawDoc>, config: &Config, progress: &dyn Progress) -> Outcome {
    run_with_doc_freq(docs, config, None, progress)
}

/// [`run`], with terms weighed by `doc_freq` when given instead of by the
/// documents' own frequencies: the frequencies of a whole corpus (from
/// [`doc_freq`] over it, or over its parts, merged) when `docs` are one
/// part of it, so that the part's articles are weighed as the corpus' run
/// weighs them. Given the frequencies [`doc_freq`] counts over `docs`
/// themselves, the result is [`run`]'s.
pub fn run_with_doc_freq(
    docs: Vec<RawDoc>,
    config: &Config,
    doc_freq: Option<&DocFreq>,
    progress: &dyn Progress,
) -> Outcome {
    let Cleaned { articles, skipped, warnings } = clean_sorted(docs, config, progress);
    let clustering = cluster_articles(&articles, config, doc_freq, progress);
    Outcome { articles, clustering, skipped, warnings, bodies: Bodies::Held }
}

/// What [`doc_freq`] counted over some documents.
#[derive(Debug)]
pub struct Counted {
    /// The document frequencies, one document per near-duplicate group.
    pub counter: DocFreqCounter,
    /// The articles cleaning kept.
    pub n_articles: usize,
    /// Articles dropped by cleaning, with the reason.
    pub skipped: Vec<clean::Skipped>,
    /// Warnings about articles that were kept, as [`Outcome::warnings`].
    pub warnings: Vec<Problem>,
}

/// The document frequencies a [`run`] of `docs` weighs terms by: the
/// documents cleaned and put in id order, their near-duplicate groups
/// found, and each group's representative counted once. Counters of the
/// parts of a corpus merge ([`DocFreqCounter::merge`]) into frequencies of
/// the corpus for [`run_with_doc_freq`]; they differ from one count of the
/// whole only where cleaning learns a site's templates from several parts,
/// or a near-duplicate group spans parts (it is counted once in each).
pub fn doc_freq(docs: Vec<RawDoc>, config: &Config, progress: &dyn Progress) -> Counted {
    let Cleaned { articles, skipped, warnings } = clean_sorted(docs, config, progress);
    let dups = near_duplicates(&articles, config, progress);
    let n = articles.len();
    progress.start(Stage::Represent, n as u64);
    let counter =
        DocFreqCounter::count_each(&dups.group_of, |i| represent::count_terms(&articles[i], &config.represent));
    progress.advance(n as u64);
    Counted { counter, n_articles: n, skipped, warnings }
}

/// What [`clean_sorted`] gives: the articles in id order, the documents
/// skipped, the warnings about articles kept.
struct Cleaned {
    articles: Vec<Article>,
    skipped: Vec<clean::Skipped>,
    warnings: Vec<Problem>,
}

/// Cleans documents and puts the articles in id order, the order every
/// later stage works in.
fn clean_sorted(docs: Vec<RawDoc>, config: &Config, progress: &dyn Progress) -> Cleaned {
    progress.start(Stage::Clean, docs.len() as u64);
    let cleaned = clean::clean(docs, &config.clean);
    progress.advance(cleaned.articles.len() as u64);
    let mut articles = cleaned.articles;
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    Cleaned { articles, skipped: cleaned.skipped, warnings: cleaned.problems }
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
    /// Warnings about articles that were kept (pages read by their tags
    /// alone) from [`run`] and [`dedup`]; a streaming run reports them with
    /// everything else it read, in [`Streamed::reading`], and leaves this
    /// empty.
    pub warnings: Vec<Problem>,
}

/// Runs only the near-duplicate stage (clean, fingerprint, LSH): for feeds
/// where copies are all that matters, and to compare with other
/// near-duplicate tools.
pub fn dedup(docs: Vec<RawDoc>, config: &Config, progress: &dyn Progress) -> DedupOutcome {
    let Cleaned { articles, skipped, warnings } = clean_sorted(docs, config, progress);
    let dups = near_duplicates(&articles, config, progress);
    DedupOutcome { groups: dup_groups(&dups), articles, skipped, warnings }
}

/// Clusters cleaned articles (in the order given; [`run`] sorts them by id),
/// with terms weighed by `doc_freq`, or by the articles' own frequencies
/// (see [`story_vectors`]).
pub fn cluster_articles(
    articles: &[Article],
    config: &Config,
    doc_freq: Option<&DocFreq>,
    progress: &dyn Progress,
) -> Clustering {
    let dups = near_duplicates(articles, config, progress);
    let vectors = story_vectors(articles, &dups.group_of, doc_freq, config, progress);
    let days = publication_days(articles);
    cluster_with_storylines(&days, &dups, vectors, config, progress)
}

/// Each article's publication day (days since 1970-01-01), when known.
pub(crate) fn publication_days(articles: &[Article]) -> Vec<Option<i64>> {
    articles.iter().map(|a| a.published.map(|d| d.days_since_epoch())).collect()
}

/// The stories of articles published on `days`, with near-duplicate groups
/// `dups` and story `vectors`: index, rescoring, clustering, from the
/// starting groups `initial` (`dups.group_of`, or groups holding them) and
/// attaching only clusters that hold an article of `new` (see
/// [`cluster::stories_from`]).
pub fn cluster_vectors(
    days: &[Option<i64>],
    dups: &fingerprint::DupGroups,
    initial: &[usize],
    new: Option<&[bool]>,
    vectors: Vec<StoryVector>,
    config: &Config,
    progress: &dyn Progress,
) -> Clustering {
    let n = vectors.len();
    let neighbours = index_stage(&vectors, &dups.group_of, days, config, progress);
    progress.start(Stage::Cluster, n as u64);
    let clustering = cluster::stories_from(days, dups, initial, new, vectors, neighbours, &config.cluster);
    progress.advance(n as u64);
    clustering
}

/// [`cluster_vectors`] from the near-duplicate groups alone (a batch run),
/// then the stories joined into storylines ([`cluster::storylines`]).
pub fn cluster_with_storylines(
    days: &[Option<i64>],
    dups: &fingerprint::DupGroups,
    vectors: Vec<StoryVector>,
    config: &Config,
    progress: &dyn Progress,
) -> Clustering {
    let n = vectors.len();
    let neighbours = index_stage(&vectors, &dups.group_of, days, config, progress);
    progress.start(Stage::Cluster, n as u64);
    let (mut clustering, sums) = cluster::stories_with_sums(days, dups, vectors, neighbours, &config.cluster);
    progress.advance(n as u64);

    let n_stories = clustering.stories.len() as u64;
    progress.start(Stage::Storylines, n_stories);
    let dims = config.represent.dense_dims;
    cluster::storylines(&mut clustering, sums, days, &config.storyline, &config.index, dims);
    progress.advance(n_stories);
    clustering
}

/// [`index_neighbours`] as the index stage, reported to `progress`.
fn index_stage(
    vectors: &[StoryVector],
    group_of: &[usize],
    days: &[Option<i64>],
    config: &Config,
    progress: &dyn Progress,
) -> Vec<Vec<(usize, f32)>> {
    progress.start(Stage::Index, vectors.len() as u64);
    let neighbours = index_neighbours(vectors, group_of, days, config);
    progress.advance(vectors.len() as u64);
    neighbours
}

/// The nearest neighbours the index finds for each article (article index,
/// approximate similarity) with story `vectors`, near-duplicate groups
/// `group_of` and publication `days`: only a group's representative is
/// indexed and gets a list, the others' lists are empty.
pub(crate) fn index_neighbours(
    vectors: &[StoryVector],
    group_of: &[usize],
    days: &[Option<i64>],
    config: &Config,
) -> Vec<Vec<(usize, f32)>> {
    let points = index_points(vectors, group_of, days, config.represent.dense_dims);
    let mut neighbours = vec![Vec::new(); vectors.len()];
    if points.articles.len() > 1 {
        let plan = ShardPlan::new(&points.days, &points.dense, points.dims, &config.index);
        let found = index::all_neighbours(&points.dense, points.dims, &plan, config.cluster.neighbours, &config.index);
        for (k, list) in found.into_iter().enumerate() {
            let mut list: Vec<(usize, f32)> =
                list.into_iter().map(|(j, similarity)| (points.articles[j], similarity)).collect();
            list.shrink_to_fit();
            neighbours[points.articles[k]] = list;
        }
    }
    neighbours
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

/// Story vectors of every article, weighed by `doc_freq` when given (see
/// [`run_with_doc_freq`]), otherwise by document frequencies counted over
/// the articles, once per near-duplicate group (`group_of` as from
/// [`near_duplicates`]).
pub fn story_vectors(
    articles: &[Article],
    group_of: &[usize],
    doc_freq: Option<&DocFreq>,
    config: &Config,
    progress: &dyn Progress,
) -> Vec<StoryVector> {
    progress.start(Stage::Represent, articles.len() as u64);
    let counts: Vec<_> = articles.par_iter().map(|a| represent::count_terms(a, &config.represent)).collect();
    let own;
    let df = match doc_freq {
        Some(df) => df,
        None => {
            own = DocFreq::new(&counts, group_of);
            &own
        }
    };
    counts
        .par_iter()
        .map(|c| {
            let v = represent::weigh(c, df, &config.represent);
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

/// The differences between the articles of every story (same order as
/// `clustering.stories`), computed in parallel: `None` for single-article
/// stories. Each story's near-duplicate groups are passed to
/// [`diff::story_diff`] as positions within its member list.
pub fn differences(articles: &[Article], clustering: &Clustering, config: &DiffConfig) -> Vec<Option<StoryDiff>> {
    let body = |i: usize| -> Result<Cow<'_, str>> { Ok(Cow::Borrowed(&articles[i].body)) };
    differences_with(articles, clustering, config, body).expect("bodies in memory cannot fail to read")
}

impl Outcome {
    /// [`differences`] of this outcome's articles, reading each story's
    /// bodies back (one story at a time) when the run streamed.
    pub fn differences(&self, clustering: &Clustering, config: &DiffConfig) -> Result<Vec<Option<StoryDiff>>> {
        differences_with(&self.articles, clustering, config, |i| self.body(i))
    }
}

fn differences_with<'a>(
    articles: &'a [Article],
    clustering: &Clustering,
    config: &DiffConfig,
    body: impl Fn(usize) -> Result<Cow<'a, str>> + Sync,
) -> Result<Vec<Option<StoryDiff>>> {
    clustering
        .stories
        .par_iter()
        .map(|story| {
            if story.members.len() < 2 {
                return Ok(None);
            }
            let loaded: Vec<Cow<'_, Article>> = story
                .members
                .iter()
                .map(|&m| {
                    Ok(match body(m)? {
                        Cow::Borrowed(_) => Cow::Borrowed(&articles[m]),
                        Cow::Owned(body) => Cow::Owned(Article { body, ..articles[m].clone() }),
                    })
                })
                .collect::<Result<_>>()?;
            let members: Vec<&Article> = loaded.iter().map(|a| a.as_ref()).collect();
            let groups: Vec<Vec<usize>> = story
                .dup_groups
                .iter()
                .map(|g| g.members.iter().filter_map(|m| story.members.binary_search(m).ok()).collect())
                .collect();
            Ok(Some(diff::story_diff(&members, &groups, config)))
        })
        .collect()
}

/// What [`run_streaming`] does after near-duplicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Stories: the whole pipeline.
    Cluster {
        /// Write article bodies aside, to read back for reports that show
        /// texts or differences. A report without them (CSV, JSON Lines)
        /// never reads them, and at 1M articles they are 3 GB of writes.
        keep_bodies: bool,
    },
    /// Near-duplicate groups only.
    Dedup,
}

/// What [`run_streaming`] produced: the job's result, and what reading the
/// inputs found.
#[derive(Debug)]
pub struct Streamed {
    /// The result of the job that was asked for.
    pub result: JobResult,
    /// What reading the inputs skipped or repaired, and how much it read.
    pub reading: Reading,
}

/// The result of a [`Job`], one variant per job.
#[derive(Debug)]
pub enum JobResult {
    /// [`Job::Cluster`]: the articles and their stories.
    Stories(Outcome),
    /// [`Job::Dedup`]: the articles and their near-duplicate groups.
    Duplicates(DedupOutcome),
}

impl JobResult {
    /// The cleaned articles, sorted by id.
    pub fn articles(&self) -> &[Article] {
        match self {
            JobResult::Stories(outcome) => &outcome.articles,
            JobResult::Duplicates(outcome) => &outcome.articles,
        }
    }

    /// The articles dropped by cleaning, with the reason.
    pub fn skipped(&self) -> &[clean::Skipped] {
        match self {
            JobResult::Stories(outcome) => &outcome.skipped,
            JobResult::Duplicates(outcome) => &outcome.skipped,
        }
    }
}

/// Input read per batch by [`run_streaming`], for each worker thread: a few
/// hundred news articles per thread, little enough that a batch's texts,
/// prepared documents and bodies stay a small, reused part of memory and
/// largely in cache from one step to the next. At 100k articles on one
/// thread, 1 MB batches took 25% less peak memory than 16 MB and a quarter
/// of the page faults, and no more time.
const BATCH_BYTES_PER_THREAD: usize = 1 << 20;

/// Input read per batch by [`run_streaming`] with the current thread pool.
fn batch_size() -> usize {
    BATCH_BYTES_PER_THREAD * rayon::current_num_threads()
}

/// Runs the pipeline over inputs too large to hold, reading them once
/// ([`clean_streaming`]), then cleaning, fingerprinting and counting the
/// terms of each article batch by batch. Bodies and term counts go to
/// temporary files; memory holds only the articles' metadata,
/// fingerprints (until near-duplicates are found), story vectors and what
/// clustering needs. The result is the same as [`run`] (or [`dedup`]) on the
/// same documents.
///
/// # Errors
/// An I/O error on a temporary file, or a damaged record read back from one.
pub fn run_streaming(inputs: &Inputs, job: Job, config: &Config, progress: &dyn Progress) -> Result<Streamed> {
    // Clean, fingerprint, count terms; spill bodies and counts.
    let mut pass = SecondPass::new(job)?;
    let reading =
        clean_streaming(inputs, &config.clean, progress, &mut |cleaned, total| pass.take(cleaned, total, config))?;
    let SecondPass { rows, skipped, spills } = pass;

    // Article (id) order, as in `run`.
    let mut rows = rows;
    rows.par_sort_unstable_by(|a, b| a.article.id.cmp(&b.article.id));
    let n = rows.len();
    let mut articles = Vec::with_capacity(n);
    let mut fingerprints = Vec::with_capacity(n);
    let mut body_spans = Vec::with_capacity(n);
    let mut count_spans = Vec::with_capacity(n);
    for row in rows {
        articles.push(row.article);
        fingerprints.push(row.fingerprint);
        body_spans.push(row.body);
        count_spans.push(row.counts);
    }
    progress.start(Stage::Fingerprint, n as u64);
    let dups = fingerprint::near_duplicates(&fingerprints, &config.fingerprint);
    drop(fingerprints);
    progress.advance(n as u64);
    let Some(Spills { bodies, counts }) = spills else {
        // A dedup run: no bodies or counts were spilled.
        let outcome = DedupOutcome { groups: dup_groups(&dups), articles, skipped, warnings: Vec::new() };
        return Ok(Streamed { result: JobResult::Duplicates(outcome), reading });
    };
    let bodies = match bodies {
        Some(bodies) => Bodies::Spilled(SpilledBodies { spill: bodies.finish()?, spans: body_spans }),
        None => Bodies::NotKept,
    };

    // Story vectors from the spilled counts: document frequencies over the
    // groups' representatives, then each article's weights.
    progress.start(Stage::Represent, n as u64);
    let counts = counts.finish()?;
    let read_counts = |i: usize| -> Result<TermCounts> {
        TermCounts::decode(&counts.read(count_spans[i])?).ok_or(Error::Damaged("term count record"))
    };
    let group_of = &dups.group_of;
    let df = (0..n)
        .into_par_iter()
        .filter(|&i| group_of[i] == i)
        .try_fold(DocFreqCounter::default, |mut counter, i| {
            counter.add(&read_counts(i)?);
            Ok::<_, Error>(counter)
        })
        .try_reduce(DocFreqCounter::default, |a, b| Ok(a.merge(b)))?
        .finish();
    let vectors: Vec<StoryVector> = (0..n)
        .into_par_iter()
        .map(|i| {
            let v = represent::weigh(&read_counts(i)?, &df, &config.represent);
            progress.advance(1);
            Ok(v)
        })
        .collect::<Result<_>>()?;
    drop((df, counts, count_spans));

    let days = publication_days(&articles);
    let clustering = cluster_with_storylines(&days, &dups, vectors, config, progress);
    let outcome = Outcome { articles, clustering, skipped, warnings: Vec::new(), bodies };
    Ok(Streamed { result: JobResult::Stories(outcome), reading })
}

/// Reads and cleans inputs into articles held in memory, sorted by id,
/// with the documents cleaning skipped: a batch for a story store's `add`,
/// which is an hour's or a day's news.
///
/// # Errors
/// As [`clean_streaming`].
pub fn read_articles(
    inputs: &Inputs,
    config: &CleanConfig,
    progress: &dyn Progress,
) -> Result<(Vec<Article>, Vec<clean::Skipped>, Reading)> {
    let (mut articles, mut skipped) = (Vec::new(), Vec::new());
    let reading = clean_streaming(inputs, config, progress, &mut |batch, _| {
        for cleaned in batch {
            match cleaned {
                Ok(article) => articles.push(article),
                Err(s) => skipped.push(s),
            }
        }
        Ok(())
    })?;
    articles.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    Ok((articles, skipped, reading))
}

/// What [`clean_streaming`] read.
#[derive(Debug)]
pub struct Reading {
    /// What reading the inputs skipped or repaired.
    pub problems: Vec<Problem>,
    /// How many documents were read.
    pub n_read: usize,
}

/// Cleans inputs too large to hold. They are read once, in batches: each
/// batch is prepared (split into lines, HTML turned into text) in parallel,
/// its line keys are noted for template learning, and the prepared
/// documents are written to a temporary file, memory keeping only their
/// ids, origins, URLs and extra fields. Once the templates are known, the
/// prepared documents are read back batch by batch, cleaned in parallel and
/// handed, in input order, to `sink`, with the number of documents all its
/// calls will get (articles and skipped ones), so it can size what it keeps.
/// The articles are those [`clean::clean`] makes of the same documents.
///
/// # Errors
/// The first error of `sink` (nothing more is handed to it), an I/O error
/// on the temporary file, or a damaged record read back from it.
pub fn clean_streaming(
    inputs: &Inputs,
    config: &CleanConfig,
    progress: &dyn Progress,
    sink: &mut dyn FnMut(Vec<Result<Article, clean::Skipped>>, usize) -> Result<()>,
) -> Result<Reading> {
    progress.start(Stage::Templates, inputs.total_bytes());
    let mut learner = clean::TemplateLearner::new(config);
    let mut spill = SpillWriter::new()?;
    let mut held: Vec<(DocHead, Span)> = Vec::new();
    let mut buffers = Vec::new();
    let mut result = Ok(());
    let batch_size = batch_size();
    let mut problems = inputs.read(batch_size, &mut |batch| {
        progress.advance(batch_bytes(&batch));
        let prepared = learner.add(batch);
        if result.is_ok() {
            result = hold(prepared, &mut spill, &mut held, &mut buffers);
        }
    });
    result?;
    problems.extend(learner.take_problems());
    let templates = learner.finish();
    let spill = spill.finish()?;

    let n_read = held.len();
    progress.start(Stage::Clean, n_read as u64);
    let mut held = held.into_iter().peekable();
    let mut run = Vec::new();
    while held.peek().is_some() {
        // Heads with where their records lie in `run`, read in one go.
        let (mut batch, mut spans) = (Vec::new(), Vec::new());
        let mut bytes = 0;
        while bytes < batch_size {
            let Some((head, span)) = held.next() else { break };
            batch.push((head, bytes..bytes + span.len()));
            spans.push(span);
            bytes += span.len();
        }
        spill.read_run(&spans, &mut run)?;
        // Read once: its pages can go (they are what later spills write into).
        spill.release(&spans)?;
        let docs = batch
            .into_par_iter()
            .map(|(head, range)| head.join(&run[range]))
            .collect::<Option<Vec<_>>>()
            .ok_or(Error::Damaged("document"))?;
        let n = docs.len() as u64;
        sink(clean::clean_prepared(docs, &templates, config), n_read)?;
        progress.advance(n);
    }
    Ok(Reading { problems, n_read })
}

/// Writes prepared documents aside, keeping their heads and where they lie.
/// The batch is cut into one run of documents per thread; each run is
/// encoded into its own buffer of `buffers` (kept from batch to batch, so
/// their memory is allocated once), and the runs are appended in order.
fn hold(
    prepared: Vec<PreparedDoc<'_>>,
    spill: &mut SpillWriter,
    held: &mut Vec<(DocHead, Span)>,
    buffers: &mut Vec<RunBuffer>,
) -> io::Result<()> {
    let per_run = prepared.len().div_ceil(rayon::current_num_threads()).max(1);
    let n_runs = prepared.len().div_ceil(per_run);
    if buffers.len() < n_runs {
        buffers.resize_with(n_runs, RunBuffer::default);
    }
    let heads: Vec<Vec<DocHead>> = prepared
        .into_par_iter()
        .chunks(per_run)
        .zip(buffers.par_iter_mut())
        .map(|(run, buffer)| {
            buffer.bytes.clear();
            buffer.ends.clear();
            run.into_iter()
                .map(|doc| {
                    let head = doc.split(&mut buffer.bytes);
                    buffer.ends.push(buffer.bytes.len());
                    head
                })
                .collect()
        })
        .collect();
    for (heads, buffer) in heads.into_iter().zip(buffers.iter()) {
        let spans = spill.append_run(&buffer.bytes, &buffer.ends)?;
        held.extend(heads.into_iter().zip(spans));
    }
    Ok(())
}

/// The records of one run of documents, one after another, and where each
/// ends.
#[derive(Default)]
struct RunBuffer {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

fn batch_bytes(batch: &[RawDoc]) -> u64 {
    batch
        .iter()
        .map(|d| match &d.content {
            RawContent::Text(t) | RawContent::Html(t) => t.len() as u64,
        })
        .sum()
}

/// One cleaned article, its body and counts spilled.
struct Row {
    article: Article,
    fingerprint: fingerprint::Fingerprint,
    body: Span,
    counts: Span,
}

/// What the cleaning pass has taken so far.
struct SecondPass {
    rows: Vec<Row>,
    skipped: Vec<clean::Skipped>,
    /// For [`Job::Cluster`] only.
    spills: Option<Spills>,
}

/// Where a cluster run writes bodies (if it keeps them) and term counts.
struct Spills {
    bodies: Option<SpillWriter>,
    counts: SpillWriter,
}

impl SecondPass {
    fn new(job: Job) -> Result<SecondPass> {
        let spills = match job {
            Job::Cluster { keep_bodies } => {
                Some(Spills { bodies: keep_bodies.then(SpillWriter::new).transpose()?, counts: SpillWriter::new()? })
            }
            Job::Dedup => None,
        };
        Ok(SecondPass { rows: Vec::new(), skipped: Vec::new(), spills })
    }

    /// Fingerprints one batch of cleaned articles (in parallel) and, for
    /// [`Job::Cluster`], counts their terms and spills bodies and counts (in
    /// input order). `total`: how many articles all batches hold, so that
    /// the rows are allocated once (growing them by doubling copied every
    /// row and touched twice their memory).
    fn take(&mut self, cleaned: Vec<Result<Article, clean::Skipped>>, total: usize, config: &Config) -> Result<()> {
        if self.rows.capacity() == 0 {
            self.rows.reserve_exact(total);
        }
        let count = self.spills.is_some();
        let done: Vec<_> = cleaned
            .into_par_iter()
            .map(|cleaned| {
                cleaned.map(|article| {
                    let fp = fingerprint::fingerprint(&article.body, &config.fingerprint);
                    let mut counts = Vec::new();
                    if count {
                        represent::count_terms(&article, &config.represent).encode(&mut counts);
                    }
                    (article, fp, counts)
                })
            })
            .collect();
        for cleaned in done {
            match cleaned {
                Ok((mut article, fingerprint, counts)) => {
                    let (body, counts) = match &mut self.spills {
                        Some(spills) => {
                            let body = match &mut spills.bodies {
                                Some(bodies) => bodies.append(article.body.as_bytes())?,
                                None => Span::default(),
                            };
                            (body, spills.counts.append(&counts)?)
                        }
                        None => (Span::default(), Span::default()),
                    };
                    article.body = String::new();
                    self.rows.push(Row { article, fingerprint, body, counts });
                }
                Err(skipped) => self.skipped.push(skipped),
            }
        }
        Ok(())
    }
}

pub mod parts;

#[cfg(test)]
mod tests;

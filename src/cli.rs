//! Command-line flags (clap derive). Doc comments here are the `--help` text.
//!
//! Owns the flag definitions and their conversion into the library's
//! [`Config`](storyclust::pipeline::Config) (`ClusterArgs::config`). Nothing
//! past this module sees clap types; it must not run any pipeline stage.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use storyclust::article::Date;
use storyclust::cluster::{ClusterConfig, StorylineConfig};
use storyclust::fingerprint::FingerprintConfig;
use storyclust::index::IndexConfig;
use storyclust::live::AddConfig;
use storyclust::options::{self, Options, MAX_THREADS};
use storyclust::pipeline::Config;
use storyclust::report::Format;
use storyclust::represent::RepresentConfig;
use storyclust::store::Since;

/// Find near-duplicate news articles, group reports of one event into
/// stories, and show what each outlet reports that the others do not.
#[derive(Debug, Parser)]
#[command(name = "storyclust", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Cluster articles into stories with near-duplicate groups inside.
    Cluster(ClusterArgs),
    /// Add articles to a story store: each joins a story already known or
    /// starts a new one, under ids that never change.
    Add(AddArgs),
    /// Show one story in the terminal: the points its articles share, what
    /// each source alone reports and what it leaves out, name spellings and
    /// edits between copies.
    Show(ShowArgs),
    /// Find near-duplicate copies only (clean, fingerprint, LSH): one row per
    /// article with its duplicate group.
    Dedup(DedupArgs),
    /// Cluster labelled articles and score the result against the gold labels.
    Eval(EvalArgs),
    /// Explain why two articles are or are not copies and one story: shingle
    /// resemblance, the strongest shared terms, the date factor, and the
    /// cluster-level score at the decision that joined or kept them apart
    /// (with --store: the links that joined them, or their stories' score now).
    Explain(ExplainArgs),
    /// Remove boilerplate and print the cleaned articles as JSON Lines
    /// (id, source, title, url, published, body), to check what is compared.
    Clean(CleanArgs),
    /// Write a deterministic synthetic corpus as JSON Lines (for benchmarks).
    Generate(GenerateArgs),
    /// List the stories of a store, newest activity first, with their
    /// summaries (the formats of `cluster`).
    Stories(StoriesArgs),
    /// Delete from a store the articles published before a date (undated
    /// ones: first seen before it), with everything kept about them.
    Expire(ExpireArgs),
    /// Delete articles from a store by id, with everything kept about them.
    Remove(RemoveArgs),
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Stories for reading in a terminal (default when stdout is a terminal).
    Table,
    /// The full structure with link scores (default otherwise).
    Json,
    /// One membership record per line: id, story, duplicate_group, source, title, published.
    Jsonl,
    /// One membership row per article: id, story, duplicate_group, source, title, published.
    Csv,
    /// One self-contained HTML page (inline CSS and JavaScript) to browse
    /// stories and compare their articles side by side.
    Html,
    /// The csv columns, typed, in a Parquet file (needs --output).
    Parquet,
}

/// Flags of `storyclust cluster`.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// Files or directories (walked recursively) of .txt, .html/.htm,
    /// .jsonl/.ndjson, .parquet; `-` reads JSON Lines from standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// How a report of stories is written (`cluster`, `stories`).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format [default: table on a terminal, json otherwise].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,

    /// Do not compare the articles of each story (the json and html formats
    /// otherwise include what each source alone reports).
    #[arg(long)]
    pub no_differences: bool,
}

impl ReportArgs {
    /// The format asked for; by default, a table for a terminal and JSON
    /// otherwise.
    pub fn format(&self) -> Format {
        match self.format {
            Some(FormatArg::Table) => Format::Table,
            Some(FormatArg::Json) => Format::Json,
            Some(FormatArg::Jsonl) => Format::Jsonl,
            Some(FormatArg::Csv) => Format::Csv,
            Some(FormatArg::Html) => Format::Html,
            Some(FormatArg::Parquet) => Format::Parquet,
            None if self.output.is_none() && std::io::stdout().is_terminal() => Format::Table,
            None => Format::Json,
        }
    }

    /// Whether the report compares the articles of each story: the json
    /// and html formats do, unless `--no-differences`.
    pub fn shows_differences(&self) -> bool {
        matches!(self.format(), Format::Json | Format::Html) && !self.no_differences
    }
}

/// Flags of `storyclust add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The story store, an SQLite file (created when missing).
    #[arg(long, required = true)]
    pub store: PathBuf,

    /// Files or directories of articles, as for `cluster`.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    /// Known stories with an article published within this many days of
    /// the new articles' dates (or, undated, first seen this recently) are
    /// the ones new articles may join.
    #[arg(long, default_value_t = AddConfig::default().active_days, value_parser = clap::value_parser!(i64).range(0..=36_500))]
    pub active_days: i64,

    /// The time to stamp the changes with (`2024-09-23` or
    /// `2024-09-23T10:00:00Z`, UTC) [default: now], for replaying an archive.
    #[arg(long, value_parser = add_time)]
    pub now: Option<String>,

    /// Output format: a table of what changed (default), or the membership
    /// rows of the articles added (json, jsonl, csv, parquet).
    #[arg(long, value_enum, default_value_t = AddFormat::Table)]
    pub format: AddFormat,

    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// The output formats of `storyclust add`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AddFormat {
    /// What changed: counts, and the stories new, grown and merged.
    Table,
    /// The added articles' membership rows in one JSON document.
    Json,
    /// One membership record per added article.
    Jsonl,
    /// One membership row per added article.
    Csv,
    /// The csv columns, typed, in a Parquet file (needs --output).
    Parquet,
}

fn add_time(text: &str) -> Result<String, String> {
    storyclust::live::parse_now(text)
        .ok_or_else(|| format!("{text:?} is not a date (2024-09-23) or a UTC time (2024-09-23T10:00:00Z)"))
}

/// Flags of `storyclust show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The story id, as listed by `cluster` (`s1`, `s2`, …), or by
    /// `stories` with `--store` (`2024-09-23-3`).
    pub story: String,

    /// Inputs, as for `cluster` (the same inputs and flags give the same ids).
    #[arg(required_unless_present = "store")]
    pub inputs: Vec<PathBuf>,

    /// Show a story of this store instead (a story merged into another
    /// leads to that one).
    #[arg(long, conflicts_with = "inputs")]
    pub store: Option<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// Flags of `storyclust explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The first article's id.
    pub a: String,

    /// The second article's id.
    pub b: String,

    /// Inputs, as for `cluster` (the same inputs and flags give the same stories).
    #[arg(required_unless_present = "store")]
    pub inputs: Vec<PathBuf>,

    /// Explain two articles of this store instead, from what it kept: the
    /// stories, groups and links its adds recorded, and the resemblance,
    /// shared terms and similarity of their stories recomputed now (the
    /// clustering flags below apply to what is recomputed).
    #[arg(long, conflicts_with = "inputs")]
    pub store: Option<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

/// Output formats of `explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// For people, in a terminal.
    Text,
    /// The whole explanation, for scripts.
    Json,
}

/// Flags shared by every command that clusters.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, short = 'j', value_parser = thread_count)]
    pub threads: Option<usize>,

    /// No progress bar and no per-problem messages (the summary of skipped
    /// input is still printed).
    #[arg(long, short)]
    pub quiet: bool,

    /// Exit with status 1 when any input was skipped or repaired.
    #[arg(long)]
    pub strict: bool,

    /// Print on stderr how long each stage took (wall time; the stages the
    /// progress bar names, "cleaning" being the second pass: cleaning,
    /// fingerprints and term counts).
    #[arg(long)]
    pub timings: bool,

    /// Story threshold for full articles: clusters merge while the mean story
    /// similarity of their cross pairs is at least this.
    #[arg(long, default_value_t = ClusterConfig::default().threshold, value_parser = unit_interval, allow_negative_numbers = true)]
    pub story_threshold: f32,

    /// Story threshold for short texts such as headlines (interpolated
    /// between the two by terms per article).
    #[arg(long, default_value_t = ClusterConfig::default().short_threshold, value_parser = unit_interval, allow_negative_numbers = true)]
    pub short_story_threshold: f32,

    /// Near-duplicate threshold: estimated Jaccard resemblance of word
    /// shingles for two articles to be copies.
    #[arg(long, default_value_t = FingerprintConfig::default().threshold, value_parser = positive_fraction, allow_negative_numbers = true)]
    pub dup_threshold: f32,

    /// Words per shingle for near-duplicate fingerprints.
    #[arg(long, default_value_t = FingerprintConfig::default().shingle_words, value_parser = count_in(1, 64))]
    pub shingle_words: usize,

    /// Storyline threshold: stories join one storyline while the mean cosine
    /// between their centroids, over all cross pairs of stories, is at least
    /// this (no date decay: a storyline may span years). In a story store
    /// (`add`), the stories an add changes join stored storylines by the
    /// same rule; a storyline there only grows or merges.
    #[arg(long, default_value_t = StorylineConfig::default().threshold, value_parser = unit_interval, allow_negative_numbers = true)]
    pub storyline_threshold: f32,

    /// After clustering, a cluster of at most this many articles joins the
    /// larger neighbouring cluster whose centroid it fits best…
    #[arg(long, default_value_t = ClusterConfig::default().attach_max_size)]
    pub attach_max_size: usize,

    /// …when its centroid cosine with it (times the date factor) is at least this.
    #[arg(long, default_value_t = ClusterConfig::default().attach_threshold, value_parser = unit_interval, allow_negative_numbers = true)]
    pub attach_threshold: f32,

    /// Nearest neighbours fetched per article from the index.
    #[arg(long, default_value_t = ClusterConfig::default().neighbours, value_parser = count_in(1, 1024))]
    pub neighbours: usize,

    /// Neighbour pairs whose story similarity (times the date factor) is
    /// below this are not merge candidates.
    #[arg(long, default_value_t = ClusterConfig::default().candidate_floor, value_parser = unit_interval, allow_negative_numbers = true)]
    pub candidate_floor: f32,

    /// Days between publication dates that cost no similarity.
    #[arg(long, default_value_t = ClusterConfig::default().date_grace_days)]
    pub date_grace_days: u32,

    /// Beyond the grace days, similarity decays as exp(-extra_days / this).
    #[arg(long, default_value_t = ClusterConfig::default().date_scale_days, value_parser = positive_days, allow_negative_numbers = true)]
    pub date_scale_days: f32,

    /// Candidate pairs at least this similar (not copies of each other) count
    /// as surely one story when measuring how long stories last in the input.
    #[arg(long, default_value_t = ClusterConfig::default().date_confident_cosine, value_parser = unit_interval, allow_negative_numbers = true)]
    pub date_confident_cosine: f32,

    /// When those pairs are on average D days apart and this many times D is
    /// below --date-scale-days, the date grace and scale shrink by that ratio
    /// (stories that last a day in this input); 0 keeps them as given.
    #[arg(long, default_value_t = ClusterConfig::default().date_spread_factor, value_parser = non_negative, allow_negative_numbers = true)]
    pub date_spread_factor: f32,

    /// Strongest terms kept per article in its story vector.
    #[arg(long, default_value_t = RepresentConfig::default().max_terms, value_parser = count_in(1, 100_000))]
    pub max_terms: usize,

    /// Dimensions of the dense story vectors the index searches (exact
    /// rescoring uses the sparse vectors).
    #[arg(long, default_value_t = RepresentConfig::default().dense_dims, value_parser = count_in(1, 4096))]
    pub dense_dims: usize,

    /// Index: articles per shard (articles are split by publication date
    /// into graphs of at most this many).
    #[arg(long, default_value_t = IndexConfig::default().shard_size, value_parser = count_in(1, usize::MAX))]
    pub shard_size: usize,

    /// Index: a shard also holds the articles of earlier shards published up
    /// to this many days before its first one.
    #[arg(long, default_value_t = IndexConfig::default().window_days)]
    pub window_days: u32,

    /// Index: HNSW links per node (M). HNSW graphs serve only shards of more
    /// than --exact-max-points points (a large undated shard, or a
    /// larger --shard-size): smaller ones are searched exhaustively.
    #[arg(long, default_value_t = IndexConfig::default().max_connections, value_parser = count_in(2, 256))]
    pub hnsw_m: usize,

    /// Index: HNSW candidate list size while building (efConstruction), in
    /// shards of more than --exact-max-points points.
    #[arg(long, default_value_t = IndexConfig::default().ef_construction, value_parser = count_in(1, 100_000))]
    pub ef_construction: usize,

    /// Index: HNSW candidate list size while searching (ef), in shards of
    /// more than --exact-max-points points.
    #[arg(long, default_value_t = IndexConfig::default().ef_search, value_parser = count_in(1, 100_000))]
    pub ef_search: usize,

    /// Index: shards of at most this many points (context included) are
    /// searched exhaustively (exact, and cheaper than a graph at this size);
    /// larger ones get an HNSW graph. 0 puts every shard in a graph.
    #[arg(long, default_value_t = IndexConfig::default().exact_max_points)]
    pub exact_max_points: usize,
}

impl CommonArgs {
    /// The library configuration these flags describe.
    pub fn config(&self) -> Config {
        self.options().config()
    }

    /// The clustering options these flags set (the mapping to the
    /// library's configuration is [`Options::config`], shared with the
    /// Python package).
    pub fn options(&self) -> Options {
        Options {
            story_threshold: self.story_threshold,
            short_story_threshold: self.short_story_threshold,
            dup_threshold: self.dup_threshold,
            shingle_words: self.shingle_words,
            storyline_threshold: self.storyline_threshold,
            attach_max_size: self.attach_max_size,
            attach_threshold: self.attach_threshold,
            neighbours: self.neighbours,
            candidate_floor: self.candidate_floor,
            date_grace_days: self.date_grace_days,
            date_scale_days: self.date_scale_days,
            date_confident_cosine: self.date_confident_cosine,
            date_spread_factor: self.date_spread_factor,
            max_terms: self.max_terms,
            dense_dims: self.dense_dims,
            shard_size: self.shard_size,
            window_days: self.window_days,
            hnsw_m: self.hnsw_m,
            ef_construction: self.ef_construction,
            ef_search: self.ef_search,
            exact_max_points: self.exact_max_points,
        }
    }
}


/// A number of threads, from 1 to [`MAX_THREADS`].
fn thread_count(arg: &str) -> Result<usize, String> {
    count_in(1, MAX_THREADS)(arg)
}

/// A parser of whole numbers from `min` to `max`.
fn count_in(min: usize, max: usize) -> impl Fn(&str) -> Result<usize, String> + Clone + Send + Sync + 'static {
    move |arg: &str| {
        let n: usize = arg.trim().parse().map_err(|_| format!("{arg:?} is not a whole number"))?;
        options::count_in(n as i128, min, max)
    }
}

/// A finite number.
fn finite(arg: &str) -> Result<f32, String> {
    let x: f32 = arg.trim().parse().map_err(|_| format!("{arg:?} is not a number"))?;
    if !x.is_finite() {
        return Err(format!("{arg:?} is not a finite number"));
    }
    Ok(x)
}

/// A similarity or threshold: from 0 to 1.
fn unit_interval(arg: &str) -> Result<f32, String> {
    options::unit_interval(finite(arg)?)
}

/// A resemblance threshold: above 0 and at most 1.
fn positive_fraction(arg: &str) -> Result<f32, String> {
    options::positive_fraction(finite(arg)?)
}

/// A decay scale in days: above 0.
fn positive_days(arg: &str) -> Result<f32, String> {
    options::positive_days(finite(arg)?)
}

/// A factor: 0 or more.
fn non_negative(arg: &str) -> Result<f32, String> {
    options::non_negative(finite(arg)?)
}

/// Flags of `storyclust eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Inputs, as for `cluster`.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    /// The record field holding the gold story label (never read by
    /// clustering). When it is the storyline field, the storylines are
    /// scored against it instead.
    #[arg(long, default_value = "story")]
    pub gold_field: String,

    /// The record field holding the gold storyline label: when records carry
    /// it, the storylines are scored against it too, after the stories.
    #[arg(long, default_value = "storyline")]
    pub storyline_field: String,

    /// Also score near-duplicate groups against this field, which names the
    /// article each copy was made from (e.g. `dup_of`).
    #[arg(long)]
    pub dup_field: Option<String>,

    /// How many of the worst split and mixed groups to show.
    #[arg(long, default_value_t = 5)]
    pub top: usize,

    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
}

/// Output formats of `eval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// For people.
    Text,
    /// For scripts.
    Json,
}

/// Flags of `storyclust dedup`.
#[derive(Debug, Args)]
pub struct DedupArgs {
    /// Inputs, as for `cluster`.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format: `csv`, `jsonl` or `parquet` rows of id, duplicate_group, group_size.
    #[arg(long, value_enum, default_value_t = DedupFormat::Csv)]
    pub format: DedupFormat,

    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Output formats of `dedup`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DedupFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// The csv columns, typed, in a Parquet file (needs --output).
    Parquet,
}

/// Flags of `storyclust clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or directories, as for `cluster`.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    /// No per-problem messages (the summary of skipped input is still printed).
    #[arg(long, short)]
    pub quiet: bool,

    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Flags of `storyclust stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// The store (read only, never changed).
    #[arg(long, required = true)]
    pub store: PathBuf,

    /// Only stories published or changed by an `add` since this date
    /// (2024-09-23) or within this duration before now (24h, 7d, 2w).
    #[arg(long, value_parser = Since::parse)]
    pub since: Option<Since>,

    /// Only stories of at least this many articles.
    #[arg(long, default_value_t = 1)]
    pub min_articles: usize,

    #[command(flatten)]
    pub report: ReportArgs,

    /// No per-article warnings of the differences (their count is still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Flags of `storyclust expire`.
#[derive(Debug, Args)]
pub struct ExpireArgs {
    /// The store.
    #[arg(long, required = true)]
    pub store: PathBuf,

    /// Delete the articles published before this date (YYYY-MM-DD), and
    /// the undated ones first seen before it.
    #[arg(long, required = true, value_parser = iso_date)]
    pub before: Date,
}

/// Flags of `storyclust remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The store.
    #[arg(long, required = true)]
    pub store: PathBuf,

    /// Article ids; `-` reads them from standard input, one per line.
    #[arg(required = true)]
    pub ids: Vec<String>,

    /// Exit with status 1 when an id is not in the store (it is reported
    /// either way, and the others are removed).
    #[arg(long)]
    pub strict: bool,
}

/// A date, `YYYY-MM-DD`.
fn iso_date(arg: &str) -> Result<Date, String> {
    Date::parse_iso(arg).ok_or_else(|| format!("{arg:?} is not a date (YYYY-MM-DD)"))
}

/// Flags of `storyclust generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many articles.
    #[arg(long, short = 'n', default_value_t = 10_000)]
    pub articles: usize,

    /// The random seed: the same seed gives the same corpus.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// About how many articles are published a day (sets how many days the
    /// corpus spans).
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub per_day: u64,

    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn flags_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn thresholds_reach_the_config() {
        let cli = Cli::parse_from([
            "storyclust",
            "cluster",
            "--story-threshold",
            "0.4",
            "--dup-threshold",
            "0.7",
            "--storyline-threshold",
            "0.05",
            "--threads",
            "3",
            "in",
        ]);
        let Command::Cluster(args) = cli.command else { panic!("expected cluster") };
        let config = args.common.config();
        assert_eq!(config.cluster.threshold, 0.4);
        assert_eq!(config.storyline.threshold, 0.05);
        assert_eq!(config.fingerprint.threshold, 0.7);
        assert_eq!(args.common.threads, Some(3));
        assert!(!args.report.no_differences);
    }

    /// The error clap gives for `flag value` on `cluster`, or `None` when it
    /// parses.
    fn rejection(flag: &str, value: &str) -> Option<String> {
        Cli::try_parse_from(["storyclust", "cluster", flag, value, "in"]).err().map(|err| err.to_string())
    }

    #[test]
    fn flags_out_of_range_are_refused_with_their_name() {
        for (flag, value) in [
            ("--story-threshold", "NaN"),
            ("--story-threshold", "-0.1"),
            ("--story-threshold", "1.5"),
            ("--short-story-threshold", "inf"),
            ("--storyline-threshold", "1.01"),
            ("--storyline-threshold", "-0.02"),
            ("--dup-threshold", "0"),
            ("--attach-threshold", "-1"),
            ("--candidate-floor", "2"),
            ("--date-confident-cosine", "nan"),
            ("--date-scale-days", "0"),
            ("--date-spread-factor", "-1"),
            ("--shingle-words", "0"),
            ("--dense-dims", "0"),
            ("--max-terms", "0"),
            ("--neighbours", "0"),
            ("--shard-size", "0"),
            ("--hnsw-m", "1"),
            ("--ef-search", "0"),
            ("--threads", "0"),
            ("--threads", "5000"),
            ("--threads", "many"),
        ] {
            let error = rejection(flag, value).unwrap_or_else(|| panic!("{flag} {value} was accepted"));
            assert!(error.contains(flag), "{flag} {value}: {error}");
        }
    }

    #[test]
    fn flags_in_range_and_the_defaults_are_accepted() {
        for (flag, value) in [
            ("--story-threshold", "0"),
            ("--story-threshold", "1"),
            ("--dup-threshold", "1"),
            ("--date-spread-factor", "0"),
            ("--shingle-words", "1"),
            ("--threads", "1"),
            ("--threads", "256"),
            ("--exact-max-points", "0"),
        ] {
            assert_eq!(rejection(flag, value), None, "{flag} {value}");
        }
        let cli = Cli::parse_from(["storyclust", "cluster", "in"]);
        let Command::Cluster(args) = cli.command else { panic!("expected cluster") };
        let config = args.common.config();
        let defaults = Config::default();
        assert_eq!(config.cluster.threshold, defaults.cluster.threshold);
        assert_eq!(config.fingerprint.shingle_words, defaults.fingerprint.shingle_words);
        assert_eq!(config.represent.dense_dims, defaults.represent.dense_dims);
    }

    #[test]
    fn explain_takes_two_ids_then_inputs() {
        let cli = Cli::parse_from(["storyclust", "explain", "x", "y", "in", "--format", "json", "--neighbours", "5"]);
        let Command::Explain(args) = cli.command else { panic!("expected explain") };
        assert_eq!((args.a.as_str(), args.b.as_str()), ("x", "y"));
        assert_eq!(args.inputs.len(), 1);
        assert_eq!(args.format, ExplainFormat::Json);
        assert_eq!(args.common.config().cluster.neighbours, 5);
        assert!(Cli::try_parse_from(["storyclust", "explain", "x", "y"]).is_err(), "inputs are required");
    }

    #[test]
    fn explain_takes_a_store_instead_of_inputs() {
        let cli = Cli::parse_from(["storyclust", "explain", "x", "y", "--store", "news.db"]);
        let Command::Explain(args) = cli.command else { panic!("expected explain") };
        assert_eq!(args.store.as_deref(), Some(std::path::Path::new("news.db")));
        assert!(args.inputs.is_empty());
        let both = Cli::try_parse_from(["storyclust", "explain", "x", "y", "in", "--store", "news.db"]);
        assert!(both.is_err(), "a store and inputs are refused together");
    }

    #[test]
    fn show_takes_a_story_id_then_inputs() {
        let cli = Cli::parse_from(["storyclust", "show", "s2", "a", "b", "--quiet"]);
        let Command::Show(args) = cli.command else { panic!("expected show") };
        assert_eq!(args.story, "s2");
        assert_eq!(args.inputs.len(), 2);
        assert!(args.common.quiet);
        assert_eq!(args.store, None);
    }

    #[test]
    fn show_takes_a_store_or_inputs_but_not_both() {
        let cli = Cli::parse_from(["storyclust", "show", "2024-09-23-3", "--store", "news.db"]);
        let Command::Show(args) = cli.command else { panic!("expected show") };
        assert_eq!(args.store, Some(PathBuf::from("news.db")));
        assert!(args.inputs.is_empty());
        assert!(Cli::try_parse_from(["storyclust", "show", "s1"]).is_err());
        assert!(Cli::try_parse_from(["storyclust", "show", "s1", "in", "--store", "news.db"]).is_err());
    }

    #[test]
    fn store_commands_parse_their_flags() {
        let cli = Cli::parse_from(["storyclust", "stories", "--store", "s.db", "--since", "7d", "--min-articles", "3"]);
        let Command::Stories(args) = cli.command else { panic!("expected stories") };
        assert_eq!((args.since, args.min_articles), (Some(Since::Seconds(7 * 86_400)), 3));
        let cli = Cli::parse_from(["storyclust", "stories", "--store", "s.db"]);
        let Command::Stories(args) = cli.command else { panic!("expected stories") };
        assert_eq!((args.since, args.min_articles), (None, 1));
        for bad in ["yesterday", "7", "2024-02-30"] {
            let err = Cli::try_parse_from(["storyclust", "stories", "--store", "s.db", "--since", bad]).unwrap_err();
            assert!(err.to_string().contains("--since"), "{bad}: {err}");
        }
        let cli = Cli::parse_from(["storyclust", "expire", "--store", "s.db", "--before", "2024-09-01"]);
        let Command::Expire(args) = cli.command else { panic!("expected expire") };
        assert_eq!(args.before, Date::parse_iso("2024-09-01").unwrap());
        assert!(Cli::try_parse_from(["storyclust", "expire", "--store", "s.db", "--before", "7d"]).is_err());
        assert!(Cli::try_parse_from(["storyclust", "remove", "--store", "s.db"]).is_err(), "ids are required");
        let cli = Cli::parse_from(["storyclust", "remove", "--store", "s.db", "a1", "a2", "--strict"]);
        let Command::Remove(args) = cli.command else { panic!("expected remove") };
        assert_eq!((args.ids.len(), args.strict), (2, true));
    }
}

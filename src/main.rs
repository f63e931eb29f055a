//! The `storyclust` command: parses flags, runs the library, prints.
//!
//! Owns process concerns only: the allocator (`allocator`), thread pool size, progress bar (indicatif, on
//! stderr when it is a terminal), the end-of-run summary, output files and the
//! exit code. All logic lives in the library.

mod allocator;
mod cli;
mod signals;
mod store_commands;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use storyclust::cluster::Clustering;
use storyclust::diff::{DiffConfig, StoryDiff};
use storyclust::explain;
use storyclust::ingest::{self, Severity};
use storyclust::live::{self, AddConfig};
use storyclust::pipeline::{self, Job, JobResult, Progress, Stage, Streamed};
use storyclust::report::{self, Format, Level, Report};
use storyclust::store::{self, Access, Store};
use storyclust::Article;

use crate::cli::{
    AddArgs, AddFormat, CleanArgs, Cli, ClusterArgs, Command, CommonArgs, DedupArgs, DedupFormat, EvalArgs, EvalFormat,
    ExplainArgs, ExplainFormat, GenerateArgs, ShowArgs,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(err) = signals::install() {
        eprintln!("storyclust: cannot watch for signals (an interrupted run may leave a temporary file): {err}");
    }
    let result = match cli.command {
        Command::Cluster(args) => run_cluster(args),
        Command::Add(args) => run_add(args),
        Command::Show(args) => run_show(args),
        Command::Dedup(args) => run_dedup(args),
        Command::Eval(args) => run_eval(args),
        Command::Explain(args) => run_explain(args),
        Command::Clean(args) => run_clean(args),
        Command::Generate(args) => run_generate(args),
        Command::Stories(args) => store_commands::run_stories(args),
        Command::Expire(args) => store_commands::run_expire(args),
        Command::Remove(args) => store_commands::run_remove(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("storyclust: {}", report::escape_controls(&format!("{err:#}")));
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = match cause.downcast_ref::<storyclust::Error>() {
            Some(err) => err.io_kind(),
            None => cause.downcast_ref::<io::Error>().map(io::Error::kind),
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
struct Bar {
    bar: ProgressBar,
    /// When each stage started, for `--timings`.
    starts: Option<std::sync::Mutex<Vec<(Stage, std::time::Instant)>>>,
}

impl Bar {
    fn new(quiet: bool, timings: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(
            Some(0),
            if quiet || !io::stderr().is_terminal() {
                ProgressDrawTarget::hidden()
            } else {
                ProgressDrawTarget::stderr()
            },
        );
        bar.set_style(
            ProgressStyle::with_template("{msg:>18} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Bar { bar, starts: timings.then(|| std::sync::Mutex::new(Vec::new())) }
    }

    /// Prints each stage's wall time, up to now, when `--timings` asked.
    fn print_timings(&self) -> io::Result<()> {
        let Some(starts) = &self.starts else { return Ok(()) };
        let starts = starts.lock().expect("timings lock");
        let now = std::time::Instant::now();
        let mut stderr = io::stderr().lock();
        for (i, &(stage, start)) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(now, |&(_, next)| next);
            writeln!(stderr, "storyclust: {:>18} {:9.2} s", stage.name(), (end - start).as_secs_f64())?;
        }
        if let Some(&(_, first)) = starts.first() {
            writeln!(stderr, "storyclust: {:>18} {:9.2} s", "all stages", (now - first).as_secs_f64())?;
        }
        Ok(())
    }
}

impl Progress for Bar {
    fn start(&self, stage: Stage, total: u64) {
        allocator::enter(stage);
        if let Some(starts) = &self.starts {
            starts.lock().expect("timings lock").push((stage, std::time::Instant::now()));
        }
        self.bar.set_message(stage.name());
        self.bar.set_length(total);
        self.bar.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}

fn set_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(n) = threads {
        anyhow::ensure!(n > 0, "--threads must be at least 1");
        rayon::ThreadPoolBuilder::new().num_threads(n).build_global().context("cannot start the thread pool")?;
    }
    Ok(())
}

/// Reads the inputs (streaming: once, never all held at once), runs `job` on
/// them with a progress bar, and prints problems and the summary on stderr.
/// It is an error when no usable article is left; otherwise the flag is true
/// when the run should still exit with failure (`--strict` and something was
/// skipped or repaired).
fn read_and_run(inputs: &[std::path::PathBuf], common: &CommonArgs, job: Job) -> anyhow::Result<(JobResult, bool)> {
    set_threads(common.threads)?;
    let config = common.config();
    let inputs = ingest::Inputs::resolve(inputs, &mut io::stdin().lock());
    let bar = Bar::new(common.quiet, common.timings);
    // The whole run goes to a worker of the pool: the main thread would
    // otherwise hand every parallel step over to the pool and sleep until it
    // is done, a wake-up and a sleep per step (about 15% of a one-thread
    // `dedup`).
    let Streamed { result, reading } =
        rayon::scope(|_| pipeline::run_streaming(&inputs, job, &config, &bar)).with_context(temp_dir_context)?;
    bar.bar.finish_and_clear();
    bar.print_timings().context("cannot write the timings")?;
    let problems =
        report_problems(reading.problems, result.skipped(), reading.n_read, result.articles().len(), common.quiet)?;
    if result.articles().is_empty() {
        anyhow::bail!("no usable article in the input");
    }
    Ok((result, common.strict && !problems.is_empty()))
}

/// [`read_and_run`] with the whole pipeline; `keep_bodies` when the report
/// will read article texts back.
fn read_and_cluster(
    inputs: &[std::path::PathBuf],
    common: &CommonArgs,
    keep_bodies: bool,
) -> anyhow::Result<(pipeline::Outcome, bool)> {
    let (result, failed) = read_and_run(inputs, common, Job::Cluster { keep_bodies })?;
    let JobResult::Stories(outcome) = result else { unreachable!("a cluster job gives stories") };
    Ok((outcome, failed))
}

/// The error context of a run that stopped: its temporary files are the
/// likely cause, so the message names the folder they go to.
fn temp_dir_context() -> String {
    format!("cannot finish the run (temporary files go to {}, from $TMPDIR or /tmp)", std::env::temp_dir().display())
}

/// The error context when spilled bodies cannot be read back.
const READ_BACK: &str = "cannot read back article bodies from the temporary files ($TMPDIR, or /tmp)";

/// Reads back the bodies reports show in place of a missing headline.
fn load_untitled(outcome: &mut pipeline::Outcome) -> anyhow::Result<()> {
    outcome.load_bodies(|a| a.title.is_empty()).context(READ_BACK)
}

/// Prints each problem (unless quiet) and the one-line summary on stderr;
/// returns all problems, cleaning's skips included.
fn report_problems(
    mut problems: Vec<ingest::Problem>,
    skipped_by_clean: &[storyclust::clean::Skipped],
    n_read: usize,
    n_kept: usize,
    quiet: bool,
) -> anyhow::Result<Vec<ingest::Problem>> {
    let n_seen = n_read + problems.iter().filter(|p| p.severity == Severity::Skipped).count();
    problems.extend(skipped_by_clean.iter().map(storyclust::clean::Skipped::problem));
    let mut stderr = io::stderr().lock();
    if !quiet {
        for problem in &problems {
            writeln!(stderr, "storyclust: {}", report::escape_controls(&problem.to_string()))?;
        }
    }
    if !quiet || !problems.is_empty() {
        writeln!(stderr, "storyclust: {}", ingest::summary_line(n_seen, n_kept, &problems))?;
    }
    Ok(problems)
}

/// Prints the warnings of the differences (articles compared only in
/// part) like the reading's problems: each one unless quiet, else a count.
/// Returns how many there were.
fn report_diff_warnings(differences: &[Option<StoryDiff>], quiet: bool) -> anyhow::Result<usize> {
    let warnings: Vec<ingest::Problem> =
        differences.iter().flatten().flat_map(|d| d.warnings.iter().cloned()).collect();
    let mut stderr = io::stderr().lock();
    if !quiet {
        for warning in &warnings {
            writeln!(stderr, "storyclust: {}", report::escape_controls(&warning.to_string()))?;
        }
    } else if !warnings.is_empty() {
        let details: Vec<String> =
            ingest::summarize(&warnings).into_iter().map(|(kind, _, n)| format!("{kind}: {n}")).collect();
        writeln!(stderr, "storyclust: differences: warnings {} ({})", warnings.len(), details.join(", "))?;
    }
    Ok(warnings.len())
}

fn run_dedup(args: DedupArgs) -> anyhow::Result<ExitCode> {
    let mut out = Output::create_for(args.output.as_deref(), args.format == DedupFormat::Parquet)?;
    let (result, failed) = read_and_run(&args.inputs, &args.common, Job::Dedup)?;
    let JobResult::Duplicates(outcome) = result else { unreachable!("a dedup job gives duplicate groups") };
    let format = match args.format {
        DedupFormat::Csv => report::DedupFormat::Csv,
        DedupFormat::Jsonl => report::DedupFormat::Jsonl,
        DedupFormat::Parquet => report::DedupFormat::Parquet,
    };
    report::write_dedup(&outcome.articles, &outcome.groups, format, &mut out).context("cannot write")?;
    out.finish()?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn run_clean(args: CleanArgs) -> anyhow::Result<ExitCode> {
    let mut out = Output::create(args.output.as_deref())?;
    let inputs = ingest::Inputs::resolve(&args.inputs, &mut io::stdin().lock());
    let (mut n_kept, mut skipped) = (0, Vec::new());
    let config = storyclust::clean::CleanConfig::default();
    let reading = pipeline::clean_streaming(&inputs, &config, &pipeline::NoProgress, &mut |batch, _| {
        for cleaned in batch {
            match cleaned {
                Ok(article) => {
                    n_kept += 1;
                    serde_json::to_writer(&mut out, &article).map_err(io::Error::from)?;
                    writeln!(out)?;
                }
                Err(s) => skipped.push(s),
            }
        }
        Ok(())
    })
    .with_context(temp_dir_context)?;
    report_problems(reading.problems, &skipped, reading.n_read, n_kept, args.quiet)?;
    if n_kept == 0 {
        anyhow::bail!("no usable article in the input");
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Where a command's output goes: standard output, or a file. A file is
/// written under a temporary name in its own directory and renamed over
/// the path only once complete, so that a failed or interrupted run never
/// leaves a truncated file in place of an older, valid one. It is created
/// before any input is read, so that an unwritable path is reported at
/// once. A terminating signal removes the temporary file (`signals`). A
/// path that is not a regular file (`/dev/null`, a FIFO, a terminal) is
/// written to directly: renaming over it would replace the device.
enum Output {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    Special(BufWriter<std::fs::File>),
    File { writer: BufWriter<tempfile::NamedTempFile>, path: std::path::PathBuf, on_signal: signals::TempPath },
}

impl Output {
    /// [`Output::create`] for a report in a format: Parquet, a binary file
    /// that no terminal or pipe reader expects, is written only to a path
    /// given with `--output`.
    fn create_for(path: Option<&std::path::Path>, parquet: bool) -> anyhow::Result<Output> {
        if parquet && path.is_none() {
            anyhow::bail!("--format parquet needs --output FILE: a Parquet file is not written to standard output");
        }
        Output::create(path)
    }

    /// Standard output, or a temporary file beside `path`.
    fn create(path: Option<&std::path::Path>) -> anyhow::Result<Output> {
        let Some(path) = path else { return Ok(Output::Stdout(BufWriter::new(io::stdout().lock()))) };
        if std::fs::metadata(path).is_ok_and(|meta| !meta.is_file() && !meta.is_dir()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            return Ok(Output::Special(BufWriter::new(file)));
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => std::path::Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".storyclust-").suffix(".part");
        // The mode a plain create gives (0666 less the umask), not
        // tempfile's private 0600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let file = builder.tempfile_in(dir).with_context(|| format!("cannot create {}", path.display()))?;
        let on_signal = signals::TempPath::register(file.path());
        Ok(Output::File { writer: BufWriter::new(file), path: path.to_path_buf(), on_signal })
    }

    /// Flushes everything written and, for a file, puts it in place.
    fn finish(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut writer) => writer.flush().context("cannot write"),
            Output::Special(mut writer) => writer.flush().map_err(anyhow::Error::from),
            Output::File { writer, path, on_signal } => {
                let file = writer.into_inner().map_err(|err| err.into_error())?;
                file.as_file().sync_all()?;
                let held = signals::hold();
                let persisted = file.persist(&path).map_err(|err| err.error);
                drop(held);
                drop(on_signal);
                persisted?;
                Ok(())
            }
        }
        .context("cannot write the output")
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(writer) => writer.write(buf),
            Output::Special(writer) => writer.write(buf),
            Output::File { writer, .. } => writer.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(writer) => writer.flush(),
            Output::Special(writer) => writer.flush(),
            Output::File { writer, .. } => writer.flush(),
        }
    }
}

fn run_cluster(args: ClusterArgs) -> anyhow::Result<ExitCode> {
    let (format, shows_differences) = (args.report.format(), args.report.shows_differences());
    let keep_bodies = shows_differences || matches!(format, Format::Html | Format::Table);
    let mut out = Output::create_for(args.report.output.as_deref(), format == Format::Parquet)?;
    let (mut outcome, failed) = read_and_cluster(&args.inputs, &args.common, keep_bodies)?;
    // The page shows every article's text; the table shows the first words
    // of articles without a headline. (Loaded first, so that differences do
    // not read the page's bodies a second time.)
    match format {
        Format::Html => outcome.load_bodies(|_| true).context(READ_BACK)?,
        Format::Table => load_untitled(&mut outcome)?,
        _ => {}
    }
    // Differences cost a sentence alignment per story: only the formats
    // that show them compute them.
    let differences = shows_differences
        .then(|| outcome.differences(&outcome.clustering, &DiffConfig::default()))
        .transpose()
        .context(READ_BACK)?;
    let n_warned = report_diff_warnings(differences.as_deref().unwrap_or_default(), args.common.quiet)?;
    let report =
        Report { articles: &outcome.articles, clustering: &outcome.clustering, differences: differences.as_deref() };
    report::write(&report, format, &mut out).context("cannot write the report")?;
    out.finish()?;
    Ok(if failed || (args.common.strict && n_warned > 0) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn run_add(args: AddArgs) -> anyhow::Result<ExitCode> {
    set_threads(args.common.threads)?;
    let config = args.common.config();
    let mut out = Output::create_for(args.output.as_deref(), args.format == AddFormat::Parquet)?;
    // A store that cannot be used is reported before any input is read.
    let mut store = Store::open(&args.store, Access::Write, store::DEFAULT_WAIT)?;
    let bar = Bar::new(args.common.quiet, args.common.timings);
    let now = args.now.unwrap_or_else(live::now_utc);
    let add_config = AddConfig { active_days: args.active_days };
    let (batch, failed) = read_articles(&args.inputs, &args.common, &bar)?;
    let (added, touched) = rayon::scope(|_| live::add_reporting(&mut store, batch, &config, &add_config, &now, &bar))?;
    bar.bar.finish_and_clear();
    bar.print_timings().context("cannot write the timings")?;
    let format = match args.format {
        AddFormat::Table => Format::Table,
        AddFormat::Json => Format::Json,
        AddFormat::Jsonl => Format::Jsonl,
        AddFormat::Csv => Format::Csv,
        AddFormat::Parquet => Format::Parquet,
    };
    report::write_added(&added, &touched, format, &mut out).context("cannot write the report")?;
    out.finish()?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn run_show(args: ShowArgs) -> anyhow::Result<ExitCode> {
    if let Some(store) = &args.store {
        return store_commands::run_show_stored(&args.story, store, args.common.quiet, args.common.strict);
    }
    let (mut outcome, failed) = read_and_cluster(&args.inputs, &args.common, true)?;
    load_untitled(&mut outcome)?;
    let stories = &outcome.clustering.stories;
    let Some(index) = stories.iter().position(|s| s.id == args.story) else {
        let range = match stories.len() {
            1 => " (s1)".to_owned(),
            n => format!(" (s1 to s{n})"),
        };
        anyhow::bail!(
            "no story {:?}: the input has {} stor{}{range}",
            args.story,
            stories.len(),
            if stories.len() == 1 { "y" } else { "ies" }
        );
    };
    // Only the story shown is compared.
    let one = Clustering { stories: vec![stories[index].clone()], ..Clustering::default() };
    let mut differences = vec![None; stories.len()];
    differences[index] = outcome.differences(&one, &DiffConfig::default()).context(READ_BACK)?.pop().flatten();
    let n_warned = report_diff_warnings(&differences, args.common.quiet)?;
    let report =
        Report { articles: &outcome.articles, clustering: &outcome.clustering, differences: Some(&differences) };
    let mut out = Output::create(None)?;
    report::write_show(&report, index, &mut out).context("cannot write the story")?;
    out.finish()?;
    Ok(if failed || (args.common.strict && n_warned > 0) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn run_eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    // The error listing names untitled articles by their first words.
    let (mut outcome, failed) = read_and_cluster(&args.inputs, &args.common, true)?;
    load_untitled(&mut outcome)?;
    let (articles, clustering) = (&outcome.articles, &outcome.clustering);
    let level = if args.gold_field == args.storyline_field { Level::Storyline } else { Level::Story };
    let mut evaluations = vec![report::evaluate(articles, clustering, &args.gold_field, level, args.top)];
    if evaluations[0].scores.n == 0 {
        anyhow::bail!("no article has the gold field {:?}", args.gold_field);
    }
    if level == Level::Story && articles.iter().any(|a| a.extra.get(&args.storyline_field).is_some()) {
        let field = &args.storyline_field;
        evaluations.push(report::evaluate(articles, clustering, field, Level::Storyline, args.top));
    }
    if let Some(field) = &args.dup_field {
        evaluations.push(report::evaluate(articles, clustering, field, Level::Duplicates, args.top));
    }
    let mut out = Output::create(None)?;
    report::write_evaluation(&evaluations, &outcome.articles, args.format == EvalFormat::Json, &mut out)
        .context("cannot write the evaluation")?;
    out.finish()?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Reads and cleans the inputs as `cluster` does (same problems, summary
/// and `--strict`), holding the articles with their bodies, in id order.
fn read_articles(
    inputs: &[std::path::PathBuf],
    common: &CommonArgs,
    bar: &Bar,
) -> anyhow::Result<(Vec<Article>, bool)> {
    let inputs = ingest::Inputs::resolve(inputs, &mut io::stdin().lock());
    let config = common.config();
    let (articles, skipped, reading) =
        rayon::scope(|_| pipeline::read_articles(&inputs, &config.clean, bar)).with_context(temp_dir_context)?;
    let problems = report_problems(reading.problems, &skipped, reading.n_read, articles.len(), common.quiet)?;
    if articles.is_empty() {
        anyhow::bail!("no usable article in the input");
    }
    Ok((articles, common.strict && !problems.is_empty()))
}

fn run_explain(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    set_threads(args.common.threads)?;
    if let Some(store) = &args.store {
        return store_commands::run_explain_stored(&args, store);
    }
    let bar = Bar::new(args.common.quiet, args.common.timings);
    let (articles, failed) = read_articles(&args.inputs, &args.common, &bar)?;
    let find = |id: &str| explain::find_article(&articles, id);
    let (a, b) = match (find(&args.a), find(&args.b)) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(_)) => anyhow::bail!("no article {:?} in the input", args.a),
        (Some(_), None) => anyhow::bail!("no article {:?} in the input", args.b),
        (None, None) => anyhow::bail!("no article {:?} nor {:?} in the input", args.a, args.b),
    };
    anyhow::ensure!(a != b, "{:?} and {:?} are the same article: give two different ids", args.a, args.b);
    let config = args.common.config();
    let explanation = rayon::scope(|_| explain::explain(&articles, a, b, &config, &bar));
    bar.bar.finish_and_clear();
    bar.print_timings().context("cannot write the timings")?;
    write_explanation(args.format, &explanation, explain::write_text)?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Writes an explanation on stdout in `format`: laid out for people by
/// `text`, or as JSON.
fn write_explanation<T: serde::Serialize>(
    format: ExplainFormat,
    explanation: &T,
    text: impl FnOnce(&T, &mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    let mut out = Output::create(None)?;
    match format {
        ExplainFormat::Text => text(explanation, &mut out),
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut out, explanation).map_err(io::Error::from)?;
            writeln!(out)
        }
    }
    .context("cannot write the explanation")?;
    out.finish()?;
    Ok(())
}

fn run_generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let config = storyclust::generate::GenerateConfig {
        articles: args.articles,
        seed: args.seed,
        articles_per_day: usize::try_from(args.per_day).unwrap_or(usize::MAX),
        ..Default::default()
    };
    let mut out = Output::create(args.output.as_deref())?;
    storyclust::generate::write_jsonl(storyclust::generate::generate(&config), &mut out)
        .context("cannot write the corpus")?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

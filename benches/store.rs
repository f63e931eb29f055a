//! Benchmarks of the live story store (`storyclust add`) against the batch
//! pipeline (`storyclust cluster`) on the deterministic synthetic corpus of
//! `storyclust::generate` (seed 42), split into its publication days.
//!
//! Both sides go through the library calls the binary makes. An add is
//! `add --store STORE DAY.jsonl --format jsonl`: the store opened for
//! writing, the day's JSON Lines file read and cleaned by
//! `pipeline::read_articles`, `live::add`, the touched stories read back
//! (`Store::load_heads`) and their membership rows written (to a sink), the
//! store closed. A cluster is `cluster --format jsonl --no-differences
//! FILE...`: `pipeline::run_streaming` with `Job::Cluster { keep_bodies:
//! false }`, then the JSON Lines report (to a sink). Both run inside
//! `rayon::scope` as the binary does, on the global thread pool, with the
//! binary's allocator (mimalloc; without the binary's purge settings).
//! Each add is stamped 23:00 UTC on its day, a store kept by a daily run.
//!
//! - Criterion (`cargo bench --bench store`): a store of 10 generated days
//!   at 1,000 articles a day is built once in a temporary directory; then
//!   `store/add_day_to_10_days` adds day 11 to a fresh copy of that store
//!   file each iteration (the copy is made outside the timing), and
//!   `store/cluster_day_alone` clusters day 11 alone. Throughput in
//!   articles (of day 11).
//! - Figures of the store's speed bound: `STORE_DAYS=D STORE_PER_DAY=P cargo
//!   bench --bench store` generates D whole days at about P articles a day,
//!   one at a time, and adds each to a new store (in the system temporary
//!   directory, or at `STORE_PATH`, which must not exist yet) before the
//!   next day is generated. It prints one line per add (wall time, CPU time
//!   of the process from `/proc/self/stat`, resident set size after it, the
//!   store's size on disk), then the total of the adds, the peak resident set
//!   size over them, the memory around the last add, the store's size per
//!   article, the batch `cluster` of every day's file together, `cluster` of
//!   the last day alone, and the ratios the bound names (last add / cluster
//!   of the last day; all adds / batch cluster). No criterion benchmark runs.
//!   The day files stay until the end (the batch reads them): about 3.2 KB
//!   of disk per article, with the store's (about 7 KB an article) while
//!   adding, and the batch's temporary files while it runs (a store in the
//!   temporary directory is removed before the batch; one at `STORE_PATH`
//!   stays).
//!
//! Memory is the whole process's (Linux `/proc/self/status`): one add's own
//! memory cannot be isolated in one process, and memory the allocator kept
//! from earlier adds counts in later ones. The peak of the last add alone
//! is measured by resetting the peak before it (`/proc/self/clear_refs`),
//! from the resident set size it started with.

use std::fs;
use std::hint::black_box;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, BatchSize, Criterion, SamplingMode, Throughput};
use storyclust::generate::{self, GenerateConfig, GeneratedArticle};
use storyclust::ingest::Inputs;
use storyclust::live::{self, AddConfig};
use storyclust::pipeline::{self, Config, Job, JobResult, NoProgress, Streamed};
use storyclust::report::{self, Format, Report};
use storyclust::store::{self, Access, Store};
use storyclust::Date;

/// The binary's allocator (`src/allocator.rs`), so that time and memory
/// are those of the program users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The fixed seed of every corpus here.
const SEED: u64 = 42;

/// Days in the criterion mode's store, before the day added.
const CRITERION_DAYS: usize = 10;

/// Articles a day in the criterion mode.
const CRITERION_PER_DAY: usize = 1_000;

/// One generated day, written as a JSON Lines file.
struct Day {
    path: PathBuf,
    date: Date,
    articles: usize,
}

impl Day {
    /// The time the day's add is stamped with: the evening of its day.
    fn now(&self) -> String {
        format!("{}T23:00:00Z", self.date)
    }
}

/// The generated corpus, written out one whole publication day at a time.
struct Days {
    articles: std::iter::Peekable<Box<dyn Iterator<Item = GeneratedArticle>>>,
    dir: PathBuf,
    written: usize,
}

impl Days {
    /// The corpus of seed [`SEED`] at about `per_day` articles a day (that
    /// of `storyclust generate --per-day P`), its days written to `dir`.
    fn new(dir: &Path, per_day: usize) -> Days {
        let config =
            GenerateConfig { articles: usize::MAX, seed: SEED, articles_per_day: per_day, ..Default::default() };
        let articles: Box<dyn Iterator<Item = GeneratedArticle>> = Box::new(generate::generate(&config));
        Days { articles: articles.peekable(), dir: dir.to_path_buf(), written: 0 }
    }

    /// Generates the next day and writes it to `day-NNN.jsonl`.
    fn next_day(&mut self) -> Day {
        let first = self.articles.next().expect("the generator has no last day");
        let date = first.published;
        let mut day = vec![first];
        while let Some(article) = self.articles.next_if(|a| a.published == date) {
            day.push(article);
        }
        self.written += 1;
        let path = self.dir.join(format!("day-{:03}.jsonl", self.written));
        let file = fs::File::create(&path).expect("create a day's file");
        let articles = generate::write_jsonl(day.into_iter(), file).expect("write a day's file");
        Day { path, date, articles }
    }
}

/// Adds the day in `input` to the store at `store_path` as `storyclust add
/// --store STORE INPUT --format jsonl` does, and returns how many articles
/// the store did not hold before.
fn add_day(store_path: &Path, input: &Path, now: &str, config: &Config) -> usize {
    let mut store = Store::open(store_path, Access::Write, store::DEFAULT_WAIT).expect("open the store");
    let inputs = Inputs::resolve(&[input.to_path_buf()], &mut io::empty());
    let (batch, _skipped, _reading) =
        rayon::scope(|_| pipeline::read_articles(&inputs, &config.clean, &NoProgress)).expect("read the day");
    let (added, touched) =
        rayon::scope(|_| live::add_reporting(&mut store, batch, config, &AddConfig::default(), now, &NoProgress))
            .expect("add the day");
    report::write_added(&added, &touched, Format::Jsonl, &mut io::sink()).expect("write to a sink");
    added.added.len()
}

/// Clusters `inputs` together as `storyclust cluster --format jsonl
/// --no-differences INPUT...` does, and returns how many stories it found.
fn cluster_files(inputs: &[PathBuf], config: &Config) -> usize {
    let inputs = Inputs::resolve(inputs, &mut io::empty());
    let job = Job::Cluster { keep_bodies: false };
    let Streamed { result, .. } =
        rayon::scope(|_| pipeline::run_streaming(&inputs, job, config, &NoProgress)).expect("cluster");
    let JobResult::Stories(outcome) = result else { unreachable!("a cluster job gives stories") };
    let report = Report { articles: &outcome.articles, clustering: &outcome.clustering, differences: None };
    report::write(&report, Format::Jsonl, &mut io::sink()).expect("write to a sink");
    outcome.clustering.stories.len()
}

/// The files SQLite may keep for a store: the file, its write-ahead log and
/// its shared-memory index.
fn store_files(path: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [path.to_path_buf(), with("-wal"), with("-shm")]
}

/// The bytes a store takes on disk, its log included.
fn store_bytes(path: &Path) -> u64 {
    store_files(path).iter().filter_map(|f| fs::metadata(f).ok()).map(|m| m.len()).sum()
}

/// Replaces the store at `copy` by a copy of the one at `original`.
fn fresh_copy(original: &Path, copy: &Path) {
    for (from, to) in store_files(original).iter().zip(store_files(copy).iter()) {
        let _ = fs::remove_file(to);
        if from.exists() {
            fs::copy(from, to).expect("copy the store");
        }
    }
}

fn bench_store(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let config = Config::default();
    let mut days = Days::new(dir.path(), CRITERION_PER_DAY);
    let base = dir.path().join("base.db");
    for _ in 0..CRITERION_DAYS {
        let day = days.next_day();
        add_day(&base, &day.path, &day.now(), &config);
    }
    let day = days.next_day();
    let copy = dir.path().join("copy.db");

    let mut group = c.benchmark_group("store");
    // Ten runs of one iteration each (flat sampling; the default linear
    // sampling would run 1 + 2 + … + 10 iterations).
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(day.articles as u64));
    group.bench_function("add_day_to_10_days", |b| {
        b.iter_batched(
            || fresh_copy(&base, &copy),
            |()| black_box(add_day(&copy, &day.path, &day.now(), &config)),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("cluster_day_alone", |b| {
        b.iter(|| black_box(cluster_files(std::slice::from_ref(&day.path), &config)))
    });
    group.finish();
}

criterion_group!(benches, bench_store);

/// CPU seconds (user + system, all threads) the process has used so far,
/// Linux only (0 elsewhere); read as `benches/pipeline.rs` reads it.
fn cpu_seconds() -> f64 {
    let Ok(stat) = fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line, in clock ticks (100 a second
    // on Linux).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// A size field of `/proc/self/status` in MiB (Linux only): `VmRSS:` is
/// the resident set size now, `VmHWM:` its peak so far.
fn memory_mib(field: &str) -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line[field.len()..].trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib / 1024.0)
}

/// A [`memory_mib`] figure for printing.
fn mib(figure: Option<f64>) -> String {
    figure.map_or_else(|| "n/a".to_string(), |m| format!("{m:.0} MiB"))
}

/// Resets the peak resident set size to the current one (Linux 4.0 and
/// later), so that `VmHWM:` then gives the peak of what follows; false
/// where it cannot.
fn reset_peak() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Runs `f`, and returns its result with its wall and CPU seconds.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (start, cpu) = (Instant::now(), cpu_seconds());
    let value = f();
    (value, start.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

/// What the day-by-day adds measured.
struct Adds {
    days: Vec<Day>,
    /// Wall and CPU seconds of all adds together.
    wall: f64,
    cpu: f64,
    /// Wall and CPU seconds of the last add.
    last_wall: f64,
    last_cpu: f64,
    /// Articles the store holds.
    stored: usize,
    /// The peak resident set size over the adds, or `None` where unknown.
    peak: Option<f64>,
}

/// Adds `n_days` generated days one at a time to a new store at
/// `store_path`, printing a line per add and the memory around the last.
fn add_all_days(dir: &Path, store_path: &Path, n_days: usize, per_day: usize, config: &Config) -> Adds {
    let mut generator = Days::new(dir, per_day);
    let mut adds = Adds { days: Vec::new(), wall: 0.0, cpu: 0.0, last_wall: 0.0, last_cpu: 0.0, stored: 0, peak: None };
    let mut before_last = (None, None);
    for day_number in 1..=n_days {
        let day = generator.next_day();
        if day_number == n_days {
            // The peak over the earlier adds (and generating), then the
            // last add's own.
            before_last = (memory_mib("VmHWM:"), memory_mib("VmRSS:"));
            if !reset_peak() {
                before_last.0 = None;
            }
        }
        let (added, wall, cpu) = timed(|| add_day(store_path, &day.path, &day.now(), config));
        adds.wall += wall;
        adds.cpu += cpu;
        adds.last_wall = wall;
        adds.last_cpu = cpu;
        adds.stored += added;
        println!(
            "add day {day_number:>3} {} {:>7} articles ({added} new) {wall:>8.2} s wall {cpu:>8.2} s CPU  RSS after {}  \
             store {:.1} MB",
            day.date,
            day.articles,
            mib(memory_mib("VmRSS:")),
            store_bytes(store_path) as f64 / 1e6
        );
        adds.days.push(day);
    }
    let last_peak = memory_mib("VmHWM:");
    adds.peak = before_last.0.zip(last_peak).map(|(a, b)| a.max(b));
    println!(
        "last add memory    RSS before {}, after {}, peak during {} (whole process: what the allocator kept from \
         earlier adds counts)",
        mib(before_last.1),
        mib(memory_mib("VmRSS:")),
        if before_last.0.is_some() { mib(last_peak) } else { "n/a".to_string() }
    );
    adds
}

fn store_figures(n_days: usize, per_day: usize) {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let store_path = std::env::var_os("STORE_PATH").map_or_else(|| dir.path().join("store.db"), PathBuf::from);
    assert!(!store_path.exists(), "{} exists: the bench adds to a new store", store_path.display());
    let config = Config::default();
    println!("{n_days} days of about {per_day} articles (seed {SEED}), store {}", store_path.display());

    let adds = add_all_days(dir.path(), &store_path, n_days, per_day, &config);
    let bytes = store_bytes(&store_path);
    println!(
        "all adds           {:>8.2} s wall {:>8.2} s CPU  ({} articles stored; peak RSS over the adds {})",
        adds.wall,
        adds.cpu,
        adds.stored,
        mib(adds.peak.or_else(|| memory_mib("VmHWM:")))
    );
    println!(
        "store size         {:.1} MB on disk, {:.0} bytes per article",
        bytes as f64 / 1e6,
        bytes as f64 / adds.stored.max(1) as f64
    );

    if std::env::var_os("STORE_PATH").is_none() {
        // Disk room for the batch's temporary files: at 1M articles the
        // store takes about 7 GB.
        for file in store_files(&store_path) {
            let _ = fs::remove_file(file);
        }
    }

    let paths: Vec<PathBuf> = adds.days.iter().map(|d| d.path.clone()).collect();
    let reset = reset_peak();
    let (stories, batch_wall, batch_cpu) = timed(|| cluster_files(&paths, &config));
    println!(
        "batch cluster      {batch_wall:>8.2} s wall {batch_cpu:>8.2} s CPU  ({} articles, {stories} stories; peak RSS \
         {})",
        adds.days.iter().map(|d| d.articles).sum::<usize>(),
        if reset { mib(memory_mib("VmHWM:")) } else { "n/a".to_string() }
    );
    let last = adds.days.last().expect("at least one day");
    let (stories, last_wall, last_cpu) = timed(|| cluster_files(std::slice::from_ref(&last.path), &config));
    println!(
        "cluster last day   {last_wall:>8.2} s wall {last_cpu:>8.2} s CPU  ({} articles, {stories} stories)",
        last.articles
    );
    println!(
        "ratios             last add / cluster of the last day {:.2} wall, {:.2} CPU (bound 1.5); all adds / batch \
         cluster {:.2} wall, {:.2} CPU (bound 2)",
        adds.last_wall / last_wall,
        adds.last_cpu / last_cpu,
        adds.wall / batch_wall,
        adds.cpu / batch_cpu
    );
    if std::env::var_os("STORE_PATH").is_some() {
        println!("(the store stays at {}; the day files are removed)", store_path.display());
    }
}

/// A positive count from the environment variable `name`.
fn env_count(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|s| s.parse::<usize>().ok()).filter(|&n| n > 0)
}

fn main() {
    if let Some(n_days) = env_count("STORE_DAYS") {
        store_figures(n_days, env_count("STORE_PER_DAY").unwrap_or(CRITERION_PER_DAY));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

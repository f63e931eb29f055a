//! The stable fuzz driver: runs the targets of `storyclust_fuzz` (the same
//! functions the libFuzzer targets call) on seeded random and mutated
//! inputs ([`inputs`]), on several threads, and fails on the first input
//! that panics, runs over the time limit or holds more memory than the
//! bound ([`alloc`] counts it). The failing input is saved to
//! `fuzz/crashes/<target>-<seed>-<number>` and the driver exits with
//! status 1; otherwise it prints, per target, the inputs run, inputs per
//! second, the largest input, the peak memory of one input and the slowest
//! inputs (each input over a second is saved to `fuzz/slow/`; `--start`
//! with `--inputs 1` reruns one).
//!
//! The memory bound of one input of `n` bytes is `k × n + c` (defaults
//! [`DEFAULT_K`] and [`DEFAULT_C`]).
//!
//! ```sh
//! cargo run --release --no-default-features --bin drive -- \
//!     --inputs 100000 [--seed 1] [--start 0] [--target NAME] [--max-len 65536] \
//!     [--threads 2] [--timeout 5] [--corpus FILE_OR_DIR]...
//! ```
//!
//! Must not: change what a target checks (that is `src/lib.rs`), or
//! depend on libfuzzer-sys.

mod alloc;
mod inputs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use std::{env, fs, panic, thread};

use inputs::{Corpus, Rng};
use storyclust_fuzz::{Target, TARGETS};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

/// Bytes of memory one input may hold per byte of input, on top of
/// [`DEFAULT_C`]: HTML trees, lines, words and sentences each keep a few
/// times the text.
const DEFAULT_K: usize = 64;

/// Bytes of memory any input may hold: the fixed tables of the stages and
/// the per-thread state that outlives an input, whose growth counts
/// against the input that makes it grow. The largest is `represent`'s
/// cache of the terms of up to 200,000 words per thread: its hash table of
/// 2^18 buckets (8.65 MB) is allocated whole by the input whose words
/// outgrow the one before (a 4 KB pipeline input was charged 8.68 MB that
/// way in the 10M run), then its words (about 3 MB); `clean::lines`' cache
/// of short lines holds at most 2.6 MB of text.
const DEFAULT_C: usize = 16 << 20;

/// How many `storyclust generate` articles join the corpus.
const GENERATED_ARTICLES: usize = 2000;

/// The shortest input whose `peak / size` is reported.
const RATIO_MIN_LEN: usize = 16 << 10;

/// How often a long run says how far it got.
const PROGRESS_EVERY: Duration = Duration::from_secs(60);

/// Inputs that take longer than this are listed as slow.
const SLOW: Duration = Duration::from_secs(1);

struct Options {
    inputs: u64,
    /// The number of the first input (to rerun one input of a long run).
    start: u64,
    seed: u64,
    targets: Vec<&'static Target>,
    max_len: usize,
    threads: usize,
    timeout: Duration,
    corpus: Vec<PathBuf>,
    k: usize,
    c: usize,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        inputs: 10_000,
        start: 0,
        seed: 1,
        targets: TARGETS.iter().collect(),
        max_len: 64 << 10,
        threads: thread::available_parallelism().map_or(1, |n| n.get()),
        timeout: Duration::from_secs(5),
        corpus: Vec::new(),
        k: DEFAULT_K,
        c: DEFAULT_C,
    };
    let mut args = env::args().skip(1);
    let mut chosen = Vec::new();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--inputs" => options.inputs = number(value()?)?,
            "--start" => options.start = number(value()?)?,
            "--seed" => options.seed = number(value()?)?,
            "--max-len" => options.max_len = number(value()?)?.max(1) as usize,
            "--threads" => options.threads = (number(value()?)? as usize).clamp(1, alloc::MAX_WORKERS),
            "--timeout" => options.timeout = Duration::from_secs(number(value()?)?.max(1)),
            "--k" => options.k = number(value()?)? as usize,
            "--c" => options.c = number(value()?)? as usize,
            "--corpus" => options.corpus.push(PathBuf::from(value()?)),
            "--target" => {
                let name = value()?;
                let target = TARGETS.iter().find(|t| t.name == name).ok_or_else(|| {
                    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                    format!("no target {name:?}; the targets: {}", names.join(", "))
                })?;
                chosen.push(target);
            }
            _ => return Err(format!("unknown flag {flag:?}")),
        }
    }
    if !chosen.is_empty() {
        options.targets = chosen;
    }
    Ok(options)
}

/// What the workers share while one target runs.
struct Run<'a> {
    options: &'a Options,
    corpus: &'a Corpus,
    target: &'static Target,
    target_index: usize,
    /// The next input number to run.
    next: AtomicU64,
    /// Per worker: the input running, its number, and when it started
    /// (milliseconds since `epoch` + 1; 0 when idle).
    current: Vec<Mutex<(Vec<u8>, u64)>>,
    started: Vec<AtomicU64>,
    epoch: Instant,
    stats: Mutex<Stats>,
}

#[derive(Default)]
struct Stats {
    inputs: u64,
    bytes: u64,
    largest: usize,
    /// The largest peak of one input, with that input's size.
    peak: (usize, usize),
    /// The largest `peak / size` over inputs of [`RATIO_MIN_LEN`] bytes or
    /// more: the `k` the inputs needed (smaller ones are all constant).
    worst_ratio: f64,
    /// The slowest inputs: time, number, size.
    slow: Vec<(Duration, u64, usize)>,
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("drive: {message}");
            return ExitCode::from(2);
        }
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = Corpus::load(&repo, &options.corpus, GENERATED_ARTICLES, options.seed);
    println!(
        "drive: seed {}, {} inputs per target, max length {}, {} threads, timeout {:?}, memory bound {} x input + {} MiB, corpus {} documents",
        options.seed,
        options.inputs,
        options.max_len,
        options.threads,
        options.timeout,
        options.k,
        options.c >> 20,
        corpus.len()
    );
    let mut total = 0;
    let began = Instant::now();
    for target in &options.targets {
        let target_index = TARGETS.iter().position(|t| std::ptr::eq(t, *target)).expect("a listed target");
        total += run_target(&options, &corpus, target, target_index);
    }
    let secs = began.elapsed().as_secs_f64();
    println!("drive: {total} inputs clean in {secs:.1} s ({:.0}/s)", total as f64 / secs);
    ExitCode::SUCCESS
}

/// Runs `options.inputs` inputs of `target`; exits the process on a finding.
fn run_target(options: &Options, corpus: &Corpus, target: &'static Target, target_index: usize) -> u64 {
    let run = Run {
        options,
        corpus,
        target,
        target_index,
        next: AtomicU64::new(options.start),
        current: (0..options.threads).map(|_| Mutex::new((Vec::new(), 0))).collect(),
        started: (0..options.threads).map(|_| AtomicU64::new(0)).collect(),
        epoch: Instant::now(),
        stats: Mutex::new(Stats::default()),
    };
    let done = AtomicUsize::new(0);
    thread::scope(|scope| {
        for worker in 0..options.threads {
            let (run, done) = (&run, &done);
            scope.spawn(move || {
                work(run, worker);
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        let mut last_report = Instant::now();
        while done.load(Ordering::SeqCst) < options.threads {
            thread::sleep(Duration::from_millis(50));
            watch(&run);
            if last_report.elapsed() >= PROGRESS_EVERY {
                last_report = Instant::now();
                let n = run.stats.lock().unwrap().inputs;
                let secs = run.epoch.elapsed().as_secs_f64();
                println!("{:>13}: {n} inputs so far in {secs:.0} s ({:.0}/s)", target.name, n as f64 / secs);
            }
        }
    });
    let stats = run.stats.into_inner().expect("no worker panics outside catch_unwind");
    print_stats(target.name, &stats, run.epoch.elapsed());
    stats.inputs
}

/// One worker: its own one-thread rayon pool, so that the library's
/// parallel loops stay on the thread whose memory is counted.
fn work(run: &Run<'_>, worker: usize) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a one-thread pool");
    pool.install(|| {
        alloc::count_this_thread_as(worker);
        loop {
            let index = run.next.fetch_add(1, Ordering::SeqCst);
            if index >= run.options.start + run.options.inputs {
                return;
            }
            let mut rng = Rng::for_input(run.options.seed, run.target_index, index);
            let data = run.corpus.input(&mut rng, run.target.name, run.options.max_len);
            *run.current[worker].lock().unwrap() = (data.clone(), index);
            // The counters are reset before the watchdog can see the input
            // start, so that it never weighs the last input's peak against
            // this input's bound.
            alloc::start_input(worker);
            let began = Instant::now();
            run.started[worker].store(run.epoch.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
            let result = panic::catch_unwind(|| (run.target.run)(&data));
            let peak = alloc::peak(worker);
            run.started[worker].store(0, Ordering::SeqCst);
            let took = began.elapsed();
            if result.is_err() {
                fail(run, &data, index, "panicked (the message is above)");
            }
            let bound = run.options.k * data.len() + run.options.c;
            if peak > bound {
                fail(run, &data, index, &format!("held {peak} bytes, over the bound of {bound}"));
            }
            note(run, &data, index, peak, took);
        }
    });
}

fn note(run: &Run<'_>, data: &[u8], index: u64, peak: usize, took: Duration) {
    let mut stats = run.stats.lock().unwrap();
    stats.inputs += 1;
    stats.bytes += data.len() as u64;
    stats.largest = stats.largest.max(data.len());
    if peak > stats.peak.0 {
        stats.peak = (peak, data.len());
    }
    if data.len() >= RATIO_MIN_LEN {
        stats.worst_ratio = stats.worst_ratio.max(peak as f64 / data.len() as f64);
    }
    if took >= SLOW {
        stats.slow.push((took, index, data.len()));
        // Kept for a look: a slow input may be the machine's load, or a
        // case that grows faster than its size.
        let _ = save("slow", run, data, index);
    }
}

/// The watchdog: fails a worker's input that runs over the time limit or
/// already holds more than its memory bound.
fn watch(run: &Run<'_>) {
    let now = run.epoch.elapsed().as_millis() as u64 + 1;
    for worker in 0..run.started.len() {
        let started = run.started[worker].load(Ordering::SeqCst);
        if started == 0 {
            continue;
        }
        let over_time = now.saturating_sub(started) > run.options.timeout.as_millis() as u64;
        let peak = alloc::peak(worker);
        let (data, index) = run.current[worker].lock().unwrap().clone();
        let bound = run.options.k * data.len() + run.options.c;
        // The input may have just ended: check that it still runs.
        if run.started[worker].load(Ordering::SeqCst) != started {
            continue;
        }
        if over_time {
            fail(run, &data, index, &format!("ran over {:?}", run.options.timeout));
        }
        if peak > bound {
            fail(run, &data, index, &format!("holds {peak} bytes, over the bound of {bound}"));
        }
    }
}

/// Saves the failing input and ends the process.
fn fail(run: &Run<'_>, data: &[u8], index: u64, what: &str) -> ! {
    eprintln!(
        "drive: target {} input {} (seed {}, {} bytes) {what}; {}",
        run.target.name,
        index,
        run.options.seed,
        data.len(),
        match save("crashes", run, data, index) {
            Ok(path) => format!("saved to {}", path.display()),
            Err(err) => format!("cannot save it: {err}"),
        }
    );
    std::process::exit(1)
}

/// Writes input `index` to `fuzz/<folder>/<target>-<seed>-<index>`.
fn save(folder: &str, run: &Run<'_>, data: &[u8], index: u64) -> std::io::Result<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let path = dir.join(format!("{}-{}-{}", run.target.name, run.options.seed, index));
    fs::create_dir_all(&dir)?;
    fs::write(&path, data)?;
    Ok(path)
}

fn print_stats(name: &str, stats: &Stats, took: Duration) {
    let secs = took.as_secs_f64();
    println!(
        "{name:>13}: {} inputs in {secs:.1} s ({:.0}/s, {:.1} MB), largest {} B, peak {:.1} MiB (input of {} B), peak / size at most {:.1} (inputs of 16 KB or more)",
        stats.inputs,
        stats.inputs as f64 / secs,
        stats.bytes as f64 / 1e6,
        stats.largest,
        stats.peak.0 as f64 / (1 << 20) as f64,
        stats.peak.1,
        stats.worst_ratio,
    );
    let mut slow = stats.slow.clone();
    slow.sort_by_key(|&(took, ..)| std::cmp::Reverse(took));
    for (took, index, size) in slow.iter().take(5) {
        println!("{name:>13}:   slow: input {index} ({size} B) took {took:.2?}");
    }
    if slow.len() > 5 {
        println!("{name:>13}:   and {} more slow inputs", slow.len() - 5);
    }
}

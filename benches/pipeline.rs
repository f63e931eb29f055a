//! Benchmarks of the whole pipeline on the deterministic synthetic corpus of
//! `storyclust::generate` (seed 42, ~3 KB articles, 15% near-duplicates,
//! half the outlets page-like with a site template):
//!
//! - `clean_fingerprint`: cleaning alone, and cleaning + fingerprinting +
//!   near-duplicate linking (what `pipeline::run` does before story
//!   vectors), over 2,000 articles, in MB/s (10^6 bytes,
//!   `Throughput::BytesDecimal`) of input article text;
//! - `fingerprint_bodies`: `fingerprint_all` over the cleaned bodies of the
//!   same 2,000 articles, in MB/s of body text;
//! - `end_to_end`: `pipeline::run` over 10,000 articles, in articles/s.
//!
//! Articles become [`RawDoc`]s the way `ingest` reads a JSON Lines record:
//! `DocKind::Record`, `RawContent::Text`, title, source and published set,
//! the other fields (`story`, `dup_of`) in `extra`.
//!
//! Stage timings instead of criterion: `STAGES=N cargo bench --bench
//! pipeline` generates N articles, times `ingest::read_inputs` on their JSON
//! Lines file (in the system temp directory), then one `pipeline::run`, and
//! prints for each stage (from one `Progress::start` to the next) its wall
//! time, the CPU time the process spent in it (all threads, user + system,
//! from `/proc/self/stat`, 10 ms resolution; on a shared machine CPU seconds
//! move less with the load than wall seconds) and the resident set size at
//! its start, then the peak resident set size; no criterion benchmark runs.
//!
//! `CLEAN_REPS=R cargo bench --bench pipeline` cleans, fingerprints and
//! links the 2,000-article corpus R times (for `perf record` or
//! `valgrind --tool=callgrind` of these stages alone) and prints wall and
//! CPU time of each step per repetition.

use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{criterion_group, BatchSize, Criterion, SamplingMode, Throughput};
use storyclust::article::{DocKind, Extra, Origin, RawContent, RawDoc};
use storyclust::clean::{self, CleanConfig};
use storyclust::fingerprint::{fingerprint_all, near_duplicates, FingerprintConfig};
use storyclust::generate::{self, GenerateConfig, GeneratedArticle};
use storyclust::pipeline::{self, Config, NoProgress, Progress, Stage};

/// The fixed seed of every corpus here.
const SEED: u64 = 42;

/// A generated article as `ingest` would read it from a JSON Lines record.
fn raw_doc(a: GeneratedArticle, line: usize) -> RawDoc {
    let mut extra = Extra::new();
    extra.insert("story", a.story);
    if let Some(d) = a.dup_of {
        extra.insert("dup_of", d);
    }
    RawDoc {
        id: a.id,
        origin: Origin::line("bench.jsonl", line),
        kind: DocKind::Record,
        content: RawContent::Text(a.text),
        title: Some(a.title),
        source: Some(a.source),
        url: None,
        published: Some(a.published),
        extra,
    }
}

/// `n` documents of the synthetic corpus (seed [`SEED`]).
fn corpus(n: usize) -> Vec<RawDoc> {
    let config = GenerateConfig { articles: n, seed: SEED, ..Default::default() };
    generate::generate(&config).enumerate().map(|(i, a)| raw_doc(a, i + 1)).collect()
}

fn text_bytes(docs: &[RawDoc]) -> u64 {
    docs.iter()
        .map(|d| match &d.content {
            RawContent::Text(t) | RawContent::Html(t) => t.len() as u64,
        })
        .sum()
}

fn bench_clean_fingerprint(c: &mut Criterion) {
    let docs = corpus(2_000);
    let bytes = text_bytes(&docs);
    let clean_config = CleanConfig::default();
    let fp_config = FingerprintConfig::default();

    let mut group = c.benchmark_group("clean_fingerprint");
    group.throughput(Throughput::BytesDecimal(bytes));
    group.bench_function("clean_2k", |b| {
        b.iter_batched(|| docs.clone(), |d| black_box(clean::clean(d, &clean_config)), BatchSize::LargeInput)
    });
    group.bench_function("clean+fingerprint+near_duplicates_2k", |b| {
        b.iter_batched(
            || docs.clone(),
            |d| {
                let cleaned = clean::clean(d, &clean_config);
                let bodies: Vec<&str> = cleaned.articles.iter().map(|a| a.body.as_str()).collect();
                let fps = fingerprint_all(&bodies, &fp_config);
                black_box(near_duplicates(&fps, &fp_config));
                cleaned
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let cleaned = clean::clean(docs, &clean_config);
    let bodies: Vec<&str> = cleaned.articles.iter().map(|a| a.body.as_str()).collect();
    let body_bytes: usize = bodies.iter().map(|b| b.len()).sum();
    let mut group = c.benchmark_group("fingerprint_bodies");
    group.throughput(Throughput::BytesDecimal(body_bytes as u64));
    group.bench_function("fingerprint_all_2k", |b| {
        b.iter(|| black_box(fingerprint_all(black_box(&bodies), &fp_config)))
    });
    group.finish();
}

fn bench_end_to_end(c: &mut Criterion) {
    let n = 10_000;
    let docs = corpus(n);
    let config = Config::default();
    let mut group = c.benchmark_group("end_to_end");
    // Ten runs of one iteration each (flat sampling; the default linear
    // sampling would run 1 + 2 + … + 10 iterations).
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(60));
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("pipeline_run_10k", |b| {
        b.iter_batched(|| docs.clone(), |d| black_box(pipeline::run(d, &config, &NoProgress)), BatchSize::LargeInput)
    });
    group.finish();
}

criterion_group!(benches, bench_clean_fingerprint, bench_end_to_end);

/// Records when each stage starts (wall clock, process CPU time, resident
/// set size).
struct Timer {
    marks: Mutex<Vec<(Stage, Instant, f64, String)>>,
}

impl Progress for Timer {
    fn start(&self, stage: Stage, _total: u64) {
        self.marks.lock().unwrap().push((stage, Instant::now(), cpu_seconds(), proc_status("VmRSS:")));
    }
    fn advance(&self, _n: u64) {}
}

/// CPU seconds (user + system, all threads) the process has used so far,
/// Linux only (0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line, in clock ticks (100 a second
    // on Linux).
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// A field of `/proc/self/status` (Linux only): `VmRSS:` is the resident
/// set size now, `VmHWM:` its peak so far.
fn proc_status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(|l| l[field.len()..].trim().to_string()))
        .unwrap_or_else(|| "n/a".to_string())
}

fn stage_timings(n: usize) {
    let gen_config = GenerateConfig { articles: n, seed: SEED, ..Default::default() };
    let path = std::env::temp_dir().join(format!("storyclust-bench-stages-{n}.jsonl"));
    let t = Instant::now();
    let file = std::fs::File::create(&path).expect("create the corpus file");
    generate::write_jsonl(generate::generate(&gen_config), file).expect("write the corpus");
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "generate           {:>8.2} s wall  ({n} articles, {:.1} MB JSONL)",
        t.elapsed().as_secs_f64(),
        bytes as f64 / 1e6
    );

    let (t, cpu) = (Instant::now(), cpu_seconds());
    let read = storyclust::ingest::read_inputs(std::slice::from_ref(&path), &mut std::io::empty());
    let text: u64 = text_bytes(&read.docs);
    println!(
        "ingest             {:>8.2} s wall {:>8.2} s CPU  ({:.1} MB article text; RSS after {})",
        t.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        text as f64 / 1e6,
        proc_status("VmRSS:")
    );
    let _ = std::fs::remove_file(&path);

    let timer = Timer { marks: Mutex::new(Vec::new()) };
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    let outcome = pipeline::run(read.docs, &Config::default(), &timer);
    let (end, cpu_end) = (Instant::now(), cpu_seconds());
    let marks = timer.marks.into_inner().unwrap();
    for (i, (stage, at, cpu, rss)) in marks.iter().enumerate() {
        let (next, next_cpu) = marks.get(i + 1).map_or((end, cpu_end), |m| (m.1, m.2));
        let secs = (next - *at).as_secs_f64();
        let extra =
            if *stage == Stage::Clean { format!("  ({:.1} MB/s)", text as f64 / 1e6 / secs) } else { String::new() };
        println!("{:<18} {:>8.2} s wall {:>8.2} s CPU  RSS at start {rss}{extra}", stage.name(), secs, next_cpu - cpu);
    }
    let total = (end - start).as_secs_f64();
    println!(
        "pipeline::run      {:>8.2} s wall {:>8.2} s CPU  ({:.0} articles/s; {} stories; peak RSS {})",
        total,
        cpu_end - cpu_start,
        n as f64 / total,
        outcome.clustering.stories.len(),
        proc_status("VmHWM:")
    );
}

fn clean_reps(reps: usize) {
    let docs = corpus(2_000);
    let mb = text_bytes(&docs) as f64 / 1e6;
    let config = CleanConfig::default();
    let fp_config = FingerprintConfig::default();
    for _ in 0..reps {
        let d = docs.clone();
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let out = black_box(clean::clean(d, &config));
        let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        let (t2, cpu2) = (Instant::now(), cpu_seconds());
        let bodies: Vec<&str> = out.articles.iter().map(|a| a.body.as_str()).collect();
        let fps = fingerprint_all(&bodies, &fp_config);
        let (fp_wall, fp_cpu) = (t2.elapsed().as_secs_f64(), cpu_seconds() - cpu2);
        let (t3, cpu3) = (Instant::now(), cpu_seconds());
        black_box(near_duplicates(&fps, &fp_config));
        let (nd_wall, nd_cpu) = (t3.elapsed().as_secs_f64(), cpu_seconds() - cpu3);
        println!(
            "{mb:.2} MB text: clean {wall:.3} s wall / {cpu:.2} s CPU; fingerprint {fp_wall:.3} s / {fp_cpu:.2} s; \
             near_duplicates {nd_wall:.3} s / {nd_cpu:.2} s; together {:.1} MB/s",
            mb / (wall + fp_wall + nd_wall)
        );
        drop(out);
    }
}

fn main() {
    if let Some(r) = std::env::var("CLEAN_REPS").ok().and_then(|s| s.parse::<usize>().ok()) {
        clean_reps(r);
        return;
    }
    if let Some(n) = std::env::var("STAGES").ok().and_then(|s| s.parse::<usize>().ok()) {
        stage_timings(n);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}

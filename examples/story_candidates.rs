//! Candidate recall of the index against gold stories, on a labelled JSON
//! Lines file (the generator's records, `published` optional).
//!
//! `cargo run --release --example story_candidates -- FILE CACHE` cleans
//! FILE as `cluster` does, makes the index points (one per near-duplicate
//! group) and runs the index with the defaults; CACHE keeps the points and
//! their gold labels between runs. It prints, for the pairs of points of one
//! gold story, the share that are candidate pairs (either point lists the
//! other) by kind (dd: both dated, du: one undated, uu: both undated), and
//! the *orphans*: points of a story of several points with no candidate of
//! their story, which only a later merge can bring to it. `EXACT_MAX`,
//! `PROBES` and `SHARD_SIZE` override the index configuration (`EXACT_MAX`
//! above the undated points gives one exhaustive undated shard: the
//! reference). It only measures; it must not be used by the library.
use std::collections::HashMap;
use std::io::BufRead;
use std::time::Instant;

use storyclust::article::{Date, DocKind, Origin, RawContent, RawDoc};
use storyclust::index::{all_neighbours, ShardPlan};
use storyclust::pipeline::{self, Config, NoProgress};

fn main() {
    let mut args = std::env::args().skip(1);
    let input = args.next().expect("input");
    let cache = args.next().expect("cache");
    let mut config = Config::default();
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<usize>().ok());
    if let Some(v) = var("EXACT_MAX") {
        config.index.exact_max_points = v;
    }
    if let Some(v) = var("PROBES") {
        config.index.content_probes = v;
    }
    if let Some(v) = var("SHARD_SIZE") {
        config.index.shard_size = v;
    }
    let (dense, dims, days, labels) = match read(&cache) {
        Some(x) => x,
        None => {
            let x = make(&input, &config);
            write(&cache, &x);
            x
        }
    };
    let n = days.len();
    let n_undated = days.iter().filter(|d| d.is_none()).count();
    let k = config.cluster.neighbours;
    let t = Instant::now();
    let plan = ShardPlan::new(&days, &dense, dims, &config.index);
    let found = all_neighbours(&dense, dims, &plan, k, &config.index);
    let secs = t.elapsed().as_secs_f64();
    let work = plan.exhaustive_dots(&config.index);
    // Gold pairs found, by kind; a story's points without a candidate of
    // their story.
    let mut by_story: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in labels.iter().enumerate() {
        by_story.entry(l.as_str()).or_default().push(i);
    }
    let mut sets: Vec<std::collections::HashSet<usize>> =
        found.iter().map(|l| l.iter().map(|x| x.0).collect()).collect();
    sets.iter_mut().for_each(|s| s.shrink_to_fit());
    let mut tot = [0u64; 3];
    let mut hit = [0u64; 3];
    let mut orphans = [0u64; 2];
    let mut members = [0u64; 2];
    for pts in by_story.values() {
        if pts.len() < 2 {
            continue;
        }
        let mut has = vec![false; pts.len()];
        for a in 0..pts.len() {
            for b in a + 1..pts.len() {
                let (p, q) = (pts[a], pts[b]);
                let kind = usize::from(days[p].is_none()) + usize::from(days[q].is_none());
                tot[kind] += 1;
                if sets[p].contains(&q) || sets[q].contains(&p) {
                    hit[kind] += 1;
                    has[a] = true;
                    has[b] = true;
                }
            }
        }
        for (a, &p) in pts.iter().enumerate() {
            let u = usize::from(days[p].is_none());
            members[u] += 1;
            orphans[u] += u64::from(!has[a]);
        }
    }
    println!(
        "points {n} undated {n_undated} shards {} work {work} secs {secs:.1}\n gold pairs found: dd {:.4} du {:.4} uu {:.4} ({} {} {})\n orphans: dated {} / {} undated {} / {}",
        plan.shards.len(),
        hit[0] as f64 / tot[0].max(1) as f64,
        hit[1] as f64 / tot[1].max(1) as f64,
        hit[2] as f64 / tot[2].max(1) as f64,
        tot[0], tot[1], tot[2],
        orphans[0], members[0], orphans[1], members[1]
    );
}

/// Index points, their days and their gold labels.
type Points = (Vec<f32>, usize, Vec<Option<i64>>, Vec<String>);

/// The index points of the records of `input`, cleaned as `cluster` does.
fn make(input: &str, config: &Config) -> Points {
    let file = std::io::BufReader::new(std::fs::File::open(input).expect("open"));
    let mut docs = Vec::new();
    let mut labels = HashMap::new();
    for line in file.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.expect("line")).expect("json");
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        let id = s("id").expect("id");
        labels.insert(id.clone(), s("story").unwrap_or_default());
        docs.push(RawDoc {
            id,
            origin: Origin::file("x"),
            kind: DocKind::Record,
            content: RawContent::Text(s("text").expect("text")),
            title: s("title"),
            source: s("source"),
            url: None,
            published: s("published").and_then(|d| Date::parse_iso(&d)),
            extra: Default::default(),
        });
    }
    let mut articles = storyclust::clean::clean(docs, &config.clean).articles;
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    let dups = pipeline::near_duplicates(&articles, config, &NoProgress);
    let vectors = pipeline::story_vectors(&articles, &dups.group_of, None, config, &NoProgress);
    let days: Vec<Option<i64>> = articles.iter().map(|a| a.published.map(|d| d.days_since_epoch())).collect();
    let points = pipeline::index_points(&vectors, &dups.group_of, &days, config.represent.dense_dims);
    let labels = points.articles.iter().map(|&i| labels[&articles[i].id].clone()).collect();
    (points.dense, points.dims, points.days, labels)
}

/// Cache format: dims, point count (u64 LE), the rows (f32 LE), the days
/// (i64 LE, i64::MIN for none), the labels one a line.
fn write(path: &str, (dense, dims, days, labels): &Points) {
    let mut bytes = Vec::new();
    bytes.extend((*dims as u64).to_le_bytes());
    bytes.extend((days.len() as u64).to_le_bytes());
    dense.iter().for_each(|x| bytes.extend(x.to_le_bytes()));
    days.iter().for_each(|d| bytes.extend(d.unwrap_or(i64::MIN).to_le_bytes()));
    bytes.extend(labels.join("\n").as_bytes());
    std::fs::write(path, bytes).expect("write");
}

/// The cached points of `path`, if it holds any.
fn read(path: &str) -> Option<Points> {
    let bytes = std::fs::read(path).ok()?;
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8"));
    let dims = word(0) as usize;
    let n = word(8) as usize;
    let rows = &bytes[16..16 + n * dims * 4];
    let dense = rows.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4"))).collect();
    let at = 16 + n * dims * 4;
    let days = bytes[at..at + 8 * n]
        .chunks_exact(8)
        .map(|b| Some(i64::from_le_bytes(b.try_into().expect("8"))).filter(|&d| d != i64::MIN))
        .collect();
    let labels = std::str::from_utf8(&bytes[at + 8 * n..]).ok()?.split('\n').map(str::to_owned).collect();
    Some((dense, dims, days, labels))
}

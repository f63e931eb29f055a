//! Approximate nearest neighbours over dense story vectors.
//!
//! Owns the candidate search over dense story vectors: [`ShardPlan`] (which
//! points are searched together: by publication date, and, when many are
//! undated, also by content, planned in `index/content.rs`) and [`all_neighbours`]
//! (each point's k nearest neighbours in its shards: exact, by exhaustive
//! search, in shards of up to [`IndexConfig::exact_max_points`] points, which
//! every dated shard is at the default shard size; approximate, from HNSW
//! graphs, in larger ones; Malkov & Yashunin 2018, "Efficient and robust
//! approximate nearest neighbor search using Hierarchical Navigable Small
//! World graphs"), and the brute-force [`exact_neighbours`] that measures
//! their recall. This is the only module that names hnsw_rs types; it must
//! not score, threshold or cluster.

mod content;

use content::{ContentParams, ContentShard};
use hnsw_rs::prelude::{Distance, Hnsw};
use rayon::prelude::*;

/// Cosine distance between L2-normalised vectors: `1 - dot`, clamped at 0.
///
/// hnsw_rs's own `DistDot` asserts `dot <= 1`, which rounding breaks for
/// identical vectors; this one clamps instead.
#[derive(Clone, Copy, Debug, Default)]
pub struct UnitDot;

impl Distance<f32> for UnitDot {
    fn eval(&self, a: &[f32], b: &[f32]) -> f32 {
        (1.0 - dot(a, b)).max(0.0)
    }
}

/// The dot product, in eight independent lanes so that it vectorises.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (chunks_a, rest_a) = a.split_at(a.len() - a.len() % 8);
    let (chunks_b, rest_b) = b.split_at(chunks_a.len());
    for (ca, cb) in chunks_a.chunks_exact(8).zip(chunks_b.chunks_exact(8)) {
        for k in 0..8 {
            lanes[k] += ca[k] * cb[k];
        }
    }
    let tail: f32 = rest_a.iter().zip(rest_b).map(|(x, y)| x * y).sum();
    lanes.iter().sum::<f32>() + tail
}

/// Index parameters. The HNSW symbols follow the paper; the HNSW parameters
/// apply only to shards of more than `exact_max_points` points.
#[derive(Clone, Debug)]
pub struct IndexConfig {
    /// `M`: links per node on each layer. Default: 16.
    pub max_connections: usize,
    /// `efConstruction`: candidate list size while inserting. Default: 64.
    pub ef_construction: usize,
    /// `ef`: candidate list size while searching (at least `k`). Default: 96
    /// (with M 16 and efConstruction 64, recall@10 0.99 against exact search
    /// on 100k generated story vectors; see BENCHMARKS.md).
    pub ef_search: usize,
    /// Points per shard: dated points are split, in publication order and
    /// at day boundaries, into graphs of at most this many points (a day
    /// of more points into equal ones). Default: 2048.
    pub shard_size: usize,
    /// A shard's graph also holds, before its own points, the points of
    /// earlier shards published up to this many days before its first one
    /// (at most `shard_size` of them). Default: 3.
    pub window_days: u32,
    /// Shards of at most this many points (context included) are searched
    /// exhaustively, with no graph: exact, and for shards of a few thousand
    /// points cheaper than hnsw_rs (see BENCHMARKS.md, "Index recall at the
    /// defaults"). With the default shard size every dated shard is; the
    /// HNSW parameters above apply to larger shards (a large undated shard,
    /// or a larger `shard_size`). Default: 8192.
    pub exact_max_points: usize,
    /// When there are more undated points than `shard_size` and
    /// `exact_max_points`, all the points are also cut by content, by
    /// k-means over their vectors, into lists of at most `2 x shard_size`
    /// points (about `shard_size / 2` of them undated, at most
    /// `shard_size`): each undated point is searched for among the points
    /// of its own list and of those of its next `content_probes - 1`
    /// nearest centroids (a dated point, which has its date shard too, one
    /// fewer), so with at most `content_probes x 2 x shard_size` points
    /// beyond its date shard. Default: 4 (generated corpus without dates,
    /// eval B-cubed F1 at 3 probes: 100k 0.951, 1M 0.939, where dated
    /// input scores 0.944; at 4: 100k 0.952: recall falls as the lists
    /// grow in number, so fewer probes lose more at scale).
    pub content_probes: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            max_connections: 16,
            ef_construction: 64,
            ef_search: 96,
            shard_size: 2048,
            window_days: 3,
            exact_max_points: 8192,
            content_probes: 4,
        }
    }
}

/// Which points go into which shard, and where each point is searched for.
///
/// Dated points are sorted by (day, index) and cut into consecutive *cores*
/// of at most [`IndexConfig::shard_size`] points, at day boundaries: whole
/// days while they fit, a larger day split into equal cores. A shard's graph holds its
/// core and, inserted before it as *context*, the points of earlier cores
/// published at most [`IndexConfig::window_days`] before the core's first
/// day (at most `shard_size` of them, the latest). Each dated point is
/// searched for in its own shard only, so every pair of dated points at
/// most `window_days` apart (and within one shard's reach) is compared from
/// the later one's side. Undated points, up to [`IndexConfig::shard_size`]
/// or [`IndexConfig::exact_max_points`] of them, form one more shard, which
/// dated points are also searched for in. With more undated points, all
/// the points are also cut by content (the module `content`) into lists of
/// at most `2 x shard_size`, one more shard each (an undated point's own
/// shard): a point is searched for in its list and those of its next
/// [`IndexConfig::content_probes`]` - 1` nearest k-means centroids (it
/// *visits* them; a dated point one fewer). So an undated point and a dated one, or two dated ones
/// further apart than the window, of one topic are compared. The plan depends
/// only on the days, the vectors and the configuration, never on the thread
/// count.
#[derive(Clone, Debug)]
pub struct ShardPlan {
    /// The points of each shard's graph, in insertion order: context first,
    /// then core.
    pub shards: Vec<Vec<usize>>,
    /// Where each shard's core starts in its point list.
    core_start: Vec<usize>,
    /// The content shards (`shards[content_from..]`), with their visitors.
    content: Vec<ContentShard>,
    /// The content shard of every point, if there are any.
    content_of: Vec<usize>,
    /// The shard of every point (the one where it is core).
    shard_of: Vec<usize>,
    /// The shard of all undated points, if they are few enough for one.
    undated: Option<usize>,
    /// The first content shard (all later ones are), if any.
    content_from: usize,
    /// The centroid dot products computed to plan the content shards.
    planning_dots: u64,
}

impl ShardPlan {
    /// Plans the shards of points published on `days`, whose unit rows of
    /// `dims` are `vectors` (read only when the undated points are many).
    pub fn new(days: &[Option<i64>], vectors: &[f32], dims: usize, config: &IndexConfig) -> ShardPlan {
        let size = config.shard_size.max(1);
        let window = i64::from(config.window_days);
        let mut dated: Vec<usize> = (0..days.len()).filter(|&i| days[i].is_some()).collect();
        dated.sort_by_key(|&i| (days[i], i));
        let day = |i: usize| days[i].expect("dated");
        let mut plan = ShardPlan {
            shards: Vec::new(),
            core_start: Vec::new(),
            content: Vec::new(),
            content_of: Vec::new(),
            shard_of: vec![0; days.len()],
            undated: None,
            content_from: usize::MAX,
            planning_dots: 0,
        };
        for (start, end) in day_cores(&dated, day, size) {
            let core = &dated[start..end];
            let first_day = day(core[0]);
            let before = &dated[start.saturating_sub(size)..start];
            let skip = before.partition_point(|&i| day(i) < first_day - window);
            plan.push(before[skip..].to_vec(), core);
        }
        let undated: Vec<usize> = (0..days.len()).filter(|&i| days[i].is_none()).collect();
        if undated.len() > size.max(config.exact_max_points) {
            let probes = config.content_probes.max(1);
            let params = ContentParams { target: size.div_ceil(2), max_undated: size, max_rows: 2 * size, probes };
            let (shards, dots) = content::content_shards(vectors, dims, &undated, &dated, &params);
            plan.planning_dots = dots;
            plan.content_from = plan.shards.len();
            plan.content_of = vec![usize::MAX; days.len()];
            for shard in shards {
                let s = plan.shards.len();
                for &p in &shard.points {
                    plan.content_of[p] = s;
                    if days[p].is_none() {
                        plan.shard_of[p] = s;
                    }
                }
                plan.shards.push(shard.points.clone());
                plan.core_start.push(0);
                plan.content.push(shard);
            }
        } else if !undated.is_empty() {
            plan.undated = Some(plan.shards.len());
            plan.push(Vec::new(), &undated);
        }
        plan
    }

    /// Adds a shard of `context` then `core`.
    fn push(&mut self, mut points: Vec<usize>, core: &[usize]) {
        let s = self.shards.len();
        core.iter().for_each(|&p| self.shard_of[p] = s);
        self.core_start.push(points.len());
        points.extend_from_slice(core);
        self.shards.push(points);
    }

    /// The shards point `p` is searched for in: its own, the shard of all
    /// undated points if there is one and `p` is dated, and the content
    /// shards of its list (a dated point's is not its own) and of the lists
    /// it visits.
    pub fn scope(&self, p: usize) -> Vec<usize> {
        let own = self.shard_of[p];
        let mut scope = match self.undated {
            Some(undated) if undated != own => vec![own, undated],
            _ => vec![own],
        };
        if let Some(&list) = self.content_of.get(p).filter(|&&list| list != own) {
            scope.push(list);
        }
        for (c, shard) in self.content.iter().enumerate() {
            if shard.visitors.binary_search(&p).is_ok() {
                scope.push(self.content_from + c);
            }
        }
        scope
    }

    /// The dot products the search of this plan computes in shards searched
    /// exhaustively (each query against every point of the shard), plus
    /// those computed to plan the content shards: the index's work as a
    /// count. (A shard searched through a graph counts nothing here.)
    pub fn exhaustive_dots(&self, config: &IndexConfig) -> u64 {
        let mut dots = self.planning_dots;
        for (s, points) in self.shards.iter().enumerate() {
            if points.len() > config.exact_max_points {
                continue;
            }
            dots += match s.checked_sub(self.content_from) {
                // A content shard is searched for its points and visitors,
                // the shard of all undated points for every point.
                Some(c) => ((points.len() + self.content[c].visitors.len()) * points.len()) as u64,
                None if Some(s) == self.undated => (self.shard_of.len() * points.len()) as u64,
                None => ((points.len() - self.core_start[s]) * points.len()) as u64,
            };
        }
        dots
    }
}

/// The cores of `dated` (sorted by day), as ranges `start..end`: whole
/// days packed in order while they fit in `size` points, and a day of more
/// than `size` points alone, split into equal cores of at most `size`.
///
/// Cores end at day boundaries so that a day's cores, and so the pairs
/// ever compared, do not depend on where the input starts: a run over a
/// date window of a dense feed (every day over `size` points) cuts each of
/// its days as the run over the whole feed does. A sparse feed still gets
/// cores of many days, as before.
fn day_cores(dated: &[usize], day: impl Fn(usize) -> i64, size: usize) -> Vec<(usize, usize)> {
    let mut cores = Vec::new();
    // The open core: whole days from `open` up to the current day.
    let mut open = 0;
    let mut day_start = 0;
    while day_start < dated.len() {
        let today = day(dated[day_start]);
        let day_end = day_start + dated[day_start..].partition_point(|&i| day(i) == today);
        if day_end - open > size && open < day_start {
            cores.push((open, day_start));
            open = day_start;
        }
        let n = day_end - open;
        if n > size {
            let parts = n.div_ceil(size);
            cores.extend((0..parts).map(|k| (open + k * n / parts, open + (k + 1) * n / parts)));
            open = day_end;
        }
        day_start = day_end;
    }
    if open < dated.len() {
        cores.push((open, dated.len()));
    }
    cores
}

/// How a shard is searched.
enum Search<'a> {
    /// An HNSW graph over the shard's points.
    Graph(Hnsw<'a, f32, UnitDot>),
    /// Exhaustively, over the shard's rows.
    Exact(&'a [f32], usize),
}

/// The points of one shard and how they are searched.
struct Shard<'a> {
    search: Search<'a>,
    /// Global index of each local point id.
    points: &'a [usize],
}

impl<'a> Shard<'a> {
    /// A shard of at most [`IndexConfig::exact_max_points`] points is
    /// searched exhaustively over `rows`. A larger one gets an HNSW graph.
    /// Inserts the points one by one, in order: with hnsw_rs's seeded layer
    /// generator the graph, and so every search, is then the same on every
    /// run. (hnsw_rs's parallel insertion is faster but builds a different
    /// graph each time; shards are built in parallel instead.) `rows` holds
    /// the points' vectors, row `j` for `points[j]`, contiguous so that a
    /// search touches a few megabytes, not the whole corpus's vectors.
    fn build(rows: &'a [f32], dims: usize, points: &'a [usize], config: &IndexConfig) -> Shard<'a> {
        let n_points = points.len();
        if n_points <= config.exact_max_points {
            return Shard { search: Search::Exact(rows, dims), points };
        }
        let max_layer = 16.min(((n_points.max(2) as f32).ln().ceil() as usize).max(1));
        let mut hnsw = Hnsw::<f32, UnitDot>::new(
            config.max_connections,
            n_points.max(1),
            max_layer,
            config.ef_construction,
            UnitDot,
        );
        for (local, row) in rows.chunks_exact(dims).enumerate() {
            hnsw.insert_slice((row, local));
        }
        hnsw.set_searching_mode(true);
        Shard { search: Search::Graph(hnsw), points }
    }

    /// Appends to `found[q]` the `k` nearest points of this shard to point
    /// `queries[q]` (itself left out), with their similarity; `row(i)` is
    /// point `i`'s vector. In a shard searched exhaustively, points less
    /// similar than `floor(queries[q])` may be left out: the query already
    /// has `k` neighbours at least that similar.
    fn search<'r>(
        &self,
        row: impl Fn(usize) -> &'r [f32],
        floor: impl Fn(usize) -> f32,
        queries: &[usize],
        k: usize,
        ef: usize,
        found: &mut [Vec<(usize, f32)>],
    ) {
        let (rows, dims) = match &self.search {
            Search::Exact(rows, dims) => (*rows, *dims),
            Search::Graph(hnsw) => {
                for (&i, into) in queries.iter().zip(found) {
                    into.extend(
                        hnsw.search(row(i), k + 1, ef)
                            .into_iter()
                            .map(|n| (self.points[n.d_id], 1.0 - n.distance))
                            .filter(|&(j, _)| j != i),
                    );
                }
                return;
            }
        };
        if k == 0 {
            return;
        }
        // Queries in blocks of QUERY_BLOCK: each of the shard's rows is
        // loaded once per block, and the block's dot products are
        // independent chains.
        let n_rows = rows.len() / dims;
        let mut sims = vec![0.0f32; QUERY_BLOCK * n_rows];
        for (block, into) in queries.chunks(QUERY_BLOCK).zip(found.chunks_mut(QUERY_BLOCK)) {
            let query_rows: [&[f32]; QUERY_BLOCK] = std::array::from_fn(|q| row(block[q.min(block.len() - 1)]));
            block_dots(&query_rows, rows, dims, &mut sims);
            for ((&i, into), sims) in block.iter().zip(into).zip(sims.chunks_exact(n_rows)) {
                keep_best(into, k, (i, floor(i)), self.points, sims);
            }
        }
    }
}

/// Appends to `into` the best `k` of `points` (leaving out `query`), whose
/// similarities are `sims`, best first by [`better`], leaving out those
/// less similar than `seed` (the `k`-th best similarity found elsewhere).
fn keep_best(into: &mut Vec<(usize, f32)>, k: usize, (query, seed): (usize, f32), points: &[usize], sims: &[f32]) {
    let start = into.len();
    // The k-th best similarity so far. Most rows fall below it: a run of
    // SKIP_RUN of them is passed over by one vectorised test, a row by one
    // comparison; a tie with it goes on to `better`, so the lists are the
    // same as without the shortcut (a NaN is never passed over either).
    let mut floor = seed;
    for (points, sims) in points.chunks(SKIP_RUN).zip(sims.chunks(SKIP_RUN)) {
        if !sims.iter().fold(false, |any, &sim| any | (sim >= floor) | sim.is_nan()) {
            continue;
        }
        for (&j, &sim) in points.iter().zip(sims) {
            if sim < floor || j == query {
                continue;
            }
            let best = &into[start..];
            if best.len() == k && !better((j, sim), best[k - 1]) {
                continue;
            }
            let at = start + best.partition_point(|&x| better(x, (j, sim)));
            into.insert(at, (j, sim));
            into.truncate(start + k);
            if into.len() == start + k {
                floor = into[start + k - 1].1.max(seed);
            }
        }
    }
}

/// Rows whose similarities [`keep_best`] tests at once against its floor.
const SKIP_RUN: usize = 16;

/// Queries searched together in an exhaustively searched shard.
const QUERY_BLOCK: usize = 8;

/// `sims[q * n + r]` = the dot product of `queries[q]` with row `r` of
/// `rows` (`n` rows of `dims`), with exactly the arithmetic of [`dot`], so
/// the same value. On x86-64 with AVX2 the same arithmetic in wider
/// registers (no fused multiply-add, so no other rounding).
fn block_dots(queries: &[&[f32]; QUERY_BLOCK], rows: &[f32], dims: usize, sims: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { block_dots_avx2(queries, rows, dims, sims) };
        return;
    }
    block_dots_body(queries, rows, dims, sims);
}

/// [`block_dots`] compiled for AVX2.
///
/// # Safety
/// The CPU must support AVX2 (`is_x86_feature_detected!("avx2")`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn block_dots_avx2(queries: &[&[f32]; QUERY_BLOCK], rows: &[f32], dims: usize, sims: &mut [f32]) {
    block_dots_body(queries, rows, dims, sims);
}

/// The arithmetic of [`block_dots`], inlined into each compiled form: the
/// plain one (this function, called directly) and the AVX2 one.
#[inline(always)]
fn block_dots_body(queries: &[&[f32]; QUERY_BLOCK], rows: &[f32], dims: usize, sims: &mut [f32]) {
    let n_rows = rows.len() / dims;
    let whole = dims - dims % 8;
    for (r, row) in rows.chunks_exact(dims).enumerate() {
        let mut lanes = [[0.0f32; 8]; QUERY_BLOCK];
        for start in (0..whole).step_by(8) {
            let chunk = &row[start..start + 8];
            for (query, lanes) in queries.iter().zip(lanes.iter_mut()) {
                let a = &query[start..start + 8];
                for k in 0..8 {
                    lanes[k] += a[k] * chunk[k];
                }
            }
        }
        for q in 0..QUERY_BLOCK {
            let tail: f32 = queries[q][whole..].iter().zip(&row[whole..]).map(|(x, y)| x * y).sum();
            sims[q * n_rows + r] = lanes[q].iter().sum::<f32>() + tail;
        }
    }
}

/// Whether neighbour `a` ranks before `b`: higher similarity, then lower
/// point index.
fn better(a: (usize, f32), b: (usize, f32)) -> bool {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)).is_lt()
}

/// The `k` nearest neighbours of every point of `vectors` (row `i` is point
/// `i`, L2-normalised) among the points of the shards of its
/// [`ShardPlan::scope`], as `(point, similarity)` with similarity
/// = dot product, best first (ties by point index).
///
/// Each dated or content shard's rows are gathered (and, if it is larger
/// than [`IndexConfig::exact_max_points`], its graph built), searched for
/// its core points (and a content shard's visitors) and dropped, shards in
/// parallel: memory holds a few shards at a time, and the time per point
/// does not grow with the number of shards. A point searched in several
/// shards keeps the best `k` of all. The shard of all undated points (when
/// they are few), which every point is searched in, is built first and
/// kept. In a shard searched exhaustively the similarity is [`dot`] exactly
/// (so the lists are those of [`exact_neighbours`]); from a graph it is 1 -
/// [`UnitDot`] distance.
pub fn all_neighbours(
    vectors: &[f32],
    dims: usize,
    plan: &ShardPlan,
    k: usize,
    config: &IndexConfig,
) -> Vec<Vec<(usize, f32)>> {
    assert!(dims > 0 && vectors.len().is_multiple_of(dims), "vectors must be whole rows of {dims} dimensions");
    assert_eq!(plan.shard_of.len(), vectors.len() / dims, "one planned shard per vector");
    let ef = config.ef_search.max(k + 1);
    let row = |i: usize| &vectors[i * dims..(i + 1) * dims];
    let rows_of = |points: &[usize]| -> Vec<f32> { points.iter().flat_map(|&p| row(p)).copied().collect() };
    let undated_rows = plan.undated.map(|s| rows_of(&plan.shards[s]));
    let undated =
        plan.undated.map(|s| Shard::build(undated_rows.as_deref().expect("rows"), dims, &plan.shards[s], config));
    // The neighbours of `queries` in shard `own` (if any) and the undated
    // shard, best first (ties by point index).
    // `floor` as in [`Shard::search`].
    let nearest = |queries: &[usize], own: Option<&Shard>, floor: &(dyn Fn(usize) -> f32 + Sync)| {
        let mut found = vec![Vec::with_capacity(2 * k + 2); queries.len()];
        if let Some(own) = own {
            own.search(row, floor, queries, k, ef, &mut found);
        }
        if let Some(undated) = &undated {
            undated.search(row, floor, queries, k, ef, &mut found);
        }
        queries
            .iter()
            .zip(found)
            .map(|(&i, mut list)| {
                list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                list.truncate(k);
                (i, list)
            })
            .collect::<Vec<_>>()
    };
    let none = |_: usize| f32::NEG_INFINITY;
    // Queries are taken in chunks (whole blocks for exhaustive search).
    let chunk = 16 * QUERY_BLOCK;
    let content = plan.content_from.min(plan.shards.len());
    let dated: Vec<usize> = (0..content).filter(|&s| Some(s) != plan.undated).collect();
    let mut found: Vec<(usize, Vec<(usize, f32)>)> = dated
        .par_iter()
        .flat_map_iter(|&s| {
            let rows = rows_of(&plan.shards[s]);
            let shard = Shard::build(&rows, dims, &plan.shards[s], config);
            let core = &plan.shards[s][plan.core_start[s]..];
            core.par_chunks(chunk).flat_map_iter(|queries| nearest(queries, Some(&shard), &none)).collect::<Vec<_>>()
        })
        .collect();
    if let Some(s) = plan.undated {
        found.par_extend(plan.shards[s].par_chunks(chunk).flat_map_iter(|queries| nearest(queries, None, &none)));
    }
    // So far each point has been searched for once, in its own shard.
    let mut lists: Vec<Vec<(usize, f32)>> = vec![Vec::new(); plan.shard_of.len()];
    for (i, list) in found {
        lists[i] = list;
    }
    // Content shards, a few at a time: each list found there is merged into
    // its point's list before the next few are searched, so that memory
    // holds the lists of a few shards' visitors, not of every visit.
    let content: Vec<usize> = (content..plan.shards.len()).collect();
    for batch in content.chunks(CONTENT_BATCH) {
        // A visit need not look at points less similar than the k-th best
        // the point already has: they cannot enter its merged list.
        let kth = |i: usize| if k > 0 && lists[i].len() == k { lists[i][k - 1].1 } else { f32::NEG_INFINITY };
        let visits: Vec<(usize, Vec<(usize, f32)>)> = batch
            .par_iter()
            .flat_map_iter(|&s| {
                let rows = rows_of(&plan.shards[s]);
                let shard = Shard::build(&rows, dims, &plan.shards[s], config);
                let visitors = &plan.content[s - plan.content_from].visitors;
                let queries: Vec<usize> = plan.shards[s].iter().chain(visitors).copied().collect();
                queries
                    .par_chunks(chunk)
                    .flat_map_iter(|queries| nearest(queries, Some(&shard), &kth))
                    .collect::<Vec<_>>()
            })
            .collect();
        for (i, list) in visits {
            lists[i] = merge_best(&lists[i], &list, k);
        }
    }
    lists
}

/// Content shards searched between two merges of their lists (any number
/// gives the same lists; this one keeps both cores busy and memory small).
const CONTENT_BATCH: usize = 8;

/// The best `k` of two lists, each best first (by [`better`]), each
/// neighbour once.
fn merge_best(a: &[(usize, f32)], b: &[(usize, f32)], k: usize) -> Vec<(usize, f32)> {
    let mut merged: Vec<(usize, f32)> = Vec::with_capacity(k.min(a.len() + b.len()));
    let (mut x, mut y) = (a.iter().peekable(), b.iter().peekable());
    while merged.len() < k {
        let next = match (x.peek(), y.peek()) {
            (Some(&&p), Some(&&q)) if better(q, p) => y.next(),
            (Some(_), _) => x.next(),
            (None, _) => y.next(),
        };
        let Some(&next) = next else { break };
        if merged.last().is_none_or(|last| last.0 != next.0) {
            merged.push(next);
        }
    }
    merged
}

/// Exact k nearest neighbours of the points `queries` by brute force (for
/// measuring the index's recall), best first. With a plan, only the points
/// of each query's [`ShardPlan::scope`] are compared, as the index does;
/// without one, all points are.
pub fn exact_neighbours(
    vectors: &[f32],
    dims: usize,
    queries: &[usize],
    k: usize,
    plan: Option<&ShardPlan>,
) -> Vec<Vec<(usize, f32)>> {
    let n_points = vectors.len() / dims;
    queries
        .par_iter()
        .map(|&i| {
            let row = &vectors[i * dims..(i + 1) * dims];
            let others: Vec<usize> = match plan {
                Some(plan) => {
                    // A dated point's date shard and content shards may
                    // hold the same dated points.
                    let mut others: Vec<usize> =
                        plan.scope(i).into_iter().flat_map(|s| plan.shards[s].iter().copied()).collect();
                    others.sort_unstable();
                    others.dedup();
                    others
                }
                None => (0..n_points).collect(),
            };
            let mut all: Vec<(usize, f32)> = others
                .into_iter()
                .filter(|&j| j != i)
                .map(|j| (j, dot(row, &vectors[j * dims..(j + 1) * dims])))
                .collect();
            let k = k.min(all.len());
            if k > 0 && k < all.len() {
                all.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                all.truncate(k);
            }
            all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            all
        })
        .collect()
}

#[cfg(test)]
mod tests;

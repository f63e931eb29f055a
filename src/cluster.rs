//! Story clustering: which articles report the same event.
//!
//! Owns [`Clustering`], [`Story`], [`DupGroup`] and [`Link`], and the rule
//! that turns scored candidate pairs into stories. It must not read texts or
//! name hnsw_rs types: it sees article indices, vectors and scores.

use rayon::prelude::*;
use serde::Serialize;

use crate::represent::sparse_dot;

/// A scored pair of articles (indices into the article list).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Link {
    /// The first article index (the smaller one).
    pub a: usize,
    /// The second article index.
    pub b: usize,
    /// The similarity that justified the link, in 0..=1.
    pub score: f32,
}

/// A candidate pair of items for [`group_average`], with the dot product of
/// their vectors exactly as [`sparse_dot`] gives it. The caller has usually
/// computed it already to rescore the pair; [`scored_pairs`] computes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// One item's index.
    pub a: usize,
    /// The other item's index.
    pub b: usize,
    /// `sparse_dot(vectors[a], vectors[b])`.
    pub dot: f64,
}

/// The pairs `(a, b)` of `vectors` with their dot products.
pub fn scored_pairs(vectors: &[Sparse], pairs: &[(usize, usize)]) -> Vec<Pair> {
    pairs.par_iter().map(|&(a, b)| Pair { a, b, dot: sparse_dot(&vectors[a], &vectors[b]) }).collect()
}

/// A group of near-duplicate copies of one text inside a story.
#[derive(Clone, Debug, Serialize)]
pub struct DupGroup {
    /// A stable id (`d1`, `d2`, …: ranked by size, then by smallest article id).
    pub id: String,
    /// Article indices, sorted by article id.
    pub members: Vec<usize>,
    /// The links (estimated resemblance) that joined the group.
    pub links: Vec<Link>,
}

/// Articles that report one event.
#[derive(Clone, Debug, Serialize)]
pub struct Story {
    /// A stable id (`s1`, `s2`, …: ranked by size, then by smallest article id).
    pub id: String,
    /// Article indices, sorted by article id.
    pub members: Vec<usize>,
    /// Near-duplicate groups of two or more members.
    pub dup_groups: Vec<DupGroup>,
    /// The story-similarity links between members that the clustering used.
    pub links: Vec<Link>,
}

/// The result of clustering: every article is in exactly one story.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Clustering {
    /// Stories, largest first, ties broken by smallest article id.
    pub stories: Vec<Story>,
}

/// Settings of the story clustering rule.
#[derive(Clone, Debug)]
pub struct ClusterConfig {
    /// Group-average threshold for articles with a full body: two clusters
    /// merge while the mean story similarity over all their cross pairs is
    /// at least this. Default: 0.07.
    pub threshold: f32,
    /// The threshold for short texts (headlines, teasers), which share fewer
    /// words when they report the same event. Between `short_terms` and
    /// `long_terms` terms per article the threshold moves linearly from this
    /// to `threshold`. Default: 0.04.
    pub short_threshold: f32,
    /// Terms per article (mean over both clusters) at or below which
    /// `short_threshold` applies. Default: 8.
    pub short_terms: f32,
    /// Terms per article at or above which `threshold` applies. Default: 40.
    pub long_terms: f32,
    /// Clusters of at most this many articles are offered, after the
    /// agglomeration, to the larger candidate cluster whose centroid they
    /// fit best. Default: 5.
    pub attach_max_size: usize,
    /// The centroid cosine (times the date factor) a small cluster needs to
    /// join a larger one in that pass. Default: 0.07, the merge threshold of
    /// full articles (headline clusters that fit a centroid fit it far
    /// better than that).
    pub attach_threshold: f32,
    /// Nearest neighbours fetched from the index per article. Default: 30.
    pub neighbours: usize,
    /// Candidate pairs whose own story similarity (times the date factor)
    /// is below this do not make their clusters candidates: a nearest
    /// neighbour that far below every merge threshold is noise (an article
    /// with no story-mate still has 30 neighbours), and every candidate
    /// costs a rescoring at each merge. Default: 0.01.
    pub candidate_floor: f32,
    /// Days between publication dates that cost nothing. Default: 3.
    pub date_grace_days: u32,
    /// Beyond the grace, similarity decays as `exp(-extra_days / scale)`.
    /// Default: 20 days.
    pub date_scale_days: f32,
    /// Candidate pairs of at least this cosine (from different
    /// near-duplicate groups) are taken as surely one story when the input's
    /// own story duration is measured (see [`story_time_scale`]). Default: 0.3.
    pub date_confident_cosine: f32,
    /// The date window (grace and scale) is shrunk, both by one ratio, until
    /// the scale is at most this many times the mean day gap of the confident
    /// pairs, when that is shorter than configured. For gaps spread
    /// exponentially, 95% of confident pairs lie within three means. 0 keeps
    /// the configured window. Default: 3.
    pub date_spread_factor: f32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            threshold: 0.07,
            short_threshold: 0.04,
            short_terms: 8.0,
            long_terms: 40.0,
            attach_max_size: 5,
            attach_threshold: 0.07,
            neighbours: 30,
            candidate_floor: 0.01,
            date_grace_days: 3,
            date_scale_days: 20.0,
            date_confident_cosine: 0.3,
            date_spread_factor: 3.0,
        }
    }
}

impl ClusterConfig {
    /// The merge threshold for clusters whose articles have `terms` terms
    /// each on average.
    pub fn threshold_for(&self, terms: f32) -> f32 {
        let span = (self.long_terms - self.short_terms).max(f32::EPSILON);
        let t = ((terms - self.short_terms) / span).clamp(0.0, 1.0);
        self.short_threshold + t * (self.threshold - self.short_threshold)
    }

    /// The factor by which a similarity is scaled for articles `days` apart.
    pub fn date_factor(&self, days: Option<i64>) -> f32 {
        match days {
            None => 1.0,
            Some(days) => {
                let extra = (days - i64::from(self.date_grace_days)).max(0) as f32;
                if extra == 0.0 {
                    1.0
                } else {
                    (-extra / self.date_scale_days.max(f32::MIN_POSITIVE)).exp()
                }
            }
        }
    }

    /// This configuration with its date window fitted to an input whose
    /// confident pairs are `mean_gap` days apart on average (from
    /// [`story_time_scale`]): when `date_spread_factor × mean_gap` is below
    /// `date_scale_days`, grace and scale shrink by that ratio (the grace to
    /// whole days, rounded down). A window
    /// fitted to weeks-long events thus tightens to one day or less for an
    /// input whose stories, by its own evidence, last a day; it never widens.
    pub fn fitted_to_time_scale(&self, mean_gap: Option<f32>) -> ClusterConfig {
        let mut fitted = self.clone();
        if let Some(gap) = mean_gap {
            let wanted = self.date_spread_factor * gap;
            if self.date_spread_factor > 0.0 && wanted < self.date_scale_days {
                let ratio = wanted / self.date_scale_days;
                // Whole days, rounded down.
                fitted.date_grace_days = (self.date_grace_days as f32 * ratio) as u32;
                // A floor keeps the decay defined when every confident pair
                // falls on one day: a day's gap then costs all but e^-10.
                fitted.date_scale_days = (self.date_scale_days * ratio).max(0.1);
            }
        }
        fitted
    }
}

/// Confident pairs needed before [`story_time_scale`] trusts its mean.
pub const MIN_CONFIDENT_PAIRS: usize = 30;

/// How long a story lasts in this input, by its own evidence: the mean gap in
/// days between the publication dates of candidate pairs whose cosine is at
/// least `config.date_confident_cosine` (pairs that surely report one
/// story), leaving out pairs inside one near-duplicate group (`initial`, as
/// for [`group_average`]: copies say nothing about a story's course) and
/// undated articles. `None` with fewer than [`MIN_CONFIDENT_PAIRS`] such
/// pairs. Gaps are whole days summed exactly, so the result does not depend
/// on the thread count.
///
/// Gold stories differ in grain between collections: an aggregator's
/// headline stories are a day's development ("GM hires an investigator" on
/// one day, "criminal probe of GM" the next), a TDT event runs for weeks.
/// On the development sets the confident pairs are 0.05 days apart for the
/// headlines and 9 days for the articles, while random pairs are 0.5 and 23
/// days apart: the measure tells the two grains apart.
pub fn story_time_scale(
    days: &[Option<i64>],
    initial: &[usize],
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
) -> Option<f32> {
    let min_cosine = f64::from(config.date_confident_cosine);
    let (gap_sum, n) = candidate_pairs
        .par_iter()
        .filter_map(|&Pair { a, b, dot }| {
            let (Some(da), Some(db)) = (days[a], days[b]) else { return None };
            if initial[a] == initial[b] || dot < min_cosine {
                return None;
            }
            Some(((da - db).unsigned_abs(), 1usize))
        })
        .reduce(|| (0, 0), |x, y| (x.0 + y.0, x.1 + y.1));
    (n >= MIN_CONFIDENT_PAIRS).then(|| gap_sum as f32 / n as f32)
}

/// A sparse vector: `(term, weight)` pairs sorted by term.
pub type Sparse = Vec<(u64, f32)>;

fn sparse_add<T: Ord + Copy>(a: &[(T, f32)], b: &[(T, f32)]) -> Vec<(T, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    // Shared terms leave room a cluster's sum would hold to the end.
    out.shrink_to_fit();
    out
}

/// How many times longer than the other a vector must be for [`sum_dot`]
/// (and [`Scatter::dot`]) to look the short one's terms up in it by binary
/// search instead of walking both.
const SEARCH_RATIO: usize = 16;

/// The dot product of two sparse vectors. When one is much longer (a large
/// cluster's sum against an article), the short one's terms are looked up
/// in the long one by binary search. Products are added in term order
/// either way, so the result is the same to the last bit as
/// [`sparse_dot`]'s.
fn sum_dot<T: Ord + Copy>(a: &[(T, f32)], b: &[(T, f32)]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() < SEARCH_RATIO * short.len() {
        return sparse_dot(a, b);
    }
    let mut dot = 0.0f64;
    let mut rest = long;
    for &(term, weight) in short {
        match rest.binary_search_by(|probe| probe.0.cmp(&term)) {
            Ok(pos) => {
                dot += f64::from(weight) * f64::from(rest[pos].1);
                rest = &rest[pos + 1..];
            }
            Err(pos) => rest = &rest[pos..],
        }
        if rest.is_empty() {
            break;
        }
    }
    dot
}

/// The vectors with each term replaced by its rank among all their distinct
/// terms. Ranks keep the terms' order, so sums and dot products visit the
/// same terms in the same order and come out the same to the bit; an entry
/// takes 8 bytes instead of 16 (with padding), and the agglomeration, which
/// reads cluster sums all over memory, is bound by how many of them the
/// caches hold. Also returns the number of distinct terms (one more than
/// the largest rank).
fn rank_terms(vectors: Vec<Sparse>) -> (Vec<Vec<(u32, f32)>>, usize) {
    use crate::hashes::{TermMap, TermSet};
    let mut distinct: Vec<u64> = vectors
        .par_iter()
        .fold(TermSet::default, |mut set, v| {
            set.extend(v.iter().map(|&(term, _)| term));
            set
        })
        .reduce(TermSet::default, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            a.extend(b);
            a
        })
        .into_iter()
        .collect();
    distinct.par_sort_unstable();
    assert!(u32::try_from(distinct.len()).is_ok(), "group_average: more than 2^32 distinct terms");
    let n_terms = distinct.len();
    let rank: TermMap<u32> = distinct.iter().enumerate().map(|(r, &term)| (term, r as u32)).collect();
    drop(distinct);
    (vectors.into_par_iter().map(|v| v.iter().map(|&(term, w)| (rank[&term], w)).collect()).collect(), n_terms)
}

/// One cluster's sum spread over a table indexed by term rank, for the dot
/// products a merge needs between that sum and many others: each of their
/// terms is looked up once, where [`sum_dot`] would walk both term lists
/// every time. The table is zero except while a sum is loaded.
struct Scatter {
    weights: Vec<f32>,
    /// Dot products asked for since the last [`Scatter::unload`]; the table
    /// is filled at the second, as one dot is cheaper with [`sum_dot`].
    asked: usize,
    loaded: bool,
}

impl Scatter {
    fn new(n_terms: usize) -> Scatter {
        Scatter { weights: vec![0.0; n_terms], asked: 0, loaded: false }
    }

    /// `sum · x`, the same to the bit as [`sum_dot`]'s: the products of
    /// shared terms are added in term order, and a term `sum` lacks adds a
    /// zero, which leaves the total unchanged. `sum` must be the same until
    /// the next [`Scatter::unload`].
    fn dot(&mut self, sum: &[(u32, f32)], x: &[(u32, f32)]) -> f64 {
        self.asked += 1;
        // A short sum is searched for in a long `x` instead (see `sum_dot`).
        if self.asked == 1 || x.len() >= SEARCH_RATIO * sum.len() {
            return sum_dot(sum, x);
        }
        if !self.loaded {
            for &(term, weight) in sum {
                self.weights[term as usize] = weight;
            }
            self.loaded = true;
        }
        let mut dot = 0.0f64;
        for &(term, weight) in x {
            dot += f64::from(self.weights[term as usize]) * f64::from(weight);
        }
        dot
    }

    /// Clears the table of `sum`, the vector given to [`Scatter::dot`].
    fn unload(&mut self, sum: &[(u32, f32)]) {
        if self.loaded {
            for &(term, _) in sum {
                self.weights[term as usize] = 0.0;
            }
        }
        self.asked = 0;
        self.loaded = false;
    }
}

/// Asks the CPU to start loading the cache lines of `value`.
fn prefetch_value<T>(value: &T) {
    prefetch_bytes((value as *const T).cast(), std::mem::size_of::<T>());
}

/// Asks the CPU to start loading the cache lines of `slice` up to
/// `max_bytes`, and beyond those the one in its middle (where a binary
/// search starts).
fn prefetch_slice<T>(slice: &[T], max_bytes: usize) {
    let bytes = std::mem::size_of_val(slice);
    let start: *const u8 = slice.as_ptr().cast();
    prefetch_bytes(start, bytes.min(max_bytes));
    if bytes > max_bytes {
        prefetch_bytes(start.wrapping_add(bytes / 2), 1);
    }
}

/// Prefetches the cache lines of `bytes` bytes from `start`. A prefetch is
/// only a hint: it reads nothing and cannot fault, whatever the address.
fn prefetch_bytes(start: *const u8, bytes: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let mut offset = 0;
        while offset < bytes {
            // SAFETY: SSE, which `_mm_prefetch` needs, is part of x86_64;
            // the prefetch dereferences nothing.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(start.wrapping_add(offset).cast()) };
            offset += 64;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (start, bytes);
}

/// One cluster during agglomeration.
struct Group {
    /// The sum of the members' unit vectors (`S` in the text below), its
    /// terms as ranks ([`rank_terms`]).
    sum: Vec<(u32, f32)>,
    size: usize,
    /// The total number of terms of the members' vectors.
    terms: usize,
    /// Earliest and latest known publication day.
    days: Option<(i64, i64)>,
    /// Clusters this one may merge with (found through the index), sorted.
    candidates: Vec<usize>,
    /// `S · S_x` for each candidate `x`, in the same order.
    dots: Vec<f64>,
}

/// Group-average agglomerative clustering (UPGMA) over candidate pairs.
///
/// The similarity of clusters `A` and `B` is the mean cosine over all their
/// cross pairs, which for unit vectors is exactly `S_A · S_B / (|A| |B|)`
/// with `S` the sum of a cluster's vectors: no pair is left out, however
/// large the clusters grow. It is scaled by [`ClusterConfig::date_factor`]
/// of the gap between the clusters' publication-date spans. Clusters merge,
/// best pair first (by margin over their threshold), while that score is at
/// least [`ClusterConfig::threshold_for`] their mean terms per article; only clusters
/// joined by a candidate pair (from the nearest-neighbour index) are ever
/// compared.
///
/// Group average, unlike single link, does not chain: one strong pair cannot
/// pull two groups together when most of their cross pairs are unrelated.
/// `initial[i]` is the representative of item `i`'s starting group
/// (near-duplicate groups start merged). Ties are broken by the smallest
/// item indices, so the result depends only on the vectors and the item
/// order. A final pass attaches small clusters to a larger neighbour they
/// fit (see [`ClusterConfig::attach_threshold`]). Returns a representative
/// of each item's cluster (the same for all its members).
pub fn group_average(
    vectors: Vec<Sparse>,
    days: &[Option<i64>],
    initial: &[usize],
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
) -> Vec<usize> {
    group_average_pruning_at(vectors, days, initial, candidate_pairs, config, 1 << 16)
}

/// [`group_average`], with stale pairs pruned from the merge heap once it
/// holds twice `min_pruned` pairs (or twice as many as after the last
/// pruning, if more). Pruning must not change a single merge.
fn group_average_pruning_at(
    vectors: Vec<Sparse>,
    days: &[Option<i64>],
    initial: &[usize],
    candidate_pairs: &[Pair],
    config: &ClusterConfig,
    min_pruned: usize,
) -> Vec<usize> {
    use std::collections::BinaryHeap;

    let config = &config.fitted_to_time_scale(story_time_scale(days, initial, candidate_pairs, config));
    let (mut vectors, n_terms) = rank_terms(vectors);

    #[derive(PartialEq)]
    // 24 bytes: at 1M articles there are tens of millions of these.
    struct Candidate {
        score: f64,
        a: u32,
        b: u32,
        version_a: u32,
        version_b: u32,
    }
    impl Eq for Candidate {}
    impl PartialOrd for Candidate {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Candidate {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.score.total_cmp(&other.score).then_with(|| (other.a, other.b).cmp(&(self.a, self.b)))
        }
    }

    let n_items = vectors.len();
    assert!(u32::try_from(n_items).is_ok(), "group_average: more than 2^32 items");
    let mut owner: Vec<usize> = initial.to_vec();
    let mut groups: Vec<Option<Group>> = (0..n_items).map(|_| None).collect();
    for i in 0..n_items {
        let rep = owner[i];
        let day = days[i];
        let group = groups[rep].get_or_insert_with(|| Group {
            sum: Vec::new(),
            size: 0,
            terms: 0,
            days: None,
            candidates: Vec::new(),
            dots: Vec::new(),
        });
        // A cluster's first vector becomes its sum: the vectors are not
        // needed any more, and holding both would double their memory.
        group.terms += vectors[i].len();
        group.sum = if group.size == 0 { std::mem::take(&mut vectors[i]) } else { sparse_add(&group.sum, &vectors[i]) };
        group.size += 1;
        group.days = match (group.days, day) {
            (None, d) => d.map(|d| (d, d)),
            (Some(span), None) => Some(span),
            (Some((lo, hi)), Some(d)) => Some((lo.min(d), hi.max(d))),
        };
    }
    // Each group's candidates, first with the dots of the pairs that named
    // them: the dot of two single-item groups is their pair's.
    for &Pair { a, b, dot } in candidate_pairs {
        let (ga, gb) = (owner[a], owner[b]);
        if ga != gb {
            for (g, x) in [(ga, gb), (gb, ga)] {
                let g = groups[g].as_mut().expect("group");
                g.candidates.push(x);
                g.dots.push(dot);
            }
        }
    }
    groups.par_iter_mut().flatten().for_each(|g| {
        let mut both: Vec<(usize, f64)> = g.candidates.iter().copied().zip(g.dots.iter().copied()).collect();
        both.sort_unstable_by_key(|&(x, _)| x);
        both.dedup_by_key(|&mut (x, _)| x);
        (g.candidates, g.dots) = both.into_iter().unzip();
    });
    // The dot products of candidate sums are kept up to date through the
    // merges (`S_{A∪B} · S_X = S_A · S_X + S_B · S_X`), so a merge costs
    // dots with the smaller side only, not with the grown cluster.
    // Each pair's dot is computed once, by its smaller group; both lists
    // stay in candidate order, as groups are visited in ascending order.
    let later_dots: Vec<Vec<f64>> = groups
        .par_iter()
        .enumerate()
        .map(|(a, g)| match g {
            Some(g) => g
                .candidates
                .iter()
                .zip(&g.dots)
                .filter(|&(&x, _)| x > a)
                .map(|(&x, &pair_dot)| {
                    let gx = groups[x].as_ref().expect("group");
                    if g.size == 1 && gx.size == 1 {
                        pair_dot
                    } else {
                        sum_dot(&g.sum, &gx.sum)
                    }
                })
                .collect(),
            None => Vec::new(),
        })
        .collect();
    drop(vectors);
    groups.par_iter_mut().flatten().for_each(|g| g.dots.clear());
    for (a, dots) in later_dots.into_iter().enumerate() {
        let Some(ga) = groups[a].as_mut() else { continue };
        let first_later = ga.candidates.partition_point(|&x| x < a);
        let later = ga.candidates[first_later..].to_vec();
        ga.dots.extend_from_slice(&dots);
        for (x, dot) in later.into_iter().zip(dots) {
            groups[x].as_mut().expect("candidate group").dots.push(dot);
        }
    }

    // A pair's score is its mean cosine (times the date factor) minus the
    // threshold for its text length, so that one order ranks all pairs.
    let date_factor = |a: &Group, b: &Group| -> f64 {
        let gap = match (a.days, b.days) {
            (Some((a_lo, a_hi)), Some((b_lo, b_hi))) => Some((a_lo.max(b_lo) - a_hi.min(b_hi)).max(0)),
            _ => None,
        };
        f64::from(config.date_factor(gap))
    };
    let score = |a: &Group, b: &Group, dot: f64| -> f64 {
        let terms_per_article = (a.terms + b.terms) as f32 / (a.size + b.size) as f32;
        let threshold = f64::from(config.threshold_for(terms_per_article));
        dot / (a.size * b.size) as f64 * date_factor(a, b) - threshold
    };
    let threshold = 0.0;
    // The pairs known at the start are sorted once, best first, and read in
    // order; only the pairs merges create go to a heap. Popping millions of
    // pairs off one heap far larger than the caches took a tenth of a
    // 1M-article run. Both hold the same pairs in the same total order
    // (score, then indices), so the merges are those of a single heap.
    let groups_now = &groups;
    let mut initial_pairs: Vec<Candidate> = (0..n_items)
        .into_par_iter()
        .flat_map_iter(|a| {
            let mut pairs = Vec::new();
            if let Some(ga) = &groups_now[a] {
                for (&b, &dot) in ga.candidates.iter().zip(&ga.dots) {
                    if a < b {
                        let gb = groups_now[b].as_ref().expect("group");
                        let s = score(ga, gb, dot);
                        if s >= threshold {
                            pairs.push(Candidate { score: s, a: a as u32, b: b as u32, version_a: 0, version_b: 0 });
                        }
                    }
                }
            }
            pairs
        })
        .collect();
    initial_pairs.par_sort_unstable_by(|x, y| y.cmp(x));
    let mut initial_pairs = initial_pairs.into_iter().peekable();
    // A pair is current while neither cluster has merged since it was
    // scored: each merge bumps the merged cluster's version, and the
    // absorbed one's becomes `GONE`. Versions sit apart from the groups, in
    // 4 bytes each, as every pair taken off checks two.
    const GONE: u32 = u32::MAX;
    let mut versions: Vec<u32> = groups.iter().map(|g| if g.is_some() { 0 } else { GONE }).collect();
    let current = |versions: &[u32], c: &Candidate| {
        versions[c.a as usize] == c.version_a && versions[c.b as usize] == c.version_b
    };
    let mut heap = BinaryHeap::new();
    // Most pairs on the heap go stale before they come up (their cluster
    // merged again). When the heap has doubled since it last held only
    // current pairs, the stale ones are dropped in one pass: popping them
    // one by one off a heap larger than the caches costs a cache miss per
    // level. This removes no current pair, so the order of merges holds.
    let mut heap_after_pruning = 0;
    let mut scatter = [Scatter::new(n_terms), Scatter::new(n_terms)];
    // A merge's candidates with the dots each side has (reused).
    let mut merged: Vec<(usize, Option<f64>, Option<f64>)> = Vec::new();
    loop {
        let c = match (initial_pairs.peek(), heap.peek()) {
            (Some(i), Some(h)) if h > i => heap.pop(),
            (Some(_), _) => initial_pairs.next(),
            (None, _) => heap.pop(),
        };
        let Some(c) = c else { break };
        if !current(&versions, &c) {
            continue;
        }
        let (a, b) = (c.a as usize, c.b as usize);
        let gb = groups[b].take().expect("group");
        // The merged cluster's candidates and their dots, from both sides'
        // caches; a dot one side lacks is computed with that side's sum.
        let mut candidates;
        let mut dots;
        {
            let ga = groups[a].as_ref().expect("group");
            merged.clear();
            let (mut i, mut j) = (0, 0);
            while i < ga.candidates.len() || j < gb.candidates.len() {
                let next_a = ga.candidates.get(i).copied().unwrap_or(usize::MAX);
                let next_b = gb.candidates.get(j).copied().unwrap_or(usize::MAX);
                let x = next_a.min(next_b);
                let dot_a = (next_a == x).then(|| {
                    i += 1;
                    ga.dots[i - 1]
                });
                let dot_b = (next_b == x).then(|| {
                    j += 1;
                    gb.dots[j - 1]
                });
                if x != a && x != b {
                    merged.push((x, dot_a, dot_b));
                }
            }
            // What follows reads each candidate's group, its sum (when a dot
            // is missing) and its lists, all over memory: asking for them
            // all first lets the cache misses overlap instead of queueing.
            for &(x, _, _) in &merged {
                prefetch_value(&groups[x]);
            }
            for &(x, dot_a, dot_b) in &merged {
                let gx = groups[x].as_ref().expect("candidate group");
                if dot_a.is_none() || dot_b.is_none() {
                    // A dot product reads the whole sum, from the start.
                    prefetch_slice(&gx.sum, 1024);
                }
                prefetch_slice(&gx.candidates, 256);
                prefetch_slice(&gx.dots, 256);
            }
            candidates = Vec::with_capacity(merged.len());
            dots = Vec::with_capacity(merged.len());
            for &(x, dot_a, dot_b) in &merged {
                let gx = groups[x].as_ref().expect("candidate group");
                let dot_a = dot_a.unwrap_or_else(|| scatter[0].dot(&ga.sum, &gx.sum));
                let dot_b = dot_b.unwrap_or_else(|| scatter[1].dot(&gb.sum, &gx.sum));
                candidates.push(x);
                dots.push(dot_a + dot_b);
            }
            scatter[0].unload(&ga.sum);
            scatter[1].unload(&gb.sum);
        }
        let ga = groups[a].as_mut().expect("group");
        ga.sum = sparse_add(&ga.sum, &gb.sum);
        ga.size += gb.size;
        ga.terms += gb.terms;
        ga.days = match (ga.days, gb.days) {
            (Some((lo1, hi1)), Some((lo2, hi2))) => Some((lo1.min(lo2), hi1.max(hi2))),
            (x, None) => x,
            (None, y) => y,
        };
        versions[a] += 1;
        versions[b] = GONE;
        owner[b] = a;
        for (&x, &dot) in candidates.iter().zip(&dots) {
            let gx = groups[x].as_mut().expect("candidate group");
            if let Ok(pos) = gx.candidates.binary_search(&b) {
                gx.candidates.remove(pos);
                gx.dots.remove(pos);
            }
            match gx.candidates.binary_search(&a) {
                Ok(pos) => gx.dots[pos] = dot,
                Err(pos) => {
                    gx.candidates.insert(pos, a);
                    gx.dots.insert(pos, dot);
                }
            }
            let (ga, gx) = (groups[a].as_ref().expect("group"), groups[x].as_ref().expect("group"));
            let s = score(ga, gx, dot);
            if s >= threshold {
                let (lo, hi) = if a < x { (a, x) } else { (x, a) };
                let (version_a, version_b) = (versions[lo], versions[hi]);
                heap.push(Candidate { score: s, a: lo as u32, b: hi as u32, version_a, version_b });
            }
        }
        if heap.len() >= 2 * heap_after_pruning.max(min_pruned) {
            let mut pairs = std::mem::take(&mut heap).into_vec();
            pairs.retain(|c| current(&versions, c));
            heap = BinaryHeap::from(pairs);
            heap_after_pruning = heap.len();
        }
        // Only now: the loop above reads `a`'s size and dates, not its lists.
        let ga = groups[a].as_mut().expect("group");
        ga.candidates = candidates;
        ga.dots = dots;
    }
    // Attachment: group average is cautious with a small cluster next to a
    // large, diverse one (the mean over many loosely related pairs stays
    // low even when the small cluster is clearly on that story). Each small
    // cluster joins the larger candidate whose centroid it fits best, when
    // the centroid cosine (times the date factor) passes the threshold.
    // Decisions are taken on the clusters as the agglomeration left them, so
    // they do not depend on visiting order; a small cluster that joins
    // another small one which itself joins a larger one follows it there.
    // Each cluster's norm once (a large cluster is the candidate of many
    // small ones), and the small clusters' choices in parallel: they read
    // the clusters and change nothing until all are taken.
    let norms: Vec<f64> =
        groups.par_iter().map(|g| g.as_ref().map_or(0.0, |g| sparse_dot(&g.sum, &g.sum).sqrt().max(1e-12))).collect();
    let moves: Vec<(usize, usize)> = groups
        .par_iter()
        .enumerate()
        .filter_map(|(a, ga)| {
            let ga = ga.as_ref()?;
            if ga.size > config.attach_max_size {
                return None;
            }
            let mut best: Option<(f64, usize)> = None;
            for (&b, &dot) in ga.candidates.iter().zip(&ga.dots) {
                let gb = groups[b].as_ref().expect("candidate group");
                if gb.size <= ga.size {
                    continue;
                }
                let fit = dot / (norms[a] * norms[b]) * date_factor(ga, gb);
                if best.is_none_or(|(f, _)| fit > f) {
                    best = Some((fit, b));
                }
            }
            let (fit, b) = best?;
            (fit >= f64::from(config.attach_threshold)).then_some((a, b))
        })
        .collect();
    for (a, b) in moves {
        owner[a] = b;
    }
    // Resolve each item to its final representative.
    (0..n_items)
        .map(|i| {
            let mut r = owner[i];
            while owner[r] != r {
                r = owner[r];
            }
            r
        })
        .collect()
}

#[cfg(test)]
mod tests;

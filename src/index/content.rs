//! Content shards: the undated points cut by what they say.
//!
//! Dated points are cut into shards by publication date; undated points
//! have no order to cut, and may be of a story with any dated point. One
//! shard of all undated points, searched by every point, makes the search
//! quadratic (or one huge sequential graph), so past a size the points are
//! cut by content instead: this module owns [`content_shards`], an inverted
//! file with multiple probes in the manner of Jégou, Douze & Schmid 2011
//! ("Product quantization for nearest neighbor search", the IVF). A
//! spherical k-means (Lloyd's iterations with unit centroids; Dhillon &
//! Modha 2001) over a sample of all the points gives the centroids; the
//! points of each centroid form a *list*, cut again while it holds more
//! than a shard's worth, so that the lists partition the points. A point is
//! searched for in its own list and those of its next-nearest centroids
//! (it *visits* them; a dated point one fewer, as it has its date shard
//! too), so that a pair of close points on either side of a boundary is
//! still compared, an undated point finds its dated neighbours itself, and
//! dated points of one topic further apart than a date shard reaches meet.
//! Main types: [`ContentShard`], [`ContentParams`].
//!
//! Everything here is a pure function of the rows and the parameters: the
//! same on every run and thread count (per-point work in parallel, every
//! sum in a fixed order, ties broken by index). It must not search for
//! neighbours: the shards it plans are searched as dated shards are.

use rayon::prelude::*;

use super::{block_dots, QUERY_BLOCK};

#[cfg(test)]
mod tests;

/// The sizes of the content shards.
#[derive(Clone, Copy, Debug)]
pub(super) struct ContentParams {
    /// The mean number of undated points per list aimed at: there are at
    /// least as many lists as the undated points over this.
    pub target: usize,
    /// The most undated points a list holds: a list with more is cut again
    /// (into lists of about `target` undated points).
    pub max_undated: usize,
    /// The most points a list holds: there are at least as many lists as
    /// all the points over half this, and a list with more is cut again
    /// (into lists of about half this).
    pub max_rows: usize,
    /// The lists each undated point is searched in: its own and the nearest
    /// others; a dated point, which has its date shard too, one fewer.
    pub probes: usize,
}

/// One content shard: the points of one list, and the points of other
/// lists that visit it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ContentShard {
    /// The points of the list (ascending): the shard's rows.
    pub points: Vec<usize>,
    /// The points of other lists searched for here too (ascending).
    pub visitors: Vec<usize>,
}

/// Lloyd's iterations run on the sample: the lists move little after a few.
pub(super) const ITERATIONS: usize = 8;

/// Sample points per centroid for the k-means (the whole input when it is
/// smaller): enough that a centroid is the mean of dozens of points.
const SAMPLE_PER_CENTROID: usize = 64;

/// The content shards of the `undated` and `dated` points (each
/// ascending); `vectors` holds unit rows of `dims`. Returns the shards
/// (their points a partition of all the points, at most
/// `params.max_rows` each and `params.max_undated` of them undated; each
/// undated point a visitor of `probes - 1` shards, each dated one of
/// `probes - 2`, when there are as many) and the number of centroid dot products computed to plan them.
pub(super) fn content_shards(
    vectors: &[f32],
    dims: usize,
    undated: &[usize],
    dated: &[usize],
    params: &ContentParams,
) -> (Vec<ContentShard>, u64) {
    let rows = Rows { vectors, dims };
    let mut dots = 0u64;
    let max_undated = params.max_undated.max(1);
    let target = params.target.clamp(1, max_undated);
    let half_rows = (params.max_rows / 2).max(1);
    let mut is_dated = vec![false; vectors.len() / dims];
    dated.iter().for_each(|&p| is_dated[p] = true);
    // The lists a list of too many points, or of too many undated ones, is
    // cut into.
    let pieces = |list: &[usize]| {
        let n_undated = list.iter().filter(|&&p| !is_dated[p]).count();
        let by_undated = if n_undated > max_undated { n_undated.div_ceil(target) } else { 1 };
        let by_rows = if list.len() > params.max_rows { list.len().div_ceil(half_rows) } else { 1 };
        by_undated.max(by_rows)
    };
    let mut all: Vec<usize> = undated.iter().chain(dated).copied().collect();
    all.sort_unstable();
    let n_lists = undated.len().div_ceil(target).max(all.len().div_ceil(half_rows)).max(1);
    let centroids = rows.kmeans(&sample(&all, n_lists * SAMPLE_PER_CENTROID), n_lists, &mut dots);
    let nearest = rows.ranked(&all, &centroids, 1, &mut dots);
    let lists = group_by(&all, &nearest, n_lists)
        .into_iter()
        .filter(|list| !list.is_empty())
        .flat_map(|list| rows.split(list, &pieces, &mut dots))
        .collect::<Vec<_>>();
    let centroids: Vec<f32> = lists.par_iter().flat_map_iter(|list| rows.mean(list)).collect();
    let mut list_of = vec![usize::MAX; vectors.len() / dims];
    for (l, list) in lists.iter().enumerate() {
        list.iter().for_each(|&p| list_of[p] = l);
    }
    // Each undated point visits the `probes - 1` nearest lists besides its
    // own, each dated point one fewer: its date shard already holds the
    // dated points of its days, the lists mostly add the others.
    let probes = params.probes.max(1);
    let ranked = rows.ranked(&all, &centroids, probes, &mut dots);
    let stride = (ranked.len() / all.len().max(1)).max(1);
    let mut visitors: Vec<Vec<usize>> = vec![Vec::new(); lists.len()];
    for (&p, ranked) in all.iter().zip(ranked.chunks_exact(stride)) {
        let visits = probes - 1 - usize::from(is_dated[p] && probes > 1);
        for &(l, _) in ranked.iter().filter(|&&(l, _)| l != list_of[p]).take(visits) {
            visitors[l].push(p);
        }
    }
    let shards = lists.into_iter().zip(visitors).map(|(points, visitors)| ContentShard { points, visitors }).collect();
    (shards, dots)
}

/// `n` points spread evenly over `points` (all of them if there are fewer).
fn sample(points: &[usize], n: usize) -> Vec<usize> {
    if points.len() <= n {
        return points.to_vec();
    }
    (0..n).map(|i| points[i * points.len() / n]).collect()
}

/// `points` grouped by their list in `of` (one per point, below
/// `n_lists`), each group ascending when `points` is.
fn group_by(points: &[usize], of: &[(usize, f32)], n_lists: usize) -> Vec<Vec<usize>> {
    let mut lists = vec![Vec::new(); n_lists];
    for (&p, &(l, _)) in points.iter().zip(of) {
        lists[l].push(p);
    }
    lists
}

/// The unit rows of the points.
#[derive(Clone, Copy)]
struct Rows<'a> {
    vectors: &'a [f32],
    dims: usize,
}

impl<'a> Rows<'a> {
    fn row(&self, p: usize) -> &'a [f32] {
        &self.vectors[p * self.dims..(p + 1) * self.dims]
    }

    /// `k` unit centroids of the `sample` points by spherical k-means,
    /// started from `k` sample points spread evenly over it.
    fn kmeans(&self, sample: &[usize], k: usize, dots: &mut u64) -> Vec<f32> {
        let k = k.min(sample.len()).max(1);
        let mut centroids: Vec<f32> = (0..k).flat_map(|c| self.row(sample[c * sample.len() / k])).copied().collect();
        for _ in 0..ITERATIONS {
            let nearest = self.ranked(sample, &centroids, 1, dots);
            let members = group_by(sample, &nearest, k);
            let next: Vec<f32> = members
                .par_iter()
                .enumerate()
                .flat_map_iter(|(c, members)| match members.is_empty() {
                    // A centroid no point chose stays where it is.
                    true => centroids[c * self.dims..(c + 1) * self.dims].to_vec(),
                    false => self.mean(members),
                })
                .collect();
            if next == centroids {
                break;
            }
            centroids = next;
        }
        centroids
    }

    /// The unit mean of the rows of `points`, summed in their order.
    fn mean(&self, points: &[usize]) -> Vec<f32> {
        let mut sum = vec![0.0f64; self.dims];
        for &p in points {
            sum.iter_mut().zip(self.row(p)).for_each(|(s, &x)| *s += f64::from(x));
        }
        let norm = sum.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            sum.iter().map(|x| (x / norm) as f32).collect()
        } else {
            // Rows that cancel out: any unit vector serves as their centre.
            let mut unit = vec![0.0f32; self.dims];
            unit[0] = 1.0;
            unit
        }
    }

    /// `list` if `pieces(list)` is at most 1; else cut by k-means into
    /// that many lists, each cut again while `pieces` asks for it.
    fn split(&self, list: Vec<usize>, pieces: &dyn Fn(&[usize]) -> usize, dots: &mut u64) -> Vec<Vec<usize>> {
        let k = pieces(&list);
        if k <= 1 {
            return vec![list];
        }
        let centroids = self.kmeans(&sample(&list, k * SAMPLE_PER_CENTROID), k, dots);
        let nearest = self.ranked(&list, &centroids, 1, dots);
        let parts: Vec<Vec<usize>> = group_by(&list, &nearest, k).into_iter().filter(|l| !l.is_empty()).collect();
        if parts.len() < 2 {
            // Rows k-means cannot tell apart (copies of one vector): cut by
            // position, which is as good as any cut for them.
            return list.chunks(list.len().div_ceil(k)).map(<[usize]>::to_vec).collect();
        }
        parts.into_iter().flat_map(|part| self.split(part, pieces, dots)).collect()
    }

    /// The `probes` nearest `centroids` of each of `points`, as (list,
    /// dot product), best first, ties to the lower list: `probes` entries
    /// per point, or as many as there are centroids if fewer.
    fn ranked(&self, points: &[usize], centroids: &[f32], probes: usize, dots: &mut u64) -> Vec<(usize, f32)> {
        let n_centroids = centroids.len() / self.dims;
        *dots += (points.len() * n_centroids) as u64;
        points
            .par_chunks(16 * QUERY_BLOCK)
            .flat_map_iter(|chunk| {
                let mut sims = vec![0.0f32; QUERY_BLOCK * n_centroids];
                let mut out = Vec::with_capacity(chunk.len() * probes);
                for block in chunk.chunks(QUERY_BLOCK) {
                    let queries: [&[f32]; QUERY_BLOCK] =
                        std::array::from_fn(|q| self.row(block[q.min(block.len() - 1)]));
                    block_dots(&queries, centroids, self.dims, &mut sims);
                    for sims in sims.chunks_exact(n_centroids).take(block.len()) {
                        out.extend(best(sims, probes));
                    }
                }
                out
            })
            .collect()
    }
}

/// The `n` best of `sims` as (position, value): highest first, ties to the
/// lower position.
fn best(sims: &[f32], n: usize) -> Vec<(usize, f32)> {
    let better = |a: (usize, f32), b: (usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)).is_lt();
    let mut top: Vec<(usize, f32)> = Vec::with_capacity(n + 1);
    for (l, &sim) in sims.iter().enumerate() {
        if top.len() == n && !better((l, sim), top[n - 1]) {
            continue;
        }
        let at = top.partition_point(|&x| better(x, (l, sim)));
        top.insert(at, (l, sim));
        top.truncate(n);
    }
    top
}

//! Content shards: the undated points cut by what they say.
//!
//! Dated points are cut into shards by publication date; undated points
//! have no order to cut. One shard of all of them makes their search
//! quadratic (or one huge sequential graph), so past a size they are cut
//! by content instead: this module owns [`content_shards`], an inverted
//! file in the manner of Jégou, Douze & Schmid 2011 ("Product quantization
//! for nearest neighbor search", the IVF with multiple probes). A
//! spherical k-means (Lloyd's iterations with unit centroids; Dhillon &
//! Modha 2001) over a sample of the undated rows gives the centroids;
//! each undated point is the *core* of the list of its nearest centroid,
//! and *context* (the word [`super::ShardPlan`] uses for dated shards) in
//! the lists of its next-nearest ones, so that a pair of close points on
//! either side of a boundary is still compared. Dated points are context
//! in the lists of their nearest centroids: a dated and an undated point
//! are compared from the undated one's side. Main types: [`ContentShard`],
//! [`ContentParams`].
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
    /// The mean core size aimed at: the number of lists is the number of
    /// undated points over this.
    pub target: usize,
    /// The largest core: a larger list is cut again.
    pub max_core: usize,
    /// The most context points a shard holds (those nearest its centroid).
    pub max_context: usize,
    /// The lists each point is in: its own (as core) and the nearest others
    /// (as context) for an undated point; the nearest ones (as context) for
    /// a dated point.
    pub probes: usize,
}

/// One content shard: its points, context first, then core.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ContentShard {
    /// Context points (ascending), then core points (ascending).
    pub points: Vec<usize>,
    /// Where the core starts in `points`.
    pub core_start: usize,
}

/// Lloyd's iterations run on the sample: the lists move little after a few.
pub(super) const ITERATIONS: usize = 8;

/// Sample points per centroid for the k-means (the whole input when it is
/// smaller): enough that a centroid is the mean of dozens of points.
const SAMPLE_PER_CENTROID: usize = 64;

/// The content shards of the `undated` points (ascending, more than
/// `params.max_core` of them or one shard results), with the `dated`
/// points as context; `vectors` holds unit rows of `dims`. Returns the
/// shards (their cores a partition of `undated`) and the number of
/// centroid dot products computed to plan them.
pub(super) fn content_shards(
    vectors: &[f32],
    dims: usize,
    undated: &[usize],
    dated: &[usize],
    params: &ContentParams,
) -> (Vec<ContentShard>, u64) {
    let rows = Rows { vectors, dims };
    let mut dots = 0u64;
    let target = params.target.clamp(1, params.max_core.max(1));
    let n_lists = undated.len().div_ceil(target).max(1);
    let centroids = rows.kmeans(&sample(undated, n_lists * SAMPLE_PER_CENTROID), n_lists, &mut dots);
    let nearest = rows.ranked(undated, &centroids, 1, &mut dots);
    let lists = group_by(undated, &nearest, n_lists)
        .into_iter()
        .filter(|list| !list.is_empty())
        .flat_map(|list| rows.split(list, target, params.max_core, &mut dots))
        .collect::<Vec<_>>();
    let centroids: Vec<f32> = lists.par_iter().flat_map_iter(|list| rows.mean(list)).collect();
    let mut context: Vec<Vec<(usize, f32)>> = vec![Vec::new(); lists.len()];
    let mut list_of = vec![usize::MAX; vectors.len() / dims];
    for (l, list) in lists.iter().enumerate() {
        list.iter().for_each(|&p| list_of[p] = l);
    }
    for (points, dated) in [(undated, false), (dated, true)] {
        // An undated point is context in `probes - 1` lists besides its own
        // (the nearest others), a dated one in the `probes` nearest.
        let wanted = params.probes.max(1) - usize::from(!dated);
        let ranked = rows.ranked(points, &centroids, params.probes.max(1), &mut dots);
        let stride = ranked.len() / points.len().max(1);
        for (&p, ranked) in points.iter().zip(ranked.chunks_exact(stride.max(1))) {
            let others = ranked.iter().filter(|&&(l, _)| dated || l != list_of[p]);
            for &(l, sim) in others.take(wanted) {
                context[l].push((p, sim));
            }
        }
    }
    let shards = lists
        .into_par_iter()
        .zip(context)
        .map(|(core, context)| shard(core, context, params.max_context))
        .collect();
    (shards, dots)
}

/// A shard of `core` with the `context` points (and their similarity to
/// its centroid), at most `max_context` of them, the most similar.
fn shard(core: Vec<usize>, mut context: Vec<(usize, f32)>, max_context: usize) -> ContentShard {
    if context.len() > max_context {
        context.select_nth_unstable_by(max_context, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        context.truncate(max_context);
    }
    let mut points: Vec<usize> = context.into_iter().map(|(p, _)| p).collect();
    points.sort_unstable();
    let core_start = points.len();
    points.extend(core);
    ContentShard { points, core_start }
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

    /// `list` if it has at most `max_core` points; else cut by k-means
    /// into lists of about `target`, each cut again while too large.
    fn split(&self, list: Vec<usize>, target: usize, max_core: usize, dots: &mut u64) -> Vec<Vec<usize>> {
        if list.len() <= max_core {
            return vec![list];
        }
        let k = list.len().div_ceil(target).max(2);
        let centroids = self.kmeans(&sample(&list, k * SAMPLE_PER_CENTROID), k, dots);
        let nearest = self.ranked(&list, &centroids, 1, dots);
        let parts: Vec<Vec<usize>> = group_by(&list, &nearest, k).into_iter().filter(|l| !l.is_empty()).collect();
        if parts.len() < 2 {
            // Rows k-means cannot tell apart (copies of one vector): cut by
            // position, which is as good as any cut for them.
            return list.chunks(target).map(<[usize]>::to_vec).collect();
        }
        parts.into_iter().flat_map(|part| self.split(part, target, max_core, dots)).collect()
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

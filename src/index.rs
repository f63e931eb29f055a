//! Approximate nearest neighbours over dense story vectors.
//!
//! Owns [`NeighbourIndex`]: builds an hnsw_rs graph (Malkov & Yashunin 2018,
//! "Efficient and robust approximate nearest neighbor search using
//! Hierarchical Navigable Small World graphs") over L2-normalised vectors and
//! answers k-nearest-neighbour queries. This is the only module that names
//! hnsw_rs types; it must not score, threshold or cluster.

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

/// HNSW parameters. The symbols follow the paper.
#[derive(Clone, Debug)]
pub struct IndexConfig {
    /// `M`: links per node on each layer. Default: 12.
    pub max_connections: usize,
    /// `efConstruction`: candidate list size while inserting. Default: 40.
    pub ef_construction: usize,
    /// `ef`: candidate list size while searching (at least `k`). Default: 48.
    pub ef_search: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig { max_connections: 12, ef_construction: 40, ef_search: 48 }
    }
}

/// An HNSW graph over row-major dense vectors of one dimension.
pub struct NeighbourIndex<'a> {
    hnsw: Hnsw<'a, f32, UnitDot>,
    vectors: &'a [f32],
    dims: usize,
}

impl<'a> NeighbourIndex<'a> {
    /// Builds the index over `vectors` (row `i` is point `i`; each row
    /// L2-normalised). Insertion is sequential, so the graph is
    /// deterministic.
    pub fn build(vectors: &'a [f32], dims: usize, config: &IndexConfig) -> NeighbourIndex<'a> {
        assert!(dims > 0 && vectors.len() % dims == 0, "vectors must be whole rows of {dims} dimensions");
        let n_points = vectors.len() / dims;
        let max_layer = 16.min(((n_points.max(2) as f32).ln().ceil() as usize).max(1));
        let hnsw = Hnsw::<f32, UnitDot>::new(
            config.max_connections,
            n_points.max(1),
            max_layer,
            config.ef_construction,
            UnitDot,
        );
        // Points go in one by one, in order: with hnsw_rs's seeded layer
        // generator the graph, and so every search, is then the same on
        // every run and for every thread count. (Parallel insertion is
        // faster but builds a different graph each time.) Searches run in
        // parallel below; they only read the graph.
        for (i, row) in vectors.chunks_exact(dims).enumerate() {
            hnsw.insert_slice((row, i));
        }
        let mut hnsw = hnsw;
        hnsw.set_searching_mode(true);
        NeighbourIndex { hnsw, vectors, dims }
    }

    /// The number of points indexed.
    pub fn len(&self) -> usize {
        self.vectors.len() / self.dims
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// The `k` nearest neighbours of every indexed point (itself excluded),
    /// as `(point, similarity)` with similarity = dot product, best first.
    pub fn all_neighbours(&self, k: usize, ef_search: usize) -> Vec<Vec<(usize, f32)>> {
        let ef = ef_search.max(k + 1);
        (0..self.len())
            .into_par_iter()
            .map(|i| {
                let row = &self.vectors[i * self.dims..(i + 1) * self.dims];
                let mut found: Vec<(usize, f32)> = self
                    .hnsw
                    .search(row, k + 1, ef)
                    .into_iter()
                    .filter(|n| n.d_id != i)
                    .map(|n| (n.d_id, 1.0 - n.distance))
                    .collect();
                found.truncate(k);
                found
            })
            .collect()
    }
}

/// Exact k nearest neighbours of the points `queries` by brute force (for
/// measuring the index's recall), best first.
pub fn exact_neighbours(vectors: &[f32], dims: usize, queries: &[usize], k: usize) -> Vec<Vec<(usize, f32)>> {
    let n_points = vectors.len() / dims;
    queries
        .par_iter()
        .map(|&i| {
            let row = &vectors[i * dims..(i + 1) * dims];
            let mut all: Vec<(usize, f32)> = (0..n_points)
                .filter(|&j| j != i)
                .map(|j| {
                    let other = &vectors[j * dims..(j + 1) * dims];
                    (j, dot(row, other))
                })
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
mod tests {
    use super::*;

    /// Seeded random unit vectors with some tight groups.
    fn vectors(n: usize, dims: usize, seed: u64) -> Vec<f32> {
        let mut state = seed;
        let mut next = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        };
        let mut out = Vec::with_capacity(n * dims);
        let mut centre = vec![0.0f32; dims];
        for i in 0..n {
            if i % 5 == 0 {
                centre.iter_mut().for_each(|c| *c = next());
            }
            let mut row: Vec<f32> = centre.iter().map(|c| c + 0.3 * next()).collect();
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            row.iter_mut().for_each(|x| *x /= norm);
            out.extend(row);
        }
        out
    }

    #[test]
    fn recall_against_brute_force() {
        let seed = 7;
        let (n, dims, k) = (2_000, 32, 10);
        let data = vectors(n, dims, seed);
        let index = NeighbourIndex::build(&data, dims, &IndexConfig::default());
        let approx = index.all_neighbours(k, 96);
        let all: Vec<usize> = (0..n).collect();
        let exact = exact_neighbours(&data, dims, &all, k);
        let mut hits = 0;
        for (a, e) in approx.iter().zip(&exact) {
            hits += e.iter().filter(|(j, _)| a.iter().any(|(x, _)| x == j)).count();
        }
        let recall = hits as f64 / (n * k) as f64;
        assert!(recall >= 0.95, "recall@{k} = {recall:.3} (seed {seed})");
        assert!(approx.iter().enumerate().all(|(i, ns)| ns.iter().all(|&(j, _)| j != i)));
    }

    #[test]
    fn tiny_inputs() {
        let data = vec![1.0, 0.0, 0.0, 1.0];
        let index = NeighbourIndex::build(&data, 2, &IndexConfig::default());
        let ns = index.all_neighbours(5, 10);
        assert_eq!(ns[0].len(), 1);
        assert_eq!(ns[0][0].0, 1);
        let single = vec![1.0, 0.0];
        let index = NeighbourIndex::build(&single, 2, &IndexConfig::default());
        assert!(index.all_neighbours(3, 10)[0].is_empty());
    }
}

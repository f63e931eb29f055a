//! LSH banding over MinHash signatures, candidate verification and
//! union-find into near-duplicate groups.

use std::cmp::Ordering;
use std::ops::Range;

use rayon::prelude::*;

use super::{shingle::mix64, Fingerprint, FingerprintConfig};
use crate::union_find::UnionFind;

/// Bucket size above which a band bucket is not expanded into all its pairs.
///
/// Members with identical signatures are linked to the first of them (by
/// input index); if more than `LARGE_BUCKET` distinct signatures remain, each
/// is linked to the one with the smallest signature (a content-based choice,
/// so the groups do not depend on input order) instead of to each other.
/// This keeps the candidate count linear in the bucket size while still
/// uniting exact copies.
pub const LARGE_BUCKET: usize = 64;

/// A verified near-duplicate link between two input documents.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DupLink {
    /// Index of the first document in the input slice; `a < b`.
    pub a: usize,
    /// Index of the second document in the input slice.
    pub b: usize,
    /// The MinHash resemblance estimate of the two, at least the threshold.
    pub resemblance: f32,
}

/// Near-duplicate groups: the connected components of the verified links.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DupGroups {
    /// For each input document, the representative of its group: the smallest
    /// input index in the group (its own index when it has no duplicate).
    pub group_of: Vec<usize>,
    /// The links that passed verification, sorted by `(a, b)`, each pair
    /// once. In buckets larger than [`LARGE_BUCKET`] only star links are
    /// tried, so this is not every pair above the threshold, but the groups
    /// are the same.
    pub links: Vec<DupLink>,
}

impl DupGroups {
    /// The groups with at least two members, each sorted by index, ordered by
    /// representative.
    pub fn groups(&self) -> Vec<Vec<usize>> {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); self.group_of.len()];
        for (i, &g) in self.group_of.iter().enumerate() {
            members[g].push(i);
        }
        members.retain(|m| m.len() >= 2);
        members
    }

    /// Whether two documents are in the same group.
    pub fn same_group(&self, a: usize, b: usize) -> bool {
        self.group_of[a] == self.group_of[b]
    }
}

/// Finds the near-duplicate groups among `fingerprints` (all made with the
/// same configuration): LSH banding proposes candidate pairs, each is kept
/// when its full-signature [`Fingerprint::resemblance`] is at least
/// `config.threshold`, and union-find joins the kept links into groups.
/// Fingerprints of texts without words are never linked.
///
/// The result is deterministic and independent of the thread count; the
/// groups are independent of input order (up to renumbering), and so are the
/// links unless some bucket exceeds [`LARGE_BUCKET`].
///
/// # Panics
/// If `config.bands` or `config.rows` is 0, if a non-empty signature is
/// shorter than `bands × rows`, or if there are more than `u32::MAX`
/// fingerprints.
pub fn near_duplicates(fingerprints: &[Fingerprint], config: &FingerprintConfig) -> DupGroups {
    let n = fingerprints.len();
    assert!(u32::try_from(n).is_ok(), "too many fingerprints");
    let (bands, rows) = (config.bands, config.rows);
    assert!(bands >= 1 && rows >= 1, "bands and rows must be at least 1");
    let live: Vec<u32> = (0..n as u32).filter(|&i| !fingerprints[i as usize].is_empty()).collect();
    for &i in &live {
        assert!(
            fingerprints[i as usize].minhash.len() >= bands * rows,
            "signature of {} values is shorter than bands × rows = {}",
            fingerprints[i as usize].minhash.len(),
            bands * rows
        );
    }

    let candidates = candidates(fingerprints, &live, bands, rows);

    let threshold = config.threshold;
    let links: Vec<DupLink> = candidates
        .par_iter()
        .filter_map(|&(a, b)| {
            let resemblance = fingerprints[a as usize].resemblance(&fingerprints[b as usize]);
            (resemblance >= threshold).then_some(DupLink { a: a as usize, b: b as usize, resemblance })
        })
        .collect();

    let mut sets = UnionFind::new(n);
    for link in &links {
        sets.union(link.a, link.b);
    }
    let group_of = sets.roots();
    DupGroups { group_of, links }
}

/// The LSH band keys of one fingerprint, band after band (none for a text
/// without words): [`near_duplicates`] proposes two documents as a
/// candidate pair when a band's keys are equal. For a caller that groups
/// documents by band key itself, such as a distributed engine.
///
/// # Panics
/// As [`near_duplicates`], if the signature is shorter than `bands × rows`.
pub fn band_keys(fp: &Fingerprint, config: &FingerprintConfig) -> Vec<u64> {
    if fp.is_empty() {
        return Vec::new();
    }
    fp.minhash[..config.bands * config.rows].chunks_exact(config.rows).map(band_key).collect()
}

/// The candidate pairs `(a, b)`, `a < b`, that [`near_duplicates`] takes
/// from one band bucket: `bucket` holds the fingerprints that share the
/// band key, in input order, and the pairs index into it. Every pair of a
/// bucket of at most [`LARGE_BUCKET`], else the links that keep a larger
/// bucket's candidates linear.
pub fn bucket_candidates(bucket: &[Fingerprint]) -> Vec<(usize, usize)> {
    let mut members: Vec<u32> = (0..u32::try_from(bucket.len()).expect("a bucket of at most u32::MAX")).collect();
    let mut out = Vec::new();
    bucket_pairs(bucket, &mut members, &mut out);
    out.into_iter().map(|(a, b)| (a as usize, b as usize)).collect()
}

/// The candidate pairs `(a, b)`, `a < b`, of all bands, sorted, each once.
pub(super) fn candidates(fps: &[Fingerprint], live: &[u32], bands: usize, rows: usize) -> Vec<(u32, u32)> {
    let mut candidates: Vec<(u32, u32)> = Vec::new();
    for first_band in (0..bands).step_by(BAND_BLOCK) {
        let block = first_band..(first_band + BAND_BLOCK).min(bands);
        let columns = band_columns(fps, live, block, rows);
        candidates.par_extend(columns.into_par_iter().flat_map_iter(|keyed| band_candidates(fps, keyed)));
    }
    candidates.par_sort_unstable();
    candidates.dedup();
    candidates
}

/// Bands whose keys [`band_columns`] computes in one pass over the
/// signatures: a signature is read once per block of bands rather than once
/// per band (with 100,000 signatures of 512 bytes, a pass per band missed
/// the cache on nearly every signature), and a block's columns take
/// `BAND_BLOCK × 16` bytes per signature.
const BAND_BLOCK: usize = 6;

/// Live documents per task of [`band_columns`].
const COLUMN_CHUNK: usize = 4096;

/// For each band of `block`, the pairs `(band key, document)` of the `live`
/// documents, in the order of `live`.
fn band_columns(fps: &[Fingerprint], live: &[u32], block: Range<usize>, rows: usize) -> Vec<Vec<(u64, u32)>> {
    let mut columns: Vec<Vec<(u64, u32)>> = block.clone().map(|_| vec![(0, 0); live.len()]).collect();
    let mut parts: Vec<Vec<&mut [(u64, u32)]>> = live.chunks(COLUMN_CHUNK).map(|_| Vec::new()).collect();
    for column in &mut columns {
        for (part, slice) in parts.iter_mut().zip(column.chunks_mut(COLUMN_CHUNK)) {
            part.push(slice);
        }
    }
    let values = block.start * rows..block.end * rows;
    parts.into_par_iter().zip(live.par_chunks(COLUMN_CHUNK)).for_each(|(mut part, docs)| {
        // The block's values of every document first, in a loop that does
        // not wait for one signature before it reads the next (most of them
        // are not in the cache), then the keys.
        let mut gathered: Vec<u32> = Vec::with_capacity(docs.len() * values.len());
        for &i in docs {
            gathered.extend_from_slice(&fps[i as usize].minhash[values.clone()]);
        }
        for ((d, &i), doc_values) in docs.iter().enumerate().zip(gathered.chunks_exact(values.len())) {
            for (column, band_values) in part.iter_mut().zip(doc_values.chunks_exact(rows)) {
                column[d] = (band_key(band_values), i);
            }
        }
    });
    columns
}

/// The candidate pairs `(a, b)`, `a < b`, of one band, given the pairs
/// `(band key, document)` of the live documents in document order:
/// documents whose band keys are equal.
///
/// The pairs are grouped by a counting sort on the high bits of the key
/// (stable, so each group stays in document order) into about one bucket
/// per pair (at most 65,536 buckets); only buckets with several pairs, a
/// few at a time, are sorted.
fn band_candidates(fps: &[Fingerprint], keyed: Vec<(u64, u32)>) -> Vec<(u32, u32)> {
    let bits = keyed.len().next_power_of_two().trailing_zeros().clamp(1, 16);
    let bucket = |key: u64| (key >> (64 - bits)) as usize;
    // Bucket sizes, then where each bucket starts, then (after the pairs
    // are moved) where each ends.
    let mut ends = vec![0u32; 1 << bits];
    for &(key, _) in &keyed {
        ends[bucket(key)] += 1;
    }
    let mut total = 0;
    for slot in &mut ends {
        (*slot, total) = (total, total + *slot);
    }
    let mut grouped = vec![(0u64, 0u32); keyed.len()];
    for &(key, i) in &keyed {
        let slot = &mut ends[bucket(key)];
        grouped[*slot as usize] = (key, i);
        *slot += 1;
    }
    drop(keyed);
    let mut out = Vec::new();
    let mut members = Vec::new();
    let mut start = 0;
    for &end in &ends {
        let range = start..end as usize;
        start = end as usize;
        if range.len() < 2 {
            continue;
        }
        let pairs = &mut grouped[range];
        pairs.sort_unstable();
        for run in pairs.chunk_by(|x, y| x.0 == y.0) {
            if run.len() < 2 {
                continue;
            }
            members.clear();
            members.extend(run.iter().map(|&(_, i)| i));
            bucket_pairs(fps, &mut members, &mut out);
        }
    }
    out
}

/// A 64-bit key for a band's values (distinct bands colliding on a key only
/// cost a rejected candidate).
pub(super) fn band_key(values: &[u32]) -> u64 {
    values.iter().fold(0x2545_F491_4F6C_DD1D, |h, &v| mix64(h ^ u64::from(v)))
}

/// Appends the candidate pairs of one bucket, `members` sorted by index.
pub(super) fn bucket_pairs(fps: &[Fingerprint], members: &mut [u32], out: &mut Vec<(u32, u32)>) {
    if members.len() <= super::LARGE_BUCKET {
        all_pairs(members, out);
        return;
    }
    // Identical signatures: link each to the smallest index among them.
    let by_signature =
        |a: &u32, b: &u32| -> Ordering { fps[*a as usize].minhash.cmp(&fps[*b as usize].minhash).then(a.cmp(b)) };
    members.sort_unstable_by(by_signature);
    let mut reps: Vec<u32> = Vec::new();
    for class in members.chunk_by(|a, b| fps[*a as usize].minhash == fps[*b as usize].minhash) {
        let rep = class[0];
        out.extend(class[1..].iter().map(|&m| (rep, m)));
        reps.push(rep);
    }
    if reps.len() <= super::LARGE_BUCKET {
        reps.sort_unstable();
        all_pairs(&reps, out);
    } else {
        // `reps` is in signature order: the centre is the smallest signature.
        let centre = reps[0];
        out.extend(reps[1..].iter().map(|&m| (centre.min(m), centre.max(m))));
    }
}

fn all_pairs(sorted: &[u32], out: &mut Vec<(u32, u32)>) {
    for (x, &a) in sorted.iter().enumerate() {
        out.extend(sorted[x + 1..].iter().map(|&b| (a, b)));
    }
}

//! The near-duplicate stage: shingling, SimHash, MinHash signatures, LSH
//! banding, and near-duplicate groups with link scores.
//!
//! Owns the definition of "the same article, give or take an edit": two
//! bodies are near-duplicates when the estimated resemblance of their
//! w-word shingle sets reaches [`FingerprintConfig::threshold`]. It turns a
//! text into a compact [`Fingerprint`] ([`fingerprint`], [`fingerprint_all`])
//! and a slice of fingerprints into [`DupGroups`] ([`near_duplicates`]).
//!
//! It must not do any I/O, must not cluster stories (different reports of one
//! event are the `cluster` stage's business; here they must stay apart), and
//! never reads metadata (title, outlet, URL, date): it sees only the text it
//! is given, normally the cleaned body.
//!
//! # Method
//!
//! **Shingles and resemblance** (Broder 1997). A document `D` is reduced to
//! `S(D, w)`, the set of its contiguous `w`-word sequences (*w-shingles*,
//! [`FingerprintConfig::shingle_words`]) over the normalised words of
//! [`crate::text`]. The *resemblance* of `A` and `B` is the Jaccard
//! coefficient `r(A, B) = |S(A) ∩ S(B)| / |S(A) ∪ S(B)|`. Words are those of
//! [`crate::text::words`] after [`crate::text::normalize_word`] (so "US’s"
//! and "US's" are one word), found by an equivalent but faster segmenter for
//! the characters of ordinary news text; each is hashed once with XXH3, and
//! each shingle gets a 64-bit rolling hash of its word hashes (no string is
//! built per shingle).
//!
//! **MinHash** (Broder 1997). For a random permutation `π` of the shingle
//! universe, `Pr[min π(S(A)) = min π(S(B))] = r(A, B)`; `k` independent
//! permutations give an unbiased estimate with standard error
//! `sqrt(r(1-r)/k)`. Computing `k` hashes per shingle is too slow, so:
//!
//! **One permutation hashing** (Li, Owen & Zhang 2012). A single hash
//! permutes the universe; its range is split into `k` equal bins
//! ([`FingerprintConfig::num_hashes`]) by the high 32 bits of the shingle
//! hash, and each bin keeps the minimum of the low 32 bits over the shingles
//! that fall into it. One hash per shingle, `k` values per document.
//!
//! **Optimal densification** (Shrivastava 2017). Short documents leave bins
//! empty. Each empty bin `i` borrows the value of a non-empty bin chosen by a
//! fixed universal hash `h_attempt(i)`, `attempt = 1, 2, …`, until one is
//! non-empty. The probe sequence is the same for every document, which makes
//! `Pr[bin i of A = bin i of B] = r(A, B)` for every bin, with the variance
//! of the densified estimator the paper proves optimal. The estimate is then
//! simply the fraction of equal bins ([`Fingerprint::resemblance`]).
//!
//! **SimHash** (Charikar 2002). A 64-bit sketch `sign(Σ_f w_f · (±1)^{h_f})`
//! for which two documents agree on each bit with probability
//! `1 - θ(u, v)/π`, `θ` the angle between their feature vectors. The
//! features are the **shingle hashes** (weight = occurrences), not single
//! words: over words the sketch would measure topic overlap and put apart
//! little between two reports of one event that share most names, which is
//! exactly what this stage must not call a duplicate. Over shingles the
//! Hamming distance ([`Fingerprint::simhash_distance`]) tracks the same
//! copy-and-edit notion as the MinHash estimate, for callers that want a
//! one-word summary (for example a quick exact-copy test, distance 0).
//!
//! **LSH banding** (the *b* bands × *r* rows scheme of Leskovec, Rajaraman &
//! Ullman, *Mining of Massive Datasets*, ch. 3). The signature is cut into
//! `b` bands of `r` values; two documents become a candidate pair when some
//! band is identical, which happens with probability `1 - (1 - s^r)^b` for
//! resemblance `s`, an S-curve whose steep part sits near `(1/b)^(1/r)`.
//! Every candidate is verified with the full-signature estimate against the
//! threshold; passing pairs are [`DupLink`]s, and union-find over the links
//! gives the groups. Buckets larger than [`LARGE_BUCKET`] (thousands of
//! identical near-empty pages) are linked in a star instead of all pairs, so
//! the candidate count stays linear.
//!
//! Results are deterministic: hashes are fixed (no random seeds), and
//! candidates and links are sorted, so the output does not depend on the
//! number of threads.
//!
//! # References
//!
//! - A. Z. Broder. *On the resemblance and containment of documents*.
//!   Compression and Complexity of Sequences (SEQUENCES '97), IEEE, 1997.
//! - M. S. Charikar. *Similarity estimation techniques from rounding
//!   algorithms*. STOC 2002.
//! - P. Li, A. B. Owen, C.-H. Zhang. *One permutation hashing*. NIPS 2012.
//! - A. Shrivastava. *Optimal densification for fast and accurate minwise
//!   hashing*. ICML 2017.

mod lsh;
mod probe;
mod shingle;

#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use rayon::prelude::*;

pub use lsh::{band_keys, bucket_candidates, near_duplicates, DupGroups, DupLink, LARGE_BUCKET};
pub use probe::{copy_keys, Probe};

/// Parameters of fingerprinting and of near-duplicate linking.
///
/// The defaults are `w = 4` words per shingle, `k = 128` signature values,
/// threshold `0.4`, and `b = 42` bands of `r = 3` rows, chosen for cleaned
/// news bodies of a few hundred words (figures measured on the body of
/// `seeds/000…`, 350 words):
///
/// - A copy with a fraction `e` of its words replaced keeps about `(1-e)^w`
///   of its shingles, so `r ≈ (1-e)^w / (2 - (1-e)^w)`. With `e = 5%` the
///   exact resemblance is 0.66–0.76 at `w = 4` (0.59–0.70 at `w = 5`).
///   Reordered paragraphs only change the `w-1` shingles across each
///   paragraph boundary (`r ≈ 0.92`), and 20% of another site's boilerplate
///   around a copy gives `r ≈ 1/1.2 ≈ 0.84`; all three at once still give
///   `r ≈ 0.54`.
/// - Different reports of one event that share names and stock phrases
///   (the seed bodies "On Monday, the General Commander…" and "On Tuesday,
///   the General Commander…") have `r ≈ 0.02` at `w = 4`, and whole pages of
///   one site with its menus `r ≤ 0.05`. So even 3-word shingles would
///   separate them; single words would not (they measure topic, not copying).
/// - `w = 4` rather than 5: every edit destroys `w` shingles, and with
///   `w = 5` an edited copy sits ~0.07 lower, close enough to the threshold
///   that 0.1% of 5%-edited copies and 5% of edited+reordered+wrapped ones
///   were missed in simulation, against 0% and 0.35% with `w = 4`.
/// - Threshold `0.4`: far above same-topic reports, and well below edited
///   copies given the estimator's standard error `sqrt(r(1-r)/k)` ≈ 0.043 at
///   `r = 0.6`, `k = 128` (a 5%-edited copy is ~6 standard errors above).
///   A text fully contained in one 2.5 times longer also reaches 0.4: a short
///   version of a wire story counts as a near-duplicate of the long one.
/// - `b × r = 42 × 3` (126 of the 128 values; verification uses all 128):
///   the S-curve's threshold `(1/42)^(1/3) ≈ 0.29` sits below `0.4`, so a
///   pair at `r = 0.4` becomes a candidate with probability 0.94, at 0.5 with
///   0.996, at 0.6 with 0.99996, while a pair at `r = 0.05` does with 0.005
///   (and is then rejected by the full-signature check). The even split
///   `32 × 4` would put the S-curve at 0.42, above the threshold, and miss
///   13% of pairs at 0.5.
#[derive(Clone, Debug, PartialEq)]
pub struct FingerprintConfig {
    /// `w`: words per shingle. A text with fewer words has a single shingle
    /// made of all of them. Must be at least 1.
    pub shingle_words: usize,
    /// `k`: MinHash signature length (number of one-permutation bins). The
    /// resemblance estimate has standard error `sqrt(r(1-r)/k)`. Must be at
    /// least 1.
    pub num_hashes: usize,
    /// `b`: LSH bands. `bands × rows` must not exceed `num_hashes`.
    pub bands: usize,
    /// `r`: signature values per band.
    pub rows: usize,
    /// Smallest estimated resemblance (Jaccard coefficient of the shingle
    /// sets) for which two documents are linked as near-duplicates.
    pub threshold: f32,
}

impl Default for FingerprintConfig {
    fn default() -> Self {
        FingerprintConfig::new(4, 128, 0.4)
    }
}

impl FingerprintConfig {
    /// A configuration with the given shingle size, signature length and
    /// threshold, and bands and rows chosen by [`FingerprintConfig::banding`].
    pub fn new(shingle_words: usize, num_hashes: usize, threshold: f32) -> Self {
        let (bands, rows) = Self::banding(num_hashes, threshold);
        FingerprintConfig { shingle_words, num_hashes, bands, rows, threshold }
    }

    /// Chooses `(b, r)` with `b = ⌊k / r⌋` so that the S-curve's threshold
    /// `(1/b)^(1/r)` is the largest one not above `0.85 × threshold` (a bit
    /// below it, so that pairs at the threshold are found with high
    /// probability): `(42, 3)` for `k = 128` and threshold 0.4, `(32, 4)`
    /// for 0.5. Falls back to `r = 1` (every shared bin is a candidate) when
    /// no banding is low enough.
    pub fn banding(num_hashes: usize, threshold: f32) -> (usize, usize) {
        let k = num_hashes.max(1);
        let target = 0.85 * f64::from(threshold);
        let mut best = (k, 1);
        let mut best_t = s_curve_threshold(k, 1);
        for r in 2..=k {
            let b = k / r;
            let t = s_curve_threshold(b, r);
            if t <= target && t > best_t {
                best = (b, r);
                best_t = t;
            }
        }
        best
    }

    /// The resemblance `(1/b)^(1/r)` at which the banding's S-curve is
    /// steepest: pairs well above it are almost surely candidates, pairs
    /// well below almost surely not.
    pub fn lsh_threshold(&self) -> f32 {
        s_curve_threshold(self.bands, self.rows) as f32
    }

    /// The probability `1 - (1 - s^r)^b` that two documents of resemblance
    /// `s` share at least one band and so become a candidate pair.
    pub fn candidate_probability(&self, s: f32) -> f32 {
        let s = f64::from(s.clamp(0.0, 1.0));
        (1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)) as f32
    }
}

fn s_curve_threshold(bands: usize, rows: usize) -> f64 {
    (1.0 / bands.max(1) as f64).powf(1.0 / rows.max(1) as f64)
}

/// The fingerprint of one text: SimHash, MinHash signature and shingle count.
///
/// Fingerprints are only comparable when made with the same
/// [`FingerprintConfig::shingle_words`] and [`FingerprintConfig::num_hashes`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// Charikar's 64-bit SimHash over the shingle hashes, each weighted by its
    /// number of occurrences. 0 for a text without words.
    pub simhash: u64,
    /// The densified one-permutation MinHash signature, `num_hashes` values.
    /// For a text without words every value is `u32::MAX` (and
    /// `n_shingles` is 0).
    pub minhash: Box<[u32]>,
    /// The number of shingle positions in the text, repeats included
    /// (`words - w + 1`, or 1 for a text of fewer than `w` words), saturating.
    pub n_shingles: u32,
}

impl Fingerprint {
    /// A fingerprint known only by its MinHash signature, as the parts of a
    /// distributed run send it to each other: enough for
    /// [`Fingerprint::resemblance`] and [`bucket_candidates`]. Its SimHash
    /// is 0 and it counts as a text with words (one shingle).
    pub fn from_signature(minhash: Box<[u32]>) -> Fingerprint {
        Fingerprint { simhash: 0, minhash, n_shingles: 1 }
    }

    /// Whether the text had no words (and so no shingles).
    pub fn is_empty(&self) -> bool {
        self.n_shingles == 0
    }

    /// The MinHash estimate of the resemblance (Jaccard coefficient of the
    /// shingle sets): the fraction of signature positions that agree, in
    /// `[0, 1]`. A fingerprint of a text without words resembles nothing,
    /// not even another empty one (0.0).
    ///
    /// The standard error is about `sqrt(r(1-r)/k)` when the texts have at
    /// least `k` shingles; texts with only a few shingles fill few bins, so
    /// their estimate is coarser (two 2-shingle pages can only score near
    /// 0, ½ or 1).
    ///
    /// # Panics
    /// If the signatures have different lengths (different `num_hashes`).
    pub fn resemblance(&self, other: &Fingerprint) -> f32 {
        assert_eq!(self.minhash.len(), other.minhash.len(), "fingerprints made with different num_hashes");
        if self.is_empty() || other.is_empty() || self.minhash.is_empty() {
            return 0.0;
        }
        let equal = self.minhash.iter().zip(other.minhash.iter()).filter(|(a, b)| a == b).count();
        equal as f32 / self.minhash.len() as f32
    }

    /// The Hamming distance between the two SimHashes, 0 to 64. Each bit
    /// differs with probability `θ/π`, `θ` the angle between the two
    /// shingle-count vectors.
    pub fn simhash_distance(&self, other: &Fingerprint) -> u32 {
        (self.simhash ^ other.simhash).count_ones()
    }
}

/// Marks an empty one-permutation bin (real values fit in 32 bits).
const EMPTY: u64 = u64::MAX;

/// Fingerprints one text: shingles it, and computes its SimHash and its
/// densified one-permutation MinHash signature in a single pass.
///
/// # Panics
/// If `config.shingle_words` or `config.num_hashes` is 0, or `num_hashes`
/// exceeds `u32::MAX`.
pub fn fingerprint(text: &str, config: &FingerprintConfig) -> Fingerprint {
    let k = config.num_hashes;
    assert!(k >= 1 && u32::try_from(k).is_ok(), "num_hashes must be in 1..=u32::MAX");
    let mut bins = vec![EMPTY; k];
    let mut sim = SimHashAccumulator::new();
    assert!(config.shingle_words >= 1, "shingle_words must be at least 1");
    // The default `k` gets a loop of its own, in which the bin of a shingle
    // is a shift and needs no bounds check.
    let n = shingle::with_word_hashes(text, |words| match <&mut [u64; 128]>::try_from(bins.as_mut_slice()) {
        Ok(bins) => sketch(words, config.shingle_words, bins, &mut sim),
        Err(_) => sketch(words, config.shingle_words, &mut bins, &mut sim),
    });
    let n_shingles = u32::try_from(n).unwrap_or(u32::MAX);
    if n == 0 {
        return Fingerprint { simhash: 0, minhash: vec![u32::MAX; k].into_boxed_slice(), n_shingles: 0 };
    }
    Fingerprint { simhash: sim.finish(n), minhash: densify(&bins), n_shingles }
}

/// Adds the w-shingles of the word hashes `words` (`w = shingle_words`, as
/// [`shingle::for_each_shingle`] makes them) to the one-permutation `bins`
/// and to `sim`, and returns their number.
///
/// The shingles go in runs of twice [`PLANE_MAX`], counted two at a time by
/// [`PairPlanes`] of their own (a local, so in registers) that are then
/// moved to the lanes; the last, partial run goes one shingle at a time
/// (so a headline's few shingles cost no extra move to the lanes).
#[inline(always)]
fn sketch(words: &[u64], shingle_words: usize, bins: &mut [u64], sim: &mut SimHashAccumulator) -> u64 {
    let k = bins.len();
    let w = shingle_words;
    // Without a branch: which shingles lower a bin's minimum is
    // unpredictable, and a mispredicted branch costs more than the store.
    let mut add_to_bin = |h: u64| {
        let bin = &mut bins[bin_of(h, k)];
        *bin = (*bin).min(u64::from(h as u32));
    };
    if words.len() < w {
        if words.is_empty() {
            return 0;
        }
        let h = shingle::short_shingle(words);
        sim.add(h);
        add_to_bin(h);
        return 1;
    }
    let (mut rolling, first) = shingle::Rolling::new(&words[..w]);
    sim.add(first);
    add_to_bin(first);
    let run = 2 * PLANE_MAX as usize;
    for (olds, news) in words[..words.len() - w].chunks(run).zip(words[w..].chunks(run)) {
        if olds.len() < run {
            // The last, partial run (all of a headline's shingles): one at
            // a time into the accumulator's planes, which are moved to the
            // lanes only when full, as pairs would be at every run.
            let mut planes = std::mem::replace(&mut sim.planes, Planes::EMPTY);
            for (&old, &new) in olds.iter().zip(news) {
                let h = rolling.next(old, new);
                if planes.add(h) {
                    sim.lanes.absorb(std::mem::replace(&mut planes, Planes::EMPTY));
                }
                add_to_bin(h);
            }
            sim.planes = planes;
            continue;
        }
        let mut pair = PairPlanes::EMPTY;
        for (old, new) in olds.chunks_exact(2).zip(news.chunks_exact(2)) {
            let h0 = rolling.next(old[0], new[0]);
            add_to_bin(h0);
            let h1 = rolling.next(old[1], new[1]);
            add_to_bin(h1);
            pair.count_bits(h0, h1);
        }
        for planes in pair.split(PLANE_MAX) {
            sim.lanes.absorb(planes);
        }
    }
    (words.len() - w + 1) as u64
}

/// [`fingerprint`] as it was before [`sketch`]: one shingle at a time
/// through [`SimHashAccumulator::add`] and [`bin_of`]. The reference of the
/// tests.
#[cfg(test)]
fn fingerprint_reference(text: &str, config: &FingerprintConfig) -> Fingerprint {
    let k = config.num_hashes;
    let mut bins = vec![EMPTY; k];
    let mut sim = SimHashAccumulator::new();
    let mut n: u64 = 0;
    shingle::for_each_shingle(text, config.shingle_words, |h| {
        n += 1;
        sim.add(h);
        let bin = &mut bins[bin_of(h, k)];
        *bin = (*bin).min(u64::from(h as u32));
    });
    let n_shingles = u32::try_from(n).unwrap_or(u32::MAX);
    if n == 0 {
        return Fingerprint { simhash: 0, minhash: vec![u32::MAX; k].into_boxed_slice(), n_shingles: 0 };
    }
    Fingerprint { simhash: sim.finish(n), minhash: densify_by_probing(&bins), n_shingles }
}

/// Fingerprints many texts in parallel (rayon); the result is in input
/// order and the same whatever the number of threads.
pub fn fingerprint_all<S: AsRef<str> + Sync>(texts: &[S], config: &FingerprintConfig) -> Vec<Fingerprint> {
    texts.par_iter().map(|t| fingerprint(t.as_ref(), config)).collect()
}

/// The hashes of the w-shingles of `text` (`w = shingle_words`) in text
/// order, repeats included: the set `S(D, w)` whose resemblance the
/// signatures estimate. A text of fewer than `w` words has one shingle of
/// all its words; a text without words has none. Useful to compute exact
/// resemblances or containments.
///
/// # Panics
/// If `shingle_words` is 0.
pub fn shingle_hashes(text: &str, shingle_words: usize) -> Vec<u64> {
    let mut out = Vec::new();
    shingle::for_each_shingle(text, shingle_words, |h| out.push(h));
    out
}

/// The one-permutation bin of a shingle hash: the high 32 bits scaled to
/// `[0, k)` (Lemire's multiply-shift range reduction, which keeps the bins
/// contiguous ranges of the permuted universe as Li et al. split it).
#[inline]
fn bin_of(h: u64, k: usize) -> usize {
    (((h >> 32) * k as u64) >> 32) as usize
}

/// Fills the empty bins by Shrivastava's optimal densification: empty bin `i`
/// takes the value of bin `h_attempt(i)`, the first probe (attempt = 1, 2, …)
/// that lands on a bin that was non-empty before densification. At least one
/// bin must be non-empty.
///
/// With `m` non-empty bins of `k` the probes take about `k / m` attempts
/// per empty bin (128 for a one-shingle headline), each a hash. When `m` is
/// small the first attempt of each bin's probes at each bin, from
/// [`first_probes`], picks the same bin in `m` comparisons instead.
fn densify(bins: &[u64]) -> Box<[u32]> {
    let k = bins.len();
    debug_assert!(bins.iter().any(|&v| v != EMPTY));
    let n_filled = bins.iter().filter(|&&v| v != EMPTY).count();
    if n_filled * n_filled < 4 * k {
        if let Some(table) = first_probes(k) {
            return densify_by_table(bins, table);
        }
    }
    densify_by_probing(bins)
}

/// [`densify`] probe by probe.
fn densify_by_probing(bins: &[u64]) -> Box<[u32]> {
    let k = bins.len();
    bins.iter()
        .enumerate()
        .map(|(i, &v)| {
            if v != EMPTY {
                return v as u32;
            }
            let mut attempt: u64 = 1;
            loop {
                let j = densify_probe(i, attempt, k);
                if bins[j] != EMPTY {
                    return bins[j] as u32;
                }
                attempt += 1;
            }
        })
        .collect()
}

/// [`densify`] with the [`first_probes`] table of `bins.len()` bins.
fn densify_by_table(bins: &[u64], table: &[u32]) -> Box<[u32]> {
    let k = bins.len();
    let filled: Vec<usize> = (0..k).filter(|&j| bins[j] != EMPTY).collect();
    bins.iter()
        .zip(table.chunks_exact(k))
        .map(|(&v, first)| {
            if v != EMPTY {
                return v as u32;
            }
            let j = filled.iter().copied().min_by_key(|&j| first[j]).expect("a non-empty bin");
            bins[j] as u32
        })
        .collect()
}

/// The bin `h_attempt(i)` of the densification probes of bin `i`, out of `k`.
#[inline]
fn densify_probe(i: usize, attempt: u64, k: usize) -> usize {
    bin_of(shingle::mix64(DENSIFY_SEED ^ ((i as u64) << 32) ^ attempt), k)
}

/// The largest signature length with a [`first_probes`] table (256 KiB).
const FIRST_PROBES_MAX_K: usize = 256;

/// For `k` up to [`FIRST_PROBES_MAX_K`] bins, the table whose entry
/// `i * k + j` is the first attempt at which the densification probes of
/// bin `i` land on bin `j` ([`densify_probe`]): the non-empty bin an empty
/// bin `i` borrows from is the one with the smallest entry. Built once per
/// `k` (about 700 probes per bin for `k = 128`), on first use.
fn first_probes(k: usize) -> Option<&'static [u32]> {
    static TABLES: [OnceLock<Box<[u32]>>; FIRST_PROBES_MAX_K + 1] = [const { OnceLock::new() }; FIRST_PROBES_MAX_K + 1];
    let table = TABLES.get(k)?.get_or_init(|| {
        let mut table = vec![0u32; k * k];
        for (i, first) in table.chunks_exact_mut(k).enumerate() {
            let mut unseen = k;
            let mut attempt: u32 = 1;
            while unseen > 0 {
                let j = densify_probe(i, u64::from(attempt), k);
                if first[j] == 0 {
                    first[j] = attempt;
                    unseen -= 1;
                }
                attempt = attempt.checked_add(1).expect("the probes of a bin reach every bin");
            }
        }
        table.into_boxed_slice()
    });
    Some(table)
}

/// Fixed seed of the densification probe hash `h_attempt(i)`.
const DENSIFY_SEED: u64 = 0x5851_F42D_4C95_7F2D;

/// `SPREAD[b]` has byte `j` equal to bit `j` of `b`: adding `SPREAD` of each
/// byte of a hash to eight `u64`s counts all 64 bits in eight additions.
static SPREAD: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut j = 0;
        while j < 8 {
            if (b >> j) & 1 == 1 {
                t[b] |= 1 << (8 * j);
            }
            j += 1;
        }
        b += 1;
    }
    t
};

/// Per-bit counts of ones over the shingle hashes, for SimHash.
///
/// Each hash is first added to a bit-sliced 5-bit counter per bit position
/// ([`Planes`]: nine logic operations per hash). Every 31 hashes, before
/// those counters can overflow, they are moved into byte lanes (eight counts
/// per `u64`, by [`SPREAD`] look-ups weighted 1, 2, 4, 8 and 16), and every
/// 248 hashes the byte lanes into the 64 full counts ([`LaneCounts`]). (Five
/// planes rather than three: the move into lanes costs about as much as 25
/// additions, so spreading it over 31 hashes instead of 7 saves more than the
/// longer carry chain costs.) The planes are handed to the lanes by value, so
/// that in the shingle loop they stay in registers.
struct SimHashAccumulator {
    planes: Planes,
    lanes: LaneCounts,
}

/// The bit-sliced counters of [`SimHashAccumulator`]: `bits[0]` holds bit 0
/// of the 64 counts, `bits[1]` bit 1, and so on.
#[derive(Clone, Copy)]
struct Planes {
    bits: [u64; PLANES],
    /// Hashes counted, 0 to `PLANE_MAX`.
    count: u32,
}

/// Two [`Planes`] side by side, counting two hashes at a time: with SSE2
/// (part of every x86-64 processor) in the two 64-bit halves of 128-bit
/// registers, so that the shingle loop counts a pair in nine operations.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct PairPlanes {
    bits: [std::arch::x86_64::__m128i; PLANES],
}

#[cfg(target_arch = "x86_64")]
impl PairPlanes {
    /// No hash counted.
    // SAFETY: `__m128i` is plain data; all zero bytes are the zero vector.
    const EMPTY: PairPlanes = PairPlanes { bits: unsafe { std::mem::zeroed() } };

    /// Counts the bits of `h0` in the first planes and those of `h1` in the
    /// second, as [`Planes::count_bits`] does.
    #[inline(always)]
    fn count_bits(&mut self, h0: u64, h1: u64) {
        use std::arch::x86_64::{_mm_and_si128, _mm_set_epi64x, _mm_xor_si128};
        // SAFETY: SSE2 is always available on x86-64.
        unsafe {
            let h = _mm_set_epi64x(h1 as i64, h0 as i64);
            let [p0, p1, p2, p3, p4] = &mut self.bits;
            let c0 = _mm_and_si128(*p0, h);
            *p0 = _mm_xor_si128(*p0, h);
            let c1 = _mm_and_si128(*p1, c0);
            *p1 = _mm_xor_si128(*p1, c0);
            let c2 = _mm_and_si128(*p2, c1);
            *p2 = _mm_xor_si128(*p2, c1);
            let c3 = _mm_and_si128(*p3, c2);
            *p3 = _mm_xor_si128(*p3, c2);
            *p4 = _mm_xor_si128(*p4, c3);
        }
    }

    /// The two planes, each with `count` hashes counted.
    #[inline(always)]
    fn split(self, count: u32) -> [Planes; 2] {
        use std::arch::x86_64::{_mm_cvtsi128_si64, _mm_unpackhi_epi64};
        // SAFETY: SSE2 is always available on x86-64.
        let half = |v, high: bool| unsafe {
            (if high { _mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v)) } else { _mm_cvtsi128_si64(v) }) as u64
        };
        [false, true].map(|high| Planes { bits: self.bits.map(|v| half(v, high)), count })
    }
}

/// [`PairPlanes`] as two [`Planes`]: the version of other architectures,
/// and the reference of the SSE2 one.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[derive(Clone, Copy)]
struct PairPlanesScalar([Planes; 2]);

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
impl PairPlanesScalar {
    const EMPTY: PairPlanesScalar = PairPlanesScalar([Planes::EMPTY; 2]);

    #[inline(always)]
    fn count_bits(&mut self, h0: u64, h1: u64) {
        self.0[0].count_bits(h0);
        self.0[1].count_bits(h1);
    }

    #[inline(always)]
    fn split(self, count: u32) -> [Planes; 2] {
        self.0.map(|planes| Planes { count, ..planes })
    }
}

#[cfg(not(target_arch = "x86_64"))]
type PairPlanes = PairPlanesScalar;

/// The counts moved out of [`Planes`]: byte lanes, then full counts.
struct LaneCounts {
    lanes: [u64; 8],
    /// Hashes in `lanes`, at most 255 (each lane byte stays below 256).
    in_lanes: u32,
    ones: [u64; 64],
}

/// Bit planes of the [`SimHashAccumulator`] counters.
const PLANES: usize = 5;
/// The largest count the planes hold.
const PLANE_MAX: u32 = (1 << PLANES) - 1;

impl SimHashAccumulator {
    fn new() -> Self {
        SimHashAccumulator { planes: Planes::EMPTY, lanes: LaneCounts { lanes: [0; 8], in_lanes: 0, ones: [0; 64] } }
    }

    #[inline]
    fn add(&mut self, h: u64) {
        if self.planes.add(h) {
            self.lanes.absorb(std::mem::replace(&mut self.planes, Planes::EMPTY));
        }
    }

    /// Bit `i` is set when more than half of the `n` shingles have bit `i`
    /// set, i.e. when `Σ (±1)` over the shingles is positive.
    fn finish(mut self, n: u64) -> u64 {
        self.lanes.absorb(self.planes);
        self.lanes.flush_lanes();
        self.lanes.ones.iter().enumerate().fold(0u64, |acc, (i, &ones)| if 2 * ones > n { acc | (1 << i) } else { acc })
    }
}

impl Planes {
    /// No hash counted.
    const EMPTY: Planes = Planes { bits: [0; PLANES], count: 0 };

    /// Counts the bits of `h`; returns whether the planes are full
    /// ([`PLANE_MAX`] hashes) and must be moved to the lanes.
    #[inline(always)]
    fn add(&mut self, h: u64) -> bool {
        self.count_bits(h);
        self.count += 1;
        self.count == PLANE_MAX
    }

    /// Adds the bits of `h` to the counts, but not to `count`.
    #[inline(always)]
    fn count_bits(&mut self, h: u64) {
        let [p0, p1, p2, p3, p4] = &mut self.bits;
        let c0 = *p0 & h;
        *p0 ^= h;
        let c1 = *p1 & c0;
        *p1 ^= c0;
        let c2 = *p2 & c1;
        *p2 ^= c1;
        let c3 = *p3 & c2;
        *p3 ^= c2;
        *p4 ^= c3;
    }
}

impl LaneCounts {
    /// Adds the counts of `planes` to the byte lanes.
    #[inline(never)]
    fn absorb(&mut self, planes: Planes) {
        let [p0, p1, p2, p3, p4] = planes.bits;
        for (j, lane) in self.lanes.iter_mut().enumerate() {
            let byte = |p: u64| SPREAD[((p >> (8 * j)) & 0xFF) as usize];
            *lane += byte(p0) + 2 * byte(p1) + 4 * byte(p2) + 8 * byte(p3) + 16 * byte(p4);
        }
        self.in_lanes += planes.count;
        if self.in_lanes > 255 - PLANE_MAX {
            self.flush_lanes();
        }
    }

    fn flush_lanes(&mut self) {
        for (j, lane) in self.lanes.iter_mut().enumerate() {
            for bit in 0..8 {
                self.ones[8 * j + bit] += (*lane >> (8 * bit)) & 0xFF;
            }
            *lane = 0;
        }
        self.in_lanes = 0;
    }
}

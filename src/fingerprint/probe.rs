//! Finding, among many stored fingerprints read one at a time, the copies
//! of a few new ones, and the compact form fingerprints are stored in.
//!
//! Owns [`Probe`] (the LSH band keys of a batch's fingerprints, asked about
//! one stored article after another), [`copy_keys`] (the band keys a store
//! keeps of each article) and [`Fingerprint::encode`] /
//! [`Fingerprint::decode`]. A story store streams its active window's
//! copy keys through a probe without holding them, and verifies the few
//! that match with their full fingerprints, so that an `add` keeps only
//! the window's copies of the batch. A probe must find exactly
//! the pairs [`near_duplicates`](super::near_duplicates) would verify over
//! batch and window together: same bands, same keys, same threshold.

use super::{lsh::band_key, Fingerprint, FingerprintConfig};
use crate::hashes::TermMap;

impl Fingerprint {
    /// Appends the fingerprint to `out`: SimHash (8 bytes), shingle count
    /// (4) and the signature (4 a value), little-endian.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.simhash.to_le_bytes());
        out.extend_from_slice(&self.n_shingles.to_le_bytes());
        for v in self.minhash.iter() {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// Reads back what [`Fingerprint::encode`] wrote; `None` when `bytes`
    /// is not of that form.
    pub fn decode(bytes: &[u8]) -> Option<Fingerprint> {
        let simhash = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
        let n_shingles = u32::from_le_bytes(bytes.get(8..12)?.try_into().ok()?);
        let values = bytes.get(12..)?;
        if values.len() % 4 != 0 {
            return None;
        }
        let minhash = values.chunks_exact(4).map(|v| u32::from_le_bytes([v[0], v[1], v[2], v[3]])).collect();
        Some(Fingerprint { simhash, minhash, n_shingles })
    }
}

/// The LSH band keys of a fingerprint as a store keeps them: one 32-bit
/// key a band (the low half of the key
/// [`near_duplicates`](super::near_duplicates) groups by), little-endian.
/// Empty for a text without words, which has no copies.
pub fn copy_keys(fp: &Fingerprint, config: &FingerprintConfig) -> Vec<u8> {
    if fp.is_empty() || fp.minhash.len() < config.bands * config.rows {
        return Vec::new();
    }
    band_keys(fp, config).flat_map(|(_, key)| (key as u32).to_le_bytes()).collect()
}

/// The band keys of some fingerprints (a batch), to find which other
/// fingerprints are copies of one of them.
pub struct Probe<'a> {
    fingerprints: &'a [Fingerprint],
    config: &'a FingerprintConfig,
    /// [`slot`] of `(band, key)` to the fingerprints with that key in that
    /// band.
    keys: TermMap<Vec<u32>>,
}

impl<'a> Probe<'a> {
    /// The probe of `fingerprints` (a text without words has no copies).
    pub fn new(fingerprints: &'a [Fingerprint], config: &'a FingerprintConfig) -> Probe<'a> {
        let mut keys: TermMap<Vec<u32>> = TermMap::default();
        for (i, fp) in fingerprints.iter().enumerate() {
            for (band, key) in copy_keys(fp, config).chunks_exact(4).enumerate() {
                let key = u32::from_le_bytes([key[0], key[1], key[2], key[3]]);
                keys.entry(slot(band, key)).or_default().push(i as u32);
            }
        }
        Probe { fingerprints, config, keys }
    }

    /// Whether stored [`copy_keys`] share a band key with one of the
    /// probe's fingerprints: then the stored fingerprint may be a copy
    /// ([`Probe::has_copy`] decides).
    pub fn may_copy(&self, keys: &[u8]) -> bool {
        keys.chunks_exact(4).enumerate().any(|(band, key)| {
            self.keys.contains_key(&slot(band, u32::from_le_bytes([key[0], key[1], key[2], key[3]])))
        })
    }

    /// Whether `other` is a copy of one of the probe's fingerprints: it
    /// shares a band key with it and their resemblance reaches the
    /// threshold, as [`near_duplicates`](super::near_duplicates) decides.
    /// A signature of another length is no copy.
    pub fn has_copy(&self, other: &Fingerprint) -> bool {
        let keys = copy_keys(other, self.config);
        keys.chunks_exact(4).enumerate().any(|(band, key)| {
            let key = u32::from_le_bytes([key[0], key[1], key[2], key[3]]);
            self.keys.get(&slot(band, key)).is_some_and(|found| {
                found.iter().any(|&i| {
                    let fp = &self.fingerprints[i as usize];
                    fp.minhash.len() == other.minhash.len() && fp.resemblance(other) >= self.config.threshold
                })
            })
        })
    }
}

/// One map key for a band's key.
fn slot(band: usize, key: u32) -> u64 {
    (band as u64) << 32 | u64::from(key)
}

/// `(band, key)` of each band of a signature.
fn band_keys<'f>(fp: &'f Fingerprint, config: &FingerprintConfig) -> impl Iterator<Item = (u32, u64)> + 'f {
    let rows = config.rows;
    fp.minhash.chunks_exact(rows).take(config.bands).enumerate().map(|(band, values)| (band as u32, band_key(values)))
}

//! Hash maps keyed by values that are already well-mixed hashes (xxh3 of
//! a line or a term), and by short strings.
//!
//! Owns [`IdHasher`], which passes a `u64` key through (mixed once), so that
//! maps of term or line hashes do not hash them a second time with SipHash,
//! and [`TermMap`]/[`TermSet`] built on it. It must not be used for keys an
//! adversary chooses freely (no DoS resistance is needed here: keys are
//! xxh3 outputs of the input's own words).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for keys that are already xxh3 hashes: passes them through.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(29) ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by hashes.
pub type TermMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// A set of hashes.
pub type TermSet = HashSet<u64, BuildHasherDefault<IdHasher>>;

/// A map keyed by strings, hashed with xxh3 instead of SipHash.
pub type StrMap<K, V> = HashMap<K, V, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

//! The per-thread cache of line measures: short lines (menus, bylines,
//! sharing links, footers) come back on page after page, and are measured
//! once.
//!
//! Owns `LineCache` and its bounds (`CACHED_LINE_BYTES`, `CACHED_LINES`).
//!
//! Must not: change a result. A hit is confirmed by comparing the text, not
//! only its hash, and the cache keeps only what depends on the text alone
//! (`TextMeasures`), never what depends on the [`CleanConfig`].

use std::collections::hash_map::Entry;

use xxhash_rust::xxh3::xxh3_64;

use super::measure::{measure_text, TextMeasures};
use super::KeyMap;
#[cfg(doc)]
use crate::clean::CleanConfig;

/// Lines of at most this many bytes are measured through the
/// [`LineCache`]: the short lines that repeat across pages (menus, bylines,
/// sharing links, footers) and that the patterns and the date scan read.
/// Longer lines are nearly all prose, which seldom repeats: hashing and
/// storing them would cost more than the few repeats save (on generated
/// pages, 160 bytes takes fewer instructions than 256: the lines between
/// are mostly prose, while repeated footers reach 130 bytes).
pub(super) const CACHED_LINE_BYTES: usize = 160;

/// Most lines a [`LineCache`] holds: when it is full it is emptied. At
/// [`CACHED_LINE_BYTES`] per line at most, it holds a few megabytes.
pub(super) const CACHED_LINES: usize = 16_384;

/// The [`TextMeasures`] of recently measured short lines, keyed by the xxh3
/// of their text (as written, before normalisation), with the text kept to
/// confirm a match. What it holds depends on the line's text alone, so one
/// cache serves every [`CleanConfig`].
#[derive(Default)]
pub(super) struct LineCache {
    /// The entry of each cached line, by the xxh3 of its text.
    pub(super) index: KeyMap<u32>,
    /// The cached lines, in the order they were measured.
    pub(super) entries: Vec<CachedLine>,
    /// The texts of the cached lines, one after another.
    pub(super) texts: Vec<u8>,
}

/// One line of a [`LineCache`].
pub(super) struct CachedLine {
    /// Start of its text in [`LineCache::texts`].
    start: usize,
    /// End of its text there.
    end: usize,
    /// Its measures.
    pub(super) measures: TextMeasures,
}

impl LineCache {
    /// The measures of `t`, from the cache when `t` was measured since it
    /// was last emptied; `buf` is the normalisation buffer of
    /// [`measure_text`].
    pub(super) fn measure(&mut self, t: &str, buf: &mut String) -> TextMeasures {
        if self.entries.len() >= CACHED_LINES {
            self.index.clear();
            self.entries.clear();
            self.texts.clear();
        }
        let hash = xxh3_64(t.as_bytes());
        match self.index.entry(hash) {
            Entry::Occupied(slot) => {
                let cached = &self.entries[*slot.get() as usize];
                if &self.texts[cached.start..cached.end] == t.as_bytes() {
                    cached.measures
                } else {
                    // Another text with the same hash: measured afresh.
                    measure_text(t, buf)
                }
            }
            Entry::Vacant(slot) => {
                let measures = measure_text(t, buf);
                slot.insert(self.entries.len() as u32);
                let start = self.texts.len();
                self.texts.extend_from_slice(t.as_bytes());
                self.entries.push(CachedLine { start, end: self.texts.len(), measures });
                measures
            }
        }
    }
}

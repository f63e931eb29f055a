//! Text lines: a page split into lines, each with the normalised key that
//! template learning counts and the measures the cleaning rules read.
//!
//! Owns the [`Line`] type and the line layer's API for the rest of `clean`:
//! [`split_lines`] (a text into measured lines), [`text_key`] (the key of a
//! free-standing text), [`normalise_into`], [`ends_sentence`] and the spilled
//! form of a line ([`Line::encode`], [`Line::decode`]).
//!
//! | file | responsibility |
//! |------|----------------|
//! | `mod.rs` | [`Line`] and what it answers about itself (text, title-like, anchor, body text); [`text_key`]; `with_padded_block` (the last, short 64-byte block of a text) |
//! | `split.rs` | [`split_lines`]: line feeds found 64 bytes at a time, trimming, list bullets, hard-wrapped lines joined; the thread's scratch buffers |
//! | `measure.rs` | what the text of one line says alone (`TextMeasures`: key, word counts, sentence end, generic and copyright patterns, date) and the prose decision that also reads the [`CleanConfig`](super::CleanConfig) |
//! | `cache.rs` | `LineCache`: per thread, the measures of recently seen short lines |
//! | `normalise.rs` | the normalised key text and word counts of a line (`normalise_counting`, `WordCounts`): the general path, byte by byte, and the choice of a faster one |
//! | `inert.rs` | the fast path for single-spaced lines whose non-ASCII characters are all inert (dashes, quotes, signs) |
//! | `ascii_simd.rs` | the fast path for single-spaced ASCII lines, lower-cased and classified 64 bytes at a time (SSE2; compiled again for AVX and POPCNT) |
//! | `record.rs` | the varint codec of a [`Line`] in a spill record, and of a date |
//! | `tests.rs` | each fast path against a plain reference, the codec round trip |
//!
//! Must not: read the [`CleanConfig`](super::CleanConfig) in anything the
//! `LineCache` keeps (one cache serves every config), do I/O, or decide
//! what is template or body (that is `template` and `page`).

use xxhash_rust::xxh3::xxh3_64;

use crate::article::Date;

mod ascii_simd;
mod cache;
mod inert;
mod measure;
mod normalise;
mod record;
mod split;

#[cfg(test)]
mod tests;

pub(crate) use measure::ends_sentence;
pub(crate) use normalise::normalise_into;
pub(crate) use record::{decode_date, encode_date, MAX_LINE_RECORD, MIN_LINE_RECORD};
pub(crate) use split::split_lines;

/// A map keyed by line hashes.
pub(crate) type KeyMap<V> = crate::hashes::TermMap<V>;

/// One non-empty line of a page (or paragraph of a record).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    /// Byte range of the text (trimmed, bullet removed) in the document buffer.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// xxh3 of the normalised text (whitespace collapsed, case-folded).
    pub key: u64,
    /// Number of white-space separated words.
    pub words: usize,
    /// Words that start with a letter.
    pub alpha: usize,
    /// Words that start with a lower-case letter (or a letter without case).
    pub lower: usize,
    /// Whether the line was a list item ("• ", "- ", "* ").
    pub bullet: bool,
    /// Whether hard-wrapped lines were joined into this one (its text then
    /// holds line feeds).
    pub joined: bool,
    /// Whether the line ends like a sentence (. ! ? …, before closing quotes).
    pub terminal: bool,
    /// Whether the line reads as article prose (see
    /// [`CleanConfig::min_prose_words`](super::CleanConfig::min_prose_words)).
    pub prose: bool,
    /// Whether the line matches a generic boilerplate pattern.
    pub generic: bool,
    /// Whether the line is a copyright line.
    pub copyright: bool,
    /// A date mentioned in a short line.
    pub date: Option<Date>,
    /// Whether the line is only a date (or a relative time like "2 days ago").
    pub lone_date: bool,
}

impl Line {
    /// The text of the line in `buf`.
    #[inline]
    pub fn text<'a>(&self, buf: &'a str) -> &'a str {
        &buf[self.start..self.end]
    }

    /// Share of letter-initial words that start in lower case.
    #[inline]
    pub fn lower_ratio(&self) -> f32 {
        if self.alpha == 0 {
            0.0
        } else {
            self.lower as f32 / self.alpha as f32
        }
    }

    /// A short line in title case without sentence punctuation: a headline
    /// link, a menu entry, a section label.
    #[inline]
    pub fn title_like(&self) -> bool {
        !self.terminal && self.words <= 20 && self.lower_ratio() < 0.34
    }

    /// A line that anchors the body: prose, or a complete short sentence.
    #[inline]
    pub fn anchor(&self) -> bool {
        self.prose || (self.terminal && self.words >= 4 && !self.generic)
    }

    /// Appends the text for the body to `out`: bullets as "• ", joined
    /// wrapped lines on one line.
    pub fn push_body_text(&self, buf: &str, out: &mut String) {
        let t = self.text(buf);
        if self.bullet {
            out.push_str("• ");
        }
        if self.joined {
            let mut first = true;
            for part in t.split('\n') {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                if !first {
                    out.push(' ');
                }
                out.push_str(part);
                first = false;
            }
        } else {
            out.push_str(t);
        }
    }
}

/// The key of a free-standing text (for example a declared headline), the
/// same way line keys are computed.
pub(crate) fn text_key(s: &str) -> u64 {
    let mut buf = String::new();
    let s = s.trim();
    let (_, skip) = split::bullet_prefix(s);
    normalise_into(&s[skip..], &mut buf);
    xxh3_64(buf.as_bytes())
}

/// Calls `f` with `chunk` (at most 64 bytes) as a 64-byte block: the chunk
/// itself when it is whole, else a copy padded with zero bytes (the last
/// chunk of a text).
#[inline(always)]
fn with_padded_block<R>(chunk: &[u8], f: impl FnOnce(&[u8; 64]) -> R) -> R {
    match <&[u8; 64]>::try_from(chunk) {
        Ok(block) => f(block),
        Err(_) => {
            let mut block = [0u8; 64];
            block[..chunk.len()].copy_from_slice(chunk);
            f(&block)
        }
    }
}

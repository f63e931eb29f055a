//! The fast path of line normalisation for the commonest line: words
//! separated by single spaces, ASCII apart from *inert* characters (dashes,
//! curly quotes, bullets, signs) that neither separate nor start words nor
//! change in lower case.
//!
//! Owns `normalise_simple` (which first tries the all-ASCII path of
//! `ascii_simd`), `single_spaced_counts` (word counts from the bit masks of
//! [`text::block_masks`]), `inert` and `fold_inert`.
//!
//! Must not: give a result the general path (`normalise`) would not; when
//! in doubt it answers `None` and leaves the line to the general path.

use super::ascii_simd::{normalise_plain_ascii, PlainAscii};
#[cfg(doc)]
use super::normalise::normalise_counting;
use super::normalise::WordCounts;
use super::with_padded_block;
use crate::text::{self, fold_char};

/// [`normalise_counting`] of the commonest line: ASCII apart from
/// [`inert`] characters, its words separated by single spaces (no other
/// white space, none at either end). Its normalised form is then its lower
/// case with the inert characters folded, its words are what lies between
/// spaces, and the byte counted is usually a word's first
/// ([`single_spaced_counts`]). `None` for any other text.
///
/// An all-ASCII line is lower-cased and counted in one pass
/// ([`normalise_plain_ascii`]).
///
/// Marked `#[inline]` so that it is inlined into [`normalise_counting`],
/// its one caller, even from another codegen unit: it runs for every line.
#[inline]
pub(super) fn normalise_simple(s: &str, buf: &mut String) -> Option<WordCounts> {
    let bytes = s.as_bytes();
    let (Some(&head), Some(&tail)) = (bytes.first(), bytes.last()) else {
        return None;
    };
    if head == b' ' || tail == b' ' {
        return None;
    }
    match normalise_plain_ascii(bytes, buf) {
        PlainAscii::Done(counts) => return Some(counts),
        PlainAscii::Other => return None,
        PlainAscii::NonAscii => {}
    }
    // White space other than a space. (Folds of one `bool` without early
    // exit: the compiler vectorises them.)
    if bytes.iter().fold(false, |acc, &b| acc | (b.wrapping_sub(b'\t') < 5)) {
        return None;
    }
    // In a text that is not all ASCII the back-tick folds to an
    // apostrophe (left to the general path); the other non-ASCII
    // characters must be inert.
    if bytes.iter().fold(false, |acc, &b| acc | (b == b'`')) || !fold_inert(s, buf) {
        return None;
    }
    let counts = single_spaced_counts(bytes)?;
    buf.make_ascii_lowercase();
    Some(counts)
}

/// The [`WordCounts`] of a line without white space other than single
/// spaces inside it, whose letters and digits are ASCII (other non-ASCII
/// characters are not letters or digits); `None` if two spaces meet or one
/// starts it. Every word starts at the first byte or after a space: the
/// starts, and which of them are letters or lower-case letters, are counted
/// 64 bytes at a time with the bit masks of [`text::block_masks`]; only the
/// words that open with another character ("(Wire)", "$5", "—") are scanned
/// for their first letter or digit.
pub(super) fn single_spaced_counts(bytes: &[u8]) -> Option<WordCounts> {
    let mut counts = WordCounts::default();
    // Whether the byte before the block is a space (the first byte starts
    // a word).
    let mut after_space = 1u64;
    for (k, chunk) in bytes.chunks(64).enumerate() {
        let m = with_padded_block(chunk, text::block_masks);
        let valid = if chunk.len() == 64 { u64::MAX } else { (1u64 << chunk.len()) - 1 };
        let starts = ((m.space << 1) | after_space) & valid;
        after_space = m.space >> 63;
        if starts & m.space != 0 {
            return None;
        }
        counts.words += starts.count_ones() as usize;
        counts.alpha += (starts & (m.upper | m.lower)).count_ones() as usize;
        counts.lower += (starts & m.lower).count_ones() as usize;
        counts.add_late_firsts(bytes, 64 * k, starts & !m.alnum);
    }
    Some(counts)
}

/// Whether a non-ASCII character is *inert* in a line: not white space, not
/// a letter or digit, and unchanged by lower-casing after
/// [`fold_char`] (dashes, curly quotes, bullets, ellipses, currency and
/// other signs). A line whose non-ASCII characters are all inert splits into
/// words at its ASCII spaces only, and each word's first letter or digit is
/// ASCII.
#[inline]
pub(super) fn inert(c: char) -> bool {
    match c {
        // The commonest ones: dashes, quotes, bullet, ellipsis, euro sign.
        '\u{2010}'..='\u{2015}' | '\u{2018}'..='\u{201F}' | '\u{2022}' | '\u{2026}' | '\u{20AC}' => true,
        _ => {
            let f = fold_char(c);
            !c.is_whitespace() && !c.is_alphanumeric() && !f.is_whitespace() && {
                let mut lower = f.to_lowercase();
                lower.next() == Some(f) && lower.next().is_none()
            }
        }
    }
}

/// The first byte at or after `i` that is not ASCII, or the length.
#[inline]
fn next_non_ascii(bytes: &[u8], mut i: usize) -> usize {
    // Sixteen bytes at a time, then byte by byte.
    while let Some(chunk) = bytes.get(i..i + 16) {
        if chunk.iter().fold(0u8, |acc, &b| acc | b) >= 0x80 {
            break;
        }
        i += 16;
    }
    bytes[i..].iter().position(|&b| b >= 0x80).map_or(bytes.len(), |p| i + p)
}

/// Writes `s` with its non-ASCII characters typographically folded into
/// `buf` (not yet lower-cased), when they are all [`inert`]; false (and
/// `buf` in any state) otherwise.
#[cold]
pub(super) fn fold_inert(s: &str, buf: &mut String) -> bool {
    buf.clear();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // The ASCII run up to the next non-ASCII character.
        let next = next_non_ascii(bytes, i);
        buf.push_str(&s[i..next]);
        i = next;
        let Some(c) = s[i..].chars().next() else { break };
        if !inert(c) {
            return false;
        }
        buf.push(fold_char(c));
        i += c.len_utf8();
    }
    true
}

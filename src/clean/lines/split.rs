//! A text split into [`Line`]s: line feeds found 64 bytes at a time, each
//! line trimmed and its list bullet taken off, hard-wrapped lines joined,
//! then every line measured.
//!
//! Owns [`split_lines`], the thread's `Scratch` (the vector the lines are
//! gathered in, the normalisation buffer and the `LineCache`),
//! `for_each_line` and `bullet_prefix`.
//!
//! Must not: measure a line itself (that is `measure`, through the cache),
//! or keep anything from one call to the next that could change a result
//! (the scratch vector is cleared, the cache only confirms what it holds).

use super::cache::{LineCache, CACHED_LINE_BYTES};
use super::measure::{ends_sentence, measure_text};
use super::{with_padded_block, Line};
use crate::clean::CleanConfig;

/// Splits a text into non-empty lines, with measures, keys and flags.
///
/// A line that ends mid-sentence (at least 40 bytes, no sentence punctuation)
/// and is directly followed by a line starting in lower case is joined with
/// it: hard-wrapped paragraphs become one line.
///
/// The lines are gathered in a vector of the thread's [`Scratch`] and
/// copied out once, so the result is allocated at its size; short lines are
/// measured through the thread's [`LineCache`].
pub(crate) fn split_lines(text: &str, config: &CleanConfig) -> Vec<Line> {
    SCRATCH.with_borrow_mut(|scratch| {
        let Scratch { lines, buf, cache } = scratch;
        lines.clear();
        // Whether the line before this one was a kept line (not blank): only
        // then can this one continue it.
        let mut prev_nonblank = false;
        for_each_line(text, |offset, line_end| {
            let raw = &text[offset..line_end];
            let (lead, trimmed) = trim(raw);
            if trimmed.is_empty() {
                prev_nonblank = false;
                return;
            }
            let (bullet, skip) = bullet_prefix(trimmed);
            let start = offset + lead + skip;
            let end = offset + lead + trimmed.len();
            if start >= end {
                prev_nonblank = false;
                return;
            }
            if prev_nonblank && !bullet {
                if let Some(last) = lines.last_mut() {
                    if wraps_into(last, text, start, end) {
                        last.end = end;
                        last.joined = true;
                        return;
                    }
                }
            }
            lines.push(unmeasured_line(start, end, bullet));
            prev_nonblank = true;
        });
        for line in lines.iter_mut() {
            let t = &text[line.start..line.end];
            let measures = if t.len() <= CACHED_LINE_BYTES { cache.measure(t, buf) } else { measure_text(t, buf) };
            measures.apply(line, config);
        }
        lines.to_vec()
    })
}

/// Whether the text at `start..end` continues the hard-wrapped line `last`:
/// `last` is no list item, at least 40 bytes long and ends mid-sentence (not
/// even with a colon, which announces something), and the text starts in
/// lower case.
#[inline]
fn wraps_into(last: &Line, text: &str, start: usize, end: usize) -> bool {
    let prev = &text[last.start..last.end];
    let first = text[start..end].chars().next().unwrap_or(' ');
    !last.bullet && prev.len() >= 40 && first.is_lowercase() && !ends_sentence(prev) && !prev.ends_with(':')
}

/// A line at `start..end`, not yet measured.
#[inline]
pub(super) fn unmeasured_line(start: usize, end: usize, bullet: bool) -> Line {
    Line {
        start,
        end,
        key: 0,
        words: 0,
        alpha: 0,
        lower: 0,
        bullet,
        joined: false,
        terminal: false,
        prose: false,
        generic: false,
        copyright: false,
        date: None,
        lone_date: false,
    }
}

/// What [`split_lines`] reuses from one document to the next on a thread.
#[derive(Default)]
struct Scratch {
    /// The lines of the document being split.
    lines: Vec<Line>,
    /// The normalised text of the line being measured.
    buf: String,
    /// The measures of lines seen recently.
    cache: LineCache,
}

thread_local! {
    /// The thread's [`Scratch`].
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Calls `f` with the byte range (start, end) of every line of `text`: the
/// pieces between line feeds, and the piece after the last one (what
/// `text.split('\n')` gives), in order.
///
/// The line feeds are found 64 bytes at a time as a bit mask
/// ([`line_feed_mask`]).
#[inline]
pub(super) fn for_each_line(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    for (k, chunk) in bytes.chunks(64).enumerate() {
        let mut mask = with_padded_block(chunk, line_feed_mask);
        while mask != 0 {
            let line_feed = 64 * k + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            f(line_start, line_feed);
            line_start = line_feed + 1;
        }
    }
    f(line_start, bytes.len());
}

/// The line feeds of a block, bit `i` for byte `i`, compared sixteen bytes
/// at a time with SSE2 (part of x86-64).
#[cfg(target_arch = "x86_64")]
#[inline]
fn line_feed_mask(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    let mut mask = 0u64;
    for q in 0..4 {
        // SAFETY: SSE2 is always available on x86-64; the load reads 16 of
        // the block's 64 bytes (unaligned load).
        let bits = unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * q).cast::<__m128i>());
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8)))
        };
        mask |= u64::from(bits as u16) << (16 * q);
    }
    mask
}

/// The line feeds of a block, bit `i` for byte `i`.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn line_feed_mask(block: &[u8; 64]) -> u64 {
    block.iter().enumerate().fold(0u64, |mask, (i, &b)| mask | (u64::from(b == b'\n') << i))
}

/// `raw` trimmed of white space at both ends, with the length of what was
/// trimmed at its start. Most lines start and end with a visible ASCII
/// character and are returned as they are without decoding a character.
#[inline]
fn trim(raw: &str) -> (usize, &str) {
    match (raw.as_bytes().first(), raw.as_bytes().last()) {
        (Some(head), Some(tail)) if head.is_ascii_graphic() && tail.is_ascii_graphic() => (0, raw),
        _ => (raw.len() - raw.trim_start().len(), raw.trim()),
    }
}

/// Whether a trimmed line starts with a list bullet; returns the number of
/// bytes to skip (bullet and following white space).
pub(super) fn bullet_prefix(s: &str) -> (bool, usize) {
    // Most lines start with an ASCII character that is no bullet.
    if s.as_bytes().first().is_some_and(|&b| b < 0x80 && b != b'-' && b != b'*') {
        return (false, 0);
    }
    let mut chars = s.char_indices();
    let Some((_, c)) = chars.next() else { return (false, 0) };
    let needs_space = matches!(c, '-' | '*');
    if !matches!(c, '•' | '·' | '◦' | '▪' | '‣' | '●' | '■' | '►' | '▸' | '-' | '*') {
        return (false, 0);
    }
    let after = c.len_utf8();
    let rest = &s[after..];
    let trimmed = rest.trim_start();
    if needs_space && (trimmed.len() == rest.len() || trimmed.is_empty()) {
        return (false, 0);
    }
    (true, s.len() - trimmed.len())
}

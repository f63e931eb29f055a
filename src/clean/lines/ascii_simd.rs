//! The fastest path of line normalisation: an all-ASCII line whose words
//! are separated by single spaces, lower-cased and classified 64 bytes at a
//! time with SSE2, its words counted from bit masks.
//!
//! Owns `normalise_plain_ascii` (and its AVX + POPCNT build), `PlainAscii`,
//! `AsciiMasks`, `ascii_block` and its byte-by-byte twin
//! `ascii_block_scalar` (the version on other architectures, and the
//! reference the tests hold the SSE2 one to).
//!
//! Must not: copy a non-ASCII byte into the buffer (the result is made a
//! `String` without a UTF-8 check), or take a line the general path would
//! normalise differently: it stops at the first block with anything else.

#[cfg(doc)]
use super::inert::{normalise_simple, single_spaced_counts};
use super::normalise::WordCounts;
use super::with_padded_block;
#[cfg(target_arch = "x86_64")]
use crate::text;

/// What [`normalise_plain_ascii`] made of a line.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum PlainAscii {
    /// The line is plain ASCII: its lower case is in the buffer, and these
    /// are its word counts.
    Done(WordCounts),
    /// The line holds a non-ASCII byte (and, up to its block, nothing that
    /// rules out [`normalise_simple`]).
    NonAscii,
    /// The line holds white space other than single spaces.
    Other,
}

/// [`normalise_simple`] of an all-ASCII line that does not start or end
/// with a space, 64 bytes at a time: each block is lower-cased into `buf`
/// and classified at once ([`ascii_block`]), and its words are counted from
/// the masks as in [`single_spaced_counts`]. Stops at the first block with
/// a non-ASCII byte, white space other than a space, or two spaces
/// together (leaving `buf` in any state): a block with both a non-ASCII
/// byte and such white space counts as [`PlainAscii::Other`].
///
/// On x86-64 with AVX and POPCNT the same code is compiled for them
/// ([`normalise_plain_ascii_avx`]): three-operand vector instructions, and
/// the words counted with the `popcnt` instruction instead of a dozen
/// others per mask.
///
/// Marked `#[inline]` so that it is inlined into `normalise_simple`, its
/// one caller, even from another codegen unit: it runs for every line.
#[inline]
pub(super) fn normalise_plain_ascii(bytes: &[u8], buf: &mut String) -> PlainAscii {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx") && std::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has AVX and POPCNT, checked just above.
        return unsafe { normalise_plain_ascii_avx(bytes, buf) };
    }
    normalise_plain_ascii_with(bytes, buf, ascii_block)
}

/// [`normalise_plain_ascii`] compiled for AVX and POPCNT. Not for AVX2 with
/// 32-byte blocks: LLVM then takes the bit masks apart byte by byte, four
/// times the instructions.
///
/// # Safety
///
/// The CPU must support AVX and POPCNT.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx,popcnt")]
unsafe fn normalise_plain_ascii_avx(bytes: &[u8], buf: &mut String) -> PlainAscii {
    normalise_plain_ascii_with(bytes, buf, ascii_block)
}

/// The body of [`normalise_plain_ascii`], with the block classifier
/// `classify` ([`ascii_block`], or the scalar version in tests).
#[inline(always)]
pub(super) fn normalise_plain_ascii_with(
    bytes: &[u8],
    buf: &mut String,
    classify: impl Fn(&[u8; 64], &mut [u8; 64]) -> AsciiMasks,
) -> PlainAscii {
    let mut out = std::mem::take(buf).into_bytes();
    out.clear();
    let mut counts = WordCounts::default();
    // Whether the byte before the block is a space (the first byte starts
    // a word).
    let mut after_space = 1u64;
    let mut lowered = [0u8; 64];
    for (k, chunk) in bytes.chunks(64).enumerate() {
        let m = with_padded_block(chunk, |block| classify(block, &mut lowered));
        let valid = if chunk.len() == 64 { u64::MAX } else { (1u64 << chunk.len()) - 1 };
        if m.special != 0 {
            return if chunk.iter().any(|b| (b'\t'..=b'\r').contains(b)) {
                PlainAscii::Other
            } else {
                PlainAscii::NonAscii
            };
        }
        let starts = ((m.space << 1) | after_space) & valid;
        if starts & m.space != 0 {
            return PlainAscii::Other;
        }
        after_space = m.space >> 63;
        out.extend_from_slice(&lowered[..chunk.len()]);
        counts.words += starts.count_ones() as usize;
        counts.alpha += (starts & m.alpha).count_ones() as usize;
        counts.lower += (starts & m.lower).count_ones() as usize;
        // Words that open with another character ("(Wire)", "$5").
        counts.add_late_firsts(bytes, 64 * k, starts & !m.alnum);
    }
    // SAFETY: every byte copied to `out` is ASCII (no block with a byte
    // of `AsciiMasks::special` was copied), so `out` is UTF-8.
    *buf = unsafe { String::from_utf8_unchecked(out) };
    PlainAscii::Done(counts)
}

/// Bit masks of a 64-byte block for [`normalise_plain_ascii`], bit `i` for
/// byte `i` (bytes past the end of the text count as zero bytes, which are
/// in none of the masks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct AsciiMasks {
    /// ASCII letters.
    alpha: u64,
    /// ASCII lower-case letters.
    lower: u64,
    /// ASCII letters and digits.
    alnum: u64,
    /// Spaces (` ` only).
    space: u64,
    /// Non-ASCII bytes, and white space other than a space (tab, line feed,
    /// vertical tab, form feed, carriage return).
    special: u64,
}

/// The [`AsciiMasks`] of a block, its ASCII lower case written to
/// `lowered`, sixteen bytes at a time with SSE2 (part of x86-64).
#[cfg(target_arch = "x86_64")]
#[inline]
pub(super) fn ascii_block(block: &[u8; 64], lowered: &mut [u8; 64]) -> AsciiMasks {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_or_si128, _mm_set1_epi8, _mm_storeu_si128,
    };
    use text::{bytes_in_range, lane_bits};
    let mut m = AsciiMasks::default();
    for q in 0..4 {
        // SAFETY: SSE2 is always available on x86-64; the load reads and
        // the store writes 16 of the blocks' 64 bytes (unaligned).
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * q).cast::<__m128i>());
            let upper = bytes_in_range(v, b'A', 26);
            let lower = bytes_in_range(v, b'a', 26);
            let alpha = _mm_or_si128(upper, lower);
            let lower_case = _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
            _mm_storeu_si128(lowered.as_mut_ptr().add(16 * q).cast::<__m128i>(), lower_case);
            let bits = |x: __m128i| lane_bits(x, q);
            m.alpha |= bits(alpha);
            m.lower |= bits(lower);
            m.alnum |= bits(_mm_or_si128(alpha, bytes_in_range(v, b'0', 10)));
            m.space |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8)));
            // The top bit of a non-ASCII byte, or of a white space match.
            m.special |= bits(_mm_or_si128(v, bytes_in_range(v, b'\t', 5)));
        }
    }
    m
}

/// The [`AsciiMasks`] of a block, its ASCII lower case written to
/// `lowered`, byte by byte: the reference for the SSE2 version, and the
/// version used on other architectures.
#[cfg(any(test, not(target_arch = "x86_64")))]
pub(super) fn ascii_block_scalar(block: &[u8; 64], lowered: &mut [u8; 64]) -> AsciiMasks {
    let mut m = AsciiMasks::default();
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        lowered[i] = b.to_ascii_lowercase();
        let set = |mask: &mut u64, on: bool| *mask |= if on { bit } else { 0 };
        set(&mut m.alpha, b.is_ascii_alphabetic());
        set(&mut m.lower, b.is_ascii_lowercase());
        set(&mut m.alnum, b.is_ascii_alphanumeric());
        set(&mut m.space, b == b' ');
        set(&mut m.special, b >= 0x80 || (b'\t'..=b'\r').contains(&b));
    }
    m
}

/// The [`AsciiMasks`] of a block, its ASCII lower case written to
/// `lowered`.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub(super) fn ascii_block(block: &[u8; 64], lowered: &mut [u8; 64]) -> AsciiMasks {
    ascii_block_scalar(block, lowered)
}

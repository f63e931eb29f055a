//! Fast word segmentation, exactly equal to [`crate::text::words`].
//!
//! unicode-segmentation only takes its fast ASCII path when the *whole*
//! string is ASCII, and news text nearly always has a curly quote or a dash
//! somewhere, which sends it to the general UAX #29 state machine (several
//! times slower than the rest of fingerprinting together). Most characters
//! of such text are ASCII, Latin-1 letters or a handful of typographic signs
//! whose `Word_Break` values are fixed and few, so this module segments them
//! itself with the UAX #29 rules that can apply to them:
//!
//! - letters (ALetter), digits (Numeric) and `_` (ExtendNumLet) join (WB5,
//!   WB8–WB10, WB13a/b);
//! - `.` `'` `‘` `’` (MidNumLetQ) join two letters or two digits, `:`
//!   (MidLetter) two letters, `,` `;` (MidNum) two digits (WB6/7, WB11/12);
//! - everything else breaks (WB999), and a segment is a word when it has a
//!   letter or digit (what `unicode_words` keeps).
//!
//! None of these characters is Extend, Format, ZWJ or WSegSpace, so the
//! rules that look further (WB3c, WB3d, WB4) never apply. Text with any other
//! non-ASCII character is cut into lines (UAX #29 always breaks around a line
//! feed, WB3a/b) and lines into chunks at ASCII white space (a boundary falls
//! between white space and any of the characters above); runs of chunks with
//! other characters go, with the white space before them (to which a
//! leading combining mark would attach, WB4), to [`crate::text::words`].
//! A property test checks the equivalence on random text.
//!
//! The segmenter works on 64-byte windows: bit masks of the window's ASCII
//! letters, digits and `_`, upper-case letters, infixes and non-ASCII bytes
//! (sixteen bytes at a time with SSE2) give each run of ASCII letters and
//! digits in a few bit operations, and only words that meet an infix
//! followed by a letter or digit, or a non-ASCII character, are looked at
//! byte by byte (see `segment`). Property tests
//! compare it with the previous byte-by-byte segmenter and the SSE2 masks
//! with a byte-by-byte reference.

use super as text;

// Character classes (low four bits) and flags.
const SPACE: u16 = 0;
const OTHER: u16 = 1;
const LETTER: u16 = 2;
const DIGIT: u16 = 3;
const UNDER: u16 = 4;
const MID_NUM_LET_Q: u16 = 5;
const MID_LETTER: u16 = 6;
const MID_NUM: u16 = 7;
/// A byte of a non-ASCII character (in the byte table only).
const NON_ASCII: u16 = 8;
const COMPLEX: u16 = 9;
const CLASS: u16 = 0x0F;
/// Apostrophe or non-ASCII: the word needs `normalize_word`.
const NOT_PLAIN: u16 = 0x10;
/// Letter, digit or `_`: joins its neighbours of the same kind.
const CORE: u16 = 0x20;
/// Infix or non-ASCII: a word does not necessarily end here.
const SPECIAL: u16 = 0x40;
/// Letter or digit: a segment with one is a word.
const ALNUM: u16 = 0x80;
/// ASCII upper case: the word needs lower-casing (at least).
const UPPER: u16 = 0x100;

/// Class and flags of each byte; bytes of non-ASCII characters are
/// `NON_ASCII` and are decoded by [`class_at`].
static BYTE_CLASS: [u16; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => SPACE,
            b'a'..=b'z' => LETTER | CORE | ALNUM,
            b'A'..=b'Z' => LETTER | CORE | ALNUM | UPPER,
            b'0'..=b'9' => DIGIT | CORE | ALNUM,
            b'_' => UNDER | CORE,
            b'.' => MID_NUM_LET_Q | SPECIAL,
            b'\'' => MID_NUM_LET_Q | SPECIAL | NOT_PLAIN,
            b':' => MID_LETTER | SPECIAL,
            b',' | b';' => MID_NUM | SPECIAL,
            0x80..=0xFF => NON_ASCII | SPECIAL | NOT_PLAIN,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

/// The class of a non-ASCII character: only characters whose `Word_Break`
/// value the rules above cover exactly are listed (Latin-1 letters are
/// ALetter; the curly single quotes MidNumLet; no-break space, curly double
/// quotes, guillemets, en and em dash, ellipsis, bullet, ©, ®, °, £ and €
/// are Other), the rest is COMPLEX.
#[inline]
fn non_ascii_class(c: u32) -> u16 {
    NOT_PLAIN
        | match c {
            0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0xFF => LETTER | CORE | ALNUM,
            0x2018 | 0x2019 => MID_NUM_LET_Q | SPECIAL,
            0xA0 | 0xA3 | 0xA9 | 0xAB | 0xAE | 0xB0 | 0xBB | 0x2013 | 0x2014 | 0x201C | 0x201D | 0x2022 | 0x2026
            | 0x20AC => OTHER,
            _ => COMPLEX,
        }
}

/// The class (with flags) and UTF-8 length of the character at byte `i`.
#[inline]
fn class_at(bytes: &[u8], i: usize) -> (u16, usize) {
    let t = BYTE_CLASS[bytes[i] as usize];
    if t & CLASS != NON_ASCII {
        return (t, 1);
    }
    class_at_non_ascii(bytes, i)
}

#[inline(never)]
fn class_at_non_ascii(bytes: &[u8], i: usize) -> (u16, usize) {
    let b = bytes[i];
    let cont = |k: usize| u32::from(bytes[i + k] & 0x3F);
    if b < 0xE0 {
        (non_ascii_class((u32::from(b & 0x1F) << 6) | cont(1)), 2)
    } else if b < 0xF0 {
        (non_ascii_class((u32::from(b & 0x0F) << 12) | (cont(1) << 6) | cont(2)), 3)
    } else {
        (NOT_PLAIN | COMPLEX, 4)
    }
}

/// Whether `s` has a character the fast segmenter does not handle.
fn has_complex(s: &str) -> bool {
    if s.is_ascii() {
        return false;
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Thirty-two ASCII bytes at a time.
        if let Some(chunk) = bytes.get(i..i + 32) {
            let word = |k: usize| u64::from_le_bytes(chunk[k..k + 8].try_into().expect("8 bytes"));
            if (word(0) | word(8) | word(16) | word(24)) & 0x8080_8080_8080_8080 == 0 {
                i += 32;
                continue;
            }
        }
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        let (t, len) = class_at_non_ascii(bytes, i);
        if t & CLASS == COMPLEX {
            return true;
        }
        i += len;
    }
    false
}

/// Calls `f(word, plain)` with every word of `text` — exactly the words of
/// [`text::words`], in order, as slices of `text`. `plain` is true when the
/// word is ASCII without upper case or apostrophes, that is when
/// [`text::normalize_word`] returns it unchanged (it may be false for
/// words that normalise to themselves).
pub fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str, bool)) {
    for_each_word_kind(text, |w, kind| f(w, kind == WordKind::Plain));
}

/// What [`text::normalize_word`] does to a word of [`for_each_word_kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordKind {
    /// ASCII without upper case or apostrophes: returned unchanged.
    Plain,
    /// ASCII with upper case but without apostrophes: only lower-cased, as
    /// by `str::to_ascii_lowercase`.
    Upper,
    /// Anything else (which may still normalise to itself).
    Other,
}

/// Like [`for_each_word`], telling the [`WordKind`] of each word.
pub fn for_each_word_kind<'a>(text: &'a str, mut f: impl FnMut(&'a str, WordKind)) {
    if !has_complex(text) {
        segment(text, &mut f);
        return;
    }
    for line in text.split('\n') {
        if has_complex(line) {
            segment_chunks(line, &mut f);
        } else {
            segment(line, &mut f);
        }
    }
}

fn is_space(b: u8) -> bool {
    BYTE_CLASS[b as usize] == SPACE
}

/// Segments a line with COMPLEX characters chunk by chunk (see the module
/// documentation).
#[cold]
fn segment_chunks<'a>(line: &'a str, f: &mut impl FnMut(&'a str, WordKind)) {
    let bytes = line.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    let mut region: Option<usize> = None;
    while i < n {
        let space_start = i;
        while i < n && is_space(bytes[i]) {
            i += 1;
        }
        if i == n {
            break;
        }
        let chunk_start = i;
        while i < n && !is_space(bytes[i]) {
            i += 1;
        }
        let chunk = &line[chunk_start..i];
        if has_complex(chunk) {
            region.get_or_insert(space_start);
        } else {
            if let Some(start) = region.take() {
                text::words(&line[start..space_start]).for_each(|w| f(w, WordKind::Other));
            }
            segment(chunk, f);
        }
    }
    if let Some(start) = region {
        text::words(&line[start..]).for_each(|w| f(w, WordKind::Other));
    }
}

/// Bit masks of one 64-byte block of a text: bit `j` describes byte `j` of
/// the block (bytes past the end of the text count as zero bytes, which are
/// in none of the masks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BlockMasks {
    /// ASCII letters, digits and `_` (the bytes with [`CORE`]).
    pub core: u64,
    /// ASCII letters and digits (the bytes with [`ALNUM`]).
    pub alnum: u64,
    /// ASCII upper-case letters.
    pub upper: u64,
    /// ASCII lower-case letters.
    pub lower: u64,
    /// Bytes of non-ASCII characters.
    pub high: u64,
    /// Spaces (` ` only).
    pub space: u64,
}

/// [`BlockMasks`] of a block, byte by byte: the reference for
/// [`block_masks`], and the version used on other architectures.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn block_masks_scalar(block: &[u8; 64]) -> BlockMasks {
    let mut m = BlockMasks::default();
    for (j, &b) in block.iter().enumerate() {
        let bit = 1u64 << j;
        if b < 0x80 && BYTE_CLASS[usize::from(b)] & CORE != 0 {
            m.core |= bit;
        }
        if b.is_ascii_alphanumeric() {
            m.alnum |= bit;
        }
        if b.is_ascii_uppercase() {
            m.upper |= bit;
        }
        if b.is_ascii_lowercase() {
            m.lower |= bit;
        }
        if b >= 0x80 {
            m.high |= bit;
        }
        if b == b' ' {
            m.space |= bit;
        }
    }
    m
}

/// The lanes of `v` whose byte is in `lo..lo + len`, all ones: shifted so
/// that `lo` becomes -128, they are the ones below `-128 + len` as signed
/// bytes.
///
/// # Safety
/// Needs SSE2, which every x86-64 processor has.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) unsafe fn bytes_in_range(v: std::arch::x86_64::__m128i, lo: u8, len: u8) -> std::arch::x86_64::__m128i {
    use std::arch::x86_64::{_mm_add_epi8, _mm_cmplt_epi8, _mm_set1_epi8};
    let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
    _mm_cmplt_epi8(shifted, _mm_set1_epi8(0x80u8.wrapping_add(len) as i8))
}

/// The top bits of the sixteen lanes of `x` as bits `16 * q ..` of a 64-bit
/// block mask (`q` in `0..4`).
///
/// # Safety
/// Needs SSE2, which every x86-64 processor has.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) unsafe fn lane_bits(x: std::arch::x86_64::__m128i, q: usize) -> u64 {
    u64::from(std::arch::x86_64::_mm_movemask_epi8(x) as u16) << (16 * q)
}

/// [`BlockMasks`] of a block, sixteen bytes at a time with SSE2 (part of
/// every x86-64 processor).
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn block_masks(block: &[u8; 64]) -> BlockMasks {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_or_si128, _mm_set1_epi8};
    let mut m = BlockMasks::default();
    for q in 0..4 {
        // SAFETY: SSE2 is always available on x86-64; the load reads 16 of
        // the block's 64 bytes (unaligned load).
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * q).cast::<__m128i>());
            let upper = bytes_in_range(v, b'A', 26);
            let lower = bytes_in_range(v, b'a', 26);
            let digit = bytes_in_range(v, b'0', 10);
            let under = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8));
            let core = _mm_or_si128(_mm_or_si128(upper, lower), _mm_or_si128(digit, under));
            let bits = |x: __m128i| lane_bits(x, q);
            m.core |= bits(core);
            m.alnum |= bits(_mm_or_si128(_mm_or_si128(upper, lower), digit));
            m.upper |= bits(upper);
            m.lower |= bits(lower);
            m.high |= bits(v);
            m.space |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8)));
        }
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub(crate) fn block_masks(block: &[u8; 64]) -> BlockMasks {
    block_masks_scalar(block)
}

/// Segments text without COMPLEX characters, a 64-byte window at a time.
///
/// The [`WordMasks`] of the window give the candidate word starts (ASCII
/// letters, digits and `_`, and non-ASCII bytes) and, from a start, the end
/// of its run of ASCII letters, digits and `_` in a few bit operations. A word
/// that ends at white space, at punctuation other than the infixes, or at an
/// infix not followed by a letter, digit, `_` or non-ASCII character is
/// complete (and handed on with its kind, Plain or Upper, from the masks);
/// one that ends at another infix or at a non-ASCII character, or starts
/// with a non-ASCII character or `_`, is finished by [`extend_word`], byte by
/// byte. A word that reaches the end of the window is taken again from a
/// window that starts with it (or, 64 bytes long or more, finished by
/// [`extend_word`]). The masks are computed with SSE2 (part of x86-64) or,
/// on other architectures, byte by byte. (An AVX2 version of the masks,
/// selected at run time, was measured slower: the word callback was no
/// longer inlined into the AVX2-enabled loop, which cost more than the
/// two saved loads per window.)
#[inline]
fn segment<'a>(s: &'a str, f: &mut impl FnMut(&'a str, WordKind)) {
    #[cfg(target_arch = "x86_64")]
    segment_with(s, f, word_masks_sse2);
    #[cfg(not(target_arch = "x86_64"))]
    segment_with(s, f, word_masks_scalar);
}

/// [`segment`] with the window masks of `masks`.
#[inline(always)]
fn segment_with<'a>(s: &'a str, f: &mut impl FnMut(&'a str, WordKind), masks: impl Fn(&[u8; 64]) -> WordMasks) {
    let bytes = s.as_bytes();
    let n = bytes.len();
    let mut base = 0;
    while base < n {
        let m = match bytes.get(base..base + 64) {
            Some(window) => masks(window.try_into().expect("64 bytes")),
            None => {
                let mut block = [0u8; 64];
                block[..n - base].copy_from_slice(&bytes[base..]);
                masks(&block)
            }
        };
        // Infixes and non-ASCII characters a word may continue through: those
        // followed by a letter, digit, `_` or non-ASCII character (or by the
        // next window).
        let may_join = (m.infix | m.high) & ((m.core | m.high) >> 1 | 1 << 63);
        // Bytes of the window before `o` are done; `o` is below 64.
        let mut o = 0u32;
        base = loop {
            let candidates = (m.core | m.high) & (u64::MAX << o);
            if candidates == 0 {
                break base + 64;
            }
            let first = candidates.trailing_zeros();
            let start = base + first as usize;
            let (end, flags) = if m.high >> first & 1 != 0 {
                let (t, len) = class_at_non_ascii(bytes, start);
                if t & CORE == 0 {
                    o = first + len as u32;
                    if o >= 64 {
                        break base + o as usize;
                    }
                    continue;
                }
                extend_word(bytes, start, start, 0)
            } else {
                let last = (!m.core >> first).trailing_zeros() + first;
                if last >= 64 && first > 0 {
                    // Take the word again from a window that starts with it.
                    break start;
                }
                let i = base + last as usize;
                if last >= 64 || bytes[start] == b'_' {
                    // Very long, or perhaps without letters or digits.
                    extend_word(bytes, start, start, 0)
                } else {
                    // Upper case from the word's first letter on, before
                    // its end (`last - first` is at least 1).
                    let upper = (m.upper >> first).trailing_zeros() < last - first;
                    let flags = if upper { ALNUM | UPPER } else { ALNUM };
                    // An infix only joins when a letter or digit follows it, so
                    // `, ` and `. ` end the word here as well.
                    if may_join >> last & 1 != 0 {
                        extend_word(bytes, start, i, flags)
                    } else {
                        // The commonest case: an ASCII word that ends at white
                        // space or punctuation, whose kind is known here.
                        debug_assert!(start < i && i <= n && s.is_char_boundary(start) && s.is_char_boundary(i));
                        // SAFETY: `start` is a byte of an ASCII letter or
                        // digit and `i` is the end of the text or follows
                        // one (bytes past the end are in no mask, so
                        // `i <= n`): both are character boundaries of `s`.
                        let word = unsafe { s.get_unchecked(start..i) };
                        f(word, if upper { WordKind::Upper } else { WordKind::Plain });
                        // `last` is below 64.
                        o = last;
                        continue;
                    }
                }
            };
            if flags & ALNUM != 0 {
                f(&s[start..end], word_kind(flags));
            }
            if end - base >= 64 {
                break end;
            }
            o = (end - base) as u32;
        };
    }
}

/// Bit masks of a 64-byte window of text for [`segment`]: bit `j`
/// describes byte `j` (bytes past the end of the text are zero bytes, in
/// none of the masks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct WordMasks {
    /// ASCII letters, digits and `_` (the bytes with [`CORE`]).
    core: u64,
    /// ASCII upper-case letters.
    upper: u64,
    /// Bytes of non-ASCII characters.
    high: u64,
    /// The ASCII infixes `.` `'` `:` `,` `;`.
    infix: u64,
}

/// [`WordMasks`] of a window, byte by byte: the reference of the SIMD
/// versions, and the version used on other architectures.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn word_masks_scalar(block: &[u8; 64]) -> WordMasks {
    let mut m = WordMasks::default();
    for (j, &b) in block.iter().enumerate() {
        let bit = 1u64 << j;
        if BYTE_CLASS[usize::from(b)] & CORE != 0 {
            m.core |= bit;
        }
        if b.is_ascii_uppercase() {
            m.upper |= bit;
        }
        if b >= 0x80 {
            m.high |= bit;
        }
        if matches!(b, b'.' | b'\'' | b':' | b',' | b';') {
            m.infix |= bit;
        }
    }
    m
}

/// [`WordMasks`] of a window, sixteen bytes at a time with SSE2 (part of
/// every x86-64 processor).
#[cfg(target_arch = "x86_64")]
#[inline]
fn word_masks_sse2(block: &[u8; 64]) -> WordMasks {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_or_si128, _mm_set1_epi8};
    let mut m = WordMasks::default();
    for q in 0..4 {
        // SAFETY: SSE2 is always available on x86-64; the load reads 16 of
        // the block's 64 bytes (unaligned load).
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * q).cast::<__m128i>());
            // Letters of either case: `b | 0x20` in `a..=z`.
            let letter = bytes_in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
            let upper = bytes_in_range(v, b'A', 26);
            let digit = bytes_in_range(v, b'0', 10);
            let under = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8));
            let core = _mm_or_si128(letter, _mm_or_si128(digit, under));
            // `b | 2 == b'.'` for `,` and `.` only, `b | 1 == b';'` for `:`
            // and `;` only.
            let comma_dot = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)), _mm_set1_epi8(b'.' as i8));
            let colons = _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)), _mm_set1_epi8(b';' as i8));
            let apostrophe = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\'' as i8));
            let infix = _mm_or_si128(_mm_or_si128(comma_dot, colons), apostrophe);
            let bits = |x: __m128i| lane_bits(x, q);
            m.core |= bits(core);
            m.upper |= bits(upper);
            m.high |= bits(v);
            m.infix |= bits(infix);
        }
    }
    m
}

/// The kind of a word from the flags of its characters.
#[inline]
fn word_kind(flags: u16) -> WordKind {
    if flags & NOT_PLAIN != 0 {
        WordKind::Other
    } else if flags & UPPER != 0 {
        WordKind::Upper
    } else {
        WordKind::Plain
    }
}

/// Finishes the word that starts at `start` from byte `i` on (`flags`: those
/// of its characters before `i`), byte by byte with the rules of the module
/// documentation: returns its end and the flags of all its characters.
#[inline(never)]
fn extend_word(bytes: &[u8], start: usize, mut i: usize, mut flags: u16) -> (usize, u16) {
    let n = bytes.len();
    loop {
        while i < n {
            let t = BYTE_CLASS[bytes[i] as usize];
            if t & CORE == 0 {
                break;
            }
            flags |= t;
            i += 1;
        }
        if i == n || BYTE_CLASS[bytes[i] as usize] & SPECIAL == 0 {
            break;
        }
        let (t, len) = class_at(bytes, i);
        if t & CORE != 0 {
            // A Latin-1 letter.
            flags |= t;
            i += len;
            continue;
        }
        let class = t & CLASS;
        if !matches!(class, MID_NUM_LET_Q | MID_LETTER | MID_NUM) || i + len == n || i == start {
            break;
        }
        // The character before is a letter, digit or `_`; a non-ASCII
        // one can only be a Latin-1 letter.
        let prev_byte = BYTE_CLASS[bytes[i - 1] as usize];
        let prev = if prev_byte & CLASS == NON_ASCII { LETTER } else { prev_byte & CLASS };
        let (t_next, next_len) = class_at(bytes, i + len);
        let next = t_next & CLASS;
        let letters = prev == LETTER && next == LETTER;
        let digits = prev == DIGIT && next == DIGIT;
        let join = match class {
            MID_NUM_LET_Q => letters || digits,
            MID_LETTER => letters,
            _ => digits,
        };
        if !join {
            break;
        }
        flags |= t | t_next;
        i += len + next_len;
    }
    (i, flags)
}

/// Segments text without COMPLEX characters byte by byte: the reference of
/// the property tests. Each word is finished by [`extend_word`], which
/// [`segment`] calls only past a chunk's masks, so the tests hold the
/// masks' word starts and ends to the byte-by-byte rules.
#[cfg(test)]
fn segment_bytewise<'a>(s: &'a str, f: &mut impl FnMut(&'a str, WordKind)) {
    let bytes = s.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        // Find the start of a run of letters, digits and `_`.
        let t = BYTE_CLASS[bytes[i] as usize];
        if t & CORE == 0 {
            if t & CLASS == NON_ASCII {
                let (t, len) = class_at_non_ascii(bytes, i);
                if t & CORE == 0 {
                    i += len;
                    continue;
                }
            } else {
                i += 1;
                continue;
            }
        }
        let start = i;
        let (end, flags) = extend_word(bytes, start, i, 0);
        i = end;
        if flags & ALNUM != 0 {
            f(&s[start..i], word_kind(flags));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Words with their kinds.
    type Words<'a> = Vec<(&'a str, WordKind)>;

    /// The words and kinds of [`segment`] and of [`segment_bytewise`].
    fn both_segmentations(s: &str) -> (Words<'_>, Words<'_>) {
        let (mut fast, mut bytewise) = (Vec::new(), Vec::new());
        segment(s, &mut |w, k| fast.push((w, k)));
        segment_bytewise(s, &mut |w, k| bytewise.push((w, k)));
        (fast, bytewise)
    }

    /// Runs of one kind of character, so that words, infixes and non-ASCII
    /// characters fall on every position of the 64-byte windows.
    fn window_text() -> impl Strategy<Value = String> {
        let run = prop_oneof![
            4 => "[a-z]{1,12}",
            2 => "[A-Z][a-z]{0,8}",
            1 => "[0-9]{1,4}",
            1 => "[a-zA-Z0-9_]{40,150}",
            3 => "[ \n\t]{1,3}",
            2 => "[.,;:'’‘_]",
            1 => "[éÇßÿ]{1,3}",
            1 => "[“”—–…€©\u{a0}\\-!(\"/]",
        ];
        prop::collection::vec(run, 0..150).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn segment_equals_segment_bytewise(s in window_text()) {
            prop_assert!(!has_complex(&s));
            let (fast, bytewise) = both_segmentations(&s);
            prop_assert_eq!(fast, bytewise);
        }

        #[test]
        fn segment_equals_segment_bytewise_at_every_offset(s in window_text(), pad in 0usize..64) {
            let s = format!("{}{s}", "x".repeat(pad));
            prop_assert!(!has_complex(&s));
            let (fast, bytewise) = both_segmentations(&s);
            prop_assert_eq!(fast, bytewise);
        }

        #[test]
        fn block_masks_equal_the_scalar_reference(v in prop::collection::vec(any::<u8>(), 64)) {
            let block: [u8; 64] = v.try_into().unwrap();
            prop_assert_eq!(block_masks(&block), block_masks_scalar(&block));
        }

        #[test]
        fn block_masks_of_text_bytes(s in "[ -~\u{80}-\u{10FF}’—]{64}") {
            let bytes = s.as_bytes();
            let block: [u8; 64] = bytes[..64].try_into().unwrap();
            prop_assert_eq!(block_masks(&block), block_masks_scalar(&block));
        }
    }

    /// The SSE2 [`WordMasks`] of a window equal [`word_masks_scalar`].
    fn assert_word_masks_equal_the_scalar_reference(block: &[u8; 64]) {
        let expected = word_masks_scalar(block);
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(word_masks_sse2(block), expected, "{block:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn word_masks_equal_the_scalar_reference(v in prop::collection::vec(any::<u8>(), 64)) {
            assert_word_masks_equal_the_scalar_reference(&v.try_into().unwrap());
        }

        #[test]
        fn word_masks_of_text_bytes(s in "[ -~\u{80}-\u{10FF}’—]{64}") {
            assert_word_masks_equal_the_scalar_reference(&s.as_bytes()[..64].try_into().unwrap());
        }
    }

    #[test]
    fn word_masks_of_every_byte() {
        for first in (0..256).step_by(64) {
            assert_word_masks_equal_the_scalar_reference(&std::array::from_fn(|j| (first + j) as u8));
        }
    }

    #[test]
    fn segment_scalar_masks_equal_segment_bytewise() {
        let text = "Mr. O’Neill’s 1,000.5 __ _a e.g. café’s x:y “quoted” — É ".repeat(9);
        for start in 0..64 {
            let s = &text[text.char_indices().map(|(i, _)| i).find(|&i| i >= start).unwrap()..];
            let (mut masked, mut bytewise) = (Vec::new(), Vec::new());
            segment_with(s, &mut |w, k| masked.push((w, k)), word_masks_scalar);
            segment_bytewise(s, &mut |w, k| bytewise.push((w, k)));
            assert_eq!(masked, bytewise);
        }
    }

    #[test]
    fn block_masks_of_every_byte() {
        for first in (0..256).step_by(64) {
            let block: [u8; 64] = std::array::from_fn(|j| (first + j) as u8);
            assert_eq!(block_masks(&block), block_masks_scalar(&block));
        }
    }
}

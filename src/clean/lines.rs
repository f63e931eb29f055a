//! Text lines: splitting a page into lines, the normalised line key used for
//! template learning, and the per-line measures the other rules read.

use xxhash_rust::xxh3::xxh3_64;

use super::{date, patterns, CleanConfig};
use crate::article::Date;
use crate::spill::{RecordIn, RecordOut};
use crate::text::{self, fold_char};

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
    /// Whether the line reads as article prose (see [`CleanConfig::min_prose_words`]).
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

/// Most bytes [`Line::encode`] writes: five `usize` varints of up to ten
/// bytes, the flags, the key and a date.
pub(crate) const MAX_LINE_RECORD: usize = 5 * 10 + 1 + 8 + 6;

/// The fewest bytes [`Line::encode`] writes: a byte for each number but the
/// key, the key and the flags.
pub(crate) const MIN_LINE_RECORD: usize = 5 + 8 + 1;

/// A signed number as an unsigned one that is small when the number is
/// near zero: 0, -1, 1, -2, … become 0, 1, 2, 3, ….
#[inline]
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The number [`zigzag`] coded.
#[inline]
fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// [`Line`] flags, one bit each in the spilled form.
const BULLET: u8 = 1;
const JOINED: u8 = 2;
const TERMINAL: u8 = 4;
const PROSE: u8 = 8;
const GENERIC: u8 = 16;
const COPYRIGHT: u8 = 32;
const LONE_DATE: u8 = 64;
const DATED: u8 = 128;

impl Line {
    /// Appends the line to a spill record, in at most [`MAX_LINE_RECORD`]
    /// bytes (usually 15): its start as the distance from `prev_end` (the
    /// end of the line before it, 0 for the first; zigzag-coded, in case
    /// the lines are out of order), its length and word counts as
    /// [`RecordOut::put_varint`], a byte of flags, its key in eight bytes and, when it has one, its date.
    #[inline]
    pub fn encode(&self, prev_end: usize, out: &mut Vec<u8>) {
        out.put_varint(zigzag(self.start as i64 - prev_end as i64));
        out.put_varint_len(self.end - self.start);
        out.put_varint_len(self.words);
        out.put_varint_len(self.alpha);
        out.put_varint_len(self.lower);
        let flags = [
            (self.bullet, BULLET),
            (self.joined, JOINED),
            (self.terminal, TERMINAL),
            (self.prose, PROSE),
            (self.generic, GENERIC),
            (self.copyright, COPYRIGHT),
            (self.lone_date, LONE_DATE),
            (self.date.is_some(), DATED),
        ]
        .iter()
        .fold(0, |acc, &(on, bit)| if on { acc | bit } else { acc });
        out.put_u8(flags);
        out.put_u64(self.key);
        if let Some(date) = self.date {
            encode_date(date, out);
        }
    }

    /// A line written by [`Line::encode`] with the same `prev_end`, which
    /// must lie on character boundaries of `text`.
    #[inline]
    pub fn decode(r: &mut RecordIn<'_>, prev_end: usize, text: &str) -> Option<Line> {
        let start = usize::try_from((prev_end as i64).checked_add(unzigzag(r.varint()?))?).ok()?;
        let end = start.checked_add(r.varint_len()?)?;
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return None;
        }
        let (words, alpha, lower) = (r.varint_len()?, r.varint_len()?, r.varint_len()?);
        let flags = r.u8()?;
        let key = r.u64()?;
        let date = if flags & DATED != 0 { Some(decode_date(r)?) } else { None };
        Some(Line {
            start,
            end,
            key,
            words,
            alpha,
            lower,
            bullet: flags & BULLET != 0,
            joined: flags & JOINED != 0,
            terminal: flags & TERMINAL != 0,
            prose: flags & PROSE != 0,
            generic: flags & GENERIC != 0,
            copyright: flags & COPYRIGHT != 0,
            date,
            lone_date: flags & LONE_DATE != 0,
        })
    }

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

/// Appends a date to a spill record.
pub(crate) fn encode_date(date: Date, out: &mut Vec<u8>) {
    out.put_u32(date.year as u32);
    out.put_u8(date.month);
    out.put_u8(date.day);
}

/// A date written by [`encode_date`]; it must exist.
pub(crate) fn decode_date(r: &mut RecordIn<'_>) -> Option<Date> {
    Date::new(r.u32()? as i32, r.u8()?, r.u8()?)
}

/// Writes the normalised form of `s` into `buf`: typographic folding,
/// lower case, white space collapsed to single spaces, trimmed.
///
/// White space is `char::is_whitespace`, except in an all-ASCII text where it
/// is `u8::is_ascii_whitespace` (so a vertical tab there is kept as a
/// character); typographic folding ([`fold_char`]) applies to non-ASCII texts
/// only.
pub(crate) fn normalise_into(s: &str, buf: &mut String) {
    normalise_counting(s, buf);
}

/// Whether an ASCII byte is white space for `char::is_whitespace`.
#[inline]
const fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// [`BYTE_CLASS`] flag: an ASCII byte that is not white space.
const PLAIN_IN_ASCII: u8 = 1;
/// [`BYTE_CLASS`] flag: [`PLAIN_IN_ASCII`] and not changed by typographic
/// folding (which turns the back-tick into an apostrophe in texts that are
/// not all ASCII).
const PLAIN: u8 = 2;
/// [`BYTE_CLASS`] flag: an ASCII letter or digit.
const ALNUM: u8 = 4;
/// [`BYTE_CLASS`] flag: an ASCII letter.
const ALPHA: u8 = 8;
/// [`BYTE_CLASS`] flag: an ASCII upper-case letter.
const UPPER: u8 = 16;

/// Flags of each byte value, for the plain-ASCII runs of
/// [`normalise_counting`].
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x80 {
        let byte = b as u8;
        if !ascii_space(byte) {
            t[b] |= PLAIN_IN_ASCII;
            if byte != b'`' {
                t[b] |= PLAIN;
            }
        }
        if byte.is_ascii_alphanumeric() {
            t[b] |= ALNUM;
        }
        if byte.is_ascii_alphabetic() {
            t[b] |= ALPHA;
        }
        if byte.is_ascii_uppercase() {
            t[b] |= UPPER;
        }
        b += 1;
    }
    t
};

/// [`normalise_into`], also returning the white-space separated words of `s`
/// (as `str::split_whitespace` gives them) counted as [`WordCounts`].
///
/// One pass over the bytes. Runs of ASCII bytes that are neither white space
/// nor changed by typographic folding (nearly all of a news text) are copied
/// and lower-cased a run at a time; only the other characters are decoded.
fn normalise_counting(s: &str, buf: &mut String) -> WordCounts {
    if let Some(counts) = normalise_simple(s, buf) {
        return counts;
    }
    let mut out = std::mem::take(buf).into_bytes();
    out.clear();
    out.reserve(s.len());
    let ascii = s.is_ascii();
    let bytes = s.as_bytes();
    let mut counts = WordCounts::default();
    // A space is due in `out` before the next character.
    let mut space = false;
    // Inside a word of `split_whitespace`, and whether its first letter or
    // digit is still to be seen.
    let mut in_word = false;
    let mut first = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let mask = if ascii { PLAIN_IN_ASCII } else { PLAIN };
        if BYTE_CLASS[usize::from(b)] & mask != 0 {
            // A run of plain ASCII words separated by single spaces: scanned
            // once for the word counts, then copied and lower-cased in place.
            let start = i;
            if !in_word {
                in_word = true;
                first = true;
                counts.words += 1;
            }
            loop {
                // The word's first letter or digit, usually its first byte.
                while first && i < bytes.len() {
                    let class = BYTE_CLASS[usize::from(bytes[i])];
                    if class & mask == 0 {
                        break;
                    }
                    i += 1;
                    if class & ALNUM != 0 {
                        first = false;
                        counts.add_first(class & ALPHA != 0, class & UPPER == 0);
                    }
                }
                // The rest of the word.
                let rest = &bytes[i..];
                i += rest.iter().position(|&b| BYTE_CLASS[usize::from(b)] & mask == 0).unwrap_or(rest.len());
                if i + 1 < bytes.len() && bytes[i] == b' ' && BYTE_CLASS[usize::from(bytes[i + 1])] & mask != 0 {
                    // One space, then the next word of the run.
                    i += 1;
                    first = true;
                    counts.words += 1;
                    continue;
                }
                break;
            }
            if space {
                out.push(b' ');
                space = false;
            }
            let from = out.len();
            out.extend_from_slice(&bytes[start..i]);
            out[from..].make_ascii_lowercase();
            continue;
        }
        if b < 0x80 {
            i += 1;
            if ascii_space(b) {
                in_word = false;
                // In an all-ASCII text a vertical tab is a character of the
                // key (but still separates words).
                if !(ascii && b == 0x0B) {
                    space = !out.is_empty();
                    continue;
                }
            } else if !in_word {
                // A back-tick in a text that is not all ASCII.
                in_word = true;
                first = true;
                counts.words += 1;
            }
            if space {
                out.push(b' ');
                space = false;
            }
            // `fold_char` changes one ASCII character: the back-tick.
            out.push(if b == b'`' { b'\'' } else { b });
            continue;
        }
        let c = s[i..].chars().next().expect("a character starts here");
        i += c.len_utf8();
        if c.is_whitespace() {
            in_word = false;
            space = !out.is_empty();
            continue;
        }
        if !in_word {
            in_word = true;
            first = true;
            counts.words += 1;
        }
        if first && c.is_alphanumeric() {
            first = false;
            // Scripts without case (Arabic, CJK) count as lower case: their
            // sentences must be able to read as prose.
            counts.add_first(c.is_alphabetic(), !c.is_uppercase());
        }
        if space {
            out.push(b' ');
            space = false;
        }
        let c = fold_char(c);
        let mut utf8 = [0u8; 4];
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase() as u8);
        } else {
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
    *buf = String::from_utf8(out).expect("whole characters were copied");
    counts
}

/// [`normalise_counting`] of the commonest line: ASCII apart from
/// [`inert`] characters, its words separated by single spaces (no other
/// white space, none at either end). Its normalised form is then its lower
/// case with the inert characters folded, its words are what lies between
/// spaces, and the byte counted is usually a word's first
/// ([`single_spaced_counts`]). `None` for any other text.
///
/// An all-ASCII line is lower-cased and counted in one pass
/// ([`normalise_plain_ascii`]).
fn normalise_simple(s: &str, buf: &mut String) -> Option<WordCounts> {
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

/// What [`normalise_plain_ascii`] made of a line.
#[derive(Debug, PartialEq, Eq)]
enum PlainAscii {
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
fn normalise_plain_ascii(bytes: &[u8], buf: &mut String) -> PlainAscii {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx") && std::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has AVX and POPCNT, checked just above.
        return unsafe { normalise_plain_ascii_avx(bytes, buf) };
    }
    normalise_plain_ascii_with(bytes, buf, ascii_block)
}

/// [`normalise_plain_ascii`] compiled for AVX and POPCNT. (Compiled for
/// AVX2 with 32-byte blocks, LLVM took the bit masks apart byte by byte:
/// four times the instructions.)
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx,popcnt")]
unsafe fn normalise_plain_ascii_avx(bytes: &[u8], buf: &mut String) -> PlainAscii {
    normalise_plain_ascii_with(bytes, buf, ascii_block)
}

/// The body of [`normalise_plain_ascii`], with the block classifier
/// `classify` ([`ascii_block`], or the scalar version in tests).
#[inline(always)]
fn normalise_plain_ascii_with(
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
        let m = match <&[u8; 64]>::try_from(chunk) {
            Ok(block) => classify(block, &mut lowered),
            Err(_) => {
                let mut block = [0u8; 64];
                block[..chunk.len()].copy_from_slice(chunk);
                classify(&block, &mut lowered)
            }
        };
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
        let mut late = starts & !m.alnum;
        while late != 0 {
            let j = 64 * k + late.trailing_zeros() as usize;
            late &= late - 1;
            let word = bytes[j..].split(|&b| b == b' ').next().unwrap_or_default();
            if let Some(&c) = word.iter().find(|c| c.is_ascii_alphanumeric()) {
                counts.add_first(c.is_ascii_alphabetic(), !c.is_ascii_uppercase());
            }
        }
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
struct AsciiMasks {
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
fn ascii_block(block: &[u8; 64], lowered: &mut [u8; 64]) -> AsciiMasks {
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
fn ascii_block_scalar(block: &[u8; 64], lowered: &mut [u8; 64]) -> AsciiMasks {
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
fn ascii_block(block: &[u8; 64], lowered: &mut [u8; 64]) -> AsciiMasks {
    ascii_block_scalar(block, lowered)
}

/// The [`WordCounts`] of a line without white space other than single
/// spaces inside it, whose letters and digits are ASCII (other non-ASCII
/// characters are not letters or digits); `None` if two spaces meet or one
/// starts it. Every word starts at the first byte or after a space: the
/// starts, and which of them are letters or lower-case letters, are counted
/// 64 bytes at a time with the bit masks of [`text::block_masks`]; only the
/// words that open with another character ("(Wire)", "$5", "—") are scanned
/// for their first letter or digit.
fn single_spaced_counts(bytes: &[u8]) -> Option<WordCounts> {
    let mut counts = WordCounts::default();
    // Whether the byte before the block is a space (the first byte starts
    // a word).
    let mut after_space = 1u64;
    for (k, chunk) in bytes.chunks(64).enumerate() {
        let m = match <&[u8; 64]>::try_from(chunk) {
            Ok(block) => text::block_masks(block),
            Err(_) => {
                let mut block = [0u8; 64];
                block[..chunk.len()].copy_from_slice(chunk);
                text::block_masks(&block)
            }
        };
        let valid = if chunk.len() == 64 { u64::MAX } else { (1u64 << chunk.len()) - 1 };
        let starts = ((m.space << 1) | after_space) & valid;
        after_space = m.space >> 63;
        if starts & m.space != 0 {
            return None;
        }
        counts.words += starts.count_ones() as usize;
        counts.alpha += (starts & (m.upper | m.lower)).count_ones() as usize;
        counts.lower += (starts & m.lower).count_ones() as usize;
        let mut late = starts & !m.alnum;
        while late != 0 {
            let j = 64 * k + late.trailing_zeros() as usize;
            late &= late - 1;
            let word = bytes[j..].split(|&b| b == b' ').next().unwrap_or_default();
            if let Some(&c) = word.iter().find(|c| c.is_ascii_alphanumeric()) {
                counts.add_first(c.is_ascii_alphabetic(), !c.is_ascii_uppercase());
            }
        }
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
fn inert(c: char) -> bool {
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
fn fold_inert(s: &str, buf: &mut String) -> bool {
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

/// Word measures of a line: how many words, how many start (at their first
/// letter or digit) with a letter, and how many of those with a letter that
/// is not upper case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct WordCounts {
    words: usize,
    alpha: usize,
    lower: usize,
}

impl WordCounts {
    /// Counts the first letter or digit of a word.
    #[inline]
    fn add_first(&mut self, letter: bool, not_upper: bool) {
        if letter {
            self.alpha += 1;
            if not_upper {
                self.lower += 1;
            }
        }
    }
}

/// The key of a free-standing text (for example a declared headline), the
/// same way line keys are computed.
pub(crate) fn text_key(s: &str) -> u64 {
    let mut buf = String::new();
    let s = s.trim();
    let (_, skip) = bullet_prefix(s);
    normalise_into(&s[skip..], &mut buf);
    xxh3_64(buf.as_bytes())
}

/// Whether a trimmed line starts with a list bullet; returns the number of
/// bytes to skip (bullet and following white space).
fn bullet_prefix(s: &str) -> (bool, usize) {
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

/// Whether a text ends like a sentence: `.`, `!`, `?` or `…` (or their
/// Arabic and CJK forms), possibly followed by closing quotes or brackets.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t =
        s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '*'));
    matches!(t.chars().last(), Some('.' | '!' | '?' | '…' | '؟' | '。' | '！' | '？'))
}

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
                    let prev = &text[last.start..last.end];
                    let first = text[start..end].chars().next().unwrap_or(' ');
                    if !last.bullet
                        && prev.len() >= 40
                        && first.is_lowercase()
                        && !ends_sentence(prev)
                        && !prev.ends_with(':')
                    {
                        last.end = end;
                        last.joined = true;
                        return;
                    }
                }
            }
            lines.push(Line {
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
            });
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
fn for_each_line(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    for (k, chunk) in bytes.chunks(64).enumerate() {
        let mut mask = match <&[u8; 64]>::try_from(chunk) {
            Ok(block) => line_feed_mask(block),
            Err(_) => {
                let mut block = [0u8; 64];
                block[..chunk.len()].copy_from_slice(chunk);
                line_feed_mask(&block)
            }
        };
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

/// Lines of at most this many bytes are measured through the
/// [`LineCache`]: the short lines that repeat across pages (menus, bylines,
/// sharing links, footers) and that the patterns and the date scan read.
/// Longer lines are nearly all prose, which seldom repeats: hashing and
/// storing them would cost more than the few repeats save (on generated
/// pages, 160 bytes takes fewer instructions than 256: the lines between
/// are mostly prose, while repeated footers reach 130 bytes).
const CACHED_LINE_BYTES: usize = 160;

/// Most lines a [`LineCache`] holds: when it is full it is emptied. At
/// [`CACHED_LINE_BYTES`] per line at most, it holds a few megabytes.
const CACHED_LINES: usize = 16_384;

/// The [`TextMeasures`] of recently measured short lines, keyed by the xxh3
/// of their text (as written, before normalisation), with the text kept to
/// confirm a match. What it holds depends on the line's text alone, so one
/// cache serves every [`CleanConfig`].
#[derive(Default)]
struct LineCache {
    /// The entry of each cached line, by the xxh3 of its text.
    index: KeyMap<u32>,
    /// The cached lines, in the order they were measured.
    entries: Vec<CachedLine>,
    /// The texts of the cached lines, one after another.
    texts: Vec<u8>,
}

/// One line of a [`LineCache`].
struct CachedLine {
    /// Start of its text in [`LineCache::texts`].
    start: usize,
    /// End of its text there.
    end: usize,
    /// Its measures.
    measures: TextMeasures,
}

impl LineCache {
    /// The measures of `t`, from the cache when `t` was measured since it
    /// was last emptied; `buf` is the normalisation buffer of
    /// [`measure_text`].
    fn measure(&mut self, t: &str, buf: &mut String) -> TextMeasures {
        if self.entries.len() >= CACHED_LINES {
            self.index.clear();
            self.entries.clear();
            self.texts.clear();
        }
        let hash = xxh3_64(t.as_bytes());
        match self.index.entry(hash) {
            std::collections::hash_map::Entry::Occupied(slot) => {
                let cached = &self.entries[*slot.get() as usize];
                if &self.texts[cached.start..cached.end] == t.as_bytes() {
                    cached.measures
                } else {
                    // Another text with the same hash: measured afresh.
                    measure_text(t, buf)
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
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

/// What [`split_lines`] finds in the text of a line alone: every measure,
/// key and flag of a [`Line`] but `prose`, which also depends on the
/// [`CleanConfig`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TextMeasures {
    /// [`Line::key`].
    key: u64,
    /// [`Line::words`], [`Line::alpha`] and [`Line::lower`].
    counts: WordCounts,
    /// [`Line::terminal`].
    terminal: bool,
    /// [`Line::generic`].
    generic: bool,
    /// [`Line::copyright`].
    copyright: bool,
    /// [`Line::date`].
    date: Option<Date>,
    /// [`Line::lone_date`].
    lone_date: bool,
}

impl TextMeasures {
    /// Fills the measures, key and flags of `line`, deciding `prose` with
    /// `config`.
    fn apply(&self, line: &mut Line, config: &CleanConfig) {
        let WordCounts { words, alpha, lower } = self.counts;
        line.key = self.key;
        line.words = words;
        line.alpha = alpha;
        line.lower = lower;
        line.terminal = self.terminal;
        line.generic = self.generic;
        line.copyright = self.copyright;
        line.date = self.date;
        line.lone_date = self.lone_date;
        let ratio = line.lower_ratio();
        let min = config.min_prose_words.max(1);
        line.prose = !self.generic
            && !self.copyright
            && ((words >= min && self.terminal && ratio >= 0.34) || (words >= 2 * min + 4 && ratio >= 0.4));
    }
}

/// Measures the text `t` of a line, normalising it into `buf`.
fn measure_text(t: &str, buf: &mut String) -> TextMeasures {
    // One pass both normalises the line (its key) and counts its words.
    let counts = normalise_counting(t, buf);
    let words = counts.words;
    let mut measures = TextMeasures {
        key: xxh3_64(buf.as_bytes()),
        counts,
        terminal: ends_sentence(t),
        generic: false,
        copyright: false,
        date: None,
        lone_date: false,
    };
    if words <= 25 {
        measures.generic = patterns::is_generic(buf, words) || (words >= 4 && patterns::is_spaced_menu(t));
        measures.copyright = patterns::is_copyright(buf, words);
    }
    // Every date form has a digit; "yesterday", "just now" are two words at most.
    if words <= 12 && (words <= 2 || buf.bytes().any(|b| b.is_ascii_digit())) {
        if let Some(hit) = date::scan(buf) {
            measures.date = hit.date;
            measures.lone_date = hit.lone;
        }
    }
    measures
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The original `normalise_into`, character by character: the
    /// reference the word-by-word version must equal.
    fn normalise_reference(s: &str) -> String {
        let mut buf = String::new();
        if s.is_ascii() {
            let mut space = false;
            for &b in s.as_bytes() {
                if b.is_ascii_whitespace() {
                    space = !buf.is_empty();
                    continue;
                }
                if space {
                    buf.push(' ');
                    space = false;
                }
                buf.push(char::from(b.to_ascii_lowercase()));
            }
            return buf;
        }
        let mut space = false;
        for c in s.chars() {
            if c.is_whitespace() {
                space = !buf.is_empty();
                continue;
            }
            if space {
                buf.push(' ');
                space = false;
            }
            let c = fold_char(c);
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        }
        buf
    }

    /// The original word measures of `measure`.
    fn counts_reference(t: &str) -> WordCounts {
        let (mut words, mut alpha, mut lower) = (0usize, 0usize, 0usize);
        for w in t.split_whitespace() {
            words += 1;
            if let Some(c) = w.chars().find(|c| c.is_alphanumeric()) {
                if c.is_alphabetic() {
                    alpha += 1;
                    if !c.is_uppercase() {
                        lower += 1;
                    }
                }
            }
        }
        WordCounts { words, alpha, lower }
    }

    /// Text made of pieces that exercise every path: ASCII words with
    /// capitals, digits and back-ticks, every ASCII white space (vertical
    /// tab and the separators U+001C..U+001F included), Unicode spaces,
    /// curly quotes, dashes, accented and caseless letters, and letters
    /// whose lower case is longer.
    #[rustfmt::skip]
    fn piece_text(max: usize) -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "Word", "word", "WORD", "x", "42", "3.5", "_", "`tick`", "a`b", " ", "  ", "\t", "\u{0B}", "\u{0C}", "\r",
            "\n", "\u{1C}", "\u{1F}", "\u{85}", "\u{A0}", "\u{2007}", "\u{202F}", "\u{3000}", "\u{2028}", "“", "”",
            "’s", "‘", "—", "–", "−", "«", "»", "Élan", "élan", "ÉCOLE", "İstanbul", "ΣΟΦΙΑ", "Straße", "ǅ", "ﬁ",
            "مرحبا", "漢字", "①", "٣", "·", "•", "…", ".", ",", "-", "(", ")", "'", "\"", "©", "Ⅻ",
            "€", "£", "°", "®", "´", "«", "‐", "―", "‚", "„", "′", "″", "ʼ", "ª", "²", "µ", "ⓐ", "Ⓐ", "\u{2160}",
            "\u{1680}", "\u{205F}", "ǈ", "ᾈ",
        ]);
        prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
    }

    /// The original `split_lines`, over `str::split` and measuring every
    /// line afresh: the reference the line loop and the [`LineCache`] must
    /// equal.
    fn split_lines_reference(text: &str, config: &CleanConfig) -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        let mut pos = 0usize;
        let mut prev_nonblank = false;
        for raw in text.split('\n') {
            let offset = pos;
            pos += raw.len() + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                prev_nonblank = false;
                continue;
            }
            let lead = raw.len() - raw.trim_start().len();
            let (bullet, skip) = bullet_prefix(trimmed);
            let start = offset + lead + skip;
            let end = offset + lead + trimmed.len();
            if start >= end {
                prev_nonblank = false;
                continue;
            }
            if prev_nonblank && !bullet {
                if let Some(last) = lines.last_mut() {
                    let prev = &text[last.start..last.end];
                    let first = text[start..end].chars().next().unwrap_or(' ');
                    if !last.bullet
                        && prev.len() >= 40
                        && first.is_lowercase()
                        && !ends_sentence(prev)
                        && !prev.ends_with(':')
                    {
                        last.end = end;
                        last.joined = true;
                        continue;
                    }
                }
            }
            lines.push(Line {
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
            });
            prev_nonblank = true;
        }
        let mut buf = String::new();
        for line in &mut lines {
            measure_reference(line, text, &mut buf, config);
        }
        lines
    }

    /// The original `measure`.
    fn measure_reference(line: &mut Line, text: &str, buf: &mut String, config: &CleanConfig) {
        let t = &text[line.start..line.end];
        let WordCounts { words, alpha, lower } = normalise_counting(t, buf);
        line.words = words;
        line.alpha = alpha;
        line.lower = lower;
        line.terminal = ends_sentence(t);
        let ratio = line.lower_ratio();
        let min = config.min_prose_words.max(1);
        line.prose = (words >= min && line.terminal && ratio >= 0.34) || (words >= 2 * min + 4 && ratio >= 0.4);
        line.key = xxh3_64(buf.as_bytes());
        if words <= 25 {
            line.generic = patterns::is_generic(buf, words) || (words >= 4 && patterns::is_spaced_menu(t));
            line.copyright = patterns::is_copyright(buf, words);
        }
        if words <= 12 && (words <= 2 || buf.bytes().any(|b| b.is_ascii_digit())) {
            if let Some(hit) = date::scan(buf) {
                line.date = hit.date;
                line.lone_date = hit.lone;
            }
        }
        if line.generic || line.copyright {
            line.prose = false;
        }
    }

    /// Lines as text, every field included (`Line` has no `PartialEq`).
    fn shown(lines: &[Line]) -> String {
        format!("{lines:?}")
    }

    /// A page made of lines that exercise the splitting, joining, pattern
    /// and date rules, the same lines coming back so that the cache is hit.
    #[rustfmt::skip]
    fn page_text(max: usize) -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "\n", "\n", "\n\n", "\r\n", " \n", "\n\t", "\u{A0}\n", "\n\u{2003}", "\u{85}", " ", "  ", "\t", "\u{0B}",
            "• ", "- ", "* ", "-", "*", "•", "·", "► ", "Home", "News", "World", " | ", " · ",
            "Share on Facebook", "Share this story: Share on Facebook, Share on X", "© 2024 The Daily Planet.",
            "All rights reserved.", "Copyright 2024 Wire", "Published January 1, 2024 | By Jane Doe", "2 days ago",
            "September 23, 2024", "2024-09-23", "Sign up for the morning briefing", "Tags: libya, tripoli",
            "The minister said the talks would resume on Monday after a week of delays", "and continued",
            "in the capital.", "He said: “It is over.”", "ADVERTISEMENT", "Read more", "by John Smith",
            "Élan vital", "ÉCOLE", "مرحبا", "漢字", "Straße", "x", "42", "é",
        ]);
        prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn split_lines_equals_the_reference(text in page_text(60), min_prose_words in 0usize..12) {
            let config = CleanConfig { min_prose_words, ..CleanConfig::default() };
            let expected = shown(&split_lines_reference(&text, &config));
            // The second time every short line comes from the cache.
            prop_assert_eq!(shown(&split_lines(&text, &config)), expected.clone());
            prop_assert_eq!(shown(&split_lines(&text, &config)), expected);
        }
    }

    /// A line with any measures, flags and date, somewhere in a text of
    /// `len` bytes.
    fn any_line(len: usize) -> impl Strategy<Value = Line> {
        let span = (0..=len, 0..=len).prop_map(|(a, b)| (a.min(b), a.max(b)));
        let counts = prop_oneof![0usize..200, any::<u32>().prop_map(|v| v as usize), Just(usize::MAX)];
        let date = prop::option::of((-9999i32..9999, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d)));
        (span, any::<u64>(), counts.clone(), counts.clone(), counts, any::<[bool; 7]>(), date).prop_map(
            |((start, end), key, words, alpha, lower, f, date)| Line {
                start,
                end,
                key,
                words,
                alpha,
                lower,
                bullet: f[0],
                joined: f[1],
                terminal: f[2],
                prose: f[3],
                generic: f[4],
                copyright: f[5],
                date: date.flatten(),
                lone_date: f[6],
            },
        )
    }

    proptest! {
        #[test]
        fn lines_read_back_as_written(lines in prop::collection::vec(any_line(100_000), 0..20)) {
            let text = "x".repeat(100_000);
            let mut out = Vec::new();
            let mut prev_end = 0;
            for line in &lines {
                let before = out.len();
                line.encode(prev_end, &mut out);
                prop_assert!((MIN_LINE_RECORD..=MAX_LINE_RECORD).contains(&(out.len() - before)));
                prev_end = line.end;
            }
            let mut r = RecordIn(&out);
            let mut back = Vec::new();
            let mut prev_end = 0;
            for _ in 0..lines.len() {
                let line = Line::decode(&mut r, prev_end, &text).expect("a whole line");
                prev_end = line.end;
                back.push(line);
            }
            prop_assert!(r.is_done());
            prop_assert_eq!(shown(&back), shown(&lines));
        }
    }

    #[test]
    fn damaged_lines_are_refused() {
        let text = "ab é cd";
        let line = |start, end| Line { start, end, ..split_lines("x", &CleanConfig::default())[0].clone() };
        let mut out = Vec::new();
        line(3, 5).encode(0, &mut out);
        assert!(Line::decode(&mut RecordIn(&out), 0, text).is_some());
        // Inside "é", past the text, before the start of the text, cut short.
        assert!(Line::decode(&mut RecordIn(&out), 1, text).is_none());
        assert!(Line::decode(&mut RecordIn(&out), 10, text).is_none());
        out.clear();
        line(0, 2).encode(5, &mut out);
        assert!(Line::decode(&mut RecordIn(&out), 5, text).is_some());
        assert!(Line::decode(&mut RecordIn(&out), 4, text).is_none());
        assert!(Line::decode(&mut RecordIn(&out[..out.len() - 1]), 5, text).is_none());
    }

    #[test]
    fn lines_are_found_between_line_feeds() {
        // Line feeds on both sides of the 64-byte blocks, and none at all.
        for n in [0, 1, 62, 63, 64, 65, 127, 128, 129, 200] {
            for text in ["x".repeat(n), format!("{}\n", "x".repeat(n)), format!("a\n{}\nb\n\n", "y".repeat(n))] {
                let mut found = Vec::new();
                for_each_line(&text, |start, end| found.push(&text[start..end]));
                assert_eq!(found, text.split('\n').collect::<Vec<_>>(), "{text:?}");
            }
        }
        let text = "\n".repeat(130);
        let mut n_lines = 0;
        for_each_line(&text, |start, end| {
            assert_eq!(start, end);
            n_lines += 1;
        });
        assert_eq!(n_lines, 131);
    }

    #[test]
    fn cached_measures_equal_fresh_ones() {
        let mut cache = LineCache::default();
        let mut buf = String::new();
        for t in [
            "Share on Facebook | Share on X | Email this article",
            "© 2024 The Daily Planet. All rights reserved.",
            "Published January 1, 2024 | By Jane Doe",
            "The minister said the talks would resume on Monday.",
            "Home  News  World  Sports  Subscribe",
        ] {
            let fresh = measure_text(t, &mut buf);
            assert_eq!(cache.measure(t, &mut buf), fresh, "{t}");
            assert_eq!(cache.entries.len(), cache.index.len());
            let n_cached = cache.entries.len();
            // Seen a second time, the line comes from the cache.
            assert_eq!(cache.measure(t, &mut buf), fresh, "{t}");
            assert_eq!(cache.entries.len(), n_cached);
        }
        // A different text under a cached hash (as if the hashes collided)
        // is measured afresh.
        let other = "Sign up for the morning briefing";
        cache.index.insert(xxh3_64(other.as_bytes()), 0);
        let fresh = measure_text(other, &mut buf);
        assert_ne!(fresh, cache.entries[0].measures);
        assert_eq!(cache.measure(other, &mut buf), fresh);
        // A full cache is emptied before it takes another line.
        let mut cache = LineCache::default();
        for i in 0..CACHED_LINES + 1 {
            let t = format!("Menu item {i}");
            assert_eq!(cache.measure(&t, &mut buf), measure_text(&t, &mut buf));
        }
        assert_eq!(cache.entries.len(), 1);
        assert_eq!(cache.texts, b"Menu item 16384");
    }

    #[test]
    fn configs_share_no_prose_decision() {
        // Prose with a minimum of eight words, not with twelve: the cached
        // line must be decided again for each config.
        let text = "The minister said the talks would resume on Monday after delays.\nHome";
        let loose = CleanConfig { min_prose_words: 8, ..CleanConfig::default() };
        let strict = CleanConfig { min_prose_words: 12, ..CleanConfig::default() };
        for config in [&loose, &strict, &loose, &strict] {
            let lines = split_lines(text, config);
            assert_eq!(shown(&lines), shown(&split_lines_reference(text, config)));
            assert_eq!(lines[0].prose, config.min_prose_words == 8);
        }
    }

    proptest! {
        #[test]
        fn single_spaced_counts_equal_the_reference(s in "([A-Za-z0-9]{0,3}[(\"$—’.,]{0,2}[A-Za-z0-9]{0,4} {1,2}){1,40}x") {
            // A space at the start (outside the contract: callers trim) or
            // two spaces together send the line to the general path.
            let expected = (!s.contains("  ") && !s.starts_with(' ')).then(|| counts_reference(&s));
            prop_assert_eq!(single_spaced_counts(s.as_bytes()), expected);
        }
    }

    proptest! {
        #[test]
        fn ascii_blocks_equal_the_scalar_version(block in prop::collection::vec(any::<u8>(), 64)) {
            let block: [u8; 64] = block.try_into().expect("64 bytes");
            let (mut lowered, mut lowered_scalar) = ([0u8; 64], [0u8; 64]);
            prop_assert_eq!(ascii_block(&block, &mut lowered), ascii_block_scalar(&block, &mut lowered_scalar));
            prop_assert_eq!(lowered, lowered_scalar);
        }

        #[test]
        fn plain_ascii_lines_equal_the_reference(s in "[A-Za-z0-9(\"$.,`_\u{1C}]{1,12}( {1,2}[A-Za-z0-9(\"$.,`_\u{1C}\t]{1,12}){0,30}") {
            // Lines across block boundaries, with double spaces, tabs and
            // other ASCII that sends them elsewhere.
            let mut buf = String::from("left over");
            let expected = (!s.contains("  ") && !s.contains('\t'))
                .then(|| PlainAscii::Done(counts_reference(&s)));
            let found = normalise_plain_ascii(s.as_bytes(), &mut buf);
            // The byte-by-byte classifier, compiled without AVX or POPCNT,
            // whichever version `normalise_plain_ascii` chose.
            let mut portable_buf = String::from("left over");
            let portable = normalise_plain_ascii_with(s.as_bytes(), &mut portable_buf, ascii_block_scalar);
            prop_assert_eq!(&portable, &found);
            if matches!(found, PlainAscii::Done(_)) {
                prop_assert_eq!(&portable_buf, &buf);
            }
            if let Some(expected) = expected {
                prop_assert_eq!(found, expected);
                prop_assert_eq!(buf, normalise_reference(&s));
            } else {
                prop_assert_eq!(found, PlainAscii::Other);
            }
        }
    }

    #[test]
    fn ascii_block_bytes() {
        // Every byte value at every position of a block.
        for shift in 0..4 {
            let block: [u8; 64] = std::array::from_fn(|i| (4 * i + shift) as u8);
            let (mut lowered, mut lowered_scalar) = ([0u8; 64], [0u8; 64]);
            assert_eq!(ascii_block(&block, &mut lowered), ascii_block_scalar(&block, &mut lowered_scalar));
            assert_eq!(lowered, lowered_scalar);
        }
        let mut buf = String::new();
        assert_eq!(normalise_plain_ascii("Word — word".as_bytes(), &mut buf), PlainAscii::NonAscii);
    }

    #[test]
    fn inert_characters_are_inert() {
        for c in (0x80..=0x2FFFFu32).filter_map(char::from_u32) {
            if inert(c) {
                let f = fold_char(c);
                assert!(!c.is_whitespace() && !c.is_alphanumeric(), "{c:?}");
                assert!(!f.is_whitespace() && !f.is_alphanumeric(), "{c:?}");
                assert_eq!(f.to_lowercase().collect::<String>(), f.to_string(), "{c:?}");
            }
        }
        let line = "Word — “Quoted” • it’s 5€…";
        let mut buf = String::new();
        assert_eq!(normalise_simple(line, &mut buf), Some(counts_reference(line)));
        assert_eq!(buf, normalise_reference(line));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn normalise_and_counts_equal_the_reference(s in piece_text(30)) {
            let mut buf = String::from("left over");
            let counts = normalise_counting(&s, &mut buf);
            prop_assert_eq!(&buf, &normalise_reference(&s));
            prop_assert_eq!(counts, counts_reference(&s));
            normalise_into(&s, &mut buf);
            prop_assert_eq!(buf, normalise_reference(&s));
        }

        #[test]
        fn prose_with_dashes_and_quotes_equals_the_reference(
            s in "([A-Za-z0-9(\"$]{1,10}[.,;]? ?[—–“”’‘•…€·©—ʼªµ²`]? ){0,40}[A-Za-z.]"
        ) {
            // Single-spaced lines with typographic signs: the inert fast path.
            let mut buf = String::new();
            let counts = normalise_counting(&s, &mut buf);
            prop_assert_eq!(&buf, &normalise_reference(&s));
            prop_assert_eq!(counts, counts_reference(&s));
        }

        #[test]
        fn ascii_text_equals_the_reference(s in "[ -~\t\n\u{0B}\u{0C}\r]{0,60}") {
            let mut buf = String::new();
            let counts = normalise_counting(&s, &mut buf);
            prop_assert_eq!(&buf, &normalise_reference(&s));
            prop_assert_eq!(counts, counts_reference(&s));
        }
    }
}

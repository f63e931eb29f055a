//! The normalised text of a line (the text its key hashes) and its word
//! counts, found in one pass: [`normalise_counting`].
//!
//! Owns [`normalise_into`], [`normalise_counting`], [`WordCounts`] and the
//! general path (`Normaliser`, byte by byte with the `BYTE_CLASS` table,
//! decoding only non-ASCII characters). Most lines take one of two faster
//! paths first: `inert` (single-spaced lines whose non-ASCII characters
//! are all inert), which itself tries `ascii_simd` (single-spaced ASCII
//! lines, 64 bytes at a time). Each gives what the general path would.
//!
//! Must not: depend on anything but the text (the line cache keeps what it
//! finds), or define a word differently from `str::split_whitespace` and
//! white space differently from `char::is_whitespace` (ASCII white space in
//! an all-ASCII text): the keys of every spilled line depend on it.

use super::inert::normalise_simple;
use crate::text::fold_char;

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

/// Flags of each byte value, for the plain-ASCII runs of the general path.
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
/// The commonest lines are single-spaced with nothing to fold but inert
/// signs, and take the fast path of [`normalise_simple`]; any other text
/// takes the general path, `Normaliser`.
pub(super) fn normalise_counting(s: &str, buf: &mut String) -> WordCounts {
    if let Some(counts) = normalise_simple(s, buf) {
        return counts;
    }
    normalise_general(s, buf)
}

/// The general path of [`normalise_counting`], for any text.
///
/// One pass over the bytes. Runs of ASCII bytes that are neither white space
/// nor changed by typographic folding (nearly all of a news text) are copied
/// and lower-cased a run at a time; only the other characters are decoded.
#[inline(always)]
fn normalise_general(s: &str, buf: &mut String) -> WordCounts {
    let mut out = std::mem::take(buf).into_bytes();
    out.clear();
    out.reserve(s.len());
    let mut normaliser =
        Normaliser { out, counts: WordCounts::default(), space_due: false, in_word: false, first_due: false };
    let ascii = s.is_ascii();
    // The bytes that can be copied in runs: in a text that is not all
    // ASCII, the back-tick is folded to an apostrophe.
    let plain = if ascii { PLAIN_IN_ASCII } else { PLAIN };
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if BYTE_CLASS[usize::from(b)] & plain != 0 {
            i = normaliser.plain_run(bytes, i, plain);
        } else if b < 0x80 {
            i += 1;
            normaliser.other_ascii(b, ascii);
        } else {
            let c = s[i..].chars().next().expect("a character starts here");
            i += c.len_utf8();
            normaliser.non_ascii(c);
        }
    }
    *buf = String::from_utf8(normaliser.out).expect("whole characters were copied");
    normaliser.counts
}

/// Where the general path stands in a text: what it has written, what it has
/// counted, and where it is in the current word. (Its methods are inlined
/// into the one loop of `normalise_general`, so that these fields stay in
/// registers.)
struct Normaliser {
    /// The normalised text so far.
    out: Vec<u8>,
    /// The words so far.
    counts: WordCounts,
    /// Whether a space is due in `out` before the next character.
    space_due: bool,
    /// Whether the last character read is part of a word of
    /// `split_whitespace`.
    in_word: bool,
    /// Whether the current word's first letter or digit is still to be
    /// seen (it decides whether the word counts as alphabetic, lower case).
    first_due: bool,
}

impl Normaliser {
    /// A word of `split_whitespace` starts at the character just read.
    #[inline(always)]
    fn start_word(&mut self) {
        self.in_word = true;
        self.first_due = true;
        self.counts.words += 1;
    }

    /// White space was read: the word ends, and a space is due before the
    /// next character unless nothing was written yet (the key is trimmed).
    #[inline(always)]
    fn white_space(&mut self) {
        self.in_word = false;
        self.space_due = !self.out.is_empty();
    }

    /// Writes the space that is due, if one is.
    #[inline(always)]
    fn write_due_space(&mut self) {
        if self.space_due {
            self.out.push(b' ');
            self.space_due = false;
        }
    }

    /// Reads the run of `plain` bytes (see `BYTE_CLASS`) at `start`: plain
    /// ASCII words separated by single spaces, scanned once for the word
    /// counts, then copied and lower-cased at once. Returns the end of the
    /// run.
    #[inline(always)]
    fn plain_run(&mut self, bytes: &[u8], start: usize, plain: u8) -> usize {
        if !self.in_word {
            self.start_word();
        }
        let mut i = start;
        loop {
            // The word's first letter or digit, usually its first byte.
            while self.first_due && i < bytes.len() {
                let class = BYTE_CLASS[usize::from(bytes[i])];
                if class & plain == 0 {
                    break;
                }
                i += 1;
                if class & ALNUM != 0 {
                    self.first_due = false;
                    self.counts.add_first(class & ALPHA != 0, class & UPPER == 0);
                }
            }
            // The rest of the word.
            let rest = &bytes[i..];
            i += rest.iter().position(|&b| BYTE_CLASS[usize::from(b)] & plain == 0).unwrap_or(rest.len());
            if i + 1 < bytes.len() && bytes[i] == b' ' && BYTE_CLASS[usize::from(bytes[i + 1])] & plain != 0 {
                // One space, then the next word of the run.
                i += 1;
                self.first_due = true;
                self.counts.words += 1;
                continue;
            }
            break;
        }
        self.write_due_space();
        let from = self.out.len();
        self.out.extend_from_slice(&bytes[start..i]);
        self.out[from..].make_ascii_lowercase();
        i
    }

    /// Reads an ASCII byte that is not `plain`: white space, or a back-tick
    /// in a text that is not all ASCII.
    #[inline(always)]
    fn other_ascii(&mut self, b: u8, ascii: bool) {
        if ascii_space(b) {
            // In an all-ASCII text a vertical tab is a character of the key
            // (but still separates words).
            if !(ascii && b == 0x0B) {
                self.white_space();
                return;
            }
            self.in_word = false;
        } else if !self.in_word {
            self.start_word();
        }
        self.write_due_space();
        // `fold_char` changes one ASCII character: the back-tick.
        self.out.push(if b == b'`' { b'\'' } else { b });
    }

    /// Reads a non-ASCII character: white space, or a character to fold and
    /// lower-case.
    #[inline(always)]
    fn non_ascii(&mut self, c: char) {
        if c.is_whitespace() {
            self.white_space();
            return;
        }
        if !self.in_word {
            self.start_word();
        }
        if self.first_due && c.is_alphanumeric() {
            self.first_due = false;
            // Scripts without case (Arabic, CJK) count as lower case: their
            // sentences must be able to read as prose.
            self.counts.add_first(c.is_alphabetic(), !c.is_uppercase());
        }
        self.write_due_space();
        let c = fold_char(c);
        if c.is_ascii() {
            self.out.push(c.to_ascii_lowercase() as u8);
        } else {
            let mut utf8 = [0u8; 4];
            for l in c.to_lowercase() {
                self.out.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
}

/// Word measures of a line: how many words, how many start (at their first
/// letter or digit) with a letter, and how many of those with a letter that
/// is not upper case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct WordCounts {
    /// White-space separated words.
    pub(super) words: usize,
    /// Words whose first letter or digit is a letter.
    pub(super) alpha: usize,
    /// Words whose first letter or digit is a letter that is not upper case.
    pub(super) lower: usize,
}

impl WordCounts {
    /// Counts the first letter or digit of a word.
    #[inline]
    pub(super) fn add_first(&mut self, letter: bool, not_upper: bool) {
        if letter {
            self.alpha += 1;
            if not_upper {
                self.lower += 1;
            }
        }
    }
    /// Counts the first letter or digit, if any, of the words that open
    /// with another character ("(Wire)", "$5", "—"), in a single-spaced
    /// line of ASCII letters and digits: they start at the bits of `late`,
    /// bit `i` for byte `block_start + i` of `bytes`, and end at a space.
    #[inline(always)]
    pub(super) fn add_late_firsts(&mut self, bytes: &[u8], block_start: usize, mut late: u64) {
        while late != 0 {
            let j = block_start + late.trailing_zeros() as usize;
            late &= late - 1;
            let word = bytes[j..].split(|&b| b == b' ').next().unwrap_or_default();
            if let Some(&c) = word.iter().find(|c| c.is_ascii_alphanumeric()) {
                self.add_first(c.is_ascii_alphabetic(), !c.is_ascii_uppercase());
            }
        }
    }
}

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

use super as text;

// Character classes (low four bits) and flags.
const SPACE: u8 = 0;
const OTHER: u8 = 1;
const LETTER: u8 = 2;
const DIGIT: u8 = 3;
const UNDER: u8 = 4;
const MID_NUM_LET_Q: u8 = 5;
const MID_LETTER: u8 = 6;
const MID_NUM: u8 = 7;
/// A byte of a non-ASCII character (in the byte table only).
const NON_ASCII: u8 = 8;
const COMPLEX: u8 = 9;
const CLASS: u8 = 0x0F;
/// Upper case, apostrophe or non-ASCII: the word needs `normalize_word`.
const NOT_PLAIN: u8 = 0x10;
/// Letter, digit or `_`: joins its neighbours of the same kind.
const CORE: u8 = 0x20;
/// Infix or non-ASCII: a word does not necessarily end here.
const SPECIAL: u8 = 0x40;
/// Letter or digit: a segment with one is a word.
const ALNUM: u8 = 0x80;

/// Class and flags of each byte; bytes of non-ASCII characters are
/// `NON_ASCII` and are decoded by [`class_at`].
static BYTE_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => SPACE,
            b'a'..=b'z' => LETTER | CORE | ALNUM,
            b'A'..=b'Z' => LETTER | CORE | ALNUM | NOT_PLAIN,
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
fn non_ascii_class(c: u32) -> u8 {
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
fn class_at(bytes: &[u8], i: usize) -> (u8, usize) {
    let t = BYTE_CLASS[bytes[i] as usize];
    if t & CLASS != NON_ASCII {
        return (t, 1);
    }
    class_at_non_ascii(bytes, i)
}

#[inline(never)]
fn class_at_non_ascii(bytes: &[u8], i: usize) -> (u8, usize) {
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
fn segment_chunks<'a>(line: &'a str, f: &mut impl FnMut(&'a str, bool)) {
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
                text::words(&line[start..space_start]).for_each(|w| f(w, false));
            }
            segment(chunk, f);
        }
    }
    if let Some(start) = region {
        text::words(&line[start..]).for_each(|w| f(w, false));
    }
}

/// Segments text without COMPLEX characters.
#[inline]
fn segment<'a>(s: &'a str, f: &mut impl FnMut(&'a str, bool)) {
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
        let mut flags = 0u8;
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
        if flags & ALNUM != 0 {
            f(&s[start..i], flags & NOT_PLAIN == 0);
        }
    }
}

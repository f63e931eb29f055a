//! Word hashing and rolling w-word shingle hashes.
//!
//! A word is what [`crate::text::words`] yields (segmented by the faster,
//! equivalent `text::fast_words`), normalised by
//! [`crate::text::normalize_word`] and spelt by
//! [`crate::text::in_serbian_latin`] (so that a Serbian copy in Latin of a
//! page in Cyrillic shares its shingles); words that normalise to nothing
//! are skipped, as [`crate::text::tokens`] does. Each word is hashed once with
//! XXH3-64 (ASCII words of at most 16 bytes, nearly all words of news text,
//! by [`xxh3_ascii_short`], straight from the text and lower-cased in
//! registers); the hash of the shingle `(t_i, …, t_{i+w-1})` is a polynomial
//! `Σ_j h(t_{i+j})·B^{w-1-j} mod 2^64`, updated in O(1) per word as the window
//! slides, then passed through a 64-bit finaliser so every output bit
//! depends on every input bit. No string is built per shingle.

use std::cell::Cell;

use xxhash_rust::xxh3::xxh3_64;

use crate::text::{self, WordKind};

/// Odd multiplier of the rolling polynomial (the golden-ratio constant).
const B: u64 = 0x9E37_79B9_7F4A_7C15;

/// Longest word (in bytes) normalised in a stack buffer; longer ones take
/// the allocating path of [`text::normalize_word`].
const STACK_WORD: usize = 64;

/// The splitmix64 / Stafford "mix13" finaliser: a bijection on `u64` with full
/// avalanche. Used to finish shingle hashes and to derive other hashes.
#[inline]
pub(super) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The hash of one word after [`text::normalize_word`] and
/// [`text::in_serbian_latin`], or `None` when the word normalises to the
/// empty string.
///
/// Words made of ASCII and the curly apostrophes `‘ ’` take a fast path that
/// applies the same rules as `normalize_word` to such words (fold the curly
/// apostrophes to `'`, lower case, drop a trailing `'s`, drop apostrophes) in
/// a stack buffer; anything else goes through `normalize_word` itself. The
/// equivalence is checked by a property test.
#[inline]
pub(super) fn word_hash(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    if bytes.len() <= STACK_WORD {
        let mut buf = [0u8; STACK_WORD];
        if !bytes.is_empty() && bytes.iter().all(|&b| b < 0x80 && b != b'\'') {
            // The commonest case: ASCII with capitals, which only lower-casing changes.
            let buf = &mut buf[..bytes.len()];
            buf.copy_from_slice(bytes);
            buf.make_ascii_lowercase();
            return Some(xxh3_64(buf));
        }
        let mut n = 0;
        let mut apostrophes = false;
        let mut i = 0;
        let mut simple = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                buf[n] = b.to_ascii_lowercase();
                apostrophes |= b == b'\'';
                i += 1;
            } else if b == 0xE2 && bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0x98 | 0x99)) {
                buf[n] = b'\'';
                apostrophes = true;
                i += 3;
            } else {
                simple = false;
                break;
            }
            n += 1;
        }
        if simple {
            if apostrophes {
                if n >= 2 && buf[n - 2] == b'\'' && buf[n - 1] == b's' {
                    n -= 2;
                }
                let mut j = 0;
                for i in 0..n {
                    if buf[i] != b'\'' {
                        buf[j] = buf[i];
                        j += 1;
                    }
                }
                n = j;
            }
            return (n > 0).then(|| xxh3_64(&buf[..n]));
        }
    }
    let w = text::normalize_word(word);
    (!w.is_empty()).then(|| xxh3_64(text::in_serbian_latin(&w).as_bytes()))
}

/// `x` with its ASCII upper-case bytes lower-cased (every byte must be ASCII).
#[inline(always)]
fn ascii_lower_u64(x: u64) -> u64 {
    // For ASCII bytes: the high bit of `x + 0x3F` is set from 'A' on, that of
    // `x + 0x25` from '[' on (no carry crosses a byte).
    let upper =
        (x.wrapping_add(0x3F3F_3F3F_3F3F_3F3F) & !x.wrapping_add(0x2525_2525_2525_2525)) & 0x8080_8080_8080_8080;
    x | (upper >> 2)
}

/// `secret[0..4] ^ secret[4..8]` of XXH3's default secret (little endian).
const XXH3_FLIP_1TO3: u64 = 0x8727_5A9B;
/// `secret[8..16] ^ secret[16..24]`.
const XXH3_FLIP_4TO8: u64 = 0xC73A_B174_C5EC_D5A2;
/// `secret[24..32] ^ secret[32..40]`.
const XXH3_FLIP_9TO16_LO: u64 = 0x6782_737B_EA42_39B9;
/// `secret[40..48] ^ secret[48..56]`.
const XXH3_FLIP_9TO16_HI: u64 = 0xAF56_BC3B_0996_523A;

/// `xxh3_64` of an ASCII word of 1 to 16 bytes, lower-cased first when
/// `lower`: XXH3's short-input paths (seed 0, default secret) written out,
/// which read the word's first and last bytes (1–3 bytes: three single
/// bytes; 4–8: two overlapping four-byte loads; 9–16: two eight-byte
/// loads), so that lower-casing the loaded values in registers lower-cases
/// the word without copying it. A property test compares it with `xxh3_64`.
#[inline(always)]
pub(super) fn xxh3_ascii_short(word: &[u8], lower: bool) -> u64 {
    let len = word.len();
    debug_assert!((1..=16).contains(&len) && word.is_ascii());
    let lower64 = |x: u64| if lower { ascii_lower_u64(x) } else { x };
    if len > 8 {
        let lo = lower64(u64::from_le_bytes(word[..8].try_into().expect("8 bytes"))) ^ XXH3_FLIP_9TO16_LO;
        let hi = lower64(u64::from_le_bytes(word[len - 8..].try_into().expect("8 bytes"))) ^ XXH3_FLIP_9TO16_HI;
        let product = u128::from(lo) * u128::from(hi);
        let acc = (len as u64)
            .wrapping_add(lo.swap_bytes())
            .wrapping_add(hi)
            .wrapping_add(product as u64 ^ (product >> 64) as u64);
        xxh3_avalanche(acc)
    } else if len >= 4 {
        let first = u64::from(u32::from_le_bytes(word[..4].try_into().expect("4 bytes")));
        let last = u64::from(u32::from_le_bytes(word[len - 4..].try_into().expect("4 bytes")));
        let keyed = lower64(last | first << 32) ^ XXH3_FLIP_4TO8;
        xxh3_strong_avalanche(keyed, len as u64)
    } else {
        let byte = |b: u8| u64::from(if lower { b.to_ascii_lowercase() } else { b });
        let combo = byte(word[0]) << 16 | byte(word[len >> 1]) << 24 | byte(word[len - 1]) | (len as u64) << 8;
        xxh64_avalanche(combo ^ XXH3_FLIP_1TO3)
    }
}

#[inline(always)]
fn xxh3_avalanche(mut h: u64) -> u64 {
    h ^= h >> 37;
    h = h.wrapping_mul(0x1656_6791_9E37_79F9);
    h ^ (h >> 32)
}

#[inline(always)]
fn xxh3_strong_avalanche(mut h: u64, len: u64) -> u64 {
    h ^= h.rotate_left(49) ^ h.rotate_left(24);
    h = h.wrapping_mul(0x9FB2_1C65_1E98_DF25);
    h ^= (h >> 35).wrapping_add(len);
    h = h.wrapping_mul(0x9FB2_1C65_1E98_DF25);
    h ^ (h >> 28)
}

#[inline(always)]
fn xxh64_avalanche(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    h ^= h >> 29;
    h = h.wrapping_mul(0x1656_67B1_9E37_79F9);
    h ^ (h >> 32)
}

/// Calls `f` with the hash of every normalised word of `text`, in order
/// (the words of [`text::words`], segmented by `text::fast_words`). ASCII words of at
/// most 16 bytes without apostrophes, the commonest, are hashed straight
/// from the text by [`xxh3_ascii_short`].
#[inline]
pub(super) fn for_each_word_hash(text: &str, mut f: impl FnMut(u64)) {
    crate::text::for_each_word_kind(
        text,
        #[inline(always)]
        |word, kind| match kind {
            WordKind::Plain if word.len() <= 16 => f(xxh3_ascii_short(word.as_bytes(), false)),
            WordKind::Upper if word.len() <= 16 => f(xxh3_ascii_short(word.as_bytes(), true)),
            WordKind::Plain => f(xxh3_64(word.as_bytes())),
            _ => {
                if let Some(h) = word_hash(word) {
                    f(h);
                }
            }
        },
    );
}

/// Calls `f` with the hash of every w-word shingle of `text`, in text order
/// (repeats included), where `w = shingle_words`. A text with at least one
/// but fewer than `w` words yields one shingle made of all its words; a text
/// without words yields nothing.
///
/// # Panics
/// If `shingle_words` is 0.
#[inline]
pub(super) fn for_each_shingle(text: &str, shingle_words: usize, mut f: impl FnMut(u64)) {
    assert!(shingle_words >= 1, "shingle_words must be at least 1");
    with_word_hashes(text, |words| shingles_of(words, shingle_words, &mut f));
}

/// Calls `f` with the hashes of the normalised words of `text` (those of
/// [`for_each_word_hash`]), in order, and returns what it returns.
///
/// The hashes are gathered first, so that the loop over them (the shingles)
/// keeps its state in registers rather than in a closure's captures. The
/// buffer is the thread's, reused from text to text; a text has at most one
/// word per two bytes (plus one), so it never grows while filled.
#[inline]
pub(super) fn with_word_hashes<R>(text: &str, f: impl FnOnce(&[u64]) -> R) -> R {
    let mut words = WORD_HASHES.take();
    words.clear();
    words.reserve(text.len() / 2 + 1);
    for_each_word_hash(text, |wh| words.push(wh));
    let result = f(&words);
    if words.capacity() <= KEPT_WORD_HASHES {
        WORD_HASHES.set(words);
    }
    result
}

thread_local! {
    /// The word hashes of the text [`with_word_hashes`] works on (empty, with
    /// its capacity, between texts).
    static WORD_HASHES: Cell<Vec<u64>> = const { Cell::new(Vec::new()) };
}

/// The largest buffer (in word hashes, 1 MiB) kept in [`WORD_HASHES`] for
/// the next text; a longer text's buffer is freed.
const KEPT_WORD_HASHES: usize = 1 << 17;

/// The polynomial `Σ_j ws[j]·B^{len-1-j} mod 2^64` of some word hashes.
#[inline(always)]
fn poly(ws: &[u64]) -> u64 {
    ws.iter().fold(0u64, |h, &x| h.wrapping_mul(B).wrapping_add(x))
}

/// The hash of the one shingle of a text of `words.len()` words, fewer than
/// `w` but at least one.
#[inline]
pub(super) fn short_shingle(words: &[u64]) -> u64 {
    // Tag the short shingle with its length so it cannot equal a full one.
    mix64(poly(words) ^ (words.len() as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93))
}

/// The rolling hash of a window of `w` word hashes, slid one word at a time.
#[derive(Clone, Copy)]
pub(super) struct Rolling {
    /// The polynomial of the current window (before [`mix64`]).
    h: u64,
    /// `B^{w-1}`.
    b_pow: u64,
}

impl Rolling {
    /// The rolling hash of the first window, `first` (`w` word hashes), and
    /// the shingle hash of that window.
    #[inline(always)]
    pub(super) fn new(first: &[u64]) -> (Rolling, u64) {
        let rolling = Rolling { h: poly(first), b_pow: B.wrapping_pow((first.len() - 1) as u32) };
        (rolling, mix64(rolling.h))
    }

    /// Slides the window by one word, `old` leaving and `new` entering;
    /// returns the shingle hash of the new window.
    #[inline(always)]
    pub(super) fn next(&mut self, old: u64, new: u64) -> u64 {
        self.h = self.h.wrapping_sub(old.wrapping_mul(self.b_pow)).wrapping_mul(B).wrapping_add(new);
        mix64(self.h)
    }
}

/// Calls `f` with the hash of every w-word shingle of the word hashes
/// `words`, as [`for_each_shingle`] describes.
#[inline(always)]
fn shingles_of(words: &[u64], w: usize, f: &mut impl FnMut(u64)) {
    if words.len() < w {
        if !words.is_empty() {
            f(short_shingle(words));
        }
        return;
    }
    let (mut rolling, first) = Rolling::new(&words[..w]);
    f(first);
    for (&old, &new) in words.iter().zip(&words[w..]) {
        f(rolling.next(old, new));
    }
}

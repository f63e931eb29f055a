//! Text normalisation and tokenisation shared by every stage that compares text.
//!
//! Owns the one definition of "the same word": Unicode NFKC, case folding,
//! curly quotes and dashes folded to ASCII, words split by Unicode word
//! boundaries (unicode-segmentation). Also owns sentence splitting. It must not
//! know about articles, fingerprints or HTML: it maps strings to strings.

use std::borrow::Cow;

mod fast_words;
mod serbian;

pub use fast_words::{for_each_word, for_each_word_kind, WordKind};
pub use serbian::in_serbian_latin;
pub(crate) use fast_words::block_masks;
#[cfg(target_arch = "x86_64")]
pub(crate) use fast_words::{bytes_in_range, lane_bits};

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// Folds typographic variants of a character to one form: curly quotes to
/// straight ones, the dash family to `-`. Other characters are returned as is.
#[inline]
pub fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
        _ => c,
    }
}

/// Normalises a whole text: NFKC, typographic folding and lower case.
///
/// ASCII text takes a fast path that only lower-cases.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let nfkc: Cow<'_, str> = match is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfkc().collect()),
    };
    let mut out = String::with_capacity(nfkc.len());
    for c in nfkc.chars() {
        let c = fold_char(c);
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Normalises one word: like [`normalize`], then drops a trailing
/// possessive `'s` and any apostrophes, so that "US’s", "US's" and "us"
/// meet, and "d'Affaires" equals "daffaires".
pub fn normalize_word(word: &str) -> Cow<'_, str> {
    let needs_work = word.bytes().any(|b| b.is_ascii_uppercase() || b == b'\'' || b >= 0x80);
    if !needs_work {
        return Cow::Borrowed(word);
    }
    let mut w = normalize(word);
    if w.ends_with("'s") {
        w.truncate(w.len() - 2);
    }
    if w.contains('\'') {
        w.retain(|c| c != '\'');
    }
    Cow::Owned(w)
}

/// The words of a text as slices of the original, by Unicode word boundaries
/// (punctuation and white space are dropped).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.unicode_words()
}

/// The normalised words of a text.
pub fn tokens(text: &str) -> Vec<String> {
    words(text).map(|w| normalize_word(w).into_owned()).filter(|w| !w.is_empty()).collect()
}

/// Whether a word is written with a leading capital letter (a hint that it
/// is part of a name).
pub fn is_capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a word has a letter with case: Latin, Greek, Cyrillic, Armenian
/// and a few more scripts; not Hebrew, Arabic, Devanagari, Chinese, Thai or
/// Japanese, whose words no capital can mark as names.
pub fn has_case(word: &str) -> bool {
    word.chars().any(|c| c.is_uppercase() || c.is_lowercase())
}

/// Whether a word contains a digit (a number, a year, an amount).
pub fn has_digit(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_digit())
}

/// Splits a text into sentences with Unicode sentence boundaries, trimmed,
/// without empty ones. Abbreviations such as "Lt. Gen." may split a sentence;
/// callers that align sentences should tolerate that.
pub fn sentences(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .flat_map(|paragraph| paragraph.unicode_sentences())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// English function words that carry no topic. Used to down-weight terms;
/// never to decide alone whether two texts match.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

/// The words [`is_stopword`] knows, sorted.
pub(crate) const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "just", "may", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one",
    "only", "or", "other", "our", "out", "over", "own", "said", "same", "says", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_sorted() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn folds_quotes_dashes_and_case() {
        assert_eq!(normalize("Chargé d’Affaires — “US”"), "chargé d'affaires - \"us\"");
        assert_eq!(normalize("ＡＢＣ"), "abc");
    }

    #[test]
    fn words_meet_across_typography() {
        assert_eq!(tokens("The US’s Chargé d’Affaires"), vec!["the", "us", "chargé", "daffaires"]);
        assert_eq!(tokens("the US's chargé d'affaires"), vec!["the", "us", "chargé", "daffaires"]);
    }

    #[test]
    fn splits_sentences() {
        let s = sentences("One two. Three four?\n\nFive.");
        assert_eq!(s, vec!["One two.", "Three four?", "Five."]);
    }
}

//! The term units of a text: its words, except in the scripts written
//! without spaces between words.
//!
//! Owns [`for_each_unit`]. Chinese, Japanese, Thai, Lao, Khmer and Burmese
//! are written without spaces: Unicode word boundaries (UAX #29) make every
//! ideograph, every kana and every Thai syllable piece its own "word", so
//! such an article kept only its numbers and Latin words as terms, or, in
//! Thai, fragments such as "วั" that every article holds. Two rules give
//! these scripts real terms:
//!
//! - **Chinese and Japanese: overlapping character bigrams** (as in
//!   Lucene's CJKBigramFilter), the standard dictionary-free terms for
//!   these scripts: most Chinese and Japanese words are two characters
//!   long, and a longer name yields bigrams that two reports share.
//!   Hiragana is the grammatical script of Japanese (particles, verb
//!   endings), so a run is cut at hiragana and no bigram holds one:
//!   otherwise "した" or "ている" would be rare terms that glue every
//!   Japanese article of a mostly English feed together.
//! - **Thai, Lao, Khmer and Burmese: dictionary words**, from ICU4X's word
//!   segmenter (`icu_segmenter`, the Unicode consortium's, with its
//!   compiled dictionaries). Their alphabets are small, so character
//!   bigrams would be common to every article; and their words are what
//!   the stop-word lists hold ("ที่", "และ").
//!
//! Units are slices of the text, so text without these scripts gives
//! exactly the words of [`text::for_each_word`]. This module must not
//! normalise, stem or weigh: it only says which pieces of text are terms.

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::WordSegmenter;

use crate::text;

/// Calls `f(unit)` with every term unit of `text`, in order: each word of
/// [`text::for_each_word`], except that a run of adjacent words written in
/// Han or katakana is given as its character bigrams, cut at hiragana, and
/// a run of adjacent words in Thai, Lao, Khmer or Burmese as its dictionary
/// words.
pub(crate) fn for_each_unit<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let base = text.as_ptr() as usize;
    // The pending run: its kind and byte range.
    let mut run: Option<(Run, usize, usize)> = None;
    let flush = |run: Option<(Run, usize, usize)>, f: &mut dyn FnMut(&'a str)| {
        if let Some((kind, s, e)) = run {
            match kind {
                Run::Bigrams => bigrams(&text[s..e], f),
                Run::Dictionary => dictionary_words(&text[s..e], f),
            }
        }
    };
    text::for_each_word(text, |word, plain| {
        let start = word.as_ptr() as usize - base;
        let end = start + word.len();
        let kind = if plain { None } else { run_kind(word) };
        let Some(kind) = kind else {
            flush(run.take(), &mut f);
            f(word);
            return;
        };
        run = match run {
            Some((k, s, e)) if k == kind && e == start => Some((k, s, end)),
            pending => {
                flush(pending, &mut f);
                Some((kind, start, end))
            }
        };
    });
    flush(run, &mut f);
}

/// How a run of words in a script written without spaces becomes units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    /// Chinese and Japanese: [`bigrams`].
    Bigrams,
    /// Thai, Lao, Khmer, Burmese: [`dictionary_words`].
    Dictionary,
}

fn run_kind(word: &str) -> Option<Run> {
    if is_bigram_script(word) {
        Some(Run::Bigrams)
    } else if is_dictionary_script(word) {
        Some(Run::Dictionary)
    } else {
        None
    }
}

/// Whether every character of a word is Han, kana or the katakana
/// prolonged-sound mark. All of these are three bytes in UTF-8 and lead
/// with 0xE3..=0xE9, so other words are told by their first byte.
fn is_bigram_script(word: &str) -> bool {
    matches!(word.as_bytes().first(), Some(0xE3..=0xE9)) && word.chars().all(|c| is_han(c) || is_kana(c))
}

/// Whether every character of a word is Thai, Lao, Burmese or Khmer. Their
/// blocks (U+0E00..U+0EFF, U+1000..U+109F, U+1780..U+17FF) lead in UTF-8
/// with 0xE0 or 0xE1, so other words are told by their first byte.
fn is_dictionary_script(word: &str) -> bool {
    matches!(word.as_bytes().first(), Some(0xE0..=0xE1))
        && word
            .chars()
            .all(|c| matches!(c, '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}'))
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{3005}')
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{30FF}')
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
}

/// The overlapping two-character slices of `run` that hold no hiragana.
fn bigrams<'a>(run: &'a str, f: &mut dyn FnMut(&'a str)) {
    let mut previous: Option<usize> = None;
    for (i, c) in run.char_indices() {
        if is_hiragana(c) {
            previous = None;
            continue;
        }
        if let Some(p) = previous {
            f(&run[p..i + c.len_utf8()]);
        }
        previous = Some(i);
    }
}

/// The dictionary words of `run` (ICU4X's word segmenter with its compiled
/// dictionaries), leaving out pieces without a letter or digit.
fn dictionary_words<'a>(run: &'a str, f: &mut dyn FnMut(&'a str)) {
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let mut start = 0;
    for end in segmenter.segment_str(run).skip(1) {
        let word = &run[start..end];
        if word.chars().any(char::is_alphanumeric) {
            f(word);
        }
        start = end;
    }
}

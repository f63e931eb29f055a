//! The term units of a text: its words, except that runs of Chinese and
//! Japanese characters become overlapping character bigrams.
//!
//! Owns [`for_each_unit`]. Chinese and Japanese are written without
//! spaces: Unicode word boundaries make every ideograph and every kana its
//! own one-character "word", which carries no term ([`super::term_of`]
//! drops single letters), so such an article kept only its numbers and
//! katakana words as terms, and two unrelated reports both dated "12日"
//! were one story. Overlapping bigrams (as in Lucene's CJKBigramFilter)
//! are the standard dictionary-free terms for these scripts: most Chinese
//! and Japanese words are two characters long, and a longer name yields
//! bigrams that two reports share. Hiragana is the grammatical script of
//! Japanese (particles, verb endings), so a run is cut at hiragana and no
//! bigram holds one: otherwise "した" or "ている" would be rare terms that
//! glue every Japanese article of a mostly English feed together.
//!
//! Units are slices of the text, so text without these scripts gives
//! exactly the words of [`text::for_each_word`]. This module must not
//! normalise, stem or weigh: it only says which pieces of text are terms.

use crate::text;

/// Calls `f(unit)` with every term unit of `text`, in order: each word of
/// [`text::for_each_word`], except that a run of adjacent words written in
/// Han or katakana is given as its character bigrams, cut at hiragana.
pub(crate) fn for_each_unit<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let base = text.as_ptr() as usize;
    // The byte range of the pending run of bigram-script words.
    let mut run: Option<(usize, usize)> = None;
    text::for_each_word(text, |word, plain| {
        let start = word.as_ptr() as usize - base;
        let end = start + word.len();
        if plain || !is_bigram_script(word) {
            if let Some((s, e)) = run.take() {
                bigrams(&text[s..e], &mut f);
            }
            f(word);
            return;
        }
        run = match run {
            Some((s, e)) if e == start => Some((s, end)),
            Some((s, e)) => {
                bigrams(&text[s..e], &mut f);
                Some((start, end))
            }
            None => Some((start, end)),
        };
    });
    if let Some((s, e)) = run {
        bigrams(&text[s..e], &mut f);
    }
}

/// Whether every character of a word is Han, kana or the katakana
/// prolonged-sound mark. All of these are three bytes in UTF-8 and lead
/// with 0xE3..=0xE9, so other words are told by their first byte.
fn is_bigram_script(word: &str) -> bool {
    matches!(word.as_bytes().first(), Some(0xE3..=0xE9)) && word.chars().all(|c| is_han(c) || is_kana(c))
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
fn bigrams<'a>(run: &'a str, f: &mut impl FnMut(&'a str)) {
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

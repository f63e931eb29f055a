//! Sentences of a body, with abbreviation splits repaired, and the light
//! stemmer that turns their content words into comparable terms.
//!
//! Owns [`split_first`] (and [`split`]), [`Word`] (a word of a sentence with its offset and
//! normal form, computed once for every pass), [`norm_word`],
//! [`is_function_word`] and [`stem`]. It works on one text at a time and
//! must not compare sentences (that is `similarity.rs`).

use crate::text;

/// Titles that are practically never the last word of a sentence: a fragment
/// ending in one of them always continues in the next fragment. Sorted.
pub(crate) const TITLES: &[&str] = &[
    "adm", "amb", "brig", "capt", "cdr", "cmdr", "col", "cpl", "dr", "gen", "gov", "hon", "lt", "maj", "mr", "mrs",
    "ms", "pres", "prof", "rep", "rev", "sen", "sgt", "supt",
];

/// Abbreviations that may end a sentence: the fragment continues only when
/// the next one starts with a capitalised non-function word (or, for the
/// numeric ones, a number). Sorted.
pub(super) const MAYBE_ABBREVIATIONS: &[&str] = &[
    "apr", "aug", "bros", "co", "corp", "dec", "feb", "ft", "inc", "jan", "jr", "jul", "jun", "ltd", "mar", "mt", "no",
    "nov", "oct", "sep", "sept", "sr", "st",
];

/// Abbreviations that are followed by a number ("Sept. 23", "No. 5").
const NUMERIC_ABBREVIATIONS: &[&str] =
    &["apr", "aug", "dec", "feb", "jan", "jul", "jun", "mar", "no", "nov", "oct", "sep", "sept"];

/// Byte offset of a sub-slice inside the string it was cut from.
pub(crate) fn offset_in(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

/// Splits a body into sentences with [`text::sentences`], then merges a
/// fragment that ends with a short capitalised abbreviation ("Lt.", "Gen.",
/// an initial "A.", a dotted "U.S.") into the following fragment of the same
/// paragraph. White space inside a sentence is collapsed to single spaces.
#[cfg(test)]
pub(crate) fn split(body: &str) -> Vec<String> {
    spans(body).into_iter().map(|(start, end)| collapse_ws(&body[start..end])).collect()
}

/// The first `max` sentences of a body as [`split`] makes them, the byte
/// offset where the last of them ends, and how many sentences the body has.
pub(crate) fn split_first(body: &str, max: usize) -> (Vec<String>, usize, usize) {
    let spans = spans(body);
    let kept = &spans[..spans.len().min(max)];
    let end = kept.last().map_or(0, |&(_, end)| end);
    (kept.iter().map(|&(start, end)| collapse_ws(&body[start..end])).collect(), end, spans.len())
}

/// The byte spans of the sentences of [`split`] in `body`.
fn spans(body: &str) -> Vec<(usize, usize)> {
    let frags: Vec<(usize, usize)> = text::sentences(body)
        .into_iter()
        .map(|f| {
            let start = offset_in(body, f);
            (start, start + f.len())
        })
        .collect();
    let mut out = Vec::with_capacity(frags.len());
    let mut i = 0;
    while i < frags.len() {
        let (start, mut end) = frags[i];
        while i + 1 < frags.len() {
            let (next_start, next_end) = frags[i + 1];
            if body[end..next_start].contains('\n') || !continues(&body[start..end], &body[next_start..next_end]) {
                break;
            }
            end = next_end;
            i += 1;
        }
        out.push((start, end));
        i += 1;
    }
    out
}

/// Whether the fragment `cur` was cut at an abbreviation and `next` is the
/// rest of its sentence.
fn continues(cur: &str, next: &str) -> bool {
    let Some(before) = cur.trim_end().strip_suffix('.') else { return false };
    let Some(last) = text::words(before).last() else { return false };
    if offset_in(before, last) + last.len() != before.len() || !text::is_capitalized(last) {
        return false;
    }
    let Some(next_word) = text::words(next).next() else { return false };
    let lower = text::normalize(last);
    let lower = lower.as_str();
    if TITLES.binary_search(&lower).is_ok() {
        return true;
    }
    let initial = last.chars().count() == 1;
    let dotted = last.contains('.');
    if !(initial || dotted || MAYBE_ABBREVIATIONS.binary_search(&lower).is_ok()) {
        return false;
    }
    if text::has_digit(next_word) {
        return NUMERIC_ABBREVIATIONS.contains(&lower);
    }
    text::is_capitalized(next_word) && !text::is_stopword(&text::normalize_word(next_word))
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// One word of a sentence: where it starts, as written, normalised.
pub(crate) struct Word<'a> {
    /// Byte offset in the sentence.
    pub start: usize,
    /// The word as written.
    pub text: &'a str,
    /// [`norm_word`] of `text`.
    pub norm: String,
}

impl Word<'_> {
    /// Byte offset of the end of the word in the sentence.
    pub(crate) fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// The words of a sentence ([`text::words`]), split once and shared by the
/// term, name, number and date passes.
pub(crate) fn words(sentence: &str) -> Vec<Word<'_>> {
    text::words(sentence).map(|w| Word { start: offset_in(sentence, w), text: w, norm: norm_word(w) }).collect()
}

/// The normalised form of a word used everywhere in this module:
/// [`text::normalize_word`] with the dots of "U.S." removed.
pub(crate) fn norm_word(word: &str) -> String {
    let n = text::normalize_word(word);
    if n.contains('.') {
        n.replace('.', "")
    } else {
        n.into_owned()
    }
}

/// Function words and reporting verbs that [`text::is_stopword`] keeps but
/// that say nothing about what happened ("told reporters", "according
/// to", "though"). Sorted.
pub(super) const EXTRA_STOPWORDS: &[&str] = &[
    "according",
    "added",
    "although",
    "amid",
    "among",
    "another",
    "around",
    "away",
    "despite",
    "either",
    "else",
    "even",
    "ever",
    "however",
    "including",
    "like",
    "many",
    "meanwhile",
    "might",
    "much",
    "must",
    "neither",
    "noted",
    "reported",
    "reporters",
    "say",
    "saying",
    "since",
    "stated",
    "still",
    "though",
    "thus",
    "told",
    "toward",
    "towards",
    "upon",
    "whether",
    "within",
    "without",
    "yet",
];

/// Whether a normalised word carries no content for sentence comparison:
/// [`text::is_stopword`] or one of a few more function and reporting words.
pub(crate) fn is_function_word(norm: &str) -> bool {
    text::is_stopword(norm) || EXTRA_STOPWORDS.binary_search(&norm).is_ok()
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A light English stemmer: plural and third-person `-s`/`-es`/`-ies`, then
/// one of `-ment`, `-ion`, `-ing`, `-ed`, `-ly` (`-ingly`, `-edly`), then a
/// final `-e` and a doubled final consonant. Words of three letters or less
/// and words with digits are kept. It conflates "elections"/"elected",
/// "discussions"/"discussed", "cooperation"/"cooperate",
/// "developments"/"developing"; it is deliberately not Porter: it never
/// needs to produce words, only equal keys for close inflections.
pub(crate) fn stem(word: &str) -> String {
    if word.len() <= 3 || text::has_digit(word) {
        return word.to_string();
    }
    let mut w = word.to_string();
    if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses")
        || w.ends_with("xes")
        || w.ends_with("ches")
        || w.ends_with("shes")
        || w.ends_with("zes")
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.pop();
    }
    for (suffix, min_rest) in [("ingly", 3), ("edly", 3), ("ment", 3), ("ion", 4), ("ing", 3), ("ed", 3), ("ly", 3)] {
        if w.ends_with(suffix) {
            let rest = &w[..w.len() - suffix.len()];
            if rest.len() >= min_rest && rest.bytes().any(is_vowel) {
                w.truncate(rest.len());
                break;
            }
        }
    }
    if w.len() > 3 && w.ends_with('e') {
        w.pop();
    }
    let b = w.as_bytes();
    let n = b.len();
    if n > 3
        && b[n - 1] == b[n - 2]
        && b[n - 1].is_ascii_alphabetic()
        && !is_vowel(b[n - 1])
        && !matches!(b[n - 1], b'l' | b's' | b'z')
    {
        w.pop();
    }
    w
}

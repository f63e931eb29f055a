//! Facts in a text: name mentions (people, places, organisations), numbers,
//! dates and quotes; the spelling variants of names across a story; and the
//! test whether a fact of one article is present in another.
//!
//! Owns [`Scan`] (what one article contains: [`Mention`]s, [`ValueFact`]s,
//! [`QuoteText`]s) and [`scan_article`], which runs the passes below over
//! each sentence. Each pass reads a [`SentenceWords`]; they run in a fixed
//! order and share one `used` flag per word, so that a word taken by a date
//! ("May 5") is not read again as a number or a name.
//!
//! | file | responsibility |
//! |---|---|
//! | `mod.rs` | the scan types, [`scan_article`], [`SentenceWords`], word shapes (capitals, acronyms, possessives) and the story-wide word sets |
//! | `dates.rs` | pass 1: dates ("September 23, 2024", "23 September", "May 2024", weekdays) |
//! | `numbers.rs` | pass 2: numbers with their scale, unit and currency, and spelled-out numbers |
//! | `names.rs` | pass 3: capitalised word sequences that are names ([`Mention`]) |
//! | `quotes.rs` | quotations, paragraph by paragraph |
//! | `lexicon.rs` | the word lists that recognise names and decide their kind |
//! | `spelling.rs` | whether two name words are spellings or derivations of one name |
//! | `variants.rs` | [`Variants`]: the spelling-variant clusters of a story's name words |
//! | `name_index.rs` | [`NameIndex`]: whether a name mention of one article is present in another |
//! | `tests.rs` | unit tests of the passes, spellings and acronyms |
//!
//! It must not decide what is unique to an article (the caller compares the
//! scans) and must not do I/O.

mod dates;
mod lexicon;
mod name_index;
mod names;
mod numbers;
mod quotes;
mod spelling;
mod variants;

use std::collections::HashSet;

use super::sentence::Word;
use super::FactKind;
use crate::text;
use lexicon::TITLE_WORDS;

pub(crate) use name_index::NameIndex;
pub(crate) use variants::Variants;

/// A capitalised word sequence found in one sentence.
#[derive(Clone, Debug)]
pub(crate) struct Mention {
    /// Sentence and word index, for ordering.
    pub pos: (usize, usize),
    /// The text as written (possessive removed).
    pub surface: String,
    /// Byte offset in `surface` of the first word that is not a title
    /// ("Abdul" in "Prime Minister Abdul Hamid Dbeibah").
    pub name_start: usize,
    /// The significant words, normalised (no particles, connectors, initials
    /// or abbreviated titles).
    pub words: Vec<String>,
    /// The same words as written.
    pub written: Vec<String>,
    /// For a one-word all-capitals mention ("LNA", "U.S."): its letters, lower case.
    pub acronym: Option<String>,
    /// Whether its sentence is prose, not title case: there a capital marks
    /// a name, while a title-case headline capitalises every word.
    pub prose: bool,
    /// The all-capitals words of the mention, lower case.
    pub acronyms: Vec<String>,
    /// Preceded by a locative preposition ("in Tripoli").
    pub place_hint: bool,
    /// Canonical word ids (sorted, deduplicated), set by [`NameIndex`].
    pub canon: Vec<u32>,
    /// The canonical id of the last significant word, set by [`NameIndex`].
    pub head: u32,
    /// The canonical id of each of `words`, set by [`NameIndex`].
    pub word_ids: Vec<u32>,
}

impl Mention {
    /// The canonical ids of `words`, in order.
    fn canon_words(&self) -> impl Iterator<Item = u32> + '_ {
        self.word_ids.iter().copied()
    }

    /// The mention without leading titles ("Abdul Hamid Dbeibah").
    pub(crate) fn name(&self) -> &str {
        self.surface.get(self.name_start..).unwrap_or(&self.surface)
    }

    /// Whether the mention is only a role ("Prime Minister", "General Commander").
    pub(crate) fn is_title_only(&self) -> bool {
        self.words.iter().all(|w| TITLE_WORDS.binary_search(&w.as_str()).is_ok())
    }
}

/// A number or date fact with its comparison key.
#[derive(Clone, Debug)]
pub(crate) struct ValueFact {
    pub pos: (usize, usize),
    pub kind: FactKind,
    pub text: String,
    pub key: String,
}

/// A quotation: the quoted words and the sentence where it starts.
#[derive(Clone, Debug)]
pub(crate) struct QuoteText {
    pub pos: (usize, usize),
    pub text: String,
}

/// What one article contains.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scan {
    pub mentions: Vec<Mention>,
    pub values: Vec<ValueFact>,
    /// Keys of every number in the article, including spelled-out ones.
    pub number_keys: HashSet<String>,
    /// Keys of every date in the article.
    pub date_keys: HashSet<String>,
    pub quotes: Vec<QuoteText>,
}

/// Scans one article: mentions, numbers, dates (sentence by sentence) and
/// quotations (paragraph by paragraph in `body`).
pub(crate) fn scan_article(
    sentences: &[String],
    words: &[Vec<Word>],
    body: &str,
    caps: &HashSet<String>,
    min_quote_words: usize,
) -> Scan {
    let mut scan = Scan::default();
    for (sentence_idx, (text, words)) in sentences.iter().zip(words).enumerate() {
        let sentence = SentenceWords { index: sentence_idx, text, words };
        scan_sentence(&mut scan, &sentence, caps);
    }
    scan.quotes = quotes::quotes(body, sentences, min_quote_words);
    scan
}

/// Runs the three passes over one sentence. The order matters: dates first,
/// so that the day and year of "September 23, 2024" are not numbers, then
/// numbers, so that a number is never part of a name.
fn scan_sentence(scan: &mut Scan, sentence: &SentenceWords, caps: &HashSet<String>) {
    let mut used = vec![false; sentence.len()];
    dates::scan_dates(scan, sentence, &mut used);
    numbers::scan_numbers(scan, sentence, &mut used);
    names::scan_names(scan, sentence, &used, caps);
}

/// One sentence as the passes read it: its text, its words (with their
/// byte offsets in the text) and its position in the article.
pub(super) struct SentenceWords<'t, 'w> {
    /// The sentence's index in its article.
    pub index: usize,
    /// The sentence as written.
    pub text: &'t str,
    /// Its words, in order.
    pub words: &'w [Word<'t>],
}

impl<'t> SentenceWords<'t, '_> {
    /// The number of words.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.words.len()
    }

    /// The text between word `k` and the next one (after the last word: to
    /// the end of the sentence).
    #[inline]
    pub(super) fn gap_after(&self, k: usize) -> &'t str {
        let words = self.words;
        if k + 1 < words.len() {
            &self.text[words[k].end()..words[k + 1].start]
        } else {
            &self.text[words[k].end()..]
        }
    }

    /// The text between the previous word and word `k` (before the first
    /// word: from the start of the sentence).
    #[inline]
    pub(super) fn gap_before(&self, k: usize) -> &'t str {
        let words = self.words;
        if k == 0 {
            &self.text[..words[0].start]
        } else {
            &self.text[words[k - 1].end()..words[k].start]
        }
    }

    /// The text from the start of word `first` to the end of word `last`.
    #[inline]
    pub(super) fn span(&self, first: usize, last: usize) -> &'t str {
        &self.text[self.words[first].start..self.words[last].end()]
    }
}

/// The word without a trailing possessive ("Haftar's" → "Haftar"); a word
/// that is only an apostrophe stays as it is.
fn strip_possessive(w: &str) -> &str {
    for suffix in ["'s", "\u{2019}s", "'", "\u{2019}"] {
        if let Some(s) = w.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    w
}

fn has_possessive(w: &str) -> bool {
    strip_possessive(w).len() != w.len()
}

/// Capitalised, or an elided particle before a capital ("d’Affaires").
fn is_cap_word(w: &str) -> bool {
    if text::is_capitalized(w) {
        return true;
    }
    if let Some(p) = w.find(['\'', '\u{2019}']) {
        let pre = &w[..p];
        let post = w[p..].chars().nth(1);
        return pre.chars().count() <= 2 && pre.chars().all(char::is_lowercase) && post.is_some_and(char::is_uppercase);
    }
    false
}

/// All capitals ("LNA", "U.S."), two letters or more.
fn acronym_letters(w: &str) -> Option<String> {
    let w = strip_possessive(w);
    let letters: String = w.chars().filter(|c| *c != '.').collect();
    if letters.chars().count() >= 2 && letters.chars().all(|c| c.is_alphabetic() && c.is_uppercase()) {
        Some(text::normalize(&letters))
    } else {
        None
    }
}

/// White space on one line only: two words separated this way read as one
/// phrase ("September 2024"); a line break or punctuation separates them.
fn is_space_gap(g: &str) -> bool {
    !g.is_empty() && g.chars().all(|c| c.is_whitespace() && c != '\n')
}

/// A gap before a word after which the word starts a clause like a sentence
/// does (an opening quote, a colon).
fn opens_clause(gap: &str) -> bool {
    gap.chars().any(|c| matches!(text::fold_char(c), '"' | ':' | '(' | '['))
}

/// The set of words that occur capitalised somewhere other than at the start
/// of a sentence or quotation: a capitalised sentence-initial word is a name
/// only when it is in this set.
pub(crate) fn mid_sentence_caps(sentences: &[Vec<String>], words: &[Vec<Vec<Word>>]) -> HashSet<String> {
    let mut caps = HashSet::new();
    for (s, ws) in sentences.iter().flatten().zip(words.iter().flatten()) {
        for k in 1..ws.len() {
            if is_cap_word(ws[k].text) && !opens_clause(&s[ws[k - 1].end()..ws[k].start]) {
                caps.insert(ws[k].norm.clone());
            }
        }
    }
    caps
}

/// Lower-case words of the story (a word seen in lower case is a common word,
/// not a name, so it is not matched fuzzily).
pub(crate) fn lowercase_words<'a>(words: &'a [Vec<Vec<Word>>]) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    for w in words.iter().flatten().flatten() {
        if w.text.chars().next().is_some_and(char::is_lowercase) {
            out.insert(w.norm.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests;

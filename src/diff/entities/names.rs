//! The name pass: capitalised word sequences that are names ("Field
//! Marshal Khalifa Haftar", "Government of National Unity", "Al-Haddad",
//! "LNA"), as [`Mention`]s.
//!
//! Owns [`scan_names`] and the rules of where a name starts, what joins it
//! and where it ends. It runs last of the three passes and skips the words
//! that dates and numbers took. It must not decide what a name refers to
//! (that is [`super::NameIndex`]) or whether two spellings are one name
//! (that is [`super::Variants`]).

use std::collections::HashSet;

use super::dates::{month_of, WEEKDAYS};
use super::lexicon::{CONNECTORS, PARTICLES, PLACE_PREPOSITIONS, SENTENCE_ADVERBS, TITLE_WORDS, TRAVEL_WORDS};
use super::{acronym_letters, has_possessive, is_cap_word, is_space_gap, opens_clause, strip_possessive};
use super::{Mention, Scan, SentenceWords};
use crate::diff::sentence::TITLES;
use crate::text;

/// Adds the name mentions of one sentence to `scan`. `used` marks the words
/// that dates and numbers took; `caps` holds the words that the story
/// capitalises somewhere mid-sentence.
pub(super) fn scan_names(scan: &mut Scan, sentence: &SentenceWords, used: &[bool], caps: &HashSet<String>) {
    let names = NameRules { sentence, used, caps, prose: !title_case(sentence) };
    let n = sentence.len();
    let mut k = 0;
    while k < n {
        if !names.starts_at(k) {
            k += 1;
            continue;
        }
        let last = names.last_word(k);
        if let Some(mention) = names.mention(k, last) {
            scan.mentions.push(mention);
        }
        k = last + 1;
    }
}

/// The rules of a name over one sentence.
struct NameRules<'a, 't, 'w> {
    sentence: &'a SentenceWords<'t, 'w>,
    used: &'a [bool],
    caps: &'a HashSet<String>,
    /// Whether the sentence is prose (see [`Mention::prose`]).
    prose: bool,
}

/// Words a title-case headline leaves in lower case.
const TITLE_CASE_SMALL: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "nor", "of", "on", "or", "the", "to", "vs", "with",
];

/// Whether a sentence is written in title case ("SXSW Grants Edward
/// Snowden Immunity"): at least three words after the first, and every one
/// of them that starts with a letter and is not a small word
/// ([`TITLE_CASE_SMALL`]) capitalised. A prose sentence dense with names
/// still has a lower-case verb ("met", "said").
fn title_case(sentence: &SentenceWords) -> bool {
    let mut capitalised = 0;
    for word in sentence.words.iter().skip(1) {
        let Some(first) = word.text.chars().next().filter(|c| c.is_alphabetic()) else { continue };
        if first.is_uppercase() {
            capitalised += 1;
        } else if TITLE_CASE_SMALL.binary_search(&word.norm.as_str()).is_err() {
            return false;
        }
    }
    capitalised >= 3
}

impl NameRules<'_, '_, '_> {
    /// Whether word `k + 1` may continue a name that ends with word `k`: a
    /// space or a hyphen between them, or the full stop of an initial, a
    /// dotted acronym or an abbreviated title ("A. Wallander", "U.S. Army",
    /// "Lt. Gen."). A possessive or a line break ends a name.
    fn joins(&self, k: usize) -> bool {
        let word = &self.sentence.words[k];
        let gap = self.sentence.gap_after(k);
        if has_possessive(word.text) || gap.contains('\n') {
            return false;
        }
        if is_space_gap(gap) || gap.is_empty() {
            return true;
        }
        if gap.chars().count() == 1 && text::fold_char(gap.chars().next().unwrap_or(' ')) == '-' {
            return true;
        }
        gap.trim_end() == "."
            && gap.len() > 1
            && (word.text.chars().count() == 1
                || word.text.contains('.')
                || TITLES.binary_search(&word.norm.as_str()).is_ok())
    }

    /// Whether word `k` is a capitalised word that may be part of a name,
    /// wherever it stands.
    fn cap_word(&self, k: usize) -> bool {
        let words = self.sentence.words;
        let w = words[k].text;
        let norm = words[k].norm.as_str();
        // The pronoun "I" is capitalised but never a name.
        if self.used[k] || norm.is_empty() || text::has_digit(w) || !is_cap_word(w) || norm == "i" {
            return false;
        }
        let acronym = acronym_letters(w).is_some();
        // A capitalised stopword is no name ("The", "A"), except as an
        // initial inside a name ("Celeste A. Wallander"): at the start of a
        // sentence "A." is more likely the article than an initial.
        let initial = w.chars().count() == 1 && k + 1 < words.len() && self.sentence.gap_after(k).starts_with('.');
        if text::is_stopword(norm) && !acronym && !(initial && k > 0) {
            return false;
        }
        // Months and weekdays that the date pass left (a lone "March") are
        // not name words. A capitalised "May" never gets here (it is the
        // modal verb, a stopword); the exception keeps an all-capitals
        // "MAY", which reads as an acronym, a name word.
        norm == "may" || (month_of(norm).is_none() && !WEEKDAYS.contains(&norm))
    }

    /// Whether word `k` is a name word where it stands. At the start of a
    /// sentence or quotation, capitals prove nothing: the word must be an
    /// acronym, be capitalised elsewhere mid-sentence, or open a run of
    /// capitalised words ("Interior Minister Ali Yerlikaya") without being
    /// a sentence adverb ("Meanwhile", or any word in "-ly").
    fn nameish(&self, k: usize) -> bool {
        if !self.cap_word(k) {
            return false;
        }
        let sentence = self.sentence;
        if k == 0 || opens_clause(sentence.gap_before(k)) {
            let norm = sentence.words[k].norm.as_str();
            return acronym_letters(sentence.words[k].text).is_some()
                || self.caps.contains(norm)
                || (k + 1 < sentence.len()
                    && is_space_gap(sentence.gap_after(k))
                    && self.cap_word(k + 1)
                    && !norm.ends_with("ly")
                    && SENTENCE_ADVERBS.binary_search(&norm).is_err());
        }
        true
    }

    /// Whether word `k` is a name particle ("al", "bin", "de").
    fn particle(&self, k: usize) -> bool {
        PARTICLES.binary_search(&self.sentence.words[k].norm.as_str()).is_ok()
    }

    /// Whether word `k` is a lower-case connector ("of", "for").
    fn connector(&self, k: usize) -> bool {
        let word = &self.sentence.words[k];
        !is_cap_word(word.text) && CONNECTORS.contains(&word.norm.as_str())
    }

    /// Whether word `k` joins and word `k + 1` is a name word: what a
    /// particle or a connector needs to be inside a name.
    fn leads_to_name(&self, k: usize) -> bool {
        k + 1 < self.sentence.len() && self.joins(k) && self.nameish(k + 1)
    }

    /// Whether a name starts at word `k`: a name word, or a particle before
    /// one ("talks with al-Haddad"). A particle that opens the sentence
    /// does not start a name this way, so that the first word of a sentence
    /// always has to pass the sentence-start test of [`NameRules::nameish`].
    fn starts_at(&self, k: usize) -> bool {
        self.nameish(k) || (self.particle(k) && !self.used[k] && self.leads_to_name(k) && k > 0)
    }

    /// The last word of the name that starts at word `first`: name words
    /// follow each other, and a particle or a connector ("of", "for") may
    /// stand between two of them ("Government of National Unity").
    fn last_word(&self, first: usize) -> usize {
        let n = self.sentence.len();
        let mut last = first;
        loop {
            let next = last + 1;
            if next >= n || !self.joins(last) {
                return last;
            }
            if self.nameish(next) {
                last = next;
            } else if (self.particle(next) || self.connector(next)) && self.leads_to_name(next) {
                last = next + 1;
            } else {
                return last;
            }
        }
    }

    /// The mention made of words `first..=last`, or `None` when none of
    /// them is significant (only initials, particles or abbreviated titles).
    fn mention(&self, first: usize, last: usize) -> Option<Mention> {
        let sentence = self.sentence;
        let span = &sentence.words[first..=last];
        let mut words = Vec::new();
        let mut written = Vec::new();
        for w in span {
            let norm = w.norm.as_str();
            if norm.is_empty()
                || w.text.chars().count() == 1
                || PARTICLES.binary_search(&norm).is_ok()
                || (CONNECTORS.contains(&norm) && !is_cap_word(w.text))
                || TITLES.binary_search(&norm).is_ok()
            {
                continue;
            }
            words.push(norm.to_string());
            written.push(strip_possessive(w.text).to_string());
        }
        if words.is_empty() {
            return None;
        }
        let acronym = if first == last { acronym_letters(sentence.words[first].text) } else { None };
        let name_word = (first..=last)
            .find(|&j| {
                let norm = sentence.words[j].norm.as_str();
                TITLE_WORDS.binary_search(&norm).is_err() && TITLES.binary_search(&norm).is_err()
            })
            .unwrap_or(first);
        Some(Mention {
            pos: (sentence.index, first),
            surface: strip_possessive(sentence.span(first, last)).to_string(),
            name_start: sentence.words[name_word].start - sentence.words[first].start,
            words,
            written,
            acronym,
            prose: self.prose,
            acronyms: span.iter().filter_map(|w| acronym_letters(w.text)).collect(),
            place_hint: self.place_hint(first),
            canon: Vec::new(),
            head: 0,
            word_ids: Vec::new(),
        })
    }

    /// Whether the name at word `first` follows a locative preposition ("in
    /// Tripoli") or a travel word and "to" ("visit to Tripoli").
    fn place_hint(&self, first: usize) -> bool {
        let words = self.sentence.words;
        let lower = |j: usize| words[j].text.chars().all(char::is_lowercase).then(|| words[j].norm.as_str());
        (first >= 1 && lower(first - 1).is_some_and(|p| PLACE_PREPOSITIONS.binary_search(&p).is_ok()))
            || (first >= 2
                && lower(first - 1) == Some("to")
                && lower(first - 2).is_some_and(|p| TRAVEL_WORDS.contains(&p)))
    }
}

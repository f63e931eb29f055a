//! Facts in a text: name mentions (people, places, organisations), numbers,
//! dates and quotes; the spelling variants of names across a story; and the
//! test whether a fact of one article is present in another.

use std::collections::{HashMap, HashSet};

use super::sentence::{Word, TITLES};
use super::FactKind;
use crate::text;

/// Lower-case words that glue a capitalised sequence together between two
/// capitalised words ("Government of National Unity").
const CONNECTORS: &[&str] = &["for", "of"];

/// Name particles: they join a name ("Al-Haddad", "bin Zayed", "de Gaulle")
/// but are ignored when comparing names ("Al-Haddad" = "Haddad"). Sorted.
const PARTICLES: &[&str] =
    &["abu", "al", "bin", "bint", "da", "de", "del", "della", "der", "di", "du", "el", "ibn", "la", "le", "van", "von"];

/// Words that make a capitalised sequence an organisation. Sorted.
const ORG_WORDS: &[&str] = &[
    "administration",
    "agency",
    "army",
    "assembly",
    "association",
    "authority",
    "bank",
    "brigade",
    "brigades",
    "bureau",
    "cabinet",
    "command",
    "commission",
    "committee",
    "company",
    "congress",
    "corporation",
    "corps",
    "council",
    "court",
    "department",
    "embassy",
    "federation",
    "force",
    "forces",
    "foundation",
    "front",
    "fund",
    "government",
    "group",
    "guard",
    "inc",
    "institute",
    "league",
    "ltd",
    "militia",
    "ministry",
    "movement",
    "nations",
    "navy",
    "office",
    "organisation",
    "organization",
    "parliament",
    "party",
    "police",
    "senate",
    "service",
    "services",
    "staff",
    "tribunal",
    "union",
    "university",
];

/// Capitalised words that are titles or institution words, never fuzzily
/// matched as name spellings ("Minister"/"Ministry" are two words, not two
/// spellings of one). Sorted.
const COMMON_CAPS: &[&str] = &[
    "affairs",
    "african",
    "ambassador",
    "chairman",
    "chief",
    "colonel",
    "commander",
    "defence",
    "defense",
    "deputy",
    "director",
    "envoy",
    "foreign",
    "general",
    "governor",
    "interior",
    "international",
    "lieutenant",
    "major",
    "marshal",
    "minister",
    "national",
    "nations",
    "president",
    "presidential",
    "prime",
    "secretary",
    "security",
    "senator",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "state",
    "states",
    "united",
];

/// Title words: a name made only of them ("Prime Minister") is a role, not
/// a fact, and they may be missing from a shorter mention of an
/// organisation ("Chief of Staff" vs "Staff"). Sorted.
const TITLE_WORDS: &[&str] = &[
    "ambassador",
    "assistant",
    "chairman",
    "chief",
    "colonel",
    "commander",
    "deputy",
    "director",
    "emir",
    "envoy",
    "field",
    "general",
    "governor",
    "king",
    "lieutenant",
    "major",
    "marshal",
    "mayor",
    "minister",
    "president",
    "prime",
    "prince",
    "queen",
    "secretary",
    "senator",
    "sheikh",
    "spokesman",
    "spokesperson",
    "spokeswoman",
];

/// Names that are the same thing under another word.
const ALIASES: &[(&str, &str)] = &[
    ("america", "us"),
    ("american", "us"),
    ("americans", "us"),
    ("britain", "uk"),
    ("british", "uk"),
    ("briton", "uk"),
    ("britons", "uk"),
];

/// Capitalised words that open sentences without being names. Sorted.
const SENTENCE_ADVERBS: &[&str] = &[
    "according",
    "although",
    "despite",
    "earlier",
    "following",
    "however",
    "last",
    "later",
    "meanwhile",
    "next",
    "overall",
    "separately",
    "still",
    "today",
    "tomorrow",
    "tonight",
    "yesterday",
];

/// Acronyms that name a place.
const PLACE_ACRONYMS: &[&str] = &["uae", "uk", "us", "usa"];

/// Words after which a capitalised sequence is a place. Sorted.
const PLACE_PREPOSITIONS: &[&str] =
    &["across", "at", "from", "in", "inside", "into", "near", "outside", "throughout", "toward", "towards"];

/// Words that, before "to", make the next name a destination ("visit to Tripoli").
const TRAVEL_WORDS: &[&str] =
    &["arrived", "flew", "journey", "return", "returned", "travel", "travelled", "traveled", "trip", "visit"];

const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

const MONTH_ABBREVIATIONS: &[(&str, u8)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const WEEKDAYS: &[&str] = &["friday", "monday", "saturday", "sunday", "thursday", "tuesday", "wednesday"];

const SCALES: &[(&str, f64)] =
    &[("billion", 1e9), ("bn", 1e9), ("million", 1e6), ("thousand", 1e3), ("trillion", 1e12)];

const NUMBER_WORDS: &[(&str, u32)] = &[
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("hundred", 100),
    ("dozen", 12),
];

/// Suffixes that derive a people or adjective from a place ("Libya" →
/// "Libyan", "Sudan" → "Sudanese", "Iraq" → "Iraqi").
const DERIVATION_SUFFIXES: &[&str] = &["ans", "ians", "eans", "an", "ian", "ean", "ese", "ish", "is", "i", "n", "ns"];

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

fn month_of(norm: &str) -> Option<u8> {
    MONTHS.iter().find(|(m, _)| *m == norm).map(|&(_, n)| n)
}

fn month_abbreviation_of(norm: &str) -> Option<u8> {
    MONTH_ABBREVIATIONS.iter().find(|(m, _)| *m == norm).map(|&(_, n)| n)
}

fn day_of(w: &str) -> Option<u8> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_of(w: &str) -> Option<u16> {
    if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        let y: u16 = w.parse().ok()?;
        return (1800..=2100).contains(&y).then_some(y);
    }
    None
}

fn is_space_gap(g: &str) -> bool {
    !g.is_empty() && g.chars().all(|c| c.is_whitespace() && c != '\n')
}

/// The comparison key of a number: digits without separators, scaled
/// ("1.2 million" = "1,200,000"); other forms ("6+6") as written.
fn number_key(num: &str, scale: f64) -> String {
    let plain: String = num.chars().filter(|c| *c != ',').collect();
    if plain.bytes().all(|b| b.is_ascii_digit() || b == b'.') && plain.bytes().filter(|&b| b == b'.').count() <= 1 {
        if let Ok(v) = plain.parse::<f64>() {
            let v = v * scale;
            if v.fract() == 0.0 && v.abs() < 1e15 {
                return format!("{}", v as i64);
            }
            return format!("{v}");
        }
    }
    text::normalize(&plain)
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

/// A gap before a word after which the word starts a clause like a sentence
/// does (an opening quote, a colon).
fn opens_clause(gap: &str) -> bool {
    gap.chars().any(|c| matches!(text::fold_char(c), '"' | ':' | '(' | '['))
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
    for (si, (s, ws)) in sentences.iter().zip(words).enumerate() {
        scan_sentence(&mut scan, si, s, ws, caps);
    }
    scan.quotes = quotes(body, sentences, min_quote_words);
    scan
}

fn scan_sentence(scan: &mut Scan, si: usize, s: &str, ws: &[Word], caps: &HashSet<String>) {
    let n = ws.len();
    let gap = |k: usize| -> &str {
        if k + 1 < n {
            &s[ws[k].end()..ws[k + 1].start]
        } else {
            &s[ws[k].end()..]
        }
    };
    let gap_before = |k: usize| -> &str {
        if k == 0 {
            &s[..ws[0].start]
        } else {
            &s[ws[k - 1].end()..ws[k].start]
        }
    };
    let mut used = vec![false; n];

    // Dates.
    for k in 0..n {
        if used[k] {
            continue;
        }
        let cap = text::is_capitalized(ws[k].text);
        let month = if cap {
            month_of(&ws[k].norm).or_else(|| {
                if gap(k).starts_with('.') {
                    month_abbreviation_of(&ws[k].norm)
                } else {
                    None
                }
            })
        } else {
            None
        };
        let mut date: Option<(usize, usize, String)> = None;
        if let Some(m) = month {
            if k + 1 < n && day_of(ws[k + 1].text).is_some() && gap(k).trim_start_matches('.').trim().is_empty() {
                let d = day_of(ws[k + 1].text).unwrap_or(0);
                let mut end = k + 1;
                if k + 2 < n && gap(k + 1).trim() == "," && year_of(ws[k + 2].text).is_some() {
                    end = k + 2;
                }
                date = Some((k, end, format!("m{m}-d{d}")));
            } else if k + 1 < n && is_space_gap(gap(k)) && year_of(ws[k + 1].text).is_some() {
                date = Some((k, k + 1, format!("m{m}-y{}", ws[k + 1].text)));
            } else if ws[k].norm != "may" && ws[k].norm != "march" && month_of(&ws[k].norm).is_some() {
                date = Some((k, k, format!("m{m}")));
            }
        } else if let Some(d) = day_of(ws[k].text) {
            if k + 1 < n && is_space_gap(gap(k)) && text::is_capitalized(ws[k + 1].text) {
                if let Some(m) = month_of(&ws[k + 1].norm) {
                    let mut end = k + 1;
                    if k + 2 < n && is_space_gap(gap(k + 1)) && year_of(ws[k + 2].text).is_some() {
                        end = k + 2;
                    }
                    date = Some((k, end, format!("m{m}-d{d}")));
                }
            }
        } else if cap && WEEKDAYS.contains(&ws[k].norm.as_str()) {
            date = Some((k, k, format!("w{}", ws[k].norm)));
        }
        if let Some((a, b, key)) = date {
            for u in &mut used[a..=b] {
                *u = true;
            }
            scan.date_keys.insert(key.clone());
            scan.values.push(ValueFact {
                pos: (si, a),
                kind: FactKind::Date,
                text: strip_possessive(&s[ws[a].start..ws[b].end()]).to_string(),
                key,
            });
        }
    }

    // Numbers.
    let mut k = 0;
    while k < n {
        if used[k] || !text::has_digit(ws[k].text) {
            if !used[k] {
                if let Some(&(_, v)) = NUMBER_WORDS.iter().find(|(w, _)| *w == ws[k].norm) {
                    let scale = if k + 1 < n {
                        SCALES.iter().find(|(w, _)| *w == ws[k + 1].norm).map_or(1.0, |s| s.1)
                    } else {
                        1.0
                    };
                    scan.number_keys.insert(number_key(&v.to_string(), scale));
                }
            }
            k += 1;
            continue;
        }
        let first = k;
        let mut last = k;
        while last + 1 < n
            && !used[last + 1]
            && text::has_digit(ws[last + 1].text)
            && matches!(gap(last), "+" | "/" | "-" | ":" | "x")
        {
            last += 1;
        }
        let number = &s[ws[first].start..ws[last].end()];
        let mut end = last;
        let mut scale = 1.0;
        if end + 1 < n && is_space_gap(gap(end)) {
            if let Some(&(_, sc)) = SCALES.iter().find(|(w, _)| *w == ws[end + 1].norm) {
                scale = sc;
                end += 1;
            }
        }
        let mut suffix = "";
        let after = gap(end);
        let is_year = first == last && year_of(ws[first].text).is_some();
        if after.starts_with('%') {
            suffix = "%";
        } else if end + 1 < n && is_space_gap(after) && matches!(ws[end + 1].norm.as_str(), "percent" | "per") {
            end += 1;
            if ws[end].norm == "per" && end + 1 < n && ws[end + 1].norm == "cent" {
                end += 1;
            }
        } else if !is_year
            && end + 1 < n
            && is_space_gap(after)
            && ws[end + 1].text.chars().all(char::is_lowercase)
            && !text::is_stopword(&ws[end + 1].norm)
        {
            end += 1;
        }
        let before = gap_before(first).trim_end();
        let currency = before.chars().last().filter(|c| matches!(c, '$' | '€' | '£'));
        let mut shown = String::new();
        if let Some(c) = currency {
            shown.push(c);
        }
        shown.push_str(&s[ws[first].start..ws[end].end()]);
        shown.push_str(suffix);
        let key = number_key(number, scale);
        scan.number_keys.insert(key.clone());
        scan.values.push(ValueFact { pos: (si, first), kind: FactKind::Number, text: shown, key });
        for u in &mut used[first..=end] {
            *u = true;
        }
        k = end + 1;
    }

    // Names.
    let joins = |k: usize| -> bool {
        // whether word k+1 may continue a sequence ending with word k
        let g = gap(k);
        if has_possessive(ws[k].text) || g.contains('\n') {
            return false;
        }
        if is_space_gap(g) || g.is_empty() {
            return true;
        }
        if g.chars().count() == 1 && text::fold_char(g.chars().next().unwrap_or(' ')) == '-' {
            return true;
        }
        let prev = ws[k].text;
        g.trim_end() == "."
            && g.len() > 1
            && (prev.chars().count() == 1 || prev.contains('.') || TITLES.binary_search(&ws[k].norm.as_str()).is_ok())
    };
    // A capitalised word that may be part of a name (ignoring where it stands).
    let cap_word = |k: usize| -> bool {
        let w = ws[k].text;
        let norm = ws[k].norm.as_str();
        if used[k] || norm.is_empty() || text::has_digit(w) || !is_cap_word(w) || norm == "i" {
            return false;
        }
        let acronym = acronym_letters(w).is_some();
        let initial = w.chars().count() == 1 && k + 1 < n && gap(k).starts_with('.');
        if text::is_stopword(norm) && !acronym && !(initial && k > 0) {
            return false;
        }
        norm == "may" || (month_of(norm).is_none() && !WEEKDAYS.contains(&norm))
    };
    // At the start of a sentence or quotation, capitals prove nothing: the
    // word must be an acronym, be capitalised elsewhere mid-sentence, or
    // open a run of capitalised words ("Interior Minister Ali Yerlikaya")
    // without being a sentence adverb ("Meanwhile").
    let nameish = |k: usize| -> bool {
        if !cap_word(k) {
            return false;
        }
        if k == 0 || opens_clause(gap_before(k)) {
            let norm = ws[k].norm.as_str();
            return acronym_letters(ws[k].text).is_some()
                || caps.contains(norm)
                || (k + 1 < n
                    && is_space_gap(gap(k))
                    && cap_word(k + 1)
                    && !norm.ends_with("ly")
                    && SENTENCE_ADVERBS.binary_search(&norm).is_err());
        }
        true
    };
    let particle = |k: usize| PARTICLES.binary_search(&ws[k].norm.as_str()).is_ok();
    let connector = |k: usize| !is_cap_word(ws[k].text) && CONNECTORS.contains(&ws[k].norm.as_str());
    let mut k = 0;
    while k < n {
        let starts = nameish(k) || (particle(k) && !used[k] && k + 1 < n && joins(k) && nameish(k + 1) && k > 0);
        if !starts {
            k += 1;
            continue;
        }
        let first = k;
        let mut last = k;
        loop {
            let nx = last + 1;
            if nx >= n || !joins(last) {
                break;
            }
            if nameish(nx) || (particle(nx) && nx + 1 < n && joins(nx) && nameish(nx + 1)) {
                last = if nameish(nx) { nx } else { nx + 1 };
                continue;
            }
            if connector(nx) && nx + 1 < n && joins(nx) && nameish(nx + 1) {
                last = nx + 1;
                continue;
            }
            break;
        }
        let mut words = Vec::new();
        let mut written = Vec::new();
        for w in &ws[first..=last] {
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
        if !words.is_empty() {
            let prev = |j: usize| ws[j].text.chars().all(char::is_lowercase).then(|| ws[j].norm.as_str());
            let place_hint = (first >= 1
                && prev(first - 1).is_some_and(|p| PLACE_PREPOSITIONS.binary_search(&p).is_ok()))
                || (first >= 2
                    && prev(first - 1) == Some("to")
                    && prev(first - 2).is_some_and(|p| TRAVEL_WORDS.contains(&p)));
            let acronym = if first == last { acronym_letters(ws[first].text) } else { None };
            let acronyms = ws[first..=last].iter().filter_map(|w| acronym_letters(w.text)).collect();
            let name_word = (first..=last)
                .find(|&j| {
                    let norm = ws[j].norm.as_str();
                    TITLE_WORDS.binary_search(&norm).is_err() && TITLES.binary_search(&norm).is_err()
                })
                .unwrap_or(first);
            scan.mentions.push(Mention {
                pos: (si, first),
                surface: strip_possessive(&s[ws[first].start..ws[last].end()]).to_string(),
                name_start: ws[name_word].start - ws[first].start,
                words,
                written,
                acronym,
                acronyms,
                place_hint,
                canon: Vec::new(),
                head: 0,
                word_ids: Vec::new(),
            });
        }
        k = last + 1;
    }
}

/// Quotations in straight or curly double quotes, paired within a
/// paragraph (an unclosed quote runs to the paragraph end, as in
/// multi-paragraph quotes), of at least `min_words` words.
fn quotes(body: &str, sentences: &[String], min_words: usize) -> Vec<QuoteText> {
    let mut out = Vec::new();
    for para in body.split("\n\n") {
        let mut open: Option<usize> = None;
        let mut spans = Vec::new();
        for (i, c) in para.char_indices() {
            if text::fold_char(c) == '"' {
                match open.take() {
                    Some(start) => spans.push((start, i)),
                    None => open = Some(i + c.len_utf8()),
                }
            }
        }
        if let Some(start) = open {
            spans.push((start, para.len()));
        }
        for (a, b) in spans {
            let q = para[a..b].split_whitespace().collect::<Vec<_>>().join(" ");
            let q = q.trim_matches(|c: char| c.is_whitespace() || c == ',').to_string();
            if text::words(&q).count() < min_words {
                continue;
            }
            let probe: String = q.chars().take(30).collect();
            let si = sentences.iter().position(|s| s.contains(&probe)).unwrap_or(sentences.len());
            out.push(QuoteText { pos: (si, 0), text: q });
        }
    }
    out
}

/// Letter classes that transliterations swap ("Gaddafi"/"Qaddafi").
fn letter_class(c: char) -> char {
    match c {
        'a' | 'e' | 'i' | 'o' | 'u' => 'a',
        'c' | 'k' | 'q' | 'g' => 'k',
        'j' | 'y' => 'j',
        'b' | 'p' => 'b',
        'd' | 't' => 'd',
        'f' | 'v' => 'f',
        's' | 'z' => 's',
        _ => c,
    }
}

/// Strips diacritics and keeps letters: "Chargé" → "charge".
fn ascii_fold(word: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    word.nfd().filter(|c| !is_combining_mark(*c) && c.is_alphabetic()).flat_map(char::to_lowercase).collect()
}

/// The consonant skeleton of a name: the first letter's class, then the
/// consonant classes with vowels, `h`, `w`, `y` dropped and repeats
/// collapsed ("Dbeibah", "Dbaiba" → "db"; "Gaddafi", "Qadhafi" → "kdf").
pub(crate) fn skeleton(word: &str) -> String {
    let w = ascii_fold(word).replace("ph", "f").replace("ck", "k");
    let mut out = String::new();
    let mut last = None;
    for (i, c) in w.chars().enumerate() {
        let cls = letter_class(c);
        if i > 0 && (cls == 'a' || matches!(c, 'h' | 'w' | 'y')) {
            continue;
        }
        if last != Some(cls) {
            out.push(cls);
        }
        last = Some(cls);
    }
    out
}

/// Jaro-Winkler similarity of two words (characters).
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = vec![false; a.len()];
    let mut b_match = vec![false; b.len()];
    let mut m = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && a[i] == b[j] {
                a_match[i] = true;
                b_match[j] = true;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let (mut t, mut j) = (0usize, 0usize);
    for i in 0..a.len() {
        if a_match[i] {
            while !b_match[j] {
                j += 1;
            }
            if a[i] != b[j] {
                t += 1;
            }
            j += 1;
        }
    }
    let m = m as f32;
    let jaro = (m / a.len() as f32 + m / b.len() as f32 + (m - t as f32 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f32;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Optimal-string-alignment edit distance (characters).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// Whether two (normalised) name words are spellings of one name: same
/// first-letter class, lengths within 2, and either Jaro-Winkler ≥
/// `threshold` with at most one edit (two for words of 8+ letters), or the
/// same consonant skeleton (2+ classes) with Jaro-Winkler ≥ 0.75.
pub(crate) fn same_spelling(a: &str, b: &str, threshold: f32) -> bool {
    let (fa, fb) = (ascii_fold(a), ascii_fold(b));
    let (la, lb) = (fa.chars().count(), fb.chars().count());
    if la < 4 || lb < 4 || la.abs_diff(lb) > 2 {
        return false;
    }
    let (ca, cb) = (fa.chars().next().map(letter_class), fb.chars().next().map(letter_class));
    if ca != cb {
        return false;
    }
    if fa == fb {
        return true;
    }
    let jw = jaro_winkler(&fa, &fb);
    let max_edits = if la.min(lb) >= 8 { 2 } else { 1 };
    if jw >= threshold && edit_distance(&fa, &fb) <= max_edits {
        return true;
    }
    let (sa, sb) = (skeleton(&fa), skeleton(&fb));
    sa.chars().count() >= 2 && sa == sb && jw >= 0.75
}

/// Whether `derived` is a derivation of `base` ("Libya" → "Libyan",
/// "Sudan" → "Sudanese", "Italy" → "Italian", "Iraq" → "Iraqi").
pub(crate) fn derives_from(derived: &str, base: &str) -> bool {
    if base.chars().count() < 4 || derived.len() <= base.len() {
        return false;
    }
    let stem = base.trim_end_matches(['a', 'e', 'y', 'o']);
    let stem = if stem.chars().count() >= 3 { stem } else { base };
    for s in [base, stem] {
        if let Some(rest) = derived.strip_prefix(s) {
            if DERIVATION_SUFFIXES.contains(&rest) {
                return true;
            }
        }
    }
    false
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let next = self.0[y];
            self.0[y] = r;
            y = next;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Spelling-variant clusters of the name words of a story.
#[derive(Debug, Default)]
pub(crate) struct Variants {
    /// Word → canonical word, for words in a cluster of two or more.
    map: HashMap<String, String>,
    /// Clusters that contain two or more spellings (not only derivations),
    /// each as its member words, canonical first.
    pub spelling_clusters: Vec<Vec<String>>,
}

impl Variants {
    /// Clusters the significant words of all mentions: derivations
    /// ("Libya"/"Libyan") and, for words never seen in lower case and not
    /// common title words, spelling variants ([`same_spelling`]).
    pub(crate) fn build(scans: &[Scan], lowercase: &HashSet<&str>, threshold: f32) -> Variants {
        let mut count: HashMap<&str, usize> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for m in scans.iter().flat_map(|s| &s.mentions) {
            if m.acronym.is_some() {
                continue;
            }
            for w in &m.words {
                if w.chars().count() < 4 || !w.chars().all(char::is_alphabetic) {
                    continue;
                }
                let c = count.entry(w.as_str()).or_insert(0);
                if *c == 0 {
                    order.push(w.as_str());
                }
                *c += 1;
            }
        }
        let index: HashMap<&str, usize> = order.iter().enumerate().map(|(i, w)| (*w, i)).collect();
        let mut uf = UnionFind((0..order.len()).collect());
        let mut derived_pairs: HashSet<(usize, usize)> = HashSet::new();
        // Derivations: look the candidate bases up.
        for (i, w) in order.iter().enumerate() {
            for suffix in DERIVATION_SUFFIXES {
                if let Some(stem) = w.strip_suffix(suffix) {
                    for end in ["", "a", "e", "y", "o"] {
                        let base = format!("{stem}{end}");
                        if let Some(&j) = index.get(base.as_str()) {
                            if j != i && derives_from(w, &base) {
                                uf.union(i, j);
                                derived_pairs.insert((i.min(j), i.max(j)));
                            }
                        }
                    }
                }
            }
        }
        // Spellings: block by first-letter class, compare words of close length.
        let fuzzy: Vec<usize> = (0..order.len())
            .filter(|&i| {
                !lowercase.contains(order[i])
                    && COMMON_CAPS.binary_search(&order[i]).is_err()
                    && TITLE_WORDS.binary_search(&order[i]).is_err()
            })
            .collect();
        let mut blocks: HashMap<char, Vec<usize>> = HashMap::new();
        for &i in &fuzzy {
            if let Some(c) = ascii_fold(order[i]).chars().next() {
                blocks.entry(letter_class(c)).or_default().push(i);
            }
        }
        let mut block_keys: Vec<char> = blocks.keys().copied().collect();
        block_keys.sort_unstable();
        for key in block_keys {
            let mut members = blocks[&key].clone();
            members.sort_by_key(|&i| order[i].chars().count());
            for x in 0..members.len() {
                let lx = order[members[x]].chars().count();
                for &j in &members[x + 1..] {
                    if order[j].chars().count() > lx + 2 {
                        break;
                    }
                    let i = members[x];
                    if uf.find(i) != uf.find(j) && same_spelling(order[i], order[j], threshold) {
                        uf.union(i, j);
                    }
                }
            }
        }
        let mut clusters: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..order.len() {
            let r = uf.find(i);
            clusters.entry(r).or_default().push(i);
        }
        let mut roots: Vec<usize> = clusters.keys().copied().collect();
        roots.sort_unstable();
        let mut variants = Variants::default();
        for r in roots {
            let members = &clusters[&r];
            if members.len() < 2 {
                continue;
            }
            // The most used spelling; on a tie the one seen first.
            let canonical = *members
                .iter()
                .max_by(|&&a, &&b| count[order[a]].cmp(&count[order[b]]).then(b.cmp(&a)))
                .unwrap_or(&members[0]);
            for &m in members {
                variants.map.insert(order[m].to_string(), order[canonical].to_string());
            }
            // Spelling groups: members joined by derivation only.
            let mut groups = UnionFind((0..members.len()).collect());
            for x in 0..members.len() {
                for y in x + 1..members.len() {
                    let (a, b) = (members[x].min(members[y]), members[x].max(members[y]));
                    if derived_pairs.contains(&(a, b)) {
                        groups.union(x, y);
                    }
                }
            }
            let distinct: HashSet<usize> = (0..members.len()).map(|x| groups.find(x)).collect();
            if distinct.len() >= 2 {
                let mut words = vec![order[canonical].to_string()];
                words.extend(members.iter().filter(|&&m| m != canonical).map(|&m| order[m].to_string()));
                variants.spelling_clusters.push(words);
            }
        }
        variants
    }

    /// The canonical spelling of a normalised word (itself when it has no
    /// variants; "us" for "American", "uk" for "British").
    pub(crate) fn canon<'a>(&'a self, word: &'a str) -> &'a str {
        if let Some(&(_, alias)) = ALIASES.iter().find(|(w, _)| *w == word) {
            return alias;
        }
        self.map.get(word).map_or(word, String::as_str)
    }
}

/// Mentions of all articles with canonical word ids, indexed by word.
pub(crate) struct NameIndex {
    ids: HashMap<String, u32>,
    /// (word id, article) → indices of the article's mentions containing it.
    postings: HashMap<(u32, usize), Vec<usize>>,
    /// Article → indices of its mentions that contain an acronym.
    acronyms: Vec<Vec<usize>>,
    /// Head ids of mentions seen after a locative preposition.
    place_heads: HashSet<u32>,
}

impl NameIndex {
    /// Sets `canon`/`head` on every mention and indexes them.
    pub(crate) fn build(scans: &mut [Scan], variants: &Variants) -> NameIndex {
        let mut index = NameIndex {
            ids: HashMap::new(),
            postings: HashMap::new(),
            acronyms: vec![Vec::new(); scans.len()],
            place_heads: HashSet::new(),
        };
        for (a, scan) in scans.iter_mut().enumerate() {
            for (mi, m) in scan.mentions.iter_mut().enumerate() {
                let ids: Vec<u32> = m.words.iter().map(|w| index.id(variants.canon(w))).collect();
                m.head = *ids.last().unwrap_or(&0);
                m.word_ids = ids.clone();
                let mut canon = ids;
                canon.sort_unstable();
                canon.dedup();
                for &id in &canon {
                    index.postings.entry((id, a)).or_default().push(mi);
                }
                m.canon = canon;
                if !m.acronyms.is_empty() {
                    index.acronyms[a].push(mi);
                }
                if m.place_hint {
                    index.place_heads.insert(m.head);
                }
            }
        }
        index
    }

    fn id(&mut self, word: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(word.to_string()).or_insert(next)
    }

    /// Whether mention `f` names the same thing as mention `m`: `m`'s
    /// canonical words contain `f`'s; or `f`'s contain `m`'s, `m` has `f`'s
    /// head word ("Brennan" for "Lt. Gen. John Brennan"), and when that head
    /// is an institution word ("Army") only title words are missing from `m`
    /// ("Libyan Army" is not "Libyan National Army"); or one is an acronym
    /// of the other, or `m` contains an acronym of `f` ("LNA", "GNU",
    /// "AFRICOM" in "Deputy Commander of AFRICOM").
    pub(crate) fn same(f: &Mention, m: &Mention) -> bool {
        if is_subset(&f.canon, &m.canon) {
            return true;
        }
        if is_subset(&m.canon, &f.canon) && m.canon.binary_search(&f.head).is_ok() {
            let org_head = f.words.last().is_some_and(|w| ORG_WORDS.binary_search(&w.as_str()).is_ok());
            if !org_head {
                return true;
            }
            let missing_only_titles =
                f.words.iter().zip(f.canon_words()).all(|(w, id)| {
                    m.canon.binary_search(&id).is_ok() || TITLE_WORDS.binary_search(&w.as_str()).is_ok()
                });
            if missing_only_titles {
                return true;
            }
        }
        match (&f.acronym, &m.acronym) {
            (Some(a), None) => forms_acronym(a, &m.words),
            (None, Some(a)) => forms_acronym(a, &f.words),
            (None, None) => m.acronyms.iter().any(|a| forms_acronym(a, &f.words)),
            _ => false,
        }
    }

    /// Whether mention `f` is matched by some mention of article `other`.
    pub(crate) fn present_in(&self, f: &Mention, other: usize, scans: &[Scan]) -> bool {
        let direct = self
            .postings
            .get(&(f.head, other))
            .is_some_and(|list| list.iter().any(|&mi| Self::same(f, &scans[other].mentions[mi])));
        if direct {
            return true;
        }
        if let Some(acr) = &f.acronym {
            return scans[other].mentions.iter().any(|m| m.acronym.is_none() && forms_acronym(acr, &m.words));
        }
        self.acronyms[other].iter().any(|&mi| Self::same(f, &scans[other].mentions[mi]))
    }

    /// The kind of a name fact: organisation (an institution word, or an
    /// acronym that is not a country's), place (seen after "in", "from", …
    /// somewhere in the story, or a country acronym), else name.
    pub(crate) fn kind(&self, f: &Mention) -> FactKind {
        if let Some(a) = &f.acronym {
            return if PLACE_ACRONYMS.contains(&a.as_str()) { FactKind::Place } else { FactKind::Organisation };
        }
        if f.words.iter().any(|w| ORG_WORDS.binary_search(&w.as_str()).is_ok()) {
            return FactKind::Organisation;
        }
        if self.place_heads.contains(&f.head) {
            return FactKind::Place;
        }
        FactKind::Name
    }
}

fn is_subset(small: &[u32], big: &[u32]) -> bool {
    !small.is_empty() && small.len() <= big.len() && small.iter().all(|x| big.binary_search(x).is_ok())
}

/// Whether `acronym` (lower case) is spelled by prefixes of some of `words`
/// in order, at least two of them: initials ("lna" = Libyan National Army)
/// or syllables ("africom" = Africa Command).
pub(crate) fn forms_acronym(acronym: &str, words: &[String]) -> bool {
    fn go(acr: &[char], words: &[Vec<char>], used: usize) -> bool {
        if acr.is_empty() {
            return used >= 2;
        }
        for (i, w) in words.iter().enumerate() {
            if w.first() != Some(&acr[0]) {
                continue;
            }
            let max = w.len().min(acr.len());
            for take in (1..=max).rev() {
                if w[..take] == acr[..take] && go(&acr[take..], &words[i + 1..], used + 1) {
                    return true;
                }
            }
        }
        false
    }
    let acr: Vec<char> = acronym.chars().collect();
    if acr.len() < 2 || acr.len() > 8 || words.len() < 2 {
        return false;
    }
    let words: Vec<Vec<char>> = words.iter().map(|w| ascii_fold(w).chars().collect()).collect();
    go(&acr, &words, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_entity_lists_sorted() {
        for list in [PARTICLES, ORG_WORDS, COMMON_CAPS, PLACE_PREPOSITIONS, TITLE_WORDS, SENTENCE_ADVERBS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn diff_spelling_variants() {
        for (a, b) in [
            ("berndt", "bernt"),
            ("dbeibah", "dbaiba"),
            ("gaddafi", "qaddafi"),
            ("gaddafi", "qadhafi"),
            ("mohammed", "mohamed"),
            ("mohammed", "muhammad"),
            ("haftar", "hifter"),
        ] {
            assert!(same_spelling(a, b, 0.9), "{a} {b} jw={} skel={} {}", jaro_winkler(a, b), skeleton(a), skeleton(b));
        }
        for (a, b) in [
            ("austria", "australia"),
            ("iran", "iraq"),
            ("libya", "liberia"),
            ("brennan", "berndt"),
            ("nations", "national"),
        ] {
            assert!(!same_spelling(a, b, 0.9), "{a} {b}");
        }
        assert!(derives_from("libyan", "libya"));
        assert!(derives_from("sudanese", "sudan"));
        assert!(derives_from("italian", "italy"));
        assert!(derives_from("iraqi", "iraq"));
        assert!(!derives_from("libya", "libyan"));
    }

    #[test]
    fn diff_acronyms() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert!(forms_acronym("lna", &w("libyan national army")));
        assert!(forms_acronym("gnu", &w("government national unity")));
        assert!(forms_acronym("africom", &w("us africa command")));
        assert!(forms_acronym("us", &w("united states")));
        assert!(!forms_acronym("isis", &w("international security affairs")));
        assert!(!forms_acronym("lna", &w("libya")));
    }

    fn mentions(s: &str) -> Vec<String> {
        let sents = vec![vec![s.to_string()]];
        let words = vec![vec![super::super::sentence::words(s)]];
        let caps = mid_sentence_caps(&sents, &words);
        scan_article(&sents[0], &words[0], s, &caps, 3).mentions.into_iter().map(|m| m.surface).collect()
    }

    #[test]
    fn diff_extracts_names() {
        assert_eq!(
            mentions("On Monday, the General Commander of the Libyan National Army (LNA), Field Marshal Khalifa Haftar, met Celeste A. Wallander and Lt. Gen. John Brennan."),
            vec!["General Commander", "Libyan National Army", "LNA", "Field Marshal Khalifa Haftar", "Celeste A. Wallander", "Lt. Gen. John Brennan"]
        );
        assert_eq!(
            mentions("The Chief of Staff of the Libyan Army, Lieutenant General Mohammed Al-Haddad, met the US Chargé d’Affaires."),
            vec!["Chief of Staff", "Libyan Army", "Lieutenant General Mohammed Al-Haddad", "US Chargé d’Affaires"]
        );
    }

    #[test]
    fn diff_extracts_numbers_and_dates() {
        let s = "On Monday, September 23, 2024, the 6+6 committee said 313,000 refugees and 1.5 million people arrived since the 2011 revolution, 12% more.";
        let sents = vec![s.to_string()];
        let words = vec![super::super::sentence::words(s)];
        let scan = scan_article(&sents, &words, s, &HashSet::new(), 3);
        let got: Vec<(FactKind, String)> = scan.values.iter().map(|v| (v.kind, v.text.clone())).collect();
        assert_eq!(
            got,
            vec![
                (FactKind::Date, "Monday".to_string()),
                (FactKind::Date, "September 23, 2024".to_string()),
                (FactKind::Number, "6+6 committee".to_string()),
                (FactKind::Number, "313,000 refugees".to_string()),
                (FactKind::Number, "1.5 million people".to_string()),
                (FactKind::Number, "2011".to_string()),
                (FactKind::Number, "12%".to_string()),
            ]
        );
        assert!(scan.number_keys.contains("1500000"));
        assert!(scan.number_keys.contains("313000"));
    }
}

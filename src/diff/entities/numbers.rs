//! The number pass: numbers written with digits, shown with what makes them
//! a fact ("$1.5 million", "12%", "313,000 refugees", "6+6 committee"), and
//! numbers spelled out ("five tankers"), which only count as present.
//!
//! Owns the scale and number-word lists, [`number_key`] and
//! [`scan_numbers`]. Two numbers are the same when their keys are: the
//! value with separators removed and the scale applied ("1.5 million" =
//! "1,500,000"), not what they count. It runs after the date pass (the day
//! and year of a date are taken) and marks its words used, so that a unit
//! word is not read as a name. It must not read dates or names.

use super::dates::year_of;
use super::{is_space_gap, Scan, SentenceWords, ValueFact};
use crate::diff::FactKind;
use crate::text;

const SCALES: &[(&str, f64)] =
    &[("billion", 1e9), ("bn", 1e9), ("million", 1e6), ("thousand", 1e3), ("trillion", 1e12)];

/// Spelled-out numbers that another article may write with digits ("five
/// tankers" = "5 tankers"). "One" is left out: it is far more often a
/// pronoun ("one of the ministers") than a count.
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

/// The scale a word stands for ("million" → 1e6).
fn scale_of(norm: &str) -> Option<f64> {
    SCALES.iter().find(|(w, _)| *w == norm).map(|&(_, scale)| scale)
}

/// The comparison key of a number: digits without separators, scaled
/// ("1.2 million" = "1,200,000"); other forms ("6+6") as written.
pub(super) fn number_key(num: &str, scale: f64) -> String {
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

/// Adds the numbers of one sentence to `scan` (facts for numbers with
/// digits, keys only for spelled-out ones) and marks the words of each
/// number fact used.
pub(super) fn scan_numbers(scan: &mut Scan, sentence: &SentenceWords, used: &mut [bool]) {
    let mut k = 0;
    while k < sentence.len() {
        if used[k] {
            k += 1;
            continue;
        }
        if !text::has_digit(sentence.words[k].text) {
            if let Some(key) = spelled_number_key(sentence, k) {
                scan.number_keys.insert(key);
            }
            k += 1;
            continue;
        }
        let (fact, last) = written_number(sentence, used, k);
        scan.number_keys.insert(fact.key.clone());
        scan.values.push(fact);
        used[k..=last].fill(true);
        k = last + 1;
    }
}

/// The key of a spelled-out number at word `k` ("five", "two million").
/// Such numbers are not reported as facts; they only make another
/// article's "5" present.
fn spelled_number_key(sentence: &SentenceWords, k: usize) -> Option<String> {
    let words = sentence.words;
    let &(_, value) = NUMBER_WORDS.iter().find(|(w, _)| *w == words[k].norm)?;
    let scale = if k + 1 < words.len() { scale_of(&words[k + 1].norm).unwrap_or(1.0) } else { 1.0 };
    Some(number_key(&value.to_string(), scale))
}

/// The number fact that starts with digits at word `first`, and the index
/// of its last word.
///
/// The number itself may join several digit words ("6+6", "24/7",
/// "2-1"); a scale word follows it ("1.5 million"); then a unit: a percent
/// sign or word ("12%", "12 percent", "12 per cent"), else the next
/// lower-case content word ("313,000 refugees"), but not after a lone year
/// ("the 2011 revolution" is a year, not a count of revolutions). A currency sign
/// before it is kept.
fn written_number(sentence: &SentenceWords, used: &[bool], first: usize) -> (ValueFact, usize) {
    let words = sentence.words;
    let n = words.len();
    let mut last = first;
    while last + 1 < n
        && !used[last + 1]
        && text::has_digit(words[last + 1].text)
        && matches!(sentence.gap_after(last), "+" | "/" | "-" | ":" | "x")
    {
        last += 1;
    }
    let number = sentence.span(first, last);
    let mut end = last;
    let mut scale = 1.0;
    if end + 1 < n && is_space_gap(sentence.gap_after(end)) {
        if let Some(word_scale) = scale_of(&words[end + 1].norm) {
            scale = word_scale;
            end += 1;
        }
    }
    let is_year = first == last && year_of(words[first].text).is_some();
    let (end, suffix) = unit_end(sentence, end, is_year);
    let before = sentence.gap_before(first).trim_end();
    let currency = before.chars().last().filter(|c| matches!(c, '$' | '€' | '£'));
    let mut shown = String::new();
    if let Some(c) = currency {
        shown.push(c);
    }
    shown.push_str(sentence.span(first, end));
    shown.push_str(suffix);
    let fact =
        ValueFact { pos: (sentence.index, first), kind: FactKind::Number, text: shown, key: number_key(number, scale) };
    (fact, end)
}

/// The unit of a number that ends at word `end`: the new last word (a unit
/// word joins the number), and "%" when a percent sign follows the number
/// (it sits in the gap, so it is added to the shown text).
fn unit_end(sentence: &SentenceWords, end: usize, is_year: bool) -> (usize, &'static str) {
    let words = sentence.words;
    let n = words.len();
    let after = sentence.gap_after(end);
    if after.starts_with('%') {
        return (end, "%");
    }
    if end + 1 < n && is_space_gap(after) && matches!(words[end + 1].norm.as_str(), "percent" | "per") {
        let mut end = end + 1;
        if words[end].norm == "per" && end + 1 < n && words[end + 1].norm == "cent" {
            end += 1;
        }
        return (end, "");
    }
    if !is_year
        && end + 1 < n
        && is_space_gap(after)
        && words[end + 1].text.chars().all(char::is_lowercase)
        && !text::is_stopword(&words[end + 1].norm)
    {
        return (end + 1, "");
    }
    (end, "")
}

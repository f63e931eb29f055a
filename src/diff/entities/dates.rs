//! The date pass: "September 23" or "September 23, 2024", "Sept. 23", "23
//! September" or "23 September 2024", "September 2024", a month alone, or a
//! weekday.
//!
//! Owns the month and weekday lists and [`scan_dates`]. A date's key says
//! what two articles must share for the date to be the same: month and day
//! (`m9-d23`), else month and year (`m9-y2024`), month (`m9`) or weekday
//! (`wmonday`); a year inside a date is shown but not compared. It runs
//! first of the three passes and marks its words used, so that the numbers
//! of a date are not numbers and its month is not a name. It must not read
//! numbers or names.

use super::{is_space_gap, strip_possessive, Scan, SentenceWords, ValueFact};
use crate::diff::FactKind;
use crate::text;

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

/// Abbreviated months, recognised only before a full stop ("Sept. 23").
/// "May" has no abbreviation; "Jun" and "Jan" are also first names, which
/// is why an abbreviation never makes a date on its own.
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

pub(super) const WEEKDAYS: &[&str] = &["friday", "monday", "saturday", "sunday", "thursday", "tuesday", "wednesday"];

/// A date found in a sentence: its first and last word and its key.
struct DateSpan {
    first: usize,
    last: usize,
    key: String,
}

/// The number of a month written in full ("september" → 9).
pub(super) fn month_of(norm: &str) -> Option<u8> {
    MONTHS.iter().find(|(m, _)| *m == norm).map(|&(_, n)| n)
}

fn month_abbreviation_of(norm: &str) -> Option<u8> {
    MONTH_ABBREVIATIONS.iter().find(|(m, _)| *m == norm).map(|&(_, n)| n)
}

/// A day of the month, with or without an ordinal suffix ("23", "23rd").
pub(super) fn day_of(w: &str) -> Option<u8> {
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

/// A plausible year of news (1800 to 2100), four digits.
pub(super) fn year_of(w: &str) -> Option<u16> {
    if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        let y: u16 = w.parse().ok()?;
        return (1800..=2100).contains(&y).then_some(y);
    }
    None
}

/// Adds the dates of one sentence to `scan` and marks their words used.
pub(super) fn scan_dates(scan: &mut Scan, sentence: &SentenceWords, used: &mut [bool]) {
    for k in 0..sentence.len() {
        if used[k] {
            continue;
        }
        let Some(DateSpan { first, last, key }) = date_at(sentence, k) else { continue };
        used[first..=last].fill(true);
        scan.date_keys.insert(key.clone());
        scan.values.push(ValueFact {
            pos: (sentence.index, first),
            kind: FactKind::Date,
            text: strip_possessive(sentence.span(first, last)).to_string(),
            key,
        });
    }
}

/// The date that starts at word `k`, if any: a capitalised month (or an
/// abbreviated month before a full stop), a day followed by a month, or a
/// capitalised weekday.
fn date_at(sentence: &SentenceWords, k: usize) -> Option<DateSpan> {
    let word = &sentence.words[k];
    // A lower-case "may" or "march" is a verb or a noun, never a month.
    let capitalised = text::is_capitalized(word.text);
    let month = if capitalised {
        month_of(&word.norm).or_else(|| {
            if sentence.gap_after(k).starts_with('.') {
                month_abbreviation_of(&word.norm)
            } else {
                None
            }
        })
    } else {
        None
    };
    if let Some(month) = month {
        return month_first_date(sentence, k, month);
    }
    if let Some(day) = day_of(word.text) {
        return day_first_date(sentence, k, day);
    }
    if capitalised && WEEKDAYS.contains(&word.norm.as_str()) {
        return Some(DateSpan { first: k, last: k, key: format!("w{}", word.norm) });
    }
    None
}

/// A date that opens with the month at word `k`: "September 23" (with ", 2024" or not),
/// "Sept. 23", "September 2024", or the month alone.
fn month_first_date(sentence: &SentenceWords, k: usize, month: u8) -> Option<DateSpan> {
    let words = sentence.words;
    let n = words.len();
    let gap = sentence.gap_after(k);
    if k + 1 < n && day_of(words[k + 1].text).is_some() && gap.trim_start_matches('.').trim().is_empty() {
        let day = day_of(words[k + 1].text).unwrap_or(0);
        let mut last = k + 1;
        if k + 2 < n && sentence.gap_after(k + 1).trim() == "," && year_of(words[k + 2].text).is_some() {
            last = k + 2;
        }
        return Some(DateSpan { first: k, last, key: format!("m{month}-d{day}") });
    }
    if k + 1 < n && is_space_gap(gap) && year_of(words[k + 1].text).is_some() {
        return Some(DateSpan { first: k, last: k + 1, key: format!("m{month}-y{}", words[k + 1].text) });
    }
    // Alone, "May" and "March" are more often the modal verb and the noun
    // opening a sentence ("May God protect…", "March organisers said…")
    // than a month, and an abbreviation alone ("Jan.") may be a first name
    // with a full stop: neither is a date without a day or a year.
    let norm = words[k].norm.as_str();
    if norm != "may" && norm != "march" && month_of(norm).is_some() {
        return Some(DateSpan { first: k, last: k, key: format!("m{month}") });
    }
    None
}

/// A date that opens with the day at word `k`: "23 September" (with " 2024" or not).
fn day_first_date(sentence: &SentenceWords, k: usize, day: u8) -> Option<DateSpan> {
    let words = sentence.words;
    let n = words.len();
    if !(k + 1 < n && is_space_gap(sentence.gap_after(k)) && text::is_capitalized(words[k + 1].text)) {
        return None;
    }
    let month = month_of(&words[k + 1].norm)?;
    let mut last = k + 1;
    if k + 2 < n && is_space_gap(sentence.gap_after(k + 1)) && year_of(words[k + 2].text).is_some() {
        last = k + 2;
    }
    Some(DateSpan { first: k, last, key: format!("m{month}-d{day}") })
}

//! Dates written on pages: "September 23, 2024", "Sep 23, 2024",
//! "23 September 2024", "2024-09-23", each with an optional weekday and time,
//! and relative times such as "2 days ago" (recognised, never resolved).

use crate::article::Date;

/// A date found in a short line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DateHit {
    /// The date, `None` for a relative time ("3 hours ago").
    pub date: Option<Date>,
    /// Whether the line holds nothing else (weekday, time and separators
    /// aside).
    pub lone: bool,
}

const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
];

const FILLERS: &[&str] = &[
    "at", "on", "-", "–", "—", "/", "|", "·", "•", "am", "pm", "a.m", "p.m", "utc", "gmt", "est", "edt", "cst", "cdt",
    "pst", "pdt", "cet", "cest", "eet", "eest", "bst", "ist", "z",
];

/// Words and marks that make a short line with a date a dateline or byline.
const METADATA: &[&str] = &[
    "published",
    "updated",
    "posted",
    "modified",
    "last",
    "date",
    "dated",
    "by",
    "-",
    "–",
    "—",
    "|",
    "·",
    "•",
    "/",
    "on",
    "at",
    "created",
    "first",
    "issued",
];

const UNITS: &[&str] = &[
    "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day",
    "days", "week", "weeks", "month", "months", "year", "years",
];

fn month(tok: &str) -> Option<u8> {
    MONTHS.iter().find(|(name, _)| *name == tok).map(|&(_, m)| m)
}

fn day(tok: &str) -> Option<u8> {
    let digits = tok.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &tok[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(tok: &str) -> Option<i32> {
    if tok.len() != 4 || !tok.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = tok.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn iso(tok: &str) -> Option<Date> {
    if tok.len() < 10 || !tok.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if tok.as_bytes()[4] == b'/' && tok.as_bytes()[7] == b'/' {
        let fixed = tok.replace('/', "-");
        return Date::parse_iso(&fixed);
    }
    Date::parse_iso(&tok.to_ascii_uppercase())
}

fn is_time(tok: &str) -> bool {
    let t = tok.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let t = t.trim_start_matches('+');
    !t.is_empty() && t.contains(':') && t.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

fn is_filler(tok: &str) -> bool {
    WEEKDAYS.contains(&tok) || FILLERS.contains(&tok) || is_time(tok)
}

/// Calls `f` with the pieces of `norm` between white space and commas, in
/// order (empty ones included). An ASCII text (nearly every line) is cut
/// byte by byte, without decoding characters.
#[inline]
fn for_each_piece<'a>(norm: &'a str, mut f: impl FnMut(&'a str)) {
    if !norm.is_ascii() {
        norm.split(|c: char| c.is_whitespace() || c == ',').for_each(f);
        return;
    }
    let mut start = 0;
    for (i, &b) in norm.as_bytes().iter().enumerate() {
        // The ASCII characters of `char::is_whitespace`, and the comma.
        if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | b',') {
            f(&norm[start..i]);
            start = i + 1;
        }
    }
    f(&norm[start..]);
}

/// Finds a date in a normalised (lower-case) short line.
pub(crate) fn scan(norm: &str) -> Option<DateHit> {
    // The tokens of a short line, on the stack (a longer text spills to the
    // heap).
    let mut stack: [&str; 16] = [""; 16];
    let mut spill: Vec<&str> = Vec::new();
    let mut n = 0;
    for_each_piece(norm, |piece| {
        let w = piece.trim_end_matches('.').trim_start_matches('(').trim_end_matches(')');
        if w.is_empty() {
            return;
        }
        if n < stack.len() {
            stack[n] = w;
        } else {
            if spill.is_empty() {
                spill.extend_from_slice(&stack);
            }
            spill.push(w);
        }
        n += 1;
    });
    let toks: &[&str] = if spill.is_empty() { &stack[..n] } else { &spill };
    if toks.is_empty() {
        return None;
    }
    if let Some(hit) = relative(toks) {
        return Some(hit);
    }
    // Both an ISO date and a year are a token of four or more bytes that
    // starts with a digit: without one there is no date to look for.
    if !toks.iter().any(|t| t.len() >= 4 && t.as_bytes()[0].is_ascii_digit()) {
        return None;
    }
    let mut found: Option<(Date, usize, usize)> = None;
    for i in 0..toks.len() {
        if let Some(d) = iso(toks[i]) {
            found = Some((d, i, i + 1));
            break;
        }
        if i + 2 < toks.len() {
            let date = if let (Some(m), Some(d), Some(y)) = (month(toks[i]), day(toks[i + 1]), year(toks[i + 2])) {
                Date::new(y, m, d)
            } else if let (Some(d), Some(m), Some(y)) = (day(toks[i]), month(toks[i + 1]), year(toks[i + 2])) {
                Date::new(y, m, d)
            } else {
                None
            };
            if let Some(d) = date {
                found = Some((d, i, i + 3));
                break;
            }
        }
    }
    let (date, from, to) = found?;
    let mut others = toks[..from].iter().chain(&toks[to..]);
    let lone = others.clone().all(|t| is_filler(t));
    if !lone && !others.any(|t| METADATA.contains(t)) {
        // A date inside a headline or a sentence, not a dateline.
        return None;
    }
    Some(DateHit { date: Some(date), lone })
}

/// "3 hours ago", "an hour ago", "just now", "yesterday": a lone relative time.
fn relative(toks: &[&str]) -> Option<DateHit> {
    let rel = match toks {
        ["just", "now"] | ["yesterday"] | ["today"] => true,
        [n, unit, "ago"] => {
            (n.bytes().all(|b| b.is_ascii_digit()) || matches!(*n, "a" | "an" | "one")) && UNITS.contains(unit)
        }
        _ => false,
    };
    rel.then_some(DateHit { date: None, lone: true })
}

/// Parses a date in a metadata value: ISO / RFC 3339 first, then the written
/// forms above.
pub(crate) fn parse_value(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some(d) = Date::parse_iso(s) {
        return Some(d);
    }
    let mut buf = String::new();
    super::lines::normalise_into(s, &mut buf);
    scan(&buf).and_then(|h| h.date)
}

#[cfg(test)]
mod tests;

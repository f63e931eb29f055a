//! The article types that flow between pipeline stages.
//!
//! Owns [`RawDoc`] (what `ingest` read, before cleaning), [`Article`] (what
//! `clean` made of it: metadata plus the article body) and [`Date`], the
//! calendar date used for publication-time proximity. This module holds plain
//! data and parsing of dates in ISO form; it must not do any I/O or cleaning.

use std::fmt;
use std::path::PathBuf;

use serde::{Serialize, Serializer};

/// Where a document came from: a file, and for JSON Lines the 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file path, or `<stdin>` for standard input.
    pub path: PathBuf,
    /// The 1-based line number for JSON Lines records, `None` for whole files.
    pub line: Option<usize>,
}

impl Origin {
    /// An origin for a whole file.
    pub fn file(path: impl Into<PathBuf>) -> Origin {
        Origin { path: path.into(), line: None }
    }

    /// An origin for one line of a JSON Lines file.
    pub fn line(path: impl Into<PathBuf>, line: usize) -> Origin {
        Origin { path: path.into(), line: Some(line) }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path.display(), line),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// The content of a document as read, before cleaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawContent {
    /// Plain text: a scraped page saved as text, or a JSON `text` field.
    Text(String),
    /// An HTML page or a JSON `html` field.
    Html(String),
}

/// Whether a document is a whole scraped page or an article body given by a
/// feed. Template learning treats them differently: a JSON `text` field is
/// usually a body already, a `.txt` page carries the site's template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// A `.txt`, `.html` or `.htm` file: one scraped page.
    Page,
    /// One record of a JSON Lines input.
    Record,
}

/// A document as read by `ingest`: content plus whatever metadata the input
/// declared. Fields the page itself reveals are filled in later by `clean`.
#[derive(Clone, Debug)]
pub struct RawDoc {
    /// The unique article id (file stem, or the JSON `id`).
    pub id: String,
    /// Where it was read from, for error messages.
    pub origin: Origin,
    /// Page or feed record.
    pub kind: DocKind,
    /// Text or HTML.
    pub content: RawContent,
    /// The declared headline, if any.
    pub title: Option<String>,
    /// The declared outlet, if any.
    pub source: Option<String>,
    /// The declared URL, if any.
    pub url: Option<String>,
    /// The declared publication date, if any.
    pub published: Option<Date>,
    /// Other scalar fields of a JSON record, kept out of the way (for example
    /// a gold label for `eval`). Clustering never reads them.
    pub extra: Extra,
}

/// A cleaned article: what every later stage works on.
#[derive(Clone, Debug, Serialize)]
pub struct Article {
    /// The unique article id.
    pub id: String,
    /// The outlet, empty when it cannot be found.
    pub source: String,
    /// The headline, empty when it cannot be found.
    pub title: String,
    /// The URL, empty when unknown.
    pub url: String,
    /// The publication date, when known.
    pub published: Option<Date>,
    /// The article body with boilerplate removed: paragraphs separated by a
    /// blank line.
    pub body: String,
    /// Where it was read from.
    #[serde(skip)]
    pub origin: Origin,
    /// Other scalar fields of a JSON record.
    #[serde(skip)]
    pub extra: Extra,
}

impl Article {
    /// The paragraphs of the body, without empty ones.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.body.split("\n\n").map(str::trim).filter(|p| !p.is_empty())
    }
}

/// Other scalar fields of a record, by name: a small sorted list (a record
/// has a few, and a million articles each hold theirs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extra(Vec<(Box<str>, Box<str>)>);

impl Extra {
    /// No fields.
    pub fn new() -> Extra {
        Extra::default()
    }

    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(name)).ok().map(|i| &*self.0[i].1)
    }

    /// Sets field `name`, replacing its value if it has one.
    pub fn insert(&mut self, name: impl Into<Box<str>>, value: impl Into<Box<str>>) {
        let (name, value) = (name.into(), value.into());
        match self.0.binary_search_by(|(k, _)| k.cmp(&name)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    /// The fields, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (&**k, &**v))
    }
}

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2024.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

impl Date {
    /// Builds a date, checking that the day exists in that month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, or the date part of an RFC 3339 timestamp
    /// (`2024-09-23T10:00:00Z`). Anything else is `None`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.trim();
        let date_part = s.get(..10)?;
        let rest = &s[10..];
        if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with('t') || rest.starts_with(' ')) {
            return None;
        }
        let bytes = date_part.as_bytes();
        if bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year: i32 = date_part[0..4].parse().ok()?;
        let month: u8 = date_part[5..7].parse().ok()?;
        let day: u8 = date_part[8..10].parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before), for date arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of
    /// [`Date::days_since_epoch`]).
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The absolute number of days between two dates.
    pub fn days_between(self, other: Date) -> i64 {
        (self.days_since_epoch() - other.days_since_epoch()).abs()
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch_round_trips() {
        for days in (-800_000..800_000).step_by(97).chain([-1, 0, 1, 59, 60, 19_988]) {
            let date = Date::from_days_since_epoch(days);
            assert_eq!(Date::new(date.year, date.month, date.day), Some(date), "{days}");
            assert_eq!(date.days_since_epoch(), days);
        }
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(19_989).to_string(), "2024-09-23");
    }

    #[test]
    fn parses_iso_and_rfc3339() {
        assert_eq!(Date::parse_iso("2024-09-23"), Date::new(2024, 9, 23));
        assert_eq!(Date::parse_iso("2024-09-23T10:00:00Z"), Date::new(2024, 9, 23));
        assert_eq!(Date::parse_iso("2024-02-30"), None);
        assert_eq!(Date::parse_iso("23/09/2024"), None);
        assert_eq!(Date::parse_iso("2024-09-23x"), None);
    }

    #[test]
    fn day_arithmetic() {
        let a = Date::new(1970, 1, 1).unwrap();
        assert_eq!(a.days_since_epoch(), 0);
        let b = Date::new(2024, 3, 1).unwrap();
        let c = Date::new(2024, 2, 28).unwrap();
        assert_eq!(b.days_between(c), 2);
        assert_eq!(Date::new(2000, 1, 1).unwrap().days_since_epoch(), 10_957);
    }
}

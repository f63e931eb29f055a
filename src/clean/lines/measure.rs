//! What the text of one line says on its own, and the one decision about a
//! line that also reads the [`CleanConfig`]: whether it is prose.
//!
//! Owns `TextMeasures` (key, word counts, sentence end, generic and
//! copyright patterns, date), `measure_text` which finds them, and
//! [`ends_sentence`].
//!
//! Must not: let anything that depends on the [`CleanConfig`] into
//! `TextMeasures` (the line cache hands them to every config), or look at
//! the lines around this one (joining and bullets are `split`'s).

use xxhash_rust::xxh3::xxh3_64;

use super::normalise::{normalise_counting, WordCounts};
use super::Line;
use crate::article::Date;
use crate::clean::{date, patterns, CleanConfig};

/// Whether a text ends like a sentence: `.`, `!`, `?` or `…` (or their
/// Arabic and CJK forms), possibly followed by closing quotes or brackets.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t =
        s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '*'));
    matches!(t.chars().last(), Some('.' | '!' | '?' | '…' | '؟' | '。' | '！' | '？'))
}

/// What [`split_lines`](super::split_lines) finds in the text of a line alone: every measure,
/// key and flag of a [`Line`] but `prose`, which also depends on the
/// [`CleanConfig`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TextMeasures {
    /// [`Line::key`].
    key: u64,
    /// [`Line::words`], [`Line::alpha`] and [`Line::lower`].
    counts: WordCounts,
    /// [`Line::terminal`].
    terminal: bool,
    /// [`Line::generic`].
    generic: bool,
    /// [`Line::copyright`].
    copyright: bool,
    /// [`Line::date`].
    date: Option<Date>,
    /// [`Line::lone_date`].
    lone_date: bool,
}

impl TextMeasures {
    /// Fills the measures, key and flags of `line`, deciding `prose` with
    /// `config`.
    pub(super) fn apply(&self, line: &mut Line, config: &CleanConfig) {
        let WordCounts { words, alpha, lower } = self.counts;
        line.key = self.key;
        line.words = words;
        line.alpha = alpha;
        line.lower = lower;
        line.terminal = self.terminal;
        line.generic = self.generic;
        line.copyright = self.copyright;
        line.date = self.date;
        line.lone_date = self.lone_date;
        let ratio = line.lower_ratio();
        let min = config.min_prose_words.max(1);
        line.prose = !self.generic
            && !self.copyright
            && ((words >= min && self.terminal && ratio >= 0.34) || (words >= 2 * min + 4 && ratio >= 0.4));
    }
}

/// Measures the text `t` of a line, normalising it into `buf`.
pub(super) fn measure_text(t: &str, buf: &mut String) -> TextMeasures {
    // One pass both normalises the line (its key) and counts its words.
    let counts = normalise_counting(t, buf);
    let words = counts.words;
    let mut measures = TextMeasures {
        key: xxh3_64(buf.as_bytes()),
        counts,
        terminal: ends_sentence(t),
        generic: false,
        copyright: false,
        date: None,
        lone_date: false,
    };
    if words <= 25 {
        measures.generic = patterns::is_generic(buf, words) || (words >= 4 && patterns::is_spaced_menu(t));
        measures.copyright = patterns::is_copyright(buf, words);
    }
    // Every date form has a digit; "yesterday", "just now" are two words at most.
    if words <= 12 && (words <= 2 || buf.bytes().any(|b| b.is_ascii_digit())) {
        if let Some(hit) = date::scan(buf) {
            measures.date = hit.date;
            measures.lone_date = hit.lone;
        }
    }
    measures
}

//! Text lines: splitting a page into lines, the normalised line key used for
//! template learning, and the per-line measures the other rules read.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::xxh3_64;

use super::{date, patterns, CleanConfig};
use crate::article::Date;
use crate::text::fold_char;

/// A hasher for keys that are already xxh3 hashes: passes them through.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(29) ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by line hashes.
pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// One non-empty line of a page (or paragraph of a record).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    /// Byte range of the text (trimmed, bullet removed) in the document buffer.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// xxh3 of the normalised text (whitespace collapsed, case-folded).
    pub key: u64,
    /// Number of white-space separated words.
    pub words: usize,
    /// Words that start with a letter.
    pub alpha: usize,
    /// Words that start with a lower-case letter (or a letter without case).
    pub lower: usize,
    /// Whether the line was a list item ("• ", "- ", "* ").
    pub bullet: bool,
    /// Whether the line ends like a sentence (. ! ? …, before closing quotes).
    pub terminal: bool,
    /// Whether the line reads as article prose (see [`CleanConfig::min_prose_words`]).
    pub prose: bool,
    /// Whether the line matches a generic boilerplate pattern.
    pub generic: bool,
    /// Whether the line is a copyright line.
    pub copyright: bool,
    /// A date mentioned in a short line.
    pub date: Option<Date>,
    /// Whether the line is only a date (or a relative time like "2 days ago").
    pub lone_date: bool,
}

impl Line {
    /// The text of the line in `buf`.
    #[inline]
    pub fn text<'a>(&self, buf: &'a str) -> &'a str {
        &buf[self.start..self.end]
    }

    /// Share of letter-initial words that start in lower case.
    #[inline]
    pub fn lower_ratio(&self) -> f32 {
        if self.alpha == 0 {
            0.0
        } else {
            self.lower as f32 / self.alpha as f32
        }
    }

    /// A short line in title case without sentence punctuation: a headline
    /// link, a menu entry, a section label.
    #[inline]
    pub fn title_like(&self) -> bool {
        !self.terminal && self.words <= 20 && self.lower_ratio() < 0.34
    }

    /// A line that anchors the body: prose, or a complete short sentence.
    #[inline]
    pub fn anchor(&self) -> bool {
        self.prose || (self.terminal && self.words >= 4 && !self.generic)
    }

    /// The text for the body: bullets as "• ", joined wrapped lines on one line.
    pub fn body_text(&self, buf: &str) -> String {
        let t = self.text(buf);
        let mut out = String::with_capacity(t.len() + 4);
        if self.bullet {
            out.push_str("• ");
        }
        if t.contains('\n') {
            let mut first = true;
            for part in t.split('\n') {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                if !first {
                    out.push(' ');
                }
                out.push_str(part);
                first = false;
            }
        } else {
            out.push_str(t);
        }
        out
    }
}

/// Writes the normalised form of `s` into `buf`: typographic folding,
/// lower case, white space collapsed to single spaces, trimmed.
pub(crate) fn normalise_into(s: &str, buf: &mut String) {
    buf.clear();
    if s.is_ascii() {
        let mut space = false;
        for &b in s.as_bytes() {
            if b.is_ascii_whitespace() {
                space = !buf.is_empty();
                continue;
            }
            if space {
                buf.push(' ');
                space = false;
            }
            buf.push(char::from(b.to_ascii_lowercase()));
        }
        return;
    }
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !buf.is_empty();
            continue;
        }
        if space {
            buf.push(' ');
            space = false;
        }
        let c = fold_char(c);
        if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

/// The key of a free-standing text (for example a declared headline), the
/// same way line keys are computed.
pub(crate) fn text_key(s: &str) -> u64 {
    let mut buf = String::new();
    let s = s.trim();
    let (_, skip) = bullet_prefix(s);
    normalise_into(&s[skip..], &mut buf);
    xxh3_64(buf.as_bytes())
}

/// Whether a trimmed line starts with a list bullet; returns the number of
/// bytes to skip (bullet and following white space).
fn bullet_prefix(s: &str) -> (bool, usize) {
    let mut chars = s.char_indices();
    let Some((_, c)) = chars.next() else { return (false, 0) };
    let needs_space = matches!(c, '-' | '*');
    if !matches!(c, '•' | '·' | '◦' | '▪' | '‣' | '●' | '■' | '►' | '▸' | '-' | '*') {
        return (false, 0);
    }
    let after = c.len_utf8();
    let rest = &s[after..];
    let trimmed = rest.trim_start();
    if needs_space && (trimmed.len() == rest.len() || trimmed.is_empty()) {
        return (false, 0);
    }
    (true, s.len() - trimmed.len())
}

/// Whether a text ends like a sentence: `.`, `!`, `?` or `…` (or their
/// Arabic and CJK forms), possibly followed by closing quotes or brackets.
pub(crate) fn ends_sentence(s: &str) -> bool {
    let t =
        s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '*'));
    matches!(t.chars().last(), Some('.' | '!' | '?' | '…' | '؟' | '。' | '！' | '？'))
}

/// Splits a text into non-empty lines, with measures, keys and flags.
///
/// A line that ends mid-sentence (at least 40 bytes, no sentence punctuation)
/// and is directly followed by a line starting in lower case is joined with
/// it: hard-wrapped paragraphs become one line.
pub(crate) fn split_lines(text: &str, config: &CleanConfig) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut pos = 0usize;
    let mut prev_nonblank = false;
    for raw in text.split('\n') {
        let offset = pos;
        pos += raw.len() + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            prev_nonblank = false;
            continue;
        }
        let lead = raw.len() - raw.trim_start().len();
        let (bullet, skip) = bullet_prefix(trimmed);
        let start = offset + lead + skip;
        let end = offset + lead + trimmed.len();
        if start >= end {
            prev_nonblank = false;
            continue;
        }
        if prev_nonblank && !bullet {
            if let Some(last) = lines.last_mut() {
                let prev = &text[last.start..last.end];
                let first = text[start..end].chars().next().unwrap_or(' ');
                if !last.bullet
                    && prev.len() >= 40
                    && first.is_lowercase()
                    && !ends_sentence(prev)
                    && !prev.ends_with(':')
                {
                    last.end = end;
                    continue;
                }
            }
        }
        lines.push(Line {
            start,
            end,
            key: 0,
            words: 0,
            alpha: 0,
            lower: 0,
            bullet,
            terminal: false,
            prose: false,
            generic: false,
            copyright: false,
            date: None,
            lone_date: false,
        });
        prev_nonblank = true;
    }
    let mut buf = String::new();
    for line in &mut lines {
        measure(line, text, &mut buf, config);
    }
    lines
}

/// Fills the measures, key and flags of one line.
fn measure(line: &mut Line, text: &str, buf: &mut String, config: &CleanConfig) {
    let t = &text[line.start..line.end];
    let (mut words, mut alpha, mut lower) = (0usize, 0usize, 0usize);
    for w in t.split_whitespace() {
        words += 1;
        if let Some(c) = w.chars().find(|c| c.is_alphanumeric()) {
            if c.is_alphabetic() {
                alpha += 1;
                // Scripts without case (Arabic, CJK) count as lower case:
                // their sentences must be able to read as prose.
                if !c.is_uppercase() {
                    lower += 1;
                }
            }
        }
    }
    line.words = words;
    line.alpha = alpha;
    line.lower = lower;
    line.terminal = ends_sentence(t);
    let ratio = line.lower_ratio();
    let min = config.min_prose_words.max(1);
    line.prose = (words >= min && line.terminal && ratio >= 0.34) || (words >= 2 * min + 4 && ratio >= 0.4);
    normalise_into(t, buf);
    line.key = xxh3_64(buf.as_bytes());
    if words <= 25 {
        line.generic = patterns::is_generic(buf, words) || (words >= 4 && patterns::is_spaced_menu(t));
        line.copyright = patterns::is_copyright(buf, words);
    }
    // Every date form has a digit; "yesterday", "just now" are two words at most.
    if words <= 12 && (words <= 2 || buf.bytes().any(|b| b.is_ascii_digit())) {
        if let Some(hit) = date::scan(buf) {
            line.date = hit.date;
            line.lone_date = hit.lone;
        }
    }
    if line.generic || line.copyright {
        line.prose = false;
    }
}

//! Tests of the line layer: every fast path against a plain reference
//! (plain character-by-character versions kept here), the SSE2
//! block classifier against its scalar twin, the line cache against fresh
//! measures, and the spilled form of a line read back as written.

use proptest::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::ascii_simd::{
    ascii_block, ascii_block_scalar, normalise_plain_ascii, normalise_plain_ascii_with, PlainAscii,
};
use super::cache::{LineCache, CACHED_LINES};
use super::inert::{inert, normalise_simple, single_spaced_counts};
use super::measure::measure_text;
use super::normalise::{normalise_counting, WordCounts};
use super::split::{bullet_prefix, for_each_line};
use super::*;
use crate::article::Date;
use crate::clean::{date, patterns, CleanConfig};
use crate::spill::RecordIn;
use crate::text::fold_char;

/// A plain `normalise_into`, character by character: the reference the
/// run-by-run general path and the fast paths must equal.
fn normalise_reference(s: &str) -> String {
    let mut buf = String::new();
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
        return buf;
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
    buf
}

/// A plain count of the words of a line, over `str::split_whitespace`:
/// the reference [`WordCounts`] must equal.
fn counts_reference(t: &str) -> WordCounts {
    let (mut words, mut alpha, mut lower) = (0usize, 0usize, 0usize);
    for w in t.split_whitespace() {
        words += 1;
        if let Some(c) = w.chars().find(|c| c.is_alphanumeric()) {
            if c.is_alphabetic() {
                alpha += 1;
                if !c.is_uppercase() {
                    lower += 1;
                }
            }
        }
    }
    WordCounts { words, alpha, lower }
}

/// Text made of pieces that exercise every path: ASCII words with
/// capitals, digits and back-ticks, every ASCII white space (vertical
/// tab and the separators U+001C..U+001F included), Unicode spaces,
/// curly quotes, dashes, accented and caseless letters, and letters
/// whose lower case is longer.
#[rustfmt::skip]
fn piece_text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Word", "word", "WORD", "x", "42", "3.5", "_", "`tick`", "a`b", " ", "  ", "\t", "\u{0B}", "\u{0C}", "\r",
        "\n", "\u{1C}", "\u{1F}", "\u{85}", "\u{A0}", "\u{2007}", "\u{202F}", "\u{3000}", "\u{2028}", "“", "”",
        "’s", "‘", "—", "–", "−", "«", "»", "Élan", "élan", "ÉCOLE", "İstanbul", "ΣΟΦΙΑ", "Straße", "ǅ", "ﬁ",
        "مرحبا", "漢字", "①", "٣", "·", "•", "…", ".", ",", "-", "(", ")", "'", "\"", "©", "Ⅻ",
        "€", "£", "°", "®", "´", "«", "‐", "―", "‚", "„", "′", "″", "ʼ", "ª", "²", "µ", "ⓐ", "Ⓐ", "\u{2160}",
        "\u{1680}", "\u{205F}", "ǈ", "ᾈ",
    ]);
    prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

/// A plain `split_lines`, over `str::split` and measuring every
/// line afresh: the reference the line loop and the [`LineCache`] must
/// equal.
fn split_lines_reference(text: &str, config: &CleanConfig) -> Vec<Line> {
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
                    last.joined = true;
                    continue;
                }
            }
        }
        lines.push(super::split::unmeasured_line(start, end, bullet));
        prev_nonblank = true;
    }
    let mut buf = String::new();
    for line in &mut lines {
        measure_reference(line, text, &mut buf, config);
    }
    lines
}

/// A plain measure of one line, without the cache and with the prose
/// decision made in place: the reference of [`measure_text`] and
/// `TextMeasures::apply` together.
fn measure_reference(line: &mut Line, text: &str, buf: &mut String, config: &CleanConfig) {
    let t = &text[line.start..line.end];
    let WordCounts { words, alpha, lower } = normalise_counting(t, buf);
    line.words = words;
    line.alpha = alpha;
    line.lower = lower;
    line.terminal = ends_sentence(t);
    let ratio = line.lower_ratio();
    let min = config.min_prose_words.max(1);
    line.prose = (words >= min && line.terminal && ratio >= 0.34) || (words >= 2 * min + 4 && ratio >= 0.4);
    line.key = xxh3_64(buf.as_bytes());
    if words <= 25 {
        line.generic = patterns::is_generic(buf, words) || (words >= 4 && patterns::is_spaced_menu(t));
        line.copyright = patterns::is_copyright(buf, words);
    }
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

/// Lines as text, every field included (`Line` has no `PartialEq`).
fn shown(lines: &[Line]) -> String {
    format!("{lines:?}")
}

/// A page made of lines that exercise the splitting, joining, pattern
/// and date rules, the same lines coming back so that the cache is hit.
#[rustfmt::skip]
fn page_text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\n", "\n", "\n\n", "\r\n", " \n", "\n\t", "\u{A0}\n", "\n\u{2003}", "\u{85}", " ", "  ", "\t", "\u{0B}",
        "• ", "- ", "* ", "-", "*", "•", "·", "► ", "Home", "News", "World", " | ", " · ",
        "Share on Facebook", "Share this story: Share on Facebook, Share on X", "© 2024 The Daily Planet.",
        "All rights reserved.", "Copyright 2024 Wire", "Published January 1, 2024 | By Jane Doe", "2 days ago",
        "September 23, 2024", "2024-09-23", "Sign up for the morning briefing", "Tags: libya, tripoli",
        "The minister said the talks would resume on Monday after a week of delays", "and continued",
        "in the capital.", "He said: “It is over.”", "ADVERTISEMENT", "Read more", "by John Smith",
        "Élan vital", "ÉCOLE", "مرحبا", "漢字", "Straße", "x", "42", "é",
    ]);
    prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn split_lines_equals_the_reference(text in page_text(60), min_prose_words in 0usize..12) {
        let config = CleanConfig { min_prose_words, ..CleanConfig::default() };
        let expected = shown(&split_lines_reference(&text, &config));
        // The second time every short line comes from the cache.
        prop_assert_eq!(shown(&split_lines(&text, &config)), expected.clone());
        prop_assert_eq!(shown(&split_lines(&text, &config)), expected);
    }
}

/// A line with any measures, flags and date, somewhere in a text of
/// `len` bytes.
fn any_line(len: usize) -> impl Strategy<Value = Line> {
    let span = (0..=len, 0..=len).prop_map(|(a, b)| (a.min(b), a.max(b)));
    let counts = prop_oneof![0usize..200, any::<u32>().prop_map(|v| v as usize), Just(usize::MAX)];
    let date = prop::option::of((-9999i32..9999, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d)));
    (span, any::<u64>(), counts.clone(), counts.clone(), counts, any::<[bool; 7]>(), date).prop_map(
        |((start, end), key, words, alpha, lower, f, date)| Line {
            start,
            end,
            key,
            words,
            alpha,
            lower,
            bullet: f[0],
            joined: f[1],
            terminal: f[2],
            prose: f[3],
            generic: f[4],
            copyright: f[5],
            date: date.flatten(),
            lone_date: f[6],
        },
    )
}

proptest! {
    #[test]
    fn lines_read_back_as_written(lines in prop::collection::vec(any_line(100_000), 0..20)) {
        let text = "x".repeat(100_000);
        let mut out = Vec::new();
        let mut prev_end = 0;
        for line in &lines {
            let before = out.len();
            line.encode(prev_end, &mut out);
            prop_assert!((MIN_LINE_RECORD..=MAX_LINE_RECORD).contains(&(out.len() - before)));
            prev_end = line.end;
        }
        let mut r = RecordIn(&out);
        let mut back = Vec::new();
        let mut prev_end = 0;
        for _ in 0..lines.len() {
            let line = Line::decode(&mut r, prev_end, &text).expect("a whole line");
            prev_end = line.end;
            back.push(line);
        }
        prop_assert!(r.is_done());
        prop_assert_eq!(shown(&back), shown(&lines));
    }
}

#[test]
fn damaged_lines_are_refused() {
    let text = "ab é cd";
    let line = |start, end| Line { start, end, ..split_lines("x", &CleanConfig::default())[0].clone() };
    let mut out = Vec::new();
    line(3, 5).encode(0, &mut out);
    assert!(Line::decode(&mut RecordIn(&out), 0, text).is_some());
    // Inside "é", past the text, before the start of the text, cut short.
    assert!(Line::decode(&mut RecordIn(&out), 1, text).is_none());
    assert!(Line::decode(&mut RecordIn(&out), 10, text).is_none());
    out.clear();
    line(0, 2).encode(5, &mut out);
    assert!(Line::decode(&mut RecordIn(&out), 5, text).is_some());
    assert!(Line::decode(&mut RecordIn(&out), 4, text).is_none());
    assert!(Line::decode(&mut RecordIn(&out[..out.len() - 1]), 5, text).is_none());
}

#[test]
fn lines_are_found_between_line_feeds() {
    // Line feeds on both sides of the 64-byte blocks, and none at all.
    for n in [0, 1, 62, 63, 64, 65, 127, 128, 129, 200] {
        for text in ["x".repeat(n), format!("{}\n", "x".repeat(n)), format!("a\n{}\nb\n\n", "y".repeat(n))] {
            let mut found = Vec::new();
            for_each_line(&text, |start, end| found.push(&text[start..end]));
            assert_eq!(found, text.split('\n').collect::<Vec<_>>(), "{text:?}");
        }
    }
    let text = "\n".repeat(130);
    let mut n_lines = 0;
    for_each_line(&text, |start, end| {
        assert_eq!(start, end);
        n_lines += 1;
    });
    assert_eq!(n_lines, 131);
}

#[test]
fn cached_measures_equal_fresh_ones() {
    let mut cache = LineCache::default();
    let mut buf = String::new();
    for t in [
        "Share on Facebook | Share on X | Email this article",
        "© 2024 The Daily Planet. All rights reserved.",
        "Published January 1, 2024 | By Jane Doe",
        "The minister said the talks would resume on Monday.",
        "Home  News  World  Sports  Subscribe",
    ] {
        let fresh = measure_text(t, &mut buf);
        assert_eq!(cache.measure(t, &mut buf), fresh, "{t}");
        assert_eq!(cache.entries.len(), cache.index.len());
        let n_cached = cache.entries.len();
        // Seen a second time, the line comes from the cache.
        assert_eq!(cache.measure(t, &mut buf), fresh, "{t}");
        assert_eq!(cache.entries.len(), n_cached);
    }
    // A different text under a cached hash (as if the hashes collided)
    // is measured afresh.
    let other = "Sign up for the morning briefing";
    cache.index.insert(xxh3_64(other.as_bytes()), 0);
    let fresh = measure_text(other, &mut buf);
    assert_ne!(fresh, cache.entries[0].measures);
    assert_eq!(cache.measure(other, &mut buf), fresh);
    // A full cache is emptied before it takes another line.
    let mut cache = LineCache::default();
    for i in 0..CACHED_LINES + 1 {
        let t = format!("Menu item {i}");
        assert_eq!(cache.measure(&t, &mut buf), measure_text(&t, &mut buf));
    }
    assert_eq!(cache.entries.len(), 1);
    assert_eq!(cache.texts, b"Menu item 16384");
}

#[test]
fn configs_share_no_prose_decision() {
    // Prose with a minimum of eight words, not with twelve: the cached
    // line must be decided again for each config.
    let text = "The minister said the talks would resume on Monday after delays.\nHome";
    let loose = CleanConfig { min_prose_words: 8, ..CleanConfig::default() };
    let strict = CleanConfig { min_prose_words: 12, ..CleanConfig::default() };
    for config in [&loose, &strict, &loose, &strict] {
        let lines = split_lines(text, config);
        assert_eq!(shown(&lines), shown(&split_lines_reference(text, config)));
        assert_eq!(lines[0].prose, config.min_prose_words == 8);
    }
}

proptest! {
    #[test]
    fn single_spaced_counts_equal_the_reference(s in "([A-Za-z0-9]{0,3}[(\"$—’.,]{0,2}[A-Za-z0-9]{0,4} {1,2}){1,40}x") {
        // A space at the start (outside the contract: callers trim) or
        // two spaces together send the line to the general path.
        let expected = (!s.contains("  ") && !s.starts_with(' ')).then(|| counts_reference(&s));
        prop_assert_eq!(single_spaced_counts(s.as_bytes()), expected);
    }
}

proptest! {
    #[test]
    fn ascii_blocks_equal_the_scalar_version(block in prop::collection::vec(any::<u8>(), 64)) {
        let block: [u8; 64] = block.try_into().expect("64 bytes");
        let (mut lowered, mut lowered_scalar) = ([0u8; 64], [0u8; 64]);
        prop_assert_eq!(ascii_block(&block, &mut lowered), ascii_block_scalar(&block, &mut lowered_scalar));
        prop_assert_eq!(lowered, lowered_scalar);
    }

    #[test]
    fn plain_ascii_lines_equal_the_reference(s in "[A-Za-z0-9(\"$.,`_\u{1C}]{1,12}( {1,2}[A-Za-z0-9(\"$.,`_\u{1C}\t]{1,12}){0,30}") {
        // Lines across block boundaries, with double spaces, tabs and
        // other ASCII that sends them elsewhere.
        let mut buf = String::from("left over");
        let expected = (!s.contains("  ") && !s.contains('\t'))
            .then(|| PlainAscii::Done(counts_reference(&s)));
        let found = normalise_plain_ascii(s.as_bytes(), &mut buf);
        // The byte-by-byte classifier, compiled without AVX or POPCNT,
        // whichever version `normalise_plain_ascii` chose.
        let mut portable_buf = String::from("left over");
        let portable = normalise_plain_ascii_with(s.as_bytes(), &mut portable_buf, ascii_block_scalar);
        prop_assert_eq!(&portable, &found);
        if matches!(found, PlainAscii::Done(_)) {
            prop_assert_eq!(&portable_buf, &buf);
        }
        if let Some(expected) = expected {
            prop_assert_eq!(found, expected);
            prop_assert_eq!(buf, normalise_reference(&s));
        } else {
            prop_assert_eq!(found, PlainAscii::Other);
        }
    }
}

#[test]
fn ascii_block_bytes() {
    // Every byte value at every position of a block.
    for shift in 0..4 {
        let block: [u8; 64] = std::array::from_fn(|i| (4 * i + shift) as u8);
        let (mut lowered, mut lowered_scalar) = ([0u8; 64], [0u8; 64]);
        assert_eq!(ascii_block(&block, &mut lowered), ascii_block_scalar(&block, &mut lowered_scalar));
        assert_eq!(lowered, lowered_scalar);
    }
    let mut buf = String::new();
    assert_eq!(normalise_plain_ascii("Word — word".as_bytes(), &mut buf), PlainAscii::NonAscii);
}

#[test]
fn inert_characters_are_inert() {
    for c in (0x80..=0x2FFFFu32).filter_map(char::from_u32) {
        if inert(c) {
            let f = fold_char(c);
            assert!(!c.is_whitespace() && !c.is_alphanumeric(), "{c:?}");
            assert!(!f.is_whitespace() && !f.is_alphanumeric(), "{c:?}");
            assert_eq!(f.to_lowercase().collect::<String>(), f.to_string(), "{c:?}");
        }
    }
    let line = "Word — “Quoted” • it’s 5€…";
    let mut buf = String::new();
    assert_eq!(normalise_simple(line, &mut buf), Some(counts_reference(line)));
    assert_eq!(buf, normalise_reference(line));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn normalise_and_counts_equal_the_reference(s in piece_text(30)) {
        let mut buf = String::from("left over");
        let counts = normalise_counting(&s, &mut buf);
        prop_assert_eq!(&buf, &normalise_reference(&s));
        prop_assert_eq!(counts, counts_reference(&s));
        normalise_into(&s, &mut buf);
        prop_assert_eq!(buf, normalise_reference(&s));
    }

    #[test]
    fn prose_with_dashes_and_quotes_equals_the_reference(
        s in "([A-Za-z0-9(\"$]{1,10}[.,;]? ?[—–“”’‘•…€·©—ʼªµ²`]? ){0,40}[A-Za-z.]"
    ) {
        // Single-spaced lines with typographic signs: the inert fast path.
        let mut buf = String::new();
        let counts = normalise_counting(&s, &mut buf);
        prop_assert_eq!(&buf, &normalise_reference(&s));
        prop_assert_eq!(counts, counts_reference(&s));
    }

    #[test]
    fn ascii_text_equals_the_reference(s in "[ -~\t\n\u{0B}\u{0C}\r]{0,60}") {
        let mut buf = String::new();
        let counts = normalise_counting(&s, &mut buf);
        prop_assert_eq!(&buf, &normalise_reference(&s));
        prop_assert_eq!(counts, counts_reference(&s));
    }
}

//! Cleaning one document once the templates are known: boilerplate lines,
//! the prose region that is the body, and the headline, date and outlet the
//! page shows.

use super::lines::{text_key, KeyMap, Line};
use super::patterns;
use super::template::KeySet;
use super::{CleanConfig, Prepared};
use crate::article::Date;

/// The reason given for a page with nothing left.
pub(crate) const EMPTY_AFTER_BOILERPLATE: &str = "empty article after removing boilerplate";

/// What the page reveals, and its body.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// The headline; `None` when the document declares one (which wins).
    pub title: Option<String>,
    /// The outlet; `None` when the document declares one (which wins).
    pub source: Option<String>,
    /// The publication date: declared, from the markup, or the date line
    /// next to the headline.
    pub published: Option<Date>,
    /// The body: the prose region, boilerplate and headline lines left out.
    pub body: String,
}

/// How many lines before the body the headline is looked for.
const HEADLINE_WINDOW: usize = 30;
/// How far (in lines) from the headline the date line may be.
const DATE_NEAR_HEADLINE: usize = 3;
/// How far before the body a date line may be when no headline is known.
const DATE_BEFORE_BODY: usize = 6;

/// Why a line is not part of the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Drop {
    Keep,
    Template,
    Generic,
    Date,
    Repeated,
    Menu,
    Teaser,
}

/// A run of kept lines between dropped ones: a candidate for the body.
struct Segment {
    /// Its lines, as indices into the page's lines.
    lines: Vec<usize>,
    /// Bytes of its prose lines.
    prose_chars: usize,
    /// Bytes of all its lines.
    total_chars: usize,
    /// Its anchor lines (prose, or complete short sentences).
    sentences: usize,
}

impl Segment {
    /// Whether at least half of the segment is prose.
    fn dense(&self) -> bool {
        self.prose_chars > 0 && self.prose_chars * 2 >= self.total_chars
    }
}

/// A line that could be a headline.
fn headline_like(l: &Line, text: &str, config: &CleanConfig) -> bool {
    if l.bullet || l.words < 3 || l.words > config.max_headline_words || l.generic || l.copyright || l.date.is_some() {
        return false;
    }
    if l.lone_date {
        return false;
    }
    let t = l.text(text);
    let last = t.trim_end_matches(['"', '\'', '”', '’', ')']).chars().last();
    if matches!(last, Some('.' | ':' | ',' | ';' | '…')) {
        return false;
    }
    t.chars().any(char::is_lowercase) && t.len() <= 250
}

/// `s` with its white space collapsed to single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cleans a page (a `.txt`/`.html` file or an HTML record).
pub(crate) fn clean_page(p: &Prepared, template: &KeySet, config: &CleanConfig) -> Result<Found, &'static str> {
    let lines = &p.lines;
    let text: &str = &p.text;
    let n = lines.len();
    if n == 0 {
        return Err(if p.html { "no text in HTML" } else { "empty page" });
    }
    let mut counts: KeyMap<u16> = KeyMap::with_capacity_and_hasher(n, Default::default());
    for l in lines {
        let c = counts.entry(l.key).or_insert(0);
        *c = c.saturating_add(1);
    }

    // 1. Line by line: what is boilerplate.
    let drop = drop_reasons(lines, text, template, &counts);
    // 2. Segments between dropped lines; the body is the prose region.
    let segments = kept_segments(lines, &drop);
    let region = choose_region(&segments);

    // 3. The headline: declared, from the markup, or the page's own.
    let first_anchor = region.iter().copied().find(|&i| lines[i].anchor());
    let body_start = first_anchor.or_else(|| region.first().copied()).unwrap_or(n);
    let page_headline = find_headline(p, &drop, body_start, &counts, template, config);
    let mut title_keys: Vec<u64> = Vec::with_capacity(2);
    if let Some(t) = p.title.as_deref().or(p.meta.title.as_deref()) {
        title_keys.push(text_key(t));
    }
    if let Some(h) = page_headline {
        title_keys.push(lines[h].key);
    }
    // A declared headline is not copied: it wins anyway.
    let title = match p.title {
        Some(_) => None,
        None => p.meta.title.clone().or_else(|| page_headline.map(|h| collapse(lines[h].text(text)))),
    };

    // 4. The date: next to the headline, else just before the body.
    let headline_at: Vec<usize> = (0..n).filter(|&i| title_keys.contains(&lines[i].key)).collect();
    let published = p.published.or(p.meta.date).or_else(|| find_date(lines, &headline_at, body_start));

    // 5. The outlet: a short name line in the header that the copyright
    //    line corroborates.
    let header_end = headline_at.first().copied().unwrap_or(body_start).min(body_start);
    let source = match p.source {
        Some(_) => None,
        None => p.meta.site.clone().or_else(|| find_source(p, header_end, &counts, template, &title_keys)),
    };

    // 6. The body.
    let body = assemble(lines, text, &region, &title_keys);
    if body.is_empty() {
        return Err(EMPTY_AFTER_BOILERPLATE);
    }
    Ok(Found { title, source, published, body })
}

/// Why each line of a page is dropped ([`Drop::Keep`] when it is not), the
/// first reason that applies: site template, a generic pattern, a date line,
/// a non-prose line repeated on the page (`counts`: lines per key), a menu
/// entry, a teaser.
fn drop_reasons(lines: &[Line], text: &str, template: &KeySet, counts: &KeyMap<u16>) -> Vec<Drop> {
    let count = |i: usize| counts.get(&lines[i].key).copied().unwrap_or(0);
    let is_template = |i: usize| template.contains(&lines[i].key);
    let mut drop = vec![Drop::Keep; lines.len()];
    for i in 0..lines.len() {
        let l = &lines[i];
        drop[i] = if is_template(i) {
            Drop::Template
        } else if l.generic || l.copyright {
            Drop::Generic
        } else if l.lone_date || (l.date.is_some() && !l.prose) {
            Drop::Date
        } else if count(i) >= 2 && !l.prose {
            Drop::Repeated
        } else if is_menu_item(lines, i) {
            Drop::Menu
        } else if is_teaser(lines, text, i) {
            Drop::Teaser
        } else {
            Drop::Keep
        };
    }
    drop
}

/// The runs of kept lines between dropped ones, with their sizes.
fn kept_segments(lines: &[Line], drop: &[Drop]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let close = |cur: &mut Vec<usize>, segments: &mut Vec<Segment>| {
        if cur.is_empty() {
            return;
        }
        let mut seg = Segment { lines: std::mem::take(cur), prose_chars: 0, total_chars: 0, sentences: 0 };
        for &j in &seg.lines {
            let len = lines[j].end - lines[j].start;
            seg.total_chars += len;
            if lines[j].prose {
                seg.prose_chars += len;
            }
            if lines[j].anchor() {
                seg.sentences += 1;
            }
        }
        segments.push(seg);
    };
    for (i, d) in drop.iter().enumerate() {
        if *d == Drop::Keep {
            cur.push(i);
        } else {
            close(&mut cur, &mut segments);
        }
    }
    close(&mut cur, &mut segments);
    segments
}

/// A short title-case list item next to another list item: a menu entry.
fn is_menu_item(lines: &[Line], i: usize) -> bool {
    let l = &lines[i];
    if !l.bullet || l.terminal || l.words > 5 || l.lower_ratio() >= 0.5 {
        return false;
    }
    (i > 0 && lines[i - 1].bullet) || (i + 1 < lines.len() && lines[i + 1].bullet)
}

/// A truncated teaser: a line the next line starts with.
fn is_teaser(lines: &[Line], text: &str, i: usize) -> bool {
    if i + 1 >= lines.len() {
        return false;
    }
    let cur = lines[i].text(text).trim_end_matches(['.', '…', ' ']);
    let next = lines[i + 1].text(text);
    cur.len() >= 30 && next.len() > cur.len() && next.starts_with(cur)
}

/// Picks the densest prose segment and the prose segments next to it (across
/// at most one short non-prose gap each). Without prose, the segment with the
/// most complete sentences.
fn choose_region(segments: &[Segment]) -> Vec<usize> {
    let main = segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.prose_chars > 0)
        .max_by(|(ia, a), (ib, b)| a.prose_chars.cmp(&b.prose_chars).then(ib.cmp(ia)))
        .map(|(i, _)| i)
        .or_else(|| {
            segments
                .iter()
                .enumerate()
                .filter(|(_, s)| s.sentences > 0)
                .max_by(|(ia, a), (ib, b)| a.sentences.cmp(&b.sentences).then(ib.cmp(ia)))
                .map(|(i, _)| i)
        });
    let Some(main) = main else { return Vec::new() };
    let mut chosen = vec![main];
    if segments[main].prose_chars > 0 {
        // Forwards.
        let mut j = main + 1;
        while j < segments.len() {
            if segments[j].dense() {
                chosen.push(j);
                j += 1;
            } else if segments[j].prose_chars == 0
                && segments[j].lines.len() <= 2
                && j + 1 < segments.len()
                && segments[j + 1].dense()
            {
                chosen.push(j + 1);
                j += 2;
            } else {
                break;
            }
        }
        // Backwards.
        let mut j = main;
        while j > 0 {
            if segments[j - 1].dense() {
                chosen.push(j - 1);
                j -= 1;
            } else if j >= 2
                && segments[j - 1].prose_chars == 0
                && segments[j - 1].lines.len() <= 2
                && segments[j - 2].dense()
            {
                chosen.push(j - 2);
                j -= 2;
            } else {
                break;
            }
        }
    }
    chosen.sort_unstable();
    chosen.iter().flat_map(|&s| segments[s].lines.iter().copied()).collect()
}

/// The page's own headline: before the body, the nearest headline-like line
/// that the page repeats (never as a list item); else one next to a date
/// line; else the first line the page keeps, when only boilerplate separates
/// it from the body.
fn find_headline(
    p: &Prepared,
    drop: &[Drop],
    body_start: usize,
    counts: &KeyMap<u16>,
    template: &KeySet,
    config: &CleanConfig,
) -> Option<usize> {
    let lines = &p.lines;
    let text: &str = &p.text;
    let lo = body_start.saturating_sub(HEADLINE_WINDOW);
    let ok = |i: usize| {
        !template.contains(&lines[i].key)
            && !matches!(drop[i], Drop::Generic | Drop::Date | Drop::Menu | Drop::Teaser)
            && headline_like(&lines[i], text, config)
    };
    let never_bullet = |key: u64| !lines.iter().any(|l| l.key == key && l.bullet);
    let repeated = (lo..body_start)
        .rev()
        .find(|&i| ok(i) && counts.get(&lines[i].key).copied().unwrap_or(0) >= 2 && never_bullet(lines[i].key));
    if repeated.is_some() {
        return repeated;
    }
    let has_date = |i: usize| lines[i].date.is_some() && !lines[i].prose;
    let by_date = (lo..body_start)
        .rev()
        .find(|&i| ok(i) && ((i > 0 && has_date(i - 1)) || (i + 1 < lines.len() && has_date(i + 1))));
    if by_date.is_some() {
        return by_date;
    }
    let first_kept = drop.iter().position(|&d| d == Drop::Keep)?;
    (first_kept < body_start
        && first_kept >= lo
        && ok(first_kept)
        && (first_kept + 1..body_start).all(|i| drop[i] != Drop::Keep))
    .then_some(first_kept)
}

/// The date line closest to a headline occurrence; without a headline, the
/// closest date line just before the body.
fn find_date(lines: &[Line], headline_at: &[usize], body_start: usize) -> Option<Date> {
    let dated = |i: usize| lines[i].date.filter(|_| !lines[i].prose);
    if !headline_at.is_empty() {
        // Closest first; at equal distance the date after the headline (a
        // byline under the title), not a header date above it.
        let mut best: Option<((usize, bool), Date)> = None;
        for &h in headline_at {
            let lo = h.saturating_sub(DATE_NEAR_HEADLINE);
            let hi = (h + DATE_NEAR_HEADLINE).min(lines.len() - 1);
            for i in lo..=hi {
                if let Some(d) = dated(i) {
                    let rank = (i.abs_diff(h), i < h);
                    if best.is_none_or(|(br, _)| rank < br) {
                        best = Some((rank, d));
                    }
                }
            }
        }
        if let Some((_, d)) = best {
            return Some(d);
        }
    }
    let lo = body_start.saturating_sub(DATE_BEFORE_BODY);
    (lo..body_start.min(lines.len())).rev().find_map(dated)
}

/// A short name line in the header (repeated, or part of the template)
/// corroborated by the copyright line; else a copyright holder that reads as
/// a name.
fn find_source(
    p: &Prepared,
    header_end: usize,
    counts: &KeyMap<u16>,
    template: &KeySet,
    title_keys: &[u64],
) -> Option<String> {
    let lines = &p.lines;
    let text: &str = &p.text;
    let holders: Vec<String> =
        lines.iter().filter(|l| l.copyright).filter_map(|l| patterns::copyright_holder(l.text(text))).collect();
    if holders.is_empty() {
        return None;
    }
    for l in &lines[..header_end.min(lines.len())] {
        let t = l.text(text);
        if l.words == 0
            || l.words > 5
            || t.chars().count() > 40
            || l.generic
            || l.copyright
            || l.date.is_some()
            || l.lone_date
            || title_keys.contains(&l.key)
        {
            continue;
        }
        if counts.get(&l.key).copied().unwrap_or(0) < 2 && !template.contains(&l.key) {
            continue;
        }
        if holders.iter().any(|h| patterns::corroborates(t, h)) {
            return Some(collapse(t));
        }
    }
    holders.into_iter().find(|h| patterns::holder_is_name(h)).map(|h| collapse(&h))
}

/// The body: the region's lines without headline copies, trimmed of leading
/// and trailing link-like lines, without runs of three or more title-case
/// lines, without repeated paragraphs.
fn assemble(lines: &[Line], text: &str, region: &[usize], title_keys: &[u64]) -> String {
    let keep: Vec<usize> = region.iter().copied().filter(|&i| !title_keys.contains(&lines[i].key)).collect();
    // Leading and trailing non-sentences go (captions, link lists, labels);
    // a list item only when it is in title case.
    let edge = |i: &usize| {
        let l = &lines[*i];
        !l.anchor() && !l.terminal && (!l.bullet || l.title_like())
    };
    let from = keep.iter().position(|i| !edge(i)).unwrap_or(keep.len());
    let to = keep.iter().rposition(|i| !edge(i)).map_or(from, |p| p + 1);
    let keep = &keep[from..to];
    // Runs of title-case lines inside the body: link lists.
    let mut out: Vec<usize> = Vec::with_capacity(keep.len());
    let mut k = 0;
    while k < keep.len() {
        let mut e = k;
        while e < keep.len() && lines[keep[e]].title_like() {
            e += 1;
        }
        if e - k >= 3 {
            k = e;
            continue;
        }
        if e == k {
            out.push(keep[k]);
            k += 1;
        } else {
            out.extend_from_slice(&keep[k..e]);
            k = e;
        }
    }
    let mut seen: KeyMap<()> = KeyMap::with_capacity_and_hasher(out.len(), Default::default());
    let mut body = String::with_capacity(body_capacity(lines, &out));
    for i in out {
        if seen.insert(lines[i].key, ()).is_some() {
            continue;
        }
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        lines[i].push_body_text(text, &mut body);
    }
    body.shrink_to_fit();
    body
}

/// Room enough for the body made of `lines[i]` for each `i` of `chosen`
/// (each at most its text, a bullet and a paragraph break), so that the body
/// is not moved while it grows nor much when it is shrunk.
fn body_capacity(lines: &[Line], chosen: &[usize]) -> usize {
    chosen
        .iter()
        .map(|&i| lines[i].end - lines[i].start + "\n\n".len() + if lines[i].bullet { "• ".len() } else { 0 })
        .sum()
}

/// Whether a record carries a page template: two or more of its distinct
/// lines are learned template or generic boilerplate (a menu line, a share
/// line, a copyright line…). Such a record is a scraped page delivered in a
/// feed and is cleaned like a page.
pub(crate) fn record_is_page(p: &Prepared, template: &KeySet) -> bool {
    let mut first: Option<u64> = None;
    for l in &p.lines {
        if l.generic || l.copyright || template.contains(&l.key) {
            match first {
                None => first = Some(l.key),
                Some(key) if key != l.key => return true,
                Some(_) => {}
            }
        }
    }
    false
}

/// Cleans a feed record's text, which is usually a body already: only lines
/// that are template across many different records and short, generic or a
/// copyright line go, and copies of the declared headline. A record never
/// loses all its text: a single line stays, and if everything would go the
/// text is kept as it is.
pub(crate) fn clean_record(p: &Prepared, template: &KeySet) -> Result<Found, &'static str> {
    let lines = &p.lines;
    let text: &str = &p.text;
    if lines.is_empty() {
        return Err("empty text");
    }
    let mut keep: Vec<usize> = Vec::with_capacity(lines.len());
    if lines.len() > 1 {
        let title_key = p.title.as_deref().map(text_key);
        for (i, l) in lines.iter().enumerate() {
            if template.contains(&l.key) && (l.generic || l.copyright || l.words <= 15) {
                continue;
            }
            if title_key == Some(l.key) {
                continue;
            }
            keep.push(i);
        }
    }
    if keep.is_empty() {
        keep = (0..lines.len()).collect();
    }
    let mut body = String::with_capacity(text.len());
    for i in keep {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        lines[i].push_body_text(text, &mut body);
    }
    body.shrink_to_fit();
    Ok(Found { title: None, source: None, published: None, body })
}

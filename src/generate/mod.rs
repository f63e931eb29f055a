//! A deterministic synthetic news corpus with gold story labels, for
//! benches, scale runs and tests (`storyclust generate`).
//!
//! Owns [`GenerateConfig`], [`GeneratedArticle`], [`SiteProfile`],
//! [`generate`] (a streaming iterator), [`sites`] and [`write_jsonl`]. It
//! must not depend on any other pipeline stage (it only borrows [`Date`]),
//! must not print, and must give the same corpus for the same configuration
//! on every machine: it uses its own SplitMix64 generator and only basic
//! float arithmetic.
//!
//! # The model of a feed
//!
//! - **Stories** are base events. Each has a news section (whose vocabulary
//!   and prominent people it shares with unrelated stories of that section),
//!   invented people with roles, places, organisations, numbers, a date, a
//!   handful of facts (who did what to how many, where) and a few quotes.
//!   Sizes are long-tailed: P(size ≥ k) = 1/k up to
//!   [`GenerateConfig::max_story_size`], so half the stories have one
//!   article and about 5% have 20 or more.
//! - A story runs for 1 to [`GenerateConfig::max_story_days`] days;
//!   publication dates cluster on its first day.
//! - **Rewrites**: each original article is one outlet's own text about the
//!   story: the same names, numbers and places, but its own headline,
//!   sentence templates, word choices, fact order and filler, so rewrites
//!   share few 5-word shingles (quotes, reproduced verbatim, are the main
//!   exception).
//! - **Near-duplicates** (about [`GenerateConfig::dup_fraction`] of all
//!   articles): a copy of an earlier original of the same story, usually on
//!   another site, with 2–5% of words changed and sometimes a paragraph
//!   dropped or two swapped; `dup_of` names the original.
//! - **Boilerplate**: wire stories open with a dateline `PLACE (Wire) — ` and
//!   end with a wire credit and a wire copyright line shared by unrelated
//!   articles; other datelines are `PLACE — `. Page-like sites (see
//!   [`SiteProfile`]) wrap the body in a menu line, the headline, a byline,
//!   advertisement markers, a "Share on Facebook" line, related headlines of
//!   other recent articles, a newsletter line and `© YEAR SiteName`. Some
//!   feed-like sites flatten the body to one paragraph.
//! - **Vocabulary**: a few hundred real English function and news words,
//!   plus procedurally built pseudo-words (combined syllables) for content
//!   words and names.
//!
//! Articles are emitted day by day (in random order within a day); only the
//! stories running on the current day are kept in memory, and a
//! near-duplicate's original is regenerated from its seed rather than
//! stored, so memory is O(stories in flight), not O(articles).

mod lexicon;
pub(crate) mod rng;
mod site;
mod story;

use std::collections::VecDeque;
use std::io::{self, BufWriter, Write};

use serde::Serialize;

use crate::article::Date;

pub use site::SiteProfile;

use lexicon::Lexicon;
use rng::Rng;
use story::{Original, Story};

/// Settings of the synthetic corpus. [`Default`] gives the documented
/// defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct GenerateConfig {
    /// The number of articles to emit. Default 10,000.
    pub articles: usize,
    /// The seed: the same configuration gives the same corpus. Default 42.
    pub seed: u64,
    /// The target mean size of `text` in bytes (template included).
    /// Default 3,000; article sizes range over about 0.4–1.6 times this.
    pub mean_bytes: usize,
    /// The share of articles that are near-duplicate copies of another
    /// article of their story, in 0..=1. Default 0.15.
    pub dup_fraction: f64,
    /// The number of outlets (at least 1). Default 40.
    pub sites: usize,
    /// The share of sites whose articles are whole scraped pages carrying a
    /// site template, in 0..=1. Default 0.5.
    pub page_fraction: f64,
    /// About how many articles are published a day (at least 1), which sets
    /// how many stories run at once. Default 1,000.
    pub articles_per_day: usize,
    /// The largest story (at least 1). Default 80.
    pub max_story_size: usize,
    /// The longest a story runs, in days (at least 1). Default 4.
    pub max_story_days: usize,
    /// The date of the first day. Default 2024-01-01.
    pub start: Date,
}

impl Default for GenerateConfig {
    fn default() -> Self {
        GenerateConfig {
            articles: 10_000,
            seed: 42,
            mean_bytes: 3_000,
            dup_fraction: 0.15,
            sites: 40,
            page_fraction: 0.5,
            articles_per_day: 1_000,
            max_story_size: 80,
            max_story_days: 4,
            start: Date { year: 2024, month: 1, day: 1 },
        }
    }
}

/// One synthetic article with its gold story label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GeneratedArticle {
    /// A unique id, `a00000001`, `a00000002`, … in emission order.
    pub id: String,
    /// The text: a body (paragraphs separated by blank lines), or for
    /// page-like sites the whole page with the site template.
    pub text: String,
    /// The headline.
    pub title: String,
    /// The outlet's name.
    pub source: String,
    /// The publication date (serialised as `YYYY-MM-DD`).
    pub published: Date,
    /// The gold story label, `story-000001`, … numbered in order of first
    /// appearance. For scoring only.
    pub story: String,
    /// For a near-duplicate copy, the id of the earlier article of the same
    /// story it copies.
    pub dup_of: Option<String>,
}

/// The outlets a configuration generates, in a fixed order, with their
/// templates: what `clean` should remove from page-like articles.
pub fn sites(config: &GenerateConfig) -> Vec<SiteProfile> {
    let lex = Lexicon::build(config.seed);
    site::build_sites(&lex, config.seed, config.sites, config.page_fraction.clamp(0.0, 1.0))
}

/// Streams the corpus for `config`. Nothing is generated until the
/// iterator is advanced, and only the stories running on the current day are
/// held in memory, so very large corpora can be written out article by
/// article.
pub fn generate(config: &GenerateConfig) -> impl Iterator<Item = GeneratedArticle> {
    Generator::new(config)
}

/// Writes articles as JSON Lines (fields `id, text, title, source,
/// published, story, dup_of`; `dup_of` is `null` for originals) and returns
/// how many were written.
pub fn write_jsonl<W: Write>(articles: impl Iterator<Item = GeneratedArticle>, out: W) -> io::Result<usize> {
    let mut out = BufWriter::new(out);
    let mut n = 0;
    for a in articles {
        serde_json::to_writer(&mut out, &a)?;
        out.write_all(b"\n")?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// Random stream ids.
const DAY_STREAM: u64 = 0xda7;
const ARTICLE_STREAM: u64 = 0xa27;

/// How many recent headlines each site remembers for "related" lines.
const RECENT_TITLES: usize = 8;

/// Extra body bytes (wire credits and copyright lines) not counted in the
/// body target, on average.
const CREDIT_BYTES: usize = 60;

/// The date `days` after `start`.
fn add_days(start: Date, days: i64) -> Date {
    Date::from_days_since_epoch(start.days_since_epoch() + days)
}

/// The streaming generator behind [`generate`].
struct Generator {
    cfg: GenerateConfig,
    lex: Lexicon,
    sites: Vec<SiteProfile>,
    recent: Vec<VecDeque<String>>,
    /// Stories running on or after the current day.
    stories: Vec<Story>,
    /// Stories created so far (seeds the next one).
    created: u64,
    /// Story labels handed out so far.
    labels: usize,
    /// The current day index (-1 before the first).
    day: i64,
    /// The current day's article slots (indices into `stories`), shuffled.
    queue: Vec<usize>,
    pos: usize,
    emitted: usize,
    /// The chance that a non-first article of a story is a near-duplicate.
    dup_p: f64,
    /// The mean body target in bytes.
    body_mean: usize,
}

impl Generator {
    fn new(config: &GenerateConfig) -> Generator {
        let mut cfg = config.clone();
        cfg.sites = cfg.sites.max(1);
        cfg.articles_per_day = cfg.articles_per_day.max(1);
        cfg.max_story_size = cfg.max_story_size.max(1);
        cfg.max_story_days = cfg.max_story_days.max(1);
        cfg.dup_fraction = cfg.dup_fraction.clamp(0.0, 1.0);
        cfg.page_fraction = cfg.page_fraction.clamp(0.0, 1.0);
        let lex = Lexicon::build(cfg.seed);
        let sites = site::build_sites(&lex, cfg.seed, cfg.sites, cfg.page_fraction);

        // Expected story size is H(cap) = sum 1/k; the first article of a
        // story is always an original, so the rest carry all duplicates.
        let h: f64 = (1..=cfg.max_story_size).map(|k| 1.0 / k as f64).sum();
        let non_first = 1.0 - 1.0 / h;
        let dup_p = if non_first > 0.0 { (cfg.dup_fraction / non_first).min(1.0) } else { 0.0 };

        // Expected template bytes, weighted by how often each site is picked.
        let n = sites.len() as f64;
        let overhead: f64 = sites
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let p = ((i + 1) as f64 / n).sqrt() - (i as f64 / n).sqrt();
                p * template_estimate(s) as f64
            })
            .sum();
        let body_mean = (cfg.mean_bytes as f64 - overhead - CREDIT_BYTES as f64).max(150.0) as usize;

        Generator {
            recent: vec![VecDeque::new(); sites.len()],
            cfg,
            lex,
            sites,
            stories: Vec::new(),
            created: 0,
            labels: 0,
            day: -1,
            queue: Vec::new(),
            pos: 0,
            emitted: 0,
            dup_p,
            body_mean,
        }
    }

    /// Moves to the next day: retires finished stories, starts the day's new
    /// ones and queues the day's articles.
    fn advance_day(&mut self) {
        self.day += 1;
        let day = self.day;
        self.stories.retain(|s| s.end_day() > day);
        let date = add_days(self.cfg.start, day);
        let mut planned = 0;
        while planned < self.cfg.articles_per_day {
            let s = Story::new(
                &self.lex,
                self.cfg.seed,
                self.created,
                day,
                date,
                self.cfg.max_story_size,
                self.cfg.max_story_days,
            );
            self.created += 1;
            planned += s.planned();
            self.stories.push(s);
        }
        self.queue.clear();
        for (i, s) in self.stories.iter().enumerate() {
            let k = (day - s.start_day) as usize;
            for _ in 0..s.slots[k] {
                self.queue.push(i);
            }
        }
        Rng::derive(self.cfg.seed, DAY_STREAM, day as u64).shuffle(&mut self.queue);
        self.pos = 0;
    }

    fn pick_site(&self, rng: &mut Rng, avoid: Option<usize>) -> usize {
        let mut s = rng.skewed(self.sites.len());
        for _ in 0..3 {
            if Some(s) != avoid {
                break;
            }
            s = rng.skewed(self.sites.len());
        }
        s
    }

    fn body_target(&self, body_seed: u64) -> usize {
        // Triangular factor on 0.4..1.6 with mean 1, from the body seed alone
        // so that a copy regenerates the same body.
        let mut r = Rng::new(body_seed ^ 0x7a29e7);
        let f = 0.4 + 1.2 * (r.unit() + r.unit()) / 2.0;
        (self.body_mean as f64 * f) as usize
    }

    /// Emits the next article of story `si`.
    fn emit(&mut self, si: usize) -> GeneratedArticle {
        let n = self.emitted as u64 + 1;
        let id = format!("a{n:08}");
        let mut rng = Rng::derive(self.cfg.seed, ARTICLE_STREAM, n);
        let published = add_days(self.cfg.start, self.day);
        let story = &self.stories[si];
        let make_dup = !story.originals.is_empty() && rng.chance(self.dup_p);
        let (site, title, paragraphs, dup_of) = if make_dup {
            // Syndicated copies are mostly of wire originals.
            let wires: Vec<&Original> = story.originals.iter().filter(|o| o.wire).collect();
            let orig = if !wires.is_empty() && rng.chance(0.7) {
                (*rng.pick(&wires)).clone()
            } else {
                rng.pick(&story.originals).clone()
            };
            let body = story.compose(&self.lex, orig.body_seed, self.body_target(orig.body_seed));
            let (title, paragraphs) = perturb(&self.lex, &mut rng, body.title, body.paragraphs);
            let site = self.pick_site(&mut rng, Some(orig.site));
            (site, title, paragraphs, Some(orig.id))
        } else {
            let body_seed = rng.next_u64();
            let body = story.compose(&self.lex, body_seed, self.body_target(body_seed));
            let site = self.pick_site(&mut rng, None);
            let wire = body.wire;
            self.stories[si].originals.push(Original { id: id.clone(), body_seed, wire, site });
            (site, body.title, body.paragraphs, None)
        };
        let text = self.wrap(site, &title, paragraphs, published, &mut rng);
        let recent = &mut self.recent[site];
        if recent.len() == RECENT_TITLES {
            recent.pop_front();
        }
        recent.push_back(title.clone());

        let story = &mut self.stories[si];
        let label = match &story.label {
            Some(l) => l.clone(),
            None => {
                self.labels += 1;
                let l = format!("story-{:06}", self.labels);
                story.label = Some(l.clone());
                l
            }
        };
        GeneratedArticle { id, text, title, source: self.sites[site].name.clone(), published, story: label, dup_of }
    }

    /// The article text as the site delivers it.
    fn wrap(&self, site: usize, title: &str, paragraphs: Vec<String>, published: Date, rng: &mut Rng) -> String {
        let s = &self.sites[site];
        if !s.page_like {
            return paragraphs.join(if s.flattens { " " } else { "\n\n" });
        }
        let date = format!("{} {}, {}", lexicon::MONTHS[published.month as usize - 1], published.day, published.year);
        let reporter = rng.pick(&s.reporters);
        let mut blocks: Vec<String> = Vec::with_capacity(paragraphs.len() + 8);
        blocks.push(s.menu.clone());
        blocks.push(title.to_string());
        blocks.push(if rng.chance(0.5) {
            format!("By {reporter} | {date}")
        } else {
            format!("Published {date} | By {reporter}")
        });
        let ad_after = if paragraphs.len() > 3 { Some(rng.range(1, paragraphs.len() - 2)) } else { None };
        for (i, p) in paragraphs.into_iter().enumerate() {
            blocks.push(p);
            if let (Some(marker), Some(k)) = (&s.ad_marker, ad_after) {
                if i == k {
                    blocks.push(marker.clone());
                }
            }
        }
        blocks.push(s.share.clone());
        let recent = &self.recent[site];
        if !recent.is_empty() {
            let k = rng.range(2, 4).min(recent.len());
            let start = rng.below(recent.len() - k + 1);
            let related: Vec<String> =
                recent.iter().skip(start).take(k).map(|t| format!("{}{t}", s.related_prefix)).collect();
            blocks.push(related.join("\n"));
        }
        blocks.push(s.newsletter.clone());
        blocks.push(s.copyright(published.year));
        blocks.join("\n\n")
    }
}

/// About how many template bytes a page of site `s` carries.
fn template_estimate(s: &SiteProfile) -> usize {
    if !s.page_like {
        return 0;
    }
    let blocks = 8 + usize::from(s.ad_marker.is_some());
    s.menu.len()
        + 60 // headline
        + 45 // byline
        + s.share.len()
        + 3 * (s.related_prefix.len() + 61) // related headlines
        + s.newsletter.len()
        + s.copyright(2024).len()
        + s.ad_marker.as_ref().map_or(0, String::len)
        + 2 * blocks
}

/// Makes a near-duplicate copy: 2–5% of words replaced, maybe one
/// paragraph dropped or two swapped, sometimes one headline word changed.
fn perturb(lex: &Lexicon, rng: &mut Rng, title: String, mut paragraphs: Vec<String>) -> (String, Vec<String>) {
    let rate = 0.02 + 0.03 * rng.unit();
    let replace = |rng: &mut Rng, text: &str, rate: f64| -> String {
        let mut out = String::with_capacity(text.len() + 16);
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let core_end = word.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(word.len());
            if core_end >= 3 && rng.chance(rate) {
                let new = if rng.chance(0.5) {
                    lex.nouns[rng.skewed(lex.nouns.len())].as_str()
                } else {
                    rng.word(lexicon::NEWS_NOUNS)
                };
                if word.starts_with(|c: char| c.is_ascii_uppercase()) {
                    out.push_str(&lexicon::capitalize(new));
                } else {
                    out.push_str(new);
                }
                out.push_str(&word[core_end..]);
            } else {
                out.push_str(word);
            }
        }
        out
    };
    // Wire credit and copyright paragraphs are kept verbatim.
    let body_len = paragraphs.iter().take_while(|p| !p.starts_with("(Reporting by")).count();
    for p in paragraphs.iter_mut().take(body_len) {
        *p = replace(rng, p, rate);
    }
    if body_len >= 3 {
        let u = rng.unit();
        if u < 0.4 {
            let k = rng.range(1, body_len - 1);
            paragraphs.remove(k);
        } else if u < 0.65 {
            let k = rng.range(1, body_len - 2);
            paragraphs.swap(k, k + 1);
        }
    }
    let title = if rng.chance(0.3) { replace(rng, &title, 0.2) } else { title };
    (title, paragraphs)
}

impl Iterator for Generator {
    type Item = GeneratedArticle;

    fn next(&mut self) -> Option<GeneratedArticle> {
        if self.emitted >= self.cfg.articles {
            return None;
        }
        while self.pos >= self.queue.len() {
            self.advance_day();
        }
        let si = self.queue[self.pos];
        self.pos += 1;
        let article = self.emit(si);
        self.emitted += 1;
        Some(article)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.cfg.articles - self.emitted;
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests;

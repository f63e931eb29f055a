//! The outlets of the synthetic feed and their page templates.
//!
//! Owns [`SiteProfile`] and how site names, menus, share lines, related
//! headline prefixes and copyright lines are built. It must not write article
//! bodies: `mod.rs` wraps bodies in these templates.

use serde::Serialize;

use super::lexicon::{capitalize, Lexicon, Person, PAPER_NAMES};
use super::rng::Rng;

/// One synthetic outlet and the boilerplate its pages carry.
///
/// Page-like sites deliver whole scraped pages: the article body wrapped in
/// the site's menu line, headline, byline, share line, related headlines,
/// newsletter line and copyright line (the boilerplate `clean` must remove).
/// Other sites deliver the body only, like a feed record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteProfile {
    /// The outlet's name, used as the article `source`.
    pub name: String,
    /// Whether its articles are whole pages with the template below.
    pub page_like: bool,
    /// For feed-like sites: whether the feed flattens the body into one long
    /// paragraph.
    pub flattens: bool,
    /// The navigation menu line that opens every page.
    pub menu: String,
    /// The social sharing line (always contains "Share on Facebook").
    pub share: String,
    /// The newsletter sign-up line.
    pub newsletter: String,
    /// The prefix of related-headline lines (e.g. "Related: ").
    pub related_prefix: String,
    /// The advertisement marker some pages carry between paragraphs.
    pub ad_marker: Option<String>,
    /// The site's staff reporters named in bylines.
    pub reporters: Vec<String>,
    /// What follows `© {year} {name}` on the copyright line.
    pub copyright_suffix: String,
}

impl SiteProfile {
    /// The copyright line of a page published in `year`: it starts with
    /// `© {year} {name}`.
    pub fn copyright(&self, year: i32) -> String {
        format!("© {year} {}{}", self.name, self.copyright_suffix)
    }
}

const MENU_SECTIONS: &[&str] = &[
    "Home",
    "News",
    "World",
    "Politics",
    "Business",
    "Tech",
    "Science",
    "Health",
    "Sports",
    "Culture",
    "Opinion",
    "Weather",
    "Video",
    "Podcasts",
    "Local",
    "Travel",
    "Markets",
    "Lifestyle",
];
const MENU_TAILS: &[&str] = &["Subscribe", "Sign in", "Log in", "Newsletters", "Search", "Donate", "E-paper"];
const SEPARATORS: &[&str] = &[" | ", " · ", " / ", "  ", " • "];
const SHARE_LINES: &[&str] = &[
    "Share on Facebook | Share on X | Email this article",
    "Share on Facebook  Share on Twitter  Share via Email  Print",
    "Share on Facebook · Tweet · WhatsApp · Copy link",
    "Share on Facebook | Share on LinkedIn | Share on Reddit",
    "Share this story: Share on Facebook, Share on X, Share by email",
];
const RELATED_PREFIXES: &[&str] = &["Related: ", "Read more: ", "You may also like: ", "Most read: ", "See also: "];
const COPYRIGHT_SUFFIXES: &[&str] =
    &[". All rights reserved.", " | Privacy Policy | Terms of Use", "", ". All Rights Reserved. Contact us"];
const AD_MARKERS: &[&str] = &["Advertisement", "ADVERTISEMENT", "Story continues below advertisement", "Sponsored"];

/// Builds the `count` site profiles (at least one) for `seed`.
pub(crate) fn build_sites(lex: &Lexicon, seed: u64, count: usize, page_fraction: f64) -> Vec<SiteProfile> {
    let mut rng = Rng::derive(seed, 0x517e5, 0);
    let mut names: Vec<String> = Vec::new();
    let mut sites = Vec::with_capacity(count.max(1));
    for i in 0..count.max(1) {
        let mut name;
        let mut tries = 0;
        loop {
            let place = rng.pick(&lex.places).clone();
            name = match rng.below(4) {
                0 | 1 => format!("The {place} {}", rng.pick(PAPER_NAMES)),
                2 => format!("{place} Daily News"),
                _ => format!("{} News Network", capitalize(Lexicon::fresh_root(&mut rng))),
            };
            tries += 1;
            if !names.contains(&name) {
                break;
            }
            if tries > 50 {
                name = format!("{name} {}", i + 1);
                break;
            }
        }
        names.push(name.clone());
        let page_like = rng.chance(page_fraction);
        let flattens = !page_like && rng.chance(0.15);
        let sep = rng.word(SEPARATORS);
        let mut items: Vec<&str> = MENU_SECTIONS.iter().copied().filter(|_| rng.chance(0.5)).collect();
        if items.len() < 4 {
            items = MENU_SECTIONS[..6].to_vec();
        }
        rng.shuffle(&mut items[1..]);
        let mut menu: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        menu.push(format!("{} Extra", capitalize(Lexicon::fresh_root(&mut rng))));
        let mut tails = MENU_TAILS.to_vec();
        rng.shuffle(&mut tails);
        menu.extend(tails.iter().take(rng.range(1, 2)).map(|t| t.to_string()));
        let newsletter = match rng.below(3) {
            0 => format!("Sign up for the {name} morning briefing"),
            1 => "Get the latest headlines in your inbox. Subscribe now.".to_string(),
            _ => format!("Enjoying {name}? Support independent journalism today."),
        };
        let reporters = (0..rng.range(4, 12))
            .map(|_| {
                lex.full_name(Person {
                    first: rng.below(lex.first.len()) as u32,
                    last: rng.below(lex.last.len()) as u32,
                })
            })
            .collect();
        sites.push(SiteProfile {
            name,
            page_like,
            flattens,
            menu: menu.join(sep),
            share: rng.pick(SHARE_LINES).to_string(),
            newsletter,
            related_prefix: rng.pick(RELATED_PREFIXES).to_string(),
            ad_marker: if page_like && rng.chance(0.5) { Some(rng.pick(AD_MARKERS).to_string()) } else { None },
            reporters,
            copyright_suffix: rng.word(COPYRIGHT_SUFFIXES).to_string(),
        });
    }
    sites
}

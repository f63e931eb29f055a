//! Word lists for the generator.
//!
//! Owns the real English function and news words (constants), the
//! procedurally built pseudo-words (combined syllables) for content words,
//! person names, places and organisations, and the per-section vocabularies.
//! It builds lists only: it must not compose sentences or articles.

use std::collections::HashSet;

use super::rng::Rng;

/// Determiners that open a noun phrase.
pub(crate) const DETERMINERS: &[&str] = &[
    "the", "the", "the", "the", "a", "its", "their", "this", "that", "several", "many", "some", "two", "three",
    "another", "each", "every", "no", "most", "other", "these", "those", "his", "her", "our",
];

/// Prepositions.
pub(crate) const PREPOSITIONS: &[&str] = &[
    "in", "on", "at", "for", "with", "after", "before", "during", "against", "over", "under", "near", "across", "from",
    "into", "through", "without", "about", "amid", "despite", "toward", "between", "among", "behind", "beyond",
    "within", "along", "around", "since", "until",
];

/// Subordinating and coordinating conjunctions that join two clauses.
pub(crate) const CONJUNCTIONS: &[&str] = &[
    "while", "although", "as", "after", "because", "before", "and", "but", "where", "when", "since", "even as", "so",
    "though", "whereas", "until", "once", "unless",
];

/// Sentence openers.
pub(crate) const OPENERS: &[&str] = &[
    "However",
    "Meanwhile",
    "In addition",
    "Still",
    "Earlier",
    "At the same time",
    "Later",
    "Separately",
    "By contrast",
    "In a statement",
    "On the other hand",
    "For now",
    "Even so",
    "As a result",
    "In recent years",
    "So far",
    "Last year",
    "Since then",
    "Until now",
    "In the meantime",
];

/// Auxiliary and function words used inside clauses.
pub(crate) const AUXILIARIES: &[&str] = &[
    "was",
    "were",
    "had been",
    "has been",
    "would be",
    "could be",
    "is",
    "are",
    "will be",
    "may be",
    "might be",
    "should be",
    "had",
    "has",
    "have",
    "did not",
    "does not",
    "could not",
    "would not",
    "was not",
];

/// Clause-final adverbials.
pub(crate) const ADVERBIALS: &[&str] = &[
    "earlier this week",
    "in a statement",
    "according to officials",
    "for the first time",
    "so far",
    "in recent years",
    "last year",
    "this year",
    "late at night",
    "early in the morning",
    "over the weekend",
    "in the past decade",
    "at the time",
    "in the coming days",
    "by the end of the year",
    "in the short term",
    "once again",
    "without warning",
    "under pressure",
    "behind closed doors",
    "on short notice",
    "in public",
    "at least for now",
    "as expected",
    "as planned",
    "in the long run",
    "on the ground",
    "by a wide margin",
    "in response",
    "in the end",
];

/// Common news nouns (singular or plural as used).
pub(crate) const NEWS_NOUNS: &[&str] = &[
    "government",
    "officials",
    "police",
    "report",
    "company",
    "plan",
    "court",
    "election",
    "vote",
    "minister",
    "president",
    "city",
    "country",
    "people",
    "residents",
    "workers",
    "market",
    "prices",
    "economy",
    "budget",
    "law",
    "bill",
    "deal",
    "talks",
    "agreement",
    "statement",
    "investigation",
    "crisis",
    "attack",
    "fire",
    "storm",
    "flood",
    "project",
    "program",
    "study",
    "team",
    "season",
    "match",
    "players",
    "coach",
    "fans",
    "league",
    "record",
    "year",
    "week",
    "month",
    "time",
    "decision",
    "case",
    "judge",
    "lawyers",
    "charges",
    "trial",
    "hospital",
    "patients",
    "doctors",
    "health",
    "school",
    "students",
    "teachers",
    "university",
    "research",
    "scientists",
    "data",
    "evidence",
    "system",
    "network",
    "service",
    "services",
    "industry",
    "sales",
    "shares",
    "investors",
    "profits",
    "jobs",
    "unemployment",
    "inflation",
    "rates",
    "bank",
    "energy",
    "oil",
    "gas",
    "power",
    "water",
    "climate",
    "emissions",
    "border",
    "troops",
    "forces",
    "military",
    "security",
    "protest",
    "protesters",
    "crowd",
    "rally",
    "campaign",
    "candidates",
    "party",
    "leaders",
    "opposition",
    "parliament",
    "committee",
    "council",
    "mayor",
    "governor",
    "spokesman",
    "spokeswoman",
    "sources",
    "analysts",
    "experts",
    "critics",
    "supporters",
    "region",
    "area",
    "district",
    "province",
    "capital",
    "airport",
    "road",
    "bridge",
    "building",
    "homes",
    "families",
    "children",
    "victims",
    "survivors",
    "damage",
    "losses",
    "costs",
    "funds",
    "aid",
    "support",
    "response",
    "warning",
    "measures",
    "rules",
    "policy",
    "reform",
    "changes",
    "plans",
    "proposal",
    "meeting",
    "summit",
    "visit",
    "interview",
    "conference",
    "announcement",
    "results",
    "figures",
    "increase",
    "decline",
    "growth",
    "rise",
    "authorities",
    "agency",
    "ministry",
    "residents",
    "witnesses",
    "neighbours",
    "officers",
    "staff",
    "members",
    "voters",
    "citizens",
    "villagers",
    "farmers",
    "drivers",
];

/// Common news verbs in the past tense.
pub(crate) const NEWS_VERBS: &[&str] = &[
    "announced",
    "reported",
    "confirmed",
    "denied",
    "warned",
    "added",
    "expected",
    "planned",
    "approved",
    "rejected",
    "signed",
    "launched",
    "opened",
    "closed",
    "raised",
    "cut",
    "increased",
    "reduced",
    "called",
    "urged",
    "asked",
    "agreed",
    "refused",
    "claimed",
    "accused",
    "arrested",
    "charged",
    "injured",
    "damaged",
    "destroyed",
    "evacuated",
    "rescued",
    "found",
    "discovered",
    "revealed",
    "released",
    "published",
    "received",
    "won",
    "lost",
    "beat",
    "led",
    "moved",
    "sent",
    "faced",
    "met",
    "discussed",
    "proposed",
    "supported",
    "opposed",
    "blocked",
    "delayed",
    "suspended",
    "resumed",
    "ended",
    "began",
    "started",
    "continued",
    "remained",
    "reached",
    "hit",
    "struck",
    "held",
    "left",
    "returned",
    "ordered",
    "banned",
    "allowed",
    "required",
    "promised",
    "pledged",
    "criticised",
    "praised",
    "described",
    "estimated",
    "recorded",
    "predicted",
    "investigated",
    "questioned",
    "tested",
    "built",
    "completed",
    "hired",
    "dismissed",
    "backed",
    "challenged",
    "examined",
    "funded",
    "cleared",
    "restored",
    "secured",
    "targeted",
    "welcomed",
];

/// Common news adjectives.
pub(crate) const NEWS_ADJECTIVES: &[&str] = &[
    "new",
    "major",
    "local",
    "national",
    "former",
    "senior",
    "public",
    "political",
    "economic",
    "official",
    "early",
    "late",
    "recent",
    "final",
    "large",
    "small",
    "strong",
    "key",
    "serious",
    "critical",
    "possible",
    "private",
    "federal",
    "regional",
    "military",
    "annual",
    "international",
    "foreign",
    "initial",
    "further",
    "significant",
    "urgent",
    "temporary",
    "independent",
    "controversial",
    "long-term",
    "emergency",
    "joint",
];

/// Roles for people in a story.
pub(crate) const ROLES: &[&str] = &[
    "a spokesperson for",
    "the director of",
    "a minister in",
    "the chief executive of",
    "the head of",
    "a senior official at",
    "a lawyer for",
    "a professor at",
    "an analyst at",
    "the chairman of",
    "a researcher at",
    "a manager at",
    "the president of",
    "a member of",
    "an adviser to",
    "the founder of",
];

/// Newspaper-style name parts for sites.
pub(crate) const PAPER_NAMES: &[&str] = &[
    "Herald",
    "Times",
    "Post",
    "Gazette",
    "Chronicle",
    "Tribune",
    "Observer",
    "Courier",
    "Ledger",
    "Daily",
    "Journal",
    "Sentinel",
    "Star",
    "Record",
    "Express",
    "Dispatch",
    "Monitor",
    "Register",
    "Standard",
    "Review",
];

/// Organisation kinds.
const ORG_KINDS: &[&str] = &[
    "Group",
    "Institute",
    "Council",
    "Bank",
    "Party",
    "Authority",
    "Corporation",
    "Union",
    "Agency",
    "Foundation",
    "Holdings",
    "Alliance",
    "Commission",
    "Partners",
    "Labs",
    "Association",
    "Trust",
    "Ministry",
];

/// Month names.
pub(crate) const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Weekday names, Monday first.
pub(crate) const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "cr", "d", "dr", "f", "fl", "g", "gl", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pl",
    "pr", "r", "s", "sh", "sk", "st", "t", "th", "tr", "v", "w", "z", "", "", "",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "ai", "ea", "ou"];
const CODAS: &[&str] = &["n", "r", "l", "s", "m", "nd", "rn", "st", "x", "k", "th", "ll", "t", "d"];
const MEDIALS: &[&str] = &["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"];

const NOUN_SUFFIXES: &[&str] = &["", "", "", "", "", "ion", "ment", "er", "ance", "ity", "age", "ism", "ure", "ship"];
const VERB_SUFFIXES: &[&str] = &["ed", "ed", "ized", "ated", "ened"];
const ADJ_SUFFIXES: &[&str] = &["al", "ive", "ous", "ic", "ish", "ent", "ary", "ful"];
const FIRST_SUFFIXES: &[&str] = &["a", "o", "en", "el", "is", "ia", "", "", "an", "ie"];
const LAST_SUFFIXES: &[&str] = &["son", "ov", "ez", "ini", "berg", "ard", "ley", "ski", "man", "", "", "er", "ic"];
const PLACE_SUFFIXES: &[&str] =
    &["a", "ia", "ton", "ville", "burg", "port", "stad", "o", "grad", "ford", "", "", "mouth", "field"];

/// The news sections stories belong to; each has its own vocabulary, so
/// unrelated stories of one section share words.
pub(crate) const SECTIONS: &[&str] = &[
    "Politics",
    "Business",
    "World",
    "Sports",
    "Science",
    "Health",
    "Technology",
    "Crime",
    "Weather",
    "Culture",
    "Environment",
    "Education",
];

/// A person: indices into the first and last name lists.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Person {
    pub first: u32,
    pub last: u32,
}

/// One news section's vocabulary and recurring entities.
pub(crate) struct Section {
    pub nouns: Vec<u32>,
    pub verbs: Vec<u32>,
    pub adjs: Vec<u32>,
    /// Prominent people who appear in many stories of the section.
    pub people: Vec<Person>,
    pub places: Vec<u32>,
    pub orgs: Vec<u32>,
}

/// A wire agency: full name and the short form used in datelines.
pub(crate) struct Wire {
    pub name: String,
    pub short: String,
}

/// Every word list the generator draws from.
pub(crate) struct Lexicon {
    pub nouns: Vec<String>,
    pub verbs: Vec<String>,
    pub adjs: Vec<String>,
    pub first: Vec<String>,
    pub last: Vec<String>,
    pub places: Vec<String>,
    pub orgs: Vec<String>,
    pub sections: Vec<Section>,
    pub wires: Vec<Wire>,
    /// Wire reporters and editors, credited on unrelated articles.
    pub wire_staff: Vec<Person>,
}

/// Capitalises the first letter (ASCII) in place.
pub(crate) fn capitalize(s: impl Into<String>) -> String {
    let mut s = s.into();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// Builds one pseudo-word of 1 to `max_syll` syllables.
fn root(rng: &mut Rng, min_syll: usize, max_syll: usize) -> String {
    let n = rng.range(min_syll, max_syll);
    let mut w = String::new();
    for i in 0..n {
        if i == 0 {
            w.push_str(rng.word(ONSETS));
        } else if w.ends_with(|c: char| "aeiouy".contains(c)) {
            // Between syllables: one consonant, so words stay pronounceable.
            w.push_str(rng.word(MEDIALS));
        }
        w.push_str(rng.word(VOWELS));
        if i + 1 == n && rng.chance(0.6) {
            w.push_str(rng.word(CODAS));
        } else if i + 1 < n && rng.chance(0.2) {
            w.push_str(rng.word(MEDIALS));
        }
    }
    w
}

/// Builds `count` distinct words from `make`, skipping any already in `seen`.
fn distinct(
    rng: &mut Rng,
    seen: &mut HashSet<String>,
    count: usize,
    mut make: impl FnMut(&mut Rng) -> String,
) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    let mut attempts = 0usize;
    while out.len() < count {
        let w = make(rng);
        attempts += 1;
        // After many collisions accept repeats rather than loop forever.
        if w.len() >= 3 && (seen.insert(w.clone()) || attempts > count * 20) {
            out.push(w);
        }
    }
    out
}

fn sample_indices(rng: &mut Rng, n: usize, k: usize) -> Vec<u32> {
    (0..k).map(|_| rng.below(n) as u32).collect()
}

impl Lexicon {
    /// Builds every list from `seed`.
    pub(crate) fn build(seed: u64) -> Lexicon {
        let mut rng = Rng::derive(seed, 0x1e71c0, 0);
        let mut seen: HashSet<String> = HashSet::new();
        for w in NEWS_NOUNS.iter().chain(NEWS_VERBS).chain(NEWS_ADJECTIVES) {
            seen.insert((*w).to_string());
        }
        let nouns = distinct(&mut rng, &mut seen, 8000, |r| {
            let mut w = root(r, 1, 2);
            w.push_str(r.word(NOUN_SUFFIXES));
            w
        });
        let verbs = distinct(&mut rng, &mut seen, 2500, |r| {
            let mut w = root(r, 1, 2);
            let suffix = r.word(VERB_SUFFIXES);
            if w.ends_with('e') && suffix.starts_with('e') {
                w.pop();
            }
            w.push_str(suffix);
            w
        });
        let adjs = distinct(&mut rng, &mut seen, 2500, |r| {
            let mut w = root(r, 1, 2);
            w.push_str(r.word(ADJ_SUFFIXES));
            w
        });
        let first = distinct(&mut rng, &mut seen, 700, |r| {
            let mut w = root(r, 1, 2);
            w.push_str(r.word(FIRST_SUFFIXES));
            capitalize(w)
        });
        let last = distinct(&mut rng, &mut seen, 3000, |r| {
            let mut w = root(r, 1, 2);
            w.push_str(r.word(LAST_SUFFIXES));
            capitalize(w)
        });
        let places = distinct(&mut rng, &mut seen, 1500, |r| {
            let mut w = root(r, 1, 2);
            w.push_str(r.word(PLACE_SUFFIXES));
            capitalize(w)
        });
        let orgs = distinct(&mut rng, &mut seen, 900, |r| {
            let w = capitalize(root(r, 2, 2));
            let kind = r.word(ORG_KINDS);
            if r.chance(0.3) {
                format!("{kind} of {w}")
            } else {
                format!("{w} {kind}")
            }
        });
        let sections = SECTIONS
            .iter()
            .map(|_| Section {
                nouns: sample_indices(&mut rng, nouns.len(), 400),
                verbs: sample_indices(&mut rng, verbs.len(), 120),
                adjs: sample_indices(&mut rng, adjs.len(), 100),
                people: (0..25)
                    .map(|_| Person { first: rng.below(first.len()) as u32, last: rng.below(last.len()) as u32 })
                    .collect(),
                places: sample_indices(&mut rng, places.len(), 20),
                orgs: sample_indices(&mut rng, orgs.len(), 15),
            })
            .collect();
        let wire_kinds = ["Press", "Wire", "News Agency", "Press Service"];
        let wires = (0..4)
            .map(|i| {
                let base = capitalize(root(&mut rng, 2, 2));
                let kind = wire_kinds[i % wire_kinds.len()];
                let initials: String = kind.split(' ').filter_map(|k| k.chars().next()).collect();
                let short = if rng.chance(0.5) { base.clone() } else { format!("{}{}", &base[..1], initials) };
                Wire { name: format!("{base} {kind}"), short }
            })
            .collect();
        let wire_staff = (0..30)
            .map(|_| Person { first: rng.below(first.len()) as u32, last: rng.below(last.len()) as u32 })
            .collect();
        Lexicon { nouns, verbs, adjs, first, last, places, orgs, sections, wires, wire_staff }
    }

    /// "First Last".
    pub(crate) fn full_name(&self, p: Person) -> String {
        format!("{} {}", self.first[p.first as usize], self.last[p.last as usize])
    }

    /// A pseudo-word built outside the lexicon (for site names and quotes).
    pub(crate) fn fresh_root(rng: &mut Rng) -> String {
        root(rng, 2, 3)
    }
}

//! The word lists that recognise names and decide their kind: connectors
//! and particles inside names, institution and title words, aliases,
//! sentence adverbs, place prepositions and acronyms, derivation suffixes.
//!
//! Only constants live here, so that a reader can tune a list without
//! reading the passes that use it. The sorted lists are searched with
//! `binary_search` (a test checks that they stay sorted); the short ones
//! with `contains`. It must not hold code.

/// Lower-case words that glue a capitalised sequence together between two
/// capitalised words ("Government of National Unity").
pub(super) const CONNECTORS: &[&str] = &["for", "of"];

/// Name particles: they join a name ("Al-Haddad", "bin Zayed", "de Gaulle")
/// but are ignored when comparing names ("Al-Haddad" = "Haddad"). Sorted.
pub(super) const PARTICLES: &[&str] =
    &["abu", "al", "bin", "bint", "da", "de", "del", "della", "der", "di", "du", "el", "ibn", "la", "le", "van", "von"];

/// Words that make a capitalised sequence an organisation. Sorted.
pub(super) const ORG_WORDS: &[&str] = &[
    "administration",
    "agency",
    "army",
    "assembly",
    "association",
    "authority",
    "bank",
    "brigade",
    "brigades",
    "bureau",
    "cabinet",
    "command",
    "commission",
    "committee",
    "company",
    "congress",
    "corporation",
    "corps",
    "council",
    "court",
    "department",
    "embassy",
    "federation",
    "force",
    "forces",
    "foundation",
    "front",
    "fund",
    "government",
    "group",
    "guard",
    "inc",
    "institute",
    "league",
    "ltd",
    "militia",
    "ministry",
    "movement",
    "nations",
    "navy",
    "office",
    "organisation",
    "organization",
    "parliament",
    "party",
    "police",
    "senate",
    "service",
    "services",
    "staff",
    "tribunal",
    "union",
    "university",
];

/// Capitalised words that are titles or institution words, never fuzzily
/// matched as name spellings ("Minister"/"Ministry" are two words, not two
/// spellings of one). Sorted.
pub(super) const COMMON_CAPS: &[&str] = &[
    "affairs",
    "african",
    "ambassador",
    "chairman",
    "chief",
    "colonel",
    "commander",
    "defence",
    "defense",
    "deputy",
    "director",
    "envoy",
    "foreign",
    "general",
    "governor",
    "interior",
    "international",
    "lieutenant",
    "major",
    "marshal",
    "minister",
    "national",
    "nations",
    "president",
    "presidential",
    "prime",
    "secretary",
    "security",
    "senator",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "state",
    "states",
    "united",
];

/// Title words: a name made only of them ("Prime Minister") is a role, not
/// a fact, and they may be missing from a shorter mention of an
/// organisation ("Chief of Staff" vs "Staff"). Sorted.
pub(super) const TITLE_WORDS: &[&str] = &[
    "ambassador",
    "assistant",
    "chairman",
    "chief",
    "colonel",
    "commander",
    "deputy",
    "director",
    "emir",
    "envoy",
    "field",
    "general",
    "governor",
    "king",
    "lieutenant",
    "major",
    "marshal",
    "mayor",
    "minister",
    "president",
    "prime",
    "prince",
    "queen",
    "secretary",
    "senator",
    "sheikh",
    "spokesman",
    "spokesperson",
    "spokeswoman",
];

/// Names that are the same thing under another word.
pub(super) const ALIASES: &[(&str, &str)] = &[
    ("america", "us"),
    ("american", "us"),
    ("americans", "us"),
    ("britain", "uk"),
    ("british", "uk"),
    ("briton", "uk"),
    ("britons", "uk"),
];

/// Capitalised words that open sentences without being names. Sorted.
pub(super) const SENTENCE_ADVERBS: &[&str] = &[
    "according",
    "although",
    "despite",
    "earlier",
    "following",
    "however",
    "last",
    "later",
    "meanwhile",
    "next",
    "overall",
    "separately",
    "still",
    "today",
    "tomorrow",
    "tonight",
    "yesterday",
];

/// Acronyms that name a place.
pub(super) const PLACE_ACRONYMS: &[&str] = &["uae", "uk", "us", "usa"];

/// Words after which a capitalised sequence is a place. Sorted.
pub(super) const PLACE_PREPOSITIONS: &[&str] =
    &["across", "at", "from", "in", "inside", "into", "near", "outside", "throughout", "toward", "towards"];

/// Words that, before "to", make the next name a destination ("visit to Tripoli").
pub(super) const TRAVEL_WORDS: &[&str] =
    &["arrived", "flew", "journey", "return", "returned", "travel", "travelled", "traveled", "trip", "visit"];

/// Suffixes that derive a people or adjective from a place ("Libya" →
/// "Libyan", "Sudan" → "Sudanese", "Iraq" → "Iraqi").
pub(super) const DERIVATION_SUFFIXES: &[&str] =
    &["ans", "ians", "eans", "an", "ian", "ean", "ese", "ish", "is", "i", "n", "ns"];

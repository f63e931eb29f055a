//! Tests of the fact scan: each pass (dates, numbers, names) on sentences
//! that show its rules and exceptions, spelling variants and derivations,
//! acronyms, and the word lists' order.

use std::collections::HashSet;

use super::lexicon::{COMMON_CAPS, ORG_WORDS, PARTICLES, PLACE_PREPOSITIONS, SENTENCE_ADVERBS, TITLE_WORDS};
use super::name_index::forms_acronym;
use super::numbers::number_key;
use super::spelling::{derives_from, jaro_winkler, same_spelling, skeleton};
use super::*;
use crate::diff::sentence;

/// The scan of a one-sentence article, with the story's mid-sentence
/// capitals taken from the sentence itself.
fn scan_one(s: &str) -> Scan {
    let sentences = vec![vec![s.to_string()]];
    let words = vec![vec![sentence::words(s)]];
    let caps = mid_sentence_caps(&sentences, &words);
    scan_article(&sentences[0], &words[0], s, &caps, 3)
}

fn mentions(s: &str) -> Vec<String> {
    scan_one(s).mentions.into_iter().map(|m| m.surface).collect()
}

/// (text, key) of each fact of `kind` in a one-sentence article.
fn values(s: &str, kind: FactKind) -> Vec<(String, String)> {
    scan_one(s).values.into_iter().filter(|v| v.kind == kind).map(|v| (v.text, v.key)).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn diff_entity_lists_sorted() {
    for list in [PARTICLES, ORG_WORDS, COMMON_CAPS, PLACE_PREPOSITIONS, TITLE_WORDS, SENTENCE_ADVERBS] {
        assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
    }
}

#[test]
fn dates_month_day_and_year_forms() {
    assert_eq!(
        values("Talks began on September 23, 2024 and resumed on 2 October 2024.", FactKind::Date),
        pairs(&[("September 23, 2024", "m9-d23"), ("2 October 2024", "m10-d2")])
    );
    // An abbreviated month counts before a full stop and a day; a month
    // and a year compare by both.
    assert_eq!(
        values("The ceasefire of Sept. 23 held until June 2025.", FactKind::Date),
        pairs(&[("Sept. 23", "m9-d23"), ("June 2025", "m6-y2025")])
    );
    // The day and year of a date are not numbers.
    assert!(values("Talks began on September 23, 2024.", FactKind::Number).is_empty());
}

#[test]
fn dates_alone_months_weekdays_and_exceptions() {
    assert_eq!(
        values("Fighting resumed in October and again on Friday.", FactKind::Date),
        pairs(&[("October", "m10"), ("Friday", "wfriday")])
    );
    // "May" and "March" alone are not dates, nor is a lower-case "may", nor
    // an abbreviated month without a day.
    assert!(values("Officials said the March was peaceful.", FactKind::Date).is_empty());
    assert!(values("The talks may resume in Jan. next year.", FactKind::Date).is_empty());
    assert_eq!(values("The vote is set for May 5.", FactKind::Date), pairs(&[("May 5", "m5-d5")]));
}

#[test]
fn numbers_with_scale_unit_and_currency() {
    assert_eq!(
        values(
            "The fund lent $1.5 million to 313,000 refugees, 12% more, and 4 per cent of them left.",
            FactKind::Number
        ),
        pairs(&[("$1.5 million", "1500000"), ("313,000 refugees", "313000"), ("12%", "12"), ("4 per cent", "4"),])
    );
    // Digit words joined by "+" are one number; a lone year takes no unit.
    assert_eq!(
        values("The 6+6 committee met since the 2011 revolution.", FactKind::Number),
        pairs(&[("6+6 committee", "6+6"), ("2011", "2011")])
    );
}

#[test]
fn numbers_spelled_out_are_keys_not_facts() {
    let scan = scan_one("Five tankers and two million barrels waited.");
    assert!(scan.values.is_empty(), "{:?}", scan.values);
    assert!(scan.number_keys.contains("5") && scan.number_keys.contains("2000000"), "{:?}", scan.number_keys);
    assert_eq!(number_key("1,200,000", 1.0), number_key("1.2", 1e6));
    assert_eq!(number_key("2.5", 1.0), "2.5");
}

#[test]
fn names_with_titles_initials_particles_and_connectors() {
    assert_eq!(
        mentions("On Monday, the General Commander of the Libyan National Army (LNA), Field Marshal Khalifa Haftar, met Celeste A. Wallander and Lt. Gen. John Brennan."),
        vec!["General Commander", "Libyan National Army", "LNA", "Field Marshal Khalifa Haftar", "Celeste A. Wallander", "Lt. Gen. John Brennan"]
    );
    assert_eq!(
        mentions("The Chief of Staff of the Libyan Army, Lieutenant General Mohammed Al-Haddad, met the US Chargé d’Affaires."),
        vec!["Chief of Staff", "Libyan Army", "Lieutenant General Mohammed Al-Haddad", "US Chargé d’Affaires"]
    );
    assert_eq!(mentions("He met the Government of National Unity."), vec!["Government of National Unity"]);
}

#[test]
fn names_end_at_possessives_and_skip_sentence_openers() {
    // A possessive ends a name; a sentence adverb does not open one.
    assert_eq!(mentions("Meanwhile Haftar's forces met Dbeibah."), vec!["Haftar", "Dbeibah"]);
    // A sentence-initial word counts when the story capitalises it
    // mid-sentence, or when a capitalised word follows it.
    assert_eq!(mentions("Wallander spoke, and Wallander left."), vec!["Wallander", "Wallander"]);
    assert_eq!(mentions("Interior Minister Ali Yerlikaya said so."), vec!["Interior Minister Ali Yerlikaya"]);
    assert!(mentions("Police said it was calm.").is_empty());
}

#[test]
fn names_leave_months_and_weekdays_out() {
    // A month or weekday that is not a date is still no name word.
    assert_eq!(mentions("In March the Army left."), vec!["Army"]);
    assert_eq!(mentions("Officials said Haftar left Monday."), vec!["Haftar"]);
}

#[test]
fn names_place_hints() {
    let scan = scan_one("Officials said Haftar flew to Benghazi and met Dbeibah in Tripoli.");
    let hinted: Vec<(&str, bool)> = scan.mentions.iter().map(|m| (m.surface.as_str(), m.place_hint)).collect();
    assert_eq!(hinted, vec![("Haftar", false), ("Benghazi", true), ("Dbeibah", false), ("Tripoli", true)]);
}

#[test]
fn diff_spelling_variants() {
    for (a, b) in [
        ("berndt", "bernt"),
        ("dbeibah", "dbaiba"),
        ("gaddafi", "qaddafi"),
        ("gaddafi", "qadhafi"),
        ("mohammed", "mohamed"),
        ("mohammed", "muhammad"),
        ("haftar", "hifter"),
    ] {
        assert!(same_spelling(a, b, 0.9), "{a} {b} jw={} skel={} {}", jaro_winkler(a, b), skeleton(a), skeleton(b));
    }
    for (a, b) in [
        ("austria", "australia"),
        ("iran", "iraq"),
        ("libya", "liberia"),
        ("brennan", "berndt"),
        ("nations", "national"),
    ] {
        assert!(!same_spelling(a, b, 0.9), "{a} {b}");
    }
    assert!(derives_from("libyan", "libya"));
    assert!(derives_from("sudanese", "sudan"));
    assert!(derives_from("italian", "italy"));
    assert!(derives_from("iraqi", "iraq"));
    assert!(!derives_from("libya", "libyan"));
}

/// A deterministic random name word of 4 to 12 letters, and the same word
/// with one or two random edits (substitution, insertion, deletion, swap of
/// neighbours, or a vowel changed).
fn word_and_edit(next: &mut dyn FnMut(usize) -> usize) -> (String, String) {
    let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz".chars().collect();
    let vowels = ['a', 'e', 'i', 'o', 'u'];
    let len = 4 + next(9);
    let word: Vec<char> = (0..len).map(|_| letters[next(26)]).collect();
    let mut edited = word.clone();
    for _ in 0..1 + next(2) {
        let at = next(edited.len());
        match next(5) {
            0 => edited[at] = letters[next(26)],
            1 => edited.insert(at, letters[next(26)]),
            2 if edited.len() > 4 => {
                edited.remove(at);
            }
            3 if at + 1 < edited.len() => edited.swap(at, at + 1),
            _ => edited[at] = vowels[next(5)],
        }
    }
    (word.into_iter().collect(), edited.into_iter().collect())
}

/// Every pair that `same_spelling` accepts shares a key of
/// `spelling_keys`: comparing only words that share one finds every pair.
#[test]
fn spelling_keys_are_shared_by_every_spelling_pair() {
    let mut rng = crate::generate::rng::Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut next = move |k: usize| rng.below(k);
    let shares_key = |a: &str, b: &str| {
        let keys: HashSet<u64> = super::variants::spelling_keys(a).into_iter().collect();
        super::variants::spelling_keys(b).iter().any(|k| keys.contains(k))
    };
    let mut accepted = 0;
    for _ in 0..20_000 {
        let (a, b) = word_and_edit(&mut next);
        if same_spelling(&a, &b, 0.9) {
            accepted += 1;
            assert!(shares_key(&a, &b), "{a} {b}");
        }
    }
    assert!(accepted > 5_000, "{accepted} pairs accepted");
    for (a, b) in [("dbeibah", "dbaiba"), ("gaddafi", "qadhafi"), ("haftar", "hifter"), ("mohammed", "muhammad")] {
        assert!(shares_key(a, b), "{a} {b}");
    }
}

/// A page of distinct capitalised words is not compared pair by pair: the
/// pairs compared as spellings stay under the stated bound (per word, its
/// keys times the partners per key), linear in the words, and a tiny share
/// of all pairs.
#[test]
fn spelling_variants_of_many_names_compare_few_pairs() {
    let mut rng = crate::generate::rng::Rng::new(0x2545_F491_4F6C_DD1D);
    let mut next = move |k: usize| rng.below(k);
    for n_words in [3_000, 6_000] {
        let page: Vec<String> = (0..n_words)
            .map(|_| {
                let (word, _) = word_and_edit(&mut next);
                let mut chars = word.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            })
            .collect();
        let text = format!("The {}.", page.join(", "));
        let scan = scan_one(&text);
        assert!(scan.mentions.len() * 10 >= n_words * 9, "{} mentions", scan.mentions.len());
        let bound: usize =
            page.iter().map(|w| super::variants::spelling_keys(&sentence::norm_word(w)).len()).sum::<usize>()
                * super::variants::BUCKET_PARTNERS;
        let variants = Variants::build(&[scan], &HashSet::new(), 0.9);
        assert!(variants.compared <= bound, "{} pairs compared, bound {bound}", variants.compared);
        assert!(variants.compared * 1_000 < n_words * n_words / 2, "{} pairs of {n_words} words", variants.compared);
    }
}

/// Jaro-Winkler gives Winkler's figures for his examples, and halves the
/// transposition count exactly: three mismatched
/// matches in "benghazi"/"benzhazi" count 1.5, so the pair scores 0.892
/// and is not a spelling at 0.9. (`strsim::jaro_winkler` rounds the half
/// down and scores 0.908: see `spelling::jaro_winkler`.)
#[test]
fn spelling_jaro_winkler_counts_half_transpositions() {
    assert!((jaro_winkler("benghazi", "benzhazi") - 0.8917).abs() < 1e-3);
    assert!(!same_spelling("benghazi", "benzhazi", 0.9));
    assert!((jaro_winkler("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
    assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
}

#[test]
fn diff_acronyms() {
    let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    assert!(forms_acronym("lna", &w("libyan national army")));
    assert!(forms_acronym("gnu", &w("government national unity")));
    assert!(forms_acronym("africom", &w("us africa command")));
    assert!(forms_acronym("us", &w("united states")));
    assert!(!forms_acronym("isis", &w("international security affairs")));
    assert!(!forms_acronym("lna", &w("libya")));
}

#[test]
fn variants_cluster_spellings_and_derivations() {
    let scans = vec![
        scan_one("Officials said Abdul Hamid Dbeibah met Libyan envoys."),
        scan_one("Officials said Abdul Hamid Dbaiba met Dbaiba aides in Libya."),
    ];
    let variants = Variants::build(&scans, &HashSet::new(), 0.9);
    // The most used spelling is canonical; a derivation maps to its base
    // but a cluster of derivations alone is no spelling cluster.
    assert_eq!(variants.canon("dbeibah"), "dbaiba");
    assert_eq!(variants.canon("libyan"), variants.canon("libya"));
    assert_eq!(variants.canon("american"), "us");
    assert_eq!(variants.spelling_clusters, vec![vec!["dbaiba".to_string(), "dbeibah".to_string()]]);
    // A word seen in lower case is not matched fuzzily.
    let lowercase: HashSet<&str> = ["dbaiba"].into_iter().collect();
    let variants = Variants::build(&scans, &lowercase, 0.9);
    assert!(variants.spelling_clusters.is_empty());
}

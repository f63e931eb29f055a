//! `storyclust show` and the differences in the JSON report.

use crate::util::{cluster_json, run, seeds_dir};

const S000: &str = "000_78970f930e2b17a4";
const S003: &str = "003_2828a23e96756184";

fn show(story: &str) -> (String, String, bool) {
    run(&["show", story, seeds_dir().to_str().unwrap(), "--quiet"])
}

/// Byte offset of `needle` in `text` at or after `from`, or a failure that
/// shows the text.
fn find_after(text: &str, needle: &str, from: usize) -> usize {
    text[from..].find(needle).map(|i| from + i).unwrap_or_else(|| panic!("no {needle:?} after byte {from} in:\n{text}"))
}

#[test]
fn show_prints_the_shared_core_then_what_each_article_adds() {
    let (out, stderr, ok) = show("s1");
    assert!(ok, "{stderr}");
    // Header: id, articles, sources, dates.
    let header = out.lines().take(3).collect::<Vec<_>>().join("\n");
    assert!(header.contains("Story s1") && header.contains("2 articles"), "{header}");
    assert!(header.contains("1 source and 1 article without one") && header.contains("2024-09-23"), "{header}");

    // Searched with white space collapsed: long lines are wrapped.
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");

    // The shared core once, with the sources that report it.
    let shared = find_after(&flat, "Shared by several sources (1 point)", 0);
    let delegation = find_after(&flat, "led by Celeste A. Wallander", shared);
    let reported =
        find_after(&flat, "reported by: LibyaReview (000_78970f930e2b17a4), 003_2828a23e96756184", delegation);
    assert_eq!(flat.matches("Celeste A. Wallander").count(), 1, "the shared point is printed once");

    // Then each article: 000's roadmap and Wallander's praise, 003's
    // Tripoli, Dbeibah and Al-Haddad, facts grouped by kind.
    let a000 = find_after(&flat, &format!("[{S000}] LibyaReview · 2024-09-23"), reported);
    let a003 = find_after(&flat, &format!("[{S003}] (no source) · undated"), a000);
    let part_000 = &flat[a000..a003];
    let part_003 = &flat[a003..];
    assert!(part_000.contains("the political roadmap"), "{part_000}");
    assert!(part_000.contains("+ Wallander commended Haftar"), "{part_000}");
    assert!(!part_000.contains("Tripoli"));
    let facts = find_after(part_003, "Only here, facts:", 0);
    let names = find_after(part_003, "names ", facts);
    let places = find_after(part_003, "places ", names);
    let organisations = find_after(part_003, "organisations ", places);
    let sentences = find_after(part_003, "Only here, sentences:", organisations);
    assert!(part_003[names..places].contains("Abdul Hamid Dbeibah"), "{part_003}");
    assert!(part_003[names..places].contains("Lieutenant General Mohammed Al-Haddad"), "{part_003}");
    assert!(part_003[places..organisations].contains("Tripoli"), "{part_003}");
    assert!(part_003[sentences..].contains("+ Before the visit to Tripoli"), "{part_003}");
    assert!(!part_003.contains("roadmap"));
    // Wrapped for a terminal.
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
}

#[test]
fn show_a_single_article_story() {
    let (out, stderr, ok) = show("s2");
    assert!(ok, "{stderr}");
    assert!(out.contains("Story s2") && out.contains("1 article"), "{out}");
    assert!(out.contains("nothing to compare"), "{out}");
}

#[test]
fn show_an_unknown_story_fails_clearly() {
    let (out, stderr, ok) = show("s99");
    assert!(!ok);
    assert!(out.is_empty(), "{out}");
    assert!(stderr.contains("no story \"s99\"") && stderr.contains("4 stories (s1 to s4)"), "{stderr}");
}

#[test]
fn json_report_carries_differences_unless_asked_not_to() {
    let seeds = seeds_dir();
    let report = cluster_json(&[seeds.to_str().unwrap()], &[]);
    let s1 = &report["stories"][0];
    assert_eq!(s1["id"], "s1");
    let diff = &s1["differences"];
    let per_article = diff["per_article"].as_array().expect("per_article");
    let ids: Vec<&str> = per_article.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![S000, S003]);
    let a003 = &per_article[1];
    assert!(a003["unique_facts"].as_array().unwrap().iter().any(|f| f["kind"] == "place" && f["text"] == "Tripoli"));
    assert!(per_article[0]["unique_sentences"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s.as_str().unwrap().contains("roadmap")));
    assert_eq!(diff["shared"].as_array().unwrap().len(), 1);
    // Single-article stories have none.
    for story in report["stories"].as_array().unwrap().iter().skip(1) {
        assert!(story.get("differences").is_none(), "{story}");
    }

    let plain = cluster_json(&[seeds.to_str().unwrap()], &["--no-differences"]);
    assert!(plain["stories"][0].get("differences").is_none());
    assert_eq!(plain["stories"][0]["members"], s1["members"]);
}

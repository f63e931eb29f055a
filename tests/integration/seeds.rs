//! The seed pages: the exact clustering, cleaned bodies and extracted fields.

use serde_json::Value;

use crate::util::{cluster_json, partition, run, seeds_dir};

const S000: &str = "000_78970f930e2b17a4";
const S001: &str = "001_7a5bc6e74635390f";
const S002: &str = "002_a00759896944bb9f";
const S003: &str = "003_2828a23e96756184";
const S004: &str = "004_3d148ef64dbff9fd";

#[test]
fn seeds_cluster_exactly() {
    let seeds = seeds_dir();
    let report = cluster_json(&[seeds.to_str().unwrap()], &[]);
    let expected: Vec<Vec<String>> = vec![
        vec![S000.into(), S003.into()],
        vec![S001.into()],
        vec![S002.into()],
        vec![S004.into()],
    ];
    assert_eq!(partition(&report), expected);
    // The two-article story comes first and has no near-duplicates.
    let first = &report["stories"][0];
    assert_eq!(first["id"], "s1");
    assert_eq!(first["size"], 2);
    assert!(first["duplicate_groups"].as_array().unwrap().is_empty());
}

#[test]
fn seeds_cluster_the_same_whatever_threads_and_order() {
    let seeds = seeds_dir();
    let base = cluster_json(&[seeds.to_str().unwrap()], &["--threads", "1"]);
    let two = cluster_json(&[seeds.to_str().unwrap()], &["--threads", "2"]);
    assert_eq!(base["stories"], two["stories"]);
    // Files named one by one in reverse order give the same stories and ids.
    let mut files: Vec<String> = [S004, S003, S002, S001, S000]
        .iter()
        .map(|s| seeds.join(format!("{s}.txt")).to_string_lossy().into_owned())
        .collect();
    let refs: Vec<&str> = files.iter_mut().map(|s| s.as_str()).collect();
    let reversed = cluster_json(&refs, &[]);
    assert_eq!(base["stories"], reversed["stories"]);
}

fn cleaned() -> Vec<Value> {
    let (stdout, stderr, ok) = run(&["clean", "--quiet", seeds_dir().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    stdout.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

fn by_id<'a>(articles: &'a [Value], id: &str) -> &'a Value {
    articles.iter().find(|a| a["id"] == id).unwrap_or_else(|| panic!("no article {id}"))
}

#[test]
fn seed_fields_are_recovered_from_the_pages() {
    let articles = cleaned();
    assert_eq!(articles.len(), 5);
    let expect = [
        (S000, "Haftar & US Delegation Discuss Joint Efforts to Combat Terrorism", "LibyaReview", Some("2024-09-23")),
        (S001, "Haftar & AFRICOM Commander Discuss Enhanced Military Cooperation in Libya", "LibyaReview", Some("2024-08-27")),
        (S002, "US & Libyan Officials Discuss Military Cooperation", "The World Monitor", Some("2023-12-31")),
        (S003, "", "", None),
        (S004, "French Envoy Discusses Counter-Terrorism with Haftar", "", None),
    ];
    for (id, title, source, published) in expect {
        let a = by_id(&articles, id);
        assert_eq!(a["title"], title, "{id}");
        assert_eq!(a["source"], source, "{id}");
        assert_eq!(a["published"].as_str(), published, "{id}");
    }
}

#[test]
fn seed_bodies_carry_no_template() {
    let articles = cleaned();
    let body = |id| by_id(&articles, id)["body"].as_str().unwrap().to_owned();
    let b000 = body(S000);
    let b001 = body(S001);
    assert!(b000.starts_with("On Monday, the General Commander"), "{b000}");
    assert!(b000.trim_end().ends_with("lasting peace and stability."), "{b000}");
    assert!(b001.starts_with("On Tuesday, the General Commander"), "{b001}");
    for b in [&b000, &b001] {
        for template in [
            "No Result",
            "View All Result",
            "Share on",
            "Tags:",
            "Next Post",
            "MUST READ",
            "POPULAR CATEGORIES",
            "EDITOR PICKS",
            "©",
            "Entertainment",
            "Libyan Pilgrim Dies in Makkah",
            "Libya & Belarus Discuss Security Cooperation",
        ] {
            assert!(!b.contains(template), "template text {template:?} left in a body:\n{b}");
        }
    }
    let b002 = body(S002);
    assert!(b002.starts_with("The American Military Attaché’s office met"), "{b002}");
    for template in ["Recommended", "Popular News", "Leave a Reply", "Follow us", "Privacy Policy"] {
        assert!(!b002.contains(template), "{template:?} left in 002");
    }
    let b003 = body(S003);
    assert_eq!(b003.split("\n\n").count(), 8);
    assert!(b003.starts_with("The Prime Minister of the Government of National Unity"));
    let b004 = body(S004);
    assert!(b004.starts_with("On Sunday, the General Commander"), "{b004}");
    assert!(!b004.contains("French Envoy Discusses"));
}

#[test]
fn table_lists_the_story_then_singletons() {
    let (stdout, _, ok) = run(&["cluster", "--format", "table", "--quiet", seeds_dir().to_str().unwrap()]);
    assert!(ok);
    assert!(stdout.starts_with("5 articles, 4 stories (1 with two or more articles, 3 single)"), "{stdout}");
    let story = stdout
        .find("Story s1: Haftar & US Delegation Discuss Joint Efforts to Combat Terrorism")
        .expect("story header");
    assert!(
        stdout[story..]
            .contains("2 articles, 1 source and 1 article without one, 0 duplicate groups, 2024-09-23 (1 undated)"),
        "{stdout}"
    );
    let singles = stdout.find("Single-article stories:").expect("singletons");
    assert!(story < singles);
    assert!(stdout[story..singles].contains(S000) && stdout[story..singles].contains(S003));
    assert!(stdout[story..singles].contains("LibyaReview"));
    assert!(stdout[story..singles].contains("2024-09-23"));
}

//! `storyclust explain A B`: why two seed articles are, or are not, one story.

use serde_json::Value;

use crate::util::{run, seeds_dir, temp_dir_with};

const S000: &str = "000_78970f930e2b17a4";
const S001: &str = "001_7a5bc6e74635390f";
const S003: &str = "003_2828a23e96756184";

/// `explain a b` over the seeds (and `extra` arguments): stdout, stderr, success.
fn explain(a: &str, b: &str, extra: &[&str]) -> (String, String, bool) {
    let seeds = seeds_dir();
    let mut args = vec!["explain", a, b, seeds.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(extra);
    run(&args)
}

fn explain_json(a: &str, b: &str) -> Value {
    let (stdout, stderr, ok) = explain(a, b, &["--format", "json"]);
    assert!(ok, "{stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

fn f64_at(value: &Value, pointer: &str) -> f64 {
    value.pointer(pointer).and_then(Value::as_f64).unwrap_or_else(|| panic!("no number at {pointer} in {value:#}"))
}

#[test]
fn two_reports_of_one_meeting_are_one_story_by_a_merge_over_its_threshold() {
    let json = explain_json(S000, S003);
    assert_eq!(json["a"]["id"], S000);
    assert_eq!(json["b"]["id"], S003);
    assert_eq!(json["story"]["same_story"], true);
    assert_eq!(json["a"]["story"], "s1");
    assert_eq!(json["b"]["story"], "s1");
    let decision = &json["story"]["decision"];
    assert_eq!(decision["by"], "merge", "{decision:#}");
    let similarity = f64_at(decision, "/score/similarity");
    let threshold = f64_at(decision, "/score/threshold");
    assert!(similarity >= threshold && threshold > 0.0, "{decision:#}");
    assert_eq!(json["duplicates"]["same_group"], false);
    // The names they share are listed as words, with both weights.
    let shared: Vec<&str> =
        json["terms"]["shared"].as_array().unwrap().iter().map(|t| t["word"].as_str().unwrap()).collect();
    assert!(shared.contains(&"Wallander"), "{shared:?}");
    assert!(f64_at(&json, "/terms/shared/0/weight_a") > 0.0 && f64_at(&json, "/terms/shared/0/weight_b") > 0.0);
    assert_eq!(json["candidates"]["candidate"], true);

    let (text, stderr, ok) = explain(S000, S003, &[]);
    assert!(ok, "{stderr}");
    assert!(text.contains("One story (s1)."), "{text}");
    assert!(text.contains("Decided by: the merge of A's cluster and B's cluster"), "{text}");
    assert!(text.contains("Wallander"), "{text}");
}

#[test]
fn two_pages_of_one_site_stay_apart_whatever_their_template() {
    // 000 and 001 are pages of one site (LibyaReview) with its menus and
    // footer around different events: the template must not make them look
    // like copies or like one story.
    let json = explain_json(S000, S001);
    assert_eq!(json["story"]["same_story"], false);
    assert_ne!(json["a"]["story"], json["b"]["story"]);
    let dups = &json["duplicates"];
    assert_eq!(dups["same_group"], false);
    assert!(f64_at(dups, "/exact") < 0.1 && f64_at(dups, "/estimated") < 0.1, "{dups:#}");
    assert!(f64_at(&json, "/dates/similarity") < f64_at(&json, "/dates/threshold"), "{:#}", json["dates"]);
    assert!(f64_at(&json, "/terms/cosine") < 0.05, "{:#}", json["terms"]);
    let decision = &json["story"]["decision"];
    assert_eq!(decision["by"], "apart", "{decision:#}");
    if !decision["best"].is_null() {
        assert!(f64_at(decision, "/best/similarity") < f64_at(decision, "/best/threshold"), "{decision:#}");
    }
    let (text, _, ok) = explain(S000, S001, &[]);
    assert!(ok && text.contains("Different stories") && text.contains("Copies: no."), "{text}");
}

#[test]
fn a_missing_id_is_named_alone() {
    let (stdout, stderr, ok) = explain(S000, "no-such-article", &[]);
    assert!(!ok && stdout.is_empty());
    assert!(stderr.contains("no article \"no-such-article\" in the input"), "{stderr}");
    assert!(!stderr.contains(S001) && !stderr.contains(S000), "no other id is listed: {stderr}");
    let (_, stderr, ok) = explain(S000, S000, &[]);
    assert!(!ok && stderr.contains("the same article"), "{stderr}");
}

#[test]
fn bad_input_is_reported_as_by_cluster_and_the_rest_explained() {
    let feed = format!(
        "{}\n{}\n{}\n",
        serde_json::json!({"id": "storm1", "text": "A storm closed schools and ports along the Florida coast on Monday.", "published": "2024-09-02"}),
        "{not json",
        serde_json::json!({"id": "storm2", "text": "Schools and ports on the Florida coast were closed by the storm.", "published": "2024-09-02"}),
    );
    let dir = temp_dir_with(&[("feed.jsonl", feed.as_bytes())]);
    let path = dir.path().join("feed.jsonl");
    let (stdout, stderr, ok) = run(&["explain", "storm1", "storm2", path.to_str().unwrap(), "--format", "json"]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("feed.jsonl:2: skipped: bad JSON"), "{stderr}");
    assert!(stderr.contains("read 3 articles, clustered 2, skipped 1"), "{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(json["dates"]["gap_days"], 0);
    let (_, _, ok) = run(&["explain", "storm1", "storm2", path.to_str().unwrap(), "--quiet", "--strict"]);
    assert!(!ok, "--strict fails on skipped input, as for cluster");
}

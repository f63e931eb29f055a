//! `storyclust explain A B --store FILE`: two articles of a store built
//! from the seeds one file at a time, explained from what the store kept.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{run, seeds_dir};

const S000: &str = "000_78970f930e2b17a4";
const S001: &str = "001_7a5bc6e74635390f";
const S003: &str = "003_2828a23e96756184";

/// A store in `dir` holding the seeds, added one file at a time.
fn seeds_store(dir: &Path) -> PathBuf {
    let store = dir.join("news.db");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(seeds_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    seeds.sort();
    for seed in &seeds {
        let (_, stderr, ok) =
            run(&["add", "--quiet", "--store", store.to_str().unwrap(), "--now", "2026-12-05", seed.to_str().unwrap()]);
        assert!(ok, "add failed: {stderr}");
    }
    store
}

fn explain(store: &Path, a: &str, b: &str, extra: &[&str]) -> (String, String, bool) {
    let mut args = vec!["explain", a, b, "--store", store.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn explain_json(store: &Path, a: &str, b: &str) -> Value {
    let (stdout, stderr, ok) = explain(store, a, b, &["--format", "json"]);
    assert!(ok, "{stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

fn f64_at(value: &Value, pointer: &str) -> f64 {
    value.pointer(pointer).and_then(Value::as_f64).unwrap_or_else(|| panic!("no number at {pointer} in {value:#}"))
}

#[test]
fn stored_articles_are_explained_from_the_store_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeds_store(dir.path());

    // 000 and 003: one story, joined by the story link kept between them.
    let json = explain_json(&store, S000, S003);
    assert_eq!(json["story"]["same_story"], true, "{json:#}");
    assert_eq!(json["a"]["story"], json["b"]["story"]);
    assert!(json["a"]["story"].as_str().unwrap().starts_with("2024-09-23-"), "a store id: {json:#}");
    let decision = &json["story"]["decision"];
    assert_eq!(decision["by"], "links", "{decision:#}");
    let path = decision["path"].as_array().unwrap();
    assert_eq!(path.len(), 1, "a direct link: {decision:#}");
    assert_eq!((path[0]["from"].as_str(), path[0]["to"].as_str()), (Some(S000), Some(S003)));
    assert_eq!(path[0]["kind"], "story");
    assert!(f64_at(&path[0], "/score") > 0.0);
    let shared: Vec<&str> =
        json["terms"]["shared"].as_array().unwrap().iter().map(|t| t["word"].as_str().unwrap()).collect();
    assert!(shared.contains(&"Wallander"), "{shared:?}");
    assert_eq!(json["duplicates"]["same_group"], false);
    assert!(f64_at(&json, "/documents") >= 5.0, "{json:#}");

    let (text, stderr, ok) = explain(&store, S000, S003, &[]);
    assert!(ok, "{stderr}");
    assert!(text.contains("One story (2024-09-23-"), "{text}");
    assert!(text.contains(&format!("{S000} -> {S003}: story link, similarity")), "{text}");
    assert!(
        text.contains("recomputed from the stored texts") && text.contains("Recomputed from the stored term counts")
    );

    // 000 and 001: pages of one site about different events, apart, their
    // stories now below the merge threshold.
    let json = explain_json(&store, S000, S001);
    assert_eq!(json["story"]["same_story"], false, "{json:#}");
    assert_ne!(json["a"]["story"], json["b"]["story"]);
    let decision = &json["story"]["decision"];
    assert_eq!(decision["by"], "apart", "{decision:#}");
    assert_eq!(decision["now"]["sizes"], serde_json::json!([2, 1]), "000's whole story against 001's: {decision:#}");
    assert!(f64_at(decision, "/now/similarity") < f64_at(decision, "/now/threshold"), "{decision:#}");
    assert!(f64_at(&json, "/dates/similarity") < f64_at(&json, "/dates/threshold"), "{:#}", json["dates"]);
    let (text, _, ok) = explain(&store, S000, S001, &[]);
    assert!(ok && text.contains("Different stories") && text.contains("Copies, as recorded: no."), "{text}");
}

#[test]
fn an_id_not_in_the_store_is_named_with_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeds_store(dir.path());
    let (stdout, stderr, ok) = explain(&store, S000, "no-such-article", &[]);
    assert!(!ok && stdout.is_empty());
    assert!(stderr.contains(&format!("no article \"no-such-article\" in {}", store.display())), "{stderr}");
    assert!(!stderr.contains(S000), "the id found is not listed: {stderr}");
    let (_, stderr, ok) = explain(&store, S000, S000, &[]);
    assert!(!ok && stderr.contains("the same article"), "{stderr}");
    let missing = dir.path().join("none.db");
    let (_, stderr, ok) = explain(&missing, S000, S003, &[]);
    assert!(!ok && stderr.contains("none.db") && !missing.exists(), "{stderr}");
    let (_, stderr, ok) =
        run(&["explain", S000, S003, seeds_dir().to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert!(!ok && stderr.contains("--store"), "inputs and a store together are refused: {stderr}");
}

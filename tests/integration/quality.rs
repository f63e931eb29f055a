//! Quality on the real labelled development sets (by path in ../shared), and
//! proof that clustering never reads the gold label.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{run, temp_dir_with};

fn dev_set(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/dev").join(name);
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "{} is missing: CI must have ../shared beside the clone", path.display());
    eprintln!("SKIPPED: {} is missing", path.display());
    None
}

/// The B-cubed F1 recorded for a data set in QUALITY.md.
fn recorded_f1(name: &str) -> f64 {
    let quality = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("QUALITY.md")).unwrap();
    let header = quality.lines().find(|l| l.starts_with("| data set |")).expect("table header");
    let columns: Vec<&str> = header.split('|').map(str::trim).collect();
    let f1_column = columns.iter().position(|c| *c == "B-cubed F1").expect("B-cubed F1 column");
    let row = quality.lines().find(|l| l.starts_with(&format!("| {name} |"))).expect("row for the data set");
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    cells[f1_column].parse().expect("a number")
}

fn eval_f1(path: &Path) -> f64 {
    let (stdout, stderr, ok) = run(&["eval", "--quiet", "--format", "json", "--gold-field", "story", path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    report[0]["scores"]["bcubed"]["f1"].as_f64().unwrap()
}

#[test]
fn dev_sets_keep_their_recorded_quality() {
    for name in ["duc2003_events", "uci_headlines"] {
        let Some(path) = dev_set(&format!("{name}.jsonl")) else { return };
        let recorded = recorded_f1(name);
        let measured = eval_f1(&path);
        assert!(
            measured >= recorded - 0.01,
            "{name}: B-cubed F1 {measured:.3} is more than 0.01 below the {recorded:.3} recorded in QUALITY.md"
        );
    }
}

#[test]
fn clustering_never_reads_the_gold_label() {
    let (corpus, _, ok) = run(&["generate", "-n", "400", "--seed", "7"]);
    assert!(ok);
    let records: Vec<Value> = corpus.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let with_field = |f: &dyn Fn(usize, &Value) -> Option<Value>| -> String {
        records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut r = r.clone();
                let object = r.as_object_mut().unwrap();
                match f(i, &records[(i * 7919 + 13) % records.len()]) {
                    Some(v) => object.insert("story".into(), v),
                    None => object.remove("story"),
                };
                r.to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let original = with_field(&|i, _| Some(records[i]["story"].clone()));
    let shuffled = with_field(&|_, other| Some(other["story"].clone()));
    let removed = with_field(&|_, _| None);
    assert_ne!(original, shuffled);
    let dir = temp_dir_with(&[
        ("original.jsonl", original.as_bytes()),
        ("shuffled.jsonl", shuffled.as_bytes()),
        ("removed.jsonl", removed.as_bytes()),
    ]);
    let outputs: Vec<String> = ["original", "shuffled", "removed"]
        .iter()
        .map(|name| {
            let path = dir.path().join(format!("{name}.jsonl"));
            let (stdout, stderr, ok) = run(&["cluster", "--quiet", "--format", "csv", path.to_str().unwrap()]);
            assert!(ok, "{stderr}");
            stdout
        })
        .collect();
    assert_eq!(outputs[0], outputs[1], "shuffling the gold label changed the clustering");
    assert_eq!(outputs[0], outputs[2], "removing the gold label changed the clustering");
    // And the clustering is not trivial: some stories have several articles.
    let original_path = dir.path().join("original.jsonl");
    let (eval_out, _, ok) =
        run(&["eval", "--quiet", "--format", "json", "--dup-field", "dup_of", original_path.to_str().unwrap()]);
    assert!(ok);
    let report: Value = serde_json::from_str(&eval_out).unwrap();
    assert!(report[0]["scores"]["bcubed"]["f1"].as_f64().unwrap() > 0.5, "{report}");
    // Near-duplicate groups are scored against the generator's `dup_of` links.
    assert_eq!(report[1]["field"], "dup_of");
    assert!(report[1]["scores"]["bcubed"]["f1"].as_f64().unwrap() > 0.9, "{report}");
}

#[test]
fn eval_without_the_gold_field_is_an_error() {
    let dir = temp_dir_with(&[("feed.jsonl", b"{\"id\": \"a\", \"text\": \"Floods hit the delta.\"}\n")]);
    let (_, stderr, ok) = run(&["eval", "--gold-field", "label", dir.path().join("feed.jsonl").to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("no article has the gold field \"label\""), "{stderr}");
}

#[test]
fn a_larger_feed_clusters_the_same_whatever_the_thread_count() {
    let (corpus, _, ok) = run(&["generate", "-n", "1500", "--seed", "11"]);
    assert!(ok);
    let dir = temp_dir_with(&[("feed.jsonl", corpus.as_bytes())]);
    let path = dir.path().join("feed.jsonl");
    let cluster = |threads: &str| {
        let (stdout, stderr, ok) = run(&["cluster", "--quiet", "--format", "csv", "--threads", threads, path.to_str().unwrap()]);
        assert!(ok, "{stderr}");
        stdout
    };
    let one = cluster("1");
    assert_eq!(one, cluster("2"));
    assert_eq!(one, cluster("2"), "a second run differs");
}

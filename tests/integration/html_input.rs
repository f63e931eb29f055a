//! HTML pages as input (issue 16, case 2): a page whose element tree would
//! cost more than linear time or memory (100,000 nested `<div>`s took 22 s
//! through the tree) is read by its tags alone, with a warning naming it;
//! the other articles are kept as they are.

use crate::util::{run, temp_dir_with};

const GOOD: &str = "<html><head><title>Talks in Tripoli | Wire</title></head><body><p>Officials in Tripoli met a \
    delegation on Monday to discuss border security, oil fields and elections.</p></body></html>";
const OTHER: &str = "<html><body><h1>Storm closes ports</h1><p>A storm closed schools and ports along the Florida \
    coast on Tuesday, and ferries stayed in harbour.</p></body></html>";

/// A page of `depth` nested `<div>`s around a paragraph.
fn deep_page(depth: usize) -> String {
    format!(
        "<html><body>{}<p>Rescue teams reached the flooded villages in the north of the province on Friday.</p>{}\
         </body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

#[test]
fn a_deeply_nested_page_is_read_by_its_tags_with_a_warning() {
    let deep = deep_page(100_000);
    let dir = temp_dir_with(&[
        ("good.html", GOOD.as_bytes()),
        ("deep.html", deep.as_bytes()),
        ("other.html", OTHER.as_bytes()),
    ]);
    let (stdout, stderr, ok) = run(&["clean", dir.path().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("deep.html: warning: article deep: HTML with more than 512 nested"), "{stderr}");
    assert!(stderr.contains("tangled HTML: 1"), "{stderr}");
    assert!(!stderr.contains("good.html") && !stderr.contains("other.html"), "{stderr}");
    let ids: Vec<String> = stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["deep", "good", "other"]);
    assert!(stdout.contains("Rescue teams reached the flooded villages"), "{stdout}");
}

#[test]
fn a_deeply_nested_html_record_is_named_by_its_line() {
    let feed = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "good", "html": GOOD}),
        serde_json::json!({"id": "deep", "html": deep_page(10_000)}),
    );
    let dir = temp_dir_with(&[("feed.jsonl", feed.as_bytes())]);
    let (stdout, stderr, ok) = run(&["cluster", "--format", "jsonl", dir.path().join("feed.jsonl").to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("feed.jsonl:2: warning: article deep: HTML with more than 512 nested"), "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
}

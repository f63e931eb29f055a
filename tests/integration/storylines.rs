//! Storylines: the `storyline` column, the storyline objects of JSON, and
//! `eval` at both levels, on a small labelled file
//! (`tests/data/storylines.jsonl`: two sagas of two events each, months
//! apart, and one unrelated event).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::util::{cluster_json, run};

fn labelled() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/storylines.jsonl").to_str().unwrap().to_owned()
}

/// A JSON value's string.
fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("not a string: {value}"))
}

#[test]
fn membership_rows_name_each_article_s_storyline() {
    let (stdout, stderr, ok) = run(&["cluster", "--quiet", "--format", "jsonl", &labelled()]);
    assert!(ok, "{stderr}");
    let rows: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 14);
    // Each story lies in one storyline.
    let mut storyline_of_story: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut storyline_of_article = BTreeMap::new();
    for row in &rows {
        let storyline = text(&row["storyline"]);
        assert!(storyline.starts_with('l'), "{row}");
        storyline_of_story.entry(text(&row["story"])).or_default().insert(storyline);
        storyline_of_article.insert(text(&row["id"]), storyline);
    }
    assert!(storyline_of_story.values().all(|lines| lines.len() == 1), "{storyline_of_story:?}");
    // A bridge collapse and its inquiry five months later are two events of
    // one storyline; the eclipse is not in it.
    assert_eq!(storyline_of_article["sl01"], storyline_of_article["sl04"]);
    assert_ne!(storyline_of_article["sl01"], storyline_of_article["sl13"]);
    // CSV has the column too, after the story's.
    let (csv, _, ok) = run(&["cluster", "--quiet", "--format", "csv", &labelled()]);
    assert!(ok);
    assert!(csv.starts_with("id,story,storyline,duplicate_group,"), "{csv}");
}

#[test]
fn json_lists_storylines_with_their_stories_in_time_order() {
    let report = cluster_json(&[&labelled()], &["--no-differences"]);
    let stories: BTreeMap<&str, &Value> =
        report["stories"].as_array().unwrap().iter().map(|s| (text(&s["id"]), s)).collect();
    let storylines = report["storylines"].as_array().unwrap();
    let mut listed = BTreeSet::new();
    for (rank, line) in storylines.iter().enumerate() {
        assert_eq!(text(&line["id"]), format!("l{}", rank + 1));
        let ids: Vec<&str> = line["stories"].as_array().unwrap().iter().map(text).collect();
        let firsts: Vec<&str> = ids.iter().map(|id| text(&stories[id]["summary"]["first_published"])).collect();
        assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "time order: {firsts:?}");
        assert_eq!(text(&line["first_published"]), firsts[0]);
        for id in ids {
            assert_eq!(text(&stories[id]["storyline"]), text(&line["id"]));
            assert!(listed.insert(id), "{id} in two storylines");
        }
    }
    assert_eq!(listed.len(), stories.len(), "every story in a storyline");
}

#[test]
fn eval_reports_both_levels_when_records_carry_both_labels() {
    let (stdout, stderr, ok) = run(&["eval", "--quiet", "--format", "json", &labelled()]);
    assert!(ok, "{stderr}");
    let evaluations: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let levels: Vec<(&str, &str)> = evaluations.iter().map(|e| (text(&e["field"]), text(&e["level"]))).collect();
    assert_eq!(levels, [("story", "story"), ("storyline", "storyline")]);
    // Storylines are unions of stories: fewer groups, none split further.
    let groups = |e: &Value| e["scores"]["predicted_clusters"].as_u64().unwrap();
    assert!(groups(&evaluations[1]) < groups(&evaluations[0]));
    assert_eq!(evaluations[1]["scores"]["gold_clusters"], 3);

    // Asked for the storyline field, eval scores the storylines alone.
    let (stdout, _, ok) = run(&["eval", "--quiet", "--format", "json", "--gold-field", "storyline", &labelled()]);
    assert!(ok);
    let evaluations: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(evaluations.len(), 1);
    assert_eq!(evaluations[0]["level"], "storyline");
    let (text_out, _, ok) = run(&["eval", "--quiet", &labelled()]);
    assert!(ok);
    assert!(text_out.contains("\nstoryline (storylines): 14 articles scored"), "{text_out}");
}

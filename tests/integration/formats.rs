//! Output formats, files, standard input and near-duplicate groups.

use serde_json::Value;

use crate::util::{cluster_json, run, seeds_dir, storyclust, temp_dir_with};

/// The article paragraphs of seed 000 (its body without the page template).
fn seed_000_body() -> String {
    let page = std::fs::read_to_string(seeds_dir().join("000_78970f930e2b17a4.txt")).unwrap();
    let start = page.find("On Monday, the General Commander").unwrap();
    let end = page.find("lasting peace and stability.").unwrap() + "lasting peace and stability.".len();
    page[start..end].to_owned()
}

/// Replaces every twentieth word (5%) with another word.
fn edit_words(text: &str) -> String {
    let mut n = 0;
    text.split(' ')
        .map(|w| {
            n += 1;
            if n % 20 == 0 {
                "changed".to_owned()
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn edited_and_reframed_copies_join_the_seed_duplicate_group() {
    let body = seed_000_body();
    let mut paragraphs: Vec<&str> = body.split("\n\n").collect();
    paragraphs.swap(1, 4);
    let reordered = paragraphs.join("\n\n");
    let other_site = format!(
        "Daily Globe\n  • Home\n  • World\n  • Business\nHaftar & US Delegation Discuss Joint Efforts to Combat Terrorism\n\
         Share on WhatsApp\n\n{body}\n\nRelated: Oil output rises in the Sirte basin\nRelated: Floods hit Derna again\n\
         © 2025 Daily Globe. All rights reserved.\n"
    );
    let dir = temp_dir_with(&[
        ("copy_edited.txt", edit_words(&body).as_bytes()),
        ("copy_reordered.txt", reordered.as_bytes()),
        ("copy_other_site.txt", other_site.as_bytes()),
    ]);
    let report = cluster_json(&[seeds_dir().to_str().unwrap(), dir.path().to_str().unwrap()], &[]);
    let stories = report["stories"].as_array().unwrap();
    let story = stories
        .iter()
        .find(|s| s["members"].as_array().unwrap().iter().any(|m| m["id"] == "000_78970f930e2b17a4"))
        .unwrap();
    let groups = story["duplicate_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{story:#}");
    let mut members: Vec<&str> = groups[0]["members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    members.sort();
    assert_eq!(members, vec!["000_78970f930e2b17a4", "copy_edited", "copy_other_site", "copy_reordered"]);
    for link in groups[0]["links"].as_array().unwrap() {
        let score = link["score"].as_f64().unwrap();
        assert!(score > 0.0 && score <= 1.0, "{link}");
    }
    // 003 stays in the story, as a different report, not a copy.
    assert!(story["members"].as_array().unwrap().iter().any(|m| m["id"] == "003_2828a23e96756184"));
    assert!(story["members"].as_array().unwrap().iter().all(|m| m["id"] != "001_7a5bc6e74635390f"));
}

#[test]
fn timings_list_every_stage_on_stderr_and_leave_the_output_alone() {
    let seeds = seeds_dir();
    let (plain_out, plain_err, ok) = run(&["cluster", "--format", "csv", "--quiet", seeds.to_str().unwrap()]);
    assert!(ok);
    assert!(!plain_err.contains(" s\n"), "no timings unless asked: {plain_err}");
    let (out, err, ok) = run(&["cluster", "--format", "csv", "--quiet", "--timings", seeds.to_str().unwrap()]);
    assert!(ok);
    assert_eq!(out, plain_out);
    let stages: Vec<(&str, f64)> = err
        .lines()
        .filter_map(|l| l.strip_prefix("storyclust: ")?.strip_suffix(" s"))
        .map(|l| {
            let (name, secs) = l.trim().rsplit_once(' ').unwrap();
            (name.trim(), secs.trim().parse().unwrap())
        })
        .collect();
    let names: Vec<&str> = stages.iter().map(|s| s.0).collect();
    assert_eq!(
        names,
        [
            "templates",
            "cleaning",
            "fingerprinting",
            "story vectors",
            "nearest neighbours",
            "clustering",
            "storylines",
            "all stages"
        ]
    );
    let sum: f64 = stages[..7].iter().map(|s| s.1).sum();
    assert!(stages.iter().all(|s| s.1 >= 0.0) && (sum - stages[7].1).abs() <= 0.07, "{err}");
    let (out, err, ok) = run(&["dedup", "--format", "csv", "--quiet", "--timings", seeds.to_str().unwrap()]);
    assert!(ok && !out.is_empty());
    assert!(err.contains("fingerprinting") && !err.contains("clustering"), "{err}");
}

#[test]
fn csv_and_jsonl_rows_match() {
    let seeds = seeds_dir();
    let (csv_out, _, ok) = run(&["cluster", "--format", "csv", "--quiet", seeds.to_str().unwrap()]);
    assert!(ok);
    let mut lines = csv_out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "id,story,storyline,duplicate_group,source,title,published,story_headline,story_articles,story_sources,\
             story_first_published,story_last_published"
        )
    );
    assert_eq!(lines.count(), 5);
    let (jsonl_out, _, ok) = run(&["cluster", "--format", "jsonl", "--quiet", seeds.to_str().unwrap()]);
    assert!(ok);
    let rows: Vec<Value> = jsonl_out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 5);
    let row = rows.iter().find(|r| r["id"] == "000_78970f930e2b17a4").unwrap();
    assert_eq!(row["story"], "s1");
    assert_eq!(row["source"], "LibyaReview");
    assert_eq!(row["published"], "2024-09-23");
    assert_eq!(row["duplicate_group"], "");
    // 003 has no headline: the story is headed by 000's.
    let other = rows.iter().find(|r| r["id"] == "003_2828a23e96756184").unwrap();
    for row in [row, other] {
        assert_eq!(row["story_headline"], "Haftar & US Delegation Discuss Joint Efforts to Combat Terrorism");
        assert_eq!(row["story_articles"], 2);
        assert_eq!(row["story_sources"], 1);
        assert_eq!(row["story_first_published"], "2024-09-23");
    }
}

#[test]
fn output_file_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let (stdout, _, ok) =
        run(&["cluster", "--quiet", "--output", out.to_str().unwrap(), seeds_dir().to_str().unwrap()]);
    assert!(ok);
    assert!(stdout.is_empty());
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["articles"], 5);

    let feed = "{\"id\": \"x1\", \"text\": \"Rains flood the Nile delta, farmers count losses.\"}\n\
                {\"id\": \"x2\", \"text\": \"Farmers in the Nile delta count losses after the rains flood fields.\"}\n";
    let output = storyclust(&["cluster", "--format", "jsonl", "--quiet", "-"]).write_stdin(feed).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn dedup_lists_each_article_with_its_copy_group() {
    let body = seed_000_body();
    let dir = temp_dir_with(&[("copy_edited.txt", edit_words(&body).as_bytes())]);
    let (stdout, stderr, ok) =
        run(&["dedup", "--quiet", "--format", "csv", seeds_dir().to_str().unwrap(), dir.path().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("id,duplicate_group,group_size"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 6);
    let group = |id: &str| rows.iter().find(|r| r[0] == id).unwrap()[1..].join(",");
    assert_eq!(group("000_78970f930e2b17a4"), "d1,2");
    assert_eq!(group("copy_edited"), "d1,2");
    assert_eq!(group("001_7a5bc6e74635390f"), ",1");
    assert_eq!(group("003_2828a23e96756184"), ",1");
}

/// A reader that stops early (`| head`) ends the run quietly, whatever the
/// format: a closed pipe is not an error to report.
#[test]
fn a_closed_pipe_ends_every_format_quietly() {
    use std::io::{BufRead, BufReader};
    let lines: String = (0..3000)
        .map(|i| format!("{{\"id\":\"x{i}\",\"text\":\"Officials in town {i} met on Monday to talk about roads.\"}}\n"))
        .collect();
    let dir = crate::util::temp_dir_with(&[("feed.jsonl", lines.as_bytes())]);
    let feed = dir.path().join("feed.jsonl");
    for (command, format) in [("cluster", "csv"), ("cluster", "jsonl"), ("cluster", "json"), ("dedup", "csv")] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storyclust"))
            .args([command, "--quiet", "--format", format])
            .arg(&feed)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && stderr.is_empty(), "{command} {format}: {:?} {stderr}", output.status);
    }
}

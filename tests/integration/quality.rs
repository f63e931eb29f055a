//! Quality on the real labelled development sets (by path in ../shared), and
//! proof that clustering never reads the gold label.
//!
//! The expected scores live in `tests/data/quality.tsv`: one row per data set,
//! gold field and metric, with the expected figure and its tolerance. The
//! score table of `QUALITY.md` is rendered from that file, and a test checks
//! that the two agree (`UPDATE_QUALITY=1 cargo test --release --test
//! integration quality_md` rewrites the table). No expected value is read
//! from Markdown.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{run, temp_dir_with};

/// The expected figures, relative to the repository root.
const RECORD: &str = "tests/data/quality.tsv";
/// The line before the generated score table in `QUALITY.md`.
const TABLE_START: &str =
    "<!-- Score table generated from tests/data/quality.tsv (see Method): do not edit by hand. -->";
/// The line after the generated score table in `QUALITY.md`.
const TABLE_END: &str = "<!-- End of the generated score table. -->";

/// The columns of the score table: heading, and metric as a path into the
/// `scores` object of `storyclust eval --format json`. Every recorded metric
/// is one of these, so that `QUALITY.md` shows every figure the test checks.
const COLUMNS: [(&str, &str); 9] = [
    ("articles", "n"),
    ("gold stories", "gold_clusters"),
    ("predicted", "predicted_clusters"),
    ("B-cubed P", "bcubed.precision"),
    ("B-cubed R", "bcubed.recall"),
    ("B-cubed F1", "bcubed.f1"),
    ("pairwise F1", "pairwise.f1"),
    ("ARI", "ari"),
    ("NMI", "nmi"),
];

/// One row of `tests/data/quality.tsv`: a figure that `storyclust eval`
/// gives on a dev set.
struct Expected {
    /// The dev set's file name without `.jsonl`.
    set: String,
    /// The gold label scored against (`--gold-field`).
    gold_field: String,
    /// One of the metrics of `COLUMNS`.
    metric: String,
    /// The figure as written in the file; `QUALITY.md` shows this text.
    text: String,
    value: f64,
    /// How far a run may be from `value`, either way, before the test fails.
    tolerance: f64,
}

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn dev_set(name: &str) -> Option<PathBuf> {
    let path = repository_root().join("../shared/data/dev").join(name);
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "{} is missing: CI must have ../shared beside the clone", path.display());
    eprintln!("SKIPPED: {} is missing", path.display());
    None
}

/// The rows of `tests/data/quality.tsv`, in file order.
fn recorded() -> Vec<Expected> {
    let contents = std::fs::read_to_string(repository_root().join(RECORD)).unwrap();
    let mut lines = contents.lines();
    let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
    assert_eq!(header, ["set", "gold_field", "metric", "expected", "tolerance"], "{RECORD}: header");
    let rows: Vec<Expected> = lines
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(line_idx, line)| parse_row(line_idx + 2, line))
        .collect();
    for (row_idx, row) in rows.iter().enumerate() {
        let repeated = rows[..row_idx].iter().any(|earlier| {
            (&earlier.set, &earlier.gold_field, &earlier.metric) == (&row.set, &row.gold_field, &row.metric)
        });
        assert!(!repeated, "{RECORD}: {} {} {} is recorded twice", row.set, row.gold_field, row.metric);
    }
    rows
}

fn parse_row(line_number: usize, line: &str) -> Expected {
    let fields: Vec<&str> = line.split('\t').collect();
    let [set, gold_field, metric, text, tolerance] = fields[..] else {
        panic!("{RECORD}:{line_number}: expected 5 tab-separated fields, found {}", fields.len());
    };
    assert!(
        COLUMNS.iter().any(|(_, column_metric)| *column_metric == metric),
        "{RECORD}:{line_number}: unknown metric {metric:?} (QUALITY.md has no column for it)"
    );
    let number = |field: &str| -> f64 {
        field.parse().unwrap_or_else(|_| panic!("{RECORD}:{line_number}: {field:?} is not a number"))
    };
    Expected {
        set: set.to_owned(),
        gold_field: gold_field.to_owned(),
        metric: metric.to_owned(),
        text: text.to_owned(),
        value: number(text),
        tolerance: number(tolerance),
    }
}

/// The (data set, gold field) pairs of the record, in order of first mention.
fn evaluations(record: &[Expected]) -> Vec<(&str, &str)> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for row in record {
        let pair = (row.set.as_str(), row.gold_field.as_str());
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    pairs
}

/// The `scores` object of `storyclust eval` against one gold field.
fn eval_scores(path: &Path, gold_field: &str) -> Value {
    let (stdout, stderr, ok) =
        run(&["eval", "--quiet", "--format", "json", "--gold-field", gold_field, path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let evaluation = report.as_array().unwrap().iter().find(|entry| entry["field"] == gold_field);
    evaluation.unwrap_or_else(|| panic!("no evaluation of {gold_field} in {report}"))["scores"].clone()
}

/// The number at a dotted path such as `bcubed.f1` in `scores`.
fn metric(scores: &Value, path: &str) -> f64 {
    let value = path.split('.').fold(scores, |value, key| &value[key]);
    value.as_f64().unwrap_or_else(|| panic!("eval's scores have no number at {path}: {scores}"))
}

#[test]
fn dev_sets_keep_their_recorded_quality() {
    let record = recorded();
    let mut failures = Vec::new();
    for (set, gold_field) in evaluations(&record) {
        let Some(path) = dev_set(&format!("{set}.jsonl")) else { return };
        let scores = eval_scores(&path, gold_field);
        for expected in record.iter().filter(|row| row.set == set && row.gold_field == gold_field) {
            let measured = metric(&scores, &expected.metric);
            if (measured - expected.value).abs() > expected.tolerance {
                let what = if measured < expected.value { "dropped below" } else { "rose above" };
                // Counts are exact (tolerance 0); scores are shown to more places than recorded.
                let measured = if expected.tolerance == 0.0 { format!("{measured}") } else { format!("{measured:.4}") };
                let (metric, recorded, tolerance) = (&expected.metric, &expected.text, expected.tolerance);
                failures.push(format!(
                    "{set} ({gold_field}) {metric}: {measured} {what} the recorded {recorded} ± {tolerance}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nA drop is a regression. For a change you can explain, record the new figures in {RECORD} \
         and rewrite QUALITY.md's table with UPDATE_QUALITY=1.",
        failures.join("\n")
    );
}

/// A count as `QUALITY.md` writes it (`2,989`); other figures as recorded.
fn shown(text: &str) -> String {
    if text.len() <= 3 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text.to_owned();
    }
    let first_group_len = (text.len() - 1) % 3 + 1;
    let mut grouped = text[..first_group_len].to_owned();
    for group_start in (first_group_len..text.len()).step_by(3) {
        grouped.push(',');
        grouped.push_str(&text[group_start..group_start + 3]);
    }
    grouped
}

/// The score table of `QUALITY.md`: one row per data set and gold field.
fn render_table(record: &[Expected]) -> String {
    let headings: Vec<&str> = COLUMNS.iter().map(|(heading, _)| *heading).collect();
    let mut table = format!("| data set | gold field | {} |\n", headings.join(" | "));
    table.push_str(&format!("|---|---|{}\n", "---:|".repeat(COLUMNS.len())));
    for (set, gold_field) in evaluations(record) {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|(_, column_metric)| {
                let row = record.iter().find(|row| {
                    (row.set.as_str(), row.gold_field.as_str(), row.metric.as_str())
                        == (set, gold_field, *column_metric)
                });
                row.map_or_else(|| "–".to_owned(), |row| shown(&row.text))
            })
            .collect();
        table.push_str(&format!("| {set} | {gold_field} | {} |\n", cells.join(" | ")));
    }
    table
}

#[test]
fn quality_md_shows_the_recorded_scores() {
    let wanted = format!("\n\n{}\n", render_table(&recorded()));
    let path = repository_root().join("QUALITY.md");
    let quality = std::fs::read_to_string(&path).unwrap();
    let (before, rest) = quality.split_once(TABLE_START).expect("QUALITY.md has the line that starts the score table");
    let (found, after) = rest.split_once(TABLE_END).expect("QUALITY.md has the line that ends the score table");
    if found == wanted {
        return;
    }
    if std::env::var_os("UPDATE_QUALITY").is_some() {
        std::fs::write(&path, format!("{before}{TABLE_START}{wanted}{TABLE_END}{after}")).unwrap();
        eprintln!("QUALITY.md: score table rewritten from {RECORD}");
        return;
    }
    panic!(
        "QUALITY.md's score table is not the one {RECORD} gives; rewrite it with \
         UPDATE_QUALITY=1 cargo test --release --test integration quality_md\n\nwanted:{wanted}\nfound:{found}"
    );
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
        let (stdout, stderr, ok) =
            run(&["cluster", "--quiet", "--format", "csv", "--threads", threads, path.to_str().unwrap()]);
        assert!(ok, "{stderr}");
        stdout
    };
    let one = cluster("1");
    assert_eq!(one, cluster("2"));
    assert_eq!(one, cluster("2"), "a second run differs");
}

//! A harness that runs the binary and parses its output.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The repository's `seeds/` folder.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// A `storyclust` command with the given arguments.
pub fn storyclust(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("storyclust").expect("binary built");
    cmd.args(args);
    cmd
}

/// Runs `storyclust` and returns (stdout, stderr, success).
pub fn run(args: &[&str]) -> (String, String, bool) {
    let output = storyclust(args).output().expect("runs");
    (
        String::from_utf8(output.stdout).expect("utf-8 stdout"),
        String::from_utf8(output.stderr).expect("utf-8 stderr"),
        output.status.success(),
    )
}

/// Runs `storyclust cluster --format json` and returns the parsed report.
pub fn cluster_json(inputs: &[&str], extra: &[&str]) -> Value {
    let mut args = vec!["cluster", "--format", "json", "--quiet"];
    args.extend_from_slice(extra);
    args.extend_from_slice(inputs);
    let (stdout, stderr, ok) = run(&args);
    assert!(ok, "storyclust failed: {stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

/// The stories of a JSON report as sorted lists of member ids, sorted.
pub fn partition(report: &Value) -> Vec<Vec<String>> {
    let mut stories: Vec<Vec<String>> = report["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| {
            let mut ids: Vec<String> =
                s["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect();
            ids.sort();
            ids
        })
        .collect();
    stories.sort();
    stories
}

/// Writes `files` (name, contents) into a fresh temporary directory.
pub fn temp_dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, contents) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, contents).unwrap();
    }
    dir
}

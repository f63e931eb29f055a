//! Bad input: every problem is named with its file (and line), nothing else is lost.

use crate::util::{run, temp_dir_with};

const GOOD: &str =
    "Officials in Tripoli met a delegation on Monday to discuss border security, oil fields and elections.";

#[test]
fn bad_records_are_reported_and_the_rest_clustered() {
    let feed = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n",
        serde_json::json!({"id": "ok1", "text": GOOD, "source": "Wire"}),
        "{not json",
        serde_json::json!({"text": "no id here"}),
        serde_json::json!({"id": "ok1", "text": "duplicate id"}),
        serde_json::json!({"id": "empty", "text": ""}),
        serde_json::json!({"id": "ok2", "text": "A storm closed schools and ports along the Florida coast."}),
    );
    let dir = temp_dir_with(&[("feed.jsonl", feed.as_bytes())]);
    let path = dir.path().join("feed.jsonl");
    let (stdout, stderr, ok) = run(&["cluster", "--format", "csv", path.to_str().unwrap()]);
    assert!(ok, "a run with usable articles succeeds: {stderr}");
    assert!(stderr.contains("feed.jsonl:2: skipped: bad JSON"), "{stderr}");
    assert!(stderr.contains("feed.jsonl:3: skipped: the record has no `id` field"), "{stderr}");
    assert!(stderr.contains("feed.jsonl:4: skipped: duplicate id \"ok1\""), "{stderr}");
    assert!(stderr.contains("feed.jsonl:5: skipped: article empty: empty article"), "{stderr}");
    assert!(stderr.contains("read 6 articles, clustered 2, skipped 4"), "{stderr}");
    let ids: Vec<&str> = stdout.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"ok1") && ids.contains(&"ok2"));
}

#[test]
fn strict_fails_on_any_problem() {
    let feed = format!("{}\n{{broken\n", serde_json::json!({"id": "a", "text": GOOD}));
    let dir = temp_dir_with(&[("feed.jsonl", feed.as_bytes())]);
    let path = dir.path().join("feed.jsonl");
    let (stdout, _, ok) = run(&["cluster", "--format", "jsonl", "--strict", path.to_str().unwrap()]);
    assert!(!ok, "--strict turns a skipped record into failure");
    assert!(stdout.contains("\"id\":\"a\""), "the report is still written: {stdout}");
}

#[test]
fn nothing_usable_is_an_error() {
    let dir = temp_dir_with(&[("empty.txt", b"   \n")]);
    let missing = dir.path().join("missing.txt");
    let (_, stderr, ok) = run(&["cluster", dir.path().to_str().unwrap(), missing.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("empty.txt: skipped: empty article"), "{stderr}");
    assert!(stderr.contains("missing.txt: skipped: cannot read"), "{stderr}");
    assert!(stderr.contains("no usable article"), "{stderr}");
}

#[test]
fn invalid_utf8_is_repaired_with_a_warning() {
    let dir = temp_dir_with(&[
        ("a.txt", b"Officials in Tripoli met a delegation on Monday to discuss border security, oil fields and elections in Libya.\n"),
        ("b.txt", b"A storm closed schools and ports along the Florida coast \xFF\xFE on Tuesday.\n"),
    ]);
    let (stdout, stderr, ok) = run(&["cluster", "--format", "jsonl", dir.path().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("b.txt: warning: invalid UTF-8"), "{stderr}");
    assert_eq!(stdout.lines().count(), 2);
    let (_, _, strict_ok) = run(&["cluster", "--format", "jsonl", "--strict", dir.path().to_str().unwrap()]);
    assert!(!strict_ok, "--strict also fails on repaired input");
}

#[test]
fn a_page_of_pure_boilerplate_is_skipped_by_name() {
    let page = "  • Home\n  • World\n  • Sport\nShare on FacebookShare on Twitter\n© 2024 Example News\n";
    let dir = temp_dir_with(&[("menu.txt", page.as_bytes()), ("real.txt", GOOD.as_bytes())]);
    let (stdout, stderr, ok) = run(&["cluster", "--format", "jsonl", dir.path().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("menu.txt: skipped"), "{stderr}");
    assert_eq!(stdout.lines().count(), 1);
}

/// Issue 16, case 7: flags that used to panic deep in the pipeline, or were
/// accepted silently, are refused by the flag parser with the flag's name,
/// before any input is read.
#[test]
fn flags_out_of_range_are_refused_before_any_work() {
    let seeds = crate::util::seeds_dir();
    for (flag, value) in [
        ("--shingle-words", "0"),
        ("--dense-dims", "0"),
        ("--max-terms", "0"),
        ("--story-threshold", "NaN"),
        ("--story-threshold", "-0.5"),
        ("--threads", "5000"),
    ] {
        let output = crate::util::storyclust(&["cluster", flag, value, seeds.to_str().unwrap()]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag} {value}: {stderr}");
        assert!(stderr.contains(flag) && !stderr.contains("panicked"), "{flag} {value}: {stderr}");
        assert!(output.stdout.is_empty(), "{flag} {value}: no report");
    }
}

/// Issue 16, case 6: an output that cannot be created is reported at once,
/// before any input is read or clustered.
#[test]
fn an_unwritable_output_fails_before_reading() {
    let dir = temp_dir_with(&[]);
    let output = dir.path().join("no such folder").join("report.json");
    let seeds = crate::util::seeds_dir();
    let (stdout, stderr, ok) = run(&["cluster", "-o", output.to_str().unwrap(), seeds.to_str().unwrap()]);
    assert!(!ok);
    assert!(stdout.is_empty());
    assert!(stderr.contains("cannot create") && stderr.contains("report.json"), "{stderr}");
    assert!(!stderr.contains("read 5 articles"), "the input was read first: {stderr}");
}

/// Issue 16, case 5: a run that fails after its output file was opened
/// leaves the older file as it was, and no temporary file beside it; a run
/// that succeeds replaces it whole.
#[test]
fn a_failed_run_keeps_the_older_output_whole() {
    let dir = temp_dir_with(&[("report.csv", b"an older, valid report\n"), ("empty.txt", b"  \n")]);
    let report = dir.path().join("report.csv");
    let empty = dir.path().join("empty.txt");
    for command in ["cluster", "dedup", "clean"] {
        let (_, stderr, ok) = run(&[command, "-o", report.to_str().unwrap(), empty.to_str().unwrap()]);
        assert!(!ok, "{command}: {stderr}");
        assert_eq!(std::fs::read_to_string(&report).unwrap(), "an older, valid report\n", "{command}");
    }
    let seeds = crate::util::seeds_dir();
    let (_, stderr, ok) = run(&["cluster", "--format", "csv", "-o", report.to_str().unwrap(), seeds.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(std::fs::read_to_string(&report).unwrap().starts_with("id,story,"));
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["empty.txt", "report.csv"], "no temporary file is left");
}

/// An output that is not a regular file (a FIFO here; `/dev/null` alike)
/// is written to, never replaced by a file renamed over it.
#[test]
fn an_output_that_is_a_fifo_or_device_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.pipe");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: `name` is a valid NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let seeds = crate::util::seeds_dir();
    let (_, stderr, ok) = run(&["cluster", "--format", "csv", "-o", fifo.to_str().unwrap(), seeds.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    // Checked first: a replaced FIFO would leave the reader waiting.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO was replaced");
    assert!(reader.join().unwrap().starts_with("id,story,"), "the report went through the FIFO");
}

/// Issue 16, case 10: when the temporary folder is unusable, the message
/// names the folder that was tried.
#[test]
fn an_unusable_temporary_folder_is_named() {
    let dir = temp_dir_with(&[]);
    let missing = dir.path().join("no such tmp");
    let seeds = crate::util::seeds_dir();
    for command in ["cluster", "dedup", "clean"] {
        let output =
            crate::util::storyclust(&[command, seeds.to_str().unwrap()]).env("TMPDIR", &missing).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{command}: {stderr}");
        assert!(stderr.contains(&*missing.to_string_lossy()), "{command}: {stderr}");
    }
}

/// Issue 16, case 8: terminal escapes in a title or an id are shown as text
/// in the terminal formats and in messages on stderr, never passed raw.
#[test]
fn terminal_escapes_in_titles_and_ids_are_shown_escaped() {
    let record = |id: &str| {
        serde_json::json!({
            "id": id,
            "title": "Evil \u{1b}]0;pwned\u{7}\u{1b}[2J title",
            "text": "Officials met on Monday in the capital to discuss the budget.",
        })
        .to_string()
    };
    let feed = format!("{}\n{}\n", record("a\u{1b}[31m"), record("a\u{1b}[31m"));
    let dir = temp_dir_with(&[("feed.jsonl", feed.as_bytes())]);
    let path = dir.path().join("feed.jsonl");
    for args in [vec!["cluster", "--format", "table"], vec!["show", "s1"]] {
        let mut args = args.clone();
        args.push(path.to_str().unwrap());
        let output = crate::util::storyclust(&args).output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'), "{args:?}: {stdout:?}");
        assert!(stdout.contains("Evil \\u{1b}]0;pwned\\u{7}\\u{1b}[2J title"), "{args:?}: {stdout}");
        assert!(stderr.contains("duplicate id") && !stderr.contains('\u{1b}'), "{args:?}: {stderr:?}");
    }
}

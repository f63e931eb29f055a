//! A story store survives `add` being killed at any moment (SIGKILL, which
//! no program can catch): it is then exactly as before that `add` or
//! exactly as after it, and running the `add` again completes it. Two
//! `add`s at once both complete, one after the other.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::util::{run, seeds_dir};

const NOW: &str = "2026-12-05T10:00:00Z";

/// Every row of every table, in a fixed order, as text.
fn dump(store: &Path) -> String {
    let conn = Connection::open(store).unwrap();
    let mut out = String::new();
    for (table, order) in [("stories", "id"), ("story_counters", "day"), ("articles", "id"), ("links", "a, b, kind")] {
        let mut select = conn.prepare(&format!("SELECT * FROM {table} ORDER BY {order}")).unwrap();
        let n = select.column_count();
        let rows = select
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            out.push_str(table);
            out.push('|');
            out.push_str(&row.unwrap().join("|"));
            out.push('\n');
        }
    }
    out
}

fn add_command(store: &Path, input: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storyclust"));
    cmd.args(["add", "--quiet", "--format", "jsonl", "--now", NOW, "--store"]).arg(store).arg(input);
    cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped());
    cmd
}

fn add_to_end(store: &Path, input: &Path) {
    let output = add_command(store, input).output().unwrap();
    assert!(output.status.success(), "add failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// A store holding the seeds, and a generated batch of `n` articles.
fn store_and_batch(dir: &Path, n: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let store = dir.join("base.db");
    add_to_end(&store, &seeds_dir());
    let batch = dir.join("batch.jsonl");
    let (_, stderr, ok) = run(&["generate", "-n", n, "-o", batch.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    (store, batch)
}

#[test]
fn an_add_killed_at_any_moment_leaves_the_store_before_or_after_and_runs_again() {
    let dir = tempfile::tempdir().unwrap();
    let (base, batch) = store_and_batch(dir.path(), "1500");
    let before = dump(&base);
    let complete = dir.path().join("complete.db");
    std::fs::copy(&base, &complete).unwrap();
    let started = Instant::now();
    add_to_end(&complete, &batch);
    let took = started.elapsed();
    let after = dump(&complete);
    assert_ne!(before, after);

    let mut outcomes = [0usize; 2];
    let runs = 20u32;
    for k in 0..runs {
        let store = dir.path().join(format!("killed-{k}.db"));
        std::fs::copy(&base, &store).unwrap();
        // Moments spread over the whole run and a little past it.
        let at = took.mul_f64(f64::from(k) / f64::from(runs) * 1.1);
        let mut child = add_command(&store, &batch).spawn().unwrap();
        std::thread::sleep(at);
        child.kill().unwrap();
        child.wait().unwrap();
        let state = dump(&store);
        assert!(
            state == before || state == after,
            "run {k}, killed after {at:?}: the store is neither before nor after"
        );
        outcomes[usize::from(state == after)] += 1;
        add_to_end(&store, &batch);
        assert_eq!(dump(&store), after, "run {k}: running the add again did not complete it");
    }
    assert!(outcomes[0] > 0, "no kill landed before the commit ({outcomes:?}): the test tests nothing");
}

#[test]
fn two_adds_at_once_both_complete_one_after_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let (store, batch) = store_and_batch(dir.path(), "2000");
    let first = add_command(&store, &batch).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let second = add_command(&store, &seeds_dir()).output().unwrap();
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let conn = Connection::open(&store).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2005, "both batches are stored, once");
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

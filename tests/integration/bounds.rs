//! The README's resource bound ("Resource bounds"): whatever one article
//! holds, a run's peak memory stays within 16 times the largest article plus
//! 256 MiB (plus a few kilobytes per article, which these inputs of one or
//! two articles do not add to). Checked as the peak resident memory of the
//! process, on the hostile inputs of issue 16: a pair of long copies (the
//! differences), a page nested a million deep (HTML), one huge line (cleaning).

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

use crate::util::temp_dir_with;

/// The stated multiple of the largest article.
const PER_ARTICLE_BYTE: u64 = 16;
/// The stated constant.
const CONSTANT: u64 = 256 << 20;

/// Runs storyclust with `args` and returns its peak resident memory in bytes
/// (from `wait4`, for this child alone: other tests run their own children
/// at the same time).
// The child is reaped by `wait4`, which `Child::wait` cannot replace: it
// does not give the child's resource usage.
#[allow(clippy::zombie_processes)]
fn peak_memory(args: &[&str]) -> u64 {
    let child = Command::new(assert_cmd::cargo::cargo_bin("storyclust"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value to be written over.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, writing into the two locals above.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let status = std::process::ExitStatus::from_raw(status);
    assert!(status.success(), "storyclust {args:?}: {status}");
    // Linux gives the peak in KiB.
    usage.ru_maxrss as u64 * 1024
}

fn assert_within_bound(what: &str, largest_article: usize, peak: u64) {
    let bound = PER_ARTICLE_BYTE * largest_article as u64 + CONSTANT;
    assert!(peak <= bound, "{what}: peak {} MiB over the bound {} MiB", peak >> 20, bound >> 20);
}

#[test]
fn two_long_copies_stay_within_the_memory_bound() {
    let pair = crate::long_articles::long_pair(30_000);
    let largest = pair.lines().map(str::len).max().unwrap();
    let dir = temp_dir_with(&[("pair.jsonl", pair.as_bytes())]);
    let input = dir.path().join("pair.jsonl");
    let peak = peak_memory(&["cluster", "--format", "json", "--quiet", input.to_str().unwrap()]);
    assert_within_bound("two copies of 30,000 sentences", largest, peak);
}

#[test]
fn a_page_nested_a_million_deep_stays_within_the_memory_bound() {
    let page = format!("<html><body>{}<p>The dam opened on Monday.</p></body></html>", "<div>".repeat(1_000_000));
    let dir = temp_dir_with(&[("deep.html", page.as_bytes())]);
    let peak = peak_memory(&["cluster", "--format", "csv", "--quiet", dir.path().to_str().unwrap()]);
    assert_within_bound("a page of 1,000,000 nested <div>", page.len(), peak);
}

#[test]
fn one_huge_line_stays_within_the_memory_bound() {
    let line = "The river rose again and the town council met to discuss the flood defences. ".repeat(250_000);
    let dir = temp_dir_with(&[("huge.txt", line.as_bytes())]);
    let peak = peak_memory(&["cluster", "--format", "csv", "--quiet", dir.path().to_str().unwrap()]);
    assert_within_bound("one line of 20 MB", line.len(), peak);
}

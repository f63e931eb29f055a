//! Issue 16, case 4: a run ended by a signal leaves no temporary file behind
//! and its older output whole.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::temp_dir_with;

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Whether process `pid` has a file open under `dir`.
fn has_open_file_in(pid: u32, dir: &Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return false };
    fds.filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok()).any(|target| target.starts_with(dir))
}

/// Waits (polling) until `ready` holds; panics after a generous minute, so a
/// broken build fails rather than hangs.
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < Duration::from_secs(60), "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The run is stopped while it copies standard input (stdin is left open, so
/// it waits there): by then its output file is open and the copy exists.
/// Neither may be seen in a folder, and neither may remain after the signal.
#[test]
fn a_signal_leaves_no_temporary_file_and_the_older_output_whole() {
    let record = serde_json::json!({"id": "a", "title": "A title", "text": "Some words of an article."}).to_string();
    for (signal, name) in [(libc::SIGINT, "SIGINT"), (libc::SIGTERM, "SIGTERM"), (libc::SIGHUP, "SIGHUP")] {
        let dir = temp_dir_with(&[("report.json", b"an older, valid report\n")]);
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let report = dir.path().join("report.json");
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("storyclust"))
            .args(["cluster", "--format", "json", "--quiet", "-o", report.to_str().unwrap(), "-"])
            .env("TMPDIR", &tmp)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{record}").unwrap();
        wait_until("the copy of standard input is open", || has_open_file_in(child.id(), &tmp));
        wait_until("the output file is open", || names(dir.path()).len() == 3);
        assert!(names(&tmp).is_empty(), "{name}: the copy of standard input has a name: {:?}", names(&tmp));

        // SAFETY: `kill` with a live child's pid and a valid signal number.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
        let status = child.wait().unwrap();
        drop(stdin);

        assert_eq!(status.signal(), Some(signal), "{name}: ended by the signal, as the shell expects");
        assert_eq!(names(dir.path()), ["report.json", "tmp"], "{name}: no temporary output file is left");
        assert!(names(&tmp).is_empty(), "{name}");
        assert_eq!(std::fs::read_to_string(&report).unwrap(), "an older, valid report\n", "{name}");
    }
}

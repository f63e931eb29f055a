//! Unit tests of reading inputs: directory walks, JSON Lines errors, UTF-8 repair, stdin.

use std::fs;
use std::io;
use std::path::PathBuf;

use super::*;
use crate::article::Date;

fn read(inputs: &[PathBuf]) -> IngestOutput {
    read_inputs(inputs, &mut io::empty())
}

#[test]
fn walks_directories_sorted_and_skips_other_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("b.txt"), "Second article.").unwrap();
    fs::write(dir.path().join("sub/a.html"), "<p>Nested article.</p>").unwrap();
    fs::write(dir.path().join("a.txt"), "First article.").unwrap();
    fs::write(dir.path().join("notes.md"), "not an article").unwrap();
    fs::write(dir.path().join(".hidden.txt"), "hidden").unwrap();
    let out = read(&[dir.path().to_path_buf()]);
    let ids: Vec<_> = out.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["a", "b"]);
    assert!(matches!(out.docs[0].content, RawContent::Text(_)));
    assert_eq!(out.docs[0].kind, DocKind::Page);
    // The nested html file has the same stem as a.txt: a duplicate id, skipped and reported.
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert_eq!(out.problems[0].kind, ProblemKind::DuplicateId);
    assert!(out.problems[0].to_string().contains("a.html"));
}

#[test]
fn jsonl_records_with_errors_keep_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    let lines = [
        r#"{"id": "a1", "text": "Body one.", "title": "T1", "source": "Wire", "published": "2024-09-23", "story": "s1"}"#,
        r#"{"id": "a2", "text": "Body two." "#,
        r#"{"text": "no id"}"#,
        r#"{"id": "a3"}"#,
        r#"{"id": "a4", "text": "   "}"#,
        r#""#,
        r#"{"id": "a1", "text": "Duplicate."}"#,
        r#"{"id": "a5", "html": "<p>Html body</p>", "published": "2024-09-23T08:00:00+02:00"}"#,
        r#"{"id": "a6", "text": "Bad date.", "published": "yesterday"}"#,
        r#"[1, 2]"#,
    ];
    fs::write(&path, lines.join("\n")).unwrap();
    let out = read(std::slice::from_ref(&path));
    let ids: Vec<_> = out.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["a1", "a5", "a6"]);
    let a1 = &out.docs[0];
    assert_eq!(a1.title.as_deref(), Some("T1"));
    assert_eq!(a1.source.as_deref(), Some("Wire"));
    assert_eq!(a1.published, Date::new(2024, 9, 23));
    assert_eq!(a1.extra.get("story"), Some("s1"));
    assert_eq!(a1.kind, DocKind::Record);
    assert_eq!(out.docs[1].published, Date::new(2024, 9, 23));
    assert!(matches!(out.docs[1].content, RawContent::Html(_)));
    assert_eq!(out.docs[2].published, None);

    let described: Vec<String> = out.problems.iter().map(|p| p.to_string()).collect();
    let expect = [
        (2, Severity::Skipped, ProblemKind::BadJson),
        (3, Severity::Skipped, ProblemKind::MissingId),
        (4, Severity::Skipped, ProblemKind::MissingText),
        (5, Severity::Skipped, ProblemKind::EmptyArticle),
        (9, Severity::Warning, ProblemKind::BadDate),
        (10, Severity::Skipped, ProblemKind::BadJson),
        (7, Severity::Skipped, ProblemKind::DuplicateId),
    ];
    assert_eq!(out.problems.len(), expect.len(), "{described:#?}");
    for (problem, (line, severity, kind)) in out.problems.iter().zip(expect) {
        assert_eq!(problem.origin.line, Some(line), "{problem}");
        assert_eq!(problem.severity, severity, "{problem}");
        assert_eq!(problem.kind, kind, "{problem}");
        assert!(problem.to_string().contains(&format!("feed.jsonl:{line}")), "{problem}");
    }
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    fs::write(&path, b"Caf\xE9 opens in Tripoli.").unwrap();
    let out = read(&[path]);
    assert_eq!(out.docs.len(), 1);
    let RawContent::Text(text) = &out.docs[0].content else { panic!("expected text") };
    assert_eq!(text, "Caf\u{FFFD} opens in Tripoli.");
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].severity, Severity::Warning);
    assert!(out.problems[0].to_string().contains("bad.txt"));
}

#[test]
fn missing_and_empty_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, "  \n\n ").unwrap();
    let good = dir.path().join("good.txt");
    fs::write(&good, "An article.").unwrap();
    let missing = dir.path().join("missing.txt");
    fs::write(dir.path().join("x.pdf"), "%PDF").unwrap();
    let out = read(&[missing, empty, good, dir.path().join("x.pdf")]);
    assert_eq!(out.docs.len(), 1);
    let kinds: Vec<_> = out.problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, vec![ProblemKind::Unreadable, ProblemKind::EmptyArticle, ProblemKind::UnsupportedFile]);
    assert!(out.problems[0].to_string().contains("missing.txt"));
}

#[test]
fn stdin_is_json_lines() {
    let input = b"{\"id\": \"x\", \"text\": \"From stdin.\"}\n";
    let out = read_inputs(&[PathBuf::from("-")], &mut &input[..]);
    assert_eq!(out.docs.len(), 1);
    assert_eq!(out.docs[0].origin.to_string(), "<stdin>:1");
}

#[test]
fn summary_counts_by_kind() {
    let p = |kind| Problem { origin: Origin::file("f"), severity: Severity::Skipped, kind, message: String::new() };
    let summary = summarize(&[p(ProblemKind::BadJson), p(ProblemKind::MissingId), p(ProblemKind::BadJson)]);
    assert_eq!(
        summary,
        vec![(ProblemKind::BadJson, Severity::Skipped, 2), (ProblemKind::MissingId, Severity::Skipped, 1)]
    );
}

#[test]
fn reading_in_batches_gives_the_same_documents_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    let mut lines: Vec<String> =
        (0..50).map(|i| format!(r#"{{"id": "r{i}", "text": "Record number {i}."}}"#)).collect();
    lines[7] = "{not json".to_owned();
    lines[20] = r#"{"id": "r3", "text": "Same id again."}"#.to_owned();
    fs::write(&feed, lines.join("\n")).unwrap();
    fs::write(dir.path().join("page.txt"), "A page.").unwrap();
    let paths = [dir.path().join("page.txt"), feed, dir.path().join("missing.txt")];
    let all = read(&paths);
    assert_eq!(all.docs.len(), 1 + 50 - 2);
    let inputs = Inputs::resolve(&paths, &mut io::empty());
    for batch_bytes in [1, 40, 1000, usize::MAX] {
        for _ in 0..2 {
            let mut batches = Vec::new();
            let problems = inputs.read(batch_bytes, &mut |batch| batches.push(batch));
            assert_eq!(problems, all.problems);
            if batch_bytes == 1 {
                assert!(batches.iter().all(|b| b.len() == 1));
            }
            let ids: Vec<String> = batches.into_iter().flatten().map(|d| d.id).collect();
            assert_eq!(ids, all.docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>());
        }
    }
    let kinds: Vec<ProblemKind> = all.problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ProblemKind::BadJson, ProblemKind::Unreadable, ProblemKind::DuplicateId]);
}

#[test]
fn standard_input_is_kept_for_a_second_reading() {
    let input = b"{\"id\": \"s1\", \"text\": \"From a pipe.\"}\n{\"id\": \"s2\", \"text\": \"Also from a pipe.\"}\n";
    let inputs = Inputs::resolve(&[PathBuf::from("-")], &mut &input[..]);
    for _ in 0..2 {
        let mut ids = Vec::new();
        let problems = inputs.read(usize::MAX, &mut |batch| ids.extend(batch.into_iter().map(|d| (d.id, d.origin))));
        assert!(problems.is_empty());
        assert_eq!(
            ids,
            [("s1".to_owned(), Origin::line(STDIN_NAME, 1)), ("s2".to_owned(), Origin::line(STDIN_NAME, 2))]
        );
    }
}

/// Reads `bytes` as a JSON Lines file with each batch size, checking that
/// every reading gives the same documents and problems; returns them.
fn read_jsonl_bytes(bytes: &[u8]) -> (Vec<RawDoc>, Vec<Problem>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    fs::write(&path, bytes).unwrap();
    let inputs = Inputs::resolve(&[path], &mut io::empty());
    let mut first: Option<(Vec<String>, Vec<Problem>)> = None;
    let mut all = Vec::new();
    for batch_bytes in [usize::MAX, 1, 1000, 70_000, JSONL_MIN_READ + 1] {
        let mut docs = Vec::new();
        let problems = inputs.read(batch_bytes, &mut |batch| docs.extend(batch));
        let seen: Vec<String> = docs.iter().map(|d| format!("{} {} {:?}", d.origin, d.id, d.content)).collect();
        match &first {
            None => first = Some((seen, problems.clone())),
            Some((s, p)) => {
                assert_eq!(s, &seen, "batch size {batch_bytes}");
                assert_eq!(p, &problems, "batch size {batch_bytes}");
            }
        }
        all = docs;
    }
    // Read from memory, the same bytes give the same documents and problems.
    let in_memory = read_bytes(&dir.path().join("feed.jsonl"), bytes);
    let (seen, problems) = first.as_ref().unwrap();
    let in_memory_seen: Vec<String> =
        in_memory.docs.iter().map(|d| format!("{} {} {:?}", d.origin, d.id, d.content)).collect();
    assert_eq!(&in_memory_seen, seen, "read_bytes");
    assert_eq!(&in_memory.problems, problems, "read_bytes");
    (all, first.unwrap().1)
}

#[test]
fn bytes_in_memory_are_read_as_a_file_of_that_name() {
    let page = read_bytes(Path::new("dir/p1.html"), b"<p>An \xFF page.</p>");
    assert_eq!(page.docs.len(), 1);
    assert_eq!(page.docs[0].id, "p1");
    assert_eq!(page.docs[0].origin, Origin::file("dir/p1.html"));
    assert!(matches!(page.docs[0].content, RawContent::Html(_)));
    assert_eq!(page.problems.len(), 1);
    assert_eq!(page.problems[0].kind, ProblemKind::InvalidUtf8);

    let text = read_bytes(Path::new("t.TXT"), b"Plain text.");
    assert!(matches!(text.docs[0].content, RawContent::Text(_)));
    let empty = read_bytes(Path::new("t.txt"), b" \n ");
    assert!(empty.docs.is_empty());
    assert_eq!(empty.problems[0].kind, ProblemKind::EmptyArticle);

    let other = read_bytes(Path::new("notes.md"), b"# Notes");
    assert!(other.docs.is_empty());
    assert_eq!(other.problems[0].kind, ProblemKind::UnsupportedFile);
}

fn text(doc: &RawDoc) -> &str {
    match &doc.content {
        RawContent::Text(s) | RawContent::Html(s) => s,
    }
}

#[test]
fn jsonl_line_ends_escapes_and_encodings() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"\xEF\xBB\xBF{\"id\": \"bom\", \"text\": \"After a byte order mark.\"}\r\n");
    bytes.extend_from_slice(
        b"{\"id\": \"esc\", \"text\": \"Line one.\\n\\n\\\"Quoted\\\" \\u00e9t\\u00e9 \\ud83d\\ude00.\"}\r\n",
    );
    bytes.extend_from_slice("{\"id\": \"utf\", \"text\": \"Déjà vu in 東京 😀.\"}\n".as_bytes());
    bytes.extend_from_slice(b"{\"id\": \"bad\", \"text\": \"Caf\xE9 opens.\"}\n");
    bytes.extend_from_slice(b"\r\n  \n");
    bytes.extend_from_slice(b"{\"id\": \"last\", \"text\": \"No newline at the end.\"}");
    let (docs, problems) = read_jsonl_bytes(&bytes);
    let got: Vec<(&str, &str, usize)> = docs.iter().map(|d| (d.id.as_str(), text(d), d.origin.line.unwrap())).collect();
    assert_eq!(
        got,
        [
            ("bom", "After a byte order mark.", 1),
            ("esc", "Line one.\n\n\"Quoted\" été 😀.", 2),
            ("utf", "Déjà vu in 東京 😀.", 3),
            ("bad", "Caf\u{FFFD} opens.", 4),
            ("last", "No newline at the end.", 7),
        ]
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].kind, ProblemKind::InvalidUtf8);
    assert_eq!(problems[0].origin, Origin::line(problems[0].origin.path.clone(), 4));
    assert_eq!(problems[0].message, "invalid UTF-8 at byte 26: decoded with 1 replacement character(s)");
}

#[test]
fn jsonl_lines_across_blocks_and_longer_than_a_block() {
    // Lines of many lengths, so that block ends fall everywhere; one line
    // longer than several blocks; a bad line after it.
    let mut lines = Vec::new();
    let mut expect = Vec::new();
    for i in 0..400 {
        let body = "word ".repeat(i * 37 % 900 + 1) + "\\\"end\\\"";
        lines.push(format!(r#"{{"id": "r{i}", "text": "{body}", "n": {i}}}"#));
        expect.push((format!("r{i}"), body.replace("\\\"", "\"")));
    }
    let huge = "x".repeat(5 * JSONL_MIN_READ + 123);
    lines.insert(100, format!(r#"{{"id": "huge", "text": "{huge}"}}"#));
    expect.insert(100, ("huge".to_owned(), huge));
    lines.insert(101, "{broken".to_owned());
    let (docs, problems) = read_jsonl_bytes(lines.join("\n").as_bytes());
    let got: Vec<(String, String)> = docs.iter().map(|d| (d.id.clone(), text(d).to_owned())).collect();
    assert_eq!(got, expect);
    assert_eq!(docs[101].origin.line, Some(103));
    assert_eq!(docs[5].extra.get("n"), Some("5"));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].origin.line, Some(102));
    assert_eq!(problems[0].message, "bad JSON: key must be a string at line 1 column 2");
}

#[test]
fn jsonl_file_of_one_huge_line() {
    let huge = "Long text. ".repeat(3 * JSONL_MIN_READ / 11);
    let line = format!(r#"{{"id": "only", "text": "{huge}"}}"#);
    for end in ["", "\n", "\r\n"] {
        let (docs, problems) = read_jsonl_bytes(format!("{line}{end}").as_bytes());
        assert!(problems.is_empty());
        assert_eq!(docs.len(), 1);
        assert_eq!(text(&docs[0]), huge);
        assert_eq!(docs[0].origin.line, Some(1));
    }
    let (docs, problems) = read_jsonl_bytes(b"");
    assert!(docs.is_empty() && problems.is_empty());
}

#[test]
fn duplicate_ids_across_files_name_the_first_place() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    fs::write(&a, "{\"id\": \"x\", \"text\": \"One.\"}\n{\"id\": 7, \"text\": \"Two.\"}\n").unwrap();
    fs::write(&b, "\n{\"id\": \"7\", \"text\": \"Again.\"}\n{\"id\": \"x\", \"text\": \"Again.\"}\n").unwrap();
    let out = read(&[a.clone(), b.clone()]);
    assert_eq!(out.docs.len(), 2);
    let messages: Vec<String> = out.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        messages,
        [
            format!("{}:2: skipped: duplicate id \"7\": first read at {}:2", b.display(), a.display()),
            format!("{}:3: skipped: duplicate id \"x\": first read at {}:1", b.display(), a.display()),
        ]
    );
}

mod seen_ids {
    use proptest::prelude::*;

    use super::super::{Place, SeenIds};
    use crate::hashes::StrMap;

    proptest! {
        /// Noting ids equals the plain map of owned ids it replaces, also
        /// when many different ids have the same hash.
        #[test]
        fn equal_a_map_of_owned_ids(ids in prop::collection::vec("[a-d]{0,3}", 0..60), few_hashes in any::<bool>()) {
            let mut seen = SeenIds::default();
            let mut want: StrMap<String, Place> = StrMap::default();
            for (line, id) in ids.iter().enumerate() {
                let place = Place { file: (line % 3) as u32, line: line + 1 };
                let expected = match want.get(id) {
                    Some(&first) => Some(first),
                    None => {
                        want.insert(id.clone(), place);
                        None
                    }
                };
                let got = if few_hashes {
                    seen.first_or_insert_hashed(id, id.len() as u64 % 2, place)
                } else {
                    seen.first_or_insert(id, place)
                };
                prop_assert_eq!(got, expected);
            }
        }
    }

    #[test]
    fn colliding_ids_are_told_apart() {
        let mut seen = SeenIds::default();
        let at = |line| Place { file: 0, line };
        assert_eq!(seen.first_or_insert_hashed("a", 1, at(1)), None);
        assert_eq!(seen.first_or_insert_hashed("b", 1, at(2)), None);
        assert_eq!(seen.first_or_insert_hashed("c", 1, at(3)), None);
        assert_eq!(seen.first_or_insert_hashed("b", 1, at(4)), Some(at(2)));
        assert_eq!(seen.first_or_insert_hashed("a", 1, at(5)), Some(at(1)));
        assert_eq!(seen.first_or_insert_hashed("c", 1, at(6)), Some(at(3)));
        assert_eq!(seen.first_or_insert_hashed("a", 2, at(7)), None);
    }
}

#[test]
fn the_summary_sorts_kinds_by_their_names() {
    let p = |kind| Problem { origin: Origin::file("f"), severity: Severity::Warning, kind, message: String::new() };
    let summary = summarize(&[p(ProblemKind::Unreadable), p(ProblemKind::BadDate), p(ProblemKind::InvalidUtf8)]);
    let names: Vec<String> = summary.iter().map(|(kind, _, _)| kind.to_string()).collect();
    assert_eq!(names, ["bad date", "invalid UTF-8", "unreadable"]);
}

/// Makes a FIFO at `path`.
#[cfg(unix)]
fn make_fifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `name` is a valid NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo {}", path.display());
}

/// Issue 16, case 3: a FIFO found while walking a folder would block the
/// run forever; it is skipped with a message naming it, and the rest is read.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_skipped_by_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "An article about the harbour.").unwrap();
    make_fifo(&dir.path().join("pipe.txt"));
    let out = read(&[dir.path().to_path_buf()]);
    assert_eq!(out.docs.len(), 1);
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert_eq!(out.problems[0].kind, ProblemKind::NotAFile);
    assert!(out.problems[0].to_string().contains("pipe.txt"), "{}", out.problems[0]);
}

/// Issue 16, case 3: a FIFO named on the command line is read as a stream.
#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("feed.jsonl");
    make_fifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, "{\"id\": \"a\", \"text\": \"From a pipe.\"}\n").unwrap())
    };
    let out = read(std::slice::from_ref(&fifo));
    writer.join().unwrap();
    assert_eq!(out.problems, []);
    assert_eq!(out.docs.len(), 1);
    assert_eq!(out.docs[0].id, "a");
}

/// Issue 16, case 9: symbolic links to folders are followed, and a folder
/// reached again (here through a link loop, and a second link to one
/// folder) is walked once, with one message per link, always the same one.
#[cfg(unix)]
#[test]
fn symlinked_folders_are_followed_and_loops_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    fs::create_dir(&news).unwrap();
    fs::write(news.join("a.txt"), "An article about the harbour.").unwrap();
    std::os::unix::fs::symlink(&news, dir.path().join("linked")).unwrap();
    std::os::unix::fs::symlink(dir.path(), news.join("up")).unwrap();
    let out = read(&[dir.path().to_path_buf()]);
    let ids: Vec<&str> = out.docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a"]);
    assert_eq!(out.docs[0].origin.to_string(), dir.path().join("linked").join("a.txt").display().to_string());
    let mut messages: Vec<String> = out.problems.iter().map(|p| p.to_string()).collect();
    messages.sort();
    assert_eq!(out.problems.len(), 2, "{messages:?}");
    assert!(out.problems.iter().all(|p| p.kind == ProblemKind::WalkedTwice), "{messages:?}");
    assert!(messages[0].contains("linked") && messages[0].contains("up"), "{messages:?}");
    assert!(messages[1].ends_with("walked once") && messages[1].contains("news:"), "{messages:?}");
}

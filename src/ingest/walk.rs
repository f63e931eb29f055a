//! Walking a folder named as input: which files it stands for.
//!
//! Owns [`list_dir`] and [`FileKind`] (the kinds of file read, by
//! extension): hidden names left out, symbolic links to folders followed,
//! a folder reached twice walked once ([`WalkedDirs`]), FIFOs, sockets and
//! devices skipped, each with a [`Problem`](super::Problem) naming the path. It must not
//! open or read the files it lists: that is the rest of `ingest`.

use std::fs;
use std::path::{Path, PathBuf};

use super::{problem, Entry, ProblemKind, Severity, Source};
use crate::article::Origin;

/// The kind of file, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FileKind {
    /// `.txt`: one article.
    Text,
    /// `.html`, `.htm`: one page.
    Html,
    /// `.jsonl`, `.ndjson`: one JSON record a line.
    JsonLines,
    /// `.parquet`: one record a row.
    #[cfg(feature = "parquet")]
    Parquet,
}

pub(super) fn file_kind(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(FileKind::Text),
        "html" | "htm" => Some(FileKind::Html),
        "jsonl" | "ndjson" => Some(FileKind::JsonLines),
        #[cfg(feature = "parquet")]
        "parquet" => Some(FileKind::Parquet),
        _ => None,
    }
}

/// Walks `dir` recursively: appends the problems met, then the files of a
/// kind storyclust reads, sorted by path. Hidden entries (a name starting with `.`) are
/// left out. Symbolic links are followed; a folder reached a second time
/// (a link loop, or two links to one folder) is walked once, with a
/// message. FIFOs, sockets and devices are skipped with a message: reading
/// one could wait forever.
pub(super) fn list_dir(dir: &Path, entries: &mut Vec<Entry>) {
    let mut files = Vec::new();
    let mut walked = WalkedDirs::default();
    walked.first_visit(dir);
    let mut stack = vec![dir.to_path_buf()];
    let skipped = |path: &Path, kind: ProblemKind, message: String| {
        Entry::Problem(problem(Origin::file(path), Severity::Skipped, kind, message))
    };
    while let Some(current) = stack.pop() {
        let listing = match fs::read_dir(&current) {
            Ok(listing) => listing,
            Err(err) => {
                entries.push(skipped(&current, ProblemKind::Unreadable, format!("cannot list directory: {err}")));
                continue;
            }
        };
        // In path order, so that which of two links to one folder is
        // walked does not depend on the file system's listing order.
        let mut listing: Vec<fs::DirEntry> = listing
            .filter_map(|entry| {
                entry
                    .map_err(|err| {
                        entries.push(skipped(
                            &current,
                            ProblemKind::Unreadable,
                            format!("cannot list directory: {err}"),
                        ))
                    })
                    .ok()
            })
            .collect();
        listing.sort_by_key(fs::DirEntry::path);
        let mut subdirs = Vec::new();
        for entry in listing {
            let path = entry.path();
            let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            // The entry's own type, or its target's for a symbolic link.
            let file_type = match entry.file_type() {
                Ok(t) if t.is_symlink() => fs::metadata(&path).map(|m| m.file_type()),
                other => other,
            };
            match file_type {
                Ok(t) if t.is_dir() => {
                    if walked.first_visit(&path) {
                        subdirs.push(path);
                    } else {
                        let message = "this folder was reached before (a symbolic link loop, or a second link to it): walked once".to_owned();
                        entries.push(skipped(&path, ProblemKind::WalkedTwice, message));
                    }
                }
                Ok(t) if t.is_file() => {
                    if let Some(kind) = file_kind(&path) {
                        files.push((path, kind));
                    }
                }
                Ok(_) => {
                    let message = "a FIFO, socket or device, not a regular file: name it on the command line to read it as a stream".to_owned();
                    entries.push(skipped(&path, ProblemKind::NotAFile, message));
                }
                Err(err) => entries.push(skipped(&path, ProblemKind::Unreadable, format!("cannot read: {err}"))),
            }
        }
        // Depth first, in path order.
        stack.extend(subdirs.into_iter().rev());
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    entries.extend(files.into_iter().map(|(path, kind)| Entry::File {
        shown: path.clone(),
        source: Source::Path(path),
        kind,
    }));
}

/// The folders a walk has entered, by device and inode where the system
/// has them (by canonical path elsewhere), so that a folder reached again
/// through a symbolic link is not walked twice.
#[derive(Default)]
struct WalkedDirs {
    seen: std::collections::HashSet<(u64, u64)>,
    seen_paths: std::collections::HashSet<PathBuf>,
}

impl WalkedDirs {
    /// Whether `dir` is entered for the first time (and notes it).
    fn first_visit(&mut self, dir: &Path) -> bool {
        #[cfg(unix)]
        if let Ok(meta) = fs::metadata(dir) {
            use std::os::unix::fs::MetadataExt;
            return self.seen.insert((meta.dev(), meta.ino()));
        }
        self.seen_paths.insert(fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
    }
}

//! Where an input file's bytes are read from: a path, or the copy of
//! standard input.
//!
//! Owns [`Source`], its reader and [`spool_stdin`]. The copy of standard
//! input is a temporary file with no name in any folder, so that no exit,
//! not even one by a signal, leaves it behind. It must not parse anything:
//! records and pages are `ingest`'s.

use std::fs;
use std::io::{self, Read, Write};
use std::path::PathBuf;

/// Where an input file's bytes are.
pub(super) enum Source {
    /// A file the user named or a folder walk found.
    Path(PathBuf),
    /// The copy of standard input: a temporary file without a name in any
    /// folder (unlinked at once, or never linked), so that no exit, not even
    /// one by a signal, can leave it behind in the temporary folder. Read
    /// by position, so that reading it again starts at its beginning.
    Spool(fs::File),
}

impl Source {
    pub(super) fn open(&self) -> io::Result<SourceReader<'_>> {
        match self {
            Source::Path(path) => fs::File::open(path).map(SourceReader::Opened),
            Source::Spool(file) => Ok(SourceReader::Spool { file, pos: 0 }),
        }
    }

    /// The file itself, for readers that seek (Parquet): opened, or the
    /// spool's handle duplicated.
    #[cfg(feature = "parquet")]
    pub(super) fn file(&self) -> io::Result<fs::File> {
        match self {
            Source::Path(path) => fs::File::open(path),
            Source::Spool(file) => file.try_clone(),
        }
    }

    pub(super) fn read_all(&self) -> io::Result<Vec<u8>> {
        match self {
            Source::Path(path) => fs::read(path),
            Source::Spool(_) => {
                let mut bytes = Vec::new();
                self.open()?.read_to_end(&mut bytes)?;
                Ok(bytes)
            }
        }
    }

    pub(super) fn len(&self) -> Option<u64> {
        match self {
            Source::Path(path) => fs::metadata(path).ok().map(|m| m.len()),
            Source::Spool(file) => file.metadata().ok().map(|m| m.len()),
        }
    }
}

/// A reader over a [`Source`]: an opened file, or the spool read from its
/// start with positioned reads (its shared file offset is never used).
pub(super) enum SourceReader<'a> {
    Opened(fs::File),
    Spool { file: &'a fs::File, pos: u64 },
}

impl Read for SourceReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            SourceReader::Opened(file) => file.read(buf),
            SourceReader::Spool { file, pos } => {
                let n = std::os::unix::fs::FileExt::read_at(*file, buf, *pos)?;
                *pos += n as u64;
                Ok(n)
            }
        }
    }
}

/// Copies standard input to a temporary file without a name
/// (`tempfile::tempfile`: `O_TMPFILE` where the file system has it,
/// otherwise created and unlinked at once).
pub(super) fn spool_stdin(stdin: &mut dyn Read) -> io::Result<fs::File> {
    let mut file = tempfile::tempfile()?;
    io::copy(stdin, &mut file)?;
    file.flush()?;
    Ok(file)
}

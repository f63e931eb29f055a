//! Spill files: what a streaming run writes aside instead of holding it.
//!
//! Owns [`SpillWriter`] (an anonymous temporary file written once, front to
//! back), [`Spill`] (the same file, finished, read back at any place from
//! any thread) and [`Span`] (where one record lies in it). The operating
//! system deletes the file when it is dropped, or when the process dies.
//!
//! This module stores bytes; it must not know what they mean.

use std::fs::File;
use std::io::{self, BufWriter, Write};

/// Where one record lies in a spill file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    offset: u64,
    len: u32,
}

/// A temporary file being written.
pub struct SpillWriter {
    out: BufWriter<File>,
    written: u64,
}

impl SpillWriter {
    /// A new, empty temporary file in the system's temporary directory.
    pub fn new() -> io::Result<SpillWriter> {
        Ok(SpillWriter { out: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?), written: 0 })
    }

    /// Appends one record and returns where it lies.
    ///
    /// # Errors
    /// A write error, or a record of 4 GiB or more.
    pub fn append(&mut self, record: &[u8]) -> io::Result<Span> {
        let len = u32::try_from(record.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a spilled record must be under 4 GiB"))?;
        self.out.write_all(record)?;
        let span = Span { offset: self.written, len };
        self.written += u64::from(len);
        Ok(span)
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.written
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.written == 0
    }

    /// Ends writing; the records can now be read back.
    pub fn finish(self) -> io::Result<Spill> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(Spill { file })
    }
}

/// A finished spill file: records are read back by their [`Span`], from any
/// number of threads at once.
#[derive(Debug)]
pub struct Spill {
    file: File,
}

impl Spill {
    /// The bytes of one record.
    pub fn read(&self, span: Span) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; span.len as usize];
        read_exact_at(&self.file, &mut buf, span.offset)?;
        Ok(buf)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "spill file ended early")),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_in_any_order_from_threads() {
        let mut writer = SpillWriter::new().unwrap();
        let records: Vec<Vec<u8>> = (0..200u32).map(|i| (0..i * 37 % 1000).map(|b| (b ^ i) as u8).collect()).collect();
        let spans: Vec<Span> = records.iter().map(|r| writer.append(r).unwrap()).collect();
        assert_eq!(writer.len(), records.iter().map(|r| r.len() as u64).sum::<u64>());
        let spill = writer.finish().unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let (spill, spans, records) = (&spill, &spans, &records);
                s.spawn(move || {
                    for i in (0..records.len()).rev().filter(|i| i % 4 == t) {
                        assert_eq!(spill.read(spans[i]).unwrap(), records[i]);
                    }
                });
            }
        });
        assert_eq!(spill.read(Span::default()).unwrap(), Vec::<u8>::new());
    }
}

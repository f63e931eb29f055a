//! Spill files: what a streaming run writes aside instead of holding it.
//!
//! Owns [`SpillWriter`] (an anonymous temporary file written once, front to
//! back), [`Spill`] (the same file, finished, read back at any place from
//! any thread) and [`Span`] (where one record lies in it). The operating
//! system deletes the file when it is dropped, or when the process dies.
//!
//! It also owns the small binary record format the callers encode their
//! records in ([`RecordOut`], [`RecordIn`]: little-endian numbers, LEB128
//! variable-length numbers and length-prefixed strings).
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

impl Span {
    /// The record's length in bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the record is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
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
        let len = record_len(record.len())?;
        self.out.write_all(record)?;
        let span = Span { offset: self.written, len };
        self.written += u64::from(len);
        Ok(span)
    }

    /// Appends consecutive records written into one buffer, the i-th ending
    /// at `ends[i]` (the last at `records.len()`), and returns where each
    /// lies: [`SpillWriter::append`] for each, in one write.
    ///
    /// # Errors
    /// A write error, or a record of 4 GiB or more.
    ///
    /// # Panics
    /// If `ends` is not ascending or does not end at `records.len()`.
    pub fn append_run(&mut self, records: &[u8], ends: &[usize]) -> io::Result<Vec<Span>> {
        assert_eq!(ends.last().copied().unwrap_or(0), records.len(), "the last record ends with the buffer");
        let mut spans = Vec::with_capacity(ends.len());
        let mut start = 0;
        for &end in ends {
            let len = record_len(end.checked_sub(start).expect("record ends ascend"))?;
            spans.push(Span { offset: self.written + start as u64, len });
            start = end;
        }
        self.out.write_all(records)?;
        self.written += records.len() as u64;
        Ok(spans)
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

/// A record's length as a [`Span`] holds it.
fn record_len(len: usize) -> io::Result<u32> {
    u32::try_from(len).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a spilled record must be under 4 GiB"))
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

    /// Reads the bytes of consecutive records (each starting where the one
    /// before ends, as [`SpillWriter::append`] wrote them) into `buf`, in one
    /// read. `buf` is reused: a caller reading batch after batch allocates
    /// its memory once, and only bytes beyond its current length are zeroed
    /// before the read.
    ///
    /// # Errors
    /// A read error, or spans that are not consecutive.
    pub fn read_run(&self, spans: &[Span], buf: &mut Vec<u8>) -> io::Result<()> {
        let Some((offset, len)) = run_extent(spans)? else {
            buf.clear();
            return Ok(());
        };
        let len = usize::try_from(len)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "spilled records too large to read at once"))?;
        // `buf` keeps its length from the last run, so that `resize` zeroes
        // only what this run needs beyond it.
        if buf.len() < len {
            buf.resize(len, 0);
        }
        let result = read_exact_at(&self.file, &mut buf[..len], offset);
        buf.truncate(len);
        result
    }

    /// Frees the disk space and cached pages of consecutive records that
    /// will not be read again (a hole punched in the file; reading them
    /// afterwards gives zero bytes). A file written once and read back once
    /// then holds at most what is still to be read, and the pages it frees
    /// are the ones the next spill writes into, instead of fresh memory.
    /// Returns whether the space was freed: `false` where the operating
    /// system or file system cannot punch holes, which changes nothing else.
    ///
    /// # Errors
    /// Spans that are not consecutive.
    pub fn release(&self, spans: &[Span]) -> io::Result<bool> {
        let Some((offset, len)) = run_extent(spans)? else { return Ok(false) };
        Ok(punch_hole(&self.file, offset, len))
    }
}

/// Where a run of consecutive records lies: its offset and length in bytes
/// (`None` for no records).
///
/// # Errors
/// Spans that are not consecutive.
fn run_extent(spans: &[Span]) -> io::Result<Option<(u64, u64)>> {
    let Some(first) = spans.first() else { return Ok(None) };
    let mut end = first.offset;
    for span in spans {
        if span.offset != end {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "spilled records are not consecutive"));
        }
        end += u64::from(span.len);
    }
    Ok(Some((first.offset, end - first.offset)))
}

#[cfg(target_os = "linux")]
fn punch_hole(file: &File, offset: u64, len: u64) -> bool {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (libc::off_t::try_from(offset), libc::off_t::try_from(len)) else { return false };
    if len == 0 {
        return false;
    }
    // SAFETY: `fallocate` on a file descriptor this `File` owns and keeps
    // open for the call; it reads no memory of ours.
    let rc = unsafe {
        libc::fallocate(file.as_raw_fd(), libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE, offset, len)
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn punch_hole(_file: &File, _offset: u64, _len: u64) -> bool {
    false
}

/// Writes the fields of a record: little-endian numbers, strings with a
/// 32-bit length before them.
pub trait RecordOut {
    /// One byte.
    fn put_u8(&mut self, v: u8);
    /// A little-endian `u32`.
    fn put_u32(&mut self, v: u32);
    /// A little-endian `u64`.
    fn put_u64(&mut self, v: u64);
    /// A length (a `usize` below 2^32, as a `u32`).
    ///
    /// # Panics
    /// If `v` does not fit in a `u32` (records are under 4 GiB).
    fn put_len(&mut self, v: usize) {
        self.put_u32(u32::try_from(v).expect("a length in a spilled record fits in 32 bits"));
    }
    /// An unsigned number in LEB128: seven bits a byte, low bits first, the
    /// top bit set on every byte but the last (one byte below 128, at most
    /// ten).
    fn put_varint(&mut self, v: u64);
    /// A `usize` as [`RecordOut::put_varint`].
    fn put_varint_len(&mut self, v: usize) {
        self.put_varint(v as u64);
    }
    /// A string: its length, then its bytes.
    fn put_str(&mut self, s: &str);
    /// An optional string: a presence byte, then the string.
    fn put_opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.put_u8(1);
                self.put_str(s);
            }
            None => self.put_u8(0),
        }
    }
}

impl RecordOut for Vec<u8> {
    fn put_u8(&mut self, v: u8) {
        self.push(v);
    }

    fn put_u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }

    fn put_u64(&mut self, v: u64) {
        self.extend_from_slice(&v.to_le_bytes());
    }

    #[inline]
    fn put_varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.push(v as u8);
    }

    fn put_str(&mut self, s: &str) {
        self.put_len(s.len());
        self.extend_from_slice(s.as_bytes());
    }
}

/// Reads the fields [`RecordOut`] wrote off the front of a record; every
/// method is `None` when the record ends too early or is not valid.
pub struct RecordIn<'a>(pub &'a [u8]);

impl<'a> RecordIn<'a> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }

    /// One byte.
    pub fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }

    /// A byte that must be 0 or 1.
    pub fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// A little-endian `u32`.
    pub fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }

    /// A little-endian `u64`.
    pub fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }

    /// A length written by [`RecordOut::put_len`].
    pub fn size(&mut self) -> Option<usize> {
        self.u32().map(|v| v as usize)
    }

    /// A number written by [`RecordOut::put_varint`]; `None` also for more
    /// than ten bytes or bits beyond the 64th.
    #[inline]
    pub fn varint(&mut self) -> Option<u64> {
        // Most numbers are below 128: one byte.
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        if first < 0x80 {
            return Some(u64::from(first));
        }
        let mut v = u64::from(first & 0x7F);
        let mut shift = 7;
        loop {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            if shift == 63 && b > 1 {
                return None;
            }
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Some(v);
            }
            shift += 7;
        }
    }

    /// A `usize` written by [`RecordOut::put_varint_len`]; `None` if it does
    /// not fit.
    #[inline]
    pub fn varint_len(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    /// What is left of the record.
    pub fn remaining(&self) -> usize {
        self.0.len()
    }

    /// A string written by [`RecordOut::put_str`] (its bytes must be UTF-8).
    pub fn str(&mut self) -> Option<&'a str> {
        let n = self.size()?;
        let bytes = self.0.get(..n)?;
        self.0 = &self.0[n..];
        std::str::from_utf8(bytes).ok()
    }

    /// An optional string written by [`RecordOut::put_opt_str`].
    pub fn opt_str(&mut self) -> Option<Option<&'a str>> {
        Some(if self.bool()? { Some(self.str()?) } else { None })
    }

    /// Whether the whole record was read.
    pub fn is_done(&self) -> bool {
        self.0.is_empty()
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
    fn record_fields_read_back_and_damage_is_caught() {
        let mut out = Vec::new();
        out.put_u8(7);
        out.put_u32(0xDEAD_BEEF);
        out.put_u64(u64::MAX - 1);
        out.put_str("Tripoli – Benghazi");
        out.put_opt_str(None);
        out.put_opt_str(Some(""));
        let mut r = RecordIn(&out);
        assert_eq!(r.u8(), Some(7));
        assert_eq!(r.u32(), Some(0xDEAD_BEEF));
        assert_eq!(r.u64(), Some(u64::MAX - 1));
        assert_eq!(r.str(), Some("Tripoli – Benghazi"));
        assert_eq!(r.opt_str(), Some(None));
        assert_eq!(r.opt_str(), Some(Some("")));
        assert!(r.is_done());
        // Cut short, or a string that is not UTF-8.
        assert_eq!(RecordIn(&out[..3]).u32(), None);
        let mut bad = Vec::new();
        bad.put_len(2);
        bad.extend_from_slice(&[0xC3, 0x28]);
        assert_eq!(RecordIn(&bad).str(), None);
        assert_eq!(RecordIn(&[2]).bool(), None);
    }

    #[test]
    fn varints_read_back_and_overlong_ones_are_caught() {
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, u64::from(u32::MAX), u64::MAX - 1, u64::MAX];
        let mut out = Vec::new();
        for v in values {
            out.put_varint(v);
        }
        out.put_varint_len(usize::MAX);
        // One byte below 128, two below 2^14, ten for the largest.
        assert_eq!(out[..3], [0, 1, 127]);
        assert_eq!(out[3..5], [0x80, 0x01]);
        let mut r = RecordIn(&out);
        for v in values {
            assert_eq!(r.varint(), Some(v));
        }
        assert_eq!(r.varint_len(), Some(usize::MAX));
        assert!(r.is_done());
        // Cut short, bits beyond the 64th, or an eleventh byte.
        assert_eq!(RecordIn(&[0x80]).varint(), None);
        assert_eq!(RecordIn(&[0xFF; 9].iter().copied().chain([2]).collect::<Vec<u8>>()).varint(), None);
        assert_eq!(RecordIn(&[0xFF; 10].iter().copied().chain([0]).collect::<Vec<u8>>()).varint(), None);
        let mut max = vec![0xFF; 9];
        max.push(1);
        assert_eq!(RecordIn(&max).varint(), Some(u64::MAX));
    }

    #[test]
    fn consecutive_records_read_in_one_run() {
        let mut writer = SpillWriter::new().unwrap();
        let spans: Vec<Span> = [&b"abc"[..], b"", b"defgh"].iter().map(|r| writer.append(r).unwrap()).collect();
        let spill = writer.finish().unwrap();
        let mut buf = b"left over".to_vec();
        spill.read_run(&spans, &mut buf).unwrap();
        assert_eq!(buf, b"abcdefgh");
        spill.read_run(&spans[2..], &mut buf).unwrap();
        assert_eq!(buf, b"defgh");
        spill.read_run(&[], &mut buf).unwrap();
        assert!(buf.is_empty());
        assert_eq!(spill.read_run(&[spans[2], spans[0]], &mut buf).unwrap_err().kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn a_run_of_records_appended_at_once_reads_back_like_single_appends() {
        let mut writer = SpillWriter::new().unwrap();
        let first = writer.append(b"head").unwrap();
        let spans = writer.append_run(b"abcdefgh", &[3, 3, 8]).unwrap();
        let last = writer.append(b"tail").unwrap();
        assert_eq!(writer.len(), 16);
        assert!(writer.append_run(b"", &[]).unwrap().is_empty());
        let spill = writer.finish().unwrap();
        let read: Vec<Vec<u8>> = spans.iter().map(|&s| spill.read(s).unwrap()).collect();
        assert_eq!(read, [&b"abc"[..], b"", b"defgh"]);
        assert_eq!(spill.read(first).unwrap(), b"head");
        assert_eq!(spill.read(last).unwrap(), b"tail");
        let mut buf = Vec::new();
        spill.read_run(&[&[first][..], &spans, &[last]].concat(), &mut buf).unwrap();
        assert_eq!(buf, b"headabcdefghtail");
    }

    #[test]
    fn released_records_free_their_space_and_leave_the_others() {
        use std::os::unix::fs::MetadataExt;
        let mut writer = SpillWriter::new().unwrap();
        // 64 records of 64 KiB: holes are punched in whole blocks.
        let records: Vec<Vec<u8>> = (0..64u8).map(|i| vec![i + 1; 1 << 16]).collect();
        let spans: Vec<Span> = records.iter().map(|r| writer.append(r).unwrap()).collect();
        let spill = writer.finish().unwrap();
        let blocks_before = spill.file.metadata().unwrap().blocks();
        assert!(spill.release(&[spans[0], spans[2]]).is_err(), "not consecutive");
        let freed = spill.release(&spans[..32]).unwrap();
        for (span, record) in spans.iter().zip(&records).skip(32) {
            assert_eq!(&spill.read(*span).unwrap(), record);
        }
        if freed {
            assert!(spill.file.metadata().unwrap().blocks() < blocks_before);
            assert!(spill.read(spans[5]).unwrap().iter().all(|&b| b == 0));
        } else {
            assert_eq!(spill.read(spans[5]).unwrap(), records[5]);
        }
        assert!(!spill.release(&[]).unwrap());
    }

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

//! The spilled form of a [`Line`]: a varint record of about 15 bytes that
//! the prepared documents carry to the temporary file and back, and the
//! spilled form of a date.
//!
//! Owns [`Line::encode`], [`Line::decode`], [`encode_date`], [`decode_date`]
//! and the record's size bounds ([`MAX_LINE_RECORD`], [`MIN_LINE_RECORD`]).
//!
//! Must not: measure or normalise text (a line is written as it was
//! measured), or accept a line whose byte range does not fall on character
//! boundaries of its text.

use super::Line;
use crate::article::Date;
use crate::spill::{RecordIn, RecordOut};

/// Most bytes [`Line::encode`] writes: five `usize` varints of up to ten
/// bytes, the flags, the key and a date.
pub(crate) const MAX_LINE_RECORD: usize = 5 * 10 + 1 + 8 + 6;

/// The fewest bytes [`Line::encode`] writes: a byte for each number but the
/// key, the key and the flags.
pub(crate) const MIN_LINE_RECORD: usize = 5 + 8 + 1;

/// A signed number as an unsigned one that is small when the number is
/// near zero: 0, -1, 1, -2, … become 0, 1, 2, 3, ….
#[inline]
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The number [`zigzag`] coded.
#[inline]
fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

/// [`Line`] flags, one bit each in the spilled form.
const BULLET: u8 = 1;
const JOINED: u8 = 2;
const TERMINAL: u8 = 4;
const PROSE: u8 = 8;
const GENERIC: u8 = 16;
const COPYRIGHT: u8 = 32;
const LONE_DATE: u8 = 64;
const DATED: u8 = 128;

impl Line {
    /// Appends the line to a spill record, in at most [`MAX_LINE_RECORD`]
    /// bytes (usually 15): its start as the distance from `prev_end` (the
    /// end of the line before it, 0 for the first; zigzag-coded, in case
    /// the lines are out of order), its length and word counts as
    /// [`RecordOut::put_varint`], a byte of flags, its key in eight bytes
    /// and, when it has one, its date.
    #[inline]
    pub fn encode(&self, prev_end: usize, out: &mut Vec<u8>) {
        out.put_varint(zigzag(self.start as i64 - prev_end as i64));
        out.put_varint_len(self.end - self.start);
        out.put_varint_len(self.words);
        out.put_varint_len(self.alpha);
        out.put_varint_len(self.lower);
        let flags = [
            (self.bullet, BULLET),
            (self.joined, JOINED),
            (self.terminal, TERMINAL),
            (self.prose, PROSE),
            (self.generic, GENERIC),
            (self.copyright, COPYRIGHT),
            (self.lone_date, LONE_DATE),
            (self.date.is_some(), DATED),
        ]
        .iter()
        .fold(0, |acc, &(on, bit)| if on { acc | bit } else { acc });
        out.put_u8(flags);
        out.put_u64(self.key);
        if let Some(date) = self.date {
            encode_date(date, out);
        }
    }

    /// A line written by [`Line::encode`] with the same `prev_end`, which
    /// must lie on character boundaries of `text`.
    #[inline]
    pub fn decode(r: &mut RecordIn<'_>, prev_end: usize, text: &str) -> Option<Line> {
        let start = usize::try_from((prev_end as i64).checked_add(unzigzag(r.varint()?))?).ok()?;
        let end = start.checked_add(r.varint_len()?)?;
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return None;
        }
        let (words, alpha, lower) = (r.varint_len()?, r.varint_len()?, r.varint_len()?);
        let flags = r.u8()?;
        let key = r.u64()?;
        let date = if flags & DATED != 0 { Some(decode_date(r)?) } else { None };
        Some(Line {
            start,
            end,
            key,
            words,
            alpha,
            lower,
            bullet: flags & BULLET != 0,
            joined: flags & JOINED != 0,
            terminal: flags & TERMINAL != 0,
            prose: flags & PROSE != 0,
            generic: flags & GENERIC != 0,
            copyright: flags & COPYRIGHT != 0,
            date,
            lone_date: flags & LONE_DATE != 0,
        })
    }
}

/// Appends a date to a spill record.
pub(crate) fn encode_date(date: Date, out: &mut Vec<u8>) {
    out.put_u32(date.year as u32);
    out.put_u8(date.month);
    out.put_u8(date.day);
}

/// A date written by [`encode_date`]; it must exist.
pub(crate) fn decode_date(r: &mut RecordIn<'_>) -> Option<Date> {
    Date::new(r.u32()? as i32, r.u8()?, r.u8()?)
}

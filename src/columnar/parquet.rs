//! Parquet files: an input file's record batches, a bounded number of
//! bytes at a time, and the membership and dedup rows written as a file.
//!
//! Owns [`open_parquet`] (the batch reader `ingest` reads a `.parquet`
//! input through), [`write_membership_parquet`] and [`write_dedup_parquet`]
//! (`--format parquet`). Rows become articles in `columnar`, never here;
//! this file must not decide anything about a record.

use std::io::{self, Write};
use std::ops::Range;

use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::ChunkReader;

use super::{dedup_columns, membership_columns, MembershipColumns};
use crate::report::{DedupRow, MembershipRow};

/// A batch holds about this many bytes of uncompressed column data (by the
/// file's own count of its row groups' sizes: the largest rows decide)...
const BATCH_BYTES: u64 = 16 << 20;

/// ...and at most this many rows.
const MAX_BATCH_ROWS: u64 = 8192;

/// Rows written per row group (and per batch built at once).
const ROW_GROUP_ROWS: usize = 64 * 1024;

/// A reader of a file's rows, a batch at a time: as many rows as hold about
/// [`BATCH_BYTES`] (so that a file of long texts is never in memory whole),
/// at least one. An error: not a Parquet file, or a damaged footer.
pub(crate) fn open_parquet<T: ChunkReader + 'static>(file: T) -> Result<ParquetRecordBatchReader, ParquetError> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
    let row_bytes = builder
        .metadata()
        .row_groups()
        .iter()
        .filter(|group| group.num_rows() > 0)
        .map(|group| group.total_byte_size().max(0) as u64 / group.num_rows() as u64)
        .max()
        .unwrap_or(0);
    let rows = (BATCH_BYTES / row_bytes.max(1)).clamp(1, MAX_BATCH_ROWS);
    builder.with_batch_size(rows as usize).build()
}

/// Writes the membership rows as one Parquet file (snappy, the codec every
/// reader has): the columns of [`super::membership_batch`], one row group per
/// [`ROW_GROUP_ROWS`] rows, each handed to `out` as soon as it is made.
pub fn write_membership_parquet(rows: &[MembershipRow<'_>], out: &mut dyn Write) -> io::Result<()> {
    let columns = MembershipColumns::of(rows);
    write_parquet(rows.len(), |range| membership_columns(&rows[range], columns), out)
}

/// Writes the `dedup` rows as one Parquet file: the columns of
/// [`super::dedup_batch`].
pub fn write_dedup_parquet(rows: &[DedupRow<'_>], out: &mut dyn Write) -> io::Result<()> {
    write_parquet(rows.len(), |range| dedup_columns(&rows[range]), out)
}

fn write_parquet(
    n_rows: usize,
    batch_of: impl Fn(Range<usize>) -> Result<RecordBatch, ArrowError>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let first = batch_of(0..n_rows.min(ROW_GROUP_ROWS)).map_err(io::Error::other)?;
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(Vec::new(), first.schema(), Some(properties)).map_err(io::Error::other)?;
    let mut batch = first;
    let mut start = 0;
    loop {
        writer.write(&batch).map_err(io::Error::other)?;
        writer.flush().map_err(io::Error::other)?;
        // The writer counts the bytes it wrote itself: what it wrote so far
        // can go.
        out.write_all(writer.inner_mut())?;
        writer.inner_mut().clear();
        start = (start + ROW_GROUP_ROWS).min(n_rows);
        if start == n_rows {
            break;
        }
        batch = batch_of(start..(start + ROW_GROUP_ROWS).min(n_rows)).map_err(io::Error::other)?;
    }
    // The footer, flushed by `finish`.
    writer.finish().map_err(io::Error::other)?;
    out.write_all(writer.inner_mut())
}

//! Arrow record batches in and out: articles from the rows of a batch, and
//! the membership and dedup rows as batches.
//!
//! Owns [`raw_docs_from_batch`] (a batch's rows as [`RawDoc`]s, by the rules
//! of a JSON Lines record: each row becomes the fields `ingest::parse_fields`
//! reads, so both inputs give the same articles and the same problems),
//! [`read_batches`] (a whole input of batches with duplicate ids checked, as
//! `ingest` checks a file's), and [`membership_batch`] / [`dedup_batch`]
//! (the columns of `--format csv`, typed); document frequencies as a table
//! and back (`columnar/doc_freq.rs`: [`doc_freq_batch`],
//! [`doc_freq_from_batches`]); a part's fingerprints with their band keys
//! for a distributed engine (`columnar/fingerprints.rs`:
//! [`fingerprint_batch`], [`signature_from_bytes`]); with the `parquet` feature,
//! Parquet files (`columnar/parquet.rs`: the batches of an input file, and
//! the membership and dedup rows written as a file). Used by `ingest` for
//! `.parquet` files, by `report` for `--format parquet` and by the Python
//! package.
//!
//! A column's value as a record field:
//! - text (`Utf8`, `LargeUtf8`, `Utf8View`, or a dictionary of them): a
//!   string;
//! - integers and floats: a number (an integer `id` is read as its decimal
//!   text, as a JSON number is); booleans: a boolean;
//! - `Date32`/`Date64`: the ISO date `YYYY-MM-DD`; `Timestamp`: its RFC 3339
//!   text in the column's time zone (so `published` is the local date, as
//!   for an RFC 3339 string in JSON Lines; a named zone that this build
//!   cannot resolve is read as UTC), without a zone for a timestamp without
//!   one;
//! - null: missing (as if the record had no such field);
//! - any other type (lists, structs, binary, decimals, times): not a scalar,
//!   as a JSON array or object is (an extra field of that type is dropped).
//!
//! Rows are numbered from 1 within their input: a problem's origin is the
//! input and the row (`Origin::line`), shown as `input:row`.
//!
//! This module must not read files (Parquet files are `ingest`'s, the
//! output's file is the binary's) and must not decide anything about a
//! record that `ingest::parse_fields` decides.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::temporal_conversions::{as_datetime, as_datetime_with_timezone};
use arrow_array::timezone::Tz;
use arrow_array::types::{
    ArrowTimestampType, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type,
    UInt8Type,
};
use arrow_array::{Array, ArrayRef, LargeStringArray, RecordBatch, StringArray, StringViewArray, UInt64Array};
use arrow_schema::{ArrowError, DataType, Field as ArrowField, Schema, TimeUnit};
use rayon::prelude::*;

use crate::article::{Date, Origin, RawContent, RawDoc};
use crate::ingest::{parse_fields, problem, Field, IngestOutput, Problem, Severity};
use crate::report::{DedupRow, MembershipRow};

/// Articles from one record batch: the same fields and the same rules as a
/// JSON Lines record (id, title, text/html, source, published, url; other
/// scalar columns are kept as the record's extras, e.g. gold labels for
/// `eval`). `input` names the input in problems, `first_row` is the row
/// number (1-based) of the batch's first row within that input, so that a
/// problem says "input:row". A row without id or text is skipped with a
/// problem; duplicate ids are not checked here (see [`read_batches`]).
pub fn raw_docs_from_batch(
    batch: &RecordBatch,
    input: &str,
    first_row: u64,
    problems: &mut Vec<Problem>,
) -> Vec<RawDoc> {
    docs_from_batch(batch, Path::new(input), first_row, problems)
}

/// Every article of an input given as record batches (`input` names it in
/// problems), read as `ingest` reads a file: rows numbered from 1 across
/// the batches, a later row with an id read before skipped
/// (`ProblemKind::DuplicateId`, naming the first row), and an error from
/// `batches` reported as the input's rest being unreadable.
pub fn read_batches(input: &str, batches: impl IntoIterator<Item = Result<RecordBatch, ArrowError>>) -> IngestOutput {
    let mut docs = Vec::new();
    let problems =
        crate::ingest::read_arrow_input(Path::new(input), &mut batches.into_iter(), &mut |batch| docs.extend(batch));
    IngestOutput { docs, problems }
}

/// [`raw_docs_from_batch`] with the input named by a path.
pub(crate) fn docs_from_batch(
    batch: &RecordBatch,
    input: &Path,
    first_row: u64,
    problems: &mut Vec<Problem>,
) -> Vec<RawDoc> {
    let schema = batch.schema();
    let columns: Vec<(&str, Column<'_>)> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(field, array)| (field.name().as_str(), Column::of(array)))
        .collect();
    let parsed: Vec<(Option<RawDoc>, Vec<Problem>)> = (0..batch.num_rows())
        .into_par_iter()
        .map(|row| {
            let origin = || Origin::line(input, (first_row + row as u64) as usize);
            let fields: Vec<(Cow<'_, str>, Field<'_>)> = columns
                .iter()
                .filter_map(|(name, column)| column.field(row).map(|value| (Cow::Borrowed(*name), value)))
                .collect();
            let mut row_problems = Vec::new();
            match parse_fields(fields, origin, &mut row_problems) {
                Ok(doc) => (Some(doc), row_problems),
                Err((kind, message)) => {
                    row_problems.push(problem(origin(), Severity::Skipped, kind, message));
                    (None, row_problems)
                }
            }
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for (doc, mut row_problems) in parsed {
        problems.append(&mut row_problems);
        docs.extend(doc);
    }
    docs
}

/// The bytes of a document's text and metadata: its share of a batch of
/// input (what `ingest` flushes batches by).
pub(crate) fn doc_size(doc: &RawDoc) -> usize {
    let content = match &doc.content {
        RawContent::Text(text) | RawContent::Html(text) => text.len(),
    };
    let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    doc.id.len() + content + text(&doc.title) + text(&doc.source) + text(&doc.url)
}

/// One column of a batch, its type looked at once.
enum Column<'a> {
    Utf8(&'a StringArray),
    LargeUtf8(&'a LargeStringArray),
    Utf8View(&'a StringViewArray),
    /// A dictionary: each row's index into `values` (rows whose key is null
    /// are null in `keys`).
    Dictionary {
        keys: &'a dyn Array,
        indices: Vec<usize>,
        values: Box<Column<'a>>,
    },
    /// A timestamp, with its time zone when it has one (`None` inside for a
    /// zone this build cannot resolve: read as UTC).
    Timestamp {
        array: &'a dyn Array,
        unit: TimeUnit,
        zone: Option<Option<Tz>>,
    },
    /// Numbers, booleans and dates: converted row by row.
    Scalar(&'a dyn Array),
    /// Not a scalar: a present value reads as a nested JSON value.
    Nested(&'a dyn Array),
}

impl<'a> Column<'a> {
    fn of(array: &'a ArrayRef) -> Column<'a> {
        Column::of_dyn(array.as_ref())
    }

    fn of_dyn(array: &'a dyn Array) -> Column<'a> {
        match array.data_type() {
            DataType::Utf8 => Column::Utf8(array.as_string::<i32>()),
            DataType::LargeUtf8 => Column::LargeUtf8(array.as_string::<i64>()),
            DataType::Utf8View => Column::Utf8View(array.as_string_view()),
            DataType::Dictionary(..) => {
                let dictionary = array.as_any_dictionary();
                Column::Dictionary {
                    keys: dictionary.keys(),
                    indices: dictionary.normalized_keys(),
                    values: Box::new(Column::of_dyn(dictionary.values().as_ref())),
                }
            }
            DataType::Timestamp(unit, zone) => {
                Column::Timestamp { array, unit: *unit, zone: zone.as_ref().map(|zone| zone.parse::<Tz>().ok()) }
            }
            DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64
            | DataType::Float32
            | DataType::Float64
            | DataType::Boolean
            | DataType::Date32
            | DataType::Date64 => Column::Scalar(array),
            _ => Column::Nested(array),
        }
    }

    /// Row `row` as a record field; `None` when it is null (missing).
    fn field(&self, row: usize) -> Option<Field<'a>> {
        let text = |s: &'a str| Some(Field::Str(Cow::Borrowed(s)));
        match self {
            Column::Utf8(array) => array.is_valid(row).then(|| text(array.value(row))).flatten(),
            Column::LargeUtf8(array) => array.is_valid(row).then(|| text(array.value(row))).flatten(),
            Column::Utf8View(array) => array.is_valid(row).then(|| text(array.value(row))).flatten(),
            Column::Dictionary { keys, indices, values } => {
                if keys.is_valid(row) {
                    values.field(indices[row])
                } else {
                    None
                }
            }
            Column::Timestamp { array, unit, zone } => {
                if !array.is_valid(row) {
                    return None;
                }
                let text = match unit {
                    TimeUnit::Second => timestamp_text::<TimestampSecondType>(*array, row, *zone),
                    TimeUnit::Millisecond => timestamp_text::<TimestampMillisecondType>(*array, row, *zone),
                    TimeUnit::Microsecond => timestamp_text::<TimestampMicrosecondType>(*array, row, *zone),
                    TimeUnit::Nanosecond => timestamp_text::<TimestampNanosecondType>(*array, row, *zone),
                };
                // A timestamp outside the calendar's range is not a date.
                Some(text.map_or(Field::Nested, |text| Field::Str(Cow::Owned(text))))
            }
            Column::Scalar(array) => array.is_valid(row).then(|| scalar(*array, row)),
            Column::Nested(array) => array.is_valid(row).then_some(Field::Nested),
        }
    }
}

/// A number, boolean or date of row `row` (not null) as a record field.
fn scalar<'a>(array: &dyn Array, row: usize) -> Field<'a> {
    let number = |n: serde_json::Number| Field::Number(n);
    match array.data_type() {
        DataType::Int8 => number(array.as_primitive::<Int8Type>().value(row).into()),
        DataType::Int16 => number(array.as_primitive::<Int16Type>().value(row).into()),
        DataType::Int32 => number(array.as_primitive::<Int32Type>().value(row).into()),
        DataType::Int64 => number(array.as_primitive::<Int64Type>().value(row).into()),
        DataType::UInt8 => number(array.as_primitive::<UInt8Type>().value(row).into()),
        DataType::UInt16 => number(array.as_primitive::<UInt16Type>().value(row).into()),
        DataType::UInt32 => number(array.as_primitive::<UInt32Type>().value(row).into()),
        DataType::UInt64 => number(array.as_primitive::<UInt64Type>().value(row).into()),
        // Through its shortest text, so that 0.1 stays 0.1 and not the
        // 0.100000001 of its exact value.
        DataType::Float32 => {
            float(array.as_primitive::<Float32Type>().value(row).to_string().parse().unwrap_or(f64::NAN))
        }
        DataType::Float64 => float(array.as_primitive::<Float64Type>().value(row)),
        DataType::Boolean => Field::Bool(array.as_boolean().value(row)),
        DataType::Date32 => date(i64::from(array.as_primitive::<arrow_array::types::Date32Type>().value(row))),
        DataType::Date64 => {
            date(array.as_primitive::<arrow_array::types::Date64Type>().value(row).div_euclid(86_400_000))
        }
        _ => Field::Nested,
    }
}

/// A float as JSON reads it: not a number (NaN, infinities) is null.
fn float<'a>(x: f64) -> Field<'a> {
    serde_json::Number::from_f64(x).map_or(Field::Null, Field::Number)
}

fn date<'a>(days_since_epoch: i64) -> Field<'a> {
    Field::Str(Cow::Owned(Date::from_days_since_epoch(days_since_epoch).to_string()))
}

/// A timestamp as RFC 3339 text: with its offset in `zone` when the column
/// has one (`Some(None)`: a zone not resolved, read as UTC), without one
/// otherwise. `None` outside the calendar's range.
fn timestamp_text<T: ArrowTimestampType>(array: &dyn Array, row: usize, zone: Option<Option<Tz>>) -> Option<String> {
    let value = array.as_primitive::<T>().value(row);
    match zone {
        Some(Some(zone)) => as_datetime_with_timezone::<T>(value, zone).map(|time| time.to_rfc3339()),
        Some(None) => as_datetime::<T>(value).map(|time| format!("{}Z", time.format("%Y-%m-%dT%H:%M:%S%.f"))),
        None => as_datetime::<T>(value).map(|time| time.format("%Y-%m-%dT%H:%M:%S%.f").to_string()),
    }
}

/// A text column, never null.
fn text_column<'r, R: 'r>(name: &str, rows: &'r [R], value: impl Fn(&'r R) -> &'r str) -> (ArrowField, ArrayRef) {
    (ArrowField::new(name, DataType::Utf8, false), Arc::new(StringArray::from_iter_values(rows.iter().map(value))))
}

/// A text column null where `value` is `None`.
fn optional_text_column<'r, R: 'r>(
    name: &str,
    rows: &'r [R],
    value: impl Fn(&'r R) -> Option<&'r str>,
) -> (ArrowField, ArrayRef) {
    (ArrowField::new(name, DataType::Utf8, true), Arc::new(rows.iter().map(value).collect::<StringArray>()))
}

/// A count column.
fn count_column<R>(name: &str, rows: &[R], value: impl Fn(&R) -> usize) -> (ArrowField, ArrayRef) {
    let values = rows.iter().map(|row| value(row) as u64);
    (ArrowField::new(name, DataType::UInt64, false), Arc::new(UInt64Array::from_iter_values(values)))
}

fn batch(columns: Vec<(ArrowField, ArrayRef)>) -> Result<RecordBatch, ArrowError> {
    let (fields, arrays): (Vec<ArrowField>, Vec<ArrayRef>) = columns.into_iter().unzip();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
}

/// The membership rows as one record batch: the columns, and the column
/// order, of `--format csv`. Text columns are `Utf8` holding exactly the CSV
/// cell (dates as ISO text, empty when unknown, as `duplicate_group` is
/// when the article has no copies), counts are `UInt64`. The optional
/// columns (`storyline`, `story_first_seen`, `story_last_seen`) are present
/// when any row has them, nullable.
pub fn membership_batch(rows: &[MembershipRow<'_>]) -> Result<RecordBatch, ArrowError> {
    membership_columns(rows, MembershipColumns::of(rows))
}

/// Which optional columns a membership batch has: the same for every batch
/// of one output, decided by all its rows.
#[derive(Clone, Copy)]
struct MembershipColumns {
    storyline: bool,
    seen: bool,
}

impl MembershipColumns {
    fn of(rows: &[MembershipRow<'_>]) -> MembershipColumns {
        MembershipColumns {
            storyline: rows.iter().any(|r| r.storyline.is_some()),
            seen: rows.iter().any(|r| r.story_first_seen.is_some() || r.story_last_seen.is_some()),
        }
    }
}

fn membership_columns(rows: &[MembershipRow<'_>], optional: MembershipColumns) -> Result<RecordBatch, ArrowError> {
    let mut columns = vec![text_column("id", rows, |r| r.id), text_column("story", rows, |r| r.story)];
    if optional.storyline {
        columns.push(optional_text_column("storyline", rows, |r| r.storyline));
    }
    columns.extend([
        text_column("duplicate_group", rows, |r| r.duplicate_group),
        text_column("source", rows, |r| r.source),
        text_column("title", rows, |r| r.title),
        text_column("published", rows, |r| &r.published),
        text_column("story_headline", rows, |r| r.story_headline),
        count_column("story_articles", rows, |r| r.story_articles),
        count_column("story_sources", rows, |r| r.story_sources),
        text_column("story_first_published", rows, |r| &r.story_first_published),
        text_column("story_last_published", rows, |r| &r.story_last_published),
    ]);
    if optional.seen {
        columns.push(optional_text_column("story_first_seen", rows, |r| r.story_first_seen));
        columns.push(optional_text_column("story_last_seen", rows, |r| r.story_last_seen));
    }
    batch(columns)
}

/// The `dedup` rows as one record batch: `id`, `duplicate_group` (empty
/// for an article without copies, as in CSV) and `group_size` (`UInt64`).
pub fn dedup_batch(rows: &[DedupRow<'_>]) -> Result<RecordBatch, ArrowError> {
    dedup_columns(rows)
}

fn dedup_columns(rows: &[DedupRow<'_>]) -> Result<RecordBatch, ArrowError> {
    batch(vec![
        text_column("id", rows, |r| r.id),
        text_column("duplicate_group", rows, |r| r.duplicate_group),
        count_column("group_size", rows, |r| r.group_size),
    ])
}

mod doc_freq;
mod fingerprints;
#[cfg(feature = "parquet")]
mod parquet;

pub use self::doc_freq::{doc_freq_batch, doc_freq_from_batches};
pub use self::fingerprints::{fingerprint_batch, signature_from_bytes};

#[cfg(feature = "parquet")]
pub(crate) use self::parquet::open_parquet;
#[cfg(feature = "parquet")]
pub use self::parquet::{write_dedup_parquet, write_membership_parquet};

#[cfg(test)]
mod tests;

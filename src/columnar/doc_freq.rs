//! Document frequencies as an Arrow record batch, and back: how counts
//! made on one machine (or on each part of a corpus) travel to the runs
//! that weigh terms by them (`pipeline::run_with_doc_freq`).
//!
//! Owns [`doc_freq_batch`] and [`doc_freq_from_batches`]. One table holds
//! both kinds of count, so that the tables of parts of a corpus add up by
//! one grouping on (`key`, `language`) and a sum of the three counts, and
//! an engine without unsigned types (Spark) can carry them:
//! - a *language row* per language counted: `language` its code
//!   (`Language::code`: `eng`, `fra`, ..., `other`), `key` null, `df` the
//!   documents of that language, `capitalised` and `lower` 0;
//! - a *term row* per key counted (`represent::df_key`): `key` the key,
//!   `language` null, `df` the documents holding it, `capitalised` and
//!   `lower` the documents that write it mostly capitalised or mostly in
//!   lower case inside sentences.
//!
//! Written as `key: UInt64`, `language: Utf8`, counts `UInt32`, language
//! rows first, then term rows by key. Read back with any integer type for
//! the counts (a sum in an engine is 64-bit), `key` as `UInt64` or as
//! `Int64` holding the same 64 bits, `language` as any text type; rows of
//! the same key or language add up. This module must not count anything
//! itself: the counts are `represent`'s.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_schema::{ArrowError, DataType, Field as ArrowField, Schema};

use crate::hashes::TermMap;
use crate::represent::{DocFreqCounter, Language, Term, N_LANGUAGES};

/// The counts of `counter` as one record batch (see the module's
/// documentation for the layout).
pub fn doc_freq_batch(counter: &DocFreqCounter) -> Result<RecordBatch, ArrowError> {
    let documents: Vec<(Language, u32)> = counter.documents().collect();
    let mut entries: Vec<(Term, u32, u32, u32)> = counter.entries().collect();
    entries.sort_unstable_by_key(|e| e.0);
    let n_languages = documents.len();
    let keys = std::iter::repeat_n(None, n_languages).chain(entries.iter().map(|e| Some(e.0)));
    let languages = documents.iter().map(|&(l, _)| Some(l.code())).chain(std::iter::repeat_n(None, entries.len()));
    let counts = |which: fn(&(Term, u32, u32, u32)) -> u32, on_language: fn(u32) -> u32| {
        let values = documents.iter().map(|&(_, n)| on_language(n)).chain(entries.iter().map(which));
        Arc::new(UInt32Array::from_iter_values(values)) as ArrayRef
    };
    let columns: Vec<(ArrowField, ArrayRef)> = vec![
        (ArrowField::new("key", DataType::UInt64, true), Arc::new(keys.collect::<UInt64Array>())),
        (ArrowField::new("language", DataType::Utf8, true), Arc::new(languages.collect::<StringArray>())),
        (ArrowField::new("df", DataType::UInt32, false), counts(|e| e.1, |n| n)),
        (ArrowField::new("capitalised", DataType::UInt32, false), counts(|e| e.2, |_| 0)),
        (ArrowField::new("lower", DataType::UInt32, false), counts(|e| e.3, |_| 0)),
    ];
    let (fields, arrays): (Vec<ArrowField>, Vec<ArrayRef>) = columns.into_iter().unzip();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
}

/// The counts of a document frequency table given as record batches, rows
/// of one key or one language added up.
///
/// # Errors
/// An error of `batches`; `ArrowError::InvalidArgumentError` for a missing
/// column or one of another type, a row with both or neither of `key` and
/// `language`, a language code this build does not know, a null or
/// negative count, or a total above `u32::MAX`.
pub fn doc_freq_from_batches(
    batches: impl IntoIterator<Item = Result<RecordBatch, ArrowError>>,
) -> Result<DocFreqCounter, ArrowError> {
    let mut documents = [0u64; N_LANGUAGES];
    let mut terms: TermMap<[u64; 3]> = TermMap::default();
    let mut first_row = 1;
    for batch in batches {
        let batch = batch?;
        add_batch(&batch, first_row, &mut documents, &mut terms)?;
        first_row += batch.num_rows();
    }
    let documents = Language::all()
        .zip(documents)
        .map(|(l, n)| Ok::<_, ArrowError>((l, narrow(n, l.code())?)))
        .collect::<Result<Vec<_>, _>>()?;
    let entries = terms
        .into_iter()
        .map(|(key, [df, c, l])| {
            let name = format!("key {key}");
            Ok((key, narrow(df, &name)?, narrow(c, &name)?, narrow(l, &name)?))
        })
        .collect::<Result<Vec<_>, ArrowError>>()?;
    Ok(DocFreqCounter::from_parts(documents.into_iter().filter(|&(_, n)| n > 0), entries))
}

fn add_batch(
    batch: &RecordBatch,
    first_row: usize,
    documents: &mut [u64; N_LANGUAGES],
    terms: &mut TermMap<[u64; 3]>,
) -> Result<(), ArrowError> {
    let column = |name: &str| {
        batch.column_by_name(name).ok_or_else(|| invalid(format!("the document frequencies have no column '{name}'")))
    };
    let keys = keys(column("key")?.as_ref())?;
    let languages = texts(column("language")?.as_ref())?;
    let counts = [
        counts(column("df")?.as_ref(), "df")?,
        counts(column("capitalised")?.as_ref(), "capitalised")?,
        counts(column("lower")?.as_ref(), "lower")?,
    ];
    for row in 0..batch.num_rows() {
        let at = || format!("row {}", first_row + row);
        let [df, c, l] = [0, 1, 2].map(|k| counts[k][row]);
        let (Some(df), Some(c), Some(l)) = (df, c, l) else {
            return Err(invalid(format!("document frequencies, {}: a null count", at())));
        };
        match (keys[row], &languages[row]) {
            (Some(key), None) => {
                let sums = terms.entry(key).or_default();
                sums[0] += df;
                sums[1] += c;
                sums[2] += l;
            }
            (None, Some(code)) => {
                let language = Language::from_code(code);
                if language.code() != code.as_str() {
                    return Err(invalid(format!("document frequencies, {}: unknown language '{code}'", at())));
                }
                documents[language.index()] += df;
            }
            _ => {
                return Err(invalid(format!(
                    "document frequencies, {}: a row holds either a key or a language, not both or neither",
                    at()
                )))
            }
        }
    }
    Ok(())
}

fn invalid(message: String) -> ArrowError {
    ArrowError::InvalidArgumentError(message)
}

/// A total as a `u32`, or an error naming what it counts.
fn narrow(n: u64, what: &str) -> Result<u32, ArrowError> {
    u32::try_from(n).map_err(|_| invalid(format!("document frequencies: {what} counts {n}, more than {}", u32::MAX)))
}

/// The `key` column: `UInt64`, or `Int64` holding the same bits.
fn keys(array: &dyn Array) -> Result<Vec<Option<u64>>, ArrowError> {
    match array.data_type() {
        DataType::UInt64 => Ok(array.as_primitive::<UInt64Type>().iter().collect()),
        DataType::Int64 => Ok(array.as_primitive::<Int64Type>().iter().map(|k| k.map(|k| k as u64)).collect()),
        other => Err(invalid(format!("document frequencies: 'key' must be uint64 or int64, not {other}"))),
    }
}

/// The `language` column, of any text type.
fn texts(array: &dyn Array) -> Result<Vec<Option<String>>, ArrowError> {
    let owned = |v: Option<&str>| v.map(str::to_owned);
    match array.data_type() {
        DataType::Utf8 => Ok(array.as_string::<i32>().iter().map(owned).collect()),
        DataType::LargeUtf8 => Ok(array.as_string::<i64>().iter().map(owned).collect()),
        DataType::Utf8View => Ok(array.as_string_view().iter().map(owned).collect()),
        // A column of nulls only (a table of term rows alone).
        DataType::Null => Ok(vec![None; array.len()]),
        other => Err(invalid(format!("document frequencies: 'language' must be text, not {other}"))),
    }
}

/// A count column of any integer type, as `u64`; a negative count is an
/// error.
fn counts(array: &dyn Array, name: &str) -> Result<Vec<Option<u64>>, ArrowError> {
    fn all<T>(values: impl Iterator<Item = Option<T>>, name: &str) -> Result<Vec<Option<u64>>, ArrowError>
    where
        u64: TryFrom<T>,
    {
        values
            .map(|v| match v {
                None => Ok(None),
                Some(v) => u64::try_from(v)
                    .map(Some)
                    .map_err(|_| invalid(format!("document frequencies: a negative '{name}'"))),
            })
            .collect()
    }
    match array.data_type() {
        DataType::UInt8 => all(array.as_primitive::<UInt8Type>().iter(), name),
        DataType::UInt16 => all(array.as_primitive::<UInt16Type>().iter(), name),
        DataType::UInt32 => all(array.as_primitive::<UInt32Type>().iter(), name),
        DataType::UInt64 => all(array.as_primitive::<UInt64Type>().iter(), name),
        DataType::Int8 => all(array.as_primitive::<Int8Type>().iter(), name),
        DataType::Int16 => all(array.as_primitive::<Int16Type>().iter(), name),
        DataType::Int32 => all(array.as_primitive::<Int32Type>().iter(), name),
        DataType::Int64 => all(array.as_primitive::<Int64Type>().iter(), name),
        other => Err(invalid(format!("document frequencies: '{name}' must be an integer column, not {other}"))),
    }
}

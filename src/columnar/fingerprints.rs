//! A part's fingerprints as a record batch, for an engine that groups
//! articles by band key itself (see `pipeline::parts`).

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, UInt64Builder};
use arrow_array::{Array, ArrayRef, BinaryArray, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field as ArrowField};

use super::batch;
use crate::fingerprint::{self, FingerprintConfig};
use crate::pipeline::parts::FingerprintedPart;

/// One row per article of `part`: `id` (`Utf8`), `minhash` (`Binary`: the
/// signature's values, 4 bytes each, little-endian) and `bands` (a list of
/// `UInt64`: the LSH band keys, [`fingerprint::band_keys`], empty for an
/// article without words, which is never anyone's copy).
pub fn fingerprint_batch(part: &FingerprintedPart, config: &FingerprintConfig) -> Result<RecordBatch, ArrowError> {
    let ids = StringArray::from_iter_values(part.articles.iter().map(|a| a.id.as_str()));
    let signatures: Vec<Vec<u8>> =
        part.fingerprints.iter().map(|fp| fp.minhash.iter().flat_map(|v| v.to_le_bytes()).collect()).collect();
    let minhash = BinaryArray::from_iter_values(signatures.iter());
    let mut bands = ListBuilder::new(UInt64Builder::new());
    for fp in &part.fingerprints {
        bands.values().append_slice(&fingerprint::band_keys(fp, config));
        bands.append(true);
    }
    let bands = bands.finish();
    let bands_type = bands.data_type().clone();
    batch(vec![
        (ArrowField::new("id", DataType::Utf8, false), Arc::new(ids) as ArrayRef),
        (ArrowField::new("minhash", DataType::Binary, false), Arc::new(minhash)),
        (ArrowField::new("bands", bands_type, false), Arc::new(bands)),
    ])
}

/// The signature values [`fingerprint_batch`] wrote as `minhash` bytes;
/// `None` if their length is not a whole number of values.
pub fn signature_from_bytes(bytes: &[u8]) -> Option<Box<[u32]>> {
    bytes
        .len()
        .is_multiple_of(4)
        .then(|| bytes.chunks_exact(4).map(|v| u32::from_le_bytes(v.try_into().expect("4 bytes"))).collect())
}

//! storyclust: find near-duplicate news articles, group reports of one event
//! from different outlets into story clusters, and show what each outlet
//! reports that the others do not.
//!
//! The pipeline, one module per stage:
//! `ingest` (read inputs) → `clean` (remove site boilerplate, recover
//! headline, outlet and date) → `fingerprint` (shingles, SimHash, MinHash:
//! near-duplicates) → `represent` (weighted story vectors) → `index` (hnsw_rs
//! nearest neighbours) → `cluster` (stories with duplicate groups inside) →
//! `diff` (per-source differences) → `report` (table, JSON, CSV, HTML).
//! The library never prints; the `storyclust` binary is a thin layer over it.
#![warn(missing_docs)]

pub mod article;
pub mod clean;
pub mod cluster;
#[cfg(feature = "arrow")]
pub mod columnar;
pub mod diff;
pub mod error;
pub mod eval;
pub mod explain;
pub mod fingerprint;
pub mod generate;
pub mod hashes;
pub mod index;
pub mod live;
pub mod options;
pub mod ingest;
pub mod pipeline;
pub mod report;
pub mod represent;
pub mod spill;
pub mod store;
pub mod text;
pub mod union_find;

pub use article::{Article, Date, Origin, RawDoc};
pub use error::{Error, Result};

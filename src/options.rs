//! The clustering options a user sets: the command's flags and the Python
//! package's keyword arguments, under the same names (`story_threshold` is
//! `--story-threshold`).
//!
//! Owns [`Options`] (every such option, its default taken from the stages'
//! own `Default`s), the one mapping from options to [`pipeline::Config`]
//! ([`Options::config`]), each option's range and the message when a value is
//! outside it ([`unit_interval`], [`count_in`], …), and [`Options::set`], which
//! sets an option by name (for callers that get names at run time). It must
//! not parse text (the command parses its flags; clap owns that) and must not
//! run any stage.
//!
//! [`pipeline::Config`]: crate::pipeline::Config

use crate::cluster::{ClusterConfig, StorylineConfig};
use crate::fingerprint::FingerprintConfig;
use crate::index::IndexConfig;
use crate::pipeline::Config;
use crate::represent::RepresentConfig;

/// Every option that changes how articles are clustered, with the meaning
/// the command's `--help` gives each flag of the same name.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Story threshold for full articles (`ClusterConfig::threshold`).
    pub story_threshold: f32,
    /// Story threshold for short texts such as headlines.
    pub short_story_threshold: f32,
    /// Near-duplicate threshold: estimated Jaccard resemblance of shingles.
    pub dup_threshold: f32,
    /// Words per shingle for near-duplicate fingerprints.
    pub shingle_words: usize,
    /// Storyline threshold (batch runs only).
    pub storyline_threshold: f32,
    /// Clusters of at most this many articles may join a larger neighbour.
    pub attach_max_size: usize,
    /// The centroid cosine such a cluster needs to join it.
    pub attach_threshold: f32,
    /// Nearest neighbours fetched per article from the index.
    pub neighbours: usize,
    /// Neighbour pairs below this story similarity are not candidates.
    pub candidate_floor: f32,
    /// Days between publication dates that cost no similarity.
    pub date_grace_days: u32,
    /// Beyond the grace days, similarity decays as exp(-extra_days / this).
    pub date_scale_days: f32,
    /// Pairs at least this similar count as one story when measuring how
    /// long stories last.
    pub date_confident_cosine: f32,
    /// How much shorter than the scale stories must last for it to shrink.
    pub date_spread_factor: f32,
    /// Strongest terms kept per article in its story vector.
    pub max_terms: usize,
    /// Dimensions of the dense story vectors the index searches.
    pub dense_dims: usize,
    /// Index: articles per shard.
    pub shard_size: usize,
    /// Index: days of earlier articles a shard also holds.
    pub window_days: u32,
    /// Index: HNSW links per node (M).
    pub hnsw_m: usize,
    /// Index: HNSW candidate list size while building.
    pub ef_construction: usize,
    /// Index: HNSW candidate list size while searching.
    pub ef_search: usize,
    /// Index: shards of at most this many points are searched exhaustively.
    pub exact_max_points: usize,
}

impl Default for Options {
    fn default() -> Options {
        let cluster = ClusterConfig::default();
        let fingerprint = FingerprintConfig::default();
        let represent = RepresentConfig::default();
        let index = IndexConfig::default();
        Options {
            story_threshold: cluster.threshold,
            short_story_threshold: cluster.short_threshold,
            dup_threshold: fingerprint.threshold,
            shingle_words: fingerprint.shingle_words,
            storyline_threshold: StorylineConfig::default().threshold,
            attach_max_size: cluster.attach_max_size,
            attach_threshold: cluster.attach_threshold,
            neighbours: cluster.neighbours,
            candidate_floor: cluster.candidate_floor,
            date_grace_days: cluster.date_grace_days,
            date_scale_days: cluster.date_scale_days,
            date_confident_cosine: cluster.date_confident_cosine,
            date_spread_factor: cluster.date_spread_factor,
            max_terms: represent.max_terms,
            dense_dims: represent.dense_dims,
            shard_size: index.shard_size,
            window_days: index.window_days,
            hnsw_m: index.max_connections,
            ef_construction: index.ef_construction,
            ef_search: index.ef_search,
            exact_max_points: index.exact_max_points,
        }
    }
}

impl Options {
    /// The library configuration these options describe.
    pub fn config(&self) -> Config {
        let mut config = Config::default();
        config.cluster.threshold = self.story_threshold;
        config.cluster.short_threshold = self.short_story_threshold;
        config.storyline.threshold = self.storyline_threshold;
        config.cluster.neighbours = self.neighbours;
        config.cluster.candidate_floor = self.candidate_floor;
        config.cluster.attach_max_size = self.attach_max_size;
        config.cluster.attach_threshold = self.attach_threshold;
        config.cluster.date_grace_days = self.date_grace_days;
        config.cluster.date_scale_days = self.date_scale_days;
        config.cluster.date_confident_cosine = self.date_confident_cosine;
        config.cluster.date_spread_factor = self.date_spread_factor;
        config.represent.max_terms = self.max_terms;
        config.represent.dense_dims = self.dense_dims;
        config.index.shard_size = self.shard_size;
        config.index.window_days = self.window_days;
        config.index.max_connections = self.hnsw_m;
        config.index.ef_construction = self.ef_construction;
        config.index.ef_search = self.ef_search;
        config.index.exact_max_points = self.exact_max_points;
        config.fingerprint =
            FingerprintConfig::new(self.shingle_words, config.fingerprint.num_hashes, self.dup_threshold);
        config
    }

    /// Every option's name, in the order of the command's `--help`.
    pub const NAMES: [&'static str; 21] = [
        "story_threshold",
        "short_story_threshold",
        "dup_threshold",
        "shingle_words",
        "storyline_threshold",
        "attach_max_size",
        "attach_threshold",
        "neighbours",
        "candidate_floor",
        "date_grace_days",
        "date_scale_days",
        "date_confident_cosine",
        "date_spread_factor",
        "max_terms",
        "dense_dims",
        "shard_size",
        "window_days",
        "hnsw_m",
        "ef_construction",
        "ef_search",
        "exact_max_points",
    ];

    /// Sets the option `name` to `value`, checked against the range the
    /// command's flag of that name takes (the same message on failure).
    ///
    /// # Errors
    /// [`SetError::Unknown`] for a name not in [`Options::NAMES`],
    /// [`SetError::NotWhole`] for a fraction given to a whole-number option,
    /// [`SetError::Range`] for a value out of range.
    pub fn set(&mut self, name: &str, value: Number) -> Result<(), SetError> {
        let o = self;
        match name {
            "story_threshold" => o.story_threshold = unit_interval(value.real())?,
            "short_story_threshold" => o.short_story_threshold = unit_interval(value.real())?,
            "dup_threshold" => o.dup_threshold = positive_fraction(value.real())?,
            "shingle_words" => o.shingle_words = count_in(value.whole()?, 1, 64)?,
            "storyline_threshold" => o.storyline_threshold = unit_interval(value.real())?,
            "attach_max_size" => o.attach_max_size = count_in(value.whole()?, 0, usize::MAX)?,
            "attach_threshold" => o.attach_threshold = unit_interval(value.real())?,
            "neighbours" => o.neighbours = count_in(value.whole()?, 1, 1024)?,
            "candidate_floor" => o.candidate_floor = unit_interval(value.real())?,
            "date_grace_days" => o.date_grace_days = days(value.whole()?)?,
            "date_scale_days" => o.date_scale_days = positive_days(value.real())?,
            "date_confident_cosine" => o.date_confident_cosine = unit_interval(value.real())?,
            "date_spread_factor" => o.date_spread_factor = non_negative(value.real())?,
            "max_terms" => o.max_terms = count_in(value.whole()?, 1, 100_000)?,
            "dense_dims" => o.dense_dims = count_in(value.whole()?, 1, 4096)?,
            "shard_size" => o.shard_size = count_in(value.whole()?, 1, usize::MAX)?,
            "window_days" => o.window_days = days(value.whole()?)?,
            "hnsw_m" => o.hnsw_m = count_in(value.whole()?, 2, 256)?,
            "ef_construction" => o.ef_construction = count_in(value.whole()?, 1, 100_000)?,
            "ef_search" => o.ef_search = count_in(value.whole()?, 1, 100_000)?,
            "exact_max_points" => o.exact_max_points = count_in(value.whole()?, 0, usize::MAX)?,
            _ => return Err(SetError::Unknown),
        }
        Ok(())
    }
}

/// The most worker threads a run takes (`--threads`, `threads=`): beyond a
/// few per core they only add memory and contention, and thousands would
/// take minutes to start.
pub const MAX_THREADS: usize = 256;

/// A value given to [`Options::set`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A whole number.
    Whole(i128),
    /// Any other number.
    Real(f64),
}

impl Number {
    fn real(self) -> f32 {
        match self {
            Number::Whole(n) => n as f32,
            Number::Real(x) => x as f32,
        }
    }

    fn whole(self) -> Result<i128, SetError> {
        match self {
            Number::Whole(n) => Ok(n),
            Number::Real(_) => Err(SetError::NotWhole),
        }
    }
}

/// Why [`Options::set`] refused a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetError {
    /// No option has that name.
    Unknown,
    /// The option takes a whole number.
    NotWhole,
    /// The value is out of the option's range; the message says the range.
    Range(String),
}

impl From<String> for SetError {
    fn from(message: String) -> SetError {
        SetError::Range(message)
    }
}

/// A whole number from `min` to `max` (`max` = `usize::MAX`: no upper bound).
///
/// # Errors
/// The message the command gives for its flag.
pub fn count_in(n: i128, min: usize, max: usize) -> Result<usize, String> {
    match usize::try_from(n) {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ if max == usize::MAX => Err(format!("must be at least {min}")),
        _ => Err(format!("must be from {min} to {max}")),
    }
}

/// A number of days: 0 or more.
fn days(n: i128) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("must be from 0 to {}", u32::MAX))
}

/// A finite number.
fn finite(x: f32) -> Result<f32, String> {
    if !x.is_finite() {
        return Err(format!("{x} is not a finite number"));
    }
    Ok(x)
}

/// A similarity or threshold: from 0 to 1.
///
/// # Errors
/// The message the command gives for its flag.
pub fn unit_interval(x: f32) -> Result<f32, String> {
    if !(0.0..=1.0).contains(&finite(x)?) {
        return Err("must be from 0 to 1".to_owned());
    }
    Ok(x)
}

/// A resemblance threshold: above 0 (at 0 every pair of articles would be
/// copies) and at most 1.
///
/// # Errors
/// The message the command gives for its flag.
pub fn positive_fraction(x: f32) -> Result<f32, String> {
    if !(finite(x)? > 0.0 && x <= 1.0) {
        return Err("must be above 0 and at most 1".to_owned());
    }
    Ok(x)
}

/// A decay scale in days: above 0.
///
/// # Errors
/// The message the command gives for its flag.
pub fn positive_days(x: f32) -> Result<f32, String> {
    if finite(x)? <= 0.0 {
        return Err("must be above 0".to_owned());
    }
    Ok(x)
}

/// A factor: 0 or more.
///
/// # Errors
/// The message the command gives for its flag.
pub fn non_negative(x: f32) -> Result<f32, String> {
    if finite(x)? < 0.0 {
        return Err("must be 0 or more".to_owned());
    }
    Ok(x)
}

#[cfg(test)]
mod tests;

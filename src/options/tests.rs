//! Unit tests of the options: their defaults are the stages' own, every
//! option reaches its stage through `Options::config`, and values outside
//! a range are refused with the message the command shows.

use super::*;

#[test]
fn defaults_are_the_stages_defaults() {
    let config = Options::default().config();
    let defaults = Config::default();
    assert_eq!(config.cluster.threshold, defaults.cluster.threshold);
    assert_eq!(config.storyline.threshold, defaults.storyline.threshold);
    assert_eq!(config.fingerprint.threshold, defaults.fingerprint.threshold);
    assert_eq!(config.fingerprint.bands, defaults.fingerprint.bands);
    assert_eq!(config.index.shard_size, defaults.index.shard_size);
    assert_eq!(config.represent.dense_dims, defaults.represent.dense_dims);
}

#[test]
fn every_name_can_be_set_and_reaches_the_config() {
    for name in Options::NAMES {
        let mut options = Options::default();
        // A fraction where the option takes one, else a whole number.
        let set = match options.set(name, Number::Real(0.5)) {
            Err(SetError::NotWhole) => options.set(name, Number::Whole(7)),
            set => set,
        };
        set.unwrap_or_else(|err| panic!("{name}: {err:?}"));
        assert_ne!(options, Options::default(), "{name} changed nothing");
    }
    let mut options = Options::default();
    options.set("shard_size", Number::Whole(100)).unwrap();
    options.set("story_threshold", Number::Real(0.2)).unwrap();
    options.set("dup_threshold", Number::Whole(1)).unwrap();
    let config = options.config();
    assert_eq!((config.index.shard_size, config.cluster.threshold, config.fingerprint.threshold), (100, 0.2, 1.0));
}

#[test]
fn values_out_of_range_are_refused_with_the_range() {
    let mut options = Options::default();
    assert_eq!(options.set("story_threshold", Number::Real(1.5)), Err(SetError::Range("must be from 0 to 1".into())));
    assert_eq!(options.set("story_threshold", Number::Real(f64::NAN)), Err(SetError::Range("NaN is not a finite number".into())));
    assert_eq!(options.set("dup_threshold", Number::Whole(0)), Err(SetError::Range("must be above 0 and at most 1".into())));
    assert_eq!(options.set("shard_size", Number::Whole(0)), Err(SetError::Range("must be at least 1".into())));
    assert_eq!(options.set("hnsw_m", Number::Whole(-3)), Err(SetError::Range("must be from 2 to 256".into())));
    assert_eq!(options.set("window_days", Number::Real(2.5)), Err(SetError::NotWhole));
    assert_eq!(options.set("treshold", Number::Real(0.5)), Err(SetError::Unknown));
    assert_eq!(options, Options::default(), "a refused value changes nothing");
}

//! A mixed feed: the language of unrelated articles must not make them one story.

use std::path::PathBuf;

use crate::util::{cluster_json, partition};

fn mixed_feed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/mixed_languages.jsonl")
}

/// Ten unrelated English articles, six unrelated French ones and five
/// unrelated Czech ones, all of one day: only their language is shared. With
/// English stopwords alone, the French articles' "le", "la", "des", "pour"
/// are rare words in this feed and join all six into one story.
#[test]
fn unrelated_articles_of_one_language_stay_apart_in_a_mixed_feed() {
    let feed = mixed_feed();
    let report = cluster_json(&[feed.to_str().unwrap()], &[]);
    let stories = partition(&report);
    assert_eq!(stories.iter().map(Vec::len).sum::<usize>(), 21);
    for prefix in ["fr", "cs", "en"] {
        for story in &stories {
            let same_language = story.iter().filter(|id| id.starts_with(prefix)).count();
            assert!(same_language <= 1, "unrelated {prefix} articles joined: {story:?}");
        }
    }
}

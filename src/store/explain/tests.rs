//! Unit tests of what `explain --store` reads: an article with its story,
//! group, counts and times; a story's kept links and term counts; the
//! store's document frequencies read without a write transaction.

use super::super::tests::{new_store, two_stories, NOW};
use super::*;
use crate::represent::{count_terms, RepresentConfig};

#[test]
fn an_article_reads_back_with_its_story_group_counts_and_times() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = new_store(&dir);
    let (x, y, articles) = two_stories(&mut store);
    let a2 = store.article_record("a2").unwrap().expect("a2 is stored");
    assert_eq!(a2.article.id, "a2");
    assert_eq!(a2.article.body, articles[1].body);
    assert_eq!((a2.story, a2.dup_group.as_deref()), (x, Some("a1")));
    let counted = count_terms(&articles[1], &RepresentConfig::default());
    assert_eq!(a2.counts.counts, counted.counts);
    assert_eq!((a2.first_seen.as_str(), a2.last_seen.as_str()), (NOW, NOW));
    assert_eq!(store.group_size(x, "a1").unwrap(), 2);
    let b1 = store.article_record("b1").unwrap().unwrap();
    assert_eq!((b1.story, b1.dup_group), (y, None));
    assert!(store.article_record("zz").unwrap().is_none());
}

#[test]
fn an_article_of_a_merged_story_reads_as_of_the_story_that_absorbed_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = new_store(&dir);
    let (x, y, _) = two_stories(&mut store);
    store.write(|w| w.merge_story(y, x, NOW)).unwrap();
    assert_eq!(store.article_record("b1").unwrap().unwrap().story, x);
}

#[test]
fn a_story_gives_its_own_links_and_the_term_counts_of_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = new_store(&dir);
    let (x, y, articles) = two_stories(&mut store);
    let link = |a: &str, b: &str, kind, score| KeptLink { a: a.to_owned(), b: b.to_owned(), kind, score };
    assert_eq!(
        store.story_links(x).unwrap(),
        [
            link("a1", "a2", LinkKind::Copy, 1.0),
            link("a1", "a3", LinkKind::Story, 0.4),
            link("a2", "a3", LinkKind::Story, 0.2)
        ]
    );
    assert!(store.story_links(y).unwrap().is_empty());
    let counts = store.story_term_counts(x).unwrap();
    let days: Vec<Option<i64>> = counts.iter().map(|(day, _)| *day).collect();
    let expected: Vec<Option<i64>> = articles[..3].iter().map(|a| a.published.map(|d| d.days_since_epoch())).collect();
    assert_eq!(days, expected, "in id order, with their days");
    assert_eq!(counts[2].1.counts, count_terms(&articles[2], &RepresentConfig::default()).counts);
}

#[test]
fn document_frequencies_read_without_a_transaction_are_those_an_add_reads() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = new_store(&dir);
    let (_, _, articles) = two_stories(&mut store);
    let config = RepresentConfig::default();
    let mut terms = TermSet::default();
    for article in &articles {
        terms.extend(count_terms(article, &config).counts.iter().map(|&(t, _)| t));
    }
    terms.insert(0x5eed);
    let read = store.doc_freq(&terms).unwrap();
    let written = store.write(|w| w.doc_freq(&terms)).unwrap();
    assert_eq!(read.n_docs(), 4);
    let sorted = |counter: &DocFreqCounter| {
        let mut entries: Vec<_> = counter.entries().collect();
        entries.sort_unstable();
        entries
    };
    assert_eq!(sorted(&read), sorted(&written));
    assert!(!sorted(&read).iter().any(|e| e.0 == 0x5eed), "a term no article holds has no count");
}

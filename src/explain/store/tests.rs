//! Unit tests of `explain --store` on small hand-made articles added to a
//! store: copies and a chain of copies as recorded, two reports of one
//! event joined by a kept link, stories scored now (unrelated ones, and two
//! the rule would merge), and the path of kept links when there is none.

use super::super::tests::{article, feed};
use super::super::write_stored_text;
use super::*;
use crate::live::{self, AddConfig};
use crate::pipeline::NoProgress;
use crate::store::{Access, DEFAULT_WAIT};

const NOW: &str = "2026-12-05T10:00:00Z";

/// A store holding `articles`, added in one batch.
fn store_of(dir: &tempfile::TempDir, articles: Vec<crate::article::Article>) -> Store {
    let path = dir.path().join("news.db");
    let mut store = Store::open(&path, Access::Write, DEFAULT_WAIT).unwrap();
    live::add(&mut store, articles, &Config::default(), &AddConfig::default(), NOW, &NoProgress).unwrap();
    store
}

fn explained(store: &Store, a: &str, b: &str) -> StoreExplanation {
    let (a, b) = (store.article_record(a).unwrap().unwrap(), store.article_record(b).unwrap().unwrap());
    explain_stored(store, &a, &b, &Config::default()).unwrap()
}

#[test]
fn copies_are_one_group_by_their_kept_copy_link() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_of(&dir, feed());
    let explanation = explained(&store, "copy1", "copy2");
    let dups = &explanation.duplicates;
    assert!(dups.same_group && dups.linked && dups.chain.is_empty(), "{dups:?}");
    let recorded = explanation.copy_link.expect("a kept copy link");
    // The text and settings are those of the add: the estimate recomputed
    // now is the one recorded.
    assert_eq!(recorded, dups.estimated);
    assert_eq!((explanation.a.side.group_size, explanation.b.side.group_size), (2, 2));
    assert!(explanation.story.same_story);
    let StoredDecision::Links { path } = &explanation.story.decision else {
        panic!("{:?}", explanation.story.decision)
    };
    assert!(path.len() == 1 && path[0].from == "copy1" && path[0].to == "copy2", "{path:?}");
    let mut text = Vec::new();
    write_stored_text(&explanation, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("Copies, as recorded: yes, linked directly (copy link"), "{text}");
    assert!(text.contains("recomputed from the stored texts"), "{text}");
}

#[test]
fn a_chain_of_copies_is_named_by_its_kept_links() {
    let words: Vec<String> = (0..160).map(|i| format!("word{i}")).collect();
    let window = |from: usize| words[from..from + 100].join(" ");
    let mut articles = feed();
    for (id, from) in [("chain1", 0), ("chain2", 30), ("chain3", 60)] {
        articles.push(article(id, "", "2024-05-06", &window(from)));
    }
    let dir = tempfile::tempdir().unwrap();
    let store = store_of(&dir, articles);
    let explanation = explained(&store, "chain1", "chain3");
    let dups = &explanation.duplicates;
    assert!(dups.same_group && !dups.linked && explanation.copy_link.is_none(), "{dups:?}");
    let steps: Vec<(&str, &str)> = dups.chain.iter().map(|l| (l.from.as_str(), l.to.as_str())).collect();
    assert_eq!(steps, [("chain1", "chain2"), ("chain2", "chain3")]);
    assert!(dups.chain.iter().all(|l| l.resemblance >= dups.threshold), "{dups:?}");
    assert!(dups.estimated < dups.threshold, "the outer two are no copies by themselves: {dups:?}");
}

#[test]
fn two_reports_of_one_event_are_joined_by_their_kept_story_link() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_of(&dir, feed());
    let explanation = explained(&store, "quake1", "quake2");
    assert!(explanation.story.same_story && !explanation.duplicates.same_group);
    let StoredDecision::Links { path } = &explanation.story.decision else {
        panic!("{:?}", explanation.story.decision)
    };
    assert_eq!(path.len(), 1, "{path:?}");
    assert_eq!((path[0].kind, path[0].from.as_str(), path[0].to.as_str()), ("story", "quake1", "quake2"));
    let words: Vec<&str> = explanation.terms.shared.iter().map(|t| t.word.as_str()).collect();
    assert!(words.contains(&"Nieto") && words.contains(&"Valparaiso"), "{words:?}");
    assert_eq!(explanation.a.side.story, explanation.b.side.story);
    assert_eq!((explanation.a.first_seen.as_str(), explanation.a.last_seen.as_str()), (NOW, NOW));
}

#[test]
fn two_one_article_stories_score_now_as_their_pair_does() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_of(&dir, feed());
    let explanation = explained(&store, "vote", "chess");
    assert!(!explanation.story.same_story);
    let StoredDecision::Apart { now } = explanation.story.decision else { panic!("{:?}", explanation.story.decision) };
    assert_eq!(now.sizes, [1, 1]);
    assert!((now.mean_cosine - f64::from(explanation.terms.cosine)).abs() < 1e-6, "{now:?}");
    assert!((now.date_factor - f64::from(explanation.dates.date_factor)).abs() < 1e-6, "{now:?}");
    assert!((now.threshold - f64::from(explanation.dates.threshold)).abs() < 1e-6, "{now:?}");
    assert!(!now.may_merge(), "{now:?}");
    assert_eq!(explanation.documents, 6, "the copies count once");
}

#[test]
fn a_story_of_two_groups_scores_as_the_mean_of_its_cross_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_of(&dir, feed());
    let explanation = explained(&store, "copy1", "vote");
    let StoredDecision::Apart { now } = explanation.story.decision else { panic!("{:?}", explanation.story.decision) };
    assert_eq!(now.sizes, [2, 1], "the whole story of the copies against the vote");
    assert!(now.similarity < now.threshold, "{now:?}");
}

fn record(id: &str) -> ArticleRecord {
    ArticleRecord {
        article: article(id, "", "2024-05-06", ""),
        story: crate::store::StoryId { first_day: 19_849, seq: 1 },
        dup_group: None,
        counts: TermCounts::default(),
        first_seen: NOW.to_owned(),
        last_seen: NOW.to_owned(),
    }
}

fn kept(a: &str, b: &str, kind: LinkKind, score: f32) -> KeptLink {
    KeptLink { a: a.to_owned(), b: b.to_owned(), kind, score }
}

#[test]
fn kept_links_give_the_shortest_path_or_each_ones_strongest_link() {
    let links = [
        kept("a", "x", LinkKind::Story, 0.2),
        kept("x", "y", LinkKind::Copy, 0.9),
        kept("b", "y", LinkKind::Story, 0.3),
        kept("a", "z", LinkKind::Story, 0.5),
    ];
    let StoredDecision::Links { path } = story_path(&links, &record("a"), &record("b")) else { panic!() };
    let steps: Vec<(&str, &str, &str)> = path.iter().map(|s| (s.from.as_str(), s.to.as_str(), s.kind)).collect();
    assert_eq!(steps, [("a", "x", "story"), ("x", "y", "copy"), ("y", "b", "story")]);

    let apart = [kept("a", "x", LinkKind::Story, 0.2), kept("a", "z", LinkKind::Story, 0.5)];
    let StoredDecision::Unlinked { strongest } = story_path(&apart, &record("a"), &record("b")) else { panic!() };
    let [Some(of_a), None] = strongest else { panic!("{strongest:?}") };
    assert_eq!((of_a.from.as_str(), of_a.to.as_str(), of_a.score), ("a", "z", 0.5));
}

#[test]
fn two_stories_the_rule_would_merge_now_are_said_to_be_so() {
    // Two reports of one event, put in two stories by hand (as no add
    // would keep them): their stories now pass the merge rule.
    let articles: Vec<_> = feed().into_iter().filter(|a| a.id.starts_with("quake")).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("news.db"), Access::Write, DEFAULT_WAIT).unwrap();
    store
        .write(|w| {
            for article in &articles {
                let story = w.new_story(article.published.unwrap().days_since_epoch(), NOW)?;
                let counts = represent::count_terms(article, &Config::default().represent);
                let fingerprint = crate::fingerprint::fingerprint(&article.body, &Config::default().fingerprint);
                let copy_keys = crate::fingerprint::copy_keys(&fingerprint, &Config::default().fingerprint);
                let stored = crate::store::StoredArticle {
                    article,
                    story,
                    dup_group: None,
                    content_hash: crate::store::content_hash(article),
                    counts: &counts,
                    counted: true,
                    fingerprint: &fingerprint,
                    copy_keys: &copy_keys,
                };
                w.put_articles(&[stored], NOW)?;
            }
            Ok(())
        })
        .unwrap();
    let explanation = explained(&store, "quake1", "quake2");
    let StoredDecision::Apart { now } = explanation.story.decision else { panic!("{:?}", explanation.story.decision) };
    assert!(now.may_merge(), "{now:?}");
    let mut text = Vec::new();
    write_stored_text(&explanation, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("Different stories") && text.contains("the rule lets them merge now"), "{text}");
}

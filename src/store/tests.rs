//! Unit tests of the story store: new, missing, foreign, newer, truncated and busy files; failed writes; story ids and merges; listing, removal and expiry.

use super::*;
use crate::article::Article;
use crate::fingerprint::Fingerprint;
use crate::hashes::TermSet;
use crate::represent::{Language, TermCounts};
use write::LinkKind;

pub(super) const NOW: &str = "2026-12-05T10:00:00Z";

fn day(s: &str) -> i64 {
    Date::parse_iso(s).unwrap().days_since_epoch()
}

pub(super) fn new_store(dir: &tempfile::TempDir) -> (PathBuf, Store) {
    let path = dir.path().join("news.db");
    let store = Store::open(&path, Access::Write, DEFAULT_WAIT).unwrap();
    (path, store)
}

#[test]
fn a_new_store_is_created_marked_and_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = new_store(&dir);
    drop(store);
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!((version, app, mode.as_str()), (SCHEMA_VERSION, APPLICATION_ID, "wal"));
    drop(conn);
    let store = Store::open(&path, Access::Read, DEFAULT_WAIT).unwrap();
    assert_eq!(store.story_count().unwrap(), 0);
    let _ = Store::open(&path, Access::Write, DEFAULT_WAIT).unwrap();
}

#[test]
fn reading_a_missing_store_names_it_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let err = Store::open(&path, Access::Read, DEFAULT_WAIT).err().unwrap();
    assert!(matches!(err, StoreError::Missing(_)));
    assert!(err.to_string().contains("none.db"), "{err}");
    assert!(!path.exists());
}

#[test]
fn a_file_that_is_not_a_store_is_refused_by_name_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "these are not the pages you are looking for\n".repeat(200)).unwrap();
    let before = std::fs::read(&text).unwrap();
    for access in [Access::Read, Access::Write] {
        let err = Store::open(&text, access, DEFAULT_WAIT).err().unwrap();
        assert!(matches!(err, StoreError::NotAStore { .. }), "{err:?}");
        assert!(err.to_string().contains("notes.db"), "{err}");
    }
    assert_eq!(std::fs::read(&text).unwrap(), before, "the file was changed");

    let other = dir.path().join("other.db");
    Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").unwrap();
    let err = Store::open(&other, Access::Write, DEFAULT_WAIT).err().unwrap();
    assert!(err.to_string().contains("another program"), "{err}");
}

#[test]
fn a_store_of_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = new_store(&dir);
    drop(store);
    Connection::open(&path).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    for access in [Access::Read, Access::Write] {
        let err = Store::open(&path, access, DEFAULT_WAIT).err().unwrap();
        assert!(matches!(err, StoreError::Newer { found, .. } if found == SCHEMA_VERSION + 1), "{err:?}");
        assert!(err.to_string().contains("news.db") && err.to_string().contains("newer"), "{err}");
    }
}

#[test]
fn a_truncated_store_gives_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    store
        .write(|w| {
            for i in 0..2_000 {
                w.new_story(day("2024-09-23") + i % 40, NOW)?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    // Fold the write-ahead log into the file, then cut the file in half.
    Connection::open(&path).unwrap().pragma_update(None, "journal_mode", "DELETE").unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    for access in [Access::Read, Access::Write] {
        let err = Store::open(&path, access, DEFAULT_WAIT).and_then(|s| s.story_count()).err().unwrap();
        assert!(err.to_string().contains("news.db"), "{err}");
    }
}

#[test]
fn a_second_writer_waits_then_stops_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut first) = new_store(&dir);
    first
        .write(|w| {
            w.new_story(day("2024-09-23"), NOW)?;
            let mut second = Store::open(&path, Access::Write, Duration::from_millis(50))?;
            let err = second.write(|w| w.new_story(day("2024-09-23"), NOW)).err().unwrap();
            assert!(matches!(err, StoreError::Busy(_)), "{err:?}");
            assert!(err.to_string().contains("news.db") && err.to_string().contains("another"), "{err}");
            // A reader still sees the store as it was before this write.
            let reader = Store::open(&path, Access::Read, DEFAULT_WAIT)?;
            assert_eq!(reader.story_count()?, 0);
            Ok(())
        })
        .unwrap();
    assert_eq!(first.story_count().unwrap(), 1);
}

#[test]
fn a_failed_write_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let result: Result<(), StoreError> = store.write(|w| {
        w.new_story(day("2024-09-23"), NOW)?;
        Err(StoreError::Busy(path.clone()))
    });
    assert!(result.is_err());
    assert_eq!(store.story_count().unwrap(), 0);
}

#[test]
fn story_ids_count_per_day_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut store) = new_store(&dir);
    let ids = store
        .write(|w| {
            Ok([
                w.new_story(day("2024-09-23"), NOW)?,
                w.new_story(day("2024-09-23"), NOW)?,
                w.new_story(day("2024-09-24"), NOW)?,
                w.new_story(day("2024-09-23"), NOW)?,
            ])
        })
        .unwrap();
    let shown: Vec<String> = ids.iter().map(StoryId::to_string).collect();
    assert_eq!(shown, ["2024-09-23-1", "2024-09-23-2", "2024-09-24-1", "2024-09-23-3"]);
    for id in ids {
        assert_eq!(StoryId::parse(&id.to_string()), Some(id));
    }
    let mut sorted = ids;
    sorted.sort();
    assert_eq!(sorted, [ids[0], ids[1], ids[3], ids[2]], "ids sort by first appearance");
    for bad in ["", "2024-09-23", "2024-09-23-0", "2024-09-23-01", "2024-13-01-1", "s1", "2024-09-23-x"] {
        assert_eq!(StoryId::parse(bad), None, "{bad}");
    }
}

#[test]
fn a_merged_story_leads_to_the_one_that_absorbed_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut store) = new_store(&dir);
    let (a, b, c) = store
        .write(|w| {
            let ids = (
                w.new_story(day("2024-09-20"), NOW)?,
                w.new_story(day("2024-09-21"), NOW)?,
                w.new_story(day("2024-09-22"), NOW)?,
            );
            w.merge_story(ids.2, ids.1, NOW)?;
            w.merge_story(ids.1, ids.0, NOW)?;
            Ok(ids)
        })
        .unwrap();
    for id in [a, b, c] {
        assert_eq!(store.resolve_story(id).unwrap(), Some(a));
    }
    assert_eq!(store.resolve_story(StoryId { first_day: day("2024-09-25"), seq: 1 }).unwrap(), None);
    // An id is never given again, even after its story was merged away.
    let d = store.write(|w| w.new_story(day("2024-09-21"), NOW)).unwrap();
    assert_eq!(d.to_string(), "2024-09-21-2");
}

fn article(id: &str, source: &str, title: &str, published: &str, body: &str) -> Article {
    Article {
        id: id.to_owned(),
        source: source.to_owned(),
        title: title.to_owned(),
        url: format!("https://{source}/{id}"),
        published: Date::parse_iso(published),
        body: body.to_owned(),
        origin: crate::article::Origin::file("test"),
        extra: Default::default(),
    }
}

/// Two stories: `x` with a copy pair (a1, a2) and a third report (a3), and
/// `y` with one article (b1).
pub(super) fn two_stories(store: &mut Store) -> (StoryId, StoryId, Vec<Article>) {
    let articles = vec![
        article("a1", "one.example", "Dam opens", "2024-09-23", "The dam opened."),
        article("a2", "two.example", "Dam opens", "2024-09-23", "The dam opened."),
        article("a3", "two.example", "Floodgates open at dam", "2024-09-24", "Floodgates opened."),
        article("b1", "one.example", "Budget passes", "2024-09-24", "The budget passed."),
    ];
    let (x, y) = store
        .write(|w| {
            let x = w.new_story(day("2024-09-23"), NOW)?;
            let y = w.new_story(day("2024-09-24"), NOW)?;
            let counts: Vec<TermCounts> =
                articles.iter().map(|a| crate::represent::count_terms(a, &Default::default())).collect();
            let fingerprints: Vec<Fingerprint> =
                articles.iter().map(|a| crate::fingerprint::fingerprint(&a.body, &Default::default())).collect();
            let placed = [(x, Some("a1")), (x, Some("a1")), (x, None), (y, None)];
            let stored: Vec<StoredArticle<'_>> = articles
                .iter()
                .zip(counts.iter().zip(&fingerprints))
                .zip(placed)
                .map(|((a, (counts, fingerprint)), (story, dup_group))| StoredArticle {
                    article: a,
                    story,
                    dup_group,
                    content_hash: write::content_hash(a),
                    counts,
                    counted: true,
                    fingerprint,
                    copy_keys: &[],
                })
                .collect();
            w.put_articles(&stored, NOW)?;
            w.put_links(&[
                ("a1", "a2", LinkKind::Copy, 1.0),
                ("a1", "a3", LinkKind::Story, 0.4),
                ("a2", "a3", LinkKind::Story, 0.2),
            ])?;
            w.refresh(&[x, y].into(), Some(NOW))?;
            Ok((x, y))
        })
        .unwrap();
    (x, y, articles)
}

#[test]
fn stored_stories_load_back_as_a_clustering_with_their_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let (x, y, articles) = two_stories(&mut store);
    let loaded = store.load(&[y, x]).unwrap();
    assert_eq!(loaded.ids, [y, x], "in the order asked for");
    let ids: Vec<Vec<&str>> = loaded
        .clustering
        .stories
        .iter()
        .map(|s| s.members.iter().map(|&m| loaded.articles[m].id.as_str()).collect())
        .collect();
    assert_eq!(ids, [vec!["b1"], vec!["a1", "a2", "a3"]]);
    assert_eq!(loaded.clustering.stories[1].id, x.to_string());
    assert_eq!(loaded.clustering.stories[1].dup_groups.len(), 1);
    assert_eq!(loaded.clustering.stories[1].links.len(), 2);
    assert_eq!(loaded.articles[1].body, articles[0].body);
    // The summary columns, as any SQLite client reads them; a3 takes part
    // in the strongest story links (0.4 + 0.2), so it heads the story.
    let conn = Connection::open(&path).unwrap();
    let (headline, n, sources, first, last, dups): (String, i64, i64, String, String, i64) = conn
        .query_row(
            "SELECT headline, articles, sources, first_published, last_published, duplicate_groups FROM stories WHERE id = ?1",
            [x.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    assert_eq!(
        (headline.as_str(), n, sources, first.as_str(), last.as_str(), dups),
        ("Floodgates open at dam", 3, 2, "2024-09-23", "2024-09-24", 1)
    );
}

#[test]
fn removed_articles_leave_no_trace_and_empty_stories_disappear() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let (x, y, _) = two_stories(&mut store);
    store
        .write(|w| {
            let touched = w.remove_articles(&["a1", "b1", "zz"])?;
            assert_eq!(touched, [x, y].into());
            w.refresh(&touched, Some(NOW))
        })
        .unwrap();
    let conn = Connection::open(&path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM articles WHERE id IN ('a1', 'b1')"), 0);
    assert_eq!(count("SELECT count(*) FROM links WHERE a = 'a1' OR b = 'a1'"), 0);
    assert_eq!(count("SELECT count(*) FROM articles WHERE dup_group = 'a1'"), 0);
    assert_eq!(count("SELECT count(*) FROM stories WHERE headline_article IN ('a1', 'b1')"), 0);
    assert_eq!(store.resolve_story(y).unwrap(), None, "the emptied story is gone");
    let loaded = store.load(&[x]).unwrap();
    assert_eq!(loaded.articles.len(), 2);
    assert!(loaded.clustering.stories[0].dup_groups.is_empty(), "a group of one is no group");
    // The emptied story's id is not given again.
    let next = store.write(|w| w.new_story(day("2024-09-24"), NOW)).unwrap();
    assert_eq!(next.to_string(), "2024-09-24-2");
}

#[test]
fn document_frequencies_count_stored_articles_and_lose_removed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let (x, _, articles) = two_stories(&mut store);
    let config = crate::represent::RepresentConfig::default();
    let counts: Vec<TermCounts> = articles.iter().map(|a| crate::represent::count_terms(a, &config)).collect();
    let terms: TermSet = counts.iter().flat_map(|c| c.counts.iter().map(|&(t, _)| t)).collect();
    // The store's frequencies are those of a batch run over the same four
    // documents (`two_stories` counts every article).
    let batch = crate::represent::DocFreq::new(&counts, &[0, 1, 2, 3]);
    let stored = store.write(|w| w.doc_freq(&terms)).unwrap().finish();
    assert_eq!(stored.n_docs(), 4);
    for &term in &terms {
        assert_eq!(stored.idf(term, Language::ENGLISH), batch.idf(term, Language::ENGLISH));
        assert_eq!(stored.nameness(term, Language::ENGLISH), batch.nameness(term, Language::ENGLISH));
    }
    store
        .write(|w| {
            let touched = w.remove_articles(&["a1", "a2", "a3", "b1"])?;
            w.refresh(&touched, Some(NOW))
        })
        .unwrap();
    let conn = Connection::open(&path).unwrap();
    let rows: i64 = conn.query_row("SELECT count(*) FROM doc_freq", [], |r| r.get(0)).unwrap();
    let documents: i64 = conn.query_row("SELECT value FROM totals WHERE name = 'documents'", [], |r| r.get(0)).unwrap();
    assert_eq!((rows, documents), (0, 0), "no trace of the removed articles' terms");
    assert_eq!(store.resolve_story(x).unwrap(), None);
}

/// Stores `articles` (id, story index, dup group) in stories made on the
/// days given, each story stamped with its own `now`; returns the story ids.
fn store_stories(
    store: &mut Store,
    stories: &[(&str, &str)],
    articles: &[(&Article, usize, Option<&str>)],
) -> Vec<StoryId> {
    store
        .write(|w| {
            let ids: Vec<StoryId> =
                stories.iter().map(|&(first, now)| w.new_story(day(first), now)).collect::<Result<_, _>>()?;
            for &(a, k, dup) in articles {
                let counts = crate::represent::count_terms(a, &Default::default());
                let fingerprint = crate::fingerprint::fingerprint(&a.body, &Default::default());
                let stored = StoredArticle {
                    article: a,
                    story: ids[k],
                    dup_group: dup,
                    content_hash: content_hash(a),
                    counts: &counts,
                    counted: true,
                    fingerprint: &fingerprint,
                    copy_keys: &[],
                };
                w.put_articles(&[stored], stories[k].1)?;
            }
            for (k, &(_, now)) in stories.iter().enumerate() {
                w.refresh(&[ids[k]].into(), Some(now))?;
            }
            Ok(ids)
        })
        .unwrap()
}

#[test]
fn removing_a_group_head_passes_the_group_on_and_replaces_the_headline() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let a = [
        article("a1", "one.example", "Dam opens", "2024-09-23", "The dam opened at dawn."),
        article("a2", "two.example", "Dam opens", "2024-09-23", "The dam opened at dawn."),
        article("a3", "six.example", "Dam opens", "2024-09-23", "The dam opened at dawn."),
        article("a4", "two.example", "Floodgates open", "2024-09-24", "Floodgates opened."),
    ];
    let ids = store_stories(
        &mut store,
        &[("2024-09-23", NOW)],
        &[(&a[0], 0, Some("a1")), (&a[1], 0, Some("a1")), (&a[2], 0, Some("a1")), (&a[3], 0, None)],
    );
    let removal = store.write(|w| w.remove(&["a1", "a4", "nope", "a1"])).unwrap();
    assert_eq!(removal.removed, ["a1", "a4"]);
    assert_eq!(removal.not_stored, ["nope"]);
    assert!(removal.gone.is_empty());
    assert_eq!(removal.updated, [UpdatedStory { id: ids[0], articles: 2, headline: "Dam opens".to_owned() }]);
    let loaded = store.load(&ids).unwrap();
    let groups = &loaded.clustering.stories[0].dup_groups;
    assert_eq!(groups.len(), 1, "the two copies left are still one group");
    let conn = Connection::open(&path).unwrap();
    let groups: Vec<Option<String>> = conn
        .prepare("SELECT dup_group FROM articles ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(groups, [Some("a2".to_owned()), Some("a2".to_owned())]);
    let headline_article: String = conn.query_row("SELECT headline_article FROM stories", [], |r| r.get(0)).unwrap();
    assert_eq!(headline_article, "a2");

    // One copy left is no group.
    store.write(|w| w.remove(&["a3"])).unwrap();
    let group: Option<String> = conn.query_row("SELECT dup_group FROM articles", [], |r| r.get(0)).unwrap();
    assert_eq!(group, None);
}

#[test]
fn expiry_removes_articles_published_before_the_date_and_undated_ones_first_seen_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let a = [
        article("old", "one.example", "Old news", "2024-09-20", "Old."),
        article("new", "one.example", "New news", "2024-09-23", "New."),
        article("undated-early", "two.example", "Undated early", "", "Early."),
        article("undated-late", "two.example", "Undated late", "", "Late."),
    ];
    let ids = store_stories(
        &mut store,
        &[("2024-09-20", "2024-09-20T08:00:00Z"), ("2024-09-23", "2024-09-23T08:00:00Z")],
        &[(&a[0], 0, None), (&a[2], 0, None), (&a[1], 1, None)],
    );
    let late = store_stories(&mut store, &[("2024-09-25", "2024-09-25T08:00:00Z")], &[(&a[3], 0, None)]);
    let removal = store.write(|w| w.expire(Date::parse_iso("2024-09-23").unwrap())).unwrap();
    assert_eq!(removal.removed, ["old", "undated-early"]);
    assert_eq!(removal.gone, [ids[0]]);
    assert!(removal.updated.is_empty() && removal.not_stored.is_empty());
    let conn = Connection::open(&path).unwrap();
    let left: Vec<String> = conn
        .prepare("SELECT id FROM articles ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(left, ["new", "undated-late"]);
    assert_eq!(store.resolve_story(ids[0]).unwrap(), None);
    assert_eq!(store.resolve_story(late[0]).unwrap(), Some(late[0]));
    // Nothing before the date left: a second expiry changes nothing.
    assert_eq!(store.write(|w| w.expire(Date::parse_iso("2024-09-23").unwrap())).unwrap(), Removal::default());
}

#[test]
fn removed_text_is_overwritten_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let secret = "Xylophone-whisper-8841 is the informant's name";
    let a = [
        article("t1", "one.example", "Takedown", "2024-09-23", &format!("{secret}. {}", "More text. ".repeat(400))),
        article("t2", "one.example", "Stays", "2024-09-23", "Other text."),
    ];
    store_stories(&mut store, &[("2024-09-23", NOW)], &[(&a[0], 0, None), (&a[1], 0, None)]);
    let on_disk = |path: &Path| -> bool {
        let mut bytes = std::fs::read(path).unwrap_or_default();
        bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
        bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
    };
    assert!(store.checkpoint().unwrap(), "no reader holds the log");
    assert!(on_disk(&path), "the test text is on disk before the removal");
    store.write(|w| w.remove(&["t1"])).unwrap();
    assert!(store.checkpoint().unwrap());
    assert!(!on_disk(&path), "the removed text is still in the file");
}

#[test]
fn stories_are_listed_newest_activity_first_and_filtered() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut store) = new_store(&dir);
    let a = [
        article("p1", "one.example", "Port strike", "2024-09-20", "Strike."),
        article("p2", "two.example", "Port strike grows", "2024-09-21", "Strike grows."),
        article("q1", "one.example", "Quake", "2024-09-22", "Quake."),
        article("r1", "one.example", "Rally", "2024-09-23", "Rally."),
        article("u1", "one.example", "Undated", "", "Undated."),
    ];
    let ids = store_stories(
        &mut store,
        &[
            ("2024-09-20", "2024-09-22T09:00:00Z"),
            ("2024-09-22", "2024-09-22T09:00:00Z"),
            ("2024-09-23", "2024-09-21T09:00:00Z"),
            ("2024-09-24", "2024-09-24T09:00:00Z"),
        ],
        &[(&a[0], 0, None), (&a[1], 0, None), (&a[2], 1, None), (&a[3], 2, None), (&a[4], 3, None)],
    );
    let now = 1_727_172_000; // 2024-09-24T10:00:00Z
    assert_eq!(timestamp(now), "2024-09-24T10:00:00Z");
    let list = |store: &Store, since: Option<&str>, min_articles: usize| {
        let filter = StoryFilter { since: since.map(|s| Since::parse(s).unwrap()), min_articles };
        store.stories(&filter, now).unwrap()
    };
    // Latest change first; of two changed at once, the later published.
    assert_eq!(list(&store, None, 0), [ids[3], ids[1], ids[0], ids[2]]);
    assert_eq!(list(&store, None, 2), [ids[0]]);
    // By date: published or changed on or after it.
    assert_eq!(list(&store, Some("2024-09-23"), 0), [ids[3], ids[2]]);
    // By duration from now: changed within 2 hours, or published within a day.
    assert_eq!(list(&store, Some("2h"), 0), [ids[3]]);
    assert_eq!(list(&store, Some("1d"), 0), [ids[3], ids[2]]);
    assert_eq!(list(&store, Some("1w"), 0).len(), 4);
    // A merged story is not listed; its record is on the one that took it.
    store.write(|w| w.merge_story(ids[2], ids[1], "2024-09-24T09:30:00Z")).unwrap();
    store.write(|w| w.refresh(&[ids[1]].into(), None)).unwrap();
    assert_eq!(list(&store, None, 0), [ids[1], ids[3], ids[0]]);
    let records = store.story_records(&[ids[1], ids[2]]).unwrap();
    assert_eq!(records[0].merged, [ids[2]]);
    assert_eq!(
        (records[0].first_seen.as_str(), records[0].last_seen.as_str()),
        ("2024-09-22T09:00:00Z", "2024-09-24T09:30:00Z")
    );
    assert!(records[1].merged.is_empty());
}

#[test]
fn since_takes_a_date_or_hours_days_weeks() {
    assert_eq!(Since::parse("2024-09-23"), Ok(Since::Date(Date::parse_iso("2024-09-23").unwrap())));
    assert_eq!(Since::parse("24h"), Ok(Since::Seconds(86_400)));
    assert_eq!(Since::parse("7d"), Ok(Since::Seconds(7 * 86_400)));
    assert_eq!(Since::parse("2w"), Ok(Since::Seconds(14 * 86_400)));
    for bad in ["", "h", "-1d", "3y", "1.5d", "2024-13-01", "yesterday", "99999999999999999w"] {
        assert!(Since::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
    assert_eq!(timestamp(-1), "1969-12-31T23:59:59Z");
}

#[test]
fn a_listing_reads_only_the_bodies_of_untitled_articles() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut store) = new_store(&dir);
    let a = [
        article("h1", "one.example", "Titled", "2024-09-23", "A long titled text."),
        article("h2", "one.example", "", "2024-09-23", "Untitled text opens here."),
    ];
    let ids = store_stories(&mut store, &[("2024-09-23", NOW)], &[(&a[0], 0, None), (&a[1], 0, None)]);
    let heads = store.load_heads(&ids).unwrap();
    let bodies: Vec<&str> = heads.articles.iter().map(|a| a.body.as_str()).collect();
    assert_eq!(bodies, ["", "Untitled text opens here."]);
    assert_eq!(heads.clustering.stories.len(), 1);
    assert_eq!(store.load(&ids).unwrap().articles[0].body, "A long titled text.");
}

/// The statements a removal runs per article or per story find their rows
/// through an index: a full scan each would make removing a day from a
/// large store quadratic.
#[test]
fn removal_statements_search_indexes_rather_than_scan() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = new_store(&dir);
    drop(store);
    let conn = Connection::open(&path).unwrap();
    for sql in [
        "DELETE FROM links WHERE a = ?1 OR b = ?1",
        "DELETE FROM articles WHERE id = ?1",
        "SELECT id FROM articles WHERE story = ?1 AND dup_group = ?2",
        "DELETE FROM stories WHERE merged_into = ?1",
        "SELECT first_seen, last_seen FROM stories WHERE id = ?1",
    ] {
        let n_params = if sql.contains("?2") { 2 } else { 1 };
        let params = &rusqlite::params!["x", "y"][..n_params];
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(params, |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(plan.iter().all(|step| !step.starts_with("SCAN")), "{sql}: {plan:?}");
    }
}

/// Puts `articles` in one new story, each counted, with the term counts
/// of this build passed through `as_written` (how an older build would
/// have written them).
fn put_counted(store: &mut Store, articles: &[Article], as_written: impl Fn(TermCounts) -> TermCounts) {
    store
        .write(|w| {
            let story = w.new_story(day("2024-09-23"), NOW)?;
            let counts: Vec<TermCounts> = articles
                .iter()
                .map(|a| crate::represent::count_terms(a, &Default::default()))
                .map(&as_written)
                .collect();
            let fingerprints: Vec<Fingerprint> =
                articles.iter().map(|a| crate::fingerprint::fingerprint(&a.body, &Default::default())).collect();
            let stored: Vec<StoredArticle<'_>> = articles
                .iter()
                .zip(counts.iter().zip(&fingerprints))
                .map(|(a, (counts, fingerprint))| StoredArticle {
                    article: a,
                    story,
                    dup_group: None,
                    content_hash: write::content_hash(a),
                    counts,
                    counted: true,
                    fingerprint,
                    copy_keys: &[],
                })
                .collect();
            w.put_articles(&stored, NOW)?;
            w.refresh(&[story].into(), Some(NOW))
        })
        .unwrap();
}

/// Two stores of `articles`, each in a folder of its own: one as this
/// build writes them, one with its term counts passed through `as_written`
/// (as an older build wrote them).
fn stores_now_and_old(
    articles: &[Article],
    as_written: impl Fn(TermCounts) -> TermCounts,
) -> ((tempfile::TempDir, PathBuf), (tempfile::TempDir, PathBuf)) {
    let now_dir = tempfile::tempdir().unwrap();
    let (now_path, mut store) = new_store(&now_dir);
    put_counted(&mut store, articles, |c| c);
    drop(store);
    let old_dir = tempfile::tempdir().unwrap();
    let (old_path, mut store) = new_store(&old_dir);
    put_counted(&mut store, articles, as_written);
    drop(store);
    ((now_dir, now_path), (old_dir, old_path))
}

/// Every row of `doc_freq` and `totals`, and every article's term counts,
/// as text.
fn counted_state(path: &Path) -> [Vec<String>; 3] {
    let conn = Connection::open(path).unwrap();
    let rows = |sql: &str| -> Vec<String> {
        conn.prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    [
        rows("SELECT term || ' ' || df || ' ' || capitalised || ' ' || lower FROM doc_freq ORDER BY term"),
        rows("SELECT name || '=' || value FROM totals ORDER BY name"),
        rows("SELECT id || ' ' || hex(term_counts) FROM articles ORDER BY id"),
    ]
}

/// A store of schema version 2 counted a Hindi article's terms as
/// English; opened for writing, it counts them as a store made now does.
#[test]
fn a_version_2_store_counts_its_articles_by_language_after_its_migration() {
    let articles = vec![
        article("e1", "one.example", "Dam opens", "2024-09-23", "The dam opened on the river."),
        article("e2", "two.example", "Budget passes", "2024-09-23", "The budget passed the council."),
        article(
            "h1",
            "hi.example",
            "सरकार ने नई सड़क योजना घोषित की",
            "2024-09-23",
            "राज्य सरकार ने गांवों को जोड़ने के लिए नई सड़क योजना की घोषणा की है।",
        ),
        article(
            "h2",
            "hi.example",
            "सरकार ने किसानों के लिए बीज बांटे",
            "2024-09-23",
            "सरकार ने रबी की फसल से पहले किसानों को मुफ्त बीज बांटे हैं।",
        ),
        article(
            "r1",
            "ar.example",
            "افتتاح محطة لتحلية المياه",
            "2024-09-23",
            "افتتحت السلطات يوم الاثنين أكبر محطة لتحلية مياه البحر في البلاد.",
        ),
    ];
    // Schema version 2 counted every article as English.
    let ((_now_dir, now_path), (_old_dir, old_path)) =
        stores_now_and_old(&articles, |c| TermCounts { language: Language::ENGLISH, ..c });
    let conn = Connection::open(&old_path).unwrap();
    conn.execute_batch(super::storylines::DROP_STORYLINE_TABLES).unwrap();
    conn.execute_batch("DELETE FROM totals WHERE name LIKE 'documents:%'; PRAGMA user_version = 2;").unwrap();
    drop(conn);
    let before = counted_state(&old_path);
    assert_ne!(before, counted_state(&now_path), "the version-2 store counts differently");

    let reopened = Store::open(&old_path, Access::Write, DEFAULT_WAIT).unwrap();
    drop(reopened);
    let version: i64 =
        Connection::open(&old_path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let after = counted_state(&old_path);
    assert_eq!(after, counted_state(&now_path));
    assert_eq!(after[1], ["documents=5", "documents:ara=1", "documents:hin=2"]);
    // English articles kept their counts as written.
    assert_eq!(after[2][..2], before[2][..2]);
    // Removed, the other languages' articles leave no count behind.
    let mut store = Store::open(&old_path, Access::Write, DEFAULT_WAIT).unwrap();
    store.write(|w| w.remove_articles(&["h1", "h2", "r1"]).map(drop)).unwrap();
    drop(store);
    assert_eq!(counted_state(&old_path)[1], ["documents=2"]);
}

/// Before schema version 6, Georgian and Serbian articles (and those of
/// every other language with no tools of its own) were counted as one pool
/// of whole words; opened for writing, such a store counts them as a store
/// made now does (Serbian as Serbo-Croatian, under whatlang's Croatian),
/// and their story's centroid is weighed again at the next add.
#[test]
fn a_version_5_store_counts_the_languages_it_had_no_tools_for_after_its_migration() {
    let articles = vec![
        article("e1", "one.example", "Dam opens", "2024-09-23", "The dam opened on the river."),
        article(
            "k1",
            "ka.example",
            "თბილისში ახალი მეტროს სადგური გაიხსნა",
            "2024-09-23",
            "თბილისში დღეს ახალი მეტროს სადგური გაიხსნა, რომელიც ქალაქის ცენტრს ახალ უბანთან დააკავშირებს.",
        ),
        article(
            "s1",
            "sr.example",
            "Земљотрес погодио Краљево",
            "2024-09-23",
            "Земљотрес јачине 5,8 степени погодио је јутрос Краљево и околна села.",
        ),
    ];
    // Whole words in one pool: here, the first of this build's terms only,
    // so that only counting again from the text gives this build's counts.
    let ((_now_dir, now_path), (_old_dir, old_path)) = stores_now_and_old(&articles, |c| match c.language {
        Language::ENGLISH => c,
        _ => TermCounts {
            counts: c.counts[..1].to_vec(),
            case: Vec::new(),
            uncased: Vec::new(),
            language: Language::OTHER,
        },
    });
    let conn = Connection::open(&old_path).unwrap();
    conn.execute_batch("UPDATE stories SET weighed_at = 7; PRAGMA user_version = 5;").unwrap();
    drop(conn);
    let before = counted_state(&old_path);
    assert_eq!(before[1], ["documents=3", "documents:other=2"]);

    drop(Store::open(&old_path, Access::Write, DEFAULT_WAIT).unwrap());
    let after = counted_state(&old_path);
    assert_eq!(after, counted_state(&now_path));
    assert_eq!(after[1], ["documents=3", "documents:hrv=1", "documents:kat=1"]);
    let conn = Connection::open(&old_path).unwrap();
    let weighed_at: i64 = conn.query_row("SELECT weighed_at FROM stories", [], |r| r.get(0)).unwrap();
    assert_eq!(weighed_at, 0, "the story of recounted articles is weighed again");
}

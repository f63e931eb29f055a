//! Unit tests of the story store: new, missing, foreign, newer, truncated and busy files; failed writes; story ids and merges.

use super::*;

const NOW: &str = "2026-12-05T10:00:00Z";

fn day(s: &str) -> i64 {
    Date::parse_iso(s).unwrap().days_since_epoch()
}

fn new_store(dir: &tempfile::TempDir) -> (PathBuf, Store) {
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

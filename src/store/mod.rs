//! The live story store: one SQLite file that keeps articles and stories
//! between runs, so that each new batch of news joins the stories already
//! known under ids that never change.
//!
//! Owns [`Store`] (opening, creating, checking and locking the file),
//! [`StoreError`], the schema and its version ([`SCHEMA_VERSION`]), and the
//! story ids ([`StoryId`]: the day of a story's first article and a
//! counter, given once and never reused). It must not cluster or compare
//! articles: deciding which story a new article joins is the pipeline's;
//! the store only keeps what was decided, whole or not at all (every change
//! is one SQLite transaction).
//!
//! The file is in WAL mode and readable by any SQLite client while no
//! `add` runs; its tables are documented in ARCHITECTURE.md ("The story
//! store"). A file that is not a store, a damaged one, or one written by a
//! newer schema is refused with an error naming it; two writers never
//! interleave: the second waits for the first, then gives up with a clear
//! message ([`StoreError::Busy`]).
//!
//! | file | owns |
//! |---|---|
//! | `mod.rs` | [`Store`], [`Access`], [`StoreError`], [`StoryId`], the schema; opening, checking, one write transaction ([`Store::write`]), merges followed ([`Store::resolve_story`]) |
//! | `write.rs` | [`Writer`]: new stories, merges, articles put, links, summaries refreshed |
//! | `remove.rs` | [`Writer::remove`], [`Writer::expire`], [`Removal`]: articles deleted with all kept about them; [`Store::checkpoint`] |
//! | `explain.rs` | what `explain --store` reads: [`Store::article_record`] ([`ArticleRecord`]), [`Store::story_links`] ([`KeptLink`]), [`Store::story_term_counts`], [`Store::group_size`], [`Store::doc_freq`] |
//! | `read.rs` | [`Loaded`]: stored stories as the articles and clustering every report takes; the document frequencies read, and each language's document count kept |
//! | `migrate.rs` | the steps from an older schema: to version 3, document frequencies per language; to version 4, storylines for the stories kept |
//! | `storylines.rs` | [`StorylineId`], storylines as kept: each live story's centroid and its terms' inverted list (`story_terms`), a storyline's stories, new storylines, merges, summaries refreshed |
//! | `window.rs` | [`WindowArticle`], [`Window`], [`Selection`]: what an `add` reads of its window (no bodies), the window's copies of a batch through a probe, stored fingerprints kept current |
//! | `query.rs` | [`Store::stories`] with [`StoryFilter`]/[`Since`], [`Store::story_records`] ([`StoryRecord`]: first and last seen, merged ids), [`Store::load_heads`] (stories without the bodies a listing does not show), [`timestamp`] |
//! | `tests.rs` | unit tests |

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::article::Date;

/// The version of the schema this build writes (SQLite's `user_version`).
/// A store of an older version is migrated when opened for writing; one of
/// a newer version is refused.
pub const SCHEMA_VERSION: i64 = 6;

/// SQLite's `application_id` of a storyclust store ("SCST"), so that
/// another program's database is not mistaken for an empty store.
pub const APPLICATION_ID: i64 = 0x5343_5354;

/// How long a writer waits for another one to finish before giving up.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// The band keys of each article's fingerprint (see
/// [`crate::fingerprint::copy_keys`]), apart from the wide article rows so
/// that an add finds the window's copies of its batch by reading a few
/// hundred bytes an article. A row goes with its article. With them, the
/// index of the articles still to fingerprint (empty but after a
/// migration or a change of fingerprint configuration), so that an add
/// finds them without reading every article.
macro_rules! copy_keys_table {
    () => {
        "
CREATE TABLE copy_keys (
    article      INTEGER PRIMARY KEY,
    day          INTEGER,
    first_seen   TEXT NOT NULL,
    keys         BLOB NOT NULL
);
CREATE INDEX copy_keys_by_day ON copy_keys(day);
CREATE INDEX articles_without_fingerprint ON articles(id) WHERE fingerprint IS NULL;
CREATE TRIGGER copy_keys_go_with_articles AFTER DELETE ON articles
BEGIN
    DELETE FROM copy_keys WHERE article = old.rowid;
END;
"
    };
}

/// The schema of version [`SCHEMA_VERSION`], as created in a new file.
const SCHEMA: &str = concat!(
    "
CREATE TABLE stories (
    id               TEXT PRIMARY KEY,
    first_day        INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    merged_into      TEXT REFERENCES stories(id),
    first_seen       TEXT NOT NULL,
    last_seen        TEXT NOT NULL,
    headline         TEXT NOT NULL DEFAULT '',
    headline_article TEXT,
    articles         INTEGER NOT NULL DEFAULT 0,
    sources          INTEGER NOT NULL DEFAULT 0,
    first_published  TEXT,
    last_published   TEXT,
    duplicate_groups INTEGER NOT NULL DEFAULT 0,
    UNIQUE (first_day, seq)
);
CREATE INDEX stories_by_merged_into ON stories(merged_into);
CREATE TABLE story_counters (
    day          INTEGER PRIMARY KEY,
    last_seq     INTEGER NOT NULL
);
CREATE TABLE articles (
    id           TEXT PRIMARY KEY,
    story        TEXT NOT NULL REFERENCES stories(id),
    dup_group    TEXT,
    source       TEXT NOT NULL,
    title        TEXT NOT NULL,
    url          TEXT NOT NULL,
    published    TEXT,
    day          INTEGER,
    body         TEXT NOT NULL,
    content_hash INTEGER NOT NULL,
    term_counts  BLOB NOT NULL,
    counted      INTEGER NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    fingerprint  BLOB
);
CREATE INDEX articles_by_story ON articles(story);
CREATE INDEX articles_by_day ON articles(day);
CREATE INDEX articles_by_last_seen ON articles(last_seen);
CREATE TABLE links (
    a            TEXT NOT NULL REFERENCES articles(id),
    b            TEXT NOT NULL REFERENCES articles(id),
    kind         TEXT NOT NULL CHECK (kind IN ('story', 'copy')),
    score        REAL NOT NULL,
    PRIMARY KEY (a, b, kind)
) WITHOUT ROWID;
CREATE INDEX links_by_b ON links(b);
CREATE TABLE doc_freq (
    term         INTEGER PRIMARY KEY,
    df           INTEGER NOT NULL,
    capitalised  INTEGER NOT NULL,
    lower        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE totals (
    name         TEXT PRIMARY KEY,
    value        INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO totals (name, value) VALUES ('documents', 0);
",
    copy_keys_table!(),
    storylines::storyline_tables!(),
    storylines::weighed_at_column!()
);

/// The page cache of a writing connection, in KiB.
const WRITE_CACHE_KIB: i64 = 64 * 1024;

/// Why a store could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Opened for reading, but there is no such file.
    #[error("{}: no such store (an `add` creates it)", .0.display())]
    Missing(PathBuf),
    /// The file is not a SQLite database, or is damaged.
    #[error("{}: not a storyclust store, or damaged ({detail})", path.display())]
    NotAStore {
        /// The file.
        path: PathBuf,
        /// What SQLite or the check found.
        detail: String,
    },
    /// A store written by a newer storyclust.
    #[error(
        "{}: written by a newer storyclust (schema version {found}); this one reads versions up to {SCHEMA_VERSION}",
        path.display()
    )]
    Newer {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
    },
    /// Another `add` holds the store for longer than the wait.
    #[error("{}: another storyclust is writing to this store; try again when it has finished", .0.display())]
    Busy(PathBuf),
    /// Any other SQLite or file error.
    #[error("{}: {source}", path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

/// A story id: the day of the story's first article (or, for an undated
/// one, of the `add` that first saw it) and a counter within that day,
/// written `2024-09-23-3`. It reads well in a URL, sorts by first
/// appearance when ordered by `(first_day, seq)`, and is given once: a
/// story merged into another keeps its id as a record of the merge, and no
/// other story ever gets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoryId {
    /// Days since 1970-01-01.
    pub first_day: i64,
    /// 1 for the first story of that day, then 2, 3, …
    pub seq: i64,
}

impl StoryId {
    /// Parses `2024-09-23-3`.
    pub fn parse(s: &str) -> Option<StoryId> {
        let (day, seq) = s.rsplit_once('-')?;
        let seq: i64 = seq.parse().ok().filter(|&n| n >= 1)?;
        if seq.to_string() != s[day.len() + 1..] {
            return None;
        }
        Some(StoryId { first_day: Date::parse_iso(day)?.days_since_epoch(), seq })
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", Date::from_days_since_epoch(self.first_day), self.seq)
    }
}

/// An open store.
pub struct Store {
    path: PathBuf,
    conn: Connection,
}

/// How a store is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reading only; the file must exist.
    Read,
    /// Reading and writing; a missing file is created, an older schema
    /// migrated.
    Write,
}

impl Store {
    /// Opens the store at `path`, checking that it is one this build can
    /// use; a writer waits up to `wait` for another writer to finish.
    pub fn open(path: &Path, access: Access, wait: Duration) -> Result<Store, StoreError> {
        let sqlite = |source| StoreError::Sqlite { path: path.to_path_buf(), source };
        if access == Access::Read && !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let flags = match access {
            Access::Read => OpenFlags::SQLITE_OPEN_READ_ONLY,
            Access::Write => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        conn.busy_timeout(wait).map_err(sqlite)?;
        let mut store = Store { path: path.to_path_buf(), conn };
        store.check(access)?;
        Ok(store)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The error for a failed SQLite call, naming the file; a busy
    /// database is [`StoreError::Busy`], a damaged one
    /// [`StoreError::NotAStore`].
    fn error(&self, source: rusqlite::Error) -> StoreError {
        classify(&self.path, source)
    }

    /// Checks the file's identity and version; for a writer, creates the
    /// schema in a new file (or migrates an older one) and turns on WAL.
    fn check(&mut self, access: Access) -> Result<(), StoreError> {
        // Reading the header is where a file that is not SQLite fails.
        let application_id: i64 =
            self.conn.pragma_query_value(None, "application_id", |row| row.get(0)).map_err(|e| self.error(e))?;
        let version: i64 =
            self.conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|e| self.error(e))?;
        let n_tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(|e| self.error(e))?;
        let is_new = application_id == 0 && version == 0 && n_tables == 0;
        if !is_new && application_id != APPLICATION_ID {
            return Err(StoreError::NotAStore {
                path: self.path.clone(),
                detail: "a SQLite database of another program".to_owned(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer { path: self.path.clone(), found: version });
        }
        if access == Access::Read {
            return self.integrity_check();
        }
        self.conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| self.error(e))?;
        // In WAL mode a commit stays atomic without a sync of its own (the
        // log is synced at each checkpoint): a crash loses at most the
        // last adds, never leaves one half done.
        self.conn.pragma_update(None, "synchronous", "NORMAL").map_err(|e| self.error(e))?;
        // An add writes tens of megabytes in one transaction: with SQLite's
        // 2 MB page cache it spills dirty pages to the log mid-way and
        // reads them back, and its statement journals go through a
        // temporary file. The cache only grows as pages are touched.
        self.conn.pragma_update(None, "cache_size", -WRITE_CACHE_KIB).map_err(|e| self.error(e))?;
        self.conn.pragma_update(None, "temp_store", "MEMORY").map_err(|e| self.error(e))?;
        if is_new {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| classify(&self.path, e))?;
            tx.execute_batch(SCHEMA).map_err(|e| classify(&self.path, e))?;
            tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(|e| classify(&self.path, e))?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(|e| classify(&self.path, e))?;
            tx.commit().map_err(|e| classify(&self.path, e))?;
        } else if version < SCHEMA_VERSION {
            self.migrate(version)?;
        }
        self.integrity_check()
    }

    /// Brings a store of an older schema to [`SCHEMA_VERSION`], in one
    /// transaction. Version 1 kept no fingerprints: the column is added
    /// empty, and the next add fingerprints the stored texts
    /// ([`Writer::ensure_fingerprints`]). Versions 1 and 2 counted every
    /// article's terms as English ([`migrate::count_by_language`]).
    fn migrate(&mut self, version: i64) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |e| classify(&path, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(fail)?;
        if version < 2 {
            tx.execute_batch(concat!("ALTER TABLE articles ADD COLUMN fingerprint BLOB;", copy_keys_table!()))
                .map_err(fail)?;
        }
        if version < 3 {
            migrate::count_by_language(&Writer { path: &path, tx: &tx })?;
        }
        if version < 4 {
            // The stories kept get their storylines at the next add
            // (`live`'s storyline step decides them, as it does for new
            // stories): a migration never clusters.
            tx.execute_batch(storylines::storyline_tables!()).map_err(fail)?;
        }
        if version < 5 {
            // Every kept centroid counts as weighed by an empty store: the
            // next add weighs them again, as many as it can.
            tx.execute_batch(storylines::weighed_at_column!()).map_err(fail)?;
        }
        if version < 6 {
            migrate::recount_for_new_languages(&Writer { path: &path, tx: &tx })?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(fail)?;
        tx.commit().map_err(fail)
    }

    /// A cheap check that the file is whole: SQLite's header records how
    /// many pages the file holds, and a file cut short (a copy that did
    /// not finish, a full disk) holds fewer. Damage inside a page is
    /// reported by SQLite when the page is read, naming the file (see
    /// [`classify`]); checking every page on opening would make each add
    /// read the whole store.
    fn integrity_check(&self) -> Result<(), StoreError> {
        let damaged = |detail: String| StoreError::NotAStore { path: self.path.clone(), detail };
        let mut header = [0u8; 100];
        let len = {
            use std::io::Read;
            let mut file = std::fs::File::open(&self.path).map_err(|e| damaged(e.to_string()))?;
            let len = file.metadata().map_err(|e| damaged(e.to_string()))?.len();
            if len == 0 {
                return Ok(());
            }
            file.read_exact(&mut header).map_err(|_| damaged("shorter than a SQLite header".to_owned()))?;
            len
        };
        let be32 = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
        let page_size = match u16::from_be_bytes([header[16], header[17]]) {
            1 => 65_536,
            size => u64::from(size),
        };
        // The recorded size is valid when written by the same change as
        // the change counter.
        let pages = u64::from(be32(28));
        if be32(92) == be32(24) && pages * page_size > len {
            return Err(damaged(format!(
                "truncated: {len} bytes where its header records {pages} pages of {page_size} bytes"
            )));
        }
        Ok(())
    }

    /// Runs `change` in one write transaction: it is committed whole when
    /// `change` succeeds, and leaves no trace otherwise (nor if the process
    /// dies midway). A second writer waits for the first (see
    /// [`Store::open`]'s `wait`).
    pub fn write<T>(&mut self, change: impl FnOnce(&Writer<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let writer = Writer { path: &path, tx: &tx };
        let value = change(&writer)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(value)
    }

    /// The live story `id` leads to: itself, or the story it was merged
    /// into (followed to the end). `None` when no story ever had the id.
    pub fn resolve_story(&self, id: StoryId) -> Result<Option<StoryId>, StoreError> {
        let mut current = id;
        // A merge always goes to an older story, so the chain ends; the
        // bound guards against a file edited by hand into a cycle.
        for _ in 0..=self.story_count()? {
            let merged_into: Option<Option<String>> = self
                .conn
                .query_row("SELECT merged_into FROM stories WHERE id = ?1", [current.to_string()], |row| row.get(0))
                .optional()
                .map_err(|e| self.error(e))?;
            match merged_into {
                None => return Ok(None),
                Some(None) => return Ok(Some(current)),
                Some(Some(next)) => {
                    current = StoryId::parse(&next).ok_or_else(|| self.damaged(format!("bad story id {next:?}")))?;
                }
            }
        }
        Err(self.damaged(format!("story {id} is merged in a cycle")))
    }

    /// The live stories of `ids`, with their articles, duplicate groups and
    /// kept links (see [`Loaded`]); merged and unknown ids are left out
    /// (resolve them first with [`Store::resolve_story`]).
    pub fn load(&self, ids: &[StoryId]) -> Result<Loaded, StoreError> {
        read::load(&self.conn, &self.path, ids)
    }

    /// The number of stories ever made, merged ones included.
    pub fn story_count(&self) -> Result<i64, StoreError> {
        self.conn.query_row("SELECT count(*) FROM stories", [], |row| row.get(0)).map_err(|e| self.error(e))
    }

    fn damaged(&self, detail: String) -> StoreError {
        StoreError::NotAStore { path: self.path.clone(), detail }
    }
}

/// A SQLite error as a [`StoreError`] naming `path`.
pub(crate) fn classify(path: &Path, source: rusqlite::Error) -> StoreError {
    match source.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy(path.to_path_buf()),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            StoreError::NotAStore { path: path.to_path_buf(), detail: source.to_string() }
        }
        _ => StoreError::Sqlite { path: path.to_path_buf(), source },
    }
}

mod explain;
mod migrate;
mod query;
mod read;
mod remove;
mod storylines;
mod window;
mod write;

pub use explain::{ArticleRecord, KeptLink};
pub use query::{now, timestamp, Since, StoryFilter, StoryRecord};
pub use read::Loaded;
pub use remove::{Removal, UpdatedStory};
#[cfg(test)]
pub(crate) use storylines::DROP_STORYLINE_TABLES;
pub use storylines::{
    add_scaled, decode_centroid, encode_centroid, to_line_sum, SparseSum, StorylineId, INDEXED_TERMS, LINE_SUM_TERMS,
};
pub use window::{CopyKeys, Selection, Window, WindowArticle};
pub use write::{content_hash, LinkKind, StoredArticle, Writer};

#[cfg(test)]
mod tests;

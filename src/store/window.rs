//! What an `add` reads of its active window: [`WindowArticle`]s chosen by
//! a [`Selection`], the window's copies of a batch, and the stored
//! fingerprints that find them.
//!
//! An add must not read the whole window when the batch needs only a part
//! of it: the window's fingerprints are streamed through a
//! [`Probe`](crate::fingerprint::Probe) and only the copies kept; the
//! articles an index searches next to the batch are those of its days and
//! the few days before; a known story is read when the batch touches it.
//! None of these reads a body (a window article is compared through its
//! stored term counts and fingerprint). This module must not decide
//! anything: which articles are read is the caller's choice.

use rayon::prelude::*;

use super::{StoreError, StoryId, Writer};
use crate::article::{Article, Date, Origin};
use crate::fingerprint::{self, Fingerprint, FingerprintConfig, Probe};
use crate::represent::TermCounts;

/// An article of the active window, with its story, as an add compares it:
/// its body is not read (empty).
pub struct WindowArticle {
    /// The stored article without its body (its origin is the store file).
    pub article: Article,
    /// Its story.
    pub story: StoryId,
    /// Its term counts, as stored.
    pub counts: TermCounts,
    /// Its fingerprint, as stored.
    pub fingerprint: Fingerprint,
}

/// The window: articles published within `days` (first and last day,
/// inclusive) or, undated, first seen on or after `first_seen` (an RFC
/// 3339 time or a date).
#[derive(Clone, Copy, Debug)]
pub struct Window<'a> {
    /// First and last publication day.
    pub days: (i64, i64),
    /// The undated articles first seen since then are in it.
    pub first_seen: &'a str,
}

/// The copy keys of a window's articles, as stored: article `k` is the
/// row `rowids[k]` and its keys are `bytes[ends[k - 1]..ends[k]]`.
#[derive(Debug, Default)]
pub struct CopyKeys {
    rowids: Vec<i64>,
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl CopyKeys {
    /// The keys of article `k`.
    fn of(&self, k: usize) -> &[u8] {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.bytes[start..self.ends[k]]
    }
}

/// Which articles of a window to read.
#[derive(Clone, Copy, Debug)]
pub enum Selection<'a> {
    /// All of them.
    All,
    /// The articles an index searches next to a dated batch of days
    /// `days`: those of its days, the last `before_limit` published before
    /// its first (newest first, by id), and the undated ones.
    Near {
        /// The batch's first and last publication day.
        days: (i64, i64),
        /// At most this many articles published before the first.
        before_limit: usize,
    },
    /// These articles.
    Ids(&'a [String]),
    /// The articles of these stories.
    Stories(&'a [StoryId]),
}

const COLUMNS: &str = "id, story, dup_group, source, title, url, published, term_counts, fingerprint";
const IN_WINDOW: &str = "(day BETWEEN :first AND :last OR (day IS NULL AND first_seen >= :seen))";

/// How many fingerprints are computed, and written, at a time when a store
/// is fingerprinted again.
const FINGERPRINT_CHUNK: usize = 4096;

impl Writer<'_> {
    /// Reads the `selection` of `window`, each article once, in id order.
    pub fn window_articles(
        &self,
        window: Window<'_>,
        selection: Selection<'_>,
    ) -> Result<Vec<WindowArticle>, StoreError> {
        let (first, last, seen) = (window.days.0, window.days.1, window.first_seen);
        let mut rows = Vec::new();
        match selection {
            Selection::All => {
                let sql = format!("SELECT {COLUMNS} FROM articles WHERE {IN_WINDOW}");
                self.select(&sql, &[(":first", &first), (":last", &last), (":seen", &seen)], &mut rows)?;
            }
            Selection::Near { days, before_limit } => {
                let (from, to) = (days.0.max(first), days.1.min(last));
                let sql = format!("SELECT {COLUMNS} FROM articles WHERE day BETWEEN :from AND :to");
                self.select(&sql, &[(":from", &from), (":to", &to)], &mut rows)?;
                let sql = format!(
                    "SELECT {COLUMNS} FROM articles WHERE day >= :from AND day < :to
                     ORDER BY day DESC, id DESC LIMIT :limit"
                );
                let limit = before_limit as i64;
                self.select(&sql, &[(":from", &first), (":to", &days.0), (":limit", &limit)], &mut rows)?;
                let sql = format!("SELECT {COLUMNS} FROM articles WHERE day IS NULL AND first_seen >= :seen");
                self.select(&sql, &[(":seen", &seen)], &mut rows)?;
            }
            Selection::Ids(ids) => {
                let sql = format!("SELECT {COLUMNS} FROM articles WHERE id = :id AND {IN_WINDOW}");
                for id in ids {
                    self.select(
                        &sql,
                        &[(":id", id), (":first", &first), (":last", &last), (":seen", &seen)],
                        &mut rows,
                    )?;
                }
            }
            Selection::Stories(stories) => {
                let sql = format!("SELECT {COLUMNS} FROM articles WHERE story = :story AND {IN_WINDOW}");
                for story in stories {
                    let story = story.to_string();
                    let named: [(&str, &dyn rusqlite::ToSql); 4] =
                        [(":story", &story), (":first", &first), (":last", &last), (":seen", &seen)];
                    self.select(&sql, &named, &mut rows)?;
                }
            }
        }
        rows.sort_unstable_by(|a: &WindowArticle, b| a.article.id.cmp(&b.article.id));
        rows.dedup_by(|a, b| a.article.id == b.article.id);
        Ok(rows)
    }

    fn select(
        &self,
        sql: &str,
        named: &[(&str, &dyn rusqlite::ToSql)],
        out: &mut Vec<WindowArticle>,
    ) -> Result<(), StoreError> {
        let mut statement = self.tx.prepare_cached(sql).map_err(|e| self.fail(e))?;
        let mut rows = statement.query(named).map_err(|e| self.fail(e))?;
        while let Some(row) = rows.next().map_err(|e| self.fail(e))? {
            out.push(self.window_article(row)?);
        }
        Ok(())
    }

    fn window_article(&self, r: &rusqlite::Row<'_>) -> Result<WindowArticle, StoreError> {
        let fail = |e| self.fail(e);
        let id: String = r.get(0).map_err(fail)?;
        let damaged = |what: &str| StoreError::NotAStore {
            path: self.path.to_path_buf(),
            detail: format!("article {id:?} has {what}"),
        };
        let story: String = r.get(1).map_err(fail)?;
        let story = StoryId::parse(&story).ok_or_else(|| damaged("a bad story id"))?;
        let published: Option<String> = r.get(6).map_err(fail)?;
        let counts = r.get_ref(7).map_err(|e| self.fail(e))?.as_blob().ok().and_then(TermCounts::decode);
        let counts = counts.ok_or_else(|| damaged("damaged term counts"))?;
        let fingerprint = r.get_ref(8).map_err(|e| self.fail(e))?.as_blob().ok().and_then(Fingerprint::decode);
        let fingerprint = fingerprint.ok_or_else(|| damaged("a damaged or missing fingerprint"))?;
        let article = Article {
            id,
            source: r.get(3).map_err(fail)?,
            title: r.get(4).map_err(fail)?,
            url: r.get(5).map_err(fail)?,
            published: published.as_deref().and_then(Date::parse_iso),
            body: String::new(),
            origin: Origin::file(self.path),
            extra: Default::default(),
        };
        Ok(WindowArticle { article, story, counts, fingerprint })
    }

    /// Every copy key of the window, read once: what
    /// [`Writer::window_copies`] probes.
    pub fn window_copy_keys(&self, window: Window<'_>) -> Result<CopyKeys, StoreError> {
        let mut keys = CopyKeys::default();
        let dated = "SELECT article, keys FROM copy_keys WHERE day BETWEEN ?1 AND ?2";
        let undated = "SELECT article, keys FROM copy_keys WHERE day IS NULL AND first_seen >= ?1";
        let queries: [(&str, Vec<&dyn rusqlite::ToSql>); 2] =
            [(dated, vec![&window.days.0, &window.days.1]), (undated, vec![&window.first_seen])];
        for (sql, params) in queries {
            let mut statement = self.tx.prepare_cached(sql).map_err(|e| self.fail(e))?;
            let mut rows = statement.query(&params[..]).map_err(|e| self.fail(e))?;
            while let Some(row) = rows.next().map_err(|e| self.fail(e))? {
                keys.rowids.push(row.get(0).map_err(|e| self.fail(e))?);
                keys.bytes.extend_from_slice(row.get_ref(1).map_err(|e| self.fail(e))?.as_blob().unwrap_or_default());
                keys.ends.push(keys.bytes.len());
            }
        }
        Ok(keys)
    }

    /// The ids of the window's articles (of `keys`, its copy keys) that are
    /// copies of one of the probe's (the batch's) fingerprints: the keys
    /// are probed in parallel, and the few articles whose keys match are
    /// verified with their full fingerprints.
    pub fn window_copies(&self, keys: &CopyKeys, probe: &Probe<'_>) -> Result<Vec<String>, StoreError> {
        let matched: Vec<i64> = (0..keys.rowids.len())
            .into_par_iter()
            .filter(|&k| probe.may_copy(keys.of(k)))
            .map(|k| keys.rowids[k])
            .collect();
        let mut copies = Vec::new();
        let mut statement = self
            .tx
            .prepare_cached("SELECT id, fingerprint FROM articles WHERE rowid = ?1")
            .map_err(|e| self.fail(e))?;
        for rowid in matched {
            let (id, blob): (String, Option<Vec<u8>>) =
                statement.query_row([rowid], |row| Ok((row.get(0)?, row.get(1)?))).map_err(|e| self.fail(e))?;
            let fingerprint = blob.as_deref().and_then(Fingerprint::decode).ok_or_else(|| StoreError::NotAStore {
                path: self.path.to_path_buf(),
                detail: format!("article {id:?} has a damaged or missing fingerprint"),
            })?;
            if probe.has_copy(&fingerprint) {
                copies.push(id);
            }
        }
        Ok(copies)
    }

    /// Makes every stored fingerprint one of `config`'s: a store
    /// fingerprinted with another shingle size or signature length (or
    /// written by a version that kept none) is fingerprinted again from
    /// the stored texts, once.
    pub fn ensure_fingerprints(&self, config: &FingerprintConfig) -> Result<(), StoreError> {
        let made_with = |name: &str| -> Result<Option<i64>, StoreError> {
            self.tx
                .prepare_cached("SELECT value FROM totals WHERE name = ?1")
                .and_then(|mut s| s.query_row([name], |row| row.get(0)).map(Some).or_else(none_when_no_row))
                .map_err(|e| self.fail(e))
        };
        let wanted = [
            ("shingle_words", config.shingle_words),
            ("num_hashes", config.num_hashes),
            ("bands", config.bands),
            ("rows", config.rows),
        ];
        let mut same = true;
        for (name, value) in wanted {
            same &= made_with(name)? == Some(value as i64);
        }
        if !same {
            self.run("UPDATE articles SET fingerprint = NULL", &[])?;
            self.run("DELETE FROM copy_keys", &[])?;
            for (name, value) in wanted {
                self.run("INSERT OR REPLACE INTO totals (name, value) VALUES (?1, ?2)", &[&name, &(value as i64)])?;
            }
        }
        loop {
            let missing: Vec<(i64, String)> = self
                .tx
                .prepare_cached("SELECT rowid, body FROM articles INDEXED BY articles_without_fingerprint WHERE fingerprint IS NULL LIMIT ?1")
                .and_then(|mut s| {
                    s.query_map([FINGERPRINT_CHUNK as i64], |row| Ok((row.get(0)?, row.get(1)?)))?.collect()
                })
                .map_err(|e| self.fail(e))?;
            if missing.is_empty() {
                return Ok(());
            }
            let made: Vec<(Vec<u8>, Vec<u8>)> = missing
                .par_iter()
                .map(|(_, body)| {
                    let fp = fingerprint::fingerprint(body, config);
                    let mut encoded = Vec::new();
                    fp.encode(&mut encoded);
                    (encoded, fingerprint::copy_keys(&fp, config))
                })
                .collect();
            for ((rowid, _), (encoded, keys)) in missing.iter().zip(&made) {
                self.run("UPDATE articles SET fingerprint = ?2 WHERE rowid = ?1", &[rowid, encoded])?;
                self.run(
                    "INSERT OR REPLACE INTO copy_keys (article, day, first_seen, keys)
                     SELECT rowid, day, first_seen, ?2 FROM articles WHERE rowid = ?1",
                    &[rowid, keys],
                )?;
            }
        }
    }
}

fn none_when_no_row<T>(e: rusqlite::Error) -> rusqlite::Result<Option<T>> {
    match e {
        rusqlite::Error::QueryReturnedNoRows => Ok(None),
        e => Err(e),
    }
}

//! Deleting articles from a store: retention ([`Writer::expire`]) and
//! takedowns ([`Writer::remove`]), with what changed ([`Removal`]).
//!
//! Owns every deletion of articles: the article row, its links, its place
//! at the head of a near-duplicate group (passed to the next member, or
//! dropped when one member is left), and the refresh of the stories it was
//! in (a story left empty disappears, the others get a new summary: a
//! removed headline article is replaced). Deleted rows are overwritten in
//! the file (SQLite's `secure_delete`) and [`Store::checkpoint`] folds the
//! write-ahead log into it, so that a removed text is not left in free
//! pages. It must not decide which articles go: the caller names them, or
//! the date.

use std::collections::BTreeSet;

use rusqlite::OptionalExtension;

use super::{Store, StoreError, StoryId, Writer};
use crate::article::Date;
use crate::represent::DocFreqCounter;

/// What a removal changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removal {
    /// The ids of the articles deleted, in id order.
    pub removed: Vec<String>,
    /// The ids asked for that were not stored, in the order asked for.
    pub not_stored: Vec<String>,
    /// The stories that lost articles and remain, with their new summary.
    pub updated: Vec<UpdatedStory>,
    /// The stories that lost all their articles and are gone.
    pub gone: Vec<StoryId>,
}

/// A story that lost articles, as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdatedStory {
    /// The story.
    pub id: StoryId,
    /// Its articles left.
    pub articles: i64,
    /// Its canonical headline now.
    pub headline: String,
}

impl Writer<'_> {
    /// Deletes the stored articles of `ids` with everything kept about
    /// them, and refreshes the stories they were in (see the module doc).
    pub fn remove(&self, ids: &[&str]) -> Result<Removal, StoreError> {
        self.erase_deleted()?;
        let mut removal = Removal::default();
        let mut stored = BTreeSet::new();
        for &id in ids {
            if self.article_state(id)?.is_some() {
                stored.insert(id);
            } else if !stored.contains(id) && !removal.not_stored.iter().any(|n| n == id) {
                removal.not_stored.push(id.to_owned());
            }
        }
        let stored: Vec<&str> = stored.into_iter().collect();
        let touched = self.remove_articles(&stored)?;
        removal.removed = stored.into_iter().map(str::to_owned).collect();
        self.finish(touched, removal)
    }

    /// Deletes, as [`Writer::remove`] does, the articles published before
    /// `before`, and the undated ones first seen before it.
    pub fn expire(&self, before: Date) -> Result<Removal, StoreError> {
        let ids: Vec<String> = self
            .tx
            .prepare("SELECT id FROM articles WHERE day < ?1 OR (day IS NULL AND first_seen < ?2) ORDER BY id")
            .and_then(|mut s| {
                s.query_map(rusqlite::params![before.days_since_epoch(), before.to_string()], |row| row.get(0))?
                    .collect()
            })
            .map_err(|e| self.fail(e))?;
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        self.remove(&ids)
    }

    /// Deletes the articles of `ids` that are stored, with their links,
    /// their place in a near-duplicate group and their count in the
    /// document frequencies, and the centroids of their stories (the
    /// next add makes them again); returns the stories they were in
    /// (refresh them with [`Writer::refresh`]).
    pub fn remove_articles(&self, ids: &[&str]) -> Result<BTreeSet<StoryId>, StoreError> {
        let mut touched = BTreeSet::new();
        let mut uncounted = DocFreqCounter::default();
        for &id in ids {
            if let Some(counts) = self.counted_terms(id)? {
                uncounted.add(&counts);
            }
            let row: Option<(String, Option<String>)> = self
                .tx
                .prepare_cached("SELECT story, dup_group FROM articles WHERE id = ?1")
                .and_then(|mut s| s.query_row([id], |row| Ok((row.get(0)?, row.get(1)?))).optional())
                .map_err(|e| self.fail(e))?;
            let Some((story, dup_group)) = row else { continue };
            touched.insert(self.story_id(&story)?);
            self.run("DELETE FROM links WHERE a = ?1 OR b = ?1", &[&id])?;
            self.run("DELETE FROM articles WHERE id = ?1", &[&id])?;
            if let Some(group) = dup_group {
                self.regroup(&story, &group)?;
            }
        }
        self.count_documents(&uncounted, -1)?;
        // A centroid holds its articles' terms: the stories' are made
        // again from the articles left, at the next add.
        self.drop_centroids(&touched)?;
        Ok(touched)
    }

    /// After a member of near-duplicate group `group` (named after its
    /// first article) of `story` left: the group is named after its first
    /// remaining member, or dissolved when one is left. Copies are always
    /// in one story, so the search stays within it.
    fn regroup(&self, story: &str, group: &str) -> Result<(), StoreError> {
        let members: Vec<String> = self
            .tx
            .prepare_cached("SELECT id FROM articles WHERE story = ?1 AND dup_group = ?2 ORDER BY id")
            .and_then(|mut s| s.query_map([story, group], |row| row.get(0))?.collect())
            .map_err(|e| self.fail(e))?;
        let head = (members.len() >= 2).then(|| members[0].as_str());
        if head != Some(group) {
            self.run(
                "UPDATE articles SET dup_group = ?3 WHERE story = ?1 AND dup_group = ?2",
                &[&story, &group, &head],
            )?;
        }
        Ok(())
    }

    /// Refreshes the `touched` stories (a removal is not news: their
    /// `last_seen` stays) and completes `removal` with what became of them.
    fn finish(&self, touched: BTreeSet<StoryId>, mut removal: Removal) -> Result<Removal, StoreError> {
        self.refresh(&touched, None)?;
        for id in touched {
            let row: Option<(i64, String)> = self
                .tx
                .prepare_cached("SELECT articles, headline FROM stories WHERE id = ?1")
                .and_then(|mut s| s.query_row([id.to_string()], |row| Ok((row.get(0)?, row.get(1)?))).optional())
                .map_err(|e| self.fail(e))?;
            match row {
                Some((articles, headline)) => removal.updated.push(UpdatedStory { id, articles, headline }),
                None => removal.gone.push(id),
            }
        }
        Ok(removal)
    }

    /// Makes SQLite overwrite what this transaction deletes, rather than
    /// only mark it free: a taken-down text must not stay in the file.
    fn erase_deleted(&self) -> Result<(), StoreError> {
        self.tx.pragma_update(None, "secure_delete", true).map_err(|e| self.fail(e))
    }
}

impl Store {
    /// Folds the write-ahead log into the file and empties it, so that
    /// older copies of pages (with texts since removed) leave the log.
    /// Returns false when a reader still using the log kept it (the next
    /// writer folds it then).
    pub fn checkpoint(&self) -> Result<bool, StoreError> {
        // The row is (busy, frames in the log, frames folded).
        let busy: i64 =
            self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0)).map_err(|e| self.error(e))?;
        Ok(busy == 0)
    }
}

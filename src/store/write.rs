//! Changes to a store inside one transaction: [`Writer`].
//!
//! Owns the statements that add to a store file or update it: new stories
//! and their counters, merges, articles put, the links kept between them,
//! and the story summaries refreshed from the articles that remain
//! (deletions are in `remove.rs`). It must not decide anything: which
//! story an article joins, and which stories merge, come from the caller.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rusqlite::{OptionalExtension, Transaction};

use super::read::{self, Loaded};
use super::{classify, StoreError, StoryId, StorylineId};
use crate::article::Article;
use crate::fingerprint::Fingerprint;
use crate::hashes::TermSet;
use crate::report::StorySummary;
use crate::represent::{DocFreqCounter, TermCounts};

/// What a write transaction can do (see [`super::Store::write`]).
pub struct Writer<'s> {
    pub(super) path: &'s Path,
    pub(super) tx: &'s Transaction<'s>,
}

/// An article as put into the store.
#[derive(Clone, Copy, Debug)]
pub struct StoredArticle<'a> {
    /// The cleaned article.
    pub article: &'a Article,
    /// The story it belongs to.
    pub story: StoryId,
    /// The id of the first article of its near-duplicate group, when it
    /// has copies.
    pub dup_group: Option<&'a str>,
    /// The hash of what was read (see [`content_hash`]).
    pub content_hash: u64,
    /// Its term counts, kept so that the store's document frequencies can
    /// lose them again when it goes, and an add need not count them anew.
    pub counts: &'a TermCounts,
    /// Whether it is counted in the store's document frequencies: one
    /// article per near-duplicate group is.
    pub counted: bool,
    /// Its fingerprint, kept so that later batches find their copies
    /// without fingerprinting the window again.
    pub fingerprint: &'a Fingerprint,
    /// Its [`crate::fingerprint::copy_keys`], by which later batches find
    /// it among their copies.
    pub copy_keys: &'a [u8],
}

/// How many links [`Writer::put_links`] writes a statement (four
/// parameters each, well under SQLite's limit).
const LINKS_A_STATEMENT: usize = 64;

/// The kind of a kept link between two articles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// A story link: the story-vector similarity the clustering used.
    Story,
    /// A copy link: the estimated shingle resemblance of two copies.
    Copy,
}

impl LinkKind {
    /// Its name in the `links` table's `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Story => "story",
            LinkKind::Copy => "copy",
        }
    }
}

/// A hash of an article's headline, outlet, URL, date and cleaned text: an
/// article read again with the same hash is unchanged, with another one it
/// is an update.
pub fn content_hash(article: &Article) -> u64 {
    let date = article.published.map(|d| d.to_string()).unwrap_or_default();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [&article.title, &article.source, &article.url, &date, &article.body] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.digest()
}

impl Writer<'_> {
    pub(super) fn fail(&self, e: rusqlite::Error) -> StoreError {
        classify(self.path, e)
    }

    pub(super) fn run(&self, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<usize, StoreError> {
        self.tx.prepare_cached(sql).and_then(|mut s| s.execute(params)).map_err(|e| self.fail(e))
    }

    /// A new story first seen on `day`, with the next counter of that day
    /// (never one given before, even to a story since removed), stamped
    /// `now` (an RFC 3339 time).
    pub fn new_story(&self, day: i64, now: &str) -> Result<StoryId, StoreError> {
        self.new_counted(Counted::Story, day, now)
    }

    /// A new row of `kind` first seen on `day`: the day's counter moved on
    /// (a counter is never given twice), the row inserted stamped `now`.
    pub(super) fn new_counted(&self, kind: Counted, day: i64, now: &str) -> Result<StoryId, StoreError> {
        let (table, counters) = match kind {
            Counted::Story => ("stories", "story_counters"),
            Counted::Storyline => ("storylines", "storyline_counters"),
        };
        self.run(
            &format!(
                "INSERT INTO {counters} (day, last_seq) VALUES (?1, 1)
                 ON CONFLICT (day) DO UPDATE SET last_seq = last_seq + 1"
            ),
            &[&day],
        )?;
        let seq: i64 = self
            .tx
            .query_row(&format!("SELECT last_seq FROM {counters} WHERE day = ?1"), [day], |row| row.get(0))
            .map_err(|e| self.fail(e))?;
        let id = StoryId { first_day: day, seq };
        let display = match kind {
            Counted::Story => id.to_string(),
            Counted::Storyline => crate::store::StorylineId(id).to_string(),
        };
        self.run(
            &format!("INSERT INTO {table} (id, first_day, seq, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)"),
            &[&display, &day, &seq, &now],
        )?;
        Ok(id)
    }

    /// Records that `younger` is now part of `older` (whose id survives);
    /// its articles move to `older`, stamped `now`.
    pub fn merge_story(&self, younger: StoryId, older: StoryId, now: &str) -> Result<(), StoreError> {
        let (younger, older) = (younger.to_string(), older.to_string());
        self.run(
            "UPDATE stories SET merged_into = ?2, last_seen = ?3, headline = '', headline_article = NULL,
             articles = 0, sources = 0, first_published = NULL, last_published = NULL, duplicate_groups = 0
             WHERE id = ?1",
            &[&younger, &older, &now],
        )?;
        self.run("UPDATE stories SET merged_into = ?2 WHERE merged_into = ?1", &[&younger, &older])?;
        self.run("UPDATE stories SET last_seen = ?2 WHERE id = ?1", &[&older, &now])?;
        self.run("UPDATE articles SET story = ?2 WHERE story = ?1", &[&younger, &older])?;
        Ok(())
    }

    /// Moves stored article `id` to `story`, and forgets its links to the
    /// articles of the story it leaves: the links kept are those of the
    /// clustering that placed it.
    pub fn move_article(&self, id: &str, story: StoryId) -> Result<(), StoreError> {
        let story = story.to_string();
        self.run("UPDATE articles SET story = ?2 WHERE id = ?1", &[&id, &story])?;
        // Each side through its index, the other end's story by its key.
        for (this, other) in [("a", "b"), ("b", "a")] {
            self.run(
                &format!(
                    "DELETE FROM links WHERE {this} = ?1
                     AND (SELECT story FROM articles WHERE id = links.{other}) != ?2"
                ),
                &[&id, &story],
            )?;
        }
        Ok(())
    }

    /// The stored content hash and story of article `id`, if it is stored.
    pub fn article_state(&self, id: &str) -> Result<Option<(u64, StoryId)>, StoreError> {
        let row: Option<(i64, String)> = self
            .tx
            .prepare_cached("SELECT content_hash, story FROM articles WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |row| Ok((row.get(0)?, row.get(1)?))).optional())
            .map_err(|e| self.fail(e))?;
        row.map(|(hash, story)| Ok((hash as u64, self.story_id(&story)?))).transpose()
    }

    pub(super) fn story_id(&self, text: &str) -> Result<StoryId, StoreError> {
        StoryId::parse(text).ok_or_else(|| StoreError::NotAStore {
            path: self.path.to_path_buf(),
            detail: format!("bad story id {text:?}"),
        })
    }

    /// Puts articles in (or replaces stored ones of the same ids, which
    /// keep their `first_seen`), stamped `now`, and counts those marked
    /// `counted` in the document frequencies.
    pub fn put_articles(&self, articles: &[StoredArticle<'_>], now: &str) -> Result<(), StoreError> {
        let mut counter = DocFreqCounter::default();
        for stored in articles {
            self.put_article(stored, now)?;
            if stored.counted {
                counter.add(stored.counts);
            }
        }
        self.count_documents(&counter, 1)
    }

    fn put_article(&self, stored: &StoredArticle<'_>, now: &str) -> Result<(), StoreError> {
        let a = stored.article;
        let published = a.published.map(|d| d.to_string());
        let day = a.published.map(|d| d.days_since_epoch());
        let mut counts = Vec::new();
        stored.counts.encode(&mut counts);
        let mut fingerprint = Vec::new();
        stored.fingerprint.encode(&mut fingerprint);
        let story = stored.story.to_string();
        let content_hash = stored.content_hash as i64;
        let params: [&dyn rusqlite::ToSql; 14] = [
            &a.id,
            &story,
            &stored.dup_group,
            &a.source,
            &a.title,
            &a.url,
            &published,
            &day,
            &a.body,
            &content_hash,
            &now,
            &counts,
            &stored.counted,
            &fingerprint,
        ];
        let rowid: i64 = self
            .tx
            .prepare_cached(
                "INSERT INTO articles (id, story, dup_group, source, title, url, published, day, body,
                                       content_hash, first_seen, last_seen, term_counts, counted, fingerprint)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14)
                 ON CONFLICT (id) DO UPDATE SET story = ?2, dup_group = ?3, source = ?4, title = ?5, url = ?6,
                     published = ?7, day = ?8, body = ?9, content_hash = ?10, last_seen = ?11,
                     term_counts = ?12, counted = ?13, fingerprint = ?14
                 RETURNING rowid",
            )
            .and_then(|mut statement| statement.query_row(&params[..], |row| row.get(0)))
            .map_err(|e| self.fail(e))?;
        self.run(
            "INSERT OR REPLACE INTO copy_keys (article, day, first_seen, keys)
             SELECT rowid, day, first_seen, ?2 FROM articles WHERE rowid = ?1",
            &[&rowid, &stored.copy_keys],
        )?;
        Ok(())
    }

    /// The distinct non-empty outlets of each of `stories`.
    pub fn story_sources(&self, stories: &BTreeSet<StoryId>) -> Result<HashMap<StoryId, BTreeSet<String>>, StoreError> {
        read::story_sources(self.tx, self.path, stories)
    }

    /// The latest publication day of a stored article.
    pub fn newest_day(&self) -> Result<Option<i64>, StoreError> {
        self.tx.query_row("SELECT max(day) FROM articles", [], |row| row.get(0)).map_err(|e| self.fail(e))
    }

    /// Sets the near-duplicate group of a stored article. An add sets it for
    /// every article of its window, nearly all unchanged: those rows are
    /// not written again.
    pub fn set_dup_group(&self, id: &str, dup_group: Option<&str>) -> Result<(), StoreError> {
        self.run("UPDATE articles SET dup_group = ?2 WHERE id = ?1 AND dup_group IS NOT ?2", &[&id, &dup_group])?;
        Ok(())
    }

    /// Keeps `links` (`a < b`, by id), replacing a kept link of the same
    /// two articles and kind. Links are only ever added: a link goes when
    /// one of its articles does.
    pub fn put_links(&self, links: &[(&str, &str, LinkKind, f32)]) -> Result<(), StoreError> {
        // Many rows a statement: an add keeps tens of thousands of links,
        // and SQLite's cost is as much per statement as per row.
        for chunk in links.chunks(LINKS_A_STATEMENT) {
            let rows = vec!["(?, ?, ?, ?)"; chunk.len()].join(", ");
            let sql = format!("INSERT OR REPLACE INTO links (a, b, kind, score) VALUES {rows}");
            let values: Vec<(&str, f64)> = chunk.iter().map(|l| (l.2.as_str(), f64::from(l.3))).collect();
            let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(4 * chunk.len());
            for ((a, b, _, _), (kind, score)) in chunk.iter().zip(&values) {
                params.extend([a as &dyn rusqlite::ToSql, b, kind, score]);
            }
            self.run(&sql, &params)?;
        }
        Ok(())
    }

    /// The term counts of article `id` if it is counted in the document
    /// frequencies.
    pub(super) fn counted_terms(&self, id: &str) -> Result<Option<TermCounts>, StoreError> {
        let blob: Option<Vec<u8>> = self
            .tx
            .prepare_cached("SELECT term_counts FROM articles WHERE id = ?1 AND counted")
            .and_then(|mut s| s.query_row([id], |row| row.get(0)).optional())
            .map_err(|e| self.fail(e))?;
        blob.map(|blob| {
            TermCounts::decode(&blob).ok_or_else(|| StoreError::NotAStore {
                path: self.path.to_path_buf(),
                detail: format!("article {id:?} has damaged term counts"),
            })
        })
        .transpose()
    }

    /// Adds the documents of `counter` to the store's document frequencies
    /// (`sign` 1), or takes them out (`sign` -1).
    pub(super) fn count_documents(&self, counter: &DocFreqCounter, sign: i64) -> Result<(), StoreError> {
        if counter.n_docs() == 0 {
            return Ok(());
        }
        for (term, df, capitalised, lower) in counter.entries() {
            let (df, capitalised, lower) =
                (sign * i64::from(df), sign * i64::from(capitalised), sign * i64::from(lower));
            self.run(
                "INSERT INTO doc_freq (term, df, capitalised, lower) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (term) DO UPDATE SET df = df + ?2, capitalised = capitalised + ?3, lower = lower + ?4",
                &[&(term as i64), &df, &capitalised, &lower],
            )?;
        }
        if sign < 0 {
            self.run("DELETE FROM doc_freq WHERE df <= 0", &[])?;
        }
        self.run(
            "UPDATE totals SET value = value + ?1 WHERE name = 'documents'",
            &[&(sign * i64::from(counter.n_docs()))],
        )?;
        read::count_languages(self.tx, self.path, counter, sign)
    }

    /// The store's document counts of `terms` (the others are left out: a
    /// vector only ever looks up its own terms).
    pub fn doc_freq(&self, terms: &TermSet) -> Result<DocFreqCounter, StoreError> {
        read::doc_freq(self.tx, self.path, terms)
    }

    /// How many documents the store's frequencies count.
    pub fn documents(&self) -> Result<i64, StoreError> {
        read::documents(self.tx, self.path)
    }

    /// Recomputes the summaries of `stories` from the articles they hold
    /// now, and those of their storylines, and stamps them `now` when
    /// given. A story left without articles is deleted, with the records of
    /// the stories merged into it, and so is a storyline left without
    /// stories; an id is never given again (the day's counter stays). Returns the live
    /// stories of `stories` as they now are, without the bodies of titled
    /// articles (what a report of the change shows).
    pub fn refresh(&self, stories: &BTreeSet<StoryId>, now: Option<&str>) -> Result<Loaded, StoreError> {
        self.refresh_with_lines(stories, BTreeSet::new(), now)
    }

    /// [`Writer::refresh`], with the summaries of `lines` refreshed too
    /// (each storyline once, whether or not one of `stories` is in it).
    pub fn refresh_with_lines(
        &self,
        stories: &BTreeSet<StoryId>,
        mut lines: BTreeSet<StorylineId>,
        now: Option<&str>,
    ) -> Result<Loaded, StoreError> {
        let ids: Vec<StoryId> = stories.iter().copied().collect();
        let loaded = read::load_with(self.tx, self.path, &ids, read::Bodies::Untitled)?;
        for (id, story) in loaded.ids.iter().zip(&loaded.clustering.stories) {
            let summary = StorySummary::of(&loaded.articles, story);
            let (first, last) = summary.dates().unzip();
            let id = id.to_string();
            self.run(
                "UPDATE stories SET headline = ?2, headline_article = ?3, articles = ?4, sources = ?5,
                 first_published = ?6, last_published = ?7, duplicate_groups = ?8 WHERE id = ?1",
                &[
                    &id,
                    &summary.headline,
                    &loaded.articles[summary.headline_member].id,
                    &(story.members.len() as i64),
                    &(summary.sources.len() as i64),
                    &first.map(|d| d.to_string()),
                    &last.map(|d| d.to_string()),
                    &(summary.duplicate_groups as i64),
                ],
            )?;
            if let Some(now) = now {
                self.run("UPDATE stories SET last_seen = ?2 WHERE id = ?1", &[&id, &now])?;
            }
        }
        for &id in stories {
            lines.extend(self.storyline_of(id)?);
        }
        let alive: BTreeSet<StoryId> = loaded.ids.iter().copied().collect();
        let gone: BTreeSet<StoryId> = stories.difference(&alive).copied().collect();
        self.drop_centroids(&gone)?;
        for &gone in &gone {
            let gone = gone.to_string();
            self.run("DELETE FROM stories WHERE merged_into = ?1", &[&gone])?;
            self.run("DELETE FROM stories WHERE id = ?1", &[&gone])?;
        }
        self.refresh_storylines(&lines, now)?;
        Ok(loaded)
    }
}

/// What [`Writer::new_counted`] gives an id to: both are numbered by the
/// day of their first article and a counter of that day.
#[derive(Clone, Copy)]
pub(super) enum Counted {
    Story,
    Storyline,
}

//! What `explain --store` reads of a store: two articles as kept, the
//! links kept inside a story, the term counts of a story's articles and
//! the store's document frequencies.
//!
//! Owns [`ArticleRecord`] (a stored article with its story, group, term
//! counts and store times), [`KeptLink`] (a row of `links`) and the
//! read-only [`Store`] methods behind them. Every query goes through the
//! `articles_by_story` index or a primary key, so that explaining a pair
//! reads the two stories involved, never the whole store. It must not
//! change the file nor compare articles: scores are recomputed by
//! `explain`, from what these methods hand back.

use rusqlite::OptionalExtension;

use super::read::{self, ROW_COLUMNS};
use super::{LinkKind, Store, StoreError, StoryId};
use crate::article::Article;
use crate::hashes::TermSet;
use crate::represent::{DocFreqCounter, TermCounts};

/// A stored article, with what the store keeps about it.
#[derive(Clone, Debug)]
pub struct ArticleRecord {
    /// The article as stored (its origin is the store file).
    pub article: Article,
    /// Its story, merges followed.
    pub story: StoryId,
    /// The id of the first article of its near-duplicate group, when it
    /// has copies.
    pub dup_group: Option<String>,
    /// Its term counts, as counted when it was added.
    pub counts: TermCounts,
    /// When the `add` that stored it ran (RFC 3339).
    pub first_seen: String,
    /// When the last `add` that stored it anew ran.
    pub last_seen: String,
}

/// A link kept between two articles: what the clustering used when they
/// were last clustered together.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptLink {
    /// One article's id (the smaller).
    pub a: String,
    /// The other's.
    pub b: String,
    /// A story link or a copy link.
    pub kind: LinkKind,
    /// Its score: the pair's story similarity, or the copies' estimated
    /// resemblance.
    pub score: f32,
}

impl Store {
    /// The stored article `id`, or `None` when the store has no such article.
    pub fn article_record(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let sql = format!("SELECT {ROW_COLUMNS}, term_counts, first_seen, last_seen FROM articles WHERE id = ?1");
        let row = self
            .conn
            .query_row(&sql, [id], |r| Ok((read::row(r, &self.path)?, r.get::<_, Vec<u8>>(8)?, r.get(9)?, r.get(10)?)))
            .optional()
            .map_err(|e| self.error(e))?;
        let Some((row, counts, first_seen, last_seen)) = row else { return Ok(None) };
        let damaged = |what: String| self.damaged(format!("article {id:?} has {what}"));
        let story = StoryId::parse(&row.story).ok_or_else(|| damaged(format!("a bad story id {:?}", row.story)))?;
        let story = self.resolve_story(story)?.ok_or_else(|| damaged(format!("a story {story} not stored")))?;
        let counts = TermCounts::decode(&counts).ok_or_else(|| damaged("damaged term counts".to_owned()))?;
        Ok(Some(ArticleRecord { article: row.article, story, dup_group: row.dup_group, counts, first_seen, last_seen }))
    }

    /// The number of articles of `story` in the near-duplicate group headed
    /// by `dup_group` (copies always share a story).
    pub fn group_size(&self, story: StoryId, dup_group: &str) -> Result<usize, StoreError> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM articles WHERE story = ?1 AND dup_group = ?2",
                [story.to_string().as_str(), dup_group],
                |r| r.get(0),
            )
            .map_err(|e| self.error(e))?;
        Ok(n as usize)
    }

    /// The links kept between articles of `story` (both ends in it), in
    /// order of their ends' ids.
    pub fn story_links(&self, story: StoryId) -> Result<Vec<KeptLink>, StoreError> {
        let rows: Vec<(String, String, String, f64)> = self
            .conn
            .prepare_cached(
                "SELECT l.a, l.b, l.kind, l.score FROM articles x
                 JOIN links l ON l.a = x.id JOIN articles y ON y.id = l.b
                 WHERE x.story = ?1 AND y.story = ?1 ORDER BY l.a, l.b, l.kind",
            )
            .and_then(|mut s| {
                s.query_map([story.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect()
            })
            .map_err(|e| self.error(e))?;
        // The schema allows these two kinds only.
        let kind = |kind: &str| if kind == "copy" { LinkKind::Copy } else { LinkKind::Story };
        Ok(rows.into_iter().map(|(a, b, k, score)| KeptLink { a, b, kind: kind(&k), score: score as f32 }).collect())
    }

    /// The publication day (days since 1970-01-01) and term counts of each
    /// article of `story`, in id order.
    pub fn story_term_counts(&self, story: StoryId) -> Result<Vec<(Option<i64>, TermCounts)>, StoreError> {
        let rows: Vec<(String, Option<i64>, Vec<u8>)> = self
            .conn
            .prepare_cached("SELECT id, day, term_counts FROM articles WHERE story = ?1 ORDER BY id")
            .and_then(|mut s| s.query_map([story.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
            .map_err(|e| self.error(e))?;
        rows.into_iter()
            .map(|(id, day, blob)| {
                let counts = TermCounts::decode(&blob)
                    .ok_or_else(|| self.damaged(format!("article {id:?} has damaged term counts")))?;
                Ok((day, counts))
            })
            .collect()
    }

    /// The store's document counts of `terms` (see [`super::Writer::doc_freq`]).
    pub fn doc_freq(&self, terms: &TermSet) -> Result<DocFreqCounter, StoreError> {
        read::doc_freq(&self.conn, &self.path, terms)
    }
}

#[cfg(test)]
mod tests;

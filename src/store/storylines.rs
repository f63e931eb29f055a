//! Storylines as a store keeps them: ids, members, centroids and summaries.
//!
//! Owns [`StorylineId`] (`line-2024-09-23-1`, given once, never renumbered),
//! the statements behind a live story's centroid (`stories.centroid`, and
//! its terms in `story_terms`, the inverted list through which an add finds
//! the stored stories that share terms with a changed one, however old), a
//! storyline's sum (`storylines.sum`: its live stories' centroids added, so
//! that a storyline takes part in an add as one unit without its stories
//! being read), a storyline's stories, new storylines and merges, and the
//! storyline summaries refreshed from their stories. It must not decide which
//! stories form a storyline: that is `live`'s storyline step, as which
//! article joins which story is.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use rusqlite::OptionalExtension;

use super::{StoreError, StoryId, Writer};
use crate::cluster::Sparse;
use crate::represent::TermCounts;

/// A storyline's id in a store: the day of its first story and a counter,
/// written `line-2024-09-23-1` (apart from a story's `2024-09-23-1` at a
/// glance, and as well-formed in a URL). Given once: a storyline merged
/// into another keeps its row as a record of the merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StorylineId(pub StoryId);

impl StorylineId {
    /// Parses `line-2024-09-23-1`.
    pub fn parse(s: &str) -> Option<StorylineId> {
        s.strip_prefix("line-").and_then(StoryId::parse).map(StorylineId)
    }
}

impl fmt::Display for StorylineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line-{}", self.0)
    }
}

/// The tables of storylines (schema version 4), as created in a new store
/// and added to an older one. A live story's `centroid` is its articles'
/// summed vector cut to its heaviest terms, at unit length
/// ([`encode_centroid`]); `story_terms` lists each term of it, so that the
/// stories sharing a term are found without reading every centroid.
macro_rules! storyline_tables {
    () => {
        "
CREATE TABLE storylines (
    id               TEXT PRIMARY KEY,
    first_day        INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    merged_into      TEXT REFERENCES storylines(id),
    first_seen       TEXT NOT NULL,
    last_seen        TEXT NOT NULL,
    headline         TEXT NOT NULL DEFAULT '',
    stories          INTEGER NOT NULL DEFAULT 0,
    articles         INTEGER NOT NULL DEFAULT 0,
    first_published  TEXT,
    last_published   TEXT,
    sum              BLOB,
    UNIQUE (first_day, seq)
);
CREATE INDEX storylines_by_merged_into ON storylines(merged_into);
CREATE TABLE storyline_counters (
    day          INTEGER PRIMARY KEY,
    last_seq     INTEGER NOT NULL
);
CREATE TABLE story_terms (
    term         INTEGER NOT NULL,
    weight       REAL NOT NULL,
    story        TEXT NOT NULL,
    PRIMARY KEY (term, weight, story)
) WITHOUT ROWID;
ALTER TABLE stories ADD COLUMN storyline TEXT;
ALTER TABLE stories ADD COLUMN centroid BLOB;
CREATE INDEX stories_by_storyline ON stories(storyline, articles DESC, first_day, seq, first_published, last_published);
CREATE INDEX stories_without_centroid ON stories(first_day, seq) WHERE merged_into IS NULL AND centroid IS NULL;
"
    };
}
pub(super) use storyline_tables;

/// Version 5: when each centroid was weighed, as the store's document
/// count then (0: unknown, so weighed again at the next add), and the
/// index that finds the stalest first.
macro_rules! weighed_at_column {
    () => {
        "
ALTER TABLE stories ADD COLUMN weighed_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stories_by_weighed_at ON stories(weighed_at, first_day, seq)
    WHERE merged_into IS NULL AND centroid IS NOT NULL;
"
    };
}
pub(super) use weighed_at_column;

/// Takes a store of the current schema back to version 3's tables (for
/// the tests of a migration).
#[cfg(test)]
pub(crate) const DROP_STORYLINE_TABLES: &str = "
DROP INDEX stories_by_weighed_at; ALTER TABLE stories DROP COLUMN weighed_at;
DROP INDEX stories_without_centroid; DROP INDEX stories_by_storyline;
ALTER TABLE stories DROP COLUMN centroid;
ALTER TABLE stories DROP COLUMN storyline; DROP TABLE story_terms; DROP TABLE storyline_counters;
DROP INDEX storylines_by_merged_into; DROP TABLE storylines;";

/// A centroid as stored: each term (8 bytes) and weight (4 bytes), little
/// endian, in term order.
pub fn encode_centroid(centroid: &Sparse) -> Vec<u8> {
    let mut out = Vec::with_capacity(centroid.len() * 12);
    for &(term, weight) in centroid {
        out.extend_from_slice(&term.to_le_bytes());
        out.extend_from_slice(&weight.to_le_bytes());
    }
    out
}

/// The centroid [`encode_centroid`] wrote; `None` for bytes it cannot have.
pub fn decode_centroid(bytes: &[u8]) -> Option<Sparse> {
    if !bytes.len().is_multiple_of(12) {
        return None;
    }
    let centroid: Sparse = bytes
        .chunks_exact(12)
        .map(|c| {
            let term = u64::from_le_bytes(c[..8].try_into().expect("8 bytes"));
            (term, f32::from_le_bytes(c[8..].try_into().expect("4 bytes")))
        })
        .collect();
    centroid.windows(2).all(|w| w[0].0 < w[1].0).then_some(centroid)
}

/// A sparse vector being summed: term to weight.
pub type SparseSum = HashMap<u64, f32>;

/// Adds `sign` times `v` to `sum`.
pub fn add_scaled(sum: &mut SparseSum, v: &Sparse, sign: f32) {
    for &(term, weight) in v {
        *sum.entry(term).or_insert(0.0) += sign * weight;
    }
}

/// How many terms a storyline's kept sum holds: its heaviest, four
/// centroids' worth. A storyline of a thousand stories has thousands of
/// terms, and an add reads, weighs and writes the sum of every storyline it
/// touches; the light tail changes a group average little.
pub const LINE_SUM_TERMS: usize = 256;

/// `sum` as a storyline's kept sum: its heaviest [`LINE_SUM_TERMS`] terms
/// with a positive weight, in term order. A centroid's weights are
/// positive, so a term that a subtraction takes to zero or below was cut
/// before: each kept weight is at most the exact sum's.
pub fn to_line_sum(sum: &SparseSum) -> Sparse {
    let mut v: Sparse = sum.iter().filter(|(_, &w)| w > 1e-6).map(|(&t, &w)| (t, w)).collect();
    if v.len() > LINE_SUM_TERMS {
        v.select_nth_unstable_by(LINE_SUM_TERMS, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(LINE_SUM_TERMS);
    }
    v.sort_unstable_by_key(|&(term, _)| term);
    v
}

/// How many of a centroid's terms, its heaviest, the inverted list holds:
/// a changed story looks up its own heaviest this many, so two stories
/// meet there when a term is among both's heaviest, where most of a dot
/// product lies. (A quarter of a centroid's 64: a quarter of the writes.)
pub const INDEXED_TERMS: usize = 16;

/// The heaviest `n` terms of `centroid`, heaviest first (ties by term).
fn heaviest(centroid: &Sparse, n: usize) -> Sparse {
    let mut v = centroid.clone();
    v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

impl Writer<'_> {
    /// Sets `story`'s centroid, weighed when the store held `weighed_at`
    /// documents, and its terms in the inverted list, and returns the one
    /// it replaces. The caller keeps the story's storyline
    /// sum (see [`Writer::adjust_line_sums`]).
    pub fn put_centroid(
        &self,
        story: StoryId,
        centroid: &Sparse,
        weighed_at: i64,
    ) -> Result<Option<Sparse>, StoreError> {
        let old = self.drop_terms(story)?;
        let id = story.to_string();
        self.run(
            "UPDATE stories SET centroid = ?2, weighed_at = ?3 WHERE id = ?1",
            &[&id, &encode_centroid(centroid), &weighed_at],
        )?;
        for (term, weight) in heaviest(centroid, INDEXED_TERMS) {
            self.run(
                "INSERT INTO story_terms (term, weight, story) VALUES (?1, ?2, ?3)",
                &[&(term as i64), &f64::from(weight), &id],
            )?;
        }
        Ok(old)
    }

    /// Takes `story`'s centroid and its terms away (a story merged into
    /// another, or gone), and returns it. The caller keeps the story's
    /// storyline sum.
    pub fn drop_centroid(&self, story: StoryId) -> Result<Option<Sparse>, StoreError> {
        let old = self.drop_terms(story)?;
        if old.is_some() {
            self.run("UPDATE stories SET centroid = NULL WHERE id = ?1", &[&story.to_string()])?;
        }
        Ok(old)
    }

    /// Takes `story`'s centroid out of the inverted list, and returns it;
    /// the story's row keeps it.
    fn drop_terms(&self, story: StoryId) -> Result<Option<Sparse>, StoreError> {
        let id = story.to_string();
        let Some(old) = self.centroid(story)? else { return Ok(None) };
        for (term, weight) in heaviest(&old, INDEXED_TERMS) {
            self.run(
                "DELETE FROM story_terms WHERE term = ?1 AND weight = ?2 AND story = ?3",
                &[&(term as i64), &f64::from(weight), &id],
            )?;
        }
        Ok(Some(old))
    }

    /// Drops the centroids of `stories` (their articles changed or went:
    /// the next add weighs them again) and takes them out of their
    /// storylines' sums.
    pub fn drop_centroids(&self, stories: &BTreeSet<StoryId>) -> Result<(), StoreError> {
        let mut deltas: HashMap<StorylineId, SparseSum> = HashMap::new();
        for &story in stories {
            let line = self.storyline_of(story)?;
            if let (Some(old), Some(line)) = (self.drop_centroid(story)?, line) {
                add_scaled(deltas.entry(line).or_default(), &old, -1.0);
            }
        }
        self.adjust_line_sums(&deltas)
    }

    /// Adds each of `deltas` to its storyline's sum.
    pub fn adjust_line_sums(&self, deltas: &HashMap<StorylineId, SparseSum>) -> Result<(), StoreError> {
        for (&line, delta) in deltas {
            self.put_line_sum(line, &to_line_sum(&self.line_sum_with(line, Some(delta))?))?;
        }
        Ok(())
    }

    /// Storyline `line`'s kept sum with `delta` (changes not yet kept)
    /// added, term by term.
    pub fn line_sum_with(&self, line: StorylineId, delta: Option<&SparseSum>) -> Result<SparseSum, StoreError> {
        let mut sum: SparseSum = self.line_sum(line)?.into_iter().collect();
        for (&term, &weight) in delta.into_iter().flatten() {
            *sum.entry(term).or_insert(0.0) += weight;
        }
        Ok(sum)
    }

    /// The sum of the centroids of storyline `line`'s live stories.
    pub fn line_sum(&self, line: StorylineId) -> Result<Sparse, StoreError> {
        let id = line.to_string();
        let blob: Option<Option<Vec<u8>>> = self
            .tx
            .prepare_cached("SELECT sum FROM storylines WHERE id = ?1")
            .and_then(|mut s| s.query_row([&id], |r| r.get(0)).optional())
            .map_err(|e| self.fail(e))?;
        match blob.flatten() {
            Some(b) => decode_centroid(&b).ok_or_else(|| self.bad_centroid(&id)),
            None => Ok(Sparse::new()),
        }
    }

    /// Sets storyline `line`'s sum (empty: none).
    pub fn put_line_sum(&self, line: StorylineId, sum: &Sparse) -> Result<(), StoreError> {
        let blob = (!sum.is_empty()).then(|| encode_centroid(sum));
        self.run("UPDATE storylines SET sum = ?2 WHERE id = ?1", &[&line.to_string(), &blob])?;
        Ok(())
    }

    /// How many live stories storyline `line` holds.
    pub fn line_size(&self, line: StorylineId) -> Result<usize, StoreError> {
        let n: i64 = self
            .tx
            .prepare_cached("SELECT count(*) FROM stories WHERE storyline = ?1")
            .and_then(|mut s| s.query_row([line.to_string()], |r| r.get(0)))
            .map_err(|e| self.fail(e))?;
        Ok(n as usize)
    }

    /// The stored stories that weigh the heaviest `terms` terms of
    /// `centroid` most, at most `per_term` a term, each with the part of
    /// its dot product with `centroid` those terms give (its own story's
    /// included, when stored). The inverted list is read by weight, so
    /// that a common term costs no more than a rare one. `read` keeps the
    /// lists read so far (by term, `per_term` deep), for callers that look
    /// up many centroids while the list does not change: a term common to
    /// many of them is read once.
    pub fn centroid_neighbours(
        &self,
        centroid: &Sparse,
        terms: usize,
        per_term: usize,
        read: &mut HashMap<u64, Vec<(StoryId, f32)>>,
    ) -> Result<HashMap<StoryId, f64>, StoreError> {
        let mut dots: HashMap<StoryId, f64> = HashMap::new();
        for (term, weight) in heaviest(centroid, terms) {
            let list = match read.entry(term) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(self.postings(term, per_term)?),
            };
            for &(story, other) in list.iter() {
                *dots.entry(story).or_insert(0.0) += f64::from(weight) * f64::from(other);
            }
        }
        Ok(dots)
    }

    /// The `n` stories that weigh `term` most in the inverted list.
    fn postings(&self, term: u64, n: usize) -> Result<Vec<(StoryId, f32)>, StoreError> {
        let mut select = self
            .tx
            .prepare_cached("SELECT story, weight FROM story_terms WHERE term = ?1 ORDER BY weight DESC LIMIT ?2")
            .map_err(|e| self.fail(e))?;
        let mut rows = select.query(rusqlite::params![term as i64, n as i64]).map_err(|e| self.fail(e))?;
        let mut list = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.fail(e))? {
            let story: String = row.get(0).map_err(|e| self.fail(e))?;
            let weight: f64 = row.get(1).map_err(|e| self.fail(e))?;
            list.push((StoryId::parse(&story).ok_or_else(|| self.bad_id(&story))?, weight as f32));
        }
        Ok(list)
    }

    /// The live stories of storyline `line`, at most `limit` of them.
    pub fn line_stories(&self, line: StorylineId, limit: usize) -> Result<Vec<StoryId>, StoreError> {
        let ids: Vec<String> = self
            .tx
            .prepare_cached("SELECT id FROM stories WHERE storyline = ?1 LIMIT ?2")
            .and_then(|mut s| s.query_map((line.to_string(), limit as i64), |r| r.get(0))?.collect())
            .map_err(|e| self.fail(e))?;
        ids.iter().map(|id| StoryId::parse(id).ok_or_else(|| self.bad_id(id))).collect()
    }

    /// The storyline `story` belongs to, if any.
    pub fn storyline_of(&self, story: StoryId) -> Result<Option<StorylineId>, StoreError> {
        let line: Option<Option<String>> = self
            .tx
            .prepare_cached("SELECT storyline FROM stories WHERE id = ?1")
            .and_then(|mut s| s.query_row([story.to_string()], |r| r.get(0)).optional())
            .map_err(|e| self.fail(e))?;
        line.flatten().map(|l| StorylineId::parse(&l).ok_or_else(|| self.bad_id(&l))).transpose()
    }

    /// At most `limit` live stories whose centroids were weighed when the
    /// store held at most `documents` documents, the stalest first.
    pub fn stale_centroids(&self, documents: i64, limit: usize) -> Result<Vec<StoryId>, StoreError> {
        let ids: Vec<String> = self
            .tx
            .prepare_cached(
                "SELECT id FROM stories INDEXED BY stories_by_weighed_at
                 WHERE merged_into IS NULL AND centroid IS NOT NULL AND weighed_at <= ?1
                 ORDER BY weighed_at, first_day, seq LIMIT ?2",
            )
            .and_then(|mut s| s.query_map([documents, limit as i64], |r| r.get(0))?.collect())
            .map_err(|e| self.fail(e))?;
        ids.iter().map(|id| StoryId::parse(id).ok_or_else(|| self.bad_id(id))).collect()
    }

    /// `story`'s storyline and kept centroid, when it has a centroid.
    pub fn line_and_centroid(&self, story: StoryId) -> Result<Option<(Option<StorylineId>, Sparse)>, StoreError> {
        let id = story.to_string();
        let row: Option<(Option<String>, Option<Vec<u8>>)> = self
            .tx
            .prepare_cached("SELECT storyline, centroid FROM stories WHERE id = ?1")
            .and_then(|mut s| s.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(|e| self.fail(e))?;
        let Some((line, Some(blob))) = row else { return Ok(None) };
        let line = line.map(|l| StorylineId::parse(&l).ok_or_else(|| self.bad_id(&l))).transpose()?;
        Ok(Some((line, decode_centroid(&blob).ok_or_else(|| self.bad_centroid(&id))?)))
    }

    /// `story`'s kept centroid, if it has one.
    pub fn centroid(&self, story: StoryId) -> Result<Option<Sparse>, StoreError> {
        Ok(self.line_and_centroid(story)?.map(|(_, centroid)| centroid))
    }

    /// A new storyline whose first story is of `day`, with the next
    /// counter of that day, stamped `now`.
    pub fn new_storyline(&self, day: i64, now: &str) -> Result<StorylineId, StoreError> {
        self.new_counted(super::write::Counted::Storyline, day, now).map(StorylineId)
    }

    /// Records that storyline `younger` is now part of `older`: its stories
    /// move there, stamped `now`. The caller sets `older`'s sum.
    pub fn merge_storyline(&self, younger: StorylineId, older: StorylineId, now: &str) -> Result<(), StoreError> {
        let (younger, older) = (younger.to_string(), older.to_string());
        self.run(
            "UPDATE storylines SET merged_into = ?2, last_seen = ?3, headline = '', stories = 0, articles = 0,
             first_published = NULL, last_published = NULL, sum = NULL WHERE id = ?1",
            &[&younger, &older, &now],
        )?;
        self.run("UPDATE storylines SET merged_into = ?2 WHERE merged_into = ?1", &[&younger, &older])?;
        self.run("UPDATE storylines SET last_seen = ?2 WHERE id = ?1", &[&older, &now])?;
        self.run("UPDATE stories SET storyline = ?2 WHERE storyline = ?1", &[&younger, &older])?;
        Ok(())
    }

    /// Puts `story` in storyline `line` (or in none).
    pub fn set_storyline(&self, story: StoryId, line: Option<StorylineId>) -> Result<(), StoreError> {
        self.run(
            "UPDATE stories SET storyline = ?2 WHERE id = ?1",
            &[&story.to_string(), &line.map(|l| l.to_string())],
        )?;
        Ok(())
    }

    /// Recomputes the summaries of `lines` from their live stories (the
    /// headline of the one with most articles, the earliest first), stamped
    /// `now` when given. A storyline left without stories is deleted, with
    /// the records of the storylines merged into it; its id is never given
    /// again.
    pub fn refresh_storylines(&self, lines: &BTreeSet<StorylineId>, now: Option<&str>) -> Result<(), StoreError> {
        for line in lines {
            let id = line.to_string();
            let merged: Option<Option<String>> = self
                .tx
                .prepare_cached("SELECT merged_into FROM storylines WHERE id = ?1")
                .and_then(|mut s| s.query_row([&id], |r| r.get(0)).optional())
                .map_err(|e| self.fail(e))?;
            if !matches!(merged, Some(None)) {
                // Merged into another (refreshed with it), or gone.
                continue;
            }
            // Read from `stories_by_storyline` alone (a merged story has no
            // storyline), so that the work is the storyline's index entries,
            // not its stories' rows.
            let (n, articles, first, last): (i64, Option<i64>, Option<String>, Option<String>) = self
                .tx
                .prepare_cached(
                    "SELECT count(*), sum(articles), min(first_published), max(last_published) FROM stories
                     WHERE storyline = ?1",
                )
                .and_then(|mut s| s.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))))
                .map_err(|e| self.fail(e))?;
            if n == 0 {
                self.run("DELETE FROM storylines WHERE merged_into = ?1", &[&id])?;
                self.run("DELETE FROM storylines WHERE id = ?1", &[&id])?;
                continue;
            }
            let headline: String = self
                .tx
                .prepare_cached(
                    "SELECT headline FROM stories WHERE storyline = ?1 ORDER BY articles DESC, first_day, seq LIMIT 1",
                )
                .and_then(|mut s| s.query_row([&id], |r| r.get(0)))
                .map_err(|e| self.fail(e))?;
            self.run(
                "UPDATE storylines SET headline = ?2, stories = ?3, articles = ?4, first_published = ?5,
                 last_published = ?6 WHERE id = ?1",
                &[&id, &headline, &n, &articles.unwrap_or(0), &first, &last],
            )?;
            if let Some(now) = now {
                self.run("UPDATE storylines SET last_seen = ?2 WHERE id = ?1", &[&id, &now])?;
            }
        }
        Ok(())
    }

    /// The live stories without a centroid, oldest first (a store from
    /// before storylines were kept, until an add gives them one).
    pub fn stories_without_centroid(&self) -> Result<Vec<StoryId>, StoreError> {
        let ids: Vec<String> = self
            .tx
            .prepare_cached(
                // SQLite's planner, left to itself, walks every live story
                // through `stories_by_merged_into` (0.2 s at 1M articles)
                // instead of this partial index, which is empty but after a
                // migration or a `remove`.
                "SELECT id FROM stories INDEXED BY stories_without_centroid
                 WHERE merged_into IS NULL AND centroid IS NULL ORDER BY first_day, seq",
            )
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| self.fail(e))?;
        ids.iter().map(|id| StoryId::parse(id).ok_or_else(|| self.bad_id(id))).collect()
    }

    /// The term counts of `story`'s articles.
    pub fn member_term_counts(&self, story: StoryId) -> Result<Vec<TermCounts>, StoreError> {
        let rows: Vec<(String, Vec<u8>)> = self
            .tx
            .prepare_cached("SELECT id, term_counts FROM articles WHERE story = ?1 ORDER BY id")
            .and_then(|mut s| s.query_map([story.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(|e| self.fail(e))?;
        rows.into_iter()
            .map(|(id, blob)| {
                TermCounts::decode(&blob).ok_or_else(|| StoreError::NotAStore {
                    path: self.path.to_path_buf(),
                    detail: format!("article {id:?} has damaged term counts"),
                })
            })
            .collect()
    }

    fn bad_id(&self, id: &str) -> StoreError {
        StoreError::NotAStore { path: self.path.to_path_buf(), detail: format!("bad story or storyline id {id:?}") }
    }

    fn bad_centroid(&self, id: &str) -> StoreError {
        StoreError::NotAStore { path: self.path.to_path_buf(), detail: format!("story {id:?} has a damaged centroid") }
    }
}

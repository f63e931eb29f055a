//! Which stories a reader asks for: [`StoryFilter`], [`Since`] and
//! [`StoryRecord`].
//!
//! Owns the listing behind `storyclust stories` ([`Store::stories`]: the
//! live stories, newest activity first, filtered by recent activity and
//! size), what the store knows of a story beyond its articles
//! ([`Store::story_records`]: when it was first and last seen, which ids
//! were merged into it), stories read for a listing ([`Store::load_heads`])
//! and the store's clock format ([`timestamp`]). It
//! must not change the file.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::OptionalExtension;

use super::{read, Loaded, Store, StoreError, StoryId};
use crate::article::Date;

/// How recent a story's activity must be to be listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Since {
    /// Published or seen by the store on or after this date.
    Date(Date),
    /// Published or seen by the store within this many seconds before now
    /// (publication dates count by the day).
    Seconds(i64),
}

impl Since {
    /// Parses a date (`2024-09-23`) or a duration: a whole number of hours,
    /// days or weeks (`24h`, `7d`, `2w`).
    pub fn parse(s: &str) -> Result<Since, String> {
        let s = s.trim();
        if let Some(date) = Date::parse_iso(s) {
            return Ok(Since::Date(date));
        }
        let bad = || format!("{s:?} is neither a date (2024-09-23) nor a duration (24h, 7d, 2w)");
        let unit = match s.chars().last().ok_or_else(bad)? {
            'h' => 3_600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(bad()),
        };
        let n: i64 = s[..s.len() - 1].parse().map_err(|_| bad())?;
        if n < 0 {
            return Err(bad());
        }
        n.checked_mul(unit).map(Since::Seconds).ok_or_else(bad)
    }

    /// The earliest publication date and the earliest store time (as
    /// [`timestamp`] writes them, or a date, which sorts before every time
    /// of that day) that count as recent at `now` (seconds since the epoch).
    fn cutoff(self, now: i64) -> (String, String) {
        match self {
            Since::Date(date) => (date.to_string(), date.to_string()),
            Since::Seconds(seconds) => {
                let time = timestamp(now.saturating_sub(seconds));
                (time[..10].to_owned(), time)
            }
        }
    }
}

/// Which live stories [`Store::stories`] lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoryFilter {
    /// Only stories with recent activity: a last publication date, or a
    /// last change by an `add`, on or after this. By default, all.
    pub since: Option<Since>,
    /// Only stories of at least this many articles. By default, all
    /// (0 and 1 list the same).
    pub min_articles: usize,
}

/// What the store knows of a story beyond its articles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryRecord {
    /// The story.
    pub id: StoryId,
    /// When the `add` that made it ran (a [`timestamp`]).
    pub first_seen: String,
    /// When the last `add` that changed it ran.
    pub last_seen: String,
    /// The ids of the stories merged into it, oldest first.
    pub merged: Vec<StoryId>,
}

/// `seconds` since the epoch as the store writes times: RFC 3339 in UTC,
/// to the second (`2024-09-23T10:00:00Z`), so that times sort as text.
pub fn timestamp(seconds: i64) -> String {
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let date = Date::from_days_since_epoch(days);
    let (h, m, s) = (second_of_day / 3_600, second_of_day / 60 % 60, second_of_day % 60);
    format!("{date}T{h:02}:{m:02}:{s:02}Z")
}

/// Seconds since the epoch now, by the system clock.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// The live stories that pass `filter` at `now` (seconds since the
    /// epoch, see [`now`]), newest activity first: by last change by an
    /// `add` (`last_seen`), then by last publication date (undated last),
    /// then oldest id first.
    pub fn stories(&self, filter: &StoryFilter, now: i64) -> Result<Vec<StoryId>, StoreError> {
        let (first_published, first_seen) = filter.since.map(|since| since.cutoff(now)).unzip();
        let min_articles = filter.min_articles as i64;
        let mut select = self
            .conn
            .prepare(
                "SELECT id FROM stories
                 WHERE merged_into IS NULL AND articles > 0 AND articles >= ?1
                   AND (?2 IS NULL OR last_published >= ?2 OR last_seen >= ?3)
                 ORDER BY last_seen DESC, last_published DESC, first_day, seq",
            )
            .map_err(|e| self.error(e))?;
        let ids: Vec<String> = select
            .query_map(rusqlite::params![min_articles, first_published, first_seen], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.error(e))?;
        ids.iter().map(|id| self.parse_id(id)).collect()
    }

    /// The records of `ids` that name a story (merged ones included), in
    /// the order asked for.
    pub fn story_records(&self, ids: &[StoryId]) -> Result<Vec<StoryRecord>, StoreError> {
        // Merges are few: one pass over them, rather than a search per story
        // (`merged_into` has no index).
        let mut merged_into: HashMap<String, Vec<StoryId>> = HashMap::new();
        {
            let mut select = self
                .conn
                .prepare("SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL ORDER BY first_day, seq")
                .map_err(|e| self.error(e))?;
            let rows: Vec<(String, String)> = select
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                .and_then(|rows| rows.collect())
                .map_err(|e| self.error(e))?;
            for (id, into) in rows {
                merged_into.entry(into).or_default().push(self.parse_id(&id)?);
            }
        }
        let mut select = self
            .conn
            .prepare_cached("SELECT first_seen, last_seen FROM stories WHERE id = ?1")
            .map_err(|e| self.error(e))?;
        let mut records = Vec::with_capacity(ids.len());
        for &id in ids {
            let key = id.to_string();
            let times: Option<(String, String)> =
                select.query_row([&key], |row| Ok((row.get(0)?, row.get(1)?))).optional().map_err(|e| self.error(e))?;
            let Some((first_seen, last_seen)) = times else { continue };
            let merged = merged_into.get(&key).cloned().unwrap_or_default();
            records.push(StoryRecord { id, first_seen, last_seen, merged });
        }
        Ok(records)
    }

    /// [`Store::load`] without the bodies of articles that have a headline
    /// (left empty): enough for a listing of every story, whose memory then
    /// does not grow with the length of the texts.
    pub fn load_heads(&self, ids: &[StoryId]) -> Result<Loaded, StoreError> {
        read::load_with(&self.conn, &self.path, ids, read::Bodies::Untitled)
    }

    fn parse_id(&self, text: &str) -> Result<StoryId, StoreError> {
        StoryId::parse(text).ok_or_else(|| self.damaged(format!("bad story id {text:?}")))
    }
}

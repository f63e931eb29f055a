//! Reading stories and articles back from a store.
//!
//! Owns [`Loaded`] (stored stories as the articles and [`Clustering`] every
//! report format takes) and the queries behind it: stories by id, and the
//! outlets of stories. It must not change the file.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::{classify, StoreError, StoryId};
use crate::article::{Article, Date, Origin};
use crate::cluster::{self, Clustering, Link, Storyline};
use crate::hashes::TermSet;
use crate::represent::{DocFreqCounter, Language};

/// Stored stories, laid out as a batch run's result so that every report
/// format shows them: `clustering.stories[k]` is story `ids[k]` (its `id`
/// field reads the same), its members index `articles`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The articles of the stories, story by story, each story's in id order.
    pub articles: Vec<Article>,
    /// The stories, in the order asked for, with their duplicate groups and
    /// kept links.
    pub clustering: Clustering,
    /// The store id of each story.
    pub ids: Vec<StoryId>,
}

/// A stored article with where it belongs.
pub(crate) struct Row {
    pub(crate) article: Article,
    pub(crate) story: String,
    pub(crate) dup_group: Option<String>,
}

pub(super) const ROW_COLUMNS: &str = "id, story, dup_group, source, title, url, published, body";

/// [`ROW_COLUMNS`] with the body of titled articles left empty: what a
/// listing needs (an untitled article is shown by its opening words).
const HEAD_COLUMNS: &str =
    "id, story, dup_group, source, title, url, published, CASE WHEN title = '' THEN body ELSE '' END";

/// Which article bodies [`load`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bodies {
    /// Every body (to compare articles, or show them whole).
    All,
    /// Only those of articles without a headline; the others are empty.
    Untitled,
}

/// A row of [`ROW_COLUMNS`]; its origin is the store file.
pub(super) fn row(r: &rusqlite::Row<'_>, path: &Path) -> rusqlite::Result<Row> {
    let published: Option<String> = r.get(6)?;
    Ok(Row {
        article: Article {
            id: r.get(0)?,
            source: r.get(3)?,
            title: r.get(4)?,
            url: r.get(5)?,
            published: published.as_deref().and_then(Date::parse_iso),
            body: r.get(7)?,
            origin: Origin::file(path),
            extra: Default::default(),
        },
        story: r.get(1)?,
        dup_group: r.get(2)?,
    })
}

/// The distinct non-empty outlets of each of `stories`.
pub(crate) fn story_sources(
    conn: &Connection,
    path: &Path,
    stories: &BTreeSet<StoryId>,
) -> Result<HashMap<StoryId, BTreeSet<String>>, StoreError> {
    let mut select = conn
        .prepare_cached("SELECT DISTINCT source FROM articles WHERE story = ?1 AND source <> ''")
        .map_err(|e| classify(path, e))?;
    let mut out = HashMap::new();
    for &id in stories {
        let sources: BTreeSet<String> = select
            .query_map([id.to_string()], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(|e| classify(path, e))?;
        out.insert(id, sources);
    }
    Ok(out)
}

/// The live stories of `ids` (a merged or unknown id is left out), each
/// with its articles, duplicate groups and kept links.
pub(crate) fn load(conn: &Connection, path: &Path, ids: &[StoryId]) -> Result<Loaded, StoreError> {
    load_with(conn, path, ids, Bodies::All)
}

/// [`load`], reading the `bodies` asked for.
pub(crate) fn load_with(conn: &Connection, path: &Path, ids: &[StoryId], bodies: Bodies) -> Result<Loaded, StoreError> {
    let fail = |e| classify(path, e);
    let mut articles = Vec::new();
    let mut rows_of_story = Vec::new();
    let mut dup_of = Vec::new();
    let mut live = Vec::new();
    {
        let columns = if bodies == Bodies::All { ROW_COLUMNS } else { HEAD_COLUMNS };
        let sql = format!("SELECT {columns} FROM articles WHERE story = ?1 ORDER BY id");
        let mut select = conn.prepare_cached(&sql).map_err(fail)?;
        for &id in ids {
            let rows: Vec<Row> =
                select.query_map([id.to_string()], |r| row(r, path)).and_then(|r| r.collect()).map_err(fail)?;
            if rows.is_empty() {
                continue;
            }
            live.push(id);
            let start = articles.len();
            for r in rows {
                dup_of.push(r.dup_group);
                articles.push(r.article);
            }
            rows_of_story.push(start..articles.len());
        }
    }
    let index: HashMap<&str, usize> = articles.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let (mut story_links, mut copy_links) = (Vec::new(), Vec::new());
    {
        let mut select = conn.prepare_cached("SELECT b, kind, score FROM links WHERE a = ?1").map_err(fail)?;
        for (i, article) in articles.iter().enumerate() {
            let rows = select
                .query_map([&article.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, f64>(2)?)))
                .and_then(|r| r.collect::<Result<Vec<_>, _>>())
                .map_err(fail)?;
            for (b, kind, score) in rows {
                let Some(&j) = index.get(b.as_str()) else { continue };
                let link = Link { a: i.min(j), b: i.max(j), score: score as f32 };
                if kind == "copy" {
                    copy_links.push(link);
                } else {
                    story_links.push(link);
                }
            }
        }
    }
    let mut reps = vec![0; articles.len()];
    for range in &rows_of_story {
        reps[range.clone()].fill(range.start);
    }
    let group_of: Vec<usize> = dup_of
        .iter()
        .enumerate()
        .map(|(i, g)| g.as_deref().and_then(|g| index.get(g).copied()).filter(|&g| reps[g] == reps[i]).unwrap_or(i))
        .collect();
    let mut clustering = cluster::assemble_stories(&reps, &group_of, &story_links, &copy_links);
    // Back to the order asked for, under the store's ids.
    let position: HashMap<usize, usize> = rows_of_story.iter().enumerate().map(|(k, r)| (r.start, k)).collect();
    clustering.stories.sort_by_key(|s| position[&s.members[0]]);
    for (story, id) in clustering.stories.iter_mut().zip(&live) {
        story.id = id.to_string();
    }
    clustering.storylines = storylines_of(conn, path, &live)?;
    Ok(Loaded { articles, clustering, ids: live })
}

/// The storylines of `stories` (those in one), each with its stories
/// (indices into `stories`) in order of first appearance, in the order of
/// their first story in `stories`.
fn storylines_of(conn: &Connection, path: &Path, stories: &[StoryId]) -> Result<Vec<Storyline>, StoreError> {
    let fail = |e| classify(path, e);
    let mut select = conn.prepare_cached("SELECT storyline FROM stories WHERE id = ?1").map_err(fail)?;
    let mut lines: Vec<Storyline> = Vec::new();
    let mut line_of: HashMap<String, usize> = HashMap::new();
    for (k, id) in stories.iter().enumerate() {
        let line: Option<String> = select.query_row([id.to_string()], |r| r.get(0)).optional().map_err(fail)?.flatten();
        let Some(line) = line else { continue };
        let l = *line_of.entry(line.clone()).or_insert_with(|| {
            lines.push(Storyline { id: line, stories: Vec::new() });
            lines.len() - 1
        });
        lines[l].stories.push(k);
    }
    for line in &mut lines {
        line.stories.sort_by_key(|&k| stories[k]);
    }
    Ok(lines)
}

/// How many documents the store's frequencies count.
pub(crate) fn documents(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT value FROM totals WHERE name = 'documents'")
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(|e| classify(path, e))
}

/// The store's document counts of `terms` (the others are left out: a
/// vector only ever looks up its own terms).
pub(crate) fn doc_freq(conn: &Connection, path: &Path, terms: &TermSet) -> Result<DocFreqCounter, StoreError> {
    let fail = |e| classify(path, e);
    let n_docs = documents(conn, path)?;
    let mut select =
        conn.prepare_cached("SELECT df, capitalised, lower FROM doc_freq WHERE term = ?1").map_err(fail)?;
    let mut entries = Vec::with_capacity(terms.len());
    for &term in terms {
        let row: Option<(u32, u32, u32)> =
            select.query_row([term as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional().map_err(fail)?;
        if let Some((df, capitalised, lower)) = row {
            entries.push((term, df, capitalised, lower));
        }
    }
    // The other languages' documents have rows of their own; English's are
    // the rest.
    let mut documents: Vec<(Language, u32)> = Vec::new();
    let mut others = 0;
    let mut languages = conn.prepare_cached(LANGUAGE_ROWS).map_err(fail)?;
    let rows = languages.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).map_err(fail)?;
    for row in rows {
        let (name, n) = row.map_err(fail)?;
        let code = name.strip_prefix(LANGUAGE_PREFIX).unwrap_or_default();
        documents.push((Language::from_code(code), u32::try_from(n).unwrap_or(0)));
        others += n;
    }
    documents.push((Language::ENGLISH, u32::try_from(n_docs - others).unwrap_or(0)));
    Ok(DocFreqCounter::from_parts(documents, entries))
}

/// The `totals` row of a language's counted documents is named this prefix
/// and the language's code (`documents:hin`); English has none, its count
/// is `documents` less the others'.
const LANGUAGE_PREFIX: &str = "documents:";
const LANGUAGE_ROWS: &str = "SELECT name, value FROM totals WHERE name LIKE 'documents:%'";

/// Adds the documents of `counter` of each language but English to their
/// `totals` rows (`sign` 1), or takes them out (`sign` -1, a row left at
/// zero deleted).
pub(super) fn count_languages(
    conn: &Connection,
    path: &Path,
    counter: &DocFreqCounter,
    sign: i64,
) -> Result<(), StoreError> {
    let fail = |e| classify(path, e);
    for (language, n) in counter.documents().filter(|&(l, _)| l != Language::ENGLISH) {
        conn.prepare_cached(
            "INSERT INTO totals (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = value + ?2",
        )
        .and_then(|mut s| {
            s.execute(rusqlite::params![format!("{LANGUAGE_PREFIX}{}", language.code()), sign * i64::from(n)])
        })
        .map_err(fail)?;
    }
    if sign < 0 {
        conn.execute("DELETE FROM totals WHERE name LIKE 'documents:%' AND value <= 0", []).map_err(fail)?;
    }
    Ok(())
}

//! The steps that bring a store of an older schema to the current one
//! (called by [`super::Store`]'s `migrate`, inside its one transaction).
//!
//! Owns [`count_by_language`], the step to version 3 (document
//! frequencies counted per language), and [`recount_for_new_languages`],
//! the step to version 6 (terms of the languages that had no tools of
//! their own counted again with theirs, Cyrillic texts fingerprinted
//! again). It must not cluster, nor change which story an article is in:
//! a migration changes how the store keeps what it knows, never what was
//! decided.

use rusqlite::params;

use super::{classify, StoreError, Writer};
use crate::article::{Article, Origin};
use crate::represent::{self, detect_language, DocFreqCounter, Language, RepresentConfig, TermCounts};

/// Version 3 counts each term among the documents of its article's
/// language ([`crate::represent::df_key`]) and keeps each language's
/// document count (`totals`). Before, every article was counted as
/// English: each article of another language (told from its stored title
/// and text, as when it was added) gets its language in its term counts,
/// and, when counted, moves from the English frequencies to its
/// language's. English articles, most stores' all, are left as they are.
pub(super) fn count_by_language(w: &Writer<'_>) -> Result<(), StoreError> {
    let fail = |e| classify(w.path, e);
    let mut moved: Vec<Recount> = Vec::new();
    {
        let mut select = w.tx.prepare("SELECT id, title, body, term_counts, counted FROM articles").map_err(fail)?;
        let mut rows = select.query([]).map_err(fail)?;
        while let Some(row) = rows.next().map_err(fail)? {
            let (title, body): (String, String) = (row.get(1).map_err(fail)?, row.get(2).map_err(fail)?);
            let language = detect_language(title.trim(), body.trim());
            if language == Language::ENGLISH {
                continue;
            }
            let id: String = row.get(0).map_err(fail)?;
            let before = stored_counts(w, &id, row.get_ref(3).map_err(fail)?)?;
            let after = TermCounts { language, ..before.clone() };
            moved.push(Recount { id, before, after, counted: row.get(4).map_err(fail)? });
        }
    }
    replace_counts(w, &moved)
}

/// An article whose stored term counts a step replaces.
struct Recount {
    id: String,
    before: TermCounts,
    after: TermCounts,
    /// Whether the article is in the document frequencies.
    counted: bool,
}

/// The term counts stored for article `id` (column value `stored`).
fn stored_counts(w: &Writer<'_>, id: &str, stored: rusqlite::types::ValueRef<'_>) -> Result<TermCounts, StoreError> {
    stored.as_blob().ok().and_then(TermCounts::decode).ok_or_else(|| StoreError::NotAStore {
        path: w.path.to_path_buf(),
        detail: format!("article {id:?} has damaged term counts"),
    })
}

/// Writes each article's new counts, and moves the counted ones' document
/// frequencies from their old counts to their new ones.
fn replace_counts(w: &Writer<'_>, recounts: &[Recount]) -> Result<(), StoreError> {
    let (mut removed, mut added) = (DocFreqCounter::default(), DocFreqCounter::default());
    for Recount { id, before, after, counted } in recounts {
        if *counted {
            removed.add(before);
            added.add(after);
        }
        let mut blob = Vec::new();
        after.encode(&mut blob);
        w.tx.execute("UPDATE articles SET term_counts = ?2 WHERE id = ?1", params![id, blob])
            .map_err(|e| classify(w.path, e))?;
    }
    w.count_documents(&removed, -1)?;
    w.count_documents(&added, 1)
}

/// Version 6 gives every language whatlang tells in a script other than
/// Latin tools of its own (Serbian, Macedonian, Georgian, Kannada, Telugu
/// and others: truncation, Serbian spelt in Latin), and spells Serbian
/// Cyrillic in Latin in shingles. Before, those articles were counted as
/// [`Language::OTHER`], words kept whole: each is counted again from its
/// stored title and text as an add would count it now, its frequencies
/// move to its language's, and its story's kept centroid is marked as
/// weighed by an empty store, so that the next add weighs it again from the
/// new counts (term counts take no option an add can set). Every article
/// with Cyrillic in its text loses its fingerprint and copy keys, which the
/// next add makes again ([`Writer::ensure_fingerprints`]), so that it meets
/// its copies in either script.
pub(super) fn recount_for_new_languages(w: &Writer<'_>) -> Result<(), StoreError> {
    let fail = |e| classify(w.path, e);
    let mut recounted: Vec<Recount> = Vec::new();
    let mut stories: Vec<String> = Vec::new();
    let mut cyrillic: Vec<i64> = Vec::new();
    {
        let mut select =
            w.tx.prepare("SELECT id, story, title, body, term_counts, counted, rowid FROM articles").map_err(fail)?;
        let mut rows = select.query([]).map_err(fail)?;
        while let Some(row) = rows.next().map_err(fail)? {
            let id: String = row.get(0).map_err(fail)?;
            let body = row.get_ref(3).map_err(fail)?.as_str().map_err(|e| fail(e.into()))?;
            if body.chars().any(|c| ('\u{400}'..='\u{4FF}').contains(&c)) {
                cyrillic.push(row.get(6).map_err(fail)?);
            }
            let before = stored_counts(w, &id, row.get_ref(4).map_err(fail)?)?;
            if before.language != Language::OTHER {
                continue;
            }
            let article = Article {
                id: id.clone(),
                source: String::new(),
                title: row.get(2).map_err(fail)?,
                url: String::new(),
                published: None,
                body: body.to_owned(),
                origin: Origin::file(w.path),
                extra: Default::default(),
            };
            let after = represent::count_terms(&article, &RepresentConfig::default());
            stories.push(row.get(1).map_err(fail)?);
            recounted.push(Recount { id, before, after, counted: row.get(5).map_err(fail)? });
        }
    }
    for rowid in cyrillic {
        w.tx.execute("UPDATE articles SET fingerprint = NULL WHERE rowid = ?1", [rowid]).map_err(fail)?;
        w.tx.execute("DELETE FROM copy_keys WHERE article = ?1", [rowid]).map_err(fail)?;
    }
    for story in stories {
        w.tx.execute("UPDATE stories SET weighed_at = 0 WHERE id = ?1", [story]).map_err(fail)?;
    }
    replace_counts(w, &recounted)
}

//! Which part of its active window an add clusters a batch with, and the
//! batch and that part laid out as one clustering input ([`Selected`]).
//!
//! A known story takes part when the batch touches it: one of its
//! window's articles is a copy of a batch article, or the index finds it
//! next to one (in either direction). The index searches the batch
//! together with the window's articles of the batch's days and the last
//! `shard_size` ([`crate::index::IndexConfig`]) published before them, as
//! if the batch continued a batch run's last date shard (an undated
//! article counts as of the store's newest day, as for the window). The
//! window's copies of the batch are found by streaming its stored copy
//! keys through a [`Probe`]. So the work of an add follows the batch and the stories it
//! touches, not the size of the window. This module must not write to
//! the store.

use rayon::prelude::*;

use crate::article::Article;
use crate::fingerprint::{self, DupGroups, Fingerprint, Probe};
use crate::hashes::{TermMap, TermSet};
use crate::pipeline::{self, Config, Progress, Stage};
use crate::represent::{self, DocFreq, DocFreqCounter, Language, StoryVector, TermCounts};
use crate::store::{Selection, StoreError, StoryId, Window, WindowArticle, Writer};

/// The batch and the part of the window it is clustered with, in id order,
/// with everything clustering needs.
pub(super) struct Selected {
    /// The articles (window articles without their bodies).
    pub(super) articles: Vec<Article>,
    /// The known story of each window article; `None` for the batch's.
    pub(super) before: Vec<Option<StoryId>>,
    /// The content hash of each batch article; `None` for the window's.
    pub(super) hashes: Vec<Option<u64>>,
    pub(super) counts: Vec<TermCounts>,
    pub(super) fingerprints: Vec<Fingerprint>,
    pub(super) dups: DupGroups,
    /// The batch articles counted in the document frequencies (see
    /// [`counted_articles`]).
    pub(super) counted: Vec<bool>,
    pub(super) vectors: Vec<StoryVector>,
    /// The index's neighbours of each near-duplicate group's
    /// representative (the others' lists are empty).
    pub(super) neighbours: Vec<Vec<(usize, f32)>>,
    /// Whether the index held each article: the batch, its copies and
    /// the window's articles of the batch's days and just before them.
    /// The others are older articles of the stories the batch touches.
    pub(super) indexed: Vec<bool>,
}

/// One article of the clustering input.
struct Item {
    article: Article,
    before: Option<StoryId>,
    hash: Option<u64>,
    counts: TermCounts,
    fingerprint: Fingerprint,
}

impl Item {
    fn known(w: WindowArticle) -> Item {
        Item { article: w.article, before: Some(w.story), hash: None, counts: w.counts, fingerprint: w.fingerprint }
    }
}

/// Chooses the window's part for `fresh` (batch articles with their
/// content hashes; an undated one taken as of `undated_day`, the store's
/// newest day) and lays both out (see the module doc).
pub(super) fn select(
    w: &Writer<'_>,
    fresh: Vec<(Article, u64)>,
    window: Window<'_>,
    undated_day: Option<i64>,
    config: &Config,
    progress: &dyn Progress,
) -> Result<Selected, StoreError> {
    progress.start(Stage::Fingerprint, fresh.len() as u64);
    // An undated article is searched as of `undated_day`, as the window
    // counts it.
    let days = fresh.iter().filter_map(|(a, _)| a.published.map(|d| d.days_since_epoch()).or(undated_day));
    let days = days.fold((i64::MAX, i64::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let context =
        if days.0 <= days.1 { Selection::Near { days, before_limit: config.index.shard_size } } else { Selection::All };
    // What the window gives without the batch's fingerprints (its copy
    // keys, the index's context) is read by SQLite on this thread while
    // the batch is fingerprinted on the others.
    let n_fresh = fresh.len() as u64;
    let mut batch: Vec<Item> = Vec::new();
    let read = rayon::in_place_scope(|scope| {
        scope.spawn(|_| {
            batch = fresh
                .into_par_iter()
                .map(|(article, hash)| {
                    let counts = represent::count_terms(&article, &config.represent);
                    let fingerprint = fingerprint::fingerprint(&article.body, &config.fingerprint);
                    Item { article, before: None, hash: Some(hash), counts, fingerprint }
                })
                .collect();
        });
        Ok::<_, StoreError>((w.window_copy_keys(window)?, w.window_articles(window, context)?))
    });
    let (keys, mut known) = read?;
    progress.advance(n_fresh);
    progress.start(Stage::StoreRead, n_fresh);
    let fingerprints: Vec<Fingerprint> = batch.iter().map(|i| i.fingerprint.clone()).collect();
    let copies = w.window_copies(&keys, &Probe::new(&fingerprints, &config.fingerprint))?;
    drop(keys);
    known.extend(w.window_articles(window, Selection::Ids(&copies))?);
    known.sort_unstable_by(|a, b| a.article.id.cmp(&b.article.id));
    known.dedup_by(|a, b| a.article.id == b.article.id);
    let mut items = batch;
    items.extend(known.into_iter().map(Item::known));
    let mut df = StoreDf::default();
    let near = Laid::out(items, w, &mut df, config, progress, None)?;
    let n = near.items.len();
    progress.start(Stage::Index, n as u64);
    let neighbours = pipeline::index_neighbours(&near.vectors, &near.dups.group_of, &near.days(), config);

    // The known stories the batch touches, whole (within the window).
    let mut touched: Vec<StoryId> = Vec::new();
    for (i, list) in neighbours.iter().enumerate() {
        let from_batch = near.items[i].hash.is_some();
        for &(j, _) in list {
            match (from_batch, near.items[j].before, near.items[i].before) {
                (true, Some(story), _) | (false, None, Some(story)) => touched.push(story),
                _ => {}
            }
        }
    }
    let mut with_batch = vec![false; n];
    for (i, item) in near.items.iter().enumerate() {
        with_batch[near.dups.group_of[i]] |= item.hash.is_some();
    }
    for (i, item) in near.items.iter().enumerate() {
        if with_batch[near.dups.group_of[i]] {
            touched.extend(item.before);
        }
    }
    touched.sort_unstable();
    touched.dedup();
    progress.start(Stage::StoreRead, touched.len() as u64);
    let members = w.window_articles(window, Selection::Stories(&touched))?;

    // The batch and the touched stories; the index's lists follow them.
    let Laid { items, counted, vectors, .. } = near;
    let old_ids: Vec<String> = items.iter().map(|i| i.article.id.clone()).collect();
    let counted_before: Vec<&str> =
        old_ids.iter().zip(&counted).filter(|(_, &c)| c).map(|(id, _)| id.as_str()).collect();
    let weighed = Weighed { ids: &old_ids, counted: &counted_before, vectors };
    let mut kept: Vec<Item> =
        items.into_iter().filter(|i| i.before.is_none_or(|s| touched.binary_search(&s).is_ok())).collect();
    let have: std::collections::HashSet<String> = kept.iter().map(|i| i.article.id.clone()).collect();
    kept.extend(members.into_iter().filter(|m| !have.contains(&m.article.id)).map(Item::known));
    let all = Laid::out(kept, w, &mut df, config, progress, Some(weighed))?;
    let (neighbours, indexed) = follow(&old_ids, neighbours, &all);
    Ok(all.into_selected(neighbours, indexed))
}

/// Story vectors weighed for an earlier layout: `vectors[k]` is article
/// `ids[k]`'s, with the batch articles `counted` (in id order) in the
/// document frequencies.
struct Weighed<'a> {
    ids: &'a [String],
    counted: &'a [&'a str],
    vectors: Vec<StoryVector>,
}

/// Items in id order with their near-duplicate groups, counting and story
/// vectors.
struct Laid {
    items: Vec<Item>,
    dups: DupGroups,
    counted: Vec<bool>,
    vectors: Vec<StoryVector>,
}

impl Laid {
    fn out(
        mut items: Vec<Item>,
        w: &Writer<'_>,
        df: &mut StoreDf,
        config: &Config,
        progress: &dyn Progress,
        earlier: Option<Weighed<'_>>,
    ) -> Result<Laid, StoreError> {
        items.sort_unstable_by(|a, b| a.article.id.cmp(&b.article.id));
        let fingerprints: Vec<Fingerprint> = items.iter().map(|i| i.fingerprint.clone()).collect();
        let dups = fingerprint::near_duplicates(&fingerprints, &config.fingerprint);
        let hashes: Vec<Option<u64>> = items.iter().map(|i| i.hash).collect();
        let counted = counted_articles(&dups.group_of, &hashes);
        progress.start(Stage::StoreRead, items.len() as u64);
        df.fetch(w, items.iter().flat_map(|i| i.counts.df_keys()))?;
        let counted_counts = items.iter().zip(&counted).filter(|(_, &c)| c).map(|(i, _)| &i.counts);
        let doc_freq = df.doc_freq(counted_counts);
        progress.start(Stage::Represent, items.len() as u64);
        // The store's frequencies of a term do not change within an add:
        // with the same batch articles counted, a vector weighed for the
        // earlier layout is the one this layout would weigh.
        let counted_ids = items.iter().zip(&counted).filter(|(_, &c)| c).map(|(i, _)| i.article.id.as_str());
        let earlier = earlier.filter(|e| counted_ids.eq(e.counted.iter().copied()));
        let mut earlier_vectors: std::collections::HashMap<&str, StoryVector> = match earlier {
            Some(e) => e.ids.iter().map(String::as_str).zip(e.vectors).collect(),
            None => Default::default(),
        };
        let known: Vec<Option<StoryVector>> =
            items.iter().map(|i| earlier_vectors.remove(i.article.id.as_str())).collect();
        let vectors = items
            .par_iter()
            .zip(known)
            .map(|(i, known)| known.unwrap_or_else(|| represent::weigh(&i.counts, &doc_freq, &config.represent)))
            .collect();
        progress.advance(items.len() as u64);
        Ok(Laid { items, dups, counted, vectors })
    }

    fn days(&self) -> Vec<Option<i64>> {
        self.items.iter().map(|i| i.article.published.map(|d| d.days_since_epoch())).collect()
    }

    fn into_selected(self, neighbours: Vec<Vec<(usize, f32)>>, indexed: Vec<bool>) -> Selected {
        let n = self.items.len();
        let mut s = Selected {
            articles: Vec::with_capacity(n),
            before: Vec::with_capacity(n),
            hashes: Vec::with_capacity(n),
            counts: Vec::with_capacity(n),
            fingerprints: Vec::with_capacity(n),
            dups: self.dups,
            counted: self.counted,
            vectors: self.vectors,
            neighbours,
            indexed,
        };
        for item in self.items {
            s.articles.push(item.article);
            s.before.push(item.before);
            s.hashes.push(item.hash);
            s.counts.push(item.counts);
            s.fingerprints.push(item.fingerprint);
        }
        s
    }
}

/// The index's lists (`old` indexes `old_ids`) for the items of `laid`:
/// entries to items left out dropped, and each list held by its item's
/// near-duplicate group representative in `laid` (merged, best first);
/// and which items of `laid` the index held.
fn follow(old_ids: &[String], old: Vec<Vec<(usize, f32)>>, laid: &Laid) -> (Vec<Vec<(usize, f32)>>, Vec<bool>) {
    let position: std::collections::HashMap<&str, usize> =
        laid.items.iter().enumerate().map(|(k, i)| (i.article.id.as_str(), k)).collect();
    let new_of: Vec<Option<usize>> = old_ids.iter().map(|id| position.get(id.as_str()).copied()).collect();
    let mut indexed = vec![false; laid.items.len()];
    for &k in new_of.iter().flatten() {
        indexed[k] = true;
    }
    let mut lists: Vec<Vec<(usize, f32)>> = vec![Vec::new(); laid.items.len()];
    for (i, list) in old.into_iter().enumerate() {
        let Some(k) = new_of[i] else { continue };
        let holder = laid.dups.group_of[k];
        lists[holder].extend(list.into_iter().filter_map(|(j, s)| new_of[j].map(|j| (laid.dups.group_of[j], s))));
    }
    for (k, list) in lists.iter_mut().enumerate() {
        list.retain(|&(j, _)| j != k);
        list.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        list.dedup_by_key(|e| e.0);
        list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        list.shrink_to_fit();
    }
    (lists, indexed)
}

/// The batch articles to count in the document frequencies: one per
/// near-duplicate group (`group_of`), the first, and none in a group with
/// a stored article (it was counted when stored). Frequencies count each
/// group once, as a batch run's do.
pub(super) fn counted_articles(group_of: &[usize], hashes: &[Option<u64>]) -> Vec<bool> {
    let mut has_stored = vec![false; group_of.len()];
    for (i, hash) in hashes.iter().enumerate() {
        if hash.is_none() {
            has_stored[group_of[i]] = true;
        }
    }
    let mut taken = vec![false; group_of.len()];
    hashes
        .iter()
        .enumerate()
        .map(|(i, hash)| {
            let group = group_of[i];
            let count = hash.is_some() && !has_stored[group] && !taken[group];
            taken[group] |= count;
            count
        })
        .collect()
}

/// The store's document frequencies of the terms looked up so far (each
/// term read once per add), by their keys ([`represent::df_key`]).
#[derive(Default)]
struct StoreDf {
    documents: Vec<(Language, u32)>,
    looked_up: TermSet,
    entries: TermMap<(u32, u32, u32)>,
}

impl StoreDf {
    fn fetch(&mut self, w: &Writer<'_>, terms: impl Iterator<Item = u64>) -> Result<(), StoreError> {
        let missing: TermSet = terms.filter(|t| !self.looked_up.contains(t)).collect();
        if missing.is_empty() && !self.looked_up.is_empty() {
            return Ok(());
        }
        let counter = w.doc_freq(&missing)?;
        self.documents = counter.documents().collect();
        self.entries.extend(counter.entries().map(|(t, df, c, l)| (t, (df, c, l))));
        self.looked_up.extend(missing);
        Ok(())
    }

    /// The frequencies, with the `counted` batch documents added.
    fn doc_freq<'c>(&self, counted: impl Iterator<Item = &'c TermCounts>) -> DocFreq {
        let entries = self.entries.iter().map(|(&t, &(df, c, l))| (t, df, c, l));
        let mut counter = DocFreqCounter::from_parts(self.documents.iter().copied(), entries);
        for counts in counted {
            counter.add(counts);
        }
        counter.finish()
    }
}

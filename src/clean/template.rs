//! Template learning: which lines are a site's template, learned from the
//! input itself by counting hashed lines (no all-pairs comparison of
//! documents).
//!
//! 1. Every document contributes the set of its line keys; `df` counts the
//!    documents holding each key. Keys held by fewer than `min` documents are
//!    done with (most prose lines).
//! 2. Two documents are *copies* (syndication) when the prose lines they
//!    share are a majority of the smaller one's prose lines. Documents
//!    without prose (a headline-only record) compare all their lines.
//! 3. A non-prose line is template when `min` of the documents holding it
//!    are pairwise not copies: the pages sharing it otherwise differ. The
//!    documents holding a key are scanned in a canonical order (a hash of
//!    each document's keys, so the result does not depend on input order),
//!    greedily, stopping as soon as `min` differing ones are found; usually
//!    after two.
//! 4. A prose line (a tagline, a newsletter blurb, a disclaimer) is template
//!    only when `min` pairwise differing documents hold it *and they are
//!    pages of one site*: at least two, and the majority, of their non-prose
//!    template lines are the same. A sentence two outlets both quote is not
//!    template.
//!
//! Records (feed bodies) are counted apart from pages, with their own
//! threshold; see `page::clean_record` for how little is removed from them.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::lines::{KeyMap, Line};
use crate::hashes::IdHasher;

/// A set of line keys.
pub(crate) type KeySet = HashSet<u64, BuildHasherDefault<IdHasher>>;

/// The learned template lines, for pages and for records.
#[derive(Debug, Default)]
pub(crate) struct Templates {
    /// Template line keys of pages.
    pub pages: KeySet,
    /// Template line keys of feed records.
    pub records: KeySet,
}

/// Flags of a key in one document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct KeyFlags {
    prose: bool,
    generic: bool,
}

/// The distinct keys of one document, sorted, and its prose keys: all that
/// template learning keeps of a document.
pub(crate) struct DocKeys {
    keys: Vec<(u64, KeyFlags)>,
    /// Sorted keys compared to tell copies apart.
    content: Vec<u64>,
    /// A hash of all keys: the canonical order of documents.
    order: u64,
}

/// The keys of a document's lines.
pub(crate) fn doc_keys(lines: &[Line]) -> DocKeys {
    let mut keys: Vec<(u64, KeyFlags)> =
        lines.iter().map(|l| (l.key, KeyFlags { prose: l.prose, generic: l.generic || l.copyright })).collect();
    keys.sort_unstable_by_key(|&(k, _)| k);
    keys.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1.prose |= b.1.prose;
            a.1.generic |= b.1.generic;
            true
        } else {
            false
        }
    });
    let mut content: Vec<u64> = keys.iter().filter(|(_, f)| f.prose).map(|&(k, _)| k).collect();
    if content.is_empty() {
        content = keys.iter().map(|&(k, _)| k).collect();
    }
    let bytes: Vec<u8> = keys.iter().flat_map(|(k, _)| k.to_le_bytes()).collect();
    DocKeys { order: xxh3_64(&bytes), keys, content }
}

/// Learns the template lines of pages and records from the keys of every
/// document and whether it is a page, in any order.
pub(crate) fn learn(docs: &[(DocKeys, bool)], min_pages: usize, min_records: usize) -> Templates {
    let min_pages = min_pages.max(2);
    let min_records = min_records.max(min_pages);
    let pages: Vec<&DocKeys> = docs.iter().filter(|(_, page)| *page).map(|(k, _)| k).collect();
    let records: Vec<&DocKeys> = docs.iter().filter(|(_, page)| !*page).map(|(k, _)| k).collect();
    Templates { pages: learn_domain(&pages, min_pages), records: learn_domain(&records, min_records) }
}

/// Documents holding each key.
fn document_frequency(docs: &[&DocKeys]) -> KeyMap<u32> {
    docs.par_iter()
        .fold(KeyMap::<u32>::default, |mut map, d| {
            for &(k, _) in &d.keys {
                *map.entry(k).or_insert(0) += 1;
            }
            map
        })
        .reduce(KeyMap::<u32>::default, |a, b| {
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (k, n) in small {
                *big.entry(k).or_insert(0) += n;
            }
            big
        })
}

/// Size of the intersection of two sorted key lists.
fn common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Whether at least `least` items, and a majority of the smaller of two
/// sorted lists, are shared.
fn mostly_shared(a: &[u64], b: &[u64], least: usize) -> bool {
    if a.len() < least || b.len() < least {
        return false;
    }
    let n = common(a, b);
    n >= least && 2 * n > a.len().min(b.len())
}

/// At most this many groups are tried per prose key (one per site).
const MAX_GROUPS: usize = 8;

/// Whether `holders` contains `min` documents that pairwise differ (and, with
/// `sites`, that are pages of one site).
fn differing_holders(holders: &[u32], docs: &[&DocKeys], sites: Option<&[Vec<u64>]>, min: usize) -> bool {
    let differ = |a: u32, b: u32| !mostly_shared(&docs[a as usize].content, &docs[b as usize].content, 1);
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for &d in holders {
        if let Some(sites) = sites {
            if sites[d as usize].len() < 2 {
                continue;
            }
        }
        let mut placed = false;
        for g in &mut groups {
            let same_site = sites.is_none_or(|s| mostly_shared(&s[g[0] as usize], &s[d as usize], 2));
            if !same_site {
                continue;
            }
            placed = true;
            if g.iter().all(|&m| differ(m, d)) {
                g.push(d);
                if g.len() >= min {
                    return true;
                }
            }
            break;
        }
        if !placed && groups.len() < if sites.is_some() { MAX_GROUPS } else { 1 } {
            groups.push(vec![d]);
        }
    }
    false
}

fn learn_domain(docs: &[&DocKeys], min: usize) -> KeySet {
    let mut template = KeySet::default();
    if docs.len() < min {
        return template;
    }
    let df = document_frequency(docs);
    // The holders of each key held by `min` or more documents, in canonical
    // document order.
    let mut order: Vec<u32> = (0..docs.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (docs[i as usize].order, i));
    let mut holders: KeyMap<(KeyFlags, Vec<u32>)> = KeyMap::default();
    for &i in &order {
        for &(k, f) in &docs[i as usize].keys {
            if df.get(&k).copied().unwrap_or(0) >= min as u32 {
                let e = holders.entry(k).or_insert((f, Vec::new()));
                e.0.prose |= f.prose;
                e.0.generic |= f.generic;
                e.1.push(i);
            }
        }
    }
    let shared: Vec<(u64, KeyFlags, Vec<u32>)> = holders.into_iter().map(|(k, (f, h))| (k, f, h)).collect();
    // Non-prose lines.
    template.extend(
        shared
            .par_iter()
            .filter(|(_, f, h)| !f.prose && differing_holders(h, docs, None, min))
            .map(|&(k, _, _)| k)
            .collect::<Vec<u64>>(),
    );
    // Prose lines: within one site.
    let sites: Vec<Vec<u64>> = docs
        .par_iter()
        .map(|d| d.keys.iter().filter(|(k, f)| !f.prose && template.contains(k)).map(|&(k, _)| k).collect())
        .collect();
    let prose: Vec<u64> = shared
        .par_iter()
        .filter(|(_, f, h)| f.prose && differing_holders(h, docs, Some(&sites), min))
        .map(|&(k, _, _)| k)
        .collect();
    template.extend(prose);
    template
}

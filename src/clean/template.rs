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

/// The distinct keys of one document: all that template learning keeps of a
/// document (held for every document of the input until [`learn`]).
pub(crate) struct DocKeys {
    /// A hash of all keys (the canonical order of documents), then the prose
    /// keys, sorted, then the other keys, sorted: one allocation.
    keys: Box<[u64]>,
    /// How many prose keys follow the hash.
    prose: u32,
}

impl DocKeys {
    /// The canonical order of the document: a hash of all its keys.
    fn order(&self) -> u64 {
        self.keys[0]
    }

    /// The prose keys, sorted.
    fn prose(&self) -> &[u64] {
        &self.keys[1..1 + self.prose as usize]
    }

    /// The other keys, sorted.
    fn other(&self) -> &[u64] {
        &self.keys[1 + self.prose as usize..]
    }

    /// All keys: the prose keys, then the others.
    fn keys(&self) -> &[u64] {
        &self.keys[1..]
    }

    /// Sorted keys compared to tell copies apart: the prose keys, or all keys
    /// of a document without prose.
    fn content(&self) -> &[u64] {
        if self.prose > 0 {
            self.prose()
        } else {
            self.other()
        }
    }
}

impl DocKeys {
    /// Appends the keys, and whether the document is a page, to `out`:
    /// 4 bytes of key count, 4 of prose count, 1 of page, then the keys
    /// (the canonical hash first), each 8 bytes, little-endian.
    pub(crate) fn encode(&self, page: bool, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.keys.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.prose.to_le_bytes());
        out.push(u8::from(page));
        self.keys.iter().for_each(|k| out.extend_from_slice(&k.to_le_bytes()));
    }

    /// The document [`DocKeys::encode`] wrote at the start of `bytes`, with
    /// its page flag and the rest of `bytes`; `None` if they are not such
    /// a record.
    pub(crate) fn decode(bytes: &[u8]) -> Option<((DocKeys, bool), &[u8])> {
        let n = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
        let prose = u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?);
        let page = match *bytes.get(8)? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let end = n.checked_mul(8)?.checked_add(9)?;
        let keys = read_keys(bytes.get(9..end)?);
        ((prose as usize) < n).then(|| ((DocKeys { keys, prose }, page), &bytes[end..]))
    }
}

/// Little-endian 8-byte keys.
fn read_keys(bytes: &[u8]) -> Box<[u64]> {
    bytes.chunks_exact(8).map(|k| u64::from_le_bytes(k.try_into().expect("8 bytes"))).collect()
}

impl Templates {
    /// The template keys as bytes: for pages, then for records, each a
    /// count (8 bytes) and the keys in ascending order (8 bytes each),
    /// little-endian.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + 8 * (self.pages.len() + self.records.len()));
        for set in [&self.pages, &self.records] {
            let mut keys: Vec<u64> = set.iter().copied().collect();
            keys.sort_unstable();
            out.extend_from_slice(&(keys.len() as u64).to_le_bytes());
            keys.iter().for_each(|k| out.extend_from_slice(&k.to_le_bytes()));
        }
        out
    }

    /// The templates [`Templates::encode`] wrote; `None` if `bytes` are
    /// not exactly that.
    pub(crate) fn decode(bytes: &[u8]) -> Option<Templates> {
        let mut rest = bytes;
        let mut sets = [KeySet::default(), KeySet::default()];
        for set in &mut sets {
            let n = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
            let end = n.checked_mul(8)?.checked_add(8)?;
            set.extend(read_keys(rest.get(8..end)?).iter());
            rest = &rest[end..];
        }
        let [pages, records] = sets;
        rest.is_empty().then_some(Templates { pages, records })
    }
}

/// The keys of a document's lines. A key is prose when any of its lines is.
pub(crate) fn doc_keys(lines: &[Line]) -> DocKeys {
    let mut all: Vec<u64> = lines.iter().map(|l| l.key).collect();
    all.sort_unstable();
    all.dedup();
    let mut prose = vec![false; all.len()];
    for l in lines.iter().filter(|l| l.prose) {
        if let Ok(i) = all.binary_search(&l.key) {
            prose[i] = true;
        }
    }
    let mut out = Vec::with_capacity(1 + all.len());
    out.push(hash_keys(&all));
    out.extend(all.iter().zip(&prose).filter(|&(_, &p)| p).map(|(&k, _)| k));
    let n_prose = out.len() - 1;
    out.extend(all.iter().zip(&prose).filter(|&(_, &p)| !p).map(|(&k, _)| k));
    DocKeys { keys: out.into_boxed_slice(), prose: n_prose as u32 }
}

/// The xxh3 of the keys' little-endian bytes, one key after the other.
fn hash_keys(keys: &[u64]) -> u64 {
    #[cfg(target_endian = "little")]
    {
        // SAFETY: the bytes of `keys` are `size_of_val(keys)` initialised
        // bytes of one allocation, any of which is a valid `u8` (which needs
        // no alignment), borrowed as long as `keys`; on a little-endian
        // machine they are the keys' little-endian bytes in order.
        let bytes = unsafe { std::slice::from_raw_parts(keys.as_ptr().cast::<u8>(), std::mem::size_of_val(keys)) };
        xxh3_64(bytes)
    }
    #[cfg(not(target_endian = "little"))]
    {
        let bytes: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
        xxh3_64(&bytes)
    }
}

/// Learns the template lines of pages and records from the keys of every
/// document and whether it is a page, in any order.
pub(crate) fn learn(docs: &[(DocKeys, bool)], min_pages: usize, min_records: usize) -> Templates {
    let min_pages = min_pages.max(2);
    let min_records = min_records.max(min_pages);
    let pages: Vec<&DocKeys> = docs.iter().filter(|(_, page)| *page).map(|(k, _)| k).collect();
    let records: Vec<&DocKeys> = docs.iter().filter(|(_, page)| !*page).map(|(k, _)| k).collect();
    Templates { pages: learn_domain(pages, min_pages), records: learn_domain(records, min_records) }
}

/// Bits of each pass of [`sort_keys`]' radix sort.
const RADIX_BITS: u32 = 11;

/// Sorts keys: in parallel when there is more than one thread, else by
/// their high 32 bits with a radix sort (three passes of 11 bits), then each
/// run of keys alike in those bits (keys held by several documents, rarely
/// others) by the rest.
fn sort_keys(mut keys: Vec<u64>) -> Vec<u64> {
    if rayon::current_num_threads() > 1 {
        keys.par_sort_unstable();
        return keys;
    }
    const PASSES: usize = 32_usize.div_ceil(RADIX_BITS as usize);
    const BUCKETS: usize = 1 << RADIX_BITS;
    let digit = |k: u64, pass: usize| (k >> (32 + RADIX_BITS as usize * pass)) as usize & (BUCKETS - 1);
    let mut counts = vec![[0u32; BUCKETS]; PASSES];
    for &k in &keys {
        for (pass, c) in counts.iter_mut().enumerate() {
            c[digit(k, pass)] += 1;
        }
    }
    let mut to = vec![0u64; keys.len()];
    for (pass, c) in counts.iter().enumerate() {
        if c.contains(&(keys.len() as u32)) {
            continue;
        }
        let mut next = [0u32; BUCKETS];
        for b in 1..BUCKETS {
            next[b] = next[b - 1] + c[b - 1];
        }
        for &k in &keys {
            let b = digit(k, pass);
            to[next[b] as usize] = k;
            next[b] += 1;
        }
        std::mem::swap(&mut keys, &mut to);
    }
    drop(to);
    for run in keys.chunk_by_mut(|a, b| a >> 32 == b >> 32) {
        if run.len() > 1 {
            run.sort_unstable();
        }
    }
    keys
}

/// Bits of the filter of shared keys in [`Shared::new`].
const FILTER_BITS: usize = 1 << 20;

/// The keys held by `min` or more documents, and the documents holding
/// each, in document order.
struct Shared {
    /// The keys, sorted.
    keys: Vec<u64>,
    /// Whether the key is a prose line in any document holding it.
    prose: Vec<bool>,
    /// Where the holders of each key start in `holders` (one more entry than keys).
    starts: Vec<u32>,
    /// The holders of all keys (canonical ranks of documents), one after the
    /// other.
    holders: Vec<u32>,
}

impl Shared {
    /// Counts the documents holding each key (by sorting every document's
    /// keys) and lists the holders of those held by `min` or more.
    fn new(docs: &[&DocKeys], rank: &[u32], min: usize) -> Shared {
        let mut all: Vec<u64> = Vec::with_capacity(docs.iter().map(|d| d.keys().len()).sum());
        for d in docs {
            all.extend_from_slice(d.keys());
        }
        let all = sort_keys(all);
        let mut keys = Vec::new();
        let mut starts = vec![0u32];
        // A document holds a key once: the length of its run is its count.
        for run in all.chunk_by(|a, b| a == b) {
            if run.len() >= min {
                keys.push(run[0]);
                starts.push(starts[starts.len() - 1] + run.len() as u32);
            }
        }
        drop(all);
        let index: KeyMap<u32> = keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        // Most keys are not shared: a bit per hash of the low bits of the
        // shared ones spares looking them up.
        let mut filter = vec![0u64; FILTER_BITS / 64];
        for &k in &keys {
            let bit = k as usize % FILTER_BITS;
            filter[bit / 64] |= 1 << (bit % 64);
        }
        let mut prose = vec![false; keys.len()];
        let mut next = starts[..keys.len()].to_vec();
        let mut holders = vec![0u32; starts[keys.len()] as usize];
        for (doc, &r) in docs.iter().zip(rank) {
            for (i, &k) in doc.keys().iter().enumerate() {
                let bit = k as usize % FILTER_BITS;
                if filter[bit / 64] & (1 << (bit % 64)) == 0 {
                    continue;
                }
                if let Some(&j) = index.get(&k) {
                    let j = j as usize;
                    holders[next[j] as usize] = r;
                    next[j] += 1;
                    prose[j] |= i < doc.prose as usize;
                }
            }
        }
        // Holders in canonical order.
        for i in 0..keys.len() {
            holders[starts[i] as usize..starts[i + 1] as usize].sort_unstable();
        }
        Shared { keys, prose, starts, holders }
    }

    /// The holders of the `i`-th key.
    fn holders(&self, i: usize) -> &[u32] {
        &self.holders[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// Size of the intersection of two sorted lists.
fn common<T: Ord>(a: &[T], b: &[T]) -> usize {
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
fn mostly_shared<T: Ord>(a: &[T], b: &[T], least: usize) -> bool {
    if a.len() < least || b.len() < least {
        return false;
    }
    let n = common(a, b);
    n >= least && 2 * n > a.len().min(b.len())
}

/// At most this many groups are tried per prose key (one per site).
const MAX_GROUPS: usize = 8;

/// The non-prose template keys each document holds (indices into
/// `Shared::keys`, sorted), one document after the other.
struct Sites {
    starts: Vec<u32>,
    keys: Vec<u32>,
}

impl Sites {
    fn of(&self, d: u32) -> &[u32] {
        &self.keys[self.starts[d as usize] as usize..self.starts[d as usize + 1] as usize]
    }
}

/// Whether `holders` contains `min` documents that pairwise differ (and, with
/// `sites`, that are pages of one site). `groups` is scratch space.
fn differing_holders(
    holders: &[u32],
    docs: &[&DocKeys],
    sites: Option<&Sites>,
    min: usize,
    groups: &mut Vec<Vec<u32>>,
) -> bool {
    let differ = |a: u32, b: u32| !mostly_shared(docs[a as usize].content(), docs[b as usize].content(), 1);
    let max_groups = if sites.is_some() { MAX_GROUPS } else { 1 };
    let mut n_groups = 0;
    for &d in holders {
        if let Some(sites) = sites {
            if sites.of(d).len() < 2 {
                continue;
            }
        }
        let mut placed = false;
        for g in &mut groups[..n_groups] {
            let same_site = sites.is_none_or(|s| mostly_shared(s.of(g[0]), s.of(d), 2));
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
        if !placed && n_groups < max_groups {
            if groups.len() == n_groups {
                groups.push(Vec::new());
            }
            groups[n_groups].clear();
            groups[n_groups].push(d);
            n_groups += 1;
        }
    }
    false
}

/// The shared keys (indices) of one kind, prose or not, whose holders
/// differ.
fn differing_keys(shared: &Shared, docs: &[&DocKeys], sites: Option<&Sites>, min: usize, prose: bool) -> Vec<u32> {
    let test = |groups: &mut Vec<Vec<u32>>, i: usize| {
        (shared.prose[i] == prose && differing_holders(shared.holders(i), docs, sites, min, groups)).then_some(i as u32)
    };
    if rayon::current_num_threads() > 1 {
        (0..shared.keys.len()).into_par_iter().map_init(Vec::new, test).flatten().collect()
    } else {
        let mut groups = Vec::new();
        (0..shared.keys.len()).filter_map(|i| test(&mut groups, i)).collect()
    }
}

fn learn_domain(docs: Vec<&DocKeys>, min: usize) -> KeySet {
    let mut template = KeySet::default();
    if docs.len() < min {
        return template;
    }
    // Canonical document order (documents with the same keys are alike).
    let mut order: Vec<(u64, u32)> = docs.iter().enumerate().map(|(i, d)| (d.order(), i as u32)).collect();
    order.sort_unstable();
    let mut rank = vec![0u32; docs.len()];
    for (r, &(_, i)) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    let shared = Shared::new(&docs, &rank, min);
    drop(rank);
    let docs: Vec<&DocKeys> = order.into_iter().map(|(_, i)| docs[i as usize]).collect();
    // Non-prose lines.
    let lines = differing_keys(&shared, &docs, None, min, false);
    template.extend(lines.iter().map(|&i| shared.keys[i as usize]));
    if !shared.prose.contains(&true) {
        return template;
    }
    // Prose lines: within one site. The site of a document is the non-prose
    // template lines it holds: in key order, as `lines` is.
    let mut starts = vec![0u32; docs.len() + 1];
    for &i in &lines {
        for &d in shared.holders(i as usize) {
            starts[d as usize + 1] += 1;
        }
    }
    for d in 0..docs.len() {
        starts[d + 1] += starts[d];
    }
    let mut next = starts[..docs.len()].to_vec();
    let mut keys = vec![0u32; starts[docs.len()] as usize];
    for &i in &lines {
        for &d in shared.holders(i as usize) {
            keys[next[d as usize] as usize] = i;
            next[d as usize] += 1;
        }
    }
    let sites = Sites { starts, keys };
    let prose = differing_keys(&shared, &docs, Some(&sites), min, true);
    template.extend(prose.iter().map(|&i| shared.keys[i as usize]));
    template
}

#[cfg(test)]
mod tests;

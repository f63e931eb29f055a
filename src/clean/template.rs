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
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The first implementation (hash maps of keys and of holders), kept as
    /// the reference the faster one must equal.
    mod reference {
        use rayon::prelude::*;
        use xxhash_rust::xxh3::xxh3_64;

        use super::super::{KeySet, Templates};
        use crate::clean::lines::{KeyMap, Line};

        /// Flags of a key in one document.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub(crate) struct KeyFlags {
            pub prose: bool,
            generic: bool,
        }

        /// The distinct keys of one document, sorted, and its prose keys: all that
        /// template learning keeps of a document.
        pub(crate) struct DocKeys {
            pub keys: Vec<(u64, KeyFlags)>,
            /// Sorted keys compared to tell copies apart.
            pub content: Vec<u64>,
            /// A hash of all keys: the canonical order of documents.
            pub order: u64,
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
    }

    /// A line with `key` and flags; the other fields are not read.
    fn line(key: u64, prose: bool, generic: bool, copyright: bool) -> Line {
        Line {
            start: 0,
            end: 0,
            key,
            words: 0,
            alpha: 0,
            lower: 0,
            bullet: false,
            joined: false,
            terminal: false,
            prose,
            generic,
            copyright,
            date: None,
            lone_date: false,
        }
    }

    /// A key from a small pool (so that documents share keys), spread over
    /// the 64 bits or not.
    fn key(n: u64) -> u64 {
        if n.is_multiple_of(3) {
            n
        } else {
            n.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        }
    }

    /// Documents: lines of a site's template (mostly non-prose), lines of a
    /// few shared blurbs and quotes (mostly prose) and lines of their own,
    /// some of them copied (whole or in part) from an earlier document.
    fn documents() -> impl Strategy<Value = Vec<(Vec<Line>, bool)>> {
        let doc = (
            0u64..4,
            prop::collection::vec((0u64..12, any::<u8>()), 0..8),
            prop::collection::vec((0u64..40, any::<u8>()), 0..10),
            any::<bool>(),
            prop::option::of((any::<prop::sample::Index>(), 0usize..4)),
        );
        prop::collection::vec(doc, 0..40).prop_map(|docs| {
            let mut out: Vec<(Vec<Line>, bool)> = Vec::new();
            for (site, template, own, page, copy) in docs {
                let flags = |f: u8| (f.is_multiple_of(8), f.is_multiple_of(5), f.is_multiple_of(11));
                let mut lines: Vec<Line> = template
                    .iter()
                    .map(|&(n, f)| {
                        let (p, g, c) = flags(f);
                        line(key(1000 + 100 * site + n), p && f % 3 == 0, g, c)
                    })
                    .collect();
                lines.extend(own.iter().map(|&(n, f)| {
                    let (p, g, c) = flags(f);
                    // Below 20: shared prose; above: (mostly) this document's own.
                    let k = if n < 20 { key(5000 + n) } else { key(10_000 + 100 * out.len() as u64 + n) };
                    line(k, !p, g, c)
                }));
                if let Some((from, drop)) = copy {
                    if !out.is_empty() {
                        let (source, source_page) = &out[from.index(out.len())];
                        lines = source.iter().skip(drop).cloned().chain(lines.into_iter().take(drop)).collect();
                        out.push((lines, *source_page || page));
                        continue;
                    }
                }
                out.push((lines, page));
            }
            out
        })
    }

    fn sorted(set: &KeySet) -> Vec<u64> {
        let mut v: Vec<u64> = set.iter().copied().collect();
        v.sort_unstable();
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn learn_equals_the_reference(docs in documents(), min_pages in 0usize..5, min_records in 0usize..6) {
            let new: Vec<(DocKeys, bool)> = docs.iter().map(|(l, page)| (doc_keys(l), *page)).collect();
            let old: Vec<(reference::DocKeys, bool)> =
                docs.iter().map(|(l, page)| (reference::doc_keys(l), *page)).collect();
            let want = reference::learn(&old, min_pages, min_records);
            // One thread (radix sort, no rayon) and more.
            let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
            let got = one.install(|| learn(&new, min_pages, min_records));
            prop_assert_eq!(sorted(&got.pages), sorted(&want.pages));
            prop_assert_eq!(sorted(&got.records), sorted(&want.records));
            let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
            let got = two.install(|| learn(&new, min_pages, min_records));
            prop_assert_eq!(sorted(&got.pages), sorted(&want.pages));
            prop_assert_eq!(sorted(&got.records), sorted(&want.records));
        }

        #[test]
        fn sort_keys_sorts(keys in prop::collection::vec(any::<u64>().prop_map(|k| k >> (k % 64)), 0..3000)) {
            let mut want = keys.clone();
            want.sort_unstable();
            let got = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| sort_keys(keys));
            prop_assert_eq!(got, want);
        }

        #[test]
        fn doc_keys_equal_the_reference(docs in documents()) {
            for (lines, _) in &docs {
                let new = doc_keys(lines);
                let old = reference::doc_keys(lines);
                prop_assert_eq!(new.order(), old.order);
                prop_assert_eq!(new.content(), &old.content[..]);
                let mut keys = new.keys().to_vec();
                keys.sort_unstable();
                prop_assert_eq!(keys, old.keys.iter().map(|&(k, _)| k).collect::<Vec<u64>>());
                let prose: Vec<u64> = old.keys.iter().filter(|(_, f)| f.prose).map(|&(k, _)| k).collect();
                prop_assert_eq!(new.prose(), &prose[..]);
            }
        }
    }
}

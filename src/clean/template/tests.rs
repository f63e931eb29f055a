//! Tests of template learning: the sorted, filtered implementation against
//! the hash-map reference kept here, on generated sites.

use proptest::prelude::*;

use super::*;

/// A plain implementation (hash maps of keys and of holders): the
/// reference the sorted, filtered one must equal.
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

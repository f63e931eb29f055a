//! The spelling variants of a story's name words: "Dbeibah" and "Dbaiba"
//! are one name, "Libya" and "Libyan" one place, "American" is "US".
//!
//! Owns [`Variants`]: built once per story from the scans of its articles,
//! then asked for the canonical spelling of a word ([`Variants::canon`]) by
//! the sentence terms and the name index, and read for the spelling
//! clusters the report lists. Whether two words are spellings of one name
//! is decided in `spelling.rs`; this file only groups the words (with
//! [`UnionFind`]) and names each group. It must not look at sentences.

use std::collections::{HashMap, HashSet};

use super::lexicon::{ALIASES, COMMON_CAPS, DERIVATION_SUFFIXES, TITLE_WORDS};
use super::spelling::{ascii_fold, derives_from, letter_class, same_spelling, skeleton};
use super::Scan;
use crate::hashes::TermMap;
use crate::union_find::UnionFind;
use xxhash_rust::xxh3::xxh3_64;

/// Spelling-variant clusters of the name words of a story.
#[derive(Debug, Default)]
pub(crate) struct Variants {
    /// Word → canonical word, for words in a cluster of two or more.
    map: HashMap<String, String>,
    /// Clusters that contain two or more spellings (not only derivations),
    /// each as its member words, canonical first.
    pub spelling_clusters: Vec<Vec<String>>,
    /// How many pairs of words were compared as spellings (counted in test
    /// builds only: the work the tests bound).
    #[cfg(test)]
    pub compared: usize,
}

/// The distinct name words of a story, in order of first use, with their
/// number of uses.
struct NameWords<'a> {
    order: Vec<&'a str>,
    count: HashMap<&'a str, usize>,
    /// The words seen in a mention of a prose sentence ([`super::Mention::prose`]).
    prose: HashSet<&'a str>,
}

impl Variants {
    /// Clusters the significant words of all mentions: derivations
    /// ("Libya"/"Libyan") and, for words never seen in lower case and not
    /// common title words, spelling variants ([`same_spelling`]).
    pub(crate) fn build(scans: &[Scan], lowercase: &HashSet<&str>, threshold: f32) -> Variants {
        let words = NameWords::of(scans);
        let n_words = words.order.len();
        let mut sets = UnionFind::new(n_words);
        let derived_pairs = words.join_derivations(&mut sets);
        let _compared = words.join_spellings(&mut sets, lowercase, threshold);
        // Members per root, each list in word order; the lists come out in
        // root order, which is the order of each cluster's first word.
        let mut members_of_root: Vec<Vec<usize>> = vec![Vec::new(); n_words];
        for word_idx in 0..n_words {
            members_of_root[sets.find(word_idx)].push(word_idx);
        }
        let mut variants = Variants::default();
        for members in members_of_root.iter().filter(|members| members.len() >= 2) {
            variants.add_cluster(&words, members, &derived_pairs);
        }
        #[cfg(test)]
        {
            variants.compared = _compared;
        }
        variants
    }

    /// Records one cluster of two or more words (indices into
    /// `words.order`, ascending): each member maps to the most used
    /// spelling (on a tie the one seen first), and the cluster is a
    /// spelling cluster unless derivations alone join it.
    fn add_cluster(&mut self, words: &NameWords, members: &[usize], derived_pairs: &HashSet<(usize, usize)>) {
        let order = &words.order;
        let canonical = *members
            .iter()
            .max_by(|&&a, &&b| words.count[order[a]].cmp(&words.count[order[b]]).then(b.cmp(&a)))
            .unwrap_or(&members[0]);
        for &m in members {
            self.map.insert(order[m].to_string(), order[canonical].to_string());
        }
        // Spelling groups: members joined by derivation only.
        let mut groups = UnionFind::new(members.len());
        for x in 0..members.len() {
            for y in x + 1..members.len() {
                let (a, b) = (members[x].min(members[y]), members[x].max(members[y]));
                if derived_pairs.contains(&(a, b)) {
                    groups.union(x, y);
                }
            }
        }
        let several_spellings = (1..members.len()).any(|x| !groups.same(0, x));
        if several_spellings {
            let mut cluster = vec![order[canonical].to_string()];
            cluster.extend(members.iter().filter(|&&m| m != canonical).map(|&m| order[m].to_string()));
            self.spelling_clusters.push(cluster);
        }
    }

    /// The canonical spelling of a normalised word (itself when it has no
    /// variants; "us" for "American", "uk" for "British").
    pub(crate) fn canon<'a>(&'a self, word: &'a str) -> &'a str {
        if let Some(&(_, alias)) = ALIASES.iter().find(|(w, _)| *w == word) {
            return alias;
        }
        self.map.get(word).map_or(word, String::as_str)
    }
}

impl<'a> NameWords<'a> {
    /// The words of all mentions that are not acronyms, of four letters or
    /// more (shorter words are never spellings or bases, see
    /// [`same_spelling`] and [`derives_from`]) and of letters only.
    fn of(scans: &'a [Scan]) -> NameWords<'a> {
        let mut count: HashMap<&str, usize> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        let mut prose = HashSet::new();
        for mention in scans.iter().flat_map(|s| &s.mentions) {
            if mention.acronym.is_some() {
                continue;
            }
            for w in &mention.words {
                if w.chars().count() < 4 || !w.chars().all(char::is_alphabetic) {
                    continue;
                }
                if mention.prose {
                    prose.insert(w.as_str());
                }
                let c = count.entry(w.as_str()).or_insert(0);
                if *c == 0 {
                    order.push(w.as_str());
                }
                *c += 1;
            }
        }
        NameWords { order, count, prose }
    }

    /// Joins each word with the words it derives from ("Libyan" → "Libya"),
    /// found by looking the candidate bases up (the word less a derivation
    /// suffix, plus a dropped final vowel). Returns the joined pairs
    /// (smaller index first).
    fn join_derivations(&self, sets: &mut UnionFind) -> HashSet<(usize, usize)> {
        let index: HashMap<&str, usize> = self.order.iter().enumerate().map(|(i, w)| (*w, i)).collect();
        let mut derived_pairs = HashSet::new();
        for (i, w) in self.order.iter().enumerate() {
            for suffix in DERIVATION_SUFFIXES {
                let Some(stem) = w.strip_suffix(suffix) else { continue };
                for end in ["", "a", "e", "y", "o"] {
                    let base = format!("{stem}{end}");
                    if let Some(&j) = index.get(base.as_str()) {
                        if j != i && derives_from(w, &base) {
                            sets.union(i, j);
                            derived_pairs.insert((i.min(j), i.max(j)));
                        }
                    }
                }
            }
        }
        derived_pairs
    }

    /// Joins the words that are spellings of one name. Only words used as
    /// names take part: seen capitalised in a prose sentence (a title-case
    /// headline capitalises "Grants" and "Giants" alike), never seen in
    /// lower case in the story, and not title or institution words
    /// ("Minister"/"Ministry" are two words). Two of them are
    /// compared when their lengths differ by two letters at most and they
    /// share a key of [`spelling_keys`], which every pair that
    /// [`same_spelling`] accepts does: so the story's words are not all
    /// compared with each other (a page of capitalised words would cost the
    /// square of their number), yet the clusters are those of comparing all
    /// (unless a key is shared by more than [`BUCKET_PARTNERS`] words, or
    /// a word has more than [`MAX_DELETION_KEY_LETTERS`] letters, which
    /// real names never do).
    /// Returns how many pairs were compared.
    fn join_spellings(&self, sets: &mut UnionFind, lowercase: &HashSet<&str>, threshold: f32) -> usize {
        let order = &self.order;
        let mut buckets: TermMap<Vec<usize>> = TermMap::default();
        for (i, word) in order.iter().enumerate() {
            let fuzzy = self.prose.contains(word)
                && !lowercase.contains(word)
                && COMMON_CAPS.binary_search(word).is_err()
                && TITLE_WORDS.binary_search(word).is_err();
            if fuzzy {
                for key in spelling_keys(word) {
                    buckets.entry(key).or_default().push(i);
                }
            }
        }
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for members in buckets.values() {
            for (x, &i) in members.iter().enumerate() {
                candidates.extend(members[x + 1..].iter().take(BUCKET_PARTNERS).map(|&j| (i.min(j), i.max(j))));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &(i, j) in &candidates {
            let (len_i, len_j) = (order[i].chars().count(), order[j].chars().count());
            if len_i.abs_diff(len_j) <= 2 && !sets.same(i, j) && same_spelling(order[i], order[j], threshold) {
                sets.union(i, j);
            }
        }
        candidates.len()
    }
}

/// In a bucket of words sharing a key of [`spelling_keys`], each word is
/// compared with this many of the next ones at most: buckets of real names
/// hold a few words, and a hostile page cannot make one bucket quadratic.
pub(super) const BUCKET_PARTNERS: usize = 64;

/// Words longer than this (folded) get no deletion keys: a name word is
/// never that long, and a word of `n` letters has `n²/2` of them.
const MAX_DELETION_KEY_LETTERS: usize = 32;

/// Keys that any two words [`same_spelling`] accepts share: each key
/// starts with the class of the first letter, which they share. Their
/// consonant skeleton of two classes or more (a match of the skeleton
/// rule), and the folded word with up to one letter deleted (two from
/// eight letters): two words at most `k` edits apart (substitutions,
/// insertions, deletions or swaps of neighbours) become equal by deleting
/// at most `k` letters from each, and the edit rule allows one edit, or two
/// between words of eight letters or more. Keys are kept as 64-bit hashes:
/// a collision only adds a pair to compare.
pub(super) fn spelling_keys(word: &str) -> Vec<u64> {
    let folded: Vec<char> = ascii_fold(word).chars().collect();
    let Some(&first) = folded.first() else { return Vec::new() };
    let class = letter_class(first);
    let hash = |kind: char, chars: &mut dyn Iterator<Item = &char>| -> u64 {
        let mut key = String::from_iter([kind, class]);
        key.extend(chars);
        xxh3_64(key.as_bytes())
    };
    let mut keys = Vec::new();
    let consonants: Vec<char> = skeleton(word).chars().collect();
    if consonants.len() >= 2 {
        keys.push(hash('s', &mut consonants.iter()));
    }
    keys.push(hash('d', &mut folded.iter()));
    if folded.len() > MAX_DELETION_KEY_LETTERS {
        return keys;
    }
    let deletions = if folded.len() >= 8 { 2 } else { 1 };
    for x in 0..folded.len() {
        let without_x = || folded.iter().enumerate().filter(move |&(k, _)| k != x);
        keys.push(hash('d', &mut without_x().map(|(_, c)| c)));
        if deletions == 2 {
            for y in x + 1..folded.len() {
                keys.push(hash('d', &mut without_x().filter(|&(k, _)| k != y).map(|(_, c)| c)));
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

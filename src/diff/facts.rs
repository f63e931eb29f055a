//! Which facts of an article no other member of its story contains, and the
//! name spellings the story's articles use.
//!
//! Owns [`StoryFacts`] (the scans, name index, variants and sentence terms
//! of one story, asked article by article for [`StoryFacts::unique_facts`])
//! and [`entity_variants`]. It compares facts the `entities` scan found; it
//! must not find facts itself or align sentences.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use super::entities::{Mention, NameIndex, Scan, Variants};
use super::similarity::{Corpus, Vocab};
use super::{sentence, EntityVariants, Fact, FactKind};
use crate::article::Article;

/// Share of a quote's terms that two consecutive sentences of another
/// article must contain for the quote to be reported there (quoted or not).
const QUOTE_COVERAGE: f32 = 0.7;

/// What the facts of one story are compared with.
pub(super) struct StoryFacts<'a> {
    pub scans: &'a [Scan],
    pub names: &'a NameIndex,
    pub variants: &'a Variants,
    pub vocab: &'a Vocab,
    pub corpus: &'a Corpus,
}

/// A fact and where it stands in its article (sentence, word), for ordering.
type PlacedFact = ((usize, usize), Fact);

impl StoryFacts<'_> {
    /// Facts of article `i` that no other article contains, in article order.
    pub(super) fn unique_facts(&self, i: usize) -> Vec<Fact> {
        let mut facts: Vec<PlacedFact> = Vec::new();
        self.unique_names(i, &mut facts);
        self.unique_values(i, &mut facts);
        self.unique_quotes(i, &mut facts);
        facts.sort_by_key(|(pos, _)| *pos);
        facts.into_iter().map(|(_, f)| f).collect()
    }

    /// The articles other than `i`.
    fn others(&self, i: usize) -> impl Iterator<Item = usize> {
        (0..self.scans.len()).filter(move |&j| j != i)
    }

    /// Whether article `j` has a sentence (or two consecutive ones when
    /// `window` is 2) containing at least `need` of `ids`.
    fn covered(&self, j: usize, ids: &[u32], need: usize, window: usize) -> bool {
        let corpus = self.corpus;
        let (s, e) = (corpus.start[j], corpus.start[j + 1]);
        (s..e).any(|g| {
            let mut hit: HashSet<u32> =
                ids.iter().copied().filter(|t| corpus.terms[g].binary_search(t).is_ok()).collect();
            if window > 1 && g + 1 < e {
                hit.extend(ids.iter().copied().filter(|t| corpus.terms[g + 1].binary_search(t).is_ok()));
            }
            hit.len() >= need
        })
    }

    /// Names: mentions of article `i` that no other article names (nor has
    /// all their words in one sentence, in lower case or not), reported one
    /// per thing, by the longest wording, at the first mention's place.
    fn unique_names(&self, i: usize, facts: &mut Vec<PlacedFact>) {
        let unique: Vec<&Mention> = self.scans[i].mentions.iter().filter(|m| self.is_unique_mention(i, m)).collect();
        for group in same_thing_groups(&unique) {
            let x = group[0];
            let longest =
                group.iter().copied().max_by_key(|&g| (unique[g].surface.chars().count(), usize::MAX - g)).unwrap_or(x);
            let mention = unique[longest];
            facts.push((unique[x].pos, Fact { kind: self.names.kind(mention), text: mention.surface.clone() }));
        }
    }

    /// Whether a mention of article `i` is a fact no other article has: not
    /// a role alone, not matched by a mention elsewhere, and (for names of
    /// two words or more) not written out in one sentence elsewhere.
    fn is_unique_mention(&self, i: usize, m: &Mention) -> bool {
        if m.is_title_only() || self.others(i).any(|j| self.names.present_in(m, j, self.scans)) {
            return false;
        }
        if m.words.len() >= 2 {
            let ids: Option<Vec<u32>> =
                m.words.iter().map(|w| self.vocab.get(&sentence::stem(self.variants.canon(w)))).collect();
            if let Some(ids) = ids {
                if self.others(i).any(|j| self.covered(j, &ids, ids.len(), 1)) {
                    return false;
                }
            }
        }
        true
    }

    /// Numbers and dates of article `i` whose key no other article has,
    /// each key once.
    fn unique_values(&self, i: usize, facts: &mut Vec<PlacedFact>) {
        let scans = self.scans;
        let mut seen_keys = HashSet::new();
        for v in &scans[i].values {
            if !seen_keys.insert((v.kind, v.key.clone())) {
                continue;
            }
            let present = self.others(i).any(|j| match v.kind {
                FactKind::Date => scans[j].date_keys.contains(&v.key),
                _ => scans[j].number_keys.contains(&v.key),
            });
            if !present {
                facts.push((v.pos, Fact { kind: v.kind, text: v.text.clone() }));
            }
        }
    }

    /// Quotes of article `i`: unique unless another article has
    /// [`QUOTE_COVERAGE`] of their terms in two consecutive sentences.
    fn unique_quotes(&self, i: usize, facts: &mut Vec<PlacedFact>) {
        let mut seen_quotes = HashSet::new();
        for q in &self.scans[i].quotes {
            let ids = self.known_terms(&q.text);
            if ids.len() < 2 || !seen_quotes.insert(ids.clone()) {
                continue;
            }
            let need = ((ids.len() as f32) * QUOTE_COVERAGE).ceil() as usize;
            if !self.others(i).any(|j| self.covered(j, &ids, need, 2)) {
                facts.push((q.pos, Fact { kind: FactKind::Quote, text: q.text.clone() }));
            }
        }
    }

    /// Known content terms of a text (see the module documentation of
    /// `diff`): used for quotes, whose words are all in some sentence of
    /// the story.
    fn known_terms(&self, text: &str) -> Vec<u32> {
        let mut out: Vec<u32> = crate::text::words(text)
            .filter_map(|w| {
                let n = sentence::norm_word(w);
                if n.is_empty() || sentence::is_function_word(&n) {
                    None
                } else {
                    self.vocab.get(&sentence::stem(self.variants.canon(&n)))
                }
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The mentions grouped by what they name: taking each mention not yet
/// grouped in order, its group gathers the later ones that name the same
/// thing ([`NameIndex::same`], either way) as a member already gathered,
/// in order. Groups come out by their first member, members ascending.
///
/// Only candidates are checked: mentions that share a canonical word with
/// a member, and mentions with an acronym (or all later ones, once a member
/// has one), since `same` holds for no other pair; so a long article's
/// hundreds of distinct names are not all compared with each other.
fn same_thing_groups(mentions: &[&Mention]) -> Vec<Vec<usize>> {
    let n = mentions.len();
    let has_acronym = |m: &Mention| m.acronym.is_some() || !m.acronyms.is_empty();
    let mut by_word: HashMap<u32, Vec<usize>> = HashMap::new();
    for (k, m) in mentions.iter().enumerate() {
        for &id in &m.canon {
            by_word.entry(id).or_default().push(k);
        }
    }
    let with_acronym: Vec<usize> = (0..n).filter(|&k| has_acronym(mentions[k])).collect();
    let mut taken = vec![false; n];
    // queued[y] == x + 1 when y is already a candidate of x's group.
    let mut queued = vec![0usize; n];
    let mut groups = Vec::new();
    for x in 0..n {
        if taken[x] {
            continue;
        }
        let mut group = vec![x];
        let mut heap: BinaryHeap<Reverse<usize>> = BinaryHeap::new();
        let mut enqueue = |member: usize, heap: &mut BinaryHeap<Reverse<usize>>| {
            let mut push = |y: usize| {
                if queued[y] != x + 1 {
                    queued[y] = x + 1;
                    heap.push(Reverse(y));
                }
            };
            if has_acronym(mentions[member]) {
                (member + 1..n).for_each(&mut push);
                return;
            }
            for id in &mentions[member].canon {
                let list = &by_word[id];
                list[list.partition_point(|&y| y <= member)..].iter().for_each(|&y| push(y));
            }
            with_acronym[with_acronym.partition_point(|&y| y <= member)..].iter().for_each(|&y| push(y));
        };
        enqueue(x, &mut heap);
        while let Some(Reverse(y)) = heap.pop() {
            if !taken[y]
                && group.iter().any(|&g| NameIndex::same(mentions[g], mentions[y]) || NameIndex::same(mentions[y], mentions[g]))
            {
                group.push(y);
                enqueue(y, &mut heap);
            }
        }
        for &g in &group {
            taken[g] = true;
        }
        groups.push(group);
    }
    groups
}

/// One [`EntityVariants`] per spelling cluster, in order of first appearance.
/// The mentions are read once, each word handed to its cluster, so the
/// cost does not grow with clusters × mentions.
pub(super) fn entity_variants(articles: &[&Article], scans: &[Scan], variants: &Variants) -> Vec<EntityVariants> {
    let mut cluster_of: HashMap<&str, usize> = HashMap::new();
    for (c, cluster) in variants.spelling_clusters.iter().enumerate() {
        for w in cluster {
            cluster_of.entry(w.as_str()).or_insert(c);
        }
    }
    let mut states: Vec<ClusterSpellings> =
        variants.spelling_clusters.iter().map(|c| ClusterSpellings::new(c[0].as_str())).collect();
    for (a, scan) in scans.iter().enumerate() {
        for m in &scan.mentions {
            for (w, written) in m.words.iter().zip(&m.written) {
                if let Some(&c) = cluster_of.get(w.as_str()) {
                    states[c].add(articles, a, m, w, written);
                }
            }
        }
    }
    let mut out: Vec<(FirstSeen, EntityVariants)> = states.into_iter().filter_map(ClusterSpellings::finish).collect();
    out.sort_by_key(|(f, _)| *f);
    out.into_iter().map(|(_, e)| e).collect()
}

/// (article, (sentence, word)) of a cluster's first mention, for ordering.
type FirstSeen = (usize, (usize, usize));

/// The spellings of one cluster gathered so far, mention by mention.
struct ClusterSpellings<'a> {
    canonical_word: &'a str,
    spellings: Vec<(String, String)>,
    seen: HashSet<(usize, String)>,
    first: Option<FirstSeen>,
    canonical: Option<&'a str>,
    canonical_written: Option<&'a str>,
}

impl<'a> ClusterSpellings<'a> {
    fn new(canonical_word: &'a str) -> Self {
        ClusterSpellings {
            canonical_word,
            spellings: Vec::new(),
            seen: HashSet::new(),
            first: None,
            canonical: None,
            canonical_written: None,
        }
    }

    /// Word `w` (written `written`) of mention `m` of article `a`, a member of this cluster.
    fn add(&mut self, articles: &[&Article], a: usize, m: &'a Mention, w: &str, written: &'a str) {
        self.first.get_or_insert((a, m.pos));
        if self.seen.insert((a, w.to_string())) {
            self.spellings.push((articles[a].id.clone(), written.to_string()));
        }
        if w == self.canonical_word {
            // Shown as: the shortest full name (two words or more, titles
            // removed) that uses the canonical spelling, else that
            // spelling as first written.
            self.canonical_written.get_or_insert(written);
            let name = m.name();
            let name_words = crate::text::words(name).count();
            if name_words >= 2 && self.canonical.is_none_or(|c| name.chars().count() < c.chars().count()) {
                self.canonical = Some(name);
            }
        }
    }

    fn finish(self) -> Option<(FirstSeen, EntityVariants)> {
        let canonical = self.canonical.or(self.canonical_written).unwrap_or(self.canonical_word).to_string();
        self.first.map(|f| (f, EntityVariants { canonical, spellings: self.spellings }))
    }
}

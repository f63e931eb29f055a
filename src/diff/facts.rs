//! Which facts of an article no other member of its story contains, and the
//! name spellings the story's articles use.
//!
//! Owns [`StoryFacts`] (the scans, name index, variants and sentence terms
//! of one story, asked article by article for [`StoryFacts::unique_facts`])
//! and [`entity_variants`]. It compares facts the `entities` scan found; it
//! must not find facts itself or align sentences.

use std::collections::HashSet;

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
        let mut taken = vec![false; unique.len()];
        for x in 0..unique.len() {
            if taken[x] {
                continue;
            }
            let mut group = vec![x];
            for y in x + 1..unique.len() {
                if !taken[y]
                    && group
                        .iter()
                        .any(|&g| NameIndex::same(unique[g], unique[y]) || NameIndex::same(unique[y], unique[g]))
                {
                    group.push(y);
                }
            }
            for &g in &group {
                taken[g] = true;
            }
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

/// One [`EntityVariants`] per spelling cluster, in order of first appearance.
pub(super) fn entity_variants(articles: &[&Article], scans: &[Scan], variants: &Variants) -> Vec<EntityVariants> {
    // (article, (sentence, word)) of the first mention, for ordering.
    type FirstSeen = (usize, (usize, usize));
    let mut out: Vec<(FirstSeen, EntityVariants)> = Vec::new();
    for cluster in &variants.spelling_clusters {
        let members: HashSet<&str> = cluster.iter().map(String::as_str).collect();
        let canonical_word = cluster[0].as_str();
        let mut spellings = Vec::new();
        let mut seen: HashSet<(usize, String)> = HashSet::new();
        let mut first: Option<FirstSeen> = None;
        let mut canonical: Option<&str> = None;
        let mut canonical_written: Option<&str> = None;
        for (a, scan) in scans.iter().enumerate() {
            for m in &scan.mentions {
                for (w, written) in m.words.iter().zip(&m.written) {
                    if !members.contains(w.as_str()) {
                        continue;
                    }
                    first.get_or_insert((a, m.pos));
                    if seen.insert((a, w.clone())) {
                        spellings.push((articles[a].id.clone(), written.clone()));
                    }
                    if w == canonical_word {
                        // Shown as: the shortest full name (two words or
                        // more, titles removed) that uses the canonical
                        // spelling, else that spelling as first written.
                        canonical_written.get_or_insert(written.as_str());
                        let name = m.name();
                        let name_words = crate::text::words(name).count();
                        if name_words >= 2 && canonical.is_none_or(|c| name.chars().count() < c.chars().count()) {
                            canonical = Some(name);
                        }
                    }
                }
            }
        }
        let canonical = canonical.or(canonical_written).unwrap_or(canonical_word).to_string();
        if let Some(f) = first {
            out.push((f, EntityVariants { canonical, spellings }));
        }
    }
    out.sort_by_key(|(f, _)| *f);
    out.into_iter().map(|(_, e)| e).collect()
}

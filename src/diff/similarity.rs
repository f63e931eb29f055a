//! IDF-weighted content-term overlap between the sentences of one story,
//! with an inverted index so that only sentences sharing a term are scored,
//! and only through terms not so frequent that the pairs they propose would
//! grow with the square of the story's length.
//!
//! Owns [`Vocab`] (terms interned to ids), [`Corpus`] (the story's
//! sentences flattened, with their term sets and weights), [`Corpus::sim`]
//! and [`Corpus::align`] (every cross-article pair over a threshold, as an
//! [`Alignment`]). It scores sentences; grouping them into shared points is
//! `points.rs`, and it must not know about facts or names.

use std::collections::HashMap;

/// Sentences with fewer content terms than this are too short to align
/// ("He agreed."): they are never shared and never unique.
pub(crate) const MIN_TERMS: usize = 2;

/// How much a length mismatch is penalised: the score divides the weight of
/// the common terms by `lo^(1-LENGTH_EXPONENT) * hi^LENGTH_EXPONENT`, where
/// `lo`/`hi` are the smaller/larger term weights of the two sentences. 0 is
/// the overlap coefficient (a short sentence inside a long one scores 1),
/// 0.5 the weighted Ochiai (cosine) coefficient. 0.25 keeps most of the
/// overlap coefficient's tolerance for a paraphrase that drops or adds a
/// clause, while a one-clause sentence whose few words all occur in a long
/// sentence of another outlet (typically a topic sentence made of the
/// story's common words) no longer counts as a full match.
pub(crate) const LENGTH_EXPONENT: f32 = 0.25;

/// Pseudo-sentences added to the sentence count in the idf, `ln((N + K) /
/// df)`. Without it a story of a handful of sentences weighs a term found in
/// two sentences (which every shared point has) at little more than half a
/// term found in one (ln(5/2) against ln(5) for four sentences), so short
/// stories could hardly share anything; with it the ratio stays near 0.75
/// there, and stories of hundreds of sentences are unaffected.
pub(crate) const IDF_SMOOTHING: f32 = 10.0;

/// A term in at most this many sentences of a story always proposes the
/// pairs of its sentences for scoring (see [`Corpus::align`]); more only
/// when the story has many articles ([`PROPOSING_PER_ARTICLE`]). It bounds
/// the candidates of one sentence in a long article to this many per term.
pub(crate) const PROPOSING_FLOOR: usize = 256;

/// Per article of a story, how many sentences a term may be in and still
/// propose pairs: a story's protagonist or place is named in many
/// sentences of each of its articles, and a story of many articles must
/// still pair those. In the generated 100k corpus a term is in up to 18
/// sentences per article of its story (285 sentences of 16 articles; 1,293
/// of 80), in the dev sets fewer than 256 in all.
pub(crate) const PROPOSING_PER_ARTICLE: usize = 32;

/// Interns terms (stems) to dense ids.
#[derive(Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    /// The id of a term, adding it when new.
    pub(crate) fn id(&mut self, term: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(term).or_insert(next)
    }

    /// The id of a term when it is known.
    pub(crate) fn get(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    /// The number of distinct terms.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// A cross-article pair of sentences (global indices, `a < b`) and its score.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Edge {
    pub a: usize,
    pub b: usize,
    pub score: f32,
}

/// What [`Corpus::align`] finds: the pairs over the threshold and each
/// sentence's best counterpart.
pub(crate) struct Alignment {
    /// Cross-article pairs scoring at least the threshold, each once, in
    /// the order they were scored.
    pub edges: Vec<Edge>,
    /// Per global sentence: its best cross-article score (0 when none).
    pub best: Vec<f32>,
    /// Per global sentence: the sentence that gives `best`.
    pub partner: Vec<Option<usize>>,
    /// How many pairs were scored: pairs of alignable sentences of two
    /// articles that share at least [`MIN_TERMS`] terms, each once. This is
    /// the work of the alignment, which the tests bound (counted in test
    /// builds only).
    #[cfg(test)]
    pub scored_pairs: usize,
}

/// The sentences of a story, flattened, with their term sets and weights.
pub(crate) struct Corpus {
    /// Per global sentence: the article position.
    pub article: Vec<usize>,
    /// Per global sentence: sorted, deduplicated term ids.
    pub terms: Vec<Vec<u32>>,
    /// Per article: the global index of its first sentence (one extra entry at the end).
    pub start: Vec<usize>,
    /// Per term id: inverse sentence frequency `ln((N + K) / df)` (see [`IDF_SMOOTHING`]).
    pub idf: Vec<f32>,
    /// Per global sentence: the sum of its terms' idf.
    pub mass: Vec<f32>,
}

impl Corpus {
    /// Builds the corpus from per-article, per-sentence term ids.
    pub(crate) fn new(per_article: Vec<Vec<Vec<u32>>>, vocab_len: usize) -> Corpus {
        let mut article = Vec::new();
        let mut terms = Vec::new();
        let mut start = Vec::with_capacity(per_article.len() + 1);
        for (a, sents) in per_article.into_iter().enumerate() {
            start.push(terms.len());
            for mut t in sents {
                t.sort_unstable();
                t.dedup();
                article.push(a);
                terms.push(t);
            }
        }
        start.push(terms.len());
        let mut df = vec![0u32; vocab_len];
        for t in &terms {
            for &id in t {
                df[id as usize] += 1;
            }
        }
        let n = terms.len() as f32;
        let idf: Vec<f32> =
            df.iter().map(|&d| if d == 0 { 0.0 } else { ((n + IDF_SMOOTHING) / d as f32).ln() }).collect();
        let mass = terms.iter().map(|t| t.iter().map(|&id| idf[id as usize]).sum()).collect();
        Corpus { article, terms, start, idf, mass }
    }

    /// The number of sentences.
    pub(crate) fn len(&self) -> usize {
        self.terms.len()
    }

    /// The global index of sentence `local` of article `a`.
    pub(crate) fn global(&self, a: usize, local: usize) -> usize {
        self.start[a] + local
    }

    /// Whether a sentence has enough content terms to be aligned.
    pub(crate) fn alignable(&self, s: usize) -> bool {
        self.terms[s].len() >= MIN_TERMS
    }

    /// The similarity of two sentences (see [`LENGTH_EXPONENT`]). Pairs that
    /// share fewer than [`MIN_TERMS`] terms score 0.
    pub(crate) fn sim(&self, a: usize, b: usize) -> f32 {
        let (x, y) = (&self.terms[a], &self.terms[b]);
        let (mut i, mut j, mut common, mut weight) = (0, 0, 0usize, 0f32);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    weight += self.idf[x[i] as usize];
                    i += 1;
                    j += 1;
                }
            }
        }
        if common < MIN_TERMS {
            return 0.0;
        }
        score(weight, self.mass[a], self.mass[b])
    }

    /// How many sentences a term may be in and still propose pairs by
    /// itself (see [`Corpus::align`]): [`PROPOSING_FLOOR`], or
    /// [`PROPOSING_PER_ARTICLE`] per article of the story when that is more.
    pub(crate) fn proposal_cap(&self) -> usize {
        let n_articles = self.start.len().saturating_sub(1);
        PROPOSING_FLOOR.max(PROPOSING_PER_ARTICLE.saturating_mul(n_articles))
    }

    /// All cross-article pairs of alignable sentences scoring at least
    /// `threshold`, and for every sentence its best cross-article score and
    /// partner.
    ///
    /// Candidates come from an inverted index (term → sentences), so pairs
    /// with no common term cost nothing. A term in more sentences than
    /// [`Corpus::proposal_cap`] proposes no pair by itself: a word on every
    /// other line of a long text would otherwise make every pair of its
    /// sentences a candidate, a cost quadratic in the text's length. Such a
    /// term still counts, at its weight, in the score of a pair that a
    /// rarer common term proposes; and sentences made only of such terms
    /// are paired with the next [`Corpus::proposal_cap`] sentences that
    /// have exactly their terms. So each sentence is scored against at most
    /// `cap` sentences per term it has, plus `cap`: the work is linear in
    /// the number of sentences. In news stories no term reaches the cap
    /// (the most frequent in a story of the dev sets is in 210 sentences),
    /// and every pair that shares two terms is scored.
    pub(crate) fn align(&self, threshold: f32) -> Alignment {
        let n = self.len();
        let cap = self.proposal_cap();
        let postings = self.postings();
        let twins = self.twins(&postings, cap);
        let mut best = vec![0f32; n];
        let mut partner: Vec<Option<usize>> = vec![None; n];
        let mut edges = Vec::new();
        let mut weight = vec![0f32; n];
        let mut common = vec![0u32; n];
        let mut touched: Vec<u32> = Vec::new();
        #[cfg(test)]
        let mut scored_pairs = 0;
        for s in 0..n {
            if !self.alignable(s) {
                continue;
            }
            let art = self.article[s];
            let mut capped = false;
            for &id in &self.terms[s] {
                let list = &postings[id as usize];
                if list.len() > cap {
                    capped = true;
                    continue;
                }
                let from = list.partition_point(|&u| u as usize <= s);
                let w = self.idf[id as usize];
                for &u in &list[from..] {
                    let u_us = u as usize;
                    if self.article[u_us] == art {
                        continue;
                    }
                    if common[u_us] == 0 {
                        touched.push(u);
                    }
                    common[u_us] += 1;
                    weight[u_us] += w;
                }
            }
            if capped {
                self.complete_capped(s, twins.get(&s).map_or(&[], Vec::as_slice), &mut touched, &mut common, &mut weight);
            }
            for &u in &touched {
                let u = u as usize;
                if common[u] as usize >= MIN_TERMS {
                    #[cfg(test)]
                    {
                        scored_pairs += 1;
                    }
                    let sc = score(weight[u], self.mass[s], self.mass[u]);
                    if sc > best[s] {
                        best[s] = sc;
                        partner[s] = Some(u);
                    }
                    if sc > best[u] {
                        best[u] = sc;
                        partner[u] = Some(s);
                    }
                    if sc >= threshold {
                        edges.push(Edge { a: s, b: u, score: sc });
                    }
                }
                common[u] = 0;
                weight[u] = 0.0;
            }
            touched.clear();
        }
        Alignment {
            edges,
            best,
            partner,
            #[cfg(test)]
            scored_pairs,
        }
    }

    /// Per term id: the alignable sentences that have it, ascending.
    fn postings(&self) -> Vec<Vec<u32>> {
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); self.idf.len()];
        for (s, t) in self.terms.iter().enumerate() {
            if self.alignable(s) {
                for &id in t {
                    postings[id as usize].push(s as u32);
                }
            }
        }
        postings
    }

    /// For each alignable sentence whose terms are all in more than `cap`
    /// sentences: the next `cap` later sentences of other articles with
    /// exactly its terms (the only candidates it gets, see [`Corpus::align`]).
    fn twins(&self, postings: &[Vec<u32>], cap: usize) -> HashMap<usize, Vec<u32>> {
        let mut by_terms: HashMap<&[u32], Vec<u32>> = HashMap::new();
        for (s, t) in self.terms.iter().enumerate() {
            if self.alignable(s) && t.iter().all(|&id| postings[id as usize].len() > cap) {
                by_terms.entry(t.as_slice()).or_default().push(s as u32);
            }
        }
        let mut twins = HashMap::new();
        for group in by_terms.into_values().filter(|g| g.len() >= 2) {
            for (k, &s) in group.iter().enumerate() {
                let art = self.article[s as usize];
                let later: Vec<u32> =
                    group[k + 1..].iter().copied().filter(|&u| self.article[u as usize] != art).take(cap).collect();
                if !later.is_empty() {
                    twins.insert(s as usize, later);
                }
            }
        }
        twins
    }

    /// For sentence `s`, which has a term too frequent to propose pairs:
    /// adds its `twins` to the candidates, then recounts every candidate's
    /// common terms and their weight over all terms, in term order as a
    /// candidate proposed by every term would have summed them.
    fn complete_capped(&self, s: usize, twins: &[u32], touched: &mut Vec<u32>, common: &mut [u32], weight: &mut [f32]) {
        for &u in twins {
            if common[u as usize] == 0 {
                touched.push(u);
            }
        }
        touched.sort_unstable_by_key(|&u| u);
        let x = &self.terms[s];
        for &u in touched.iter() {
            let y = &self.terms[u as usize];
            let (mut i, mut j, mut n_common, mut w) = (0, 0, 0u32, 0f32);
            while i < x.len() && j < y.len() {
                match x[i].cmp(&y[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        n_common += 1;
                        w += self.idf[x[i] as usize];
                        i += 1;
                        j += 1;
                    }
                }
            }
            common[u as usize] = n_common;
            weight[u as usize] = w;
        }
    }
}

/// Weighted overlap with a mild length penalty (see [`LENGTH_EXPONENT`]).
pub(crate) fn score(common_weight: f32, mass_a: f32, mass_b: f32) -> f32 {
    let (lo, hi) = if mass_a <= mass_b { (mass_a, mass_b) } else { (mass_b, mass_a) };
    if lo <= 0.0 {
        return 0.0;
    }
    (common_weight / (lo.powf(1.0 - LENGTH_EXPONENT) * hi.powf(LENGTH_EXPONENT))).min(1.0)
}

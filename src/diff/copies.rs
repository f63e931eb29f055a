//! Edits between near-duplicate copies: a weighted longest common
//! subsequence over their sentence sequences, cut at unique identical
//! sentences first when the copies are too long for it.
//!
//! Owns [`align`] (one copy against its original, as [`Step`]s) and
//! [`copy_edits`] (every copy of every group, as [`CopyEdits`]). It trusts
//! the groups it is given and must not decide what is a copy, and must not
//! fill a table larger than [`EXACT_CELLS`].

use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

use super::similarity::Corpus;
use super::CopyEdits;
use crate::article::Article;
use crate::text;

/// The edits of each copy against the first member of its group, group by
/// group. `copy_groups` are positions into `articles`, two or more each.
pub(crate) fn copy_edits(
    articles: &[&Article],
    corpus: &Corpus,
    sentences: &[Vec<String>],
    copy_groups: &[Vec<usize>],
    threshold: f32,
) -> Vec<CopyEdits> {
    let mut edits = Vec::new();
    for group in copy_groups {
        let orig = group[0];
        for &copy in &group[1..] {
            let mut edit = CopyEdits {
                original: articles[orig].id.clone(),
                copy: articles[copy].id.clone(),
                added: Vec::new(),
                removed: Vec::new(),
                changed: Vec::new(),
            };
            for step in align(corpus, sentences, orig, copy, threshold) {
                match step {
                    Step::Pair(_, _, true) => {}
                    Step::Pair(a, b, false) => {
                        edit.changed.push((sentences[orig][a].clone(), sentences[copy][b].clone()))
                    }
                    Step::Removed(a) => edit.removed.push(sentences[orig][a].clone()),
                    Step::Added(b) => edit.added.push(sentences[copy][b].clone()),
                }
            }
            edits.push(edit);
        }
    }
    edits
}

/// One aligned step between an original and a copy.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Step {
    /// Sentence `i` of the original and `j` of the copy say the same (`true`
    /// when their words are identical, `false` when changed).
    Pair(usize, usize, bool),
    /// Sentence `i` of the original is missing from the copy.
    Removed(usize),
    /// Sentence `j` of the copy is not in the original.
    Added(usize),
}

/// The most cells (original sentences × copy sentences) one exact alignment
/// may fill: 2²⁰, a pair of 1,024-sentence articles, 12 MB. Longer pairs
/// are first cut at anchors (below); news articles stay far under it (the
/// longest in the dev sets has 238 sentences), so for them the alignment is
/// always the exact one.
pub(crate) const EXACT_CELLS: usize = 1 << 20;

/// How many times a block too large for the exact alignment is cut at
/// anchors (each cut costs a pass over the block) before what is left is
/// reported as removed and added.
const MAX_CUTS: usize = 4;

/// What the alignment of one original and one copy reads.
struct Pairing<'a> {
    corpus: &'a Corpus,
    orig: usize,
    copy: usize,
    threshold: f32,
    /// The words of each sentence of the original and of the copy.
    tokens_a: Vec<Vec<String>>,
    tokens_b: Vec<Vec<String>>,
    /// Table cells filled so far.
    cells: Cell<usize>,
}

/// Aligns the sentences of article `orig` with those of article `copy`.
///
/// Two sentences may pair when their words are identical, or when their
/// similarity (the story similarity of [`Corpus::sim`]) reaches `threshold`.
/// The alignment maximises the summed similarity of the pairs with order
/// preserved (an LCS in which a match is worth its similarity, identical
/// sentences 1 plus a bonus so that an exact pairing always beats a fuzzy
/// one), so a moved sentence shows as removed at one place and added at the
/// other. That costs time and memory in the product of the two lengths, so
/// a pair over [`EXACT_CELLS`] is first cut the way patience diff cuts
/// files: the sentences that occur once in each, with identical words, and
/// in the same order (the longest increasing run of them) are paired, and
/// each block between two of them is aligned the same way, exactly once
/// small enough; a block still too large after [`MAX_CUTS`] cuts, or
/// without such a sentence, is removed and added whole.
pub(crate) fn align(corpus: &Corpus, sentences: &[Vec<String>], orig: usize, copy: usize, threshold: f32) -> Vec<Step> {
    align_counted(corpus, sentences, orig, copy, threshold, false).0
}

/// [`align`], and how many table cells its exact alignments filled, in all
/// (the work and memory the tests bound); with `exact_only`, one exact
/// alignment whatever the lengths (what the cuts are tested against).
pub(crate) fn align_counted(
    corpus: &Corpus,
    sentences: &[Vec<String>],
    orig: usize,
    copy: usize,
    threshold: f32,
    exact_only: bool,
) -> (Vec<Step>, usize) {
    let pairing = Pairing {
        corpus,
        orig,
        copy,
        threshold,
        tokens_a: sentences[orig].iter().map(|s| text::tokens(s)).collect(),
        tokens_b: sentences[copy].iter().map(|s| text::tokens(s)).collect(),
        cells: Cell::new(0),
    };
    let mut steps = Vec::new();
    let (n, m) = (pairing.tokens_a.len(), pairing.tokens_b.len());
    if exact_only {
        pairing.exact(0..n, 0..m, &mut steps);
    } else {
        pairing.align_block(0..n, 0..m, MAX_CUTS, &mut steps);
    }
    (steps, pairing.cells.get())
}

impl Pairing<'_> {
    /// Appends the steps of original sentences `a` against copy sentences `b`.
    fn align_block(&self, a: Range<usize>, b: Range<usize>, cuts_left: usize, steps: &mut Vec<Step>) {
        if a.len().saturating_mul(b.len()) <= EXACT_CELLS {
            self.exact(a, b, steps);
            return;
        }
        let anchors = if cuts_left == 0 { Vec::new() } else { self.anchors(a.clone(), b.clone()) };
        if anchors.is_empty() {
            steps.extend(a.map(Step::Removed));
            steps.extend(b.map(Step::Added));
            return;
        }
        let (mut next_a, mut next_b) = (a.start, b.start);
        for (i, j) in anchors {
            self.align_block(next_a..i, next_b..j, cuts_left - 1, steps);
            steps.push(Step::Pair(i, j, true));
            (next_a, next_b) = (i + 1, j + 1);
        }
        self.align_block(next_a..a.end, next_b..b.end, cuts_left - 1, steps);
    }

    /// Sentences with identical words that occur once in `a` and once in
    /// `b`, as (original, copy) positions: the longest run of them in the
    /// same order in both, ascending.
    fn anchors(&self, a: Range<usize>, b: Range<usize>) -> Vec<(usize, usize)> {
        // Per distinct sentence: (occurrences in a, position in a, occurrences in b, position in b).
        let mut seen: HashMap<&[String], (u32, usize, u32, usize)> = HashMap::new();
        for i in a {
            let entry = seen.entry(&self.tokens_a[i]).or_insert((0, i, 0, 0));
            entry.0 += 1;
        }
        for j in b {
            if let Some(entry) = seen.get_mut(self.tokens_b[j].as_slice()) {
                entry.2 += 1;
                entry.3 = j;
            }
        }
        let mut unique: Vec<(usize, usize)> =
            seen.into_values().filter(|e| e.0 == 1 && e.2 == 1).map(|e| (e.1, e.3)).collect();
        unique.sort_unstable();
        longest_increasing(&unique)
    }

    /// The exact alignment of original sentences `a` against copy
    /// sentences `b` (see [`align`]), appended to `steps`.
    fn exact(&self, a: Range<usize>, b: Range<usize>, steps: &mut Vec<Step>) {
        let corpus = self.corpus;
        let (n, m) = (a.len(), b.len());
        self.cells.set(self.cells.get() + n * m);
        // gain[i * m + j]: None when the pair may not match.
        let mut gain = vec![None; n * m];
        for i in 0..n {
            for j in 0..m {
                let (oi, cj) = (a.start + i, b.start + j);
                gain[i * m + j] = if self.tokens_a[oi] == self.tokens_b[cj] {
                    Some((1.5f32, true))
                } else {
                    let s = corpus.sim(corpus.global(self.orig, oi), corpus.global(self.copy, cj));
                    (s >= self.threshold).then_some((s, false))
                };
            }
        }
        let width = m + 1;
        let mut dp = vec![0f32; (n + 1) * width];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                let mut best = dp[(i + 1) * width + j].max(dp[i * width + j + 1]);
                if let Some((g, _)) = gain[i * m + j] {
                    best = best.max(dp[(i + 1) * width + j + 1] + g);
                }
                dp[i * width + j] = best;
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n && j < m {
            if let Some((g, same)) = gain[i * m + j] {
                if (dp[i * width + j] - (dp[(i + 1) * width + j + 1] + g)).abs() <= 1e-6 {
                    steps.push(Step::Pair(a.start + i, b.start + j, same));
                    i += 1;
                    j += 1;
                    continue;
                }
            }
            if dp[(i + 1) * width + j] >= dp[i * width + j + 1] {
                steps.push(Step::Removed(a.start + i));
                i += 1;
            } else {
                steps.push(Step::Added(b.start + j));
                j += 1;
            }
        }
        steps.extend((a.start + i..a.end).map(Step::Removed));
        steps.extend((b.start + j..b.end).map(Step::Added));
    }
}

/// The longest subsequence of `pairs` (sorted by their first element, all
/// distinct) whose second elements increase, by patience sorting in
/// O(k log k).
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[len]: index into pairs of the smallest second element ending a run of len + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, second)) in pairs.iter().enumerate() {
        let len = tails.partition_point(|&t| pairs[t].1 < second);
        previous[k] = len.checked_sub(1).map(|l| tails[l]);
        if len == tails.len() {
            tails.push(k);
        } else {
            tails[len] = k;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        run.push(pairs[k]);
        at = previous[k];
    }
    run.reverse();
    run
}

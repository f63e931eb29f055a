//! Edits between near-duplicate copies: a weighted longest common
//! subsequence over their sentence sequences.
//!
//! Owns [`align`] (one copy against its original, as [`Step`]s) and
//! [`copy_edits`] (every copy of every group, as [`CopyEdits`]). It trusts
//! the groups it is given and must not decide what is a copy.

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

/// Aligns the sentences of article `orig` with those of article `copy`.
///
/// Two sentences may pair when their words are identical, or when their
/// similarity (the story similarity of [`Corpus::sim`]) reaches `threshold`.
/// The alignment maximises the summed similarity of the pairs with order
/// preserved (an LCS in which a match is worth its similarity, identical
/// sentences 1 plus a bonus so that an exact pairing always beats a fuzzy
/// one), so a moved sentence shows as removed at one place and added at the
/// other.
pub(crate) fn align(corpus: &Corpus, sentences: &[Vec<String>], orig: usize, copy: usize, threshold: f32) -> Vec<Step> {
    let (a, b) = (&sentences[orig], &sentences[copy]);
    let (n, m) = (a.len(), b.len());
    let ta: Vec<Vec<String>> = a.iter().map(|s| text::tokens(s)).collect();
    let tb: Vec<Vec<String>> = b.iter().map(|s| text::tokens(s)).collect();
    // gain[i][j]: None when the pair may not match.
    let mut gain = vec![vec![None; m]; n];
    for i in 0..n {
        for j in 0..m {
            if ta[i] == tb[j] {
                gain[i][j] = Some((1.5f32, true));
            } else {
                let s = corpus.sim(corpus.global(orig, i), corpus.global(copy, j));
                if s >= threshold {
                    gain[i][j] = Some((s, false));
                }
            }
        }
    }
    let mut dp = vec![vec![0f32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let mut best = dp[i + 1][j].max(dp[i][j + 1]);
            if let Some((g, _)) = gain[i][j] {
                best = best.max(dp[i + 1][j + 1] + g);
            }
            dp[i][j] = best;
        }
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if let Some((g, same)) = gain[i][j] {
            if (dp[i][j] - (dp[i + 1][j + 1] + g)).abs() <= 1e-6 {
                steps.push(Step::Pair(i, j, same));
                i += 1;
                j += 1;
                continue;
            }
        }
        if dp[i + 1][j] >= dp[i][j + 1] {
            steps.push(Step::Removed(i));
            i += 1;
        } else {
            steps.push(Step::Added(j));
            j += 1;
        }
    }
    steps.extend((i..n).map(Step::Removed));
    steps.extend((j..m).map(Step::Added));
    steps
}

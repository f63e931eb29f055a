//! Shared points: sentences of different articles that say the same thing,
//! grouped so that each group holds at most one sentence per article.
//!
//! Owns [`shared_points`] and [`Point`]. It reads the scored pairs of
//! [`Corpus::align`] and must not score sentences itself; it joins them
//! with [`UnionFind`] and picks each point's representative.

use super::similarity::{Alignment, Corpus, Edge};
use crate::union_find::UnionFind;

/// A shared point as global sentence indices.
pub(super) struct Point {
    /// Members sorted by global index (so by article, then position).
    pub members: Vec<usize>,
    /// The member with the largest summed score to the others.
    pub representative: usize,
}

/// Sentences joined into points, with each point's articles.
struct Groups {
    sets: UnionFind,
    /// Per root: the sorted articles of the group.
    articles: Vec<Vec<usize>>,
    /// Per root: the number of sentences.
    size: Vec<usize>,
}

impl Groups {
    /// Every sentence a point of its own.
    fn new(corpus: &Corpus) -> Groups {
        let n_sentences = corpus.len();
        Groups {
            sets: UnionFind::new(n_sentences),
            articles: (0..n_sentences).map(|g| vec![corpus.article[g]]).collect(),
            size: vec![1; n_sentences],
        }
    }

    /// Joins the groups of `a` and `b`; when `one_per_article`, only if
    /// they have no article in common.
    fn join(&mut self, a: usize, b: usize, one_per_article: bool) {
        let (root_a, root_b) = (self.sets.find(a), self.sets.find(b));
        if root_a == root_b {
            return;
        }
        if one_per_article && self.articles[root_a].iter().any(|x| self.articles[root_b].binary_search(x).is_ok()) {
            return;
        }
        let Some((kept, gone)) = self.sets.union_roots(root_a, root_b) else { return };
        let moved = std::mem::take(&mut self.articles[gone]);
        self.articles[kept].extend(moved);
        self.articles[kept].sort_unstable();
        self.articles[kept].dedup();
        self.size[kept] += self.size[gone];
    }
}

/// The shared points of a story, most widely reported first (then by
/// their first sentence).
///
/// Pairs at or above the threshold are joined greedily, best first, while
/// a point holds at most one sentence per article; then a shared sentence
/// still alone (its best counterpart's point already has a sentence of its
/// article, as when one outlet splits what another says in one sentence)
/// joins its best counterpart's point.
pub(super) fn shared_points(corpus: &Corpus, alignment: &Alignment, threshold: f32) -> Vec<Point> {
    let n_sentences = corpus.len();
    let mut groups = Groups::new(corpus);
    let mut order: Vec<&Edge> = alignment.edges.iter().collect();
    order.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.a.cmp(&y.a)).then(x.b.cmp(&y.b)));
    for edge in order {
        groups.join(edge.a, edge.b, true);
    }
    for g in 0..n_sentences {
        if corpus.alignable(g) && alignment.best[g] >= threshold {
            let root = groups.sets.find(g);
            if groups.size[root] == 1 {
                if let Some(partner) = alignment.partner[g] {
                    groups.join(g, partner, false);
                }
            }
        }
    }
    let mut sets = groups.sets;
    let mut members_of_root: Vec<Vec<usize>> = vec![Vec::new(); n_sentences];
    for g in 0..n_sentences {
        members_of_root[sets.find(g)].push(g);
    }
    // Representative: the member with the largest summed score of its
    // edges inside the point (linear in the edges, not quadratic in members).
    let mut strength = vec![0f32; n_sentences];
    for edge in &alignment.edges {
        if sets.same(edge.a, edge.b) {
            strength[edge.a] += edge.score;
            strength[edge.b] += edge.score;
        }
    }
    let mut points: Vec<Point> = members_of_root
        .into_iter()
        .filter(|m| m.len() >= 2 && m.iter().any(|&g| corpus.article[g] != corpus.article[m[0]]))
        .map(|members| {
            let mut representative = members[0];
            for &g in &members {
                if strength[g] > strength[representative] + 1e-6 {
                    representative = g;
                }
            }
            Point { members, representative }
        })
        .collect();
    let n_articles = |p: &Point| {
        let mut articles: Vec<usize> = p.members.iter().map(|&g| corpus.article[g]).collect();
        articles.dedup();
        articles.len()
    };
    points.sort_by(|x, y| n_articles(y).cmp(&n_articles(x)).then(x.members[0].cmp(&y.members[0])));
    points
}

//! Disjoint sets over the indices `0..n`: the one union-find of the crate.
//!
//! Owns [`UnionFind`]. Near-duplicate groups (`fingerprint::lsh`), shared
//! points between sentences (`diff`) and spelling variants of names
//! (`diff::entities`) are all built with it. It must not know what the
//! indices stand for.
//!
//! The root of a set is always its smallest member: [`UnionFind::union`]
//! keeps the smaller root. Callers rely on it, since a set's root is then a
//! deterministic name for the set that does not depend on the order of the
//! unions.

/// Disjoint sets of `0..n` with path compression; the root of each set is
/// its smallest member.
///
/// Parents are stored as `u32`: the near-duplicate stage keeps one entry per
/// article, and a million articles then take 4 MB rather than 8.
#[derive(Clone, Debug)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    /// `n` singleton sets.
    ///
    /// # Panics
    /// When `n` does not fit in a `u32`.
    pub fn new(n: usize) -> UnionFind {
        let n = u32::try_from(n).expect("union-find over more than u32::MAX items");
        UnionFind { parent: (0..n).collect() }
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The root (smallest member) of the set holding `x`, compressing the
    /// path from `x` on the way.
    pub fn find(&mut self, x: usize) -> usize {
        let mut root = x as u32;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        let mut y = x as u32;
        while self.parent[y as usize] != root {
            let next = self.parent[y as usize];
            self.parent[y as usize] = root;
            y = next;
        }
        root as usize
    }

    /// Joins the sets of `a` and `b`. Returns `Some((kept, gone))`, the
    /// surviving root (the smaller) and the one that now points to it, or
    /// `None` when they were already one set.
    pub fn union(&mut self, a: usize, b: usize) -> Option<(usize, usize)> {
        let (ra, rb) = (self.find(a), self.find(b));
        self.union_roots(ra, rb)
    }

    /// [`UnionFind::union`] for two roots the caller has just found (for
    /// callers that check something about the two sets before joining them).
    pub fn union_roots(&mut self, ra: usize, rb: usize) -> Option<(usize, usize)> {
        debug_assert!(self.parent[ra] as usize == ra && self.parent[rb] as usize == rb, "not roots");
        if ra == rb {
            return None;
        }
        let (kept, gone) = (ra.min(rb), ra.max(rb));
        self.parent[gone] = kept as u32;
        Some((kept, gone))
    }

    /// Whether `a` and `b` are in one set.
    pub fn same(&mut self, a: usize, b: usize) -> bool {
        self.find(a) == self.find(b)
    }

    /// The root of every item, in item order.
    pub fn roots(&mut self) -> Vec<usize> {
        (0..self.len()).map(|x| self.find(x)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::UnionFind;
    use proptest::prelude::*;

    #[test]
    fn root_is_the_smallest_member_whatever_the_order() {
        let mut sets = UnionFind::new(6);
        assert_eq!(sets.union(5, 3), Some((3, 5)));
        assert_eq!(sets.union(4, 5), Some((3, 4)));
        assert_eq!(sets.union(3, 4), None);
        assert_eq!(sets.union(1, 4), Some((1, 3)));
        assert_eq!(sets.roots(), vec![0, 1, 2, 1, 1, 1]);
        assert!(sets.same(5, 1));
        assert!(!sets.same(0, 2));
    }

    proptest! {
        /// The sets are the connected components of the joined pairs, each
        /// named by its smallest member (checked against a flood fill).
        #[test]
        fn sets_are_connected_components(
            n in 1usize..40,
            pairs in proptest::collection::vec((0usize..40, 0usize..40), 0..60),
        ) {
            let pairs: Vec<(usize, usize)> = pairs.into_iter().map(|(a, b)| (a % n, b % n)).collect();
            let mut sets = UnionFind::new(n);
            for &(a, b) in &pairs {
                sets.union(a, b);
            }
            let mut component = vec![usize::MAX; n];
            for start in 0..n {
                if component[start] != usize::MAX {
                    continue;
                }
                let mut stack = vec![start];
                component[start] = start;
                while let Some(x) = stack.pop() {
                    for &(a, b) in &pairs {
                        for (from, to) in [(a, b), (b, a)] {
                            if from == x && component[to] == usize::MAX {
                                component[to] = start;
                                stack.push(to);
                            }
                        }
                    }
                }
            }
            prop_assert_eq!(sets.roots(), component);
        }
    }
}

//! Story clustering: which articles report the same event.
//!
//! Owns [`Clustering`], [`Story`], [`DupGroup`] and [`Link`], and the rule
//! that turns scored candidate pairs into stories. It must not read texts or
//! name hnsw_rs types: it sees article indices, vectors and scores.

use serde::Serialize;

/// A scored pair of articles (indices into the article list).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Link {
    /// The first article index (the smaller one).
    pub a: usize,
    /// The second article index.
    pub b: usize,
    /// The similarity that justified the link, in 0..=1.
    pub score: f32,
}

/// A group of near-duplicate copies of one text inside a story.
#[derive(Clone, Debug, Serialize)]
pub struct DupGroup {
    /// A stable id (`d1`, `d2`, …: ranked by size, then by smallest article id).
    pub id: String,
    /// Article indices, sorted by article id.
    pub members: Vec<usize>,
    /// The links (estimated resemblance) that joined the group.
    pub links: Vec<Link>,
}

/// Articles that report one event.
#[derive(Clone, Debug, Serialize)]
pub struct Story {
    /// A stable id (`s1`, `s2`, …: ranked by size, then by smallest article id).
    pub id: String,
    /// Article indices, sorted by article id.
    pub members: Vec<usize>,
    /// Near-duplicate groups of two or more members.
    pub dup_groups: Vec<DupGroup>,
    /// The story-similarity links between members that the clustering used.
    pub links: Vec<Link>,
}

/// The result of clustering: every article is in exactly one story.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Clustering {
    /// Stories, largest first, ties broken by smallest article id.
    pub stories: Vec<Story>,
}

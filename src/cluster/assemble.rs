//! Stories from the agglomeration's clusters: members, links, duplicate
//! groups and stable ids.
//!
//! Owns `assemble` (a [`Clustering`] from each article's cluster),
//! [`dup_groups`] (the near-duplicate groups alone, ranked the same way, for
//! the `dedup` command) and `dup_links`. Stories `s1, s2, …` and duplicate
//! groups `d1, d2, …` are ranked by size, then by smallest member index, so
//! ids are stable for the same input. It must not decide which articles go
//! together: that is [`group_average`](super::group_average)'s and
//! `fingerprint`'s.

use super::{Clustering, DupGroup, Link, Story};
use crate::fingerprint::DupGroups;

/// The near-duplicate groups of two or more, ranked by size, then by
/// smallest member index (`d1`, `d2`, …, as in a story's groups).
pub fn dup_groups(dups: &DupGroups) -> Vec<DupGroup> {
    ranked_dup_groups(&dups.group_of, &dup_links(dups))
}

/// The near-duplicate links, scored by their estimated resemblance.
pub(super) fn dup_links(dups: &DupGroups) -> Vec<Link> {
    dups.links.iter().map(|l| Link { a: l.a, b: l.b, score: l.resemblance }).collect()
}

/// The stories of articles whose clusters are `reps` (each article's
/// cluster representative, as [`group_average`](super::group_average) gives
/// them), with stable ids: ranked by size, then by smallest member index.
/// Each story holds the links of `edges` between its members and the
/// near-duplicate groups of `group_of` (with their links of `dup_links`)
/// inside it.
pub(super) fn assemble(reps: &[usize], group_of: &[usize], edges: &[Link], dup_links: &[Link]) -> Clustering {
    let n = reps.len();
    let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &r) in reps.iter().enumerate() {
        members_of[r].push(i);
    }
    let mut stories: Vec<Vec<usize>> = members_of.into_iter().filter(|m| !m.is_empty()).collect();
    stories.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));

    let mut story_of = vec![0usize; n];
    for (rank, members) in stories.iter().enumerate() {
        for &i in members {
            story_of[i] = rank;
        }
    }
    let mut story_links: Vec<Vec<Link>> = vec![Vec::new(); stories.len()];
    for link in edges {
        if story_of[link.a] == story_of[link.b] {
            story_links[story_of[link.a]].push(*link);
        }
    }
    let mut story_groups: Vec<Vec<DupGroup>> = vec![Vec::new(); stories.len()];
    for group in ranked_dup_groups(group_of, dup_links) {
        story_groups[story_of[group.members[0]]].push(group);
    }
    let stories = stories
        .into_iter()
        .zip(story_groups)
        .zip(story_links)
        .enumerate()
        .map(|(rank, ((members, dup_groups), links))| Story {
            id: format!("s{}", rank + 1),
            members,
            dup_groups,
            links,
        })
        .collect();
    Clustering { stories, storylines: Vec::new() }
}

/// The near-duplicate groups of two or more in `group_of` (each article's
/// group representative), ranked like stories (by size, then by smallest
/// member index), with the links of `dup_links` inside each.
fn ranked_dup_groups(group_of: &[usize], dup_links: &[Link]) -> Vec<DupGroup> {
    let n = group_of.len();
    let mut size = vec![0u32; n];
    for &g in group_of {
        size[g] += 1;
    }
    // Members of groups of two or more, by group, each group in index order
    // (the sort is stable).
    let mut grouped: Vec<usize> = (0..n).filter(|&i| size[group_of[i]] >= 2).collect();
    grouped.sort_by_key(|&i| group_of[i]);
    let mut groups: Vec<&[usize]> = grouped.chunk_by(|&a, &b| group_of[a] == group_of[b]).collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut rank_of = vec![usize::MAX; n];
    for (rank, members) in groups.iter().enumerate() {
        for &i in *members {
            rank_of[i] = rank;
        }
    }
    let mut links: Vec<Vec<Link>> = vec![Vec::new(); groups.len()];
    for l in dup_links {
        if rank_of[l.a] != usize::MAX && rank_of[l.a] == rank_of[l.b] {
            links[rank_of[l.a]].push(*l);
        }
    }
    groups
        .into_iter()
        .zip(links)
        .enumerate()
        .map(|(rank, (members, links))| DupGroup { id: format!("d{}", rank + 1), members: members.to_vec(), links })
        .collect()
}

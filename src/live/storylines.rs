//! The storyline step of an add: the stories an add changed join the
//! storylines the store knows, or start new ones.
//!
//! Each changed story gets its centroid (its articles' summed vectors cut
//! to their heaviest terms, at unit length, as a batch run's storylines
//! take it, [`crate::cluster::centroid`]), kept in the store with its
//! terms' inverted list and the store's document count when it was
//! weighed. The stored stories that share a changed one's heaviest terms
//! most, however old (a storyline spans months), are its candidates. The
//! batch run's storyline rule ([`crate::cluster::storyline_rule`]: group
//! average, no date decay) runs over units: each story taking part (changed
//! or one of a changed story's nearest candidates, [`OWN_CANDIDATES`]) on
//! its own, and each storyline as the rest of its stories (the kept sum of
//! their centroids, counted as that many stories:
//! [`crate::cluster::group_average_weighted`]), except that a small
//! storyline ([`WHOLE_LINE_STORIES`]) with a story taking part takes part
//! whole, story by story, and may split. A storyline's rest only grows or
//! merges, the older id surviving, as stories do; a story taking part may
//! leave for another, reported as moved, because a store sees the
//! evidence in the order of the days where a batch run's group average
//! takes it strongest first: the stories after one can show that it began
//! a saga rather than continued an older one.
//!
//! A centroid weighed when the store held few documents weighs common
//! words as rare ones; once the store holds twice the documents it had
//! then, the centroid is weighed again and its story takes part as a
//! changed one ([`restale`]): each story is weighed a number of times
//! logarithmic in the store's growth. This module must not change a
//! story: a storyline is a union of whole stories.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::cluster::{self, Sparse};
use crate::hashes::TermSet;
use crate::pipeline::Config;
use crate::represent::{self, TermCounts};
use crate::store::{add_scaled, to_line_sum, SparseSum, StoreError, StoryId, StorylineId, Writer, INDEXED_TERMS};

/// What the storyline step changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineChanges {
    /// Storylines started.
    pub new: Vec<StorylineId>,
    /// Storylines merged into an older one: `(younger, older)`.
    pub merged: Vec<(StorylineId, StorylineId)>,
    /// Stories that left their storyline for another: `(story, from, to)`.
    pub moved: Vec<(StoryId, StorylineId, StorylineId)>,
    /// The storylines whose stories changed here (their summaries follow).
    pub regrouped: BTreeSet<StorylineId>,
}

/// The units of one storyline step: each storyline taking part, as the
/// summed centroids of its stories that do not take part on their own and
/// their number (its rest), and each story taking part, as its centroid.
#[derive(Default)]
struct Items {
    vectors: Vec<Sparse>,
    sizes: Vec<usize>,
    /// The storyline whose rest an item is.
    lines: Vec<Option<StorylineId>>,
    /// The story an item is.
    stories: Vec<Option<StoryId>>,
    of_line: HashMap<StorylineId, usize>,
    of_story: HashMap<StoryId, usize>,
}

impl Items {
    fn push(&mut self, vector: Sparse, size: usize, line: Option<StorylineId>, story: Option<StoryId>) -> usize {
        let i = self.vectors.len();
        self.vectors.push(vector);
        self.sizes.push(size);
        self.lines.push(line);
        self.stories.push(story);
        i
    }
}

/// The stories taking part in a storyline step: each one's storyline
/// (`None`: a new story) and centroid; and the other candidates, which
/// take part within their storylines' rest, with their storylines.
#[derive(Default)]
struct Parts {
    line: BTreeMap<StoryId, Option<StorylineId>>,
    centroid: HashMap<StoryId, Sparse>,
    within: HashMap<StoryId, StorylineId>,
}

impl Parts {
    /// The unit `story` is or is within.
    fn item_of(&self, items: &Items, story: StoryId) -> Option<usize> {
        match self.within.get(&story) {
            Some(line) => items.of_line.get(line).copied(),
            None => items.of_story.get(&story).copied(),
        }
    }
}

/// Places the `changed` stories (each with its new centroid, weighed when
/// the store held `documents` documents) in storylines, after the story
/// merges `merged` (`(younger, older)`) of this add, stamped `now`.
pub(super) fn place_storylines(
    w: &Writer<'_>,
    changed: Vec<(StoryId, Sparse)>,
    documents: i64,
    merged: &[(StoryId, StoryId)],
    config: &Config,
    now: &str,
) -> Result<LineChanges, StoreError> {
    let rule = &config.storyline;
    // Each storyline's sum follows its stories' centroids.
    let mut deltas: HashMap<StorylineId, SparseSum> = HashMap::new();
    // A story merged away leaves its storyline to the story it joined.
    let mut joined: Vec<(StorylineId, StoryId)> = Vec::new();
    for &(younger, older) in merged {
        let line = w.storyline_of(younger)?;
        if let (Some(line), Some(old)) = (line, w.drop_centroid(younger)?) {
            add_scaled(deltas.entry(line).or_default(), &old, -1.0);
        }
        if let Some(line) = line {
            joined.push((line, older));
        }
        w.set_storyline(younger, None)?;
    }
    let mut parts = Parts::default();
    for (story, centroid) in &changed {
        let old = w.put_centroid(*story, centroid, documents)?;
        let line = w.storyline_of(*story)?;
        if let Some(line) = line {
            let delta = deltas.entry(line).or_default();
            add_scaled(delta, centroid, 1.0);
            add_scaled(delta, &old.unwrap_or_default(), -1.0);
        }
        parts.line.insert(*story, line);
        parts.centroid.insert(*story, centroid.clone());
    }
    // Like a batch run's nearest centroids: the stories most like each
    // changed one, found through its heaviest terms.
    let mut candidates: Vec<(StoryId, StoryId)> = Vec::new();
    let mut postings = HashMap::new();
    let mut farther: BTreeSet<StoryId> = BTreeSet::new();
    for (story, centroid) in &changed {
        let found = w.centroid_neighbours(centroid, INDEXED_TERMS, CANDIDATE_POSTINGS, &mut postings)?;
        let mut found: Vec<(StoryId, f64)> = found.into_iter().filter(|&(other, _)| other != *story).collect();
        found.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found.truncate(rule.neighbours);
        for (rank, (other, _)) in found.into_iter().enumerate() {
            if rank < OWN_CANDIDATES {
                take_part(w, other, &mut parts)?;
            } else {
                farther.insert(other);
            }
            candidates.push((*story, other));
        }
    }
    for &(_, older) in &joined {
        take_part(w, older, &mut parts)?;
    }
    take_part_whole(w, &mut parts)?;
    for story in farther {
        if !parts.line.contains_key(&story) {
            if let Some(line) = w.storyline_of(story)? {
                parts.within.insert(story, line);
            }
        }
    }

    let items = gather(w, &parts, &joined, &deltas)?;
    let pairs = unit_pairs(&items, &parts, &candidates);
    let pairs = cluster::scored_pairs(&items.vectors, &pairs);
    let initial: Vec<usize> = (0..items.vectors.len()).collect();
    let rule = cluster::storyline_rule(rule);
    let reps = cluster::group_average_weighted(items.vectors.clone(), &items.sizes, &initial, &pairs, &rule);
    assign(w, &items, &reps, &parts, &joined, &deltas, now)
}

/// Has `story` take part on its own, with its kept centroid (a story
/// without one, to be weighed at the next add, stays in its storyline's
/// rest).
fn take_part(w: &Writer<'_>, story: StoryId, parts: &mut Parts) -> Result<(), StoreError> {
    if parts.line.contains_key(&story) {
        return Ok(());
    }
    if let Some((line, centroid)) = w.line_and_centroid(story)? {
        parts.line.insert(story, line);
        parts.centroid.insert(story, centroid);
    }
    Ok(())
}

/// Has every story of each storyline of at most [`WHOLE_LINE_STORIES`]
/// that a story taking part is in take part on its own (those with a
/// kept centroid).
fn take_part_whole(w: &Writer<'_>, parts: &mut Parts) -> Result<(), StoreError> {
    let lines: BTreeSet<StorylineId> = parts.line.values().flatten().copied().collect();
    for line in lines {
        let stories = w.line_stories(line, WHOLE_LINE_STORIES + 1)?;
        if stories.len() <= WHOLE_LINE_STORIES {
            for story in stories {
                take_part(w, story, parts)?;
            }
        }
    }
    Ok(())
}

/// A storyline of at most this many stories, one of which takes part,
/// takes part whole, story by story: the rule then sees it as a batch run
/// would, and a storyline that an early, thin story glued to another saga
/// can split once the stories after it say so (a story in a storyline's
/// rest cannot leave it). On the storyline sets added day by day,
/// WikiNews Czech 0.923 → 0.973, French 0.892 → 0.916, Hebrew 0.885 →
/// 0.900, DUC topics 0.964 unchanged; 64 scores the same, 8 loses Hebrew's
/// gain. Larger storylines take part as their rest, which bounds a step's
/// work: at 16 the 10k day into the 1M store costs what it did, at 64 a
/// fifth more time and memory (BENCHMARKS.md, "Session 21: small
/// storylines take part whole").
const WHOLE_LINE_STORIES: usize = 16;

/// A changed story's candidates are found through its heaviest terms
/// ([`INDEXED_TERMS`]), each read down to this many stored stories, those
/// that weigh it most: the work of finding a story's candidates is bounded whatever the
/// store's size and however common its terms.
const CANDIDATE_POSTINGS: usize = 64;

/// How many of a changed story's candidates, its nearest, take part on
/// their own (and so may move); the others take part within their
/// storylines' rest. A story that moves is among the nearest of the story
/// that pulls it out (the race's first stage, of its next); on the four
/// storyline sets added day by day, 5 scores as all 30 do, 2 does not, and
/// each candidate on its own made the rule's units ten times as many at 1M
/// (README, "Storylines").
const OWN_CANDIDATES: usize = 5;

/// The units of a storyline step: the rest of every storyline a story
/// taking part is in or a merged-away story leaves (with this step's
/// `deltas` to its sum), when it has stories not taking part; and every
/// story taking part.
fn gather(
    w: &Writer<'_>,
    parts: &Parts,
    joined: &[(StorylineId, StoryId)],
    deltas: &HashMap<StorylineId, SparseSum>,
) -> Result<Items, StoreError> {
    let mut taking_part: BTreeMap<StorylineId, Vec<StoryId>> = BTreeMap::new();
    for (&story, line) in &parts.line {
        if let Some(line) = line {
            taking_part.entry(*line).or_default().push(story);
        }
    }
    let mut lines: BTreeSet<StorylineId> = joined.iter().map(|&(line, _)| line).collect();
    lines.extend(taking_part.keys());
    lines.extend(parts.within.values());
    let mut items = Items::default();
    for line in lines {
        let own = taking_part.get(&line).map_or(&[][..], Vec::as_slice);
        let size = w.line_size(line)?.saturating_sub(own.len());
        if size == 0 {
            // All its stories take part on their own (`assign` gives the
            // storyline to the cluster holding most of them).
            continue;
        }
        let mut sum = w.line_sum_with(line, deltas.get(&line))?;
        for story in own {
            add_scaled(&mut sum, &parts.centroid[story], -1.0);
        }
        let i = items.push(to_line_sum(&sum), size, Some(line), None);
        items.of_line.insert(line, i);
    }
    for &story in parts.line.keys() {
        let i = items.push(parts.centroid[&story].clone(), 1, None, Some(story));
        items.of_story.insert(story, i);
    }
    Ok(items)
}

/// A storyline all of whose stories take part pairs them all up to this
/// many.
const RESTLESS_ALL_PAIRS: usize = 64;

/// The pairs of units the rule compares: the candidates', and each story
/// taking part with its own storyline (its rest, or the storyline's other
/// stories when all take part), so that a story stays where it was unless
/// the evidence now says otherwise.
fn unit_pairs(items: &Items, parts: &Parts, candidates: &[(StoryId, StoryId)]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> =
        candidates.iter().filter_map(|&(a, b)| Some((parts.item_of(items, a)?, parts.item_of(items, b)?))).collect();
    let mut restless: HashMap<StorylineId, Vec<usize>> = HashMap::new();
    for (story, line) in &parts.line {
        let Some(line) = line else { continue };
        let i = items.of_story[story];
        match items.of_line.get(line) {
            Some(&rest) => pairs.push((i, rest)),
            None => restless.entry(*line).or_default().push(i),
        }
    }
    for members in restless.values() {
        if members.len() <= RESTLESS_ALL_PAIRS {
            for (k, &a) in members.iter().enumerate() {
                pairs.extend(members[k + 1..].iter().map(|&b| (a, b)));
            }
        } else {
            // Each with the first and the next: still one connected
            // storyline, in pairs that grow with its size, not its square.
            pairs.extend(members.windows(2).map(|w| (w[0], w[1])));
            pairs.extend(members[2..].iter().map(|&b| (members[0], b)));
        }
    }
    let mut pairs: Vec<(usize, usize)> =
        pairs.into_iter().filter(|(a, b)| a != b).map(|(a, b)| (a.min(b), a.max(b))).collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Gives each cluster of `reps` its storyline, and keeps each storyline's
/// sum (its units' vectors summed). A cluster holds the storylines whose
/// rest it holds, and each storyline without a rest in this step (all its
/// stories taking part on their own, or its only story merged away) goes
/// to the cluster holding most of its stories (or the story it joined);
/// the oldest of them is the cluster's storyline and the others merge into
/// it; a cluster holding none starts a new one, dated by its first story.
/// A story whose storyline is neither its cluster's nor merged into it has
/// moved.
fn assign(
    w: &Writer<'_>,
    items: &Items,
    reps: &[usize],
    parts: &Parts,
    joined: &[(StorylineId, StoryId)],
    deltas: &HashMap<StorylineId, SparseSum>,
    now: &str,
) -> Result<LineChanges, StoreError> {
    let mut claims: HashMap<usize, BTreeSet<StorylineId>> = HashMap::new();
    for (i, line) in items.lines.iter().enumerate() {
        if let Some(line) = line {
            claims.entry(reps[i]).or_default().insert(*line);
        }
    }
    let mut votes: BTreeMap<StorylineId, BTreeMap<usize, usize>> = BTreeMap::new();
    for (i, story) in items.stories.iter().enumerate() {
        let Some(line) = story.and_then(|s| parts.line[&s]) else { continue };
        if !items.of_line.contains_key(&line) {
            *votes.entry(line).or_default().entry(reps[i]).or_default() += 1;
        }
    }
    for &(line, older) in joined {
        if items.of_line.contains_key(&line) || votes.contains_key(&line) {
            continue;
        }
        if let Some(&i) = items.of_story.get(&older) {
            votes.entry(line).or_default().insert(reps[i], 1);
        }
    }
    for (line, votes) in votes {
        // The most stories, then the first cluster: a deterministic choice.
        let (&rep, _) = votes.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).expect("a vote");
        claims.entry(rep).or_default().insert(line);
    }

    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &rep) in reps.iter().enumerate() {
        clusters.entry(rep).or_default().push(i);
    }
    let mut changes = LineChanges::default();
    let mut line_of_cluster: BTreeMap<usize, StorylineId> = BTreeMap::new();
    let mut merges: Vec<(StorylineId, StorylineId)> = Vec::new();
    for (&rep, members) in &clusters {
        let claimed = claims.get(&rep).cloned().unwrap_or_default();
        let line = match claimed.first() {
            Some(&oldest) => {
                merges.extend(claimed.iter().skip(1).map(|&younger| (younger, oldest)));
                oldest
            }
            None => {
                let stories = members.iter().filter_map(|&i| items.stories[i]);
                let day = stories.map(|s| s.first_day).min().expect("a cluster without a rest holds a story");
                let line = w.new_storyline(day, now)?;
                changes.new.push(line);
                line
            }
        };
        line_of_cluster.insert(rep, line);
    }
    // Stories first: a storyline merged away takes along only the stories
    // still in it.
    for (i, story) in items.stories.iter().enumerate() {
        let Some(story) = *story else { continue };
        let to = line_of_cluster[&reps[i]];
        let from = parts.line[&story];
        if from == Some(to) {
            continue;
        }
        w.set_storyline(story, Some(to))?;
        changes.regrouped.insert(to);
        if let Some(from) = from {
            let followed = claims.get(&reps[i]).is_some_and(|c| c.contains(&from));
            if !followed {
                changes.moved.push((story, from, to));
                changes.regrouped.insert(from);
            }
        }
    }
    for &(younger, older) in &merges {
        w.merge_storyline(younger, older, now)?;
        changes.regrouped.insert(older);
    }
    changes.merged = merges;
    // A story merged away left its storyline one story fewer.
    changes.regrouped.extend(joined.iter().map(|&(line, _)| line));
    let moved: BTreeSet<StorylineId> = changes.moved.iter().map(|&(_, from, _)| from).collect();
    for (&rep, members) in &clusters {
        let line = line_of_cluster[&rep];
        let claimed = claims.get(&rep).map_or(0, BTreeSet::len);
        let own = members.iter().any(|&i| items.stories[i].is_some());
        if members.len() > 1 || claimed > 1 || own || deltas.contains_key(&line) || moved.contains(&line) {
            let mut sum = SparseSum::new();
            for &i in members {
                add_scaled(&mut sum, &items.vectors[i], 1.0);
            }
            w.put_line_sum(line, &to_line_sum(&sum))?;
        }
    }
    Ok(changes)
}

/// The centroids of `stories`, weighed from their articles' term counts
/// with the store's document frequencies now.
fn weigh_stories(w: &Writer<'_>, stories: &[StoryId], config: &Config) -> Result<Vec<(StoryId, Sparse)>, StoreError> {
    let counts: Vec<Vec<TermCounts>> = stories.iter().map(|&s| w.member_term_counts(s)).collect::<Result<_, _>>()?;
    let keys: TermSet = counts.iter().flatten().flat_map(TermCounts::df_keys).collect();
    let df = w.doc_freq(&keys)?.finish();
    Ok(stories
        .iter()
        .zip(&counts)
        .map(|(&story, counts)| {
            let sum = summed(counts.iter().map(|c| represent::weigh(c, &df, &config.represent).terms));
            (story, cluster::centroid(sum, config.storyline.max_terms))
        })
        .collect())
}

/// Stories given their storylines at a time by [`backfill`]: each step
/// reads their articles' term counts and the store's frequencies of them.
const BACKFILL_STORIES: usize = 2048;

/// Gives every live story without a centroid (those of a store kept
/// before storylines were, or left by a `remove`) its centroid and
/// storyline, oldest first, as if they had been added in that order: each
/// story's vector weighed with the store's document frequencies now.
/// Returns how many it placed.
pub(super) fn backfill(w: &Writer<'_>, config: &Config, now: &str) -> Result<usize, StoreError> {
    let stories = w.stories_without_centroid()?;
    if stories.is_empty() {
        return Ok(0);
    }
    let documents = w.documents()?;
    let mut lines = BTreeSet::new();
    for chunk in stories.chunks(BACKFILL_STORIES) {
        let centroids = weigh_stories(w, chunk, config)?;
        lines.extend(place_storylines(w, centroids, documents, &[], config, now)?.regrouped);
    }
    w.refresh_storylines(&lines, Some(now))?;
    Ok(stories.len())
}

/// The stale stories an add weighs again: as many as it changed, and at
/// least this many, so that a young store catches up at once and a large
/// one spends on them at most what it spends on the day's own stories.
const REWEIGHED_AT_LEAST: usize = 256;

/// The centroids weighed when the store held at most half its `documents`
/// now (the stalest first, as many as `changed` holds and at least
/// [`REWEIGHED_AT_LEAST`], those in `changed` left out), weighed again:
/// they take part in the add's storyline step as its changed stories do.
pub(super) fn reweigh_stale(
    w: &Writer<'_>,
    documents: i64,
    changed: &BTreeSet<StoryId>,
    config: &Config,
) -> Result<Vec<(StoryId, Sparse)>, StoreError> {
    let limit = changed.len().max(REWEIGHED_AT_LEAST);
    let stale: Vec<StoryId> =
        w.stale_centroids(documents / 2, limit)?.into_iter().filter(|s| !changed.contains(s)).collect();
    weigh_stories(w, &stale, config)
}

/// The summed vector of each changed story of an add: its articles'
/// vectors (those the add read) added term by term, in term order.
pub(super) fn summed(vectors: impl Iterator<Item = impl AsRef<[(u64, f32)]>>) -> Sparse {
    let mut sum: HashMap<u64, f32> = HashMap::new();
    for v in vectors {
        for &(term, weight) in v.as_ref() {
            *sum.entry(term).or_insert(0.0) += weight;
        }
    }
    let mut sum: Sparse = sum.into_iter().collect();
    sum.sort_unstable_by_key(|&(term, _)| term);
    sum
}

//! Adding a batch of news to a story store: the `add` stage.
//!
//! Owns [`add`], [`AddConfig`] and what an add reports ([`Added`],
//! [`Growth`]). A batch is clustered together with the store's active
//! window (the articles published within [`AddConfig::active_days`] of the
//! batch's dates), with term weights from the store's document
//! frequencies: a new article joins a known story or starts a new one, and
//! known stories merge, the older id surviving. A known story starts
//! whole but for its articles of the batch's days and the date grace
//! before them, which start loose: one of them may leave the story with
//! the batch's articles when it is closer to them
//! ([`crate::cluster::stories_of_store`]), and the add reports the move.
//! Everything an add changes is one transaction. It must not read inputs
//! (the caller hands it cleaned articles) nor print.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::article::Article;
use crate::cluster::Clustering;
use crate::fingerprint::{self, FingerprintConfig};
use crate::pipeline::{Config, Progress, Stage};
use crate::store::{
    self, content_hash, LinkKind, Loaded, Store, StoreError, StoredArticle, StoryId, StorylineId, Window, Writer,
};
use crate::union_find::UnionFind;
use select::Selected;

mod select;
mod storylines;

/// How an add chooses the stories new articles may join.
#[derive(Clone, Debug, PartialEq)]
pub struct AddConfig {
    /// Known stories with an article published at most this many days
    /// before the batch's first date (or after its last), or undated and
    /// first seen that recently, are candidates for the batch's articles.
    pub active_days: i64,
}

impl Default for AddConfig {
    /// Thirty days: see the README's "A live story store" for the
    /// measurement behind it.
    fn default() -> AddConfig {
        AddConfig { active_days: 30 }
    }
}

/// What an add changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Added {
    /// Articles new to the store.
    pub added: Vec<String>,
    /// Articles stored before with another text, title or date: stored
    /// anew and assigned again.
    pub updated: Vec<String>,
    /// Articles stored before exactly as read: left alone.
    pub unchanged: usize,
    /// Stories this add started.
    pub new_stories: Vec<StoryId>,
    /// Known stories that gained articles.
    pub grown: Vec<Growth>,
    /// Known stories merged into an older one: `(younger, older)`.
    pub merged: Vec<(StoryId, StoryId)>,
    /// The story of every article added or updated, by article id.
    pub story_of: BTreeMap<String, StoryId>,
    /// Storylines this add started.
    pub new_storylines: Vec<StorylineId>,
    /// Known storylines merged into an older one: `(younger, older)`.
    pub merged_storylines: Vec<(StorylineId, StorylineId)>,
    /// Stories that moved to another storyline (not by a merge of
    /// storylines): `(story, from, to)`.
    pub moved_stories: Vec<(StoryId, StorylineId, StorylineId)>,
    /// Stored articles that left their story with articles of the batch:
    /// `(article, from, to)`.
    pub moved_articles: Vec<(String, StoryId, StoryId)>,
}

/// A known story that grew.
#[derive(Clone, Debug, PartialEq)]
pub struct Growth {
    /// The story.
    pub story: StoryId,
    /// How many of the batch's articles joined it.
    pub articles: usize,
    /// Outlets it had no article from before.
    pub new_sources: Vec<String>,
}

/// Adds `batch` (cleaned articles with distinct ids) to `store`, stamped
/// `now` (RFC 3339; its date also dates stories of undated articles).
///
/// # Errors
/// A store error: then nothing was changed.
pub fn add(
    store: &mut Store,
    batch: Vec<Article>,
    config: &Config,
    add_config: &AddConfig,
    now: &str,
    progress: &dyn Progress,
) -> Result<Added, StoreError> {
    add_reporting(store, batch, config, add_config, now, progress).map(|(added, _)| added)
}

/// [`add`], also returning the stories it changed (started, grew, merged
/// into, or took an updated article from) as they are after it, read
/// within the add for its report, without the bodies of titled articles.
///
/// # Errors
/// A store error: then nothing was changed.
pub fn add_reporting(
    store: &mut Store,
    batch: Vec<Article>,
    config: &Config,
    add_config: &AddConfig,
    now: &str,
    progress: &dyn Progress,
) -> Result<(Added, Loaded), StoreError> {
    store.write(|w| add_in(w, batch, config, add_config, now, progress))
}

fn add_in(
    w: &Writer<'_>,
    batch: Vec<Article>,
    config: &Config,
    add_config: &AddConfig,
    now: &str,
    progress: &dyn Progress,
) -> Result<(Added, Loaded), StoreError> {
    progress.start(Stage::StoreRead, batch.len() as u64);
    let mut result = Added::default();
    let mut fresh = Vec::new();
    for article in batch {
        let hash = content_hash(&article);
        match w.article_state(&article.id)? {
            Some((stored, _)) if stored == hash => result.unchanged += 1,
            Some(_) => {
                result.updated.push(article.id.clone());
                fresh.push((article, hash));
            }
            None => {
                result.added.push(article.id.clone());
                fresh.push((article, hash));
            }
        }
    }
    if fresh.is_empty() {
        return Ok((result, Loaded::default()));
    }
    // An updated article is taken out of its story and placed again; the
    // stories it leaves are refreshed with the others at the end.
    let updated: Vec<&str> = result.updated.iter().map(String::as_str).collect();
    let mut touched = w.remove_articles(&updated)?;

    let today = now.get(..10).and_then(crate::article::Date::parse_iso).map(|d| d.days_since_epoch());
    let newest = if fresh.iter().any(|(a, _)| a.published.is_none()) { w.newest_day()? } else { None };
    let undated_day = newest.or(today);
    let days = active_range(&fresh, undated_day, add_config);
    let seen_since = days_before(now, add_config.active_days);
    w.ensure_fingerprints(&config.fingerprint)?;
    storylines::backfill(w, config, now)?;
    let window = Window { days, first_seen: &seen_since };
    let s = select::select(w, fresh, window, undated_day, config, progress)?;
    let known: BTreeSet<StoryId> = s.before.iter().flatten().copied().collect();
    let sources_before = w.story_sources(&known)?;

    let clustering = cluster_selected(&s, config, progress);
    progress.start(Stage::StoreWrite, s.articles.len() as u64);
    let homes = Homes::of(&clustering, &s.before);
    let placed = place(w, &s.articles, &clustering, &s.before, &homes, now, today, &mut result)?;
    let changed = changed_stories(&clustering, &s.before, &homes);
    store_articles(w, &s, &clustering, &placed, &config.fingerprint, now)?;
    let mut centroids: Vec<(StoryId, crate::cluster::Sparse)> = clustering
        .stories
        .iter()
        .zip(&placed)
        .zip(&changed)
        .filter(|(_, &c)| c)
        .map(|((story, &id), _)| {
            let sum = storylines::summed(story.members.iter().map(|&m| &s.vectors[m].terms));
            (id, crate::cluster::centroid(sum, config.storyline.max_terms))
        })
        .collect();
    let documents = w.documents()?;
    let fresh: BTreeSet<StoryId> = centroids.iter().map(|&(id, _)| id).collect();
    centroids.extend(storylines::reweigh_stale(w, documents, &fresh, config)?);
    let lines = storylines::place_storylines(w, centroids, documents, &result.merged, config, now)?;
    result.new_storylines = lines.new;
    result.merged_storylines = lines.merged;
    result.moved_stories = lines.moved;

    touched.extend(placed.iter().zip(&changed).filter(|(_, &c)| c).map(|(&id, _)| id));
    let stories = w.refresh_with_lines(&touched, lines.regrouped, Some(now))?;
    result.grown = growth(&result, &s.articles, &sources_before, &placed, &clustering, &s.before);
    for (story, &id) in clustering.stories.iter().zip(&placed) {
        for &m in story.members.iter().filter(|&&m| s.hashes[m].is_some()) {
            result.story_of.insert(s.articles[m].id.clone(), id);
        }
    }
    Ok((result, stories))
}

/// Clusters the selection: term weights from the store's document
/// frequencies with the batch counted in, and only clusters holding a
/// batch article offered to a larger one in the attachment pass. A known
/// story's recent articles start loose: those the index held (the batch's
/// days and just before) published within the date grace before the
/// batch's first day, or later, whose story may still be the one of news
/// arriving now. A first report of a new event often reads like the next
/// turn of an older story of its saga and joins it when it comes alone;
/// its event's other reports, a few hours or days later, then take it
/// along. The rest of each story starts as one group, its anchor, which
/// each loose article of the story is a candidate of, so that the story
/// can form again whole ([`crate::cluster::stories_of_store`]).
fn cluster_selected(s: &Selected, config: &Config, progress: &dyn Progress) -> Clustering {
    let n = s.articles.len();
    let days: Vec<Option<i64>> = s.articles.iter().map(|a| a.published.map(|d| d.days_since_epoch())).collect();
    let mut story_index: HashMap<StoryId, usize> = HashMap::new();
    let known: Vec<Option<usize>> = s
        .before
        .iter()
        .map(|story| {
            story.map(|id| {
                let next = story_index.len();
                *story_index.entry(id).or_insert(next)
            })
        })
        .collect();
    // Loose: the stored articles published within the date grace before
    // the batch's first day, or later.
    let first_day = days.iter().zip(&s.hashes).filter(|(_, h)| h.is_some()).filter_map(|(d, _)| *d).min();
    let grace = i64::from(config.cluster.date_grace_days);
    let loose: Vec<bool> = (0..n)
        .map(|i| s.indexed[i] && days[i].zip(first_day).is_some_and(|(day, first)| day >= first - grace))
        .collect();
    let mut starting = UnionFind::new(n);
    let mut anchors: Vec<Vec<usize>> = vec![Vec::new(); story_index.len()];
    for i in 0..n {
        starting.union(i, s.dups.group_of[i]);
        if let (Some(k), false) = (known[i], loose[i]) {
            if let Some(&first) = anchors[k].first() {
                starting.union(i, first);
            }
            anchors[k].push(i);
        }
    }
    let initial: Vec<usize> = (0..n).map(|i| starting.find(i)).collect();
    let new: Vec<bool> = s.hashes.iter().map(Option::is_some).collect();
    let mut neighbours = s.neighbours.clone();
    for (i, list) in neighbours.iter_mut().enumerate() {
        if let (Some(k), true) = (known[i], loose[i]) {
            list.extend(anchors[k].iter().take(ANCHOR_CANDIDATES).map(|&a| (a, 0.0)));
        }
    }
    progress.start(Stage::Cluster, n as u64);
    let clustering = crate::cluster::stories_of_store(
        &days,
        &s.dups,
        &initial,
        &new,
        &known,
        s.vectors.clone(),
        neighbours,
        &config.cluster,
    );
    progress.advance(n as u64);
    clustering
}

/// How many articles of its story's anchor a loose article is a candidate
/// of: one pair above the candidate floor makes the two clusters
/// candidates, and the merge rule then scores them whole.
const ANCHOR_CANDIDATES: usize = 16;

/// Where each known story of an add's clustering lives on.
struct Homes {
    /// Per cluster, the known stories whose home it is.
    of_cluster: Vec<BTreeSet<StoryId>>,
    /// Per known story, its home cluster.
    home: HashMap<StoryId, usize>,
    /// Per known story, how many of its selected articles are in each
    /// cluster holding some.
    spread: HashMap<StoryId, Vec<(usize, usize)>>,
}

impl Homes {
    /// A known story's home is the cluster holding most of its selected
    /// articles (among equals, one without a batch article, then the
    /// first), as the clustering settled them (`cluster::stories_of_store`).
    fn of(clustering: &Clustering, before: &[Option<StoryId>]) -> Homes {
        let mut spread: HashMap<StoryId, Vec<(usize, usize)>> = HashMap::new();
        let mut calm = vec![true; clustering.stories.len()];
        for (c, story) in clustering.stories.iter().enumerate() {
            for &m in &story.members {
                match before[m] {
                    Some(k) => {
                        let counts = spread.entry(k).or_default();
                        match counts.last_mut() {
                            Some((last, count)) if *last == c => *count += 1,
                            _ => counts.push((c, 1)),
                        }
                    }
                    None => calm[c] = false,
                }
            }
        }
        let mut of_cluster = vec![BTreeSet::new(); clustering.stories.len()];
        let mut home = HashMap::new();
        for (&k, counts) in &spread {
            let best = counts.iter().max_by(|x, y| (x.1, calm[x.0]).cmp(&(y.1, calm[y.0])).then(y.0.cmp(&x.0)));
            let &(c, _) = best.expect("a known story with selected articles");
            of_cluster[c].insert(k);
            home.insert(k, c);
        }
        Homes { of_cluster, home, spread }
    }
}

/// Whether each story of `clustering` changed: it holds a batch article,
/// more than one known story, an article that left its story, or is the
/// home of a story that lost one. The others are known stories as they
/// were.
fn changed_stories(clustering: &Clustering, before: &[Option<StoryId>], homes: &Homes) -> Vec<bool> {
    clustering
        .stories
        .iter()
        .enumerate()
        .map(|(c, story)| {
            // A batch article, or a stored one whose story's home is elsewhere.
            let gained = story.members.iter().any(|&m| before[m].is_none_or(|k| homes.home[&k] != c));
            let lost = homes.of_cluster[c].iter().any(|k| homes.spread[k].len() > 1);
            homes.of_cluster[c].len() > 1 || gained || lost
        })
        .collect()
}

/// The publication days of the stories a batch may join: from
/// `active_days` before its first date to as long after its last one (a
/// batch of late-found older news joins the stories of its time). An
/// undated article may be of any day: it is taken as of `undated_day`, the
/// newest day the store holds (or today, for an empty store), since news
/// is read as it comes.
fn active_range(fresh: &[(Article, u64)], undated_day: Option<i64>, config: &AddConfig) -> (i64, i64) {
    let days = fresh.iter().filter_map(|(a, _)| match a.published {
        Some(date) => Some(date.days_since_epoch()),
        None => undated_day,
    });
    let (first, last) = days.fold((i64::MAX, i64::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
    if first > last {
        return (i64::MAX, i64::MIN);
    }
    (first - config.active_days, last + config.active_days)
}

/// The RFC 3339 date `days` before `now`'s date (undated articles first
/// seen since then are in the window).
fn days_before(now: &str, days: i64) -> String {
    match now.get(..10).and_then(crate::article::Date::parse_iso) {
        Some(date) => crate::article::Date::from_days_since_epoch(date.days_since_epoch() - days).to_string(),
        None => String::new(),
    }
}

/// The store id of each story of `clustering`: the oldest known story
/// whose home it is (the others merged into it), or a new one dated by its
/// first article (or by `today` when none is dated). A stored article in
/// a cluster that is not its story's home moves to that cluster's story,
/// and the add reports it.
#[allow(clippy::too_many_arguments)]
fn place(
    w: &Writer<'_>,
    articles: &[Article],
    clustering: &Clustering,
    before: &[Option<StoryId>],
    homes: &Homes,
    now: &str,
    today: Option<i64>,
    result: &mut Added,
) -> Result<Vec<StoryId>, StoreError> {
    let mut placed = Vec::with_capacity(clustering.stories.len());
    let mut merged_into: HashMap<StoryId, StoryId> = HashMap::new();
    for (story, known) in clustering.stories.iter().zip(&homes.of_cluster) {
        let id = match known.first() {
            Some(&oldest) => {
                for &younger in known.iter().skip(1) {
                    w.merge_story(younger, oldest, now)?;
                    result.merged.push((younger, oldest));
                    merged_into.insert(younger, oldest);
                }
                oldest
            }
            None => {
                let day = story.members.iter().filter_map(|&m| articles[m].published).min();
                let day = day.map(|d| d.days_since_epoch()).or(today).unwrap_or(0);
                let id = w.new_story(day, now)?;
                result.new_stories.push(id);
                id
            }
        };
        placed.push(id);
    }
    // After the merges, which move every article of a merged story.
    for (story, &id) in clustering.stories.iter().zip(&placed) {
        for &m in &story.members {
            let Some(from) = before[m] else { continue };
            if merged_into.get(&from).copied().unwrap_or(from) != id {
                w.move_article(&articles[m].id, id)?;
                result.moved_articles.push((articles[m].id.clone(), from, id));
            }
        }
    }
    Ok(placed)
}

/// Puts the batch's articles in their stories, gives the known articles
/// copied by one of them their new near-duplicate group, and keeps the
/// links the clustering made for the batch: those with a batch article at
/// one end or joining two known stories. Links between articles of one
/// known story are kept as they were, so that a story keeps the record of
/// how it grew.
fn store_articles(
    w: &Writer<'_>,
    s: &Selected,
    clustering: &Clustering,
    placed: &[StoryId],
    fingerprint_config: &FingerprintConfig,
    now: &str,
) -> Result<(), StoreError> {
    let articles = &s.articles;
    let is_new = |m: usize| s.hashes[m].is_some();
    let (mut links, mut stored) = (Vec::new(), Vec::new());
    for (story, &id) in clustering.stories.iter().zip(placed) {
        for group in story.dup_groups.iter().filter(|g| g.members.iter().any(|&m| is_new(m))) {
            let head = Some(articles[group.members[0]].id.as_str());
            for &m in group.members.iter().filter(|&&m| !is_new(m)) {
                w.set_dup_group(&articles[m].id, head)?;
            }
        }
        for &m in story.members.iter().filter(|&&m| is_new(m)) {
            let dup_group = story.dup_groups.iter().find(|g| g.members.contains(&m));
            stored.push((m, id, dup_group.map(|g| articles[g.members[0]].id.as_str())));
        }
        let copy_links = story.dup_groups.iter().flat_map(|g| g.links.iter().map(|l| (l, LinkKind::Copy)));
        for (l, kind) in story.links.iter().map(|l| (l, LinkKind::Story)).chain(copy_links) {
            if is_new(l.a) || is_new(l.b) || s.before[l.a] != s.before[l.b] {
                links.push((articles[l.a].id.as_str(), articles[l.b].id.as_str(), kind, l.score));
            }
        }
    }
    // In id order, as the tables' keys are: each insert lands next to the
    // last one.
    stored.sort_unstable_by_key(|&(m, _, _)| m);
    links.sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
    let copy_keys: Vec<Vec<u8>> =
        stored.iter().map(|&(m, _, _)| fingerprint::copy_keys(&s.fingerprints[m], fingerprint_config)).collect();
    let stored: Vec<StoredArticle<'_>> = stored
        .iter()
        .zip(&copy_keys)
        .map(|(&(m, story, dup_group), copy_keys)| StoredArticle {
            article: &articles[m],
            story,
            dup_group,
            content_hash: s.hashes[m].expect("a batch article"),
            counts: &s.counts[m],
            counted: s.counted[m],
            fingerprint: &s.fingerprints[m],
            copy_keys,
        })
        .collect();
    w.put_articles(&stored, now)?;
    w.put_links(&links)
}

/// The known stories that gained articles, with the outlets new to them.
fn growth(
    result: &Added,
    articles: &[Article],
    sources_before: &HashMap<StoryId, BTreeSet<String>>,
    placed: &[StoryId],
    clustering: &Clustering,
    before: &[Option<StoryId>],
) -> Vec<Growth> {
    let new: BTreeSet<StoryId> = result.new_stories.iter().copied().collect();
    let mut grown = Vec::new();
    for (story, &id) in clustering.stories.iter().zip(placed) {
        let joined: Vec<usize> = story.members.iter().copied().filter(|&m| before[m].is_none()).collect();
        if joined.is_empty() || new.contains(&id) {
            continue;
        }
        // Every article of the known stories it holds had its outlet in
        // `sources_before`; what the story has now beyond them came with
        // the batch.
        let known: BTreeSet<StoryId> = story.members.iter().filter_map(|&m| before[m]).collect();
        let had: BTreeSet<&String> = known.iter().filter_map(|s| sources_before.get(s)).flatten().collect();
        let new_sources: BTreeSet<&String> = joined
            .iter()
            .map(|&m| &articles[m].source)
            .filter(|source| !source.is_empty() && !had.contains(source))
            .collect();
        let new_sources = new_sources.into_iter().cloned().collect();
        grown.push(Growth { story: id, articles: joined.len(), new_sources });
    }
    grown
}

/// The current time in UTC as RFC 3339 (`2026-12-05T14:03:09Z`), the form
/// a store stamps changes with.
pub fn now_utc() -> String {
    store::timestamp(store::now())
}

/// Reads a time given by a user (`2024-09-23` or `2024-09-23T10:00:00Z`)
/// as the RFC 3339 stamp an add uses; `None` when it is neither.
pub fn parse_now(text: &str) -> Option<String> {
    let date = crate::article::Date::parse_iso(text.get(..10)?)?;
    match text.get(10..) {
        Some("") => Some(format!("{date}T00:00:00Z")),
        Some(rest) => {
            let time = rest.strip_prefix('T')?.strip_suffix('Z')?;
            let parts: Vec<u32> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
            match parts[..] {
                [h, m, s] if h < 24 && m < 60 && s < 60 && time.len() == 8 => Some(format!("{date}T{time}Z")),
                _ => None,
            }
        }
        None => None,
    }
}

#[cfg(test)]
mod tests;

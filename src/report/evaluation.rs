//! `storyclust eval`: scores a clustering against gold labels kept aside
//! in the input, and lays out where it went wrong.
//!
//! Owns [`Evaluation`] and its text and JSON layouts. The labels are read
//! from the articles' `extra` fields here and only here, after clustering;
//! the metrics themselves live in `eval`.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::article::Article;
use crate::cluster::Clustering;
use crate::eval::{self, MixedStory, Scores, SplitStory};

use super::first_words;

/// What a gold labelling is scored against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Stories (events).
    Story,
    /// Storylines (developing topics, unions of stories).
    Storyline,
    /// Near-duplicate groups, against a `dup_of`-style field.
    Duplicates,
}

/// Scores of one labelling (stories, storylines or near-duplicate groups).
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    /// The gold field scored.
    pub field: String,
    /// What it was scored against.
    pub level: Level,
    /// The metrics over the labelled articles.
    pub scores: Scores,
    /// Articles without the gold field (left out of the scores).
    pub unlabelled: usize,
    /// Gold groups split over the most predicted groups.
    pub most_split: Vec<SplitStory>,
    /// Predicted groups mixing the most gold groups.
    pub most_mixed: Vec<MixedStory>,
}

/// Scores the `level` of `clustering` against the gold labels of `field`:
/// stories, storylines, or the near-duplicate groups against a
/// `dup_of`-style field (each article names the article it copies; chains
/// are followed to their root).
pub fn evaluate(articles: &[Article], clustering: &Clustering, field: &str, level: Level, top: usize) -> Evaluation {
    let n = articles.len();
    let duplicates = level == Level::Duplicates;
    let predicted = predicted_ids(articles, clustering, level);
    let gold: Vec<Option<String>> = if duplicates {
        let index: HashMap<&str, usize> = articles.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
        (0..n)
            .map(|i| {
                // Follow dup_of links to the root; a cycle or a dangling link stops there.
                let mut current = i;
                for _ in 0..n {
                    match articles[current].extra.get(field).and_then(|target| index.get(target)) {
                        Some(&next) if next != current => current = next,
                        _ => break,
                    }
                }
                Some(articles[current].id.clone())
            })
            .collect()
    } else {
        articles.iter().map(|a| a.extra.get(field).map(str::to_owned)).collect()
    };
    let labelled: Vec<usize> = (0..n).filter(|&i| gold[i].is_some()).collect();
    let gold_l: Vec<String> = labelled.iter().map(|&i| gold[i].clone().unwrap_or_default()).collect();
    let pred_l: Vec<String> = labelled.iter().map(|&i| predicted[i].clone()).collect();
    let scores = eval::score(&gold_l, &pred_l);
    // Map item positions back to article indices.
    let remap = |items: Vec<usize>| items.into_iter().map(|k| labelled[k]).collect::<Vec<_>>();
    let most_split = eval::most_split(&gold_l, &pred_l, top)
        .into_iter()
        .map(|s| SplitStory { pieces: s.pieces.into_iter().map(|(l, items)| (l, remap(items))).collect(), ..s })
        .collect();
    let most_mixed = eval::most_mixed(&gold_l, &pred_l, top)
        .into_iter()
        .map(|m| MixedStory { parts: m.parts.into_iter().map(|(l, items)| (l, remap(items))).collect(), ..m })
        .collect();
    Evaluation { field: field.to_owned(), level, scores, unlabelled: n - labelled.len(), most_split, most_mixed }
}

/// Each article's predicted group at `level`: its story id, its storyline
/// id (its story's when no storylines were computed), or its
/// near-duplicate group id (its own id when it has no copies).
fn predicted_ids(articles: &[Article], clustering: &Clustering, level: Level) -> Vec<String> {
    let n = articles.len();
    let mut predicted: Vec<String> =
        if level == Level::Duplicates { articles.iter().map(|a| a.id.clone()).collect() } else { vec![String::new(); n] };
    let storyline_of = clustering.storyline_of_stories();
    for (k, story) in clustering.stories.iter().enumerate() {
        match level {
            Level::Duplicates => {
                for group in &story.dup_groups {
                    for &m in &group.members {
                        predicted[m] = group.id.clone();
                    }
                }
            }
            Level::Story | Level::Storyline => {
                let id = match (level, storyline_of[k]) {
                    (Level::Storyline, Some(l)) => &clustering.storylines[l].id,
                    _ => &story.id,
                };
                for &m in &story.members {
                    predicted[m] = id.clone();
                }
            }
        }
    }
    predicted
}

fn label(article: &Article) -> String {
    let text = if article.title.is_empty() { first_words(&article.body, 12) } else { article.title.clone() };
    super::truncate(&format!("{}: {}", article.id, text), 100)
}

/// Writes evaluations as text (for people) or JSON (for scripts).
pub fn write_evaluation(
    evaluations: &[Evaluation],
    articles: &[Article],
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, evaluations)?;
        return writeln!(out);
    }
    for e in evaluations {
        let s = &e.scores;
        let level = if e.level == Level::Storyline { " (storylines)" } else { "" };
        writeln!(out, "{}{level}: {} articles scored, {} unlabelled", e.field, s.n, e.unlabelled)?;
        writeln!(out, "  gold groups {}, predicted groups {}", s.gold_clusters, s.predicted_clusters)?;
        writeln!(
            out,
            "  B-cubed   precision {:.3}  recall {:.3}  F1 {:.3}",
            s.bcubed.precision, s.bcubed.recall, s.bcubed.f1
        )?;
        writeln!(
            out,
            "  pairwise  precision {:.3}  recall {:.3}  F1 {:.3}",
            s.pairwise.precision, s.pairwise.recall, s.pairwise.f1
        )?;
        writeln!(out, "  adjusted Rand index {:.3}  NMI {:.3}", s.ari, s.nmi)?;
        if !e.most_split.is_empty() {
            writeln!(out, "  Gold groups split the most:")?;
            for split in &e.most_split {
                writeln!(
                    out,
                    "    {} ({} articles) split into {} predicted groups:",
                    split.gold,
                    split.size,
                    split.pieces.len()
                )?;
                for (predicted, items) in split.pieces.iter().take(4) {
                    writeln!(out, "      {} ({}): {}", predicted, items.len(), label(&articles[items[0]]))?;
                }
            }
        }
        if !e.most_mixed.is_empty() {
            writeln!(out, "  Predicted groups mixing the most gold groups:")?;
            for mixed in &e.most_mixed {
                writeln!(
                    out,
                    "    {} ({} articles) mixes {} gold groups:",
                    mixed.predicted,
                    mixed.size,
                    mixed.parts.len()
                )?;
                for (gold, items) in mixed.parts.iter().take(4) {
                    writeln!(out, "      {} ({}): {}", gold, items.len(), label(&articles[items[0]]))?;
                }
            }
        }
    }
    Ok(())
}

//! What an `add` changed in a story store, laid out for a terminal or as
//! the membership rows of the articles it added.
//!
//! Owns [`write_added`]. It reads the [`Added`] record and the stories it
//! touched as loaded back from the store; it must not decide or compute
//! anything about them.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{plural, truncate, ControlEscaper, Format, Report, StorySummary};
use crate::live::Added;
use crate::store::{Loaded, StoryId};

/// Writes what `added` changed: for [`Format::Table`] the counts and the
/// stories new, grown and merged, each with its headline, and the stored
/// articles that moved; for the other formats the membership rows (as
/// `cluster` writes them) of the articles added, updated or moved.
/// `touched` holds the stories named in `added`, loaded after the add.
pub fn write_added(added: &Added, touched: &Loaded, format: Format, out: &mut dyn Write) -> io::Result<()> {
    let report = Report { articles: &touched.articles, clustering: &touched.clustering, differences: None };
    let summaries = report.summaries();
    if format == Format::Table {
        // For a terminal: control characters in titles are shown, not acted on.
        return write_changes(added, touched, &summaries, &mut ControlEscaper::new(out));
    }
    // The articles added or updated, and those that moved with them.
    let moved: std::collections::HashSet<&str> = added.moved_articles.iter().map(|(id, _, _)| id.as_str()).collect();
    let rows: Vec<_> = report
        .membership(&summaries)
        .into_iter()
        .filter(|row| added.story_of.contains_key(row.id) || moved.contains(row.id))
        .collect();
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Document<T> {
                added: usize,
                updated: usize,
                unchanged: usize,
                articles: Vec<T>,
            }
            let doc = Document {
                added: added.added.len(),
                updated: added.updated.len(),
                unchanged: added.unchanged,
                articles: rows,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in rows {
                writer.serialize(row).map_err(super::csv_error)?;
            }
            writer.flush()
        }
        #[cfg(feature = "parquet")]
        Format::Parquet => crate::columnar::write_membership_parquet(&rows, out),
        Format::Jsonl | Format::Table | Format::Html => {
            for row in rows {
                serde_json::to_writer(&mut *out, &row)?;
                writeln!(out)?;
            }
            Ok(())
        }
    }
}

fn write_changes(added: &Added, touched: &Loaded, summaries: &[StorySummary], out: &mut dyn Write) -> io::Result<()> {
    let by_id: HashMap<StoryId, usize> = touched.ids.iter().enumerate().map(|(k, &id)| (id, k)).collect();
    let headline = |id: &StoryId| by_id.get(id).map_or("", |&k| summaries[k].headline.as_str());
    let size = |id: &StoryId| by_id.get(id).map_or(0, |&k| touched.clustering.stories[k].members.len());
    writeln!(
        out,
        "{} added, {} updated, {} unchanged; {}, {} grown, {} merged",
        plural(added.added.len(), "article"),
        added.updated.len(),
        added.unchanged,
        match added.new_stories.len() {
            1 => "1 new story".to_owned(),
            n => format!("{n} new stories"),
        },
        added.grown.len(),
        added.merged.len()
    )?;
    if !added.moved_articles.is_empty() {
        writeln!(out, "{} moved to another story", plural(added.moved_articles.len(), "stored article"))?;
    }
    if !added.new_storylines.is_empty() || !added.merged_storylines.is_empty() || !added.moved_stories.is_empty() {
        let new = match added.new_storylines.len() {
            1 => "1 new storyline".to_owned(),
            n => format!("{n} new storylines"),
        };
        let moved = match added.moved_stories.len() {
            0 => String::new(),
            1 => ", 1 story moved to another".to_owned(),
            n => format!(", {n} stories moved to another"),
        };
        writeln!(out, "{new}, {} merged{moved}", added.merged_storylines.len())?;
    }
    if !added.grown.is_empty() {
        writeln!(out, "\nGrown:")?;
        for growth in &added.grown {
            let sources = match growth.new_sources.as_slice() {
                [] => String::new(),
                new => format!(", new sources: {}", new.join(", ")),
            };
            writeln!(
                out,
                "  {}  +{} ({} now{sources})  {}",
                growth.story,
                growth.articles,
                size(&growth.story),
                truncate(headline(&growth.story), 72)
            )?;
        }
    }
    if !added.merged.is_empty() {
        writeln!(out, "\nMerged:")?;
        for (younger, older) in &added.merged {
            writeln!(out, "  {younger} into {older}  {}", truncate(headline(older), 72))?;
        }
    }
    if !added.moved_articles.is_empty() {
        writeln!(out, "\nArticles moved to another story (with the new reports they belong with):")?;
        for (article, from, to) in &added.moved_articles {
            writeln!(out, "  {article} from {from} to {to}  {}", truncate(headline(to), 72))?;
        }
    }
    if !added.merged_storylines.is_empty() {
        writeln!(out, "\nStorylines merged:")?;
        for (younger, older) in &added.merged_storylines {
            writeln!(out, "  {younger} into {older}")?;
        }
    }
    if !added.moved_stories.is_empty() {
        writeln!(out, "\nStories moved to another storyline:")?;
        for (story, from, to) in &added.moved_stories {
            writeln!(out, "  {story} from {from} to {to}  {}", truncate(headline(story), 72))?;
        }
    }
    if !added.new_stories.is_empty() {
        writeln!(out, "\nNew stories:")?;
        for id in &added.new_stories {
            writeln!(out, "  {id}  {}  {}", plural(size(id), "article"), truncate(headline(id), 72))?;
        }
    }
    Ok(())
}

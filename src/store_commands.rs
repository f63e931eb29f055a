//! The commands that read a story store or delete from it: `stories`,
//! `show --store`, `explain --store`, `expire` and `remove`.
//!
//! Owns their flags-to-library glue and what they print: the report of
//! stored stories (through `report::write_stored`), one stored story (as
//! `show` prints a batch one), two stored articles explained (as `explain`
//! explains two of its inputs), and what a removal changed. Reading commands
//! open the store with `Access::Read` and never create or change it; the
//! deleting ones refuse a missing store rather than create an empty one.
//! It must not touch the store's tables itself: every query is the
//! library's (`storyclust::store`).

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use storyclust::diff::DiffConfig;
use storyclust::explain;
use storyclust::pipeline;
use storyclust::report::{self, Report, StoredView};
use storyclust::store::{self, Access, Removal, Store, StoreError, StoryFilter, StoryId, DEFAULT_WAIT};

use crate::cli::{ExpireArgs, ExplainArgs, RemoveArgs, StoriesArgs};
use crate::{report_diff_warnings, write_explanation, Output};

/// `storyclust stories`.
pub(crate) fn run_stories(args: StoriesArgs) -> anyhow::Result<ExitCode> {
    let (format, shows_differences) = (args.report.format(), args.report.shows_differences());
    let mut out = Output::create_for(args.report.output.as_deref(), format == storyclust::report::Format::Parquet)?;
    let store = Store::open(&args.store, Access::Read, DEFAULT_WAIT)?;
    let filter = StoryFilter { since: args.since, min_articles: args.min_articles };
    let ids = store.stories(&filter, store::now())?;
    // Bodies are read only where they are shown or compared: a listing of
    // a large store then holds its headlines, not its texts.
    let loaded =
        if shows_differences || format == report::Format::Html { store.load(&ids)? } else { store.load_heads(&ids)? };
    let stored: Vec<StoredView> = store
        .story_records(&loaded.ids)?
        .into_iter()
        .map(|record| StoredView {
            first_seen: record.first_seen,
            last_seen: record.last_seen,
            merged: record.merged.iter().map(StoryId::to_string).collect(),
        })
        .collect();
    let differences =
        shows_differences.then(|| pipeline::differences(&loaded.articles, &loaded.clustering, &DiffConfig::default()));
    report_diff_warnings(differences.as_deref().unwrap_or_default(), args.quiet)?;
    let report =
        Report { articles: &loaded.articles, clustering: &loaded.clustering, differences: differences.as_deref() };
    report::write_stored(&report, &stored, format, &mut out).context("cannot write the report")?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// `storyclust show STORY-ID --store FILE`: the story `story` names, or
/// the one it was merged into (said on stderr).
pub(crate) fn run_show_stored(story: &str, path: &Path, quiet: bool, strict: bool) -> anyhow::Result<ExitCode> {
    let Some(asked) = StoryId::parse(story) else {
        anyhow::bail!("{story:?} is not a story id of a store (they read like 2024-09-23-3)");
    };
    let store = Store::open(path, Access::Read, DEFAULT_WAIT)?;
    let Some(id) = store.resolve_story(asked)? else {
        anyhow::bail!("{}: no story {asked}", path.display());
    };
    if id != asked {
        eprintln!("storyclust: {asked} was merged into {id}");
    }
    let loaded = store.load(&[id])?;
    anyhow::ensure!(!loaded.ids.is_empty(), "{}: story {id} has no articles", path.display());
    let differences = pipeline::differences(&loaded.articles, &loaded.clustering, &DiffConfig::default());
    let n_warned = report_diff_warnings(&differences, quiet)?;
    let report = Report { articles: &loaded.articles, clustering: &loaded.clustering, differences: Some(&differences) };
    let mut out = Output::create(None)?;
    report::write_show(&report, 0, &mut out).context("cannot write the story")?;
    out.finish()?;
    Ok(if strict && n_warned > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `storyclust explain A B --store FILE`: the two articles explained from
/// what the store kept, without clustering it again.
pub(crate) fn run_explain_stored(args: &ExplainArgs, path: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open(path, Access::Read, DEFAULT_WAIT)?;
    let (a, b) = match (store.article_record(&args.a)?, store.article_record(&args.b)?) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(_)) => anyhow::bail!("no article {:?} in {}", args.a, path.display()),
        (Some(_), None) => anyhow::bail!("no article {:?} in {}", args.b, path.display()),
        (None, None) => anyhow::bail!("no article {:?} nor {:?} in {}", args.a, args.b, path.display()),
    };
    anyhow::ensure!(args.a != args.b, "{:?} and {:?} are the same article: give two different ids", args.a, args.b);
    let explanation = explain::explain_stored(&store, &a, &b, &args.common.config())?;
    write_explanation(args.format, &explanation, explain::write_stored_text)?;
    Ok(ExitCode::SUCCESS)
}

/// `storyclust expire`.
pub(crate) fn run_expire(args: ExpireArgs) -> anyhow::Result<ExitCode> {
    let mut store = open_existing(&args.store)?;
    let removal = store.write(|w| w.expire(args.before))?;
    checkpoint(&store)?;
    print_removal(&removal, &args.store)?;
    Ok(ExitCode::SUCCESS)
}

/// `storyclust remove`. An id that is not stored is reported, and the
/// others are removed all the same: a takedown list must not be held up by
/// one entry already gone; `--strict` makes it the exit status.
pub(crate) fn run_remove(args: RemoveArgs) -> anyhow::Result<ExitCode> {
    let mut ids = Vec::new();
    for id in &args.ids {
        if id == "-" {
            for line in io::stdin().lock().lines() {
                let line = line.context("cannot read article ids from standard input")?;
                ids.extend(Some(line.trim().to_owned()).filter(|l| !l.is_empty()));
            }
        } else {
            ids.push(id.clone());
        }
    }
    let mut store = open_existing(&args.store)?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let removal = store.write(|w| w.remove(&ids))?;
    checkpoint(&store)?;
    print_removal(&removal, &args.store)?;
    Ok(if args.strict && !removal.not_stored.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The store at `path` opened for writing, which must exist: deleting from
/// a store that is not there is a mistake, not a new empty store.
fn open_existing(path: &Path) -> Result<Store, StoreError> {
    if !path.exists() {
        return Err(StoreError::Missing(path.to_path_buf()));
    }
    Store::open(path, Access::Write, DEFAULT_WAIT)
}

/// Folds the store's write-ahead log into it, or says on stderr why the
/// removed texts are still in the log.
fn checkpoint(store: &Store) -> Result<(), StoreError> {
    if !store.checkpoint()? {
        eprintln!(
            "storyclust: {}: being read; the removed texts stay in its write-ahead log until a later write folds it",
            store.path().display()
        );
    }
    Ok(())
}

/// What a removal changed, on stdout; the ids not stored, on stderr.
fn print_removal(removal: &Removal, path: &Path) -> anyhow::Result<()> {
    for id in &removal.not_stored {
        eprintln!("storyclust: article {} is not in {}", report::escape_controls(&format!("{id:?}")), path.display());
    }
    let mut out = Output::create(None)?;
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        out,
        "removed {}; {} updated, {} gone",
        count(removal.removed.len(), "article", "articles"),
        count(removal.updated.len(), "story", "stories"),
        count(removal.gone.len(), "story", "stories"),
    )?;
    for story in &removal.updated {
        let headline = report::truncate(&story.headline, 80);
        let headline = report::escape_controls(&headline);
        writeln!(out, "  updated {}: {}, {headline}", story.id, count(story.articles as usize, "article", "articles"))?;
    }
    for id in &removal.gone {
        writeln!(out, "  gone    {id}")?;
    }
    out.finish()
}

//! An [`Explanation`] for people, in a terminal: the decision first, then
//! the figures behind it, a helper per section.
//!
//! Owns [`write_text`] and [`write_stored_text`] (the explanation from a
//! story store, each part marked as recorded or recomputed). It must not
//! compute a score: it lays out what the
//! explanation holds, with control characters of titles and words escaped
//! (`report::escape_controls`).

use std::io::{self, Write};

use super::store::{LinkStep, StoreExplanation, StoredDecision, StoredSide};
use super::{Candidacy, Dates, Decision, Duplicates, Explanation, Side, Terms};
use crate::cluster::{Attachment, ClusterScore};
use crate::report::escape_controls;

/// Writes `explanation` for a terminal.
///
/// # Errors
/// A write error of `out`.
pub fn write_text(explanation: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    write_side(out, "A", &explanation.a)?;
    write_side(out, "B", &explanation.b)?;
    writeln!(out)?;
    write_decision(out, explanation)?;
    writeln!(out)?;
    write_duplicates(out, &explanation.duplicates)?;
    writeln!(out)?;
    write_terms(out, &explanation.terms)?;
    writeln!(out)?;
    write_dates(out, &explanation.dates, explanation)?;
    writeln!(out)?;
    write_candidates(out, &explanation.candidates, explanation)
}

/// Writes `explanation`, answered from a story store, for a terminal:
/// each part says whether it is what the `add`s recorded or what was
/// recomputed now.
///
/// # Errors
/// A write error of `out`.
pub fn write_stored_text(explanation: &StoreExplanation, out: &mut dyn Write) -> io::Result<()> {
    let (a, b) = (&explanation.a, &explanation.b);
    for (name, stored) in [("A", a), ("B", b)] {
        write_side(out, name, &stored.side)?;
        write_seen(out, stored)?;
    }
    writeln!(out)?;
    write_stored_decision(out, explanation)?;
    writeln!(out)?;
    let dups = &explanation.duplicates;
    let link = explanation.copy_link.map(|score| format!(" (copy link, resemblance {score:.3})")).unwrap_or_default();
    writeln!(out, "Copies, as recorded: {}{link}.", copy_verdict(dups))?;
    write_chain(out, dups)?;
    write_resemblance(out, "recomputed from the stored texts: ", dups)?;
    writeln!(out)?;
    writeln!(
        out,
        "Recomputed from the stored term counts, weighed by the store's document frequencies now ({} documents):",
        explanation.documents
    )?;
    write_terms(out, &explanation.terms)?;
    writeln!(out)?;
    let sides = [&a.side, &b.side];
    write_gap(out, &explanation.dates, sides)?;
    writeln!(
        out,
        "  date window as configured (an add fits it to the articles it clusters, and keeps no record of the fit)"
    )?;
    write_pair_similarity(out, &explanation.dates, &explanation.terms, sides)
}

/// When the store saw an article.
fn write_seen(out: &mut dyn Write, stored: &StoredSide) -> io::Result<()> {
    if stored.first_seen == stored.last_seen {
        writeln!(out, "   stored by the add of {}", stored.first_seen)
    } else {
        writeln!(out, "   stored by the add of {}, last updated by the add of {}", stored.first_seen, stored.last_seen)
    }
}

/// One story or not, as recorded, with the kept links that join them or
/// their stories' standing now.
fn write_stored_decision(out: &mut dyn Write, explanation: &StoreExplanation) -> io::Result<()> {
    let (a, b) = (&explanation.a.side, &explanation.b.side);
    match &explanation.story.decision {
        StoredDecision::Links { path } => {
            writeln!(out, "One story ({}), as the store records it.", a.story)?;
            writeln!(out, "Joined by the links kept from the clustering that placed them:")?;
            path.iter().try_for_each(|step| write_step(out, "  ", step))
        }
        StoredDecision::Unlinked { strongest } => {
            writeln!(out, "One story ({}), as the store records it.", a.story)?;
            writeln!(out, "No path of kept links joins them (an add keeps the links among the articles it clusters);")?;
            writeln!(out, "their strongest kept links:")?;
            for (name, step) in [("A", &strongest[0]), ("B", &strongest[1])] {
                match step {
                    Some(step) => write_step(out, &format!("  {name}: "), step)?,
                    None => writeln!(out, "  {name}: none")?,
                }
            }
            Ok(())
        }
        StoredDecision::Apart { now } => {
            writeln!(out, "Different stories ({} and {}), as the store records them.", a.story, b.story)?;
            writeln!(out, "Their stories now, recomputed from the stored term counts (date window as configured):")?;
            write_score(out, "", now)?;
            if now.may_merge() {
                writeln!(out, "  (the rule lets them merge now: an add whose window holds both stories merges them")?;
                writeln!(out, "  when the index proposes a pair between them)")?;
            }
            Ok(())
        }
    }
}

/// A kept link, after `lead`.
fn write_step(out: &mut dyn Write, lead: &str, step: &LinkStep) -> io::Result<()> {
    let what = if step.kind == "copy" { "copy link, resemblance" } else { "story link, similarity" };
    writeln!(out, "{lead}{} -> {}: {what} {:.4}", escape_controls(&step.from), escape_controls(&step.to), step.score)
}

fn write_side(out: &mut dyn Write, name: &str, side: &Side) -> io::Result<()> {
    let source = if side.source.is_empty() { "(no source)" } else { &side.source };
    let date = side.published.map_or_else(|| "undated".to_owned(), |d| d.to_string());
    let copies = match side.group_size {
        1 => String::new(),
        n => format!(" · {} cop{}", n - 1, if n == 2 { "y" } else { "ies" }),
    };
    writeln!(
        out,
        "{name}  {}  {} · {date} · story {}{copies}",
        escape_controls(&side.id),
        escape_controls(source),
        side.story
    )?;
    if !side.title.is_empty() {
        writeln!(out, "   {}", escape_controls(&side.title))?;
    }
    Ok(())
}

/// "2 articles", "1 article".
fn articles(n: usize) -> String {
    format!("{n} article{}", if n == 1 { "" } else { "s" })
}

/// A cluster-level score after `label`: the clusters, similarity against
/// threshold, then its parts on a second line.
fn write_score(out: &mut dyn Write, label: &str, score: &ClusterScore) -> io::Result<()> {
    writeln!(
        out,
        "  {label}clusters of {} and {}: similarity {:.4} {} threshold {:.4}",
        articles(score.sizes[0]),
        articles(score.sizes[1]),
        score.similarity,
        if score.may_merge() { ">=" } else { "<" },
        score.threshold,
    )?;
    let indent = " ".repeat(label.chars().count());
    writeln!(out, "  {indent}(mean cosine {:.4} x date factor {:.3})", score.mean_cosine, score.date_factor)
}

fn write_decision(out: &mut dyn Write, explanation: &Explanation) -> io::Result<()> {
    let (a, b) = (&explanation.a, &explanation.b);
    if explanation.story.same_story {
        writeln!(out, "One story ({}).", a.story)?;
    } else {
        writeln!(out, "Different stories ({} and {}).", a.story, b.story)?;
    }
    match &explanation.story.decision {
        Decision::Copies => {
            writeln!(out, "Decided by: they are copies (one near-duplicate group); copies start as one cluster.")
        }
        Decision::Merge { score } => {
            writeln!(out, "Decided by: the merge of A's cluster and B's cluster, at")?;
            write_score(out, "", score)
        }
        Decision::Attachment { attachments } => {
            writeln!(out, "Decided by: the final pass that offers small clusters to a larger one:")?;
            write_attachments(out, attachments)
        }
        Decision::Apart { best: None, .. } => {
            writeln!(out, "Decided by: never compared: no candidate pair between their clusters.")
        }
        Decision::Apart { best: Some(best), last, comparisons, attachments } => {
            writeln!(out, "Decided by: the merge rule; their clusters were compared {comparisons} time(s):")?;
            write_score(out, "best:  ", best)?;
            if best.may_merge() {
                writeln!(out, "  (that score passed, but other merges came first and changed their clusters)")?;
            }
            if let Some(last) = last.filter(|last| last != best) {
                write_score(out, "final: ", &last)?;
            }
            if attachments.is_empty() {
                writeln!(out, "The final small-cluster pass did not offer either cluster to a larger one.")
            } else {
                writeln!(out, "The final small-cluster pass:")?;
                write_attachments(out, attachments)
            }
        }
    }
}

fn write_attachments(out: &mut dyn Write, attachments: &[Attachment]) -> io::Result<()> {
    for attachment in attachments {
        let side = if attachment.side == 0 { "A" } else { "B" };
        let other = if attachment.side == 0 { "B" } else { "A" };
        let target = if attachment.target_holds_other {
            format!("{other}'s cluster ({})", articles(attachment.target_size))
        } else {
            format!("a cluster of {} without {other}", articles(attachment.target_size))
        };
        writeln!(
            out,
            "  {side}'s cluster ({}) fits {target} best: centroid fit {:.4} {} {:.4}, {}",
            articles(attachment.size),
            attachment.fit,
            if attachment.moved { ">=" } else { "<" },
            attachment.threshold,
            if attachment.moved { "moved there" } else { "stayed" }
        )?;
    }
    Ok(())
}

fn write_duplicates(out: &mut dyn Write, dups: &Duplicates) -> io::Result<()> {
    writeln!(out, "Copies: {}.", copy_verdict(dups))?;
    write_resemblance(out, "", dups)?;
    write_chain(out, dups)
}

/// Whether the two are copies, and how they are linked.
fn copy_verdict(dups: &Duplicates) -> &'static str {
    match (dups.same_group, dups.linked) {
        (true, true) => "yes, linked directly",
        (true, false) => "yes, but only through other copies (a chain)",
        (false, _) => "no",
    }
}

/// The shingle resemblance against the threshold, after `lead`.
fn write_resemblance(out: &mut dyn Write, lead: &str, dups: &Duplicates) -> io::Result<()> {
    writeln!(
        out,
        "  {lead}{}-word shingle resemblance: estimated {:.3} (MinHash), exact {:.3} ({} shared of {} and {}); threshold {:.2}",
        dups.shingle_words,
        dups.estimated,
        dups.exact,
        dups.shared_shingles,
        dups.shingles[0],
        dups.shingles[1],
        dups.threshold
    )?;
    if dups.estimated >= dups.threshold && !dups.shares_band {
        writeln!(out, "  (the estimate reaches the threshold, but the signatures share no LSH band: never verified)")?;
    }
    Ok(())
}

/// The chain of copies that puts the two in one group.
fn write_chain(out: &mut dyn Write, dups: &Duplicates) -> io::Result<()> {
    for link in &dups.chain {
        writeln!(
            out,
            "  chain: {} -> {} (estimated {:.3})",
            escape_controls(&link.from),
            escape_controls(&link.to),
            link.resemblance
        )?;
    }
    Ok(())
}

fn write_terms(out: &mut dyn Write, terms: &Terms) -> io::Result<()> {
    let plural = if terms.n_shared == 1 { "" } else { "s" };
    writeln!(out, "Story vectors: cosine {:.4}, {} shared term{plural}.", terms.cosine, terms.n_shared)?;
    if !terms.shared.is_empty() {
        writeln!(out, "  {:<24} {:>9} {:>9} {:>12}", "strongest shared terms", "weight A", "weight B", "contribution")?;
        for term in &terms.shared {
            writeln!(
                out,
                "  {:<24} {:>9.4} {:>9.4} {:>12.4}",
                escape_controls(&term.word),
                term.weight_a,
                term.weight_b,
                term.contribution
            )?;
        }
    }
    for (name, own) in [("A", &terms.only_a), ("B", &terms.only_b)] {
        let last = own.len().saturating_sub(1);
        let listed: Vec<String> = own
            .iter()
            .enumerate()
            .map(|(k, term)| {
                format!("{} {:.3}{}", escape_controls(&term.word), term.weight, if k < last { "," } else { "" })
            })
            .collect();
        if !listed.is_empty() {
            write_wrapped(out, &format!("  only in {name}: "), &listed)?;
        }
    }
    Ok(())
}

/// The width lists of words are wrapped to.
const WIDTH: usize = 100;

/// Writes `lead` then `pieces`, separated by spaces, wrapped at [`WIDTH`]
/// with the continuation lines indented under the first piece.
fn write_wrapped(out: &mut dyn Write, lead: &str, pieces: &[String]) -> io::Result<()> {
    let indent = " ".repeat(lead.chars().count());
    let mut line = lead.to_owned();
    let mut line_is_empty = true;
    for piece in pieces {
        if !line_is_empty && line.chars().count() + 1 + piece.chars().count() > WIDTH {
            writeln!(out, "{line}")?;
            line.clone_from(&indent);
            line_is_empty = true;
        }
        if !line_is_empty {
            line.push(' ');
        }
        line.push_str(piece);
        line_is_empty = false;
    }
    writeln!(out, "{line}")
}

fn write_dates(out: &mut dyn Write, dates: &Dates, explanation: &Explanation) -> io::Result<()> {
    let (a, b) = (&explanation.a, &explanation.b);
    write_gap(out, dates, [a, b])?;
    match dates.time_scale {
        Some(mean) => writeln!(
            out,
            "  date window fitted to the input's story time scale (confident pairs {mean:.2} days apart)"
        )?,
        None => {
            writeln!(out, "  date window as configured (too few confident pairs to measure the input's time scale)")?
        }
    }
    write_pair_similarity(out, dates, &explanation.terms, [a, b])
}

/// The days between the two publication dates and their factor.
fn write_gap(out: &mut dyn Write, dates: &Dates, sides: [&Side; 2]) -> io::Result<()> {
    match dates.gap_days {
        Some(gap) => {
            writeln!(
                out,
                "Dates: {gap} day(s) apart: date factor {:.3} (free within {} day(s), then exp(-extra days / {:.2})).",
                dates.date_factor, dates.grace_days, dates.scale_days
            )?;
            for (name, earlier) in ["A", "B"].into_iter().zip(dates.copy_days_earlier) {
                if earlier > 0 {
                    writeln!(
                        out,
                        "  {name} is a later copy, dated as its copies' first publication, {earlier} day(s) before its own"
                    )?;
                }
            }
            Ok(())
        }
        None => {
            let both = sides.iter().all(|side| side.published.is_none());
            writeln!(out, "Dates: {} undated: date factor 1.", if both { "both" } else { "one" })
        }
    }
}

/// The pair's cosine times its date factor against its threshold.
fn write_pair_similarity(out: &mut dyn Write, dates: &Dates, terms: &Terms, [a, b]: [&Side; 2]) -> io::Result<()> {
    writeln!(
        out,
        "Pair similarity: cosine {:.4} x date factor {:.3} = {:.4} {} threshold {:.4} (for {} and {} terms)",
        terms.cosine,
        dates.date_factor,
        dates.similarity,
        if dates.similarity >= dates.threshold { ">=" } else { "<" },
        dates.threshold,
        a.terms,
        b.terms
    )
}

fn write_candidates(out: &mut dyn Write, candidates: &Candidacy, explanation: &Explanation) -> io::Result<()> {
    if explanation.duplicates.same_group {
        let indexed = escape_controls(&candidates.a_indexed_as);
        return writeln!(out, "Index: their group is indexed once (as {indexed}); copies need no candidate pair.");
    }
    for (name, indexed, side) in
        [("A", &candidates.a_indexed_as, &explanation.a), ("B", &candidates.b_indexed_as, &explanation.b)]
    {
        if *indexed != side.id {
            writeln!(out, "Index: {name} is searched through its copy {}.", escape_controls(indexed))?;
        }
    }
    let yes = |found: bool| if found { "yes" } else { "no" };
    writeln!(
        out,
        "Index: B among A's {} nearest neighbours: {}; A among B's: {}.",
        candidates.neighbours,
        yes(candidates.b_among_a_neighbours),
        yes(candidates.a_among_b_neighbours)
    )?;
    match candidates.score {
        Some(score) => writeln!(
            out,
            "Candidate pair: {} (rescored similarity {score:.4} {} floor {:.3}, date window as configured).",
            yes(candidates.candidate),
            if candidates.candidate { ">=" } else { "<" },
            candidates.floor
        ),
        None => writeln!(out, "Candidate pair: no (the index did not propose it)."),
    }
}

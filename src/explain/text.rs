//! An [`Explanation`] for people, in a terminal: the decision first, then
//! the figures behind it, a helper per section.
//!
//! Owns [`write_text`]. It must not compute a score: it lays out what the
//! explanation holds, with control characters of titles and words escaped
//! (`report::escape_controls`).

use std::io::{self, Write};

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
    let verdict = match (dups.same_group, dups.linked) {
        (true, true) => "yes, linked directly",
        (true, false) => "yes, but only through other copies (a chain)",
        (false, _) => "no",
    };
    writeln!(out, "Copies: {verdict}.")?;
    writeln!(
        out,
        "  {}-word shingle resemblance: estimated {:.3} (MinHash), exact {:.3} ({} shared of {} and {}); threshold {:.2}",
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
    match dates.gap_days {
        Some(gap) => writeln!(
            out,
            "Dates: {gap} day(s) apart: date factor {:.3} (free within {} day(s), then exp(-extra days / {:.2})).",
            dates.date_factor, dates.grace_days, dates.scale_days
        )?,
        None => {
            let both = explanation.a.published.is_none() && explanation.b.published.is_none();
            writeln!(out, "Dates: {} undated: date factor 1.", if both { "both" } else { "one" })?
        }
    }
    match dates.time_scale {
        Some(mean) => writeln!(
            out,
            "  date window fitted to the input's story time scale (confident pairs {mean:.2} days apart)"
        )?,
        None => {
            writeln!(out, "  date window as configured (too few confident pairs to measure the input's time scale)")?
        }
    }
    writeln!(
        out,
        "Pair similarity: cosine {:.4} x date factor {:.3} = {:.4} {} threshold {:.4} (for {} and {} terms)",
        explanation.terms.cosine,
        dates.date_factor,
        dates.similarity,
        if dates.similarity >= dates.threshold { ">=" } else { "<" },
        dates.threshold,
        explanation.a.terms,
        explanation.b.terms
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

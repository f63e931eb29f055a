//! Unit tests of `explain` on small hand-made articles: a pair of copies, a
//! chain of copies, two reports of one event, two unrelated articles, and
//! the explanation's agreement with the stories `cluster` gives.

use super::*;
use crate::article::{Extra, Origin};
use crate::pipeline::NoProgress;

pub(super) fn article(id: &str, title: &str, date: &str, body: &str) -> Article {
    Article {
        id: id.to_owned(),
        source: format!("{id} News"),
        title: title.to_owned(),
        url: String::new(),
        published: Date::parse_iso(date),
        body: body.to_owned(),
        origin: Origin::file(format!("{id}.txt")),
        extra: Extra::new(),
    }
}

const DAM: &str = "The new dam on the Rhone river opened on Monday after nine years of building work. \
    Engineers from the regional water board said the reservoir will supply drinking water to forty \
    villages in the valley and produce power for the town of Sion. Farmers downstream had protested \
    against the project for years, saying that the river would run dry in summer. The board promised \
    to release water every week from June to September and to pay for new wells where needed.";

/// The dam story copied with a few words changed, as a second site would run it.
fn dam_copy() -> String {
    DAM.replace("Monday", "Tuesday").replace("forty", "forty-two").replace("promised", "pledged")
}

/// A small feed: two copies, two reports of one earthquake by different
/// outlets, and unrelated articles.
pub(super) fn feed() -> Vec<Article> {
    vec![
        article("copy1", "Rhone dam opens after nine years", "2024-05-06", DAM),
        article("copy2", "Dam on the Rhone opens", "2024-05-07", &dam_copy()),
        article(
            "quake1",
            "Earthquake shakes Valparaiso",
            "2024-05-06",
            "A strong earthquake of magnitude 6.8 shook Valparaiso on Sunday night. Mayor Camila Nieto said \
             that two people died when a wall collapsed in the port district. The Chilean seismological \
             service placed the epicentre forty kilometres off the coast. Nieto asked residents of the \
             hills to stay outside while engineers inspect the buildings.",
        ),
        article(
            "quake2",
            "Two dead as quake hits Chilean port",
            "2024-05-07",
            "Rescue teams searched the port district of Valparaiso on Monday after a magnitude 6.8 \
             earthquake. The mayor, Camila Nieto, confirmed two deaths caused by a falling wall. According to \
             the Chilean seismological service, the quake struck under the sea near the coast. Schools in \
             Valparaiso stay closed while engineers check them, Nieto said.",
        ),
        article(
            "vote",
            "Parliament approves budget",
            "2024-05-06",
            "Lawmakers in Oslo approved the state budget by a narrow margin on Thursday. The finance \
             minister, Jens Aasland, said spending on railways and hospitals would grow while taxes on fuel \
             rise. The opposition called the plan reckless and promised to repeal the fuel tax.",
        ),
        article(
            "chess",
            "Young player wins chess open",
            "2024-04-20",
            "A sixteen-year-old from Lyon won the Biel chess open after beating two grandmasters in the final \
             rounds. Marie Delorme finished with seven points out of nine and earned her first grandmaster \
             norm. Organisers said a record number of players entered the tournament this year.",
        ),
        article(
            "market",
            "Fish market moves to the harbour",
            "2024-05-01",
            "The weekly fish market of Bergen will move to a new hall at the harbour next month. Traders \
             welcomed the covered stalls, while some shop owners in the old square fear losing customers.",
        ),
    ]
}

fn explain_ids(articles: &[Article], a: &str, b: &str) -> Explanation {
    let (a, b) = (find_article(articles, a).expect("a"), find_article(articles, b).expect("b"));
    explain(articles, a, b, &Config::default(), &NoProgress)
}

#[test]
fn copies_are_one_group_with_a_resemblance_over_the_threshold() {
    let articles = feed();
    let explanation = explain_ids(&articles, "copy1", "copy2");
    let dups = &explanation.duplicates;
    assert!(dups.same_group && dups.linked && dups.shares_band, "{dups:?}");
    assert!(dups.estimated >= dups.threshold && dups.exact >= dups.threshold, "{dups:?}");
    assert!(dups.shared_shingles > 0 && dups.shared_shingles < dups.shingles[0].min(dups.shingles[1]));
    assert!(dups.chain.is_empty());
    assert!(explanation.story.same_story);
    assert!(matches!(explanation.story.decision, Decision::Copies), "{:?}", explanation.story.decision);
    assert_eq!((explanation.a.group_size, explanation.b.group_size), (2, 2));
    // Only one copy is indexed: the other is searched through it.
    assert_eq!(explanation.candidates.a_indexed_as, "copy1");
    assert_eq!(explanation.candidates.b_indexed_as, "copy1");
    let mut text = Vec::new();
    write_text(&explanation, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("they are copies") && text.contains("Copies: yes, linked directly."), "{text}");
}

#[test]
fn a_later_copy_is_dated_as_its_first_publication() {
    // copy2 (7 May) copies copy1 (6 May); quake1 is of 6 May.
    let articles = feed();
    let explanation = explain_ids(&articles, "copy2", "quake1");
    assert_eq!(explanation.dates.gap_days, Some(0));
    assert_eq!(explanation.dates.copy_days_earlier, [1, 0]);
    let mut text = Vec::new();
    write_text(&explanation, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("A is a later copy, dated as its copies' first publication, 1 day(s) before its own"),
        "{text}"
    );
    // The first copy is dated by its own day.
    assert_eq!(explain_ids(&articles, "copy1", "quake2").dates.copy_days_earlier, [0, 0]);
}

#[test]
fn a_chain_of_copies_is_named_link_by_link() {
    // Three windows of 100 words over one text of 160, 30 words apart: next
    // windows share 70 words (resemblance about 0.5), the outer two 40
    // (about 0.2), so the outer two are one group only through the middle.
    let words: Vec<String> = (0..160).map(|i| format!("word{i}")).collect();
    let window = |from: usize| words[from..from + 100].join(" ");
    let mut articles = feed();
    for (id, from) in [("chain1", 0), ("chain2", 30), ("chain3", 60)] {
        articles.push(article(id, "", "2024-05-06", &window(from)));
    }
    let explanation = explain_ids(&articles, "chain1", "chain3");
    let dups = &explanation.duplicates;
    assert!(dups.same_group && !dups.linked, "{dups:?}");
    assert!(dups.exact < dups.threshold, "{dups:?}");
    let steps: Vec<(&str, &str)> = dups.chain.iter().map(|l| (l.from.as_str(), l.to.as_str())).collect();
    assert_eq!(steps, [("chain1", "chain2"), ("chain2", "chain3")]);
    assert!(dups.chain.iter().all(|l| l.resemblance >= dups.threshold), "{:?}", dups.chain);
    let mut text = Vec::new();
    write_text(&explanation, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("only through other copies") && text.contains("chain: chain1 -> chain2"), "{text}");
}

#[test]
fn two_reports_of_one_event_share_their_names_with_weights() {
    let articles = feed();
    let explanation = explain_ids(&articles, "quake1", "quake2");
    assert!(!explanation.duplicates.same_group);
    assert!(explanation.duplicates.estimated < explanation.duplicates.threshold);
    assert!(explanation.story.same_story);
    let Decision::Merge { score } = explanation.story.decision else {
        panic!("not joined by a merge: {:?}", explanation.story.decision)
    };
    assert!(score.may_merge() && score.sizes == [1, 1], "{score:?}");
    let terms = &explanation.terms;
    let words: Vec<&str> = terms.shared.iter().map(|t| t.word.as_str()).collect();
    for name in ["Valparaiso", "Nieto", "Camila"] {
        assert!(words.contains(&name), "{name} not among {words:?}");
    }
    for term in &terms.shared {
        assert!(term.weight_a > 0.0 && term.weight_b > 0.0);
        assert_eq!(term.contribution, term.weight_a * term.weight_b);
    }
    assert!(terms.shared.windows(2).all(|w| w[0].contribution >= w[1].contribution), "strongest first");
    // The strongest shared terms listed carry most of the cosine, which,
    // for two single articles, is the merge's mean cosine.
    assert!(terms.n_shared > TOP_TERMS && terms.shared.len() == TOP_TERMS);
    let sum: f32 = terms.shared.iter().map(|t| t.contribution).sum();
    assert!(sum <= terms.cosine + 1e-5 && sum >= 0.5 * terms.cosine, "{sum} {}", terms.cosine);
    assert!((score.mean_cosine as f32 - terms.cosine).abs() < 1e-5);
    // A term of one side only is not listed as shared.
    assert!(terms.only_a.iter().chain(&terms.only_b).all(|t| !words.contains(&t.word.as_str())));
    assert_eq!(explanation.dates.gap_days, Some(1));
    assert_eq!(explanation.dates.date_factor, 1.0);
    assert!(explanation.dates.similarity >= explanation.dates.threshold);
    assert!(explanation.candidates.candidate && explanation.candidates.b_among_a_neighbours);
}

#[test]
fn unrelated_articles_stay_apart_below_the_threshold() {
    let articles = feed();
    let explanation = explain_ids(&articles, "vote", "chess");
    assert!(!explanation.duplicates.same_group && !explanation.story.same_story);
    assert!(explanation.dates.similarity < explanation.dates.threshold, "{:?}", explanation.dates);
    assert_eq!(explanation.dates.gap_days, Some(16));
    assert!(explanation.dates.date_factor < 1.0);
    match &explanation.story.decision {
        Decision::Apart { best: None, comparisons, .. } => assert_eq!(*comparisons, 0),
        Decision::Apart { best: Some(best), .. } => assert!(!best.may_merge(), "{best:?}"),
        other => panic!("not apart: {other:?}"),
    }
    let mut text = Vec::new();
    write_text(&explanation, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("Different stories"), "{text}");
}

#[test]
fn the_explanation_agrees_with_the_stories_of_a_run() {
    let articles = feed();
    let clustering = pipeline::cluster_articles(&articles, &Config::default(), None, &NoProgress);
    let story_of = |i: usize| clustering.stories.iter().find(|s| s.members.contains(&i)).unwrap().id.clone();
    for a in 0..articles.len() {
        for b in a + 1..articles.len() {
            let explanation = explain(&articles, a, b, &Config::default(), &NoProgress);
            assert_eq!((explanation.a.story.clone(), explanation.b.story.clone()), (story_of(a), story_of(b)));
            let joined = matches!(
                explanation.story.decision,
                Decision::Copies | Decision::Merge { .. } | Decision::Attachment { .. }
            );
            assert_eq!(joined, explanation.story.same_story, "{a} {b}: {:?}", explanation.story);
        }
    }
}

//! Unit tests of the story summary: which member heads a story, ties, and the counts and timeline every format shows.

use super::*;
use crate::cluster::Link;

fn article(id: &str, source: &str, title: &str, date: Option<(i32, u8, u8)>) -> Article {
    Article {
        id: id.to_owned(),
        source: source.to_owned(),
        title: title.to_owned(),
        published: date.and_then(|(y, m, d)| Date::new(y, m, d)),
        url: String::new(),
        body: format!("The body of {id}, with a few words in it."),
        origin: crate::article::Origin::file("feed.jsonl"),
        extra: crate::article::Extra::default(),
    }
}

fn story(members: Vec<usize>, links: &[(usize, usize, f32)]) -> Story {
    Story {
        id: "s1".to_owned(),
        members,
        dup_groups: Vec::new(),
        links: links.iter().map(|&(a, b, score)| Link { a, b, score }).collect(),
    }
}

/// The headline is the best-linked member's, not the first member's: an
/// off-topic article sorted first does not head a story it is only loosely
/// linked to.
#[test]
fn the_headline_is_the_most_central_members() {
    let articles = [
        article("a", "X", "Kiwi travel app tops the charts", Some((2014, 3, 10))),
        article("b", "Y", "Snowden speaks at SXSW", Some((2014, 3, 10))),
        article("c", "Z", "Snowden urges tech firms to encrypt", Some((2014, 3, 11))),
        article("d", "Y", "Snowden: encryption works", Some((2014, 3, 11))),
    ];
    let links = [(0, 1, 0.2), (1, 2, 0.7), (1, 3, 0.6), (2, 3, 0.5)];
    let summary = StorySummary::of(&articles, &story(vec![0, 1, 2, 3], &links));
    assert_eq!(summary.headline, "Snowden speaks at SXSW");
    assert_eq!(summary.headline_member, 1);
    assert_eq!(summary.view(&articles).headline_id, "b");
}

/// Equal centrality goes to the earliest published, then to the smallest
/// article id; a member without a headline never heads a story that has one.
#[test]
fn ties_go_to_the_earliest_then_the_first_and_titles_win() {
    let later_first = [
        article("a", "X", "Later report", Some((2024, 9, 24))),
        article("b", "Y", "Earlier report", Some((2024, 9, 23))),
    ];
    let pair = story(vec![0, 1], &[(0, 1, 0.8)]);
    assert_eq!(StorySummary::of(&later_first, &pair).headline, "Earlier report");
    let same_day =
        [article("a", "X", "First by id", Some((2024, 9, 23))), article("b", "Y", "Second by id", Some((2024, 9, 23)))];
    assert_eq!(StorySummary::of(&same_day, &pair).headline, "First by id");
    let untitled_central = [
        article("a", "X", "", Some((2024, 9, 23))),
        article("b", "Y", "The only headline", Some((2024, 9, 23))),
        article("c", "Z", "", Some((2024, 9, 23))),
    ];
    let star = story(vec![0, 1, 2], &[(0, 2, 0.9), (0, 1, 0.4)]);
    assert_eq!(StorySummary::of(&untitled_central, &star).headline, "The only headline");
    let none_titled = [article("a", "X", "", None), article("b", "Y", "", None)];
    let summary = StorySummary::of(&none_titled, &pair);
    assert_eq!(summary.headline, "The body of a, with a few words in it.");
}

/// Sources are counted (most articles first, then by name), dates make a
/// timeline (oldest first) and undated or unsourced members are counted.
#[test]
fn sources_and_timeline_are_counted() {
    let articles = [
        article("a", "Reuters", "One", Some((2024, 9, 23))),
        article("b", "AP", "Two", Some((2024, 9, 21))),
        article("c", "Reuters", "Three", Some((2024, 9, 23))),
        article("d", "", "Four", None),
        article("e", "BBC", "Five", Some((2024, 9, 21))),
    ];
    let mut s = story(vec![0, 1, 2, 3, 4], &[]);
    s.dup_groups = vec![crate::cluster::DupGroup { id: "d1".to_owned(), members: vec![0, 2], links: Vec::new() }];
    let summary = StorySummary::of(&articles, &s);
    let sources: Vec<(&str, usize)> = summary.sources.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    assert_eq!(sources, [("Reuters", 2), ("AP", 1), ("BBC", 1)]);
    assert_eq!(summary.unsourced, 1);
    let timeline: Vec<(String, usize)> = summary.timeline.iter().map(|(d, n)| (d.to_string(), *n)).collect();
    assert_eq!(timeline, [("2024-09-21".to_owned(), 2), ("2024-09-23".to_owned(), 2)]);
    assert_eq!(summary.undated, 1);
    assert_eq!(summary.duplicate_groups, 1);
    assert_eq!(summary.date_range(), "2024-09-21 to 2024-09-23 (1 undated)");
    assert_eq!(summary.source_count(), "3 sources and 1 article without one");
    let view = summary.view(&articles);
    assert_eq!(view.first_published.map(|d| d.to_string()).as_deref(), Some("2024-09-21"));
    assert_eq!(view.last_published.map(|d| d.to_string()).as_deref(), Some("2024-09-23"));
}

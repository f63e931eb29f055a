//! A mixed feed: the language of unrelated articles must not make them one story,
//! and languages written without spaces still find their stories and copies.

use std::path::PathBuf;

use crate::util::{cluster_json, partition};

fn mixed_feed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/mixed_languages.jsonl")
}

/// Hindi, Arabic, Japanese, Chinese and Thai articles of the same day: in
/// Japanese, Chinese and Thai five unrelated ones, one pair on the same
/// event (ja6/ja7 and th6/th7 an earthquake, zh6/zh7 a flood) and one
/// near-copy (ja8 of ja3, zh8 of zh4, th8 of th3).
fn scripts_feed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/mixed_scripts.jsonl")
}

/// Per story of the two feeds clustered together: its sorted article ids.
fn mixed_stories() -> (serde_json::Value, Vec<Vec<String>>) {
    let (latin, scripts) = (mixed_feed(), scripts_feed());
    let report = cluster_json(&[latin.to_str().unwrap(), scripts.to_str().unwrap()], &[]);
    let stories = partition(&report);
    (report, stories)
}

/// Without spaces, every ideograph was a one-letter word and carried no
/// term: a Japanese earthquake report and a Chinese flood report kept only
/// their date "12" and were one story, as were unrelated Japanese articles
/// sharing a "2". Thai syllable pieces ("วั", "ที่") were terms every Thai
/// article holds, and the eight Thai articles were two stories.
#[test]
fn unrelated_chinese_japanese_and_thai_articles_stay_apart() {
    let (_, stories) = mixed_stories();
    assert_eq!(stories.iter().map(Vec::len).sum::<usize>(), 57);
    for prefix in ["ja", "zh", "th"] {
        for story in &stories {
            let same_language: Vec<&String> = story.iter().filter(|id| id.starts_with(prefix)).collect();
            let one_event = same_language.len() <= 1
                || [["ja6", "ja7"], ["zh6", "zh7"], ["th6", "th7"], ["ja3", "ja8"], ["zh4", "zh8"], ["th3", "th8"]]
                    .iter()
                    .any(|pair| same_language.iter().all(|id| pair.contains(&id.as_str())));
            assert!(one_event, "unrelated {prefix} articles joined: {story:?}");
        }
    }
    for story in &stories {
        let languages = ["en", "fr", "cs", "hi", "ar", "ja", "zh", "th"];
        let present = languages.iter().filter(|l| story.iter().any(|id| id.starts_with(*l))).count();
        assert!(present <= 1, "articles of different languages joined: {story:?}");
    }
}

#[test]
fn chinese_japanese_and_thai_reports_of_one_event_share_a_story() {
    let (_, stories) = mixed_stories();
    for pair in [["ja6", "ja7"], ["zh6", "zh7"], ["th6", "th7"]] {
        let together = stories.iter().any(|s| pair.iter().all(|id| s.iter().any(|m| m == id)));
        assert!(together, "{pair:?} apart: {stories:?}");
    }
}

#[test]
fn chinese_japanese_and_thai_near_copies_are_one_duplicate_group() {
    let (report, _) = mixed_stories();
    let group_of = |id: &str| -> String {
        let members = report["stories"].as_array().unwrap().iter().flat_map(|s| s["members"].as_array().unwrap());
        let member = members.into_iter().find(|m| m["id"] == id).expect("member");
        member["duplicate_group"].as_str().unwrap().to_owned()
    };
    for [original, copy] in [["ja3", "ja8"], ["zh4", "zh8"], ["th3", "th8"]] {
        assert!(!group_of(original).is_empty(), "{original} in no duplicate group");
        assert_eq!(group_of(original), group_of(copy));
    }
    // The same-event pairs are reports, not copies.
    assert!(group_of("ja6").is_empty() && group_of("zh6").is_empty() && group_of("th6").is_empty());
}

/// Ten unrelated English articles, six unrelated French ones and five
/// unrelated Czech ones, all of one day: only their language is shared. With
/// English stopwords alone, the French articles' "le", "la", "des", "pour"
/// are rare words in this feed and join all six into one story.
#[test]
fn unrelated_articles_of_one_language_stay_apart_in_a_mixed_feed() {
    let feed = mixed_feed();
    let report = cluster_json(&[feed.to_str().unwrap()], &[]);
    let stories = partition(&report);
    assert_eq!(stories.iter().map(Vec::len).sum::<usize>(), 21);
    for prefix in ["fr", "cs", "en"] {
        for story in &stories {
            let same_language = story.iter().filter(|id| id.starts_with(prefix)).count();
            assert!(same_language <= 1, "unrelated {prefix} articles joined: {story:?}");
        }
    }
}

/// Nine unrelated Hindi and nine unrelated Arabic reports of one day, each
/// in the register of its language's news ("जानकारी के मुताबिक", "अधिकारियों ने
/// बताया"; "وقال", "وأضاف أن"), as a feed would carry them among its English
/// articles.
fn minority_feed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/minority_languages.jsonl")
}

/// 300 generated English articles of the same day as [`minority_feed`]'s,
/// written into `dir`.
fn english_feed(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("english.jsonl");
    let args = ["generate", "--articles", "300", "--per-day", "300", "--output", path.to_str().unwrap()];
    let (_, stderr, ok) = crate::util::run(&args);
    assert!(ok, "generate failed: {stderr}");
    path
}

/// Every story (its sorted member ids) holding two or more Hindi or Arabic
/// articles: all of them are unrelated.
fn glued(stories: &[Vec<String>]) -> Vec<&Vec<String>> {
    let foreign = |id: &String| id.starts_with("hi") || id.starts_with("ar");
    stories.iter().filter(|s| s.iter().filter(|id| foreign(id)).count() > 1).collect()
}

/// Counted among all 318 articles, the words every Hindi (or Arabic)
/// report uses are rare, and the reports met on them: eight of the nine
/// Hindi ones were one story (pairs scoring 0.05-0.12), the Arabic ones
/// two. Counted among the articles of their language, they are common.
#[test]
fn unrelated_articles_of_a_language_few_use_stay_apart_among_english_ones() {
    let dir = tempfile::tempdir().unwrap();
    let english = english_feed(dir.path());
    let minority = minority_feed();
    let report = cluster_json(&[english.to_str().unwrap(), minority.to_str().unwrap()], &[]);
    let stories = partition(&report);
    assert_eq!(stories.iter().map(Vec::len).sum::<usize>(), 318);
    assert!(glued(&stories).is_empty(), "unrelated articles joined: {:?}", glued(&stories));
    // The English stories are those of the English feed alone.
    let alone = partition(&cluster_json(&[english.to_str().unwrap()], &[]));
    let english_stories: Vec<Vec<String>> =
        stories.into_iter().filter(|s| !s[0].starts_with("hi") && !s[0].starts_with("ar")).collect();
    assert_eq!(english_stories, alone);
}

/// The same feed added to a story store in three batches, a third of each
/// language at a time: the store counts each language's documents as a
/// batch run does, and keeps them apart.
#[test]
fn unrelated_articles_of_a_language_few_use_stay_apart_in_a_store_batch_by_batch() {
    let dir = tempfile::tempdir().unwrap();
    let english = std::fs::read_to_string(english_feed(dir.path())).unwrap();
    let minority = std::fs::read_to_string(minority_feed()).unwrap();
    let store = dir.path().join("news.db");
    for part in 0..3 {
        let lines = english.lines().chain(minority.lines()).enumerate();
        let batch: String = lines.filter(|(i, _)| i % 3 == part).map(|(_, line)| format!("{line}\n")).collect();
        let path = dir.path().join(format!("batch{part}.jsonl"));
        std::fs::write(&path, batch).unwrap();
        let args =
            ["add", "--quiet", "--store", store.to_str().unwrap(), "--now", "2024-01-02", path.to_str().unwrap()];
        let (_, stderr, ok) = crate::util::run(&args);
        assert!(ok, "add failed: {stderr}");
    }
    let conn = rusqlite::Connection::open(&store).unwrap();
    let mut select = conn.prepare("SELECT story, group_concat(id) FROM articles GROUP BY story").unwrap();
    let stories: Vec<Vec<String>> = select
        .query_map([], |r| r.get::<_, String>(1))
        .unwrap()
        .map(|ids| ids.unwrap().split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(stories.iter().map(Vec::len).sum::<usize>(), 318);
    assert!(glued(&stories).is_empty(), "unrelated articles joined: {:?}", glued(&stories));
    let totals: Vec<(String, i64)> = conn
        .prepare("SELECT name, value FROM totals WHERE name LIKE 'documents%' ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let counted = |name: &str| totals.iter().find(|(n, _)| n == name).map(|&(_, v)| v);
    assert_eq!((counted("documents:hin"), counted("documents:ara")), (Some(9), Some(9)), "{totals:?}");
}

/// Six Serbian reports of one day in Cyrillic (sr1 and sr2 on one
/// earthquake, the others unrelated: a rate decision, a football derby, a
/// bus line, a film festival) and five of them again in Latin, as Serbian
/// outlets publish both (`srNlat`). Serbian in Cyrillic had no tools of
/// its own: its words never met the same words in Latin, and a report
/// and its Latin twin were two stories, not copies.
#[test]
fn serbian_reports_meet_across_cyrillic_and_latin() {
    let feed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/serbian_scripts.jsonl");
    let report = cluster_json(&[feed.to_str().unwrap()], &[]);
    let stories = partition(&report);
    assert_eq!(stories.iter().map(Vec::len).sum::<usize>(), 11);
    let expected: Vec<Vec<&str>> = vec![
        vec!["sr1", "sr2", "sr2lat"],
        vec!["sr3", "sr3lat"],
        vec!["sr4", "sr4lat"],
        vec!["sr5", "sr5lat"],
        vec!["sr6", "sr6lat"],
    ];
    assert_eq!(stories, expected);
    // A page and its twin are copies, and reports of one event are not.
    let group_of = |id: &str| -> String {
        let members = report["stories"].as_array().unwrap().iter().flat_map(|s| s["members"].as_array().unwrap());
        let member = members.into_iter().find(|m| m["id"] == id).expect("member");
        member["duplicate_group"].as_str().unwrap().to_owned()
    };
    for n in 2..=6 {
        let (page, twin) = (format!("sr{n}"), format!("sr{n}lat"));
        assert!(!group_of(&page).is_empty() && group_of(&page) == group_of(&twin), "{page} / {twin}");
    }
    assert!(group_of("sr1").is_empty());
}

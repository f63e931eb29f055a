//! The live store's quality on the real labelled development sets (by path
//! in ../shared, as the batch quality test): each set added one publication
//! day at a time (undated records last), one `add` per day, scored with
//! B-cubed F1 against its gold labels. `scripts/add_by_day.py` prints the
//! same figures beside the batch run's; README's "A live story store"
//! records them. A change that lowers one fails here.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;
use serde_json::Value;

use crate::quality::dev_set;
use crate::util::run;

/// `(set, gold field, level, B-cubed F1 added day by day, batch B-cubed
/// F1)`: the figures of README's tables, the level being the store's
/// stories or its storylines. The by-day figure must stay within the
/// tolerance of the recorded one, either way: a change that moves it updates
/// this record (and README's table) with it, so that the record says what
/// the store does. Where it is within 0.02 of the batch run's (the issue's
/// target) it must stay so. On `duc2003_events` it is not: events of one
/// saga that arrive a few articles a day join the saga's known story, where
/// a batch run sees the whole new event first (README, "A live story
/// store"); nor are the WikiNews storylines, whose sagas are ten articles
/// over months, each of which may join or start one as it arrives
/// (README, "Storylines").
const RECORDED: [(&str, &str, Level, f64, f64); 7] = [
    ("uci_headlines.jsonl", "story", Level::Story, 0.878, 0.878),
    ("duc2003_events.jsonl", "story", Level::Story, 0.837, 0.945),
    ("wikinews_fr.jsonl", "storyline", Level::Story, 0.686, 0.701),
    ("wikinews_fr.jsonl", "storyline", Level::Storyline, 0.916, 0.974),
    ("wikinews_cs.jsonl", "storyline", Level::Storyline, 0.973, 0.984),
    ("wikinews_he.jsonl", "storyline", Level::Storyline, 0.900, 0.960),
    ("duc2003_topics.jsonl", "storyline", Level::Storyline, 0.964, 0.964),
];

/// What the store's grouping of an article is read from.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    Story,
    Storyline,
}

const TOLERANCE: f64 = 0.01;

/// A set added day by day: the store's folder and path, and each
/// article's id and gold label, in the set's order.
type Added = (tempfile::TempDir, std::path::PathBuf, Vec<(String, String)>);

/// `set` added to a fresh store one day at a time.
fn add_by_day(set: &Path, gold_field: &str) -> Added {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(set).unwrap();
    let mut days: BTreeMap<String, String> = BTreeMap::new();
    let mut gold = Vec::new();
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        let day = record["published"].as_str().map_or("~".to_owned(), |d| d[..10].to_owned());
        gold.push((record["id"].as_str().unwrap().to_owned(), record[gold_field].as_str().unwrap().to_owned()));
        let batch = days.entry(day).or_default();
        batch.push_str(line);
        batch.push('\n');
    }
    let store = dir.path().join("news.db");
    let last_day = days.keys().rfind(|d| *d != "~").cloned().unwrap();
    for (day, batch) in &days {
        let file = dir.path().join("batch.jsonl");
        std::fs::write(&file, batch).unwrap();
        let now = if day == "~" { &last_day } else { day };
        let (_, stderr, ok) =
            run(&["add", "--quiet", "--store", store.to_str().unwrap(), "--now", now, file.to_str().unwrap()]);
        assert!(ok, "add of {day}: {stderr}");
    }
    (dir, store, gold)
}

/// The B-cubed F1 of the store's stories or storylines against `gold`.
fn store_f1(store: &Path, gold: &[(String, String)], level: Level) -> f64 {
    let conn = Connection::open(store).unwrap();
    let query = match level {
        Level::Story => "SELECT id, story FROM articles",
        Level::Storyline => "SELECT a.id, s.storyline FROM articles a JOIN stories s ON a.story = s.id",
    };
    let stored: BTreeMap<String, String> = conn
        .prepare(query)
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored.len(), gold.len(), "every article is stored once, in a storyline");
    let labels: Vec<&str> = gold.iter().map(|(_, label)| label.as_str()).collect();
    let predicted: Vec<&str> = gold.iter().map(|(id, _)| stored[id].as_str()).collect();
    storyclust::eval::score(&labels, &predicted).bcubed.f1
}

#[test]
fn dev_sets_added_day_by_day_keep_their_recorded_quality() {
    let mut stores: BTreeMap<&str, Added> = BTreeMap::new();
    for (name, field, level, recorded, batch) in RECORDED {
        let Some(set) = dev_set(name) else { continue };
        let (_, store, gold) = stores.entry(name).or_insert_with(|| add_by_day(&set, field));
        let f1 = store_f1(store, gold, level);
        let level = if level == Level::Story { "stories" } else { "storylines" };
        assert!(
            (f1 - recorded).abs() <= TOLERANCE,
            "{name}, {level}: B-cubed F1 by day {f1:.3}, recorded {recorded:.3} (a change that moves it updates RECORDED and README's table)"
        );
        if recorded >= batch - 0.02 {
            assert!(f1 >= batch - 0.02, "{name}, {level}: by day {f1:.3} is no longer within 0.02 of batch {batch:.3}");
        }
    }
}

//! `storyclust add`: a story store built batch by batch, read back with
//! SQLite as any client would.

use std::path::Path;

use rusqlite::Connection;

use crate::util::{run, seeds_dir, temp_dir_with};

/// `(article, story)` of every stored article, by article id.
fn membership(store: &Path) -> Vec<(String, String)> {
    let conn = Connection::open(store).unwrap();
    let mut select = conn.prepare("SELECT id, story FROM articles ORDER BY id").unwrap();
    select.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

fn add(store: &Path, inputs: &[&str], extra: &[&str]) -> String {
    let mut args = vec!["add", "--quiet", "--store", store.to_str().unwrap(), "--now", "2026-12-05"];
    args.extend_from_slice(extra);
    args.extend_from_slice(inputs);
    let (stdout, stderr, ok) = run(&args);
    assert!(ok, "add failed: {stderr}");
    stdout
}

#[test]
fn seeds_added_one_at_a_time_end_as_the_batch_run_clusters_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("news.db");
    let mut seeds: Vec<_> = std::fs::read_dir(seeds_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    seeds.sort();
    for seed in &seeds {
        add(&store, &[seed.to_str().unwrap()], &[]);
    }
    let rows = membership(&store);
    let story = |prefix: &str| rows.iter().find(|(id, _)| id.starts_with(prefix)).unwrap().1.clone();
    assert_eq!(story("000_"), story("003_"), "{rows:?}");
    let others = [story("000_"), story("001_"), story("002_"), story("004_")];
    for (i, a) in others.iter().enumerate() {
        for b in &others[i + 1..] {
            assert_ne!(a, b, "{rows:?}");
        }
    }
    // The story of 000 kept the id it was given first: the day of 000.
    assert!(story("000_").starts_with("2024-09-23-"), "{rows:?}");
}

#[test]
fn adding_the_same_input_again_changes_nothing_and_a_changed_text_is_an_update() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("news.db");
    let seeds = seeds_dir();
    add(&store, &[seeds.to_str().unwrap()], &[]);
    let before = membership(&store);
    let stdout = add(&store, &[seeds.to_str().unwrap()], &[]);
    assert!(stdout.starts_with("0 articles added, 0 updated, 5 unchanged"), "{stdout}");
    assert_eq!(membership(&store), before);

    let edited = std::fs::read_to_string(seeds.join("004_3d148ef64dbff9fd.txt")).unwrap()
        + "\nThe envoy will return to Benghazi next month, his office said.\n";
    let changed = temp_dir_with(&[("004_3d148ef64dbff9fd.txt", edited.as_bytes())]);
    let stdout = add(&store, &[changed.path().to_str().unwrap()], &["--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1, "{stdout}");
    assert_eq!(rows[0]["id"], "004_3d148ef64dbff9fd");
    assert_eq!(membership(&store).len(), 5, "an update replaces, it does not add");
    let conn = Connection::open(&store).unwrap();
    let body: String =
        conn.query_row("SELECT body FROM articles WHERE id = '004_3d148ef64dbff9fd'", [], |r| r.get(0)).unwrap();
    assert!(body.contains("return to Benghazi next month"), "{body}");
}

#[test]
fn bad_input_in_an_add_is_skipped_by_name_and_stored_stories_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("news.db");
    add(&store, &[seeds_dir().to_str().unwrap()], &[]);
    let before = membership(&store);
    let feed = temp_dir_with(&[(
        "feed.jsonl",
        b"{\"id\": \"n1\", \"title\": \"Dam opens\", \"text\": \"The new dam on the river opened on Monday.\"}\n{not json\n",
    )]);
    let args = ["add", "--store", store.to_str().unwrap(), "--now", "2026-12-05", feed.path().to_str().unwrap()];
    let (_, stderr, ok) = run(&args);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("feed.jsonl") && stderr.contains(":2"), "the bad line is named: {stderr}");
    let after = membership(&store);
    assert_eq!(after.len(), before.len() + 1);
    assert!(before.iter().all(|row| after.contains(row)), "a stored article moved or was lost");
    // A store that is not one is refused by name, and left alone.
    let not_a_store = dir.path().join("notes.db");
    std::fs::write(&not_a_store, "plain text, not SQLite\n".repeat(100)).unwrap();
    let seeds = seeds_dir();
    let args = ["add", "--store", not_a_store.to_str().unwrap(), seeds.to_str().unwrap()];
    let (_, stderr, ok) = run(&args);
    assert!(!ok && stderr.contains("notes.db") && stderr.contains("not a storyclust store"), "{stderr}");
}

#[test]
fn a_story_that_grows_is_reported_with_its_new_outlets() {
    let day_one = concat!(
        r#"{"id":"a1","source":"one.example","title":"Dam on the Vltava river opens after ten years","published":"2024-09-23","text":"The new dam on the Vltava river near Prague opened on Monday after ten years of building, officials of the Vltava authority said. Minister Jana Novotna cut the ribbon."}"#,
        "\n",
        r#"{"id":"a2","source":"two.example","title":"Budget passes in parliament","published":"2024-09-23","text":"Parliament passed the budget for next year on Monday by a narrow vote, with the finance minister Karel Dvorak praising the deal."}"#,
        "\n"
    );
    let day_two = concat!(
        r#"{"id":"b1","source":"three.example","title":"Vltava dam opened by minister Novotna","published":"2024-09-24","text":"Minister Jana Novotna opened the Vltava dam near Prague, ten years after building began, the Vltava authority said on Monday."}"#,
        "\n",
        r#"{"id":"b2","source":"one.example","title":"Novotna opens Vltava dam","published":"2024-09-24","text":"The Vltava dam near Prague is open: Minister Jana Novotna cut the ribbon on Monday, the Vltava authority said."}"#,
        "\n"
    );
    let feeds = temp_dir_with(&[("one.jsonl", day_one.as_bytes()), ("two.jsonl", day_two.as_bytes())]);
    let store = feeds.path().join("news.db");
    add(&store, &[feeds.path().join("one.jsonl").to_str().unwrap()], &[]);
    let stdout = add(&store, &[feeds.path().join("two.jsonl").to_str().unwrap()], &[]);
    assert!(stdout.contains("1 grown"), "{stdout}");
    // one.example wrote about the dam before; three.example is new to it.
    assert!(stdout.contains("+2 (3 now, new sources: three.example)"), "{stdout}");
}

/// Between runs the store is its one file: what an add wrote is folded out
/// of SQLite's log into it, so copying the file alone (a backup, a move to
/// another machine) copies every article.
#[test]
fn after_an_add_the_file_alone_holds_the_whole_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("news.db");
    add(&store, &[seeds_dir().to_str().unwrap()], &[]);
    let copy = dir.path().join("copy.db");
    std::fs::copy(&store, &copy).unwrap();
    assert!(!dir.path().join("copy.db-wal").exists());
    assert_eq!(membership(&copy), membership(&store));
    assert_eq!(membership(&copy).len(), 5);
}

/// The articles grouped by a labelling: each group's ids, sorted.
fn partition(pairs: impl Iterator<Item = (String, String)>) -> Vec<Vec<String>> {
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (id, label) in pairs {
        groups.entry(label).or_default().push(id);
    }
    let mut groups: Vec<Vec<String>> = groups.into_values().collect();
    groups.iter_mut().for_each(|g| g.sort());
    groups.sort();
    groups
}

/// Added in one batch, the seeds fall into the storylines a batch run
/// gives them, under store ids; every output of the store shows them.
#[test]
fn one_add_gives_the_batch_runs_storylines_under_store_ids() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("news.db");
    add(&store, &[seeds_dir().to_str().unwrap()], &[]);
    let (batch, stderr, ok) = run(&["cluster", "--format", "jsonl", seeds_dir().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let row = |line: &str| serde_json::from_str::<serde_json::Value>(line).unwrap();
    let label =
        |v: &serde_json::Value| (v["id"].as_str().unwrap().to_owned(), v["storyline"].as_str().unwrap().to_owned());
    let expected = partition(batch.lines().map(|l| label(&row(l))));
    let (stored, stderr, ok) = run(&["stories", "--store", store.to_str().unwrap(), "--format", "jsonl"]);
    assert!(ok, "{stderr}");
    let rows: Vec<(String, String)> = stored.lines().map(|l| label(&row(l))).collect();
    assert!(rows.iter().all(|(_, line)| line.starts_with("line-")), "{rows:?}");
    assert_eq!(partition(rows.into_iter()), expected);
    assert!(expected.len() < 5, "some storyline holds two stories: {expected:?}");

    let (json, stderr, ok) = run(&["stories", "--store", store.to_str().unwrap(), "--format", "json"]);
    assert!(ok, "{stderr}");
    let lines = row(&json)["storylines"].as_array().unwrap().len();
    assert_eq!(lines, expected.len());
}

/// A new event's first report can read like the next turn of an older
/// story of the same place: a fire at a port on strike, its first report
/// written around the strike, joins the strike's story when it comes
/// alone. When the fire's other reports come the next day, the first
/// leaves with them: a story stays open to the reports of its own days
/// while news of those days still arrives, as a batch run of all of them
/// decides. The strike keeps its id and the move is reported.
#[test]
fn a_new_events_first_report_leaves_the_older_story_it_joined_when_the_rest_arrives() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/port_fire");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("news.db");
    let add_at = |file: &str, now: &str, format: &str| {
        let input = data.join(file);
        let args = [
            "add",
            "--quiet",
            "--store",
            store.to_str().unwrap(),
            "--now",
            now,
            "--format",
            format,
            input.to_str().unwrap(),
        ];
        let (stdout, stderr, ok) = run(&args);
        assert!(ok, "add failed: {stderr}");
        stdout
    };
    add_at("1_strike.jsonl", "2024-03-05", "table");
    let story = |id: &str| membership(&store).into_iter().find(|(a, _)| a == id).unwrap().1;
    let strike = story("strike-1");
    assert_eq!(story("strike-3"), strike);
    add_at("2_first_fire_report.jsonl", "2024-03-06T08:00:00Z", "table");
    assert_eq!(story("fire-1"), strike, "alone, the first fire report reads as the strike's next turn");

    let stdout = add_at("3_fire_reports.jsonl", "2024-03-07", "table");
    let fire = story("fire-2");
    assert_ne!(fire, strike, "{stdout}");
    for id in ["fire-1", "fire-3", "fire-4"] {
        assert_eq!(story(id), fire, "{id}: {stdout}");
    }
    for id in ["strike-1", "strike-2", "strike-3"] {
        assert_eq!(story(id), strike, "{id} keeps the strike's id: {stdout}");
    }
    assert!(stdout.contains("1 stored article moved to another story"), "{stdout}");
    assert!(stdout.contains(&format!("fire-1 from {strike} to {fire}")), "{stdout}");
    // The links that joined it to the strike went with the move; those of
    // the clustering that placed it with the fire are kept.
    let conn = Connection::open(&store).unwrap();
    let linked = |other: &str| -> i64 {
        let sql = "SELECT COUNT(*) FROM links WHERE (a = 'fire-1' AND b LIKE ?1) OR (b = 'fire-1' AND a LIKE ?1)";
        conn.query_row(sql, [other], |r| r.get(0)).unwrap()
    };
    assert_eq!(linked("strike-%"), 0);
    assert!(linked("fire-%") > 0);

    // The batch run of all of it parts the two events the same way.
    let inputs: Vec<String> = ["1_strike.jsonl", "2_first_fire_report.jsonl", "3_fire_reports.jsonl"]
        .iter()
        .map(|f| data.join(f).to_str().unwrap().to_owned())
        .collect();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let groups = crate::util::partition(&crate::util::cluster_json(&inputs, &[]));
    let fire_group = groups.iter().find(|g| g.contains(&"fire-1".to_owned())).unwrap();
    let mut expected = vec!["fire-1", "fire-2", "fire-3", "fire-4"];
    expected.sort();
    assert_eq!(fire_group, &expected, "{groups:?}");
}

/// A moved article's row is among an add's membership rows, under its new
/// story, beside the rows of the articles the add brought.
#[test]
fn an_adds_rows_hold_the_articles_that_moved() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/port_fire");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("news.db");
    for (file, now) in [("1_strike.jsonl", "2024-03-05"), ("2_first_fire_report.jsonl", "2024-03-06T08:00:00Z")] {
        let input = data.join(file);
        let (_, stderr, ok) =
            run(&["add", "--quiet", "--store", store.to_str().unwrap(), "--now", now, input.to_str().unwrap()]);
        assert!(ok, "{stderr}");
    }
    let input = data.join("3_fire_reports.jsonl");
    let args = ["add", "-q", "--store", store.to_str().unwrap(), "--now", "2024-03-07", "--format", "jsonl"];
    let (stdout, stderr, ok) = run(&[&args[..], &[input.to_str().unwrap()]].concat());
    assert!(ok, "{stderr}");
    let rows: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4, "{stdout}");
    for id in ["fire-1", "fire-2", "fire-3", "fire-4"] {
        assert!(ids.contains(&id), "{id}: {stdout}");
    }
    assert!(rows.iter().all(|r| r["story"] == rows[0]["story"]), "{stdout}");
}

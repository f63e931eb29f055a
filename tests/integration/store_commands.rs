//! The commands that read a story store or delete from it (`stories`,
//! `show --store`, `expire`, `remove`), run as a user would on a store
//! built through the library: what they list and show, that a removal
//! leaves no trace in the file (read with plain SQL), and that reading
//! never creates or changes a store.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::Value;
use storyclust::store::{self, Access, LinkKind, Store, StoredArticle, StoryId, DEFAULT_WAIT};
use storyclust::{Article, Date, Origin};

use crate::util::{run, temp_dir_with};

fn article(id: &str, source: &str, title: &str, published: &str, body: &str) -> Article {
    Article {
        id: id.to_owned(),
        source: source.to_owned(),
        title: title.to_owned(),
        url: format!("https://{source}/{id}"),
        published: Date::parse_iso(published),
        body: body.to_owned(),
        origin: Origin::file("test"),
        extra: Default::default(),
    }
}

fn day(s: &str) -> i64 {
    Date::parse_iso(s).unwrap().days_since_epoch()
}

/// A store with three stories: the dam story (a1 and its copy a2, and a3,
/// which heads it), seen last; the budget story (b1); and the bridge story
/// (c1), merged into the dam story.
struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    dam: StoryId,
    budget: StoryId,
    bridge: StoryId,
}

const DAM_BODY: &str = "The river dam opened its floodgates on Monday after days of rain. Engineers said the \
                        reservoir had reached its highest level in forty years.";

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.db");
    let articles = [
        article("a1", "one.example", "Dam opens", "2024-09-23", DAM_BODY),
        article("a2", "two.example", "Dam opens", "2024-09-23", DAM_BODY),
        article(
            "a3",
            "six.example",
            "Floodgates open at the river dam",
            "2024-09-24",
            "Floodgates opened at the river dam. The reservoir is at a forty-year high, engineers said.",
        ),
        article("b1", "one.example", "Budget passes", "2024-09-22", "The budget passed the assembly by four votes."),
        article("c1", "two.example", "Bridge closed by flood", "2024-09-24", "The old bridge below the dam closed."),
    ];
    let mut store = Store::open(&path, Access::Write, DEFAULT_WAIT).unwrap();
    let (dam, budget, bridge) = store
        .write(|w| {
            let early = "2024-09-22T08:00:00Z";
            let late = "2024-09-24T08:00:00Z";
            let budget = w.new_story(day("2024-09-22"), early)?;
            let dam = w.new_story(day("2024-09-23"), early)?;
            let bridge = w.new_story(day("2024-09-24"), late)?;
            for (a, story, dup, now) in [
                (&articles[0], dam, Some("a1"), early),
                (&articles[1], dam, Some("a1"), early),
                (&articles[2], dam, None, late),
                (&articles[3], budget, None, early),
                (&articles[4], bridge, None, late),
            ] {
                let counts = storyclust::represent::count_terms(a, &Default::default());
                let fingerprint = storyclust::fingerprint::fingerprint(&a.body, &Default::default());
                let stored = StoredArticle {
                    article: a,
                    story,
                    dup_group: dup,
                    content_hash: store::content_hash(a),
                    counts: &counts,
                    counted: true,
                    fingerprint: &fingerprint,
                    copy_keys: &[],
                };
                w.put_articles(&[stored], now)?;
            }
            w.put_links(&[
                ("a1", "a2", LinkKind::Copy, 1.0),
                ("a1", "a3", LinkKind::Story, 0.4),
                ("a2", "a3", LinkKind::Story, 0.4),
                ("a3", "c1", LinkKind::Story, 0.3),
            ])?;
            w.merge_story(bridge, dam, late)?;
            w.refresh(&[budget].into(), Some(early))?;
            w.refresh(&[dam].into(), Some(late))?;
            Ok((dam, budget, bridge))
        })
        .unwrap();
    drop(store);
    Fixture { _dir: dir, path, dam, budget, bridge }
}

impl Fixture {
    fn store(&self) -> &str {
        self.path.to_str().unwrap()
    }

    fn stories(&self, extra: &[&str]) -> Value {
        let mut args = vec!["stories", "--store", self.store(), "--format", "json"];
        args.extend_from_slice(extra);
        let (out, err, ok) = run(&args);
        assert!(ok, "{err}");
        serde_json::from_str(&out).unwrap()
    }
}

fn ids_of(report: &Value) -> Vec<String> {
    report["stories"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
}

fn members_of(story: &Value) -> Vec<&str> {
    story["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect()
}

#[test]
fn stories_lists_the_newest_activity_first_with_summaries_and_store_times() {
    let f = fixture();
    let report = f.stories(&[]);
    assert_eq!(ids_of(&report), [f.dam.to_string(), f.budget.to_string()]);
    let dam = &report["stories"][0];
    assert_eq!(members_of(dam), ["a1", "a2", "a3", "c1"]);
    assert_eq!(dam["summary"]["headline"], "Floodgates open at the river dam");
    assert_eq!(dam["summary"]["first_published"], "2024-09-23");
    assert_eq!(dam["summary"]["last_published"], "2024-09-24");
    assert_eq!(dam["summary"]["duplicate_groups"], 1);
    assert_eq!(dam["store"]["first_seen"], "2024-09-22T08:00:00Z");
    assert_eq!(dam["store"]["last_seen"], "2024-09-24T08:00:00Z");
    assert_eq!(dam["store"]["merged"], serde_json::json!([f.bridge.to_string()]));
    assert!(dam["differences"].is_object(), "json compares the articles as cluster does: {dam}");

    assert_eq!(ids_of(&f.stories(&["--min-articles", "2"])), [f.dam.to_string()]);
    assert_eq!(ids_of(&f.stories(&["--since", "2024-09-23"])), [f.dam.to_string()]);
    assert_eq!(ids_of(&f.stories(&["--since", "2024-09-25"])), Vec::<String>::new());

    let (table, err, ok) = run(&["stories", "--store", f.store(), "--format", "table"]);
    assert!(ok, "{err}");
    assert!(table.contains(&format!("Story {}: Floodgates open at the river dam", f.dam)), "{table}");
    assert!(table.contains("seen by the store: first 2024-09-22T08:00:00Z, last 2024-09-24T08:00:00Z"), "{table}");
    let (csv, err, ok) = run(&["stories", "--store", f.store(), "--format", "csv"]);
    assert!(ok, "{err}");
    assert!(csv.lines().next().unwrap().ends_with(",story_first_seen,story_last_seen"), "{csv}");
    assert_eq!(csv.lines().filter(|l| l.contains(&f.dam.to_string())).count(), 4, "{csv}");
    let (page, err, ok) = run(&["stories", "--store", f.store(), "--format", "html", "--since", "2024-09-23"]);
    assert!(ok, "{err}");
    assert!(page.contains(&format!("id=\"data-{}\"", f.dam)) && !page.contains("Budget passes"));
}

#[test]
fn the_html_report_from_a_store_shows_when_the_store_saw_each_story() {
    let f = fixture();
    let (page, err, ok) = run(&["stories", "--store", f.store(), "--format", "html"]);
    assert!(ok, "{err}");
    let seen = page
        .lines()
        .find_map(|line| line.strip_prefix("<script type=\"application/json\" id=\"seen\">"))
        .and_then(|line| line.strip_suffix("</script>"))
        .unwrap_or_else(|| panic!("no seen times in the page"));
    let seen: Value = serde_json::from_str(seen).unwrap();
    assert_eq!(seen[f.dam.to_string()], serde_json::json!(["2024-09-22T08:00:00Z", "2024-09-24T08:00:00Z"]));
    assert_eq!(seen[f.budget.to_string()], serde_json::json!(["2024-09-22T08:00:00Z", "2024-09-22T08:00:00Z"]));
    assert!(page.contains("seen by the store"), "the page's script shows them in each row");
    // A batch run has no store times.
    let dir = temp_dir_with(&[("a.txt", DAM_BODY.as_bytes())]);
    let (batch, err, ok) = run(&["cluster", "--quiet", "--format", "html", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(!batch.contains("id=\"seen\"") && !batch.contains("seen by the store"));
}

#[test]
fn show_reads_a_story_from_the_store_and_follows_a_merge() {
    let f = fixture();
    let (out, err, ok) = run(&["show", &f.dam.to_string(), "--store", f.store(), "--quiet"]);
    assert!(ok, "{err}");
    assert!(out.starts_with(&format!("Story {}: Floodgates open at the river dam", f.dam)), "{out}");
    assert!(out.contains("4 articles"), "{out}");
    assert!(err.is_empty(), "{err}");

    let (merged, err, ok) = run(&["show", &f.bridge.to_string(), "--store", f.store(), "--quiet"]);
    assert!(ok, "{err}");
    assert_eq!(merged, out, "a merged id shows the story that absorbed it");
    assert!(err.contains(&format!("{} was merged into {}", f.bridge, f.dam)), "{err}");

    let (_, err, ok) = run(&["show", "2024-01-01-1", "--store", f.store()]);
    assert!(!ok && err.contains("news.db: no story 2024-01-01-1"), "{err}");
    let (_, err, ok) = run(&["show", "s1", "--store", f.store()]);
    assert!(!ok && err.contains("\"s1\" is not a story id"), "{err}");
}

/// Counts rows with plain SQL.
fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn remove_then_stories_shows_no_trace_of_the_removed_articles() {
    let f = fixture();
    let (out, err, ok) = run(&["remove", "--store", f.store(), "a1", "a3", "b1", "zz"]);
    assert!(ok, "an unknown id is reported, not fatal: {err}");
    assert!(err.contains("article \"zz\" is not in") && err.contains("news.db"), "{err}");
    assert!(out.starts_with("removed 3 articles; 1 story updated, 1 story gone"), "{out}");
    assert!(out.contains(&format!("updated {}: 2 articles, Dam opens", f.dam)), "{out}");
    assert!(out.contains(&format!("gone    {}", f.budget)), "{out}");

    let conn = Connection::open(&f.path).unwrap();
    let removed = "('a1', 'a3', 'b1')";
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM articles WHERE id IN {removed}")), 0);
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM links WHERE a IN {removed} OR b IN {removed}")), 0);
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM articles WHERE dup_group IN {removed}")), 0);
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM stories WHERE headline_article IN {removed}")), 0);
    // Their headlines are gone, save "Dam opens", which a2 also has.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM stories WHERE headline IN ('Floodgates open at the river dam', 'Budget passes')"
        ),
        0
    );
    assert_eq!(count(&conn, "SELECT count(*) FROM stories WHERE id = (SELECT story FROM articles WHERE id = 'a2') AND headline = 'Dam opens'"), 1);

    let report = f.stories(&[]);
    assert_eq!(ids_of(&report), [f.dam.to_string()]);
    assert_eq!(members_of(&report["stories"][0]), ["a2", "c1"]);
    let text = report.to_string();
    for trace in ["\"a1\"", "\"a3\"", "\"b1\"", "Floodgates", "Budget", "one.example", "six.example"] {
        assert!(!text.contains(trace), "{trace} is still listed: {text}");
    }

    let (_, err, ok) = run(&["remove", "--store", f.store(), "a2", "zz", "--strict"]);
    assert!(!ok, "--strict fails on an id not stored");
    assert!(err.contains("\"zz\""), "{err}");
    assert_eq!(count(&conn, "SELECT count(*) FROM articles WHERE id = 'a2'"), 0, "the stored id went all the same");
}

#[test]
fn expire_removes_what_was_published_before_the_date() {
    let f = fixture();
    let (out, err, ok) = run(&["expire", "--store", f.store(), "--before", "2024-09-24"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("removed 3 articles; 1 story updated, 1 story gone"), "{out}");
    let report = f.stories(&[]);
    assert_eq!(ids_of(&report), [f.dam.to_string()]);
    assert_eq!(members_of(&report["stories"][0]), ["a3", "c1"]);
    assert_eq!(report["stories"][0]["summary"]["first_published"], "2024-09-24");
    assert_eq!(report["stories"][0]["summary"]["duplicate_groups"], 0);
    let conn = Connection::open(&f.path).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM links WHERE a IN ('a1', 'a2') OR b IN ('a1', 'a2')"), 0);
}

/// The bytes of a file and of its write-ahead log.
fn file_state(path: &Path) -> (Vec<u8>, Vec<u8>) {
    (std::fs::read(path).unwrap(), std::fs::read(path.with_extension("db-wal")).unwrap_or_default())
}

#[test]
fn a_missing_or_foreign_store_is_a_clear_error_and_reading_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["stories", "--store", missing],
        vec!["show", "2024-09-23-1", "--store", missing],
        vec!["expire", "--store", missing, "--before", "2024-09-23"],
        vec!["remove", "--store", missing, "a1"],
    ] {
        let (_, err, ok) = run(&args);
        assert!(!ok && err.contains("none.db: no such store"), "{args:?}: {err}");
        assert!(!Path::new(missing).exists(), "{args:?} created the store");
    }
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a database\n".repeat(300)).unwrap();
    let (_, err, ok) = run(&["stories", "--store", notes.to_str().unwrap()]);
    assert!(!ok && err.contains("notes.txt: not a storyclust store"), "{err}");

    let f = fixture();
    let before = file_state(&f.path);
    for args in [
        vec!["stories", "--store", f.store(), "--format", "json"],
        vec!["show", &f.dam.to_string(), "--store", f.store()],
    ] {
        let (_, err, ok) = run(&args);
        assert!(ok, "{err}");
    }
    assert!(file_state(&f.path) == before, "reading changed the store");
}

#[test]
fn remove_reads_ids_from_standard_input() {
    let f = fixture();
    let output =
        crate::util::storyclust(&["remove", "--store", f.store(), "-"]).write_stdin("b1\n\n  c1  \n").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.starts_with("removed 2 articles; 1 story updated, 1 story gone"), "{out}");
    assert_eq!(members_of(&f.stories(&[])["stories"][0]), ["a1", "a2", "a3"]);
}

/// A store made by `add` from `inputs`, stamped `now`.
fn added(dir: &Path, inputs: &[&Path], now: &str) -> PathBuf {
    let store = dir.join("news.db");
    let mut args = vec!["add", "--quiet", "--store", store.to_str().unwrap(), "--now", now];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let (_, err, ok) = run(&args);
    assert!(ok, "add failed: {err}");
    store
}

#[test]
fn the_seeds_read_back_from_a_store_as_the_batch_run_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = added(dir.path(), &[&crate::util::seeds_dir()], "2026-12-05");
    let store = store.to_str().unwrap();
    let seeds = crate::util::seeds_dir();
    let batch = crate::util::cluster_json(&[seeds.to_str().unwrap()], &[]);
    let (out, err, ok) = run(&["stories", "--store", store, "--format", "json"]);
    assert!(ok, "{err}");
    let stored: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(crate::util::partition(&stored), crate::util::partition(&batch));
    // Each story's summary, as the batch run gives it.
    let summary_of = |report: &Value, member: &str| -> Value {
        let stories = report["stories"].as_array().unwrap();
        stories.iter().find(|s| members_of(s).contains(&member)).unwrap()["summary"].clone()
    };
    for seed in ["000_78970f930e2b17a4", "001_7a5bc6e74635390f", "004_3d148ef64dbff9fd"] {
        assert_eq!(summary_of(&stored, seed), summary_of(&batch, seed), "{seed}");
    }

    // `show` from the store prints what the batch `show` prints, under the
    // store's id.
    let story = stored["stories"].as_array().unwrap().iter().find(|s| s["size"] == 2).unwrap();
    let id = story["id"].as_str().unwrap();
    let (from_store, err, ok) = run(&["show", id, "--store", store]);
    assert!(ok, "{err}");
    let (from_batch, err, ok) = run(&["show", "s1", seeds.to_str().unwrap(), "--quiet"]);
    assert!(ok, "{err}");
    // A store keeps no storylines: the batch's storyline line aside.
    let body = |text: &str| text.lines().skip(2).filter(|l| !l.starts_with("Storyline ")).collect::<Vec<_>>().join("\n");
    assert!(from_store.starts_with(&format!("Story {id}: ")), "{from_store}");
    assert_eq!(body(&from_store), body(&from_batch));
}

/// One JSON Lines record.
fn record(id: &str, source: &str, title: &str, published: &str, body: &str) -> String {
    serde_json::json!({"id": id, "source": source, "title": title, "url": format!("https://{source}/{id}"),
                       "published": published, "text": body})
    .to_string()
        + "\n"
}

#[test]
fn expire_and_remove_after_adds_leave_no_trace_in_the_file() {
    let dam = "The river dam opened its floodgates on Monday after days of heavy rain in the valley. Engineers \
               said the reservoir had reached its highest level in forty years and that towns downstream were safe.";
    let day1 = [
        record("a1", "one.example", "Dam opens floodgates after heavy rain", "2024-09-23", dam),
        record("a2", "two.example", "River dam opens its floodgates", "2024-09-23", dam),
        record(
            "b1",
            "one.example",
            "Assembly passes the budget by four votes",
            "2024-09-23",
            "The national assembly passed the annual budget by four votes on Monday night after a long debate \
             over school funding and fuel subsidies.",
        ),
    ]
    .concat();
    let secret = "Quartermaster Olewenko-Brandt";
    let day2 = [
        record(
            "c1",
            "six.example",
            "Old bridge below the dam closes",
            "2024-09-24",
            &format!(
                "The old stone bridge below the river dam was closed on Tuesday, said {secret}, as water rose \
                 under its arches and inspectors checked the piers."
            ),
        ),
        record(
            "d1",
            "two.example",
            "Rail strike halts trains in the north",
            "2024-09-24",
            "A rail strike halted trains across the north on Tuesday as drivers walked out over pay and hours.",
        ),
    ]
    .concat();
    let dir = temp_dir_with(&[("day1.jsonl", day1.as_bytes()), ("day2.jsonl", day2.as_bytes())]);
    added(dir.path(), &[&dir.path().join("day1.jsonl")], "2024-09-23T18:00:00Z");
    let store = added(dir.path(), &[&dir.path().join("day2.jsonl")], "2024-09-24T18:00:00Z");
    let conn = Connection::open(&store).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM articles WHERE dup_group IS NOT NULL"), 2, "a1 and a2 are copies");
    let path = store.to_str().unwrap();

    let (out, err, ok) = run(&["expire", "--store", path, "--before", "2024-09-24"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("removed 3 articles;"), "{out}");
    let removed = "('a1', 'a2', 'b1')";
    assert_eq!(count(&conn, "SELECT count(*) FROM articles"), 2);
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM links WHERE a IN {removed} OR b IN {removed}")), 0);
    assert_eq!(count(&conn, "SELECT count(*) FROM articles WHERE dup_group IS NOT NULL"), 0);
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM stories WHERE headline_article IN {removed}")), 0);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM stories WHERE headline LIKE '%floodgates%' OR headline LIKE '%budget%'"),
        0
    );
    let (listing, err, ok) = run(&["stories", "--store", path, "--format", "jsonl"]);
    assert!(ok, "{err}");
    let mut ids: Vec<String> =
        listing.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    assert_eq!(ids, ["c1", "d1"], "{listing}");

    // A takedown: the text leaves the file, not only the tables.
    let (_, err, ok) = run(&["remove", "--store", path, "c1"]);
    assert!(ok, "{err}");
    drop(conn);
    let (file, log) = file_state(&store);
    for bytes in [file, log] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "the removed text is in the file");
    }
}

//! Unit tests of the add stage: its clock and active window, which part of the window it reads, and the stored fingerprints it finds copies by.

use super::*;
use crate::article::Date;

fn dated(id: &str, published: Option<&str>) -> (Article, u64) {
    let article = Article {
        id: id.to_owned(),
        source: String::new(),
        title: String::new(),
        url: String::new(),
        published: published.and_then(Date::parse_iso),
        body: "text".to_owned(),
        origin: crate::article::Origin::file("test"),
        extra: Default::default(),
    };
    (article, 0)
}

fn day(s: &str) -> i64 {
    Date::parse_iso(s).unwrap().days_since_epoch()
}

#[test]
fn stamps_and_user_times_read_as_rfc_3339_utc() {
    assert_eq!(parse_now("2024-09-23").as_deref(), Some("2024-09-23T00:00:00Z"));
    assert_eq!(parse_now("2024-09-23T10:05:00Z").as_deref(), Some("2024-09-23T10:05:00Z"));
    for bad in ["", "2024-13-01", "yesterday", "2024-09-23T25:00:00Z", "2024-09-23T10:00Z", "2024-09-23 10:00:00"] {
        assert_eq!(parse_now(bad), None, "{bad}");
    }
    let now = now_utc();
    assert_eq!(parse_now(&now).as_deref(), Some(now.as_str()), "the clock's stamp reads back");
}

#[test]
fn the_active_window_spans_the_batch_dates_and_undated_articles_count_as_the_newest_day() {
    let config = AddConfig { active_days: 14 };
    let batch = [dated("a", Some("2024-09-10")), dated("b", Some("2024-09-20"))];
    assert_eq!(active_range(&batch, None, &config), (day("2024-08-27"), day("2024-10-04")));
    let undated = [dated("c", None)];
    assert_eq!(active_range(&undated, Some(day("2024-09-23")), &config), (day("2024-09-09"), day("2024-10-07")));
    let (first, last) = active_range(&undated, None, &config);
    assert!(first > last, "an undated batch with nothing to date it by has no window");
    assert_eq!(days_before("2024-09-23T10:00:00Z", 14), "2024-09-09");
}

/// `n` generated articles, `per_day` a day from 2024-01-01, plain texts.
fn generated(n: usize, per_day: usize) -> Vec<Article> {
    let config = crate::generate::GenerateConfig {
        articles: n,
        articles_per_day: per_day,
        page_fraction: 0.0,
        ..Default::default()
    };
    crate::generate::generate(&config)
        .map(|g| Article {
            id: g.id,
            source: g.source,
            title: g.title,
            url: String::new(),
            published: Some(g.published),
            body: g.text,
            origin: crate::article::Origin::file("generated"),
            extra: Default::default(),
        })
        .collect()
}

/// A copy of `article` under another id, published on `date`.
fn copy_of(article: &Article, id: &str, date: &str) -> Article {
    Article { id: id.to_owned(), published: Date::parse_iso(date), ..article.clone() }
}

fn new_store(dir: &tempfile::TempDir) -> (std::path::PathBuf, Store) {
    let path = dir.path().join("news.db");
    let store = Store::open(&path, store::Access::Write, store::DEFAULT_WAIT).unwrap();
    (path, store)
}

fn add_days(store: &mut Store, articles: &[Article], config: &Config) {
    let mut days: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    for a in articles {
        days.entry(a.published.unwrap().to_string()).or_default().push(a.clone());
    }
    for (day, batch) in days {
        let now = format!("{day}T23:00:00Z");
        add(store, batch, config, &AddConfig::default(), &now, &crate::pipeline::NoProgress).unwrap();
    }
}

/// The near-duplicate group stored for each of `ids`.
fn dup_groups(path: &std::path::Path, ids: &[&str]) -> Vec<Option<String>> {
    let conn = rusqlite::Connection::open(path).unwrap();
    ids.iter()
        .map(|id| conn.query_row("SELECT dup_group FROM articles WHERE id = ?1", [id], |r| r.get(0)).unwrap())
        .collect()
}

/// A store of 190 generated articles, 10 a day from 2024-01-01, added day
/// by day with date shards of 8 articles (so that the index's context is
/// the last 8 before a batch), and its config.
fn nineteen_days_small_shards(dir: &tempfile::TempDir) -> (Store, Config, Vec<Article>) {
    let (_, mut store) = new_store(dir);
    let mut config = Config::default();
    config.index.shard_size = 8;
    let articles = generated(190, 10);
    add_days(&mut store, &articles, &config);
    (store, config, articles)
}

/// A window around those days.
fn window() -> Window<'static> {
    Window { days: (day("2023-12-21"), day("2024-02-19")), first_seen: "2023-12-21" }
}

/// The time and memory of an add must follow the batch and the stories it
/// touches, not the window: a story far back in the window is read when
/// the batch copies one of its articles, and otherwise only the stories
/// of the last few articles before the batch (the index's context).
#[test]
fn an_add_reads_the_stories_its_batch_touches_not_its_whole_window() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, config, articles) = nineteen_days_small_shards(&dir);
    let early = articles.iter().find(|a| a.published.unwrap().to_string() == "2024-01-02").unwrap();
    let window = window();
    // Dated, and undated (then searched as of the store's newest day).
    for copy in [copy_of(early, "z-copy", "2024-01-20"), Article { published: None, ..copy_of(early, "z-copy", "") }] {
        let batch = vec![(copy, 1)];
        let newest = Some(day("2024-01-20"));
        let selected =
            store.write(|w| select::select(w, batch, window, newest, &config, &crate::pipeline::NoProgress)).unwrap();
        let known: Vec<usize> = (0..selected.articles.len()).filter(|&i| selected.before[i].is_some()).collect();
        let position = |id: &str| selected.articles.iter().position(|a| a.id == id);
        let early_at = position(&early.id).expect("the copied article is read");
        let copy_at = position("z-copy").unwrap();
        assert!(selected.dups.same_group(early_at, copy_at), "and found as a copy");
        assert!(known.len() < articles.len() / 4, "{} of {} stored articles read", known.len(), articles.len());
        // Every story read is the copied one or has an article on the last day.
        for &i in &known {
            let story = selected.before[i];
            let recent = known.iter().any(|&j| {
                selected.before[j] == story
                    && selected.articles[j].published.map(|d| d.to_string()).as_deref() == Some("2024-01-19")
            });
            assert!(recent || story == selected.before[early_at], "{} read", selected.articles[i].id);
        }
    }
}

/// A store of schema version 1 kept no fingerprints: the next add makes
/// them, and finds the copies of its batch among the stored articles.
#[test]
fn a_version_1_store_finds_copies_after_its_migration() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let config = Config::default();
    let articles = generated(20, 20);
    add_days(&mut store, &articles, &config);
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(store::DROP_STORYLINE_TABLES).unwrap();
    conn.execute_batch(
        "DROP TRIGGER copy_keys_go_with_articles; DROP TABLE copy_keys; DROP INDEX articles_without_fingerprint;
         ALTER TABLE articles DROP COLUMN fingerprint; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let mut store = Store::open(&path, store::Access::Write, store::DEFAULT_WAIT).unwrap();
    add_days(&mut store, &[copy_of(&articles[3], "z-copy", "2024-01-02")], &config);
    let groups = dup_groups(&path, &[&articles[3].id, "z-copy"]);
    assert!(groups[0].is_some() && groups[0] == groups[1], "{groups:?}");
}

/// Before schema version 6 a Serbian page in Cyrillic was shingled in
/// Cyrillic: the migration drops the fingerprints of stored Cyrillic texts
/// (here, one made from another text stands in for the old spelling), the
/// next add makes them again, and the page's Latin twin is its copy.
#[test]
fn a_version_5_store_finds_latin_copies_of_its_cyrillic_pages() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let config = Config::default();
    let cyrillic = written(
        "sr-cyr",
        "2024-03-04",
        "Краљево: после земљотреса оштећено више од стотину кућа",
        "Након јутрошњег земљотреса у Краљеву оштећено је више од стотину кућа, а две особе су лакше повређене. \
         Штаб за ванредне ситуације Краљева наставља да прикупља пријаве о штети. Становници села у околини \
         Краљева ноћ ће провести у шаторима. Земљотрес је био јачине 5,8 степени.",
    );
    let latin = written(
        "sr-lat",
        "2024-03-04",
        "Kraljevo: posle zemljotresa oštećeno više od stotinu kuća",
        "Nakon jutrošnjeg zemljotresa u Kraljevu oštećeno je više od stotinu kuća, a dve osobe su lakše povređene. \
         Štab za vanredne situacije Kraljeva nastavlja da prikuplja prijave o šteti. Stanovnici sela u okolini \
         Kraljeva noć će provesti u šatorima. Zemljotres je bio jačine 5,8 stepeni.",
    );
    add_days(&mut store, std::slice::from_ref(&cyrillic), &config);
    drop(store);
    let old = crate::fingerprint::fingerprint(
        "Народна банка Србије задржала је референтну каматну стопу.",
        &config.fingerprint,
    );
    let mut encoded = Vec::new();
    old.encode(&mut encoded);
    let keys = crate::fingerprint::copy_keys(&old, &config.fingerprint);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE articles SET fingerprint = ?1 WHERE id = 'sr-cyr'", [&encoded]).unwrap();
    conn.execute("UPDATE copy_keys SET keys = ?1", [&keys]).unwrap();
    conn.execute_batch("PRAGMA user_version = 5;").unwrap();
    drop(conn);
    let mut store = Store::open(&path, store::Access::Write, store::DEFAULT_WAIT).unwrap();
    add_days(&mut store, &[latin], &config);
    let groups = dup_groups(&path, &["sr-cyr", "sr-lat"]);
    assert!(groups[0].is_some() && groups[0] == groups[1], "{groups:?}");
}

/// Fingerprints made with another shingle size cannot be compared: the
/// store's are made again, and copies are still found.
#[test]
fn a_store_is_fingerprinted_again_when_the_shingle_size_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let mut config = Config::default();
    let articles = generated(20, 20);
    add_days(&mut store, &articles, &config);
    config.fingerprint = crate::fingerprint::FingerprintConfig::new(3, 64, 0.5);
    add_days(&mut store, &[copy_of(&articles[5], "z-copy", "2024-01-02")], &config);
    let groups = dup_groups(&path, &[&articles[5].id, "z-copy"]);
    assert!(groups[0].is_some() && groups[0] == groups[1], "{groups:?}");
}

/// An article the batch copies may also be among the last ones before the
/// batch that the index searches with it: it is read, and weighs in its
/// story, once.
#[test]
fn an_article_both_copied_and_next_to_the_batch_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, config, articles) = nineteen_days_small_shards(&dir);
    let newest = articles.iter().map(|a| a.published.unwrap()).max().unwrap();
    let last = articles.iter().filter(|a| a.published == Some(newest)).max_by_key(|a| &a.id).unwrap();
    let window = window();
    let batch = vec![(copy_of(last, "z-copy", "2024-01-20"), 1)];
    let selected =
        store.write(|w| select::select(w, batch, window, None, &config, &crate::pipeline::NoProgress)).unwrap();
    let times_read = selected.articles.iter().filter(|a| a.id == last.id).count();
    assert_eq!(times_read, 1);
    let mut ids: Vec<&str> = selected.articles.iter().map(|a| a.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), selected.articles.len(), "every article once, in id order");
}

/// Each live story's storyline, and each storyline's `merged_into`.
type LineState = (BTreeMap<String, Option<String>>, HashMap<String, Option<String>>);

fn line_state(path: &std::path::Path) -> LineState {
    let conn = rusqlite::Connection::open(path).unwrap();
    let stories = conn
        .prepare("SELECT id, storyline FROM stories WHERE merged_into IS NULL")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let lines = conn
        .prepare("SELECT id, merged_into FROM storylines")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (stories, lines)
}

/// Every live storyline's kept sum is the sum of its live stories'
/// centroids (what the storyline step compares new stories with), cut to
/// its heaviest terms.
fn assert_line_sums(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let lines: Vec<(String, Option<Vec<u8>>)> = conn
        .prepare("SELECT id, sum FROM storylines WHERE merged_into IS NULL")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (line, sum) in lines {
        let kept = sum.map(|b| store::decode_centroid(&b).unwrap()).unwrap_or_default();
        let mut expected = store::SparseSum::new();
        let centroids: Vec<Option<Vec<u8>>> = conn
            .prepare("SELECT centroid FROM stories WHERE storyline = ?1 AND merged_into IS NULL")
            .unwrap()
            .query_map([&line], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for c in centroids.into_iter().flatten() {
            store::add_scaled(&mut expected, &store::decode_centroid(&c).unwrap(), 1.0);
        }
        // Each kept term weighs what the storyline's stories give it, or
        // less where it was once cut from the kept sum; the stories of
        // these tests hold few terms, so no sum was ever cut and each is
        // exact.
        assert!(kept.len() <= store::LINE_SUM_TERMS, "{line}: {} terms kept", kept.len());
        for &(term, weight) in &kept {
            let exact = expected.get(&term).copied().unwrap_or(0.0);
            assert!(weight > 0.0 && weight <= exact + 1e-4, "{line}: term {term} kept at {weight}, exact {exact}");
        }
        let exact = store::to_line_sum(&expected);
        if expected.len() <= store::LINE_SUM_TERMS {
            let off: f32 = kept.iter().zip(&exact).map(|(a, b)| (a.1 - b.1).abs()).sum();
            assert!(kept.len() == exact.len() && off < 1e-3, "{line}: kept sum off by {off}");
        }
    }
}

/// A storyline id given once stays: a story keeps its storyline, follows
/// it when it merges into another, or moves to another and the add says
/// so; every live story is in a live storyline, whose summary counts its
/// stories, and whose kept sum is its stories' centroids.
#[test]
fn storylines_keep_their_ids_and_stories_move_only_when_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let config = Config::default();
    let articles = generated(400, 25);
    let mut days: BTreeMap<String, Vec<Article>> = BTreeMap::new();
    for a in &articles {
        days.entry(a.published.unwrap().to_string()).or_default().push(a.clone());
    }
    let mut before: Option<LineState> = None;
    let (mut merges, mut joined, mut moved) = (0, 0, 0);
    for (day, batch) in days {
        let now = format!("{day}T23:00:00Z");
        let added = add(&mut store, batch, &config, &AddConfig::default(), &now, &crate::pipeline::NoProgress).unwrap();
        merges += added.merged_storylines.len();
        let (stories, lines) = line_state(&path);
        for (story, line) in &stories {
            let line = line.as_ref().unwrap_or_else(|| panic!("{story} has no storyline"));
            assert_eq!(lines.get(line), Some(&None), "{story}'s storyline {line} is live");
        }
        let conn = rusqlite::Connection::open(&path).unwrap();
        let merged_in_lines: i64 = conn
            .query_row(
                "SELECT count(*) FROM stories WHERE merged_into IS NOT NULL AND storyline IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(merged_in_lines, 0, "a story merged into another leaves its storyline");
        for (line, merged) in &lines {
            let (n, counted): (i64, i64) = conn
                .query_row(
                    "SELECT (SELECT count(*) FROM stories WHERE storyline = ?1 AND merged_into IS NULL),
                            stories FROM storylines WHERE id = ?1",
                    [line],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(n, counted, "{line}'s summary counts its stories");
            assert_eq!(merged.is_none(), n > 0, "{line}: a live storyline has stories, a merged one none");
        }
        let reported: HashMap<String, (String, String)> = added
            .moved_stories
            .iter()
            .map(|(story, from, to)| (story.to_string(), (from.to_string(), to.to_string())))
            .collect();
        moved += reported.len();
        if let Some((old_stories, _)) = &before {
            for (story, old_line) in old_stories {
                let Some(now_line) = stories.get(story) else { continue };
                let (old_line, now_line) = (old_line.clone().unwrap(), now_line.clone().unwrap());
                let followed = lines.get(&old_line).cloned().flatten().unwrap_or(old_line.clone());
                match reported.get(story) {
                    Some((from, to)) => {
                        assert_eq!((from, to), (&old_line, &now_line), "{story}'s move as reported");
                        assert_ne!(now_line, followed, "{story} reported moved but followed its storyline");
                    }
                    None => {
                        assert_eq!(now_line, followed, "{story} left {old_line} for another storyline unreported");
                        joined += usize::from(now_line != old_line);
                    }
                }
            }
        }
        assert_line_sums(&path);
        before = Some((stories, lines));
    }
    let (stories, lines) = before.unwrap();
    let live = lines.values().filter(|m| m.is_none()).count();
    assert!(live < stories.len(), "some storyline holds several stories ({live} for {} stories)", stories.len());
    assert_eq!(merges > 0, joined > 0, "{merges} merges, {joined} stories moved by one");
    assert!(moved < stories.len(), "{moved} moves for {} stories: storylines settle", stories.len());
}

/// A store kept before storylines were (schema version 3) gets them at its
/// next add: every live story a centroid, listed by its heaviest terms,
/// and a storyline.
#[test]
fn a_store_from_before_storylines_gets_them_at_its_next_add() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let config = Config::default();
    let articles = generated(120, 40);
    add_days(&mut store, &articles, &config);
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(store::DROP_STORYLINE_TABLES).unwrap();
    conn.execute_batch("PRAGMA user_version = 3;").unwrap();
    drop(conn);
    let mut store = Store::open(&path, store::Access::Write, store::DEFAULT_WAIT).unwrap();
    let (stories, _) = line_state(&path);
    assert!(stories.values().all(Option::is_none), "a migration decides nothing");
    add_days(&mut store, &[copy_of(&articles[3], "z-copy", "2024-01-04")], &config);
    let (stories, _) = line_state(&path);
    assert!(stories.values().all(Option::is_some), "{stories:?}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (without, terms, listed): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM stories WHERE merged_into IS NULL AND centroid IS NULL),
                    (SELECT sum(min(length(centroid) / 12, ?1)) FROM stories), (SELECT count(*) FROM story_terms)",
            [store::INDEXED_TERMS as i64],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((without, terms), (0, listed));
}

/// A removed article's terms leave its story's centroid at once; the next
/// add weighs the centroid again from the articles left.
#[test]
fn a_removed_article_leaves_its_storys_centroid() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let config = Config::default();
    let articles = generated(120, 40);
    add_days(&mut store, &articles, &config);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (id, story): (String, String) = conn
        .query_row(
            "SELECT a.id, a.story FROM articles a JOIN stories s ON a.story = s.id WHERE s.articles > 2 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    store.write(|w| w.remove(&[id.as_str()])).unwrap();
    let listed = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM story_terms WHERE story = ?1", [&story], |r| r.get(0)).unwrap()
    };
    assert_eq!(listed(&conn), 0);
    assert_line_sums(&path);
    add_days(&mut store, &[copy_of(&articles[100], "z-copy", "2024-01-03")], &config);
    assert!(listed(&conn) > 0, "weighed again");
    assert_line_sums(&path);
}

/// An article of the crafted sagas below.
fn written(id: &str, date: &str, title: &str, body: &str) -> Article {
    Article {
        id: id.to_owned(),
        source: format!("outlet-{}", id.len() % 3),
        title: title.to_owned(),
        url: String::new(),
        published: Date::parse_iso(date),
        body: body.to_owned(),
        origin: crate::article::Origin::file("crafted"),
        extra: Default::default(),
    }
}

/// The storyline of article `id`'s story in the store at `path`.
fn storyline_of_article(path: &std::path::Path, id: &str) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT s.storyline FROM articles a JOIN stories s ON a.story = s.id WHERE a.id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
}

/// The story of article `id` in the store at `path`.
fn story_of_article(path: &std::path::Path, id: &str) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT story FROM articles WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

/// A store sees a saga's first event before the rest: a story that
/// first looks like the next event of an older saga (the cycling race that
/// starts in London, after the London bombing) joins it, and leaves it,
/// reported as moved, once the stories after it show that it began a saga
/// of its own.
#[test]
fn a_story_that_began_a_new_saga_leaves_the_old_one_it_first_joined() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let config = Config::default();
    let bombing = "Police in London searched homes in Leeds after the London bombing. Detectives said the \
                   suspects carried explosives onto the Underground. London police arrested a man in Leeds \
                   and Scotland Yard asked witnesses in London to come forward.";
    let others = [
        (
            "Wheat harvest ends early in Kansas",
            "Farmers in Kansas finished the wheat harvest early as drought cut yields and grain prices rose.",
        ),
        (
            "Central bank raises interest rates",
            "The central bank raised interest rates by a quarter point, citing inflation and strong wages.",
        ),
        (
            "Volcano erupts on Iceland peninsula",
            "A volcano erupted near Grindavik, sending lava across roads as residents were evacuated.",
        ),
        (
            "Chess champion defends title",
            "The chess champion drew the final game in Madrid and kept the title after twelve games.",
        ),
        (
            "New museum opens in Lisbon",
            "A museum of tiles opened in Lisbon with collections from convents and palaces.",
        ),
        (
            "Election results delayed in Kenya",
            "Officials delayed the election results in Kenya while ballots from remote counties were counted.",
        ),
    ];
    let mut days: Vec<(String, Vec<Article>)> = Vec::new();
    for d in 0..3 {
        let date = format!("2024-07-0{}", 7 + d);
        let mut batch = vec![written(&format!("a{d}"), &date, "London bombing: police search homes in Leeds", bombing)];
        for (k, (title, body)) in others.iter().enumerate().filter(|(k, _)| k % 3 == d) {
            batch.push(written(&format!("o{k}"), &date, title, body));
        }
        days.push((date, batch));
    }
    let race = "Riders of the Tour de France raced a time trial through London. Crowds lined the London streets \
                as the peloton crossed Tower Bridge, and the London stage was won by Cancellara.";
    days.push(("2024-08-20".to_owned(), vec![written("b0", "2024-08-20", "Tour de France starts in London", race)]));
    let stages = [
        "Cancellara kept the yellow jersey as the peloton sprinted into Canterbury; the stage went to Steegmans.",
        "The Tour de France peloton climbed into the Vosges and Cancellara kept the yellow jersey.",
        "Rasmussen won the Tour de France mountain stage and took the yellow jersey from Cancellara.",
        "Contador attacked the peloton on the Tour de France climb to Plateau de Beille and won the stage.",
    ];
    let titles = [
        "Sprint into Canterbury",
        "Peloton reaches the Vosges",
        "Rasmussen takes the lead",
        "Contador wins at Plateau de Beille",
    ];
    for (k, (title, body)) in titles.iter().zip(stages).enumerate() {
        // A fortnight apart: each stage a story of its own.
        let date = Date::parse_iso("2024-08-20").unwrap().days_since_epoch() + 14 * (k as i64 + 1);
        let date = Date::from_days_since_epoch(date).to_string();
        days.push((date.clone(), vec![written(&format!("b{}", k + 1), &date, title, body)]));
    }
    let line_of = |id: &str| storyline_of_article(&path, id);
    let mut moved = Vec::new();
    for (date, batch) in days {
        let now = format!("{date}T23:00:00Z");
        let added = add(&mut store, batch, &config, &AddConfig::default(), &now, &crate::pipeline::NoProgress).unwrap();
        moved.extend(added.moved_stories.iter().map(|(story, _, _)| story.to_string()));
        if date == "2024-08-20" {
            assert_eq!(line_of("b0"), line_of("a0"), "the race's first story first joins the bombing's saga");
        }
    }
    assert_eq!(line_of("a0"), line_of("a2"), "the bombing is one saga");
    assert_ne!(line_of("b0"), line_of("a0"), "the race's first story left the bombing's saga");
    assert_eq!(line_of("b0"), line_of("b4"), "the race is one saga");
    let b0_story = story_of_article(&path, "b0");
    assert!(moved.contains(&b0_story), "the move was reported: {moved:?}");
    assert_line_sums(&path);
}

/// A storyline that an early, thin story glued to another saga parts
/// again: the first report of a second earthquake (which names the first)
/// joins the first one's saga, and the later reports of the second join it
/// there through it. Once the second saga outweighs the glue, the
/// storyline splits: its id stays with the part holding most of its
/// stories, and the stories that leave are reported as moved.
#[test]
fn a_small_storyline_glued_by_an_early_story_parts_when_its_sagas_grow_apart() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let config = Config::default();
    let haiti = [
        (
            "Earthquake devastates Haiti",
            "A powerful earthquake struck Haiti near Port-au-Prince and collapsed the presidential palace. \
             President Preval said thousands were buried under rubble in Port-au-Prince and Leogane.",
        ),
        (
            "Aid reaches Port-au-Prince",
            "Aid flights landed in Port-au-Prince as Haiti buried its dead. Preval asked donors to rebuild \
             Leogane and the Haiti capital.",
        ),
        (
            "Cholera spreads in Haiti camps",
            "Cholera spread through the tent camps of Port-au-Prince, and Preval asked Haiti's donors for \
             clinics in Leogane.",
        ),
    ];
    let chile = [
        (
            "Magnitude 8.8 earthquake strikes Chile",
            "A magnitude 8.8 earthquake struck Chile near Concepcion, weeks after the Haiti earthquake that \
             flattened Port-au-Prince. In Concepcion and Talcahuano rescuers searched the rubble.",
        ),
        (
            "Concepcion counts its losses",
            "In Concepcion, Chile, families counted their dead while Bachelet sent troops to Talcahuano and \
             the Maule region.",
        ),
        (
            "Pinera takes office in Santiago",
            "Sebastian Pinera took office in Santiago and promised Chile to rebuild Concepcion and Talcahuano.",
        ),
        (
            "Chile rebuilds its ports",
            "The port of Talcahuano reopened as Chile rebuilt its docks; Pinera visited Concepcion and the \
             Maule coast.",
        ),
        (
            "Schools reopen in Maule",
            "Schools reopened in the Maule region of Chile after repairs; Pinera and the mayor of Concepcion \
             met parents in Talca.",
        ),
        (
            "Chile counts the cost",
            "Chile put the cost of the damage at thirty billion dollars; Pinera asked Congress in Valparaiso \
             for funds to rebuild Concepcion and Maule.",
        ),
        (
            "Fishermen of Talcahuano return",
            "Fishermen returned to Talcahuano, Chile, where the tsunami wrecked boats; Pinera opened a new pier \
             near Concepcion.",
        ),
        (
            "Copper mines of Chile recover",
            "Copper output in Chile recovered as mines near Concepcion and Talcahuano reopened; Pinera thanked \
             the miners of Maule.",
        ),
        (
            "Chile opens new homes in Maule",
            "Families moved into new homes in the Maule region of Chile; Pinera handed over keys in Talca and \
             Concepcion.",
        ),
        (
            "A year on, Chile remembers",
            "A year on, Chile remembered its dead in Concepcion and Talcahuano; Pinera said Maule was rebuilt.",
        ),
    ];
    let others = [
        (
            "Wheat harvest ends early in Kansas",
            "Farmers in Kansas finished the wheat harvest early as drought cut yields.",
        ),
        ("Central bank raises interest rates", "The central bank raised interest rates, citing inflation and wages."),
        ("Chess champion defends title", "The chess champion drew the final game in Madrid and kept the title."),
        ("New museum opens in Lisbon", "A museum of tiles opened in Lisbon with collections from convents."),
    ];
    // Sixty days apart: each report a story of its own, one saga each.
    let date = |k: usize| Date::from_days_since_epoch(day("2024-01-01") + 60 * k as i64).to_string();
    let mut days: Vec<(String, Vec<Article>)> = Vec::new();
    let sagas = haiti.iter().map(|t| ("h", t)).chain(chile.iter().map(|t| ("c", t)));
    for (k, (saga, (title, body))) in sagas.enumerate() {
        let mut batch = vec![written(&format!("{saga}{k}"), &date(k), title, body)];
        if let Some((other_title, other_body)) = others.get(k) {
            batch.push(written(&format!("o{k}"), &date(k), other_title, other_body));
        }
        days.push((date(k), batch));
    }
    let line_of = |id: &str| storyline_of_article(&path, id);
    let mut moved = Vec::new();
    for (k, (day, batch)) in days.into_iter().enumerate() {
        let now = format!("{day}T23:00:00Z");
        let added = add(&mut store, batch, &config, &AddConfig::default(), &now, &crate::pipeline::NoProgress).unwrap();
        moved.extend(added.moved_stories.iter().map(|(story, _, _)| story.to_string()));
        if k == 4 {
            assert_eq!(line_of("c3"), line_of("h0"), "the second earthquake's first report joins the first's saga");
            assert_eq!(line_of("c4"), line_of("c3"), "and the next report follows it there");
        }
    }
    for k in 1..3 {
        assert_eq!(line_of(&format!("h{k}")), line_of("h0"), "the first earthquake is one saga (h{k})");
    }
    for k in 4..12 {
        assert_eq!(line_of(&format!("c{k}")), line_of("c12"), "the second earthquake is one saga (c{k})");
    }
    assert_ne!(line_of("c12"), line_of("h0"), "the two sagas parted");
    // The storyline stays with the part holding most of its stories; the
    // first saga's stories left it, and each move was reported.
    for k in 0..3 {
        let story = story_of_article(&path, &format!("h{k}"));
        assert!(moved.contains(&story), "h{k}'s story {story} was reported as moved: {moved:?}");
    }
    assert_line_sums(&path);
}

/// Each centroid records the store's document count when it was weighed;
/// one weighed when the store held at most half its documents now is
/// weighed again at the next add. A store from before the count (schema
/// version 4) has all its centroids weighed again there.
#[test]
fn stale_centroids_are_weighed_again_as_the_store_grows() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = new_store(&dir);
    let config = Config::default();
    let articles = generated(160, 40);
    let weighed = |path: &std::path::Path| -> (i64, Vec<i64>) {
        let conn = rusqlite::Connection::open(path).unwrap();
        let documents = conn.query_row("SELECT value FROM totals WHERE name = 'documents'", [], |r| r.get(0)).unwrap();
        let at = conn
            .prepare("SELECT weighed_at FROM stories WHERE merged_into IS NULL ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (documents, at)
    };
    add_days(&mut store, &articles[..20], &config);
    let (first, at) = weighed(&path);
    assert!(at.iter().all(|&n| n == first), "the first day's stories weighed by its {first} documents: {at:?}");
    add_days(&mut store, &articles[20..], &config);
    let (documents, at) = weighed(&path);
    assert!(documents >= 4 * first, "{documents} documents after {first}");
    assert!(
        at.iter().all(|&n| 2 * n > documents && n <= documents),
        "no centroid weighed by half the {documents} documents or fewer: {at:?}"
    );

    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP INDEX stories_by_weighed_at; ALTER TABLE stories DROP COLUMN weighed_at; PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(conn);
    let mut store = Store::open(&path, store::Access::Write, store::DEFAULT_WAIT).unwrap();
    let (_, at) = weighed(&path);
    assert!(at.iter().all(|&n| n == 0), "a migrated store's centroids count as weighed by none: {at:?}");
    add_days(&mut store, &[copy_of(&articles[3], "z-copy", "2024-01-05")], &config);
    let (documents, at) = weighed(&path);
    assert!(at.iter().all(|&n| n == documents), "all weighed again at the next add: {at:?}");
}

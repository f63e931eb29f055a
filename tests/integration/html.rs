//! The HTML report, as a person sees it: rendered by headless Chromium.
//!
//! The browser tests need `chromium` on the PATH (`.ci/run` installs it).
//! Without it they fail when the `CI` environment variable is set, and
//! otherwise print a loud message and return.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};

use storyclust::article::{Article, Origin};
use storyclust::cluster::{Clustering, Story};
use storyclust::diff::DiffConfig;
use storyclust::pipeline;
use storyclust::report::{self, Format, Report};

use crate::util::{run, seeds_dir};

const S000: &str = "000_78970f930e2b17a4";
const S003: &str = "003_2828a23e96756184";

/// The Chromium binary, or `None` (after a loud message) when it is missing
/// and `CI` is unset. Panics when it is missing and `CI` is set.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        if let Ok(out) = Command::new("which").arg(name).output() {
            let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            if out.status.success() && !path.is_empty() {
                return Some(PathBuf::from(path));
            }
        }
    }
    let message = "chromium is not installed: the HTML report was not checked in a browser \
                   (install it with `apt-get install -y chromium`)";
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    // Written to the real stderr, not through `eprintln!`, which the test
    // harness captures and hides for passing tests.
    let bang = "!".repeat(78);
    let _ = writeln!(std::io::stderr(), "\n{bang}\n!!! SKIPPED: {message}\n{bang}\n");
    None
}

/// Runs headless Chromium on `url` with a fresh profile and `extra` flags;
/// returns its standard output.
fn headless(browser: &Path, url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(url);
    let out = cmd.output().expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 DOM")
}

fn file_url(path: &Path, fragment: &str) -> String {
    format!("file://{}{fragment}", path.display())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect()
}

fn texts(root: ElementRef<'_>, selector: &str) -> Vec<String> {
    root.select(&sel(selector)).map(text).collect()
}

/// The seed report, written by the binary into `dir`.
fn seed_report(dir: &Path) -> PathBuf {
    let path = dir.join("report.html");
    let (_, stderr, ok) = run(&[
        "cluster",
        "--quiet",
        "--format",
        "html",
        "--output",
        path.to_str().unwrap(),
        seeds_dir().to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    path
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let page = std::fs::read_to_string(seed_report(dir.path())).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    // Nothing is fetched: no external script, style sheet, font or image.
    for banned in ["src=\"http", "href=\"http", "@import", "url(http", "<link", "cdn"] {
        assert!(!page.contains(banned), "the page refers to an external asset: {banned}");
    }
    assert!(page.contains("<style>") && page.contains("<script>"));
    // The headline's ampersand is escaped in the data as in the title.
    assert!(!page.contains("Haftar & US"), "unescaped text in the page");
    // One JSON element per story, plus the index and the storylines.
    assert_eq!(page.matches("<script type=\"application/json\"").count(), 6);
}

#[test]
fn html_report_shows_the_seed_story_side_by_side_in_a_browser() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = seed_report(dir.path());

    // The list, as loaded.
    let dom = Html::parse_document(&headless(&browser, &file_url(&path, ""), &["--dump-dom"]));
    let root = dom.root_element();
    assert_eq!(root.select(&sel("#stories > li.story")).count(), 4);
    let totals = texts(root, "#totals").join(" ");
    let totals = totals.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(totals.contains("5 articles") && totals.contains("4 stories") && totals.contains("2 sources"), "{totals}");
    let s1 = root.select(&sel("li.story#s1")).next().expect("story s1 is listed");
    let sources = texts(s1, ".sources .src").join(" | ");
    assert!(sources.contains("LibyaReview") && sources.contains(S003), "sources of s1: {sources}");
    assert!(text(s1).contains("Haftar & US Delegation Discuss Joint Efforts to Combat Terrorism"));
    assert!(text(s1).contains("2024-09-23"));
    // Closed stories are not built yet.
    assert_eq!(root.select(&sel("article.col")).count(), 0, "story bodies are built only when opened");

    // Filtered by the search box (filled from the URL), by headline or source.
    let listed = |query: &str| -> Vec<String> {
        let dom = Html::parse_document(&headless(&browser, &file_url(&path, query), &["--dump-dom"]));
        dom.root_element().select(&sel("#stories > li.story")).map(|li| li.value().id().unwrap().to_owned()).collect()
    };
    assert_eq!(listed("?q=world+monitor"), vec!["s3"], "by source");
    assert_eq!(listed("?q=africom%20commander"), vec!["s2"], "by headline");
    assert_eq!(listed("?q=libyareview"), vec!["s1", "s2"], "by source, in every story");

    // Opened through the URL fragment.
    let dom = Html::parse_document(&headless(&browser, &file_url(&path, "#s1"), &["--dump-dom"]));
    let root = dom.root_element();
    let s1 = root.select(&sel("li.story#s1")).next().expect("story s1 is listed");
    assert!(s1.select(&sel("details[open]")).next().is_some(), "s1 is open");
    let columns: Vec<ElementRef> = s1.select(&sel(".columns > article.col")).collect();
    assert_eq!(columns.len(), 2, "both articles side by side");
    let column = |id: &str| *columns.iter().find(|c| c.value().attr("data-id") == Some(id)).expect(id);
    let (c000, c003) = (column(S000), column(S003));
    assert!(text(c000).contains("LibyaReview") && text(c000).contains("2024-09-23"));
    assert!(text(c003).contains("no source") && text(c003).contains("undated"));

    // Unique sentences are highlighted, unique facts too (inside them and as chips).
    let unique_003 = texts(c003, ".sent.unique").join(" ");
    for needle in ["Al-Haddad", "Tripoli", "Dbeibah", "oil fields"] {
        assert!(unique_003.contains(needle), "003's unique sentences lack {needle}: {unique_003}");
    }
    let facts_003 = texts(c003, ".sent.unique mark.fact").join(" | ");
    assert!(facts_003.contains("Tripoli") && facts_003.contains("Al-Haddad"), "{facts_003}");
    let chips_003 = texts(c003, ".facts .chip.fact").join(" | ");
    assert!(chips_003.contains("Tripoli") && chips_003.contains("Mohammed Al-Haddad"), "{chips_003}");
    assert!(c003.select(&sel(".chip.fact-place")).any(|c| text(c) == "Tripoli"));
    let unique_000 = texts(c000, ".sent.unique").join(" ");
    assert!(unique_000.contains("roadmap") && unique_000.contains("Wallander commended"), "{unique_000}");
    assert!(!unique_003.contains("roadmap"));

    // The shared sentence (the delegation) is muted in both columns.
    let shared_000 = texts(c000, ".sent.shared").join(" ");
    let shared_003 = texts(c003, ".sent.shared").join(" ");
    assert!(shared_000.contains("Celeste A. Wallander"), "{shared_000}");
    assert!(shared_003.contains("The US delegation was headed by"), "{shared_003}");
    assert!(!unique_000.contains("Celeste A. Wallander") && !unique_003.contains("was headed by"));

    // A screenshot of the opened story.
    let shot = dir.path().join("shot.png");
    headless(
        &browser,
        &file_url(&path, "#s1"),
        &[&format!("--screenshot={}", shot.display()), "--window-size=1400,1000", "--hide-scrollbars"],
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(png.len() > 30_000, "the screenshot is nearly empty: {} bytes", png.len());
    if let Some(keep) = std::env::var_os("STORYCLUST_SCREENSHOT") {
        std::fs::copy(&shot, keep).expect("copy the screenshot");
    }
}

/// `n` stories of three articles each (two outlets paraphrase one
/// sentence, each adds its own), clustered by construction.
fn synthetic(n: usize) -> (Vec<Article>, Clustering) {
    let mut articles = Vec::with_capacity(3 * n);
    let mut stories = Vec::with_capacity(n);
    for s in 0..n {
        let place = format!("Town{s}");
        let members: Vec<usize> = (0..3).map(|k| 3 * s + k).collect();
        for k in 0..3 {
            let own = [
                "Engineer Karim Benali said the first pumps would arrive in spring.",
                "The opposition council criticised the budget as wasteful and late.",
                "Farmers near the river welcomed the announcement with caution.",
            ][k];
            let body = format!(
                "Officials in {place} announced a new water plan worth {m} million dinars on Tuesday.\n\n\
                 The plan for {place} covers {s} villages and the regional irrigation network.\n\n{own}\n\n\
                 Residents of {place} said the <old> supply & the \"wells\" failed every summer since {year}.",
                m = s + 2,
                year = 1990 + k,
            );
            articles.push(Article {
                id: format!("a{s:04}_{k}"),
                source: format!("Outlet {k}"),
                title: format!("{place} water plan <{k}> & more"),
                url: String::new(),
                published: None,
                body,
                origin: Origin::file("synthetic"),
                extra: Default::default(),
            });
        }
        stories.push(Story { id: format!("s{}", s + 1), members, dup_groups: Vec::new(), links: Vec::new() });
    }
    (articles, Clustering { stories, ..Clustering::default() })
}

#[test]
fn html_report_with_1000_stories_stays_small_and_loads() {
    let (articles, clustering) = synthetic(1000);
    let differences = pipeline::differences(&articles, &clustering, &DiffConfig::default());
    assert!(differences.iter().all(Option::is_some));
    let report = Report { articles: &articles, clustering: &clustering, differences: Some(&differences) };
    let mut page = Vec::new();
    report::write(&report, Format::Html, &mut page).unwrap();
    let body_bytes: usize = articles.iter().map(|a| a.body.len() + a.title.len()).sum();
    // The page is the text plus markup-free data: about twice the text.
    assert!(page.len() < 3 * body_bytes, "report of {} bytes for {} bytes of text", page.len(), body_bytes);
    let page = String::from_utf8(page).unwrap();
    assert!(!page.contains("<old>") && !page.contains("</script><"), "text must be escaped");

    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.html");
    std::fs::write(&path, &page).unwrap();

    // As loaded: the list is paged, nothing is opened, the DOM stays light.
    let dom = headless(&browser, &file_url(&path, ""), &["--dump-dom"]);
    let dom = Html::parse_document(&dom);
    let root = dom.root_element();
    assert_eq!(root.select(&sel("#stories > li.story")).count(), 200);
    assert_eq!(texts(root, "#count").join(""), "1000 stories");
    assert!(root.select(&sel("#more:not([hidden])")).next().is_some(), "a button shows more");
    assert_eq!(root.select(&sel("article.col")).count(), 0);

    // The last story, asked for by the URL, is listed and opened with its
    // three columns; no other story is built.
    let dom = Html::parse_document(&headless(&browser, &file_url(&path, "#s1000"), &["--dump-dom"]));
    let root = dom.root_element();
    let s1000 = root.select(&sel("li.story#s1000")).next().expect("s1000 listed");
    assert_eq!(s1000.select(&sel("article.col")).count(), 3);
    assert_eq!(root.select(&sel("article.col")).count(), 3, "only the opened story is built");
    let titles = texts(s1000, ".col h3").join(" | ");
    assert!(titles.contains("Town999 water plan <0> & more"), "{titles}");
    let unique = texts(s1000, ".sent.unique").join(" ");
    assert!(unique.contains("Karim Benali") && unique.contains("Farmers near the river"), "{unique}");
    assert!(texts(s1000, ".sent.shared").join(" ").contains("announced a new water plan"));
}

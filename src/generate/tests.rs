//! Tests of the generator: determinism, sizes, labels, dates, templates,
//! near-duplicates, rewrites, streaming and JSON Lines output. Tests only:
//! nothing here is used by the library.

use std::collections::{HashMap, HashSet};

use super::*;

fn small(articles: usize, seed: u64) -> GenerateConfig {
    GenerateConfig { articles, seed, mean_bytes: 1_200, articles_per_day: 300, ..GenerateConfig::default() }
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn shingles(text: &str) -> HashSet<Vec<String>> {
    words(text).windows(5).map(<[String]>::to_vec).collect()
}

/// Shared shingles over the smaller set.
fn containment(a: &str, b: &str) -> f64 {
    let (sa, sb) = (shingles(a), shingles(b));
    let inter = sa.intersection(&sb).count();
    inter as f64 / sa.len().min(sb.len()).max(1) as f64
}

fn jaccard_words(a: &str, b: &str) -> f64 {
    let sa: HashSet<String> = words(a).into_iter().collect();
    let sb: HashSet<String> = words(b).into_iter().collect();
    sa.intersection(&sb).count() as f64 / sa.union(&sb).count().max(1) as f64
}

#[test]
fn same_seed_same_corpus_other_seed_other_corpus() {
    let a: Vec<_> = generate(&small(400, 7)).collect();
    let b: Vec<_> = generate(&small(400, 7)).collect();
    assert_eq!(a.len(), 400);
    assert_eq!(a, b);
    let c: Vec<_> = generate(&small(400, 8)).collect();
    assert_eq!(c.len(), 400);
    let same = a.iter().zip(&c).filter(|(x, y)| x.text == y.text).count();
    assert_eq!(same, 0);
    // A prefix of a longer run is the shorter run.
    let d: Vec<_> = generate(&small(1_000, 7)).take(400).collect();
    assert_eq!(a, d);
}

#[test]
fn golden_output_is_stable() {
    // Guards "same output on every machine and every release": if this
    // changes, the generator's output changed and benchmark corpora are no
    // longer comparable. Update deliberately.
    let first = generate(&GenerateConfig { articles: 1, ..GenerateConfig::default() }).next().unwrap();
    assert_eq!((first.id.as_str(), first.story.as_str()), ("a00000001", "story-000001"));
    assert_eq!(first.published, Date::new(2024, 1, 1).unwrap());
    let mut buf = Vec::new();
    write_jsonl(generate(&small(300, 42)), &mut buf).unwrap();
    let h = buf.iter().fold(0u64, |h, &b| super::rng::mix(h ^ u64::from(b)));
    assert_eq!(h, GOLDEN_JSONL_HASH, "first line: {}", String::from_utf8_lossy(&buf[..200]));
}
const GOLDEN_JSONL_HASH: u64 = 12_544_258_397_759_879_724;

#[test]
fn mean_text_size_near_target() {
    for mean in [1_500usize, 3_000] {
        let cfg =
            GenerateConfig { articles: 1_500, mean_bytes: mean, articles_per_day: 500, ..GenerateConfig::default() };
        let sizes: Vec<usize> = generate(&cfg).map(|a| a.text.len()).collect();
        let avg = sizes.iter().sum::<usize>() as f64 / sizes.len() as f64;
        assert!((avg - mean as f64).abs() < 0.1 * mean as f64, "mean {avg} for target {mean}");
        let min = *sizes.iter().min().unwrap();
        let max = *sizes.iter().max().unwrap();
        assert!(min < mean && max > mean, "sizes vary: {min}..{max}");
    }
}

#[test]
fn dup_of_points_to_earlier_article_of_same_story() {
    let cfg = small(4_000, 3);
    let arts: Vec<_> = generate(&cfg).collect();
    let pos: HashMap<&str, usize> = arts.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    assert_eq!(pos.len(), arts.len(), "ids are unique");
    let mut dups = 0;
    for (i, a) in arts.iter().enumerate() {
        if let Some(o) = &a.dup_of {
            dups += 1;
            let j = pos[o.as_str()];
            assert!(j < i, "{} copies a later article", a.id);
            assert_eq!(arts[j].story, a.story);
            assert!(arts[j].dup_of.is_none(), "copies are of originals");
            assert!(arts[j].published <= a.published);
        }
    }
    let share = dups as f64 / arts.len() as f64;
    assert!((share - cfg.dup_fraction).abs() < 0.04, "dup share {share}");

    let none = GenerateConfig { dup_fraction: 0.0, ..small(500, 3) };
    assert!(generate(&none).all(|a| a.dup_of.is_none()));
}

#[test]
fn story_labels_are_contiguous_and_sizes_long_tailed() {
    let arts: Vec<_> = generate(&small(6_000, 11)).collect();
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for a in &arts {
        *sizes.entry(a.story.as_str()).or_default() += 1;
    }
    // Every label story-000001..story-K appears, and labels are numbered in
    // order of first appearance.
    let k = sizes.len();
    for i in 1..=k {
        assert!(sizes.contains_key(format!("story-{i:06}").as_str()), "story {i} missing");
    }
    let mut seen = 0;
    for a in &arts {
        let n: usize = a.story["story-".len()..].parse().unwrap();
        assert!(n <= seen + 1);
        seen = seen.max(n);
    }
    let singletons = sizes.values().filter(|&&s| s == 1).count();
    let small3 = sizes.values().filter(|&&s| s <= 3).count();
    let big = sizes.values().filter(|&&s| s >= 20).count();
    assert!(singletons as f64 > 0.3 * k as f64, "{singletons} singletons of {k}");
    assert!(small3 as f64 > 0.6 * k as f64);
    assert!(big >= 10, "{big} stories of 20+");
    assert!(sizes.values().all(|&s| s <= 80));
}

#[test]
fn dates_cluster_around_story_date() {
    let cfg = small(3_000, 5);
    let arts: Vec<_> = generate(&cfg).collect();
    let mut span: HashMap<&str, (Date, Date)> = HashMap::new();
    for w in arts.windows(2) {
        assert!(w[0].published <= w[1].published, "emitted day by day");
    }
    for a in &arts {
        let e = span.entry(a.story.as_str()).or_insert((a.published, a.published));
        e.0 = e.0.min(a.published);
        e.1 = e.1.max(a.published);
    }
    assert!(span.values().all(|(lo, hi)| hi.days_between(*lo) < cfg.max_story_days as i64));
    assert!(span.values().any(|(lo, hi)| hi.days_between(*lo) >= 1), "some stories run several days");
    let first = arts[0].published;
    let last = arts.last().unwrap().published;
    assert!(last.days_between(first) >= 5, "3000 articles at 300 a day span days");
}

#[test]
fn page_like_articles_carry_their_site_template() {
    let cfg = small(1_500, 9);
    let profiles = sites(&cfg);
    assert_eq!(profiles.len(), cfg.sites);
    assert!(profiles.iter().any(|s| s.page_like) && profiles.iter().any(|s| !s.page_like));
    let by_name: HashMap<&str, &SiteProfile> = profiles.iter().map(|s| (s.name.as_str(), s)).collect();
    assert_eq!(by_name.len(), profiles.len(), "site names are unique");
    let (mut pages, mut records) = (0, 0);
    for a in generate(&cfg) {
        let site = by_name[a.source.as_str()];
        if site.page_like {
            pages += 1;
            assert!(a.text.starts_with(&site.menu));
            assert!(a.text.contains("Share on Facebook"));
            assert!(a.text.contains(&site.share));
            assert!(a.text.contains(&format!("© {} {}", a.published.year, site.name)));
            assert!(a.text.trim_end().ends_with(&site.copyright(a.published.year)));
            assert!(a.text.contains(&a.title));
        } else {
            records += 1;
            assert!(!a.text.contains("Share on Facebook"));
            assert!(!a.text.contains('©'));
        }
    }
    assert!(pages > 100 && records > 100, "{pages} pages, {records} records");
}

#[test]
fn boilerplate_is_shared_by_unrelated_articles() {
    let arts: Vec<_> = generate(&small(2_000, 13)).collect();
    // Wire copyright lines and menus repeat across many stories.
    let mut stories_per_line: HashMap<&str, HashSet<&str>> = HashMap::new();
    for a in &arts {
        for line in a.text.lines() {
            if line.starts_with("Copyright ") || line.contains("Share on Facebook") {
                stories_per_line.entry(line).or_default().insert(a.story.as_str());
            }
        }
    }
    assert!(stories_per_line.values().filter(|s| s.len() >= 10).count() >= 3);
    assert!(arts.iter().any(|a| a.text.contains(") — ")), "wire datelines");
    assert!(arts.iter().any(|a| a.text.contains("(Reporting by ")), "wire credits");
}

#[test]
fn rewrites_share_names_but_few_shingles_copies_share_many() {
    let arts: Vec<_> = generate(&GenerateConfig { page_fraction: 0.0, ..small(3_000, 21) }).collect();
    let by_id: HashMap<&str, &GeneratedArticle> = arts.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut by_story: HashMap<&str, Vec<&GeneratedArticle>> = HashMap::new();
    for a in arts.iter().filter(|a| a.dup_of.is_none()) {
        by_story.entry(a.story.as_str()).or_default().push(a);
    }
    let (mut rewrite_c, mut rewrite_j, mut n_rewrite) = (0.0, 0.0, 0);
    for group in by_story.values().filter(|g| g.len() >= 2) {
        rewrite_c += containment(&group[0].text, &group[1].text);
        rewrite_j += jaccard_words(&group[0].text, &group[1].text);
        n_rewrite += 1;
    }
    let (mut unrelated_j, mut n_unrelated) = (0.0, 0);
    for w in arts.windows(2).filter(|w| w[0].story != w[1].story).take(300) {
        unrelated_j += jaccard_words(&w[0].text, &w[1].text);
        n_unrelated += 1;
    }
    let (mut dup_c, mut n_dup) = (0.0, 0);
    for a in &arts {
        if let Some(o) = &a.dup_of {
            dup_c += containment(&a.text, &by_id[o.as_str()].text);
            n_dup += 1;
        }
    }
    assert!(n_rewrite > 50 && n_dup > 50 && n_unrelated > 50);
    let rewrite_c = rewrite_c / n_rewrite as f64;
    let rewrite_j = rewrite_j / n_rewrite as f64;
    let unrelated_j = unrelated_j / n_unrelated as f64;
    let dup_c = dup_c / n_dup as f64;
    assert!(rewrite_c < 0.15, "rewrites share {rewrite_c} of shingles");
    assert!(dup_c > 0.6, "copies share {dup_c} of shingles");
    assert!(rewrite_j > 1.5 * unrelated_j, "word overlap: same story {rewrite_j}, unrelated {unrelated_j}");
}

#[test]
fn streaming_from_a_huge_config_is_lazy() {
    // A billion articles would take hours and terabytes: ten of them come
    // at once only if nothing is made ahead of being asked for.
    let cfg = GenerateConfig { articles: 1_000_000_000, ..GenerateConfig::default() };
    let first: Vec<_> = generate(&cfg).take(10).collect();
    assert_eq!(first.len(), 10);
    let it = generate(&cfg);
    assert_eq!(it.size_hint(), (1_000_000_000, Some(1_000_000_000)));
}

#[test]
fn degenerate_configs_work() {
    let cfg = GenerateConfig {
        articles: 50,
        sites: 0,
        articles_per_day: 0,
        max_story_size: 0,
        max_story_days: 0,
        mean_bytes: 0,
        dup_fraction: 5.0,
        ..GenerateConfig::default()
    };
    let arts: Vec<_> = generate(&cfg).collect();
    assert_eq!(arts.len(), 50);
    assert!(arts.iter().all(|a| !a.text.is_empty() && a.dup_of.is_none()));
    assert_eq!(generate(&GenerateConfig { articles: 0, ..cfg }).count(), 0);
}

#[test]
fn jsonl_has_one_object_per_line() {
    let cfg = small(30, 1);
    let mut buf = Vec::new();
    let n = write_jsonl(generate(&cfg), &mut buf).unwrap();
    assert_eq!(n, 30);
    let text = String::from_utf8(buf).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 30);
    for (line, a) in lines.iter().zip(generate(&cfg)) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = vec!["id", "text", "title", "source", "published", "story", "dup_of"];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(v["id"], a.id.as_str());
        assert_eq!(v["text"], a.text.as_str());
        assert_eq!(v["published"], a.published.to_string().as_str());
        assert!(Date::parse_iso(v["published"].as_str().unwrap()).is_some());
        match &a.dup_of {
            Some(o) => assert_eq!(v["dup_of"], o.as_str()),
            None => assert!(v["dup_of"].is_null()),
        }
    }
}

#[test]
fn calendar_arithmetic() {
    let d = Date::new(2024, 2, 28).unwrap();
    assert_eq!(add_days(d, 1), Date::new(2024, 2, 29).unwrap());
    assert_eq!(add_days(d, 2), Date::new(2024, 3, 1).unwrap());
    assert_eq!(add_days(Date::new(2023, 12, 31).unwrap(), 1), Date::new(2024, 1, 1).unwrap());
    for k in [0i64, 1, 59, 365, 366, 1_000, 40_000] {
        assert_eq!(add_days(d, k).days_since_epoch() - d.days_since_epoch(), k);
    }
}

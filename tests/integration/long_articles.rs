//! Issue 16, case 1: long articles in the differences. A pair of copies of
//! 2,500 sentences each (over the 2,000 the differences compare) runs to
//! the end with a warning naming each article, in every format that
//! compares; the copies' edits are still found in the part compared.

use super::util::{run, temp_dir_with};

/// Two JSON Lines records of `n` sentences each, "b" a copy of "a" with
/// every 50th sentence replaced (`scripts/long_articles.py` in small).
pub(crate) fn long_pair(n: usize) -> String {
    const NAMES: &[&str] = &["Ahmed Haddad", "Maria Novak", "John Brennan", "Olga Okafor", "Pierre Silva"];
    const PLACES: &[&str] = &["Tripoli", "Ankara", "Geneva", "Nairobi", "Cairo", "Tunis", "Berlin"];
    const NOUNS: &[&str] = &["agreement", "budget", "ceasefire", "election", "reform", "treaty", "summit"];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |k: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % k as u64) as usize
    };
    let mut sentence = || {
        format!(
            "{} discussed the {} in {} worth {} dollars.",
            NAMES[next(NAMES.len())],
            NOUNS[next(NOUNS.len())],
            PLACES[next(PLACES.len())],
            next(10_000_000)
        )
    };
    let a: Vec<String> = (0..n).map(|_| sentence()).collect();
    let b: Vec<String> = a.iter().enumerate().map(|(i, s)| if i % 50 == 49 { sentence() } else { s.clone() }).collect();
    let record = |id: &str, sentences: &[String]| {
        let text = sentences.chunks(5).map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n");
        serde_json::json!({ "id": id, "title": "Officials discuss the long report", "text": text }).to_string()
    };
    format!("{}\n{}\n", record("a", &a), record("b", &b))
}

#[test]
fn issue16_long_articles_are_compared_in_part_with_a_warning() {
    let dir = temp_dir_with(&[("pair.jsonl", long_pair(2_500).as_bytes())]);
    let input = dir.path().join("pair.jsonl");
    let input = input.to_str().unwrap();
    for args in [&["cluster", "--format", "json"][..], &["cluster", "--format", "html"], &["show", "s1"]] {
        let mut full = args.to_vec();
        full.push(input);
        let (stdout, stderr, ok) = run(&full);
        assert!(ok, "{args:?}: {stderr}");
        for id in ["a", "b"] {
            let warning = format!(
                "pair.jsonl:{}: warning: article {id}: 2500 sentences, only the first 2000 are compared in the differences",
                if id == "a" { 1 } else { 2 }
            );
            assert!(stderr.contains(&warning), "{args:?}: {stderr}");
        }
        if args.get(2) == Some(&"json") {
            let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
            let copies = &report["stories"][0]["differences"]["copies"][0];
            let edits = copies["changed"].as_array().unwrap().len() + copies["removed"].as_array().unwrap().len();
            assert_eq!(edits, 40, "{copies}");
        }
    }
    // Quiet: no message per article, but the count.
    let (_, stderr, ok) = run(&["cluster", "--format", "json", "--quiet", input]);
    assert!(ok);
    assert!(stderr.contains("differences: warnings 2 (long article: 2)"), "{stderr}");
    assert!(!stderr.contains("article a:"), "{stderr}");
    // --strict makes the warnings fail the run.
    let (_, _, ok) = run(&["cluster", "--format", "json", "--quiet", "--strict", input]);
    assert!(!ok);
}

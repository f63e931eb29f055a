//! Unit tests of the pipeline: the streaming run gives what the in-memory
//! run gives.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::*;
use crate::generate::{self, GenerateConfig};
use crate::ingest;

/// A mixed input: scraped pages (the seeds), a generated feed with copies
/// and templates, a bad line, a duplicate id, an HTML record and a record
/// left empty by cleaning.
fn mixed_input(dir: &Path) -> Vec<PathBuf> {
    let feed = dir.join("feed.jsonl");
    let mut out = fs::File::create(&feed).unwrap();
    generate::write_jsonl(
        generate::generate(&GenerateConfig { articles: 1500, seed: 7, ..Default::default() }),
        &mut out,
    )
    .unwrap();
    writeln!(out, "{{\"id\": \"broken\", \"text\": ").unwrap();
    writeln!(out, "{{\"id\": \"a00000002\", \"text\": \"A second record with the same id.\"}}").unwrap();
    writeln!(out, "{{\"id\": \"h1\", \"html\": \"<html><body><h1>Dam opens</h1><p>The new dam on the river opened on Monday after nine years of building work by the state.</p></body></html>\"}}").unwrap();
    writeln!(out, "{{\"id\": \"e1\", \"text\": \"...\"}}").unwrap();
    drop(out);
    vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds"), feed]
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn streaming_run_equals_the_in_memory_run() {
    let dir = tempfile::tempdir().unwrap();
    let paths = mixed_input(dir.path());
    let config = Config::default();

    let read = ingest::read_inputs(&paths, &mut std::io::empty());
    let memory = run(read.docs, &config, &NoProgress);

    let inputs = Inputs::resolve(&paths, &mut std::io::empty());
    let streamed = run_streaming(&inputs, Job::Cluster { keep_bodies: true }, &config, &NoProgress).unwrap();
    let reading = &streamed.reading;
    assert_eq!(reading.problems, read.problems);
    assert_eq!(reading.n_read, memory.articles.len() + memory.skipped.len());
    assert!(reading.problems.iter().any(|p| p.kind == ingest::ProblemKind::DuplicateId), "{:?}", reading.problems);
    assert!(reading.problems.iter().any(|p| p.kind == ingest::ProblemKind::BadJson), "{:?}", reading.problems);

    let mut outcome = stories(streamed);
    assert!(memory.clustering.stories.iter().any(|s| s.members.len() > 2 && !s.dup_groups.is_empty()));
    assert_eq!(json(&outcome.clustering), json(&memory.clustering));
    assert_eq!(outcome.skipped, memory.skipped);
    // Bodies stay on disk until asked for; differences read them back.
    assert!(outcome.articles.iter().all(|a| a.body.is_empty()));
    assert_eq!(outcome.body(3).unwrap(), memory.articles[3].body);
    let diffs = outcome.differences(&outcome.clustering, &DiffConfig::default()).unwrap();
    assert_eq!(diffs, differences(&memory.articles, &memory.clustering, &DiffConfig::default()));

    outcome.load_bodies(|a| a.title.is_empty()).unwrap();
    for (s, m) in outcome.articles.iter().zip(&memory.articles) {
        assert_eq!(s.id, m.id);
        assert_eq!(s.title, m.title);
        assert_eq!(s.body.is_empty(), !m.title.is_empty(), "{}", s.id);
    }
    outcome.load_bodies(|_| true).unwrap();
    assert_eq!(json(&outcome.articles), json(&memory.articles));
}

/// The stories of a cluster run.
fn stories(streamed: Streamed) -> Outcome {
    match streamed.result {
        JobResult::Stories(outcome) => outcome,
        JobResult::Duplicates(_) => panic!("a cluster job gave duplicate groups"),
    }
}

#[test]
fn a_cluster_run_without_bodies_clusters_the_same_and_says_it_has_no_texts() {
    let dir = tempfile::tempdir().unwrap();
    let paths = mixed_input(dir.path());
    let config = Config::default();
    let inputs = Inputs::resolve(&paths, &mut std::io::empty());
    let with = stories(run_streaming(&inputs, Job::Cluster { keep_bodies: true }, &config, &NoProgress).unwrap());
    let mut without =
        stories(run_streaming(&inputs, Job::Cluster { keep_bodies: false }, &config, &NoProgress).unwrap());
    assert_eq!(json(&without.clustering), json(&with.clustering));
    assert_eq!(json(&without.articles), json(&with.articles));
    assert!(matches!(without.body(0), Err(Error::BodiesNotKept)));
    let error = without.load_bodies(|_| true).unwrap_err();
    assert!(error.to_string().contains("kept no article bodies"), "{error}");
    assert!(matches!(without.differences(&without.clustering, &DiffConfig::default()), Err(Error::BodiesNotKept)));
}

#[test]
fn streaming_dedup_equals_the_in_memory_dedup() {
    let dir = tempfile::tempdir().unwrap();
    let paths = mixed_input(dir.path());
    let config = Config::default();
    let memory = dedup(ingest::read_inputs(&paths, &mut std::io::empty()).docs, &config, &NoProgress);
    let inputs = Inputs::resolve(&paths, &mut std::io::empty());
    let streamed = run_streaming(&inputs, Job::Dedup, &config, &NoProgress).unwrap();
    let JobResult::Duplicates(streamed) = streamed.result else { panic!("a dedup job gave stories") };
    assert!(memory.groups.len() > 50);
    assert_eq!(json(&streamed.groups), json(&memory.groups));
    let ids = |articles: &[Article]| articles.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&streamed.articles), ids(&memory.articles));
    assert_eq!(streamed.skipped, memory.skipped);
}

#[test]
fn term_counts_survive_the_spill_format() {
    let article = Article {
        id: "x".into(),
        source: String::new(),
        title: "Flood Hits Valley Town".into(),
        url: String::new(),
        published: None,
        body: "The river rose 3.2 metres on Monday and flooded the lower streets of the town, said Amina Diallo of the local water board.".into(),
        origin: crate::article::Origin::file("x"),
        extra: Default::default(),
    };
    let counts = represent::count_terms(&article, &RepresentConfig::default());
    assert!(!counts.counts.is_empty() && !counts.case.is_empty() && !counts.uncased.is_empty());
    let mut bytes = Vec::new();
    counts.encode(&mut bytes);
    let back = TermCounts::decode(&bytes).unwrap();
    assert_eq!((&back.counts, &back.case, &back.uncased), (&counts.counts, &counts.case, &counts.uncased));
    assert!(TermCounts::decode(&bytes[..bytes.len() - 1]).is_none());
    bytes.push(0);
    assert!(TermCounts::decode(&bytes).is_none());

    // Case and uncased terms are written as positions in the counts: here
    // a little over half the size of the full form (the same counts with
    // one case term that is not counted).
    bytes.pop();
    let mut full = Vec::new();
    let mut case = counts.case.clone();
    case.push((u64::MAX, 1, 0));
    let foreign = TermCounts { case, ..counts.clone() };
    foreign.encode(&mut full);
    assert!(bytes.len() * 5 < full.len() * 3, "{} vs {}", bytes.len(), full.len());
    // Counts whose case terms are not all counted go in full, intact.
    let back = TermCounts::decode(&full).unwrap();
    assert_eq!((back.counts, back.case, back.uncased), (foreign.counts, foreign.case, foreign.uncased));
    // A position past the counts is not counts.
    let only_case =
        TermCounts { counts: vec![(7, 1.0)], case: vec![(7, 2, 3)], uncased: Vec::new(), ..TermCounts::default() };
    let mut bytes = Vec::new();
    only_case.encode(&mut bytes);
    assert_eq!(TermCounts::decode(&bytes).unwrap().case, vec![(7, 2, 3)]);
    let gap = bytes.len() - 4;
    assert_eq!(bytes[gap], 0, "{bytes:?}");
    bytes[gap] = 1;
    assert!(TermCounts::decode(&bytes).is_none());
}

/// Progress that rewrites a file once the input has been read and cleaning
/// starts.
struct RewriteWhenCleaning {
    path: PathBuf,
    text: String,
}

impl Progress for RewriteWhenCleaning {
    fn start(&self, stage: Stage, _total: u64) {
        if stage == Stage::Clean {
            fs::write(&self.path, &self.text).unwrap();
        }
    }

    fn advance(&self, _n: u64) {}
}

#[test]
fn the_input_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.jsonl");
    let record = |id: &str, what: &str| {
        format!(r#"{{"id": "{id}", "text": "The council approved the new budget for the {what} on Tuesday."}}"#)
    };
    let original = [record("a", "river bridge"), record("b", "harbour wall")].join("\n");
    fs::write(&feed, &original).unwrap();
    let inputs = Inputs::resolve(std::slice::from_ref(&feed), &mut std::io::empty());
    let config = Config::default();
    // Rewritten (other ids, other text) after it was read: the run sees
    // what it read, whole.
    let rewrite =
        RewriteWhenCleaning { path: feed.clone(), text: [record("c", "school"), record("d", "park")].join("\n") };
    let outcome = stories(run_streaming(&inputs, Job::Cluster { keep_bodies: true }, &config, &rewrite).unwrap());
    assert_eq!(fs::read_to_string(&feed).unwrap(), rewrite.text);
    let ids: Vec<&str> = outcome.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert!(outcome.body(0).unwrap().contains("river bridge"));
    assert!(outcome.body(1).unwrap().contains("harbour wall"));
}

/// A page read by its tags alone is kept with a warning naming it, in the
/// in-memory runs as in a streaming one.
#[test]
fn the_in_memory_runs_keep_the_warnings_about_kept_articles() {
    let paragraph = "<p>The new dam on the river opened on Monday after nine years of building work by the state.</p>";
    let deep = format!("<html><body>{}{paragraph}</body></html>", "<div>".repeat(5_000));
    let docs = ingest::read_bytes(Path::new("deep.html"), deep.as_bytes()).docs;
    let shallow =
        ingest::read_bytes(Path::new("plain.html"), format!("<html><body>{paragraph}</body></html>").as_bytes()).docs;
    let config = Config::default();
    let outcome = run(docs.clone(), &config, &NoProgress);
    assert_eq!(outcome.articles.len(), 1, "the deep page is kept");
    let kinds: Vec<_> = outcome.warnings.iter().map(|p| (p.kind, p.origin.path.clone())).collect();
    assert_eq!(kinds, [(ingest::ProblemKind::TangledHtml, PathBuf::from("deep.html"))]);
    assert_eq!(dedup(docs, &config, &NoProgress).warnings.len(), 1);
    assert!(run(shallow, &config, &NoProgress).warnings.is_empty());
}

/// Generated articles as documents read from JSON Lines.
fn generated_docs(articles: usize, seed: u64) -> Vec<RawDoc> {
    let mut lines = Vec::new();
    generate::write_jsonl(generate::generate(&GenerateConfig { articles, seed, ..Default::default() }), &mut lines)
        .unwrap();
    ingest::read_records(Path::new("feed.jsonl"), &lines).docs
}

#[test]
fn a_run_with_the_frequencies_of_its_own_documents_is_the_plain_run() {
    let docs = generated_docs(1200, 11);
    let config = Config::default();
    let counted = doc_freq(docs.clone(), &config, &NoProgress);
    let plain = run(docs.clone(), &config, &NoProgress);
    assert_eq!(counted.n_articles, plain.articles.len());
    // One document per near-duplicate group: fewer than the articles.
    let group_of = near_duplicates(&plain.articles, &config, &NoProgress).group_of;
    let groups = group_of.iter().enumerate().filter(|&(i, &g)| g == i).count();
    assert!(groups < plain.articles.len());
    assert_eq!(counted.counter.n_docs() as usize, groups);
    let given = run_with_doc_freq(docs, &config, Some(&counted.counter.finish()), &NoProgress);
    assert!(plain.clustering.stories.iter().any(|s| s.members.len() > 2));
    assert_eq!(json(&given.clustering), json(&plain.clustering));
}

#[test]
fn frequencies_of_a_superset_weigh_the_part_as_the_superset_does() {
    let record = |id: usize, text: &str| {
        format!("{{\"id\": \"a{id}\", \"published\": \"2024-03-0{}\", \"text\": \"{text}\"}}\n", 1 + id % 5)
    };
    let mut part = String::new();
    for (id, text) in [
        "Floods in Kharkiv forced two thousand families from their homes on Monday, officials said.",
        "Rescue teams in Kharkiv worked through the night as the river rose above its banks.",
        "The mayor of Kharkiv asked for pumps and boats after the worst flooding in decades.",
    ]
    .iter()
    .enumerate()
    {
        part.push_str(&record(id, text));
    }
    let mut whole = part.clone();
    // Thirty other articles, each of words of its own (not near-duplicates).
    let word = |n: usize| -> String {
        [n % 7, n / 7 % 7, n / 49 % 7].iter().map(|&k| ["ba", "de", "ki", "lo", "mu", "ne", "ro"][k]).collect()
    };
    for k in 0..30 {
        let words: Vec<String> = (0..12).map(|j| word(k * 12 + j)).collect();
        whole.push_str(&record(3 + k, &format!("The {} said on Friday.", words.join(" "))));
    }
    let config = Config::default();
    let read = |lines: &str| ingest::read_records(Path::new("feed.jsonl"), lines.as_bytes()).docs;
    let own = doc_freq(read(&part), &config, &NoProgress).counter.finish();
    let superset = doc_freq(read(&whole), &config, &NoProgress).counter.finish();
    assert_eq!((own.n_docs(), superset.n_docs()), (3, 33));

    let articles = clean_sorted(read(&part), &config, &NoProgress).articles;
    let kharkiv = represent::term_words(&articles[0])
        .into_iter()
        .find(|(_, word)| word == "Kharkiv")
        .map(|(term, _)| term)
        .expect("Kharkiv is a term");
    let english = represent::Language::ENGLISH;
    // In every document of the part, rare in the superset:
    // ln(1 + (N - df + 0.5) / (df + 0.5)).
    assert!((own.idf(kharkiv, english) - (1.0f32 + 0.5 / 3.5).ln()).abs() < 1e-6);
    assert!((superset.idf(kharkiv, english) - (1.0f32 + 30.5 / 3.5).ln()).abs() < 1e-6);

    let group_of: Vec<usize> = (0..articles.len()).collect();
    let plain = story_vectors(&articles, &group_of, None, &config, &NoProgress);
    let given = story_vectors(&articles, &group_of, Some(&superset), &config, &NoProgress);
    let weight = |v: &StoryVector| v.terms.iter().find(|&&(t, _)| t == kharkiv).map_or(0.0, |&(_, w)| w);
    for (i, article) in articles.iter().enumerate() {
        let counts = represent::count_terms(article, &config.represent);
        assert_eq!(given[i], represent::weigh(&counts, &superset, &config.represent));
        assert_eq!(plain[i], represent::weigh(&counts, &own, &config.represent));
        // The shared name weighs more once the part is seen among the rest.
        assert!(weight(&given[i]) > 2.0 * weight(&plain[i]), "{} {}", weight(&given[i]), weight(&plain[i]));
    }
}

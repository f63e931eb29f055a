//! Tests of the story diff: crafted stories (paraphrase, reordering, an added
//! paragraph, spelling variants, near-duplicate edits, quotes and numbers),
//! the seed pair, a calibration of the default threshold, the work of the
//! alignment on a large story, sentence splitting and stemming, and a
//! property test on random bodies. The fact scan has its own tests in
//! `entities/tests.rs`.

use super::*;
use crate::article::Origin;

fn art(id: &str, body: &str) -> Article {
    Article {
        id: id.to_string(),
        source: format!("{id} outlet"),
        title: String::new(),
        url: String::new(),
        published: None,
        body: body.to_string(),
        origin: Origin::file(format!("{id}.txt")),
        extra: Default::default(),
    }
}

fn diff(articles: &[Article]) -> StoryDiff {
    let refs: Vec<&Article> = articles.iter().collect();
    story_diff(&refs, &[], &DiffConfig::default())
}

fn seed(name: &str) -> String {
    let path = format!("{}/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The article paragraphs of seed 000 (page chrome around them left out).
fn seed_000_body() -> String {
    let page = seed("000_78970f930e2b17a4.txt");
    let start = page.find("On Monday, the General Commander").expect("start of article");
    let end_marker = "lasting peace and stability.";
    let end = page.find(end_marker).expect("end of article") + end_marker.len();
    page[start..end].to_string()
}

fn seed_articles() -> Vec<Article> {
    vec![art("000", &seed_000_body()), art("003", &seed("003_2828a23e96756184.txt"))]
}

/// The sentences of a story and its corpus, built as [`story_diff`] builds them.
fn story_corpus(articles: &[Article]) -> (Vec<Vec<String>>, Corpus) {
    let sentences: Vec<Vec<String>> = articles.iter().map(|a| sentence::split(&a.body)).collect();
    let words: Vec<Vec<Vec<Word>>> =
        sentences.iter().map(|ss| ss.iter().map(|s| sentence::words(s)).collect()).collect();
    let caps = entities::mid_sentence_caps(&sentences, &words);
    let lowercase = entities::lowercase_words(&words);
    let scans: Vec<Scan> = (0..articles.len())
        .map(|i| entities::scan_article(&sentences[i], &words[i], &articles[i].body, &caps, 3))
        .collect();
    let variants = Variants::build(&scans, &lowercase, 0.9);
    let mut vocab = Vocab::default();
    let per_article = sentence_terms(&words, &variants, &mut vocab);
    (sentences, Corpus::new(per_article, vocab.len()))
}

/// (article, sentence, best cross-article score, partner sentence) for every sentence.
fn best_scores(articles: &[Article]) -> Vec<(usize, String, f32, String)> {
    let (sentences, corpus) = story_corpus(articles);
    let alignment = corpus.align(1.1);
    let (best, partner) = (&alignment.best, &alignment.partner);
    let flat: Vec<&String> = sentences.iter().flatten().collect();
    (0..corpus.len())
        .map(|g| (corpus.article[g], flat[g].clone(), best[g], partner[g].map_or(String::new(), |p| flat[p].clone())))
        .collect()
}

const QUAKE_A: &str = "A magnitude 6.4 earthquake struck southern Turkey on Tuesday, killing at least 38 people and injuring hundreds, officials said. The quake hit near the city of Malatya shortly after 4 a.m., when most residents were asleep.

Rescue teams pulled survivors from the rubble of collapsed apartment blocks throughout the day. Interior Minister Ali Yerlikaya said 120 buildings had been destroyed.

President Recep Tayyip Erdogan promised to rebuild every damaged home within a year.";

const QUAKE_B: &str = "At least 38 people were killed and hundreds injured when a 6.4-magnitude earthquake hit southern Turkey on Tuesday, authorities said.

The earthquake struck close to Malatya just after 4 a.m. while most people slept. Throughout the day, rescuers dragged survivors out of the rubble of apartment buildings that had collapsed.

Schools in the province will remain closed until next week, the education ministry announced.";

const QUAKE_C: &str = "Turkey sits on major fault lines and is frequently hit by earthquakes.

Officials said the death toll could rise as rescuers reach remote villages.

The government has been criticised for failing to enforce building codes.";

const BANK_A: &str = "The European Central Bank cut its deposit rate by a quarter point to 3.5% on Thursday, its second reduction this year. ECB President Christine Lagarde said inflation was moving towards the bank's 2% target but warned that wage growth remained strong.

Economists had widely expected the move after inflation slowed to 2.2% in August. The euro fell 0.3% against the dollar after the announcement.

Lagarde declined to say whether another cut would follow in October.";

const BANK_B: &str = "On Thursday the ECB lowered its deposit rate by 25 basis points to 3.5%, the second cut of the year.

Inflation is heading to the 2% target, President Christine Lagarde told reporters, though she cautioned that wages were still rising quickly.

Markets now expect one more rate cut before the end of the year, according to traders. German industrial output fell for a third month in July, data showed on Friday.";

/// The default threshold sits in the gap between the best-counterpart
/// scores of paraphrases and of sentences that only share the topic.
#[test]
fn diff_threshold_separates_paraphrase_from_topic() {
    let stories = [
        seed_articles(),
        vec![art("a", QUAKE_A), art("b", QUAKE_B), art("c", QUAKE_C)],
        vec![art("a", VARIANT_A), art("b", VARIANT_B)],
        vec![art("a", BANK_A), art("b", BANK_B)],
    ];
    let scores: Vec<(usize, String, f32, String)> = stories.iter().flat_map(|s| best_scores(s)).collect();
    let score = |prefix: &str| scores.iter().find(|(_, s, _, _)| s.starts_with(prefix)).map(|x| x.2).expect(prefix);
    let paraphrases = [
        "On Monday, the General Commander",
        "The US delegation was headed by",
        "A magnitude 6.4 earthquake",
        "Rescue teams pulled survivors",
        "Prime Minister Abdul Hamid Dbeibah met",
        "The European Central Bank cut",
        "ECB President Christine Lagarde",
        "Inflation is heading to the 2% target",
    ];
    let same_topic = [
        "The US delegation reaffirmed its commitment",
        "The discussions centered around",
        "Before the visit to Tripoli",
        "Dbeibah said the talks",
        "Turkey sits on major fault lines",
        "Markets now expect one more rate cut",
        "Lagarde declined to say",
    ];
    let low = paraphrases.iter().map(|p| score(p)).fold(f32::MAX, f32::min);
    let high = same_topic.iter().map(|p| score(p)).fold(f32::MIN, f32::max);
    let threshold = DiffConfig::default().shared_threshold;
    assert!(
        high + 0.05 <= threshold && threshold + 0.05 <= low,
        "topic ≤ {high}, threshold {threshold}, paraphrase ≥ {low}"
    );
}

fn point_with<'a>(d: &'a StoryDiff, needle: &str) -> Option<&'a SharedPoint> {
    d.shared.iter().find(|p| p.sources.iter().any(|s| s.sentence.contains(needle)))
}

fn ids_of(p: &SharedPoint) -> Vec<&str> {
    p.sources.iter().map(|s| s.id.as_str()).collect()
}

fn facts_text(a: &ArticleDiff) -> Vec<&str> {
    a.unique_facts.iter().map(|f| f.text.as_str()).collect()
}

#[test]
fn diff_paraphrase_is_shared_topic_is_not() {
    let arts = vec![art("a", QUAKE_A), art("b", QUAKE_B), art("c", QUAKE_C)];
    let d = diff(&arts);
    // Reworded sentences (different order of clauses, other verbs) are one point.
    let killed = point_with(&d, "killing at least 38 people").expect("casualty point");
    assert_eq!(ids_of(killed), vec!["a", "b"]);
    assert!(killed.sources[1].sentence.starts_with("At least 38 people were killed"));
    let rescue = point_with(&d, "Rescue teams pulled survivors").expect("rescue point");
    assert_eq!(ids_of(rescue), vec!["a", "b"]);
    assert!(rescue.sources[1].sentence.starts_with("Throughout the day, rescuers"));
    // Same topic, different point: not shared.
    assert!(point_with(&d, "fault lines").is_none());
    assert!(d.per_article[2].unique_sentences.iter().any(|s| s.contains("fault lines")));
    // What only one outlet says.
    let a = &d.per_article[0];
    assert!(a.unique_sentences.iter().any(|s| s.contains("Yerlikaya")));
    assert!(a.unique_sentences.iter().any(|s| s.contains("Erdogan promised")));
    assert!(!a.unique_sentences.iter().any(|s| s.contains("killing at least 38")));
    assert!(d.per_article[1].unique_sentences.iter().any(|s| s.contains("Schools in the province")));
    // Facts: the shared ones are not unique, one-source ones are.
    let fa = facts_text(a);
    assert!(fa.contains(&"Interior Minister Ali Yerlikaya"), "{fa:?}");
    assert!(fa.contains(&"120 buildings"), "{fa:?}");
    assert!(fa.contains(&"President Recep Tayyip Erdogan"), "{fa:?}");
    for shared in ["Malatya", "Turkey", "Tuesday", "38 people", "6.4"] {
        assert!(!fa.iter().any(|f| f.contains(shared)), "{shared} in {fa:?}");
    }
    // C reports neither point: both are omitted by C, none by A.
    assert!(d.per_article[2].omitted.iter().any(|s| s.contains("38 people")));
    assert!(d.per_article[2].omitted.iter().any(|s| s.contains("survivors")));
    assert!(d.per_article[0].omitted.is_empty());
}

#[test]
fn diff_reordering_creates_no_uniques() {
    let mut reversed: Vec<&str> = QUAKE_A.split("\n\n").collect();
    reversed.reverse();
    let arts = vec![art("a", QUAKE_A), art("b", &reversed.join("\n\n"))];
    let d = diff(&arts);
    for a in &d.per_article {
        assert!(a.unique_sentences.is_empty(), "{:?}", a.unique_sentences);
        assert!(a.unique_facts.is_empty(), "{:?}", a.unique_facts);
        assert!(a.omitted.is_empty());
    }
    assert_eq!(d.shared.len(), 5);
    assert!(d.shared.iter().all(|p| ids_of(p) == vec!["a", "b"]));
}

#[test]
fn diff_added_paragraph_is_unique() {
    let added = "The Disaster Management Authority said 2,300 aftershocks had been recorded near Elazig.";
    let arts = vec![art("a", QUAKE_A), art("b", &format!("{QUAKE_A}\n\n{added}"))];
    let d = diff(&arts);
    assert!(d.per_article[0].unique_sentences.is_empty());
    assert!(d.per_article[0].unique_facts.is_empty());
    assert_eq!(d.per_article[1].unique_sentences, vec![added.to_string()]);
    assert_eq!(
        d.per_article[1].unique_facts,
        vec![
            Fact { kind: FactKind::Organisation, text: "Disaster Management Authority".into() },
            Fact { kind: FactKind::Number, text: "2,300 aftershocks".into() },
            Fact { kind: FactKind::Place, text: "Elazig".into() },
        ]
    );
}

const VARIANT_A: &str = "Prime Minister Abdul Hamid Dbeibah met US Chargé d'Affaires Jeremy Berndt in Tripoli on Sunday to discuss oil revenue.

Dbeibah said the talks had focused on the distribution of oil revenue between the regions.";
const VARIANT_B: &str = "Abdul Hamid Dbaiba, head of the Tripoli-based government, received Jeremy Bernt on Sunday for talks on oil revenue.

Dbaiba later toured the port of Misrata with the central bank governor.";

#[test]
fn diff_spelling_variants_are_one_entity() {
    let d = diff(&[art("a", VARIANT_A), art("b", VARIANT_B)]);
    assert_eq!(d.entities.len(), 2, "{:?}", d.entities);
    let dbeibah =
        d.entities.iter().find(|e| e.canonical.contains("Dbeibah") || e.canonical.contains("Dbaiba")).expect("Dbeibah");
    assert_eq!(
        dbeibah.spellings,
        vec![("a".to_string(), "Dbeibah".to_string()), ("b".to_string(), "Dbaiba".to_string())]
    );
    assert_eq!(dbeibah.canonical, "Abdul Hamid Dbeibah");
    let berndt = d.entities.iter().find(|e| e.canonical.contains("Bern")).expect("Berndt");
    assert_eq!(berndt.spellings, vec![("a".to_string(), "Berndt".to_string()), ("b".to_string(), "Bernt".to_string())]);
    for ad in &d.per_article {
        for f in facts_text(ad) {
            assert!(!["Dbeibah", "Dbaiba", "Berndt", "Bernt"].iter().any(|n| f.contains(n)), "{f} unique to {}", ad.id);
        }
    }
    assert!(facts_text(&d.per_article[1]).contains(&"Misrata"));
    // The variant also aligns the sentences that use it.
    let met = point_with(&d, "received Jeremy Bernt").expect("meeting point");
    assert_eq!(ids_of(met), vec!["a", "b"]);
}

#[test]
fn title_case_headlines_give_no_spelling_variants() {
    // Title case capitalises every word, so "Grants" and "Giants", or
    // "Lawyer" and "Lower", are not names spelt two ways; written in prose,
    // where a capital marks a name, Berndt and Bernt are.
    let headlines = [
        art("a", "SXSW Grants Edward Snowden Immunity From Questions"),
        art("b", "Snowden Fans Cheer as Giants Lose Opening Game in Texas"),
        art("c", "Snowden Lawyer Says Client Will Stay in Moscow"),
        art("d", "Exports Send Stocks Lower as Snowden Story Fades"),
    ];
    let d = diff(&headlines);
    let variants: Vec<_> = d.entities.iter().filter(|e| e.spellings.len() > 1).map(|e| &e.spellings).collect();
    assert!(variants.is_empty(), "{variants:?}");
    let prose = [
        art("a", "Officials said Jeremy Berndt arrived in Tripoli on Sunday for talks."),
        art("b", "Jeremy Bernt, the envoy, met officials in Tripoli on Sunday."),
    ];
    let d = diff(&prose);
    let berndt = d.entities.iter().find(|e| e.canonical.contains("Bern")).expect("Berndt");
    assert_eq!(berndt.spellings, vec![("a".to_string(), "Berndt".to_string()), ("b".to_string(), "Bernt".to_string())]);
}

#[test]
fn diff_near_duplicate_copy_edits() {
    let orig = QUAKE_A;
    let copy = QUAKE_A.replace("killing at least 38 people", "killing at least 41 people")
        + "\n\nThe Disaster Management Authority said 2,300 aftershocks had been recorded.";
    let arts = [art("orig", orig), art("copy", &copy), art("other", QUAKE_B)];
    let refs: Vec<&Article> = arts.iter().collect();
    let d = story_diff(&refs, &[vec![0, 1]], &DiffConfig::default());
    assert_eq!(d.copies.len(), 1);
    let e = &d.copies[0];
    assert_eq!((e.original.as_str(), e.copy.as_str()), ("orig", "copy"));
    assert_eq!(
        e.added,
        vec!["The Disaster Management Authority said 2,300 aftershocks had been recorded.".to_string()]
    );
    assert!(e.removed.is_empty(), "{:?}", e.removed);
    assert_eq!(e.changed.len(), 1, "{:?}", e.changed);
    assert!(e.changed[0].0.contains("38 people") && e.changed[0].1.contains("41 people"));
    // The changed number is unique to the copy; the copies count as one
    // source, so "other" is not said to omit what only they report.
    assert!(facts_text(&d.per_article[1]).contains(&"41 people"));
    assert!(d.per_article[2].omitted.is_empty(), "{:?}", d.per_article[2].omitted);
    // An exact copy has no edits; a moved paragraph is removed and added.
    let mut paragraphs: Vec<&str> = QUAKE_A.split("\n\n").collect();
    paragraphs.rotate_left(1);
    let moved = paragraphs.join("\n\n");
    let arts = [art("orig", orig), art("same", orig), art("moved", &moved)];
    let refs: Vec<&Article> = arts.iter().collect();
    let d = story_diff(&refs, &[vec![0, 1, 2]], &DiffConfig::default());
    assert_eq!(d.copies.len(), 2);
    assert!(d.copies[0].added.is_empty() && d.copies[0].removed.is_empty() && d.copies[0].changed.is_empty());
    assert_eq!(d.copies[1].removed.len(), 2, "{:?}", d.copies[1]);
    assert_eq!(d.copies[1].removed, d.copies[1].added);
    assert!(d.copies[1].changed.is_empty());
}

#[test]
fn diff_seed_story() {
    let arts = seed_articles();
    let d = diff(&arts);
    let (s000, s003) = (&d.per_article[0], &d.per_article[1]);
    let mentions = |a: &ArticleDiff, needle: &str| {
        a.unique_sentences.iter().any(|s| s.contains(needle)) || a.unique_facts.iter().any(|f| f.text.contains(needle))
    };
    // 003 alone: the Tripoli meeting with Dbeibah, the oil fields, Al-Haddad.
    for needle in ["Tripoli", "Dbeibah", "oil fields", "Al-Haddad"] {
        assert!(mentions(s003, needle), "003 should report {needle}");
        assert!(!mentions(s000, needle), "000 does not report {needle}");
    }
    assert!(s003.unique_facts.contains(&Fact { kind: FactKind::Place, text: "Tripoli".into() }));
    assert!(s003.unique_facts.iter().any(|f| f.kind == FactKind::Name && f.text.ends_with("Mohammed Al-Haddad")));
    // 000 alone: Wallander's praise of the LNA and the elections roadmap.
    assert!(s000.unique_sentences.iter().any(|s| s.starts_with("Wallander commended")));
    assert!(s000.unique_sentences.iter().any(|s| s.contains("roadmap")));
    assert!(!mentions(s003, "roadmap"));
    // The delegation is shared: its sentences form one point, its members
    // are facts of neither.
    let delegation = point_with(&d, "Celeste").expect("delegation point");
    assert_eq!(ids_of(delegation), vec!["000", "003"]);
    for name in ["Wallander", "Brennan", "Berndt"] {
        for a in [s000, s003] {
            assert!(!a.unique_facts.iter().any(|f| f.text.contains(name)), "{name} unique to {}", a.id);
            assert!(!a.unique_sentences.iter().any(|s| s.contains(name) && !s.starts_with("Wallander commended")));
        }
    }
    // Facts only 000 has; and the acronyms that 003 spells out are not unique.
    let f000 = facts_text(s000);
    for f in ["Monday", "2011", "Muammar Gaddafi", "Libyan National Army"] {
        assert!(f000.contains(&f), "{f} in {f000:?}");
    }
    assert!(!facts_text(s003).iter().any(|f| f.contains("Africa Command") || *f == "United States"));
    // Brennan and Berndt are different names.
    assert!(d.entities.iter().all(|e| !(e.canonical.contains("Brennan") || e.canonical.contains("Berndt"))));
}

#[test]
fn diff_serialises_and_handles_empty_input() {
    let d = story_diff(&[], &[], &DiffConfig::default());
    assert_eq!(d, StoryDiff::default());
    let arts = [art("a", ""), art("b", "Short.")];
    let d = diff(&arts);
    assert_eq!(d.per_article.len(), 2);
    assert!(d.shared.is_empty());
    // Out-of-range and one-member groups are ignored.
    let refs: Vec<&Article> = arts.iter().collect();
    let d = story_diff(&refs, &[vec![0], vec![0, 7]], &DiffConfig::default());
    assert!(d.copies.is_empty());
    let json = serde_json::to_string(&diff(&seed_articles())).expect("serialises");
    assert!(json.contains("\"unique_facts\"") && json.contains("\"kind\":\"place\""));
}

/// A deterministic story of 50 articles × 40 sentences: about 60% of each
/// article are reworded versions of 150 common points (two words dropped,
/// two replaced), the rest its own sentences; words are drawn from a skewed
/// vocabulary with capitalised names among them.
fn synthetic_story() -> Vec<Article> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let letters = |mut i: usize| {
        let mut w = String::new();
        loop {
            w.push((b'a' + (i % 26) as u8) as char);
            i /= 26;
            if i == 0 {
                return w;
            }
        }
    };
    let vocab: Vec<String> = (0..4000)
        .map(|i| if i % 40 == 0 { format!("Na{}", letters(i)) } else { format!("wo{}", letters(i)) })
        .collect();
    let word = |next: &mut dyn FnMut(u64) -> u64| vocab[(next(4000) * next(4000) / 4000) as usize].clone();
    let sentence = |next: &mut dyn FnMut(u64) -> u64| -> Vec<String> { (0..20).map(|_| word(next)).collect() };
    let points: Vec<Vec<String>> = (0..150).map(|_| sentence(&mut next)).collect();
    (0..50)
        .map(|a| {
            let body: Vec<String> = (0..40)
                .map(|_| {
                    let mut s = if next(10) < 6 {
                        let mut s = points[next(150) as usize].clone();
                        for _ in 0..2 {
                            s.remove(next(s.len() as u64) as usize);
                            let at = next(s.len() as u64) as usize;
                            s[at] = format!("ot{}", letters(next(100_000) as usize));
                        }
                        s
                    } else {
                        sentence(&mut next)
                    };
                    s[0] = format!("In {} {}", 1900 + next(200), s[0]);
                    format!("{}.", s.join(" "))
                })
                .collect();
            art(&format!("a{a}"), &body.join(" "))
        })
        .collect()
}

/// The alignment scores each candidate pair once and no other pair: on a
/// story of 50 articles × 40 sentences, the pairs scored are exactly the
/// cross-article pairs of alignable sentences with two common terms
/// (counted here by brute force), under a tenth of all pairs (3% here).
#[test]
fn diff_large_story_scores_only_candidate_pairs() {
    let arts = synthetic_story();
    let (_, corpus) = story_corpus(&arts);
    let alignment = corpus.align(DiffConfig::default().shared_threshold);
    let n_sentences = corpus.len();
    let (mut cross_pairs, mut candidates) = (0usize, 0usize);
    for a in 0..n_sentences {
        for b in a + 1..n_sentences {
            if corpus.article[a] == corpus.article[b] || !corpus.alignable(a) || !corpus.alignable(b) {
                continue;
            }
            cross_pairs += 1;
            let common = corpus.terms[a].iter().filter(|t| corpus.terms[b].binary_search(t).is_ok()).count();
            if common >= similarity::MIN_TERMS {
                candidates += 1;
            }
        }
    }
    assert_eq!(alignment.scored_pairs, candidates);
    assert!(candidates * 10 < cross_pairs, "{candidates} candidates of {cross_pairs} pairs");
    let d = diff(&arts);
    assert_eq!(d.per_article.len(), 50);
    assert!(!d.shared.is_empty());
}

/// Two articles of `n` sentences, the second a copy of the first with every
/// 50th sentence replaced (`scripts/long_articles.py` in small): each name,
/// place and word recurs in hundreds of sentences, as in a long text; half
/// the sentences have a number of their own, the others only such words.
fn long_pair(n: usize) -> Vec<Article> {
    const FIRST: &[&str] = &["Ahmed", "Maria", "John", "Olga", "Pierre", "Fatima", "Yusuf", "Elena", "Omar", "Sarah"];
    const LAST: &[&str] = &["Haddad", "Novak", "Brennan", "Okafor", "Silva", "Kowalski", "Tanaka", "Moreau", "Rossi"];
    const PLACES: &[&str] = &["Tripoli", "Ankara", "Geneva", "Nairobi", "Cairo", "Tunis", "Berlin", "Lisbon", "Athens"];
    const VERBS: &[&str] = &["announced", "approved", "rejected", "discussed", "signed", "welcomed", "postponed"];
    const NOUNS: &[&str] = &["agreement", "budget", "ceasefire", "election", "reform", "treaty", "summit", "pipeline"];
    let mut rng = crate::generate::rng::Rng::new(0x2545_F491_4F6C_DD1D);
    let mut next = move |k: usize| rng.below(k);
    let mut sentence = || {
        let pick = |list: &[&'static str], i: usize| list[i % list.len()];
        let person = format!("{} {}", pick(FIRST, next(97)), pick(LAST, next(89)));
        let (verb, noun, place) = (pick(VERBS, next(83)), pick(NOUNS, next(79)), pick(PLACES, next(73)));
        let other = format!("{} {}", pick(FIRST, next(71)), pick(LAST, next(67)));
        match next(2) {
            0 => format!("{person} {verb} the {noun} in {place} with {other}."),
            _ => format!("{person} {verb} a {noun} worth {} dollars in {place}.", next(1_000_000)),
        }
    };
    let first: Vec<String> = (0..n).map(|_| sentence()).collect();
    let second: Vec<String> =
        first.iter().enumerate().map(|(i, s)| if i % 50 == 49 { sentence() } else { s.clone() }).collect();
    let body = |sentences: &[String]| sentences.chunks(5).map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n");
    vec![art("a", &body(&first)), art("b", &body(&second))]
}

/// The alignment of a long pair: its work grows linearly with the length
/// (twice the sentences, at most 2.2 times the pairs scored), stays under
/// the stated bound (per sentence, the proposal cap per term plus the cap),
/// and every sentence the copy kept is still found shared.
#[test]
fn diff_alignment_of_long_articles_is_linear() {
    let threshold = DiffConfig::default().shared_threshold;
    let mut scored = Vec::new();
    for n in [2_000, 4_000] {
        let (_, corpus) = story_corpus(&long_pair(n));
        assert_eq!(corpus.len(), 2 * n);
        let alignment = corpus.align(threshold);
        let cap = corpus.proposal_cap();
        let bound: usize = corpus.terms.iter().map(|t| (t.len() + 1) * cap).sum();
        assert!(alignment.scored_pairs <= bound, "{} pairs scored, bound {bound}", alignment.scored_pairs);
        for i in (0..n).filter(|i| i % 50 != 49) {
            assert!(alignment.best[i] >= threshold, "sentence {i} of a is not found in b");
        }
        scored.push(alignment.scored_pairs);
    }
    assert!(scored[1] * 10 <= scored[0] * 22, "pairs scored: {scored:?}");
}

/// Copies too long for one exact alignment are cut at their unique
/// identical sentences: the result is the exact one, and the tables filled
/// are linear in the length instead of its square.
#[test]
fn diff_copy_edits_of_long_articles_are_cut_at_anchors() {
    let threshold = DiffConfig::default().copy_threshold;
    let arts = long_pair(1_100);
    let (sentences, corpus) = story_corpus(&arts);
    const { assert!(1_100 * 1_100 > copies::EXACT_CELLS) };
    let (exact, exact_cells) = copies::align_counted(&corpus, &sentences, 0, 1, threshold, true);
    let (cut, cut_cells) = copies::align_counted(&corpus, &sentences, 0, 1, threshold, false);
    assert_eq!(cut, exact);
    assert_eq!(exact_cells, 1_100 * 1_100);
    assert!(cut_cells <= 1_100, "{cut_cells} cells");
    // Through story_diff: one change per 50 sentences, nothing else.
    let refs: Vec<&Article> = arts.iter().collect();
    let d = story_diff(&refs, &[vec![0, 1]], &DiffConfig::default());
    let e = &d.copies[0];
    assert_eq!(e.changed.len() + e.removed.len(), 22, "{e:?}");
    assert_eq!(e.removed.len(), e.added.len());
}

/// An article longer than `max_sentences` is compared in part, with one
/// warning that names it; the others are compared whole, without warning.
#[test]
fn diff_long_article_is_compared_in_part_with_a_warning() {
    let arts = long_pair(80);
    let short = art("c", &long_pair(30)[0].body);
    let refs = [&arts[0], &short];
    let config = DiffConfig { max_sentences: 50, ..DiffConfig::default() };
    let d = story_diff(&refs, &[], &config);
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    let warning = &d.warnings[0];
    assert_eq!((warning.kind, warning.severity), (crate::ingest::ProblemKind::LongArticle, Severity::Warning));
    assert_eq!(warning.origin, arts[0].origin);
    assert!(warning.to_string().contains("article a: 80 sentences, only the first 50"), "{warning}");
    let sentences = sentence::split(&arts[0].body);
    let compared: HashSet<&str> = sentences[..50].iter().map(String::as_str).collect();
    assert!(d.per_article[0].unique_sentences.iter().all(|s| compared.contains(s.as_str())));
    assert!(!d.per_article[0].unique_sentences.is_empty());
    assert!(story_diff(&refs, &[], &DiffConfig::default()).warnings.is_empty());
}

#[test]
fn diff_quotes_numbers_and_dates_match_by_content() {
    let a = "\u{201C}We will not allow the oil fields to be closed again,\u{201D} Dbeibah told the cabinet on September 23. \
The fund holds 1.5 million barrels and five tankers.

\"Elections must happen this year,\" said Stephanie Khoury, the UN deputy envoy.";
    let b = "Dbeibah told ministers that the government would not allow the oil fields to be closed again. \
About 1,500,000 barrels are stored, with 5 tankers waiting.

On 23 September, officials also said \"the port will reopen within days\".";
    let d = diff(&[art("a", a), art("b", b)]);
    let (fa, fb) = (&d.per_article[0].unique_facts, &d.per_article[1].unique_facts);
    // The first quote is reported (unquoted) by b; the second is not.
    assert!(!fa.iter().any(|f| f.kind == FactKind::Quote && f.text.contains("oil fields")), "{fa:?}");
    assert!(fa.contains(&Fact { kind: FactKind::Quote, text: "Elections must happen this year".into() }), "{fa:?}");
    assert!(fb.contains(&Fact { kind: FactKind::Quote, text: "the port will reopen within days".into() }), "{fb:?}");
    // Numbers by value, dates by month and day.
    for f in fa.iter().chain(fb) {
        assert!(!matches!(f.kind, FactKind::Number | FactKind::Date), "{f:?}");
    }
    assert!(fa.iter().any(|f| f.text == "Stephanie Khoury"), "{fa:?}");
}

// Sentence splitting and stemming.

#[test]
fn diff_lists_sorted() {
    assert!(sentence::TITLES.windows(2).all(|w| w[0] < w[1]));
    assert!(sentence::MAYBE_ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]));
    assert!(sentence::EXTRA_STOPWORDS.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn diff_merges_abbreviation_fragments() {
    let s = sentence::split(
        "A delegation led by Celeste A. Wallander met Lt. Gen. John Brennan in the U.S. Army base. The U.S. It rained.\n\nNext paragraph.",
    );
    assert_eq!(
        s,
        vec![
            "A delegation led by Celeste A. Wallander met Lt. Gen. John Brennan in the U.S. Army base.",
            "The U.S.",
            "It rained.",
            "Next paragraph."
        ]
    );
}

#[test]
fn diff_does_not_merge_across_lines() {
    let s = sentence::split("He met Gen.\nThe talks ended.");
    assert_eq!(s, vec!["He met Gen.", "The talks ended."]);
}

#[test]
fn diff_stems_inflections_together() {
    for group in [
        &["elections", "election", "elected"][..],
        &["discussions", "discussed", "discusses", "discuss"],
        &["cooperation", "cooperate"],
        &["developments", "developing", "developed", "development"],
        &["commitment", "committed", "commit"],
        &["countries", "country"],
        &["measures", "measured", "measure"],
    ] {
        let stems: Vec<String> = group.iter().map(|w| sentence::stem(w)).collect();
        assert!(stems.windows(2).all(|p| p[0] == p[1]), "{group:?} -> {stems:?}");
    }
    assert_eq!(sentence::stem("region"), "region");
    assert_eq!(sentence::stem("bring"), "bring");
    assert_eq!(sentence::stem("2011"), "2011");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn body() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            "[a-z]{1,9}",
            "[A-Z][a-z]{0,8}",
            "[A-Z]{2,4}",
            "[0-9]{1,4}([.,][0-9]{1,3})?",
            Just("Lt.".to_string()),
            Just("U.S.".to_string()),
            Just("A.".to_string()),
            Just("al-Haddad".to_string()),
            Just("d\u{2019}Affaires".to_string()),
            Just("\"".to_string()),
            Just("\u{201C}".to_string()),
            Just("\u{201D}".to_string()),
            Just("-".to_string()),
            Just("%".to_string()),
            Just("$".to_string()),
            Just("Chargé".to_string()),
            Just("September".to_string()),
            Just("Monday".to_string()),
        ];
        let sep =
            prop_oneof![Just(" "), Just(" "), Just(" "), Just(", "), Just(". "), Just("\n"), Just("\n\n"), Just("")];
        prop::collection::vec((token, sep), 0..60).prop_map(|parts| parts.into_iter().map(|(t, s)| t + s).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn diff_never_panics_and_is_consistent(bodies in prop::collection::vec(body(), 1..5)) {
            let arts: Vec<Article> = bodies.iter().enumerate().map(|(i, b)| art(&format!("p{i}"), b)).collect();
            let refs: Vec<&Article> = arts.iter().collect();
            let d = story_diff(&refs, &[vec![0, refs.len() - 1]], &DiffConfig::default());
            prop_assert_eq!(d.per_article.len(), arts.len());
            for p in &d.shared {
                let mut ids: Vec<&str> = p.sources.iter().map(|s| s.id.as_str()).collect();
                ids.dedup();
                prop_assert!(ids.len() >= 2);
            }
            // A shared sentence is never also unique.
            for (a, ad) in arts.iter().zip(&d.per_article) {
                for s in &ad.unique_sentences {
                    prop_assert!(!d.shared.iter().any(|p| p.sources.iter().any(|x| x.id == a.id && &x.sentence == s)));
                }
            }
        }
    }
}

//! Per-story differences between outlets: what every source says, what only
//! one says, how they spell names, and how near-duplicate copies were edited.
//!
//! # What this module owns
//!
//! Given the articles of one story (chosen by `cluster`) and the
//! near-duplicate groups inside it, [`story_diff`] produces a [`StoryDiff`]:
//!
//! * **sentence alignment** across articles: [`SharedPoint`]s, sentences that
//!   two or more articles say (in their own words);
//! * per article ([`ArticleDiff`]): the sentences no other member says, the
//!   **facts** (names, places, organisations, numbers, dates, quotes) no other
//!   member contains, and the shared points most others report but it omits;
//! * **name variants** ([`EntityVariants`]): one name spelled differently
//!   across (or within) articles, "Dbeibah"/"Dbaiba", "Berndt"/"Bernt";
//! * **edits between near-duplicate copies** ([`CopyEdits`]): sentences added,
//!   removed and changed in each copy against the group's first member.
//!
//! It must not do I/O or print, must not decide what belongs to a story
//! (it trusts the articles and duplicate groups it is given) and never sees
//! HTML: it reads [`Article::body`], plain paragraphs separated by blank lines.
//! Its output types are `serde::Serialize` for the JSON report.
//!
//! | file | responsibility |
//! |---|---|
//! | `mod.rs` | the output types, [`DiffConfig`], [`story_diff`] (the steps in order), sentence terms, unique sentences and omissions |
//! | `sentence.rs` | sentence splitting with abbreviations repaired, words, the light stemmer |
//! | `similarity.rs` | term ids, the story's sentence corpus with idf weights, sentence scores and the cross-article alignment |
//! | `points.rs` | shared points: aligned sentences grouped one per article, and their representative |
//! | `entities/` | the fact scan (dates, numbers, names, quotes), name spelling variants, name presence |
//! | `facts.rs` | which facts of an article no other member contains; the spellings per name |
//! | `copies.rs` | edits between near-duplicate copies |
//! | `tests.rs` | tests of the whole diff on crafted stories, the seeds and random bodies |
//!
//! # Method
//!
//! **Sentences.** [`crate::text::sentences`] splits each body; a fragment
//! that ends with a short capitalised abbreviation ("Lt.", "Gen.", "Mr.",
//! an initial "A.", a dotted "U.S.") is merged into the next fragment of the
//! same paragraph. Titles always merge; initials and dotted acronyms merge
//! only when the next fragment starts with a capitalised word that is not a
//! function word, so "…in the U.S. The talks…" stays two sentences.
//!
//! **Terms.** A sentence's terms are its words normalised by
//! [`crate::text::normalize_word`] (dots dropped, "U.S." = "US"), without
//! [`crate::text::is_stopword`] words and a few more function and reporting
//! words ("though", "according", "told", "reporters"), mapped through the
//! story's name-variant table (so "Dbaiba" counts as "Dbeibah", "Libyan" as
//! "Libya", "American" as "US"), then lightly stemmed: plural
//! `-s`/`-es`/`-ies`, one of `-ment`/`-ion`/`-ing`/`-ed`/`-ly`, a final `-e`
//! and a doubled consonant ("elections" = "elected", "cooperation" =
//! "cooperate", "wages" = "wage"). Terms are interned to ids; a sentence is a
//! sorted set of ids.
//!
//! **Similarity.** Terms are weighted by inverse sentence frequency over the
//! story's own sentences, `idf = ln((N + 10) / df)`: the story's topic words
//! ("Libya", "delegation", "security") occur in many sentences and weigh
//! little, the details two outlets share weigh much. (The 10 pseudo-sentences
//! keep a term found in two sentences, as every shared detail is, from
//! weighing barely half a term found in one when a story has only a handful
//! of sentences.) The score of two sentences is the idf weight of their
//! common terms divided by `lo^0.75 · hi^0.25`, `lo`/`hi` being the
//! smaller/larger idf mass of the two: between the overlap coefficient
//! (`lo`: a paraphrase may drop or add a clause, and a short sentence may
//! match the long sentence in which another outlet merged it with more) and
//! the weighted cosine (`√(lo·hi)`, which punishes such length differences
//! and so misses the seed's delegation sentence, one outlet's subordinate
//! clause of a much longer sentence). Pairs sharing fewer than two terms
//! score 0, and sentences with fewer than two terms ("He agreed.") are
//! neither shared nor unique. A sentence is *shared* when its best
//! counterpart in another article scores at least
//! [`DiffConfig::shared_threshold`], default 0.45: on the test stories
//! (the seed pair, an earthquake, a rate cut, a meeting) paraphrases of one
//! point score 0.53 to 0.85 and sentences that share only the topic ("the
//! delegation reaffirmed its commitment to stability" against "the parties
//! reaffirmed their commitment to security cooperation") 0.37 at most; the
//! test `diff_threshold_separates_paraphrase_from_topic` keeps the default
//! at least 0.05 from both. Candidates come from an inverted index term →
//! sentences, so only pairs with a common term are scored, with dense
//! accumulators instead of per-pair set intersections. A term in more than
//! 256 sentences of the story (32 per article in a story of more than 8
//! articles) proposes no pair by itself, but counts in the score of a pair
//! a rarer term proposes; a sentence made only of such terms meets the
//! sentences with exactly its terms. No story of the dev sets or of the
//! generated corpus has such a term; a long text repeating its words would
//! otherwise make every pair of its sentences a candidate.
//!
//! **Shared points.** Cross-article pairs at or above the threshold are
//! joined greedily, best first, into groups holding at most one sentence per
//! article; a shared sentence left alone (its best counterpart's group
//! already has a sentence of its article, as when one outlet splits what
//! another says in one sentence) joins its best counterpart's group. The
//! representative text of a point is the member with the highest summed
//! score to the others. An article *omits* a point when at least two other
//! sources, and more than [`DiffConfig::omitted_share`] of them, report it;
//! the members of a near-duplicate group count as one source.
//!
//! **Facts.** Capitalised word sequences are names. A sequence may span
//! "of"/"for" between capitals ("Government of National Unity"), name
//! particles ("Al-Haddad", "bin Zayed"), hyphens, and the full stop after an
//! initial or a title ("Lt. Gen. John Brennan", "Celeste A. Wallander"); a
//! possessive ends it. The first word of a sentence or quotation counts only
//! if the same word is capitalised mid-sentence elsewhere in the story
//! ("Wallander commended…"), is an acronym, or opens a run of capitals
//! without being a sentence adverb ("Interior Minister Ali Yerlikaya said",
//! but not "Meanwhile Haftar"). Names made only of titles ("Prime
//! Minister") are roles, not facts. Names are organisations when they
//! contain an institution word ("Army", "Embassy") or are acronyms, places
//! when some mention of them follows "in", "from", "near"… (or "visit
//! to"), otherwise names. Numbers keep a currency sign, a scale word, a
//! percent sign or the next lower-case word ("313,000 refugees", "6+6
//! committee"; years stand alone); dates are "September 23[, 2024]", "23
//! September", a month and year, a month, or a weekday. Quotes are text
//! between straight or curly double quotes, three words or more.
//!
//! **Presence.** A fact is unique to an article when no other member
//! contains it. Names compare by canonical word sets (particles, initials
//! and abbreviated titles dropped, variants canonicalised): a name is present
//! when another mention's words contain all of its words, or are contained
//! in them and include its head (last) word ("John W. Brennan" for "Lt.
//! Gen. John Brennan", "Haftar" for "Khalifa Haftar"; for an institution
//! head only titles may be missing, so "Libyan Army" is not "Libyan
//! National Army"); when one is an acronym of the other, by initials or
//! syllables, also inside a longer mention ("LNA", "GNU", "AFRICOM" in
//! "Deputy Commander of AFRICOM"); or, for names of two words or more, when
//! another article has all their words in one sentence in lower case.
//! Numbers compare by value ("1.5 million" = "1,500,000"; spelled-out
//! numbers up to fifty count), dates by month and day (else month and year,
//! month, weekday), quotes by whether two consecutive sentences of another
//! article contain 70% of their terms, quoted or not. Unique mentions of
//! one thing in one article are reported once, by the longest.
//!
//! **Name variants.** Distinct name words (four letters or more) of the
//! story are clustered: derivations ("Libya"/"Libyan", "Sudan"/"Sudanese",
//! "Iraq"/"Iraqi") always, and spellings when both words are never seen in
//! lower case in the story, are not title or institution words
//! ("Minister"/"Ministry", "Nations"/"National"), start with the same letter
//! class (vowels; c/k/q/g; b/p; d/t; f/v; s/z; j/y), differ in length by at
//! most two, and either have Jaro-Winkler ≥ [`DiffConfig::name_similarity`]
//! (0.9) with one edit (two from eight letters: "Berndt"/"Bernt",
//! "Mohammed"/"Mohamed"), or share their consonant skeleton (vowels, h, w, y
//! dropped, letter classes merged: "Dbeibah"/"Dbaiba" → "db",
//! "Gaddafi"/"Qadhafi" → "kdf", "Haftar"/"Hifter" → "hftr") with
//! Jaro-Winkler ≥ 0.75. A cluster is reported when it holds two spellings
//! that are not derivations of each other; its canonical form is the most
//! used spelling (the first seen on a tie), shown in the shortest full name
//! that uses it, titles removed.
//!
//! **Copies.** Each copy of a near-duplicate group is aligned with the
//! group's first member by a longest common subsequence over sentences in
//! which a pair is worth its similarity (identical wording more): pairs with
//! different words are *changed*, unpaired sentences *added* or *removed*.
//! Pairing needs [`DiffConfig::copy_threshold`] (0.5). Copies whose
//! sentence counts multiply to more than 2²⁰ are first cut, as patience
//! diff cuts files, at the sentences found once in each with identical
//! words, in order; the blocks between them are aligned the same way.
//!
//! **Cost.** Linear passes over the words plus the inverted-index scoring,
//! which scores only the cross-article pairs of sentences with two common
//! terms, each once; a story of 50 articles × 40 sentences takes a few
//! tens of milliseconds optimised. For one article, each step is near
//! linear in its length: the scoring (the cap on proposing terms), the copy
//! edits (cut before the quadratic table), name spellings (only words that
//! share a key are compared, `entities/variants.rs`), the grouping of
//! unique names (only mentions that share a word). The placing of quotes
//! and the search of a name's words in another article's sentences are
//! not: they are bounded by the last limit, [`DiffConfig::max_sentences`]
//! (2,000; the dev sets' longest article has 215): a longer article has
//! only its first 2,000 sentences compared, with a warning naming it
//! ([`StoryDiff::warnings`]). Two copies of 30,000 sentences (5.3 MB)
//! take under a second and 70 MB.
//!
//! # Limits
//!
//! * Alignment is lexical. A paraphrase that shares fewer than about half of
//!   its weighted content words ("the quake hit near Malatya when most
//!   residents were asleep" / "the earthquake struck close to Malatya while
//!   most people slept" scores 0.3), or that uses an acronym one outlet
//!   spells out ("ECB" / "European Central Bank" in sentences), is missed
//!   and both sentences come out unique; two sentences that say different
//!   things with the same rare words (a claim and its denial) come out
//!   shared.
//! * A sentence that merges points of two sentences of another outlet is
//!   matched to the better one only; if neither reaches the threshold
//!   alone, it is unique although every part of it is reported.
//! * Idf over one story is noisy for stories of two or three short articles.
//! * Names: capitalisation is the only signal, so names in lower-case text,
//!   headline-style capitalisation, or a name that only ever opens sentences
//!   followed by a lower-case word are missed; names joined by "and" are
//!   split; place versus person rests on prepositions ("talks with Tripoli"
//!   gives a name). Name matching is by word sets: two people who share a
//!   surname in one story are taken as one, a title is lost when another
//!   outlet names the person without it, and a name whose words are spelled
//!   differently in several places ("Mohammed Al-Haddad"/"Mohamed Hadad")
//!   gives one variant entry per differing word. Transliteration
//!   clustering can join genuinely different names with one skeleton
//!   ("Hassan"/"Hussein").
//! * Numbers compare by value only, not by what they count; dates do not
//!   resolve weekdays or "yesterday" to calendar dates.
//! * Copies: a sentence split in two shows as one changed and one added.
//!   Copies of over 1,024 sentences that share no sentence word for word
//!   in a stretch of more than 2²⁰ sentence pairs show that stretch as
//!   removed and added.
//! * An article of more than [`DiffConfig::max_sentences`] sentences is
//!   compared on its first ones only.

mod copies;
mod entities;
mod facts;
mod points;
mod sentence;
mod similarity;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::article::Article;
use crate::ingest::{Problem, ProblemKind, Severity};
use entities::{NameIndex, Scan, Variants};
use facts::StoryFacts;
use points::Point;
use sentence::Word;
use similarity::{Corpus, Vocab};

/// Thresholds of [`story_diff`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiffConfig {
    /// Minimum similarity (0..=1) of a sentence's best counterpart in another
    /// article for the sentence to be shared. Default 0.45: on the test
    /// stories paraphrases of one point score 0.53 and more, sentences that
    /// only share the topic 0.37 and less (see the module documentation).
    pub shared_threshold: f32,
    /// Minimum similarity for two sentences of near-duplicate copies to be
    /// one sentence edited ("changed") rather than one removed and one
    /// added. Default 0.5.
    pub copy_threshold: f32,
    /// Minimum Jaro-Winkler similarity of two name words that differ by one
    /// edit (two for long words) to be spellings of one name. Default 0.9.
    pub name_similarity: f32,
    /// A shared point counts as omitted by an article when more than this
    /// share of the other sources report it (near-duplicate copies count as
    /// one source). Default 0.5.
    pub omitted_share: f32,
    /// Minimum number of words of a quotation to be a quote fact. Default 3.
    pub min_quote_words: usize,
    /// The most sentences of one article that are compared: a longer
    /// article has only its first `max_sentences` compared, with a warning
    /// ([`StoryDiff::warnings`]). Default 2,000, about 50,000 words: the
    /// longest article in the dev sets has 215 sentences, a long magazine
    /// feature some 500. It bounds what one article costs the differences
    /// when the text is not news (a book, a log, a generated page).
    pub max_sentences: usize,
}

impl Default for DiffConfig {
    fn default() -> Self {
        DiffConfig {
            shared_threshold: 0.45,
            copy_threshold: 0.5,
            name_similarity: 0.9,
            omitted_share: 0.5,
            min_quote_words: 3,
            max_sentences: 2_000,
        }
    }
}

/// The differences between the articles of one story.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StoryDiff {
    /// Points said by two or more articles, most widely reported first.
    pub shared: Vec<SharedPoint>,
    /// One entry per input article, in input order.
    pub per_article: Vec<ArticleDiff>,
    /// Names spelled in two or more ways across the story.
    pub entities: Vec<EntityVariants>,
    /// For each near-duplicate group, the edits of each copy against the
    /// group's first member.
    pub copies: Vec<CopyEdits>,
    /// One warning per article compared only in part (longer than
    /// [`DiffConfig::max_sentences`]), naming it; not part of the report.
    #[serde(skip)]
    pub warnings: Vec<Problem>,
}

/// A point (a sentence, in each outlet's words) reported by two or more articles.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SharedPoint {
    /// The representative wording: the member sentence most similar to the others.
    pub text: String,
    /// The articles that say it, with their sentence, in input order.
    pub sources: Vec<PointSource>,
}

/// One article's sentence in a [`SharedPoint`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointSource {
    /// The article id.
    pub id: String,
    /// The article's sentence.
    pub sentence: String,
    /// Its similarity to the representative sentence (1 for the representative).
    pub score: f32,
}

/// What one article says that no other member of its story says, and what it leaves out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleDiff {
    /// The article id.
    pub id: String,
    /// Its sentences that no other article says, in article order.
    pub unique_sentences: Vec<String>,
    /// Names, organisations, places, numbers, dates and quotes present in
    /// this article and in no other member, in article order.
    pub unique_facts: Vec<Fact>,
    /// Representative texts of shared points that most other sources report
    /// and this article does not.
    pub omitted: Vec<String>,
}

/// A checkable item of an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What kind of item.
    pub kind: FactKind,
    /// The item as written in the article.
    pub text: String,
}

/// The kind of a [`Fact`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// A person or another name that is not recognisably a place or an organisation.
    Name,
    /// A place (named after "in", "from", "near", … somewhere in the story).
    Place,
    /// An organisation (an institution word such as "Army", or an acronym).
    Organisation,
    /// A number, with its scale and unit word when present.
    Number,
    /// A date or weekday.
    Date,
    /// A quotation.
    Quote,
}

/// One name with the spellings the story's articles use.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityVariants {
    /// The name in its most common spelling (a full name when one is used).
    pub canonical: String,
    /// (article id, spelling) pairs, in input order, each spelling once per article.
    pub spellings: Vec<(String, String)>,
}

/// Edits of one near-duplicate copy against the original of its group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CopyEdits {
    /// The id of the group's first member.
    pub original: String,
    /// The id of the copy.
    pub copy: String,
    /// Sentences of the copy that are not in the original.
    pub added: Vec<String>,
    /// Sentences of the original that are not in the copy.
    pub removed: Vec<String>,
    /// (original sentence, copy sentence) pairs that were reworded.
    pub changed: Vec<(String, String)>,
}

/// Term ids of every sentence, article by article (see the module
/// documentation), interning new terms; each distinct word is stemmed once.
fn sentence_terms(words: &[Vec<Vec<Word>>], variants: &Variants, vocab: &mut Vocab) -> Vec<Vec<Vec<u32>>> {
    let mut cache: HashMap<&str, Option<u32>> = HashMap::new();
    words
        .iter()
        .map(|sents| {
            sents
                .iter()
                .map(|ws| {
                    let mut out: Vec<u32> = ws
                        .iter()
                        .filter_map(|w| {
                            *cache.entry(w.norm.as_str()).or_insert_with(|| {
                                if w.norm.is_empty() || sentence::is_function_word(&w.norm) {
                                    None
                                } else {
                                    Some(vocab.id(sentence::stem(variants.canon(&w.norm))))
                                }
                            })
                        })
                        .collect();
                    out.sort_unstable();
                    out.dedup();
                    out
                })
                .collect()
        })
        .collect()
}

/// Compares the articles of one story.
///
/// `dup_groups` are near-duplicate groups as positions into `articles`
/// (groups of two or more; positions out of range and smaller groups are
/// ignored); they only produce [`StoryDiff::copies`] and make copies count
/// as one source for [`ArticleDiff::omitted`]. Deterministic: the output
/// depends only on the inputs and their order.
pub fn story_diff(articles: &[&Article], dup_groups: &[Vec<usize>], config: &DiffConfig) -> StoryDiff {
    let n_articles = articles.len();
    let mut warnings = Vec::new();
    let mut bodies: Vec<&str> = Vec::with_capacity(n_articles);
    let mut sentences: Vec<Vec<String>> = Vec::with_capacity(n_articles);
    for article in articles {
        let (first, end, n_sentences) = sentence::split_first(&article.body, config.max_sentences);
        if n_sentences > first.len() {
            warnings.push(long_article(article, n_sentences, first.len()));
            bodies.push(&article.body[..end]);
        } else {
            bodies.push(&article.body);
        }
        sentences.push(first);
    }
    let words: Vec<Vec<Vec<Word>>> =
        sentences.iter().map(|ss| ss.iter().map(|s| sentence::words(s)).collect()).collect();

    // Facts first: the name variants they yield also make terms equal.
    let caps = entities::mid_sentence_caps(&sentences, &words);
    let lowercase = entities::lowercase_words(&words);
    let mut scans: Vec<Scan> = (0..n_articles)
        .map(|i| entities::scan_article(&sentences[i], &words[i], bodies[i], &caps, config.min_quote_words))
        .collect();
    let variants = Variants::build(&scans, &lowercase, config.name_similarity);
    let names = NameIndex::build(&mut scans, &variants);

    // Then the sentence alignment and its shared points.
    let mut vocab = Vocab::default();
    let per_article = sentence_terms(&words, &variants, &mut vocab);
    let corpus = Corpus::new(per_article, vocab.len());
    let alignment = corpus.align(config.shared_threshold);
    let points = points::shared_points(&corpus, &alignment, config.shared_threshold);

    let story = AlignedStory { articles, sentences: &sentences, corpus: &corpus };
    let copy_groups = copy_groups(dup_groups, n_articles);
    let voices = voices(n_articles, &copy_groups);
    let facts = StoryFacts { scans: &scans, names: &names, variants: &variants, vocab: &vocab, corpus: &corpus };
    let per_article = (0..n_articles)
        .map(|i| ArticleDiff {
            id: articles[i].id.clone(),
            unique_sentences: story.unique_sentences(i, &alignment.best, config.shared_threshold),
            unique_facts: facts.unique_facts(i),
            omitted: story.omitted(i, &points, &voices, config.omitted_share),
        })
        .collect();
    StoryDiff {
        shared: points.iter().map(|p| story.shared_point(p)).collect(),
        per_article,
        entities: facts::entity_variants(articles, &scans, &variants),
        copies: copies::copy_edits(articles, &corpus, &sentences, &copy_groups, config.copy_threshold),
        warnings,
    }
}

/// The warning for an article of which only the first `compared` of its
/// `n_sentences` sentences are compared.
fn long_article(article: &Article, n_sentences: usize, compared: usize) -> Problem {
    Problem {
        origin: article.origin.clone(),
        severity: Severity::Warning,
        kind: ProblemKind::LongArticle,
        message: format!(
            "article {}: {n_sentences} sentences, only the first {compared} are compared in the differences",
            article.id
        ),
    }
}

/// The near-duplicate groups of `dup_groups` that matter here: positions
/// in range, each once, groups of two or more.
fn copy_groups(dup_groups: &[Vec<usize>], n_articles: usize) -> Vec<Vec<usize>> {
    dup_groups
        .iter()
        .map(|g| {
            let mut seen = HashSet::new();
            g.iter().copied().filter(|&p| p < n_articles && seen.insert(p)).collect::<Vec<_>>()
        })
        .filter(|g| g.len() >= 2)
        .collect()
}

/// Each article's voice, the source it counts as: the index of its first
/// near-duplicate group, or `n_articles + i` for an article without copies.
/// Copies of one group are one voice, so that "most others report it" is
/// not won by copies of one text.
fn voices(n_articles: usize, copy_groups: &[Vec<usize>]) -> Vec<usize> {
    let mut voice: Vec<usize> = (0..n_articles).map(|i| n_articles + i).collect();
    for (group_idx, group) in copy_groups.iter().enumerate() {
        for &p in group {
            if voice[p] >= n_articles {
                voice[p] = group_idx;
            }
        }
    }
    voice
}

/// The articles of a story with their sentences, flattened in the corpus.
struct AlignedStory<'a> {
    articles: &'a [&'a Article],
    sentences: &'a [Vec<String>],
    corpus: &'a Corpus,
}

impl AlignedStory<'_> {
    /// The text of global sentence `g`.
    fn text_of(&self, g: usize) -> &str {
        let a = self.corpus.article[g];
        &self.sentences[a][g - self.corpus.start[a]]
    }

    /// The alignable sentences of article `i` whose best counterpart
    /// elsewhere scores below the threshold, in article order.
    fn unique_sentences(&self, i: usize, best: &[f32], threshold: f32) -> Vec<String> {
        let corpus = self.corpus;
        (corpus.start[i]..corpus.start[i + 1])
            .filter(|&g| corpus.alignable(g) && best[g] < threshold)
            .map(|g| self.text_of(g).to_string())
            .collect()
    }

    /// The points article `i` does not report although at least two other
    /// voices, and more than `omitted_share` of them, do.
    fn omitted(&self, i: usize, points: &[Point], voice: &[usize], omitted_share: f32) -> Vec<String> {
        let corpus = self.corpus;
        let n_articles = voice.len();
        let other_voices: HashSet<usize> =
            (0..n_articles).filter(|&j| voice[j] != voice[i]).map(|j| voice[j]).collect();
        points
            .iter()
            .filter(|p| !p.members.iter().any(|&g| corpus.article[g] == i))
            .filter(|p| {
                let voices: HashSet<usize> =
                    p.members.iter().map(|&g| voice[corpus.article[g]]).filter(|&v| v != voice[i]).collect();
                voices.len() >= 2 && voices.len() as f32 > omitted_share * other_voices.len() as f32
            })
            .map(|p| self.text_of(p.representative).to_string())
            .collect()
    }

    /// A point as reported: its representative wording and each member
    /// with its similarity to the representative.
    fn shared_point(&self, point: &Point) -> SharedPoint {
        let representative = point.representative;
        let sources = point
            .members
            .iter()
            .map(|&g| PointSource {
                id: self.articles[self.corpus.article[g]].id.clone(),
                sentence: self.text_of(g).to_string(),
                score: if g == representative { 1.0 } else { self.corpus.sim(g, representative) },
            })
            .collect();
        SharedPoint { text: self.text_of(representative).to_string(), sources }
    }
}

#[cfg(test)]
mod tests;

//! Story vectors: what an article is about, as weighted terms.
//!
//! Reports of one event by different outlets share few shingles but many
//! *terms*: the names, places, organisations and numbers of the event. This
//! module owns [`StoryVector`] (a sparse, L2-normalised TF-IDF vector over
//! stemmed terms, capped at the strongest terms) and its dense projection for
//! the nearest-neighbour index ([`StoryVector::project`]).
//!
//! Weighting (all documented defaults live in [`RepresentConfig`]):
//! - term frequency is sublinear (`1 + ln tf`), so a 5,000-word article does
//!   not drown its key names in repetition, and a headline of eight words
//!   keeps every word;
//! - inverse document frequency comes from the input itself, counting each
//!   near-duplicate group once, so that syndicated copies do not make their
//!   own words look common, and among the articles of the article's own
//!   language ([`DocFreq::idf`]), so that the common words of a language few
//!   articles of the input use do not look rare and join them;
//! - capitalised words inside sentences (names, places, organisations) and
//!   numbers weigh more; headline words weigh more than body words;
//! - in Title Case text (many headlines), where capitals say nothing, a word
//!   weighs more in proportion to how often the rest of the input writes it
//!   capitalised inside sentences ([`DocFreq::nameness`]): "Titanfall" in
//!   "Everything About Titanfall Is Gigantic" counts as a name, "Everything"
//!   does not;
//! - only the `max_terms` strongest terms are kept, so long articles and
//!   headlines live on comparable scales and memory stays bounded.
//!
//! This module must not decide what is a story, nor read gold labels: it
//! maps articles to vectors.

use crate::hashes::{StrMap, TermMap};
use crate::spill::{RecordIn, RecordOut};

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::article::Article;
use crate::text;

/// Settings of the story representation.
#[derive(Clone, Debug)]
pub struct RepresentConfig {
    /// How many of an article's strongest terms are kept. Default: 50.
    pub max_terms: usize,
    /// Weight multiplier for capitalised words inside a sentence (names,
    /// places, organisations); in Title Case text, scaled by the term's
    /// [`DocFreq::nameness`]. Default: 1.6.
    pub name_boost: f32,
    /// Weight multiplier for words with digits. Default: 1.0 (on the
    /// development sets, boosting numbers lost more than it gained: years
    /// and counts recur across unrelated stories).
    pub number_boost: f32,
    /// Term-frequency multiplier for headline words when the article also
    /// has a body. Default: 2.0.
    pub title_boost: f32,
    /// Dimensions of the dense projection used by the index. Default: 128.
    pub dense_dims: usize,
}

impl Default for RepresentConfig {
    fn default() -> Self {
        RepresentConfig { max_terms: 50, name_boost: 1.6, number_boost: 1.0, title_boost: 2.0, dense_dims: 128 }
    }
}

/// A term: the xxh3 hash of a stemmed, normalised word.
pub type Term = u64;

/// A sparse, L2-normalised term vector, sorted by term.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryVector {
    /// `(term, weight)` pairs, sorted by term, weights L2-normalised.
    pub terms: Vec<(Term, f32)>,
}

impl StoryVector {
    /// Cosine similarity of two normalised vectors.
    pub fn cosine(&self, other: &StoryVector) -> f32 {
        cosine_of_dot(sparse_dot(&self.terms, &other.terms))
    }

    /// Projects onto `dims` dense dimensions by feature hashing (each term
    /// adds its weight, with a hashed sign, to two hashed dimensions), then
    /// L2-normalises. Dot products of projections approximate cosines of the
    /// sparse vectors (Weinberger et al. 2009, "Feature hashing").
    pub fn project(&self, dims: usize) -> Vec<f32> {
        let mut dense = vec![0.0f32; dims];
        for &(term, weight) in &self.terms {
            let mixed = term.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            for probe in [term, mixed.rotate_left(32)] {
                let dim = (probe % dims as u64) as usize;
                let sign = if probe >> 63 == 0 { 1.0 } else { -1.0 };
                dense[dim] += sign * weight;
            }
        }
        let norm = dense.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            dense.iter_mut().for_each(|x| *x /= norm);
        } else {
            // An article with no terms: a fixed unit vector keeps the index happy.
            dense[0] = 1.0;
        }
        dense
    }
}

/// The dot product of two sparse vectors sorted by term (a sorted merge),
/// accumulated in `f64`.
///
/// The merge has no branch on the terms: both positions advance by the
/// comparison's outcome, and a non-matching step adds `0.0` (which changes
/// no sum: the sum starts at `+0.0` and so never is `-0.0`). Which side
/// advances is a coin toss for the processor's branch predictor; this made
/// the dot products, a fifth of a `cluster` run, 1.6 times faster. Products
/// are added in term order, as the plain merge adds them, so the result is
/// the same to the last bit.
pub fn sparse_dot<T: Ord + Copy>(a: &[(T, f32)], b: &[(T, f32)]) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        let ((ta, wa), (tb, wb)) = (a[i], b[j]);
        let product = f64::from(wa) * f64::from(wb);
        dot += if ta == tb { product } else { 0.0 };
        i += usize::from(ta <= tb);
        j += usize::from(tb <= ta);
    }
    dot
}

/// The cosine similarity of two normalised vectors with dot product `dot`
/// ([`sparse_dot`]), clamped to 0..=1 against rounding.
pub fn cosine_of_dot(dot: f64) -> f32 {
    (dot as f32).clamp(0.0, 1.0)
}

/// An article's raw term counts before IDF weighting.
#[derive(Clone, Debug, Default)]
pub struct TermCounts {
    /// `(term, boosted term frequency)`, sorted by term.
    pub counts: Vec<(Term, f32)>,
    /// `(term, capitalised, lower case)`: the term's occurrences inside
    /// sentences of text where capitals are informative, sorted by term.
    /// The input's evidence of which terms are names.
    pub case: Vec<(Term, u32, u32)>,
    /// `(term, weight)`: the part of `counts` from text whose capitals say
    /// nothing (Title Case), sorted by term. [`weigh`] boosts it by the
    /// term's [`DocFreq::nameness`].
    pub uncased: Vec<(Term, f32)>,
    /// The article's language ([`detect_language`]): the documents its
    /// terms are counted among ([`DocFreq`]).
    pub language: Language,
}

mod language;
mod units;

pub use language::{detect as detect_language, Language, N_LANGUAGES};

thread_local! {
    static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
}

/// Stems a normalised word (English Snowball). Non-Latin words pass through.
pub fn stem(word: &str) -> String {
    STEMMER.with(|s| s.stem(word).into_owned())
}

/// Counts an article's terms with the boosts of `config`.
pub fn count_terms(article: &Article, config: &RepresentConfig) -> TermCounts {
    let mut counts: TermMap<f32> = TermMap::default();
    let mut case: TermMap<(u32, u32)> = TermMap::default();
    let mut uncased: TermMap<f32> = TermMap::default();
    let title = article.title.trim();
    let body = article.body.trim();
    let title_is_body = !title.is_empty() && text::normalize(title) == text::normalize(body);
    let language = language::detect(title, body);
    let mut sink = Sink { language, counts: &mut counts, case: &mut case, uncased: &mut uncased };
    if !title.is_empty() && !title_is_body {
        add_text(title, config.title_boost, config, &mut sink);
    }
    add_text(body, 1.0, config, &mut sink);
    let mut counts: Vec<(Term, f32)> = counts.into_iter().collect();
    counts.sort_unstable_by_key(|&(t, _)| t);
    let mut case: Vec<(Term, u32, u32)> = case.into_iter().map(|(t, (c, l))| (t, c, l)).collect();
    case.sort_unstable_by_key(|&(t, _, _)| t);
    let mut uncased: Vec<(Term, f32)> = uncased.into_iter().collect();
    uncased.sort_unstable_by_key(|&(t, _)| t);
    TermCounts { counts, case, uncased, language }
}

/// Where [`add_text`] counts an article's terms, and the article's language.
struct Sink<'a> {
    language: Language,
    counts: &'a mut TermMap<f32>,
    case: &'a mut TermMap<(u32, u32)>,
    uncased: &'a mut TermMap<f32>,
}

fn add_text(text: &str, base: f32, config: &RepresentConfig, sink: &mut Sink<'_>) {
    let Sink { language, counts, case, uncased } = sink;
    // One pass over the words, noting which start a sentence (the gap
    // before them holds `.`, `!`, `?` or a line break).
    let mut words: Vec<(&str, bool)> = Vec::with_capacity(text.len() / 5);
    let mut previous_end = 0;
    let base_ptr = text.as_ptr() as usize;
    units::for_each_unit(text, |word| {
        let start = word.as_ptr() as usize - base_ptr;
        // Overlapping bigrams (see `units`) have no gap between them.
        let gap = &text.as_bytes()[previous_end.min(start)..start];
        let sentence_start = previous_end == 0 || gap.iter().any(|&b| matches!(b, b'.' | b'!' | b'?' | b'\n'));
        previous_end = previous_end.max(start + word.len());
        words.push((word, sentence_start));
    });
    // Title-case headlines capitalise every word: capitals only mark a name
    // in text that is mostly lower case.
    let n_capitalized = words.iter().filter(|(w, _)| text::is_capitalized(w)).count();
    // Nor do they where most words are in a script without case (Hebrew,
    // Arabic, Hindi, Chinese): there only the few foreign words ("UTC",
    // "AFP") could show a capital, and each would weigh as a name while
    // the text's own names cannot.
    let mostly_cased = text.is_ascii() || {
        let n_lettered = words.iter().filter(|(w, _)| w.chars().any(char::is_alphabetic)).count();
        let n_cased = words.iter().filter(|(w, _)| text::has_case(w)).count();
        2 * n_cased >= n_lettered
    };
    let capitals_informative = (n_capitalized as f32) < 0.5 * words.len().max(1) as f32 && mostly_cased;
    TERM_CACHE.with(|caches| {
        let mut caches = caches.borrow_mut();
        let cache = &mut caches[language.index()];
        if cache.len() > TERM_CACHE_LIMIT {
            cache.clear();
        }
        for &(word, sentence_start) in &words {
            let term = match cache.get(word) {
                Some(&term) => term,
                None => {
                    let term = term_of(word, *language);
                    cache.insert(word.into(), term);
                    term
                }
            };
            let Some(term) = term else { continue };
            let mut weight = base;
            if text::has_digit(word) {
                weight *= config.number_boost;
            } else if !capitals_informative {
                *uncased.entry(term).or_default() += weight;
            } else if !sentence_start {
                let evidence = case.entry(term).or_default();
                if text::is_capitalized(word) {
                    evidence.0 += 1;
                    weight *= config.name_boost;
                } else {
                    evidence.1 += 1;
                }
            }
            *counts.entry(term).or_default() += weight;
        }
    });
}

/// How many distinct words each thread remembers the term of, per language.
const TERM_CACHE_LIMIT: usize = 200_000;

/// Per language: word (as written) → its term.
type TermCache = Vec<StrMap<Box<str>, Option<Term>>>;

thread_local! {
    /// Per [`Language`] index: word (as written) → its term, or `None` for
    /// words that carry none.
    static TERM_CACHE: std::cell::RefCell<TermCache> =
        std::cell::RefCell::new((0..language::N_LANGUAGES).map(|_| StrMap::default()).collect());
}

/// The term of a word as written in `language`: normalised and stemmed, or
/// `None` for stopwords and single letters. A term is the hash of the stem
/// alone, so a name written alike in two languages is one term.
fn term_of(word: &str, language: Language) -> Option<Term> {
    let norm = language.spelt(text::normalize_word(word));
    if norm.chars().count() < 2 && !text::has_digit(&norm) {
        return None;
    }
    if language.is_stopword(&norm) {
        return None;
    }
    if language == Language::ENGLISH {
        return Some(xxh3_64(stem(&norm).as_bytes()));
    }
    Some(xxh3_64(language.stem_word(&norm).as_bytes()))
}

/// The word each term of an article stands for (title and body): the form
/// most often written for it there, the first of equals, so that a term,
/// a hash, can be shown as a word ("Gaddafi" for the term of "gaddafi").
pub(crate) fn term_words(article: &Article) -> TermMap<String> {
    // Per term: each written form with its count and first position.
    let mut forms: TermMap<Vec<(&str, u32, usize)>> = TermMap::default();
    let mut position = 0;
    let language = language::detect(article.title.trim(), article.body.trim());
    for text in [article.title.as_str(), article.body.as_str()] {
        units::for_each_unit(text, |word| {
            position += 1;
            let Some(term) = term_of(word, language) else { return };
            let seen = forms.entry(term).or_default();
            match seen.iter_mut().find(|(form, _, _)| *form == word) {
                Some((_, count, _)) => *count += 1,
                None => seen.push((word, 1, position)),
            }
        });
    }
    forms
        .into_iter()
        .map(|(term, seen)| {
            let best = seen.iter().max_by(|x, y| x.1.cmp(&y.1).then(y.2.cmp(&x.2))).expect("a form");
            (term, best.0.to_owned())
        })
        .collect()
}

/// The key a term of a `language` article is counted under in document
/// frequencies: the term itself in English, a hash of the term and the
/// language's code otherwise. A word is rare or common among the articles
/// of its own language: Hindi function words that a handful of articles of
/// a mostly English feed all share are common among those, and a Latin name
/// or number inside a Hindi article is counted among Hindi articles. The
/// term itself, in the story vector, stays one for all languages, so that a
/// name written alike in two languages still links their articles. The key
/// depends on the code, not on [`Language::index`], because a store keeps
/// it.
pub fn df_key(term: Term, language: Language) -> Term {
    if language == Language::ENGLISH {
        term
    } else {
        xxh3_64_with_seed(&term.to_le_bytes(), xxh3_64(language.code().as_bytes()))
    }
}

/// Documents counted per [`Language`] (by index).
type PerLanguage = [u32; N_LANGUAGES];

/// Document frequencies over a corpus: each group counted once, each term
/// among the documents of its language ([`df_key`]).
///
/// `group_of[i]` names the near-duplicate group of document `i` (its
/// representative); only representatives' terms are counted, so `n_docs` is
/// the number of groups.
pub struct DocFreq {
    df: TermMap<u32>,
    n_docs: u32,
    languages: PerLanguage,
    /// Per key: documents (groups) that write it mostly capitalised inside
    /// sentences, and documents that write it mostly in lower case there.
    case: TermMap<(u32, u32)>,
}

impl DocFreq {
    /// Counts document frequencies of `counts`, one per near-duplicate group.
    pub fn new(counts: &[TermCounts], group_of: &[usize]) -> DocFreq {
        DocFreqCounter::count(counts, group_of).finish()
    }

    /// How much the input treats a term of `language` as a name, in 0..1:
    /// the share of documents that write it mostly capitalised inside
    /// sentences, with one lower-case pseudo-document so that a single
    /// sighting counts half. A term never seen in text with informative
    /// capitals scores 0.
    pub fn nameness(&self, term: Term, language: Language) -> f32 {
        self.nameness_of(df_key(term, language))
    }

    fn nameness_of(&self, key: Term) -> f32 {
        let (capitalised, lower) = self.case.get(&key).copied().unwrap_or((0, 0));
        capitalised as f32 / (capitalised + lower + 1) as f32
    }

    /// Probabilistic inverse document frequency (Robertson–Spärck Jones, as
    /// in BM25 with Lucene's `1 +` that keeps it positive) of a term of a
    /// `language` article, among the documents of that language:
    /// `ln(1 + (N - df + 0.5) / (df + 0.5))`, `N` the documents of the
    /// language and `df` those of them holding the term. In an input of
    /// one language, `N` is every document.
    ///
    /// Unlike the `ln(N / df) + 1` of classic TF-IDF, it goes to zero for a
    /// term in every document, so that in a small input about one country
    /// the country's names stop counting and the event's own names decide;
    /// in a large input it behaves like `ln(N / df)`.
    pub fn idf(&self, term: Term, language: Language) -> f32 {
        self.idf_of(df_key(term, language), language)
    }

    fn idf_of(&self, key: Term, language: Language) -> f32 {
        let df = self.df.get(&key).copied().unwrap_or(0) as f32;
        let n = self.languages[language.index()] as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The number of documents (groups) counted.
    pub fn n_docs(&self) -> u32 {
        self.n_docs
    }
}

/// Counts document frequencies one document at a time, for inputs whose
/// term counts are not all held at once. Counters of parts of a corpus
/// [`merge`](DocFreqCounter::merge) into the counter of the whole, in any
/// order: [`DocFreq::new`] is a fold of them.
#[derive(Clone, Debug)]
pub struct DocFreqCounter {
    df: TermMap<u32>,
    n_docs: u32,
    languages: PerLanguage,
    case: TermMap<(u32, u32)>,
}

impl Default for DocFreqCounter {
    fn default() -> DocFreqCounter {
        DocFreqCounter { df: TermMap::default(), n_docs: 0, languages: [0; N_LANGUAGES], case: TermMap::default() }
    }
}

impl DocFreqCounter {
    /// The counts of `counts`, one document per near-duplicate group
    /// (`group_of[i] == i` for a group's representative).
    pub fn count(counts: &[TermCounts], group_of: &[usize]) -> DocFreqCounter {
        DocFreqCounter::count_each(group_of, |i| &counts[i])
    }

    /// [`DocFreqCounter::count`] with each representative's counts made
    /// by `counts_of(i)` as it is reached, so that the counts of all the
    /// documents are never held at once.
    pub fn count_each<C: std::borrow::Borrow<TermCounts>>(
        group_of: &[usize],
        counts_of: impl Fn(usize) -> C + Sync,
    ) -> DocFreqCounter {
        (0..group_of.len())
            .into_par_iter()
            .filter(|&i| group_of[i] == i)
            .fold(DocFreqCounter::default, |mut counter, i| {
                counter.add(counts_of(i).borrow());
                counter
            })
            .reduce(DocFreqCounter::default, DocFreqCounter::merge)
    }

    /// Counts one document (one near-duplicate group's representative).
    pub fn add(&mut self, counts: &TermCounts) {
        self.n_docs += 1;
        self.languages[counts.language.index()] += 1;
        for key in counts.df_keys() {
            *self.df.entry(key).or_default() += 1;
        }
        for &(term, capitalised, lower) in &counts.case {
            let votes = self.case.entry(df_key(term, counts.language)).or_default();
            if capitalised > lower {
                votes.0 += 1;
            } else {
                votes.1 += 1;
            }
        }
    }

    /// The counts of both parts.
    pub fn merge(self, other: DocFreqCounter) -> DocFreqCounter {
        let (mut big, small) = if self.df.len() >= other.df.len() { (self, other) } else { (other, self) };
        big.n_docs += small.n_docs;
        for (mine, theirs) in big.languages.iter_mut().zip(small.languages) {
            *mine += theirs;
        }
        for (term, n) in small.df {
            *big.df.entry(term).or_default() += n;
        }
        for (term, (c, l)) in small.case {
            let votes = big.case.entry(term).or_default();
            votes.0 += c;
            votes.1 += l;
        }
        big
    }

    /// Counts kept elsewhere (a story store's, or those of parts of a
    /// corpus counted apart): the documents of each language, and `(key,
    /// documents, capitalised, lower case)` as [`DocFreqCounter::entries`]
    /// gives them. A language or key given more than once adds up, so the
    /// entries of several counters can be handed over one after the other.
    pub fn from_parts(
        documents: impl IntoIterator<Item = (Language, u32)>,
        entries: impl IntoIterator<Item = (Term, u32, u32, u32)>,
    ) -> DocFreqCounter {
        let mut counter = DocFreqCounter::default();
        for (language, n) in documents {
            counter.languages[language.index()] += n;
            counter.n_docs += n;
        }
        for (term, n, capitalised, lower) in entries {
            *counter.df.entry(term).or_default() += n;
            if capitalised + lower > 0 {
                let votes = counter.case.entry(term).or_default();
                votes.0 += capitalised;
                votes.1 += lower;
            }
        }
        counter
    }

    /// The documents counted.
    pub fn n_docs(&self) -> u32 {
        self.n_docs
    }

    /// The documents counted of each language that has some.
    pub fn documents(&self) -> impl Iterator<Item = (Language, u32)> + '_ {
        Language::all().zip(self.languages).filter(|&(_, n)| n > 0)
    }

    /// Every key counted ([`df_key`]): `(key, documents, capitalised, lower
    /// case)`, the last two being the documents that write it mostly
    /// capitalised or mostly in lower case inside sentences (see
    /// [`DocFreq::nameness`]).
    pub fn entries(&self) -> impl Iterator<Item = (Term, u32, u32, u32)> + '_ {
        self.df.iter().map(|(&term, &df)| {
            let (capitalised, lower) = self.case.get(&term).copied().unwrap_or((0, 0));
            (term, df, capitalised, lower)
        })
    }

    /// The document frequencies counted.
    pub fn finish(self) -> DocFreq {
        DocFreq { df: self.df, n_docs: self.n_docs, languages: self.languages, case: self.case }
    }
}

impl TermCounts {
    /// Appends a compact binary form of the counts to `out` (little-endian;
    /// read back by [`TermCounts::decode`]). Every term of `counts` is
    /// written in full (8 bytes, and 4 for its weight); the terms of `case`
    /// and `uncased`, which [`count_terms`] always puts in `counts` too, as
    /// the gap from the previous one's position there (mostly one byte),
    /// and case evidence as variable-length numbers: a little over half the
    /// size of the full form, and a 1M-article run writes these counts
    /// aside. Counts made otherwise, whose `case` or `uncased` hold terms
    /// `counts` lacks, are written in full; a leading byte says which form
    /// follows.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let terms: Vec<Term> = self.counts.iter().map(|&(t, _)| t).collect();
        let case = positions(&terms, self.case.iter().map(|&(t, _, _)| t));
        let uncased = positions(&terms, self.uncased.iter().map(|&(t, _)| t));
        let (Some(case), Some(uncased)) = (case, uncased) else {
            self.encode_in_full(out);
            return;
        };
        out.reserve(8 + self.counts.len() * 12 + self.case.len() * 3 + self.uncased.len() * 5);
        self.put_form(out, POSITIONS);
        out.put_varint_len(self.counts.len());
        put_weighted_terms(out, &self.counts);
        out.put_varint_len(self.case.len());
        for (gap, &(_, c, l)) in gaps(&case).zip(&self.case) {
            out.put_varint_len(gap);
            out.put_varint(u64::from(c));
            out.put_varint(u64::from(l));
        }
        out.put_varint_len(self.uncased.len());
        for (gap, &(_, w)) in gaps(&uncased).zip(&self.uncased) {
            out.put_varint_len(gap);
            out.put_u32(w.to_bits());
        }
    }

    /// The leading byte, then the language's code unless it is English
    /// (so English counts are written as before languages were told apart).
    fn put_form(&self, out: &mut Vec<u8>, form: u8) {
        if self.language == Language::ENGLISH {
            out.put_u8(form);
        } else {
            out.put_u8(form | WITH_LANGUAGE);
            out.put_str(self.language.code());
        }
    }

    /// The keys its terms are counted under in document frequencies, in
    /// the order of `counts` (see [`df_key`]).
    pub fn df_keys(&self) -> impl Iterator<Item = Term> + '_ {
        let language = self.language;
        self.counts.iter().map(move |&(term, _)| df_key(term, language))
    }

    fn encode_in_full(&self, out: &mut Vec<u8>) {
        out.reserve(13 + self.counts.len() * 12 + self.case.len() * 16 + self.uncased.len() * 12);
        self.put_form(out, IN_FULL);
        out.put_len(self.counts.len());
        put_weighted_terms(out, &self.counts);
        out.put_len(self.case.len());
        for &(t, c, l) in &self.case {
            out.put_u64(t);
            out.put_u32(c);
            out.put_u32(l);
        }
        out.put_len(self.uncased.len());
        put_weighted_terms(out, &self.uncased);
    }

    /// Reads counts written by [`TermCounts::encode`]; `None` if `bytes` are
    /// not such counts.
    pub fn decode(bytes: &[u8]) -> Option<TermCounts> {
        let mut r = RecordIn(bytes);
        let form = r.u8()?;
        let language = if form & WITH_LANGUAGE != 0 { Language::from_code(r.str()?) } else { Language::ENGLISH };
        let decoded = match form & !WITH_LANGUAGE {
            IN_FULL => {
                let n = r.u32()?;
                let counts = read_weighted_terms(&mut r, n)?;
                let case = (0..r.u32()?).map(|_| Some((r.u64()?, r.u32()?, r.u32()?))).collect::<Option<_>>()?;
                let n = r.u32()?;
                let uncased = read_weighted_terms(&mut r, n)?;
                TermCounts { counts, case, uncased, language }
            }
            POSITIONS => {
                let n = r.varint()?;
                let counts = read_weighted_terms(&mut r, n)?;
                let mut next = 0;
                let case = (0..r.varint()?)
                    .map(|_| {
                        let t = term_after_gap(&mut r, &mut next, &counts)?;
                        Some((t, u32::try_from(r.varint()?).ok()?, u32::try_from(r.varint()?).ok()?))
                    })
                    .collect::<Option<_>>()?;
                let mut next = 0;
                let uncased = (0..r.varint()?)
                    .map(|_| Some((term_after_gap(&mut r, &mut next, &counts)?, f32::from_bits(r.u32()?))))
                    .collect::<Option<_>>()?;
                TermCounts { counts, case, uncased, language }
            }
            _ => return None,
        };
        r.is_done().then_some(decoded)
    }
}

/// Each term in full and its weight's bits.
fn put_weighted_terms(out: &mut Vec<u8>, terms: &[(Term, f32)]) {
    for &(t, w) in terms {
        out.put_u64(t);
        out.put_u32(w.to_bits());
    }
}

/// `n` terms written by [`put_weighted_terms`].
fn read_weighted_terms(r: &mut RecordIn, n: impl Into<u64>) -> Option<Vec<(Term, f32)>> {
    (0..n.into()).map(|_| Some((r.u64()?, f32::from_bits(r.u32()?)))).collect()
}

/// The leading byte of [`TermCounts::encode`]'s full form.
const IN_FULL: u8 = 0;
/// The leading byte of [`TermCounts::encode`]'s form with positions.
const POSITIONS: u8 = 1;
/// Set in the leading byte when the language's code follows it.
const WITH_LANGUAGE: u8 = 0x80;

/// The position in `terms` (sorted) of each of `wanted` (sorted), or `None`
/// if one is missing.
fn positions(terms: &[Term], wanted: impl Iterator<Item = Term>) -> Option<Vec<usize>> {
    let mut rest = 0;
    wanted
        .map(|t| {
            let position = rest + terms[rest..].binary_search(&t).ok()?;
            rest = position + 1;
            Some(position)
        })
        .collect()
}

/// The term of `counts` at the position a gap read from `r` leads to from
/// `next` (one past the previous position), which it moves on.
fn term_after_gap(r: &mut RecordIn, next: &mut usize, counts: &[(Term, f32)]) -> Option<Term> {
    let position = next.checked_add(r.varint_len()?)?;
    *next = position + 1;
    counts.get(position).map(|&(t, _)| t)
}

/// Each position's gap from the one after the previous (from 0 for the
/// first): strictly increasing positions give gaps of 0 and up.
fn gaps(positions: &[usize]) -> impl Iterator<Item = usize> + '_ {
    let mut next = 0;
    positions.iter().map(move |&p| {
        let gap = p - next;
        next = p + 1;
        gap
    })
}

/// Weights term counts by IDF, keeps the strongest `max_terms` and
/// L2-normalises. Occurrences in Title Case text get the name boost in
/// proportion to the term's [`DocFreq::nameness`].
pub fn weigh(counts: &TermCounts, df: &DocFreq, config: &RepresentConfig) -> StoryVector {
    let mut uncased = counts.uncased.iter().peekable();
    let mut terms: Vec<(Term, f32)> = counts
        .counts
        .iter()
        .map(|&(term, mut tf)| {
            while uncased.next_if(|&&(t, _)| t < term).is_some() {}
            let key = df_key(term, counts.language);
            if let Some(&(_, weight)) = uncased.next_if(|&&(t, _)| t == term) {
                tf += weight * (config.name_boost - 1.0) * df.nameness_of(key);
            }
            (term, (1.0 + tf.ln().max(0.0)) * df.idf_of(key, counts.language))
        })
        .collect();
    if terms.len() > config.max_terms {
        terms.select_nth_unstable_by(config.max_terms - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        terms.truncate(config.max_terms);
        terms.sort_unstable_by_key(|&(t, _)| t);
    }
    // Every article keeps its vector to the end of the run: no spare room.
    terms.shrink_to_fit();
    let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        terms.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    StoryVector { terms }
}

#[cfg(test)]
mod tests;

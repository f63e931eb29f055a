//! The language of an article, told from its own text, and the per-language
//! tools that turn its words into terms: a Snowball stemmer where
//! rust-stemmers has one, and stopwords where the stop-words crate has a list.
//!
//! Owns [`Language`] and [`detect`]. Detection reads only the text (title and
//! the start of the body), never a field that names a language. It is built
//! to keep English text English: every article is English unless its text
//! shows otherwise (a non-Latin script, or a Latin-script language that
//! whatlang finds reliably *and* whose function words cover more of the text
//! than English ones do), because trigram statistics on an eight-word
//! headline are too weak to switch its stemmer on.
//!
//! This module must not decide what is a story, nor weigh terms: it only
//! says which stemmer and stopwords an article's words go through.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use whatlang::{Lang, Script};

use crate::text;

/// A language with its term tools: an index into [`LANGUAGES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Language(u8);

impl Default for Language {
    fn default() -> Language {
        Language::ENGLISH
    }
}

/// One handled language: whatlang's code, the ISO 639-1 code of the
/// stop-words crate's list its words meet (`None`: no list there), and how
/// its words are stemmed.
struct Spec {
    lang: Lang,
    iso: Option<&'static str>,
    stem: Stem,
}

/// How a language's words become stems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stem {
    /// Its Snowball stemmer from rust-stemmers.
    Snowball(Algorithm),
    /// Cut to the first [`TRUNCATE_CHARS`] characters: alphabetic languages
    /// that Snowball lacks (Czech, Hebrew, Hindi, ...). Truncation is the
    /// light stemmer of McNamee, Nicholas and Mayfield (SIGIR 2009), who
    /// found five characters close to a real stemmer in most European
    /// languages; it folds Czech case endings ("zemětřesení",
    /// "zemětřesením") without a dictionary.
    Truncate,
    /// Hebrew: the one-letter words written joined to the next word (ו
    /// "and", ה "the", ב "in", ל "to", מ "from", ש "that", כ "as") taken
    /// off its start ([`strip_hebrew_prefixes`]), then cut as
    /// [`Stem::Truncate`] cuts: "והממשלה" and "הממשלה" are one term.
    Hebrew,
    /// Serbo-Croatian (Serbian, Croatian, Bosnian, Montenegrin: one
    /// language written in Latin and, in Serbia, in Cyrillic, letter for
    /// letter): a word in Cyrillic is first spelt in Latin
    /// ([`Language::spelt`]), so that it meets the same word in Latin and
    /// the Croatian stopwords, then cut as [`Stem::Truncate`] cuts.
    Serbian,
    /// Words stay as normalised: scripts without alphabetic words (Chinese,
    /// Japanese, Thai, Korean) and Vietnamese, whose words are syllables.
    Keep,
}

/// The prefix [`Stem::Truncate`] keeps, in characters.
pub const TRUNCATE_CHARS: usize = 5;

const fn spec(lang: Lang, iso: Option<&'static str>, stem: Stem) -> Spec {
    Spec { lang, iso, stem }
}

/// English first: the default. Every language whatlang detects in a
/// script other than Latin is here (Serbian as Serbo-Croatian, under
/// whatlang's Croatian), so that each has document frequencies
/// of its own and an alphabetic one is truncated. Latin-script languages
/// whatlang detects that are not here (Javanese, Turkmen, Akan, Shona)
/// have no stopword list, so detection never picks them ([`detect`]
/// wants more of their function words than of English's): they count as
/// English. [`Language::OTHER`] is kept for codes of other builds.
const LANGUAGES: &[Spec] = &[
    spec(Lang::Eng, Some("en"), Stem::Snowball(Algorithm::English)),
    spec(Lang::Ara, Some("ar"), Stem::Snowball(Algorithm::Arabic)),
    spec(Lang::Dan, Some("da"), Stem::Snowball(Algorithm::Danish)),
    spec(Lang::Nld, Some("nl"), Stem::Snowball(Algorithm::Dutch)),
    spec(Lang::Fin, Some("fi"), Stem::Snowball(Algorithm::Finnish)),
    spec(Lang::Fra, Some("fr"), Stem::Snowball(Algorithm::French)),
    spec(Lang::Deu, Some("de"), Stem::Snowball(Algorithm::German)),
    spec(Lang::Ell, Some("el"), Stem::Snowball(Algorithm::Greek)),
    spec(Lang::Hun, Some("hu"), Stem::Snowball(Algorithm::Hungarian)),
    spec(Lang::Ita, Some("it"), Stem::Snowball(Algorithm::Italian)),
    spec(Lang::Nob, Some("no"), Stem::Snowball(Algorithm::Norwegian)),
    spec(Lang::Por, Some("pt"), Stem::Snowball(Algorithm::Portuguese)),
    spec(Lang::Ron, Some("ro"), Stem::Snowball(Algorithm::Romanian)),
    spec(Lang::Rus, Some("ru"), Stem::Snowball(Algorithm::Russian)),
    spec(Lang::Spa, Some("es"), Stem::Snowball(Algorithm::Spanish)),
    spec(Lang::Swe, Some("sv"), Stem::Snowball(Algorithm::Swedish)),
    spec(Lang::Tam, Some("ta"), Stem::Snowball(Algorithm::Tamil)),
    spec(Lang::Tur, Some("tr"), Stem::Snowball(Algorithm::Turkish)),
    spec(Lang::Afr, Some("af"), Stem::Truncate),
    spec(Lang::Ben, Some("bn"), Stem::Truncate),
    spec(Lang::Aze, Some("az"), Stem::Truncate),
    spec(Lang::Bel, Some("be"), Stem::Truncate),
    spec(Lang::Bul, Some("bg"), Stem::Truncate),
    spec(Lang::Cat, Some("ca"), Stem::Truncate),
    spec(Lang::Ces, Some("cs"), Stem::Truncate),
    spec(Lang::Cmn, Some("zh"), Stem::Keep),
    spec(Lang::Epo, Some("eo"), Stem::Truncate),
    spec(Lang::Est, Some("et"), Stem::Truncate),
    spec(Lang::Guj, Some("gu"), Stem::Truncate),
    spec(Lang::Heb, Some("he"), Stem::Hebrew),
    spec(Lang::Hin, Some("hi"), Stem::Truncate),
    spec(Lang::Hrv, Some("hr"), Stem::Serbian),
    spec(Lang::Hye, Some("hy"), Stem::Truncate),
    spec(Lang::Ind, Some("id"), Stem::Truncate),
    spec(Lang::Jpn, Some("ja"), Stem::Keep),
    spec(Lang::Kor, Some("ko"), Stem::Keep),
    spec(Lang::Lat, Some("la"), Stem::Truncate),
    spec(Lang::Lav, Some("lv"), Stem::Truncate),
    spec(Lang::Lit, Some("lt"), Stem::Truncate),
    spec(Lang::Mar, Some("mr"), Stem::Truncate),
    spec(Lang::Nep, Some("ne"), Stem::Truncate),
    spec(Lang::Pes, Some("fa"), Stem::Truncate),
    spec(Lang::Pol, Some("pl"), Stem::Truncate),
    spec(Lang::Slk, Some("sk"), Stem::Truncate),
    spec(Lang::Slv, Some("sl"), Stem::Truncate),
    spec(Lang::Tgl, Some("tl"), Stem::Truncate),
    spec(Lang::Tha, Some("th"), Stem::Keep),
    spec(Lang::Ukr, Some("uk"), Stem::Truncate),
    spec(Lang::Urd, Some("ur"), Stem::Truncate),
    spec(Lang::Uzb, Some("uz"), Stem::Truncate),
    spec(Lang::Vie, Some("vi"), Stem::Keep),
    spec(Lang::Zul, Some("zu"), Stem::Truncate),
    spec(Lang::Mkd, None, Stem::Truncate),
    spec(Lang::Kat, None, Stem::Truncate),
    spec(Lang::Yid, None, Stem::Truncate),
    spec(Lang::Amh, None, Stem::Truncate),
    spec(Lang::Kan, None, Stem::Truncate),
    spec(Lang::Tel, None, Stem::Truncate),
    spec(Lang::Mal, None, Stem::Truncate),
    spec(Lang::Pan, None, Stem::Truncate),
    spec(Lang::Ori, None, Stem::Truncate),
    spec(Lang::Sin, None, Stem::Truncate),
    spec(Lang::Mya, None, Stem::Keep),
    spec(Lang::Khm, None, Stem::Keep),
];

/// How many [`Language`] values exist ([`LANGUAGES`] and [`Language::OTHER`]).
pub const N_LANGUAGES: usize = LANGUAGES.len() + 1;

/// How much of an article detection reads: whatlang's answer on news prose
/// is stable well before this (all 300 WikiNews cs/fr/he articles are
/// detected the same from their first 500 bytes as from the whole text),
/// and its cost grows with the length (about 0.1 ms for 600 bytes).
const SAMPLE_BYTES: usize = 600;
/// How many words of the sample the stopword evidence counts. Fewer let
/// a long title (few function words) decide alone: at 50, a quarter of the
/// generated 100k corpus went to whatlang, at 100 about one in twenty.
const SAMPLE_WORDS: usize = 100;
/// Share of English function words above which a text is English without
/// asking whatlang: English news prose runs at 30-45% with the project's
/// list; other Latin-script languages share few of these words ("a", "no").
const ENGLISH_SHARE: f32 = 0.2;

impl Language {
    /// The default and the language of every text that shows no other.
    pub const ENGLISH: Language = Language(0);
    /// A detected language the project has neither stopwords nor a stemmer
    /// for: words pass through as normalised.
    pub const OTHER: Language = Language(LANGUAGES.len() as u8);

    /// Index in `0..N_LANGUAGES`, for per-language tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    fn of(lang: Lang) -> Language {
        // whatlang's Serbian is Serbian in Cyrillic, its Croatian any of
        // the language in Latin: one language, one entry, one pool of
        // document frequencies, so that a page and its twin in the other
        // script weigh their words alike.
        let lang = if lang == Lang::Srp { Lang::Hrv } else { lang };
        LANGUAGES.iter().position(|s| s.lang == lang).map_or(Language::OTHER, |i| Language(i as u8))
    }

    fn spec(self) -> Option<&'static Spec> {
        LANGUAGES.get(self.index())
    }

    /// whatlang's ISO 639-3 code ("eng", "fra"), or "other".
    pub fn code(self) -> &'static str {
        self.spec().map_or("other", |s| s.lang.code())
    }

    /// The language of a [`Language::code`]; [`Language::OTHER`] for a code
    /// this build does not handle.
    pub fn from_code(code: &str) -> Language {
        LANGUAGES.iter().position(|s| s.lang.code() == code).map_or(Language::OTHER, |i| Language(i as u8))
    }

    /// Every language, English first, [`Language::OTHER`] last.
    pub fn all() -> impl Iterator<Item = Language> {
        (0..N_LANGUAGES as u8).map(Language)
    }

    /// How the language's words are stemmed.
    pub fn stem(self) -> Stem {
        self.spec().map_or(Stem::Keep, |s| s.stem)
    }

    /// The stem of a normalised word of this language (not English, whose
    /// stemmer the caller keeps at hand).
    pub fn stem_word(self, norm: &str) -> String {
        match self.stem() {
            Stem::Snowball(algorithm) => Stemmer::create(algorithm).stem(norm).into_owned(),
            Stem::Truncate | Stem::Serbian if !text::has_digit(norm) => truncate(norm).to_owned(),
            Stem::Hebrew if !text::has_digit(norm) => truncate(strip_hebrew_prefixes(norm)).to_owned(),
            Stem::Truncate | Stem::Hebrew | Stem::Serbian | Stem::Keep => norm.to_owned(),
        }
    }

    /// A normalised word in the spelling the language's stopwords and
    /// stems are written in: Serbo-Croatian in Latin ([`Stem::Serbian`]);
    /// every other language's word as it is.
    pub fn spelt(self, norm: Cow<'_, str>) -> Cow<'_, str> {
        if self.stem() != Stem::Serbian {
            return norm;
        }
        match text::in_serbian_latin(&norm) {
            Cow::Borrowed(_) => norm,
            Cow::Owned(latin) => Cow::Owned(latin),
        }
    }

    /// Whether a normalised word is a stopword of the language. English
    /// uses the project's own short list ([`text::is_stopword`]), which the
    /// English weights were measured with; other languages use the
    /// stop-words crate's ISO list, normalised like the text.
    pub fn is_stopword(self, norm: &str) -> bool {
        if self == Language::ENGLISH {
            return text::is_stopword(norm);
        }
        stopwords()[self.index()].contains(norm)
    }
}

/// The first [`TRUNCATE_CHARS`] characters of a word.
fn truncate(norm: &str) -> &str {
    let end = norm.char_indices().nth(TRUNCATE_CHARS).map_or(norm.len(), |(i, _)| i);
    &norm[..end]
}

/// The fewest letters a Hebrew word keeps when a prefix is taken off: a
/// Hebrew stem has three root letters, so "בית" (house) keeps its ב while
/// "ביום" (in the day) becomes "יום".
const HEBREW_STEM_LETTERS: usize = 3;

/// A Hebrew word without the particles written joined to it: its first
/// letter taken off while it is one of ו ה ב ל מ ש כ and
/// [`HEBREW_STEM_LETTERS`] letters remain. Particles stack ("ושבבית", "and
/// that in the house"), and a word may start with one of these letters as
/// a root letter; taking them all off, as long as a stem is left, treats a
/// word the same way bare and behind any particles ("ממשלה", "הממשלה",
/// "והממשלה" are one), where a rule that stops after a set number of
/// letters would not.
fn strip_hebrew_prefixes(norm: &str) -> &str {
    let mut rest = norm;
    loop {
        let mut chars = rest.chars();
        match chars.next() {
            Some('ו' | 'ה' | 'ב' | 'ל' | 'מ' | 'ש' | 'כ') if chars.clone().count() >= HEBREW_STEM_LETTERS => {
                rest = chars.as_str();
            }
            _ => return rest,
        }
    }
}

/// Per [`Language`] index: its ISO stopwords, normalised as words are.
fn stopwords() -> &'static [HashSet<String>] {
    static LISTS: OnceLock<Vec<HashSet<String>>> = OnceLock::new();
    LISTS.get_or_init(|| {
        let list = |iso: Option<&str>| -> HashSet<String> {
            let words = iso.and_then(stop_words::lookup).unwrap_or_default();
            words.iter().map(|w| text::normalize_word(w).into_owned()).collect()
        };
        let mut lists: Vec<HashSet<String>> = LANGUAGES.iter().map(|s| list(s.iso)).collect();
        lists.push(HashSet::new());
        lists
    })
}

/// The ISO English list, for comparing English evidence with another
/// language's on equal terms (both lists from one source).
fn iso_english() -> &'static HashSet<String> {
    static LIST: OnceLock<HashSet<String>> = OnceLock::new();
    LIST.get_or_init(|| stop_words::get("en").iter().map(|w| text::normalize_word(w).into_owned()).collect())
}

/// The language of an article's text (title, then body).
pub fn detect(title: &str, body: &str) -> Language {
    if mostly_english(title, body) {
        return Language::ENGLISH;
    }
    let sample = sample(title, body);
    let Some(info) = whatlang::detect(&sample) else { return Language::ENGLISH };
    if info.lang() == Lang::Eng {
        return Language::ENGLISH;
    }
    let language = Language::of(info.lang());
    if info.script() != Script::Latin {
        // No English is written in another script: the script alone is
        // evidence enough, even where whatlang hesitates between the
        // languages that share it.
        return language;
    }
    let mut words: Vec<Cow<'_, str>> = Vec::with_capacity(SAMPLE_WORDS);
    text::for_each_word(&sample, |word, _| {
        if words.len() < SAMPLE_WORDS {
            words.push(text::normalize_word(word));
        }
    });
    let covered = |list: &HashSet<String>| words.iter().filter(|w| list.contains(w.as_ref())).count();
    let theirs = covered(&stopwords()[language.index()]);
    if info.is_reliable() && theirs > covered(iso_english()) {
        language
    } else {
        Language::ENGLISH
    }
}

/// Whether English function words make up [`ENGLISH_SHARE`] of the first
/// words (at most [`SAMPLE_WORDS`], from the title and the start of the
/// body): the cheap answer for most English text, without whatlang and
/// without allocating. English stopwords are lower-case ASCII, so a word
/// with other characters is no hit.
fn mostly_english(title: &str, body: &str) -> bool {
    let (mut n, mut hits) = (0usize, 0usize);
    for part in [title, prefix(body, SAMPLE_BYTES)] {
        text::for_each_word_kind(part, |word, kind| {
            if n >= SAMPLE_WORDS {
                return;
            }
            n += 1;
            let hit = kind != text::WordKind::Other
                && packed(word).is_some_and(|code| english_codes().binary_search(&code).is_ok());
            hits += usize::from(hit);
        });
    }
    hits > 0 && hits as f32 >= ENGLISH_SHARE * n as f32
}

/// An ASCII word of at most eight bytes, lower-cased, as one integer: the
/// English stopwords all fit, and comparing integers is what makes the
/// check cheap enough to run on every article.
fn packed(word: &str) -> Option<u64> {
    if word.len() > 8 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..word.len()].copy_from_slice(word.as_bytes());
    buf.make_ascii_lowercase();
    Some(u64::from_be_bytes(buf))
}

/// [`text::STOPWORDS`] as [`packed`] integers, sorted.
fn english_codes() -> &'static [u64] {
    static CODES: OnceLock<Vec<u64>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut codes: Vec<u64> = text::STOPWORDS.iter().map(|w| packed(w).expect("short stopword")).collect();
        codes.sort_unstable();
        codes
    })
}

/// The longest start of `text` of at most `bytes` bytes that ends at a
/// character boundary.
fn prefix(text: &str, bytes: usize) -> &str {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The title and the start of the body, cut at a character boundary.
fn sample(title: &str, body: &str) -> String {
    let mut sample = String::with_capacity(SAMPLE_BYTES + 4);
    for part in [title, body] {
        if sample.len() >= SAMPLE_BYTES {
            break;
        }
        sample.push_str(prefix(part, SAMPLE_BYTES - sample.len()));
        sample.push('\n');
    }
    sample
}

//! Unit and property tests of fingerprints, resemblance estimates and near-duplicate groups.

use std::collections::HashSet;

use proptest::prelude::*;

use super::*;

const SEEDS: [&str; 5] = [
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/000_78970f930e2b17a4.txt")),
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/001_7a5bc6e74635390f.txt")),
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/002_a00759896944bb9f.txt")),
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/003_2828a23e96756184.txt")),
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/004_3d148ef64dbff9fd.txt")),
];

/// The text of `page` from `start` through `end`.
fn slice<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let s = page.find(start).expect("start marker");
    let e = s + page[s..].find(end).expect("end marker") + end.len();
    &page[s..e]
}

/// The article body of seed 000.
fn body0() -> &'static str {
    slice(SEEDS[0], "On Monday, the General Commander", "lasting peace and stability.")
}

/// A small deterministic generator (64-bit LCG, high bits).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Replaces about `per_mille`/1000 of the space-separated words by new ones.
fn edit(text: &str, per_mille: u64, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let mut n = 0;
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            let words: Vec<String> = p
                .split(' ')
                .map(|w| {
                    if rng.below(1000) < per_mille {
                        n += 1;
                        format!("replaced{n}")
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            words.join(" ")
        })
        .collect();
    paragraphs.join("\n\n")
}

/// The paragraphs in reverse order.
fn reorder(text: &str) -> String {
    let mut p: Vec<&str> = text.split("\n\n").collect();
    p.reverse();
    p.join("\n\n")
}

/// Another site's boilerplate around the text: a menu, related headlines,
/// share links and a copyright line (about +20% words for the seed body).
fn wrap(text: &str) -> String {
    const HEAD: &str =
        "Home\nWorld\nPolitics\nBusiness\nTechnology\nSport\nOpinion\nSubscribe\nSign in\n\nThe Daily Example\n\n";
    const TAIL: &str = "\n\nRelated\n\nOil Output Rises as Eastern Fields Reopen After Blockade\n\n\
        UN Envoy Calls for New Round of Talks in Geneva\n\nFloods Displace Thousands in Coastal Towns\n\n\
        Central Bank Announces New Exchange Rate Policy\n\nShare this article: Facebook Twitter WhatsApp Email\n\n\
        © 2024 The Daily Example. All rights reserved. Terms of use | Privacy policy | Contact us";
    format!("{HEAD}{text}{TAIL}")
}

fn exact_resemblance(a: &str, b: &str, w: usize) -> f64 {
    let sa: HashSet<u64> = shingle_hashes(a, w).into_iter().collect();
    let sb: HashSet<u64> = shingle_hashes(b, w).into_iter().collect();
    let union = sa.union(&sb).count();
    if union == 0 {
        return 0.0;
    }
    sa.intersection(&sb).count() as f64 / union as f64
}

/// A deterministic synthetic corpus: `n` texts of about `bytes` bytes from a
/// Zipf-like vocabulary, with capitals, commas, curly apostrophes and
/// paragraphs.
fn synthetic(n: usize, bytes: usize, seed: u64) -> Vec<String> {
    const SYLLABLES: [&str; 20] = [
        "ka", "lo", "ri", "ben", "tar", "mi", "so", "gal", "dra", "pe", "nu", "vos", "lin", "ex", "qua", "ter", "mon",
        "sa", "ho", "fi",
    ];
    let mut rng = Lcg(seed);
    let vocab: Vec<String> = (0..3000)
        .map(|i| (0..1 + i % 3 + rng.below(2) as usize).map(|_| SYLLABLES[rng.below(20) as usize]).collect())
        .collect();
    (0..n)
        .map(|_| {
            let mut t = String::new();
            while t.len() < bytes {
                for s in 0..3 + rng.below(4) {
                    let len = 8 + rng.below(18);
                    for i in 0..len {
                        let u = rng.below(1 << 20) as f64 / (1u64 << 20) as f64;
                        let w = &vocab[(u * u * u * 3000.0) as usize];
                        if i == 0 {
                            t.push_str(&w[..1].to_ascii_uppercase());
                            t.push_str(&w[1..]);
                        } else {
                            t.push_str(w);
                        }
                        if rng.below(60) == 0 {
                            t.push_str("\u{2019}s");
                        }
                        if i + 1 < len {
                            t.push_str(if rng.below(12) == 0 { ", " } else { " " });
                        }
                    }
                    t.push_str(if s % 5 == 4 { ".\n\n" } else { ". " });
                }
                t.push_str("\n\n");
            }
            t
        })
        .collect()
}

// ---------------------------------------------------------------- words

/// Pieces random texts are made of: ASCII words, digits and punctuation,
/// white space, the typographic characters the fast segmenter handles, and
/// characters it must leave to unicode-segmentation (combining marks, ZWJ,
/// soft hyphen, other scripts, emoji, non-ASCII spaces and separators).
const PIECES: &[&str] = &[
    "a", "B", "z", "US", "e", "s", "0", "7", "_", ".", ",", ";", ":", "'", "\"", "-", "!", "(", "/", " ", " ", "  ",
    "\t", "\n", "\n\n", "\r\n", "\x0B", "é", "Ç", "ß", "ÿ", "×", "’", "‘", "“", "”", "—", "–", "…", "\u{a0}", "©", "€",
    "«", "\u{301}", "\u{93f}", "\u{200d}", "\u{ad}", "\u{3000}", "\u{2003}", "\u{2028}", "\u{85}", "·", "ア", "א", "ﬁ",
    "İ", "😀", "🇫🇷", "\u{202f}", "\u{2060}", "١", "Љ", "ж", "ы",
];

/// The characters whose word-break rules interact, densely.
const INFIX_PIECES: &[&str] = &["a", "B", "0", "7", "_", ".", ",", ";", ":", "'", "’", "é", " ", "\u{301}", "!"];

fn piece_text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![prop::sample::select(PIECES), prop::sample::select(INFIX_PIECES)];
    prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

/// `text::for_each_word` yields the words of `text::words`, and its plain
/// words are those `normalize_word` leaves alone.
fn assert_fast_words_equal_text_words(s: &str) {
    let mut fast = Vec::new();
    crate::text::for_each_word(s, |w, plain| {
        if plain {
            assert_eq!(crate::text::normalize_word(w), w, "plain word changed by normalize_word");
        }
        fast.push(w);
    });
    let reference: Vec<&str> = crate::text::words(s).collect();
    assert_eq!(fast, reference, "{s:?}");
}

/// The hash of a normalised word as shingles hash it: spelt in Serbian
/// Latin, then `xxh3_64`.
fn hash_of_normalised(w: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(crate::text::in_serbian_latin(w).as_bytes())
}

/// The reference of the word hashes: `text::tokens` (the words of
/// `text::words` through `normalize_word`, empty ones dropped), each hashed
/// by [`hash_of_normalised`].
fn assert_word_hashes_equal_hashes_of_tokens(s: &str) {
    let mut fast = Vec::new();
    shingle::for_each_word_hash(s, |h| fast.push(h));
    let reference: Vec<u64> = crate::text::tokens(s).iter().map(|w| hash_of_normalised(w)).collect();
    assert_eq!(fast, reference, "{s:?}");
}

/// Words of news text (ASCII with capitals, digits with separators, long
/// words, Latin-1 letters, curly and straight apostrophes) between the
/// separators of prose, typography and characters the fast path leaves to
/// unicode-segmentation, so that words fall across the 64-byte windows of
/// the segmenter in every position.
fn prose_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        4 => "[a-z]{1,10}",
        2 => "[A-Z][a-z]{0,12}",
        1 => "[A-Z]{1,5}",
        1 => "[0-9]{1,3}([.,;:][0-9]{1,3}){0,3}",
        1 => "[a-zA-Z0-9_]{14,20}",
        1 => "[a-zA-Z_]{30,140}",
        1 => "[a-zé]{1,6}[’'‘][a-zA-Zé]{0,3}",
        1 => "[A-Za-zéÇßÿ]{1,9}",
        1 => "[a-z]{1,4}[.:][a-z]{1,4}",
    ];
    let sep = prop_oneof![
        12 => Just(" "),
        2 => Just(", "),
        2 => Just(". "),
        1 => Just("\n\n"),
        1 => Just(" — "),
        1 => Just(" “"),
        1 => Just("” "),
        1 => Just("’ "),
        1 => Just("' "),
        1 => Just("-"),
        1 => Just("…"),
        1 => Just(" \u{301}"),
        1 => Just(" ア "),
        1 => Just("·"),
        1 => Just("_"),
        1 => Just(""),
    ];
    (0usize..64, prop::collection::vec((word, sep), 0..120)).prop_map(|(pad, v)| {
        let mut t = " ".repeat(pad);
        for (w, s) in v {
            t.push_str(&w);
            t.push_str(s);
        }
        t
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn fast_words_equal_text_words_in_prose(s in prose_text()) {
        assert_fast_words_equal_text_words(&s);
    }

    #[test]
    fn fast_words_equal_text_words(s in piece_text(40)) {
        assert_fast_words_equal_text_words(&s);
    }

    #[test]
    fn fast_words_equal_text_words_in_long_texts(s in piece_text(400)) {
        // Long enough to cross the 64-byte blocks of the segmenter's masks.
        assert_fast_words_equal_text_words(&s);
    }

    #[test]
    fn fast_words_equal_text_words_in_ascii_prose(s in "([A-Za-z0-9_]{1,12}[ .,;:'’—\n]{1,2}){0,120}") {
        assert_fast_words_equal_text_words(&s);
    }

    #[test]
    fn word_kinds_tell_what_normalize_word_does(s in piece_text(120)) {
        let mut fast = Vec::new();
        crate::text::for_each_word_kind(&s, |w, kind| {
            let n = crate::text::normalize_word(w);
            match kind {
                crate::text::WordKind::Plain => assert_eq!(n, w, "plain word changed"),
                crate::text::WordKind::Upper => {
                    assert!(w.is_ascii() && !w.contains('\''), "upper word {w:?}");
                    assert_eq!(n, w.to_ascii_lowercase(), "upper word {w:?}");
                }
                crate::text::WordKind::Other => {}
            }
            fast.push(w);
        });
        let reference: Vec<&str> = crate::text::words(&s).collect();
        prop_assert_eq!(fast, reference);
    }

    #[test]
    fn xxh3_ascii_short_equals_xxh3_64(w in "[ -~]{1,16}") {
        let expected = xxhash_rust::xxh3::xxh3_64(w.as_bytes());
        prop_assert_eq!(shingle::xxh3_ascii_short(w.as_bytes(), false), expected);
        let expected = xxhash_rust::xxh3::xxh3_64(w.to_ascii_lowercase().as_bytes());
        prop_assert_eq!(shingle::xxh3_ascii_short(w.as_bytes(), true), expected);
    }

    #[test]
    fn xxh3_ascii_short_equals_xxh3_64_on_any_ascii(v in prop::collection::vec(0u8..0x80, 1..=16)) {
        prop_assert_eq!(shingle::xxh3_ascii_short(&v, false), xxhash_rust::xxh3::xxh3_64(&v));
        prop_assert_eq!(shingle::xxh3_ascii_short(&v, true), xxhash_rust::xxh3::xxh3_64(&v.to_ascii_lowercase()));
    }

    #[test]
    fn word_hashes_equal_hashes_of_tokens(s in piece_text(200)) {
        assert_word_hashes_equal_hashes_of_tokens(&s);
    }

    #[test]
    fn word_hashes_equal_hashes_of_tokens_in_prose(s in prose_text()) {
        assert_word_hashes_equal_hashes_of_tokens(&s);
    }

    #[test]
    fn word_hash_equals_hash_of_normalize_word(s in piece_text(8)) {
        for w in crate::text::words(&s) {
            let n = crate::text::normalize_word(w);
            let expected = (!n.is_empty()).then(|| hash_of_normalised(&n));
            prop_assert_eq!(shingle::word_hash(w), expected, "word {:?}", w);
        }
    }
}

#[test]
fn words_meet_across_typography() {
    let cfg = FingerprintConfig::default();
    let a = fingerprint("The US’s Chargé d’Affaires met “Haftar” — on Monday", &cfg);
    let b = fingerprint("the US's CHARGÉ d'affaires met \"haftar\" - on monday", &cfg);
    assert_eq!(a, b);
}

#[test]
fn segments_like_uax29() {
    let text = "e.g. 3.14 1,000 U.S. don’t a:b 1:2 a_b __ x.1 Libya’s";
    let mut got = Vec::new();
    crate::text::for_each_word(text, |w, _| got.push(w));
    assert_eq!(got, crate::text::words(text).collect::<Vec<_>>());
    assert_eq!(got, ["e.g", "3.14", "1,000", "U.S", "don’t", "a:b", "1", "2", "a_b", "x", "1", "Libya’s"]);
}

// ------------------------------------------------------------- shingles

#[test]
fn rolling_shingles_equal_standalone_windows() {
    let text = "One two three, four five six seven.\n\nEight nine ten";
    let words = crate::text::tokens(text);
    for w in 1..=6 {
        let rolling = shingle_hashes(text, w);
        assert_eq!(rolling.len(), words.len() - w + 1);
        for (i, h) in rolling.iter().enumerate() {
            assert_eq!(shingle_hashes(&words[i..i + w].join(" "), w), vec![*h], "w={w} i={i}");
        }
    }
}

#[test]
fn short_and_empty_texts() {
    let cfg = FingerprintConfig::default();
    assert_eq!(shingle_hashes("Two words", 4).len(), 1);
    assert_ne!(shingle_hashes("Two words", 4), shingle_hashes("Two words x y", 4));
    let short = fingerprint("Two words", &cfg);
    assert_eq!(short.n_shingles, 1);
    assert_eq!(short.minhash.len(), cfg.num_hashes);
    assert!(short.minhash.iter().all(|&v| v == short.minhash[0]), "one shingle fills every bin");
    assert_eq!(short.resemblance(&fingerprint("two WORDS!", &cfg)), 1.0);

    for empty in ["", "  \n\n ", "— … !"] {
        let e = fingerprint(empty, &cfg);
        assert!(e.is_empty());
        assert_eq!(e.simhash, 0);
        assert_eq!(e.minhash.len(), cfg.num_hashes);
        assert_eq!(e.resemblance(&e), 0.0);
        assert_eq!(e.resemblance(&short), 0.0);
    }
}

// ------------------------------------------------------- MinHash/SimHash

#[test]
fn identical_texts_resemble_fully() {
    let cfg = FingerprintConfig::default();
    for text in SEEDS.iter().copied().chain([body0()]) {
        let copy = String::from(text);
        let (a, b) = (fingerprint(text, &cfg), fingerprint(&copy, &cfg));
        assert_eq!(a.resemblance(&b), 1.0);
        assert_eq!(a.simhash_distance(&b), 0);
    }
}

#[test]
fn simhash_accumulator_counts_bits() {
    let mut rng = Lcg(7);
    for n in [1usize, 2, 30, 31, 32, 62, 247, 248, 249, 254, 255, 256, 1000, 5000] {
        let hashes: Vec<u64> = (0..n).map(|_| (rng.next() << 31) ^ rng.next()).collect();
        let mut acc = SimHashAccumulator::new();
        hashes.iter().for_each(|&h| acc.add(h));
        let naive = (0..64).fold(0u64, |s, i| {
            let ones = hashes.iter().filter(|&&h| h >> i & 1 == 1).count();
            if 2 * ones > n {
                s | 1 << i
            } else {
                s
            }
        });
        assert_eq!(acc.finish(n as u64), naive, "n={n}");
    }
}

/// Shingle loops of every length around the SimHash planes' and lanes'
/// capacities, with the default `k` (its loop of its own) and others.
fn assert_fingerprint_equals_reference(text: &str) {
    for (w, k) in [(4, 128), (1, 128), (4, 127), (3, 256), (2, 1)] {
        let cfg = FingerprintConfig::new(w, k, 0.4);
        assert_eq!(fingerprint(text, &cfg), fingerprint_reference(text, &cfg), "w={w} k={k} {text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn fingerprint_equals_fingerprint_reference(s in prose_text()) {
        assert_fingerprint_equals_reference(&s);
    }
}

#[test]
fn fingerprint_equals_fingerprint_reference_on_long_texts() {
    for (i, text) in synthetic(6, 6000, 11).iter().enumerate() {
        let words: Vec<&str> = text.split(' ').collect();
        for n in [0, 1, 3, 4, 5, 31, 34, 35, 62, 248, 251, 252, 253, 500, words.len()] {
            assert_fingerprint_equals_reference(&words[..n.min(words.len())].join(" "));
        }
        assert_fingerprint_equals_reference(text);
        assert!(i > 0 || words.len() > 600, "{} words", words.len());
    }
}

#[test]
fn pair_planes_equal_the_scalar_reference() {
    let mut rng = Lcg(19);
    for n in [0usize, 1, 2, 17, 31] {
        let (mut fast, mut scalar) = (PairPlanes::EMPTY, PairPlanesScalar::EMPTY);
        for _ in 0..n {
            let (h0, h1) = ((rng.next() << 31) ^ rng.next(), (rng.next() << 31) ^ rng.next());
            fast.count_bits(h0, h1);
            scalar.count_bits(h0, h1);
        }
        let (fast, scalar) = (fast.split(n as u32), scalar.split(n as u32));
        for (f, s) in fast.iter().zip(&scalar) {
            assert_eq!((f.bits, f.count), (s.bits, s.count), "n={n}");
        }
        assert!(n == 0 || scalar[0].bits != scalar[1].bits, "n={n}");
    }
}

/// Bins of `k` with the bins of `filled` (taken modulo `k`) non-empty.
fn bins_with(k: usize, filled: &[usize], values: &[u32]) -> Vec<u64> {
    let mut bins = vec![EMPTY; k];
    for (&j, &v) in filled.iter().zip(values.iter().cycle()) {
        bins[j % k] = u64::from(v);
    }
    bins
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn densify_by_table_equals_densify_by_probing(
        k in prop_oneof![Just(128usize), 1usize..=FIRST_PROBES_MAX_K],
        filled in prop::collection::vec(0usize..1024, 1..40),
        values in prop::collection::vec(any::<u32>(), 1..8),
    ) {
        let bins = bins_with(k, &filled, &values);
        let table = first_probes(k).expect("a table up to FIRST_PROBES_MAX_K");
        prop_assert_eq!(densify_by_table(&bins, table), densify_by_probing(&bins));
        prop_assert_eq!(densify(&bins), densify_by_probing(&bins));
    }
}

#[test]
fn densify_without_a_table_probes() {
    let k = FIRST_PROBES_MAX_K + 1;
    assert!(first_probes(k).is_none());
    let bins = bins_with(k, &[3], &[42]);
    assert!(densify(&bins).iter().all(|&v| v == 42));
}

#[test]
fn simhash_separates_copies_from_other_articles() {
    let cfg = FingerprintConfig::default();
    let f = |t: &str| fingerprint(t, &cfg);
    let original = f(body0());
    let copy = f(&wrap(body0()));
    let other = f(slice(SEEDS[1], "On Tuesday, the General Commander", "Gaddafi in 2011."));
    assert!(original.simhash_distance(&copy) < original.simhash_distance(&other));
    assert!(original.simhash_distance(&other) > 16);
}

/// Texts of 300–600 words from a 200-word vocabulary, and a variant with a
/// fraction of its words replaced and some words appended, so that the exact
/// resemblance covers the whole range.
fn text_pair() -> impl Strategy<Value = (String, String)> {
    (prop::collection::vec(0u32..200, 300..600), 0.0f64..1.0, any::<u64>(), 0usize..300).prop_map(
        |(base, p, seed, extra)| {
            let mut rng = Lcg(seed);
            let word = |i: u32| format!("w{i}");
            let a: Vec<String> = base.iter().map(|&i| word(i)).collect();
            let mut b: Vec<String> = base
                .iter()
                .map(|&i| {
                    if (rng.below(1 << 20) as f64) < p * (1u64 << 20) as f64 {
                        word(200 + rng.below(200) as u32)
                    } else {
                        word(i)
                    }
                })
                .collect();
            b.extend((0..extra).map(|_| word(rng.below(400) as u32)));
            (a.join(" "), b.join(" "))
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The one-permutation estimate is within four standard errors
    /// `sqrt(J(1-J)/k)` (plus 0.03 for densification and rounding) of the
    /// exact Jaccard coefficient of the shingle sets.
    #[test]
    fn resemblance_estimates_jaccard((a, b) in text_pair()) {
        let cfg = FingerprintConfig::default();
        let exact = exact_resemblance(&a, &b, cfg.shingle_words);
        let estimate = f64::from(fingerprint(&a, &cfg).resemblance(&fingerprint(&b, &cfg)));
        let std_error = (exact * (1.0 - exact) / cfg.num_hashes as f64).sqrt();
        prop_assert!((estimate - exact).abs() <= 4.0 * std_error + 0.03, "exact {} estimate {}", exact, estimate);
    }
}

// ------------------------------------------------------------ config

#[test]
fn default_config_is_documented_banding() {
    let cfg = FingerprintConfig::default();
    assert_eq!(cfg, FingerprintConfig { shingle_words: 4, num_hashes: 128, bands: 42, rows: 3, threshold: 0.4 });
    assert!(cfg.lsh_threshold() < cfg.threshold);
    assert!((cfg.lsh_threshold() - 0.288).abs() < 0.001);
    assert!(cfg.candidate_probability(0.4) > 0.93);
    assert!(cfg.candidate_probability(0.5) > 0.99);
    assert!(cfg.candidate_probability(0.05) < 0.01);
    assert_eq!(FingerprintConfig::banding(128, 0.5), (32, 4));
    assert_eq!(FingerprintConfig::banding(128, 0.8), (18, 7));
    assert_eq!(FingerprintConfig::banding(128, 0.01), (128, 1));
}

// ---------------------------------------------------------- near_duplicates

#[test]
fn edited_reordered_and_wrapped_copies_are_grouped() {
    let cfg = FingerprintConfig::default();
    let original = body0();
    let mut texts = vec![original.to_string(), reorder(original), wrap(original)];
    texts.extend((1..=10).map(|seed| edit(original, 50, seed)));
    // Different reports of the same kind of event must stay apart.
    texts.push(slice(SEEDS[1], "On Tuesday, the General Commander", "Gaddafi in 2011.").to_string());
    texts.push(slice(SEEDS[4], "On Sunday, the General Commander", "North Africa.").to_string());
    texts.extend([SEEDS[2].to_string(), SEEDS[3].to_string()]);
    let copies = 13;

    let fps = fingerprint_all(&texts, &cfg);
    let groups = near_duplicates(&fps, &cfg);
    for i in 1..copies {
        assert_eq!(groups.group_of[i], 0, "copy {i} not grouped (resemblance {})", fps[0].resemblance(&fps[i]));
        assert!(groups.links.iter().any(|l| (l.a, l.b) == (0, i)), "copy {i} not linked to the original");
    }
    for i in copies..texts.len() {
        assert_eq!(groups.group_of[i], i, "text {i} wrongly grouped");
    }
    assert_eq!(groups.groups(), vec![(0..copies).collect::<Vec<_>>()]);
    assert!(groups.links.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)));
    assert!(groups.links.iter().all(|l| l.a < l.b && l.resemblance >= cfg.threshold));
}

/// Serbian outlets publish a page in Cyrillic and again in Latin, letter
/// for letter: the two are one near-duplicate group, and a Serbian report
/// of another event is not in it.
#[test]
fn a_serbian_page_and_its_latin_twin_are_copies() {
    let cfg = FingerprintConfig::default();
    let texts = [
        "Након јутрошњег земљотреса у Краљеву оштећено је више од стотину кућа, а две особе су лакше повређене. \
         Штаб за ванредне ситуације Краљева наставља да прикупља пријаве о штети. Становници села у околини \
         Краљева ноћ ће провести у шаторима. Земљотрес је био јачине 5,8 степени.",
        "Nakon jutrošnjeg zemljotresa u Kraljevu oštećeno je više od stotinu kuća, a dve osobe su lakše povređene. \
         Štab za vanredne situacije Kraljeva nastavlja da prikuplja prijave o šteti. Stanovnici sela u okolini \
         Kraljeva noć će provesti u šatorima. Zemljotres je bio jačine 5,8 stepeni.",
        "Извршни одбор Народне банке Србије одлучио је данас да референтну каматну стопу задржи на нивоу од 6,5 \
         одсто. Како је саопштено, инфлација у последњим месецима успорава, али су ризици из међународног \
         окружења и даље присутни. Следећа седница биће одржана у априлу.",
    ];
    let fps = fingerprint_all(&texts, &cfg);
    assert_eq!(fps[0].resemblance(&fps[1]), 1.0);
    assert_eq!(near_duplicates(&fps, &cfg).groups(), vec![vec![0, 1]]);
}

#[test]
fn seed_articles_are_not_duplicates() {
    let cfg = FingerprintConfig::default();
    let fps = fingerprint_all(&SEEDS, &cfg);
    let groups = near_duplicates(&fps, &cfg);
    assert!(groups.links.is_empty(), "{:?}", groups.links);
    assert_eq!(groups.group_of, vec![0, 1, 2, 3, 4]);
    for a in 0..5 {
        for b in a + 1..5 {
            assert!(fps[a].resemblance(&fps[b]) < 0.15, "seeds {a} and {b}");
        }
    }
}

#[test]
fn groups_and_links_do_not_depend_on_input_order() {
    let cfg = FingerprintConfig::default();
    let mut texts = synthetic(60, 1500, 3);
    for i in 0..30 {
        texts.push(edit(&texts[i].clone(), 30 + 10 * (i as u64 % 5), i as u64));
    }
    texts.push(wrap(body0()));
    texts.push(body0().to_string());
    texts.extend(SEEDS.iter().map(|s| s.to_string()));
    let fps = fingerprint_all(&texts, &cfg);
    let reference = near_duplicates(&fps, &cfg);
    assert!(reference.links.len() >= 25, "the corpus has near-duplicates");

    let canonical = |groups: &DupGroups, original: &dyn Fn(usize) -> usize| {
        let mut members: Vec<Vec<usize>> =
            groups.groups().into_iter().map(|g| g.into_iter().map(original).collect::<Vec<_>>()).collect();
        members.iter_mut().for_each(|g| g.sort_unstable());
        members.sort();
        let mut links: Vec<(usize, usize, f32)> = groups
            .links
            .iter()
            .map(|l| {
                let (a, b) = (original(l.a), original(l.b));
                (a.min(b), a.max(b), l.resemblance)
            })
            .collect();
        links.sort_by_key(|x| (x.0, x.1));
        (members, links)
    };
    let expected = canonical(&reference, &|i| i);

    let mut rng = Lcg(11);
    for _ in 0..3 {
        let mut order: Vec<usize> = (0..fps.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let permuted: Vec<Fingerprint> = order.iter().map(|&i| fps[i].clone()).collect();
        let groups = near_duplicates(&permuted, &cfg);
        assert_eq!(canonical(&groups, &|i| order[i]), expected);
        // Representatives are the smallest index of each group.
        for (i, &g) in groups.group_of.iter().enumerate() {
            assert!(g <= i && groups.group_of[g] == g);
        }
    }
}

#[test]
fn thousands_of_identical_texts_do_not_explode() {
    let cfg = FingerprintConfig::default();
    let n = 2000;
    let mut fps = vec![fingerprint("No Result View All Result", &cfg); n];
    fps.push(fingerprint(body0(), &cfg));
    fps.push(fingerprint("", &cfg));
    // Each band's bucket of n copies proposes a star, not n²/2 pairs.
    let live: Vec<u32> = (0..fps.len() as u32).filter(|&i| !fps[i as usize].is_empty()).collect();
    let candidates = lsh::candidates(&fps, &live, cfg.bands, cfg.rows);
    assert!(candidates.len() < 2 * n, "{} candidate pairs", candidates.len());
    let groups = near_duplicates(&fps, &cfg);
    assert!(groups.group_of[..n].iter().all(|&g| g == 0));
    assert_eq!(groups.group_of[n..], [n, n + 1]);
    // Star links to the first copy, not n²/2 pairs.
    assert_eq!(groups.links.len(), n - 1);
    assert!(groups.links.iter().all(|l| l.a == 0 && l.resemblance == 1.0));
}

#[test]
fn thousands_of_similar_texts_do_not_explode() {
    // Short pages that share one of their two shingles: every band where all
    // bins come from the shared shingle is one bucket of 2000 distinct
    // signatures.
    let cfg = FingerprintConfig::default();
    let n = 2000;
    let fps: Vec<Fingerprint> = (0..n).map(|i| fingerprint(&format!("No Result View All page{i}"), &cfg)).collect();
    // The pairs compared in full, like the links, grow with n and the bands,
    // not with n²/2.
    let live: Vec<u32> = (0..n as u32).collect();
    let candidates = lsh::candidates(&fps, &live, cfg.bands, cfg.rows);
    assert!(candidates.len() < n * cfg.bands, "{} candidate pairs", candidates.len());
    let groups = near_duplicates(&fps, &cfg);
    // At most one star link per member and band, far from n²/2.
    assert!(groups.links.len() < n * cfg.bands, "{} links", groups.links.len());
}

#[test]
fn empty_input_and_empty_texts() {
    let cfg = FingerprintConfig::default();
    assert_eq!(near_duplicates(&[], &cfg), DupGroups::default());
    let fps = fingerprint_all(&["", "", " . "], &cfg);
    let groups = near_duplicates(&fps, &cfg);
    assert_eq!(groups.group_of, vec![0, 1, 2]);
    assert!(groups.links.is_empty());
}

#[test]
fn parallel_fingerprints_equal_sequential() {
    let cfg = FingerprintConfig::default();
    let texts = synthetic(40, 2000, 5);
    let sequential: Vec<Fingerprint> = texts.iter().map(|t| fingerprint(t, &cfg)).collect();
    assert_eq!(fingerprint_all(&texts, &cfg), sequential);
}

/// The candidate pairs of all bands found the straightforward way: per band,
/// every live document's `(band key, index)` sorted, equal keys grouped.
fn candidates_by_sorting(fps: &[Fingerprint], live: &[u32], bands: usize, rows: usize) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for band in 0..bands {
        let mut keyed: Vec<(u64, u32)> = live
            .iter()
            .map(|&i| (lsh::band_key(&fps[i as usize].minhash[band * rows..(band + 1) * rows]), i))
            .collect();
        keyed.sort_unstable();
        for run in keyed.chunk_by(|x, y| x.0 == y.0).filter(|run| run.len() >= 2) {
            let mut members: Vec<u32> = run.iter().map(|&(_, i)| i).collect();
            lsh::bucket_pairs(fps, &mut members, &mut out);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `n` signatures of `k` values from a small alphabet (so that bands often
/// agree): families of edited copies, a class of more than `LARGE_BUCKET`
/// identical ones and one of more than `LARGE_BUCKET` that share only
/// their first bands, and some empty ones.
fn planted_signatures(n: usize, k: usize, seed: u64) -> Vec<Fingerprint> {
    let mut rng = Lcg(seed);
    let signature = |values: Vec<u32>| Fingerprint { simhash: 0, minhash: values.into_boxed_slice(), n_shingles: 1 };
    let mut fps: Vec<Fingerprint> = Vec::with_capacity(n);
    while fps.len() < n {
        let roll = rng.below(100);
        if roll < 2 {
            fps.push(Fingerprint { simhash: 0, minhash: vec![u32::MAX; k].into_boxed_slice(), n_shingles: 0 });
        } else if roll < 40 && !fps.is_empty() {
            let original = &fps[rng.below(fps.len() as u64) as usize].minhash;
            let edited = original.iter().map(|&v| if rng.below(4) == 0 { rng.below(6) as u32 } else { v }).collect();
            fps.push(signature(edited));
        } else {
            fps.push(signature((0..k).map(|_| rng.below(6) as u32).collect()));
        }
    }
    let same = signature((0..k).map(|_| rng.below(1000) as u32).collect());
    fps.extend(std::iter::repeat_n(same, LARGE_BUCKET + 10));
    for i in 0..LARGE_BUCKET as u32 + 10 {
        fps.push(signature((0..k as u32).map(|j| if j < 12 { j } else { 1000 + i * 1000 + j }).collect()));
    }
    fps
}

#[test]
fn candidates_equal_candidates_by_sorting() {
    let cfg = FingerprintConfig::default();
    for (n, seed) in [(0, 1), (1, 2), (50, 3), (3000, 4), (9000, 5)] {
        let fps = planted_signatures(n, cfg.num_hashes, seed);
        let live: Vec<u32> = (0..fps.len() as u32).filter(|&i| !fps[i as usize].is_empty()).collect();
        let expected = candidates_by_sorting(&fps, &live, cfg.bands, cfg.rows);
        assert!(n < 50 || expected.len() > n, "{} candidates", expected.len());
        assert_eq!(lsh::candidates(&fps, &live, cfg.bands, cfg.rows), expected, "n={n}");
    }
}

#[test]
fn a_fingerprint_reads_back_as_written() {
    let config = FingerprintConfig::default();
    for text in [body0(), "", "two words"] {
        let fp = fingerprint(text, &config);
        let mut bytes = Vec::new();
        fp.encode(&mut bytes);
        assert_eq!(bytes.len(), 12 + 4 * config.num_hashes);
        assert_eq!(Fingerprint::decode(&bytes), Some(fp), "{text:?}");
        assert_eq!(Fingerprint::decode(&bytes[..bytes.len() - 1]), None, "a cut value is refused");
        assert_eq!(Fingerprint::decode(&bytes[..11]), None, "a cut header is refused");
    }
}

/// A store finds the copies of a batch among its articles by their copy
/// keys and a probe: it must find the same pairs as near-duplicate
/// detection over batch and store together.
#[test]
fn a_probe_finds_the_copies_near_duplicates_finds() {
    let config = FingerprintConfig::default();
    let originals = synthetic(80, 1500, 7);
    let mut texts: Vec<String> = Vec::new();
    for (k, text) in originals.iter().enumerate() {
        texts.push(text.clone());
        // Copies edited from lightly to beyond the threshold.
        texts.push(edit(text, [20, 150, 300, 600][k % 4], k as u64));
    }
    let fps = fingerprint_all(&texts, &config);
    // The batch is every third text; the others are stored.
    let in_batch = |i: usize| i.is_multiple_of(3);
    let groups = near_duplicates(&fps, &config);
    let batch: Vec<Fingerprint> = (0..fps.len()).filter(|&i| in_batch(i)).map(|i| fps[i].clone()).collect();
    let probe = Probe::new(&batch, &config);
    let mut found = 0;
    for stored in (0..fps.len()).filter(|&i| !in_batch(i)) {
        let expected =
            groups.links.iter().any(|l| (l.a == stored && in_batch(l.b)) || (l.b == stored && in_batch(l.a)));
        let keys = copy_keys(&fps[stored], &config);
        assert_eq!(keys.len(), 4 * config.bands);
        let copy = probe.may_copy(&keys) && probe.has_copy(&fps[stored]);
        assert_eq!(copy, expected, "stored text {stored}");
        found += usize::from(copy);
    }
    assert!(found >= 10, "the corpus has copies across batch and store ({found})");
    let empty = fingerprint("", &config);
    assert!(copy_keys(&empty, &config).is_empty() && !probe.has_copy(&empty), "a text without words has no copies");
}

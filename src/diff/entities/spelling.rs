//! Whether two name words are one name: spellings of it ("Dbeibah" /
//! "Dbaiba", "Gaddafi" / "Qadhafi", "Mohammed" / "Mohamed") or a derivation
//! of it ("Libya" / "Libyan").
//!
//! Owns [`same_spelling`], [`derives_from`] and the string measures they
//! use: the consonant [`skeleton`] and Jaro-Winkler; the edit distance is
//! `strsim::osa_distance` (optimal string alignment, on characters). It
//! compares two words only; grouping the words of a story is
//! [`super::Variants`].

use super::lexicon::DERIVATION_SUFFIXES;

/// Letter classes that transliterations swap ("Gaddafi"/"Qaddafi").
pub(super) fn letter_class(c: char) -> char {
    match c {
        'a' | 'e' | 'i' | 'o' | 'u' => 'a',
        'c' | 'k' | 'q' | 'g' => 'k',
        'j' | 'y' => 'j',
        'b' | 'p' => 'b',
        'd' | 't' => 'd',
        'f' | 'v' => 'f',
        's' | 'z' => 's',
        _ => c,
    }
}

/// Strips diacritics and keeps letters: "Chargé" → "charge".
pub(super) fn ascii_fold(word: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    word.nfd().filter(|c| !is_combining_mark(*c) && c.is_alphabetic()).flat_map(char::to_lowercase).collect()
}

/// The consonant skeleton of a name: the first letter's class, then the
/// consonant classes with vowels, `h`, `w`, `y` dropped and repeats
/// collapsed ("Dbeibah", "Dbaiba" → "db"; "Gaddafi", "Qadhafi" → "kdf").
pub(super) fn skeleton(word: &str) -> String {
    let w = ascii_fold(word).replace("ph", "f").replace("ck", "k");
    let mut out = String::new();
    let mut last = None;
    for (i, c) in w.chars().enumerate() {
        let cls = letter_class(c);
        if i > 0 && (cls == 'a' || matches!(c, 'h' | 'w' | 'y')) {
            continue;
        }
        if last != Some(cls) {
            out.push(cls);
        }
        last = Some(cls);
    }
    out
}

/// Jaro-Winkler similarity of two words (characters), the prefix bonus
/// always applied.
///
/// This is kept rather than `strsim::jaro_winkler`, which computes another
/// measure: it rounds the half transposition count down (integer
/// division) and adds the prefix bonus only above a Jaro score of 0.7.
/// Over two million random one-to-three-edit pairs the two disagree on
/// [`same_spelling`] for about one pair in 1,400, and on real names too:
/// "Benghazi"/"Benzhazi" scores 0.892 here and 0.908 there, so strsim would
/// call it a spelling at the 0.9 default and change the output.
pub(super) fn jaro_winkler(a: &str, b: &str) -> f32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = vec![false; a.len()];
    let mut b_match = vec![false; b.len()];
    let mut m = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && a[i] == b[j] {
                a_match[i] = true;
                b_match[j] = true;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let (mut t, mut j) = (0usize, 0usize);
    for i in 0..a.len() {
        if a_match[i] {
            while !b_match[j] {
                j += 1;
            }
            if a[i] != b[j] {
                t += 1;
            }
            j += 1;
        }
    }
    let m = m as f32;
    let jaro = (m / a.len() as f32 + m / b.len() as f32 + (m - t as f32 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f32;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Whether two (normalised) name words are spellings of one name: same
/// first-letter class, lengths within 2, and either Jaro-Winkler ≥
/// `threshold` with at most one edit (two for words of 8+ letters), or the
/// same consonant skeleton (2+ classes) with Jaro-Winkler ≥ 0.75.
pub(super) fn same_spelling(a: &str, b: &str, threshold: f32) -> bool {
    let (fa, fb) = (ascii_fold(a), ascii_fold(b));
    let (la, lb) = (fa.chars().count(), fb.chars().count());
    if la < 4 || lb < 4 || la.abs_diff(lb) > 2 {
        return false;
    }
    let (ca, cb) = (fa.chars().next().map(letter_class), fb.chars().next().map(letter_class));
    if ca != cb {
        return false;
    }
    if fa == fb {
        return true;
    }
    let jw = jaro_winkler(&fa, &fb);
    let max_edits = if la.min(lb) >= 8 { 2 } else { 1 };
    if jw >= threshold && strsim::osa_distance(&fa, &fb) <= max_edits {
        return true;
    }
    let (sa, sb) = (skeleton(&fa), skeleton(&fb));
    sa.chars().count() >= 2 && sa == sb && jw >= 0.75
}

/// Whether `derived` is a derivation of `base` ("Libya" → "Libyan",
/// "Sudan" → "Sudanese", "Italy" → "Italian", "Iraq" → "Iraqi").
pub(super) fn derives_from(derived: &str, base: &str) -> bool {
    if base.chars().count() < 4 || derived.len() <= base.len() {
        return false;
    }
    let stem = base.trim_end_matches(['a', 'e', 'y', 'o']);
    let stem = if stem.chars().count() >= 3 { stem } else { base };
    for s in [base, stem] {
        if let Some(rest) = derived.strip_prefix(s) {
            if DERIVATION_SUFFIXES.contains(&rest) {
                return true;
            }
        }
    }
    false
}

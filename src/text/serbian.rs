//! Serbian, written in Cyrillic and in Latin letter for letter: a word in
//! either script spelt in Latin, so that the two meet.

use std::borrow::Cow;

/// A normalised (lower-case) word with its Serbian Cyrillic letters spelt
/// as Serbian writes them in Latin (Gaj's alphabet: љ is lj, ћ is ć); every
/// other character is kept, so a word without such letters is returned as
/// it is. Letters of other Cyrillic alphabets that Serbian lacks (ы, я, щ)
/// stay Cyrillic: a Russian word is spelt the same way every time, which
/// is all a comparison needs.
pub fn in_serbian_latin(word: &str) -> Cow<'_, str> {
    if word.is_ascii() || !word.chars().any(|c| latin_of(c).is_some()) {
        return Cow::Borrowed(word);
    }
    let mut latin = String::with_capacity(word.len());
    for c in word.chars() {
        match latin_of(c) {
            Some(letters) => latin.push_str(letters),
            None => latin.push(c),
        }
    }
    Cow::Owned(latin)
}

/// A lower-case Serbian Cyrillic letter in Serbian Latin; `None` for any
/// other character.
fn latin_of(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'ђ' => "đ",
        'е' => "e",
        'ж' => "ž",
        'з' => "z",
        'и' => "i",
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "ć",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "č",
        'џ' => "dž",
        'ш' => "š",
        _ => return None,
    })
}

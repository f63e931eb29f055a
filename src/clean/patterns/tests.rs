//! Tests of the generic boilerplate patterns: `is_generic` against a plain
//! reference, the rare-byte guard against its scalar version, copyright
//! holders and menus.

use proptest::prelude::*;

use super::*;

/// `is_generic` without the [`RareBytes`] guard on its substring
/// searches, with every prefix compared and every word looked up among the
/// core sharing words: the reference it must equal.
fn is_generic_reference(norm: &str, words: usize) -> bool {
    let t = norm
        .trim_end_matches([':', '.', '»', '›', '>', '|', '-', '!', ' ', '*'])
        .trim_start_matches(['»', '›', '>', '|', '-', ' ']);
    if t.is_empty() {
        return true;
    }
    if words <= 6 && EXACT.binary_search(&t).is_ok() {
        return true;
    }
    if PREFIXES.iter().any(|p| norm.starts_with(p)) {
        return true;
    }
    if words <= 8 && t.starts_with("by ") && !super::super::lines::ends_sentence(norm) {
        return true;
    }
    if words <= 15 && (t.ends_with("subscribe now") || t.contains("support independent journalism")) {
        return true;
    }
    if words <= 20
        && (t.contains("newsletter") || t.contains("inbox"))
        && (t.contains("sign up") || t.contains("subscribe") || t.contains("your inbox"))
    {
        return true;
    }
    if words <= 12 {
        let mut toks = t.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty());
        let mut core = false;
        if toks.all(|w| {
            core |= SOCIAL_CORE.contains(&w);
            SOCIAL.contains(&w)
        }) && core
        {
            return true;
        }
    }
    words >= 4
        && t.bytes().any(|b| matches!(b, b'|' | b'/' | 0xB7 | 0xA2))
        && MENU_SEPARATORS.iter().any(|sep| t.contains(sep) && are_menu_items(t.split(sep)))
}

#[rustfmt::skip]
fn line_pieces(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "newsletter", "inbox", "your inbox", "sign up", "subscribe", "subscribe now", "support independent journalism",
        "journalism", "news", "letter", "in", "box", "share", "facebook", "twitter", "by ", "home", "world", "the",
        " | ", " · ", " / ", " • ", "|", "/", "·", "•", " ", " ", " ", ".", ":", "»", "-", "!", "*", "x", "w", "j",
        "tags:", "related:", "next post", "no result", "a long sentence ends.", "tag:", "tagged with", "share on ",
        "share this", "share via ", "sign up for ", "subscribe to ", "you may also like:", "s", "t", "y", "©",
        "copyright ", "(c) ", "all rights reserved", "reserved", "rv", "2024", "é", "  ", "   ", "a b c",
    ]);
    prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn is_generic_equals_the_reference(s in line_pieces(14)) {
        let words = s.split_whitespace().count();
        prop_assert_eq!(is_generic(&s, words), is_generic_reference(&s, words), "{:?}", s);
    }
}

/// `is_copyright` with plain substring searches: the reference it
/// must equal.
fn is_copyright_reference(norm: &str, words: usize) -> bool {
    if words > 20 {
        return false;
    }
    norm.starts_with('©')
        || norm.starts_with("(c) ")
        || norm.contains("all rights reserved")
        || (norm.starts_with("copyright ") && (norm.contains('©') || norm.bytes().any(|b| b.is_ascii_digit())))
        || (words <= 10 && norm.contains('©'))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn copyright_and_spaced_menus_equal_the_reference(s in line_pieces(14)) {
        let words = s.split_whitespace().count();
        prop_assert_eq!(is_copyright(&s, words), is_copyright_reference(&s, words), "{:?}", s);
        let spaced_menu = s.contains("  ") && are_menu_items(s.split("  "));
        prop_assert_eq!(is_spaced_menu(&s), spaced_menu, "{:?}", s);
    }
}

proptest! {
    #[test]
    fn rare_bytes_equal_the_scalar_version(s in "[a-z |/·•jwx—é]{0,70}") {
        prop_assert_eq!(RareBytes::of(&s), RareBytes::of_scalar(s.as_bytes()));
        let any = |f: fn(u8) -> bool| s.bytes().any(f);
        let expected = RareBytes {
            separator: any(|b| matches!(b, b'|' | b'/' | 0xB7 | 0xA2)),
            j: any(|b| b == b'j'),
            w: any(|b| b == b'w'),
            x: any(|b| b == b'x'),
        };
        prop_assert_eq!(RareBytes::of_scalar(s.as_bytes()), expected);
    }
}

#[test]
fn exact_and_prefix_lists_are_sorted() {
    assert!(EXACT.windows(2).all(|w| w[0] < w[1]), "EXACT must stay sorted for binary search");
    assert!(PREFIXES.windows(2).all(|w| w[0] < w[1]), "PREFIXES must stay sorted for has_prefix");
}

#[test]
fn generic_lines() {
    for s in [
        "share on facebookshare on twitter",
        "tags: khalifa haftarlibyalnausus delegation",
        "next post",
        "no result",
        "view all result",
        "leave a reply cancel reply",
        "your email address will not be published. required fields are marked *",
        "home | news | world | politics | subscribe",
        "share on facebook · tweet · whatsapp · copy link",
        "related: some other headline here",
        "by john smith",
        "follow us",
        "get the daily newsletter in your inbox every morning.",
        "get the latest headlines in your inbox. subscribe now.",
    ] {
        let words = s.split_whitespace().count();
        assert!(is_generic(s, words), "{s}");
    }
    for s in [
        "on monday, the general commander met the delegation.",
        "home libya",
        "the us, through africom, has been involved.",
    ] {
        assert!(!is_generic(s, s.split_whitespace().count()), "{s}");
    }
}

#[test]
fn holders_and_corroboration() {
    assert_eq!(copyright_holder("© 2024 LR").as_deref(), Some("LR"));
    assert_eq!(copyright_holder("© 2023 THE WORLD MONITOR").as_deref(), Some("THE WORLD MONITOR"));
    assert_eq!(
        copyright_holder("Copyright © 2023 The World Monitor. All rights reserved.").as_deref(),
        Some("The World Monitor")
    );
    assert_eq!(
        copyright_holder("© 2024 The Tripoli Herald | Privacy Policy | Terms of Use").as_deref(),
        Some("The Tripoli Herald")
    );
    assert!(corroborates("LibyaReview", "LR"));
    assert!(corroborates("The World Monitor", "THE WORLD MONITOR"));
    assert!(!corroborates("Home Libya", "LR"));
    assert!(!holder_is_name("LR"));
    assert!(is_spaced_menu("Home  News  World  Sign in  Subscribe"));
    assert!(!is_spaced_menu("He said.  Then he left the room and went home."));
    assert!(holder_is_name("Reuters"));
}

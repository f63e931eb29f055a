//! Tests of the date scan: the written forms it reads, and the piece
//! splitter against `str::split`.

use proptest::prelude::*;

use super::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn pieces_equal_the_split(s in "[a-z0-9 ,.()\t\n\u{0B}\u{0C}\r\u{1C}\u{85}\u{A0}\u{2003}\u{3000}é]{0,40}") {
        let mut pieces = Vec::new();
        for_each_piece(&s, |piece| pieces.push(piece));
        prop_assert_eq!(pieces, s.split(|c: char| c.is_whitespace() || c == ',').collect::<Vec<_>>());
    }
}

fn d(y: i32, m: u8, day: u8) -> Option<Date> {
    Date::new(y, m, day)
}

#[test]
fn written_forms() {
    for s in [
        "september 23, 2024",
        "sep 23, 2024",
        "sep. 23, 2024",
        "23 september 2024",
        "2024-09-23",
        "monday, september 23, 2024",
        "mon 23 sep 2024 10:30 am",
        "2024-09-23t10:00:00z",
    ] {
        let hit = scan(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(hit.date, d(2024, 9, 23), "{s}");
        assert!(hit.lone, "{s}");
    }
    let hit = scan("published on september 23, 2024 by john").unwrap();
    assert_eq!(hit.date, d(2024, 9, 23));
    assert!(!hit.lone);
    assert_eq!(scan("2 years ago"), Some(DateHit { date: None, lone: true }));
    assert_eq!(scan("home libya"), None);
    assert_eq!(scan("elections set for december 24, 2025"), None);
    assert_eq!(scan("by amal haddad | march 14, 2024").and_then(|h| h.date), d(2024, 3, 14));
    assert_eq!(scan("last updated: 14 march 2024, 10:00").and_then(|h| h.date), d(2024, 3, 14));
    assert_eq!(scan("february 30, 2024"), None);
    assert_eq!(parse_value("2023-12-31T08:00:00+02:00"), d(2023, 12, 31));
    assert_eq!(parse_value("Dec 31, 2023"), d(2023, 12, 31));
    // More tokens than fit on the stack.
    let long = "published by a b c d e f g h i j k l m n o p q r s t on september 23, 2024";
    assert_eq!(scan(long), Some(DateHit { date: d(2024, 9, 23), lone: false }));
    assert_eq!(scan("a b c d e f g h i j k l m n o p q r s t september 23, 2024"), None);
}

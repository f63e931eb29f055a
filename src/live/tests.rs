//! Unit tests of the add stage's clock and active window.

use super::*;
use crate::article::Date;

fn dated(id: &str, published: Option<&str>) -> (Article, u64) {
    let article = Article {
        id: id.to_owned(),
        source: String::new(),
        title: String::new(),
        url: String::new(),
        published: published.and_then(Date::parse_iso),
        body: "text".to_owned(),
        origin: crate::article::Origin::file("test"),
        extra: Default::default(),
    };
    (article, 0)
}

fn day(s: &str) -> i64 {
    Date::parse_iso(s).unwrap().days_since_epoch()
}

#[test]
fn stamps_and_user_times_read_as_rfc_3339_utc() {
    assert_eq!(parse_now("2024-09-23").as_deref(), Some("2024-09-23T00:00:00Z"));
    assert_eq!(parse_now("2024-09-23T10:05:00Z").as_deref(), Some("2024-09-23T10:05:00Z"));
    for bad in ["", "2024-13-01", "yesterday", "2024-09-23T25:00:00Z", "2024-09-23T10:00Z", "2024-09-23 10:00:00"] {
        assert_eq!(parse_now(bad), None, "{bad}");
    }
    let now = now_utc();
    assert_eq!(parse_now(&now).as_deref(), Some(now.as_str()), "the clock's stamp reads back");
}

#[test]
fn the_active_window_spans_the_batch_dates_and_undated_articles_count_as_the_newest_day() {
    let config = AddConfig { active_days: 14 };
    let batch = [dated("a", Some("2024-09-10")), dated("b", Some("2024-09-20"))];
    assert_eq!(active_range(&batch, None, &config), (day("2024-08-27"), day("2024-10-04")));
    let undated = [dated("c", None)];
    assert_eq!(active_range(&undated, Some(day("2024-09-23")), &config), (day("2024-09-09"), day("2024-10-07")));
    let (first, last) = active_range(&undated, None, &config);
    assert!(first > last, "an undated batch with nothing to date it by has no window");
    assert_eq!(days_before("2024-09-23T10:00:00Z", 14), "2024-09-09");
}

//! Tests of HTML to text: blocks, lists and dropped elements, and the
//! metadata the markup declares (meta tags, JSON-LD, `<time>`).

use super::*;

#[test]
fn blocks_lists_and_dropped_elements() {
    let html = r#"<html><head><title>A headline here - The Site</title>
            <script>var x = "nope";</script><style>p{}</style></head>
            <body><nav><ul><li>Home</li><li>World</li></ul></nav>
            <article><h1>A headline here</h1><p>First <b>para</b>graph.<br>Second line.</p>
            <ul><li>Item one</li><li><p>Item two</p></li></ul></article>
            <footer>© 2024 The Site</footer></body></html>"#;
    let (text, meta) = html_to_text(html);
    assert_eq!(text, "A headline here\nFirst paragraph.\nSecond line.\n• Item one\n• Item two\n");
    assert_eq!(meta.title.as_deref(), Some("A headline here"));
    assert_eq!(meta.site.as_deref(), Some("The Site"));
    assert_eq!(meta.date, None);
}

#[test]
fn json_ld_and_time() {
    let html = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"LD headline",
            "datePublished":"2024-09-23T08:00:00Z","publisher":{"@type":"Organization","name":"LD Outlet"}}]}
            </script></head><body><p><time datetime="2020-01-01">then</time></p></body></html>"#;
    let (_, meta) = html_to_text(html);
    assert_eq!(meta.title.as_deref(), Some("LD headline"));
    assert_eq!(meta.site.as_deref(), Some("LD Outlet"));
    assert_eq!(meta.date, Date::new(2024, 9, 23));
}

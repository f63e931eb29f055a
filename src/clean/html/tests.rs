//! Tests of HTML to text: blocks, lists and dropped elements, and the
//! metadata the markup declares (meta tags, JSON-LD, `<time>`); pages over
//! the tree builder's budget read by their tags, in work linear in the page
//! and without recursion; the tree built chunk by chunk equal to the tree
//! built at once.

use proptest::prelude::*;

use super::*;

/// The text and metadata of a page, read with the default budget.
fn html_to_text(html: &str) -> (String, HtmlMeta) {
    let page = super::html_to_text(html, &Budget::default());
    assert_eq!(page.warning, None);
    (page.text, page.meta)
}

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

/// A page with `depth` elements opened by `open` around a line of text, and
/// closed by `close` (empty for unclosed elements).
fn nested(open: &str, close: &str, depth: usize) -> String {
    let mut html =
        String::from("<html><head><title>Deep | The Site</title></head><body><p>An ordinary first paragraph.</p>");
    html.push_str(&open.repeat(depth));
    html.push_str("deep text");
    html.push_str(&close.repeat(depth));
    html.push_str("<p>A last paragraph.</p></body></html>");
    html
}

const PAGE: &str = r#"<html><head><title>A headline here - The Site</title>
        <meta property="og:site_name" content="The Site">
        <script type="application/ld+json">{"datePublished":"2024-09-23T08:00:00Z"}</script>
        <style>p{}</style></head>
        <body><nav><ul><li>Home</li><li>World</li></ul></nav>
        <article><h1>A <b>headline</b> here</h1><p>First <b>para</b>graph.<br>Second line.</p>
        <div hidden>Hidden text</div><table><tr><td>cell one</td><td>cell two</td></tr></table>
        <ul><li>Item one</li><li><p>Item two</p></li></ul><hr><p>After the rule &amp; more.</p></article>
        <footer>© 2024 The Site</footer></body></html>"#;

#[test]
fn deep_nesting_is_read_by_its_tags_with_its_text() {
    for (open, close) in [("<div>", "</div>"), ("<div><span>", ""), ("<b>", "</b>"), ("<h1><b>", "")] {
        let page = super::html_to_text(&nested(open, close, 2_000), &Budget::default());
        let why = page.warning.as_deref().unwrap_or_else(|| panic!("{open}: read through its tree"));
        assert!(why.contains("512 nested"), "{why}");
        let lines: Vec<&str> = page.text.lines().collect();
        assert_eq!(lines.first(), Some(&"An ordinary first paragraph."), "{open}");
        assert!(lines.contains(&"deep text"), "{open}: {lines:?}");
        // An unclosed `<h1>` holds the rest of the page: its text is the
        // headline, as it would be through the tree.
        if open != "<h1><b>" {
            assert_eq!(page.meta.title.as_deref(), Some("Deep"), "{open}");
            assert_eq!(page.meta.site.as_deref(), Some("The Site"), "{open}");
        }
    }
    // Below the depth budget, the same page goes through its tree.
    let page = super::html_to_text(&nested("<div>", "</div>", 400), &Budget::default());
    assert_eq!(page.warning, None);
    assert_eq!(page.text, "An ordinary first paragraph.\ndeep text\nA last paragraph.\n");
}

#[test]
fn reopened_formatting_elements_are_read_by_their_tags() {
    // 250 formatting elements left open in a `<div>` that closes: each
    // `<div>` after it reopens all of them, 251 elements per 12 bytes.
    let opened: String = (0..250).map(|i| format!("<b id={i}>")).collect();
    let html = format!("<div>{opened}</div>{}", "<div>y</div>".repeat(5_000));
    let page = super::html_to_text(&html, &Budget::default());
    assert!(page.warning.is_some());
    assert_eq!(page.text.lines().count(), 5_000);
}

#[test]
fn a_million_nested_tags_do_not_overflow_the_stack() {
    // Tests run on threads with a 2 MB stack: a recursion per level would
    // overflow it long before a million levels.
    for (open, close) in [("<div>", "</div>"), ("<b>", ""), ("<li>", "")] {
        let html = nested(open, close, 1_000_000);
        let page = super::html_to_text(&html, &Budget::default());
        assert!(page.warning.is_some());
        assert!(page.text.contains("deep text"), "{open}");
    }
}

#[test]
fn the_tree_builder_stops_within_its_budget() {
    // Nested `<div>`s make each tag cost a walk of every open element: a
    // hundred thousand of them are five billion steps. The tree builder is
    // stopped after at most its budget and one chunk of tags, whatever the
    // depth.
    let budget = Budget::default();
    let most = budget.base_steps
        + tree::CHUNK_BYTES * budget.steps_per_byte
        + (tree::CHUNK_BYTES / 3) * (budget.max_open + tree::CHUNK_BYTES);
    for depth in [1_000, 10_000, 100_000] {
        for (open, close) in [("<div>", "</div>"), ("<div><span>", "")] {
            let (parsed, work) = tree::parse_bounded(&nested(open, close, depth), &budget);
            assert_eq!(parsed.err(), Some(tree::Exceeded::Depth));
            assert!(work.steps <= most, "{open} x {depth}: {} steps", work.steps);
        }
    }
    // Reopened formatting elements are stopped by the steps (or elements)
    // they take, well before the page ends.
    let opened: String = (0..250).map(|i| format!("<b id={i}>")).collect();
    let html = format!("<div>{opened}</div>{}", "<div>y</div>".repeat(100_000));
    let (parsed, work) = tree::parse_bounded(&html, &budget);
    assert!(matches!(parsed.err(), Some(tree::Exceeded::Steps | tree::Exceeded::Elements)));
    // At most one chunk of `<div>`s past the budget, each reopening 250.
    assert!(work.elements <= budget.max_elements + tree::CHUNK_BYTES / 12 * 251, "{work:?}");
}

#[test]
fn reading_by_tags_is_linear_in_the_page() {
    for (open, close) in [("<div>", "</div>"), ("<div><span>", ""), ("<b><p>x</b>y", "</p>"), ("<h1>", "")] {
        for depth in [1_000, 100_000] {
            let html = nested(open, close, depth);
            let (_, work) = tokens::tokens_to_text(&html);
            // A token is at least a byte, a tag at least three; each
            // element is closed once.
            assert!(work.tokens + work.closed <= html.len(), "{open} x {depth}: {work:?} for {} bytes", html.len());
        }
    }
}

#[test]
fn a_well_formed_page_reads_the_same_by_its_tags() {
    let by_tree = super::html_to_text(PAGE, &Budget::default());
    assert_eq!(by_tree.warning, None);
    let ((text, meta), _) = tokens::tokens_to_text(PAGE);
    assert_eq!(text, by_tree.text);
    assert_eq!(meta, by_tree.meta);
    assert_eq!(
        text,
        "A headline here\nFirst paragraph.\nSecond line.\ncell one cell two\n• Item one\n• Item two\nAfter the rule & more.\n"
    );
    assert_eq!(meta.date, Date::new(2024, 9, 23));
}

#[test]
fn blank_nested_headlines_are_gathered_once() {
    // The first `<h1>` with text is the headline, after blank ones nested
    // in one another.
    let mut html = "<h1> <b>".repeat(10_000);
    html.push_str(&"</b></h1>".repeat(10_000));
    html.push_str("<h1>The <i>real</i> headline</h1><p>Body text.</p>");
    let unbounded = Budget { max_open: usize::MAX, max_elements: usize::MAX, steps_per_byte: 1 << 20, base_steps: 0 };
    let page = super::html_to_text(&html, &unbounded);
    assert_eq!(page.warning, None);
    assert_eq!(page.meta.title.as_deref(), Some("The real headline"));
}

/// Pieces of HTML, well formed or not, from which test pages are made.
const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div class=\"a b\">",
    "</div>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<a href='x'>",
    "</a>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</table>",
    "<li>",
    "<ul>",
    "</ul>",
    "<br>",
    "<h1>",
    "</h1>",
    "<script>var a = '<p>';</script>",
    "<!-- note -->",
    "<title>T &amp; U</title>",
    "text ",
    "more words\r\n",
    "caf\u{e9} ",
    "&amp;",
    "&eacute;",
    "&#x41;",
    "&notin;",
    "&",
    "<",
    "\r",
    "\n",
    "<select><option>x</select>",
    "<svg><path/></svg>",
    "<noscript>n</noscript>",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The tree built chunk by chunk is the tree built at once, wherever the
    /// chunks end (inside a tag, an entity, a CR LF pair or a character).
    #[test]
    fn chunks_give_the_tree_of_the_whole_page(picks in prop::collection::vec(0..PIECES.len(), 0..200), chunk in 4usize..40) {
        let html: String = picks.iter().map(|&i| PIECES[i]).collect();
        let budget = Budget { max_open: usize::MAX, max_elements: usize::MAX, steps_per_byte: usize::MAX / (1 << 40), base_steps: 0 };
        let (parsed, _) = tree::parse_in_chunks(&html, &budget, chunk);
        let whole = Html::parse_document(&html);
        prop_assert_eq!(parsed.unwrap().html(), whole.html());
    }
}

#[test]
fn a_tag_keeps_at_most_its_first_attributes() {
    use attributes::cap_attributes;
    assert_eq!(cap_attributes(PAGE, 3), None, "no tag of the page has more than 3");
    assert_eq!(
        cap_attributes(r#"<p title="a > b" x=1 y z>text</p>"#, 2).as_deref(),
        Some(r#"<p title="a > b" x=1 >text</p>"#)
    );
    assert_eq!(cap_attributes("<p a/b c = 'd e' f>t</p g h>", 3).as_deref(), Some("<p a/b c = 'd e' >t</p g h>"));
    assert_eq!(cap_attributes("a < b c d e and <3 f g h", 1), None, "a `<` before no letter opens no tag");
    // One tag of 200,000 attributes: the tokenizer would compare 2·10¹⁰
    // pairs of them.
    let names: Vec<String> = (0..200_000).map(|i| format!("a{i}")).collect();
    let html = format!("<html><body><p {}>After the long tag.</p></body></html>", names.join(" "));
    let capped = cap_attributes(&html, attributes::MAX_ATTRIBUTES).unwrap();
    assert_eq!(cap_attributes(&capped, attributes::MAX_ATTRIBUTES), None);
    assert!(capped.len() < 10_000);
    let page = super::html_to_text(&html, &Budget::default());
    assert_eq!(page.text, "After the long tag.\n");
    assert!(page.warning.unwrap().contains("a tag of more than 1024 attributes"));
}

#[test]
fn attributes_added_again_and_again_count_as_tree_builder_steps() {
    // Each `<body aN>` adds an attribute to the one body element, a move of
    // its sorted list of attributes.
    let tags: String = (0..100_000).map(|i| format!("<body a{i}>")).collect();
    let html = format!("<p>Before.</p>{tags}<p>After.</p>");
    let page = super::html_to_text(&html, &Budget::default());
    assert!(page.warning.unwrap().contains("steps a byte"));
    assert_eq!(page.text, "Before.\nAfter.\n");
}

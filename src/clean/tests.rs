//! Tests of the cleaning stage on the seed pages and small made-up inputs.

use super::*;

const SEEDS: [(&str, &str); 5] = [
    ("000_78970f930e2b17a4", include_str!("../../seeds/000_78970f930e2b17a4.txt")),
    ("001_7a5bc6e74635390f", include_str!("../../seeds/001_7a5bc6e74635390f.txt")),
    ("002_a00759896944bb9f", include_str!("../../seeds/002_a00759896944bb9f.txt")),
    ("003_2828a23e96756184", include_str!("../../seeds/003_2828a23e96756184.txt")),
    ("004_3d148ef64dbff9fd", include_str!("../../seeds/004_3d148ef64dbff9fd.txt")),
];

fn page(id: &str, text: &str) -> RawDoc {
    RawDoc {
        id: id.to_string(),
        origin: Origin::file(format!("{id}.txt")),
        kind: DocKind::Page,
        content: RawContent::Text(text.to_string()),
        title: None,
        source: None,
        url: None,
        published: None,
        extra: Extra::new(),
    }
}

fn record(id: &str, line: usize, text: &str) -> RawDoc {
    RawDoc {
        id: id.to_string(),
        origin: Origin::line("feed.jsonl", line),
        kind: DocKind::Record,
        content: RawContent::Text(text.to_string()),
        title: None,
        source: None,
        url: None,
        published: None,
        extra: Extra::new(),
    }
}

fn seeds() -> Vec<RawDoc> {
    SEEDS.iter().map(|(id, text)| page(id, text)).collect()
}

fn cleaned(docs: Vec<RawDoc>) -> CleanOutput {
    clean(docs, &CleanConfig::default())
}

fn find<'a>(out: &'a CleanOutput, id: &str) -> &'a Article {
    out.articles.iter().find(|a| a.id.starts_with(id)).unwrap_or_else(|| panic!("no article {id}: {:?}", out.skipped))
}

fn date(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::new(y, m, d)
}

const LIBYA_REVIEW_TEMPLATE: &[&str] = &[
    "No Result",
    "View All Result",
    "Share on",
    "Tags:",
    "Next Post",
    "MUST READ",
    "POPULAR CATEGORIES",
    "EDITOR PICKS",
    "©",
    "Entertainment",
    "Home",
    "Opinion",
    "LibyaReview",
    "ICC to Reveal Names",
    "Libya Joins Algeria",
    "Libyan Pilgrim Dies in Makkah",
    "Anti-Government Protests",
    "Libya & Belarus Discuss Security Cooperation",
    "UNHCR Delivers Emergency Aid",
];

fn assert_no_template(body: &str) {
    for t in LIBYA_REVIEW_TEMPLATE {
        assert!(!body.contains(t), "template text {t:?} left in body:\n{body}");
    }
}

#[test]
fn seeds_together_bodies() {
    let out = cleaned(seeds());
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    assert_eq!(out.articles.len(), 5);
    // Input order is kept.
    let ids: Vec<&str> = out.articles.iter().map(|a| &a.id[..3]).collect();
    assert_eq!(ids, ["000", "001", "002", "003", "004"]);

    let a = find(&out, "000");
    assert!(a.body.starts_with("On Monday, the General Commander"), "{}", a.body);
    assert!(a.body.ends_with("lasting peace and stability."), "{}", a.body);
    assert_eq!(a.paragraphs().count(), 7);
    assert_no_template(&a.body);

    let b = find(&out, "001");
    assert!(b.body.starts_with("On Tuesday, the General Commander"), "{}", b.body);
    assert!(b.body.ends_with("since the fall of Muammar Gaddafi in 2011."), "{}", b.body);
    assert_no_template(&b.body);

    let c = find(&out, "002");
    assert!(c.body.starts_with("The American Military Attaché’s office met"), "{}", c.body);
    assert!(c.body.ends_with("the unification of the Libyan military."), "{}", c.body);
    for t in [
        "Recommended",
        "Popular News",
        "Leave a Reply",
        "Follow us",
        "Privacy Policy",
        "Share on",
        "Tags:",
        "Next Post",
        "US & Libyan military officials",
        "Israel’s Total Military",
        "Connecting the World",
        "©",
    ] {
        assert!(!c.body.contains(t), "{t:?} left in 002:\n{}", c.body);
    }

    let d = find(&out, "003");
    let expected: Vec<&str> = SEEDS[3].1.lines().collect();
    assert_eq!(expected.len(), 8);
    assert_eq!(d.paragraphs().collect::<Vec<_>>(), expected);
    assert_eq!(d.body, expected.join("\n\n"));

    let e = find(&out, "004");
    assert!(e.body.starts_with("On Sunday, the General Commander"), "{}", e.body);
    assert!(!e.body.contains("French Envoy Discusses"), "{}", e.body);
    assert_eq!(e.paragraphs().count(), 10);
}

#[test]
fn seeds_together_fields() {
    let out = cleaned(seeds());
    let fields = |id: &str| {
        let a = find(&out, id);
        (a.title.clone(), a.source.clone(), a.published)
    };
    assert_eq!(
        fields("000"),
        (
            "Haftar & US Delegation Discuss Joint Efforts to Combat Terrorism".to_string(),
            "LibyaReview".to_string(),
            date(2024, 9, 23)
        )
    );
    assert_eq!(
        fields("001"),
        (
            "Haftar & AFRICOM Commander Discuss Enhanced Military Cooperation in Libya".to_string(),
            "LibyaReview".to_string(),
            date(2024, 8, 27)
        )
    );
    assert_eq!(
        fields("002"),
        (
            "US & Libyan Officials Discuss Military Cooperation".to_string(),
            "The World Monitor".to_string(),
            date(2023, 12, 31)
        )
    );
    assert_eq!(fields("003"), (String::new(), String::new(), None));
    assert_eq!(
        fields("004"),
        ("French Envoy Discusses Counter-Terrorism with Haftar".to_string(), String::new(), None)
    );
    for a in &out.articles {
        assert_eq!(a.url, "");
        assert_eq!(a.origin, Origin::file(format!("{}.txt", a.id)));
    }
}

#[test]
fn lone_seed_pages() {
    // Each template page alone: no other page of its site to learn from, so
    // the generic patterns and the prose region have to do the work.
    for (idx, start, end, title, source, published) in [
        (
            0,
            "On Monday, the General Commander",
            "lasting peace and stability.",
            "Haftar & US Delegation Discuss Joint Efforts to Combat Terrorism",
            "LibyaReview",
            date(2024, 9, 23),
        ),
        (
            1,
            "On Tuesday, the General Commander",
            "since the fall of Muammar Gaddafi in 2011.",
            "Haftar & AFRICOM Commander Discuss Enhanced Military Cooperation in Libya",
            "LibyaReview",
            date(2024, 8, 27),
        ),
        (
            2,
            "The American Military Attaché’s office met",
            "the unification of the Libyan military.",
            "US & Libyan Officials Discuss Military Cooperation",
            "The World Monitor",
            date(2023, 12, 31),
        ),
    ] {
        let (id, text) = SEEDS[idx];
        let out = cleaned(vec![page(id, text)]);
        let a = &out.articles[0];
        assert!(a.body.starts_with(start), "{id}:\n{}", a.body);
        assert!(a.body.ends_with(end), "{id}:\n{}", a.body);
        if idx < 2 {
            assert_no_template(&a.body);
        }
        for t in ["Home", "No Result", "MUST READ", "Recommended", "Popular News", "Follow us", "Privacy Policy"] {
            assert!(!a.body.contains(t), "{t:?} left in lone {id}:\n{}", a.body);
        }
        assert_eq!((a.title.as_str(), a.source.as_str(), a.published), (title, source, published), "{id}");
    }
}

#[test]
fn same_result_whatever_the_order() {
    let forward = cleaned(seeds());
    let mut reversed_docs = seeds();
    reversed_docs.reverse();
    let reversed = cleaned(reversed_docs);
    let ids: Vec<&str> = reversed.articles.iter().map(|a| &a.id[..3]).collect();
    assert_eq!(ids, ["004", "003", "002", "001", "000"]);
    for a in &forward.articles {
        let b = reversed.articles.iter().find(|b| b.id == a.id).unwrap();
        assert_eq!((&a.title, &a.source, a.published, &a.body), (&b.title, &b.source, b.published, &b.body));
    }
}

#[test]
fn declared_metadata_wins_and_passes_through() {
    let mut doc = page("000_78970f930e2b17a4", SEEDS[0].1);
    doc.title = Some("Declared headline".into());
    doc.source = Some("Declared Outlet".into());
    doc.published = date(2020, 1, 2);
    doc.url = Some("https://example.org/a".into());
    doc.extra.insert("label", "s1");
    let out = cleaned(vec![doc]);
    let a = &out.articles[0];
    assert_eq!(a.title, "Declared headline");
    assert_eq!(a.source, "Declared Outlet");
    assert_eq!(a.published, date(2020, 1, 2));
    assert_eq!(a.url, "https://example.org/a");
    assert_eq!(a.extra.get("label"), Some("s1"));
    // The page's own headline still goes from the body.
    assert!(a.body.starts_with("On Monday, the General Commander"), "{}", a.body);
    assert!(!a.body.contains("Haftar & US Delegation"), "{}", a.body);
}

fn html_doc(id: &str, html: &str) -> RawDoc {
    let mut doc = page(id, "");
    doc.origin = Origin::file(format!("{id}.html"));
    doc.content = RawContent::Html(html.to_string());
    doc
}

#[test]
fn html_page() {
    let html = include_str!("../../tests/data/clean/article.html");
    let out = cleaned(vec![html_doc("misrata", html)]);
    let a = &out.articles[0];
    assert_eq!(a.title, "Port of Misrata Reopens After Storm Repairs");
    assert_eq!(a.source, "The Coastal Ledger");
    assert_eq!(a.published, date(2024, 3, 14));
    let paragraphs: Vec<&str> = a.paragraphs().collect();
    assert_eq!(
        paragraphs,
        [
            "The port of Misrata reopened to cargo ships on Thursday, three months after a storm tore through its \
             breakwater and flooded the container terminal.",
            "Port officials said the first twelve vessels were unloaded within hours, and that the terminal would \
             return to full capacity by the end of the month.",
            "Repairs were paid for by the municipality and a consortium of local shipping firms, according to a \
             statement from the port authority.",
            "• The breakwater was rebuilt along four hundred metres of the harbour.",
            "• Two new cranes were installed in the container terminal.",
            "Traders welcomed the reopening, saying that prices of imported food had risen sharply while ships were \
             diverted to other ports.",
        ]
    );
}

#[test]
fn html_without_meta_uses_title_and_h1() {
    let html = "<html><head><title>Floods Hit Derna Again - Desert Courier</title></head><body>\
        <h1>Floods Hit Derna Again</h1><p>Published 5 February 2024</p>\
        <p>Heavy rain flooded the lower districts of Derna overnight, officials said on Monday morning.</p>\
        <p>Residents were moved to schools on higher ground while the water receded.</p></body></html>";
    let out = cleaned(vec![html_doc("derna", html)]);
    let a = &out.articles[0];
    assert_eq!(a.title, "Floods Hit Derna Again");
    assert_eq!(a.source, "Desert Courier");
    assert_eq!(a.published, date(2024, 2, 5));
    assert!(a.body.starts_with("Heavy rain flooded"), "{}", a.body);
    assert_eq!(a.paragraphs().count(), 2);
}

#[test]
fn all_boilerplate_page_is_skipped() {
    let text = "LibyaReview\n  • Home\n  • Libya\n  • Economy\nNo Result\nView All Result\n\
        Share on FacebookShare on Twitter\nTags: libya\nNext Post\nMUST READ\n\
        Anti-Government Protests Sweep Western Libya for 3rd Week\nLibya Hosts Over 313,000 Sudanese Refugees\n\
        © 2024 LR\n";
    let mut docs = seeds();
    docs.insert(2, page("empty", text));
    let out = cleaned(docs);
    assert_eq!(out.articles.len(), 5);
    assert_eq!(out.skipped.len(), 1);
    let s = &out.skipped[0];
    assert_eq!(s.id, "empty");
    assert_eq!(s.origin, Origin::file("empty.txt"));
    assert!(s.reason.contains("boilerplate"), "{}", s.reason);
    // Alone as well.
    let out = cleaned(vec![page("empty", text)]);
    assert!(out.articles.is_empty());
    assert_eq!(out.skipped[0].reason, "empty article after removing boilerplate");
    // An empty document is skipped too, with its own reason.
    let out = cleaned(vec![page("blank", "  \n\n"), record("r", 1, "")]);
    assert_eq!(out.skipped.len(), 2);
}

#[test]
fn syndicated_records_keep_their_text() {
    let body = "WASHINGTON (AP) _ The Senate passed the budget bill late on Friday after a long debate over \
        military spending.\n\nThe measure now goes to the House, where leaders said a vote could come next week.\n\n\
        Advertisement\n\nThe White House said the president would sign the bill.";
    let headline = "Senate passes budget bill after long debate";
    let mut docs = vec![record("a", 1, body), record("b", 2, body)];
    for i in 0..50 {
        docs.push(record(&format!("h{i}"), 3 + i, headline));
    }
    let out = cleaned(docs);
    assert!(out.skipped.is_empty());
    assert_eq!(out.articles[0].body, body);
    assert_eq!(out.articles[1].body, body);
    assert!(out.articles[0].body.contains("WASHINGTON (AP) _ The Senate"));
    for a in &out.articles[2..] {
        assert_eq!(a.body, headline);
        assert_eq!(a.title, "");
    }
}

#[test]
fn records_lose_only_lines_repeated_across_many_different_records() {
    let mut docs = Vec::new();
    for i in 0..6 {
        let text = format!(
            "Officials in city number {i} said on Tuesday that the water network had been repaired after weeks \
             of outages.\n\nAdvertisement\n\nResidents number {i} said they had waited for a long time and were \
             relieved that the taps were running again.\n\n(Reporting by staff)"
        );
        docs.push(record(&format!("r{i}"), i + 1, &text));
    }
    // A one-line record whose only line is also a repeated line survives.
    docs.push(record("lone", 7, "Advertisement"));
    let out = cleaned(docs);
    for a in &out.articles[..6] {
        assert!(!a.body.contains("Advertisement"), "{}", a.body);
        assert!(!a.body.contains("(Reporting by staff)"), "{}", a.body);
        assert_eq!(a.paragraphs().count(), 2, "{}", a.body);
    }
    assert_eq!(out.articles[6].body, "Advertisement");
    // Fewer records than the threshold: nothing is removed.
    let few: Vec<RawDoc> = (0..3)
        .map(|i| {
            record(
                &format!("f{i}"),
                i + 1,
                &format!("Line {i} of a body that is real prose here today.\n\nAdvertisement"),
            )
        })
        .collect();
    let out = cleaned(few);
    assert!(out.articles.iter().all(|a| a.body.ends_with("Advertisement")));
}

#[test]
fn record_drops_its_headline_when_it_opens_the_text() {
    let mut doc =
        record("t", 1, "Storm closes port\n\nThe port was closed on Monday because of a violent storm at sea.");
    doc.title = Some("Storm closes port".into());
    let out = cleaned(vec![doc]);
    assert_eq!(out.articles[0].title, "Storm closes port");
    assert_eq!(out.articles[0].body, "The port was closed on Monday because of a violent storm at sea.");
}

/// A synthetic site page: menu, headline, byline with date, share line,
/// body, related headlines, newsletter line, copyright.
fn site_page(site: &str, menu: &str, headline: &str, date: &str, body: &[&str], related: &[&str]) -> String {
    let mut s = format!("{menu}\n{headline}\nBy Staff Reporter | {date}\nShare on Facebook | Share on X\n\n");
    for p in body {
        s.push_str(p);
        s.push_str("\n\n");
    }
    for r in related {
        s.push_str(&format!("Related: {r}\n"));
    }
    s.push_str(&format!("Get the {site} newsletter in your inbox every morning before breakfast.\n"));
    s.push_str(&format!("© 2024 {site}. All rights reserved.\n"));
    s
}

const STORY: [&str; 3] = [
    "Engineers restored power to most of Benghazi on Wednesday after a fault at the main substation left the city \
     dark for two days.",
    "The electricity company said a damaged transformer had been replaced and that the remaining districts would be \
     connected by the weekend.",
    "Hospitals had relied on generators during the outage, and several bakeries closed because they could not run \
     their ovens.",
];

#[test]
fn syndicated_pages_keep_their_shared_body_and_headline() {
    let a_menu = "Home | World | Politics | Business | Sport";
    let b_menu = "News · Markets · Culture · Weather · Opinion";
    let other = |n: usize| {
        vec![
            format!("Article number {n} tells a different story about the harbour and the fishermen who work there."),
            format!("Its second paragraph number {n} continues with more details about prices and the weather at sea."),
        ]
    };
    let mut docs = Vec::new();
    let story: Vec<&str> = STORY.to_vec();
    docs.push(page(
        "a1",
        &site_page(
            "Harbour Times",
            a_menu,
            "Power Restored in Benghazi",
            "May 2, 2024",
            &story,
            &["Fishermen Protest New Rules", "Bakeries Reopen"],
        ),
    ));
    for n in 2..4 {
        let o = other(n);
        let o: Vec<&str> = o.iter().map(String::as_str).collect();
        docs.push(page(
            &format!("a{n}"),
            &site_page(
                "Harbour Times",
                a_menu,
                &format!("Harbour Story Number {n}"),
                "May 3, 2024",
                &o,
                &["Fishermen Protest New Rules"],
            ),
        ));
    }
    // The same story on another site (syndicated), and another page there.
    docs.push(page(
        "b1",
        &site_page("Desert Post", b_menu, "Power Restored in Benghazi", "May 2, 2024", &story, &["Oil Output Rises"]),
    ));
    let o = other(9);
    let o: Vec<&str> = o.iter().map(String::as_str).collect();
    docs.push(page(
        "b2",
        &site_page("Desert Post", b_menu, "Another Desert Story Today", "May 4, 2024", &o, &["Oil Output Rises"]),
    ));
    // A different article on a third site quoting one sentence of the story.
    let quoting = [
        "Residents of eastern Libya described two difficult days without electricity or running water at home.",
        STORY[2],
        "The city council promised an inquiry into the state of the network and its maintenance.",
    ];
    docs.push(page(
        "c1",
        &site_page(
            "Eastern Voice",
            "Home / Local / Region / Economy",
            "Benghazi Residents Recall Blackout",
            "May 5, 2024",
            &quoting,
            &["Council Meets"],
        ),
    ));
    let out = cleaned(docs);
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    let get = |id: &str| out.articles.iter().find(|a| a.id == id).unwrap();
    for id in ["a1", "b1"] {
        let a = get(id);
        assert_eq!(a.body, STORY.join("\n\n"), "{id}");
        assert_eq!(a.title, "Power Restored in Benghazi", "{id}");
        assert_eq!(a.published, date(2024, 5, 2), "{id}");
    }
    assert_eq!(get("a1").source, "Harbour Times");
    assert_eq!(get("b1").source, "Desert Post");
    for id in ["a2", "a3", "b2"] {
        let a = get(id);
        assert_eq!(a.paragraphs().count(), 2, "{id}: {}", a.body);
        assert!(a.body.starts_with("Article number") || a.body.starts_with("Its"), "{id}: {}", a.body);
        assert!(!a.body.contains("newsletter"), "{id}: {}", a.body);
    }
    let c = get("c1");
    assert_eq!(c.body, quoting.join("\n\n"));
    assert_eq!(c.title, "Benghazi Residents Recall Blackout");
    assert_eq!(c.source, "Eastern Voice");
}

#[test]
fn hard_wrapped_text_is_unwrapped() {
    let text = "Storm Hits the Coast Again\n\nA violent storm hit the coast of Libya on Monday night and flooded\n\
        several low-lying districts of the city, officials said.\n\nRescue teams worked through the night to reach\n\
        families trapped in their homes by the rising water.\n";
    let out = cleaned(vec![page("w", text)]);
    let a = &out.articles[0];
    assert_eq!(a.title, "Storm Hits the Coast Again");
    assert_eq!(
        a.paragraphs().collect::<Vec<_>>(),
        [
            "A violent storm hit the coast of Libya on Monday night and flooded several low-lying districts of the \
             city, officials said.",
            "Rescue teams worked through the night to reach families trapped in their homes by the rising water.",
        ]
    );
}

#[test]
fn lone_generated_style_page() {
    // A page alone in the input, template of a kind the seeds do not have:
    // a one-line menu, a byline with the date, an ad marker between
    // paragraphs, related links, a newsletter line and a copyright line.
    let text = "Home  News  World  Politics  Sign in\n\
        Port Workers End Strike in Misrata\n\
        By Amal Haddad | 2024-03-14\n\
        Share on Facebook · Tweet · WhatsApp · Copy link\n\
        Dock workers in Misrata ended a week-long strike on Thursday after the port authority agreed to raise wages.\n\
        ADVERTISEMENT\n\
        The union said its members would return to work on Saturday, when the first ships are expected to dock.\n\
        Related: Fuel Prices Rise Again\n\
        Related: Storm Damages Harbour Wall\n\
        Enjoying The Misrata Courier? Support independent journalism today.\n\
        © 2024 The Misrata Courier | Privacy Policy | Terms of Use\n";
    let out = cleaned(vec![page("gen", text)]);
    let a = &out.articles[0];
    assert_eq!(a.title, "Port Workers End Strike in Misrata");
    assert_eq!(a.source, "The Misrata Courier");
    assert_eq!(a.published, date(2024, 3, 14));
    assert_eq!(
        a.paragraphs().collect::<Vec<_>>(),
        [
            "Dock workers in Misrata ended a week-long strike on Thursday after the port authority agreed to raise \
             wages.",
            "The union said its members would return to work on Saturday, when the first ships are expected to dock.",
        ]
    );
}

#[test]
fn min_template_pages_is_honoured() {
    // Three pages of one site share a disclaimer right after the body.
    let disclaimer = "The views expressed in this article are those of the author alone and not of this site.";
    let docs = |n: usize| -> Vec<RawDoc> {
        (0..n)
            .map(|i| {
                let text = format!(
                    "Home | Region | Economy | Sport | Opinion\nStory Number {i} Is Here Today\n\n\
                     Paragraph one of story {i} tells what happened on the day in some detail for readers.\n\n\
                     Paragraph two of story {i} adds what the officials said to reporters afterwards.\n\n\
                     {disclaimer}\n\n© 2024 Region Herald\n"
                );
                page(&format!("p{i}"), &text)
            })
            .collect()
    };
    let out = cleaned(docs(3));
    assert!(out.articles.iter().all(|a| !a.body.contains("views expressed")), "{:?}", out.articles[0].body);
    let config = CleanConfig { min_template_pages: 4, ..CleanConfig::default() };
    let out = clean(docs(3), &config);
    assert!(out.articles.iter().all(|a| a.body.ends_with(disclaimer)), "{:?}", out.articles[0].body);
    assert_eq!(out.articles[0].title, "Story Number 0 Is Here Today");
    assert_eq!(out.articles[0].source, "Region Herald");
}

#[test]
fn identical_short_pages_and_short_lists_survive() {
    // Two copies of a short page (no line long enough to be prose): copies
    // are not each other's template.
    let text = "Port Closed by Storm Today\n\nThe port closed on Monday.\n\nShips waited at sea.\n\n\
        • 5 ships delayed\n• 2 boats damaged\n";
    let out = cleaned(vec![page("x1", text), page("x2", text)]);
    assert!(out.skipped.is_empty(), "{:?}", out.skipped);
    for a in &out.articles {
        assert_eq!(a.title, "Port Closed by Storm Today");
        assert_eq!(
            a.paragraphs().collect::<Vec<_>>(),
            ["The port closed on Monday.", "Ships waited at sea.", "• 5 ships delayed", "• 2 boats damaged"]
        );
    }
}

#[test]
fn caseless_script_reads_as_prose() {
    let text = "القائمة الرئيسية\n\nقال مسؤولون في طرابلس يوم الاثنين إن الحكومة ستجتمع مع قادة الجيش لمناقشة الأمن والانتخابات.\n\n\
        وأضافوا أن المحادثات ستستمر لعدة أسابيع قبل الإعلان عن أي اتفاق نهائي بين الطرفين.\n";
    let out = cleaned(vec![page("ar", text)]);
    let a = &out.articles[0];
    assert!(a.body.starts_with("قال مسؤولون"), "{}", a.body);
    assert_eq!(a.paragraphs().count(), 2);
}

#[test]
fn date_after_the_headline_beats_a_header_date() {
    let text = "Sunday, June 1, 2025\nCouncil Approves New Budget Plan\nSeptember 23, 2024\n\n\
        The city council approved the new budget plan on Monday after a long debate about road repairs.\n";
    let out = cleaned(vec![page("d", text)]);
    let a = &out.articles[0];
    assert_eq!(a.title, "Council Approves New Budget Plan");
    assert_eq!(a.published, date(2024, 9, 23));
}

/// Seed 000's article paragraphs.
fn seed_000_body() -> String {
    let page = SEEDS[0].1;
    let start = page.find("On Monday, the General Commander").unwrap();
    let end = page.find("lasting peace and stability.").unwrap() + "lasting peace and stability.".len();
    page[start..end].to_owned()
}

#[test]
fn copies_of_a_seed_next_to_the_seeds() {
    // Copies of 000's body (reordered, and on another site's page) share all
    // their prose with it: they are copies, not template.
    let body = seed_000_body();
    let mut paragraphs: Vec<&str> = body.split("\n\n").collect();
    paragraphs.swap(1, 4);
    let reordered = paragraphs.join("\n\n");
    let other_site = format!(
        "Daily Globe\n  • Home\n  • World\n  • Business\nHaftar & US Delegation Discuss Joint Efforts to Combat Terrorism\n\
         Share on WhatsApp\n\n{body}\n\nRelated: Oil output rises in the Sirte basin\nRelated: Floods hit Derna again\n\
         © 2025 Daily Globe. All rights reserved.\n"
    );
    let mut docs = seeds();
    docs.push(page("copy_reordered", &reordered));
    docs.push(page("copy_other_site", &other_site));
    let out = cleaned(docs);
    assert!(out.skipped.is_empty());
    assert_eq!(find(&out, "000").body, body);
    assert_eq!(find(&out, "000").title, "Haftar & US Delegation Discuss Joint Efforts to Combat Terrorism");
    assert_eq!(find(&out, "copy_reordered").body, reordered);
    let other = find(&out, "copy_other_site");
    assert_eq!(other.body, body);
    assert_eq!(other.source, "Daily Globe");
    assert_no_template(&find(&out, "001").body);
}

#[test]
fn syndicated_pages_whatever_the_order() {
    let a_menu = "Home | World | Politics | Business | Sport";
    let b_menu = "News · Markets · Culture · Weather · Opinion";
    let story: Vec<&str> = STORY.to_vec();
    let mut docs = vec![
        page(
            "a1",
            &site_page(
                "Harbour Times",
                a_menu,
                "Power Restored in Benghazi",
                "May 2, 2024",
                &story,
                &["Bakeries Reopen"],
            ),
        ),
        page(
            "b1",
            &site_page(
                "Desert Post",
                b_menu,
                "Power Restored in Benghazi",
                "May 2, 2024",
                &story,
                &["Oil Output Rises"],
            ),
        ),
        page(
            "b2",
            &site_page(
                "Desert Post",
                b_menu,
                "Power Restored in Benghazi",
                "May 2, 2024",
                &story,
                &["Oil Output Rises"],
            ),
        ),
    ];
    for n in 2..5 {
        let body = [
            format!("Article number {n} tells a different story about the harbour and the fishermen who work there."),
            format!("Its second paragraph number {n} continues with details about prices and the weather at sea."),
        ];
        let body: Vec<&str> = body.iter().map(String::as_str).collect();
        let site = if n % 2 == 0 { ("Harbour Times", a_menu) } else { ("Desert Post", b_menu) };
        docs.push(page(
            &format!("o{n}"),
            &site_page(site.0, site.1, &format!("Other Story Number {n}"), "May 3, 2024", &body, &["Bakeries Reopen"]),
        ));
    }
    let reference = cleaned(docs.clone());
    for rotation in 1..docs.len() {
        let mut d = docs.clone();
        d.rotate_left(rotation);
        d.reverse();
        let out = cleaned(d);
        for a in &reference.articles {
            let b = out.articles.iter().find(|b| b.id == a.id).unwrap();
            assert_eq!((&a.title, &a.source, a.published, &a.body), (&b.title, &b.source, b.published, &b.body));
        }
    }
    for id in ["a1", "b1", "b2"] {
        let a = reference.articles.iter().find(|a| a.id == id).unwrap();
        assert_eq!(a.body, STORY.join("\n\n"), "{id}");
        assert_eq!(a.title, "Power Restored in Benghazi", "{id}");
    }
}

#[test]
fn prepared_documents_survive_being_written_aside() {
    let mut docs: Vec<RawDoc> = SEEDS.iter().map(|(id, text)| page(id, text)).collect();
    let mut html = page(
        "h",
        "<html><head><meta property=\"og:title\" content=\"Bridge opens\"><meta property=\"og:site_name\" \
         content=\"Valley Post\"><meta property=\"article:published_time\" content=\"2024-05-02T08:00:00Z\">\
         </head><body><ul><li>Home</li><li>News</li></ul><p>The new bridge over the river opened on \
         Tuesday, two years late and well over budget, the council said.</p><p>May 2, 2024</p></body></html>",
    );
    html.content = RawContent::Html(match html.content {
        RawContent::Text(t) | RawContent::Html(t) => t,
    });
    docs.push(html);
    let mut declared = record(
        "r",
        3,
        "A hard-wrapped paragraph of the article that goes on past the edge\nof the line and ends here.\n• a bullet",
    );
    declared.title = Some("Declared headline".into());
    declared.source = Some("Wire".into());
    declared.published = Date::new(2024, 2, 29);
    docs.push(declared);
    let config = CleanConfig::default();
    let mut learner = TemplateLearner::new(&config);
    let prepared = learner.add(docs);
    let described = |d: &PreparedDoc| format!("{:?} {:?}", d.pass.id, d.prepared);
    let before: Vec<String> = prepared.iter().map(described).collect();
    assert!(before.iter().any(|d| d.contains("joined: true")) && before.iter().any(|d| d.contains("bullet: true")));
    assert!(before.iter().any(|d| d.contains("Valley Post")) && before.iter().any(|d| d.contains("date: Some")));
    let mut records = Vec::new();
    let mut heads = Vec::new();
    for doc in prepared {
        let mut bytes = Vec::new();
        heads.push(doc.split(&mut bytes));
        records.push(bytes);
    }
    let mut back = Vec::new();
    for (head, bytes) in heads.into_iter().zip(&records) {
        back.push(head.join(bytes).expect("a whole record"));
    }
    assert_eq!(back.iter().map(described).collect::<Vec<_>>(), before);

    // Damaged records are refused, not misread.
    let mut learner = TemplateLearner::new(&config);
    let doc = learner.add(vec![page("x", SEEDS[0].1)]).pop().unwrap();
    let mut bytes = Vec::new();
    let head = doc.split(&mut bytes);
    assert!(DocHead(head.0.clone()).join(&bytes[..bytes.len() - 1]).is_none());
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(DocHead(head.0.clone()).join(&longer).is_none());
    // The first line's end moved past the text: its length (the varint
    // after its start's) replaced by a larger one.
    let text_len = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
    let first_start = 4 + text_len + 4;
    let mut r = crate::spill::RecordIn(&bytes[first_start..]);
    r.varint().unwrap();
    let len_at = bytes.len() - r.remaining();
    r.varint().unwrap();
    let len_end = bytes.len() - r.remaining();
    let mut longer_line = Vec::new();
    longer_line.put_varint(u64::from(u32::MAX));
    bytes.splice(len_at..len_end, longer_line);
    assert!(head.join(&bytes).is_none());
}

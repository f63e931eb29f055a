//! Unit tests of story vectors: weighting, stemming, the term cap, IDF per duplicate group.

use super::*;
use crate::article::Origin;

fn article(id: &str, title: &str, body: &str) -> Article {
    Article {
        id: id.to_owned(),
        source: String::new(),
        title: title.to_owned(),
        url: String::new(),
        published: None,
        body: body.to_owned(),
        origin: Origin::file(id),
        extra: Default::default(),
    }
}

fn vectors(articles: &[Article]) -> Vec<StoryVector> {
    let config = RepresentConfig::default();
    let counts: Vec<TermCounts> = articles.iter().map(|a| count_terms(a, &config)).collect();
    let group_of: Vec<usize> = (0..articles.len()).collect();
    let df = DocFreq::new(&counts, &group_of);
    counts.iter().map(|c| weigh(c, &df, &config)).collect()
}

#[test]
fn same_event_scores_above_same_topic() {
    let articles = [
        article("a", "", "Officials in Tripoli met Celeste Wallander on Monday to discuss border security and oil."),
        article("b", "", "Wallander held talks in Tripoli about oil and border security with Libyan officials."),
        article("c", "", "Officials in Rome discussed the football season and border traffic on Monday."),
        article("d", "", "A storm hit the coast of Florida, closing schools and ports."),
    ];
    let v = vectors(&articles);
    assert!(v[0].cosine(&v[1]) > v[0].cosine(&v[2]), "{} vs {}", v[0].cosine(&v[1]), v[0].cosine(&v[2]));
    assert!(v[0].cosine(&v[3]) < 0.05);
    assert!((v[0].cosine(&v[0]) - 1.0).abs() < 1e-5);
}

#[test]
fn stemming_joins_inflections() {
    let v = vectors(&[article("a", "", "Fed tapering"), article("b", "", "Fed tapers"), article("c", "", "Weather")]);
    assert!(v[0].cosine(&v[1]) > 0.99, "{}", v[0].cosine(&v[1]));
}

#[test]
fn keeps_at_most_max_terms_and_projection_is_unit() {
    let body: String = (0..500).map(|i| format!("word{i}x ")).collect();
    let v = vectors(&[article("a", "", &body)]);
    assert_eq!(v[0].terms.len(), RepresentConfig::default().max_terms);
    let norm: f32 = v[0].terms.iter().map(|(_, w)| w * w).sum();
    assert!((norm - 1.0).abs() < 1e-4);
    let dense = v[0].project(64);
    let dense_norm: f32 = dense.iter().map(|x| x * x).sum();
    assert!((dense_norm - 1.0).abs() < 1e-4);
}

#[test]
fn duplicates_count_once_in_document_frequency() {
    let config = RepresentConfig::default();
    let arts = [article("a", "", "alpha beta"), article("b", "", "alpha beta"), article("c", "", "gamma")];
    let counts: Vec<TermCounts> = arts.iter().map(|a| count_terms(a, &config)).collect();
    let grouped = DocFreq::new(&counts, &[0, 0, 2]);
    let separate = DocFreq::new(&counts, &[0, 1, 2]);
    assert_eq!(grouped.n_docs(), 2);
    let alpha = xxh3_64(stem("alpha").as_bytes());
    assert!(grouped.idf(alpha, Language::ENGLISH) > separate.idf(alpha, Language::ENGLISH));
}

#[test]
fn title_case_words_weigh_as_names_when_the_input_writes_them_so() {
    // In "Everything About Titanfall Is Gigantic" capitals say nothing; the
    // two sentence-case texts show that "Titanfall" is a name and
    // "everything" is not, so the Title Case headline leans on "Titanfall".
    let articles = [
        article("a", "", "Everything About Titanfall Is Gigantic"),
        article("b", "", "Fans say everything went well as Titanfall launched."),
        article("c", "", "Why everything about the new Titanfall matters."),
        article("d", "", "Rain everywhere today."),
    ];
    let v = vectors(&articles);
    let weight = |v: &StoryVector, word: &str| {
        let term = xxh3_64(stem(word).as_bytes());
        v.terms.iter().find(|&&(t, _)| t == term).map_or(0.0, |&(_, w)| w)
    };
    assert!(weight(&v[0], "titanfall") > weight(&v[0], "everything"));
    // Without the evidence both words weigh the same (same counts, same IDF).
    let alone = vectors(&articles[..1]);
    assert!((weight(&alone[0], "titanfall") - weight(&alone[0], "everything")).abs() < 1e-6);
}

/// The plain sorted merge [`sparse_dot`] must equal to the bit.
fn sparse_dot_reference(a: &[(Term, f32)], b: &[(Term, f32)]) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

proptest::proptest! {
    #[test]
    fn sparse_dot_equals_the_plain_merge_to_the_bit(
        a in proptest::collection::btree_map(0u64..64, -2.0f32..2.0, 0..40),
        b in proptest::collection::btree_map(0u64..64, -2.0f32..2.0, 0..40),
    ) {
        let a: Vec<(Term, f32)> = a.into_iter().collect();
        let b: Vec<(Term, f32)> = b.into_iter().collect();
        let expected = sparse_dot_reference(&a, &b);
        proptest::prop_assert_eq!(sparse_dot(&a, &b).to_bits(), expected.to_bits());
        proptest::prop_assert_eq!(sparse_dot(&b, &a).to_bits(), sparse_dot_reference(&b, &a).to_bits());
    }
}

#[test]
fn language_is_told_from_the_text() {
    let fr = "Les pompiers ont mobilisé plus de cent hommes pour maîtriser les flammes, qui n'ont fait \
              aucun blessé. La préfecture a demandé aux habitants du quartier de fermer leurs fenêtres.";
    let cs = "Hasiči evakuovali přes dvě stě lidí a v několika obcích vyhlásili třetí stupeň povodňové \
              aktivity. Starostové žádají kraj o pomoc s odčerpáním vody a s opravou silnic.";
    let he = "רעידת אדמה חזקה פגעה הבוקר באזור החוף, ומאות אנשים פונו מבתיהם לאחר שהבתים נפגעו.";
    assert_eq!(detect_language("", fr).code(), "fra");
    assert_eq!(detect_language("", cs).code(), "ces");
    assert_eq!(detect_language("", he).code(), "heb");
    assert_eq!(
        detect_language("Storm knocks out power", "A winter storm brought gusts to the coast."),
        Language::ENGLISH
    );
}

#[test]
fn short_english_headlines_stay_english() {
    // whatlang calls each of these French or Catalan, "reliably": too few
    // words for trigrams, and no French function words to back it.
    for headline in [
        "Report: Auto regulators ignored complaints about defect linked to 13 deaths",
        "Comcast users to get Netflix shows sans subscription",
        "Italy says no military vessel near Libyan tanker incident",
        "Urban Outfitters warns on current-quarter results after sales miss",
    ] {
        assert_eq!(detect_language(headline, headline), Language::ENGLISH, "{headline}");
    }
}

#[test]
fn each_language_has_its_stopwords_and_stems() {
    let fr =
        detect_language("", "Les pompiers ont mobilisé plus de cent hommes pour maîtriser les flammes dans la nuit.");
    assert!(fr.is_stopword("les") && fr.is_stopword("pour"));
    assert!(!Language::ENGLISH.is_stopword("les"));
    assert_eq!(fr.stem_word("pompiers"), fr.stem_word("pompier"));
    let cs = detect_language(
        "",
        "Hasiči evakuovali přes dvě stě lidí a v několika obcích vyhlásili třetí stupeň povodňové aktivity.",
    );
    // No Snowball stemmer for Czech: five-character truncation folds case endings.
    assert_eq!(cs.stem_word("zemětřesení"), cs.stem_word("zemětřesením"));
    assert_eq!(cs.stem_word("2010"), "2010");
    assert!(cs.is_stopword("přes"));
}

fn units_of(text: &str) -> Vec<&str> {
    let mut units = Vec::new();
    units::for_each_unit(text, |u| units.push(u));
    units
}

#[test]
fn a_chinese_run_becomes_its_character_bigrams() {
    assert_eq!(units_of("清远暴雨"), vec!["清远", "远暴", "暴雨"]);
    // Punctuation ends a run: no bigram spans it.
    assert_eq!(units_of("北江，清远"), vec!["北江", "清远"]);
}

#[test]
fn japanese_bigrams_skip_hiragana() {
    // "で" and "の" are particles: they cut the run and enter no bigram.
    assert_eq!(units_of("石川県で地震の被害"), vec!["石川", "川県", "地震", "被害"]);
    assert_eq!(units_of("マグニチュード"), vec!["マグ", "グニ", "ニチ", "チュ", "ュー", "ード"]);
}

#[test]
fn latin_words_and_numbers_in_cjk_text_stay_words() {
    assert_eq!(units_of("BYD发布新车 Seal 6.2万元"), vec!["BYD", "发布", "布新", "新车", "Seal", "6.2", "万元"]);
    // Text without these scripts gives exactly its words.
    let english = "The council voted on Tuesday, 12 March.";
    assert_eq!(units_of(english), text::words(english).collect::<Vec<_>>());
}

#[test]
fn a_thai_run_becomes_its_dictionary_words() {
    // "Earthquake in Chiang Rai": dictionary words, not syllable pieces.
    let units = units_of("แผ่นดินไหวที่เชียงราย");
    assert!(units.contains(&"เชียงราย"), "{units:?}");
    assert!(units.concat() == "แผ่นดินไหวที่เชียงราย", "units are the run, in order: {units:?}");
    assert!(units.len() <= 5, "{units:?}");
    // Lao and Khmer runs likewise; Latin words and numbers beside them stay words.
    assert_eq!(units_of("ສປປ ລາວ 2024"), vec!["ສປ", "ປ", "ລາວ", "2024"]);
    assert_eq!(units_of("ព្រះរាជាណាចក្រកម្ពុជា ASEAN"), vec!["ព្រះរាជាណាចក្រ", "កម្ពុជា", "ASEAN"]);
}

#[test]
fn unrelated_thai_reports_share_no_terms_and_reports_of_one_event_do() {
    let v = vectors(&[
        article("a", "แผ่นดินไหวเขย่าเชียงราย", "เกิดแผ่นดินไหวขนาด 6.3 ที่จังหวัดเชียงรายเมื่อเช้าวันอังคาร อาคารหลายหลังในอำเภอแม่ลาวได้รับความเสียหาย ประชาชนอพยพไปอยู่ที่ศูนย์พักพิงชั่วคราว"),
        article("b", "ทีมชาติไทยชนะเวียดนาม", "ทีมชาติไทยเอาชนะเวียดนาม 2-1 ในการแข่งขันฟุตบอลชิงแชมป์อาเซียนที่สนามราชมังคลากีฬาสถาน แฟนบอลหลายหมื่นคนเดินทางมาเชียร์"),
        article("c", "ชาวเชียงรายยังพักศูนย์พักพิง", "แผ่นดินไหวรุนแรงที่เชียงรายทำให้วัดและโรงเรียนในอำเภอแม่ลาวเสียหาย ชาวบ้านยังคงพักอยู่ที่ศูนย์พักพิงชั่วคราว"),
    ]);
    assert!(v[0].cosine(&v[1]) < 0.05, "unrelated: {}", v[0].cosine(&v[1]));
    assert!(v[0].cosine(&v[2]) > 0.1, "same event: {}", v[0].cosine(&v[2]));
}

#[test]
fn unrelated_chinese_reports_of_one_day_share_no_terms() {
    // Only the date "12日" is common: it must not make them similar.
    let v = vectors(&[
        article("a", "清远暴雨", "广东清远12日遭遇特大暴雨，北江水位超过警戒线，三万人紧急转移。"),
        article("b", "熊猫幼崽", "成都大熊猫基地12日宣布，一只大熊猫产下双胞胎幼崽，健康状况良好。"),
        article("c", "北江洪水", "北江水位12日超过警戒水位，清远转移群众三万余人。"),
    ]);
    assert!(v[0].cosine(&v[1]) < 0.05, "unrelated: {}", v[0].cosine(&v[1]));
    assert!(v[0].cosine(&v[2]) > 0.1, "same event: {}", v[0].cosine(&v[2]));
}

/// Three unrelated Hindi reports among English ones: the Hindi words they
/// all share ("सरकार", government; and the function words the ISO list
/// misses) are rare in the feed but common among Hindi articles, and must
/// weigh as common ones.
#[test]
fn a_term_is_rare_or_common_among_articles_of_its_own_language() {
    let config = RepresentConfig::default();
    let english = [
        article(
            "e1",
            "Council approves new bus lanes",
            "The city council approved three new bus lanes on Tuesday after a long debate.",
        ),
        article(
            "e2",
            "Storm cuts power to thousands",
            "A storm cut power to thousands of homes along the coast, the utility said.",
        ),
        article(
            "e3",
            "Museum opens dinosaur hall",
            "The natural history museum opened a dinosaur hall with a complete skeleton.",
        ),
        article(
            "e4",
            "Bakery wins bread award",
            "A family bakery won the national bread award for its rye loaf on Sunday.",
        ),
    ];
    let hindi = [
        article("h1", "सरकार ने नई सड़क योजना घोषित की", "राज्य सरकार ने गांवों को जोड़ने के लिए नई सड़क योजना की घोषणा की है।"),
        article("h2", "सरकार ने किसानों के लिए बीज बांटे", "सरकार ने रबी की फसल से पहले किसानों को मुफ्त बीज बांटे हैं।"),
        article("h3", "सरकार ने स्कूलों में छुट्टी बढ़ाई", "भीषण गर्मी के कारण सरकार ने स्कूलों की छुट्टियां एक सप्ताह बढ़ा दी हैं।"),
    ];
    let counts =
        |articles: &[&Article]| -> Vec<TermCounts> { articles.iter().map(|a| count_terms(a, &config)).collect() };
    let all: Vec<&Article> = english.iter().chain(&hindi).collect();
    let mixed = counts(&all);
    let hindi_language = mixed[4].language;
    assert_eq!(hindi_language.code(), "hin");
    assert!(mixed[..4].iter().all(|c| c.language == Language::ENGLISH));
    let mixed_df = DocFreq::new(&mixed, &(0..7).collect::<Vec<_>>());
    let alone = |part: &[TermCounts]| DocFreq::new(part, &(0..part.len()).collect::<Vec<_>>());
    let (hindi_df, english_df) = (alone(&mixed[4..]), alone(&mixed[..4]));
    // Every term weighs as it would in a feed of its language alone.
    for c in &mixed {
        let own = if c.language == Language::ENGLISH { &english_df } else { &hindi_df };
        for &(term, _) in &c.counts {
            assert_eq!(mixed_df.idf(term, c.language), own.idf(term, c.language));
        }
    }
    // "सरकार", in all three Hindi reports, is worth little; a word of one
    // report alone is worth much more.
    let sarkar = xxh3_64(hindi_language.stem_word("सरकार").as_bytes());
    let beej = xxh3_64(hindi_language.stem_word("बीज").as_bytes());
    assert!(mixed_df.idf(sarkar, hindi_language) < 0.2, "{}", mixed_df.idf(sarkar, hindi_language));
    assert!(mixed_df.idf(beej, hindi_language) > 5.0 * mixed_df.idf(sarkar, hindi_language));
    // The story vectors: the Hindi reports no longer meet on their language.
    let vectors: Vec<StoryVector> = mixed.iter().map(|c| weigh(c, &mixed_df, &config)).collect();
    for (a, b) in [(4, 5), (4, 6), (5, 6)] {
        assert!(vectors[a].cosine(&vectors[b]) < 0.04, "h{} h{}: {}", a - 3, b - 3, vectors[a].cosine(&vectors[b]));
    }
}

#[test]
fn term_counts_keep_their_language_and_english_ones_are_written_as_before() {
    let config = RepresentConfig::default();
    let hindi =
        count_terms(&article("h", "सरकार ने नई सड़क योजना घोषित की", "राज्य सरकार ने नई सड़क योजना की घोषणा की।"), &config);
    let mut bytes = Vec::new();
    hindi.encode(&mut bytes);
    let back = TermCounts::decode(&bytes).unwrap();
    assert_eq!((back.language, &back.counts), (hindi.language, &hindi.counts));
    // English counts carry no language: the leading byte is one of the two
    // forms and nothing more, as stored counts from before were written.
    let english = count_terms(&article("e", "Storm cuts power", "A storm cut power to thousands of homes."), &config);
    let mut bytes = Vec::new();
    english.encode(&mut bytes);
    assert!(bytes[0] <= 1, "{}", bytes[0]);
    assert_eq!(TermCounts::decode(&bytes).unwrap().language, Language::ENGLISH);
    let other = TermCounts { language: Language::from_code("fra"), ..english };
    let mut bytes = Vec::new();
    other.encode(&mut bytes);
    assert_eq!(TermCounts::decode(&bytes).unwrap().language.code(), "fra");
}

#[test]
fn hebrew_words_meet_without_the_particles_joined_to_them() {
    let he = detect_language("", "רעידת אדמה חזקה פגעה הבוקר באזור החוף, ומאות אנשים פונו מבתיהם לאחר שהבתים נפגעו.");
    // "government", "the government", "and the government", "that the government".
    let forms = ["ממשלה", "הממשלה", "והממשלה", "שהממשלה"];
    assert!(forms.iter().all(|w| he.stem_word(w) == he.stem_word(forms[0])), "{:?}", forms.map(|w| he.stem_word(w)));
    // "in the day" and "day"; a three-letter word keeps its letters.
    assert_eq!(he.stem_word("ביום"), he.stem_word("יום"));
    assert_eq!(he.stem_word("בית"), "בית");
    // Unrelated words stay apart.
    assert_ne!(he.stem_word("ממשלה"), he.stem_word("צונאמי"));
    assert_eq!(he.stem_word("2004"), "2004");
}

/// The boosted term frequency `count_terms` gives the word written `word`
/// in `article`.
fn boosted_tf(article: &Article, word: &str) -> f32 {
    let counts = count_terms(article, &RepresentConfig::default());
    let words = term_words(article);
    let term = words.iter().find(|(_, w)| w.as_str() == word).map(|(&t, _)| t).expect(word);
    counts.counts.iter().find(|&&(t, _)| t == term).expect(word).1
}

/// In Hebrew text the Latin words alone can show a capital: "UTC" and
/// "USGS" weighed 1.6 times a Hebrew word said as often, whatever the
/// names of the text itself.
#[test]
fn a_capital_in_text_of_a_script_without_case_makes_no_name() {
    let hebrew = article(
        "he",
        "",
        "רעידת אדמה חזקה הכתה את צ'ילה בשעה שש UTC לפי נתוני USGS והרשויות פינו את תושבי החוף מחשש לצונאמי",
    );
    assert_eq!(boosted_tf(&hebrew, "UTC"), boosted_tf(&hebrew, "רעידת"));
    assert_eq!(boosted_tf(&hebrew, "USGS"), 1.0);
    // In English text a capitalised word inside a sentence is a name.
    let english = article("en", "", "A strong earthquake struck Chile at six UTC, the survey said, and towns emptied.");
    assert_eq!(boosted_tf(&english, "Chile"), RepresentConfig::default().name_boost);
    assert_eq!(boosted_tf(&english, "earthquake"), 1.0);
}

/// Serbian is written in Cyrillic and in Latin, letter for letter: a word
/// is one term in both, and the function words of either are stopwords.
#[test]
fn serbian_words_are_one_term_in_cyrillic_and_in_latin() {
    let cyrillic = detect_language(
        "Краљево: после земљотреса оштећено више од стотину кућа",
        "Након јутрошњег земљотреса у Краљеву оштећено је више од стотину кућа, а две особе су лакше повређене.",
    );
    let latin = detect_language(
        "Kraljevo: posle zemljotresa oštećeno više od stotinu kuća",
        "Nakon jutrošnjeg zemljotresa u Kraljevu oštećeno je više od stotinu kuća, a dve osobe su lakše povređene.",
    );
    // One language in two scripts: one entry, one pool of frequencies.
    assert_eq!((cyrillic, cyrillic.code()), (latin, "hrv"));
    // "Kraljevo", "in Kraljevo", "earthquake", "of the earthquake".
    for (c, l) in
        [("Краљево", "Kraljevo"), ("Краљеву", "Kraljevo"), ("земљотрес", "zemljotresa"), ("Ђоковић", "Đoković")]
    {
        assert_eq!(term_of(c, cyrillic), term_of(l, latin), "{c} / {l}");
    }
    assert_ne!(term_of("Краљево", cyrillic), term_of("Крагујевац", cyrillic));
    for word in ["је", "и", "да", "су", "који"] {
        assert_eq!(term_of(word, cyrillic), None, "{word}");
    }
}

/// Every language whatlang tells in a script other than Latin has tools of
/// its own: Macedonian, Georgian and Telugu words are truncated, each
/// counted among the documents of its language, none in one pool of
/// languages without tools.
#[test]
fn every_language_of_a_script_other_than_latin_has_tools_of_its_own() {
    let texts = [
        ("mkd", "Владата на Северна Македонија денеска донесе одлука за зголемување на платите во јавниот сектор."),
        ("kat", "თბილისში დღეს ახალი მეტროს სადგური გაიხსნა, რომელიც ქალაქის ცენტრს ახალ უბანთან დააკავშირებს."),
        ("tel", "హైదరాబాద్ నగరంలో సోమవారం భారీ వర్షం కురిసింది, పలు ప్రాంతాల్లో రోడ్లు జలమయమయ్యాయి."),
    ];
    for (code, text) in texts {
        let language = detect_language("", text);
        assert_eq!(language.code(), code, "{text}");
        assert_eq!(language.stem(), language::Stem::Truncate, "{code}");
    }
    // Georgian "Tbilisi" and "in Tbilisi" meet once truncated.
    let georgian = detect_language("", texts[1].1);
    assert_eq!(term_of("თბილისი", georgian), term_of("თბილისში", georgian));
}

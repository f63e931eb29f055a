//! The event model and the rewriting writer.
//!
//! Owns [`Story`] (a base event: its entities, numbers, facts, quotes and
//! coverage plan over days) and the writer that turns a story into one
//! outlet's rewrite (headline and body paragraphs), plus the record of a
//! story's originals that copies refer to. It must not know about page
//! templates or how copies are altered.

use crate::article::Date;

use super::lexicon::{
    capitalize, Lexicon, Person, ADVERBIALS, AUXILIARIES, CONJUNCTIONS, DETERMINERS, MONTHS, NEWS_ADJECTIVES,
    NEWS_NOUNS, NEWS_VERBS, OPENERS, PREPOSITIONS, ROLES, WEEKDAYS,
};
use super::rng::Rng;

/// The stream id for per-story random numbers.
const STORY_STREAM: u64 = 0x5707;

/// Who a fact is about.
#[derive(Clone, Copy, Debug)]
enum Ent {
    Person(usize),
    Org(usize),
}

/// One proposition of a story: every outlet reports it with the same
/// entity, number and place, in its own words.
#[derive(Clone, Copy, Debug)]
struct Fact {
    who: Ent,
    verb: usize,
    noun: usize,
    number: usize,
    place: usize,
}

/// A person in a story, with the role outlets give them.
#[derive(Clone, Debug)]
struct StoryPerson {
    person: Person,
    role: String,
}

/// An original article already emitted for a story, kept so that later
/// near-duplicates can copy it (its body is regenerated from its seed).
#[derive(Clone, Debug)]
pub(crate) struct Original {
    pub id: String,
    pub body_seed: u64,
    pub wire: bool,
    pub site: usize,
}

/// A base event and its coverage plan.
#[derive(Debug)]
pub(crate) struct Story {
    /// The day index (from the configured start) the event happened.
    pub start_day: i64,
    /// The event date.
    pub date: Date,
    /// Articles planned per day offset from `start_day`.
    pub slots: Vec<u32>,
    /// The gold label, assigned when the first article is emitted.
    pub label: Option<String>,
    /// Originals emitted so far.
    pub originals: Vec<Original>,
    section: usize,
    persons: Vec<StoryPerson>,
    places: Vec<u32>,
    orgs: Vec<u32>,
    numbers: Vec<String>,
    nouns: Vec<u32>,
    verbs: Vec<u32>,
    adjs: Vec<u32>,
    facts: Vec<Fact>,
    quotes: Vec<String>,
}

/// One outlet's rewrite of a story.
pub(crate) struct Body {
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Whether it is a wire story (dateline with wire name, wire credit).
    pub wire: bool,
}

/// Formats an integer with thousands separators.
fn with_commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn number_phrase(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => rng.range(2, 99).to_string(),
        1 => with_commas(rng.range(1_000, 99_999) as u64),
        2 => format!("{}.{} million", rng.range(1, 40), rng.below(10)),
        3 => format!("{} percent", rng.range(2, 95)),
        4 => format!("${}.{} billion", rng.range(1, 90), rng.below(10)),
        _ => format!("about {}", rng.range(2, 9) * 100),
    }
}

/// The weekday of a date, Monday = 0.
pub(crate) fn weekday(d: Date) -> usize {
    // 1970-01-01 was a Thursday (3).
    (d.days_since_epoch() + 3).rem_euclid(7) as usize
}

/// Day-of-month numerals, so that dates need no formatting machinery.
const DAY_NUMBERS: [&str; 32] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
    "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
];

/// Uppercases the ASCII byte at `start` (the first letter of a sentence).
fn capitalize_at(s: &mut str, start: usize) {
    if let Some(first) = s.get_mut(start..start + 1) {
        first.make_ascii_uppercase();
    }
}

/// Appends the plural of a (pseudo-)noun.
fn push_plural(out: &mut String, w: &str) {
    if w.ends_with('s') || w.ends_with('x') || w.ends_with("sh") || w.ends_with("ch") {
        out.push_str(w);
        out.push_str("es");
    } else if w.ends_with('y') && !w.ends_with("ay") && !w.ends_with("ey") && !w.ends_with("oy") {
        out.push_str(&w[..w.len() - 1]);
        out.push_str("ies");
    } else {
        out.push_str(w);
        out.push('s');
    }
}

fn pick_from(rng: &mut Rng, own: &[u32], total: usize, p_own: f64) -> u32 {
    if rng.chance(p_own) {
        *rng.pick(own)
    } else {
        rng.below(total) as u32
    }
}

impl Story {
    /// Creates story number `serial` (its content depends only on the seed
    /// and the serial), starting on day `start_day` (= `date`).
    pub(crate) fn new(
        lex: &Lexicon,
        seed: u64,
        serial: u64,
        start_day: i64,
        date: Date,
        max_size: usize,
        max_days: usize,
    ) -> Story {
        let mut rng = Rng::derive(seed, STORY_STREAM, serial);
        let section = rng.below(lex.sections.len());
        let sec = &lex.sections[section];

        // Long-tailed size: P(size >= k) = 1/k, capped.
        let size = ((1.0 / rng.unit_open()) as usize).clamp(1, max_size.max(1));
        let duration = if size == 1 { 1 } else { rng.range(1, max_days.max(1)) };
        let mut slots = vec![0u32; duration];
        slots[0] = 1;
        for _ in 1..size {
            let u = rng.unit();
            let off = ((u * u * duration as f64) as usize).min(duration - 1);
            slots[off] += 1;
        }

        let places: Vec<u32> =
            (0..rng.range(1, 3)).map(|_| pick_from(&mut rng, &sec.places, lex.places.len(), 0.4)).collect();
        let orgs: Vec<u32> =
            (0..rng.range(1, 2)).map(|_| pick_from(&mut rng, &sec.orgs, lex.orgs.len(), 0.4)).collect();
        let persons = (0..rng.range(1, 4))
            .map(|_| {
                let person = if rng.chance(0.25) {
                    *rng.pick(&sec.people)
                } else {
                    Person { first: rng.below(lex.first.len()) as u32, last: rng.below(lex.last.len()) as u32 }
                };
                let of = if rng.chance(0.6) {
                    lex.orgs[*rng.pick(&orgs) as usize].clone()
                } else {
                    lex.places[*rng.pick(&places) as usize].clone()
                };
                let role = format!("{} {}", rng.pick(ROLES), of);
                StoryPerson { person, role }
            })
            .collect::<Vec<_>>();
        let numbers = (0..rng.range(3, 6)).map(|_| number_phrase(&mut rng)).collect::<Vec<_>>();
        let nouns = (0..rng.range(10, 16)).map(|_| pick_from(&mut rng, &sec.nouns, lex.nouns.len(), 0.5)).collect();
        let verbs = (0..rng.range(4, 7)).map(|_| pick_from(&mut rng, &sec.verbs, lex.verbs.len(), 0.5)).collect();
        let adjs = (0..rng.range(3, 5)).map(|_| pick_from(&mut rng, &sec.adjs, lex.adjs.len(), 0.5)).collect();
        let n_facts = rng.range(5, 12);
        let mut story = Story {
            start_day,
            date,
            slots,
            label: None,
            originals: Vec::new(),
            section,
            persons,
            places,
            orgs,
            numbers,
            nouns,
            verbs,
            adjs,
            facts: Vec::new(),
            quotes: Vec::new(),
        };
        story.facts = (0..n_facts)
            .map(|_| Fact {
                who: if rng.chance(0.65) {
                    Ent::Person(rng.below(story.persons.len()))
                } else {
                    Ent::Org(rng.below(story.orgs.len()))
                },
                verb: rng.below(story.verbs.len()),
                noun: rng.below(story.nouns.len()),
                number: rng.below(story.numbers.len()),
                place: rng.below(story.places.len()),
            })
            .collect();
        let n_quotes = rng.range(0, 3);
        let quotes = {
            let mut w = Writer::new(lex, &story, Rng::new(rng.next_u64()));
            (0..n_quotes).map(|_| w.quote_text()).collect()
        };
        story.quotes = quotes;
        story
    }

    /// The number of articles planned in all.
    pub(crate) fn planned(&self) -> usize {
        self.slots.iter().map(|&k| k as usize).sum()
    }

    /// The day index after the story's last day.
    pub(crate) fn end_day(&self) -> i64 {
        self.start_day + self.slots.len() as i64
    }

    /// One outlet's rewrite: a pure function of the story and `body_seed`,
    /// about `target` bytes of body (before wire credits).
    pub(crate) fn compose(&self, lex: &Lexicon, body_seed: u64, target: usize) -> Body {
        let mut w = Writer::new(lex, self, Rng::new(body_seed));
        let wire = w.rng.chance(0.35);
        let title = w.title();
        let mut facts: Vec<usize> = (0..self.facts.len()).collect();
        w.rng.shuffle(&mut facts);
        if w.rng.chance(0.7) {
            if let Some(pos) = facts.iter().position(|&f| f == 0) {
                facts.swap(0, pos);
            }
        }
        let mut quotes: Vec<usize> = (0..self.quotes.len()).filter(|_| w.rng.chance(0.6)).collect();
        w.rng.shuffle(&mut quotes);

        let mut paragraphs: Vec<String> = Vec::new();
        let mut len = 0usize;
        let (mut next_fact, mut next_quote) = (0usize, 0usize);
        let lead_place = lex.places[self.places[0] as usize].to_uppercase();
        let dateline = if wire {
            let wire_agency = &lex.wires[w.rng.below(lex.wires.len())];
            Some(format!("{lead_place} ({}) — ", wire_agency.short))
        } else if w.rng.chance(0.3) {
            Some(format!("{lead_place} — "))
        } else {
            None
        };
        while len < target.max(1) {
            let mut para = String::with_capacity(640);
            if paragraphs.is_empty() {
                if let Some(d) = &dateline {
                    para.push_str(d);
                }
            }
            let n_sent = if paragraphs.is_empty() { w.rng.range(1, 2) } else { w.rng.range(1, 4) };
            for s in 0..n_sent {
                if s > 0 {
                    para.push(' ');
                }
                if next_fact < facts.len() && (paragraphs.is_empty() || w.rng.chance(0.6)) {
                    next_fact += 1;
                    w.fact_sentence(&self.facts[facts[next_fact - 1]], &mut para);
                } else if next_quote < quotes.len() && w.rng.chance(0.3) {
                    next_quote += 1;
                    w.quote_sentence(quotes[next_quote - 1], &mut para);
                } else if w.rng.chance(0.2) {
                    let f = *w.rng.pick(&self.facts);
                    w.fact_sentence(&f, &mut para);
                } else {
                    w.background_sentence(&mut para);
                }
                if len + para.len() >= target {
                    break;
                }
            }
            len += para.len() + 2;
            paragraphs.push(para);
        }
        if wire {
            // Three distinct staff members: reporter, second reporter, editor.
            let staff = &lex.wire_staff;
            let i = w.rng.below(staff.len());
            let j = (i + w.rng.range(1, staff.len() / 2 - 1)) % staff.len();
            let k = (j + w.rng.range(1, staff.len() / 2 - 1)) % staff.len();
            let (a, b, e) = (lex.full_name(staff[i]), lex.full_name(staff[j]), lex.full_name(staff[k]));
            paragraphs.push(if w.rng.chance(0.5) {
                format!("(Reporting by {a}; Editing by {e})")
            } else {
                format!("(Reporting by {a}; Additional reporting by {b}; Editing by {e})")
            });
            if w.rng.chance(0.7) {
                let agency = &lex.wires[w.rng.below(lex.wires.len())].name;
                paragraphs.push(format!(
                    "Copyright {} {agency}. All rights reserved. This material may not be published, broadcast, \
                     rewritten or redistributed.",
                    self.date.year
                ));
            }
        }
        Body { title, paragraphs, wire }
    }
}

/// Writes sentences about one story with one outlet's choices.
struct Writer<'a> {
    lex: &'a Lexicon,
    story: &'a Story,
    rng: Rng,
    mentioned: Vec<bool>,
}

impl<'a> Writer<'a> {
    fn new(lex: &'a Lexicon, story: &'a Story, rng: Rng) -> Writer<'a> {
        Writer { lex, story, rng, mentioned: vec![false; story.persons.len()] }
    }

    fn story_noun(&mut self) -> &'a str {
        &self.lex.nouns[*self.rng.pick(&self.story.nouns) as usize]
    }

    fn story_verb(&mut self) -> &'a str {
        &self.lex.verbs[*self.rng.pick(&self.story.verbs) as usize]
    }

    /// A noun: the story's own (45%), its section's (25%), a real news noun
    /// (15%) or any pseudo-noun (15%, skewed to frequent ones).
    fn noun(&mut self) -> &'a str {
        let lex = self.lex;
        let u = self.rng.unit();
        if u < 0.45 {
            self.story_noun()
        } else if u < 0.70 {
            &lex.nouns[*self.rng.pick(&lex.sections[self.story.section].nouns) as usize]
        } else if u < 0.85 {
            self.rng.word(NEWS_NOUNS)
        } else {
            &lex.nouns[self.rng.skewed(lex.nouns.len())]
        }
    }

    fn verb(&mut self) -> &'a str {
        let lex = self.lex;
        let u = self.rng.unit();
        if u < 0.4 {
            self.story_verb()
        } else if u < 0.65 {
            &lex.verbs[*self.rng.pick(&lex.sections[self.story.section].verbs) as usize]
        } else if u < 0.9 {
            self.rng.word(NEWS_VERBS)
        } else {
            &lex.verbs[self.rng.skewed(lex.verbs.len())]
        }
    }

    fn adj(&mut self) -> &'a str {
        let lex = self.lex;
        let u = self.rng.unit();
        if u < 0.4 {
            &lex.adjs[*self.rng.pick(&self.story.adjs) as usize]
        } else if u < 0.7 {
            self.rng.word(NEWS_ADJECTIVES)
        } else {
            &lex.adjs[self.rng.skewed(lex.adjs.len())]
        }
    }

    /// Determiner, optional adjective, noun, optional "of" phrase.
    fn np(&mut self, out: &mut String) {
        out.push_str(self.rng.word(DETERMINERS));
        out.push(' ');
        if self.rng.chance(0.3) {
            out.push_str(self.adj());
            out.push(' ');
        }
        out.push_str(self.noun());
        if self.rng.chance(0.2) {
            out.push_str(" of ");
            out.push_str(self.rng.word(DETERMINERS));
            out.push(' ');
            out.push_str(self.noun());
        }
    }

    fn person(&mut self, i: usize, out: &mut String) {
        let p = &self.story.persons[i];
        if self.mentioned[i] {
            out.push_str(&self.lex.last[p.person.last as usize]);
        } else {
            self.mentioned[i] = true;
            out.push_str(&self.lex.first[p.person.first as usize]);
            out.push(' ');
            out.push_str(&self.lex.last[p.person.last as usize]);
            if self.rng.chance(0.5) {
                out.push_str(", ");
                out.push_str(&p.role);
                out.push(',');
            }
        }
    }

    fn entity(&mut self, e: Ent, out: &mut String) {
        match e {
            Ent::Person(i) => self.person(i, out),
            Ent::Org(i) => {
                out.push_str("the ");
                out.push_str(&self.lex.orgs[self.story.orgs[i] as usize]);
            }
        }
    }

    fn date_phrase(&mut self, out: &mut String) {
        let d = self.story.date;
        let wd = WEEKDAYS[weekday(d)];
        match self.rng.below(6) {
            0 | 1 => {
                out.push_str("on ");
                out.push_str(wd);
            }
            2 => {
                out.push_str("on ");
                out.push_str(MONTHS[d.month as usize - 1]);
                out.push(' ');
                out.push_str(DAY_NUMBERS[d.day as usize]);
            }
            3 => {
                out.push_str("late on ");
                out.push_str(wd);
            }
            4 => out.push_str("this week"),
            _ => {
                out.push_str(wd);
                out.push_str(" morning");
            }
        }
    }

    /// Renders a template: `{S}` subject, `{V}` the fact's verb (or another
    /// story verb), `{O}`/`{Os}` the fact's object (singular/plural), `{N}`
    /// number, `{L}` place, `{D}` date phrase, `{v}` verb, `{n}` noun, `{a}`
    /// adjective, `{P}` another person of the story.
    fn render(&mut self, tpl: &str, f: &Fact, out: &mut String) {
        let mut rest = tpl;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("template braces");
            match &rest[open + 1..close] {
                "S" => self.entity(f.who, out),
                "V" => {
                    let v = if self.rng.chance(0.5) {
                        &self.lex.verbs[self.story.verbs[f.verb] as usize]
                    } else {
                        self.verb()
                    };
                    out.push_str(v);
                }
                key @ ("O" | "Os") => {
                    if self.rng.chance(0.3) {
                        out.push_str(self.adj());
                        out.push(' ');
                    }
                    let noun = if self.rng.chance(0.7) {
                        &self.lex.nouns[self.story.nouns[f.noun] as usize]
                    } else {
                        self.story_noun()
                    };
                    if key == "Os" {
                        push_plural(out, noun);
                    } else {
                        out.push_str(noun);
                    }
                }
                "N" => out.push_str(&self.story.numbers[f.number]),
                "L" => out.push_str(&self.lex.places[self.story.places[f.place] as usize]),
                "D" => self.date_phrase(out),
                "v" => out.push_str(self.verb()),
                "n" => out.push_str(self.noun()),
                "a" => out.push_str(self.adj()),
                "P" => {
                    let i = self.rng.below(self.story.persons.len());
                    self.person(i, out);
                }
                other => unreachable!("unknown template key {other}"),
            }
            rest = &rest[close + 1..];
            // A role appositive ends in a comma; do not double it.
            if out.ends_with(',') && rest.starts_with(',') {
                rest = &rest[1..];
            }
        }
        out.push_str(rest);
    }

    fn fact_sentence(&mut self, f: &Fact, out: &mut String) {
        const TEMPLATES: &[&str] = &[
            "{S} {V} {N} {Os} in {L} {D}.",
            "In {L}, {S} {V} {N} {Os} {D}.",
            "{D}, {S} said that {N} {Os} had been {v} in {L}.",
            "{N} {Os} were {v} in {L} {D}, {S} said.",
            "According to {S}, {N} {Os} were {v} near {L} {D}.",
            "{S} {V} the {O} {D}, saying {N} {n} had been {v}.",
            "The {O} in {L} was {v} {D} after {S} {V} {N} {Os}.",
            "{S} said {D} that the {O} would be {v}, with {N} {Os} affected.",
            "Officials in {L} said {S} had {V} {N} {Os}.",
            "It was not immediately clear whether {S} {V} the {O}, but {N} {Os} were {v} in {L}.",
            "{N} {Os} in {L} were {v}, and {S} {V} the {n} {D}.",
            "{S}, who {V} the {O} in {L}, put the figure at {N}.",
            "The {a} {O} {V} by {S} left {N} {Os} in {L} {v}.",
            "{D}, {N} {Os} were {v} across {L}, {S} told reporters.",
            "Speaking {D}, {S} confirmed that {N} {Os} had been {v} in {L}.",
            "{S} {V} a {a} {O} in {L}, where {N} {Os} were {v}.",
            "Asked about the {O}, {S} said {N} {Os} in {L} had been {v}.",
            "At least {N} {Os} were {v} in {L}, {S} {V} {D}.",
        ];
        let tpl = self.rng.word(TEMPLATES);
        let start = out.len();
        self.render(tpl, f, out);
        capitalize_at(out, start);
    }

    /// A clause: noun phrase, verb group, object, optional prepositional
    /// phrase and adverbial.
    fn clause(&mut self, out: &mut String) {
        if self.rng.chance(0.15) {
            let i = self.rng.below(self.story.persons.len());
            self.person(i, out);
        } else {
            self.np(out);
        }
        out.push(' ');
        if self.rng.chance(0.3) {
            out.push_str(self.rng.word(AUXILIARIES));
            out.push(' ');
        }
        out.push_str(self.verb());
        if self.rng.chance(0.8) {
            out.push(' ');
            self.np(out);
        }
        if self.rng.chance(0.5) {
            out.push(' ');
            out.push_str(self.rng.word(PREPOSITIONS));
            out.push(' ');
            if self.rng.chance(0.2) {
                out.push_str(&self.lex.places[*self.rng.pick(&self.story.places) as usize]);
            } else {
                self.np(out);
            }
        }
        if self.rng.chance(0.15) {
            out.push(' ');
            out.push_str(self.rng.word(ADVERBIALS));
        }
    }

    fn background_sentence(&mut self, out: &mut String) {
        let start = out.len();
        if self.rng.chance(0.2) {
            out.push_str(self.rng.word(OPENERS));
            out.push_str(", ");
        }
        self.clause(out);
        if self.rng.chance(0.4) {
            out.push_str(", ");
            out.push_str(self.rng.word(CONJUNCTIONS));
            out.push(' ');
            self.clause(out);
        }
        out.push('.');
        capitalize_at(out, start);
    }

    /// The words of a quote (no final punctuation), fixed per story.
    fn quote_text(&mut self) -> String {
        let mut out = String::new();
        out.push_str(self.rng.word(&[
            "We have seen",
            "This is",
            "Nobody expected",
            "Everyone knows",
            "I have never seen",
            "We will not accept",
            "We cannot ignore",
            "This was",
            "We are proud of",
            "People deserve",
        ]));
        out.push(' ');
        self.np(&mut out);
        if self.rng.chance(0.6) {
            out.push_str(", ");
            out.push_str(self.rng.word(CONJUNCTIONS));
            out.push(' ');
            self.clause(&mut out);
        }
        self.mentioned.iter_mut().for_each(|m| *m = false);
        out
    }

    fn quote_sentence(&mut self, q: usize, out: &mut String) {
        let quote = &self.story.quotes[q];
        let i = self.rng.below(self.story.persons.len());
        let mut who = String::new();
        self.person(i, &mut who);
        let who = who.trim_end_matches(',');
        match self.rng.below(3) {
            0 => {
                out.push('"');
                out.push_str(quote);
                out.push_str(",\" ");
                out.push_str(who);
                out.push_str(" said.");
            }
            1 => {
                let start = out.len();
                out.push_str(who);
                capitalize_at(out, start);
                out.push_str(" said: \"");
                out.push_str(quote);
                out.push_str(".\"");
            }
            _ => {
                out.push('"');
                out.push_str(quote);
                out.push_str(",\" said ");
                out.push_str(who);
                out.push('.');
            }
        }
    }

    fn title(&mut self) -> String {
        const TEMPLATES: &[&str] = &[
            "{S} {V} {N} {Os} in {L}",
            "{L}: {N} {Os} {v} after {a} {n}",
            "{O} {v} in {L} as {S} {V} {n}",
            "{N} {Os} {v} in {L}, officials say",
            "{S} {V} {a} {O} over {n}",
            "Why {L} {V} the {O}",
            "{a} {O} in {L}: what we know",
            "{L} {O} {v} {D}",
        ];
        let tpl = self.rng.word(TEMPLATES);
        let f = *self.rng.pick(&self.story.facts);
        // Titles name people by surname only.
        let saved = std::mem::replace(&mut self.mentioned, vec![true; self.story.persons.len()]);
        let mut t = String::with_capacity(100);
        self.render(tpl, &f, &mut t);
        self.mentioned = saved;
        capitalize(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(with_commas(1250), "1,250");
        assert_eq!(with_commas(99_999), "99,999");
        assert_eq!(with_commas(12), "12");
        let plural = |w: &str| {
            let mut s = String::new();
            push_plural(&mut s, w);
            s
        };
        assert_eq!(plural("dravon"), "dravons");
        assert_eq!(plural("kelis"), "kelises");
        assert_eq!(plural("marty"), "marties");
        // 2024-01-01 was a Monday.
        assert_eq!(weekday(Date::new(2024, 1, 1).unwrap()), 0);
        assert_eq!(weekday(Date::new(1970, 1, 1).unwrap()), 3);
    }
}
